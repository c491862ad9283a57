"""Step one of extraction: the figures of one sentence, before report context is applied.

A candidate knows its number, metric, value in the metric's unit, qualifier and group; scope, dates
and districts come later (`context.py`), because they may depend on other sentences.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cached_property

from minemap.extraction import casualties as cas
from minemap.extraction.metrics import (Unit, area_is_cleared, area_unit, clause_around, is_percent, item_metric,
                                items_are_clearance, km_unit, road_context)
from minemap.extraction.labels import label_before, topic_metric
from minemap.extraction.numbers import Num, find_numbers
from minemap.extraction.qualifiers import qualifier
from minemap.extraction.lang import cue

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


_PARTITIVE = re.compile(r"(?i)\s*of\s+(?:the|those|these)\s+")
_OF_ITEMS = re.compile(r"(?i)\bof\s+(?:the|those|these|all)\s+((?:[\w-]+\s+){0,3}?[\w-]+)\s*,\s*$")
_COPULA = re.compile(r"(?i)\s*(?:were|was|are|is)\s+(?:all\s+|mostly\s+)?")
# after a labelled number: the line or clause ends, or a verb follows ("numbering 2,315 were removed")
_LABEL_TAIL = re.compile(r"(?i)^\s*(?:$|[,;.)(:]|(?:and|or|were|was|have|has|had|pcs|pieces|units|in|on|during|"
                         r"from|respectively)\b|[–—-]\s)")
_YEARISH = re.compile(r"^(?:19[5-9]\d|20[0-4]\d)$")
# a bare number after a figure: "..., 2,400", "... and 12 in Fuzuli", "...; in Lachin, 80."
_GAP_TAIL = re.compile(r"(?i)^\s*(?:in\s+(?:the\s+)?(?-i:[A-Z])[\w'’-]+(?:\s+(?:district|region|city))?\s*"
                       r"(?=[,;.)]|and\b|$))?(?:[,;.)]|and\b|or\b|respectively\b|$)")


def _next_start(nums: list[Num], i: int, text: str) -> int:
    """End of the words that belong to number i: the next number that is no article ("a", "an")."""
    for n in nums[i + 1:]:
        if n.kind != "article":
            return n.start
    return len(text)


# wire style: "Serviceman killed, two others wounded", "Soldier wounded in blast": a clause that opens with a
# singular people noun (no article, no number) and a casualty participle counts one person
_BARE_SINGULAR = re.compile(r"(?:^|(?<=[.;:,]\s))(?:[\"'‘“]\s*)?(?-i:[A-Z])[\w-]+?(?<![sS])(?<!(?i:men))"
                            r"(?=\s+(?:killed|wounded|injured|hurt|dies|died|maimed)\b)")


def _bare_singulars(text: str, nums: list[Num]) -> list[Num]:
    out = []
    for m in _BARE_SINGULAR.finditer(text):
        if cas.group_of(m.group(0)) and not any(n.start <= m.start() < n.end for n in nums):
            out.append(Num(m.start(), m.start(), 1.0, "article", ""))
    return out


def _overlaps(n: Num, spans) -> bool:
    return any(not (n.end <= a or n.start >= b) for a, b in spans)


def sentence_candidates(text: str, blocked: list[tuple[int, int]], context_text: str = "") -> list[Candidate]:
    """Figures of one sentence. `blocked` are spans (dates, cue phrases) whose digits are no counts."""
    nums = [n for n in find_numbers(text) if not _overlaps(n, blocked)]
    bare = _bare_singulars(text, nums)
    if bare:
        nums = sorted(nums + bare, key=lambda n: n.start)
    # "a"/"an" counts only right before what it counts ("an anti-tank mine", "a civilian was hurt");
    # other articles must not cut the phrase of the number before them
    nums = [n for n in nums if n.kind != "article" or _article_counts(text[:n.start], text[n.end:], n.text)]
    if not nums:
        return []
    res: list[Candidate | None] = [None] * len(nums)
    tails = []
    for i, n in enumerate(nums):
        nxt = nums[i + 1].start if i + 1 < len(nums) else len(text)
        tails.append(text[n.end:nxt])

    facts = _Facts(text, context_text)
    listed: list[tuple[int, Unit]] = []

    for i, n in enumerate(nums):
        tail = tails[i]
        if is_percent(tail) or n.value != n.value or n.value == float("inf"):
            continue
        q, qlen = qualifier(text[: n.start])
        before = text[: n.start - qlen]
        if n.kind != "article":
            u = area_unit(tail)
            if u:
                # "2,000 ha were cleared and 3,000 more will be": the clause ends at the next number
                if area_is_cleared(clause_around(text[:_next_start(nums, i, text)], n.start, n.end + u.end)):
                    res[i] = Candidate(n, "area_ha", n.value * u.factor, q, phrase_end=n.end + u.end)
                continue
            u = km_unit(tail)
            if u:
                if road_context(tail[u.end:], clause_around(text, n.start, n.end + u.end)):
                    res[i] = Candidate(n, "roads_km", n.value, q, phrase_end=n.end + u.end)
                continue
        u = item_metric(tail)
        if u is None and n.kind != "article":
            # "Some 96 of the unexploded ordnance were found": a part of the items named before
            part_of = _PARTITIVE.match(tail)
            if part_of:
                u = item_metric(tail[part_of.end():])
                u = Unit(u.metric, u.factor, part_of.end() + u.end) if u else None
        if u is None and n.kind != "article" and _COPULA.match(tail):
            # "Of the mines, 120 were discovered": the items named before the number, then a verb
            lead = _OF_ITEMS.search(before[-80:])
            u0 = item_metric(lead.group(1)) if lead else None
            if u0 is not None and u0.end >= len(lead.group(1).rstrip()) - 1:
                u = Unit(u0.metric, u0.factor, 0)
        if u is None and n.kind != "article":
            # "Of these, 38 were anti-tank mines": the number is the subject, the noun follows a copula
            cop = _COPULA.match(tail)
            if cop:
                u = item_metric(tail[cop.end():])
                u = Unit(u.metric, u.factor, cop.end() + u.end) if u else None
        if u and not re.match(r"(?i)^\s*mines?\s+(?:action|clearance)", tail):
            if n.kind == "article" and (facts.incident or facts.casualty_words):
                continue
            if n.kind == "article" and not facts.clearance:
                listed.append((i, u))   # counts only as an item of a list of counts (see below)
                continue
            if n.kind == "article" and u.metric not in ("ap_mines", "at_mines", "mines", "uxo"):
                continue
            # mines planted or estimated are contamination, not clearance: judged clause by clause
            mapped = _map_before(text, n.start) or _map_after(text, n.end + u.end) or facts.context_map
            if mapped or items_are_clearance(
                    clause_around(text[:_next_start(nums, i, text)], n.start, n.end + u.end)):
                metric = "mines_mapped" if mapped else u.metric
                res[i] = Candidate(n, metric, n.value, q, phrase_end=n.end + u.end)
            continue
        if n.kind != "article" and _LABEL_TAIL.match(tail):
            # the label comes first: "- Anti-tank mines: 12", "UXO – 410", "mines numbering 39"
            lab = label_before(before)
            if lab is not None:
                lu, phrase = lab
                if lu.metric in PEOPLE:
                    ok = facts.people_ok
                elif lu.metric in ("area_ha", "roads_km"):
                    ok = area_is_cleared(clause_around(text[:_next_start(nums, i, text)], n.start, n.end))
                else:
                    ok = facts.items_ok
                if ok:
                    res[i] = Candidate(n, lu.metric, n.value * lu.factor, q, group_phrase=phrase, phrase_end=n.end)
                continue
        if n.kind == "digits":
            # "this brings the number of mines and UXO found since 2020 to 56,000"
            u2 = _item_named_before(before)
            if u2 and facts.items_ok:
                res[i] = Candidate(n, u2, n.value, q, phrase_end=n.end)
                continue
        c = cas.from_active_verb(before, tail) or cas.from_tail(tail)
        if c is None and n.kind != "article":
            c = cas.subset_of(before, tail) or cas.group_total(before)
        if c is None and n.kind != "article":
            # "the civilians among the victims numbered 189, while 107 were servicemen"
            prev = next((x for x in reversed(res[:i]) if x is not None and x.metric in PEOPLE
                         and cas.group_of(x.group_phrase)), None)
            c = cas.contrast_part(tail, prev.metric if prev else None)
        if c is None:
            c = cas.subject_before(before, tail)
        if c is None and n.kind == "digits":
            c = cas.from_noun_before(before)
        if c and facts.people_ok and not facts.battle_clause(n.start):
            res[i] = Candidate(n, c.metric, n.value, q, group_phrase=c.group_phrase, phrase_end=n.end)

    for i, u in listed:
        _article_in_list(text, nums, res, i, u)
    if "respectively" in text:
        _respectively(text, nums, res, facts)
    if any(c is None for c in res):
        _topic_list(text, nums, tails, res, facts)
    _gapping(text, nums, tails, res)
    if any(c is None for c in res) and any(c is not None and c.metric in PEOPLE for c in res):
        _appositive_parts(text, nums, tails, res)
        _coordination_and_parts(text, nums, tails, res, facts.people_ok)
        _total_of_parts(text, nums, tails, res)

    out = []
    for i, c in enumerate(res):
        if c is None or not math.isfinite(c.value):
            continue   # a number too long to be a count ("999...9 farmer was killed and 8 others ...")
        if c.metric in PEOPLE:
            c.group = _group(text, c)
        else:
            c.group = None
        out.append(c)
    _bracketed_parts_group(text, out)
    return _drop_parenthetical_repeats(text, out)


def _bracketed_parts_group(text: str, cands: list[Candidate]) -> None:
    """"civilian victims numbered 189 (37 killed, 152 injured)": parts in brackets after a total of one
    group are of that group."""
    for k, c in enumerate(cands):
        if c.metric not in PEOPLE or c.group is not None:
            continue
        opened = text.rfind("(", 0, c.num.start)
        if opened < 0 or ")" in text[opened:c.num.start]:
            continue
        owner = next((x for x in reversed(cands[:k]) if x.num.end <= opened), None)
        if owner is not None and owner.metric in PEOPLE and owner.group \
                and re.fullmatch(r"[\w\s-]{0,25}", text[owner.num.end:opened]):
            c.group = owner.group


class _Facts:
    """Sentence-wide facts, computed only when a rule asks (most sentences need few of them)."""

    def __init__(self, text: str, context_text: str):
        self.text, self.context_text = text, context_text

    @cached_property
    def clearance(self) -> bool:
        return bool(cue("clearance_verbs").search(self.text))

    @cached_property
    def context_map(self) -> bool:
        """"... the minefield maps that Armenia handed over. The first set, passed on June 12, covered 97,000
        mines": a hand-over told without the word "map", right after maps handed over, is a map's count."""
        return bool(cue("handover").search(self.text) and not cue("map").search(self.text)
                    and not cue("clearance_verbs").search(self.text)
                    and cue("map").search(self.context_text) and cue("handover").search(self.context_text))

    @cached_property
    def incident(self) -> bool:
        return bool(cue("incident").search(self.text))

    @cached_property
    def casualty_words(self) -> bool:
        return bool(_CASUALTY_WORDS.search(self.text))

    @cached_property
    def items_ok(self) -> bool:
        return items_are_clearance(self.text)

    def battle_clause(self, pos: int) -> bool:
        """"...; Baku says 80 servicemen were killed in the clashes": a clause of fighting without mines in a
        sentence that names a mine elsewhere."""
        a = self.text.rfind(";", 0, pos) + 1
        b = self.text.find(";", pos)
        clause = self.text[a:b if b >= 0 else len(self.text)]
        return bool(cue("war_casualty").search(clause) or cue("shelling").search(clause)) \
            and not cue("mine_context").search(clause)

    @cached_property
    def people_ok(self) -> bool:
        """Casualties of mines: mines named in the sentence or its paragraph, and no shelling or crash."""
        if cue("shelling").search(self.text):
            return False
        if cue("mine_context").search(self.text):
            return True
        # mines only in the paragraph: war losses and battle casualties are still no mine victims
        return bool(cue("mine_context").search(self.context_text)) and not cue("war_casualty").search(self.text)


