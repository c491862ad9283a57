"""Maps without a browser: classes, legend labels, layer naming, escaping, geometry, determinism."""
from __future__ import annotations

import json
import math
import re
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon

from minemap.extraction.record import Document, Evidence, Figure
from minemap.classify import NO_DATA_COLOR, classify, palette
from minemap.mapmodel import facts_behind, map_layers, parse_column
from minemap.maps import render_maps, slice_windows
from minemap.simplify import decode_geometry, encode_geometry, web_geometry
from minemap.webmap import script_safe_json

EVIL = ("<script>alert(1)</script> <img src=x onerror=alert(1)> "
        "<a href=\"javascript:alert(1)\">click</a> \"double\" 'single'")


def _figures_and_docs():
    """A small run: attributed, shared and zero values, and one report whose every text field is hostile."""
    docs = {
        "dev-evil": Document("dev-evil", "text", date="2022-01-20", title="Title " + EVIL,
                             source="Outlet <b>\"Q\"</b>", url="javascript:alert(1)"),
        "dev-good": Document("dev-good", "text", date="2022-03-05", title="Weekly clearance update",
                             source="Trend", url="https://example.org/news?a=1&b=2"),
    }
    ev_bad = Evidence(0, 10, "Evidence " + EVIL)
    ev_ok = Evidence(0, 10, "Deminers found 12 mines in Aghdam.")
    figs = [
        Figure("dev-evil", "killed", 3, scope="event", period_start="2022-01-18", period_end="2022-01-18",
               districts=("AZ-AGM",), evidence=ev_bad),
        Figure("dev-good", "killed", 1, scope="event", period_start="2022-03-01", period_end="2022-03-01",
               districts=("AZ-FUZ",), evidence=ev_ok),
        Figure("dev-good", "killed", 0, scope="period", period_start="2022-02-01", period_end="2022-02-28",
               districts=("AZ-LAC",), evidence=ev_ok),
        Figure("dev-good", "mines", 12, scope="period", period_start="2022-02-27", period_end="2022-03-04",
               districts=("AZ-AGM",), evidence=ev_ok),
        Figure("dev-good", "mines", 40, scope="period", period_start="2022-02-27", period_end="2022-03-04",
               districts=("AZ-KAL",), evidence=ev_ok),
        Figure("dev-good", "mines", 250, scope="period", period_start="2022-01-01", period_end="2022-01-31",
               districts=("AZ-FUZ", "AZ-ZAN", "AZ-QBI"), evidence=ev_ok),
        Figure("dev-evil", "area_ha", 77.5, scope="period", period_start="2022-01-10", period_end="2022-01-16",
               districts=("AZ-SUS",), evidence=ev_bad),
        Figure("dev-good", "area_ha", 1200, scope="period", period_start="2022-02-01", period_end="2022-02-28",
               districts=("AZ-TAR",), evidence=ev_ok),
        Figure("dev-good", "area_ha", 310, scope="period", period_start="2022-03-01", period_end="2022-03-03",
               districts=("AZ-XVD",), evidence=ev_ok),
    ]
    return figs, docs


def build_run(outdir: Path, **opts):
    from minemap.boundaries.polygons import load_embedded
    from minemap.aggregation import aggregate
    from minemap.layers import district_layer, unit_areas_ha
    from minemap.maps import render_maps

    units = load_embedded()
    figs, docs = _figures_and_docs()
    agg = aggregate(figs, docs, codes=list(units["code"]), areas=unit_areas_ha(units))
    layer = district_layer(units, agg)
    return render_maps(layer, agg, outdir, **opts)


