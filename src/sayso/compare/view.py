"""The compare view: a story's outlets side by side (whom each quoted and how much, which claims
each carries and which it leaves out, who carried a claim first, the paragraphs they share),
and the `sayso entities|stories|compare` commands that print it and the identities.

Claim matches and reprints come from the tables `sayso.compare.claims` and `.reprints` fill,
when the store has them; without them claims are grouped here by speaker identity and word
overlap, and only paragraphs copied word for word count as reuse.
"""


import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from typing import Annotated, Any

from sayso.compare.identities import norm
from sayso.compare.stories import story_articles, story_list
from sayso.store.identities import link_pending, outlet
from sayso.store.records import Row

# Two statements of one speaker are one claim when this share of their words is shared
# (fallback only, when the store holds no claim matches).
SAME_CLAIM_OVERLAP = 0.5
MIN_PARAGRAPH_CHARS = 80


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", norm(text)) if len(w) > 2}


def _statements(store: Any, article_ids: list[str]) -> list[Row]:
    marks = ", ".join("?" * len(article_ids))
    return store._rows(
        "SELECT s.article_id, s.seq, s.id, s.kind, s.source_text, s.content_text AS content, "
        "s.data, m.identity_id, i.name AS speaker FROM attributions s "
        "LEFT JOIN identity_members m ON m.article_id = s.article_id "
        "AND m.entity_id = s.source_entity LEFT JOIN identities i ON i.id = m.identity_id "
        f"WHERE s.article_id IN ({marks}) ORDER BY s.article_id, s.seq", tuple(article_ids))


def _optional(store: Any, query: str, params: tuple) -> list[Row] | None:
    """Rows of a table another stage fills, or None when this store has no such table."""
    try:
        return store._rows(query, params)
    except store.dialect.error:
        return None


def _claims(statements: list[Row], published: dict[str, str]) -> list[list[Row]]:
    """Statements grouped into claims: one speaker, most words in common; each claim's
    statements in order of publication."""
    claims: list[tuple[str, set[str], list[Row]]] = []
    for s in sorted(statements, key=lambda r: (published.get(r["article_id"]) or "", r["seq"])):
        speaker = s["identity_id"] or f"?{norm(s['source_text'] or '')}"
        words = _words(s["content"])
        for who, seen, members in claims:
            if who == speaker and words and len(words & seen) / len(words | seen) \
                    >= SAME_CLAIM_OVERLAP:
                members.append(s)
                seen |= words
                break
        else:
            claims.append((speaker, words, [s]))
    return [members for _, _, members in claims]


def _matched_claims(store: Any, statements: list[Row], published: dict[str, str]
                    ) -> tuple[list[list[Row]], list[dict] | None]:
    """Claims from the store's claim matches (`same` and `copy` pool statements, `contradicts`
    gives the counter-claims) when it holds any for these statements; else the fallback
    grouping, with counter-claims None (not known) unless claim matching saw these articles."""
    ids = sorted({s["article_id"] for s in statements})
    marks = ", ".join("?" * len(ids))
    rows = _optional(store, "SELECT article_id, seq, other_article_id, other_seq, relation "
                            f"FROM claim_matches WHERE article_id IN ({marks})", tuple(ids))
    if not rows:
        seen = _optional(store, "SELECT count(*) AS n FROM statement_vectors "
                                f"WHERE article_id IN ({marks})", tuple(ids))
        return _claims(statements, published), ([] if seen and seen[0]["n"] else None)
    key = {(s["article_id"], s["seq"]): s for s in statements}
    parent = {k: k for k in key}

    def root(k: tuple) -> tuple:
        while parent[k] != k:
            k = parent[k]
        return k

    counters = []
    for r in rows:
        a, b = (r["article_id"], r["seq"]), (r["other_article_id"], r["other_seq"])
        if a not in key or b not in key:
            continue
        if r["relation"] != "contradicts":
            parent[root(a)] = root(b)
        elif a < b:  # each pair is stored both ways
            counters.append({"claim": key[a]["content"], "by": key[a]["speaker"],
                             "counter": key[b]["content"], "counter_by": key[b]["speaker"],
                             "articles": [a[0], b[0]]})
    groups: dict[tuple, list[Row]] = defaultdict(list)
    for k, s in key.items():
        groups[root(k)].append(s)

    def order(s: Row) -> tuple:
        return published.get(s["article_id"]) or "", s["seq"]

    return sorted((sorted(g, key=order) for g in groups.values()),
                  key=lambda g: order(g[0])), counters


