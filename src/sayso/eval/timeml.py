"""`sayso eval times --timeml DIR`: time expressions scored against TimeML (.tml) documents.

The document creation time (the TIMEX3 with functionInDocument="CREATION_TIME") is given to
the pipeline as the publication date; the gold expressions are the TIMEX3 inside <TEXT>.
Scores follow TempEval-3: extraction P/R/F1 strict (same span) and relaxed (overlap), value
and type accuracy over the relaxed matches, and value F1 (a value counts when its span
overlaps a gold one and the values are equal). `--engine` picks the pipeline's attribution
engine, so every eval can be run on the same pipeline.
"""

from __future__ import annotations

import argparse
import json
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sayso.engines import DEFAULT
from sayso.eval import add_engine_argument, add_scoring_arguments
from sayso.eval.quotes import HALVES, select
from sayso.model import Analysis, Article, TimeExpr


@dataclass
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str


def read_timeml(path: Path) -> tuple[str, str | None, list[GoldTimex]]:
    """The plain text of <TEXT>, the creation date, and the TIMEX3 with offsets into the text."""
    root = ET.parse(path).getroot()
    dct = next((t.get("value") for t in root.iter("TIMEX3")
                if t.get("functionInDocument") == "CREATION_TIME"), None)
    parts: list[str] = []
    gold: list[GoldTimex] = []

    def walk(node: ET.Element) -> None:
        start = sum(map(len, parts))
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")
        if node.tag == "TIMEX3":
            end = start + len("".join(node.itertext()))
            gold.append(GoldTimex(start, end, "".join(node.itertext()), node.get("type", ""),
                                  node.get("value", "")))

    text_node = root.find("TEXT")
    if text_node is not None:
        walk(text_node)
    return "".join(parts), dct[:10] if dct else None, gold


def match(gold: list[GoldTimex], pred: list[TimeExpr]) -> list[tuple[GoldTimex, TimeExpr]]:
    """One-to-one pairs of overlapping spans, exact spans first."""
    pairs, used = [], set()
    for exact in (True, False):
        for g in gold:
            if any(g is p for p, _ in pairs):
                continue
            for i, p in enumerate(pred):
                same = (p.start, p.end) == (g.start, g.end)
                if i not in used and (same if exact else p.start < g.end and g.start < p.end):
                    pairs.append((g, p))
                    used.add(i)
                    break
    return pairs


def prf(correct: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = correct / n_pred if n_pred else 0.0
    r = correct / n_gold if n_gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def analyses(articles: list[Article], engine: str) -> Iterator[Analysis]:
    """The articles through the full pipeline with the given attribution engine."""
    from sayso.engines import engine_name
    from sayso.nlp import load_pipeline, make_doc
    from sayso.pipeline import add_front_matter, analysis_of

    nlp = load_pipeline(engine_name(engine))
    for doc in nlp.pipe(make_doc(nlp, article) for article in articles):
        analysis = analysis_of(doc)
        add_front_matter(nlp, analysis)
        yield analysis


def score(directory: Path, limit: int | None, errors: list[dict],
          engine: str = DEFAULT, half: str = "all") -> dict:
    """The scores over one half (by a hash of the file name, as `eval quotes --half`) or all."""
    from sayso.engines import engine_name

    files = [directory / name for name in
             select((f.name for f in directory.glob("*.tml")), half, limit)]
    docs = [read_timeml(f) for f in files]
    articles = [Article(text=text, published=dct) for text, dct, _ in docs]
    n_gold = n_pred = strict = relaxed = values = types = 0
    results = analyses(articles, engine)
    for f, (_, _, gold), analysis in zip(files, docs, results, strict=True):
        pairs = match(gold, analysis.times)
        n_gold, n_pred = n_gold + len(gold), n_pred + len(analysis.times)
        strict += sum((g.start, g.end) == (p.start, p.end) for g, p in pairs)
        relaxed += len(pairs)
        values += sum(g.value == p.value for g, p in pairs)
        types += sum(g.type == p.type for g, p in pairs)
        errors.extend({"file": f.name, "text": g.text, "gold": g.value, "got": p.value,
                       "type": g.type, "got_type": p.type, "span": p.text}
                      for g, p in pairs if g.value != p.value)
        matched = {id(g) for g, _ in pairs}
        errors.extend({"file": f.name, "text": g.text, "gold": g.value, "got": None,
                       "type": g.type} for g in gold if id(g) not in matched)
    return {
        "engine": engine_name(engine), "documents": len(files), "gold": n_gold, "predicted": n_pred,
        "strict": prf(strict, n_pred, n_gold), "relaxed": prf(relaxed, n_pred, n_gold),
        "value_accuracy": round(values / relaxed, 4) if relaxed else 0.0,
        "type_accuracy": round(types / relaxed, 4) if relaxed else 0.0,
        "value": prf(values, n_pred, n_gold),
    }


def format_table(result: dict) -> str:
    """The scores as a plain-text table, with the counts behind them."""
    lines = [
        f"engine {result['engine']}: {result['documents']} documents, {result['gold']} gold and "
        f"{result['predicted']} predicted time expressions",
        f"{'':<10}{'P':>7}{'R':>7}{'F1':>7}",
    ]
    for row in ("strict", "relaxed", "value"):
        s = result[row]
        lines.append(f"{row:<10}{s['precision'] * 100:7.1f}{s['recall'] * 100:7.1f}"
                     f"{s['f1'] * 100:7.1f}")
    lines.append(f"over relaxed matches: value accuracy {result['value_accuracy'] * 100:.1f}, "
                 f"type accuracy {result['type_accuracy'] * 100:.1f}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    errors: list[dict] = []
    result = score(Path(args.timeml), args.limit, errors, args.engine, args.half)
    print(json.dumps(result, indent=1) if args.json else format_table(result))
    if args.errors:
        with open(args.errors, "w", encoding="utf-8") as out:
            out.writelines(json.dumps(e, ensure_ascii=False) + "\n" for e in errors)
        print(f"{len(errors)} value errors written to {args.errors}", file=sys.stderr)
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("times", help="time expressions against TimeML (.tml) documents")
    p.add_argument("--timeml", required=True, help="folder of .tml files (e.g. TimeBank)")
    add_engine_argument(p)
    add_scoring_arguments(p)
    p.add_argument("--errors", help="write the value mismatches here as JSON Lines")
    p.add_argument("--half", choices=HALVES, default="all",
                   help="score one half of the documents (by a hash of the file name): tune on "
                        "a, keep b unseen")
    p.set_defaults(func=run)
