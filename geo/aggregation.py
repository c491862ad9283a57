"""From figure records to district values (the rules: geo/README.md). No geometry.

Order of the rules, each of which only re-labels facts (nothing is dropped without a status and reason):
  1. merge the same fact stated by several reports                      (geo.facts)
  2. facts that cannot be true are "implausible"                         (geo.plausibility)
  3. planned shares of facts naming several districts, for the estimates (geo.estimate)
  -- the steps above are the run's; the ones below are redone for every time slice (Aggregation.window)
  4. time window: facts outside it are "excluded"                        (geo.periods.window_mask)
  5. running totals: latest snapshot per metric, group and district list is "snapshot", older ones
     "superseded"; they never enter a sum (a single district's snapshot is its <metric>_to_date)
  6. per district, for its named-alone value and for its upper bound apart: undated periods that may
     repeat dated work, nested or overlapping periods, and (people) parts a stated total covers are not
     added there; a fact that counts nowhere is "set_aside"              (geo.periods)
  7. what is left is "summed" (one or several districts) or "unplaced" (no district: summary only)
  8. the district columns; the estimates count the planned shares, keeping in each district the
     figures named alone that a shared one covers, rounded to whole items (geo.estimate.counted_shares)

Memory: the facts are columns (geo.fact_table) and what a window decides about them arrays
(geo.judgement); their text is in the run's store on disk. The steps go through the facts one metric
(and, for step 6, one district) at a time, so what they hold as Python values is the facts of one
metric, not of the run; a district value only needs the totals of its columns.
"""
from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Mapping

import numpy as np

from minemap import plausibility
from minemap.corpus import GROUP_NAMES, Corpus
from minemap.estimate import HOW, NO_PEOPLE_ESTIMATE, basis_text, counted_shares, plan_shares, step_of
from minemap.extraction.record import GROUPS, METRICS, PEOPLE_METRICS, Document, Figure
from minemap.fact_table import CUMULATIVE, FactTable, iso
from minemap.facts import PART, Fact, merge, parse_date, same_value
from minemap.judgement import Judgement
from minemap.periods import (EXCLUDED, HOW_CODE, IMPLAUSIBLE, SNAPSHOT, STATUSES, SUMMED, SUPERSEDED, UNPLACED,
                             judge, window_mask)

__all__ = ["STATUSES", "APPORTION", "GROUP_COLUMNS", "Aggregation", "aggregate", "aggregate_corpus",
           "value_columns", "is_text_column", "date_range"]

APPORTION = HOW
GROUP_COLUMNS = tuple(f"{m}_{g}" for m in PEOPLE_METRICS for g in GROUPS)
# Value columns that hold text, not numbers.
TEXT_SUFFIXES = ("_as_of", "_est_basis")
# The upper bound of cleared area in a district is never more than its land.
CAPPED_AT_LAND = ("area_ha",)
PART_CODE = HOW_CODE[PART]
SAME_PERIOD_CODE = HOW_CODE["same period as"]


def value_columns(apportion: str = "reports") -> list[str]:
    """The per-district value columns in layer order, for every metric: <metric> (attributed: lower
    bound), <metric>_shared, <metric>_upper, [<metric>_est, <metric>_est_basis,] <metric>_to_date,
    <metric>_as_of; then the per-group casualty columns."""
    cols: list[str] = []
    for m in METRICS:
        cols += [m, f"{m}_shared", f"{m}_upper"]
        if apportion != "none":
            cols += [f"{m}_est", f"{m}_est_basis"]
        cols += [f"{m}_to_date", f"{m}_as_of"]
    return cols + list(GROUP_COLUMNS)


def is_text_column(column: str) -> bool:
    return column.endswith(TEXT_SUFFIXES)


