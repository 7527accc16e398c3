"""The Python API end to end: ingest, every component, and the front matter a scraper leaves."""

from __future__ import annotations

import pytest

from sayso import analyze

SCRAPED = """Harbour Herald logo

Fishing Quotas Split Coastal Towns

By Ana Ferreira March 4, 2023

The mayor of Porto greets fishermen at the harbour, March 2, 2023, Porto, Portugal / City Hall

Fishermen in northern Portugal have rejected the new quota plan, the mayor said on Thursday.

"We will not accept a plan that empties our harbours," Mayor Rui Carvalho told reporters.
"""


@pytest.fixture(scope="module")
def analysis():
    return analyze(SCRAPED)


def test_metadata_is_lifted_and_kept(analysis) -> None:
    art = analysis.article
    assert art.title == "Fishing Quotas Split Coastal Towns"
    assert art.authors == ["Ana Ferreira"]
    assert art.byline == "By Ana Ferreira March 4, 2023"
    assert art.published == "2023-03-04"
    assert art.captions and "Porto, Portugal" in art.captions[0]
    assert "logo" not in art.text and "City Hall" not in art.text


def test_front_matter_times_and_places_point_into_their_part(analysis) -> None:
    art = analysis.article
    outside = [r for r in analysis.times + analysis.places if r.part != "text"]
    assert {r.part for r in outside} <= {"byline", "caption:0"}
    for record in outside:
        source = art.byline if record.part == "byline" else art.captions[0]
        assert source[record.start:record.end] == record.text
    byline_dates = [t.value for t in analysis.times if t.part == "byline"]
    assert byline_dates == ["2023-03-04"]
    caption_places = {(p.text, p.country) for p in analysis.places if p.part == "caption:0"}
    assert ("Portugal", "PRT") in caption_places
    assert not any(p.part == "byline" for p in analysis.places), "author names are not places"


def test_body_records_keep_body_offsets_and_unique_ids(analysis) -> None:
    text = analysis.article.text
    for record in analysis.times + analysis.places + analysis.quantities:
        if record.part == "text":
            assert text[record.start:record.end] == record.text
    for records in (analysis.times, analysis.places, analysis.quantities):
        ids = [r.id for r in records]
        assert len(ids) == len(set(ids))


def test_statements_are_attributed(analysis) -> None:
    kinds = {a.kind for a in analysis.attributions}
    assert "direct" in kinds
    names = {e.id: e.name for e in analysis.entities}
    direct = next(a for a in analysis.attributions if a.kind == "direct")
    assert names[direct.source.entity] == "Rui Carvalho"
    assert direct.addressee is not None and direct.addressee.text == "reporters"


def test_bad_input_raises_a_clear_error() -> None:
    with pytest.raises(ValueError, match="empty"):
        analyze("   \n ")
