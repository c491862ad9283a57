"""Periods that nest or overlap, undated periods, totals and parts, and the time window (geo/README.md,
rules 4 to 6 and 8).

A year's report stands for the months and weeks in it: adding them would count the same work twice.
This is judged per district, not per list of districts: an annual report for 11 districts stands for the
weekly reports of 7 or 13 districts inside that year in every district both name, while a weekly figure
still counts in the districts the annual report does not name.

It is judged twice, once per kind of district value (aggregation.md §2: "in one column, or in the upper
bound"): the **named-alone** value (`<metric>`, the lower bound) among the facts that name one district
alone, and the **upper bound** (`<metric>_upper`, with `<metric>_shared` and the estimate) among all the
facts naming the district. So a month reported for Aghdam alone stays certain work in Aghdam's lower bound
while the annual report for Aghdam and ten other districts, which covers that month, stands for it in
Aghdam's upper bound. A fact is "not added" per district and value (`Fact.not_added` for the upper bound,
`Fact.not_alone` for the named-alone value), with how and because of which fact; it is set aside as a
whole only where it counts in no value of any of its districts. These functions never drop a fact.
"""
from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta
from sys import intern  # the same reason names the same kept fact for many others: one copy
from typing import Iterable

from minemap.extraction.record import PEOPLE_METRICS
from minemap.facts import ALONE, PART, UPPER, Fact, interval, parse_date

# An undated period figure may repeat dated work that ended at most this many days before its report.
UNDATED_REPEAT_DAYS = 31
NO_DISTRICT = ""          # the key of facts that name no district (they are judged among themselves)
VIEWS = (ALONE, UPPER)
VIEW_TEXT = {ALONE: "named alone", UPPER: "upper bound"}
UNDATED_ENDS = "undated; may repeat"                      # a dated period ended shortly before its report
UNDATED_INSIDE = "undated; its report inside the period of"  # a dated period runs over its report's date



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


def _not_add(fact: Fact, district: str, view: str, how: str, cover: Fact, pairs: dict) -> None:
    aside = fact.aside(view, create=True)
    # one (how, fact id) tuple per pair: a weekly fact is often not added in a dozen districts for one reason
    aside[district] = pairs.setdefault((how, cover.id), (how, cover.id))


def judge(facts: Iterable[Fact]) -> None:
    """Per district and per value (named alone, upper bound): undated figures that may repeat dated work,
    periods inside or overlapping a longer one, and (people) parts that a stated total stands for are not
    added there; then a fact that counts nowhere is set aside."""
    facts = list(facts)
    pairs: dict = {}
    for view in VIEWS:
        pool = [f for f in facts if summable(f) and (view == UPPER or len(f.districts) == 1)]
        _undated(pool, view, pairs)
        _overlaps(pool, view, pairs)
        _parts(pool, view, pairs)
    _settle(facts)


def _covering(metric: str, group: str | None) -> tuple[str | None, ...]:
    """The groups whose facts may stand for a fact of `group`: its own and, for a civilian or military
    part, the total (group null). A part never stands for a total, nor civilians for the military."""
    return (group, None) if group is not None and metric in PEOPLE_METRICS else (group,)


def _undated(pool: list[Fact], view: str, pairs: dict) -> None:
    """An undated period figure is not added in a district where it may repeat dated work: a dated figure
    of the same metric and group (or the total of a part) naming that district whose period runs over the
    undated figure's publication or ends within the 31 days before it, that is whose period meets
    [publication - 31 days, publication] (for a report without a date: any such dated figure). Elsewhere it
    is summed (the summary lists it as undated): an unrelated figure of another month is no reason to drop it."""
    members: dict[tuple, list[tuple[date, date, int, Fact]]] = {}
    for i, f in enumerate(pool):
        iv = interval(f)
        if iv is not None:
            for d in keys(f):
                members.setdefault((f.metric, f.group, d), []).append((iv[0], iv[1], i, f))
    # per series, sorted by start, the fact ending last among those starting at or before each one
    series: dict[tuple, tuple[list[date], list[tuple[date, int, Fact]]]] = {}
    for key, ms in members.items():
        ms.sort(key=lambda m: m[:3])
        latest, best = [], None
        for start, end, i, f in ms:
            if best is None or (end, -i) > (best[0], -best[1]):
                best = (end, i, f)
            latest.append(best)
        series[key] = ([m[0] for m in ms], latest)
    for f in pool:
        if interval(f) is not None:
            continue
        pubs = sorted(p for p in (parse_date(s.date) for s in f.sources) if p is not None)
        for d in keys(f):
            found = None                                   # (covers the publication, end, how, fact)
            for g in _covering(f.metric, f.group):
                hit = _repeats(series.get((f.metric, g, d)), pubs)
                if hit is not None and (found is None or hit[:2] > found[:2]):
                    # a stated total of people stands for an undated part it may hold (rule 6)
                    found = hit if g == f.group else (*hit[:2], PART, hit[3])
            if found is not None:
                _not_add(f, d, view, found[2], found[3], pairs)


