"""Facts that cannot be true (geo/README.md, rule 2, with the thresholds).

A source's typo ("453,900 hectares" cleared in one week) or a misread clock time ("at around 1800") would
otherwise go straight onto the map. Such a fact is not summed: its status becomes "implausible" with a
reason that names the check and its threshold, and it stays in figures.jsonl and facts.csv so that an
analyst can correct it and render again (`minemap run --figures`).

The checks run once over the whole run, before any time window: a time slice judges a fact the same way
as the whole map does.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Mapping

import numpy as np

from minemap.extraction.record import METRICS, PEOPLE_METRICS, unit_of
from minemap.fact_table import PERIOD
from minemap.facts import Fact, fmt_number, parse_date

if TYPE_CHECKING:
    from minemap.fact_table import FactTable

# A period's daily rate is implausible when it is more than this many times the highest daily rate of any
# other period figure of its metric in the run ...
RATE_FACTOR = 10
# ... provided there are at least this many others to compare with.
RATE_MIN_OTHERS = 2
# Metrics whose period figures are rates of work (clearance); people and mapped mines are not.
RATE_METRICS = ("ap_mines", "at_mines", "mines", "uxo", "explosive_items", "area_ha", "roads_km")
# A count of people in one incident (or one day) of at least this many, written as a 24-hour clock time
# HHMM ("at around 1800", "0930 hours"; not "1,800"), is a time.
CLOCK_MIN = 100
# Upper limits whatever the context, per unit: more people than live in Azerbaijan, more items or road
# kilometres than any mine-action programme has ever reported by orders of magnitude. Hectares are
# checked against the land of the districts named (below), else against Azerbaijan's whole area.
MAX_VALUE = {"people": 10_000_000, "items": 1_000_000_000, "km": 1_000_000, "ha": 8_660_000}

STATUS = "implausible"


def check(table: "FactTable", land_ha: Mapping[str, float] | None = None) -> None:
    """Mark implausible facts (`table.implausible`: row -> reason naming the check and threshold).

    `land_ha`: district code -> land area in hectares (the boundary set); a fact naming a district
    without a known area is not checked against land."""
    land = land_ha or {}
    for i in _candidates(table, land):
        f = table.bare(i)
        reason = _limit(f) or _land(f, land) or _clock_time(f, table, i)
        if reason:
            table.implausible[i] = _text(reason)
    _rates(table)


def _candidates(table: "FactTable", land: Mapping[str, float]) -> list[int]:
    """The rows that one of the checks on a fact alone may find implausible (the others pass them all)."""
    metric, value = table.metric, table.value
    limit = np.array([MAX_VALUE[unit_of(m)] for m in METRICS], dtype=np.float64)[metric]
    found = np.abs(value) > limit
    if land:
        found |= (metric == METRICS.index("area_ha")) & (value > min(land.values()))
    people = np.isin(metric, [METRICS.index(m) for m in PEOPLE_METRICS])
    found |= people & (value >= CLOCK_MIN) & (value <= 2359) & (np.mod(value, 1) == 0)
    return np.nonzero(found)[0].tolist()


def _text(reason: str) -> str:
    return f"implausible: {reason}; not summed (correct it in figures.jsonl and run with --figures)"


def _limit(f: Fact) -> str | None:
    unit = unit_of(f.metric)
    limit = MAX_VALUE[unit]
    if abs(f.value) > limit:
        return f"value beyond the limit for {unit} ({fmt_number(f.value)} > {fmt_number(limit)})"
    return None


def _land(f: Fact, land_ha: Mapping[str, float]) -> str | None:
    if f.metric != "area_ha" or not land_ha:
        return None
    if f.districts:
        if any(d not in land_ha for d in f.districts):
            return None
        land = sum(land_ha[d] for d in f.districts)
        where = "the district named" if len(f.districts) == 1 else f"the {len(f.districts)} districts named"
    else:
        land = sum(land_ha.values())
        where = "all districts of the boundary set"
    if f.value > land:
        return (f"area larger than the land of {where} ({fmt_number(f.value)} ha > {fmt_number(round(land))} ha, "
                "threshold: 100 % of the land)")
    return None


def _clock_time(f: Fact, table: "FactTable", row: int) -> str | None:
    if f.metric not in PEOPLE_METRICS or not float(f.value).is_integer():
        return None
    days = _days(f)
    if not (f.scope == "event" or days == 1):
        return None
    v = int(f.value)
    if not (CLOCK_MIN <= v <= 2359 and v % 100 <= 59):
        return None
    texts = [s.evidence for s in table.sources([row])[row] if s.evidence]
    # the sentence writes the number as four digits (a leading zero, no thousands separator); records
    # without a sentence (a CSV of figures) are judged by the value alone: four digits
    token = re.compile(rf"(?<!\d)(?<!\d[.,]){v:04d}(?!\d|[.,]\d)")
    if any(token.search(t) for t in texts) if texts else v >= 1000:
        return (f"a count of {v} people in one incident written as the clock time {v // 100:02d}:{v % 100:02d} "
                f"(check: {CLOCK_MIN} or more people in one event, four digits HHMM with HH <= 23 and MM <= 59)")
    return None


def _days(f: Fact) -> int | None:
    """Length in days of a period stated with both ends, else None."""
    s, e = parse_date(f.period_start), parse_date(f.period_end)
    if s is None or e is None or e < s:
        return None
    return (e - s).days + 1


def _rates(table: "FactTable") -> None:
    """Per metric: while the highest daily rate is more than RATE_FACTOR times the next highest, the
    highest is implausible (so two typos in one run are both found when they differ enough)."""
    ok = np.ones(table.n, dtype=bool)
    if table.implausible:
        ok[list(table.implausible)] = False
    start, end, value = table.start, table.end, table.value
    ok &= (table.scope == PERIOD) & (value > 0) & (start != 0) & (end != 0) & (end >= start)
    for metric in RATE_METRICS:
        rows = np.nonzero(ok & (table.metric == METRICS.index(metric)))[0]
        if len(rows) <= RATE_MIN_OTHERS:
            continue
        days = (end[rows] - start[rows] + 1).astype(np.int64)
        rate = value[rows] / days
        order = np.lexsort((rows, -rate)).tolist()          # highest first; ties: the first fact
        at = 0
        while len(order) - at > RATE_MIN_OTHERS and float(rate[order[at]]) > RATE_FACTOR * float(rate[order[at + 1]]):
            k, nxt = order[at], order[at + 1]
            at += 1
            unit = unit_of(metric)
            table.implausible[int(rows[k])] = _text(
                f"{fmt_number(round(float(rate[k]), 1))} {unit} a day over {int(days[k])} days, more than "
                f"{RATE_FACTOR} times the highest daily rate of any other {metric} period figure in the run "
                f"({fmt_number(round(float(rate[nxt]), 1))} {unit} a day, {table.fact_id(rows[nxt])})")
