"""Counted once, end to end: a corpus written here (figures and sentences of our own) that mixes annual,
monthly and weekly reports with different district lists, copies from other outlets, an undated copy, a
per-district annual breakdown, running totals and a typo, mapped with `minemap run --figures`.

Checked on the outputs: no district's area exceeds its land, each district's upper bound is the sum of
facts that do not overlap in it (computed here again from facts.csv), and the map opens on clearance with
every district the reports name for clearance coloured."""
from __future__ import annotations

import csv
import json
import math
import re
from datetime import date

import pytest
from click.testing import CliRunner

from minemap.boundaries.polygons import load_embedded
from minemap.cli import main
from minemap.layers import unit_areas_ha

SEVEN = ["AZ-AGM", "AZ-CAB", "AZ-FUZ", "AZ-QBI", "AZ-SUS", "AZ-TAR", "AZ-ZAN"]
ELEVEN = SEVEN + ["AZ-KAL", "AZ-LAC", "AZ-XCI", "AZ-XVD"]
TWELVE = ELEVEN + ["AZ-XA"]
THIRTEEN = TWELVE + ["AZ-QAZ"]

DOCS = [  # doc_id, date, outlet, title
    ("annual-2023", "2024-01-15", "Agency Wire", "A year of clearance"),
    ("cabinet-2023", "2024-03-20", "Cabinet Bulletin", "Annual report: districts"),
    ("monthly-2023-05", "2023-06-02", "Agency Wire", "May in numbers"),
    ("monthly-2024-02", "2024-03-04", "Agency Wire", "February in numbers"),
    ("monthly-2024-03", "2024-04-03", "Daily Post", "March in numbers"),
    ("weekly-2023-06", "2023-06-20", "Agency Wire", "Week 24"),
    ("weekly-2024-02", "2024-02-13", "Agency Wire", "Week 6"),
    ("weekly-2024-02-copy", "2024-02-14", "Evening Courier", "Deminers' week"),
    ("weekly-2024-04", "2024-04-16", "Agency Wire", "Week 15"),
    ("undated-2024-04", "2024-04-24", "Regional Echo", "Clearance goes on"),
    ("weekly-2024-04-typo", "2024-04-30", "Small Gazette", "Week 17"),
    ("stats-2024", "2025-01-20", "Statistics Office", "Mines found per district"),
]


def _f(doc, metric, value, districts, start=None, end=None, scope="period", text=""):
    return {"doc_id": doc, "metric": metric, "value": value, "qualifier": "exact", "scope": scope,
            "period_start": start, "period_end": end, "districts": sorted(districts), "group": None, "actor": None,
            "evidence": {"start": 0, "end": len(text), "text": text}}


