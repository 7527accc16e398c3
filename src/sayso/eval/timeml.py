"""`sayso eval times --timeml DIR`: time expressions scored against TimeML (.tml) documents.

The document creation time (the TIMEX3 with functionInDocument="CREATION_TIME") is given to
the pipeline as the publication date; the gold expressions are the TIMEX3 inside <TEXT>.
Scores follow TempEval-3: extraction P/R/F1 strict (same span) and relaxed (overlap), value
and type accuracy over the relaxed matches, and value F1 (a value counts when its span
overlaps a gold one and the values are equal).
"""

from __future__ import annotations

import argparse
import json
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from sayso.model import Article, Document, TimeExpr


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


def score(directory: Path, limit: int | None, errors: list[dict]) -> dict:
    from sayso.pipeline import analyze_documents

    files = sorted(directory.glob("*.tml"))[:limit]
    docs = [read_timeml(f) for f in files]
    documents = [Document(Article(text=text, published=dct), origin=str(f))
                 for f, (text, dct, _) in zip(files, docs, strict=True)]
    n_gold = n_pred = strict = relaxed = values = types = 0
    for f, (_, _, gold), analysis in zip(files, docs, analyze_documents(documents), strict=True):
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
        "documents": len(files), "gold": n_gold, "predicted": n_pred,
        "strict": prf(strict, n_pred, n_gold), "relaxed": prf(relaxed, n_pred, n_gold),
        "value_accuracy": round(values / relaxed, 4) if relaxed else 0.0,
        "type_accuracy": round(types / relaxed, 4) if relaxed else 0.0,
        "value": prf(values, n_pred, n_gold),
    }


def run(args: argparse.Namespace) -> int:
    errors: list[dict] = []
    result = score(Path(args.timeml), args.limit, errors)
    print(json.dumps(result, indent=1))
    if args.errors:
        with open(args.errors, "w", encoding="utf-8") as out:
            out.writelines(json.dumps(e, ensure_ascii=False) + "\n" for e in errors)
        print(f"{len(errors)} value errors written to {args.errors}", file=sys.stderr)
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("times", help="time expressions against TimeML (.tml) documents")
    p.add_argument("--timeml", required=True, help="folder of .tml files (e.g. TimeBank)")
    p.add_argument("--limit", type=int, help="score only the first N documents")
    p.add_argument("--errors", help="write the value mismatches here as JSON Lines")
    p.set_defaults(func=run)
