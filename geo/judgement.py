"""What a run, or a time slice of it, decides about its facts (rules 3 to 7 of geo/README.md), as arrays.

The facts themselves (geo.fact_table) are the same in every time slice; what changes with the window is
each fact's status, where it is not added (per district and value: the upper bound of each district it
names, and the named-alone value of a fact naming one district) and because of which fact, and the
shares an estimate counts. A Judgement holds those for some rows of the table: every row for the run,
the rows inside the window for a slice. Reasons are not held in memory: `reason()` writes them from this
state when a fact is first shown, with the same words as when they were made during the judgement; the
run's are then kept in its store on disk, since facts.csv, summary.json and summary.md each list them.
"""
from __future__ import annotations

from datetime import date

import numpy as np

from minemap.fact_table import FactTable
from minemap.facts import ALONE, UPPER, Fact, period_text
from minemap.periods import (EXCLUDED, HOW_CODE, HOWS, IMPLAUSIBLE, NO_DISTRICT, SET_ASIDE, SNAPSHOT, STATUSES,
                             SUMMED, SUPERSEDED, UNPLACED, describe, not_added_text)

NO_PLACE = "names no district: in the summary, not on the map"


class Judgement:
    """Statuses and placements of `members` (rows of `table`, ascending; None: every row)."""

    def __init__(self, table: FactTable, members: np.ndarray | None = None, *, date_from: date | None = None,
                 date_to: date | None = None, run: bool = True) -> None:
        self.table = table
        self.members = None if members is None else np.asarray(members, dtype=np.int64)
        self.n = table.n if members is None else len(self.members)
        self.date_from, self.date_to = date_from, date_to
        # the run's judgement adds the notes on each fact's own records to its reason; a slice copies
        # the run's reasons of implausible facts only, as Aggregation.window always did
        self.run = run
        if self.members is None:
            self.pair_ptr = table.pair_ptr
        else:
            self.pair_ptr = np.zeros(self.n + 1, dtype=np.int32)
            np.cumsum(np.maximum(table.ndist[self.members], 1), out=self.pair_ptr[1:])
        pairs = int(self.pair_ptr[-1])
        self.status = np.full(self.n, SUMMED, dtype=np.int8)
        # where a fact is not added: per pair (upper bound), per fact (named-alone value); how (HOWS, 0:
        # added) and because of which fact (a row of the table)
        self.up_how = np.zeros(pairs, dtype=np.int8)
        self.up_cover = np.zeros(pairs, dtype=np.int32)
        self.al_how = np.zeros(self.n, dtype=np.int8)
        self.al_cover = np.zeros(self.n, dtype=np.int32)
        # the shares the estimates count (geo.estimate.counted_shares), per pair
        self.counted = np.zeros(pairs, dtype=np.float64)
        self.has_counted = np.zeros(self.n, dtype=bool)
        self.counted_basis: dict[int, str] = {}            # member -> note
        self.latest: dict[tuple[int, int, int], int] = {}  # (metric, group, district list) -> its snapshot

    # ------------------------------------------------------------------------------------ addressing

    def rows(self) -> np.ndarray:
        """The table rows of the members."""
        return np.arange(self.n, dtype=np.int64) if self.members is None else self.members

    def rows_of(self, members: np.ndarray) -> np.ndarray:
        """The table rows of some members (an index array or a mask)."""
        if self.members is None:
            return np.nonzero(members)[0] if members.dtype == bool else members
        return self.members[members]

    def row(self, member: int) -> int:
        """The table row of a member."""
        return int(member) if self.members is None else int(self.members[member])

    def member(self, row: int) -> int:
        """The member index of a table row (which must be a member)."""
        if self.members is None:
            return int(row)
        at = int(np.searchsorted(self.members, row))
        if at >= self.n or self.members[at] != row:
            raise KeyError(row)
        return at

    def by_district(self, sel: np.ndarray):
        """(district code or -1 for none, members, pairs) of the members `sel` (ascending), grouped by the
        districts they name, each group in id order."""
        t = self.table
        rows = self.rows_of(sel)
        nd = t.ndist[rows].astype(np.int64)
        n = np.maximum(nd, 1)
        fact = np.repeat(np.arange(len(sel)), n)
        k = np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)
        js = sel[fact]
        ps = self.pair_ptr[js] + k
        district = np.full(len(fact), -1, dtype=np.int64)
        named = nd[fact] > 0
        district[named] = t.dlists.flat[t.dlists.start[t.dlist[rows[fact[named]]]] + k[named]]
        order = np.argsort(district, kind="stable")
        district, js, ps = district[order], js[order], ps[order]
        cuts = np.flatnonzero(np.diff(district)) + 1
        for a, b in zip(np.r_[0, cuts], np.r_[cuts, len(district)]):
            if b > a:
                yield int(district[a]), js[a:b], ps[a:b]

    # ------------------------------------------------------------------------------- not added where

    def how(self, view: str, member: int, pair: int) -> int:
        return int(self.up_how[pair] if view == UPPER else self.al_how[member])

    def not_add(self, view: str, member: int, pair: int, how: str, cover: int) -> None:
        if view == UPPER:
            self.up_how[pair], self.up_cover[pair] = HOW_CODE[how], cover
        else:
            self.al_how[member], self.al_cover[member] = HOW_CODE[how], cover

    def aside(self, member: int, view: str) -> dict[str, tuple[str, str]]:
        """District -> (how, fact id) where the member is not added to the `view` value (Fact.aside)."""
        t = self.table
        row = self.row(member)
        if view == ALONE:
            how = int(self.al_how[member])
            return {t.districts(row)[0]: (HOWS[how], t.fact_id(self.al_cover[member]))} if how else {}
        names = t.districts(row) or (NO_DISTRICT,)
        p0 = int(self.pair_ptr[member])
        out = {}
        for k, d in enumerate(names):
            how = int(self.up_how[p0 + k])
            if how:
                out[d] = (HOWS[how], t.fact_id(self.up_cover[p0 + k]))
        return out

    # ------------------------------------------------------------------------------------ as objects

    def fill(self, f: Fact, row: int, reason: str | None = None, placement: bool = True) -> None:
        """Status, placement, counted shares and reason of table row `row` into its Fact. `reason`: the
        one already written (known_reasons); without it, or with `placement`, where the fact is not
        added is filled in too."""
        m = self.member(row)
        f.status = STATUSES[self.status[m]]
        if placement or reason is None:
            f.not_added = self.aside(m, UPPER) or None
            f.not_alone = self.aside(m, ALONE) or None
        if self.has_counted[m]:
            f.counted = tuple(self.counted[self.pair_ptr[m]:self.pair_ptr[m + 1]].tolist())
        f.counted_basis = self.counted_basis.get(m, "")
        f.reason = reason if reason is not None else self.reason(f, m)

    def known_reasons(self, rows: list[int]) -> dict[int, str]:
        """The reasons of these rows written so far (the run's are kept in its store once written: facts.csv,
        summary.json and summary.md each list them)."""
        return self.table.corpus.store.reasons(rows) if self.run else {}

    def remember_reasons(self, made: list[tuple[int, str]]) -> None:
        if self.run:
            self.table.corpus.store.add_reasons(made)

    def reason(self, f: Fact, m: int) -> str:
        """Why a fact has its status, as the rules wrote it (geo/README.md; Fact.reason)."""
        t = self.table
        row = self.row(m)
        status = int(self.status[m])
        if status == IMPLAUSIBLE:
            text = t.implausible[row]
        elif status == EXCLUDED:
            text = ("undated; a time window is set" if not f.dated else
                    f"outside the window {period_text(_iso(self.date_from), _iso(self.date_to))}")
        elif status == SNAPSHOT:
            text = ("latest running total: shown as the district's to-date value, never added to period sums"
                    if len(f.districts) == 1 and f.group is None else
                    "latest running total: shown as a snapshot, never added to period sums")
        elif status == SUPERSEDED:
            latest = self.latest[(int(t.metric[row]), int(t.group[row]), int(t.dlist[row]))]
            text = f"older running total; the latest is {t.label(latest)}"
        elif status == SET_ASIDE:
            text = not_added_text(f, self.label)
        else:
            f.reason = NO_PLACE if status == UNPLACED else ""
            text = describe(f, self.label)
        if f.notes and (self.run or status == IMPLAUSIBLE):
            text = "; ".join([text, *f.notes])
        return text

    def label(self, fact_id: str) -> str:
        return self.table.label(int(fact_id[1:]) - 1)

    # ---------------------------------------------------------------------------------------- counts

    def count(self, status: int) -> int:
        return int(np.count_nonzero(self.status == status))

    def any_aside(self) -> np.ndarray:
        """Per member: not added somewhere (Fact.not_added or Fact.not_alone)."""
        if not self.n:
            return np.zeros(0, dtype=bool)
        return (np.maximum.reduceat(self.up_how, self.pair_ptr[:-1]) != 0) | (self.al_how != 0)

    def statuses(self) -> list[str]:
        return [STATUSES[s] for s in self.status.tolist()]


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None

