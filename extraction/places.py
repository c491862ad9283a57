"""District mentions of a sentence (via the `boundaries` gazetteer) and their attribution to figures."""
from __future__ import annotations

import re
from functools import lru_cache

from minemap.boundaries.gazetteer import Mention, default_gazetteer

from minemap.extraction.dates import month_pattern
from minemap.extraction.labels import place_label
from minemap.extraction.qualifiers import qualifier
from minemap.extraction.lang import alternation, load

# "BAKU, Azerbaijan, Oct. 5 (Trend) -" or "Baku, October 20.": the place a story was filed from
# ("Aghdam – 8,100 hectares" opening a line is a list item, not a dateline).
_DATELINE_AFTER = re.compile(r"^\s*(?:,\s*(?:Azerbaijan\s*,?\s*)?(?:" + month_pattern() + r"|\d)|\s*\(\s*[A-Z]|\s*[-–—:]\s(?!\s*(?:(?:about|some|over|more than|nearly|almost|around|up to|at least|roughly)\s+)?\d))")


@lru_cache(maxsize=None)
def _origin_re() -> re.Pattern:
    """"two conscripts from Ganja": where people come from is not where the figure happened."""
    g = load("people")["groups"]
    people = alternation(g["military"] + g["civilian"] + g["none"])
    return re.compile(r"(?i)(?<![\w-])" + people + r"(?:\s+[\w-]+)?\s+(?:originally\s+)?from\s+(?:the\s+)?"
                      r"(?:city\s+of\s+|town\s+of\s+)?$")


@lru_cache(maxsize=None)
def _capital_rx():
    d = load("places")
    inst = alternation(d["institutions"])
    return (frozenset(d["capitals"]),
            re.compile(r"(?i)(?<![\w-])" + alternation(d["locative"]) + r"\s+$"),
            re.compile(r"(?i)(?<![\w-])" + inst + r"(?:\s+[\w'’-]+){0,3}?\s+(?:in|of)\s+$"),
            re.compile(r"(?i)[^,;:]{0,40}?(?<![\w-])" + alternation(load("cues")["reporting"]) + r"(?![\w-])"))


def _government_not_place(text: str, m: Mention) -> bool:
    """"the Foreign Ministry in Baku said", "Baku received maps", "hospital in Baku": the capital as the
    government's seat or a metonym for it, not the place a figure is about."""
    capitals, locative, institution, reporting = _capital_rx()
    if m.code not in capitals:
        return False
    before = text[max(0, m.start - 60):m.start]
    if not locative.search(before) or institution.search(before):
        return True
    return bool(reporting.match(text, m.end))


def mentions(text: str) -> list[Mention]:
    """District mentions of one sentence, datelines and people's home towns dropped."""
    out = []
    for m in default_gazetteer().find(text):
        if m.start <= 2 and _DATELINE_AFTER.match(text[m.end:m.end + 30]):
            continue
        near = text[max(0, m.start - 40):m.start].lower()
        if ("from" in near and _origin_re().search(text, max(0, m.start - 60), m.start)) \
                or _government_not_place(text, m):
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


# a clause break before "in <Place>" too: "In Kalbajar the figure was 5,402.9 ha, in Lachin 3,110 ha"
_CLAUSE_SPLIT = re.compile(r";|,?\s+(?:while|whereas|but|and)\s+(?=in\s)|,\s+(?:while|whereas)\s|"
                           r",\s+(?=in\s+(?:the\s+)?[A-Z\u00c0-\u024f])")


def clause_codes(text: str, ms, positions) -> list[tuple[str, ...]] | None:
    """Per-figure districts when each clause names its own place, before or after its numbers
    ("In Aghdam, 300 ha were cleared; in Fuzuli, 120 ha", "... in Aghdam, while in Fuzuli ...").

    None unless the sentence has two or more clauses with figures, each naming a place, and the
    places differ.
    """
    cuts = [0] + [m.end() for m in _CLAUSE_SPLIT.finditer(text)] + [len(text) + 1]
    if len(cuts) < 3:
        return None
    spans = list(zip(cuts, cuts[1:]))
    per_clause = {}
    out = []
    for pos in positions:
        k = next(i for i, (a, b) in enumerate(spans) if a <= pos < b)
        if k not in per_clause:
            a, b = spans[k]
            per_clause[k] = tuple(sorted({m.code for m in ms if a <= m.start and m.end <= b}))
        out.append(per_clause[k])
    if len(per_clause) < 2 or not all(per_clause.values()) or len(set(per_clause.values())) < 2:
        return None
    return out


