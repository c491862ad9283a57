"""Web-sized district geometry: fewer vertices, fewer digits, shared borders kept shared.

Coverage simplification (GEOS, via shapely >= 2.1) simplifies each shared edge once for both of its
neighbours, so simplified districts neither overlap nor open slivers between them. Quantizing to a grid
afterwards maps an identical vertex to the same point in both polygons, so edges stay matched.
"""
from __future__ import annotations

import numpy as np
import shapely

DEFAULT_TOLERANCE = 0.005   # degrees; roughly: triangles smaller than ~0.5 km² are dropped
DEFAULT_DECIMALS = 4        # ~10 m, far below what a district choropleth can show


def web_geometry(geoms, tolerance: float = DEFAULT_TOLERANCE, decimals: int = DEFAULT_DECIMALS) -> np.ndarray:
    """Simplified and quantized copies of `geoms` (a polygonal coverage in degrees)."""
    arr = np.asarray(list(geoms), dtype=object)
    if tolerance > 0:
        if not hasattr(shapely, "coverage_simplify"):
            raise RuntimeError("shapely >= 2.1 is needed for topology-preserving simplification")
        arr = shapely.coverage_simplify(arr, tolerance)
    grid = 10.0 ** -decimals
    out = shapely.set_precision(arr, grid)
    # A district thinner than the grid would vanish; keep its unquantized shape instead of dropping it.
    empty = shapely.is_empty(out) & ~shapely.is_empty(arr)
    out[empty] = arr[empty]
    return out


def encode_geometry(geom, decimals: int = DEFAULT_DECIMALS) -> list:
    """MultiPolygon as integer deltas on a 10^-decimals grid: [[ring, ...] per polygon], each ring a flat
    [dx, dy, dx, dy, ...] list continuing from the previous ring's last point (first from 0, 0).

    The TopoJSON idea without arcs: small integers instead of long decimals make the embedded geometry
    about a third of plain GeoJSON. Decoded by decode_geometry and by geo/data/webmap.js."""
    if geom is None or geom.is_empty:
        return []
    scale = 10 ** decimals
    polys = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    out, px, py = [], 0, 0
    for poly in polys:
        rings = []
        for ring in [poly.exterior, *poly.interiors]:
            flat = []
            for x, y in ring.coords[:-1]:        # the closing point repeats the first
                ix, iy = round(x * scale), round(y * scale)
                if flat and ix == px and iy == py:
                    continue
                flat += [ix - px, iy - py]
                px, py = ix, iy
            rings.append(flat)
        out.append(rings)
    return out


def decode_geometry(enc: list, decimals: int = DEFAULT_DECIMALS):
    """Inverse of encode_geometry (shapely MultiPolygon, rings closed again)."""
    from shapely.geometry import MultiPolygon, Polygon

    scale = 10 ** decimals
    polys, x, y = [], 0, 0
    for rings in enc:
        shells = []
        for flat in rings:
            pts = []
            for k in range(0, len(flat), 2):
                x, y = x + flat[k], y + flat[k + 1]
                pts.append((x / scale, y / scale))
            shells.append(pts)
        polys.append(Polygon(shells[0], shells[1:]))
    return MultiPolygon(polys)
