"""The Python API: what `minemap run` does, as one function and one result object.

    import minemap
    result = minemap.run(["reports/"])        # no paths: the embedded sample corpus
    result.districts                           # GeoDataFrame, one row per district
    result.facts                               # DataFrame, one row per distinct fact
    result.map()                               # folium.Map (shows in Jupyter)
    result.save("outputs")                     # every file `minemap run` writes

The `minemap` command is a thin layer over this module. Progress and per-document problems are logged
on the "minemap" logger (the command prints them on stderr); problems that end a run raise RunError.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from minemap.errors import BoundaryError, RunError
from minemap.optional import require
from minemap.wording import counted
from minemap.extraction.record import Document, Figure
from minemap.extraction.run_options import Budget

if TYPE_CHECKING:  # the map stack is imported only where it is used
    import folium
    import geopandas as gpd
    import pandas as pd

    from minemap.aggregation import Aggregation
    from minemap.corpus import Corpus
    from minemap.mapmodel import Choice
    from minemap.qgis_style import Style

log = logging.getLogger("minemap")

PathLike = str | Path
# Seconds between two progress lines while documents are extracted.
_PROGRESS_EVERY = 10.0
# Every file a run writes besides the maps, in the order of the README's table.
OUTPUT_FILES = ("districts.gpkg", "districts.geojson", "districts.csv", "groups.csv", "facts.csv",
                "documents.csv", "figures.jsonl", "summary.json", "summary.md")
MAP_FILES = ("map.html", "map.png", "map.svg")   # what maps.render_maps writes


def load_boundaries(path: PathLike | None = None, *, code_field: str | None = None,
                    name_field: str | None = None, layer: str | None = None) -> "gpd.GeoDataFrame":
    """District polygons: the embedded set (77 ISO 3166-2:AZ units), or your own file matched to units by
    ISO code (`code_field`) or by name through the gazetteer (`name_field`); `layer`: the layer of a file
    with several (required when more than one has geometry). What did and did not match, and the layer
    read, are logged; a file that cannot be used raises `minemap.BoundaryError`."""
    require("maps", "district polygons")
    from minemap.boundaries.polygons import load_embedded, load_user

    if path is None:
        if code_field or name_field or layer:
            raise ValueError("code_field/name_field/layer need a boundary file")
        return load_embedded()
    if bool(code_field) == bool(name_field):
        raise ValueError("give either code_field or name_field for a boundary file")
    try:
        units, match = load_user(path, code_field=code_field, name_field=name_field, layer=layer)
    except BoundaryError:
        raise
    except Exception as exc:  # a reader failure deep in GDAL: still name the file
        raise BoundaryError(f"{path}: cannot read as a boundary file ({exc})") from exc
    for line in match.lines():
        log.info("boundaries: %s", line)
    units.attrs["boundary_source"] = f"Boundaries: {Path(path).name} (supplied by the user)"
    return units


@dataclass
class Run:
    """The result of `minemap.run`: district values, facts, figures and summary of one run."""

    districts: "gpd.GeoDataFrame"
    """One row per district of the boundary set: codes, names, value columns, geometry (EPSG:4326)."""
    aggregation: "Aggregation"
    """The facts with their status and reason, district values, shared groups (`minemap.aggregation`)."""
    documents: Mapping[str, Document]
    """The documents read, by id (their metadata; texts are not kept), read from the run's store on disk."""
    skipped: list[dict]
    """Inputs that could not be used: dicts with path, doc_id and reason."""
    _corpus: "Corpus" = field(repr=False)
    inputs: list[str] = field(default_factory=list)
    """The files and folders read (reports, or figure records and documents.csv; the boundary file)."""

    @property
    def figures(self) -> list[Figure]:
        """Every figure record of the run, documents in id order (read back from the run's spool file)."""
        return list(self._corpus.iter_figures())

    @property
    def facts(self) -> "pd.DataFrame":
        """One row per distinct fact: the columns of facts.csv (status, reason, every report behind it)."""
        import pandas as pd

        from minemap.tables import FACT_COLUMNS, iter_fact_rows

        return pd.DataFrame(list(iter_fact_rows(self.aggregation)), columns=FACT_COLUMNS)

    @property
    def summary(self) -> dict[str, Any]:
        """What summary.json holds: documents read and skipped, figures, facts per status, and why."""
        return self.aggregation.summary

    def map(self, *, scheme: str = "fisherjenks", k: int = 5, by: str | None = None, metric: str | None = None,
            title: str | None = None, attribution: str | None = None,
            self_contained: bool = True) -> "folium.Map":
        """The interactive map as a `folium.Map` (Jupyter shows it; `.save("map.html")` writes it).

        `metric`: the layer it opens on (a metric such as "uxo", or a column such as "area_ha_upper");
        default: the clearance metric that colours most districts. `title`, `attribution`: shown on the
        map. `self_contained=False` links Leaflet from its CDN instead of inlining it."""
        from minemap import maps

        return maps.map_object(self.districts, self.aggregation, scheme=scheme, k=k, by=by, metric=metric,
                               title=title, attribution=attribution, self_contained=self_contained)

    def choice(self, *, metric: str | None = None, scheme: str = "fisherjenks", k: int = 5) -> "Choice":
        """The layer the maps open on and its classes: one choice for map.html, map.png/map.svg and the
        QGIS style of districts.gpkg. ValueError for a `metric` that no district has."""
        from minemap.mapmodel import choose, table_of

        return choose(table_of(self.districts), metric=metric, scheme=scheme, k=k)

    def save(self, folder: PathLike = "outputs", *, maps: bool = True, scheme: str = "fisherjenks",
             k: int = 5, by: str | None = None, metric: str | None = None, title: str | None = None,
             attribution: str | None = None, self_contained: bool = True) -> list[Path]:
        """Write every output of `minemap run` into `folder` and return their paths (options as in `map`).

        All files are written into a staging folder which then replaces `folder` as a whole (files in it
        that minemap does not write are kept; see geo.atomic): a reader sees the old set or the new set,
        and if anything fails, `folder` is left as it was. Raises OutputError when `folder` cannot be
        written or overlaps the inputs."""
        from minemap import maps as mapmod
        from minemap.atomic import check_not_overlapping, staged_dir
        from minemap.qgis_style import make_style

        choice = self.choice(metric=metric, scheme=scheme, k=k)   # before writing: a bad metric stops here
        style = make_style(choice, title=title, attribution=attribution, layer=self.districts)
        out = Path(folder)
        check_not_overlapping(out, self.inputs)
        names: list[str] = []
        with staged_dir(out, owned=OUTPUT_FILES + MAP_FILES) as tmp:
            log.info("writing layers and tables")
            names += write_tables(tmp, self.districts, self.aggregation, self.documents, self._corpus, style)
            if maps:
                log.info("rendering maps")
                written = mapmod.render_maps(self.districts, self.aggregation, tmp, scheme=scheme, k=k, by=by,
                                             title=title, attribution=attribution, self_contained=self_contained,
                                             choice=choice)
                names += [Path(p).name for p in written]
        return [out / n for n in names]


