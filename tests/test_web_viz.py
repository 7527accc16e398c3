"""The workbench's map and events network in a real browser (Chromium, as test_web_browser).

The store holds the invented articles in examples/ (analysed by the pipeline) and invented
articles built here: one naming many towns close together (labels that would pile up), and a
few in which thirty agents accuse and threaten each other, with "others" and "it" taking part
in the most events of all (non-agents the network must leave out). Writes
docs/screenshots/map.png, network.png (1400 px) and map-400.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from urllib.parse import quote

import pytest

from sayso.model import Analysis, Article, Entity, Event, Place, Span
from sayso.store import open_store
from sayso.web import create_app, views
from test_web_browser import CHROMIUM, SHOTS, _open_page, _serve, browser, examples  # noqa: F401 - browser and examples are fixtures

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="needs Debian's chromium at /usr/bin/chromium")

# Invented towns, a degree or less apart, and two far away: labels that must not overlap.
TOWNS = [("Aldermoor", 51.2, 4.1), ("Brackenfield", 51.5, 4.6), ("Corrow Bay", 50.9, 4.8),
         ("Dunhallow", 51.8, 3.9), ("Esk Vale", 51.1, 5.2), ("Farrowgate", 50.6, 4.3),
         ("Glenmarra", -33.4, 151.0), ("Hollin Reach", 40.1, -74.2)]
AGENTS = [f"{a} {b}" for a in ("North", "South", "East", "West", "Upper", "Lower")
          for b in ("Harbour Board", "Farmers Guild", "Rail Union", "Water Council", "Bank")]
NON_AGENTS = ["others", "it"]


def _towns_article() -> Analysis:
    text = "Storms hit " + ", ".join(name for name, _, _ in TOWNS) + " overnight."
    places = []
    for i, (name, lat, lon) in enumerate(TOWNS):
        start = text.index(name)
        places.append(Place(f"P{i + 1}", start, start + len(name), name, name=name,
                            country="XXA", lat=lat, lon=lon))
    return Analysis(article=Article(id="viz-towns", title="Storms hit the coast",
                                    published="2024-02-01", text=text), places=places)


def _network_article(day: str, offset: int) -> Analysis:
    """Each agent accuses the next; every agent threatens "it" and "others" accuse them all."""
    names = AGENTS + NON_AGENTS
    text = " ".join(f"{n}." for n in names)
    entities = []
    for i, name in enumerate(names):
        start = text.index(f"{name}.")
        entities.append(Entity(f"E{i + 1}", name, "ORG", mentions=[Span(start, start + len(name),
                                                                        name)]))
    anchor = entities[0].mentions[0]
    it, others = entities[-1].id, entities[-2].id
    events = []
    for i, (a, b) in enumerate(pairwise(entities[:len(AGENTS)])):
        if (i + offset) % 3:
            events.append(Event(f"V{len(events) + 1}", "ACCUSE", anchor, [a.id], [b.id]))
        events.append(Event(f"V{len(events) + 1}", "THREATEN", anchor, [a.id], [it]))
        events.append(Event(f"V{len(events) + 1}", "ACCUSE", anchor, [others], [b.id]))
    return Analysis(article=Article(id=f"viz-net-{day}", title=f"Quarrels on {day}",
                                    published=day, text=text), entities=entities, events=events)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory,
           examples: list[Analysis]) -> Iterator[str]:  # noqa: F811 (the imported fixture)
    db = tmp_path_factory.mktemp("viz") / "ledger.db"
    with open_store(db) as store:
        for analysis in [*examples, _towns_article(),
                         *(_network_article(d, i) for i, d in
                           enumerate(["2024-03-01", "2024-04-01", "2024-05-01"]))]:
            store.save(analysis)
    yield from _serve(create_app(str(db)))


@pytest.fixture(params=[1400, 400])
def page(browser, request: pytest.FixtureRequest) -> Iterator:  # noqa: F811
    page = _open_page(browser, request.param)
    page.on("requestfailed", lambda r: page.errors.append(f"failed: {r.url}"))
    yield page
    page.context.close()


def _ready(page, selector: str) -> None:
    page.wait_for_selector(f"{selector}[data-ready='1']:not([data-pending])", timeout=15000)


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth <= "
                         "document.documentElement.clientWidth"), page.url


def _visible_label_boxes(page) -> list[dict]:
    return page.evaluate("""() => { const f = document.querySelector('.map-canvas')
            .getBoundingClientRect();
        return [...document.querySelectorAll('.map-canvas .map-label')]
        .filter(l => !l.classList.contains('hidden') && l.textContent)
        .filter(l => { const r = l.getBoundingClientRect();
                       return r.right > f.left && r.left < f.right && r.bottom > f.top
                           && r.top < f.bottom; })
        .map(l => { const r = l.getBoundingClientRect();
                    return {text: l.textContent, l: r.left, r: r.right, t: r.top,
                            b: r.bottom}; }); }""")


def _labels_inside_map(page) -> bool:
    """Is every label shown that lies on the map wholly within its frame (none cut off at its
    edge)? Labels of markers panned out of view are clipped away whole."""
    return page.evaluate("""() => { const f = document.querySelector('.map-canvas')
            .getBoundingClientRect();
        return [...document.querySelectorAll('.map-canvas .map-label:not(.hidden)')].every(l => {
            const r = l.getBoundingClientRect();
            const inside = r.left >= f.left && r.right <= f.right && r.top >= f.top
                && r.bottom <= f.bottom;
            const outside = r.right <= f.left || r.left >= f.right || r.bottom <= f.top
                || r.top >= f.bottom;
            return inside || outside; }); }""")


def _overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    return [(a["text"], b["text"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]]


def test_corpus_map_draws_outlines_and_readable_clusters(server: str, page) -> None:
    page.goto(f"{server}/map")
    _ready(page, ".map-canvas")
    assert page.locator(".map-canvas path.map-country").count() > 100  # Natural Earth's countries
    pins = page.locator(".map-canvas .map-pin").count()
    assert 0 < pins < len(TOWNS) + 10  # the close towns are clustered at first
    boxes = _visible_label_boxes(page)
    assert boxes and _overlaps(boxes) == [] and _labels_inside_map(page)
    assert any(re.fullmatch(r".+ \+\d+", b["text"]) for b in boxes)  # a cluster names its biggest
    rows = page.locator("table.places-list tr").all_inner_texts()
    assert any("Aldermoor" in r and "Storms hit the coast" in r for r in rows)
    _no_sideways_scroll(page)
    width = page.viewport_size["width"]
    page.screenshot(path=str(SHOTS / ("map.png" if width == 1400 else "map-400.png")))
    zoom = "() => document.querySelector('.map-canvas').map.getZoom()"
    before = page.evaluate(zoom)
    page.locator(".map-pin.cluster .map-dot").first.click()  # zooms in: the cluster opens
    page.wait_for_function("""before => { const c = document.querySelector('.map-canvas');
        return c.map.getZoom() > before && !('pending' in c.dataset); }""",
                           arg=before, timeout=10000)
    assert _overlaps(_visible_label_boxes(page)) == [] and _labels_inside_map(page)
    assert page.errors == []


def test_article_map_shows_its_places(server: str, page) -> None:
    page.goto(f"{server}/articles/viz-towns")
    _ready(page, ".map-canvas")
    assert page.locator(".map-canvas path.map-country").count() > 100
    page.locator(".map-pin.single .map-dot").first.click()
    assert page.locator(".leaflet-popup-content strong").inner_text() in {t for t, _, _ in TOWNS}
    # The rest of the article page is article.html's: here, the map fits the box it is put in.
    assert page.evaluate("""() => { const map = document.querySelector('figure.viz-map');
        return map.getBoundingClientRect().right <= map.parentElement.getBoundingClientRect().right
            && map.scrollWidth <= map.clientWidth; }""")
    assert page.errors == []


EDGES = "() => document.querySelector('.network-canvas').cy.edges().length"


def _nodes(page) -> list[str]:
    _ready(page, ".network-canvas")
    return page.evaluate("() => document.querySelector('.network-canvas').cy.nodes()"
                         ".map(n => n.data('label'))")


def test_network_shows_top_agents_only(server: str, page) -> None:
    page.goto(f"{server}/events")
    nodes = _nodes(page)
    assert len(nodes) == views.VIZ["top"] < len(AGENTS)
    assert not {n.lower() for n in nodes} & set(views.non_agents())
    assert page.locator("figure.viz-network figcaption").inner_text().startswith(
        "Who accuses, asks, rejects, threatens, coerces, sanctions or assaults whom")
    # Labels lie inside the canvas: none is cut off at its edge.
    assert page.evaluate("""() => { const cy = document.querySelector('.network-canvas').cy;
        const w = cy.width(), h = cy.height();
        return cy.nodes().every(n => {
            const b = n.renderedBoundingBox({includeLabels: true});
            return b.x1 >= 0 && b.y1 >= 0 && b.x2 <= w && b.y2 <= h; }); }""")
    _no_sideways_scroll(page)
    if page.viewport_size["width"] == 1400:
        page.screenshot(path=str(SHOTS / "network.png"))
    assert page.errors == []


def test_network_filters_change_it(server: str, page) -> None:
    page.goto(f"{server}/events?top=10")
    assert len(_nodes(page)) == 10
    page.goto(f"{server}/events?type=THREATEN")
    assert page.locator("figure.viz-network figcaption").inner_text().startswith(
        "Who threatens whom")
    assert page.locator("figure.viz-network .empty").count() == 1  # only "it" is threatened
    page.goto(f"{server}/events?since=2024-04-15&top=100")
    _nodes(page)
    one_month = page.evaluate(EDGES)
    page.goto(f"{server}/events?top=100")
    _nodes(page)
    assert 0 < one_month < page.evaluate(EDGES)
    page.goto(f"{server}/events?actor={quote(views.entity_key(AGENTS[3], None))}")
    assert set(_nodes(page)) == {AGENTS[2], AGENTS[3], AGENTS[4]}  # its accusers and accused
    assert page.errors == []


def test_event_list_is_paginated_with_counts(server: str, page) -> None:
    page.goto(f"{server}/events?type=ACCUSE")
    total = int(page.locator("h1 small").inner_text().split()[0])
    size = views.SETTINGS["page_size"]
    assert total > size
    pages = -(-total // size)
    assert page.locator("p.pager").inner_text().startswith(
        f"Events 1–{size} of {total}, page 1 of {pages}")
    assert page.locator("table.events-list tr").count() == size + 1
    page.click("p.pager >> text=older →")
    assert page.locator("p.pager").inner_text().startswith(f"Events {size + 1}–")
    assert "type=ACCUSE" in page.url
    _no_sideways_scroll(page)
    assert page.errors == []


def test_point_map_counts_each_place_once_and_keeps_the_far_ones() -> None:
    from sayso.web import charts

    points = [{"lat": 10.0, "lon": lon, "label": name}
              for name, lon in [("Westpoint", -179.5), ("Eastpoint", 179.5), ("Westpoint", -179.5),
                                ("Nowhere", 181.0)]]
    places = charts.point_map(points)["places"]
    assert [(p["name"], p["mentions"]) for p in places] == [("Westpoint", 2), ("Eastpoint", 1)]
