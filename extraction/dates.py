"""Dates and time windows as written in report sentences: each becomes a `DateSpan` with ISO dates.

A date without a year takes the year that puts it on or before the document's date, closest to it
(figures.md "Years"). Without a document date such dates stay unknown (None). This module only reads what
the text writes; which window a figure belongs to is decided in `scope.py` and `when.py`. Each span carries
the id of the reading rule that read it (`dates.*`).
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from minemap.extraction.lang import alternation, load, lowered, phrase
from minemap.extraction.quick import quick_init

_YEAR = r"(?:19[5-9]\d|20[0-4]\d)(?!\d)"
_DIGITS = re.compile(r"\d+")
# reading rules that other modules ask about: windows of the present (counted from the statement's day) and
# a week whose dates the text does not give
TODAY, YESTERDAY = "dates.today", "dates.yesterday"
PRESENT_WINDOWS = frozenset((TODAY, YESTERDAY, "dates.this-year", "dates.this-month", "dates.since-year-start"))
VAGUE_WEEK = "dates.vague-week"


@quick_init
@dataclass(frozen=True)
class DateSpan:
    start: int            # offsets in the sentence
    end: int
    kind: str             # "range", "month", "year", "day", "vague", "ref", "since", "asof"
    first: str | None     # ISO first day of the window (or the day)
    last: str | None      # ISO last day of the window (None for "since")
    explicit_year: bool = False
    raw: str = ""
    rule: str = "dates.day"


def _g(pat: str, name: str) -> str:
    return f"(?P<{name}>{pat})"


@lru_cache(maxsize=None)
def _rx() -> dict:
    d = load("dates")
    month = "(?:" + "|".join(sorted(d["months"], key=len, reverse=True)) + "|" + "|".join(
        n + r"\.?" for n in sorted(d["month_abbreviations"], key=len, reverse=True)) + r")(?![a-z])"
    day = r"(?:[12]\d|3[01]|0?[1-9])" + "(?:" + "|".join(d["day_suffix"]) + r")?(?!\d)"
    # "November 10, 2020, to December 6, 2023": a comma may close the first date before a joining word
    # "from November 2020 until the end of October 2025": the window runs to the last day of its end
    to = r"\s*(?:,\s*(?=[^\W\d]))?" + alternation(d["range_joiner"]) + r"\s*(?:(?i:" + alternation(
        d["range_end_lead"]) + r")\s+)?"
    of = alternation(d["of"])

    def M(n):
        return _g(month, f"m{n}")

    def D(n):
        return _g(day, f"d{n}")

    def Y(n):
        return _g(_YEAR, f"y{n}")

    ranges = [
        # October 7 to October 13, 2024 / from November 22 to December 2 / Dec 28, 2021 - Jan 3, 2022
        rf"{M(1)}\s+{D(1)}(?:,?\s+{Y(1)})?{to}{M(2)}\s+{D(2)}(?:,?\s+{Y(2)})?",
        # January 17 and 22 / March 14-20, 2024
        rf"{M(1)}\s+{D(1)}{to}{D(2)}(?:,?\s+{Y(2)})?(?!\s*(?:{month}|\d))",
        # 14 March to 20 April 2024
        rf"{D(1)}\s+{M(1)}(?:,?\s+{Y(1)})?{to}{D(2)}\s+{M(2)}(?:,?\s+{Y(2)})?",
        # from 14 to 20 March / 14-20 March 2024
        rf"{D(1)}{to}{D(2)}\s+{M(2)}(?:,?\s+{Y(2)})?",
        # from November 2020 through December 31, 2022
        rf"{M(1)}\s+{Y(1)}{to}{M(2)}\s+{D(2)},?\s+{Y(2)}",
        # January to December 2022 / between January and March
        rf"{M(1)}(?:\s+{Y(1)})?{to}{M(2)}(?:,?\s+{Y(2)})?",
        # from November 2020 to the end of 2022
        rf"{M(1)}\s+{Y(1)}{to}(?P<ye>{_YEAR})",
        # from 2021 to 2023 / between 2020 and 2024 / from 2021 to the end of March 2023
        "(?:" + "|".join(f"(?<=(?i:{lead}))" for lead in d["year_range_lead"]) + rf"){Y(1)}{to}(?:{M(2)},?\s+)?{Y(2)}",
        # 2021-2023, 2020–2024
        rf"(?<![\d-]){Y(1)}\s*[-–—]\s*{Y(2)}",
    ]
    relative = d["relative"]
    count = alternation(d["count"])
    rel_alts = "|".join(f"(?P<r{i}>{p.replace('{count}', count)})" for i, (_, p) in enumerate(relative))
    return {
        # no leading "from|between" in the patterns: optional prefixes make the engine try every position
        "ranges": [re.compile(p) for p in ranges],
        "iso": re.compile(r"(?<!\d)(?P<y>20\d\d|19\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-2]\d|3[01])(?!\d)"),
        "dotted": re.compile(r"(?<![\d.])(?P<d>[0-2]?\d|3[01])[./](?P<m>0?[1-9]|1[0-2])[./](?P<y>20\d\d)(?!\d)"),
        "full": [re.compile(rf"{M(1)}\s+{D(1)},?\s+{Y(1)}"), re.compile(rf"{D(1)}\s+{M(1)},?\s+{Y(1)}")],
        "month_day": [re.compile(rf"{M(1)}\s+{D(1)}(?!\s*,?\s*\d{{4}})(?![\d:])"),
                      re.compile(rf"(?<![\d,.]){D(1)}\s+(?:{of}\s+)?{M(1)}")],
        "month_year": re.compile(rf"{M(1)}(?:\s+{of})?,?\s+{Y(1)}"),
        "month_of_year": re.compile(M(1) + "(?i:" + d["month_of_year"] + ")"),
        "whole_year_lead": re.compile(r"(?i)" + alternation(d["whole_year_lead"])),
        # (the boundary before a month or a year is checked in Python: a pattern that starts with a literal is
        # scanned many times faster than one that starts with \b or a look-behind)
        "any_month": re.compile(month),
        "glued_month_lead": re.compile(r"(?<![^\W\d_])(?:" + "|".join(d["glued_month_lead"]) + r")$"),
        "any_year": re.compile(_YEAR),
        "year_before": phrase("dates", "year_before"),
        "year_after_not": phrase("dates", "year_after_not"),
        "year_after": phrase("dates", "year_after"),
        "month_before": phrase("dates", "month_before"),
        "month_alone": re.compile(r"(?:,?\s+" + _YEAR + r")?" + d["month_alone"], re.IGNORECASE),
        "relative": re.compile(r"(?i)\b" + d["relative_lead"] + "(?:" + rel_alts + r")\b"),
        "relative_meaning": [meaning for meaning, _ in relative],
        "relative_last_word": re.compile(d["relative_last_word"].replace(r"\b(?:", "(?:", 1)),
        # "on Saturday", "died Saturday": a weekday written before a date is the date's, not a day of its own
        "weekday": re.compile(r"(?:\b(?i:" + d["weekday_lead"] + r"))?(?<![\w-])(?P<wd>" + "|".join(d["weekdays"])
                              + r")\b(?!,?\s+(?:" + month + r"|\d))"),
        "weekdays": d["weekdays"],
        "since_before": phrase("dates", "since_before"),
        "since_words_before": phrase("dates", "since_words_before"),
        "as_of_before": phrase("dates", "as_of_before"),
        "as_of_part_of_month": phrase("dates", "as_of_part_of_month"),
        "part_of_month_day": {" ".join(k.split()): v for k, v in d["part_of_month_day"].items()},
        "week_ending_before": phrase("dates", "week_ending_before"),
        "to_date_after": phrase("dates", "to_date_after"),
        "from_before": re.compile(r"(?i)\bfrom\s+$"),
        "part_of_year": re.compile("(?i)" + d["part_of_year"]
                                   .replace("{ordinal}", alternation(d["ordinal"]))
                                   .replace("{months_count}", alternation(d["months_count"]))
                                   .replace("{this_or_last}", alternation(d["this_or_last"]))),
        "part_of_year_alone": re.compile("(?i)" + d["part_of_year_alone"].replace("{ordinal}", alternation(d["ordinal"]))),
        "week_of_month": re.compile(r"\b(?i:" + d["week_of_month_lead"] + r")" + M(1) + r"(?:,?\s+" + Y(1) + r")?"),
        "half_month": re.compile(r"\b(?i:" + d["half_month_lead"] + r")" + M(1) + r"(?:,?\s+" + Y(1) + r")?"),
        "range_join": re.compile(r"^" + to + r"$"),
        # where each range pattern can start: a month name, a day (one or two digits before a month), or a
        # year-like number
        "range_starts": ("month", "month", "day", "day", "month", "month", "month", "year", "year"),
        "half_hint": d["half_hint"],
        "month_of_year_hint": d["month_of_year_hint"],
        "weekday_hint": d["weekday_hint"],
        "this_year_words": set(d["this_year_words"]),
        "part_of_year_hint": tuple(d["part_of_year_hint"]),
        "month": month,
    }


def month_pattern() -> str:
    """The regex of a month name (capitalised, abbreviations with an optional full stop)."""
    return _rx()["month"]


@lru_cache(maxsize=None)
def _month_numbers() -> dict[str, int]:
    d = load("dates")
    return {k.lower(): v for k, v in {**d["months"], **d["month_abbreviations"]}.items()}


def month_no(s: str) -> int:
    return _month_numbers()[s.lower().rstrip(".")]


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


def month_last(y: int, m: int) -> date:
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
    if gd.get("ye"):
        # from a month to the end of a year
        return _safe_date(y1, m1, 1), _safe_date(int(gd["ye"]), 12, 31), True
    if gd.get("d1") is None and m1 is None:
        # year range, or from a year to a month ("from 2021 to the end of March 2023")
        return _safe_date(y1, 1, 1), month_last(y2, m2) if m2 else _safe_date(y2, 12, 31), True
    if gd.get("d1") is None and gd.get("d2"):
        # from a month to a day: from November 2020 through December 31, 2022
        return _safe_date(y1, m1, 1), _safe_date(y2, m2, _day_no(gd["d2"])), True
    if gd.get("d1") is None:
        # month range: January to December 2022
        m2 = m2 or m1
        if y2 is None:
            y2 = y1 or _month_year(m2, ref)
        if y2 is None:
            return None, None, explicit
        if y1 is None:
            y1 = y2 if m1 <= m2 else y2 - 1
        return date(y1, m1, 1), month_last(y2, m2), explicit
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


def _half_month(m: re.Match, ref: date | None) -> tuple[date | None, date | None]:
    mo = month_no(m.group("m1"))
    y = int(m.group("y1")) if m.group("y1") else _month_year(mo, ref)
    if y is None:
        return None, None
    if m.group("h").lower() in load("dates")["first_half_words"]:
        return date(y, mo, 1), date(y, mo, 15)
    return date(y, mo, 16), month_last(y, mo)


def _part_of_year(m: re.Match, ref: date | None) -> tuple[date | None, date | None]:
    d = load("dates")
    if m.group("y"):
        y = int(m.group("y"))
    elif ref is not None:
        y = ref.year - 1 if m.group("rel").lower() in d["last_year_words"] else ref.year
    else:
        return None, None
    if m.group("abbr"):
        k = int(m.group("abbr")[1])
        span = 3 if m.group("abbr")[0].upper() == "Q" else 6
        first_month = (k - 1) * span + 1
        return date(y, first_month, 1), month_last(y, first_month + span - 1)
    if m.group("q"):
        k = d["ordinal"][m.group("q").lower()]
        span = 3 if m.group("unit").lower() == d["quarter_word"] else 6
        if span == 6 and k > 2:
            return None, None
        first_month = (k - 1) * span + 1
        return date(y, first_month, 1), month_last(y, first_month + span - 1)
    n = m.group("n").lower()
    n = int(n) if n.isdigit() else d["months_count"][n]
    if not 1 <= n <= 12:
        return None, None
    return date(y, 1, 1), month_last(y, n)


def _week_of_month(m: re.Match, ref: date | None) -> tuple[date | None, date | None]:
    mo = month_no(m.group("m1"))
    y = int(m.group("y1")) if m.group("y1") else _month_year(mo, ref)
    if y is None:
        return None, None
    k = load("dates")["week_ordinal"][m.group("w").lower()]
    if k == 0:
        last = month_last(y, mo)
        return last - timedelta(days=6), last
    return date(y, mo, 7 * k - 6), date(y, mo, 7 * k)


def _part_of_year_alone(m: re.Match, ref: date | None) -> tuple[date | None, date | None]:
    """"the first quarter" without a year: of the statement's year, or of the year before when it had not begun."""
    d = load("dates")
    k = d["ordinal"][m.group("q").lower()]
    span = 3 if m.group("unit").lower() == d["quarter_word"] else 6
    if ref is None or k * span > 12:
        return None, None
    first_month = (k - 1) * span + 1
    y = ref.year if date(ref.year, first_month, 1) <= ref else ref.year - 1
    return date(y, first_month, 1), month_last(y, first_month + span - 1)


