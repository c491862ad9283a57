"""Optional dependencies, checked in one place with a message that says what to install.

The core install reads, extracts and scores (`minemap extract`, `minemap eval`, `minemap boundaries`
listing); district layers, GIS files and maps need the `maps` extra."""
from __future__ import annotations

import importlib.util

from minemap.errors import MinemapError

EXTRAS = {
    "maps": ("geopandas", "shapely", "pyogrio", "pyproj", "pandas", "folium", "branca", "mapclassify",
             "matplotlib"),
}


class MissingDependency(MinemapError, ImportError):
    """A feature needs packages of an extra that is not installed."""


def require(extra: str, purpose: str) -> None:
    """Raise MissingDependency naming the missing packages and the pip command, if any is missing."""
    missing = [name for name in EXTRAS[extra] if importlib.util.find_spec(name) is None]
    if missing:
        raise MissingDependency(f"{purpose} needs {', '.join(missing)}, which is not installed: "
                                f"pip install 'minemap[{extra}]'")