@dataclass(eq=False)
class Aggregation:
    """The facts of a run (or of a time slice of it) with their statuses, the district values and the
    shared-group rows.

    `facts` and `summary` are built on first use from the columns and the run's store: a large run
    never holds them whole unless asked to (the writers of facts.csv and summary.json/md stream them,
    see geo.summary). `table` (geo.fact_table) and `judgement` (geo.judgement) are the columns."""
    table: FactTable
    judgement: Judgement
    districts: dict[str, dict[str, object]]   # code -> column -> value (None = no data)
    groups: list[dict]                        # one row per distinct list of several districts
    columns: list[str] = field(default_factory=list)   # value columns, in layer order
    apportion: str = "reports"
    date_from: str | None = None
    date_to: str | None = None
    land: dict[str, float] = field(default_factory=dict)   # code -> land in hectares (when known)
    codes: list[str] = field(default_factory=list)
    skipped: list[dict] | None = None   # the run's inputs that could not be read; None for a time slice
    unknown: list[str] = field(default_factory=list)   # districts named by figures, not in the boundaries
    notes: list[str] | None = None      # what the reader of the summary must know about the run's inputs
    _facts: list[Fact] | None = field(default=None, repr=False)

    @property
    def facts(self) -> list[Fact]:
        """Every fact of the run (or slice) as a `Fact`, in id order, with its reports."""
        if self._facts is None:
            self._facts = list(self.table.facts(self.judgement.rows(), self.judgement))
        return self._facts

    @property
    def summary(self) -> dict:
        """What summary.json holds (documents read and skipped, figures, facts per status, and why), as
        plain dicts and lists; a time slice has none ({})."""
        from minemap.summary import materialize, summary_view

        return materialize(summary_view(self)) if self.skipped is not None else {}

    def fact(self, fact_id: str) -> Fact:
        return next(f for f in self.facts if f.id == fact_id)

    def facts_for(self, code: str, statuses: Iterable[str] = ("summed",)) -> list[Fact]:
        """Facts naming a district with the given statuses (for tooltips and popups)."""
        wanted = set(statuses)
        return [f for f in self.facts if code in f.districts and f.status in wanted]

    def window(self, date_from: str | date, date_to: str | date,
               candidates: Iterable[int] | np.ndarray | None = None) -> "Aggregation":
        """The same run seen through a time window (a slice of a time-sliced map): the rules from step 4
        on are applied again to the facts inside the window. Merging, plausibility and shares are the
        run's, so a fact is judged the same way in every slice. No summary. `candidates`: the rows of the
        table (facts) that may lie in the window, when the caller knows (default: all of this one's)."""
        dfrom, dto = _as_date(date_from), _as_date(date_to)
        if self.date_from:
            dfrom = max(dfrom, _as_date(self.date_from)) if dfrom else _as_date(self.date_from)
        if self.date_to:
            dto = min(dto, _as_date(self.date_to)) if dto else _as_date(self.date_to)
        j = self.judgement
        rows = j.rows()
        pool = rows if candidates is None else np.intersect1d(rows, np.asarray(list(candidates)
                                                                              if not isinstance(candidates, np.ndarray)
                                                                              else candidates, dtype=np.int64))
        status = j.status if candidates is None else j.status[np.searchsorted(rows, pool)]
        keep = (status != EXCLUDED) & window_mask(self.table, pool, dfrom, dto)
        inside = Judgement(self.table, pool[keep], date_from=dfrom, date_to=dto, run=False)
        inside.status[:] = np.where(status[keep] == IMPLAUSIBLE, IMPLAUSIBLE, SUMMED)
        districts, groups = _judge(inside, self.columns, self.apportion, self.land, self.codes)
        return Aggregation(self.table, inside, districts, groups, columns=self.columns, apportion=self.apportion,
                           date_from=_iso(dfrom), date_to=_iso(dto), land=self.land, codes=self.codes)


