"""`engine="dask"`: the files of a corpus distributed with Dask, each document under the same budget.

A `dask.bag` over the inputs (document files and whole feeds, in reading order), in partitions. On a Dask
worker each partition is read and extracted by the same supervised worker process as the local engine
(one per partition), so budgets, retries and records are the same; the parent only walks the folders
and puts the results back in reading order. Partitions are computed a window at a time, so the parent
holds the figures of a few partitions, not of the corpus.

Local (the default): Dask's multiprocessing scheduler on a pool of `jobs` processes. A cluster:
`scheduler="tcp://host:8786"`, a dask.distributed scheduler whose workers have minemap installed and
see the input files at the same paths (a shared file system).
"""
from __future__ import annotations

import math
from typing import Iterable, Iterator

from minemap.extraction.run_options import Budget, EngineError
from minemap.extraction.sources import DocumentError, Source, expand, iter_inputs
from minemap.extraction.workers import Result

# Files per partition at most: a partition starts one worker process, and a window of partitions is what
# the parent waits for before it hands out the next.
_MAX_PARTITION = 500
_NEEDS = "--engine dask needs Dask: pip install 'minemap[dask]' (dask[bag] and distributed)"


def extract_partition(inputs: list[Source | DocumentError], date: str | None, budget: Budget) -> list[Result]:
    """Runs on a Dask worker: one partition's files (feeds line by line) read and extracted under `budget`."""
    from minemap.extraction.pipeline import supervised

    sources = (s for item in inputs for s in expand(item))
    return list(supervised(sources, date, 1, budget))


def dask_results(paths: Iterable, date: str | None, jobs: int, budget: Budget, scheduler: str | None,
                 stdin=None) -> Iterator[Result]:
    """Results in reading order, as the local engine gives them."""
    try:
        import dask
        import dask.bag as db
    except ImportError:
        raise EngineError(_NEEDS) from None
    inputs = list(iter_inputs(paths, stdin))   # paths and metadata only: small for any corpus
    if not inputs:
        return
    if scheduler:
        compute, close, workers = _cluster(scheduler)
    else:
        compute, close, workers = _local_pool(dask, jobs)
    try:
        size = max(1, min(_MAX_PARTITION, math.ceil(len(inputs) / (workers * 4))))
        parts = db.from_sequence(inputs, partition_size=size).map_partitions(
            extract_partition, date, budget).to_delayed()
        window = 2 * workers
        for start in range(0, len(parts), window):
            for results in compute(parts[start:start + window]):
                yield from results
    finally:
        close()


def _local_pool(dask, jobs: int):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn: the pool's processes start clean whatever threads this process runs (fork is not safe then)
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"))

    def compute(delayed):
        return dask.compute(*delayed, scheduler="processes", pool=pool)

    return compute, lambda: pool.shutdown(cancel_futures=True), jobs


def _cluster(address: str):
    try:
        from distributed import Client
        from distributed.comm import resolve_address
    except ImportError:
        raise EngineError(_NEEDS) from None
    try:
        # checked first: a Client built on a malformed address hangs on its way out
        resolve_address(address)
        client = Client(address, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as e:
        raise EngineError(f"cannot reach the Dask scheduler at {address}: {e}") from None
    workers = max(1, sum(client.nthreads().values()))

    def compute(delayed):
        return client.gather(client.compute(delayed))

    return compute, client.close, workers
