"""aggregation.md rules, each shown on figure records written here (no extraction involved)."""
from __future__ import annotations

import random

import pytest

from minemap.extraction.record import Document, Evidence, Figure
from minemap.aggregation import aggregate, value_columns

WEEK = ("AZ-AGM", "AZ-CAB", "AZ-FUZ", "AZ-QBI", "AZ-SUS", "AZ-TAR", "AZ-ZAN")


def fig(doc_id, metric, value, *, scope="period", start=None, end=None, districts=(), group=None,
        qualifier="exact", text=""):
    return Figure(doc_id=doc_id, metric=metric, value=value, qualifier=qualifier, scope=scope,
                  period_start=start, period_end=end, districts=tuple(districts), group=group,
                  evidence=Evidence(0, len(text), text))


def docs(**dates):
    return {k: Document(k, "", date=v, source=f"outlet-{k}", title=f"title {k}") for k, v in dates.items()}


def weekly(doc_id, start="2022-01-17", end="2022-01-22", districts=WEEK):
    return [fig(doc_id, "ap_mines", 3, start=start, end=end, districts=districts, text=f"{doc_id}: 3 AP mines"),
            fig(doc_id, "area_ha", 67.4, start=start, end=end, districts=districts, text=f"{doc_id}: 67.4 ha")]


def test_same_weekly_report_from_two_outlets_counted_once():
    agg = aggregate(weekly("trend") + weekly("azertac"), docs(trend="2022-01-24", azertac="2022-01-24"))
    assert len(agg.facts) == 2
    for f in agg.facts:
        assert f.status == "summed"
        assert [s.doc_id for s in f.sources] == ["azertac", "trend"]
        assert {s.source for s in f.sources} == {"outlet-azertac", "outlet-trend"}
        assert {s.evidence for s in f.sources} == {f"azertac: {'3 AP mines' if f.metric == 'ap_mines' else '67.4 ha'}",
                                                  f"trend: {'3 AP mines' if f.metric == 'ap_mines' else '67.4 ha'}"}
    for code in WEEK:
        assert agg.districts[code]["area_ha_shared"] == 67.4
        assert agg.districts[code]["ap_mines_shared"] == 3
        assert agg.districts[code]["area_ha"] is None
        assert agg.districts[code]["reports"] == 2
    assert agg.summary["figures"] == {"found": 4, "facts": 2, "merged_duplicates": 2,
                                      "facts_with_several_reports": 2, "accounted": True}


def test_values_within_half_a_percent_are_the_same_fact_but_not_beyond():
    a = fig("a", "area_ha", 41915, qualifier="approx", start="2022-01-01", end="2022-12-31", districts=["AZ-AGM"])
    b = fig("b", "area_ha", 41900, start="2022-01-01", end="2022-12-31", districts=["AZ-AGM"])
    c = fig("c", "area_ha", 43000, start="2022-01-01", end="2022-12-31", districts=["AZ-AGM"])
    agg = aggregate([a, b, c], docs(a="2023-01-02", b="2023-01-03", c="2023-01-03"))
    assert sorted(len(f.sources) for f in agg.facts) == [1, 2]
    # two different values for the same year: one counts, the other is set aside naming it
    kept = [f for f in agg.facts if f.status == "summed"]
    aside = [f for f in agg.facts if f.status == "set_aside"]
    assert len(kept) == 1 and len(aside) == 1
    assert "same period as" in aside[0].reason and kept[0].id in aside[0].reason
    assert agg.districts["AZ-AGM"]["area_ha"] == kept[0].value


def test_undated_copy_published_within_three_days_merged_with_dated():
    dated = weekly("dated")
    undated = weekly("copy", start=None, end=None)
    agg = aggregate(dated + undated, docs(dated="2022-01-23", copy="2022-01-25"))
    assert len(agg.facts) == 2
    for f in agg.facts:
        assert (f.period_start, f.period_end) == ("2022-01-17", "2022-01-22")
        assert [s.doc_id for s in f.sources] == ["dated", "copy"]
        assert f.status == "summed"
    assert agg.districts["AZ-AGM"]["area_ha_shared"] == 67.4


