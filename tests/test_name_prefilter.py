"""`names.might_match` only skips work: `compatible` answers the same with or without it."""

import pytest

from sayso.nlp.entities import names

PEOPLE = [
    names.PersonName(first="Andres Manuel", surname="Lopez Obrador",
                     canonical="Andres Manuel Lopez Obrador"),
    names.PersonName(first="Maria", surname="Garcia-Lopez", canonical="Maria Garcia-Lopez"),
    names.PersonName(first="Bashar", surname="al-Assad", canonical="Bashar al-Assad"),
    names.PersonName(first="Marco", surname="Di Santo", canonical="Marco Di Santo"),
    names.PersonName(first="Ivan", surname="Popov", canonical="Ivan Popov"),
    names.PersonName(first="", surname="", canonical=""),
]
WRITTEN = ["Lopez Obrador", "Obrador", "Lopez", "Garcia", "Assad", "al-Assad", "Santo",
           "Di Santo", "Popov", "Petrov", "Popow", "Jones", "Ivan Popov", "I. Popov", ""]


@pytest.mark.parametrize("name", WRITTEN)
def test_prefilter_never_changes_the_answer(name, monkeypatch):
    with_filter = [names.compatible(name, p) for p in PEOPLE]
    monkeypatch.setattr(names, "might_match", lambda *_: True)
    assert [names.compatible(name, p) for p in PEOPLE] == with_filter


def test_prefilter_rejects_names_that_cannot_match():
    assert not names.might_match("Jones", PEOPLE[4])
    assert names.might_match("Popow", PEOPLE[4])
    assert names.might_match("Lopez", PEOPLE[1])  # one part of a double surname


@pytest.mark.parametrize("title", [None, "f", "m"])
def test_the_index_offers_everyone_compatible(title):
    people = names.People()
    for written in ["Popov", "Ivan Popov", "Maria Garcia-Lopez", "Bashar al-Assad", "Santo",
                    "Marco Di Santo", "Andres Manuel Lopez Obrador", "Petrov", "Popov",
                    "Popovich", "Tchaikovskiy", "Ana Lopez"]:
        names.add_name(people, written)
    everyone = list(reversed(list(people)))  # most recently named first
    for name in [*WRITTEN, "Tchaikovksy", "Popovic", "Pop", "Lopez-Garcia", "Obrador Lopez"]:
        offered = people.candidates(name)
        assert offered == [p for p in everyone if p in offered]  # in the same order
        assert [p for p in everyone if names.compatible(name, p, title)] == [
            p for p in offered if names.compatible(name, p, title)]
