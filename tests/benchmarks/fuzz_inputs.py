"""Giant hostile inputs, timed: `python tests/benchmarks/fuzz_inputs.py [--only NAME] [--budget SECONDS]`.

The test suite runs each kind at a size that shows the property (tests/test_inputs_hostile.py); this
script runs them at the sizes where they used to hang or blow up, each in a child process, and prints
seconds and peak memory of reading them (`read`) and of `minemap extract` on a folder holding the
hostile file and one ordinary report (`extract`: the report's figures must come out, and the hostile
file must end as records or as a listed skip within the document budget). The inputs are generated.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPORT = (" date 2022-03-10 By Desk\nBetween March 3 and 9, the teams found 14 anti-personnel mines in the Aghdam "
          "district and cleared 212.5 hectares.\n")
FILLER = ("The road to the village winds through fields and low hills, and the houses along it are being rebuilt "
          "one by one while families come back from the cities. ")
BLOCK = (FILLER * 6 + "\n\n") * 100 + ("Between March 3 and 9, the teams found 14 anti-personnel mines and 3 "
                                       "anti-tank mines in the Aghdam and Fuzuli districts.\n\n")


def _html_end_tags(folder: Path) -> None:
    (folder / "tags.html").write_text("<div>" * 10_000 + f"<p>{REPORT}</p>" + "</span>" * 100_000, encoding="utf-8")


def _long_line(folder: Path) -> None:
    with open(folder / "line.txt", "w", encoding="utf-8") as fh:
        fh.write(" date 2022-03-10 By Desk\n")
        for _ in range(100):
            fh.write("word " * 200_000)             # 100 MB, no line end


def _jsonl_line(folder: Path) -> None:
    text = "Between March 3 and 9 the teams found 14 mines in Aghdam and " * 800_000     # 50 MB, no sentence end
    (folder / "feed.jsonl").write_text(json.dumps({"id": "big", "date": "2022-03-10", "text": text}) + "\n",
                                       encoding="utf-8")


def _symlink_loop(folder: Path) -> None:
    (folder / "a").symlink_to(".")
    (folder / "b").symlink_to(".")


def _billion_laughs(folder: Path) -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"] + [
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    (folder / "lol.md").write_text("---\n" + "\n".join(lines) + "\n---\n5 mines.\n", encoding="utf-8")


def _fifty_mb_document(folder: Path) -> None:
    with open(folder / "huge.txt", "w", encoding="utf-8") as fh:
        fh.write(" date 2022-03-10 By Desk\n")
        for _ in range(50_000_000 // len(BLOCK) + 1):
            fh.write(BLOCK)


KINDS = {"html-end-tags": _html_end_tags, "100mb-line": _long_line, "50mb-jsonl-line": _jsonl_line,
         "symlink-loop": _symlink_loop, "billion-laughs": _billion_laughs, "50mb-document": _fifty_mb_document}

READ = """
import resource, sys, time
from minemap.extraction.documents import read_documents
t = time.perf_counter()
items = list(read_documents([sys.argv[1]]))
print(f"{time.perf_counter() - t:.2f}", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, len(items))
"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", choices=sorted(KINDS), action="append")
    ap.add_argument("--budget", type=float, default=60.0, help="--doc-timeout for the extract runs.")
    args = ap.parse_args(argv)
    minemap = str(Path(sys.executable).with_name("minemap"))
    failed = 0
    print("| input | read s | read peak MiB | extract s | report's figures | hostile file ended as |")
    print("|---|---:|---:|---:|---:|---|")
    for name in args.only or KINDS:
        root = Path(tempfile.mkdtemp(prefix=f"minemap-{name}-"))
        try:
            (root / "in").mkdir()
            KINDS[name](root / "in")
            (root / "in" / "report.txt").write_text(REPORT, encoding="utf-8")
            out = subprocess.run([sys.executable, "-c", READ, str(root / "in")], capture_output=True, text=True)
            read_s, peak, _ = out.stdout.split() if out.returncode == 0 else ("failed", "-", "-")
            t1 = time.perf_counter()
            ex = subprocess.run([minemap, "extract", str(root / "in"), "--doc-timeout", str(args.budget)],
                                capture_output=True, text=True)
            extract_s = time.perf_counter() - t1
            report_figs = sum(1 for line in ex.stdout.splitlines() if '"doc_id": "report"' in line)
            hostile = [line.removeprefix("minemap: ").replace(str(root / "in") + "/", "")[:100]
                       for line in ex.stderr.splitlines() if line.startswith(("minemap: cannot", "minemap: skipped"))]
            ended = hostile or ["records"]
            ok = ex.returncode == 0 and report_figs > 0
            failed += not ok
            print(f"| {name} | {read_s} | {peak} | {extract_s:.1f} | {report_figs} | {'; '.join(ended)} |", flush=True)
        finally:
            shutil.rmtree(root, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
