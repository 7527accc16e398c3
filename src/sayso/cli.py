"""The `sayso` command line: analyze, show, eval, export, serve."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from sayso import __version__
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
    print(json.dumps({"error": err.error, "origin": err.origin, "message": err.message}),
          file=sys.stderr)


def cmd_analyze(args: argparse.Namespace) -> int:
    """Ingest every input, analyse what is new, print or store it; exit status = failures."""
    from tqdm import tqdm

    from sayso.ingest import read_inputs
    from sayso.pipeline import analyze_documents

    store = None
    if args.db:
        from sayso.store import open_store

        store = open_store(args.db)
    failed = skipped = done = 0
    show_progress = not args.no_progress and sys.stderr.isatty() or args.progress
    bar = tqdm(desc="analyze", unit="doc", disable=not show_progress, file=sys.stderr)

    def documents() -> Iterator[Document]:
        nonlocal failed, skipped
        for item in read_inputs(args.inputs):
            bar.update(0)
            if isinstance(item, IngestError):
                failed += 1
                bar.update(1)
                _report_error(item)
                if store is not None:
                    store.record_error(item)
                continue
            if store is not None and store.has_article(item.article.id):
                skipped += 1
                bar.update(1)
                continue
            yield item

    for analysis in analyze_documents(documents(), batch_size=args.batch_size, engine=args.engine):
        done += 1
        bar.update(1)
        if store is not None:
            store.save(analysis)
        if store is None or args.format != "table" or args.print:
            _emit(analysis, args.format)
    bar.close()
    if store is not None:
        store.close()
    print(f"analyzed {done}, skipped {skipped} already stored, failed {failed}", file=sys.stderr)
    return min(failed, 100)


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

    app = create_app(args.db, allow_analysis=args.allow_analysis)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


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
