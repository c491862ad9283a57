"""Casualty phrases: people killed, injured, or both as one number (`victims`), read around a number.

Forms (phrase patterns and word lists: data/<lang>/people.yaml):
  "N [people-noun ...] [was/were/have been ...] killed|injured|killed or injured"   (number first)
  "... killing|injuring N [people-noun]"                                           (verb first)
  "N civilians and M servicemen were killed"                                       (coordination)
  "seven were injured: four workers and three soldiers"                             (total and parts)
  "the number of mine victims ... reached N"                                       (noun, link verb, number)
  "The wounded are three servicemen and one civilian"                              (subject, copula, parts)
  "45 persons, including 38 civilians and 7 servicemen, were killed"                (total before its parts)
  "A shepherd stepped on a mine ... The civilian was hospitalised"                  (one unnamed person)
Each function returns the metric and the words that name the people; the group is `group.py`'s part.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache, wraps

from minemap.extraction.group import group_of
from minemap.extraction.lang import alternation, load, lowered
from minemap.extraction.quick import quick_init


def _lower_case(f):
    """The patterns of this module are lower-case and case-sensitive: a function's text arguments are
    lower-cased (offsets kept) before they are read, several times faster than case-blind patterns."""
    @wraps(f)
    def read(*args):
        return f(*[lowered(a) if isinstance(a, str) else a for a in args])
    return read


@quick_init
@dataclass(frozen=True)
class Casualty:
    metric: str
    group_phrase: str     # the words naming the people ("military servicemen", "of them", "")
    hit: bool = False     # victims "hit" by a mine: the number is dropped if the sentence splits it


def _fill(template: str, **slots: str) -> str:
    for k, v in slots.items():
        template = template.replace("{" + k + "}", v)
    return template


@lru_cache(maxsize=None)
def _rx():
    d = load("people")
    g = d["groups"]
    people = alternation(g["military"] + g["civilian"] + g["none"])
    grouped = alternation(g["military"] + g["civilian"])
    group_verbs = "(?:" + alternation(d["group_verbs"]) + ")"
    verbs = {k: alternation(d[k] + (d["victims_hit"] if k == "victims" else [])) for k in ("victims", "killed", "injured")}
    aux = r"(?:" + alternation(d["auxiliaries"]) + r"\s+)*"
    # the people named between the number and the verb; never a coordination ("soldiers and injured")
    head = r"(?P<grp>(?:(?!" + alternation(d["phrase_breakers"]) + r"\s)[\w'’().\-]+,?\s+){0,10}?)"

    def rx(key: str, **slots: str) -> re.Pattern:
        return re.compile(_fill(d[key], people=people, grouped=grouped, group_verbs=group_verbs,
                                subject_verbs=alternation(d["subject_verbs"]), **slots))

    return {
        "people": re.compile(r"(?<![\w-])" + people + r"(?![\w-])"),
        "military_word": re.compile(r"(?<![\w-])" + alternation(g["military"]) + r"(?![\w-])"),
        "civilian_word": re.compile(r"(?<![\w-])" + alternation(g["civilian"]) + r"(?![\w-])"),
        "apposition": rx("apposition"),
        "counted_person_end": rx("counted_person_end"),
        "told_again_before": rx("told_again_before"),
        "told_again_all": rx("told_again_all"),
        "told_again_tail": rx("told_again_tail"),
        "subset": [(k, rx("subset_before", noun=alternation(v))) for k, v in d["subset_nouns"].items()],
        "subset_tail": rx("subset_after"),
        "people_join": rx("people_join"),
        "part_of_named": [(k, rx("part_of_named", noun=alternation(v))) for k, v in d["subset_nouns"].items()],
        "of_them_group": rx("of_them_group"),
        "bracket_after_people": rx("bracket_after_people"),
        "namely_after_people": rx("namely_after_people"),
        "part_clause_after_people": rx("part_clause_after_people"),
        "part_without_verb": rx("part_without_verb"),
        "active_left": re.compile(r"(?<![\w-])" + alternation(d["active_left"]) + r"\s+$"),
        "left_killed": rx("left_killed"),
        "left_injured": rx("left_injured"),
        "subject": [(k, rx("subject_before", noun=alternation(v))) for k, v in d["subject_nouns"].items()],
        "subject_tail": rx("subject_after"),
        "tail": {k: re.compile(r"\s*" + head + r"(?P<aux>" + aux + r")(?P<verb>" + v + r")(?![\w-])")
                 for k, v in verbs.items()},
        "active": {k: re.compile(r"(?<![\w-])" + alternation(v) + r"\s+(?:" + alternation(d["active_between"])
                                 + r"\s+)?$") for k, v in d["active_verbs"].items()},
        "active_hit": re.compile(r"(?<![\w-])" + alternation(d["active_hit"]) + r"\s+$"),
        "hit": re.compile(r"" + alternation(d["victims_hit"])),
        "ends_in_people": rx("hit_people_end"),
        "group_verb_end": rx("group_verb_end"),
        "group_total": [(k, rx("group_total_before", noun=alternation(v))) for k, v in d["subset_nouns"].items()],
        "group_only": rx("group_only"),
        "part": rx("part"),
        "total_parts": rx("total_before_parts"),
        "parts_marker": rx("parts_marker"),
        "whole_lead": rx("whole_lead"),
        "whole_tail": rx("whole_tail"),
        "link_end": rx("link_end"),
        "noun_metric": [(k, re.compile(p)) for k, p in d["noun_metric"]],
        "fatal": rx("fatal"),
        "died_after": rx("died_after"),
        "place_or_time": rx("place_or_time"),
        "phrase_stop": rx("phrase_stop"),
        "bare_lead": rx("bare_metric_lead"),
        "bare_tail": rx("bare_metric_tail"),
        "verb_alts": verbs,
    }


@_lower_case
def people_in(phrase: str) -> bool:
    return bool(_rx()["people"].search(phrase))


@_lower_case
def subset_of(before: str, tail: str) -> Casualty | None:
    """"Of the victims, 228 were civilians": (victims, "civilians")."""
    return _group_after_people_noun("subset", before, tail)


@_lower_case
def subject_before(before: str, tail: str) -> Casualty | None:
    """"The wounded are three servicemen and one civilian employee": (injured, "servicemen")."""
    return _group_after_people_noun("subject", before, tail)


def _group_after_people_noun(kind: str, before: str, tail: str) -> Casualty | None:
    """The metric named just before the number (term list `kind`) with the group word after it."""
    r = _rx()
    t = r[f"{kind}_tail"].match(tail)
    if t is None:
        return None
    for metric, rx in r[kind]:
        if rx.search(before[-160:]):
            return Casualty(metric, t.group("p").strip())
    return None


@_lower_case
def from_tail(tail: str) -> Casualty | None:
    """Number-first: "[people-noun ...] were killed"."""
    c = _from_tail(tail)
    if c is None:
        m = _rx()["apposition"].match(tail)
        if m and _from_tail(m.group(0)[m.end("np"):]) is None:
            c = _from_tail(m.group("np") + tail[m.end():])
            named = m.group("app") or m.group("dash") or ""
            if c is not None and group_of(c.group_phrase) is None and _one_group(named):
                # "Two people – a resident of the village and his son – were injured": the apposition says who
                c = Casualty(c.metric, f"{c.group_phrase} ({named.strip()})", c.hit)
    return c


def _one_group(phrase: str) -> bool:
    """Whether the people of `phrase` are all of one group (civilian or military, not both)."""
    g = group_of(phrase)
    if g is None:
        return False
    r = _rx()
    return not (r["military_word"].search(phrase) and r["civilian_word"].search(phrase))


@_lower_case
def told_again(before: str, tail: str) -> bool:
    """"The two injured men, aged 31 and 36, were taken to hospital", "All four were taken to hospital": people
    counted before, told of again."""
    r = _rx()
    if r["told_again_all"].search(before) and not r["people"].match(tail.lstrip()):
        # "All four were taken to hospital": "all" and a bare number point back to people counted before (not
        # "All three soldiers were injured", which may count them first)
        return True
    return bool(r["told_again_before"].search(before) and r["told_again_tail"].match(tail))


@_lower_case
def counted_person_before(before: str) -> bool:
    """Whether `before` ends in one counted person and the comma of an apposition ("another civilian, ")."""
    return bool(_rx()["counted_person_end"].search(before[-80:]))


@_lower_case
def joins_people(between: str) -> bool:
    """Whether the text between two numbers names people and joins them to the next ("civilians and ")."""
    return bool(_rx()["people_join"].fullmatch(between))


@_lower_case
def named_at(tail: str) -> str | None:
    """The people named at the start of `tail` ("servicemen since the war ended" -> "servicemen"), or None."""
    m = _rx()["subject_tail"].match(tail)
    return m.group("p").strip() if m else None


@_lower_case
def part_of_named(tail: str) -> Casualty | None:
    """"247 of the victims were civilians", "Two of the wounded were evacuated": a part of the people the noun after
    "of" names; its group is the one a copula gives after it, else that of the people it points back to."""
    r = _rx()
    for metric, rx in r["part_of_named"]:
        m = rx.match(tail)
        if m is None:
            continue
        t = r["subset_tail"].match(tail, m.end())
        if t is not None:
            return Casualty(metric, t.group("p").strip())
        # "One of the wounded, a senior lieutenant, later died": what happened to the part, when the text says it
        rest = _APPOSITION_LEAD.sub(" ", tail[m.end():m.end() + 160], count=1)
        then = _from_tail(rest)
        return Casualty(then.metric if then is not None and not then.group_phrase else metric, m.group(0).strip())
    return None


_APPOSITION_LEAD = re.compile(r"^\s*,[^,;.]{1,60},")


@_lower_case
def past_the_parts(after: str) -> Casualty | None:
    """The verb of people whose parts or names come between them and it: "336 people (65 killed, 271 injured)
    became victims", "three people, namely, ..., were killed". `after` is the text after the number."""
    r = _rx()
    for key in ("bracket_after_people", "namely_after_people", "part_clause_after_people"):
        m = r[key].match(after[:500])
        if m:
            c = _from_tail(m.group("np") + after[m.end():m.end() + 120])
            if c is not None:
                return c
    return None


