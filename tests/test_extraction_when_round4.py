"""When and scope, round 4 of the generality work: phenomena of real-style reports (heldout10, heldout12), each
on sentences written for these tests (not the corpora's). The catalogued rules have their own examples in
extraction/data/en/rules.yaml; these cover the language data and the context behind them."""
from __future__ import annotations

from minemap.extraction.extract import extract
from minemap.extraction.record import Document


def figs(text: str, date: str | None = "2023-05-01"):
    doc = Document(doc_id="t", text=text, date=date)
    return [(f.metric, f.value, f.group, f.scope, f.period_start, f.period_end) for f in extract(doc)]


def when(text: str, date: str | None = "2023-05-01"):
    return [(m, v, s, a, b) for m, v, g, s, a, b in figs(text, date)]


# "the lands freed from occupation between May 1 and May 6": the window of the work, not of the lands' history

def test_freed_lands_then_a_window_of_work():
    text = ("The agency has published the results of its work in the lands freed from occupation between March 6 "
            "and March 11. During the week, deminers found 64 anti-tank mines.")
    assert when(text, "2024-03-13") == [("at_mines", 64, "period", "2024-03-06", "2024-03-11")]


def test_lands_freed_in_a_year_stay_history():
    text = "In the lands freed from occupation in 2020, deminers found 64 anti-tank mines in March."
    assert when(text, "2024-04-13") == [("at_mines", 64, "period", "2024-03-01", "2024-03-31")]
