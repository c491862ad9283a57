"""Periods that nest or overlap, undated periods, and the time window (aggregation.md sections 2 and 5).

A year's report stands for the months and weeks in it: adding them would count the same work twice.
These functions only change `status` and `reason` of facts still marked "summed"; they never drop one.
"""
from __future__ import annotations

from datetime import date
from sys import intern  # the same reason names the same kept fact for many others: one copy
from typing import Iterable

from minemap.facts import Fact, parse_date


def interval(fact: Fact) -> tuple[date, date] | None:
    """The fact's period as dates; a half-open statement ("since April 2024" with no end) is a point."""
    start = parse_date(fact.period_start) or parse_date(fact.period_end)
    end = parse_date(fact.period_end) or parse_date(fact.period_start)
    if start is None or end is None:
        return None
    return (start, end) if start <= end else (end, start)


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


def _summable(fact: Fact) -> bool:
    return fact.status == "summed" and fact.scope in ("period", "event")


def set_aside_undated(facts: Iterable[Fact]) -> None:
    """Undated period figures are summed only where no dated figure of the same metric and districts exists."""
    facts = list(facts)
    dated: dict[tuple, Fact] = {}
    for f in facts:
        if _summable(f) and interval(f) is not None:
            dated.setdefault((f.metric, f.districts), f)
    for f in facts:
        if _summable(f) and interval(f) is None:
            other = dated.get((f.metric, f.districts))
            if other is not None:
                f.status = "set_aside"
                f.reason = intern(f"undated; dated figures of the same metric and districts exist, "
                                  f"e.g. {other.label()}")


def set_aside_nested(facts: Iterable[Fact]) -> None:
    """Within one metric, group and district list, keep the longest periods; set aside those inside or
    overlapping a kept one, naming it. Ties (same length) prefer the fact stated by more reports."""
    groups: dict[tuple, list[tuple[Fact, tuple[date, date]]]] = {}
    for f in facts:
        if not _summable(f):
            continue
        iv = interval(f)
        if iv is not None:
            groups.setdefault((f.metric, f.group, f.districts), []).append((f, iv))
    for members in groups.values():
        members.sort(key=lambda m: (-(m[1][1] - m[1][0]).days, -len(m[0].sources), m[1][0], -m[0].value, m[0].id))
        kept: list[tuple[Fact, tuple[date, date]]] = []
        for f, (s, e) in members:
            cover = next(((k, (ks, ke)) for k, (ks, ke) in kept if s <= ke and ks <= e), None)
            if cover is None:
                kept.append((f, (s, e)))
                continue
            k, (ks, ke) = cover
            if (s, e) == (ks, ke):
                how = "same period as"
            elif ks <= s and e <= ke:
                how = "inside the period of"
            else:
                how = "overlaps the period of"
            f.status = "set_aside"
            f.reason = intern(f"{how} {k.label()}")
