"""`sayso eval attribution`: score an attribution engine on PolNeAR-style brat data.

Gold: every `E` event whose label starts with "Attribution" (PolNeAR also has
"Attribution-no-source") becomes a frame of three spans, cue, source and content; repeated roles
("Content2") join their role's fragments. Predictions: each engine `Attribution` becomes a frame
the same way, a content with `parts` as those fragments. Every span is a set of fragments,
trimmed of surrounding whitespace.

Matching, for a predicted frame P and a gold frame G:

- *aligned*: the cues of P and G overlap (share a character); when either has no cue, their
  contents overlap instead.
- cue, exact / overlap: the cues are identical / overlap.
- source and content, exact / overlap: P and G are aligned and that role's spans are
  identical / overlap. Only frames that have the role count (a gold attribution without source
  adds nothing to source recall).
- attribution, exact: cue, source and content all identical (no source on either side is
  identical). Attribution, overlap: all three overlap (no source on either side counts).

Precision is the share of predicted frames that match some gold frame, recall the share of gold
frames that some predicted frame matches (as in BBC Citron's evaluation), micro-averaged over
documents. Overlap here counts matches; Citron's "overlap" instead weighs matched tokens.

Only top-level statements (no parent) are scored: PolNeAR frames a reported statement inside
another one only sometimes, so a nested statement would count against an engine for finding what
the annotators left out. Nested statements are reported apart, as information: how many were
predicted and how many have a cue overlapping some gold cue.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sayso.eval.brat import BratDocument, Fragments, Standoff, find_documents, read_ann, read_text
from sayso.model import Article, Attribution, Span

ROLES = ("cue", "source", "content")
TARGETS = (*ROLES, "attribution")
MODES = ("exact", "overlap")


@dataclass(frozen=True)
class Frame:
    """One attribution reduced to what is scored: the fragments of each role (empty if absent)."""

    cue: Fragments
    source: Fragments
    content: Fragments


def trim(text: str, fragments: Iterable[tuple[int, int]]) -> Fragments:
    """Fragments without surrounding whitespace, empty ones dropped, sorted and deduplicated."""
    kept = set()
    for start, end in fragments:
        piece = text[start:end]
        start += len(piece) - len(piece.lstrip())
        end -= len(piece) - len(piece.rstrip())
        if start < end:
            kept.add((start, end))
    return tuple(sorted(kept))


def gold_frames(text: str, standoff: Standoff) -> list[Frame]:
    """The attribution events of one annotation file as frames."""
    frames = []
    for event in standoff.events:
        if not event.label.startswith("Attribution"):
            continue
        roles: dict[str, list[tuple[int, int]]] = {role: [] for role in ROLES}
        for role, ann_id in event.args:
            base = role.rstrip("0123456789").lower()
            if base in roles and ann_id in standoff.spans:
                roles[base].extend(standoff.spans[ann_id].fragments)
        frames.append(Frame(*(trim(text, roles[role]) for role in ROLES)))
    return frames


def predicted_frame(text: str, attribution: Attribution) -> Frame:
    def frags(span: Span | None) -> Fragments:
        return trim(text, [(span.start, span.end)] if span else [])

    content = attribution.content
    parts = getattr(content, "parts", None)  # a quote interrupted by its cue: the pieces only
    said = trim(text, [(p.start, p.end) for p in parts]) if parts else frags(content)
    return Frame(frags(attribution.cue), frags(attribution.source), said)


def overlaps(a: Fragments, b: Fragments) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def same_or_overlapping(exact: bool) -> Callable[[Fragments, Fragments], bool]:
    return (lambda a, b: a == b) if exact else overlaps


def aligned(p: Frame, g: Frame) -> bool:
    if p.cue and g.cue:
        return overlaps(p.cue, g.cue)
    return overlaps(p.content, g.content)


def matcher(target: str, mode: str) -> Callable[[Frame, Frame], bool]:
    """The predicate deciding whether predicted frame P matches gold frame G (module docstring)."""
    compare = same_or_overlapping(mode == "exact")
    if target == "cue":
        return lambda p, g: compare(p.cue, g.cue)
    if target in ROLES:
        return lambda p, g: aligned(p, g) and compare(getattr(p, target), getattr(g, target))

    def whole(p: Frame, g: Frame) -> bool:
        sources = (not p.source and not g.source) or compare(p.source, g.source)
        return compare(p.cue, g.cue) and sources and compare(p.content, g.content)

    return whole


@dataclass
class Tally:
    """Counts behind precision (predicted frames matched) and recall (gold frames matched)."""

    predicted: int = 0
    predicted_matched: int = 0
    gold: int = 0
    gold_matched: int = 0

    def add(self, pred: list[Frame], gold: list[Frame], match: Callable[[Frame, Frame], bool]):
        self.predicted += len(pred)
        self.gold += len(gold)
        self.predicted_matched += sum(any(match(p, g) for g in gold) for p in pred)
        self.gold_matched += sum(any(match(p, g) for p in pred) for g in gold)

    def scores(self) -> dict[str, float]:
        p = self.predicted_matched / self.predicted if self.predicted else 0.0
        r = self.gold_matched / self.gold if self.gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": p, "recall": r, "f1": f1}


def _having(target: str, frames: list[Frame]) -> list[Frame]:
    """The frames a target is scored on: for a role, only those that have it."""
    return [f for f in frames if getattr(f, target)] if target in ROLES else frames


@dataclass
class Report:
    engine: str
    documents: int = 0
    gold: int = 0
    predicted: int = 0
    nested: int = 0  # predicted statements with a parent, left out of the scores
    nested_matched: int = 0  # of those, the ones whose cue overlaps some gold cue
    several_annotators: list[str] = field(default_factory=list)
    tallies: dict[str, dict[str, Tally]] = field(
        default_factory=lambda: {t: {m: Tally() for m in MODES} for t in TARGETS}
    )

    def add(self, pred: list[Frame], gold: list[Frame]) -> None:
        """Score one document's frames into the running totals."""
        self.documents += 1
        self.gold += len(gold)
        self.predicted += len(pred)
        for target, by_mode in self.tallies.items():
            scored = _having(target, pred), _having(target, gold)
            for mode, tally in by_mode.items():
                tally.add(*scored, matcher(target, mode))

    def add_nested(self, pred: list[Frame], gold: list[Frame]) -> None:
        """Count one document's nested statements, and those with a cue on a gold cue."""
        on_cue = matcher("cue", "overlap")
        self.nested += len(pred)
        self.nested_matched += sum(any(on_cue(p, g) for g in gold) for p in pred)

    def to_dict(self) -> dict:
        return {
            "engine": self.engine,
            "documents": self.documents,
            "gold_attributions": self.gold,
            "predicted_attributions": self.predicted,
            "nested_predicted": self.nested,
            "nested_matched_cue": self.nested_matched,
            "several_annotators": self.several_annotators,
            "scores": {
                t: {m: {**tally.scores(), **asdict(tally)} for m, tally in by_mode.items()}
                for t, by_mode in self.tallies.items()
            },
        }


