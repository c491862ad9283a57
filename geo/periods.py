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
from datetime import date
from typing import TYPE_CHECKING, Callable

import numpy as np

from minemap.extraction.lang import phrase
from minemap.extraction.record import METRICS, PEOPLE_METRICS
from minemap.fact_table import CUMULATIVE
from minemap.facts import ALONE, PART, UPPER, Fact, interval, parse_date

if TYPE_CHECKING:
    from minemap.fact_table import FactTable
    from minemap.judgement import Judgement

# An undated period figure may repeat dated work that ended at most this many days before its report.
UNDATED_REPEAT_DAYS = 31
NO_DISTRICT = ""          # the key of facts that name no district (they are judged among themselves)
VIEWS = (ALONE, UPPER)
VIEW_TEXT = {ALONE: "named alone", UPPER: "upper bound"}
UNDATED_ENDS = "undated; may repeat"                      # a dated period ended shortly before its report
UNDATED_INSIDE = "undated; its report inside the period of"  # a dated period runs over its report's date
# People: an undated count inside a larger one of the same people stated in the same sentence ("four
# servicemen, including an officer, were wounded")
INCLUDED = "included in"
_PART_OF_COUNT = phrase("people", "part_of_count")
# How a fact is not added somewhere, as codes in a judgement (0: it is added)
HOWS = ("", "same period as", "inside the period of", "overlaps the period of", PART, UNDATED_ENDS, UNDATED_INSIDE,
        INCLUDED)
HOW_CODE = {h: i for i, h in enumerate(HOWS)}
PEOPLE_CODES = {METRICS.index(m) for m in PEOPLE_METRICS}
# The statuses of a fact (geo.aggregation.STATUSES), as codes in a judgement
STATUSES = ("summed", "unplaced", "snapshot", "superseded", "set_aside", "implausible", "excluded")
SUMMED, UNPLACED, SNAPSHOT, SUPERSEDED, SET_ASIDE, IMPLAUSIBLE, EXCLUDED = range(len(STATUSES))


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


def keys(fact: Fact) -> tuple[str, ...]:
    """The districts a fact is judged in (NO_DISTRICT for a fact that names none)."""
    return fact.districts or (NO_DISTRICT,)


def window_mask(table: "FactTable", rows: np.ndarray, date_from: date | None, date_to: date | None) -> np.ndarray:
    """`in_window` for the facts `rows` of a table at once."""
    if date_from is None and date_to is None:
        return np.ones(len(rows), dtype=bool)
    lo_day = date_from.toordinal() if date_from else 0
    hi_day = date_to.toordinal() if date_to else 1 << 30
    lo, hi = table.intervals(rows)
    asof = table.end[rows]
    cumulative = table.scope[rows] == CUMULATIVE
    dated = np.where(cumulative, asof != 0, lo != 0)
    first = np.where(cumulative, asof, lo)
    last = np.where(cumulative, asof, hi)
    return dated & (first >= lo_day) & (last <= hi_day)


def judge(j: "Judgement") -> None:
    """Per district and per value (named alone, upper bound): undated figures that may repeat dated work,
    periods inside or overlapping a longer one, and (people) parts that a stated total stands for are not
    added there; then a fact that counts nowhere is set aside.

    Each of these is decided among the facts of one metric naming one district, so the facts are taken
    a metric and a district at a time: only those are held as Python values while they are judged."""
    t = j.table
    rows = j.rows()
    metric = t.metric[rows]
    pool = (j.status == SUMMED) & (t.scope[rows] != CUMULATIVE)
    for m in np.unique(metric[pool]).tolist():
        for district in j.by_district(np.nonzero(pool & (metric == m))[0]):
            _District(j, m, *district).judge()
    _settle(j)


def _covering(metric: int, group: int) -> tuple[int, ...]:
    """The groups whose facts may stand for a fact of `group` (codes; 0 = no group): its own and, for a
    civilian or military part, the total. A part never stands for a total, nor civilians for the military."""
    return (group, 0) if group and metric in PEOPLE_CODES else (group,)


