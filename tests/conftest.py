"""Shared fixtures."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from functools import partial

import pytest

from sayso.model import (
    Analysis,
    Article,
    Attribution,
    Entity,
    Event,
    Place,
    Quantity,
    SourceSpan,
    Span,
    TimeExpr,
)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A fresh, empty store location on each back end; PostgreSQL needs SAYSO_TEST_PG (a URL).

    Each PostgreSQL test gets its own schema, dropped afterwards, so tests never see each other.
    """
    if request.param == "sqlite":
        yield str(tmp_path / "ledger.db")
        return
    base = os.environ.get("SAYSO_TEST_PG")
    if not base:
        pytest.skip("SAYSO_TEST_PG is not set (see scripts/ci_postgres.sh)")
    import psycopg

    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def _span(text: str, phrase: str, kind: type = Span, nth: int = 0, **extra) -> Span:
    """The `nth` occurrence of `phrase` in `text` as a span (fixtures never count offsets)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return kind(start, start + len(phrase), phrase, **extra)


def _mining_article() -> Analysis:
    text = (
        "Chile's finance minister, Marta Quiroga, said on Tuesday that copper exports would rise "
        'by 12 percent next year. "We expect a strong recovery in the north," Quiroga told '
        "reporters in Antofagasta. According to the central bank, inflation slowed to 3.1 percent "
        "in March. The miners' union said Quiroga had promised that no mine would close."
    )
    s = partial(_span, text)
    return Analysis(
        article=Article(url="https://example.org/chile-copper", title="Copper exports to rise",
                        authors=["Ana Ruiz"], published="2024-03-14", site="example.org",
                        language="en", text=text, captions=["A mine near the coast."]),
        entities=[
            Entity("E1", "Marta Quiroga", "PERSON", "CHL", ["finance minister"],
                   [s("Marta Quiroga"), s("Quiroga", nth=1), s("Quiroga", nth=2)], "GOV",
                   "CHL GOV"),
            Entity("E2", "central bank", "ORG", "CHL", mentions=[s("the central bank")]),
            Entity("E3", "miners' union", "GROUP", "CHL", mentions=[s("The miners' union")]),
        ],
        attributions=[
            Attribution("A1", "indirect", s("Marta Quiroga", SourceSpan, entity="E1"), s("said"),
                        s("copper exports would rise by 12 percent next year"),
                        time=s("on Tuesday")),
            Attribution("A2", "direct", s("Quiroga", SourceSpan, nth=1, entity="E1"), s("told"),
                        s("We expect a strong recovery in the north,"), addressee=s("reporters")),
            Attribution("A3", "according_to", s("the central bank", SourceSpan, entity="E2"),
                        s("According to"), s("inflation slowed to 3.1 percent in March")),
            Attribution("A4", "indirect", s("The miners' union", SourceSpan, entity="E3"),
                        s("said", nth=1), s("Quiroga had promised that no mine would close")),
            Attribution("A5", "indirect", s("Quiroga", SourceSpan, nth=2, entity="E1"),
                        s("promised"), s("no mine would close"), parent="A4"),
        ],
        times=[
            TimeExpr("T1", *_offsets(s("Tuesday")), "DATE", "2024-03-12", "day",
                     anchor="2024-03-14"),
            TimeExpr("T2", *_offsets(s("next year")), "DATE", "2025", "year"),
            TimeExpr("T3", *_offsets(s("March")), "DATE", None, resolved=False,
                     reason="no year given"),
        ],
        places=[
            Place("P1", *_offsets(s("Antofagasta")), "Antofagasta", 3899539, "P", "CHL",
                  -23.65236, -70.3954),
            Place("P2", *_offsets(s("Chile's")), "Chile", 3895114, "A", "CHL", -30.0, -71.0,
                  kind="metonymy", reason="possessive before an office"),
        ],
        quantities=[
            Quantity("Q1", *_offsets(s("12 percent")), 12.0, unit="percent", what="exports"),
            Quantity("Q2", *_offsets(s("3.1 percent")), 3.1, approx=True, unit="percent"),
        ],
        events=[
            Event("V1", "AGREE", s("promised"), ["E1"], ["E3"], reported_by="A4",
                  modality="reported", sentence=s("The miners' union said Quiroga had promised "
                                                  "that no mine would close.")),
        ],
    )


def _fishing_article() -> Analysis:
    text = (
        "Fishing crews blocked the harbour in Tromsø on Monday, police said. Harald Lien, a "
        "spokesman for the Coastal Fishers' Association, said the new quotas \"will ruin small "
        'boats." The fisheries ministry declined to comment.'
    )
    s = partial(_span, text)
    return Analysis(
        article=Article(title="Crews block harbour over quotas", published="2024-05-06T09:30",
                        site="news.example.net", language="en", text=text),
        entities=[
            Entity("E1", "Harald Lien", "PERSON", "NOR", ["spokesman"], [s("Harald Lien")]),
            Entity("E2", "police", "ORG", "NOR", mentions=[s("police")]),
            Entity("E3", "Fishing crews", "GROUP", "NOR", mentions=[s("Fishing crews")],
                   sector="CVL"),
        ],
        attributions=[
            Attribution("A1", "indirect", s("police", SourceSpan, entity="E2"), s("said"),
                        s("Fishing crews blocked the harbour in Tromsø on Monday")),
            Attribution("A2", "mixed", s("Harald Lien", SourceSpan, entity="E1"),
                        s("said", nth=1), s('the new quotas "will ruin small boats."')),
        ],
        times=[TimeExpr("T1", *_offsets(s("Monday")), "DATE", "2024-05-06", "day")],
        places=[Place("P1", *_offsets(s("Tromsø")), "Tromsø", 3133880, "P", "NOR", 69.6496,
                      18.957)],
        events=[Event("V1", "PROTEST", s("blocked"), ["E3"], place="P1", time="T1",
                      reported_by="A1", mode="blockade")],
    )


def _offsets(span: Span) -> tuple[int, int, str]:
    return span.start, span.end, span.text


@pytest.fixture
def ledger() -> list[Analysis]:
    """Two hand-annotated invented articles, newest first, covering every kind of record."""
    return [_fishing_article(), _mining_article()]


@pytest.fixture(scope="session")
def spacy_nlp():
    """The bare spaCy model (no sayso components), loaded once per test session."""
    import spacy

    from sayso.nlp import SPACY_MODEL

    return spacy.load(SPACY_MODEL)


def _hostile_article() -> Analysis:
    """Markup and script in every field a page shows: the workbench must render it all as text."""
    text = (
        'The mayor of Port Elwyn <img src=x onerror="window.__pwned=1"> said the ferry pier '
        '<script>window.__pwned = 2; document.title = "pwned"</script> would reopen in June. '
        '"Click <a href="javascript:window.__pwned=3">here</a> <svg onload="window.__pwned=4">," '
        "she told reporters. The port authority accused the mayor of hiding the repair costs."
    )
    s = partial(_span, text)
    mayor = 'Ines <img src=x onerror="alert(1)"> Varga'
    authority = 'Port Authority" onmouseover="window.__pwned=5'
    return Analysis(
        article=Article(url="javascript:window.__pwned=6", title="<script>window.__pwned=7"
                        "</script>Pier to reopen", authors=['<img src=x onerror="alert(2)">'],
                        published="2024-06-02", site="<b onclick=alert(3)>site</b>",
                        language="en", text=text,
                        captions=['<iframe src="javascript:alert(4)"></iframe>']),
        entities=[
            Entity("E1", mayor, "PERSON", "HRV", ['mayor <script>alert(5)</script>'],
                   [s("The mayor of Port Elwyn"), s("she"), s("the mayor")], "GOV", "HRV GOV"),
            Entity("E2", authority, "ORG", "HRV", mentions=[s("The port authority")]),
        ],
        attributions=[
            Attribution("A1", "indirect", s("The mayor of Port Elwyn", SourceSpan, entity="E1"),
                        s("said"), s('the ferry pier <script>window.__pwned = 2; document.title '
                                     '= "pwned"</script> would reopen in June')),
            Attribution("A2", "direct", s("she", SourceSpan, entity="E1"), s("told"),
                        s('Click <a href="javascript:window.__pwned=3">here</a> '
                          '<svg onload="window.__pwned=4">,'), addressee=s("reporters")),
        ],
        times=[TimeExpr("T1", *_offsets(s("June")), "DATE", "2024-06", "month")],
        places=[Place("P1", *_offsets(s("Port Elwyn")), '<svg onload="alert(6)">Elwyn', None,
                      "P", "HRV", 45.08, 13.64)],
        events=[Event("V1", "ACCUSE", s("accused"), ["E2"], ["E1"],
                      sentence=s("The port authority accused the mayor of hiding the repair "
                                 "costs."))],
    )


@pytest.fixture(scope="session")
def hostile_article() -> Analysis:
    return _hostile_article()


@pytest.fixture
def followup_article() -> Analysis:
    """A later article where the mining article's minister speaks again beside a namesake from
    another country, and one body accuses another."""
    text = (
        "Marta Quiroga said on Friday that the northern port would reopen. A lawyer in Buenos "
        "Aires, also named Marta Quiroga, said the claim was false. The miners' union accused "
        "the finance ministry of breaking its promise."
    )
    s = partial(_span, text)
    return Analysis(
        article=Article(title="Port to reopen, minister says", published="2024-03-20",
                        site="example.org", language="en", text=text),
        entities=[
            Entity("E1", "Marta Quiroga", "PERSON", "CHL", ["finance minister"],
                   [s("Marta Quiroga")], "GOV", "CHL GOV"),
            Entity("E2", "Marta Quiroga", "PERSON", "ARG", ["lawyer"],
                   [s("Marta Quiroga", nth=1)]),
            Entity("E3", "miners' union", "GROUP", "CHL", mentions=[s("The miners' union")]),
            Entity("E4", "finance ministry", "ORG", "CHL", mentions=[s("the finance ministry")],
                   sector="GOV"),
        ],
        attributions=[
            Attribution("A1", "indirect", s("Marta Quiroga", SourceSpan, entity="E1"), s("said"),
                        s("the northern port would reopen"), time=s("on Friday")),
            Attribution("A2", "indirect", s("Marta Quiroga", SourceSpan, nth=1, entity="E2"),
                        s("said", nth=1), s("the claim was false")),
        ],
        events=[Event("V1", "ACCUSE", s("accused"), ["E3"], ["E4"])],
    )