def _repeats(found, pubs: list[date]):
    """(covers the publication, end, how, fact) of the dated period of a series that an undated figure
    published on `pubs` may repeat, or None."""
    if not found:
        return None
    starts, latest = found
    if not pubs:
        end, _, cover = latest[-1]
        return (False, end, UNDATED_ENDS, cover)
    at = bisect_right(starts, pubs[-1]) - 1                # the periods starting on or before publication
    if at < 0:
        return None
    end, _, cover = latest[at]
    if end >= pubs[-1]:
        return (True, end, UNDATED_INSIDE, cover)
    if end >= pubs[0] - timedelta(days=UNDATED_REPEAT_DAYS):
        return (False, end, UNDATED_ENDS, cover)
    return None


def _order(f: Fact, iv: tuple[date, date]) -> tuple:
    """Longest period first; same length: the fact naming fewer districts (a per-district figure is more
    precise than the total of a list), then the one more reports state."""
    return (-(iv[1] - iv[0]).days, len(f.districts), -len(f.sources), iv[0], -f.value, f.id)


def _overlaps(pool: list[Fact], view: str, pairs: dict) -> None:
    """In each district, for one metric and group, keep the longest periods and do not add the facts that
    fall inside or overlap a kept one, naming it."""
    members: dict[tuple, list[tuple[tuple, Fact, tuple[date, date]]]] = {}
    for f in pool:
        iv = interval(f)
        if iv is None:
            continue
        aside = f.aside(view)
        for d in keys(f):
            if d not in aside:
                members.setdefault((f.metric, f.group, d), []).append((_order(f, iv), f, iv))
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
                _not_add(f, district, view, how, k, pairs)
                continue
            at += 1
            starts.insert(at, s)
            kept.insert(at, (e, f))


def _parts(pool: list[Fact], view: str, pairs: dict) -> None:
    """People: a total (group null) that counts in a district stands there for the civilian and military
    parts whose period it covers (it overlaps them and is at least as long), whatever the districts of
    each; an undated total for the undated parts stated by the same report. A part is then counted in its
    per-group column only."""
    totals: dict[tuple, list[tuple[date, date, Fact]]] = {}
    undated: dict[tuple, list[Fact]] = {}     # (metric, district) -> the totals that count there
    for f in pool:
        if f.metric not in PEOPLE_METRICS or f.group is not None:
            continue
        iv, aside = interval(f), f.aside(view)
        for d in keys(f):
            if d in aside:
                continue
            if iv is None:
                undated.setdefault((f.metric, d), []).append(f)
            else:
                totals.setdefault((f.metric, d), []).append((iv[0], iv[1], f))
    if not totals and not undated:
        return
    starts: dict[tuple, list[date]] = {}
    for key, ts in totals.items():
        ts.sort(key=lambda t: t[:2])              # the kept totals of a district are disjoint
        starts[key] = [t[0] for t in ts]
    for f in pool:
        if f.metric not in PEOPLE_METRICS or f.group is None:
            continue
        iv, aside = interval(f), f.aside(view)
        for d in keys(f):
            if d in aside:
                continue
            cover = None
            if iv is None:
                docs = set(f.doc_ids)
                cover = next((t for t in undated.get((f.metric, d), ()) if docs.intersection(t.doc_ids)), None)
            else:
                ts = totals.get((f.metric, d), [])
                at = bisect_right(starts.get((f.metric, d), []), iv[1]) - 1
                length = iv[1] - iv[0]
                while at >= 0 and ts[at][1] >= iv[0]:
                    if ts[at][1] - ts[at][0] >= length:
                        cover = ts[at][2]
                        break
                    at -= 1
            if cover is not None:
                _not_add(f, d, view, PART, cover, pairs)


def counts(fact: Fact) -> bool:
    """Whether a fact counts in some value: the upper bound of a district (or, naming none, the run's
    summary), the named-alone value or a per-group column of the district it names alone, or as a part
    the per-group values of groups.csv (naming several districts) or of the summary (naming none)."""
    upper = fact.aside(UPPER)
    if any(k not in upper for k in keys(fact)):
        return True
    if len(fact.districts) == 1:
        alone = fact.aside(ALONE).get(fact.districts[0])
        return alone is None or (fact.group is not None and alone[0] == PART)
    return fact.group is not None and any(upper[k][0] == PART for k in keys(fact))


def _settle(facts: list[Fact]) -> None:
    """A fact that counts in no value of any of its districts is set aside as a whole, with the reason."""
    by_id = None
    for f in facts:
        if f.status == "summed" and (f.not_added or f.not_alone) and not counts(f):
            by_id = by_id or {g.id: g for g in facts}
            f.status = "set_aside"
            f.reason = not_added_text(f, by_id)


