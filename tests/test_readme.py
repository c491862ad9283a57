"""The README says what the code does: its examples run, its options exist."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_python_api_example_runs(tmp_path):
    code = re.search(r"```python\n(.*?)```", _section("Python API"), re.S).group(1)
    env = dict(os.environ, MPLBACKEND="Agg")
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env,
                       timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert (tmp_path / "outputs" / "map.html").is_file() and (tmp_path / "outputs" / "figures.jsonl").is_file()
    assert "summed" in r.stdout and "area_ha" in r.stdout


def test_every_api_name_in_the_table_exists():
    import minemap

    names = set(re.findall(r"`minemap\.(\w+)\(", _section("Python API")))
    assert names and all(hasattr(minemap, n) for n in names), names


def test_docs_point_only_at_what_a_clone_has():
    # the project's shared folder (specs, corpora, scorer) is not part of the repository: the READMEs
    # describe the rules in their own words and link only to files of the clone
    docs = [ROOT / "README.md", *sorted(ROOT.glob("*/README.md"))]
    for path in docs:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?:\.\./|\b)shared/(?:spec|corpus|tools|seeds|boundaries)\b", text), path
        text = re.sub(r"```.*?```|`[^`\n]*`", "", text, flags=re.S)      # code is no link
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if not re.match(r"[a-z]+:", target):   # a relative link: the file must be in the clone
                assert (path.parent / target).exists(), (path, target)
