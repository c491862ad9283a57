"""Rules added after the fifth blind corpus, each on sentences written for these tests (not the corpus's)."""
from __future__ import annotations

from minemap.extraction.extract import extract
from minemap.extraction.record import Document


def figs(text: str, date: str | None = "2023-05-01"):
    doc = Document(doc_id="t", text=text, date=date)
    return [(f.metric, f.value, f.group, f.scope, f.period_start, f.period_end, f.districts) for f in extract(doc)]


def people(text: str, date: str = "2023-05-01"):
    return [(m, v, g) for m, v, g, *_ in figs(text, date)]


# 1. a total followed by its parts keeps the total (figures.md "Totals and parts")

def test_total_before_including_parts_is_kept():
    assert people("Since January 2021, 61 people, including 40 civilians and 21 soldiers, were killed by "
                  "landmines in Azerbaijan.") == [("killed", 61, None), ("killed", 40, "civilian"),
                                                  ("killed", 21, "military")]
    assert people("Mines wounded many. In the same period, 150 people, of whom 90 civilians and 60 servicemen, "
                  "were injured by mines.") == [("injured", 150, None), ("injured", 90, "civilian"),
                                                ("injured", 60, "military")]


def test_total_rule_needs_people_parts():
    # a number before "including" that counts no people is no casualty total
    assert people("In 2022, 12 villages, including 3 in Aghdam, were cleared of mines.") == []


# 2. partitive sub-figures

def test_partitive_items_and_casualties():
    out = figs("Deminers found 500 unexploded ordnance in the liberated areas last month. Some 80 of the "
               "unexploded ordnance were found in Aghdam city alone.")
    assert [(m, v, d) for m, v, g, s, a, b, d in out] == [("uxo", 500, ()), ("uxo", 80, ("AZ-AGM",))]
    out = figs("Mine blasts injured 300 people in total. Forty-two of those casualties occurred this year.")
    # "this year" runs to the statement's date (figures.md "Relative windows")
    assert out[1][:6] == ("victims", 42, None, "period", "2023-01-01", "2023-05-01")
    assert [(m, v) for m, v, *_ in figs("Of the mines, 120 were discovered in Lachin in April.")] == [("mines", 120)]
    assert [(m, v) for m, v, *_ in figs("Of the anti-tank mines, 12 were destroyed on site in May.")] == [
        ("at_mines", 12)]


# 3. casualty wording

def test_fatal_injuries_and_died_count_as_killed():
    assert people("A mine exploded on March 3 near Fuzuli, and a villager sustained fatal wounds.") == [
        ("killed", 1, "civilian")]
    assert people("A mine exploded on March 3 near Fuzuli. Two workers received serious injuries and died "
                  "in hospital.") == [("killed", 2, "civilian")]
    # injuries alone stay injuries
    assert people("A mine exploded on March 3 near Fuzuli. Two workers received serious injuries.") == [
        ("injured", 2, "civilian")]


# 5. running totals

def test_wire_since_wars_end_is_cumulative():
    out = figs("Demining in February covered Aghdam and Fuzuli.\n\nSince the war's end: 20,100 ha cleared and "
               "30,500 mines and UXO neutralized, the agency says.")
    assert [(m, v, s, a, d) for m, v, g, s, a, b, d in out] == [
        ("area_ha", 20100, "cumulative", None, ()), ("explosive_items", 30500, "cumulative", None, ())]


def test_in_total_is_not_a_sum_of_previous_casualties():
    out = figs("Eighty people were injured by mines this year. Deminers have cleared 150,000 hectares in total.")
    assert out[0][3] == "period" and out[1][:4] == ("area_ha", 150000, None, "cumulative")
    # a weekly clearance figure followed by "In total" still sums that week
    out = figs("From April 3 to 9, 17 anti-tank mines were found. In total, 210 hectares were cleared.")
    assert out[1][3:6] == ("period", "2023-04-03", "2023-04-09")


