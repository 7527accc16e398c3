"""Raw scraped text: lift the lines a scraper leaves (logo alt text, update stamps, the byline, the
headline, photo captions, share and cookie prompts) out of the body and into the metadata.

Each line is classified on its own by the whole-line patterns in `scraped_rules.json`; the headline
is the one judgement that needs context (a short title-cased line above the first paragraph).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from sayso.ingest.dates import parse_text
from sayso.model import Article

RULES_FILE = Path(__file__).with_name("scraped_rules.json")
_SENTENCE_END = re.compile(r"[.!:;,]['\"’”)]*$")
_SEPARATOR = re.compile(r"\s+[|•·]\s+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*")


@dataclass
class _Found:
    """What the classified lines say about the article."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    byline: str | None = None
    published: str | None = None
    modified: str | None = None
    captions: list[str] = field(default_factory=list)


class _Rules:
    """The compiled rule table, built once per process."""

    def __init__(self, data: dict) -> None:
        self.data = data
        date = self._date_pattern(data)
        agencies = "|".join(re.escape(a) for a in data["agencies"])
        self.lines = {
            kind: re.compile(pattern.format(date=date, agencies=agencies), re.I)
            for kind, pattern in data["lines"].items()
        }
        self.max_words = data["max_words"]
        self.small_words = set(data["small_words"])
        self.particles = set(data["name_particles"])
        self.roles = set(data["byline_roles"])
        cutters = "|".join(re.escape(c) for c in data["name_cutters"])
        self.name_cut = re.compile(rf"\s+(?:{cutters})\s+.*$", re.I)
        joiners = "|".join(re.escape(j) for j in data["name_joiners"])
        self.name_split = re.compile(joiners, re.I)

    @staticmethod
    def _date_pattern(data: dict) -> str:
        month = "(?:" + "|".join(data["months"]) + ")"
        weekday = "(?:" + "|".join(data["weekdays"]) + ")"
        forms = "|".join(f.format(month=month) for f in data["date_forms"])
        time = data["time_form"].format()  # only turns the doubled braces of the file into {n,m}
        return f"(?:{weekday}\\.?,?\\s+)?(?:{forms}){time}"


@lru_cache(maxsize=1)
def rules() -> _Rules:
    return _Rules(json.loads(RULES_FILE.read_text(encoding="utf-8")))


def parse(text: str) -> Article:
    """Split scraped text into metadata and a clean body that keeps its paragraph breaks."""
    found = _Found()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = [line if not _lift(line.strip(), found) else None for line in lines]
    _lift_title(kept, found)
    body = "\n".join(line.rstrip() for line in kept if line is not None)
    body = _BLANK_LINES.sub("\n\n", body).strip()
    return Article(
        text=body,
        title=found.title,
        authors=found.authors,
        byline=found.byline,
        published=found.published,
        modified=found.modified,
        captions=found.captions,
    )


def _lift(line: str, found: _Found) -> bool:
    """Record what a scraper line says; True when the line is not body text."""
    if not line:
        return False
    n_words = len(line.split())
    if n_words <= rules().max_words["stamp"] and _stamps(line, found):
        return True
    if n_words <= rules().max_words["byline"] and _byline(line, found):
        return True
    if n_words <= rules().max_words["boilerplate"] and any(
        rules().lines[kind].match(line) for kind in ("logo", "boilerplate", "breadcrumb")
    ):
        return True
    return n_words <= rules().max_words["caption"] and _caption(line, found)


def _stamps(line: str, found: _Found) -> bool:
    """Date stamps, alone or several on one line ("Published 3 May 2021 | Updated 4 May 2021")."""
    parts = _SEPARATOR.split(line)
    matches = [_stamp(part) for part in parts]
    if not all(matches):
        return False
    for kind, value in matches:
        if kind == "modified":
            found.modified = found.modified or value
        else:
            found.published = found.published or value
    return True


def _stamp(part: str) -> tuple[str, str] | None:
    for kind in ("modified", "published", "dateline"):
        m = rules().lines[kind].match(part)
        if m and (value := parse_text(m.group("date"))):
            return kind, value
    return None


def _byline(line: str, found: _Found) -> bool:
    m = rules().lines["byline"].match(line)
    if not m:
        return False
    names = _names(m.group("names"))
    if not names:
        return False
    found.authors = found.authors or names
    found.byline = found.byline or line
    if m.group("date"):
        found.published = found.published or parse_text(m.group("date"))
    return True


def _names(text: str) -> list[str]:
    """Person names from a byline, without roles ("Staff Writer") or places ("in Lagos")."""
    names = []
    for part in rules().name_split.split(text):
        name = rules().name_cut.sub("", part.strip())
        tokens = name.split()
        if any(t.lower().strip(".") in rules().roles for t in tokens):
            continue
        if not 2 <= len(tokens) <= 5 or not all(_name_token(t) for t in tokens):
            return []
        names.append(name)
    return names


def _name_token(token: str) -> bool:
    return token.lower() in rules().particles or (token[0].isupper() and token[0].isalpha())


def _caption(line: str, found: _Found) -> bool:
    for kind in ("caption_credit", "caption_label", "caption_trailing_credit", "caption_agency"):
        m = rules().lines[kind].match(line)
        if m and not _SENTENCE_END.search(m.groupdict().get("credit") or ""):
            found.captions.append(line)
            return True
    return False


def _lift_title(kept: list[str | None], found: _Found) -> None:
    """The headline: the longest short title-cased line above the first body paragraph (a site
    name above it is shorter).

    A sentence-case line also counts when a byline or stamp was lifted right below it, since
    many outlets write headlines in sentence case.
    """
    candidates = [i for i in _header(kept) if _headline(kept, i)]
    if candidates:
        best = max(candidates, key=lambda i: len(kept[i].split()))
        found.title = kept[best].strip()
        kept[best] = None


def _header(kept: list[str | None]) -> Iterator[int]:
    """Indexes of the remaining lines above the first body paragraph."""
    seen, limits = 0, rules().data
    for i, line in enumerate(kept):
        if line is None or not line.strip():
            continue
        seen += 1
        if seen > limits["header_lines"] or len(line.split()) >= limits["body_paragraph_words"]:
            return
        if _SENTENCE_END.search(line.strip()):
            return
        yield i


def _headline(kept: list[str | None], i: int) -> bool:
    line = kept[i].strip()
    return _headline_shape(line) and (_title_cased(line.split()) or _lifted_below(kept, i))


def _headline_shape(line: str) -> bool:
    n = len(line.split())
    return (
        rules().data["min_title_words"] <= n <= rules().max_words["title"]
        and not _SENTENCE_END.search(line)
    )


def _title_cased(words: list[str]) -> bool:
    content = [w for w in words if w.lower() not in rules().small_words]
    capital = [w for w in content if w[0].isupper() or w[0].isdigit() or not w[0].isalpha()]
    return bool(content) and len(capital) >= rules().data["title_case_ratio"] * len(content)


def _lifted_below(kept: list[str | None], i: int) -> bool:
    """Whether the next non-blank line of the original text was lifted as scraper residue."""
    for line in kept[i + 1 :]:
        if line is None:
            return True
        if line.strip():
            return False
    return False
