"""Raw scraped text: lift the lines a scraper leaves (logo alt text, date stamps, the byline, the
headline, photo captions, share and cookie prompts) out of the body and into the metadata.

Each line is classified on its own first. A meta line is cut at its separators ("Jane Doe · CBC
News · Posted: Mar 5, 2024 | Updated: ...") and lifted when every part is a stamp, a byline, a
credit, a role, a handle or an outlet; a stamp is a label and a date with nothing else in it, and
dateparser reads the date, whatever order it is written in. Then the judgements that need
context: a bare name beside a stamp or a role line is the author, and the headline is the first
headline-shaped line that the byline block follows (a standfirst may sit between them), else the
longest title-cased one.
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
_BLANK_LINES = re.compile(r"\n\s*\n\s*")
_WORD = re.compile(r"[^\W\d_]+(?:\.[^\W\d_]+)*\.?", re.U)

# what a classified line was: residue the title and the author lines are judged beside
META, OTHER = "meta", "other"


@dataclass
class _Found:
    """What the classified lines say about the article."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    byline: str | None = None
    published: str | None = None
    modified: str | None = None
    captions: list[str] = field(default_factory=list)

    def stamp(self, kind: str, value: str | None) -> None:
        if kind == "modified":
            self.modified = self.modified or value
        else:
            self.published = self.published or value


class _Rules:
    """The compiled rule table, built once per process."""

    def __init__(self, data: dict) -> None:
        self.data = data
        agencies = "|".join(re.escape(a) for a in data["agencies"])
        self.lines = {kind: re.compile(pattern.format(agencies=agencies), re.I)
                      for kind, pattern in data["lines"].items()}
        self.separator = re.compile(data["separator"])
        stamp = data["stamp"]
        labels = {label: "published" for label in stamp["published_labels"]}
        labels |= {label: "modified" for label in stamp["modified_labels"]}
        self.label_kinds = labels
        alternation = "|".join(re.escape(w).replace(r"\ ", r"\s+")
                               for w in sorted(labels, key=len, reverse=True))
        self.label = re.compile(rf"^(?P<label>{alternation})\b{stamp['label_tail']}", re.I)
        # "Posted Tue 5 Mar at 9:15am, updated ...": a second labelled stamp in the same part
        modified = "|".join(re.escape(w) for w in stamp["modified_labels"])
        self.second_label = re.compile(rf"(?<!last)(?<!first),?\s+(?=(?:{modified})\b)", re.I)
        self.relative = re.compile(stamp["relative"], re.I)
        self.clock = re.compile(stamp["clock"], re.I)
        self.inner_label = re.compile(rf"\s+(?=(?:{alternation})\b)", re.I)
        self.handle = re.compile(r"\s*@\w{2,30}\b")
        self.date_words = {*stamp["months"], *stamp["weekdays"], *stamp["filler"]}
        self.time_zone = re.compile(rf"^{stamp['time_zone']}$")
        self.months = re.compile(rf"\b(?:{'|'.join(stamp['months'])})\b", re.I)
        self.numeric_date = re.compile(stamp["numeric_date"])
        self.year = re.compile(stamp["year"])
        self.agencies = {a.lower() for a in data["agencies"]}
        self.outlet_words = set(data["outlet_words"])
        self.company_suffixes = set(data["company_suffixes"])
        self.max_words = data["max_words"]
        self.small_words = set(data["small_words"])
        self.particles = set(data["name_particles"])
        self.roles = set(data["byline_roles"])
        cutters = "|".join(re.escape(c) for c in data["name_cutters"])
        self.name_cut = re.compile(rf"\s+(?:{cutters})\s+.*$", re.I)
        joiners = "|".join(re.escape(j) for j in data["name_joiners"])
        self.name_split = re.compile(joiners, re.I)


@lru_cache(maxsize=1)
def rules() -> _Rules:
    return _Rules(json.loads(RULES_FILE.read_text(encoding="utf-8")))


def parse(text: str) -> Article:
    """Split scraped text into metadata and a clean body that keeps its paragraph breaks."""
    found = _Found()
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kinds = [_classify(line, found) for line in lines]
    _lift_author_lines(lines, kinds, found)
    kept = [line if kind is None else None for line, kind in zip(lines, kinds, strict=True)]
    _lift_title(kept, kinds, found)
    body = "\n".join(line for line in kept if line is not None)
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


