import json
import warnings
from pathlib import Path

import geopandas as gpd
import pycountry
import pyogrio
import pytest
import shapely
from shapely.geometry import Point, Polygon, box

from minemap.boundaries import derive_natural_earth as derive_mod
from minemap.boundaries.polygons import BoundaryError, export, load_embedded, load_user
from minemap.boundaries.units import CODES, unit

from helpers import SHARED  # noqa: E402

GEOBOUNDARIES = SHARED / "boundaries" / "geoBoundaries-AZE-ADM2.geojson"
DATA = Path(derive_mod.__file__).parent / "data" / "districts.geojson"
LAEA = "+proj=laea +lat_0=40 +lon_0=47.5 +datum=WGS84 +units=m"


@pytest.fixture(scope="module")
def embedded():
    return load_embedded()


def test_embedded_has_the_77_iso_units(embedded):
    iso = {s.code for s in pycountry.subdivisions.get(country_code="AZ")} - {"AZ-NX"}
    assert len(embedded) == 77
    assert set(embedded.code) == iso == CODES
    assert list(embedded.code) == sorted(iso)
    assert list(embedded.columns) == ["code", "name", "name_en", "kind", "geometry"]
    assert embedded.crs.to_epsg() == 4326
    assert embedded.geometry.is_valid.all()
    assert set(embedded.geom_type) <= {"Polygon", "MultiPolygon"}
    for row in embedded.itertuples():
        u = unit(row.code)
        assert (row.name, row.name_en, row.kind) == (u.name, u.name_en, u.kind)


@pytest.mark.parametrize("lat,lon,code", [
    (39.75, 46.25, "AZ-LAC"),  # the polygon that the source labels "Lankaran"
    (39.76, 46.75, "AZ-SUS"),  # Shusha town: the source's separate town polygon, dissolved into the rayon
    (39.82, 46.76, "AZ-XA"),   # Khankendi (source: "Stepanakert")
    (40.34, 46.93, "AZ-TAR"),
    (41.20, 45.20, "AZ-QAZ"),
    (39.30, 47.05, "AZ-CAB"),
    (38.75, 48.85, "AZ-LA"),   # Lankaran town
    (38.74, 48.74, "AZ-LAN"),  # the rayon around it
    (40.55, 46.34, "AZ-GYG"),  # source: "Xanlar"
])
def test_points_well_inside_their_districts(embedded, lat, lon, code):
    hits = embedded[embedded.contains(Point(lon, lat))].code.tolist()
    assert hits == [code]


def test_neighbours_neither_overlap_nor_leave_gaps(embedded):
    proj = embedded.to_crs(LAEA)
    geoms = proj.geometry.values
    left, right = proj.sindex.query(geoms, predicate="intersects")
    overlap = sum(geoms[i].intersection(geoms[j]).area for i, j in zip(left, right) if i < j)
    assert overlap < 1_000  # m², i.e. nothing beyond rounding
    union = shapely.union_all(geoms)
    holes = [Polygon(r) for p in getattr(union, "geoms", [union]) for r in p.interiors]
    # the only hole is Artsvashen, an Armenian exclave inside Gədəbəy (~35 km²), not a gap
    assert len(holes) == 1
    assert 30e6 < holes[0].area < 45e6
    artsvashen = gpd.GeoSeries([holes[0]], crs=LAEA).to_crs(4326).iloc[0].representative_point()
    assert abs(artsvashen.x - 45.51) < 0.05 and abs(artsvashen.y - 40.63) < 0.05


def test_embedded_file_is_canonical_rfc7946():
    text = DATA.read_text(encoding="utf-8")
    collection = json.loads(text)
    assert derive_mod.dumps(collection) == text  # the derivation's own serialisation: deterministic
    for f in collection["features"]:
        geom = f["geometry"]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        for rings in polys:
            assert Polygon(rings[0]).exterior.is_ccw  # RFC 7946: counter-clockwise exteriors
            for x, y in rings[0]:
                assert round(x, 5) == x and round(y, 5) == y
    assert DATA.stat().st_size < 200_000


def test_derivation_mapping_documents_the_corrections():
    m = derive_mod.SOURCE_TO_ISO
    assert len(m) == 78 and set(m.values()) == CODES
    assert m[("Lankaran", "AZ.SU")] == "AZ-LAC"
    assert m[("Lankaran", "AZ.LN")] == "AZ-LAN" and m[("Lankaran", "AZ.LA")] == "AZ-LA"
    assert m[("Xanlar", "AZ.XR")] == "AZ-GYG"
    assert m[("Dəvəçi", "AZ.DV")] == "AZ-SBN"
    assert m[("Stepanakert", "AZ.XC")] == "AZ-XA"
    assert m[("Şuşa", "AZ.SU")] == m[("Şuşa", "AZ.SS")] == "AZ-SUS"
    assert (m[("Şəki", "AZ.SA")], m[("Şəki", "AZ.SK")]) == ("AZ-SA", "AZ-SAK")
    assert (m[("Yevlakh", "AZ.YE")], m[("Yevlakh Rayon", "AZ.YV")]) == ("AZ-YE", "AZ-YEV")


