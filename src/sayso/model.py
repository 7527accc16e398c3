"""The data model every stage shares: one article, its entities, statements and facts.

Offsets index `Article.text` (the clean body), so every record can be traced back to the exact
characters it came from. Times, places and quantities found in the front matter a scraper leaves
(the byline, photo captions) say so in `part` ("byline", "caption:N"); their offsets then index
that string (`Article.byline`, `Article.captions[N]`). Records are plain dataclasses;
`Analysis.to_dict()` gives the JSON output contract documented in docs/contract.md and
schema/analysis.schema.json.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cache
from typing import Any

CONTRACT_VERSION = "2.2"
ATOMS = frozenset({str, int, float, bool, type(None)})


@cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    return tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None


def plain(value: Any) -> Any:
    """What `dataclasses.asdict` gives for a record, without deep-copying each string and
    number: the model holds only dataclasses, lists, dicts and immutable scalars, and asdict's
    copies made `to_dict` a third of the workbench's article page."""
    cls = type(value)
    if cls in ATOMS:
        return value
    if cls is list:
        return [plain(v) for v in value]
    names = _field_names(cls)
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    if cls is dict:
        return {plain(k): plain(v) for k, v in value.items()}
    if cls is tuple:
        return tuple(plain(v) for v in value)
    return copy.deepcopy(value)


@dataclass
class Span:
    """A stretch of `Article.text`; `text` is always `article.text[start:end]`."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, text: str, start: int, end: int) -> Span:
        return cls(start, end, text[start:end])


@dataclass
class SourceSpan(Span):
    """The span naming who speaks, the id of the entity it resolves to, and how sure that
    link is (in [0, 1]; None while no entity has been sought)."""

    entity: str | None = None
    confidence: float | None = None


@dataclass
class ContentSpan(Span):
    """What was said. `parts` holds the pieces when the quote is interrupted by its own cue
    ('"We will stay," she said, "until it is done."'); the span itself then runs from the first
    piece to the last, and only the parts are the speaker's words."""

    parts: list[Span] = field(default_factory=list)


@dataclass
class Article:
    id: str = ""
    url: str | None = None
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    byline: str | None = None  # the byline line as printed, when ingest lifted one from the body
    published: str | None = None  # ISO 8601: "YYYY-MM-DD", "...THH:MM", "...THH:MM+HH:MM"
    modified: str | None = None
    site: str | None = None
    language: str | None = None
    text: str = ""
    captions: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_id(self.text)


def content_id(text: str) -> str:
    """Stable article id from the body text: the same article analysed twice is stored once."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Entity:
    id: str
    name: str
    type: str  # PERSON | ORG | COUNTRY | GROUP | PLACE
    country: str | None = None  # ISO 3166 alpha-3
    roles: list[str] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)
    sector: str | None = None  # PLOVER sector: GOV, MIL, REB, JUD, LEG, PTY, UAF, CVL, ...
    code: str | None = None  # PLOVER-style actor code, e.g. "ARM GOV"


@dataclass
class Attribution:
    id: str
    kind: str  # direct | indirect | mixed | according_to
    source: SourceSpan | None
    cue: Span | None
    content: ContentSpan
    parent: str | None = None
    addressee: Span | None = None
    medium: Span | None = None
    time: Span | None = None
    confidence: float | None = None  # that this is a statement with these spans, in [0, 1]
    # chain of custody: the tellers from the outlet down to the speaker, outermost first
    via: list[str] = field(default_factory=list)
    modality: str = "asserted"  # asserted | hedged | hypothetical | disputed

    def __post_init__(self) -> None:
        if not isinstance(self.content, ContentSpan):  # engines may hand a plain Span
            self.content = ContentSpan(self.content.start, self.content.end, self.content.text)


@dataclass
class TimeExpr:
    id: str
    start: int
    end: int
    text: str
    type: str  # DATE | TIME | DURATION | SET
    value: str | None
    granularity: str | None = None  # year | month | day | minute | ...
    anchor: str | None = None  # what a relative expression was resolved against
    resolved: bool = True
    reason: str | None = None
    part: str = "text"  # the part of the article the offsets index: text | byline | caption:N


@dataclass
class Place:
    id: str
    start: int
    end: int
    text: str
    name: str | None = None  # canonical GeoNames name
    geonameid: int | None = None
    feature_class: str | None = None
    country: str | None = None  # ISO3
    lat: float | None = None
    lon: float | None = None
    kind: str = "literal"  # literal | demonym | metonymy | ...
    reason: str | None = None
    part: str = "text"  # the part of the article the offsets index: text | byline | caption:N
    confidence: float | None = None  # that the mention is a place and, if geocoded, this one


@dataclass
class Quantity:
    id: str
    start: int
    end: int
    text: str
    value: float
    approx: bool = False
    unit: str | None = None
    what: str | None = None  # the counted head noun
    action: str | None = None  # what happened to them, when the sentence says it
    part: str = "text"  # the part of the article the offsets index: text | byline | caption:N


@dataclass
class Event:
    id: str
    type: str  # PLOVER type
    anchor: Span
    actors: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    mode: str | None = None
    context: str | None = None
    place: str | None = None
    time: str | None = None
    reported_by: str | None = None
    modality: str = "asserted"
    sentence: Span | None = None
    confidence: float | None = None  # that its type is right (data/event_confidence.tsv)


@dataclass
class Framing:
    """A loaded span (loaded language, name calling, a hedge, ...) and whose voice it is in."""

    id: str
    start: int
    end: int
    text: str
    technique: str  # loaded_language | name_calling | doubt | hedge | ... (docs/contract.md)
    voice: str = "outlet"  # "outlet" or the id of the statement whose content holds the span
    confidence: float | None = None


@dataclass
class Assertion:
    """A sentence (or part of one) in the outlet's own voice, with what marks it."""

    id: str
    start: int
    end: int
    text: str
    # loaded | unsourced_figure | unsourced_event | hedged
    flags: list[str] = field(default_factory=list)


