"""PLOVER events: who did what to whom, where and when, and on whose say-so.

An event is triggered by a verb from a lexicon (`data/plover_verbs.tsv`) or by an event noun
carried by a support verb (`data/plover_nouns.tsv`: "launched an offensive", "held talks").
Actors and recipients come from the dependency parse (subject / passive agent -> actor;
object, clause subject or the object of a listed preposition -> recipient) and are mapped to
`doc._.entities` by token offsets, with attribution sources as a fallback so a resolved "they"
still names its entity; a subject phrase naming no entity becomes a new GROUP entity. The
attribution whose content holds the trigger is the event's `reported_by`; a statement's own
cue verb ("refuted", "accused", "requested") is an event of its speaker. Modality (negated,
hypothetical, planned, alleged, claimed, denied) comes from the cue words in
`data/plover_cues.tsv`.

Hand-written rules over the parse rather than a trained classifier: no PLOVER-coded training
corpus ships with a permissive licence, and the lexicon keeps every decision inspectable.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from sayso.model import Attribution, Entity, Event, Place, Span, TimeExpr
from sayso.nlp.entities import actors
from sayso.nlp.entities.entitybook import countries_in, strip_determiners
from sayso.nlp.spans import sayso_factory

DATA = Path(__file__).parent.parent / "data"

# Dependency labels that leave the phrase of an argument: a clause hung on a noun is not the
# noun's owner ("forces that shelled X" names the forces, not X).
_CLAUSAL = {"relcl", "acl", "advcl", "ccomp", "xcomp", "conj", "cc", "punct", "appos"}
_SUBJECTS = {"nsubj", "csubj"}
_EMBEDDED = {"ccomp", "xcomp", "advcl", "conj"}  # clauses whose pronoun subject looks upward
_REL_PRONOUNS = {"that", "which", "who", "whom"}
# Most to least certain-breaking: an event a source denies is never stored as plainly asserted.
_MODALITY_ORDER = ("denied", "negated", "hypothetical", "planned", "alleged", "claimed")
_MAX_ANCHOR_TOKENS = 12


@dataclass(frozen=True)
class Rule:
    """One lexicon row: the PLOVER type a word triggers and how its arguments are read."""

    type: str
    mode: str | None
    preps: tuple[str, ...]
    requires: tuple[str, ...] = ()
    object_is_recipient: bool = True  # False when the object is what the actor moves or signs


def _rows(name: str) -> Iterator[list[str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if row and not row[0].startswith("#"):
                yield row


def _opt(value: str) -> str | None:
    return None if value == "-" else value


def _list(value: str, sep: str = ",") -> tuple[str, ...]:
    return () if value == "-" else tuple(value.split(sep))


@lru_cache(maxsize=1)
def verb_rules() -> dict[str, list[Rule]]:
    """Verb lemma -> its rules in file order (the first whose requirements hold wins)."""
    rules: dict[str, list[Rule]] = {}
    for lemma, type_, mode, preps, requires, obj in _rows("plover_verbs.tsv"):
        rule = Rule(type_, _opt(mode), _list(preps), _list(requires), obj == "recipient")
        rules.setdefault(lemma, []).append(rule)
    return rules


@lru_cache(maxsize=1)
def noun_rules() -> dict[str, Rule]:
    return {lemma: Rule(t, _opt(m), _list(p)) for lemma, t, m, p in _rows("plover_nouns.tsv")}


@lru_cache(maxsize=1)
def cues() -> dict[str, dict[str, str]]:
    """kind -> word -> value, from the rule table `plover_cues.tsv`."""
    table: dict[str, dict[str, str]] = {}
    for kind, word, value in _rows("plover_cues.tsv"):
        table.setdefault(kind, {})[word] = value
    return table


@lru_cache(maxsize=1)
def context_words() -> dict[str, str]:
    return dict(_rows("plover_context.tsv"))


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


# --- triggers -----------------------------------------------------------------------------


def patient(verb: Token) -> Token | None:
    """What the verb acts on: its object, the subject of a passive, or the noun a passive
    participle modifies ("a statement signed by ...")."""
    for child in verb.children:
        if child.dep_ in ("dobj", "nsubjpass"):
            return child
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        return verb.head
    return None


def _holds(cond: str, verb: Token, rule: Rule) -> bool:
    deps = {c.dep_ for c in verb.children}
    if cond == "clause":
        return bool(deps & {"ccomp", "xcomp"})
    if cond in ("dobj", "intrans"):
        return (patient(verb) is not None) == (cond == "dobj")
    if cond == "prep":
        return any(c.dep_ == "prep" and c.lower_ in rule.preps for c in verb.children)
    key, _, value = cond.partition("=")
    if key == "prt":
        return any(c.dep_ == "prt" and c.lower_ == value for c in verb.children)
    if key in ("obj", "obj!"):
        obj = patient(verb)
        return obj is not None and bool(object_words(obj) & set(value.split("|"))) == (key == "obj")
    raise ValueError(f"unknown lexicon condition {cond!r}")


def object_words(obj: Token) -> set[str]:
    """Lemmas that say what an object is: its head, noun modifiers and, for a measure or part
    ("20 tonnes of rice", "half of its trade", "a state of emergency"), its of-noun."""
    heads = [obj]
    heads += [p for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"
              for p in c.children if p.dep_ == "pobj"]
    return {_lemma(t) for h in heads for t in (h, *h.children) if t is h or t.dep_ == "compound"}


def _bare_participle(tok: Token) -> bool:
    """A participle describing a noun ("troops deployed in the region") states a condition;
    only with its agent ("a deal signed by both sides") does it report an act."""
    return tok.dep_ == "acl" and tok.tag_ == "VBN" and all(c.dep_ != "agent" for c in tok.children)


def verb_rule(tok: Token) -> Rule | None:
    """The lexicon reading of a verb token, if any row's requirements hold for it."""
    if not tok.tag_.startswith("VB") or tok.dep_ == "amod" or _bare_participle(tok):
        return None
    for rule in verb_rules().get(_lemma(tok), ()):
        if all(_holds(c, tok, rule) for c in rule.requires):
            return rule
    return None


