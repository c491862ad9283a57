"""Who did the work or issued the figure, when the sentence says so (data/actors.json)."""
from __future__ import annotations

import re
from functools import lru_cache

from minemap.extraction.lang import alternation, load


@lru_cache(maxsize=None)
def _pattern():
    names = [n for n in load("actors") if not n.startswith("_")]
    parts = [f"(?P<a{i}>{alternation(load('actors')[n])})" for i, n in enumerate(names)]
    return names, re.compile(r"(?i)(?<![\w-])(?:" + "|".join(parts) + ")")


def actor_mentions(text: str) -> list[tuple[int, str]]:
    names, rx = _pattern()
    return [(m.start(), names[int(m.lastgroup[1:])]) for m in rx.finditer(text)]


def actor_for(found: list[tuple[int, str]], pos: int) -> str | None:
    """The nearest actor named before `pos` in the sentence, else the first one named after it."""
    before = [name for p, name in found if p < pos]
    if before:
        return before[-1]
    return found[0][1] if found else None
