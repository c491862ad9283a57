"""Same inputs, same bytes across two versions: `python tests/benchmarks/compare_outputs.py --baseline PYTHON`.

Runs `minemap run` with a set of options (maps or not, `--by month|year`, every `--apportion`, a time
window, `--figures` round trips, another metric and scheme) on a copy of the embedded sample corpus
(documents.csv lists the paths read), on the held-out test corpora, and on generated corpora, once with the interpreter of a baseline install (for
example a virtual environment with main installed) and once with this one, and compares every output
file byte for byte. Prints one line per run and the files that differ; exits 1 if any does.

The generated corpora are the scale benchmark's (bench_scale.write_corpus) and a "remix" of the sample
and held-out reports: copies with other districts, numbers, years, outlets and ids, some republished
verbatim, some without a date, so that merging, undated copies, totals and parts, overlaps and estimates
all occur many times.

`--keep DIR` keeps the corpora and outputs; `--only-baseline` / `--only-candidate` run one side (the
outputs of the other are read from `--keep`).
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from bench_scale import write_corpus  # noqa: E402

SAMPLES = [ROOT / "extraction" / "sample", *sorted((ROOT / "tests" / "corpus").glob("heldout*"))]
# the development corpora shared between checkouts (real reports and real-style ones), when present: next
# to the main checkout (/work/shared beside /work/main) or to the folder of the worktrees (/work/wt/x)
SHARED = next((p / "shared" / "corpus" for p in ROOT.parents[:2] if (p / "shared" / "corpus").is_dir()),
              ROOT.parent / "shared" / "corpus")
DISTRICTS = ("Aghdam", "Fuzuli", "Jabrayil", "Zangilan", "Gubadli", "Lachin", "Kalbajar", "Shusha", "Khojaly",
             "Khojavend", "Tartar", "Aghdara", "Barda", "Goranboy", "Dashkasan", "Gazakh")
OUTLETS = ("Trend", "APA", "AZERTAC", "Report", "News.az", "Caliber", "JAMnews")


def remix(root: Path, n: int, seed: int = 7) -> Path:
    """n report files made from the sample and held-out reports (see the module docstring)."""
    rnd = random.Random(seed)
    sources = sorted(p for d in SAMPLES for p in d.iterdir()
                     if p.suffix in (".txt", ".md", ".html") and not p.name.endswith(".gold.jsonl"))
    texts = [(p.suffix, p.read_text(encoding="utf-8")) for p in sources]
    out = root / "remix"
    out.mkdir(parents=True, exist_ok=True)
    last: list[tuple[str, str]] = []
    for i in range(n):
        if last and rnd.random() < 0.2:          # another outlet republishes a recent report as it is
            suffix, text = rnd.choice(last[-20:])
            if rnd.random() < 0.3:                # ... without its date line
                text = re.sub(r"(?m)^(date: .*| date \S+)$", "", text, count=1)
        else:
            suffix, text = rnd.choice(texts)
            shift = rnd.choice((-1, 0, 0, 1, 2))
            text = re.sub(r"\b(202[0-5])\b", lambda m: str(int(m.group(1)) + shift), text)
            a, b = rnd.sample(DISTRICTS, 2)
            text = text.replace(a, b)
            text = re.sub(r"(?<![\d.,-])(\d{2,3})(?![\d,])", lambda m: (str(max(10, int(m.group(1)) +
                          rnd.randint(-9, 9))) if rnd.random() < 0.3 else m.group(1)), text)
            text = re.sub(r"(?m)^(source: |By )\S.*$", lambda m: m.group(1) + rnd.choice(OUTLETS), text, count=1)
            text = re.sub(r"(?m)^id: .*$", f"id: remix{i:05d}", text, count=1)
            last.append((suffix, text))
        (out / f"remix{i:05d}{suffix}").write_text(text, encoding="utf-8")
    return out


def variants(corpora: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    runs = []
    for name, paths in corpora.items():
        runs += [
            (f"{name}-maps", [*paths]),
            (f"{name}-nomaps", [*paths, "--no-maps"]),
            (f"{name}-month", [*paths, "--by", "month"]),
            (f"{name}-year-area", [*paths, "--by", "year", "--apportion", "area"]),
            (f"{name}-equal", [*paths, "--apportion", "equal", "--no-maps"]),
            (f"{name}-none", [*paths, "--apportion", "none"]),
            (f"{name}-window", [*paths, "--from", "2022-01-01", "--to", "2023-12-31", "--by", "month"]),
            (f"{name}-uxo", [*paths, "--metric", "uxo", "--scheme", "quantiles", "--k", "4", "--no-maps"]),
        ]
    return runs


def run_all(python: str, runs, out: Path, figures_from: Path | None = None) -> dict[str, float]:
    times = {}
    for name, args in runs:
        target = out / name
        if target.exists():
            shutil.rmtree(target)
        cmd = [python, "-m", "minemap", "run", *args, "-o", str(target)]
        t0 = time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, text=True)
        times[name] = time.perf_counter() - t0
        if r.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{r.stderr[-3000:]}")
        print(f"  {python}: {name} {times[name]:.1f} s", flush=True)
    return times


def compare(a: Path, b: Path) -> list[str]:
    bad = []
    for run in sorted(p.name for p in a.iterdir() if p.is_dir()):
        files_a = sorted(p.name for p in (a / run).iterdir())
        files_b = sorted(p.name for p in (b / run).iterdir()) if (b / run).is_dir() else []
        if files_a != files_b:
            bad.append(f"{run}: files differ: {files_a} vs {files_b}")
            continue
        for f in files_a:
            if (a / run / f).read_bytes() != (b / run / f).read_bytes():
                bad.append(f"{run}/{f}")
    return bad


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", required=True, help="Python of the baseline install (e.g. main).")
    ap.add_argument("--candidate", default=sys.executable, help="Python of the version under test.")
    ap.add_argument("--docs", type=int, default=3000, help="Documents of each generated corpus.")
    ap.add_argument("--keep", type=Path, help="Keep corpora and outputs here (default: a temporary folder).")
    ap.add_argument("--only-baseline", action="store_true")
    ap.add_argument("--only-candidate", action="store_true")
    args = ap.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="minemap-compare-"))
    try:
        if not (root / "scale").exists():
            write_corpus(root / "scale", args.docs)
        if not (root / "remix").exists():
            remix(root, args.docs)
        if not (root / "sample").exists():   # a copy: documents.csv lists the paths read
            shutil.copytree(SAMPLES[0], root / "sample")
        corpora = {"sample": [str(root / "sample")], "heldout": [str(p) for p in SAMPLES[1:]],
                   "heldout8": [str(ROOT / "tests" / "corpus" / "heldout8")],
                   "scale": [str(root / "scale")], "remix": [str(root / "remix")]}
        corpora.update({name: [str(SHARED / name)] for name in ("real-dev", "dev") if (SHARED / name).is_dir()})
        runs = variants(corpora)
        sides = [("baseline", args.baseline), ("candidate", args.candidate)]
        if args.only_baseline:
            sides = sides[:1]
        elif args.only_candidate:
            sides = sides[1:]
        for side, python in sides:
            run_all(python, runs, root / side)
            # figures.jsonl of each corpus, mapped again (`run --figures`, with its documents.csv)
            run_all(python, [(f"{name}-figures", ["--figures", str(root / side / f"{name}-maps" / "figures.jsonl")])
                             for name in corpora], root / side)
        if args.only_baseline or args.only_candidate:
            return 0
        bad = compare(root / "baseline", root / "candidate")
        n = sum(1 for p in (root / "baseline").iterdir() if p.is_dir())
        if bad:
            print(f"{len(bad)} differences in {n} runs:")
            print("\n".join(f"  {b}" for b in bad))
            return 1
        print(f"all output files of {n} runs are byte-identical")
        return 0
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