def page_json(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="mm-data">(.*?)</script>', html, re.S)
    assert m, "no embedded map data"
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    paths = build_run(out)
    return {p.name: p for p in paths}


# ------------------------------------------------------------------------------------------ classes

def test_classes_cover_the_values():
    y = [1, 2, 3, 4, 10, 11, 12, 40, 41, 45, 100, 120, 7, 8]
    c = classify(y, "fisherjenks", 5)
    assert len(c.bins) == 5 and list(c.bins) == sorted(c.bins)
    assert c.bins[-1] == 120 and c.lower == 1
    assert len(set(c.colors)) == 5
    assert all(c.color(v) in c.colors for v in y)


@pytest.mark.parametrize("scheme", ["fisherjenks", "quantiles", "equalinterval", "naturalbreaks"])
def test_every_scheme_is_reproducible(scheme):
    rng = np.random.default_rng(3)
    y = list(rng.integers(0, 500, 60))
    a, b = classify(y, scheme, 4), classify(y, scheme, 4)
    assert a == b
    assert 1 <= len(a.bins) <= 4 and a.bins[-1] == max(y)


def test_few_distinct_values_get_one_class_each():
    c = classify([3, 3, 7, 7, 7, 12], "fisherjenks", 5)
    assert c.bins == (3, 7, 12)
    assert c.labels == ("3", "7", "12")
    one = classify([5, 5, 5], "quantiles", 5)
    assert one.bins == (5,) and len(one.colors) == 1


def test_no_values_no_classes_and_null_is_not_zero():
    empty = classify([None, float("nan")], "fisherjenks", 5)
    assert empty.bins == () and empty.color(None) == NO_DATA_COLOR
    c = classify([0, 0, 4, 9, 20, 33, 50, 70], "equalinterval", 3)
    assert c.color(0) == c.colors[0] != NO_DATA_COLOR
    assert c.color(None) == NO_DATA_COLOR and c.color(float("nan")) == NO_DATA_COLOR


def test_legend_labels_integer_and_decimal():
    c = classify([1, 2, 5, 6, 9, 11, 30, 31, 60], "fisherjenks", 3)
    lows = [lab.split(" – ")[0] for lab in c.labels]
    assert lows[0] == "1"
    # integer classes never overlap: each starts above the previous upper bound; a class holding one
    # value reads as that value
    for prev, lab in zip(c.labels, c.labels[1:]):
        assert int(lab.split(" – ")[0]) > int(prev.split(" – ")[-1])
    assert c.labels[-1] == "60"
    d = classify([0.5, 1.25, 2.5, 7.75, 8.0, 9.5], "equalinterval", 3)
    assert d.labels[0].startswith("0.5 – ") and d.labels[1].startswith("> ")
    big = classify([1500, 2500, 12000, 13000, 40000, 41000], "fisherjenks", 3)
    assert "41,000" in big.labels[-1]


def test_tied_values_draw_fewer_classes_each_holding_a_value_and_the_legend_says_so():
    import warnings

    ties = [1] * 9 + [2, 3, 4]
    with warnings.catch_warnings():
        warnings.simplefilter("error")                      # mapclassify's "Not enough unique values"
        c = classify(ties, "quantiles", 3)
        d = classify([1, 1, 1, 1, 1, 1, 2, 3, 5], "quantiles", 3)
    assert c.text == "classes: quantiles, 2 of k=3 (tied values allow no more)" and len(c.bins) == 2
    for cls, values in ((c, ties), (d, [1, 1, 1, 1, 1, 1, 2, 3, 5])):
        # every class holds a value and reads as one ("2 – 1" read backwards before)
        lows = [cls.lower, *cls.bins[:-1]]
        assert all(any((v > lo or (i == 0 and v == lo)) and v <= hi for v in values)
                   for i, (lo, hi) in enumerate(zip(lows, cls.bins)))
        assert cls.labels == tuple(sorted(cls.labels, key=lambda t: float(t.split(" – ")[0].replace(",", ""))))
        for lab in cls.labels:
            parts = [float(x) for x in lab.split(" – ")]
            assert parts == sorted(parts), lab
    assert classify([3, 7, 12], "fisherjenks", 5).text == "classes: Fisher-Jenks, 3 of k=5 (only 3 distinct values)"
    assert classify(list(range(20)), "equalinterval", 4).text == "classes: equal intervals, k=4"


def test_run_map_with_few_values_and_quantiles_warns_nothing(tmp_path):
    import warnings

    import minemap

    codes = ["AZ-AGM", "AZ-FUZ", "AZ-KAL", "AZ-LAC", "AZ-QBI", "AZ-SUS", "AZ-TAR", "AZ-XVD", "AZ-ZAN"]
    figs = [Figure("d", "uxo", v, period_start="2023-03-06", period_end="2023-03-12", districts=(c,),
                   evidence=Evidence(0, 1, "x")) for c, v in zip(codes, [5] * 6 + [9, 14, 30])]
    result = minemap.run(figures=figs)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        page = result.map(scheme="quantiles", k=3).get_root().render()
    data = page_json(page)
    li = [lay["column"] for lay in data["layers"]].index("uxo")
    assert data["frames"][0]["classes"][li]["scheme"] == "classes: quantiles, 2 of k=3 (tied values allow no more)"


def test_bad_scheme_and_k():
    with pytest.raises(ValueError, match="unknown classification scheme"):
        classify([1, 2, 3], "jenks", 3)
    with pytest.raises(ValueError):
        classify([1, 2, 3], "quantiles", 0)


def test_palette_is_sequential_light_to_dark():
    from matplotlib.colors import to_rgb

    from minemap.classify import PALETTE
    cols = palette(PALETTE, 6)
    lum = [sum(to_rgb(c)) for c in cols]
    assert lum == sorted(lum, reverse=True) and len(set(cols)) == 6


def test_many_values_are_classified_on_quantiles_quickly():
    import time

    rng = np.random.default_rng(7)
    y = list(rng.lognormal(5, 2, 20_000))
    t = time.perf_counter()
    c = classify(y, "fisherjenks", 5)
    assert time.perf_counter() - t < 5                  # Fisher-Jenks on 20,000 values directly: minutes
    assert c.lower == min(y) and c.bins[-1] == max(y) and len(c.bins) == 5
    assert all(c.color(v) in c.colors for v in y[:500])
    assert classify(y, "fisherjenks", 5) == c


# --------------------------------------------------------------------------------- layers and facts

def test_column_names_become_layer_names():
    part = parse_column("killed_civilian")
    assert (part.metric, part.group, part.kind, part.unit) == ("killed", "civilian", "attributed", "people")
    assert part.label == "Killed (civilians) — named alone (lower bound)"
    est = parse_column("area_ha_est")
    assert est.kind == "estimate" and est.label == "Area cleared — estimate" and est.unit == "ha"
    assert parse_column("mines_upper").label == "Mines — upper bound"
    assert parse_column("uxo_to_date").label == "Unexploded ordnance — to date (running total)"
    assert parse_column("uxo_shared").kind == "shared"
    for col in ("reports", "first_date", "code", "name", "geometry", "killed_children", "uxo_as_of",
                "area_ha_est_basis", "killed_civilian_shared"):
        assert parse_column(col) is None


def test_only_columns_with_values_become_layers_in_order():
    table = {"code": ["A", "B"], "mines_shared": [None, 4.0], "mines_upper": [None, 4.0], "killed": [1.0, None],
             "uxo": [None, None], "area_ha_est": [2.0, 3.0], "area_ha": [2.0, None], "mines_to_date": [7, None],
             "reports": [1, 1]}
    # metric order of the spec, then estimate, named alone, upper bound, to date; shared alone is no view
    assert [m.column for m in map_layers([table])] == ["mines_upper", "mines_to_date", "area_ha_est", "area_ha",
                                                       "killed"]


def test_the_map_opens_on_land_cleared_when_it_colours_nearly_as_many_districts():
    from minemap.mapmodel import AREA_SHARE, choose

    codes = [f"AZ-{i:02d}" for i in range(12)]

    def table(items: int, area: int, mines: int = 0) -> dict:
        col = lambda n: [float(i + 1) if i < n else None for i in range(12)]  # noqa: E731
        return {"code": codes, "explosive_items_est": col(items), "explosive_items": col(items),
                "area_ha_est": col(area), "area_ha": col(area), "mines_est": col(mines), "killed": col(12)}

    # area colours 9 of the 12 districts the item counts colour (9 >= 0.75 * 12): land cleared it is
    assert choose(table(12, 9)).column == "area_ha_est"
    assert choose(table(8, 8)).column == "area_ha_est"           # a tie goes to land cleared too
    # far fewer districts with an area: the metric that colours most (not casualties, however many)
    assert 5 < AREA_SHARE * 12 and choose(table(12, 5)).column == "explosive_items_est"
    assert choose(table(0, 0, mines=3)).column == "mines_est"
    # --metric still wins
    assert choose(table(12, 9), metric="explosive_items").column == "explosive_items_est"


def test_facts_behind_values():
    from minemap.facts import Fact, Source
    src = Source("d1", "Trend", "2022-01-02", "t", None, "e", 5, "exact", None, None)
    one = Fact("F1", "killed", "civilian", 2, "exact", "event", None, None, ("AZ-AGM",), [src])
    many = Fact("F2", "mines", None, 9, "exact", "period", None, None, ("AZ-AGM", "AZ-FUZ"), [src])
    gone = Fact("F3", "mines", None, 9, "exact", "period", None, None, ("AZ-AGM",), [src], status="set_aside")
    b = facts_behind([one, many, gone])
    assert b[("AZ-AGM", "killed")] == [one] and b[("AZ-AGM", "killed_civilian")] == [one]
    assert b[("AZ-FUZ", "mines_shared")] == [many] and b[("AZ-AGM", "mines_est")] == [many]
    assert ("AZ-AGM", "mines") not in b


# --------------------------------------------------------------------------------------- escaping

def test_inline_json_cannot_leave_its_script():
    obj = {"t": "</script><script>alert(1)</script>", "u": "a\u2028b\u2029c", "amp": "<!-- & -->"}
    text = script_safe_json(obj)
    assert "<" not in text and ">" not in text and "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == obj


def test_page_holds_report_text_only_as_escaped_data(run):
    html = run["map.html"].read_text("utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    data = page_json(html)
    evil = [s for s in data["sources"] if s["doc_id"] == "dev-evil"][0]
    assert evil["title"] == "Title " + EVIL            # kept intact as text, escaped only in transit
    assert evil["url"] is None                          # javascript: is never offered as a link
    good = [s for s in data["sources"] if s["doc_id"] == "dev-good"][0]
    assert good["url"] == "https://example.org/news?a=1&b=2"
    assert html.count("<title>") == 1


def test_title_is_escaped(tmp_path):
    paths = build_run(tmp_path, title="A <b>bold</b> & \"quoted\" title")
    html = paths[0].read_text("utf-8")
    assert "<b>bold</b>" not in html and "A &lt;b&gt;bold&lt;/b&gt; &amp;" in html


# --------------------------------------------------------------------------------------- geometry

def _wiggly_grid(n=4):
    """n x n unit squares whose shared edges carry many small zigzags (a valid coverage)."""
    def edge(p, q, shift):
        # The zigzag depends on the absolute position only (integer steps of 1/40), so both neighbours
        # of an edge get exactly the same vertices.
        (x0, y0), (x1, y1) = p, q
        pts = []
        for i in range(40):
            sx, sy = x0 * 40 + (x1 - x0) * i, y0 * 40 + (y1 - y0) * i
            step = sx if shift == (0, 1) else sy
            d = 0 if step % 40 == 0 else (1 if step % 2 else -1)
            pts.append(((sx + d * shift[0] * 0.16) / 40, (sy + d * shift[1] * 0.16) / 40))
        return pts

    cells = []
    for i in range(n):
        for j in range(n):
            c = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
            ring = (edge(c[0], c[1], (0, 1)) + edge(c[1], c[2], (1, 0)) +
                    edge(c[2], c[3], (0, 1)) + edge(c[3], c[0], (1, 0)))
            cells.append(Polygon(ring))
    return cells


def test_simplification_keeps_shared_borders_shared():
    cells = _wiggly_grid()
    assert shapely.coverage_is_valid(np.array(cells, dtype=object))
    simple = web_geometry(cells, tolerance=0.02, decimals=4)
    assert shapely.coverage_is_valid(simple)
    before = shapely.get_num_coordinates(np.array(cells, dtype=object)).sum()
    after = shapely.get_num_coordinates(simple).sum()
    assert after < before / 4
    total = shapely.union_all(simple).area
    assert math.isclose(total, 16, rel_tol=1e-3)            # no gaps, no overlaps
    coords = shapely.get_coordinates(simple)
    assert np.allclose(coords, np.round(coords, 4))


def test_geometry_encoding_round_trips():
    from shapely.geometry import MultiPolygon
    a = Polygon([(45.1234, 39.5), (46.0, 39.5), (46.0, 40.25), (45.1234, 40.25)],
                [[(45.5, 39.75), (45.75, 39.75), (45.75, 40.0)]])
    b = Polygon([(47.0, 41.0), (47.5, 41.0), (47.5, 41.5)])
    enc = encode_geometry(MultiPolygon([a, b]), 4)
    assert all(isinstance(v, int) for poly in enc for ring in poly for v in ring)
    back = decode_geometry(enc, 4)
    assert back.equals(MultiPolygon([a, b]))
    assert decode_geometry(encode_geometry(b, 4), 4).equals(MultiPolygon([b]))


def test_embedded_districts_stay_a_coverage_on_the_web(run):
    data = page_json(run["map.html"].read_text("utf-8"))
    geoms = np.array([decode_geometry(enc) for enc in data["shapes"]], dtype=object)
    assert len(geoms) == 77 and not any(shapely.is_empty(geoms))
    assert shapely.coverage_is_valid(geoms, gap_width=0.0)
    coords = shapely.get_coordinates(geoms).ravel()
    assert np.allclose(coords, np.round(coords, 4), rtol=0, atol=1e-9)


# -------------------------------------------------------------------------------------- the files

def test_render_is_deterministic_and_atomic(tmp_path):
    a = build_run(tmp_path / "a")
    b = build_run(tmp_path / "b")
    assert [p.name for p in a] == ["map.html", "map.png", "map.svg"]
    for pa, pb in zip(a, b):
        assert pa.read_bytes() == pb.read_bytes(), pa.name
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["map.html", "map.png", "map.svg"]


def test_static_images(run):
    from PIL import Image
    img = Image.open(run["map.png"])
    assert img.width == 1600 and img.height >= 900
    colours = img.convert("RGB").getcolors(maxcolors=1 << 20)
    assert len(colours) > 10
    svg = run["map.svg"].read_text("utf-8")
    assert "<dc:date>" not in svg
    # Title, legend with units, no-data key, scale bar and source note, as in the HTML's opening layer
    # (mines: the clearance metric that names most districts), all as editable text.
    texts = _svg_text(svg)
    for text in ("Mine action in Azerbaijan by district", "Mines — estimate (items)", "12 items", "No data",
                 "Natural Earth", "50 km"):
        assert text in texts, text


def test_image_texts_stay_on_the_canvas_with_a_long_credit_and_legend_title():
    """A long --attribution and the per-group layer "Killed (civilians) — named alone (lower bound) (people)"
    were cut at the right edge ("…(lower bour", "AZERTAC, Calib"): every text is wrapped to the canvas."""
    from matplotlib.text import Text

    from minemap.aggregation import aggregate
    from minemap.boundaries.polygons import load_embedded
    from minemap.layers import district_layer
    from minemap.maps import map_figure

    units = load_embedded()
    outlets = ["AZERTAC", "Caliber", "Report News Agency", "Trend International", "APA Information Agency",
               "Azernews", "Turan", "Interfax-Azerbaijan", "Xalq Qazeti", "Respublika", "Bakinskiy Rabochiy"]
    docs = {f"d{i}": Document(f"d{i}", "", date="2023-05-12", source=o) for i, o in enumerate(outlets)}
    figs = [Figure(f"d{i}", "killed", 1 + i % 3, scope="event", period_start="2023-05-11", period_end="2023-05-11",
                   districts=(code,), group="civilian", evidence=Evidence(0, 1, "x"))
            for i, code in enumerate(("AZ-AGM", "AZ-FUZ", "AZ-TAR", "AZ-KAL", "AZ-LAC", "AZ-QBI", "AZ-ZAN", "AZ-SUS",
                                      "AZ-CAB", "AZ-XVD", "AZ-XCI"))]
    agg = aggregate(figs, docs, codes=list(units["code"]))
    credit = ("Compiled by the Mine Action Monitoring Desk of the Regional Observatory for Humanitarian "
              "Demining, with the help of volunteers in Baku, Ganja and Barda, from agency reports " * 2)
    fig = map_figure(district_layer(units, agg), agg, metric="killed_civilian", attribution=credit,
                     title="Civilians killed by mines and unexploded ordnance in the districts, 2023, "
                           "as the press reported it")
    renderer = fig.canvas.get_renderer()
    fig.canvas.draw()
    width, height = fig.bbox.width, fig.bbox.height
    # every text drawn (the hidden axes' tick labels are not)
    hidden = {id(t) for a in fig.axes if not a.axison for axis in (a.xaxis, a.yaxis) for t in axis.findobj(Text)}
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and id(t) not in hidden]
    joined = " ".join(t.get_text().replace("\n", " ") for t in texts)
    assert "Killed (civilians) — named alone" in joined and "Bakinskiy Rabochiy" in joined
    for t in texts:
        box = t.get_window_extent(renderer)
        assert 0 <= box.x0 and box.x1 <= width and 0 <= box.y0 and box.y1 <= height, (t.get_text()[:60], box)
    # the map sits between the texts: the title block above it, the credits below
    ax = fig.axes[0].get_window_extent(renderer)
    for t in texts:
        box = t.get_window_extent(renderer)
        if box.x0 < ax.x1 and t.get_text().startswith(("Civilians", "Compiled")):
            assert box.y0 >= ax.y1 - 1 or box.y1 <= ax.y0 + 1, t.get_text()[:40]


def _svg_text(svg: str) -> str:
    """The SVG's text elements, as an editor sees them (text stays text, not glyph outlines)."""
    import html as _html
    return " ".join(_html.unescape(t) for t in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, re.S))


