"""What a map shows: which layer columns become map layers, how they are named, which one the map opens
on (with its classes: one choice per run for the HTML page, the PNG/SVG images and the QGIS style), and
which facts and reports stand behind each district value. Independent of how the map is drawn."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Mapping, Sequence

import numpy as np

from minemap.classify import SINGULAR, Classes, classify, format_number, with_unit
from minemap.extraction.record import GROUPS, METRICS, PEOPLE_METRICS, unit_of
from minemap.facts import ALONE, PART, UPPER
from minemap.wording import counted

# Views of one metric, in the order the map offers them. The shared column alone is not a view: the
# upper bound (attributed plus shared, overlaps removed) is what it means for a district.
KINDS = ("estimate", "attributed", "upper", "to_date")
SUFFIXES = {"_est": "estimate", "_upper": "upper", "_to_date": "to_date", "_shared": "shared"}
# Clearance metrics in order of preference for the opening layer (casualties and mapped mines are not
# clearance: a map of "where, and how much clearance" opens on one of these when any has values).
CLEARANCE = ("area_ha", "explosive_items", "mines", "uxo", "ap_mines", "at_mines", "roads_km")
# The land cleared answers "how much clearance" best: the map opens on it when it colours at least this
# share of the districts that the most-colouring clearance metric colours (item counts are often
# reported for more districts at once, area for fewer).
AREA_SHARE = 0.75
CONTRIBUTING = ("summed",)   # fact statuses that enter a district column (geo.aggregation)


@lru_cache(maxsize=1)
def labels() -> dict:
    return json.loads(resources.files("minemap").joinpath("data/map_labels.json").read_text("utf-8"))


@dataclass(frozen=True)
class MapLayer:
    column: str
    metric: str
    group: str | None
    kind: str            # estimate | attributed | upper | to_date | shared
    unit: str

    @property
    def metric_label(self) -> str:
        lab = labels()
        text = lab["metrics"].get(self.metric, self.metric)
        if self.group:
            text += f" ({lab['groups'].get(self.group, self.group)})"
        return text

    @property
    def kind_label(self) -> str:
        return labels()["kinds"][self.kind]["label"]

    @property
    def label(self) -> str:
        return f"{self.metric_label} — {self.kind_label}"

    @property
    def legend_title(self) -> str:
        return f"{self.label} ({self.unit})"

    @property
    def note(self) -> str:
        return labels()["kinds"][self.kind]["note"]

    @property
    def no_data(self) -> str:
        """The legend's entry for districts without a value in this view."""
        return labels()["kinds"][self.kind]["no_data"]

    def to_json(self) -> dict:
        return {"column": self.column, "metric": self.metric + (f"_{self.group}" if self.group else ""),
                "metric_label": self.metric_label, "kind": self.kind, "kind_label": self.kind_label,
                "label": self.label, "legend_title": self.legend_title, "note": self.note, "unit": self.unit,
                "unit_one": SINGULAR.get(self.unit, self.unit), "no_data": self.no_data,
                "no_value": labels()["kinds"][self.kind]["no_value"]}


def parse_column(column: str) -> MapLayer | None:
    """`area_ha_est` -> MapLayer(area_ha, estimate); None for columns that are not values."""
    kind, base = "attributed", column
    for suffix, k in SUFFIXES.items():
        if column.endswith(suffix):
            kind, base = k, column[: -len(suffix)]
            break
    metric, group = base, None
    if base not in METRICS:
        head, _, tail = base.rpartition("_")
        if head in METRICS and tail in GROUPS and kind == "attributed":
            metric, group = head, tail
        else:
            return None
    return MapLayer(column, metric, group, kind, unit_of(metric))


def has_value(v) -> bool:
    if v is None:
        return False
    try:
        return not math.isnan(float(v))
    except (TypeError, ValueError):
        return False


def map_layers(tables: Iterable[Mapping[str, Sequence]]) -> list[MapLayer]:
    """One map layer per value column that has a value somewhere (in any table: the run and its time
    slices), ordered by metric (the spec's order, per-group columns after their metric), then KINDS."""
    found: dict[str, MapLayer] = {}
    for table in tables:
        for col in table:
            ml = parse_column(str(col))
            if ml and ml.kind in KINDS and col not in found and any(has_value(v) for v in table[col]):
                found[col] = ml
    order = {m: i for i, m in enumerate(METRICS)}
    return sorted(found.values(), key=lambda m: (order[m.metric], m.group or "", KINDS.index(m.kind)))


def layer_note(ml: MapLayer, layers: Sequence[MapLayer], tables: Iterable[Mapping[str, Sequence]],
               elsewhere: Mapping[str, tuple[float, int]] | None = None) -> str:
    """What a view means; for people figures shared by several districts without an estimate view, why
    there is none (they are never shared out by land; geo/README.md, estimates); and what the run found of
    the metric that no district can show (`elsewhere`: metric -> (sum, figures) of the figures naming no
    district), so that a reader does not take the coloured districts for the whole."""
    note = ml.note
    if (ml.metric in PEOPLE_METRICS and ml.group is None and ml.kind in ("attributed", "upper")
            and not any(x.metric == ml.metric and x.kind == "estimate" for x in layers)
            and any(has_value(v) for t in tables for v in t.get(f"{ml.metric}_shared", ()))):
        note += " " + labels()["no_people_estimate"]
    more = elsewhere_note(ml, elsewhere)
    return f"{note} {more}" if more else note


