"""Where sentences end, on careless copy too, and that splitting and the rules stay linear in the text."""
from __future__ import annotations

import time

import pytest

from minemap.extraction.extract import extract
from minemap.extraction.record import Document
from minemap.extraction.sentences import split_sentences


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize("text,expected", [
    # a full stop that lost its space still ends a sentence before a capitalised word
    ("Sappers worked near the river.Then they moved on.", ["Sappers worked near the river.", "Then they moved on."]),
    ("The team reached Ağdərə.Work began at once.", ["The team reached Ağdərə.", "Work began at once."]),
    ("The village lies in Laçın.Families return soon.", ["The village lies in Laçın.", "Families return soon."]),
    ("It was checked in 2023.The road opened.", ["It was checked in 2023.", "The road opened."]),
    ("The agency (ANAMA).The next step.", ["The agency (ANAMA).", "The next step."]),
])
def test_a_glued_full_stop_ends_a_sentence(text, expected):
    assert texts(text) == expected


@pytest.mark.parametrize("text", [
    "The plan covers 2.5 hectares near the road.",     # a decimal point
    "Gen.Hasanov met the deminers at the site.",       # an abbreviation
    "Files were saved as report.PDF by the office.",   # an upper-case extension, no word after it
    "They met A.Aliyev and U.S.Officials at noon.",    # initials
    "See www.Example.com for the map of the area.",    # a web address
])
def test_a_full_stop_inside_a_token_does_not(text):
    assert texts(text) == [text]


def test_a_megabyte_without_a_sentence_end_extracts_in_seconds():
    # a paragraph with no full stop, of words, numbers and district names: every rule must work on a bounded
    # stretch around a number, never on the whole paragraph
    # (other numbers each time: one figure stated twice is one record)
    chunk = ("deminers of the agency found {} anti-tank mines and 3 shells in Aghdam and cleared 4,5 hectares "
             "of land between villages on a road of 2 km, ")
    text = "".join(chunk.format(i + 10) for i in range(1_000_000 // len(chunk) + 1))
    doc = Document("big", text, "2023-05-01")
    t0 = time.process_time()   # CPU time: a busy machine must not fail this, a quadratic pass must
    figures = extract(doc)
    seconds = time.process_time() - t0
    assert len(figures) > 1000
    assert all(text[f.evidence.start:f.evidence.end] == f.evidence.text for f in figures)
    assert seconds < 10, f"1 MB without a sentence end took {seconds:.1f} s of CPU"