class _District:
    """The facts of one metric naming one district (or, district -1, naming none) in a judgement, as
    Python lists: `js` their rows in the judgement (in id order), `ps` their pair there."""

    def __init__(self, j: "Judgement", metric: int, district: int, js: np.ndarray, ps: np.ndarray) -> None:
        t = j.table
        g = j.rows_of(js)
        self.j, self.metric = j, metric
        self.js, self.ps = js.tolist(), ps.tolist()
        self.ids = g.tolist()
        self.group = t.group[g].tolist()
        lo, hi = t.intervals(g)
        self.lo, self.hi = lo.tolist(), hi.tolist()
        self.nd = t.ndist[g].tolist()
        self.nsrc = (t.rec_ptr[g + 1] - t.rec_ptr[g]).tolist()
        self.value = t.value[g].tolist()
        self._docs: dict[int, set[int]] = {}
        self._sentences: dict[int, set[tuple[int, int, int]]] = {}

    def judge(self) -> None:
        everyone = list(range(len(self.js)))
        for view in VIEWS:
            pool = everyone if view == UPPER else [k for k in everyone if self.nd[k] == 1]
            if pool:
                self._undated(pool, view)
                self._overlaps(pool, view)
                if self.metric in PEOPLE_CODES:
                    self._parts(pool, view)

    def _aside(self, k: int, view: str) -> bool:
        return self.j.how(view, self.js[k], self.ps[k]) != 0

    def _not_add(self, k: int, view: str, how: str, cover: int) -> None:
        self.j.not_add(view, self.js[k], self.ps[k], how, cover)

    def docs(self, k: int) -> set[int]:
        if k not in self._docs:
            self._docs[k] = self.j.table.docs(self.ids[k])
        return self._docs[k]

    def sentences(self, k: int) -> set[tuple[int, int, int]]:
        if k not in self._sentences:
            self._sentences[k] = self.j.table.sentences(self.ids[k])
        return self._sentences[k]

    def _undated(self, pool: list[int], view: str) -> None:
        """An undated period figure is not added where it may repeat dated work: a dated figure of the same
        metric and group (or the total of a part) naming the district whose period runs over the undated
        figure's publication or ends within the 31 days before it, that is whose period meets
        [publication - 31 days, publication] (for a report without a date: any such dated figure). Elsewhere
        it is summed (the summary lists it as undated): an unrelated figure of another month is no reason
        to drop it."""
        undated = [k for k in pool if not self.lo[k]]
        if not undated:
            return
        members: dict[int, list[tuple[int, int, int]]] = {}
        for k in pool:
            if self.lo[k]:
                members.setdefault(self.group[k], []).append((self.lo[k], self.hi[k], self.ids[k]))
        # per group, sorted by start, the fact ending last among those starting at or before each one
        series: dict[int, tuple[list[int], list[tuple[int, int]]]] = {}
        for group, ms in members.items():
            ms.sort()
            latest, best = [], None
            for _, end, i in ms:
                if best is None or (end, -i) > (best[0], -best[1]):
                    best = (end, i)
                latest.append(best)
            series[group] = ([m[0] for m in ms], latest)
        t = self.j.table
        for k in undated:
            days = t.corpus.doc_day[t.rec_doc[t.records(self.ids[k])]]
            days = days[days != 0]
            pubs = (int(days.min()), int(days.max())) if len(days) else None
            found = None                                   # (covers the publication, end, how, fact)
            for group in _covering(self.metric, self.group[k]):
                hit = _repeats(series.get(group), pubs)
                if hit is not None and (found is None or hit[:2] > found[:2]):
                    # a stated total of people stands for an undated part it may hold (rule 6)
                    found = hit if group == self.group[k] else (*hit[:2], PART, hit[3])
            if found is not None:
                self._not_add(k, view, found[2], found[3])

    def _overlaps(self, pool: list[int], view: str) -> None:
        """Keep the longest periods and do not add the facts that fall inside or overlap a kept one, naming it."""
        members: dict[int, list[int]] = {}
        for k in pool:
            if self.lo[k] and not self._aside(k, view):
                members.setdefault(self.group[k], []).append(k)
        for ms in members.values():
            ms.sort(key=self._order)
            starts: list[int] = []                 # kept periods are disjoint: sorted by start = by end
            kept: list[tuple[int, int]] = []       # (end, fact), aligned with starts
            for k in ms:
                s, e = self.lo[k], self.hi[k]
                at = bisect_right(starts, e) - 1   # the kept period starting last on or before e
                if at >= 0 and kept[at][0] >= s:
                    ks, ke = starts[at], kept[at][0]
                    how = ("same period as" if (s, e) == (ks, ke) else
                           "inside the period of" if ks <= s and e <= ke else "overlaps the period of")
                    self._not_add(k, view, how, kept[at][1])
                    continue
                at += 1
                starts.insert(at, s)
                kept.insert(at, (e, self.ids[k]))

    def _order(self, k: int) -> tuple:
        """Longest period first; same length: the fact naming fewer districts (a per-district figure is more
        precise than the total of a list), then the one more reports state."""
        return (-(self.hi[k] - self.lo[k]), self.nd[k], -self.nsrc[k], self.lo[k], -self.value[k], self.ids[k])

    def _included(self, pool: list[int], view: str) -> None:
        """People: undated counts of the same group stated in one sentence are one count and the parts it
        includes ("four servicemen, including an officer, were wounded": 4 and 1); the largest stands for the
        others, which are added nowhere, not even to the per-group columns. Dated, they would share a period
        and _overlaps keeps one; undated, nothing else joins them. Items are left alone: a list of the same
        kind of items in one sentence adds up ("123 shells, 3 bomblets")."""
        by_sentence: dict[tuple, list[int]] = {}
        for k in pool:
            if self.group[k] and not self.lo[k] and not self._aside(k, view):
                for sentence in self.sentences(k):
                    by_sentence.setdefault((self.group[k], sentence), []).append(k)
        for (_, sentence), ks in by_sentence.items():
            if len(ks) < 2 or not self._states_a_part(ks[0], sentence):
                continue
            top = max(ks, key=lambda k: (self.value[k], -k))
            for k in ks:
                if self.value[k] < self.value[top] and not self._aside(k, view):
                    self._not_add(k, view, INCLUDED, self.ids[top])

    def _states_a_part(self, k: int, sentence: tuple[int, int, int]) -> bool:
        """Whether the sentence says that one count includes another ("including", "of whom", "one of
        them": extraction's language data); else its counts are different people ("two journalists and a
        local official")."""
        t = self.j.table
        recs = [r for r in t.records(self.ids[k]).tolist()
                if (int(t.rec_doc[r]), int(t.corpus.ev_start[r]), int(t.corpus.ev_end[r])) == sentence]
        text = t.corpus.store.records(recs[:1]).get(recs[0], ("",))[0] if recs else ""
        return bool(_PART_OF_COUNT.search(text))

    def _parts(self, pool: list[int], view: str) -> None:
        """People: a total (no group) that counts in the district stands there for the civilian and military
        parts whose period it covers (it overlaps them and is at least as long), whatever the districts of
        each; an undated total for the undated parts stated by the same report. A part is then counted in
        its per-group column only."""
        self._included(pool, view)
        totals: list[tuple[int, int, int]] = []    # (start, end, fact) of the dated totals that count here
        undated: list[int] = []                    # the undated ones
        for k in pool:
            if self.group[k] or self._aside(k, view):
                continue
            if self.lo[k]:
                totals.append((self.lo[k], self.hi[k], k))
            else:
                undated.append(k)
        if not totals and not undated:
            return
        totals.sort(key=lambda x: x[:2])           # the kept totals of a district are disjoint
        starts = [x[0] for x in totals]
        for k in pool:
            if not self.group[k] or self._aside(k, view):
                continue
            cover = None
            if not self.lo[k]:
                docs = self.docs(k)
                cover = next((x for x in undated if not docs.isdisjoint(self.docs(x))), None)
            else:
                at = bisect_right(starts, self.hi[k]) - 1
                length = self.hi[k] - self.lo[k]
                while at >= 0 and totals[at][1] >= self.lo[k]:
                    if totals[at][1] - totals[at][0] >= length:
                        cover = totals[at][2]
                        break
                    at -= 1
            if cover is not None:
                self._not_add(k, view, PART, self.ids[cover])


