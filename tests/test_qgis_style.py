"""districts.gpkg in a real QGIS: the default style stored in `layer_styles` opens as a graduated choropleth.

QGIS's Python bindings come from Debian (python3-qgis, qgis-providers) and only import under Debian's
/usr/bin/python3, not the venv: the QGIS side runs as a subprocess script that prints JSON, and this test checks
what it reports. A missing QGIS is a failure, never a skip (CI installs it in .ci/run).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pyogrio
import pytest
from PIL import Image


SYSTEM_PYTHON = "/usr/bin/python3"
TITLE = "Clearance <by> district & more"
CREDIT = "Compiled by the Example Desk"
INSTALL_HINT = ("QGIS is required for this test: `apt-get install python3-qgis qgis-providers` "
                "(Debian's /usr/bin/python3 must be able to `import qgis.core`; .ci/run installs it)")

# Runs under /usr/bin/python3. argv: gpkg path, png path. Prints one JSON object.
QGIS_SCRIPT = r'''
import json, sys
from qgis.core import (Qgis, QgsApplication, QgsVectorLayer, QgsMapSettings, QgsMapRendererSequentialJob,
                       QgsRenderContext, QgsFeatureRequest)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

gpkg, png = sys.argv[1], sys.argv[2]
app = QgsApplication([], False)
app.setPrefixPath("/usr", True)
app.initQgis()
out = {"qgis_version": Qgis.QGIS_VERSION}

# Opening the layer as QGIS does when a user adds it: the database default style applies by itself.
layer = QgsVectorLayer(gpkg + "|layername=districts", "districts", "ogr")
out["valid"] = layer.isValid()
out["feature_count"] = layer.featureCount()
out["fields"] = {f.name(): {"numeric": f.isNumeric(), "type": f.typeName()} for f in layer.fields()}
out["renderer_at_open"] = layer.renderer().type() if layer.renderer() else None
n, ids, names, descs, err = layer.listStylesInDatabase()
out["styles_in_db"] = {"count": n, "names": list(names), "error": err}
msg, ok = layer.loadDefaultStyle()
out["load_default_style"] = {"ok": ok, "message": msg}

r = layer.renderer()
out["renderer"] = r.type()
md = layer.metadata()
out["metadata"] = {"title": md.title(), "rights": list(md.rights()), "abstract": md.abstract()}
if r.type() == "RuleRenderer":
    out["rules"] = [{"label": rule.label(), "filter": rule.filterExpression(),
                     "colors": [rule.symbol().symbolLayer(i).color().name()
                                for i in range(rule.symbol().symbolLayerCount())],
                     "styles": [rule.symbol().symbolLayer(i).properties().get("style")
                                for i in range(rule.symbol().symbolLayerCount())]}
                    for rule in r.rootRule().children()]
    # Which features get a symbol, and which rule: every district must be drawn, with or without data.
    ctx = QgsRenderContext()
    r.startRender(ctx, layer.fields())
    drawn, per_rule = 0, {}
    for f in layer.getFeatures(QgsFeatureRequest()):
        syms = r.symbolsForFeature(f, ctx)
        drawn += bool(syms) and r.willRenderFeature(f, ctx)
        for rule in r.rootRule().children():
            if rule.isFilterOK(f, ctx):
                per_rule[rule.label()] = per_rule.get(rule.label(), 0) + 1
                break
    r.stopRender(ctx)
    out["features_drawn"] = drawn
    out["features_per_rule"] = per_rule
out["legend_items"] = [{"label": it.label(), "has_symbol": it.symbol() is not None}
                       for it in r.legendSymbolItems()]

settings = QgsMapSettings()
settings.setLayers([layer])
settings.setDestinationCrs(layer.crs())
extent = layer.extent()
extent.scale(1.05)
settings.setExtent(extent)
settings.setOutputSize(QSize(1000, 800))
settings.setBackgroundColor(QColor(255, 255, 255))
settings.setFlag(QgsMapSettings.Antialiasing, False)
job = QgsMapRendererSequentialJob(settings)
job.start()
job.waitForFinished()
out["render_errors"] = [e.message for e in job.errors()]
out["png_saved"] = job.renderedImage().save(png, "PNG")

print("JSON:" + json.dumps(out), flush=True)
# Drop every QGIS object before tearing the application down (else PyQGIS may crash at exit).
del job, settings, r, layer
app.exitQgis()
'''


def _qgis_env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    home = tmp_path / "home"
    runtime = tmp_path / "runtime"
    home.mkdir()
    runtime.mkdir(mode=0o700)
    # Offscreen Qt; QGIS settings and caches go to a throw-away home, not the user's.
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(home), XDG_RUNTIME_DIR=str(runtime))
    return env


def _require_qgis(env: dict) -> None:
    if not Path(SYSTEM_PYTHON).exists():
        pytest.fail(f"{SYSTEM_PYTHON} not found. {INSTALL_HINT}")
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import qgis.core"], env=env, capture_output=True, text=True,
                           timeout=120)
    if probe.returncode != 0:
        pytest.fail(f"{SYSTEM_PYTHON} cannot import qgis.core ({probe.stderr.strip().splitlines()[-1:]}). "
                    f"{INSTALL_HINT}")


@pytest.fixture(scope="module")
def qgis_report(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("qgis")
    env = _qgis_env(tmp_path)
    _require_qgis(env)
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-c", "from minemap.cli import main; main()", "run", "-o", str(out),
                          "--title", TITLE, "--attribution", CREDIT], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    gpkg = out / "districts.gpkg"
    png = tmp_path / "districts_qgis.png"
    proc = subprocess.run([SYSTEM_PYTHON, "-c", QGIS_SCRIPT, str(gpkg), str(png)], env=env,
                          capture_output=True, text=True, timeout=300)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("JSON:")]
    assert proc.returncode == 0 and lines, f"QGIS script failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    rep = json.loads(lines[-1][5:])
    rep["stderr"] = proc.stderr
    return rep, gpkg, png, out


def _page_json(out: Path) -> dict:
    html = (out / "map.html").read_text(encoding="utf-8")
    return json.loads(re.search(r'<script type="application/json" id="mm-data">(.*?)</script>', html, re.S).group(1))


def test_qgis_opens_layer_with_the_maps_layer_classes_and_colours(qgis_report):
    rep, gpkg, _, out = qgis_report
    assert rep["valid"] and rep["feature_count"] == 77, rep
    # No GDAL complaint when QGIS reads the file (e.g. a GeoPackage version newer than its GDAL knows).
    assert "Warning" not in rep["stderr"] and "ERROR" not in rep["stderr"], rep["stderr"]
    assert rep["styles_in_db"]["count"] == 1 and rep["styles_in_db"]["names"] == ["minemap default"], rep
    # The stored default style is applied when the layer is opened, as in QGIS desktop.
    assert rep["renderer_at_open"] == "RuleRenderer", rep
    assert rep["load_default_style"]["ok"], rep
    assert rep["renderer"] == "RuleRenderer", rep

    # One classification and one palette per run: the rules are the classes of map.html's opening layer,
    # which is a clearance layer.
    page = _page_json(out)
    opening = page["layers"][page["default_layer"]]
    classes = page["frames"][0]["classes"][page["default_layer"]]
    assert opening["metric"] in ("area_ha", "explosive_items", "mines", "uxo", "ap_mines", "at_mines", "roads_km")
    rules, nodata = rep["rules"][:-1], rep["rules"][-1]
    assert [ru["label"] for ru in rules] == classes["legend"], (rules, classes)
    assert [ru["colors"][0] for ru in rules] == classes["colors"]
    assert all(f'"{opening["column"]}"' in ru["filter"] for ru in rules)
    assert nodata["label"] == "No data (no report names it)" and nodata["filter"] == f'"{opening["column"]}" IS NULL'
    assert nodata["styles"] == ["solid", "b_diagonal"]

    # Every district is drawn: those with a value in a class, the others as "no data" (not left out).
    layer = pyogrio.read_dataframe(gpkg, layer="districts")
    with_value = int(layer[opening["column"]].notna().sum())
    assert rep["features_drawn"] == 77, rep
    assert rep["features_per_rule"][nodata["label"]] == 77 - with_value
    assert sum(n for lab, n in rep["features_per_rule"].items() if lab != nodata["label"]) == with_value
    assert len(rep["legend_items"]) == len(rep["rules"]), rep["legend_items"]
    assert [it["label"] for it in rep["legend_items"]] == [ru["label"] for ru in rep["rules"]]
    assert all(it["has_symbol"] for it in rep["legend_items"])

    # --title and --attribution reach the style (layer metadata), next to the data and boundary credits
    assert rep["metadata"]["title"] == TITLE
    assert CREDIT in rep["metadata"]["rights"][0] and "Natural Earth" in rep["metadata"]["rights"][0]
    assert opening["label"] in rep["metadata"]["abstract"]


def test_qgis_renders_the_choropleth_and_the_districts_without_data(qgis_report):
    rep, _, png, _ = qgis_report
    assert rep["png_saved"] and png.exists(), rep
    assert rep["render_errors"] == [], rep["render_errors"]
    img = Image.open(png).convert("RGB")
    assert img.size == (1000, 800)
    counts = {rgb: n for n, rgb in img.getcolors(maxcolors=1 << 20)}
    assert len(counts) >= 4, counts                       # not blank: background, outlines, several fills
    # Each class colour is painted (antialiasing is off, so fills are exact), and so is the no-data hatch.
    for ru in rep["rules"]:
        rgb = tuple(int(ru["colors"][-1][i:i + 2], 16) for i in (1, 3, 5))
        assert counts.get(rgb, 0) > 20, (ru, sorted(counts.items(), key=lambda kv: -kv[1])[:12])
