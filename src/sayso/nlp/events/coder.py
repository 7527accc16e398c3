"""PLOVER events: who did what to whom, where and when, and on whose say-so.

An event is triggered by a verb from a lexicon (`data/plover_verbs.tsv`) or by an event noun
carried by a support verb (`data/plover_nouns.tsv`: "launched an offensive", "held talks",
"engaged in fighting", "launched ten days of exercises"). Its type is the cue's, read with its
qualifiers (`data/plover_cues.tsv`): a refused cooperative act is a REJECT, an obligation
someone states ("said China must drop its barriers") a REQUEST of the speaker on the clause's
subject, a planned or conditional forceful act or a promise of force a THREATEN, a strike
named by its weapon ("air strikes") an ASSAULT. Actors and recipients come from the
dependency parse (subject / passive agent -> actor, coordinated subjects and modifiers each an
actor, the parties of "fighting between X and Y" all actors; object, clause subject or the
object of a listed preposition -> recipient, then the arguments of the act it governs or of
its purpose clause, then an entity in another of its phrases, then where a purpose clause's
act was aimed, then the owner of a thing: "rebel positions") and are mapped to
`doc._.entities` by token offsets, with attribution sources
as a fallback so a resolved "they" still names its entity; a subject phrase naming no entity
becomes a new GROUP entity when it can name agents (a group, role or nationality, or a plural;
never an event or a singular thing, whose nation, if named, stands for it). The
attribution whose content holds the trigger is the event's `reported_by`; a statement's own
cue verb ("refuted", "accused", "requested") is an event of its speaker. Modality (negated,
hypothetical, planned, alleged, claimed, denied) comes from the cue words in
`data/plover_cues.tsv`.

Hand-written rules over the parse rather than a trained classifier: no PLOVER-coded training
corpus ships with a permissive licence, and the lexicon keeps every decision inspectable.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from sayso.model import Attribution, Entity, Event, Place, Span, TimeExpr
from sayso.nlp.entities import actors
from sayso.nlp.entities.entitybook import countries_in, strip_determiners
from sayso.nlp.events.positions import ByStart, StatementsBySentence
from sayso.nlp.spans import doc_text, sayso_factory, token_column

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


@lru_cache(maxsize=1)
def _confidences() -> dict[tuple[bool, bool], float]:
    """(actors found, recipients found) -> the share of such events whose type is right, as
    scripts/calibrate_events.py measured it on the PLOVER dev split."""
    return {(a == "yes", r == "yes"): float(c) for a, r, c, *_ in _rows("event_confidence.tsv")}


def event_confidence(actor_ids: list[str], recipients: list[str]) -> float | None:
    return _confidences().get((bool(actor_ids), bool(recipients)))


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
    counted = _counted_object(verb)
    if counted is not None:
        return counted
    if verb.dep_ == "acl" and verb.tag_ == "VBN" and _verbless_subject(verb) is None:
        return verb.head
    return None


def _counted_object(verb: Token) -> Token | None:
    """Repair a misparse of a counted object: in "seized up to 12 engineers" the parser takes
    "up" for the verb's particle and "12 engineers" for the object of "to"."""
    for prt in verb.children:
        if prt.dep_ == "prt" and prt.lower_ == "up":
            for prep in prt.children:
                if prep.dep_ == "prep" and prep.lower_ == "to":
                    return next((o for o in prep.children if o.dep_ == "pobj" and
                                 any(n.dep_ == "nummod" for n in o.children)), None)
    return None


def _holds(cond: str, verb: Token, rule: Rule) -> bool:
    deps = {c.dep_ for c in verb.children}
    if cond == "clause":
        return bool(deps & {"ccomp", "xcomp"})
    if cond in ("dobj", "intrans"):
        return (patient(verb) is not None) == (cond == "dobj")
    if cond == "inf":  # an infinitive of purpose: "marched to protest the law", "a rally to
        # protest the law" (which the parser hangs on the noun as a relative clause)
        return verb.dep_ in ("advcl", "xcomp", "acl", "relcl") and _infinitive(verb)
    if cond == "prep":
        return any(c.dep_ == "prep" and c.lower_ in rule.preps for c in verb.children) or \
            next(prep_clauses(verb, rule.preps), None) is not None
    key, _, value = cond.partition("=")
    if key == "prt":
        return any(c.dep_ == "prt" and c.lower_ == value for c in verb.children)
    if key in ("obj", "obj!"):
        obj = patient(verb)
        return obj is not None and bool(object_words(obj) & set(value.split("|"))) == (key == "obj")
    raise ValueError(f"unknown lexicon condition {cond!r}")


