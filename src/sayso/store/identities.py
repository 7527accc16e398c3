"""Identities in the store: linking each saved article's entities (sayso.compare.identities),
analysts' corrections replayed over the machine's links, and the queries the CLI and the
workbench read them with.

A correction names the identities it touches by id and by name: a rebuild that gives an
identity another id (its first article changed) still finds it by name.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sayso.compare.identities import (
    Candidate,
    Local,
    choose,
    fuller,
    link_keys,
    local_identities,
    norm,
)
from sayso.model import Analysis
from sayso.store.records import Row

ACTIONS = ("merge", "split", "rename")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:12]


def outlet(row: Row) -> str:
    """Who published an article: its site, else its address's host without "www."."""
    host = urlsplit(row.get("url") or "").netloc.lower().removeprefix("www.")
    return row.get("site") or host or "(unknown)"


# Replaying corrections.

@dataclass(frozen=True)
class Step:
    """One correction, its identities resolved: merge `source` into `target`; split the
    members written `names` off `source` into `target`; rename `target` to `name`."""

    action: str
    source: str | None
    target: str
    names: frozenset[str] = frozenset()
    name: str = ""


def _resolve(ref: dict, known: dict[str, str], by_name: dict[str, list[str]]) -> str | None:
    if ref["id"] in known:
        return ref["id"]
    found = by_name.get(ref["name"], [])
    return found[0] if len(found) == 1 else None


def _steps(store: Any) -> list[Step]:
    """The correction log, in order, as steps over today's identities (unresolvable ones,
    whose identities no longer exist under either id or name, are left out)."""
    known = {r["id"]: r["machine_name"] for r in store._rows(
        "SELECT id, machine_name FROM identities")}
    by_name: dict[str, list[str]] = defaultdict(list)
    for ident, name in known.items():
        by_name[name].append(ident)
    steps = []
    for row in store._rows("SELECT action, detail FROM identity_corrections ORDER BY id"):
        d = json.loads(row["detail"])
        target = _resolve(d["target"], known, by_name)
        source = _resolve(d["source"], known, by_name) if d.get("source") else None
        if target is None or (d.get("source") and source is None):
            continue
        steps.append(Step(row["action"], source, target, frozenset(map(norm, d.get("names", []))),
                          d.get("name", "")))
    return steps


def effective(steps: list[Step], machine_id: str, name: str) -> str:
    """The identity a member is in once the corrections are replayed, in order."""
    current = machine_id
    for step in steps:
        if step.source == current and (step.action == "merge" or (
                step.action == "split" and norm(name) in step.names)):
            current = step.target
    return current


def apply_corrections(store: Any) -> None:
    """Replay the whole log over the machine's links: every member's identity, every name."""
    steps = _steps(store)
    store.conn.execute(store.dialect.sql("UPDATE identities SET name = machine_name"))
    for step in steps:
        if step.action == "rename":
            store.conn.execute(store.dialect.sql("UPDATE identities SET name = ? WHERE id = ?"),
                               (step.name, step.target))
    update = store.dialect.sql(
        "UPDATE identity_members SET identity_id = ? WHERE article_id = ? AND entity_id = ?")
    for m in store._rows("SELECT article_id, entity_id, name, machine_id, identity_id "
                         "FROM identity_members"):
        now = effective(steps, m["machine_id"], m["name"])
        if now != m["identity_id"]:
            store.conn.execute(update, (now, m["article_id"], m["entity_id"]))


# Linking an article.

def _candidates(store: Any, keys: set[str]) -> dict[str, list[Candidate]]:
    """The machine identities stored under each of these keys, in one query."""
    found: dict[str, list[Candidate]] = defaultdict(list)
    ordered = sorted(keys)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start:start + 500]
        for r in store._rows(
                "SELECT k.key, i.id, i.machine_name, i.kind, i.country, i.role "
                "FROM identity_keys k JOIN identities i ON i.id = k.identity_id "
                f"WHERE i.origin = 'machine' AND k.key IN ({', '.join('?' * len(chunk))}) "
                "ORDER BY i.id", tuple(chunk)):
            found[r["key"]].append(Candidate(r["id"], r["machine_name"], r["kind"],
                                             r["country"], r["role"]))
    return found


def _link_local(store: Any, cur: Any, article_id: str, local: Local,
                candidates: list[Candidate]) -> str:
    """The machine identity a local identity links to, created or updated as it needs."""
    chosen = choose(local, candidates)
    if chosen is None:
        ident = f"{local.kind[0]}{_digest(article_id, local.key)}"
        store._insert(cur, "identities", [{
            "id": ident, "name": local.name, "machine_name": local.name, "kind": local.kind,
            "country": local.country, "role": local.role, "origin": "machine"}],
            "ON CONFLICT (id) DO NOTHING")
        return ident
    name = local.name if fuller(local.name, chosen.name) else chosen.name
    if name != chosen.name or (local.country and not chosen.country) or (
            local.role and not chosen.role):
        cur.execute(store.dialect.sql(
            "UPDATE identities SET name = CASE WHEN name = machine_name THEN ? ELSE name END, "
            "machine_name = ?, country = coalesce(country, ?), role = coalesce(role, ?) "
            "WHERE id = ?"), (name, name, local.country, local.role, chosen.id))
    return chosen.id


