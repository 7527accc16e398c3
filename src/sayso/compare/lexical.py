"""BM25 over short texts (claims, statements) with `bm25s`, English stop words and Snowball
stems (PyStemmer), scoring every document so scores can be fused with embeddings.

    index = Bm25Index(["The minister denied the report.", ...])
    scores = index.scores("minister rejects report")   # one score per document, in order
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

K1 = 1.2  # tuned on CheckThat! 2020 train (sayso eval claims --split train)
B = 0.75


@lru_cache(maxsize=1)
def _stemmer():  # noqa: ANN202 (PyStemmer has no type hints)
    import Stemmer

    return Stemmer.Stemmer("english")


def tokens(texts: Sequence[str]) -> list[list[str]]:
    """Lower-cased, stop-word-free, stemmed word tokens of each text."""
    import bm25s

    return bm25s.tokenize(list(texts), stopwords="en", stemmer=_stemmer().stemWords,
                          return_ids=False, show_progress=False)


class Bm25Index:
    """A BM25 index of documents given in order; scores come back in that order."""

    def __init__(self, docs: Sequence[str], k1: float = K1, b: float = B) -> None:
        import bm25s

        self.size = len(docs)
        self.retriever = bm25s.BM25(k1=k1, b=b)
        if docs:
            self.retriever.index(tokens(docs), show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for `query` (0 where no word is shared)."""
        words = tokens([query])[0]
        if not self.size or not words:
            return np.zeros(self.size, dtype=np.float32)
        return self.retriever.get_scores(words)
