"""Extraction never fails on odd input and its evidence always points into the text."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from minemap.extraction.extract import extract
from minemap.extraction.record import Document

WORDS = ["In", "May", "2022", "from", "June", "3", "to", "9", ",", "12,5", "1 234", "mines", "anti-tank", "and",
         "hectares", "were", "killed", "injured", "soldiers", "civilians", "Aghdam", "Lachin", "so far", "since",
         "November 10, 2020", "an", "(", ")", ":", ".", "\n\n", "about", "up to", "km", "of roads", "maps of",
         "Fourteen", "square metres", "UXO", "victims", "reached", "percent", "-", "last week", "the said period"]


@given(st.lists(st.sampled_from(WORDS), max_size=60), st.sampled_from([None, "2022-02-28", "2024-12-31"]))
@settings(max_examples=300, deadline=None)
def test_word_soup_never_breaks(words, date):
    text = " ".join(words)
    doc = Document("h", text, date)
    figs = extract(doc)
    for f in figs:
        assert text[f.evidence.start:f.evidence.end] == f.evidence.text
        assert f.value >= 0
        assert (f.period_start is None or f.period_end is None or f.period_start <= f.period_end
                or f.scope == "cumulative")
    assert [f.to_json() for f in figs] == [f.to_json() for f in extract(doc)]


@given(st.text(max_size=400))
@settings(max_examples=200, deadline=None)
def test_arbitrary_text_never_breaks(text):
    extract(Document("x", text, "2023-01-01"))


def test_generated_benchmark_documents_are_deterministic():
    path = Path(__file__).resolve().parent / "benchmarks" / "bench_extract.py"
    spec = importlib.util.spec_from_file_location("bench_extract", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    import random
    rnd = random.Random(7)
    docs = [bench.make_doc(i, rnd) for i in range(60)]
    first = [[f.to_json() for f in extract(d)] for d in docs]
    assert first == [[f.to_json() for f in extract(d)] for d in docs]
    assert sum(map(len, first)) > 300