def aggregate(
    figures: Iterable[Figure],
    docs: Mapping[str, Document],
    date_from: str | date | None = None,
    date_to: str | date | None = None,
    apportion: str = "reports",
    areas: Mapping[str, float] | None = None,
    *,
    codes: Iterable[str] | None = None,
    skipped: Iterable[dict] | None = None,
) -> Aggregation:
    """Turn figure records into facts, district values, shared-group rows and a run summary.

    `codes`: the boundary set (every code gets a row, all null when no figure names it);
    `skipped`: documents that could not be read, as dicts with path, doc_id, reason (for the summary);
    `areas`: code -> land area in hectares, for the plausibility of areas, the cap of area upper bounds
    and estimates by area (without it those checks are skipped and estimates split equally);
    `apportion`: how estimates share figures naming several districts: "reports" (what the reports say
    per district, else area), "area", "equal", or "none" (no estimate columns).
    """
    _check_options(apportion, areas, date_from, date_to)
    corpus = Corpus()
    index: dict[str, int] = {}
    for doc_id, doc in docs.items():
        index[doc_id] = corpus.add_document(doc if doc.doc_id == doc_id else dataclasses.replace(doc, doc_id=doc_id))
    for f in figures:
        at = index.get(f.doc_id)
        if at is None:   # a record whose document is not given: known by its id only
            at = index[f.doc_id] = corpus.add_document(Document(f.doc_id, ""))
        corpus.add_records(at, [f])
    return aggregate_corpus(corpus, date_from, date_to, apportion, areas, codes=codes, skipped=skipped)


def aggregate_corpus(corpus: Corpus, date_from: str | date | None = None, date_to: str | date | None = None,
                     apportion: str = "reports", areas: Mapping[str, float] | None = None, *,
                     codes: Iterable[str] | None = None, skipped: Iterable[dict] | None = None) -> Aggregation:
    """`aggregate` for the documents and records of a Corpus (what `minemap.run` reads into)."""
    _check_options(apportion, areas, date_from, date_to)
    dfrom, dto = _as_date(date_from), _as_date(date_to)
    land = {k: float(v) for k, v in (areas or {}).items()}
    code_list = sorted(set(codes or ()))

    table = merge(corpus)
    corpus.drop_records()
    plausibility.check(table, land)
    plan_shares(table, apportion, land)

    run = Judgement(table, date_from=dfrom, date_to=dto, run=True)
    if table.implausible:
        run.status[list(table.implausible)] = IMPLAUSIBLE
    run.status[(run.status != IMPLAUSIBLE) & ~window_mask(table, run.rows(), dfrom, dto)] = EXCLUDED
    columns = value_columns(apportion)
    districts, groups = _judge(run, columns, apportion, land, code_list)
    named = {d for dl in np.unique(table.dlist).tolist() for d in table.dlists.tuple(dl)}
    unknown = sorted(named - set(code_list)) if codes is not None else []
    return Aggregation(table, run, districts, groups, columns=columns, apportion=apportion, date_from=_iso(dfrom),
                       date_to=_iso(dto), land=land, codes=code_list, skipped=list(skipped or ()), unknown=unknown)


def _check_options(apportion, areas, date_from, date_to) -> None:
    if apportion not in APPORTION:
        raise ValueError(f"apportion must be one of {APPORTION}, not {apportion!r}")
    if apportion == "area" and not areas:
        raise ValueError("apportion='area' needs district areas")
    dfrom, dto = _as_date(date_from), _as_date(date_to)
    if dfrom and dto and dfrom > dto:
        raise ValueError(f"--from {dfrom} is after --to {dto}")


class _Group:
    """What a row of groups.csv is made of: column totals, the facts behind it, their reports and days."""
    __slots__ = ("values", "facts", "docs", "first", "last")

    def __init__(self) -> None:
        self.values: dict[str, float] = {}
        self.facts: list[int] = []
        self.docs: set[int] = set()
        self.first = self.last = 0