def _source_from_embedded(embedded):
    """A stand-in for aze.json built from the embedded set, with the source's labels (Şuşa split in two)."""
    label = {v: k for k, v in derive_mod.SOURCE_TO_ISO.items()}
    feats = []
    for row in embedded.itertuples():
        geom = row.geometry
        if row.code == "AZ-SUS":
            town = box(46.74, 39.75, 46.76, 39.77)
            pieces = [(("Şuşa", "AZ.SU"), geom.difference(town)), (("Şuşa", "AZ.SS"), geom.intersection(town))]
        else:
            pieces = [(label[row.code], geom)]
        for (name, hasc), g in pieces:
            feats.append({"type": "Feature", "properties": {"name": name, "code_hasc": hasc},
                          "geometry": shapely.geometry.mapping(g)})
    return {"type": "FeatureCollection", "features": feats}


def test_derivation_reproduces_and_rejects_unknown_features(embedded, tmp_path):
    source = _source_from_embedded(embedded)
    src = tmp_path / "aze.json"
    src.write_text(json.dumps(source), encoding="utf-8")
    out1, out2 = tmp_path / "a.geojson", tmp_path / "b.geojson"
    assert derive_mod.main([str(src), "-o", str(out1)]) == 0
    assert derive_mod.main([str(src), "-o", str(out2)]) == 0
    assert out1.read_bytes() == out2.read_bytes()
    again = gpd.read_file(out1)
    assert list(again.code) == list(embedded.code)
    sus = again.set_index("code").geometry["AZ-SUS"]
    assert abs(sus.area - embedded.set_index("code").geometry["AZ-SUS"].area) < 1e-6  # town dissolved back
    source["features"][0]["properties"]["name"] = "Nowhere"
    with pytest.raises(SystemExit, match="Nowhere"):
        derive_mod.derive(source)


@pytest.mark.skipif(not GEOBOUNDARIES.exists(), reason=f"reference file {GEOBOUNDARIES} not present (needs ../shared)")
def test_geoboundaries_by_name(embedded):
    gdf, report = load_user(GEOBOUNDARIES, name_field="shapeName")
    assert len(gdf) == 77 and set(gdf.code) == CODES
    assert report.complete and not report.unmatched and not report.missing_units
    assert report.dissolved == {"AZ-LAN": 2, "AZ-SUS": 2}  # split Lankaran; Shusha city + district
    assert gdf.geometry.is_valid.all() and gdf.crs.to_epsg() == 4326
    # both files approximate the same districts
    a = gdf.set_index("code").geometry
    b = embedded.set_index("code").geometry
    for code in ["AZ-AGM", "AZ-FUZ", "AZ-CAB", "AZ-ZAN", "AZ-QBI", "AZ-LAC", "AZ-KAL", "AZ-TAR"]:
        iou = a[code].intersection(b[code]).area / a[code].union(b[code]).area
        assert 0.55 < iou < 0.98, (code, iou)


def _write(gdf, path, **kw):
    pyogrio.write_dataframe(gdf, path, **kw)
    return path


def test_reprojected_geopackage(embedded, tmp_path):
    subset = embedded[embedded.code.isin(["AZ-AGM", "AZ-FUZ", "AZ-XA"])].to_crs(3857)
    subset = subset.rename(columns={"code": "ISO"})[["ISO", "geometry"]]
    path = _write(subset, tmp_path / "web.gpkg", layer="districts")
    gdf, report = load_user(path, code_field="ISO")
    assert report.reprojected_from == "EPSG:3857"
    assert list(gdf.code) == ["AZ-AGM", "AZ-FUZ", "AZ-XA"]
    assert gdf.crs.to_epsg() == 4326
    orig = embedded.set_index("code").geometry
    for row in gdf.itertuples():
        assert row.geometry.symmetric_difference(orig[row.code]).area < 1e-6
    assert len(report.missing_units) == 74 and "AZ-TAR" in report.missing_units
    assert any("74 unit(s) with no feature" in line for line in report.lines())


def test_shapefile_by_name_with_unknown_and_split_features(tmp_path):
    gdf = gpd.GeoDataFrame({
        "NAME_2": ["Agdam District", "Khankendi City", "Atlantis", "Terter", "Tərtər rayonu", None],
        "geometry": [box(46.8, 39.9, 47.0, 40.1), box(46.74, 39.8, 46.78, 39.84), box(0, 0, 1, 1),
                     box(46.7, 40.2, 46.8, 40.3), box(46.8, 40.2, 46.9, 40.3), box(1, 1, 2, 2)],
    }, crs=4326)
    path = _write(gdf, tmp_path / "adm2.shp")
    out, report = load_user(path, name_field="NAME_2")
    assert list(out.code) == ["AZ-AGM", "AZ-TAR", "AZ-XA"]
    assert report.dissolved == {"AZ-TAR": 2}
    assert out.set_index("code").geometry["AZ-TAR"].equals(box(46.7, 40.2, 46.9, 40.3).normalize()) or \
        abs(out.set_index("code").geometry["AZ-TAR"].area - 0.02) < 1e-9
    assert [(i, v) for i, v, _ in report.unmatched] == [(2, "Atlantis"), (5, "")]
    assert "name not in the gazetteer" in report.unmatched[0][2]
    assert not report.complete


