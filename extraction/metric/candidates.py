"""What is counted: the figures of one sentence, before report context is applied.

Each number of a sentence goes through `NUMBER_RULES` in order; the first rule that decides gives it its
metric (a `Candidate`) or sets it aside as no figure (its rule id is recorded). The numbers left undecided
then get a chance from the list rules of `lists.py` ("58 and 12 ... respectively", "the army 300, private
firms 120", "seven were injured: four workers and three soldiers"). A candidate knows its number, metric,
value in the metric's unit, qualifier and the words naming its people; scope, dates, districts and group
come later. Phrase patterns: data/<lang>/figures.yaml, items.yaml, people.yaml.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from minemap.extraction import group as groups
from minemap.extraction.lang import alternation, cached, cue, load, phrase
from minemap.extraction.metric import lists, people
from minemap.extraction.metric.labels import caption_metric, header_metric, label_before
from minemap.extraction.metric.units import (Unit, area_inspected_before, area_not_cleared, area_only_inspected, clause_around,
                                             a_difference, estimate_in, inspection_hint, item_metric, items_not_clearance,
                                             map_not_a_count,
                                             names_no_count, not_cleared_hint, number_unit, road_context)
from minemap.extraction.numbers import Num, find_numbers
from minemap.extraction.qualifiers import qualifier_at

if TYPE_CHECKING:
    from minemap.extraction.report import SentenceInfo

PEOPLE = ("killed", "injured", "victims")


@dataclass
class Candidate:
    num: Num
    metric: str
    value: float
    qualifier: str
    group: str | None = None
    group_phrase: str = ""
    phrase_end: int = 0         # end (in the sentence) of the words that name the metric
    rule: str = ""              # the metric rule that decided it
    group_rule: str = ""
    qualifier_rule: str = ""
    hit: bool = False           # people "hit" by a mine: dropped when the sentence splits them (lists.py)
    part_of: Candidate | None = None   # the total this casualty figure is a part of
    split_later: str = ""       # the rule that makes it no figure, as later sentences split it into its parts


@lru_cache(maxsize=None)
def _rx():
    d = load("people")
    # every verb and noun a casualty rule reads (each rule needs one of them in the sentence)
    words = [w for k in ("victims", "killed", "injured", "victims_hit", "active_hit", "active_left") for w in d[k]] + [
        w for v in list(d["active_verbs"].values()) + list(d["subset_nouns"].values())
        + list(d["subject_nouns"].values()) for w in v] + [p for _, p in d["noun_metric"]]
    return {k: phrase("figures", k) for k in (
        "partitive", "of_items_before", "copula", "label_tail", "casualty_words", "number_of", "link_end",
        "ordinal_one", "label_hint", "number_of_hint", "casualty_clause_split", "of_them_lead", "items_join")} | {
        "bare_singular": phrase("figures", "bare_singular", 0),
        "apposition_after_part": phrase("figures", "apposition_after_part"),
        "caption_item_tail": phrase("figures", "caption_item_tail"),
        "caption_inline_item": phrase("figures", "caption_inline_item"),
        # read in the lower-cased sentence: a case-blind pattern is several times slower; every word starts a
        # word, and a pattern tried only at word starts passes over the rest in one test
        "casualty_hint": re.compile(r"(?<![a-z])" + alternation(words))}


class _Sentence:
    """One sentence's numbers and the facts rules ask about it (computed only when a rule asks)."""

    def __init__(self, text: str, context, nums: list[Num], columns=None, caption: str | None = None,
                 previous: str = ""):
        self.text, self._context, self.nums = text, context, nums
        self.previous = previous      # the sentence before, for "Of them, 1,937 were neutralised in Aghdam"
        self.columns = columns        # (start, end, header) of each cell of a table row, or None
        self.caption = caption        # the caption of the list this line is an item of, or None
        self.tails = [text[n.end:(nums[i + 1].start if i + 1 < len(nums) else len(text))]
                      for i, n in enumerate(nums)]
        self.res: list[Candidate | None] = [None] * len(nums)
        self.listed: list[tuple[int, Unit]] = []     # articles that count only as items of a list
        self.dropped: list[tuple[Num, str]] = []      # numbers set aside by list rules
        self._q: dict[int, tuple[str, int, str]] = {}
        self._unit: dict[int, object] = {}

    def unit(self, i: int):
        """The unit right after number i (percent, area, length), looked up once."""
        if i not in self._unit:
            self._unit[i] = number_unit(self.tails[i])
        return self._unit[i]

    def qualifier(self, i: int) -> tuple[str, int, str]:
        if i not in self._q:
            self._q[i] = qualifier_of(self.text, self.nums[i].start)
        return self._q[i]

    def before(self, i: int, width: int = 300) -> str:
        """The words before number i (its qualifier left out), at most `width` characters of them: no rule reads
        further back, and a long sentence must not be copied for every number in it."""
        end = self.nums[i].start - self.qualifier(i)[1]
        return self.text[max(0, end - width):end]

    @cached
    def context_text(self) -> str:
        """The sentence's paragraph and the sentence before it (built only for the rules that read them)."""
        return self._context() if callable(self._context) else self._context

    # Cheap tests of the whole sentence, before a rule's own patterns: a rule whose words are nowhere in the
    # sentence cannot fire.
    @cached
    def lower(self) -> str:
        return self.text.lower()

    @cached
    def may_name_people(self) -> bool:
        # ("Two of them are servicemen" after a sentence of casualties: a part of those)
        return bool(_rx()["casualty_hint"].search(self.lower)) or (
            bool(self.previous) and " of them " in self.lower[:40] and bool(_rx()["casualty_hint"].search(
                self.previous.lower())))

    @cached
    def may_have_labels(self) -> bool:
        return bool(_rx()["label_hint"].search(self.text))

    @cached
    def may_name_a_number_of(self) -> bool:
        return bool(_rx()["number_of_hint"].search(self.text))

    @cached
    def may_be_no_clearance(self) -> bool:
        return not_cleared_hint(self.lower)

    @cached
    def may_be_inspection(self) -> bool:
        return inspection_hint(self.lower)

    @cached
    def may_name_maps(self) -> bool:
        return any(w in self.lower for w in _map_words())

    def area_not_cleared(self, i: int, end: int) -> str | None:
        if not self.may_be_no_clearance:
            return None
        clause = clause_around(self.text[:self.next_start(i)], self.nums[i].start, end)
        why = area_not_cleared(clause) \
            or estimate_in(clause_around(self.text, self.nums[i].start, end), "metric.not-contaminated-land")
        if why is None and _RESTATEMENT.match(clause):
            # "about 12 percent of the territory, or roughly 10,000 km², is still contaminated": a restatement
            # between commas has the verb of the clause it restates, after it
            why = area_not_cleared(self.text[self.nums[i].start:self.nums[i].start + 160])
        return why

    def items_not_clearance_at(self, i: int, end: int) -> str | None:
        if not self.may_be_no_clearance:
            return None
        return items_not_clearance(clause_around(self.text[:self.next_start(i)], self.nums[i].start, end))

    def next_start(self, i: int) -> int:
        """End of the words that belong to number i: the next number that is no article ("a", "an")."""
        for n in self.nums[i + 1:]:
            if n.kind != "article":
                return n.start
        return len(self.text)

    def candidate(self, i: int, metric: str, value: float, rule: str, phrase_end: int, group_phrase: str = "") -> Candidate:
        n = self.nums[i]
        q, _, q_rule = self.qualifier(i)
        return Candidate(n, metric, value, q, group_phrase=group_phrase, phrase_end=phrase_end, rule=rule,
                         qualifier_rule=q_rule)

    @cached
    def clearance(self) -> bool:
        return bool(cue("clearance_verbs").search(self.text))

    @cached
    def context_map(self) -> bool:
        """"... the minefield maps that Armenia handed over. The first set, passed on June 12, covered 97,000
        mines": a hand-over told without the word "map", right after maps handed over, is a map's count."""
        return bool(cue("handover").search(self.text) and not cue("map").search(self.text)
                    and not cue("clearance_verbs").search(self.text)
                    and cue("map").search(self.context_text) and cue("handover").search(self.context_text))

    @cached
    def incident(self) -> bool:
        return bool(cue("incident").search(self.text))

    @cached
    def casualty_words(self) -> bool:
        return bool(_rx()["casualty_words"].search(self.text))

    @cached
    def items_not_clearance(self) -> str | None:
        return items_not_clearance(self.text)

    @property
    def items_ok(self) -> bool:
        return self.items_not_clearance is None

    def battle_clause(self, pos: int) -> bool:
        """"...; Baku says 80 servicemen were killed in the clashes", "..., and that shelling killed 100 civilians": a
        clause of fighting without mines (or of shelling) in a sentence that names a mine elsewhere."""
        if cue("shelling").search(self.text):
            split = _rx()["casualty_clause_split"]
            a = 0
            for m in split.finditer(self.text, 0, pos):
                a = m.end()
            m = split.search(self.text, pos)
            if cue("shelling").search(self.text, a, m.start() if m else len(self.text)):
                return True
        a = self.text.rfind(";", 0, pos) + 1
        b = self.text.find(";", pos)
        clause = self.text[a:b if b >= 0 else len(self.text)]
        return bool(cue("war_casualty").search(clause) or cue("shelling").search(clause)) \
            and not cue("mine_context").search(clause)

    @cached
    def people_not_mines(self) -> str | None:
        """Why casualties here are no mine victims (shelling, crashes, war losses), as a rule id; None when
        mines are named in the sentence or its paragraph."""
        if cue("mine_context").search(self.text):
            # shelling in a clause of its own ("..., and that shelling killed 100 civilians") is read clause by
            # clause (`battle_clause`)
            if cue("shelling").search(self.text) and not _rx()["casualty_clause_split"].search(self.text):
                return "metric.not-mine-casualty"
            return None
        if cue("shelling").search(self.text):
            return "metric.not-mine-casualty"
        # mines only in the paragraph: war losses and battle casualties are still no mine victims
        if cue("mine_context").search(self.context_text) and not cue("war_casualty").search(self.text):
            return None
        return "metric.not-mine-casualty"

    @property
    def people_ok(self) -> bool:
        return self.people_not_mines is None


