"""`minemap run`: reports -> figures -> facts -> district values -> GIS layers, tables and maps."""
from __future__ import annotations

from pathlib import Path

import click

OUTPUT_FILES = ("districts.gpkg", "districts.geojson", "districts.csv", "groups.csv", "facts.csv",
                "figures.jsonl", "summary.json", "summary.md")


def _say(msg: str) -> None:
    click.echo(msg, err=True)


def collect(paths, date=None, progress=True, jobs=1, spool=None):
    """Read and extract every document. Returns (figures, docs without their text, skipped rows).

    A document that cannot be read or whose extraction fails is skipped with its reason, not fatal.
    `jobs` > 1 extracts in that many processes (same records, same order). `spool`: a
    geo.tables.FigureSpool that also gets each kept document's figures (figures.jsonl as it streams)."""
    from minemap.extraction.documents import DocumentError
    from minemap.extraction.pipeline import extract_stream

    figures, docs, skipped = [], {}, []
    share = _Share()
    for item in extract_stream(paths, date=date, jobs=jobs):
        if isinstance(item, DocumentError):
            skipped.append({"path": str(item.path), "doc_id": item.doc_id, "reason": item.reason})
            if progress:
                _say(f"  skipped {item.path}: {item.reason}")
            continue
        doc, found = item  # the text is already dropped: large corpora stream through
        if doc.doc_id in docs:
            skipped.append({"path": str(doc.path or doc.doc_id), "doc_id": doc.doc_id,
                            "reason": f"duplicate document id {doc.doc_id!r}: first one kept"})
            continue
        if progress:
            for w in doc.warnings:
                _say(f"  warning {doc.path or doc.doc_id}: {w}")
        docs[doc.doc_id] = _shared_doc(doc, share)
        for f in found:
            _share_fields(f, doc.doc_id, share)
        if spool is not None:
            spool.add(doc.doc_id, found)
        figures.extend(found)
    return figures, docs, skipped


class _Share(dict):
    """One object per distinct value: records unpickled from the workers each carry their own copies
    of the same dates, district lists and names (tens of MiB at 100,000 documents)."""

    def __call__(self, v):
        if v is None:
            return v
        key = (type(v), v)
        got = self.get(key)
        if got is None:
            self[key] = got = v
        return got


def _share_fields(fig, doc_id: str, share: _Share) -> None:
    # Equal values only, on a record this run alone holds: the frozen record is unchanged as a value.
    put = object.__setattr__
    put(fig, "doc_id", doc_id)
    for name in ("metric", "qualifier", "scope", "group", "actor", "period_start", "period_end", "districts"):
        put(fig, name, share(getattr(fig, name)))


def _shared_doc(doc, share: _Share):
    object.__setattr__(doc, "date", share(doc.date))
    object.__setattr__(doc, "source", share(doc.source))
    return doc


def write_run(outdir: Path, figures, aggregation, layer) -> list[str]:
    """Write every layer and table into `outdir` (the staging folder); returns the file names.
    `figures`: the records, or the geo.tables.FigureSpool that collected them."""
    from minemap.layers import write_districts_csv, write_geojson, write_gpkg
    from minemap.tables import (write_facts_csv, write_figures_jsonl, write_groups_csv, write_summary_json,
                            write_summary_md)

    write_gpkg(layer, outdir / "districts.gpkg")
    write_geojson(layer, outdir / "districts.geojson")
    write_districts_csv(layer, outdir / "districts.csv")
    write_groups_csv(aggregation, outdir / "groups.csv")
    write_facts_csv(aggregation, outdir / "facts.csv")
    write_figures_jsonl(figures, outdir / "figures.jsonl")
    extra = {"outputs": list(OUTPUT_FILES)}
    write_summary_json(aggregation, outdir / "summary.json", extra)
    write_summary_md(aggregation, outdir / "summary.md", extra)
    return list(OUTPUT_FILES)


def load_boundaries(path, code_field, name_field):
    from minemap.boundaries.polygons import BoundaryError, load_embedded, load_user

    if path is None:
        return load_embedded(), None
    try:
        return load_user(path, code_field=code_field, name_field=name_field)
    except BoundaryError as exc:
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:  # unreadable file, wrong format: name it
        raise click.ClickException(f"cannot read boundary file {path}: {exc}") from exc


def render(layer, aggregation, outdir, *, by=None, slicer_args=None, **opts) -> list[Path]:
    from minemap import maps

    slicer = None
    if by is not None:
        figures, docs, units, apportion, areas = slicer_args
        slicer = maps.slicer_for(figures, docs, units, apportion=apportion, areas=areas)
    return list(maps.render_maps(layer, aggregation, outdir, by=by, slicer=slicer, **opts) or [])


@click.command("run")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, allow_dash=True))
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False), default="outputs", show_default=True,
              help="Output folder (written atomically: a failed run leaves the previous outputs intact).")