def _classify(line: str, found: _Found) -> str | None:
    """Record what a scraper line says: META for stamps and bylines, OTHER for the rest of the
    residue (boilerplate, captions), None for body text."""
    if not line:
        return None
    n_words = len(line.split())
    if n_words <= rules().max_words["meta"] and _meta_line(line, found):
        return META
    if n_words <= rules().max_words["boilerplate"] and any(
        rules().lines[kind].match(line)
        for kind in ("logo", "boilerplate", "breadcrumb", "picture_credit")
    ):
        return OTHER
    if n_words <= rules().max_words["caption"] and _caption(line, found):
        return OTHER
    return None


# ---- meta lines: stamps, bylines, credits ------------------------------------------------


@dataclass
class _Part:
    """One separated part of a meta line and what it says."""

    kind: str  # stamp | label | byline | credit | role | handle | outlet | name
    stamp: str = "published"  # which date a stamp or label gives
    value: str | None = None
    names: list[str] = field(default_factory=list)


def _meta_line(line: str, found: _Found) -> bool:
    """A line of stamps, bylines and credits: lifted, and what it says recorded, when every
    part is one of them and one at least is more than a name or an outlet."""
    parts: list[_Part] = []
    for piece in _pieces(line):
        part = _part(piece)
        if part is None:
            return False
        parts.append(part)
    kinds = {p.kind for p in parts}
    if not kinds & {"stamp", "label", "byline", "credit", "role", "handle"}:
        if kinds == {"name", "outlet"}:  # "Suresh Kumar / TNN"
            found.authors = found.authors or [n for p in parts for n in p.names]
            return True
        return len(parts) == 1 and parts[0].kind == "outlet" and _known_outlet(line)
    label = None
    for part in parts:
        if part.kind == "label":  # "Updated / Tuesday, 5 Mar 2024": the label of the next part
            label = part.stamp
        elif part.kind in ("stamp", "byline") and (part.value or part.kind == "stamp"):
            found.stamp(label or part.stamp, part.value)
            label = None
    bylines = [p for p in parts if p.kind == "byline"]
    names = [n for p in bylines or [p for p in parts if p.kind == "name"] for n in p.names]
    if bylines and not found.byline:
        found.byline = line
    if names and (bylines or any(p.kind in ("stamp", "outlet", "role") for p in parts)):
        found.authors = found.authors or names
    return True


def _pieces(line: str) -> list[str]:
    """The parts of a meta line: cut at separators and before a second labelled stamp
    ("Posted ..., updated ..."), a bare clock time kept with the date before it ("05/03/2024 -
    09:15"), a name split from a stamp it runs into ("Jane Doe Published March 5, 2024")."""
    r = rules()
    pieces: list[str] = []
    for text in r.separator.split(line):
        for piece in r.second_label.split(text.strip()):
            piece = piece.strip()
            if pieces and r.clock.match(piece):
                pieces[-1] = f"{pieces[-1]} {piece}"
                continue
            named = r.inner_label.split(piece, maxsplit=1)
            if len(named) == 2 and _names(named[0]):
                pieces.extend(named)
            else:
                pieces.append(piece)
    return pieces


def _part(text: str) -> _Part | None:
    if not text or len(text.split()) > rules().max_words["part"]:
        return None
    lines = rules().lines
    if lines["credit"].match(text) or lines["reading_time"].match(text):
        return _Part("credit")
    if lines["handle"].match(text):
        return _Part("handle")
    handles = rules().handle.sub("", text).strip()
    if handles != text:  # "Political reporter @janedoe"
        return _part(handles)
    byline = lines["byline"].match(text)
    if byline:
        return _byline(byline.group("rest"))
    stamp = _stamp(text)
    if stamp is not None:
        return stamp
    if _outlet(text):
        return _Part("outlet")
    if _role(text):
        return _Part("role")
    name, _, role = text.partition(", ")
    if role and _role(role) and (names := _names(name)):  # "Tom Whitaker, Political Reporter"
        return _Part("byline", names=names)
    names = _names(text)
    return _Part("name", names=names) if names else None


def _stamp(text: str) -> _Part | None:
    """A date stamp: "Published: 09:15 GMT, 5 March 2024", "Updated 3 hours ago", "Date
    05.03.2024", "Posted on March 5, 2024 by Jane Doe" (a blog's stamp and byline at once)."""
    r = rules()
    label = r.label.match(text)
    kind = r.label_kinds[" ".join(label.group("label").lower().split())] if label else "published"
    rest = text[label.end() :].strip() if label else text
    if not rest:
        return _Part("label", stamp=kind) if label else None
    if r.relative.match(rest):
        return _Part("stamp", stamp=kind)
    by = re.split(r"\s+by\s+", rest, maxsplit=1, flags=re.I)
    if len(by) == 2 and (value := _date(by[0])):
        byline = _byline(by[1])
        return _Part("byline", stamp=kind, value=value, names=byline.names) if byline else None
    value = _date(rest)
    return _Part("stamp", stamp=kind, value=value) if value else None


