"""Worker processes: each reads and extracts one document at a time, under a memory budget, and can be
killed when it goes over its time budget or found dead, without costing the run anything but that one
document (the supervisor is `pipeline.supervised`).

A worker is forked from the caller when that is safe (a fork start method, no other Python thread
running, not itself a daemonic pool worker): it starts at once with the term lists already loaded.
Anywhere else (a Dask worker thread, a notebook kernel's threads) it is a fresh interpreter running
`python -m minemap.extraction.workers`, which pays the imports once per worker. Both speak the same
protocol over two pipes: the worker says `("ready", None)` once started, then for each `(source, date)`
the parent sends it answers `("done", result)` or `("memory", None)`; `None` tells it to stop.
"""
from __future__ import annotations

import ctypes
import dataclasses
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
from multiprocessing.connection import Connection

from minemap.extraction.documents import DocumentError, Source, read_source
from minemap.extraction.extract import extract
from minemap.extraction.record import Document, Figure

Result = tuple[Document, list[Figure]] | DocumentError
# A worker that ran out of memory and could not even say so exits with this status.
MEMORY_EXIT = 3
PR_SET_PDEATHSIG = 1   # linux/prctl.h
# Set in a worker once its address space is capped. Under the cap, an allocation that fails deep inside C
# code can surface as a SystemError ("error return without exception set") instead of a MemoryError.
_memory_capped = False


def extract_one(item: Document | DocumentError) -> Result:
    """One document -> (document without its text, figures), or a DocumentError naming it."""
    if isinstance(item, DocumentError):
        return item
    try:
        figures = extract(item)
    except MemoryError:
        raise
    except SystemError as exc:
        if _memory_capped:
            raise MemoryError(str(exc)) from exc
        return DocumentError(str(item.path or item.doc_id),
                             f"extraction failed: {type(exc).__name__}: {exc}", item.doc_id, kind="extract")
    except Exception as exc:  # one broken document must not end a long run
        return DocumentError(str(item.path or item.doc_id),
                             f"extraction failed: {type(exc).__name__}: {exc}", item.doc_id, kind="extract")
    return dataclasses.replace(item, text=""), figures


def process(item: Source | DocumentError, date: str | None) -> Result:
    """Read (when it is a Source) and extract one document."""
    if isinstance(item, Source):
        item = read_source(item, date)
    return extract_one(item)


def serve(tasks: Connection, results: Connection, memory_mb: int | None, parent: int | None = None) -> None:
    """The worker's loop: one document at a time until told to stop or the parent goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _die_with(parent)
    _limit_memory(memory_mb)
    results.send(("ready", None))  # a document's time budget starts now, not while a worker starts
    while True:
        try:
            msg = tasks.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        try:
            out = ("done", process(*msg))
            del msg
            results.send(out)
        except MemoryError:
            out = msg = None
            try:
                results.send(("memory", None))
            except Exception:
                pass
            os._exit(MEMORY_EXIT)  # the heap may be in any state: a fresh worker takes the next document


def _die_with(parent: int | None) -> None:
    """End this worker when the run that started it ends, even by `kill -9`. Waiting for the task pipe to
    close is not enough: a forked worker holds copies of its siblings' (and its own) pipe ends, and one
    busy with a hostile document would not look at the pipe for its whole time budget."""
    if parent is None:
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)   # Linux: the kernel kills us with the parent
    except (AttributeError, OSError):
        pass  # not Linux: the pipe's end still stops an idle worker
    if os.getppid() != parent:   # the parent was gone before the request took effect
        os._exit(1)


def _limit_memory(memory_mb: int | None) -> None:
    # Address space now + the budget: an allocation past it raises MemoryError in this worker only.
    if not memory_mb:
        return
    try:
        import resource

        with open("/proc/self/statm") as fh:
            now = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = now + memory_mb * 2**20
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        global _memory_capped
        _memory_capped = True
    except (ImportError, OSError, ValueError):
        pass  # not Linux: no memory budget (the README says so)


def can_fork() -> bool:
    return ("fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon
            and threading.active_count() == 1)


class Worker:
    """One worker process and its two pipes."""

    def __init__(self, memory_mb: int | None, fork: bool) -> None:
        if fork:
            ctx = multiprocessing.get_context("fork")
            task_r, self.tasks = ctx.Pipe(duplex=False)
            self.results, result_w = ctx.Pipe(duplex=False)
            self._proc = ctx.Process(target=serve, args=(task_r, result_w, memory_mb, os.getpid()), daemon=True)
            self._proc.start()
            task_r.close()
            result_w.close()
            self._popen = None
        else:
            task_r, task_w = os.pipe()
            result_r, result_w = os.pipe()
            self._popen = subprocess.Popen(
                [sys.executable, "-m", "minemap.extraction.workers", str(task_r), str(result_w), str(memory_mb or 0),
                 str(os.getpid())],
                pass_fds=(task_r, result_w), stdin=subprocess.DEVNULL)
            os.close(task_r)
            os.close(result_w)
            self.tasks, self.results = Connection(task_w, readable=False), Connection(result_r, writable=False)
            self._proc = None

    @property
    def pid(self) -> int:
        return self._proc.pid if self._proc is not None else self._popen.pid

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._reap()

    def stop(self) -> None:
        """Ask it to finish, then make sure it has."""
        try:
            self.tasks.send(None)
        except (OSError, ValueError):
            pass
        if self._wait(2.0) is None:
            self.kill()
        self._close()

    def exit_reason(self) -> str:
        """Why it is gone: 'killed by signal SIGKILL', 'exited with status 1', ..."""
        code = self._reap()
        if code is None:
            return "stopped answering"
        if code < 0:
            try:
                return f"killed by signal {signal.Signals(-code).name}"
            except ValueError:
                return f"killed by signal {-code}"
        return f"exited with status {code}"

    def _wait(self, timeout: float | None) -> int | None:
        if self._proc is not None:
            self._proc.join(timeout)
            return self._proc.exitcode
        try:
            return self._popen.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def _reap(self) -> int | None:
        code = self._wait(5.0)
        self._close()
        return code

    def _close(self) -> None:
        for conn in (self.tasks, self.results):
            try:
                conn.close()
            except OSError:
                pass


if __name__ == "__main__":
    _task_fd, _result_fd, _memory, _parent = (int(a) for a in sys.argv[1:5])
    serve(Connection(_task_fd, writable=False), Connection(_result_fd, readable=False), _memory or None, _parent)
