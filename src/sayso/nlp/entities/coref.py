"""Resolve attribution sources to entities: names, roles, descriptions, documents, pronouns.

Rules rather than a coreference model (none fits the cost budget, and news sources are a
narrow case): a name goes to its person; "the president" or "the 32-year-old labourer" to the
person the text gave that role or description (never for "a spokesperson", which is someone
new); "the company" to the organisation of that kind named before; "the report" to whoever the
text says issued it; a group phrase or a capital to its country; interview turns and a press
release's "we" to their speakers (`entities.voices`); a pronoun to the most recent compatible
speaker, else subject, before its statement, agreeing in gender (a narrative subject of that
gender after the last speaker wins: "Tom Berg joined in May. He said"). Inside quote marks,
"I"/"we" is the quote's speaker and "he"/"they" is anyone but the speaker; in a paraphrase
("X said she agreed") "she" may be X. A definite description no named holder fits takes up
the subject of its sentence or the one before; coordinated names speak as one group. Dates,
datelines, captions and headings name no one (`entities.nonagents`).

Each link records the path that made it; `confidence` turns the path into the prior in
data/entity_confidence.tsv.
"""

from __future__ import annotations

import bisect
import csv
import re
from collections.abc import Callable
from functools import lru_cache
from itertools import takewhile

from spacy.tokens import Doc, Span, Token

from sayso.model import Attribution, Entity
from sayso.nlp.attribution.quotes import find_quotes
from sayso.nlp.entities import actors, countries, documents, gender, nonagents, voices
from sayso.nlp.entities.entitybook import (
    EntityBook,
    Mention,
    appos_head,
    countries_in,
    role_place,
    strip_determiners,
    subtree,
)
from sayso.nlp.entities.spanindex import RangeCover, StartIndex
from sayso.nlp.spans import token_column

QUOTE_KINDS = ("direct", "mixed")
NAME_LINKS = ("appos", "compound", "flat", "nmod")  # "Judge X", "X, a judge", "the judge, X"
MODIFIER_LINKS = ("compound", "nmod")
BODY_POS = ("NOUN", "PROPN")  # modifiers that say whose role it is: "army spokesperson"
RELEASE_WE = ("we", "us", "our")
DEFINITE = ("the", "this", "that", "these", "those")  # "the polls" refer back, "polls" do not
POSSESSIVE = re.compile("['\u2019]s?$")
Found = tuple[Entity | None, str]  # an entity (or none) and the path that resolved it
RoleNeed = tuple[str, "actors.Role | None", frozenset[str]]  # see `role_need`


@lru_cache(maxsize=1)
def priors() -> dict[str, float]:
    with open(actors.DATA / "entity_confidence.tsv", encoding="utf-8") as f:
        rows = csv.reader(f, delimiter="\t")
        return {r[0]: float(r[1]) for r in rows if r and not r[0].startswith("#")}


def confidence(path: str) -> float:
    """The prior confidence of a speaker link made by this path."""
    return priors()[path]


