"""Class breaks, colours and legend labels for a choropleth column: the one classification of the
project. The HTML page, the PNG/SVG images and the QGIS style of districts.gpkg all draw a layer with the
same `Classes` object, so they show the same bounds and colours.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

SCHEMES = ("fisherjenks", "quantiles", "equalinterval", "naturalbreaks")
NO_DATA_COLOR = "#d9d9d9"
# One sequential palette per run (ColorBrewer YlOrRd): readable with the common colour-vision
# deficiencies; the legend says which view of which metric a map shows.
PALETTE = "YlOrRd"
# Fisher-Jenks takes time quadratic in the number of values (seconds at 2,000): larger inputs (a time
# slider's frames together, a boundary file with thousands of units) are classified on this many evenly
# spaced quantiles of their values, which keeps their distribution, minimum and maximum.
MAX_FIT_VALUES = 300


SCHEME_NAMES = {"fisherjenks": "Fisher-Jenks", "quantiles": "quantiles", "equalinterval": "equal intervals",
                "naturalbreaks": "natural breaks"}


@dataclass(frozen=True)
class Classes:
    bins: tuple[float, ...]        # upper bound of each class, ascending; last = max
    lower: float                   # smallest value (lower bound of the first class)
    colors: tuple[str, ...]        # one hex colour per class
    labels: tuple[str, ...]        # one legend label per class ("1 – 5")
    integer: bool
    text: str = ""                 # how they were made, as the legends say it: "classes: quantiles, k=5"

    def color(self, value) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return NO_DATA_COLOR
        for upper, colour in zip(self.bins, self.colors):
            if value <= upper:
                return colour
        return self.colors[-1] if self.colors else NO_DATA_COLOR

    def legend(self, unit: str) -> tuple[str, ...]:
        """Legend entries with the unit, singular where a class holds only the value 1 ("1 person")."""
        return tuple(with_unit(lab, 1 if lab == "1" else None, unit) for lab in self.labels)

    def to_json(self) -> dict:
        return {"bins": list(self.bins), "colors": list(self.colors), "labels": list(self.labels),
                "scheme": self.text}


# Units whose singular differs: "1 person", "1 item" (hectares and kilometres read the same).
SINGULAR = {"people": "person", "items": "item"}


def with_unit(number_text: str, value: float | None, unit: str) -> str:
    """"1 person", "2 people", "1 item", "12.5 ha"."""
    return f"{number_text} {SINGULAR.get(unit, unit) if value == 1 else unit}"


def format_number(x: float) -> str:
    """Thin-space-free, locale-free formatting: 1,234 or 12.5 (at most two decimals)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def palette(name: str, k: int) -> tuple[str, ...]:
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps[name]
    if k <= 0:
        return ()
    if k == 1:
        return (to_hex(cmap(0.6)),)
    return tuple(to_hex(cmap(p)) for p in np.linspace(0.15, 0.95, k))


def _breaks(y: np.ndarray, scheme: str, k: int) -> np.ndarray:
    import warnings

    import mapclassify as mc

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Numba not installed")   # only slower, same result
        # tied quantiles: mapclassify makes fewer classes and warns; the legend says so instead
        warnings.filterwarnings("ignore", message="Not enough unique values", category=UserWarning)
        return _scheme_breaks(mc, y, scheme, k)


def _scheme_breaks(mc, y: np.ndarray, scheme: str, k: int) -> np.ndarray:
    if scheme == "fisherjenks":
        return mc.FisherJenks(y, k=k).bins
    if scheme == "quantiles":
        return mc.Quantiles(y, k=k).bins
    if scheme == "equalinterval":
        return mc.EqualInterval(y, k=k).bins
    if scheme == "naturalbreaks":
        # k-means under the hood draws from numpy's global generator: pin it so maps are reproducible.
        state = np.random.get_state()
        try:
            np.random.seed(0)
            return mc.NaturalBreaks(y, k=k).bins
        finally:
            np.random.set_state(state)
    raise ValueError(f"unknown classification scheme {scheme!r} (choose from {', '.join(SCHEMES)})")


# Classes a map can show apart: the palette's colours (ColorBrewer sequential schemes have 3 to 9) and at
# least two, or a map says nothing.
K_MIN, K_MAX = 2, 9


def classify(values, scheme: str = "fisherjenks", k: int = 5, palette_name: str = PALETTE) -> Classes:
    """Classes for the non-null `values`. With no more distinct values than `k`, each value is its own
    class (the schemes cannot do better and some warn or fail on ties)."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown classification scheme {scheme!r} (choose from {', '.join(SCHEMES)})")
    if not K_MIN <= k <= K_MAX:
        raise ValueError(f"k (the number of classes) must be between {K_MIN} and {K_MAX}, not {k}")
    y = np.array([float(v) for v in values if v is not None and not _isnan(v)], dtype=float)
    if y.size == 0:
        return Classes((), math.nan, (), (), True)
    uniq = np.unique(y)
    if uniq.size <= k:
        bins = uniq
    else:
        fit = np.quantile(y, np.linspace(0, 1, MAX_FIT_VALUES)) if y.size > MAX_FIT_VALUES else y
        breaks = np.asarray(_breaks(fit, scheme, k), dtype=float)
        # each class ends at the largest value inside it: a class with no value (tied quantiles, a break
        # between two integers) is no class, and the labels read as the values do
        at = np.searchsorted(uniq, breaks, side="right") - 1
        bins = np.unique(uniq[at[at >= 0]])
        if bins.size == 0 or bins[-1] < y.max():
            bins = np.append(bins, y.max())
    integer = bool(np.all(np.mod(y, 1) == 0))
    lower = float(y.min())
    labels = _labels(lower, bins, integer, uniq)
    name = SCHEME_NAMES.get(scheme, scheme)
    if bins.size == k:
        text = f"classes: {name}, k={k}"
    else:
        why = (f"only {uniq.size} distinct value{'' if uniq.size == 1 else 's'}" if uniq.size <= k
               else "tied values allow no more")
        text = f"classes: {name}, {bins.size} of k={k} ({why})"
    return Classes(tuple(float(b) for b in bins), lower, palette(palette_name, len(bins)), labels, integer, text)


def _isnan(v) -> bool:
    try:
        return math.isnan(float(v))
    except (TypeError, ValueError):
        return True


def _labels(lower: float, bins: np.ndarray, integer: bool, uniq: np.ndarray) -> tuple[str, ...]:
    labels = []
    prev = None
    for b in bins:
        lo = lower if prev is None else (math.floor(prev) + 1 if integer else prev)
        hi = math.floor(b) if integer else b
        # The smallest value actually in the class makes single-value classes read "7", not "7 – 7".
        inside = uniq[(uniq <= b) & ((uniq > prev) if prev is not None else True)]
        if inside.size and inside.min() == hi:
            labels.append(format_number(hi))
        elif prev is not None and not integer:
            labels.append(f"> {format_number(lo)} – {format_number(hi)}")
        else:
            labels.append(f"{format_number(lo)} – {format_number(hi)}")
        prev = b
    return tuple(labels)
