"""`minemap run`: reports (or reviewed figure records) -> district layers, tables and maps.

A thin layer over `minemap.api`: options in, `run(...)` then `Run.save(...)`, a summary out."""
from __future__ import annotations

import logging
from pathlib import Path

import click

from minemap.cli_options import ISO_DATE, extraction_kwargs, extraction_options


class _StderrHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        prefix = "  warning: " if record.levelno >= logging.WARNING else ""
        click.echo(prefix + record.getMessage(), err=True)


def progress_to_stderr() -> None:
    """The API logs progress and per-document problems on the "minemap" logger; the command shows them."""
    log = logging.getLogger("minemap")
    if not any(isinstance(h, _StderrHandler) for h in log.handlers):
        log.addHandler(_StderrHandler())
    log.setLevel(logging.INFO)
    log.propagate = False


@click.command("run")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, allow_dash=True))
@click.option("--figures", "figures_file", type=click.Path(exists=True, dir_okay=False),
              help="Map these figure records (a run's figures.jsonl, corrected, or a CSV with the same "
                   "columns) instead of reading reports.")
@click.option("--documents", "documents_file", type=click.Path(exists=True, dir_okay=False),
              help="With --figures: the run's documents.csv (default: the one next to the figures file).")
@click.option("-o", "--output", "outdir", default="outputs", show_default=True,
              help="Output folder, replaced as a whole when every file is written (a failed run leaves the "
                   "previous outputs intact; files minemap does not write are kept).")
@click.option("--boundaries", "boundary_file", type=click.Path(exists=True, dir_okay=False),
              help="Your own district polygons (GeoJSON, GPKG, SHP, ...) instead of the embedded set.")
@click.option("--code-field", help="Field of --boundaries holding ISO 3166-2:AZ codes.")
@click.option("--name-field", help="Field of --boundaries holding district names (matched via the gazetteer).")
@click.option("--layer", "boundary_layer",
              help="Layer of --boundaries to read, for files with several (a GeoPackage): required when more "
                   "than one has geometry.")
@click.option("--from", "date_from", type=ISO_DATE, help="Count only periods from this date.")
@click.option("--to", "date_to", type=ISO_DATE, help="Count only periods up to this date.")
@click.option("--date", "doc_date", type=ISO_DATE, help="Publication date for documents that carry none.")
@click.option("--apportion", type=click.Choice(["reports", "area", "equal", "none"]), default="reports",
              show_default=True,
              help="How the <metric>_est estimates share figures naming several districts: by what the reports "
                   "say per district (else by district area), by area, equally, or no estimates.")
@click.option("--scheme", type=click.Choice(["fisherjenks", "quantiles", "equalinterval", "naturalbreaks"]),
              default="fisherjenks", show_default=True, help="Map classification scheme.")
# 2..9 = classify.K_MIN..K_MAX (not imported here: it needs numpy, and --help must not)
@click.option("--k", default=5, show_default=True, type=click.IntRange(2, 9), help="Number of map classes.")
@click.option("--by", type=click.Choice(["month", "year"]), default=None, help="Time-sliced map frames.")
@click.option("--metric", default=None,
              help="The layer the maps and the QGIS style show: a metric (area_ha, uxo, killed, ...) or a column "
                   "(area_ha_upper, mines_to_date, ...). Default: the area cleared when it colours at least three "
                   "quarters as many districts as the clearance metric colouring most, else that metric.")
@click.option("--title", default=None, help="Title of the maps (HTML, PNG, SVG) and of the QGIS style.")
@click.option("--attribution", default=None,
              help="Credit line shown on every map and in the QGIS style, before the data and boundary credits.")
@click.option("--self-contained/--cdn", "self_contained", default=True, show_default=True,
              help="Inline Leaflet in map.html (works offline and inside other pages), or link it from its CDN.")
@click.option("--no-maps", is_flag=True, help="Write layers and tables only.")
@extraction_options
def run_cmd(paths, figures_file, documents_file, outdir, boundary_file, code_field, name_field, boundary_layer,
            date_from, date_to, doc_date, apportion, scheme, k, by, metric, title, attribution, self_contained,
            no_maps, **how):
    """Turn reports into district layers, tables and maps.

    PATH: files or folders of reports (default: the embedded sample corpus). Writes districts.gpkg
    (with a QGIS style), districts.geojson, districts.csv, groups.csv, facts.csv, documents.csv,
    figures.jsonl, summary.json, summary.md and the maps into DIR.
    """
    from minemap.api import run
    from minemap.atomic import check_not_overlapping, output_folder
    from minemap.errors import BoundaryError, EngineError, MinemapError
    from minemap.extraction.record import METRICS

    if code_field and name_field:
        raise click.UsageError("give either --code-field or --name-field, not both")
    if (code_field or name_field) and not boundary_file:
        raise click.UsageError("--code-field/--name-field need --boundaries")
    if boundary_file and not (code_field or name_field):
        raise click.UsageError("--boundaries needs --code-field or --name-field")
    if boundary_layer and not boundary_file:
        raise click.UsageError("--layer goes with --boundaries")
    if figures_file and paths:
        raise click.UsageError("give report PATHs or --figures FILE, not both")
    if documents_file and not figures_file:
        raise click.UsageError("--documents goes with --figures")
    if date_from and date_to and date_from > date_to:
        raise click.UsageError(f"--from {date_from} is after --to {date_to}")
    # a quick check before reading anything; whether a district has a value for it is known after the run
    if metric is not None and not any(metric == m or metric.startswith(m + "_") for m in METRICS):
        raise click.BadParameter(f"{metric!r} is neither a metric nor a value column", param_hint="--metric")
    how = extraction_kwargs(**how)

    progress_to_stderr()
    try:
        # Before reading anything: a run of hours must not end in "cannot write there".
        check_not_overlapping(outdir, [*paths, *(f for f in (figures_file, documents_file, boundary_file) if f)])
        output_folder(outdir)
        click.echo(f"reading: {figures_file or ', '.join(paths) or 'the embedded sample corpus'}", err=True)
        result = run(list(paths) or None, figures=figures_file,
                     documents=documents_file, date=doc_date, boundaries=boundary_file, code_field=code_field,
                     name_field=name_field, boundary_layer=boundary_layer, date_from=date_from, date_to=date_to,
                     apportion=apportion, **how)
        try:
            result.choice(metric=metric, scheme=scheme, k=k)
        except ValueError as exc:       # a --metric that no district has a value for
            raise click.ClickException(str(exc)) from None
        written = result.save(outdir, maps=not no_maps, scheme=scheme, k=k, by=by, metric=metric, title=title,
                              attribution=attribution, self_contained=self_contained)
    except (MinemapError, BoundaryError, EngineError) as exc:   # MissingDependency is a MinemapError
        raise click.ClickException(str(exc)) from None

    s = result.summary
    st = s["facts_by_status"]
    click.echo(f"wrote {len(written)} files to {Path(outdir)}/: {', '.join(p.name for p in written)}")
    click.echo(
        f"documents: {s['documents']['read']} read, {s['documents']['skipped']} inputs skipped; "
        f"figures: {s['figures']['found']} found, {s['figures']['merged_duplicates']} merged as duplicates "
        f"into {s['figures']['facts']} facts; summed {st['summed']} "
        f"({s['summed']['attributed']} attributed, {s['summed']['shared']} shared), "
        f"set aside {st['set_aside']}, implausible {st['implausible']}, unplaced {st['unplaced']}, "
        f"running totals {st['snapshot']} latest + {st['superseded']} older, outside window {st['excluded']}")