class SourceResolver:
    """Resolves the sources of one doc's attributions, parents before children."""

    def __init__(self, book: EntityBook, attributions: list[Attribution]) -> None:
        self.book = book
        self.atts = attributions
        self.by_id = {a.id: a for a in attributions}
        self.done: dict[str, Entity | None] = {}
        self.paths: dict[str, str] = {}
        article = book.doc._.article
        self.text = article.text if article else book.doc.text  # doc.text joins every token
        self.sent_starts = [s.start_char for s in book.doc.sents]
        doc = book.doc
        self.lower_words = {word for word, lower in zip(token_column(doc, "ORTH"),
                                                        token_column(doc, "IS_LOWER"),
                                                        strict=True) if lower}
        self.turns = [a.source.start for a in attributions if a.source and self.turn(a)]
        self.by_entity: dict[int, list[Mention]] = {}  # id(entity) -> its mentions
        self.order: dict[int, int] = {}  # id(mention) -> its place in the book's list
        self.indexed = 0  # how many of the book's mentions `by_entity` holds
        self.marks = RangeCover((q.start, q.end) for q in find_quotes(self.text))
        self.contents = RangeCover((a.content.start, a.content.end) for a in attributions)
        self.documents: set[int] = set()  # id() of documents kept as their own source
        # sources by where they start, latest last; of one start, the earliest listed last
        spoken = sorted(((anchor(a), -i), a) for i, a in enumerate(attributions) if a.source)
        self.spoken_at = [key for key, _ in spoken]
        self.spoken = [a for _, a in spoken]
        self.subjects = StartIndex(lambda m: m.subject)
        self.orgs = StartIndex(lambda m: m.entity.type == "ORG")
        self.mentioned = StartIndex(lambda m: True)
        self.roots: dict[int, Token | None] = {}  # id(mention) -> its head (`root_of`)

    def resolve_all(self) -> dict[str, Entity | None]:
        """Entity of each attribution's source; named sources first, pronouns in text order."""
        for a in self.atts:
            if a.source and not self.pronoun(a):
                self.done[a.id], self.paths[a.id] = self.named(a)
        self.narrative_roles()
        for a in sorted(self.atts, key=anchor):
            self.resolve(a)
        return self.done

    def resolve(self, a: Attribution) -> Entity | None:
        if a.id not in self.done:
            self.done[a.id] = None  # guards against cycles through parents
            self.done[a.id], self.paths[a.id] = self.by_pronoun(a) if a.source else (None, "")
        return self.done[a.id]

    def span(self, a: Attribution) -> Span:
        src = a.source
        return self.book.doc.char_span(src.start, src.end, alignment_mode="expand")

    def turn(self, a: Attribution) -> str | None:
        return voices.turn(a, self.text)

    def pronoun(self, a: Attribution) -> str | None:
        """The pronoun's class ("person", "thing", ...), None for a name; "US" in capitals is
        the country, not "us"."""
        text = a.source.text.strip()
        if len(text) > 1 and text.isupper():
            return None
        return actors.pronoun_class().get(text.lower())

    # -- named sources --------------------------------------------------------------------

    def named(self, a: Attribution) -> Found:
        written = self.span(a)
        span = strip_determiners(written)
        if span.root.pos_ in ("VERB", "AUX") and not span.root.dep_.startswith("aux"):
            # "Exports fell, which shows ...": nobody's say-so; but a title the parse misread
            # as a clause ends in its holder's name ("tenants advocate Ana Ruiz told ...")
            named = [m for m in self.overlapping(span)
                     if m.entity.type == "PERSON" and m.end == span.end_char]
            if named:
                return person_path(named[-1].entity, self.text[named[-1].start : named[-1].end])
            return None, "clause"
        side = self.turn(a)
        if side is not None:
            return self.interview(side, a.source.start)
        colon = a.cue is not None and a.cue.text == ":"
        if nonagents.not_agent(written, colon, self.lower_words) and not self.person_named(span):
            return None, "not_agent"
        if self.transcript_label(a, span):
            return self.book.person(span), "label"
        owner = self.owner_speaking(a, span)
        if owner is not None:
            return owner, "document_issuer"
        return self.phrase(span, written, anchor(a))

    def person_named(self, span: Span) -> bool:
        """Does the phrase name a known person, whatever the tagger made of its words?"""
        found = self.overlapping(span)
        return any(m.entity.type == "PERSON" and names_head(m, span) for m in found)

    def owner_speaking(self, a: Attribution, span: Span) -> Entity | None:
        """ "X says their research shows ...": a document owned by a pronoun, inside what
        someone says, is that speaker's."""
        parent = self.by_id.get(a.parent or "")
        if parent is None or not documents.is_document(span):
            return None
        owned = any(c.dep_ == "poss" and c.pos_ == "PRON" for c in span.root.children)
        return self.resolve(parent) if owned else None

    def phrase(self, span: Span, written: Span, pos: int, issuer: bool = True) -> Found:
        """The entity a noun phrase names (`written` is the phrase with its determiner)."""
        named = [m for m in self.overlapping(span) if names_head(m, span)]
        people = [m for m in named if m.entity.type == "PERSON"]
        together = self.coordinated_people(span)
        if together is not None:
            return together, "people"
        if people:  # a full name heading the phrase, else the last person apposed to it
            root = span.root.idx
            m = next((p for p in people if p.start <= root < p.end
                      and " " in p.entity.name), people[-1])
            return person_path(m.entity, self.text[m.start : m.end])
        definite = written[0].lower_ not in actors.words()["indefinite_determiners"]
        if issuer and documents.is_document(span):
            plural = span.root.tag_ in ("NNS", "NNPS") and written[0].lower_ not in DEFINITE
            return self.document(span, pos, refers_back=not plural)
        if self.person_noun(span):
            return self.holder(span, pos, definite)
        if named:
            ent = self.book.mention(named[0].entity, span)
            return ent, {"COUNTRY": "country", "GROUP": "group"}.get(ent.type, "name")
        earlier = self.named_org(span, pos) if written[0].lower_ == "the" else None
        if earlier is not None:
            return self.book.mention(earlier[0], span), earlier[1]
        return self.unmatched(span)

    def coordinated_people(self, span: Span) -> Entity | None:
        """Named people coordinated as one source ("Ana Ruiz and Tom Berg", "both Ruiz and
        Berg", "its owners Ana Ruiz and Tom Berg") speak together: one group of them, named
        by their names, which a later "they" takes up."""
        root = span.root
        if not root.conjuncts:  # "the owners, Ana Ruiz and Tom Berg"
            root = next((c for c in root.children if c.dep_ == "appos" and c.conjuncts), root)
        heads = [root, *root.conjuncts] if root.conjuncts else []
        people = []
        for tok in heads:
            found = [
                m
                for m in self.overlapping(span.doc[tok.i : tok.i + 1])
                if m.entity.type == "PERSON"
            ]
            if not found:
                return None
            people.append(found[0].entity)
        if len({id(e) for e in people}) < 2:
            return None
        names = " and ".join(e.name for e in people)
        ent = self.book.entity(("PEOPLE", *sorted(id(e) for e in people)), names, "GROUP")
        return self.book.mention(ent, span)

    def overlapping(self, span: Span) -> list[Mention]:
        return self.book.overlapping(span.start_char, span.end_char)

    def mentions_of(self, ent: Entity) -> list[Mention]:
        """The mentions of one entity so far, in the order they were recorded."""
        mentions = self.book.mentions
        # The book only appends, and no mention changes its entity after `collect`.
        for i in range(self.indexed, len(mentions)):
            self.by_entity.setdefault(id(mentions[i].entity), []).append(mentions[i])
            self.order[id(mentions[i])] = i
        self.indexed = len(mentions)
        return self.by_entity.get(id(ent), [])

    def transcript_label(self, a: Attribution, span: Span) -> bool:
        """Transcripts label turns with a surname in capitals ("OKAFOR: ..."), which the small
        model takes for an organisation or a group; it is one unless the article also names
        that organisation outside the labels (an acronym such as "NATO: ...")."""
        text = self.text
        named = [m for m in self.overlapping(span) if names_head(m, span)]
        return (
            a.cue is not None
            and a.cue.text == ":"
            and not any(m.entity.type == "PERSON" for m in named)
            and all(t.is_upper and t.is_alpha for t in span)
            and all(
                m.entity.name == span.text and text[m.end : m.end + 1] == ":"
                for n in named
                for m in self.mentions_of(n.entity)
            )
        )

    def person_noun(self, span: Span) -> bool:
        """Is the phrase headed by a role or person noun, or by the head of a description the
        text gave some person ("the proprietor" after "X, the proprietor of ...")?"""
        root = span.root.lower_
        if root in gender.gender_words() or (root in actors.role_words() and role_of_head(span)):
            return True
        if root in actors.words()["party_members"] and span.root.pos_ in ("PROPN", "NOUN"):
            return True  # "the Kentucky Republican"
        return span.root.pos_ == "NOUN" and root in self.book.described_heads

    def holder(self, span: Span, pos: int, definite: bool) -> Found:
        """The person a definite role or description stands for, when the text gave it to a
        named person (the most recent before it, else the first after); otherwise, and always
        for an indefinite one ("an army spokesperson"), an unnamed person of its own."""
        iso3 = countries_in(span)
        if definite:
            holders = self.holders(span, iso3)
            before = [m for m in holders if m.start < pos]
            if before:
                return self.book.mention(before[-1].entity, span), "role_linked"
            if holders:
                return self.book.mention(holders[0].entity, span), "role_forward"
            subject = self.previous_subject(span, pos)
            if subject is not None:
                return self.book.mention(subject, span), "role_subject"
        name = apposed_name(span)
        if name is not None:  # "another passenger, Allah Ditta", the name left untagged
            return person_path(self.book.person(name), name)
        text = span.text
        ent = self.book.entity(("PERSON", text.lower()), text, "PERSON", iso3)
        ent.roles = ent.roles or ([text] if actors.role_of(text) else [])
        self.book.describe(ent, span)
        return self.book.mention(ent, span), "role_own"

    def holders(self, span: Span, iso3: str | None) -> list[Mention]:
        """The mentions of every named person the text gave the role or description the
        phrase names, in text order."""
        need = role_need(span)
        return sorted(
            (m for ent in self.described_people(iso3) if self.fits(ent, need)
             for m in self.mentions_of(ent)),
            key=lambda m: (m.start, self.order[id(m)]),  # as in the book, by position
        )

    def narrative_roles(self) -> None:
        """A definite role that is the subject of the narrative ("the mayor raised the plan
        again"), outside quotes and statements, is a mention of the named holder the text gave
        that role before it, which a later "he" or "she" can take up."""
        for chunk in self.book.noun_chunks:
            start = chunk.start_char
            if chunk.root.dep_ != "nsubj" or chunk[0].lower_ != "the":
                continue
            if self.in_marks(start) or self.contents.holds(start):
                continue
            span = strip_determiners(chunk)
            if not self.person_noun(span):
                continue
            before = [m for m in self.holders(span, countries_in(span)) if m.start < start]
            if before:
                self.book.mention(before[-1].entity, chunk, subject=True)

    def previous_subject(self, span: Span, pos: int) -> Entity | None:
        """The named person a definite description no named holder fits takes up: the subject
        of the narrative in its own sentence or the one before, outside quote marks ("Ruiz
        joined in May. 'We start now,' the engineer said."), of a gender that does not clash
        and with no role or description of their own (those `fits` has already refused),
        unless the description is an epithet, which adds to what the text said of them."""
        want = gender.of_words([span.root.lower_])
        here = self.sentence(pos)
        fresh = is_epithet(span)
        for m in self.subjects.latest_first(self.book.mentions, pos):
            if here - self.sentence(m.start) > 1:
                return None  # every subject further back stands further back still
            if (
                m.entity.type == "PERSON"
                and self.book.names.get(id(m.entity)) is not None
                and (fresh or not (m.entity.roles or self.book.described.get(id(m.entity))))
                and not self.in_marks(m.start)
                and gender.compatible(want, self.book.gender(m.entity, likely=True))
            ):
                return m.entity
        return None

    def described_people(self, iso3: str | None) -> list[Entity]:
        """The people of this country (any, without one) with a role or a description: the
        only ones `fits` can take, so `holder` looks at these instead of at every mention."""
        return [
            e
            for e in self.book.entities
            if e.type == "PERSON"
            and (not iso3 or e.country == iso3)
            and (e.roles or self.book.described.get(id(e)))
        ]

    def fits(self, ent: Entity, need: RoleNeed) -> bool:
        """Does a person's role or description fit the phrase (`role_need`)? The role must
        match ("Foreign Minister" holds "the minister") or the description have the same head,
        and every noun that says whose role it is must be there too ("army" in "the army
        spokesperson")."""
        head, role, body = need
        described = self.book.described.get(id(ent), [])
        texts = [r.lower() for r in ent.roles if role is not None and held(r, role)]
        texts += [text for head_, text in described if head_ == head]
        return any(body <= _words(text) for text in texts)

    def named_org(self, span: Span, pos: int) -> tuple[Entity, str] | None:
        """The organisation a definite description names again, the most recent first: "the
        commission" after "the National Electoral Commission", "the company" after "Acme
        Holdings" (data/entity_org_kinds.tsv); every other word of the description but its
        country must be in the name ("the health ministry" is not the Ministry of Finance)."""
        root = span.root
        fits = actors.org_kinds().get(root.lower_, frozenset())
        rest = {
            t.lower_
            for t in span
            if t.i != root.i and not t.is_punct and not countries.country_of(t.text)
        }
        kinds: dict[int, str] = {}  # id(entity) -> "typed", "untyped" or ""
        typed, untyped = [], []
        for m in self.orgs.latest_first(self.book.mentions, pos):
            if id(m.entity) in self.documents or self.modifier(m):
                continue  # "the agency" after "a study in 2017" is not the study
            if id(m.entity) not in kinds:
                kinds[id(m.entity)] = org_kind(m.entity, root.lower_, rest, fits)
            if kinds[id(m.entity)] == "typed":
                typed.append(m)
            elif kinds[id(m.entity)] == "untyped":
                untyped.append(m)
        if typed:
            return self.latest_speaker(typed, typed[0], pos).entity, "org_description"
        # a name that says nothing of its kind: the latest that spoke, else the latest subject
        if untyped:
            subject = next((m for m in untyped if m.subject), untyped[0])
            return self.latest_speaker(untyped, subject, pos).entity, "org_untyped"
        return None

    def latest_speaker(self, mentions: list[Mention], otherwise: Mention, pos: int) -> Mention:
        """Of candidate mentions (latest first), the latest whose entity a statement named as
        its source ("Vantrix said that Nokia had ... The company said": Vantrix), first among
        those outside what someone said (there a name is what a speaker talks about)."""
        spoke = {id(e) for k, e in self.done.items()
                 if e is not None and self.paths.get(k) == "name"}
        spoken = [m for m in mentions if id(m.entity) in spoke]
        told = (m for m in spoken if not self.in_content(m.start, pos))
        return next(told, spoken[0] if spoken else otherwise)

    def modifier(self, m: Mention) -> bool:
        """Does the mention only modify a common noun ("the Meridale proposals", "Zephyr phones")?
        It names what the noun is about, not an organisation the story has in view, so a
        later "the group" does not take it up."""
        root = self.root_of(m)
        return root is not None and root.dep_ == "compound" and root.head.pos_ == "NOUN"

    def root_of(self, m: Mention) -> Token | None:
        """The syntactic head of a mention's words, read off the parse once per mention."""
        if id(m) not in self.roots:
            tok = self.book.doc.char_span(m.start, m.end, alignment_mode="expand")
            self.roots[id(m)] = tok.root if tok is not None else None
        return self.roots[id(m)]

    def document(self, span: Span, pos: int, refers_back: bool) -> Found:
        """A document speaks for whoever the text says issued it, else for itself; one named
        before only when the phrase can refer back ("exit polls" are not the poll of X)."""
        issuer = documents.issuer_in(span.root)
        if issuer is None and refers_back:
            issuer = documents.issuer_before(span)
        if issuer is not None:
            phrase = subtree(issuer)
            ent, _ = self.phrase(strip_determiners(phrase), phrase, pos, issuer=False)
            if ent is not None and ent.type != "PLACE":
                return ent, "document_issuer"
        ent = self.book.entity(("ORG", span.text.lower()), span.text, "ORG")
        self.documents.add(id(ent))
        return self.book.mention(ent, span), "document"

    def unmatched(self, span: Span) -> Found:
        """A source no known entity covers: a group phrase, a country, a name, or as written."""
        book, root = self.book, span.root
        if root.lower_ in actors.group_nouns():
            iso3 = countries_in(span) or countries_in(subtree(root))
            return book.group(span, root, iso3), "group"
        iso3 = countries.country_of(span.text)
        if iso3:
            return book.country(iso3, span), "country"
        capitalised = all(t.text[:1].isupper() or t.is_punct for t in span)
        if capitalised and root.pos_ == "PROPN" and root.tag_ != "NNPS":  # "the Greens": a group
            return person_path(book.person(span), span)
        name = described_name(span)
        if name is not None:
            return person_path(book.person(name), name)
        text = unapposed(span)
        key = ("GROUP" if root.tag_ in ("NNS", "NNPS") else "ORG", text.lower())
        return book.mention(book.entity(key, text, key[0]), span), "as_written"

    # -- voices no name gives -------------------------------------------------------------

    def interview(self, side: str, pos: int) -> Found:
        """An interview turn: questions to the interviewer, answers to the interviewee."""
        first = min(self.turns, default=pos)
        interviewer, interviewee = voices.interview_parties(self.book, first)
        if side == "answer":
            if interviewee is None:
                people = [
                    m
                    for m in self.book.mentions
                    if m.start < first and m.entity.type == "PERSON" and m.entity is not interviewer
                ]
                interviewee = max(people, key=mention_start).entity if people else None
            return interviewee, "interviewee" if interviewee else "unresolved"
        found = interviewer or self.outlet()
        return found, "interviewer" if found else "unresolved"

    def outlet(self) -> Entity | None:
        """Who asks when the text names no interviewer: the article's author, else its site."""
        article = self.book.doc._.article
        if article is None:
            return None
        if article.authors:
            return self.book.keyed.get(("AUTHOR", article.authors[0]))
        if article.site:
            ent = self.book.entity(("ORG", article.site.lower()), article.site, "ORG")
            ent.sector = "MED"
            return ent
        return None

    # -- pronouns -------------------------------------------------------------------------

    def by_pronoun(self, a: Attribution) -> Found:
        cls = self.pronoun(a)
        if cls is None:
            return self.done.get(a.id), self.paths.get(a.id, "")
        word = a.source.text.strip().lower()
        quote = self.enclosing_quote(a)
        speaker = self.resolve(quote) if quote else None
        if cls == "first":
            found, path = self.first_person(word, quote, speaker)
        else:  # "he" is anyone but the speaker within quote marks, not in a paraphrase
            other = speaker if self.in_marks(a.source.start) else None
            found, path = self.antecedent_of(a, cls, other)
        if found is not None:
            self.book.mention(found, self.span(a))
            self.learn_gender(found, a, path)
        return found, path

    def learn_gender(self, ent: Entity, a: Attribution, path: str) -> None:
        """A "he" or "she" that takes up a person of no known gender from its own sentence or
        the one before tells that person's gender to the pronouns after it."""
        want = gender.of_pronoun(a.source.text.strip())
        near = path in ("pronoun_sentence", "pronoun_previous")
        if want and near and ent.type == "PERSON" and self.book.gender(ent) is None:
            self.book.pronouned[id(ent)] = want

    def first_person(self, word: str, quote: Attribution | None, speaker: Entity | None) -> Found:
        """ "I"/"we" in a quote is its speaker; a press release's "we" outside quotes is its
        issuer; anything else is nobody we can name."""
        if quote is not None:
            return speaker, "first_person" if speaker else "unresolved"
        issuer = voices.release_issuer(self.book, self.text) if word in RELEASE_WE else None
        return issuer, "release_issuer" if issuer else "unresolved"

    def antecedent_of(self, a: Attribution, cls: str, speaker: Entity | None) -> Found:
        """A third-person pronoun's antecedent, agreeing in number, kind and gender: never a
        person of known other gender, and one of likely other gender ("Kim" for "he") only
        when no earlier person fits better."""
        want = gender.of_pronoun(a.source.text.strip())
        if cls == "person":
            likely = self.antecedent(
                anchor(a),
                a.source.start,
                lambda e: e.type == "PERSON"
                and e is not speaker
                and gender.compatible(want, self.book.gender(e, likely=True)),
                sure=lambda e: want is not None and self.book.gender(e, likely=True) == want,
            )
            if likely is not None:
                return self.by_distance(a, likely)

            def ok(e: Entity) -> bool:
                return e.type == "PERSON" and gender.compatible(want, self.book.gender(e))

        elif cls == "thing":
            if self.expletive(a):
                return None, "not_agent"  # "It is said that ...", "It was reported ..."

            def ok(e: Entity) -> bool:
                return e.type in ("ORG", "COUNTRY")

        else:  # "they" is a group, not a document that spoke ("their research shows")

            def ok(e: Entity) -> bool:
                return is_collective(e) and id(e) not in self.documents

        found = self.antecedent(anchor(a), a.source.start, lambda e: ok(e) and e is not speaker)
        if found is None and cls == "person":
            return self.against_first_name(a, want, speaker)
        if found is None:
            return None, "unresolved"
        if cls == "thing" and self.back(a, found[1]) > 1:
            return None, "unresolved"  # "it" reaches back one sentence at most
        return self.by_distance(a, found)

    def against_first_name(self, a: Attribution, want: str | None, speaker: Entity | None) -> Found:
        """With no person the pronoun agrees with, the latest speaker in its sentence or the one
        before whose gender only a first name suggests: the text's "he" outweighs the name
        statistics ("Wynter Mmolotsi ... told Parliament ... 'We act,' he said")."""
        found = self.antecedent(
            anchor(a),
            a.source.start,
            lambda e: e.type == "PERSON"
            and e is not speaker
            and gender.compatible(want, self.book.stated_gender(e)),
        )
        # counted from where the statement starts: "he said" may close a quote of sentences
        if found is None or self.sentence(anchor(a)) - self.sentence(found[1]) > 1:
            return None, "unresolved"
        return found[0], "pronoun_against_name"

    def back(self, a: Attribution, where: int) -> int:
        """How many sentences before the pronoun's an antecedent at `where` stands."""
        return self.sentence(a.source.start) - self.sentence(where)

    def by_distance(self, a: Attribution, found: tuple[Entity, int]) -> Found:
        """A pronoun's antecedent with the path its distance in sentences makes."""
        back = self.back(a, found[1])
        paths = ("pronoun_sentence", "pronoun_previous")
        return found[0], paths[back] if back < len(paths) else "pronoun_far"

    def expletive(self, a: Attribution) -> bool:
        """ "It" of a passive or a copula ("it is said", "it was reported") stands for nobody."""
        tok = self.span(a).root
        return tok.dep_ == "nsubjpass" or any(c.dep_ == "auxpass" for c in tok.head.children)

    def in_marks(self, char: int) -> bool:
        """Is the character within quotation marks?"""
        return self.marks.holds(char, strict=True)

    def in_content(self, char: int, pos: int) -> bool:
        """Is the character within some statement's content that does not also hold `pos`?"""
        return any(
            b.content.start <= char < b.content.end and not b.content.start <= pos < b.content.end
            for b in self.atts
        )

    def sentence(self, char: int) -> int:
        return bisect.bisect_right(self.sent_starts, char)

    def enclosing_quote(self, a: Attribution) -> Attribution | None:
        parent = self.by_id.get(a.parent or "")
        if parent and parent.kind in QUOTE_KINDS:
            return parent
        pos = a.source.start
        inside = [
            q
            for q in self.atts
            if q.kind in QUOTE_KINDS and q is not a and q.content.start <= pos < q.content.end
        ]
        return inside[-1] if inside else None

    def antecedent(
        self, pos: int, own: int, ok: Callable[[Entity], bool],
        sure: Callable[[Entity], bool] | None = None,
    ) -> tuple[Entity, int] | None:
        """Most recent compatible speaker before `pos`, unless a subject of the narrative
        (outside every statement's content) that surely fits comes after it ("Ana Ruiz joined
        the board in May. She said ..."); with no speaker, the most recent compatible subject;
        with where it stands."""
        ok = remembered(ok)
        speaker = self.latest_speaker_before(pos, own, ok)
        subjects = self.subjects.latest_first(self.book.mentions, pos)
        if speaker is not None:
            where, ent = speaker
            if sure is not None:
                for m in subjects:
                    if m.start <= where:
                        break
                    if m.entity is ent:  # the speaker named again: where they last stand
                        where = m.start
                        break
                    if ok(m.entity) and sure(m.entity) and not self.in_content(m.start, pos):
                        return m.entity, m.start
            # a person just named, not as a possessive ("The same message came from Ana Ruiz.
            # 'We act now,' she said."), else the subject of the sentence before ("Ana Ruiz,
            # who heads the fund, echoed their concerns. She told ...", "The agency shares that
            # concern. It said ..."), when the latest speaker stands further back than that
            fresh = sure is not None and self.since_speaker(
                pos, where, self.mentioned,
                lambda m: ok(m.entity) and sure(m.entity) and not self.qualifies(m),
            ) or self.since_speaker(pos, where, self.subjects, lambda m: ok(m.entity))
            if fresh:
                return fresh.entity, fresh.start
            return ent, where
        last = next((m for m in subjects if ok(m.entity)), None)
        if last is None:  # "Take Ana Ruiz, for example. It came as a shock, she said."
            here = self.sentence(pos)
            near = takewhile(lambda m: here - self.sentence(m.start) <= 1,
                             self.mentioned.latest_first(self.book.mentions, pos))
            last = next((m for m in near if ok(m.entity)), None)
        return (last.entity, last.start) if last is not None else None

    def since_speaker(self, pos: int, where: int, index: StartIndex,
                      fits: Callable[[Mention], bool]) -> Mention | None:
        """The latest mention in `index` that `fits`, outside what anyone said, in the sentence
        before `pos` or its own, when the speaker at `where` stands further back than that."""
        here = self.sentence(pos)
        if here - self.sentence(where) <= 1:
            return None
        near = takewhile(lambda m: here - self.sentence(m.start) <= 1 and m.start > where,
                         index.latest_first(self.book.mentions, pos))
        return next((m for m in near if fits(m) and not self.in_content(m.start, pos)), None)

    def qualifies(self, m: Mention) -> bool:
        """Does the mention only qualify another noun ("Trump's tariffs", "the Ruiz plan")?
        Then the sentence is about that noun, not about the person."""
        root = self.root_of(m)
        return root is not None and root.dep_ in ("poss", "compound")

    def latest_speaker_before(
        self, pos: int, own: int, ok: Callable[[Entity], bool]
    ) -> tuple[int, Entity] | None:
        """The resolved source starting last at or before `pos` (of those starting together,
        the first listed) whose source starts before `own` and whose entity is `ok`."""
        for i in range(bisect.bisect_left(self.spoken_at, (pos + 1,)) - 1, -1, -1):
            b = self.spoken[i]
            e = self.done.get(b.id)
            if e is not None and b.source.start < own and ok(e):
                return self.spoken_at[i][0], e
        return None