def _judge(j: Judgement, columns: list[str], apportion: str, land: Mapping[str, float],
           codes: list[str]) -> tuple[dict[str, dict[str, object]], list[dict]]:
    """Steps 5-8 on facts whose window is settled: statuses, placements, district rows and group rows."""
    t = j.table
    rows = j.rows()
    _running_totals(j)
    judge(j)
    j.status[(j.status == SUMMED) & (t.ndist[rows] == 0)] = UNPLACED

    estimate = apportion != "none"
    sums: dict[str, dict[str, float]] = defaultdict(dict)          # district -> column -> total
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)       # (district, metric) -> share kinds
    unknown: set[tuple[str, str]] = set()                           # (district, metric) with no estimate
    behind: dict[str, list[int]] = {}                               # district -> [first day, last day]
    groups: dict[int, _Group] = {}                                  # district list -> its row
    metric = t.metric[rows]
    summed = j.status == SUMMED
    for m in np.unique(metric[summed]).tolist():
        _accumulate(j, m, np.nonzero(summed & (metric == m))[0], estimate, sums, kinds, unknown, behind, groups)

    to_date: dict[str, dict[str, tuple[float, str | None]]] = defaultdict(dict)
    for k in np.nonzero((j.status == SNAPSHOT) & (t.ndist[rows] == 1) & (t.group[rows] == 0))[0].tolist():
        i = int(rows[k])
        to_date[t.districts(i)[0]][METRICS[t.metric[i]]] = (float(t.value[i]), iso(int(t.end[i])))

    reports = _reports(j)
    numeric = [c for c in columns if not is_text_column(c)]
    districts: dict[str, dict[str, object]] = {}
    for code in sorted(set(codes) | set(reports)):
        values = sums.get(code, {})
        row: dict[str, object] = dict.fromkeys(columns)
        for c in numeric:
            if c in values:
                row[c] = values[c]
        for m in METRICS:
            lower, upper = row[m], row[f"{m}_upper"]
            if lower is not None or upper is not None:
                # the upper bound holds at least what is certain (its own judgement may keep other periods)
                upper = max(upper or 0.0, lower or 0.0)
                if m in CAPPED_AT_LAND and land.get(code, 0) > 0:
                    # the land to the metric's step (tenths of a hectare), rounded down: never above the land
                    upper = min(upper, round(math.floor(land[code] / step_of(m) + 1e-9) * step_of(m), 6))
                row[f"{m}_upper"] = upper
                if estimate:
                    if (code, m) in unknown:
                        row[f"{m}_est"], row[f"{m}_est_basis"] = None, NO_PEOPLE_ESTIMATE
                    else:
                        # within the range; shares never lift a district above its upper bound (only the
                        # land cap can bite: then the estimate is the cap, to the step of the metric)
                        est = max(row[f"{m}_est"] or 0.0, lower or 0.0)
                        if est > upper:
                            step = step_of(m)
                            est = min(max(round(math.floor(upper / step + 1e-9) * step, 6), lower or 0.0), upper)
                        row[f"{m}_est"] = est
                        row[f"{m}_est_basis"] = basis_text(kinds.get((code, m), set()), lower is not None)
            snap = to_date.get(code, {}).get(m)
            if snap is not None:
                row[f"{m}_to_date"], row[f"{m}_as_of"] = snap
        row["reports"] = reports.get(code) or None
        first, last = behind.get(code, (0, 0))
        row["first_date"], row["last_date"] = iso(first), iso(last)
        districts[code] = row
    if estimate:
        _people_estimates(districts, kinds)

    group_rows = []
    for dl in sorted(groups, key=lambda k: (len(t.dlists.tuple(k)), t.dlists.tuple(k))):
        g = groups[dl]
        names = t.dlists.tuple(dl)
        row = {"districts": ";".join(names), "n_districts": len(names)}
        for c in [*METRICS, *GROUP_COLUMNS]:
            row[c] = g.values.get(c)
        row["reports"] = len(g.docs)
        row["first_date"], row["last_date"] = iso(g.first), iso(g.last)
        row["facts"] = ";".join(t.fact_id(i) for i in sorted(g.facts))
        group_rows.append(row)
    return districts, group_rows


def _restated(t, value: float, hows: list[int], covers: list[int]) -> int | None:
    """The fact (row) that stands for this one in some of its districts with the same period and the same
    value: the same total, stated for another list of districts; None if there is none."""
    found = sorted({c for h, c in zip(hows, covers) if h == SAME_PERIOD_CODE and same_value(float(t.value[c]), value)})
    return found[0] if found else None


