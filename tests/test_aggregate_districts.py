"""Counted once per district, plausibility, to-date values and the range of a district (aggregation.md
sections 2 and 3), each on figure records written here."""
from __future__ import annotations

import math

import pytest

from minemap.aggregation import aggregate
from minemap.extraction.record import Document, Evidence, Figure
from minemap.plausibility import CLOCK_MIN, MAX_VALUE, RATE_FACTOR
from test_aggregate_rules import docs, fig

ELEVEN = ("AZ-AGM", "AZ-CAB", "AZ-FUZ", "AZ-KAL", "AZ-LAC", "AZ-QBI", "AZ-SUS", "AZ-TAR", "AZ-XCI", "AZ-XVD",
          "AZ-ZAN")
SEVEN = ("AZ-AGM", "AZ-CAB", "AZ-FUZ", "AZ-QBI", "AZ-SUS", "AZ-TAR", "AZ-ZAN")
THIRTEEN = ELEVEN + ("AZ-QAZ", "AZ-XA")
LAND = {c: 100_000.0 for c in THIRTEEN}          # hectares: round numbers keep the expected values readable


def _by_value(agg, value):
    return next(f for f in agg.facts if f.value == value)


# ------------------------------------------------------------------------------ across district lists

def test_annual_report_stands_for_weekly_ones_in_each_district_both_name():
    year = fig("annual", "area_ha", 50_000, start="2023-01-01", end="2023-12-31", districts=ELEVEN)
    week7 = fig("w7", "area_ha", 700, start="2023-03-06", end="2023-03-12", districts=SEVEN)
    week13 = fig("w13", "area_ha", 1_300, start="2023-05-08", end="2023-05-14", districts=THIRTEEN)
    agg = aggregate([year, week7, week13], docs(annual="2024-01-10", w7="2023-03-14", w13="2023-05-16"),
                    areas=LAND)
    y, w7, w13 = (_by_value(agg, v) for v in (50_000, 700, 1_300))
    # in the eleven districts the year stands; the 13-district week still counts in the two others
    for code in ELEVEN:
        assert agg.districts[code]["area_ha_shared"] == 50_000, code
        assert agg.districts[code]["area_ha_upper"] == 50_000, code
    for code in ("AZ-QAZ", "AZ-XA"):
        assert agg.districts[code]["area_ha_shared"] == 1_300 == agg.districts[code]["area_ha_upper"]
    assert w7.status == "set_aside" and w7.reason == f"inside the period of {y.label()}"
    assert w13.status == "summed" and w13.added_in() == ("AZ-QAZ", "AZ-XA")
    assert set(w13.not_added) == set(ELEVEN) and {c for _, c in w13.not_added.values()} == {y.id}
    assert f"not added in {', '.join(sorted(ELEVEN))}: inside the period of {y.label()}" in w13.reason
    # the summary says, per fact, where it was not added and because of which fact
    rows = {r["id"]: r for r in agg.summary["not_added"]}
    assert rows[w13.id]["added_in"] == ["AZ-QAZ", "AZ-XA"] and rows[w13.id]["not_added_in"] == sorted(ELEVEN)
    assert set(rows[w13.id]["how"]) == {"inside the period of"} and set(rows[w13.id]["because_of"]) == {y.id}
    assert w7.id not in rows          # set aside everywhere: its reason says why (summary "set_aside")
    assert next(r for r in agg.summary["set_aside"] if r["id"] == w7.id)["reason"] == w7.reason
    assert agg.summary["summed"]["not_added_in_some_districts"] == 1


