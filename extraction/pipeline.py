"""Documents -> figure records for whole corpora, on one core or several.

The reader streams and so does this: each result carries the document's metadata (its text emptied)
and its figures, so a run over 100,000 reports holds figures, not texts. With jobs > 1 the extraction
runs in worker processes; results come back in reading order, so `jobs` never changes the output.
"""
from __future__ import annotations

import dataclasses
import multiprocessing
import threading
from typing import Iterable, Iterator

from pathlib import Path

from minemap.extraction.documents import DocumentError, _walk, read_documents
from minemap.extraction.extract import extract
from minemap.extraction.record import Document, Figure

Result = tuple[Document, list[Figure]] | DocumentError
# Documents read ahead of the slowest consumer, per worker: bounds memory when the consumer is slow.
_AHEAD_PER_JOB = 64


def extract_one(item: Document | DocumentError) -> Result:
    """One document -> (document without its text, figures), or a DocumentError naming it."""
    if isinstance(item, DocumentError):
        return item
    try:
        figures = extract(item)
    except Exception as exc:  # one broken document must not end a long run
        return DocumentError(str(item.path or item.doc_id),
                             f"extraction failed: {type(exc).__name__}: {exc}", item.doc_id)
    return dataclasses.replace(item, text=""), figures


def read_guarded(paths: Iterable, date: str | None = None, stdin=None) -> Iterator[Document | DocumentError]:
    """`read_documents`, file by file: a reader failure on one file (a bug, a parser limit) becomes a
    DocumentError naming that file, and the files after it are still read."""
    for raw in paths:
        path = Path(raw) if str(raw) != "-" else None
        files = _walk(path) if path is not None and path.is_dir() else [raw]
        for f in files:
            try:
                yield from read_documents([f], date=date, stdin=stdin)
            except Exception as exc:
                yield DocumentError(str(f), f"cannot read: {type(exc).__name__}: {exc}")


def extract_stream(paths: Iterable, date: str | None = None, jobs: int = 1, chunksize: int = 8,
                   stdin=None) -> Iterator[Result]:
    """Read and extract every document under `paths`, yielding results in reading order.

    `jobs` > 1 extracts in that many processes; the results are the same records in the same order.
    """
    items = read_guarded(paths, date=date, stdin=stdin)
    if jobs <= 1:
        for item in items:
            yield extract_one(item)
        return
    # The pool's feeder thread would otherwise read the whole corpus ahead of the workers' results.
    window = threading.Semaphore(max(jobs * _AHEAD_PER_JOB, 2 * chunksize * jobs))
    stop = threading.Event()

    def throttled():
        for item in items:
            while not window.acquire(timeout=0.1):
                if stop.is_set():  # the consumer has gone: let the pool shut down
                    return
            yield item

    # fork: workers inherit the loaded term lists and gazetteer, and never re-run the caller's main
    # module (forkserver/spawn would, which breaks scripts without a __main__ guard)
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    try:
        with ctx.Pool(jobs) as pool:
            for result in pool.imap(extract_one, throttled(), chunksize):
                window.release()
                yield result
    finally:
        stop.set()
