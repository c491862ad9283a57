"""render_maps: map.html (interactive, folium + Leaflet), map.png and map.svg for one run.

Each map shows the district layer of the run (geo.layers.district_layer). With `by="month"|"year"` the
run is seen through one window per month or year (Aggregation.window: the same rules, per slice) and the
HTML gets a time slider. The opening layer and its classes are the run's `Choice` (geo.mapmodel), which
the QGIS style of districts.gpkg shares.
"""
from __future__ import annotations

import calendar
import math
import os
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from minemap.classify import Classes, classify, format_number, with_unit
from minemap.extraction.record import unit_of
from minemap.fact_table import CUMULATIVE, iso as _iso
from minemap.facts import ALONE, UPPER, interval, parse_date
from minemap.mapmodel import (Choice, MapLayer, cells, choose, elsewhere_note, has_value, labels, layer_note, map_layers,
                              table_of)
from minemap.periods import STATUSES, why
from minemap.simplify import DEFAULT_DECIMALS, encode_geometry, web_geometry
from minemap.staticmap import render_static, static_figure
from minemap.webmap import build_map
from minemap.wording import counted

BY = ("month", "year")
# the statuses of the facts whose days the time slider spans
SLICED = ("summed", "unplaced", "snapshot", "superseded", "set_aside")
STATUS_CODE = {s: i for i, s in enumerate(STATUSES)}
QUALIFIER_TEXT = {"exact": "", "approx": "about ", "at_least": "at least ", "at_most": "at most "}
MAX_POPUP_FACTS = 25
MAX_POPUP_ASIDE = 10      # facts not added listed in a popup (then a count; all are in facts.csv)


@dataclass
class Frame:
    label: str
    subtitle: str
    table: dict[str, list]          # column -> values in the order of the layer's rows
    aggregation: object | None


def render_maps(layer, aggregation, outdir, *, scheme: str = "fisherjenks", k: int = 5, by: str | None = None,
                metric: str | None = None, title: str | None = None, attribution: str | None = None,
                self_contained: bool = True, choice: Choice | None = None,
                tolerance: float | None = None) -> list[Path]:
    """Write map.html, map.png and map.svg into `outdir` (each atomically); return their paths.

    `layer`: GeoDataFrame from geo.layers.district_layer; `aggregation`: its geo.aggregation.Aggregation
    (for the facts behind each value and for time slices; may be None without `by`). `metric`: the
    opening layer (a metric or a column; default: the clearance metric that colours most districts).
    `title`, `attribution`: shown on every map (the attribution before the data and boundary credits).
    `self_contained`: Leaflet inlined (default) or linked from its CDN. `choice`: the run's opening layer
    and classes when already made (Run.save shares it with the QGIS style)."""
    ctx = _Context(layer, aggregation, scheme=scheme, k=k, by=by, metric=metric, title=title,
                   attribution=attribution, choice=choice)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    page = ctx.html(self_contained, tolerance)
    png, svg = ctx.static()
    paths = [outdir / "map.html", outdir / "map.png", outdir / "map.svg"]
    for path, content in zip(paths, (page.encode("utf-8"), png, svg)):
        write_atomic(path, content)
    return paths


def map_html(layer, aggregation, *, self_contained: bool = True, tolerance: float | None = None, **opts) -> str:
    """Only the interactive page of render_maps, as a string (same options)."""
    return _Context(layer, aggregation, **opts).html(self_contained, tolerance)


def map_object(layer, aggregation, *, self_contained: bool = True, tolerance: float | None = None, **opts):
    """The interactive page of render_maps as a `folium.Map` (for Jupyter, or `.save(path)`)."""
    return _Context(layer, aggregation, **opts).folium_map(self_contained, tolerance)


def map_figure(layer, aggregation, **opts):
    """The still image of render_maps (map.png, map.svg) as a matplotlib Figure (same options but `by`)."""
    return _Context(layer, aggregation, **opts).figure()


