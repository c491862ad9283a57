"""exact / approx / at_least / at_most from the words just before a number."""
from __future__ import annotations

from functools import lru_cache

from minemap.extraction.lang import alternation, case_blind, load

ORDER = ("approx", "at_least", "at_most")


@lru_cache(maxsize=None)
def _pattern():
    # one pattern, one group per qualifier: all phrases end at the number, so the leftmost match is the
    # longest ("just over" is approx, "over" alone at_least)
    data = load("qualifiers")
    return case_blind(r"(?<![\w-])(?:" + "|".join(f"(?P<{q}>{alternation(data[q])})" for q in ORDER) + r")\s*$")


def qualifier(before: str) -> tuple[str, int]:
    """Qualifier of the number that follows `before`, and how many characters it spans (0 if exact).

    The longest match wins so that "just over" is approx and "over" alone at_least.
    """
    m = _pattern().search(before[-40:])
    if m is None:
        return ("exact", 0)
    return (m.lastgroup, len(m.group(0)))