@lru_cache(maxsize=None)
def _place_link_rx() -> re.Pattern:
    d = load("places")
    return re.compile(r"(?i)^\s*(?:(?:district|region|city|rayon)\s*)?(?:\(|[-–—:]|(?:" + alternation(d["place_number_links"])
                      + r")(?![\w-]))?\s*(?:(?:about|some|over|more than|nearly|almost|around|roughly)\s+)?$")


def place_before_number(text: str, ms, pos: int) -> bool:
    """"Khojavend accounted for 1,890 hectares", "Tartar 730.1 hectares", "Fuzuli (8,517 ha)": a place
    mention right before the number, joined by nothing but a linking verb of `places.json`."""
    rx = _place_link_rx()
    return any(m.end <= pos and pos - m.end <= 40 and rx.match(text[m.end:pos]) for m in ms)


def labelled_codes(text: str, ms, positions) -> list[tuple[str, ...]] | None:
    """Per-figure districts of a list whose items name their place before the number ("Jabrayil –
    9,014.6 hectares, Kalbajar – 7,402.8, ...", "In Aghdam: 1,200 ha; in Fuzuli: 900 ha"), read with the
    label rule of `labels.py`. None unless two or more items name different places; an item without a
    place label of its own (a total) gets none."""
    per = []
    for p in positions:
        _, qlen = qualifier(text[:p])   # "Aghdam – about 300 ha"
        per.append(place_label(text[:p - qlen], ms) or ())
    with_place = [p for p in per if p]
    if len(with_place) >= 2 and len(set(with_place)) >= 2:
        return per
    return None


_RESPECTIVELY = re.compile(r"(?i)\brespectively\b")
# between two numbers of one list: a unit at most, then a comma or "and" ("58 and 12", "410 ha, 380 ha and")
_NUM_JOIN = re.compile(r"(?i)^\s*(?:[a-z²]+\.?\s*){0,2}(?:,\s*(?:and\s+)?|and\s+|or\s+)$")
_PLACE_JOIN = re.compile(r"(?i)^\s*(?:(?:districts?|regions?|city|rayons?)\s*)?(?:,\s*(?:and\s+)?(?:the\s+)?|"
                         r"and\s+(?:the\s+)?|or\s+)$")


def _runs(items, gap_ok) -> list[list[int]]:
    """`items` grouped in runs whose neighbours are joined as one list."""
    runs: list[list] = []
    for x in items:
        if runs and gap_ok(runs[-1][-1], x):
            runs[-1].append(x)
        else:
            runs.append([x])
    return runs


def respective_codes(text: str, ms, nums) -> dict[int, tuple[str, ...]]:
    """"Kalbajar and Lachin came next with 5,963.0 and 3,118.6 hectares respectively": the i-th number of
    a list takes the i-th place of a list of the same length in its clause. `nums` are the figures'
    (start, end) offsets; returns {figure index: (code,)} for the paired ones."""
    out: dict[int, tuple[str, ...]] = {}
    lo = 0
    for r in _RESPECTIVELY.finditer(text):
        seg_n = [i for i, (a, _) in enumerate(nums) if lo <= a < r.start()]
        seg_m = [m for m in ms if lo <= m.start < r.start()]
        lo = r.end()
        if len(seg_n) < 2 or len(seg_m) < 2:
            continue
        nruns = _runs(seg_n, lambda i, j: bool(_NUM_JOIN.match(text[nums[i][1]:nums[j][0]])))
        mruns = _runs(seg_m, lambda a, b: bool(_PLACE_JOIN.match(text[a.end:b.start])))
        nrun = next((x for x in reversed(nruns) if len(x) >= 2), None)
        mrun = next((x for x in reversed(mruns) if len(x) >= 2), None)
        if nrun is None or mrun is None or len(nrun) != len(mrun) or len({m.code for m in mrun}) != len(mrun):
            continue
        for i, m in zip(nrun, mrun):
            out[i] = (m.code,)
    return out
