"""Bytes of a document -> text, saying how when it was not plain UTF-8.

Order: a byte-order mark decides (UTF-8, UTF-16, UTF-32); else strict UTF-8; else, when the bytes hold
no valid multi-byte UTF-8 sequence at all, they are a legacy 8-bit encoding (Latin-1, Windows-1252,
Windows-1254, ...) and `charset-normalizer` names it; else they are UTF-8 with damaged bytes, read with
replacement characters. Every path but UTF-8 gives a warning that says what was done, so a reader of
the run's summary knows which texts to check.
"""
from __future__ import annotations

import codecs
import re

# UTF-32 first: its little-endian mark starts with UTF-16's.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
         (codecs.BOM_UTF8, "utf-8", None),
         (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"))
# The legacy encodings a report on Azerbaijan comes in: Western (Windows-1252, a superset of Latin-1's
# letters), Turkish/Azerbaijani Latin (Windows-1254) and Cyrillic (Windows-1251, KOI8-R). Left free, the
# detector names Urdu or Central European code pages for a few accented letters.
LEGACY_ENCODINGS = ("cp1252", "cp1254", "cp1251", "koi8_r")
# The bytes where Windows-1254 differs from 1252: ğ ı ş Ğ İ Ş there, Icelandic ð ý þ Ð Ý Þ here. The
# detector cannot tell the two apart by statistics; in reports on Azerbaijan these bytes are the former.
_CP1254_ONLY = re.compile(rb"[\xd0\xdd\xde\xf0\xfd\xfe]")
# C0 controls other than tab and line feed, and DEL: they split CSV rows and terminal lines and mean
# nothing in a report. One character for one keeps the text's length.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_NON_ASCII_DECODED = re.compile(r"[^\x00-\x7f\ufffd]")
_LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


def bom_encoding(head: bytes) -> tuple[str | None, int, str | None]:
    """(codec, length of the mark, name for a warning or None for UTF-8) of a byte-order mark."""
    for bom, codec, name in _BOMS:
        if head.startswith(bom):
            return codec, len(bom), name
    return None, 0, None


def decode(data: bytes, bom: bool = True) -> tuple[str, tuple[str, ...]]:
    """The text of `data` and the warnings that say how it was decoded (none for UTF-8). `bom=False`:
    the bytes are a piece of a file (a feed line), where a byte-order mark cannot be."""
    codec, skip, name = bom_encoding(data[:4]) if bom else (None, 0, None)
    if codec:
        text = data[skip:].decode(codec, errors="replace")
        warnings = (f"decoded as {name} (byte-order mark)",) if name else ()
        if "\ufffd" in text and name:
            warnings = (f"decoded as {name} (byte-order mark), with invalid bytes replaced",)
        return text, warnings
    try:
        return data.decode("utf-8"), ()
    except UnicodeDecodeError as e:
        first_bad = e.start
    replaced = data.decode("utf-8", errors="replace")
    if not _NON_ASCII_DECODED.search(replaced):
        guess = _detect(data)
        if guess is not None:
            return guess
    return replaced, (f"invalid UTF-8 at byte {first_bad}, read with replacement characters",)


def _detect(data: bytes) -> tuple[str, tuple[str, ...]] | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # a dependency, but a broken install should still read the file
        return None
    best = from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None:
        return None
    encoding = best.encoding
    if encoding == "cp1252" and _CP1254_ONLY.search(data):
        encoding = "cp1254"
    return data.decode(encoding, errors="replace"), (
        f"not UTF-8: decoded as {encoding} (detected; check names with accents)",)


def clean_text(text: str) -> str:
    """Line ends made `\\n`, control characters (NUL, ...) made spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub(" ", text)


def clean_field(value, *, spaces: bool = True) -> str | None:
    """A one-line metadata field (id, title, source, url): no control or line-break characters, runs
    of white space made one space (`spaces=False`: removed, for URLs). None and "" stay None."""
    if value is None:
        return None
    text = _LINE_BREAKING.sub(" ", str(value))
    text = " ".join(text.split()) if spaces else "".join(text.split())
    return text or None
