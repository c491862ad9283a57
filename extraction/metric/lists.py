"""What is counted by numbers in lists, which take their metric from another number or phrase of the list:

  "38 anti-personnel mines, an anti-tank mine and 175 munitions"       (an article between item counts)
  "58 and 12 anti-personnel and anti-tank mines respectively"          (the i-th number, the i-th noun)
  "In terms of mines found, ANAMA reported 13,206, the ministry 9,344"  (a metric named once before a list)
  "ANAMA found 22,600 mines, the Ministry of Defence 2,400"            (a bare number repeats the metric)
  "Three people were hurt, two civilian deminers and a soldier"        (parts in apposition)
  "29 civilians and seven servicemen were killed"                      (coordination)
  "seven were injured: four workers and three soldiers"                (parts of a total)
  "45 persons, including 38 civilians and 7 servicemen, were killed"    (the total before its parts)
Phrase patterns: data/<lang>/figures.yaml.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from minemap.extraction import group as groups
from minemap.extraction.lang import alternation, load, phrase
from minemap.extraction.metric import people
from minemap.extraction.metric.labels import topic_metric
from minemap.extraction.metric.units import Unit, area_is_cleared, item_metric

if TYPE_CHECKING:
    from minemap.extraction.metric.candidates import _Sentence

PEOPLE = ("killed", "injured", "victims")
_ITEMS = ("ap_mines", "at_mines", "mines", "uxo", "explosive_items")
_YEARISH = re.compile(r"^(?:19[5-9]\d|20[0-4]\d)$")


@lru_cache(maxsize=None)
def _rx():
    return {k: phrase("figures", k) for k in (
        "list_join", "respectively", "number_list_join", "word_list_split", "list_head_break", "verb_link",
        "list_word_lead", "gap_tail", "gap_place_tail", "gap_not_after", "list_before_last", "points_back_tail", "fatal_part", "fatal_tail",
        "place_bracket_before", "bracket_close")} | {
        "topic_hint": re.compile(alternation(load("labels")["topic_intro"]))}


def apply(s: _Sentence) -> None:
    """Give the numbers of `s` that no number rule decided a metric from the list they stand in."""
    for i, u in s.listed:
        _article_in_list(s, i, u)
    if load("figures")["respectively_hint"] in s.text:
        _respectively(s)
    if any(c is None for c in s.res) and _rx()["topic_hint"].search(s.lower):
        _topic_list(s)
    if any(c is None for c in s.res):
        _items_named_earlier(s)
    _gapping(s)
    _list_takes_the_last_metric(s)
    if any(c is not None and c.metric in PEOPLE for c in s.res):
        _whole_split_into_parts(s)
    if any(c is None for c in s.res) and any(c is not None and c.metric in PEOPLE for c in s.res):
        _appositive_parts(s)
        _objects_of_the_verb(s)
        _coordination_and_parts(s)
        _more_parts(s)
        _total_of_parts(s)
    if any(c is not None and c.rule == "metric.part-of-the-people-named" for c in s.res):
        _part_told_again(s)
    if any(c is not None and c.hit for c in s.res):
        _one_of_them_set_it_off(s)
        _victims_split(s)
    if "fatal" in s.lower:
        _hurt_some_fatally(s)
    _total_of_mines_and_uxo(s)


def _article_in_list(s: _Sentence, i: int, u: Unit) -> None:
    """Without a clearance verb, "an anti-tank mine" counts as one when it sits in a list between item counts."""
    n, res, join = s.nums[i], s.res, _rx()["list_join"]
    if u.metric not in _ITEMS:
        return
    prev = res[i - 1] if i > 0 else None
    nxt = res[i + 1] if i + 1 < len(s.nums) else None
    if prev is not None and prev.metric in _ITEMS and join.fullmatch(s.text, prev.phrase_end, n.start) \
            or nxt is not None and nxt.metric in _ITEMS and join.fullmatch(s.text, n.end + u.end, nxt.num.start):
        res[i] = s.candidate(i, u.metric, 1.0, "metric.article-in-a-list", n.end + u.end)


def _word_list(phrase_: str) -> list[str]:
    return [w.strip() for w in _rx()["word_list_split"].split(phrase_.strip()) if w.strip()]


def _respectively(s: _Sentence) -> None:
    """"58 and 12 anti-personnel and anti-tank mines respectively", "Civilians and servicemen accounted for
    214 and 127 of those victims respectively", "the killed and injured numbered 37 and 152 respectively",
    "5,963.0 and 3,118.6 hectares ... in Kalbajar and Lachin respectively": the i-th number of a list
    goes with the i-th item of a list of the same length (places: `where.respective_codes`)."""
    r, text, nums, res = _rx(), s.text, s.nums, s.res
    lo = 0
    for resp in r["respectively"].finditer(text):
        run: list[int] = []
        for i, n in enumerate(nums):
            if not lo <= n.start < resp.start() or n.kind == "article":
                continue
            run = run + [i] if run and r["number_list_join"].fullmatch(text, nums[run[-1]].end, n.start) else [i]
        seg_lo, lo = lo, resp.end()
        if len(run) < 2:
            continue
        k, last = len(run), res[run[-1]]
        after = text[nums[run[-1]].end:resp.start()].strip(" ,")
        head = r["list_head_break"].split(text[seg_lo:nums[run[0]].start])[-1]
        link = r["verb_link"].search(head)
        before = _word_list(head[:link.start()])[-k:] if link else []
        before = [r["list_word_lead"].sub("", w) for w in before]
        words = _word_list(after)
        # types after the numbers: "anti-personnel and anti-tank mines", the noun shared by the list
        if len(words) == k and not (last is not None and last.metric == "area_ha"):
            noun = words[-1].split()[-1]
            units = [item_metric(w + " " + noun) if not item_metric(w) else item_metric(w) for w in words]
            if all(units) and len({u.metric for u in units}) == k and s.items_ok:
                for i, u in zip(run, units):
                    res[i] = s.candidate(i, u.metric, nums[i].value, "metric.respectively", nums[i].end)
                continue
        # casualty metrics or groups named before the numbers
        if len(before) == k and s.people_ok:
            metrics = [people.metric_named(w) for w in before]
            if all(metrics) and len(set(metrics)) == k:
                for i, m in zip(run, metrics):
                    res[i] = s.candidate(i, m, nums[i].value, "metric.respectively", nums[i].end)
                continue
            metric = last.metric if last is not None and last.metric in PEOPLE else people.metric_named(after)
            if all(groups.group_of(w) for w in before) and len({groups.group_of(w) for w in before}) == k and metric:
                for i, w in zip(run, before):
                    res[i] = s.candidate(i, metric, nums[i].value, "metric.respectively", nums[i].end, w)
                continue
        # "3,906 anti-personnel and 1,212 anti-tank mines in Aghdam, while in Fuzuli the figures were 2,477 and
        # 1,015 respectively": bare numbers that repeat a list of figures of the sentence, item by item
        prev = [(j, res[j]) for j in range(run[0]) if res[j] is not None][-k:]
        if all(res[i] is None for i in run) and len(prev) == k and not words \
                and all(r["number_list_join"].fullmatch(text, prev[x][1].phrase_end, prev[x + 1][1].num.start)
                        or r["number_list_join"].fullmatch(text, nums[prev[x][0]].end, prev[x + 1][1].num.start)
                        for x in range(k - 1)):
            for i, (_, p) in zip(run, prev):
                factor = p.value / p.num.value if p.num.value else 1.0
                res[i] = s.candidate(i, p.metric, nums[i].value * factor, "metric.respectively", nums[i].end,
                                     p.group_phrase)
            continue
        # one unit for all: "5,963.0 and 3,118.6 hectares respectively"
        if last is not None and last.metric not in PEOPLE:
            factor = last.value / last.num.value if last.num.value else 1.0
            for i in run[:-1]:
                if res[i] is None:
                    res[i] = s.candidate(i, last.metric, nums[i].value * factor, "metric.respectively", nums[i].end)


def _topic_list(s: _Sentence) -> None:
    """Bare numbers after a phrase that names their metric once (`labels.topic_metric`)."""
    t = topic_metric(s.text)
    if t is None:
        return
    end, u = t
    ok = s.people_ok if u.metric in PEOPLE else (
        area_is_cleared(s.text) if u.metric in ("area_ha", "roads_km") else s.items_ok)
    if not ok:
        return
    gap_tail = _rx()["gap_tail"]
    for i, n in enumerate(s.nums):
        if n.start < end or n.kind != "digits" or _YEARISH.match(n.text):
            continue
        if s.res[i] is not None or not gap_tail.match(s.tails[i]):
            break     # the list ends at a number that counts something else
        s.res[i] = s.candidate(i, u.metric, n.value * u.factor, "metric.metric-named-before-a-list", n.end)


_WORD_START = re.compile(r"(?<![\w-])[\w-]")


def _items_named_earlier(s: _Sentence) -> None:
    """"Most of the anti-tank mines were found in Aghdam, where 2,870 of them were recovered", "the highest number of
    unexploded ordnance, 21,770 items", "most mines were neutralised in Aghdam (15,402) and Fuzuli (13,877)": a bare
    number that points back to the items named before it in its sentence counts those items."""
    r = _rx()
    for i, n in enumerate(s.nums):
        if s.res[i] is not None or n.kind != "digits" or _YEARISH.match(n.text):
            continue
        before = s.before(i, 200)
        if not (r["points_back_tail"].match(s.tails[i])
                or (r["place_bracket_before"].search(before) and r["bracket_close"].match(s.tails[i]))):
            continue
        # the last items named before the number
        u, end = None, None
        for m in reversed(list(_WORD_START.finditer(before))):
            got = item_metric(before[m.start():])
            if got is None:
                continue
            if end is not None and m.start() + got.end != end:
                break
            u, end = got, m.start() + got.end   # "anti-tank mines" rather than its last word "mines"
        if u is None or not s.items_ok:
            continue
        s.res[i] = s.candidate(i, u.metric, n.value, "metric.items-named-earlier", n.end)


def _gapping(s: _Sentence) -> None:
    """"ANAMA found 22,600 mines, the Ministry of Defence 2,400, ...": a bare number repeats the metric. People
    only when the bare number names its own place or year ("Nine of the victims were registered in Kalbajar and
    five in Aghdam"): they are the same kind of people as the figure before."""
    r = _rx()
    last = None
    for i, n in enumerate(s.nums):
        c = s.res[i]
        if c is not None:
            # a part in brackets ("145 people were hit in 2021 (24 of them died), 85 in 2022") is not the list's head
            if last is None or not _in_brackets(s.text, n.start):
                last = c
            continue
        if last is None or n.kind == "article" or _YEARISH.match(n.text):
            continue
        people_ = last.metric in PEOPLE
        if not (r["gap_place_tail"] if people_ else r["gap_tail"]).match(s.tails[i]):
            continue
        if n.kind != "digits" and not people_:
            continue
        if r["gap_not_after"].search(s.text, last.num.end, n.start):
            continue
        factor = last.value / last.num.value if last.num.value else 1.0
        s.res[i] = s.candidate(i, last.metric, n.value * factor, "metric.bare-number-repeats-the-metric", n.end,
                               last.group_phrase if people_ else "")


def _in_brackets(text: str, pos: int) -> bool:
    """Whether `pos` stands inside round brackets opened before it (within its clause)."""
    opened = text.rfind("(", 0, pos)
    return opened >= 0 and text.find(")", opened, pos) < 0


def _list_takes_the_last_metric(s: _Sentence) -> None:
    """"Fuzuli with 15,528, Jabrayil with 8,913, and Tartar with 4,253 mines": bare numbers of a list whose last
    number names what they all count."""
    join = _rx()["list_before_last"]
    for j in range(len(s.nums) - 1, 0, -1):
        last = s.res[j]
        if last is None or last.metric in PEOPLE:
            continue
        factor = last.value / last.num.value if last.num.value else 1.0
        i = j - 1
        while i >= 0 and s.res[i] is None and s.nums[i].kind == "digits" and not _YEARISH.match(s.nums[i].text) \
                and join.fullmatch(s.text, s.nums[i].end, s.nums[i + 1].start):
            s.res[i] = s.candidate(i, last.metric, s.nums[i].value * factor, "metric.list-takes-the-last-metric",
                                   s.nums[i].end)
            i -= 1


def _appositive_parts(s: _Sentence) -> None:
    """"Three people were hurt, two civilian deminers and a soldier, when ...": parts in apposition after
    the verb count only when they add up to the total (else "five were hurt, three of them badly")."""
    nums, res, tails = s.nums, s.res, s.tails
    for j, total in enumerate(res):
        if total is None or total.metric not in PEOPLE or not tails[j].rstrip().endswith(","):
            continue
        if people.from_tail(tails[j]) is None:
            continue
        parts, k = [], j + 1
        while k < len(nums) and res[k] is None:
            p = people.part(tails[k])
            if p is None:
                break
            parts.append((k, p[0]))
            k += 1
            if p[1].lower() not in (",", "and", "or"):
                break
        if len(parts) < 2 or abs(sum(nums[i].value for i, _ in parts) - nums[j].value) > 1e-9:
            continue
        for i, words in parts:
            res[i] = s.candidate(i, total.metric, nums[i].value, "metric.parts-in-apposition", nums[i].end, words)


def _whole_split_into_parts(s: _Sentence) -> None:
    """"Of the five servicemen in the car, four were wounded and one died": the people named after "of (the)"
    are the whole that the casualty figures after them split, and the parts take its group. A whole not said
    to be hurt itself (some of them may not be) is no figure of its own; "of the 36 civilians injured, five
    later died" keeps its 36."""
    nums, res = s.nums, s.res
    for i in range(len(nums) - 1):
        total = res[i]
        if total is not None and (total.metric not in PEOPLE or not groups.group_of(total.group_phrase)):
            continue
        parts = []
        for c in res[i + 1:]:
            if c is None:
                continue   # a number that is no figure ("since 2020")
            if c.metric not in ("killed", "injured") or groups.group_of(c.group_phrase) or c.part_of is not None:
                break
            parts.append(c)
        if not parts:
            continue
        n = nums[i]
        words = people.whole_of_parts(s.text[max(0, n.start - 20):n.start], s.text[n.end:parts[0].num.start])
        if words is None:
            continue
        if total is None:
            total = s.candidate(i, "victims", n.value, "metric.people-the-parts-are-of", n.end, words)
            s.dropped.append((n, "metric.people-the-parts-are-of"))
        for c in parts:
            c.part_of = total


def _objects_of_the_verb(s: _Sentence) -> None:
    """"Mines have killed 65 civilians and 15 servicemen since the war ended": people joined to the people a verb
    before them counts take the same metric."""
    if not s.people_ok:
        return
    nums, res = s.nums, s.res
    for i in range(1, len(nums)):
        prev = res[i - 1]
        if res[i] is not None or prev is None or prev.rule != "metric.casualty-verb-before" or nums[i].kind == "article":
            continue
        if not people.joins_people(s.tails[i - 1]):
            continue
        words = people.named_at(s.tails[i])
        if words:
            res[i] = s.candidate(i, prev.metric, nums[i].value, "metric.coordinated-people", nums[i].end, words)


def _coordination_and_parts(s: _Sentence) -> None:
    if not s.people_ok:
        return
    nums, res, tails = s.nums, s.res, s.tails
    aside = {n.start for n, _ in s.dropped}
    for _ in range(3):
        changed = False
        for i in range(len(nums) - 1, -1, -1):
            if res[i] is not None or nums[i].start in aside:
                continue
            g = people.group_only(tails[i])
            if not g:
                continue
            words, conn = g
            n = nums[i]
            # coordination: "29 civilians and seven servicemen were killed"
            # ("49 civilians and 23 servicemen – and 340 were injured": a dash closes a list of parts)
            # ("five soldiers ... and two of them died": the next people are a part, not a coordination)
            # ("47 were killed (including 41 civilians) and 236 injured": a bracket closes the parts of the total
            # before it)
            if conn and conn not in (".", ";") and conn.strip()[:1] not in ("–", "—", ")") \
                    and not words.endswith(")") and i + 1 < len(nums) \
                    and res[i + 1] is not None \
                    and res[i + 1].metric in PEOPLE and not groups.is_anaphor(res[i + 1].group_phrase):
                res[i] = s.candidate(i, res[i + 1].metric, n.value, "metric.coordinated-people", n.end, words)
                changed = True
                continue
            # parts of a total: "seven were injured: four workers and three soldiers"
            for j in range(i - 1, -1, -1):
                if res[j] is not None and res[j].metric in PEOPLE:
                    if people.has_parts_marker(s.text[nums[j].end:n.start]):
                        res[i] = s.candidate(i, res[j].metric, n.value, "metric.parts-of-a-total", n.end, words)
                        changed = True
                    break
        if not changed:
            break


def _more_parts(s: _Sentence) -> None:
    """"14 people became victims, including two women and three children, the ombudsman said": people joined to a
    part of a total are one more part of it."""
    nums, res = s.nums, s.res
    for i in range(1, len(nums)):
        prev = res[i - 1]
        if res[i] is not None or prev is None or prev.rule != "metric.parts-of-a-total" or nums[i].kind == "article":
            continue
        words = people.named_at(s.tails[i]) if people.joins_people(s.tails[i - 1]) else None
        if words:
            res[i] = s.candidate(i, prev.metric, nums[i].value, "metric.parts-of-a-total", nums[i].end, words)


def _total_of_parts(s: _Sentence) -> None:
    """"45 persons, including 38 civilians and 7 servicemen, were killed": the total is a figure as well as
    its parts (figures.md "Totals and parts"); it takes the parts' metric."""
    nums, res = s.nums, s.res
    for i in range(len(nums) - 1):
        if res[i] is not None or nums[i].kind == "article":
            continue
        nxt = res[i + 1]
        if nxt is None or nxt.metric not in PEOPLE or not groups.group_of(nxt.group_phrase):
            continue
        words = people.total_before_parts(s.tails[i])
        if words is None:
            continue
        res[i] = s.candidate(i, nxt.metric, nums[i].value, "metric.total-before-its-parts", nums[i].end, words)


def _part_told_again(s: _Sentence) -> None:
    """"One of the injured was flown to Baku", "Two of the wounded are in serious condition": some of the people
    counted before, told of again with nothing that makes them a part of their own (no other metric: "later
    died", no group: "were civilians", no place, and no other part beside them: "...; another serviceman
    received minor injuries"), are no figure (people counted before and told of again)."""
    from minemap.extraction import where
    res = s.res
    for i, c in enumerate(res):
        if c is None or c.rule != "metric.part-of-the-people-named" or groups.group_of(c.group_phrase) \
                or groups.group_of(s.text[max(0, c.num.start - 60):c.num.start]):
            continue   # a group named for them ("... were civilians", "Civilians accounted for 23 of the victims")
        if people.metric_named(c.group_phrase.split(" of ", 1)[-1] if " of " in c.group_phrase
                               else c.group_phrase.removeprefix("of ")) != c.metric:
            continue
        if any(o is not None and o is not c and o.metric == c.metric for o in res) or where.mentions(s.text):
            continue
        res[i] = None
        s.dropped.append((c.num, "metric.people-told-again"))


# "one of them stepped on a mine": the active verb of who set a mine off (not "43 of them were hit in 2022")
_SET_IT_OFF = re.compile(r"\s*of\s+(?:them|whom|those)\s+(?:had\s+|accidentally\s+)?(?:stepped|trod|ran|drove|triggered|set\s+off|struck|touched|picked\s+up|hit)\b", re.I)


def _one_of_them_set_it_off(s: _Sentence) -> None:
    """"three were wounded when one of them stepped on a mine": who of the people counted before in the sentence
    set the mine off is one of them again, no figure (people counted before and told of again)."""
    res = s.res
    for i, c in enumerate(res):
        if c is None or not c.hit or not groups.is_anaphor(c.group_phrase) \
                or not _SET_IT_OFF.match(s.text, s.nums[i].end):
            continue
        if any(o is not None and o.metric in PEOPLE and not o.hit and o.value > c.value for o in res[:i]):
            res[i] = None
            s.dropped.append((c.num, "metric.people-told-again"))


def _victims_split(s: _Sentence) -> None:
    """"102 civilians suffered: 32 were killed and 70 injured": people hit by mines, split in the same sentence
    into killed and injured that add up to them, are those figures (figures.md "People"); the parts take the
    total's group."""
    res = s.res
    for i, total in enumerate(res):
        if total is None or not total.hit:
            continue
        later = [c for c in res[i + 1:] if c is not None and c.metric in ("killed", "injured")]
        killed = next((c for c in later if c.metric == "killed"), None)
        injured = next((c for c in later if c.metric == "injured"), None)
        if killed is None or injured is None or abs(killed.value + injured.value - total.value) > 1e-9:
            continue
        for part in (killed, injured):
            part.part_of = total
        res[i] = None
        s.dropped.append((total.num, "metric.victims-split-into-parts"))


def _hurt_some_fatally(s: _Sentence) -> None:
    """"Six people were hurt, one of them fatally": the hurt include the dead, so the number counts killed and
    injured as one, split in the same breath; the killed stand, the number is no figure of its own."""
    res = s.res
    for i, c in enumerate(res):
        if c is None or c.metric != "injured" or i + 1 >= len(res):
            continue
        k = res[i + 1]
        if k is not None and k.metric == "killed" and k.value < c.value \
                and _rx()["fatal_part"].fullmatch(s.text, c.num.end, s.nums[i + 1].start) \
                and _rx()["fatal_tail"].match(s.tails[i + 1]):
            k.part_of = c
            res[i] = None
            s.dropped.append((c.num, "metric.victims-split-into-parts"))


def victims_split_told_next(infos) -> None:
    """"Four workers were caught in a mine blast ... One of them died at the scene, and the other three were taken
    to hospital": people hit by a mine whom the next sentence with casualty figures (one of the next two) splits
    into killed and injured adding up to them are those figures, as within one sentence (`_victims_split`); the
    parts take the total's group."""
    for k, info in enumerate(infos):
        if info.headline or not any(c.hit for c in info.cands):
            continue
        _told_before(infos, k)
        nxt = next((infos[j] for j in (k + 1, k + 2) if j < len(infos) and not infos[j].headline
                    and any(c.metric in PEOPLE for c in infos[j].cands)), None)
        if nxt is None:
            continue
        for total in [c for c in info.cands if c.hit]:
            killed = next((c for c in nxt.cands if c.metric == "killed"), None)
            injured = next((c for c in nxt.cands if c.metric == "injured"), None)
            if killed is None or injured is None or abs(killed.value + injured.value - total.value) > 1e-9:
                continue
            if any(p.group not in (None, total.group) for p in (killed, injured)):
                continue
            for part in (killed, injured):
                part.part_of = total
                if part.group is None:
                    part.group, part.group_rule = groups.candidate_group(nxt.s.text, part)
            total.split_later = "metric.victims-split-into-parts"   # still the sentence's time and place


def _told_before(infos, k: int) -> None:
    """"... 31 civilians and eight servicemen killed; a further 47 civilians and 112 servicemen were injured. In all,
    198 people suffered from mines": people hit by mines who add up to the killed and injured of the sentence just
    before are those figures."""
    before = infos[k - 1] if k > 0 and not infos[k - 1].headline else None
    if before is None:
        return
    parts = [c for c in before.cands if c.metric in ("killed", "injured") and c.part_of is None]
    if not {"killed", "injured"} <= {c.metric for c in parts}:
        return
    for total in [c for c in infos[k].cands if c.hit and not c.split_later]:
        if abs(sum(c.value for c in parts) - total.value) < 1e-9:
            total.split_later = "metric.victims-split-into-parts"


_MINE_KINDS = ("ap_mines", "at_mines", "mines")
_MINE_SET = frozenset(_MINE_KINDS)
_MINES_AND_UXO = _MINE_SET | {"uxo"}


def _total_of_mines_and_uxo(s: _Sentence) -> None:
    """"9464 unexploded munitions, 6126 anti-personnel mines, 2172 anti-tank mines, and in general about 18
    thousand munitions": a number after a list of mine and UXO counts that states their sum (rounded or not)
    counts mines and UXO as one number (explosive_items)."""
    if sum(c is not None for c in s.res) < 3:
        return   # a sum needs two counts before it
    from minemap.extraction.metric.repeats import rounded_equal
    done: list = []
    for c in s.res:
        if c is None:
            continue
        if c.metric in ("uxo", "mines") and len(done) >= 2:
            kinds = {p.metric for p in done}
            if "uxo" in kinds and kinds & _MINE_SET and kinds <= _MINES_AND_UXO:
                total = sum(p.value for p in done)
                if total == c.value or (c.qualifier != "exact" and rounded_equal(c.value, total)):
                    c.metric, c.rule = "explosive_items", "metric.total-of-mines-and-uxo"
                    continue
        done.append(c)
