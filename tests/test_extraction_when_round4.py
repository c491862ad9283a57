"""When and scope, round 4 of the generality work: phenomena of real-style reports (heldout10, heldout12), each
on sentences written for these tests (not the corpora's). The catalogued rules have their own examples in
extraction/data/en/rules.yaml; these cover the language data and the context behind them."""
from __future__ import annotations

from minemap.extraction.extract import extract
from minemap.extraction.record import Document


def figs(text: str, date: str | None = "2023-05-01"):
    doc = Document(doc_id="t", text=text, date=date)
    return [(f.metric, f.value, f.group, f.scope, f.period_start, f.period_end) for f in extract(doc)]


def when(text: str, date: str | None = "2023-05-01"):
    return [(m, v, s, a, b) for m, v, g, s, a, b in figs(text, date)]


# "the lands freed from occupation between May 1 and May 6": the window of the work, not of the lands' history

def test_freed_lands_then_a_window_of_work():
    text = ("The agency has published the results of its work in the lands freed from occupation between March 6 "
            "and March 11. During the week, deminers found 64 anti-tank mines.")
    assert when(text, "2024-03-13") == [("at_mines", 64, "period", "2024-03-06", "2024-03-11")]


def test_lands_freed_in_a_year_stay_history():
    text = "In the lands freed from occupation in 2020, deminers found 64 anti-tank mines in March."
    assert when(text, "2024-04-13") == [("at_mines", 64, "period", "2024-03-01", "2024-03-31")]


# "as of today ... this year": the year so far, not the whole effort's running total; a deadline after it is no
# as-of day

def test_as_of_today_within_this_year():
    text = ("\"As of today, 12.5 thousand hectares have been cleared this year, so we hope to finish the plan by the "
            "end of December,\" the chairman said.")
    assert when(text, "2023-10-20") == [("area_ha", 12500, "period", "2023-01-01", "2023-10-20")]


def test_as_of_today_with_a_part_of_this_year():
    text = "As of today, 18,000 hectares have been cleared, with 2,000 hectares cleared this year."
    assert when(text, "2023-10-20") == [("area_ha", 18000, "cumulative", None, "2023-10-20"),
                                        ("area_ha", 2000, "period", "2023-01-01", "2023-10-20")]


# "over the five years": the window before that lasts as long, not the last one named

def test_over_the_three_years_is_the_three_year_window():
    text = ("From 2021 to 2023, the agency cleared 90,000 hectares. In 2023 alone it cleared 40,000 hectares. Aghdam "
            "accounts for 20,000 hectares over the three years. Over the same period, 900 mines were found there.")
    assert when(text, "2024-02-01")[2:] == [("area_ha", 20000, "period", "2021-01-01", "2023-12-31"),
                                            ("mines", 900, "period", "2021-01-01", "2023-12-31")]


def test_over_the_two_years_without_such_a_window_is_the_last_one():
    text = ("From 2021 to 2023, the agency cleared 90,000 hectares. In 2023 alone it cleared 40,000 hectares. Aghdam "
            "accounts for 20,000 hectares over the two years.")
    assert when(text, "2024-02-01")[2] == ("area_ha", 20000, "period", "2023-01-01", "2023-12-31")


# a place's history told at length ("returned to Azerbaijan under the border deal in May") is still history

def test_a_village_returned_under_a_deal_in_a_month_is_history():
    text = ("Two deminers were injured on Monday in a village of the Gazakh district returned to Azerbaijan under the "
            "border delimitation deal in May.")
    assert when(text, "2024-09-03") == [("injured", 2, "event", "2024-09-02", "2024-09-02")]


def test_work_in_the_returned_villages_during_a_month_is_a_window():
    text = "In the villages returned to Azerbaijan during August, deminers cleared 80 hectares."
    assert when(text, "2024-09-03") == [("area_ha", 80, "period", "2024-08-01", "2024-08-31")]


# "since its teams entered the village on May 27": an open window from the day of the event named

def test_since_teams_entered_a_village_on_a_day():
    text = ("As of September 1, the agency had cleared 80 hectares of land there since its teams entered the village "
            "on May 27.")
    assert when(text, "2024-09-03") == [("area_ha", 80, "period", "2024-05-27", "2024-09-01")]


# "since the beginning of 2025" begins at its "since": a number just before it is nearer that window than the one
# named before the number

def test_a_number_before_since_the_beginning_of_a_year():
    text = "Mines injured 40 people in 2024 and 10 since the beginning of 2025, the ombudsman said."
    assert when(text, "2025-03-08") == [("injured", 40, "period", "2024-01-01", "2024-12-31"),
                                        ("injured", 10, "period", "2025-01-01", "2025-03-08")]


def test_a_number_after_a_year_keeps_it():
    text = "Since the beginning of 2025, mines injured 10 people; in 2024, they injured 40."
    assert when(text, "2025-03-08") == [("injured", 10, "period", "2025-01-01", "2025-03-08"),
                                        ("injured", 40, "period", "2024-01-01", "2024-12-31")]
