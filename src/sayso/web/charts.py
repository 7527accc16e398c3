"""Geometry for the server-drawn SVG charts: stacked bars, a point map, a timeline, a network.

Functions here only compute coordinates; the templates write the SVG, so every label passes
through Jinja's autoescaping. Hand-written because the charts are small and must work offline
with no script: a plotting library would bring either JavaScript or heavy dependencies.
"""

from __future__ import annotations

import math
from datetime import date

BAR_H = 20
LABEL_W = 250
BARS_W = 420
MONTHLY_AFTER_DAYS = 92
GRID_STEPS = (1, 2, 5, 10, 15, 30, 45)  # degrees; 45 frames the world in 8


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
    """An equirectangular plot (x = longitude, y = -latitude) framing the points, with a
    graticule; `points` carry `lat`, `lon` and `label`. None when no point has coordinates
    (on Earth: stored values are not trusted to be)."""
    pts = [p for p in points if _on_earth(p)]
    if not pts:
        return None
    lons, lats = [p["lon"] for p in pts], [p["lat"] for p in pts]
    # The margin never frames more than the world: points 300 degrees of longitude apart
    # would otherwise need a graticule step coarser than any in GRID_STEPS.
    span = min(max(max(lons) - min(lons), (max(lats) - min(lats)) / 0.6, 8.0) * 1.3, 360)
    width, height = span, min(span * 0.6, 180)
    cx, cy = (max(lons) + min(lons)) / 2, (max(lats) + min(lats)) / 2
    west = min(max(cx - width / 2, -180), 180 - width)
    north = max(min(cy + height / 2, 90), height - 90)
    step = next(s for s in GRID_STEPS if span / s <= 8)
    grid_lons = range(math.ceil(west / step) * step, int(west + width) + 1, step)
    grid_lats = range(math.ceil((north - height) / step) * step, int(north) + 1, step)
    unit = width / 100
    return {
        "viewbox": f"{west:.3f} {-north:.3f} {width:.3f} {height:.3f}",
        "west": west, "north": north, "width": width, "height": height, "unit": unit,
        "grid_x": [{"x": x, "label": f"{abs(x)}°{'E' if x >= 0 else 'W'}"} for x in grid_lons],
        "grid_y": [{"y": -y, "label": f"{abs(y)}°{'N' if y >= 0 else 'S'}"} for y in grid_lats],
        "points": [{**p, "x": p["lon"], "y": -p["lat"]} for p in pts],
    }


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


def network(edges: list[dict], types: list[str], size: int = 560) -> dict | None:
    """Actors on a circle, one curved arrow per (actor, type, recipient); `edges` carry
    `source`, `target` (node keys with `label`s in `source_label`/`target_label`), `type`, `n`."""
    if not edges:
        return None
    labels: dict[str, str] = {}
    for e in edges:
        labels.setdefault(e["source"], e["source_label"])
        labels.setdefault(e["target"], e["target_label"])
    centre, radius = size / 2, size / 2 - 110
    nodes = {}
    for i, key in enumerate(labels):
        angle = 2 * math.pi * i / len(labels) - math.pi / 2
        nodes[key] = {"key": key, "label": labels[key],
                      "x": round(centre + radius * math.cos(angle), 1),
                      "y": round(centre + radius * math.sin(angle), 1),
                      "anchor": "start" if math.cos(angle) > 0.1 else
                      "end" if math.cos(angle) < -0.1 else "middle"}
    top = max(e["n"] for e in edges)
    drawn = []
    for e in edges:
        a, b = nodes[e["source"]], nodes[e["target"]]
        bend = 0.15 + 0.12 * types.index(e["type"])  # one arc per type between the same pair
        mx, my = (a["x"] + b["x"]) / 2, (a["y"] + b["y"]) / 2
        qx, qy = mx + bend * (b["y"] - a["y"]), my - bend * (b["x"] - a["x"])
        drawn.append({**e, "type_index": types.index(e["type"]),
                      "path": f"M{a['x']},{a['y']} Q{qx:.1f},{qy:.1f} {b['x']},{b['y']}",
                      "width": round(1 + 4 * e["n"] / top, 1)})
    return {"size": size, "nodes": list(nodes.values()), "edges": drawn}