def prep_clauses(verb: Token, preps: Collection[str]) -> Iterator[Token]:
    """Clauses a listed preposition introduces, which the parser reads as a subordinator:
    "pushing for the US to back the plan", "called for the army to withdraw"."""
    for child in verb.children:
        if child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in preps
                                         for m in child.children):
            yield child


def object_words(obj: Token) -> set[str]:
    """Lemmas that say what an object is: its head, noun and adjective modifiers ("martial
    law", "economic sanctions") and, for a measure or part ("20 tonnes of rice", "half of its
    trade", "a state of emergency"), its of-noun."""
    heads = [obj]
    heads += [p for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"
              for p in c.children if p.dep_ == "pobj"]
    return {_lemma(t) for h in heads for t in (h, *h.children)
            if t is h or t.dep_ in ("compound", "amod")}


def _bare_participle(tok: Token) -> bool:
    """A participle describing a noun ("troops deployed in the region") states a condition;
    only with its agent ("a deal signed by both sides") does it report an act."""
    return tok.dep_ == "acl" and tok.tag_ == "VBN" and \
        all(c.dep_ != "agent" for c in tok.children) and _verbless_subject(tok) is None


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
    if rule is None:  # "a mediation effort", "peace talks": the event noun is a modifier
        rule = next((noun_rules()[_lemma(c)] for c in tok.children
                     if c.dep_ == "compound" and _lemma(c) in noun_rules()), None)
    if rule is None or tok.pos_ not in ("NOUN", "PROPN"):
        return None
    verb = noun_carrier(tok)
    if verb is None:
        return None
    if _lemma(verb) in cues()["lodge"] and rule.type == "PROTEST":
        return _LODGED  # a protest lodged with a government is a diplomatic one
    return _armed(tok, rule)


def _armed(noun: Token, rule: Rule) -> Rule:
    """A strike or raid named by its weapon ("air strikes", "a rocket attack") is an armed
    assault, with the weapon's mode (the manual's ASSAULT modes), not a labour strike or a
    police raid."""
    if rule.type not in ("PROTEST", "COERCE", "ASSAULT"):
        return rule
    weapons = cues()["weapon"]
    mode = next((weapons[_lemma(c)] for c in noun.children
                 if c.dep_ in ("compound", "amod") and _lemma(c) in weapons), None)
    if mode is None:
        return rule
    return Rule("ASSAULT", None if mode == "-" else mode, rule.preps)


