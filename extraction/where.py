"""Where: the districts of each figure (figures.md "Places", "Report context", "Places by reference").

A sentence's district mentions come from the `boundaries` gazetteer, less datelines, people's home towns
and the capital as the seat of government. A figure takes
- its own place when the sentence pairs figures with places ("7,956 ha in Aghdam, 14,016 ha in Jabrayil",
  "Jabrayil – 9,014.6 ha", "... in Kalbajar and Lachin respectively"), else the sentence's places;
- for a `period` figure whose sentence names none, the report's list of districts for that window;
- for an incident's later sentences, the incident's place.
Each decision returns the ids of the rules that took it.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import TYPE_CHECKING

from minemap.boundaries.gazetteer import Mention, default_gazetteer
from minemap.extraction.dates import month_pattern
from minemap.extraction.lang import alternation, case_blind, cue, load, phrase
from minemap.extraction.metric.labels import label_span
from minemap.extraction.metric.units import land_given
from minemap.extraction.qualifiers import qualifier_at
from minemap.extraction.scope import Frame, own_frame
from minemap.extraction.when import is_a_week

if TYPE_CHECKING:
    from minemap.extraction.report import SentenceInfo


@lru_cache(maxsize=None)
def _rx():
    d = load("places")
    people = load("people")["groups"]
    return {
        "dateline_after": re.compile(d["dateline_after"].replace("{month}", month_pattern())),
        "village_after": re.compile(d["village_after"], re.I),
        "origin_before": re.compile("(?i)" + d["origin_before"].replace(
            "{people}", alternation(people["military"] + people["civilian"] + people["none"]))),
        "clause_split": phrase("places", "clause_split", 0),
        "place_label_rest": phrase("places", "place_label_rest"),
        "place_number_link": phrase("places", "place_number_link"),
        "respectively": phrase("places", "respectively"),
        "number_join": phrase("places", "number_join"),
        "place_join": phrase("places", "place_join"),
        "operations": phrase("places", "operations"),
        "alone_after": phrase("places", "alone_after"),
        "ranking": phrase("places", "ranking"),
        "stockpile": phrase("places", "stockpile"),
        "rest_clause": phrase("places", "rest_clause"),
        "ranked_after": phrase("places", "ranked_after"),
        "parts_clause": phrase("places", "parts_clause"),
        "parts_own_verb": phrase("places", "parts_own_verb"),
        "casualty_clause_split": phrase("figures", "casualty_clause_split"),
        "of_the_total": phrase("places", "of_the_total"),
        "place_paren": phrase("places", "place_paren", 0),
        "capitals": frozenset(d["capitals"]),
        "locative": re.compile(r"(?i)(?<![\w-])" + alternation(d["locative"]) + r"\s+$"),
        "institution": re.compile(r"(?i)(?<![\w-])" + alternation(d["institutions"]) + r"(?:\s+[\w'’-]+){0,3}?\s+(?:in|of)\s+$"),
        "reporting_after": re.compile(r"(?i)[^,;:]{0,40}?(?<![\w-])" + alternation(load("cues")["reporting"]) + r"(?![\w-])"),
        "origin_word": d["origin_word"],
        "hospital_word": d["hospital_word"],
        "road_name": re.compile(d["road_name"]),
        "treated_in_before": phrase("places", "treated_in_before"),
        "taken_to_before": phrase("places", "taken_to_before"),
        "hospital_after": phrase("places", "hospital_after"),
        "verb": phrase("places", "verb_after_parts"),
        "reference": phrase("places", "reference"),
        "case_marker": case_blind(d["case_marker"].replace("{ordinal}", alternation(
            [w for words in d["case_ordinals"] for w in words]))),
        "case_index": {w: i for i, words in enumerate(d["case_ordinals"]) for w in words},
    }


_PAREN = re.compile(r"\([^()]{0,60}\)")
_DASHES = re.compile(r"[-–—](?=\s?[A-Z\u00c0-\u024f])")


# --- the places a sentence names ----------------------------------------------------------------------------

def _government_not_place(text: str, m: Mention) -> bool:
    """"the Foreign Ministry in Baku said", "Baku received maps", "hospital in Baku": the capital as the
    government's seat or a metonym for it, not the place a figure is about."""
    r = _rx()
    if m.code not in r["capitals"]:
        return False
    before = text[max(0, m.start - 60):m.start]
    if not r["locative"].search(before) or r["institution"].search(before):
        return True
    return bool(r["reporting_after"].match(text, m.end))


