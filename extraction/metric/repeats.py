"""Figures stated twice are one figure (figures.md "Headlines", "Said twice").

A number in a headline that repeats a figure of the body (rounded or not) is not a figure of its own; a
headline number the body does not state is one. In the body, the same figure stated twice (again in a quote,
or rounded with a qualifier: "over 500 munitions" then "541 munitions") is one record, from its most precise
statement."""
from __future__ import annotations

import math
from collections import deque

from minemap.extraction.record import Document, unit_of

HEADLINE_REPEAT = "metric.not-a-headline-repeat"
SAID_TWICE = "metric.not-said-twice"


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


def rounded_equal(h: float, b: float) -> bool:
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


_ITEMS = ("ap_mines", "at_mines", "mines", "uxo", "explosive_items")
HEADLINE_SUM = "metric.headline-sums-mines-and-uxo"


def mines_and_uxo_sums(cands) -> list[float]:
    """The sum of one body sentence's list of counts of mines and UXO ("87 anti-personnel mines, 41 anti-tank mines
    and 184 UXO" gives 312), when it lists UXO beside mines."""
    items = [c for c in cands if c.metric in _ITEMS and c.part_of is None]
    if len(items) < 2 or not any(c.metric == "uxo" for c in items) \
            or not any(c.metric in ("ap_mines", "at_mines", "mines") for c in items):
        return []
    return [sum(c.value for c in items)]


def headline_sums_mines_and_uxo(metric: str, value: float, sums: list[float]) -> bool:
    """"312 mines neutralized last week" over a body of 87 anti-personnel mines, 41 anti-tank mines and 184 UXO: a
    headline's "mines" that add up the body's mines and UXO count both as one number (explosive items)."""
    return metric == "mines" and any(rounded_equal(value, v) for v in sums)


def repeats_body(metric: str, value: float, body: list[tuple[str, float]]) -> bool:
    unit = unit_of(metric)
    return any(unit_of(m) == unit and _may_repeat(metric, m) and rounded_equal(value, v) for m, v in body)


def _may_repeat(head: str, body: str) -> bool:
    """Whether a headline count of `head` may restate a body count of `body` (same unit): a headline of mines and
    UXO as one number ("nearly 300 explosive items") restates no count of one kind alone; it is their sum, which
    the body may not state."""
    return head != "explosive_items" or body == "explosive_items"


# statements further apart than this many characters (about a long report's length) are not compared: a
# report restates a figure within its body; a megabyte-long text must not cost a comparison of every figure
# with every other
_NEAR = 8000


def said_twice(figures: list) -> list[int]:
    """Indexes into `figures` ((Figure, Why) pairs in text order) of the statements to drop because another
    statement of the body gives the same figure: same metric, group and actor, places and dates that agree
    where both are given, and the same value or a value rounded with a qualifier. The most precise statement
    stays; of two equal ones, the one that says more (dates, places), else the first."""
    drop: set[int] = set()
    # the statements of the last _NEAR characters, by what they count (and value)
    same_value: dict[tuple, deque] = {}
    qualified: dict[tuple, deque] = {}     # statements with a qualifier: they may be roundings
    every: dict[tuple, deque] = {}
    for j, (b, wb) in enumerate(figures):
        kind = (b.metric, b.group)
        earlier = list(same_value.get(kind + (b.value,), ()))
        earlier += every.get(kind, ()) if b.qualifier != "exact" else qualified.get(kind, ())
        for i in sorted(set(earlier)):
            a, wa = figures[i]
            if i in drop or j in drop or wa.sentence == wb.sentence or _far(a, b) or not _same_figure(a, b):
                continue
            loser = _less_precise(i, a, j, b)
            if loser is not None:
                drop.add(loser)
        if j in drop:
            continue   # later statements are compared with the one that stays
        _recent(same_value.setdefault(kind + (b.value,), deque()), j, figures)
        _recent(every.setdefault(kind, deque()), j, figures)
        if b.qualifier != "exact":
            _recent(qualified.setdefault(kind, deque()), j, figures)
    return sorted(drop)


def _recent(indexes: deque, j: int, figures: list) -> None:
    indexes.append(j)
    while _far(figures[indexes[0]][0], figures[j][0]):
        indexes.popleft()


def _far(a, b) -> bool:
    return b.evidence.start - a.evidence.end > _NEAR


def _agree(x, y) -> bool:
    return x is None or y is None or not x or not y or x == y


def _same_figure(a, b) -> bool:
    return (a.metric == b.metric and a.group == b.group and _agree(a.actor, b.actor)
            and _agree(a.districts, b.districts))


def _frames_agree(a, b) -> bool:
    return a.scope == b.scope and _agree(a.period_start, b.period_start) and _agree(a.period_end, b.period_end)


def _undated(f) -> bool:
    return f.scope == "period" and f.period_start is None and f.period_end is None


def _informative(f) -> int:
    return sum(x is not None for x in (f.period_start, f.period_end)) + bool(f.districts)


def _less_precise(i: int, a, j: int, b) -> int | None:
    """The index of the statement to drop when a and b state one figure, else None."""
    if a.value == b.value and a.qualifier == b.qualifier and _frames_agree(a, b):
        return j if _informative(a) >= _informative(b) else i
    for k, rounded, precise in ((i, a, b), (j, b, a)):
        if rounded.qualifier == "exact" or not (_frames_agree(a, b) or _undated(rounded)):
            continue
        if rounded.qualifier == "at_least" and precise.value < rounded.value:
            continue
        if rounded.qualifier == "at_most" and precise.value > rounded.value:
            continue
        if precise.value != rounded.value and rounded_equal(rounded.value, precise.value):
            return k
    return None