def _infinitive(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _purpose(verb: Token) -> bool:
    """An infinitive clause of purpose: "opened fire to disperse the crowd"."""
    return verb.dep_ == "advcl" and _infinitive(verb)


def _event_purpose(verb: Token) -> bool:
    """An infinitive hung on an event noun: "a rally to protest the law", "talks to end the
    war". Its doer is whoever holds the event, not the event."""
    return verb.dep_ in ("relcl", "acl") and _infinitive(verb) and _lemma(verb.head) in noun_rules()


def noun_carrier(noun: Token) -> Token | None:
    """The verb that carries an event noun, if one does: a support verb whose object it is
    ("launched an offensive"), or whose object's measure it is ("launched ten days of
    exercises"); an occurrence verb whose subject it is ("protests erupted"); a verb and
    preposition that carry it ("engaged in fighting")."""
    table = cues()
    while noun.dep_ == "conj" and noun.head.pos_ in ("NOUN", "PROPN"):
        noun = noun.head  # "launched tank and rocket fire": carried as the first conjunct
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.dep_ == "dobj":
        noun = noun.head.head
    head = noun.head
    if noun.dep_ == "dobj" and (_lemma(head) in table["support"] or _lemma(head) in table["lodge"]):
        return head
    if noun.dep_ == "nsubj" and _lemma(head) in table["occur"]:
        return head
    if noun.dep_ == "pobj" and table["support_prep"].get(_lemma(head.head)) == head.lower_:
        return head.head
    return None


def carrier_subject(noun: Token) -> Token | None:
    """The surface subject of "X were engaged in fighting": X fought."""
    if noun.dep_ != "pobj" or noun.head.lower_ == "of":
        return None
    return next((c for c in noun.head.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)


# --- arguments ----------------------------------------------------------------------------


class EntityIndex:
    """Token -> entity id, from entity mentions first and resolved attribution sources after.

    A subject phrase that names no entity ("the protesters", "volunteer doctors") becomes a new
    GROUP entity, appended to `doc._.entities`: the event still says who acted, and the actor
    stays an entity the rest of the output can refer to."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.by_token: dict[int, str] = {}
        self.by_id: dict[str, Entity] = {e.id: e for e in doc._.entities or []}
        self._next_id: int | None = None  # the number of the next new GROUP entity
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

    def phrase(self, head: Token, exclude: Collection[str] = ()) -> list[str]:
        """Entities a noun phrase names: one per conjunct, found nearest its head first. The
        excluded ones (the event's actors) are passed over, so "its war with X" names X."""
        found: list[str] = []
        for conjunct in (head, *head.conjuncts):
            for ent in (self._nearest(conjunct, exclude), *self._coordinated_modifiers(conjunct)):
                if ent and ent not in found and ent not in exclude:
                    found.append(ent)
        return found

    def _coordinated_modifiers(self, head: Token) -> Iterator[str]:
        """Entities of modifiers coordinated with the head's own ("Kenyan and Ugandan troops":
        the troops of both)."""
        for child in head.children:
            if child.dep_ in ("amod", "compound", "nmod"):
                for conjunct in child.conjuncts:
                    if conjunct.i in self.by_token:
                        yield self.by_token[conjunct.i]

    def actors(self, head: Token) -> list[str]:
        """Like `phrase`, but a conjunct that names no entity gets one made from its words."""
        found: list[str] = []
        for conjunct in (head, *head.conjuncts):
            near = self._nearest(conjunct) or self._new_group(conjunct)
            represented = self._represented(conjunct, near)
            for ent in (near, represented, *self._coordinated_modifiers(conjunct)):
                if ent and ent not in found:
                    found.append(ent)
        return found

    def _represented(self, head: Token, near: str | None) -> str | None:
        """The organisation or country a person of no known country acts for, named by the
        title in an appositive ("Ana Ruiz, the UN aid coordinator, demanded"): a
        second actor, which carries the code the person lacks."""
        person = self.by_id.get(near) if near is not None else None
        if person is None or person.country:
            return None
        for appos in (c for c in head.children if c.dep_ == "appos"):
            for tok in (appos, *appos.children, *_name_preps(appos)):
                party = self.by_token.get(tok.i) if tok.dep_ in _REPRESENTING else None
                entity = self.by_id.get(party) if party != person.id else None
                if entity is not None and entity.type in ("ORG", "COUNTRY"):
                    return party
        return None

    def _nearest(self, head: Token, exclude: Collection[str] = ()) -> str | None:
        frontier = [head]
        for _ in range(4):
            for tok in frontier:
                if tok.i in self.by_token and self.by_token[tok.i] not in exclude:
                    return self.by_token[tok.i]
            frontier = [c for t in frontier for c in t.children
                        if c.dep_ not in _CLAUSAL and not self._located(t, c)]
        return None

    def _located(self, head: Token, child: Token) -> bool:
        """Whether a child only says where people are: "Moslem forces in east Bosnia" are
        forces, not Bosnia; "his counterpart in Nairobi" is no city."""
        return child.dep_ == "prep" and child.lower_ in cues()["locative"] and \
            self.groupish(head)

    def groupish(self, head: Token) -> bool:
        """Whether a phrase reads as people: a group or role noun, or a nationality."""
        if head.lower_ in actors.group_nouns() or actors.role_of(head.text):
            return True
        return countries_in(self.doc[head.left_edge.i : head.i + 1]) is not None

    def _nationality(self, head: Token) -> str | None:
        """For a thing or an event of a nation ("an Australian ultimatum"), the nation, named
        by its adjective: the party the thing stands for."""
        for child in head.children:
            if child.dep_ in ("amod", "compound") and child.i < head.i:
                country = countries_in(self.doc[child.i : child.i + 1])
                if country is not None:
                    return self._group(self.doc[child.i : child.i + 1], None, country)
        return None

    def owner(self, head: Token, depth: int = 2) -> str | None:
        """For a thing named by whose it is, the owner as a new entity: a group or role noun
        modifying it ("rebel positions", "guerrilla camps"), a nationality ("German goods",
        "Israeli raids"), or the people of its of-phrase ("the homes of the settlers", "part of
        a rebel stronghold"). An act aimed at a party's things is aimed at the party."""
        mods = [c for c in head.children if c.dep_ in ("amod", "compound", "nmod") and c.i < head.i]
        nearest = mods[-1] if mods else None
        if nearest is not None and nearest.i == head.i - 1 and self._group_modifier(nearest):
            span = self.doc[mods[0].left_edge.i : head.i]  # the modifiers, without the thing
            return self._group(span, None, countries_in(span))
        nation = self._nationality(head)
        if nation is not None or depth == 0:
            return nation
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for pobj in prep.children:
                    if pobj.dep_ == "pobj" and pobj.pos_ in ("NOUN", "PROPN"):
                        if self.groupish(pobj):
                            return self._new_group(pobj)
                        return self.owner(pobj, depth - 1)
        return None

    def _group_modifier(self, mod: Token) -> bool:
        """A modifier naming people ("rebel", "army"): a modifier is singular, while the group
        table lists the plural too ("rebels"), so both forms are looked up."""
        groups = actors.group_nouns()
        if mod.pos_ == "ADJ":  # a nationality or a group ("rebel"), not a title ("general")
            return mod.lower_ in groups or f"{mod.lower_}s" in groups or \
                countries_in(self.doc[mod.i : mod.i + 1]) is not None
        return mod.pos_ == "NOUN" and (self.groupish(mod) or f"{mod.lower_}s" in groups)

    def _new_group(self, head: Token) -> str | None:
        """A GROUP entity for a common-noun phrase, named by the phrase without its clauses.
        Only a phrase that can name agents: an event ("the airstrike"), or a singular thing
        that reads as no group, role or nationality ("tear gas", "the law"), is no actor."""
        if head.pos_ not in ("NOUN", "PROPN"):
            return None
        if head.pos_ == "NOUN" and (_lemma(head) in noun_rules() or
                                    (head.tag_ == "NN" and not self.groupish(head))):
            return self._nationality(head)
        kept = [c for c in head.children
                if c.dep_ not in _CLAUSAL and not self._located(head, c)]
        start = min((c.left_edge.i for c in kept), default=head.i)
        end = max((c.right_edge.i for c in kept), default=head.i)
        span = strip_determiners(self.doc[min(start, head.i) : max(end, head.i) + 1])
        group = actors.group_nouns().get(head.lower_)
        return self._group(span, group.sector if group is not None else None, countries_in(span))

    def _group(self, span: SpacySpan, sector: str | None, country: str | None) -> str:
        """A new GROUP entity for the words of a span, numbered after the document's own."""
        if self._next_id is None:  # copy and number once, not once per new entity
            self.doc._.entities = list(self.doc._.entities or [])
            self._next_id = 1 + max((int(e.id[1:]) for e in self.doc._.entities
                                     if e.id[1:].isdigit()), default=0)
        n, self._next_id = self._next_id, self._next_id + 1
        entities = self.doc._.entities
        ent = Entity(id=f"E{n}", name=span.text, type="GROUP", country=country,
                     mentions=[Span.of(self.text, span.start_char, span.end_char)],
                     sector=sector, code=actors.actor_code(country, sector))
        entities.append(ent)
        self.by_id[ent.id] = ent
        self._add(span.start_char, span.end_char, ent.id)
        return ent.id


# how a title names the party its holder acts for: "the UN coordinator", "Egypt's envoy",
# "the president of Egypt", "a spokesman for Hamas" (not "the envoy to Iraq")
_REPRESENTING = {"appos", "compound", "amod", "nmod", "poss", "pobj"}


def _name_preps(title: Token) -> Iterator[Token]:
    """The objects of a title's "of" and "for" phrases ("spokesman for Hamas")."""
    for prep in title.children:
        if prep.dep_ == "prep" and prep.lower_ in actors.NAME_PREPS:
            yield from (c for c in prep.children if c.dep_ == "pobj")


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
    if _event_purpose(verb):
        holder = _clause_verb(verb.head)
        return subject(holder) if holder is not None else None
    if verb.dep_ == "relcl" or (verb.dep_ == "acl" and verb.tag_ == "VBG"):
        return verb.head
    if verb.dep_ == "xcomp":
        obj = next((c for c in verb.head.children if c.dep_ == "dobj"), None)
        return obj or subject(verb.head)
    if _purpose(verb):
        return subject(verb.head)  # "sent inspectors to Iran to monitor the plant"
    reduced = _reduced_relative_subject(verb) or _verbless_subject(verb)
    if reduced is not None:
        return reduced
    if verb.dep_ == "conj" and not _passive(verb):
        # "X was charged by Y and will resign": X resigns, not the agent of the first verb
        surface = next((c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        return surface or subject(verb.head)
    if verb.dep_ in ("conj", "acomp") or (verb.dep_ == "advcl" and verb.tag_ == "VBG"):
        return subject(verb.head)
    if verb.dep_ == "pcomp":  # "justified it by claiming that ..."
        return subject(verb.head.head)
    return None


def _clause_verb(noun: Token) -> Token | None:
    """The verb whose argument or phrase a noun is ("converged for a rally": converged)."""
    tok = noun
    while tok.dep_ in ("pobj", "prep", "dobj", "nsubjpass", "attr", "conj") and tok.head.i != tok.i:
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            return tok
    return None


def _passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "agent") for c in verb.children)


def event_actors(index: EntityIndex, verb: Token, top: Token) -> list[str]:
    """The entities of the verb's subject; an unresolved pronoun stands for the subject of the
    clause that governs it ("Peru said it would send troops": "it" is Peru)."""
    subj = subject(verb)
    if subj is not None and _thing_controller(index, verb, subj):
        subj = subject(verb.head)  # "police used tear gas to disperse": the police disperse
    if subj is None:
        return []
    if subj.pos_ == "PRON" and not index.phrase(subj):
        subj = governing_subject(subj.head) or governing_subject(top) or subj
    return index.actors(subj)


def _thing_controller(index: EntityIndex, verb: Token, subj: Token) -> bool:
    """An infinitive's controller read from its head's object when that object is a thing:
    object control ("urged Peru to act") needs an agent as the object."""
    return (verb.dep_ in ("xcomp", "advcl") and subj.dep_ == "dobj" and subj.head == verb.head
            and subj.pos_ == "NOUN" and not index.phrase(subj) and not index.groupish(subj))


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


def _verbless_subject(verb: Token) -> Token | None:
    """Repair another misparse: given no main verb, the parser makes the subject noun the
    sentence's root and hangs the verb on it as a participle ("Nurses from two charities
    donated food": "donated" modifies "charities"). The first verb below such a root, with no
    auxiliary of its own, is the main verb, and the root its subject."""
    root = verb.sent.root
    if verb.dep_ != "acl" or verb.tag_ not in ("VBD", "VBN") or root.pos_ not in ("NOUN", "PROPN"):
        return None
    if any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return None
    if any(t.pos_ in ("VERB", "AUX") for t in verb.ancestors):
        return None
    return root if root.i < verb.i else None


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
                yield from ((pobj, pobj) for pobj in prep_objects(child))
    clauses = [c for c in verb.children if c.dep_ == "ccomp"]
    for clause in (*clauses, *prep_clauses(verb, rule.preps)):
        subj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            yield subj, clause


def prep_objects(prep: Token) -> list[Token]:
    """A preposition's objects. When the parser read its object and a participle after it as
    a clause of their own ("gave shelter to three officers hiding out in a house":
    "officers" the subject of "hiding"), that clause's subject, which starts right after it."""
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    if objects:
        return objects
    return [subj for clause in prep.head.children if clause.dep_ in _EMBEDDED
            for subj in clause.children
            if subj.dep_ in ("nsubj", "nsubjpass") and subj.left_edge.i == prep.i + 1]


def shared_heads(verb: Token, rule: Rule) -> Iterator[tuple[Token, Token | None]]:
    """For a verb with no object, the candidates of the verb coordinated after it, whose
    object and phrases both share ("donated and delivered goods to the school")."""
    if patient(verb) is not None:
        return
    for conj in verb.children:
        if conj.dep_ == "conj" and conj.pos_ == "VERB":
            yield from ((head, None) for head, _ in recipient_heads(conj, verb_rule(conj) or rule))


def other_heads(verb: Token, noun: Token | None = None) -> Iterator[tuple[Token, Token | None]]:
    """Weaker recipient candidates, tried after the verb's own: the arguments of the act it
    governs ("threatened to deliver blows to the US"), then an entity in any other of its
    prepositional phrases, or its object's ("eased the measures in Montenegro") or its event
    noun's ("launched tank and rocket fire against X"), as the PLOVER records code the
    party an act is aimed at or takes place in."""
    for child in verb.children:
        if child.dep_ in ("xcomp", "ccomp") and child.pos_ in ("VERB", "AUX") or _purpose(child):
            own = verb_rule(child)
            if own is not None:  # its own reading first: "threatened to impose curbs on X"
                yield from recipient_heads(child, _widened(own))
            yield from recipient_heads(child, _ANY_PREP)
    holders = [verb, *(c for c in verb.children if c.dep_ in ("dobj", "nsubjpass"))]
    for holder in (*holders, *(() if noun is None or noun in holders else (noun,))):
        for child in holder.children:
            if child.dep_ == "prep" and child.lower_ not in cues()["not_recipient"]:
                yield from ((pobj, pobj) for pobj in prep_objects(child))


def _widened(rule: Rule) -> Rule:
    """A governed act's own lexicon reading with the common recipient prepositions added:
    its moved thing stays a thing, and the party named on it is found ("threatened to
    impose restrictions against X")."""
    return Rule("", None, (*rule.preps, *_ANY_PREP.preps), (), rule.object_is_recipient)


def pick_recipients(
    index: EntityIndex, heads: list[tuple[Token, Token | None]], actor_ids: list[str]
) -> tuple[list[str], Token | None]:
    """The first candidate naming a known entity, with its anchor end; failing that, the first
    that reads as people ("the protesters") becomes a new entity. Things ("20 tonnes of rice") never
    do: an inanimate object is what the event moves, not whom it reaches."""
    for head, end in heads:
        found = index.phrase(head, actor_ids)
        if found:
            return found, end
    for head, end in heads:
        if index.groupish(head):
            return [e for e in index.actors(head) if e not in actor_ids], end
    return [], None


def pick_owner(
    index: EntityIndex, heads: list[tuple[Token, Token | None]]
) -> tuple[list[str], Token | None]:
    """The last resort, once no candidate names a party: the owner of the first thing whose
    owner its words name ("fired on rebel positions": the rebels). An act the actor carries
    out ("launched a fresh ground offensive") is its own: whose it is names no recipient."""
    for head, end in heads:
        owner = index.owner(head) if head.pos_ == "NOUN" and noun_trigger(head) is None else None
        if owner is not None:
            return [owner], end
    return [], None


# --- modality and links -------------------------------------------------------------------


def _contains(span: Span | None, tok: Token) -> bool:
    return span is not None and span.start <= tok.idx < span.end


def _cue_lemma(doc: Doc, att: Attribution) -> str:
    span = doc.char_span(att.cue.start, att.cue.end, alignment_mode="expand") if att.cue else None
    return _lemma(span.root) if span is not None else ""


def carrier(
    statements: StatementsBySentence, trigger: Token
) -> tuple[Attribution | None, Attribution | None]:
    """(the innermost attribution whose content holds the trigger, the one it is the cue of)."""
    holders, own = [], None
    for att in statements.of(trigger):
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


def _nearest_in(items: ByStart, sent: SpacySpan, anchor: SpacySpan) -> str | None:
    """The id of the item in the sentence closest to the anchor, preferring the clause."""
    inside: list[TimeExpr | Place] = items.within(sent.start_char, sent.end_char)
    if not inside:
        return None
    clause = {t.idx for t in anchor.root.subtree}
    return min(
        inside, key=lambda it: (it.start not in clause, abs(it.start - anchor.start_char))
    ).id


def dated_times(doc: Doc) -> ByStart:
    """The times that can date an event: durations and recurring sets do not say when it
    happened."""
    return ByStart(t for t in doc._.times or [] if t.type in ("DATE", "TIME"))


def located_places(doc: Doc) -> ByStart:
    """The places a sentence locates an event in: one governed by a locative preposition, and
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
    return ByStart(located)


def context(sent: SpacySpan) -> str | None:
    words = context_words()
    return next((words[_lemma(t)] for t in sent if _lemma(t) in words), None)


# --- assembly -----------------------------------------------------------------------------


_LODGED = Rule("ACCUSE", "disapprove", ("with", "to", "against", "over"))
_DEMAND = Rule("REQUEST", None, ())  # a stated obligation with no lexicon verb of its own
# verbal acts that stay what they are when demanded ("must reject", "should warn")
_OWN_VERBAL_ACTS = ("REQUEST", "ACCUSE", "REJECT", "THREATEN")
# the recipient prepositions of a governed act that has no lexicon row of its own
_ANY_PREP = Rule("", None, ("to", "with", "against", "on", "for", "from", "into", "at"))
# where the act a purpose clause serves was aimed: its prepositions, its object a moved thing
_DESTINATION = Rule("", None, _ANY_PREP.preps, (), False)
# whom a statement is addressed to, when the one it obliges is not named: "issued a reminder
# to Iraq that it must cooperate"
_ADDRESSEE = Rule("", None, ("to",), (), False)


def obligation(verb: Token) -> bool:
    """Whether a clause someone states puts an obligation on its subject: "said China must
    drop its barriers", "insisted that the army has to withdraw"."""
    table = cues()["obligation"]
    governed = verb.dep_ == "xcomp" and table.get(_lemma(verb.head)) == "governor"
    clause = verb.head if governed else verb
    stated = clause.dep_ == "ccomp" and clause.head.i != clause.i or _noun_content(clause)
    return stated and (governed or any(c.dep_ == "aux" and table.get(c.lower_) == "aux"
                                       for c in verb.children))


def _noun_content(clause: Token) -> bool:
    """A that-clause giving the content of a verb's object: "issued a reminder to Iraq that
    it must cooperate" (not a relative clause: "the reminder that it sent")."""
    return clause.dep_ == "acl" and clause.head.dep_ == "dobj" and \
        any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)


def stating_verb(verb: Token) -> Token:
    """The verb of whoever states an obligation: the head of its clause, or for a clause
    giving the content of an object ("issued a reminder that ..."), the object's verb."""
    clause = verb.head if verb.dep_ == "xcomp" else verb
    return clause.head.head if _noun_content(clause) else clause.head


def event_type(rule: Rule, chain: list[Token], mood: str) -> str:
    """The type from the cue with its qualifiers: a refused cooperative act ("failed to reach
    an agreement") is a REJECT (a plainly negated one keeps its type, with the modality
    "negated"), a stated obligation a REQUEST, a planned act its future type (after the
    manual: promised force is THREATEN, a promised retreat or concession AGREE)."""
    table = cues()
    if rule.type == "AGREE" and _promised_force(chain[0]):
        return "THREATEN"
    refused = any(table["governor"].get(_lemma(g)) == "negated" for g in chain[1:])
    if refused and rule.type in table["negated"]:
        return table["negated"][rule.type]
    if obligation(chain[0]) and rule.type not in _OWN_VERBAL_ACTS:
        return "REQUEST"
    if mood == "planned" or (mood == "hypothetical" and _modal_threat(chain, rule)):
        return table["future"].get(rule.type, rule.type)
    return rule.type


def _promised_force(verb: Token) -> bool:
    """A promise of force is a threat, not an agreement ("vowed to crush the rebels"): the
    manual's AGREE is a commitment to cooperate, its THREATEN promised force or pressure."""
    future = cues()["future"]
    for child in verb.children:
        rule = verb_rule(child) if _complements(child) else None
        if rule is not None and future.get(rule.type, rule.type) == "THREATEN":
            return True
    return False


def _modal_threat(chain: list[Token], rule: Rule) -> bool:
    """A forceful act the actor may take on a condition ("may halt the talks if the fighting
    goes on") is a threat; a bare guess ("troops could attack") stays hypothetical, and so does
    an act that is itself the condition ("if it is attacked")."""
    table = cues()
    if table["future"].get(rule.type) != "THREATEN":
        return False
    children = [c for verb in chain for c in verb.children]
    if any(c.dep_ == "mark" and c.lower_ in table["mark"] for c in children):
        return False
    conditioned = any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in table["mark"]
                                                for m in c.children) for c in children)
    return conditioned and any(c.dep_ == "aux" and c.lower_ in table["modal"] for c in children)


