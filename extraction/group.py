"""Which group: whether the people of a casualty figure are `civilian`, `military`, or not split (null)
(figures.md "People").

The group comes from the words that name the people ("two soldiers", "a shepherd"); people named only by
their relation to others ("three of them", "two others") take the group of the people named before them;
parts in brackets after a group's total take its group; a later sentence of the same incident ("One of
them died") takes the group of the incident's people. Word lists: data/<lang>/people.yaml.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from minemap.extraction.lang import alternation, load

if TYPE_CHECKING:
    from minemap.extraction.metric import Candidate

PEOPLE = ("killed", "injured", "victims")


@lru_cache(maxsize=None)
def _rx():
    d = load("people")
    g = d["groups"]
    return {
        "people": re.compile(r"(?i)(?<![\w-])" + alternation(g["military"] + g["civilian"] + g["none"]) + r"(?![\w-])"),
        "military": re.compile(r"(?i)(?<![\w-])" + alternation(g["military"]) + r"(?![\w-])"),
        "civilian": re.compile(r"(?i)(?<![\w-])" + alternation(g["civilian"]) + r"(?![\w-])"),
        "anaphor": re.compile(r"(?i)\b" + alternation(d["anaphors"]) + r"\b"),
        "inherit": re.compile(r"(?i)(?<![\w-])" + alternation(d["inherit"]) + r"(?![\w-])"),
        # "the other three were taken to hospital": the words right before the number
        "inherit_before": re.compile(r"(?i)(?<![\w-])" + alternation(d["inherit"]) + r"\s+$"),
        # people nouns that name no one new: they point back ("them", "others") or are the metric ("victims")
        "not_antecedent": re.compile(r"(?i)^" + alternation(d["not_antecedent"]) + r"$"),
        "word_pairs": re.compile(r"[\w'’\-]+(?:\s+[\w'’\-]+)?"),
        "elided_join": re.compile(r"(?i)" + d["elided_join"]),
        "casualty_verb": re.compile(r"(?i)(?<![\w-])" + alternation(d["killed"] + d["injured"]) + r"(?![\w-])"),
    }


def group_of(phrase: str) -> str | None:
    """'military' / 'civilian' / None from the words naming the people; "them" resolves elsewhere."""
    r = _rx()
    mil = r["military"].search(phrase)
    civ = r["civilian"].search(phrase)
    if mil and civ:
        return "military" if mil.start() < civ.start() else "civilian"
    if mil:
        return "military"
    if civ:
        return "civilian"
    return None


def last_plain_people(before: str) -> int | None:
    """End offset of the last people noun without a group in `before` ("31 people"), skipping anaphors and
    metric nouns; None when there is none."""
    r = _rx()
    last = None
    for m in r["people"].finditer(before):
        if group_of(m.group(0)) or r["not_antecedent"].match(m.group(0).strip()):
            continue
        last = m.end()
    return last


def is_anaphor(phrase: str) -> bool:
    return bool(_rx()["anaphor"].search(phrase)) and not group_of(phrase)


def inherits_group(phrase: str) -> bool:
    """"three others", "his two sons", "a third": people who take the group of those named before."""
    return bool(_rx()["inherit"].search(phrase)) and not group_of(phrase)


def candidate_group(text: str, c: Candidate) -> tuple[str | None, str]:
    """The group of a casualty figure from its own sentence, and the rule that gave it."""
    g = group_of(c.group_phrase)
    if g:
        return g, "group.people-named"
    if c.part_of is not None and not group_of(c.group_phrase):
        g = group_of(c.part_of.group_phrase)
        if g:
            return g, "group.part-takes-the-total-group"
    if is_anaphor(c.group_phrase) or inherits_group(c.group_phrase) or (not c.group_phrase and (
            inherits_group(c.num.text) or _rx()["inherit_before"].search(text, max(0, c.num.start - 20), c.num.start))):
        # "three of them": the people named last before the number; when those are named without a
        # group ("31 people became mine victims, 9 of whom were killed"), a group word further back
        # ("a threat to returning residents: ...") is not theirs
        before = text[: c.num.start]
        best = None
        for m in _rx()["word_pairs"].finditer(before):
            g2 = group_of(m.group(0))
            if g2:
                best = (m.end(), g2)
        plain = last_plain_people(before)
        if best is not None and plain is not None and plain > best[0]:
            return None, "group.people-named-without-group"
        if best:
            return best[1], "group.people-named-before"
        return None, "group.not-named"
    return None, "group.not-named"


def bracketed_parts(text: str, cands: list[Candidate]) -> None:
    """"civilian victims numbered 189 (37 killed, 152 injured)": parts in brackets after a total of one
    group are of that group."""
    for k, c in enumerate(cands):
        if c.metric not in PEOPLE or c.group is not None:
            continue
        opened = text.rfind("(", 0, c.num.start)
        if opened < 0 or ")" in text[opened:c.num.start]:
            continue
        owner = next((x for x in reversed(cands[:k]) if x.num.end <= opened), None)
        if owner is not None and owner.metric in PEOPLE and owner.group \
                and re.fullmatch(r"[\w\s-]{0,25}", text[owner.num.end:opened]):
            c.group = owner.group
            c.group_rule = "group.parts-in-brackets"


def elided_people(text: str, cands: list[Candidate]) -> None:
    """"four servicemen were killed and 31 were wounded", "two deminers had been killed and eleven injured": a
    casualty count whose people are left out, joined to the count just before it, counts the same people and
    takes their group."""
    r = _rx()
    for k, c in enumerate(cands):
        if k == 0 or c.metric not in PEOPLE or c.group is not None or c.group_phrase.strip():
            continue
        prev = cands[k - 1]
        if prev.metric not in PEOPLE or prev.group is None or prev.metric == c.metric or prev.part_of is not None:
            continue
        between = text[prev.num.end:c.num.start]
        if not r["elided_join"].search(between) or not r["casualty_verb"].search(between):
            continue
        # no other people named between the two counts ("... killed, 12 people and 31 ...")
        if any(group_of(m.group(0)) != prev.group for m in r["people"].finditer(between)):
            continue
        c.group, c.group_rule = prev.group, "group.people-left-out"


# how many sentences later the people of an incident may still be told of ("Two of the wounded were evacuated")
_SAME_INCIDENT_BACK = 3


class IncidentGroups:
    """One incident told over two sentences: "Two civilians were hurt ... One of them died" - the later
    sentence's people take the group of the incident's people."""

    def __init__(self):
        self._last: tuple | None = None    # (sentence, group, frame key) of the last people figure with a group

    def group(self, k: int, c: Candidate, frame) -> tuple[str | None, str]:
        group, rule = c.group, c.group_rule
        if group is None and self._last is not None and 0 < k - self._last[0] <= _SAME_INCIDENT_BACK \
                and frame.scope == "event" and self._last[2] == frame.key \
                and (is_anaphor(c.group_phrase) or inherits_group(c.group_phrase)):
            group, rule = self._last[1], "group.same-incident"
        if group is not None:
            self._last = (k, group, frame.key)
        return group, rule