def remembered(ok: Callable[[Entity], bool]) -> Callable[[Entity], bool]:
    """`ok` answered once per entity: within one search nothing it reads changes, and the
    same entity stands behind many mentions."""
    answers: dict[int, bool] = {}

    def check(e: Entity) -> bool:
        if id(e) not in answers:
            answers[id(e)] = ok(e)
        return answers[id(e)]

    return check


def org_kind(ent: Entity, root: str, rest: set[str], fits: frozenset[str]) -> str:
    """How an organisation's name answers a description (`SourceResolver.named_org`):
    "typed" when it says the description's kind, "untyped" when it says no kind at all and
    the description takes such names, else ""."""
    name = _words(ent.name)
    sector = ent.sector or actors.org_sector(ent.name)
    if not rest <= name:
        return ""
    if root in name or name & fits or sector in fits:
        return "typed"
    return "untyped" if "?" in fits and not sector and not name & actors.kind_words() else ""


def unapposed(span: Span) -> str:
    """The phrase without what is apposed to its head ("the rookie defenceman, younger brother
    of ..." is named "rookie defenceman")."""
    root = span.root
    cut = min((c.left_edge.i for c in root.rights if c.dep_ == "appos"), default=span.end)
    end = max(root.i + 1, min(cut, span.end))
    while end > root.i + 1 and span.doc[end - 1].is_punct:
        end -= 1
    return span.doc[span.start : end].text


