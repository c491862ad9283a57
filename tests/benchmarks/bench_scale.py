"""Scale benchmark: `python tests/benchmarks/bench_scale.py [--docs 100000] [--sizes 20000,50000,100000]`.

Generates a corpus of reports (written for this benchmark from templates; .md with front matter, .txt
with a header line, .html pages, and one .jsonl feed) in a temporary folder, then measures, each in a
child process so that its peak memory (ru_maxrss, workers included) is its own:
  - extraction throughput (read + extract, figures written to a file) with --jobs 1 and --jobs 2,
  - `minemap run` (aggregation, layers, tables and maps) total time and peak memory,
at several corpus sizes, to show that memory stays flat as the corpus grows. Prints a table, then the
peak memory of `minemap run` at each size and its growth per 100,000 documents against the targets of
issue 12: under 400 MiB at 100,000 documents, growing by at most 50 MiB per further 100,000.
Throughput target: >= 500 docs/s per core.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARD = 1000
DISTRICTS = ("Aghdam", "Fuzuli", "Jabrayil", "Zangilan", "Gubadli", "Lachin", "Kalbajar", "Shusha", "Khojaly",
             "Khojavend", "Tartar", "Aghdara", "Khankendi", "Barda", "Goranboy", "Dashkasan")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
OUTLETS = ("Desk A", "Desk B", "Wire C", "Daily D", "Portal E")
PARAS = (
    "From {m} {d1} to {d2}, field teams of the agency removed {a} anti-personnel mines, {b} anti-tank mines and "
    "{c:,} unexploded munitions in the {places} districts.",
    "During the same days the teams cleared {h:,}.{hd} hectares of land.",
    "The ministry said that {n} civilians were injured on {m} {d1} when a mine exploded near a village in "
    "{place}; one of them later died.",
    "Since the end of the fighting, {h2:,} hectares and {k} km of roads have been cleared, according to the agency.",
    "In {y}, clearance reached {h3:,} hectares in {place} and {h4:,} hectares in {place2}.",
    "Families have started to return to {place}, where {k} new houses and a school were opened this spring.",
    "Officials met donors on {m} {d1} to discuss funding for the next phase of the work.",
)


def make_text(rnd: random.Random) -> str:
    y = rnd.randint(2021, 2025)
    d1 = rnd.randint(1, 20)
    vals = dict(m=rnd.choice(MONTHS), d1=d1, d2=d1 + rnd.randint(3, 7), a=rnd.randint(0, 400), b=rnd.randint(0, 60),
                c=rnd.randint(5, 30000), h=rnd.randint(10, 9000), hd=rnd.randint(0, 9), n=rnd.randint(1, 6),
                h2=rnd.randint(1000, 90000), k=rnd.randint(2, 900), y=y, h3=rnd.randint(10, 9000),
                h4=rnd.randint(10, 9000), places=", ".join(rnd.sample(DISTRICTS, rnd.randint(1, 5))),
                place=rnd.choice(DISTRICTS), place2=rnd.choice(DISTRICTS))
    paras = [PARAS[0], PARAS[1]] if rnd.random() < 0.5 else []
    paras += rnd.sample(PARAS[2:], rnd.randint(1, 3))
    return "\n\n".join(p.format(**vals) for p in paras)


def write_corpus(root: Path, n: int, seed: int = 42) -> list[Path]:
    """n documents in shards of SHARD files (the last shard of each size boundary is complete)."""
    rnd = random.Random(seed)
    shards = []
    for s in range((n + SHARD - 1) // SHARD):
        d = root / f"shard{s:04d}"
        d.mkdir(parents=True, exist_ok=True)
        shards.append(d)
        for i in range(s * SHARD, min(n, (s + 1) * SHARD)):
            text = make_text(rnd)
            day = f"{rnd.randint(2021, 2025)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
            outlet = rnd.choice(OUTLETS)
            form = rnd.random()
            if form < 0.8:
                (d / f"r{i:06d}.md").write_text(f"---\nid: r{i:06d}\ndate: {day}\nsource: {outlet}\n"
                                                f"title: Clearance update {i}\n---\n{text}\n", encoding="utf-8")
            elif form < 0.9:
                (d / f"r{i:06d}.txt").write_text(f" date {day} By {outlet}\n{text}\n", encoding="utf-8")
            else:
                html = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
                (d / f"r{i:06d}.html").write_text(
                    f"<html><head><meta property='article:published_time' content='{day}T10:00:00+04:00'>"
                    f"<title>Clearance update {i} | {outlet}</title></head><body><nav>Home 1 2 3</nav>"
                    f"<article><h1>Clearance update {i}</h1>{html}</article><footer>(c) 2025</footer></body></html>",
                    encoding="utf-8")
    return shards


def write_feed(path: Path, n: int, seed: int = 43) -> None:
    rnd = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            day = f"{rnd.randint(2021, 2025)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
            fh.write(json.dumps({"id": f"f{i:06d}", "date": day, "title": f"Update {i}", "text": make_text(rnd),
                                 "source": rnd.choice(OUTLETS)}) + "\n")


EXTRACT_CHILD = """
import sys
from minemap.extraction.documents import DocumentError
from minemap.extraction.pipeline import extract_stream
jobs, out, paths = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
n = f = 0
with open(out, "w", encoding="utf-8") as fh:
    for r in extract_stream(paths, jobs=jobs):
        if isinstance(r, DocumentError):
            continue
        n += 1
        for fig in r[1]:
            fh.write(fig.to_json() + "\\n")
            f += 1
