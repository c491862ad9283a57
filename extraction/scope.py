"""Scope: whether a figure is a running total (`cumulative`), the figure of a window (`period`) or of one
incident or act (`event`), and which time expression of the report frames it (figures.md "scope",
"Running totals", "Totals of a stated period", "Report context").

A sentence is read once (`read_time`): its windows, running-total cues, days and as-of dates. A figure's
frame comes from its own sentence when that says enough (`own_frame`), else from the report around it
(`figure_frame`): the sentence before, the window named before ("in the same period"), the first window
that follows a lead sentence. The dates of the frame are `when.py`'s part. Each frame carries the ids of the
rules that chose it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from minemap.extraction import dates, when
from minemap.extraction.dates import PRESENT_WINDOWS, DateSpan, find_dates, parse_iso
from minemap.extraction.lang import cached, cue
from minemap.extraction.quick import quick_init

if TYPE_CHECKING:
    from minemap.extraction.metric import Candidate
    from minemap.extraction.report import SentenceInfo

# The second Karabakh war: a window that starts at it or at its end is the post-war effort's running total
# (figures.md "Running totals"): from its month to the end of November 2020 (ANAMA began on 2020-11-19), or
# "2020" as a year. A window from such a start to a stated end must run for two months at least: "from November
# 15 to 21, 2020" is a week of work, not a running total.
WAR_START = date(2020, 9, 27)
WAR_END = date(2020, 11, 10)
_EFFORT_STARTS = (date(2020, 9, 1), date(2020, 11, 30))
_YEAR_OF_THE_WAR = date(2020, 1, 1)
_RUNNING_TOTAL_DAYS = 60
PEOPLE = ("killed", "injured", "victims")
_DIGIT_OR_COMMA = re.compile(r"[\d,]")


@quick_init
@dataclass(frozen=True)
class Frame:
    scope: str                 # cumulative | period | event
    start: str | None = None
    end: str | None = None
    rules: tuple[str, ...] = field(default=(), compare=False)    # scope.* and when.* ids that chose it

    @property
    def key(self):
        return (self.scope, self.start, self.end)

    def because(self, *rules: str) -> "Frame":
        """The same frame, reached through `rules` first (a frame taken from another sentence)."""
        return Frame(self.scope, self.start, self.end, tuple(rules) + self.rules)


@quick_init
@dataclass(frozen=True)
class _Cue:
    start: int
    end: int
    rule: str


@dataclass
class SentenceTime:
    """What a sentence says about time: windows, cumulative cues, event days, statement days."""
    windows: list[DateSpan] = field(default_factory=list)     # period windows (incl. "since 2024")
    war_since: list[DateSpan] = field(default_factory=list)   # "since November 10, 2020"
    war_ranges: list[DateSpan] = field(default_factory=list)  # "from November 2020 to October 2022"
    cum: list[tuple[int, int]] = field(default_factory=list)  # cumulative cue phrases ("so far")
    cum_weak: list[tuple[int, int]] = field(default_factory=list)  # "in total": cumulative without a window
    refs: list[DateSpan] = field(default_factory=list)        # "in the said period"
    days: list[DateSpan] = field(default_factory=list)
    asof: list[DateSpan] = field(default_factory=list)        # "as of 1 August 2022"
    statement_days: list[DateSpan] = field(default_factory=list)  # "..., Trend reported on February 9"
    blocked: list[tuple[int, int]] = field(default_factory=list)  # spans whose digits are not counts
    background: list[DateSpan] = field(default_factory=list)  # dates of history ("returned to Azerbaijan in May")
    compared: list[tuple[int, int]] = field(default_factory=list)  # (window start, comparison cue start)
    text: str = ""
    frames: dict = field(default_factory=dict)    # own_frame's answers

    @property
    def length(self) -> int:
        return len(self.text)

    # computed on demand: most sentences are settled by their windows and cues alone
    @cached
    def reporting(self) -> list[int]:
        """Positions of "said", "reported", ..."""
        return [m.start() for m in cue("reporting").finditer(self.text)] if self.days else []

    @cached
    def reports(self) -> bool:
        """Whether a reporting verb stands anywhere in the sentence (asked for each of its figures)."""
        return bool(cue("reporting").search(self.text))

    @cached
    def incident(self) -> bool:
        return bool(cue("incident").search(self.text))

    @cached
    def up_to_now(self) -> bool:
        return when.says_up_to_now(self.text)

    @cached
    def since_then(self) -> bool:
        return bool(cue("since_then").search(self.text))

    @cached
    def cum_cues(self) -> list[_Cue]:
        """The running-total cues and the windows from the war, as cues (the same for every figure)."""
        return [_Cue(a, b, "scope.running-total-cue") for a, b in self.cum] + [
            _Cue(d.start, d.end, "scope.window-from-the-war") for d in self.war_since + self.war_ranges]

    @cached
    def handover(self) -> bool:
        return bool(cue("map").search(self.text) and cue("handover").search(self.text))


def read_time(text: str, ref) -> SentenceTime:
    """The time expressions of one sentence, sorted by what they can be to a figure."""
    st = SentenceTime(text=text)
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
            (st.war_since if _starts_the_effort(d) else st.windows).append(d)
            continue
        if d.kind == "range" and _starts_the_effort(d) and _long(d) and not when.is_background(text, d):
            st.war_ranges.append(d)
            continue
        if (d.kind == "day" and (_war_day(d) or _starts_the_effort(d)) or d.kind == "month" and _starts_the_effort(d)) \
                and any(when.links_cue_to_date(text, b, d.start) for _, b in st.cum):
            # "since the ceasefire of November 10", "since the start of demining in November 2020": the running
            # total's start
            st.war_since.append(d)
            continue
        if d.kind in ("day", "month", "year") and d.first and st.cum and not _starts_the_effort(d):
            linked = next((c for c in st.cum if when.links_cue_to_date(text, c[1], d.start)
                           and when.opens_a_window(text, c[0])), None)
            if linked is not None:
                # "since the start of its work on June 19, 2022": a window from that later day, no running total
                st.cum.remove(linked)
                st.windows.append(DateSpan(d.start, d.end, "since", d.first, None, d.explicit_year, d.raw,
                                           "scope.start-named-later"))
                continue
        if when.is_background(text, d):
            st.background.append(d)   # not the figures' time, but what "since then" may point to
            continue
        if d.kind in ("range", "month", "year", "vague"):
            st.windows.append(d)
            cmp = when.compared_before(text, d)
            if cmp is not None:
                st.compared.append((d.start, cmp.start()))
        elif d.kind == "ref":
            st.refs.append(d)
        elif d.kind == "day":
            st.days.append(d)
            if when.said_on_before(text, d.start):
                st.statement_days.append(d)
        elif d.kind == "asof":
            st.asof.append(d)
    return st


def _starts_the_effort(d: DateSpan) -> bool:
    first = parse_iso(d.first)
    return first is not None and (first == _YEAR_OF_THE_WAR or _EFFORT_STARTS[0] <= first <= _EFFORT_STARTS[1])


def _long(d: DateSpan) -> bool:
    first, last = parse_iso(d.first), parse_iso(d.last)
    return first is not None and last is not None and (last - first).days >= _RUNNING_TOTAL_DAYS


def _stated_start(d: DateSpan) -> str | None:
    """The start of a running total as the text states it: none for "since 2020" (the year alone)."""
    return None if parse_iso(d.first) == _YEAR_OF_THE_WAR else d.first


def _war_day(d: DateSpan) -> bool:
    day = parse_iso(d.first)
    return day is not None and WAR_START <= day <= WAR_END


def own_frame(st: SentenceTime, pos: int, metric: str | None, doc_date: str | None,
              context: bool = False, end: int | None = None) -> Frame | None:
    """The frame a sentence gives the figure at `pos` by itself (None: it depends on the context).

    With context=True: the frame of the sentence as a whole (pos = its first figure, or past its end),
    used as context for neighbouring sentences. (Asked for more than once per figure: kept.)
    """
    key = (pos, metric, doc_date, context, end)
    if key not in st.frames:
        st.frames[key] = _own_frame(st, pos, metric, doc_date, context, end)
    return st.frames[key]


def _own_frame(st: SentenceTime, pos: int, metric: str | None, doc_date: str | None, context: bool,
               end: int | None) -> Frame | None:
    cum_spans = st.cum_cues
    windows = st.windows
    window_rule = "scope.window"
    if windows and st.compared:
        # "1,134 ha were cleared, up from 1,020 ha in the week of May 2 to 7": the earlier window is
        # the compared number's only (as context, a sentence without figures has none: "The number of deminers
        # has grown from 300 in 2020 to 3,512")
        windows = [w for w in windows if not any(w.start == ws and (pos < c or pos == 10**9) for ws, c in st.compared)]
    if not windows:
        # "in total" and "as of <date>" mark a running total only where no window is stated
        cum_spans = cum_spans + [_Cue(a, b, "scope.total-without-window") for a, b in st.cum_weak] + [
            _Cue(d.start, d.end, "scope.as-of-date") for d in st.asof]
    cum, cdist = when.nearest(cum_spans, pos) if cum_spans else (None, None)
    # a window in the number's own clause before one across a clause break ("Since the beginning of 2025, mines
    # have injured 10 people; in 2024 they injured 40")
    own_clause = [w for w in windows if when.same_clause(st.text, w, pos)] if len(windows) > 1 else windows
    win, wdist = when.nearest(own_clause or windows, pos) if windows else (None, None)
    after = when.window_right_after(st.text, windows, end) if end is not None and (
        len(windows) > 1 or cum_spans) else None
    if after is not None:
        # "8,799 mines in 2020, followed by 19,561 in 2021, 12,913 in 2022": each number's own window (also
        # within a running total: "47,503 ha since 2020, including 12,004 ha in 2023")
        win, wdist = after, 0
    if cum is not None and cum.end <= pos and windows:
        alone = next((w for w in windows if w.start > pos and when.singled_out(st.text, w, pos)), None)
        if alone is not None:
            # "407 people since November 10, 2020, and 43 of them in 2025 alone": the window the number's clause
            # singles out, not the running total before it
            cum, win, wdist = None, alone, 0
    if cum is not None and cum.rule == "scope.running-total-cue" and when.says_up_to_now(st.text[cum.start:cum.end]):
        # "Since June 2024, ANAMA has so far cleared 226.8 hectares", "since the beginning of the year ... to date":
        # "so far" says that an open window runs to now, not that the figure is the whole effort's
        # ("As of today, 38,700 hectares have been cleared this year": the window may follow the number in its
        # clause, with no other number nor comma between: not "..., the agency said this year")
        open_windows = [w for w in windows if (w.kind == "since" or w.rule in PRESENT_WINDOWS) and (
            w.end <= pos and when.same_clause(st.text, w, pos)
            or w.start >= cum.end and not st.text[cum.end:w.start].strip()
            or cum.end <= pos < w.start and not _DIGIT_OR_COMMA.search(st.text, end or pos, w.start))]
        if open_windows:
            win, wdist = when.nearest(open_windows, pos)
            cum, window_rule = None, "scope.open-window-so-far"
    if end is not None and after is None and st.cum_weak and len(windows) >= 2 and all(w.end <= pos for w in windows) \
            and any(not st.text[end:a].strip(" ,") or not st.text[b:pos].strip(" ,") for a, b in st.cum_weak):
        # "1,318.4 hectares in 2020, 21,730.6 hectares in 2021 ... and 53,504.9 hectares in 2023, or 119,366.2
        # hectares altogether": the sum of the windows listed before it
        first = min(windows, key=lambda w: w.first or "9")
        last = max(windows, key=lambda w: w.last or "")
        if first.first and last.last:
            if _starts_the_effort(first):
                return Frame("cumulative", _stated_start(first), last.last, ("scope.sum-of-the-windows", first.rule))
            return Frame("period", first.first, last.last, ("scope.sum-of-the-windows", first.rule))
    if context and cum is not None and win is not None:
        cdist, wdist = 1, 0   # as context a stated window says more than a running total
    if cum is not None and (win is None or cdist <= wdist):
        end, end_rule = when.as_of(st, pos, doc_date, trailing=True)
        if st.war_ranges:
            # "from November 10, 2020 to December 6, 2023": a running total as of the window's end, unless
            # that is after the statement ("from November 2020 through October 2022" said on October 19)
            r, _ = when.nearest(st.war_ranges, pos)
            end, end_rule = when.earlier_end(r, end, end_rule)
            return Frame("cumulative", _stated_start(r), end, (cum.rule, r.rule, end_rule))
        if st.war_since:
            return Frame("cumulative", _stated_start(st.war_since[0]), end,
                         (cum.rule, st.war_since[0].rule, end_rule))
        return Frame("cumulative", None, end, (cum.rule, end_rule))
    if win is not None:
        if win.kind == "since":
            end, end_rule = when.as_of(st, pos, doc_date, trailing=False)
            return Frame("period", win.first, end, (window_rule, win.rule, end_rule))
        return Frame("period", win.first, win.last, (window_rule, win.rule))
    if st.refs:
        return None   # resolved by the caller from the preceding period
    # the day a statement was made is not the day of what it tells ("..., Trend reported on February 9"); when the
    # statement's day follows its verb, a day before the verb is what the statement tells ('"Today, a shepherd
    # stepped on a mine," the police said in a statement issued on Sunday')
    stated = when.statement_day(st, pos, st.length)
    days = [d for d in st.days if d is not stated and d not in st.statement_days]
    if metric == "mines_mapped" and not days:
        days = st.days   # a map's count is an event: the only day given is the hand-over's
    if metric == "mines_mapped" or (metric is None and st.handover):
        return _event_on_day(days, pos, "scope.map-handover") if days or metric else None
    if st.incident and (metric in PEOPLE or metric is None):
        return _event_on_day(days, pos, "scope.incident") if days or metric else None
    if days and metric is not None:
        d, _ = when.nearest(days, pos)
        if metric in PEOPLE:
            return Frame("event", d.first, d.last, ("scope.casualties-on-a-day", d.rule))
        return Frame("period", d.first, d.last, ("scope.work-of-one-day", d.rule))
    return None


def _event_on_day(days: list[DateSpan], pos: int, rule: str) -> Frame:
    if days:
        d, _ = when.nearest(days, pos)
        return Frame("event", d.first, d.last, (rule, d.rule))
    return Frame("event", None, None, (rule, when.NO_DATE))


# --- report context ---------------------------------------------------------------------------------------

def context_frames(infos: list[SentenceInfo], doc_date: str | None) -> None:
    """Each sentence's own frame (`frame`) and the frame it stands in (`ctx`, from `ctx_source`)."""
    last: tuple[Frame, int] | None = None
    for k, info in enumerate(infos):
        pos = info.cands[0].num.start if info.cands else 10**9
        metric = info.cands[0].metric if info.cands else None
        f = own_frame(info.time, pos, metric, doc_date, context=True)
        src = k
        if f is not None and when.of_the_present(f.rules):
            # "today" in a statement of another day, as the context of the sentences around it
            moved = when.from_the_statement(f.rules, f.start, f.end, doc_date, when.statement_date(infos, k, pos)
                                            or when.report_statement_date(infos, k, doc_date))
            if moved is not None:
                f = Frame(f.scope, moved[0], moved[1], f.rules + (moved[2],))
        if f is not None and _weak_cumulative_after_period(infos, k, f):
            f, src = infos[k - 1].ctx, infos[k - 1].ctx_source
        as_long = _window_as_long(infos, k) if f is None and info.time.refs else None
        if as_long is not None:
            # "over the five years": the window before that lasts as long
            f, src = infos[as_long].ctx, infos[as_long].ctx_source
        elif f is None and info.time.refs and last is not None:
            f, src = last
        elif f is None and info.time.refs and not info.headline and not _dated_period_follows(infos, k, doc_date):
            # "over the week" with no window before it, nor a dated one after: a week without dates, and the
            # context of the sentences that follow it ("They worked in Khojaly, where they found ...")
            f = Frame("period", rules=("scope.said-period", info.time.refs[0].rule, when.NO_DATE))
        if f is not None and f.scope == "event" and f.start is None and last and last[0].scope == "event":
            # a later sentence of the same incident ("three of them were injured")
            f, src = last
        info.frame = f
        if info.headline:
            continue
        if f is not None:
            info.ctx, info.ctx_source = f, src
            last = (f, src)
        elif last is not None:
            info.ctx, info.ctx_source = last
    # lead sentences before any frame take the first frame that follows
    nxt: tuple[Frame, int] | None = None
    for k in range(len(infos) - 1, -1, -1):
        info = infos[k]
        if not info.headline and info.frame is not None:
            nxt = (info.frame, k)
        if info.ctx is None and nxt is not None:
            info.ctx, info.ctx_source = nxt


