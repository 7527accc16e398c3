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
from datetime import date, timedelta

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from sayso.model import Attribution, TimeExpr
from sayso.nlp.normalise.numbers import parse_ordinal
from sayso.nlp.normalise.timenorm import (
    UNIT_GRANULARITY,
    Anchor,
    Timex,
    bare_clock,
    comparison_years,
    fmt,
    lexicon,
    narrative_unit,
    normalise,
    refers_to_reported_period,
    shift,
    unit_code,
    year_of_period,
)
from sayso.nlp.spans import doc_text, sayso_factory

HYPHENS = {"-", "\u2013"}
RANGE_SEPARATORS = HYPHENS | {"to", "through", "until", "till", "and"}
PERIOD_ENDS = {"ended", "ending"}  # "the quarter ended Sept. 30": a period and its last day
BARE_NUMBER = re.compile(r"^[\d.,]+$")
YEAR = re.compile(r"^[12]\d{3}$")
QUARTER_VALUE = re.compile(r"^\d{4}-Q[1-4]$")
MONTHS_VALUE = re.compile(r"^P\d+M$")
CALENDAR_VALUE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
UNIT_PRECISION = {"Y": 1, "M": 2, "W": 3, "WE": 3, "D": 3}  # date fields it needs
DAY_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
QUARTER_MIDDLE = 45  # days from a quarter's last day back to its middle


@sayso_factory("sayso_times")
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
            (span, timex) for span in candidates(doc, self.matcher, anchor)
            if names_a_time(span, timex := normalise(span.text, anchor, tense(span)))
        ]
        found = [(span, counted_day(span, indefinite_day(span, timex), anchor))
                 for span, timex in found]
        found = by_last_day(reporting_period(found, anchor))
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
    """Drop what spaCy's entities carry at their edges and TimeML leaves out of a time:
    whitespace and punctuation, a possessive "'s" ("last year's"), focus words and possessive
    determiners ("just last month", "its fourth quarter"), and the article of a time used as
    a modifier ("a two-day rally", "a 20th century democrat")."""
    doc, lex = span.doc, lexicon()
    start, end = span.start, span.end
    while end > start and (doc[end - 1].is_space or doc[end - 1].is_punct
                           or doc[end - 1].tag_ == "POS"):
        end -= 1
    while start < end and (doc[start].is_space or doc[start].is_punct
                           or doc[start].lower_ in lex["outside_span"]):
        start += 1
    prenominal = end < len(doc) and doc[end].pos_ in ("NOUN", "PROPN")
    if end - start > 1 and prenominal and doc[start].lower_ in ("a", "an") and \
            _time_word(doc[start + 1]) and not unit_code(doc[start + 1].lower_):
        start += 1
    return Span(doc, start, end, label=span.label_) if end > start else None


def candidates(doc: Doc, matcher: Matcher, anchor: Anchor | None) -> Iterator[Span]:
    """Time spans in text order: entities and matches, overlaps resolved longest-first."""
    spans = [e for e in doc.ents if e.label_ in ("DATE", "TIME")]
    spans += [Span(doc, start, end, label="DATE") for _, start, end in matcher(doc)]
    spans += clock_stamps(doc) + anaphoric_times(doc)
    trimmed = [_with_period(_with_determiner(t)) for t in (_trim(s) for s in spans)
               if t is not None]
    kept = [s for s in trimmed
            if (not BARE_NUMBER.match(s.text) or YEAR.match(s.text) or s.label_ == "TIME")
            and not _modifier_only(s) and not _prospects(s) and not _is_age(s)]
    for span in merge_day_and_time(sorted(filter_spans(kept), key=lambda s: s.start)):
        for part in split_range(span, anchor):
            yield _tighten(part, anchor)


def clock_stamps(doc: Doc) -> list[Span]:
    """ "10:42 Police say ...": the clock time a live blog puts at the head of each entry,
    which spaCy's entities miss."""
    spans = []
    for match in lexicon()["re"]["stamp"].finditer(doc_text(doc)):
        span = doc.char_span(*match.span("clock"), label="TIME", alignment_mode="expand")
        if span is not None:
            spans.append(span)
    return spans


