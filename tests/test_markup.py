"""Markdown inline markup and lines pointing to other stories (extraction/markup.py), on sentences written
for these tests."""
from __future__ import annotations

import time

import pytest

from minemap.extraction.documents import read_documents
from minemap.extraction.extract import extract
from minemap.extraction.markup import drop_other_stories, markdown_to_text


@pytest.mark.parametrize("md, text", [
    ("Sappers lifted **87** anti-tank mines.", "Sappers lifted 87 anti-tank mines."),
    ("Sappers lifted *87* anti-tank mines.", "Sappers lifted 87 anti-tank mines."),
    ("Sappers lifted ***87 anti-tank mines***.", "Sappers lifted 87 anti-tank mines."),
    ("Sappers lifted __87__ anti-tank mines.", "Sappers lifted 87 anti-tank mines."),
    ("Sappers lifted `87` anti-tank mines.", "Sappers lifted 87 anti-tank mines."),
    ("Sappers lifted [87 anti-tank mines](https://example.org/a?b=1) in Khojaly.",
     "Sappers lifted 87 anti-tank mines in Khojaly."),
    ("See the [agency's page][1] for 87 mines.", "See the agency's page for 87 mines."),
    ("![a cleared field](field.jpg) 40 hectares", "a cleared field 40 hectares"),
    ("Sappers lifted <strong>87</strong> anti-tank mines.<br/>", "Sappers lifted 87 anti-tank mines."),
    ("Mines &amp; shells: 12", "Mines & shells: 12"),
    (r"1\. Item", "1. Item"),
])
def test_inline_markup_goes_and_words_stay(md, text):
    assert markdown_to_text(md) == text


@pytest.mark.parametrize("md", [
    "a file_name_with_underscores and an address https://example.org/some_page_here",
    "2 * 3 = 6 and 4 * 5 = 20",      # arithmetic, not emphasis (spaces inside the markers)
    "an unclosed **bold that never ends",
    "a < b and c > d",
])
def test_text_that_only_looks_like_markup_is_kept(md):
    assert markdown_to_text(md) == md


@pytest.mark.parametrize("line", [
    "Read also: 9,500 hectares were cleared in Kalbajar",
    "READ MORE: Two shepherds injured by a mine in Aghdam",
    "**Read also:** 300 mines defused in Jabrayil",
    "See also - Deminers clear 40 km of road",
    "Related: 3 soldiers wounded near Tartar",
    "Related news: mine maps handed over",
    "Also read — 12 anti-tank mines found",
    "> Read also: a quoted link line",
])
def test_lines_pointing_to_other_stories_go(line):
    assert drop_other_stories(f"First line.\n{line}\nLast line.") == "First line.\nLast line."


@pytest.mark.parametrize("line", [
    "Related incidents: 5 people were injured in May.",   # a label of this report's own table
    "Read more about the agency on its site.",             # no separator after the cue
    "The minister said deminers read also the old maps: 40 minefields.",
    "Unrelated: 4 mines were found.",
])
def test_lines_of_the_report_itself_stay(line):
    assert drop_other_stories(line) == line


def test_markdown_report_keeps_its_marked_up_figures_and_loses_the_linked_story(tmp_path):
    (tmp_path / "r.md").write_text(
        "---\ndate: 2025-03-04\n---\nDeminers removed **64** anti-personnel mines and [9 anti-tank mines]"
        "(https://example.org/x) in Fuzuli district in February.\n\n"
        "Read also: 7,000 hectares were cleared in Lachin district in January.\n", encoding="utf-8")
    (tmp_path / "p.html").write_text(
        "<html><body><article><h1>Clearance in Zangilan</h1><p>In March 2025, 25 hectares were cleared in "
        "Zangilan district.</p><p>Related: <a href='/x'>In March 2025, 6 civilians were injured in Tartar "
        "district</a></p></article></body></html>", encoding="utf-8")
    docs = {d.doc_id: d for d in read_documents([tmp_path])}
    figs = {k: sorted((f.metric, f.value) for f in extract(d)) for k, d in docs.items()}
    assert figs["r"] == [("ap_mines", 64), ("at_mines", 9)]
    assert figs["p"] == [("area_ha", 25)]
    for d in docs.values():
        for f in extract(d):
            assert d.text[f.evidence.start:f.evidence.end] == f.evidence.text


def test_markup_passes_are_linear():
    hostile = ("*" * 50_000 + "_" * 50_000 + "[" * 50_000 + "<a " * 30_000 + "\n") * 4
    t0 = time.process_time()
    drop_other_stories(markdown_to_text(hostile))
    assert time.process_time() - t0 < 2


def test_a_markdown_title_loses_its_markup_too(tmp_path):
    (tmp_path / "t.md").write_text("---\ndate: 2024-06-01\ntitle: 'Clearance in **Khojavend**: [12 mines](https://x.org)'\n"
                                   "---\nNothing else.\n", encoding="utf-8")
    [doc] = list(read_documents([tmp_path]))
    assert doc.title == "Clearance in Khojavend: 12 mines"
    assert doc.text.startswith("Clearance in Khojavend: 12 mines")