def role_need(span: Span) -> RoleNeed:
    """What a role phrase asks of its holder: its head word, the role it names, and the nouns
    that say whose role it is, read once per phrase for `SourceResolver.fits`."""
    root, phrase = span.root, actors.role_phrase(span.text) or ""
    body = {
        t.lower_
        for t in span
        if t.pos_ in BODY_POS and t.i != root.i and not countries.country_of(t.text)
    } - set(phrase.split())
    return root.lower_, actors.roles()[phrase] if phrase else None, frozenset(body)


def is_epithet(span: Span) -> bool:
    """Does an adjective describe the phrase's head ("the soft-spoken woman", "the grey-haired
    veteran")? Such a phrase tells the reader something new about someone already in view,
    not the office they hold ("the former minister" is an office: data/entity_words.json's
    role_modifiers), so it may stand for a person the text gave another role."""
    if span.root.lower_ in actors.words()["party_members"]:
        return True  # "the Kentucky Republican": a party and a state, no office
    office = set(actors.words()["role_modifiers"])
    return any(
        t.dep_ == "amod" and t.pos_ == "ADJ" and t.head.i == span.root.i and t.lower_ not in office
        for t in span
    )


def person_path(ent: Entity, written: Span | str) -> Found:
    """A person with "name" when the source writes the name in full, else "name_variant"."""
    text = written if isinstance(written, str) else written.text
    return ent, "name" if text.lower() == ent.name.lower() else "name_variant"


