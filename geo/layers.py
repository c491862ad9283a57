"""The district layer: one row per district of the boundary set, joined to the aggregation's values,
and the writers of its GIS files (GeoPackage with a QGIS default style, GeoJSON, CSV)."""
from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path
from typing import Iterable

import geopandas as gpd
import pandas as pd
import pyogrio

from minemap.aggregation import Aggregation, is_text_column
from minemap.facts import json_number
from minemap.safe_text import csv_text

LAYER_NAME = "districts"
ID_COLUMNS = ["code", "name", "name_en"]
TAIL_COLUMNS = ["reports", "first_date", "last_date"]
# GDAL stamps gpkg_contents.last_change with the current time; a fixed value keeps outputs byte-identical.
FIXED_TIMESTAMP = "2000-01-01T00:00:00.000Z"
# Equal-area projection for district land areas (plausibility, upper-bound cap, estimates).
EQUAL_AREA_CRS = "EPSG:6933"
COORD_PRECISION = 6
GPKG_VERSION = "1.2"


def layer_columns(aggregation: Aggregation) -> list[str]:
    return ID_COLUMNS + list(aggregation.columns) + TAIL_COLUMNS


def district_layer(units_gdf: gpd.GeoDataFrame, aggregation: Aggregation) -> gpd.GeoDataFrame:
    """Every district of the boundary set with its values; districts no figure names are null, not 0."""
    units = units_gdf
    if units.crs is None:
        units = units.set_crs(4326)
    elif units.crs.to_epsg() != 4326:
        units = units.to_crs(4326)
    units = units.sort_values("code").reset_index(drop=True)
    data: dict[str, list] = {c: [] for c in layer_columns(aggregation)}
    for _, u in units.iterrows():
        values = aggregation.districts.get(u["code"], {})
        data["code"].append(u["code"])
        data["name"].append(u.get("name"))
        data["name_en"].append(u.get("name_en"))
        for c in aggregation.columns + TAIL_COLUMNS:
            data[c].append(values.get(c))
    df = pd.DataFrame(data)
    for c in aggregation.columns:
        if not is_text_column(c):
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
    df["reports"] = pd.array(df["reports"].tolist(), dtype="Int64")
    for c in ["code", "name", "name_en", "first_date", "last_date", *filter(is_text_column, aggregation.columns)]:
        df[c] = df[c].astype(object).where(df[c].notna(), None)
    return gpd.GeoDataFrame(df, geometry=list(units.geometry), crs="EPSG:4326")


def unit_areas_ha(units_gdf: gpd.GeoDataFrame) -> dict[str, float]:
    """District land areas in hectares (equal-area projection)."""
    g = units_gdf if units_gdf.crs is not None else units_gdf.set_crs(4326)
    areas = g.to_crs(EQUAL_AREA_CRS).geometry.area / 10_000.0
    return {code: float(a) for code, a in zip(g["code"], areas)}


def _fixed_gdal_date():
    # OGR_CURRENT_DATE replaces "now" in the GeoPackage metadata GDAL writes.
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_TIMESTAMP})


def _gdal_write(layer: gpd.GeoDataFrame, path: Path, **options) -> None:
    """GDAL writes into memory and Python writes the file: a full disk or a refused write is then an
    OSError naming the file ("No space left on device"), where GDAL itself only says that it "failed to
    commit" (the run turns OSErrors into a message)."""
    buf = io.BytesIO()
    pyogrio.write_dataframe(layer, buf, layer=LAYER_NAME, **options)
    with open(path, "wb") as fh:
        fh.write(buf.getbuffer())


def write_gpkg(layer: gpd.GeoDataFrame, path: Path, style=None) -> None:
    """districts.gpkg, layer "districts", plus a default QGIS style row in `layer_styles` (`style`: a
    geo.qgis_style.Style; default: the layer's opening view with default classes, as the maps choose it)."""
    from minemap.mapmodel import choose, table_of
    from minemap.qgis_style import add_layer_style, make_style

    path = Path(path)
    _fixed_gdal_date()
    # GeoPackage 1.2, not the 1.4 that GDAL >= 3.7 writes by default: GDAL <= 3.6 (as in QGIS 3.22 LTR on
    # Debian bookworm) warns that 1.4 "may only be partially supported". Nothing here needs 1.3/1.4 features.
    _gdal_write(layer, path, driver="GPKG", promote_to_multi=True, dataset_options={"VERSION": GPKG_VERSION})
    add_layer_style(path, LAYER_NAME, style or make_style(choose(table_of(layer)), layer=layer))
    with sqlite3.connect(path) as con:
        con.execute("UPDATE gpkg_contents SET last_change = ?", (FIXED_TIMESTAMP,))
    con.close()
    # Re-pack so that the file does not carry free pages left over by the updates above.
    con = sqlite3.connect(path)
    con.execute("VACUUM")
    con.close()


def write_geojson(layer: gpd.GeoDataFrame, path: Path) -> None:
    """RFC 7946 GeoJSON (WGS84 lon/lat, no bbox), coordinates rounded."""
    _fixed_gdal_date()
    _gdal_write(layer, Path(path), driver="GeoJSON",
                layer_options={"RFC7946": "YES", "WRITE_BBOX": "NO", "COORDINATE_PRECISION": str(COORD_PRECISION)})


def csv_value(v) -> str:
    """Cell text: empty for null, integers without '.0', lists joined by ';'."""
    if type(v) is str:  # most cells: skip the checks below (pd.isna on a string is slow)
        return v
    if v is None:
        return ""
    if isinstance(v, float) and v != v:
        return ""
    if v is pd.NA:
        return ""
    if isinstance(v, (list, tuple)):
        return ";".join(csv_value(x) for x in v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(json_number(v))
    try:
        if pd.isna(v):
            return ""
    except (TypeError, ValueError):
        pass
    if hasattr(v, "item"):
        return csv_value(v.item())
    return str(v)


def write_csv(rows: Iterable[dict], columns: list[str], path: Path, multiline: Iterable[str] = ()) -> None:
    """A CSV file whose text cells are safe in a spreadsheet (minemap.safe_text.csv_text): `multiline`
    columns keep their line breaks (one item per line), every other cell is one line."""
    keep_lines = set(multiline)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([_cell(r.get(c), c in keep_lines) for c in columns])


def _cell(v, multiline: bool) -> str:
    text = csv_value(v)
    # Only text is neutralised: a number such as -5 must stay a number for the spreadsheet.
    return csv_text(text, multiline=multiline) if isinstance(v, (str, list, tuple)) else text


def write_districts_csv(layer: gpd.GeoDataFrame, path: Path) -> None:
    """The layer's attribute table without geometry (one row per district)."""
    cols = [c for c in layer.columns if c != layer.geometry.name]
    rows = [{c: r[c] for c in cols} for r in layer[cols].to_dict("records")]
    write_csv(rows, cols, path)