def elsewhere_note(ml: MapLayer, elsewhere: Mapping[str, tuple[float, int]] | None) -> str:
    """"Not on this map: 110,567.7 ha in 5 figures naming no district" for a view of a metric the run
    found such figures of (the whole run's: a time slice shows it only on its "all dates" frame)."""
    if not elsewhere or ml.group is not None or ml.kind == "to_date" or ml.metric not in elsewhere:
        return ""
    value, n = elsewhere[ml.metric]
    return labels()["not_on_map"].format(value=with_unit(format_number(value), value, ml.unit),
                                         figures=counted(n, "figure"))


def filled(table: Mapping[str, Sequence], column: str) -> int:
    return sum(has_value(v) for v in table.get(column, ())) if column in table else 0


def default_layer(layers: list[MapLayer], table: Mapping[str, Sequence], metric: str | None = None) -> int:
    """The layer the map opens on.

    Without `metric`: a map of "where, and how much clearance" opens on the land cleared (`area_ha`) when
    it colours at least AREA_SHARE of the districts that the most-colouring clearance metric colours, else
    on the clearance metric whose layers colour the most districts (ties: CLEARANCE order); in its first
    view (estimate, else attributed, upper bound, to date). Casualties and other metrics only when no
    clearance metric has values. `metric` is a metric (`uxo`) or a column (`area_ha_upper`); ValueError
    when no layer has it."""
    if not layers:
        if metric:
            raise ValueError(f"metric {metric!r}: no district has a value of any metric")
        return 0
    if metric:
        for i, ml in enumerate(layers):
            if ml.column == metric or (ml.metric == metric and ml.group is None):
                return i
        known = ", ".join(dict.fromkeys(ml.metric for ml in layers))
        raise ValueError(f"metric {metric!r}: no district has a value for it (metrics with values: {known})")
    by_metric: dict[str, list[int]] = {}
    for i, ml in enumerate(layers):
        if ml.group is None:
            by_metric.setdefault(ml.metric, []).append(i)
    pref = [m for m in CLEARANCE if m in by_metric] or [m for m in METRICS if m in by_metric]
    if not pref:
        return 0

    def coloured(m: str) -> int:
        return max(filled(table, layers[i].column) for i in by_metric[m])

    best = max(pref, key=lambda m: (coloured(m), -pref.index(m)))
    if "area_ha" in pref and coloured("area_ha") >= AREA_SHARE * coloured(best):
        best = "area_ha"
    return by_metric[best][0]


@dataclass(frozen=True)
class Choice:
    """The run's opening layer and its classes: what map.html opens on, what map.png/map.svg show and
    what the QGIS style of districts.gpkg draws."""
    layer: MapLayer | None
    classes: Classes | None
    scheme: str
    k: int

    @property
    def column(self) -> str | None:
        return self.layer.column if self.layer else None


def choose(table: Mapping[str, Sequence], *, metric: str | None = None, scheme: str = "fisherjenks",
           k: int = 5) -> Choice:
    """The opening layer of a district table (column -> values) and its classes."""
    layers = map_layers([table])
    if not layers:
        default_layer(layers, table, metric)       # raises for a --metric that has no values
        return Choice(None, None, scheme, k)
    ml = layers[default_layer(layers, table, metric)]
    return Choice(ml, classify(table[ml.column], scheme, k), scheme, k)


def table_of(df) -> dict[str, list]:
    """A GeoDataFrame's value columns as a table (column -> values in row order)."""
    return {str(c): list(df[c]) for c in df.columns if c != getattr(df.geometry, "name", "geometry")}


def columns_behind(metric: str, group: str | None, alone: bool, status: str, alone_state: str | None,
                   upper_state: str | None) -> list[str]:
    """The layer columns whose value in a district a fact enters there.

    Each value has its own judgement (geo.periods): the named-alone column lists the facts naming the
    district alone that are added to it, the upper bound, shared and estimate columns those added to the
    upper bound. A people part covered by a stated total is listed under its group's column only. The
    to-date layer has the latest running total naming the district alone. `alone`: the fact names this
    district alone; `alone_state`, `upper_state`: how it is not added to the district's named-alone
    value and upper bound (None: it is added)."""
    if status == "snapshot":
        return [f"{metric}_to_date"] if alone and group is None else []
    if status not in CONTRIBUTING:
        return []
    cols = []
    if alone:
        if alone_state is None:
            cols.append(metric)
        if group and alone_state in (None, PART):
            cols.append(f"{metric}_{group}")
    if upper_state is None:
        cols += [f"{metric}_upper", f"{metric}_est"] + ([] if alone else [f"{metric}_shared"])
    return cols