_CASUALTY_WORDS = re.compile(r"(?i)\b(?:killed|injured|wounded|died|dead|hurt)\b")


_NUMBER_OF = re.compile(r"(?i)\b(?:number|total|count|tally)\s+of\s+(?:the\s+)?(?:[\w-]+\s+)?")
_LINK_END = re.compile(r"(?i)(?:\b(?:reached|rose to|risen to|increased to|grew to|climbed to|stood at|stands at|amounted to|"
                       r"amounts to|totall?ed|totals|is|was|were|are|hit|exceeded|surpassed|to|at)\s*)$")


def _item_named_before(before: str) -> str | None:
    if not _LINK_END.search(before):
        return None
    m = None
    for m in _NUMBER_OF.finditer(before[-160:]):
        pass
    if m is None:
        return None
    window = before[-160:]
    for start in (m.start() + len(m.group(0).split(" of ", 1)[0]) + 4, m.end()):
        u = item_metric(window[start:])
        if u:
            return u.metric
    return None


_ORDINAL_ONE = re.compile(r"(?i)^(?:another|a\s+(?:second|third|fourth|fifth|sixth))$")


def _article_counts(before: str, after: str, article: str = "") -> bool:
    if item_metric(after[:80]):
        return True
    if cas.part(after[:60]) and _CASUALTY_WORDS.search(before):
        return True   # "... were hurt, two deminers and a soldier": a part of a total
    if cas.subject_before(before, after[:60]):
        return True   # "The dead are two shepherds and a teenager"
    c = cas.from_active_verb(before, after[:80]) or cas.from_tail(after[:80])
    if c and not c.group_phrase and _ORDINAL_ONE.match(article):
        return True   # "two were killed and a third was injured", "another was wounded"
    return bool(c and c.group_phrase and cas.people_in(c.group_phrase))


