"""Evaluations against annotated data: each module adds one `sayso eval TASK` command.

A module listed in EVAL_MODULES defines `add_parser(subparsers)`, which registers its command
and sets `func` to a callable taking the parsed arguments and returning an exit status.
"""

from __future__ import annotations

import argparse
import importlib

EVAL_MODULES: tuple[str, ...] = (
    "sayso.eval.attribution",
    "sayso.eval.quotes",
    "sayso.eval.timeml",
    "sayso.eval.events",
    "sayso.eval.extraction",
    "sayso.eval.geowebnews",
    "sayso.eval.framing",
    "sayso.eval.claims",
    "sayso.eval.voices",
)


def add_engine_argument(parser: argparse.ArgumentParser) -> None:
    """`--engine` for the evals that run the full pipeline, so every eval can be run on each
    attribution engine the pipeline has ("sayso" is its default one)."""
    from sayso.engines import DEFAULT
    from sayso.nlp import ATTRIBUTION_ENGINES

    parser.add_argument("--engine", choices=[DEFAULT, *ATTRIBUTION_ENGINES], default=DEFAULT,
                        help="attribution engine (default: sayso, the pipeline's default engine)")


def add_scoring_arguments(
    parser: argparse.ArgumentParser, what: str = "documents", progress: bool = False
) -> None:
    """`--limit` and `--json` (and `--progress` where documents go through the pipeline one by
    one), the same in every eval so their commands read alike."""
    parser.add_argument("--limit", type=int, help=f"score only the first N {what}")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    if progress:
        parser.add_argument("--progress", action=argparse.BooleanOptionalAction,
                            help="progress bar (default: when stderr is a terminal)")


def add_eval_commands(subparsers: argparse._SubParsersAction) -> None:
    for name in EVAL_MODULES:
        importlib.import_module(name).add_parser(subparsers)
