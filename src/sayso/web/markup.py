"""The article body as safe HTML with every statement marked, and the outlet's own voice.

A statement's content, source and cue are marked apart (`<mark class="stmt">`, `<span
class="m-source">`, `<span class="m-cue">`, told apart by line style, not colour alone); a quote
split by its own cue is marked part by part, so the cue and speaker between the parts are not
shown as what was said. Each mark carries its speaker's style classes and number.

Article text is untrusted: every stretch of it goes through `escape`, and so does every value
the `<mark>` tags around statements are filled in with (`_opening`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from markupsafe import Markup, escape

from sayso.model import Analysis, Attribution, Span

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Filled by `str.format` with escaped values (`_opening`): as `Markup.format` would, faster.
MARK = '<mark{} class="stmt {}" data-stmt="{}" data-kind="{}" data-n="{}" title="{}">'
ROLE = '<span class="m-{} {}" data-stmt="{}" data-n="{}" title="{}">'
ANCHOR = ' id="stmt-{}"'


@dataclass
class Node:
    """A piece of a statement (its source, cue, or content: all of it or one part of a split
    quote) with the pieces nested inside it; `part` counts the content's pieces from 0."""

    attribution: Attribution
    start: int
    end: int
    part: int = 0
    role: str = "content"
    children: list[Node] = field(default_factory=list)


def statement_tree(attributions: list[Attribution]) -> list[Node]:
    """Content pieces nested by containment; a piece that only overlaps an earlier one is
    clipped to it, so the marks always nest (HTML cannot express crossing spans)."""
    pieces = [Node(a, p.start, p.end, k) for a in attributions
              for k, p in enumerate(a.content.parts or [a.content])]
    pieces += [Node(a, s.start, s.end, role=role) for a in attributions
               for role, s in (("source", a.source), ("cue", a.cue)) if s]
    roots: list[Node] = []
    stack: list[Node] = []
    for node in sorted(pieces, key=lambda n: (n.start, -n.end)):
        while stack and stack[-1].end <= node.start:
            stack.pop()
        node.end = min(node.end, stack[-1].end) if stack else node.end
        if node.end <= node.start:
            continue
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def statement_title(a: Attribution, speaker: str) -> str:
    """What hovering a statement says: who, what kind, and how sure the engine was."""
    sure = f", confidence {a.confidence:.2f}" if a.confidence is not None else ""
    return f"{speaker} ({a.kind}{sure})"


def speaker_key(a: Attribution) -> str:
    """Who speaks: the resolved entity, else the words naming the source."""
    if a.source is None:
        return "?"
    return a.source.entity or f"text:{a.source.text.lower()}"


def speaker_slots(analysis: Analysis) -> dict[str, int]:
    """A number per speaker from 0, in order of first statement (the ledger's order)."""
    slots: dict[str, int] = {}
    for a in analysis.attributions:
        slots.setdefault(speaker_key(a), len(slots))
    return slots


def _opening(node: Node, style: str, slot: int, speaker: str) -> str:
    """The tag opening a piece (safe HTML): a `<mark>` for content (the first piece carrying
    the anchor), a `<span>` for a source or cue."""
    a = node.attribution
    if node.role != "content":
        return ROLE.format(*map(escape, (node.role, style, a.id, slot + 1,
                                         f"{node.role}: {speaker}")))
    anchor = ANCHOR.format(escape(a.id)) if node.part == 0 else ""
    return MARK.format(anchor, *map(escape, (style, a.id, a.kind, slot + 1,
                                             statement_title(a, speaker))))


def highlighted_body(analysis: Analysis, speakers: dict[str, str],
                     style: Callable[[int], str]) -> Markup:
    """The body as HTML: escaped text with nested marks, one per statement's source, cue and
    content (per part, for a split quote); the first content mark carries the statement's id,
    all carry it in `data-stmt`. `style(slot)` gives the CSS classes of the slot-th speaker."""
    text = analysis.article.text
    slots = speaker_slots(analysis)

    def render(nodes: list[Node], start: int, end: int, parts: list[str]) -> None:
        """Appends the safe HTML of text[start:end], holding `nodes`, to `parts`."""
        pos = start
        for node in nodes:
            key = speaker_key(node.attribution)
            parts += [escape(text[pos:node.start]),
                      _opening(node, style(slots[key]), slots[key], speakers.get(key, "?"))]
            render(node.children, node.start, node.end, parts)
            parts.append("</mark>" if node.role == "content" else "</span>")
            pos = node.end
        parts.append(escape(text[pos:end]))

    html: list[str] = []
    render(statement_tree(analysis.attributions), 0, len(text), html)
    return Markup("".join(html))  # every piece escaped or built by `_opening`


def attributed_spans(analysis: Analysis) -> list[Span]:
    """Every stretch that belongs to a statement: its source, cue and content."""
    return [s for a in analysis.attributions for s in (a.source, a.cue, a.content) if s]


def covered_chars(spans: list[Span]) -> int:
    """Characters inside the union of spans."""
    covered, reach = 0, 0
    for s in sorted(spans, key=lambda s: s.start):
        if s.end > reach:
            covered += s.end - max(s.start, reach)
            reach = s.end
    return covered


@cache
def sentencizer():
    """spaCy's rule-based sentencizer alone: splitting needs no model. Loading it (importing
    spaCy) takes about a second, so the app loads it at start-up, not on the first article."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def sentences(text: str) -> list[Span]:
    """Sentences, never across a paragraph break (headlines and captions lack full stops)."""
    starts = [0] + [m.end() for m in PARAGRAPH_BREAK.finditer(text)]
    ends = [m.start() for m in PARAGRAPH_BREAK.finditer(text)] + [len(text)]
    paragraphs = [(s, e) for s, e in zip(starts, ends, strict=True) if text[s:e].strip()]
    docs = sentencizer().pipe(text[s:e] for s, e in paragraphs)
    return [Span.of(text, start + sent.start_char, start + sent.end_char)
            for (start, _), doc in zip(paragraphs, docs, strict=True) for sent in doc.sents
            if sent.text.strip()]


def outlet_voice(analysis: Analysis) -> dict:
    """The outlet's own voice: its assertions with their flags and its share (`voices`) when
    the analysis has them, else (analyses stored before them) `statement_free_sentences`."""
    if analysis.assertions:
        return {"share": analysis.voices.outlet_share,
                "sentences": [{"start": s.start, "end": s.end, "text": s.text, "flags": s.flags}
                              for s in analysis.assertions]}
    return statement_free_sentences(analysis)


def statement_free_sentences(analysis: Analysis) -> dict:
    """Sentences touching no statement, and the share of characters outside every statement
    (the same measure as `Store.attributed_share`, corpus-wide)."""
    spans = attributed_spans(analysis)
    own = [s for s in sentences(analysis.article.text)
           if not any(x.start < s.end and s.start < x.end for x in spans)]
    chars = len(analysis.article.text)
    share = 1 - covered_chars(spans) / chars if chars else 0.0
    return {"share": round(share, 4), "sentences": [{"start": s.start, "end": s.end,
                                                     "text": s.text} for s in own]}
