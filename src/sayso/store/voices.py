"""The store's side of an article's voices: rows for framing, assertions, disputes, chains of
custody and the `voices` summary, their loading back, and the per-outlet roll-up.

Kept apart from `records` so the voices tables (migration 0009) can be read and written by the
one module that knows them; `Store.save` and `Store.load` call `voice_rows` and `load_voices`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from sayso.model import Analysis
from sayso.nlp.voices.custody import outlet_links
from sayso.store.records import decode_record, encode_record, record_columns

Row = dict[str, Any]
COUNTERS = ("denies", "disputes")


def _record(table: str, article: Any, seq: int, record: Any, **columns: Any) -> Row:
    return {"article_id": article.id, "seq": seq, "id": record.id, "start_char": record.start,
            "end_char": record.end, **columns,
            "data": encode_record(record, article.text, table)}


def voice_rows(analysis: Analysis) -> Iterator[tuple[str, list[Row]]]:
    """Every voices row of an analysis, table by table."""
    aid, article = analysis.article.id, analysis.article
    yield "framing", [_record("framing", article, i, f, text=f.text, technique=f.technique,
                              voice=f.voice)
                      for i, f in enumerate(analysis.framing)]
    yield "assertions", [_record("assertions", article, i, a, flags=" ".join(a.flags))
                         for i, a in enumerate(analysis.assertions)]
    yield "disputes", [{"article_id": aid, "seq": i, "source_id": d.source,
                        "target_id": d.target, "kind": d.kind}
                       for i, d in enumerate(analysis.disputes)]
    yield "statement_custody", [
        {"article_id": aid, "statement_id": a.id, "outlet": a.via[0] if a.via else None,
         "via": json.dumps(a.via, ensure_ascii=False), "links": max(0, len(a.via) - 1),
         "modality": a.modality} for a in analysis.attributions]
    v = analysis.voices
    loaded_outlet = sum(c.count for c in v.loaded if c.voice == "outlet")
    countered = {d.target for d in analysis.disputes if d.kind in COUNTERS}
    yield "article_voices", [{
        "article_id": aid, "outlet": outlet_links(analysis.article)[0],
        "outlet_share": v.outlet_share, "outlet_chars": v.outlet_chars,
        "body_chars": v.body_chars, "loaded_outlet": loaded_outlet,
        "loaded_quoted": sum(c.count for c in v.loaded) - loaded_outlet,
        "countered": sum(a.id in countered for a in analysis.attributions),
        "data": encode_record(v, article.text, "article_voices")}]


def load_voices(store: Any, analysis: Analysis) -> Analysis:
    """The analysis with its voices records read back from the store."""
    aid = (analysis.article.id,)

    def data(table: str) -> list[dict]:
        return [decode_record(r, analysis.article.text, table) for r in store._rows(
            f"SELECT {record_columns(table)} FROM {table} WHERE article_id = ? ORDER BY seq", aid)]

    summary = store._rows(f"SELECT {record_columns('article_voices')} FROM article_voices "
                          "WHERE article_id = ?", aid)
    disputes = store._rows("SELECT source_id, target_id, kind FROM disputes "
                           "WHERE article_id = ? ORDER BY seq", aid)
    rebuilt = Analysis.from_dict({
        "article": asdict(analysis.article),
        "framing": data("framing"),
        "assertions": data("assertions"),
        "disputes": [{"from": d["source_id"], "to": d["target_id"], "kind": d["kind"]}
                     for d in disputes],
        "voices": decode_record(summary[0], "", "article_voices") if summary else None,
    })
    analysis.framing, analysis.assertions = rebuilt.framing, rebuilt.assertions
    analysis.disputes, analysis.voices = rebuilt.disputes, rebuilt.voices
    return analysis


def outlet_voices(store: Any, limit: int = 50) -> list[Row]:
    """Per outlet (as chains of custody name it: site, host or wire credit): articles, the
    characters of their text in the outlet's own voice, loaded spans in its voice and in
    quoted voices, and statements met by a counter-voice."""
    return store._rows(
        "SELECT outlet, count(*) AS articles, "
        "sum(outlet_chars) AS outlet_chars, sum(body_chars) AS body_chars, "
        "sum(loaded_outlet) AS loaded_outlet, sum(loaded_quoted) AS loaded_quoted, "
        "sum(countered) AS countered "
        "FROM article_voices GROUP BY outlet ORDER BY articles DESC, outlet LIMIT ?",
        (limit,))
