"""Rules added after the sixth blind corpus, each on sentences written for these tests (not the corpus's)."""
from __future__ import annotations

from minemap.extraction.extract import extract
from minemap.extraction.record import Document


def figs(text: str, date: str | None = "2023-05-01"):
    doc = Document(doc_id="t", text=text, date=date)
    return [(f.metric, f.value, f.group, f.scope, f.period_start, f.period_end, f.districts) for f in extract(doc)]


def placed(text: str, date: str = "2023-05-01"):
    return [(m, v, d) for m, v, g, s, a, b, d in figs(text, date)]


# 1. district splits where the place comes before its number, or the total comes first

def test_of_the_total_keeps_no_place_of_its_part():
    assert placed("Of the 12,500 hectares demined in 2022, about 3,200 hectares were in Fuzuli.") == [
        ("area_ha", 12500, ()), ("area_ha", 3200, ("AZ-FUZ",))]
    assert placed("Out of a total of 800 mines found last year, 350 mines were found in Lachin.") == [
        ("mines", 800, ()), ("mines", 350, ("AZ-LAC",))]


def test_in_place_clauses_each_take_their_own_place():
    out = placed("In 2022, in Shusha the total came to 640 hectares, in Jabrayil 1,210 hectares and "
                 "in Khojaly 95 hectares.")
    assert out == [("area_ha", 640, ("AZ-SUS",)), ("area_ha", 1210, ("AZ-CAB",)), ("area_ha", 95, ("AZ-XCI",))]


def test_in_clause_split_needs_a_place():
    # ", in the same period" names no place: the sentence's one place holds for both figures
    out = placed("Deminers cleared 300 hectares in Aghdam in March, in the same period finding 45 mines.")
    assert {d for _, _, d in out} == {("AZ-AGM",)}


def test_place_before_number_with_linking_verb():
    out = placed("In 2022, Zangilan recorded 2,050 hectares, Kalbajar 1,400 hectares and Aghdam 980 hectares.")
    assert out == [("area_ha", 2050, ("AZ-ZAN",)), ("area_ha", 1400, ("AZ-KAL",)), ("area_ha", 980, ("AZ-AGM",))]
    out = placed("In 2022, Lachin accounted for 410 mines, Gubadli 220 mines and Fuzuli 130 mines.")
    assert out == [("mines", 410, ("AZ-LAC",)), ("mines", 220, ("AZ-QBI",)), ("mines", 130, ("AZ-FUZ",))]


def test_number_then_place_order_still_works():
    out = placed("In 2022, 5,000 hectares were cleared in Aghdam and 2,000 hectares in Fuzuli.")
    assert out == [("area_ha", 5000, ("AZ-AGM",)), ("area_ha", 2000, ("AZ-FUZ",))]


# 2. minefield maps named after the number or in the sentence before

def test_mines_recorded_on_maps_named_after_the_number():
    out = figs("Some 40,000 mines in Kalbajar were shown on the maps delivered on March 2, 2022.")
    assert out == [("mines_mapped", 40000, None, "event", "2022-03-02", "2022-03-02", ("AZ-KAL",))]


def test_handover_after_a_sentence_about_maps():
    out = figs("Baku keeps asking for the remaining minefield maps. A second batch, given on May 5, 2022, "
               "covered 12,000 anti-tank mines in Lachin.")
    assert out == [("mines_mapped", 12000, None, "event", "2022-05-05", "2022-05-05", ("AZ-LAC",))]


def test_mines_found_after_maps_stay_clearance():
    out = figs("Armenia handed over more maps in 2021. Since then, sappers have found 1,300 mines in Aghdam.")
    assert [m for m, *_ in out] == ["mines"]


# 3. a place's history in an apposition does not date the incident

def test_background_return_date_does_not_override_incident_day():
    out = figs("A farmer from Gazakh was wounded by a landmine on April 3 near a village of Gazakh, one of "
               "those handed back to Azerbaijan in 2024.", date="2025-04-05")
    assert out == [("injured", 1, "civilian", "event", "2025-04-03", "2025-04-03", ("AZ-QAZ",))]


# 4. a hedged conversion in brackets repeats the figure

def test_hedged_bracketed_conversion_is_not_a_second_figure():
    out = placed("Last week 4,530,000 square metres (roughly 450 hectares) were cleared in Tartar.")
    assert out == [("area_ha", 453, ("AZ-TAR",))]
    # a bracketed number far from the first one is its own figure
    out = placed("Last week 4,530,000 square metres (and 120 hectares of farmland) were cleared in Tartar.")
    assert [v for _, v, _ in out] == [453, 120]


# 5. "of whom" refers to the people named last, not to a group word further back

def test_anaphor_takes_the_group_of_the_nearest_people():
    out = [(m, v, g) for m, v, g, *_ in figs(
        "Landmines still endanger displaced families: 40 people were killed or injured by mines in 2022, "
        "12 of whom were killed and 28 injured.")]
    assert out == [("victims", 40, None), ("killed", 12, None), ("injured", 28, None)]
    out = [(m, v, g) for m, v, g, *_ in figs(
        "In 2022, 15 soldiers were killed or injured by mines, 4 of whom were killed.")]
    assert out == [("victims", 15, "military"), ("killed", 4, "military")]


def test_split_rules_leave_shared_places_alone():
    # a clause with no place of its own keeps the sentence's places
    out = placed("Deminers cleared 1,000 hectares in Aghdam and Fuzuli, in May finding 200 mines.", "2023-01-10")
    assert out == [("area_ha", 1000, ("AZ-AGM", "AZ-FUZ")), ("mines", 200, ("AZ-AGM", "AZ-FUZ"))]
    # a total that names its place passes it to its parts
    out = placed("Of the 300 mines found in Aghdam in 2022, 200 were anti-tank mines.", "2023-01-10")
    assert out == [("mines", 300, ("AZ-AGM",)), ("at_mines", 200, ("AZ-AGM",))]
    # mixed orders in one sentence
    out = placed("In 2022, 5,000 hectares were cleared in Aghdam, in Fuzuli 2,000 hectares, while Lachin had "
                 "700 hectares.", "2023-01-10")
    assert out == [("area_ha", 5000, ("AZ-AGM",)), ("area_ha", 2000, ("AZ-FUZ",)), ("area_ha", 700, ("AZ-LAC",))]
