"""Guards that turn unreadable input into a clear error before any parsing or NLP is spent on it.

Limits: raw input over `MAX_BYTES` (10 MB) is refused unread, and a clean body over `MAX_CHARS`
(1,000,000 characters, spaCy's default `max_length`) is refused before analysis.
"""

from __future__ import annotations

import re
from functools import lru_cache

import charset_normalizer

MAX_BYTES = 10_000_000
MAX_CHARS = 1_000_000
LANGUAGE = "en"
# py3langid is trusted only when it is this sure; short or name-heavy English can look foreign.
LANGUAGE_CONFIDENCE = 0.9
LANGUAGE_SAMPLE = 2000
MIN_LANGUAGE_CHARS = 40
SNIFF_BYTES = 8192
MAX_CONTROL_RATIO = 0.05

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([\w.:-]+)""", re.I)


class IngestFailure(Exception):
    """Raised inside ingest; the entry points turn it into an `IngestError` record."""

    def __init__(self, error: str, message: str) -> None:
        super().__init__(message)
        self.error = error
        self.message = message


def check_size(size: int, unit: str = "bytes") -> None:
    if size > MAX_BYTES:
        raise IngestFailure("too_large", f"input is {size:,} {unit}; the limit is {MAX_BYTES:,}")


def decode(raw: bytes) -> str:
    """Bytes to text: UTF-8 first, then the charset an HTML page declares, then a guess."""
    check_size(len(raw))
    if b"\x00" in raw[:SNIFF_BYTES]:
        raise IngestFailure("binary", "input contains NUL bytes: not a text or HTML file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = _DECLARED_CHARSET.search(raw[:SNIFF_BYTES])
    if declared:
        try:
            return raw.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    guess = charset_normalizer.from_bytes(raw).best()
    if guess is None:
        raise IngestFailure("encoding", "input is neither UTF-8 nor any recognisable text encoding")
    return str(guess)


def check_text(text: str) -> None:
    """Refuse empty, binary-looking or oversized input given as a string."""
    check_size(len(text), "characters")
    if not text.strip():
        raise IngestFailure("empty", "input is empty or whitespace only")
    sample = text[:SNIFF_BYTES]
    if "\x00" in sample or len(_CONTROL.findall(sample)) > MAX_CONTROL_RATIO * len(sample):
        raise IngestFailure("binary", "input is mostly control characters: not text")


def check_body(body: str, what: str = "input") -> None:
    """Refuse a clean body that is empty, too long for spaCy, or not English."""
    if not body.strip():
        raise IngestFailure("empty", f"{what} has no article text")
    if len(body) > MAX_CHARS:
        raise IngestFailure(
            "too_large", f"article body is {len(body):,} characters; the limit is {MAX_CHARS:,}"
        )
    check_language(body)


def check_language(body: str) -> None:
    if len(body) < MIN_LANGUAGE_CHARS:
        return
    lang, confidence = _identifier().classify(body[:LANGUAGE_SAMPLE])
    if lang != LANGUAGE and confidence >= LANGUAGE_CONFIDENCE:
        raise IngestFailure(
            "language", f"article is in {lang!r} ({confidence:.0%} sure); only English is supported"
        )


@lru_cache(maxsize=1)
def _identifier():
    """py3langid's bundled model, loaded once per process (it ships offline with the package)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
