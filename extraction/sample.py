"""The embedded sample corpus: short reports (the project's own wording, plus the dev documents whose
names start with "dev") with their gold files, so that `minemap run` and `minemap eval` work out of the box."""
from __future__ import annotations

from pathlib import Path

SAMPLE_DIR: Path = Path(__file__).resolve().parent / "sample"


def sample_paths() -> list[Path]:
    """The sample's document files in reading order (gold files excluded)."""
    return sorted(p for p in SAMPLE_DIR.iterdir()
                  if p.is_file() and not p.name.endswith(".gold.jsonl") and not p.name.startswith("."))
