"""The analyst's workbench: server-rendered pages and a JSON API over one sayso store.

Read-only unless created with `allow_analysis`. Article text is untrusted: templates autoescape,
the body's highlight markup is built from escaped segments, and a Content-Security-Policy
allows only this app's own static script and styles. Other sites are untrusted too: requests
must name the bound host, and state-changing ones come from the workbench's own pages
(`sayso.web.guard`). Search is bounded and runs apart from the other pages (`sayso.web.search`).
"""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

import jinja2
from fastapi import Depends, FastAPI, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from pydantic import BaseModel
from starlette.middleware.trustedhost import TrustedHostMiddleware

from sayso.store import Store, open_store
from sayso.web import charts, views
from sayso.web.guard import FORM_COOKIE, FormTokens, SameOrigin, Secured, allowed_hosts
from sayso.web.markup import highlighted_body, sentencizer
from sayso.web.search import Page, Searcher, search_params
from sayso.web.search import Params as SearchParams
from sayso.web.search import Section as SearchSection

HERE = Path(__file__).parent
Top = Annotated[int, Query(ge=1, le=max(views.VIZ["top_choices"]))]  # the network's agents
SAFE_SCHEMES = ("http://", "https://")
AGGREGATES_KEPT = 256


class AnalyzeRequest(BaseModel):
    text: str
    url: str | None = None
    published: str | None = None


def safe_url(url: str | None) -> str | None:
    """Only web links are rendered as links: no `javascript:` or `data:` from article metadata."""
    return url if url and url.lower().startswith(SAFE_SCHEMES) else None


def snippet(text: str | None) -> Markup:
    """A search snippet with its [matched words] in bold, escaped first."""
    return Markup(re.sub(r"\[([^\[\]]*)\]", r"<b>\1</b>", str(escape(text or ""))))


def confidence(value: float | None) -> Markup:
    """A statement's confidence as a small badge; nothing when its engine gave none."""
    if value is None:
        return Markup("")
    return Markup('<span class="conf" title="confidence that this is a statement with these '
                  'spans">{}</span>').format(f"{value:.2f}")


def _templates(allow_analysis: bool) -> Jinja2Templates:
    # auto_reload off: the templates compiled at start-up (`_warm_up`) are used as they are,
    # with no check of each file's time on every page (three or four per page).
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    env.filters.update(safe_url=safe_url, snippet=snippet, confidence=confidence)
    env.globals.update(entity_key=views.entity_key, kinds=views.KINDS,
                       allow_analysis=allow_analysis, settings=views.SETTINGS)
    return Jinja2Templates(env=env)


