"""Data for the charts: geometry for the server-drawn SVG ones (stacked bars, a timeline), and
the points of the map, which the browser draws with the vendored Leaflet (static/map.js).

The SVG charts are hand-written because they are small and must work with no script; the map
and the events network need panning, zooming, clustering and a layout, so they use maintained
libraries vendored under static/vendor (scripts/vendor_web.sh). Every label passes through
Jinja's autoescaping, or into the page as JSON the scripts put in text nodes.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date

BAR_H = 20
LABEL_W = 250
BARS_W = 420
MONTHLY_AFTER_DAYS = 92


def stacked_bars(rows: list[tuple[str, dict[str, int], str | None]],
                 series: list[str]) -> dict:
    """Horizontal bars, one per (label, counts per series, link), stacked in `series` order."""
    top = max((sum(counts.values()) for _, counts, _ in rows), default=0) or 1
    bars = []
    for i, (label, counts, href) in enumerate(rows):
        x, segments = LABEL_W, []
        for j, name in enumerate(series):
            n = counts.get(name, 0)
            if n:
                w = BARS_W * n / top
                segments.append({"series": j, "name": name, "n": n, "x": round(x, 1),
                                 "w": round(max(w, 1), 1)})
                x += w
        bars.append({"label": label, "href": href, "y": i * BAR_H, "total": sum(counts.values()),
                     "end": round(x, 1), "segments": segments})
    return {"width": LABEL_W + BARS_W + 60, "height": len(rows) * BAR_H + 4, "bars": bars,
            "label_w": LABEL_W, "bar_h": BAR_H}


def _on_earth(p: dict) -> bool:
    lat, lon = p.get("lat"), p.get("lon")
    return lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180


def point_map(points: list[dict]) -> dict | None:
    """The map's places: `points` carry `lat`, `lon` and `label` (a place per mention), and come
    out once per place with their `mentions`. None when no point has coordinates (on Earth:
    stored values are not trusted to be)."""
    counts = Counter((p["label"], p["lat"], p["lon"]) for p in points if _on_earth(p))
    if not counts:
        return None
    return {"places": [{"name": label, "country": None, "lat": lat, "lon": lon,
                        "mentions": n, "links": []}
                       for (label, lat, lon), n in counts.most_common()]}


def corpus_map(data: dict) -> dict | None:
    """The corpus map's places (`views.map_data`), those on Earth; None when there are none."""
    places = [p for p in data["places"] if _on_earth(p)]
    return {"places": places} if places else None


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def _by_month(counts: dict[str, int]) -> dict[str, int]:
    months: dict[str, int] = {}
    for key, n in counts.items():
        month = f"{key[:7]}-01" if _day(key) else key
        months[month] = months.get(month, 0) + n
    return months


def timeline(series: dict[str, dict[str, int]], width: int = 640) -> dict | None:
    """Dots per (row, day), area by count; `series` maps a row label to counts per ISO day
    (per month beyond a season's span). Undated records are counted apart. None when nothing
    has a date."""
    days = {d for counts in series.values() for d in map(_day, counts) if d}
    if not days:
        return None
    if (max(days) - min(days)).days > MONTHLY_AFTER_DAYS:  # a dot per month, not thousands
        series = {label: _by_month(counts) for label, counts in series.items()}
        days = {d.replace(day=1) for d in days}
    first, last = min(days), max(days)
    left, right, row_h = 120, width - 20, 28
    spread = max((last - first).days, 1)

    def x(d: date) -> float:
        return round(left + (right - left) * (d - first).days / spread, 1)

    top = max(n for counts in series.values() for n in counts.values())
    rows = []
    for i, (label, counts) in enumerate(series.items()):
        dated = [(d, n) for k, n in counts.items() if (d := _day(k))]
        rows.append({
            "label": label, "y": 20 + i * row_h,
            "undated": sum(n for k, n in counts.items() if not _day(k)),
            "points": [{"x": x(d), "day": d.isoformat(), "n": n,
                        "r": round(2 + 8 * math.sqrt(n / top), 1)} for d, n in sorted(dated)],
        })
    ticks = sorted({first, last, first + (last - first) / 2})
    return {"width": width, "height": 40 + len(rows) * row_h, "left": left, "right": right,
            "rows": rows, "ticks": [{"x": x(d), "label": d.isoformat()} for d in ticks]}