def write_tables(folder: Path, districts: "gpd.GeoDataFrame", aggregation: "Aggregation",
                 documents: Mapping[str, Document], figures: "Iterable[Figure] | Corpus",
                 style: "Style | None" = None) -> list[str]:
    """Every output of a run but the maps (OUTPUT_FILES) into `folder`; returns the file names.
    `style`: the QGIS style of districts.gpkg (default: the run's opening layer, as the maps show it)."""
    from minemap.layers import write_districts_csv, write_geojson, write_gpkg
    from minemap.tables import (write_documents_csv, write_facts_csv, write_figures_jsonl, write_groups_csv,
                                write_summary_json, write_summary_md)

    write_gpkg(districts, folder / "districts.gpkg", style)
    write_geojson(districts, folder / "districts.geojson")
    write_districts_csv(districts, folder / "districts.csv")
    write_groups_csv(aggregation, folder / "groups.csv")
    write_facts_csv(aggregation, folder / "facts.csv")
    write_documents_csv(documents, folder / "documents.csv")
    from minemap.corpus import Corpus

    if isinstance(figures, Corpus):
        figures.write_figures(folder / "figures.jsonl")
    else:
        write_figures_jsonl(list(figures), folder / "figures.jsonl")
    extra = {"outputs": list(OUTPUT_FILES)}
    write_summary_json(aggregation, folder / "summary.json", extra)
    write_summary_md(aggregation, folder / "summary.md", extra)
    return list(OUTPUT_FILES)


