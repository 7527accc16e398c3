"""Hostile input never stops a batch: each defect of issue 9 on its own, the limits, the exit
statuses, properties of ingest and analysis on arbitrary text and bytes (Hypothesis), and a
generated fuzz corpus run as one batch through the command line.

The full corpus (a 3 GiB line, 1,000 nested quotes) runs only with SAYSO_FUZZ_FULL=1.
"""

from __future__ import annotations

import codecs
import gzip
import importlib.util
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sayso import cli
from sayso.ingest import from_record, from_string, read_inputs
from sayso.ingest.checks import Limits, decode
from sayso.ingest.clean import normalize_text
from sayso.model import Analysis, Document, IngestError, content_id

ROOT = Path(__file__).parent.parent
GOOD = (ROOT / "tests" / "fixtures" / "ingest" / "clean_wire.txt").read_text(encoding="utf-8")
QUOTED = (
    "Fishermen in the northern port of Varnholm blocked the harbour on Tuesday, the coast guard "
    "said. \u201cWe cannot feed our families on these quotas,\u201d said Ilse Marten, who chairs "
    "the fishers\u2019 cooperative. The fisheries minister, Tomas Brekke, told reporters that "
    "the limits were needed to protect cod stocks. According to the ministry, catches fell by "
    "18 percent last year. \u201cWe will not move,\u201d Marten said."
)
ERROR_KINDS = {
    "empty", "binary", "encoding", "too_large", "too_short", "language", "parse", "not_found",
    "unreadable", "corrupt", "line_too_long", "decompressed_too_large", "too_deep", "internal",
}


