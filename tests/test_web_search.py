"""The workbench's search on SQLite and PostgreSQL: one query syntax meaning the same on both
(phrases, OR, NOT, prefixes, hostile input), counts and pages, "said by" as well as "mentions",
filters, permalinks and CSV downloads. Every expectation is written once and checked on both
back ends, so a hit found on one only fails on the other."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import lxml.html
import pytest
from fastapi.testclient import TestClient

from sayso.model import Analysis, Article, Attribution, ContentSpan, Entity, SourceSpan, Span
from sayso.store import open_store
from sayso.store.query import parse, to_fts5, to_tsquery
from sayso.web import create_app, search
from test_web_api import local_client
from test_web_browser import CHROMIUM, _serve, browser  # noqa: F401 - a fixture used below

BULK = 45  # statements of the paging article: three pages of 20
# (source as written, entity id or None, kind, what was said), per article.
HARBOUR = [("Dana Whitlock", "E1", "direct", "The harbour strike will end when the ballot closes"),
           ("She", "E1", "indirect", "port workers deserve a fair wage"),
           ("He", None, "indirect", "the union never called a strike ballot"),
           ("A spokesman", None, "according_to", "ferries would run on Sunday"),
           ("Dana Whitlock", "E1", "indirect", "=1+1 was the tally the clerks showed")]
MINING = [("Ravi Okonkwo", "E1", "direct", "copper prices hurt the harbour towns"),
          ("Whitlock", "E2", "indirect", "ballots should be counted twice"),
          ("Okonkwo", "E1", "mixed", "harbouring doubts about the strike is natural")]


def _analysis(title: str, site: str, published: str, entities: list[Entity],
              statements: list[tuple[str, str | None, str, str]]) -> Analysis:
    """An article made of `source said: "content".` sentences, with spans counted here."""
    text, attributions = "", []
    for n, (source, entity, kind, content) in enumerate(statements, 1):
        start = len(text)
        cue = start + len(source) + 1
        body = cue + len("said: \"")
        text += f'{source} said: "{content}." '
        attributions.append(Attribution(
            f"A{n}", kind, SourceSpan(start, start + len(source), source, entity=entity),
            Span(cue, cue + 4, "said"), ContentSpan(body, body + len(content), content)))
    return Analysis(article=Article(title=title, site=site, published=published, text=text),
                    entities=entities, attributions=attributions)


def corpus() -> dict[str, Analysis]:
    whitlock = Entity("E1", "Dana Whitlock", "PERSON", "NZL")
    okonkwo = Entity("E1", "Ravi Okonkwo", "PERSON", "NGA")
    return {
        "harbour": _analysis("Harbour strike", "coast.example", "2024-05-02", [whitlock],
                             HARBOUR),
        "mining": _analysis("Copper towns", "inland.example", "2024-06-10T08:00:00+00:00",
                            [okonkwo, Entity("E2", "Dana Whitlock", "PERSON", "NZL")], MINING),
        "bulk": _analysis("Tariff talks", "bulk.example", "2024-07-01", [okonkwo],
                          [("Okonkwo", "E1", "indirect", f"tariff round {n} went nowhere")
                           for n in range(BULK)]),
    }


@pytest.fixture
def stored(store_url: str) -> dict[str, Analysis]:
    articles = corpus()
    with open_store(store_url) as store:
        for analysis in articles.values():
            store.save(analysis)
    return articles


@pytest.fixture
def client(store_url: str, stored: dict[str, Analysis]) -> Iterator[TestClient]:
    with local_client(create_app(store_url)) as client:
        yield client


def statements(client: TestClient, **params: str) -> set[tuple[str, str]]:
    """(article title, statement id) of every statement hit (one page is enough here)."""
    data = client.get("/api/search", params=params).json()
    return {(h["title"], h["attribution_id"]) for h in data["statements"]}


def H(*ids: str) -> set[tuple[str, str]]:  # noqa: N802 - reads as a set of harbour statements
    return {("Harbour strike", i) for i in ids}


def M(*ids: str) -> set[tuple[str, str]]:  # noqa: N802
    return {("Copper towns", i) for i in ids}


@pytest.mark.parametrize("q, expected", [
    ("strike", H("A1", "A3") | M("A3")),
    ("strike ballot", H("A1", "A3")),  # every word, anywhere
    ('"strike ballot"', H("A3")),  # a phrase: next to each other
    ('"The harbour strike"', H("A1")),  # a stop word at a phrase's edge is dropped on both
    ("ferries OR copper", H("A4") | M("A1")),
    ("strike -ballot", M("A3")),
    ("strike NOT ballot", M("A3")),
    ('strike NOT "strike ballot"', H("A1") | M("A3")),
    ("harb*", H("A1") | M("A1", "A3")),
    ("harbour", H("A1") | M("A1", "A3")),  # stemmed: harbouring
    ("ballot", H("A1", "A3") | M("A2")),  # stemmed: ballots
    ("copper OR strike -harbour", M("A1") | H("A3")),  # OR binds loosest
    ("the OR ferries", H("A4")),  # stop words are ignored on both, even in OR
    ("-ferries", H("A4")),  # exclusions alone degrade to words to find
    ('"strike (', H("A1", "A3") | M("A3")),  # unbalanced quote: plain words
    ("strike AND OR NOT", H("A1", "A3") | M("A3")),  # lone operators: dropped
    ("^strike {strike} strike: (strike", H("A1", "A3") | M("A3")),  # FTS5 syntax: words
    ("NEAR(strike, ballot)", set()),  # no operator: the word "near" is in no statement
    ("strike* \"'", H("A1", "A3") | M("A3")),
    ("OR", set()), ("NOT", set()), ("-", set()), ("***", set()), ('""', set()), ("the", set()),
])
def test_one_syntax_same_hits_on_both_back_ends(client: TestClient, q: str,
                                                expected: set) -> None:
    response = client.get("/api/search", params={"q": q})
    assert response.status_code == 200
    assert statements(client, q=q) == expected
    assert client.get("/search", params={"q": q}).status_code == 200


def test_query_translations() -> None:
    parsed = parse('"strike ballot" OR port* -union NOT "fair wage" by:"Dana Whitlock"')
    assert parsed.speaker == "Dana Whitlock"
    assert to_fts5(parsed.groups) == ('("strike ballot") OR ((("port"*) NOT "union") '
                                      'NOT "fair wage")')
    assert to_tsquery(parsed.groups) == ("(('strike' <-> 'ballot')) | "
                                         "(('port':*) & !('union') & !('fair' <-> 'wage'))")
    for hostile in ['"', '""""', 'a"b"c', "NOT NOT", "OR -", "*", "by:", ":" * 50, "\u00e9t\u00e9*",
                    "x" * 5000, "'; DROP TABLE articles; --", "a\\b"]:
        for group in parse(hostile, 16, 64).groups:  # never raises; words only reach the SQL
            assert all(w.isalnum() for t in group.include + group.exclude for w in t.words)


