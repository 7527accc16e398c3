"""Reprints and wire copy: near-duplicate articles found with MinHash LSH (datasketch), grouped
so that a story run by 40 outlets is one origin (the earliest published) with 40 copies, and
what each copy changed: paragraphs cut, added or reworded, and the headline.

    index = ReprintIndex()
    index.add("a1", text, published="2024-05-01")   # incremental, in any order
    index.origin("a2")                               # -> "a1"
    index.copies("a1")                               # -> ["a2", ...]
    differences(origin_text, copy_text, origin_title, copy_title)   # what the copy changed

Candidates come from LSH over word 5-gram shingles at a low Jaccard threshold; each is then
checked exactly: the shingles the two share over those of the shorter one (containment), so a
copy that cut half the story is still a copy, while another outlet's story on the same event,
which shares names and phrases but few five-word runs, is not. Thresholds were set on copies
made from VOA stories and confirmed on PolNeAR (scripts/bench_reprints.py).
"""

from __future__ import annotations

import difflib
import re
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

SHINGLE = 5  # words per shingle
MIX = 0x100000001B3  # the FNV-1 64-bit prime, to combine word hashes into a run's
NUM_PERM = 128  # MinHash permutations
SCHEME = "affine32"  # datasketch's permutation scheme (its default since 2.0); stored with them
LSH_THRESHOLD = 0.2  # Jaccard at which LSH proposes a pair (recall first: it is checked next)
CONTAINMENT = 0.5  # shared shingles over the shorter article's, for a pair to be a reprint
COVERAGE = 0.2  # and over the longer one's: a short piece quoting a long one is not its copy
REWORDED = 0.5  # word-set Jaccard at which two unequal paragraphs are one reworded
MIN_SHINGLES = 8  # an article with fewer shingles is too short to call a copy of anything
PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")
SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"“‘(]?[A-Z0-9])")
WORD = re.compile(r"\w+")
MIN_PARAGRAPHS = 3  # a text with fewer line breaks is compared sentence by sentence


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def shingles(text: str, n: int = SHINGLE) -> np.ndarray:
    """Hashes of the text's runs of `n` lower-cased words (one for a shorter text), sorted and
    unique: 64-bit, so sets of them compare as the shingles would, and cheaply (each word is
    hashed once, runs combined in numpy, rather than joining and hashing every run)."""
    w = np.array([_word_hash(x) for x in words(text)], dtype=np.uint64)
    if len(w) == 0:
        return w
    n = min(n, len(w))
    runs = np.zeros(len(w) - n + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):  # wrapping multiplication is the hash
        for k in range(n):
            runs = runs * np.uint64(MIX) + w[k : len(w) - n + 1 + k]
    return np.unique(runs)


def units(text: str) -> list[tuple[int, int]]:
    """(start, end) of the paragraphs differences are told in: lines when the text has them,
    sentences when it is one block (many feeds drop paragraph breaks)."""
    spans = _split(text, PARAGRAPH_BREAK)
    if len(spans) < MIN_PARAGRAPHS:
        spans = [piece for s, e in spans for piece in _split(text, SENTENCE_END, s, e)]
    return spans


def _split(text: str, pattern: re.Pattern, start: int = 0, end: int | None = None
           ) -> list[tuple[int, int]]:
    """Non-blank pieces of text[start:end] between matches of `pattern`, trimmed."""
    end = len(text) if end is None else end
    cuts = [start, *(x for m in pattern.finditer(text, start, end) for x in m.span()), end]
    spans = []
    for s, e in zip(cuts[::2], cuts[1::2], strict=True):
        piece = text[s:e]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            spans.append((s + lead, s + len(piece.rstrip())))
    return spans


@lru_cache(maxsize=1 << 18)
def _word_hash(word: str) -> int:
    return zlib.crc32(word.encode("utf-8"))


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's permutations for NUM_PERM and seed 1, made once, not once per MinHash."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations


def minhash(hashes: np.ndarray):  # noqa: ANN201 (datasketch has no type hints)
    """The LeanMinHash of shingle hashes (their low 32 bits, the hash width datasketch uses)."""
    from datasketch import LeanMinHash, MinHash

    m = MinHash(num_perm=NUM_PERM, hashfunc=int, permutations=_permutations(), scheme=SCHEME)
    m.update_batch(hashes & np.uint64(0xFFFFFFFF))
    return LeanMinHash(m)


def shared(a: np.ndarray, b: np.ndarray) -> int:
    return int(np.intersect1d(a, b, assume_unique=True).size)


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """Shared shingles over those of the smaller set (0 when either is empty)."""
    return shared(a, b) / min(len(a), len(b)) if len(a) and len(b) else 0.0


