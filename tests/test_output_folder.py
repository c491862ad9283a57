"""The output folder (issue 12, rows "mixes outputs" and "untidy"): replaced as a whole, one run at a time,
files minemap does not write kept, and every way it cannot be written ends in a message naming the path.

Runs that must be real processes (a lock held by another process, concurrent runs, dropped privileges)
are forked (tests/forked.py)."""
from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import forked
from folders import leftovers, snapshot
import minemap
from minemap.atomic import lock_path
from minemap.cli import main
from minemap.errors import OutputError
from minemap.folder_lock import FolderLock

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
from bench_scale import write_corpus  # noqa: E402  (the generated reports of the scale benchmark)

sys.path.pop(0)


def run(args, **kw):
    return CliRunner().invoke(main, ["run", *map(str, args)], **kw)


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpora")
    write_corpus(root / "a", 30, seed=11)
    write_corpus(root / "b", 60, seed=12)
    refs = {}
    for name in ("a", "b"):
        out = root / f"ref-{name}"
        assert run([root / name, "-o", out, "--no-maps"], catch_exceptions=False).exit_code == 0
        refs[name] = snapshot(out)
    assert refs["a"] != refs["b"]
    return root, refs


def test_rerun_replaces_the_set_keeps_files_minemap_does_not_write_and_drops_stale_outputs(tmp_path, corpora):
    root, refs = corpora
    out = tmp_path / "out"
    assert run([root / "a", "-o", out, "--no-maps"], catch_exceptions=False).exit_code == 0
    (out / "notes.txt").write_text("my notes\n")
    (out / "link").symlink_to("notes.txt")
    (out / "dangling").symlink_to("nowhere")
    os.mkfifo(out / "pipe")                                  # must be kept, not opened (it would block)
    (out / "map.png").write_bytes(b"an earlier run's map")   # a name minemap writes, not written by this run
    inode = (out / "notes.txt").stat().st_ino

    r = run([root / "b", "-o", out, "--no-maps"], catch_exceptions=False)
    assert r.exit_code == 0
    after = snapshot(out)
    assert {k: v for k, v in after.items() if k in refs["b"]} == refs["b"]
    assert after["notes.txt"] == b"my notes\n"
    assert os.readlink(out / "link") == "notes.txt" and os.readlink(out / "dangling") == "nowhere"
    assert stat.S_ISFIFO(os.lstat(out / "pipe").st_mode)
    assert (out / "notes.txt").stat().st_ino == inode           # hard-linked across, not copied
    assert "map.png" not in after                                # stale: would not match the new tables
    assert "kept in" in r.output and "notes.txt" in r.output and "map.png" in r.output
    assert leftovers(out) == []


def test_output_below_a_file_or_a_file_ends_in_a_message(tmp_path, corpora):
    root, _ = corpora
    (tmp_path / "report.txt").write_text("x")
    for target, words in ((tmp_path / "report.txt" / "out", "which is a file"),
                          (tmp_path / "report.txt", "is a file, not a folder")):
        r = run([root / "a", "-o", target, "--no-maps"])
        assert r.exit_code == 1 and r.exception.__class__ is SystemExit
        assert str(target) in r.output and words in r.output and "Traceback" not in r.output
    assert (tmp_path / "report.txt").read_text() == "x"


def test_current_folder_as_output_is_refused(tmp_path, corpora, monkeypatch):
    """`-o .` (or a folder above it) would replace the folder the user works in, project files and all."""
    root, _ = corpora
    work = tmp_path / "project" / "sub"
    work.mkdir(parents=True)
    (work / "notes.txt").write_text("x")
    monkeypatch.chdir(work)
    for target in (".", "..", str(work)):
        r = run([root / "a", "-o", target, "--no-maps"])
        assert r.exit_code == 1 and "cannot be the current folder or contain it" in r.output, r.output
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["notes.txt", "project", "sub"]


