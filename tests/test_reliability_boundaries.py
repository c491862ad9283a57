"""User boundary files through `minemap run --boundaries` end to end: bad geometries are repaired with a
warning, other CRSs reprojected, unknown codes and missing fields named; the run never shows a traceback."""
from __future__ import annotations

import json

import geopandas as gpd
import pytest
from click.testing import CliRunner
from shapely.geometry import Polygon

from minemap.boundaries.polygons import load_embedded
from minemap.cli import main

REPORT = ("---\nid: weekly\ndate: 2022-01-24\nsource: Desk\n---\nBetween January 17 and 22, the teams found 3 "
          "anti-personnel mines and 9 items of unexploded ordnance in the Aghdam and Fuzuli districts.\n")


@pytest.fixture(scope="module")
def embedded():
    return load_embedded()


@pytest.fixture()
def reports(tmp_path):
    d = tmp_path / "reports"
    d.mkdir()
    (d / "weekly.md").write_text(REPORT, encoding="utf-8")
    return d


def run(reports, boundaries, out, *extra):
    r = CliRunner().invoke(main, ["run", str(reports), "-o", str(out), "--no-maps", "--boundaries", str(boundaries),
                                  *extra])
    assert "Traceback" not in r.output
    return r


def frame(embedded, codes, field="iso"):
    sub = embedded[embedded["code"].isin(codes)][["code", "geometry"]].rename(columns={"code": field})
    return gpd.GeoDataFrame(sub.reset_index(drop=True), geometry="geometry", crs="EPSG:4326")


def test_invalid_geometry_is_repaired_with_a_warning_naming_file_and_feature(tmp_path, embedded, reports):
    gdf = frame(embedded, ["AZ-AGM", "AZ-FUZ"])
    minx, miny, maxx, maxy = gdf.geometry[1].bounds
    gdf.loc[1, "geometry"] = Polygon([(minx, miny), (maxx, maxy), (maxx, miny), (minx, maxy)])  # a bow-tie
    path = tmp_path / "bowtie.geojson"
    gdf.to_file(path)
    r = run(reports, path, tmp_path / "out", "--code-field", "iso")
    assert r.exit_code == 0, r.output
    assert "feature 1 ('AZ-FUZ'): invalid geometry repaired" in r.output
    layer = gpd.read_file(tmp_path / "out" / "districts.geojson")
    fuz = layer[layer["code"] == "AZ-FUZ"].geometry.iloc[0]
    assert fuz.is_valid and not fuz.is_empty


def test_missing_code_field_names_file_and_fields(tmp_path, embedded, reports):
    path = tmp_path / "nocode.gpkg"
    frame(embedded, ["AZ-AGM"], field="district_id").to_file(path)
    r = run(reports, path, tmp_path / "out", "--code-field", "iso")
    assert r.exit_code != 0
    assert "nocode.gpkg" in r.output and "'iso'" in r.output and "district_id" in r.output
    assert not (tmp_path / "out").exists()


def test_unknown_codes_are_listed_and_the_rest_is_used(tmp_path, embedded, reports):
    gdf = frame(embedded, ["AZ-AGM", "AZ-FUZ", "AZ-LAC"])
    gdf.loc[2, "iso"] = "AZ-XXX"
    path = tmp_path / "unknown.geojson"
    gdf.to_file(path)
    r = run(reports, path, tmp_path / "out", "--code-field", "iso")
    assert r.exit_code == 0, r.output
    assert "feature 2 ('AZ-XXX') matches no unit" in r.output and "unknown.geojson" in r.output
    layer = gpd.read_file(tmp_path / "out" / "districts.geojson")
    assert sorted(layer["code"]) == ["AZ-AGM", "AZ-FUZ"]


def test_all_codes_unknown_is_a_clear_error(tmp_path, embedded, reports):
    gdf = frame(embedded, ["AZ-AGM"])
    gdf["iso"] = ["nowhere"]
    path = tmp_path / "none.geojson"
    gdf.to_file(path)
    r = run(reports, path, tmp_path / "out", "--code-field", "iso")
    assert r.exit_code != 0 and "none.geojson" in r.output and "'nowhere'" in r.output


