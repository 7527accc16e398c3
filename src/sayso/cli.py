"""The `sayso` command line: analyze, show, eval, export, serve."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from sayso import __version__
from sayso.ingest.checks import MAX_BYTES, MAX_DECOMPRESSED, MAX_DEPTH, MAX_LINE
from sayso.model import Analysis, Document, IngestError
from sayso.nlp import ATTRIBUTION_ENGINES, DEFAULT_ENGINE
from sayso.store import SchemaVersionError, StoreNotFound

QUIET, NORMAL, VERBOSE = -1, 0, 1  # args.verbosity: what goes to stderr besides errors


def _emit(analysis: Analysis, fmt: str) -> None:
    from sayso.render import ledger_table

    if fmt == "json":
        print(json.dumps(analysis.to_dict(), ensure_ascii=False, indent=1))
    elif fmt == "jsonl":
        print(json.dumps(analysis.to_dict(), ensure_ascii=False))
    else:
        print(ledger_table(analysis))
        print()


def _report_error(err: IngestError) -> None:
    record = {"error": err.error, "origin": err.origin, "message": err.message,
              "stage": err.stage, "exception": err.exception}
    print(json.dumps(record), file=sys.stderr)


# Exit status of `analyze`: 0 when every document went in, else the number of failed documents
# (capped at MAX_FAILED_STATUS); these two mean the batch itself stopped.
MAX_FAILED_STATUS = 100
EXIT_STORE_FAILED = 101
EXIT_INTERRUPTED = 130


class StoreFailed(Exception):
    """The store refused a write it should take: the batch cannot go on."""


def cmd_analyze(args: argparse.Namespace) -> int:
    """Ingest every input, analyse what is new, print or store it. Each document is guarded on
    its own, so a bad one becomes an error record and the batch goes on; only a failing store
    or an interrupt stops it (see the exit statuses above)."""
    from tqdm import tqdm

    from sayso.ingest import read_inputs
    from sayso.ingest.checks import Limits, error_record
    from sayso.ingest.sources import count_inputs
    from sayso.pipeline import analyze_documents

    store = None
    if args.db:
        from sayso.store import open_store

        try:
            store = open_store(args.db)
        except SchemaVersionError:
            raise
        except Exception as exc:
            print(f"sayso: cannot open the store {args.db}: {exc}", file=sys.stderr)
            return EXIT_STORE_FAILED
    limits = Limits(max_bytes=args.max_bytes, max_line=args.max_line,
                    max_decompressed=args.max_decompressed, max_depth=args.max_depth)
    given = {k: v for k in ("url", "published") if (v := getattr(args, k))}
    failed = skipped = done = 0
    origins: dict[str, str] = {}  # article id -> where it came from, until it is stored
    show_progress = args.progress or (not args.no_progress and args.verbosity > QUIET
                                      and sys.stderr.isatty())
    bar = tqdm(desc="analyze", unit="doc", disable=not show_progress, file=sys.stderr,
               total=count_inputs(args.inputs) if show_progress else None)

    def note(message: str) -> None:
        """A line for --verbose, written above the progress bar."""
        if args.verbosity >= VERBOSE:
            bar.write(f"sayso: {message}", file=sys.stderr)

    def fail(err: IngestError) -> None:
        nonlocal failed
        failed += 1
        bar.update(1)
        _report_error(err)
        if store is not None:
            try:
                store.record_error(err)
            except Exception as exc:
                raise StoreFailed(f"cannot record an error: {exc}") from exc

    def documents() -> Iterator[Document]:
        nonlocal skipped
        for item in read_inputs(args.inputs, limits):
            bar.update(0)
            if isinstance(item, IngestError):
                fail(item)
                continue
            if store is not None:
                try:
                    stored = store.has_article(item.article.id)
                except Exception as exc:
                    raise StoreFailed(f"cannot read the store: {exc}") from exc
                if stored:
                    skipped += 1
                    bar.update(1)
                    note(f"skipped {item.origin}: already stored as {item.article.id}")
                    continue
            origins[item.article.id] = item.origin
            yield replace(item, article=replace(item.article, **given)) if given else item

    def keep(analysis: Analysis) -> None:
        """Store and print one analysis; if the store refuses only this one, it is a failed
        document, and a store that cannot even record that has failed."""
        nonlocal done
        origin = origins.pop(analysis.article.id, analysis.article.id)
        if store is not None:
            try:
                store.save(analysis)
            except Exception as exc:
                fail(error_record(origin, exc, "store"))
                return
        if store is None or args.format != "table" or args.print:
            _emit(analysis, args.format)
        done += 1
        bar.update(1)
        note(f"analyzed {origin} as {analysis.article.id}: {len(analysis.attributions)} "
             f"statements, {len(analysis.entities)} entities, {len(analysis.events)} events")

    status = 0
    try:
        for analysis in analyze_documents(documents(), batch_size=args.batch_size,
                                          engine=args.engine, on_error=fail):
            keep(analysis)
    except StoreFailed as exc:
        print(f"sayso: the store {args.db} failed, stopping: {exc.__cause__ or exc}",
              file=sys.stderr)
        status = EXIT_STORE_FAILED
    except KeyboardInterrupt:
        print("sayso: interrupted", file=sys.stderr)
        status = EXIT_INTERRUPTED
    finally:
        bar.close()
        if store is not None:
            store.close()
    if args.verbosity > QUIET:
        print(f"analyzed {done}, skipped {skipped} already stored, failed {failed}",
              file=sys.stderr)
    return status or min(failed, MAX_FAILED_STATUS)


def cmd_show(args: argparse.Namespace) -> int:
    from sayso.store import open_store

    with open_store(args.db, create=args.create) as store:
        if not args.article_id:
            for row in store.list_articles():
                print(f"{row['id']}  {row.get('published') or '?':<16}  {row.get('title') or ''}")
            return 0
        analysis = store.load(args.article_id)
    if analysis is None:
        print(f"no article {args.article_id!r} in {args.db}", file=sys.stderr)
        return 1
    _emit(analysis, args.format)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from sayso.export import SINKS, export
    from sayso.store import open_store

    if args.datasette:
        return _export_datasette(args)
    if args.table and args.format not in SINKS:
        print(f"sayso: --table is for csv and parquet; {args.format} holds every table",
              file=sys.stderr)
        return 2
    with open_store(args.db, create=args.create) as store:
        count = export(store.iter_analyses(), args.format, args.out, table=args.table)
    if args.verbosity > QUIET:
        where = "stdout" if args.out == "-" else args.out
        print(f"exported {count} articles to {where}", file=sys.stderr)
    return 0


def _export_datasette(args: argparse.Namespace) -> int:
    """Datasette metadata for a SQLite store (Datasette reads SQLite only)."""
    from sayso.datasette import write_metadata
    from sayso.store import open_store
    from sayso.store.dialect import PostgresDialect, dialect_for

    if isinstance(dialect_for(args.db), PostgresDialect):
        print("sayso: Datasette reads SQLite stores only, not PostgreSQL", file=sys.stderr)
        return 2
    open_store(args.db, create=args.create).close()  # the store exists, at the latest schema
    out = write_metadata(args.db, Path(args.datasette))
    if args.verbosity > QUIET:
        print(f"wrote {out}; serve it with: datasette {args.db} --metadata {out}",
              file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from sayso.store import open_store
    from sayso.web import create_app

    open_store(args.db, create=args.create).close()  # a mistyped --db fails here, not later
    app = create_app(args.db, allow_analysis=args.allow_analysis, host=args.host)
    if args.verbosity > QUIET:
        print(f"sayso: serving {args.db} on http://{args.host}:{args.port}", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port,
                log_level="info" if args.verbosity >= VERBOSE else "warning")
    return 0


def _positive(value: str) -> int:
    """A limit given on the command line: a whole number above zero."""
    number = int(value)
    if number <= 0:
        raise argparse.ArgumentTypeError(f"must be above zero, not {value}")
    return number


def _date(value: str) -> str:
    """A date given on the command line, in the data model's form."""
    from sayso.ingest.dates import normalize

    if (date := normalize(value)) is None:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (try 2024-05-02)")
    return date


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """--help that shows each option's default, except where there is none to show (flags,
    options that are off unless given) or the help text already says it."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default in (None, False) or "default" in (action.help or ""):
            return action.help
        return super()._get_help_string(action)


class Parser(argparse.ArgumentParser):
    """An argument parser whose subcommands, at every level, format --help the same way."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)