def create_app(db: str, allow_analysis: bool = False, host: str = "127.0.0.1",
               allow_corrections: bool = False) -> FastAPI:
    """The workbench over the store at `db` (a SQLite path or a postgresql:// URL), answering
    to loopback names and to `host`, the address the server is bound to; analysts may correct
    identities from it with `allow_corrections`."""
    store = open_store(db)
    lock = threading.RLock()  # one connection, used by one request at a time
    searcher = Searcher(store)  # its own connections: a search never waits on `lock`
    aggregates: dict[tuple[str, str], tuple[int, Any]] = {}
    templates = _templates(allow_analysis)
    _warm_up(templates)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> Iterator[None]:
        yield
        searcher.close()
        store.close()

    app = FastAPI(title="sayso workbench", docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="On whose say-so? The stored ledger of attributed statements.")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # Outermost last: security headers on everything, then the Host check, then the origin one.
    app.add_middleware(SameOrigin)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(host),
                       www_redirect=False)
    app.add_middleware(Secured)

    def read(fn: Callable[..., Any], *args: Any) -> Any:
        with lock:
            return fn(store, *args)

    def kept(key: tuple, build: Callable[[], Any]) -> Any:
        """What `build()` gives, kept until the store grows (it never shrinks: no deletes, and
        a stored article never changes), so browsing costs one count query once the first
        visit computed it."""
        with lock:
            size = store.count_articles()
            if key not in aggregates or aggregates[key][0] != size:
                if len(aggregates) >= AGGREGATES_KEPT:
                    aggregates.pop(next(iter(aggregates)))
                aggregates[key] = (size, build())
            return aggregates[key][1]

    def aggregate(fn: Callable[..., Any], *args: Any) -> Any:
        """A corpus-wide aggregate, kept (`kept`)."""
        return kept((fn.__name__, repr(args)), lambda: fn(store, *args))

    def render(request: Request, name: str, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context)

    def kept_page(request: Request, name: str, what: str, context: Callable[[Any], dict],
                  fn: Callable[..., Any], *args: Any) -> HTMLResponse:
        """A page drawn from one aggregate `fn(store, *args)` (404 when it is None), its HTML
        kept with it: charts and template are drawn once per store generation, not per visit
        (no template reads the request)."""
        def build() -> bytes | None:
            data = aggregate(fn, *args)  # the lock is re-entrant
            return None if data is None else render(request, name, **context(data)).body

        return HTMLResponse(found(kept((name, fn.__name__, repr(args)), build), what))

    def found(value: Any, what: str) -> Any:
        if value is None:
            raise HTTPException(404, f"no such {what}")
        return value

    # JSON API: each page's data, as the page renders it.

    @app.get("/api/articles", tags=["api"])
    def api_articles(page: Page = 1) -> dict:
        """Stored articles, newest first, a page at a time."""
        return aggregate(views.article_list, page)

    @app.get("/api/articles/{article_id}", tags=["api"])
    def api_article(article_id: str) -> dict:
        """One article's analysis with its ledger, outlet's own voice, events and voices."""
        return found(read(views.article_data, article_id), "article")[1]

    @app.get("/api/voices", tags=["api"])
    def api_voices(article: str | None = None) -> dict:
        """Who gets to speak, by speaker, country, sector and kind: corpus-wide or one article."""
        return voices(article)[1]

    @app.get("/api/entities/{key:path}", tags=["api"])
    def api_entity(key: str) -> dict:
        """What a person, body or country (`name@ISO3`) said, was said about and did."""
        return found(aggregate(views.entity_data, key), "entity")

    @app.get("/api/events", tags=["api"])
    def api_events(filters: Annotated[dict, Depends(views.event_filters)], page: Page = 1,
                   top: Top = views.VIZ["top"]) -> dict:
        """Events by type, actor country, modality, actor (an entity key) and publication day
        (`since`, `until`: YYYY-MM-DD), a page at a time; the network of the `top` agents."""
        return aggregate(views.events_data, filters, page, top)

    @app.get("/api/map", tags=["api"])
    def api_map() -> dict:
        """Places with coordinates across the store, with their counts and newest articles."""
        return aggregate(views.map_data)

    @app.get("/api/search", tags=["api"])
    async def api_search(request: Request,
                         params: Annotated[SearchParams, Depends(search_params)]) -> dict:
        """Full-text search over article bodies and statement contents, in one syntax on both
        back ends: words (all must occur), "phrases", OR, NOT or -word, prefix*, and by:name
        (said by a speaker with that name). `totals` counts each target's hits, `pages` its
        pages (of `page_size`; `statements_page`, `articles_page` choose one); `speakers` are
        the resolved speakers the words may name. Only the first `max_terms` distinct words are
        searched for (`terms`; `dropped` counts the rest), within a time budget (`incomplete`
        names the targets that ran out of it; their totals are null)."""
        return await searcher.search(request, params)

    @app.get("/api/statements/{article_id}/{seq}/matches", tags=["api"])
    def api_statement_matches(article_id: str, seq: int) -> dict:
        """Statements of other articles carrying the same claim, contradicting it, or copying
        it in a reprint (relation same | contradicts | copy), best first."""
        from sayso.store.compare import statement_matches

        return {"article_id": article_id, "seq": seq,
                "matches": read(statement_matches, article_id, seq)}

    @app.get("/api/reprints/{article_id}", tags=["api"])
    def api_reprints(article_id: str) -> dict:
        """The article's origin (earliest published) and copies, with what each copy changed."""
        from sayso.store.compare import reprint_info

        return read(reprint_info, article_id)

    def voices(article: str | None) -> tuple[str | None, dict]:
        """(the article's title, its voices), or the corpus's voices under no title; one turn
        of the lock, as every page takes: under load each turn is a wait in line."""
        if not article:
            return None, aggregate(views.voices_data)
        return found(read(views.article_voices, article), "article")

    # HTML pages.

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request, page: Page = 1) -> HTMLResponse:
        return kept_page(request, "index.html", "page", lambda data: {"data": data},
                         views.article_list, page)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article(request: Request, article_id: str) -> HTMLResponse:
        analysis, data = found(read(views.article_data, article_id), "article")
        body = highlighted_body(analysis, views.speaker_names(analysis), views.speaker_style)
        places = [{"lat": p["lat"], "lon": p["lon"], "label": p["name"] or p["text"]}
                  for p in data["analysis"]["places"]]
        return render(request, "article.html", data=data, body=body,
                    map=charts.point_map(places), voices=_voice_charts(data["voices"]))

    @app.get("/voices", response_class=HTMLResponse, include_in_schema=False)
    def voices_page(request: Request, article: str | None = None) -> HTMLResponse:
        if not article:
            return kept_page(request, "voices.html", "page", lambda data: {
                "data": data, "charts": _voice_charts(data), "article_title": None},
                views.voices_data)
        title, data = voices(article)
        return render(request, "voices.html", data=data, charts=_voice_charts(data),
                      article_title=title)

    @app.get("/entities/{key:path}", response_class=HTMLResponse, include_in_schema=False)
    def entity(request: Request, key: str) -> HTMLResponse:
        return kept_page(request, "entity.html", "entity", lambda data: {
            "data": data, "timeline": charts.timeline(
                {"said": data["timeline"]["said"], "said about": data["timeline"]["about"],
                 "events": data["timeline"]["events"]})}, views.entity_data, key)

    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    def events(request: Request, filters: Annotated[dict, Depends(views.event_filters)],
               page: Page = 1, top: Top = views.VIZ["top"]) -> HTMLResponse:
        return kept_page(request, "events.html", "page", lambda data: {
            "data": data, "timeline": charts.timeline(data["timeline"])},
            views.events_data, filters, page, top)

    @app.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def corpus_map(request: Request) -> HTMLResponse:
        return kept_page(request, "map.html", "page", lambda data: {
            "data": data, "map": charts.corpus_map(data)}, views.map_data)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    async def search(request: Request,
                     params: Annotated[SearchParams, Depends(search_params)]) -> HTMLResponse:
        return render(request, "search.html", data=await searcher.search(request, params),
                      params=params)

    @app.get("/search.csv", tags=["api"])
    def search_csv(params: Annotated[SearchParams, Depends(search_params)],
                   section: SearchSection = "statements") -> StreamingResponse:
        """A search's whole list (`section`: statements, articles or speakers) as CSV,
        streamed; the same parameters as /api/search, pages aside."""
        return StreamingResponse(searcher.csv(params, section), media_type="text/csv",
                                 headers={"Content-Disposition":
                                          f'attachment; filename="sayso-{section}.csv"'})

    from sayso.compare.view import add_pages  # stories, compare view, identities

    add_pages(app, read, render, found, views.KINDS, allow_corrections)
    if allow_analysis:
        _add_analysis(app, store, lock, templates)
    return app