def test_undated_copy_published_later_is_not_merged_and_not_added():
    agg = aggregate(weekly("dated") + weekly("late", start=None, end=None), docs(dated="2022-01-23", late="2022-01-26"))
    assert len(agg.facts) == 4
    undated = [f for f in agg.facts if f.period_end is None]
    assert all(f.status == "set_aside" and "undated" in f.reason for f in undated)
    assert agg.districts["AZ-AGM"]["area_ha_shared"] == 67.4


def test_undated_copy_published_before_period_end_is_not_merged():
    agg = aggregate(weekly("dated") + weekly("early", start=None, end=None), docs(dated="2022-01-23", early="2022-01-20"))
    assert len(agg.facts) == 4


def test_undated_period_figures_summed_only_without_dated_ones():
    agg = aggregate(
        [fig("a", "uxo", 5, districts=["AZ-KAL"]), fig("b", "uxo", 8, districts=["AZ-KAL"]),
         fig("c", "uxo", 2, districts=["AZ-LAC"]), fig("d", "uxo", 9, start="2022-03-01", end="2022-03-31",
                                                          districts=["AZ-LAC"])],
        docs(a="2022-01-01", b="2022-03-01", c="2022-04-05", d="2022-04-05"))
    assert agg.districts["AZ-KAL"]["uxo"] == 13
    assert agg.districts["AZ-LAC"]["uxo"] == 9
    aside = [f for f in agg.facts if f.status == "set_aside"]
    assert [(f.value, f.districts) for f in aside] == [(2, ("AZ-LAC",))]


def test_month_inside_a_years_report_not_added():
    year = fig("annual", "area_ha", 41915, start="2022-01-01", end="2022-12-31", districts=["AZ-FUZ"])
    month = fig("annual", "area_ha", 2263.07, start="2022-12-01", end="2022-12-30", districts=["AZ-FUZ"])
    week = fig("weekly", "area_ha", 300, start="2022-03-07", end="2022-03-12", districts=["AZ-FUZ"])
    agg = aggregate([month, week, year], docs(annual="2023-01-02", weekly="2022-03-14"))
    assert agg.districts["AZ-FUZ"]["area_ha"] == 41915
    year_fact = next(f for f in agg.facts if f.value == 41915)
    aside = sorted((f for f in agg.facts if f.status == "set_aside"), key=lambda f: f.value)
    assert [f.value for f in aside] == [300, 2263.07]
    assert all(f"inside the period of {year_fact.id}" in f.reason for f in aside)
    assert [r["id"] for r in agg.summary["set_aside"]] == sorted(f.id for f in aside)
    assert (agg.districts["AZ-FUZ"]["first_date"], agg.districts["AZ-FUZ"]["last_date"]) == ("2022-01-01", "2022-12-31")


def test_overlapping_periods_keep_the_longest():
    a = fig("a", "mines", 10, start="2022-01-01", end="2022-03-31", districts=["AZ-ZAN"])
    b = fig("b", "mines", 7, start="2022-03-01", end="2022-04-15", districts=["AZ-ZAN"])
    c = fig("c", "mines", 4, start="2022-05-01", end="2022-05-31", districts=["AZ-ZAN"])
    agg = aggregate([a, b, c], docs(a="2022-04-01", b="2022-04-16", c="2022-06-01"))
    assert agg.districts["AZ-ZAN"]["mines"] == 14
    b_fact = next(f for f in agg.facts if f.value == 7)
    assert b_fact.status == "set_aside" and b_fact.reason.startswith("overlaps the period of")


def test_nesting_is_judged_per_district():
    year = fig("y", "area_ha", 1000, start="2022-01-01", end="2022-12-31", districts=["AZ-FUZ"])
    month_elsewhere = fig("m", "area_ha", 50, start="2022-06-01", end="2022-06-30", districts=["AZ-AGM"])
    agg = aggregate([year, month_elsewhere], docs(y="2023-01-05", m="2022-07-01"))
    assert agg.districts["AZ-FUZ"]["area_ha"] == 1000
    assert agg.districts["AZ-AGM"]["area_ha"] == 50


