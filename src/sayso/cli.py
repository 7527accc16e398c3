"""The `sayso` command line: analyze, show, eval, export, serve."""

from __future__ import annotations

import argparse
import json
import os
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
    or an interrupt stops it (see the exit statuses above). With --db the batch is a run with a
    manifest (sayso.run.manifest): a rerun of the same inputs reads only the shards not done."""
    from sayso.ingest import read_inputs
    from sayso.ingest.checks import Limits, error_record
    from sayso.ingest.sources import count_inputs
    from sayso.run.progress import Progress
    from sayso.run.workers import analyze_stream, workers_for

    store = run = None
    if args.db:
        from sayso.run.manifest import Run
        from sayso.store import open_store

        try:
            store = open_store(args.db)
            run = Run(store, args.inputs, args.engine, args.workers)
        except SchemaVersionError:
            raise
        except Exception as exc:
            print(f"sayso: cannot open the store {args.db}: {exc}", file=sys.stderr)
            return EXIT_STORE_FAILED
    limits = Limits(max_bytes=args.max_bytes, max_line=args.max_line,
                    max_decompressed=args.max_decompressed, max_depth=args.max_depth)
    given = {k: v for k in ("url", "published") if (v := getattr(args, k))}
    origins: dict[str, str] = {}  # article id -> where it came from, until it is stored
    shards = run.todo if run else None
    inputs = [s.name for s in shards] if shards is not None else args.inputs
    show_progress = args.progress or (not args.no_progress and args.verbosity > QUIET
                                      and sys.stderr.isatty())
    total = count_inputs(inputs)
    workers = workers_for(args.workers, total, args.batch_size)
    progress = Progress(show_progress, total if show_progress else None)
    if run:
        progress.counts.update({k: progress.counts[k] + v for k, v in run.carried.items()})
    if run and run.skipped_shards and args.verbosity > QUIET:
        progress.write(f"sayso: resuming run {run.id}: {run.skipped_shards} of "
                       f"{len(run.shards)} inputs already done")

    def note(message: str) -> None:
        """A line for --verbose, written above the progress bar."""
        if args.verbosity >= VERBOSE:
            progress.write(f"sayso: {message}")

    def resolved(origin: str, outcome: str, shard: object = None) -> None:
        progress.add(outcome)
        if run is not None:
            try:
                run.resolved(origin, outcome, shard)
            except Exception as exc:
                raise StoreFailed(f"cannot update the run manifest: {exc}") from exc

    def fail(err: IngestError, shard: object = None) -> None:
        _report_error(err)
        if store is not None:
            try:
                store.record_error(err)
            except Exception as exc:
                raise StoreFailed(f"cannot record an error: {exc}") from exc
        resolved(err.origin, "errors", shard)

    def read(names: list[str]) -> Iterator[tuple[object, Document | IngestError]]:
        """Every item of the inputs, with its shard (None without a store)."""
        if shards is None:
            for item in read_inputs(names, limits):
                yield None, item
            return
        for shard in shards:
            try:
                run.begin(shard)
            except Exception as exc:
                raise StoreFailed(f"cannot update the run manifest: {exc}") from exc
            for item in read_inputs([shard.name], limits):
                yield shard, item
            run.read_all(shard)

    def documents() -> Iterator[Document]:
        for shard, item in read(inputs):
            progress.tick()
            if isinstance(item, IngestError):
                fail(item, shard)
                continue
            if store is not None:
                try:
                    stored = store.has_article(item.article.id)
                except Exception as exc:
                    raise StoreFailed(f"cannot read the store: {exc}") from exc
                if stored:
                    resolved(item.origin, "skipped", shard)
                    note(f"skipped {item.origin}: already stored as {item.article.id}")
                    continue
            origins[item.article.id] = item.origin
            if run is not None:
                run.handed_out(shard, item.origin)
            yield replace(item, article=replace(item.article, **given)) if given else item

    def keep(analysis: Analysis) -> None:
        """Store and print one analysis; if the store refuses only this one, it is a failed
        document, and a store that cannot even record that has failed."""
        origin = origins.pop(analysis.article.id, analysis.article.id)
        outcome = "articles"
        if store is not None:
            try:
                outcome = "articles" if store.save(analysis) else "skipped"
            except Exception as exc:
                fail(error_record(origin, exc, "store"))
                return
        if store is None or args.format != "table" or args.print:
            _emit(analysis, args.format)
        resolved(origin, outcome)
        note(f"analyzed {origin} as {analysis.article.id}: {len(analysis.attributions)} "
             f"statements, {len(analysis.entities)} entities, {len(analysis.events)} events")

    status, run_status = 0, "finished"
    try:
        for analysis in analyze_stream(documents(), workers, args.engine, args.batch_size,
                                       on_error=fail):
            keep(analysis)
    except StoreFailed as exc:
        print(f"sayso: the store {args.db} failed, stopping: {exc.__cause__ or exc}",
              file=sys.stderr)
        status, run_status = EXIT_STORE_FAILED, "failed"
    except KeyboardInterrupt:
        print("sayso: interrupted", file=sys.stderr)
        status, run_status = EXIT_INTERRUPTED, "interrupted"
    except BaseException:
        run_status = "failed"
        raise
    finally:
        _end_run(progress, store, run, run_status)
    if args.verbosity > QUIET:
        print(progress.summary(workers), file=sys.stderr)
    return status or min(progress.counts["errors"], MAX_FAILED_STATUS)


def _end_run(progress: object, store: object, run: object, status: str) -> None:
    """Close the progress bar, mark the run's end in its manifest and close the store; a store
    too broken to take the mark has already said so."""
    progress.close()
    if store is None:
        return
    try:
        run.close(status)
    except Exception as exc:
        print(f"sayso: cannot update the run manifest: {exc}", file=sys.stderr)
    store.close()


def cmd_run(args: argparse.Namespace) -> int:
    """Analyse input shards on a Ray cluster into Parquet or a store (sayso.run.ray_run)."""
    from sayso.ingest.checks import Limits
    from sayso.ingest.sources import count_inputs, expand_inputs
    from sayso.run.progress import Progress
    from sayso.run.ray_run import run_on_ray

    store = run = None
    shards = None
    names = expand_inputs(args.inputs)
    if args.db:
        from sayso.run.manifest import Run
        from sayso.store import open_store

        store = open_store(args.db)
        run = Run(store, args.inputs, args.engine, args.ray_workers or 0)
        shards, names = run.todo, [s.name for s in run.todo]
    show = args.progress or (args.verbosity > QUIET and sys.stderr.isatty())
    progress = Progress(show, count_inputs(names) if show else None, desc="run")
    status = "finished"
    try:
        for result in run_on_ray(args.ray, names, args.engine, args.batch_size, Limits(),
                                 Path(args.out) if args.out else None, args.ray_workers):
            shard = shards[result["shard"]] if shards is not None else None
            _keep_shard(result, shard, run, store, progress)
    except KeyboardInterrupt:
        print("sayso: interrupted", file=sys.stderr)
        status = "interrupted"
    finally:
        _end_run(progress, store, run, status)
    if args.verbosity > QUIET:
        print(progress.summary(args.ray_workers or 1), file=sys.stderr)
    if status == "interrupted":
        return EXIT_INTERRUPTED
    return min(progress.counts["errors"], MAX_FAILED_STATUS)


def _keep_shard(result: dict, shard: object, run: object, store: object,
                progress: object) -> None:
    """One shard's result from Ray: its errors reported (and stored), its analyses stored by
    this one writer, or only counted when the task wrote them to Parquet itself."""
    if run is not None:
        run.begin(shard)
    for data in result["errors"]:
        err = IngestError(**data)
        _report_error(err)
        if store is not None:
            store.record_error(err)
        progress.add("errors")
        if run is not None:
            run.resolved(err.origin, "errors", shard)
    for data in result.get("analyses", []):
        analysis = Analysis.from_dict(data)
        outcome = "articles" if store.save(analysis) else "skipped"
        progress.add(outcome)
        run.resolved(analysis.article.id, outcome, shard)
    for _ in range(0 if "analyses" in result else result["articles"]):
        progress.add("articles")
    if run is not None:
        run.read_all(shard)


def cmd_load(args: argparse.Namespace) -> int:
    """Bring a Parquet run (`sayso run --out DIR`) into a store; what is there is skipped."""
    from sayso.run.ray_run import load_parquet_run
    from sayso.store import open_store

    counts = {"articles": 0, "skipped": 0, "errors": 0}
    with open_store(args.db) as store:
        for item in load_parquet_run(Path(args.folder)):
            if isinstance(item, IngestError):
                store.record_error(item)
                counts["errors"] += 1
            else:
                counts["articles" if store.save(item) else "skipped"] += 1
    if args.verbosity > QUIET:
        print(f"loaded {counts['articles']}, skipped {counts['skipped']} already stored, "
              f"{counts['errors']} error records", file=sys.stderr)
    return 0


def cmd_runs(args: argparse.Namespace) -> int:
    """The runs a store holds, newest first: how far each got, its errors and its speed."""
    from sayso.store import open_store
    from sayso.store.runs import list_runs

    with open_store(args.db, create=args.create) as store:
        rows = list_runs(store, args.limit)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    print(f"{'run':<12}  {'status':<11}  {'started':<25}  {'shards':>9}  {'articles':>8}  "
          f"{'skipped':>7}  {'errors':>6}  {'err%':>5}  {'seconds':>8}  {'art/s':>6}")
    for r in rows:
        print(f"{r['id']:<12}  {r['status']:<11}  {r['started_at']:<25}  "
              f"{r['done']:>4}/{r['shards']:<4}  {r['articles']:>8}  {r['skipped']:>7}  "
              f"{r['errors']:>6}  {r['error_rate']:>5.1%}  {r['seconds']:>8.1f}  "
              f"{r['articles_per_s']:>6.2f}")
    return 0


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
    app = create_app(args.db, allow_analysis=args.allow_analysis, host=args.host,
                     allow_corrections=args.allow_corrections)
    if args.verbosity > QUIET:
        print(f"sayso: serving {args.db} on http://{args.host}:{args.port}", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port,
                log_level="info" if args.verbosity >= VERBOSE else "warning")
    return 0


def cmd_link(args: argparse.Namespace) -> int:
    """Bring reprints and claim matches up to date for the articles stored since the last run."""
    from sayso.store import open_store
    from sayso.store.compare import update

    with open_store(args.db, create=args.create) as store:
        todo = [r["id"] for r in store._rows(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM "
            "article_signatures) ORDER BY id")]
        stats = update(store, todo)
    print(f"sayso: {stats.articles} articles linked: {stats.reprint_pairs} reprint pairs, "
          f"{stats.copies_rewritten} copies rewritten, {stats.statements} statements, "
          f"{stats.claim_matches} claim matches; seconds {stats.seconds}", file=sys.stderr)
    return 0


def cmd_reprints(args: argparse.Namespace) -> int:
    """List origins and their copies, or one article's origin, copies and differences."""
    from sayso.store import open_store
    from sayso.store.compare import reprint_groups, reprint_info

    with open_store(args.db, create=args.create) as store:
        if not args.article_id:
            for g in reprint_groups(store):
                print(f"{g['origin_id']}  {g['copies']:>3} copies  {g['published'] or '?':<16}"
                      f"  {g['site'] or ''}  {g['title'] or ''}")
            return 0
        info = reprint_info(store, args.article_id)
    if args.json:
        print(json.dumps(info, indent=1, ensure_ascii=False))
        return 0
    if not info["copies"]:
        print(f"{args.article_id}: no reprints")
        return 0
    print(f"origin {info['origin']}")
    for c in info["copies"]:
        print(f"  copy {c['article_id']}  {c['published'] or '?'}  {c['site'] or ''}  "
              f"{c['kind']}  similarity {c['similarity']:.2f}")
        for d in c["differences"]:
            text = d["copy_text"] if d["kind"] == "added" else d["origin_text"]
            shown = f"{text[:90]}" if d["kind"] != "headline" else \
                f"{d['origin_text']!r} -> {d['copy_text']!r}"
            print(f"    {d['kind']:<9} {shown}")
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
    a.add_argument("--workers", type=_positive, default=os.cpu_count() or 1, metavar="N",
                   help="worker processes, one pipeline each (default: the number of cores; "
                   "fewer when the inputs hold fewer batches); output is the same for any N")
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

    ray = sub.add_parser("run", parents=[_common()], help="analyse inputs on a Ray cluster",
                         description="Analyse input shards (one file each) on Ray workers, "
                         "into a Parquet folder or a store (docs/scale.md).")
    ray.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders, as for "
                     "analyze; on a cluster, paths every worker can read")
    ray.add_argument("--ray", required=True, metavar="ADDRESS",
                     help="the cluster to join (auto, ray://HEAD:10001), or local to start one "
                     "on this machine")
    ray.add_argument("--ray-workers", type=_positive, metavar="N",
                     help="with --ray local: worker CPUs (default: every core)")
    target = ray.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", metavar="DIR", help="write a Parquet dataset per table here "
                        "(one file per shard), for `sayso load`; on a cluster, shared storage")
    target.add_argument("--db", help="store into this SQLite file or postgresql:// URL")
    ray.add_argument("--engine", choices=ATTRIBUTION_ENGINES, default=DEFAULT_ENGINE,
                     help="how statements are found")
    ray.add_argument("--batch-size", type=_positive, default=16, metavar="N",
                     help="documents the pipeline takes at a time")
    ray.add_argument("--progress", action="store_true",
                     help="show the progress bar even when stderr is not a terminal")
    ray.set_defaults(func=cmd_run)

    ld = sub.add_parser("load", parents=[_common()], help="bring a Parquet run into a store",
                        description="Store the analyses and errors of `sayso run --out DIR`.")
    ld.add_argument("folder", metavar="DIR", help="the folder `sayso run --out` wrote")
    ld.add_argument("--db", default="sayso.db", help="the store: a SQLite file or a "
                    "postgresql:// URL (created if missing)")
    ld.set_defaults(func=cmd_load)

    r = sub.add_parser("runs", parents=[_common(store)], help="list the runs a store holds",
                       description="List the runs of `sayso analyze --db`, newest first, with "
                       "their shards done, counts, error rate and throughput.")
    r.add_argument("--limit", type=_positive, default=50, help="runs to list")
    r.add_argument("--json", action="store_true", help="one JSON list instead of a table")
    r.set_defaults(func=cmd_runs)

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
    w.add_argument("--allow-corrections", action="store_true",
                   help="let the browser merge, rename and split identities")
    w.set_defaults(func=cmd_serve)

    ln = sub.add_parser("link", parents=[_common(store)], help="find reprints and matching "
                        "claims for the articles stored since the last run",
                        description="Across articles: reprint groups (origin and copies) and "
                        "statements carrying the same claim or contradicting it, computed "
                        "for the articles not linked yet.")
    ln.set_defaults(func=cmd_link)
    rp = sub.add_parser("reprints", parents=[_common(store)], help="list reprint origins and "
                        "copies, or one article's with their differences")
    rp.add_argument("article_id", nargs="?", help="an article (origin or copy)")
    rp.add_argument("--json", action="store_true", help="print the article's reprints as JSON")
    rp.set_defaults(func=cmd_reprints)

    from sayso.compare.view import add_commands

    add_commands(sub, _common)  # entities, stories, compare: across articles

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
