"""The core install works without the map stack, and what needs it says what to install.

A real interpreter runs with an import hook that hides the map stack, as on a machine where only
`pip install minemap` was run."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

HIDE = textwrap.dedent("""
    import sys
    HIDDEN = {"geopandas", "shapely", "pyogrio", "pyproj", "pandas", "folium", "branca", "mapclassify",
              "matplotlib"}

    class Hide:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in HIDDEN:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, Hide())
    import importlib.util
    _find = importlib.util.find_spec
    importlib.util.find_spec = lambda name, *a: None if name.split(".")[0] in HIDDEN else _find(name, *a)
    from minemap.cli import main
    sys.argv = ["minemap", *sys.argv[1:]]
    main()
""")


def _minemap(*args, cwd):
    return subprocess.run([sys.executable, "-c", HIDE, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


@pytest.fixture()
def report(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(" date 2023-03-21 By Desk\n\nBetween March 13 and 18, deminers found 12 anti-personnel mines "
                 "in the Fuzuli district.\n", encoding="utf-8")
    return p


def test_extract_eval_and_listing_work_without_the_map_stack(report, tmp_path):
    r = _minemap("extract", str(report), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    [rec] = [json.loads(x) for x in r.stdout.splitlines()]
    assert (rec["metric"], rec["value"], rec["districts"]) == ("ap_mines", 12, ["AZ-FUZ"])
    from minemap.extraction.sample import SAMPLE_DIR
    r = _minemap("eval", str(SAMPLE_DIR), cwd=tmp_path)
    assert r.returncode == 0 and "full" in r.stdout, r.stderr
    r = _minemap("boundaries", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.count("\nAZ-") == 77


@pytest.mark.parametrize("args", [["run", "REPORT"], ["boundaries", "--export", "x.geojson"]])
def test_map_commands_say_what_to_install(report, tmp_path, args):
    r = _minemap(*[str(report) if a == "REPORT" else a for a in args], cwd=tmp_path)
    assert r.returncode == 1
    assert "pip install 'minemap[maps]'" in r.stderr and "Traceback" not in r.stderr
    assert "which are not installed" in r.stderr
    # boundary files need the GIS part of the stack, not the map renderers
    assert ("folium" in r.stderr) == (args[0] == "run")
    assert not (tmp_path / "outputs").exists()