def _shared_paragraphs(store: Any, article_ids: list[str]) -> list[dict]:
    """Paragraphs that appear in more than one of the articles: from the reprint tables when
    the store has them, else word for word."""
    rows = _optional(store, "SELECT article_id, origin_id, kind FROM reprints "
                            f"WHERE article_id IN ({', '.join('?' * len(article_ids))})",
                     tuple(article_ids))
    if rows:
        return [{"text": None, "articles": [r["origin_id"], r["article_id"]],
                 "kind": f"reprint ({r['kind']})"} for r in rows]
    seen: dict[str, list[str]] = defaultdict(list)
    first: dict[str, str] = {}
    for a in store._rows(f"SELECT id, text FROM articles WHERE id IN "
                         f"({', '.join('?' * len(article_ids))})", tuple(article_ids)):
        for paragraph in re.split(r"\n\s*\n|\n", a["text"]):
            if len(paragraph.strip()) >= MIN_PARAGRAPH_CHARS:
                key = " ".join(norm(paragraph).split())
                first.setdefault(key, paragraph.strip())
                if a["id"] not in seen[key]:
                    seen[key].append(a["id"])
    return [{"text": first[k], "articles": ids, "kind": "verbatim"}
            for k, ids in seen.items() if len(ids) > 1]


def compare_data(store: Any, story: str) -> dict | None:
    """Everything the compare view shows for one story; None when there is no such story."""
    articles = story_articles(store, story)
    if not articles:
        return None
    for a in articles:
        a["outlet"] = outlet(a)
    ids = [a["id"] for a in articles]
    published = {a["id"]: a["published"] for a in articles}
    by_article = {a["id"]: a for a in articles}
    outlets = sorted({a["outlet"] for a in articles},
                     key=lambda o: min(published[a["id"]] or "" for a in articles
                                       if a["outlet"] == o))
    statements = _statements(store, ids)
    claims, counters = _matched_claims(store, statements, published)
    voices: dict[str, dict[str, Counter]] = {o: defaultdict(Counter) for o in outlets}
    for s in statements:
        who = s["speaker"] or s["source_text"] or "(unattributed)"
        voices[by_article[s["article_id"]]["outlet"]][who][s["kind"]] += 1
    claim_rows = []
    for members in claims:
        first = members[0]
        carried = sorted({by_article[m["article_id"]]["outlet"] for m in members})
        claim_rows.append({
            "speaker": first["speaker"] or first["source_text"], "identity": first["identity_id"],
            "content": first["content"], "first_article": first["article_id"],
            "first_outlet": by_article[first["article_id"]]["outlet"],
            "first_published": published[first["article_id"]], "outlets": carried,
            "left_out": [o for o in outlets if o not in carried], "statements": len(members)})
    return {
        "story": story, "articles": articles, "outlets": outlets,
        "voices": {o: sorted(({"speaker": w, "counts": dict(c), "total": c.total()}
                              for w, c in v.items()), key=lambda r: (-r["total"], r["speaker"]))
                   for o, v in voices.items()},
        "claims": claim_rows,
        "counter_claims": counters,
        "shared_paragraphs": _shared_paragraphs(store, ids),
    }


# Commands.

def _open(args: argparse.Namespace) -> Any:
    from sayso.store import open_store

    store = open_store(args.db, create=args.create)
    link_pending(store)  # a store saved before identities existed is linked once, here
    return store


