"""render_maps: map.html (interactive, folium + Leaflet), map.png and map.svg for one run.

Each map shows the district layer of the run (geo.layers.district_layer). With `by="month"|"year"` the
run is aggregated again per slice (same rules, via `slicer`) and the HTML gets a time slider.
"""
from __future__ import annotations

import math
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from minemap.extraction.record import unit_of
from minemap.classify import PALETTES, Classes, classify, format_number
from minemap.mapmodel import MapLayer, default_layer, facts_behind, labels, map_layers
from minemap.simplify import DEFAULT_DECIMALS, encode_geometry, web_geometry
from minemap.staticmap import render_static
from minemap.webmap import build_map

BY = ("month", "year")
KIND_NOTES = {
    "attributed": "Figures that name this district alone.",
    "shared": "Whole value of figures naming several districts, shown in each of them: do not add up.",
    "estimate": "Estimate: attributed values plus shares of values stated for several districts, apportioned among them (--apportion).",
}
KIND_SHORT = {"attributed": "attributed to this district", "shared": "shared with other districts",
              "estimate": "estimate (apportioned share)"}
QUALIFIER_TEXT = {"exact": "", "approx": "about ", "at_least": "at least ", "at_most": "at most "}
SCHEME_NAMES = {"fisherjenks": "Fisher-Jenks", "quantiles": "quantiles", "equalinterval": "equal intervals",
                "naturalbreaks": "natural breaks"}

# slicer(date_from, date_to) -> (district layer, aggregation) for that window.
Slicer = Callable[[str, str], tuple]


@dataclass
class Frame:
    label: str
    layer: object            # GeoDataFrame, rows in the order of the main layer
    aggregation: object | None


def render_maps(layer, aggregation, outdir, *, scheme: str = "fisherjenks", k: int = 5, by: str | None = None,
                self_contained: bool = False, title: str | None = None, slicer: Slicer | None = None,
                tolerance: float | None = None) -> list[Path]:
    """Write map.html, map.png and map.svg into `outdir` (each atomically); return their paths.

    `layer`: GeoDataFrame from geo.layers.district_layer; `aggregation`: its geo.aggregation.Aggregation
    (for the facts behind each value; may be None). With `by`, each slice is aggregated again by
    `slicer(date_from, date_to) -> (layer, aggregation)`; default: rebuilt from the aggregation's facts."""
    ctx = _Context(layer, aggregation, scheme, k, by, title, slicer)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    page = ctx.html(self_contained, tolerance)
    png, svg = ctx.static()
    paths = [outdir / "map.html", outdir / "map.png", outdir / "map.svg"]
    for path, content in zip(paths, (page.encode("utf-8"), png, svg)):
        write_atomic(path, content)
    return paths


def map_html(layer, aggregation, *, scheme: str = "fisherjenks", k: int = 5, by: str | None = None,
             self_contained: bool = False, title: str | None = None, slicer: Slicer | None = None,
             tolerance: float | None = None) -> str:
    """Only the interactive page of render_maps, as a string."""
    return _Context(layer, aggregation, scheme, k, by, title, slicer).html(self_contained, tolerance)


def map_object(layer, aggregation, *, scheme: str = "fisherjenks", k: int = 5, by: str | None = None,
               self_contained: bool = True, title: str | None = None, slicer: Slicer | None = None,
               tolerance: float | None = None):
    """The interactive page of render_maps as a `folium.Map` (for Jupyter, or `.save(path)`)."""
    return _Context(layer, aggregation, scheme, k, by, title, slicer).folium_map(self_contained, tolerance)


