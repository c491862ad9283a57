"""PDF (its text layer, with pypdf) and DOCX (with python-docx) -> plain text, and the file's own date.

The text comes out as the same text would be written in a .txt report: paragraphs separated by a blank
line, the lines of a paragraph joined by spaces (a PDF breaks lines where the page ends them, which would
split sentences and numbers). The metadata date is only a fallback: a date line in the text wins, since a
PDF printed or a DOCX saved later carries the later date.
"""
from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from typing import Iterator

_INSTALL = {".pdf": ("pypdf", "pypdf"), ".docx": ("docx", "python-docx")}
# A line that ends in a hyphen after a letter continues in the next one without a space ("anti-\npersonnel").
_HYPHEN_END = re.compile(r"[^\W\d_]-$")
# python-docx's default template stamps every document made from it with this creation time; a DOCX that
# carries it says nothing about when its report was written.
_DOCX_TEMPLATE_CREATED = "2013-12-23T23:15:00"


def read_office(path: str, form: str) -> tuple[str, object, tuple[str, ...]]:
    """(text, metadata date or None, warnings) of a .pdf or .docx file; ValueError when it cannot be read.

    What the libraries log about a damaged file ("EOF marker not found") becomes the document's warnings,
    named with its file like every other reader warning, instead of bare lines on stderr."""
    module, package = _INSTALL[form]
    try:
        __import__(module)
    except ImportError:
        raise ValueError(f"reading {form} files needs the Python package {package}: pip install {package}") from None
    with _library_warnings(module) as said:
        text, created = _read_pdf(path) if form == ".pdf" else _read_docx(path)
    return text, created, tuple(dict.fromkeys(said))


@contextmanager
def _library_warnings(module: str) -> Iterator[list[str]]:
    said: list[str] = []

    class _Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            said.append(f"{module}: {record.getMessage()}"[:200])

    log = logging.getLogger(module)
    handler, propagate = _Keep(logging.WARNING), log.propagate
    log.addHandler(handler)
    log.propagate = False
    try:
        yield said
    finally:
        log.removeHandler(handler)
        log.propagate = propagate


def _read_pdf(path: str) -> tuple[str, object]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValueError("encrypted PDF: cannot read its text without the password")
        pages = [page.extract_text(extraction_mode="layout") for page in reader.pages]
    except PdfReadError as e:
        raise ValueError(f"not a readable PDF: {e}") from None
    try:
        created = reader.metadata.creation_date if reader.metadata else None
    except (ValueError, TypeError, PdfReadError):  # a malformed /CreationDate is no date
        created = None
    return "\n\n".join(paragraphs(p) for p in pages if p.strip()), created


def paragraphs(layout_text: str) -> str:
    """Page text laid out with blank lines between blocks -> one line per paragraph, blank lines between."""
    out = []
    for block in re.split(r"\n[ \t]*\n", layout_text):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        joined = ""
        for line in filter(None, lines):
            if not joined:
                joined = line
            elif _HYPHEN_END.search(joined):
                joined += line
            else:
                joined += " " + line
        if joined:
            out.append(joined)
    return "\n\n".join(out)


def _read_docx(path: str) -> tuple[str, object]:
    import zipfile

    import docx
    from docx.table import Table

    try:
        document = docx.Document(path)
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise ValueError(f"not a readable DOCX: {e}") from None
    blocks = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            # one line per row, cells joined by ": " as for HTML tables, so a number stays with its label
            blocks.append("\n".join(filter(None, (_row_line(row) for row in block.rows))))
        else:
            blocks.append(" ".join(block.text.split()))
    try:
        created = document.core_properties.created
    except ValueError:
        created = None
    if created is not None and created.isoformat().startswith(_DOCX_TEMPLATE_CREATED):
        created = None
    return "\n\n".join(b for b in blocks if b), created


def _row_line(row) -> str:
    cells: list[str] = []
    for cell in row.cells:
        text = " ".join(cell.text.split())
        if text and (not cells or cells[-1] != text):  # a merged cell is listed once per column it spans
            cells.append(text)
    return ": ".join(cells)
