"""One bad input never costs the others: budgets, dead workers, folder traps and reader paths that stay
linear. Each hostile kind the readers and the pipeline handle has a bounded case here; the giant sizes
are in tests/benchmarks/fuzz_inputs.py."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import cli_runner

from minemap.cli import main
from minemap.extraction.documents import DocumentError, read_documents
from minemap.extraction.pipeline import Budget, extract_stream

REPORT = (" date 2022-03-10 By Desk\nBetween March 3 and 9, the teams found 14 anti-personnel mines and 3 anti-tank "
          "mines in the Aghdam district and cleared 212.5 hectares.\n")


def corpus(folder: Path, n: int = 3) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"good-{i}.txt").write_text(REPORT.replace("14", str(14 + i)), encoding="utf-8")
    return [f"good-{i}" for i in range(n)]


def results(paths, **kw):
    docs, errors = {}, {}
    for r in extract_stream([str(p) for p in paths], **kw):
        if isinstance(r, DocumentError):
            errors[Path(r.path).name] = r
        else:
            docs[r[0].doc_id] = r
    return docs, errors


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def linear(seconds_1x: float, seconds_4x: float) -> bool:
    """4x the input in well under 16x the time (quadratic), with slack for a busy machine."""
    return seconds_4x < 10 * max(seconds_1x, 0.1)


# ---------------------------------------------------------------- budgets

def test_document_over_its_time_budget_is_skipped_and_the_others_kept(tmp_path):
    names = corpus(tmp_path / "in")
    # 20 MB of text without a sentence end: seconds of work for any extractor, far over 0.3 s
    (tmp_path / "in" / "endless.txt").write_text("word " * 4_000_000, encoding="utf-8")
    t = time.perf_counter()
    docs, errors = results([tmp_path / "in"], jobs=2, budget=Budget(seconds=0.3, memory_mb=None))
    assert time.perf_counter() - t < 15
    assert sorted(docs) == names and all(docs[n][1] for n in names)
    err = errors["endless.txt"]
    assert err.kind == "extract" and "time budget of 0.3 s" in err.reason


def test_document_over_its_memory_budget_is_skipped_and_the_others_kept(tmp_path):
    names = corpus(tmp_path / "in")
    (tmp_path / "in" / "huge.txt").write_text("x" * 60_000_000, encoding="utf-8")   # 60 MB > 40 MiB
    docs, errors = results([tmp_path / "in"], budget=Budget(seconds=None, memory_mb=40))
    assert sorted(docs) == names
    assert "memory than its budget of 40 MiB" in errors["huge.txt"].reason


def test_budgets_are_options_of_both_commands(tmp_path):
    corpus(tmp_path / "in", 1)
    (tmp_path / "in" / "endless.txt").write_text("word " * 4_000_000, encoding="utf-8")
    r = cli_runner().invoke(main, ["extract", str(tmp_path / "in"), "--doc-timeout", "0.3"])
    assert r.exit_code == 0 and "cannot extract" in r.stderr and "time budget of 0.3 s" in r.stderr
    out = tmp_path / "out"
    r = cli_runner().invoke(main, ["run", str(tmp_path / "in"), "-o", str(out), "--no-maps", "--doc-timeout", "0.3",
                                  "--doc-memory", "500"])
    assert r.exit_code == 0, r.output
    [skip] = json.loads((out / "summary.json").read_text(encoding="utf-8"))["documents"]["skipped_list"]
    assert skip["path"].endswith("endless.txt") and "time budget" in skip["reason"]


# ---------------------------------------------------------------- dead workers

def _workers() -> list[int]:
    """Process ids of this process's extraction workers (Linux /proc). With the killer thread running,
    workers are fresh interpreters (`-m minemap.extraction.workers`): forking is not safe with threads."""
    me = str(os.getpid())
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if stat.rsplit(")", 1)[1].split()[1] == me and b"minemap.extraction.workers" in cmdline:
                kids.append(int(entry))
    return kids


def _killer(rounds: int, every: float, stop: threading.Event):
    """Kill every worker `every` seconds after workers are first seen, `rounds` times."""
    def run():
        while not _workers():
            if stop.wait(0.02):
                return
        for _ in range(rounds):
            if stop.wait(every):
                return
            for pid in _workers():
                try:
                    os.kill(pid, 9)
                except ProcessLookupError:
                    pass
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_killed_worker_is_reported_and_its_document_read_again(tmp_path, jobs):
    names = corpus(tmp_path / "in", 4)
    # a document that takes seconds, so that the kill lands while a worker holds it
    (tmp_path / "in" / "a-slow.txt").write_text(REPORT + "word " * 200_000, encoding="utf-8")
    stop = threading.Event()
    _killer(1, 0.3, stop)
    try:
        docs, errors = results([tmp_path / "in"], jobs=jobs)
    finally:
        stop.set()
    assert not errors and sorted(docs) == sorted(names + ["a-slow"])
    notes = [w for d, _ in docs.values() for w in d.warnings]
    assert any("killed by signal SIGKILL" in w and "read again" in w for w in notes), notes
    assert docs["a-slow"][1]                                       # its figures are there after the retry


def _children(pid: int) -> set[int]:
    out = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.add(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_workers_end_with_a_run_killed_by_signal_9(tmp_path, jobs):
    corpus(tmp_path / "in", 2)
    (tmp_path / "in" / "a-slow.txt").write_text(REPORT + "word " * 2_000_000, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", "from minemap.cli import main; main()", "extract",
                             str(tmp_path / "in"), "--jobs", jobs], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        workers: set[int] = set()
        while time.monotonic() < deadline and len(workers) < int(jobs):
            workers = _children(proc.pid)
            time.sleep(0.05)
        assert len(workers) >= int(jobs), "the run started no workers"
        proc.kill()                       # kill -9 of the run while a worker holds the slow document
        proc.wait()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.05)
        assert not any(_alive(w) for w in workers)
    finally:
        proc.kill()


def test_a_document_whose_worker_dies_twice_is_skipped_and_the_run_ends(tmp_path):
    (tmp_path / "slow.txt").write_text(REPORT + "word " * 200_000, encoding="utf-8")
    stop = threading.Event()
    _killer(40, 0.3, stop)
    try:
        t = time.perf_counter()
        docs, errors = results([tmp_path / "slow.txt"])
    finally:
        stop.set()
    assert time.perf_counter() - t < 30
    assert not docs and "died twice (killed by signal SIGKILL)" in errors["slow.txt"].reason


def test_fresh_interpreter_workers_give_the_same_results(tmp_path):
    """Where forking is not safe (other threads, a daemonic Dask worker) workers are new interpreters."""
    from minemap.extraction.pipeline import supervised
    from minemap.extraction.sample import SAMPLE_DIR
    from minemap.extraction.sources import iter_sources

    def key(r):
        return (r.path, r.reason) if isinstance(r, DocumentError) else (r[0], [f.to_json() for f in r[1]])

    forked = [key(r) for r in supervised(iter_sources([SAMPLE_DIR]), None, 2, Budget(), fork=True)]
    spawned = [key(r) for r in supervised(iter_sources([SAMPLE_DIR]), None, 2, Budget(), fork=False)]
    assert forked == spawned and len(forked) >= 20


# ---------------------------------------------------------------- folder traps

def test_symlink_loops_are_visited_once_and_reported(tmp_path):
    src = tmp_path / "in"
    names = corpus(src, 2)
    (src / "a").symlink_to(".")
    (src / "b").symlink_to(".")
    (src / "sub").mkdir()
    (src / "sub" / "up").symlink_to("..")
    t = time.perf_counter()
    docs, errors = results([src])
    assert time.perf_counter() - t < 10
    assert sorted(docs) == names
    assert {n: e.kind for n, e in errors.items()} == {"a": "skip", "b": "skip", "up": "skip"}
    assert all("symbolic link loop" in e.reason for e in errors.values())


def test_a_folder_named_twice_is_read_once(tmp_path):
    names = corpus(tmp_path / "in", 2)
    docs, errors = results([tmp_path / "in", tmp_path / "in" / "good-0.txt", tmp_path / "in"])
    assert sorted(docs) == names and set(errors) == {"good-0.txt", "in"}


def test_a_pipe_in_a_folder_is_skipped_not_read(tmp_path):
    names = corpus(tmp_path / "in", 1)
    os.mkfifo(tmp_path / "in" / "pipe.txt")            # reading it would block forever
    docs, errors = results([tmp_path / "in"])
    assert sorted(docs) == names and "not a regular file" in errors["pipe.txt"].reason


def test_file_names_that_are_not_utf8_do_not_crash_the_run(tmp_path):
    src = tmp_path / "in"
    corpus(src, 1)
    bad = os.fsdecode(b"caf\xe9-report.txt")
    (src / bad).write_text(REPORT, encoding="utf-8")
    out = tmp_path / "out"
    r = cli_runner().invoke(main, ["run", str(src), "-o", str(out), "--no-maps"])
    assert r.exit_code == 0, r.output
    s = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    row = next(d for d in s["documents"]["list"] if d["doc_id"].startswith("caf"))
    assert row["doc_id"] == "caf\\xe9-report" and row["figures"] > 0
    assert "not valid UTF-8" in row["warnings"][0]
    figures = [json.loads(x) for x in (out / "figures.jsonl").read_text(encoding="utf-8").splitlines()]
    assert "caf\\xe9-report" in {f["doc_id"] for f in figures}


UNREADABLE = """
import json, sys
from minemap.extraction.documents import DocumentError, read_documents
out = [[type(i).__name__, getattr(i, "path", None), getattr(i, "reason", None) or getattr(i, "doc_id", None)]
       for i in read_documents([sys.argv[1]])]
