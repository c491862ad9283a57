"""Every extraction rule of figures.md / domain.md, on sentences written for these tests."""
from __future__ import annotations

from minemap.extraction.documents import parse_plain
from minemap.extraction.extract import extract
from minemap.extraction.record import Document


def figs(text: str, date: str | None = "2023-06-15", title: str | None = None):
    doc = Document(doc_id="t", text=text, date=date, title=title)
    return [(f.metric, f.value, f.qualifier, f.scope, f.period_start, f.period_end, f.districts, f.group)
            for f in extract(doc)]


def metrics(text, date="2023-06-15"):
    return [(f[0], f[1]) for f in figs(text, date)]


# --- metrics and units ---------------------------------------------------------------------------

def test_item_metrics_and_combined_forms():
    assert metrics("Sappers found 31 anti-personnel mines, 8 antitank mines and 240 items of unexploded "
                   "ordnance last week.") == [("ap_mines", 31), ("at_mines", 8), ("uxo", 240)]
    assert metrics("Teams destroyed 640 anti-personnel and 75 anti-tank mines in May.") == [
        ("ap_mines", 640), ("at_mines", 75)]
    assert metrics("Since January, 4,410 anti-personnel and anti-tank mines and 2,212 munitions were removed.") == [
        ("mines", 4410), ("uxo", 2212)]
    assert metrics("In April, 903 mines and unexploded ordnance were neutralized.") == [("explosive_items", 903)]
    assert metrics("Deminers defused 52 AP mines and 9 UXO in March.") == [("ap_mines", 52), ("uxo", 9)]
    assert metrics("In May, 71 landmines and 18 explosive remnants of war were destroyed.") == [
        ("mines", 71), ("uxo", 18)]


def test_number_words_and_articles():
    assert metrics("In May, sappers found Nineteen anti-tank mines, an anti-personnel mine and a shell.") == [
        ("at_mines", 19), ("ap_mines", 1), ("uxo", 1)]
    # an article that is not a count: the mine that exploded, the map handed over
    assert metrics("A tractor ran over a mine near the road in May.") == []


def test_area_units_and_forms():
    assert metrics("In May, 2,500,000 square metres were cleared.") == [("area_ha", 250)]
    assert metrics("In May, 3.5 square kilometers were cleared.") == [("area_ha", 350)]
    assert metrics("In May, sappers cleared a 415-hectare plot.") == [("area_ha", 415)]
    assert metrics("In May, mine clearance of 2 318 hectares was completed.") == [("area_ha", 2318)]
    assert metrics("In May, 61234,7 hectares were cleared.") == [("area_ha", 61234.7)]
    assert metrics("In May, 2318, 4 hectares were cleared.") == [("area_ha", 2318.4)]


def test_bracketed_conversion_is_not_a_second_figure():
    assert metrics("In May, 4,120,000 square meters (412 ha) were cleared.") == [("area_ha", 412)]


def test_roads_km_but_not_borders_or_distances():
    assert metrics("In May, sappers checked 42 kilometers of roads for mines.") == [("roads_km", 42)]
    assert metrics("The state border runs for 340 km along the river.") == []
    assert metrics("The village lies 12 km from the town of Lachin.") == []


def test_gapped_numbers_repeat_the_metric():
    assert metrics("In 2022 the agency cleared 900 hectares, the army 300, and private firms 120.") == [
        ("area_ha", 900), ("area_ha", 300), ("area_ha", 120)]


def test_mines_mapped():
    out = figs("On March 9, Armenia handed over maps of 3,100 anti-personnel mines in the Lachin district.",
               "2022-04-01")
    assert out == [("mines_mapped", 3100, "exact", "event", "2022-03-09", "2022-03-09", ("AZ-LAC",), None)]


# --- qualifiers --------------------------------------------------------------------------------------

def test_qualifiers_in_context():
    out = figs("Last week, some 88 mines and over 1,200 hectares, up to 14 kilometers of roads and about 30 "
               "shells were cleared.")
    assert [(m, v, q) for m, v, q, *_ in out] == [
        ("mines", 88, "approx"), ("area_ha", 1200, "at_least"), ("roads_km", 14, "at_most"), ("uxo", 30, "approx")]


# --- casualties and groups -------------------------------------------------------------------------

def test_groups_and_totals_with_parts():
    out = figs("On May 3, nine people were hurt when a mine exploded in Aghdam: six soldiers and three "
               "residents.")
    assert [(m, v, g) for m, v, q, s, a, b, d, g in out] == [
        ("injured", 9, None), ("injured", 6, "military"), ("injured", 3, "civilian")]
    assert {(s, a, d) for m, v, q, s, a, b, d, g in out} == {("event", "2023-05-03", ("AZ-AGM",))}


def test_nested_breakdown_in_brackets():
    out = figs("Since the end of the war, 310 citizens (170 servicemen and 140 civilians) have been wounded by "
               "mines.")
    assert [(m, v, g, s) for m, v, q, s, a, b, d, g in out] == [
        ("injured", 310, None, "cumulative"), ("injured", 170, "military", "cumulative"),
        ("injured", 140, "civilian", "cumulative")]


