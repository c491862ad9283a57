"""Document -> figure records (figures.md). Pure and deterministic: same document, same records, same order.

Two passes. The first reads each sentence alone: what it says about time (`scope.read_time`) and its numbers
and what they count (`metric`). The second places each figure in the report: its scope and window
(`scope`, `when`), its districts (`where`) and its group (`group`); headline numbers that the body repeats are
dropped. Every decision is taken by a named rule; `explain` returns, with each figure, the ids of the rules
behind each of its fields, and the numbers that rules set aside as no figure.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from minemap.extraction import group as groups
from minemap.extraction import scope, when, where
from minemap.extraction.actors import Actors, actor_for
from minemap.extraction.dates import parse_iso
from minemap.extraction.metric import PEOPLE, lone_victims, sentence_candidates, victims_split_told_next
from minemap.extraction.metric.tables import column_headers
from minemap.extraction.metric.repeats import (HEADLINE_REPEAT, HEADLINE_SUM, SAID_TWICE, headline_paragraph,
                                               headline_sums_mines_and_uxo, mines_and_uxo_sums, repeats_body,
                                               said_twice)
from minemap.extraction.quick import quick_init
from minemap.extraction.record import Document, Evidence, Figure
from minemap.extraction.report import ReportText, SentenceInfo
from minemap.extraction.sentences import Sentence, is_list_line, split_sentences


# characters of a sentence's paragraph, before and after it, that rules may read as its context
_CONTEXT = 2000
# for how many sentences after it a sentence of mine victims is context for the casualties told next
_VICTIMS_TOLD_FOR = 3


@quick_init
@dataclass(frozen=True)
class Why:
    """The rules behind one figure's fields (ids as in data/<lang>/rules.yaml)."""
    sentence: int                    # index of the sentence the figure was read from
    frame_sentence: int | None       # index of the sentence whose time expression framed it (None: none)
    value: tuple[str, ...]
    metric: tuple[str, ...]
    qualifier: tuple[str, ...]
    scope: tuple[str, ...]
    dates: tuple[str, ...]
    districts: tuple[str, ...]
    group: tuple[str, ...]

    def rules(self) -> tuple[str, ...]:
        return self.value + self.metric + self.qualifier + self.scope + self.dates + self.districts + self.group


@dataclass(frozen=True)
class SetAside:
    """A number that a rule decided is no figure."""
    sentence: int
    start: int                       # offsets in the document's text
    end: int
    text: str
    rule: str


@dataclass
class Explanation:
    figures: list[tuple[Figure, Why]]
    set_aside: list[SetAside]
    sentences: list[Sentence]


def extract(doc: Document) -> list[Figure]:
    """The figure records of one document, in the order of the text (figures.md)."""
    return [f for f, _ in _extract(doc, None)[0]]


def explain(doc: Document) -> Explanation:
    """The figures of `doc` with the rules behind each field, and the numbers set aside as no figure."""
    dropped: list = []
    figures, sentences = _extract(doc, dropped)
    set_aside = []
    for k, num, rule in dropped:
        s = sentences[k]
        set_aside.append(SetAside(k, s.start + num.start, s.start + num.end, num.text, rule))
    return Explanation(figures, set_aside, sentences)


def _table_columns(text: str, sentences: list[Sentence], para_span: dict) -> tuple[dict[int, list], dict[int, str]]:
    """Sentence index -> the (start, end, header) of its cells, for the rows of tables (paragraphs of several
    lines; metric/tables.py); and sentence index -> the table's caption (the sentence before the table), part of
    the context of its rows ("Casualties of mines in 2023:")."""
    out: dict[int, list] = {}
    captions: dict[int, str] = {}
    by_para: dict[int, list[int]] = {}
    for k, s in enumerate(sentences):
        by_para.setdefault(s.para, []).append(k)
    for para, ks in by_para.items():
        a, b = para_span[para]
        if len(ks) < 2 or "\n" not in text[a:b]:
            continue
        for k, cols in zip(ks, column_headers([sentences[k].text for k in ks])):
            if cols:
                out[k] = cols
                if ks[0] > 0:
                    captions[k] = sentences[ks[0] - 1].text
    return out, captions


# how many lines a list may run below its caption
_LIST_LINES = 40


def _list_captions(sentences: list[Sentence]) -> dict[int, str]:
    """Sentence index -> the caption of the list it is a line of: the sentence ending in a colon right before a
    run of list lines ("The area cleared by districts (in hectares):" + "- Aghdam: 11,480.3")."""
    out: dict[int, str] = {}
    caption, run = None, 0
    for k, s in enumerate(sentences):
        if caption is not None and run < _LIST_LINES and is_list_line(s.text):
            out[k] = caption
            run += 1
            continue
        caption, run = (s.text, 0) if s.text.rstrip().endswith(":") else (None, 0)
    return out


