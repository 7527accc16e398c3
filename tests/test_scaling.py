"""Cost that grows with the text, not faster: the work a component does on a document four
times as long is about four times the work, counted in function calls (what a profiler
counts), so the test holds on a busy machine where wall time would not."""

from __future__ import annotations

import random
import sys
from collections.abc import Callable

import pytest
from spacy.tokens import Doc

from sayso.model import Article
from sayso.nlp import load_pipeline
from sayso.nlp.entities import actors
from sayso.nlp.entities.spanindex import SpanIndex

# Four times the text may cost this much more than four times the work (fixed costs, the odd
# longer list); a part that compares every mention with every other costs about 16 times.
SLACK = 1.3
OURS = ("sayso_entities", "sayso_times", "sayso_places", "sayso_quantities")

BLOCK = (
    "Deputy Finance Minister Ada Okonjo said on Monday that 3,000 jobs would go in Lagos by "
    "March. \"We will protect the budget,\" the minister told reporters. Her office said 12 "
    "percent of the fund was spent. Tunde Bello, a spokesman for the Harbour Workers Union, "
    "said the union would strike. He said the company had cut wages twice in 2023. "
    "The union's lawyer, Grace Eze, said the courts in Abuja would hear the case at 10 a.m. "
    "on Friday.\n\n"
)


def count_calls(run: Callable[[], object]) -> int:
    """Function calls (Python and C) made while `run` runs."""
    calls = 0

    def profile(frame, event, arg):  # noqa: ANN001 - sys.setprofile's signature
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
    return calls


def component_calls(text: str) -> dict[str, int]:
    """Calls each of our components makes on the text, after spaCy and attribution ran."""
    nlp = load_pipeline()
    names = [n for n in nlp.pipe_names if n.startswith("sayso_")]
    doc: Doc = nlp.make_doc(text)
    doc._.article = Article(text=text)
    for name, pipe in nlp.pipeline:
        if name not in names:
            doc = pipe(doc)
    counts = {}
    for name in names:
        pipe = nlp.get_pipe(name)
        if name in OURS:
            counts[name] = count_calls(lambda p=pipe: p(doc))
        else:
            pipe(doc)
    return counts


@pytest.fixture(scope="module")
def growth() -> dict[str, float]:
    short, long = component_calls(BLOCK * 12), component_calls(BLOCK * 48)
    return {name: long[name] / short[name] for name in OURS}


@pytest.mark.parametrize("name", OURS)
def test_a_component_costs_in_proportion_to_the_text(growth: dict[str, float], name: str) -> None:
    assert growth[name] <= 4 * SLACK, f"{name}: 4x the text cost {growth[name]:.1f}x the calls"


def test_nested_quotes_cost_in_proportion_to_their_depth() -> None:
    """Quotes inside quotes, each with a speaker of its own, as a hostile input has them."""

    def nested(depth: int) -> str:
        text = "the harbour would reopen"
        for i in range(depth):
            text = f'"{text}," official {i} said'
        return f"The mayor said the ferry would run. {text}."

    shallow, deep = component_calls(nested(60)), component_calls(nested(240))
    ratio = deep["sayso_entities"] / shallow["sayso_entities"]
    assert ratio <= 4 * SLACK, f"4x the depth cost {ratio:.1f}x the calls"


def test_role_phrase_is_the_first_longest_lexicon_phrase() -> None:
    """The index by first word answers as a scan of the whole lexicon would."""

    def scan(text: str) -> str | None:
        low = " " + text.lower().replace(",", " ") + " "
        hits = [(low.find(f" {p} "), -len(p), p) for p in actors.roles() if f" {p} " in low]
        return min(hits)[2] if hits else None

    rng = random.Random(4)
    phrases = sorted(actors.roles())
    texts = ["", " ", "the", "Spokesman for the Russian president", "deputy foreign minister"]
    for _ in range(300):
        words = rng.sample(phrases, 2) + rng.sample(["the", "of", "Kenyan", ",", "x"], 2)
        rng.shuffle(words)
        texts.append(" ".join(words))
    for text in texts:
        assert actors.role_phrase(text) == scan(text), text


def test_span_index_finds_what_a_scan_finds() -> None:
    rng = random.Random(7)
    items: list = []
    index = SpanIndex()

    class Item:
        def __init__(self, start: int, end: int) -> None:
            self.start, self.end = start, end

    for _ in range(400):
        start = rng.randrange(5000)
        items.append(Item(start, start + rng.choice([0, 1, 5, 30, 200, 900])))
        lo = rng.randrange(5000)
        hi = lo + rng.choice([0, 1, 10, 70, 400])
        want = [m for m in items if m.start < hi and lo < m.end]
        assert index.overlapping(items, lo, hi) == want