def _days_ago(raw: str, ref: date | None) -> tuple[str, date | None, date | None]:
    """"two days ago": that day before the publication (a vague window when the count is "a few")."""
    values = load("dates")["count_values"]
    words = lowered(raw).split()
    n = int(words[-3]) if words[-3].isdigit() else values.get(words[-3]) if len(words) >= 3 else None
    if n is None or ref is None:
        return "vague", None, None
    day = ref - timedelta(days=n)
    return "day", day, day


def _relative(meaning: str, ref: date | None, whole: bool = False) -> tuple[str, date | None, date | None]:
    """(kind, first, last) of a window written without dates; a window of the present ("this year") runs to
    the statement's date unless `whole` ("throughout this year")."""
    if meaning == "since_year_start":
        return "since", date(ref.year, 1, 1) if ref else None, None
    if meaning == "said_period":
        return "ref", None, None
    if meaning in ("today", "yesterday"):
        day = (ref - timedelta(days=1) if meaning == "yesterday" else ref) if ref else None
        return "day", day, day
    if meaning in ("this_year", "last_year"):
        if ref is None:
            return "year", None, None
        y = ref.year - (meaning == "last_year")
        return "year", date(y, 1, 1), ref if meaning == "this_year" and not whole else date(y, 12, 31)
    if meaning in ("this_month", "last_month"):
        if ref is None:
            return "month", None, None
        first = ref.replace(day=1)
        if meaning == "last_month":
            first = (first - timedelta(days=1)).replace(day=1)
            return "month", first, month_last(first.year, first.month)
        return "month", first, ref if not whole else month_last(first.year, first.month)
    return "vague", None, None


