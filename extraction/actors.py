"""Who did the work or issued the figure, when the sentence says so (data/<lang>/actors.yaml)."""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from minemap.extraction.lang import alternation, load


@lru_cache(maxsize=None)
def _pattern(case_blind: bool):
    names = [n for n in load("actors") if not n.startswith("_")]
    parts = [f"(?P<a{i}>{alternation(load('actors')[n])})" for i, n in enumerate(names)]
    # the actors' phrases are lower-case: a lower-cased text is read several times faster than a case-blind pattern
    return names, re.compile(("(?i)" if case_blind else "") + r"(?<![\w-])(?:" + "|".join(parts) + ")")


class Actors:
    """The actors named in a document, found in one pass over it."""

    def __init__(self, text: str):
        lower = text.lower()
        names, rx = _pattern(len(lower) != len(text))
        found = rx.finditer(lower if len(lower) == len(text) else text)
        self._found = [(m.start(), names[int(m.lastgroup[1:])]) for m in found]
        self._starts = [p for p, _ in self._found]

    def within(self, start: int, end: int) -> list[tuple[int, str]]:
        """The actors named in text[start:end], offsets relative to `start`."""
        return [(p - start, name) for p, name in self._found[bisect_left(self._starts, start):bisect_left(self._starts, end)]]


def actor_for(found: list[tuple[int, str]], pos: int) -> str | None:
    """The nearest actor named before `pos` in the sentence, else the first one named after it."""
    before = [name for p, name in found if p < pos]
    if before:
        return before[-1]
    return found[0][1] if found else None