class _Context:
    """What the HTML and the images share: frames, map layers, default layer, classes, texts."""

    def __init__(self, layer, aggregation, scheme, k, by, title, slicer):
        if by is not None and by not in BY:
            raise ValueError(f"by must be one of {BY}, not {by!r}")
        layer = layer.reset_index(drop=True)
        if layer.crs is not None and layer.crs.to_epsg() != 4326:
            layer = layer.to_crs(4326)
        self.layer, self.aggregation = layer, aggregation
        self.frames = [Frame(_window_label(aggregation), layer, aggregation)]
        if by is not None:
            if slicer is None:
                slicer = slicer_from_aggregation(layer, aggregation)
            self.frames += slice_frames(layer, aggregation, by, slicer)
        self.mlayers = map_layers([f.layer for f in self.frames])
        self.default = default_layer(self.mlayers, layer)
        self.classes = _classes(self.frames, self.mlayers, scheme, k)
        self.title = title or "Mine action in Azerbaijan by district"
        self.subtitle = _subtitle(layer, aggregation, scheme, k)
        self.attribution = _attribution(layer, aggregation)

    def html(self, self_contained: bool, tolerance: float | None) -> str:
        return self.folium_map(self_contained, tolerance).get_root().render()

    def folium_map(self, self_contained: bool, tolerance: float | None):
        data = page_data(self.frames, self.mlayers, self.classes, self.default, self.attribution, tolerance)
        # Base tiles are an opt-in overlay of the online page only: a self-contained map requests nothing.
        data["online_tiles"] = not self_contained
        bounds = tuple(float(x) for x in self.layer.total_bounds)
        return build_map(data, title=self.title, subtitle=self.subtitle, bounds=bounds,
                         self_contained=self_contained)

    def static(self) -> tuple[bytes, bytes]:
        ml = self.mlayers[self.default] if self.mlayers else None
        return render_static(
            self.layer, ml.column if ml else None, self.classes[0][self.default] if ml else None,
            legend_title=f"{ml.label} ({ml.unit})" if ml else "No district values",
            unit=ml.unit if ml else "", title=self.title, subtitle=self.subtitle,
            note=" · ".join(self.attribution))


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

def slicer_for(figures, docs, units_gdf, *, apportion: str = "none", areas=None) -> Slicer:
    """A slicer that re-runs geo.aggregation.aggregate on a window and builds its district layer."""
    from minemap.aggregation import aggregate
    from minemap.layers import district_layer

    codes = list(units_gdf["code"])

    def run(date_from: str, date_to: str):
        agg = aggregate(figures, docs, date_from=date_from, date_to=date_to, apportion=apportion,
                        areas=areas, codes=codes)
        return district_layer(units_gdf, agg), agg

    return run


def slicer_from_aggregation(layer, aggregation) -> Slicer:
    """A slicer for when only the run's aggregation is at hand: every report behind a fact is one
    figure record (the fact's metric, group, scope and districts; the report's value, qualifier and
    period), so the figures can be rebuilt from the facts' sources and aggregated again per window."""
    from minemap.extraction.record import Document, Evidence, Figure

    facts = getattr(aggregation, "facts", None)
    if facts is None:
        raise ValueError("a time-sliced map (by=...) needs the run's aggregation or a slicer (see slicer_for)")
    figures, docs = [], {}
    for f in facts:
        for s in f.sources:
            figures.append(Figure(s.doc_id, f.metric, s.value, qualifier=s.qualifier, scope=f.scope,
                                  period_start=s.period_start, period_end=s.period_end, districts=f.districts,
                                  group=f.group, evidence=Evidence(0, len(s.evidence or ""), s.evidence or "")))
            docs.setdefault(s.doc_id, Document(s.doc_id, "", date=s.date, title=s.title, source=s.source,
                                               url=s.url))
    apportion = getattr(aggregation, "apportion", "none") or "none"
    areas = None
    units = layer[["code", "name", "name_en", "geometry"]]
    if apportion == "area":
        from minemap.layers import unit_areas_ha
        areas = unit_areas_ha(units)
    return slicer_for(figures, docs, units, apportion=apportion, areas=areas)