print(json.dumps(out))
"""


def test_an_unreadable_subfolder_is_listed(tmp_path):
    src = tmp_path / "in"
    corpus(src, 1)
    (src / "locked").mkdir()
    (src / "locked" / "inside.txt").write_text(REPORT, encoding="utf-8")
    (src / "locked").chmod(0)
    # root reads any folder: there the reader runs without the capabilities that let it (as a user's run would)
    drop = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"] if os.geteuid() == 0 else []
    try:
        out = subprocess.run(drop + [sys.executable, "-c", UNREADABLE, str(src)], capture_output=True, text=True,
                             timeout=60)
    finally:
        (src / "locked").chmod(0o755)
    assert out.returncode == 0, out.stderr
    items = json.loads(out.stdout)
    assert ["Document", str(src / "good-0.txt"), "good-0"] in items
    [err] = [i for i in items if i[0] == "DocumentError"]
    assert err[1] == str(src / "locked") and "cannot list folder" in err[2] and "denied" in err[2]


# ---------------------------------------------------------------- reader paths that stay linear

def _read_only(path):
    return list(read_documents([path]))


def test_stray_html_end_tags_are_linear(tmp_path):
    def page(n):
        # n open elements, then 5n end tags that match none of them: each once scanned the whole stack
        p = tmp_path / f"tags{n}.html"
        p.write_text("<div>" * n + f"<p>{REPORT}</p>" + "</span>" * (5 * n), encoding="utf-8")
        return p
    small, big = page(2_000), page(8_000)
    t1, t4 = timed(lambda: _read_only(small)), timed(lambda: _read_only(big))
    assert linear(t1, t4), (t1, t4)
    [doc] = _read_only(big)
    assert "anti-personnel" in doc.text


@pytest.mark.parametrize("form", ["txt", "jsonl"])
def test_one_long_line_is_read_in_linear_time(tmp_path, form):
    def write(n):
        body = "word " * (n // 5)
        p = tmp_path / f"line{n}.{form}"
        if form == "txt":
            p.write_text(" date 2022-03-10 By Desk\n" + body, encoding="utf-8")
        else:
            p.write_text(json.dumps({"id": f"l{n}", "date": "2022-03-10", "text": body}) + "\n", encoding="utf-8")
        return p
    small, big = write(2_000_000), write(8_000_000)
    t1, t4 = timed(lambda: _read_only(small)), timed(lambda: _read_only(big))
    assert linear(t1, t4), (t1, t4)


FEED_MEMORY = """
import resource, sys
from minemap.extraction.sources import Source, iter_sources
from minemap.extraction.documents import read_source
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
n = sum(1 for s in iter_sources([sys.argv[1]]) if isinstance(s, Source) and read_source(s).text)
print(n, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024)
"""


def test_feeds_are_streamed_line_by_line(tmp_path):
    p = tmp_path / "feed.jsonl"
    line = json.dumps({"id": "x", "date": "2022-03-10", "text": REPORT * 20}) + "\n"
    with open(p, "w", encoding="utf-8") as fh:
        for i in range(60_000_000 // len(line)):
            fh.write(line.replace('"x"', f'"x{i}"'))
    out = subprocess.run([sys.executable, "-c", FEED_MEMORY, str(p)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    n, grew = map(int, out.stdout.split())
    assert n == 60_000_000 // len(line)
    assert grew < 20 * 2**20, f"reading a 60 MB feed grew memory by {grew / 2**20:.0f} MiB"


BIG_DOCUMENT = """
import resource, sys, time
from pathlib import Path
from minemap.extraction.documents import read_documents
from minemap.extraction.extract import extract
filler = ("The road to the village winds through fields and low hills, and the houses along it are "
          "being rebuilt one by one while families come back from the cities. ")
