"""minemap: figures from mine-clearance reports on Azerbaijan's returned territories, mapped by district.

    import minemap
    result = minemap.run()                    # the embedded sample corpus; or minemap.run(["reports/"])
    result.districts                           # GeoDataFrame: one row per district, value columns
    result.facts                               # DataFrame: one row per distinct fact, with its reports
    result.map()                               # folium.Map (shows in Jupyter)
    result.save("outputs")                     # every file `minemap run` writes

This package is the top floor (the repository's `geo/` folder): figures + polygons -> district values,
maps, exports and the `minemap` command. Its subpackages are the floors below it:
`minemap.extraction` (documents -> figure records, pure functions over text) and `minemap.boundaries`
(district units, codes, names, polygons and the gazetteer of spellings).

Names are loaded on first use, so that `import minemap` stays cheap and the reading and extraction
functions work without the map stack (geopandas, folium, matplotlib) installed.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "run": "minemap.api",
    "Run": "minemap.api",
    "load_boundaries": "minemap.api",
    "read_figures": "minemap.records",
    "aggregate": "minemap.aggregation",
    "Aggregation": "minemap.aggregation",
    "read_documents": "minemap.extraction.documents",
    "extract": "minemap.extraction.extract",
    "Figure": "minemap.extraction.record",
    "Document": "minemap.extraction.record",
    "DocumentError": "minemap.errors",
    "BoundaryError": "minemap.errors",
    "EngineError": "minemap.errors",
    "RunError": "minemap.errors",
    "MinemapError": "minemap.errors",
    "OutputError": "minemap.errors",
}

__all__ = sorted(_EXPORTS) + ["__version__"]

if TYPE_CHECKING:
    from minemap.aggregation import Aggregation, aggregate
    from minemap.api import Run, load_boundaries, run
    from minemap.errors import BoundaryError, DocumentError, EngineError, MinemapError, OutputError, RunError
    from minemap.extraction.documents import read_documents
    from minemap.extraction.extract import extract
    from minemap.extraction.record import Document, Figure
    from minemap.records import read_figures


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'minemap' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
