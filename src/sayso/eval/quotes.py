"""`sayso eval quotes --ggt DIR`: quotes and their speakers against the Gender Gap Tracker's set.

DIR holds `articles/ID.txt` (raw article text) and `gold.json`, `{ID: [{"quote", "speaker",
"reference"}, ...]}`. Every article runs through the full pipeline with the chosen attribution
engine; only top-level statements (no parent) are predictions, as GGT annotates no nesting.

Matching, per document:

- words are the lower-cased `\\w+` tokens, counted as a multiset: a prediction and a gold quote
  share min(count in one, count in the other) of each word, so a word repeated in one text only
  is not credited twice;
- a prediction matches a gold quote when the shared words are at least 0.3 of the words of the
  longer of the two;
- gold quotes are taken in order, each matched to the unused candidate of highest overlap
  (ties: the earliest). A statement offers its content as one candidate, or, when the content
  has `parts` (a quote interrupted by its cue), each part as its own candidate with the
  statement's source. Parts are used one by one, so a statement whose two parts GGT annotated
  as two quotes can match both.

Scores: recall is the share of gold quotes matched; precision the share of predicted statements
with at least one matched candidate (as `sayso eval attribution` counts predicted frames), so an
unmatched second part of a matched statement is no false positive. Speaker accuracy, over the
matched gold quotes: the name of the entity the statement's source resolves to equals the gold
`reference` (`speaker` when that is empty), or ends in the same last word, case-insensitively;
no source or no entity counts as wrong.

The direct / indirect split classes both sides by one rule: direct when the text (for a
statement, its first candidate) starts with a quotation mark. Recall and speaker accuracy in a
row are over that row's gold quotes, precision over that row's statements.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sayso.eval import add_engine_argument, add_scoring_arguments
from sayso.model import Analysis, Article, Attribution

THRESHOLD = 0.3
HALVES = ("a", "b", "all")
QUOTE_MARKS = "\"'“”„‟«»‘’‚‹›"
ROWS = ("all", "direct", "indirect")
_WORD = re.compile(r"\w+")


@dataclass
class GoldQuote:
    quote: str
    speaker: str
    reference: str = ""

    @property
    def name(self) -> str:
        """Who the quote is scored against: the resolved reference, else the speaker as written."""
        return self.reference.strip() or self.speaker.strip()


@dataclass
class Candidate:
    """One piece of a predicted statement that a gold quote can match."""

    statement: int  # index of its statement among the document's top-level statements
    text: str
    speaker: str | None  # the name of the entity its source resolves to


def words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in _WORD.findall(text))


def overlap(a: Counter[str], b: Counter[str]) -> float:
    """Shared words (multiset) as a share of the longer text's words."""
    longer = max(a.total(), b.total())
    return (a & b).total() / longer if longer else 0.0


def is_direct(text: str) -> bool:
    stripped = text.lstrip()
    return bool(stripped) and stripped[0] in QUOTE_MARKS


def speaker_matches(predicted: str | None, gold: str) -> bool:
    """Same name, or same last word (the surname), ignoring case."""
    if not predicted:
        return False
    if predicted.strip().casefold() == gold.strip().casefold():
        return True
    p, g = _WORD.findall(predicted.casefold()), _WORD.findall(gold.casefold())
    return bool(p and g) and p[-1] == g[-1]


def top_level(analysis: Analysis) -> list[Attribution]:
    return [a for a in analysis.attributions if a.parent is None]


def candidates(analysis: Analysis) -> list[Candidate]:
    """Every top-level statement's content, or each of its parts, with its speaker's name."""
    names = {e.id: e.name for e in analysis.entities}
    out = []
    for i, a in enumerate(top_level(analysis)):
        speaker = names.get(a.source.entity) if a.source and a.source.entity else None
        for piece in a.content.parts or [a.content]:
            out.append(Candidate(i, piece.text, speaker))
    return out


