"""Readers: files, folders and stdin -> `Document` (or `DocumentError`), one at a time.

`Document.text` is the text that evidence offsets index into. It is the report body without the
metadata header (the ` date ...` line or the YAML front matter). When a title comes as a separate field
(front matter, JSON Lines, an HTML page whose headline sits outside the article) and the body does not
already start with it, the text is `title + "\\n\\n" + body`, so headline numbers have offsets too; the
extractor treats that first paragraph as the headline (see `extraction.headlines`).

`sources` says what there is to read; `read_source` reads one document (this is the part that runs under
the pipeline's budget); `read_documents` does both, in process, for callers who want documents.
"""
from __future__ import annotations

import json
import re
from datetime import date as _date
from typing import Iterable, Iterator

import yaml

from minemap.extraction.decoding import clean_field, clean_text, decode
from minemap.extraction.html_text import html_to_document_parts
from minemap.extraction.markup import drop_other_stories, markdown_to_text
from minemap.extraction.record import EARLIEST_DATE, LATEST_DATE, Document
from minemap.extraction.sources import DOC_SUFFIXES, GOLD_SUFFIX, DocumentError, Source, iter_sources

__all__ = ["DOC_SUFFIXES", "GOLD_SUFFIX", "Document", "DocumentError", "Source", "UniqueIds", "iso_date",
           "parse_plain", "read_documents", "read_source"]

_HEADER = re.compile(r"^[ \t]*date[ \t]+(\d{4}-\d{2}-\d{2})\b(?:[ \t]+[Bb]y[ \t]+(.*?))?[ \t]*$")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# "Baku, March 22, AZERTAC": a dateline, not a headline
_DATELINE = re.compile(r"^[A-ZÀ-Ý][\w\-]+,\s+(?:\d{1,2}\s+)?[A-Z][a-z]+\.?\s+\d{1,2}\b|^[A-Z]{3,},")
_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)


def iso_date(value) -> str | None:
    """The ISO day of a date-like metadata value ('2024-10-14T10:08:42+04:00', a YAML date), else None."""
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    m = _ISO.search(str(value)[:200])
    if not m:
        return None
    try:
        return _date.fromisoformat(m.group(0)).isoformat()
    except ValueError:  # 2021-13-45, 2021-02-30, 0000-00-00: a bad date is no date
        return None


def checked_date(value, what: str = "date") -> tuple[str | None, tuple[str, ...]]:
    """A document's date and the warning that explains why it was dropped, if it was: a date that is no
    day, or one outside EARLIEST_DATE..LATEST_DATE (a 0001-01-01 placeholder, a 9999 sentinel), which
    calendar arithmetic downstream could not handle and no report carries."""
    if value is None or value == "":
        return None, ()
    day = iso_date(value)
    if day is None:
        return None, (f"bad {what} {str(value)[:40]!r}: read as undated",)
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        return None, (f"{what} {day} is outside {EARLIEST_DATE}..{LATEST_DATE}: read as undated",)
    return day, ()


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
    para = body.strip("\n")[:1000].split("\n\n", 1)[0]
    if "\n" in para or not para.strip():
        return None
    return _headline_like(para.strip())


def _headline_like(line: str) -> str | None:
    if not line or len(line) > 200 or line[-1] in ".!?:;,\"”'’)" or re.match(r"(?i)by\s", line):
        return None
    if len(line.split()) < 3 or _DATELINE.match(line):
        return None
    return line


# the last word of a line that a hard wrap cut inside a sentence ("... were cleared in the")
_WRAPPED = re.compile(r"(?i)(?:\b(?:the|a|an|of|in|on|at|to|for|from|by|with|and|or|as|that|than))$")
_NEW_LINE_START = re.compile(r"[\"“‘(]?[A-Z0-9]")


def _title_line(body: str) -> tuple[str | None, str]:
    """A plain text whose first line is a headline set off from the body by one line break only ("Two soldiers
    wounded by mine in Khojavend" + newline + "Two servicemen ..."): that line as the title, and the text with the
    headline as a paragraph of its own; else (None, the text unchanged)."""
    text = body.strip("\n")
    nl = text.find("\n", 0, 400)
    if nl < 0 or text.startswith("\n", nl + 1):
        return None, body
    line = text[:nl].strip()
    rest = text[nl + 1:].lstrip(" \t")
    if _headline_like(line) is None or _WRAPPED.search(line) or not _NEW_LINE_START.match(rest):
        return None, body
    return line, f"{line}\n\n{rest}"


