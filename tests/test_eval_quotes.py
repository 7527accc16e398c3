"""The GGT quote scorer: matching rule, speaker accuracy and the CLI, on invented articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import sayso.nlp
from sayso.cli import main
from sayso.eval.quotes import (
    Candidate,
    GoldQuote,
    Report,
    candidates,
    error_lines,
    match,
    overlap,
    select,
    speaker_matches,
    words,
)
from sayso.model import Analysis, Article, Attribution, ContentSpan, Entity, SourceSpan, Span

FERRY = (
    "Harbour master Lena Okafor said on Monday that the ferry would sail again next week. "
    '"We have fixed the ramp," Okafor told reporters, "and the crews are ready." '
    "The city council, she added, had promised to pay for the repairs."
)
BRIDGE = "Mayor Tomas Brill said the old bridge would close in June. Nobody else spoke."


def span(text: str, phrase: str, kind: type = Span, **extra) -> Span:
    start = text.index(phrase)
    return kind(start, start + len(phrase), phrase, **extra)


def cand(text: str, statement: int = 0, speaker: str | None = None) -> Candidate:
    return Candidate(statement, text, speaker)


# --- the matching rule ----------------------------------------------------------------------


def test_overlap_is_shared_words_over_the_longer_ones_words():
    ten = words("one two three four five six seven eight nine ten")
    assert overlap(ten, words("One, two; THREE")) == pytest.approx(0.3)
    assert overlap(words("ferry"), words("the ferry sails today")) == pytest.approx(0.25)
    # a multiset: one "no" shared, out of the four of the longer text
    assert overlap(words("no no no no"), words("no yes")) == pytest.approx(0.25)


def test_match_threshold_is_three_tenths_of_the_longer_text():
    gold = [GoldQuote("one two three four five six seven eight nine ten", "x")]
    assert match(gold, [cand("one two three")]) == [cand("one two three")]
    assert match(gold, [cand("one two")]) == [None]
    # the shorter one is wholly inside the longer, but that is 1 of 4 words of the longer
    assert match([GoldQuote("ferry", "x")], [cand("the ferry sails today")]) == [None]


def test_gold_quotes_take_in_order_the_best_unused_candidate():
    first = cand("the bridge will close in June for repairs", 0)
    second = cand("the bridge will close in June", 1)
    other = cand("traffic will use the old ferry road instead", 2)
    gold = [
        GoldQuote("the bridge will close in June", "a"),  # best: second (1.0 over 0.75)
        GoldQuote("the bridge will close in June for repairs", "b"),  # second taken: first
        GoldQuote("the bridge will close", "c"),  # both bridge candidates used
        GoldQuote("traffic will use the old ferry road", "d"),
    ]
    assert match(gold, [first, second, other]) == [second, first, None, other]


def test_ties_go_to_the_earliest_candidate():
    a, b = cand("rain is coming", 0), cand("rain is coming", 1)
    assert match([GoldQuote("rain is coming", "x")], [a, b]) == [a]
    assert match([GoldQuote("rain is coming", "x")], [b, a]) == [b]


def analysis_with(text: str, attributions: list[Attribution],
                  entities: list[Entity] | None = None) -> Analysis:
    return Analysis(Article(id="doc", text=text), entities or [], attributions)


def test_parts_are_candidates_each_with_the_statements_speaker():
    okafor = Entity("E1", "Lena Okafor", "PERSON")
    p1, p2 = span(FERRY, '"We have fixed the ramp,"'), span(FERRY, '"and the crews are ready."')
    content = ContentSpan(p1.start, p2.end, FERRY[p1.start:p2.end], parts=[p1, p2])
    quote = Attribution("A2", "direct", span(FERRY, "Okafor", SourceSpan, entity="E1"),
                        span(FERRY, "told"), content)
    nested = Attribution("A9", "indirect", None, span(FERRY, "promised"),
                         span(FERRY, "to pay for the repairs"), parent="A2")
    found = candidates(analysis_with(FERRY, [quote, nested], [okafor]))
    assert found == [Candidate(0, p1.text, "Lena Okafor"), Candidate(0, p2.text, "Lena Okafor")]


def test_a_statement_with_two_parts_matches_two_gold_quotes_and_counts_once():
    p1, p2 = span(FERRY, '"We have fixed the ramp,"'), span(FERRY, '"and the crews are ready."')
    content = ContentSpan(p1.start, p2.end, FERRY[p1.start:p2.end], parts=[p1, p2])
    quote = Attribution("A1", "direct", span(FERRY, "Okafor", SourceSpan, entity="E1"),
                        span(FERRY, "told"), content)
    report = Report("test")
    gold = [GoldQuote('"We have fixed the ramp,"', "Okafor", "Lena Okafor"),
            GoldQuote('"and the crews are ready."', "Okafor", "Lena Okafor")]
    report.add(gold, analysis_with(FERRY, [quote], [Entity("E1", "Lena Okafor", "PERSON")]))
    t = report.tallies["all"]
    assert (t.gold, t.matched, t.predicted, t.predicted_matched, t.speaker_correct) == (
        2, 2, 1, 1, 2)
    assert t.scores()["precision"] == 1.0


# --- speakers -------------------------------------------------------------------------------


@pytest.mark.parametrize(("predicted", "gold", "right"), [
    ("Tomas Brill", "Tomas Brill", True),
    ("tomas BRILL", "Tomas Brill", True),
    ("Brill", "Tomas Brill", True),  # same surname
    ("Mayor Tomas Brill", "Brill", True),
    ("Tomas Brill", "Tomas Brilling", False),
    ("Tomas", "Tomas Brill", False),  # a first name is not a surname
    (None, "Tomas Brill", False),
])
def test_speaker_matches_by_full_name_or_surname(predicted, gold, right):
    assert speaker_matches(predicted, gold) is right


def test_speaker_accuracy_uses_reference_then_speaker_and_no_entity_is_wrong():
    said = span(BRIDGE, "said")
    clause = span(BRIDGE, "the old bridge would close in June")
    entities = [Entity("E1", "Tomas Brill", "PERSON")]

    def accuracy(source: SourceSpan | None, gold: GoldQuote) -> tuple[int, int]:
        report = Report("test")
        report.add([gold], analysis_with(BRIDGE, [
            Attribution("A1", "indirect", source, said, clause)], entities))
        return report.tallies["all"].speaker_correct, report.tallies["all"].matched

    brill = span(BRIDGE, "Mayor Tomas Brill", SourceSpan, entity="E1")
    quote = clause.text
    assert accuracy(brill, GoldQuote(quote, "Mayor", "Tomas Brill")) == (1, 1)
    assert accuracy(brill, GoldQuote(quote, "Brill", "")) == (1, 1)  # no reference: speaker
    assert accuracy(brill, GoldQuote(quote, "Brill", "Ana Kovac")) == (0, 1)  # reference wins
    unresolved = span(BRIDGE, "Mayor Tomas Brill", SourceSpan)
    assert accuracy(unresolved, GoldQuote(quote, "Brill", "Tomas Brill")) == (0, 1)
    assert accuracy(None, GoldQuote(quote, "Brill", "Tomas Brill")) == (0, 1)


def test_direct_and_indirect_rows_class_both_sides_by_the_quote_mark():
    okafor = span(FERRY, "Okafor", SourceSpan, entity="E1")
    direct = Attribution("A1", "direct", okafor, span(FERRY, "told"),
                         span(FERRY, '"We have fixed the ramp,"'))
    indirect = Attribution("A2", "indirect", okafor, span(FERRY, "said"),
                           span(FERRY, "that the ferry would sail again next week"))
    gold = [GoldQuote("\u201cWe have fixed the ramp,\u201d", "Okafor", "Lena Okafor"),
            GoldQuote("the crews are ready", "Okafor", "Lena Okafor")]
    report = Report("test")
    report.add(gold, analysis_with(FERRY, [direct, indirect],
                                   [Entity("E1", "Lena Okafor", "PERSON")]))
    d, i = report.tallies["direct"], report.tallies["indirect"]
    assert (d.gold, d.predicted, d.matched, d.predicted_matched) == (1, 1, 1, 1)
    assert (i.gold, i.predicted, i.matched, i.predicted_matched) == (1, 1, 0, 0)
    assert report.tallies["all"].scores() == pytest.approx(
        {"precision": 0.5, "recall": 0.5, "f1": 0.5, "speaker_accuracy": 1.0})


# --- the command, on a stub pipeline ----------------------------------------------------------


def write_ggt(root: Path, articles: dict[str, str], gold: dict[str, list[dict]]) -> Path:
    (root / "articles").mkdir(parents=True)
    for doc_id, text in articles.items():
        (root / "articles" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    (root / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    return root


GOLD = {
    "a-bridge": [{"quote": "the old bridge would close in June", "speaker": "Brill",
                  "reference": "Tomas Brill"}],
    "b-ferry": [
        {"quote": "the ferry would sail again next week", "speaker": "Lena Okafor",
         "reference": "Lena Okafor"},
        {"quote": '"We have fixed the ramp," Okafor told reporters, "and the crews are ready."',
         "speaker": "Okafor", "reference": "Lena Okafor"},
    ],
}

# What the stub pipeline "finds" in each text: (source, cue, content, entity name, parent)
CANNED = {
    BRIDGE: [("Mayor Tomas Brill", "said", "the old bridge would close in June", "Tomas Brill",
              None)],
    FERRY: [
        ("Harbour master Lena Okafor", "said", "that the ferry would sail again next week",
         "Lena Okafor", None),
        # wrong speaker for the direct quote
        ("reporters", "told", '"We have fixed the ramp,"', "the reporters", None),
        # nested: never a prediction, though it would be an unmatched one
        ("The city council", "promised", "to pay for the repairs", "city council", "A1"),
    ],
}


@Language.component("test_quotes_stub")
def _stub_component(doc: Doc) -> Doc:
    text = doc.text
    entities, attributions = [], []
    for n, (source, cue, content, name, parent) in enumerate(CANNED[text], 1):
        entities.append(Entity(f"E{n}", name, "PERSON"))
        attributions.append(Attribution(
            f"A{n}", "indirect", span(text, source, SourceSpan, entity=f"E{n}"),
            span(text, cue), span(text, content), parent=parent))
    doc._.entities, doc._.attributions = entities, attributions
    return doc


@pytest.fixture
def stub_pipeline(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """sayso.nlp.load_pipeline replaced by a blank model with canned statements; records the
    engine names it is asked for."""
    asked: list[str] = []

    def load(engine: str = "rules") -> Language:
        asked.append(engine)
        nlp = spacy.blank("en")
        nlp.add_pipe("test_quotes_stub")
        return nlp

    monkeypatch.setattr(sayso.nlp, "load_pipeline", load)
    return asked


@pytest.fixture
def ggt_dir(tmp_path: Path) -> Path:
    return write_ggt(tmp_path / "ggt", {"a-bridge": BRIDGE, "b-ferry": FERRY}, GOLD)


def test_cli_prints_table_naming_the_engine(ggt_dir: Path, stub_pipeline: list[str],
                                            capsys: pytest.CaptureFixture):
    assert main(["eval", "quotes", "--ggt", str(ggt_dir), "--engine", "trained",
                 "--no-progress"]) == 0
    assert stub_pipeline == ["trained"]
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "engine trained: 2 documents, 3 gold quotes and 3 predicted top-level statements")
    cells = {line.split()[0]: line.split() for line in lines[2:]}
    assert set(cells) == {"all", "direct", "indirect"}
    # gold, pred, matched, P, R, F1, speaker, (correct/matched)
    assert cells["all"][1:] == ["3", "3", "3", "100.0", "100.0", "100.0", "66.7", "(2/3)"]
    assert cells["direct"][1:] == ["1", "1", "1", "100.0", "100.0", "100.0", "0.0", "(0/1)"]


def test_cli_json_limit_and_default_engine(ggt_dir: Path, stub_pipeline: list[str],
                                           capsys: pytest.CaptureFixture):
    assert main(["eval", "quotes", "--ggt", str(ggt_dir), "--limit", "1", "--json",
                 "--no-progress"]) == 0
    assert stub_pipeline == [sayso.nlp.DEFAULT_ENGINE]  # "sayso" resolved
    out = json.loads(capsys.readouterr().out)
    assert (out["engine"], out["documents"]) == (sayso.nlp.DEFAULT_ENGINE, 1)
    assert out["scores"]["all"]["gold"] == 1
    assert out["scores"]["all"]["speaker_accuracy"] == 1.0
    assert out["scores"]["direct"]["gold"] == 0


def test_cli_rejects_folder_without_ggt_layout(tmp_path: Path, capsys: pytest.CaptureFixture):
    assert main(["eval", "quotes", "--ggt", str(tmp_path)]) == 2
    assert "gold.json" in capsys.readouterr().err


# --- end to end, on the rules pipeline --------------------------------------------------------


def test_rules_pipeline_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture):
    gold = {"ferry": [
        {"quote": "the ferry would sail again next week", "speaker": "Lena Okafor",
         "reference": "Lena Okafor"},
        {"quote": '"We have fixed the ramp,"', "speaker": "Okafor", "reference": "Lena Okafor"},
    ]}
    ggt = write_ggt(tmp_path / "ggt", {"ferry": FERRY}, gold)
    assert main(["eval", "quotes", "--ggt", str(ggt), "--engine", "rules", "--json",
                 "--no-progress"]) == 0
    scores = json.loads(capsys.readouterr().out)["scores"]
    assert (scores["all"]["gold"], scores["all"]["matched"]) == (2, 2)
    assert scores["all"]["speaker_correct"] == 2
    assert (scores["direct"]["matched"], scores["indirect"]["matched"]) == (1, 1)


# --- halves and the error listing -------------------------------------------------------------


def test_halves_split_the_ids_in_two_fixed_disjoint_near_equal_parts():
    ids = [f"doc-{n:02d}" for n in range(25)]
    a, b = select(ids, "a"), select(ids, "b")
    assert set(a).isdisjoint(b) and sorted(a + b) == sorted(ids)
    assert (len(a), len(b)) == (13, 12)  # "a" takes the odd one
    assert a == sorted(a) and select(reversed(ids), "a") == a  # fixed by the ids, not the order
    assert select(ids, "all") == sorted(ids) and select(ids, "b", limit=3) == b[:3]


def test_cli_half_scores_only_that_half(ggt_dir: Path, stub_pipeline: list[str],
                                        capsys: pytest.CaptureFixture):
    ids = ["a-bridge", "b-ferry"]
    for half in ("a", "b"):
        assert main(["eval", "quotes", "--ggt", str(ggt_dir), "--half", half, "--json",
                     "--no-progress"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["documents"] == len(select(ids, half)) == 1


def test_errors_list_misses_wrong_speakers_and_unmatched_statements(ggt_dir: Path,
                                                                    stub_pipeline: list[str],
                                                                    capsys: pytest.CaptureFixture):
    assert main(["eval", "quotes", "--ggt", str(ggt_dir), "--errors", "--no-progress"]) == 0
    rows = [line.split("\t") for line in capsys.readouterr().err.splitlines() if "\t" in line]
    # the canned ferry statements: "We have fixed the ramp" goes to a wrong speaker
    assert any(r[1] == "SPEAKER" and r[0] == "b-ferry" for r in rows)
    assert all(r[1] in ("MISS", "SPEAKER", "EXTRA") for r in rows)


def test_error_lines_name_each_kind():
    text = "Mayor Tomas Brill said the old bridge would close in June. Nobody else spoke."
    entity = Entity("E1", "Ana Ruiz", "PERSON")
    said = Attribution("A1", "indirect", span(text, "Mayor Tomas Brill", SourceSpan, entity="E1"),
                       span(text, "said"), span(text, "the old bridge would close in June",
                                                ContentSpan))
    other = Attribution("A2", "indirect", None, span(text, "spoke"),
                        span(text, "Nobody else", ContentSpan))
    analysis = Analysis(Article(id="d", text=text), entities=[entity], attributions=[said, other])
    gold = [GoldQuote("the old bridge would close in June", "Brill", "Tomas Brill"),
            GoldQuote("the ferry will run all winter", "Okafor")]
    kinds = [line.split("\t")[1] for line in error_lines(gold, analysis)]
    assert kinds == ["SPEAKER", "MISS", "EXTRA"]
