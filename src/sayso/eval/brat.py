"""Reading brat standoff annotation: `.ann` files beside the `.txt` they annotate.

Only what scoring needs: text-bound annotations (`T` lines, discontinuous spans included) and
events (`E` lines linking a trigger to role arguments); relations, attributes and notes are
skipped. Offsets index the `.txt` file read as-is (no newline translation), which is how brat
counts them, so spans can be compared with offsets into the same text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

Fragments = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class TextBound:
    """A labelled stretch of text; several fragments when the annotation is discontinuous."""

    id: str
    label: str
    fragments: Fragments
    text: str


@dataclass(frozen=True)
class BratEvent:
    """An event: its trigger annotation and its (role, annotation id) arguments in file order.

    Roles keep brat's numbering of repeated arguments ("Content2"), so no argument is lost.
    """

    id: str
    label: str
    trigger: str
    args: tuple[tuple[str, str], ...]


@dataclass
class Standoff:
    """The parsed content of one `.ann` file."""

    spans: dict[str, TextBound] = field(default_factory=dict)
    events: list[BratEvent] = field(default_factory=list)


@dataclass(frozen=True)
class BratDocument:
    """One text and the annotation files made for it, one per annotator, in sorted order."""

    name: str
    text_path: Path
    annotations: tuple[tuple[str, Path], ...]  # (annotator, .ann path)


def parse_fragments(locations: str) -> Fragments:
    """'89 106' or '315 448;463 553' -> ((89, 106), ...), in the order written."""
    return tuple(
        (int(start), int(end))
        for start, end in (part.split() for part in locations.split(";"))
    )


def _text_bound(ann_id: str, middle: str, text: str) -> TextBound:
    label, locations = middle.split(" ", 1)
    return TextBound(ann_id, label, parse_fragments(locations), text)


def _event(ann_id: str, middle: str) -> BratEvent:
    trigger, *args = middle.split()
    label, trigger_id = trigger.split(":", 1)
    return BratEvent(ann_id, label, trigger_id, tuple(tuple(a.split(":", 1)) for a in args))


def parse_ann(source: str) -> Standoff:
    """Parse the text of an `.ann` file; lines of other kinds (R, A, #, ...) are skipped, and so
    are the continuation lines of a span text with a line break in it."""
    standoff = Standoff()
    for line in source.splitlines():
        ann_id, _, rest = line.partition("\t")
        if not ann_id[1:].isdigit():
            continue  # the rest of a span text that held a line break
        if ann_id.startswith("T"):
            middle, _, text = rest.partition("\t")
            standoff.spans[ann_id] = _text_bound(ann_id, middle, text)
        elif ann_id.startswith("E"):
            standoff.events.append(_event(ann_id, rest.strip()))
    return standoff


def read_text(path: Path) -> str:
    """A text exactly as stored (newline="" keeps '\\r\\n' so brat offsets still line up)."""
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def read_ann(path: Path) -> Standoff:
    return parse_ann(read_text(path))


def find_documents(directory: Path, ann_folder: str) -> list[BratDocument]:
    """Texts in DIR/text/NAME.txt with annotations in DIR/ANN_FOLDER/NAME_ANNOTATOR.ann.

    A file named NAME.ann (no annotator suffix) counts as annotator "". Texts without any
    annotation file are left out: nothing says whether they hold no relations or were skipped.
    """
    texts = {p.stem: p for p in sorted((directory / "text").glob("*.txt"))}
    found: dict[str, list[tuple[str, Path]]] = {}
    for ann in sorted((directory / ann_folder).glob("*.ann")):
        name, _, annotator = ann.stem.rpartition("_")
        if ann.stem in texts or name not in texts:
            name, annotator = ann.stem, ""
        if name in texts:
            found.setdefault(name, []).append((annotator, ann))
    return [BratDocument(n, texts[n], tuple(sorted(anns))) for n, anns in sorted(found.items())]