def run(paths: PathLike | Sequence[PathLike] | None = None, *,
        figures: PathLike | Iterable[Figure] | None = None,
        documents: PathLike | None = None,
        date: str | None = None,
        boundaries: PathLike | None = None, code_field: str | None = None, name_field: str | None = None,
        boundary_layer: str | None = None, date_from: str | date | None = None, date_to: str | date | None = None,
        apportion: str = "reports", jobs: int = 1, engine: str = "local", scheduler: str | None = None,
        doc_timeout: float | None = Budget.seconds, doc_memory: int | None = Budget.memory_mb) -> Run:
    """Reports (or reviewed figure records) -> district values, facts and summary.

    `paths`: files and folders of reports (.txt, .md, .html, .jsonl, ...); none: the embedded sample
    corpus. `figures`: instead of reports, figure records — a figures.jsonl or CSV file (see
    `read_figures`) or Figure objects; `documents`: the documents.csv of the run they came from (outlet,
    date, title, link of each report), found next to the figures file when not given.
    `date`: publication date for documents that carry none. `boundaries`/`code_field`/`name_field`/
    `boundary_layer`: your own district polygons (see `load_boundaries`, whose `layer` is
    `boundary_layer`). `date_from`/`date_to`: count only figures
    inside this window. `apportion`: how the <metric>_est estimates share figures naming several
    districts: "reports" (by what the reports say per district, else by area), "area", "equal", or
    "none" (no estimate columns). `jobs`: extract in this many processes (same results). `engine`:
    "local" or "dask" (distributes the files with Dask; `scheduler`: a dask.distributed address, default
    a local pool; same results). `doc_timeout` (seconds) and `doc_memory` (MiB): what one document may
    cost to read and extract; one over budget is skipped and listed (None or 0: no limit).

    Raises RunError when there is nothing to map (no document could be read, no figure record given),
    EngineError when the engine cannot run (Dask not installed, scheduler not reachable).
    """
    require("maps", "minemap.run (district layers and maps)")
    from minemap.aggregation import aggregate_corpus
    from minemap.corpus import Corpus
    from minemap.layers import district_layer, unit_areas_ha

    if paths is not None and figures is not None:
        raise ValueError("give report paths or figures, not both")
    date = check_date(date, "date")
    dfrom, dto = check_date(date_from, "date_from"), check_date(date_to, "date_to")
    if dfrom and dto and dfrom > dto:
        raise ValueError(f"date_from {dfrom} is after date_to {dto}")

    units = load_boundaries(boundaries, code_field=code_field, name_field=name_field, layer=boundary_layer)
    corpus = Corpus()   # documents and records, compact; their text in a temporary store on disk
    notes: list[str] = []   # what the reader of the summary must know about this run's inputs
    if figures is not None:
        skipped = _from_records(figures, documents, corpus, notes)
        inputs = [str(p) for p in (figures, documents) if isinstance(p, (str, Path))]
    else:
        inputs = _as_paths(paths)
        how = {"jobs": jobs, "engine": engine, "scheduler": scheduler,
               "budget": Budget(doc_timeout or None, doc_memory or None)}
        skipped = _from_reports(inputs, date, how, corpus)
    if boundaries is not None:
        inputs.append(str(boundaries))
    log.info("%s read, %s, %s", counted(corpus.n_docs, "document"), counted(len(skipped), "input") + " skipped",
             counted(corpus.n_records, "figure"))

    agg = aggregate_corpus(corpus, dfrom, dto, apportion=apportion, areas=unit_areas_ha(units),
                           codes=list(units["code"]), skipped=skipped)
    agg.notes = notes
    layer = district_layer(units, agg)
    layer.attrs.update(units.attrs)
    return Run(districts=layer, aggregation=agg, documents=corpus.documents, skipped=skipped, _corpus=corpus,
               inputs=inputs)


