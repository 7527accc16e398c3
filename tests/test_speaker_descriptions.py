"""Speakers taken up by descriptions: epithets, organisations that only modify a noun or that the
model left untagged, and bare surnames beside double ones (invented text, one rule per test)."""

from __future__ import annotations

import pytest

import sayso
from sayso.model import Analysis, Entity
from sayso.nlp.entities.names import PersonName, add_name


def speaker_of(analysis: Analysis, source: str) -> Entity | None:
    """The entity the first statement whose source reads `source` resolves to."""
    found = [a for a in analysis.attributions if a.source and a.source.text == source]
    assert found, f"no statement with source {source!r}"
    return {e.id: e for e in analysis.entities}.get(found[0].source.entity)


def test_a_bare_surname_prefers_the_whole_surname_to_part_of_a_double_one():
    people: list[PersonName] = []
    marta = add_name(people, "Marta Velde")
    double = add_name(people, "Velde-Osterhaus")  # named later, so the more recent
    assert add_name(people, "Velde") is marta
    assert add_name(people, "Osterhaus") is double  # only the double surname has it


def test_an_epithet_takes_up_the_subject_even_when_the_text_gave_them_a_role():
    a = sayso.analyze(
        "Ingrid Solberg, the founder of a small bakery chain, opened a third shop on Monday. "
        "Solberg knows the market is crowded.\n\n"
        "\u201cNobody gets rich selling bread,\u201d the cheerful, soft-spoken woman said."
    )
    found = speaker_of(a, "the cheerful, soft-spoken woman")
    assert found is not None and found.name == "Ingrid Solberg"


def test_an_organisation_that_only_modifies_a_noun_is_not_the_group():
    a = sayso.analyze(
        "Coast Watch has fought the harbour plan for a year. "
        "Volunteers read the Meridale proposals in detail. "
        "The group says the plan ignores the fishermen."
    )
    found = speaker_of(a, "The group")
    assert found is not None and found.name == "Coast Watch"


def test_an_organisation_the_model_left_untagged_is_still_a_mention():
    known = "Railcorp runs the trains in the valley. "
    a = sayso.analyze(
        known + "The mayor said the study had been done by Railcorp. "
        "The agency told reporters it had done no such study."
    )
    found = speaker_of(a, "The agency")
    assert found is not None and found.name == "Railcorp"


STATEMENT = "\u201cWe expect it will be resolved soon,\u201d the company said in a statement."


@pytest.mark.parametrize(("lead", "company"), [
    # the organisation the text made a subject, not one in an object ("made by Nokia")
    ("Vantrix said Thursday that its licence had been revoked, blocking its staff from testing "
     "apps made by Nokia.", "Vantrix"),
    # a name that says what kind it is before a later one that does not
    ("Norvale Corp. said Thursday that its licence had been revoked, blocking its staff from "
     "testing apps on Microsoft Windows.", "Norvale Corp."),
    # the organisation that spoke before the one it spoke of
    ("Vantrix said Thursday that Nokia had revoked its licence.", "Vantrix"),
    ("Norvale Corp. said Thursday that Brightway Inc. had revoked its licence.", "Norvale Corp."),
])
def test_the_company_is_the_organisation_in_view(lead: str, company: str):
    found = speaker_of(sayso.analyze(f"{lead} {STATEMENT}"), "the company")
    assert found is not None and found.name == company


def test_a_role_that_is_the_subject_of_the_narrative_is_what_a_later_he_takes_up():
    a = sayso.analyze(
        "Mayor Doug Varga said the plan would cut costs. The transit agency told reporters it "
        "had done no such study.\n\n"
        "\u201cWe have not studied it,\u201d a spokesperson said.\n\n"
        "On Monday, the mayor brought up the plan again while speaking to reporters.\n\n"
        "\u201cWe can cut costs considerably,\u201d he said."
    )
    found = speaker_of(a, "he")
    assert found is not None and found.name == "Doug Varga"


def test_a_party_member_of_a_state_is_the_politician_in_view_not_the_state():
    a = sayso.analyze("Senator John Harris voted against the bill. \u201cIt costs too much,\u201d "
                      "the Ohio Republican said.")
    found = speaker_of(a, "the Ohio Republican")
    assert found is not None and found.name == "John Harris"