def _dated_period_follows(infos: list[SentenceInfo], k: int, doc_date: str | None) -> bool:
    """Whether the first frame that a sentence after `k` gives by itself is a dated window."""
    for info in infos[k + 1:]:
        if info.headline:
            continue
        pos = info.cands[0].num.start if info.cands else 10**9
        f = own_frame(info.time, pos, info.cands[0].metric if info.cands else None, doc_date, context=True)
        if f is not None:
            return f.scope == "period" and f.start is not None
    return False


def report_weeks(infos: list[SentenceInfo]) -> set:
    """The dated week-long windows of the report's figures: a weekly report's "last week" is the one it dates."""
    return {(i.ctx.start, i.ctx.end) for i in infos if i.cands and not i.headline and i.ctx is not None
            and i.ctx.scope == "period" and when.is_a_week(i.ctx.start, i.ctx.end)}


def figure_frame(infos: list[SentenceInfo], k: int, c: Candidate, doc_date: str | None,
                 weeks: set = frozenset()) -> tuple[Frame, int | None]:
    """The frame of figure `c` of sentence `k`, and the index of the sentence it came from (None: none)."""
    f, src = _figure_frame(infos, k, c, doc_date)
    if src is not None and when.of_the_present(f.rules):
        moved = when.from_the_statement(f.rules, f.start, f.end, doc_date, when.statement_date(infos, src, c.num.start
                                        if src == k else 10**9) or when.report_statement_date(infos, k, doc_date))
        if moved is not None:
            f = Frame(f.scope, moved[0], moved[1], f.rules + (moved[2],))
    if src == k and f.scope in ("cumulative", "period"):
        moved = when.from_the_statement_before(f.rules, f.end, doc_date, when.statement_date(infos, k, c.num.start))
        if moved is not None:
            f = Frame(f.scope, f.start, moved[0], f.rules + (moved[1],))
    if f.scope in ("cumulative", "period") and f.start is None:
        got = _window_told_after(infos, k, doc_date)
        if got is not None:
            f, src = got
    if f.scope in ("cumulative", "period") and f.end == doc_date and when.DOCUMENT_DATE in f.rules:
        # "..., the ministry said on Monday" in the lead: the report's running totals are as of that day
        stated = when.report_statement_date(infos, k, doc_date)
        if stated is not None:
            f = Frame(f.scope, f.start, stated, f.rules + (when.REPORT_STATEMENT,))
    if f.scope == "event" and f.start is None:
        got = _incident_day_told_next(infos, k, doc_date) or _incident_day_told_before(infos, k, doc_date) \
            or _the_same_day(infos, k)
        if got is not None:
            return got
    if c.metric == "mines_mapped" and f.scope == "event" and (
            f.start is None or any(d.first == f.start for d in infos[k].time.statement_days)):
        got = _handover_day_told_next(infos, k)
        if got is not None:
            return got
    if f.scope == "period":
        up_to = when.up_to_the_statement(infos[k].time, c.num.start, f.end, doc_date,
                                         when.report_statement_date(infos, k, doc_date)
                                         if infos[k].time.up_to_now else None, f.start)
        if up_to is not None:
            f = Frame(f.scope, f.start, up_to[0], f.rules + up_to[1])
        week = when.week_of_the_report(f.rules, weeks)
        if week is not None and f.start is None:
            f = Frame(f.scope, week[0], week[1], f.rules + (week[2],))
    return f, src