def test_overlap_across_lists_counts_in_the_upper_bound_once():
    """An attributed quarter and a shared month inside it: one column each, but never both in the upper bound."""
    quarter = fig("q", "uxo", 900, start="2022-01-01", end="2022-03-31", districts=["AZ-FUZ"])
    month = fig("m", "uxo", 120, start="2022-02-01", end="2022-02-28", districts=["AZ-FUZ", "AZ-CAB"])
    later = fig("l", "uxo", 60, start="2022-04-01", end="2022-04-30", districts=["AZ-FUZ", "AZ-CAB"])
    agg = aggregate([quarter, month, later], docs(q="2022-04-02", m="2022-03-02", l="2022-05-02"))
    fuz, cab = agg.districts["AZ-FUZ"], agg.districts["AZ-CAB"]
    assert (fuz["uxo"], fuz["uxo_shared"], fuz["uxo_upper"]) == (900, 60, 960)
    assert (cab["uxo"], cab["uxo_shared"], cab["uxo_upper"]) == (None, 180, 180)
    m = _by_value(agg, 120)
    assert m.status == "summed" and m.not_added == {"AZ-FUZ": ("inside the period of", _by_value(agg, 900).id)}


def test_same_period_prefers_the_figure_naming_fewer_districts():
    total = fig("c", "area_ha", 1_000, start="2023-01-01", end="2023-12-31", districts=["AZ-AGM", "AZ-FUZ", "AZ-TAR"])
    agm = fig("c", "area_ha", 600, start="2023-01-01", end="2023-12-31", districts=["AZ-AGM"])
    agg = aggregate([total, agm], docs(c="2024-02-01"), areas=LAND)
    row = agg.districts["AZ-AGM"]
    assert (row["area_ha"], row["area_ha_shared"], row["area_ha_upper"]) == (600, None, 600)
    assert agg.districts["AZ-FUZ"]["area_ha_shared"] == 1_000
    assert _by_value(agg, 1_000).not_added["AZ-AGM"][0] == "same period as"


def test_facts_csv_names_where_a_fact_is_not_added(tmp_path):
    import csv

    from minemap.tables import write_facts_csv

    year = fig("annual", "mines", 5_000, start="2023-01-01", end="2023-12-31", districts=["AZ-AGM", "AZ-FUZ"])
    week = fig("w", "mines", 40, start="2023-03-06", end="2023-03-12", districts=["AZ-AGM", "AZ-FUZ", "AZ-QAZ"])
    agg = aggregate([year, week], docs(annual="2024-01-10", w="2023-03-14"))
    write_facts_csv(agg, tmp_path / "facts.csv")
    with open(tmp_path / "facts.csv", encoding="utf-8") as fh:
        rows = {r["value"]: r for r in csv.DictReader(fh)}
    y = _by_value(agg, 5_000)
    assert rows["40"]["status"] == "summed"
    assert (rows["40"]["not_added_in"], rows["40"]["not_added_because"]) == ("AZ-AGM;AZ-FUZ", f"{y.id};{y.id}")
    assert (rows["5000"]["not_added_in"], rows["5000"]["not_added_because"]) == ("", "")


# ------------------------------------------------------------------------------------------- undated

def test_undated_figure_set_aside_only_where_it_may_repeat_dated_work():
    dated = fig("d", "uxo", 50, start="2022-05-09", end="2022-05-15", districts=["AZ-KAL", "AZ-LAC"])
    soon = fig("soon", "uxo", 45, districts=["AZ-KAL", "AZ-LAC"])          # published 20 days after: set aside
    late = fig("late", "uxo", 30, districts=["AZ-KAL", "AZ-LAC"])          # 40 days after: summed, undated
    other = fig("other", "uxo", 10, districts=["AZ-ZAN"])                  # nothing dated there: summed
    agg = aggregate([dated, soon, late, other],
                    docs(d="2022-05-17", soon="2022-06-04", late="2022-06-24", other="2022-06-04"))
    d = _by_value(agg, 50)
    s, la, o = (_by_value(agg, v) for v in (45, 30, 10))
    assert s.status == "set_aside" and s.reason == (f"undated, and may repeat {d.label()}, which ends within 31 "
                                                    "days before its publication")
    assert la.status == "summed" and o.status == "summed"
    assert agg.districts["AZ-KAL"]["uxo_shared"] == 80 and agg.districts["AZ-ZAN"]["uxo"] == 10
    assert sorted(r["id"] for r in agg.summary["undated_summed"]) == sorted([la.id, o.id])