report = ("Between March 3 and 9, the teams found 14 anti-personnel mines and 3 anti-tank mines in "
          "the Aghdam and Fuzuli districts. Over the same days 212.5 hectares were cleared.\\n\\n")
block = (filler * 6 + "\\n\\n") * 100 + report
p = Path(sys.argv[1])
with open(p, "w", encoding="utf-8") as fh:
    fh.write(" date 2022-03-10 By Desk\\n")
    for _ in range(int(sys.argv[2]) // len(block) + 1):
        fh.write(block)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
n = 0
for d in read_documents([p]):
    figs = extract(d)
    assert all(d.text[f.evidence.start:f.evidence.end] == f.evidence.text for f in figs)
    n += len(figs)
grew = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) * 1024
print(n, time.perf_counter() - t0, grew)
"""


def test_a_large_document_costs_time_and_memory_in_proportion(tmp_path):
    """The 50 MB version of this (minutes) is tests/benchmarks/fuzz_inputs.py; 4x the size here shows the
    growth is linear, not quadratic. Each size in its own process, so its peak memory is its own."""
    runs = {}
    for size in (250_000, 1_000_000):
        out = subprocess.run([sys.executable, "-c", BIG_DOCUMENT, str(tmp_path / f"big{size}.txt"), str(size)],
                             capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr
        n, seconds, grew = out.stdout.split()
        runs[size] = int(n), float(seconds), int(grew)
    (n1, t1, m1), (n4, t4, m4) = runs[250_000], runs[1_000_000]
    assert n1 >= 8 and n4 >= 3.5 * n1                         # every report block's figures found
    assert linear(t1, t4), (t1, t4)
    assert m4 < 8 * max(m1, 4 * 2**20) and m4 < 400 * 2**20, (m1, m4)


def test_a_failed_allocation_seen_as_system_error_counts_against_the_memory_budget(monkeypatch):
    # Under an address-space cap, C code that cannot allocate may raise SystemError instead of MemoryError;
    # in a capped worker that is the budget's doing, elsewhere it stays an ordinary extraction failure.
    from minemap.extraction import workers
    from minemap.extraction.record import Document as Doc

    def broken(doc):
        raise SystemError("error return without exception set")

    monkeypatch.setattr(workers, "extract", broken)
    doc = Doc("d1", "some text")
    assert "SystemError" in workers.extract_one(doc).reason
    monkeypatch.setattr(workers, "_memory_capped", True)
    with pytest.raises(MemoryError):
        workers.extract_one(doc)
