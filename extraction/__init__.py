"""Middle floor: documents -> figure records. Pure functions over text; no geometry."""
