"""Document -> figure records (figures.md). Pure and deterministic: same document, same records, same order.

Two passes. The first reads each sentence alone: its numbers and what they count (`candidates`), what it
says about time (`scope`) and places (`places`). The second applies report context: a figure whose
sentence gives no window takes the window of the sentence before it (or, for a lead sentence, the next
one that gives one); `period` figures of the report's window that name no place take the report's list
of districts; an incident's later sentences take its date and place; headline numbers that the body
repeats are dropped.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cached_property

from minemap.extraction import casualties as cas
from minemap.extraction.actors import actor_for, actor_mentions
from minemap.extraction.candidates import PEOPLE, Candidate, sentence_candidates
from minemap.extraction.numbers import Num
from minemap.extraction.dates import parse_iso
from minemap.extraction.headlines import headline_paragraph, repeats_body
from minemap.extraction.places import (clause_codes, codes, labelled_codes, mentions, place_before_number, respective_codes,
                               segment_codes)
from minemap.extraction.qualifiers import qualifier
from minemap.extraction.record import Document, Evidence, Figure
from minemap.extraction.scope import Frame, SentenceTime, analyse_time, own_frame
from minemap.extraction.sentences import Sentence, split_sentences
from minemap.extraction.lang import cue

_OPERATIONS = re.compile(r"(?i)\b(?:work(?:ed|s|ing)?|operat\w+|demin\w+|clear\w*|activit\w+|conducted|carried out|"
                         r"teams?|deployed|engaged)\b")


@dataclass
class _Sent:
    s: Sentence
    time: SentenceTime
    cands: list[Candidate]
    headline: bool
    frame: Frame | None = None        # the sentence's own frame as context
    ctx: Frame | None = None          # the frame it stands in (own or inherited)
    ctx_source: int | None = None     # index of the sentence whose frame it inherited

    # places are looked up only for sentences that need them (figures, lists, incidents)
    @cached_property
    def places(self) -> list:
        return mentions(self.s.text)

    @cached_property
    def sent_codes(self) -> tuple[str, ...]:
        return codes(self.places)

    @cached_property
    def per_fig_codes(self) -> list[tuple[str, ...] | None] | None:
        """Per-figure districts when the sentence pairs each figure with its own place (None for a figure
        that names no place of its own and takes the report's context)."""
        if len(self.cands) < 2 or not self.places:
            return None
        text, c = self.s.text, self.cands
        per: list | None = self._paired_codes()
        resp = respective_codes(text, self.places, [(x.num.start, x.num.end) for x in c])
        if resp:
            paired = {code for v in resp.values() for code in v}
            per = [resp[i] if i in resp else tuple(x for x in (per[i] if per is not None else self.sent_codes)
                                                   if x not in paired) or None for i in range(len(c))]
        cut = _SUBSET.search(text)
        cut_at = (cut.start(), cut.end()) if cut is not None else None
        lead = _OF_TOTAL.match(text)
        if cut_at is None and lead is not None and lead.end() == c[0].num.start:
            # "Of the 41,220.6 ha cleared, 9,104.3 ha were in Aghdam": the total's phrase ends at its comma
            comma = text.find(",", c[0].num.end)
            cut_at = (comma, comma + 1) if comma >= 0 else None
        if cut_at is not None and c[0].num.start < cut_at[0] < c[-1].num.start:
            # "1,406 ha were cleared, of which Aghdam accounted for 410 ha": the places of the part are
            # not the total's
            before = codes([m for m in self.places if m.start < cut_at[0]]) or None
            # the parts lie within the total's places unless they name their own
            after = codes([m for m in self.places if m.start >= cut_at[1]]) or before
            per = [before if x.num.start < cut_at[0] else (per[i] if per is not None else after)
                   for i, x in enumerate(c)]
        return per

    def _paired_codes(self) -> list[tuple[str, ...]] | None:
        c = self.cands
        pos = [x.num.start for x in c]
        labelled = labelled_codes(self.s.text, self.places, pos)
        per = clause_codes(self.s.text, self.places, pos)
        if labelled is not None:
            # a figure without a place label of its own stays in its clause ("In Aghdam: 300 ha were
            # cleared and 40 mines found; in Fuzuli: ...")
            return [lab or (per[i] if per is not None else ()) for i, lab in enumerate(labelled)]
        if per is not None:
            return per
        if any(_PLACE_PAREN.search(self.s.text, max(0, x.num.start - 40), x.num.start)
               or place_before_number(self.s.text, self.places, x.num.start - qualifier(self.s.text[:x.num.start])[1])
               for x in c):
            # "Jabrayil led with 11,206 ha, followed by Fuzuli (8,517 ha) and Aghdam (7,840 ha)": each place
            # comes before its number
            spans = [(c[i - 1].num.end if i else 0, x.num.start) for i, x in enumerate(c)]
            got = segment_codes(self.places, spans)
            if got is not None:
                return got
        spans = [(x.num.end, c[i + 1].num.start if i + 1 < len(c) else len(self.s.text)) for i, x in enumerate(c)]
        return segment_codes(self.places, spans)


_ALONE = re.compile(r"(?i)\s*(?:(?:district|region|city|rayon)\s+)?alone\b")
# a clause of parts after a total
_SUBSET = re.compile(r"(?i),\s*(?:of\s+(?:which|whom|these|them)|among\s+(?:them|these)|including)\b")
# "Of the 41,220.6 hectares ...", "Out of a total of 1,200 mines ...": a total that its parts follow
_OF_TOTAL = re.compile(r"(?i)\s*(?:out\s+)?of\s+(?:the\s+|all\s+|a\s+total\s+of\s+|the\s+total\s+of\s+)?"
                       r"(?:(?:about|some|over|more than|nearly|almost|around|roughly)\s+)?")
# "Fuzuli (8,517.9 hectares)", "Aghdam with 7,840 hectares": a place right before its number
_PLACE_PAREN = re.compile(r"(?-i:[A-Z])[\w'’-]+(?:\s+(?:district|region|city))?\s*(?:\(|\bwith)\s*"
                          r"(?:(?:about|some|over|more than|nearly|almost|around)\s+)?$")


def extract(doc: Document) -> list[Figure]:
    """The figure records of one document (figures.md), in the order of their sentences."""
    ref = parse_iso(doc.date)
    sentences = split_sentences(doc.text)
    head_para = headline_paragraph(doc, sentences)
    infos: list[_Sent] = []
    # joined once per paragraph: concatenating sentence by sentence is quadratic in a long paragraph
    para_parts: dict[int, list[str]] = {}
    for s in sentences:
        para_parts.setdefault(s.para, []).append(s.text)
    para_text = {p: " " + " ".join(parts) for p, parts in para_parts.items()}
    prev_text = ""
    for s in sentences:
        st = analyse_time(s.text, ref)
        # casualties need mines in their sentence, paragraph or the sentence before ("Fifty-three of them
        # lost their lives" after "298 citizens have become victims of landmines"): not shelling or crashes
        cands = sentence_candidates(s.text, st.blocked, para_text[s.para] + " " + prev_text)
        # a sentence of mine victims passes its context on ("Another 245 people sustained injuries")
        prev_text = s.text + " " + prev_text[:400] if any(c.metric in PEOPLE for c in cands) else s.text
        infos.append(_Sent(s, st, cands, s.para == head_para))

    _lone_victims(infos)
    _context_frames(infos, doc.date)
    lists = _report_lists(infos)

    body_values = [(c.metric, c.value) for i in infos if not i.headline for c in i.cands]
    figures: list[Figure] = []
    last_group: tuple | None = None    # (sentence, group, frame) of the last people figure with a group
    for k, info in enumerate(infos):
        actors = actor_mentions(info.s.text) if info.cands else []
        for idx, c in enumerate(info.cands):
            if info.headline and repeats_body(c.metric, c.value, body_values):
                continue
            if not math.isfinite(c.value):  # unit conversion or part sums of absurd numbers overflow
                continue
            frame, src = _figure_frame(infos, k, c, doc.date)
            districts = _districts(infos, k, idx, frame, src, lists)
            group = c.group if c.metric in PEOPLE else None
            if c.metric in PEOPLE:
                # one incident told over two sentences: "Two civilians were hurt ... One of them died"
                if group is None and last_group is not None and 0 < k - last_group[0] <= 2 \
                        and frame.scope == "event" and last_group[2] == frame.key \
                        and (cas.is_anaphor(c.group_phrase) or cas.inherits_group(c.group_phrase)):
                    group = last_group[1]
                if group is not None:
                    last_group = (k, group, frame.key)
            figures.append(Figure(
                doc_id=doc.doc_id, metric=c.metric, value=c.value, qualifier=c.qualifier, scope=frame.scope,
                period_start=frame.start, period_end=frame.end, districts=districts,
                group=group,
                actor=actor_for(actors, c.num.start),
                evidence=Evidence(info.s.start, info.s.end, info.s.text),
            ))
    return figures


def _lone_victims(infos: list[_Sent]) -> None:
    """"A shepherd stepped on a mine ... The civilian was taken to hospital": the one person of an incident
    counts as 1 when no sentence of it gives a number."""
    for k, info in enumerate(infos):
        if info.headline or any(c.metric in PEOPLE for c in info.cands) or not cue("incident").search(info.s.text):
            continue
        nxt = infos[k + 1] if k + 1 < len(infos) and not infos[k + 1].headline else None
        if nxt is not None and any(c.metric in PEOPLE for c in nxt.cands):
            continue
        if not cue("mine_context").search(info.s.text):
            continue
        got = cas.lone_victim(info.s.text, nxt.s.text if nxt is not None else "")
        if got is None:
            continue
        metric, pos, noun = got
        num = Num(pos, pos, 1.0, "article", "")
        info.cands = sorted(info.cands + [Candidate(num, metric, 1.0, "exact", group=cas.group_of(noun),
                                                    group_phrase=noun, phrase_end=pos + len(noun))],
                            key=lambda c: c.num.start)


def _context_frames(infos: list[_Sent], doc_date: str | None) -> None:
    last: tuple[Frame, int] | None = None
    for k, info in enumerate(infos):
        pos = info.cands[0].num.start if info.cands else 10**9
        metric = info.cands[0].metric if info.cands else None
        f = own_frame(info.time, pos, metric, doc_date, context=True)
        src = k
        if f is not None and _weak_cumulative_after_period(infos, k, f):
            f, src = infos[k - 1].ctx, infos[k - 1].ctx_source
        if f is None and info.time.refs and last is not None:
            f, src = last
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


def _report_lists(infos: list[_Sent]) -> dict:
    """Window -> the list of districts the report gives for its operations in that window."""
    lists: dict = {}
    # windows whose figures the report breaks down by district ("Jabrayil – 9,014.6 ha, Kalbajar – ...")
    broken_down = {info.ctx.key for info in infos if info.ctx is not None and info.cands and not info.headline
                   and info.per_fig_codes is not None}
    placeless: set = set()    # windows whose figures were first given with no place
    for info in infos:
        if info.headline or info.ctx is None or info.ctx.scope != "period":
            continue
        if info.cands and not info.sent_codes and info.ctx.key not in lists:
            placeless.add(info.ctx.key)
        if not info.sent_codes or info.per_fig_codes is not None:
            continue
        if info.cands and len(info.sent_codes) == 1 and info.ctx.key in placeless:
            continue   # "... across the liberated territories. Some 200 items were found in Shusha": a part
        if len(info.sent_codes) == 1 and any(_ALONE.match(info.s.text, m.end) for m in info.places):
            continue   # "in the Shusha district alone": a part of the work, not where all of it was done
        if info.cands and len(info.sent_codes) == 1 and info.ctx.key in broken_down:
            continue   # "In Lachin, 987.3 ha were cleared": one more item of the breakdown, not the report's list
        if info.cands and any(own_frame(info.time, c.num.start, c.metric, None) is not None
                              and own_frame(info.time, c.num.start, c.metric, None).scope != "period"
                              for c in info.cands):
            continue
        if not (_OPERATIONS.search(info.s.text) or cue("clearance_verbs").search(info.s.text)):
            continue
        lists.setdefault(info.ctx.key, info.sent_codes)
    # "Deminers worked last week in A, B and C." + "From March 7 to 12 they found ...": one list and one
    # period told two ways (a vague window and dates): the dated figures take the list
    vague = Frame("period").key
    if set(lists) == {vague}:
        dated = {i.ctx.key for i in infos if i.cands and not i.headline and i.ctx is not None
                 and i.ctx.scope == "period" and i.ctx.key != vague}
        if len(dated) == 1:
            lists[dated.pop()] = lists[vague]
    return lists


def _figure_frame(infos: list[_Sent], k: int, c: Candidate, doc_date: str | None) -> tuple[Frame, int | None]:
    info = infos[k]
    f = own_frame(info.time, c.num.start, c.metric, doc_date)
    if f is not None and _weak_cumulative_after_period(infos, k, f):
        # "In total, 1,542 hectares were cleared" right after a weekly figure sums that week
        return infos[k - 1].ctx, infos[k - 1].ctx_source
    if f is None:
        if info.time.refs:
            src = _previous_period(infos, k)
            if src is not None:
                return infos[src].ctx, src
            return Frame("period"), None
        ctx = info.ctx
        if info.headline:
            ctx = next((i.ctx for i in infos if not i.headline and i.ctx is not None), None)
        if ctx is not None:
            if c.metric not in PEOPLE and ctx.scope == "event" and c.metric != "mines_mapped":
                return Frame("period"), None
            return ctx, info.ctx_source
        if c.metric == "mines_mapped":
            return Frame("event"), None
        return Frame("period"), None
    if f.scope == "event" and f.start is None and info.ctx is not None and info.ctx.scope == "event" \
            and c.metric != "mines_mapped":
        return info.ctx, info.ctx_source
    return f, k


def _weak_cumulative_after_period(infos, k, f: Frame) -> bool:
    st = infos[k].time
    if f.scope != "cumulative" or st.cum or st.war_since or not st.cum_weak or k == 0:
        return False
    if any(cue("cumulative_running").match(st.text, a) for a, _ in st.cum_weak):
        return False   # "the total ... has reached 21,500 hectares": a running total, not the week's sum
    prev = infos[k - 1]
    if prev.cands and infos[k].cands and not {c.metric in PEOPLE for c in prev.cands} & {c.metric in PEOPLE for c in infos[k].cands}:
        return False   # "... casualties occurred this year. Deminers have cleared 180,000 ha in total": no sum of those
    return not prev.headline and prev.ctx is not None and prev.ctx.scope == "period"


def _previous_period(infos, k) -> int | None:
    """"In the same period": the window of the last figures, not a date of a clause without any
    ("... where snow stays until June. In the same period, 60 ha were cleared")."""
    fallback = None
    for j in range(k - 1, -1, -1):
        if infos[j].headline or infos[j].ctx is None:
            continue
        if infos[j].cands and infos[j].ctx.scope == "cumulative" and fallback is None:
            return j   # "Since the ceasefire, 987 ha were cleared. Over the same period 1,290 mines ..."
        if infos[j].ctx.scope == "period":
            if infos[j].cands:
                return j
            if fallback is None:
                fallback = j
    return fallback


def _districts(infos, k, idx, frame: Frame, src: int | None, lists: dict) -> tuple[str, ...]:
    info = infos[k]
    own = info.per_fig_codes[idx] if info.per_fig_codes is not None else info.sent_codes
    if own is None:
        own = ()      # a figure that names no place of its own, in a sentence that pairs the others
    elif own or info.per_fig_codes is not None:
        return own
    if frame.scope == "period":
        return lists.get(frame.key, ())
    if frame.scope == "event" and src is not None and src != k:
        return infos[src].sent_codes
    return ()