def test_coordination_and_anaphora():
    out = figs("On May 3, a blast in Fuzuli killed two soldiers and injured a shepherd. Two more servicemen "
               "stepped on a mine nearby: one of them died.")
    # servicemen who stepped on a mine were hit by it (figures.md "People": victims, as "struck a mine"); one of
    # them dying does not split them into killed and injured
    assert [(m, v, g) for m, v, q, s, a, b, d, g in out] == [
        ("killed", 2, "military"), ("injured", 1, "civilian"), ("victims", 2, "military"), ("killed", 1, "military")]
    assert all(f[3:7] == ("event", "2023-05-03", "2023-05-03", ("AZ-FUZ",)) for f in out)


def test_victims_as_one_number():
    assert metrics("Since November 2020, 402 people have been killed or injured by mines.") == [("victims", 402)]
    assert metrics("The foreign ministry said the number of mine victims had reached 399.") == [("victims", 399)]


def test_casualties_need_mines_not_shelling_or_traffic():
    assert metrics("Artillery shelling killed 14 civilians in the town.") == []
    assert metrics("Three people were injured in a traffic accident on the highway.") == []


# --- scope and dates -------------------------------------------------------------------------------

def test_cumulative_cues_and_as_of_date():
    for cue in ("so far", "to date", "by now", "since the end of the war"):
        [f] = figs(f"Sappers have cleared 9,300 hectares {cue}.", "2022-02-01")
        assert f[3:6] == ("cumulative", None, "2022-02-01"), cue


def test_cumulative_since_war_dates_and_statement_day():
    [f] = figs("On May 28, the ministry reported that 74 servicemen had been killed by mines since "
               "September 27, 2020.", "2022-06-03")
    assert f[3:6] == ("cumulative", "2020-09-27", "2022-05-28") and f[7] == "military"


def test_period_since_a_later_start():
    [f] = figs("Since the start of 2022, sappers have cleared 2,700 hectares.", "2022-05-04")
    assert f[3:6] == ("period", "2022-01-01", "2022-05-04")


def test_weak_total_cue_next_to_a_window_is_the_window():
    [f] = figs("In total, 40 people were injured by mines in 2022.", "2023-01-10")
    assert f[3:6] == ("period", "2022-01-01", "2022-12-31")


def test_vague_window_is_period_without_dates():
    [f] = figs("During the past two weeks, 19 anti-tank mines were defused.")
    assert f[3:6] == ("period", None, None)


def test_last_week_is_inferred_from_the_publication():
    doc = Document(doc_id="t", text="During the past week, 19 anti-tank mines were defused.", date="2023-06-15")
    [f] = extract(doc)
    assert (f.scope, f.period_start, f.period_end, f.period_inferred) == ("period", "2023-06-08", "2023-06-14", True)
    assert f.to_dict()["period_inferred"] is True


def test_one_sentence_two_windows():
    out = figs("In 2021 the teams cleared 9,000 hectares, and in 2022 they cleared 14,000 hectares.")
    assert [(v, a) for m, v, q, s, a, *_ in out] == [(9000, "2021-01-01"), (14000, "2022-01-01")]


def test_background_dates_are_not_windows():
    out = figs("In the lands liberated in November 2020, 44 mines were found from June 5 to June 11.")
    assert out[0][4:6] == ("2023-06-05", "2023-06-11")


# --- report context --------------------------------------------------------------------------------

def test_report_context_period_and_districts_inherited():
    text = ("Between April 10 and 16 the agency worked in the Lachin, Kalbajar and Gubadli districts.\n\n"
            "Its deminers found 22 anti-tank mines.\n\n"
            "In the same period 310.5 hectares were cleared in the liberated territories.\n\n"
            "Since 2020 the agency has cleared 60,000 hectares so far.")
    out = figs(text, "2023-04-18")
    lqk = ("AZ-KAL", "AZ-LAC", "AZ-QBI")
    assert out[0] == ("at_mines", 22, "exact", "period", "2023-04-10", "2023-04-16", lqk, None)
    assert out[1][3:7] == ("period", "2023-04-10", "2023-04-16", lqk)
    assert out[2][3:7] == ("cumulative", None, "2023-04-18", ())


def test_lead_sentence_takes_the_window_that_follows():
    text = ("About 140 mines and munitions were neutralized, the agency said.\n\n"
            "From May 1 to May 7, 130 anti-tank mines and 10 shells were found in Aghdam and Tartar.")
    out = figs(text, "2023-05-09")
    assert out[0][:7] == ("explosive_items", 140, "approx", "period", "2023-05-01", "2023-05-07",
                          ("AZ-AGM", "AZ-TAR"))


def test_per_district_figures_are_not_a_report_list():
    out = figs("In 2022 the teams cleared 800 hectares in Aghdam, 650 hectares in Fuzuli and 90 hectares in "
               "other areas.", "2023-02-01")
    assert [(v, d) for m, v, q, s, a, b, d, g in out] == [(800, ("AZ-AGM",)), (650, ("AZ-FUZ",)), (90, ())]


