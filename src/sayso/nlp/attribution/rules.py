"""Attributed statements: who said what, found by rules over the dependency parse and quotes.

The component `sayso_attribution` sets `doc._.attributions` to `Attribution`s in text order.
Source spans are the noun phrase as written (entity=None); `sayso_entities` resolves them later.
Passes, in priority order, each claiming the cue tokens it uses so later passes skip them:
quotes with a cue after or before them (direct), quotes after a colon closing a clause about
their speaker, quotes signed with a dash and a name, cue verbs with a clausal, listed nominal or
prepositional complement (indirect, or mixed when the complement holds a quote; a second cue
conjoined in the same sentence is a statement of its own), "according to" and "per", noun cues,
and finally quotes with no cue that carry on the previous speaker, quoted or reported. A
speaker's present "I think" or "I can assure you" inside their own quote is part of the quote,
not a statement. A quote
interrupted by its own cue ('"We will stay," she said, "until it is done."') is one statement
whose content parts are the quoted pieces, and so is a quote running over several paragraphs
(a part per paragraph). Statements of the page rather than the article (a "READ MORE:" link
line, "A photo shows ...", a heading in capitals before a colon) are dropped. Each statement's
confidence is the prior of the pass that found it (`PRIOR`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as Tokens

from sayso.model import Attribution, ContentSpan, SourceSpan, Span
from sayso.nlp.attribution.cues import CueVerb, lexicon, noun_cue, verb_cue
from sayso.nlp.attribution.quotes import Quote, find_quotes, quote_marks
from sayso.nlp.entities import nonagents
from sayso.nlp.entities.spanindex import RangeCover, SpanIndex
from sayso.nlp.spans import doc_text, sayso_factory, token_column

SUBJECTS = ("nsubj", "nsubjpass", "csubj")
# Dependencies through which a participle or conjoined cue inherits the subject of its head
# ("they appealed to Russia claiming that", "refuted the claims and announced that").
INHERIT_SUBJECT = ("xcomp", "advcl", "pcomp", "prep", "conj")
CONTENT_OBJECT = ("ccomp",)
PARENTHETICAL = ("parataxis", "ccomp")  # how the parser hangs "X said" inside its clause
SET_OFF = (",", "—", "–", "-", "(", "\u201d", '"')  # what precedes a parenthetical "X said"
# Dependents that make a verb a clause of its own rather than a parenthetical "X said".
CLAUSE_OF_ITS_OWN = ("dobj", "dative", "attr", "acomp", "oprd", "xcomp", "ccomp", "conj")
CONTENT_INFINITIVE = ("request", "stance")  # "urged them to leave", "vowed to fight"
SENTENCE_END = (".", "!", "?")
EDGE_PUNCT = ",;:—–-([ "
TIME_ENTS = ("DATE", "TIME")
FIGURE_ENTS = (*TIME_ENTS, "PERCENT", "MONEY", "QUANTITY", "CARDINAL")  # never a speaker
QUOTE_LINKS = ("", "so", "and", "but", "because", "as")  # between a paraphrase and its quote
MAX_SUBJECT_HOPS = 6
PARAGRAPH_BREAK = re.compile(r"\n(?=[^\n])")  # a line break with text after it
PASSIVE_SPEAKER = ("quote", "hear", "cite", "record", "report")  # "X was quoted as saying"
MAX_SPEAKER_TOKENS = 4  # "SEN. WARREN:" opening a transcript line
SPEAKER_ENTS = ("PERSON", "ORG", "NORP")
PLACE_ENTS = ("GPE", "LOC", "FAC", "DATE", "TIME")  # datelines, not speakers
CONTINUED_AFTER = (",", ":", "—", "–")  # how a cue clause hands back to its quote: 'X said, "'
# Statements whose speaker a following quote with no cue carries on: 'X said the plan is dead.
# "We tried everything."' continues X as much as a quote does.
SPOKEN = ("direct", "mixed", "indirect")
# Subjects by which a speaker voices their own act of saying or believing inside their quote
# ("I think", "we can assure you"): the quote's own words, not a statement of its own.
FIRST_PERSON = ("i", "we")
PAST = ("VBD", "VBN")
FINITE = ("VBD", "VBZ", "VBP", "MD")
SPEAKING_PRONOUNS = ("he", "she", "they", "we", "i")  # a subject that can open 'X was blunt: "'
CLAUSE_LINKS = ("cc", "punct")
SIGNATURE_DASHES = ("\u2015", "\u2014", "\u2013")  # '"..." ― Jane Roe': a signed quote
MIN_FLOATING_WORDS = 4  # fewer, a quote with no cue is a phrase unless it follows its cue clause
MAX_SIGNATURE_WORDS = 5  # what joins a second cue clause to the first: ", and added"
# Confidence that a statement found by each pass is one with these spans: a fixed prior, not
# fitted to any data, ordered by the evidence the pass sees. Quote marks with a governing cue
# verb are the surest; a clause governed by a cue verb, an "according to" phrase and a speaker
# label come next; a parenthetical aside or a statement noun less so; a quote with no cue of its
# own, whose speaker is only carried on from an earlier quote, is the least sure: more so in the
# paragraph of that quote ("continued", joined to its statement, which then takes the lower of
# its own prior and this one) than in the next paragraph ("floating", a statement of its own).
PRIOR = {
    "quoted": 0.9,
    "reported": 0.8,
    "according_to": 0.8,
    "continued": 0.75,
    "speaker_label": 0.75,
    "parenthetical": 0.7,
    "colon": 0.7,
    "signed": 0.7,
    "noun_cue": 0.65,
    "floating": 0.5,
}


@dataclass
class _Draft:
    """An attribution under construction; offsets are characters into doc.text."""

    kind: str
    source: tuple[int, int] | None
    cue: tuple[int, int] | None
    content: tuple[int, int]
    cue_token: Token | None = None
    extras: dict[str, tuple[int, int]] = field(default_factory=dict)
    parts: list[tuple[int, int]] = field(default_factory=list)  # see `join`
    confidence: float | None = None

    @property
    def anchor(self) -> int:
        return min(self.content[0], self.cue[0]) if self.cue else self.content[0]

    def join(self, text: str, piece: tuple[int, int]) -> None:
        """Carry the content on to a later piece of the speaker's words. When other words (the
        cue, another sentence) lie between, the pieces become the content's parts, so that only
        they, not the words between, count as what was said."""
        between = text[self.content[1] : piece[0]]
        if between.strip() or "\n" in between:  # a paragraph break parts them too
            self.parts = [*(self.parts or [self.content]), piece]
        elif self.parts:
            self.parts[-1] = (self.parts[-1][0], piece[1])
        self.content = (self.content[0], piece[1])

    def holds(self, start: int, end: int) -> bool:
        """True when [start, end) lies within the speaker's words: one part, or the content."""
        return any(s <= start and end <= e for s, e in self.parts or [self.content])