# the parts of speech `noun_trigger` (NOUN, PROPN) and `obligation` (VERB, AUX) can fire on
_TRIGGER_POS = frozenset({"NOUN", "PROPN", "VERB", "AUX"})


@dataclass
class _Found:
    trigger: Token  # the verb the event hangs on
    rule: Rule
    noun: Token | None = None  # the event noun, for support-verb events


def triggers(sent: SpacySpan) -> Iterator[_Found]:
    doc = sent.doc
    pos, tags, lemmas = (token_column(doc, attr) for attr in ("POS", "TAG", "LEMMA"))
    verbs = verb_rules()
    for i in range(sent.start, sent.end):
        # a token no rule below can take is passed over before it is made a Token: only a
        # listed verb, a noun (noun_trigger) or a verb (obligation) can trigger
        if pos[i] not in _TRIGGER_POS and not (tags[i].startswith("VB")
                                              and lemmas[i].lower() in verbs):
            continue
        tok = doc[i]
        rule = verb_rule(tok)
        if rule is not None:
            yield _Found(tok, rule)
            continue
        rule = noun_trigger(tok)
        carrier_verb = noun_carrier(tok) if rule is not None else None
        if carrier_verb is not None and verb_rule(carrier_verb) is None:
            yield _Found(carrier_verb, rule, tok)
            continue
        if obligation(tok) and tok.pos_ in ("VERB", "AUX"):
            yield _Found(tok, _DEMAND)