def columns_aside(metric: str, group: str | None, alone: bool, status: str, alone_state: str | None,
                  upper_state: str | None) -> list[tuple[str, str]]:
    """(layer column, why: "alone" or "upper") where a fact naming a district is not added to that
    column's value there (the popups list them; arguments as columns_behind)."""
    if status not in ("summed", "set_aside"):
        return []
    out = []
    if alone and alone_state is not None:
        out.append((metric, ALONE))
        if group and alone_state != PART:
            out.append((f"{metric}_{group}", ALONE))
    if upper_state is not None:
        out += [(f"{metric}_upper", UPPER), (f"{metric}_est", UPPER)]
    return out


def facts_behind(facts) -> dict[tuple[str, str], list]:
    """(district code, layer column) -> facts whose value enters that district's value in that layer
    (columns_behind), each list in the order of `facts`."""
    out: dict[tuple[str, str], list] = {}
    for f in facts:
        alone = len(f.districts) == 1
        for code in f.districts:
            states = [(f.aside(v).get(code) or (None,))[0] for v in (ALONE, UPPER)]
            for col in columns_behind(f.metric, f.group, alone, f.status, *states):
                out.setdefault((code, col), []).append(f)
    return out


def not_added_here(facts) -> dict[tuple[str, str], list[tuple]]:
    """(district code, layer column) -> (fact, how, fact id) for the facts naming the district that are not
    added to that layer's value there, and why (the popups list them)."""
    out: dict[tuple[str, str], list[tuple]] = {}
    for f in facts:
        alone = len(f.districts) == 1
        for code in f.districts:
            states = {v: f.aside(v).get(code) for v in (ALONE, UPPER)}
            for col, view in columns_aside(f.metric, f.group, alone, f.status,
                                           *((states[v] or (None,))[0] for v in (ALONE, UPPER))):
                out.setdefault((code, col), []).append((f, *states[view]))
    return out


class Cell:
    """What a popup shows of the facts behind one district value: the first `limit` (table rows), how
    many there are, how many reports and which days they cover, and their values added up in id order."""
    __slots__ = ("shown", "count", "docs", "first", "last", "total", "limit")

    def __init__(self, limit: int) -> None:
        self.shown: list = []
        self.count = 0
        self.docs: set[int] | int = set()
        self.first = self.last = 0
        self.total = 0
        self.limit = limit

    def add(self, item, value: float = 0.0, first: int = 0, last: int = 0, docs: set[int] = frozenset()) -> None:
        self.count += 1
        if len(self.shown) < self.limit:
            self.shown.append(item)
        self.total += value
        self.docs |= docs
        if first:
            self.first = min(self.first, first) if self.first else first
            self.last = max(self.last, last)


def cells(agg, limit_behind: int, limit_aside: int) -> tuple[dict[tuple[str, str], Cell], dict[tuple[str, str], Cell]]:
    """facts_behind and not_added_here of an Aggregation, from its columns, as Cells: (code, column) ->
    Cell of table rows (behind) or of (row, how, fact id) (aside). A cell holds the facts of one metric
    naming one district, so they are taken a metric and a district at a time."""
    from minemap.corpus import GROUP_NAMES
    from minemap.extraction.record import METRICS
    from minemap.periods import HOWS, SET_ASIDE, SNAPSHOT, STATUSES, SUMMED

    t, j = agg.table, agg.judgement
    rows = j.rows()
    behind: dict[tuple[str, str], Cell] = {}
    aside: dict[tuple[str, str], Cell] = {}
    wanted = np.isin(j.status, [SUMMED, SET_ASIDE, SNAPSHOT]) & (t.ndist[rows] > 0)
    metric = t.metric[rows]
    for m in np.unique(metric[wanted]).tolist():
        for d, js, ps in j.by_district(np.nonzero(wanted & (metric == m))[0]):
            code = t.district_name(d)
            found_here: dict[tuple[str, str], Cell] = {}
            lo, hi = t.intervals(rows[js])
            for k, p, i, first, last in zip(js.tolist(), ps.tolist(), rows[js].tolist(), lo.tolist(), hi.tolist()):
                alone = t.ndist[i] == 1
                status = STATUSES[j.status[k]]
                al, up = int(j.al_how[k]), int(j.up_how[p])
                states = (HOWS[al] if alone and al else None, HOWS[up] if up else None)
                group = GROUP_NAMES[t.group[i]]
                for col in columns_behind(METRICS[m], group, alone, status, *states):
                    cell = found_here.get((code, col))
                    if cell is None:
                        cell = found_here[(code, col)] = behind[(code, col)] = Cell(limit_behind)
                    cell.add(i, float(t.value[i]), first, last, t.docs(i))
                for col, view in columns_aside(METRICS[m], group, alone, status, *states):
                    how, cover = (al, j.al_cover[k]) if view == ALONE else (up, j.up_cover[p])
                    cell = aside.get((code, col))
                    if cell is None:
                        cell = aside[(code, col)] = Cell(limit_aside)
                    cell.add((i, HOWS[how], t.fact_id(cover)))
            for cell in found_here.values():
                cell.docs = len(cell.docs)
    return behind, aside
