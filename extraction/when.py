"""When: the first and last day of a figure's window, once `scope.py` has chosen the time expression that
frames it (figures.md "Years", "Relative windows", "Running totals").

- period: the window's own dates; an open window ("since April 2024") ends on the statement's date.
- cumulative: the stated start ("since November 10, 2020"), else none; the as-of date is an explicit "as of"
  date, else the day of the statement quoted ("On December 9, the office reported ..."), else the
  document's date.
- event: the incident's day, when the sentence gives one.
Also here: which dates of a sentence are background history rather than the figures' time.
"""
from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from minemap.extraction.dates import PRESENT_WINDOWS, TODAY, VAGUE_WEEK, YESTERDAY, DateSpan, parse_iso
from minemap.extraction.lang import cue, phrase

if TYPE_CHECKING:
    from minemap.extraction.report import SentenceInfo
    from minemap.extraction.scope import SentenceTime

# a frame whose text gives no date (a vague window, "in the said period" with nothing before it)
NO_DATE = "when.no-date"
DOCUMENT_DATE = "when.document-date"


@lru_cache(maxsize=None)
def _rx():
    return {k: phrase("time", k) for k in ("background_before", "compared", "cue_date_link", "said_on",
                                           "statement_on", "up_to_now", "window_right_after", "the_statement",
                                           "data_given_on", "same_source", "source_after_verb",
                                           "opens_a_window", "window_alone",
                                           "clause_break", "figures_cover")}


# how many sentences back a statement referred to as "the statement" may have been dated
_STATEMENT_BACK = 3


# how far before a date its history may be told ("villages returned to Azerbaijan under the border delimitation
# deal in May")
_BACKGROUND_BEFORE = 90


def is_background(text: str, d: DateSpan) -> bool:
    """"In the lands liberated in November 2020, ...": a date of history, not of the figures (rule
    when.background-date); a statement's day stays ("..., the ministry said in a statement on May 3")."""
    if not _rx()["background_before"].search(text, max(0, d.start - _BACKGROUND_BEFORE), d.start):
        return False
    return not (d.kind == "day" and (said_on_before(text, d.start) or _statement_on_then_verb(text, d)))


def compared_before(text: str, d: DateSpan):
    """The last comparison cue in the 80 characters before a window ("up from 1,020 ha in April"), or None."""
    cmp = None
    for cmp in _rx()["compared"].finditer(text, max(0, d.start - 80), d.start):
        pass
    return cmp


def links_cue_to_date(text: str, cue_end: int, date_start: int) -> bool:
    """"since the ceasefire of November 10": nothing but "of"/"on" between a cue and its date."""
    return cue_end <= date_start and bool(_rx()["cue_date_link"].fullmatch(text, cue_end, date_start))


def opens_a_window(text: str, cue_start: int) -> bool:
    """"since the start of its work", "since the liberation": a running-total cue that opens a window at an
    event, so a date written after it may name a later start."""
    return bool(_rx()["opens_a_window"].match(text, cue_start))


def _statement_on_then_verb(text: str, d) -> bool:
    if not _rx()["statement_on"].search(text, max(0, d.start - 70), d.start):
        return False
    return bool(cue("reporting").search(text, d.end, d.end + 60))


def said_on_before(text: str, pos: int) -> bool:
    """"... said in a statement on <date>", "the data released by the agency on <date>": the statement's day, not a
    background date."""
    lo = max(0, pos - 70)
    if _rx()["data_given_on"].search(text, lo, pos):
        return True
    for m in cue("reporting").finditer(text, lo, pos):
        if _rx()["said_on"].fullmatch(text, m.end(), pos):
            return True
    return False


