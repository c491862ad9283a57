"""Inputs -> sources: what there is to read, one document at a time, and what is not a document.

Folders are walked in name order, each real folder once (symbolic link loops and second paths to a
folder or file are reported, not followed again). Hidden files and folders and `*.gold.jsonl` (gold
annotations) are not documents and are passed over without a word; every other file that minemap does
not read, every folder that cannot be listed and every special file (pipe, socket, device: reading one
would block) is reported as a `DocumentError` with its reason, so nothing is left out silently.

A `.jsonl` feed is one input but many documents: `expand` streams it line by line, so a feed of any
size is never held whole. Nothing here parses a document: that happens in `documents.read_source`,
under the pipeline's time and memory budget.
"""
from __future__ import annotations

import io
import os
import re
import stat
from dataclasses import dataclass
from typing import Iterable, Iterator

from minemap.extraction.decoding import bom_encoding, clean_field

DOC_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl", ".pdf", ".docx")
GOLD_SUFFIX = ".gold.jsonl"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class DocumentError:
    """An input that gave no document; the run goes on without it and lists it.

    `kind`: "read" (a document that could not be read), "extract" (extraction failed or went over its
    budget) or "skip" (not a document: another file type, a special file, a folder already read)."""
    path: str
    reason: str
    doc_id: str | None = None
    kind: str = "read"

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True)
class Source:
    """One document to read. `path` names it in messages and outputs (printable text); `file` is what
    to open (an OS path, possibly not valid UTF-8); `data` holds a feed line's or stdin's content."""
    path: str
    doc_id: str
    form: str                       # a suffix of DOC_SUFFIXES, "line" (one feed line) or "stdin"
    file: str | None = None
    data: bytes | str | None = None
    warnings: tuple[str, ...] = ()


def printable(name: str) -> str:
    """A path as text every output can hold: bytes that are not UTF-8 (which Python keeps as lone
    surrogates) and control characters are written as \\xNN."""
    text = os.fsencode(name).decode("utf-8", errors="backslashreplace")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def iter_inputs(paths: Iterable, stdin=None) -> Iterator[Source | DocumentError]:
    """Files, folders (recursive) and "-" -> one Source per document file or feed, in reading order."""
    seen: dict[tuple[int, int], str] = {}  # (device, inode) of each folder and file read -> its path
    for raw in paths:
        if str(raw) == "-":
            yield _stdin_source(stdin)
            continue
        path = os.fspath(raw)
        try:
            st = os.stat(path)
        except FileNotFoundError:
            yield DocumentError(printable(path), "no such file or folder")
            continue
        except OSError as e:
            yield DocumentError(printable(path), f"cannot read: {e.strerror or e}")
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(path, st, seen)
        elif os.path.basename(path).endswith(GOLD_SUFFIX):
            continue
        else:
            yield _file(path, st, seen, named=True)


def expand(item: Source | DocumentError) -> Iterator[Source | DocumentError]:
    """A feed -> one Source per non-blank line (streamed); anything else as it is."""
    if isinstance(item, Source) and item.form == ".jsonl":
        yield from _feed_lines(item)
    else:
        yield item


def iter_sources(paths: Iterable, stdin=None) -> Iterator[Source | DocumentError]:
    """Every document under `paths`, one Source each (feeds line by line), and what was passed over."""
    for item in iter_inputs(paths, stdin):
        yield from expand(item)


def _stdin_source(stdin) -> Source:
    import sys

    stream = stdin if stdin is not None else sys.stdin
    data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
    return Source(path="-", doc_id="stdin", form="stdin", data=data)


def _walk(top: str, top_stat: os.stat_result, seen: dict) -> Iterator[Source | DocumentError]:
    # An explicit stack, not recursion: a folder tree thousands deep must not end the run.
    if (err := _visit(top, top_stat, seen)) is not None:
        yield err
        return
    stack = [_entries(top)]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        if isinstance(entry, DocumentError):
            yield entry
            continue
        if entry.name.startswith("."):
            continue
        try:
            st = os.stat(entry.path)          # follows symbolic links
        except FileNotFoundError:
            yield DocumentError(printable(entry.path), "broken symbolic link", kind="skip")
            continue
        except OSError as e:
            yield DocumentError(printable(entry.path), f"cannot read: {e.strerror or e}")
            continue
        if stat.S_ISDIR(st.st_mode):
            if (err := _visit(entry.path, st, seen)) is not None:
                yield err
            else:
                stack.append(_entries(entry.path))
        elif not entry.name.endswith(GOLD_SUFFIX):
            yield _file(entry.path, st, seen, named=False)


def _visit(folder: str, st: os.stat_result, seen: dict) -> DocumentError | None:
    key = (st.st_dev, st.st_ino)
    if key in seen:
        return DocumentError(printable(folder), f"folder already read as {seen[key]} (a symbolic link loop or "
                                                "a second path to it)", kind="skip")
    seen[key] = printable(folder)
    return None


def _entries(folder: str) -> Iterator[os.DirEntry | DocumentError]:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as e:
        yield DocumentError(printable(folder), f"cannot list folder: {e.strerror or e}: its documents are not read")
        return
    yield from entries


def _file(path: str, st: os.stat_result, seen: dict, named: bool) -> Source | DocumentError:
    shown = printable(path)
    name = os.path.basename(path)
    stem, dot, ext = name.rpartition(".")
    suffix = f".{ext.lower()}" if dot and stem else ""
    if not stat.S_ISREG(st.st_mode):
        return DocumentError(shown, "not a regular file (a pipe, socket or device)",
                             kind="read" if named else "skip")
    if suffix not in DOC_SUFFIXES and (suffix or not named):
        what = f"{suffix} files" if suffix else "files without an extension"
        return DocumentError(shown, f"not a document minemap reads ({what}; it reads "
                                    f"{' '.join(DOC_SUFFIXES)})", kind="read" if named else "skip")
    key = (st.st_dev, st.st_ino)
    if key in seen:
        return DocumentError(shown, f"same file as {seen[key]}, already read", kind="skip")
    seen[key] = shown
    warnings = ()
    if printable(name) != name:
        warnings = (f"file name is not valid UTF-8 or holds control characters: named {printable(name)!r} here",)
    doc_id = clean_field(printable(stem if suffix else name)) or "document"
    return Source(path=shown, doc_id=doc_id, form=suffix or ".txt", file=path, warnings=warnings)


def _feed_lines(feed: Source) -> Iterator[Source | DocumentError]:
    try:
        fh = open(feed.file, "rb")
    except OSError as e:
        yield DocumentError(feed.path, f"cannot read: {e.strerror or e}")
        return
    with fh:
        codec, skip, name = bom_encoding(fh.read(4))
        fh.seek(skip)
        warnings = feed.warnings + ((f"feed decoded as {name} (byte-order mark)",) if name else ())
        # UTF-16/32 lines must be split as text; UTF-8 ones as bytes (each decoded on its own, so one bad
        # line does not spoil the others)
        lines = io.TextIOWrapper(fh, encoding=codec, errors="replace") if name else fh
        blank = True
        for n, line in enumerate(lines, 1):
            if line.strip():
                blank = False
                yield Source(path=f"{feed.path}:{n}", doc_id=f"{feed.doc_id}:{n}", form="line", data=line,
                             warnings=warnings)
    if blank:
        yield DocumentError(feed.path, "empty document", feed.doc_id)
