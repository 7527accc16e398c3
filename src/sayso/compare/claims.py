"""The same claim in other words: BM25 and sentence embeddings fused into one similarity, used
both to match statements across the store and, in `sayso eval claims`, to retrieve
fact-checked claims for tweets (CheckThat! 2020 task 2), so the figure measured is the
matcher the store runs.

    index = ClaimIndex(["The minister denied the report.", ...])
    index.scores("Minister rejects report")        # fused score of every text, in order
    index.top("Minister rejects report", k=5)      # [(position, score), ...] best first

A contradiction is kept modest: a similar claim where exactly one side is a denial (a cue
such as "denied"/"rejected", or a negation in its content the other lacks).
"""

from __future__ import annotations

import calendar
import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from sayso.compare.embed import Encoder, cosine, load_encoder
from sayso.compare.lexical import Bm25Index

# Embedding share of the fused score, the BM25 share being 1 - WEIGHT over BM25 scaled by its
# best score for the query; tuned on CheckThat! 2020 train (sayso eval claims --split train
# --tune), confirmed on dev.
WEIGHT = 0.8
# Added to the fused score of a claim naming the month and year a tweet was sent, taken from
# one naming only years other than that one and the one before; the middle of the plateau on
# train (bonus 0.06 to 0.15, penalty 0.02 to 0.05), confirmed on dev.
DATE_BONUS = 0.1
DATE_PENALTY = 0.03
URL = re.compile(r"https?://\S+|pic\.twitter\.com/\S+|www\.\S+")
WORD = re.compile(r"[\w']+")
# The signature closing a tweet as pages embed it: "— Name (@handle) Month D, YYYY".
SIGNATURE = re.compile(r"\s*[—–-]+\s*([^—–()]*)\(@\w+\)\s*(?:(\w+) \d{1,2}, (\d{4}))?\s*$")
MONTH = {name: number for number, name in enumerate(calendar.month_name) if name}
MENTION = re.compile(rf"\b(?:({'|'.join(MONTH)})\s+(?:\d{{1,2}},?\s+)?)?((?:19|20)\d\d)\b")
TAG = re.compile(r"[#@](\w+)")
CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)"
                   r"|(?<=\d)(?=[A-Za-z])|_")


def _plain(text: str) -> str:
    return " ".join(URL.sub(" ", text).split())


def _words(tag: re.Match) -> str:
    """A hashtag or handle as the words it runs together: #BoycottTheMall -> Boycott The Mall."""
    return " ".join(CAMEL.split(tag.group(1)))


def clean(text: str) -> str:
    """Text as the matcher compares it: links dropped, a tweet's signature cut to the author's
    name (the handle repeats it, the date is weighed apart: `signature_date`), hashtags and
    handles split into their words, white space collapsed."""
    text = SIGNATURE.sub(lambda m: f" — {m.group(1)}", _plain(text))
    return " ".join(TAG.sub(_words, text).split())


def signature_date(text: str) -> tuple[int, int] | None:
    """(year, month) a tweet's signature gives, or None where it has no dated signature."""
    found = SIGNATURE.search(_plain(text))
    if not found or found.group(2) not in MONTH:
        return None
    return int(found.group(3)), MONTH[found.group(2)]


class Dates:
    """The months and years each text names, to weigh against the date a tweet was sent: a
    fact-check often names the month of what it checks ("In May 2020, the mayor ..."), and one
    naming only other years checks something else."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.size = len(texts)
        self.years: dict[int, list[int]] = defaultdict(list)
        self.months: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i, text in enumerate(texts):
            for month, year in MENTION.findall(text):
                self.years[int(year)].append(i)
                if month:
                    self.months[(int(year), MONTH[month])].append(i)
        self.dated = np.zeros(self.size, dtype=bool)
        self.dated[[i for found in self.years.values() for i in found]] = True

    def shift(self, when: tuple[int, int] | None) -> np.ndarray:
        """What each text's dates add to its score for a tweet sent `when` (year, month)."""
        out = np.zeros(self.size, dtype=np.float32)
        if when is None:
            return out
        year, month = when
        near = np.zeros(self.size, dtype=bool)
        near[self.years.get(year, []) + self.years.get(year - 1, [])] = True
        out[self.dated & ~near] = -DATE_PENALTY
        out[self.months.get((year, month), [])] = DATE_BONUS
        return out


