"""Phenomena of the second blind corpus (tests/corpus/heldout2), each on sentences written for these tests:
labels before numbers (lists, text and HTML tables), "mine" as a modifier, casualty wording, quarter
periods, back-references to the figures' period, running totals after a weekly figure, targets."""
from __future__ import annotations

from minemap.extraction.extract import extract
from minemap.extraction.html_text import html_to_document_parts
from minemap.extraction.record import Document
from minemap.extraction.sentences import split_sentences


def figs(text: str, date: str | None = "2024-05-20", title: str | None = None):
    doc = Document(doc_id="l", text=text, date=date, title=title)
    return [(f.metric, f.value, f.scope, f.period_start, f.period_end, f.districts, f.group)
            for f in extract(doc)]


def mv(text: str, **kw):
    return [(f[0], f[1]) for f in figs(text, **kw)]


# --- the label comes first ---------------------------------------------------------------------------

WEEK = "From 6 to 12 May, deminers worked in the Zangilan, Gubadli and Lachin districts. Results:\n\n"


def test_bullet_and_dash_lists_pair_each_number_with_its_own_label():
    out = figs(WEEK + "* Anti-tank mines: 7\n* Unexploded munitions: 233\n* Anti-personnel mines: 19\n"
                      "* Land cleared: 51.2 ha")
    assert [(f[0], f[1]) for f in out] == [("at_mines", 7), ("uxo", 233), ("ap_mines", 19), ("area_ha", 51.2)]
    # the list lines share the report's window and districts
    assert {(f[2], f[3], f[4], f[5]) for f in out} == {
        ("period", "2024-05-06", "2024-05-12", ("AZ-LAC", "AZ-QBI", "AZ-ZAN"))}
    assert mv(WEEK + "Landmines - 96\nERW - 1,204") == [("mines", 96), ("uxo", 1204)]


def test_plain_text_table_rows_are_not_shifted():
    out = mv(WEEK + "Item                       Count\nUnexploded ordnance          77\n"
                    "Anti-tank mines               5\nArea demined (sq km)        2.4")
    assert out == [("uxo", 77), ("at_mines", 5), ("area_ha", 240)]


def test_label_then_linking_word_inline():
    assert mv("In April, sappers found 12 anti-tank mines, anti-personnel mines totalling 48 and "
              "unexploded shells numbering 310 in Khojavend.") == [
        ("at_mines", 12), ("ap_mines", 48), ("uxo", 310)]


def test_labels_that_name_no_metric_give_nothing():
    assert figs(WEEK + "Teams: 14\nMachines – 22\nDecree No: 1187\nIn Fuzuli: 9") == []
    assert mv(WEEK + "Mine victims:\nCivilians injured: 2\nKilled: 1") == [("injured", 2), ("killed", 1)]


def test_list_lines_are_clauses_of_their_own():
    texts = [s.text for s in split_sentences("Results:\n- Mines: 5\n- UXO: 6\nThe work goes on\nnext week.")]
    assert texts == ["Results:", "- Mines: 5", "- UXO: 6", "The work goes on\nnext week."]


def test_html_table_rows_become_label_value_lines():
    html = ("<html><body><article><p>ANAMA worked in Aghdam and Tartar from 13 to 19 May 2024.</p>"
            "<table><thead><tr><th>Type</th><th>Number</th></tr></thead><tbody>"
            "<tr><td><b>Anti-tank</b> mines</td><td>17</td></tr>"
            "<tr><td>Unexploded<br>ordnance</td><td>402</td></tr>"
            "<tr><td><p>Cleared land, hectares</p></td><td>73.5</td></tr></tbody></table></article></body></html>")
    body = html_to_document_parts(html).body
    assert "Anti-tank mines: 17\nUnexploded ordnance: 402\nCleared land, hectares: 73.5" in body
    out = figs(body)
    assert [(f[0], f[1]) for f in out] == [("at_mines", 17), ("uxo", 402), ("area_ha", 73.5)]
    assert {f[5] for f in out} == {("AZ-AGM", "AZ-TAR")}


# --- "mine" as a modifier ----------------------------------------------------------------------------

