"""exact / approx / at_least / at_most from the words just before a number."""
from __future__ import annotations

from functools import lru_cache
from re import _parser

from minemap.extraction.lang import alternation, case_blind, load

ORDER = ("approx", "at_least", "at_most")


@lru_cache(maxsize=None)
def _pattern():
    # one pattern, one group per qualifier: all phrases end at the number, so the leftmost match is the
    # longest ("just over" is approx, "over" alone at_least)
    data = load("qualifiers")
    phrases = "(?:" + "|".join(f"(?P<{q}>{alternation(data[q])})" for q in ORDER) + ")"
    # with the length of the longest phrase: a phrase ends at the last word before the number (only spaces
    # after it), so it starts at most that far before that word's end and the pattern is tried there only,
    # not at every character of the text before the number
    return case_blind(r"(?<![\w-])" + phrases + r"\s*$"), _parser.parse(phrases).getwidth()[1]


# the longest qualifier phrase is shorter: a number's qualifier is looked for in this many characters before it
_WIDTH = 40


def qualifier(before: str) -> tuple[str, int]:
    """Qualifier of the number that follows `before`, and how many characters it spans (0 if exact).

    The longest match wins so that "just over" is approx and "over" alone at_least.
    """
    before = before[-_WIDTH:]
    rx, longest = _pattern()
    m = rx.search(before, max(0, len(before.rstrip()) - longest))
    if m is None:
        return ("exact", 0)
    return (m.lastgroup, len(m.group(0)))


def qualifier_at(text: str, pos: int) -> tuple[str, int]:
    """`qualifier` of the number at `pos` of `text` (without copying the text before it)."""
    return qualifier(text[max(0, pos - _WIDTH):pos])