def test_png_uses_the_html_default_layer_colours(run):
    from PIL import Image
    data = page_json(run["map.html"].read_text("utf-8"))
    cls = data["frames"][0]["classes"][data["default_layer"]]
    img = Image.open(run["map.png"]).convert("RGB")
    present = {"#%02x%02x%02x" % c for _, c in img.getcolors(maxcolors=1 << 20)}
    assert set(cls["colors"]) <= present


def test_self_contained_by_default_has_no_external_reference(tmp_path):
    html = build_run(tmp_path)[0].read_text("utf-8")
    # Nothing the browser would fetch: no external script, stylesheet, image or CSS url().
    assert not re.search(r"""<(script|img|iframe|link)[^>]*(src|href)\s*=""", html)
    assert not re.search(r"""url\(\s*['"]?(https?:)?//""", html)
    assert "<link" not in html and "Leaflet 1.9.4" in html
    assert "url(images/" not in html


def test_cdn_page_loads_only_leaflet(tmp_path):
    html = build_run(tmp_path, self_contained=False)[0].read_text("utf-8")
    ext = re.findall(r"""<(?:script|link)\b[^>]*(?:src|href)\s*=\s*["'](https?://[^"']+)""", html)
    assert sorted(ext) == ["https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.css",
                           "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js"]