def noun_trigger(tok: Token) -> Rule | None:
    """An event noun counts when a support verb carries it or it is an occurrence's subject."""
    rule = noun_rules().get(_lemma(tok))
    if rule is None or tok.pos_ not in ("NOUN", "PROPN"):
        return None
    head = _lemma(tok.head)
    if tok.dep_ == "dobj" and head in cues()["support"]:
        return rule
    if tok.dep_ == "nsubj" and head in cues()["occur"]:
        return rule
    return None


# --- arguments ----------------------------------------------------------------------------


class EntityIndex:
    """Token -> entity id, from entity mentions first and resolved attribution sources after.

    A subject phrase that names no entity ("the protesters", "volunteer doctors") becomes a new
    GROUP entity, appended to `doc._.entities`: the event still says who acted, and the actor
    stays an entity the rest of the output can refer to."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text  # built by joining every token: once per doc, not per span
        self.by_token: dict[int, str] = {}
        for ent in doc._.entities or []:
            for m in ent.mentions:
                self._add(m.start, m.end, ent.id)
        for att in doc._.attributions or []:
            if att.source is not None and att.source.entity:
                self._add(att.source.start, att.source.end, att.source.entity)

    def _add(self, start: int, end: int, entity: str) -> None:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        for tok in span or ():
            self.by_token.setdefault(tok.i, entity)

    def phrase(self, head: Token) -> list[str]:
        """Entities a noun phrase names: one per conjunct, found nearest its head first."""
        found: list[str] = []
        for conjunct in (head, *head.conjuncts):
            ent = self._nearest(conjunct)
            if ent and ent not in found:
                found.append(ent)
        return found

    def actors(self, head: Token) -> list[str]:
        """Like `phrase`, but a conjunct that names no entity gets one made from its words."""
        found: list[str] = []
        for conjunct in (head, *head.conjuncts):
            ent = self._nearest(conjunct) or self._new_group(conjunct)
            if ent and ent not in found:
                found.append(ent)
        return found

    def _nearest(self, head: Token) -> str | None:
        frontier = [head]
        for _ in range(4):
            for tok in frontier:
                if tok.i in self.by_token:
                    return self.by_token[tok.i]
            frontier = [c for t in frontier for c in t.children if c.dep_ not in _CLAUSAL]
        return None

    def groupish(self, head: Token) -> bool:
        """Whether a phrase reads as people: a group or role noun, or a nationality."""
        if head.lower_ in actors.group_nouns() or actors.role_of(head.text):
            return True
        return countries_in(self.doc[head.left_edge.i : head.i + 1]) is not None

    def _new_group(self, head: Token) -> str | None:
        """A GROUP entity for a common-noun phrase, named by the phrase without its clauses."""
        if head.pos_ not in ("NOUN", "PROPN"):
            return None
        kept = [c for c in head.children if c.dep_ not in _CLAUSAL]
        start = min((c.left_edge.i for c in kept), default=head.i)
        end = max((c.right_edge.i for c in kept), default=head.i)
        span = strip_determiners(self.doc[min(start, head.i) : max(end, head.i) + 1])
        group = actors.group_nouns().get(head.lower_)
        sector = group.sector if group is not None else None
        country = countries_in(span)
        entities = self.doc._.entities = list(self.doc._.entities or [])
        n = 1 + max((int(e.id[1:]) for e in entities if e.id[1:].isdigit()), default=0)
        ent = Entity(id=f"E{n}", name=span.text, type="GROUP", country=country,
                     mentions=[Span.of(self.text, span.start_char, span.end_char)],
                     sector=sector, code=actors.actor_code(country, sector))
        entities.append(ent)
        self._add(span.start_char, span.end_char, ent.id)
        return ent.id


def governor_chain(verb: Token) -> list[Token]:
    """The verb and the governors it complements ("began firing", "planned to attack"),
    innermost first."""
    chain = [verb]
    while _complements(chain[-1]) and _lemma(chain[-1].head) in cues()["governor"]:
        chain.append(chain[-1].head)
    return chain


def _complements(verb: Token) -> bool:
    """True for a verb that completes its head: "planned to attack", and the infinitive with its
    own subject that the parser hangs as a clause ("wanted us to attack")."""
    return verb.dep_ == "xcomp" or (
        verb.dep_ == "ccomp" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children))


def subject(verb: Token) -> Token | None:
    """Who does what the verb says, following control, coordination and relative clauses."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    for child in verb.children:
        if child.dep_ in _SUBJECTS:
            if child.lower_ in _REL_PRONOUNS and verb.dep_ == "relcl":
                return verb.head
            return child
    if verb.dep_ == "relcl" or (verb.dep_ == "acl" and verb.tag_ == "VBG"):
        return verb.head
    if verb.dep_ == "xcomp":
        obj = next((c for c in verb.head.children if c.dep_ == "dobj"), None)
        return obj or subject(verb.head)
    reduced = _reduced_relative_subject(verb)
    if reduced is not None:
        return reduced
    if verb.dep_ in ("conj", "acomp") or (verb.dep_ == "advcl" and verb.tag_ == "VBG"):
        return subject(verb.head)
    if verb.dep_ == "pcomp":  # "justified it by claiming that ..."
        return subject(verb.head.head)
    return None


