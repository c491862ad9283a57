"""Every extraction rule, on its own example sentences (extraction/data/<lang>/rules.yaml): it fires on each
of its `fires` examples and stays quiet on each of its `quiet` ones, and each example gives the figures it
expects. Also: the catalogue and the code name the same rules, each in the module its id says."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from minemap.extraction.extract import explain
from minemap.extraction.record import Document
from minemap.extraction.rules import QUESTIONS, catalogue, matches, summary

EXTRACTION = Path(__file__).resolve().parent.parent / "extraction"
CASES = [(rule.id, kind, k) for rule in catalogue().values() for kind in ("fires", "quiet")
         for k in range(len(getattr(rule, kind)))]


def _fired(example) -> tuple[set[str], list]:
    doc = Document(doc_id="example", text=example.text, date=example.date, title=example.title)
    if example.title:
        doc = Document(doc_id="example", text=example.title + "\n\n" + example.text, date=example.date,
                       title=example.title)
    ex = explain(doc)
    rules = {r for _, why in ex.figures for r in why.rules()} | {s.rule for s in ex.set_aside}
    return rules, [f for f, _ in ex.figures]


@pytest.mark.parametrize("rule_id,kind,k", CASES, ids=[f"{r}:{kind}{k}" for r, kind, k in CASES])
def test_rule_example(rule_id, kind, k):
    example = getattr(catalogue()[rule_id], kind)[k]
    fired, figures = _fired(example)
    got = [summary(f) for f in figures]
    if kind == "fires":
        assert rule_id in fired, (example.text, got)
    else:
        assert rule_id not in fired, (example.text, got)
    if example.expect is not None:
        assert len(figures) == len(example.expect) and all(
            matches(e, f) for e, f in zip(example.expect, figures)), (example.text, got, example.expect)


def test_every_rule_has_examples_both_ways():
    thin = [r.id for r in catalogue().values() if not r.fires or not r.quiet]
    assert thin == []


def _ids_in_code() -> dict[str, set[Path]]:
    found: dict[str, set[Path]] = {}
    pattern = re.compile(r"[\"'](" + "|".join(QUESTIONS) + r")\.([a-z0-9]+(?:-[a-z0-9]+)*)[\"']")
    for path in EXTRACTION.rglob("*.py"):
        for m in pattern.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(f"{m.group(1)}.{m.group(2)}", set()).add(path)
    return found


def test_catalogue_and_code_name_the_same_rules():
    in_code = _ids_in_code()
    # ids made in code from a word of the language data ("dates." + meaning, "qualifiers." + kind)
    dynamic = {r for r in catalogue() if r.split(".")[0] in ("dates", "qualifiers")}
    assert sorted(set(in_code) - set(catalogue())) == []
    assert sorted(set(catalogue()) - set(in_code) - dynamic) == []


def test_each_rule_lives_in_the_module_its_id_names():
    for rule_id, paths in _ids_in_code().items():
        module = rule_id.split(".")[0]
        homes = {EXTRACTION / f"{module}.py", EXTRACTION / module}
        assert any(p in homes or p.parent in homes for p in paths), (rule_id, sorted(map(str, paths)))