@click.option("--boundaries", "boundary_file", type=click.Path(exists=True, dir_okay=False),
              help="Your own district polygons (GeoJSON, GPKG, SHP, ...) instead of the embedded set.")
@click.option("--code-field", help="Field of --boundaries holding ISO 3166-2:AZ codes.")
@click.option("--name-field", help="Field of --boundaries holding district names (matched via the gazetteer).")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="Count only periods from this date.")
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="Count only periods up to this date.")
@click.option("--date", "doc_date", help="Publication date for documents that carry none (ISO).")
@click.option("--apportion", type=click.Choice(["none", "equal", "area"]), default="none", show_default=True,
              help="Split shared values into <metric>_est estimate columns (equally or by district area).")
@click.option("--scheme", type=click.Choice(["fisherjenks", "quantiles", "equalinterval", "naturalbreaks"]),
              default="fisherjenks", show_default=True, help="Map classification scheme.")
@click.option("--k", default=5, show_default=True, type=click.IntRange(2, 9), help="Number of map classes.")
@click.option("--by", type=click.Choice(["month", "year"]), default=None, help="Time-sliced map frames.")
@click.option("--self-contained", is_flag=True, help="Inline the map's scripts (no network needed to open it).")
@click.option("--no-maps", is_flag=True, help="Write layers and tables only.")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(1, None),
              help="Extract in this many processes (same results as one).")
def run_cmd(paths, outdir, boundary_file, code_field, name_field, date_from, date_to, doc_date, apportion,
            scheme, k, by, self_contained, no_maps, jobs):
    """Turn reports into district layers, tables and maps.

    PATH: files or folders of reports (default: the embedded sample corpus). Writes districts.gpkg
    (with a QGIS style), districts.geojson, districts.csv, groups.csv, facts.csv, figures.jsonl,
    summary.json, summary.md and the maps into DIR.
    """
    from minemap.aggregation import aggregate
    from minemap.atomic import staged_dir
    from minemap.layers import district_layer, unit_areas_ha
    from minemap.tables import FigureSpool

    if code_field and name_field:
        raise click.UsageError("give either --code-field or --name-field, not both")
    if (code_field or name_field) and not boundary_file:
        raise click.UsageError("--code-field/--name-field need --boundaries")
    if not paths:
        from minemap.extraction.sample import SAMPLE_DIR
        paths = (str(SAMPLE_DIR),)
    dfrom = date_from.date() if date_from else None
    dto = date_to.date() if date_to else None
    if dfrom and dto and dfrom > dto:
        raise click.UsageError(f"--from {dfrom} is after --to {dto}")

    units, match = load_boundaries(boundary_file, code_field, name_field)
    if match is not None:
        for line in match.lines():
            _say(f"boundaries: {line}")

    _say(f"reading and extracting: {', '.join(map(str, paths))}")
    spool = FigureSpool()
    try:
        figures, docs, skipped = collect(paths, date=doc_date, jobs=jobs, spool=spool)
        _say(f"  {len(docs)} documents read, {len(skipped)} skipped, {len(figures)} figures")

        areas = unit_areas_ha(units) if apportion == "area" else None
        agg = aggregate(figures, docs, dfrom, dto, apportion=apportion, areas=areas,
                        codes=list(units["code"]), skipped=skipped)
        if no_maps or by is None:  # only the time-sliced maps aggregate the records again: let them go
            figures = docs = None
        layer = district_layer(units, agg)
        if boundary_file:  # the map credits the polygons it drew
            layer.attrs["boundary_source"] = f"Boundaries: {Path(boundary_file).name} (supplied by the user)"

        out = Path(outdir)
        written: list[str] = []
        with staged_dir(out) as tmp:
            _say("writing layers and tables")
            written += write_run(tmp, spool, agg, layer)
            if not no_maps:
                _say("rendering maps")
                maps = render(layer, agg, tmp, scheme=scheme, k=k, by=by, self_contained=self_contained,
                              slicer_args=(figures, docs, units, apportion, areas))
                written += [Path(p).name for p in maps]
    finally:
        spool.close()

    s = agg.summary
    st = s["facts_by_status"]
    click.echo(f"wrote {len(written)} files to {out}/: {', '.join(written)}")
    click.echo(
        f"documents: {s['documents']['read']} read, {s['documents']['skipped']} skipped; "
        f"figures: {s['figures']['found']} found, {s['figures']['merged_duplicates']} merged as duplicates "
        f"into {s['figures']['facts']} facts; summed {st['summed']} "
        f"({s['summed']['attributed']} attributed, {s['summed']['shared']} shared), "
        f"set aside {st['set_aside']}, unplaced {st['unplaced']}, running totals {st['snapshot']} latest "
        f"+ {st['superseded']} older, outside window {st['excluded']}")
