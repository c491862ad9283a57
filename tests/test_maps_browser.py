"""map.html in a real browser: Debian's Chromium driven by Playwright, no network.

The CDN copy of Leaflet is served from the django-js-lib-leaflet package (same version); every other
request is aborted, so a page that needs anything else from the network fails here.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from minemap.webmap import leaflet_dir
from test_maps_render import build_run   # the same small hostile run the unit tests render

playwright = pytest.importorskip("playwright.sync_api", reason="Python playwright is not installed")

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--disable-quic", "--no-first-run"]
@pytest.fixture(scope="module")
def maps(tmp_path_factory):
    base = tmp_path_factory.mktemp("maps")
    return {
        "cdn": build_run(base / "cdn")[0],
        "inline": build_run(base / "inline", self_contained=True)[0],
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


def _open(browser, html: Path, *, network: str = "cdn"):
    """Open a map. network="cdn": Leaflet CDN URLs served from the local package, all else aborted;
    network="none": every request that is not the file itself is aborted and recorded."""
    page = browser.new_page(viewport={"width": 1280, "height": 860})
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


def _at(page, code: str, action: str = "hover") -> None:
    """Hover or click a point where the district itself is on top (small or concave districts have
    their bounding-box centre elsewhere)."""
    page.mouse.move(1, 1)
    # Popups pan the map (animated) and fade out: wait until the district is on top and stops moving.
    xy, prev = page.evaluate(FIND_POINT, code), None
    for _ in range(20):
        if xy is not None and xy == prev:
            break
        page.wait_for_timeout(100)
        xy, prev = page.evaluate(FIND_POINT, code), xy
    assert xy, f"district {code} is not clickable anywhere"
    if action == "click":
        page.mouse.click(*xy)
    else:
        page.mouse.move(*xy)


def _fills(page) -> list[str]:
    return page.eval_on_selector_all("path.mm-d", "els => els.map(e => e.getAttribute('fill'))")


def test_districts_legend_and_tooltip(browser, maps):
    page, w = _open(browser, maps["cdn"])
    page.wait_for_selector("path.mm-d")
    assert page.locator(".leaflet-overlay-pane path.mm-d").count() == 77
    legend = page.locator("#mm-legend")
    assert legend.is_visible()
    text = legend.inner_text()
    # Default layer: the attributed metric with values in most districts (area: 3, first in spec order).
    assert "Area cleared (ha)" in text and "No data" in text
    assert "1,200 ha" in text
    assert page.locator("#mm-legend li.mm-class").count() == 3
    _at(page, "AZ-TAR")
    tip = page.locator(".leaflet-tooltip", has_text="Tartar")
    tip.wait_for(state="visible")
    tt = tip.inner_text()
    assert "Tərtər" in tt and "Tartar" in tt
    assert "Area cleared: 1,200 ha" in tt and "attributed" in tt and "1 report" in tt
    assert "2022-02-01 – 2022-02-28" in tt
    assert page.locator("#mm-title").inner_text().startswith("Mine action")
    assert "Natural Earth" in page.locator(".leaflet-control-attribution").inner_text()
    assert w.errors == [] and w.dialogs == []


def test_zero_is_not_no_data(browser, maps):
    page, w = _open(browser, maps["cdn"])
    page.wait_for_selector("path.mm-d")
    page.locator(".leaflet-control-layers-base label", has_text="Killed").first.click()
    zero = page.get_attribute("path.mm-AZ-LAC", "fill")            # 0 killed
    none = page.get_attribute("path.mm-AZ-BA", "fill")             # no report
    assert none == "url(#mm-hatch)" and zero.startswith("#") and zero != none
    assert w.errors == []


def test_switching_layers_changes_colours(browser, maps):
    page, w = _open(browser, maps["cdn"])
    page.wait_for_selector("path.mm-d")
    before = _fills(page)
    labels = page.locator(".leaflet-control-layers-base label")
    names = labels.all_inner_texts()
    assert any("shared with other districts" in n for n in names)
    # Base tiles are offered but off: nothing is fetched unless a reader turns them on.
    assert page.locator(".leaflet-control-layers-overlays input").is_checked() is False
    assert page.locator(".leaflet-tile").count() == 0
    page.locator(".leaflet-control-layers-base label", has_text="Mines").first.click()
    page.wait_for_function("document.querySelector('#mm-legend h2').textContent.startsWith('Mines')")
    after = _fills(page)
    assert len(after) == 77 and after != before
    assert page.locator("#mm-legend").inner_text().startswith("Mines (items)")
    page.locator(".leaflet-control-layers-base label", has_text="shared with other districts").first.click()
    shared = _fills(page)
    assert shared != after
    assert "do not add up" in page.locator("#mm-legend").inner_text()
    assert w.errors == []


def test_hostile_report_text_stays_text(browser, maps):
    page, w = _open(browser, maps["cdn"])
    page.wait_for_selector("path.mm-d")
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
    assert "Area cleared: 77.5 ha" in text
    # The same report behind another layer, via the tooltip and the popup; then give any injected
    # handler time to fire.
    page.locator(".leaflet-control-layers-base label", has_text="Killed").first.click()
    _at(page, "AZ-AGM")
    _at(page, "AZ-AGM", "click")
    assert "<script>alert(1)</script>" in page.locator(".leaflet-popup-content").text_content()
    page.wait_for_timeout(300)
    assert w.dialogs == [] and w.errors == []


def test_link_when_known(browser, maps):
    page, w = _open(browser, maps["cdn"])
    page.wait_for_selector("path.mm-d")
    page.locator(".leaflet-control-layers-base label", has_text="Killed").first.click()
    _at(page, "AZ-FUZ", "click")
    link = page.locator(".leaflet-popup-content a")
    link.wait_for(state="visible")
    assert link.get_attribute("href") == "https://example.org/news?a=1&b=2"
    assert link.inner_text() == "Weekly clearance update"
    assert w.errors == []


def test_self_contained_works_with_all_network_aborted(browser, maps, tmp_path):
    page, w = _open(browser, maps["inline"], network="none")
    page.wait_for_selector("path.mm-d")
    assert page.locator(".leaflet-overlay-pane path.mm-d").count() == 77
    assert page.locator("#mm-legend").is_visible()
    _at(page, "AZ-TAR")
    page.locator(".leaflet-tooltip", has_text="1,200 ha").wait_for(state="visible")
    assert w.requests == [] and w.errors == [] and w.dialogs == []
    shot = tmp_path / "map.png"
    page.screenshot(path=str(shot))
    _assert_not_blank(shot)


def test_cdn_unreachable_still_draws_districts_and_legend(browser, maps):
    page, w = _open(browser, maps["cdn"], network="none")
    page.wait_for_selector("#mm-fallback path")
    assert page.locator("#mm-fallback path").count() == 77
    assert page.locator("#mm-legend").is_visible()
    assert "could not be loaded" in page.locator("#mm-note").inner_text()
    # The only failures are the two Leaflet downloads the browser reports itself.
    assert all("ERR_FAILED" in e or "Failed to load resource" in e for e in w.errors), w.errors
    assert not any(e.startswith("pageerror") for e in w.errors)


def test_time_slider(browser, maps):
    page, w = _open(browser, maps["by"])
    page.wait_for_selector("path.mm-d")
    slider = page.locator("#mm-time input[type=range]")
    assert slider.is_visible()
    before = _fills(page)
    n = int(slider.get_attribute("max"))
    assert n >= 2                                   # Jan, Feb, Mar 2022 have values
    slider.fill("1")
    page.wait_for_function("document.querySelector('#mm-legend').textContent.includes('2022-01')")
    assert _fills(page) != before
    assert w.errors == []


def test_screenshot_is_not_blank(browser, maps, tmp_path):
    page, w = _open(browser, maps["cdn"])
    page.wait_for_selector("path.mm-d")
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