_LIST_JOIN = re.compile(r"(?i)^\s*(?:,\s*(?:and\s+)?|and\s+)$")
_ITEMS = ("ap_mines", "at_mines", "mines", "uxo", "explosive_items")


def _article_in_list(text, nums, res, i, u: Unit) -> None:
    """"The haul consisted of 38 anti-personnel mines, an anti-tank mine and 175 munitions": without a
    clearance verb, "an anti-tank mine" counts as one when it sits in a list between item counts."""
    n = nums[i]
    if u.metric not in _ITEMS:
        return
    prev = res[i - 1] if i > 0 else None
    nxt = res[i + 1] if i + 1 < len(nums) else None
    if prev is not None and prev.metric in _ITEMS and _LIST_JOIN.match(text[prev.phrase_end:n.start]) \
            or nxt is not None and nxt.metric in _ITEMS and _LIST_JOIN.match(text[n.end + u.end:nxt.num.start]):
        res[i] = Candidate(n, u.metric, 1.0, "exact", phrase_end=n.end + u.end)


def _map_after(text: str, pos: int) -> bool:
    """"92,000 more mines ... were recorded on maps provided on July 3": the map named after the number,
    in its clause."""
    window = text[pos:pos + 120]
    low = window.lower()
    if "map" not in low and "formular" not in low:
        return False
    clause = re.split(r"[;.]|,\s+(?:and|while|but)\s", window, maxsplit=1)[0]
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