def qualifier_of(text: str, pos: int) -> tuple[str, int, str]:
    q, qlen = qualifier_at(text, pos)
    return q, qlen, "" if q == "exact" else "qualifiers." + q.replace("_", "-")


# --- the rules a number goes through, in order ------------------------------------------------------------
# Each takes the sentence and the number's index and returns a Candidate (decided), a rule id (set aside as
# no figure by that rule), "" (set aside for a later list rule) or None (the next rule decides).

def _percent(s: _Sentence, i: int):
    n = s.nums[i]
    if s.unit(i) is not None and s.unit(i).metric == "percent":
        return "metric.not-percent"
    if n.value != n.value or n.value == float("inf"):
        return "metric.not-a-count"
    return None


def _measured(s: _Sentence, i: int, metric: str):
    """(number, unit) when number i is a measure of `metric` in digits or words ("254 hectares"), else None."""
    n = s.nums[i]
    if n.kind == "article":
        return None
    u = s.unit(i)
    return (n, u) if u and u.metric == metric else None


def _area(s: _Sentence, i: int):
    found = _measured(s, i, "area_ha")
    if found is None:
        return None
    n, u = found
    # "2,000 ha were cleared and 3,000 more will be": the clause ends at the next number
    why_not = s.area_not_cleared(i, n.end + u.end) \
        or ((area_only_inspected(s.text[n.end + u.end:]) or area_inspected_before(s.before(i, 80), s.text))
            if s.may_be_inspection else None)
    if why_not is None and a_difference(s.before(i, 40), s.tails[i][u.end:]):
        why_not = "metric.not-a-difference"
    # square metres to hectares: no float noise in the record ("186,500 square metres" is 18.65 ha)
    return why_not or s.candidate(i, "area_ha", round(n.value * u.factor, 6), "metric.area-unit", n.end + u.end)