def test_counts_and_pages(client: TestClient) -> None:
    first = client.get("/api/search", params={"q": "tariff"}).json()
    assert first["totals"]["statements"] == BULK
    assert first["pages"]["statements"] == {"page": 1, "pages": 3}
    assert first["totals"]["articles"] == 1
    pages = [client.get("/api/search", params={"q": "tariff", "statements_page": p}).json()
             for p in (1, 2, 3, 4)]
    seen = [h["attribution_id"] for p in pages for h in p["statements"]]
    assert [len(p["statements"]) for p in pages] == [20, 20, 5, 0]
    assert sorted(seen) == sorted(f"A{n}" for n in range(1, BULK + 1))  # none twice, none lost
    page = lxml.html.fromstring(client.get("/search", params={"q": "tariff",
                                                              "statements_page": 2}).text)
    assert page.xpath("string(//section[1]//small[@class='total'])") == str(BULK)
    assert page.xpath("//a[@rel='next']/@href") == ["/search?q=tariff&statements_page=3"]
    assert page.xpath("//a[@rel='prev']/@href") == ["/search?q=tariff"]
    assert "page 2 of 3" in page.xpath("string(//nav[@class='pager'])")
    assert client.get("/api/search", params={"q": "tariff", "statements_page": 0}).status_code \
        == 422


def test_said_by_is_apart_from_mentions(client: TestClient) -> None:
    # "Whitlock" is in no statement's words, but she said four of them (one as "She").
    mentions = client.get("/api/search", params={"q": "Whitlock"}).json()
    assert mentions["statements"] == []
    assert [(s["name"], s["statements"]) for s in mentions["speakers"]] == [("Dana Whitlock", 4)]
    said = H("A1", "A2", "A5") | M("A2")
    assert statements(client, q="by:Whitlock") == said
    assert statements(client, q='by:"dana whit"') == said  # name words, by their start
    assert statements(client, speaker="Whitlock") == said
    assert statements(client, q="by:Whitlock ballot") == H("A1") | M("A2")
    assert statements(client, q="by:Nobody") == set()
    hits = client.get("/api/search", params={"q": "wage OR union"}).json()["statements"]
    by_id = {h["attribution_id"]: h for h in hits}
    assert (by_id["A2"]["speaker"], by_id["A2"]["source_text"]) == ("Dana Whitlock", "She")
    assert by_id["A3"]["speaker"] is None  # "He": unresolved, and said to be
    page = lxml.html.fromstring(client.get("/search", params={"q": "wage OR union"}).text)
    shown = [li.xpath("string(.//*[contains(@class, 'speaker')])")
             for li in page.xpath("(//ul[@class='hits'])[1]/li")]
    assert sorted(shown) == ["Dana Whitlock", "unresolved (“He”)"]