def gold_documents(documents: list[BratDocument]) -> Iterator[tuple[Article, list[Frame]]]:
    """Each text as an Article (raw, offsets intact) with the first annotator's frames."""
    for doc in documents:
        text = read_text(doc.text_path)
        _, ann_path = doc.annotations[0]
        yield Article(id=doc.name, text=text), gold_frames(text, read_ann(ann_path))


def evaluate(directory: Path, engine_name: str, limit: int | None = None,
             progress: bool | None = None, errors=None) -> Report:
    """Run the engine over the brat texts under `directory` and score its top-level statements
    against the gold, counting its nested ones apart; given `errors` (a text stream), write
    there each gold frame no prediction is aligned with and each prediction aligned with none."""
    from tqdm import tqdm

    from sayso.engines import engine_name as resolved
    from sayso.engines import load_engine, run_engine

    documents = find_documents(directory, "attributions")[:limit]
    report = Report(resolved(engine_name))
    report.several_annotators = [d.name for d in documents if len(d.annotations) > 1]
    pairs = list(gold_documents(documents))
    gold = {article.id: frames for article, frames in pairs}
    results = run_engine(load_engine(engine_name), (article for article, _ in pairs),
                         name=engine_name)
    bar = tqdm(results, total=len(documents), desc=f"eval {report.engine}", unit="doc",
               disable=None if progress is None else not progress, file=sys.stderr)
    for article, attributions in bar:
        frames = {top: [predicted_frame(article.text, a) for a in attributions
                        if (a.parent is None) == top] for top in (True, False)}
        report.add(frames[True], gold[article.id])
        if errors is not None:
            errors.write("".join(error_lines(article, frames[True], gold[article.id])))
        report.add_nested(frames[False], gold[article.id])
    return report