# 6. as-of dates of quoted statements

def test_statement_dates_are_as_of_dates():
    [f] = figs("In a statement on February 2, 2023, the agency said that 61,200 hectares had been cleared since "
               "the end of the war.", "2024-03-01")
    assert f[3:6] == ("cumulative", None, "2023-02-02")
    [f] = figs("On February 20 this year, the ministry put the figure at more than 120,000 hectares to date.",
               "2024-03-01")
    assert f[3:6] == ("cumulative", None, "2024-02-20")
    [f] = figs("Landmines have killed or injured 350 people since the end of the war, according to figures "
               "cited by the ombudsman on January 30.", "2024-03-01")
    assert f[:6] == ("victims", 350, None, "cumulative", None, "2024-01-30")
    # the trilateral statement's date is still background, not a statement day
    [f] = figs("Since the trilateral statement of November 10, 2020, 90,000 hectares have been cleared.",
               "2024-03-01")
    assert f[3:6] == ("cumulative", "2020-11-10", "2024-03-01")


# 7. report context: the district list of a report sentence whose verbs are "revealed and rendered harmless"

def test_report_list_reaches_a_follow_up_sentence():
    out = figs("In August 2024, 41 anti-personnel mines were revealed and rendered harmless in the Aghdam, Fuzuli, "
               "Lachin and Shusha districts, the agency reported.\n\nAn area of 812,4 hectares was cleared over "
               "the month.", "2024-09-03")
    assert out[1][:1] + out[1][3:] == ("area_ha", "period", "2024-08-01", "2024-08-31",
                                       ("AZ-AGM", "AZ-FUZ", "AZ-LAC", "AZ-SUS"))


# 4. wire style: a bare singular people noun and a casualty participle counts one, with its group

def test_bare_singular_wire_clauses():
    out = figs("A car hit a mine near Fuzuli on October 7. Serviceman killed, two other servicemen wounded, "
               "ministry says.", "2022-10-08")
    assert [(m, v, g, d) for m, v, g, s, a, b, d in out] == [("killed", 1, "military", ("AZ-FUZ",)),
                                                            ("injured", 2, "military", ("AZ-FUZ",))]
    assert people("Civilian injured by landmine in Aghdam on May 4, police say.") == [("injured", 1, "civilian")]
    # plurals give no count; a capitalised noun that names no people is no casualty
    assert people("Servicemen killed in mine blast in Lachin on April 2.") == []
    assert people("Convoy hit by mine near Lachin on April 2. Nobody was hurt.") == []


def test_bare_singular_headline_counts_when_the_body_has_no_number():
    doc = Document(doc_id="t", date="2022-04-11", title="Farmer hurt by mine in Zangilan",
                   text="Farmer hurt by mine in Zangilan\n\nA farmer stepped on a mine near Zangilan on April 10. "
                        "He was taken to hospital.")
    out = [(f.metric, f.value, f.group, f.districts) for f in extract(doc)]
    assert out == [("injured", 1, "civilian", ("AZ-ZAN",))]


# 3b. one unnamed person of an incident counts as 1 when no sentence gives a number

def test_lone_victim_of_an_incident():
    assert people("A shepherd stepped on a mine near Lachin on May 3 and was injured.") == [
        ("injured", 1, "civilian")]
    out = figs("A shepherd stepped on a mine near Lachin on May 3. The civilian was taken to hospital with a "
               "leg injury.", "2023-05-05")
    assert out == [("injured", 1, "civilian", "event", "2023-05-03", "2023-05-03", ("AZ-LAC",))]
    assert people("A soldier stepped on a mine near Lachin on May 3. The man died on the spot.") == [
        ("killed", 1, "military")]
    # no person hurt, or a vehicle: nothing
    assert people("A tractor hit a mine near Lachin on May 3. The driver was not hurt.") == []
    assert people("A shepherd stepped on a mine near Lachin on May 3. He was not hurt.") == []