def indefinite_day(span: Span, timex: Timex) -> Timex:
    """ "The town will one day be a city": between a modal and its verb, a time ahead, not a
    length of one day (the parser often takes it for the subject or an object)."""
    after_modal = span.start > 0 and span.doc[span.start - 1].tag_ == "MD"
    if after_modal and span.text.lower() in lexicon()["indefinite_days"]["words"]:
        return Timex("DATE", "FUTURE_REF", None)
    return timex


def anaphoric_times(doc: Doc) -> list[Span]:
    """ "until then", "by then": a word that names the last date told, after a preposition."""
    return [Span(doc, t.i, t.i + 1, label="DATE") for t in doc[1:]
            if _is_anaphor(Span(doc, t.i, t.i + 1))]


def _is_anaphor(span: Span) -> bool:
    anaphors = lexicon()["anaphors"]
    return span.text.lower() in anaphors["words"] and span.start > 0 and \
        span.doc[span.start - 1].lower_ in anaphors["prepositions"]


def names_a_time(span: Span, timex: Timex) -> bool:
    """False for what spaCy tags DATE but no rule reads and no word of which is a time word
    ("the Olympic park", "as little as 99 cents"), and for fractions ("more than a quarter
    of the market")."""
    doc = span.doc
    following = doc[span.end] if span.end < len(doc) else None
    count = span[-2].lower_ if len(span) > 1 else ""
    fraction = span[-1].lower_ in ("quarter", "quarters", "half") and \
        count in ("a", "one", "two", "three") and following is not None and \
        following.lower_ == "of"
    whole = [c for c in following.children if c.dep_ == "pobj"] if fraction else []
    if whole and not _time_word(whole[0]):  # "a quarter of the market", not "of a century"
        return False
    if timex.resolved or timex.reason != "no rule applies" or _is_anaphor(span):
        return True
    return any(_time_word(t) and not (t.like_num and not YEAR.match(t.text)) for t in span)


def _is_age(span: Span) -> bool:
    """ "a 6-year-old", "37 years old", "in his 50s": how old someone is, not a time."""
    doc = span.doc
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    ages = lexicon()["ages"]
    if re.search(ages["pattern"], span.text.lower()):
        return True
    if after in ages["after"] and any(unit_code(t.lower_) for t in span):
        return True
    # the possessive itself is outside the span (_trim drops it)
    return before in ages["possessives"] and bool(re.search(ages["decade"], span.text.lower()))


def _tighten(span: Span, anchor: Anchor | None) -> Span:
    """The time phrase inside a span spaCy drew too wide: "coup d'etat last year" -> "last
    year"; "three days later" -> "three days" (TimeML leaves "later" out as a signal)."""
    timex = normalise(span.text, anchor)
    last = span[-1].lower_
    if len(span) > 1 and timex.type == "DURATION" and last in lexicon()["after_event"]:
        return Span(span.doc, span.start, span.end - 1, label=span.label_)
    if timex.resolved or timex.reason != "no rule applies" or comparison_years(span.text):
        return span
    for start in range(1, len(span)):
        if _time_word(span[start - 1]):
            break  # only words that name no time are dropped ("the eighth day" stays whole)
        inner = span[start:]
        if span.doc[inner.start - 1].whitespace_ and normalise(inner.text, anchor).resolved:
            return Span(span.doc, inner.start, inner.end, label=span.label_)
    return span


def _time_word(token: Token) -> bool:
    """A number, an ordinal or a word of the time vocabulary."""
    lex = lexicon()
    word = token.lower_
    return token.like_num or parse_ordinal(word) is not None or unit_code(word) is not None \
        or any(word in lex[k] for k in ("months", "weekdays", "seasons", "deictic",
                                        "parts_of_day", "references"))


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


def _modifier_only(span: Span) -> bool:
    """"an annual report", "quarterly earnings", "a morning talk show", "the current account":
    describes the noun, names no time."""
    lex = lexicon()
    word = span[0].lower_
    following = span.doc[span.end].lower_ if span.end < len(span.doc) else ""
    if len(span) == 1 and f"{word} {following}" in lex["fixed_phrases"]:  # "current account"
        return True
    return len(span) == 1 and span[0].dep_ in ("amod", "compound") and \
        (word in lex["sets"] or word in lex["parts_of_day"] and word != "overnight")