def _anchored(rx: re.Pattern, text: str, starts: list[int]):
    """rx.finditer(text) for a pattern that can only match at one of `starts` (sorted)."""
    end = 0
    for s in starts:
        if s < end:
            continue
        m = rx.match(text, s)
        if m is not None:
            yield m
            end = max(m.end(), s + 1)


def _after_a_break(rx: re.Pattern, text: str, digits: bool = False, matches=None):
    """The matches of `rx` (or of `matches`, its matches in `text`) that start a word (or, with `digits`, a
    number)."""
    for m in rx.finditer(text) if matches is None else matches:
        s = m.start()
        if s == 0 or not (text[s - 1].isdigit() if digits else text[s - 1].isalnum() or text[s - 1] == "_"):
            yield m


def _months(text: str, matches):
    """The month names of `text` (`matches`: all of them) that start a word, or that lost the space after a
    preposition ("duringOctober", "inMay": text cut from a PDF); each with whether it did (rule
    dates.glued-month)."""
    glued = _rx()["glued_month_lead"]
    for m in matches:
        s = m.start()
        if s == 0 or not (text[s - 1].isalnum() or text[s - 1] == "_"):
            yield m, False
        elif text[s - 1].islower() and glued.search(text, max(0, s - 12), s):
            yield m, True


