"""Guards that turn unreadable input into a clear error before any parsing or NLP is spent on it.

Limits (`Limits`, each settable on the command line): a document over `MAX_BYTES` (10 MB) is
refused after reading one byte more, a JSON Lines line over `MAX_LINE` is skipped without being
held in memory, a compressed input stops once it has expanded to `MAX_DECOMPRESSED`, and a JSON
record nested deeper than `MAX_DEPTH` is refused before it is parsed. A clean body over
`MAX_CHARS` (1,000,000 characters, spaCy's default `max_length`) is refused before analysis, and
so is one with fewer than `MIN_WORDS` different words, or not in English.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import charset_normalizer

from sayso.model import IngestError

MAX_BYTES = 10_000_000
MAX_LINE = 10_000_000
MAX_DECOMPRESSED = 1_000_000_000
MAX_DEPTH = 64
MAX_CHARS = 1_000_000
MIN_WORDS = 6
LANGUAGE = "en"
# py3langid is trusted only when it is this sure; short or name-heavy English can look foreign.
LANGUAGE_CONFIDENCE = 0.9
LANGUAGE_SAMPLE = 2000
MIN_LANGUAGE_CHARS = 40
# Where the commonest English words (english_words.txt) make up this share of a sample of at
# least MIN_SHARE_WORDS words, the text is English without asking py3langid, whose model takes
# longer to load than spaCy's. On 1,310 real English articles (PolNeAR, GGT, PTC, VOA) the
# share is 0.33 at the median and below 0.25 for 3% of them (py3langid accepts all 1,310); in
# the example sentences spaCy ships for 67 other languages it never passes 0.12.
ENGLISH_SHARE = 0.25
MIN_SHARE_WORDS = 20
ENGLISH_WORDS_FILE = Path(__file__).with_name("english_words.txt")
# English is written in Latin letters; py3langid is unsure on repetitive text in any script, so
# a body whose letters are mostly of another script is refused whatever it says.
MIN_LATIN_SHARE = 0.5
SNIFF_BYTES = 8192
MAX_CONTROL_RATIO = 0.05
# Invalid UTF-8 is repaired where it occurs while it is this small a share of the bytes, or
# rarer than valid multi-byte characters; beyond that the file is in a legacy charset.
MAX_REPAIR_SHARE = 0.01
MAX_MESSAGE = 500  # characters of an unexpected exception's text kept in its error record

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([\w.:-]+)""", re.I)
_ESCAPED = re.compile("[\udc80-\udcff]+")  # undecodable bytes, as surrogateescape leaves them
_WORD = re.compile(r"[^\W\d_]{2,}")
_LETTER = re.compile(r"[^\W\d_]")
_LATIN = re.compile("[A-Za-z\u00aa\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")
# UTF-32 first: its little-endian BOM starts with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Limits:
    """How much one input may hold; each limit breached gives its own error kind."""

    max_bytes: int = MAX_BYTES  # one document (page, text, feed): too_large
    max_line: int = MAX_LINE  # one JSON Lines line: line_too_long
    max_decompressed: int = MAX_DECOMPRESSED  # a compressed input, expanded: decompressed_too_large
    max_depth: int = MAX_DEPTH  # nesting of one JSON record: too_deep


class IngestFailure(Exception):
    """Raised inside ingest; the entry points turn it into an `IngestError` record."""

    def __init__(self, error: str, message: str, stage: str = "") -> None:
        super().__init__(message)
        self.error = error
        self.message = message
        self.stage = stage


def error_record(origin: str, exc: Exception, stage: str) -> IngestError:
    """The error record of an exception caught on one input at `stage`: an `IngestFailure` as it
    says, a `RecursionError` as input nested too deeply, anything else as `internal`; the type
    of an unexpected exception is kept, so a bug can be told from bad input."""
    if isinstance(exc, IngestFailure):
        return IngestError(origin, exc.error, exc.message, exc.stage or stage)
    name = type(exc).__name__
    detail = str(exc)[:MAX_MESSAGE] or name
    if isinstance(exc, RecursionError):
        return IngestError(origin, "too_deep", f"input is nested too deeply: {detail}", stage,
                           name)
    return IngestError(origin, "internal", f"sayso failed on this input: {detail}", stage, name)


def check_size(size: int, unit: str = "bytes", limit: int = MAX_BYTES) -> None:
    if size > limit:
        raise IngestFailure("too_large", f"input is {size:,} {unit}; the limit is {limit:,}",
                            "read")


def bom_encoding(raw: bytes) -> str | None:
    """The Unicode encoding a byte-order mark at the start names, if any."""
    return next((encoding for bom, encoding in _BOMS if raw.startswith(bom)), None)


