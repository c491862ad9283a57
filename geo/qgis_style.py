"""A default QGIS style for districts.gpkg: a graduated choropleth with its legend, stored in the
`layer_styles` table the way QGIS itself saves "default style in the database", so the layer opens styled."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import warnings

import mapclassify
import numpy as np

from minemap.facts import fmt_number

# Metrics in order of preference for the default style: the first with data wins.
PREFERRED = ("area_ha", "explosive_items", "mines", "uxo", "ap_mines", "at_mines", "roads_km",
             "victims", "killed", "injured", "mines_mapped")
# ColorBrewer YlOrRd, 5 classes (fewer classes take the first ones evenly spread).
RAMP = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
STYLE_NAME = "minemap default"
UPDATE_TIME = "2000-01-01T00:00:00.000Z"   # fixed: the same run gives the same bytes


@dataclass(frozen=True)
class Style:
    metric: str
    breaks: tuple[tuple[float, float], ...]   # (lower, upper) per class
    colors: tuple[str, ...]


def default_metric(layer) -> str:
    """The column that fills most districts; ties go to the earlier metric, attributed before shared."""
    best, best_n = "area_ha", 0
    for m in PREFERRED:
        for col in (m, m + "_shared"):
            n = int(layer[col].notna().sum()) if col in layer.columns else 0
            if n > best_n:
                best, best_n = col, n
    return best


def classify(values, k: int = 5) -> tuple[tuple[float, float], ...]:
    """Fisher-Jenks class ranges of the non-null values (fewer classes when there are few distinct ones)."""
    vals = np.asarray([v for v in values if v is not None and v == v], dtype=float)
    if vals.size == 0:
        return ()
    uniq = np.unique(vals)
    if uniq.size <= k:
        bounds = [float(v) for v in uniq]
        lows = [bounds[0]] + bounds[:-1]
        return tuple((lo, hi) for lo, hi in zip(lows, bounds))
    with warnings.catch_warnings():  # "Numba not installed": the pure python path is fast enough for 77 values
        warnings.simplefilter("ignore")
        bins = [float(b) for b in mapclassify.FisherJenks(vals, k=k).bins]
    lows = [float(vals.min())] + bins[:-1]
    return tuple((lo, hi) for lo, hi in zip(lows, bins))


def make_style(layer, metric: str | None = None, k: int = 5) -> Style:
    metric = metric or default_metric(layer)
    breaks = classify(layer[metric].tolist() if metric in layer.columns else [], k)
    n = len(breaks)
    if n == 0:
        colors: tuple[str, ...] = ()
    elif n == 1:
        colors = (RAMP[2],)
    else:
        colors = tuple(RAMP[round(i * (len(RAMP) - 1) / (n - 1))] for i in range(n))
    return Style(metric, breaks, colors)


def _rgba(hex_color: str) -> str:
    h = hex_color.lstrip("#")
    return ",".join(str(int(h[i:i + 2], 16)) for i in (0, 2, 4)) + ",255"


def _label(lo: float, hi: float) -> str:
    return fmt_number(lo) if lo == hi else f"{fmt_number(lo)} - {fmt_number(hi)}"


def _fill_symbol(name: str, color: str) -> str:
    props = {
        "border_width_map_unit_scale": "3x:0,0,0,0,0,0", "color": _rgba(color), "joinstyle": "bevel",
        "offset": "0,0", "offset_unit": "MM", "outline_color": "90,90,90,255", "outline_style": "solid",
        "outline_width": "0.26", "outline_width_unit": "MM", "style": "solid",
    }
    opts = "".join(f'<Option name="{k}" type="QString" value="{v}"/>' for k, v in props.items())
    old = "".join(f'<prop k="{k}" v="{v}"/>' for k, v in props.items())
    return (f'<symbol type="fill" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">'
            f'<data_defined_properties><Option type="Map"><Option name="name" type="QString" value=""/>'
            f'<Option name="properties"/><Option name="type" type="QString" value="collection"/></Option>'
            f'</data_defined_properties>'
            f'<layer class="SimpleFill" enabled="1" locked="0" pass="0"><Option type="Map">{opts}</Option>{old}'
            f'</layer></symbol>')


def qml(style: Style) -> str:
    ranges = "".join(
        f'<range lower="{lo:.6f}" upper="{hi:.6f}" symbol="{i}" label={quoteattr(_label(lo, hi))} render="true"/>'
        for i, (lo, hi) in enumerate(style.breaks))
    symbols = "".join(_fill_symbol(str(i), c) for i, c in enumerate(style.colors))
    first, last = (RAMP[0], RAMP[-1])
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        '<qgis version="3.34.0-Prizren" styleCategories="Symbology">\n'
        f'<renderer-v2 type="graduatedSymbol" attr={quoteattr(style.metric)} graduatedMethod="GraduatedColor" '
        'symbollevels="0" enableorderby="0" forceraster="0" referencescale="-1">'
        f'<ranges>{ranges}</ranges><symbols>{symbols}</symbols>'
        f'<source-symbol>{_fill_symbol("0", RAMP[2])}</source-symbol>'
        '<colorramp type="gradient" name="[source]"><Option type="Map">'
        f'<Option name="color1" type="QString" value="{_rgba(first)}"/>'
        f'<Option name="color2" type="QString" value="{_rgba(last)}"/>'
        '<Option name="discrete" type="QString" value="0"/><Option name="rampType" type="QString" value="gradient"/>'
        '</Option></colorramp>'
        '<classificationMethod id="Jenks"><symmetricMode enabled="0" symmetrypoint="0" astride="0"/>'
        '<labelFormat format="%1 - %2" trimtrailingzeroes="1" labelprecision="2"/>'
        '<parameters><Option/></parameters><extraInformation/></classificationMethod>'
        '<rotation/><sizescale/></renderer-v2>\n'
        '<blendMode>0</blendMode><featureBlendMode>0</featureBlendMode>'
        '<layerGeometryType>2</layerGeometryType>\n</qgis>\n'
    )


def sld(style: Style, layer_name: str) -> str:
    rules = []
    for (lo, hi), color in zip(style.breaks, style.colors):
        prop = escape(style.metric)
        rules.append(
            f"<se:Rule><se:Name>{escape(_label(lo, hi))}</se:Name>"
            f"<se:Description><se:Title>{escape(_label(lo, hi))}</se:Title></se:Description>"
            "<ogc:Filter><ogc:And>"
            f"<ogc:PropertyIsGreaterThanOrEqualTo><ogc:PropertyName>{prop}</ogc:PropertyName>"
            f"<ogc:Literal>{lo:.6f}</ogc:Literal></ogc:PropertyIsGreaterThanOrEqualTo>"
            f"<ogc:PropertyIsLessThanOrEqualTo><ogc:PropertyName>{prop}</ogc:PropertyName>"
            f"<ogc:Literal>{hi:.6f}</ogc:Literal></ogc:PropertyIsLessThanOrEqualTo>"
            "</ogc:And></ogc:Filter>"
            f'<se:PolygonSymbolizer><se:Fill><se:SvgParameter name="fill">{color}</se:SvgParameter></se:Fill>'
            '<se:Stroke><se:SvgParameter name="stroke">#5a5a5a</se:SvgParameter>'
            '<se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke></se:PolygonSymbolizer>'
            "</se:Rule>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<StyledLayerDescriptor xmlns="http://www.opengis.net/sld" xmlns:ogc="http://www.opengis.net/ogc" '
        'xmlns:se="http://www.opengis.net/se" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="1.1.0" '
        'xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd">'
        f"<NamedLayer><se:Name>{escape(layer_name)}</se:Name><UserStyle><se:Name>{escape(layer_name)}</se:Name>"
        f"<se:FeatureTypeStyle>{''.join(rules)}</se:FeatureTypeStyle></UserStyle></NamedLayer>"
        "</StyledLayerDescriptor>\n"
    )


# The table as QGIS creates it through OGR when saving a default style into a GeoPackage.
CREATE_TABLE = """CREATE TABLE IF NOT EXISTS "layer_styles" (
 "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
 "f_table_catalog" TEXT(256), "f_table_schema" TEXT(256), "f_table_name" TEXT(256),
 "f_geometry_column" TEXT(256), "styleName" TEXT(30), "styleQML" TEXT, "styleSLD" TEXT,
 "useAsDefault" BOOLEAN, "description" TEXT, "owner" TEXT(30), "ui" TEXT(30),
 "update_time" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"""


def add_layer_style(gpkg: Path, layer_name: str, layer, style: Style | None = None) -> Style:
    """Write the default style row (and register the table in gpkg_contents as attributes, as GDAL does)."""
    style = style or make_style(layer)
    con = sqlite3.connect(gpkg)
    try:
        geom_col = con.execute(
            "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (layer_name,)).fetchone()[0]
        con.execute(CREATE_TABLE)
        con.execute("DELETE FROM layer_styles WHERE f_table_name = ?", (layer_name,))
        con.execute(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
            "styleName, styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) "
            "VALUES ('', '', ?, ?, ?, ?, ?, 1, ?, '', NULL, ?)",
            (layer_name, geom_col, STYLE_NAME, qml(style), sld(style, layer_name),
             f"Graduated ({len(style.breaks)} Fisher-Jenks classes) on {style.metric}; "
             "districts without data are not drawn", UPDATE_TIME))
        con.execute(
            "INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
            "VALUES ('layer_styles', 'attributes', 'layer_styles', '', ?)", (UPDATE_TIME,))
        has_ogr = con.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_ogr_contents'").fetchone()
        if has_ogr:
            con.execute("INSERT OR REPLACE INTO gpkg_ogr_contents (table_name, feature_count) "
                        "VALUES ('layer_styles', 1)")
        con.commit()
    finally:
        con.close()
    return style