def link_article(store: Any, cur: Any, analysis: Analysis) -> None:
    """Link a stored article's entities to the store's identities (inside its transaction)."""
    article_id = analysis.article.id
    steps = _steps(store) if store._rows("SELECT 1 FROM identity_corrections LIMIT 1") else []
    locals_ = local_identities(analysis)
    found = _candidates(store, {k for local in locals_ for k in link_keys(local)})
    members, keys = [], []
    for local in locals_:
        matched: dict[str, set[str]] = defaultdict(set)
        candidates = {}
        for k in link_keys(local):
            for c in found.get(k, []):
                candidates[c.id] = c
                matched[c.id].add(k)
        ident = _link_local(store, cur, article_id, local, [
            replace(c, keys=frozenset(matched[c.id])) for c in candidates.values()])
        keys += [{"key": k, "identity_id": ident} for k in link_keys(local)]
        members += [{"article_id": article_id, "entity_id": m.entity_id, "name": m.name,
                     "machine_id": ident, "identity_id": effective(steps, ident, m.name),
                     "statements": m.statements} for m in local.members]
    store._insert(cur, "identity_keys", sorted(keys, key=lambda k: (k["key"], k["identity_id"])),
                  "ON CONFLICT (key, identity_id) DO NOTHING")
    store._insert(cur, "identity_members", members,
                  "ON CONFLICT (article_id, entity_id) DO NOTHING")
    position = store._rows("SELECT coalesce(max(position), 0) + 1 AS n FROM compared_articles")
    store._insert(cur, "compared_articles", [{"article_id": article_id,
                                              "position": position[0]["n"]}],
                  "ON CONFLICT (article_id) DO NOTHING")


def pending(store: Any) -> list[str]:
    """Stored articles not linked yet (saved before identities existed), oldest first."""
    return [r["id"] for r in store._rows(
        "SELECT a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM compared_articles c "
        "WHERE c.article_id = a.id) ORDER BY a.published, a.id")]


def link_pending(store: Any) -> int:
    """Link every article not linked yet, one transaction each; how many were."""
    ids = pending(store)
    _link_each(store, ids)
    return len(ids)


def _link_each(store: Any, article_ids: list[str]) -> None:
    for article_id in article_ids:
        analysis = store.load(article_id)
        if analysis is not None:
            with store.dialect.transaction(store.conn):
                link_across(store, store.conn.cursor(), analysis)


def rebuild(store: Any) -> int:
    """Link every article again from scratch, in the order they were first linked, then replay
    the analysts' corrections: what re-analysis with changed rules needs, losing no correction."""
    order = [r["article_id"] for r in store._rows(
        "SELECT article_id FROM compared_articles ORDER BY position")]
    with store.dialect.transaction(store.conn):
        for table in ("identity_members", "identity_keys", "compared_articles", "stories"):
            store.conn.execute(f"DELETE FROM {table}")
        store.conn.execute("DELETE FROM identities WHERE origin = 'machine'")
    _link_each(store, order + [i for i in pending(store) if i not in set(order)])
    with store.dialect.transaction(store.conn):
        apply_corrections(store)
    return len(order)


# Corrections.

def _ref(store: Any, ident: str) -> dict:
    rows = store._rows("SELECT id, machine_name FROM identities WHERE id = ?", (ident,))
    if not rows:
        raise LookupError(f"no identity {ident!r}")
    return {"id": rows[0]["id"], "name": rows[0]["machine_name"]}


def _log(store: Any, action: str, detail: dict, who: str | None) -> None:
    store._insert(store.conn.cursor(), "identity_corrections", [{
        "action": action, "detail": json.dumps(detail, ensure_ascii=False),
        "who": who or getpass.getuser(), "at": _now()}])


def merge(store: Any, target: str, sources: list[str], who: str | None = None) -> None:
    """Merge identities into `target`: one person or body the machine kept apart."""
    with store.dialect.transaction(store.conn):
        into = _ref(store, target)
        for source in sources:
            if source != target:
                _log(store, "merge", {"source": _ref(store, source), "target": into}, who)
        apply_corrections(store)


def rename(store: Any, target: str, name: str, who: str | None = None) -> None:
    """Show an identity under another name (the machine's stays beside it)."""
    if not name.strip():
        raise ValueError("a new name is needed")
    with store.dialect.transaction(store.conn):
        _log(store, "rename", {"target": _ref(store, target), "name": name.strip()}, who)
        apply_corrections(store)


