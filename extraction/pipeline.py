"""Documents -> figure records for whole corpora: one bad document never costs the others.

Every document is read and extracted in a worker process (see `workers`) under a `Budget`: one that
takes longer than its time budget is stopped and skipped, one that needs more memory than its budget
gets a MemoryError in its worker and is skipped, one that raises is skipped; each with its reason, and
the run goes on. A worker that dies (killed by the OS, a crash in a C library) is reported and its
document tried once more in a fresh worker, so that a document that kills workers cannot take the run
down with it; if it dies again the document is skipped. With `jobs` workers, results still come back
in reading order: `jobs` never changes the output. Each result carries the document's metadata (its text
emptied) and its figures, so a run over 100,000 reports holds figures, not texts.

With no budget and one job, extraction runs in this process (useful to profile or debug).
"""
from __future__ import annotations

import dataclasses
import time
from collections import deque
from multiprocessing.connection import wait
from typing import Iterable, Iterator

from minemap.extraction.documents import DocumentError, Source, UniqueIds
from minemap.extraction.sources import iter_sources
from minemap.extraction.run_options import ENGINES, Budget
from minemap.extraction.workers import MEMORY_EXIT, Result, Worker, can_fork, process

__all__ = ["ENGINES", "Budget", "Result", "extract_stream", "supervised"]

# Documents read ahead of the slowest one, per worker: bounds memory while one document is slow.
_AHEAD_PER_JOB = 64
# Seconds a new worker may take to start (a fresh interpreter imports the rules) before it counts as dead.
_START_SECONDS = 120.0


def extract_stream(paths: Iterable, date: str | None = None, jobs: int = 1, stdin=None, *,
                   budget: Budget = Budget(), engine: str = "local",
                   scheduler: str | None = None) -> Iterator[Result]:
    """Read and extract every document under `paths`, yielding results in reading order.

    `jobs` > 1 extracts in that many processes; the results are the same records in the same order.
    `engine="dask"` distributes the files with Dask (`scheduler`: a dask.distributed address, default a
    local process pool of `jobs` workers) and gives the same records. Every document whose id was already
    used gets a distinct one (see `UniqueIds`)."""
    if engine == "dask":
        from minemap.extraction.dask_engine import dask_results

        results = dask_results(paths, date, jobs, budget, scheduler, stdin)
    elif engine == "local":
        if scheduler:
            raise ValueError("a scheduler address needs engine='dask'")
        results = supervised(iter_sources(paths, stdin), date, jobs, budget)
    else:
        raise ValueError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
    unique = UniqueIds()
    for result in results:
        if not isinstance(result, DocumentError):
            doc, figures = result
            renamed = unique(doc)
            if renamed is not doc:
                figures = [dataclasses.replace(f, doc_id=renamed.doc_id) for f in figures]
            result = renamed, figures
        yield result


def supervised(sources: Iterable[Source | DocumentError], date: str | None, jobs: int = 1,
               budget: Budget = Budget(), fork: bool | None = None) -> Iterator[Result]:
    """Each source read and extracted under `budget` in one of `jobs` worker processes; results in the
    order of `sources`. `fork`: how workers start (default: forked when that is safe, see workers)."""
    if not budget.enabled and jobs <= 1:
        for item in sources:
            yield process(item, date)
        return
    yield from _Supervisor(jobs, budget, date, can_fork() if fork is None else fork).run(iter(sources))


@dataclasses.dataclass
class _Task:
    index: int
    source: Source
    retry_note: str | None = None     # set when a first worker died on it
    deadline: float = float("inf")