@_lower_case
def part_without_verb(tail: str, metric: str | None) -> Casualty | None:
    """"three people were killed, two of whom - from cluster munitions": a part of the figure before."""
    if metric is None or not _rx()["part_without_verb"].match(tail):
        return None
    return Casualty(metric, "of whom")


# _from_tail's answers for the sentence being read: the rules of one sentence ask about the same words after a
# number several times (the number's own rules, its list, the articles around it); forgotten with each sentence
# (`new_sentence`)
_TAILS: dict[str, Casualty | None] = {}


def new_sentence() -> None:
    _TAILS.clear()


def _from_tail(tail: str) -> Casualty | None:
    try:
        return _TAILS[tail]
    except KeyError:
        got = _TAILS[tail] = _read_tail(tail)
        return got


def _read_tail(tail: str) -> Casualty | None:
    r = _rx()
    best = None
    for metric in ("victims", "killed", "injured"):
        m = r["tail"][metric].match(tail)
        if not m:
            continue
        grp = m.group("grp")
        if grp.strip() and not people_in(grp):
            continue
        if best is None or m.start("verb") < best[1]:
            fatal = r["fatal"].search(m.group("aux")) or r["fatal"].search(m.group("verb")) \
                or r["died_after"].match(tail, m.end("verb"))
            met = "killed" if metric == "injured" and fatal else metric
            hit = metric == "victims" and bool(r["hit"].fullmatch(m.group("verb")))
            if hit and not r["ends_in_people"].search(grp.strip().rstrip(",").rstrip()):
                continue   # "the tractor the two men were riding struck a mine": the people are not what hit it
            best = (Casualty(met, grp.strip(), hit), m.start("verb"))
    return best[0] if best else None


