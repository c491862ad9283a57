"""Periods that nest or overlap, undated periods, and the time window (geo/README.md, rules 4, 5, 8).

A year's report stands for the months and weeks in it: adding them would count the same work twice.
This is judged per district, not per list of districts: an annual report for 11 districts stands for the
weekly reports of 7 or 13 districts inside that year in every district both name, while a weekly figure
still counts in the districts the annual report does not name. A fact is therefore "not added" district by
district (`Fact.not_added`); it is set aside as a whole only where it is added in none of its districts.
These functions never drop a fact.
"""
from __future__ import annotations

from bisect import bisect_right, insort
from datetime import date, timedelta
from sys import intern  # the same reason names the same kept fact for many others: one copy
from typing import Iterable

from minemap.facts import Fact, interval, parse_date

# An undated period figure may repeat dated work that ended at most this many days before its report.
UNDATED_REPEAT_DAYS = 31
NO_DISTRICT = ""          # the key of facts that name no district (they are judged among themselves)

def in_window(fact: Fact, date_from: date | None, date_to: date | None) -> bool:
    """A fact counts when its period lies inside the window; undated facts only when there is no window.

    A running total's period runs from the war to its as-of date, so for it only the as-of date must lie
    inside: "the latest running total within the window".
    """
    if date_from is None and date_to is None:
        return True
    if fact.scope == "cumulative":
        asof = parse_date(fact.period_end)
        if asof is None:
            return False
        return (date_from is None or asof >= date_from) and (date_to is None or asof <= date_to)
    iv = interval(fact)
    if iv is None:
        return False
    start, end = iv
    return (date_from is None or start >= date_from) and (date_to is None or end <= date_to)


def summable(fact: Fact) -> bool:
    return fact.status == "summed" and fact.scope in ("period", "event")


def keys(fact: Fact) -> tuple[str, ...]:
    """The districts a fact is judged in (NO_DISTRICT for a fact that names none)."""
    return fact.districts or (NO_DISTRICT,)


def _not_add(fact: Fact, district: str, how: str, cover: Fact, pairs: dict) -> None:
    if fact.not_added is None:
        fact.not_added = {}
    # one (how, fact id) tuple per pair: a weekly fact is often not added in a dozen districts for one reason
    fact.not_added[district] = pairs.setdefault((how, cover.id), (how, cover.id))


def set_aside_undated(facts: Iterable[Fact]) -> None:
    """An undated period figure is not added in a district where it may repeat dated work: a dated figure
    of the same metric and group naming that district whose period ends within the 31 days before the
    undated figure's publication (for a report without a date: any such dated figure). Elsewhere it is
    summed (the summary lists it as undated): an unrelated figure of another month is no reason to drop it."""
    facts = list(facts)
    pairs: dict = {}
    ends: dict[tuple, list[tuple[date, int, Fact]]] = {}
    for i, f in enumerate(facts):
        iv = interval(f) if summable(f) else None
        if iv is not None:
            for d in keys(f):
                insort(ends.setdefault((f.metric, f.group, d), []), (iv[1], i, f))
    for f in facts:
        if not summable(f) or interval(f) is not None:
            continue
        pubs = sorted(p for p in (parse_date(s.date) for s in f.sources) if p is not None)
        for d in keys(f):
            series = ends.get((f.metric, f.group, d))
            if not series:
                continue
            if not pubs:
                cover = series[-1][2]
            else:
                at = bisect_right(series, (pubs[-1], len(facts), None)) - 1   # last end on or before publication
                if at < 0 or series[at][0] < pubs[0] - timedelta(days=UNDATED_REPEAT_DAYS):
                    continue
                cover = series[at][2]
            _not_add(f, d, "undated; may repeat", cover, pairs)
    _settle(facts)


def set_aside_overlaps(facts: Iterable[Fact]) -> None:
    """In each district, for one metric and group, keep the longest periods and do not add the facts that
    fall inside or overlap a kept one, naming it. Same length: the fact naming fewer districts first (a
    per-district figure is more precise than the total of a list), then the one more reports state."""
    facts = list(facts)
    pairs: dict = {}
    members: dict[tuple, list[tuple[tuple, Fact, tuple[date, date]]]] = {}
    for f in facts:
        iv = interval(f) if summable(f) else None
        if iv is None:
            continue
        order = (-(iv[1] - iv[0]).days, len(f.districts), -len(f.sources), iv[0], -f.value, f.id)
        for d in keys(f):
            if not (f.not_added and d in f.not_added):
                members.setdefault((f.metric, f.group, d), []).append((order, f, iv))
    for (_, _, district), ms in members.items():
        ms.sort(key=lambda m: m[0])
        starts: list[date] = []                    # kept periods are disjoint: sorted by start = by end
        kept: list[tuple[date, Fact]] = []         # (end, fact), aligned with starts
        for _, f, (s, e) in ms:
            at = bisect_right(starts, e) - 1       # the kept period starting last on or before e
            if at >= 0 and kept[at][0] >= s:
                k = kept[at][1]
                ks, ke = starts[at], kept[at][0]
                how = ("same period as" if (s, e) == (ks, ke) else
                       "inside the period of" if ks <= s and e <= ke else "overlaps the period of")
                _not_add(f, district, how, k, pairs)
                continue
            at += 1
            starts.insert(at, s)
            kept.insert(at, (e, f))
    _settle(facts)


def _settle(facts: list[Fact]) -> None:
    """A fact added in none of its districts is set aside as a whole, with the reason."""
    by_id = None
    for f in facts:
        if f.status == "summed" and f.not_added and all(d in f.not_added for d in keys(f)):
            by_id = by_id or {g.id: g for g in facts}
            f.status = "set_aside"
            f.reason = not_added_text(f, by_id)


def not_added_text(fact: Fact, by_id: dict[str, Fact]) -> str:
    """Why a fact is not added where it is not: `inside the period of F0003 (...)`, with the districts
    when they differ in their reasons or the fact is added elsewhere."""
    groups: dict[tuple[str, str], list[str]] = {}
    for d, (how, cover) in sorted((fact.not_added or {}).items()):
        groups.setdefault((how, cover), []).append(d)
    everywhere = len(groups) == 1 and len(next(iter(groups.values()))) == len(keys(fact))
    parts = []
    for (how, cover), ds in groups.items():
        what = by_id[cover].label() if cover in by_id else cover
        if how == "undated; may repeat":
            text = (f"undated, and may repeat {what}, which ends within {UNDATED_REPEAT_DAYS} days before "
                    "its publication")
        else:
            text = f"{how} {what}"
        parts.append(text if everywhere else f"in {', '.join(ds)}: {text}")
    return intern("; ".join(parts))
