"""Build sayso's first-name gender table from the pinned names-dataset package (no network).

names-dataset (Apache-2.0) ships 730,000 first names with the share of women and men among the
people who bear them, but as a 25 MB pickle that takes seconds and most of a gigabyte to load; the
pipeline needs one number per name. So this reduces it, once, to a small gz TSV: the wheel build
writes it into the wheel (setup.py), `make install` into a checkout, and gender.py builds it on
first use when a checkout lacks it. Progress goes to stderr only.

The dataset gives shares rounded to three decimals, not counts; the smallest number of people that
makes every share of a name a whole count is a lower bound on how many bear it. Only single-word
names borne by at least MIN_PEOPLE people in that sense are kept: a share from a handful of
people is no evidence of anything.

Writes data/first_names.tsv.gz: lower-cased name, share of women (0.000-1.000), sorted by name.

    python -m sayso.nlp.entities.build_names
"""

from __future__ import annotations

import gzip
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
NAMES_FILE = DATA / "first_names.tsv.gz"
MIN_PEOPLE = 50
WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")  # letters, joined by hyphens or apostrophes
ROUNDING = 0.0005 + 1e-9  # the dataset's shares are rounded to 3 decimals


def people_at_least(shares: list[float], most: int = MIN_PEOPLE) -> int:
    """The fewest people (up to `most`) whose whole counts round to all of `shares`; `most` when
    no smaller number fits."""
    split = [s for s in shares if 0 < s < 1]
    if not split:
        return 1  # all in one country and of one gender: any number fits, so assume the fewest
    for n in range(1, most):
        if all(abs(round(s * n) / n - s) <= ROUNDING for s in split):
            return n
    return most


def rows(first_names: Mapping[str, dict]) -> Iterator[tuple[str, float]]:
    """(lower-cased name, share of women) for each well-attested single-word name; of two
    spellings that lower-case alike, the first."""
    seen: set[str] = set()
    for name, info in first_names.items():
        key = name.lower()
        gender = info.get("gender") or {}
        if key in seen or not gender or not WORD.fullmatch(name):
            continue
        shares = [*info.get("country", {}).values(), *gender.values()]
        if people_at_least(shares) >= MIN_PEOPLE:
            seen.add(key)
            yield key, gender.get("F", 0.0)


def _first_names() -> dict[str, dict]:
    """names-dataset's first names; imported here, as only a build needs the package."""
    from names_dataset import NameDataset

    return NameDataset(load_first_names=True, load_last_names=False).first_names


def main(out: Path = DATA) -> None:
    """Build the table into the folder `out`."""
    print("sayso: building the first-name gender table from names-dataset...", file=sys.stderr)
    lines = sorted(f"{name}\t{female:.3f}\n" for name, female in rows(_first_names()))
    out.mkdir(parents=True, exist_ok=True)
    path = out / NAMES_FILE.name
    path.write_bytes(gzip.compress("".join(lines).encode("utf-8"), compresslevel=9, mtime=0))
    print(f"sayso: {len(lines)} first names -> {path} ({path.stat().st_size} bytes)",
          file=sys.stderr)


if __name__ == "__main__":
    main()
