"""The JSON output contract: the schema matches the data model and real output satisfies it."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest

import sayso
from sayso import model
from sayso.model import (
    Analysis,
    Article,
    Attribution,
    ContentSpan,
    Entity,
    Event,
    Place,
    Quantity,
    SourceSpan,
    Span,
    TimeExpr,
)
from sayso.schema import analysis_schema, validate_analysis

ARTICLE = """\
Wellington harbour ferries to stop for two weeks

The regional council said on Monday that harbour ferries would stop running for two weeks
while engineers replace the main wharf's pilings.

"Nobody wants to lose the ferry, but the old piles are simply not safe any more," council
chair Miriama Tane told reporters at the wharf.

About 3,000 commuters use the service each weekday, according to council figures. The
operator, Harbour Link, said it had asked for buses to cover the route and expected the
work to finish before the school holidays.
"""

DEFS_OF = {
    "article": Article,
    "entity": Entity,
    "attribution": Attribution,
    "time": TimeExpr,
    "place": Place,
    "quantity": Quantity,
    "event": Event,
    "span": Span,
    "sourceSpan": SourceSpan,
    "contentSpan": ContentSpan,
}


def test_schema_is_valid_draft_2020_12_and_versioned():
    schema = analysis_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["contract_version"]["const"] == model.CONTRACT_VERSION


@pytest.mark.parametrize("name", sorted(DEFS_OF))
def test_schema_fields_match_the_data_model(name: str):
    """A field added to or dropped from a dataclass must reach the schema (and the version)."""
    definition = analysis_schema()["$defs"][name]
    fields = {f.name for f in dataclasses.fields(DEFS_OF[name])}
    assert set(definition["properties"]) == fields
    assert set(definition["required"]) == fields


def test_schema_top_level_matches_analysis():
    schema = analysis_schema()
    fields = {f.name for f in dataclasses.fields(Analysis)} | {"sayso_version", "contract_version"}
    assert set(schema["properties"]) == set(schema["required"]) == fields


def hand_built() -> Analysis:
    """One of every record, written by hand against a short invented text."""
    text = ("Police in Tartu said on 4 May that 12 cyclists were hurt when a bridge railing "
            "gave way.")

    def at(words: str) -> Span:
        return Span.of(text, text.index(words), text.index(words) + len(words))

    article = Article(url="https://news.example.org/tartu-bridge", title="Railing gives way",
                      authors=["Kadri Saar"], published="2023-05-04T18:30", site="Example News",
                      language="en", text=text, captions=["The bridge after the accident."])
    police, day, town, count = at("Police in Tartu"), at("4 May"), at("Tartu"), at("12")
    return Analysis(
        article=article,
        entities=[Entity("e1", "Tartu police", "ORG", country="EST", roles=["police"],
                         mentions=[police], sector="GOV", code="EST COP")],
        attributions=[Attribution(
            "a1", "indirect", SourceSpan(police.start, police.end, police.text, entity="e1"),
            at("said"), at("that 12 cyclists were hurt when a bridge railing gave way"),
            time=at("on 4 May"),
        )],
        times=[TimeExpr("t1", day.start, day.end, day.text, "DATE", "2023-05-04",
                        granularity="day", anchor="2023-05-04T18:30")],
        places=[Place("p1", town.start, town.end, town.text, name="Tartu", geonameid=588335,
                      feature_class="P", country="EST", lat=58.38, lon=26.72)],
        quantities=[Quantity("q1", count.start, count.end, count.text, 12.0, what="cyclists",
                             action="hurt")],
        events=[Event("v1", "ACCIDENT", at("gave way"), place="p1", time="t1",
                      reported_by="a1", sentence=Span.of(text, 0, len(text)))],
    )


def split_quote() -> Analysis:
    """A quote split by its own cue (contract 2.0): one statement whose content has the two
    quoted pieces as parts, a statement nested in the second part, and confidences. Other test
    modules build on it."""
    text = ('Ferry crews walked out in Oban on Monday. "We will stay on the quay," the union '
            'organiser Morag Bain told reporters, "until the company admits that the rota is '
            'unsafe."')

    def at(words: str) -> Span:
        return Span.of(text, text.index(words), text.index(words) + len(words))

    first, second = at('"We will stay on the quay,"'), at('"until the company admits that '
                                                           'the rota is unsafe."')
    bain, company = at("the union organiser Morag Bain"), at("the company")
    return Analysis(
        article=Article(title="Oban ferry crews walk out", published="2024-09-02",
                        language="en", text=text),
        entities=[Entity("E1", "Morag Bain", "PERSON", "GBR", ["union organiser"], [bain]),
                  Entity("E2", "ferry company", "ORG", mentions=[company])],
        attributions=[
            Attribution("A1", "direct",
                        SourceSpan(bain.start, bain.end, bain.text, "E1", confidence=0.85),
                        at("told"),
                        ContentSpan(first.start, second.end, text[first.start:second.end],
                                    [first, second]),
                        addressee=at("reporters"), confidence=0.9),
            Attribution("A2", "indirect",
                        SourceSpan(company.start, company.end, company.text, "E2", 0.6),
                        at("admits"), at("that the rota is unsafe"), parent="A1",
                        confidence=0.8),
        ],
    )


def test_split_quote_has_parts_and_confidences_in_the_contract():
    analysis = split_quote()
    data = analysis.to_dict()
    validate_analysis(data)
    assert Analysis.from_dict(json.loads(json.dumps(data))) == analysis
    content = data["attributions"][0]["content"]
    assert [p["text"] for p in content["parts"]] == [
        '"We will stay on the quay,"', '"until the company admits that the rota is unsafe."']
    assert content["start"] == content["parts"][0]["start"]
    assert content["end"] == content["parts"][-1]["end"]
    assert data["attributions"][0]["confidence"] == 0.9
    assert data["attributions"][0]["source"]["confidence"] == 0.85
    assert data["attributions"][1]["content"]["parts"] == []
    assert assert_offsets_index_text(data) == 11  # the parts are checked like any span


def test_plain_content_becomes_a_content_span_without_parts():
    attribution = hand_built().attributions[0]
    assert isinstance(attribution.content, ContentSpan) and attribution.content.parts == []
    assert attribution.confidence is None and attribution.source.confidence is None


def test_hand_built_analysis_round_trips():
    original = hand_built()
    data = original.to_dict()
    validate_analysis(data)
    assert Analysis.from_dict(data) == original
    assert Analysis.from_dict(json.loads(json.dumps(data))) == original


def test_shared_fixture_ledger_satisfies_schema(ledger: list[Analysis]):
    for analysis in ledger:
        data = analysis.to_dict()
        validate_analysis(data)
        assert Analysis.from_dict(data) == analysis


def test_plain_is_asdict_without_sharing_lists(ledger: list[Analysis], hostile_article):
    for analysis in [*ledger, hostile_article, split_quote()]:
        data = model.plain(analysis)
        assert data == dataclasses.asdict(analysis)
        assert json.dumps(data) == json.dumps(dataclasses.asdict(analysis))  # key order too
        data["attributions"][0]["content"]["parts"].append("changed")
        data["article"]["authors"].append("changed")
        assert model.plain(analysis) == dataclasses.asdict(analysis)


@pytest.mark.parametrize(
    "path, value",
    [
        (("attributions", 0, "kind"), "rumour"),
        (("attributions", 0, "content"), None),
        (("times", 0, "start"), -1),
        (("article", "published"), "4 May 2023"),
        (("entities", 0, "country"), "EE"),
        (("places", 0, "lat"), 123.0),
    ],
)
def test_schema_rejects_broken_records(path: tuple, value):
    assert_rejected(hand_built(), path, value)


@pytest.mark.parametrize(
    "path, value",
    [
        (("attributions", 0, "confidence"), 1.5),
        (("attributions", 0, "source", "confidence"), -0.1),
        (("attributions", 0, "content", "parts"), None),
        (("attributions", 0, "content", "parts", 0, "text"), None),
    ],
)
def test_schema_rejects_broken_parts_and_confidences(path: tuple, value):
    assert_rejected(split_quote(), path, value)


def assert_rejected(analysis: Analysis, path: tuple, value) -> None:
    """The analysis with the value at `path` replaced fails validation."""
    data = copy.deepcopy(analysis.to_dict())
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(jsonschema.ValidationError):
        validate_analysis(data)


def test_schema_rejects_unknown_fields():
    data = hand_built().to_dict()
    data["quantities"][0]["confidence"] = 0.9
    with pytest.raises(jsonschema.ValidationError):
        validate_analysis(data)


def spans_in(value, path: str = ""):
    """Every (path, record) in the contract dict that carries start/end/text offsets."""
    if isinstance(value, dict):
        if {"start", "end", "text"} <= value.keys():
            yield path, value
        for key, item in value.items():
            yield from spans_in(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from spans_in(item, f"{path}[{i}]")


def indexed_string(article: dict, span: dict) -> str:
    """The string a record's offsets index: the body, or the byline or a caption per `part`."""
    part = span.get("part", "text")
    if part == "byline":
        return article["byline"]
    if part.startswith("caption:"):
        return article["captions"][int(part.split(":")[1])]
    return article["text"]


