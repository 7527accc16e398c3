"""The identities of a store as Markdown tables (names and counts only, no article text): the
people with at least N statements that the linking rules formed from more than one written
name or article (the merges), the bare names left on their own, and the pairs of people that
share a name word (where a remaining split would show), for review in docs/identities.md.

    .venv/bin/python scripts/identities_report.py --db /tmp/voa.db --min-statements 2
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from itertools import combinations

from sayso.compare.identities import name_core, norm
from sayso.nlp.entities import names
from sayso.store import open_store
from sayso.store.identities import identity_list, link_pending


def _table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c).replace("|", "/") for c in r) + " |" for r in rows]
    return "\n".join(lines)


def _forms(aliases: list[str]) -> str:
    """The names an identity is written with, without the descriptions around them (those are
    the article's words): "Imran Hayat, the railway superintendent" counts as a described form."""
    cores = [name_core(a) for a in aliases]
    names_ = sorted({c[1] if c else a for a, c in zip(aliases, cores, strict=True)})
    described = sum(1 for a, c in zip(aliases, cores, strict=True) if c and c[1] != a)
    return "; ".join(names_) + (f" (+{described} with a title or description)" if described
                                else "")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", required=True)
    p.add_argument("--min-statements", type=int, default=2)
    args = p.parse_args()
    with open_store(args.db, create=False) as store:
        link_pending(store)
        people = [r for r in identity_list(store, kind="person")
                  if r["statements"] >= args.min_statements]
        bodies = [r for r in identity_list(store, kind="body")
                  if len(r["aliases"]) > 1 and r["statements"] >= args.min_statements]
    merged = [r for r in people if len(r["aliases"]) > 1 or r["articles"] > 1]
    print(f"{len(people)} people with at least {args.min_statements} statements; "
          f"{len(merged)} of them linked from several written names or articles.\n")
    print(_table(["identity", "written as", "statements", "articles"],
                 [[r["name"], _forms(r["aliases"]), r["statements"], r["articles"]]
                  for r in merged]))
    print(f"\nBodies with at least {args.min_statements} statements written several ways "
          f"({len(bodies)}):\n")
    print(_table(["identity", "written as", "statements", "articles"],
                 [[r["name"], _forms(r["aliases"]), r["statements"], r["articles"]]
                  for r in bodies]))
    bare = [r for r in people if " " not in r["name"]]
    print(f"\nBare names left on their own ({len(bare)}):\n")
    print(_table(["identity", "statements", "articles"],
                 [[r["name"], r["statements"], r["articles"]] for r in bare]))
    by_word: dict[str, list[dict]] = defaultdict(list)
    for r in people:
        for word in set(norm(r["name"]).split()) - names.particles():
            by_word[word].append(r)
    pairs = sorted({(a["name"], b["name"]) for rs in by_word.values()
                    for a, b in combinations(rs, 2)})
    print(f"\nPeople sharing a name word ({len(pairs)} pairs):\n")
    print(_table(["one", "other"], [list(pair) for pair in pairs]))


if __name__ == "__main__":
    main()