def _where_treated(text: str, m: Mention, near: str) -> bool:
    """"taken to a hospital in Horadiz", "evacuated to the Fuzuli district hospital": where the hurt were treated,
    not where the figure happened."""
    r = _rx()
    if r["hospital_word"] in near and r["treated_in_before"].search(text, max(0, m.start - 40), m.start):
        return True
    return bool(r["taken_to_before"].search(text, max(0, m.start - 40), m.start)
                and r["hospital_after"].match(text, m.end))


def mentions(text: str, found: list[Mention] | None = None) -> list[Mention]:
    """District mentions of one sentence, datelines and people's home towns dropped. `found`: the gazetteer's
    mentions in the sentence, when already looked up."""
    r = _rx()
    out = []
    roads = None
    for m in (default_gazetteer().find(text) if found is None else found):
        if roads is None:
            roads = [(x.start(), x.end()) for x in r["road_name"].finditer(text)] if _DASHES.search(text) else []
        if roads and any(a <= m.start and m.end <= b for a, b in roads):
            continue   # "on the Lachin–Shusha road near Dashalty in Shusha district": a road's name

        if m.start <= 2 and r["dateline_after"].match(text[m.end:m.end + 30]):
            continue
        if r["village_after"].match(text, m.end):
            continue   # "near Kengerli village of Aghdam district": a village named like a district
        near = text[max(0, m.start - 40):m.start].lower()
        if (r["origin_word"] in near and r["origin_before"].search(text, max(0, m.start - 60), m.start)) \
                or _government_not_place(text, m) or _where_treated(text, m, near):
            continue
        out.append(m)
    return out


def codes(ms) -> tuple[str, ...]:
    return tuple(sorted({m.code for m in ms}))


def _shelled_places(text: str, ms: list[Mention]) -> list[Mention]:
    """"... killed or maimed by mines, and that Armenian shelling of Ganja, Barda and Tartar killed 100 civilians":
    places of a clause of shelling, in a sentence that counts mine victims in another, are not the figures'."""
    if not ms or not cue("shelling").search(text) or not cue("mine_context").search(text):
        return ms
    cuts = [0] + [m.end() for m in _rx()["casualty_clause_split"].finditer(text)] + [len(text)]
    if len(cuts) < 3:
        return ms
    shelled = [(a, b) for a, b in zip(cuts, cuts[1:])
               if cue("shelling").search(text, a, b) and not cue("mine_context").search(text, a, b)]
    return [m for m in ms if not any(a <= m.start < b for a, b in shelled)]


def sentence_places(info: SentenceInfo) -> list[Mention]:
    if "mentions" not in info.places:
        ms = _shelled_places(info.s.text, mentions(info.s.text, _found_in_report(info)))
        cut = _rx()["ranked_after"].search(info.s.text) if ms and info.cands else None
        if cut is not None and all(c.num.start < cut.start() for c in info.cands) \
                and any(m.start < cut.start() for m in ms):
            # "The largest area, 14,215 ha, was cleared in Jabrayil, followed by Fuzuli and Aghdam": the places
            # ranked after the figure's own are not its places
            ms = [m for m in ms if m.start < cut.start()]
            info.places["ranked_after"] = True
        info.places["mentions"] = ms
    return info.places["mentions"]


def _found_in_report(info: SentenceInfo) -> list[Mention] | None:
    """The gazetteer's mentions inside sentence `info`, from one look-up of the whole document (offsets in the
    sentence); None when a mention runs across the sentence's edge, and the sentence must be read alone."""
    report = info.report
    if report is None:
        return None
    if "mentions" not in report.cache:
        found = default_gazetteer().find(report.text)
        report.cache["mentions"] = (found, [m.start for m in found])
    found, starts = report.cache["mentions"]
    s, e = info.s.start, info.s.end
    out = []
    for m in found[bisect_left(starts, s - 40):bisect_left(starts, e)]:
        if m.end <= s:
            continue
        if m.start < s or m.end > e:
            return None
        out.append(Mention(m.start - s, m.end - s, m.code, m.surface))
    return out


def sentence_codes(info: SentenceInfo) -> tuple[str, ...]:
    if "codes" not in info.places:
        info.places["codes"] = codes(sentence_places(info))
    return info.places["codes"]


