"""First-name gender: the table build_names makes from names-dataset, and how gender.py reads it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sayso.nlp.entities import build_names, gender


def _person(female: float, countries: dict[str, float] | None = None) -> dict:
    """A names-dataset record; the default country shares need at least 1000 people."""
    split = {"F": female, "M": round(1 - female, 3)} if 0 < female < 1 else (
        {"F": 1.0} if female else {"M": 1.0})
    return {"country": countries or {"GB": 0.437, "US": 0.321, "IE": 0.242},
            "gender": split, "rank": {"GB": 10}}


@pytest.fixture
def table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A table built by build_names from a small invented dataset, read through gender.py."""
    invented = {
        "Olwenna": _person(0.99), "Tarquinius": _person(0.01), "Sennen": _person(0.8),
        "Morwen": _person(0.5), "Kerensa": _person(0.97), "OLWENNA": _person(0.0),
        "Jago Bran": _person(0.0), "R2d2": _person(0.0),
        "Demelza": _person(1.0, {"GB": 0.5, "IE": 0.5}),  # two people: no evidence
    }
    monkeypatch.setattr(build_names, "_first_names", lambda: invented)
    monkeypatch.setattr(build_names, "NAMES_FILE", tmp_path / build_names.NAMES_FILE.name)
    build_names.main(tmp_path)
    gender._name_lines.cache_clear()
    gender.of_first_name.cache_clear()
    yield
    gender._name_lines.cache_clear()
    gender.of_first_name.cache_clear()


def test_people_at_least_reads_counts_from_rounded_shares() -> None:
    assert build_names.people_at_least([0.5, 0.5]) == 2
    assert build_names.people_at_least([0.667, 0.333, 0.75, 0.25]) == 12
    assert build_names.people_at_least([0.437, 0.321, 0.242]) == build_names.MIN_PEOPLE


def test_table_keeps_only_well_attested_single_names(table: None) -> None:
    assert gender._name_lines() == ["kerensa\t0.970", "morwen\t0.500", "olwenna\t0.990",
                                    "sennen\t0.800", "tarquinius\t0.010"]
    assert gender.female_share("OLWENNA") == 0.99  # the first spelling wins
    assert gender.female_share("Morwe") is None and gender.female_share("Zyta") is None


def test_known_and_likely_gender_follow_the_shares(table: None) -> None:
    assert gender.of_first_name("Olwenna") == "f"
    assert gender.of_first_name("TARQUINIUS") == "m"
    assert gender.of_first_name("Sennen") is None  # 80% women: only likely
    assert gender.of_first_name("Sennen", likely=True) == "f"
    assert gender.of_first_name("Morwen", likely=True) is None  # evenly shared
    assert gender.of_first_name("Demelza", likely=True) is None  # too few people: not listed


def test_hyphenated_names_fall_back_to_their_first_part(table: None) -> None:
    assert gender.of_first_name("Kerensa-Jane") == "f"
    assert gender.of_first_name("K.") is None  # an initial
    assert gender.of_first_name("") is None


def test_shipped_table_knows_common_names_and_leaves_shared_ones_open() -> None:
    gender.of_first_name.cache_clear()
    assert [gender.of_first_name(n) for n in ("Maria", "John", "Fatima", "Mohammed")] == [
        "f", "m", "f", "m"]
    assert gender.of_first_name("Sasha") is None and gender.compatible(
        gender.of_first_name("Sasha"), "m")
