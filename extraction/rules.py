"""The catalogue of extraction rules.

Every decision the extractor takes about a number is taken by a named rule: `metric.area-unit` gives a
number its metric, `scope.running-total-cue` makes a figure a running total, `where.report-list` gives it the
report's districts. The first part of an id is the module that holds the rule (`metric` for the package
metric/, `scope` for scope.py, ...): `grep -rn '"scope.running-total-cue"' extraction/` finds its code.

The catalogue, data/<lang>/rules.yaml, says for each rule what it does and gives example sentences on which
it must fire (`fires`) and on which it must stay quiet (`quiet`), each with the figures expected from it;
tests/test_extraction_rule_examples.py runs every one. `minemap explain` prints, for each figure, the rules
behind each of its fields with what they say.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from minemap.extraction.lang import load

QUESTIONS = ("numbers", "dates", "metric", "qualifiers", "scope", "when", "where", "group")
DEFAULT_DATE = "2023-06-15"    # the publication date of an example that gives none


@dataclass(frozen=True)
class Example:
    text: str
    date: str | None = DEFAULT_DATE
    title: str | None = None
    expect: tuple[str, ...] | None = None   # figure summaries (see `summary`), None: not checked


@dataclass(frozen=True)
class Rule:
    id: str
    says: str
    fires: tuple[Example, ...]
    quiet: tuple[Example, ...]


def _example(raw) -> Example:
    if isinstance(raw, str):
        return Example(raw)
    expect = raw.get("expect")
    if isinstance(expect, str):
        expect = (expect,)
    return Example(raw["text"], str(raw.get("date", DEFAULT_DATE)) if raw.get("date", DEFAULT_DATE) else None,
                   raw.get("title"), tuple(expect) if expect is not None else None)


@lru_cache(maxsize=None)
def catalogue() -> dict[str, Rule]:
    out = {}
    for rule_id, entry in load("rules").items():
        out[rule_id] = Rule(rule_id, " ".join(entry["says"].split()),
                            tuple(_example(x) for x in entry.get("fires") or ()),
                            tuple(_example(x) for x in entry.get("quiet") or ()))
    return out


def says(rule_id: str) -> str:
    rule = catalogue().get(rule_id)
    return rule.says if rule else ""


def summary(figure) -> str:
    """A figure in the short form examples expect: `metric[/group]=value qualifier scope start..end @districts`
    ("killed/military=2 exact event 2023-09-24..2023-09-24 @AZ-TAR+AZ-AGM"); `-` stands for null."""
    v = figure.value
    value = str(int(v)) if float(v).is_integer() else repr(v)
    head = figure.metric + (f"/{figure.group}" if figure.group else "") + "=" + value
    dates = f"{figure.period_start or '-'}..{figure.period_end or '-'}"
    places = "@" + ("+".join(figure.districts) or "-")
    return " ".join((head, figure.qualifier, figure.scope, dates, places))


def matches(expected: str, figure) -> bool:
    """Whether `figure` has every field that `expected` names (fields it leaves out are not checked)."""
    have = summary(figure).split()
    head, fields = have[0], set(have[1:])
    want = expected.split()
    if want[0] != head:
        return False
    for token in want[1:]:
        if token not in fields:
            return False
    return True
