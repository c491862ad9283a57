"""What a number counts, read from the words right after it: mines, UXO, hectares, km of road; and whether
land or items are a clearance result at all (not land still to clear, mines planted or estimated, plans).

Phrase patterns and word lists: data/<lang>/items.yaml and cues.yaml. Casualties are in `people.py`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from minemap.extraction.lang import alternation, case_blind, cue, fill, load, phrase
from minemap.extraction.quick import quick_init


@quick_init
@dataclass(frozen=True)
class Unit:
    metric: str
    factor: float
    end: int          # length of the tail consumed by the unit phrase


@lru_cache(maxsize=None)
def _rx():
    data = load("items")
    not_head = alternation(data["not_after_mine"])
    return {
        # one pattern for every item noun, tried in the order of the list after up to three fillers ("items of
        # other", "pieces of"); a space in a noun phrase may be lost in a careless copy ("unexplodedordnances"):
        # none is required
        "items": case_blind(r"\s*(?:" + alternation(data["fillers"]) + r"\s+){0,3}?(?:" + "|".join(
            f"(?P<i{k}>" + p.replace(" ?", r"\s*").replace(" ", r"\s*").replace("{NOT_HEAD}", not_head) + r")(?![\w-])"
            for k, (_, p) in enumerate(data["metrics"])) + ")"),
        "item_metrics": [m for m, _ in data["metrics"]],
        "area": [(case_blind(p), float(f)) for p, f in data["area_units"]],
        # the percent sign, the area units and kilometres in one pattern, tried in this order
        "unit": case_blind("|".join([f"(?P<pct>{data['percent']})"] + [f"(?P<a{k}>{p})" for k, (p, _) in enumerate(
            data["area_units"])] + [f"(?P<km>{data['km_unit']})"])),
        "km": phrase("items", "km_unit"),
        "clause_break": re.compile(r"[;:()]|,(?!\d)|\s" + alternation(data["clause_conjunctions"]) + r"\s"),
        "road_after_unit": case_blind(data["road_after_unit"] + cue("roads").pattern[4:]),
        "area_not_cleared": phrase("items", "area_not_cleared"),
        "area_given": phrase("items", "area_given"),
        "area_contaminated": phrase("items", "area_contaminated"),
        "items_contamination": phrase("items", "items_contamination"),
        "items_future": phrase("items", "items_future"),
        "estimate": phrase("items", "estimate"),
        "map_not_a_count": phrase("items", "map_not_a_count"),
        "difference_after": phrase("items", "difference_after"),
        "difference_before": phrase("items", "difference_before"),
        "mine_not_counted": phrase("items", "mine_not_counted"),
        "area_inspected": phrase("items", "area_inspected"),
        # read in the lower-cased sentence: a case-blind pattern is several times slower
        "inspection_hint": re.compile(data["inspection_words"]),
        "area_inspected_before": phrase("items", "area_inspected_before"),
        "area_inspected_lead": phrase("items", "area_inspected_lead"),
        "not_cleared_hint": re.compile(_any_word_of([fill(data[k], "items") for k in (
            "area_not_cleared", "area_contaminated", "items_future", "items_contamination", "estimate", "area_given")])
            + "|" + cue("target").pattern[4:]),
    }


def _any_word_of(patterns: list[str]) -> str:
    """One pattern that finds what any of `patterns` finds, each of the form \\b(?:a|b|...)\\b: their words
    under one word boundary (a sentence is then read once, not once per pattern)."""
    inner = []
    for p in patterns:
        if not (p.startswith(r"\b(?:") and p.endswith(r")\b")):
            return "|".join(f"(?:{p})" for p in patterns)
        inner.append(p[len(r"\b(?:"):-len(r")\b")])
    return r"\b(?:" + "|".join(inner) + r")\b"


def item_metric(tail: str) -> Unit | None:
    """The item metric of the noun phrase at the start of `tail` ("anti-tank mines, ..."), or None."""
    r = _rx()
    m = r["items"].match(tail)
    return Unit(r["item_metrics"][int(m.lastgroup[1:])], 1.0, m.end()) if m else None


def names_no_count(tail: str) -> bool:
    """"2 mine action centres", "5 mine clearance teams": "mine" as a modifier, nothing counted."""
    return bool(_rx()["mine_not_counted"].match(tail))


def number_unit(tail: str) -> Unit | None:
    """What the unit right after a number says, in one look: Unit("percent"), an area unit (metric area_ha
    with its factor to hectares), a length (roads_km), or None."""
    r = _rx()
    m = r["unit"].match(tail)
    if m is None:
        return None
    kind = m.lastgroup
    if kind == "pct":
        return Unit("percent", 1.0, m.end())
    if kind == "km":
        return Unit("roads_km", 1.0, m.end())
    return Unit("area_ha", r["area"][int(kind[1:])][1], m.end())


def area_unit(tail: str) -> Unit | None:
    for rx, factor in _rx()["area"]:
        m = rx.match(tail)
        if m:
            return Unit("area_ha", factor, m.end())
    return None


def km_unit(tail: str) -> Unit | None:
    m = _rx()["km"].match(tail)
    return Unit("roads_km", 1.0, m.end()) if m else None


def clause_around(text: str, start: int, end: int) -> str:
    """The clause holding text[start:end], bounded by , ; : ( ) and contrastive conjunctions."""
    brk = _rx()["clause_break"]
    left = 0
    for m in brk.finditer(text, 0, start):
        left = m.end()
    m = brk.search(text, end)
    right = m.start() if m else len(text)
    return text[left:right]


def not_cleared_hint(lower: str) -> bool:
    """Whether a lower-cased sentence holds any word that makes land or items no clearance result (a cheap test
    before the clause-by-clause ones: most sentences hold none)."""
    return bool(_rx()["not_cleared_hint"].search(lower))


def inspection_hint(lower: str) -> bool:
    return bool(_rx()["inspection_hint"].search(lower))


def area_not_cleared(clause: str) -> str | None:
    """Why land in this clause is no clearance result (figures.md: land still to clear, plans, targets,
    contamination), as a rule id; None when it is land cleared."""
    r = _rx()
    if r["area_not_cleared"].search(clause) or cue("target").search(clause):
        return "metric.not-land-still-to-clear"
    if r["area_given"].search(clause):
        return "metric.not-land-given-to-users"
    if r["estimate"].search(clause) or (r["area_contaminated"].search(clause)
                                        and not cue("clearance_verbs").search(clause)):
        return "metric.not-contaminated-land"
    return None


def land_given(text: str) -> bool:
    """Whether `text` tells of cleared land given to its users ("handed over to farmers in Aghdam")."""
    return bool(_rx()["area_given"].search(text.lower()))


def estimate_in(clause: str, rule: str) -> str | None:
    """`rule` when the clause estimates the contamination ("... - about 13 percent of the territory - were believed
    to be contaminated": read past the numbers inside it), else None."""
    return rule if _rx()["estimate"].search(clause) else None


_NEXT_NUMBER = re.compile(r"\d")


def area_only_inspected(after_unit: str, cleared_anywhere: bool = False) -> str | None:
    """"684,000 sq.m (68,4 ha) of land had been inspected": the rule id when the verb of the land is an
    inspection, not a clearance (with `cleared_anywhere`, only when no clearance verb follows at all: "1 214 km of
    roads were checked and cleared")."""
    words = re.split(r",(?!\d)|;", re.sub(r"\([^()]*\)", " ", after_unit[:160]), maxsplit=1)[0]
    # "cleared 304 hectares of pasture and checked another 96 hectares": the verb of the next number's clause
    # is not this one's (but "349,000 sq.m in Zangilan and 335,000 sq.m in Gubadli had been inspected" share one)
    nxt = _NEXT_NUMBER.search(words)
    if nxt is not None:
        cut = words.rfind(" and ", 0, nxt.start())
        if cut >= 0 and _rx()["area_inspected"].search(words, cut, nxt.start()):
            words = words[:cut]
    seen = _rx()["area_inspected"].search(words)
    if seen is None:
        return None
    cleared = cue("clearance_verbs").search(words)
    if cleared is not None and cleared_anywhere:
        return None
    return "metric.not-land-only-inspected" if cleared is None or cleared.start() > seen.start() else None


def area_inspected_before(before: str, sentence: str) -> str | None:
    """"its teams inspected 1,902 hectares", "technical survey of another 2,300 hectares": the rule id when the verb
    (or noun) right before the land is an inspection, not a clearance, or the sentence is about the inspected land
    ("Of the inspected area, 30 ha lie in Fuzuli")."""
    r = _rx()
    if r["area_inspected_before"].search(before[-80:]) or r["area_inspected_lead"].match(sentence):
        return "metric.not-land-only-inspected"
    return None


def area_is_cleared(clause: str) -> bool:
    return area_not_cleared(clause) is None


def road_context(tail_after_unit: str, clause: str, sentence: str = "", before_clause: str = "") -> bool:
    """km count as roads only when the phrase is about roads laid or cleared, not borders, distances or roads still
    being built (in the `sentence`); `before_clause`: a caption of the clause, the text before a colon that opens it
    ("the construction of mountain roads: 6.5 km were laid")."""
    if cue("roads_not").search(clause) or cue("roads_not_after").search(tail_after_unit) or (
            sentence and cue("roads_unfinished").search(sentence)):
        return False
    if sentence and cue("roads_pointing_back").search(clause) and cue("roads_not").search(sentence):
        return False   # "Roads are being cleared of snow, and 40 km of such routes were opened": those roads
    if before_clause and cue("roads").search(before_clause):
        return True
    if _rx()["road_after_unit"].match(tail_after_unit):
        return True
    return bool(cue("roads").search(clause))


def a_difference(before: str, after_unit: str) -> bool:
    """"120 hectares more than in the previous week", "an increase of 300 mines": a difference between two figures,
    from the words before the number and those after its unit."""
    r = _rx()
    return bool(r["difference_after"].match(after_unit) or r["difference_before"].search(before[-30:]))


def map_not_a_count(sentence: str) -> bool:
    """Whether mines named with a map in `sentence` are no count of a map handed over (an estimate of the mines that
    remain, maps refused or not yet given)."""
    return bool(_rx()["map_not_a_count"].search(sentence))


def items_not_clearance(sentence: str) -> str | None:
    """Why item counts in this sentence are no clearance result (mines planted or estimated to remain,
    still to be cleared, plans and targets), as a rule id; None when they are."""
    r = _rx()
    if r["items_future"].search(sentence) or cue("target").search(sentence):
        return "metric.not-plan-or-target"
    if r["estimate"].search(sentence) or (r["items_contamination"].search(sentence)
                                          and not cue("clearance_verbs").search(sentence)):
        return "metric.not-contamination"
    return None
