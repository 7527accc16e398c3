"""Readable text renderings of an analysis for the terminal."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Sequence

from sayso.model import Analysis


def _short(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def spoken_words(content: str, parts: Sequence[str]) -> str:
    """The speaker's words: a split quote's parts joined by " … " (the cue between them left
    out), else the whole content."""
    return " … ".join(parts) if parts else content


def ledger_table(analysis: Analysis) -> str:
    """The ledger of one article: who said what, how, to whom; then the outlet's own voice."""
    art = analysis.article
    width = max(80, min(shutil.get_terminal_size((120, 20)).columns, 160))
    names = {e.id: e for e in analysis.entities}
    lines = [
        f"{art.title or '(untitled)'}",
        f"  id {art.id} | published {art.published or '?'} | by {', '.join(art.authors) or '?'}"
        f" | {art.site or art.url or ''}",
        "",
    ]
    content_w = max(30, width - 62)
    header = f"{'#':<5} {'speaker':<24} {'kind':<12} {'cue':<14} content"
    lines += [header, "-" * min(width, len(header) + content_w)]
    for a in analysis.attributions:
        ent = names.get(a.source.entity) if a.source and a.source.entity else None
        who = ent.name if ent else (a.source.text if a.source else "?")
        if ent and ent.country:
            who += f" ({ent.country})"
        indent = "  " if a.parent else ""
        words = spoken_words(a.content.text, [p.text for p in a.content.parts])
        first, *rest = textwrap.wrap(" ".join(words.split()), content_w) or [""]
        lines.append(
            f"{a.id:<5} {_short(indent + who, 24):<24} {a.kind:<12} "
            f"{_short(a.cue.text if a.cue else '', 14):<14} {first}"
        )
        extras = [
            f"{k}: {getattr(a, k).text}" for k in ("addressee", "medium", "time") if getattr(a, k)
        ]
        if a.parent:
            extras.insert(0, f"inside {a.parent}")
        if a.modality != "asserted":
            extras.insert(0, a.modality)
        for more in rest[:2] + ([" | ".join(extras)] if extras else []):
            lines.append(f"{'':<58}{more}")
    if not analysis.attributions:
        lines.append("(no attributed statements found)")
    if analysis.events:
        lines += ["", "events:"]
        for ev in analysis.events:
            actors = ", ".join(names[i].name for i in ev.actors if i in names)
            targets = ", ".join(names[i].name for i in ev.recipients if i in names)
            said = f" [reported by {ev.reported_by}]" if ev.reported_by else ""
            lines.append(f"  {ev.type:<10} {actors} -> {targets}: {_short(ev.anchor.text, 60)}"
                         f" ({ev.modality}){said}")
    return "\n".join(lines + _voice_lines(analysis, width))


def _voice_lines(analysis: Analysis, width: int) -> list[str]:
    """Claims and counter-claims, then the outlet's own assertions, each marked with its flags."""
    lines = []
    if analysis.disputes:
        lines += ["", "claims and counter-claims:"]
        lines += [f"  {d.source} {d.kind} {d.target}" for d in analysis.disputes]
    if analysis.assertions:
        lines += ["", f"outlet's own voice ({analysis.voices.outlet_share:.0%} of the text):"]
        for s in analysis.assertions:
            flags = f" [{', '.join(s.flags)}]" if s.flags else ""
            lines.append(f"  {s.id:<5}{_short(s.text, width - 10 - len(flags))}{flags}")
    return lines
