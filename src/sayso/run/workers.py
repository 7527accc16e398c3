"""Analysis on every core of one machine: one sayso pipeline per worker process.

spaCy's own `n_process` cannot carry sayso's extension attributes (`can not serialize 'Article'
object`), so the pool is ours: each worker loads the pipeline once, takes a batch of documents
at a time and sends back plain contract dicts (`Analysis.to_dict()`) and error records. Results
come back in the order the documents went in, whatever the number of workers, so the output is
the same as one worker's; the caller stays the single writer to the store.

A worker that dies (killed, out of memory, a crash in native code) breaks the pool; it is
started again and the unfinished batches are handed out again, one at a time until one comes
back, so a batch that kills its worker every time is found and its documents become error
records instead of stopping the run.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass
from itertools import islice
from typing import Any

from sayso.model import Analysis, Document, IngestError

MAX_ATTEMPTS = 3  # times a batch may break the pool before its documents become error records
PARENT_CHECK_S = 1.0
BATCHES_PER_WORKER = 2  # batches in flight per worker: enough that none waits for work

_worker: dict[str, Any] = {}  # in each worker process: the engine and batch size it runs


def _start_worker(engine: str, batch_size: int) -> None:
    """Load the pipeline once per worker; Ctrl-C is the parent's to handle, not each worker's,
    and a worker whose parent was killed ends itself rather than wait for work for ever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    ready_pipeline(engine)
    _worker.update(engine=engine, batch_size=batch_size)


def ready_pipeline(engine: str) -> None:
    """Load the pipeline for a run, then hide what is loaded from the cyclic collector
    (`gc.freeze`): the model, lexicons and gazetteer live as long as the process, and each full
    collection would walk their hundreds of thousands of objects again (3 to 4% of spaCy's
    time). Only runs call this (the CLI, workers, benchmarks), not `sayso.analyze`, so a host
    program's collector is left as it is."""
    from sayso.nlp import load_pipeline

    load_pipeline(engine)
    gc.collect()
    gc.freeze()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_S)
    os._exit(1)


def analyze_batch(batch: list[Document], engine: str | None = None,
                  batch_size: int | None = None) -> list[tuple[str, dict]]:
    """One batch through the pipeline, as ("error", record) and ("analysis", contract dict)
    pairs in the order the one-process path gives them (a batch's errors, then its analyses)."""
    from sayso.pipeline import analyze_documents

    errors: list[IngestError] = []
    analyses = [a.to_dict() for a in analyze_documents(
        batch, batch_size=batch_size or _worker["batch_size"], engine=engine or _worker["engine"],
        on_error=errors.append)]
    return [("error", asdict(e)) for e in errors] + [("analysis", a) for a in analyses]


def results(pairs: list[tuple[str, dict]], on_error: Callable[[IngestError], None]
            ) -> Iterator[Analysis]:
    """The analyses of `analyze_batch` pairs, handing each error record to `on_error`."""
    for kind, data in pairs:
        if kind == "error":
            on_error(IngestError(**data))
        else:
            yield Analysis.from_dict(data)


@dataclass
class _Batch:
    documents: list[Document]
    future: Future | None = None
    attempts: int = 0


class WorkerPool:
    """`workers` processes analysing batches of documents; see the module docstring."""

    def __init__(self, workers: int, engine: str, batch_size: int = 16) -> None:
        self.workers = workers
        self.engine = engine
        self.batch_size = batch_size
        self.restarts = 0
        self._pool: ProcessPoolExecutor | None = None
        self._careful = False  # after a break: one batch at a time until one comes back
        self._analysed = False  # whether any batch has come back

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn, not fork: a worker must not inherit the parent's store connection or threads
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker, initargs=(self.engine, self.batch_size))
        return self._pool

    def analyze(self, documents: Iterable[Document],
                on_error: Callable[[IngestError], None]) -> Iterator[Analysis]:
        """Analyses of `documents` in their order; a document that fails goes to `on_error`."""
        pending: deque[_Batch] = deque()
        source = iter(documents)
        window = self.workers * BATCHES_PER_WORKER
        exhausted = False
        while True:
            while not exhausted and len(pending) < window:
                if not (batch := list(islice(source, self.batch_size))):
                    exhausted = True
                    break
                pending.append(_Batch(batch))
            if not pending:
                return
            self._submit(pending)
            yield from self._finish_head(pending, on_error)

    def _submit(self, pending: deque[_Batch]) -> None:
        try:
            for batch in list(pending)[: 1 if self._careful else len(pending)]:
                if batch.future is None:
                    batch.future = self._executor().submit(analyze_batch, batch.documents)
        except BrokenProcessPool:  # a worker died since the last batch came back
            self._restart(pending)  # (a fresh pool is not broken yet: this recurses once)
            self._submit(pending)

    def _finish_head(self, pending: deque[_Batch], on_error: Callable[[IngestError], None]
                     ) -> Iterator[Analysis]:
        head = pending[0]
        try:
            pairs = head.future.result()
        except BrokenProcessPool:
            self._broken(pending, on_error)
            return
        except Exception as exc:  # the batch could not be sent or its results not returned
            from sayso.ingest.checks import error_record

            pending.popleft()
            for doc in head.documents:
                on_error(error_record(doc.origin, exc, "analyze"))
            return
        pending.popleft()
        self._careful = False
        self._analysed = True
        yield from results(pairs, on_error)

    def _broken(self, pending: deque[_Batch], on_error: Callable[[IngestError], None]) -> None:
        """A worker died: start a fresh pool, and hand the head batch out alone; a batch that
        has broken the pool MAX_ATTEMPTS times gives an error record per document."""
        self._restart(pending)
        head = pending[0]
        head.attempts += 1
        if head.attempts >= MAX_ATTEMPTS:
            pending.popleft()
            for doc in head.documents:
                on_error(IngestError(doc.origin, "internal", f"the worker process analysing "
                                     f"this document died {head.attempts} times", "analyze",
                                     "BrokenProcessPool"))

    def _restart(self, pending: deque[_Batch]) -> None:
        """A fresh pool, every unfinished batch to be handed out again, one at a time."""
        self.restarts += 1
        self.close()
        if not self._analysed and self.restarts >= MAX_ATTEMPTS:
            raise RuntimeError("the worker processes die before analysing anything: the "
                               "pipeline cannot load (see their messages above)")
        for batch in pending:
            batch.future = None
        self._careful = True


def analyze_in_workers(documents: Iterable[Document], workers: int, engine: str,
                       batch_size: int, on_error: Callable[[IngestError], None]
                       ) -> Iterator[Analysis]:
    """`WorkerPool.analyze` with a pool that lives as long as the iteration."""
    with WorkerPool(workers, engine, batch_size) as pool:
        yield from pool.analyze(documents, on_error)


def workers_for(requested: int, documents: int | None, batch_size: int) -> int:
    """Worker processes worth starting: no more than there are batches to hand out (when the
    inputs tell how many documents they hold), since each costs a pipeline load."""
    if documents is None:
        return requested
    return max(1, min(requested, -(-documents // batch_size)))


def analyze_stream(documents: Iterable[Document], workers: int, engine: str, batch_size: int,
                   on_error: Callable[[IngestError], None]) -> Iterator[Analysis]:
    """Analyses in input order: in this process for one worker, else in a `WorkerPool`."""
    if workers <= 1:
        from sayso.pipeline import analyze_documents

        ready_pipeline(engine)
        return analyze_documents(documents, batch_size=batch_size, engine=engine,
                                 on_error=on_error)
    return analyze_in_workers(documents, workers, engine, batch_size, on_error)
