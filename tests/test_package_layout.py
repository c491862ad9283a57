"""The three floors import only downward, and only through the one import name `minemap`."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# folder -> (package it becomes, packages its modules may import from the project)
FLOORS = {
    "boundaries": ("minemap.boundaries", ("minemap.boundaries",)),
    "extraction": ("minemap.extraction", ("minemap.extraction", "minemap.boundaries")),
    "geo": ("minemap", ("minemap",)),
}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def _project_modules(folder: str):
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("folder", sorted(FLOORS))
def test_floor_imports_only_downward(folder):
    _, allowed = FLOORS[folder]
    bad = []
    for path in _project_modules(folder):
        for line, name in _imports(path):
            top = name.split(".")[0]
            if top in ("geo", "extraction", "boundaries"):
                bad.append(f"{path.relative_to(ROOT)}:{line}: bare '{name}' (import it as minemap.…)")
            elif top == "minemap" and folder != "geo":
                if not any(name == a or name.startswith(a + ".") for a in allowed):
                    bad.append(f"{path.relative_to(ROOT)}:{line}: imports {name} from a floor above")
    assert bad == []


def test_tests_and_scripts_use_the_one_import_name():
    bad = [f"{p.relative_to(ROOT)}:{line}: {name}" for p in sorted((ROOT / "tests").rglob("*.py"))
           for line, name in _imports(p) if name.split(".")[0] in ("geo", "extraction", "boundaries")]
    assert bad == []


def test_importing_a_lower_floor_does_not_load_the_map_stack():
    # `minemap.extraction` is usable without geopandas/folium/matplotlib (the core install).
    import subprocess
    import sys

    code = ("import sys, minemap.extraction.extract, minemap.boundaries.gazetteer; "
            "heavy = sorted(m for m in ('geopandas', 'folium', 'matplotlib', 'mapclassify', 'shapely') "
            "if m in sys.modules); print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/")
    assert out.stdout.strip() == ""


def test_repository_top_level_is_the_design_cards():
    # pyproject.toml, README.md, the three floors, tests/, outputs/ and .ci/ (plus git's own files)
    import subprocess

    r = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip("not a git checkout")
    top = {line.split("/")[0] for line in r.stdout.splitlines()}
    assert top <= {"pyproject.toml", "README.md", "geo", "boundaries", "extraction", "tests", "outputs", ".ci",
                   ".gitignore"}, top