# --- figures paired with their own places ---------------------------------------------------------------

def segment_codes(ms, spans) -> list[tuple[str, ...]] | None:
    """Per-figure districts when a sentence pairs each figure with its own place
    ("7,956 hectares in Aghdam, 14,016 hectares in Jabrayil, ...").

    `spans` are (figure_end, next_figure_start) offsets. Returns None when the sentence does not
    distribute (one list of places for all its figures).
    """
    per = []
    for a, b in spans:
        per.append(tuple(sorted({m.code for m in ms if a <= m.start and m.end <= b})))
    with_place = [p for p in per if p]
    if len(with_place) >= 2 and len(set(with_place)) >= 2:
        return per
    return None


def clause_codes(text: str, ms, positions) -> list[tuple[str, ...]] | None:
    """Per-figure districts when each clause names its own place, before or after its numbers
    ("In Aghdam, 300 ha were cleared; in Fuzuli, 120 ha", "... in Aghdam, while in Fuzuli ...").

    None unless the sentence has two or more clauses with figures, each naming a place, and the
    places differ.
    """
    cuts = [0] + [m.end() for m in _rx()["clause_split"].finditer(text)] + [len(text) + 1]
    if len(cuts) < 3:
        return None
    spans = list(zip(cuts, cuts[1:]))
    per_clause = {}
    out = []
    for pos in positions:
        k = next(i for i, (a, b) in enumerate(spans) if a <= pos < b)
        if k not in per_clause:
            a, b = spans[k]
            per_clause[k] = tuple(sorted({m.code for m in ms if a <= m.start and m.end <= b}))
        out.append(per_clause[k])
    if len(per_clause) < 2 or not all(per_clause.values()) or len(set(per_clause.values())) < 2:
        return None
    return out


def place_before_number(text: str, ms, pos: int) -> bool:
    """"Khojavend accounted for 1,890 hectares", "Tartar 730.1 hectares", "Fuzuli (8,517 ha)": a place
    mention right before the number, joined by nothing but a linking verb."""
    rx = _rx()["place_number_link"]
    return any(m.end <= pos and pos - m.end <= 40 and rx.fullmatch(text, m.end, pos) for m in ms)


def place_label(before: str, ms) -> tuple[str, ...] | None:
    """The districts a list item names before its number ("Jabrayil – 9,014.6 hectares", "In Aghdam:
    1,200 ha", "Tartar (including Aghdara) – 1,201.5"): the label must be nothing but places (and words
    such as "district", "in the"). `ms` are the sentence's place mentions, offsets in `before`."""
    span = label_span(before)
    if span is None:
        return None
    a, b = span
    inside = [m for m in ms if a <= m.start and m.end <= b]
    if not inside:
        return None
    rest, pos = [], a
    for m in inside:
        rest.append(before[pos:m.start])
        rest.append("@")
        pos = m.end
    rest.append(before[pos:b])
    if not _rx()["place_label_rest"].fullmatch(_PAREN.sub(" ", "".join(rest))):
        return None
    return tuple(sorted({m.code for m in inside}))


def labelled_codes(text: str, ms, positions) -> list[tuple[str, ...]] | None:
    """Per-figure districts of a list whose items name their place before the number ("Jabrayil –
    9,014.6 hectares, Kalbajar – 7,402.8, ...", "In Aghdam: 1,200 ha; in Fuzuli: 900 ha"). None unless
    two or more items name different places; an item without a place label of its own (a total) gets none."""
    per = []
    for p in positions:
        _, qlen = qualifier_at(text, p)   # "Aghdam – about 300 ha"
        per.append(place_label(text[:p - qlen], ms) or ())
    with_place = [p for p in per if p]
    if len(with_place) >= 2 and len(set(with_place)) >= 2:
        return per
    return None


def _runs(items, gap_ok) -> list[list[int]]:
    """`items` grouped in runs whose neighbours are joined as one list."""
    runs: list[list] = []
    for x in items:
        if runs and gap_ok(runs[-1][-1], x):
            runs[-1].append(x)
        else:
            runs.append([x])
    return runs


