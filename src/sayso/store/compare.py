"""Across articles in the store: reprint groups and claim matches, brought up to date for the
articles just added (`update`), and read back for the CLI and the API.

Reprints: each new article's MinHash signature and shingle hashes are stored; the LSH index is
rebuilt from them (no text is re-read), the new article checked against its candidates, and the
groups it touched rewritten: every copy with its origin (the earliest published) and what it
changed, and each statement of a copied paragraph linked to the origin's (relation "copy").
Claims: each new statement's embedding is stored, and it is matched against every stored
statement of other articles with the fused BM25 + embedding score (`sayso.compare.claims`,
the matcher `sayso eval claims` measures): above SAME_CLAIM it is the same claim when the
speakers agree, a contradiction when one side denies and the other does not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sayso.store.records import Row

# Fused score (claims.fuse) from which two statements carry one claim; chosen on CheckThat!
# 2020 train, where a best match scoring this much is right for 9 tweets in 10 (0.903, for
# 53% of tweets; `sayso eval claims --split train --tune`).
SAME_CLAIM = 0.70
COPY_OVERLAP = 0.5  # word share at which a copy's statement is the origin's statement
QUERY_CHUNK = 256  # statements matched at a time (bounds the score matrix)


@dataclass
class UpdateStats:
    articles: int = 0
    reprint_pairs: int = 0
    copies_rewritten: int = 0
    statements: int = 0
    claim_matches: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def _blob(values: np.ndarray) -> bytes:
    return values.tobytes()


def _array(blob: Any, dtype: type) -> np.ndarray:
    return np.frombuffer(bytes(blob), dtype=dtype)


def _marks(items: list) -> str:
    return ", ".join("?" * len(items))


def update(store: Any, article_ids: Iterable[str]) -> UpdateStats:
    """Bring reprints and claim matches up to date for newly stored articles (any already
    done are skipped), each stage in one transaction."""
    import time

    stats = UpdateStats()
    started = time.perf_counter()
    new = update_reprints(store, article_ids, stats)
    stats.seconds["reprints"] = round(time.perf_counter() - started, 3)
    started = time.perf_counter()
    update_claims(store, new, stats)
    stats.seconds["claims"] = round(time.perf_counter() - started, 3)
    return stats


# --- reprints ----------------------------------------------------------------------------------

def load_reprint_index(store: Any) -> Any:
    """The ReprintIndex of every signed article, rebuilt from the stored signatures."""
    from sayso.compare.reprints import ReprintIndex

    index = ReprintIndex()
    for r in store._rows("SELECT s.article_id, s.minhash, s.shingles, a.published "
                         "FROM article_signatures s JOIN articles a ON a.id = s.article_id "
                         "ORDER BY s.article_id"):
        index.restore(r["article_id"], r["published"], _array(r["shingles"], np.uint64),
                      _array(r["minhash"], np.uint32))
    for r in store._rows("SELECT article_id, other_id, similarity FROM reprint_pairs"):
        index.link(r["article_id"], r["other_id"], r["similarity"])
    return index


def update_reprints(store: Any, article_ids: Iterable[str], stats: UpdateStats) -> list[str]:
    """Sign and check the new articles; rewrite the groups they touched. Returns the ids
    that were new (not signed before)."""
    from sayso.compare.reprints import minhash, shingles

    index = load_reprint_index(store)
    new = sorted(set(article_ids) - set(index.docs))
    if not new:
        return []
    before = dict(index.roots())
    texts = {r["id"]: r for r in store._rows(
        f"SELECT id, text, published FROM articles WHERE id IN ({_marks(new)})", tuple(new))}
    signatures, pairs, touched = [], [], set(new)
    for doc_id in new:
        row = texts.get(doc_id)
        if row is None:
            continue
        grams = shingles(row["text"])
        sig = minhash(grams).hashvalues if len(grams) else np.zeros(0, dtype=np.uint32)
        for other in index.add(doc_id, row["text"], row["published"], signature=sig):
            pairs.append({"article_id": doc_id, "other_id": other,
                          "similarity": index.similarity(doc_id, other)})
            touched |= {d for d, root in before.items() if root == before.get(other)}
        signatures.append({"article_id": doc_id, "minhash": _blob(sig),
                           "shingles": _blob(grams)})
    touched |= {m for d in new if d in index.docs for m in index.group(d)}
    with store.dialect.transaction(store.conn):
        cur = store.conn.cursor()
        store._insert(cur, "article_signatures", signatures)
        store._insert(cur, "reprint_pairs", pairs)
        stats.copies_rewritten = _rewrite_groups(store, cur, index, sorted(touched))
    stats.articles, stats.reprint_pairs = len(new), len(pairs)
    return new


def _rewrite_groups(store: Any, cur: Any, index: Any, touched: list[str]) -> int:
    """Replace the reprint rows (and statement copy links) of every touched article."""
    from sayso.compare.reprints import differences

    if not touched:
        return 0
    for table, column in (("reprints", "article_id"), ("claim_matches", "article_id"),
                          ("claim_matches", "other_article_id")):
        extra = " AND relation = 'copy'" if table == "claim_matches" else ""
        cur.execute(store.dialect.sql(
            f"DELETE FROM {table} WHERE {column} IN ({_marks(touched)}){extra}"), tuple(touched))
    groups = {tuple(index.group(d)) for d in touched}
    groups = [g for g in groups if len(g) > 1]
    ids = sorted({d for g in groups for d in g})
    if not ids:
        return 0
    articles = {r["id"]: r for r in store._rows(
        f"SELECT id, title, text FROM articles WHERE id IN ({_marks(ids)})", tuple(ids))}
    statements = _statement_spans(store, ids)
    rows, links = [], []
    for group in groups:
        origin = articles[group[0]]
        for copy_id in group[1:]:
            copy = articles[copy_id]
            diffs = differences(origin["text"], copy["text"], origin["title"], copy["title"])
            rows.append({"article_id": copy_id, "origin_id": origin["id"],
                         "kind": "edited" if any(d.kind != "headline" for d in diffs)
                         else "verbatim",
                         "similarity": index.similarity(origin["id"], copy_id),
                         "differences": json.dumps([d.to_dict() for d in diffs],
                                                   ensure_ascii=False)})
            links += _copy_links(origin, copy, statements)
    store._insert(cur, "reprints", rows, "ON CONFLICT (article_id) DO UPDATE SET "
                  "origin_id = excluded.origin_id, kind = excluded.kind, "
                  "similarity = excluded.similarity, differences = excluded.differences")
    store._insert(cur, "claim_matches", links,
                  "ON CONFLICT (article_id, seq, other_article_id, other_seq) "
                  "DO UPDATE SET relation = excluded.relation, score = excluded.score")
    return len(rows)


def _statement_spans(store: Any, ids: list[str]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for r in store._rows("SELECT article_id, seq, content_start, content_end, content_text "
                         f"FROM attributions WHERE article_id IN ({_marks(ids)}) "
                         "ORDER BY article_id, seq", tuple(ids)):
        out.setdefault(r["article_id"], []).append(r)
    return out


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _copy_links(origin: Row, copy: Row, statements: dict[str, list[Row]]) -> list[Row]:
    """Statements of the copy inside a kept paragraph, each linked (both ways) to the origin
    statement of the matching paragraph it shares most words with."""
    from sayso.compare.reprints import align

    kept, _ = align(origin["text"], copy["text"])
    links = []
    for (os_, oe), (cs, ce) in kept:
        theirs = [s for s in statements.get(origin["id"], [])
                  if os_ <= s["content_start"] < oe]
        for mine in (s for s in statements.get(copy["id"], []) if cs <= s["content_start"] < ce):
            words = _words(mine["content_text"])
            scored = [(len(words & _words(t["content_text"])) / (len(words) or 1), t)
                      for t in theirs]
            score, best = max(scored, key=lambda x: x[0], default=(0.0, None))
            if best is not None and score >= COPY_OVERLAP:
                for a, b in ((mine, best), (best, mine)):
                    links.append({"article_id": a["article_id"], "seq": a["seq"],
                                  "other_article_id": b["article_id"], "other_seq": b["seq"],
                                  "relation": "copy", "score": round(score, 4)})
    return links


def reprint_info(store: Any, article_id: str) -> dict:
    """An article's origin and copies, with each copy's differences from the origin."""
    mine = store._rows("SELECT origin_id FROM reprints WHERE article_id = ?", (article_id,))
    origin = mine[0]["origin_id"] if mine else article_id
    copies = store._rows(
        "SELECT r.article_id, r.kind, r.similarity, r.differences, a.title, a.site, "
        "a.published FROM reprints r JOIN articles a ON a.id = r.article_id "
        "WHERE r.origin_id = ? ORDER BY a.published, r.article_id", (origin,))
    for c in copies:
        c["differences"] = json.loads(c["differences"])
    return {"article": article_id, "origin": origin if copies else None, "copies": copies}


def reprint_groups(store: Any) -> list[dict]:
    """Every origin with its number of copies, the most copied first."""
    return store._rows(
        "SELECT r.origin_id, a.title, a.site, a.published, count(*) AS copies "
        "FROM reprints r JOIN articles a ON a.id = r.origin_id "
        "GROUP BY r.origin_id, a.title, a.site, a.published "
        "ORDER BY copies DESC, a.published, r.origin_id")


# --- claims ------------------------------------------------------------------------------------

def _statements(store: Any, where: str = "", params: tuple = ()) -> list[Row]:
    return store._rows(
        "SELECT s.article_id, s.seq, s.content_text, s.cue_text, s.data, e.name AS speaker "
        "FROM attributions s LEFT JOIN entities e "
        f"ON e.article_id = s.article_id AND e.id = s.source_entity {where} "
        "ORDER BY s.article_id, s.seq", params)


def _same_speaker(a: str | None, b: str | None) -> bool:
    """Both resolved, to one name or one's last word ending the other ("Trump", "Donald
    Trump"); identities (sayso.compare.identities) will replace this."""
    if not a or not b:
        return False
    wa, wb = a.casefold().split(), b.casefold().split()
    return wa == wb or (len(wa) == 1 and wa[-1] == wb[-1]) or (len(wb) == 1 and wa[-1] == wb[-1])