# ------------------------------------------------------------------------------------------- time

def test_slice_windows():
    from minemap.facts import Fact
    f = [Fact("F1", "mines", None, 1, "exact", "period", "2021-11-20", "2022-02-03", ("AZ-AGM",)),
         Fact("F2", "mines", None, 1, "exact", "period", None, None, ("AZ-AGM",))]
    agg = SimpleNamespace(facts=f, date_from=None, date_to=None)
    months = slice_windows(agg, "month")
    assert [m[0] for m in months] == ["2021-11", "2021-12", "2022-01", "2022-02"]
    assert months[2][1:] == ("2022-01-01", "2022-01-31") and months[3][2] == "2022-02-28"
    assert [y[0] for y in slice_windows(agg, "year")] == ["2021", "2022"]
    agg.date_from = "2022-01-15"
    clipped = slice_windows(agg, "month")
    assert [m[0] for m in clipped] == ["2022-01", "2022-02"]
    assert clipped[0][1:] == ("2022-01-15", "2022-01-31")


def test_time_frames_use_the_aggregation_per_slice(tmp_path):
    data = page_json(build_run(tmp_path, by="month")[0].read_text("utf-8"))
    labels = [f["label"] for f in data["frames"]]
    assert labels[0] == "All dates" and [lab[:7] for lab in labels[1:]] == ["2022-01", "2022-02", "2022-03"]
    killed = [lay["column"] for lay in data["layers"]].index("killed")
    codes = [d["code"] for d in data["districts"]]
    agm = codes.index("AZ-AGM")
    assert [f["values"][killed].get(str(agm)) for f in data["frames"]] == [3, 3, None, None]


