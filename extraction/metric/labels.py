"""Figures whose label comes before the number: list lines, table rows, "mines numbering 39".

"- Anti-personnel mines: 58", "UXO – 410", "Cleared area (ha)     1,024.6", "Killed: 3",
"anti-personnel mines numbering 39". The label is the words between the last clause break (line start,
comma, semicolon, previous number) and a separator right before the number; it must name the metric as
a whole, so "In Aghdam: 58" or "Decree No: 58" give nothing. Word lists: data/<lang>/labels.yaml.
"""
from __future__ import annotations

import re
from functools import lru_cache

from minemap.extraction.metric.units import Unit, area_unit, item_metric, km_unit
from minemap.extraction.lang import alternation, load


@lru_cache(maxsize=None)
def _rx():
    d = load("labels")
    verbs, nouns = alternation(d["area_verbs"]), alternation(d["area_nouns"])
    unit_lead = alternation(d["unit_lead"])
    return {
        # the separator between a label and its number, at the end of the text before the number
        "sep": re.compile(r"(?i)(?:\s*[:=]\s*|\s+[–—-]+\s*|\s*\t\s*|\s{2,}|\s+" + alternation(d["linking_words"])
                          + r"\s+)$"),
        "start": re.compile(r"(?i)\s*(?:[-•*–]\s+)?(?:" + alternation(d["leading"]) + r"\s+)*"),
        "rest": re.compile(r"(?i)\s*(?:\(\s*" + alternation(d["count_words"]) + r"\.?\s*\)\s*)?(?:"
                           + alternation(d["trailing"]) + r")?\s*"),
        "area_word": re.compile(r"(?i)(?:(?:" + verbs + r")\s+)?(?:" + nouns + r")(?:\s+(?:" + verbs
                                + r"))?\s*(?:,\s*|\(\s*|" + unit_lead + r"\s+)?(?P<unit>.*?)\)?\s*"),
        "road_word": re.compile(r"(?i)(?:(?:" + verbs + r")\s+)?" + alternation(d["road_nouns"])
                                + r"(?:\s+(?:" + verbs + r"))?\s*(?:,\s*|\(\s*|" + unit_lead + r"\s+)?(?P<unit>.*?)\)?\s*"),
        "unit_label": re.compile("(?i)" + d["unit_label"].replace("{area_verbs}", verbs)),
        "topic": re.compile(r"(?i)(?:^|[;:]\s*|,\s*)(?:" + alternation(d["topic_intro"]) + r")\s+(?:the\s+)?"
                            r"(?P<label>[^,;:]{2,60}?)\s*,"),
        "people": [(m, re.compile(r"(?i)(?P<grp>(?:[\w-]+\s+){0,2}?)(?:" + alternation(words) + r")\s*"))
                   for m, words in d["people"]],
        "caption_people": [(m, re.compile(r"(?i)(?<![\w-])(?:" + alternation(words) + r")(?![\w-])"))
                           for m, words in d["people"]],
        "caption_unit": re.compile(r"(?i)(?<![\w-])" + alternation(d["caption_units"]) + r"(?![\w-])"),
        "word_start": re.compile(r"(?<![\w-])[^\W\d]"),
        # where a label starts: a line, a clause, or the words after the previous number ("75 anti-tank
        # mines, anti-personnel mines numbering 39"); "Area cleared, hectares" keeps its unit
        "break": re.compile(r"(?i)(?:[\n;.:]|,(?!\s*" + alternation(d["unit_after_comma"]) + r"\b))\s*(?=\D)|\d(?=\s)"),
    }


def _may_end_in_separator(before: str) -> bool:
    """A cheap test before the separator pattern: the text must end in a colon, dash or equals sign, in two
    spaces or a tab, or in a word a linking phrase ends in ("numbering", "numbered", "amounting to", "in the
    amount of")."""
    t = before[-30:]
    s = t.rstrip()
    space = t[len(s):]
    return len(space) >= 2 or "\t" in space or s[-1:] in ":=–—-" or s.lower().endswith(("ing", "ed", "to", "of"))


def label_span(before: str) -> tuple[int, int] | None:
    """(start, end) in `before` of the words that label the number right after it, or None.

    Shared by metric labels ("Anti-tank mines: 12") and place labels ("Jabrayil – 9,014.6 hectares").
    """
    if not _may_end_in_separator(before):
        return None
    tail = before[-200:]
    sep = _rx()["sep"].search(tail)
    if sep is None:
        return None
    head = tail[: sep.start()]
    start = 0
    for m in _rx()["break"].finditer(head):
        start = m.end()
    label = head[start:]
    if not label.strip() or len(label) > 60 or "\n" in label:
        return None
    off = len(before) - len(tail)
    return off + start, off + sep.start()


def label_before(before: str) -> tuple[Unit, str] | None:
    """(unit, label) when `before` ends in "<label><separator>", the label naming a metric; else None.

    Unit.end is unused (0): the number's own words end at the number.
    """
    r = _rx()
    span = label_span(before)
    if span is None:
        return None
    label = before[span[0]:span[1]]
    label = label[r["start"].match(label).end():].strip()
    if not label or not label[0].isalpha():
        return None
    u = item_metric(label)
    if u is not None and r["rest"].fullmatch(label[u.end:]):
        return Unit(u.metric, 1.0, 0), label
    for key, unit_of in (("area_word", area_unit), ("unit_label", area_unit), ("road_word", km_unit)):
        m = r[key].fullmatch(label)
        if m and m.group("unit"):
            unit = unit_of(m.group("unit"))
            if unit is not None and unit.end >= len(m.group("unit").strip()) - 1:
                return Unit(unit.metric, unit.factor, 0), label
    for metric, rx in r["people"]:
        m = rx.fullmatch(label)
        if m:
            return Unit(metric, 1.0, 0), m.group("grp").strip()
    return None


def header_metric(header: str) -> tuple[Unit, str] | None:
    """(unit, people words) of what a table column's header names ("Anti-tank mines", "Area cleared (ha)",
    "Killed", or a unit alone: "Hectares", "Square metres"), or None (a place, "Number", "District")."""
    header = header.strip()
    lab = label_before(header + ": ")
    if lab is not None:
        return lab
    u = area_unit(" " + header)
    if u is not None and u.end >= len(header):
        return Unit(u.metric, u.factor, 0), ""
    return None


def caption_metric(caption: str) -> Unit | None:
    """What the items of a list under `caption` count, when it names one metric ("Mines found in 2023 by
    district", "The area cleared by districts (in hectares)", "Mine victims by district"); None when it names none
    or several."""
    r = _rx()
    area = next((area_unit(" " + m.group(0)) for m in r["caption_unit"].finditer(caption)), None)
    item = None
    for m in r["word_start"].finditer(caption):
        item = item_metric(caption[m.start():])
        if item is not None:
            break
    people_ = next((Unit(metric, 1.0, 0) for metric, rx in r["caption_people"] if rx.search(caption)), None)
    found = [u for u in (area, item, people_) if u is not None]
    return Unit(found[0].metric, found[0].factor, 0) if len(found) == 1 else None


def topic_metric(text: str) -> tuple[int, Unit] | None:
    """"In terms of mines and UXO found, ANAMA reported 13,206, the ministry 9,344": the metric named once
    before a list of bare numbers, and where its phrase ends; None when no such phrase names one."""
    m = _rx()["topic"].search(text)
    if m is None:
        return None
    label = m.group("label")
    u = item_metric(label)
    if u is None:
        lab = label_before(label + ": ")
        return (m.end(), lab[0]) if lab is not None else None
    return m.end(), Unit(u.metric, 1.0, 0)