def _stance(row: Row) -> Any:
    from sayso.compare.claims import Stance

    return Stance(row["content_text"], row["cue_text"],
                  json.loads(row["data"]).get("modality", "asserted"))


def update_claims(store: Any, article_ids: list[str], stats: UpdateStats) -> None:
    """Embed the new articles' statements, then match each against all stored ones."""
    from sayso.compare.claims import ClaimIndex, contradicts, fuse
    from sayso.compare.embed import load_encoder

    if not article_ids:
        return
    fresh = _statements(store, f"WHERE s.article_id IN ({_marks(article_ids)})",
                        tuple(article_ids))
    vectors = load_encoder().encode([s["content_text"] for s in fresh]) if fresh else None
    rows = [{"article_id": s["article_id"], "seq": s["seq"], "vector": _blob(v)}
            for s, v in zip(fresh, vectors if vectors is not None else [], strict=True)]
    with store.dialect.transaction(store.conn):
        store._insert(store.conn.cursor(), "statement_vectors", rows,
                      "ON CONFLICT (article_id, seq) DO NOTHING")
    stats.statements = len(fresh)
    every = _statements(store)
    stored = {(r["article_id"], r["seq"]): _array(r["vector"], np.float32) for r in
              store._rows("SELECT article_id, seq, vector FROM statement_vectors")}
    every = [s for s in every if (s["article_id"], s["seq"]) in stored]
    if not fresh or len(every) < 2:
        return
    index = ClaimIndex([s["content_text"] for s in every],
                       np.stack([stored[(s["article_id"], s["seq"])] for s in every]))
    position = {(s["article_id"], s["seq"]): i for i, s in enumerate(every)}
    article = np.array([s["article_id"] for s in every])
    matches: dict[tuple, Row] = {}  # two new statements find each other: keep the first
    for k in range(0, len(fresh), QUERY_CHUNK):
        chunk = fresh[k : k + QUERY_CHUNK]
        at = [position[(s["article_id"], s["seq"])] for s in chunk]
        lexical = np.stack([index.bm25.scores(index.texts[i]) for i in at])
        fused = fuse(lexical, index.vectors[at] @ index.vectors.T, index.weight)
        for s, row in zip(chunk, fused, strict=True):
            hits = np.flatnonzero((row >= SAME_CLAIM) & (article != s["article_id"]))
            for j in hits:
                other = every[j]
                relation = ("contradicts" if contradicts(_stance(s), _stance(other)) else
                            "same" if _same_speaker(s["speaker"], other["speaker"]) else None)
                if relation:
                    for a, b in ((s, other), (other, s)):
                        key = (a["article_id"], a["seq"], b["article_id"], b["seq"])
                        matches.setdefault(key, {
                            "article_id": a["article_id"], "seq": a["seq"],
                            "other_article_id": b["article_id"], "other_seq": b["seq"],
                            "relation": relation, "score": round(float(row[j]), 4)})
    with store.dialect.transaction(store.conn):
        store._insert(store.conn.cursor(), "claim_matches", list(matches.values()),
                      "ON CONFLICT (article_id, seq, other_article_id, other_seq) DO NOTHING")
    stats.claim_matches = len(matches) // 2


def statement_matches(store: Any, article_id: str, seq: int) -> list[Row]:
    """The statements of other articles matched with one statement, best first."""
    return store._rows(
        "SELECT m.relation, m.score, m.other_article_id AS article_id, m.other_seq AS seq, "
        "s.id AS statement_id, s.source_text, s.cue_text, s.content_text, a.title, a.site, "
        "a.published FROM claim_matches m JOIN attributions s "
        "ON s.article_id = m.other_article_id AND s.seq = m.other_seq "
        "JOIN articles a ON a.id = m.other_article_id "
        "WHERE m.article_id = ? AND m.seq = ? ORDER BY m.score DESC, a.published, s.seq",
        (article_id, seq))
