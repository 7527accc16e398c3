"""`sayso eval events --plover FILE`: score PLOVER events on the PLOVER gold-standard records.

Gold: each record of PLOVER_GSR_CAMEO.txt (a JSON array) with a sentence `text`, an `event`
label, `source` actors and `target` recipients (each `{actorText, code}`). Its older labels are
mapped to the 16 current types by `plover_mapping.tsv` (documented in docs/events.md);
DOCUMENT records are skipped. Every sentence is analysed alone, as a one-sentence article.

Each system gives one prediction per sentence: a type, actors and recipients, each argument a
(text, code) pair.

- sayso: the full pipeline (its attribution engine chosen by `--engine`); of its events, the
  one whose anchor is highest in the parse tree (the main predicate; ties go to the earliest).
  Its argument texts are the entity's name and its mentions; its code is the first part of
  the entity's `code` (its country, else its sector).
- baseline: the first verb in the sentence whose lemma has a type in a plain verb -> type table
  (the first row per lemma of sayso's own verb lexicon, with none of its conditions); actor =
  the text of that verb's subject, recipient = the text of its direct object; no codes.

Scores, over the gold records:

- type accuracy: the share of sentences whose predicted type is the gold type (a sentence
  with no prediction counts as wrong);
- actor / recipient accuracy: over the records that have gold actors / recipients, the share
  where some predicted argument matches some gold one. An argument matches when one
  normalised text (lower case, no leading "the", no possessive "'s") contains the other as
  whole words, or when its code equals the gold code and that code tells the two sides
  apart: where a record's gold actors and recipients share a code ("Sudanese rebels attacked
  Juba", both SDN), a code match would score a swapped actor and recipient as right, so only
  the texts count there. The predicted code is the first part of the entity's actor code
  (its country, else its sector, e.g. IGO); three gold codes that are not ISO 3166 (JAP,
  ITL, VTN, though the readme says the records use ISO codes) are read as the ISO ones.

`--split dev|heldout|all`: the records are split in two halves by a hash of their id (stable
across runs and files), a dev half to tune the coder on and a held-out half to confirm on.
`--verbose` lists the dev records sayso gets wrong (which of type, actor and recipient, with
gold and predicted arguments); it refuses the other splits, so held-out errors stay unseen.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, Token

from sayso.engines import DEFAULT
from sayso.eval import add_engine_argument, add_scoring_arguments

MAPPING = Path(__file__).with_name("plover_mapping.tsv")

Arg = tuple[str, "str | None"]  # (text, code)
SPLITS = ("dev", "heldout", "all")
# Gold codes that are not ISO 3166 alpha-3, though the readme says the records use ISO codes.
_GOLD_CODE_ALIASES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}


@dataclass
class Record:
    """One gold sentence, reduced to what is scored."""

    id: str
    text: str
    type: str
    actors: list[Arg] = field(default_factory=list)
    recipients: list[Arg] = field(default_factory=list)


@dataclass
class Prediction:
    type: str | None = None
    actors: list[Arg] = field(default_factory=list)
    recipients: list[Arg] = field(default_factory=list)
    confidence: float | None = None


def label_mapping() -> dict[str, str]:
    """Old PLOVER label -> current type."""
    rows = (line.split("\t") for line in MAPPING.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#"))
    return {old: new for old, new, _mode in rows}


def _args(value: object) -> list[Arg]:
    """Actors of a gold field: a list of {actorText, code}, or "" when absent."""
    if not isinstance(value, list):
        return []
    return [(a.get("actorText", ""), _GOLD_CODE_ALIASES.get(a.get("code"), a.get("code")))
            for a in value if isinstance(a, dict)]


def _uncoded(args: list[Arg], shared: set[str | None]) -> list[Arg]:
    """The arguments with a code shared by both sides of the record left out."""
    return [(text, None if code in shared else code) for text, code in args]


def load_gold(path: Path) -> list[Record]:
    mapping = label_mapping()
    records = []
    for rec in json.loads(path.read_text(encoding="utf-8")):
        label = rec.get("event")
        if label not in mapping or not rec.get("text"):
            continue
        actors, recipients = _args(rec.get("source")), _args(rec.get("target"))
        shared = {c for _, c in actors} & {c for _, c in recipients} - {None}
        records.append(Record(rec["id"], rec["text"], mapping[label],
                              _uncoded(actors, shared), _uncoded(recipients, shared)))
    return records


def in_split(record: Record, split: str) -> bool:
    """Whether a record falls in a split: the parity of a hash of its id, so the halves are
    the same on every run and do not follow the file's order (which is by type)."""
    if split == "all":
        return True
    half = hashlib.sha1(record.id.encode("utf-8")).digest()[0] % 2
    return half == (0 if split == "dev" else 1)