def _extract(doc: Document, dropped: list | None) -> tuple[list[tuple[Figure, Why]], list[Sentence]]:
    ref = parse_iso(doc.date)
    sentences = split_sentences(doc.text)
    head_para = headline_paragraph(doc, sentences)
    infos: list[SentenceInfo] = []
    # the paragraph around each sentence, bounded: a paragraph without full stops may be a megabyte long
    para_span: dict[int, tuple[int, int]] = {}
    for s in sentences:
        a, b = para_span.get(s.para, (s.start, s.end))
        para_span[s.para] = (min(a, s.start), max(b, s.end))
    columns, captions = _table_columns(doc.text, sentences, para_span)
    list_captions = _list_captions(sentences)
    prev_text = ""
    victims_told = None     # (index, text) of the last sentence of mine victims
    report = ReportText(doc.text)
    for k, s in enumerate(sentences):
        st = scope.read_time(s.text, ref)
        # casualties need mines in their sentence, paragraph or the sentence before ("Fifty-three of them
        # lost their lives" after "298 citizens have become victims of landmines"): not shelling or crashes
        here: list | None = [] if dropped is not None else None
        a, b = para_span[s.para]

        def context(s=s, a=a, b=b, prev_text=prev_text, caption=captions.get(k, "")):
            return " " + doc.text[max(a, s.start - _CONTEXT):min(b, s.end + _CONTEXT)] + " " + prev_text + " " + caption
        # the two sentences before, for a sentence that opens on "Of them," (a split sentence may stand between)
        before2 = " ".join(x.text for x in sentences[max(0, k - 2):k])
        cands = sentence_candidates(s.text, st.blocked, context, here, columns.get(k), list_captions.get(k), before2)
        if here:
            decided = {c.num.start for c in cands}
            dropped.extend((k, num, rule) for num, rule in here if num.start not in decided)
        # a sentence of mine victims passes its context on ("Another 245 people sustained injuries"), for the few
        # sentences that may still tell of the same people ("Ensign M. died at the scene. Two of the wounded ...")
        if any(c.metric in PEOPLE for c in cands):
            prev_text = s.text + " " + prev_text[:400]
            victims_told = (k, prev_text)
        elif victims_told is not None and k - victims_told[0] < _VICTIMS_TOLD_FOR:
            prev_text = s.text + " " + victims_told[1][:400]
        else:
            prev_text = s.text
        infos.append(SentenceInfo(s, st, cands, s.para == head_para, report=report, columns=columns.get(k)))

    lone_victims(infos)
    victims_split_told_next(infos)
    scope.context_frames(infos, doc.date)
    lists = where.report_lists(infos, doc.date)
    weeks = scope.report_weeks(infos)

    body_values = [(c.metric, c.value) for i in infos if not i.headline for c in i.cands]
    # totals the body split into their parts were stated too ("Three residents were hit ...: one of them died")
    body_values += [(c.part_of.metric, c.part_of.value) for i in infos if not i.headline for c in i.cands
                    if c.part_of is not None]
    # a headline may add up the mines and UXO a body sentence lists ("312 mines neutralized" over 87 + 41 + 184)
    item_sums = [v for i in infos if not i.headline for v in mines_and_uxo_sums(i.cands)]
    out: list[tuple[Figure, Why]] = []
    named = Actors(doc.text)
    nums = []     # the number of each figure of `out`
    incident_groups = groups.IncidentGroups()
    for k, info in enumerate(infos):
        actors = named.within(info.s.start, info.s.end) if info.cands else []
        for idx, c in enumerate(info.cands):
            if info.headline and repeats_body(c.metric, c.value, body_values):
                if dropped is not None:
                    dropped.append((k, c.num, HEADLINE_REPEAT))
                continue
            if info.headline and item_sums and headline_sums_mines_and_uxo(c.metric, c.value, item_sums):
                c.metric, c.rule = "explosive_items", HEADLINE_SUM
            if not math.isfinite(c.value):  # unit conversion or part sums of absurd numbers overflow
                continue
            if c.split_later:
                if dropped is not None:
                    dropped.append((k, c.num, c.split_later))
                continue
            frame, src = scope.figure_frame(infos, k, c, doc.date, weeks)
            districts, where_rules = where.figure_districts(infos, k, idx, frame, src, lists)
            group, group_rule = (incident_groups.group(k, c, frame) if c.metric in PEOPLE else (None, ""))
            frame = scope.inferred_frame(infos, frame, src, doc.date) or frame
            figure = Figure(
                doc_id=doc.doc_id, metric=c.metric, value=c.value, qualifier=c.qualifier, scope=frame.scope,
                period_start=frame.start, period_end=frame.end, districts=districts,
                group=group,
                actor=actor_for(actors, c.num.start),
                evidence=Evidence(info.s.start, info.s.end, info.s.text),
                period_inferred=when.INFERRED_WEEK in frame.rules,
            )
            why = Why(k, src, (c.num.rule,), (c.rule,), (c.qualifier_rule,) if c.qualifier_rule else (),
                      tuple(r for r in frame.rules if r.startswith("scope.")),
                      tuple(r for r in frame.rules if not r.startswith("scope.")),
                      where_rules, (group_rule,) if group_rule else ())
            out.append((figure, why))
            nums.append(c.num)
    repeats = set(said_twice(out))
    if dropped is not None:
        dropped.extend((out[i][1].sentence, nums[i], SAID_TWICE) for i in sorted(repeats))
    return [x for i, x in enumerate(out) if i not in repeats], sentences
