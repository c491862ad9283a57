"""`minemap extract` and `minemap eval`. Imports stay light: no geopandas on this path."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from minemap.cli_options import ISO_DATE, extraction_kwargs, extraction_options
from minemap.wording import counted
from minemap.extraction.run_options import Budget, EngineError


def run_extraction(paths, date=None, out=None, progress=None, *, jobs=1, engine="local", scheduler=None,
                   doc_timeout=Budget.seconds, doc_memory=Budget.memory_mb, explain_to=None, seen=None):
    """Extract every document under `paths`; write JSON Lines to `out` (a text stream).

    `jobs` > 1 extracts in that many processes, `engine="dask"` with Dask; the records and their order do
    not change. `doc_timeout` (seconds) and `doc_memory` (MiB): each document's budget (0 or None: none).
    With `explain_to` (a text stream), the rules behind each figure are written there; documents are then
    extracted in this process, without budgets, and the records written to `out` are the same.
    `seen`: a set that gets the id of every document read.
    Returns (n_documents, n_figures, problems). Problems are reported on stderr as they happen.
    """
    from minemap.extraction.documents import DocumentError
    from minemap.extraction.pipeline import extract_stream

    n_docs = n_figs = 0
    problems = []
    bar = progress
    budget = Budget(doc_timeout or None, doc_memory or None)
    if explain_to is not None:
        stream = _explained(paths, date, explain_to)
    else:
        stream = extract_stream(paths, date=date, jobs=jobs, budget=budget, engine=engine, scheduler=scheduler)
    for item in stream:
        if isinstance(item, DocumentError):
            problems.append(item)
            what = {"skip": "skipped", "extract": "cannot extract"}.get(item.kind, "cannot read")
            click.echo(f"minemap: {what} {item.path}: {item.reason}", err=True)
            continue
        doc, figures = item
        if seen is not None:
            seen.add(doc.doc_id)
        for w in doc.warnings:
            click.echo(f"minemap: warning: {doc.path or doc.doc_id}: {w}", err=True)
        for f in figures:
            out.write(f.to_json() + "\n")
        n_docs += 1
        n_figs += len(figures)
        if bar is not None:
            bar.update(1)
    return n_docs, n_figs, problems


def _explained(paths, date, to):
    """(document, figures) as extract_stream yields them, writing each document's explanation to `to`."""
    import dataclasses

    from minemap.extraction.documents import DocumentError

    for doc, ex in explanations(paths, date):
        if isinstance(doc, DocumentError):
            yield doc
            continue
        to.write(format_explanation(doc, ex))
        yield dataclasses.replace(doc, text=""), [f for f, _ in ex.figures]


def explanations(paths, date=None):
    """(document, Explanation) for every document under `paths`, read and named as extract_stream does,
    extracted in this process; (DocumentError, None) for one that cannot be read or extracted."""
    from minemap.extraction.documents import DocumentError, Source, UniqueIds, read_source
    from minemap.extraction.extract import explain
    from minemap.extraction.sources import iter_sources

    unique = UniqueIds()
    for item in iter_sources(paths):
        doc = read_source(item, date) if isinstance(item, Source) else item
        if isinstance(doc, DocumentError):
            yield doc, None
            continue
        doc = unique(doc)
        try:
            ex = explain(doc)
        except Exception as exc:  # as in the pipeline: one broken document must not end the run
            yield DocumentError(str(doc.path or doc.doc_id), f"extraction failed: {type(exc).__name__}: {exc}",
                                doc.doc_id, kind="extract"), None
            continue
        yield doc, ex


def _rule_lines(label: str, rules) -> list[str]:
    if not rules:
        return [f"    {label:<10} -"]
    from minemap.extraction.rules import says

    return [f"    {label if i == 0 else '':<10} {r}: {says(r)}" for i, r in enumerate(rules)]


def format_explanation(doc, ex) -> str:
    """The figures of one document with the rules behind each field, and the numbers set aside."""
    from minemap.extraction.rules import says

    lines = [f"== {doc.path or doc.doc_id}  (id {doc.doc_id}, date {doc.date or 'unknown'}): "
             f"{counted(len(ex.figures), 'figure')}, {counted(len(ex.set_aside), 'number')} set aside"]
    for n, (f, why) in enumerate(ex.figures, 1):
        group = f"/{f.group}" if f.group else ""
        lines.append(f"[{n}] {f.metric}{group} {f.value:g} {f.qualifier}  {f.scope} "
                     f"{f.period_start or '-'}..{f.period_end or '-'}  districts {','.join(f.districts) or '-'}")
        lines.append(f"    sentence {why.sentence + 1}: {_short(f.evidence.text)}")
        if why.frame_sentence is not None and why.frame_sentence != why.sentence:
            lines.append(f"    time from sentence {why.frame_sentence + 1}: "
                         f"{_short(ex.sentences[why.frame_sentence].text)}")
        for label in ("value", "metric", "qualifier", "scope", "dates", "districts", "group"):
            lines += _rule_lines(label, getattr(why, label))
    for a in ex.set_aside:
        lines.append(f"set aside: {a.text!r} in sentence {a.sentence + 1}: {a.rule}: {says(a.rule)}")
    return "\n".join(lines) + "\n\n"