@dataclass
class Dispute:
    """One statement denying, disputing, confirming or accepting another statement or event."""

    source: str  # statement id: "from" in the JSON contract
    target: str  # statement or event id: "to" in the JSON contract
    kind: str  # denies | disputes | confirms | accepts


@dataclass
class VoiceCount:
    """How many loaded spans are in one voice: "outlet", or a speaker as `via` names one."""

    voice: str
    count: int


@dataclass
class SpeakerClaims:
    """One speaker's statements, how many of them another voice denies or disputes
    (`countered`), and how many deny or dispute someone else's (`counters`)."""

    speaker: str  # as `via` names a teller: entity id, else the words naming the speaker
    statements: int
    countered: int
    counters: int


@dataclass
class Voices:
    """One-sidedness at a glance: the outlet's share of the body, loaded spans by voice, and
    whose claims meet a counter-voice in the article."""

    outlet_share: float = 0.0  # outlet_chars / body_chars
    outlet_chars: int = 0  # characters of the body in the outlet's own voice (its assertions)
    body_chars: int = 0  # characters of the body's sentences
    loaded: list[VoiceCount] = field(default_factory=list)
    claims: list[SpeakerClaims] = field(default_factory=list)


@dataclass
class Analysis:
    article: Article
    entities: list[Entity] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    framing: list[Framing] = field(default_factory=list)
    assertions: list[Assertion] = field(default_factory=list)
    disputes: list[Dispute] = field(default_factory=list)
    voices: Voices = field(default_factory=Voices)

    def to_dict(self) -> dict[str, Any]:
        from sayso import __version__

        data = {"sayso_version": __version__, "contract_version": CONTRACT_VERSION, **plain(self)}
        data["disputes"] = [{"from": d.source, "to": d.target, "kind": d.kind}
                            for d in self.disputes]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Analysis:
        """Rebuild an analysis from its contract form (as stored or exported)."""

        def span(d: dict | None, kind: type = Span) -> Any:
            return kind(**d) if d else None

        def entity(d: dict) -> Entity:
            return Entity(**{**d, "mentions": [Span(**m) for m in d.get("mentions", [])]})

        def content(d: dict) -> ContentSpan:
            return ContentSpan(**{**d, "parts": [Span(**p) for p in d.get("parts", [])]})

        def attribution(d: dict) -> Attribution:
            return Attribution(
                **{
                    **d,
                    "source": span(d.get("source"), SourceSpan),
                    "cue": span(d.get("cue")),
                    "content": content(d["content"]),
                    "addressee": span(d.get("addressee")),
                    "medium": span(d.get("medium")),
                    "time": span(d.get("time")),
                }
            )

        def voices(d: dict | None) -> Voices:
            if not d:
                return Voices()
            return Voices(**{**d, "loaded": [VoiceCount(**c) for c in d.get("loaded", [])],
                             "claims": [SpeakerClaims(**c) for c in d.get("claims", [])]})

        def event(d: dict) -> Event:
            return Event(**{**d, "anchor": span(d["anchor"]), "sentence": span(d.get("sentence"))})

        return cls(
            article=Article(**data["article"]),
            entities=[entity(e) for e in data.get("entities", [])],
            attributions=[attribution(a) for a in data.get("attributions", [])],
            times=[TimeExpr(**t) for t in data.get("times", [])],
            places=[Place(**p) for p in data.get("places", [])],
            quantities=[Quantity(**q) for q in data.get("quantities", [])],
            events=[event(e) for e in data.get("events", [])],
            framing=[Framing(**f) for f in data.get("framing", [])],
            assertions=[Assertion(**a) for a in data.get("assertions", [])],
            disputes=[Dispute(d["from"], d["to"], d["kind"]) for d in data.get("disputes", [])],
            voices=voices(data.get("voices")),
        )


@dataclass
class IngestError:
    """A per-document error record: bad input, or a document sayso itself failed on, is
    reported, never fatal to a batch."""

    origin: str  # file path, "path:line" for JSON Lines, "path#n" for feed entries, or "<stdin>"
    error: str  # short machine-readable kind (listed in the README): empty, too_deep, internal, ...
    message: str  # what a person needs to know to fix it
    stage: str = ""  # where: read, decode, parse, extract, check, analyze, store
    exception: str | None = None  # the exception's type, when an unexpected one was caught


@dataclass
class Document:
    """One article as ingested, before NLP: metadata plus clean body text."""

    article: Article
    origin: str