def test_output_inside_input_and_input_inside_output_are_refused(tmp_path, corpora):
    root, _ = corpora
    reports = tmp_path / "reports"
    shutil.copytree(root / "a", reports)
    r = run([reports, "-o", reports / "out", "--no-maps"])
    assert r.exit_code == 1 and "is inside the input" in r.output and str(reports / "out") in r.output
    assert not (reports / "out").exists() and leftovers(reports / "out") == []

    r = run([reports / "shard0000", "-o", tmp_path, "--no-maps"])
    assert r.exit_code == 1 and "is inside the output folder" in r.output

    first = tmp_path / "first"
    assert run([reports, "-o", first, "--no-maps"]).exit_code == 0
    r = run(["--figures", first / "figures.jsonl", "-o", first, "--no-maps"])   # would replace its own input
    assert r.exit_code == 1 and "figures.jsonl is inside the output folder" in r.output
    r = run([reports, "--boundaries", first / "districts.gpkg", "--code-field", "code", "-o", first, "--no-maps"])
    assert r.exit_code == 1 and "districts.gpkg is inside the output folder" in r.output

    r = CliRunner().invoke(main, ["extract", str(reports), "-o", str(reports / "figures.jsonl")])
    assert r.exit_code == 1 and "the output file" in r.output and "is inside the input" in r.output
    assert not (reports / "figures.jsonl").exists()   # the next run over reports/ would read it as a feed

    result = minemap.run([reports])                   # the API refuses it too
    with pytest.raises(OutputError, match="is inside the input"):
        result.save(reports / "out", maps=False)


def test_read_only_target_ends_in_a_message_and_keeps_the_outputs(tmp_path, corpora):
    root, _ = corpora
    out = tmp_path / "out"
    assert run([root / "a", "-o", out, "--no-maps"], catch_exceptions=False).exit_code == 0
    before = snapshot(out)
    out.chmod(0o555)
    locked_parent = tmp_path / "ro"
    locked_parent.mkdir()
    (locked_parent / "mine").mkdir()                  # writable, in a folder that is not
    locked_parent.chmod(0o555)
    try:
        for target, words in ((out, "the folder is read-only"),
                              (locked_parent / "new", "needs write permission on the folder it is in"),
                              (locked_parent / "mine", f"write into a folder below it (-o {locked_parent}/mine/results)")):
            child = forked.start(["run", str(root / "b"), "-o", str(target), "--no-maps"],
                                 setup=forked.drop_file_permission_override)
            assert child.wait() == 1, child.output
            assert f"{target}" in child.output and words in child.output, child.output
            assert "Traceback" not in child.output
    finally:
        out.chmod(0o755)
        locked_parent.chmod(0o755)
    assert snapshot(out) == before and leftovers(out) == []
    assert [p.name for p in locked_parent.iterdir()] == ["mine"] and not any((locked_parent / "mine").iterdir())


def _tmpfs(mnt, size: str):
    """A real file system of `size` (tmpfs) mounted at `mnt`: root mounts it, as the tests run here and in CI."""
    mnt.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mnt)], check=True)
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=True)


@pytest.fixture()
def small_disk(tmp_path):
    """A disk of 4 MiB, to fill."""
    yield from _tmpfs(tmp_path / "disk", "4m")


def test_full_disk_ends_in_a_message_and_keeps_the_outputs(small_disk, corpora):
    root, refs = corpora
    out = small_disk / "out"
    assert run([root / "a", "-o", out, "--no-maps"], catch_exceptions=False).exit_code == 0
    before = snapshot(out)
    free = shutil.disk_usage(small_disk).free
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (free - 150_000))      # room for less than one more set of outputs
    for _ in range(2):                                # twice: the first failure left nothing behind
        r = run([root / "b", "-o", out, "--no-maps"])
        assert r.exit_code == 1, r.output
        assert f"cannot write the outputs into {out}" in r.output and "No space left on device" in r.output
        assert "previous outputs are unchanged" in r.output
        assert snapshot(out) == before and leftovers(out) == []
    filler.unlink()
    assert run([root / "b", "-o", out, "--no-maps"], catch_exceptions=False).exit_code == 0
    assert snapshot(out) == refs["b"]


