import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from click.testing import CliRunner
from shapely.geometry import Polygon, box

from minemap.cli import main

from helpers import SHARED  # noqa: E402

GEOBOUNDARIES = SHARED / "boundaries" / "geoBoundaries-AZE-ADM2.geojson"


def run(*args):
    return CliRunner().invoke(main, ["boundaries", *args])


def test_lists_the_77_units_as_an_aligned_table():
    r = run()
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].split() == ["code", "name", "name_en", "kind"]
    rows = [l for l in lines[2:] if l.startswith("AZ-")]
    assert len(rows) == 77
    assert "AZ-LAC  Laçın" in r.output and "Lachin" in r.output
    sus = next(l for l in rows if l.startswith("AZ-SUS"))
    assert sus.split() == ["AZ-SUS", "Şuşa", "Shusha", "rayon"]
    # aligned: the English name starts in the same column on every row
    col = lines[0].index("name_en")
    assert all(l[col - 2:col] == "  " and l[col] != " " for l in rows)


@pytest.mark.parametrize("ext", [".geojson", ".gpkg", ".shp", ".csv"])
def test_export(tmp_path, ext):
    out = tmp_path / f"districts{ext}"
    r = run("--export", str(out))
    assert r.exit_code == 0, r.output
    assert "wrote 77 units" in r.output
    df = pyogrio.read_dataframe(out, read_geometry=False)
    assert len(df) == 77 and set(df.columns) >= {"code", "name", "name_en", "kind"}


def test_checks_a_user_file_and_reports_misses(tmp_path):
    gdf = gpd.GeoDataFrame({"NAME": ["Agdam District", "Shusha City", "Atlantis"],
                            "geometry": [box(46.8, 39.9, 47.0, 40.1), box(46.7, 39.7, 46.8, 39.8), box(0, 0, 1, 1)]},
                           crs=4326)
    path = tmp_path / "mine.gpkg"
    pyogrio.write_dataframe(gdf.to_crs(3857), path)
    r = run("--boundaries", str(path), "--name-field", "NAME")
    assert r.exit_code == 0, r.output
    assert "AZ-AGM" in r.output and "Agdam District" in r.output
    assert "AZ-SUS" in r.output and "Shusha City" in r.output
    assert "feature 2 ('Atlantis') matches no unit" in r.output
    assert "75 unit(s) with no feature" in r.output
    assert "reprojected from EPSG:3857" in r.output


def test_repaired_geometry_is_reported_as_warning(tmp_path):
    bowtie = Polygon([(46.8, 39.9), (47.0, 40.1), (47.0, 39.9), (46.8, 40.1), (46.8, 39.9)])
    path = tmp_path / "bow.geojson"
    pyogrio.write_dataframe(gpd.GeoDataFrame({"iso": ["AZ-AGM"], "geometry": [bowtie]}, crs=4326), path)
    out = tmp_path / "fixed.geojson"
    r = CliRunner().invoke(main, ["boundaries", "--boundaries", str(path), "--code-field", "iso", "--export", str(out)])
    assert r.exit_code == 0, r.output
    assert "invalid geometry" in r.output and "repaired" in r.output
    fixed = gpd.read_file(out)
    assert fixed.is_valid.all() and list(fixed.code) == ["AZ-AGM"]


@pytest.mark.skipif(not GEOBOUNDARIES.exists(), reason=f"reference file {GEOBOUNDARIES} not present (needs ../shared)")
def test_geoboundaries_file_matches_all_units():
    r = run("--boundaries", str(GEOBOUNDARIES), "--name-field", "shapeName")
    assert r.exit_code == 0, r.output
    assert "79 feature(s) matched 77 of 77 units" in r.output
    assert "AZ-LAN: 2 features dissolved into one" in r.output


def test_errors_are_messages_not_tracebacks(tmp_path):
    good = tmp_path / "good.geojson"
    pyogrio.write_dataframe(gpd.GeoDataFrame({"iso": ["AZ-AGM"], "geometry": [box(46.8, 39.9, 47, 40.1)]}, crs=4326), good)
    cases = [
        (["--boundaries", str(good), "--code-field", "ISO"], "good.geojson: no field 'ISO'"),
        (["--boundaries", str(tmp_path / "none.shp"), "--code-field", "x"], "none.shp: no such file"),
        (["--export", str(tmp_path / "d.kml")], "d.kml: unknown format"),
        (["--boundaries", str(good)], "needs --code-field or --name-field"),
        (["--code-field", "iso"], "need --boundaries"),
    ]
    for args, message in cases:
        r = run(*args)
        assert r.exit_code != 0
        assert message in r.output
        assert "Traceback" not in r.output and not isinstance(r.exception, (KeyError, ValueError, AttributeError))


def test_installed_command_in_a_subprocess(tmp_path):
    exe = Path(sys.executable).with_name("minemap")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-c", "from minemap.cli import main; main()"]
    r = subprocess.run(cmd + ["boundaries", "--boundaries", str(tmp_path / "x.gpkg"), "--code-field", "c"],
                       capture_output=True, text=True)
    assert r.returncode == 1
    assert "x.gpkg: no such file" in r.stderr and "Traceback" not in r.stderr
    r = subprocess.run(cmd + ["boundaries"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.count("\nAZ-") == 77


def test_listing_does_not_import_geopandas():
    code = ("import sys; from click.testing import CliRunner; from minemap.cli import main; "
            "r = CliRunner().invoke(main, ['boundaries']); assert r.exit_code == 0; "
            "print('geopandas' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.stdout.strip() == "False", r.stderr