def inferred_frame(infos: list[SentenceInfo], f: Frame, src: int | None, doc_date: str | None) -> Frame | None:
    """The frame of a figure of "last week" with dates worked out from the statement's day (`when.inferred_week`),
    once everything that reads the frame as stated (places, repeats) is settled; None when not such a figure."""
    if f.scope != "period" or f.start is not None or src is None or dates.VAGUE_WEEK not in f.rules:
        return None
    stated = when.statement_date(infos, src, 10**9) or when.report_statement_date(infos, src, doc_date) or doc_date
    inferred = when.inferred_week(f.rules, infos[src].time.windows, stated)
    if inferred is None:
        return None
    return Frame(f.scope, inferred[0], inferred[1], f.rules + (when.INFERRED_WEEK,))


def _incident_day_told_next(infos: list[SentenceInfo], k: int, doc_date: str | None) -> tuple[Frame, int] | None:
    """"Two servicemen have died in a mine explosion, the ministry said. On September 24, a truck was blown up
    ...": an incident's count whose day is given in the next sentence about the same incident."""
    for j in (k + 1, k + 2):
        if j >= len(infos) or infos[j].headline:
            return None
        nxt = infos[j]
        if any(c.metric in PEOPLE for c in nxt.cands) and (nxt.frame is None or nxt.frame.start is None):
            return None
        if nxt.frame is not None and nxt.frame.scope == "event" and nxt.frame.start is not None \
                and nxt.time.incident:
            return nxt.frame.because("scope.incident-day-told-next"), j
        day = _day_of_the_story(infos, j, doc_date)
        if day is not None:
            return Frame("event", day.first, day.last, ("scope.incident-day-told-next", day.rule)), j
    return None