def is_reprint(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two articles' shingle sets make one a copy of the other: most of the shorter
    is in the longer (CONTAINMENT), and that shared part is not a sliver of the longer
    (COVERAGE), as when a brief quotes two paragraphs of a long story."""
    if not len(a) or not len(b):
        return False
    both = shared(a, b)
    return both >= CONTAINMENT * min(len(a), len(b)) and both >= COVERAGE * max(len(a), len(b))


@dataclass(frozen=True)
class Difference:
    """One change from origin to copy: kind is cut | added | reworded | headline."""

    kind: str
    origin: tuple[int, int] | None  # span in the origin's text (or title, for headline)
    copy: tuple[int, int] | None  # span in the copy's text
    origin_text: str = ""
    copy_text: str = ""

    def to_dict(self) -> dict:
        return {"kind": self.kind, "origin": list(self.origin) if self.origin else None,
                "copy": list(self.copy) if self.copy else None,
                "origin_text": self.origin_text, "copy_text": self.copy_text}


def _key(text: str) -> str:
    return " ".join(words(text))


def _similar(a: str, b: str) -> float:
    wa, wb = set(words(a)), set(words(b))
    return len(wa & wb) / len(wa | wb) if wa | wb else 1.0


def align(origin: str, copy: str) -> tuple[list[tuple[int, int]], list[Difference]]:
    """Pairs (origin unit, copy unit) kept in the copy, equal or reworded, and the differences.

    difflib lines up equal units (compared as lower-cased words); in each stretch that is not
    equal, a copy unit is the rewording of the origin unit it shares most words with (at least
    REWORDED of them), in order; the origin units left over were cut, the copy's added."""
    ou, cu = units(origin), units(copy)
    keys_o, keys_c = [_key(origin[s:e]) for s, e in ou], [_key(copy[s:e]) for s, e in cu]
    kept: list[tuple[int, int]] = []
    diffs: list[Difference] = []
    matcher = difflib.SequenceMatcher(None, keys_o, keys_c, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            kept.extend(zip(range(i1, i2), range(j1, j2), strict=True))
            continue
        pairs = _reworded(origin, copy, ou[i1:i2], cu[j1:j2])
        paired_o = {i1 + a for a, _ in pairs}
        paired_c = {j1 + b for _, b in pairs}
        for a, b in pairs:
            kept.append((i1 + a, j1 + b))
            diffs.append(_diff("reworded", origin, copy, ou[i1 + a], cu[j1 + b]))
        diffs += [_diff("cut", origin, copy, ou[i], None) for i in range(i1, i2)
                  if i not in paired_o]
        diffs += [_diff("added", origin, copy, None, cu[j]) for j in range(j1, j2)
                  if j not in paired_c]
    kept.sort()
    return [(ou[i], cu[j]) for i, j in kept], sorted(diffs, key=_order)


def _order(d: Difference) -> tuple[int, int]:
    return (d.copy or d.origin or (0, 0))[0], (d.origin or (0, 0))[0]


def _reworded(origin: str, copy: str, ou: list[tuple[int, int]], cu: list[tuple[int, int]]
              ) -> list[tuple[int, int]]:
    """Greedy in-order pairs (i, j) of units similar enough to be one reworded."""
    pairs, last = [], -1
    for i, (s, e) in enumerate(ou):
        scored = [(_similar(origin[s:e], copy[cs:ce]), j) for j, (cs, ce) in enumerate(cu)
                  if j > last]
        best = max(scored, default=(0.0, -1))
        if best[0] >= REWORDED:
            pairs.append((i, best[1]))
            last = best[1]
    return pairs


def _diff(kind: str, origin: str, copy: str, o: tuple[int, int] | None,
          c: tuple[int, int] | None) -> Difference:
    return Difference(kind, o, c, origin[o[0] : o[1]] if o else "", copy[c[0] : c[1]] if c else "")


def differences(origin: str, copy: str, origin_title: str | None = None,
                copy_title: str | None = None) -> list[Difference]:
    """What the copy changed: a new headline, then its cut, added and reworded paragraphs."""
    head = []
    if (origin_title or copy_title) and _key(origin_title or "") != _key(copy_title or ""):
        head = [Difference("headline", None, None, origin_title or "", copy_title or "")]
    return head + align(origin, copy)[1]


@dataclass
class Doc:
    id: str
    published: str | None
    grams: np.ndarray  # shingle hashes


@dataclass
class ReprintIndex:
    """Articles added one at a time (any order); groups of reprints kept as they arrive.

    Every article proposed by LSH is checked (`is_reprint`) against the new one; of its
    checked partners, each article is linked to the one it shares most with, and a group is
    what those links join. Linking only to the best partner keeps a copy that took two
    paragraphs from a second story in its own story's group. The origin of a group is its
    earliest published article (undated ones last, ties by id). Adding the same articles in
    any order gives the same groups: a pair is checked whichever of the two comes second."""

    threshold: float = LSH_THRESHOLD
    docs: dict[str, Doc] = field(default_factory=dict)
    partners: dict[str, dict[str, float]] = field(default_factory=dict)
    _root: dict[str, str] | None = None

    def __post_init__(self) -> None:
        from datasketch import MinHashLSH

        self.lsh = MinHashLSH(threshold=self.threshold, num_perm=NUM_PERM)

    def add(self, doc_id: str, text: str, published: str | None = None,
            signature: np.ndarray | None = None) -> list[str]:
        """Index an article; returns the stored articles it was found to be a reprint of (or
        to be reprinted by). `signature` (its MinHash hash values, as stored) skips hashing."""
        if doc_id in self.docs:
            return []
        grams = shingles(text)
        self.docs[doc_id] = Doc(doc_id, published, grams)
        self.partners[doc_id] = {}
        self._root = None
        if len(grams) < MIN_SHINGLES:
            return []
        mh = _lean(signature) if signature is not None else minhash(grams)
        found = []
        for other in sorted(self.lsh.query(mh)):
            if is_reprint(grams, self.docs[other].grams):
                score = round(containment(grams, self.docs[other].grams), 4)
                self.partners[doc_id][other] = self.partners[other][doc_id] = score
                found.append(other)
        self.lsh.insert(doc_id, mh)
        return found

    def restore(self, doc_id: str, published: str | None, grams: np.ndarray,
                signature: np.ndarray) -> None:
        """Put back an article indexed before (its stored shingles and signature); its
        checked pairs come back with `link`."""
        self.docs[doc_id] = Doc(doc_id, published, grams)
        self.partners.setdefault(doc_id, {})
        self._root = None
        if len(grams) >= MIN_SHINGLES and len(signature):
            self.lsh.insert(doc_id, _lean(signature))

    def link(self, a: str, b: str, score: float) -> None:
        """Put back a checked reprint pair."""
        self.partners.setdefault(a, {})[b] = score
        self.partners.setdefault(b, {})[a] = score
        self._root = None

    def best_partner(self, doc_id: str) -> str | None:
        """The checked partner sharing most with the article (ties: the earliest)."""
        mine = self.partners.get(doc_id) or {}
        return min(mine, key=lambda o: (-mine[o], self._age(o)), default=None)

    def roots(self) -> dict[str, str]:
        """Each article's group key (union-find over best-partner links), rebuilt after adds."""
        if self._root is None:
            parent = {d: d for d in self.docs}

            def find(x: str) -> str:
                while parent[x] != x:
                    parent[x] = parent[parent[x]]
                    x = parent[x]
                return x

            for d in self.docs:
                if (best := self.best_partner(d)) is not None:
                    ra, rb = find(d), find(best)
                    parent[max(ra, rb)] = min(ra, rb)
            self._root = {d: find(d) for d in self.docs}
        return self._root

    def _age(self, doc_id: str) -> tuple[bool, str, str]:
        published = self.docs[doc_id].published
        return published is None, published or "", doc_id

    def groups(self) -> list[list[str]]:
        """Every group of two or more articles, origin first; groups by their origin's date."""
        members: dict[str, list[str]] = {}
        for d, root in self.roots().items():
            members.setdefault(root, []).append(d)
        found = [sorted(m, key=self._age) for m in members.values() if len(m) > 1]
        return sorted(found, key=lambda g: self._age(g[0]))

    def group(self, doc_id: str) -> list[str]:
        """The article's reprint group, origin first, then by date."""
        roots = self.roots()
        return sorted((d for d in self.docs if roots[d] == roots[doc_id]), key=self._age)

    def origin(self, doc_id: str) -> str:
        return self.group(doc_id)[0]

    def copies(self, doc_id: str) -> list[str]:
        """The copies in the article's group: all but the origin."""
        return self.group(doc_id)[1:]

    def similarity(self, a: str, b: str) -> float:
        """Containment of the two articles' shingles (computed when not a checked pair)."""
        return self.partners.get(a, {}).get(b) or round(
            containment(self.docs[a].grams, self.docs[b].grams), 4)


def _lean(values: np.ndarray):  # noqa: ANN202
    from datasketch import LeanMinHash

    return LeanMinHash(seed=1, hashvalues=values, scheme=SCHEME)