def respective_codes(text: str, ms, nums) -> dict[int, tuple[str, ...]]:
    """"Kalbajar and Lachin came next with 5,963.0 and 3,118.6 hectares respectively": the i-th number of
    a list takes the i-th place of a list of the same length in its clause. `nums` are the figures'
    (start, end) offsets; returns {figure index: (code,)} for the paired ones."""
    r = _rx()
    out: dict[int, tuple[str, ...]] = {}
    lo = 0
    for resp in r["respectively"].finditer(text):
        seg_n = [i for i, (a, _) in enumerate(nums) if lo <= a < resp.start()]
        seg_m = [m for m in ms if lo <= m.start < resp.start()]
        lo = resp.end()
        if len(seg_n) < 2 or len(seg_m) < 2:
            continue
        nruns = _runs(seg_n, lambda i, j: bool(r["number_join"].fullmatch(text, nums[i][1], nums[j][0])))
        mruns = _runs(seg_m, lambda a, b: bool(r["place_join"].fullmatch(text, a.end, b.start)))
        nrun = next((x for x in reversed(nruns) if len(x) >= 2), None)
        mrun = next((x for x in reversed(mruns) if len(x) >= 2), None)
        if nrun is None or mrun is None or len(nrun) != len(mrun) or len({m.code for m in mrun}) != len(mrun):
            continue
        for i, m in zip(nrun, mrun):
            out[i] = (m.code,)
    return out


def per_figure_codes(info: SentenceInfo) -> list | None:
    """Per-figure (districts, rule) when the sentence pairs each figure with its own place, districts None
    for a figure that names no place of its own and takes the report's context; None when the sentence
    does not pair (one list of places for all its figures)."""
    if "per_figure" not in info.places:
        info.places["per_figure"] = _per_figure_codes(info)
    return info.places["per_figure"]


def _per_figure_codes(info: SentenceInfo) -> list | None:
    places = sentence_places(info)
    if len(info.cands) < 2 or not places:
        return None
    r = _rx()
    text, c = info.s.text, info.cands
    # figures paired with places of their own need two places at least, and places among the figures unless
    # "respectively" pairs them ("... found 58 mines and 12 shells in Aghdam and Fuzuli" pairs none)
    several = len(sentence_codes(info)) >= 2
    among = several and not (all(m.start >= c[-1].num.end for m in places)
                             or all(m.end <= c[0].num.start for m in places))
    per: list | None = _paired_codes(info) if among else None
    resp = respective_codes(text, places, [(x.num.start, x.num.end) for x in c]) if several else {}
    if resp:
        paired = {code for v in resp.values() for code in v}
        base = per if per is not None else [(sentence_codes(info), "where.sentence-places")] * len(c)
        per = [(resp[i], "where.respectively") if i in resp
               else (tuple(x for x in base[i][0] or () if x not in paired) or None, base[i][1])
               for i in range(len(c))]
    if per is not None:
        per = _total_of_placed_parts(c, per)
    cut = next((m for m in r["parts_clause"].finditer(text) if not _place_in_place(text, places, m)), None)
    cut_at = (cut.start(), cut.end()) if cut is not None else None
    lead = r["of_the_total"].match(text)
    if cut_at is None and lead is not None and lead.end() == c[0].num.start:
        # "Of the 41,220.6 ha cleared, 9,104.3 ha were in Aghdam": the total's phrase ends at its comma
        comma = text.find(",", c[0].num.end)
        cut_at = (comma, comma + 1) if comma >= 0 else None
    if cut_at is not None and c[0].num.start < cut_at[0] < c[-1].num.start:
        # "1,406 ha were cleared, of which Aghdam accounted for 410 ha": the places of the part are
        # not the total's
        before = codes([m for m in places if m.start < cut_at[0]]) or (
            _after_the_verb(text, places, c[-1].phrase_end, _rx()["parts_own_verb"].match(cut.group(0)) is not None)
            if cut is not None else ()) or None
        # the parts lie within the total's places unless they name their own
        after = codes([m for m in places if m.start >= cut_at[1]]) or before
        per = [(before, "where.total-before-its-parts") if x.num.start < cut_at[0]
               else (per[i] if per is not None else (after, "where.parts-within-the-total"))
               for i, x in enumerate(c)]
    return per


def _total_of_placed_parts(c, per: list) -> list:
    """"Three deminers were injured this year, one of them in Fuzuli and two in Lachin": a figure that names no place,
    followed by figures of its metric that each name one and add up to it, is in all their places."""
    out = list(per)
    for i, x in enumerate(c):
        if per[i][0]:
            continue
        total, places, j = 0.0, set(), i + 1
        while j < len(c) and c[j].metric == x.metric and per[j][0] and total < x.value:
            total += c[j].value
            places.update(per[j][0])
            j += 1
        if j - i >= 3 and abs(total - x.value) < 1e-9:
            out[i] = (tuple(sorted(places)), "where.total-of-placed-parts")
    return out