def statement_day(st: SentenceTime, pos: int, text_len: int = 10**9) -> DateSpan | None:
    """"On December 9, the Office reported that N ...": the day a quoted running total was stated.

    The reporting verb must introduce what follows ("reported that ..."); a verb that closes the
    sentence ("... on December 14, the ministry said.") leaves the date to the event it follows, and so does a
    statement dated after its verb ('"Today, ...," the police said in a statement issued on Sunday').
    """
    if st.statement_days:
        return next((d for d in st.statement_days if d.end <= pos), None)
    for d in st.days:
        if d.end > pos:
            continue
        for r in st.reporting:
            if d.end <= r < pos and (pos < 10**9 or text_len - r > 25):
                return d
            if r < d.start and d.start - r <= 20 and pos > d.end:
                return d
    return None


def trailing_statement_day(st: SentenceTime, pos: int) -> DateSpan | None:
    """"298 citizens have become victims ..., the office said in a statement on April 4": the day of a
    statement that follows the running total it gives (its as-of date)."""
    for r in st.reporting:
        if r <= pos:
            continue
        end = r + len(cue("reporting").match(st.text, r).group(0))
        for d in st.days:
            if d.start >= end and _rx()["said_on"].fullmatch(st.text, end, d.start):
                return d
    return None


def nearest(spans, pos: int):
    """The span closest to `pos` (0 when inside it) and its distance; (None, None) for no spans."""
    best, dist = None, None
    for s in spans:
        dd = 0 if s.start <= pos < s.end else min(abs(s.start - pos), abs(s.end - pos))
        if dist is None or dd < dist:
            best, dist = s, dd
    return best, dist


def as_of(st: SentenceTime, pos: int, doc_date: str | None, trailing: bool) -> tuple[str | None, str]:
    """The as-of date of a running total (or the end of an open window) at `pos`, and the rule that gave it."""
    if st.asof:
        d = nearest(st.asof, pos)[0]
        return d.last, d.rule
    stated = statement_day(st, pos, st.length)
    if stated is not None:
        return stated.first, "when.statement-day"
    if trailing:
        later = trailing_statement_day(st, pos)
        if later is not None:
            return later.first, "when.statement-day-after"
    return doc_date, DOCUMENT_DATE


def up_to_the_statement(st: SentenceTime, pos: int, end: str | None, doc_date: str | None,
                        report_day: str | None = None, start: str | None = None) -> tuple[str, tuple[str, ...]] | None:
    """"Up to 36,000 hectares have already been cleared" in a window that is not over (this year's): the figure
    counts up to the statement's date, not to the window's end; to the day of the report's statement
    (`report_statement_date`) when the sentence dates none. (end, rules), or None."""
    if end is None or not st.up_to_now:
        return None
    stated, rule = as_of(st, pos, doc_date, trailing=True)
    if stated is not None and start is not None and stated < start:
        # "..., so we expect to finish by the end of December": a deadline, no as-of day of a window begun after it
        stated, rule = doc_date, DOCUMENT_DATE
    rules: tuple[str, ...] = ("when.up-to-the-statement",)
    if rule == DOCUMENT_DATE and report_day is not None:
        stated, rules = report_day, rules + (REPORT_STATEMENT,)
    if stated is not None and stated < end:
        return stated, rules
    return None


def says_up_to_now(text: str) -> bool:
    return bool(_rx()["up_to_now"].search(text))


def week_of_the_report(rules: tuple[str, ...], weeks: set) -> tuple[str, str, str] | None:
    """"Last week, the agency cleared 11.6 hectares" in a report that gives the dates of one week of work
    ("from June 7 through June 12"): that week. (start, end, rule), or None."""
    if VAGUE_WEEK not in rules or len(weeks) != 1:
        return None
    start, end = next(iter(weeks))
    return start, end, "when.the-week-of-the-report"


INFERRED_WEEK = "when.inferred-week"
# the week's own words that look back ("last week", "over the past week"), not "this week"
_PAST_WEEK = re.compile(r"(?i)\b(?:last|past|previous)\b")


