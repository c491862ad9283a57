"""Estimates between the bounds: how much of a figure stated for several districts belongs to each.

A weekly report gives 1,130 hectares for 13 districts together. The map must not pretend to know each
district's part, but it can estimate it from what the reports themselves say per district (geo/README.md,
"What is known of a district": the attributed value is a lower bound, attributed plus shared an upper
bound, an estimate lies between and says how it was made):

1. When reports give per-district figures of the same metric for exactly the same period (an annual
   report with a total and a breakdown by district), those districts keep their own figures and only the
   remainder of the total is shared among the others.
2. The rest is weighted by the per-district figures that the reports state for that metric for some other
   period (annual reports, statistics with running totals per district): of all such breakdowns, the one
   naming most of the districts concerned, then the closest in time.
3. Districts that breakdown does not name, or every district when there is none, share by district area.

The shares of one figure sum back to its value (or to the remainder). They are planned once per run; time
slices reuse the plan. Once the overlaps of a run or slice are known (geo.periods), `counted_shares` makes
the shares an estimate counts: a district keeps at least the figures naming it alone that the shared figure
covers there, the rest of the figure is shared as planned, and the shares are whole numbers for counts
(tenths for hectares and kilometres) that still add up to the figure (largest remainders).

People are never shared out by district area or equally: a count of killed or injured has nothing to do
with land. Their figures naming several districts are apportioned only by what the reports say per
district (rules 1 and 2); without that, they get no estimate.

`how="area"` and `how="equal"` skip the reported breakdowns; `how="none"` makes no estimate columns.
"""
from __future__ import annotations

import math
from bisect import bisect_left
from datetime import date
from typing import TYPE_CHECKING, Mapping

import numpy as np

from minemap.corpus import GROUP_NAMES
from minemap.extraction.record import METRICS, PEOPLE_METRICS, SCOPES, unit_of
from minemap.fact_table import iso
from minemap.facts import Fact, fmt_number, interval, period_text

if TYPE_CHECKING:
    from minemap.fact_table import FactTable

HOW = ("reports", "area", "equal", "none")
# Names of the ways a share was weighted, as the districts table and the map show them.
KIND_TEXT = {"reported": "reported per-district figures", "area": "district area", "equal": "equal split",
             "remainder": "what a total leaves after per-district figures"}
# The resolution of counted shares: whole items and people; tenths of hectares and kilometres.
STEP = {"items": 1.0, "people": 1.0}
FINE_STEP = 0.1
NO_PEOPLE_ESTIMATE = ("no estimate: people are apportioned only by the per-district figures that reports "
                      "give, and none covers these districts")


def step_of(metric: str) -> float:
    return STEP.get(unit_of(metric), FINE_STEP)


