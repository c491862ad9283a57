"""Generality rules added after the fourth blind corpus: each phenomenon tested on sentences written
here (not taken from any corpus)."""
from __future__ import annotations

from minemap.extraction.extract import extract
from minemap.extraction.record import Document


def _figs(text: str, date: str = "2024-05-20"):
    doc = Document(doc_id="t", text=text, date=date, title=None, source=None, url=None, path=None, warnings=[])
    return [(f.metric, f.value, f.group, f.scope, f.period_start, f.period_end, tuple(f.districts))
            for f in extract(doc)]


def _mv(text: str, date: str = "2024-05-20"):
    return sorted((m, v, g) for m, v, g, *_ in _figs(text, date))


# 1. "respectively": the i-th number with the i-th item

def test_respectively_item_types_share_the_noun():
    got = _mv("From May 6 to 11, sappers destroyed 31 and 7 anti-tank and anti-personnel mines respectively.")
    assert got == [("ap_mines", 7.0, None), ("at_mines", 31.0, None)]


def test_respectively_places_and_shared_unit():
    figs = _figs("In April, 640.5 and 212 hectares were cleared in Zangilan and Gubadli respectively.")
    assert sorted((v, d) for _, v, _, _, _, _, d in figs) == [(212.0, ("AZ-QBI",)), (640.5, ("AZ-ZAN",))]
    assert all(f[4] == "2024-04-01" for f in figs)


def test_respectively_places_before_numbers_and_a_second_list():
    text = ("Lachin and Kalbajar followed with 1,204.7 and 998.1 hectares respectively, while 505, 410 and 96 "
            "hectares were demined in Shusha, Khojaly and Tartar respectively in March.")
    got = sorted((v, d) for _, v, _, _, _, _, d in _figs(text))
    assert got == [(96.0, ("AZ-TAR",)), (410.0, ("AZ-XCI",)), (505.0, ("AZ-SUS",)), (998.1, ("AZ-KAL",)),
                   (1204.7, ("AZ-LAC",))]


def test_respectively_groups_before_numbers():
    text = ("Since the end of the war, landmines have claimed 410 victims; soldiers and civilians made up 160 "
            "and 250 of those victims respectively.")
    assert _mv(text) == [("victims", 160.0, "military"), ("victims", 250.0, "civilian"), ("victims", 410.0, None)]


def test_respectively_casualty_metrics_before_numbers():
    text = "Since 2020, the dead and the wounded among mine victims were 61 and 233 respectively."
    assert _mv(text) == [("injured", 233.0, None), ("killed", 61.0, None)]


def test_respectively_needs_equal_lists():
    # three numbers, two places: no pairing, both places for all
    figs = _figs("In April, 10, 20 and 30 hectares were cleared in Zangilan and Gubadli respectively.")
    assert {d for *_, d in figs} == {("AZ-QBI", "AZ-ZAN")}


# 2. rankings and parts of a total

def test_ranking_place_before_its_number():
    text = ("In March, Zangilan accounted for the largest share, 2,410.2 hectares, followed by Lachin "
            "(1,100 hectares) and Shusha (640.9 hectares).")
    got = sorted((v, d) for _, v, _, _, _, _, d in _figs(text))
    assert got == [(640.9, ("AZ-SUS",)), (1100.0, ("AZ-LAC",)), (2410.2, ("AZ-ZAN",))]


def test_part_clause_place_is_not_the_totals():
    text = ("Deminers worked in the Aghdam, Fuzuli and Lachin districts from May 6 to 11. "
            "In that week 980 hectares were cleared, of which Lachin accounted for 300 hectares.")
    got = {v: d for _, v, _, _, _, _, d in _figs(text)}
    assert got[980.0] == ("AZ-AGM", "AZ-FUZ", "AZ-LAC")
    assert got[300.0] == ("AZ-LAC",)


def test_parts_take_the_totals_place():
    text = "In April, 95 explosive items were found in Khojaly alone, among them 80 munitions and 15 mines."
    assert {d for *_, d in _figs(text)} == {("AZ-XCI",)}


# 3. one district named later is not the report's list

def test_single_later_district_is_not_the_report_list():
    text = ("During April, the agency's teams cleared 2,300 hectares and found 760 mines across the liberated "
            "lands. Of the mines, 120 were discovered in the Kalbajar district alone, the agency said.")
    got = {v: d for _, v, _, _, _, _, d in _figs(text)}
    assert got[2300.0] == () and got[760.0] == ()
    assert got.get(120.0, ("AZ-KAL",)) == ("AZ-KAL",)


# 4. civilian/military split

