"""The Python API (`import minemap`): run, the result object, figures in, and the options' checks.

The reports are written here; the embedded sample corpus stands in for "no paths"."""
from __future__ import annotations

import csv
import json

import folium
import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner

import minemap
from minemap.api import OUTPUT_FILES
from minemap.cli import main

WEEKLY = """---
id: wk
date: 2023-03-21
source: Example Wire
title: Weekly clearance
---
Between March 13 and 18, deminers found 12 anti-personnel mines and 40 unexploded shells in the Fuzuli
district. They also cleared 210 hectares in the Fuzuli district over the same days.
"""
INCIDENT = """---
id: inc
date: 2023-08-09
source: Example Daily
---
Two civilians were injured when a mine exploded in the Tartar district on August 8, the ministry said.
"""


@pytest.fixture()
def reports(tmp_path):
    d = tmp_path / "reports"
    d.mkdir()
    (d / "wk.md").write_text(WEEKLY, encoding="utf-8")
    (d / "inc.md").write_text(INCIDENT, encoding="utf-8")
    return d


def test_public_names_are_documented_and_typed():
    for name in minemap.__all__:
        obj = getattr(minemap, name)
        if name.startswith("__"):
            continue
        assert obj.__doc__ and obj.__doc__.strip(), f"minemap.{name} has no docstring"
        if callable(obj) and not isinstance(obj, type):
            hints = getattr(obj, "__annotations__", {})
            assert "return" in hints, f"minemap.{name} has no return type hint"
    assert (minemap.__spec__.submodule_search_locations and
            any((__import__("pathlib").Path(p) / "py.typed").is_file()
                for p in minemap.__spec__.submodule_search_locations))


def test_run_on_reports_gives_layer_facts_figures_summary(reports):
    result = minemap.run([reports])
    assert isinstance(result.districts, gpd.GeoDataFrame) and len(result.districts) == 77
    assert result.districts.crs.to_epsg() == 4326
    fuz = result.districts.set_index("code").loc["AZ-FUZ"]
    assert fuz["ap_mines"] == 12 and fuz["uxo"] == 40 and fuz["area_ha"] == 210
    assert isinstance(result.facts, pd.DataFrame)
    assert {"id", "metric", "value", "status", "reason", "evidence"} <= set(result.facts.columns)
    assert sorted(result.facts["metric"]) == sorted(f.metric for f in result.figures)
    assert {f.doc_id for f in result.figures} == {"wk", "inc"}
    assert result.summary["documents"]["read"] == 2
    assert set(result.documents) == {"wk", "inc"} and result.documents["wk"].source == "Example Wire"


def test_no_paths_is_the_sample_corpus():
    from minemap.extraction.sample import SAMPLE_DIR

    result = minemap.run()
    # every sample document has its gold file (feeds hold several documents)
    assert result.summary["documents"]["read"] == len(list(SAMPLE_DIR.glob("*.gold.jsonl")))
    assert result.districts["area_ha"].notna().any()


def test_map_is_a_folium_map_with_the_data(reports):
    result = minemap.run([reports])
    m = result.map()
    assert isinstance(m, folium.Map)
    page = m.get_root().render()
    data = json.loads(page.split('<script type="application/json" id="mm-data">', 1)[1].split("</script>", 1)[0])
    assert len(data["districts"]) == 77 and data["frames"]
    assert "<!--minemap:data-->" not in page
    assert "srcdoc" in m._repr_html_() or "data:text/html" in m._repr_html_()  # what Jupyter shows


def test_map_options_metric_title_attribution_and_cdn(reports):
    result = minemap.run([reports])
    assert result.choice().column == "area_ha_est"            # clearance first, though casualties exist too
    assert result.choice(metric="injured_civilian").column == "injured_civilian"
    with pytest.raises(ValueError, match="no district has a value"):
        result.choice(metric="roads_km")
    page = result.map(metric="uxo", title="My <map>", attribution="Desk", self_contained=False).get_root().render()
    data = json.loads(page.split('<script type="application/json" id="mm-data">', 1)[1].split("</script>", 1)[0])
    assert data["layers"][data["default_layer"]]["column"] == "uxo_est" and data["attribution"][0] == "Desk"
    assert "<h1>My &lt;map&gt;</h1>" in page and "cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js" in page


