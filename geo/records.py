"""Reviewed figure records back into a run (`minemap run --figures FILE`).

An analyst corrects or deletes wrong lines of a run's figures.jsonl (or a CSV with the same columns) and
renders again. Each line is checked on its own: a line that is not a valid record is reported by file
and line number and left out; the others are used. The run's documents.csv (outlet, date, title and
link of each report) restores what tooltips and popups show; without it those fields are absent.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

from minemap.extraction.record import Document, Figure
from minemap.safe_text import csv_text_back

DOCUMENT_COLUMNS = ["doc_id", "date", "outlet", "title", "url", "path"]
# CSV columns of a figure record; `districts` joins codes with ";", `evidence` is the sentence, and
# `evidence_start`/`evidence_end` are optional.
FIGURE_CSV_COLUMNS = ["doc_id", "metric", "value", "qualifier", "scope", "period_start", "period_end",
                      "districts", "group", "actor", "period_inferred", "evidence", "evidence_start",
                      "evidence_end"]
REQUIRED = ("doc_id", "metric", "value")


def read_figures(path: str | Path) -> tuple[list[Figure], list[dict]]:
    """Figure records from a JSON Lines file (as figures.jsonl) or a CSV file (FIGURE_CSV_COLUMNS).

    Returns (records, skipped) where skipped lists each unusable line as {path, doc_id, reason} with
    `path` = "FILE:LINE". A file that cannot be opened or parsed at all raises ValueError naming it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ValueError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    rows = _csv_rows(path, text) if path.suffix.lower() == ".csv" else _jsonl_rows(path, text)
    figures: list[Figure] = []
    skipped: list[dict] = []
    for where, row in rows:
        if isinstance(row, str):
            skipped.append({"path": where, "doc_id": None, "reason": row})
            continue
        try:
            figures.append(_figure(row))
        except (KeyError, TypeError, ValueError) as exc:
            reason = f"missing field {exc.args[0]!r}" if isinstance(exc, KeyError) else str(exc)
            skipped.append({"path": where, "doc_id": _text(row.get("doc_id")), "reason": f"not a figure record: {reason}"})
    return figures, skipped


def _jsonl_rows(path: Path, text: str):
    # Lines end at \n only: str.splitlines would also cut at U+2028, \x85, \x1c ..., which JSON strings
    # may hold as they are (report text does).
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            rec = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            yield where, f"not JSON: {getattr(exc, 'msg', 'nested too deeply')}"
            continue
        yield where, rec if isinstance(rec, dict) else "not a JSON object"


def _csv_rows(path: Path, text: str):
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"{path}: not a figures CSV: no column(s) {', '.join(missing)}")
    for row in reader:
        rec: dict = {k: (v if v != "" else None) for k, v in row.items() if k is not None}
        rec["districts"] = [d.strip() for d in (rec.get("districts") or "").replace(",", ";").split(";") if d.strip()]
        if rec.get("evidence") is not None or rec.get("evidence_start") is not None:
            text_ = rec.get("evidence") or ""
            rec["evidence"] = {"start": rec.get("evidence_start") or 0,
                               "end": rec.get("evidence_end") or len(text_), "text": text_}
        if rec.get("period_inferred") is not None:
            rec["period_inferred"] = str(rec["period_inferred"]).strip().lower() in ("true", "1", "yes")
        yield f"{path}:{reader.line_num}", rec


def _figure(rec: dict) -> Figure:
    for key in REQUIRED:
        if rec.get(key) in (None, ""):
            raise KeyError(key)
    value = rec["value"]
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"value {value!r} is not a number")
    try:
        rec = dict(rec, value=float(value))
    except ValueError:
        raise ValueError(f"value {value!r} is not a number") from None
    if not isinstance(rec.get("districts") or [], list):
        raise ValueError("districts is not a list of codes")
    return Figure.from_dict(rec)


def _text(v) -> str | None:
    return None if v is None else str(v)


def read_documents_csv(path: str | Path) -> dict[str, Document]:
    """doc_id -> Document (metadata only) from a run's documents.csv."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise ValueError(f"{path}: cannot read: {exc.strerror or exc}") from None
    docs = {}
    for row in rows:
        doc_id = row.get("doc_id")
        if not doc_id:
            continue
        row = {k: csv_text_back(v) if isinstance(v, str) else v for k, v in row.items()}
        doc_id = row["doc_id"]
        docs[doc_id] = Document(doc_id, "", date=row.get("date") or None, source=row.get("outlet") or None,
                                title=row.get("title") or None, url=row.get("url") or None,
                                path=row.get("path") or None)
    return docs