def inferred_week(rules: tuple[str, ...], windows: list[DateSpan], stated: str | None) -> tuple[str, str] | None:
    """"Last week", "over the past week" (one of `windows`, the source sentence's) with no dates in the report: the
    seven days that end the day before the statement's date (figures.md "Vague windows"); the figure is marked
    `period_inferred`. (start, end), or None."""
    day = parse_iso(stated)
    if VAGUE_WEEK not in rules or day is None or not any(
            w.rule == VAGUE_WEEK and _PAST_WEEK.search(w.raw) for w in windows):
        return None
    end = day - timedelta(days=1)
    return (end - timedelta(days=6)).isoformat(), end.isoformat()


def is_a_week(start: str | None, end: str | None) -> bool:
    a, b = parse_iso(start), parse_iso(end)
    return a is not None and b is not None and 3 <= (b - a).days <= 9


def earlier_end(window: DateSpan, end: str | None, end_rule: str) -> tuple[str | None, str]:
    """A running total over a stated window ends at the window's end, or at the statement if that is earlier."""
    if window.last is not None and (end is None or window.last < end):
        return window.last, "when.end-of-the-window"
    return end, end_rule


def statement_date(infos: list[SentenceInfo], k: int, pos: int) -> str | None:
    """The day of the statement sentence `k` quotes: its own ("On May 9, the office said ...", "..., it said in a
    statement on May 9"), else - for a sentence that only says who spoke ("..., she said") - the one the
    sentence before it in the paragraph gives. None when no statement day is written."""
    st = infos[k].time
    own = statement_day(st, pos, st.length) or trailing_statement_day(st, pos if pos < 10**9 else -1)
    if own is not None:
        return own.first
    if k == 0 or not st.reports:
        return None
    # '"...," the statement said': the statement named before, in one of the sentences just before
    back = _STATEMENT_BACK if _rx()["the_statement"].search(st.text) else 1
    for j in range(k - 1, max(-1, k - 1 - back), -1):
        if back == 1 and infos[j].s.para != infos[k].s.para:
            return None
        prev = infos[j].time
        before = statement_day(prev, prev.length) or trailing_statement_day(prev, -1)
        if before is not None:
            return before.first
    return None


# how many days before its publication a report's statement may have been made ("the ministry said on Monday")
_REPORT_STATEMENT_DAYS = 7
# how many sentences of its lead paragraph may date the statement a report is about
_LEAD_SENTENCES = 2
# how many words a sentence of a report's lead has at least (a byline, a dateline has fewer)
_LEAD_WORDS = 8
REPORT_STATEMENT = "when.statement-of-the-report"
_WORD = re.compile(r"[^\W\d_]{3,}")
# the characters of a word's start that name the same source ("prosecutors", "Prosecutor General's Office")
_SOURCE_STEM = 5


def report_statement(infos: list[SentenceInfo], doc_date: str | None) -> tuple[str, int] | None:
    """The day of the statement a report is about, as its lead dates it after the verb ("..., the Defence Ministry
    said on Monday", "Hajiyev wrote on X on Sunday"), when that is a few days before the publication, and the
    lead sentence that dates it; else None. Computed once per report."""
    cache = infos[0].report.cache if infos and infos[0].report is not None else {}
    if "statement" in cache:
        return cache["statement"]
    found = None
    doc = parse_iso(doc_date)
    # the lead: the first paragraph of the body that is more than a byline or a dateline ("By Nigar Aliyeva",
    # "Baku, February 12, APA", "(MENAFN- AzerNews) Rasim Mammadli")
    body = [k for k, i in enumerate(infos) if not i.headline and len(i.time.text.split()) >= _LEAD_WORDS]
    lead = [k for k in body if infos[k].s.para == infos[body[0]].s.para][:_LEAD_SENTENCES] if body else []
    for k in lead:
        st = infos[k].time
        if not st.days:
            continue
        d = st.statement_days[0] if st.statement_days else trailing_statement_day(st, -1)
        day = parse_iso(d.first) if d is not None else None
        if day is not None and doc is not None and 0 < (doc - day).days <= _REPORT_STATEMENT_DAYS:
            found = (day.isoformat(), k)
            break
    cache["statement"] = found
    return found