def test_save_writes_what_the_command_writes(reports, tmp_path):
    result = minemap.run([reports])
    api_out = tmp_path / "api"
    paths = result.save(api_out)
    assert [p.name for p in paths] == [*OUTPUT_FILES, "map.html", "map.png", "map.svg"]
    cli_out = tmp_path / "cli"
    r = CliRunner().invoke(main, ["run", str(reports), "-o", str(cli_out)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    for p in paths:
        assert (cli_out / p.name).read_bytes() == p.read_bytes(), p.name


def test_figures_file_renders_the_same_outputs(reports, tmp_path):
    first = tmp_path / "first"
    minemap.run([reports]).save(first)
    again = tmp_path / "again"
    r = CliRunner().invoke(main, ["run", "--figures", str(first / "figures.jsonl"), "-o", str(again)],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    for p in first.iterdir():
        assert (again / p.name).read_bytes() == p.read_bytes(), p.name


def test_corrected_figures_change_the_map_and_bad_lines_are_listed(reports, tmp_path):
    first = tmp_path / "first"
    minemap.run([reports]).save(first, maps=False)
    lines = (first / "figures.jsonl").read_text(encoding="utf-8").splitlines()
    kept = []
    for line in lines:
        rec = json.loads(line)
        if rec["metric"] == "area_ha":
            rec["value"] = 21.0  # the analyst corrects a typo
        if rec["metric"] == "uxo":
            continue            # ... and deletes a wrong figure
        kept.append(json.dumps(rec))
    reviewed = tmp_path / "reviewed" / "figures.jsonl"
    reviewed.parent.mkdir()
    reviewed.write_text("\n".join(kept + ['{"doc_id": "wk", "metric": "apples", "value": 3}', "not json"]) + "\n",
                        encoding="utf-8")
    result = minemap.run(figures=reviewed)
    fuz = result.districts.set_index("code").loc["AZ-FUZ"]
    assert fuz["area_ha"] == 21 and pd.isna(fuz["uxo"])
    reasons = {s["path"].rsplit(":", 1)[1]: s["reason"] for s in result.skipped}
    assert set(reasons) == {str(len(kept) + 1), str(len(kept) + 2)}
    assert "unknown metric 'apples'" in reasons[str(len(kept) + 1)] and "not JSON" in reasons[str(len(kept) + 2)]
    assert result.summary["documents"]["skipped"] == 2
    # no documents.csv next to the reviewed file: outlets and titles are absent, and the run says what
    # else that costs
    assert all(d.source is None and d.title is None for d in result.documents.values())
    [note] = result.summary["notes"]
    assert "no documents.csv" in note and "publication date" in note
    out = tmp_path / "out"
    result.save(out, maps=False)
    assert "## Notes" in (out / "summary.md").read_text(encoding="utf-8")


def test_figures_as_csv(reports, tmp_path):
    result = minemap.run([reports])
    path = tmp_path / "figures.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["doc_id", "metric", "value", "qualifier", "scope", "period_start", "period_end", "districts",
                    "group", "evidence"])
        for f in result.figures:
            w.writerow([f.doc_id, f.metric, f.value, f.qualifier, f.scope, f.period_start or "", f.period_end or "",
                        ";".join(f.districts), f.group or "", f.evidence.text])
    again = minemap.run(figures=path)
    cols = ["code", "ap_mines", "uxo", "area_ha", "injured_civilian"]
    pd.testing.assert_frame_equal(pd.DataFrame(again.districts[cols]), pd.DataFrame(result.districts[cols]))


def test_empty_input_is_an_error_and_keeps_previous_outputs(reports, tmp_path):
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["run", str(reports), "-o", str(out), "--no-maps"]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    empty = tmp_path / "empty"
    empty.mkdir()
    r = CliRunner().invoke(main, ["run", str(empty), "-o", str(out), "--no-maps"])
    assert r.exit_code != 0 and "no documents" in r.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    with pytest.raises(minemap.RunError, match="no documents"):
        minemap.run([empty])


@pytest.mark.parametrize("bad", ["yesterday", "2024-13-01", "2024-02-30", "0001-01-01", "9999-12-31",
                                 "20240301", "2024-3-1"])
@pytest.mark.parametrize("command", [["run", "--no-maps", "--date"], ["run", "--no-maps", "--from"],
                                     ["run", "--no-maps", "--to"], ["extract", "--date"]])
def test_every_date_option_is_checked_the_same_way(reports, tmp_path, command, bad):
    r = CliRunner().invoke(main, [*command, bad, str(reports), *(["-o", str(tmp_path / "o")] if command[0] == "run"
                                                                else [])])
    assert r.exit_code == 2, r.output
    assert "Invalid value" in r.output and bad in r.output


def test_api_checks_dates_too(reports):
    with pytest.raises(ValueError, match="not a date"):
        minemap.run([reports], date_from="last week")
    with pytest.raises(ValueError, match="plausible range"):
        minemap.run([reports], date="0001-01-01")


def test_class_counts_are_checked_alike_in_the_api_and_the_command():
    from minemap.classify import K_MAX, K_MIN, classify
    from minemap.cli_run import run_cmd

    [k] = [p for p in run_cmd.params if p.name == "k"]
    assert (k.type.min, k.type.max) == (K_MIN, K_MAX)
    for bad in (K_MIN - 1, K_MAX + 1):
        with pytest.raises(ValueError, match="number of classes"):
            classify([1, 2, 3], "quantiles", bad)