# a sentence that goes on with a story told before: it opens on what was named ("The vehicle was carrying ...",
# "The soldiers were ...")
_GOES_ON = re.compile(r"\s*(?:The|They|He|She|It)\s")
# how many days before its publication an incident dated in a later sentence of its report may lie
_STORY_DAYS = 7


def _day_of_the_story(infos: list[SentenceInfo], j: int, doc_date: str | None) -> DateSpan | None:
    """"The vehicle was carrying personnel to a position on November 23, according to the ministry.": a sentence
    without figures nor windows that goes on with the incident told before and gives its day (a recent one)."""
    info = infos[j]
    st = info.time
    if info.cands or info.headline or st.windows or st.cum or not _GOES_ON.match(st.text):
        return None
    days = [d for d in st.days if d not in st.statement_days]
    day, doc = (parse_iso(days[0].first), parse_iso(doc_date)) if len(days) == 1 else (None, None)
    if day is None or doc is None or not 0 <= (doc - day).days <= _STORY_DAYS:
        return None
    return days[0]


def _incident_day_told_before(infos: list[SentenceInfo], k: int, doc_date: str | None) -> tuple[Frame, int] | None:
    """"... ran over an anti-tank mine. The vehicle was carrying six soldiers on November 23. Of them, two died
    ...": a count of the incident after the sentence that dates it (rule scope.incident-day-told-next)."""
    j = k - 1
    if j < 1 or infos[j - 1].ctx is None or infos[j - 1].ctx.scope != "event":
        return None
    day = _day_of_the_story(infos, j, doc_date)
    if day is None:
        return None
    # (the places stay those of the incident's sentences)
    src = infos[k].ctx_source if infos[k].ctx_source is not None else k
    return Frame("event", day.first, day.last, ("scope.incident-day-told-next", day.rule)), src


