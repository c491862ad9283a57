"""districts.gpkg in a real QGIS: the default style stored in `layer_styles` opens as a graduated choropleth.

QGIS's Python bindings come from Debian (python3-qgis, qgis-providers) and only import under Debian's
/usr/bin/python3, not the venv: the QGIS side runs as a subprocess script that prints JSON, and this test checks
what it reports. A missing QGIS is a failure, never a skip (CI installs it in .ci/run).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyogrio
import pytest
from PIL import Image

from minemap.qgis_style import RAMP, default_metric

SYSTEM_PYTHON = "/usr/bin/python3"
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
if r.type() == "graduatedSymbol":
    attr = r.classAttribute()
    out["class_attribute"] = attr
    out["ranges"] = [{"lower": g.lowerValue(), "upper": g.upperValue(), "label": g.label(),
                      "render": g.renderState(), "color": g.symbol().color().name()} for g in r.ranges()]
    idx = layer.fields().indexOf(attr)
    out["attribute_min"] = layer.minimumValue(idx) if idx >= 0 else None
    out["attribute_max"] = layer.maximumValue(idx) if idx >= 0 else None
    # Which features get a symbol: every one with a value must fall in a class.
    ctx = QgsRenderContext()
    r.startRender(ctx, layer.fields())
    with_value = drawn = with_value_drawn = 0
    for f in layer.getFeatures(QgsFeatureRequest()):
        has = f[attr] is not None and str(f[attr]) != "NULL"
        sym = r.symbolForFeature(f, ctx)
        with_value += has
        drawn += sym is not None
        with_value_drawn += has and sym is not None
    r.stopRender(ctx)
    out["features_with_value"] = with_value
    out["features_drawn"] = drawn
    out["features_with_value_drawn"] = with_value_drawn
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
                          "--no-maps"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    gpkg = out / "districts.gpkg"
    png = tmp_path / "districts_qgis.png"
    proc = subprocess.run([SYSTEM_PYTHON, "-c", QGIS_SCRIPT, str(gpkg), str(png)], env=env,
                          capture_output=True, text=True, timeout=300)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("JSON:")]
    assert proc.returncode == 0 and lines, f"QGIS script failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    rep = json.loads(lines[-1][5:])
    rep["stderr"] = proc.stderr
    return rep, gpkg, png


def test_qgis_opens_layer_with_default_graduated_style(qgis_report):
    rep, gpkg, _ = qgis_report
    assert rep["valid"] and rep["feature_count"] == 77, rep
    # No GDAL complaint when QGIS reads the file (e.g. a GeoPackage version newer than its GDAL knows).
    assert "Warning" not in rep["stderr"] and "ERROR" not in rep["stderr"], rep["stderr"]
    assert rep["styles_in_db"]["count"] == 1 and rep["styles_in_db"]["names"] == ["minemap default"], rep
    # The stored default style is applied when the layer is opened, as in QGIS desktop.
    assert rep["renderer_at_open"] == "graduatedSymbol", rep
    assert rep["load_default_style"]["ok"], rep
    assert rep["renderer"] == "graduatedSymbol", rep

    attr = rep["class_attribute"]
    assert attr in rep["fields"] and rep["fields"][attr]["numeric"], (attr, rep["fields"])
    layer = pyogrio.read_dataframe(gpkg, layer="districts")
    assert attr == default_metric(layer)

    ranges = rep["ranges"]
    assert len(ranges) >= 3, ranges
    lows = [g["lower"] for g in ranges]
    highs = [g["upper"] for g in ranges]
    assert all(lo < hi for lo, hi in zip(lows, highs)), ranges
    assert lows == sorted(set(lows)) and highs == sorted(set(highs)), ranges
    assert all(a == b for a, b in zip(highs, lows[1:])), ranges          # contiguous classes
    assert lows[0] <= rep["attribute_min"] and highs[-1] >= rep["attribute_max"], rep   # cover the data
    assert all(g["label"].strip() and g["render"] for g in ranges), ranges
    colors = [g["color"] for g in ranges]
    assert len(set(colors)) == len(colors) and set(colors) <= {c.lower() for c in RAMP}, colors

    # Every district with a value falls in a class (none is silently dropped).
    assert rep["features_with_value"] >= len(ranges)
    assert rep["features_with_value_drawn"] == rep["features_with_value"], rep

    assert len(rep["legend_items"]) == len(ranges), rep["legend_items"]
    assert [it["label"] for it in rep["legend_items"]] == [g["label"] for g in ranges]
    assert all(it["has_symbol"] for it in rep["legend_items"])


def test_qgis_renders_a_choropleth(qgis_report):
    rep, _, png = qgis_report
    assert rep["png_saved"] and png.exists(), rep
    assert rep["render_errors"] == [], rep["render_errors"]
    img = Image.open(png).convert("RGB")
    assert img.size == (1000, 800)
    counts = {rgb: n for n, rgb in img.getcolors(maxcolors=1 << 20)}
    assert len(counts) >= 4, counts                       # not blank: background, outlines, several fills
    white = counts.get((255, 255, 255), 0)
    assert white < img.width * img.height, "blank image"
    # Each class colour is painted (antialiasing is off, so fills are exact).
    for g in rep["ranges"]:
        rgb = tuple(int(g["color"][i:i + 2], 16) for i in (1, 3, 5))
        assert counts.get(rgb, 0) > 20, (g, sorted(counts.items(), key=lambda kv: -kv[1])[:12])
