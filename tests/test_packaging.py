"""Installing minemap: one import name, and the README's example from an installed copy.

The wheel is built from the repository as pip builds it for users (build isolation: setuptools from the
package registry), installed into a fresh virtual environment, and that environment's site-packages is
compared before and after. The map stack is then lent to the fresh environment (a .pth line to this
environment's site-packages), so that the README's API example runs against the installed copy without
downloading every dependency again."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    # built from a copy: setuptools writes build/ and *.egg-info next to the sources it builds
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md", "geo", "extraction", "boundaries"):
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, src / name, **({"ignore": shutil.ignore_patterns("__pycache__")} if copy is shutil.copytree else {}))
    out = tmp_path_factory.mktemp("wheel")
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(src)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    [whl] = out.glob("minemap-*.whl")
    return whl


def _site_packages(env: Path) -> Path:
    [sp] = env.glob("lib/python*/site-packages")
    return sp


def test_wheel_holds_one_top_level_package_with_its_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"minemap", wheel.name.split("-py3")[0] + ".dist-info"}
    for needed in ("minemap/py.typed", "minemap/extraction/data/", "minemap/extraction/sample/",
                   "minemap/boundaries/data/districts.geojson", "minemap/data/"):
        assert any(n.startswith(needed) for n in names), needed


def test_install_adds_only_minemap_and_the_readme_example_runs(wheel, tmp_path):
    env = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=False).create(env)
    py = env / "bin" / "python"
    sp = _site_packages(env)
    before = {p.name for p in sp.iterdir()}
    r = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps", str(wheel)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    added = {p.name for p in sp.iterdir()} - before
    assert {n for n in added if not n.endswith(".dist-info")} == {"minemap"}
    assert [n for n in added if n.endswith(".dist-info")] == [wheel.name.split("-py3")[0] + ".dist-info"]

    # the dependencies come from this environment, after the comparison above
    (sp / "zz_lent_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"## Python API\n.*?```python\n(.*?)```", readme, re.S).group(1)
    work = tmp_path / "work"
    work.mkdir()
    check = "import minemap, pathlib; print(pathlib.Path(minemap.__file__).resolve())\n"
    r = subprocess.run([str(py), "-c", check + code], cwd=work, capture_output=True, text=True, timeout=300,
                       env={"PATH": "/usr/bin:/bin", "MPLBACKEND": "Agg", "HOME": str(tmp_path)})
    assert r.returncode == 0, r.stderr[-3000:]
    assert r.stdout.splitlines()[0].startswith(str(sp.resolve()))   # the installed copy, not the repository
    assert (work / "outputs" / "map.html").is_file()
    r = subprocess.run([str(env / "bin" / "minemap"), "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "minemap, version" in r.stdout