_SAME_DAY = re.compile(r"(?i)\b(?:on|that)\s+(?:the\s+)?same\s+day\b")
# how many sentences back "on the same day" may find its day
_SAME_DAY_BACK = 3


def _the_same_day(infos: list[SentenceInfo], k: int) -> tuple[Frame, int] | None:
    """"On the same day, a civilian was injured in Aghdam": an incident on the last day named before (not a
    statement's day). Rule scope.incident-on-the-same-day."""
    if not _SAME_DAY.search(infos[k].time.text):
        return None
    for j in range(k - 1, max(-1, k - 1 - _SAME_DAY_BACK), -1):
        st = infos[j].time
        days = [d for d in st.days if d not in st.statement_days and d.first]
        if days:
            d = days[-1]
            return Frame("event", d.first, d.last, ("scope.incident-on-the-same-day", d.rule)), k
    return None


# how many sentences after a figure may tell the window its figures cover
_TOLD_AFTER = 3


def _window_told_after(infos: list[SentenceInfo], k: int, doc_date: str | None) -> tuple[Frame, int] | None:
    """"24 people have been killed by mines, the office said. Another 96 were wounded. The figures cover the period
    since the ceasefire of November 10.": a sentence without figures that says what window the figures before it
    cover gives theirs, when their own sentences state no start."""
    for j in range(k + 1, min(len(infos), k + 1 + _TOLD_AFTER)):
        info = infos[j]
        if info.headline:
            return None
        if info.cands:
            if info.frame is not None:
                return None
            continue
        if info.frame is not None and info.frame.start is not None and when.says_what_figures_cover(info.time.text):
            return info.frame.because("scope.window-told-after"), j
        if info.frame is not None:
            return None
    return None