class _Context:
    """What the HTML and the images share: frames, map layers, opening layer, classes, texts."""

    def __init__(self, layer, aggregation, *, scheme: str = "fisherjenks", k: int = 5, by: str | None = None,
                 metric: str | None = None, title: str | None = None, attribution: str | None = None,
                 choice: Choice | None = None):
        if by is not None and by not in BY:
            raise ValueError(f"by must be one of {BY}, not {by!r}")
        layer = layer.reset_index(drop=True)
        if layer.crs is not None and layer.crs.to_epsg() != 4326:
            layer = layer.to_crs(4326)
        self.layer, self.aggregation = layer, aggregation
        table = table_of(layer)
        self.choice = choice or choose(table, metric=metric, scheme=scheme, k=k)
        self.frames = [Frame(_window_label(aggregation), _subtitle(aggregation, table), table, aggregation)]
        if by is not None:
            if getattr(aggregation, "facts", None) is None:
                raise ValueError("a time-sliced map (by=...) needs the run's aggregation")
            self.frames += slice_frames(list(layer["code"]), aggregation, by)
        self.mlayers = map_layers([f.table for f in self.frames])
        columns = [ml.column for ml in self.mlayers]
        self.default = columns.index(self.choice.column) if self.choice.column in columns else 0
        self.classes = _classes(self.frames, self.mlayers, self.choice, scheme, k)
        self.title = title or labels()["title"]
        self.attribution = ([attribution] if attribution else []) + _attribution(layer, aggregation)
        self.elsewhere = not_on_map(aggregation)

    def html(self, self_contained: bool, tolerance: float | None) -> str:
        return self.folium_map(self_contained, tolerance).get_root().render()

    def folium_map(self, self_contained: bool, tolerance: float | None):
        data = page_data(self.frames, self.mlayers, self.classes, self.default, self.attribution,
                         self.layer.geometry, tolerance, self.elsewhere)
        # Base tiles are an opt-in overlay of the online page only: a self-contained map requests nothing.
        data["online_tiles"] = not self_contained
        bounds = tuple(float(x) for x in self.layer.total_bounds)
        return build_map(data, title=self.title, subtitle=self.frames[0].subtitle, bounds=bounds,
                         self_contained=self_contained)

    def static(self) -> tuple[bytes, bytes]:
        return render_static(self.layer, **self._static_args())

    def figure(self):
        return static_figure(self.layer, **self._static_args())

    def _static_args(self) -> dict:
        ml, classes = self.choice.layer, self.choice.classes
        return dict(
            column=ml.column if ml else None, classes=classes,
            legend_title=ml.legend_title if ml else "No district values",
            unit=ml.unit if ml else "", title=self.title,
            subtitle=" · ".join(t for t in (self.frames[0].subtitle, classes.text if classes else "") if t),
            note=" · ".join(self.attribution),
            kind_note=layer_note(ml, self.mlayers, [f.table for f in self.frames], self.elsewhere) if ml else "",
            no_data=ml.no_data if ml else labels()["no_data"])