def test_an_unrelated_figure_of_another_year_is_no_reason_to_drop_last_months_figure():
    old = fig("old", "area_ha", 300, start="2021-03-01", end="2021-03-31", districts=["AZ-FUZ"])
    last_month = fig("new", "area_ha", 120, districts=["AZ-FUZ"])
    agg = aggregate([old, last_month], docs(old="2021-04-02", new="2023-07-03"))
    assert agg.districts["AZ-FUZ"]["area_ha"] == 420
    assert _by_value(agg, 120).status == "summed"


def test_undated_figure_of_an_undated_report_set_aside_where_dated_work_exists():
    dated = fig("d", "uxo", 50, start="2022-05-09", end="2022-05-15", districts=["AZ-KAL"])
    agg = aggregate([dated, fig("nodate", "uxo", 7, districts=["AZ-KAL", "AZ-ZAN"])],
                    {"d": Document("d", "", date="2022-05-17"), "nodate": Document("nodate", "")})
    u = _by_value(agg, 7)
    assert u.status == "summed" and set(u.not_added) == {"AZ-KAL"}
    assert agg.districts["AZ-ZAN"]["uxo_shared"] == 7 and agg.districts["AZ-KAL"]["uxo_shared"] is None


# ----------------------------------------------------------------------------------- inferred dates

def _inferred(doc_id, value, start, end, districts):
    rec = fig(doc_id, "mines", value, start=start, end=end, districts=districts).to_dict()
    return Figure.from_dict(dict(rec, period_inferred=True)) if "period_inferred" in Figure.__slots__ else \
        _InferredFigure(rec)


class _InferredFigure:
    """A Figure carrying period_inferred, for as long as extraction's Figure lacks the optional field."""

    def __init__(self, rec: dict) -> None:
        self._fig = Figure.from_dict(rec)
        self.period_inferred = True

    def __getattr__(self, name):
        return getattr(self._fig, name)


def test_a_past_week_copy_with_inferred_dates_is_the_same_fact_as_the_dated_report():
    dated = fig("wire", "mines", 84, start="2023-04-03", end="2023-04-09", districts=SEVEN)
    copy = _inferred("blog", 84, "2023-04-04", "2023-04-10", SEVEN)        # 6 of 7 days overlap
    agg = aggregate([dated, copy], docs(wire="2023-04-10", blog="2023-04-11"))
    assert len(agg.facts) == 1
    f = agg.facts[0]
    assert [s.doc_id for s in f.sources] == ["wire", "blog"]
    assert (f.period_start, f.period_end, f.period_inferred) == ("2023-04-03", "2023-04-09", False)


def test_inferred_dates_that_overlap_less_than_half_are_another_fact_summed_like_dated_ones():
    dated = fig("wire", "mines", 84, start="2023-04-03", end="2023-04-09", districts=SEVEN)
    other_week = _inferred("blog", 84, "2023-04-08", "2023-04-14", SEVEN)   # 2 of 7 days overlap
    later_week = _inferred("blog2", 61, "2023-04-17", "2023-04-23", SEVEN)
    agg = aggregate([dated, other_week, later_week], docs(wire="2023-04-10", blog="2023-04-15", blog2="2023-04-24"))
    assert len(agg.facts) == 3
    ow, lw = (f for f in agg.facts if f.period_inferred)
    assert lw.status == "summed"                                     # placed in time: summed like dated ones
    assert ow.status == "set_aside" and "overlaps the period of" in ow.reason
    assert agg.districts["AZ-AGM"]["mines_shared"] == 84 + 61


# ---------------------------------------------------------------------------------------- plausible

