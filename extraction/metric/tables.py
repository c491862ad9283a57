"""Tables: what a cell counts when its row names only a place and its column's header names the metric.

  District | Anti-personnel mines | Anti-tank mines         (a Markdown table, a DOCX or HTML table read as
  Kalbajar | 1,216                | 402                      "District: Hectares" / "Aghdam: 12,500" lines,
  Aghdam   | 874                  | 611                      or columns aligned by tabs or spaces)

A table is two rows or more of one paragraph, cut into the same number of cells (two at least) by the same
separator; its header is the first row whose cells hold no digit (a Markdown rule line "|---|---|" after it is
skipped). Each later row of as many cells gives each of its cells the text of the header cell above it. Which
metric a header names is read as a list label is (`labels.label_before`), or as a unit alone ("Hectares");
that is `candidates.py`'s part, the districts of a row `where.py`'s.
"""
from __future__ import annotations

import re

# cell separators, tried in this order: a Markdown pipe, a tab, ": " (how DOCX and HTML table rows are read),
# two spaces or more (a plain-text table)
_SEPARATORS = (re.compile(r"\s*\|\s*"), re.compile(r"[ ]*\t[ \t]*"), re.compile(r":[ \t]+"), re.compile(r"[ ]{2,}"))
_RULE_LINE = re.compile(r"^[\s|:+-]*-{3,}[\s|:+-]*$")
_DIGIT = re.compile(r"\d")


def _cells(line: str, sep: re.Pattern) -> list[tuple[int, int]]:
    """(start, end) of each non-empty cell of `line` cut by `sep` (the outer pipes of a Markdown row give none)."""
    out, pos = [], 0
    for m in sep.finditer(line):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(line):
        out.append((pos, len(line)))
    return out


def _separator(line: str) -> re.Pattern | None:
    for sep in _SEPARATORS:
        if len(_cells(line, sep)) >= 2:
            return sep
    return None


def column_headers(rows: list[str]) -> list[list[tuple[int, int, str]] | None]:
    """For each of `rows` (the sentences of one paragraph, in order): the (start, end, header) of each of its
    cells under a header of a table, or None for a row that is no such table row."""
    out: list[list[tuple[int, int, str]] | None] = [None] * len(rows)
    if len(rows) < 2:
        return out
    header: tuple[re.Pattern, list[str]] | None = None
    for i, row in enumerate(rows):
        if "\n" in row or len(row) > 300:
            header = None
            continue
        if _RULE_LINE.match(row):
            continue
        sep = header[0] if header is not None else _separator(row)
        if sep is None:
            header = None
            continue
        spans = _cells(row, sep)
        texts = [row[a:b].strip() for a, b in spans]
        if header is None or len(spans) != len(header[1]):
            # a row of words only may head the rows that follow
            header = (sep, texts) if len(spans) >= 2 and not any(_DIGIT.search(t) for t in texts) else None
            continue
        out[i] = [(a, b, h) for (a, b), h in zip(spans, header[1])]
    return out