def test_other_crs_is_reprojected(tmp_path, embedded, reports):
    path = tmp_path / "utm.gpkg"
    frame(embedded, ["AZ-AGM", "AZ-FUZ"]).to_crs("EPSG:32638").to_file(path)
    r = run(reports, path, tmp_path / "out", "--code-field", "iso")
    assert r.exit_code == 0, r.output
    assert "reprojected from EPSG:32638" in r.output
    layer = gpd.read_file(tmp_path / "out" / "districts.geojson")
    assert layer.crs.to_epsg() == 4326
    ref = embedded.set_index("code").geometry
    for code, geom in zip(layer["code"], layer.geometry):
        assert geom.symmetric_difference(ref[code]).area < 1e-6 * max(ref[code].area, 1e-9) + 1e-8, code
    s = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert s["figures"]["found"] > 0


def test_empty_layer_is_a_clear_error(tmp_path, embedded, reports):
    path = tmp_path / "empty.gpkg"
    frame(embedded, ["AZ-AGM"]).iloc[0:0].to_file(path)
    r = run(reports, path, tmp_path / "out", "--code-field", "iso")
    assert r.exit_code != 0 and "empty.gpkg" in r.output and "empty" in r.output.lower()


def test_not_a_geo_file_is_a_clear_error(tmp_path, reports):
    path = tmp_path / "garbage.geojson"
    path.write_bytes(b"\x00\x01 this is not GeoJSON {")
    r = run(reports, path, tmp_path / "out", "--code-field", "iso")
    assert r.exit_code != 0 and "garbage.geojson" in r.output


def test_feature_without_geometry_is_named(tmp_path, embedded, reports):
    path = tmp_path / "nogeom.geojson"
    fc = json.loads(frame(embedded, ["AZ-AGM", "AZ-FUZ"]).to_json())
    fc["features"][1]["geometry"] = None
    path.write_text(json.dumps(fc), encoding="utf-8")
    r = run(reports, path, tmp_path / "out", "--code-field", "iso")
    assert r.exit_code == 0, r.output
    assert "feature 1 ('AZ-FUZ') matches no unit: feature has no geometry" in r.output


# Issue 12, rows "a 3-D boundary file", "a boundary with latitude 1000", "boundary coordinates in metres
# labelled EPSG:4326" and "a GeoPackage whose first layer is a decoy".

def test_three_d_boundary_file_is_mapped_in_two_d(tmp_path, embedded, reports):
    """Heights are dropped (and said so); the maps, which failed on 3-D rings, are drawn."""
    import shapely

    gdf = frame(embedded, ["AZ-AGM", "AZ-FUZ"])
    gdf["geometry"] = shapely.force_3d(gdf.geometry.values, z=120.0)
    for name in ("z.geojson", "z.gpkg"):
        path = tmp_path / name
        gdf.to_file(path)
        out = tmp_path / f"out-{name}"
        r = CliRunner().invoke(main, ["run", str(reports), "-o", str(out), "--boundaries", str(path),
                                      "--code-field", "iso"])
        assert r.exit_code == 0, r.output
        assert "Z coordinates (heights) dropped" in r.output
        layer = gpd.read_file(out / "districts.geojson")
        assert not layer.geometry.has_z.any() and (out / "map.html").stat().st_size > 0


@pytest.mark.parametrize("case", ["latitude 1000", "metres labelled EPSG:4326"])
def test_coordinates_outside_degrees_for_a_geographic_crs_are_an_error_naming_the_file(
        tmp_path, embedded, reports, case):
    gdf = frame(embedded, ["AZ-AGM", "AZ-FUZ"])
    if case == "latitude 1000":
        gdf.loc[1, "geometry"] = Polygon([(47.0, 999.0), (47.5, 1000.0), (47.5, 999.0)])
    else:   # the real polygons in UTM 38N metres, then labelled as degrees
        gdf = gdf.to_crs("EPSG:32638").set_crs("EPSG:4326", allow_override=True)
    path = tmp_path / "bad.geojson"
    gdf.to_file(path)
    r = run(reports, path, tmp_path / "out", "--code-field", "iso")
    assert r.exit_code == 1
    assert f"{path}: coordinates in EPSG:4326 are outside longitude -180..180 / latitude -90..90" in r.output
    assert not (tmp_path / "out").exists()


