"""A run that resumes: the inputs split into shards (one input file each), each marked done in
the store's run manifest once every document read from it is stored or recorded as an error.

A rerun of the same inputs and engine finds the run that did not finish and reads only the
shards not done (or changed since: size and modification time); a shard that was cut off half
way is read again, and the articles it had already stored are skipped by their content hash,
so none is stored twice. Counts are per shard and start afresh when a shard is redone, so a
resumed run's totals (articles + skipped) equal those of a run that was never stopped.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sayso.ingest.sources import STDIN, expand_inputs
from sayso.store import Store
from sayso.store import runs as manifest
from sayso.store.core import _storable

OUTCOMES = ("articles", "skipped", "errors")


def fingerprint(name: str) -> str:
    """What tells a changed input from the one a shard was done on; stdin is never the same."""
    if name == STDIN:
        return uuid.uuid4().hex
    try:
        info = os.stat(name)
    except OSError:
        return "missing"
    return f"{info.st_size}:{info.st_mtime_ns}"


def run_key(inputs: list[str], engine: str) -> str:
    """The same inputs (wherever they are named from) with the same engine are the same run."""
    names = [name if name == STDIN else str(Path(name).resolve()) for name in inputs]
    return hashlib.sha256(json.dumps([names, engine]).encode()).hexdigest()[:16]


@dataclass
class _Shard:
    index: int
    name: str
    fingerprint: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    outstanding: int = 0  # documents handed to analysis and not yet stored or failed
    read: bool = False  # every document of it has been read
    finished: bool = False
    started: float = 0.0


class Run:
    """The manifest of one run, kept up to date as its documents are read and resolved."""

    def __init__(self, store: Store, inputs: list[str], engine: str, workers: int) -> None:
        self.store = store
        names = expand_inputs(inputs)
        key = run_key(inputs, engine)
        previous = manifest.open_run(store, key)
        done: set[int] = set()
        stored_names = [_storable(n) for n in names]  # as the store keeps an undecodable name
        shards_before = manifest.shards(store, previous["id"]) if previous else []
        if previous and [s["input"] for s in shards_before] == stored_names:
            self.id, self.resumed = previous["id"], True
            done = {s["shard"] for s in manifest.shards(store, self.id)
                    if s["status"] == manifest.DONE and names[s["shard"]] != STDIN
                    and s["fingerprint"] == fingerprint(names[s["shard"]])}
            self.seconds_before = previous["seconds"]
        else:
            self.id, self.resumed, self.seconds_before = uuid.uuid4().hex[:12], False, 0.0
        self.shards = [_Shard(i, n, fingerprint(n)) for i, n in enumerate(names)]
        if not self.resumed:
            manifest.create_run(store, self.id, key, inputs, engine, workers,
                                [(s.name, s.fingerprint) for s in self.shards])
        self.todo = [s for s in self.shards if s.index not in done]
        # What the shards done before held: their documents count as already stored.
        self.carried = dict.fromkeys(OUTCOMES, 0)
        for row in manifest.shards(store, self.id) if done else []:
            if row["shard"] in done:
                self.carried["skipped"] += row["articles"] + row["skipped"]
                self.carried["errors"] += row["errors"]
        self.skipped_shards = len(self.shards) - len(self.todo)
        self._origins: dict[str, _Shard] = {}  # document origin -> its shard, while outstanding
        self._started = time.monotonic()

    def begin(self, shard: _Shard) -> None:
        shard.started = time.monotonic()
        manifest.start_shard(self.store, self.id, shard.index, shard.fingerprint)

    def handed_out(self, shard: _Shard, origin: str) -> None:
        shard.outstanding += 1
        self._origins[origin] = shard

    def resolved(self, origin: str, outcome: str, shard: _Shard | None = None) -> None:
        """One document of a shard is stored, skipped or an error record."""
        if shard is None:
            shard = self._origins.pop(origin, None)
            if shard is None:
                return
            shard.outstanding -= 1
        shard.counts[outcome] += 1
        self._maybe_done(shard)

    def read_all(self, shard: _Shard) -> None:
        shard.read = True
        self._maybe_done(shard)

    def _maybe_done(self, shard: _Shard) -> None:
        if shard.read and not shard.outstanding and not shard.finished:
            shard.finished = True
            manifest.finish_shard(self.store, self.id, shard.index, shard.counts,
                                  time.monotonic() - shard.started)

    def close(self, status: str) -> None:
        seconds = self.seconds_before + time.monotonic() - self._started
        manifest.update_run(self.store, self.id, status, seconds)