def test_area_larger_than_the_land_of_its_districts_is_implausible_and_kept_in_facts():
    typo = fig("t", "area_ha", 453_900, start="2024-02-05", end="2024-02-11", districts=["AZ-AGM", "AZ-FUZ"],
               text="453,900 hectares were cleared last week")
    ok = fig("o", "area_ha", 1_200, start="2024-02-12", end="2024-02-18", districts=["AZ-AGM", "AZ-FUZ"])
    agg = aggregate([typo, ok], docs(t="2024-02-12", o="2024-02-19"), areas={"AZ-AGM": 106_757, "AZ-FUZ": 138_612})
    t = _by_value(agg, 453_900)
    assert t.status == "implausible"
    assert t.reason.startswith("implausible: area larger than the land of the 2 districts named "
                               "(453900 ha > 245369 ha, threshold: 100 % of the land)")
    assert agg.districts["AZ-AGM"]["area_ha_shared"] == 1_200
    assert [r["id"] for r in agg.summary["implausible"]] == [t.id]
    assert agg.summary["facts_by_status"]["implausible"] == 1


def test_a_rate_far_beyond_every_other_fact_of_its_metric_is_implausible():
    weeks = [fig(f"w{i}", "uxo", 200 + 10 * i, start=f"2024-03-{1 + 7 * i:02d}", end=f"2024-03-{7 + 7 * i:02d}",
                 districts=SEVEN) for i in range(3)]
    year = fig("y", "uxo", 9_000, start="2023-01-01", end="2023-12-31", districts=SEVEN)
    typo = fig("t", "uxo", 45_390, start="2024-04-01", end="2024-04-07", districts=SEVEN)
    d = docs(w0="2024-03-08", w1="2024-03-15", w2="2024-03-22", y="2024-01-15", t="2024-04-08")
    agg = aggregate([*weeks, year, typo], d)
    t = _by_value(agg, 45_390)
    assert t.status == "implausible" and f"more than {RATE_FACTOR} times the highest daily rate" in t.reason
    assert "6484.3 items a day over 7 days" in t.reason and "(31.4 items a day, " in t.reason
    assert all(f.status != "implausible" for f in agg.facts if f is not t)
    # just under the threshold (10 x 220/7 a day = 314.3): kept
    close = fig("t", "uxo", 2_195, start="2024-04-01", end="2024-04-07", districts=SEVEN)
    assert _by_value(aggregate([*weeks, year, close], d), 2_195).status == "summed"
    # too few others to compare with: kept
    assert _by_value(aggregate([weeks[0], typo], d), 45_390).status == "summed"


def test_a_casualty_count_written_as_a_clock_time_is_implausible():
    day = dict(scope="event", start="2023-07-14", end="2023-07-14", districts=["AZ-KAL"])
    time_read = fig("a", "killed", 1800, text="The blast happened at around 1800 near the village.", **day)
    count = fig("b", "injured", 1800, text="In all, 1,800 people were treated.", **day)
    small = fig("c", "injured", 3, **day)
    agg = aggregate([time_read, count, small], docs(a="2023-07-15", b="2023-07-15", c="2023-07-15"))
    killed = next(f for f in agg.facts if f.metric == "killed")
    injured = next(f for f in agg.facts if f.metric == "injured" and f.value == 1800)
    assert killed.status == "implausible" and "clock time 18:00" in killed.reason
    assert f"{CLOCK_MIN} or more people in one event" in killed.reason
    assert injured.status == "summed"
    # without a sentence (a CSV of figures) four digits HHMM are enough; a running total is never a time
    bare = fig("d", "victims", 1930, **day)
    three = fig("f", "injured", 930, **day)
    total = fig("e", "victims", 1230, scope="cumulative", end="2023-07-14", districts=["AZ-KAL"])
    agg2 = aggregate([bare, three, total], docs(d="2023-07-15", e="2023-07-15", f="2023-07-15"))
    assert {f.value: f.status for f in agg2.facts} == {1930: "implausible", 930: "summed", 1230: "snapshot"}