def write_atomic(path: Path, content: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ---------------------------------------------------------------------------------------------- time

def _slice_key(day: date, by: str) -> str:
    return f"{day.year}" if by == "year" else f"{day.year}-{day.month:02d}"


def _fact_days(f) -> tuple[date, date] | None:
    """The days a fact occupies for slicing: a running total its as-of date, others their period."""
    if f.scope == "cumulative":
        asof = parse_date(f.period_end)
        return (asof, asof) if asof else None
    return interval(f)


def _day_spans(aggregation) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per fact of an Aggregation: its status code and the first and last day it occupies for slicing
    (_fact_days; 0, 0 when none)."""
    t, j = aggregation.table, aggregation.judgement
    rows = j.rows()
    lo, hi = t.intervals(rows)
    asof = t.end[rows]
    cumulative = t.scope[rows] == CUMULATIVE
    return j.status, np.where(cumulative, asof, lo), np.where(cumulative, asof, hi)


def slice_windows(aggregation, by: str) -> list[tuple[str, str, str]]:
    """(label, first day, last day) for every month/year between the earliest and latest dated fact
    of the run, clipped to the run's own window. Months without data are slices too (empty frames).
    `aggregation`: an Aggregation, or any object with `facts` (Fact objects) and `date_from`/`date_to`."""
    if hasattr(aggregation, "judgement"):
        status, first, last = _day_spans(aggregation)
        keep = np.isin(status, [STATUS_CODE[s] for s in SLICED]) & (first != 0)
        days = [date.fromordinal(int(first[keep].min())), date.fromordinal(int(last[keep].max()))] if keep.any() else []
    else:
        days = []
        for f in getattr(aggregation, "facts", []) or []:
            if f.status in SLICED:
                iv = _fact_days(f)
                if iv:
                    days += iv
    if not days:
        return []
    lo, hi = min(days), max(days)
    win_lo = date.fromisoformat(aggregation.date_from) if getattr(aggregation, "date_from", None) else None
    win_hi = date.fromisoformat(aggregation.date_to) if getattr(aggregation, "date_to", None) else None
    lo, hi = max(lo, win_lo or lo), min(hi, win_hi or hi)
    out = []
    y, m = lo.year, lo.month if by == "month" else 1
    while (y, m) <= (hi.year, hi.month if by == "month" else 1):
        if by == "year":
            label, first, last = f"{y}", date(y, 1, 1), date(y, 12, 31)
            y += 1
        else:
            label, first = f"{y}-{m:02d}", date(y, m, 1)
            last = date(y, m, calendar.monthrange(y, m)[1])
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        # A slice never reaches outside the run's own --from/--to window.
        first, last = max(first, win_lo or first), min(last, win_hi or last)
        out.append((label, first.isoformat(), last.isoformat()))
    return out


def slice_frames(codes: list[str], aggregation, by: str) -> list[Frame]:
    """One frame per month or year, empty ones included. Each fact is offered only to the slice that
    can hold it (its period inside one month or year), so slicing stays linear in the number of facts."""
    buckets: dict[str, list[int]] = defaultdict(list)
    status, first, last = _day_spans(aggregation)
    rows = aggregation.judgement.rows()
    for k in np.nonzero((status != STATUS_CODE["excluded"]) & (first != 0))[0].tolist():
        a, b = _slice_key(date.fromordinal(int(first[k])), by), _slice_key(date.fromordinal(int(last[k])), by)
        if a == b:
            buckets[a].append(int(rows[k]))
    frames = []
    for label, start, end in slice_windows(aggregation, by):
        agg = aggregation.window(start, end, candidates=buckets.get(label, []))
        table = {c: [agg.districts.get(code, {}).get(c) for code in codes] for c in agg.columns}
        frames.append(Frame(f"{label} ({start} – {end})", _subtitle(agg, table, label), table, agg))
    return frames


# ------------------------------------------------------------------------------------- page content

def _num(v):
    if not has_value(v):
        return None
    v = round(float(v), 6)
    return int(v) if v.is_integer() and abs(v) < 2**53 else v


def _classes(frames: list[Frame], mlayers: list[MapLayer], choice: Choice, scheme: str,
             k: int) -> list[list[Classes]]:
    """Per frame and layer. The whole-run frame has its own classes (for the opening layer: the run's
    choice, which the images and the QGIS style use); slices share theirs per layer so that colours
    compare across time."""
    def values(fs, col):
        return [v for f in fs for v in f.table.get(col, ()) if has_value(v)]

    first = [choice.classes if ml.column == choice.column else classify(values(frames[:1], ml.column), scheme, k)
             for ml in mlayers]
    sliced = [classify(values(frames[1:], ml.column), scheme, k) for ml in mlayers] if len(frames) > 1 else []
    return [first] + [sliced] * (len(frames) - 1)


def _safe_url(url) -> str | None:
    return url if isinstance(url, str) and re.match(r"(?i)^https?://", url) else None


def _fact_text(f) -> str:
    lab = labels()
    what = lab["metrics"].get(f.metric, f.metric)
    if f.group:
        what += f" ({lab['groups'].get(f.group, f.group)})"
    unit = unit_of(f.metric)
    text = f"{f.id} · {QUALIFIER_TEXT.get(f.qualifier, '')}{with_unit(format_number(f.value), f.value, unit)}: {what}"
    period = " – ".join(p for p in (f.period_start, f.period_end) if p) or "undated"
    text += f" · {period}{' (dates inferred)' if f.period_inferred else ''} · {f.scope}"
    if len(f.districts) > 1:
        text += f" · stated for {len(f.districts)} districts together"
    return text


def _layer_notes(ml: MapLayer, table: dict[str, list], behind: dict, codes: list[str]) -> dict[int, str]:
    """Per district, what the value of this view rests on (sparse). `behind`: the frame's cells
    (geo.mapmodel.cells)."""
    out: dict[int, str] = {}
    col = ml.column
    if ml.kind == "estimate":
        for i, b in enumerate(table.get(f"{ml.metric}_est_basis", ())):
            if b:
                out[i] = str(b)
    elif ml.kind == "to_date":
        for i, a in enumerate(table.get(f"{ml.metric}_as_of", ())):
            if a:
                out[i] = f"since the war, as of {a}"
    elif ml.kind == "upper":
        for i, v in enumerate(table.get(col, ())):
            # the facts added to the upper bound (a figure named alone inside a shared one is not)
            cell = behind.get((codes[i], col))
            total = cell.total if cell is not None else 0
            if has_value(v) and total > float(v) + 1e-6:
                out[i] = (f"capped at the district's land; the figures add up to "
                          f"{with_unit(format_number(total), total, ml.unit)}")
    return out


def page_data(frames: list[Frame], mlayers: list[MapLayer], classes, default: int, attribution: list[str],
              geometry, tolerance: float | None = None, elsewhere: dict | None = None) -> dict:
    """The JSON document the page script reads."""
    base = frames[0].table
    geoms = web_geometry(geometry, **({"tolerance": tolerance} if tolerance is not None else {}))
    shapes = [encode_geometry(g, DEFAULT_DECIMALS) for g in geoms]
    codes = list(base["code"])
    index = {code: i for i, code in enumerate(codes)}
    column_index = {ml.column: j for j, ml in enumerate(mlayers)}
    sources: dict[tuple, int] = {}
    facts: dict[tuple, int] = {}
    source_list, fact_list = [], []

    def source_id(s) -> int:
        key = (s.doc_id, s.source, s.date, s.title, _safe_url(s.url), s.evidence)
        if key not in sources:
            sources[key] = len(source_list)
            source_list.append({"doc_id": s.doc_id, "outlet": s.source, "date": s.date, "title": s.title,
                                "url": key[4], "evidence": s.evidence})
        return sources[key]

    def fact_id(f) -> int:
        srcs = [source_id(s) for s in f.sources]
        basis = "; ".join(b for b in (f.basis, f.counted_basis) if b) if len(f.districts) > 1 else ""
        key = (_fact_text(f), basis, tuple(srcs))
        if key not in facts:
            facts[key] = len(fact_list)
            fact_list.append({"text": key[0], "basis": key[1] or None, "sources": srcs})
        return facts[key]

    def classes_json(cls):
        return [dict(c.to_json(), legend=list(c.legend(ml.unit))) for c, ml in zip(cls, mlayers)]

    out_frames = []
    for n, (fr, cls) in enumerate(zip(frames, classes)):
        agg = fr.aggregation
        # a popup lists a readable number of facts; the rest are counted and are all in facts.csv
        # (listing every fact of a 100,000-report run would make a page of tens of megabytes)
        behind, not_added = (cells(agg, MAX_POPUP_FACTS, MAX_POPUP_ASIDE) if hasattr(agg, "judgement")
                             else ({}, {}))
        shown_here = [(key, cell) for key, cell in sorted(not_added.items())
                      if column_index.get(key[1]) is not None and index.get(key[0]) is not None]
        behind_here = [(key, cell) for key, cell in sorted(behind.items())
                       if column_index.get(key[1]) is not None and index.get(key[0]) is not None]
        wanted = {e[0] for _, cell in shown_here for e in cell.shown} | {r for _, c in behind_here for r in c.shown}
        by_row = ({int(f.id[1:]) - 1: f for f in agg.table.facts(sorted(wanted), agg.judgement)}
                  if wanted else {})
        aside: dict[int, dict[int, list]] = {}
        for (code, col), cell in shown_here:
            li, i = column_index[col], index[code]
            aside.setdefault(li, {})[i] = [
                [fact_id(by_row[row]), why(how, cover), _counts_elsewhere(by_row[row], mlayers[li].kind)]
                for row, how, cover in cell.shown] + ([cell.count - MAX_POPUP_ASIDE]
                                                      if cell.count > MAX_POPUP_ASIDE else [])
        refs: dict[int, dict[int, list[int]]] = {}
        more: dict[int, dict[int, int]] = {}
        shares: dict[int, dict[int, list]] = {}
        meta: dict[int, dict[int, list]] = {}
        for (code, col), cell in behind_here:
            li, i = column_index[col], index[code]
            shown = [by_row[row] for row in cell.shown]
            refs.setdefault(li, {})[i] = [fact_id(f) for f in shown]
            if cell.count > MAX_POPUP_FACTS:
                more.setdefault(li, {})[i] = cell.count - MAX_POPUP_FACTS
            if mlayers[li].kind == "estimate":
                shares.setdefault(li, {})[i] = [_num(_share(f, code)) for f in shown]
            meta.setdefault(li, {})[i] = [cell.docs, _iso(cell.first), _iso(cell.last)]
        out_frames.append({
            "label": fr.label,
            "subtitle": fr.subtitle,
            # sparse: most districts have no value for most layers
            "values": [{str(i): _num(v) for i, v in enumerate(fr.table.get(ml.column, ())) if has_value(v)}
                       for ml in mlayers],
            # time slices share one set of classes (sent once, below); the whole run has its own
            **({"classes": classes_json(cls)} if n == 0 else {}),
            "refs": _sparse(refs), "more": _sparse(more), "shares": _sparse(shares), "meta": _sparse(meta),
            "notes": [{str(i): t for i, t in sorted(_layer_notes(ml, fr.table, behind, codes).items())}
                      for ml in mlayers],
            "aside": _sparse(aside),
        })
    layers = []
    for ml in mlayers:
        entry = ml.to_json()
        entry["note"] = layer_note(ml, mlayers, [fr.table for fr in frames])
        entry["elsewhere"] = elsewhere_note(ml, elsewhere)     # the whole run's: shown on its frame only
        if ml.group is None:    # the bounds of its metric, for the range and for districts with no value
            entry["lower"] = column_index.get(ml.metric)
            entry["upper"] = column_index.get(f"{ml.metric}_upper")
        layers.append(entry)
    return {
        "layers": layers,
        "default_layer": default,
        "districts": [{"code": str(c), "name": _text(n) or str(c), "name_en": _text(e)}
                      for c, n, e in zip(codes, base.get("name", [None] * len(codes)),
                                         base.get("name_en", [None] * len(codes)))],
        "shapes": shapes,
        "scale": 10 ** DEFAULT_DECIMALS,
        "bounds": _bounds(geoms),
        "frames": out_frames,
        "slice_classes": classes_json(classes[1]) if len(classes) > 1 else [],
        "facts": fact_list,
        "sources": source_list,
        "attribution": attribution,
        "no_data": labels()["no_data"],
        "online_tiles": False,
    }


def _sparse(d: dict[int, dict[int, object]]) -> dict:
    return {str(li): {str(i): r for i, r in sorted(x.items())} for li, x in sorted(d.items())}


def _share(f, code: str):
    if len(f.districts) == 1:
        return f.value
    if not f.counted:
        return None
    return f.counted[f.districts.index(code)]


def _counts_elsewhere(f, kind: str) -> str | None:
    """For a fact naming one district that is not added to this view's value: the other value it counts
    in, if any (a month named alone inside an annual report for several districts is in the lower bound)."""
    if len(f.districts) != 1:
        return None
    if kind == "attributed":
        return "upper bound" if f.added_in(UPPER) else None
    return "named-alone value" if f.added_in(ALONE) else None


def _bounds(geoms) -> list[float]:
    import shapely

    return [float(x) for x in shapely.total_bounds(geoms)]


def _text(v) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    s = str(v)
    return s[:10] if re.match(r"\d{4}-\d{2}-\d{2}", s) else s


def not_on_map(aggregation) -> dict[str, tuple[float, int]]:
    """Per metric, (sum, number) of the run's figures that name no district: counted in the summary, on no
    district. Whole-metric figures only (a per-group part of such a total is inside it)."""
    try:
        totals = aggregation.summary["unplaced"]["totals"]
    except (AttributeError, KeyError, TypeError):
        return {}
    return {row["metric"]: (float(row["value"]), len(row["facts"])) for row in totals
            if row["group"] is None and row["value"]}


def _window_label(aggregation) -> str:
    a, b = getattr(aggregation, "date_from", None), getattr(aggregation, "date_to", None)
    if a or b:
        return f"{a or '…'} – {b or '…'}"
    return "All dates"


def _subtitle(aggregation, table: dict[str, list], label: str | None = None) -> str:
    """What a frame shows: its window or the dates of its figures, and how many reports stand behind it."""
    parts = []
    firsts = [t for t in (_text(v) for v in table.get("first_date", ())) if t]
    lasts = [t for t in (_text(v) for v in table.get("last_date", ())) if t]
    a, b = getattr(aggregation, "date_from", None), getattr(aggregation, "date_to", None)
    if label:
        parts.append(f"{label} ({a} – {b})")
    elif a or b:
        parts.append(f"window {a or '…'} – {b or '…'}")
    elif firsts and lasts:
        parts.append(f"figures dated {min(firsts)} – {max(lasts)}")
    n = _reports(aggregation)
    parts.append(counted(n, "report") if n else "no reports")
    return " · ".join(parts)


def _reports(aggregation) -> int:
    """How many reports state the facts of an aggregation that are not outside its window."""
    if not hasattr(aggregation, "judgement"):
        return len({s.doc_id for f in (getattr(aggregation, "facts", []) or []) if f.status != "excluded"
                    for s in f.sources})
    t, j = aggregation.table, aggregation.judgement
    rows = j.rows_of(j.status != STATUS_CODE["excluded"])
    return len(t.documents_of(rows)) if len(rows) else 0


def _outlets(aggregation) -> set[str]:
    """The outlets of the reports behind an aggregation's facts."""
    if not hasattr(aggregation, "judgement"):
        return {s.source for f in (getattr(aggregation, "facts", []) or []) for s in f.sources}
    t = aggregation.table
    rows = aggregation.judgement.rows()
    return set(t.corpus.store.outlets(t.documents_of(rows).tolist()))


def _attribution(layer, aggregation) -> list[str]:
    lab = labels()
    # one name per outlet however its reports spell it ("AzerNews", "Azernews"): first spelling in sort order
    by_key: dict[str, str] = {}
    for name in sorted({o.strip() for o in _outlets(aggregation) if o and o.strip()}):
        by_key.setdefault(name.casefold(), name)
    outlets = sorted(by_key.values(), key=str.casefold)
    data = lab["data_source"] + (f" ({', '.join(outlets)})" if outlets else "")
    boundary = getattr(layer, "attrs", {}).get("boundary_source") or lab["boundary_source"]
    return [data, boundary]