def _short(text: str, width: int = 150) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _count_inputs(paths) -> int | None:
    """Number of document files, for the progress bar (None when unknown, e.g. stdin)."""
    from minemap.extraction.sources import Source, iter_inputs

    if "-" in paths:
        return None
    return sum(1 for item in iter_inputs(paths) if isinstance(item, Source))


class _NoDocuments(click.ClickException):
    """No document at all was read: a wrong path or an empty folder, which a script must notice."""

    def __init__(self, paths) -> None:
        super().__init__(f"no document read from {', '.join(map(str, paths))}")


@click.command("extract")
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, writable=True),
              help="Write JSON Lines to this file (atomically) instead of stdout.")
@click.option("--date", type=ISO_DATE,
              help="Publication date for documents that carry none (stdin, bare text).")
@click.option("--strict", is_flag=True, help="Exit with status 1 if any document could not be read or extracted "
                                             "(files that are not documents do not count).")
@click.option("--explain", is_flag=True,
              help="Also write, to stderr, the rules behind each figure's fields (in this process; same records).")
@extraction_options
def extract_cmd(paths, output, date, strict, explain, **how):
    """Extract figure records from reports: files, folders (recursive) or - for stdin.

    One JSON object per figure (the figure record of extraction/README.md), to stdout unless -o.
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
    if explain:
        how["explain_to"] = sys.stderr
    show = sys.stderr.isatty() and total is not None and total >= 20 and not explain
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
                if not n_docs:
                    raise _NoDocuments(paths)   # the previous -o file stays as it was
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        else:
            n_docs, n_figs, problems = run_extraction(paths, date, sys.stdout, bar, **how)
            if not n_docs:
                raise _NoDocuments(paths)
    except EngineError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        bar.close()
    errors = [p for p in problems if p.kind != "skip"]
    others = len(problems) - len(errors)
    click.echo(f"minemap: {counted(n_figs, 'figure')} from {counted(n_docs, 'document')}"
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

    Prints precision, recall and F1 at three levels: value, placed, full (extraction/README.md,
    "Evaluating"). A gold file whose document is not in CORPUS is named on stderr: its records count as
    missed.
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
        seen: set[str] = set()
        run_extraction([corpus], None, buf, seen=seen)
        predicted = [json.loads(line) for line in buf.getvalue().splitlines() if line.strip()]
        for doc_id in sorted(gold_docs - seen):
            n = sum(1 for g in gold if g.get("doc_id") == doc_id)
            click.echo(f"minemap: warning: {Path(corpus) / (doc_id + '.gold.jsonl')}: no document with id "
                       f"{doc_id!r} in {corpus}; its {counted(n, 'gold record')} "
                       f"{'counts' if n == 1 else 'count'} as missed", err=True)
    result = score(gold, predicted, gold_docs)
    if as_json:
        click.echo(json.dumps({k: v for k, v in result.items() if k != "misses"}))
    else:
        click.echo(format_report(result, show_misses))


@click.command("explain")
@click.argument("paths", nargs=-1, required=True)
@click.option("--date", type=ISO_DATE,
              help="Publication date for documents that carry none (stdin, bare text).")
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object per figure ({\"figure\", \"why\"}) and per number set aside ({\"set_aside\"}).")
def explain_cmd(paths, date, as_json):
    """Why each figure of the reports is what it is: the rules behind its metric, qualifier, scope, dates,
    districts and group, each with what it says; and the numbers set aside as no figure, with the rule.

    Example: minemap explain report.md
    """
    import dataclasses
    import json

    from minemap.extraction.documents import DocumentError

    n_docs = 0
    for doc, ex in explanations(paths, date):
        if isinstance(doc, DocumentError):
            what = {"skip": "skipped", "extract": "cannot extract"}.get(doc.kind, "cannot read")
            click.echo(f"minemap: {what} {doc.path}: {doc.reason}", err=True)
            continue
        n_docs += 1
        for w in doc.warnings:
            click.echo(f"minemap: warning: {doc.path or doc.doc_id}: {w}", err=True)
        if not as_json:
            click.echo(format_explanation(doc, ex), nl=False)
            continue
        for f, why in ex.figures:
            click.echo(json.dumps({"figure": f.to_dict(), "why": dataclasses.asdict(why)}, ensure_ascii=False))
        for a in ex.set_aside:
            click.echo(json.dumps({"set_aside": dict(dataclasses.asdict(a), doc_id=doc.doc_id)}, ensure_ascii=False))
    if not n_docs:
        raise _NoDocuments(paths)
