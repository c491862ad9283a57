"""District polygons: the embedded Natural Earth set, user-supplied boundary files, and exports.

All real file I/O goes through GDAL (pyogrio). Every frame returned here has the columns
code, name, name_en, kind, geometry, in EPSG:4326, one row per unit, sorted by code.
"""
from __future__ import annotations

import math
import os
import shutil
import tempfile
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from minemap.boundaries.errors import BoundaryError
from minemap.boundaries.gazetteer import default_gazetteer
from minemap.boundaries.units import CODES, GROUPING_CODES, UNITS, unit

COLUMNS = ["code", "name", "name_en", "kind", "geometry"]
EXPORT_FORMATS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GPKG", ".shp": "ESRI Shapefile", ".csv": "CSV"}
# GeoPackage stores a modification time; pin it so that the same layer gives the same bytes.
_FIXED_DATE = "2000-01-01T00:00:00Z"


@dataclass
class MatchReport:
    """How the features of a user file were matched to the 77 units."""

    path: str
    field: str
    matched: list[tuple[int, str, str]] = field(default_factory=list)  # (feature index, value, code)
    unmatched: list[tuple[int, str, str]] = field(default_factory=list)  # (feature index, value, reason)
    missing_units: list[str] = field(default_factory=list)  # codes with no feature
    dissolved: dict[str, int] = field(default_factory=dict)  # code -> number of features merged
    repaired: list[tuple[int, str]] = field(default_factory=list)  # (feature index, value) made valid
    reprojected_from: str | None = None
    layer: str | None = None       # the layer read, for files with several
    dropped_z: bool = False        # the file had heights (Z), which a district map does not use

    @property
    def complete(self) -> bool:
        return not self.unmatched and not self.missing_units

    def lines(self) -> list[str]:
        """Human-readable summary, one line per finding."""
        where = f"{self.path} (layer {self.layer!r})" if self.layer else self.path
        out = [f"{where}: {len(self.matched)} feature(s) matched {len(self.matched_codes)} of {len(UNITS)} units "
               f"by field {self.field!r}"]
        if self.dropped_z:
            out.append("Z coordinates (heights) dropped: the map is 2-D")
        if self.reprojected_from:
            out.append(f"reprojected from {self.reprojected_from} to EPSG:4326")
        for code, n in sorted(self.dissolved.items()):
            out.append(f"{code}: {n} features dissolved into one")
        for i, value in self.repaired:
            out.append(f"feature {i} ({value!r}): invalid geometry repaired")
        for i, value, reason in self.unmatched:
            out.append(f"feature {i} ({value!r}) matches no unit: {reason}")
        if self.missing_units:
            out.append(f"{len(self.missing_units)} unit(s) with no feature: "
                       + ", ".join(f"{c} {unit(c).name}" for c in self.missing_units))
        return out

    @property
    def matched_codes(self) -> list[str]:
        return sorted({c for _, _, c in self.matched})


def _frame(rows: list[dict]) -> gpd.GeoDataFrame:
    gdf = gpd.GeoDataFrame(rows, columns=COLUMNS, geometry="geometry", crs="EPSG:4326")
    return gdf.sort_values("code", kind="stable").reset_index(drop=True)


def load_embedded() -> gpd.GeoDataFrame:
    """The 77 units with the embedded Natural Earth polygons (see data/ATTRIBUTION.md)."""
    with resources.as_file(resources.files("minemap.boundaries").joinpath("data/districts.geojson")) as path:
        gdf = pyogrio.read_dataframe(path)
    gdf = gdf.set_crs("EPSG:4326", allow_override=True)[COLUMNS]
    return gdf.sort_values("code", kind="stable").reset_index(drop=True)


def _read(path: Path, layer: str | None) -> tuple[gpd.GeoDataFrame, str | None]:
    """The layer's features and the name of the layer read (None for single-layer formats)."""
    if not path.exists():
        raise BoundaryError(f"{path}: no such file")
    options = {}
    if path.suffix.lower() == ".csv":  # our own CSV export keeps the geometry as WKT in column "wkt"
        options = {"GEOM_POSSIBLE_NAMES": "wkt,WKT,geometry,the_geom", "KEEP_GEOM_COLUMNS": "NO"}
    try:
        layer = _choose_layer(path, layer)
        return pyogrio.read_dataframe(path, layer=layer, **options), layer
    except BoundaryError:
        raise
    except Exception as exc:  # GDAL's own error types vary by driver; the message is what the user needs
        raise BoundaryError(f"{path}: cannot read as a boundary file ({exc})") from None


