"""The workbench's JSON API and pages over a store on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import lxml.html
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import sayso.store.core
from sayso.cli import build_parser
from sayso.model import Analysis
from sayso.store import open_store
from sayso.web import create_app
from test_contract import split_quote
from test_store import CONTRACT_2_COLUMNS, saved_before_contract_2

TOTALS_URLS = ["/api/voices", "/api/events", "/api/events?country=CHL&type=ACCUSE",
               "/api/events?modality=reported", f"/api/entities/{quote('Marta Quiroga@CHL')}"]
TOTALS_TABLES = ("statement_subjects", "speaker_totals", "corpus_totals", "event_totals",
                 "edge_totals")
API_PATHS = {"/api/articles", "/api/articles/{article_id}", "/api/voices",
             "/api/entities/{key}", "/api/events", "/api/search"}
ORIGIN = "http://127.0.0.1"
# Migration 0009's tables (the voices of each article), dropped with the totals to go back.
VOICES_TABLES = ("framing", "assertions", "disputes", "statement_custody", "article_voices")
# Migrations 0010-0012 (reprints and claims, identities and stories, runs), latest first.
LATER_TABLES = ("run_shards", "runs", "compared_articles", "stories", "identity_corrections",
                "identity_members", "identity_keys", "identities", "claim_matches",
                "statement_vectors", "reprints", "reprint_pairs", "article_signatures")


def local_client(app: FastAPI, **options: Any) -> TestClient:
    """A client that names the host the workbench is bound to (it refuses any other)."""
    return TestClient(app, base_url=ORIGIN, **options)


@pytest.fixture
def stored(store_url: str, ledger: list[Analysis], followup_article: Analysis,
           hostile_article: Analysis) -> dict[str, Analysis]:
    """The store at `store_url` holding the fixture articles, by short name."""
    articles = {"fishing": ledger[0], "mining": ledger[1], "followup": followup_article,
                "hostile": hostile_article}
    with open_store(store_url) as store:
        for analysis in articles.values():
            store.save(analysis)
    return articles


@pytest.fixture
def client(store_url: str, stored: dict[str, Analysis]) -> Iterator[TestClient]:
    with local_client(create_app(store_url)) as client:
        yield client


def covered_share(analyses: list[Analysis]) -> float:
    """The outlet's share counted character by character, independently of the app's code."""
    covered = total = 0
    for analysis in analyses:
        chars = {i for a in analysis.attributions for s in (a.source, a.cue, a.content) if s
                 for i in range(s.start, s.end)}
        covered += len(chars)
        total += len(analysis.article.text)
    return 1 - covered / total


def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    paths = set(client.get("/openapi.json").json()["paths"])
    assert API_PATHS <= paths
    assert "/api/analyze" not in paths  # read-only by default
    assert client.post("/api/analyze", json={"text": "x"}).status_code in (404, 405)


def test_articles_are_listed_newest_first(client: TestClient,
                                          stored: dict[str, Analysis]) -> None:
    data = client.get("/api/articles").json()
    assert data["total"] == 4
    assert [a["id"] for a in data["articles"]] == [
        stored[k].article.id for k in ("hostile", "fishing", "followup", "mining")]
    assert data["articles"][3]["statements"] == 5
    page = lxml.html.fromstring(client.get("/").text)
    assert page.xpath("//a[text()='Copper exports to rise']/@href") == [
        f"/articles/{stored['mining'].article.id}"]


def test_article_ledger_groups_statements_by_speaker(client: TestClient,
                                                     stored: dict[str, Analysis]) -> None:
    data = client.get(f"/api/articles/{stored['mining'].article.id}").json()
    ledger = data["ledger"]
    assert [s["name"] for s in ledger] == ["Marta Quiroga", "central bank", "miners' union"]
    quiroga = ledger[0]
    assert quiroga["roles"] == ["finance minister"] and quiroga["country"] == "CHL"
    assert [(s["id"], s["kind"], s["cue"]) for s in quiroga["statements"]] == [
        ("A1", "indirect", "said"), ("A2", "direct", "told"), ("A5", "indirect", "promised")]
    assert quiroga["statements"][1]["addressee"] == "reporters"
    assert quiroga["statements"][0]["time"] == "on Tuesday"
    assert quiroga["statements"][2]["parent"] == "A4"
    assert data["events"][0]["actors"][0]["key"] == "Marta Quiroga@CHL"


def test_outlet_voice_is_what_no_statement_covers(client: TestClient,
                                                  stored: dict[str, Analysis]) -> None:
    fishing = stored["fishing"]
    outlet = client.get(f"/api/articles/{fishing.article.id}").json()["outlet"]
    assert [s["text"] for s in outlet["sentences"]] == [
        "The fisheries ministry declined to comment."]
    assert outlet["share"] == pytest.approx(covered_share([fishing]), abs=1e-4)
    mining = client.get(f"/api/articles/{stored['mining'].article.id}").json()["outlet"]
    assert mining["sentences"] == []


def test_article_page_nests_marks_from_offsets(client: TestClient,
                                               stored: dict[str, Analysis]) -> None:
    html = client.get(f"/articles/{stored['mining'].article.id}").text
    page = lxml.html.fromstring(html)
    body = page.get_element_by_id("body")
    assert body.text_content() == stored["mining"].article.text
    inner = body.xpath(".//mark[@id='stmt-A4']/mark[@id='stmt-A5']")
    assert [m.text_content() for m in inner] == ["no mine would close"]
    marks = {m.get("id"): m for m in body.iter("mark")}
    assert set(marks) == {f"stmt-A{i}" for i in range(1, 6)}
    colour = {i: marks[f"stmt-A{i}"].get("class") for i in range(1, 6)}
    assert colour[1] == colour[2] == colour[5] != colour[3] != colour[4]
    jumps = page.xpath("//a[@class='jump']/@data-target")
    assert set(jumps) >= set(marks)
    (places,) = page.xpath("//figure[contains(@class, 'map')]/script[@id='map-places']/text()")
    assert sorted(p["name"] for p in json.loads(places)) == ["Antofagasta", "Chile"]


def test_voices_count_speakers_kinds_and_outlet_share(client: TestClient,
                                                      stored: dict[str, Analysis]) -> None:
    corpus = client.get("/api/voices").json()
    assert corpus["statements"] == 11
    assert corpus["by_kind"] == {"direct": 2, "indirect": 7, "mixed": 1, "according_to": 1}
    top = corpus["by_speaker"][0]
    assert (top["entity_key"], top["counts"]) == ("Marta Quiroga@CHL",
                                                  {"direct": 1, "indirect": 3})
    namesake = next(s for s in corpus["by_speaker"] if s["country"] == "ARG")
    assert namesake["total"] == 1
    assert {g["group"]: g["total"] for g in corpus["by_country"]} == {
        "CHL": 6, "NOR": 2, "ARG": 1, "HRV": 2}
    assert corpus["outlet_share"] == pytest.approx(covered_share(list(stored.values())),
                                                   abs=1e-4)
    one = client.get("/api/voices", params={"article": stored["fishing"].article.id}).json()
    assert one["statements"] == 2 and one["by_kind"]["mixed"] == 1
    assert {s["name"] for s in one["by_speaker"]} == {"Harald Lien", "police"}
    page = lxml.html.fromstring(client.get("/voices").text)
    assert "/entities/Marta Quiroga@CHL" in page.xpath("//svg[@class='bars']//a/@href")


def test_entity_gathers_records_across_articles(client: TestClient,
                                                stored: dict[str, Analysis]) -> None:
    data = client.get(f"/api/entities/{quote('Marta Quiroga@CHL')}").json()
    followup, mining = stored["followup"].article.id, stored["mining"].article.id
    assert [(r["article_id"], r["id"]) for r in data["said"]] == [
        (followup, "A1"), (mining, "A1"), (mining, "A2"), (mining, "A5")]
    assert [(r["article_id"], r["id"], r["speaker"]) for r in data["about"]] == [
        (mining, "A4", "The miners' union")]
    assert [(r["type"], r["role"]) for r in data["events"]] == [("AGREE", "actor")]
    assert data["timeline"]["said"] == {"2024-03-20": 1, "2024-03-14": 3}
    namesake = client.get(f"/api/entities/{quote('Marta Quiroga@ARG')}").json()
    assert [r["content"] for r in namesake["said"]] == ["the claim was false"]
    page = lxml.html.fromstring(client.get(f"/entities/{quote('Marta Quiroga@CHL')}").text)
    assert len(page.xpath("//svg[@class='timeline']//circle")) == 4  # 2 days said, about, event
    assert client.get("/api/entities/Nobody@XYZ").status_code == 404


def test_events_filter_and_network(client: TestClient, stored: dict[str, Analysis]) -> None:
    everything = client.get("/api/events").json()
    assert everything["total"] == 4
    assert everything["choices"]["type"] == ["ACCUSE", "AGREE", "PROTEST"]
    edges = {(e["actor"], e["type"], e["recipient"]) for e in everything["network"]}
    assert ("miners' union", "ACCUSE", "finance ministry") in edges
    assert ("Marta Quiroga", "AGREE", "miners' union") not in edges  # not a network type
    accuse = client.get("/api/events", params={"type": "ACCUSE", "country": "CHL"}).json()
    assert [(e["article_id"], e["anchor"]) for e in accuse["events"]] == [
        (stored["followup"].article.id, "accused")]
    assert client.get("/api/events", params={"country": "NOR"}).json()["events"][0][
        "type"] == "PROTEST"
    reported = client.get("/api/events", params={"modality": "reported"}).json()
    assert [e["type"] for e in reported["events"]] == ["AGREE"]
    assert reported["choices"]["type"] == everything["choices"]["type"]  # choices stay whole
    page = lxml.html.fromstring(client.get("/events").text)
    assert len(page.xpath("//ul[@class='network-nodes']/li")) == 4


def test_totals_of_an_upgraded_store_match_saving_anew(store_url: str,
                                                       stored: dict[str, Analysis],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    with local_client(create_app(store_url)) as client:  # every article saved with its totals
        expected = {url: client.get(url).json() for url in TOTALS_URLS}
    with open_store(store_url) as store:  # start over from a store as migration 0004 left it
        store.conn.execute("DELETE FROM articles")  # cascades to every record table
        store.conn.execute("DROP VIEW statements")  # migration 0007's, over 0006's columns
        for table in (*LATER_TABLES, *TOTALS_TABLES, *VOICES_TABLES):
            store.conn.execute(f"DROP TABLE {table}")
        for column in ("stage", "exception"):  # migration 0012's
            store.conn.execute(f"ALTER TABLE errors DROP COLUMN {column}")
        for index in ("entities_id ON entities (article_id, id)",  # what 0013 dropped
                      "attributions_source ON attributions (article_id, source_entity)",
                      "mentions_entity ON mentions (article_id, entity_id)"):
            store.conn.execute(f"CREATE INDEX {index}")
        store.conn.execute("ALTER TABLE mentions ADD COLUMN text TEXT NOT NULL DEFAULT ''")
        for column in CONTRACT_2_COLUMNS:
            store.conn.execute(f"ALTER TABLE attributions DROP COLUMN {column}")
        store.conn.execute("DELETE FROM schema_version WHERE version > 4")
        with monkeypatch.context() as m:  # saved by a sayso that kept no totals
            saved_before = sayso.store.core.table_rows
            m.setattr(sayso.store.core, "table_rows", saved_before_contract_2(lambda a: (
                (t, rows) for t, rows in saved_before(a) if t != "statement_subjects")))
            m.setattr(sayso.store.core, "total_rows", lambda a: iter(()))
            m.setattr(sayso.store.core, "voice_rows", lambda a: iter(()))
            for name in ("fishing", "mining", "followup"):
                store.save(stored[name])
        assert store._rows("SELECT count(*) AS n FROM articles")[0]["n"] == 3
    with open_store(store_url) as store:  # migration 0005 backfills the three
        store.save(stored["hostile"])  # and saving adds to the backfilled totals
    with local_client(create_app(store_url)) as client:
        got = {url: client.get(url).json() for url in TOTALS_URLS}
    # Articles saved before migration 0009 have no voices to roll up (their analyses had none).
    for totals in (got, expected):
        totals["/api/voices"].pop("one_sided")
    assert got == expected


# Pages and API answers the app keeps per store generation: each shows the follow-up article.
GROWING_URLS = ["/", "/api/articles", "/voices", "/api/voices", "/events", "/events?type=ACCUSE",
                "/api/events", f"/entities/{quote('Marta Quiroga@CHL')}",
                f"/api/entities/{quote('Marta Quiroga@CHL')}"]


def test_kept_pages_are_redrawn_once_the_store_grows(store_url: str, ledger: list[Analysis],
                                                     followup_article: Analysis) -> None:
    with open_store(store_url) as store:
        for analysis in ledger:
            store.save(analysis)
    urls = [*GROWING_URLS, "/map", "/entities/nobody", "/?page=2"]
    with local_client(create_app(store_url)) as client:
        before = {url: client.get(url).text for url in urls}
        with open_store(store_url) as store:  # as `sayso analyze --db` would, meanwhile
            store.save(followup_article)
        after = {url: client.get(url).text for url in urls}
        assert client.get("/entities/nobody").status_code == 404
    with local_client(create_app(store_url)) as fresh:
        assert after == {url: fresh.get(url).text for url in urls}
    assert [url for url in GROWING_URLS if before[url] == after[url]] == []
    assert "Port to reopen" in after["/"] and "Port to reopen" not in before["/"]


def test_split_quote_is_marked_part_by_part(store_url: str) -> None:
    analysis = split_quote()
    with open_store(store_url) as store:
        store.save(analysis)
    with local_client(create_app(store_url)) as client:
        data = client.get(f"/api/articles/{analysis.article.id}").json()
        html = client.get(f"/articles/{analysis.article.id}").text
        said = client.get(f"/api/entities/{quote('Morag Bain@GBR')}").json()["said"]
        [hit] = client.get("/api/search", params={"q": "quay"}).json()["statements"]
    words = '"We will stay on the quay," … "until the company admits that the rota is unsafe."'
    [bain, company] = data["ledger"]
    assert (bain["statements"][0]["content"], bain["statements"][0]["confidence"]) == (words, 0.9)
    assert [(r["content"], r["confidence"]) for r in said] == [(words, 0.9)]
    assert (hit["attribution_id"], hit["confidence"]) == ("A1", 0.9)
    page = lxml.html.fromstring(html)
    body = page.get_element_by_id("body")
    assert body.text_content() == analysis.article.text
    pieces = body.xpath(".//mark[@data-stmt='A1']")
    assert [m.text_content() for m in pieces] == [p.text for p in
                                                  analysis.attributions[0].content.parts]
    assert [m.get("id") for m in pieces] == ["stmt-A1", None]  # one anchor to jump to
    assert "told" not in "".join(m.text_content() for m in pieces)
    nested = pieces[1].xpath("./mark[@id='stmt-A2']")
    assert [m.text_content() for m in nested] == ["that the rota is unsafe"]
    assert "confidence 0.90" in pieces[0].get("title")
    assert page.xpath("//li[contains(@class, 'statement')]//span[@class='conf']/text()") == [
        "0.90", "0.80"]


def test_search_statements_and_articles(client: TestClient, stored: dict[str, Analysis]) -> None:
    data = client.get("/api/search", params={"q": "recovery"}).json()
    assert [(h["article_id"], h["attribution_id"]) for h in data["statements"]] == [
        (stored["mining"].article.id, "A2")]
    assert [h["article_id"] for h in client.get(
        "/api/search", params={"q": "harbour"}).json()["articles"]] == [
        stored["fishing"].article.id]
    page = lxml.html.fromstring(client.get("/search", params={"q": "recovery"}).text)
    assert [ul.xpath(".//b/text()") for ul in page.xpath("//ul[@class='hits']")] == [
        ["recovery"], ["recovery"]]  # the statement, then the article
    assert page.xpath("//ul[@class='hits']//a/@href")[0].endswith("#stmt-A2")


def test_untrusted_text_is_escaped_everywhere(client: TestClient,
                                              stored: dict[str, Analysis]) -> None:
    hostile = stored["hostile"].article.id
    pages = [f"/articles/{hostile}", "/voices", f"/voices?article={hostile}", "/events",
             f"/entities/{quote(stored['hostile'].entities[0].name + '@HRV')}", "/",
             "/search?q=pier"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page = lxml.html.fromstring(response.text)
        scripts = list(page.iter("script"))
        sources = [s.get("src") for s in scripts if s.get("src")]
        assert "/static/app.js" in sources and all(
            src.startswith("/static/") for src in sources), url  # own and vendored code only
        assert all(s.get("type") == "application/json" and "<" not in (s.text or "")
                   for s in scripts if not s.get("src")), url  # inline blocks are data, escaped
        assert not page.xpath("//img | //iframe | //body//svg//svg"), url
        handlers = [a for el in page.iter() if isinstance(el.tag, str)
                    for a in el.attrib if a.startswith("on")]
        assert handlers == [], url
        assert not [h for h in page.xpath("//@href") if h.lower().startswith("javascript")], url
    body = lxml.html.fromstring(client.get(f"/articles/{hostile}").text).get_element_by_id("body")
    assert body.text_content() == stored["hostile"].article.text


def test_unknown_article_is_404(client: TestClient) -> None:
    assert client.get("/api/articles/0000000000000000").status_code == 404
    assert client.get("/articles/0000000000000000").status_code == 404


def test_analysis_endpoint_only_when_allowed(store_url: str, stored: dict[str, Analysis],
                                             ledger: list[Analysis], monkeypatch) -> None:
    fresh = Analysis.from_dict({**ledger[1].to_dict(), "article": {
        **ledger[1].to_dict()["article"], "id": "feedfacefeedface"}})
    seen = []

    def fake_analyze(text: str, url: str | None = None, published: str | None = None):
        seen.append((text, url, published))
        if not text.strip():
            raise ValueError("empty: no text")
        return fresh

    monkeypatch.setattr("sayso.pipeline.analyze", fake_analyze)  # no NLP: this tests the wiring
    with local_client(create_app(store_url, allow_analysis=True)) as client:
        assert "/api/analyze" in client.get("/openapi.json").json()["paths"]
        reply = client.post("/api/analyze", json={"text": "Some article.", "url": "https://x.y"})
        assert reply.json() == {"article_id": "feedfacefeedface", "stored": True,
                                "statements": 5}
        assert seen == [("Some article.", "https://x.y", None)]
        assert client.get("/api/articles/feedfacefeedface").status_code == 200
        [token] = lxml.html.fromstring(client.get("/analyze").text).xpath(
            "//input[@name='csrf']/@value")
        form = client.post("/analyze", data={"text": "Again.", "csrf": token},
                           headers={"Origin": ORIGIN}, follow_redirects=False)
        assert (form.status_code, form.headers["location"]) == (303,
                                                                "/articles/feedfacefeedface")
        assert client.post("/api/analyze", json={"text": " "}).status_code == 422


def test_serve_binds_locally_by_default() -> None:
    args = build_parser().parse_args(["serve", "--db", "x.db"])
    assert (args.host, args.port, args.allow_analysis) == ("127.0.0.1", 8000, False)
