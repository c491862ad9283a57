"""Number forms and date windows (figures.md 'Years', 'Named months and years', 'Decimal commas')."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minemap.extraction.dates import find_dates, infer_year
from minemap.extraction.numbers import find_numbers
from minemap.extraction.qualifiers import qualifier


@pytest.mark.parametrize("text,value", [
    ("cleared 24,518 hectares", 24518), ("cleared 4 518 hectares", 4518), ("cleared 318.25 hectares", 318.25),
    ("cleared 61234,7 hectares", 61234.7), ("cleared 2318, 4 hectares", 2318.4), ("cleared 3,412,6 hectares", 3412.6),
    ("some 21,600,450 square metres", 21600450), ("1.5 million", 1.5e6), ("2,345.6 ha", 2345.6),
    ("Seventeen mines", 17), ("twenty-three shells", 23), ("one hundred and five shells", 105),
    ("three thousand mines", 3000),
])
def test_number_forms(text, value):
    nums = [n for n in find_numbers(text) if n.kind != "article"]
    assert nums and nums[0].value == pytest.approx(value)


def test_time_and_codes_are_not_numbers():
    nums = find_numbers("at 07:45 the Mi-8 flew; the 3rd team; COVID-19")
    assert [n for n in nums if n.kind == "digits"] == []


def test_huge_numbers_do_not_crash():
    n = find_numbers("9" * 400 + " mines")[0]
    assert n.value > 1e300


@given(st.integers(min_value=0, max_value=10**12))
@settings(max_examples=200, deadline=None)
def test_thousands_separator_roundtrip(v):
    assert find_numbers(f"found {v:,} mines")[0].value == v


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_text_is_safe(s):
    find_numbers(s)
    find_dates(s, date(2022, 5, 1))


@pytest.mark.parametrize("before,q", [
    ("found some ", "approx"), ("found about ", "approx"), ("cleared nearly ", "approx"), ("almost ", "approx"),
    ("more than ", "at_least"), ("over ", "at_least"), ("at least ", "at_least"), ("up to ", "at_most"),
    ("less than ", "at_most"), ("the teams found ", "exact"), ("moreover ", "exact"),
])
def test_qualifiers(before, q):
    assert qualifier(before)[0] == q


def _windows(text, ref):
    return [(d.kind, d.first, d.last) for d in find_dates(text, date.fromisoformat(ref))]


def test_year_inference_closest_on_or_before():
    assert infer_year(12, 28, date(2023, 1, 4)) == 2022
    assert infer_year(1, 2, date(2023, 1, 4)) == 2023
    assert infer_year(2, 29, date(2023, 3, 1)) == 2020


@pytest.mark.parametrize("text,ref,expected", [
    ("from December 27 to January 2 the teams", "2023-01-05", ("range", "2022-12-27", "2023-01-02")),
    ("Between March 6 and 12 the teams", "2023-03-14", ("range", "2023-03-06", "2023-03-12")),
    ("during the period from 6 to 12 March the", "2023-03-14", ("range", "2023-03-06", "2023-03-12")),
    ("from 28 February to 6 March 2024 the", "2024-03-08", ("range", "2024-02-28", "2024-03-06")),
    ("May 8 to May 14, 2022 there", "2022-06-01", ("range", "2022-05-08", "2022-05-14")),
    ("From April 3 through April 16 sappers", "2022-04-18", ("range", "2022-04-03", "2022-04-16")),
    ("From July 1 through July 30, 2021 sappers", "2021-08-02", ("range", "2021-07-01", "2021-07-30")),
    ("Over February to June 2023 the totals", "2023-07-01", ("range", "2023-02-01", "2023-06-30")),
    ("in 2021 the agency", "2022-02-01", ("year", "2021-01-01", "2021-12-31")),
    ("throughout this year the agency", "2022-06-01", ("year", "2022-01-01", "2022-12-31")),
    ("in November the agency", "2022-01-10", ("month", "2021-11-01", "2021-11-30")),
    ("in February 2024 the agency", "2024-05-01", ("month", "2024-02-01", "2024-02-29")),
    ("since June 2023 the agency", "2024-01-01", ("since", "2023-06-01", None)),
    ("on October 30 a mine", "2022-03-01", ("day", "2021-10-30", "2021-10-30")),
    ("the past week", "2022-03-01", ("vague", None, None)),
    ("in the said period", "2022-03-01", ("ref", None, None)),
])
def test_windows(text, ref, expected):
    assert expected in _windows(text, ref)


def test_undated_document_keeps_yearless_dates_unknown():
    [d] = find_dates("from June 3 to June 9 the teams", None)
    assert (d.first, d.last) == (None, None)
    [y] = find_dates("from June 3 to June 9, 2021 the teams", None)
    assert (y.first, y.last) == ("2021-06-03", "2021-06-09")


def test_may_the_verb_is_no_month():
    assert _windows("the teams may 5 times", "2022-06-01") == []
