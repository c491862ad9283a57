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
# what reading and writing boundary files needs of the maps extra
GIS_FILES = ("geopandas", "shapely", "pyogrio", "pyproj", "pandas")


class MissingDependency(MinemapError, ImportError):
    """A feature needs packages of an extra that is not installed."""


def require(extra: str, purpose: str, modules: tuple[str, ...] | None = None) -> None:
    """Raise MissingDependency naming the missing packages and the pip command, if any is missing.
    `modules`: the part of the extra that `purpose` needs (default: all of it)."""
    missing = [name for name in (modules or EXTRAS[extra]) if importlib.util.find_spec(name) is None]
    if missing:
        which = "which is" if len(missing) == 1 else "which are"
        raise MissingDependency(f"{purpose} needs {', '.join(missing)}, {which} not installed: "
                                f"pip install 'minemap[{extra}]'")