def _date(text: str) -> str | None:
    """The date of a text that is only a date (and fillers, a zone, one stray word)."""
    r = rules()
    if not r.year.search(text) or not (r.months.search(text) or r.numeric_date.search(text)):
        return None
    unknown = [w for w in _WORD.findall(text)
               if w.lower().rstrip(".") not in r.date_words and w.lower() not in r.date_words
               and not r.time_zone.match(w)]
    if len(unknown) > r.data["stamp"]["max_unknown"]:
        return None
    value = parse_text(text)
    if value is None and unknown:  # "5 March 2024 13:26 in London"
        value = parse_text(re.sub(rf"[,\s]*\b{re.escape(unknown[0])}\b", " ", text))
    if value is None and "," in text:  # "Tuesday 5 March 2024 13:26, UK"
        head, _, tail = text.rpartition(",")
        value = parse_text(head) if not re.search(r"\d", tail) else None
    if value is None:  # "5 Mar 2024 5 Mar 2024": the same date printed twice
        words = text.split()
        half = len(words) // 2
        if words[:half] == words[half:]:
            value = parse_text(" ".join(words[:half]))
    return value


def _byline(rest: str) -> _Part | None:
    """ "By Jane Doe and John Roe", "By JANE DOE FOR THE SITE", "By Jane Doe January 15, 2022";
    a byline that names only an agency or a desk ("By AFP", "By Staff Reporter") names no one."""
    words = rest.split()
    for cut in range(1, len(words)):  # a date at the end of the byline
        names = _names(" ".join(words[:cut]).rstrip(" ,|-"))
        if names and (value := _date(" ".join(words[cut:]))) is not None:
            return _Part("byline", value=value, names=names)
    credits = re.split(r";\s*", rest)  # "Reporting by X; Editing by Y"
    names = _names(credits[0])
    if names or _outlet(credits[0]) or _only_roles(credits[0]):
        return _Part("byline", names=names)
    return None


def _names(text: str) -> list[str]:
    """Person names from a byline, without roles ("Staff Writer") or places ("in Lagos");
    capitalised names are written as names ("JANE DOE" -> "Jane Doe")."""
    names = []
    for part in rules().name_split.split(text):
        name = rules().name_cut.sub("", part.strip())
        tokens = name.split()
        if any(t.lower().strip(".") in rules().roles for t in tokens):
            continue
        if not 2 <= len(tokens) <= 5 or not all(_name_token(t) for t in tokens):
            return []
        if any(t.lower() in rules().outlet_words for t in tokens):
            return []
        names.append(" ".join(t.capitalize() if t.isupper() and len(t) > 1 else t
                              for t in tokens))
    return names


def _name_token(token: str) -> bool:
    return token.lower() in rules().particles or (token[0].isupper() and token[0].isalpha())


def _role(text: str) -> bool:
    """A desk title: "Reporter", "STAFF WRITER", "Transport Correspondent"."""
    words = text.lower().split()
    return bool(words) and "," not in text and words[-1] in rules().roles and \
        len(words) <= rules().data["short_line_words"]


def _only_roles(text: str) -> bool:
    words = text.lower().split()
    return bool(words) and all(w in rules().roles for w in words)


def _outlet(text: str) -> bool:
    """An agency or outlet credit: a known agency, a capitalised acronym ("TNN"), or a short
    capitalised name ending in an outlet word ("CBN News", "Halcyon Batteries Inc.")."""
    words = text.split()
    if text.lower() in rules().agencies or (len(words) == 1 and words[0].isupper()
                                            and 2 <= len(words[0]) <= 6):
        return True
    return len(words) <= 5 and all(_name_token(w) or w[0].isdigit() for w in words) and \
        words[-1].lower() in rules().outlet_words


def _known_outlet(line: str) -> bool:
    """A line that is only an agency or a company ("Associated Press", "Acme Holdings Inc.")."""
    return line.lower() in rules().agencies or line.split()[-1].lower() in rules().company_suffixes


def _caption(line: str, found: _Found) -> bool:
    if rules().lines["picture_credit"].match(line):  # "Image source, Getty Images"
        return False
    for kind in ("caption_credit", "caption_label", "caption_trailing_credit", "caption_agency",
                 "caption_bracket_credit", "caption_file_photo", "caption_pictured",
                 "caption_dash_credit"):
        m = rules().lines[kind].match(line)
        if m and not _SENTENCE_END.search(m.groupdict().get("credit") or ""):
            found.captions.append(line)
            return True
    return False


