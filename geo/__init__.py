"""Top floor: figures + polygons -> district values, maps, exports, and the `minemap` CLI."""
__version__ = "0.1.0"
