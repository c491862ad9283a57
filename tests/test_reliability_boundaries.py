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
