"""A default QGIS style for districts.gpkg, stored in the `layer_styles` table the way QGIS itself saves
"default style in the database", so the layer opens styled.

It draws the run's opening layer with the run's classes and colours (geo.mapmodel.Choice: the same as
map.html and map.png/map.svg) as a rule-based renderer: one rule per class, and one for districts without
data (hatched grey, as on the other maps) so that they are drawn too — QGIS's graduated renderer leaves
null values out. The title and credits go into the style's layer metadata.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from minemap.classify import NO_DATA_COLOR
from minemap.mapmodel import Choice, labels

STYLE_NAME = "minemap default"
UPDATE_TIME = "2000-01-01T00:00:00.000Z"   # fixed: the same run gives the same bytes


@dataclass(frozen=True)
class Style:
    column: str | None
    rules: tuple[tuple[str, str, str], ...]    # (label, filter expression, colour) per class
    legend_title: str
    title: str
    rights: str
    scheme: str


def make_style(choice: Choice, *, title: str | None = None, attribution: str | None = None,
               layer=None) -> Style:
    """The style of the run's opening layer. `layer`: the district layer (for the credit of its boundaries)."""
    ml, classes = choice.layer, choice.classes
    rules: list[tuple[str, str, str]] = []
    if ml is not None and classes is not None and classes.bins:
        col = '"' + ml.column.replace('"', '""') + '"'
        legend = classes.legend(ml.unit)
        prev = None
        # the same membership as the web map's colour(): the first class whose upper bound holds the value
        for i, (upper, colour, text) in enumerate(zip(classes.bins, classes.colors, legend)):
            last = i == len(classes.bins) - 1
            parts = [] if prev is None else [f"{col} > {prev!r}"]
            if not last:
                parts.append(f"{col} <= {upper!r}")
            rules.append((text, " AND ".join(parts) or f"{col} IS NOT NULL", colour))
            prev = upper
    credits = [attribution] if attribution else []
    credits.append(labels()["data_source"])
    boundary = getattr(layer, "attrs", {}).get("boundary_source") if layer is not None else None
    credits.append(boundary or labels()["boundary_source"])
    return Style(
        column=ml.column if ml else None, rules=tuple(rules),
        legend_title=ml.legend_title if ml else "No district values",
        title=title or labels()["title"], rights=" · ".join(credits),
        scheme=f"{len(rules)} {choice.scheme} classes" if rules else "no classes")


def _rgba(hex_color: str) -> str:
    h = hex_color.lstrip("#")
    return ",".join(str(int(h[i:i + 2], 16)) for i in (0, 2, 4)) + ",255"


def _simple_fill(color: str, style: str = "solid", outline: str = "90,90,90,255", width: str = "0.26") -> str:
    props = {
        "border_width_map_unit_scale": "3x:0,0,0,0,0,0", "color": _rgba(color) if color.startswith("#") else color,
        "joinstyle": "bevel", "offset": "0,0", "offset_unit": "MM", "outline_color": outline,
        "outline_style": "solid" if width != "0" else "no", "outline_width": width, "outline_width_unit": "MM",
        "style": style,
    }
    opts = "".join(f'<Option name="{k}" type="QString" value="{v}"/>' for k, v in props.items())
    old = "".join(f'<prop k="{k}" v="{v}"/>' for k, v in props.items())
    return f'<layer class="SimpleFill" enabled="1" locked="0" pass="0"><Option type="Map">{opts}</Option>{old}</layer>'


def _symbol(name: str, fills: str) -> str:
    return (f'<symbol type="fill" name="{name}" alpha="1" clip_to_extent="1" force_rhr="0">'
            f'<data_defined_properties><Option type="Map"><Option name="name" type="QString" value=""/>'
            f'<Option name="properties"/><Option name="type" type="QString" value="collection"/></Option>'
            f'</data_defined_properties>{fills}</symbol>')


def _no_data_symbol(name: str) -> str:
    # white under grey diagonal hatching, grey outline: the web map's and the images' no-data key
    return _symbol(name, _simple_fill("#ffffff", outline="140,140,140,255")
                   + _simple_fill(NO_DATA_COLOR, style="b_diagonal", width="0"))