def test_geographic_crs_other_than_wgs84_is_checked_before_reprojection(tmp_path, embedded, reports):
    gdf = frame(embedded, ["AZ-AGM"]).to_crs("EPSG:4269")     # NAD83: geographic, not EPSG:4326
    gdf.loc[0, "geometry"] = Polygon([(47.0, 200.0), (47.5, 201.0), (47.5, 200.0)])
    path = tmp_path / "nad83.gpkg"
    gdf.to_file(path)
    r = run(reports, path, tmp_path / "out", "--code-field", "iso")
    assert r.exit_code == 1 and f"{path}: coordinates in EPSG:4269 are outside" in r.output


@pytest.fixture()
def decoy_gpkg(tmp_path, embedded):
    """A GeoPackage whose first layer is a decoy (the districts shifted far away), then the real one."""
    path = tmp_path / "two.gpkg"
    decoy = frame(embedded, ["AZ-AGM", "AZ-FUZ"])
    decoy["geometry"] = decoy.geometry.translate(5, 5)
    decoy.to_file(path, layer="aaa_decoy")
    frame(embedded, ["AZ-AGM", "AZ-FUZ"]).to_file(path, layer="districts")
    return path


def test_multi_layer_geopackage_needs_layer(tmp_path, reports, decoy_gpkg):
    r = run(reports, decoy_gpkg, tmp_path / "out", "--code-field", "iso")
    assert r.exit_code == 1
    assert f"{decoy_gpkg}: 2 layers with geometry; say which one holds the districts with --layer NAME" in r.output
    assert "'aaa_decoy' (Polygon)" in r.output and "'districts' (Polygon)" in r.output
    r = run(reports, decoy_gpkg, tmp_path / "out", "--code-field", "iso", "--layer", "nope")
    assert r.exit_code == 1 and "no layer 'nope'; the layers are:" in r.output


def test_layer_option_reads_that_layer_and_says_so(tmp_path, embedded, reports, decoy_gpkg):
    import minemap

    r = run(reports, decoy_gpkg, tmp_path / "out", "--code-field", "iso", "--layer", "districts")
    assert r.exit_code == 0, r.output
    assert f"{decoy_gpkg} (layer 'districts'): 2 feature(s) matched" in r.output
    layer = gpd.read_file(tmp_path / "out" / "districts.geojson")
    agm = layer[layer["code"] == "AZ-AGM"].geometry.iloc[0]
    assert agm.intersects(embedded[embedded["code"] == "AZ-AGM"].geometry.iloc[0].representative_point())

    units = minemap.load_boundaries(decoy_gpkg, code_field="iso", layer="districts")
    assert list(units["code"]) == ["AZ-AGM", "AZ-FUZ"]
    r = CliRunner().invoke(main, ["boundaries", "--boundaries", str(decoy_gpkg), "--code-field", "iso",
                                  "--layer", "aaa_decoy"])
    assert r.exit_code == 0 and f"{decoy_gpkg} (layer 'aaa_decoy')" in r.output
    r = CliRunner().invoke(main, ["boundaries", "--boundaries", str(decoy_gpkg), "--code-field", "iso"])
    assert r.exit_code == 1 and "--layer NAME" in r.output


def test_our_own_districts_gpkg_reads_back_without_layer(tmp_path, reports):
    """districts.gpkg has one layer with geometry and the attribute table of its QGIS style: no --layer."""
    first = tmp_path / "first"
    assert CliRunner().invoke(main, ["run", str(reports), "-o", str(first), "--no-maps"]).exit_code == 0
    r = run(reports, first / "districts.gpkg", tmp_path / "again", "--code-field", "code")
    assert r.exit_code == 0, r.output
    assert "(layer 'districts'): 77 feature(s) matched 77 of 77 units" in r.output
