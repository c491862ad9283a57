"""Dask engine benchmark: `python tests/benchmarks/bench_dask.py [--docs 5000] [--scheduler ADDRESS]`.

Generates a corpus (bench_scale's report templates, written for the benchmarks) and prints documents per
second for reading + extraction with the local engine (1 and 2 worker processes) and the Dask engine on
its local scheduler (1, 2 and all cores), each in a child process, with a check that every run gave the
same records. `--scheduler tcp://host:8786` adds a run on that dask.distributed cluster: its workers need
minemap installed and the corpus at the same path (`--keep /shared/folder` writes it there).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_scale import SHARD, write_corpus  # noqa: E402

CHILD = """
import hashlib, sys
from minemap.extraction.documents import DocumentError
from minemap.extraction.pipeline import extract_stream
engine, jobs, scheduler, paths = sys.argv[1], int(sys.argv[2]), sys.argv[3] or None, sys.argv[4:]
n = 0
digest = hashlib.sha256()
for r in extract_stream(paths, jobs=jobs, engine=engine, scheduler=scheduler):
    if isinstance(r, DocumentError):
        continue
    n += 1
    for fig in r[1]:
        digest.update(fig.to_json().encode())
print(n, digest.hexdigest())
"""


def timed_run(engine: str, jobs: int, scheduler: str | None, paths: list[str]) -> tuple[int, float, str]:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, engine, str(jobs), scheduler or "", *paths],
                         capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]), time.perf_counter() - t0, out[1]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--scheduler", help="Also run on this dask.distributed scheduler (tcp://host:8786).")
    ap.add_argument("--keep", type=Path, help="Generate the corpus here and keep it (default: a temp folder).")
    args = ap.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="minemap-dask-"))
    cores = os.cpu_count() or 1
    try:
        shards = write_corpus(root / "corpus", args.docs)
        paths = [str(s) for s in shards[: (args.docs + SHARD - 1) // SHARD]]
        runs = [("local", 1, None), ("local", 2, None), ("dask", 1, None), ("dask", 2, None)]
        if cores > 2:
            runs.append(("dask", cores, None))
        if args.scheduler:
            runs.append(("dask", 0, args.scheduler))
        print(f"{args.docs} documents, {cores} cores\n")
        print("| engine | workers | documents | seconds | docs/s | same records |")
        print("|---|---:|---:|---:|---:|---|")
        reference = None
        for engine, jobs, scheduler in runs:
            n, dt, digest = timed_run(engine, max(jobs, 1), scheduler, paths)
            reference = reference or digest
            who = scheduler or (f"{jobs} (all)" if engine == "dask" and jobs == cores else str(jobs))
            print(f"| {engine} | {who} | {n} | {dt:.1f} | {n / dt:.0f} | {'yes' if digest == reference else 'NO'} |",
                  flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
