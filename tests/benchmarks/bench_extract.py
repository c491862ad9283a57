"""Extraction throughput on generated reports: `python tests/benchmarks/bench_extract.py [N]`.

Generates N (default 5,000) varied documents from templates written for this benchmark (weekly,
running totals, incidents, annual by district, background paragraphs, noise), writes them as `.txt` files
and prints, on one core (CPU time): documents per second reading the files (`read_documents`: the
reference, what any tool that opens them pays), documents per second extracting them, and the ratio of the
two. Target (issue 9): >= 1,000 docs/s extracting.
"""
from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from minemap.extraction.documents import read_documents
from minemap.extraction.extract import extract
from minemap.extraction.record import Document

DISTRICTS = ["Aghdam", "Fuzuli", "Jabrayil", "Zangilan", "Gubadli", "Lachin", "Kalbajar", "Shusha",
             "Khojaly", "Khojavend", "Tartar", "Aghdara", "Khankendi", "Terter", "Agdam", "Fizuli"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

TEMPLATES = [
    "Between {m} {d1} and {d2}, the agency's teams located {a} anti-personnel mines, {b} anti-tank mines and "
    "{c} pieces of unexploded ordnance in the {places} districts. Over the same days {h}.{hd} hectares were "
    "cleared.",
    "During the period from {d1} to {d2} {m}, {a} anti-personnel mines, {b} anti-tank mines and {c:,} "
    "unexploded ordnance were found and neutralized in {places}. In total, {h:,} hectares were cleared.",
    "The defence ministry said its sappers had cleared more than {h:,} hectares and {k} kilometers of roads "
    "so far, destroying {c:,} mines and unexploded ordnance.",
    "On {m} {d1}, {n} civilians were injured when a mine went off near a village in the {place} district. "
    "One of them, a shepherd, died later in hospital.",
    "By district, clearance in {y} came to {h:,}.{hd} hectares in {place}, {h2:,} hectares in {place2} and "
    "{h3} hectares elsewhere.",
    "Since the end of the war, {n2} people have been killed or injured by landmines, among them {n} children.",
    "The village lies {k} km from the border. Prisoners were exchanged after {k} days. The maps were {b} "
    "percent accurate. About {h:,} hectares still need to be cleared.",
    "In {m}, some {c} mines and munitions were destroyed and about {h} hectares were demined across the "
    "liberated lands, the agency reported on its website.",
]


def make_doc(i: int, rnd: random.Random) -> Document:
    paras = []
    for _ in range(rnd.randint(2, 6)):
        t = rnd.choice(TEMPLATES)
        d1 = rnd.randint(1, 20)
        paras.append(t.format(
            m=rnd.choice(MONTHS), d1=d1, d2=d1 + rnd.randint(3, 7), a=rnd.randint(0, 400), b=rnd.randint(0, 90),
            c=rnd.randint(10, 30000), h=rnd.randint(10, 60000), hd=rnd.randint(0, 9), h2=rnd.randint(10, 9000),
            h3=rnd.randint(1, 900), k=rnd.randint(2, 900), n=rnd.randint(1, 9), n2=rnd.randint(100, 400),
            y=rnd.randint(2021, 2025), places=", ".join(rnd.sample(DISTRICTS, rnd.randint(2, 12))),
            place=rnd.choice(DISTRICTS), place2=rnd.choice(DISTRICTS)))
    year = rnd.randint(2021, 2025)
    return Document(doc_id=f"bench-{i}", text="\n\n".join(paras),
                    date=f"{year}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}")


def main(n: int = 5000) -> float:
    rnd = random.Random(20240601)
    docs = [make_doc(i, rnd) for i in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        for d in docs:
            (Path(tmp) / f"{d.doc_id}.txt").write_text(f" date {d.date} By bench\n\n{d.text}\n", encoding="utf-8")
        c0 = time.process_time()
        read = sum(1 for _ in read_documents([tmp]))
        read_cpu = time.process_time() - c0
    assert read == n
    extract(docs[0])  # warm the caches (term lists, gazetteer)
    # CPU time of this process: the single-core cost, not disturbed by other load on the machine
    c0, t0 = time.process_time(), time.perf_counter()
    figures = sum(len(extract(d)) for d in docs)
    cpu, wall = time.process_time() - c0, time.perf_counter() - t0
    rate, read_rate = n / cpu, n / read_cpu
    print(f"{n} documents, {figures} figures (one core, CPU time)")
    print(f"  reading the files (reference): {read_cpu:6.2f} s  {read_rate:7.0f} docs/s")
    print(f"  extracting                   : {cpu:6.2f} s  {rate:7.0f} docs/s  ({wall:.2f} s wall)")
    print(f"  extraction costs {cpu / read_cpu:.1f}x reading; target 1,000 docs/s: "
          f"{'met' if rate >= 1000 else 'not met'}")
    return rate


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
