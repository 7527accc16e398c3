"""Benchmark reprint detection on copies made, at run time, by editing real articles.

    .venv/bin/python scripts/bench_reprints.py --voa ../shared/data/voa/voa_stories.jsonl \
        --polnear ../shared/data/polnear --store-size 10000

Each real article (VOA stories, PolNeAR texts) is an origin; copies of it are made by cutting,
inserting (paragraphs from another article) and rewording paragraphs and by changing the
headline, each copy dated after its origin. Hard negatives are pairs of different real articles
on the same subject (sharing keywords or names): grouping them is a false positive. Scored:
pairwise precision and recall of the groups, whether each copy's origin is its source, and
whether `differences` names exactly the paragraphs cut and added. VOA is where the thresholds
were chosen; PolNeAR confirms them. Then a synthetic store of --store-size articles (copies
and originals) is deduplicated and timed. Nothing is written to disk.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from sayso.compare.reprints import ReprintIndex, differences, units

CAPITALISED = re.compile(r"\b[A-Z][a-z]{2,}\b")


@dataclass
class Source:
    id: str
    title: str
    text: str
    published: str
    keywords: frozenset[str]


@dataclass
class Item:
    id: str
    title: str
    text: str
    published: str
    source: str  # the real article it was made from (itself for an origin)
    cut: set[int] = field(default_factory=set)  # origin unit numbers cut
    added: int = 0  # units inserted


def read_voa(path: Path) -> list[Source]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [Source(f"voa-{r['id']}", r["title"], r["text"], r["published"],
                   frozenset(k.strip().lower() for k in (r.get("keywords") or "").split(",")
                             if k.strip())) for r in rows if r.get("text")]


def read_polnear(folder: Path) -> list[Source]:
    with (folder / "metadata.tsv").open(encoding="utf-8") as f:
        meta = {r["filename"]: r for r in csv.DictReader(f, delimiter="\t")}
    out = []
    for path in sorted(folder.glob("*/text/*.txt")):
        m = meta.get(path.stem, {})
        text = path.read_text(encoding="utf-8")
        out.append(Source(f"pn-{path.stem}", m.get("title", ""), text,
                          m.get("publication_date", "2016-01-01"),
                          frozenset(CAPITALISED.findall(text))))
    return out


def same_subject(sources: list[Source], limit: int, rng: random.Random) -> list[tuple[str, str]]:
    """Pairs of different articles sharing the most keywords or names (the hard negatives)."""
    scored = []
    for a, b in itertools.combinations(sources, 2):
        shared = len(a.keywords & b.keywords) / (len(a.keywords | b.keywords) or 1)
        scored.append((shared, a.id, b.id))
    scored.sort(reverse=True)
    return [(a, b) for _, a, b in scored[:limit]]


def reword(text: str, rng: random.Random, filler: list[str]) -> str:
    """Replace about one word in six and drop one, never the first or last (where sentences
    begin and end): an editor's light rewording."""
    w = text.split()
    if len(w) < 6:
        return text
    for i in rng.sample(range(1, len(w) - 1), max(1, len(w) // 6)):
        w[i] = rng.choice(filler)
    del w[rng.randrange(1, len(w) - 1)]
    return " ".join(w)


def make_copy(src: Source, n: int, rng: random.Random, donors: list[Source]) -> Item:
    """A copy of `src` with cut, inserted and reworded units and often a new headline."""
    spans = units(src.text)
    glue = "\n\n" if "\n" in src.text else " "
    pieces = [src.text[s:e] for s, e in spans]
    k = len(pieces)
    cut = set(rng.sample(range(1, k), min(k - 1, rng.randint(1, max(1, k // 4))))) if k > 2 \
        else set()
    filler = [w for p in pieces for w in p.split()]
    kept = []
    for i, p in enumerate(pieces):
        if i in cut:
            continue
        kept.append(reword(p, rng, filler) if rng.random() < 0.15 and i else p)
    donor = rng.choice([d for d in donors if d.id != src.id])
    budget = len(src.text.split()) // 8  # an outlet's own additions: an eighth of the story
    dspans = [(s, e) for s, e in units(donor.text) if len(donor.text[s:e].split()) <= budget]
    added = min(rng.randint(0, 2), len(dspans))
    for s, e in rng.sample(dspans, added):
        kept.insert(rng.randint(1, len(kept)), donor.text[s:e])
    title = src.title if rng.random() < 0.3 else f"{src.title.rstrip('.')} – report"
    day = f"{src.published[:10]}T{10 + n % 12:02d}:00:00Z-copy{n}"
    return Item(f"{src.id}~{n}", title, glue.join(kept), day, src.id, cut, added)


def build(sources: list[Source], rng: random.Random, copies: tuple[int, int]) -> list[Item]:
    """The origins and copies of them (between copies[0] and copies[1] each), shuffled."""
    items = [Item(s.id, s.title, s.text, s.published[:10], s.id) for s in sources]
    n = 0
    for s in sources:
        for _ in range(rng.randint(*copies)):
            n += 1
            items.append(make_copy(s, n, rng, sources))
    rng.shuffle(items)
    return items


def score(items: list[Item], index: ReprintIndex, negatives: list[tuple[str, str]]) -> dict:
    by_id = {i.id: i for i in items}
    true = {tuple(sorted(p)) for g in _groups(items) for p in itertools.combinations(g, 2)}
    pred = {tuple(sorted(p)) for g in index.groups() for p in itertools.combinations(g, 2)}
    hit = len(true & pred)
    copies = [i for i in items if i.id != i.source]
    origin_ok = sum(index.origin(c.id) == c.source for c in copies)
    merged_negatives = sum(index.origin(a) == index.origin(b) for a, b in negatives)
    exact = 0
    for c in copies:
        src = by_id[c.source]
        diffs = differences(src.text, c.text)
        spans = units(src.text)
        cut = {spans.index(d.origin) for d in diffs if d.kind == "cut" and d.origin in spans}
        added = sum(d.kind == "added" for d in diffs)
        exact += cut == c.cut and added == c.added
    wrong = sorted(pred - true)
    originals = sorted((a, b) for a, b in wrong if a == by_id[a].source and b == by_id[b].source)
    return {"articles": len(items), "copies": len(copies), "true_pairs": len(true),
            "predicted_pairs": len(pred),
            "precision": round(hit / len(pred), 4) if pred else None,
            "recall": round(hit / len(true), 4) if true else None,
            "origin_accuracy": round(origin_ok / len(copies), 4) if copies else None,
            "differences_exact": round(exact / len(copies), 4) if copies else None,
            "hard_negative_pairs": len(negatives), "hard_negatives_merged": merged_negatives,
            "false_pairs_sample": wrong[:5],
            "real_articles_grouped": originals,
            "false_pairs_not_from_real_duplicates": sum(
                tuple(sorted((by_id[a].source, by_id[b].source))) not in set(originals)
                for a, b in wrong)}


def _groups(items: list[Item]) -> list[list[str]]:
    out: dict[str, list[str]] = {}
    for i in items:
        out.setdefault(i.source, []).append(i.id)
    return [g for g in out.values() if len(g) > 1]


def dedup(items: list[Item]) -> tuple[ReprintIndex, float]:
    index = ReprintIndex()
    started = time.perf_counter()
    for i in items:
        index.add(i.id, i.text, i.published)
    return index, time.perf_counter() - started


def bench(name: str, sources: list[Source], rng: random.Random, negatives: int) -> dict:
    items = build(sources, rng, (0, 3))
    index, seconds = dedup(items)
    report = score(items, index, same_subject(sources, negatives, rng))
    return {"set": name, **report, "seconds": round(seconds, 2),
            "seconds_per_1000": round(1000 * seconds / len(items), 2)}


def synthetic_store(sources: list[Source], size: int, rng: random.Random) -> dict:
    """`size` articles: every source and copies of them up to `size` (one wire story 40 times)."""
    items = [Item(s.id, s.title, s.text, s.published[:10], s.id) for s in sources][:size]
    wire = sources[0]
    n = 0
    while len(items) < size:
        n += 1
        src = wire if n <= 40 else rng.choice(sources)
        items.append(make_copy(src, n, rng, sources))
    rng.shuffle(items)
    index, seconds = dedup(items)
    groups = index.groups()
    wire_group = index.group(wire.id)
    true = {tuple(sorted(p)) for g in _groups(items) for p in itertools.combinations(g, 2)}
    pred = {tuple(sorted(p)) for g in groups for p in itertools.combinations(g, 2)}
    hit = len(true & pred)
    return {"articles": len(items), "seconds": round(seconds, 1),
            "seconds_per_1000": round(1000 * seconds / len(items), 2), "groups": len(groups),
            "wire_story_origin_ok": wire_group[0] == wire.id,
            "wire_story_copies": len(wire_group) - 1,
            "precision": round(hit / len(pred), 4) if pred else None,
            "recall": round(hit / len(true), 4) if true else None}


def link_cost(sources: list[Source], n: int, rng: random.Random) -> dict:
    """Seconds `sayso.store.compare.update` takes per 1,000 articles added to a SQLite store in
    a temporary folder: `n` articles (sources and copies), added in batches of 100, each with
    its sentences holding " said " as statements (no speakers: what the pipeline would find
    is not needed to time the matching)."""
    import tempfile

    from sayso.model import Analysis, Article, Attribution, Span
    from sayso.store import open_store
    from sayso.store.compare import update

    items = [Item(s.id, s.title, s.text, s.published[:10], s.id) for s in sources]
    while len(items) < n:
        items.append(make_copy(rng.choice(sources), len(items), rng, sources))
    items = items[:n]
    total, statements = 0.0, 0
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "bench.db") as store:
        for k in range(0, n, 100):
            ids = []
            for i in items[k : k + 100]:
                said = [(a, b) for a, b in units(i.text) if " said " in i.text[a:b]]
                analysis = Analysis(
                    article=Article(title=i.title, published=i.published, text=i.text),
                    attributions=[Attribution(f"A{j}", "indirect", None, None,
                                              Span(a, b, i.text[a:b]))
                                  for j, (a, b) in enumerate(said)])
                store.save(analysis)
                ids.append(analysis.article.id)
            started = time.perf_counter()
            stats = update(store, ids)
            total += time.perf_counter() - started
            statements += stats.statements
    return {"articles": n, "statements": statements, "seconds": round(total, 1),
            "seconds_per_1000_articles": round(1000 * total / n, 1)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--voa", type=Path, required=True, help="voa_stories.jsonl")
    p.add_argument("--polnear", type=Path, required=True, help="PolNeAR folder")
    p.add_argument("--store-size", type=int, default=10000)
    p.add_argument("--negatives", type=int, default=200, help="hard-negative pairs per set")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--link", type=int, default=0, metavar="N",
                   help="also time the store's incremental update over N articles added")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    rng = random.Random(args.seed)
    voa, polnear = read_voa(args.voa), read_polnear(args.polnear)
    report = {"voa (tuning)": bench("voa", voa, rng, args.negatives),
              "polnear (confirming)": bench("polnear", polnear, rng, args.negatives)}
    if args.store_size:
        report["store"] = synthetic_store(voa + polnear, args.store_size, rng)
    if args.link:
        report["link"] = link_cost(voa + polnear, args.link, rng)
    if args.json:
        print(json.dumps(report, indent=1))
        return
    for name, r in report.items():
        print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in r.items()), file=sys.stdout)


if __name__ == "__main__":
    main()