def _handover_day_told_next(infos: list[SentenceInfo], k: int) -> tuple[Frame, int] | None:
    """"Armenia has handed over maps of 3,150 mines, the ministry said on Tuesday. The maps were passed on at the
    border on November 28": the count of a hand-over dated only by its statement (or not at all) takes the day
    the next sentence gives the hand-over."""
    for j in (k + 1, k + 2):
        if j >= len(infos) or infos[j].headline or any(c.metric == "mines_mapped" for c in infos[j].cands):
            return None
        st = infos[j].time
        days = [d for d in st.days if d not in st.statement_days]
        if days and st.handover:
            d = days[0]
            return Frame("event", d.first, d.last, ("scope.map-handover-day-told-next", d.rule)), j
    return None


def _figure_frame(infos: list[SentenceInfo], k: int, c: Candidate, doc_date: str | None) -> tuple[Frame, int | None]:
    info = infos[k]
    f = own_frame(info.time, c.num.start, c.metric, doc_date, end=max(c.num.end, c.phrase_end))
    if f is not None and _weak_cumulative_after_period(infos, k, f):
        # "In total, 1,542 hectares were cleared" right after a weekly figure sums that week
        return infos[k - 1].ctx.because("scope.total-of-the-period"), infos[k - 1].ctx_source
    if f is not None and _weak_cumulative_after_running_total(infos, k, f):
        # "Since November 10, 2020, 45 people were killed ... In the same period, 198 were injured. Thus, the total
        # number of mine victims has reached 243": the same running total, from the same start
        return infos[k - 1].ctx.because("scope.total-of-the-running-total"), infos[k - 1].ctx_source
    if f is None:
        if info.time.since_then:
            got = _since_then(infos, k, c, doc_date)
            if got is not None:
                return got, k
        if info.time.refs:
            src = _previous_period(infos, k)
            if src is not None:
                return infos[src].ctx.because("scope.said-period", info.time.refs[0].rule), src
            return Frame("period", rules=("scope.said-period", info.time.refs[0].rule, when.NO_DATE)), None
        ctx = info.ctx
        rule = "scope.report-context" if info.ctx_source is not None and info.ctx_source < k \
            else "scope.window-that-follows"
        if info.headline:
            ctx = next((i.ctx for i in infos if not i.headline and i.ctx is not None), None)
            rule = "scope.headline-takes-the-body"
        if ctx is not None:
            if c.metric not in PEOPLE and ctx.scope == "event" and c.metric != "mines_mapped":
                return Frame("period", rules=("scope.items-are-no-incident", when.NO_DATE)), None
            return ctx.because(rule), info.ctx_source
        if c.metric == "mines_mapped":
            return Frame("event", rules=("scope.map-handover", when.NO_DATE)), None
        return Frame("period", rules=("scope.no-time-stated", when.NO_DATE)), None
    if f.scope == "event" and f.start is None and info.ctx is not None and info.ctx.scope == "event" \
            and c.metric != "mines_mapped":
        return info.ctx.because("scope.same-incident"), info.ctx_source
    return f, k