def names_head(m: Mention, span: Span) -> bool:
    """Does the mention name the phrase itself, as its head or in apposition to it, rather
    than a modifier ("a spokesman for X", "a paper seen by X" are not X)?"""
    doc, root = span.doc, span.root
    tok = doc.char_span(m.start, m.end, alignment_mode="expand")
    if tok is None:
        return False
    head = tok.root
    modifier = False  # a name modifying an apposition ("X, a Middle East expert") is not X
    while head.i != root.i and head.dep_ in NAME_LINKS and head.head.i != head.i:
        if head.dep_ == "appos" and modifier:
            return False
        modifier = modifier or head.dep_ in MODIFIER_LINKS
        # compare by index: spaCy makes a new Token object on every access
        head = appos_head(head.head) if head.dep_ == "appos" else head.head
    return head.i == root.i or root.i in range(tok.start, tok.end) or closing_appos(m, tok, span)


def closing_appos(m: Mention, name: Span, span: Span) -> bool:
    """A person named in apposition at the end of a phrase names the whole phrase, though the
    parser hung the name on its last noun ("Keeper of the Seal, Ana Ruiz, said": Ruiz speaks)
    or took it for the object of the role's preposition ("Coordinator for Chile Ana Ruiz")."""
    if m.entity.type != "PERSON" or name.end != span.end:
        return False
    if name.start > span.start and role_place(name.doc[name.start - 1]):
        return True
    if name.root.dep_ != "appos":
        return False
    head = name.root.head
    while head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.head.i != head.i:
        head = head.head.head
    return head.i == span.root.i


