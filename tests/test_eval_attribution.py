"""The brat reader and the attribution scorer, on tiny brat folders written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

import sayso.engines
from sayso.cli import main
from sayso.eval.attribution import (
    Frame,
    Report,
    evaluate,
    format_table,
    gold_frames,
    predicted_frame,
)
from sayso.eval.brat import find_documents, parse_ann, parse_fragments
from sayso.model import Attribution, SourceSpan, Span

TEXT = (
    "The port authority in Valparaiso said on Tuesday that cranes would resume work. "
    '"We expect ships back by Friday," a spokeswoman added, "if the wind drops." '
    "Unions, according to local radio, rejected the plan."
)


def offsets(fragment: str, nth: int = 0) -> tuple[int, int]:
    """Where the nth occurrence of `fragment` sits in TEXT, so fixtures never hard-code numbers."""
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(fragment, start + 1)
    return start, start + len(fragment)


def t_line(ann_id: str, label: str, *fragments: str) -> str:
    spans = [offsets(f) for f in fragments]
    locations = ";".join(f"{s} {e}" for s, e in spans)
    return f"{ann_id}\t{label} {locations}\t{' '.join(TEXT[s:e] for s, e in spans)}"


QUOTE_1 = '"We expect ships back by Friday,"'
QUOTE_2 = '"if the wind drops."'
ANN_FIRST = "\n".join([
    t_line("T1", "Source", "The port authority in Valparaiso"),
    t_line("T2", "Cue", "said"),
    t_line("T3", "Content", "that cranes would resume work"),
    t_line("T4", "Attribution", "said"),
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
    t_line("T5", "Source", "a spokeswoman"),
    t_line("T6", "Cue", "added"),
    t_line("T7", "Content", QUOTE_1, QUOTE_2),
    t_line("T8", "Attribution", "added"),
    "E2\tAttribution:T8 Content:T7 Cue:T6 Source:T5",
    t_line("T9", "Cue", "according to"),
    t_line("T10", "Content", "Unions"),
    t_line("T11", "Content", "rejected the plan"),
    t_line("T12", "Attribution-no-source", "according to"),
    "E3\tAttribution-no-source:T12 Content:T10 Content2:T11 Cue:T9",
    t_line("T13", "Discuss", "Unions"),
    "A1\tNegated E1",
    "#1\tAnnotatorNotes T1\tport body",
]) + "\n"
ANN_SECOND = "\n".join([
    t_line("T1", "Cue", "said"),
    t_line("T2", "Content", "that cranes would resume work"),
    "E1\tAttribution:T1 Content:T2 Cue:T1",
]) + "\n"


@pytest.fixture
def brat_dir(tmp_path: Path) -> Path:
    """A PolNeAR-like folder: one text with two annotators, one text with no annotation."""
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "port_2024-03-05_cranes.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "text" / "unannotated.txt").write_text("Nothing here.", encoding="utf-8")
    (tmp_path / "attributions" / "port_2024-03-05_cranes_b7.ann").write_text(ANN_SECOND)
    (tmp_path / "attributions" / "port_2024-03-05_cranes_a1.ann").write_text(ANN_FIRST)
    return tmp_path


def test_parse_fragments_keeps_discontinuous_parts_in_order():
    assert parse_fragments("315 448;463 553") == ((315, 448), (463, 553))
    assert parse_fragments("209 236;91 186") == ((209, 236), (91, 186))


def test_parse_ann_reads_spans_and_events_and_skips_other_lines():
    standoff = parse_ann(ANN_FIRST)
    assert len(standoff.spans) == 13
    content = standoff.spans["T7"]
    assert content.label == "Content"
    assert content.fragments == (offsets(QUOTE_1), offsets(QUOTE_2))
    assert [TEXT[s:e] for s, e in content.fragments] == [QUOTE_1, QUOTE_2]
    assert [e.id for e in standoff.events] == ["E1", "E2", "E3"]
    third = standoff.events[2]
    assert (third.label, third.trigger) == ("Attribution-no-source", "T12")
    assert dict(third.args) == {"Content": "T10", "Content2": "T11", "Cue": "T9"}


def test_find_documents_lists_annotators_sorted_and_skips_unannotated(brat_dir: Path):
    (doc,) = find_documents(brat_dir, "attributions")
    assert doc.name == "port_2024-03-05_cranes"
    assert [annotator for annotator, _ in doc.annotations] == ["a1", "b7"]


def test_find_documents_accepts_ann_without_annotator_suffix(brat_dir: Path):
    (brat_dir / "text" / "unannotated.txt").rename(brat_dir / "text" / "solo.txt")
    (brat_dir / "attributions" / "solo.ann").write_text("")
    names = {d.name: d.annotations for d in find_documents(brat_dir, "attributions")}
    assert [annotator for annotator, _ in names["solo"]] == [""]


def test_gold_frames_join_repeated_roles_and_allow_missing_source():
    frames = gold_frames(TEXT, parse_ann(ANN_FIRST))
    assert len(frames) == 3
    assert frames[1].content == (offsets(QUOTE_1), offsets(QUOTE_2))
    assert frames[2].source == ()
    assert frames[2].content == (offsets("Unions"), offsets("rejected the plan"))


def test_frames_are_trimmed_of_whitespace():
    start, end = offsets(" a spokeswoman ")
    attribution = Attribution("a1", "direct", SourceSpan.of(TEXT, start, end), None,
                              Span.of(TEXT, *offsets(QUOTE_1)))
    frame = predicted_frame(TEXT, attribution)
    assert frame.source == (offsets("a spokeswoman"),)
    assert frame.cue == ()


def frame(cue: str | None, source: str | None, *content: str) -> Frame:
    return Frame(
        cue=(offsets(cue),) if cue else (),
        source=(offsets(source),) if source else (),
        content=tuple(offsets(c) for c in content),
    )


def scores(report: Report, target: str, mode: str) -> tuple[float, float, float]:
    s = report.tallies[target][mode].scores()
    return s["precision"], s["recall"], s["f1"]


def test_scorer_arithmetic():
    gold = gold_frames(TEXT, parse_ann(ANN_FIRST))
    predicted = [
        # all exact
        frame("said", "The port authority in Valparaiso", "that cranes would resume work"),
        # cue exact, source partly, content only the first quotation
        frame("added", "spokeswoman", QUOTE_1),
        # cue overlaps "according to", no source, content overlaps both parts
        frame("according", None, "Unions, according to local radio, rejected the plan"),
        # nothing in gold
        frame("expect", "We", "ships back by Friday"),
    ]
    report = Report("test")
    report.add(predicted, gold)
    assert (report.gold, report.predicted) == (3, 4)
    assert scores(report, "cue", "exact") == pytest.approx((2 / 4, 2 / 3, 4 / 7))
    assert scores(report, "cue", "overlap") == pytest.approx((3 / 4, 1, 6 / 7))
    # source is scored on frames that have one: 3 predicted, 2 gold
    assert scores(report, "source", "exact") == pytest.approx((1 / 3, 1 / 2, 2 / 5))
    assert scores(report, "source", "overlap") == pytest.approx((2 / 3, 1, 4 / 5))
    assert scores(report, "content", "exact") == pytest.approx((1 / 4, 1 / 3, 2 / 7))
    assert scores(report, "content", "overlap") == pytest.approx((3 / 4, 1, 6 / 7))
    assert scores(report, "attribution", "exact") == pytest.approx((1 / 4, 1 / 3, 2 / 7))
    assert scores(report, "attribution", "overlap") == pytest.approx((3 / 4, 1, 6 / 7))


def test_frames_without_cue_align_on_content():
    gold = [frame("said", "The port authority in Valparaiso", "that cranes would resume work")]
    report = Report("test")
    report.add([frame(None, "The port authority in Valparaiso", "cranes would resume")], gold)
    assert scores(report, "source", "exact") == (1.0, 1.0, 1.0)
    assert scores(report, "cue", "overlap") == (0.0, 0.0, 0.0)
    report = Report("test")
    report.add([frame(None, "The port authority in Valparaiso", "cranes", "Friday")], gold)
    assert scores(report, "source", "exact") == (1.0, 1.0, 1.0)
    report = Report("test")
    report.add([frame(None, "The port authority in Valparaiso", "Friday")], gold)
    assert scores(report, "source", "exact") == (0.0, 0.0, 0.0)


def test_empty_runs_score_zero_not_crash():
    report = Report("test")
    report.add([], [])
    assert scores(report, "attribution", "exact") == (0.0, 0.0, 0.0)


class StubEngine:
    """Finds exactly the first gold attribution, as spans into the raw text it was given, plus
    two nested statements: one on a gold cue, one on none."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def load_nlp(self, name):
        return spacy.blank("en")

    def extract(self, doc):
        self.seen.append(doc.text)
        text = doc.text
        return [
            Attribution(
                "a1", "indirect",
                SourceSpan.of(text, *offsets("The port authority in Valparaiso")),
                Span.of(text, *offsets("said")),
                Span.of(text, *offsets("that cranes would resume work")),
            ),
            # nested statements: right on the gold "added" frame, and on no gold cue at all;
            # scored, the first would be a second top-level hit and the second a false positive
            Attribution("a2", "direct", SourceSpan.of(text, *offsets("a spokeswoman")),
                        Span.of(text, *offsets("added")), Span.of(text, *offsets(QUOTE_1)),
                        parent="a1"),
            Attribution("a3", "indirect", None, Span.of(text, *offsets("expect")),
                        Span.of(text, *offsets("ships back by Friday")), parent="a2"),
        ]


