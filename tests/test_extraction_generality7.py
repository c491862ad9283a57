"""Rules added in the third round on the blind corpora heldout9/11/13, each on text written for these tests."""
from __future__ import annotations

from minemap.extraction.documents import parse_plain
from minemap.extraction.extract import extract
from minemap.extraction.record import Document


def figs(text: str, date: str | None = "2023-05-01"):
    doc = Document(doc_id="t", text=text, date=date)
    return [(f.metric, f.value, f.group, f.scope, f.period_start, f.period_end, f.districts) for f in extract(doc)]


def values(text: str, date: str = "2023-05-01"):
    return [(m, v, g) for m, v, g, *_ in figs(text, date)]


# 1. a headline set off from the body by one line break only

def test_headline_line_without_a_blank_line_is_the_title():
    raw = (" date 2023-05-02 By Staff\nSappers clear 640 hectares in April\nBaku/02.05.23: In April, engineer units "
           "cleared 640 hectares of land and found 25 anti-tank mines.\nThe work went on in Fuzuli.\n")
    doc = parse_plain(raw, "x", None)
    assert doc.title == "Sappers clear 640 hectares in April"
    assert [(f.metric, f.value) for f in extract(doc)] == [("area_ha", 640), ("at_mines", 25)]


def test_hard_wrapped_first_line_is_no_title():
    raw = (" date 2023-05-02 By Staff\nIn April, engineer units cleared 640 hectares of land in the\n"
           "Fuzuli district and found 25 anti-tank mines.\n")
    doc = parse_plain(raw, "x", None)
    assert doc.title is None and doc.text.startswith("In April, engineer units cleared 640 hectares of land in the\nFuzuli")
    raw = " date 2023-05-02 By Staff\nIn April, engineer units cleared 640 hectares\nof land in Fuzuli.\n"
    assert parse_plain(raw, "x", None).title is None


# 2. people left out of a casualty count

def test_count_without_its_people_takes_those_of_the_count_before():
    assert values("This year four border guards were killed by mines and 12 were wounded.") == [
        ("killed", 4, "military"), ("injured", 12, "military")]
    assert values("This year four border guards were killed by mines and 12 residents were wounded.") == [
        ("killed", 4, "military"), ("injured", 12, "civilian")]


# 3. places that name a road by its ends

def test_places_in_a_road_name_are_not_the_figures_place():
    out = figs("On May 2 two drivers were injured by a mine on the Kalbajar–Lachin road near a village of Gubadli district.")
    assert [(m, v, d) for m, v, g, s, a, b, d in out] == [("injured", 2, ("AZ-QBI",))]
    out = figs("In April sappers cleared 35 km of the Fuzuli-Shusha highway and 12 km of village roads.")
    assert {d for *_, d in out} == {()}
    # a place before a dash that names no road stays
    out = figs("In April sappers cleared 35 hectares in Fuzuli - the most of any district.")
    assert [d for *_, d in out] == [("AZ-FUZ",)]


# 4. district breakdowns

def placed(text: str, date: str = "2024-02-10"):
    return [(m, v, d) for m, v, g, s, a, b, d in figs(text, date)]


def test_an_item_of_a_breakdown_naming_two_places_is_no_report_list():
    out = placed("In 2023, 40,000 hectares were cleared in the liberated lands. In Fuzuli, the teams cleared 9,000 "
                 "hectares, while Aghdam accounted for 7,500 hectares. Lachin and Kalbajar together gave 3,100 hectares.")
    assert out == [("area_ha", 40000, ()), ("area_ha", 9000, ("AZ-FUZ",)), ("area_ha", 7500, ("AZ-AGM",)),
                   ("area_ha", 3100, ("AZ-KAL", "AZ-LAC"))]


def test_parts_of_a_place_are_not_parts_of_the_figures():
    out = placed("Of the 5,100 mines destroyed in 2023, 1,900 were found in Tartar, including the Aghdara area; "
                 "Fuzuli followed with 1,200.")
    assert out == [("mines", 5100, ()), ("mines", 1900, ("AZ-TAR",)), ("mines", 1200, ("AZ-FUZ",))]


def test_a_places_history_does_not_date_the_report_list():
    # "the villages ... returned in 2024" is the villages' history, not the window of the work
    out = figs("From March 3 to 9, the agency cleared 840 hectares and found 25 anti-tank mines. The teams worked in "
               "Aghdam, Fuzuli and Lachin, and in the villages of Gazakh district returned in 2024.", "2025-03-11")
    assert [(m, v, s, a, b, d) for m, v, g, s, a, b, d in out] == [
        ("area_ha", 840, "period", "2025-03-03", "2025-03-09", ("AZ-AGM", "AZ-FUZ", "AZ-LAC", "AZ-QAZ")),
        ("at_mines", 25, "period", "2025-03-03", "2025-03-09", ("AZ-AGM", "AZ-FUZ", "AZ-LAC", "AZ-QAZ"))]
