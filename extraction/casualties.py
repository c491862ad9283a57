"""People killed, injured, or both as one number, and whether they were civilians or military.

Forms handled (term lists in data/people_terms.json):
  "N [people-noun ...] [was/were/have been ...] killed|injured|killed or injured"   (number first)
  "... killing|injuring N [people-noun]"                                           (verb first)
  "N civilians and M servicemen were killed"                                       (coordination)
  "seven were injured: four workers and three soldiers"                             (total and parts)
  "the number of mine victims ... reached N"                                       (noun, link verb, number)
  "The wounded are three servicemen and one civilian"                              (subject, copula, parts)
  "45 persons, including 38 civilians and 7 servicemen, were killed"                (total before its parts)
  "A shepherd stepped on a mine ... The civilian was hospitalised"                  (one unnamed person)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from minemap.extraction.lang import alternation, load


@dataclass(frozen=True)
class Casualty:
    metric: str
    group_phrase: str     # the words naming the people ("military servicemen", "of them", "")


@lru_cache(maxsize=None)
def _rx():
    d = load("people")
    g = d["groups"]
    people = alternation(g["military"] + g["civilian"] + g["none"])
    verbs = {k: alternation(d[k]) for k in ("victims", "killed", "injured")}
    aux = (r"(?:(?:who|that|had|have|has|was|were|is|are|got|been|became|being|reportedly|also|later|"
           r"subsequently|all|both|each|then|allegedly|\w+ly)\s+)*")
    # the people named between the number and the verb; never a coordination ("soldiers and injured")
    head = r"(?P<grp>(?:(?!(?:and|or|but|while)\s)[\w'’().\-]+,?\s+){0,8}?)"
    tail = {k: re.compile(r"(?i)^\s*" + head + r"(?P<aux>" + aux + r")(?P<verb>" + v + r")(?![\w-])")
            for k, v in verbs.items()}
    active = {k: re.compile(r"(?i)(?<![\w-])" + alternation(v) + r"\s+$")
              for k, v in d["active_verbs"].items()}
    return {
        "people": re.compile(r"(?i)(?<![\w-])" + people + r"(?![\w-])"),
        # "two civilians, brothers aged 14 and 17, were injured": an apposition between noun and verb
        "apposition": re.compile(r"(?i)^(?P<np>\s*(?:[\w'’\-]+\s+){0,3}?" + people + r")\s*,\s+(?:[^,;:]|,(?=\s*\d)){1,60}?,(?=\s)(?!\s*\d)"),
        "military": re.compile(r"(?i)(?<![\w-])" + alternation(g["military"]) + r"(?![\w-])"),
        "civilian": re.compile(r"(?i)(?<![\w-])" + alternation(g["civilian"]) + r"(?![\w-])"),
        "anaphor": re.compile(r"(?i)\b(?:of them|of whom|among them|them|of (?:those|these))\b"),
        "inherit": re.compile(r"(?i)(?<![\w-])" + alternation(d["inherit"]) + r"(?![\w-])"),
        # "Of the victims, 228 were civilians": a part of the metric named before the number
        "subset": [(k, re.compile(r"(?i)\b(?:of|among)\s+(?:the|these|those|all)\s+(?:[\w-]+\s+){0,2}?"
                                  + alternation(v) + r"\s*,?\s*(?:[\w,.]+\s+(?:were|was|are|is)\s+(?:[\w'’\-]+\s+)"
                                  r"{0,2}?[\w'’\-]+\s*(?:,\s*and|,|and)\s+)*$")) for k, v in d["subset_nouns"].items()],
        "subset_tail": re.compile(r"(?i)^\s*(?:were|was|are|is)\s+(?:all\s+)?(?P<p>(?:[\w'’\-]+\s+){0,2}?"
                                  + alternation(g["military"] + g["civilian"]) + r")(?![\w-])\s*(?:[,;.)]|and\b|$)"),
        # "The wounded are three servicemen and one civilian": a part of the metric named as the subject
        "subject": [(k, re.compile(r"(?i)\bthe\s+(?:[\w-]+\s+)?" + alternation(v) + r"\s+"
                                   + alternation(d["subject_verbs"]) + r"\s*:?\s+(?:[\w,.]+\s+(?:[\w'’\-]+\s+)"
                                   r"{0,3}?[\w'’\-]+\s*(?:,\s*and|,|and)\s+)*$")) for k, v in d["subject_nouns"].items()],
        "subject_tail": re.compile(r"(?i)^\s*(?P<p>(?:[\w'’\-]+\s+){0,2}?" + people + r")(?![\w-])"),
        "tail": tail,
        "active": active,
        "group_verb_end": re.compile(r"(?i)(?<![\w-])(?:" + alternation(d["group_verbs"]) + r")\s+$"),
        "group_total": [(k, re.compile(r"(?i)(?P<grp>(?:[\w-]+\s+)?" + alternation(g["military"] + g["civilian"])
                                       + r")\s+(?:among|of)\s+(?:the|these|those|all)\s+(?:[\w-]+\s+){0,2}?"
                                       + alternation(v) + r"\s+(?:" + alternation(d["group_verbs"]) + r")\s+$"))
                        for k, v in d["subset_nouns"].items()],
        "group_only": re.compile(r"(?i)^\s*(?:[\w'’\-]+\s+){0,3}?" + people + r"(?:\s+[\w'’\-]+){0,4}?\s*\)?\s*"
                                 r"(?P<conn>,?\s*(?:and|or|as well as|plus)\s*|,\s*|\(\s*|$|\.\s*$|;\s*|\)\s*|\s*[–—]\s*(?:and\s*)?)$"),
        "part": re.compile(r"(?i)^\s*(?P<p>(?:[\w'’\-]+\s+){0,2}?" + people + r")(?![\w-])\s*"
                           r"(?P<conn>,|and\b|or\b|\)|—|–|;|\.|$)"),
        "total_parts": re.compile(r"(?i)^\s*(?P<p>(?:[\w'’\-]+\s+){0,2}?" + people + r")(?![\w-])\s*,?\s*"
                                  r"(?:including|of\s+whom|among\s+(?:them|whom))\s*$"),
        "parts_marker": re.compile(r"(?i)(?::|—|–|\(|\bincluding\b|\bamong them\b|\bof whom\b|\bof them\b|"
                                   r"\bnamely\b|\bconsisting of\b)"),
        "link_end": re.compile(
            r"(?i)(?:reached|rose to|risen to|increased to|grew to|climbed to|stood at|stands at|amounted to|"
            r"amounts to|totall?ed|totals|is|was|were|are|hit|exceeded|surpassed|now|at)\s*$"),
        "noun_metric": [
            ("victims", re.compile(r"(?i)\b(?:victims|casualties|(?:killed|dead) (?:or|and|and/or) (?:injured|wounded|maimed|hurt)|"
                                   r"(?:injured|wounded) (?:or|and) killed)\b")),
            ("killed", re.compile(r"(?i)\b(?:death toll|deaths|dead|fatalities|killed)\b")),
            ("injured", re.compile(r"(?i)\b(?:injured|wounded|injuries)\b")),
        ],
    }


def _adverb_kills(aux: str) -> bool:
    # "fatally wounded", "received fatal injuries (and died)": an injury that killed
    return bool(re.search(r"(?i)\b(?:fatal(?:ly)?|mortal(?:ly)?|lethal)\b", aux))


def people_in(phrase: str) -> bool:
    return bool(_rx()["people"].search(phrase))


def group_of(phrase: str) -> str | None:
    """'military' / 'civilian' / None from the words naming the people; "them" resolves elsewhere."""
    r = _rx()
    mil = r["military"].search(phrase)
    civ = r["civilian"].search(phrase)
    if mil and civ:
        return "military" if mil.start() < civ.start() else "civilian"
    if mil:
        return "military"
    if civ:
        return "civilian"
    return None


# people nouns that name no one new: they point back ("them", "others") or are the metric ("victims")
_NOT_ANTECEDENT = re.compile(r"(?i)^(?:of\s+)?(?:them|whom|those|these|among\s+them|others?|victims?|casualties)$")


def last_plain_people(before: str) -> int | None:
    """End offset of the last people noun without a group in `before` ("31 people"), skipping anaphors and
    metric nouns; None when there is none."""
    r = _rx()
    last = None
    for m in r["people"].finditer(before):
        if group_of(m.group(0)) or _NOT_ANTECEDENT.match(m.group(0).strip()):
            continue
        last = m.end()
    return last


def is_anaphor(phrase: str) -> bool:
    return bool(_rx()["anaphor"].search(phrase)) and not group_of(phrase)


def inherits_group(phrase: str) -> bool:
    """"three others", "his two sons", "a third": people who take the group of those named before."""
    return bool(_rx()["inherit"].search(phrase)) and not group_of(phrase)


def subset_of(before: str, tail: str) -> Casualty | None:
    """"Of the victims, 228 were civilians": (victims, "civilians")."""
    return _group_after_people_noun("subset", before, tail)


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


def from_tail(tail: str) -> Casualty | None:
    """Number-first: "[people-noun ...] were killed"."""
    c = _from_tail(tail)
    if c is None:
        m = _rx()["apposition"].match(tail)
        if m and _from_tail(m.group(0)[m.end("np"):]) is None:
            c = _from_tail(m.group("np") + tail[m.end():])
    return c


def _from_tail(tail: str) -> Casualty | None:
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
            met = "killed" if metric == "injured" and (_adverb_kills(m.group("aux")) or _adverb_kills(m.group("verb"))
                                                       or _DIED_AFTER.match(tail, m.end("verb"))) else metric
            best = (Casualty(met, grp.strip()), m.start("verb"))
    return best[0] if best else None


def from_active_verb(before: str, tail: str) -> Casualty | None:
    """Verb-first: "killing two servicemen", "injured a civilian"."""
    r = _rx()
    for metric, rx in r["active"].items():
        if rx.search(before[-40:]):
            phrase = tail[:60]
            stop = re.search(r"[,;.:]|\band\b", phrase)
            phrase = phrase[: stop.start()] if stop else phrase
            if _PLACE_OR_TIME.match(phrase):
                phrase = ""   # "killed 75 people and injured 320 in Azerbaijan": the noun is left out
            if phrase.strip() and not people_in(phrase):
                return None
            return Casualty(metric, phrase.strip())
    return None


# "received injuries and died on the spot": the injury was fatal
_DIED_AFTER = re.compile(r"(?i)(?:\s+(?:of\s+)?[\w-]+){0,4}?\s*,?\s+and\s+(?:later\s+|subsequently\s+)?died\b")

_PLACE_OR_TIME = re.compile(r"(?i)^\s*(?:in|on|since|during|across|near|at|from|over|by|last|this|so far|to date)\b")


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


def contrast_part(tail: str, metric: str | None) -> Casualty | None:
    """"..., while 107 were servicemen" after a count of civilian victims: the same metric, another group."""
    if metric is None:
        return None
    t = _rx()["subset_tail"].match(tail)
    return Casualty(metric, t.group("p").strip()) if t else None


def group_only(tail: str) -> tuple[str, str] | None:
    """A tail that only names people and ends in a connector: (phrase, connector) for coordination/parts."""
    m = _rx()["group_only"].match(tail)
    if not m:
        return None
    return tail[: m.start("conn")].strip(), m.group("conn").strip()


def part(tail: str) -> tuple[str, str] | None:
    """A tail that names only people and then a connector: ("civilian deminers", "and")."""
    m = _rx()["part"].match(tail)
    return (m.group("p").strip(), m.group("conn")) if m else None


def total_before_parts(tail: str) -> str | None:
    """"45 persons, including 38 civilians and ...": the people phrase of a total whose parts follow."""
    m = _rx()["total_parts"].match(tail)
    return m.group("p").strip() if m else None


@lru_cache(maxsize=None)
def _lone_rx():
    d = load("people")
    g = d["groups"]
    people = alternation(g["military"] + g["civilian"] + ["man", "woman", "person", "resident", "citizen"])
    incident = alternation(load("cues")["incident"])
    verbs = r"(?:(?:was|got|has been|had been|is)\s+(?:\w+ly\s+)?(?P<v>killed|died|injured|wounded|hurt|maimed|" \
            r"hospitali[sz]ed|taken to (?:a |the )?hospital)|(?P<d>died))"
    return {
        # "A 34-year-old shepherd stepped on a mine": one person named with an article in an incident clause
        "intro": re.compile(r"(?i)(?<![\w-])(?:a|an)\s+(?:[\w-]+\s+){0,2}?(?P<noun>" + people
                            + r")(?![\w-])\s+(?:\w+\s+)?" + incident),
        # "... and was hospitalised" in the same sentence, or "The civilian was taken to hospital" next
        "same": re.compile(r"(?i)\band\s+" + verbs),
        "next": re.compile(r"(?i)^\s*(?:he|she|the\s+(?:[\w-]+\s+){0,2}?" + people + r")\s+" + verbs),
    }


def lone_victim(text: str, next_text: str) -> tuple[str, int, str] | None:
    """One person hurt, with no number: "A shepherd stepped on a mine ... and was injured" or "A farmer hit
    a mine. He was hospitalised": (metric, offset of the person noun, noun)."""
    r = _lone_rx()
    m = r["intro"].search(text)
    if m is None or re.search(r"(?i)(?:s|men|children|people|personnel|troops)$", m.group("noun")):
        return None
    v = r["same"].search(text, m.end()) or r["next"].match(next_text)
    if v is None:
        return None
    verb = (v.group("v") or v.group("d") or "").lower()
    metric = "killed" if verb in ("killed", "died") else "injured"
    return metric, m.start("noun"), m.group("noun")


def has_parts_marker(between: str) -> bool:
    return bool(_rx()["parts_marker"].search(between))


def from_noun_before(before: str) -> Casualty | None:
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
                best = (metric, key)
    if best is None:
        return None
    # "the number of civilians killed or wounded ... has risen to 250": the people named before the noun
    lead = window[max(0, -best[1][1] - 40):-best[1][1]]
    return Casualty(best[0], lead.strip() if group_of(lead) else "")


def metric_named(phrase: str) -> str | None:
    """"killed", "the wounded", "victims": the people metric a bare word names (victims first)."""
    p = re.sub(r"(?i)^\s*(?:the|those|these|of)\s+(?:(?:the|those|these)\s+)?", "", phrase).strip(" ,")
    p = re.split(r"(?i)\s+(?:among|of|from|by|in)\s", p)[0]   # "the wounded among mine victims"
    for k in ("victims", "killed", "injured"):
        if re.fullmatch(r"(?i)(?:[\w-]+\s+)?(?:" + _verb_alts()[k] + r")", p):
            return k
    return None


@lru_cache(maxsize=None)
def _verb_alts() -> dict[str, str]:
    d = load("people")
    return {k: alternation(d[k]) for k in ("victims", "killed", "injured")}