def _accumulate(j: Judgement, m: int, sel: np.ndarray, estimate: bool, sums, kinds, unknown, behind,
                groups: dict[int, _Group]) -> None:
    """The column totals of metric `m` from its summed facts (members `sel`, in id order): per district,
    the named-alone value, the upper bound, the shared value and the estimate; per list of districts,
    the row of groups.csv; and the counted shares of each fact naming several districts."""
    t = j.table
    rows = j.rows_of(sel)
    metric = METRICS[m]
    acc: dict[tuple[str, str], list[float]] = defaultdict(list)     # (district, column) -> values
    group_acc: dict[tuple[int, str], list[float]] = defaultdict(list)
    # figures naming a district alone that a shared figure covers in its upper bound: work inside it there
    inside: dict[int, dict[str, float]] = {}
    nd = t.ndist[rows]
    lo, hi = t.intervals(rows)
    single = np.nonzero(nd == 1)[0]
    for k, i, p, al, v, g, a, b in zip(single.tolist(), rows[single].tolist(), j.pair_ptr[sel[single]].tolist(),
                                       j.al_how[sel[single]].tolist(), t.value[rows[single]].tolist(),
                                       t.group[rows[single]].tolist(), lo[single].tolist(), hi[single].tolist()):
        d = t.districts(i)[0]
        up = int(j.up_how[p])
        alone, upper = al == 0, up == 0
        if alone:
            acc[(d, metric)].append(v)
            if not upper:
                cover = inside.setdefault(int(j.up_cover[p]), {})
                cover[d] = cover.get(d, 0.0) + v
        parts = alone or al == PART_CODE
        if g and parts:
            acc[(d, f"{metric}_{GROUP_NAMES[g]}")].append(v)
        if upper:
            acc[(d, f"{metric}_upper")].append(v)
            if estimate:
                acc[(d, f"{metric}_est")].append(v)
        if (alone or upper or parts) and a:
            _extend(behind, d, a, b)
    several = np.nonzero(nd >= 2)[0]
    for k, i, p0, v, g, a, b in zip(several.tolist(), rows[several].tolist(), j.pair_ptr[sel[several]].tolist(),
                                    t.value[rows[several]].tolist(), t.group[rows[several]].tolist(),
                                    lo[several].tolist(), hi[several].tolist()):
        member = int(sel[k])
        names = t.districts(i)
        hows = j.up_how[p0:p0 + len(names)].tolist()
        added = [d for d, h in zip(names, hows) if h == 0]
        counted = None
        if estimate and t.has_shares[i]:
            minimums = {d: x for d, x in inside.get(i, {}).items() if d in added}
            planned = tuple(t.shares[t.pair_ptr[i]:t.pair_ptr[i] + len(names)].tolist())
            counted, note = counted_shares(metric, names, planned, minimums)
            restated = _restated(t, v, hows, j.up_cover[p0:p0 + len(names)].tolist()) if added else None
            if restated is not None:
                # one week's total stated by two reports with different district lists: the other one
                # counts it in the districts both name, so the shares of this one would count it twice
                counted = tuple(0.0 for _ in names)
                note = (f"the same total as {t.fact_id(restated)} for the same period, counted there: "
                        "nothing more to share")
            j.counted[p0:p0 + len(names)] = counted
            j.has_counted[member] = True
            if note:
                j.counted_basis[member] = note
        weights = t.kinds[t.weights[i]]
        for d, h, share in zip(names, hows, counted or [None] * len(names)):
            if h:
                continue
            acc[(d, f"{metric}_shared")].append(v)
            acc[(d, f"{metric}_upper")].append(v)
            if not estimate:
                continue
            if share is None:
                unknown.add((d, metric))
            else:
                acc[(d, f"{metric}_est")].append(share)
                kinds[(d, metric)].add(weights)
        group = GROUP_NAMES[g]
        parts = [d for d, h in zip(names, hows) if h in (0, PART_CODE)] if group else []
        dl = int(t.dlist[i])
        if added:
            group_acc[(dl, metric)].append(v)
        if parts:
            group_acc[(dl, f"{metric}_{group}")].append(v)
        if added or parts:
            row = groups.get(dl)
            if row is None:
                row = groups[dl] = _Group()
            row.facts.append(i)
            row.docs.update(t.docs(i))
            if a:
                row.first = min(row.first, a) if row.first else a
                row.last = max(row.last, b)
                for d in set(added) | set(parts):
                    _extend(behind, d, a, b)
    for (d, c), values in acc.items():
        sums[d][c] = _total(values)
    for (dl, c), values in group_acc.items():
        groups[dl].values[c] = _total(values)


