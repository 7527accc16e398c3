"""What each workbench page shows, as plain JSON-ready dicts: the API returns them as they are,
the HTML pages render them (adding only markup and chart geometry)."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources
from typing import Any

from sayso.model import Analysis, Attribution
from sayso.nlp.entities import actors
from sayso.render import spoken_words
from sayso.store import Store
from sayso.web.markup import outlet_voice, speaker_key
from sayso.web.when import readable

SETTINGS: dict[str, Any] = json.loads(
    resources.files(__package__).joinpath("settings.json").read_text(encoding="utf-8"))
KINDS: list[str] = SETTINGS["kinds"]
COUNTRY_CODE = re.compile(r"[A-Z]{3}")
LABEL_WORDS = 6  # a statement's first words in its label: enough to recognise it in the text
PATTERNS = 3  # line patterns app.css defines (.pt0 to .pt2), times the palette's colours


def entity_key(name: str, country: str | None) -> str:
    """How an entity is named across articles (and in URLs): its name, @ its country if known."""
    return f"{name}@{country}" if country else name


def parse_entity_key(key: str) -> tuple[str, str | None]:
    name, at, country = key.rpartition("@")
    return (name, country) if at and COUNTRY_CODE.fullmatch(country) else (key, None)


def article_list(store: Store, page: int) -> dict:
    size = SETTINGS["page_size"]
    total = store.count_articles()
    return {"page": page, "pages": max(1, -(-total // size)), "total": total,
            "articles": store.list_articles(limit=size, offset=(page - 1) * size)}


def _span(span: Any) -> str | None:
    return span.text if span else None


def speaker_names(analysis: Analysis) -> dict[str, str]:
    """Each speaker key (see `speaker_key`) with the name the ledger shows."""
    entities = {e.id: e for e in analysis.entities}
    names = {}
    for a in analysis.attributions:
        entity = entities.get(a.source.entity) if a.source and a.source.entity else None
        names[speaker_key(a)] = entity.name if entity else (a.source.text if a.source else "?")
    return names


def statement_labels(analysis: Analysis) -> dict[str, str]:
    """Each statement's id with how a reader recognises it: its speaker and first words (ids
    like "A3" are shown nowhere, so they cannot be labels)."""
    names = speaker_names(analysis)
    words = LABEL_WORDS
    labels = {}
    for a in analysis.attributions:
        said = spoken_words(a.content.text, [p.text for p in a.content.parts]).split()
        first = " ".join(said[:words]) + ("…" if len(said) > words else "")
        labels[a.id] = f"{names[speaker_key(a)]}: “{first}”"
    return labels


def _statement(a: Attribution, labels: dict[str, str]) -> dict:
    """A ledger line; `content` is what was said (a split quote's parts, without its cue);
    `parent_label` names the statement it is nested in."""
    return {"id": a.id, "kind": a.kind, "parent": a.parent,
            "parent_label": labels.get(a.parent) if a.parent else None, "cue": _span(a.cue),
            "content": spoken_words(a.content.text, [p.text for p in a.content.parts]),
            "addressee": _span(a.addressee), "medium": _span(a.medium), "time": _span(a.time),
            "confidence": a.confidence}


def _spoken(row: dict) -> dict:
    """A stored statement row with its JSON `parts` read into its `content`, as `_statement`."""
    parts = [p["text"] for p in json.loads(row.pop("parts"))]
    return {**row, "content": spoken_words(row["content"], parts)}


def ledger(analysis: Analysis) -> list[dict]:
    """Speakers in order of first statement, each with role, country and statements."""
    entities = {e.id: e for e in analysis.entities}
    names = speaker_names(analysis)
    labels = statement_labels(analysis)
    speakers: dict[str, dict] = {}
    for a in analysis.attributions:
        key = speaker_key(a)
        if key not in speakers:
            entity = entities.get(a.source.entity) if a.source and a.source.entity else None
            speakers[key] = {
                "key": key, "name": names[key], "n": len(speakers) + 1,
                "style": speaker_style(len(speakers)),
                "type": entity.type if entity else None,
                "roles": entity.roles if entity else [],
                "country": entity.country if entity else None,
                "sector": entity.sector if entity else None,
                "entity_key": entity_key(entity.name, entity.country) if entity else None,
                "statements": [],
            }
        speakers[key]["statements"].append(_statement(a, labels))
    return list(speakers.values())


def speaker_style(slot: int) -> str:
    """CSS classes telling the `slot`th speaker apart: a colour of the palette and, once the
    colours are used up, a line pattern (the number shown with each mark tells any two apart)."""
    colours = SETTINGS["palette_size"]
    return f"sp{slot % colours} pt{slot // colours % PATTERNS}"


def _time(t: dict) -> dict:
    """A time as the page shows it: `label` in words, `value` the normalised code for hover."""
    return {**t, "label": readable(t.get("value")) or "unresolved: " + (t.get("reason") or "?")}


def _named(ids: list[str], names: dict[str, dict]) -> list[dict]:
    return [{"name": names[i]["name"], "country": names[i]["country"],
             "key": entity_key(names[i]["name"], names[i]["country"])} for i in ids if i in names]


def article_data(store: Store, article_id: str) -> tuple[Analysis, dict] | None:
    """The analysis and the article page's data: ledger, outlet's voice, facts, voices."""
    analysis = store.load(article_id)
    if analysis is None:
        return None
    names = {e.id: {"name": e.name, "country": e.country} for e in analysis.entities}
    labels = statement_labels(analysis)
    events = [{"id": e.id, "type": e.type, "anchor": e.anchor.text, "modality": e.modality,
               "mode": e.mode, "actors": _named(e.actors, names),
               "recipients": _named(e.recipients, names), "reported_by": e.reported_by,
               "reported_by_label": labels.get(e.reported_by) if e.reported_by else None}
              for e in analysis.events]
    stored = analysis.to_dict()
    return analysis, {
        "analysis": stored,
        "times": [_time(t) for t in stored["times"]],
        "published": readable((analysis.article.published or "")[:10]),
        "ledger": ledger(analysis),
        "outlet": outlet_voice(analysis),
        "events": events,
        "voices": voices_data(store, analysis),
    }


def _rollup(rows: list[dict], key: Any) -> list[dict]:
    """Statement counts per kind, grouped by `key(row)`, largest group first."""
    groups: dict[Any, Counter] = defaultdict(Counter)
    for row in rows:
        groups[key(row)][row["kind"]] += row["statements"]
    ranked = sorted(groups.items(), key=lambda g: (-g[1].total(), str(g[0])))
    return [{"group": g, "counts": dict(c), "total": c.total()} for g, c in ranked]


def voices_data(store: Store, analysis: Analysis | None = None) -> dict:
    """Who gets to speak, in one article or (without one) the whole corpus."""
    rows = store.speaker_counts(analysis.article.id if analysis else None)
    if analysis is not None:
        share = outlet_voice(analysis)["share"]
    else:
        totals = store.attributed_share()
        share = 1 - totals["attributed"] / totals["chars"] if totals["chars"] else 0.0
    found = [r for r in rows if r["name"]]
    speakers = _rollup(found, lambda r: (r["name"], r["country"], r["type"] is not None))
    return {
        "scope": analysis.article.id if analysis else "corpus",
        "statements": sum(r["statements"] for r in rows),
        "outlet_share": round(share, 4),
        "by_kind": {k: sum(r["statements"] for r in rows if r["kind"] == k) for k in KINDS},
        "by_speaker": [{"name": name, "country": country, "counts": g["counts"],
                        "total": g["total"],
                        "entity_key": entity_key(name, country) if resolved else None}
                       for g in speakers[:SETTINGS["top_speakers"]]
                       for name, country, resolved in [g["group"]]],
        "speakers": len(speakers),
        "no_speaker": sum(r["statements"] for r in rows if not r["name"]),
        "unresolved": sum(r["statements"] for r in rows if r["name"] and r["type"] is None),
        **({} if analysis else by_outlet_and_month(store)),
        "by_country": _rollup(rows, lambda r: r["country"])[:SETTINGS["top_groups"]],
        "by_sector": _rollup(rows, lambda r: r["sector"])[:SETTINGS["top_groups"]],
        "one_sided": one_sided(store, analysis),
    }


def by_outlet_and_month(store: Store) -> dict:
    """Statements per kind by outlet (the largest `top_groups`) and by month of publication
    (in order of time; None for undated articles, last)."""
    months = _rollup(store.statement_counts_by("month"), lambda r: r["grp"])
    return {"by_outlet": _rollup(store.statement_counts_by("outlet"),
                                 lambda r: r["grp"])[:SETTINGS["top_groups"]],
            "by_month": sorted(months, key=lambda g: (g["group"] is None, g["group"] or ""))}


def one_sided(store: Store, analysis: Analysis | None = None) -> dict:
    """One-sidedness at a glance: for an article, loaded spans by voice and each speaker's
    claims met (or not) by a counter-voice; for the corpus, the same roll-up per outlet."""
    from sayso.store.voices import outlet_voices

    if analysis is None:
        return {"outlets": [{**r, "outlet_share": round(r["outlet_chars"] / r["body_chars"], 4)
                             if r["body_chars"] else 0.0} for r in outlet_voices(store)]}
    names = {e.id: e.name for e in analysis.entities}
    voices = analysis.voices
    return {"loaded": [{"voice": names.get(c.voice, c.voice), "count": c.count}
                       for c in voices.loaded],
            "claims": [{"speaker": names.get(c.speaker, c.speaker), "statements": c.statements,
                        "countered": c.countered, "counters": c.counters}
                       for c in voices.claims]}


def article_voices(store: Store, article_id: str) -> tuple[str | None, dict] | None:
    """A stored article's title and `voices_data`; None when no such article is stored."""
    analysis = store.load(article_id)
    return None if analysis is None else (analysis.article.title, voices_data(store, analysis))


def entity_data(store: Store, key: str) -> dict | None:
    """Everything an entity said, was said about, did and underwent, across articles."""
    name, country = parse_entity_key(key)
    profile = store.entity_profile(name, country)
    if not profile:
        return None
    limit = SETTINGS["entity_rows"]
    return {
        "key": key, "name": name, "country": country, "profile": profile,
        **{what: [_spoken(r) for r in store.entity_records(name, country, what, limit)]
           for what in ("said", "about")},
        "events": store.entity_records(name, country, "events", limit),
        "timeline": {what: {r["day"] or "": r["n"]
                            for r in store.entity_timeline(name, country, what)}
                     for what in ("said", "about", "events")},
        "limit": limit,
    }


VIZ: dict[str, Any] = json.loads(
    resources.files(__package__).joinpath("viz.json").read_text(encoding="utf-8"))
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@lru_cache(maxsize=1)
def non_agents() -> list[str]:
    """Lower-case names kept off the network: sayso's pronouns and words that name no agent,
    and the indefinites of viz.json ("others"), which coreference may leave as entities."""
    words = actors.words()
    return sorted({*VIZ["non_agents"], *words["non_agent_pronouns"],
                   *(w for ws in words["pronouns"].values() for w in ws)})


def _verb(event_type: str) -> str:
    return VIZ["verbs"].get(event_type, event_type.lower())


def event_phrase(types: list[str]) -> str:
    """How the network reads: "Who accuses whom", "Who accuses, asks or assaults whom"."""
    verbs = [_verb(t) for t in types]
    listed = verbs[0] if len(verbs) == 1 else f"{', '.join(verbs[:-1])} or {verbs[-1]}"
    return f"Who {listed} whom"


def event_filters(type: str = "", country: str = "", modality: str = "", actor: str = "",
                  since: str = "", until: str = "") -> dict[str, str]:
    """The events page's filters as asked for; a date that is no ISO day is dropped."""
    return {"type": type, "country": country, "modality": modality, "actor": actor,
            "since": since if DAY.fullmatch(since) else "",
            "until": until if DAY.fullmatch(until) else ""}


def events_data(store: Store, filters: dict[str, str], page: int = 1,
                top: int = VIZ["top"]) -> dict:
    """Events passing the filters (a page of them, newest first), their timeline per type, the
    filter choices, and the network of the `top` agents most linked by events of the network's
    types (the chosen type, or settings' `network_types`)."""
    query: dict[str, Any] = dict(filters)
    if filters.get("actor"):
        name, country = parse_entity_key(filters["actor"])
        query["actor"] = (name, country or "")
    size = SETTINGS["page_size"]
    counts = store.event_counts(query)
    total = sum(c["n"] for c in counts)
    rows = store.event_rows(query, size, (page - 1) * size)
    names = {(r["article_id"], r["id"]): r for r in
             store.entity_names(sorted({r["article_id"] for r in rows}))}
    events = []
    for row in rows:
        data = json.loads(row.pop("data"))
        people = {i: names[(row["article_id"], i)]
                  for i in data["actors"] + data["recipients"] if (row["article_id"], i) in names}
        events.append({**row, "mode": data.get("mode"), "actors": _named(data["actors"], people),
                       "recipients": _named(data["recipients"], people)})
    kinds = store.event_kinds()
    timeline: dict[str, Counter] = defaultdict(Counter)
    for c in counts:
        timeline[c["type"]][c["day"] or ""] += c["n"]
    types = [filters["type"]] if filters.get("type") else SETTINGS["network_types"]
    return {
        "filters": filters, "total": total, "page": page, "page_size": size,
        "pages": max(1, -(-total // size)), "events": events,
        "timeline": {t: dict(days) for t, days in sorted(timeline.items())},
        "choices": {
            "type": sorted({k["type"] for k in kinds}),
            "modality": sorted({k["modality"] for k in kinds}),
            "country": [r["country"] for r in store.actor_countries()],
            "top": VIZ["top_choices"],
        },
        "network_types": types, "network_caption": event_phrase(types), "top": top,
        **_network(store, types, query, top),
    }


def _network(store: Store, types: list[str], query: dict, top: int) -> dict:
    """The `top` agents (`actors`, with their link counts) and the links among them
    (`network`)."""
    nodes = store.event_actors(types, query, non_agents(), top)
    among = [(n["name"], n["country"]) for n in nodes]
    edges = store.event_edges(types, query, among, VIZ["edges"])
    return {
        "actors": [{"key": entity_key(n["name"], n["country"]), "label": n["name"],
                    "country": n["country"], "n": n["n"]} for n in nodes],
        "network": [{**e, "source": entity_key(e["actor"], e["actor_country"]),
                     "target": entity_key(e["recipient"], e["recipient_country"]),
                     "label": f"{e['actor']} {_verb(e['type'])} {e['recipient']}"}
                    for e in edges],
    }


def map_data(store: Store) -> dict:
    """The corpus map: places with coordinates, in how many articles, with the newest of them."""
    links: dict[tuple, list[dict]] = defaultdict(list)
    for r in store.place_articles(VIZ["place_articles"]):
        links[r["name"], r["country"], r["lat"], r["lon"]].append(
            {"id": r["article_id"], "title": r["title"]})
    places = [{**p, "links": links[p["name"], p["country"], p["lat"], p["lon"]]}
              for p in store.place_totals(VIZ["map_places"])]
    return {"places": places, "articles": store.count_articles()}