_PLACE_WORD_THEN = re.compile(r"\s*(?:(?:district|region|rayon|city)\s*)?$")


_CLAUSE_END = re.compile(r"[,;.:()]")


def _place_in_place(text: str, places, cut) -> bool:
    """"Tartar, including the Aghdara area": parts of a place that name a place and no number are the place's,
    not the figures' parts."""
    pos = cut.start()
    if not any(m.end <= pos and pos - m.end <= 12 and _PLACE_WORD_THEN.match(text[m.end:pos]) for m in places):
        return False
    stop = _CLAUSE_END.search(text, cut.end())
    end = stop.start() if stop else len(text)
    return not any(ch.isdigit() for ch in text[cut.end():end]) and any(cut.end() <= m.start < end for m in places)


def _after_the_verb(text: str, places, end: int, own_verb: bool = False) -> tuple[str, ...]:
    """"Four servicemen, including an officer, have been wounded ... near Tartar": places named after the
    sentence's verb, past all its figures, are the place of the total as well as of its parts."""
    verb = _rx()["verb"].search(text, end)
    if verb is None or (own_verb and "," not in text[end:verb.start()]):
        return ()   # "..., of which 14.9 thousand ha were in Aghdam": the verb is the part's, in its clause
    return codes([m for m in places if m.start > verb.end()])


def _paired_codes(info: SentenceInfo) -> list | None:
    c, text, places = info.cands, info.s.text, sentence_places(info)
    pos = [x.num.start for x in c]
    labelled = labelled_codes(text, places, pos)
    per = clause_codes(text, places, pos)
    if labelled is not None:
        # a figure without a place label of its own stays in its clause ("In Aghdam: 300 ha were
        # cleared and 40 mines found; in Fuzuli: ...")
        return [(lab, "where.place-label") if lab else ((per[i] if per is not None else ()), "where.clause-place")
                for i, lab in enumerate(labelled)]
    if per is not None:
        return [(p, "where.clause-place") for p in per]
    if any(_rx()["place_paren"].search(text, max(0, x.num.start - 40), x.num.start)
           or place_before_number(text, places, x.num.start - qualifier_at(text, x.num.start)[1])
           for x in c):
        # "Jabrayil led with 11,206 ha, followed by Fuzuli (8,517 ha) and Aghdam (7,840 ha)": each place
        # comes before its number
        spans = [(c[i - 1].num.end if i else 0, x.num.start) for i, x in enumerate(c)]
        got = segment_codes(places, spans)
        if got is not None:
            return [(g, "where.place-before-number") for g in got]
    # "... 980.1 ha in Fuzuli and the rest in Tartar and Jabrayil": the places of the rest are no figure's
    rest = _rx()["rest_clause"].search(text, c[-1].num.end)
    spans = [(x.num.end, c[i + 1].num.start if i + 1 < len(c) else (rest.start() if rest else len(text)))
             for i, x in enumerate(c)]
    got = segment_codes(places, spans)
    if got is None:
        return None
    # "a serviceman was killed and another was injured ... in the Kalbajar district": casualties of one clause,
    # joined by "and", share the place after the last of them
    for i in range(len(c) - 2, -1, -1):
        if not got[i] and got[i + 1] and c[i].metric in _PEOPLE and c[i + 1].metric in _PEOPLE \
                and _CASUALTY_JOIN.fullmatch(text, c[i].num.end, c[i + 1].num.start):
            got[i] = got[i + 1]
    return [(g, "where.place-after-number") for g in got]


_PEOPLE = ("killed", "injured", "victims")
# between two casualty counts of one clause: no comma, no full stop, then "and"
_CASUALTY_JOIN = re.compile(r"[^,;.:()]{0,60}?\band\s+")


# --- the report's list of districts for a window -----------------------------------------------------------

