"""Speakers taken up by descriptions and pronouns: epithets, party members, narrative roles,
organisations that only modify a noun or that the model left untagged, "the company", and bare
surnames beside double ones (invented text, one rule per case)."""

from __future__ import annotations

import pytest

import sayso
from sayso.model import Analysis, Entity
from sayso.nlp.entities.names import People, add_name


def speaker_of(analysis: Analysis, source: str) -> Entity | None:
    """The entity the first statement whose source reads `source` resolves to."""
    found = [a for a in analysis.attributions if a.source and a.source.text == source]
    assert found, f"no statement with source {source!r}"
    return {e.id: e for e in analysis.entities}.get(found[0].source.entity)


def test_a_bare_surname_prefers_the_whole_surname_to_part_of_a_double_one():
    people = People()
    marta = add_name(people, "Marta Velde")
    double = add_name(people, "Velde-Osterhaus")  # named later, so the more recent
    assert add_name(people, "Velde") is marta
    assert add_name(people, "Osterhaus") is double  # only the double surname has it


STATEMENT = "\u201cWe expect it will be resolved soon,\u201d the company said in a statement."

CASES = {
    "an epithet takes up the subject even when the text gave them a role": (
        "Ingrid Solberg, the founder of a small bakery chain, opened a third shop on Monday. "
        "Solberg knows the market is crowded.\n\n"
        "\u201cNobody gets rich selling bread,\u201d the cheerful, soft-spoken woman said.",
        "the cheerful, soft-spoken woman", "Ingrid Solberg"),
    "an organisation that only modifies a noun is not the group": (
        "Coast Watch has fought the harbour plan for a year. "
        "Volunteers read the Meridale proposals in detail. "
        "The group says the plan ignores the fishermen.", "The group", "Coast Watch"),
    "an organisation the model left untagged is still a mention": (
        "Railcorp runs the trains in the valley. The mayor said the study had been done by "
        "Railcorp. The agency told reporters it had done no such study.", "The agency",
        "Railcorp"),
    "the company is the organisation the text made a subject, not one in an object": (
        "Vantrix said Thursday that its licence had been revoked, blocking its staff from "
        "testing apps made by Nokia. " + STATEMENT, "the company", "Vantrix"),
    "a name that says what kind it is comes before a later one that does not": (
        "Norvale Corp. said Thursday that its licence had been revoked, blocking its staff from "
        "testing apps on Microsoft Windows. " + STATEMENT, "the company", "Norvale Corp."),
    "the company is the organisation that spoke, not the one it spoke of": (
        "Vantrix said Thursday that Nokia had revoked its licence. " + STATEMENT, "the company",
        "Vantrix"),
    "of two companies the company is the one that spoke": (
        "Norvale Corp. said Thursday that Brightway Inc. had revoked its licence. " + STATEMENT,
        "the company", "Norvale Corp."),
    "a role that is the subject of the narrative is what a later he takes up": (
        "Mayor Doug Varga said the plan would cut costs. The transit agency told reporters it "
        "had done no such study.\n\n"
        "\u201cWe have not studied it,\u201d a spokesperson said.\n\n"
        "On Monday, the mayor brought up the plan again while speaking to reporters.\n\n"
        "\u201cWe can cut costs considerably,\u201d he said.", "he", "Doug Varga"),
    "a party member of a state is the politician in view, not the state": (
        "Senator John Harris voted against the bill. \u201cIt costs too much,\u201d the Ohio "
        "Republican said.", "the Ohio Republican", "John Harris"),
}


@pytest.mark.parametrize(("text", "source", "speaker"), CASES.values(), ids=CASES.keys())
def test_the_source_resolves_to_the_speaker_in_view(text: str, source: str, speaker: str):
    found = speaker_of(sayso.analyze(text), source)
    assert found is not None and found.name == speaker