def described_name(span: Span) -> Span | None:
    """The untagged name of a person the phrase describes: a run of proper nouns ending in
    the phrase's root, with a role noun in apposition ("Ana Ruiz, a researcher at ..."), or a
    description in apposition and a first name ("Ana Ruiz, the divisional superintendent"),
    or a role noun right before it ("foreign ministry spokesperson Ana Ruiz")."""
    doc, root = span.doc, span.root
    if root.pos_ != "PROPN" or not root.text[:1].isupper():
        return None
    start = name_start(doc, root.i, span.start)
    name = doc[start : root.i + 1]
    if start > span.start and doc[start - 1].lower_ in actors.roles():
        return name
    apposed = [c for c in root.children if c.dep_ == "appos"]
    if start == root.i or not apposed:
        return None
    if any(actors.role_of(doc[c.left_edge.i : c.i + 1].text) for c in apposed):
        return name
    described = any(c.pos_ == "NOUN" and c.left_edge.pos_ == "DET" for c in apposed)
    return name if described and gender.female_share(doc[start].text) is not None else None


def name_start(doc: Doc, last: int, floor: int) -> int:
    """Where the run of capitalised proper nouns ending at token `last` starts (not before
    `floor`): a name's first word."""
    start = last
    while start > floor and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title:
        start -= 1
    return start


