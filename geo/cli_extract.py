"""`minemap extract` and `minemap eval`. Imports stay light: no geopandas on this path."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from minemap.cli_options import ISO_DATE, extraction_kwargs, extraction_options
from minemap.extraction.run_options import Budget, EngineError


def run_extraction(paths, date=None, out=None, progress=None, *, jobs=1, engine="local", scheduler=None,
                   doc_timeout=Budget.seconds, doc_memory=Budget.memory_mb):
    """Extract every document under `paths`; write JSON Lines to `out` (a text stream).

    `jobs` > 1 extracts in that many processes, `engine="dask"` with Dask; the records and their order do
    not change. `doc_timeout` (seconds) and `doc_memory` (MiB): each document's budget (0 or None: none).
    Returns (n_documents, n_figures, problems). Problems are reported on stderr as they happen.
    """
    from minemap.extraction.documents import DocumentError
    from minemap.extraction.pipeline import extract_stream

    n_docs = n_figs = 0
    problems = []
    bar = progress
    budget = Budget(doc_timeout or None, doc_memory or None)
    for item in extract_stream(paths, date=date, jobs=jobs, budget=budget, engine=engine, scheduler=scheduler):
        if isinstance(item, DocumentError):
            problems.append(item)
            what = {"skip": "skipped", "extract": "cannot extract"}.get(item.kind, "cannot read")
            click.echo(f"minemap: {what} {item.path}: {item.reason}", err=True)
            continue
        doc, figures = item
        for w in doc.warnings:
            click.echo(f"minemap: warning: {doc.path or doc.doc_id}: {w}", err=True)
        for f in figures:
            out.write(f.to_json() + "\n")
        n_docs += 1
        n_figs += len(figures)
        if bar is not None:
            bar.update(1)
    return n_docs, n_figs, problems


def _count_inputs(paths) -> int | None:
    """Number of document files, for the progress bar (None when unknown, e.g. stdin)."""
    from minemap.extraction.sources import Source, iter_inputs

    if "-" in paths:
        return None
    return sum(1 for item in iter_inputs(paths) if isinstance(item, Source))


@click.command("extract")
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, writable=True),
              help="Write JSON Lines to this file (atomically) instead of stdout.")
@click.option("--date", type=ISO_DATE,
              help="Publication date for documents that carry none (stdin, bare text).")
@click.option("--strict", is_flag=True, help="Exit with status 1 if any document could not be read or extracted "
                                             "(files that are not documents do not count).")
@extraction_options
def extract_cmd(paths, output, date, strict, **how):
    """Extract figure records from reports: files, folders (recursive) or - for stdin.

    One JSON object per figure (fields as in figures.md), to stdout unless -o.
    Example: minemap extract reports/ -o figures.jsonl
    """
    from tqdm import tqdm

    from minemap.atomic import check_not_overlapping
    from minemap.errors import OutputError

    if output:
        try:   # figures.jsonl inside a report folder would be read as a feed by the next run over it
            check_not_overlapping(output, paths, what="output file")
        except OutputError as exc:
            raise click.ClickException(str(exc)) from None
    how = extraction_kwargs(**how)
    total = _count_inputs(paths)
    show = sys.stderr.isatty() and total is not None and total >= 20
    # no monitor thread: with a second thread running, extraction workers cannot be forked safely and
    # would start as fresh interpreters (slower to start)
    tqdm.monitor_interval = 0
    bar = tqdm(total=total, unit="doc", file=sys.stderr, disable=not show)
    try:
        if output:
            target = Path(output)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
            try:
                with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                    n_docs, n_figs, problems = run_extraction(paths, date, fh, bar, **how)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        else:
            n_docs, n_figs, problems = run_extraction(paths, date, sys.stdout, bar, **how)
    except EngineError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        bar.close()
    errors = [p for p in problems if p.kind != "skip"]
    others = len(problems) - len(errors)
    click.echo(f"minemap: {n_figs} figures from {n_docs} documents"
               + (f", {len(errors)} unreadable" if errors else "")
               + (f", {others} skipped" if others else ""), err=True)
    if strict and errors:
        sys.exit(1)


@click.command("eval")
@click.argument("corpus", type=click.Path(exists=True, file_okay=False))
@click.option("--pred", type=click.Path(exists=True, dir_okay=False),
              help="Score this JSON Lines file instead of extracting the corpus.")
@click.option("--show-misses", is_flag=True, help="List every missed and spurious record.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as one JSON object.")
def eval_cmd(corpus, pred, show_misses, as_json):
    """Score the extractor on an annotated corpus (documents + *.gold.jsonl side by side).

    Prints precision, recall and F1 at the three levels of figures.md: value, placed, full.
    """
    import io
    import json

    from minemap.extraction.scoring import format_report, load_gold, read_jsonl, score

    try:
        gold, gold_docs = load_gold(corpus)
    except ValueError as e:
        raise click.ClickException(str(e)) from None
    if not gold_docs:
        raise click.ClickException(f"no *.gold.jsonl files in {corpus}")
    if pred:
        try:
            predicted = read_jsonl(pred)
        except ValueError as e:
            raise click.ClickException(str(e)) from None
    else:
        buf = io.StringIO()
        run_extraction([corpus], None, buf)
        predicted = [json.loads(line) for line in buf.getvalue().splitlines() if line.strip()]
    result = score(gold, predicted, gold_docs)
    if as_json:
        click.echo(json.dumps({k: v for k, v in result.items() if k != "misses"}))
    else:
        click.echo(format_report(result, show_misses))
