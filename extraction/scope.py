"""Scope and dates of a figure: cumulative running total, period window, or one event.

figures.md: cumulative when the window starts at the war or its end ("since November 10, 2020",
"since the end of the war") or is not stated ("so far", "to date", "in total", "overall", "has reached");
period for any other window; event for one incident or one act (a blast, a map hand-over).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from minemap.extraction.dates import DateSpan, find_dates, parse_iso
from minemap.extraction.lang import cue, load

# A date tied to background history, not to the figures: "liberated ... in November 2020", "signed on ...",
# "villages returned to Azerbaijan in May".
_BACKGROUND = re.compile(
    r"(?i)(?:\b(?:liberated|occupied|freed|signed|founded|established|created|born)"
    r"(?:\s+from\s+[^,.;]{1,40}?)?|"
    # "Kheyrimli, one of the villages returned to Azerbaijan in May": a place's history in an apposition
    r"\b(?:returned|handed\s+back|given\s+back|came\s+back|brought\s+back|restored)\s+(?:to|under)\s+[^,.;]{1,40}?|"
    r"\b(?:regained|recaptured|retaken|reclaimed)(?:\s+(?:by|from)\s+[^,.;]{1,40}?)?|"
    # when a report was published, not what its figures cover ("the report, presented to parliament this week")
    r"\b(?:presented|published|released|submitted|unveiled|tabled)(?:\s+(?:to|in|at|before|on)\s+[^,.;]{1,40}?)?|\b(?:war|occupation|agreement|ceasefire|statement|conflict|hostilities|"
    r"declaration))\s+(?:in|on|of|since)?\s*(?:the\s+)?$")


# a comparison with an earlier window ("up from 1,020 ha in April", "compared with 900 in 2022")
_COMPARED = re.compile(r"(?i)\b(?:(?:up|down|rising|falling|increas\w+|decreas\w+)\s+from|compared\s+(?:with|to)|"
                       r"as\s+against|versus|vs\.?|than)\b")


@dataclass(frozen=True)
class Frame:
    scope: str                 # cumulative | period | event
    start: str | None = None
    end: str | None = None

    @property
    def key(self):
        return (self.scope, self.start, self.end)


@dataclass
class SentenceTime:
    """What a sentence says about time: windows, cumulative cues, event days, statement days."""
    windows: list[DateSpan] = field(default_factory=list)     # period windows (incl. "since 2024")
    war_since: list[DateSpan] = field(default_factory=list)   # "since November 10, 2020"
    cum: list[tuple[int, int]] = field(default_factory=list)  # cumulative cue phrases ("so far")
    cum_weak: list[tuple[int, int]] = field(default_factory=list)  # "in total": cumulative without a window
    refs: list[DateSpan] = field(default_factory=list)        # "in the said period"
    days: list[DateSpan] = field(default_factory=list)
    asof: list[DateSpan] = field(default_factory=list)        # "as of 1 August 2022"
    blocked: list[tuple[int, int]] = field(default_factory=list)  # spans whose digits are not counts
    compared: list[tuple[int, int]] = field(default_factory=list)  # (window start, comparison cue start)
    text: str = ""

    @property
    def length(self) -> int:
        return len(self.text)

    # computed on demand: most sentences are settled by their windows and cues alone
    @cached_property
    def reporting(self) -> list[int]:
        """Positions of "said", "reported", ..."""
        return [m.start() for m in cue("reporting").finditer(self.text)] if self.days else []

    @cached_property
    def incident(self) -> bool:
        return bool(cue("incident").search(self.text))

    @cached_property
    def handover(self) -> bool:
        return bool(cue("map").search(self.text) and cue("handover").search(self.text))


def analyse_time(text: str, ref) -> SentenceTime:
    st = SentenceTime(text=text)
    war_start = parse_iso(load("cues")["war_start"])
    war_end = parse_iso(load("cues")["war_end"])
    dates = find_dates(text, ref)
    for name, into in (("cumulative", st.cum), ("cumulative_weak", st.cum_weak)):
        for m in cue(name).finditer(text):
            # "from January 1 to date" is a window, its "to date" no running-total cue
            if any(d.start <= m.start() and m.end() <= d.end for d in dates):
                continue
            into.append((m.start(), m.end()))
            st.blocked.append((m.start(), m.end()))
    for d in dates:
        st.blocked.append((d.start, d.end))
        if any(a <= d.start and d.end <= b for a, b in st.cum + st.cum_weak):
            continue
        if d.kind == "since":
            first = parse_iso(d.first)
            if first is not None and war_start is not None and first <= war_end:
                st.war_since.append(d)
            else:
                st.windows.append(d)
            continue
        if d.kind == "day" and _war_day(d, war_start, war_end) and any(
                b <= d.start and _CUE_DATE_LINK.match(text[b:d.start]) for _, b in st.cum):
            st.war_since.append(d)   # "since the ceasefire of November 10": the running total's start
            continue
        if _BACKGROUND.search(text[max(0, d.start - 60):d.start]) and not (
                d.kind == "day" and (_said_on_before(text, d.start) or _statement_on_then_verb(text, d))):
            continue
        if d.kind in ("range", "month", "year", "vague"):
            st.windows.append(d)
            cmp = None
            for cmp in _COMPARED.finditer(text, max(0, d.start - 80), d.start):
                pass
            if cmp is not None:
                st.compared.append((d.start, cmp.start()))
        elif d.kind == "ref":
            st.refs.append(d)
        elif d.kind == "day":
            st.days.append(d)
        elif d.kind == "asof":
            st.asof.append(d)
    return st


def statement_day(st: SentenceTime, pos: int, text_len: int = 10**9) -> DateSpan | None:
    """"On December 9, the Office reported that N ...": the day a quoted running total was stated.

    The reporting verb must introduce what follows ("reported that ..."); a verb that closes the
    sentence ("... on December 14, the ministry said.") leaves the date to the event it follows.
    """
    for d in st.days:
        if d.end > pos:
            continue
        for r in st.reporting:
            if d.end <= r < pos and (pos < 10**9 or text_len - r > 25):
                return d
            if r < d.start and d.start - r <= 20 and pos > d.end:
                return d
    return None


_SAID_ON = re.compile(r"(?i)^\s*(?:by\s+(?:the\s+)?[^,.;]{1,50}?\s+)?(?:in\s+(?:a|an|its|the|their)\s+(?:[\w-]+\s+){0,2}?(?:statement|report|release|"
                      r"briefing|message|bulletin)\s+)?(?:published\s+|issued\s+|released\s+)?on\s+(?:\w+day,?\s+)?$")


_CUE_DATE_LINK = re.compile(r"(?i)^\s*(?:of|on|signed\s+on|,)?\s*(?:the\s+)?$")


def _war_day(d: DateSpan, war_start, war_end) -> bool:
    day = parse_iso(d.first)
    return day is not None and war_start is not None and war_start <= day <= war_end


# "In a statement on January 5, 2023, ANAMA said that ...": the statement named before its verb
_STATEMENT_ON = re.compile(r"(?i)\b(?:in|according\s+to)\s+(?:a|an|its|their)\s+(?:[\w-]+\s+){0,2}?(?:statement|report|"
                           r"release|briefing|message|bulletin)\s+(?:published\s+|issued\s+|released\s+)?on\s+(?:\w+day,?\s+)?$")


def _statement_on_then_verb(text: str, d) -> bool:
    if not _STATEMENT_ON.search(text[max(0, d.start - 70):d.start]):
        return False
    return bool(cue("reporting").search(text[d.end:d.end + 60]))


def _said_on_before(text: str, pos: int) -> bool:
    """"... said in a statement on <date>": the statement's day, not a background date."""
    window = text[max(0, pos - 70):pos]
    for m in cue("reporting").finditer(window):
        if _SAID_ON.match(window[m.end():]):
            return True
    return False


