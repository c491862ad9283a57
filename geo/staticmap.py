"""map.png and map.svg: the HTML's opening layer as a still image for reports (matplotlib).

Report text (outlet names in the credits, a title) is drawn as plain text: matplotlib's mathtext, which
would read "$x_$" as a formula and fail, is off. In the SVG, text stays text (editable, searchable), not
glyph outlines.
"""
from __future__ import annotations

import io
import math
import textwrap

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

from minemap.classify import NO_DATA_COLOR, Classes
from minemap.mapmodel import labels

WIDTH_IN, HEIGHT_IN, DPI = 16.0, 11.0, 100      # 1600 x 1100 px
KM_PER_DEGREE = 111.32                          # along the equator; times cos(latitude) along a parallel
RIGHT = 0.99                                    # texts end left of this fraction of the width
MIN_CHARS = 12                                  # no text is wrapped narrower than this
RC = {"svg.hashsalt": "minemap", "svg.fonttype": "none", "text.parse_math": False, "font.size": 13,
      "hatch.color": "#9a9a9a", "hatch.linewidth": 0.8}


def _is_null(v) -> bool:
    try:
        return v is None or math.isnan(float(v))
    except (TypeError, ValueError):
        return True


def scale_length_km(width_km: float) -> int:
    """A round length near a fifth of the map's width: 1, 2, 5, 10, 20, 50, 100, ... km."""
    target = max(width_km / 5, 1.0)
    exp = 10 ** math.floor(math.log10(target))
    return int(max(s * exp for s in (1, 2, 5) if s * exp <= target))


def render_static(gdf, column: str | None, classes: Classes | None, *, legend_title: str, unit: str,
                  title: str, subtitle: str, note: str, kind_note: str = "", no_data: str | None = None
                  ) -> tuple[bytes, bytes]:
    """(PNG bytes, SVG bytes) of `static_figure` (same arguments)."""
    with matplotlib.rc_context(RC):
        fig = static_figure(gdf, column, classes, legend_title=legend_title, unit=unit, title=title,
                            subtitle=subtitle, note=note, kind_note=kind_note, no_data=no_data)
        png, svg = io.BytesIO(), io.BytesIO()
        fig.savefig(png, format="png", dpi=DPI, metadata={"Software": "minemap"}, facecolor="white")
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": "minemap"}, facecolor="white")
    return png.getvalue(), svg.getvalue()


def static_figure(gdf, column: str | None, classes: Classes | None, *, legend_title: str, unit: str,
                  title: str, subtitle: str, note: str, kind_note: str = "", no_data: str | None = None) -> Figure:
    """The image as a matplotlib Figure. Same class bounds and colours as the web map's opening layer;
    districts without data hatched grey, listed separately from the lowest class (which may contain 0).
    Every text is wrapped to the canvas (a long title, legend title or credit line never runs off it), and
    the map takes the room the texts leave."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
        canvas = FigureCanvasAgg(fig)
        renderer = canvas.get_renderer()
        to_fig = fig.transFigure.inverted()

        def box(artist):
            return artist.get_window_extent(renderer).transformed(to_fig)

        head = fig.text(0.02, 0.96, title, fontsize=22, fontweight="bold", va="top")
        _wrap(head.set_text, head, title, RIGHT, renderer)
        sub = fig.text(0.02, box(head).y0 - 0.008, subtitle, fontsize=13, va="top", color="#333333")
        _wrap(sub.set_text, sub, subtitle, RIGHT, renderer)
        credits = fig.text(0.02, 0.025, note, fontsize=11, color="#444444", va="bottom")
        _wrap(credits.set_text, credits, note, RIGHT, renderer)
        top, bottom = min(0.88, box(sub).y0 - 0.02), max(0.08, box(credits).y1 + 0.015)

        ax = fig.add_axes((0.02, bottom, 0.70, top - bottom))
        values = list(gdf[column]) if column and column in gdf.columns else [None] * len(gdf)
        nulls = [_is_null(v) for v in values]
        colours = [NO_DATA_COLOR if n or classes is None else classes.color(float(v)) for v, n in zip(values, nulls)]
        data = gdf.assign(_c=colours)
        has = data[[not n for n in nulls]]
        none = data[nulls]
        if len(none):
            none.plot(ax=ax, color="white", edgecolor="#8c8c8c", linewidth=0.5, hatch="////")
        if len(has):
            has.plot(ax=ax, color=list(has["_c"]), edgecolor="#4d4d4d", linewidth=0.5)
        minx, miny, maxx, maxy = gdf.total_bounds
        ax.set_xlim(minx - 0.05, maxx + 0.05)
        ax.set_ylim(miny - 0.05, maxy + 0.05)
        coslat = math.cos(math.radians((miny + maxy) / 2))
        ax.set_aspect(1 / coslat)
        ax.set_axis_off()
        km = scale_length_km((maxx - minx) * KM_PER_DEGREE * coslat)
        ax.add_artist(AnchoredSizeBar(ax.transData, km / (KM_PER_DEGREE * coslat), f"{km} km", "lower right",
                                      pad=0.6, borderpad=0.5, sep=4, frameon=False,
                                      size_vertical=(maxy - miny) / 250, color="#333333",
                                      fontproperties={"size": 12}))

        handles = []
        if classes is not None:
            handles = [Patch(facecolor=c, edgecolor="#4d4d4d", label=text)
                       for c, text in zip(classes.colors, classes.legend(unit))]
        handles.append(Patch(facecolor="white", edgecolor="#8c8c8c", hatch="////", label=no_data or labels()["no_data"]))
        leg = fig.legend(handles=handles, title=legend_title, loc="upper left", bbox_to_anchor=(0.73, top - 0.02),
                         frameon=False, alignment="left", fontsize=13, title_fontsize=14)
        _wrap(leg.set_title, leg, legend_title, RIGHT, renderer)
        if kind_note:
            text = fig.text(0.735, box(leg).y0 - 0.015, kind_note, fontsize=11, color="#444444", va="top")
            _wrap(text.set_text, text, kind_note, RIGHT, renderer)
    return fig


def _wrap(set_text, artist, text: str, right: float, renderer) -> None:
    """Set `text`, wrapped at fewer characters a line until the artist ends left of `right` (a fraction of
    the figure's width). Lines are wrapped here, not by matplotlib: its wrapping measures text as mathtext
    whatever parse_math says."""
    limit = right * renderer.width
    width = len(text)
    while True:
        set_text(textwrap.fill(text, width) if width < len(text) else text)
        if artist.get_window_extent(renderer).x1 <= limit or width <= MIN_CHARS:
            return
        width = max(MIN_CHARS, int(width * 0.9))
