"""`minemap run` end to end: real reader, real extraction, embedded boundaries, real GDAL.

The reports are written here (front matter gives each its outlet and date)."""
from __future__ import annotations

import csv
import json
import sqlite3

import pyogrio
import pytest
from click.testing import CliRunner

from minemap.cli import main
from minemap.api import OUTPUT_FILES

WEEKLY = """The mine action agency has released its weekly summary of operations.

Between January 17 and 22, its teams found 3 anti-personnel mines, 1 anti-tank mine and 9 items of
unexploded ordnance in the Tartar, Aghdam, Fuzuli and Zangilan districts.

Over the same days, 67.4 hectares were cleared of mines and unexploded ordnance.
"""
INCIDENT = """One person was killed and seven were injured when a landmine exploded near a village in the
Kalbajar district on December 14, the Defence Ministry said.

Four workers of a road company were hurt by an anti-personnel mine. Four servicemen who came to help also
struck a mine: three of them were injured and one soldier died.
"""
TOTALS = """So far 2,051 hectares of the liberated lands have been cleared of mines, the agency said.
"""


def _doc(path, doc_id, date, source, body):
    path.write_text(f"---\nid: {doc_id}\ndate: {date}\nsource: {source}\ntitle: Report {doc_id}\n---\n{body}",
                    encoding="utf-8")


@pytest.fixture()
def corpus(tmp_path):
    d = tmp_path / "reports"
    d.mkdir()
    _doc(d / "weekly-trend.md", "weekly-trend", "2022-01-24", "Trend", WEEKLY)
    _doc(d / "weekly-azertac.md", "weekly-azertac", "2022-01-24", "AZERTAC", WEEKLY)
    _doc(d / "incident.md", "incident", "2022-12-15", "Azernews", INCIDENT)
    _doc(d / "totals.md", "totals", "2021-05-06", "News.Az", TOTALS)
    (d / "broken.html").write_bytes(b"\x00\x01\x02 not a report \xff\xfe")
    return d


def _run(args):
    result = CliRunner().invoke(main, ["run", *args, "--no-maps"], catch_exceptions=False)
    return result


