"""What a number counts, read from the words right after it: mines, UXO, hectares, km of road.

Term lists live in data/item_terms.json and data/cues.json. Casualties are in `casualties.py`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from minemap.extraction.lang import alternation, cue, load

ITEM_METRICS = ("ap_mines", "at_mines", "mines", "uxo", "explosive_items", "mines_mapped")

_AREA_UNITS = [
    (re.compile(r"(?i)^-?\s*(?:hectares?|ha)\b"), 1.0),
    (re.compile(r"(?i)^-?\s*(?:square|sq\.?)\s*(?:kilomet(?:er|re)s?|km)\b|^\s*(?:km2|km²|sq\.?\s?km)\b"), 100.0),
    (re.compile(r"(?i)^-?\s*(?:square|sq\.?)\s*(?:met(?:er|re)s?|m)\b|^\s*(?:m2|m²)(?!\w)"), 1e-4),
]
_KM = re.compile(r"(?i)^-?\s*(?:kilomet(?:er|re)s?|km)\b(?!\s*(?:2|²|/h))")
_PCT = re.compile(r"(?i)^\s*(?:%|percent|per cent|pct)")


@dataclass(frozen=True)
class Unit:
    metric: str
    factor: float
    end: int          # length of the tail consumed by the unit phrase


@lru_cache(maxsize=None)
def _item_patterns():
    data = load("items")
    fillers = re.compile(r"(?i)^(?:" + alternation(data["fillers"]) + r")\s+")
    not_head = alternation(data["not_after_mine"])
    pats = [(m, re.compile(r"(?i)^" + p.replace("{NOT_HEAD}", not_head) + r"(?![\w-])")) for m, p in data["metrics"]]
    return fillers, pats


def item_metric(tail: str) -> Unit | None:
    """The item metric of the noun phrase at the start of `tail` ("anti-tank mines, ..."), or None."""
    fillers, pats = _item_patterns()
    t = tail.lstrip()
    offset = len(tail) - len(t)
    for _ in range(4):
        for metric, rx in pats:
            m = rx.match(t)
            if m:
                return Unit(metric, 1.0, offset + m.end())
        f = fillers.match(t)
        if not f:
            return None
        t = t[f.end():]
        offset += f.end()
    return None


def area_unit(tail: str) -> Unit | None:
    for rx, factor in _AREA_UNITS:
        m = rx.match(tail)
        if m:
            return Unit("area_ha", factor, m.end())
    return None


def km_unit(tail: str) -> Unit | None:
    m = _KM.match(tail)
    return Unit("roads_km", 1.0, m.end()) if m else None


def is_percent(tail: str) -> bool:
    return bool(_PCT.match(tail))


_CLAUSE_BREAK = re.compile(r"[;:()]|,(?!\d)|\s(?:while|whereas|but|although|however)\s")


def clause_around(text: str, start: int, end: int) -> str:
    """The clause holding text[start:end], bounded by , ; : ( ) and contrastive conjunctions."""
    left = 0
    for m in _CLAUSE_BREAK.finditer(text, 0, start):
        left = m.end()
    m = _CLAUSE_BREAK.search(text, end)
    right = m.start() if m else len(text)
    return text[left:right]


_STRONG_NOT_CLEARED = re.compile(
    r"(?i)\b(?:remain(?:s|ed|ing)?|still|yet to|to be (?:cleared|demined|checked|inspected)|need(?:s|ed)? to be|"
    r"will|would be|shall|going to|plan(?:s|ned)?|planning|foresees?|foreseen|envisag\w+|scheduled|"
    r"is expected|are expected|intends?|aims? to|targets?|targeted|goal)\b")
_WEAK_NOT_CLEARED = re.compile(r"(?i)\b(?:contaminat\w*|suspected|polluted|hazardous|mined area|risk area|"
                               r"dangerous area|covers?|covering|occup\w+)\b")


def area_is_cleared(clause: str) -> bool:
    """Land cleared, not land that still has to be cleared (figures.md: area still to clear is no figure)."""
    if _STRONG_NOT_CLEARED.search(clause) or cue("target").search(clause):
        return False
    if _WEAK_NOT_CLEARED.search(clause) and not cue("clearance_verbs").search(clause):
        return False
    return True


def road_context(tail_after_unit: str, clause: str) -> bool:
    """km count as roads only when the phrase is about roads, not borders or distances."""
    roads = cue("roads")
    if cue("roads_not").search(clause):
        return False
    if re.match(r"(?i)^\s*(?:long\s+)?(?:of|stretch of|section of|worth of)\s+(?:[\w-]+\s+){0,3}?" + roads.pattern[4:], tail_after_unit):
        return True
    return bool(roads.search(clause))


_CONTAMINATION = re.compile(
    r"(?i)\b(?:planted|laid|buried|plant(?:ed)?|contaminated with|estimated|suspected|there (?:are|were|is)|"
    r"remain(?:s|ing)?|still|left behind|littered)\b")


_FUTURE = re.compile(r"(?i)\b(?:will|shall|going to|plans?\s+to|planning\s+to|foresees?|envisag\w+|scheduled\s+to|"
                     r"(?:is|are)\s+expected\s+to|intends?\s+to|aims?\s+to|targets?|remain(?:s|ing)?\s+to\s+be|"
                     r"yet\s+to\s+be)\b")


def items_are_clearance(sentence: str) -> bool:
    """Item counts of mines planted or estimated to remain, or still to be cleared, are not clearance figures."""
    if _FUTURE.search(sentence) or cue("target").search(sentence):
        return False
    if not _CONTAMINATION.search(sentence):
        return True
    return bool(cue("clearance_verbs").search(sentence))
