"""sayso_paragraphs: a blank line ends a sentence, before the parser runs.

spaCy's parser does not break sentences at paragraph breaks ("\\n\\n" is a whitespace token
inside a sentence), so a headline, a caption or the paragraph before can be parsed into one
sentence with the next, and a cue verb takes a clause from the wrong paragraph. The parser
keeps sentence starts that are set before it, so this component, placed before "parser",
marks the first token after each blank line. A Doc that is already parsed keeps the
parser's sentences: spaCy refuses to move sentence starts once dependencies are set.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("sayso_paragraphs")
def make_paragraphs(nlp: Language, name: str) -> ParagraphBreaks:
    return ParagraphBreaks()


class ParagraphBreaks:
    """Sets `is_sent_start` on the first word after a whitespace token holding a blank line."""

    def __call__(self, doc: Doc) -> Doc:
        if doc.has_annotation("DEP"):
            return doc
        for tok in doc[:-1]:
            if tok.is_space and tok.text.count("\n") >= 2:
                doc[tok.i + 1].is_sent_start = True
        return doc
