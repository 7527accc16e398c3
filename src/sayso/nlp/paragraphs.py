"""sayso_paragraphs: a blank line ends a sentence, before the parser runs.

spaCy's parser does not break sentences at paragraph breaks ("\\n\\n" is a whitespace token
inside a sentence), so a headline, a caption or the paragraph before can be parsed into one
sentence with the next, and a cue verb takes a clause from the wrong paragraph. The parser
keeps sentence starts that are set before it, so this component, placed before "parser",
marks the first token after each blank line. It also marks the word after a party-and-state
label that ends a sentence ("..., said Sen. Ann Lee, D-Conn. Smith, she said, ..."): the
abbreviation keeps its full stop, so the small model reads the label and the next name as one
phrase. A Doc that is already parsed keeps the parser's sentences: spaCy refuses to move
sentence starts once dependencies are set.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token


@Language.factory("sayso_paragraphs")
def make_paragraphs(nlp: Language, name: str) -> ParagraphBreaks:
    return ParagraphBreaks()


PARTY_LETTERS = ("D", "R", "I")  # Democrat, Republican, independent
MAX_STATE_ABBREVIATION = 6  # "Conn.", "Calif.", "N.Y."


class ParagraphBreaks:
    """Sets `is_sent_start` on the first word after a blank line or a closing party label."""

    def __call__(self, doc: Doc) -> Doc:
        if doc.has_annotation("DEP"):
            return doc
        for tok in doc[:-1]:
            if tok.is_space and tok.text.count("\n") >= 2 or closes_party_label(tok):
                doc[tok.i + 1].is_sent_start = True
        return doc


def closes_party_label(tok: Token) -> bool:
    """Is the token the state of a party label ("D-Conn.") with a capitalised word after it?
    Mid-sentence the label is followed by a comma or a closing bracket instead."""
    if tok.i < 2 or not tok.text.endswith(".") or len(tok) > MAX_STATE_ABBREVIATION:
        return False
    dash, party, nxt = tok.nbor(-1), tok.nbor(-2), tok.nbor(1)
    return (
        party.text in PARTY_LETTERS
        and dash.text == "-"
        and not party.whitespace_ + dash.whitespace_  # written as one word
        and tok.text[0].isupper()
        and bool(tok.whitespace_)
        and nxt.is_title
    )