# how far back (in sentences) "since then" may point
_SINCE_THEN_BACK = 2


def _since_then(infos: list[SentenceInfo], k: int, c: Candidate, doc_date: str | None) -> Frame | None:
    """"The war ended on November 10, 2020. Since then, 350 people have been hit by mines": a window from the
    date last named in the sentences just before to the statement's day; a running total when that date is the
    war or its end (figures.md "Running totals")."""
    for j in range(k - 1, max(-1, k - 1 - _SINCE_THEN_BACK), -1):
        st = infos[j].time
        spans = st.windows + st.days + st.war_since + st.war_ranges + st.background
        if spans:
            d = max(spans, key=lambda x: x.start)
            break
    else:
        return None
    if d.first is None:
        return None
    end, end_rule = when.as_of(infos[k].time, c.num.start, doc_date, trailing=True)
    if _starts_the_effort(d) or _war_day(d):
        return Frame("cumulative", _stated_start(d), end, ("scope.since-then", d.rule, end_rule))
    return Frame("period", d.first, end, ("scope.since-then", d.rule, end_rule))


def _weak_cumulative_after_period(infos, k, f: Frame) -> bool:
    st = infos[k].time
    if f.scope != "cumulative" or st.cum or st.war_since or st.war_ranges or st.asof or not st.cum_weak or k == 0:
        return False
    if any(cue("cumulative_running").match(st.text, a) for a, _ in st.cum_weak):
        return False   # "the total ... has reached 21,500 hectares": a running total, not the week's sum
    prev = infos[k - 1]
    if prev.cands and infos[k].cands and not {c.metric in PEOPLE for c in prev.cands} & {c.metric in PEOPLE for c in infos[k].cands}:
        return False   # "... casualties occurred this year. Deminers have cleared 180,000 ha in total": no sum of those
    return not prev.headline and prev.ctx is not None and prev.ctx.scope == "period"


