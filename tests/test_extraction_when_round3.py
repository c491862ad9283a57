"""When and scope, round 3 of the generality work: phenomena of real-style reports (heldout9, heldout11,
heldout13), each on sentences written for these tests (not the corpora's). The catalogued rules have their own
examples in extraction/data/en/rules.yaml; these cover the language data and the context behind them."""
from __future__ import annotations

from minemap.extraction.extract import extract
from minemap.extraction.record import Document


def figs(text: str, date: str | None = "2023-05-01"):
    doc = Document(doc_id="t", text=text, date=date)
    return [(f.metric, f.value, f.group, f.scope, f.period_start, f.period_end) for f in extract(doc)]


def when(text: str, date: str | None = "2023-05-01"):
    return [(m, v, s, a, b) for m, v, g, s, a, b in figs(text, date)]


# places with a history: "the villages returned in 2024" dates the villages, not the figure

def test_a_place_returned_in_a_year_is_no_window_of_the_figure():
    text = ("From November 19, 2020 to March 31, 2025, the agency cleared 230,000 hectares. In the two villages "
            "returned in 2024, 120 hectares were cleared over the same period.")
    assert when(text, "2025-04-10") == [("area_ha", 230000, "cumulative", "2020-11-19", "2025-03-31"),
                                        ("area_ha", 120, "cumulative", "2020-11-19", "2025-03-31")]


def test_a_year_of_work_is_still_its_window():
    assert when("In 2024, sappers cleared 120 hectares in the returned villages.", "2025-04-10") == [
        ("area_ha", 120, "period", "2024-01-01", "2024-12-31")]


# a comparison's window is not the window of a sentence without figures

def test_grown_from_a_year_is_a_comparison():
    text = ("Since the start of its work on November 19, 2020, the agency has cleared 5,000 hectares. The number "
            "of its deminers has grown from 300 in 2020 to 3,500. Over the same period, two deminers were killed "
            "on duty.")
    out = when(text, "2022-01-10")
    assert out[1] == ("killed", 2, "cumulative", "2020-11-19", "2022-01-10")


def test_a_comparison_with_a_figure_keeps_its_own_window():
    assert when("In May, 1,134 hectares were cleared, up from 1,020 hectares in April.", "2023-06-05")[0] == (
        "area_ha", 1134, "period", "2023-05-01", "2023-05-31")


# "N years ago" is a point in time, not a window of N years

def test_years_ago_is_no_window():
    text = ("Exactly three years ago, on November 19, 2020, the first teams entered Aghdam. From November 19, "
            "2020 to November 15, 2023, they cleared 30,000 hectares.")
    assert when(text, "2023-11-19") == [("area_ha", 30000, "cumulative", "2020-11-19", "2023-11-15")]


def test_years_of_work_are_still_a_vague_window():
    assert when("Over the past three years, sappers cleared 30,000 hectares.", "2023-11-19") == [
        ("area_ha", 30000, "period", None, None)]


# the statement a report is about, dated in its lead

def test_open_window_counts_to_the_lead_statement():
    text = ("A deminer was injured in a mine explosion in Gazakh, the agency said on Tuesday.\n\n"
            "Since June 2024, the agency has cleared 226 hectares in the Gazakh villages, the agency said.")
    assert when(text, "2025-02-12")[-1] == ("area_ha", 226, "period", "2024-06-01", "2025-02-11")


def test_today_in_a_quote_counts_from_the_lead_statement():
    text = ("The president's aide reported a new mine incident on X on Monday.\n\n"
            "\"Today a resident of Aghdam was injured by a mine. Since the end of the war, 305 of our citizens "
            "have become victims of mines,\" he wrote.")
    out = when(text, "2023-08-15")
    assert out == [("injured", 1, "event", "2023-08-14", "2023-08-14"),
                   ("victims", 305, "cumulative", None, "2023-08-14")]


def test_a_lead_day_long_before_publication_is_not_the_report_statement():
    text = ("Sappers cleared 400 hectares, the ministry said on June 2.\n\n"
            "So far the army's engineers have cleared 18,000 hectares.")
    assert when(text, "2023-07-20")[-1] == ("area_ha", 18000, "cumulative", None, "2023-07-20")


# "during the holiday week": the week of the report, past a sentence of days without work

def test_a_named_week_is_the_said_period():
    text = ("From December 26 to January 1, teams found 40 anti-tank mines in Aghdam. Teams did not work on "
            "December 31. The agency said 500 hectares had been cleared during the holiday week.")
    assert when(text, "2023-01-03") == [("at_mines", 40, "period", "2022-12-26", "2023-01-01"),
                                        ("area_ha", 500, "period", "2022-12-26", "2023-01-01")]


def test_the_first_week_of_a_month_is_no_said_period():
    out = when("From April 3 to 9, teams found 40 mines. In the first week of May, they cleared 500 hectares.",
               "2023-06-03")
    assert out[1] == ("area_ha", 500, "period", "2023-05-01", "2023-05-07")


def test_the_agency_is_the_lead_source():
    text = ("ANAMA said on Monday that its teams had cleared 400 hectares over the week.\n\n"
            "The agency added that 18,000 hectares have been cleared so far.")
    assert when(text, "2022-03-09")[-1] == ("area_ha", 18000, "cumulative", None, "2022-03-07")


def test_another_named_source_keeps_the_publication_date():
    text = ("ANAMA said on Monday that its teams had cleared 400 hectares over the week.\n\n"
            "So far 120 people have been injured by mines, according to the Prosecutor General's Office.")
    assert when(text, "2022-03-09")[-1] == ("injured", 120, "cumulative", None, "2022-03-09")