def _warm_up(templates: Jinja2Templates) -> None:
    """Pay the one-off costs at start-up rather than on a first visit: compiling every
    template, loading the sentence splitter the article page needs, and freezing what is loaded
    (spaCy, the app) out of the garbage collector's way, so that a full collection during a
    request scans only what requests allocate (60 ms saved on a 5,000-article store)."""
    for name in templates.env.list_templates():
        templates.env.get_template(name)
    sentencizer()
    gc.collect()  # frees garbage first: frozen objects are never collected
    gc.freeze()


def _voice_charts(data: dict) -> dict:
    """Stacked bars (by kind) for the speaker, country and sector counts of `voices_data`."""
    def href(key: str | None) -> str | None:
        return f"/entities/{key}" if key else None

    return {
        "speakers": charts.stacked_bars(
            [(f"{s['name']} ({s['country']})" if s["country"] else s["name"], s["counts"],
              href(s["entity_key"])) for s in data["by_speaker"]], views.KINDS),
        "countries": charts.stacked_bars(
            [(g["group"] or "(unknown)", g["counts"], None) for g in data["by_country"]],
            views.KINDS),
        "sectors": charts.stacked_bars(
            [(g["group"] or "(none)", g["counts"], None) for g in data["by_sector"]], views.KINDS),
        **{what: charts.stacked_bars([(g["group"] or "(unknown)", g["counts"], None)
                                      for g in data[f"by_{what}"]], views.KINDS)
           for what in ("outlet", "month") if f"by_{what}" in data},
    }


def _add_analysis(app: FastAPI, store: Store, lock: threading.RLock,
                  templates: Jinja2Templates) -> None:
    """POST /api/analyze and the paste form: analyse text or HTML and store the result. Both are
    refused from other origins (`SameOrigin`); the form also needs its token, since a form is
    what another site can make a browser post (the API takes JSON only, which no cross-site
    form can send)."""
    from sayso.pipeline import analyze

    tokens = FormTokens()

    def run(req: AnalyzeRequest) -> dict:
        try:
            analysis = analyze(req.text, url=req.url or None, published=req.published or None)
        except ValueError as err:
            raise HTTPException(422, str(err)) from err
        with lock:
            stored = store.save(analysis)
        return {"article_id": analysis.article.id, "stored": stored,
                "statements": len(analysis.attributions)}

    @app.post("/api/analyze", tags=["api"])
    def api_analyze(req: AnalyzeRequest) -> dict:
        """Analyse pasted article text or HTML and store it (only with --allow-analysis)."""
        return run(req)

    @app.get("/analyze", response_class=HTMLResponse, include_in_schema=False)
    def analyze_form(request: Request) -> HTMLResponse:
        session, token = tokens.issue(request)
        response = templates.TemplateResponse(request, "analyze.html", {"csrf": token})
        response.set_cookie(FORM_COOKIE, session, httponly=True, samesite="strict")
        return response

    @app.post("/analyze", include_in_schema=False)
    def analyze_submit(request: Request, text: str = Form(...), url: str = Form(""),
                       published: str = Form(""), csrf: str = Form("")) -> RedirectResponse:
        if not tokens.valid(request, csrf):
            raise HTTPException(403, "the form's token is missing or stale: reload the form")
        result = run(AnalyzeRequest(text=text, url=url, published=published))
        return RedirectResponse(f"/articles/{result['article_id']}", status_code=303)
