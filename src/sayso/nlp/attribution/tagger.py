"""The trained span tagger: BIO tags for cue, source and content over word pieces.

Shared by training (`scripts/train_attribution.py`) and run time (`attribution.trained`), so
both cut windows and read tags the same way. Each role has its own B/I/O channel, because roles
overlap: a nested statement's source and cue lie inside the outer statement's content. Within a
channel, a piece starts a span (B) only where a span of that role starts and no longer span of
the role is already open, so the outermost content wins.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence

import numpy as np

ROLES = ("cue", "source", "content")
LABELS = ("O", "B", "I")
O, B, I = range(3)  # noqa: E741


def windows(n: int, size: int, stride: int) -> Iterator[tuple[int, int]]:
    """[lo, hi) windows of at most `size` pieces, `stride` apart, covering 0..n."""
    lo = 0
    while True:
        hi = min(n, lo + size)
        yield lo, hi
        if hi >= n:
            return
        lo += stride


def label_pieces(
    offsets: Sequence[tuple[int, int]], spans: dict[str, list[tuple[int, int]]]
) -> list[int]:
    """Flat [piece * len(ROLES) + role] labels for pieces at `offsets` (characters)."""
    labels = [O] * (len(offsets) * len(ROLES))
    starts = [s for s, _ in offsets]
    ends = [e for _, e in offsets]
    for r, role in enumerate(ROLES):
        fragments = sorted(spans.get(role, []), key=lambda f: (f[0], -f[1]))
        open_until = -1
        for start, end in fragments:
            first = bisect.bisect_right(ends, start)
            inside = range(first, bisect.bisect_left(starts, end, lo=first))
            if not inside:
                continue
            nested = start < open_until
            for j, k in enumerate(inside):
                if j == 0 and not nested and labels[k * len(ROLES) + r] == O:
                    labels[k * len(ROLES) + r] = B
                elif labels[k * len(ROLES) + r] == O:
                    labels[k * len(ROLES) + r] = I
            open_until = max(open_until, end)
    return labels


def merge_windows(
    n: int, spans: Sequence[tuple[int, int]], logits: Sequence[np.ndarray]
) -> np.ndarray:
    """One (n, roles, labels) array from overlapping windows: each piece takes the window
    where it sits furthest from an edge, since context on both sides helps the encoder."""
    merged = np.zeros((n, len(ROLES), len(LABELS)), dtype=np.float32)
    best = np.full(n, -1)
    for (lo, hi), out in zip(spans, logits, strict=True):
        idx = np.arange(lo, hi)
        margin = np.minimum(idx - lo, hi - 1 - idx)
        take = margin > best[lo:hi]
        merged[idx[take]] = out[take]
        best[lo:hi] = np.where(take, margin, best[lo:hi])
    return merged


def softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def decode_roles(
    text: str, offsets: Sequence[tuple[int, int]], logits: np.ndarray
) -> dict[str, list[tuple[int, int, float]]]:
    """Character spans (start, end, confidence) per role from per-piece logits.

    A span is a B followed by Is (an I with no B before it opens one too); it is widened to
    whole words and trimmed of surrounding whitespace. Confidence is the mean probability of
    the chosen tags over the span's pieces.
    """
    probs = softmax(logits)
    tags = probs.argmax(axis=-1)
    found: dict[str, list[tuple[int, int, float]]] = {}
    for r, role in enumerate(ROLES):
        spans, current = [], None
        for k, tag in enumerate(tags[:, r]):
            if tag == B or (tag == I and current is None):
                if current:
                    spans.append(current)
                current = [k, k]
            elif tag == I:
                current[1] = k
            elif current:
                spans.append(current)
                current = None
        if current:
            spans.append(current)
        out = []
        for first, last in spans:
            start, end = word_edges(text, offsets[first][0], offsets[last][1])
            if start < end:
                conf = float(probs[first : last + 1, r].max(axis=-1).mean())
                out.append((start, end, conf))
        found[role] = out
    return found


def word_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole words and trim whitespace: pieces can split a word."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