def test_one_killed_seven_injured_four_workers_three_soldiers_counts_1_and_7():
    day = dict(scope="event", start="2022-12-14", end="2022-12-14", districts=["AZ-KAL"])
    records = [
        fig("inc", "killed", 1, **day), fig("inc", "injured", 7, **day),
        fig("inc", "injured", 4, group="civilian", **day), fig("inc", "injured", 3, group="military", **day),
        fig("inc", "killed", 1, group="military", **day),
    ]
    agg = aggregate(records, docs(inc="2022-12-15"))
    row = agg.districts["AZ-KAL"]
    assert (row["killed"], row["injured"]) == (1, 7)
    assert (row["injured_civilian"], row["injured_military"], row["killed_military"]) == (4, 3, 1)
    assert row["killed_civilian"] is None
    assert all(f.status == "summed" for f in agg.facts)
    part = next(f for f in agg.facts if f.group == "civilian")
    assert part.reason.startswith("part of the total")


def test_parts_without_a_total_are_summed():
    day = dict(scope="event", start="2023-05-02", end="2023-05-02", districts=["AZ-TAR"])
    agg = aggregate([fig("x", "injured", 2, group="civilian", **day), fig("x", "injured", 1, group="military", **day)],
                    docs(x="2023-05-03"))
    row = agg.districts["AZ-TAR"]
    assert (row["injured"], row["injured_civilian"], row["injured_military"]) == (3, 2, 1)


def test_parts_inside_a_total_period_are_not_added_to_it():
    year = fig("y", "killed", 10, start="2022-01-01", end="2022-12-31", districts=["AZ-KAL"])
    event = fig("e", "killed", 2, group="civilian", scope="event", start="2022-05-05", end="2022-05-05",
                districts=["AZ-KAL"])
    agg = aggregate([year, event], docs(y="2023-01-10", e="2022-05-06"))
    assert agg.districts["AZ-KAL"]["killed"] == 10
    assert agg.districts["AZ-KAL"]["killed_civilian"] == 2


def test_running_totals_never_summed():
    records = [
        fig("feb", "area_ha", 1507, scope="cumulative", start="2020-09-27", end="2021-02-11", districts=["AZ-FUZ"]),
        fig("may", "area_ha", 2051, scope="cumulative", end="2021-05-06", districts=["AZ-FUZ"]),
        fig("wk", "area_ha", 10, start="2021-05-10", end="2021-05-15", districts=["AZ-FUZ"]),
        fig("fm", "victims", 278, scope="cumulative", end="2022-12-15"),
    ]
    agg = aggregate(records, docs(feb="2021-02-11", may="2021-05-06", wk="2021-05-17", fm="2022-12-15"))
    assert agg.districts["AZ-FUZ"]["area_ha"] == 10
    status = {f.value: f.status for f in agg.facts}
    assert status == {1507: "superseded", 2051: "snapshot", 10: "summed", 278: "snapshot"}
    assert [(r["metric"], r["value"], r["as_of"]) for r in agg.summary["running_totals"]] == [
        ("area_ha", 2051, "2021-05-06"), ("victims", 278, "2022-12-15")]
    # a district named only by running totals has reports but no values
    assert agg.districts["AZ-FUZ"]["reports"] == 3


def test_figures_with_no_district_kept_out_of_the_map_but_in_the_summary():
    records = [fig("a", "uxo", 1305, start="2022-12-01", end="2022-12-30"),
               fig("a", "uxo", 14950, start="2022-01-01", end="2022-12-31"),
               fig("a", "uxo", 20, start="2022-12-01", end="2022-12-30", districts=["AZ-SUS"])]
    agg = aggregate(records, docs(a="2023-01-02"), codes=["AZ-SUS", "AZ-KAL"])
    assert agg.districts["AZ-SUS"]["uxo"] == 20
    assert agg.districts["AZ-KAL"]["uxo"] is None
    assert set(agg.districts) == {"AZ-SUS", "AZ-KAL"}
    un = agg.summary["unplaced"]
    assert un["count"] == 1
    assert un["totals"] == [{"metric": "uxo", "group": None, "value": 14950, "facts": [un["facts"][0]["id"]]}]
    # the month with no district is inside the year with no district: set aside, not lost
    assert agg.summary["facts_by_status"]["set_aside"] == 1
    assert sum(agg.summary["facts_by_status"].values()) == len(agg.facts) == 3


