"""The trained engine: tag layout, window merging, linking spans into statements, the model."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from sayso.nlp.attribution.tagger import (
    LABELS,
    ROLES,
    decode_roles,
    label_pieces,
    merge_windows,
    windows,
)
from sayso.nlp.attribution.trained import MODEL_DIR, link


def spans_of(text: str, role_phrases: dict[str, list[str]]) -> dict[str, list[tuple]]:
    """Role spans given by phrase (first occurrence after the previous one of that role)."""
    out: dict[str, list[tuple]] = {}
    for role, phrases in role_phrases.items():
        pos, found = 0, []
        for phrase in phrases:
            start = text.index(phrase, pos)
            found.append((start, start + len(phrase), 0.9))
            pos = start + 1
        out[role] = found
    return out


def test_windows_cover_every_piece_with_overlap():
    cuts = list(windows(500, 160, 128))
    assert cuts[0] == (0, 160) and cuts[-1][1] == 500
    covered = set()
    for lo, hi in cuts:
        assert hi - lo <= 160
        covered |= set(range(lo, hi))
    assert covered == set(range(500))
    assert list(windows(10, 160, 128)) == [(0, 10)]


def test_merge_prefers_the_window_where_a_piece_is_central():
    cuts = [(0, 4), (2, 6)]
    first = np.zeros((4, len(ROLES), len(LABELS)))
    second = np.ones((4, len(ROLES), len(LABELS)))
    merged = merge_windows(6, cuts, [first, second])
    # pieces 0, 1 only in the first window; 2 sits on its edge-1, 3 on its edge: piece 3 is
    # central in the second window (margin 1 against 0).
    assert merged[:2].sum() == 0 and merged[4:].min() == 1
    assert merged[3].min() == 1


def test_labels_round_trip_through_decoding_outermost_content_wins():
    text = "Mayor Ruiz said that the council claimed the bridge was safe."
    offsets = [(m.start(), m.end()) for m in __import__("re").finditer(r"\w+|[^\w\s]", text)]
    spans = spans_of(text, {
        "source": ["Mayor Ruiz", "the council"],
        "cue": ["said", "claimed"],
        "content": ["that the council claimed the bridge was safe", "the bridge was safe"],
    })
    plain = {r: [(s, e) for s, e, _ in v] for r, v in spans.items()}
    labels = np.array(label_pieces(offsets, plain)).reshape(len(offsets), len(ROLES))
    logits = np.eye(len(LABELS))[labels] * 10
    found = decode_roles(text, offsets, logits)
    assert [text[s:e] for s, e, _ in found["source"]] == ["Mayor Ruiz", "the council"]
    assert [text[s:e] for s, e, _ in found["cue"]] == ["said", "claimed"]
    # the nested content lies inside the outer one, so only the outer is a span of its own
    assert [text[s:e] for s, e, _ in found["content"]] == [plain_text(text, plain, 0)]
    assert all(0.99 < c <= 1.0 for _, _, c in found["cue"])


def plain_text(text: str, plain: dict, k: int) -> str:
    s, e = plain["content"][k]
    return text[s:e]


def test_split_quote_becomes_one_statement_with_two_parts(spacy_nlp):
    text = '"We will stay," the harbour master said on Monday, "until the last boat is safe."'
    doc = spacy_nlp(text)
    spans = spans_of(text, {
        "source": ["the harbour master"],
        "cue": ["said"],
        "content": ['"We will stay,"', '"until the last boat is safe."'],
    })
    [a] = link(doc, spans, [])
    assert a.kind == "direct" and a.source.text == "the harbour master"
    assert [p.text for p in a.content.parts] == ['"We will stay,"',
                                                 '"until the last boat is safe."']
    assert all(text[p.start : p.end] == p.text for p in a.content.parts)
    assert a.content.start == a.content.parts[0].start
    assert a.content.end == a.content.parts[1].end
    assert 0 <= a.confidence <= 1


def test_two_cues_share_one_speaker_and_keep_their_own_content(spacy_nlp):
    text = "The minister said prices would fall and added that wages would rise."
    doc = spacy_nlp(text)
    spans = spans_of(text, {
        "source": ["The minister"],
        "cue": ["said", "added"],
        "content": ["prices would fall", "that wages would rise"],
    })
    said, added = link(doc, spans, [])
    assert (said.cue.text, said.content.text) == ("said", "prices would fall")
    assert (added.cue.text, added.content.text) == ("added", "that wages would rise")
    assert said.source.text == added.source.text == "The minister"
    assert said.kind == added.kind == "indirect"


def test_nested_statement_gets_its_parent_and_its_own_source(spacy_nlp):
    text = "The senator said the agency had claimed the files were lost."
    doc = spacy_nlp(text)
    spans = spans_of(text, {
        "source": ["The senator", "the agency"],
        "cue": ["said", "claimed"],
        "content": ["the agency had claimed the files were lost"],
    })
    spans["content"].append((text.index("the files"), text.index(" were lost") + 10, 0.8))
    outer, inner = link(doc, spans, [])
    assert outer.source.text == "The senator" and inner.source.text == "the agency"
    assert inner.parent == outer.id and outer.parent is None
    assert inner.content.text == "the files were lost"


def test_content_no_cue_reaches_is_dropped_and_cue_without_content_too(spacy_nlp):
    text = "The port reopened.\n\nOfficials said nothing. Ships waited offshore for days."
    doc = spacy_nlp(text)
    spans = spans_of(text, {"cue": ["said"], "content": ["The port reopened"], "source": []})
    assert link(doc, spans, []) == []


def test_according_to_is_its_own_kind(spacy_nlp):
    text = "According to the coast guard, three boats sank."
    doc = spacy_nlp(text)
    spans = spans_of(text, {"cue": ["According to"], "source": ["the coast guard"],
                            "content": ["three boats sank"]})
    [a] = link(doc, spans, [])
    assert a.kind == "according_to" and a.source.text == "the coast guard"


@pytest.mark.skipif(not (MODEL_DIR / "tagger.onnx").exists(), reason="no model built")
def test_model_loads_from_the_package_with_no_torch_and_no_network():
    code = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = refuse\n"
        "from sayso.nlp.attribution.trained import Tagger\n"
        "t = Tagger()\n"
        "found = t.spans('\"The dam will hold,\" the engineer said on Friday.')\n"
        "assert set(found) == {'cue', 'source', 'content'}, found\n"
        "assert 'torch' not in sys.modules\n"
        "print(len(found['cue']))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr


def test_rules_fill_in_nested_statements(spacy_nlp):
    from sayso.nlp.attribution.rules import find_attributions

    text = "The governor said that the union had claimed the talks were over."
    doc = spacy_nlp(text)
    # the tagger marks the outer statement only, as it is trained to
    spans = spans_of(text, {
        "source": ["The governor"],
        "cue": ["said"],
        "content": ["that the union had claimed the talks were over"],
    })
    found = link(doc, spans, find_attributions(doc))
    outer = next(a for a in found if a.cue.text == "said")
    [inner] = [a for a in found if a.cue.text == "claimed"]
    assert inner.parent == outer.id and outer.parent is None
    assert [a.id for a in found] == [f"A{k}" for k in range(1, len(found) + 1)]


def test_rules_fill_in_a_quote_paragraph_with_no_cue(spacy_nlp):
    from sayso.nlp.attribution.rules import find_attributions

    text = '"The talks are over," the governor said.\n\n"We will be back at the table next week."'
    doc = spacy_nlp(text)
    spans = spans_of(text, {"source": ["the governor"], "cue": ["said"],
                            "content": ['"The talks are over,"']})
    found = link(doc, spans, find_attributions(doc))
    assert [a.content.text for a in found] == [
        '"The talks are over,"', '"We will be back at the table next week."']
    assert found[1].cue is None and found[1].parent is None and found[1].id == "A2"


def test_a_stance_is_not_a_statement(spacy_nlp):
    text = "The senator mocked the plan."
    doc = spacy_nlp(text)
    spans = spans_of(text, {"source": ["The senator"], "cue": ["mocked"],
                            "content": ["the plan"]})
    assert link(doc, spans, []) == []


def test_the_rules_source_for_the_same_cue_replaces_ragged_tagged_edges(spacy_nlp):
    from sayso.nlp.attribution.rules import find_attributions

    text = "Then, the harbour master, Ana Ruiz, said the port would reopen."
    doc = spacy_nlp(text)
    spans = spans_of(text, {
        "source": ["Then, the harbour master, Ana Ruiz,"],
        "cue": ["said"],
        "content": ["the port would reopen"],
    })
    [a] = link(doc, spans, find_attributions(doc))
    assert a.source.text == "the harbour master, Ana Ruiz"
    [untouched] = link(doc, spans, [])  # with no statement of the rules', the tags stand
    assert untouched.source.text == "Then, the harbour master, Ana Ruiz,"