def report_statement_date(infos: list[SentenceInfo], k: int, doc_date: str | None) -> str | None:
    """The day of the report's statement (`report_statement`) for sentence `k`: running totals and windows of the
    present that the report gives without a day of their own count to it, unless the sentence quotes another
    source ("..., according to the Prosecutor General's Office" in a report of a ministry's statement). Rule
    when.statement-of-the-report."""
    got = report_statement(infos, doc_date)
    if got is None:
        return None
    day, lead = got
    if k != lead and not _same_source(infos[k].time.text, infos[lead].time.text):
        return None
    return day


def _same_source(text: str, lead: str) -> bool:
    """Whether every source a sentence quotes ("the agency said", "according to the prosecutors", "Hajiyev wrote") is
    the lead's, or a pronoun for it."""
    same = _rx()["same_source"]
    stems = {w[:_SOURCE_STEM] for w in _WORD.findall(lead.lower())}
    for m in cue("reporting").finditer(text):
        after = _rx()["source_after_verb"].match(m.group(0))
        if after:
            src = re.split(r"[,.;:]", text[m.end():m.end() + 60], maxsplit=1)[0]
        else:
            src = re.split(r"[,;:\"“”«»]", text[max(0, m.start() - 60):m.start()])[-1]
            if not src.strip():
                src = re.split(r"[,;:]", text, maxsplit=1)[0]
        words = [w for w in _WORD.findall(src.lower()) if not same.fullmatch(w)]
        if words and not any(w[:_SOURCE_STEM] in stems for w in words):
            return False
    return True


def of_the_present(rules: tuple[str, ...]) -> bool:
    return not PRESENT_WINDOWS.isdisjoint(rules)


def from_the_statement(rules: tuple[str, ...], start: str | None, end: str | None, doc_date: str | None,
                       stated: str | None) -> tuple[str | None, str | None, str] | None:
    """"today", "this year" in a statement of another day than the publication's: counted from that day.
    (start, end, rule), or None."""
    if stated is None or stated == doc_date or not any(r in PRESENT_WINDOWS for r in rules):
        return None
    if TODAY in rules or YESTERDAY in rules:
        day = parse_iso(stated) - timedelta(days=1 if YESTERDAY in rules else 0)
        return day.isoformat(), day.isoformat(), "when.from-the-statement-day"
    if end == doc_date:     # a window of the present that ran to the publication date
        return start, stated, "when.from-the-statement-day"
    return None


def from_the_statement_before(rules: tuple[str, ...], end: str | None, doc_date: str | None,
                              stated: str | None) -> tuple[str, str] | None:
    """"He added that 27,510 mines had been neutralized since ...", after "..., the chairman told journalists on
    Monday": a running total (or an open window) that ran to the publication date, in a sentence that quotes a
    statement dated in its own words or in the sentence before, runs to that statement's day. (end, rule), or
    None."""
    if stated is None or end is None or end != doc_date or DOCUMENT_DATE not in rules or stated >= end:
        return None
    return stated, "when.statement-day-before"


def says_what_figures_cover(text: str) -> bool:
    """"The figures cover the period since ...", "These data refer to ...": a sentence that tells the window of the
    figures before it."""
    return bool(_rx()["figures_cover"].search(text))


def same_clause(text: str, w: DateSpan, pos: int) -> bool:
    """Whether no clause break stands between a window and the number at `pos`."""
    a, b = (w.end, pos) if w.end <= pos else (pos, w.start)
    return not _rx()["clause_break"].search(text, a, b)


def singled_out(text: str, w: DateSpan, pos: int) -> bool:
    """"in 2025 alone", "in March alone": a window singled out of a longer one, in the clause of the number at
    `pos`."""
    return bool(_rx()["window_alone"].match(text, w.end)) and not _rx()["clause_break"].search(text, pos, w.start)


def window_right_after(text: str, windows, end: int):
    """The window written right after a number ("19,561 in 2021"), or None."""
    rx = _rx()["window_right_after"]
    for w in windows:
        if end <= w.start <= end + 15 and rx.fullmatch(text, end, w.start):
            return w
    return None
