"""minemap: figures from mine-clearance reports on Azerbaijan's returned territories, mapped by district.

This package is the top floor (the repository's `geo/` folder): figures + polygons -> district values,
maps, exports and the `minemap` command. Its subpackages are the floors below it:
`minemap.extraction` (documents -> figure records) and `minemap.boundaries` (district units and polygons).
"""
__version__ = "0.1.0"
