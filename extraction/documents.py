"""Readers: files, folders and stdin -> `Document` (or `DocumentError`), one at a time.

`Document.text` is the text that evidence offsets index into. It is the report body without the
metadata header (the ` date ...` line or the YAML front matter). When a title comes as a separate field
(front matter, JSON Lines, an HTML page whose headline sits outside the article) and the body does not
already start with it, the text is `title + "\\n\\n" + body`, so headline numbers have offsets too; the
extractor treats that first paragraph as the headline (see `extraction.headlines`).
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path
from typing import Iterable, Iterator

import yaml

from minemap.extraction.html_text import html_to_document_parts
from minemap.extraction.record import Document

DOC_SUFFIXES = {".txt", ".md", ".html", ".htm", ".jsonl"}
GOLD_SUFFIX = ".gold.jsonl"

_HEADER = re.compile(r"^[ \t]*date[ \t]+(\d{4}-\d{2}-\d{2})\b(?:[ \t]+[Bb]y[ \t]+(.*?))?[ \t]*$")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# "Baku, March 22, AZERTAC": a dateline, not a headline
_DATELINE = re.compile(r"^[A-ZÀ-Ý][\w\-]+,\s+(?:\d{1,2}\s+)?[A-Z][a-z]+\.?\s+\d{1,2}\b|^[A-Z]{3,},")
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


@dataclass(frozen=True)
class DocumentError:
    """A document that could not be read; the run goes on without it."""
    path: str
    reason: str
    doc_id: str | None = None

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def iso_date(value) -> str | None:
    """The ISO day of a date-like metadata value ('2024-10-14T10:08:42+04:00', a YAML date), else None."""
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    m = _ISO.search(str(value))
    if not m:
        return None
    try:
        return _date.fromisoformat(m.group(0)).isoformat()
    except ValueError:  # 2021-13-45, 2021-02-30, 0000-00-00: a bad date is no date
        return None


def _decode(data: bytes) -> tuple[str, tuple[str, ...]]:
    try:
        text = data.decode("utf-8")
        warnings: tuple[str, ...] = ()
    except UnicodeDecodeError as e:
        text = data.decode("utf-8", errors="replace")
        warnings = (f"invalid UTF-8 at byte {e.start}, read with replacement characters",)
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n"), warnings


def _join_title(title: str | None, body: str) -> str:
    body = body.strip("\n")
    if not title:
        return body
    title = " ".join(title.split())
    if " ".join(body[: len(title) + 20].split()).startswith(title):
        return body
    return f"{title}\n\n{body}"


def _first_line_title(body: str) -> str | None:
    """A first paragraph of one short line without end punctuation is the headline of a plain text."""
    para = body.strip("\n").split("\n\n", 1)[0]
    if "\n" in para or not para.strip():
        return None
    line = para.strip()
    if len(line) > 200 or line[-1] in ".!?:;,\"”'’)" or re.match(r"(?i)by\s", line):
        return None
    if len(line.split()) < 3 or _DATELINE.match(line):
        return None
    return line


def parse_plain(raw: str, doc_id: str, path: str | None, date: str | None = None,
                warnings: tuple[str, ...] = ()) -> Document:
    """A .txt or stdin text: ` date YYYY-MM-DD By Author` header line, or YAML front matter, or nothing."""
    meta: dict = {}
    body = raw
    fm = _FRONT.match(raw)
    if fm:
        meta, body = _front_matter(fm), raw[fm.end():]
    else:
        first, _, rest = raw.lstrip("\n").partition("\n")
        h = _HEADER.match(first)
        if h:
            meta = {"date": h.group(1)}
            if h.group(2):
                meta["author"] = h.group(2)
            body = rest
    doc_date = iso_date(meta.get("date"))
    if meta.get("date") is not None and doc_date is None:
        warnings = (*warnings, f"bad date {str(meta.get('date'))[:40]!r}: read as undated")
    doc_date = doc_date or date
    title = meta.get("title")
    text = _join_title(str(title) if title else None, body)
    if not title:
        title = _first_line_title(text)
    return Document(
        doc_id=str(meta.get("id") or doc_id), text=text, date=doc_date,
        title=str(title) if title else None, source=_str(meta.get("source")) or _str(meta.get("author")),
        url=_str(meta.get("url")), path=path, warnings=warnings,
    )


def _str(v) -> str | None:
    return None if v is None else str(v)


class _TextDatesLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text: PyYAML raises on `date: 2021-13-45`, which would drop the
    whole report; as text, iso_date() rejects the date and the report is read undated with a warning."""


_TextDatesLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _front_matter(m: re.Match) -> dict:
    try:
        meta = yaml.load(m.group(1), Loader=_TextDatesLoader) or {}
    except yaml.YAMLError as e:
        raise ValueError(f"bad YAML front matter: {e}") from None
    if not isinstance(meta, dict):
        raise ValueError("bad YAML front matter: not a mapping")
    return meta


def _read_file(path: Path, date: str | None) -> Iterator[Document | DocumentError]:
    suffix = path.suffix.lower()
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    try:
        data = path.read_bytes()
    except OSError as e:
        yield DocumentError(str(path), f"cannot read: {e.strerror or e}")
        return
    text, warnings = _decode(data)
    if suffix == ".jsonl":
        yield from _read_jsonl(path, text, warnings)
        return
    if not text.strip():
        yield DocumentError(str(path), "empty document", stem)
        return
    try:
        if suffix in (".html", ".htm"):
            parts = html_to_document_parts(text)
            body = _join_title(parts.title, parts.body)
            if not body.strip():
                yield DocumentError(str(path), "no article text found", stem)
                return
            yield Document(doc_id=stem, text=body, date=parts.date or date, title=parts.title,
                           source=parts.source, url=parts.url, path=str(path), warnings=warnings)
        else:
            doc = parse_plain(text, stem, str(path), date, warnings)
            if not doc.text.strip():
                yield DocumentError(str(path), "empty document", doc.doc_id)
                return
            yield doc
    except ValueError as e:
        yield DocumentError(str(path), str(e), stem)


def _read_jsonl(path: Path, text: str, warnings: tuple[str, ...]) -> Iterator[Document | DocumentError]:
    if not text.strip():
        yield DocumentError(str(path), "empty document")
        return
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            yield DocumentError(where, f"not JSON: {e.msg} (column {e.colno})")
            continue
        except RecursionError:  # the json module gives up on absurdly deep nesting
            yield DocumentError(where, "not JSON: nested too deeply")
            continue
        if not isinstance(rec, dict):
            yield DocumentError(where, "not a JSON object")
            continue
        doc_id = rec.get("id")
        body = rec.get("text")
        if doc_id in (None, "") or not isinstance(body, str):
            missing = [k for k in ("id", "text") if rec.get(k) in (None, "")]
            yield DocumentError(where, f"missing required field(s): {', '.join(missing) or 'text'}",
                                None if doc_id in (None, "") else str(doc_id))
            continue
        if not body.strip():
            yield DocumentError(where, "empty document", str(doc_id))
            continue
        title = rec.get("title")
        title = " ".join(str(title).split()) if title else None
        body = body.replace("\r\n", "\n").replace("\r", "\n")
        yield Document(
            doc_id=str(doc_id), text=_join_title(title, body), date=iso_date(rec.get("date")), title=title,
            source=_str(rec.get("source")), url=_str(rec.get("url")), path=where, warnings=warnings,
        )


def _walk(folder: Path) -> Iterator[Path]:
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError:
        return
    for p in entries:
        if p.name.startswith("."):
            continue
        if p.is_dir():
            yield from _walk(p)
        elif p.name.endswith(GOLD_SUFFIX) or p.suffix.lower() not in DOC_SUFFIXES:
            continue
        else:
            yield p


def read_documents(paths: Iterable[str | Path], date: str | None = None,
                   stdin=None) -> Iterator[Document | DocumentError]:
    """Stream documents from files, folders (recursive, sorted, hidden and gold files skipped) and "-".

    `date` is the fallback publication date for documents that carry none (stdin mostly).
    """
    for raw in paths:
        if str(raw) == "-":
            stream = stdin if stdin is not None else sys.stdin
            data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
            text, warnings = _decode(data) if isinstance(data, bytes) else (data, ())
            if not text.strip():
                yield DocumentError("-", "empty document", "stdin")
                continue
            try:
                yield parse_plain(text, "stdin", "-", date, warnings)
            except ValueError as e:
                yield DocumentError("-", str(e), "stdin")
            continue
        path = Path(raw)
        if path.is_dir():
            for f in _walk(path):
                yield from _read_file(f, date)
        elif path.is_file():
            if path.name.endswith(GOLD_SUFFIX):
                continue
            yield from _read_file(path, date)
        else:
            yield DocumentError(str(path), "no such file or folder")