FIGURES = [
    _f("annual-2023", "area_ha", 53_000, ELEVEN, "2023-01-01", "2023-12-31",
       text="In 2023 the teams cleared 53,000 hectares in eleven districts."),
    _f("annual-2023", "uxo", 30_000, ELEVEN, "2023-01-01", "2023-12-31",
       text="They also found 30,000 pieces of unexploded ordnance over the year."),
    _f("cabinet-2023", "area_ha", 9_000, ["AZ-AGM"], "2023-01-01", "2023-12-31",
       text="Of the land cleared last year, 9,000 hectares lie in Aghdam."),
    _f("cabinet-2023", "area_ha", 11_000, ["AZ-FUZ"], "2023-01-01", "2023-12-31",
       text="Fuzuli accounts for 11,000 hectares."),
    _f("cabinet-2023", "area_ha", 4_000, ["AZ-TAR"], "2023-01-01", "2023-12-31",
       text="Tartar for 4,000 hectares."),
    _f("monthly-2023-05", "area_ha", 4_200, ELEVEN, "2023-05-01", "2023-05-31",
       text="In May, 4,200 hectares were declared safe."),
    _f("monthly-2024-02", "area_ha", 3_900, THIRTEEN, "2024-02-01", "2024-02-29",
       text="February saw 3,900 hectares cleared in thirteen districts."),
    _f("monthly-2024-03", "area_ha", 4_100, TWELVE, "2024-03-01", "2024-03-31",
       text="In March crews cleared 4,100 hectares."),
    _f("weekly-2023-06", "area_ha", 800, SEVEN, "2023-06-12", "2023-06-18",
       text="This week 800 hectares were cleared in seven districts."),
    _f("weekly-2024-02", "area_ha", 950, THIRTEEN, "2024-02-05", "2024-02-11",
       text="Between 5 and 11 February, 950 hectares were cleared."),
    _f("weekly-2024-02-copy", "area_ha", 950, THIRTEEN, "2024-02-05", "2024-02-11",
       text="Some 950 hectares were cleared from 5 to 11 February, the agency reported."),
    _f("weekly-2024-04", "area_ha", 700, SEVEN, "2024-04-08", "2024-04-14",
       text="From 8 to 14 April, 700 hectares were cleared."),
    _f("weekly-2024-04", "uxo", 410, SEVEN, "2024-04-08", "2024-04-14",
       text="The same week 410 unexploded shells were found."),
    _f("undated-2024-04", "area_ha", 640, SEVEN,
       text="Over the past week deminers cleared 640 hectares, the agency said."),
    _f("weekly-2024-04-typo", "area_ha", 453_900, SEVEN, "2024-04-22", "2024-04-28",
       text="Last week 453,900 hectares were cleared."),
    _f("stats-2024", "mines", 17_030, ["AZ-AGM"], None, "2024-12-31", "cumulative",
       text="Since the end of the war 17,030 mines have been found in Aghdam."),
    _f("stats-2024", "mines", 15_528, ["AZ-FUZ"], None, "2024-12-31", "cumulative",
       text="In Fuzuli the count stands at 15,528."),
]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    base = tmp_path_factory.mktemp("counted")
    figures = base / "figures.jsonl"
    figures.write_text("".join(json.dumps(r) + "\n" for r in FIGURES), encoding="utf-8")
    with open(base / "documents.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["doc_id", "date", "outlet", "title", "url", "path"])
        w.writerows([*d, "", ""] for d in DOCS)
    out = base / "out"
    r = CliRunner().invoke(main, ["run", "--figures", str(figures), "-o", str(out)], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    with open(out / "districts.csv", encoding="utf-8") as fh:
        districts = {row["code"]: row for row in csv.DictReader(fh)}
    with open(out / "facts.csv", encoding="utf-8") as fh:
        facts = list(csv.DictReader(fh))
    return out, districts, facts


@pytest.fixture(scope="module")
def land():
    return unit_areas_ha(load_embedded())


def _num(text: str) -> float | None:
    return float(text) if text != "" else None


def _period(f: dict) -> tuple[date, date]:
    return date.fromisoformat(f["period_start"]), date.fromisoformat(f["period_end"])


def _upper_entry(f: dict, code: str) -> int | None:
    """Where facts.csv says a fact is not added to a district's upper bound: the district, or for a figure
    naming it alone "CODE (upper bound)" when its named-alone value differs (None: it is added)."""
    entries = f["not_added_in"].split(";")
    for where in (code, f"{code} (upper bound)"):
        if where in entries:
            return entries.index(where)
    return None


def test_no_district_area_exceeds_its_land(run, land):
    _, districts, _ = run
    for code, row in districts.items():
        for col in ("area_ha", "area_ha_upper", "area_ha_est", "area_ha_to_date"):
            v = _num(row[col])
            assert v is None or v <= land[code] + 1e-6, (code, col, v, land[code])
    # the annual total for eleven districts is more than Şuşa's land: its upper bound stops there
    assert _num(districts["AZ-SUS"]["area_ha_shared"]) > land["AZ-SUS"]
    # (the land to a tenth of a hectare, rounded down: never above it, never a long fraction in the CSV)
    assert land["AZ-SUS"] - 0.1 < _num(districts["AZ-SUS"]["area_ha_upper"]) <= land["AZ-SUS"]
    assert districts["AZ-SUS"]["area_ha_upper"] == f"{_num(districts['AZ-SUS']['area_ha_upper']):.1f}".rstrip("0").rstrip(".")


def test_each_upper_bound_is_the_sum_of_facts_that_do_not_overlap(run, land):
    _, districts, facts = run
    area = [f for f in facts if f["metric"] == "area_ha" and f["scope"] in ("period", "event")]
    checked = 0
    for code, row in districts.items():
        naming = [f for f in area if code in f["districts"].split(";") and f["status"] in ("summed", "set_aside")]
        added = [f for f in naming if f["status"] == "summed" and _upper_entry(f, code) is None]
        dated = [f for f in added if f["period_start"]]
        # no two facts added in this district overlap in time ...
        for i, a in enumerate(dated):
            for b in dated[i + 1:]:
                (s1, e1), (s2, e2) = _period(a), _period(b)
                assert e1 < s2 or e2 < s1, (code, a["id"], b["id"])
        # ... and every fact not added here overlaps one that is, at least as long, or may repeat it
        for f in naming:
            if f in added:
                continue
            cover = f["not_added_because"].split(";")[_upper_entry(f, code)]
            kept = next(g for g in added if g["id"] == cover)
            if f["period_start"]:
                (s, e), (ks, ke) = _period(f), _period(kept)
                assert s <= ke and ks <= e and (e - s) <= (ke - ks), (code, f["id"], cover)
        total = sum(float(f["value"]) for f in added)
        upper = _num(row["area_ha_upper"])
        if not added:
            assert upper is None, code
            continue
        cap = math.floor(land[code] * 10 + 1e-9) / 10     # the land to a tenth of a hectare, rounded down
        assert upper == pytest.approx(min(total, cap), rel=1e-9), (code, [f["id"] for f in added])
        lower, est = _num(row["area_ha"]) or 0, _num(row["area_ha_est"])
        assert lower - 1e-6 <= est <= upper + 1e-6
        checked += 1
    assert checked == len(THIRTEEN)


def test_what_was_counted_and_why(run):
    _, districts, facts = run
    by_doc = {f["doc_ids"]: f for f in facts if f["metric"] == "area_ha"}
    # the copy from another outlet is the same fact
    assert by_doc["weekly-2024-02\nweekly-2024-02-copy"]["n_reports"] == "2"
    # the 2023 monthly and weekly figures sit inside the annual report in every district they name
    assert by_doc["monthly-2023-05"]["status"] == "set_aside" == by_doc["weekly-2023-06"]["status"]
    # the per-district annual figures stand for the 2023 total in their districts, which counts elsewhere
    annual = by_doc["annual-2023"]
    assert annual["status"] == "summed" and annual["not_added_in"] == "AZ-AGM;AZ-FUZ;AZ-TAR"
    assert districts["AZ-AGM"]["area_ha"] == "9000" and districts["AZ-KAL"]["area_ha_shared"] == "61000"
    # the February week lies inside the February month of the same thirteen districts
    assert by_doc["weekly-2024-02\nweekly-2024-02-copy"]["status"] == "set_aside"
    # the undated "past week" copy may repeat the week of 8-14 April: not added; the typo is implausible
    assert by_doc["undated-2024-04"]["status"] == "set_aside"
    assert "may repeat" in by_doc["undated-2024-04"]["reason"]
    assert by_doc["weekly-2024-04-typo"]["status"] == "implausible"
    assert "more than 10 times the highest daily rate" in by_doc["weekly-2024-04-typo"]["reason"]
    # Kəlbəcər: the annual total, February 2024 and March 2024 (not the seven-district week of April)
    assert districts["AZ-KAL"]["area_ha_upper"] == str(53_000 + 3_900 + 4_100)
    # running totals of one district: to-date columns, never in the sums
    assert (districts["AZ-AGM"]["mines_to_date"], districts["AZ-AGM"]["mines_as_of"]) == ("17030", "2024-12-31")
    assert districts["AZ-AGM"]["mines"] == "" and districts["AZ-AGM"]["mines_upper"] == ""


def test_summary_says_where_each_fact_was_not_added_and_why(run):
    out, _, facts = run
    annual = next(f for f in facts if f["doc_ids"] == "annual-2023" and f["metric"] == "area_ha")
    cabinet_agm = next(f for f in facts if f["doc_ids"] == "cabinet-2023" and f["districts"] == "AZ-AGM")
    md = (out / "summary.md").read_text(encoding="utf-8")
    section = md.split("## Not added in some districts", 1)[1].split("\n## ", 1)[0]
    row = next(line for line in section.splitlines() if line.startswith(f"| {annual['id']} |"))
    assert f"AZ-AGM: same period as {cabinet_agm['id']}" in row and "| AZ-AGM;AZ-FUZ;AZ-TAR |" in row
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    entry = next(r for r in summary["not_added"] if r["id"] == annual["id"])
    at = entry["not_added_in"].index("AZ-AGM")
    assert (entry["how"][at], entry["because_of"][at]) == ("same period as", cabinet_agm["id"])


def test_estimates_of_the_annual_total_sum_back_to_it(run):
    out, districts, facts = run
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["facts_by_status"]["implausible"] == 1
    # 2023 alone: the three per-district figures plus the shares of the remainder make the annual total
    import minemap

    result = minemap.run(figures=out / "figures.jsonl")
    year = result.aggregation.window("2023-01-01", "2023-12-31")
    est = [year.districts[c]["area_ha_est"] for c in ELEVEN]
    assert sum(est) == pytest.approx(53_000)
    assert year.districts["AZ-AGM"]["area_ha_est"] == 9_000 and year.districts["AZ-FUZ"]["area_ha_est"] == 11_000


def test_the_map_opens_on_clearance_and_colours_every_district_named_for_it(run):
    out, _, facts = run
    html = (out / "map.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="mm-data">(.*?)</script>', html, re.S).group(1))
    opening = data["layers"][data["default_layer"]]
    assert opening["column"] == "area_ha_est"
    clearance = {"area_ha", "explosive_items", "mines", "uxo", "ap_mines", "at_mines", "roads_km"}
    named = {d for f in facts if f["metric"] in clearance and f["status"] not in ("excluded", "implausible")
             for d in f["districts"].split(";") if d}
    coloured = {data["districts"][int(i)]["code"] for i in data["frames"][0]["values"][data["default_layer"]]}
    assert coloured == named == set(THIRTEEN)


def test_running_totals_per_district_are_offered_as_a_to_date_view(run):
    out, _, _ = run
    html = (out / "map.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/json" id="mm-data">(.*?)</script>', html, re.S).group(1))
    li = next(i for i, lay in enumerate(data["layers"]) if lay["column"] == "mines_to_date")
    assert data["layers"][li]["label"] == "Mines — to date (running total)"
    codes = [d["code"] for d in data["districts"]]
    agm = str(codes.index("AZ-AGM"))
    frame = data["frames"][0]
    assert frame["values"][li][agm] == 17_030
    assert frame["notes"][li][agm] == "since the war, as of 2024-12-31"
    assert frame["meta"][str(li)][agm] == [1, "2024-12-31", "2024-12-31"]


def _people_run(tmp_path, text):
    from minemap.api import run

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "r.md").write_text(f"---\ndate: 2023-05-02\n---\n{text}\n", encoding="utf-8")
    return run([folder]).aggregation


@pytest.mark.parametrize("text, injured, group, in_group", [
    # one count and a part of it, in one sentence: the part is added nowhere (not in the group column either)
    ("Three civilians, including a child, were injured when a mine went off in Fuzuli district.", 3, "civilian", 3),
    ("Four servicemen, including an officer, were wounded by a mine in Fuzuli district.", 4, "military", 4),
    # two counts in one sentence without a word that makes one a part of the other: different people
    ("Two journalists and a local official were injured by a mine in Fuzuli district.", 3, "civilian", 3),
    ("Two servicemen were wounded by a mine in Fuzuli district, and three more servicemen were wounded by a "
     "mine there later.", 5, "military", 5),
    # two sentences of one report: two incidents, both added
    ("A shepherd was injured by a mine in Fuzuli district. Two more civilians were injured in Fuzuli district "
     "when their tractor hit an anti-tank mine.", 3, "civilian", 3),
])
def test_undated_counts_of_people_and_their_parts_in_one_sentence_count_once(tmp_path, text, injured, group,
                                                                            in_group):
    agg = _people_run(tmp_path, text)
    row = agg.districts["AZ-FUZ"]
    assert (row["injured"], row[f"injured_{group}"]) == (injured, in_group), [f.to_dict() for f in agg.facts]
    assert len(agg.facts) == 2     # each case states two counts
    for f in agg.facts:
        if f.status == "set_aside":
            assert f.reason.startswith("included in")


def test_undated_items_listed_in_one_sentence_still_add_up(tmp_path):
    agg = _people_run(tmp_path, "Deminers found 40 shells and 6 cluster bomblets in Fuzuli district.")
    assert agg.districts["AZ-FUZ"]["uxo"] == 46


def test_one_total_stated_for_two_district_lists_is_estimated_once(tmp_path):
    # two outlets give one week's total; the second adds a district. The upper bounds hold both lists, but
    # the estimates share the total once: the extra district gets nothing more of it
    from minemap.api import run

    folder = tmp_path / "in"
    folder.mkdir()
    week = "From March 3 to 9, 2025, sappers found 88 anti-tank mines and cleared 512.4 hectares in "
    (folder / "a.md").write_text(f"---\ndate: 2025-03-10\n---\n{week}Zangilan, Qubadli and Lachin districts.\n",
                                 encoding="utf-8")
    (folder / "b.md").write_text(f"---\ndate: 2025-03-11\n---\n{week}Zangilan, Qubadli, Lachin and Kalbajar "
                                 "districts.\n", encoding="utf-8")
    agg = run([folder]).aggregation
    rows = agg.districts
    assert sum(rows[c]["area_ha_est"] or 0 for c in rows) == pytest.approx(512.4)
    assert sum(rows[c]["at_mines_est"] or 0 for c in rows) == 88
    assert rows["AZ-KAL"]["area_ha_upper"] == 512.4 and rows["AZ-KAL"]["area_ha_est"] == 0
    [longer] = [f for f in agg.facts if f.metric == "area_ha" and "AZ-KAL" in f.districts]
    assert longer.counted_basis.startswith("the same total as")