@sayso_factory("sayso_attribution", default_config={"engine": "rules"})
def make_attribution(nlp: Language, name: str, engine: str) -> AttributionFinder:
    if engine == "trained":
        from sayso.nlp.attribution.trained import TrainedFinder

        return TrainedFinder()
    if engine != "rules":
        raise ValueError(f"unknown attribution engine {engine!r}: use 'trained' or 'rules'")
    return AttributionFinder()


class AttributionFinder:
    """Pipeline component: sets `doc._.attributions`."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.attributions = find_attributions(doc)
        return doc


def find_attributions(doc: Doc) -> list[Attribution]:
    """All attributed statements in `doc`, numbered A1, A2, ... in text order."""
    ctx = _Context(doc)
    drafts = ctx.quoted() + ctx.colon_quotes() + ctx.signed_quotes() + ctx.reported()
    drafts += ctx.according_to()
    drafts += ctx.noun_cues()
    drafts += ctx.speaker_colons()
    drafts = [d for d in drafts if not ctx.boilerplate(d)]
    drafts += ctx.floating(drafts)
    drafts.sort(key=lambda d: (d.anchor, d.content[0]))
    return _finish(doc_text(doc), drafts)


class _Context:
    """One document's quotes, paragraphs and claimed cue tokens, shared by the passes."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.quotes = find_quotes(self.text)
        # asked of every cue and token: an index rather than a scan of every quote each time
        self.quote_cover = RangeCover((q.start, q.end) for q in self.quotes)
        self.quote_index = SpanIndex()
        self.paragraph_starts = _paragraph_starts(self.text)
        self.claimed: set[int] = set()
        self.quoted_used: set[Quote] = set()
        self._lower_words: set[str] | None = None

    # -- geometry -------------------------------------------------------------------------

    def lower_words(self) -> set[str]:
        """The words the article writes in lower case, to tell capitals headings from names."""
        if self._lower_words is None:
            words = zip(token_column(self.doc, "ORTH"), token_column(self.doc, "IS_LOWER"),
                        strict=True)
            self._lower_words = {word for word, lower in words if lower}
        return self._lower_words

    def paragraph(self, char: int) -> tuple[int, int]:
        """The [start, end) character range of the paragraph holding `char`."""
        k = bisect.bisect_right(self.paragraph_starts, char) - 1
        start = self.paragraph_starts[k]
        nxt = self.paragraph_starts[k + 1] if k + 1 < len(self.paragraph_starts) else len(self.text)
        # the paragraph alone, not all the text before it, unless it is only blank
        end = start + len(self.text[start:nxt].rstrip())
        return start, end if end > start else len(self.text[:nxt].rstrip())

    def span(self, first: Token, last: Token, within: tuple[int, int]) -> tuple[int, int] | None:
        """Characters from `first` to `last`, clipped to `within`, edge punctuation trimmed."""
        start = max(first.idx, within[0])
        end = min(last.idx + len(last), within[1])
        while start < end and self.text[start] in EDGE_PUNCT + "\n\t\u00a0":
            start += 1
        while end > start and self.text[end - 1] in EDGE_PUNCT + "\n\t\u00a0":
            end -= 1
        return (start, end) if end > start else None

    def subtree(self, token: Token) -> tuple[int, int] | None:
        return self.span(token.left_edge, token.right_edge, self.paragraph(token.idx))

    def link_line(self, char: int) -> bool:
        """Is `char` in a line pointing to another article or clip ("READ MORE: X says ...")?"""
        start, end = self.paragraph(char)
        label, colon, _ = self.text[start:end].partition(":")
        return bool(colon) and " ".join(label.lower().split()) in lexicon().link_labels

    def boilerplate(self, draft: _Draft) -> bool:
        """A statement of the page, not the article: in a link line, or with a caption's or a
        credit's word as its source ("A photo shows ...", "Video shows ...")."""
        if self.link_line(draft.cue[0] if draft.cue else draft.content[0]):
            return True
        if draft.source is None:
            return False
        source = self.doc.char_span(*draft.source, alignment_mode="expand")
        return source is not None and source.root.lower_ in nonagents.word_list("non_agent_words")

    def in_quote(self, char: int) -> bool:
        return self.quote_cover.holds(char, strict=True)

    def quote_at(self, start: int, end: int) -> Quote | None:
        """The first quote that begins inside [start, end)."""
        return next((q for q in self.quotes if start <= q.start < end), None)

    # -- sources --------------------------------------------------------------------------

    def source_of(self, verb: Token) -> tuple[int, int] | None:
        """The speaker's noun phrase: the cue's subject, or its head's for participles."""
        tok = verb
        for _ in range(MAX_SUBJECT_HOPS):
            subjects = [c for c in tok.children if c.dep_ in SUBJECTS]
            outside = [c for c in subjects if not self.in_quote(c.idx)]
            subj = (outside or subjects or [None])[0]  # '"... we ...," said X': X speaks
            if subj is None and tok is verb and (misread := _misread_subject(verb)) is not None:
                return self.span(misread.left_edge, verb.nbor(-1), self.paragraph(verb.idx))
            subj = subj if subj is not None or tok is not verb else _name_as_auxiliary(verb)
            agent = next((c for c in tok.children if c.dep_ == "agent"), None)
            if subj is not None and (subj.dep_ != "nsubjpass" or quoted_as(tok, verb)):
                return self.noun_phrase(subj)
            if agent is not None:
                pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
                return self.noun_phrase(pobj) if pobj is not None else None
            if subj is not None or tok.head is tok:
                return None
            if tok.dep_ == "acl" and _statement_noun(tok.head):  # "issued a statement saying"
                tok = tok.head.head
                continue
            if tok.dep_ not in INHERIT_SUBJECT:
                return None
            tok = _conjoined_cue_head(tok) or tok.head
        return None

    def noun_phrase(self, head: Token) -> tuple[int, int] | None:
        """The phrase headed by `head` as written, without relative clauses or a possessive
        's; a relative pronoun stands for the noun it modifies, or for the clause a sentential
        ", which" sums up."""
        relative = _relative_clause(head)
        if relative is not None:
            head = _clause_referred(head) or relative.head
        cut = [c for c in head.children if c.dep_ in ("relcl", "case")]
        skip = {t.i for c in [*cut, *filter(None, [relative])] for t in c.subtree}
        kept = {t.i for t in head.subtree} - skip
        first, last = head.i, head.i
        while first - 1 in kept:  # the unbroken run around the head: a relative clause
            first -= 1  # cut out of the middle leaves its commas, which must not bridge it
        while last + 1 in kept:
            last += 1
        return self.span(self.doc[first], self.doc[last], self.paragraph(head.idx))

    # -- pass 1: quotes with a cue --------------------------------------------------------

    def quoted(self) -> list[_Draft]:
        drafts: list[_Draft] = []
        for quote in self.quotes:
            previous = drafts[-1] if drafts else None
            cue = self.tail_cue(quote) or self.head_cue(quote)
            if cue is None and previous is not None:  # its cue clause then hands back to it
                if self.cue_clause_mark(previous, quote.start) in CONTINUED_AFTER:
                    cue = previous.cue_token
            if cue is None:
                continue
            if previous is not None and previous.cue_token == cue:  # "...," he said, "..."
                self.join_quote(previous, quote)
            else:
                drafts.append(self.verb_draft("direct", cue, self.pieces(quote)[0], "quoted"))
                self.join_quote(drafts[-1], quote)
            self.claimed.add(cue.i)
            self.quoted_used.add(quote)
        return drafts

    def colon_quotes(self) -> list[_Draft]:
        """A quote after a colon closing a clause about its speaker with no cue verb ('The
        coach was blunt: "..."'): the clause's subject speaks, the colon is the cue."""
        drafts = []
        for quote in self.quotes:
            if quote in self.quoted_used:
                continue
            para = self.paragraph(quote.start)
            lead = self.text[para[0] : quote.start].rstrip()
            colon = self.doc.char_span(para[0] + len(lead) - 1, para[0] + len(lead))
            if not lead.endswith(":") or colon is None:
                continue
            subject = self.lead_subject(colon[0], para[0])
            if subject is None:
                continue
            draft = _Draft("direct", self.noun_phrase(subject), (colon.start_char, colon.end_char),
                           self.pieces(quote)[0], confidence=PRIOR["colon"])
            self.join_quote(draft, quote)
            self.quoted_used.add(quote)
            drafts.append(draft)
        return drafts

    def signed_quotes(self) -> list[_Draft]:
        """A paragraph that is a quote signed with a dash and a name ('"..." ― Jane Roe, 41'),
        as in a page of readers' or voters' voices: the name speaks, the dash is the cue."""
        drafts = []
        for quote in self.quotes:
            para = self.paragraph(quote.start)
            if quote in self.quoted_used or self.text[para[0] : quote.start].strip():
                continue
            tail = self.text[quote.end : para[1]]
            dash = quote.end + len(tail) - len(tail.lstrip())
            if not tail.strip().startswith(SIGNATURE_DASHES):
                continue
            name = self.signature(dash + 1, para[1])
            if name is None:
                continue
            draft = _Draft("direct", name, (dash, dash + 1), self.pieces(quote)[0],
                           confidence=PRIOR["signed"])
            self.join_quote(draft, quote)
            self.quoted_used.add(quote)
            drafts.append(draft)
        return drafts

    def signature(self, start: int, end: int) -> tuple[int, int] | None:
        """The name signing a quote, up to its first comma ("Jane Roe, 41, nurse"): a few
        words, each capitalised, one of them a name."""
        words = self.doc.char_span(start, end, alignment_mode="expand")
        if words is None:
            return None
        comma = next((t.i for t in words if t.text in (",", "(")), words.end)
        name = self.doc[words.start : comma]
        alpha = [t for t in name if t.is_alpha]
        if not alpha or len(alpha) > MAX_SIGNATURE_WORDS or not all(t.is_title for t in alpha):
            return None
        if not any(t.ent_type_ in SPEAKER_ENTS or t.pos_ == "PROPN" for t in name):
            return None
        return self.span(name[0], name[-1], (start, end))

    def lead_subject(self, colon: Token, start: int) -> Token | None:
        """The subject of the clause a colon closes, when it can speak: a name, a personal
        pronoun or a noun for a person or group."""
        lead = self.doc.char_span(start, colon.idx, alignment_mode="expand")
        if lead is None:
            return None
        # the parse may hang the lead clause on the quote's verb: its heads are those whose
        # own head lies outside it
        heads = [t for t in lead if t.head is t or not lead.start <= t.head.i < lead.end]
        subject = next(
            (c for h in heads for c in h.children if c.dep_ == "nsubj" and c.i < colon.i), None
        )
        if subject is None or self.in_quote(subject.idx):
            return None
        if subject.ent_type_ in SPEAKER_ENTS or subject.lower_ in SPEAKING_PRONOUNS:
            return subject
        return subject if nonagents.agent_noun(subject.lemma_.lower()) else None

    def pieces(self, quote: Quote) -> list[tuple[int, int]]:
        """The quote paragraph by paragraph: a quote running over several paragraphs is that
        many parts of its statement, as annotators mark them."""
        pieces, start = [], quote.start
        while (newline := self.text.find("\n", start, quote.end)) >= 0:
            end = len(self.text[:newline].rstrip())
            if end > start:
                pieces.append((start, end))
            start = newline
            while start < quote.end and self.text[start].isspace():
                start += 1
        if quote.end > start:
            pieces.append((start, quote.end))
        return pieces or [(quote.start, quote.end)]

    def join_quote(self, draft: _Draft, quote: Quote) -> None:
        """Carry the draft's content on over the quote, paragraph by paragraph (over the
        pieces after its content, when that is the quote's first piece)."""
        for piece in self.pieces(quote):
            if piece[0] >= draft.content[1]:
                draft.join(self.text, piece)

    def cue_clause_mark(self, draft: _Draft, end: int) -> str | None:
        """When nothing but the draft's own cue clause lies between its content and `end`, the
        mark that closes the clause ('"...," X said, "...': ",", '"...," X said. "...': "."),
        else None."""
        start = draft.content[1]
        if draft.cue is None or not start <= draft.cue[0] < end or "\n" in self.text[start:end]:
            return None
        between = self.doc.char_span(start, end, alignment_mode="contract")
        if between is None or len(between) < 2:
            return None
        *clause, mark = between
        if any(t.text in SENTENCE_END or t.text in quote_marks() for t in clause):
            return None
        return mark.text

    def tail_cue(self, quote: Quote) -> Token | None:
        """A cue verb after the quote in its sentence: '"...," the minister said.'"""
        if not quote.closed or not self.starts_clause(quote):
            return None
        inner = self.text[quote.start : quote.end - 1].rstrip()
        after = self.doc.char_span(quote.end, self.paragraph(quote.end)[1], alignment_mode="expand")
        if after is None:
            return None
        for tok in after:
            if tok.text in SENTENCE_END and inner.endswith(SENTENCE_END):
                return None  # a new sentence after a finished quote
            if tok.text in SENTENCE_END or tok.text in quote_marks() or "\n" in tok.text:
                return None
            cue = verb_cue(tok)
            if cue is not None and not self.has_own_content(tok, quote):
                return tok
        return None

    def head_cue(self, quote: Quote) -> Token | None:
        """A cue verb introducing the quote: 'X said in remarks: "..."' or 'X said, "..."'."""
        para = self.paragraph(quote.start)
        lead = self.text[para[0] : quote.start].rstrip()
        if not lead and para[0] > 0:  # 'X continued:' closing the previous paragraph
            para = self.paragraph(para[0] - 1)
            lead = self.text[para[0] : para[1]].rstrip()
        if not lead.endswith((":", ",")):
            return None
        stretch = self.doc.char_span(para[0], para[0] + len(lead), alignment_mode="expand")
        if stretch is None:
            return None
        for tok in reversed(stretch):
            if tok.text in SENTENCE_END or tok.text in quote_marks():
                return None
            if verb_cue(tok) is not None and not self.has_own_content(tok, quote):
                return tok
        return None

    def starts_clause(self, quote: Quote) -> bool:
        """True when the quote opens its sentence, so a following cue can govern it."""
        lead = self.text[self.paragraph(quote.start)[0] : quote.start].rstrip()
        return not lead or lead.endswith((*SENTENCE_END, ":", "\u201d", '"'))

    def has_own_content(self, verb: Token, quote: Quote) -> bool:
        """True when the verb reports a clause of its own outside the quote; a clause in another
        quote is not its own ('"...," she said, "and I know it."': the parse may hang the second
        quote on the cue between them)."""
        return any(
            c.dep_ in CONTENT_OBJECT and not self.in_quote(c.idx) for c in verb.children
        )

    def verb_draft(self, kind: str, verb: Token, content: tuple[int, int], found_by: str) -> _Draft:
        """A draft for a verb cue, with its source, addressee, medium and time; `found_by`
        names the pass, for its prior confidence."""
        draft = _Draft(
            kind=kind,
            source=self.source_of(verb),
            cue=self.cue_span(verb),
            content=content,
            cue_token=verb,
            confidence=PRIOR[found_by],
        )
        draft.extras = self.circumstances(verb, verb_cue(verb), content)
        return draft

    def cue_span(self, verb: Token) -> tuple[int, int]:
        end = verb.idx + len(verb)
        for child in verb.children:
            if child.dep_ == "prt" and child.i == verb.i + 1:
                end = child.idx + len(child)
        return verb.idx, end

    # -- circumstances: addressee, medium, time -------------------------------------------

    def circumstances(
        self, verb: Token, cue: CueVerb | None, content: tuple[int, int]
    ) -> dict[str, tuple[int, int]]:
        """Who the statement was made to, through what, and when, from the cue's dependents."""
        found: dict[str, tuple[int, int]] = {}
        outside = [c for c in verb.children if not content[0] <= c.idx < content[1]]
        for child in outside:
            if cue and cue.addressee == "obj" and child.dep_ in ("dobj", "dative"):
                found.setdefault("addressee", self.subtree(child))
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if child.dep_ != "prep" or pobj is None:
                if child.dep_ in ("npadvmod", "tmod") and child.ent_type_ in TIME_ENTS:
                    found.setdefault("time", self.subtree(child))
                continue
            if child.lower_ == "to" and cue and cue.addressee == "to":
                found.setdefault("addressee", self.subtree(pobj))
            elif pobj.ent_type_ in TIME_ENTS:
                found.setdefault("time", self.subtree(child))
            elif pobj.lower_ in lexicon().medium_nouns or pobj.lemma_ in lexicon().medium_nouns:
                found.setdefault("medium", self.medium(pobj))
                when = self.time_within(pobj)
                if when:
                    found.setdefault("time", when)
        return {k: v for k, v in found.items() if v}

    def medium(self, noun: Token) -> tuple[int, int] | None:
        """'televised remarks', 'interview with journalists': the noun, its modifiers and
        non-temporal complements, without determiners."""
        keep = [noun]
        for child in noun.children:
            if child.dep_ in ("det", "poss", "predet", "punct"):
                continue
            if child.dep_ == "prep" and any(t.ent_type_ in TIME_ENTS for t in child.subtree):
                continue
            keep.extend(child.subtree)
        first, last = min(keep, key=lambda t: t.i), max(keep, key=lambda t: t.i)
        return self.span(first, last, self.paragraph(noun.idx))

    def time_within(self, noun: Token) -> tuple[int, int] | None:
        for child in noun.children:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if child.dep_ == "prep" and pobj is not None and pobj.ent_type_ in TIME_ENTS:
                return self.subtree(child)
        return None

    # -- pass 2: reported speech ----------------------------------------------------------

    def reported(self) -> list[_Draft]:
        drafts = []
        for tok in self.doc:
            if tok.i in self.claimed:
                continue
            cue = verb_cue(tok)
            if cue is None or cue.lemma in lexicon().quote_only or self.own_voice(tok):
                continue
            if nothing_said(tok, cue):
                continue
            found_by, content = "reported", self.reported_content(tok, cue)
            if content is None:
                found_by, content = "parenthetical", self.parenthetical_content(tok, cue)
            if content is None or self.reports_own_quote(tok, content):
                continue
            content = self.with_quoted_tail(content)
            if self.reports_own_quote(tok, content):  # "I think" inside the quote it opens
                continue
            source = self.source_of(tok)
            if source is None and not any(c.dep_ in CONTENT_OBJECT for c in tok.children):
                continue  # "confirming the nominees" with no one confirming: no statement
            if source and self.text[slice(*source)].lower() == "you" and not self.in_quote(tok.idx):
                continue  # "what do you think of ...?" in the narrative asks, it reports nothing
            draft = self.verb_draft(self.kind_of(content), tok, content, found_by)
            if found_by == "parenthetical":
                draft.parts = self.around_aside(content, tok)
            drafts.append(draft)
            self.claimed.add(tok.i)
        return drafts

    def around_aside(self, content: tuple[int, int], verb: Token) -> list[tuple[int, int]]:
        """The two pieces of a clause that a parenthetical cue interrupts ("The plan, the
        minister said, is dead"): what was said, without the aside."""
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), verb)
        start, end = min(subject.left_edge, verb, key=lambda t: t.i).idx, verb.idx + len(verb)
        if not content[0] < start < end < content[1]:
            return []
        before = self.text[content[0] : start].rstrip(EDGE_PUNCT)
        after = self.text[end : content[1]]
        lead = len(after) - len(after.lstrip(EDGE_PUNCT))
        if not before or lead == len(after):
            return []
        return [(content[0], content[0] + len(before)), (end + lead, content[1])]

    def own_voice(self, verb: Token) -> bool:
        """True for a speaker's present "I think", "we can assure you" inside a quote: part of
        what the quote says, not a further statement ("I said" in a quote still reports one)."""
        subject = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
        return (
            subject is not None
            and subject.lower_ in FIRST_PERSON
            and verb.tag_ not in PAST
            and self.in_quote(verb.idx)
        )

    def reported_content(self, verb: Token, cue: CueVerb) -> tuple[int, int] | None:
        """The clause (or, for verbs that allow it, the noun phrase) the cue reports."""
        deps = CONTENT_OBJECT + (("xcomp",) if cue.category in CONTENT_INFINITIVE else ())
        misread = _misread_subject(verb)
        skip = misread.i if misread is not None else -1  # Tokens compare by index, not identity
        parts = [c for c in verb.children if c.dep_ in deps and not _is_aside(c) and c.i != skip]
        obj = next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ != "PRON"), None)
        if not parts and obj is not None and cue.takes_object and not _two_objects(verb) and (
            not cue.statement_object or _statement_noun(obj)
        ):
            parts = [obj] + [
                c
                for c in verb.children
                if c.dep_ in ("npadvmod", "oprd") and c.i > obj.i and c.ent_type_ not in TIME_ENTS
            ]
        predicate = next((c for c in verb.children if c.dep_ == "oprd"), None)
        if not parts and obj is not None and predicate is not None:  # "called the plan a farce"
            parts = [obj, predicate]
        if not parts and cue.preposition:
            # the parse may hang the phrase on the person spoken to: "accused them of lying"
            heads = [verb, *(c for c in verb.children if c.dep_ == "dobj")]
            parts = [
                pobj
                for h in heads
                for c in h.children
                if c.dep_ == "prep" and c.lower_ == cue.preposition
                for pobj in c.children
                if pobj.dep_ in ("pobj", "pcomp")
            ]
        if not parts:
            parts = self.passive_content(verb) or _clause_on_noun(verb) or _gerund_clause(verb)
        para = self.paragraph(verb.idx)
        # the parse may run over a paragraph break and hang a clause of the paragraph before
        # on the cue beside its own: that clause is no content of it
        parts = [p for p in parts if self.paragraph(p.idx) == para] or parts
        if not parts or _elliptical(parts):
            return None
        if cue.category == "evidence" and not any(map(_finite_clause, parts)):
            return None  # "arrived to find her son asleep", "found it necessary": no finding
        parts += _stranded_subject(verb, cue, parts)
        first = min((p.left_edge for p in parts), key=lambda t: t.i)
        last = max((p.right_edge for p in parts), key=lambda t: t.i)
        return self.span(first, self.before_next_cue(verb, first, last), para)

    def passive_content(self, verb: Token) -> list[Token]:
        """'The warning was issued by X': the passive subject is what X said, when X is named
        by an agent phrase and the subject is more than a pronoun."""
        if not any(c.dep_ == "agent" for c in verb.children):
            return []
        return [c for c in verb.children if c.dep_ == "nsubjpass" and c.pos_ != "PRON"]

    def before_next_cue(self, verb: Token, first: Token, last: Token) -> Token:
        """The content's last token, before a second cue clause the parse hung inside it ("X
        said that A and added that B": B is a statement of its own, not part of A)."""
        for tok in self.doc[first.i : last.i + 1]:
            if tok is verb or tok.dep_ != "conj" or self.in_quote(tok.idx):
                continue
            if verb_cue(tok) is None or any(c.dep_ in SUBJECTS for c in tok.children):
                continue
            if not any(c.dep_ in CONTENT_OBJECT for c in tok.children):
                continue
            end = self.before_links(tok.i - 1, first.i)
            return self.doc[end] if end > first.i else last
        return last

    def before_links(self, end: int, floor: int) -> int:
        """The last token at or before `end` (not before `floor`) that is no conjunction or
        punctuation linking a clause to the one after it."""
        while end > floor and self.doc[end].dep_ in CLAUSE_LINKS:
            end -= 1
        return end

    def reports_own_quote(self, verb: Token, content: tuple[int, int]) -> bool:
        """True when a verb inside a quote would report that whole quote: words of the
        quote are what it says, not a statement about it."""
        around = self.quote_index.overlapping(self.quotes, verb.idx, verb.idx + 1)
        return any(content[0] <= q.start and q.end <= content[1] + 1 for q in around)

    def parenthetical_content(self, verb: Token, cue: CueVerb) -> tuple[int, int] | None:
        """The clause around a parenthetical cue: 'The plan, the minister said, is dead.'"""
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if (
            subject is None
            or verb.dep_ not in PARENTHETICAL
            or verb.head.pos_ not in ("VERB", "AUX")
            or any(_makes_clause(c, cue) for c in verb.children)
        ):
            return None  # "we will find a way, but ...," she added: a clause, not an aside
        first = min(subject.left_edge, verb, key=lambda t: t.i)
        if first.i > first.sent.start and first.nbor(-1).text not in SET_OFF:
            return None  # an aside is set off by punctuation; "X said Y had warned her" is not
        return self.rest_of_sentence(first, verb)

    def with_quoted_tail(self, content: tuple[int, int]) -> tuple[int, int]:
        """Extend a paraphrase to the end of a quote it opens (the parse leaves the final
        '."' outside) or by the quote that finishes it: 'said X, so "..."' (mixed)."""
        for quote in self.quotes:
            if content[0] <= quote.start < content[1] < quote.end:
                if not self.text[content[1] : quote.end].strip(" .,;:!?\u201d\"'"):
                    return content[0], quote.end
        quote = next((q for q in self.quotes if q.start >= content[1]), None)
        if quote is None or quote in self.quoted_used:
            return content
        gap = self.text[content[1] : quote.start].strip(" ,;:—")
        return (content[0], quote.end) if gap in QUOTE_LINKS else content

    def kind_of(self, content: tuple[int, int]) -> str:
        """direct when the content is one quote, mixed when it holds one, else indirect."""
        quote = self.quote_at(*content)
        if quote is None:
            return "indirect"
        self.quoted_used.add(quote)
        return "direct" if quote.start == content[0] and quote.end >= content[1] else "mixed"

    # -- pass 3: "according to" -----------------------------------------------------------

    def according_to(self) -> list[_Draft]:
        """'according to X' and its shorter equivalents ('per X'): the rest of the sentence is
        what X says."""
        drafts = []
        for tok in self.doc[:-1]:
            nxt = tok.nbor()
            if tok.lower_ == "according" and nxt.lower_ == "to":
                pobj = next((c for c in nxt.children if c.dep_ == "pobj"), None)
            elif tok.lower_ in lexicon().source_prepositions and tok.dep_ == "prep":
                nxt = tok
                pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
                if pobj is not None and not _names_someone(pobj):
                    continue  # "per cent", "per day": a rate, not a source
            else:
                continue
            if pobj is None or pobj.lemma_.lower() in lexicon().non_speakers:
                continue
            if pobj.lower_ in lexicon().non_speakers:
                continue
            source = self.noun_phrase(pobj)
            content = self.rest_of_sentence(tok, pobj.right_edge)
            if content:
                content = self.before_own_cue_clause(content)
            if source and content:
                cue = (tok.idx, nxt.idx + len(nxt))
                drafts.append(
                    _Draft("according_to", source, cue, content, confidence=PRIOR["according_to"])
                )
        return drafts

    def before_own_cue_clause(self, content: tuple[int, int]) -> tuple[int, int] | None:
        """The content up to a conjoined clause in which someone else speaks ("according to
        X, A, but Y says B": B is Y's statement, not X's)."""
        span = self.doc.char_span(*content, alignment_mode="expand")
        if span is None:
            return content
        for tok in span:
            if tok.dep_ != "conj" or self.in_quote(tok.idx) or verb_cue(tok) is None:
                continue
            if not any(c.dep_ in SUBJECTS for c in tok.children):
                continue
            end = self.before_links(tok.left_edge.i - 1, span.start)
            if end <= span.start:
                return content
            last = self.doc[end]
            return (content[0], last.idx + len(last))
        return content

    def rest_of_sentence(self, first: Token, last: Token) -> tuple[int, int] | None:
        """The sentence around the phrase first..last, minus that phrase when at an edge."""
        sent = first.sent
        start, end = sent.start_char, sent.end_char
        para = self.paragraph(first.idx)
        start, end = max(start, para[0]), min(end, para[1])
        if first.idx <= start:
            start = last.idx + len(last)
        elif last.idx + len(last) >= len(self.text[:end].rstrip(".!? ")):
            end = first.idx
        content = self.text[start:end].rstrip()
        while content and content[-1] in ".!?" + EDGE_PUNCT:
            content = content[:-1]
        lead = len(content) - len(content.lstrip(EDGE_PUNCT + "\n"))
        return (start + lead, start + len(content)) if len(content) > lead else None

    # -- pass 4: noun cues ----------------------------------------------------------------

    def noun_cues(self) -> list[_Draft]:
        drafts = []
        for tok in self.doc:
            if noun_cue(tok) is None:
                continue
            clause = next(
                (
                    c
                    for c in tok.children
                    if c.dep_ in ("acl", "ccomp", "appos")
                    and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
                ),
                None,
            )
            source = self.noun_source(tok)
            content = self.subtree(clause) if clause is not None else None
            if source and content:
                cue = (tok.idx, tok.idx + len(tok))
                drafts.append(
                    _Draft(self.kind_of(content), source, cue, content,
                           confidence=PRIOR["noun_cue"])
                )
        return drafts

    def noun_source(self, noun: Token) -> tuple[int, int] | None:
        """The owner of a statement noun: "X's claim", "the statement by X"."""
        for child in noun.children:
            if child.dep_ == "poss" and child.ent_type_ not in FIGURE_ENTS:  # not "Monday's"
                return self.noun_phrase(child)
            if child.dep_ == "prep" and child.lower_ in ("by", "from"):
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return self.noun_phrase(pobj)
        return None

    # -- pass 5: speaker labels ------------------------------------------------------------

    def speaker_colons(self) -> list[_Draft]:
        """Transcript and headline lines 'NAME: words', where the colon is the cue."""
        drafts = []
        for start in self.paragraph_starts:
            para = self.paragraph(start)
            line = self.doc.char_span(*para, alignment_mode="expand")
            if line is None or len(line) < 5:
                continue
            if line[0].text in quote_marks():  # transcripts quoted line by line
                line = line[1:]
            colon = next((t for t in line[1 : MAX_SPEAKER_TOKENS + 1] if t.text == ":"), None)
            if colon is None or not all(map(_names_speaker, self.doc[line.start : colon.i])):
                continue
            label = self.doc[line.start : colon.i]
            if nonagents.not_agent(label, True, self.lower_words()) or self.capital_words(label):
                continue  # a section heading in capitals ("KEY POINTS:"), not a speaker
            content = self.span(colon.nbor(), line[-1], para)
            if content and len(self.text[slice(*content)].split()) >= 3:
                source = (line.start_char, colon.idx)
                cue = (colon.idx, colon.idx + 1)
                drafts.append(  # verbatim words
                    _Draft("direct", source, cue, content, confidence=PRIOR["speaker_label"])
                )
        return drafts

    def capital_words(self, label: Tokens) -> bool:
        """A label in capitals with a word the article also writes in lower case and no
        person's name ("MARKETS:", "ENERGY:" over a market report) is a heading."""
        words = [t for t in label if t.is_alpha]
        return (
            bool(words)
            and all(t.is_upper for t in words)
            and any(t.lower_ in self.lower_words() for t in words)
            and not any(t.ent_type_ == "PERSON" for t in words)
        )

    # -- pass 6: quotes with no cue -------------------------------------------------------

    def floating(self, drafts: list[_Draft]) -> list[_Draft]:
        """Quotes opening a sentence with no cue continue the last speaker (quoted or reported)
        when that speaker spoke in the same or the previous paragraph: right after a quote or
        its cue clause they are a further part of it ('"...," X said. "..."'), further on, in
        the next paragraph or after a paraphrase a statement of their own."""
        found: list[_Draft] = []
        spoken = sorted(
            (d for d in drafts if d.kind in SPOKEN and d.source), key=lambda d: d.content[1]
        )
        for quote in self.quotes:
            if quote in self.quoted_used or self.inside_content(quote, drafts + found):
                continue
            if not self.starts_clause(quote):
                continue
            previous = [d for d in spoken + found if d.content[1] <= quote.start]
            if not previous:
                continue
            last = max(previous, key=lambda d: d.content[1])
            para = self.paragraph(quote.start)
            last_para = self.paragraph(last.content[1] - 1)[0]
            same_para = last_para == para[0] and last.cue is not None
            adjacent = not self.text[last.content[1] : quote.start].strip()
            quoted = last.kind in ("direct", "mixed")  # a paraphrase is not joined to a quote
            if quoted and same_para and (adjacent or self.cue_clause_mark(last, quote.start)):
                self.join_quote(last, quote)
                last.confidence = min(last.confidence or 1.0, PRIOR["continued"])
            elif len(self.text[quote.start : quote.end].split()) < MIN_FLOATING_WORDS:
                continue  # a short quote on its own is a phrase quoted, not a further statement
            elif same_para or self.previous_paragraph(para[0]) == last_para:
                found.append(_Draft("direct", last.source, None, self.pieces(quote)[0],
                                    confidence=PRIOR["floating"]))
                self.join_quote(found[-1], quote)
        return found

    def inside_content(self, quote: Quote, drafts: list[_Draft]) -> bool:
        return any(d.content[0] <= quote.start < d.content[1] for d in drafts)

    def previous_paragraph(self, start: int) -> int | None:
        k = bisect.bisect_left(self.paragraph_starts, start)
        return self.paragraph_starts[k - 1] if k > 0 else None