def slice_windows(aggregation, by: str) -> list[tuple[str, str, str]]:
    """(label, first day, last day) for every month/year between the earliest and latest dated fact
    on the map, clipped to the run's own window."""
    days: list[date] = []
    for f in getattr(aggregation, "facts", []) or []:
        if f.status in ("summed", "snapshot", "superseded", "set_aside"):
            for d in (f.period_start, f.period_end):
                if d:
                    try:
                        days.append(date.fromisoformat(d[:10]))
                    except ValueError:
                        pass
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
            nxt = date(y + (m == 12), m % 12 + 1, 1)
            label, first, last = f"{y}-{m:02d}", date(y, m, 1), date.fromordinal(nxt.toordinal() - 1)
            y, m = nxt.year, nxt.month
        # A slice never reaches outside the run's own --from/--to window.
        first, last = max(first, win_lo or first), min(last, win_hi or last)
        out.append((label, first.isoformat(), last.isoformat()))
    return out


def slice_frames(layer, aggregation, by: str, slicer: Slicer) -> list[Frame]:
    frames = []
    order = list(layer["code"])
    for label, start, end in slice_windows(aggregation, by):
        sl, agg = slicer(start, end)
        sl = sl.set_index("code").reindex(order).reset_index()
        if any(_has(v) for ml in map_layers([sl]) for v in sl[ml.column]):
            frames.append(Frame(f"{label} ({start} – {end})", sl, agg))
    return frames


# ------------------------------------------------------------------------------------- page content

def _has(v) -> bool:
    try:
        return v is not None and not math.isnan(float(v))
    except (TypeError, ValueError):
        return False


def _num(v):
    if not _has(v):
        return None
    v = round(float(v), 6)
    return int(v) if v.is_integer() and abs(v) < 2**53 else v


def _classes(frames: list[Frame], mlayers: list[MapLayer], scheme: str, k: int) -> list[list[Classes]]:
    """Per frame and layer. The whole-run frame has its own classes; slices share theirs per layer so
    that colours compare across time."""
    def values(fs, col):
        return [v for f in fs for v in (f.layer[col] if col in f.layer.columns else []) if _has(v)]

    first = [classify(values(frames[:1], ml.column), scheme, k, PALETTES[ml.kind]) for ml in mlayers]
    sliced = [classify(values(frames[1:], ml.column), scheme, k, PALETTES[ml.kind]) for ml in mlayers]
    return [first] + [sliced] * (len(frames) - 1)


def _safe_url(url) -> str | None:
    return url if isinstance(url, str) and re.match(r"(?i)^https?://", url) else None


def _fact_text(f) -> str:
    lab = labels()
    what = lab["metrics"].get(f.metric, f.metric)
    if f.group:
        what += f" ({lab['groups'].get(f.group, f.group)})"
    text = f"{QUALIFIER_TEXT.get(f.qualifier, '')}{format_number(f.value)} {unit_of(f.metric)}: {what}"
    period = " – ".join(p for p in (f.period_start, f.period_end) if p) or "undated"
    text += f" · {period} · {f.scope}"
    if len(f.districts) > 1:
        text += f" · stated for {len(f.districts)} districts together"
    return text


MAX_POPUP_FACTS = 25


