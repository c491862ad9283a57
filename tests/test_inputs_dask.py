"""The Dask engine gives the local engine's records byte for byte: with Dask's local scheduler and with a
real dask.distributed cluster (a LocalCluster on this machine, reached by its address)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import cli_runner

from minemap.cli import main
from minemap.extraction.sample import SAMPLE_DIR


@pytest.fixture(scope="module")
def mixed_corpus(tmp_path_factory):
    """The sample corpus plus documents that go wrong, and a feed reusing an id."""
    d = tmp_path_factory.mktemp("dask-in")
    (d / "empty.txt").write_bytes(b"")
    (d / "notes.rtf").write_bytes(b"{\\rtf1}")
    (d / "feed.jsonl").write_text(
        json.dumps({"id": "dev05-mod-feb2022", "date": "2022-03-01", "text": "On Feb 27, 4 anti-tank mines were "
                    "found in Lachin."}) + "\n{broken\n", encoding="utf-8")
    return [str(SAMPLE_DIR), str(d)]


def _extract(paths, *options):
    r = cli_runner().invoke(main, ["extract", *paths, *options])
    assert r.exit_code == 0, r.output
    return r.stdout, r.stderr


def test_dask_local_scheduler_gives_the_local_records(mixed_corpus):
    local, local_err = _extract(mixed_corpus)
    dask, dask_err = _extract(mixed_corpus, "--engine", "dask", "--jobs", "2")
    assert dask == local and len(local.splitlines()) > 100
    assert dask_err == local_err                       # the same skips, warnings and counts, in the same order
    assert "dev05-mod-feb2022~2" in local and "notes.rtf" in local_err


CLUSTER = """
import sys
from distributed import LocalCluster
from minemap.cli import main
sys.path.insert(0, sys.argv.pop(1))
from helpers import cli_runner
# workers as threads of this process: each partition's documents then run in fresh worker interpreters
with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
    r = cli_runner().invoke(main, ["extract", *sys.argv[1:], "--engine", "dask", "--scheduler",
                                  cluster.scheduler_address])
assert r.exit_code == 0, r.output
sys.stdout.write(r.stdout)
"""


def test_dask_distributed_cluster_gives_the_local_records(mixed_corpus):
    # in a child process: distributed keeps a thread for good, and forking workers is unsafe beside threads
    local, _ = _extract(mixed_corpus)
    p = subprocess.run([sys.executable, "-c", CLUSTER, str(Path(__file__).parent), *mixed_corpus],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout == local


def test_run_with_the_dask_engine_writes_the_same_outputs(tmp_path, mixed_corpus):
    outs = []
    for engine in ("local", "dask"):
        out = tmp_path / engine
        r = cli_runner().invoke(main, ["run", *mixed_corpus, "-o", str(out), "--no-maps", "--engine", engine])
        assert r.exit_code == 0, r.output
        outs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outs[0] == outs[1]


def test_scheduler_without_dask_engine_and_a_bad_address_are_clear_errors():
    r = cli_runner().invoke(main, ["extract", str(SAMPLE_DIR), "--scheduler", "tcp://127.0.0.1:8786"])
    assert r.exit_code == 2 and "--scheduler goes with --engine dask" in r.stderr
    r = cli_runner().invoke(main, ["extract", str(SAMPLE_DIR), "--engine", "dask", "--scheduler", "no-port"])
    assert r.exit_code == 1 and "cannot reach the Dask scheduler at no-port" in r.stderr


def test_missing_dask_says_what_to_install(tmp_path):
    code = ("import sys; sys.modules['dask'] = None\n"   # as if Dask were not installed
            "from minemap.cli import main\n"
            f"sys.argv = ['minemap', 'extract', {str(SAMPLE_DIR)!r}, '--engine', 'dask']\n"
            "main()\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.returncode == 1 and "pip install 'minemap[dask]'" in p.stderr and not p.stdout
