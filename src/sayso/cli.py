"""The `sayso` command line: analyze, show, eval, export, serve."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from sayso import __version__
from sayso.ingest.checks import MAX_BYTES, MAX_DECOMPRESSED, MAX_DEPTH, MAX_LINE
from sayso.model import Analysis, Document, IngestError
from sayso.nlp import ATTRIBUTION_ENGINES, DEFAULT_ENGINE
from sayso.store.migrate import SchemaVersionError


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
    failed = skipped = done = 0
    origins: dict[str, str] = {}  # article id -> where it came from, until it is stored
    show_progress = not args.no_progress and sys.stderr.isatty() or args.progress
    bar = tqdm(desc="analyze", unit="doc", disable=not show_progress, file=sys.stderr)

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
                    continue
            origins[item.article.id] = item.origin
            yield item

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
    print(f"analyzed {done}, skipped {skipped} already stored, failed {failed}", file=sys.stderr)
    return status or min(failed, MAX_FAILED_STATUS)


def cmd_show(args: argparse.Namespace) -> int:
    from sayso.store import open_store

    store = open_store(args.db)
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
    from sayso.export import export
    from sayso.store import open_store

    with open_store(args.db) as store:
        count = export(store.iter_analyses(), args.format, Path(args.out))
    print(f"exported {count} articles to {args.out}", file=sys.stderr)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from sayso.web import create_app

    app = create_app(args.db, allow_analysis=args.allow_analysis, host=args.host)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


def _positive(value: str) -> int:
    """A limit given on the command line: a whole number above zero."""
    number = int(value)
    if number <= 0:
        raise argparse.ArgumentTypeError(f"must be above zero, not {value}")
    return number


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sayso", description="On whose say-so? Attributed statements "
                                "in news articles.")
    p.add_argument("--version", action="version", version=f"sayso {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    a = sub.add_parser("analyze", help="analyse articles (files, folders, .jsonl, - for stdin)")
    a.add_argument("inputs", nargs="+", help="HTML, text or JSON Lines files, folders, or -")
    a.add_argument("--db", help="store results in this SQLite file (or postgresql:// URL)")
    a.add_argument("--format", choices=["table", "json", "jsonl"], default="table")
    a.add_argument("--print", action="store_true", help="with --db, also print each ledger")
    a.add_argument("--batch-size", type=int, default=16)
    a.add_argument("--engine", choices=ATTRIBUTION_ENGINES, default=DEFAULT_ENGINE,
                   help=f"how statements are found (default: {DEFAULT_ENGINE}): the trained "
                   "span tagger, or dependency rules only (faster)")
    a.add_argument("--max-bytes", type=_positive, default=MAX_BYTES, metavar="N",
                   help=f"refuse a page, text or feed over N bytes (default {MAX_BYTES:,})")
    a.add_argument("--max-line", type=_positive, default=MAX_LINE, metavar="N",
                   help=f"skip a JSON Lines line over N bytes (default {MAX_LINE:,})")
    a.add_argument("--max-decompressed", type=_positive, default=MAX_DECOMPRESSED, metavar="N",
                   help="stop reading a compressed input once it expands to N bytes "
                   f"(default {MAX_DECOMPRESSED:,})")
    a.add_argument("--max-depth", type=_positive, default=MAX_DEPTH, metavar="N",
                   help=f"refuse a JSON record nested over N levels (default {MAX_DEPTH})")
    a.add_argument("--progress", action="store_true", help="show a progress bar even when piped")
    a.add_argument("--no-progress", action="store_true")
    a.set_defaults(func=cmd_analyze)

    s = sub.add_parser("show", help="print the ledger of a stored article (or list articles)")
    s.add_argument("article_id", nargs="?")
    s.add_argument("--db", default="sayso.db")
    s.add_argument("--format", choices=["table", "json", "jsonl"], default="table")
    s.set_defaults(func=cmd_show)

    from sayso.export import WRITERS

    x = sub.add_parser("export", help="write the stored ledger as JSON, JSON Lines, CSV or Parquet")
    x.add_argument("--db", default="sayso.db")
    x.add_argument("--format", choices=list(WRITERS), default="jsonl")
    x.add_argument("--out", required=True, help="output file (a folder for parquet)")
    x.set_defaults(func=cmd_export)

    w = sub.add_parser("serve", help="run the web workbench over a store")
    w.add_argument("--db", default="sayso.db")
    w.add_argument("--host", default="127.0.0.1", help="address to bind (default: local only)")
    w.add_argument("--port", type=int, default=8000)
    w.add_argument("--allow-analysis", action="store_true",
                   help="let the browser analyse pasted articles into the store")
    w.set_defaults(func=cmd_serve)

    ev = sub.add_parser("eval", help="score sayso against annotated data")
    from sayso.eval import add_eval_commands

    add_eval_commands(ev.add_subparsers(dest="task", required=True))
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        return 0
    except SchemaVersionError as err:  # a store from a newer sayso: say so, no traceback
        print(f"sayso: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