@dataclass
class _Lookups:
    """What every event of a document looks up, indexed once for the document."""

    entities: EntityIndex
    statements: StatementsBySentence
    times: ByStart
    places: ByStart


def _between(noun: Token) -> Token | None:
    """The first party of "between X and Y" on an event noun or the verb that carries it."""
    for holder in (noun, noun.head):
        for prep in holder.children:
            if prep.dep_ == "prep" and prep.lower_ == "between":
                return next((c for c in prep.children if c.dep_ == "pobj"), None)
    return None


def find_recipients(
    index: EntityIndex, found: _Found, actor_ids: list[str]
) -> tuple[list[str], Token | None]:
    """The recipients from the trigger's own candidates, then its weaker ones, then, for a
    purpose clause, where the act it serves was aimed ("sent inspectors to X to monitor the
    plant"); failing all, the owner of a thing among the candidates."""
    verb, rule = found.trigger, found.rule
    own = recipient_heads(found.noun, rule) if found.noun is not None else iter(())
    tiers = [[*own, *recipient_heads(verb, rule), *shared_heads(verb, rule)],
             list(other_heads(verb, found.noun))]
    if _purpose(verb):
        tiers.append([(h, None) for h, _ in recipient_heads(verb.head, _DESTINATION)])
    for heads in tiers:
        recipients, end = pick_recipients(index, heads, actor_ids)
        if recipients:
            return recipients, end
    return pick_owner(index, tiers[0] + tiers[1])