def quoted_as(head: Token, verb: Token) -> bool:
    """Is `head` the passive that makes its subject the speaker of the cue below it ("he was
    quoted as saying", "she was heard saying")?"""
    return head.i != verb.i and head.lemma_.lower() in PASSIVE_SPEAKER


def _statement_noun(noun: Token) -> bool:
    """A noun naming a statement or its channel ("a statement", "a post") whose verb's subject
    is the speaker of a participle on it ("issued a statement saying ...")."""
    words = lexicon().medium_nouns
    return noun_cue(noun) is not None or noun.lower_ in words or noun.lemma_ in words


def _conjoined_cue_head(verb: Token) -> Token | None:
    """For a cue conjoined to a verb that is no cue ("X said that A would close and added
    that B", where the parse joins "added" to "close"), the nearest cue above it, whose
    subject it shares; else None."""
    if verb.dep_ != "conj" or verb_cue(verb) is None or verb_cue(verb.head) is not None:
        return None
    return next((a for a in verb.ancestors if verb_cue(a) is not None), None)


def _clause_on_noun(verb: Token) -> list[Token]:
    """'said in a statement that A', 'told the show that A': the parse may hang the
    that-clause on the medium or on the person told rather than on the cue; it is still what
    was said ("a statement that was issued" is a relative clause, whose "that" is its subject,
    not its marker)."""
    nouns = [c for c in verb.children if c.dep_ in ("dobj", "dative")] + [
        n
        for prep in verb.children
        if prep.dep_ == "prep"
        for n in prep.children
        if n.dep_ == "pobj" and _statement_noun(n)
    ]
    return [
        clause
        for noun in nouns
        for clause in noun.children
        if clause.dep_ in ("acl", "relcl", "ccomp")
        and any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)
    ][:1]