def apposed_name(span: Span) -> Span | None:
    """A full name in apposition to the phrase's head ("another passenger, Allah Ditta"): a
    run of capitalised proper nouns, two words or more."""
    doc = span.doc
    for c in span.root.children:
        if c.dep_ != "appos" or c.pos_ != "PROPN" or c.i >= span.end:
            continue
        start = name_start(doc, c.i, span.root.i + 1)
        if c.i > start and all(t.is_title for t in doc[start : c.i + 1]):
            return doc[start : c.i + 1]
    return None


def role_of_head(span: Span) -> bool:
    """Is the phrase's head part of the role phrase it holds? "the party leader" and "the
    head of the country" are roles, "the main opposition party" is none ("party leader")."""
    phrase = actors.role_phrase(span.text)
    return phrase is not None and span.root.lower_ in phrase.split()


def anchor(a: Attribution) -> int:
    """Where an attribution starts: its source or its content, whichever comes first."""
    return min(a.source.start, a.content.start) if a.source else a.content.start


def mention_start(m: Mention) -> int:
    return m.start


def _words(text: str) -> set[str]:
    """The words of a name or role, each also without a possessive ("UNICEF's" -> "unicef")."""
    words = text.lower().replace(",", " ").split()
    return {*words, *(POSSESSIVE.sub("", w) for w in words)}


def is_collective(e: Entity) -> bool:
    return e.type in ("COUNTRY", "GROUP", "ORG")


def held(role_text: str, wanted: actors.Role) -> bool:
    """Does a person's role match a role noun? "Foreign Minister" holds "the minister"."""
    role = actors.role_of(role_text)
    return role is not None and wanted.key in (role.key, role.broader)
