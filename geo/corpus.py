"""The documents and figure records of a run, kept compact while they are read.

A large run reads hundreds of thousands of records; as Python objects (a Figure, its Evidence, strings)
each costs about a kilobyte. Here a record is a row of small arrays — its document, metric, group,
scope and qualifier as codes, value, district list as an interned code, period as day numbers, the
evidence offsets — and its text (the evidence sentence, and the value and dates as written) goes to the
run's store on disk (geo.run_store), as does each document's metadata. The records themselves, for
figures.jsonl and `Run.figures`, are spooled as JSON lines to a temporary file.

The arrays are what geo.facts merges into facts; nothing here interprets a record.
"""
from __future__ import annotations

import json
import tempfile
from array import array
from collections.abc import Mapping
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from minemap.errors import RunError
from minemap.extraction.record import (EARLIEST_DATE, GROUPS, LATEST_DATE, METRICS, QUALIFIERS, SCOPES, Document,
                                       Figure)
from minemap.facts import parse_date

GROUP_NAMES: tuple[str | None, ...] = (None, *GROUPS)        # code 0: no group
METRIC_CODE = {m: i for i, m in enumerate(METRICS)}
GROUP_CODE = {g: i for i, g in enumerate(GROUP_NAMES)}
SCOPE_CODE = {s: i for i, s in enumerate(SCOPES)}
QUALIFIER_CODE = {q: i for i, q in enumerate(QUALIFIERS)}


def _ranks(names) -> np.ndarray:
    """code -> rank of its name in sorted order (sort keys compare names, as the records' strings did)."""
    order = sorted(range(len(names)), key=lambda i: names[i])
    rank = np.empty(len(names), dtype=np.int16)
    rank[order] = np.arange(len(names))
    return rank


METRIC_RANK = _ranks(METRICS)
SCOPE_RANK = _ranks(SCOPES)
QUALIFIER_RANK = _ranks(QUALIFIERS)
# groups sort as `group or ""`: none, civilian, military — their codes' order


def day(d) -> int:
    """A date as its day number (proleptic ordinal); 0 for none."""
    return d.toordinal() if d is not None else 0


def _date_note(name: str, raw) -> str:
    return (f"{name} {str(raw)[:20]!r} is not a date between {EARLIEST_DATE} and {LATEST_DATE}: "
            "treated as missing")


class Interner:
    """Values -> small codes, first seen first."""

    def __init__(self) -> None:
        self.values: list = []
        self._codes: dict = {}

    def __call__(self, value) -> int:
        code = self._codes.get(value)
        if code is None:
            code = self._codes[value] = len(self.values)
            self.values.append(value)
        return code

    def __len__(self) -> int:
        return len(self.values)


class DistrictLists:
    """The distinct district lists of a run (tuples of codes, as records name them), with their codes
    as arrays: `length[k]`, and the district codes of list k at `flat[start[k]:start[k] + length[k]]`."""

    def __init__(self) -> None:
        self.names = Interner()        # district code (AZ-AGM) -> int
        self.lists = Interner()        # tuple of district codes -> int
        self._flat = array("i")
        self._start = array("i")
        self._length = array("i")
        self._rank: np.ndarray | None = None

    def __call__(self, districts: tuple[str, ...]) -> int:
        n = len(self.lists)
        code = self.lists(districts)
        if code == n:
            self._start.append(len(self._flat))
            self._length.append(len(districts))
            self._flat.extend(self.names(d) for d in districts)
            self._rank = None
        return code

    def tuple(self, code: int) -> tuple[str, ...]:
        return self.lists.values[code]

    @property
    def length(self) -> np.ndarray:
        return np.frombuffer(self._length, dtype=np.int32) if self._length else np.zeros(0, np.int32)

    @property
    def start(self) -> np.ndarray:
        return np.frombuffer(self._start, dtype=np.int32) if self._start else np.zeros(0, np.int32)

    @property
    def flat(self) -> np.ndarray:
        return np.frombuffer(self._flat, dtype=np.int32) if self._flat else np.zeros(0, np.int32)

    @property
    def rank(self) -> np.ndarray:
        """list code -> rank of the tuple in sorted order."""
        if self._rank is None:
            self._rank = _ranks(self.lists.values).astype(np.int32) if len(self.lists) else np.zeros(0, np.int32)
        return self._rank


class _Offsets:
    """Evidence offsets: 64-bit integers, or Python integers if a record holds a larger one (a figures
    file may); only their order is used."""

    def __init__(self) -> None:
        self.values: array | list = array("q")

    def append(self, v: int) -> None:
        try:
            self.values.append(v)
        except OverflowError:
            self.values = list(self.values)
            self.values.append(v)

    def keys(self) -> np.ndarray:
        if isinstance(self.values, array):
            return np.frombuffer(self.values, dtype=np.int64) if self.values else np.zeros(0, np.int64)
        rank = {v: r for r, v in enumerate(sorted(set(self.values)))}
        return np.fromiter((rank[v] for v in self.values), dtype=np.int64, count=len(self.values))