def event_actors(index: EntityIndex, verb: Token, top: Token) -> list[str]:
    """The entities of the verb's subject; an unresolved pronoun stands for the subject of the
    clause that governs it ("Peru said it would send troops": "it" is Peru)."""
    subj = subject(verb)
    if subj is None:
        return []
    if subj.pos_ == "PRON" and not index.phrase(subj):
        subj = governing_subject(top) or subj
    return index.actors(subj)


def governing_subject(top: Token) -> Token | None:
    """The nearest non-pronoun subject of a clause above this one."""
    tok = top
    while tok.dep_ in _EMBEDDED and tok.head.i != tok.i:
        tok = tok.head
        subj = subject(tok)
        if subj is not None and subj.pos_ != "PRON":
            return subj
    return None


def _reduced_relative_subject(verb: Token) -> Token | None:
    """Repair a common misparse: in "forces deployed in the area shelled the town" the parser
    reads "forces deployed ..." as the clause and leaves "shelled" without a subject. When the
    words just before a subjectless verb close a bare participle clause, its subject is ours."""
    if verb.i == verb.sent.start:
        return None
    prev = verb.doc[verb.i - 1]
    while prev.pos_ != "VERB" and prev.head.i != prev.i:
        prev = prev.head
    if prev.tag_ not in ("VBN", "VBD") or prev.i >= verb.i or prev.right_edge.i != verb.i - 1:
        return None
    if any(c.dep_ in ("aux", "auxpass") for c in prev.children):
        return None
    return next((c for c in prev.children if c.dep_ == "nsubj"), None)