_CLAUSE_MARK = re.compile(r"[;,()]")


def _road(s: _Sentence, i: int):
    found = _measured(s, i, "roads_km")
    if found is None:
        return None
    n, u = found
    clause = clause_around(s.text, n.start, n.end + u.end)
    # "Work also included the construction of mountain roads: 6.5 km were laid there": the clause's caption
    colon = s.text.rfind(":", max(0, n.start - 40), n.start)
    caption = s.text[max(0, colon - 80):colon] if colon >= 0 and not _CLAUSE_MARK.search(s.text, colon, n.start) else ""
    if road_context(s.tails[i][u.end:], clause, s.text, caption):
        # "a 124-km corridor for the railway was surveyed": a road inspected, not cleared
        why_not = area_only_inspected(s.text[n.end + u.end:], True) if s.may_be_inspection else None
        return why_not or s.candidate(i, "roads_km", n.value, "metric.road-length", n.end + u.end)
    return "metric.not-a-road"


def _item_unit(s: _Sentence, i: int) -> tuple[Unit | None, str]:
    n, tail = s.nums[i], s.tails[i]
    r = _rx()
    u = item_metric(tail)
    if u is not None or n.kind == "article":
        return u, "metric.item-noun"
    # "Some 96 of the unexploded ordnance were found": a part of the items named before
    part_of = r["partitive"].match(tail)
    if part_of:
        u = item_metric(tail[part_of.end():])
        if u:
            return Unit(u.metric, u.factor, part_of.end() + u.end), "metric.part-of-the-items"
    cop = r["copula"].match(tail)
    if cop:
        # "Of these, 38 were anti-tank mines": the number is the subject, the noun follows a copula
        u = item_metric(tail[cop.end():])
        if u:
            return Unit(u.metric, u.factor, cop.end() + u.end), "metric.items-after-copula"
        # "Of the mines, 120 were discovered": the items named before the number, then a verb
        lead = r["of_items_before"].search(s.before(i, 80))
        u0 = item_metric(lead.group(1)) if lead else None
        if u0 is not None and u0.end >= len(lead.group(1).rstrip()) - 1:
            return Unit(u0.metric, u0.factor, 0), "metric.items-named-before"
        # "6,871 mines were neutralised. Of them, 1,937 were neutralised in Aghdam": the items of the sentence before
        if s.previous and r["of_them_lead"].fullmatch(s.before(i, 80)):
            u0 = _last_items_counted(s.previous)
            if u0 is not None:
                return Unit(u0.metric, u0.factor, 0), "metric.items-of-the-sentence-before"
    return None, ""