def test_spelling_variants_and_aghdara():
    out = figs("In May, 5 mines were found in Agdam, Fizuli, Terter, Aghdara, Kelbajar and Shusha city.")
    assert out[0][6] == ("AZ-AGM", "AZ-FUZ", "AZ-KAL", "AZ-SUS", "AZ-TAR")


def test_dateline_place_is_not_a_district():
    out = figs("BAKU, May 3 (Trend) - In April, sappers found 12 anti-tank mines.")
    assert out[0][6] == ()


# --- headlines -------------------------------------------------------------------------------------

def test_headline_repeating_the_body_is_dropped_new_number_kept():
    doc = parse_plain("---\ntitle: Teams clear 1,300 hectares, 8 mines found\ndate: 2023-03-01\n---\n"
                      "In February the teams cleared 1,296.4 hectares.", "h", None)
    out = [(f.metric, f.value) for f in extract(doc)]
    assert out == [("mines", 8), ("area_ha", 1296.4)]


# --- non-figures -----------------------------------------------------------------------------------

def test_numbers_that_are_not_figures():
    text = ("On May 2, 12 prisoners were exchanged for maps. The war lasted 44 days. The maps are only 30 percent "
            "accurate. About 9,000 hectares still have to be cleared. The agency was founded in 1998. "
            "Risk education sessions reached 5,000 people. Armenia planted about 1.5 million mines.")
    assert figs(text) == []


def test_evidence_points_into_the_text():
    text = "Heading line\n\nIn May, 5 mines were found. Then 7 shells were found in June."
    doc = Document("e", text, "2023-07-01")
    for f in extract(doc):
        assert text[f.evidence.start:f.evidence.end] == f.evidence.text
    assert [f.evidence.text for f in extract(doc)] == ["In May, 5 mines were found.", "Then 7 shells were found in June."]


def test_actor_when_stated():
    doc = Document("a", "In May, the Defence Ministry's sappers found 6 mines.", "2023-07-01")
    assert extract(doc)[0].actor == "Ministry of Defence"


def test_deterministic():
    text = "In May, 5 mines were found in Aghdam. In June, 7 hectares were cleared in Lachin."
    doc = Document("d", text, "2023-07-01")
    assert [f.to_json() for f in extract(doc)] == [f.to_json() for f in extract(doc)]


# --- further phenomena -----------------------------------------------------------------------------

def test_war_losses_are_not_mine_casualties():
    text = ("Mines are still a threat. In the fighting of 2020, 1,900 soldiers were killed. Since the war ended, "
            "280 people have been killed or injured by mines.")
    assert metrics(text) == [("victims", 280)]


def test_total_including_parts():
    assert metrics("In June, deminers found 730 mines, including 515 anti-tank mines.") == [
        ("mines", 730), ("at_mines", 515)]


def test_another_person_in_an_incident():
    out = figs("On May 9, a shepherd was killed by a mine in Gubadli. Another shepherd was hurt.", "2023-05-10")
    assert [(m, v, g, a, d) for m, v, q, s, a, b, d, g in out] == [
        ("killed", 1, "civilian", "2023-05-09", ("AZ-QBI",)), ("injured", 1, "civilian", "2023-05-09", ("AZ-QBI",))]


def test_running_total_named_before_the_number():
    [f] = figs("The new finds bring the number of mines and UXO removed since 2020 to 71,500.", "2023-02-01")
    assert f[:4] == ("explosive_items", 71500, "exact", "cumulative")


def test_since_the_trilateral_statement_is_cumulative():
    [f] = figs("Since the signing of the trilateral statement, 61 servicemen have died in mine blasts.",
               "2022-09-01")
    assert f[0] == "killed" and f[3] == "cumulative" and f[7] == "military"


def test_in_total_after_a_weekly_sentence_sums_that_week():
    text = "From May 8 to 14, 17 anti-tank mines were found in Lachin. In total, 303.2 hectares were cleared."
    out = figs(text, "2023-05-16")
    assert out[1][3:7] == ("period", "2023-05-08", "2023-05-14", ("AZ-LAC",))
    [alone] = figs("In total, 303.2 hectares have been cleared.", "2023-05-16")
    assert alone[3] == "cumulative"


def test_parts_of_the_year_and_numeric_dates():
    out = figs("In the first half of 2023, 9,100 hectares were cleared. From 03.07.2023 to 09.07.2023, "
               "14 shells were destroyed.", "2023-07-11")
    assert [(s, a, b) for m, v, q, s, a, b, d, g in out] == [
        ("period", "2023-01-01", "2023-06-30"), ("period", "2023-07-03", "2023-07-09")]


def test_planted_mines_are_contamination_clause_by_clause():
    assert metrics("Armenia buried about 900,000 mines; the teams have so far destroyed 41,000 mines.") == [
        ("mines", 41000)]
    assert metrics("In May, 62 mines laid by the occupiers were found and defused.") == [("mines", 62)]
