"""sayso_times: time expressions, normalised TIMEX3-style into `doc._.times`.

Candidates are spaCy's DATE and TIME entities plus a few words its NER leaves out ("now",
"recently", bare weekdays; patterns in data/times.json). Each is normalised by
`normalise.timenorm` against the publication date, then relative expressions inside a quoted
or reported statement are resolved again against the time that statement was made, when the
attribution says it ("in recent days", said on October 14, 2020).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from sayso.model import Attribution, TimeExpr
from sayso.nlp.normalise.timenorm import (
    Anchor,
    Timex,
    comparison_years,
    lexicon,
    narrative_unit,
    normalise,
    refers_to_reported_period,
    unit_code,
    year_of_period,
)

RANGE_SEPARATORS = {"-", "\u2013", "to", "through", "until", "till", "and"}
PERIOD_ENDS = {"ended", "ending"}  # "the quarter ended Sept. 30": a period and its last day
BARE_NUMBER = re.compile(r"^[\d.,]+$")
YEAR = re.compile(r"^[12]\d{3}$")
QUARTER_VALUE = re.compile(r"^\d{4}-Q[1-4]$")
MONTHS_VALUE = re.compile(r"^P\d+M$")
CALENDAR_VALUE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
UNIT_PRECISION = {"Y": 1, "M": 2, "W": 3, "WE": 3, "D": 3}  # date fields it needs
DAY_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@Language.factory("sayso_times")
def make_times(nlp: Language, name: str) -> TimeTagger:
    return TimeTagger(nlp)


class TimeTagger:
    """Finds and normalises the time expressions of a Doc."""

    def __init__(self, nlp: Language) -> None:
        self.matcher = Matcher(nlp.vocab)
        self.matcher.add("TIME_WORD", lexicon()["patterns"])

    def __call__(self, doc: Doc) -> Doc:
        anchor = published_anchor(doc)
        found = [
            (span, normalise(span.text, anchor, tense(span)))
            for span in candidates(doc, self.matcher, anchor)
        ]
        found = [(span, year_by_last_day(span, timex)) for span, timex in found]
        found = reporting_period(found, anchor)
        found = narrative_time(found)
        found = reanchor_statements(found, doc._.attributions or [])
        doc._.times = [to_time_expr(i, span, timex) for i, (span, timex) in enumerate(found, 1)]
        return doc


def published_anchor(doc: Doc) -> Anchor | None:
    """The publication date as the default anchor, when the article has one."""
    published = getattr(doc._.article, "published", None)
    try:
        return Anchor(date.fromisoformat(published[:10]), f"published:{published[:10]}")
    except (TypeError, ValueError):
        return None


def _trim(span: Span) -> Span | None:
    """Drop the whitespace and punctuation spaCy's entities sometimes carry at their edges."""
    start, end = span.start, span.end
    while start < end and (span.doc[start].is_space or span.doc[start].is_punct):
        start += 1
    while end > start and (span.doc[end - 1].is_space or span.doc[end - 1].is_punct):
        end -= 1
    return Span(span.doc, start, end, label=span.label_) if end > start else None


def candidates(doc: Doc, matcher: Matcher, anchor: Anchor | None) -> Iterator[Span]:
    """Time spans in text order: entities and matches, overlaps resolved longest-first."""
    spans = [e for e in doc.ents if e.label_ in ("DATE", "TIME")]
    spans += [Span(doc, start, end, label="DATE") for _, start, end in matcher(doc)]
    trimmed = [_with_period(_with_determiner(t)) for t in (_trim(s) for s in spans)
               if t is not None]
    kept = [s for s in trimmed if (not BARE_NUMBER.match(s.text) or YEAR.match(s.text))
            and not _frequency_adjective(s)]
    for span in merge_day_and_time(sorted(filter_spans(kept), key=lambda s: s.start)):
        yield from split_range(span, anchor)


def _with_determiner(span: Span) -> Span:
    """ "this year's results": spaCy sometimes tags only "year"; the determiner before a bare
    unit says which one."""
    before = span.doc[span.start - 1] if span.start > 0 else None
    if len(span) == 1 and before is not None and unit_code(span[0].lower_) and \
            before.lower_ in lexicon()["deictic"]:
        return Span(span.doc, span.start - 1, span.end, label=span.label_)
    return span


