"""Faults: a run that fails mid-write or is killed leaves the previous outputs complete and byte-for-byte
unchanged (or, killed after its swap, its own complete outputs), the next run cleans what a killed run
left and completes normally, and two runs on the same inputs give the same bytes."""
from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import forked
from folders import leftovers, snapshot
from minemap.cli import main

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
from bench_scale import write_corpus  # noqa: E402  (the generated reports of the scale benchmark)

sys.path.pop(0)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    write_corpus(root / "a", 30, seed=5)
    write_corpus(root / "b", 60, seed=6)
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
    assert r.exit_code == 1 and f"cannot write the outputs into {out}: No space left on device" in r.output
    assert written and written[0].parent != out      # it was writing into a staging folder
    assert snapshot(out) == before
    assert leftovers(out) == []

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
    assert snapshot(out) == before and leftovers(out) == []


@pytest.fixture(scope="module")
def new_outputs(tmp_path_factory, corpus):
    """What a complete run on the whole corpus writes (the killed runs below would have written this)."""
    out = tmp_path_factory.mktemp("new") / "out"
    assert run([corpus, "-o", out, "--no-maps"], catch_exceptions=False).exit_code == 0
    return snapshot(out)


def _stop_during_extraction():
    import minemap.extraction.pipeline as pipeline

    real = pipeline.extract_stream

    def some_then_stop(*a, **k):
        for i, item in enumerate(real(*a, **k)):
            if i == 20:
                forked.stop_self()
            yield item

    pipeline.extract_stream = some_then_stop


def _stop_removing_old():
    import minemap.folder_swap as swap

    real = swap.remove

    def half_then_stop(folder):
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        for p in files[: len(files) // 2]:
            p.unlink()
        forked.stop_self()
        real(folder)

    swap.remove = half_then_stop


def _stop_after(module: str, name: str):
    def setup():
        import importlib

        forked.stop_after(importlib.import_module(module), name)
    return setup


PHASES = {
    "extraction": _stop_during_extraction,
    "writing": _stop_after("minemap.tables", "write_facts_csv"),
    "staged": _stop_after("minemap.atomic", "_keep_others"),      # every file written, not swapped in
    "exchanged": _stop_after("minemap.folder_swap", "exchange"),  # swapped in, old set not removed yet
    "set_aside": _stop_after("minemap.folder_swap", "set_aside"), # two-step: old set renamed aside
    "removing": _stop_removing_old,                               # old set half deleted
}
KILLS = [("exchange", p) for p in ("extraction", "writing", "staged", "exchanged", "removing")] + \
        [("two-step", p) for p in ("staged", "set_aside", "removing")]


@pytest.mark.parametrize("swap,phase", KILLS, ids=[f"{s}-{p}" for s, p in KILLS])
def test_kill_9_at_every_phase_leaves_old_or_new_outputs_and_the_next_run_cleans_up(
        tmp_path, corpus, previous, new_outputs, swap, phase):
    """Issue 12: "kill -9 during the final moves: 10 of 14 mixed old and new" and "kill -9 at any phase:
    .OUT.staging-* folders left for good". The run stops itself (SIGSTOP) at the phase and is killed
    there with SIGKILL. "two-step" is the swap of systems without renameat2(RENAME_EXCHANGE)."""
    out, before = previous
    (out / "notes.txt").write_text("the analyst's notes\n")      # not written by minemap: always kept
    before = snapshot(out)
    new = dict(new_outputs, **{"notes.txt": b"the analyst's notes\n"})

    def setup():
        import minemap.folder_swap

        minemap.folder_swap.use_exchange = swap == "exchange" and minemap.folder_swap.use_exchange
        PHASES[phase]()

    child = forked.start(["run", str(corpus), "-o", str(out), "--no-maps"], setup=setup)
    assert child.wait_stopped_or_exited(), f"finished without reaching {phase}: {child.output}"
    assert child.kill() == -signal.SIGKILL

    if phase == "set_aside":                  # between the two renames: no folder, the old set aside
        assert not out.exists()
        (aside,) = out.parent.glob(f".{out.name}.old-*")
        assert snapshot(aside) == before
    else:
        assert snapshot(out) == (new if phase in ("exchanged", "removing") else before)
        if phase != "extraction":
            assert leftovers(out)             # what the killed run left ...

    r = run([corpus, "-o", out, "--no-maps"], catch_exceptions=False)   # ... the next run cleans up
    assert r.exit_code == 0, r.output
    assert snapshot(out) == new
    assert leftovers(out) == []


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