def decode(raw: bytes, limit: int = MAX_BYTES) -> str:
    """Bytes to text: a byte-order mark first, then UTF-8 (repairing a few bad bytes where they
    are), then the charset an HTML page declares, then a guess for the whole input."""
    check_size(len(raw), limit=limit)
    encoding = bom_encoding(raw)
    if encoding and encoding != "utf-8-sig":
        return raw.decode(encoding, errors="replace")
    if b"\x00" in raw[:SNIFF_BYTES]:
        raise IngestFailure("binary", "input contains NUL bytes: not a text or HTML file",
                            "decode")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = raw.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="surrogateescape")
    bad = sum(map(len, _ESCAPED.findall(text)))
    good = len(text) - len(text.encode("ascii", errors="ignore")) - bad  # valid non-ASCII
    if bad <= max(good, MAX_REPAIR_SHARE * len(raw)):
        return _ESCAPED.sub(_repair, text)
    declared = _DECLARED_CHARSET.search(raw[:SNIFF_BYTES])
    if declared:
        try:
            return raw.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    guess = charset_normalizer.from_bytes(raw).best()
    if guess is None:
        raise IngestFailure("encoding", "input is neither UTF-8 nor any recognisable text "
                            "encoding", "decode")
    return str(guess)


def _repair(run: re.Match[str]) -> str:
    """A run of bytes that are not UTF-8 read as Windows-1252, the usual stray in UTF-8 text
    (curly quotes and dashes pasted from a word processor)."""
    return run.group().encode("utf-8", errors="surrogateescape").decode("cp1252", "replace")


def check_depth(text: str, limit: int = MAX_DEPTH) -> None:
    """Refuse a JSON text nested deeper than `limit`, counted outside its strings, before the
    recursive parser sees it."""
    if text.count("[") + text.count("{") <= limit:
        return
    depth = 0
    for bracket in _BRACKET.finditer(_JSON_STRING.sub("", text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > limit:
            raise IngestFailure("too_deep", f"JSON is nested more than {limit} levels deep",
                                "parse")


def check_text(text: str) -> None:
    """Refuse empty, binary-looking or oversized input given as a string."""
    check_size(len(text), "characters")
    if not text.strip():
        raise IngestFailure("empty", "input is empty or whitespace only", "check")
    sample = text[:SNIFF_BYTES]
    if "\x00" in sample or len(_CONTROL.findall(sample)) > MAX_CONTROL_RATIO * len(sample):
        raise IngestFailure("binary", "input is mostly control characters: not text", "check")


def check_body(body: str, what: str = "input") -> None:
    """Refuse a clean body that is empty, too short, too long for spaCy, or not English."""
    if not body.strip():
        raise IngestFailure("empty", f"{what} has no article text", "check")
    if len(body) > MAX_CHARS:
        raise IngestFailure(
            "too_large", f"article body is {len(body):,} characters; the limit is {MAX_CHARS:,}",
            "check",
        )
    check_language(body)
    words = len({w.lower() for w in _WORD.findall(body)})
    if words < MIN_WORDS:
        raise IngestFailure(
            "too_short", f"{what} has {words} different words; an article needs at least "
            f"{MIN_WORDS}", "check",
        )


def check_language(body: str) -> None:
    sample = body[:LANGUAGE_SAMPLE]
    letters = _LETTER.findall(sample)
    latin = len(_LATIN.findall(sample))
    if latin < MIN_LATIN_SHARE * len(letters):
        script = unicodedata.name(next(c for c in letters if not _LATIN.match(c)), "?").split()[0]
        raise IngestFailure(
            "language", f"article is written mostly in {script.title()} letters, {latin} of "
            f"{len(letters)} are Latin; only English is supported", "check",
        )
    if len(body) < MIN_LANGUAGE_CHARS or evidently_english(sample):
        return
    lang, confidence = _identifier().classify(sample)
    if lang != LANGUAGE and confidence >= LANGUAGE_CONFIDENCE:
        raise IngestFailure(
            "language", f"article is in {lang!r} ({confidence:.0%} sure); only English is "
            "supported", "check",
        )


def evidently_english(sample: str) -> bool:
    """Is the sample mostly the commonest English words (see ENGLISH_SHARE)?"""
    words = [w.lower() for w in _WORD.findall(sample)]
    common = _english_words()
    return len(words) >= MIN_SHARE_WORDS and \
        sum(w in common for w in words) >= ENGLISH_SHARE * len(words)


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    lines = ENGLISH_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@lru_cache(maxsize=1)
def _identifier():
    """py3langid's bundled model, loaded once per process (it ships offline with the package)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
