"""A cluster through Ray, on a local Ray cluster of 2 workers: the shards analysed there, as
Parquet brought into a store with `sayso load` or straight into a store, give the store a
one-worker `sayso analyze` gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from sayso.cli import main
from test_runs import stored, write_articles

pytest.importorskip("ray")


def test_ray_run_to_parquet_and_to_a_store_equals_a_local_run(tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 4, bad=1)
    local = str(tmp_path / "local.db")
    assert main(["analyze", str(tmp_path / "in"), "--db", local, "--workers", "1",
                 "--no-progress", "-q"]) == 1
    out = tmp_path / "parquet"
    assert main(["run", "--ray", "local", "--ray-workers", "2", str(tmp_path / "in"),
                 "--out", str(out), "-q"]) == 1
    assert len(list((out / "attributions").glob("shard-*.parquet"))) == 5  # one per shard
    loaded = str(tmp_path / "loaded.db")
    assert main(["load", str(out), "--db", loaded, "-q"]) == 0
    assert stored(loaded) == stored(local)

    direct = str(tmp_path / "direct.db")
    assert main(["run", "--ray", "local", "--ray-workers", "2", str(tmp_path / "in"),
                 "--db", direct, "-q"]) == 1
    assert stored(direct) == stored(local)