def _prospects(span: Span) -> bool:
    """ "the future of the party", "the future looks bright": what lies ahead for something,
    the thing talked about, not the time something happens in."""
    prospects = lexicon()["prospects"]
    following = span.doc[span.end].lower_ if span.end < len(span.doc) else ""
    return span.text.lower() in prospects["words"] and \
        (following == "of" or span.root.dep_ in prospects["deps"])


def merge_day_and_time(spans: list[Span]) -> list[Span]:
    """Join what spaCy tagged apart: a day and a time of day ("Thursday" "evening"), a weekday
    and the date it names ("Friday" "Oct. 13"), and units joined by "and"/"or" ("weeks" or
    "months"), which TimeML reads as one vague time."""
    lex = lexicon()
    merged: list[Span] = []
    for span in spans:
        last = merged[-1] if merged else None
        between = span.doc[last.end : span.start] if last is not None else None
        labels = {last.label_, span.label_} if last is not None else set()
        adjacent = between is not None and \
            all(t.is_punct or t.lower_ in ("on", "at") for t in between)
        day_and_time = labels == {"DATE", "TIME"} and \
            not _is_length(last) and not _is_length(span)
        weekday_and_date = last is not None and last.text.lower() in lex["weekdays"] and \
            lex["re"]["has_date_word"].search(span.text.lower()) is not None
        units = between is not None and len(between) == 1 and between[0].lower_ in ("and", "or") \
            and _plural_unit(last[-1]) and len(span) == 1 and _plural_unit(span[0])
        if adjacent and (day_and_time or weekday_and_date) or units:
            merged[-1] = span.doc[last.start : span.end]
            merged[-1].label_ = "TIME" if day_and_time else "DATE"
        else:
            merged.append(span)
    return merged


def _plural_unit(token: Token) -> bool:
    return token.lower_.endswith("s") and unit_code(token.lower_) is not None


def _is_length(span: Span) -> bool:
    """ "four hours" is how long, not when: spaCy tags it TIME too."""
    return any(t.like_num for t in span) and any(unit_code(t.lower_) for t in span)


def split_range(span: Span, anchor: Anchor | None) -> list[Span]:
    """ "1991-1994", "between 2001 and 2003", "May 5 to June 3, 2020" -> one span per end.

    A range is kept whole unless both ends read as dates on their own, so "30-year-long" or
    "mid-November" stay one expression, and a hyphen parts a range only before a number or a
    month ("the year-earlier quarter" is one)."""
    for tok in span:
        separator = tok.lower_ in RANGE_SEPARATORS | PERIOD_ENDS
        if separator and span.start < tok.i < span.end - 1 and \
                (tok.lower_ not in HYPHENS or _opens_a_date(span.doc[tok.i + 1])):
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


def _opens_a_date(token: Token) -> bool:
    """A number or a calendar name: what the second end of a hyphenated range starts with."""
    lex = lexicon()
    return token.like_num or any(token.lower_.rstrip(".") in lex[k]
                                 for k in ("months", "weekdays", "seasons"))


def tense(span: Span) -> int:
    """1 when the span points ahead, -1 when a past verb it hangs on says it is behind,
    0 otherwise.

    Ahead: a future verb ("will meet on Friday"), a plan ("is due to meet on Friday"), a
    deadline ("a deadline expiring on Tuesday", "faces Friday's deadline"), or a present verb
    a day hangs on, which is a timetable ("talks resume on Friday", "the vote is on Sunday").
    Behind: a past verb the date says when of ("bought it in February", "protests this
    weekend drew thousands"), not a present perfect ("has set Nov. 10 as the deadline"), not
    one it is only the goal of ("was extended to Nov. 16") or stands near ("declared a
    dividend payable May 3")."""
    lex = lexicon()
    link = span.root.head
    head = _governing_verb(span.root)
    if any(c.dep_ == "aux" and c.lower_ in lex["future_auxiliaries"] for c in head.children):
        return 1
    if _plan(head) > 0 or _deadline(span, head):
        return 1
    if link.lower_ == "ended":
        return -1
    when = span.root.dep_ == "npadvmod" and link == head or \
        link.dep_ == "prep" and link.head == head and link.lower_ in lex["when_prepositions"]
    if not when:
        return 0
    clause = _clause_verb(head)
    if _past(clause) and not _present_perfect(clause):
        return -1
    day = lex["re"]["day_word"].search(span.text.lower())
    present = _present(clause) and head.lemma_ not in lex["reporting_verbs"]
    return 1 if day and present else 0


