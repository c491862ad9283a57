"""The interactive map page: folium builds the page (map container, Leaflet set-up, header), a small
script of ours (geo/data/webmap.js) draws the districts from one embedded JSON document and offers every
view of every metric through two selectors.

Only Leaflet itself is used, nothing else folium usually pulls in (jQuery, Bootstrap, icon fonts). By
default it is inlined (the copy in geo/data/leaflet/, vendored from Leaflet's npm package by
geo/vendor_leaflet.py), so the single file works offline and inside other pages; `self_contained=False`
links it from its CDN instead.
"""
from __future__ import annotations

import base64
import html
import json
import re
from importlib import resources
from pathlib import Path

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

LEAFLET_VERSION = "1.9.4"
LEAFLET_JS_URL = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.js"
LEAFLET_CSS_URL = f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist/leaflet.css"


def leaflet_dir() -> Path:
    """leaflet.js / leaflet.css / images/ and LICENSE of Leaflet LEAFLET_VERSION (from its npm package)."""
    return Path(str(resources.files("minemap").joinpath("data/leaflet")))


def _asset(name: str) -> str:
    return resources.files("minemap").joinpath(f"data/{name}").read_text("utf-8")


def script_safe_json(obj) -> str:
    """JSON that cannot end the <script> element holding it nor break a JS parser: '<', '>', '&' and
    the line separators U+2028/2029 become \\u escapes (same value once parsed)."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=False, allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _inline_leaflet_css() -> str:
    css = (leaflet_dir() / "leaflet.css").read_text("utf-8")

    def data_uri(m: re.Match) -> str:
        img = leaflet_dir() / m.group(1)
        return "url(data:image/png;base64," + base64.b64encode(img.read_bytes()).decode("ascii") + ")"

    return re.sub(r"url\((images/[\w.-]+\.png)\)", data_uri, css)


def _inline_leaflet_js() -> str:
    # "</script" inside an inline script would end it early; leaflet.js has none, but stay safe.
    return (leaflet_dir() / "leaflet.js").read_text("utf-8").replace("</script", "<\\/script")


class _Page(Figure):
    """branca's page, with lang and charset, and the folium script run only when Leaflet is there: without
    it (CDN unreachable) our script draws a plain fallback instead of the page failing with errors.

    The page data goes in after rendering: folium passes every element through Jinja, which would compile
    megabytes of JSON as template source (hundreds of MiB at 100,000 reports). The slot cannot occur
    elsewhere: escaped titles and script-safe JSON never contain a raw "<"."""
    _template = Template(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
        "{% if this.title %}<title>{{this.title}}</title>{% endif %}\n"
        "{{this.header.render(**kwargs)}}\n</head>\n<body>\n{{this.html.render(**kwargs)}}\n"
        "<script>\nif (typeof L !== \"undefined\") {\n{{this.script.render(**kwargs)}}\n}\n</script>\n"
        "</body>\n</html>\n"
    )
    data_json = ""

    def render(self, **kwargs) -> str:
        page = super().render(**kwargs)
        if page.count(_DATA_SLOT) != 1:
            raise RuntimeError("map page template: data slot missing or repeated")
        return page.replace(_DATA_SLOT, self.data_json, 1)


class _Map(folium.Map):
    """folium's Map without its default CDN extras; only Leaflet (or nothing when inlined)."""
    default_js = [("leaflet", LEAFLET_JS_URL)]
    default_css = [("leaflet_css", LEAFLET_CSS_URL)]


class _Init(MacroElement):
    _template = Template("{% macro script(this, kwargs) %}minemapInit({{ this._parent.get_name() }});{% endmacro %}")


HATCH = ('<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>'
         '<pattern id="mm-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
         '<rect width="6" height="6" fill="#ffffff"/><rect width="3" height="6" fill="#d9d9d9"/></pattern>'
         '</defs></svg>')


_DATA_SLOT = "<!--minemap:data-->"


def build_map(data: dict, *, title: str, subtitle: str, bounds: tuple[float, float, float, float],
              self_contained: bool = True) -> folium.Map:
    """The page as a `folium.Map` inside its page (`m.get_root().render()` is the whole HTML document;
    Jupyter shows it; `m.save(path)` writes it). `data` is the JSON the script reads (see
    minemap.maps.page_data); `bounds` = (minx, miny, maxx, maxy) in degrees."""
    minx, miny, maxx, maxy = bounds
    fig = _Page(title=html.escape(title))
    m = _Map(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=7, tiles=None,
             zoom_snap=0.25, font_size="13px")
    fig.add_child(m)
    if self_contained:
        m.default_js, m.default_css = [], []
        fig.header.add_child(Element(f"<style>{_inline_leaflet_css()}</style>"), name="leaflet_css")
        fig.header.add_child(Element(f"<script>{_inline_leaflet_js()}</script>"), name="leaflet")
    fig.header.add_child(Element(f"<style>{_asset('webmap.css')}</style>"), name="minemap_css")
    # The view is fitted by the page script once the panels are laid out (they must not cover districts).

    panels = (
        f'<div id="mm-title" class="mm-panel"><h1>{html.escape(title)}</h1>'
        f'<p id="mm-subtitle">{html.escape(subtitle)}</p></div>'
        '<div id="mm-controls" class="mm-panel" role="region" aria-label="Map layers">'
        '<button id="mm-toggle" type="button" aria-expanded="false" aria-controls="mm-choose">Layers</button>'
        '<div id="mm-choose"><label>Metric <select id="mm-metric"></select></label>'
        '<label>Show <select id="mm-kind"></select></label>'
        '<label id="mm-tiles-row" hidden><input type="checkbox" id="mm-tiles"> Base map (OpenStreetMap, online)'
        "</label></div></div>"
        '<div id="mm-legend" class="mm-panel" role="region" aria-label="Legend"></div>'
        '<div id="mm-time" class="mm-panel" style="display:none" role="group" aria-label="Time"></div>'
        '<div id="mm-note" class="mm-panel">The map library (Leaflet) could not be loaded from its CDN: '
        "districts are drawn without zoom, tooltips or popups. Write the map without --cdn to use it "
        "offline.</div>"
        + HATCH
        + f'<script type="application/json" id="mm-data">{_DATA_SLOT}</script>'
        + f"<script>{_asset('webmap.js')}</script>"
    )
    fig.html.add_child(Element(panels), name="minemap_panels")
    m.add_child(_Init(), name="minemap_init")
    _fix_ids(fig, m)
    fig.data_json = script_safe_json(data)
    return m


def _fix_ids(fig: Figure, m: folium.Map) -> None:
    """folium names elements with random ids; fixed ones make the same map the same bytes."""
    n = 0
    todo = [fig]
    while todo:
        el = todo.pop(0)
        el._id = f"mm{n}"
        n += 1
        todo.extend(el._children.values())
    m._id = "minemap"