class _Breakdown:
    """Per-district figures of one metric and group stated for one period (or one as-of date)."""

    __slots__ = ("values", "label", "mid", "key")

    def __init__(self, key: tuple, values: dict[str, float], lo: int, hi: int) -> None:
        # key: (metric, group, scope, first day, last day) as names and day numbers (0: none)
        self.key = key
        self.values = values
        self.mid = date.fromordinal(lo + (hi - lo) // 2) if lo else None
        start, end = iso(key[3]), iso(key[4])
        self.label = (f"running totals as of {end}" if key[2] == "cumulative"
                      else f"figures for {period_text(start, end)}")


def plan_shares(table: "FactTable", how: str = "reports", land_ha: Mapping[str, float] | None = None) -> None:
    """Plan the shares of every fact that names several districts (not of implausible ones): the table's
    `shares` (per district), `basis` and `weights`."""
    if how not in HOW:
        raise ValueError(f"apportion must be one of {HOW}, not {how!r}")
    if how == "none":
        return
    t = table
    land = land_ha or {}
    ok = np.ones(t.n, dtype=bool)
    if t.implausible:
        ok[list(t.implausible)] = False
    multi = ok & (t.ndist >= 2)
    single = ok & (t.ndist == 1) & ((t.start != 0) | (t.end != 0))
    lo, hi = t.intervals()
    nsrc = t.n_sources()
    ids = np.arange(t.n)
    # one metric and group at a time: breakdowns are only ever looked up within them
    for m, g in sorted(set(zip(t.metric[multi].tolist(), t.group[multi].tolist()))):
        mine = (t.metric == m) & (t.group == g)
        metric, group = METRICS[m], GROUP_NAMES[g]
        facts = np.nonzero(multi & mine)[0]
        same_keys = {(s, a, b) for s, a, b in zip(t.scope[facts].tolist(), t.start[facts].tolist(),
                                                   t.end[facts].tolist()) if a or b}
        rows = np.nonzero(single & mine)[0]
        rows = rows[np.lexsort((ids[rows], -t.value[rows], -nsrc[rows], t.end[rows], t.start[rows], t.scope[rows]))]
        by_key: dict[tuple, _Breakdown] = {}
        usable: dict[tuple, list[_Breakdown]] = {}
        scope, start, end = t.scope[rows].tolist(), t.start[rows].tolist(), t.end[rows].tolist()
        value = t.value[rows].tolist()
        at = 0
        while at < len(rows):
            stop = at + 1
            while stop < len(rows) and (scope[stop], start[stop], end[stop]) == (scope[at], start[at], end[at]):
                stop += 1
            values: dict[str, float] = {}
            for k in range(at, stop):      # the fact more reports state, then the larger, then the first
                values.setdefault(t.districts(rows[k])[0], value[k])
            b = _Breakdown((metric, group, SCOPES[scope[at]], start[at], end[at]), values,
                           int(lo[rows[at]]), int(hi[rows[at]]))
            if (scope[at], start[at], end[at]) in same_keys:
                by_key[(scope[at], start[at], end[at])] = b
            # Only breakdowns of two districts or more can tell districts apart; events (one incident per
            # district) are no breakdown of work.
            if len(values) >= 2 and b.key[2] != "event" and b.mid is not None:
                usable.setdefault((metric, group), []).append(b)
            at = stop
        for bs in usable.values():          # sorted by time, for the nearest-in-time choice
            bs.sort(key=lambda b: (b.mid, b.key[2:]))
        cache: dict[tuple, list[_Breakdown]] = {}
        for i in facts.tolist():
            f = t.bare(i)
            same = by_key.get((int(t.scope[i]), int(t.start[i]), int(t.end[i]))) if f.dated else None
            shares, basis, weights = _plan(f, same, how, land, usable, cache)
            if shares is not None:
                t.shares[t.pair_ptr[i]:t.pair_ptr[i + 1]] = shares
                t.has_shares[i] = True
            t.basis[i], t.weights[i] = t.text_code(basis), t.text_code(weights, kind=True)


def _plan(f: Fact, same: "_Breakdown | None", how: str, land: Mapping[str, float],
          usable: dict[tuple, list[_Breakdown]], cache: dict) -> tuple[tuple[float, ...] | None, str, str]:
    """The planned shares of a fact naming several districts, how they were made, and their kind."""
    known = {d: same.values[d] for d in f.districts if same and d in same.values}
    rest = tuple(d for d in f.districts if d not in known)
    total = f.value - sum(known.values())
    notes = []
    if known:
        notes.append(f"remainder after the per-district figures of the same period for {len(known)} of its "
                     f"{len(f.districts)} districts ({fmt_number(max(total, 0))} of {fmt_number(f.value)})")
        if total < 0:
            notes.append("those figures exceed the total: nothing left to share")
            total = 0.0
    if known and len(rest) == 1:      # the one district left takes the remainder: nothing to weigh
        weights, text, kind = {rest[0]: 1.0}, f"the remainder to {rest[0]}, the one district left", "remainder"
    else:
        weights, text, kind = _weights(f, rest, how, land, usable, cache)
    if f.metric in PEOPLE_METRICS and rest and kind not in ("reported", "remainder"):
        return None, NO_PEOPLE_ESTIMATE, ""
    if rest:
        notes.append(text)
    shares = tuple(0.0 if d in known else total * weights[d] for d in f.districts)
    return (shares, "; ".join(notes),
            "remainder" if known and kind == "remainder" else f"remainder+{kind}" if known else kind)


def _weights(f: Fact, targets: tuple[str, ...], how: str, land: Mapping[str, float],
             usable: dict[tuple, list[_Breakdown]], cache: dict) -> tuple[dict[str, float], str, str]:
    """Weights summing to 1 over `targets`, the text saying how, and its kind (KIND_TEXT)."""
    if not targets:
        return {}, "", "remainder"
    if how == "reports":
        b = _nearest(f, targets, usable, cache)
        if b is not None:
            known = [d for d in targets if d in b.values]
            unknown = [d for d in targets if d not in b.values]
            part_known = 1.0
            if unknown:
                area_all = _area(targets, land)
                part_known = (_area(known, land) / area_all) if area_all else len(known) / len(targets)
            reported = sum(b.values[d] for d in known)
            w = {d: part_known * b.values[d] / reported for d in known}
            if unknown:
                w.update({d: (1 - part_known) * x for d, x in _by_area(unknown, land).items()})
                text = (f"weighted by the reported per-district {b.label} for {len(known)} of its {len(targets)} "
                        "districts, by district area for the rest")
                return w, text, "reported+area"
            return w, f"weighted by the reported per-district {b.label}", "reported"
    if how in ("reports", "area") and _area(targets, land):
        return _by_area(targets, land), "weighted by district area", "area"
    why = "" if how == "equal" else " (district areas unknown)"
    return {d: 1 / len(targets) for d in targets}, f"split equally{why}", "equal"


def _nearest(f: Fact, targets: tuple[str, ...], usable: dict[tuple, list[_Breakdown]], cache: dict):
    """The breakdown naming most of `targets` (at least two, with a positive sum), then the closest in time."""
    key = (f.metric, f.group, targets)
    if key not in cache:
        best, n_best = [], 1
        tset = set(targets)
        for b in usable.get((f.metric, f.group), ()):
            common = tset.intersection(b.values)
            n = len(common)
            if n < n_best or sum(b.values[d] for d in common) <= 0:
                continue
            if n > n_best:
                best, n_best = [], n
            best.append(b)
        cache[key] = (best, [b.mid for b in best])     # sorted by time, as `usable` is
    cands, mids = cache[key]
    if not cands:
        return None
    iv = interval(f)
    if iv is None:
        return cands[-1]                               # undated: the latest breakdown
    mid = iv[0] + (iv[1] - iv[0]) / 2
    at = bisect_left(mids, mid)                        # the nearest is just before or at this place
    return min(cands[max(0, at - 1):at + 1], key=lambda b: (abs((b.mid - mid).days), b.mid, b.key[2:]))


def _area(codes, land: Mapping[str, float]) -> float:
    if not codes or any(land.get(d, 0) <= 0 for d in codes):
        return 0.0
    return float(sum(land[d] for d in codes))


def _by_area(codes, land: Mapping[str, float]) -> dict[str, float]:
    total = _area(codes, land)
    if not total:
        return {d: 1 / len(codes) for d in codes}
    return {d: land[d] / total for d in codes}


def basis_text(kinds: set[str], alone: bool) -> str:
    """What a district's estimate rests on: figures naming it alone (`alone`), and the kinds of the shares
    of figures naming it with others."""
    names = sorted({KIND_TEXT[k] for kind in kinds for k in kind.split("+")})
    shares = "shares by " + ", ".join(names) if names else ""
    if alone:
        return "figures naming it alone" + (f", plus {shares}" if shares else "")
    return shares


def counted_shares(metric: str, districts: tuple[str, ...], planned: tuple[float, ...],
                   minimums: dict[str, float]) -> tuple[tuple[float, ...], str]:
    """The shares of a figure naming several districts that the estimates count, and a note when they
    differ from the plan. `minimums`: per district, the figures naming it alone that this figure covers
    there (they are work inside it: that district's share is at least them); the rest of the plan's total
    is shared as planned. Whole numbers for counts, tenths for areas and lengths (largest remainders)."""
    step = step_of(metric)
    known = sum(minimums.values())
    if not known:
        return largest_remainders(planned, step), ""
    total = sum(planned)
    rest = total - known
    text = (f"at least the figures naming {', '.join(sorted(minimums))} alone inside it "
            f"({fmt_number(known)} of {fmt_number(total)})")
    if rest < 0:
        rest = 0.0
        text += "; they exceed it: nothing left to share"
    raw = [minimums.get(d, 0.0) + (rest * s / total if total > 0 else 0.0) for d, s in zip(districts, planned)]
    return largest_remainders(raw, step), text


def largest_remainders(values, step: float) -> tuple[float, ...]:
    """`values` rounded to multiples of `step` that add up to their own sum rounded to `step`: each gets its
    floor, and the units left go to the largest remainders (ties: the larger value, then the first)."""
    units = [v / step for v in values]
    floors = [math.floor(u + 1e-9) for u in units]
    left = int(math.floor(sum(units) + 0.5 + 1e-9)) - sum(floors)
    order = sorted(range(len(units)), key=lambda i: (-(units[i] - floors[i]), -units[i], i))
    for i in order[:max(left, 0)]:
        floors[i] += 1
    return tuple(round(n * step, 6) for n in floors)