def test_mine_compounds_are_no_counts_of_mines():
    for s in ("In April, 25 mine detection dogs and 60 demining machines were engaged in Aghdam.",
              "The agency runs 3 mine action centres and trained 12 mine-detection rats in 2023.",
              "In March, 8 mine clearance vehicles and 40 mine survey teams worked in Fuzuli."):
        assert figs(s) == [], s
    assert mv("In April, 25 mine detection dogs helped find 310 mines in Aghdam.") == [("mines", 310)]


# --- casualties ----------------------------------------------------------------------------------------

def test_relational_people_take_the_group_named_before():
    # "others" name no group (figures.md "People": the group comes from the words naming the people)
    out = figs("A soldier was killed and two others were wounded when an anti-tank mine exploded in Kalbajar "
               "on 3 May.")
    assert [(f[0], f[1], f[6]) for f in out] == [("killed", 1, "military"), ("injured", 2, None)]
    # family members of civilians are civilians
    out = figs("A shepherd died and his three nephews, aged 10 to 15, sustained injuries when a mine went off "
               "in Zangilan on 4 May.")
    assert [(f[0], f[1], f[6]) for f in out] == [("killed", 1, "civilian"), ("injured", 3, "civilian")]


def test_ordinal_and_another_count_one():
    out = figs("Three deminers were injured and a fourth was killed by a mine blast in Fuzuli on 2 May.")
    assert [(f[0], f[1], f[6]) for f in out] == [("injured", 3, "civilian"), ("killed", 1, "civilian")]
    out = figs("One villager died and another was hurt when a landmine exploded in Aghdam on 1 May.")
    assert [(f[0], f[1], f[6]) for f in out] == [("killed", 1, "civilian"), ("injured", 1, "civilian")]
    # a fraction is no person
    assert mv("In April, a third of the 900 hectares planned were cleared.") == []


def test_part_of_victims_named_in_the_next_sentence():
    out = figs("Since the end of the war, 402 people have fallen victim to mines. Of the casualties, 301 were "
               "civilians and 101 were servicemen.")
    assert [(f[0], f[1], f[2], f[6]) for f in out] == [
        ("victims", 402, "cumulative", None), ("victims", 301, "cumulative", "civilian"),
        ("victims", 101, "cumulative", "military")]


# --- periods and scope ----------------------------------------------------------------------------------

def test_quarter_and_half_year_abbreviations():
    assert figs("In Q1 2024, 2,150 hectares were cleared in Aghdam.")[0][2:5] == (
        "period", "2024-01-01", "2024-03-31")
    assert figs("During H2 2023, deminers removed 3,400 anti-tank mines.")[0][2:5] == (
        "period", "2023-07-01", "2023-12-31")


def test_same_period_refers_to_the_figures_window():
    out = figs("From 1 to 12 May, sappers cleared 31 hectares in Shusha. The slopes there are steep and stay "
               "icy until March. In that period, they also removed 14 anti-tank mines.")
    assert [(f[0], f[3], f[4], f[5]) for f in out] == [
        ("area_ha", "2024-05-01", "2024-05-12", ("AZ-SUS",)), ("at_mines", "2024-05-01", "2024-05-12", ("AZ-SUS",))]


def test_has_reached_after_a_weekly_figure_is_a_running_total():
    out = figs("Last week, sappers cleared 95 hectares in Fuzuli. The area cleared by the army has now reached "
               "18,200 hectares.")
    assert [(f[1], f[2], f[5]) for f in out] == [(95, "period", ("AZ-FUZ",)), (18200, "cumulative", ())]
    # "in total" right after a weekly figure still sums that week
    out = figs("From 6 to 12 May, 40 hectares were cleared in Lachin and 22 in Gubadli. In total, 62 hectares "
               "were cleared.")
    assert out[-1][1:5] == (62, "period", "2024-05-06", "2024-05-12")


def test_targets_and_milestones_are_no_figures():
    for s in ("ANAMA expects to clear 5,000 hectares in Aghdam this year.",
              "The army hopes to cross the 30,000-hectare milestone in June.",
              "Deminers are on track to reach the 100,000-mine mark by August."):
        assert figs(s) == [], s
    # a past result stays a figure
    assert mv("By the end of April, 4,100 hectares had been cleared in Kalbajar in 2024.") == [("area_ha", 4100)]