def _load_fuzz():
    spec = importlib.util.spec_from_file_location("make_fuzz_corpus",
                                                  ROOT / "scripts" / "make_fuzz_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


fuzz = _load_fuzz()


def items(tmp_path: Path, name: str | bytes, data: bytes, limits: Limits | None = None) -> list:
    path = tmp_path / (os.fsdecode(name) if isinstance(name, bytes) else name)
    path.write_bytes(data)
    return list(read_inputs([str(path)], limits))


def kinds(found: list) -> list[str]:
    return [i.error if isinstance(i, IngestError) else "ok" for i in found]


# -- the defects, one by one -------------------------------------------------------------------


@pytest.mark.parametrize("cut", [0.5, -4])
def test_truncated_gzip_is_one_record(tmp_path: Path, cut: float) -> None:
    packed = gzip.compress(GOOD.encode())
    end = int(len(packed) * cut) if cut > 0 else len(packed) + int(cut)
    (err,) = items(tmp_path, "cut.txt.gz", packed[:end])
    assert (err.error, err.stage, err.exception) == ("corrupt", "read", "EOFError")


def test_corrupt_gzip_is_one_record(tmp_path: Path) -> None:
    packed = bytearray(gzip.compress(GOOD.encode()))
    packed[len(packed) // 2] ^= 0xFF
    (err,) = items(tmp_path, "bad.html.gz", bytes(packed))
    assert err.error == "corrupt" and err.exception in ("error", "BadGzipFile")


def test_truncated_jsonl_gzip_keeps_the_lines_before_the_cut(tmp_path: Path) -> None:
    packed = gzip.compress(fuzz.jsonl({"text": GOOD}, {"text": QUOTED}, {"text": "x " * 40_000}))
    found = items(tmp_path, "cut.jsonl.gz", packed[:-40])
    assert kinds(found) == ["ok", "ok", "corrupt"]


def test_deeply_nested_line_loses_no_good_line(tmp_path: Path) -> None:
    data = fuzz.jsonl({"text": GOOD}) + b"[" * 100_000 + b"\n" + fuzz.jsonl({"text": QUOTED})
    found = items(tmp_path, "nested.jsonl", data)
    assert kinds(found) == ["ok", "too_deep", "ok"]
    assert found[1].origin.endswith(":2")


def test_lone_surrogates_are_replaced(tmp_path: Path) -> None:
    data = fuzz.jsonl({"text": GOOD[:50] + "\ud800" + GOOD[50:], "title": "A \udcff title"})
    (doc,) = items(tmp_path, "s.jsonl", data)
    assert isinstance(doc, Document)
    assert "\ufffd" in doc.article.text and doc.article.id == content_id(doc.article.text)
    assert doc.article.title == "A \ufffd title"


def test_failing_file_with_a_name_that_is_not_utf8_is_stored(tmp_path: Path,
                                                             store_url: str) -> None:
    (err,) = items(tmp_path, b"bad-\xff\xfe.txt", b"")
    assert err.error == "empty" and err.origin.endswith("bad-\\xff\\xfe.txt")
    from sayso.store import open_store

    with open_store(store_url) as store:
        store.record_error(err)
        store.record_error(IngestError("raw-\udcff\ud800", "internal", "nul \x00 here", "read",
                                       "ValueError"))
        stored = {e["origin"]: e["message"] for e in store.errors()}
    assert stored[err.origin] == f"[check] {err.message}"
    assert stored["raw-\\udcff\\ud800"] == "[read] ValueError: nul \ufffd here"


def test_a_document_that_breaks_the_pipeline_leaves_its_batch_whole(monkeypatch) -> None:
    from sayso.nlp.entities.resolver import EntityResolver
    from sayso.pipeline import analyze_documents

    resolve = EntityResolver.__call__

    def fragile(self, doc):
        if "Varnholm" in doc.text:  # as deeply nested quotes once did
            raise RecursionError("maximum recursion depth exceeded")
        return resolve(self, doc)

    monkeypatch.setattr(EntityResolver, "__call__", fragile)
    docs = [from_string(t, origin=f"doc{i}") for i, t in enumerate((GOOD, QUOTED, GOOD + " Ok."))]
    errors: list[IngestError] = []
    analyses = list(analyze_documents(docs, batch_size=8, on_error=errors.append))
    assert [a.article.id for a in analyses] == [docs[0].article.id, docs[2].article.id]
    assert [(e.origin, e.error, e.stage, e.exception) for e in errors] == [
        ("doc1", "too_deep", "analyze", "RecursionError")]


def test_utf16_and_utf32_with_a_bom_are_read(tmp_path: Path) -> None:
    for n, (encoding, bom) in enumerate([("utf-16-le", codecs.BOM_UTF16_LE),
                                         ("utf-16-be", codecs.BOM_UTF16_BE),
                                         ("utf-32-le", codecs.BOM_UTF32_LE)]):
        (doc,) = items(tmp_path, f"u{n}.txt", bom + GOOD.encode(encoding))
        assert isinstance(doc, Document) and doc.article.text == GOOD.strip()


def test_a_few_stray_bytes_keep_the_curly_quotes() -> None:
    raw = QUOTED.encode().replace(b"Tuesday,", b"Tuesday \x96", 1) + b" \x93Yes\x94."
    text = decode(raw)
    assert "\u201cWe cannot feed" in text and "families on these quotas,\u201d" in text
    assert "Tuesday \u2013" in text and "\u201cYes\u201d" in text


def test_zero_width_spaces_between_words_still_give_statements() -> None:
    from sayso import analyze

    clean = analyze(QUOTED)
    for hidden in (QUOTED.replace(" ", "\u200b"), QUOTED.replace(" ", " \u200b\u2060\u00ad")):
        analysis = analyze(hidden)
        assert analysis.article.text == clean.article.text
        assert len(analysis.attributions) == len(clean.attributions) > 0


def test_unreadable_folder_gives_a_record(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.txt").write_text(GOOD)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text(GOOD)
    real = os.scandir

    def scandir(path="."):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)  # root may read any folder, so pretend
    found = list(read_inputs([str(tmp_path)]))
    assert kinds(found) == ["ok", "unreadable"]
    assert found[1].origin == str(locked) and found[1].exception == "PermissionError"


def test_feeds_say_what_they_drop(tmp_path: Path) -> None:
    assert kinds(items(tmp_path, "g.rss", b"<rss version='2.0'>\x01 <<>> &&& <item")) == ["parse"]
    item = fuzz.rss_item("Port", QUOTED)
    cut = fuzz.rss([item])[: -len("</channel></rss>")] + "<item><title>Cut</title><description>"
    assert kinds(items(tmp_path, "u.rss", cut.encode())) == ["parse", "ok", "empty"]
    short = fuzz.rss([fuzz.rss_item("Short", "Breaking!"), item])
    assert kinds(items(tmp_path, "s.rss", short.encode())) == ["too_short", "ok"]


@pytest.mark.parametrize("text", ["!?., ;:-- " * 80, "Breaking!", "bogus " * 200])
def test_text_without_words_is_refused(text: str) -> None:
    assert from_string(text, origin="junk").error in ("too_short", "empty")


def test_repetitive_arabic_is_not_english() -> None:
    err = from_string(fuzz.ARABIC * 60, origin="ar")
    assert err.error == "language" and "Arabic" in err.message


def test_binary_file_named_jsonl_is_one_record(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40
    assert kinds(items(tmp_path, "image.jsonl", png)) == ["binary"]


# -- limits ------------------------------------------------------------------------------------


def test_each_limit_gives_its_own_record(tmp_path: Path) -> None:
    small = Limits(max_bytes=1000, max_line=5000, max_decompressed=100_000, max_depth=3)
    assert kinds(items(tmp_path, "big.txt", GOOD.encode() * 10, small)) == ["too_large"]
    lines = fuzz.jsonl({"text": "y " * 5000}, {"text": GOOD}, {"text": GOOD, "x": [[[[1]]]]})
    assert kinds(items(tmp_path, "l.jsonl", lines, small)) == ["line_too_long", "ok", "too_deep"]
    packed = gzip.compress(fuzz.jsonl(*[{"text": GOOD + " " * i} for i in range(300)]))
    found = kinds(items(tmp_path, "many.jsonl.gz", packed, small))
    assert found[-1] == "decompressed_too_large" and set(found[:-1]) == {"ok"}


def test_an_endless_line_is_skipped_in_bounded_memory(tmp_path: Path) -> None:
    limit = 1_000_000
    data = fuzz.gzip_members(b'{"text": "', b"a" * (1 << 20), 40) + gzip.compress(
        b'"}\n' + fuzz.jsonl({"text": GOOD}))
    path = tmp_path / "endless.jsonl.gz"
    path.write_bytes(data)
    tracemalloc.start()
    try:
        found = list(read_inputs([str(path)], Limits(max_line=limit)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert kinds(found) == ["line_too_long", "ok"]
    assert peak < 8 * limit, f"{peak:,} bytes held for a 40 MiB line"


# -- exit statuses -----------------------------------------------------------------------------


def _main(args: list[str], capsys) -> tuple[int, str]:
    status = cli.main(["analyze", *args, "--no-progress"])
    return status, capsys.readouterr().err


def test_exit_status_counts_failed_documents(tmp_path: Path, capsys) -> None:
    (tmp_path / "good.txt").write_text(QUOTED)
    (tmp_path / "bad.txt").write_text("!!!")
    (tmp_path / "bad.jsonl").write_bytes(b"[1]\n{}\n")
    status, err = _main([str(tmp_path), "--db", str(tmp_path / "s.db")], capsys)
    assert status == 3 and "analyzed 1, skipped 0 already stored, failed 3" in err
    records = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert {r["stage"] for r in records} == {"check", "extract"}


def test_a_store_that_refuses_one_article_fails_only_that_one(tmp_path: Path, capsys,
                                                             monkeypatch) -> None:
    from sayso.store.core import Store

    real = Store.save

    def save(self, analysis: Analysis) -> bool:
        if "Varnholm" in analysis.article.text:
            raise sqlite3.DataError("string or blob too big")
        return real(self, analysis)

    monkeypatch.setattr(Store, "save", save)
    (tmp_path / "a.txt").write_text(QUOTED)
    (tmp_path / "b.txt").write_text(GOOD)
    db = tmp_path / "s.db"
    status, err = _main([str(tmp_path), "--db", str(db)], capsys)
    assert status == 1 and "analyzed 1" in err
    (record,) = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert (record["stage"], record["exception"]) == ("store", "DataError")
    assert record["origin"].endswith("a.txt")


def test_a_broken_store_stops_the_batch(tmp_path: Path, capsys, monkeypatch) -> None:
    from sayso.store.core import Store

    def broken(self, *args) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    (tmp_path / "a.txt").write_text("!!!")
    (tmp_path / "b.txt").write_text(GOOD)
    monkeypatch.setattr(Store, "record_error", broken)
    status, err = _main([str(tmp_path), "--db", str(tmp_path / "s.db")], capsys)
    assert status == cli.EXIT_STORE_FAILED and "disk I/O error" in err
    folder = tmp_path / "a-folder"
    folder.mkdir()
    status, err = _main([str(tmp_path / "b.txt"), "--db", str(folder)], capsys)
    assert status == cli.EXIT_STORE_FAILED and "cannot open the store" in err


def test_an_interrupted_run_says_so(tmp_path: Path, capsys, monkeypatch) -> None:
    import sayso.pipeline

    def interrupted(documents, **kwargs):
        next(iter(documents))
        raise KeyboardInterrupt
        yield

    monkeypatch.setattr(sayso.pipeline, "analyze_documents", interrupted)
    (tmp_path / "a.txt").write_text(GOOD)
    status, err = _main([str(tmp_path), "--db", str(tmp_path / "s.db")], capsys)
    assert status == cli.EXIT_INTERRUPTED and "interrupted" in err


# -- properties --------------------------------------------------------------------------------

PROPERTIES = settings(max_examples=30, deadline=None, database=None,
                      suppress_health_check=[HealthCheck.too_slow])
# Any code point, with the troublesome ones (format, surrogate, control, quote) made common.
junk_text = st.text(st.one_of(st.characters(exclude_categories=()), st.sampled_from(
    "\u200b\u200c\u2060\ufeff\u00ad\u202e\ud800\udcff\x00\x0c\u2028\u00a0\"'\u201c\u201d<&")),
    max_size=300)


def _check_item(item: Document | IngestError) -> None:
    if isinstance(item, IngestError):
        assert item.error in ERROR_KINDS and item.message
        return
    article = item.article
    assert article.id == content_id(article.text)
    assert normalize_text(article.text) == article.text
    for text in (article.text, article.title or "", *article.authors, *article.captions):
        text.encode("utf-8")  # storable: no lone surrogates


@PROPERTIES
@given(junk_text, st.sampled_from(["", GOOD, QUOTED]), st.integers(0, 400))
def test_from_string_never_raises(junk: str, base: str, at: int) -> None:
    _check_item(from_string(base[:at] + junk + base[at:], origin="x"))


@PROPERTIES
@given(st.dictionaries(st.sampled_from(["text", "html", "title", "authors", "published", "url"]),
                       st.one_of(junk_text, st.integers(), st.none(), st.lists(junk_text))))
def test_from_record_never_raises(record: dict) -> None:
    _check_item(from_record(record, origin="x"))


@PROPERTIES
@given(st.binary(max_size=2000), st.sampled_from(sorted(fuzz.SUFFIXES | {".txt.gz"})),
       st.booleans())
def test_reading_any_bytes_never_raises(data: bytes, suffix: str, with_good: bool) -> None:
    import tempfile

    if with_good:
        data = GOOD.encode() + data
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
        for item in read_inputs([str(path)]):
            _check_item(item)


@PROPERTIES
@given(st.binary(max_size=500))
def test_stdin_of_any_bytes_never_raises(data: bytes) -> None:
    stdin = SimpleNamespace(buffer=io.BytesIO(b'{"text": "a"}\n' + data))
    real, sys.stdin = sys.stdin, stdin
    try:
        for item in read_inputs(["-"]):
            _check_item(item)
    finally:
        sys.stdin = real


@settings(max_examples=15, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(QUOTED)), junk_text), max_size=4))
def test_analysis_of_any_text_has_valid_offsets(insertions: list[tuple[int, str]]) -> None:
    from sayso import analyze

    text = QUOTED
    for at, junk in sorted(insertions, reverse=True):
        text = text[:at] + junk + text[at:]
    try:
        analysis = analyze(text)
    except ValueError as exc:
        assert str(exc).split(":")[0] in ERROR_KINDS
        return
    body = analysis.article.text
    spans = [s for a in analysis.attributions for s in (a.source, a.cue, a.content) if s]
    spans += [m for e in analysis.entities for m in e.mentions]
    spans += [r for r in analysis.times + analysis.places + analysis.quantities
              if r.part == "text"]
    for span in spans:
        assert 0 <= span.start <= span.end <= len(body)
        assert body[span.start:span.end] == span.text


# -- the fuzz corpus, as one batch -------------------------------------------------------------

# Runs the command and reports its exit status, peak memory (of the command alone) and time.
MEASURE = """
import json, resource, subprocess, sys, time
start = time.monotonic()
with open(sys.argv[1], "w") as err:
    rc = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=err, timeout=900).returncode
print(json.dumps({"rc": rc, "seconds": time.monotonic() - start,
                  "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""
PEAK_MB = 1536


def _batch(corpus: Path, db: Path, stderr: Path) -> dict:
    command = [sys.executable, "-m", "sayso.cli", "analyze", str(corpus), "--db", str(db),
               "--no-progress"]
    done = subprocess.run([sys.executable, "-c", MEASURE, str(stderr), *command],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def _input_of(origin: str, corpus: Path) -> str:
    return re.sub(r"(:\d+|#\d+)$", "", origin.removeprefix(f"{corpus}/"))


def run_fuzz(tmp_path: Path, quick: bool) -> None:
    corpus = tmp_path / "corpus"
    manifest = fuzz.build(corpus, quick=quick)
    try:
        assert manifest["bad_inputs"] >= 100
        db, stderr = tmp_path / "fuzz.db", tmp_path / "stderr.txt"
        run = _batch(corpus, db, stderr)
        log = stderr.read_text(encoding="utf-8")
        print(f"fuzz ({'quick' if quick else 'full'}): {len(manifest['inputs'])} inputs, "
              f"{manifest['bad_inputs']} bad, {manifest['errors']} error records expected, "
              f"{manifest['good']} good; {run}")
        assert "Traceback" not in log, log[-3000:]
        assert run["rc"] == min(manifest["errors"], 100), log[-3000:]
        assert run["peak_mb"] < PEAK_MB
        records = [json.loads(line) for line in log.splitlines() if line.startswith('{"error"')]
        per_input: dict[str, int] = {}
        for record in records:
            where = _input_of(record["origin"], corpus)
            per_input[where] = per_input.get(where, 0) + 1
        expected = {i["path"]: i["errors"] for i in manifest["inputs"] if i["errors"]}
        assert per_input == expected
        from sayso.store import open_store

        with open_store(db) as store:
            assert len(store.errors()) == manifest["errors"]
            texts = [store.load(row["id"]).article.text for row in store.list_articles()]
        assert len(texts) == manifest["good"]
        for marker in (m for i in manifest["inputs"] for m in i["good"]):
            assert sum(marker in t for t in texts) == 1, marker
        rerun = _batch(corpus, db, stderr)  # resuming gets past every bad input
        assert rerun["rc"] == run["rc"]
        assert f"analyzed 0, skipped {manifest['good']} already stored" in stderr.read_text()
    finally:
        (corpus / "locked").chmod(0o755)


def test_fuzz_corpus_quick(tmp_path: Path) -> None:
    run_fuzz(tmp_path, quick=True)


@pytest.mark.skipif(not os.environ.get("SAYSO_FUZZ_FULL"), reason="set SAYSO_FUZZ_FULL=1")
def test_fuzz_corpus_full(tmp_path: Path) -> None:
    run_fuzz(tmp_path, quick=False)