def test_filters(client: TestClient) -> None:
    assert statements(client, q="strike", outlet="inland.example") == M("A3")
    assert statements(client, q="strike", kind="direct") == H("A1")
    assert statements(client, q="strike", until="2024-05-31") == H("A1", "A3")
    assert statements(client, q="strike", since="2024-06-10") == M("A3")  # both ends included
    assert statements(client, q="strike", since="2024-06-11") == set()
    assert statements(client, kind="mixed") == M("A3")  # a filter alone lists statements
    data = client.get("/api/search", params={"q": "harbour", "outlet": "coast.example"}).json()
    assert [a["title"] for a in data["articles"]] == ["Harbour strike"]
    assert data["outlets"] == ["bulk.example", "coast.example", "inland.example"]
    for bad in ({"since": "June"}, {"until": "2024-13"}, {"kind": "rumour"}):
        assert client.get("/api/search", params={"q": "strike", **bad}).status_code == 422


def test_permalink_holds_the_whole_search(client: TestClient) -> None:
    params = {"q": "tariff", "outlet": "bulk.example", "kind": "indirect",
              "since": "2024-01-01", "statements_page": "2"}
    data = client.get("/api/search", params=params).json()
    again = client.get(data["permalink"].replace("/search", "/api/search", 1)).json()
    assert again == data
    page = lxml.html.fromstring(client.get(data["permalink"]).text)
    assert page.xpath("//a[@rel='bookmark']/@href") == [data["permalink"]]
    assert page.xpath("//select[@name='kind']/option[@selected]/@value") == ["indirect"]


def test_csv_downloads_whole_lists(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "CSV_CHUNK", 7)  # several chunks, the last one short
    response = client.get("/search.csv", params={"q": "tariff", "statements_page": "3"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "sayso-statements.csv" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == BULK  # every hit, whatever page the search was on
    assert {r["speaker"] for r in rows} == {"Ravi Okonkwo"}
    assert rows[0].keys() == set(search.CSV_COLUMNS["statements"])
    [tally] = csv.DictReader(io.StringIO(client.get("/search.csv", params={"q": "tally"}).text))
    assert tally["content"] == "'=1+1 was the tally the clerks showed"  # no formula
    articles = list(csv.DictReader(io.StringIO(
        client.get("/search.csv", params={"q": "harbour", "section": "articles"}).text)))
    assert sorted(r["title"] for r in articles) == ["Copper towns", "Harbour strike"]
    speakers = list(csv.DictReader(io.StringIO(
        client.get("/search.csv", params={"q": "okonkwo", "section": "speakers"}).text)))
    assert [(r["name"], r["statements"]) for r in speakers] == [("Ravi Okonkwo", str(BULK + 2))]
    page = lxml.html.fromstring(client.get("/search", params={"q": "okonkwo"}).text)
    links = page.xpath("//a[@class='csv']/@href")
    assert links == [f"/search.csv?q=okonkwo&section={s}"
                     for s in ("speakers", "statements", "articles")]
    assert client.get("/search.csv", params={"section": "entities"}).status_code == 422


@pytest.fixture
def served(tmp_path) -> Iterator[str]:
    db = tmp_path / "ledger.db"
    with open_store(db) as store:
        for analysis in corpus().values():
            store.save(analysis)
    yield from _serve(create_app(str(db)))


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
@pytest.mark.parametrize("width", [1400, 400])
def test_search_page_in_a_browser(served: str, browser, width: int) -> None:  # noqa: F811
    """The form, the counts and the pager work in Chromium, with no script error and, at
    400 px, no sideways scroll."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400
            and not r.url.endswith("/favicon.ico") else None)
    page.goto(f"{served}/search")
    page.fill("form.search-form input[name=q]", "tariff OR strike")
    page.select_option("select[name=kind]", "indirect")
    page.click("form.search-form button[type=submit]")
    page.wait_for_url(lambda url: "q=tariff+OR+strike" in url)
    assert page.locator("section small.total").first.inner_text() == str(BULK + 1)  # and "He"
    page.click("a[rel=next]")
    assert "statements_page=2" in page.url
    assert "page 2 of 3" in page.locator("nav.pager").first.inner_text()
    # The page's own content (the shared header is base.html's) stays within the window.
    right = page.evaluate("Math.max(...[...document.querySelectorAll('main *')]"
                          ".map(e => e.getBoundingClientRect().right))")
    assert right <= width, f"the search page is {right} px wide at {width} px"
    assert errors == []
    context.close()