def _gerund_clause(verb: Token) -> list[Token]:
    """'said having him back was a boost': a clause with a gerund subject, parsed as the
    cue's open complement whose own clause holds the predicate."""
    return [
        c
        for c in verb.children
        if c.dep_ == "xcomp"
        and c.tag_ == "VBG"
        and any(g.dep_ in CONTENT_OBJECT for g in c.children)
    ][:1]


def _elliptical(parts: list[Token]) -> bool:
    """True for a content of pronouns and auxiliaries only ("higher than the city says it is"):
    a comparison with what was said, not a statement of its own."""
    words = [t for p in parts for t in p.subtree if not t.is_punct]
    return any(t.pos_ == "AUX" for t in words) and all(t.pos_ in ("PRON", "AUX") for t in words)


def _misread_subject(verb: Token) -> Token | None:
    """A clause the parse hung before a subjectless cue that ends in a name right before it:
    a title it misread ("Councillor and tenants advocate Ana Ruiz told ...", "advocate" taken
    for a verb and the name for its object), which is the speaker, not what was said."""
    if verb.i == 0 or any(c.dep_ in SUBJECTS for c in verb.children):
        return None
    before = verb.nbor(-1)
    return next(
        (c for c in verb.lefts
         if c.dep_ in CONTENT_OBJECT and c.right_edge.i == before.i and before.pos_ == "PROPN"),
        None,
    )