def _weak_cumulative_after_running_total(infos, k, f: Frame) -> bool:
    st = infos[k].time
    if f.scope != "cumulative" or f.start is not None or st.cum or st.war_since or st.war_ranges or st.asof \
            or not st.cum_weak or k == 0:
        return False
    prev = infos[k - 1]
    if prev.headline or not prev.cands or prev.ctx is None or prev.ctx.scope != "cumulative" or prev.ctx.start is None:
        return False
    return bool({c.metric in PEOPLE for c in prev.cands} & {c.metric in PEOPLE for c in infos[k].cands})


# "over the five years", "in these two months": a count of units of time (in days)
_UNITS = re.compile(r"(?i)\b(?P<n>\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
                    r"(?P<unit>days|weeks|months|years)\b")
_UNIT_DAYS = {"days": 1, "weeks": 7, "months": 30.44, "years": 365.25}
_COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                "eleven": 11, "twelve": 12}
# how many sentences back "over the five years" may find the window that lasts as long
_SPAN_BACK = 4


def _window_as_long(infos, k) -> int | None:
    """"Jabrayil accounts for 38,412 hectares over the five years" after "between 2020 and 2024": the sentence
    before that states a window as long as the one named (within a tenth), or None."""
    m = next((_UNITS.search(r.raw) for r in infos[k].time.refs if _UNITS.search(r.raw)), None)
    if m is None:
        return None
    n = m.group("n").lower()
    days = (int(n) if n.isdigit() else _COUNT_WORDS[n]) * _UNIT_DAYS[m.group("unit").lower()]
    for j in range(k - 1, max(-1, k - 1 - _SPAN_BACK), -1):
        if infos[j].headline or infos[j].ctx is None:
            continue
        st = infos[j].time
        for w in st.windows + st.war_ranges + st.war_since:
            a, b = parse_iso(w.first), parse_iso(w.last)
            if a is not None and b is not None and abs((b - a).days + 1 - days) <= days / 10:
                return j
    return None


def _previous_period(infos, k) -> int | None:
    """"In the same period": the window of the last figures, not a date of a clause without any
    ("... where snow stays until June. In the same period, 60 ha were cleared"); "over the five years": the window
    before that lasts five years."""
    as_long = _window_as_long(infos, k)
    if as_long is not None:
        return as_long
    fallback = None
    for j in range(k - 1, -1, -1):
        if infos[j].headline or infos[j].ctx is None or infos[j].ctx.scope == "event":
            continue
        if infos[j].cands:
            # "Since the ceasefire, 987 ha were cleared. Over the same period 1,290 mines ..."
            return j
        if fallback is None:
            # "ANAMA's review covers the period from November 19, 2020 to November 19, 2021. Over the year, ..."
            fallback = j
    return fallback