def _with_period(span: Span) -> Span:
    """ "in the 2021 period": spaCy tags the year; with its noun it names a reporting period."""
    doc = span.doc
    if not (YEAR.match(span.text) and 0 < span.start and span.end < len(doc)):
        return span
    periods = lexicon()["comparisons"]["periods"]
    if doc[span.start - 1].lower_ == "the" and doc[span.end].lower_ in periods:
        return Span(doc, span.start - 1, span.end + 1, label=span.label_)
    return span


def _frequency_adjective(span: Span) -> bool:
    """"an annual report", "quarterly earnings": describes the noun, names no time."""
    return len(span) == 1 and span[0].dep_ == "amod" and span[0].lower_ in lexicon()["sets"]


def merge_day_and_time(spans: list[Span]) -> list[Span]:
    """Join a day and a time of day spaCy tagged apart ("Thursday" "evening")."""
    merged: list[Span] = []
    for span in spans:
        last = merged[-1] if merged else None
        between = span.doc[last.end : span.start] if last is not None else None
        labels = {last.label_, span.label_} if last is not None else set()
        if between is not None and labels == {"DATE", "TIME"} and \
                all(t.is_punct or t.lower_ in ("on", "at") for t in between) and \
                not _is_length(last) and not _is_length(span):
            merged[-1] = span.doc[last.start : span.end]
            merged[-1].label_ = "TIME"
        else:
            merged.append(span)
    return merged


def _is_length(span: Span) -> bool:
    """ "four hours" is how long, not when: spaCy tags it TIME too."""
    return any(t.like_num for t in span) and any(unit_code(t.lower_) for t in span)


def split_range(span: Span, anchor: Anchor | None) -> list[Span]:
    """ "1991-1994", "between 2001 and 2003", "May 5 to June 3, 2020" -> one span per end.

    A range is kept whole unless both ends read as dates on their own, so "30-year-long" or
    "mid-November" stay one expression."""
    for tok in span:
        separator = tok.lower_ in RANGE_SEPARATORS | PERIOD_ENDS
        if separator and span.start < tok.i < span.end - 1:
            left, right = _trim(span.doc[span.start : tok.i]), _trim(span.doc[tok.i + 1 : span.end])
            if left is None or right is None:
                continue
            if left[0].lower_ in ("between", "from"):
                left = left[1:]
            ends = normalise(left.text, anchor), normalise(right.text, anchor)
            if tok.lower_ in PERIOD_ENDS and all(t.resolved for t in ends):
                return [left, right]
            if all(t.resolved and t.type == "DATE" and t.granularity for t in ends):
                return [left, right]
    return [span]


def tense(span: Span) -> int:
    """1 when the verb governing the span is future ("will meet on Friday", "is due to meet
    on Friday"), -1 when it is a simple past the date is attached to ("bought it in
    February"), 0 otherwise."""
    head = span.root
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    auxiliaries = lexicon()["future_auxiliaries"]
    if any(c.dep_ == "aux" and c.lower_ in auxiliaries for c in head.children):
        return 1
    if _intended(head):
        return 1
    # only where the date is what the past event happened "in" or the day a period "ended":
    # "declared a dividend payable May 3" is past but points ahead
    link = span.root.head
    past = link.lower_ == "ended" or link.lower_ == "in" and link.head == head \
        and head.tag_ == "VBD"
    return -1 if past else 0


def _intended(verb: Token) -> bool:
    """ "is scheduled to vote Monday", "is to meet Tuesday": an infinitive under a verb
    of plan or schedule points ahead like a future."""
    intent = verb.head
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    if not infinitive or intent.lemma_ not in lexicon()["future_intents"]:
        return False
    # "had been due to open Friday": a plan as it stood in the past
    copula = [intent.head] if intent.dep_ == "acomp" else []  # "had been due"
    verbs = [v for w in (intent, *copula) for v in (w, *w.children)
             if v is w or v.dep_ in ("aux", "auxpass")]
    return all(t.tag_ != "VBD" for t in verbs)


def year_by_last_day(span: Span, timex: Timex) -> Timex:
    """"the year ended June 30" is a fiscal year named by its last day, not the calendar
    year of the anchor: TimeML reads it as a DURATION of one year."""
    following = span.doc[span.end] if span.end < len(span.doc) else None
    if following is None or following.lower_ not in PERIOD_ENDS:
        return timex
    if timex.granularity == "year" and timex.anchored and timex.type == "DATE":
        return replace(timex, type="DURATION", value="P1Y", anchored=False, anchor=None)
    return timex


