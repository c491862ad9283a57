"""The run's non-spatial outputs: figures.jsonl, documents.csv, facts.csv, groups.csv, summary.json, summary.md."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Mapping

from minemap.extraction.record import METRICS, Document, Figure, unit_of
from minemap.aggregation import GROUP_COLUMNS, STATUSES, Aggregation
from minemap.facts import fmt_number, period_text
from minemap.layers import write_csv
from minemap.periods import placement
from minemap.records import DOCUMENT_COLUMNS
from minemap.safe_text import markdown_text, one_line
from minemap.summary import Rows, summary_view

FACT_COLUMNS = [
    "id", "metric", "group", "value", "unit", "qualifier", "scope", "period_start", "period_end",
    "period_inferred", "districts", "status", "reason", "not_added_in", "not_added_because", "n_reports",
    "doc_ids", "outlets", "dates", "titles", "urls", "evidence",
]
GROUP_TABLE_COLUMNS = ["districts", "n_districts", *METRICS, *GROUP_COLUMNS, "reports", "first_date",
                       "last_date", "facts"]
# Per-report lists in one cell, one line per report (texts are flattened to one line, so this is unambiguous).
SEP = "\n"
PER_REPORT_COLUMNS = ("doc_ids", "outlets", "dates", "titles", "urls", "evidence")


def write_figures_jsonl(figures: "list[Figure]", path: Path) -> None:
    """Every extracted record, documents in doc_id order, each document's records in extraction order."""
    with open(path, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as fh:  # see _FigureStore
        for fig in sorted(figures, key=lambda f: f.doc_id):
            fh.write(fig.to_json() + "\n")


def write_documents_csv(docs: "Mapping[str, Document]", path: Path) -> None:
    """One row per document read: its id, date, outlet, title, link and file (for `run --figures`)."""
    items = docs.items_by_id() if hasattr(docs, "items_by_id") else sorted(docs.items())
    rows = ({"doc_id": d.doc_id, "date": d.date, "outlet": d.source, "title": d.title, "url": d.url,
             "path": d.path} for _, d in items)
    write_csv(rows, DOCUMENT_COLUMNS, path)


def fact_rows(agg: Aggregation) -> list[dict]:
    return list(iter_fact_rows(agg))


def iter_fact_rows(agg: Aggregation):
    """One facts.csv row at a time, made from the run's columns and store: a large run never holds every
    row (nor every Fact) in memory at once."""
    for f in agg.table.facts(agg.judgement.rows(), agg.judgement):
        # the districts (or, for a fact naming one district, its value) where the fact is not added and,
        # aligned, the fact it is not added because of
        aside = placement(f)[1] if f.not_added or f.not_alone else ()
        yield {
            "id": f.id, "metric": f.metric, "group": f.group, "value": f.value, "unit": unit_of(f.metric),
            "qualifier": f.qualifier, "scope": f.scope, "period_start": f.period_start,
            "period_end": f.period_end, "period_inferred": f.period_inferred, "districts": ";".join(f.districts),
            "status": f.status, "reason": f.reason,
            "not_added_in": ";".join(d for d, _, _ in aside), "not_added_because": ";".join(c for _, _, c in aside),
            "n_reports": len(f.doc_ids),
            "doc_ids": SEP.join(one_line(s.doc_id) for s in f.sources),
            "outlets": SEP.join(one_line(s.source or "") for s in f.sources),
            "dates": SEP.join(one_line(s.date or "") for s in f.sources),
            "titles": SEP.join(one_line(s.title or "") for s in f.sources),
            "urls": SEP.join(one_line(s.url or "") for s in f.sources),
            "evidence": SEP.join(" ".join(one_line(s.evidence).split()) for s in f.sources),
        }


def write_facts_csv(agg: Aggregation, path: Path) -> None:
    write_csv(iter_fact_rows(agg), FACT_COLUMNS, path, multiline=PER_REPORT_COLUMNS)


def write_groups_csv(agg: Aggregation, path: Path) -> None:
    write_csv(agg.groups, GROUP_TABLE_COLUMNS, path)


def write_summary_json(agg: Aggregation, path: Path, extra: dict | None = None) -> None:
    data = summary_view(agg)
    if extra:
        data.update(extra)
    # Lone surrogates (names that are not UTF-8) become \udcXX escapes inside JSON strings: valid JSON
    # that reads back to the same text.
    with open(path, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as fh:
        batch: list[str] = []
        for chunk in json_chunks(data):
            batch.append(chunk)
            if len(batch) >= 8192:
                fh.write("".join(batch))
                batch.clear()
        batch.append("\n")
        fh.write("".join(batch))


_ENCODER = json.JSONEncoder(ensure_ascii=False, indent=2)
INDENT = "  "


def json_chunks(obj, level: int = 0):
    """The text of `json.dumps(obj, ensure_ascii=False, indent=2)`, in pieces, where `obj` may hold
    summary Rows (read as they are written, never held whole). An item is encoded on its own and
    indented to its place: JSON strings hold no raw line break, so every line break in the encoding is
    one the indentation starts."""
    if isinstance(obj, Rows) or (isinstance(obj, dict) and _holds_rows(obj)):
        is_dict = isinstance(obj, dict)
        items = iter(obj.items()) if is_dict else iter(obj)
        inner = "\n" + INDENT * (level + 1)
        opened = False
        for item in items:
            yield ("{" if is_dict else "[") + inner if not opened else "," + inner
            opened = True
            if is_dict:
                key, value = item
                yield _ENCODER.encode(key) + ": "
                yield from json_chunks(value, level + 1)
            else:
                yield from json_chunks(item, level + 1)
        if opened:
            yield "\n" + INDENT * level + ("}" if is_dict else "]")
        else:
            yield "{}" if is_dict else "[]"
        return
    text = _ENCODER.encode(obj)
    yield text.replace("\n", "\n" + INDENT * level) if level and "\n" in text else text


def _holds_rows(obj) -> bool:
    if isinstance(obj, Rows):
        return True
    if isinstance(obj, dict):
        return any(_holds_rows(v) for v in obj.values())
    return False


_md = markdown_text   # every text from reports or records in summary.md goes through it


def _fact_line(r: dict) -> str:
    what = r["metric"] + (f"/{r['group']}" if r.get("group") else "")
    return (f"| {r['id']} | {_md(what)} | {_md(fmt_number(r['value']))} | {_md(r['scope'])} | {_md(r['period'])} | "
            f"{_md(';'.join(r['districts']) or '—')} | {_md(', '.join(r['reports']))} | {_md(r['reason'])} |")


FACT_HEAD = ["| fact | metric | value | scope | period | districts | reports | reason |",
             "|---|---|---|---|---|---|---|---|"]


def summary_markdown(agg: Aggregation, extra: dict | None = None) -> str:
    return "".join(line + "\n" for line in summary_lines(agg, extra))


def summary_lines(agg: Aggregation, extra: dict | None = None):
    """summary.md line by line (without line ends): a large run writes it without holding it whole."""
    s = summary_view(agg)
    d, fig, st = s["documents"], s["figures"], s["facts_by_status"]
    win = s["window"]
    lines = ["# minemap run summary", ""]
    if win["from"] or win["to"]:
        lines += [f"Time window: {period_text(win['from'], win['to'])} (undated figures are not counted).", ""]
    if s["apportion"] != "none":
        lines += [f"Shared values apportioned ({s['apportion']}) into `<metric>_est` columns: estimates.", ""]
    lines += [
        "## Counts", "",
        "| | |", "|---|---|",
        f"| documents read | {d['read']} |",
        f"| inputs skipped (files, feed lines, figure lines) | {d['skipped']} |",
        f"| documents with figures | {d['with_figures']} |",
        f"| figures found | {fig['found']} |",
        f"| distinct facts | {fig['facts']} |",
        f"| figures merged as duplicates | {fig['merged_duplicates']} |",
    ]
    labels = {
        "summed": "facts summed on the map", "unplaced": "facts with no district (summary only)",
        "snapshot": "latest running totals (snapshots)", "superseded": "older running totals",
        "set_aside": "facts set aside (nested, overlapping or undated periods, in every district they name)",
        "implausible": "facts set aside as implausible", "excluded": "facts outside the time window",
    }
    lines += [f"| {labels[k]} | {st[k]} |" for k in STATUSES]
    lines += [f"| of the summed: attributed to one district | {s['summed']['attributed']} |",
              f"| of the summed: shared by several districts | {s['summed']['shared']} |",
              f"| of the summed: not added in some of their districts | "
              f"{s['summed']['not_added_in_some_districts']} |", ""]
    if extra and extra.get("outputs"):
        lines += ["Files: " + ", ".join(f"`{p}`" for p in extra["outputs"]), ""]
    if s.get("notes"):
        lines += ["## Notes", ""] + [f"- {_md(note)}" for note in s["notes"]] + [""]

    lines += ["## Latest running totals per metric", ""]
    if s["running_totals"]:
        lines += ["| metric | value | as of | since | districts | fact | reports |", "|---|---|---|---|---|---|---|"]
        for r in s["running_totals"]:
            what = r["metric"] + (f"/{r['group']}" if r["group"] else "")
            lines.append(f"| {_md(what)} | {fmt_number(r['value'])} | {_md(r['as_of'] or '—')} | {_md(r['since'] or '—')} | "
                         f"{_md(';'.join(r['districts']) or '—')} | {r['fact']} | {_md(', '.join(r['reports']))} |")
    else:
        lines.append("None.")
    lines += ["", "Running totals are never added to period sums.", ""]

    lines += ["## Figures with no district (not on the map)", ""]
    if s["unplaced"]["totals"]:
        lines += ["| metric | sum of facts | facts |", "|---|---|---|"]
        for r in s["unplaced"]["totals"]:
            what = r["metric"] + (f"/{r['group']}" if r["group"] else "")
            lines.append(f"| {_md(what)} | {fmt_number(r['value'])} | {', '.join(r['facts'])} |")
        lines += ["", *FACT_HEAD]
        yield from lines
        lines.clear()
        yield from (_fact_line(r) for r in s["unplaced"]["facts"])
    else:
        lines.append("None.")
    lines.append("")

    lines += ["## Not added in some districts", "",
              "A fact is not added to a district's value where a longer period of the same metric and group "
              "already counts in it (whatever the other districts of either), where a stated total of people "
              "stands for it as a civilian or military part, or where an undated figure may repeat dated work "
              "(of the 31 days before its report, or of a period that runs over its date). The named-alone "
              "value (lower bound) and the upper bound are judged apart: `CODE (named alone)` and `CODE (upper "
              "bound)` mark a figure naming one district that counts in only one of them.", ""]
    if s["not_added"]:
        lines += ["| fact | metric | value | period | added in | not added in | because of |",
                  "|---|---|---|---|---|---|---|"]
        yield from lines
        lines.clear()
        for r in s["not_added"]:
            what = r["metric"] + (f"/{r['group']}" if r["group"] else "")
            why = "; ".join(f"{d}: {how} {cover}" for d, how, cover in zip(r["not_added_in"], r["how"], r["because_of"]))
            yield (f"| {r['id']} | {_md(what)} | {_md(fmt_number(r['value']))} | {_md(r['period'])} | "
                   f"{_md(';'.join(r['added_in']) or '—')} | {_md(';'.join(r['not_added_in']))} | {_md(why)} |")
    else:
        lines.append("None.")
    lines.append("")

    for key, title in (("implausible", "Implausible (not summed; correct them and run with --figures)"),
                       ("set_aside", "Set aside"), ("undated_summed", "Undated period figures, summed"),
                       ("superseded", "Older running totals"), ("excluded", "Outside the time window")):
        lines += [f"## {title}", ""]
        if s[key]:
            lines += FACT_HEAD
            yield from lines
            lines.clear()
            yield from (_fact_line(r) for r in s[key])
        else:
            lines.append("None.")
        lines.append("")

    lines += ["## Documents", "", "| document | date | outlet | figures | warnings |", "|---|---|---|---|---|"]
    yield from lines
    lines.clear()
    for r in d["list"]:
        yield (f"| {_md(r['doc_id'])} | {_md(r['date'] or '—')} | {_md(r['source'] or '—')} | {r['figures']} | "
               f"{_md('; '.join(r['warnings']))} |")
    lines += ["", "## Skipped inputs", ""]
    if d["skipped_list"]:
        lines += ["| path | reason |", "|---|---|"]
        lines += [f"| {_md(r.get('path') or r.get('doc_id'))} | {_md(r.get('reason'))} |" for r in d["skipped_list"]]
    else:
        lines.append("None.")
    if s.get("districts_not_in_boundaries"):
        lines += ["", "## Districts named by figures but absent from the boundary set", "",
                  _md(", ".join(s["districts_not_in_boundaries"]))]
    yield from lines


def write_summary_md(agg: Aggregation, path: Path, extra: dict | None = None) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.writelines(line + "\n" for line in summary_lines(agg, extra))
