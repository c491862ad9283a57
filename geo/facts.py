"""One fact, many reports (geo/README.md, rule 1).

Outlets republish the same statement, sometimes with the dates dropped. Before anything is summed the
figure records are grouped into facts; a fact keeps every report that stated it, because the map's
tooltip and facts.csv must show all of them.
"""
from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from minemap.extraction.dates import parse_iso
from minemap.extraction.record import EARLIEST_DATE, LATEST_DATE

if TYPE_CHECKING:
    from minemap.corpus import Corpus
    from minemap.fact_table import FactTable

# Relative tolerance on values: reports round ("about 41,915" vs "41,900") within half a percent.
VALUE_TOLERANCE = 0.005
# An undated copy counts as the same fact when published at most this many days after the period end.
UNDATED_COPY_DAYS = 3
# The two district values a fact can count in (geo.periods): the upper bound and the named-alone value.
UPPER, ALONE = "upper", "alone"
PART = "part of the total"      # people: not added where a stated total stands for this part


def parse_date(text: str | None) -> date | None:
    """An ISO date inside the plausible range (extraction.record), else None.

    Placeholders such as 0001-01-01 or 9999-12-31 are treated as missing: calendar arithmetic on them
    overflows, and a time slider from year 1 to 9999 would have a hundred thousand frames."""
    d = parse_iso(text)
    if d is None or not EARLIEST_DATE <= d.isoformat() <= LATEST_DATE:
        return None
    return d


@dataclass(frozen=True, slots=True)
class Source:
    """One report that stated a fact, with what the map and facts.csv show about it."""
    doc_id: str
    source: str | None
    date: str | None
    title: str | None
    url: str | None
    evidence: str
    value: float
    qualifier: str
    period_start: str | None
    period_end: str | None


@dataclass(slots=True)
class Fact:
    """A figure as stated by one or more reports; status and reason are filled in by aggregate().

    A fact can count in some of its districts and not in others (geo/README.md, rule 4:
    counted once, per district): `not_added` maps each district whose upper bound it is not added to, and
    `not_alone` (a fact naming one district) the district whose named-alone value it is not added to, to
    how and because of which fact (geo.periods). `shares` (aligned with `districts`) is the share per
    district that geo.estimate planned for a fact naming several districts and `basis` says how; `counted`
    and `counted_basis` are the shares an estimate counts once the overlaps of a run (or time slice) are
    known (geo.aggregation)."""
    id: str
    metric: str
    group: str | None
    value: float
    qualifier: str
    scope: str
    period_start: str | None
    period_end: str | None
    districts: tuple[str, ...]
    sources: list[Source] = field(default_factory=list)
    status: str = "summed"
    reason: str = ""
    period_inferred: bool = False
    not_added: dict[str, tuple[str, str]] | None = None   # district ("" = none named) -> (how, fact id)
    not_alone: dict[str, tuple[str, str]] | None = None   # the same for the named-alone value
    shares: tuple[float, ...] | None = None
    basis: str = ""                                       # how the shares were made, in words
    weights: str = ""                                     # its kind: reported, area, equal, remainder, ...
    notes: tuple[str, ...] = ()                           # problems with the records' own data
    counted: tuple[float, ...] | None = None              # shares counted in the estimates (rounded)
    counted_basis: str = ""

    @property
    def dated(self) -> bool:
        return self.period_start is not None or self.period_end is not None

    @property
    def doc_ids(self) -> tuple[str, ...]:
        return tuple(sorted({s.doc_id for s in self.sources}))

    def aside(self, view: str = UPPER, create: bool = False) -> dict[str, tuple[str, str]]:
        """District -> (how, fact id) where this fact is not added to the `view` value (UPPER or ALONE)."""
        attr = "not_added" if view == UPPER else "not_alone"
        found = getattr(self, attr)
        if found is None:
            if not create:
                return {}
            found = {}
            setattr(self, attr, found)
        return found

    def added_in(self, view: str = UPPER) -> tuple[str, ...]:
        """The districts whose `view` value this fact is added to: the upper bound (UPPER: with
        <metric>_shared and the estimate) or the named-alone value (ALONE: only a fact naming one district)."""
        if view == ALONE and len(self.districts) != 1:
            return ()
        aside = self.aside(view)
        return tuple(d for d in self.districts if d not in aside) if aside else self.districts

    def parts_in(self, view: str = UPPER) -> tuple[str, ...]:
        """The districts where this fact counts in a per-group column: added, or a part of a total there."""
        if view == ALONE and len(self.districts) != 1:
            return ()
        aside = self.aside(view)
        return tuple(d for d in self.districts if d not in aside or aside[d][0] == PART)

    def label(self) -> str:
        """Short human description used in reasons: `F0003 (area_ha 67.4, 2022-01-17..2022-01-22)`."""
        what = self.metric + (f"/{self.group}" if self.group else "")
        return f"{self.id} ({what} {fmt_number(self.value)}, {period_text(self.period_start, self.period_end)})"

    def to_dict(self) -> dict:
        return {
            "id": self.id, "metric": self.metric, "group": self.group, "value": json_number(self.value),
            "qualifier": self.qualifier, "scope": self.scope,
            "period_start": self.period_start, "period_end": self.period_end,
            "period_inferred": self.period_inferred,
            "districts": list(self.districts), "status": self.status, "reason": self.reason,
            "not_added": {d: list(v) for d, v in sorted((self.not_added or {}).items())},
            "not_alone": {d: list(v) for d, v in sorted((self.not_alone or {}).items())},
            "sources": [
                {"doc_id": s.doc_id, "source": s.source, "date": s.date, "title": s.title, "url": s.url,
                 "evidence": s.evidence, "value": json_number(s.value), "qualifier": s.qualifier}
                for s in self.sources
            ],
        }