def reporting_period(
    found: list[tuple[Span, Timex]], anchor: Anchor | None
) -> list[tuple[Span, Timex]]:
    """Earnings news compares each figure with the same period a year before: "profit rose in
    the third quarter ... from a year earlier" means that quarter of the year before, and "the
    quarter" means the one reported. The reported quarter is the one named in the sentence,
    else the last one named before it (TimeML's narrative reference time)."""
    own = [(span, timex) for span, timex in found
           if QUARTER_VALUE.match(timex.value or "") and comparison_years(span.text) is None]
    in_sentence = {span.sent.start: timex.value for span, timex in reversed(own)}
    latest: str | None = None
    result = []
    for span, timex in found:
        years = comparison_years(span.text)
        reported = in_sentence.get(span.sent.start, latest)
        if years and reported:
            value = f"{int(reported[:4]) - years:04d}{reported[4:]}"
            timex = replace(timex, type="DATE", value=value, granularity="quarter",
                            anchored=True, resolved=True, reason=None)
        elif years and not timex.resolved and anchor is not None:
            timex = replace(timex, type="DATE", value=f"{anchor.day.year - years:04d}",
                            granularity="year", anchored=True, resolved=True, reason=None)
        elif reported and year_of_period(span.text):  # "the 2021 period"
            value = f"{year_of_period(span.text)}{reported[4:]}"
            timex = replace(timex, type="DATE", value=value, granularity="quarter")
        elif latest and refers_to_reported_period(span.text):
            timex = replace(timex, value=latest, granularity="quarter", anchored=True)
        elif QUARTER_VALUE.match(timex.value or ""):
            latest = timex.value
        elif MONTHS_VALUE.match(timex.value or ""):
            latest = None  # "in the nine months": the comparisons now are with that period
        result.append((span, timex))
    return result


def narrative_time(found: list[tuple[Span, Timex]]) -> list[tuple[Span, Timex]]:
    """"He was promoted in 1995 and the following year ...": "that year", "the following
    month" count from the last date the story told, when it is precise enough (TimeML's
    narrative reference time), not from the publication date."""
    reference: tuple[date, int] | None = None  # the last calendar date and its precision
    result = []
    for span, timex in found:
        unit = narrative_unit(span.text)
        if unit in UNIT_PRECISION and reference and reference[1] >= UNIT_PRECISION[unit]:
            anchor = Anchor(reference[0], f"narrative:{reference[0].isoformat()}")
            timex = normalise(span.text, anchor, tense(span))
        calendar = CALENDAR_VALUE.match(timex.value or "") if timex.type == "DATE" else None
        if calendar:
            fields = [int(f) for f in calendar.groups() if f]
            reference = date(*fields, *[1] * (3 - len(fields))), len(fields)
        result.append((span, timex))
    return result


def statement_anchor(found: list[tuple[Span, Timex]], attribution: Attribution) -> Anchor | None:
    """The day the attribution says its statement was made, as an anchor, if it names one."""
    when = attribution.time
    if when is None:
        return None
    for span, timex in found:
        overlaps = span.start_char < when.end and when.start < span.end_char
        if overlaps and timex.resolved and DAY_VALUE.match(timex.value or ""):
            return Anchor(date.fromisoformat(timex.value), f"statement:{attribution.id}")
    return None


def reanchor_statements(
    found: list[tuple[Span, Timex]], attributions: list[Attribution]
) -> list[tuple[Span, Timex]]:
    """Resolve relative times inside a statement against the time it was made.

    Outer statements go first, so a nested one is resolved against its own time when it has
    one and inherits its parent's otherwise."""
    for attribution in sorted(attributions, key=lambda a: a.content.start - a.content.end):
        anchor = statement_anchor(found, attribution)
        if anchor is None:
            continue
        inside = attribution.content
        found = [
            (span, normalise(span.text, anchor, tense(span)))
            if timex.anchored and inside.start <= span.start_char < inside.end
            else (span, timex)
            for span, timex in found
        ]
    return found


def to_time_expr(n: int, span: Span, timex: Timex) -> TimeExpr:
    return TimeExpr(
        id=f"T{n}",
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        type=timex.type,
        value=timex.value,
        granularity=timex.granularity,
        anchor=timex.anchor,
        resolved=timex.resolved,
        reason=timex.reason,
    )