def _last_people_metric(text: str) -> str | None:
    """The metric of the last casualty count of `text` ("Five people were injured on Monday" -> injured)."""
    nums = find_numbers(text, None, [])
    for k in range(len(nums) - 1, -1, -1):
        n = nums[k]
        tail = text[n.end:nums[k + 1].start if k + 1 < len(nums) else len(text)]
        c = people.from_tail(tail[:160]) or people.from_active_verb(text[max(0, n.start - 40):n.start], tail[:80])
        if c is not None:
            return c.metric
    return None


def _last_items_counted(text: str) -> Unit | None:
    """The items the last item count of `text` counts ("In 2024, 6,871 mines were neutralised" -> mines)."""
    for n in reversed(find_numbers(text, None, [])):
        u = item_metric(text[n.end:n.end + 80])
        if u is not None:
            return u
    return None


_MINE_KINDS = frozenset(("ap_mines", "at_mines", "mines"))


def _mines_and_uxo(tail: str, u: Unit) -> Unit | None:
    """"1,867 unexploded ordnance, anti-tank and anti-personnel mines": one number before nouns of mines and of
    unexploded ordnance joined in one list counts both as one (`explosive_items`)."""
    j = _rx()["items_join"].match(tail, u.end)
    if j is None:
        return None
    u2 = item_metric(tail[j.end():])
    if u2 is None or {u.metric in _MINE_KINDS, u2.metric in _MINE_KINDS} != {True, False} \
            or "uxo" not in (u.metric, u2.metric):
        return None
    return Unit("explosive_items", 1.0, j.end() + u2.end)


