"""Numbers written in digits or words ("5,000", "one million", "two and a half", "1.5bn").

Shared by `sayso_times` (durations, "three years ago") and `sayso_quantities`. Hand-written
because the vocabulary is small and closed, and the maintained number-word parsers on PyPI
would add a dependency for some thirty lines.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).parent.parent / "data" / "numbers.json"
_TOKEN = re.compile(r"\d+/\d+|\d[\d,]*(?:\.\d+)?|\.\d+|[a-z]+|[\u00bc-\u00be]")
_FRACTION = re.compile(r"(\d+)/(\d+)$")
_VULGAR = {"\u00bc": 0.25, "\u00bd": 0.5, "\u00be": 0.75}
_DIGITS_WITH_SUFFIX = re.compile(r"(\d[\d,]*(?:\.\d+)?)([a-z]+)$")


@lru_cache(maxsize=1)
def lexicon() -> dict[str, dict[str, float]]:
    """The number words, loaded once per process."""
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def _words(text: str) -> list[str]:
    words: list[str] = []
    for word in _TOKEN.findall(text.lower().replace("-", " ")):
        # "1.5bn", "5m": split a scale suffix glued to the digits
        glued = _DIGITS_WITH_SUFFIX.match(word)
        words.extend(glued.groups() if glued else (word,))
    return words


def parse_number(text: str) -> float | None:
    """The value of a number phrase, or None when any word is not part of a number."""
    lex = lexicon()
    total = current = 0.0
    seen = False
    previous = ""
    words = _words(text)
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        fraction = _FRACTION.match(word)
        if fraction:  # "2 1/2 years"
            numerator, denominator = map(int, fraction.groups())
            if not 0 < numerator < denominator:
                return None
            current += numerator / denominator
        elif word in _VULGAR:
            current += _VULGAR[word]
        elif word in ("a", "an") and (following[:1].isdigit() or following in lex["small"]):
            pass  # "a two-day visit": the article belongs to the noun, not to the number
        elif word[0].isdigit() or word[0] == ".":
            current += float(word.replace(",", ""))
        elif word == "half":
            # "two and a half": the "a" already counted one
            current += -0.5 if previous in ("a", "an") else 0.5
        elif word in lex["small"]:
            current += lex["small"][word]
        elif word in lex["multipliers"]:
            current = (current or 1) * lex["multipliers"][word]
        elif word in lex["scales"] and seen:
            total += (current or 1) * lex["scales"][word]
            current = 0.0
        elif word in ("and", "of"):
            previous = word
            continue
        else:
            return None
        seen = True
        previous = word
    return total + current if seen else None


def vague_number(word: str) -> float | None:
    """The lower bound a plural scale word implies: "hundreds" -> 100, "dozens" -> 12."""
    value = lexicon()["vague"].get(word.lower())
    return None if value is None else float(value)


def parse_ordinal(word: str) -> int | None:
    """1 for "first" or "1st", 22 for "twenty-second", None for anything else."""
    word = word.lower().strip()
    digits = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", word)
    if digits:
        return int(digits.group(1))
    ordinals = lexicon()["ordinals"]
    if word in ordinals:
        return ordinals[word]
    # "twenty-second", "thirty first": a tens word and a unit ordinal
    tens, _, unit = word.replace(" ", "-").rpartition("-")
    tens_value = lexicon()["small"].get(tens)
    if tens_value and tens_value % 10 == 0 and tens_value >= 20 and ordinals.get(unit, 10) < 10:
        return tens_value + ordinals[unit]
    return None
