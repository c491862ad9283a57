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

from minemap.extraction.lang import alternation, load, lowered, phrase
from minemap.extraction.literals import Prefilter, contains_any
from minemap.extraction.quick import quick_init

# (no look-behind before the number: a pattern that starts with a digit is scanned many times faster; the
# character before a match is checked in find_numbers)
_NOT_BEFORE = set("0123456789.,-/:")
_DIGIT = re.compile(r"\d")
_FORMS = (
    r"(?:"
    r"(?P<spacedec>\d{1,6}, \d{1,2})(?= {units_after})"                  # "1454, 2 hectares"
    # a group of three digits broken by a stray space or apostrophe: "3,2 14 unexploded ordnance", "2,0'74"
    r"|(?P<broken>\d{1,3},(?:\d['’]\d{2}|\d{2}['’]\d|\d \d{2}(?=\s+[^\W\d])|\d{2} \d(?=\s+[^\W\d])))(?![\d.,]?\d)"
    r"|(?P<commadec>\d{1,3}(?:,\d{3})+,\d{1,2})(?!\d)"                   # 3,015,5 (decimal comma)
    r"|(?P<comma>\d{1,3}(?:,(?:\d{3}|(?-i:[\dO]{3})))+(?:\.\d+)?)(?![\d,]\d)"  # 13,177 / 2,345.6 / 17,4O2
    r"|(?P<spacedec2>\d{1,3}(?:[ \u00a0\u202f]\d{3})+,\d{1,2})(?!\d)"     # 4 112,7 (spaces, decimal comma)
    r"|(?P<space>\d{1,3}(?:[ \u00a0\u202f]\d{3})+)(?![\d.,]?\d)"         # 1 234 (thin/nbsp too)
    r"|(?P<deccomma>\d+,\d{1,2}(?!\d)|\d{4,},\d+)"                        # 53081,8
    r"|(?P<plain>\d+(?:\.\d+)?)"
    r")"
    r"(?P<scale>\s*{scale}\b)?"
)
_FORM_RULE = {"broken": "numbers.broken-digit-group", "spacedec": "numbers.decimal-comma", "commadec": "numbers.decimal-comma",
              "spacedec2": "numbers.decimal-comma",
              "deccomma": "numbers.decimal-comma", "comma": "numbers.digits", "space": "numbers.digits",
              "plain": "numbers.digits"}


