"""The workbench against hostile use: searches built to be slow, parameters out of range, places
all round the world, other sites' requests (forged posts, rebound host names), and the headers
every answer carries, errors included. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import lxml.html
import pytest
from fastapi.testclient import TestClient

import sayso.store.search
from sayso.model import Analysis
from sayso.store import open_store
from sayso.web import charts, create_app, views
from sayso.web.guard import SECURITY_HEADERS
from sayso.web.search import parse
from test_web_api import ORIGIN, local_client

EVIL = "http://evil.example"
# Stand-ins for a search that takes long: they take two parameters and return
# nothing but run for half a minute unless stopped.
SLOW_SEARCH = {
    "sqlite": "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c "
              "WHERE n < 300000000) SELECT ? AS q, ? AS n FROM c WHERE n < 0",
    "postgresql": "SELECT q, n FROM (SELECT ?::text AS q, ?::int AS n, pg_sleep(30)::text AS z) "
                  "AS slow WHERE z = 'never'",
}


@pytest.fixture
def saved(store_url: str, ledger: list[Analysis]) -> list[Analysis]:
    with open_store(store_url) as store:
        for analysis in ledger:
            store.save(analysis)
    return ledger


@pytest.fixture
def client(store_url: str, saved: list[Analysis]) -> Iterator[TestClient]:
    with local_client(create_app(store_url)) as client:
        yield client


@pytest.fixture
def slow_search(store_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every search statement takes half a minute unless its time limit or a cancel stops it."""
    monkeypatch.setattr(sayso.store.search, "statement",
                        lambda dialect, *_: (SLOW_SEARCH[dialect.name], ("harbour", 0)))