def _rel_matches(text: str, last_words):
    """The relative windows of `text`. Every one ends in exactly one `relative_last_word` ("the past two
    weeks", "the said period"; `last_words` are their matches), so the long pattern is tried only on the
    stretch between such a word and the one before it (lookbehinds and \\b still see the text before the
    stretch)."""
    r = _rx()
    prev = 0
    for a in last_words:
        m = r["relative"].search(text, prev, a.end())
        prev = a.end()
        if m is not None:
            yield m


def _starts(text: str, months: list[re.Match]) -> dict[str, list[int]]:
    """Where the patterns that start with a number can match, from the runs of digits of `text`: a pattern is
    tried only there, not at every digit (the same matches: at any other place it fails).

    day: the last one or two digits of a run (a day is one or two digits and no digit follows it), before
    the end of the last month name (each such pattern names a month after its day); iso: the start of a run of
    four digits (a year, then "-"); dotted: the start of a run of one or two digits (a day, then "." or "/")."""
    runs = [(m.start(), m.end()) for m in _DIGITS.finditer(text)]
    last_month_end = months[-1].end() if months else 0
    day = []
    for a, b in runs:
        if b - 2 >= a and b - 2 < last_month_end:
            day.append(b - 2)
        if b - 1 < last_month_end:
            day.append(b - 1)
    return {"day": day, "iso": [a for a, b in runs if b - a == 4], "dotted": [a for a, b in runs if b - a <= 2]}