def match(gold: list[GoldQuote], cands: list[Candidate]) -> list[Candidate | None]:
    """For each gold quote in order, the unused candidate it matches (module docstring), if any."""
    bags = [words(c.text) for c in cands]
    used: set[int] = set()
    found: list[Candidate | None] = []
    for g in gold:
        target = words(g.quote)
        best, best_score = None, 0.0
        for i, bag in enumerate(bags):
            score = overlap(target, bag)
            if i not in used and score >= THRESHOLD and score > best_score:
                best, best_score = i, score
        if best is not None:
            used.add(best)
        found.append(cands[best] if best is not None else None)
    return found


@dataclass
class Tally:
    gold: int = 0
    predicted: int = 0
    predicted_matched: int = 0  # statements with a matched candidate
    matched: int = 0  # gold quotes matched
    speaker_correct: int = 0

    def scores(self) -> dict[str, float]:
        p = self.predicted_matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
                "speaker_accuracy": self.speaker_correct / self.matched if self.matched else 0.0}


@dataclass
class Report:
    engine: str
    documents: int = 0
    tallies: dict[str, Tally] = field(default_factory=lambda: {r: Tally() for r in ROWS})

    def add(self, gold: list[GoldQuote], analysis: Analysis) -> None:
        """Score one document into the running totals."""
        self.documents += 1
        cands = candidates(analysis)
        first = {}
        for c in cands:
            first.setdefault(c.statement, c.text)
        row_of = {i: "direct" if is_direct(text) else "indirect" for i, text in first.items()}
        hits = match(gold, cands)
        matched_statements = {c.statement for c in hits if c is not None}
        for i, row in row_of.items():
            for tally in (self.tallies["all"], self.tallies[row]):
                tally.predicted += 1
                tally.predicted_matched += i in matched_statements
        for g, hit in zip(gold, hits, strict=True):
            row = "direct" if is_direct(g.quote) else "indirect"
            for tally in (self.tallies["all"], self.tallies[row]):
                tally.gold += 1
                if hit is not None:
                    tally.matched += 1
                    tally.speaker_correct += speaker_matches(hit.speaker, g.name)

    def to_dict(self) -> dict:
        return {"engine": self.engine, "documents": self.documents,
                "scores": {row: {**asdict(t), **t.scores()} for row, t in self.tallies.items()}}


def load_gold(directory: Path) -> dict[str, list[GoldQuote]]:
    raw = json.loads((directory / "gold.json").read_text(encoding="utf-8"))
    return {doc_id: [GoldQuote(q.get("quote", ""), q.get("speaker", ""), q.get("reference") or "")
                     for q in quotes] for doc_id, quotes in raw.items()}


def _digest(doc_id: str) -> bytes:
    return hashlib.sha256(doc_id.encode("utf-8")).digest()


def select(ids: Iterable[str], half: str = "all", limit: int | None = None) -> list[str]:
    """The sorted ids of one half (or all), then the first `limit` of them. The halves are the
    ids ordered by their SHA-256, cut in the middle ("a" takes the odd one): fixed by the ids
    alone and of equal size, so one half can be tuned on and the other kept unseen."""
    ids = sorted(ids)
    if half != "all":
        by_hash = sorted(ids, key=_digest)
        cut = (len(by_hash) + 1) // 2
        chosen = set(by_hash[:cut] if half == "a" else by_hash[cut:])
        ids = [i for i in ids if i in chosen]
    return ids[:limit]


def articles(directory: Path, ids: Iterable[str]) -> Iterator[Article]:
    """The articles as `sayso analyze` reads text: normalised (zero-width characters, odd
    spaces), which only changes offsets, never the words scored."""
    from sayso.ingest.clean import normalize_text

    for doc_id in ids:
        text = (directory / "articles" / f"{doc_id}.txt").read_text(encoding="utf-8")
        yield Article(id=doc_id, text=normalize_text(text))


def analyses(docs: Iterable[Article], engine: str) -> Iterator[Analysis]:
    """Each article through the full pipeline with the given attribution engine."""
    from sayso.engines import engine_name
    from sayso.nlp import load_pipeline, make_doc
    from sayso.pipeline import analysis_of

    nlp = load_pipeline(engine_name(engine))
    for doc in nlp.pipe(make_doc(nlp, article) for article in docs):
        yield analysis_of(doc)


