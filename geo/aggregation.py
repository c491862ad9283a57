"""From figure records to district values (the rules: geo/README.md). Pure python, no geometry.

Order of the rules, each of which only re-labels facts (nothing is dropped without a status and reason):
  1. merge the same fact stated by several reports                      (geo.facts)
  2. facts that cannot be true are "implausible"                         (geo.plausibility)
  3. shares of facts naming several districts, for the estimates         (geo.estimate)
  -- the steps above are the run's; the ones below are redone for every time slice (Aggregation.window)
  4. time window: facts outside it are "excluded"                        (geo.periods.in_window)
  5. running totals: latest snapshot per metric, group and district list is "snapshot", older ones
     "superseded"; they never enter a sum (a single district's snapshot is its <metric>_to_date)
  6. per district: undated periods that may repeat dated work, and nested or overlapping periods, are not
     added there; a fact added in none of its districts is "set_aside"  (geo.periods)
  7. what is left is "summed" (one or several districts) or "unplaced" (no district: summary only)
  8. people: a stated total stands for its parts in the same event/period and districts
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from sys import intern  # reasons and periods repeat across tens of thousands of facts: one copy each
from typing import Iterable, Mapping

from minemap import plausibility
from minemap.estimate import HOW, basis_text, plan_shares
from minemap.extraction.record import GROUPS, METRICS, PEOPLE_METRICS, Document, Figure
from minemap.facts import Fact, interval, json_number, merge_facts, parse_date, period_text
from minemap.periods import in_window, not_added_text, set_aside_overlaps, set_aside_undated

STATUSES = ("summed", "unplaced", "snapshot", "superseded", "set_aside", "implausible", "excluded")
APPORTION = HOW
GROUP_COLUMNS = tuple(f"{m}_{g}" for m in PEOPLE_METRICS for g in GROUPS)
# Value columns that hold text, not numbers.
TEXT_SUFFIXES = ("_as_of", "_est_basis")
# The upper bound of cleared area in a district is never more than its land.
CAPPED_AT_LAND = ("area_ha",)


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


@dataclass
class Aggregation:
    facts: list[Fact]
    districts: dict[str, dict[str, object]]   # code -> column -> value (None = no data)
    groups: list[dict]                        # one row per distinct list of several districts
    summary: dict
    columns: list[str] = field(default_factory=list)   # value columns, in layer order
    apportion: str = "reports"
    date_from: str | None = None
    date_to: str | None = None
    land: dict[str, float] = field(default_factory=dict)   # code -> land in hectares (when known)
    codes: list[str] = field(default_factory=list)

    def fact(self, fact_id: str) -> Fact:
        return next(f for f in self.facts if f.id == fact_id)

    def facts_for(self, code: str, statuses: Iterable[str] = ("summed",)) -> list[Fact]:
        """Facts naming a district with the given statuses (for tooltips and popups)."""
        wanted = set(statuses)
        return [f for f in self.facts if code in f.districts and f.status in wanted]

    def window(self, date_from: str | date, date_to: str | date,
               candidates: Iterable[Fact] | None = None) -> "Aggregation":
        """The same run seen through a time window (a slice of a time-sliced map): the rules from step 4
        on are applied again to the facts inside the window. Merging, plausibility and shares are the
        run's, so a fact is judged the same way in every slice. No summary. `candidates`: the facts that
        may lie in the window, when the caller knows (default: all the run's facts)."""
        dfrom, dto = _as_date(date_from), _as_date(date_to)
        if self.date_from:
            dfrom = max(dfrom, _as_date(self.date_from)) if dfrom else _as_date(self.date_from)
        if self.date_to:
            dto = min(dto, _as_date(self.date_to)) if dto else _as_date(self.date_to)
        pool = self.facts if candidates is None else candidates
        inside = [_fresh(f) for f in pool if f.status != "excluded" and in_window(f, dfrom, dto)]
        districts, groups = _judge(inside, self.columns, self.apportion, self.land, self.codes)
        return Aggregation(facts=inside, districts=districts, groups=groups, summary={}, columns=self.columns,
                           apportion=self.apportion, date_from=_iso(dfrom), date_to=_iso(dto), land=self.land,
                           codes=self.codes)


def _fresh(f: Fact) -> Fact:
    """A copy of a run's fact as it was before the window-dependent steps."""
    if f.status == plausibility.STATUS:
        return replace(f, not_added=None)
    return replace(f, status="summed", reason="", not_added=None)


def aggregate(
    figures: list[Figure],
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
    if apportion not in APPORTION:
        raise ValueError(f"apportion must be one of {APPORTION}, not {apportion!r}")
    if apportion == "area" and not areas:
        raise ValueError("apportion='area' needs district areas")
    dfrom, dto = _as_date(date_from), _as_date(date_to)
    if dfrom and dto and dfrom > dto:
        raise ValueError(f"--from {dfrom} is after --to {dto}")
    land = {k: float(v) for k, v in (areas or {}).items()}
    code_list = sorted(set(codes or ()))

    figures = list(figures)
    facts = merge_facts(figures, docs)
    plausibility.check(facts, land)
    plan_shares(facts, apportion, land)

    for f in facts:
        if f.status != plausibility.STATUS and not in_window(f, dfrom, dto):
            f.status = "excluded"
            f.reason = ("undated; a time window is set" if not f.dated
                        else intern(f"outside the window {period_text(_iso(dfrom), _iso(dto))}"))
    columns = value_columns(apportion)
    districts, groups = _judge(facts, columns, apportion, land, code_list)
    for f in facts:
        if f.notes:
            f.reason = "; ".join([f.reason, *f.notes])

    unknown = sorted({d for f in facts for d in f.districts} - set(code_list)) if codes is not None else []
    summary = _summary(figures, docs, facts, list(skipped or ()), apportion, dfrom, dto, unknown)
    return Aggregation(facts=facts, districts=districts, groups=groups, summary=summary, columns=columns,
                       apportion=apportion, date_from=_iso(dfrom), date_to=_iso(dto), land=land, codes=code_list)


def _judge(facts: list[Fact], columns: list[str], apportion: str, land: Mapping[str, float],
           codes: list[str]) -> tuple[dict[str, dict[str, object]], list[dict]]:
    """Steps 5-8 on facts whose window is settled: statuses, reasons, district rows and group rows."""
    _running_totals(facts)
    set_aside_undated(facts)
    set_aside_overlaps(facts)
    by_id = None
    for f in facts:
        if f.status == "summed" and not f.districts:
            f.status = "unplaced"
            f.reason = "names no district: in the summary, not on the map"

    base, parts = _totals_and_parts([f for f in facts if f.status == "summed"])
    for f in base:
        if not f.reason:
            f.reason = intern(f"attributed to {f.districts[0]}" if len(f.districts) == 1 else
                              f"shared by {len(f.districts)} districts: whole value in {f.metric}_shared of each")
    for f in facts:
        if f.status in ("summed", "unplaced") and f.not_added:
            by_id = by_id or {g.id: g for g in facts}
            f.reason = f"{f.reason}; not added {not_added_text(f, by_id)}"

    estimate = apportion != "none"
    acc: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)     # (district, metric) -> share kinds
    group_acc: dict[tuple[str, ...], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    behind: dict[str, list[Fact]] = defaultdict(list)          # district -> facts behind its values
    group_facts: dict[tuple[str, ...], list[Fact]] = defaultdict(list)

    for f in base:
        added = f.added_in()
        if len(f.districts) == 1:
            for d in added:
                acc[d][f.metric].append(f.value)
                if estimate:
                    acc[d][f"{f.metric}_est"].append(f.value)
            continue
        shares = dict(zip(f.districts, f.shares)) if estimate else {}   # geo.estimate planned every one
        for d in added:
            acc[d][f"{f.metric}_shared"].append(f.value)
            if estimate:
                acc[d][f"{f.metric}_est"].append(shares[d])
                kinds[(d, f.metric)].add(f.weights)
        if added:
            group_acc[f.districts][f.metric].append(f.value)
    for f in parts:
        col = f"{f.metric}_{f.group}"
        added = f.added_in()
        if len(f.districts) == 1:
            for d in added:
                acc[d][col].append(f.value)
        elif added:
            group_acc[f.districts][col].append(f.value)
    for f in base + parts:
        for d in f.added_in():
            behind[d].append(f)
        if len(f.districts) > 1 and f.added_in():
            group_facts[f.districts].append(f)

    to_date: dict[str, dict[str, Fact]] = defaultdict(dict)
    for f in facts:
        if f.status == "snapshot" and len(f.districts) == 1 and f.group is None:
            to_date[f.districts[0]][f.metric] = f

    reports: dict[str, set[str]] = defaultdict(set)
    for f in facts:
        if f.status != "excluded":
            for d in f.districts:
                reports[d].update(f.doc_ids)

    numeric = [c for c in columns if not is_text_column(c)]
    all_codes = sorted(set(codes) | set(acc) | set(reports))
    districts: dict[str, dict[str, object]] = {}
    for code in all_codes:
        sums = acc.get(code, {})
        row: dict[str, object] = dict.fromkeys(columns)
        for c in numeric:
            if c in sums:
                row[c] = _total(sums[c])
        for m in METRICS:
            lower, shared = row[m], row[f"{m}_shared"]
            if lower is not None or shared is not None:
                upper = (lower or 0.0) + (shared or 0.0)
                if m in CAPPED_AT_LAND and land.get(code, 0) > 0:
                    upper = min(upper, round(land[code], 6))
                row[f"{m}_upper"] = upper
                if estimate:
                    # shares never lift a district above its upper bound (only the land cap can bite)
                    row[f"{m}_est"] = min(row[f"{m}_est"] or 0.0, upper)
                    row[f"{m}_est_basis"] = basis_text(kinds.get((code, m), set()), lower is not None)
            snap = to_date.get(code, {}).get(m)
            if snap is not None:
                row[f"{m}_to_date"], row[f"{m}_as_of"] = snap.value, snap.period_end
        row["reports"] = len(reports[code]) if reports.get(code) else None
        first, last = date_range(behind.get(code, []))
        row["first_date"], row["last_date"] = first, last
        districts[code] = row

    groups = []
    for dl in sorted(group_acc, key=lambda t: (len(t), t)):
        row = {"districts": ";".join(dl), "n_districts": len(dl)}
        for c in [m for m in METRICS] + list(GROUP_COLUMNS):
            row[c] = _total(group_acc[dl][c]) if c in group_acc[dl] else None
        fs = group_facts[dl]
        row["reports"] = len({d for f in fs for d in f.doc_ids})
        row["first_date"], row["last_date"] = date_range(fs)
        row["facts"] = ";".join(sorted({f.id for f in fs}))
        groups.append(row)
    return districts, groups


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
    ivs = [iv for iv in (interval(f) for f in facts) if iv is not None]
    if not ivs:
        return None, None
    return min(s for s, _ in ivs).isoformat(), max(e for _, e in ivs).isoformat()


def _running_totals(facts: list[Fact]) -> None:
    """Latest as-of date per metric, group and district list is the snapshot; running totals are never summed."""
    series: dict[tuple, list[Fact]] = defaultdict(list)
    for f in facts:
        if f.scope == "cumulative" and f.status == "summed":
            series[(f.metric, f.group, f.districts)].append(f)
    for members in series.values():
        members.sort(key=lambda f: (f.period_end or "", len(f.sources), f.value, f.id), reverse=True)
        latest = members[0]
        latest.status = "snapshot"
        latest.reason = ("latest running total: shown as the district's to-date value, never added to period sums"
                         if len(latest.districts) == 1 and latest.group is None else
                         "latest running total: shown as a snapshot, never added to period sums")
        older = f"older running total; the latest is {latest.label()}"
        for f in members[1:]:
            f.status = "superseded"
            f.reason = older


def _totals_and_parts(summed: list[Fact]) -> tuple[list[Fact], list[Fact]]:
    """Split summed facts into what feeds <metric>/<metric>_shared ("base") and the per-group columns.

    For people, a total (group null) and parts (civilian/military) of the same event or period and
    districts are one count: the base uses the total where stated, else the sum of the parts. Parts
    whose period lies inside a summed total's period are covered by it too.
    """
    base: list[Fact] = []
    parts: list[Fact] = []
    totals: dict[tuple, list[Fact]] = defaultdict(list)
    for f in summed:
        if f.metric in PEOPLE_METRICS and f.group is None:
            totals[(f.metric, f.districts)].append(f)
    for f in summed:
        if f.metric not in PEOPLE_METRICS or f.group is None:
            base.append(f)
            continue
        parts.append(f)
        cover = _covering_total(f, totals.get((f.metric, f.districts), []))
        if cover is None:
            base.append(f)
            f.reason = f.reason or intern(f"no total stated for its {f.scope}: the part counts in {f.metric}")
        else:
            f.reason = intern(f"part of the total {cover.label()}: counted in {f.metric}_{f.group} only")
    return base, parts


def _covering_total(part: Fact, totals: list[Fact]) -> Fact | None:
    piv = interval(part)
    for t in totals:
        tiv = interval(t)
        if piv is None and tiv is None and (t.period_start, t.period_end) == (part.period_start, part.period_end):
            return t
        if piv is not None and tiv is not None and tiv[0] <= piv[0] and piv[1] <= tiv[1]:
            return t
    return None


def _fact_row(f: Fact) -> dict:
    return {
        "id": f.id, "metric": f.metric, "group": f.group, "value": json_number(f.value),
        "qualifier": f.qualifier, "scope": f.scope, "period": intern(period_text(f.period_start, f.period_end)),
        "districts": list(f.districts), "reports": list(f.doc_ids), "reason": f.reason,
    }


def _not_added_row(f: Fact) -> dict:
    """A fact added in some of its districts: where not, how, and because of which fact (aligned lists,
    compact: a large run has tens of thousands of them)."""
    aside = sorted(f.not_added.items())
    return {
        "id": f.id, "metric": f.metric, "group": f.group, "value": json_number(f.value),
        "period": intern(period_text(f.period_start, f.period_end)), "added_in": list(f.added_in()),
        "not_added_in": [d for d, _ in aside], "how": [h for _, (h, _) in aside],
        "because_of": [c for _, (_, c) in aside],
    }


def _summary(figures, docs, facts, skipped, apportion, dfrom, dto, unknown) -> dict:
    per_doc: dict[str, int] = defaultdict(int)
    for fig in figures:
        per_doc[fig.doc_id] += 1
    doc_rows = []
    for doc_id in sorted(set(docs) | set(per_doc)):
        d = docs.get(doc_id)
        doc_rows.append({
            "doc_id": doc_id, "date": d.date if d else None, "source": d.source if d else None,
            "title": d.title if d else None, "figures": per_doc.get(doc_id, 0),
            "warnings": list(d.warnings) if d else [],
        })
    by_status = {s: [f for f in facts if f.status == s] for s in STATUSES}
    unplaced_totals = defaultdict(list)
    for f in by_status["unplaced"]:
        unplaced_totals[(f.metric, f.group or "")].append(f)
    running = []
    for f in sorted(by_status["snapshot"], key=lambda f: (f.metric, f.group or "", f.districts)):
        running.append({
            "metric": f.metric, "group": f.group, "districts": list(f.districts), "value": json_number(f.value),
            "qualifier": f.qualifier, "as_of": f.period_end, "since": f.period_start, "fact": f.id,
            "reports": list(f.doc_ids),
        })
    summed = by_status["summed"]
    found = len(figures)
    return {
        "window": {"from": _iso(dfrom), "to": _iso(dto)},
        "apportion": apportion,
        "documents": {
            "read": len(doc_rows), "skipped": len(skipped),
            "with_figures": sum(1 for r in doc_rows if r["figures"]),
            "without_figures": sum(1 for r in doc_rows if not r["figures"]),
            "list": doc_rows,
            "skipped_list": sorted(skipped, key=lambda s: (str(s.get("path") or ""), str(s.get("doc_id") or ""))),
        },
        "figures": {
            "found": found, "facts": len(facts), "merged_duplicates": found - len(facts),
            "facts_with_several_reports": sum(1 for f in facts if len(f.sources) > 1),
            "accounted": sum(len(f.sources) for f in facts) == found,
        },
        "facts_by_status": {s: len(by_status[s]) for s in STATUSES},
        "summed": {
            "attributed": sum(1 for f in summed if len(f.districts) == 1),
            "shared": sum(1 for f in summed if len(f.districts) > 1),
            "not_added_in_some_districts": sum(1 for f in summed if f.not_added),
        },
        "implausible": [_fact_row(f) for f in by_status["implausible"]],
        "set_aside": [_fact_row(f) for f in by_status["set_aside"]],
        # facts set aside in all their districts say why in their reason (list "set_aside")
        "not_added": [_not_added_row(f) for f in facts if f.not_added and f.status == "summed"],
        "undated_summed": [_fact_row(f) for f in facts
                           if not f.dated and f.status in ("summed", "unplaced") and f.scope != "cumulative"],
        "superseded": [_fact_row(f) for f in by_status["superseded"]],
        "excluded": [_fact_row(f) for f in by_status["excluded"]],
        "unplaced": {
            "count": len(by_status["unplaced"]),
            "totals": [
                {"metric": m, "group": g or None, "value": json_number(_total([f.value for f in fs])),
                 "facts": [f.id for f in fs]}
                for (m, g), fs in sorted(unplaced_totals.items())
            ],
            "facts": [_fact_row(f) for f in by_status["unplaced"]],
        },
        "running_totals": running,
        "districts_not_in_boundaries": unknown,
    }