def fmt_number(v: float) -> str:
    v = round(float(v), 6)
    return str(int(v)) if v.is_integer() else repr(v)


def json_number(v: float | None):
    if v is None:
        return None
    v = round(float(v), 6)
    return int(v) if v.is_integer() and abs(v) < 2**53 else v


def period_text(start: str | None, end: str | None) -> str:
    if start is None and end is None:
        return "undated"
    if start == end:
        return str(start)
    return f"{start or '…'}..{end or '…'}"


def same_value(a: float, b: float) -> bool:
    return abs(a - b) <= VALUE_TOLERANCE * max(abs(a), abs(b))


def merge(corpus: "Corpus") -> "FactTable":
    """Group the figure records of `corpus` into facts, in id order. Deterministic: the result does not
    depend on the order the records came in.

    Dated records are grouped first (same metric, group, districts, scope, period; values within 0.5 %).
    A fact whose dates were inferred ("last week") then joins the stated fact of the same kind and value
    whose period it overlaps by at least half of the shorter of the two. Each undated record then joins the
    dated fact whose period ended closest before its publication (at most 3 days). Undated records left
    over join each other when published within 3 days of the first one: two "last week" reports a month
    apart are different weeks.

    The records are sorted once (by metric, group, scope, districts, period, value, publication date,
    document id, evidence offsets, qualifier), so records of one kind come together and only the facts
    of the kind at hand are held as Python objects while they are grouped.
    """

    from minemap.corpus import METRIC_RANK, QUALIFIER_RANK, SCOPE_RANK
    from minemap.fact_table import FactTable

    c = corpus.finish()
    n_rec = c.n_records
    kind = _kind(c.metric, c.group, c.dlist, c.scope)
    if n_rec:
        order = np.lexsort((QUALIFIER_RANK[c.qualifier], c.ev_end, c.ev_start, c.doc_rank[c.doc],
                            c.doc_date_rank[c.doc], c.value, c.inferred, c.end, c.start, c.dlists.rank[c.dlist],
                            SCOPE_RANK[c.scope], c.group, METRIC_RANK[c.metric]))
    else:
        order = np.zeros(0, dtype=np.int64)
    is_dated = ((c.start != 0) | (c.end != 0))[order]
    dated, undated = order[is_dated], order[~is_dated]
    del order, is_dated

    g = _Grouping(c)
    # dated records: same kind and period, values within the tolerance of the fact's first value
    same_key = np.zeros(len(dated), dtype=bool)
    if len(dated):
        same_key[1:] = ((kind[dated][1:] == kind[dated][:-1]) & (c.start[dated][1:] == c.start[dated][:-1])
                        & (c.end[dated][1:] == c.end[dated][:-1]))
    run: list[tuple[float, int]] = []              # (value, fact) of the facts of the current key
    for rs, vs, same in _chunks(dated, c.value[dated], same_key):
        assign = []
        for r, v, s in zip(rs, vs, same):
            if not s:
                run = []
            for fv, fi in run:
                if same_value(fv, v):
                    g.join(fi, r)
                    break
            else:
                fi = g.new(r, v)
                run.append((v, fi))
            assign.append(fi)
        g.rec_fact[rs] = assign
    del same_key, run

    alive = g.merge_inferred(kind)

    # Undated records. Candidates among the dated facts are found by (kind, last day of the period): an
    # undated record only ever joins a fact ending at most UNDATED_COPY_DAYS before its publication.
    first = np.asarray(g.first, dtype=np.int64)
    alive_np = np.asarray(alive, dtype=np.int64)
    pos = np.nonzero(np.isin(kind[first[alive_np]], np.unique(kind[undated])))[0] if len(alive_np) else alive_np
    cand = first[alive_np[pos]]                       # their records
    by_end = (kind[cand] << 20) | np.where(c.end[cand] != 0, c.end[cand], c.start[cand])
    sort = np.argsort(by_end, kind="stable")          # by (kind, end day), then by place in `alive`
    by_end, pos = by_end[sort], pos[sort]
    del first, alive_np, cand, sort
    pub_of = c.doc_day[c.doc[undated]]
    current, undated_facts = -1, {}                 # undated facts of the current kind, by publication day
    for rs, vs, ks, pubs, *spans in _chunks(undated, c.value[undated], kind[undated], pub_of,
                                            *_spans(by_end, kind[undated], pub_of)):
        assign = []
        for j, (r, v, k, pub) in enumerate(zip(rs, vs, ks, pubs)):
            if k != current:
                current, undated_facts = k, {}
            best = None                              # (gap, position, fact): closest, then first
            if pub:
                for gap in range(UNDATED_COPY_DAYS + 1):
                    for p in range(spans[2 * gap][j], spans[2 * gap + 1][j]):
                        at = int(pos[p])
                        fi = alive[at]
                        if same_value(g.value[fi], v) and (best is None or (gap, at) < best[:2]):
                            best = (gap, at, fi)
            if best is not None:
                g.join(best[2], r)
                assign.append(best[2])
                continue
            found = None                             # the first-created undated fact it can join
            for d in ([pub - gap for gap in range(UNDATED_COPY_DAYS + 1)] if pub else [None]):
                for created, fi in undated_facts.get(d, ()):
                    if same_value(g.value[fi], v) and (found is None or created < found[0]):
                        found = (created, fi)
                        break
            if found is not None:
                g.join(found[1], r)
                assign.append(found[1])
            else:
                fi = g.new(r, v)
                alive.append(fi)
                undated_facts.setdefault(pub or None, []).append((len(alive), fi))
                assign.append(fi)
        g.rec_fact[rs] = assign
    del pub_of, undated_facts, by_end, pos

    final = g.in_id_order(alive)
    return FactTable(c, *g.result(final))


