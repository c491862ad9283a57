"""Numbers as written in reports: digits with separators, decimal commas, scale words, number words.

Forms: 13,177 / 1 234 / 1245.5 / 53081,8 (decimal comma) / "1454, 2 hectares" / 2.5 million /
"Fourteen" / "twenty-one" / "an anti-tank mine" (article = 1) / "a 731-hectare area".
Values are floats; absurdly long digit strings parse as large floats instead of failing.
Each number carries the id of the reading rule that read it (`numbers.*`), and numbers that are no counts
(ages, clock times, codes) are handed back with the rule that set them aside.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from minemap.extraction.lang import alternation, load, phrase

_FORMS = (
    r"(?<![\w.,\-/:])(?:"
    r"(?P<spacedec>\d{1,6}, \d{1,2})(?= {units_after})"                  # "1454, 2 hectares"
    r"|(?P<commadec>\d{1,3}(?:,\d{3})+,\d{1,2})(?!\d)"                   # 3,015,5 (decimal comma)
    r"|(?P<comma>\d{1,3}(?:,\d{3})+(?:\.\d+)?)(?![\d,]\d)"               # 13,177 / 2,345.6
    r"|(?P<space>\d{1,3}(?:[ \u00a0\u202f]\d{3})+)(?![\d.,]?\d)"         # 1 234 (thin/nbsp too)
    r"|(?P<deccomma>\d+,\d{1,2}(?!\d)|\d{4,},\d+)"                        # 53081,8
    r"|(?P<plain>\d+(?:\.\d+)?)"
    r")"
    r"(?P<scale>\s*{scale}\b)?"
)
_FORM_RULE = {"spacedec": "numbers.decimal-comma", "commadec": "numbers.decimal-comma",
              "deccomma": "numbers.decimal-comma", "comma": "numbers.digits", "space": "numbers.digits",
              "plain": "numbers.digits"}


@dataclass(frozen=True)
class Num:
    start: int       # offsets in the sentence
    end: int
    value: float
    kind: str        # "digits", "word", "article"
    text: str
    rule: str = "numbers.digits"


@lru_cache(maxsize=None)
def _rx():
    d = load("numbers")
    word = "|".join(sorted(list(d["small"]) + list(d["tens"]), key=len, reverse=True))
    big = alternation(d["scales"])
    joiner = alternation(d["word_joiners"])
    return {
        "digits": re.compile(_FORMS.replace("{units_after}", alternation(d["units_after"]))
                             .replace("{scale}", alternation(d["scale_after"])), re.IGNORECASE),
        "words": re.compile(
            r"(?i)\b(?P<w>(?:" + word + r")(?:[- ](?:" + word + r"))?(?:\s+" + big
            + r"(?:\s+(?:" + joiner + r"\s+)?(?:" + word + r")(?:[- ](?:" + word + r"))?)?)?)\b(?!-"
            + alternation(d["time_units"]) + r"\b)"),
        "article": re.compile(r"(?i)\b" + alternation(d["articles"]) + r"\b(?=\s)"),
        "glued_unit": re.compile(r"(?i)" + alternation(d["glued_units"])),
        "age_after": phrase("numbers", "age_after"),
        "age_before": phrase("numbers", "age_before"),
        "values": {**d["small"], **d["tens"]},
        "scales": d["scales"],
        "scale_after": d["scale_after"],
        "joiners": {j.lower() for j in d["word_joiners"]},
    }


def _float(s: str) -> float:
    try:
        return float(s)
    except (ValueError, OverflowError):
        return float("inf")


def _digits_value(m: re.Match) -> float:
    if m.group("spacedec"):
        a, b = m.group("spacedec").split(", ")
        v = _float(f"{a}.{b}")
    elif m.group("commadec"):
        head, _, dec = m.group("commadec").rpartition(",")
        v = _float(head.replace(",", "") + "." + dec)
    elif m.group("comma"):
        v = _float(m.group("comma").replace(",", ""))
    elif m.group("space"):
        v = _float(re.sub(r"\D", "", m.group("space")))
    elif m.group("deccomma"):
        v = _float(m.group("deccomma").replace(",", "."))
    else:
        v = _float(m.group("plain"))
    if m.group("scale"):
        v *= _rx()["scale_after"][m.group("scale").strip().lower()]
    return v


def words_value(s: str) -> float | None:
    r = _rx()
    values, scales, joiners = r["values"], r["scales"], r["joiners"]
    total = 0.0
    current = 0.0
    seen = False
    for tok in re.split(r"[\s-]+", s.lower()):
        if tok in joiners or not tok:
            continue
        if tok in values:
            current += values[tok]
        elif scales.get(tok) == 100:
            current = (current or 1) * 100
        elif tok in scales:
            total += (current or 1) * scales[tok]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def find_numbers(text: str, dropped: list | None = None) -> list[Num]:
    """Every number in a sentence, in order, non-overlapping (digits win over words over articles).

    Numbers that are no counts are left out; with `dropped`, (Num, rule id) pairs of them are appended to it.
    """
    r = _rx()
    found: list[Num] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for m in r["digits"].finditer(text):
        s, e = m.start(), m.end()
        after = text[e:e + 3]
        # "18:00", "A320", "3rd", "COVID-19": not counts of anything
        if after[:1] == ":" and after[1:2].isdigit():
            if dropped is not None:
                dropped.append((Num(s, e, 0.0, "digits", m.group(0)), "numbers.not-clock-time"))
            continue
        if after[:1].isalpha() and not r["glued_unit"].match(text, e):
            if dropped is not None:
                dropped.append((Num(s, e, 0.0, "digits", m.group(0)), "numbers.not-code"))
            continue
        value = _digits_value(m)
        rule = "numbers.scale-word" if m.group("scale") else _form_rule(m)
        found.append(Num(s, e, value, "digits", m.group(0), rule))
        taken.append((s, e))
    for m in r["words"].finditer(text):
        if not free(m.start(), m.end()):
            continue
        v = words_value(m.group("w"))
        if v is None:
            continue
        found.append(Num(m.start(), m.end(), v, "word", m.group(0), "numbers.word"))
        taken.append((m.start(), m.end()))
    for m in r["article"].finditer(text):
        if not free(m.start(), m.end()):
            continue
        found.append(Num(m.start(), m.end(), 1.0, "article", m.group(0), "numbers.article"))
        taken.append((m.start(), m.end()))
    found.sort(key=lambda n: n.start)
    out = []
    for n in found:
        if n.kind != "article" and _is_age(text, n):
            if dropped is not None:
                dropped.append((n, "numbers.not-age"))
            continue
        out.append(n)
    return out


def _form_rule(m: re.Match) -> str:
    for name, rule in _FORM_RULE.items():
        if m.group(name):
            return rule
    return "numbers.digits"


def _is_age(text: str, n: Num) -> bool:
    r = _rx()
    return bool(r["age_after"].match(text, n.end) or r["age_before"].search(text, max(0, n.start - 40), n.start))