def assert_offsets_index_text(data: dict) -> int:
    """Check every span against the string it indexes; return how many there were."""
    found = list(spans_in({k: v for k, v in data.items() if k != "article"}))
    for path, span in found:
        indexed = indexed_string(data["article"], span)
        assert indexed[span["start"]:span["end"]] == span["text"], path
    return len(found)


@pytest.fixture(scope="module")
def real_output() -> dict:
    try:
        return sayso.analyze(ARTICLE).to_dict()
    except (ImportError, OSError) as exc:  # ingest or the spaCy model not installed here
        pytest.skip(f"sayso pipeline cannot load: {exc}")


def test_real_output_satisfies_schema(real_output: dict):
    validate_analysis(real_output)
    assert real_output["contract_version"] == model.CONTRACT_VERSION
    assert "ferries" in real_output["article"]["text"]


def test_real_output_offsets_index_article_text(real_output: dict):
    assert_offsets_index_text(real_output)


def test_hand_built_offsets_index_article_text():
    assert assert_offsets_index_text(hand_built().to_dict()) == 10


def test_documented_example_satisfies_schema():
    """The example in docs/contract.md is checked like real output, so the docs cannot rot."""
    doc = (Path(__file__).parents[1] / "docs" / "contract.md").read_text(encoding="utf-8")
    data = json.loads(doc.split("```json\n", 1)[1].split("```", 1)[0])
    validate_analysis(data)
    assert data["article"]["id"] == model.content_id(data["article"]["text"])
    assert assert_offsets_index_text(data) == 7