def _items(s: _Sentence, i: int):
    n = s.nums[i]
    u, rule = _item_unit(s, i)
    if u is None or names_no_count(s.tails[i]):
        return None
    if n.kind != "article" and u.metric in ("uxo", "ap_mines", "at_mines", "mines"):
        both = _mines_and_uxo(s.tails[i], u)
        if both is not None:
            u, rule = both, "metric.mines-and-uxo-as-one"
    if n.kind == "article":
        if s.incident or s.casualty_words:
            return "metric.not-the-mine-that-exploded"
        if not s.clearance:
            s.listed.append((i, u))   # counts only as an item of a list of counts (lists.article_in_list)
            return ""
        if u.metric not in ("ap_mines", "at_mines", "mines", "uxo"):
            return "metric.not-a-count"
    # mines planted or estimated are contamination, not clearance: judged clause by clause
    if (s.may_name_maps and (_map_before(s.text, n.start) or _map_after(s.text, n.end + u.end)) or s.context_map) \
            and not map_not_a_count(s.text):
        return s.candidate(i, "mines_mapped", n.value, "metric.mines-on-maps", n.end + u.end)
    why_not = s.items_not_clearance_at(i, n.end + u.end)
    if why_not is None and n.kind != "article" and a_difference(s.before(i, 40), s.tails[i][u.end:]):
        why_not = "metric.not-a-difference"
    return why_not or s.candidate(i, u.metric, n.value, rule, n.end + u.end)


def _label(s: _Sentence, i: int):
    n = s.nums[i]
    if n.kind == "article" or not s.may_have_labels or not _rx()["label_tail"].match(s.tails[i]):
        return None
    # the label comes first: "- Anti-tank mines: 12", "UXO – 410", "mines numbering 39"
    lab = label_before(s.before(i))
    if lab is None:
        return None
    lu, words = lab
    if lu.metric in PEOPLE:
        why_not = s.people_not_mines
    elif lu.metric in ("area_ha", "roads_km"):
        why_not = s.area_not_cleared(i, n.end)
    else:
        why_not = s.items_not_clearance
    return why_not or s.candidate(i, lu.metric, n.value * lu.factor, "metric.label-before-number", n.end, words)


def _table_column(s: _Sentence, i: int):
    """"| Kalbajar | 1,216 | 402 |" under "| District | Anti-personnel mines | Anti-tank mines |": a number in a
    table row takes the metric its column's header names, else the one its row's label names ("| UXO | 140 |
    222 |" under "| Item | Aghdam | Fuzuli |") (tables.py)."""
    n = s.nums[i]
    if s.columns is None or n.kind == "article":
        return None
    cell = next((c for c in s.columns if c[0] <= n.start and n.end <= c[1]), None)
    if cell is None:
        return None
    got = header_metric(cell[2])
    if got is None and cell is not s.columns[0]:
        got = header_metric(s.text[s.columns[0][0]:s.columns[0][1]])
    if got is None:
        return None
    u, words = got
    if u.metric in PEOPLE:
        why_not = s.people_not_mines
    elif u.metric in ("area_ha", "roads_km"):
        why_not = None
    else:
        why_not = s.items_not_clearance
    return why_not or s.candidate(i, u.metric, n.value * u.factor, "metric.table-column", n.end, words)


def _under_a_caption(s: _Sentence, i: int):
    """"Mines found in 2023 by district: Aghdam – 1,120, Fuzuli – 980", "The area cleared by districts (in
    hectares):" + "- Aghdam: 11,480.3": a bare number of a list takes the metric its caption names (the words
    before the colon that opens the list, or the line before the list's lines)."""
    n = s.nums[i]
    if n.kind != "digits" or _YEARISH.match(n.text) or not _rx()["caption_item_tail"].match(s.tails[i]):
        return None
    caption = s.caption
    if caption is None:
        # a list in the sentence after the colon that closes its caption: each item a short label and its number
        colon = s.text.rfind(": ", 0, n.start)
        item = _rx()["caption_inline_item"].search(s.text, colon, n.start) if colon > 0 else None
        caption = s.text[max(0, colon - 120):colon] if item is not None else None
    u = caption_metric(caption) if caption else None
    if u is None:
        return None
    if u.metric in PEOPLE:
        why_not = s.people_not_mines
    elif u.metric in ("area_ha", "roads_km"):
        why_not = None
    else:
        why_not = s.items_not_clearance
    return why_not or s.candidate(i, u.metric, n.value * u.factor, "metric.list-under-a-caption", n.end)