@_lower_case
def from_active_verb(before: str, tail: str) -> Casualty | None:
    """Verb-first: "killing two servicemen", "injured a civilian"."""
    r = _rx()
    if r["active_left"].search(before[-12:]):
        # "left two dead", "left 36 others with varying degrees of injuries"
        metric = "killed" if r["left_killed"].match(tail) else "injured" if r["left_injured"].match(tail) else None
        phrase = r["phrase_stop"].split(tail[:60], maxsplit=1)[0]
        return Casualty(metric, phrase.strip()) if metric and people_in(phrase) else None
    verbs = list(r["active"].items()) + [("victims", r["active_hit"])]
    for metric, rx in verbs:
        if rx.search(before[-40:]):
            phrase = tail[:60]
            stop = r["phrase_stop"].search(phrase)
            phrase = phrase[: stop.start()] if stop else phrase
            if r["place_or_time"].match(phrase):
                phrase = ""   # "killed 75 people and injured 320 in Azerbaijan": the noun is left out
            if phrase.strip() and not people_in(phrase):
                return None
            if rx is r["active_hit"] and not phrase.strip():
                return None   # "hit 30 targets", "struck 5 times": a hit without people is no casualty
            return Casualty(metric, phrase.strip(), rx is r["active_hit"])
    return None


@_lower_case
def group_total(before: str) -> Casualty | None:
    """"the civilians among the victims numbered 189": (victims, "civilians")."""
    r = _rx()
    if not r["group_verb_end"].search(before[-16:]):
        return None    # cheap test first: most numbers follow no such verb
    for metric, rx in r["group_total"]:
        m = rx.search(before[-160:])
        if m:
            return Casualty(metric, m.group("grp").strip())
    return None


@_lower_case
def contrast_part(tail: str, metric: str | None) -> Casualty | None:
    """"..., while 107 were servicemen" after a count of civilian victims: the same metric, another group."""
    if metric is None:
        return None
    t = _rx()["subset_tail"].match(tail)
    return Casualty(metric, t.group("p").strip()) if t else None