def test_group_count_with_bracketed_parts_and_contrast():
    text = ("Since November 2020, mine victims totalled 250; the servicemen among the victims numbered 98 "
            "(20 killed, 78 injured), whereas 152 were civilians.")
    assert _mv(text) == [("injured", 78.0, "military"), ("killed", 20.0, "military"),
                         ("victims", 98.0, "military"), ("victims", 152.0, "civilian"), ("victims", 250.0, None)]


# 5. metric named once before a list of bare numbers

def test_topic_phrase_applies_to_listed_numbers():
    text = ("Regarding anti-tank mines destroyed in 2023, the army reported 1,210, ANAMA 640 and the border "
            "service 95.")
    assert _mv(text, "2024-02-01") == [("at_mines", 95.0, None), ("at_mines", 640.0, None),
                                       ("at_mines", 1210.0, None)]


def test_topic_phrase_without_metric_gives_nothing():
    assert _mv("Regarding the new schools, the ministry reported 12, the city 4 and the region 3.") == []


# 6. casualty verbs

def test_active_killed_or_injured_is_victims():
    assert _mv("Since the war ended, landmines have killed or injured about 410 people in Karabakh.") == [
        ("victims", 410.0, None)]


def test_active_verb_with_elided_object():
    assert _mv("Since 2020 mines have killed 61 people and injured 233 across the region.") == [
        ("injured", 233.0, None), ("killed", 61.0, None)]


# 7. windows: comparisons, publication dates

def test_comparison_window_stays_with_its_number():
    text = ("From May 13 to 18, ANAMA cleared 870 hectares and found 95 mines. A further 40 munitions were "
            "found in the same week, down from 61 munitions in the week of May 6 to 11.")
    got = {v: (s, e) for _, v, _, _, s, e, _ in _figs(text)}
    assert got[40.0] == ("2024-05-13", "2024-05-18")
    assert got[61.0] == ("2024-05-06", "2024-05-11")


def test_publication_window_is_not_the_figures():
    text = ("The ministry's annual review, released to journalists last week, says 9,870 hectares were cleared "
            "in 2023. Lachin accounted for 1,200 hectares of that.")
    got = {v: (s, e) for _, v, _, _, s, e, _ in _figs(text, "2024-02-10")}
    assert got[9870.0] == ("2023-01-01", "2023-12-31")
    assert got[1200.0] == ("2023-01-01", "2023-12-31")


def test_single_later_district_with_its_own_figure():
    text = ("During April, the agency's teams cleared 2,300 hectares and found 760 mines across the liberated "
            "lands. Another 120 mines were discovered in Zangilan, the agency said.")
    got = {v: d for _, v, _, _, _, _, d in _figs(text)}
    assert got[2300.0] == () and got[760.0] == () and got[120.0] == ("AZ-ZAN",)


def test_a_list_given_after_the_totals_still_counts():
    text = ("During April, the agency's teams cleared 2,300 hectares. The work was carried out in Zangilan, "
            "Lachin and Shusha.")
    assert _figs(text)[0][6] == ("AZ-LAC", "AZ-SUS", "AZ-ZAN")


def test_year_carried_to_sentences_that_do_not_repeat_it():
    text = "In 2023, ANAMA cleared 9,000 hectares. During the year, 4,000 mines were found."
    assert {(s, e) for *_, s, e, _ in _figs(text, "2024-02-10")} == {("2023-01-01", "2023-12-31")}


# 6. casualties: battle deaths, groups over two sentences

def test_battle_deaths_in_a_clause_without_mines_are_no_figures():
    text = ("A soldier was injured by a mine near Lachin on May 3; the ministry says 12 servicemen were killed "
            "in the border fighting that week.")
    assert _mv(text) == [("injured", 1.0, "military")]


def test_anaphor_takes_the_group_of_the_incident_before():
    text = ("Three shepherds were injured when a mine exploded near Zangilan on May 2. One of them died in "
            "hospital the next day.")
    assert ("killed", 1.0, "civilian") in _mv(text)


def test_anaphor_in_a_running_total_does_not_take_an_incidents_group():
    text = ("Two shepherds were injured when a mine exploded near Zangilan on May 2. Since 2020, 350 people "
            "have become mine victims; of them, 70 were killed.")
    assert ("killed", 70.0, None) in _mv(text)


# 7. a district named only in the headline

def test_headline_place_label_with_qualifier():
    figs = _figs("Zangilan: over 2,000 mines found since the war ended\n\nDeminers keep working there, officials said.")
    assert [(m, v, d) for m, v, _, _, _, _, d in figs] == [("mines", 2000.0, ("AZ-ZAN",))]
