"""The workbench in a real browser: pages load, links work, hostile article text never runs.

Headless Chromium from Debian (/usr/bin/chromium) driven by Playwright; the app runs with
uvicorn in a background thread over a store built here from the invented articles in
examples/ (analysed by the sayso pipeline) and a hand-built article full of script payloads.
Every page is opened at 1400 px and 400 px wide and must neither scroll sideways nor log a
console error. Writes docs/screenshots/article.png, voices.png and their -400 versions. A page
on another origin posting to the workbench (cross-site request forgery) is refused, while its own
paste form works.
"""

from __future__ import annotations

import json
import re
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
from sayso.web.when import readable

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


def _open_page(browser, width: int):
    """A page in a fresh context `width` px wide that records dialogs (alert, confirm) and
    console errors (script errors included)."""
    context = browser.new_context(viewport={"width": width, "height": 1000})
    page = context.new_page()
    page.dialogs, page.errors = [], []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("response", lambda r: r.status >= 400 and page.errors.append(f"{r.status} {r.url}"))
    return page


@pytest.fixture
def page(browser) -> Iterator:
    page = _open_page(browser, 1400)
    yield page
    page.context.close()


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
    captions = page.locator("figure.chart figcaption").all_inner_texts()
    assert {"By outlet", "By month of publication"} <= set(captions)
    assert page.locator("svg.bars").count() == 5
    labels = page.locator("svg.bars a text").all_text_contents()
    assert labels, "speakers link to their entity pages"
    speakers = page.locator("svg.bars").first.locator("text.label").all_text_contents()
    assert "?" not in speakers, "statements with no speaker are a count line, not a bar"
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


@pytest.fixture(scope="module")
def page_urls(server: str, writable: str, browser, examples: list[Analysis]) -> dict[str, str]:
    """Every workbench page, by name; those reached through a list (an entity, a story, an
    identity) are found by following the list's first link."""
    council = _article_with(examples, "Library").article.id
    urls = {"index": f"{server}/", "article": f"{server}/articles/{council}",
            "voices": f"{server}/voices", "one-sided": f"{server}/voices?article={council}",
            "events": f"{server}/events", "map": f"{server}/map",
            "search": f"{server}/search?q=libraries", "stories": f"{server}/stories",
            "identities": f"{server}/identities", "analyze": f"{writable}/analyze"}
    page = _open_page(browser, 1400)
    for name, listed, link in [("entity", "article", "a[href^='/entities/']"),
                               ("story", "stories", "a[href^='/stories/']"),
                               ("identity", "identities", "a[href^='/identities/']")]:
        page.goto(urls[listed])
        href = page.locator(link).first.get_attribute("href")
        assert href, f"no {name} linked from {listed}"
        urls[name] = server + href
    page.context.close()
    return urls


PAGES = ["index", "article", "voices", "one-sided", "entity", "events", "map", "search",
         "stories", "story", "identities", "identity", "analyze"]
SHOT_PAGES = {"article", "voices"}


@pytest.mark.parametrize("width", [1400, 400])
@pytest.mark.parametrize("name", PAGES)
def test_page_fits_the_screen_and_logs_no_error(name: str, width: int, page_urls: dict,
                                                browser) -> None:
    page = _open_page(browser, width)
    try:
        response = page.goto(page_urls[name])
        assert response is not None and response.status == 200, name
        page.wait_for_load_state("networkidle")
        wide = page.evaluate("() => [document.scrollingElement.scrollWidth, innerWidth]")
        if name in SHOT_PAGES:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / (f"{name}.png" if width == 1400
                                              else f"{name}-{width}.png")), full_page=True)
        assert wide[0] <= wide[1], f"{name} scrolls sideways at {width} px: {wide}"
        assert page.errors == [], f"{name} at {width} px: {page.errors}"
    finally:
        page.context.close()


def test_voices_count_each_statement_once(server: str, page, examples: list[Analysis],
                                          hostile_article: Analysis) -> None:
    stored = [*examples, hostile_article]
    page.goto(f"{server}/api/voices")
    data = json.loads(page.inner_text("body"))
    total = sum(len(a.attributions) for a in stored)
    assert data["statements"] == sum(data["by_kind"].values()) == total
    for view in ("by_outlet", "by_month"):
        assert sum(g["total"] for g in data[view]) == total, view
    months = [g["group"] for g in data["by_month"] if g["group"]]
    assert months == sorted(months) and months
    assert data["no_speaker"] == sum(a.source is None for x in stored for a in x.attributions)
    assert all(s["name"] != "?" for s in data["by_speaker"])
    page.goto(f"{server}/voices")
    assert f"{data['no_speaker']} statement" in page.locator("p.apart").inner_text()


def test_article_marks_roles_numbers_times_and_labels(server: str, page,
                                                      examples: list[Analysis]) -> None:
    council = _article_with(examples, "Library")
    page.goto(f"{server}/articles/{council.article.id}")
    body = page.locator("#body")
    assert 0 < body.locator(".m-source").count() <= sum(bool(a.source)
                                                        for a in council.attributions)
    assert 0 < body.locator(".m-cue").count() <= sum(bool(a.cue) for a in council.attributions)
    # source, cue and content differ in line, not colour alone
    looks = page.evaluate("""() => ['.m-source', '.m-cue', 'mark.stmt'].map(sel => {
        const s = getComputedStyle(document.querySelector('#body ' + sel));
        return [s.outlineStyle, s.textDecorationStyle, s.borderBottomStyle].join(' ');
    })""")
    assert len(set(looks)) == 3, looks
    numbers = page.evaluate("""() => [...document.querySelectorAll('#body mark.stmt[id]')]
        .map(m => [m.dataset.n, getComputedStyle(m, '::before').content])""")
    assert numbers and all(content == f'"{n}"' for n, content in numbers)
    swatches = page.locator(".ledger .speaker h3 .swatch").evaluate_all(
        "els => els.map(e => e.dataset.n)")
    assert swatches == [str(i + 1) for i in range(len(swatches))]
    times = page.locator(".facts time").evaluate_all(
        "els => els.map(e => [e.textContent, e.title])")
    assert times and all(words == readable(code) for words, code in times)
    visible = page.locator("main").inner_text()
    for code in {t.value for t in council.times if t.value and readable(t.value) != t.value}:
        assert code not in visible, f"raw time code {code} shown"
    for a in council.attributions:
        assert f" {a.id} " not in f" {visible} ", f"statement id {a.id} used as a label"
    internal = page.locator("main a[href^='#stmt-']").evaluate_all(
        "els => els.map(e => [e.getAttribute('href').slice(1), e.textContent.trim()])")
    assert internal
    for target, label in internal:
        assert page.locator(f"[id='{target}']").count() == 1, target
        assert label and not re.fullmatch(r"[A-Z]\d+", label), f"an id as a label: {label}"
