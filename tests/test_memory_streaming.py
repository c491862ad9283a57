"""Memory of a run grows by bytes, not kilobytes, per report (issue 12: under 400 MiB at 100,000
documents, at most 50 MiB more per further 100,000, measured by tests/benchmarks/bench_scale.py).

A run keeps its records and facts as arrays and their text in a store on disk (geo.corpus,
geo.fact_table, geo.run_store). Here documents republish a few facts, and the peak memory Python traces
while aggregating them is measured at two corpus sizes: what the larger corpus costs more per document
must stay under a kilobyte (holding each report of a fact as objects cost two).
"""
from __future__ import annotations

import gc
import random
import tracemalloc

from minemap.aggregation import aggregate
from minemap.extraction.record import Document, Evidence, Figure

DISTRICTS = ("AZ-AGM", "AZ-CAB", "AZ-FUZ", "AZ-QBI", "AZ-SUS", "AZ-TAR", "AZ-ZAN", "AZ-LAC", "AZ-KAL")
BYTES_PER_DOCUMENT = 1000


def _documents(n: int) -> dict[str, Document]:
    rnd = random.Random(n)
    return {f"r{i:06d}": Document(f"r{i:06d}", "", date=f"{rnd.randint(2021, 2025)}-{rnd.randint(1, 12):02d}-"
                                  f"{rnd.randint(1, 28):02d}", source=f"Outlet {i % 5}", title=f"Update {i}",
                                  path=f"/reports/r{i:06d}.md")
            for i in range(n)}


def _figures(docs: dict[str, Document]):
    """Each document republishes one of a few weekly reports (two figures) and one of a few running
    totals: the records grow with the documents, the facts do not."""
    for k, doc_id in enumerate(docs):
        week, total = k % 40, k % 7
        places = tuple(sorted(random.Random(week).sample(DISTRICTS, 1 + week % 3)))
        start, end = f"2023-{1 + week % 12:02d}-{1 + week % 20:02d}", f"2023-{1 + week % 12:02d}-{7 + week % 20:02d}"
        for metric, value in (("ap_mines", 10 + week), ("area_ha", 100.5 + week)):
            text = f"{value} {metric} in {', '.join(places)} from {start} to {end}"
            yield Figure(doc_id=doc_id, metric=metric, value=value, qualifier="exact", scope="period",
                         period_start=start, period_end=end, districts=places,
                         evidence=Evidence(0, len(text), text))
        text = f"{20_000 + total} hectares cleared since 2020"
        yield Figure(doc_id=doc_id, metric="area_ha", value=20_000 + total, qualifier="approx", scope="cumulative",
                     period_start="2020-11-10", period_end=f"2024-0{1 + total}-01", districts=(),
                     evidence=Evidence(0, len(text), text))


def _peak(n: int) -> int:
    docs = _documents(n)        # the documents are the input, not what the run holds: made before tracing
    gc.collect()
    tracemalloc.start()
    try:
        aggregate(_figures(docs), docs, areas={d: 50_000.0 for d in DISTRICTS}, codes=DISTRICTS)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_of_aggregating_grows_by_bytes_per_document():
    small, large = 500, 2000
    _peak(100)        # imports and caches of first use are no cost of the corpus
    grown = _peak(large) - _peak(small)
    per_doc = grown / (large - small)
    assert per_doc < BYTES_PER_DOCUMENT, f"{per_doc:.0f} bytes more per document ({grown / 2**20:.1f} MiB)"