def _kind(metric, group, dlist, scope):
    """One integer per (metric, group, district list, scope): the kind of a record or fact."""

    return ((dlist.astype(np.int64) * 16 + metric) * 4 + group) * 4 + scope


def _chunks(*arrays, size: int = 65536):
    """The arrays' values as Python lists, a slice at a time (a list of all of them would hold tens of
    MiB at 100,000 documents)."""
    n = len(arrays[0])
    for a in range(0, n, size):
        yield tuple(x[a:a + size].tolist() for x in arrays)


def _spans(by_end, kinds, pubs):
    """For each record, per gap of 0..3 days: where the facts of its kind ending `gap` days before its
    publication lie in `by_end` (start, stop)."""

    out = []
    for gap in range(UNDATED_COPY_DAYS + 1):
        key = (kinds << 20) | np.maximum(pubs - gap, 0)
        out += [np.searchsorted(by_end, key, "left"), np.searchsorted(by_end, key, "right")]
    return out


class _Grouping:
    """Facts while records are grouped: the record that created each (in creation order), its first
    value, whether its dates are inferred, and which fact each record joined."""

    def __init__(self, c) -> None:
        self.c = c
        self.first = array("i")
        self.value: list[float] = []
        self.inferred = array("b")
        self.notes: dict[int, tuple[str, ...]] = {}
        self.rec_fact = np.full(c.n_records, -1, dtype=np.int32)
        self.into: dict[int, int] = {}            # a fact with inferred dates -> the stated fact it joined
        self.inferred_rec = c.inferred

    def new(self, r: int, v: float) -> int:
        fi = len(self.first)
        self.first.append(r)
        self.value.append(v)
        self.inferred.append(bool(self.inferred_rec[r]))
        if r in self.c.notes:
            self.notes[fi] = self.c.notes[r]
        return fi

    def join(self, fi: int, r: int) -> None:
        if not self.inferred_rec[r]:
            self.inferred[fi] = 0            # one report states the dates: they are no longer inferred
        if r in self.c.notes:
            self.notes[fi] = tuple(dict.fromkeys(self.notes.get(fi, ()) + self.c.notes[r]))

    def merge_inferred(self, kind) -> list[int]:
        """A fact with inferred dates joins a stated fact of the same kind and value (within 0.5 %) whose
        period overlaps its own by at least half of the shorter period: the most overlap wins, then the
        first created. Returns the facts left, in creation order."""

        n = len(self.first)
        inferred = [i for i in range(n) if self.inferred[i]]
        if not inferred:
            return list(range(n))
        c = self.c
        first = np.asarray(self.first, dtype=np.int64)
        fkind = kind[first]
        lo, hi = _interval_days(c.start[first], c.end[first])
        values = np.asarray(self.value)
        stated_ids = np.nonzero((np.asarray(self.inferred) == 0) & np.isin(fkind, fkind[inferred]))[0]
        stated_ids = stated_ids[np.lexsort((stated_ids, values[stated_ids], fkind[stated_ids]))]
        stated: dict[int, tuple[list[float], list[int]]] = {}
        for i in stated_ids.tolist():
            vs, ids = stated.setdefault(int(fkind[i]), ([], []))
            vs.append(self.value[i])
            ids.append(i)
        for f in inferred:
            members = stated.get(int(fkind[f]))
            if not members:
                continue
            vs, ids = members
            fv = self.value[f]
            a, b = fv * (1 - VALUE_TOLERANCE), fv * (1 + VALUE_TOLERANCE)
            a, b = min(a, b), max(a, b)
            flo, fhi = int(lo[f]), int(hi[f])
            best: tuple[int, int] | None = None        # (-overlap days, order)
            for at in range(bisect_left(vs, a - 1e-9), bisect_right(vs, b + 1e-9)):
                other = ids[at]
                if not same_value(vs[at], fv):
                    continue
                olo, ohi = int(lo[other]), int(hi[other])
                overlap = min(fhi, ohi) - max(flo, olo) + 1
                shorter = min(fhi - flo, ohi - olo) + 1
                if overlap * 2 >= shorter and (best is None or (-overlap, other) < best):
                    best = (-overlap, other)
            if best is not None:
                self.into[f] = best[1]
                if f in self.notes:
                    self.notes[best[1]] = tuple(dict.fromkeys(self.notes.get(best[1], ()) + self.notes[f]))
        return [i for i in range(n) if i not in self.into]

    def in_id_order(self, alive: list[int]):
        """The facts (creation indices) in id order: by metric, group, scope, districts, period, value,
        then the first report's document id and sentence."""

        from minemap.corpus import METRIC_RANK, SCOPE_RANK

        c = self.c
        alive_np = np.asarray(alive, dtype=np.int64)
        r = np.asarray(self.first, dtype=np.int64)[alive_np]
        value = np.asarray(self.value)[alive_np]
        keys = (c.doc_rank[c.doc[r]], value, c.end[r], c.start[r], c.dlists.rank[c.dlist[r]], SCOPE_RANK[c.scope[r]],
                c.group[r], METRIC_RANK[c.metric[r]])
        perm = np.lexsort(keys) if len(r) else np.zeros(0, dtype=np.int64)
        # ties on all of these (never seen in practice) are ordered by the first report's sentence
        if len(perm) > 1:
            tie = np.ones(len(perm) - 1, dtype=bool)
            for k in keys:
                tie &= k[perm][1:] == k[perm][:-1]
            if tie.any():
                perm = perm.copy()
                at = 0
                while at < len(tie):
                    if not tie[at]:
                        at += 1
                        continue
                    stop = at
                    while stop < len(tie) and tie[stop]:
                        stop += 1
                    group = perm[at:stop + 1]
                    texts = c.store.records(r[group].tolist())
                    perm[at:stop + 1] = sorted(group.tolist(), key=lambda i: texts[int(r[i])][0])
                    at = stop + 1
        return alive_np[perm]

    def result(self, final):

        first = np.asarray(self.first, dtype=np.int64)
        final_of = np.full(len(first), -1, dtype=np.int64)
        final_of[final] = np.arange(len(final))
        for f, into in self.into.items():
            final_of[f] = final_of[into]
        rec_fact = final_of[self.rec_fact] if len(self.rec_fact) else self.rec_fact.astype(np.int64)
        notes = {int(final_of[k]): v for k, v in self.notes.items() if k not in self.into}
        inferred = np.asarray(self.inferred, dtype=bool)[final] if len(final) else np.zeros(0, bool)
        return first[final], inferred, rec_fact, notes


def _interval_days(start, end):

    s0 = np.where(start != 0, start, end)
    e0 = np.where(end != 0, end, start)
    return np.minimum(s0, e0), np.maximum(s0, e0)


def interval(f: Fact) -> tuple[date, date] | None:
    """The fact's period as dates; a half-open statement ("since April 2024" with no end) is a point."""
    start = parse_date(f.period_start) or parse_date(f.period_end)
    end = parse_date(f.period_end) or parse_date(f.period_start)
    if start is None or end is None:
        return None
    return (start, end) if start <= end else (end, start)