class Corpus:
    """Documents and figure records as they are read (`add`), then `finish()`ed into arrays."""

    def __init__(self) -> None:
        from minemap.run_store import RunStore

        self.store = RunStore()
        self.dlists = DistrictLists()
        # per document
        self._doc_day = array("i")          # publication day number, 0 = none
        self._doc_date = array("i")         # code of the publication date as written (dates.values)
        self._doc_figures = array("i")      # number of records
        self.dates = Interner()
        self.dates("")                      # code 0: no date (sorts first, as "" did)
        # per record
        self._doc = array("i")
        self._metric, self._group, self._scope, self._qualifier = array("b"), array("b"), array("b"), array("b")
        self._value = array("d")
        self._dlist = array("i")
        self._start, self._end = array("i"), array("i")
        self._inferred = array("b")
        self._ev_start, self._ev_end = _Offsets(), _Offsets()
        self.notes: dict[int, tuple[str, ...]] = {}      # record -> problems with its own dates
        self._spool = _Spool()
        self.finished = False

    # ---------------------------------------------------------------------------------------- reading

    @property
    def n_docs(self) -> int:
        return len(self._doc_day)

    @property
    def n_records(self) -> int:
        return len(self._doc)

    def add_document(self, doc: Document) -> int:
        i = self.n_docs
        self.store.add_document(i, (doc.doc_id, doc.date, doc.title, doc.source, doc.url, doc.path,
                                    tuple(doc.warnings)))
        self._doc_day.append(day(parse_date(doc.date)))
        self._doc_date.append(self.dates(doc.date or ""))
        self._doc_figures.append(0)
        return i

    def add_records(self, doc: int, figures: Iterable[Figure]) -> None:
        """Records of document `doc` (an index from add_document), for the aggregation."""
        rows = []
        for fig in figures:
            i = self.n_records
            self._doc.append(doc)
            self._metric.append(METRIC_CODE[fig.metric])
            self._group.append(GROUP_CODE[fig.group])
            self._scope.append(SCOPE_CODE[fig.scope])
            self._qualifier.append(QUALIFIER_CODE[fig.qualifier])
            self._value.append(float(fig.value))
            self._dlist.append(self.dlists(tuple(fig.districts)))
            days, notes = [], []
            for name in ("period_start", "period_end"):
                raw = getattr(fig, name)
                d = parse_date(raw)
                if raw is not None and d is None:
                    notes.append(_date_note(name, raw))
                days.append(day(d))
            self._start.append(days[0])
            self._end.append(days[1])
            # period_inferred is optional (extraction/README.md): records (and older Figure objects)
            # without it are stated.
            self._inferred.append(bool(getattr(fig, "period_inferred", False)) and any(days))
            self._ev_start.append(fig.evidence.start)
            self._ev_end.append(fig.evidence.end)
            if notes:
                self.notes[i] = tuple(notes)
            self._doc_figures[doc] += 1
            rows.append((i, (fig.evidence.text, float(fig.value), fig.qualifier, fig.period_start,
                             fig.period_end)))
        if rows:
            self.store.add_records(rows)

    def spool(self, doc: int, figures: Iterable[Figure]) -> None:
        """A document's records as figures.jsonl lines (documents in id order when written)."""
        self._spool.add(doc, figures)

    def finish(self) -> "Corpus":
        """Arrays and orders, once every document and record is in."""
        if self.finished:
            return self
        self.store.finish()
        n = self.n_docs
        self.doc_rank = np.empty(n, dtype=np.int32)      # document -> its place in document id order
        self.doc_rank[np.fromiter(self.store.ids_in_order(), dtype=np.int64, count=n)] = np.arange(n)
        self.doc_day = _np(self._doc_day, np.int32)
        date_rank = _ranks(self.dates.values).astype(np.int32)
        self.doc_date_rank = date_rank[_np(self._doc_date, np.int32)]
        self.doc_figures = _np(self._doc_figures, np.int32)
        self.doc = _np(self._doc, np.int32)
        self.metric = _np(self._metric, np.int8)
        self.group = _np(self._group, np.int8)
        self.scope = _np(self._scope, np.int8)
        self.qualifier = _np(self._qualifier, np.int8)
        self.value = _np(self._value, np.float64)
        self.dlist = _np(self._dlist, np.int32)
        self.start = _np(self._start, np.int32)
        self.end = _np(self._end, np.int32)
        self.inferred = _np(self._inferred, np.int8).astype(bool)
        self.ev_start, self.ev_end = self._ev_start.keys(), self._ev_end.keys()
        self.finished = True
        return self

    def drop_records(self) -> None:
        """Let go of the per-record arrays that only merging needs (facts keep what they use). The evidence
        offsets stay: they tell which counts of people one sentence states (geo.periods, INCLUDED)."""
        for name in ("metric", "group", "scope", "qualifier", "value", "dlist", "start", "end", "inferred",
                     "_metric", "_group", "_scope", "_qualifier", "_value", "_dlist", "_start", "_end",
                     "_inferred"):
            setattr(self, name, None)

    # -------------------------------------------------------------------------------------- documents

    def document(self, i: int) -> Document:
        return _document(self.store.document(i))

    @property
    def documents(self) -> "DocumentMap":
        return DocumentMap(self)

    # ------------------------------------------------------------------------------------ the records

    def write_figures(self, path: Path) -> None:
        self._spool.write(path, self.doc_rank_order())

    def iter_figures(self) -> Iterator[Figure]:
        return self._spool.figures(self.doc_rank_order())

    def doc_rank_order(self) -> np.ndarray:
        order = np.empty(self.n_docs, dtype=np.int64)
        order[self.doc_rank] = np.arange(self.n_docs)
        return order

    def close(self) -> None:
        self.store.close()
        self._spool.close()