def qml(style: Style) -> str:
    rules, symbols = [], []
    for i, (label, expr, colour) in enumerate(style.rules):
        rules.append(f'<rule key="{{mm-class-{i}}}" symbol="{i}" label={quoteattr(label)} '
                     f'filter={quoteattr(expr)}/>')
        symbols.append(_symbol(str(i), _simple_fill(colour)))
    n = len(style.rules)
    nodata = ("ELSE" if style.column is None
              else '"' + style.column.replace('"', '""') + '" IS NULL')
    rules.append(f'<rule key="{{mm-nodata}}" symbol="{n}" label={quoteattr(labels()["no_data"])} '
                 f'filter={quoteattr(nodata)}/>')
    symbols.append(_no_data_symbol(str(n)))
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        '<qgis version="3.22.0-Białowieża" styleCategories="Symbology">\n'
        '<renderer-v2 type="RuleRenderer" symbollevels="0" enableorderby="0" forceraster="0" referencescale="-1">'
        f'<rules key="{{mm-root}}">{"".join(rules)}</rules><symbols>{"".join(symbols)}</symbols>'
        "</renderer-v2>\n"
        "<blendMode>0</blendMode><featureBlendMode>0</featureBlendMode>"
        "<layerGeometryType>2</layerGeometryType>\n</qgis>\n"
    )


def metadata_xml(style: Style) -> str:
    """The layer metadata QGIS reads from a GeoPackage (its own XML in the gpkg_metadata table): title,
    what the style shows, and the credits (rights)."""
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"3.22.0-Białowieża\">\n"
        "<identifier></identifier><parentidentifier></parentidentifier><language></language><type>dataset</type>"
        f"<title>{escape(style.title)}</title>"
        f"<abstract>{escape(style.legend_title)}: {escape(style.scheme)}, the same classes and colours as "
        "map.html, map.png and map.svg of the same run; districts without data hatched.</abstract>"
        f"<links/><fees></fees><rights>{escape(style.rights)}</rights><encoding></encoding>"
        "<crs><spatialrefsys><wkt></wkt><proj4></proj4><srsid>0</srsid><srid>0</srid><authid></authid>"
        "<description></description><projectionacronym></projectionacronym><ellipsoidacronym></ellipsoidacronym>"
        "<geographicflag>false</geographicflag></spatialrefsys></crs><extent/>\n</qgis>\n"
    )


def _sld_filter(expr: str, column: str) -> str:
    """The class rules' expressions as OGC filters (they only use >, <= and IS NULL on one column)."""
    prop = f"<ogc:PropertyName>{escape(column)}</ogc:PropertyName>"
    parts = []
    for term in expr.split(" AND "):
        if term.endswith("IS NULL"):
            parts.append(f"<ogc:PropertyIsNull>{prop}</ogc:PropertyIsNull>")
        elif term.endswith("IS NOT NULL"):
            parts.append(f"<ogc:Not><ogc:PropertyIsNull>{prop}</ogc:PropertyIsNull></ogc:Not>")
        else:
            op, number = term.rsplit(" ", 2)[1:]
            tag = "PropertyIsGreaterThan" if op == ">" else "PropertyIsLessThanOrEqualTo"
            parts.append(f"<ogc:{tag}>{prop}<ogc:Literal>{number}</ogc:Literal></ogc:{tag}>")
    return parts[0] if len(parts) == 1 else f"<ogc:And>{''.join(parts)}</ogc:And>"


def sld(style: Style, layer_name: str) -> str:
    rules = []
    entries = list(style.rules)
    if style.column:
        entries.append((labels()["no_data"], f'"{style.column}" IS NULL', "#ffffff"))
    for label, expr, color in entries:
        rules.append(
            f"<se:Rule><se:Name>{escape(label)}</se:Name>"
            f"<se:Description><se:Title>{escape(label)}</se:Title></se:Description>"
            f"<ogc:Filter>{_sld_filter(expr, style.column)}</ogc:Filter>"
            f'<se:PolygonSymbolizer><se:Fill><se:SvgParameter name="fill">{color}</se:SvgParameter></se:Fill>'
            '<se:Stroke><se:SvgParameter name="stroke">#5a5a5a</se:SvgParameter>'
            '<se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke></se:PolygonSymbolizer>'
            "</se:Rule>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<StyledLayerDescriptor xmlns="http://www.opengis.net/sld" xmlns:ogc="http://www.opengis.net/ogc" '
        'xmlns:se="http://www.opengis.net/se" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="1.1.0" '
        'xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd">'
        f"<NamedLayer><se:Name>{escape(layer_name)}</se:Name><UserStyle><se:Name>{escape(layer_name)}</se:Name>"
        f"<se:FeatureTypeStyle>{''.join(rules)}</se:FeatureTypeStyle></UserStyle></NamedLayer>"
        "</StyledLayerDescriptor>\n"
    )


