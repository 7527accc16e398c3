"""Text normalisation before analysis, so that what the pipeline reads and what the store keeps
as `Article.text` are one string and every offset indexes both.

Pages and records carry characters that are no text to read: lone surrogates (from JSON escapes
or undecodable file names), exotic spaces and line separators, zero-width and other format
characters that split or glue words invisibly, and decomposed accents. Each is mapped to what a
reader sees; visible punctuation (curly quotes, dashes) is left alone.
"""

from __future__ import annotations

import re
import unicodedata

ZERO_WIDTH_SPACE = "\u200b"
_LINE_BREAKS = frozenset("\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_KEPT_CONTROLS = frozenset("\t\n\r")
# Unicode categories mapped, and to what: surrogates, spaces, line and paragraph separators,
# control and format characters.
_BY_CATEGORY = {"Cs": "\ufffd", "Zs": " ", "Zl": "\n", "Zp": "\n", "Cc": "", "Cf": ""}
# A zero-width space between two visible characters is the only thing separating two words.
_BETWEEN_WORDS = re.compile(r"(?<=\S)\u200b+(?=\S)")


def normalize_text(text: str) -> str:
    """`text` as a reader sees it: lone surrogates as U+FFFD, other spaces as a space, line and
    paragraph separators as a newline, zero-width spaces between words as a space, other format
    and control characters dropped, composed to NFC."""
    table = {ord(c): _replacement(c) for c in set(text) if _special(c)}
    if table:
        text = text.translate(table)
    if ZERO_WIDTH_SPACE in text:
        text = _BETWEEN_WORDS.sub(" ", text).replace(ZERO_WIDTH_SPACE, "")
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def _special(char: str) -> bool:
    if char.isascii():
        return (char < " " and char not in _KEPT_CONTROLS) or char == "\x7f"
    return char != ZERO_WIDTH_SPACE and unicodedata.category(char) in _BY_CATEGORY


def _replacement(char: str) -> str:
    return "\n" if char in _LINE_BREAKS else _BY_CATEGORY[unicodedata.category(char)]