def test_a_slice_is_the_run_aggregated_with_that_window():
    """Aggregation.window (what each frame shows) equals aggregating the figures with that window."""
    from minemap.aggregation import aggregate

    figs, docs = _figures_and_docs()
    codes = ["AZ-AGM", "AZ-FUZ", "AZ-KAL", "AZ-LAC", "AZ-QBI", "AZ-SUS", "AZ-TAR", "AZ-XVD", "AZ-ZAN"]
    run = aggregate(figs, docs, codes=codes)
    for first, last in (("2022-01-01", "2022-01-31"), ("2022-02-01", "2022-02-28"), ("2022-03-01", "2022-03-31")):
        sliced = run.window(first, last)
        direct = aggregate(figs, docs, first, last, codes=codes)
        assert sliced.districts == direct.districts
        assert {f.id: (f.status, f.reason) for f in sliced.facts} == {
            f.id: (f.status, f.reason) for f in direct.facts if f.status != "excluded"}


def test_by_needs_facts_and_a_known_slice(tmp_path):
    gdf = gpd.GeoDataFrame({"code": ["A"], "name": ["a"], "name_en": ["a"], "killed": [1.0]},
                           geometry=[Polygon([(0, 0), (1, 0), (1, 1)])], crs=4326)
    with pytest.raises(ValueError, match="aggregation"):
        render_maps(gdf, None, tmp_path, by="month")
    with pytest.raises(ValueError, match="by must be"):
        render_maps(gdf, None, tmp_path, by="week")


