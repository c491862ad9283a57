"""`minemap extract` and `minemap eval`. Imports stay light: no geopandas on this path."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from minemap.cli_options import ISO_DATE


def run_extraction(paths, date=None, out=None, progress=None, jobs=1):
    """Extract every document under `paths`; write JSON Lines to `out` (a text stream).

    `jobs` > 1 extracts in that many processes; the records and their order do not change.
    Returns (n_documents, n_figures, errors). Errors are reported on stderr as they happen.
    """
    from minemap.extraction.documents import DocumentError
    from minemap.extraction.pipeline import extract_stream

    n_docs = n_figs = 0
    errors = []
    bar = progress
    for item in extract_stream(paths, date=date, jobs=jobs):
        if isinstance(item, DocumentError):
            errors.append(item)
            what = "extract" if item.reason.startswith("extraction failed") else "read"
            click.echo(f"minemap: cannot {what} {item.path}: {item.reason}", err=True)
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
    return n_docs, n_figs, errors


def _count_inputs(paths) -> int | None:
    """Number of document files, for the progress bar (None when unknown, e.g. stdin)."""
    from minemap.extraction.documents import _walk
    n = 0
    for p in paths:
        if p == "-":
            return None
        path = Path(p)
        n += sum(1 for _ in _walk(path)) if path.is_dir() else 1
    return n


@click.command("extract")
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, writable=True),
              help="Write JSON Lines to this file (atomically) instead of stdout.")
@click.option("--date", type=ISO_DATE,
              help="Publication date for documents that carry none (stdin, bare text).")
@click.option("--strict", is_flag=True, help="Exit with status 1 if any document could not be read.")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(1, None),
              help="Extract in this many processes (same records, same order).")
def extract_cmd(paths, output, date, strict, jobs):
    """Extract figure records from reports: files, folders (recursive) or - for stdin.

    One JSON object per figure (fields as in figures.md), to stdout unless -o.
    Example: minemap extract reports/ -o figures.jsonl
    """
    from tqdm import tqdm

    total = _count_inputs(paths)
    show = sys.stderr.isatty() and total is not None and total >= 20
    bar = tqdm(total=total, unit="doc", file=sys.stderr, disable=not show)
    try:
        if output:
            target = Path(output)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
            try:
                with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                    n_docs, n_figs, errors = run_extraction(paths, date, fh, bar, jobs)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        else:
            n_docs, n_figs, errors = run_extraction(paths, date, sys.stdout, bar, jobs)
    finally:
        bar.close()
    click.echo(f"minemap: {n_figs} figures from {n_docs} documents"
               + (f", {len(errors)} unreadable" if errors else ""), err=True)
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
