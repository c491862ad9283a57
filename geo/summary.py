"""The run summary (summary.json, summary.md, `Run.summary`): counts, and every fact and document that
the reader must be able to look up, with why.

Its lists grow with the corpus (a line per document, per fact set aside, per fact not added somewhere),
so `summary_view` gives them as `Rows`: sequences that read their items from the run's columns and store
each time they are iterated. The writers stream them; `materialize` (what `Aggregation.summary` returns)
turns them into plain lists for a caller who wants them whole.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Callable, Iterator

import numpy as np

from minemap.corpus import GROUP_NAMES
from minemap.extraction.record import METRICS
from minemap.fact_table import CUMULATIVE
from minemap.facts import Fact, json_number, period_text
from minemap.periods import (EXCLUDED, IMPLAUSIBLE, SET_ASIDE, SNAPSHOT, STATUSES, SUMMED, SUPERSEDED, UNPLACED,
                             placement)

if TYPE_CHECKING:
    from minemap.aggregation import Aggregation


class Rows(Sequence):
    """A list of the summary, made anew from the run each time it is iterated (`list(rows)` holds it)."""

    def __init__(self, make: Callable[[], Iterator], n: int) -> None:
        self._make, self._n = make, n

    def __iter__(self) -> Iterator:
        return iter(self._make())

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):
        return list(self)[i]

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and not isinstance(other, str) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(list(self))


def materialize(obj):
    """The summary with every Rows as a list (nested dicts and lists copied)."""
    if isinstance(obj, dict):
        return {k: materialize(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, Rows)):
        return [materialize(v) for v in obj]
    return obj


def fact_row(f: Fact, reports: list[str]) -> dict:
    return {
        "id": f.id, "metric": f.metric, "group": f.group, "value": json_number(f.value),
        "qualifier": f.qualifier, "scope": f.scope, "period": period_text(f.period_start, f.period_end),
        "districts": list(f.districts), "reports": reports, "reason": f.reason,
    }


def not_added_row(f: Fact) -> dict:
    """A fact added in some of its districts (or values): where not, how, and because of which fact
    (aligned lists)."""
    added, aside = placement(f)
    return {
        "id": f.id, "metric": f.metric, "group": f.group, "value": json_number(f.value),
        "period": period_text(f.period_start, f.period_end), "added_in": added,
        "not_added_in": [d for d, _, _ in aside], "how": [h for _, h, _ in aside],
        "because_of": [c for _, _, c in aside],
    }


def summary_view(agg: "Aggregation") -> dict:
    """The summary of a run, with its long lists as Rows."""
    t, j = agg.table, agg.judgement
    c = t.corpus
    rows = j.rows()
    status = j.status
    nd = t.ndist[rows]
    nsrc = t.n_sources()[rows]
    summed = status == SUMMED

    def facts(mask: np.ndarray, row: Callable = fact_row) -> Rows:
        picked = rows[mask]

        def make():
            for n in range(0, len(picked), 512):
                chunk = picked[n:n + 512]
                if row is fact_row:
                    ids = t.doc_ids(chunk.tolist())
                    for f in t.facts(chunk, j, sources=False, placement=False):
                        yield fact_row(f, ids[int(f.id[1:]) - 1])
                else:
                    for f in t.facts(chunk, j, sources=False):
                        yield row(f)
        return Rows(make, len(picked))

    def documents():
        figures = c.doc_figures
        for i, (doc_id, date, title, source, _, _, warnings) in c.store.in_id_order():
            yield {"doc_id": doc_id, "date": date, "source": source, "title": title, "figures": int(figures[i]),
                   "warnings": list(warnings)}

    unplaced = status == UNPLACED
    dated = (t.start[rows] != 0) | (t.end[rows] != 0)
    with_figures = int(np.count_nonzero(c.doc_figures)) if c.n_docs else 0
    found = c.n_records
    skipped = agg.skipped or []
    out = {
        "window": {"from": agg.date_from, "to": agg.date_to},
        "apportion": agg.apportion,
        "documents": {
            "read": c.n_docs, "skipped": len(skipped),
            "with_figures": with_figures,
            "without_figures": c.n_docs - with_figures,
            "list": Rows(documents, c.n_docs),
            "skipped_list": sorted(skipped, key=lambda s: (str(s.get("path") or ""), str(s.get("doc_id") or ""))),
        },
        "figures": {
            "found": found, "facts": t.n, "merged_duplicates": found - t.n,
            "facts_with_several_reports": int(np.count_nonzero(nsrc > 1)),
            "accounted": int(nsrc.sum()) == found,
        },
        "facts_by_status": {s: j.count(code) for code, s in enumerate(STATUSES)},
        "summed": {
            "attributed": int(np.count_nonzero(summed & (nd == 1))),
            "shared": int(np.count_nonzero(summed & (nd > 1))),
            "not_added_in_some_districts": int(np.count_nonzero(summed & j.any_aside())),
        },
        "implausible": facts(status == IMPLAUSIBLE),
        "set_aside": facts(status == SET_ASIDE),
        # facts set aside in all their districts say why in their reason (list "set_aside")
        "not_added": facts(summed & j.any_aside(), not_added_row),
        "undated_summed": facts(~dated & (summed | unplaced) & (t.scope[rows] != CUMULATIVE)),
        "superseded": facts(status == SUPERSEDED),
        "excluded": facts(status == EXCLUDED),
        "unplaced": {
            "count": int(np.count_nonzero(unplaced)),
            "totals": _unplaced_totals(agg, rows[unplaced]),
            "facts": facts(unplaced),
        },
        "running_totals": _running_totals(agg, rows[status == SNAPSHOT]),
        "districts_not_in_boundaries": agg.unknown,
    }
    if agg.notes is not None:
        out["notes"] = agg.notes
    return out


def _unplaced_totals(agg: "Aggregation", picked: np.ndarray) -> Rows:
    """Per metric and group, the sum of the facts that name no district, and which they are."""
    t = agg.table
    keys = sorted({(METRICS[m], GROUP_NAMES[g] or "") for m, g in zip(t.metric[picked].tolist(),
                                                                      t.group[picked].tolist())})

    def make():
        for metric, group in keys:
            mine = picked[(t.metric[picked] == METRICS.index(metric)) &
                          (t.group[picked] == GROUP_NAMES.index(group or None))]
            yield {"metric": metric, "group": group or None,
                   "value": json_number(round(math.fsum(t.value[mine].tolist()), 6)),
                   "facts": [t.fact_id(i) for i in mine.tolist()]}
    return Rows(make, len(keys))


def _running_totals(agg: "Aggregation", picked: np.ndarray) -> Rows:
    """The latest running total of each metric, group and list of districts."""
    t, j = agg.table, agg.judgement
    order = sorted(picked.tolist(), key=lambda i: (METRICS[t.metric[i]], GROUP_NAMES[t.group[i]] or "",
                                                   t.districts(i)))

    def make():
        ids = t.doc_ids(order)
        for f in t.facts(order, j, sources=False):
            i = int(f.id[1:]) - 1
            yield {"metric": f.metric, "group": f.group, "districts": list(f.districts),
                   "value": json_number(f.value), "qualifier": f.qualifier, "as_of": f.period_end,
                   "since": f.period_start, "fact": f.id, "reports": ids[i]}
    return Rows(make, len(order))