def test_attribution_lists_each_outlet_once_whatever_its_spelling():
    from types import SimpleNamespace as NS

    from minemap.maps import _attribution

    src = lambda name: NS(source=name, doc_id="d")  # noqa: E731
    agg = NS(facts=[NS(sources=[src("Azernews"), src("AzerNews"), src(None), src("  ")]),
                    NS(sources=[src("APA"), src("Trend")])])
    data, boundary = _attribution(NS(attrs={}), agg)
    assert data.endswith("(APA, AzerNews, Trend)")
    assert "Natural Earth" in boundary
    _, theirs = _attribution(NS(attrs={"boundary_source": "Boundaries: my.gpkg"}), agg)
    assert theirs == "Boundaries: my.gpkg"


def test_popup_lists_at_most_max_facts_and_counts_the_rest():
    from minemap.boundaries.polygons import load_embedded
    from minemap.aggregation import aggregate
    from minemap.layers import district_layer
    from minemap.maps import MAX_POPUP_FACTS, map_html

    units = load_embedded()
    n = MAX_POPUP_FACTS + 7
    docs = {f"w{i:02d}": Document(f"w{i:02d}", "t", date=f"2023-{1 + i // 4:02d}-{1 + 7 * (i % 4):02d}")
            for i in range(n)}
    # n distinct weeks in Aghdam: nothing nests, so all n facts are summed into one value
    figs = [Figure(d.doc_id, "uxo", 10 + i, scope="period", period_start=d.date, period_end=d.date,
                   districts=("AZ-AGM",), evidence=Evidence(0, 1, "t"))
            for i, d in enumerate(docs.values())]
    agg = aggregate(figs, docs, codes=list(units["code"]))
    data = page_json(map_html(district_layer(units, agg), agg))
    li = str(next(j for j, ml in enumerate(data["layers"]) if ml["column"] == "uxo"))
    agm = str(next(j for j, d in enumerate(data["districts"]) if d["code"] == "AZ-AGM"))
    frame = data["frames"][0]
    assert len(frame["refs"][li][agm]) == MAX_POPUP_FACTS
    assert frame["more"][li][agm] == 7
    assert frame["values"][int(li)][agm] == sum(10 + i for i in range(n))