def fuse(lexical: np.ndarray, semantic: np.ndarray, weight: float = WEIGHT) -> np.ndarray:
    """`weight` * cosine + (1 - weight) * BM25 / best BM25 of the query (rows are queries).

    BM25 has no fixed scale, so it is divided by its best score per query; a query sharing no
    word with any text leaves the cosine alone."""
    lexical = np.atleast_2d(lexical)
    best = lexical.max(axis=1, keepdims=True)
    scaled = np.divide(lexical, best, out=np.zeros_like(lexical, dtype=np.float32),
                       where=best > 0)
    return weight * np.atleast_2d(semantic) + (1 - weight) * scaled


class ClaimIndex:
    """Texts indexed for the fused similarity; embeddings may be given (say, from a store)."""

    def __init__(self, texts: Sequence[str], vectors: np.ndarray | None = None,
                 encoder: Encoder | None = None, weight: float = WEIGHT) -> None:
        self.encoder = encoder or load_encoder()
        self.texts = [clean(t) for t in texts]
        self.bm25 = Bm25Index(self.texts)
        self.dates = Dates(self.texts)
        self.vectors = self.encoder.encode(self.texts) if vectors is None else vectors
        self.weight = weight

    def __len__(self) -> int:
        return len(self.texts)

    def parts(self, query: str, vector: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(BM25, cosine) of every text for one query, for fusing with another weight."""
        if vector is None:
            vector = self.encoder.encode([clean(query)])[0]
        return self.bm25.scores(clean(query)), cosine(vector[None, :], self.vectors)[0]

    def scores(self, query: str, vector: np.ndarray | None = None) -> np.ndarray:
        """The fused score of every text, shifted by their dates where the query is a dated
        tweet."""
        return (fuse(*self.parts(query, vector), self.weight)[0]
                + self.dates.shift(signature_date(query)))

    def top(self, query: str, k: int = 5, vector: np.ndarray | None = None
            ) -> list[tuple[int, float]]:
        """The `k` best texts as (position, fused score), best first."""
        return ranked(self.scores(query, vector), k)


def ranked(scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """Positions of the `k` highest scores, best first (ties by position)."""
    k = min(k, len(scores))
    if k <= 0:
        return []
    best = np.argpartition(-scores, k - 1)[:k]
    return [(int(i), float(scores[i])) for i in sorted(best, key=lambda i: (-scores[i], i))]


@lru_cache(maxsize=1)
def _contradiction_words() -> tuple[frozenset[str], frozenset[str]]:
    """(denial cue forms, negation words) from contradiction.json and the cue lexicon."""
    from sayso.nlp.attribution.cues import lexicon

    words = json.loads(Path(__file__).with_name("contradiction.json").read_text("utf-8"))
    lemmas = set(words["denial_cues"])
    forms = {form for form, cue in lexicon().verbs.items() if cue.lemma in lemmas}
    return frozenset(forms | lemmas), frozenset(words["negations"])


@dataclass(frozen=True)
class Stance:
    """What the contradiction check needs of a statement."""

    content: str
    cue: str | None = None
    modality: str = "asserted"


def denies(stance: Stance) -> bool:
    """A statement that denies: a denial cue, a "disputed" modality, or a negation word."""
    cues, negations = _contradiction_words()
    if stance.modality == "disputed":
        return True
    cue_words = {w.lower() for w in WORD.findall(stance.cue or "")}
    content = {w.lower() for w in WORD.findall(stance.content.replace("n't", " n't"))}
    return bool(cue_words & cues) or bool(content & negations)


def contradicts(a: Stance, b: Stance) -> bool:
    """Whether two similar statements take opposite sides: one denies, the other does not."""
    return denies(a) != denies(b)