def _merge_day_ranges(text: str, spans: list[DateSpan]) -> list[DateSpan]:
    """"from 28.03.2023 to 03.04.2023", "2023-03-28 – 2023-04-03": two full days joined into a window."""
    join = _rx()["range_join"]
    out: list[DateSpan] = []
    for sp in spans:
        if out and out[-1].kind == "day" and sp.kind == "day" and out[-1].first and sp.first \
                and join.match(text[out[-1].end:sp.start]) and out[-1].first <= sp.first \
                and (out[-1].explicit_year or sp.explicit_year):
            a = out.pop()
            out.append(DateSpan(a.start, sp.end, "range", a.first, sp.last, True, text[a.start:sp.end], "dates.range"))
            continue
        out.append(sp)
    return out


_BRACKET_AFTER = re.compile(r"\s*[(\[]\s*$")


def _dated_in_brackets(text: str, spans: list[DateSpan]) -> list[DateSpan]:
    """"over the past week (December 11-16)", "last month (March 2024)": a window told without dates, then with
    them in brackets, is the dated window."""
    out: list[DateSpan] = []
    for sp in spans:
        if out and out[-1].kind in ("vague", "month", "year") and out[-1].rule in ("dates.vague-week", "dates.vague",
                                                                               "dates.last-month", "dates.this-month") \
                and sp.kind in ("range", "month") and _BRACKET_AFTER.match(text[out[-1].end:sp.start]):
            a = out.pop()
            out.append(DateSpan(a.start, sp.end, sp.kind, sp.first, sp.last, sp.explicit_year, text[a.start:sp.end],
                                sp.rule))
            continue
        out.append(sp)
    return out


_OF_THE_YEAR = re.compile(r"\s*,?\s*(?:of\s+)?$")


def _shift_year(iso: str | None, years: int) -> str | None:
    d = parse_iso(iso)
    if d is None or not years:
        return iso
    return (_safe_date(d.year + years, d.month, d.day) or date(d.year + years, d.month, 28)).isoformat()