def test_sums_that_would_overflow_are_implausible_not_a_traceback():
    huge = [fig(f"h{i}", "uxo", 1e308, start="2022-01-01", end="2022-01-31", districts=["AZ-AGM"]) for i in range(2)]
    huge += [fig("h2", "uxo", 1e308, start="2022-02-01", end="2022-02-28", districts=["AZ-AGM"])]
    agg = aggregate(huge, docs(h0="2022-02-01", h1="2022-02-01", h2="2022-03-01"), codes=["AZ-AGM"])
    assert {f.status for f in agg.facts} == {"implausible"}
    assert f"> {MAX_VALUE['items']}" in agg.facts[0].reason
    assert agg.districts["AZ-AGM"]["uxo"] is None
    assert all(v is None or math.isfinite(v) for v in agg.districts["AZ-AGM"].values() if isinstance(v, float))


# --------------------------------------------------------------------------------------------- to date

def test_running_total_of_one_district_is_its_to_date_value_never_summed():
    records = [
        fig("a", "mines", 15_200, scope="cumulative", end="2023-12-31", districts=["AZ-AGM"]),
        fig("b", "mines", 17_030, scope="cumulative", end="2024-12-31", districts=["AZ-AGM"]),
        fig("b", "mines", 56_460, scope="cumulative", end="2024-12-31", districts=["AZ-AGM", "AZ-FUZ"]),
        fig("c", "mines", 300, start="2024-05-01", end="2024-05-31", districts=["AZ-AGM"]),
        fig("b", "killed", 12, scope="cumulative", end="2024-12-31", districts=["AZ-AGM"], group="civilian"),
    ]
    agg = aggregate(records, docs(a="2024-01-05", b="2025-01-10", c="2024-06-02"))
    agm, fuz = agg.districts["AZ-AGM"], agg.districts["AZ-FUZ"]
    assert (agm["mines_to_date"], agm["mines_as_of"]) == (17_030, "2024-12-31")
    assert agm["mines"] == 300 and agm["mines_upper"] == 300          # never added to period sums
    assert fuz["mines_to_date"] is None and fuz["mines_as_of"] is None  # a running total of two districts
    assert agm["killed_to_date"] is None                                # per-group running totals: summary only
    assert _by_value(agg, 15_200).status == "superseded"


# ------------------------------------------------------------------------------------------- estimates

def test_estimate_keeps_per_district_figures_of_the_same_period_and_shares_the_remainder():
    total = fig("c", "area_ha", 10_000, start="2023-01-01", end="2023-12-31", districts=["AZ-AGM", "AZ-FUZ", "AZ-TAR"])
    agm = fig("c", "area_ha", 6_000, start="2023-01-01", end="2023-12-31", districts=["AZ-AGM"])
    agg = aggregate([total, agm], docs(c="2024-02-01"), areas={"AZ-AGM": 100_000, "AZ-FUZ": 30_000, "AZ-TAR": 10_000})
    rows = agg.districts
    # Ağdam keeps its own 6,000; the 4,000 left go to the others by area (3:1)
    assert rows["AZ-AGM"]["area_ha_est"] == 6_000
    assert (rows["AZ-FUZ"]["area_ha_est"], rows["AZ-TAR"]["area_ha_est"]) == (3_000, 1_000)
    assert sum(rows[c]["area_ha_est"] for c in ("AZ-AGM", "AZ-FUZ", "AZ-TAR")) == 10_000   # sums back
    assert rows["AZ-FUZ"]["area_ha_est_basis"] == ("shares by district area, "
                                                   "what a total leaves after per-district figures")
    t = _by_value(agg, 10_000)
    assert t.basis.startswith("remainder after the per-district figures of the same period for 1 of its 3 districts "
                              "(4000 of 10000)")