def report_lists(infos: list[SentenceInfo], doc_date: str | None) -> dict:
    """Window -> the list of districts the report gives for its operations in that window."""
    r = _rx()
    lists: dict = {}
    # windows whose figures the report breaks down by district ("Jabrayil – 9,014.6 ha, Kalbajar – ...")
    broken_down = {info.ctx.key for info in infos if info.ctx is not None and info.cands and not info.headline
                   and per_figure_codes(info) is not None}
    placeless: set = set()    # windows whose figures were first given with no place
    for info in infos:
        if info.headline or info.ctx is None or info.ctx.scope != "period":
            continue
        if info.cands and not sentence_codes(info) and info.ctx.key not in lists:
            placeless.add(info.ctx.key)
        if not sentence_codes(info) or per_figure_codes(info) is not None:
            continue
        if info.cands and len(sentence_codes(info)) == 1 and info.ctx.key in placeless:
            continue   # "... across the liberated territories. Some 200 items were found in Shusha": a part
        if len(sentence_codes(info)) == 1 and any(r["alone_after"].match(info.s.text, m.end)
                                                  for m in sentence_places(info)):
            continue   # "in the Shusha district alone": a part of the work, not where all of it was done
        if r["ranking"].search(info.s.text):
            continue   # "Most of the mines were found in Aghdam and Fuzuli": where a part of the work was done
        if not info.cands and (r["stockpile"].search(info.s.text) or land_given(info.s.text)):
            # "Obsolete shells from army depots were destroyed at the Gobustan range", "3,480 hectares were handed
            # over to farmers in Aghdam and Fuzuli": no clearance
            continue
        if info.cands and info.ctx.key in broken_down:
            # "In Lachin, 987.3 ha were cleared", "Kalbajar and Lachin together contributed 6,101.5 ha": one more
            # item of the breakdown, not the report's list
            continue
        if info.cands and any(_not_period(info, c, doc_date) for c in info.cands):
            continue
        if info.cands and info.ctx.key in placeless and all(c.metric == "roads_km" for c in info.cands):
            # "... cleared 1,025 hectares." + "The units also laid 64 km of roads in the Kalbajar and Lachin
            # highlands": where the roads are, after the window's first figures named no place
            continue
        # where the work was done, or where the window's people were hurt ("Five people fell victim to mines in
        # Lachin, Kalbajar and Fuzuli in August": the window's later casualty figures are there too)
        if not (r["operations"].search(info.s.text) or cue("clearance_verbs").search(info.s.text)
                or (info.cands and all(c.metric in _PEOPLE for c in info.cands))):
            continue
        lists.setdefault(info.ctx.key, sentence_codes(info))
    # "Deminers worked last week in A, B and C." + "From March 7 to 12 they found ...": one list and one
    # period told two ways (a vague window and dates): the dated figures take the list
    vague = Frame("period").key
    if set(lists) == {vague}:
        dated = {i.ctx.key for i in infos if i.cands and not i.headline and i.ctx is not None
                 and i.ctx.scope == "period" and i.ctx.key != vague}
        if len(dated) == 1 and is_a_week(*next(iter(dated))[1:]):
            # (a longer window, "since the beginning of the year", is another period, not the week told again)
            lists[dated.pop()] = lists[vague]
    return lists


def _not_period(info: SentenceInfo, c, doc_date: str | None) -> bool:
    f = own_frame(info.time, c.num.start, c.metric, doc_date, end=max(c.num.end, c.phrase_end))
    return f is not None and f.scope != "period"