def _print_table(rows: list[list[Any]], header: list[str]) -> None:
    cells = [header] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [min(60, max(len(r[i]) for r in cells)) for i in range(len(header))]
    for r in cells:
        print("  ".join(c[:w].ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


def cmd_entities(args: argparse.Namespace) -> int:
    from sayso.store import identities as ids

    with _open(args) as store:
        action = getattr(args, "action", None)
        try:
            if action == "merge":
                ids.merge(store, args.target, args.sources, who=args.who)
            elif action == "rename":
                ids.rename(store, args.identity, args.name, who=args.who)
            elif action == "split":
                new = ids.split(store, args.identity, args.names, args.as_name, who=args.who)
                print(new)
            elif action == "rebuild":
                print(f"relinked {ids.rebuild(store)} articles", flush=True)
            elif action == "corrections":
                for c in ids.corrections(store):
                    print(json.dumps(c, ensure_ascii=False))
        except (LookupError, ValueError) as err:
            print(f"sayso: {err}", file=sys.stderr)
            return 1
        if action in (None, "merge", "rename"):
            rows = [r for r in ids.identity_list(store, kind=args.kind)
                    if r["statements"] >= args.min_statements][:args.limit]
            if args.json:
                print(json.dumps(rows, ensure_ascii=False, indent=1))
            else:
                _print_table([[r["id"], r["name"], r["kind"], r["country"], r["statements"],
                               r["articles"], "; ".join(r["aliases"][:6])] for r in rows],
                             ["ID", "NAME", "KIND", "COUNTRY", "STATEMENTS", "ARTICLES",
                              "WRITTEN AS"])
    return 0


def cmd_stories(args: argparse.Namespace) -> int:
    with _open(args) as store:
        rows = story_list(store, args.min_articles, args.limit)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        _print_table([[r["id"], r["articles"], (r["first_published"] or "")[:10],
                       (r["last_published"] or "")[:10], r["title"]] for r in rows],
                     ["STORY", "ARTICLES", "FIRST", "LAST", "TITLE"])
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    with _open(args) as store:
        data = compare_data(store, args.story)
    if data is None:
        print(f"sayso: no story {args.story!r} (see `sayso stories`)", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
        return 0
    print_compare(data)
    return 0


def print_compare(data: dict) -> None:
    """The compare view as text tables."""
    print(f"story {data['story']}: {len(data['articles'])} articles, "
          f"{len(data['outlets'])} outlets\n")
    _print_table([[(a["published"] or "")[:16], a["outlet"], a["id"][:12], a["title"]]
                  for a in data["articles"]], ["PUBLISHED", "OUTLET", "ARTICLE", "TITLE"])
    print("\nWhom each outlet quoted")
    _print_table([[o, v["speaker"], v["total"], ", ".join(f"{k} {n}" for k, n in
                                                           sorted(v["counts"].items()))]
                  for o, vs in data["voices"].items() for v in vs],
                 ["OUTLET", "SPEAKER", "STATEMENTS", "BY KIND"])
    print("\nClaims: who carried them first, who left them out")
    _print_table([[c["speaker"], c["content"][:60], f"{c['first_outlet']} "
                   f"{(c['first_published'] or '')[:10]}", ", ".join(c["outlets"]),
                   ", ".join(c["left_out"])] for c in data["claims"]],
                 ["SPEAKER", "CLAIM", "FIRST", "CARRIED BY", "LEFT OUT BY"])
    counters = data["counter_claims"]
    print("\nCounter-claims: " + ("none found" if counters == [] else
                                  "no claim matches in this store" if counters is None else ""))
    for c in counters or []:
        print(f"  {c['by']}: {c['claim'][:70]}\n    vs {c['counter_by']}: {c['counter'][:70]}")
    print(f"\nShared paragraphs: {len(data['shared_paragraphs'])}")
    for p in data["shared_paragraphs"]:
        print(f"  [{p['kind']}] {', '.join(a[:12] for a in p['articles'])}: "
              f"{(p['text'] or '')[:80]}")


def add_commands(sub: Any, common: Any) -> None:
    """`sayso entities`, `sayso stories` and `sayso compare` on the command line's parser;
    `common(store_help)` gives the options every ledger command shares."""
    store = "the store: a SQLite file or a postgresql:// URL"
    e = sub.add_parser("entities", parents=[common(store)], help="identities across the store, "
                       "and analysts' corrections (merge, split, rename)",
                       description="List the identities (one per person or body across "
                       "articles) with their statements, or correct them.")
    _listing(e)
    actions = e.add_subparsers(dest="action", metavar="ACTION")
    m = actions.add_parser("merge", help="merge identities into the first one")
    m.add_argument("target", help="the identity to keep")
    m.add_argument("sources", nargs="+", help="identities to merge into it")
    r = actions.add_parser("rename", help="show an identity under another name")
    r.add_argument("identity")
    r.add_argument("name")
    s = actions.add_parser("split", help="move the members written with some names into a new "
                           "identity")
    s.add_argument("identity")
    s.add_argument("names", nargs="+", help="the written names to move")
    s.add_argument("--as", dest="as_name", help="the new identity's name (default: the first "
                   "name moved)")
    actions.add_parser("rebuild", help="link every article again, then replay the corrections")
    actions.add_parser("corrections", help="print the corrections log, one JSON line each")
    for p in (m, r, s):
        p.add_argument("--who", help="who makes the correction (default: the user's login)")
    for p in actions.choices.values():
        # also after the action, without undoing one given before it
        p.add_argument("--db", default=argparse.SUPPRESS, help=store)
        p.add_argument("--create", action="store_true", default=argparse.SUPPRESS,
                       help=argparse.SUPPRESS)
    e.set_defaults(func=cmd_entities)

    st = sub.add_parser("stories", parents=[common(store)], help="articles grouped into "
                        "stories", description="List the stories: articles about the same "
                        "events and participants, published close together.")
    st.add_argument("--min-articles", type=int, default=1, metavar="N",
                    help="only stories of at least N articles")
    st.add_argument("--limit", type=int, metavar="N", help="at most N stories")
    st.add_argument("--json", action="store_true", help="print JSON")
    st.set_defaults(func=cmd_stories)

    c = sub.add_parser("compare", parents=[common(store)], help="one story, outlet by outlet",
                       description="Compare how each outlet told one story: whom it quoted, "
                       "which claims it carried or left out, who was first, what was copied.")
    c.add_argument("story", help="a story id (see `sayso stories`)")
    c.add_argument("--json", action="store_true", help="print JSON")
    c.set_defaults(func=cmd_compare)


def _listing(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kind", choices=["person", "body", "generic"], help="only this kind")
    p.add_argument("--min-statements", type=int, default=0, metavar="N",
                   help="only identities with at least N statements")
    p.add_argument("--limit", type=int, metavar="N", help="at most N identities")
    p.add_argument("--json", action="store_true", help="print JSON")



# Workbench pages: stories, the compare view, identities (with analysts' corrections).

def voice_charts(data: dict, kinds: list[str]) -> dict[str, dict]:
    """A stacked-bar chart of whom each outlet quoted, by statement kind."""
    from sayso.web import charts

    return {o: charts.stacked_bars([(v["speaker"], v["counts"], None) for v in vs[:15]], kinds)
            for o, vs in data["voices"].items()}


def identity_page(store: Any, ident: str, filters: dict[str, str]) -> dict | None:
    """An identity, everything it said across the store (filtered), and the outlets it was
    quoted by (the filter's choices)."""
    from sayso.store import identities as ids

    found = ids.identity(store, ident)
    if found is None:
        return None
    every = ids.identity_statements(store, ident)
    said = ids.identity_statements(store, ident, filters.get("outlet") or None,
                                   filters.get("since") or None, filters.get("until") or None)
    return {"identity": found, "said": said, "filters": filters,
            "outlets": sorted(Counter(r["outlet"] for r in every).items(),
                              key=lambda o: (-o[1], o[0])),
            "corrections": [c for c in ids.corrections(store)
                            if ident in {c["detail"]["target"]["id"],
                                         (c["detail"].get("source") or {}).get("id")}]}


def add_pages(app: Any, read: Any, render: Any, found: Any, kinds: list[str],
              allow_corrections: bool) -> None:
    """The stories, story (compare), identities and identity pages, and their API; with
    `allow_corrections` also the forms that merge, rename and split identities, which need the
    page's signed token (`FormTokens`) as the paste form does, and name who made them."""
    from fastapi import Form, HTTPException, Request
    from fastapi.responses import HTMLResponse, RedirectResponse

    from sayso.store import identities as ids
    from sayso.web.guard import FORM_COOKIE, FormTokens

    tokens = FormTokens()

    def linked(fn: Any, *args: Any) -> Any:
        return read(lambda store, *a: (link_pending(store), fn(store, *a))[1], *args)

    @app.get("/api/stories", tags=["api"])
    def api_stories(min_articles: int = 1) -> list:
        """Stories: articles about the same events and participants, largest first."""
        return linked(story_list, min_articles)

    @app.get("/api/stories/{story}", tags=["api"])
    def api_story(story: str) -> dict:
        """One story outlet by outlet: voices, claims carried and left out, reuse."""
        return found(linked(compare_data, story), "story")

    @app.get("/api/identities", tags=["api"])
    def api_identities(kind: str | None = None, limit: int = 200) -> list:
        """Identities across the store with their statements and written names."""
        return linked(ids.identity_list, limit, kind)

    @app.get("/api/identities/{ident}", tags=["api"])
    def api_identity(ident: str, outlet: str = "", since: str = "", until: str = "") -> dict:
        """One identity and what it said, by outlet and date."""
        return found(linked(identity_page, ident, {"outlet": outlet, "since": since,
                                                   "until": until}), "identity")

    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request, min_articles: int = 1) -> HTMLResponse:
        return render(request, "stories.html", stories=linked(story_list, min_articles),
                      min_articles=min_articles)

    @app.get("/stories/{story}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story: str) -> HTMLResponse:
        data = found(linked(compare_data, story), "story")
        return render(request, "story.html", data=data, charts=voice_charts(data, kinds))

    @app.get("/identities", response_class=HTMLResponse, include_in_schema=False)
    def identities_page(request: Request, kind: str = "person") -> HTMLResponse:
        return render(request, "identities.html", kind=kind,
                      rows=linked(ids.identity_list, 300, kind or None))

    @app.get("/identities/{ident}", response_class=HTMLResponse, include_in_schema=False)
    def identity_view(request: Request, ident: str, outlet: str = "", since: str = "",
                      until: str = "") -> HTMLResponse:
        data = found(linked(identity_page, ident, {"outlet": outlet, "since": since,
                                                   "until": until}), "identity")
        session, token = tokens.issue(request) if allow_corrections else ("", "")
        response = render(request, "identity.html", data=data, csrf=token,
                          allow_corrections=allow_corrections)
        if allow_corrections:
            response.set_cookie(FORM_COOKIE, session, httponly=True, samesite="strict")
        return response

    if not allow_corrections:
        return

    def correct(request: Request, csrf: str, fn: Any, *args: Any) -> None:
        if not tokens.valid(request, csrf):
            raise HTTPException(403, "the form's token is missing or stale: reload the page")
        try:
            read(fn, *args)
        except (LookupError, ValueError) as err:
            raise HTTPException(422, str(err)) from err

    @app.post("/identities/{ident}/merge", include_in_schema=False)
    def merge_form(request: Request, ident: str, other: str = Form(...), who: str = Form(""),
                   csrf: str = Form("")) -> RedirectResponse:
        correct(request, csrf, ids.merge, ident, [other.strip()], who.strip() or None)
        return RedirectResponse(f"/identities/{ident}", status_code=303)

    @app.post("/identities/{ident}/rename", include_in_schema=False)
    def rename_form(request: Request, ident: str, name: str = Form(...), who: str = Form(""),
                    csrf: str = Form("")) -> RedirectResponse:
        correct(request, csrf, ids.rename, ident, name, who.strip() or None)
        return RedirectResponse(f"/identities/{ident}", status_code=303)

    @app.post("/identities/{ident}/split", include_in_schema=False)
    def split_form(request: Request, ident: str, written: Annotated[list[str], Form()],
                   name: str = Form(""), who: str = Form(""),
                   csrf: str = Form("")) -> RedirectResponse:
        correct(request, csrf, ids.split, ident, written, name.strip() or None,
                who.strip() or None)
        return RedirectResponse(f"/identities/{ident}", status_code=303)