# The GeoPackage metadata extension (tables as the standard and GDAL define them); QGIS keeps a layer's
# metadata there as one row in its own XML format.
CREATE_METADATA = (
    "CREATE TABLE IF NOT EXISTS gpkg_metadata (id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC NOT NULL, "
    "md_scope TEXT NOT NULL DEFAULT 'dataset', md_standard_uri TEXT NOT NULL, "
    "mime_type TEXT NOT NULL DEFAULT 'text/xml', metadata TEXT NOT NULL DEFAULT '')",
    "CREATE TABLE IF NOT EXISTS gpkg_metadata_reference (reference_scope TEXT NOT NULL, table_name TEXT, "
    "column_name TEXT, row_id_value INTEGER, "
    "timestamp DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), md_file_id INTEGER NOT NULL, "
    "md_parent_id INTEGER, CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES gpkg_metadata(id), "
    "CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES gpkg_metadata(id))",
)
QGIS_MD_URI = "http://mrcc.com/qgis.dtd"
METADATA_EXTENSION = "http://www.geopackage.org/spec120/#extension_metadata"

# The table as QGIS creates it through OGR when saving a default style into a GeoPackage.
CREATE_TABLE = """CREATE TABLE IF NOT EXISTS "layer_styles" (
 "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
 "f_table_catalog" TEXT(256), "f_table_schema" TEXT(256), "f_table_name" TEXT(256),
 "f_geometry_column" TEXT(256), "styleName" TEXT(30), "styleQML" TEXT, "styleSLD" TEXT,
 "useAsDefault" BOOLEAN, "description" TEXT, "owner" TEXT(30), "ui" TEXT(30),
 "update_time" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"""


def add_layer_style(gpkg: Path, layer_name: str, style: Style) -> None:
    """Write the default style row (and register the table in gpkg_contents as attributes, as GDAL does),
    and the layer's metadata (title, credits) where QGIS reads it."""
    con = sqlite3.connect(gpkg)
    try:
        geom_col = con.execute(
            "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (layer_name,)).fetchone()[0]
        con.execute(CREATE_TABLE)
        con.execute("DELETE FROM layer_styles WHERE f_table_name = ?", (layer_name,))
        con.execute(
            "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
            "styleName, styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) "
            "VALUES ('', '', ?, ?, ?, ?, ?, 1, ?, '', NULL, ?)",
            (layer_name, geom_col, STYLE_NAME, qml(style), sld(style, layer_name),
             f"{style.legend_title}: {style.scheme}, districts without data hatched", UPDATE_TIME))
        con.execute(
            "INSERT OR REPLACE INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
            "VALUES ('layer_styles', 'attributes', 'layer_styles', '', ?)", (UPDATE_TIME,))
        for sql in CREATE_METADATA:
            con.execute(sql)
        cur = con.execute("INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) "
                          "VALUES ('dataset', ?, 'text/xml', ?)", (QGIS_MD_URI, metadata_xml(style)))
        con.execute("INSERT INTO gpkg_metadata_reference (reference_scope, table_name, column_name, row_id_value, "
                    "timestamp, md_file_id, md_parent_id) VALUES ('table', ?, NULL, NULL, ?, ?, NULL)",
                    (layer_name, UPDATE_TIME, cur.lastrowid))
        for table in ("gpkg_metadata", "gpkg_metadata_reference"):
            con.execute("INSERT OR REPLACE INTO gpkg_extensions (table_name, column_name, extension_name, definition, "
                        "scope) VALUES (?, NULL, 'gpkg_metadata', ?, 'read-write')", (table, METADATA_EXTENSION))
        has_ogr = con.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'gpkg_ogr_contents'").fetchone()
        if has_ogr:
            con.execute("INSERT OR REPLACE INTO gpkg_ogr_contents (table_name, feature_count) "
                        "VALUES ('layer_styles', 1)")
        con.commit()
    finally:
        con.close()