def test_estimate_weighted_by_what_the_reports_say_per_district_else_by_area():
    # a statistics report: running totals of mines per district
    stats = [fig("s", "mines", v, scope="cumulative", end="2024-12-31", districts=[c])
             for c, v in (("AZ-AGM", 17_000), ("AZ-FUZ", 15_000), ("AZ-CAB", 9_000), ("AZ-TAR", 4_000))]
    week = fig("w", "mines", 90, start="2025-01-13", end="2025-01-19", districts=["AZ-AGM", "AZ-FUZ", "AZ-TAR"])
    week5 = fig("w5", "mines", 100, start="2025-01-20", end="2025-01-26",
                districts=["AZ-AGM", "AZ-FUZ", "AZ-TAR", "AZ-QAZ", "AZ-XA"])
    land = {"AZ-AGM": 30_000, "AZ-FUZ": 30_000, "AZ-TAR": 30_000, "AZ-QAZ": 5_000, "AZ-XA": 5_000}
    agg = aggregate(stats + [week, week5], docs(s="2025-01-08", w="2025-01-21", w5="2025-01-28"), areas=land)
    w, w5 = _by_value(agg, 90), _by_value(agg, 100)
    assert w.shares == (42.5, 37.5, 10.0)                             # 17 : 15 : 4
    assert w.basis == "weighted by the reported per-district running totals as of 2024-12-31"
    # two districts the statistics do not name: 90 % by area to the three named (17:15:4), 10 % to the others
    assert w5.districts == ("AZ-AGM", "AZ-FUZ", "AZ-QAZ", "AZ-TAR", "AZ-XA")
    assert w5.shares == pytest.approx((42.5, 37.5, 5.0, 10.0, 5.0))
    assert "for 3 of its 5 districts, by district area for the rest" in w5.basis
    assert sum(w5.shares) == pytest.approx(100)
    row = agg.districts["AZ-AGM"]
    assert row["mines_est"] == pytest.approx(85) and row["mines_upper"] == 190 and row["mines"] is None
    assert row["mines_est_basis"] == "shares by district area, reported per-district figures"
    # area and equal split as options
    by_area = aggregate(stats + [week], docs(s="2025-01-08", w="2025-01-21"), apportion="area", areas=land)
    assert _by_value(by_area, 90).shares == (30.0, 30.0, 30.0)
    no_est = aggregate(stats + [week], docs(s="2025-01-08", w="2025-01-21"), apportion="none", areas=land)
    assert "mines_est" not in no_est.districts["AZ-AGM"] and no_est.districts["AZ-AGM"]["mines_upper"] == 90


def test_upper_bound_of_area_is_capped_at_the_land_and_the_estimate_stays_inside():
    years = [fig(f"y{y}", "area_ha", 20_000, start=f"{y}-01-01", end=f"{y}-12-31", districts=["AZ-SUS", "AZ-AGM"])
             for y in (2022, 2023)]
    land = {"AZ-SUS": 29_000, "AZ-AGM": 107_000}
    agg = aggregate(years, docs(y2022="2023-01-05", y2023="2024-01-05"), areas=land)
    sus = agg.districts["AZ-SUS"]
    assert sus["area_ha_shared"] == 40_000 and sus["area_ha_upper"] == 29_000
    assert sus["area_ha_est"] <= sus["area_ha_upper"] and agg.districts["AZ-AGM"]["area_ha_upper"] == 40_000


# ----------------------------------------------------------------------------------------------- dates

@pytest.mark.parametrize("bad", ["0001-01-01", "9999-12-31"])
def test_placeholder_dates_are_missing_not_a_crash(bad):
    undated_doc = Figure("u", "uxo", 5, period_start=None, period_end=None, districts=("AZ-AGM",),
                         evidence=Evidence(0, 1, "x"))
    odd = Figure("o", "uxo", 7, period_start=bad, period_end=bad, districts=("AZ-AGM",),
                 evidence=Evidence(0, 1, "x"))
    d = {"u": Document("u", "", date=bad), "o": Document("o", "", date="2022-03-01"),
         "w": Document("w", "", date="2022-03-01")}
    week = Figure("w", "uxo", 9, period_start="2022-02-21", period_end="2022-02-27", districts=("AZ-AGM",),
                  evidence=Evidence(0, 1, "x"))
    agg = aggregate([undated_doc, odd, week], d)
    o = _by_value(agg, 7)
    assert (o.period_start, o.period_end) == (None, None)
    assert f"period_start '{bad}' is not a date between 1990-01-01 and 2100-12-31: treated as missing" in o.reason
    assert agg.window("2022-02-01", "2022-02-28").districts["AZ-AGM"]["uxo"] == 9
