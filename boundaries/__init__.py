"""Ground floor: district units, codes, names, polygons and the gazetteer of spellings.

Knows nothing of reports. Importing this package stays cheap (no geopandas): geometry lives in
`boundaries.polygons`, which callers import when they need it.
"""
