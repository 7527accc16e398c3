"""The story (compare) and identity pages in Chromium: outlets side by side, claims carried and
left out, copied paragraphs, an identity's statements filtered by outlet, and an analyst's
rename from the page's own form. Writes docs/screenshots/story.png and identity.png."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sayso.compare.stories import story_list
from sayso.store import open_store
from sayso.store.identities import identity_list
from sayso.web import create_app
from test_stories import ELECTION, FLOOD, SHARED, story_article
from test_web_browser import CHROMIUM, CHROMIUM_ARGS, SHOTS, _serve

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")

@pytest.fixture(scope="module")
def workbench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """(base URL, the flood story's id, Jon Tavik's identity id) over an invented store."""
    db = tmp_path_factory.mktemp("compare") / "ledger.db"
    with open_store(db) as store:
        store.save(story_article(FLOOD, [("Mira Halvorsen", "The gates were never inspected."),
                                         ("Jon Tavik", "We have moved four thousand people.")],
                                 "2024-03-04T08:00", "first.example", SHARED))
        store.save(story_article(FLOOD.replace("Monday", "Monday morning"),
                                 [("Jon Tavik", "We have moved four thousand people so far."),
                                  ("Ola Brenn", "The inspection reports were in order."),
                                  ("Jon Tavik", "Rescue boats reached every village.")],
                                 "2024-03-04T15:00", "second.example", SHARED))
        store.save(story_article(ELECTION, [("Petra Lund", "Ferry prices decide this vote.")],
                                 "2024-03-04T10:00", "first.example"))
        story = story_list(store)[0]["id"]
        tavik = next(r["id"] for r in identity_list(store) if r["name"] == "Jon Tavik")
    yield from (
        (url, story, tavik) for url in _serve(create_app(str(db), allow_corrections=True)))


@pytest.fixture(scope="module")
def page() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        browser.close()


def test_story_page_puts_outlets_side_by_side(workbench, page) -> None:
    url, story, _ = workbench
    page.goto(f"{url}/stories")
    page.click("table.stories a >> nth=0")
    assert page.url.endswith(f"/stories/{story}")
    assert page.locator("svg.bars").count() == 2  # one voices chart per outlet
    assert page.locator("table.claims th.outlet").all_inner_texts() == ["first.example",
                                                                       "second.example"]
    rows = {tuple(r.locator("td").all_inner_texts()[:2]): r.locator("td").all_inner_texts()
            for r in page.locator("table.claims tbody tr").all()}
    assert len(rows) == 4, list(rows)
    assert rows["Jon Tavik", "We have moved four thousand people."][-2:] == ["carried",
                                                                            "carried"]
    assert rows["Jon Tavik", "Rescue boats reached every village."][-2:] == ["left out",
                                                                             "carried"]
    assert rows["Mira Halvorsen", "The gates were never inspected."][-2:] == ["carried",
                                                                              "left out"]
    assert page.locator("blockquote.reuse mark").inner_text() == SHARED
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "story.png"), full_page=True)


def test_identity_page_filters_and_renames(workbench, page) -> None:
    url, story, tavik = workbench
    page.goto(f"{url}/stories/{story}")
    page.click("table.claims a:text('Jon Tavik')")
    assert page.url.endswith(f"/identities/{tavik}")
    assert page.locator("table.said tr").count() == 3
    page.select_option("select[name=outlet]", "first.example")
    page.click("form.filters button")
    assert page.locator("table.said tr").count() == 1
    page.goto(f"{url}/identities/{tavik}")
    page.screenshot(path=str(SHOTS / "identity.png"), full_page=True)
    page.fill("form[action$='/rename'] input[name=name]", "Jon Tavik (rescue chief)")
    page.fill("form[action$='/rename'] input[name=who]", "ana")
    with page.expect_navigation():
        page.click("form[action$='/rename'] button")
    assert page.locator("h1").inner_text().startswith("Jon Tavik (rescue chief)")
    assert "ana" in page.locator("section:has(h2:text('Corrections'))").inner_text()