# ---- lines judged in context: authors and the headline -----------------------------------


def _lift_author_lines(lines: list[str], kinds: list[str | None], found: _Found) -> None:
    """A bare name beside a stamp or a role line ("Helen Marsh in Brussels" over "Wed 6 Mar
    2024", "Ng Wei Ling" over "Transport Correspondent") is the author, unless a byline said
    who it is; a short capitalised line at the very top is the masthead, never a name."""
    first = next((i for i, (line, kind) in enumerate(zip(lines, kinds, strict=True))
                  if line and kind is None), None)
    for i, line in enumerate(lines):
        if found.authors or kinds[i] is not None or not line or i == first:
            continue
        names = _names(line)
        if len(names) == 1 and META in (_neighbour(lines, kinds, i, -1),
                                        _neighbour(lines, kinds, i, 1)):
            found.authors = names
            kinds[i] = META


def _neighbour(lines: list[str | None], kinds: list[str | None], i: int, step: int) -> str | None:
    """The kind of the nearest line before (step -1) or after (step 1) line i that is neither
    blank nor boilerplate ("Follow", "Share")."""
    j = i + step
    while 0 <= j < len(lines) and (kinds[j] == OTHER or kinds[j] is None
                                   and not (lines[j] or "").strip()):
        j += step
    return kinds[j] if 0 <= j < len(lines) else None


def _lift_title(kept: list[str | None], kinds: list[str | None], found: _Found) -> None:
    """The headline: the first headline-shaped line right above the byline block (or above a
    standfirst longer than itself that is), else the first right below it; failing that, the
    longest title-cased line above the first body paragraph (a site name above it is
    shorter)."""
    header = [i for i in _header(kept) if _headline_shape(kept[i].strip())]
    masthead = header[0] if header and _is_masthead(kept, header[0]) else None
    above_byline = [i for i in header if i != masthead and _above_byline(kept, kinds, i)]
    below_byline = [i for i in header if i != masthead and _neighbour(kept, kinds, i, -1) == META]
    title_cased = [i for i in header if _title_cased(kept[i].split())]
    if above_byline or below_byline:
        best = (above_byline or below_byline)[0]
    elif title_cased:
        best = max(title_cased, key=lambda i: len(kept[i].split()))
    else:
        return
    found.title = kept[best].strip()
    kept[best] = None


def _header(kept: list[str | None]) -> Iterator[int]:
    """Indexes of the remaining lines above the first body paragraph."""
    seen, limits = 0, rules().data
    for i, line in enumerate(kept):
        if line is None or not line.strip():
            continue
        seen += 1
        n_words = len(line.split())
        if seen > limits["header_lines"] or n_words >= limits["body_paragraph_words"]:
            return
        if _SENTENCE_END.search(line.strip()) and n_words > limits["short_line_words"]:
            return  # a sentence; "Acme Batteries Inc." is a name, not the end of one
        yield i


def _headline_shape(line: str) -> bool:
    """Short enough, not a sentence, not a line of separated parts, not a capitalised section
    label ("WORLD NEWS")."""
    words = line.split()
    n = len(words)
    if not rules().data["min_title_words"] <= n <= rules().max_words["title"]:
        return False
    if _SENTENCE_END.search(line) or rules().separator.search(line):
        return False
    return not (line.isupper() and n <= rules().data["masthead_words"])


def _is_masthead(kept: list[str | None], i: int) -> bool:
    """The first line of the page, title-cased and short: the site's name."""
    first = next(j for j, line in enumerate(kept) if line and line.strip())
    words = kept[i].split()
    return i == first and _title_cased(words) and len(words) <= rules().data["masthead_words"]


def _title_cased(words: list[str]) -> bool:
    content = [w for w in words if w.lower() not in rules().small_words]
    capital = [w for w in content if w[0].isupper() or w[0].isdigit() or not w[0].isalpha()]
    return bool(content) and len(capital) >= rules().data["title_case_ratio"] * len(content)


def _above_byline(kept: list[str | None], kinds: list[str | None], i: int) -> bool:
    """Whether the byline block (a lifted stamp or byline) follows line i, directly or after
    one line longer than it (a standfirst)."""
    following = [j for j in range(i + 1, len(kept)) if kept[j] is None and kinds[j] is not None
                 or kept[j] and kept[j].strip()][:2]
    if following and kinds[following[0]] == META:
        return True
    if len(following) == 2 and kinds[following[0]] is None and kinds[following[1]] == META:
        return len(kept[following[0]].split()) > len(kept[i].split())
    return False