def _of_the_year(text: str, spans: list[DateSpan]) -> list[DateSpan]:
    """"from January 1 to May 31 of this year", "in March-April of last year": a window without its year, then the
    year it falls in, is that window of that year (rule dates.window-of-the-year)."""
    out: list[DateSpan] = []
    for sp in spans:
        w = out[-1] if out else None
        if w is not None and w.kind in ("range", "month", "day") and not w.explicit_year and w.last \
                and sp.rule in ("dates.this-year", "dates.last-year") and sp.first \
                and _OF_THE_YEAR.match(text[w.end:sp.start]):
            shift = int(sp.first[:4]) - int(w.last[:4])
            out.pop()
            out.append(DateSpan(w.start, sp.end, w.kind, _shift_year(w.first, shift), _shift_year(w.last, shift), True,
                                text[w.start:sp.end], "dates.window-of-the-year"))
            continue
        out.append(sp)
    return out


_DAY_AFTER_WINDOW = re.compile(r"\s*,?\s*(?:on\s+)?$")


def _day_in_window(text: str, spans: list[DateSpan]) -> list[DateSpan]:
    """"Last year, on July 21", "Earlier this month, on May 6", "In 2021, on March 3": a day written without its
    year right after the year or month it falls in is that day of that year (rule dates.day-in-window)."""
    out: list[DateSpan] = []
    for sp in spans:
        w = out[-1] if out else None
        if w is not None and w.kind in ("year", "month") and w.first and sp.kind == "day" and sp.first \
                and not sp.explicit_year and _DAY_AFTER_WINDOW.match(text[w.end:sp.start]):
            day = parse_iso(sp.first)
            y = int(w.first[:4])
            inside = _safe_date(y, day.month, day.day) if day else None
            if inside is not None and w.first <= inside.isoformat() <= (w.last or inside.isoformat()) \
                    or inside is not None and w.kind == "year":
                out.pop()
                out.append(DateSpan(w.start, sp.end, "day", inside.isoformat(), inside.isoformat(), w.explicit_year,
                                    text[w.start:sp.end], "dates.day-in-window"))
                continue
        out.append(sp)
    return out


