"""Numbers as written in reports: digits with separators, decimal commas, scale words, number words.

Forms: 13,177 / 1 234 / 1245.5 / 53081,8 (decimal comma) / "1454, 2 hectares" / 2.5 million /
"Fourteen" / "twenty-one" / "an anti-tank mine" (article = 1) / "a 731-hectare area".
Values are floats; absurdly long digit strings parse as large floats instead of failing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS_AFTER = r"(?:hectares?|ha\b|km|kilomet|square|sq\b|m2|m²|metres|meters)"

_DIGITS = re.compile(
    r"(?<![\w.,\-/:])(?:"
    r"(?P<spacedec>\d{1,6}, \d{1,2})(?= " + _UNITS_AFTER + r")"          # "1454, 2 hectares"
    r"|(?P<commadec>\d{1,3}(?:,\d{3})+,\d{1,2})(?!\d)"                   # 3,015,5 (decimal comma)
    r"|(?P<comma>\d{1,3}(?:,\d{3})+(?:\.\d+)?)(?![\d,]\d)"               # 13,177 / 2,345.6
    r"|(?P<space>\d{1,3}(?:[ \u00a0\u202f]\d{3})+)(?![\d.,]?\d)"         # 1 234 (thin/nbsp too)
    r"|(?P<deccomma>\d+,\d{1,2}(?!\d)|\d{4,},\d+)"                        # 53081,8
    r"|(?P<plain>\d+(?:\.\d+)?)"
    r")"
    r"(?P<scale>\s*(?:million|mln|thousand|thsd|billion)\b)?"
)

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_WORD = "|".join(sorted(list(_SMALL) + list(_TENS), key=len, reverse=True))
_WORDS = re.compile(
    r"(?i)\b(?P<w>(?:" + _WORD + r")(?:[- ](?:" + _WORD + r"))?(?:\s+(?:hundred|thousand|million)"
    r"(?:\s+(?:and\s+)?(?:" + _WORD + r")(?:[- ](?:" + _WORD + r"))?)?)?)\b(?!-(?:year|day|month|week)\b)"
)
_ARTICLE = re.compile(r"(?i)\b(?:a (?:second|third|fourth|fifth|sixth)|a single|one single|another|an?)\b(?=\s)")
# Ages are no counts: "a 45-year-old resident", "brothers aged 14 and 17", "aged between 9 and 12"
_AGE_AFTER = re.compile(r"(?i)\s*-?\s*(?:years?|months?)[- ]olds?\b")
_AGE_BEFORE = re.compile(r"(?i)\b(?:aged|ages?(?:\s+of)?)\s+(?:between\s+|from\s+)?"
                         r"(?:\w+\s*(?:,|and|or|to|-|–)\s*){0,3}$")
_SCALE_VALUE = {"million": 1e6, "mln": 1e6, "thousand": 1e3, "thsd": 1e3, "billion": 1e9}


@dataclass(frozen=True)
class Num:
    start: int       # offsets in the sentence
    end: int
    value: float
    kind: str        # "digits", "word", "article"
    text: str


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
        v *= _SCALE_VALUE[m.group("scale").strip().lower()]
    return v


def words_value(s: str) -> float | None:
    total = 0.0
    current = 0.0
    seen = False
    for tok in re.split(r"[\s-]+", s.lower()):
        if tok == "and" or not tok:
            continue
        if tok in _SMALL:
            current += _SMALL[tok]
        elif tok in _TENS:
            current += _TENS[tok]
        elif tok == "hundred":
            current = (current or 1) * 100
        elif tok in _SCALES:
            total += (current or 1) * _SCALES[tok]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def find_numbers(text: str) -> list[Num]:
    """Every number in a sentence, in order, non-overlapping (digits win over words over articles)."""
    found: list[Num] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for m in _DIGITS.finditer(text):
        s, e = m.start(), m.end()
        after = text[e:e + 3]
        # "18:00", "A320", "3rd", "COVID-19": not counts of anything
        if after[:1] == ":" and after[1:2].isdigit():
            continue
        if after[:1].isalpha() and not re.match(r"(?i)(?:ha\b|km|m2|m²|sq)", text[e:e + 3]):
            continue
        value = _digits_value(m)
        found.append(Num(s, e, value, "digits", m.group(0)))
        taken.append((s, e))
    for m in _WORDS.finditer(text):
        if not free(m.start(), m.end()):
            continue
        v = words_value(m.group("w"))
        if v is None:
            continue
        found.append(Num(m.start(), m.end(), v, "word", m.group(0)))
        taken.append((m.start(), m.end()))
    for m in _ARTICLE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        found.append(Num(m.start(), m.end(), 1.0, "article", m.group(0)))
        taken.append((m.start(), m.end()))
    found.sort(key=lambda n: n.start)
    return [n for n in found if n.kind == "article" or not _is_age(text, n)]


def _is_age(text: str, n: Num) -> bool:
    return bool(_AGE_AFTER.match(text, n.end) or _AGE_BEFORE.search(text, max(0, n.start - 40), n.start))