def _governing_verb(token: Token) -> Token:
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    return token


def _clause_verb(verb: Token) -> Token:
    """The finite verb whose tense a clause has: for a participle without auxiliaries ("a
    deadline expiring on Tuesday", "with holders tendering by Tuesday"), the verb above it."""
    while verb.tag_ in ("VBG", "VBN") and not _auxiliaries(verb) and verb.head.i != verb.i:
        above = _governing_verb(verb.head)
        if above.pos_ not in ("VERB", "AUX"):
            break
        verb = above
    return verb


def _auxiliaries(verb: Token) -> list[Token]:
    return [c for c in verb.children if c.dep_ in ("aux", "auxpass")]


def _present(verb: Token) -> bool:
    """A present simple or progressive ("resume", "is", "is meeting"), not a perfect."""
    auxiliaries = _auxiliaries(verb)
    if any(a.tag_ == "VBD" or a.lemma_ == "have" for a in auxiliaries):
        return False
    if verb.tag_ in ("VBZ", "VBP"):
        return True
    return verb.tag_ in ("VBG", "VBN") and any(a.tag_ in ("VBZ", "VBP") for a in auxiliaries)


def _past(verb: Token) -> bool:
    """A simple or perfect past ("drew", "was closed", "has fallen")."""
    auxiliaries = _auxiliaries(verb)
    if verb.tag_ == "VBD" and not auxiliaries:
        return True
    return any(a.tag_ == "VBD" or a.lemma_ == "have" for a in auxiliaries)


def _present_perfect(verb: Token) -> bool:
    """ "has set Nov. 10 as the deadline": English puts no definite past time on a present
    perfect ("has fallen on Monday" is not said), so a date hanging on one is no past one."""
    return any(a.lemma_ == "have" and a.tag_ in ("VBZ", "VBP") for a in _auxiliaries(verb))


def _deadline(span: Span, verb: Token) -> bool:
    """A date that is a deadline or an expiry, unless the clause tells it as past or as a
    plan that stood in the past ("had been due to expire Friday")."""
    words = lexicon()["deadlines"]
    noun = span.root.head if span.root.dep_ in ("poss", "compound", "pobj", "npadvmod") else None
    if noun is not None and noun.dep_ == "prep":
        noun = noun.head
    if noun is not None and noun.lemma_.lower() in words["nouns"]:
        clause = _clause_verb(_governing_verb(noun))
        return not _past(clause) and _plan(clause) >= 0
    return verb.lemma_ in words["verbs"] and not _past(_clause_verb(verb)) and _plan(verb) >= 0


def _plan(verb: Token) -> int:
    """ "is scheduled to vote Monday", "is to meet Tuesday": an infinitive under a verb of
    plan or schedule points ahead like a future (1); "had been due to open Friday" is a plan
    as it stood in the past (-1); 0 when the verb is no planned infinitive."""
    intent = verb.head
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    if not infinitive or intent.lemma_ not in lexicon()["future_intents"]:
        return 0
    copula = [intent.head] if intent.dep_ == "acomp" else []  # "had been due"
    verbs = [v for w in (intent, *copula) for v in (w, *w.children)
             if v is w or v.dep_ in ("aux", "auxpass")]
    return -1 if any(t.tag_ == "VBD" for t in verbs) else 1


def counted_day(span: Span, timex: Timex, anchor: Anchor | None) -> Timex:
    """ "Today is the eighth day of the strike", "it's the second day of talks": a day counted
    after a present "be" is the day the text was written, the anchor."""
    root, head = span.root, span.root.head
    counted = unit_code(root.lower_) == "D" and any(parse_ordinal(t.lower_) for t in span)
    present_be = root.dep_ == "attr" and head.lemma_ == "be" and head.tag_ in ("VBZ", "VBP")
    if timex.resolved or anchor is None or not (counted and present_be):
        return timex
    return replace(timex, value=anchor.day.isoformat(), granularity="day", anchored=True,
                   anchor=anchor.label, resolved=True, reason=None)