def figure_districts(infos: list[SentenceInfo], k: int, idx: int, frame: Frame, src: int | None,
                     lists: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The districts of figure `idx` of sentence `k`, and the rules that gave them."""
    info = infos[k]
    case = _case_place(infos, k, info.cands[idx].num.start)
    if case:
        return case, ("where.cases-in-order",)
    column = _column_place(info, info.cands[idx].num.start)
    if column:
        return column, ("where.table-column",)
    per = per_figure_codes(info)
    first: tuple[str, ...] = ()
    if per is not None:
        own, rule = per[idx]
        if own is not None:
            return own, (rule,)
        first = (rule,)   # a figure that names no place of its own, in a sentence that pairs the others
    else:
        own = sentence_codes(info)
        if own:
            return own, ("where.sentence-places",) + (
                ("where.not-the-places-ranked-after",) if info.places.get("ranked_after") else ())
    named = _place_by_reference(infos, k)
    if named:
        return named, first + ("where.place-by-reference",)
    if info.cands[idx].metric == "mines_mapped":
        maps = _place_of_the_maps(infos, k)
        if maps:
            return maps, first + ("where.place-of-the-maps",)
    if frame.scope == "period" and frame.key in lists:
        return lists[frame.key], first + ("where.report-list",)
    if frame.scope == "event" and src is not None and src != k and sentence_codes(infos[src]):
        return sentence_codes(infos[src]), first + ("where.incident-place",)
    if frame.scope == "event":
        told = _incident_place_told_next(infos, k)
        if told:
            return told, first + ("where.incident-place-told-next",)
    return (), first + ("where.none-named",)


def _column_place(info: SentenceInfo, pos: int) -> tuple[str, ...]:
    """"| UXO | 140 | 222 |" under "| Item | Aghdam | Fuzuli |": a number in a table row takes the district its
    column's header names."""
    if not info.columns:
        return ()
    header = next((h for a, b, h in info.columns if a <= pos < b), None)
    return codes(mentions(header)) if header else ()


def _cases(info: SentenceInfo) -> list:
    """The case markers of a sentence ("in the first case", "in the second"): (start, end, position)."""
    if "cases" not in info.places:
        r = _rx()
        cases = []
        for m in r["case_marker"].finditer(info.s.text):
            if m.group("noun") or m.group("comma") or cases:
                cases.append((m.start(), m.end(), r["case_index"][m.group("ord").lower()]))
        info.places["cases"] = cases
    return info.places["cases"]


def _places_in_order(info: SentenceInfo, end: int | None = None) -> list[str]:
    out: list[str] = []
    for m in sentence_places(info):
        if (end is None or m.end <= end) and m.code not in out:
            out.append(m.code)
    return out


def _case_place(infos: list[SentenceInfo], k: int, pos: int) -> tuple[str, ...]:
    """"Mines went off in Khojavend and Tartar: in the first case one civilian was injured, in the second a
    soldier was killed": a figure after the n-th case marker takes the n-th place of the list named before the
    markers (in its sentence, else in one of the sentences just before)."""
    cases = _cases(infos[k])
    before = [c for c in cases if c[1] <= pos]
    if not before:
        return ()
    places = _places_in_order(infos[k], cases[0][0])
    j = k - 1
    while len(places) < 2 and j >= max(0, k - 3):
        if not _cases(infos[j]):
            places = _places_in_order(infos[j])
        j -= 1
    n = before[-1][2]
    return (places[n],) if len(places) >= 2 and n < len(places) else ()


# how far back (in sentences) a place that a figure points to ("there") may have been named
_REFERENCE_BACK = 4


def _place_by_reference(infos: list[SentenceInfo], k: int) -> tuple[str, ...]:
    """"Sappers work in Zangilan. So far 300 ha have been cleared there": a sentence that points back to a
    place ("there", "the mentioned districts", "this district") takes the places of the last sentence before
    it that names some (figures.md "Places by reference")."""
    if "reference" not in infos[k].places:
        infos[k].places["reference"] = bool(_rx()["reference"].search(infos[k].s.text))
    if not infos[k].places["reference"]:
        return ()
    for j in range(k - 1, max(-1, k - 1 - _REFERENCE_BACK), -1):
        if not infos[j].headline and sentence_codes(infos[j]):
            return sentence_codes(infos[j])
    return ()


# how far back (in sentences) the maps whose count a sentence gives may have been named with their place
_MAPS_BACK = 2


def _place_of_the_maps(infos: list[SentenceInfo], k: int) -> tuple[str, ...]:
    """"Armenia handed over maps of minefields in Kalbajar and Lachin. The documents show about 5,300 mines": a
    count of mines on maps whose sentence names no place takes the place of the maps named just before."""
    for j in range(k - 1, max(-1, k - 1 - _MAPS_BACK), -1):
        if infos[j].headline:
            return ()
        if cue("map").search(infos[j].s.text) and sentence_codes(infos[j]):
            return sentence_codes(infos[j])
    return ()


def _incident_place_told_next(infos: list[SentenceInfo], k: int) -> tuple[str, ...]:
    """"Four civilians died when their car hit a landmine. The incident occurred in a village in Fizuli
    district": an incident's count whose place is given in the next sentence about the same incident, one
    that gives no figures of its own."""
    for j in (k + 1, k + 2):
        if j >= len(infos) or infos[j].headline or infos[j].cands:
            return ()
        if infos[j].time.incident and sentence_codes(infos[j]):
            return sentence_codes(infos[j])
    return ()
