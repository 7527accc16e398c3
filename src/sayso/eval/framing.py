"""`sayso eval framing --ptc DIR`: loaded spans scored against PTC (SemEval-2020 Task 11).

PTC marks propaganda techniques as character spans (`articles/articleID.txt`,
`labels/articleID.task2-TC.labels`: `ID  TECHNIQUE  START  END`). Scored as Task 11 scores span
identification (its task-SI scorer): overlapping spans of one side are merged, and with S the
predicted and T the gold spans, P = sum over s, t of |s & t| / |s|, divided by |S|, and R = the
same sum of |s & t| / |t|, divided by |T|; so a span that covers half a gold span earns half of
it. Per technique the same, on that technique's spans alone; overall, on the spans of the
techniques sayso tags, merged across them. The lexicon baseline goes through the same scorer.

Articles are split deterministically by id: crc32(id) mod 3 == 0 is held out (about a third,
never trained on by scripts/train_framing.py); the rest is the training part. Only spaCy and
`sayso_framing` run (no statements are found, so every span is in the outlet's voice, which PTC
does not score); there is no `--engine`, since the attribution engine cannot change the spans.
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

# PTC's technique names in sayso's snake_case (those sayso tags are TAGGED below).
PTC_TECHNIQUES = {
    "Loaded_Language": "loaded_language",
    "Name_Calling,Labeling": "name_calling",
    "Repetition": "repetition",
    "Exaggeration,Minimisation": "exaggeration",
    "Doubt": "doubt",
    "Appeal_to_fear-prejudice": "appeal_to_fear",
    "Flag-Waving": "flag_waving",
    "Causal_Oversimplification": "causal_oversimplification",
    "Appeal_to_Authority": "appeal_to_authority",
    "Slogans": "slogans",
    "Black-and-White_Fallacy": "black_and_white",
    "Whataboutism,Straw_Men,Red_Herring": "whataboutism",
    "Bandwagon,Reductio_ad_hitlerum": "bandwagon",
    "Thought-terminating_Cliches": "thought_terminating_cliche",
}
SPLITS = ("heldout", "train", "all")
Interval = tuple[int, int]


@dataclass
class PtcArticle:
    id: str
    text: str
    spans: list[tuple[int, int, str]]  # start, end, sayso technique


def split_of(article_id: str) -> str:
    """'heldout' for about a third of the articles (crc32 of the id mod 3 == 0), else 'train'."""
    return "heldout" if zlib.crc32(article_id.encode()) % 3 == 0 else "train"


def read_ptc(folder: Path, split: str = "all", limit: int | None = None) -> list[PtcArticle]:
    """The PTC articles of one split, sorted by id, with their gold spans."""
    articles = []
    for path in sorted((folder / "articles").glob("article*.txt")):
        aid = path.stem.removeprefix("article")
        if split != "all" and split_of(aid) != split:
            continue
        labels = folder / "labels" / f"article{aid}.task2-TC.labels"
        spans = []
        if labels.exists():
            for line in labels.read_text(encoding="utf-8").splitlines():
                _, technique, start, end = line.split("\t")
                spans.append((int(start), int(end), PTC_TECHNIQUES.get(technique, technique)))
        articles.append(PtcArticle(aid, path.read_text(encoding="utf-8"), spans))
    return articles[:limit]


def merge(spans: Iterable[Interval]) -> list[Interval]:
    """Overlapping spans merged into one, as the task's scorer does."""
    merged: list[Interval] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@dataclass
class SpanScore:
    """The SemEval-2020 Task 11 span-identification sums for one technique (or all)."""

    predicted: int = 0
    gold: int = 0
    precision_sum: float = 0.0
    recall_sum: float = 0.0

    def add(self, predicted: Iterable[Interval], gold: Iterable[Interval]) -> None:
        """Add one article's spans (each side merged first)."""
        pred, true = merge(predicted), merge(gold)
        self.predicted += len(pred)
        self.gold += len(true)
        for s in pred:
            for t in true:
                overlap = min(s[1], t[1]) - max(s[0], t[0])
                if overlap > 0:
                    self.precision_sum += overlap / (s[1] - s[0])
                    self.recall_sum += overlap / (t[1] - t[0])

    def scores(self) -> dict[str, float | int]:
        p = self.precision_sum / self.predicted if self.predicted else 0.0
        r = self.recall_sum / self.gold if self.gold else 0.0
        f1 = 2 * p * r / (p + r) if p and r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4),
                "predicted": self.predicted, "gold": self.gold}