def _np(values: array, dtype) -> np.ndarray:
    # a view of the array's buffer (no copy); an empty array has no buffer to view
    return np.frombuffer(values, dtype=dtype) if len(values) else np.zeros(0, dtype=dtype)


def _document(row: tuple) -> Document:
    doc_id, date, title, source, url, path, warnings = row
    return Document(doc_id, "", date=date, title=title, source=source, url=url, path=path, warnings=warnings)


class DocumentMap(Mapping):
    """doc_id -> Document (metadata; no text) of a run, read from its store: `Run.documents`. Iterates
    in reading order, as the dict it stands for did."""

    def __init__(self, corpus: Corpus) -> None:
        self._corpus = corpus

    def __getitem__(self, doc_id: str) -> Document:
        i = self._corpus.store.find(doc_id) if isinstance(doc_id, str) else None
        if i is None:
            raise KeyError(doc_id)
        return self._corpus.document(i)

    def __iter__(self) -> Iterator[str]:
        for _, row in self._corpus.store.in_index_order():
            yield row[0]

    def __len__(self) -> int:
        return self._corpus.n_docs

    def items_by_id(self) -> Iterator[tuple[str, Document]]:
        """(doc_id, Document) in document id order."""
        for _, row in self._corpus.store.in_id_order():
            yield row[0], _document(row)

    def __repr__(self) -> str:
        return f"<{len(self)} documents>"


class _Spool:
    """Figure records as figures.jsonl lines in a temporary file, one block per document."""

    def __init__(self) -> None:
        self._fh = tempfile.TemporaryFile()
        self._doc = array("i")
        self._offset = array("q")
        self._length = array("q")
        self._end = 0

    def add(self, doc: int, figures: Iterable[Figure]) -> None:
        # backslashreplace: a lone surrogate (a file name that is not UTF-8, in doc_id) becomes a \udcXX
        # escape inside its JSON string, which json reads back as the same text.
        data = "".join(fig.to_json() + "\n" for fig in figures).encode("utf-8", "backslashreplace")
        if not data:
            return
        try:
            self._fh.seek(self._end)
            self._fh.write(data)
        except OSError as exc:
            raise RunError(f"cannot write the run's temporary file of figure records in "
                           f"{tempfile.gettempdir()}: {exc.strerror} (set TMPDIR to a folder with room)") from exc
        self._doc.append(doc)
        self._offset.append(self._end)
        self._length.append(len(data))
        self._end += len(data)

    def _blocks(self, doc_order: np.ndarray) -> Iterator[bytes]:
        """Blocks by document id (`doc_order`: documents in id order); a document's blocks in the order
        they came."""
        self._fh.flush()
        place = np.empty(len(doc_order), dtype=np.int64)
        place[doc_order] = np.arange(len(doc_order))
        docs = _np(self._doc, np.int32)
        for b in np.argsort(place[docs], kind="stable") if len(docs) else ():
            self._fh.seek(self._offset[b])
            yield self._fh.read(self._length[b])

    def write(self, path: Path, doc_order: np.ndarray) -> None:
        with open(path, "wb") as out:
            for block in self._blocks(doc_order):
                out.write(block)

    def figures(self, doc_order: np.ndarray) -> Iterator[Figure]:
        for block in self._blocks(doc_order):
            for line in block.decode("utf-8").split("\n")[:-1]:   # not splitlines: see records._jsonl_rows
                yield Figure.from_dict(json.loads(line))

    def close(self) -> None:
        self._fh.close()