@pytest.fixture
def stub_engine(monkeypatch: pytest.MonkeyPatch) -> StubEngine:
    engine = StubEngine()
    monkeypatch.setattr(sayso.engines, "load_engine", lambda name: engine)
    return engine


def test_evaluate_scores_raw_text_against_first_annotator(brat_dir: Path, stub_engine):
    report = evaluate(brat_dir, "stub", progress=False)
    assert stub_engine.seen == [TEXT]
    assert report.several_annotators == ["port_2024-03-05_cranes"]
    assert (report.documents, report.gold, report.predicted) == (1, 3, 1)
    assert scores(report, "attribution", "exact") == pytest.approx((1, 1 / 3, 1 / 2))


def test_evaluate_scores_top_level_only_and_counts_nested_apart(brat_dir: Path, stub_engine):
    report = evaluate(brat_dir, "stub", progress=False)
    # nested "added" would lift cue recall to 2/3 and nested "expect" cut precision to 2/3
    assert scores(report, "cue", "exact") == pytest.approx((1, 1 / 3, 1 / 2))
    assert (report.nested, report.nested_matched) == (2, 1)
    table = format_table(report)
    assert table.splitlines()[0] == (
        "engine stub: 1 documents, 3 gold and 1 predicted top-level attributions")
    assert "nested statements (not scored above): 2 predicted, 1 with a cue" in table


def test_evaluate_names_the_default_engine_it_resolved(brat_dir: Path, stub_engine):
    from sayso.nlp import DEFAULT_ENGINE

    assert evaluate(brat_dir, "sayso", progress=False).engine == DEFAULT_ENGINE


def test_cli_prints_json_report(brat_dir: Path, stub_engine, capsys: pytest.CaptureFixture):
    status = main(["eval", "attribution", "--brat", str(brat_dir), "--engine", "textacy",
                   "--json", "--no-progress"])
    assert status == 0
    out = json.loads(capsys.readouterr().out)
    assert out["gold_attributions"] == 3
    assert out["scores"]["cue"]["exact"]["recall"] == pytest.approx(1 / 3)
    assert out["scores"]["content"]["exact"]["predicted_matched"] == 1
    assert (out["nested_predicted"], out["nested_matched_cue"]) == (2, 1)


def test_cli_rejects_folder_without_brat_layout(tmp_path: Path, capsys: pytest.CaptureFixture):
    assert main(["eval", "attribution", "--brat", str(tmp_path)]) == 2
    assert "text/ and attributions/" in capsys.readouterr().err