def _repeats(found, pubs: tuple[int, int] | None):
    """(covers the publication, end, how, fact) of the dated period of a series that an undated figure
    published on the days `pubs` (first, last) may repeat, or None."""
    if not found:
        return None
    starts, latest = found
    if not pubs:
        end, cover = latest[-1]
        return (False, end, UNDATED_ENDS, cover)
    at = bisect_right(starts, pubs[1]) - 1                 # the periods starting on or before publication
    if at < 0:
        return None
    end, cover = latest[at]
    if end >= pubs[1]:
        return (True, end, UNDATED_INSIDE, cover)
    if end >= pubs[0] - UNDATED_REPEAT_DAYS:
        return (False, end, UNDATED_ENDS, cover)
    return None


def _settle(j: "Judgement") -> None:
    """A fact that counts in no value of any of its districts is set aside as a whole (its reason says
    why: Judgement.reason). A fact counts when it is added to the upper bound of one of its districts (or,
    naming none, to the run's summary), to the named-alone value or a per-group column of the district it
    names alone, or as a part to the per-group values of groups.csv (naming several districts) or of the
    summary (naming none)."""
    if not j.n:
        return
    t = j.table
    rows = j.rows()
    starts = j.pair_ptr[:-1]
    up_added = np.minimum.reduceat(j.up_how, starts) == 0
    up_aside = np.maximum.reduceat(j.up_how, starts) != 0
    up_part = np.logical_or.reduceat(j.up_how == HOW_CODE[PART], starts)
    nd, grouped = t.ndist[rows], t.group[rows] != 0
    counts = up_added | np.where(nd == 1, (j.al_how == 0) | (grouped & (j.al_how == HOW_CODE[PART])),
                                 grouped & up_part)
    j.status[(j.status == SUMMED) & (up_aside | (j.al_how != 0)) & ~counts] = SET_ASIDE


