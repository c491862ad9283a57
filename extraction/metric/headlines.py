"""Headlines: a number in a headline that repeats a figure of the body (rounded or not) is not a figure
of its own; a headline number the body does not state is one (figures.md "Headlines")."""
from __future__ import annotations

import math

from minemap.extraction.record import Document, unit_of

HEADLINE_REPEAT = "metric.not-a-headline-repeat"


def headline_paragraph(doc: Document, sentences) -> int | None:
    """Index of the paragraph that is the headline, or None."""
    if not doc.title or not sentences:
        return None
    title = " ".join(doc.title.split())
    head = " ".join(doc.text[: len(doc.title) + 40].split())
    if head.startswith(title) and sentences[0].para == 0:
        # a title that is the whole first paragraph; one that runs into the body is body text
        first_para_end = max(s.end for s in sentences if s.para == 0)
        if len(" ".join(doc.text[:first_para_end].split())) <= len(title) + 2:
            return 0
    return None


def _rounded_equal(h: float, b: float) -> bool:
    # whole counts are rounded only to round numbers: "Four injured" does not repeat a body's 3 or 5
    whole = h == int(h) and b == int(b)
    if h == b or (not whole and abs(h - b) <= max(1.0, 0.005 * abs(b))) or (whole and abs(h - b) <= 0.005 * abs(b)):
        return True
    if h <= 0:
        return False
    # "8,500" for 8,529 / "1,200" for 1,198.7: the headline keeps fewer significant digits
    digits = len(str(int(h)).rstrip("0")) if h == int(h) else None
    if digits is None:
        return False
    mag = 10 ** (len(str(int(h))) - digits)
    return math.floor(b / mag) * mag == h or round(b / mag) * mag == h


def repeats_body(metric: str, value: float, body: list[tuple[str, float]]) -> bool:
    unit = unit_of(metric)
    return any(unit_of(m) == unit and _rounded_equal(value, v) for m, v in body)
