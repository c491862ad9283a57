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
# Lines are wrapped here, not by matplotlib: its wrapping measures text as mathtext whatever parse_math says.
NOTE_CHARS, CREDIT_CHARS = 52, 200
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
                  title: str, subtitle: str, note: str, kind_note: str = "") -> tuple[bytes, bytes]:
    """(PNG bytes, SVG bytes). Same class bounds and colours as the web map's opening layer; districts
    without data hatched grey, listed separately from the lowest class (which may contain 0)."""
    with matplotlib.rc_context(RC):
        fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0.02, 0.08, 0.70, 0.80))
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
        handles.append(Patch(facecolor="white", edgecolor="#8c8c8c", hatch="////", label=labels()["no_data"]))
        leg = fig.legend(handles=handles, title=legend_title, loc="upper left", bbox_to_anchor=(0.73, 0.86),
                         frameon=False, alignment="left", fontsize=13, title_fontsize=14)
        if kind_note:
            fig.canvas.draw()     # the legend's height is known after a draw
            box = leg.get_window_extent().transformed(fig.transFigure.inverted())
            fig.text(0.735, box.y0 - 0.015, textwrap.fill(kind_note, NOTE_CHARS), fontsize=11, color="#444444",
                     va="top")
        fig.text(0.02, 0.96, title, fontsize=22, fontweight="bold", va="top")
        fig.text(0.02, 0.915, subtitle, fontsize=13, va="top", color="#333333")
        fig.text(0.02, 0.025, textwrap.fill(note, CREDIT_CHARS), fontsize=11, color="#444444", va="bottom")

        png, svg = io.BytesIO(), io.BytesIO()
        fig.savefig(png, format="png", dpi=DPI, metadata={"Software": "minemap"}, facecolor="white")
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": "minemap"}, facecolor="white")
    return png.getvalue(), svg.getvalue()
