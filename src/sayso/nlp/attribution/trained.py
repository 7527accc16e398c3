"""The trained engine: cue, source and content spans from the ONNX tagger, linked by rules.

The tagger (`tagger.py`, trained by `scripts/train_attribution.py` on PolNeAR) marks spans; it
does not say which belong together. Linking is geometry over the parse, in this order:
- each content span goes to the nearest cue in its paragraph (same sentence first, then fewest
  words between them, punctuation and source words not counted); several contents stay one
  statement's `content.parts` only when they are quoted pieces its cue interrupts, else the
  nearest one is kept, run on through pieces that touch it;
- a cue that collects no content is dropped, and so is content that no cue in reach claims;
  so is a stance rather than a statement (PolNeAR also tags "likes", "mocked"): kept are
  quotes, cues of saying from the lexicon, and contents that are clauses;
- each source span goes to the nearest cue in its sentence that does not hold it in its content;
  a cue left without one borrows the nearest source of its sentence ("X said A and added B").
What the rules do well is kept: the rules engine's statement with the same cue gives addressee,
medium, time and its content's exact edges; nesting comes from the contents that hold a cue; and
the rules' statements that no tagged one covers are added (a quote paragraph carrying on the
previous speaker has no cue for the tagger to find).
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from sayso.model import Attribution, ContentSpan, SourceSpan, Span
from sayso.nlp.attribution.cues import noun_cue, verb_cue
from sayso.nlp.attribution.quotes import quote_marks
from sayso.nlp.attribution.rules import find_attributions, holders, nothing_said
from sayso.nlp.attribution.tagger import decode_roles, merge_windows, windows
from sayso.nlp.spans import doc_text

MODEL_DIR = Path(__file__).with_name("model")
BATCH = 16  # windows per onnxruntime call
MAX_SENTENCE_GAP = 1  # content may sit in the sentence after or before its cue, no further


class Tagger:
    """The ONNX span tagger with its tokenizer; one per process (see `load_tagger`)."""

    def __init__(self, folder: Path = MODEL_DIR) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        if not (folder / "tagger.onnx").exists():
            raise FileNotFoundError(
                f"no attribution model in {folder}; build it with scripts/train_attribution.py"
                " or use the rules engine (--engine rules)"
            )
        self.meta = json.loads((folder / "tagger.json").read_text(encoding="utf-8"))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.cls = self.tokenizer.token_to_id("[CLS]")
        self.sep = self.tokenizer.token_to_id("[SEP]")
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # one core per pipeline; workers scale out instead
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            str(folder / "tagger.onnx"), options, providers=["CPUExecutionProvider"]
        )

    def spans(self, text: str) -> dict[str, list[tuple[int, int, float]]]:
        """(start, end, confidence) character spans per role in `text`."""
        enc = self.tokenizer.encode(text, add_special_tokens=False)
        if not enc.ids:
            return {}
        cuts = list(windows(len(enc.ids), self.meta["window"], self.meta["stride"]))
        logits = []
        for k in range(0, len(cuts), BATCH):
            logits.extend(self._run(enc.ids, cuts[k : k + BATCH]))
        return decode_roles(text, enc.offsets, merge_windows(len(enc.ids), cuts, logits))

    def _run(self, ids: list[int], cuts: list[tuple[int, int]]) -> list[np.ndarray]:
        width = max(hi - lo for lo, hi in cuts) + 2
        batch = np.zeros((len(cuts), width), dtype=np.int64)
        mask = np.zeros_like(batch)
        for row, (lo, hi) in enumerate(cuts):
            batch[row, : hi - lo + 2] = [self.cls, *ids[lo:hi], self.sep]
            mask[row, : hi - lo + 2] = 1
        (out,) = self.session.run(None, {"input_ids": batch, "attention_mask": mask})
        return [out[row, 1 : hi - lo + 1] for row, (lo, hi) in enumerate(cuts)]


@lru_cache(maxsize=1)
def load_tagger() -> Tagger:
    return Tagger()


class TrainedFinder:
    """Pipeline component (`sayso_attribution` with engine "trained"): sets `doc._.attributions`."""

    def __init__(self) -> None:
        self.tagger = load_tagger()

    def __call__(self, doc: Doc) -> Doc:
        doc._.attributions = link(doc, self.tagger.spans(doc_text(doc)), find_attributions(doc))
        return doc


@dataclass
class _Statement:
    cue: tuple[int, int, float]
    contents: list[tuple[int, int, float]] = field(default_factory=list)
    source: tuple[int, int, float] | None = None

    @property
    def extent(self) -> tuple[int, int]:
        return min(c[0] for c in self.contents), max(c[1] for c in self.contents)


class _Geometry:
    """Sentences, paragraphs and word gaps of one doc, by character offset."""

    def __init__(self, doc: Doc, sources: list[tuple[int, int, float]]) -> None:
        self.text = doc_text(doc)
        self.sent_starts = [s.start_char for s in doc.sents]
        self.para_starts = [0] + [i + 1 for i, ch in enumerate(doc_text(doc)) if ch == "\n"]
        self.tok_starts = [t.idx for t in doc]
        self.words = [not (t.is_punct or t.is_space) for t in doc]
        for start, end, _ in sources:  # a speaker between a quote and its cue is no distance
            for k in range(bisect.bisect_left(self.tok_starts, start),
                           bisect.bisect_left(self.tok_starts, end)):
                self.words[k] = False

    def sentence(self, char: int) -> int:
        return bisect.bisect_right(self.sent_starts, char) - 1

    def paragraph(self, char: int) -> int:
        return bisect.bisect_right(self.para_starts, char) - 1

    def sentence_gap(self, a: tuple[int, int], b: tuple[int, int]) -> int:
        """Sentences between two spans: 0 when they share one."""
        first_a, last_a = self.sentence(a[0]), self.sentence(max(a[0], a[1] - 1))
        first_b, last_b = self.sentence(b[0]), self.sentence(max(b[0], b[1] - 1))
        return max(0, first_b - last_a, first_a - last_b)

    def word_gap(self, a: tuple[int, int], b: tuple[int, int]) -> int:
        lo, hi = (a[1], b[0]) if a[1] <= b[0] else (b[1], a[0])
        first = bisect.bisect_left(self.tok_starts, lo)
        last = bisect.bisect_left(self.tok_starts, hi)
        return sum(self.words[first:last])

    def distance(self, a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int] | None:
        """(sentences, words) between two spans of one paragraph; None across paragraphs."""
        if self.paragraph(a[0]) != self.paragraph(b[0]) and self.paragraph(
            a[1] - 1
        ) != self.paragraph(b[0]) and self.paragraph(b[1] - 1) != self.paragraph(a[0]):
            return None
        return self.sentence_gap(a, b), self.word_gap(a, b)


def _overlap(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def link(
    doc: Doc, spans: dict[str, list[tuple[int, int, float]]], rules: list[Attribution]
) -> list[Attribution]:
    """Statements from tagged spans (module docstring), numbered A1... in text order."""
    cues, sources = spans.get("cue", []), spans.get("source", [])
    geo = _Geometry(doc, sources)
    statements = [_Statement(c) for c in cues]
    for content in spans.get("content", []):
        near = _nearest(geo, content, [s.cue for s in statements], MAX_SENTENCE_GAP)
        if near is not None:
            statements[near].contents.append(content)
    for st in statements:
        if len(st.contents) > 1 and not _split_quote(doc_text(doc), st.contents):
            st.contents = [_contiguous(doc_text(doc), st, geo, cues + sources)]
    statements = [s for s in statements if s.contents]
    statements = [s for s in statements if _reported(doc, s)]
    _attach_sources(geo, statements, sources)
    return _with_rules(_finish(doc, statements, rules), rules)


def _with_rules(found: list[Attribution], rules: list[Attribution]) -> list[Attribution]:
    """Add the rules' statements that no tagged one covers (a quote paragraph carrying on the
    previous speaker has no cue for the tagger to find), and the rules' nested statements inside
    tagged contents (the tagger marks the outermost content only); renumbered in text order."""
    contents = [s for a in found for s in _pieces(a)]
    cues = [(a.cue.start, a.cue.end) for a in found]
    extra = []
    for r in rules:
        if r.cue and any(_overlap((r.cue.start, r.cue.end), c) for c in cues):
            continue
        covered = any(_overlap(s, c) for s in _pieces(r) for c in contents + cues)
        nested = r.cue is not None and any(c[0] <= r.cue.start and r.cue.end <= c[1]
                                           for c in contents)
        if (r.parent is None and not covered) or (r.parent is not None and nested):
            extra.append(r)
    if not extra:
        return found
    merged = sorted(found + extra, key=lambda a: (_anchor(a), a.content.start))
    tagged = {id(a) for a in found}
    ids = {a.id: f"A{k}" for k, a in enumerate(merged, start=1) if id(a) in tagged}
    for k, a in enumerate(merged, start=1):
        a.parent = ids.get(a.parent) if id(a) in tagged and a.parent else None
        a.id = f"A{k}"
    nested = holders(
        [(a.cue.start, a.cue.end) if a.cue else (a.content.start, a.content.end) for a in merged],
        [a.content.end - a.content.start for a in merged],
        [_pieces(a) for a in merged],
    )
    for a, k in zip(merged, nested, strict=True):
        if id(a) not in tagged:
            a.parent = merged[k].id if k is not None else None
    return merged


def _pieces(a: Attribution) -> list[tuple[int, int]]:
    return [(p.start, p.end) for p in a.content.parts] or [(a.content.start, a.content.end)]


def _anchor(a: Attribution) -> int:
    return min(a.content.start, a.cue.start) if a.cue else a.content.start


def _contiguous(text: str, st: _Statement, geo: _Geometry, others: list) -> tuple:
    """The content nearest the cue, run on through the cue's other contents that touch it
    (nothing but spaces between, no cue or source): the tagger sometimes restarts a span."""
    parts = sorted(st.contents)
    k = parts.index(min(parts, key=lambda c: geo.distance(c[:2], st.cue[:2])))
    lo = hi = k

    def touching(a, b) -> bool:
        gap = text[a[1] : b[0]]
        return not gap.strip() and not any(a[1] <= o[0] < b[0] for o in others)

    while lo > 0 and touching(parts[lo - 1], parts[lo]):
        lo -= 1
    while hi + 1 < len(parts) and touching(parts[hi], parts[hi + 1]):
        hi += 1
    return parts[lo][0], parts[hi][1], min(p[2] for p in parts[lo : hi + 1])


def _reported(doc: Doc, st: _Statement) -> bool:
    """A statement, not a stance: quoted words, a cue of saying, or a clause as content;
    never a cue that reports nothing said."""
    text = doc_text(doc)
    cue = doc.char_span(*st.cue[:2], alignment_mode="expand")
    if cue is None or cue.text in (":",) or cue.text.lower().startswith("according"):
        return True
    verbs = [(t, c) for t in cue if (c := verb_cue(t)) is not None]
    if any(nothing_said(t, c) for t, c in verbs):
        return False  # "declined to say why": the rules' reading of the same cue
    if verbs or any(noun_cue(t) for t in cue):
        return True
    marks = quote_marks()
    for c in st.contents:
        if any(m in text[c[0] : c[1]] for m in marks):
            return True
        span = doc.char_span(c[0], c[1], alignment_mode="expand")
        if span is not None and any(t.pos_ in ("VERB", "AUX") and t.tag_ != "VBG" for t in span):
            return True
    return False


def _split_quote(text: str, contents: list) -> bool:
    """Several contents make one statement only as pieces of a quote its cue interrupts."""
    marks = quote_marks()
    return all(text[c[0]] in marks or text[c[1] - 1] in marks for c in contents)


def _nearest(geo: _Geometry, span, candidates, max_sentences: int) -> int | None:
    best, best_key = None, None
    for k, cand in enumerate(candidates):
        if _overlap(span, cand):
            continue
        dist = geo.distance(span[:2], cand[:2])
        if dist is None or dist[0] > max_sentences:
            continue
        if best_key is None or dist < best_key:
            best, best_key = k, dist
    return best


def _attach_sources(geo: _Geometry, statements: list[_Statement], sources) -> None:
    """Each source to its nearest cue; cues still without one borrow the nearest source."""

    def allowed(st: _Statement, src) -> bool:
        return not any(_overlap(src, c) for c in st.contents)

    cue_spans = [s.cue for s in statements]
    for src in sources:
        options = [k for k, st in enumerate(statements) if allowed(st, src)]
        near = _nearest(geo, src, [cue_spans[k] for k in options], 0)
        if near is not None:
            st = statements[options[near]]
            if st.source is None or _closer(geo, st.cue, src, st.source):
                st.source = src
    for st in statements:
        if st.source is None:
            options = [s for s in sources if allowed(st, s)]
            near = _nearest(geo, st.cue, options, 0)
            st.source = options[near] if near is not None else None


def _closer(geo: _Geometry, cue, new, old) -> bool:
    return geo.distance(cue[:2], new[:2]) < geo.distance(cue[:2], old[:2])


def _kind(text: str, cue: str, contents: list[tuple[int, int, float]]) -> str:
    if cue.lower().startswith("according"):
        return "according_to"
    marks = quote_marks()
    pieces = [text[s:e].strip(" ,.;:—–-") for s, e, _ in contents]
    if all(p[:1] in marks and p[-1:] in marks for p in pieces if p):
        return "direct"
    return "mixed" if any(m in p for p in pieces for m in marks) else "indirect"


def _finish(doc: Doc, statements: list[_Statement], rules: list[Attribution]) -> list[Attribution]:
    text = doc_text(doc)
    statements.sort(key=lambda s: (min(s.cue[0], s.extent[0]), s.cue[0]))
    ids = {id(s): f"A{k}" for k, s in enumerate(statements, start=1)}
    parents = holders(
        [st.cue[:2] for st in statements],
        [st.extent[1] - st.extent[0] for st in statements],
        [[c[:2] for c in st.contents] for st in statements],
    )
    out = []
    for st, k in zip(statements, parents, strict=True):
        start, end = st.extent
        parts = [Span.of(text, s, e) for s, e, _ in sorted(st.contents)]
        content = ContentSpan(start, end, text[start:end], parts if len(parts) > 1 else [])
        source = SourceSpan(st.source[0], st.source[1], text[st.source[0] : st.source[1]]) \
            if st.source else None
        confs = [st.cue[2], *(c[2] for c in st.contents)] + ([st.source[2]] if st.source else [])
        same = next((r for r in rules if r.cue and _overlap((r.cue.start, r.cue.end), st.cue)),
                    None)
        if same is not None and _overlap(
            (same.content.start, same.content.end), (start, end)
        ):
            content = same.content
            if same.source is not None:  # the parse's subject has sharper edges than the tags
                source = same.source
        parent = statements[k] if k is not None else None
        out.append(
            Attribution(
                id=ids[id(st)],
                kind=_kind(text, text[st.cue[0] : st.cue[1]], st.contents),
                source=source,
                cue=Span.of(text, st.cue[0], st.cue[1]),
                content=content,
                parent=ids[id(parent)] if parent else None,
                addressee=same.addressee if same else None,
                medium=same.medium if same else None,
                time=same.time if same else None,
                confidence=round(float(np.mean(confs)), 3),
            )
        )
    return out