_RESPECTIVELY = re.compile(r"(?i)\brespectively\b")
_NUM_LIST = re.compile(r"(?i)^\s*(?:,\s*(?:and\s+)?|and\s+|or\s+)$")
_WORD_LIST = re.compile(r"(?i)\s*,\s*(?:and\s+)?|\s+(?:and|or)\s+")
# the words right before a list of numbers: "Civilians and servicemen accounted for", "killed and injured were"
_VERB_LINK = re.compile(r"(?i)\s+(?:accounted\s+for|made\s+up|numbered|totall?ed|were|was|are|came\s+to|"
                        r"stood\s+at|amounted\s+to|with)\s+(?:(?:about|some|over|more than|nearly)\s+)?$")


def _word_list(phrase: str) -> list[str]:
    return [w.strip() for w in _WORD_LIST.split(phrase.strip()) if w.strip()]


def _respectively(text, nums, res, facts) -> None:
    """"58 and 12 anti-personnel and anti-tank mines respectively", "Civilians and servicemen accounted for
    214 and 127 of those victims respectively", "the killed and injured numbered 37 and 152 respectively",
    "5,963.0 and 3,118.6 hectares ... in Kalbajar and Lachin respectively": the i-th number of a list
    goes with the i-th item of a list of the same length (places: `places.respective_codes`)."""
    lo = 0
    for r in _RESPECTIVELY.finditer(text):
        run: list[int] = []
        for i, n in enumerate(nums):
            if not lo <= n.start < r.start() or n.kind == "article":
                continue
            run = run + [i] if run and _NUM_LIST.match(text[nums[run[-1]].end:n.start]) else [i]
        seg_lo, lo = lo, r.end()
        if len(run) < 2:
            continue
        k, last = len(run), res[run[-1]]
        after = text[nums[run[-1]].end:r.start()].strip(" ,")
        head = re.split(r"(?i)[,;:]|\b(?:while|whereas|but)\b", text[seg_lo:nums[run[0]].start])[-1]
        link = _VERB_LINK.search(head)
        before = _word_list(head[:link.start()])[-k:] if link else []
        before = [re.sub(r"(?i)^(?:the|both)\s+", "", w) for w in before]
        words = _word_list(after)
        # types after the numbers: "anti-personnel and anti-tank mines", the noun shared by the list
        if len(words) == k and not (last is not None and last.metric == "area_ha"):
            noun = words[-1].split()[-1]
            units = [item_metric(w + " " + noun) if not item_metric(w) else item_metric(w) for w in words]
            if all(units) and len({u.metric for u in units}) == k and facts.items_ok:
                for i, u in zip(run, units):
                    q, _ = qualifier(text[: nums[i].start])
                    res[i] = Candidate(nums[i], u.metric, nums[i].value, q, phrase_end=nums[i].end)
                continue
        # casualty metrics or groups named before the numbers
        if len(before) == k and facts.people_ok:
            metrics = [cas.metric_named(w) for w in before]
            groups = [cas.group_of(w) for w in before]
            if all(metrics) and len(set(metrics)) == k:
                for i, m in zip(run, metrics):
                    q, _ = qualifier(text[: nums[i].start])
                    res[i] = Candidate(nums[i], m, nums[i].value, q, phrase_end=nums[i].end)
                continue
            metric = last.metric if last is not None and last.metric in PEOPLE else cas.metric_named(after)
            if all(groups) and len(set(groups)) == k and metric:
                for i, w in zip(run, before):
                    q, _ = qualifier(text[: nums[i].start])
                    res[i] = Candidate(nums[i], metric, nums[i].value, q, group_phrase=w, phrase_end=nums[i].end)
                continue
        # one unit for all: "5,963.0 and 3,118.6 hectares respectively"
        if last is not None and last.metric not in PEOPLE:
            factor = last.value / last.num.value if last.num.value else 1.0
            for i in run[:-1]:
                if res[i] is None:
                    q, _ = qualifier(text[: nums[i].start])
                    res[i] = Candidate(nums[i], last.metric, nums[i].value * factor, q, phrase_end=nums[i].end)