def hold_lock(out: Path) -> int:
    """A process that takes the output folder's lock and keeps it until it is killed."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(r)
            with FolderLock(lock_path(out)):
                os.write(w, b"locked")
                while True:
                    time.sleep(60)
        finally:
            os._exit(1)
    os.close(w)
    assert os.read(r, 6) == b"locked"
    os.close(r)
    return pid


def test_second_run_waits_for_the_lock_of_the_first_and_a_killed_holder_releases_it(tmp_path, corpora):
    root, refs = corpora
    out = tmp_path / "out"
    holder = hold_lock(out)
    child = forked.start(["run", str(root / "b"), "-o", str(out), "--no-maps"])
    try:
        deadline = time.monotonic() + 30
        while "waiting for another run" not in child.output and time.monotonic() < deadline:
            time.sleep(0.05)
        assert f"waiting for another run (process {holder}) writing into {out}" in child.output
        time.sleep(0.3)
        assert os.waitpid(child.pid, os.WNOHANG) == (0, 0)     # still waiting, nothing written
        assert not out.exists()
    finally:
        os.kill(holder, signal.SIGKILL)                          # kill -9: the kernel drops its lock
        os.waitpid(holder, 0)
    assert child.wait() == 0, child.output
    assert snapshot(out) == refs["b"] and leftovers(out) == []


def test_two_runs_into_one_folder_never_mix(tmp_path, corpora):
    """Issue 12: "two runs into one -o: 7 of 8 trials mixed both runs' files, both exit 0". Here 8 trials
    of two runs started together; a reader looks at the folder all along (through one folder handle per
    look, as a program reading a set of files does) and must only ever see a complete set."""
    root, refs = corpora
    out = tmp_path / "out"
    assert run([root / "a", "-o", out, "--no-maps"], catch_exceptions=False).exit_code == 0
    complete = [refs["a"], refs["b"]]
    seen, bad = [0], []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            try:
                fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
            except FileNotFoundError:
                bad.append("no folder")
                continue
            try:
                names = sorted(os.listdir(fd))
                got = {}
                for n in names:
                    f = os.open(n, os.O_RDONLY, dir_fd=fd)
                    with os.fdopen(f, "rb") as fh:
                        got[n] = fh.read()
            except FileNotFoundError:   # this handle's folder was retired (and is being deleted) mid-look
                continue
            finally:
                os.close(fd)
            seen[0] += 1
            time.sleep(0.002)
            if got not in complete:
                bad.append(sorted(n for n in got if got.get(n) != refs["a"].get(n)))

    t = threading.Thread(target=reader)
    t.start()
    try:
        for trial in range(8):
            first, second = ("a", "b") if trial % 2 else ("b", "a")
            kids = [forked.start(["run", str(root / c), "-o", str(out), "--no-maps"]) for c in (first, second)]
            assert [k.wait() for k in kids] == [0, 0], [k.output for k in kids]
            assert snapshot(out) in complete
            assert leftovers(out) == []
    finally:
        stop.set()
        t.join()
    assert bad == [] and seen[0] > 0


def test_output_folder_with_sub_folders_is_refused_before_reading(tmp_path, corpora):
    """Replacing the folder as a whole would recreate someone's folders (`-o ~`) under new owners."""
    root, _ = corpora
    out = tmp_path / "out"
    (out / "photos" / "2024").mkdir(parents=True)
    r = run([root / "a", "-o", out, "--no-maps"])
    assert r.exit_code == 1 and "holds folders minemap did not write (photos)" in r.output
    assert "reading:" not in r.output and [p.name for p in out.iterdir()] == ["photos"]
    assert leftovers(out) == []


def test_old_outputs_that_cannot_be_removed_are_named_not_left_silently(tmp_path, corpora):
    """An immutable file of the user's (chattr +i: not even root may link or delete it) is copied into
    the new set, but the old folder cannot be emptied: the run says which folder is left, and so does
    the next one."""
    root, refs = corpora
    out = tmp_path / "out"
    assert run([root / "a", "-o", out, "--no-maps"], catch_exceptions=False).exit_code == 0
    (out / "keep.txt").write_text("x")
    subprocess.run(["chattr", "+i", str(out / "keep.txt")], check=True)
    try:
        for _ in range(2):
            r = run([root / "b", "-o", out, "--no-maps"], catch_exceptions=False)
            assert r.exit_code == 0
            assert "could not remove" in r.output and f".{out.name}.staging-" in r.output
            assert (out / "keep.txt").read_text() == "x"
            assert {k: v for k, v in snapshot(out).items() if k in refs["b"]} == refs["b"]
    finally:
        for p in [out, *out.parent.glob(f".{out.name}.*")]:
            if (p / "keep.txt").exists():
                subprocess.run(["chattr", "-i", str(p / "keep.txt")], check=True)


@pytest.fixture()
def mount_point(tmp_path):
    """An output folder that is a mount point, as a Docker volume is."""
    yield from _tmpfs(tmp_path / "volume", "16m")


def test_a_mount_point_as_output_folder_gets_its_files_replaced(mount_point, corpora):
    root, refs = corpora
    (mount_point / "notes.txt").write_text("mine", encoding="utf-8")
    for name in ("a", "b"):
        r = run([root / name, "-o", mount_point, "--no-maps"], catch_exceptions=False)
        assert r.exit_code == 0, r.output
        assert "mount point" in r.output
        got = snapshot(mount_point)
        assert got.pop("notes.txt") == b"mine"          # the user's file stays
        assert got == refs[name]
        assert [p.name for p in mount_point.iterdir() if p.name.startswith(".")] == []