def test_invalid_bowtie_is_repaired_with_a_warning(tmp_path):
    bowtie = Polygon([(46.8, 39.9), (47.0, 40.1), (47.0, 39.9), (46.8, 40.1), (46.8, 39.9)])
    assert not bowtie.is_valid
    path = _write(gpd.GeoDataFrame({"iso": ["AZ-AGM"], "geometry": [bowtie]}, crs=4326), tmp_path / "bow.geojson")
    with pytest.warns(UserWarning, match=r"feature 0 \('AZ-AGM'\): invalid geometry"):
        gdf, report = load_user(path, code_field="iso")
    assert gdf.geometry.is_valid.all()
    assert report.repaired == [(0, "AZ-AGM")]
    assert abs(gdf.geometry.iloc[0].area - 0.02) < 1e-9  # both triangles kept


def test_grouping_code_and_bare_codes(tmp_path):
    gdf = gpd.GeoDataFrame({"c": ["AZ-NX", "agm", "AZ-FUZ"],
                            "geometry": [box(45, 39, 46, 40), box(46.8, 39.9, 47.0, 40.1), box(47.2, 39.4, 47.4, 39.6)]},
                           crs=4326)
    out, report = load_user(_write(gdf, tmp_path / "g.gpkg"), code_field="c")
    assert list(out.code) == ["AZ-AGM", "AZ-FUZ"]
    assert report.unmatched[0][:2] == (0, "AZ-NX") and "grouping" in report.unmatched[0][2]


def test_errors_name_the_file(tmp_path):
    good = _write(gpd.GeoDataFrame({"iso": ["AZ-AGM"], "geometry": [box(46.8, 39.9, 47, 40.1)]}, crs=4326),
                  tmp_path / "good.geojson")
    with pytest.raises(BoundaryError, match=r"good\.geojson: no field 'ISO'; the fields are: iso"):
        load_user(good, code_field="ISO")
    with pytest.raises(BoundaryError, match=r"good\.geojson: say which field"):
        load_user(good)
    with pytest.raises(BoundaryError, match=r"missing\.gpkg: no such file"):
        load_user(tmp_path / "missing.gpkg", code_field="iso")
    junk = tmp_path / "junk.geojson"
    junk.write_text("this is not geojson")
    with pytest.raises(BoundaryError, match=r"junk\.geojson: cannot read"):
        load_user(junk, code_field="iso")
    empty = tmp_path / "empty.geojson"
    empty.write_text('{"type":"FeatureCollection","features":[]}')
    with pytest.raises(BoundaryError, match=r"empty\.geojson: .*(empty|no field)"):
        load_user(empty, code_field="iso")
    nomatch = _write(gpd.GeoDataFrame({"iso": ["XX"], "geometry": [box(0, 0, 1, 1)]}, crs=4326), tmp_path / "n.geojson")
    with pytest.raises(BoundaryError, match=r"n\.geojson: no feature matches any of the 77 units"):
        load_user(nomatch, code_field="iso")


@pytest.mark.parametrize("ext", [".geojson", ".gpkg", ".shp", ".csv"])
def test_export_roundtrip(embedded, tmp_path, ext):
    path = export(embedded, tmp_path / f"districts{ext}")
    assert path.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".export-")]  # no temp leftovers
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # CSV carries no CRS: load_user warns that it assumes EPSG:4326
        back, report = load_user(path, code_field="code")
    assert report.complete and list(back.code) == list(embedded.code)
    assert list(back.columns) == ["code", "name", "name_en", "kind", "geometry"]
    assert back.geometry.is_valid.all()
    for a, b in zip(back.geometry, embedded.geometry):
        assert a.symmetric_difference(b).area < 1e-7
    raw = pyogrio.read_dataframe(path, read_geometry=False)
    assert list(raw["name"]) == list(embedded["name"])  # Azerbaijani letters survive every format
    first = path.read_bytes()
    export(embedded, path)
    assert path.read_bytes() == first  # same input, same bytes


def test_export_rejects_unknown_extension(embedded, tmp_path):
    with pytest.raises(BoundaryError, match=r"districts\.kml: unknown format"):
        export(embedded, tmp_path / "districts.kml")
    with pytest.raises(BoundaryError, match="does not exist"):
        export(embedded, tmp_path / "nope" / "districts.gpkg")