def by_last_day(found: list[tuple[Span, Timex]]) -> list[tuple[Span, Timex]]:
    """Periods named by their last day. "The year ended June 30" is a fiscal year, not the
    calendar year of the anchor: TimeML reads it as a DURATION of one year. "The quarter
    ended July 31" is the calendar quarter that holds most of it, the one of its middle day."""
    result = []
    for i, (span, timex) in enumerate(found):
        following = span.doc[span.end] if span.end < len(span.doc) else None
        if following is not None and following.lower_ in PERIOD_ENDS:
            timex = _by_last_day(span, timex, found[i + 1] if i + 1 < len(found) else None)
        result.append((span, timex))
    return result


def _by_last_day(span: Span, timex: Timex, last_day: tuple[Span, Timex] | None) -> Timex:
    if timex.granularity == "year" and timex.anchored and timex.type == "DATE":
        return replace(timex, type="DURATION", value="P1Y", anchored=False, anchor=None)
    if last_day and last_day[0].start == span.end + 1 and \
            DAY_VALUE.match(last_day[1].value or "") and \
            unit_code(span[-1].lower_) == "Q" and refers_to_reported_period(span.text):
        middle = date.fromisoformat(last_day[1].value) - timedelta(days=QUARTER_MIDDLE)
        return replace(timex, value=fmt(middle, "Q"), anchored=False, anchor=None)
    return timex


def reporting_period(
    found: list[tuple[Span, Timex]], anchor: Anchor | None
) -> list[tuple[Span, Timex]]:
    """Earnings news compares each figure with the same period a year before: "profit rose in
    the third quarter ... from a year earlier" means that quarter of the year before, and "the
    quarter" means the one reported. The reported quarter is the one named in the sentence,
    else the last one named before it (TimeML's narrative reference time), else the last one
    completed before the anchor."""
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
        elif refers_to_reported_period(span.text) and not timex.resolved and anchor is not None:
            # no quarter named yet: the one a report is about is the last one completed
            timex = replace(timex, type="DATE", value=fmt(shift(anchor.day, "Q", -1), "Q"),
                            granularity="quarter", anchored=True, anchor=anchor.label,
                            resolved=True, reason=None)
        elif QUARTER_VALUE.match(timex.value or ""):
            latest = timex.value
        elif MONTHS_VALUE.match(timex.value or ""):
            latest = None  # "in the nine months": the comparisons now are with that period
        result.append((span, timex))
    return result


def narrative_time(found: list[tuple[Span, Timex]]) -> list[tuple[Span, Timex]]:
    """"He was promoted in 1995 and the following year ...": "that year", "the following
    month" count from the last date the story told, when it is precise enough (TimeML's
    narrative reference time), not from the publication date. A clock time that names no
    day ("On Monday police raided the flat. The raid began at 10 a.m.") is on the last day
    told in the same paragraph. "Until then" is the last date told, as precise as it was;
    with none told, "then" is no time."""
    reference: tuple[date, int] | None = None  # the last calendar date and its precision
    paragraph_day: tuple[date, int] | None = None  # the last day told and where it ended
    text = doc_text(found[0][0].doc) if found else ""
    result = []
    for span, timex in found:
        unit = narrative_unit(span.text)
        if _is_anaphor(span) and reference is None:
            continue
        if _is_anaphor(span) and reference:
            told = "YMD"[reference[1] - 1]  # as precise as the date told
            timex = Timex("DATE", fmt(reference[0], told), UNIT_GRANULARITY[told],
                          anchor=f"narrative:{reference[0].isoformat()}")
        elif unit in UNIT_PRECISION and reference and reference[1] >= UNIT_PRECISION[unit]:
            anchor = Anchor(reference[0], f"narrative:{reference[0].isoformat()}")
            timex = normalise(span.text, anchor, tense(span))
        elif timex.type == "TIME" and paragraph_day and bare_clock(span.text) and \
                "\n" not in text[paragraph_day[1] : span.start_char]:
            anchor = Anchor(paragraph_day[0], f"narrative:{paragraph_day[0].isoformat()}")
            timex = normalise(span.text, anchor, tense(span))
        calendar = CALENDAR_VALUE.match((timex.value or "")[:10]) \
            if timex.type in ("DATE", "TIME") else None
        if calendar:
            fields = [int(f) for f in calendar.groups() if f]
            if timex.type == "DATE":
                reference = date(*fields, *[1] * (3 - len(fields))), len(fields)
            if len(fields) == 3:
                paragraph_day = date(*fields), span.end_char
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