def _topic_list(text, nums, tails, res, facts) -> None:
    """"In terms of mines and UXO found, ANAMA reported 13,206, the Defence Ministry 9,344 and ...": bare
    numbers after a phrase that names their metric once (`labels.topic_metric`)."""
    t = topic_metric(text)
    if t is None:
        return
    end, u = t
    ok = facts.people_ok if u.metric in PEOPLE else (
        area_is_cleared(text) if u.metric in ("area_ha", "roads_km") else facts.items_ok)
    if not ok:
        return
    for i, n in enumerate(nums):
        if n.start < end or n.kind != "digits" or _YEARISH.match(n.text):
            continue
        if res[i] is not None or not _GAP_TAIL.match(tails[i]):
            break     # the list ends at a number that counts something else
        q, _ = qualifier(text[: n.start])
        res[i] = Candidate(n, u.metric, n.value * u.factor, q, phrase_end=n.end)


def _gapping(text, nums, tails, res) -> None:
    """"ANAMA found 22,600 mines, the Ministry of Defence 2,400, ...": a bare number repeats the metric."""
    last = None
    for i, n in enumerate(nums):
        c = res[i]
        if c is not None:
            last = c if c.metric not in PEOPLE else None
            continue
        if last is None or n.kind != "digits" or _YEARISH.match(n.text):
            continue
        if not _GAP_TAIL.match(tails[i]):
            continue
        between = text[last.num.end:n.start]
        if re.search(r"(?i)\b(?:in|on|since|from|at|until|of)\s*$", between):
            continue
        q, _ = qualifier(text[: n.start])
        factor = last.value / last.num.value if last.num.value else 1.0
        res[i] = Candidate(n, last.metric, n.value * factor, q, phrase_end=n.end)


