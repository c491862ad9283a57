"""District mentions of a sentence (via the `boundaries` gazetteer) and their attribution to figures."""
from __future__ import annotations

import re

from boundaries.gazetteer import Mention, default_gazetteer

from extraction.dates import _MONTH

# "BAKU, Azerbaijan, Oct. 5 (Trend) -" or "Baku, October 20.": the place a story was filed from.
_DATELINE_AFTER = re.compile(r"^\s*(?:,\s*(?:Azerbaijan\s*,?\s*)?(?:" + _MONTH + r"|\d)|\s*\(\s*[A-Z]|\s*[-–—:]\s)")


def mentions(text: str) -> list[Mention]:
    """District mentions of one sentence, datelines dropped."""
    out = []
    for m in default_gazetteer().find(text):
        if m.start <= 2 and _DATELINE_AFTER.match(text[m.end:m.end + 30]):
            continue
        out.append(m)
    return out


def codes(ms) -> tuple[str, ...]:
    return tuple(sorted({m.code for m in ms}))


def segment_codes(ms, spans) -> list[tuple[str, ...]] | None:
    """Per-figure districts when a sentence pairs each figure with its own place
    ("7,956 hectares in Aghdam, 14,016 hectares in Jabrayil, ...").

    `spans` are (figure_end, next_figure_start) offsets. Returns None when the sentence does not
    distribute (one list of places for all its figures).
    """
    per = []
    for a, b in spans:
        per.append(tuple(sorted({m.code for m in ms if a <= m.start and m.end <= b})))
    with_place = [p for p in per if p]
    if len(with_place) >= 2 and len(set(with_place)) >= 2:
        return per
    return None