def page_data(frames: list[Frame], mlayers: list[MapLayer], classes, default: int, attribution: list[str],
              tolerance: float | None = None) -> dict:
    """The JSON document the page script reads."""
    base = frames[0].layer
    geoms = web_geometry(base.geometry, **({"tolerance": tolerance} if tolerance is not None else {}))
    shapes = [encode_geometry(g, DEFAULT_DECIMALS) for g in geoms]
    index = {code: i for i, code in enumerate(base["code"])}
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
        key = (_fact_text(f), tuple(srcs))
        if key not in facts:
            facts[key] = len(fact_list)
            fact_list.append({"text": key[0], "sources": srcs})
        return facts[key]

    out_frames = []
    for fr, cls in zip(frames, classes):
        df = fr.layer
        behind = facts_behind(getattr(fr.aggregation, "facts", []) or [])
        refs: dict[int, dict[int, list[int]]] = {}
        more: dict[int, dict[int, int]] = {}
        for (code, col), fs in sorted(behind.items()):
            li = next((j for j, ml in enumerate(mlayers) if ml.column == col), None)
            if li is None or code not in index:
                continue
            # a popup lists a readable number of facts; the rest are counted and are all in facts.csv
            # (listing every fact of a 100,000-report run would make a page of tens of megabytes)
            refs.setdefault(li, {})[index[code]] = [fact_id(f) for f in fs[:MAX_POPUP_FACTS]]
            if len(fs) > MAX_POPUP_FACTS:
                more.setdefault(li, {})[index[code]] = len(fs) - MAX_POPUP_FACTS
        out_frames.append({
            "label": fr.label,
            # sparse: most districts have no value for most layers
            "values": [{str(i): _num(v) for i, v in enumerate(_col(df, ml.column)) if _has(v)} for ml in mlayers],
            "classes": [c.to_json() for c in cls],
            "refs": {str(li): {str(i): r for i, r in sorted(d.items())} for li, d in sorted(refs.items())},
            "more": {str(li): {str(i): n for i, n in sorted(d.items())} for li, d in sorted(more.items())},
            "reports": [_num(v) for v in _col(df, "reports")],
            "first": [_text(v) for v in _col(df, "first_date")],
            "last": [_text(v) for v in _col(df, "last_date")],
        })
    return {
        "layers": [ml.to_json() for ml in mlayers],
        "default_layer": default,
        "kind_notes": KIND_NOTES,
        "kind_short": KIND_SHORT,
        "districts": [{"code": str(r.code), "name": _text(getattr(r, "name", None)) or str(r.code),
                       "name_en": _text(getattr(r, "name_en", None))} for r in base.itertuples()],
        "shapes": shapes,
        "scale": 10 ** DEFAULT_DECIMALS,
        "bounds": [float(x) for x in base.total_bounds],
        "frames": out_frames,
        "facts": fact_list,
        "sources": source_list,
        "attribution": attribution,
        "online_tiles": False,
    }


def _col(df, name):
    return list(df[name]) if name in df.columns else [None] * len(df)


def _text(v) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    s = str(v)
    return s[:10] if re.match(r"\d{4}-\d{2}-\d{2}", s) else s


def _window_label(aggregation) -> str:
    a, b = getattr(aggregation, "date_from", None), getattr(aggregation, "date_to", None)
    if a or b:
        return f"{a or '…'} – {b or '…'}"
    return "All dates"


def _subtitle(layer, aggregation, scheme: str, k: int) -> str:
    parts = []
    firsts = [t for t in (_text(v) for v in _col(layer, "first_date")) if t]
    lasts = [t for t in (_text(v) for v in _col(layer, "last_date")) if t]
    a, b = getattr(aggregation, "date_from", None), getattr(aggregation, "date_to", None)
    if a or b:
        parts.append(f"window {a or '…'} – {b or '…'}")
    elif firsts and lasts:
        parts.append(f"figures dated {min(firsts)} – {max(lasts)}")
    docs = {s.doc_id for f in (getattr(aggregation, "facts", []) or []) for s in f.sources}
    if docs:
        parts.append(f"{len(docs)} reports")
    parts.append(f"classes: {SCHEME_NAMES.get(scheme, scheme)}, k={k}")
    return " · ".join(parts)


def _attribution(layer, aggregation) -> list[str]:
    lab = labels()
    # one name per outlet however its reports spell it ("AzerNews", "Azernews"): first spelling in sort order
    by_key: dict[str, str] = {}
    for name in sorted({s.source.strip() for f in (getattr(aggregation, "facts", []) or []) for s in f.sources
                        if s.source and s.source.strip()}):
        by_key.setdefault(name.casefold(), name)
    outlets = sorted(by_key.values(), key=str.casefold)
    data = lab["data_source"] + (f" ({', '.join(outlets)})" if outlets else "")
    boundary = getattr(layer, "attrs", {}).get("boundary_source") or lab["boundary_source"]
    return [data, boundary]