def error_lines(article: Article, pred: list[Frame], gold: list[Frame]) -> Iterator[str]:
    """MISS (a gold frame no prediction is aligned with) and EXTRA (a prediction aligned with
    no gold frame), one tab-separated line each with its cue, source and content as written,
    for reading the errors of a dev split."""

    def said(fragments: Fragments) -> str:
        return " … ".join(" ".join(article.text[s:e].split()) for s, e in fragments) or "-"

    for label, frames, others in (("MISS", gold, pred), ("EXTRA", pred, gold)):
        for f in frames:
            if not any(aligned(f, o) for o in others):
                yield "\t".join([article.id, label, *(said(getattr(f, r)) for r in ROLES)]) + "\n"


def format_table(report: Report) -> str:
    """The scores as a plain-text table, with the counts behind them."""
    lines = [
        f"engine {report.engine}: {report.documents} documents, "
        f"{report.gold} gold and {report.predicted} predicted top-level attributions",
        f"{'':<12}{'exact P':>9}{'R':>7}{'F1':>7}{'overlap P':>12}{'R':>7}{'F1':>7}",
    ]
    for target, by_mode in report.tallies.items():
        cells = "".join(
            f"{s['precision'] * 100:{w}.1f}{s['recall'] * 100:7.1f}{s['f1'] * 100:7.1f}"
            for w, s in ((9, by_mode["exact"].scores()), (12, by_mode["overlap"].scores()))
        )
        lines.append(f"{target:<12}{cells}")
    lines.append(
        f"nested statements (not scored above): {report.nested} predicted, "
        f"{report.nested_matched} with a cue overlapping a gold cue"
    )
    if report.several_annotators:
        lines.append(
            f"{len(report.several_annotators)} documents have several annotators; "
            "scored against the first in sorted order"
        )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    directory = Path(args.brat)
    if not (directory / "text").is_dir() or not (directory / "attributions").is_dir():
        print(f"{directory} needs text/ and attributions/ folders", file=sys.stderr)
        return 2
    report = evaluate(directory, args.engine, args.limit, args.progress,
                      sys.stderr if args.errors else None)
    print(json.dumps(report.to_dict(), indent=1) if args.json else format_table(report))
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    from sayso.engines import DEFAULT, ENGINES
    from sayso.eval import add_scoring_arguments

    p = subparsers.add_parser("attribution", help="attribution spans on brat data (PolNeAR)")
    p.add_argument("--brat", required=True, help="folder with text/ and attributions/")
    p.add_argument("--engine", choices=sorted([*ENGINES, DEFAULT]), default=DEFAULT,
                   help="attribution engine (default: sayso, the pipeline's default engine)")
    p.add_argument("--errors", action="store_true",
                   help="write each missed and each unmatched statement to stderr")
    add_scoring_arguments(p, progress=True)
    p.set_defaults(func=run)