def _choose_layer(path: Path, layer: str | None) -> str | None:
    """The layer named by the user, or the file's only layer with geometry. A file with several (a
    GeoPackage whose first layer may be a decoy) needs `layer`: guessing could map the wrong polygons."""
    layers = [(str(name), geom) for name, geom in pyogrio.list_layers(path)]
    spatial = [name for name, geom in layers if geom is not None]
    listing = ", ".join(f"{name!r} ({geom or 'no geometry'})" for name, geom in layers)
    if layer is not None:
        if layer not in dict(layers):
            raise BoundaryError(f"{path}: no layer {layer!r}; the layers are: {listing}")
        return layer
    if len(spatial) > 1:
        raise BoundaryError(f"{path}: {len(spatial)} layers with geometry; say which one holds the districts "
                            f"with --layer NAME (layer= in Python): {listing}")
    return spatial[0] if spatial and len(layers) > 1 else None


def _check_coordinates(path: Path, raw: gpd.GeoDataFrame, what: str) -> None:
    """Degrees must be degrees: coordinates in metres labelled EPSG:4326 (or any other nonsense such as a
    latitude of 1000) would give empty or wrong polygons downstream."""
    bounds = raw.geometry.bounds
    if bounds.empty:
        return
    minx, miny = bounds["minx"].min(), bounds["miny"].min()
    maxx, maxy = bounds["maxx"].max(), bounds["maxy"].max()
    finite = all(map(math.isfinite, (minx, miny, maxx, maxy)))
    if not (finite and -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise BoundaryError(f"{path}: coordinates {what} are outside longitude -180..180 / latitude -90..90 "
                            f"(x {minx:g}..{maxx:g}, y {miny:g}..{maxy:g}); are they metres in a file that "
                            f"says degrees? Give the file its real coordinate reference system")


def _polygonal(geom):
    if geom.geom_type == "GeometryCollection":
        parts = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        return shapely.union_all(parts) if parts else shapely.Polygon()
    return geom


def load_user(path, code_field: str | None = None, name_field: str | None = None, layer: str | None = None
              ) -> tuple[gpd.GeoDataFrame, MatchReport]:
    """A user's boundary file as units: matched by ISO code (`code_field`) or by name through the gazetteer
    (`name_field`), reprojected to EPSG:4326, invalid geometries repaired (with a warning), several features
    of one unit dissolved, heights (Z) dropped. `layer`: which layer of a multi-layer file (required when
    several have geometry). Raises BoundaryError on unreadable files, missing fields or layers, empty
    layers, and coordinates that cannot be what the file's coordinate reference system says."""
    path = Path(path)
    if not code_field and not name_field:
        raise BoundaryError(f"{path}: say which field holds the ISO codes (code_field) or the names (name_field)")
    raw, layer = _read(path, layer)
    if not isinstance(raw, gpd.GeoDataFrame) or "geometry" not in raw.columns:
        raise BoundaryError(f"{path}: the layer has no geometry column")
    if len(raw) == 0:
        raise BoundaryError(f"{path}: the layer is empty (no features)")
    for f in (code_field, name_field):
        if f and f not in raw.columns:
            fields = ", ".join(c for c in raw.columns if c != "geometry")
            raise BoundaryError(f"{path}: no field {f!r}; the fields are: {fields}")

    report = MatchReport(path=str(path), field=code_field or name_field, layer=layer)
    if raw.geometry.has_z.any():
        raw = raw.set_geometry(shapely.force_2d(raw.geometry.values), crs=raw.crs)
        report.dropped_z = True
    if raw.crs is None:
        minx, miny, maxx, maxy = raw.total_bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise BoundaryError(f"{path}: no coordinate reference system, and the coordinates are not degrees")
        warnings.warn(f"{path}: no coordinate reference system given; assuming EPSG:4326", stacklevel=2)
        raw = raw.set_crs("EPSG:4326")
    elif not raw.crs.equals("EPSG:4326"):
        if raw.crs.is_geographic:
            _check_coordinates(path, raw, f"in {raw.crs.to_string()}")
        report.reprojected_from = raw.crs.to_string()
        raw = raw.to_crs("EPSG:4326")
    _check_coordinates(path, raw, "in EPSG:4326" if report.reprojected_from is None
                       else f"reprojected from {report.reprojected_from}")

    gaz = default_gazetteer()
    parts: dict[str, list] = {}
    fields = [(raw[f].tolist(), by_code) for f, by_code in ((code_field, True), (name_field, False)) if f]
    for i, geom in enumerate(raw.geometry):
        code, value, reason = None, "", "empty value"
        for values, by_code in fields:
            v = values[i]
            if v is None or (isinstance(v, float) and pd.isna(v)) or not str(v).strip():
                continue
            value = str(v).strip()
            code = _code_of(value) if by_code else gaz.resolve(value)
            if code in GROUPING_CODES:
                code, reason = None, f"{value} is a grouping of units, not a unit"
            elif code is None:
                reason = "not an ISO 3166-2:AZ code" if by_code else "name not in the gazetteer"
            if code:
                break
        if code is None:
            report.unmatched.append((i, value, reason))
            continue
        if geom is None or geom.is_empty:
            report.unmatched.append((i, value, "feature has no geometry"))
            continue
        if not geom.is_valid:
            warnings.warn(f"{path}: feature {i} ({value!r}): invalid geometry "
                          f"({shapely.is_valid_reason(geom)}); repaired", stacklevel=2)
            geom = _polygonal(shapely.make_valid(geom))
            report.repaired.append((i, value))
        geom = _polygonal(geom)
        if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
            report.unmatched.append((i, value, f"geometry is {geom.geom_type}, not an area"))
            continue
        report.matched.append((i, value, code))
        parts.setdefault(code, []).append(geom)

    if not parts:
        raise BoundaryError(f"{path}: no feature matches any of the {len(UNITS)} units by field "
                            f"{report.field!r} (first values: {', '.join(repr(v) for _, v, _ in report.unmatched[:5])})")
    rows = []
    for code, geoms in parts.items():
        if len(geoms) > 1:
            report.dissolved[code] = len(geoms)
        geom = shapely.union_all(geoms) if len(geoms) > 1 else geoms[0]
        u = unit(code)
        rows.append({"code": code, "name": u.name, "name_en": u.name_en, "kind": u.kind, "geometry": _polygonal(geom)})
    report.missing_units = sorted(CODES - set(parts))
    return _frame(rows), report


def _code_of(value: str) -> str | None:
    v = value.strip().upper().replace("_", "-")
    if v in CODES or v in GROUPING_CODES:
        return v
    if f"AZ-{v}" in CODES:  # a code field that dropped the country prefix ("AGM")
        return f"AZ-{v}"
    return None


@contextmanager
def _gdal_options(**options):
    old = pyogrio.get_gdal_config_option
    saved = {k: old(k) for k in options}
    pyogrio.set_gdal_config_options(options)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(saved)


def export(gdf: gpd.GeoDataFrame, path) -> Path:
    """Write `gdf` to `path`, format from the extension (.geojson RFC 7946, .gpkg, .shp, .csv with WKT).
    The file appears complete or not at all (written next to it, then renamed)."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in EXPORT_FORMATS:
        raise BoundaryError(f"{path}: unknown format {ext or '(no extension)'}; use one of "
                            + ", ".join(sorted(EXPORT_FORMATS)))
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs("EPSG:4326")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise BoundaryError(f"{path}: folder {parent} does not exist")
    tmpdir = Path(tempfile.mkdtemp(prefix=".export-", dir=parent))
    try:
        tmp = tmpdir / path.name
        if ext == ".csv":
            df = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
            df["wkt"] = shapely.to_wkt(gdf.geometry.values, rounding_precision=6, trim=True)
            df.to_csv(tmp, index=False, lineterminator="\n")
        else:
            kwargs = {}
            if ext in (".geojson", ".json"):
                kwargs["layer_options"] = {"RFC7946": "YES"}
            elif ext == ".shp":
                kwargs["encoding"] = "UTF-8"
            with _gdal_options(OGR_CURRENT_DATE=_FIXED_DATE):
                pyogrio.write_dataframe(gdf, tmp, driver=EXPORT_FORMATS[ext], layer=path.stem,
                                        promote_to_multi=True, **kwargs)
        for f in sorted(tmpdir.iterdir()):
            os.replace(f, parent / f.name)
    except BoundaryError:
        raise
    except Exception as exc:
        raise BoundaryError(f"{path}: cannot write ({exc})") from None
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return path