# ----------------------------------------------------------------------- hostile input (issue 12 rows)

def test_by_month_over_decades_is_quick_and_placeholder_dates_do_not_crash(tmp_path):
    """Documents dated 30 years apart (360 monthly frames, empty ones included) and the placeholder
    dates 0001-01-01 / 9999-12-31 (treated as missing: no frame for year 9999, no OverflowError)."""
    import random
    import time

    from minemap.aggregation import aggregate
    from minemap.boundaries.polygons import load_embedded
    from minemap.layers import district_layer, unit_areas_ha
    from minemap.maps import map_html

    units = load_embedded()
    codes = list(units["code"])
    rng = random.Random(3)
    docs, figs = {}, []
    for i in range(1000):
        y, m = rng.randint(1995, 2024), rng.randint(1, 12)
        docs[f"d{i}"] = Document(f"d{i}", "", date=f"{y}-{m:02d}-20")
        figs.append(Figure(f"d{i}", rng.choice(["uxo", "area_ha", "mines"]), rng.randint(1, 500),
                           period_start=f"{y}-{m:02d}-01", period_end=f"{y}-{m:02d}-07",
                           districts=tuple(rng.sample(codes[:20], rng.randint(1, 7))), evidence=Evidence(0, 1, "x")))
    for doc_id, day in (("far", "9999-12-31"), ("null", "0001-01-01")):
        docs[doc_id] = Document(doc_id, "", date=day)
        figs += [Figure(doc_id, "uxo", 3, period_start=day, period_end=day, districts=("AZ-AGM",),
                        evidence=Evidence(0, 1, "x")),
                 Figure(doc_id, "uxo", 4, districts=("AZ-AGM",), evidence=Evidence(0, 1, "x"))]
    agg = aggregate(figs, docs, codes=codes, areas=unit_areas_ha(units))
    layer = district_layer(units, agg)
    t = time.perf_counter()
    data = page_json(map_html(layer, agg, by="month"))
    assert time.perf_counter() - t < 30
    labels = [f["label"][:7] for f in data["frames"][1:]]
    assert len(labels) == 360 and labels[0] == "1995-01" and labels[-1] == "2024-12"
    assert all("classes" not in f for f in data["frames"][1:]) and len(data["slice_classes"]) == len(data["layers"])


