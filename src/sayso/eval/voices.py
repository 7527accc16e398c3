"""`sayso eval voices`: how much of what sayso calls the outlet's own voice is attributed.

On PolNeAR-style brat data (text/ and attributions/), the full pipeline runs over each raw text
(offsets intact) and its `assertions`, the stretches it puts in the outlet's own voice, are laid
over the gold attribution spans (source, cue and content of every attribution, first annotator):

- `attributed_chars`: the share of assertion characters inside some gold span (lower is better);
- `attributed_assertions`: the share of assertions touching a gold span.

The workbench's former measure, whole sentences touching no statement, is scored the same way
beside it (`sentences`), so the two can be compared on one run.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from sayso.eval.attribution import gold_frames
from sayso.eval.brat import find_documents, read_ann, read_text
from sayso.model import Article, Span


@dataclass
class Tally:
    """Characters and pieces of one kind of outlet-voice span, and how many are attributed."""

    pieces: int = 0
    touching: int = 0
    chars: int = 0
    attributed: int = 0

    def add(self, spans: list[Span], gold: list[bool]) -> None:
        for s in spans:
            inside = sum(gold[s.start:s.end])
            self.pieces += 1
            self.touching += inside > 0
            self.chars += s.end - s.start
            self.attributed += inside

    def scores(self) -> dict[str, float]:
        return {"attributed_chars": round(self.attributed / self.chars, 4) if self.chars else 0.0,
                "attributed_assertions": round(self.touching / self.pieces, 4)
                if self.pieces else 0.0}


def gold_mask(text: str, ann: Path) -> list[bool]:
    mask = [False] * len(text)
    for frame in gold_frames(text, read_ann(ann)):
        for start, end in (*frame.source, *frame.cue, *frame.content):
            mask[start:end] = [True] * (end - start)
    return mask


def evaluate(directory: Path, limit: int | None = None, progress: bool | None = None) -> dict:
    from tqdm import tqdm

    from sayso.nlp import DEFAULT_ENGINE, load_pipeline, make_doc
    from sayso.pipeline import analysis_of
    from sayso.web.markup import statement_free_sentences

    nlp = load_pipeline(DEFAULT_ENGINE)
    documents = find_documents(directory, "attributions")[:limit]
    tallies = {"assertions": Tally(), "sentences": Tally()}
    for doc in tqdm(documents, desc="eval voices", unit="doc", file=sys.stderr,
                    disable=None if progress is None else not progress):
        text = read_text(doc.text_path)
        gold = gold_mask(text, doc.annotations[0][1])
        analysis = analysis_of(nlp(make_doc(nlp, Article(id=doc.name, text=text))))
        tallies["assertions"].add(list(analysis.assertions), gold)
        former = statement_free_sentences(analysis)["sentences"]
        tallies["sentences"].add([Span(**s) for s in former], gold)
    return {"documents": len(documents),
            **{k: {**asdict(t), **t.scores()} for k, t in tallies.items()}}


def format_table(report: dict) -> str:
    lines = [f"{report['documents']} documents",
             f"{'':<12}{'pieces':>8}{'chars':>9}{'attributed chars':>18}{'touching gold':>15}"]
    for name in ("assertions", "sentences"):
        r = report[name]
        share, touching = r["attributed_chars"] * 100, r["attributed_assertions"] * 100
        lines.append(f"{name:<12}{r['pieces']:>8}{r['chars']:>9}{share:>17.1f}%{touching:>14.1f}%")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    directory = Path(args.polnear)
    if not (directory / "text").is_dir() or not (directory / "attributions").is_dir():
        print(f"{directory} needs text/ and attributions/ folders", file=sys.stderr)
        return 2
    report = evaluate(directory, args.limit, args.progress)
    print(json.dumps(report, indent=1) if args.json else format_table(report))
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    from sayso.eval import add_scoring_arguments

    p = subparsers.add_parser("voices", help="outlet's own voice against gold attributions "
                                             "(PolNeAR)")
    p.add_argument("--polnear", required=True, help="folder with text/ and attributions/")
    add_scoring_arguments(p, progress=True)
    p.set_defaults(func=run)