def find_dates(text: str, ref: date | None) -> list[DateSpan]:
    """Date expressions of one sentence, non-overlapping, in order."""
    r = _rx()
    out: list[DateSpan] = []
    taken: list[tuple[int, int]] = []

    def free(s, e):
        return all(e <= a or s >= b for a, b in taken)

    def add(span: DateSpan):
        out.append(span)
        taken.append((span.start, span.end))

    # cheap gates first: most sentences of a report hold no month name and no year (each list is read once)
    month_matches = list(r["any_month"].finditer(text))
    lone_months = list(_months(text, month_matches))
    year_matches = list(r["any_year"].finditer(text))
    lone_years = list(_after_a_break(r["any_year"], text, digits=True, matches=year_matches))
    has_month, has_year = bool(lone_months), bool(lone_years)
    lower = lowered(text)
    last_words = list(_after_a_break(r["relative_last_word"], lower))
    # patterns that start with a day or a year are tried where one can stand, not at every character of the
    # sentence (the same matches, many times faster)
    years = [m.start() for m in year_matches] if has_year else []
    months = [m.start() for m in month_matches] if has_month else []
    starts = {"year": years, "month": months} | (_starts(text, month_matches if has_month else []) if
                                                 has_month or has_year else {})
    for rx, first in zip(r["ranges"], r["range_starts"]) if has_month else zip(r["ranges"][-2:], ("year", "year")) \
            if has_year else ():
        for m in _anchored(rx, text, starts[first]):
            if not free(m.start(), m.end()):
                continue
            a, b, explicit = _range_dates(m.groupdict(), ref)
            if a and b and a > b:
                continue
            add(DateSpan(m.start(), m.end(), "range", _iso(a), _iso(b), explicit, m.group(0), "dates.range"))
    for m in r["week_of_month"].finditer(text) if has_month and "week" in lower else ():
        if free(m.start(), m.end()):
            a, b = _week_of_month(m, ref)
            add(DateSpan(m.start(), m.end(), "range", _iso(a), _iso(b), bool(m.group("y1")), m.group(0),
                         "dates.week-of-month"))
    for m in r["half_month"].finditer(text) if has_month and r["half_hint"] in lower else ():
        if free(m.start(), m.end()):
            a, b = _half_month(m, ref)
            add(DateSpan(m.start(), m.end(), "range", _iso(a), _iso(b), bool(m.group("y1")), m.group(0),
                         "dates.half-month"))
    for m in r["part_of_year"].finditer(text) if (has_year or last_words) and any(
            w in lower for w in r["part_of_year_hint"]) else ():
        if not free(m.start(), m.end()):
            continue
        a, b = _part_of_year(m, ref)
        add(DateSpan(m.start(), m.end(), "range", _iso(a), _iso(b), bool(m.group("y")), m.group(0),
                     "dates.part-of-year"))
    for m in r["part_of_year_alone"].finditer(text) if ("quarter" in lower or "half" in lower) else ():
        if free(m.start(), m.end()):
            a, b = _part_of_year_alone(m, ref)
            if a is not None:
                add(DateSpan(m.start(), m.end(), "range", _iso(a), _iso(b), False, m.group(0), "dates.part-of-year"))
    for rx, first in ((r["iso"], "iso"), (r["dotted"], "dotted")) if has_year else ():
        for m in _anchored(rx, text, starts[first]):
            if free(m.start(), m.end()):
                d = _safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
                if d:
                    add(DateSpan(m.start(), m.end(), "day", _iso(d), _iso(d), True, m.group(0), "dates.numeric-day"))
    for rx, first in zip(r["full"], ("month", "day")) if has_month and has_year else ():
        for m in _anchored(rx, text, starts[first]):
            if free(m.start(), m.end()):
                d = _safe_date(int(m.group("y1")), month_no(m.group("m1")), _day_no(m.group("d1")))
                if d:
                    add(DateSpan(m.start(), m.end(), "day", _iso(d), _iso(d), True, m.group(0), "dates.day"))
    for m in _anchored(r["month_of_year"], text, months) if has_month and r["month_of_year_hint"] in lower else ():
        # "in May of this year", "June last year"
        if free(m.start(), m.end()) and ref is not None:
            y, mo = ref.year - (m.group("rel").lower() not in r["this_year_words"]), month_no(m.group("m1"))
            add(DateSpan(m.start(), m.end(), "month", _iso(date(y, mo, 1)), _iso(month_last(y, mo)), False,
                         m.group(0), "dates.month"))
    for m in _anchored(r["month_year"], text, months) if has_month and has_year else ():
        # "In May, 1999 unexploded ordnance were found": a count after a month, not its year
        if free(m.start(), m.end()) and not r["year_after_not"].match(text, m.end()):
            y, mo = int(m.group("y1")), month_no(m.group("m1"))
            add(DateSpan(m.start(), m.end(), "month", _iso(date(y, mo, 1)), _iso(month_last(y, mo)), True,
                         m.group(0), "dates.month"))
    for rx, first in zip(r["month_day"], ("month", "day")) if has_month else ():
        for m in _anchored(rx, text, starts[first]):
            if free(m.start(), m.end()):
                mo, d = month_no(m.group("m1")), _day_no(m.group("d1"))
                y = infer_year(mo, d, ref)
                dd = _safe_date(y, mo, d) if y else None
                add(DateSpan(m.start(), m.end(), "day", _iso(dd), _iso(dd), False, m.group(0), "dates.day"))
    for m in r["weekday"].finditer(text) if r["weekday_hint"] in text else ():
        if free(m.start(), m.end()) and ref is not None:
            dd = ref - timedelta(days=(ref.weekday() - r["weekdays"].index(m.group("wd"))) % 7)
            add(DateSpan(m.start(), m.end(), "day", _iso(dd), _iso(dd), False, m.group(0), "dates.weekday"))
    for m, glued in lone_months:
        if free(m.start(), m.end()) and (glued or r["month_before"].search(text, max(0, m.start() - 30), m.start())
                                         or r["month_alone"].match(text, m.end())
                                         or r["as_of_part_of_month"].search(text, max(0, m.start() - 30), m.start())):
            mo = month_no(m.group(0))
            y = _month_year(mo, ref)
            add(DateSpan(m.start(), m.end(), "month", _iso(date(y, mo, 1)) if y else None,
                         _iso(month_last(y, mo)) if y else None, False, m.group(0),
                         "dates.glued-month" if glued else "dates.month"))
    for m in lone_years:
        if free(m.start(), m.end()) and (r["year_before"].search(text, max(0, m.start() - 40), m.start())
                                         or r["year_after"].match(text, m.end())
                                         or r["from_before"].search(text, max(0, m.start() - 6), m.start())
                                         and r["to_date_after"].match(text, m.end())) \
                and not r["year_after_not"].match(text, m.end()):
            y = int(m.group(0))
            add(DateSpan(m.start(), m.end(), "year", f"{y}-01-01", f"{y}-12-31", True, m.group(0), "dates.year"))
    for m in _rel_matches(text, last_words):
        if not free(m.start(), m.end()):
            continue
        meaning = r["relative_meaning"][int(m.lastgroup[1:])]
        kind, a, b = _relative(meaning, ref, bool(r["whole_year_lead"].match(m.group(0))))
        if meaning == "days_ago":
            kind, a, b = _days_ago(m.group(0), ref)
            meaning = meaning if kind == "day" else "vague"
        add(DateSpan(m.start(), m.end(), kind, _iso(a), _iso(b), False, m.group(0),
                     "dates." + meaning.replace("_", "-")))
    out.sort(key=lambda s: s.start)
    out = _merge_day_ranges(text, out)
    out = _dated_in_brackets(text, out)
    out = _day_in_window(text, out)
    out = _of_the_year(text, out)
    # "since <date>": an open window; "from <date> to date": likewise; "as of <date>": a running total's day
    final = []
    for sp in out:
        before = text[max(0, sp.start - 40):sp.start]
        if sp.kind == "day" and sp.first and r["week_ending_before"].search(before):
            # "in the week to June 9": the seven days that end on June 9
            last = parse_iso(sp.first)
            final.append(DateSpan(sp.start, sp.end, "range", _iso(last - timedelta(days=6)), sp.last, sp.explicit_year,
                                  sp.raw, "dates.week-ending"))
            continue
        part = r["as_of_part_of_month"].search(before) if sp.kind == "month" and sp.first else None
        if part is not None:
            # "as of mid-May": that day of the month
            first = parse_iso(sp.first)
            day = min(r["part_of_month_day"][" ".join(part.group("part").lower().split())],
                      calendar.monthrange(first.year, first.month)[1])
            iso = first.replace(day=day).isoformat()
            final.append(DateSpan(sp.start, sp.end, "asof", iso, iso, sp.explicit_year, sp.raw, "dates.as-of"))
            continue
        asof = r["as_of_before"].search(before) if sp.kind in ("day", "month", "year") else None
        if asof is not None:
            day = sp.first if asof.group("first") else sp.last
            final.append(DateSpan(sp.start, sp.end, "asof", day, day, sp.explicit_year, sp.raw, "dates.as-of"))
            continue
        to_date = r["to_date_after"].match(text, sp.end) if sp.kind in ("day", "month", "year") else None
        if to_date is not None:
            sp = DateSpan(sp.start, to_date.end(), "since", sp.first, None, sp.explicit_year, sp.raw, "dates.since")
        elif sp.kind in ("day", "month", "year") and r["since_before"].search(before) or sp.kind in (
                "day", "month", "year", "range") and r["since_words_before"].search(text, max(0, sp.start - 90), sp.start):
            # "since the agency began work on 19 November 2020", "since the operation of September 19-20": the
            # window opens on the (first) day of the event named; "since the beginning of 2025" starts at its
            # "since" (a number before it is nearer its own window: "40 in 2024 and 10 since the beginning of 2025")
            lead = r["since_before"].search(before) if sp.kind in ("day", "month", "year") else None
            start = sp.start - len(before) + lead.start() if lead is not None else sp.start
            sp = DateSpan(start, sp.end, "since", sp.first, None, sp.explicit_year, sp.raw, "dates.since")
        final.append(sp)
    return final
