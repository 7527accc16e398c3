"""The workbench in a real browser: pages load, links work, hostile article text never runs.

Headless Chromium from Debian (/usr/bin/chromium) driven by Playwright; the app runs with
uvicorn in a background thread over a store built here from the invented articles in
examples/ (analysed by the sayso pipeline) and a hand-built article full of script payloads.
Writes docs/screenshots/article.png and voices.png. A page on another origin posting to the
workbench (cross-site request forgery) is refused, while its own paste form works.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi import FastAPI

from sayso.ingest import read_inputs
from sayso.model import Analysis, Document
from sayso.pipeline import analyze_documents
from sayso.store import open_store
from sayso.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
FORGED = "The minister said the bridge would close. Residents said they were not told."
MINE = ("The harbour master said on Monday that the north quay would reopen in May. "
        "Fishers told reporters they had lost a season of work.")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="needs Debian's chromium at /usr/bin/chromium "
                                       "(apt-get install chromium chromium-driver)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def examples() -> list[Analysis]:
    """The invented example articles, analysed by the real pipeline."""
    docs = [d for d in read_inputs([str(ROOT / "examples")]) if isinstance(d, Document)]
    return list(analyze_documents(docs))


def _serve(app: FastAPI) -> Iterator[str]:
    """Runs `app` with uvicorn on a free loopback port; yields its base URL."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, examples: list[Analysis],
           hostile_article: Analysis) -> Iterator[str]:
    db = tmp_path_factory.mktemp("web") / "ledger.db"
    with open_store(db) as store:
        for analysis in [*examples, hostile_article]:
            store.save(analysis)
    yield from _serve(create_app(str(db)))


@pytest.fixture(scope="module")
def writable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A workbench that takes pasted articles (--allow-analysis), over an empty store."""
    yield from _serve(create_app(str(tmp_path_factory.mktemp("writable") / "ledger.db"),
                                 allow_analysis=True))


@pytest.fixture(scope="module")
def other_site(writable: str) -> Iterator[str]:
    """Another origin (localhost, another port) whose page holds a form posting to the
    workbench, as a page the analyst happens to open would."""
    form = (f'<!doctype html><title>other site</title><form method="post" '
            f'action="{writable}/analyze"><input name="text" value="{FORGED}">'
            '<input name="csrf" value="guessed"><button type="submit">Win</button></form>')

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            body = form.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    site = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{site.server_address[1]}"
    site.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh page that records dialogs (alert, confirm) and script errors."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


def _article_with(examples: list[Analysis], word: str) -> Analysis:
    return next(a for a in examples if word in (a.article.title or ""))


def test_article_page_shows_ledger_and_jumps_to_statements(server: str, page,
                                                           examples: list[Analysis]) -> None:
    council = _article_with(examples, "Library")
    page.goto(f"{server}/articles/{council.article.id}")
    marks = page.locator("#body mark.stmt")
    assert marks.count() == len(council.attributions) > 5
    speakers = page.locator(".ledger .speaker h3").all_inner_texts()
    assert any("Whitfield" in s for s in speakers)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "article.png"))
    first = council.attributions[-1]
    page.click(f".ledger a.jump[data-target='stmt-{first.id}']")
    target = page.locator(f"#stmt-{first.id}")
    page.wait_for_function(
        "id => document.getElementById(id).classList.contains('flash')", arg=f"stmt-{first.id}")
    assert target.is_visible()
    assert page.evaluate("() => location.hash") == f"#stmt-{first.id}"


def test_voices_page_and_links(server: str, page) -> None:
    page.goto(f"{server}/voices")
    assert page.locator("svg.bars").count() == 3
    labels = page.locator("svg.bars a text").all_text_contents()
    assert labels, "speakers link to their entity pages"
    page.screenshot(path=str(SHOTS / "voices.png"), full_page=True)
    page.locator("svg.bars a").first.click()
    page.wait_for_load_state()
    assert "/entities/" in page.url
    assert page.locator("h1").inner_text().startswith(labels[0].split(" (")[0])
    assert page.locator("section table tr").count() > 0


def test_every_page_loads_and_navigation_works(server: str, page) -> None:
    page.goto(server)
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 5
    page.click("text=Peru and Bolivia trade accusations as lake levels fall")
    assert page.locator(".ledger .statement").count() > 5
    page.click("header nav >> text=Events")
    assert page.locator("table.list tr").count() > 5
    page.select_option("select[name=type]", "ACCUSE")
    page.click("text=Filter")
    types = page.locator("table.list tr td:nth-child(2)").all_inner_texts()
    assert types and set(types) == {"ACCUSE"}
    page.fill("header input[name=q]", "libraries")
    page.press("header input[name=q]", "Enter")
    assert "/search?q=libraries" in page.url
    assert page.locator("ul.hits li a").count() > 0


def test_hostile_article_runs_no_script(server: str, page, hostile_article: Analysis) -> None:
    hostile = hostile_article
    mayor = quote(f"{hostile.entities[0].name}@HRV")
    for url in [f"/articles/{hostile.article.id}", f"/voices?article={hostile.article.id}",
                "/voices", "/events", f"/entities/{mayor}", "/", "/search?q=pier"]:
        page.goto(server + url)
        page.wait_for_load_state("load")
        for el in page.locator("a, mark, text").all()[:200]:
            el.dispatch_event("mouseover")
        assert page.evaluate("() => window.__pwned") is None, url
        assert page.title().endswith("sayso workbench"), url
        assert page.dialogs == [], url
    page.goto(f"{server}/articles/{hostile.article.id}")
    assert page.locator("#body").inner_text() == hostile.article.text
    assert page.locator("h1").first.inner_text() == hostile.article.title


def _stored(page, workbench: str) -> int:
    page.goto(f"{workbench}/api/articles")
    return json.loads(page.inner_text("body"))["total"]


def test_cross_site_post_is_refused(writable: str, other_site: str, page) -> None:
    before = _stored(page, writable)
    page.goto(other_site)
    with page.expect_response(f"{writable}/analyze") as posted:
        page.click("text=Win")
    assert posted.value.status == 403
    page.goto(other_site)
    opaque = page.evaluate(  # a script there can send what no form can: it gets no further
        """url => fetch(url, {method: "POST", mode: "no-cors", body: JSON.stringify({text: "x"}),
                               headers: {"Content-Type": "text/plain"}}).then(r => r.type)""",
        f"{writable}/api/analyze")
    assert opaque == "opaque"
    assert _stored(page, writable) == before


def test_own_paste_form_is_accepted(writable: str, page) -> None:
    before = _stored(page, writable)
    page.goto(f"{writable}/analyze")
    page.fill("textarea[name=text]", MINE)
    with page.expect_navigation():
        page.click("text=Analyse and store")
    assert "/articles/" in page.url
    assert page.locator("#body").inner_text() == MINE
    assert _stored(page, writable) == before + 1