def _number_of_items(s: _Sentence, i: int):
    n = s.nums[i]
    if n.kind != "digits" or not s.may_name_a_number_of:
        return None
    # "this brings the number of mines and UXO found since 2020 to 56,000"
    metric = _item_named_before(s.before(i))
    if metric and s.items_ok:
        return s.candidate(i, metric, n.value, "metric.number-of-items", n.end)
    return None


def _casualty(s: _Sentence, i: int):
    n, tail = s.nums[i], s.tails[i]
    if not s.may_name_people:
        return None
    before = s.before(i)
    if n.kind == "word" and people.told_again(before, tail):
        return "metric.people-told-again"
    c, rule = people.from_active_verb(before, tail), "metric.casualty-verb-before"
    if c is None:
        c, rule = people.from_tail(tail), "metric.casualty-verb-after"
    if c is None and n.kind != "article":
        c, rule = people.part_of_named(tail), "metric.part-of-the-people-named"
    if c is None and n.kind != "article":
        c, rule = people.past_the_parts(s.text[n.end:]), "metric.casualty-verb-past-the-parts"
    if c is None and n.kind != "article":
        c, rule = people.subset_of(before, tail) or people.group_total(before), "metric.group-of-the-victims"
    if c is None and n.kind != "article":
        # "300 people were hit by mines, 228 of them civilians"
        prev = next((x for x in reversed(s.res[:i]) if x is not None and x.metric in PEOPLE), None)
        c, rule = people.part_of_them(tail, prev.metric if prev else None), "metric.group-of-the-victims"
        if c is None and prev is None and s.previous and not before.strip():
            # "Five people were injured ... Two of them are servicemen": a group part of the people counted in the
            # sentence before
            c = people.part_of_them(tail, _last_people_metric(s.previous))
        if c is None:
            c, rule = people.part_without_verb(tail, prev.metric if prev else None), "metric.part-of-the-people-before"
    if c is None and n.kind != "article":
        # "the civilians among the victims numbered 189, while 107 were servicemen"
        prev = next((x for x in reversed(s.res[:i]) if x is not None and x.metric in PEOPLE
                     and groups.group_of(x.group_phrase)), None)
        c, rule = people.contrast_part(tail, prev.metric if prev else None), "metric.contrast-of-groups"
    if c is None:
        c, rule = people.subject_before(before, tail), "metric.casualty-subject"
    if c is None and n.kind == "digits":
        c, rule = people.from_noun_before(before, s.text[n.end:n.end + 100]), "metric.casualty-noun-before"
    if c is None or (c.hit and n.kind == "article"):
        return None   # "a farmer's tractor hit a mine": who was hit is told elsewhere, if at all
    if s.people_not_mines:
        return s.people_not_mines
    if s.battle_clause(n.start):
        return "metric.not-mine-casualty"
    got = s.candidate(i, c.metric, n.value, rule, n.end, c.group_phrase)
    got.hit = c.hit
    return got


NUMBER_RULES = (_percent, _area, _road, _items, _table_column, _label, _number_of_items, _casualty, _under_a_caption)


# --- one sentence ----------------------------------------------------------------------------------------------

def _bare_singulars(text: str, nums: list[Num]) -> list[Num]:
    if not any(v in text for v in load("figures")["bare_singular_verbs"]):
        return []
    out = []
    for m in _rx()["bare_singular"].finditer(text):
        if groups.group_of(m.group(0)) and not any(n.start <= m.start() < n.end for n in nums):
            out.append(Num(m.start(), m.start(), 1.0, "article", "", "metric.wire-style-singular"))
    return out