def test_shared_figure_in_shared_column_of_each_district_and_group_table():
    shared = fig("s", "at_mines", 12, start="2023-02-01", end="2023-02-28", districts=["AZ-AGM", "AZ-TAR"])
    own = fig("s", "at_mines", 5, start="2023-03-01", end="2023-03-31", districts=["AZ-AGM"])
    agg = aggregate([shared, own], docs(s="2023-03-01"))
    assert agg.districts["AZ-AGM"]["at_mines"] == 5
    assert agg.districts["AZ-AGM"]["at_mines_shared"] == 12
    assert agg.districts["AZ-TAR"]["at_mines_shared"] == 12
    assert agg.districts["AZ-TAR"]["at_mines"] is None
    assert len(agg.groups) == 1
    g = agg.groups[0]
    assert (g["districts"], g["n_districts"], g["at_mines"], g["reports"]) == ("AZ-AGM;AZ-TAR", 2, 12, 1)
    assert agg.districts["AZ-AGM"]["at_mines_upper"] == 17 and agg.districts["AZ-TAR"]["at_mines_upper"] == 12
    assert "at_mines_est" not in aggregate([shared, own], docs(s="2023-03-01"), apportion="none").districts["AZ-AGM"]


def test_apportion_equal_and_area():
    shared = fig("s", "area_ha", 90, start="2023-02-01", end="2023-02-28", districts=["AZ-AGM", "AZ-TAR", "AZ-FUZ"])
    own = fig("s", "area_ha", 5, start="2023-03-01", end="2023-03-31", districts=["AZ-AGM"])
    d = docs(s="2023-03-01")
    eq = aggregate([shared, own], d, apportion="equal", codes=["AZ-AGM", "AZ-TAR", "AZ-FUZ", "AZ-KAL"])
    assert eq.columns == value_columns("equal")
    assert (eq.districts["AZ-AGM"]["area_ha_est"], eq.districts["AZ-TAR"]["area_ha_est"]) == (35, 30)
    assert eq.districts["AZ-KAL"]["area_ha_est"] is None
    ar = aggregate([shared, own], d, apportion="area", areas={"AZ-AGM": 10_000, "AZ-TAR": 20_000, "AZ-FUZ": 60_000})
    assert (ar.districts["AZ-AGM"]["area_ha_est"], ar.districts["AZ-TAR"]["area_ha_est"],
            ar.districts["AZ-FUZ"]["area_ha_est"]) == (15, 20, 60)
    with pytest.raises(ValueError):
        aggregate([shared], d, apportion="area")


def test_time_window():
    records = [fig("a", "uxo", 5, start="2022-01-03", end="2022-01-08", districts=["AZ-KAL"]),
               fig("b", "uxo", 7, start="2022-02-07", end="2022-02-12", districts=["AZ-KAL"]),
               fig("c", "uxo", 100, start="2022-01-01", end="2022-12-31", districts=["AZ-KAL"]),
               fig("d", "uxo", 3, districts=["AZ-LAC"]),
               fig("e", "uxo", 999, scope="cumulative", end="2022-01-20", districts=["AZ-KAL"])]
    d = docs(a="2022-01-10", b="2022-02-14", c="2023-01-05", d="2022-01-20", e="2022-01-20")
    agg = aggregate(records, d, date_from="2022-01-01", date_to="2022-01-31", codes=["AZ-KAL", "AZ-LAC"])
    assert agg.districts["AZ-KAL"]["uxo"] == 5
    assert agg.districts["AZ-LAC"]["uxo"] is None
    excluded = {f.value: f.reason for f in agg.facts if f.status == "excluded"}
    assert set(excluded) == {7, 100, 3}
    assert "undated" in excluded[3]
    assert [r["value"] for r in agg.summary["running_totals"]] == [999]
    no_window = aggregate(records, d)
    assert no_window.districts["AZ-KAL"]["uxo"] == 100 and no_window.districts["AZ-LAC"]["uxo"] == 3