def recipient_heads(verb: Token, rule: Rule) -> Iterator[tuple[Token, Token | None]]:
    """Candidate recipient phrases in order of preference, each with the token that ends the
    event's anchor on its side (None when it lies left of the verb)."""
    for child in verb.children:
        if child.dep_ == "dative":
            yield child, child
    obj = patient(verb) if rule.object_is_recipient else None
    if obj is not None:
        yield obj, obj if obj.i > verb.i else None
    theme = patient(verb) if not rule.object_is_recipient else None
    # "provided aid to X": the parser often hangs the recipient's preposition on the object
    for holder in (verb, theme) if theme is not None and theme.i > verb.i else (verb,):
        for child in holder.children:
            if child.dep_ == "prep" and child.lower_ in rule.preps:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        yield pobj, pobj
    for child in verb.children:
        if child.dep_ == "ccomp":
            subj = next((c for c in child.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None:
                yield subj, child


def pick_recipients(
    index: EntityIndex, heads: list[tuple[Token, Token | None]], actor_ids: list[str]
) -> tuple[list[str], Token | None]:
    """The first candidate naming a known entity, with its anchor end; failing that, the first
    that reads as people ("the protesters") becomes a new entity. Things ("20 tonnes of rice") never
    do: an inanimate object is what the event moves, not whom it reaches."""
    for head, end in heads:
        found = [e for e in index.phrase(head) if e not in actor_ids]
        if found:
            return found, end
    for head, end in heads:
        if index.groupish(head):
            return [e for e in index.actors(head) if e not in actor_ids], end
    return [], None


# --- modality and links -------------------------------------------------------------------


def _contains(span: Span | None, tok: Token) -> bool:
    return span is not None and span.start <= tok.idx < span.end


def _cue_lemma(doc: Doc, att: Attribution) -> str:
    span = doc.char_span(att.cue.start, att.cue.end, alignment_mode="expand") if att.cue else None
    return _lemma(span.root) if span is not None else ""


def carrier(doc: Doc, trigger: Token) -> tuple[Attribution | None, Attribution | None]:
    """(the innermost attribution whose content holds the trigger, the one it is the cue of)."""
    holders, own = [], None
    for att in doc._.attributions or []:
        if _contains(att.cue, trigger):
            own = att
        elif _contains(att.content, trigger):
            holders.append(att)
    inner = min(holders, key=lambda a: a.content.end - a.content.start, default=None)
    return inner, own


def modality(doc: Doc, chain: list[Token], reported_by: Attribution | None) -> str:
    """The strongest qualification the clause or its carrying statement puts on the event."""
    table = cues()
    found: set[str] = set()
    top = chain[-1]
    for verb in chain:
        for child in verb.children:
            word = child.lower_
            if child.dep_ == "neg":
                found.add("negated")
            elif child.dep_ == "aux" and word in table["reported"] and top.dep_ == "ccomp":
                found.add(table["reported"][word])
            elif child.dep_ == "aux" and word in table["modal"]:
                found.add(table["modal"][word])
            elif child.dep_ == "mark" and word in table["mark"]:
                found.add(table["mark"][word])
            elif child.dep_ == "advmod" and word in table["adverb"]:
                found.add(table["adverb"][word])
    for complement, governor in zip(chain, chain[1:], strict=False):
        if table["governor"].get(_lemma(governor), "-") != "-":
            # Someone's plan for their own act is planned; their wish that another party act
            # ("wanted us to attack") says nothing of what that party will do: hypothetical.
            others = any(c.dep_ in _SUBJECTS for c in complement.children)
            found.add("hypothetical" if others else table["governor"][_lemma(governor)])
    for head in _clause_heads(top):
        kind = _stance(_lemma(head))
        if kind:
            found.add(kind)
            break
    if reported_by is not None:
        kind = _stance(_cue_lemma(doc, reported_by))
        if kind:
            found.add(kind)
    return next((m for m in _MODALITY_ORDER if m in found), "asserted")


def _stance(lemma: str) -> str | None:
    table = cues()
    return table["deny"].get(lemma) or table["claim"].get(lemma)


def _clause_heads(top: Token) -> Iterator[Token]:
    """The verbs that take this clause as their complement ("denied that troops fired")."""
    tok = top
    while tok.dep_ in ("ccomp", "xcomp") and tok.head.i != tok.i:
        tok = tok.head
        yield tok


def _nearest_in(
    items: Iterable[TimeExpr | Place], doc: Doc, sent: SpacySpan, anchor: SpacySpan
) -> str | None:
    """The id of the item in the sentence closest to the anchor, preferring the clause."""
    inside = [it for it in items if sent.start_char <= it.start and it.end <= sent.end_char]
    if not inside:
        return None
    clause = {t.idx for t in anchor.root.subtree}
    return min(
        inside, key=lambda it: (it.start not in clause, abs(it.start - anchor.start_char))
    ).id


def event_time(doc: Doc, sent: SpacySpan, anchor: SpacySpan) -> str | None:
    """A dated point for the event: durations and recurring sets do not say when it happened."""
    times = [t for t in doc._.times or [] if t.type in ("DATE", "TIME")]
    return _nearest_in(times, doc, sent, anchor)


def event_place(doc: Doc, sent: SpacySpan, anchor: SpacySpan) -> str | None:
    """A place the sentence locates the event in: one governed by a locative preposition, and
    not a place inside an organisation's name ("at the Winnipeg Free Press" is no location)."""
    locative = cues()["locative"]
    located = []
    for place in doc._.places or []:
        if place.kind == "modifier":
            continue
        span = doc.char_span(place.start, place.end, alignment_mode="expand")
        if span is None:
            continue
        head = span.root
        while head.dep_ in ("compound", "conj", "appos") and head.head.i != head.i:
            head = head.head
        if head.dep_ == "pobj" and head.head.lower_ in locative:
            located.append(place)
    return _nearest_in(located, doc, sent, anchor)


def context(sent: SpacySpan) -> str | None:
    words = context_words()
    return next((words[_lemma(t)] for t in sent if _lemma(t) in words), None)


# --- assembly -----------------------------------------------------------------------------


@dataclass
class _Found:
    trigger: Token  # the verb the event hangs on
    rule: Rule
    noun: Token | None = None  # the event noun, for support-verb events


def triggers(sent: SpacySpan) -> Iterator[_Found]:
    for tok in sent:
        rule = verb_rule(tok)
        if rule is not None:
            yield _Found(tok, rule)
            continue
        rule = noun_trigger(tok)
        if rule is not None and verb_rule(tok.head) is None:
            yield _Found(tok.head, rule, tok)


def build_event(doc: Doc, index: EntityIndex, sent: SpacySpan, found: _Found) -> Event:
    verb, rule = found.trigger, found.rule
    chain = governor_chain(verb)
    top = chain[-1]
    reported_by, own = carrier(doc, verb)

    if own is not None and own.source is not None and own.source.entity:
        actor_ids = [own.source.entity]
    else:
        actor_ids = event_actors(index, verb, top)

    right_end = found.noun or verb
    candidates = recipient_heads(found.noun, rule) if found.noun is not None else iter(())
    recipients, end = pick_recipients(index, [*candidates, *recipient_heads(verb, rule)],
                                      actor_ids)
    if recipients and end is not None and end.i - top.i < _MAX_ANCHOR_TOKENS:
        right_end = max(right_end, end, key=lambda t: t.i)

    left = min(
        (c for c in top.children if c.dep_ in ("aux", "auxpass", "neg") and c.i < top.i),
        key=lambda t: t.i,
        default=top,
    )
    anchor = doc[left.i : right_end.i + 1]
    mood = modality(doc, chain, reported_by)
    return Event(
        id="",
        type=cues()["future"].get(rule.type, rule.type) if mood == "planned" else rule.type,
        anchor=Span.of(index.text, anchor.start_char, anchor.end_char),
        actors=actor_ids,
        recipients=recipients,
        mode=rule.mode,
        context=context(sent),
        place=event_place(doc, sent, anchor),
        time=event_time(doc, sent, anchor),
        reported_by=reported_by.id if reported_by is not None else None,
        modality=mood,
        sentence=Span.of(index.text, sent.start_char, sent.end_char),
    )


def find_events(doc: Doc) -> list[Event]:
    """Every event the lexicon finds in the doc, numbered V1, V2, ... in text order."""
    index = EntityIndex(doc)
    events = [build_event(doc, index, sent, f) for sent in doc.sents for f in triggers(sent)]
    events.sort(key=lambda e: e.anchor.start)
    for n, event in enumerate(events, 1):
        event.id = f"V{n}"
    return events


class EventTagger:
    """The `sayso_events` component: fills `doc._.events`."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.events = find_events(doc)
        return doc


@sayso_factory("sayso_events")
def make_event_tagger(nlp: Language, name: str) -> EventTagger:
    return EventTagger()
