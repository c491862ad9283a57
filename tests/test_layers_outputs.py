"""District layer and its files, read back with pyogrio/sqlite (real GDAL).

The units here are the 77 real ISO units on a synthetic grid of squares, so these tests do not depend on
the embedded polygons (the end-to-end CLI tests use those)."""
from __future__ import annotations

import csv
import json
import sqlite3

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import box

from minemap.boundaries.units import UNITS
from minemap.extraction.record import Document, Evidence, Figure
from minemap.aggregation import aggregate
from minemap.atomic import staged_dir
from minemap.errors import OutputError
from minemap.api import OUTPUT_FILES, write_tables
from minemap.layers import district_layer


@pytest.fixture(scope="module")
def units():
    rows = []
    for i, u in enumerate(UNITS):
        x, y = 45 + (i % 10) * 0.3, 38.5 + (i // 10) * 0.2
        rows.append({"code": u.code, "name": u.name, "name_en": u.name_en, "kind": u.kind,
                     "geometry": box(x, y, x + 0.3, y + 0.2)})
    return gpd.GeoDataFrame(rows, crs="EPSG:4326")


def _fig(doc, metric, value, districts, start="2022-01-17", end="2022-01-22", scope="period", group=None, text="s"):
    return Figure(doc, metric, value, scope=scope, period_start=start, period_end=end, districts=tuple(districts),
                  group=group, evidence=Evidence(0, len(text), text))


@pytest.fixture(scope="module")
def run_input():
    figures = [
        _fig("a", "area_ha", 67.4, ["AZ-AGM", "AZ-FUZ"], text='Weekly: 67.4 ha, "cleared" | twice'),
        _fig("b", "area_ha", 67.4, ["AZ-AGM", "AZ-FUZ"], text="Same week, other outlet: 67.4 ha"),
        _fig("a", "area_ha", 12.5, ["AZ-SUS"]),
        _fig("a", "uxo", 9, []),
        _fig("c", "injured", 7, ["AZ-KAL"], "2022-12-14", "2022-12-14", "event"),
        _fig("c", "injured", 4, ["AZ-KAL"], "2022-12-14", "2022-12-14", "event", "civilian"),
        _fig("c", "victims", 278, [], None, "2022-12-15", "cumulative"),
    ]
    docs = {
        "a": Document("a", "", date="2022-01-24", source="Trend", title="A week <b>of</b> clearance"),
        "b": Document("b", "", date="2022-01-24", source="AZERTAC", url="https://example.org/b"),
        "c": Document("c", "", date="2022-12-15", source="Azernews"),
    }
    return figures, docs


@pytest.fixture(scope="module")
def agg(units, run_input):
    figures, docs = run_input
    return aggregate(figures, docs, codes=list(units["code"]),
                     skipped=[{"path": "broken.pdf", "doc_id": None, "reason": "unsupported file type"}])


def test_district_layer_shape(units, agg):
    layer = district_layer(units, agg)
    assert len(layer) == 77 and list(layer["code"]) == sorted(u.code for u in UNITS)
    assert layer.crs.to_epsg() == 4326
    cols = list(layer.columns)
    assert cols[:5] == ["code", "name", "name_en", "ap_mines", "ap_mines_shared"]
    assert cols[-4:] == ["reports", "first_date", "last_date", "geometry"]
    assert "kind" not in cols
    assert cols[3:10] == ["ap_mines", "ap_mines_shared", "ap_mines_upper", "ap_mines_est", "ap_mines_est_basis",
                          "ap_mines_to_date", "ap_mines_as_of"]
    for c in ("killed_civilian", "killed_military", "injured_civilian", "injured_military",
              "victims_civilian", "victims_military"):
        assert c in cols
    row = layer.set_index("code")
    assert row.loc["AZ-AGM", "area_ha_shared"] == 67.4 and row.loc["AZ-FUZ", "area_ha_shared"] == 67.4
    assert row.loc["AZ-AGM", "area_ha_upper"] == 67.4 and row.loc["AZ-AGM", "area_ha"] != row.loc["AZ-AGM", "area_ha"]
    # no district areas given: the estimate splits the shared figure equally, and says so
    assert row.loc["AZ-AGM", "area_ha_est"] == 33.7
    assert row.loc["AZ-AGM", "area_ha_est_basis"] == "shares by equal split"
    sus = row.loc["AZ-SUS"]
    assert sus["area_ha"] == 12.5 == sus["area_ha_est"] == sus["area_ha_upper"]
    assert row.loc["AZ-SUS", "area_ha_est_basis"] == "figures naming it alone"
    assert row.loc["AZ-KAL", "injured"] == 7 and row.loc["AZ-KAL", "injured_civilian"] == 4
    assert row.loc["AZ-AGM", "reports"] == 2
    # districts no report names: null, not zero
    assert row["area_ha"].isna().sum() == 76 and row.loc["AZ-BA", "reports"] is __import__("pandas").NA
    assert row.loc["AZ-BA", "first_date"] is None
    # unplaced and running totals are not on the map
    assert row["uxo"].isna().all() and row["victims"].isna().all()


def test_district_layer_reprojects_and_adds_est(units, run_input):
    figures, docs = run_input
    a = aggregate(figures, docs, apportion="equal", codes=list(units["code"]))
    layer = district_layer(units.to_crs(3857), a)
    assert layer.crs.to_epsg() == 4326
    assert abs(layer.total_bounds[0] - 45) < 1e-6
    assert layer.set_index("code").loc["AZ-AGM", "area_ha_est"] == pytest.approx(33.7)
    assert list(layer.columns).index("area_ha_est") == list(layer.columns).index("area_ha_shared") + 2


def _write(tmp_path, name, units, agg, figures):
    out = tmp_path / name
    with staged_dir(out) as tmp:
        write_tables(tmp, district_layer(units, agg), agg, {}, figures)
    return out


def test_outputs_read_back(tmp_path, units, agg, run_input):
    figures, _ = run_input
    out = _write(tmp_path, "out", units, agg, figures)
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # staging folder removed

    assert pyogrio.list_layers(out / "districts.gpkg")[:, 0].tolist() == ["districts", "layer_styles"]
    g = pyogrio.read_dataframe(out / "districts.gpkg", layer="districts")
    assert len(g) == 77 and g.crs.to_epsg() == 4326
    assert sorted(g["code"]) == sorted(u.code for u in UNITS)
    assert g.set_index("code").loc["AZ-SUS", "area_ha"] == 12.5
    assert g["area_ha"].isna().sum() == 76
    info = pyogrio.read_info(out / "districts.gpkg", layer="districts")
    assert info["geometry_type"] in ("MultiPolygon", "Polygon")

    con = sqlite3.connect(out / "districts.gpkg")
    rows = con.execute("SELECT f_table_name, f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, "
                       "update_time FROM layer_styles").fetchall()
    cols = [r[1] for r in con.execute("PRAGMA table_info(layer_styles)")]
    changes = {r[0] for r in con.execute("SELECT last_change FROM gpkg_contents")}
    con.close()
    assert cols == ["id", "f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "styleName",
                    "styleQML", "styleSLD", "useAsDefault", "description", "owner", "ui", "update_time"]
    assert len(rows) == 1
    name, geom, style_name, qml, sld, default, _ = rows[0]
    assert (name, geom, default) == ("districts", "geom", 1)
    # the maps' opening layer (the area estimate: the clearance metric naming most districts), one rule per
    # class and one for districts without data
    assert 'type="RuleRenderer"' in qml and '"area_ha_est" IS NULL' in qml and qml.count("<rule ") == 3
    assert "StyledLayerDescriptor" in sld and sld.count("<se:Rule>") == 3
    assert changes == {"2000-01-01T00:00:00.000Z"}

    gj = pyogrio.read_dataframe(out / "districts.geojson")
    assert len(gj) == 77 and gj.crs.to_epsg() == 4326 and sorted(gj["code"]) == sorted(u.code for u in UNITS)
    raw = json.loads((out / "districts.geojson").read_text(encoding="utf-8"))
    assert "bbox" not in raw and "crs" not in raw
    sus = next(f for f in raw["features"] if f["properties"]["code"] == "AZ-SUS")
    assert sus["properties"]["area_ha"] == 12.5 and sus["properties"]["uxo"] is None

    with open(out / "districts.csv", encoding="utf-8") as fh:
        drows = list(csv.DictReader(fh))
    assert len(drows) == 77 and drows[0]["code"] == "AZ-ABS"
    sus = next(r for r in drows if r["code"] == "AZ-SUS")
    assert sus["area_ha"] == "12.5" and sus["uxo"] == "" and sus["reports"] == "1"

    with open(out / "facts.csv", encoding="utf-8") as fh:
        frows = list(csv.DictReader(fh))
    assert len(frows) == 6  # 7 figures, the two weekly copies are one fact
    weekly = next(r for r in frows if r["value"] == "67.4")
    assert weekly["doc_ids"] == "a\nb" and weekly["outlets"] == "Trend\nAZERTAC"
    assert weekly["status"] == "summed" and weekly["districts"] == "AZ-AGM;AZ-FUZ"
    assert weekly["evidence"].split("\n") == ['Weekly: 67.4 ha, "cleared" | twice', "Same week, other outlet: 67.4 ha"]
    assert {r["status"] for r in frows} == {"summed", "unplaced", "snapshot"}

    with open(out / "groups.csv", encoding="utf-8") as fh:
        grows = list(csv.DictReader(fh))
    assert [(r["districts"], r["area_ha"]) for r in grows] == [("AZ-AGM;AZ-FUZ", "67.4")]

    assert len((out / "figures.jsonl").read_text(encoding="utf-8").splitlines()) == 7
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["documents"]["read"] == 3 and summary["documents"]["skipped"] == 1
    assert summary["figures"] == {"found": 7, "facts": 6, "merged_duplicates": 1,
                                  "facts_with_several_reports": 1, "accounted": True}
    assert summary["running_totals"][0]["value"] == 278
    md = (out / "summary.md").read_text(encoding="utf-8")
    assert "broken.pdf" in md and "unsupported file type" in md and "| victims | 278 |" in md


def test_two_runs_byte_identical(tmp_path, units, agg, run_input):
    figures, _ = run_input
    one = _write(tmp_path, "one", units, agg, figures)
    two = _write(tmp_path, "two", units, agg, figures)
    for name in OUTPUT_FILES:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_failed_write_leaves_previous_outputs_intact(tmp_path, units, agg, run_input, monkeypatch):
    figures, _ = run_input
    out = _write(tmp_path, "out", units, agg, figures)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    import minemap.tables

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(minemap.tables, "write_facts_csv", boom)
    empty = aggregate([], {}, codes=list(units["code"]))
    with pytest.raises(OutputError, match=f"cannot write the outputs into {out}: disk full"):
        with staged_dir(out) as tmp:
            write_tables(tmp, district_layer(units, empty), empty, {}, [])
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_style_rules_are_the_maps_classes(units, agg):
    from minemap.classify import classify
    from minemap.mapmodel import choose, table_of
    from minemap.qgis_style import make_style, metadata_xml

    layer = district_layer(units, agg)
    choice = choose(table_of(layer), metric="injured")
    style = make_style(choice, title="T", attribution="Compiled by <us>")
    assert style.column == "injured_est" and [r[2] for r in style.rules] == list(choice.classes.colors)
    assert [r[0] for r in style.rules] == ["7 people"]
    values = [1, 2, 3, 10, 11, 12, 50, 51, 100, 400, None, float("nan")]
    wide = make_style(choose({"code": list("abcdefghijkl"), "uxo": values}))
    cls = classify(values)
    assert [r[2] for r in wide.rules] == list(cls.colors) and len(wide.rules) == 5
    # the same membership as the web map: a value belongs to the first class whose upper bound holds it
    assert wide.rules[0][1] == f'"uxo" <= {cls.bins[0]!r}'
    assert wide.rules[1][1] == f'"uxo" > {cls.bins[0]!r} AND "uxo" <= {cls.bins[1]!r}'
    assert wide.rules[-1][1] == f'"uxo" > {cls.bins[-2]!r}'
    text = metadata_xml(style)
    assert "<title>T</title>" in text and "Compiled by &lt;us&gt;" in text and "Natural Earth" in text
