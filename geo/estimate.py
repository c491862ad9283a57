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

The shares of one figure sum back to its value (or to the remainder). Estimates are computed once per run;
time slices reuse them. `how="area"` and `how="equal"` skip the reported breakdowns; `how="none"` makes no
estimate columns.
"""
from __future__ import annotations

from bisect import bisect_left
from sys import intern
from typing import Iterable, Mapping

from minemap.facts import Fact, fmt_number, interval, period_text

HOW = ("reports", "area", "equal", "none")
# Names of the ways a share was weighted, as the districts table and the map show them.
KIND_TEXT = {"reported": "reported per-district figures", "area": "district area", "equal": "equal split",
             "remainder": "what a total leaves after per-district figures"}


class _Breakdown:
    """Per-district figures of one metric and group stated for one period (or one as-of date)."""

    __slots__ = ("values", "label", "mid", "key")

    def __init__(self, key: tuple, facts: list[Fact]) -> None:
        self.key = key
        self.values: dict[str, float] = {}
        for f in sorted(facts, key=lambda f: (-len(f.sources), -f.value, f.id)):
            self.values.setdefault(f.districts[0], f.value)
        start, end = key[3], key[4]
        iv = interval(facts[0])
        self.mid = iv[0] + (iv[1] - iv[0]) / 2 if iv else None
        self.label = (f"running totals as of {end}" if key[2] == "cumulative"
                      else f"figures for {period_text(start, end)}")


def plan_shares(facts: Iterable[Fact], how: str = "reports", land_ha: Mapping[str, float] | None = None) -> None:
    """Set `shares` and `basis` of every fact that names several districts (not of implausible ones)."""
    if how not in HOW:
        raise ValueError(f"apportion must be one of {HOW}, not {how!r}")
    if how == "none":
        return
    facts = list(facts)
    land = land_ha or {}
    breakdowns: dict[tuple, list[Fact]] = {}
    for f in facts:
        if len(f.districts) == 1 and f.status != "implausible" and f.dated:
            breakdowns.setdefault((f.metric, f.group, f.scope, f.period_start, f.period_end), []).append(f)
    by_key = {k: _Breakdown(k, fs) for k, fs in breakdowns.items()}
    # Only breakdowns of two districts or more can tell districts apart; events (one incident per
    # district) are no breakdown of work. Sorted by time for the nearest-in-time choice below.
    usable: dict[tuple, list[_Breakdown]] = {}
    for b in by_key.values():
        if len(b.values) >= 2 and b.key[2] != "event" and b.mid is not None:
            usable.setdefault(b.key[:2], []).append(b)
    for bs in usable.values():
        bs.sort(key=lambda b: (b.mid, b.key))
    best_cache: dict[tuple, list[_Breakdown]] = {}

    for f in facts:
        if len(f.districts) < 2 or f.status == "implausible":
            continue
        same = by_key.get((f.metric, f.group, f.scope, f.period_start, f.period_end)) if f.dated else None
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
        weights, text, kind = _weights(f, rest, how, land, usable, best_cache)
        if rest:
            notes.append(text)
        shares = tuple(0.0 if d in known else total * weights[d] for d in f.districts)
        f.shares = shares
        f.basis = intern("; ".join(notes))
        f.weights = intern("remainder" if known and not rest else f"remainder+{kind}" if known else kind)


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
    return min(cands[max(0, at - 1):at + 1], key=lambda b: (abs((b.mid - mid).days), b.mid, b.key))


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