def _csv(path):
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_run_on_written_reports(tmp_path, corpus):
    out = tmp_path / "out"
    r = _run([str(corpus), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert {p.name for p in out.iterdir()} >= set(OUTPUT_FILES)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    docs = summary["documents"]
    assert docs["read"] + docs["skipped"] == 5
    assert summary["figures"]["accounted"]

    rows = {r["code"]: r for r in _csv(out / "districts.csv")}
    assert len(rows) == 77
    # the weekly report from two outlets is counted once, shared by its four districts
    for code in ("AZ-TAR", "AZ-AGM", "AZ-FUZ", "AZ-ZAN"):
        assert rows[code]["area_ha_shared"] == "67.4", rows[code]
        assert rows[code]["area_ha"] == ""
    facts = _csv(out / "facts.csv")
    week = [f for f in facts if f["metric"] == "area_ha" and f["value"] == "67.4"]
    assert len(week) == 1 and week[0]["doc_ids"].split("\n") == ["weekly-azertac", "weekly-trend"]
    assert week[0]["outlets"].split("\n") == ["AZERTAC", "Trend"]
    # one killed, seven injured (four workers, three soldiers): 1 and 7, not 2 and 14
    kal = rows["AZ-KAL"]
    assert (kal["killed"], kal["injured"]) == ("1", "7")
    assert (kal["injured_civilian"], kal["injured_military"]) == ("4", "3")
    # the running total is a snapshot in the summary, not on the map
    assert [(t["metric"], t["value"]) for t in summary["running_totals"]] == [("area_ha", 2051)]
    assert all(r["area_ha"] in ("", "67.4") for r in rows.values())
    # districts no report names are empty, not 0
    assert rows["AZ-BA"]["area_ha"] == "" and rows["AZ-BA"]["reports"] == ""

    g = pyogrio.read_dataframe(out / "districts.gpkg", layer="districts")
    assert len(g) == 77 and g.crs.to_epsg() == 4326
    con = sqlite3.connect(out / "districts.gpkg")
    assert con.execute("SELECT count(*) FROM layer_styles WHERE useAsDefault = 1").fetchone()[0] == 1
    con.close()
    gj = pyogrio.read_dataframe(out / "districts.geojson")
    assert len(gj) == 77 and gj.crs.to_epsg() == 4326
    assert "wrote" in r.output and "merged as duplicates" in r.output


def test_broken_document_is_skipped_with_reason(tmp_path, corpus):
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    (corpus / "feed.jsonl").write_text('{"id": "f1", "date": "2022-12-15"}\nnot json\n', encoding="utf-8")
    out = tmp_path / "out"
    r = _run([str(corpus / "empty.txt"), str(corpus / "feed.jsonl"), str(corpus / "incident.md"), "-o", str(out)])
    assert r.exit_code == 0, r.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["documents"]["read"] == 1 and summary["documents"]["skipped"] == 3
    reasons = {s["path"].rsplit("/", 1)[-1]: s["reason"] for s in summary["documents"]["skipped_list"]}
    assert set(reasons) == {"empty.txt", "feed.jsonl:1", "feed.jsonl:2"} and all(reasons.values())
    md = (out / "summary.md").read_text(encoding="utf-8")
    assert "empty.txt" in md and "feed.jsonl:2" in md


def test_time_window_and_apportion(tmp_path, corpus):
    out = tmp_path / "out"
    r = _run([str(corpus), "-o", str(out), "--from", "2022-12-01", "--to", "2022-12-31", "--apportion", "equal"])
    assert r.exit_code == 0, r.output
    rows = {r["code"]: r for r in _csv(out / "districts.csv")}
    assert rows["AZ-KAL"]["killed"] == "1" and rows["AZ-KAL"]["killed_est"] == "1"
    assert rows["AZ-AGM"]["area_ha_shared"] == "" and "area_ha_est" in rows["AZ-AGM"]


def test_bad_boundary_file_is_a_clear_error(tmp_path, corpus):
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json", encoding="utf-8")
    r = CliRunner().invoke(main, ["run", str(corpus), "-o", str(tmp_path / "o"), "--boundaries", str(bad),
                                  "--code-field", "code", "--no-maps"])
    assert r.exit_code == 1
    assert "bad.geojson" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "o").exists()


def test_sample_corpus_default_runs_are_byte_identical(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    assert _run(["-o", str(one)]).exit_code == 0
    assert _run(["-o", str(two)]).exit_code == 0
    for name in OUTPUT_FILES:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    summary = json.loads((one / "summary.json").read_text(encoding="utf-8"))
    assert summary["documents"]["read"] > 0 and summary["figures"]["found"] > 0
    assert summary["figures"]["accounted"]


def test_failing_run_leaves_previous_outputs(tmp_path, corpus, monkeypatch):
    out = tmp_path / "out"
    assert _run([str(corpus), "-o", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    import minemap.layers

    def fail(*a, **k):
        raise RuntimeError("GDAL failed half-way")

    monkeypatch.setattr(minemap.layers, "write_geojson", fail)
    r = CliRunner().invoke(main, ["run", str(corpus / "incident.md"), "-o", str(out), "--no-maps"])
    assert r.exit_code != 0 and isinstance(r.exception, RuntimeError)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_user_boundaries_are_credited_on_the_map(tmp_path, corpus):
    from minemap.boundaries.polygons import export, load_embedded

    mine = tmp_path / "my-districts.gpkg"
    export(load_embedded().to_crs("EPSG:3857"), mine)
    r = CliRunner().invoke(main, ["run", str(corpus), "-o", str(tmp_path / "o"), "--boundaries", str(mine),
                                  "--code-field", "code"])
    assert r.exit_code == 0, r.output
    page = (tmp_path / "o" / "map.html").read_text(encoding="utf-8")
    assert "my-districts.gpkg (supplied by the user)" in page
    assert "Natural Earth" not in page


def test_metric_title_and_attribution_reach_html_images_and_qgis_style(tmp_path, corpus):
    import re

    from PIL import Image

    out = tmp_path / "o"
    title, credit = "Casualties <i>by</i> district", "Desk $x_$ & partners"
    r = CliRunner().invoke(main, ["run", str(corpus), "-o", str(out), "--metric", "injured", "--title", title,
                                  "--attribution", credit], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    html = (out / "map.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="mm-data">(.*?)</script>', html, re.S).group(1))
    layer = data["layers"][data["default_layer"]]
    assert layer["column"] == "injured_est" and data["attribution"][0] == credit
    assert "<h1>Casualties &lt;i&gt;by&lt;/i&gt; district</h1>" in html
    svg = (out / "map.svg").read_text(encoding="utf-8")
    texts = " ".join(__import__("html").unescape(t) for t in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, re.S))
    for text in (title, credit, "Injured — estimate (people)", "7 people"):
        assert text in texts, text
    png = {"#%02x%02x%02x" % c for _, c in Image.open(out / "map.png").convert("RGB").getcolors(1 << 20)}
    assert set(data["frames"][0]["classes"][data["default_layer"]]["colors"]) <= png
    con = sqlite3.connect(out / "districts.gpkg")
    qml = con.execute("SELECT styleQML FROM layer_styles").fetchone()[0]
    meta = con.execute("SELECT metadata FROM gpkg_metadata").fetchone()[0]
    con.close()
    assert '"injured_est" IS NULL' in qml and 'label="7 people"' in qml
    assert "<title>Casualties &lt;i&gt;by&lt;/i&gt; district</title>" in meta and "Desk $x_$ &amp; partners" in meta


def test_metric_that_is_unknown_or_has_no_value_is_an_error(tmp_path, corpus):
    r = CliRunner().invoke(main, ["run", str(corpus), "-o", str(tmp_path / "a"), "--metric", "apples"])
    assert r.exit_code == 2 and "neither a metric nor a value column" in r.output
    r = CliRunner().invoke(main, ["run", str(corpus), "-o", str(tmp_path / "b"), "--metric", "roads_km"])
    assert r.exit_code == 1 and "no district has a value for it" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "b").exists()


def test_self_contained_by_default_cdn_on_request(tmp_path, corpus):
    for flag, name in (([], "inline"), (["--cdn"], "cdn")):
        r = CliRunner().invoke(main, ["run", str(corpus), "-o", str(tmp_path / name), *flag])
        assert r.exit_code == 0, r.output
    inline = (tmp_path / "inline" / "map.html").read_text(encoding="utf-8")
    cdn = (tmp_path / "cdn" / "map.html").read_text(encoding="utf-8")
    assert "Leaflet 1.9.4" in inline and "cdn.jsdelivr.net" not in inline
    assert '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js"></script>' in cdn
    assert len(cdn) < len(inline) - 100_000


def test_hostile_outlets_dates_and_sums_in_a_figures_file_still_give_every_output(tmp_path):
    """Issue 12 rows: $-signs in an outlet's name (matplotlib mathtext), dates 0001-01-01 and 9999-12-31
    (calendar overflow, with --by month), and values whose sum overflows to infinity."""
    rows = [("a", "0001-01-01", "$$"), ("b", "9999-12-31", "Daily $x_$"), ("c", "2023-02-01", r"$\undefined$"),
            ("d", "2023-02-02", "Wire")]
    with open(tmp_path / "documents.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["doc_id", "date", "outlet", "title", "url", "path"])
        w.writerows([d, day, outlet, "t", "", ""] for d, day, outlet in rows)
    recs = [
        {"doc_id": "a", "metric": "uxo", "value": 5, "scope": "period", "period_start": "0001-01-01",
         "period_end": "0001-01-07", "districts": ["AZ-AGM"]},
        {"doc_id": "b", "metric": "uxo", "value": 6, "scope": "period", "period_start": "9999-12-25",
         "period_end": "9999-12-31", "districts": ["AZ-AGM"]},
        {"doc_id": "b", "metric": "area_ha", "value": 7, "districts": ["AZ-FUZ"]},
        {"doc_id": "c", "metric": "mines", "value": 1e308, "scope": "period", "period_start": "2023-01-01",
         "period_end": "2023-01-31", "districts": ["AZ-TAR"]},
        {"doc_id": "d", "metric": "mines", "value": 1e308, "scope": "period", "period_start": "2023-01-01",
         "period_end": "2023-01-31", "districts": ["AZ-TAR", "AZ-AGM"]},
        {"doc_id": "d", "metric": "uxo", "value": 12, "scope": "period", "period_start": "2023-01-23",
         "period_end": "2023-01-29", "districts": ["AZ-TAR"]},
    ]
    (tmp_path / "figures.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["run", "--figures", str(tmp_path / "figures.jsonl"), "-o", str(out),
                                  "--by", "month"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert {p.name for p in out.iterdir()} >= {*OUTPUT_FILES, "map.html", "map.png", "map.svg"}
    facts = {(f["metric"], f["value"]): f for f in _csv(out / "facts.csv")}
    assert facts[("mines", "1e+308")]["status"] == "implausible"
    assert "treated as missing" in facts[("uxo", "6")]["reason"]
    page = (out / "map.html").read_text(encoding="utf-8")
    import re
    data = json.loads(re.search(r'id="mm-data">(.*?)</script>', page, re.S).group(1))
    assert [f["label"] for f in data["frames"]] == ["All dates", "2023-01 (2023-01-01 – 2023-01-31)"]
    svg = (out / "map.svg").read_text(encoding="utf-8")
    assert "Daily $x_$" in svg and r"$\undefined$" in svg