def _name_as_auxiliary(verb: Token) -> Token | None:
    """A capitalised word the tagger took for an auxiliary of the cue ('"...," DeBoer said'):
    in mid-sentence an auxiliary is written in lower case, so this is the speaker's name."""
    return next(
        (
            c
            for c in verb.lefts
            if c.dep_ in ("aux", "auxpass") and c.text[:1].isupper() and c.i > c.sent.start
            and not c.nbor(-1).text[:1].isupper()
        ),
        None,
    )


def _names_someone(noun: Token) -> bool:
    """True for a name or a determined noun ("per Reuters", "per the ministry"), not a unit
    ("per cent", "per day") or a figure."""
    if noun.ent_type_ in FIGURE_ENTS:
        return False
    if noun.ent_type_ in SPEAKER_ENTS or noun.pos_ == "PROPN":
        return True
    return any(c.dep_ in ("det", "poss") for c in noun.children)


def _is_aside(token: Token) -> bool:
    """True for "he said" parsed as the complement of the verb it comments on."""
    asides = ("nsubj", "punct", "advmod")
    return verb_cue(token) is not None and all(c.dep_ in asides for c in token.children)


def _makes_clause(child: Token, cue: CueVerb) -> bool:
    """True for a dependent that makes a verb a clause of its own, not an aside; the person
    told is part of an aside ("the plan, he told reporters, is dead")."""
    if child.dep_ in ("dobj", "dative") and cue.addressee == "obj":
        return False
    if (child.dep_ == "conj" and child.i > child.head.i and child.head.tag_ in ("VBZ", "VBP")
            and verb_cue(child) is None and not any(c.dep_ in SUBJECTS for c in child.children)):
        # "The pills help, she says, and are safe": after a present-tense aside the host
        # clause goes on ("we will find a way, he said, and left" is his leaving)
        return False
    return child.dep_ in CLAUSE_OF_ITS_OWN


