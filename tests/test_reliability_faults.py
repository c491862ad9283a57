"""Faults: a run that fails mid-write or is killed leaves the previous outputs complete and byte-for-byte
unchanged, a rerun completes normally, and two runs on the same inputs give the same bytes."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from minemap.cli import main

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
from bench_scale import write_corpus  # noqa: E402  (the generated reports of the scale benchmark)

sys.path.pop(0)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def staging_dirs(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.staging-*"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    write_corpus(root / "a", 150, seed=5)
    write_corpus(root / "b", 250, seed=6)
    return root


def run(args, **kw):
    return CliRunner().invoke(main, ["run", *map(str, args)], **kw)


@pytest.fixture()
def previous(tmp_path, corpus):
    out = tmp_path / "out"
    r = run([corpus / "a", "-o", out, "--no-maps"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return out, snapshot(out)


@pytest.mark.parametrize("writer", ["minemap.tables.write_facts_csv", "minemap.tables.write_summary_md",
                                    "minemap.layers.write_districts_csv"])
def test_exception_mid_write_leaves_previous_outputs(tmp_path, corpus, previous, monkeypatch, writer):
    out, before = previous
    module, name = writer.rsplit(".", 1)
    mod = __import__(module, fromlist=[name])
    real = getattr(mod, name)
    written = []

    def half_then_fail(obj, path, *a, **k):
        real(obj, path, *a, **k)              # the file is really written (into the staging folder) ...
        written.append(Path(path))
        raise OSError(28, "No space left on device")   # ... then the disk fills up

    monkeypatch.setattr(mod, name, half_then_fail)
    r = run([corpus, "-o", out, "--no-maps"])       # a different input: outputs would change
    assert r.exit_code != 0 and isinstance(r.exception, OSError)
    assert written and written[0].parent != out      # it was writing into a staging folder
    assert snapshot(out) == before
    assert staging_dirs(out) == []

    monkeypatch.setattr(mod, name, real)
    r = run([corpus, "-o", out, "--no-maps"], catch_exceptions=False)
    assert r.exit_code == 0
    after = snapshot(out)
    assert set(after) == set(before) and after != before


def test_maps_failure_leaves_previous_outputs(tmp_path, corpus, previous, monkeypatch):
    import minemap.maps

    out, before = previous

    def boom(*a, **k):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(minemap.maps, "render_maps", boom)
    r = run([corpus, "-o", out])
    assert r.exit_code != 0
    assert snapshot(out) == before and staging_dirs(out) == []


def test_killed_run_leaves_previous_outputs_and_rerun_works(tmp_path, corpus, previous):
    out, before = previous
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-c", "from minemap.cli import main; main()", "run", str(corpus), "-o", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    killed_while_staging = False
    deadline = time.monotonic() + 300
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if staging_dirs(out):
                time.sleep(0.05)                      # let it write a few files into the staging folder
                proc.send_signal(signal.SIGKILL)
                killed_while_staging = True
                break
            time.sleep(0.002)
    finally:
        if proc.poll() is None and not killed_while_staging:
            proc.kill()
        proc.wait()
    assert killed_while_staging, "the run finished before the staging folder was seen"
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(out) == before                   # complete and unchanged
    assert staging_dirs(out)                          # the killed run's leftovers...

    r = run([corpus, "-o", out, "--no-maps"], catch_exceptions=False)   # ... do not break a rerun
    assert r.exit_code == 0
    after = snapshot(out)
    assert set(before) <= set(after) and after != before
    fresh = tmp_path / "fresh"
    assert run([corpus, "-o", fresh, "--no-maps"], catch_exceptions=False).exit_code == 0
    assert {k: v for k, v in after.items() if k in snapshot(fresh)} == snapshot(fresh)


def test_two_runs_are_byte_identical_maps_included(tmp_path, corpus):
    outs = []
    for name, extra in (("a", []), ("b", []), ("c", ["--jobs", "2"])):
        out = tmp_path / name
        r = run([corpus, "-o", out, *extra], catch_exceptions=False)
        assert r.exit_code == 0, r.output
        outs.append(snapshot(out))
    assert len(outs[0]) >= 8
    assert outs[0] == outs[1] == outs[2]
    assert not any(b"staging" in v for v in outs[0].values())