def evaluate(directory: Path, engine: str, limit: int | None = None,
             progress: bool | None = None, half: str = "all", errors=None) -> Report:
    """Run the pipeline over the GGT articles under `directory` and score its quotes; with
    `errors` (a text stream), write there each miss, wrong speaker and unmatched statement."""
    from tqdm import tqdm

    from sayso.engines import engine_name

    gold = load_gold(directory)
    ids = select(gold, half, limit)
    report = Report(engine_name(engine))
    results = analyses(articles(directory, ids), engine)
    bar = tqdm(results, total=len(ids), desc=f"eval quotes {report.engine}", unit="doc",
               disable=None if progress is None else not progress, file=sys.stderr)
    for analysis in bar:
        report.add(gold[analysis.article.id], analysis)
        if errors is not None:
            errors.write("".join(error_lines(gold[analysis.article.id], analysis)))
    return report


def error_lines(gold: list[GoldQuote], analysis: Analysis) -> Iterator[str]:
    """One line per error in a document: MISS (gold quote unmatched), SPEAKER (matched, wrong
    speaker), EXTRA (statement matching no gold quote), for reading the errors of a dev half."""
    cands = candidates(analysis)
    hits = match(gold, cands)
    doc = analysis.article.id
    for g, hit in zip(gold, hits, strict=True):
        if hit is None:
            yield f"{doc}\tMISS\t{g.name}\t{g.quote}\n"
        elif not speaker_matches(hit.speaker, g.name):
            source = top_level(analysis)[hit.statement].source
            yield (f"{doc}\tSPEAKER\tgold={g.name}\tpred={hit.speaker}\t"
                   f"source={source.text if source else None}\t{g.quote}\n")
    matched = {c.statement for c in hits if c is not None}
    for i, a in enumerate(top_level(analysis)):
        if i not in matched:
            yield f"{doc}\tEXTRA\t{a.source.text if a.source else None}\t{a.content.text}\n"


def format_table(report: Report) -> str:
    """The scores as a plain-text table, with the counts behind them."""
    total = report.tallies["all"]
    lines = [
        f"engine {report.engine}: {report.documents} documents, {total.gold} gold quotes and "
        f"{total.predicted} predicted top-level statements",
        f"{'':<10}{'gold':>6}{'pred':>6}{'matched':>9}{'P':>7}{'R':>7}{'F1':>7}"
        f"{'speaker':>9}  (correct/matched)",
    ]
    for row, t in report.tallies.items():
        s = t.scores()
        lines.append(
            f"{row:<10}{t.gold:>6}{t.predicted:>6}{t.matched:>9}{s['precision'] * 100:7.1f}"
            f"{s['recall'] * 100:7.1f}{s['f1'] * 100:7.1f}{s['speaker_accuracy'] * 100:9.1f}"
            f"  ({t.speaker_correct}/{t.matched})"
        )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    directory = Path(args.ggt)
    if not (directory / "gold.json").is_file() or not (directory / "articles").is_dir():
        print(f"{directory} needs gold.json and an articles/ folder", file=sys.stderr)
        return 2
    report = evaluate(directory, args.engine, args.limit, args.progress, args.half,
                      sys.stderr if args.errors else None)
    print(json.dumps(report.to_dict(), indent=1) if args.json else format_table(report))
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("quotes", help="quotes and speakers on GGT data (articles + gold)")
    p.add_argument("--ggt", required=True, help="folder with articles/ID.txt and gold.json")
    add_engine_argument(p)
    p.add_argument("--half", choices=HALVES, default="all",
                   help="score one half of the articles, split by a hash of their id: tune on a, "
                        "confirm on b (default: all)")
    p.add_argument("--errors", action="store_true",
                   help="write each miss, wrong speaker and unmatched statement to stderr")
    add_scoring_arguments(p, "documents (sorted by id)", progress=True)
    p.set_defaults(func=run)