def test_report_text_never_reaches_mathtext_in_the_images(tmp_path):
    """Outlet names (and a title) with $...$ are drawn as they are: matplotlib would read them as formulas."""
    from minemap.aggregation import aggregate
    from minemap.boundaries.polygons import load_embedded
    from minemap.layers import district_layer

    units = load_embedded()
    outlets = ["$$", "Daily $x_$ News", r"The $\undefined$ Times"]
    docs = {f"d{i}": Document(f"d{i}", "", date="2023-01-10", source=o) for i, o in enumerate(outlets)}
    figs = [Figure(f"d{i}", "uxo", 10 + i, period_start="2023-01-02", period_end="2023-01-08",
                   districts=(code,), evidence=Evidence(0, 1, "x"))
            for i, code in enumerate(("AZ-AGM", "AZ-FUZ", "AZ-TAR"))]
    agg = aggregate(figs, docs, codes=list(units["code"]))
    paths = render_maps(district_layer(units, agg), agg, tmp_path, title="Cost: $5 & $x^2$")
    texts = _svg_text(paths[2].read_text("utf-8"))
    for text in (*outlets, "Cost: $5 & $x^2$"):
        assert text in texts, text


def test_layers_say_what_the_run_found_that_no_district_shows(tmp_path):
    # the coloured districts are not the whole: a figure naming no district is named in the layer's note
    from minemap.api import run
    from minemap.maps import not_on_map

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text("---\ndate: 2024-03-04\n---\nIn February 2024, deminers cleared 30 hectares "
                                 "in Fuzuli district and found 12 anti-tank mines there.\n", encoding="utf-8")
    (folder / "b.md").write_text("---\ndate: 2024-03-05\n---\nAcross the liberated lands, 2,400 hectares were "
                                 "cleared in February 2024.\n", encoding="utf-8")
    r = run([folder])
    assert not_on_map(r.aggregation) == {"area_ha": (2400.0, 1)}
    out = tmp_path / "out"
    r.save(out)
    html = (out / "map.html").read_text(encoding="utf-8")
    assert "Not on this map: 2,400 ha in 1 figure naming no district" in html
    assert html.count("Not on this map") == sum(1 for k in ("estimate", "attributed", "upper")
                                                if f'"column":"area_ha{"" if k == "attributed" else "_" + ("est" if k == "estimate" else k)}"' in html)
    svg_text = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", (out / "map.svg").read_text(encoding="utf-8")))
    assert "Not on this map: 2,400 ha in 1 figure naming no district" in svg_text   # the image says it too