def build_event(doc: Doc, look: _Lookups, sent: SpacySpan, found: _Found) -> Event:
    verb, rule, index = found.trigger, found.rule, look.entities
    chain = governor_chain(verb)
    top = chain[-1]
    reported_by, own = carrier(look.statements, verb)

    if own is not None and own.source is not None and own.source.entity:
        actor_ids = [own.source.entity]
    elif found.noun is not None and carrier_subject(found.noun) is not None:
        actor_ids = index.actors(carrier_subject(found.noun))
    else:
        actor_ids = event_actors(index, verb, top)
    parties = _between(found.noun) if found.noun is not None else None
    if parties is not None and (not actor_ids or subject(verb) == found.noun):
        actor_ids = index.actors(parties)  # "fighting broke out between X and Y": both act
    else:
        parties = None
    demand = (rule is _DEMAND or rule.type not in _OWN_VERBAL_ACTS) and obligation(verb)
    if demand:  # the one who states the obligation demands it of the clause's subject
        stater = (reported_by.source.entity if reported_by is not None and reported_by.source
                  is not None else None)
        speaker_verb = stating_verb(verb)
        obliged = actor_ids
        actor_ids = [stater] if stater else event_actors(index, speaker_verb, speaker_verb)

    right_end = max(found.noun or verb, verb, key=lambda t: t.i)
    recipients, end = find_recipients(index, found, actor_ids) if parties is None else ([], None)
    if demand:
        named = [e for e in obliged if e not in actor_ids]
        addressed = named or pick_recipients(
            index, list(recipient_heads(speaker_verb, _ADDRESSEE)), actor_ids)[0]
        recipients, end = addressed or recipients, None
    if recipients and end is not None and end.i - top.i < _MAX_ANCHOR_TOKENS:
        right_end = max(right_end, end, key=lambda t: t.i)

    left = min(
        (c for c in top.children if c.dep_ in ("aux", "auxpass", "neg") and c.i < top.i),
        key=lambda t: t.i,
        default=top,
    )
    if found.noun is not None and found.noun.i < left.i:  # "protests erupted"
        left = found.noun
    anchor = doc[left.i : right_end.i + 1]
    mood = modality(doc, chain, reported_by)
    return Event(
        id="",
        type=event_type(rule, chain, mood),
        anchor=Span.of(index.text, anchor.start_char, anchor.end_char),
        actors=actor_ids,
        recipients=recipients,
        mode=rule.mode,
        context=context(sent),
        place=_nearest_in(look.places, sent, anchor),
        time=_nearest_in(look.times, sent, anchor),
        reported_by=reported_by.id if reported_by is not None else None,
        modality=mood,
        sentence=Span.of(index.text, sent.start_char, sent.end_char),
        confidence=event_confidence(actor_ids, recipients),
    )


def find_events(doc: Doc) -> list[Event]:
    """Every event the lexicon finds in the doc, numbered V1, V2, ... in text order."""
    sentences = list(doc.sents)
    look = _Lookups(EntityIndex(doc), StatementsBySentence(doc, sentences), dated_times(doc),
                    located_places(doc))
    events = [build_event(doc, look, sent, f) for sent in sentences for f in triggers(sent)]
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