@_lower_case
def part_of_them(tail: str, metric: str | None) -> Casualty | None:
    """"300 people were hit by mines, 228 of them civilians": a group part of the people counted before."""
    if metric is None:
        return None
    t = _rx()["of_them_group"].match(tail)
    return Casualty(metric, t.group("p").strip()) if t else None


@_lower_case
def group_only(tail: str) -> tuple[str, str] | None:
    """A tail that only names people and ends in a connector: (phrase, connector) for coordination/parts."""
    m = _rx()["group_only"].fullmatch(tail)
    if not m:
        return None
    return tail[: m.start("conn")].strip(), m.group("conn").strip()


@_lower_case
def part(tail: str) -> tuple[str, str] | None:
    """A tail that names only people and then a connector: ("civilian deminers", "and")."""
    m = _rx()["part"].match(tail)
    return (m.group("p").strip(), m.group("conn")) if m else None


@_lower_case
def total_before_parts(tail: str) -> str | None:
    """"45 persons, including 38 civilians and ...": the people phrase of a total whose parts follow."""
    m = _rx()["total_parts"].fullmatch(tail)
    return m.group("p").strip() if m else None


@lru_cache(maxsize=None)
def _lone_rx():
    d = load("people")
    g = d["groups"]
    slots = dict(lone_nouns=alternation(g["military"] + g["civilian"] + d["lone_people"]),
                 incident=alternation(load("cues")["incident"]), lone_verbs=d["lone_verbs"])
    return {
        # "A 34-year-old shepherd stepped on a mine": one person named with an article in an incident clause
        "intro": re.compile(_fill(d["lone_intro"], **slots)),
        # "... and was hospitalised" in the same sentence, or "The civilian was taken to hospital" next
        "same": re.compile(_fill(d["lone_same"], **slots)),
        "next": re.compile(_fill(d["lone_next"], **slots)),
        "plural": re.compile(d["plural_noun"]),
        "killed": {w.lower() for w in d["lone_killed"]},
    }


@_lower_case
def lone_victim(text: str, next_text: str) -> tuple[str, int, str] | None:
    """One person hurt, with no number: "A shepherd stepped on a mine ... and was injured" or "A farmer hit
    a mine. He was hospitalised": (metric, offset of the person noun, noun)."""
    r = _lone_rx()
    m = r["intro"].search(text)
    if m is None or r["plural"].search(m.group("noun")):
        return None
    v = r["same"].search(text, m.end()) or r["next"].match(next_text)
    if v is None:
        return None
    verb = (v.group("v") or v.group("d") or "").lower()
    metric = "killed" if verb in r["killed"] else "injured"
    return metric, m.start("noun"), m.group("noun")


@_lower_case
@_lower_case
def whole_of_parts(before: str, between: str) -> str | None:
    """"Of the five servicemen in the car, | four ...": the people phrase of a whole that the next numbers split,
    from the text `before` its number and the text `between` it and the next number; None if it is none."""
    r = _rx()
    if not r["whole_lead"].search(before):
        return None
    m = r["whole_tail"].match(between)
    return m.group("p").strip() if m else None


def has_parts_marker(between: str) -> bool:
    return bool(_rx()["parts_marker"].search(between))


# after "the toll ... at": people with their own casualty verb in the clause
_TOLL_SPLIT = re.compile(r"[^.;:]{0,80}?\b(?:killed|dead|died|injured|wounded|hurt)\b")


@_lower_case
def from_noun_before(before: str, tail: str = "") -> Casualty | None:
    """'the number of mine victims ... had reached N'."""
    r = _rx()
    if not r["link_end"].search(before):
        return None
    window = before[-120:]
    best = None
    for metric, rx in r["noun_metric"]:
        for m in rx.finditer(window):
            # the noun closest to the number; "killed or injured" rather than its last word "injured"
            key = (m.end(), -m.start())
            if best is None or key > best[1]:
                best = (metric, key, m.group(0))
    if best is None:
        return None
    if best[2] == "toll" and _TOLL_SPLIT.match(tail):
        return None   # "put the toll at 31 civilians and eight servicemen killed": the verb after says what
    # "the number of civilians killed or wounded ... has risen to 250": the people named before the noun
    lead = window[max(0, -best[1][1] - 40):-best[1][1]]
    return Casualty(best[0], lead.strip() if group_of(lead) else "")


@_lower_case
def metric_named(phrase: str) -> str | None:
    """"killed", "the wounded", "victims": the people metric a bare word names (victims first)."""
    r = _rx()
    p = r["bare_lead"].sub("", phrase).strip(" ,")
    p = r["bare_tail"].split(p)[0]   # "the wounded among mine victims"
    for k in ("victims", "killed", "injured"):
        if re.fullmatch(r"(?:[\w-]+\s+)?(?:" + r["verb_alts"][k] + r")", p):
            return k
    return None