def trailing_statement_day(st: SentenceTime, pos: int) -> DateSpan | None:
    """"298 citizens have become victims ..., the office said in a statement on April 4": the day of a
    statement that follows the running total it gives (its as-of date)."""
    for r in st.reporting:
        if r <= pos:
            continue
        end = r + len(cue("reporting").match(st.text, r).group(0))
        for d in st.days:
            if d.start >= end and _SAID_ON.match(st.text[end:d.start]):
                return d
    return None


def _nearest(spans, pos: int):
    best, dist = None, None
    for s in spans:
        dd = 0 if s.start <= pos < s.end else min(abs(s.start - pos), abs(s.end - pos))
        if dist is None or dd < dist:
            best, dist = s, dd
    return best, dist


def own_frame(st: SentenceTime, pos: int, metric: str | None, doc_date: str | None,
              context: bool = False) -> Frame | None:
    """The frame a sentence gives the figure at `pos` by itself (None: it depends on the context).

    With context=True: the frame of the sentence as a whole (pos = its first figure, or past its end),
    used as context for neighbouring sentences.
    """
    cum_spans = [_Span(a, b) for a, b in st.cum] + list(st.war_since)
    windows = st.windows
    if windows and st.compared:
        # "1,134 ha were cleared, up from 1,020 ha in the week of May 2 to 7": the earlier window is
        # the compared number's only
        windows = [w for w in windows if not any(w.start == ws and pos < c for ws, c in st.compared)]
    if not windows:
        # "as of <date>" alone marks a running total too
        cum_spans += [_Span(a, b) for a, b in st.cum_weak] + list(st.asof)
    cum, cdist = _nearest(cum_spans, pos) if cum_spans else (None, None)
    win, wdist = _nearest(windows, pos) if windows else (None, None)
    if context and cum is not None and win is not None:
        cdist, wdist = 1, 0   # as context a stated window says more than a running total
    stated = statement_day(st, pos, st.length)
    as_of = _nearest(st.asof, pos)[0].last if st.asof else (stated.first if stated else doc_date)
    if cum is not None and (win is None or cdist <= wdist):
        if not st.asof and stated is None:
            later = trailing_statement_day(st, pos)
            as_of = later.first if later else as_of
        start = st.war_since[0].first if st.war_since else None
        return Frame("cumulative", start, as_of)
    if win is not None:
        if win.kind == "since":
            return Frame("period", win.first, as_of)
        return Frame("period", win.first, win.last)
    if st.refs:
        return None   # resolved by the caller from the preceding period
    days = [d for d in st.days if d is not stated]
    if metric == "mines_mapped" and not days:
        days = st.days   # a map's count is an event: the only day given is the hand-over's
    if metric == "mines_mapped" or (metric is None and st.handover):
        if days:
            d, _ = _nearest(days, pos)
            return Frame("event", d.first, d.last)
        return Frame("event") if metric else None
    if st.incident and (metric in ("killed", "injured", "victims") or metric is None):
        if days:
            d, _ = _nearest(days, pos)
            return Frame("event", d.first, d.last)
        return Frame("event") if metric else None
    if days and metric is not None:
        d, _ = _nearest(days, pos)
        if metric in ("killed", "injured", "victims"):
            return Frame("event", d.first, d.last)
        return Frame("period", d.first, d.last)
    return None


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
