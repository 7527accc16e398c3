"""How the workbench words normalised times, and tells speakers apart beyond its palette."""

from __future__ import annotations

import pytest

from sayso.web.views import SETTINGS, speaker_style
from sayso.web.when import readable


@pytest.mark.parametrize(("value", "words"), [
    ("2025-03-03", "Monday 3 March 2025"),
    ("2024-03-04TMO", "Monday 4 March 2024, morning"),
    ("2024-03-04T10:15", "Monday 4 March 2024, 10:15"),
    ("2020-10", "October 2020"),
    ("2020", "2020"),
    ("2020~", "around 2020"),
    ("202X", "the 2020s"),
    ("2025-W10", "week 10 of 2025"),
    ("2025-SU", "summer 2025"),
    ("PAST_REF", "the past"),
    ("FUTURE_REF", "the future"),
    ("XXXX-XX-XX", "an unknown date"),
    ("P44D", "44 days"),
    ("P1Y", "1 year"),
    ("PT5M", "5 minutes"),
    ("P5M", "5 months"),
    ("PTXH", "some hours"),
])
def test_times_read_as_words(value: str, words: str) -> None:
    assert readable(value) == words


def test_unknown_codes_are_kept_not_hidden() -> None:
    assert readable("2025-02-30") == "2025-02-30"
    assert readable("SOMETHING") == "SOMETHING"
    assert readable(None) is None


def test_speaker_styles_stay_distinct_past_the_palette() -> None:
    slots = 3 * SETTINGS["palette_size"]
    assert len({speaker_style(i) for i in range(slots)}) == slots