def check_date(value: str | date | None, what: str) -> str | None:
    """An ISO date (YYYY-MM-DD) as text, or None; anything else is a ValueError naming the option.
    Every date option of the API and of the command goes through here."""
    from minemap.extraction.record import EARLIEST_DATE, LATEST_DATE

    if value is None or value == "":
        return None
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(f"{what}: {str(value)[:40]!r} is not a date YYYY-MM-DD") from None
        if len(str(value).strip()) != 10:
            raise ValueError(f"{what}: {str(value)[:40]!r} is not a date YYYY-MM-DD")
    if not EARLIEST_DATE <= day.isoformat() <= LATEST_DATE:
        raise ValueError(f"{what}: {day.isoformat()} is outside the plausible range {EARLIEST_DATE} .. {LATEST_DATE}")
    return day.isoformat()


def _as_paths(paths) -> list[str]:
    if paths is None:
        from minemap.extraction.sample import SAMPLE_DIR

        return [str(SAMPLE_DIR)]
    if isinstance(paths, (str, Path)):
        return [str(paths)]
    return [str(p) for p in paths]


def _from_reports(paths: list[str], date: str | None, how: dict, corpus: "Corpus") -> list[dict]:
    import time

    from minemap.extraction.documents import DocumentError
    from minemap.extraction.pipeline import extract_stream

    skipped: list[dict] = []
    shown = time.monotonic()
    for item in extract_stream(paths, date=date, **how):
        if time.monotonic() - shown > _PROGRESS_EVERY:  # a long run says how far it is
            shown = time.monotonic()
            log.info("... %s read, %s skipped so far", counted(corpus.n_docs, "document"), len(skipped))
        if isinstance(item, DocumentError):
            skipped.append({"path": str(item.path), "doc_id": item.doc_id, "reason": item.reason})
            log.warning("skipped %s: %s", item.path, item.reason)
            continue
        doc, found = item  # the text is already dropped; ids are already unique (duplicates renamed)
        for w in doc.warnings:
            log.warning("%s: %s", doc.path or doc.doc_id, w)
        at = corpus.add_document(doc)
        corpus.add_records(at, found)
        corpus.spool(at, found)
    if not corpus.n_docs:
        where = ", ".join(paths)
        why = f": {len(skipped)} inputs could not be read" if skipped else ""
        raise RunError(f"no documents to read in {where}{why}", skipped=skipped)
    return skipped


def _from_records(figures, documents, corpus: "Corpus", notes: list[str]) -> list[dict]:
    from minemap.records import read_documents_csv, read_figures

    skipped: list[dict] = []
    if isinstance(figures, (str, Path)):
        try:
            found, skipped = read_figures(figures)
        except ValueError as exc:
            raise RunError(str(exc)) from None
        for row in skipped:
            log.warning("skipped %s: %s", row["path"], row["reason"])
        if documents is None and (Path(figures).parent / "documents.csv").is_file():
            documents = Path(figures).parent / "documents.csv"
        source = str(figures)
    else:
        found, source = list(figures), "the figures given"
    try:
        docs = read_documents_csv(documents) if documents is not None else {}
    except ValueError as exc:
        raise RunError(str(exc)) from None
    if not found:
        raise RunError(f"no figure records in {source}", skipped=skipped)
    unknown = sorted({f.doc_id for f in found} - set(docs))
    if unknown:
        what = (f"no documents.csv next to {source} (or given with --documents)" if documents is None else
                f"{len(unknown)} of the figures' documents are not in {documents}")
        notes.append(f"{what}: for those reports the outlet, title, link and publication date are unknown. "
                     "An undated figure is joined to the dated copy of the same fact, and judged against "
                     "dated work, by its report's publication date: without it, such figures may count "
                     "differently than in the run that wrote the figures.")
        log.warning(notes[-1])
    for f in found:
        docs.setdefault(f.doc_id, Document(f.doc_id, ""))
    index = {doc_id: corpus.add_document(doc) for doc_id, doc in docs.items()}
    del docs
    by_doc: dict[str, list[Figure]] = {}
    for f in found:
        by_doc.setdefault(f.doc_id, []).append(f)
    for doc_id, fs in by_doc.items():
        corpus.add_records(index[doc_id], fs)
        corpus.spool(index[doc_id], fs)
    return skipped