# --- matching -----------------------------------------------------------------------------


def _norm(text: str) -> str:
    text = re.sub(r"['’]s\b", "", text.lower())
    text = re.sub(r"[^\w\s-]", " ", text)
    return " ".join(w for w in text.split() if w != "the")


def _contains(outer: str, inner: str) -> bool:
    return bool(inner) and f" {inner} " in f" {outer} "


def arg_match(pred: Arg, gold: Arg) -> bool:
    if pred[1] and gold[1] and pred[1].upper() == gold[1].upper():
        return True
    p, g = _norm(pred[0]), _norm(gold[0])
    return _contains(p, g) or _contains(g, p)


def args_match(pred: list[Arg], gold: list[Arg]) -> bool:
    return any(arg_match(p, g) for p in pred for g in gold)


@dataclass
class Score:
    n: int = 0
    type_ok: int = 0
    actor_n: int = 0
    actor_ok: int = 0
    recipient_n: int = 0
    recipient_ok: int = 0
    by_type: Counter = field(default_factory=Counter)  # gold type -> correct
    gold_types: Counter = field(default_factory=Counter)
    by_confidence: Counter = field(default_factory=Counter)  # (confidence, type right) -> n

    def add(self, gold: Record, pred: Prediction) -> None:
        self.n += 1
        self.gold_types[gold.type] += 1
        if pred.type is not None:
            self.by_confidence[pred.confidence, pred.type == gold.type] += 1
        if pred.type == gold.type:
            self.type_ok += 1
            self.by_type[gold.type] += 1
        if gold.actors:
            self.actor_n += 1
            self.actor_ok += args_match(pred.actors, gold.actors)
        if gold.recipients:
            self.recipient_n += 1
            self.recipient_ok += args_match(pred.recipients, gold.recipients)

    def summary(self) -> dict[str, float | int]:
        def pct(k: int, n: int) -> float:
            return round(100 * k / n, 1) if n else 0.0

        return {"records": self.n, "type_accuracy": pct(self.type_ok, self.n),
                "actor_accuracy": pct(self.actor_ok, self.actor_n), "actor_records": self.actor_n,
                "recipient_accuracy": pct(self.recipient_ok, self.recipient_n),
                "recipient_records": self.recipient_n}


# --- systems ------------------------------------------------------------------------------


def _depth(tok: Token) -> int:
    return sum(1 for _ in tok.ancestors)


def sayso_prediction(doc: Doc) -> Prediction:
    """The main event of the sentence: the one whose anchor sits highest in the parse."""
    events = doc._.events or []
    if not events:
        return Prediction()

    def height(event) -> tuple[int, int]:
        span = doc.char_span(event.anchor.start, event.anchor.end, alignment_mode="expand")
        return (_depth(span.root) if span is not None else 99, event.anchor.start)

    main = min(events, key=height)
    entities = {e.id: e for e in doc._.entities or []}

    def args(ids: list[str]) -> list[Arg]:
        out: list[Arg] = []
        for eid in ids:
            ent = entities.get(eid)
            if ent is not None:
                code = ent.code.split()[0] if ent.code else None
                out += [(text, code) for text in (ent.name, *(m.text for m in ent.mentions))]
        return out

    return Prediction(main.type, args(main.actors), args(main.recipients), main.confidence)


def baseline_prediction(doc: Doc, table: dict[str, str]) -> Prediction:
    """First verb with a type in the plain table; subject and object text as arguments."""
    for tok in doc:
        if tok.pos_ == "VERB" and tok.lemma_.lower() in table:
            def text(deps: tuple[str, ...], verb: Token = tok) -> list[Arg]:
                return [(" ".join(t.text for t in c.subtree), None)
                        for c in verb.children if c.dep_ in deps]

            return Prediction(table[tok.lemma_.lower()], text(("nsubj", "nsubjpass")),
                              text(("dobj",)))
    return Prediction()


def plain_verb_table() -> dict[str, str]:
    from sayso.nlp.events.coder import verb_rules

    return {lemma: rules[0].type for lemma, rules in verb_rules().items()}


def analysed(records: Iterable[Record], engine: str = DEFAULT) -> Iterator[Doc]:
    """Each gold sentence through the full sayso pipeline, as a one-sentence article."""
    from sayso.engines import engine_name
    from sayso.model import Article
    from sayso.nlp import load_pipeline, make_doc

    nlp = load_pipeline(engine_name(engine))
    yield from nlp.pipe(make_doc(nlp, Article(text=r.text)) for r in records)


