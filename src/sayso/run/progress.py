"""Progress people can read: a bar with the total, rate, ETA and error count while a batch runs
(tqdm, on a terminal or with --progress), and one summary line at the end."""

from __future__ import annotations

import sys
import time

from tqdm import tqdm


class Progress:
    """Counts of a batch's outcomes ("articles", "skipped", "errors"), shown as they change."""

    def __init__(self, show: bool, total: int | None, desc: str = "analyze") -> None:
        self.bar = tqdm(desc=desc, unit="doc", disable=not show, file=sys.stderr, total=total,
                        dynamic_ncols=True)
        self.counts = {"articles": 0, "skipped": 0, "errors": 0}
        self.started = time.monotonic()

    def add(self, outcome: str) -> None:
        self.counts[outcome] += 1
        self.bar.update(1)
        if outcome == "errors":
            self.bar.set_postfix(errors=self.counts["errors"], refresh=False)

    def tick(self) -> None:
        """Redraw (the rate and ETA move on while a slow document is being read)."""
        self.bar.update(0)

    def write(self, message: str) -> None:
        self.bar.write(message, file=sys.stderr)

    def close(self) -> None:
        self.bar.close()

    def summary(self, workers: int = 1) -> str:
        seconds = time.monotonic() - self.started
        done, skipped, failed = (self.counts[k] for k in ("articles", "skipped", "errors"))
        rate = done / seconds if seconds else 0.0
        on = f" on {workers} workers" if workers > 1 else ""
        return (f"analyzed {done}, skipped {skipped} already stored, failed {failed} in "
                f"{seconds:.1f} s ({rate:.2f} articles/s{on})")