def _relative_clause(pronoun: Token) -> Token | None:
    """The clause a relative pronoun opens; a sentential "which" is often parsed as an
    adverbial clause of the main verb instead."""
    if pronoun.tag_ not in ("WP", "WDT"):
        return None
    if pronoun.head.dep_ == "relcl" or (pronoun.lower_ == "which" and pronoun.head.dep_ == "advcl"):
        return pronoun.head
    return None


def _clause_referred(pronoun: Token) -> Token | None:
    """The verb (or its object) of the clause a sentential ", which" stands for ("Exports fell
    in May, which shows ..."): the parser may hang it on the nearest noun, but a date, a
    number or the object of an adverbial phrase cannot show, suggest or say anything."""
    noun = pronoun.head.head
    if pronoun.lower_ != "which" or pronoun.i == 0 or pronoun.nbor(-1).text != ",":
        return None
    adverbial = noun.dep_ == "pobj" and noun.head.head.pos_ in ("VERB", "AUX")
    if pronoun.head.dep_ == "relcl" and not adverbial and noun.ent_type_ not in FIGURE_ENTS:
        return None
    verb = noun
    while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb:
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")), None)
    return obj or verb  # "published a report on Monday, which says": the report says


def _two_objects(verb: Token) -> bool:
    """'denied the builders a permit': a verb with someone and something as objects gives or
    withholds; its object is no claim it answers."""
    objects = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
    return len(objects) > 1