def _appositive_parts(text, nums, tails, res) -> None:
    """"Three people were hurt, two civilian deminers and a soldier, when ...": parts in apposition after
    the verb count only when they add up to the total (else "five were hurt, three of them badly")."""
    for j, total in enumerate(res):
        if total is None or total.metric not in PEOPLE or not tails[j].rstrip().endswith(","):
            continue
        if cas.from_tail(tails[j]) is None:
            continue
        parts, k = [], j + 1
        while k < len(nums) and res[k] is None:
            p = cas.part(tails[k])
            if p is None:
                break
            parts.append((k, p[0]))
            k += 1
            if p[1].lower() not in (",", "and", "or"):
                break
        if len(parts) < 2 or abs(sum(nums[i].value for i, _ in parts) - nums[j].value) > 1e-9:
            continue
        for i, phrase in parts:
            q, _ = qualifier(text[: nums[i].start])
            res[i] = Candidate(nums[i], total.metric, nums[i].value, q, group_phrase=phrase, phrase_end=nums[i].end)


def _coordination_and_parts(text, nums, tails, res, people_ok: bool) -> None:
    if not people_ok:
        return
    for _ in range(3):
        changed = False
        for i in range(len(nums) - 1, -1, -1):
            if res[i] is not None:
                continue
            g = cas.group_only(tails[i])
            if not g:
                continue
            phrase, conn = g
            n = nums[i]
            q, _ = qualifier(text[: n.start])
            # coordination: "29 civilians and seven servicemen were killed"
            # ("49 civilians and 23 servicemen – and 340 were injured": a dash closes a list of parts)
            if conn and conn not in (".", ";") and conn[0] not in "–—" and i + 1 < len(nums) and res[i + 1] is not None \
                    and res[i + 1].metric in PEOPLE:
                res[i] = Candidate(n, res[i + 1].metric, n.value, q, group_phrase=phrase, phrase_end=n.end)
                changed = True
                continue
            # parts of a total: "seven were injured: four workers and three soldiers"
            for j in range(i - 1, -1, -1):
                if res[j] is not None and res[j].metric in PEOPLE:
                    if cas.has_parts_marker(text[nums[j].end:n.start]):
                        res[i] = Candidate(n, res[j].metric, n.value, q, group_phrase=phrase, phrase_end=n.end)
                        changed = True
                    break
        if not changed:
            break


def _total_of_parts(text, nums, tails, res) -> None:
    """"45 persons, including 38 civilians and 7 servicemen, were killed": the total is a figure as well as
    its parts (figures.md "Totals and parts"); it takes the parts' metric."""
    for i in range(len(nums) - 1):
        if res[i] is not None or nums[i].kind == "article":
            continue
        nxt = res[i + 1]
        if nxt is None or nxt.metric not in PEOPLE or not cas.group_of(nxt.group_phrase):
            continue
        phrase = cas.total_before_parts(tails[i])
        if phrase is None:
            continue
        q, _ = qualifier(text[: nums[i].start])
        res[i] = Candidate(nums[i], nxt.metric, nums[i].value, q, group_phrase=phrase, phrase_end=nums[i].end)


def _group(text: str, c: Candidate) -> str | None:
    g = cas.group_of(c.group_phrase)
    if g:
        return g
    if cas.is_anaphor(c.group_phrase) or cas.inherits_group(c.group_phrase) or (
            not c.group_phrase and cas.inherits_group(c.num.text)):
        # "three of them": the people named last before the number; when those are named without a
        # group ("31 people became mine victims, 9 of whom were killed"), a group word further back
        # ("a threat to returning residents: ...") is not theirs
        before = text[: c.num.start]
        best = None
        for m in re.finditer(r"[\w'’\-]+(?:\s+[\w'’\-]+)?", before):
            g2 = cas.group_of(m.group(0))
            if g2:
                best = (m.end(), g2)
        plain = cas.last_plain_people(before)
        if best is not None and plain is not None and plain > best[0]:
            return None
        return best[1] if best else None
    return None


def _drop_parenthetical_repeats(text: str, cands: list[Candidate]) -> list[Candidate]:
    """"15,075,602 square meters (1,507 ha)", "(about 891 ha)": the bracketed conversion is the same figure
    again; a hedged one is rounded, so it may differ more."""
    out: list[Candidate] = []
    for c in cands:
        if not out or "(" not in text[max(0, c.num.start - 30):c.num.start]:
            out.append(c)
            continue
        _, qlen = qualifier(text[: c.num.start])
        if text[: c.num.start - qlen].rstrip().endswith("(") and out[-1].metric == c.metric \
                and out[-1].group == c.group:
            prev = out[-1]
            if abs(prev.value - c.value) <= max(1.0, (0.05 if qlen else 0.01) * abs(prev.value)):
                continue
        out.append(c)
    return out