def _extend(behind: dict[str, list[int]], d: str, first: int, last: int) -> None:
    span = behind.get(d)
    if span is None:
        behind[d] = [first, last]
    else:
        span[0], span[1] = min(span[0], first), max(span[1], last)


def _reports(j: Judgement) -> dict[str, int]:
    """District -> how many reports state the facts naming it (all but those outside the window)."""
    t = j.table
    rows = j.rows_of(j.status != EXCLUDED)
    n_docs = max(t.corpus.n_docs, 1)
    found = []
    for m in np.unique(t.metric[rows]).tolist():      # a metric at a time: arrays of its records only
        fs = rows[t.metric[rows] == m]
        recs, counts = t.records_of(fs)
        pairs = np.unique(np.repeat(t.dlist[fs].astype(np.int64), counts) * n_docs + t.rec_doc[recs])
        dl, doc = pairs // n_docs, pairs % n_docs
        length = t.dlists.length[dl].astype(np.int64)
        rep = np.repeat(np.arange(len(dl)), length)
        k = np.arange(int(length.sum())) - np.repeat(np.cumsum(length) - length, length)
        district = t.dlists.flat[t.dlists.start[dl[rep]] + k]
        found.append(np.unique(district.astype(np.int64) * n_docs + doc[rep]))
    if not found:
        return {}
    per = np.bincount(np.unique(np.concatenate(found)) // n_docs)
    return {t.district_name(d): int(c) for d, c in enumerate(per.tolist()) if c}


def _people_estimates(districts: dict[str, dict[str, object]], kinds: dict[tuple[str, str], set[str]]) -> None:
    """People are estimated only where reports give per-district figures to share by: a people metric none
    of whose shared figures rests on them has no estimate at all (its named-alone and upper-bound values
    say all there is)."""
    for m in PEOPLE_METRICS:
        if not any(k in ("reported", "remainder", "remainder+reported")
                   for (_, metric), ks in kinds.items() if metric == m for k in ks):
            for row in districts.values():
                row[f"{m}_est"] = row[f"{m}_est_basis"] = None


def _as_date(v) -> date | None:
    if v is None or v == "":
        return None
    if isinstance(v, date):
        return v
    d = parse_date(str(v))
    if d is None:
        raise ValueError(f"not an ISO date between 1990 and 2100: {v!r}")
    return d


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _total(values: list[float]) -> float:
    # Values are bounded by the plausibility limits, so a sum cannot overflow.
    return round(math.fsum(values), 6)


def date_range(facts: Iterable[Fact]) -> tuple[str | None, str | None]:
    """First and last day of the facts' periods (undated facts aside), as ISO dates."""
    from minemap.facts import interval

    ivs = [iv for iv in (interval(f) for f in facts) if iv is not None]
    if not ivs:
        return None, None
    return min(s for s, _ in ivs).isoformat(), max(e for _, e in ivs).isoformat()


def _running_totals(j: Judgement) -> None:
    """Latest as-of date per metric, group and district list is the snapshot; running totals are never summed."""
    t = j.table
    rows = j.rows()
    sel = np.nonzero((j.status == SUMMED) & (t.scope[rows] == CUMULATIVE))[0]
    if not len(sel):
        return
    g = rows[sel]
    order = np.lexsort((g, t.value[g], t.rec_ptr[g + 1] - t.rec_ptr[g], t.end[g], t.dlist[g], t.group[g],
                        t.metric[g]))
    sel, g = sel[order], g[order]
    series = np.stack([t.metric[g].astype(np.int64), t.group[g], t.dlist[g]])
    last = np.ones(len(g), dtype=bool)
    last[:-1] = (series[:, 1:] != series[:, :-1]).any(axis=0)
    j.status[sel] = SUPERSEDED
    j.status[sel[last]] = SNAPSHOT
    for i in g[last].tolist():
        j.latest[(int(t.metric[i]), int(t.group[i]), int(t.dlist[i]))] = i