def sentence_candidates(text: str, blocked: list[tuple[int, int]], context_text="",
                        dropped: list | None = None, columns=None, caption: str | None = None,
                        previous: str = "") -> list[Candidate]:
    """Figures of one sentence. `blocked` are spans (dates, cue phrases) whose digits are no counts;
    `context_text` is the text around the sentence, or a function that gives it; with `dropped`, the numbers
    set aside as no figure are appended to it as (Num, rule id); `columns`: the (start, end, header) of the cells
    of a table row (tables.py), or None; `caption`: the line a list line is an item of, or None; `previous`: the
    sentence before ("Of them, 1,937 were ..." counts its items)."""
    people.new_sentence()
    nums = find_numbers(text, dropped, blocked)
    bare = _bare_singulars(text, nums)
    if bare:
        nums = sorted(nums + bare, key=lambda n: n.start)
    # "a"/"an" counts only right before what it counts ("an anti-tank mine", "a civilian was hurt");
    # other articles must not cut the phrase of the number before them
    people_words = bool(_rx()["casualty_hint"].search(text.lower())) if any(n.kind == "article" for n in nums) else False
    nums = [n for n in nums if n.kind != "article"
            or _article_counts(text[max(0, n.start - 300):n.start], text[n.end:n.end + 100], n.text, people_words)]
    if not nums:
        return []
    s = _Sentence(text, context_text, nums, columns, caption, previous)
    for i in range(len(nums)):
        for rule in NUMBER_RULES:
            got = rule(s, i)
            if got is None:
                continue
            if isinstance(got, Candidate):
                s.res[i] = got
            elif got and dropped is not None:
                dropped.append((nums[i], got))
            break
    lists.apply(s)
    if dropped is not None:
        dropped.extend(s.dropped)
    out = []
    for c in s.res:
        if c is None or not math.isfinite(c.value):
            continue   # a number too long to be a count ("999...9 farmer was killed and 8 others ...")
        if c.metric in PEOPLE:
            c.group, c.group_rule = groups.candidate_group(text, c)
        else:
            c.group, c.group_rule = None, ""
        out.append(c)
    groups.bracketed_parts(text, out)
    groups.elided_people(text, out)
    return _drop_parenthetical_repeats(text, out, dropped)


_YEARISH = re.compile(r"^(?:19[5-9]\d|20[0-4]\d)$")


def _item_named_before(before: str) -> str | None:
    r = _rx()
    if not r["link_end"].search(before):
        return None
    m = None
    for m in r["number_of"].finditer(before[-160:]):
        pass
    if m is None:
        return None
    window = before[-160:]
    of = load("figures")["number_of_word"]
    for start in (m.start() + len(m.group(0).split(of, 1)[0]) + len(of), m.end()):
        u = item_metric(window[start:])
        if u:
            return u.metric
    return None


def _in_apposition(before: str) -> bool:
    """Whether text ending in `before` opens an apposition: a dash, or a comma right after people named."""
    b = before.rstrip()
    if b.endswith(("–", "—", "-")):
        return True
    return b.endswith(",") and people.people_in(b[-40:-1].rsplit(",", 1)[-1])


def _article_counts(before: str, after: str, article: str = "", people_words: bool = True) -> bool:
    if item_metric(after[:80]):
        return True
    if not people_words:
        return False   # no word of hurt people in the sentence
    if _rx()["apposition_after_part"].search(before) or people.counted_person_before(before):
        # "One of the wounded, a senior lieutenant, later died", "another civilian, a worker of a construction
        # company, was injured": who the person is, not one more
        return False
    part = people.part(after[:60])
    if part and _rx()["casualty_words"].search(before):
        return True   # "... were hurt, two deminers and a soldier": a part of a total
    if part and part[1] == "and" and _rx()["casualty_words"].search(after[:100]) \
            and not _in_apposition(before):
        # "A shepherd and two soldiers were injured", "On May 3, a civilian and a soldier were injured": the first
        # of coordinated people (not inside an apposition: "two people – a soldier and a shepherd – were injured",
        # "two people, a soldier and a shepherd, were injured")
        return True
    if people.subject_before(before, after[:60]):
        return True   # "The dead are two shepherds and a teenager"
    c = people.from_active_verb(before, after[:80]) or people.from_tail(after[:80])
    if c and not c.group_phrase and _rx()["ordinal_one"].fullmatch(article):
        return True   # "two were killed and a third was injured", "another was wounded"
    return bool(c and c.group_phrase and people.people_in(c.group_phrase))