def why(how: str, cover: str, by_id: dict[str, Fact] | None = None) -> str:
    """`inside the period of F0002 (area_ha 12500, ...)`: how and because of which fact (its label when
    `by_id` has it, else its id)."""
    what = by_id[cover].label() if by_id and cover in by_id else cover
    if how == UNDATED_ENDS:
        return f"undated, and may repeat {what}, which ends within {UNDATED_REPEAT_DAYS} days before its publication"
    if how == UNDATED_INSIDE:
        return f"undated, and may repeat {what}, whose period covers its publication"
    return f"{how} {what}"


def _states(fact: Fact) -> list[tuple[str, str, tuple[str, str] | None]]:
    """(district, view, (how, cover) or None when added) for every value the fact belongs to."""
    views = VIEWS if len(fact.districts) == 1 else (UPPER,)
    return [(d, v, fact.aside(v).get(d)) for d in keys(fact) for v in views]


def placement(fact: Fact) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Where a fact is added and where not, for facts.csv and the summary: district codes, with
    " (named alone)" or " (upper bound)" when a fact naming one district counts in only one of them (or is
    not added in both for different reasons); the entries where it is not added come with how and the
    fact it is not added because of."""
    added: list[str] = []
    aside: list[tuple[str, str, str]] = []
    states = _states(fact)
    for d in dict.fromkeys(d for d, _, _ in states):
        here = [(v, st) for dd, v, st in states if dd == d]
        if all(st is None for _, st in here):
            added.append(d)
        elif len({st for _, st in here}) == 1:
            aside.append((d, *here[0][1]))
        else:
            for v, st in here:
                where = f"{d} ({VIEW_TEXT[v]})"
                if st is None:
                    added.append(where)
                else:
                    aside.append((where, *st))
    return [d for d in added if d], [a for a in aside if a[0]]


def not_added_text(fact: Fact, by_id: dict[str, Fact]) -> str:
    """Why a fact is not added where it is not: `inside the period of F0003 (...)`, with the districts
    (and for a fact naming one district, which of its values) when they differ in their reasons or the
    fact is added elsewhere."""
    states = _states(fact)
    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for d, v, st in sorted(states, key=lambda s: (s[0], VIEWS.index(s[1]))):
        if st is not None:
            groups.setdefault(st, []).append((d, v))
    if not groups:
        return ""
    everywhere = len(groups) == 1 and len(next(iter(groups.values()))) == len(states)
    alone = len(fact.districts) == 1
    parts = []
    for (how, cover), where in groups.items():
        text = why(how, cover, by_id)
        if everywhere:
            parts.append(text)
        elif alone:
            parts.append(f"{' and '.join(VIEW_TEXT[v] for _, v in where)}: {text}")
        else:
            parts.append(f"in {', '.join(d for d, _ in where)}: {text}")
    return intern("; ".join(parts))


VALUE_TEXT = {ALONE: "its named-alone value", UPPER: "its upper bound"}


def describe(fact: Fact, by_id: dict[str, Fact]) -> str:
    """The reason of a fact that counts somewhere (or names no district): where it counts, and where not and
    why: `attributed to AZ-AGM; added to its named-alone value; not to its upper bound: inside the period
    of F0002 (...)`."""
    if not fact.districts:
        aside = not_added_text(fact, by_id)
        base = fact.reason or "names no district: in the summary, not on the map"
        return f"{base}; {aside}" if aside else base
    if len(fact.districts) == 1:
        base = f"attributed to {fact.districts[0]}"
    else:
        base = f"shared by {len(fact.districts)} districts: whole value in {fact.metric}_shared of each"
    states = {st for _, _, st in _states(fact)}
    column = f"{fact.metric}_{fact.group}"
    if fact.group and states == {None}:
        return f"{base}; no total stated for its {fact.scope}: the part counts in {fact.metric}"
    aside = not_added_text(fact, by_id)
    if not aside:
        return base
    if fact.group and len(states) == 1 and next(iter(states))[0] == PART:
        # a part whose total stands for it everywhere: it fills the per-group values only
        return f"{aside}: counted in {column} only"
    part = (f"; counted in {column}" if fact.group and any(st and st[0] == PART for st in states) else "")
    if len(fact.districts) != 1:
        return f"{base}; not added {aside}{part}"
    if len(states) == 1:
        return f"{base}; not added: {aside}"
    (d,) = fact.districts
    pieces = []
    for view in VIEWS:
        st = fact.aside(view).get(d)
        pieces.append(f"added to {VALUE_TEXT[view]}" if st is None else
                      f"not to {VALUE_TEXT[view]}: {why(*st, by_id)}")
    return "; ".join([base, *pieces]) + part
