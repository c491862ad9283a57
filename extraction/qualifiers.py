"""exact / approx / at_least / at_most from the words just before a number."""
from __future__ import annotations

import re
from functools import lru_cache

from extraction.terms import alternation, load

ORDER = ("approx", "at_least", "at_most")


@lru_cache(maxsize=None)
def _patterns():
    data = load("qualifiers.json")
    return [(q, re.compile(r"(?i)(?<![\w-])" + alternation(data[q]) + r"\s*$")) for q in ORDER]


def qualifier(before: str) -> tuple[str, int]:
    """Qualifier of the number that follows `before`, and how many characters it spans (0 if exact).

    The longest match wins so that "just over" is approx and "over" alone at_least.
    """
    best = ("exact", 0)
    for q, rx in _patterns():
        m = rx.search(before[-40:])
        if m and len(m.group(0)) > best[1]:
            best = (q, len(m.group(0)))
    return best