def test_result_does_not_depend_on_input_order():
    records = (weekly("t") + weekly("u") + weekly("v", start=None, end=None)
               + [fig("x", "killed", 1, scope="event", start="2022-01-20", end="2022-01-20", districts=["AZ-FUZ"]),
                  fig("x", "area_ha", 5, start="2022-01-01", end="2022-01-31", districts=["AZ-FUZ"])])
    d = docs(t="2022-01-23", u="2022-01-24", v="2022-01-24", x="2022-02-01")
    ref = aggregate(records, d)
    for seed in range(5):
        shuffled = records[:]
        random.Random(seed).shuffle(shuffled)
        other = aggregate(shuffled, d)
        assert [f.to_dict() for f in other.facts] == [f.to_dict() for f in ref.facts]
        assert other.districts == ref.districts and other.summary == ref.summary


from hypothesis import example, given, settings, strategies as st  # noqa: E402

from minemap.aggregation import STATUSES  # noqa: E402
from minemap.estimate import KIND_TEXT, step_of  # noqa: E402

_dates = st.sampled_from([None, "2022-01-01", "2022-01-31", "2022-03-15", "2022-12-31"])
_fig = st.builds(
    lambda doc, metric, value, scope, start, end, districts: fig(
        doc, metric, value, scope=scope, start=min(start, end) if start and end else start,
        end=max(start, end) if start and end else end, districts=districts),
    st.sampled_from(["a", "b", "c"]), st.sampled_from(["uxo", "area_ha", "killed"]),
    st.sampled_from([1, 2, 2.005, 50]), st.sampled_from(["period", "event", "cumulative"]), _dates, _dates,
    st.lists(st.sampled_from(["AZ-AGM", "AZ-FUZ", "AZ-KAL"]), max_size=3, unique=True))


@settings(max_examples=150, deadline=None)
@given(st.lists(_fig, max_size=12))
@example([fig("a", "killed", 1, start="2022-01-01", districts=["AZ-AGM"]),
          fig("a", "killed", 1, start="2022-01-01", districts=["AZ-AGM", "AZ-FUZ"])])
def test_every_figure_is_accounted_for(records):
    agg = aggregate(records, docs(a="2022-01-02", b="2022-02-01", c="2023-01-01"))
    assert sum(len(f.sources) for f in agg.facts) == len(records)
    assert agg.summary["figures"]["accounted"]
    assert all(f.status in STATUSES and f.reason for f in agg.facts)
    assert sum(agg.summary["facts_by_status"].values()) == len(agg.facts)
    for code, row in agg.districts.items():
        for col in agg.columns:
            if row[col] is not None:
                wanted = "snapshot" if col.endswith(("_to_date", "_as_of")) else "summed"
                assert any(code in f.districts and f.status == wanted for f in agg.facts)
        for m in ("uxo", "area_ha", "killed"):
            if row[m] is not None:  # never more than every attributed period/event figure together
                assert row[m] <= sum(r.value for r in records
                                     if r.metric == m and r.districts == (code,) and r.scope != "cumulative") + 1e-9
            if row[f"{m}_upper"] is not None:   # the range: named alone <= upper bound
                assert (row[m] or 0) - 1e-9 <= row[f"{m}_upper"]
            if row[f"{m}_est"] is not None:     # ... with the estimate between
                assert (row[m] or 0) - 1e-9 <= row[f"{m}_est"] <= row[f"{m}_upper"] + 1e-9
        # people are never shared out by land or equally: an estimate of them is only what a shared total
        # leaves after the districts named alone for the same period
        if row["killed_est"] is not None:
            basis = row["killed_est_basis"]
            assert KIND_TEXT["area"] not in basis and KIND_TEXT["equal"] not in basis, basis
    for f in agg.facts:
        if f.counted is not None:   # the shares an estimate counts add up to the figure, in whole items
            whole = round(sum(f.shares) / step_of(f.metric)) * step_of(f.metric)
            # ... unless figures naming one of its districts alone inside it exceed it (then those count)
            assert sum(f.counted) == pytest.approx(whole) or (
                sum(f.counted) > whole and "they exceed it" in f.counted_basis) or (
                sum(f.counted) == 0 and f.counted_basis.startswith("the same total as"))   # counted elsewhere
            assert f.metric != "uxo" or all(float(x).is_integer() for x in f.counted)