def budget(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    monkeypatch.setitem(views.SETTINGS, "search_seconds", seconds)


def assert_secured(response: Any) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (response.status_code, name)


def test_search_keeps_distinct_words_up_to_the_limit() -> None:
    many = " ".join(f"w{i}" for i in range(30))
    query = parse(f"Said said SAID harbour {'x' * 65} {many} harbour")
    assert query.terms[:3] == ("Said", "harbour", "w0")
    assert len(query.terms) == 16
    assert query.dropped == 2 + 1 + 30 - 16  # distinct words, the over-long one, less those kept
    assert parse("   ... !!").terms == ()


def test_thousand_word_search_is_one_word_and_quick(client: TestClient,
                                                    saved: list[Analysis]) -> None:
    start = time.perf_counter()
    data = client.get("/api/search", params={"q": "recovery " * 1000}).json()
    assert time.perf_counter() - start < 2
    assert (data["terms"], data["dropped"], data["incomplete"]) == (["recovery"], 0, [])
    assert [h["attribution_id"] for h in data["statements"]] == ["A2"]
    many = " ".join(f"word{i}" for i in range(40))
    page = lxml.html.fromstring(client.get("/search", params={"q": many}).text)
    assert "24 more left out" in page.xpath("string(//p[@class='notice'])")


def test_search_out_of_time_says_so(client: TestClient, slow_search: None,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    budget(monkeypatch, 0.3)
    start = time.perf_counter()
    data = client.get("/api/search", params={"q": "harbour"}).json()
    assert time.perf_counter() - start < 2
    assert data["incomplete"] == ["articles", "statements"]
    assert data["articles"] == data["statements"] == []
    page = lxml.html.fromstring(client.get("/search", params={"q": "harbour"}).text)
    assert "ran out of time" in page.xpath("string(//p[@class='notice'])")
    monkeypatch.undo()  # the connection it ran on still searches
    assert client.get("/api/search", params={"q": "harbour"}).json()["articles"]


def test_other_pages_answer_while_a_search_runs(client: TestClient, slow_search: None,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    budget(monkeypatch, 4.0)
    searching = threading.Thread(target=client.get, args=("/search?q=harbour",))
    searching.start()
    time.sleep(0.3)  # the search is running
    for url in ("/api/articles", "/", "/voices", "/events"):
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        assert time.perf_counter() - start < 1, url
    assert searching.is_alive()
    searching.join(timeout=10)


def test_search_stops_when_its_client_leaves(store_url: str, saved: list[Analysis],
                                             slow_search: None,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    budget(monkeypatch, 30.0)
    app = create_app(store_url)
    sent: list[dict] = []

    async def receive() -> dict:
        if not sent and not getattr(receive, "asked", False):
            receive.asked = True  # type: ignore[attr-defined]
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.sleep(0.3)
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": "/api/search", "raw_path": b"/api/search",
             "root_path": "", "query_string": b"q=harbour", "client": ("127.0.0.1", 5000),
             "server": ("127.0.0.1", 8000), "headers": [(b"host", b"127.0.0.1:8000")]}
    with local_client(app):  # runs the app's start-up and shut-down
        start = time.perf_counter()
        asyncio.run(app(scope, receive, send))
        assert time.perf_counter() - start < 5
    assert sent[0]["status"] == 200
    assert b'"incomplete":["articles","statements"]' in sent[1]["body"]


def test_point_map_ignores_coordinates_off_the_earth() -> None:
    assert charts.point_map([{"lat": 91, "lon": 0}, {"lat": float("nan"), "lon": 10},
                             {"lat": 0, "lon": -181}]) is None


def test_article_with_places_far_apart_renders(store_url: str, ledger: list[Analysis]) -> None:
    mining = ledger[1]
    far = [dataclasses.replace(p, lon=lon) for p, lon in zip(mining.places, (-179.0, 179.0),
                                                             strict=True)]
    with open_store(store_url) as store:
        store.save(dataclasses.replace(mining, places=far))
    with local_client(create_app(store_url)) as client:
        response = client.get(f"/articles/{mining.article.id}")
    assert response.status_code == 200
    (places,) = lxml.html.fromstring(response.text).xpath(
        "//figure[contains(@class, 'map')]/script[@id='map-places']/text()")
    assert sorted(p["name"] for p in json.loads(places)) == ["Antofagasta", "Chile"]


@pytest.mark.parametrize("url", ["/?page=99999999999999999999",
                                 "/api/articles?page=9223372036854775808",
                                 "/api/articles?page=1000001", "/?page=0", "/api/articles?page=-3",
                                 "/?page=two", "/?page=1e3"])
def test_page_numbers_out_of_range_are_refused(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 422
    assert_secured(response)


@pytest.mark.parametrize("url", ["/api/entities/%00", "/articles/a%00b", "/events?type=%00",
                                 "/api/voices?article=%00", "/search?q=harbour%00"])
def test_nul_characters_are_refused(client: TestClient, url: str) -> None:
    response = client.get(url)  # PostgreSQL would fail on them: a 500
    assert response.status_code == 400
    assert_secured(response)


def test_pages_past_the_last_are_empty(client: TestClient) -> None:
    assert client.get("/api/articles?page=1000000").json()["articles"] == []


def test_every_answer_carries_the_security_headers(store_url: str, saved: list[Analysis],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: Any) -> None:
        raise RuntimeError("a bug")

    with local_client(create_app(store_url, allow_analysis=True),
                      raise_server_exceptions=False) as client:
        answers = {
            200: client.get("/"), 404: client.get("/articles/0000000000000000"),
            405: client.post("/"), 422: client.get("/?page=0"),
            400: client.get("/", headers={"host": "evil.example"}),
            403: client.post("/api/analyze", json={"text": "x"}, headers={"origin": EVIL}),
        }
        monkeypatch.setattr(views, "article_list", broken)
        answers[500] = client.get("/")
        answers[304] = client.get("/static/app.css", headers={
            "if-none-match": client.get("/static/app.css").headers["etag"]})
    for status, response in answers.items():
        assert response.status_code == status
        assert_secured(response)


@pytest.mark.parametrize("host, status", [
    ("127.0.0.1", 200), ("127.0.0.1:8000", 200), ("localhost:8000", 200), ("[::1]:8000", 200),
    ("LOCALHOST", 200), ("evil.example", 400), ("127.0.0.1.evil.example", 400),
    ("localhost.evil.example:8000", 400), ("[::2]", 400), ("", 400),
])
def test_host_header_must_name_the_bound_address(client: TestClient, host: str,
                                                 status: int) -> None:
    assert client.get("/api/articles", headers={"host": host}).status_code == status


def test_host_the_server_is_bound_to_is_allowed(store_url: str, saved: list[Analysis]) -> None:
    for bound, header in (("192.0.2.7", "192.0.2.7:8000"),
                          ("::ffff:c000:207", "[::ffff:c000:207]")):
        with local_client(create_app(store_url, host=bound)) as client:
            assert client.get("/", headers={"host": header}).status_code == 200
            assert client.get("/", headers={"host": "192.0.2.8"}).status_code == 400


def test_head_answers_like_get(client: TestClient, saved: list[Analysis]) -> None:
    for url in ("/", f"/articles/{saved[0].article.id}", "/api/articles", "/search?q=harbour",
                "/static/app.css"):
        got, head = client.get(url), client.head(url)
        assert head.status_code == 200, url
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
        assert_secured(head)


def test_cross_site_posts_are_refused(store_url: str, saved: list[Analysis],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    analysed: list[str] = []

    def fake_analyze(text: str, url: str | None = None, published: str | None = None) -> Analysis:
        analysed.append(text)
        return saved[1]

    monkeypatch.setattr("sayso.pipeline.analyze", fake_analyze)  # no NLP: this tests the guard
    with local_client(create_app(store_url, allow_analysis=True)) as client:
        form = lxml.html.fromstring(client.get("/analyze").text)
        [token] = form.xpath("//form[@action='/analyze']//input[@name='csrf']/@value")
        post = {"text": "Forged."}
        refused = [
            client.post("/analyze", data=post, headers={"origin": EVIL}),  # what the issue saw
            client.post("/analyze", data={**post, "csrf": token}, headers={"origin": EVIL}),
            client.post("/analyze", data={**post, "csrf": token}, headers={"origin": "null"}),
            client.post("/analyze", data={**post, "csrf": token},
                        headers={"referer": f"{EVIL}/page"}),
            client.post("/analyze", data={**post, "csrf": token},
                        headers={"origin": "http://127.0.0.1:9999"}),  # another local port
            client.post("/analyze", data=post, headers={"origin": ORIGIN}),  # no token
            client.post("/analyze", data={**post, "csrf": token[::-1]},
                        headers={"origin": ORIGIN}),
            client.post("/api/analyze", json=post, headers={"origin": EVIL}),
        ]
        session = client.cookies["sayso_form"]
        client.cookies.clear()
        client.cookies.set("sayso_form", "planted-by-another-page")
        refused.append(client.post("/analyze", data={**post, "csrf": token},
                                   headers={"origin": ORIGIN}))
        assert [r.status_code for r in refused] == [403] * len(refused)
        # a form posted as text/plain cannot pass for the API's JSON
        plain = client.post("/api/analyze", content='{"text": "Forged."}',
                            headers={"content-type": "text/plain"})
        assert plain.status_code == 422
        assert analysed == []
        client.cookies.clear()
        client.cookies.set("sayso_form", session)
        accepted = client.post("/analyze", data={"text": "Mine.", "csrf": token},
                               headers={"origin": ORIGIN}, follow_redirects=False)
        assert accepted.status_code == 303
        assert client.post("/api/analyze", json={"text": "Scripted."}).status_code == 200
    assert analysed == ["Mine.", "Scripted."]