@quick_init
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
    words = (r"(?P<w>(?:" + word + r")(?:[- ](?:" + word + r"))?(?:\s+" + big
             + r"(?:\s+(?:" + joiner + r"\s+)?(?:" + word + r")(?:[- ](?:" + word + r"))?)?)?)\b(?!-"
             + alternation(d["time_units"]) + r"\b)")
    return {
        "digits": re.compile(_FORMS.replace("{units_after}", alternation(d["units_after"]))
                             .replace("{scale}", alternation(d["scale_after"])), re.IGNORECASE),
        # the same without "1454, 2 hectares": after a month name "May 14, 96 hectares" is a day and a count
        "digits_after_month": re.compile(_FORMS.replace(r"(?P<spacedec>\d{1,6}, \d{1,2})(?= {units_after})", "(?P<spacedec>(?!))")
                                         .replace("{scale}", alternation(d["scale_after"])), re.IGNORECASE),
        "month_before": re.compile(r"\b(?:" + "|".join(load("dates")["months"]) + "|"
                                   + "|".join(load("dates")["month_abbreviations"]) + r")\.?\s+$"),
        # read in the lower-cased sentence, the word boundary before checked in find_numbers (both many times
        # faster than a case-blind pattern that starts with \b)
        "words": re.compile(words),
        # most sentences hold no number word: a look for the words before the pattern reads the sentence
        "words_screen": Prefilter(words),
        "article": re.compile(alternation(d["articles"]) + r"\b(?=\s)"),
        "glued_unit": re.compile(r"(?i)" + alternation(d["glued_units"])),
        "glued_before": {w.lower() for w in d["glued_before"]},
        "word_before": re.compile(r"([^\W\d_]+)$"),
        "clock_before": phrase("numbers", "clock_before"),
        "clock_after": phrase("numbers", "clock_after"),
        "article_before": phrase("numbers", "article_before"),
        "article_near": contains_any(d["article_hint"]),
        "age_near": contains_any(d["age_hint"]),
        "age_after_hint": d["age_after_hint"],
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
    if m.group("broken"):
        v = _float(re.sub(r"\D", "", m.group("broken")))
    elif m.group("spacedec"):
        a, b = m.group("spacedec").split(", ")
        v = _float(f"{a}.{b}")
    elif m.group("commadec"):
        head, _, dec = m.group("commadec").rpartition(",")
        v = _float(head.replace(",", "") + "." + dec)
    elif m.group("comma"):
        # a capital O typed for a zero inside a group of digits ("17,4O2")
        v = _float(m.group("comma").replace(",", "").replace("O", "0"))
    elif m.group("spacedec2"):
        head, _, dec = m.group("spacedec2").rpartition(",")
        v = _float(re.sub(r"\D", "", head) + "." + dec)
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


def find_numbers(text: str, dropped: list | None = None, blocked: list[tuple[int, int]] = ()) -> list[Num]:
    """Every number in a sentence, in order, non-overlapping (digits win over words over articles).

    Numbers that are no counts are left out; with `dropped`, (Num, rule id) pairs of them are appended to it.
    Numbers that overlap a `blocked` span (a date, a cue) are left out too, unrecorded.
    """
    r = _rx()
    found: list[Num] = []
    taken: list[tuple[int, int]] = list(blocked)

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    pos = 0
    # the first digit, then the number forms read from it: every form starts with a digit and "plain" reads any,
    # so this finds what a search with the whole pattern would, many times faster
    while (d := _DIGIT.search(text, pos)) is not None:
        m = r["digits"].match(text, d.start())
        lost_space = _lost_space(text, m.start())
        if m.start() and text[m.start() - 1] in _NOT_BEFORE and not lost_space:
            pos = m.end()
            continue   # inside "1.5", "12/05", "COVID-19": the tail of another token
        if m.group("spacedec") and r["month_before"].search(text, max(0, m.start() - 12), m.start()):
            m = r["digits_after_month"].match(text, m.start())
        s, e = m.start(), m.end()
        pos = e
        if blocked and not free(s, e):
            # "From January 2 to 5, 10 hectares": digits read across the end of a date are read again after it
            pos = max(e if b >= e else b for a, b in taken if a < e and s < b)
            continue
        why_not = _not_a_count(text, m, r)
        if why_not:
            if dropped is not None:
                dropped.append((Num(s, e, 0.0, "digits", m.group(0)), why_not))
            continue
        value = _digits_value(m)
        rule = "numbers.scale-word" if m.group("scale") else _form_rule(m)
        if _glued(text, s, e):
            rule = "numbers.glued-to-a-word"
        elif lost_space:
            rule = "numbers.lost-space-after-comma"
        found.append(Num(s, e, value, "digits", m.group(0), rule))
        taken.append((s, e))
    lower = lowered(text)
    for m in r["words"].finditer(lower) if r["words_screen"].may_match(lower) else ():
        s, e = m.start(), m.end()
        if (s and _word_char(lower[s - 1])) or not free(s, e):
            continue
        v = words_value(m.group("w"))
        if v is None:
            continue
        found.append(Num(s, e, v, "word", text[s:e], "numbers.word"))
        taken.append((s, e))
    for m in r["article"].finditer(lower):
        s, e = m.start(), m.end()
        if (s and _word_char(lower[s - 1])) or not free(s, e):
            continue
        found.append(Num(s, e, 1.0, "article", text[s:e], "numbers.article"))
        taken.append((s, e))
    found.sort(key=lambda n: n.start)
    out = []
    for n in found:
        if n.kind != "article" and _is_age(text, n):
            if dropped is not None:
                dropped.append((n, "numbers.not-age"))
            continue
        out.append(n)
    return out


def _lost_space(text: str, s: int) -> bool:
    """"During the period,332 mines were found": a comma between a word and digits is a comma that lost the space
    after it, not a separator inside a number."""
    return s >= 2 and text[s - 1] == "," and text[s - 2].isalpha()


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _glued(text: str, s: int, e: int) -> bool:
    return (s > 0 and text[s - 1].isalpha()) or (e < len(text) and text[e].isalpha())


def _not_a_count(text: str, m: re.Match, r: dict) -> str | None:
    """Why the digits of `m` are no count (a rule id), or None."""
    s, e = m.start(), m.end()
    after = text[e:e + 3]
    # "18:00", "17:35 (GMT+4)": a time of day
    if after[:1] == ":" and after[1:2].isdigit():
        return "numbers.not-clock-time"
    if s > 0 and text[s - 1].isalpha():
        # "A320", "Mi8": a code; but "a total of37,583 hectares" is a word glued to a number by a careless copy
        word = r["word_before"].search(text, max(0, s - 20), s)
        if word is None or word.group(1).lower() not in r["glued_before"] or (
                word.start() > 0 and text[word.start() - 1].isalnum()):
            return "numbers.not-code"
    if after[:1].isalpha() and not r["glued_unit"].match(text, e) and not _glued_to_what_it_counts(text, e):
        return "numbers.not-code"   # "3rd", "COVID19", "5G"
    digits = m.group(0)
    if r["clock_after"].match(text, e) and not m.group("scale") and "," not in digits:
        return "numbers.not-clock-time"   # "at 11 AM", "0600 hours"
    if len(digits) == 4 and digits.isdigit() and int(digits[:2]) < 24 and int(digits[2:]) < 60 \
            and r["clock_before"].search(text, max(0, s - 25), s):
        return "numbers.not-clock-time"   # "at around 1800"
    if _near(text, s, r["article_near"]) and r["article_before"].search(text, max(0, s - 40), s):
        return "numbers.not-article-number"
    return None


def _near(text: str, s: int, near) -> bool:
    """A cheap test before a pattern that reads the 40 characters before a number: `near` tells whether a text
    holds any of its words (literals.contains_any)."""
    return near(text[max(0, s - 40):s].lower())


def _glued_to_what_it_counts(text: str, e: int) -> bool:
    """"254hectares", "10,463anti-personnel mines": a copy that lost the space before a unit or item noun."""
    from minemap.extraction.metric.units import area_unit, item_metric   # the words of what a number counts
    tail = text[e:e + 60]
    return bool(area_unit(tail) or item_metric(tail))


def _form_rule(m: re.Match) -> str:
    for name, rule in _FORM_RULE.items():
        if m.group(name):
            return rule
    return "numbers.digits"


def _is_age(text: str, n: Num) -> bool:
    r = _rx()
    return bool((r["age_after_hint"] in text[n.end:n.end + 16].lower() and r["age_after"].match(text, n.end)) or (
        _near(text, n.start, r["age_near"]) and r["age_before"].search(text, max(0, n.start - 40), n.start)))
