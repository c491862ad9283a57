"""Report text in side outputs that other programs interpret: CSV cells (spreadsheets) and summary.md
(Markdown viewers). Report text is third-party and may be hostile; the JSON outputs keep it unchanged.

CSV, as OWASP recommends against formula injection: a text cell whose first character (after spaces)
would start a formula (= + - @, or their full-width forms) gets a leading apostrophe, which spreadsheets
show as text; a text cell that already starts with an apostrophe gets one more, so that reading the
cell back (`csv_text_back`) is exact. Control characters (\\r, \\t, NUL, ..., U+2028/9) become spaces:
a cell never splits a row for a reader that ends lines at \\r. Numbers are not text cells: -5 stays -5.
Lone surrogates (a file name that is not UTF-8) become U+FFFD here; the JSON outputs write them as
\\uXXXX escapes, which read back to the same text.

Markdown: every character that Markdown or HTML give a meaning to is escaped, so that report text renders
as the same text and never as a tag, link, image or emphasis.
"""
from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# A file name that is not UTF-8 comes in as lone surrogates (os.fsdecode); UTF-8 files cannot hold them.
_SURROGATE = re.compile("[\ud800-\udfff]")


def one_line(text: str) -> str:
    """Control characters and line breaks as spaces, lone surrogates as U+FFFD."""
    return _SURROGATE.sub("\ufffd", _CONTROL.sub(" ", text))


def csv_text(text: str, *, multiline: bool = False) -> str:
    """A text cell safe to open in a spreadsheet. `multiline`: keep \\n (cells listing one item per line)."""
    text = _SURROGATE.sub("\ufffd", (_CONTROL_BUT_NEWLINE if multiline else _CONTROL).sub(" ", text))
    if text.lstrip(" ").startswith(FORMULA_START) or text.startswith("'"):
        return "'" + text
    return text


def csv_text_back(cell: str) -> str:
    """The text of a cell written by `csv_text` (its control characters stay spaces)."""
    return cell[1:] if cell.startswith("'") else cell


# What starts emphasis, code, links and images, strikethrough, math (GitHub renders $...$), or ends a
# table cell, inside a line; line-start syntax (#, -, 1.) cannot occur: a cell never starts a line.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")


def markdown_text(text: object) -> str:
    """Report text for one Markdown table cell: on one line, HTML characters as entities, Markdown
    punctuation backslash-escaped."""
    flat = " ".join(one_line(str(text if text is not None else "")).split())
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", flat)