def nothing_said(verb: Token, cue: CueVerb) -> bool:
    """A cue verb that reports no statement of its subject's: negated or refused, a question
    put to the subject, or something only meant or tried."""
    return _unsaid(verb) or _question_put_to(verb, cue) or _intended(verb)


def _unsaid(verb: Token) -> bool:
    """A cue that reports nothing said: negated ("has not said he would veto it") or under a
    refusal ("declined to say why")."""
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    head = verb.head
    return verb.dep_ == "xcomp" and (
        head.lemma_ in lexicon().refusals or any(c.dep_ == "neg" for c in head.children))


def _question_put_to(verb: Token, cue: CueVerb) -> bool:
    """'When asked whether ..., Ruiz said': a participle of a cue whose object is the person
    spoken to, with no subject of its own, puts the question to the subject of the clause it
    hangs on; who asked is not said, and what is asked is no one's statement."""
    return (
        cue.category == "request"
        and cue.addressee == "obj"
        and verb.tag_ == "VBN"
        and verb.dep_ in INHERIT_SUBJECT
        and not any(c.dep_ in (*SUBJECTS, "agent") for c in verb.children)
    )


def _intended(verb: Token) -> bool:
    """'Attempts by the paper to confirm that ...': an infinitive cue on a noun that names no
    statement is something meant or tried, not said."""
    return (
        verb.dep_ == "acl"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        and not _statement_noun(verb.head)
    )