@dataclass
class Scoreboard:
    """Span scores per technique and overall, for one system."""

    techniques: tuple[str, ...]
    by: dict[str, SpanScore] = field(default_factory=dict)

    def add(self, predicted: list[tuple[int, int, str]], gold: list[tuple[int, int, str]]) -> None:
        for technique in (*self.techniques, "overall"):
            keep = self.techniques if technique == "overall" else (technique,)
            self.by.setdefault(technique, SpanScore()).add(
                [(s, e) for s, e, t in predicted if t in keep],
                [(s, e) for s, e, t in gold if t in keep])

    def report(self) -> dict[str, dict[str, float | int]]:
        return {name: score.scores() for name, score in self.by.items()}


def tagged_spans(texts: Iterable[str]) -> Iterator[tuple[list, list]]:
    """(model spans, lexicon spans) per text, as (start, end, technique) character spans, from
    spaCy and `sayso_framing` only."""
    from sayso.model import Article
    from sayso.nlp import load_pipeline, make_doc
    from sayso.nlp.framing.tagger import lexicon_found

    nlp = load_pipeline()
    keep = [n for n in nlp.pipe_names if not n.startswith("sayso_") or n == "sayso_framing"]
    with nlp.select_pipes(enable=keep):
        for doc in nlp.pipe(make_doc(nlp, Article(text=t)) for t in texts):
            model = [(f.start, f.end, f.technique) for f in doc._.framing]
            lexicon = [(doc[f.start].idx, doc[f.end - 1].idx + len(doc[f.end - 1]), f.technique)
                       for f in lexicon_found(doc)]
            yield model, lexicon


def evaluate(folder: Path, split: str = "heldout", limit: int | None = None,
             progress: bool | None = None) -> dict:
    from tqdm import tqdm

    from sayso.nlp.framing.tagger import framing_model

    techniques = tuple(framing_model().techniques)
    articles = read_ptc(folder, split, limit)
    model, lexicon = Scoreboard(techniques), Scoreboard(techniques)
    bar = tqdm(tagged_spans(a.text for a in articles), total=len(articles), desc="eval framing",
               unit="doc", disable=None if progress is None else not progress, file=sys.stderr)
    for article, (found, listed) in zip(articles, bar, strict=True):
        model.add(found, article.spans)
        lexicon.add(listed, article.spans)
    return {"split": split, "split_rule": "held out: crc32(article id) mod 3 == 0",
            "articles": len(articles), "techniques": list(techniques),
            "model": model.report(), "lexicon": lexicon.report()}


def format_table(report: dict) -> str:
    lines = [f"PTC {report['split']} split ({report['split_rule']}): {report['articles']} articles",
             f"{'':<17}{'model P':>9}{'R':>7}{'F1':>7}{'lexicon P':>12}{'R':>7}{'F1':>7}"
             f"{'gold':>7}"]
    for name in (*report["techniques"], "overall"):
        m, b = report["model"][name], report["lexicon"][name]
        cells = "".join(f"{s['precision'] * 100:{w}.1f}{s['recall'] * 100:7.1f}"
                        f"{s['f1'] * 100:7.1f}" for w, s in ((9, m), (12, b)))
        lines.append(f"{name:<17}{cells}{m['gold']:>7}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    folder = Path(args.ptc)
    if not (folder / "articles").is_dir():
        print(f"{folder} needs an articles/ folder (and labels/)", file=sys.stderr)
        return 2
    report = evaluate(folder, args.split, args.limit, args.progress)
    print(json.dumps(report, indent=1) if args.json else format_table(report))
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    from sayso.eval import add_scoring_arguments

    p = subparsers.add_parser("framing", help="loaded spans against PTC (SemEval-2020 Task 11)")
    p.add_argument("--ptc", required=True, help="folder with articles/ and labels/")
    p.add_argument("--split", choices=SPLITS, default="heldout",
                   help="articles scored (default: heldout, the third never trained on)")
    add_scoring_arguments(p, "articles (sorted by id)", progress=True)
    p.set_defaults(func=run)