@lru_cache(maxsize=None)
def _map_words() -> tuple[str, ...]:
    return tuple(w.lower() for w in load("figures")["map_words"])


@lru_cache(maxsize=None)
def _map_rx():
    d = load("figures")
    return re.compile(d["map_clause_break"]), [w.lower() for w in d["map_words"]]


def _map_after(text: str, pos: int) -> bool:
    """"92,000 more mines ... were recorded on maps provided on July 3": the map named after the number,
    in its clause."""
    window = text[pos:pos + 120]
    low = window.lower()
    brk, words = _map_rx()
    if not any(w in low for w in words):
        return False
    clause = brk.split(window, maxsplit=1)[0]
    return bool(cue("map_record").search(clause))


def _map_before(text: str, pos: int) -> bool:
    """Mines counted on a map named earlier in the sentence ("obtained a map of the Aghdam minefields on
    June 12 ...; the document shows 97,000 mines"), unless the words after the map say the mines were
    cleared; after a far map or another clause, also the words right after the number ("... refuses to
    hand over the maps; in May, 1,200 mines were found")."""
    window = text[max(0, pos - 160):pos]
    m = None
    for m in cue("map").finditer(window):
        pass
    if not m:
        return False
    clear = cue("clearance_verbs")
    if clear.search(window[m.end():]):
        return False
    near = len(window) - m.end() <= 90 and ";" not in window[m.end():]
    return near or not clear.search(text[pos:pos + 80])


_CONVERSION_MARK = re.compile(r"[(\-–—]|\bor\b")
# a clause that restates what comes before it ("..., or roughly 10,000 square kilometres, is ...")
_RESTATEMENT = re.compile(r"\s*(?:or|i\.e\.|that is)\s", re.I)
_CONVERSION_LEADS = ("-", "–", "—", " or", ", or")


def _drop_parenthetical_repeats(text: str, cands: list[Candidate], dropped: list | None) -> list[Candidate]:
    """"15,075,602 square meters (1,507 ha)", "(about 891 ha)": the bracketed conversion is the same figure
    again; a hedged one is rounded, so it may differ more."""
    out: list[Candidate] = []
    for c in cands:
        if not out or not _CONVERSION_MARK.search(text, max(0, c.num.start - 30), c.num.start):
            out.append(c)
            continue
        _, qlen = qualifier_at(text, c.num.start)
        lead = text[: c.num.start - qlen].rstrip()
        # "(1,507 ha)", or hedged after a dash or "or": "241,806.4 hectares - roughly 2,418 square kilometres"
        if (lead.endswith("(") or (qlen and lead.endswith(_CONVERSION_LEADS) and c.metric in ("area_ha", "roads_km"))) \
                and out[-1].metric == c.metric and out[-1].group == c.group:
            prev = out[-1]
            if abs(prev.value - c.value) <= max(1.0, (0.05 if qlen else 0.01) * abs(prev.value)):
                if dropped is not None:
                    dropped.append((c.num, "metric.not-a-bracketed-conversion"))
                continue
        out.append(c)
    return out


def lone_victims(infos: list[SentenceInfo]) -> None:
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
        got = people.lone_victim(info.s.text, nxt.s.text if nxt is not None else "")
        if got is None:
            continue
        metric, pos, noun = got
        num = Num(pos, pos, 1.0, "article", "", "numbers.article")
        group = groups.group_of(noun)
        info.cands = sorted(info.cands + [Candidate(num, metric, 1.0, "exact", group=group, group_phrase=noun,
                                                    phrase_end=pos + len(noun), rule="metric.lone-victim",
                                                    group_rule="group.people-named" if group else "group.not-named")],
                            key=lambda c: c.num.start)
