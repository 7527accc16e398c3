"""Calibrate events' `confidence` on the PLOVER dev split; the held-out split confirms it.

    python scripts/calibrate_events.py --plover ../shared/data/plover/PLOVER_GSR_CAMEO.txt

Each dev sentence goes through the pipeline as `sayso eval events` runs it; its main event is
bucketed by whether actors and whether recipients were found, and each bucket's confidence is
the share of its events whose type is right, smoothed as (right + 1) / (events + 2) so a small
bucket stays near one half. Writes src/sayso/nlp/data/event_confidence.tsv. Then
`sayso eval events --split heldout` prints the held-out accuracy at each confidence.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from sayso.eval.events import analysed, in_split, load_gold, sayso_prediction
from sayso.nlp.events.coder import DATA

TABLE = DATA / "event_confidence.tsv"
HEADER = ("# actors found\trecipients found\tconfidence\tdev events\tdev right\n"
          "# Written by scripts/calibrate_events.py from the PLOVER dev split: the share of such"
          " events\n# whose type is right, (right + 1) / (events + 2).\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plover", type=Path, required=True)
    args = ap.parse_args()
    records = [r for r in load_gold(args.plover) if in_split(r, "dev")]
    counts: Counter = Counter()
    for record, doc in zip(records, analysed(records), strict=True):
        pred = sayso_prediction(doc)
        if pred.type is not None:
            counts[bool(pred.actors), bool(pred.recipients), pred.type == record.type] += 1
    lines = [HEADER]
    for actors in (True, False):
        for recipients in (True, False):
            right = counts[actors, recipients, True]
            n = right + counts[actors, recipients, False]
            yes = ("yes" if actors else "no", "yes" if recipients else "no")
            lines.append(f"{yes[0]}\t{yes[1]}\t{(right + 1) / (n + 2):.3f}\t{n}\t{right}\n")
    TABLE.write_text("".join(lines), encoding="utf-8")
    print("".join(lines[1:]), end="")


if __name__ == "__main__":
    main()