def _common(store_help: str | None = None, verbose_help: str | None = None
            ) -> argparse.ArgumentParser:
    """Options the ledger commands share: --quiet (and --verbose where there is more to say),
    and with `store_help` which store to read, which must exist unless --create is given."""
    common = argparse.ArgumentParser(add_help=False)
    talk = common.add_mutually_exclusive_group()
    talk.add_argument("-q", "--quiet", dest="verbosity", action="store_const", const=QUIET,
                      default=NORMAL, help="print nothing but results and errors")
    if verbose_help:
        talk.add_argument("-v", "--verbose", dest="verbosity", action="store_const",
                          const=VERBOSE, help=verbose_help)
    if store_help:
        common.add_argument("--db", default="sayso.db", help=store_help)
        common.add_argument("--create", action="store_true",
                            help="create an empty store when there is none at --db "
                            "(otherwise a missing store is an error)")
    return common


def build_parser() -> argparse.ArgumentParser:
    p = Parser(prog="sayso", description="On whose say-so? Attributed statements in news "
               "articles.")
    p.add_argument("--version", action="version", version=f"sayso {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    store = "the store: a SQLite file or a postgresql:// URL"

    a = sub.add_parser("analyze", parents=[_common(verbose_help="also say what happens to "
                                                   "each document")],
                       help="analyse articles (files, folders, .jsonl, - for stdin)",
                       description="Analyse articles: print each ledger, or store it with --db.")
    a.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="HTML, text, JSON Lines or feed files (or .gz of them), folders "
                   "(read recursively), or - for stdin")
    a.add_argument("--db", help="store results in this SQLite file or postgresql:// URL "
                   "(created if missing); already stored articles are skipped")
    a.add_argument("--format", choices=["table", "json", "jsonl"], default="table",
                   help="how ledgers are printed: a table, or the JSON contract "
                   "(docs/contract.md) indented or one per line")
    a.add_argument("--print", action="store_true", help="with --db, also print each ledger")
    a.add_argument("--url", help="the article's address, for every document read "
                   "(meant for one page or stdin); wins over what the page says")
    a.add_argument("--published", type=_date, metavar="DATE",
                   help="the publication date, for every document read (meant for one page "
                   "or stdin); wins over what the page says, and relative times resolve "
                   "against it")
    a.add_argument("--batch-size", type=_positive, default=16, metavar="N",
                   help="documents the pipeline takes at a time")
    a.add_argument("--engine", choices=ATTRIBUTION_ENGINES, default=DEFAULT_ENGINE,
                   help="how statements are found: the trained span tagger, or dependency "
                   "rules only (faster)")
    a.add_argument("--max-bytes", type=_positive, default=MAX_BYTES, metavar="N",
                   help="refuse a page, text or feed over N bytes")
    a.add_argument("--max-line", type=_positive, default=MAX_LINE, metavar="N",
                   help="skip a JSON Lines line over N bytes")
    a.add_argument("--max-decompressed", type=_positive, default=MAX_DECOMPRESSED,
                   metavar="N", help="stop reading a compressed input once it expands to N "
                   "bytes")
    a.add_argument("--max-depth", type=_positive, default=MAX_DEPTH, metavar="N",
                   help="refuse a JSON record nested over N levels")
    bar = a.add_mutually_exclusive_group()
    bar.add_argument("--progress", action="store_true",
                     help="show the progress bar even when stderr is not a terminal")
    bar.add_argument("--no-progress", action="store_true",
                     help="never show the progress bar (it shows on a terminal)")
    a.set_defaults(func=cmd_analyze)

    s = sub.add_parser("show", parents=[_common(store)], help="print the ledger of a stored "
                       "article (or list articles)", description="List the stored articles, "
                       "or print the ledger of one.")
    s.add_argument("article_id", nargs="?", help="the article to print (default: list them "
                   "all: id, date, title)")
    s.add_argument("--format", choices=["table", "json", "jsonl"], default="table",
                   help="how the ledger is printed")
    s.set_defaults(func=cmd_show)

    from sayso.export import FORMATS, ONE_TABLE, TABLES

    x = sub.add_parser("export", parents=[_common(store)], help="write the stored ledger as "
                       "JSON, JSON Lines, CSV, Parquet or PLOVER records, or Datasette "
                       "metadata", description="Write the stored ledger as files other tools "
                       "read (json/jsonl: one contract dict per article; plover: one record "
                       "per event; csv/parquet: tables).")
    x.add_argument("--format", choices=FORMATS, default="jsonl", help="what to write")
    target = x.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", metavar="PATH",
                        help="the file to write, or - for stdout; for csv and parquet, a "
                        "name ending in .csv/.parquet (or -) holds one table (--table), any "
                        "other is a folder with a file per table")
    target.add_argument("--datasette", metavar="DIR",
                        help="instead, write DIR/metadata.json for `datasette DB --metadata "
                        "DIR/metadata.json` (SQLite stores)")
    x.add_argument("--table", choices=TABLES,
                   help=f"csv/parquet: the one table to write (default: {ONE_TABLE} into a "
                   "file, every table into a folder)")
    x.set_defaults(func=cmd_export)

    w = sub.add_parser("serve", parents=[_common(store, "also log each request")],
                       help="run the web workbench over a store",
                       description="Serve the web workbench (read-only unless "
                       "--allow-analysis).")
    w.add_argument("--host", default="127.0.0.1", help="address to bind (local only unless "
                   "changed)")
    w.add_argument("--port", type=int, default=8000, help="port to listen on")
    w.add_argument("--allow-analysis", action="store_true",
                   help="let the browser analyse pasted articles into the store")
    w.set_defaults(func=cmd_serve)

    ev = sub.add_parser("eval", help="score sayso against annotated data",
                        description="Score sayso against annotated data you have locally.")
    from sayso.eval import add_eval_commands

    add_eval_commands(ev.add_subparsers(dest="task", required=True, metavar="TASK"))
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        return 0
    except StoreNotFound as err:  # a mistyped --db: say so, and create nothing
        print(f"sayso: {err}; check --db, or pass --create to start an empty store",
              file=sys.stderr)
        return 2
    except SchemaVersionError as err:  # a store from a newer sayso: say so, no traceback
        print(f"sayso: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