def why(how: str, cover: str, label: Callable[[str], str] | None = None) -> str:
    """`inside the period of F0002 (area_ha 12500, ...)`: how and because of which fact (its label when
    `label` (fact id -> label) is given, else its id)."""
    what = label(cover) if label else cover
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


def not_added_text(fact: Fact, label: Callable[[str], str]) -> str:
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
        text = why(how, cover, label)
        if everywhere:
            parts.append(text)
        elif alone:
            parts.append(f"{' and '.join(VIEW_TEXT[v] for _, v in where)}: {text}")
        else:
            parts.append(f"in {', '.join(d for d, _ in where)}: {text}")
    return "; ".join(parts)


VALUE_TEXT = {ALONE: "its named-alone value", UPPER: "its upper bound"}


def describe(fact: Fact, label: Callable[[str], str]) -> str:
    """The reason of a fact that counts somewhere (or names no district): where it counts, and where not and
    why: `attributed to AZ-AGM; added to its named-alone value; not to its upper bound: inside the period
    of F0002 (...)`."""
    if not fact.districts:
        aside = not_added_text(fact, label)
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
    aside = not_added_text(fact, label)
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
                      f"not to {VALUE_TEXT[view]}: {why(*st, label)}")
    return "; ".join([base, *pieces]) + part