def _finite_clause(part: Token) -> bool:
    """A clause with a tensed verb or a "that" ("found that ...", "showed prices rose"), not a
    small clause ("found him asleep", "found it necessary")."""
    return part.tag_ in FINITE or any(
        (c.dep_ in ("aux", "auxpass") and c.tag_ in FINITE)
        or (c.dep_ == "mark" and c.lower_ == "that")
        for c in part.children
    )


def _stranded_subject(verb: Token, cue: CueVerb, parts: list[Token]) -> list[Token]:
    """The subject of a reported clause that the parse hung elsewhere ('said Thursday one of
    the proposals ... could save money', with "one" on "Thursday"): a clause with no subject
    of its own takes in the words between it and the cue, after any time phrase."""
    clause = min(parts, key=lambda t: t.i)
    if cue.takes_object or cue.addressee == "obj" or clause.dep_ not in CONTENT_OBJECT:
        return []
    if clause.i < verb.i or any(c.dep_ in SUBJECTS for c in clause.children):
        return []
    between = [t for t in verb.doc[verb.i + 1 : clause.left_edge.i]
               if t.ent_type_ not in TIME_ENTS and not t.is_punct]
    if not between or between[0].pos_ not in ("NUM", "DET", "NOUN", "PROPN", "ADJ"):
        return []
    return [between[0]]


def _names_speaker(token: Token) -> bool:
    """True for a token of a speaker label: a person or organisation name, or capitals."""
    if token.lower_ in lexicon().label_words:  # "ANALYSIS:", whatever the tagger made of it
        return False
    if token.ent_type_ in SPEAKER_ENTS:
        return True
    if not token.is_upper or len(token) < 2:
        return False
    return token.is_alpha and token.ent_type_ not in PLACE_ENTS  # tags guess wildly in capitals


def _paragraph_starts(text: str) -> list[int]:
    """Offsets where paragraphs (runs of text between line breaks) begin."""
    return [0] + [m.end() for m in PARAGRAPH_BREAK.finditer(text)]


def _finish(text: str, drafts: list[_Draft]) -> list[Attribution]:
    """Number the drafts, drop duplicate cues, link nested statements to their parents."""
    seen: set[tuple[int, int]] = set()
    kept = []
    for d in drafts:
        key = d.cue or d.content
        if key in seen:
            continue
        seen.add(key)
        kept.append(d)
    ids = {id(d): f"A{k}" for k, d in enumerate(kept, start=1)}
    parents = holders(
        [d.cue or d.content for d in kept],
        [d.content[1] - d.content[0] for d in kept],
        [d.parts or [d.content] for d in kept],
    )
    out = []
    for d, k in zip(kept, parents, strict=True):
        parent = kept[k] if k is not None else None
        out.append(
            Attribution(
                id=ids[id(d)],
                kind=d.kind,
                source=SourceSpan(*d.source, text[slice(*d.source)]) if d.source else None,
                cue=Span.of(text, *d.cue) if d.cue else None,
                content=ContentSpan(*d.content, text[slice(*d.content)],
                                    [Span.of(text, *p) for p in d.parts]),
                parent=ids[id(parent)] if parent else None,
                confidence=d.confidence,
                **{k: Span.of(text, *v) for k, v in d.extras.items()},
            )
        )
    return out


@dataclass(frozen=True)
class _Piece:
    """One piece of a statement's content, for `holders`' span index."""

    start: int
    end: int
    owner: int


def holders(
    probes: list[tuple[int, int]], sizes: list[int], pieces: list[list[tuple[int, int]]]
) -> list[int | None]:
    """For each statement k, the index of the statement it is nested in: the one with the
    smallest content piece that holds k's probe (its cue, or its content) and is longer than
    k's content (`sizes[k]`), or None. A span index keeps this linear in the number of
    statements; a scan of every piece for every statement grows with its square."""
    flat = [_Piece(s, e, owner) for owner, ps in enumerate(pieces) for s, e in ps]
    index = SpanIndex()
    found: list[int | None] = []
    for k, (lo, hi) in enumerate(probes):
        inside = [
            p for p in index.overlapping(flat, lo, hi)
            if p.owner != k and p.start <= lo and hi <= p.end and p.end - p.start > sizes[k]
        ]
        best = min(inside, key=lambda p: p.end - p.start, default=None)
        found.append(best.owner if best else None)
    return found