def _print_errors(rec: Record, pred: Prediction, baseline: Prediction) -> None:
    """One line per record sayso gets wrong, saying which of type, actor and recipient."""
    wrong = [name for name, bad in (
        ("type", pred.type != rec.type),
        ("actor", bool(rec.actors) and not args_match(pred.actors, rec.actors)),
        ("recipient", bool(rec.recipients) and not args_match(pred.recipients, rec.recipients)),
    ) if bad]
    if not wrong:
        return
    print(f"{rec.id} [{' '.join(wrong)}]: gold {rec.type} {rec.actors} -> {rec.recipients}; "
          f"sayso {pred.type} {sorted({t for t, _ in pred.actors})} -> "
          f"{sorted({t for t, _ in pred.recipients})}; baseline {baseline.type}: {rec.text}",
          file=sys.stderr)


def evaluate(records: list[Record], verbose: bool = False,
             engine: str = DEFAULT) -> dict[str, dict]:
    from sayso.engines import engine_name

    table = plain_verb_table()
    scores = {"sayso": Score(), "baseline": Score()}
    for rec, doc in zip(records, analysed(records, engine), strict=True):
        preds = {"sayso": sayso_prediction(doc), "baseline": baseline_prediction(doc, table)}
        for name, pred in preds.items():
            scores[name].add(rec, pred)
        if verbose:
            _print_errors(rec, preds["sayso"], preds["baseline"])
    report: dict = {"engine": engine_name(engine)}
    report.update((name, s.summary()) for name, s in scores.items())
    report["per_type"] = {t: {"n": n, **{name: scores[name].by_type[t] for name in scores}}
                          for t, n in sorted(scores["sayso"].gold_types.items())}
    report["calibration"] = calibration(scores["sayso"].by_confidence)
    return report


def calibration(counts: Counter) -> list[dict]:
    """Per confidence the events were given: how many, and the share whose type was right."""
    levels = sorted({c for c, _ in counts}, key=lambda c: (c is None, c or 0.0))
    rows = []
    for level in levels:
        right, n = counts[level, True], counts[level, True] + counts[level, False]
        rows.append({"confidence": level, "n": n, "type_accuracy": round(100 * right / n, 1)})
    return rows


def run(args: argparse.Namespace) -> int:
    if args.verbose and args.split != "dev":
        # the held-out half confirms what was tuned on dev: its errors are never listed
        print("--verbose lists errors on the dev split only", file=sys.stderr)
        return 2
    records = [r for r in load_gold(Path(args.plover)) if in_split(r, args.split)][: args.limit]
    report = evaluate(records, verbose=args.verbose, engine=args.engine)
    report["split"] = args.split
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    print(f"engine {report['engine']}, split {args.split}: {report['sayso']['records']} records, "
          f"{report['sayso']['actor_records']} with actors and "
          f"{report['sayso']['recipient_records']} with recipients")
    print(f"{'system':<10} {'records':>7} {'type acc':>9} {'actor acc':>10} {'recip acc':>10}")
    for name in ("sayso", "baseline"):
        s = report[name]
        print(f"{name:<10} {s['records']:>7} {s['type_accuracy']:>8}% {s['actor_accuracy']:>9}%"
              f" {s['recipient_accuracy']:>9}%")
    print(f"(actor scored on {report['sayso']['actor_records']} records, recipient on "
          f"{report['sayso']['recipient_records']})")
    print(f"\n{'type':<10} {'n':>4} {'sayso':>6} {'baseline':>9}")
    for t, row in report["per_type"].items():
        print(f"{t:<10} {row['n']:>4} {row['sayso']:>6} {row['baseline']:>9}")
    print(f"\n{'confidence':<10} {'events':>6} {'type acc':>9}")
    for row in report["calibration"]:
        print(f"{row['confidence']!s:<10} {row['n']:>6} {row['type_accuracy']:>8}%")
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("events", help="PLOVER event types and actors on PLOVER records")
    p.add_argument("--plover", required=True, help="PLOVER_GSR_CAMEO.txt (JSON records)")
    p.add_argument("--split", choices=SPLITS, default="all",
                   help="dev half (to tune on), held-out half (to confirm on) or all records")
    add_engine_argument(p)
    add_scoring_arguments(p, "records")
    p.add_argument("--verbose", action="store_true",
                   help="list the dev records sayso gets wrong (type, actor or recipient)")
    p.set_defaults(func=run)
