"""Term lists from extraction/data/*.json, compiled once."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    with (DATA / name).open(encoding="utf-8") as f:
        return json.load(f)


def alternation(fragments) -> str:
    return "(?:" + "|".join(sorted(fragments, key=len, reverse=True)) + ")"


@lru_cache(maxsize=None)
def cue(name: str) -> re.Pattern:
    """A case-insensitive regex matching any phrase of cues.json[name] at word starts."""
    return re.compile(r"(?i)(?<![\w-])" + alternation(load("cues.json")[name]))
