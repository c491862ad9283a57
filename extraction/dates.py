"""Dates and time windows written in report sentences.

A date without a year takes the year that puts it on or before the document's date, closest to it
(figures.md "Years"). Without a document date such dates stay unknown (None).
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
# Month names are matched capitalised only: "may" the verb, "march" the noun are not months.
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)(?![a-z])"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)(?!\d)"
_TO = r"\s*(?:to|through|thru|till|until|and|-|–|—)\s*"


def _g(pat: str, name: str) -> str:
    return f"(?P<{name}>{pat})"


def M(n):
    return _g(_MONTH, f"m{n}")


def D(n):
    return _g(_DAY, f"d{n}")


def Y(n):
    return _g(_YEAR, f"y{n}")


_RANGES = [
    # October 7 to October 13, 2024 / from November 22 to December 2 / Dec 28, 2021 - Jan 3, 2022
    rf"{M(1)}\s+{D(1)}(?:,?\s+{Y(1)})?{_TO}{M(2)}\s+{D(2)}(?:,?\s+{Y(2)})?",
    # January 17 and 22 / March 14-20, 2024
    rf"{M(1)}\s+{D(1)}{_TO}{D(2)}(?:,?\s+{Y(2)})?(?!\s*(?:{_MONTH}|\d))",
    # 14 March to 20 April 2024
    rf"{D(1)}\s+{M(1)}(?:,?\s+{Y(1)})?{_TO}{D(2)}\s+{M(2)}(?:,?\s+{Y(2)})?",
    # from 14 to 20 March / 14-20 March 2024
    rf"{D(1)}{_TO}{D(2)}\s+{M(2)}(?:,?\s+{Y(2)})?",
    # January to December 2022 / between January and March
    rf"{M(1)}(?:\s+{Y(1)})?{_TO}{M(2)}(?:,?\s+{Y(2)})?",
    # 2021-2023 / from 2021 to 2023
    rf"(?<=from ){Y(1)}{_TO}{Y(2)}",
]
# No leading "from|between" in the patterns: optional prefixes make the regex engine try every position.
_RANGE_RE = [re.compile(p) for p in _RANGES]
_ISO_RE = re.compile(r"(?<!\d)(?P<y>20\d\d|19\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-2]\d|3[01])(?!\d)")
_DOTTED_RE = re.compile(r"(?<![\d.])(?P<d>[0-2]?\d|3[01])[./](?P<m>0?[1-9]|1[0-2])[./](?P<y>20\d\d)(?!\d)")
_FULL_RE = [
    re.compile(rf"{M(1)}\s+{D(1)},?\s+{Y(1)}"),
    re.compile(rf"{D(1)}\s+{M(1)},?\s+{Y(1)}"),
]
_MD_RE = [re.compile(rf"{M(1)}\s+{D(1)}(?!\s*,?\s*\d{{4}})(?![\d:])"),
          re.compile(rf"(?<![\d,.]){D(1)}\s+(?:of\s+)?{M(1)}")]
_MY_RE = re.compile(rf"{M(1)}(?:\s+of)?,?\s+{Y(1)}")
_YEAR_BEFORE = re.compile(r"(?i)\b(?:in|during|for|throughout|over|of|since|in the year|the whole of|the entire|"
                          r"the start of|the beginning of|the end of|until|by)\s+(?:the\s+)?"
                          r"(?:whole\s+of\s+|entire\s+|course\s+of\s+)?(?:year\s+)?$")
_YEAR_AFTER_NOT = re.compile(r"(?i)\s*(?:hectares?|ha\b|mines|people|km|kilomet|anti|unexploded|items|square|sq\b|m2|,\d|"
                             r"war|conflict|budget|elections?|agreement|statement)")
_MONTH_BEFORE = re.compile(r"(?i)\b(?:in|during|for|throughout|over|of|since|in the month of|the month of|until|by)\s+"
                           r"(?:the\s+)?(?:whole\s+of\s+|entire\s+|month\s+of\s+)?$")
# "June alone accounted for 4,118 ha": a month singled out of a longer window
_MONTH_ALONE = re.compile(r"(?:,?\s+(?:19[5-9]\d|20[0-4]\d))?\s+alone\b")
_REL_RE = re.compile(
    r"(?i)\b(?P<rel>(?:(?:throughout|during|in|over|for|within)\s+)?(?:"
    r"(?:this|the current|the present) year|(?:last|the (?:last|previous)) year|"
    r"(?:this|the current) month|"
    r"(?:last|this|the (?:last|past|previous|current|reporting)) (?:week|month)|the past year|"
    r"(?:the (?:last|past|previous) |(?P<anaphor>(?:the|these|those) ))?(?:\d{1,2}|two|three|four|five|six|"
    r"seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|twenty|thirty|few|several|couple of) "
    r"(?:days|weeks|months|years)|"
    r"(?<!the )recent (?:days|weeks|months)|(?<=during )the week|(?<=over )the week|(?<=in )the week|"
    r"(?:the )?(?:said|same|reporting|that|this|above-mentioned|aforementioned|mentioned) "
    r"(?:period|days|week|time|reporting period)|"
    r"the (?:same|said) (?:time|week|month)|"
    r"since the (?:start|beginning) of (?:the|this|the current) year|"
    r"yesterday|today))\b"
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# "on Monday" in a report: the closest such day on or before the report's date (as for dates without a year)
_WEEKDAY_RE = re.compile(r"\b(?i:on|last|early\s+on|late\s+on|on\s+the\s+(?:morning|evening|night)\s+of)\s+"
                         r"(?P<wd>" + "|".join(_WEEKDAYS) + r")\b(?!,?\s+(?:" + _MONTH + r"|\d))")
_SINCE_START_RE = re.compile(r"(?i)\bsince\s+(?:the\s+(?:start|beginning)\s+of\s+)?(?:the\s+)?(?:year\s+)?$")
# "as of 1 August 2022", "as at March 1", "as of the end of March": the day a running total refers to
_AS_OF_RE = re.compile(r"(?i)\bas\s+(?:of|at|on)\s+(?:the\s+end\s+of\s+)?(?:the\s+year\s+)?$")
_TO_DATE_RE = re.compile(r"(?i)^\s*(?:to|till|until|up to)\s+(?:date|now|today|the present(?: day)?)\b")


_ANY_MONTH = re.compile(r"\b" + _MONTH)
_ANY_YEAR = re.compile(r"(?<!\d)(?:19[5-9]\d|20[0-4]\d)(?!\d)")
_ANY_REL = re.compile(r"(?i)\b(?:years?|months?|weeks?|days|period|time|yesterday|today)\b")


def _rel_matches(text: str):
    """_REL_RE.finditer(text), faster: every relative window ends in exactly one _ANY_REL word ("the past
    two weeks", "the said period"), so the pattern is tried only on the stretch between such a word and the
    one before it (lookbehinds and \\b still see the text before the stretch)."""
    prev = 0
    for a in _ANY_REL.finditer(text):
        m = _REL_RE.search(text, prev, a.end())
        prev = a.end()
        if m is not None:
            yield m


@dataclass(frozen=True)
class DateSpan:
    start: int            # offsets in the sentence
    end: int
    kind: str             # "range", "month", "year", "day", "vague", "ref", "since"
    first: str | None     # ISO first day of the window (or the day)
    last: str | None      # ISO last day of the window (None for "since")
    explicit_year: bool = False
    raw: str = ""


def month_no(s: str) -> int:
    return MONTHS[s.lower().rstrip(".")]


def _day_no(s: str) -> int:
    return int(re.match(r"\d+", s).group(0))


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def infer_year(m: int, d: int, ref: date | None) -> int | None:
    """The year that puts month/day on or before `ref`, closest to it."""
    if ref is None:
        return None
    for y in range(ref.year, ref.year - 8, -1):   # Feb 29 may need a few years back
        dd = _safe_date(y, m, d)
        if dd and dd <= ref:
            return y
    return None


def _month_last(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def parse_iso(s: str | None) -> date | None:
    if not s:
        return None
    try:
        return date.fromisoformat(s[:10])
    except ValueError:
        return None


def _range_dates(gd: dict, ref: date | None) -> tuple[date | None, date | None, bool]:
    m1 = month_no(gd["m1"]) if gd.get("m1") else None
    m2 = month_no(gd["m2"]) if gd.get("m2") else None
    y1 = int(gd["y1"]) if gd.get("y1") else None
    y2 = int(gd["y2"]) if gd.get("y2") else None
    explicit = bool(y1 or y2)
    if gd.get("d1") is None and m1 is None:
        # year range
        return _safe_date(y1, 1, 1), _safe_date(y2, 12, 31), True
    if gd.get("d1") is None:
        # month range: January to December 2022
        m2 = m2 or m1
        if y2 is None:
            y2 = y1 or _month_year(m2, ref)
        if y2 is None:
            return None, None, explicit
        if y1 is None:
            y1 = y2 if m1 <= m2 else y2 - 1
        return date(y1, m1, 1), _month_last(y2, m2), explicit
    d1 = _day_no(gd["d1"])
    d2 = _day_no(gd["d2"])
    m1 = m1 or m2
    m2 = m2 or m1
    if y2 is None and y1 is not None:
        y2 = y1 if (m2, d2) >= (m1, d1) else y1 + 1
    if y2 is None:
        y2 = infer_year(m2, d2, ref)
    if y2 is None:
        return None, None, False
    if y1 is None:
        y1 = y2 if (m1, d1) <= (m2, d2) else y2 - 1
    return _safe_date(y1, m1, d1), _safe_date(y2, m2, d2), explicit


def _month_year(m: int, ref: date | None) -> int | None:
    if ref is None:
        return None
    return ref.year if date(ref.year, m, 1) <= ref else ref.year - 1


_ORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_COUNT = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
          "eleven": 11}
_PART_OF_YEAR = re.compile(
    r"(?i)\b(?:(?P<abbr>Q[1-4]|H[12])(?:\s*[/-]\s*|\s+(?:of\s+)?)(?=(?:19|20)\d\d\b)|(?:the\s+)?(?:(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)\s+(?P<unit>quarter|half)|"
    r"(?:first\s+)?(?P<n>\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven)\s+months)\s+of\s+)"
    r"(?:(?P<y>(?:19|20)\d\d)|(?P<rel>this|the current|last|the previous|the past)\s+year)\b")


_HALF_MONTH = re.compile(r"\b(?i:(?:the\s+)?(?P<h>first|second|1st|2nd|last)\s+half\s+of\s+)" + M(1) +
                         r"(?:,?\s+" + Y(1) + r")?")


def _half_month(m: re.Match, ref: date | None) -> tuple[date | None, date | None]:
    """"the first half of April" is 1-15 April, "the second half of March" 16-31 March."""
    mo = month_no(m.group("m1"))
    y = int(m.group("y1")) if m.group("y1") else _month_year(mo, ref)
    if y is None:
        return None, None
    if m.group("h").lower() in ("first", "1st"):
        return date(y, mo, 1), date(y, mo, 15)
    return date(y, mo, 16), _month_last(y, mo)


def _part_of_year(m: re.Match, ref: date | None) -> tuple[date | None, date | None]:
    """"the first quarter of 2023", "the first half of this year", "nine months of 2022"."""
    if m.group("y"):
        y = int(m.group("y"))
    elif ref is not None:
        y = ref.year - 1 if m.group("rel").lower() in ("last", "the previous", "the past") else ref.year
    else:
        return None, None
    if m.group("abbr"):
        # "Q3 2024", "H1 2023": quarter and half-year abbreviations
        k = int(m.group("abbr")[1])
        span = 3 if m.group("abbr")[0].upper() == "Q" else 6
        first_month = (k - 1) * span + 1
        return date(y, first_month, 1), _month_last(y, first_month + span - 1)
    if m.group("q"):
        k = _ORD[m.group("q").lower()]
        span = 3 if m.group("unit").lower() == "quarter" else 6
        if span == 6 and k > 2:
            return None, None
        first_month = (k - 1) * span + 1
        return date(y, first_month, 1), _month_last(y, first_month + span - 1)
    n = m.group("n").lower()
    n = int(n) if n.isdigit() else _COUNT[n]
    if not 1 <= n <= 12:
        return None, None
    return date(y, 1, 1), _month_last(y, n)


_RANGE_JOIN = re.compile(r"^\s*(?:to|through|thru|till|until|and|-|–|—)\s*$")


def _merge_day_ranges(text: str, spans: list[DateSpan]) -> list[DateSpan]:
    """"from 28.03.2023 to 03.04.2023", "2023-03-28 – 2023-04-03": two full days joined into a window."""
    out: list[DateSpan] = []
    for sp in spans:
        if out and out[-1].kind == "day" and sp.kind == "day" and out[-1].first and sp.first \
                and _RANGE_JOIN.match(text[out[-1].end:sp.start]) and out[-1].first <= sp.first \
                and (out[-1].explicit_year or sp.explicit_year):
            a = out.pop()
            out.append(DateSpan(a.start, sp.end, "range", a.first, sp.last, True, text[a.start:sp.end]))
            continue
        out.append(sp)
    return out


def find_dates(text: str, ref: date | None) -> list[DateSpan]:
    """Date expressions of one sentence, non-overlapping, in order."""
    out: list[DateSpan] = []
    taken: list[tuple[int, int]] = []

    def free(s, e):
        return all(e <= a or s >= b for a, b in taken)

    def add(span: DateSpan):
        out.append(span)
        taken.append((span.start, span.end))

    # cheap gates first: most sentences of a report hold no month name and no year
    has_month = _ANY_MONTH.search(text) is not None
    has_year = _ANY_YEAR.search(text) is not None
    for rx in _RANGE_RE if has_month else (_RANGE_RE[-1],) if has_year else ():
        for m in rx.finditer(text):
            if not free(m.start(), m.end()):
                continue
            gd = m.groupdict()
            # "15 to 20 March" needs a from/between or a dash: "5 to 10 March" alone is fine too,
            # but "537 anti-personnel and 101 ..." never matches because a month must follow.
            a, b, explicit = _range_dates(gd, ref)
            if a and b and a > b:
                continue
            add(DateSpan(m.start(), m.end(), "range", _iso(a), _iso(b), explicit, m.group(0)))
    for m in _HALF_MONTH.finditer(text) if has_month else ():
        if free(m.start(), m.end()):
            a, b = _half_month(m, ref)
            add(DateSpan(m.start(), m.end(), "range", _iso(a), _iso(b), bool(m.group("y1")), m.group(0)))
    for m in _PART_OF_YEAR.finditer(text) if has_year or _ANY_REL.search(text) else ():
        if not free(m.start(), m.end()):
            continue
        a, b = _part_of_year(m, ref)
        add(DateSpan(m.start(), m.end(), "range", _iso(a), _iso(b), bool(m.group("y")), m.group(0)))
    for rx in (_ISO_RE, _DOTTED_RE) if has_year else ():
        for m in rx.finditer(text):
            if free(m.start(), m.end()):
                d = _safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
                if d:
                    add(DateSpan(m.start(), m.end(), "day", _iso(d), _iso(d), True, m.group(0)))
    for rx in _FULL_RE if has_month and has_year else ():
        for m in rx.finditer(text):
            if free(m.start(), m.end()):
                d = _safe_date(int(m.group("y1")), month_no(m.group("m1")), _day_no(m.group("d1")))
                if d:
                    add(DateSpan(m.start(), m.end(), "day", _iso(d), _iso(d), True, m.group(0)))
    for m in _MY_RE.finditer(text) if has_month and has_year else ():
        if free(m.start(), m.end()):
            y, mo = int(m.group("y1")), month_no(m.group("m1"))
            add(DateSpan(m.start(), m.end(), "month", _iso(date(y, mo, 1)), _iso(_month_last(y, mo)), True,
                         m.group(0)))
    for rx in _MD_RE if has_month else ():
        for m in rx.finditer(text):
            if free(m.start(), m.end()):
                mo, d = month_no(m.group("m1")), _day_no(m.group("d1"))
                y = infer_year(mo, d, ref)
                dd = _safe_date(y, mo, d) if y else None
                add(DateSpan(m.start(), m.end(), "day", _iso(dd), _iso(dd), False, m.group(0)))
    for m in _WEEKDAY_RE.finditer(text) if "day" in text else ():
        if free(m.start(), m.end()) and ref is not None:
            dd = ref - timedelta(days=(ref.weekday() - _WEEKDAYS.index(m.group("wd"))) % 7)
            add(DateSpan(m.start(), m.end(), "day", _iso(dd), _iso(dd), False, m.group(0)))
    for m in _ANY_MONTH.finditer(text) if has_month else ():
        if free(m.start(), m.end()) and (_MONTH_BEFORE.search(text, max(0, m.start() - 30), m.start())
                                         or _MONTH_ALONE.match(text, m.end())):
            mo = month_no(m.group(0))
            y = _month_year(mo, ref)
            add(DateSpan(m.start(), m.end(), "month", _iso(date(y, mo, 1)) if y else None,
                         _iso(_month_last(y, mo)) if y else None, False, m.group(0)))
    for m in _ANY_YEAR.finditer(text) if has_year else ():
        if free(m.start(), m.end()) and _YEAR_BEFORE.search(text, max(0, m.start() - 40), m.start()) \
                and not _YEAR_AFTER_NOT.match(text, m.end()):
            y = int(m.group(0))
            add(DateSpan(m.start(), m.end(), "year", f"{y}-01-01", f"{y}-12-31", True, m.group(0)))
    for m in _rel_matches(text):
        if not free(m.start(), m.end()):
            continue
        rel = m.group("rel").lower()
        a = b = None
        kind = "vague"
        if rel.startswith("since"):
            kind = "since"
            if ref:
                a = date(ref.year, 1, 1)
        elif m.group("anaphor"):
            kind = "ref"    # "over the six months": the window named before
        elif not re.search(r"\b(?:said|same|reporting|that|this|mentioned)\b", rel) and re.search(
                r"(?:days|weeks|months|years|past year)$", rel) or (
                "month" in rel and re.search(r"last|past|previous", rel)):
            pass    # "the past two weeks", "last month", "in recent days": a window without dates
        elif "year" in rel:
            kind = "year"
            if ref:
                y = ref.year - 1 if ("last" in rel or "previous" in rel or "past" in rel) else ref.year
                a, b = date(y, 1, 1), date(y, 12, 31)
        elif "month" in rel and not re.search(r"same|said", rel):
            kind = "month"
            if ref:
                if "last" in rel or "previous" in rel or "past" in rel:
                    first = (ref.replace(day=1) - timedelta(days=1)).replace(day=1)
                else:
                    first = ref.replace(day=1)
                a, b = first, _month_last(first.year, first.month)
        elif rel in ("the week", "during the week", "over the week", "in the week") or re.search(
                r"\b(?:said|same|reporting|that|this|mentioned|aforementioned|above-mentioned)\s+"
                       r"(?:period|days|time|week|month|reporting)", rel) and not re.fullmatch(
                           r"(?:during |in |over |for )?this week", rel):
            kind = "ref"
        elif rel in ("yesterday", "today"):
            kind = "day"
            if ref:
                a = b = ref - timedelta(days=1) if rel == "yesterday" else ref
        add(DateSpan(m.start(), m.end(), kind, _iso(a), _iso(b), False, m.group(0)))
    out.sort(key=lambda s: s.start)
    out = _merge_day_ranges(text, out)
    # "since <date>": an open window; "from <date> to date": likewise
    final = []
    for sp in out:
        before = text[max(0, sp.start - 40):sp.start]
        after = text[sp.end:sp.end + 30]
        if sp.kind in ("day", "month", "year") and _AS_OF_RE.search(before):
            final.append(DateSpan(sp.start, sp.end, "asof", sp.last, sp.last, sp.explicit_year, sp.raw))
            continue
        if sp.kind in ("day", "month", "year") and (_SINCE_START_RE.search(before) or _TO_DATE_RE.match(after)
                                                     or re.search(r"(?i)\bsince\s+(?:\w+\s+){1,4}(?:on|in)\s+$", before)):
            if _TO_DATE_RE.match(after):
                m = _TO_DATE_RE.match(after)
                sp = DateSpan(sp.start, sp.end + m.end(), "since", sp.first, None, sp.explicit_year, sp.raw)
            else:
                sp = DateSpan(sp.start, sp.end, "since", sp.first, None, sp.explicit_year, sp.raw)
        final.append(sp)
    return final