print(n, f)
"""


def run_child(cmd: list[str]) -> tuple[float, int, str]:
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:6])} failed with {p.returncode}")
    return dt, usage.ru_maxrss * 1024, out


def memory_verdict(points: list[tuple[int, float]]) -> str:
    """Peak MiB of `minemap run` per corpus size, and its growth per 100,000 documents (least squares),
    against issue 12's targets."""
    lines = ["memory of minemap run: " + ", ".join(f"{n:,} docs {mib:.0f} MiB" for n, mib in points)]
    if len(points) >= 2:
        xs, ys = [n / 100_000 for n, _ in points], [mib for _, mib in points]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
        lines.append(f"growth: {slope:.0f} MiB per 100,000 documents (target <= 50)")
    at = dict(points).get(100_000)
    if at is not None:
        lines.append(f"at 100,000 documents: {at:.0f} MiB (target < 400)")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--sizes", default="20000,50000,100000",
                    help="Corpus sizes to measure (each <= --docs).")
    ap.add_argument("--extract-sizes", default="10000,100000", help="Sizes at which extraction alone is timed.")
    ap.add_argument("--no-maps", action="store_true", help="Time `minemap run` without the maps.")
    ap.add_argument("--no-jobs2", action="store_true", help="Skip the `minemap run --jobs 2` runs.")
    ap.add_argument("--feed", action="store_true", help="Also time a run on one .jsonl feed of --docs documents.")
    ap.add_argument("--keep", type=Path, help="Generate the corpus here and keep it (default: a temp folder).")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    ex_sizes = [int(s) for s in args.extract_sizes.split(",") if s]
    py = sys.executable
    minemap = [py, "-c", "from minemap.cli import main; main()"]
    minemap = [str(Path(py).with_name("minemap"))] if Path(py).with_name("minemap").exists() else minemap

    root = args.keep or Path(tempfile.mkdtemp(prefix="minemap-scale-"))
    try:
        t0 = time.perf_counter()
        shards = write_corpus(root / "corpus", args.docs)
        print(f"generated {args.docs} documents in {time.perf_counter() - t0:.0f} s under {root}", flush=True)
        rows = []
        for n in sizes:
            paths = [str(s) for s in shards[: (n + SHARD - 1) // SHARD]]
            row = {"docs": n}
            if n in ex_sizes:
                for jobs in (1, 2):
                    dt, peak, out = run_child([py, "-c", EXTRACT_CHILD, str(jobs), str(root / "figs.jsonl"), *paths])
                    nd, nf = map(int, out.split())
                    row[f"j{jobs}"] = (nd / dt, peak, nf)
                    print(f"  {n}: extract --jobs {jobs}: {nd} docs, {nf} figures, {dt:.1f} s, "
                          f"{nd / dt:.0f} docs/s, peak {peak / 2**20:.0f} MiB", flush=True)
            cmd = [*minemap, "run", *paths, "-o", str(root / f"out{n}")] + (["--no-maps"] if args.no_maps else [])
            dt, peak, _ = run_child(cmd)
            row["run"] = (dt, peak)
            print(f"  {n}: minemap run: {dt:.1f} s, peak {peak / 2**20:.0f} MiB", flush=True)
            if not args.no_jobs2:
                dt2, peak2, _ = run_child(cmd + ["--jobs", "2", "-o", str(root / f"out{n}j")])
                row["run2"] = (dt2, peak2)
                print(f"  {n}: minemap run --jobs 2: {dt2:.1f} s, peak {peak2 / 2**20:.0f} MiB", flush=True)
            rows.append(row)
        if args.feed:
            write_feed(root / "feed.jsonl", args.docs)
            dt, peak, _ = run_child([*minemap, "run", str(root / "feed.jsonl"), "-o", str(root / "outfeed"),
                                     "--no-maps"])
            print(f"  feed.jsonl {args.docs}: minemap run --no-maps: {dt:.1f} s, peak {peak / 2**20:.0f} MiB")

        print()
        print(f"| documents | extract -j1 docs/s | extract -j2 docs/s | extract peak MiB (j1/j2) | "
              f"run -j1 s | run -j1 peak MiB | run -j2 s | run -j2 peak MiB |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in rows:
            j1 = r.get("j1")
            j2 = r.get("j2")
            run2 = r.get("run2")
            print(f"| {r['docs']:,} | {f'{j1[0]:.0f}' if j1 else '-'} | {f'{j2[0]:.0f}' if j2 else '-'} | "
                  f"{f'{j1[1] / 2**20:.0f} / {j2[1] / 2**20:.0f}' if j1 else '-'} | {r['run'][0]:.1f} | "
                  f"{r['run'][1] / 2**20:.0f} | {f'{run2[0]:.1f}' if run2 else '-'} | "
                  f"{f'{run2[1] / 2**20:.0f}' if run2 else '-'} |")
        print()
        print(memory_verdict([(r["docs"], r["run"][1] / 2**20) for r in rows]))
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
