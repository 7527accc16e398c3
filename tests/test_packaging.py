"""The wheel as a user gets it: built from the source tree, installed with the constraints into a
fresh virtual environment, then `sayso analyze` on the bundled examples, with nothing else done.

Slow (a wheel build, which builds the gazetteer, and a full install), so it runs only with
SAYSO_WHEEL_TEST=1, as CI does (.ci/run).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ("lake-water-dispute.html", "council-budget-fight.txt")  # HTML: lxml_html_clean

pytestmark = pytest.mark.skipif(os.environ.get("SAYSO_WHEEL_TEST") != "1",
                                reason="slow: SAYSO_WHEEL_TEST=1 builds and installs the wheel")


def _run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=1800, check=False)
    assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done


def test_wheel_installs_into_a_fresh_venv_and_analyzes(tmp_path: Path) -> None:
    source = tmp_path / "source"  # a copy without built files, so the build makes its own
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns(
        "__pycache__", "*.egg-info", "gazetteer*.tsv.gz", "first_names.tsv.gz"))
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, source)
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp_path / "dist",
         source, cwd=tmp_path)
    [wheel] = (tmp_path / "dist").glob("sayso-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        [entry_points] = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
        factories = archive.read(entry_points).decode()
    assert {"sayso/nlp/data/gazetteer.tsv.gz", "sayso/nlp/data/gazetteer_names.tsv.gz",
            "sayso/nlp/data/first_names.tsv.gz"} <= names
    assert "[spacy_factories]" in factories and "sayso_attribution =" in factories

    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    _run(venv / "bin" / "pip", "install", "--quiet", "-c", ROOT / "constraints.txt", wheel,
         cwd=tmp_path)
    done = _run(venv / "bin" / "sayso", "analyze", *(ROOT / "examples" / e for e in EXAMPLES),
                "--format", "jsonl", cwd=tmp_path)
    analyses = [json.loads(line) for line in done.stdout.splitlines()]  # stdout: JSON only
    assert len(analyses) == len(EXAMPLES) and all(a["attributions"] for a in analyses)
    assert "gazetteer" not in done.stderr  # shipped in the wheel, never built at run time
    assert "first-name" not in done.stderr
    _run(venv / "bin" / "python", "-c", "import spacy; spacy.blank('en').add_pipe('sayso_times')",
         cwd=tmp_path)