def split(store: Any, source: str, written: list[str], name: str | None = None,
          who: str | None = None) -> str:
    """Move the members written as one of `written` out of an identity into a new one (two
    people the machine pooled); returns the new identity's id."""
    keys = {norm(w) for w in written}
    with store.dialect.transaction(store.conn):
        ref = _ref(store, source)
        moved = [m for m in store._rows("SELECT name FROM identity_members WHERE identity_id = ?",
                                        (source,)) if norm(m["name"]) in keys]
        if not moved:
            raise LookupError(f"no member of {source} is written {', '.join(written)}")
        row = store._rows("SELECT kind, country, role FROM identities WHERE id = ?", (source,))[0]
        new_name = name or moved[0]["name"]
        new = f"a{_digest(source, *sorted(keys), _now())}"
        store._insert(store.conn.cursor(), "identities", [{
            "id": new, "name": new_name, "machine_name": new_name, "kind": row["kind"],
            "country": row["country"], "role": row["role"], "origin": "analyst"}])
        _log(store, "split", {"source": ref, "target": {"id": new, "name": new_name},
                              "names": sorted(written)}, who)
        apply_corrections(store)
    return new


def corrections(store: Any) -> list[Row]:
    return [{**r, "detail": json.loads(r["detail"])} for r in store._rows(
        "SELECT id, action, detail, who, at FROM identity_corrections ORDER BY id")]


# Reading.

def identity_list(store: Any, limit: int | None = None, kind: str | None = None) -> list[Row]:
    """Identities with statements, articles and the names they are written with, most
    quoted first."""
    where = " WHERE i.kind = ?" if kind else ""
    rows = store._rows(
        "SELECT i.id, i.name, i.kind, i.country, i.role, sum(m.statements) AS statements, "
        "count(DISTINCT m.article_id) AS articles FROM identity_members m "
        f"JOIN identities i ON i.id = m.identity_id{where} "
        "GROUP BY i.id, i.name, i.kind, i.country, i.role "
        "ORDER BY statements DESC, articles DESC, i.name" + (" LIMIT ?" if limit else ""),
        tuple(x for x in (kind, limit) if x))
    aliases = _aliases(store, [r["id"] for r in rows])
    return [{**r, "aliases": aliases.get(r["id"], [])} for r in rows]


def _aliases(store: Any, ids: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        if not chunk:
            continue
        for r in store._rows(
                "SELECT identity_id, name, count(*) AS n FROM identity_members "
                f"WHERE identity_id IN ({', '.join('?' * len(chunk))}) "
                "GROUP BY identity_id, name ORDER BY identity_id, n DESC, name", tuple(chunk)):
            found[r["identity_id"]].append(r["name"])
    return found


def identity(store: Any, ident: str) -> Row | None:
    """One identity with its names, countries and roles as its members give them."""
    rows = store._rows("SELECT id, name, machine_name, kind, country, role, origin "
                       "FROM identities WHERE id = ?", (ident,))
    if not rows:
        return None
    members = store._rows(
        "SELECT m.article_id, m.entity_id, m.name, m.machine_id, m.statements, e.country "
        "FROM identity_members m LEFT JOIN entities e ON e.article_id = m.article_id "
        "AND e.id = m.entity_id WHERE m.identity_id = ? ORDER BY m.article_id", (ident,))
    countries = sorted({m["country"] for m in members if m["country"]})
    names: dict[str, int] = defaultdict(int)
    for m in members:
        names[m["name"]] += m["statements"]
    return {**rows[0], "members": len(members), "countries": countries,
            "statements": sum(m["statements"] for m in members),
            "articles": len({m["article_id"] for m in members}),
            "aliases": sorted(names, key=lambda n: (-names[n], n)),
            "merged_from": sorted({m["machine_id"] for m in members} - {ident})}


def identity_statements(store: Any, ident: str, outlet_name: str | None = None,
                        since: str | None = None, until: str | None = None,
                        limit: int = 500) -> list[Row]:
    """What an identity said across the store, newest first, by outlet and date if asked."""
    clauses, params = ["m.identity_id = ?"], [ident]
    if since:
        clauses.append("a.published >= ?")
        params.append(since)
    if until:
        clauses.append("substr(a.published, 1, 10) <= ?")
        params.append(until)
    rows = store._rows(
        "SELECT a.id AS article_id, a.title, a.published, a.site, a.url, s.id, s.kind, "
        "s.cue_text AS cue, s.content_text AS content, s.content_parts AS parts, "
        "m.name AS written FROM identity_members m JOIN attributions s "
        "ON s.article_id = m.article_id AND s.source_entity = m.entity_id "
        f"JOIN articles a ON a.id = m.article_id WHERE {' AND '.join(clauses)} "
        "ORDER BY a.published DESC, a.id, s.seq", tuple(params))
    rows = [{**r, "outlet": outlet(r)} for r in rows]
    if outlet_name:
        rows = [r for r in rows if r["outlet"] == outlet_name]
    return rows[:limit]


def link_across(store: Any, cur: Any, analysis: Analysis) -> None:
    """What a saved article adds across the store, in its own transaction: its identities,
    then its story (which compares identities)."""
    from sayso.compare.stories import assign_story

    link_article(store, cur, analysis)
    assign_story(store, cur, analysis)