def _header_line(raw: str, lines: int) -> tuple[dict, str]:
    """The ` date YYYY-MM-DD By Author` line among the first `lines` non-blank lines, and the text
    without it (for .txt the first line only; a PDF or DOCX may put a headline above it)."""
    start = 0
    for _ in range(lines):
        while raw.startswith("\n", start):
            start += 1
        end = raw.find("\n", start)
        end = len(raw) if end < 0 else end
        h = _HEADER.match(raw[start:end]) if end - start < 300 else None
        if h:
            meta = {"date": h.group(1)}
            if h.group(2):
                meta["author"] = h.group(2)
            return meta, raw[:start] + raw[end + 1:]
        start = end + 1
        if start >= len(raw):
            break
    return {}, raw


def parse_plain(raw: str, doc_id: str, path: str | None, date: str | None = None,
                warnings: tuple[str, ...] = (), meta_date=None, header_lines: int = 1,
                markdown: bool = False) -> Document:
    """A .txt, .md, stdin, PDF or DOCX text: ` date YYYY-MM-DD By Author` header line, or YAML front matter,
    or nothing. Its date: the text's, else `meta_date` (a file's own metadata), else `date` (the fallback).
    `markdown`: the body's inline markup is taken out (markup.py)."""
    raw = clean_text(raw)
    meta: dict = {}
    body = raw
    fm = _FRONT.match(raw)
    if fm:
        meta, body = _front_matter(fm), raw[fm.end():]
    else:
        meta, body = _header_line(raw, header_lines)
    doc_date, why = checked_date(meta.get("date"))
    if doc_date is None and meta_date is not None:
        doc_date, why_meta = checked_date(meta_date, "metadata date")
        why += why_meta
    if markdown:
        body = markdown_to_text(body)
    body = drop_other_stories(body)
    title = clean_field(meta.get("title"))
    if markdown and title:     # a front-matter title of a Markdown report may carry markup too
        title = clean_field(markdown_to_text(title))
    text = _join_title(title, body)
    if not title:
        title = _first_line_title(text)
    if not title:
        title, text = _title_line(text)
    return Document(
        doc_id=clean_field(meta.get("id")) or doc_id, text=text, date=doc_date or date, title=title,
        source=clean_field(meta.get("source")) or clean_field(meta.get("author")),
        url=clean_field(meta.get("url"), spaces=False), path=path, warnings=(*warnings, *why),
    )


class _FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text and refuses aliases.

    Dates: PyYAML raises on `date: 2021-13-45`, which would drop the whole report; as text, iso_date()
    rejects the date and the report is read undated with a warning. Aliases: nested ones ("billion
    laughs") expand to gigabytes from a few lines, and a report header has no use for them."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed in front matter",
                                              event.start_mark)
        return super().compose_node(parent, index)


_FrontMatterLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _front_matter(m: re.Match) -> dict:
    try:
        meta = yaml.load(m.group(1), Loader=_FrontMatterLoader) or {}
    except yaml.YAMLError as e:
        raise ValueError(f"bad YAML front matter: {_one_line(e)}") from None
    if not isinstance(meta, dict):
        raise ValueError("bad YAML front matter: not a mapping")
    return meta


def _one_line(e: yaml.YAMLError) -> str:
    mark = getattr(e, "problem_mark", None)
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
    return " ".join(str(getattr(e, "problem", None) or e).split()) + where


def read_source(src: Source, date: str | None = None) -> Document | DocumentError:
    """Read one document. Whatever goes wrong becomes a DocumentError naming it, except MemoryError,
    which the pipeline reports as the memory budget it is."""
    try:
        return _read(src, date)
    except MemoryError:
        raise
    except ValueError as e:
        return DocumentError(src.path, str(e), src.doc_id)
    except Exception as e:  # a reader bug or a parser limit on one file must not end the run
        return DocumentError(src.path, f"cannot read: {type(e).__name__}: {e}", src.doc_id)


