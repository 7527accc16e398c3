"""Chains of custody: who told whom, from the outlet down to each statement's speaker.

`Attribution.via` is a list of strings, outermost teller first (docs/contract.md):
1. the outlet: `article.site`, else the host of `article.url`, else the wire agency credited in
   the dateline or sign-off ("GAZA (Reuters) -", "/TASS/", "- AFP"), else an agency credited in
   a caption, else "outlet";
2. the wire agency credited in the body, when it is not the outlet itself;
3. each intermediate teller, outermost first: the speakers of the statements that carry this one
   (a nested statement's via is its parent's plus its own speaker);
4. the speaker, then any source the speaker cites in the phrase naming it ("Salon, citing AP,
   reports ...": Salon, then AP).
Tellers the article names are entity ids where the name resolves, else the words naming them;
the outlet and wire agencies are names.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from urllib.parse import urlparse

from sayso.model import Article, Attribution, Entity
from sayso.nlp.voices.common import HERE, Within, teller

OUTLET_UNKNOWN = "outlet"
_HEAD_CHARS, _TAIL_CHARS = 300, 120  # where a dateline credit or a sign-off can stand


@lru_cache(maxsize=1)
def agencies() -> dict[str, str]:
    """Alias -> canonical name of each news agency in `agencies.tsv`."""
    table: dict[str, str] = {}
    with (HERE / "agencies.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if row and not row[0].startswith("#"):
                for alias in row[1].split("|"):
                    table[alias] = row[0]
    return table


@lru_cache(maxsize=1)
def _credit_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    names = "|".join(sorted(map(re.escape, agencies()), key=len, reverse=True))
    dateline = re.compile(rf"\((?P<a>{names})\)|/(?P<b>{names})/|^(?P<c>{names})\s*[-–—:]",
                          re.MULTILINE)
    signoff = re.compile(rf"[-–—(/]\s*(?P<a>{names})\)?\s*$|\b(?:reports?|reported)\s+"
                         rf"(?P<b>{names})\.?\s*$")
    caption = re.compile(rf"(?:[/©|(]|\b(?:Photo|Image|Credit|Source)s?:?)\s*(?:by\s+)?"
                         rf"(?P<a>{names})\b")
    return dateline, signoff, caption


def _found(pattern: re.Pattern[str], text: str) -> str | None:
    m = pattern.search(text)
    return agencies()[next(g for g in m.groups() if g)] if m else None


def wire_credit(text: str) -> str | None:
    """The agency credited in the dateline or the sign-off of a body, if any."""
    dateline, signoff, _ = _credit_patterns()
    return _found(dateline, text[:_HEAD_CHARS]) or _found(signoff, text[-_TAIL_CHARS:])


def dateline_end(text: str) -> int:
    """Where a dateline with a wire credit ("GAZA CITY (Reuters) -") ends; 0 when none."""
    dateline, _, _ = _credit_patterns()
    m = dateline.search(text[:_HEAD_CHARS])
    if m is None or "\n" in text[:m.start()].strip():
        return 0
    dash = re.match(r"\s*[-–—:]?", text[m.end():])
    return m.end() + (dash.end() if dash else 0)


def caption_credit(captions: list[str]) -> str | None:
    _, _, caption = _credit_patterns()
    return next((c for c in (_found(caption, text) for text in captions) if c), None)


def _host(url: str | None) -> str | None:
    host = urlparse(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _same_outlet(outlet: str, agency: str) -> bool:
    squash = re.compile(r"[^a-z]")
    short = {squash.sub("", a.lower()) for a, name in agencies().items() if name == agency}
    return any(s and s in squash.sub("", outlet.lower()) for s in short)


def outlet_links(article: Article) -> list[str]:
    """The first links of every chain in the article: the outlet, then its wire credit."""
    wire = wire_credit(article.text)
    outlet = article.site or _host(article.url)
    if outlet is None:
        outlet = wire or caption_credit(article.captions) or OUTLET_UNKNOWN
    if wire and not _same_outlet(outlet, wire):
        return [outlet, wire]
    return [outlet]


def _cited(a: Attribution, contents: Within[Attribution], entities: list[Entity]) -> list[str]:
    """Sources cited inside the speaker's phrase ("Salon, citing AP, reports"): the contents
    of statements lying inside this one's source span, as entity ids where they resolve."""
    if a.source is None:
        return []
    cited = []
    for other in contents.within(a.source.start, a.source.end):
        c = other.content
        if other is not a:
            entity = next((e.id for e in entities for m in e.mentions
                           if c.start <= m.start and m.end <= c.end), None)
            cited.append(entity or c.text)
    return cited


def chains(attributions: list[Attribution], article: Article,
           entities: list[Entity]) -> dict[str, list[str]]:
    """Each statement's id with its chain of custody."""
    top = outlet_links(article)
    by_id = {a.id: a for a in attributions}
    contents = Within(attributions, lambda a: (a.content.start, a.content.end))
    done: dict[str, list[str]] = {}

    def chain(a: Attribution, seen: frozenset[str]) -> list[str]:
        if a.id not in done:
            parent = by_id.get(a.parent) if a.parent else None
            head = chain(parent, seen | {a.id}) if parent and parent.id not in seen else top
            done[a.id] = [*head, teller(a), *_cited(a, contents, entities)]
        return done[a.id]

    for a in attributions:
        chain(a, frozenset())
    return done


def set_via(attributions: list[Attribution], article: Article, entities: list[Entity]) -> None:
    found = chains(attributions, article, entities)
    for a in attributions:
        a.via = found[a.id]