class _Supervisor:
    def __init__(self, jobs: int, budget: Budget, date: str | None, fork: bool) -> None:
        self.jobs, self.budget, self.date, self.fork = max(1, jobs), budget, date, fork
        self.workers: list[Worker | None] = [None] * self.jobs
        self.busy: dict[int, _Task] = {}          # worker slot -> its task
        self.queue: deque[_Task] = deque()        # waiting for a worker; retries go first
        self.done: dict[int, Result] = {}         # finished, waiting for their turn in reading order
        self.starting: set[int] = set()           # slots whose new worker has not said it is ready

    def run(self, sources: Iterator[Source | DocumentError]) -> Iterator[Result]:
        window = max(2, self.jobs * _AHEAD_PER_JOB)
        taken = given = 0
        exhausted = False
        try:
            while True:
                while not exhausted and taken - given < window and len(self.queue) < self.jobs:
                    item = next(sources, None)
                    if item is None:
                        exhausted = True
                    elif isinstance(item, DocumentError):
                        self.done[taken] = item
                        taken += 1
                    else:
                        self.queue.append(_Task(taken, item))
                        taken += 1
                while given in self.done:
                    yield self.done.pop(given)
                    given += 1
                if exhausted and given == taken:
                    return
                self._dispatch()
                if self.busy:
                    self._collect()
        finally:
            for w in self.workers:
                if w is not None:
                    w.stop()

    def _dispatch(self) -> None:
        for slot in range(self.jobs):
            if slot in self.busy or not self.queue:
                continue
            task = self.queue.popleft()
            for fresh in (False, True):           # a worker that died while idle is replaced once
                if fresh or self.workers[slot] is None:
                    self.workers[slot] = Worker(self.budget.memory_mb, self.fork)
                    self.starting.add(slot)
                try:
                    self.workers[slot].tasks.send((task.source, self.date))
                    break
                except (OSError, ValueError):
                    self.workers[slot].kill()
                    if fresh:
                        raise
            if slot in self.starting:
                task.deadline = time.monotonic() + _START_SECONDS   # the budget starts once it is ready
            elif self.budget.seconds:
                task.deadline = time.monotonic() + self.budget.seconds
            self.busy[slot] = task

    def _collect(self) -> None:
        deadline = min(t.deadline for t in self.busy.values())
        timeout = None if deadline == float("inf") else max(0.0, deadline - time.monotonic())
        ready = wait([self.workers[s].results for s in self.busy], timeout)
        now = time.monotonic()
        for slot, task in list(self.busy.items()):
            worker = self.workers[slot]
            if worker.results in ready:
                try:
                    kind, result = worker.results.recv()
                except (EOFError, OSError):
                    del self.busy[slot]
                    self.starting.discard(slot)
                    self._died(slot, task)
                    continue
                if kind == "ready":
                    self.starting.discard(slot)
                    task.deadline = now + self.budget.seconds if self.budget.seconds else float("inf")
                    continue
                del self.busy[slot]
                if kind == "memory":
                    self._lost(slot)
                    result = self._skip(task, f"needed more memory than its budget of {self.budget.memory_mb} MiB")
                self.done[task.index] = self._noted(result, task.retry_note)
            elif now >= task.deadline and slot in self.starting:   # never started: a dead worker
                del self.busy[slot]
                self.starting.discard(slot)
                self.workers[slot].kill()
                self._died(slot, task, f"did not start within {_START_SECONDS:g} s")
            elif now >= task.deadline:
                del self.busy[slot]
                self.workers[slot].kill()
                self.workers[slot] = None
                self.done[task.index] = self._skip(
                    task, f"took longer than its time budget of {self.budget.seconds:g} s to read and extract")

    def _died(self, slot: int, task: _Task, reason: str | None = None) -> None:
        reason = reason or self.workers[slot].exit_reason()
        self.workers[slot] = None
        if reason == f"exited with status {MEMORY_EXIT}":
            self.done[task.index] = self._skip(task, f"needed more memory than its budget of "
                                                     f"{self.budget.memory_mb} MiB")
        elif task.retry_note is None:
            task.retry_note = (f"the worker process reading it died ({reason}); read again in a fresh worker")
            self.queue.appendleft(task)
        else:
            self.done[task.index] = self._skip(task, f"its worker process died twice ({reason})")

    def _lost(self, slot: int) -> None:
        self.workers[slot].kill()
        self.workers[slot] = None

    @staticmethod
    def _skip(task: _Task, why: str) -> DocumentError:
        return DocumentError(task.source.path, why, task.source.doc_id, kind="extract")

    @staticmethod
    def _noted(result: Result, note: str | None) -> Result:
        if note is None or isinstance(result, DocumentError):
            return result
        doc, figures = result
        return dataclasses.replace(doc, warnings=(*doc.warnings, note)), figures

