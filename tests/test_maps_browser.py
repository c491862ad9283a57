"""map.html in a real browser: Debian's Chromium driven by Playwright, every network request aborted
(a map that needs the network fails here). One browser for the whole module.

The CDN variant (`--cdn`) is tested twice: with Leaflet's CDN URLs served from the vendored copy (as if
online), and with them aborted (the fallback drawing). The default page is self-contained.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from minemap.webmap import leaflet_dir
from test_maps_render import build_run, page_json   # the same small hostile run the unit tests render

playwright = pytest.importorskip("playwright.sync_api", reason="Python playwright is not installed")

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--disable-quic", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
IFRAME = {"width": 720, "height": 450}


@pytest.fixture(scope="module")
def maps(tmp_path_factory):
    base = tmp_path_factory.mktemp("maps")
    return {
        "inline": build_run(base / "inline")[0],
        "cdn": build_run(base / "cdn", self_contained=False)[0],
        "by": build_run(base / "by", by="month")[0],
    }


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian chromium (/usr/bin/chromium) is required for the browser tests: apt-get install -y chromium")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield b
        b.close()


class Watch:
    def __init__(self):
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []


def _open(browser, html: Path, *, network: str = "none", viewport=None, wait: str = "path.mm-d"):
    """Open a page. network="none": every request that is not a local file is aborted and recorded;
    network="cdn": Leaflet's CDN URLs are served from the vendored copy, all else aborted."""
    page = browser.new_page(viewport=viewport or {"width": 1280, "height": 860})
    w = Watch()
    page.on("pageerror", lambda e: w.errors.append(f"pageerror: {e}"))
    page.on("console", lambda m: w.errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("dialog", lambda d: (w.dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:")) else w.requests.append(r.url))
    local = leaflet_dir()

    def handle(route):
        url = route.request.url
        if url.startswith(("file:", "data:")):
            return route.continue_()
        m = re.search(r"/leaflet@[\d.]+/dist/(.+?)(?:\?.*)?$", url)
        if network == "cdn" and m and (local / m.group(1)).is_file():
            return route.fulfill(path=str(local / m.group(1)))
        return route.abort()

    page.route("**/*", handle)
    page.goto(html.as_uri())
    page.wait_for_load_state("load")
    if wait:
        page.wait_for_selector(wait)
    return page, w


FIND_POINT = """code => {
  const el = document.querySelector('path.mm-' + code), r = el.getBoundingClientRect();
  for (let n = 2; n <= 32; n *= 2)
    for (let i = 1; i < n; i++) for (let j = 1; j < n; j++) {
      const x = r.left + r.width * i / n, y = r.top + r.height * j / n;
      if (document.elementFromPoint(x, y) === el) return [x, y];
    }
  return null;
}"""


def _point(frame, code: str):
    """A point (in the frame's viewport) where the district is on top, else None."""
    return frame.evaluate(FIND_POINT, code)


def _at(page, code: str, action: str = "hover") -> None:
    """Hover or click a point where the district itself is on top (small or concave districts have
    their bounding-box centre elsewhere)."""
    page.mouse.move(1, 1)
    # Popups pan the map (animated) and fade out: wait until the district is on top and stops moving.
    xy, prev = _point(page, code), None
    for _ in range(20):
        if xy is not None and xy == prev:
            break
        page.wait_for_timeout(100)
        xy, prev = _point(page, code), xy
    assert xy, f"district {code} is not clickable anywhere"
    if action == "click":
        page.mouse.click(*xy)
    else:
        page.mouse.move(*xy)


def _fills(page) -> list[str]:
    return page.eval_on_selector_all("path.mm-d", "els => els.map(e => e.getAttribute('fill'))")


def _show(page, metric: str, kind: str | None = None) -> None:
    """Choose a metric (and a view) in the layer selectors, opening them first on small screens."""
    if page.locator("#mm-toggle").is_visible() and not page.locator("#mm-metric").is_visible():
        page.click("#mm-toggle")
    page.select_option("#mm-metric", metric)
    if kind:
        page.select_option("#mm-kind", label=kind)


def test_opens_on_clearance_estimate_with_range_in_tooltip(browser, maps):
    page, w = _open(browser, maps["inline"])
    assert page.locator(".leaflet-overlay-pane path.mm-d").count() == 77
    legend = page.locator("#mm-legend").inner_text()
    # the opening layer: the clearance metric that names most districts (mines: 5), its estimate
    assert legend.startswith("Mines — estimate (items)") and "No data" in legend
    assert "114.07 items" in legend and page.locator("#mm-legend li.mm-class").count() == 5
    assert page.locator("#mm-metric").input_value() == "mines"
    assert page.locator("#mm-kind option").all_inner_texts() == ["estimate", "named alone (lower bound)", "upper bound"]
    coloured = [f for f in _fills(page) if f != "url(#mm-hatch)"]
    assert len(coloured) == 5
    _at(page, "AZ-FUZ")
    tip = page.locator(".leaflet-tooltip", has_text="Fuzuli")
    tip.wait_for(state="visible")
    tt = tip.inner_text()
    assert "Füzuli" in tt and "Mines — estimate: 114.07 items" in tt
    assert "range: 0 (named alone) – 250 items (upper bound)" in tt and "how: shares by district area" in tt
    # the report count and dates of this layer's value, singular when one
    assert "1 report · 2022-01-01 – 2022-01-31" in tt and "1 reports" not in tt
    # Ağdam: two reports name it (a blast and a week of clearance), one stands behind its mines value
    _at(page, "AZ-AGM")
    tip = page.locator(".leaflet-tooltip", has_text="Aghdam")
    tip.wait_for(state="visible")
    tt = tip.inner_text()
    assert "Mines — estimate: 12 items" in tt and "1 report · 2022-02-27 – 2022-03-04" in tt
    assert page.locator("#mm-title").inner_text().startswith("Mine action")
    assert "Natural Earth" in page.locator(".leaflet-control-attribution").inner_text()
    assert re.fullmatch(r"\d+ km", page.locator(".leaflet-control-scale-line").inner_text().strip())
    assert w.errors == [] and w.dialogs == [] and w.requests == []


def test_zero_is_not_no_data_and_one_person_is_singular(browser, maps):
    page, w = _open(browser, maps["inline"])
    _show(page, "killed", "named alone (lower bound)")
    zero = page.get_attribute("path.mm-AZ-LAC", "fill")            # 0 killed
    none = page.get_attribute("path.mm-AZ-BA", "fill")             # no report
    assert none == "url(#mm-hatch)" and zero.startswith("#") and zero != none
    assert "1 person" in page.locator("#mm-legend").inner_text()
    _at(page, "AZ-FUZ")
    tip = page.locator(".leaflet-tooltip", has_text="Fuzuli")
    tip.wait_for(state="visible")
    assert "Killed — named alone (lower bound): 1 person" in tip.inner_text()
    assert w.errors == []


def test_switching_metric_and_view_changes_colours_and_legend(browser, maps):
    page, w = _open(browser, maps["inline"])
    before = _fills(page)
    _show(page, "mines", "upper bound")
    page.wait_for_function("document.querySelector('#mm-legend h2').textContent.startsWith('Mines — upper bound')")
    upper = _fills(page)
    assert len(upper) == 77 and upper != before
    assert "do not add districts up" in page.locator("#mm-legend").inner_text()
    _show(page, "area_ha")
    page.wait_for_function("document.querySelector('#mm-legend h2').textContent.startsWith('Area cleared')")
    assert _fills(page) != upper
    assert page.locator("#mm-legend").inner_text().startswith("Area cleared — estimate (ha)")
    # no base tiles unless a reader asks for them; none offered at all in the self-contained page
    assert page.locator(".leaflet-tile").count() == 0 and not page.locator("#mm-tiles").is_visible()
    assert w.errors == []


def test_hostile_report_text_stays_text(browser, maps):
    page, w = _open(browser, maps["inline"])
    _show(page, "area_ha")
    _at(page, "AZ-SUS", "click")           # 77.5 ha, stated only by the hostile report
    pop = page.locator(".leaflet-popup-content")
    pop.wait_for(state="visible")
    text = pop.text_content()
    assert "<script>alert(1)</script>" in text
    assert "<img src=x onerror=alert(1)>" in text
    assert '"double"' in text and "'single'" in text
    assert 'Outlet <b>"Q"</b>' in text
    assert pop.locator("img, script, b").count() == 0
    # The javascript: URL never becomes a link anywhere on the page.
    assert page.locator("a[href^='javascript' i]").count() == 0
    assert pop.locator("a").count() == 0
    assert "Area cleared — estimate: 77.5 ha" in text
    # The same report behind another layer, via the tooltip and the popup; then give any injected
    # handler time to fire.
    _show(page, "killed")
    _at(page, "AZ-AGM")
    _at(page, "AZ-AGM", "click")
    assert "<script>alert(1)</script>" in page.locator(".leaflet-popup-content").text_content()
    page.wait_for_timeout(300)
    assert w.dialogs == [] and w.errors == []


def test_popup_shows_the_share_counted_here_and_links_when_known(browser, maps):
    page, w = _open(browser, maps["inline"])
    _at(page, "AZ-QBI", "click")            # mines estimate: a share of 250 stated for three districts
    pop = page.locator(".leaflet-popup-content")
    pop.wait_for(state="visible")
    text = pop.inner_text()
    assert "250 items: Mines" in text and "stated for 3 districts together" in text
    assert "counted here: 67.69 items (weighted by district area)" in text
    link = pop.locator("a")
    assert link.get_attribute("href") == "https://example.org/news?a=1&b=2"
    assert link.inner_text() == "Weekly clearance update"
    assert w.errors == []


def test_cdn_page_works_when_leaflet_is_reachable(browser, maps):
    page, w = _open(browser, maps["cdn"], network="cdn")
    assert page.locator(".leaflet-overlay-pane path.mm-d").count() == 77
    # the online page offers base tiles, off by default: nothing is fetched unless a reader turns them on
    assert page.locator("#mm-tiles").is_visible() and not page.locator("#mm-tiles").is_checked()
    assert page.locator(".leaflet-tile").count() == 0
    assert all("leaflet@1.9.4" in r for r in w.requests) and len(w.requests) == 2
    assert w.errors == []


def test_cdn_unreachable_still_draws_districts_legend_and_a_fine_hatch(browser, maps, tmp_path):
    page, w = _open(browser, maps["cdn"], network="none", wait="#mm-fallback path")
    assert page.locator("#mm-fallback path").count() == 77
    assert page.locator("#mm-legend").is_visible()
    assert "could not be loaded" in page.locator("#mm-note").inner_text()
    # The only failures are the two Leaflet downloads the browser reports itself.
    assert all("ERR_FAILED" in e or "Failed to load resource" in e for e in w.errors), w.errors
    assert not any(e.startswith("pageerror") for e in w.errors)
    # the no-data hatch: stripes a few pixels apart, not a handful of giant bands
    page.evaluate("document.getElementById('mm-note').style.display = 'none'")
    x, y = _point(page, "AZ-SAB")             # a no-data district of some size
    shot = tmp_path / "fallback.png"
    page.screenshot(path=str(shot), clip={"x": x - 20, "y": y - 2, "width": 40, "height": 4})
    from PIL import Image
    row = [sum(Image.open(shot).convert("RGB").getpixel((i, 2))) for i in range(40)]
    light = [v > 700 for v in row]
    changes = sum(a != b for a, b in zip(light, light[1:]))
    assert changes >= 6, row
    # the selectors work without Leaflet too
    _show(page, "area_ha")
    assert page.get_attribute("#mm-fallback path.mm-AZ-TAR", "fill").startswith("#")


def test_time_slider_has_empty_months_a_subtitle_that_follows_and_plays(browser, tmp_path):
    from minemap.aggregation import aggregate
    from minemap.boundaries.polygons import load_embedded
    from minemap.extraction.record import Document, Evidence, Figure
    from minemap.layers import district_layer
    from minemap.maps import render_maps

    units = load_embedded()
    docs = {"a": Document("a", "", date="2022-01-31", source="A"), "b": Document("b", "", date="2022-04-30")}
    figs = [Figure("a", "uxo", 12, period_start="2022-01-03", period_end="2022-01-09", districts=("AZ-AGM",),
                   evidence=Evidence(0, 1, "x")),
            Figure("b", "uxo", 30, period_start="2022-04-04", period_end="2022-04-10", districts=("AZ-FUZ",),
                   evidence=Evidence(0, 1, "y"))]
    agg = aggregate(figs, docs, codes=list(units["code"]))
    html = render_maps(district_layer(units, agg), agg, tmp_path, by="month")[0]
    assert [f["label"][:7] for f in page_json(html.read_text("utf-8"))["frames"][1:]] == [
        "2022-01", "2022-02", "2022-03", "2022-04"]                      # February and March: empty frames
    page, w = _open(browser, html)
    slider = page.locator("#mm-time input[type=range]")
    assert slider.is_visible() and slider.get_attribute("max") == "4"
    slider.fill("2")
    page.wait_for_function("document.querySelector('#mm-subtitle').textContent.startsWith('2022-02')")
    assert "no report" in page.locator("#mm-subtitle").inner_text()
    assert set(_fills(page)) == {"url(#mm-hatch)"}                     # an empty month: nothing coloured
    slider.fill("4")
    page.wait_for_function("document.querySelector('#mm-subtitle').textContent.startsWith('2022-04')")
    assert page.get_attribute("path.mm-AZ-FUZ", "fill") != "url(#mm-hatch)"
    slider.fill("0")
    page.click("#mm-time button")                                       # play: the frames advance by themselves
    page.wait_for_function("document.querySelector('#mm-time input').value === '4'", timeout=10_000)
    assert page.locator("#mm-time button").inner_text() == "▶ Play"    # and stop at the last one
    assert w.errors == [] and w.requests == []


def _panels(frame) -> dict:
    return frame.evaluate("""() => {
      const out = {};
      for (const id of ['mm-title', 'mm-controls', 'mm-legend', 'mm-time']) {
        const e = document.getElementById(id);
        if (!e || e.offsetParent === null) continue;
        const r = e.getBoundingClientRect();
        out[id] = [r.left, r.top, r.right, r.bottom];
      }
      const fs = sel => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize);
      out.fonts = {h1: fs('#mm-title h1'), legend: fs('#mm-legend li'), legend_title: fs('#mm-legend h2')};
      out.view = [window.innerWidth, window.innerHeight];
      return out;
    }""")


def _check_layout(frame, coloured) -> None:
    p = _panels(frame)
    vw, vh = p.pop("view")
    fonts = p.pop("fonts")
    assert fonts["h1"] >= 12 and fonts["legend"] >= 11 and fonts["legend_title"] >= 11, fonts
    boxes = list(p.items())
    for name, (l, t, r, b) in boxes:
        assert 0 <= l and 0 <= t and r <= vw and b <= vh, (name, p, vw, vh)
    for i, (na, a) in enumerate(boxes):
        for nb, b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], f"{na} overlaps {nb}: {p}"
    # nothing essential covered: every district with a value can be pointed at
    for code in coloured:
        assert _point(frame, code), f"{code} is covered"
    # the panels together leave most of the map free
    area = sum((r - l) * (b - t) for _, (l, t, r, b) in boxes)
    assert area < 0.4 * vw * vh, p


def test_phone_layout_collapsed_controls_readable_legend_nothing_covered(browser, maps):
    page, w = _open(browser, maps["by"], viewport=PHONE)
    assert page.locator("#mm-toggle").is_visible() and not page.locator("#mm-metric").is_visible()
    coloured = ["AZ-AGM", "AZ-FUZ", "AZ-KAL", "AZ-QBI", "AZ-ZAN"]
    _check_layout(page, coloured)
    page.click("#mm-toggle")
    assert page.locator("#mm-metric").is_visible()
    assert page.locator("#mm-toggle").get_attribute("aria-expanded") == "true"
    page.select_option("#mm-metric", "area_ha")
    assert page.locator("#mm-legend").inner_text().startswith("Area cleared — estimate (ha)")
    page.click("#mm-toggle")
    assert not page.locator("#mm-metric").is_visible()
    assert w.errors == [] and w.requests == []


def test_works_in_a_720x450_iframe(browser, maps, tmp_path):
    parent = maps["inline"].parent / "embed.html"
    parent.write_text('<!DOCTYPE html><html><body style="margin:20px"><p>A report page.</p>'
                      f'<iframe id="map" src="{maps["inline"].name}" width="720" height="450" '
                      'style="border:1px solid #999"></iframe></body></html>', encoding="utf-8")
    page, w = _open(browser, parent, viewport={"width": 1000, "height": 700}, wait=None)
    frame = page.frame_locator("#map")
    frame.locator("path.mm-d").first.wait_for()
    inner = next(f for f in page.frames if f.url.endswith(maps["inline"].name))
    assert inner.evaluate("[innerWidth, innerHeight]") == [720, 450]
    assert frame.locator("#mm-toggle").is_visible() and not frame.locator("#mm-metric").is_visible()
    _check_layout(inner, ["AZ-AGM", "AZ-FUZ", "AZ-KAL", "AZ-QBI", "AZ-ZAN"])
    assert frame.locator("#mm-legend").inner_text().startswith("Mines — estimate (items)")
    assert w.errors == [] and w.requests == []


def test_screenshot_is_not_blank(browser, maps, tmp_path):
    page, w = _open(browser, maps["inline"])
    shot = tmp_path / "shot.png"
    page.screenshot(path=str(shot))
    _assert_not_blank(shot)
    assert w.errors == []


def _assert_not_blank(path: Path) -> None:
    from PIL import Image

    img = Image.open(path).convert("RGB")
    small = img.resize((320, 215))
    colours = small.getcolors(maxcolors=1 << 16) or []
    assert len(colours) > 20, "screenshot has almost no distinct colours"
    px = [small.getpixel((x, y)) for y in range(small.height) for x in range(small.width)]
    non_white = sum(1 for p in px if sum(p) < 740) / len(px)
    assert non_white > 0.15, f"screenshot is mostly blank ({non_white:.0%} non-white)"