def _read(src: Source, date: str | None) -> Document | DocumentError:
    if src.form == "line":
        return _feed_document(src)
    if src.form in (".pdf", ".docx"):
        from minemap.extraction.office import read_office

        text, meta_date, said = read_office(src.file, src.form)
        if not text.strip():
            return DocumentError(src.path, "no text layer (a scanned PDF needs OCR first)" if src.form == ".pdf"
                                 else "empty document", src.doc_id)
        doc = parse_plain(text, src.doc_id, src.path, date, (*src.warnings, *said), meta_date, header_lines=5)
        return doc if doc.text.strip() else DocumentError(src.path, "empty document", doc.doc_id)
    if src.form == "stdin":
        data = src.data
        text, warnings = decode(data) if isinstance(data, bytes) else (data or "", ())
    else:
        try:
            with open(src.file, "rb") as fh:
                data = fh.read()
        except OSError as e:
            return DocumentError(src.path, f"cannot read: {e.strerror or e}", src.doc_id)
        text, warnings = decode(data)
        del data
    warnings = src.warnings + warnings
    if not text.strip():
        return DocumentError(src.path, "empty document", src.doc_id)
    if src.form in (".html", ".htm"):
        parts = html_to_document_parts(clean_text(text))
        body = _join_title(parts.title, drop_other_stories(parts.body))
        if not body.strip():
            return DocumentError(src.path, "no article text found", src.doc_id)
        day, why = None, ()
        for value in parts.dates:
            day, why = checked_date(value)
            if day:
                break
        return Document(doc_id=src.doc_id, text=body, date=day or date, title=clean_field(parts.title),
                        source=clean_field(parts.source), url=clean_field(parts.url, spaces=False), path=src.path,
                        warnings=warnings + why)
    doc = parse_plain(text, src.doc_id, src.path, date, warnings, markdown=src.form == ".md")
    return doc if doc.text.strip() else DocumentError(src.path, "empty document", doc.doc_id)


def _feed_document(src: Source) -> Document | DocumentError:
    if isinstance(src.data, bytes):
        line, warnings = decode(src.data, bom=False)
    else:
        line, warnings = src.data, ()
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as e:
        return DocumentError(src.path, f"not JSON: {e.msg} (column {e.colno})")
    except RecursionError:  # the json module gives up on absurdly deep nesting
        return DocumentError(src.path, "not JSON: nested too deeply")
    if not isinstance(rec, dict):
        return DocumentError(src.path, "not a JSON object")
    doc_id = clean_field(rec.get("id"))
    body = rec.get("text")
    if doc_id is None or not isinstance(body, str):
        missing = [k for k in ("id", "text") if clean_field(rec.get(k)) is None]
        return DocumentError(src.path, f"missing required field(s): {', '.join(missing) or 'text'}", doc_id)
    if not body.strip():
        return DocumentError(src.path, "empty document", doc_id)
    title = clean_field(rec.get("title"))
    day, why = checked_date(rec.get("date"))
    return Document(
        doc_id=doc_id, text=_join_title(title, drop_other_stories(clean_text(body))), date=day, title=title,
        source=clean_field(rec.get("source")), url=clean_field(rec.get("url"), spaces=False), path=src.path,
        warnings=src.warnings + warnings + why,
    )


class UniqueIds:
    """Gives every document of a run its own id, in reading order: a document whose id was already used
    (a feed line reusing a report's id, two files with one name in two folders) keeps its figures under
    `<id>~2` (then ~3, ...) and says so in a warning. Both documents stay; neither is dropped."""

    def __init__(self) -> None:
        self._used: dict[str, str] = {}  # id -> path of the document that has it

    def __call__(self, doc: Document) -> Document:
        first = self._used.get(doc.doc_id)
        if first is None:
            self._used[doc.doc_id] = doc.path or doc.doc_id
            return doc
        n = 2
        while f"{doc.doc_id}~{n}" in self._used:
            n += 1
        new = f"{doc.doc_id}~{n}"
        self._used[new] = doc.path or new
        note = f"duplicate document id {doc.doc_id!r} (already used by {first}): its figures are under id {new!r}"
        return Document(doc_id=new, text=doc.text, date=doc.date, title=doc.title, source=doc.source, url=doc.url,
                        path=doc.path, warnings=(*doc.warnings, note))


def read_documents(paths: Iterable, date: str | None = None, stdin=None) -> Iterator[Document | DocumentError]:
    """Stream documents from files, folders (recursive, sorted) and "-", in process and without budgets
    (`minemap.extraction.pipeline.extract_stream` adds those). Other files found in folders, folders that
    cannot be listed and symbolic link loops come as DocumentErrors saying why; hidden files and gold
    annotations (`*.gold.jsonl`) are passed over. `date` is the fallback publication date for documents
    that carry none (stdin mostly)."""
    unique = UniqueIds()
    for src in iter_sources(paths, stdin):
        item = read_source(src, date) if isinstance(src, Source) else src
        yield unique(item) if isinstance(item, Document) else item
