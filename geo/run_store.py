"""The text of a run on disk: what each document and each figure record says, in a temporary SQLite file.

A run keeps numbers and codes in arrays (geo.corpus, geo.fact_table); what is per-report text — outlets,
titles, links, paths, warnings, evidence sentences — grows with the corpus and is only read when the
outputs are written, so it lives here and is read back in small batches (facts.csv, summary.json/md, the
map popups, `Run.facts`, `Run.documents`). SQLite's own page cache is bounded (2 MiB by default), so the
store costs the same memory for ten documents and for a million.

Rows are marshalled tuples: marshal keeps any Python text, lone surrogates included (a file name that is
not UTF-8), which SQLite's TEXT binding refuses. Document ids are also kept as keys encoded with
`surrogatepass`, whose byte order is the code point order of Python's own string comparison.
"""
from __future__ import annotations

import marshal
import sqlite3
import tempfile
from typing import Iterable, Iterator, Sequence

from minemap.errors import RunError

# One query reads at most this many rows by id (SQLite before 3.32 allows 999 parameters).
BATCH = 900


def doc_key(doc_id: str) -> bytes:
    return doc_id.encode("utf-8", "surrogatepass")


class RunStore:
    """Documents (index -> doc_id, date, title, outlet, url, path, warnings) and figure records
    (index -> evidence sentence, value, qualifier, period as written) of one run."""

    def __init__(self) -> None:
        # "" is a private temporary database in a file that SQLite deletes when it is closed.
        self._db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode = OFF")
        self._db.execute("PRAGMA synchronous = OFF")
        self._db.execute("CREATE TABLE doc (i INTEGER PRIMARY KEY, key BLOB NOT NULL, row BLOB NOT NULL)")
        self._db.execute("CREATE TABLE rec (i INTEGER PRIMARY KEY, row BLOB NOT NULL)")
        # the reason of each fact of the run, once written (Judgement.reasons): the outputs list it thrice
        self._db.execute("CREATE TABLE reason (i INTEGER PRIMARY KEY, text BLOB NOT NULL)")
        self._db.execute("BEGIN")

    def _write(self, sql: str, rows) -> None:
        try:
            self._db.executemany(sql, rows)
        except sqlite3.OperationalError as exc:
            raise RunError(f"cannot write the run's temporary store in {tempfile.gettempdir()}: {exc} "
                           "(set TMPDIR to a folder with room)") from exc

    def add_document(self, i: int, row: tuple) -> None:
        """`row`: (doc_id, date, title, source, url, path, warnings)."""
        self._write("INSERT INTO doc VALUES (?, ?, ?)", [(i, doc_key(row[0]), marshal.dumps(row))])

    def add_records(self, rows: Sequence[tuple[int, tuple]]) -> None:
        """(index, (evidence text, value, qualifier, period_start, period_end)) per record."""
        self._write("INSERT INTO rec VALUES (?, ?)", [(i, marshal.dumps(r)) for i, r in rows])

    def add_reasons(self, rows: Sequence[tuple[int, str]]) -> None:
        self._write("INSERT OR REPLACE INTO reason VALUES (?, ?)", [(i, marshal.dumps(t)) for i, t in rows])

    def finish(self) -> None:
        """Index the document ids (lookups and the id order) once every document is in."""
        self._db.execute("CREATE UNIQUE INDEX doc_key ON doc (key, i)")

    # -------------------------------------------------------------------------------------- reading

    def _rows(self, table: str, ids: Iterable[int], column: str = "row") -> dict:
        ids = sorted({int(i) for i in ids})
        out: dict = {}
        for n in range(0, len(ids), BATCH):
            chunk = ids[n:n + BATCH]
            sql = f"SELECT i, {column} FROM {table} WHERE i IN ({','.join('?' * len(chunk))})"
            for i, value in self._db.execute(sql, chunk):
                out[i] = marshal.loads(value)
        return out

    def reasons(self, ids: Iterable[int]) -> dict[int, str]:
        return self._rows("reason", ids, "text")

    def documents(self, ids: Iterable[int]) -> dict[int, tuple]:
        return self._rows("doc", ids)

    def records(self, ids: Iterable[int]) -> dict[int, tuple]:
        return self._rows("rec", ids)

    def outlets(self, ids: Iterable[int]) -> Iterator[str | None]:
        """The outlet of each of these documents, a batch at a time."""
        ids = sorted({int(i) for i in ids})
        for n in range(0, len(ids), BATCH):
            chunk = ids[n:n + BATCH]
            for (row,) in self._db.execute(f"SELECT row FROM doc WHERE i IN ({','.join('?' * len(chunk))})", chunk):
                yield marshal.loads(row)[3]

    def document(self, i: int) -> tuple:
        return self.documents([i])[i]

    def find(self, doc_id: str) -> int | None:
        """The index of the document with this id, or None."""
        got = self._db.execute("SELECT i FROM doc WHERE key = ?", (doc_key(doc_id),)).fetchone()
        return None if got is None else got[0]

    def in_id_order(self) -> Iterator[tuple[int, tuple]]:
        """(index, row) of every document, by document id (as Python sorts strings)."""
        # a cursor of its own: the caller may read other rows while it iterates
        for i, row in self._db.cursor().execute("SELECT i, row FROM doc ORDER BY key, i"):
            yield i, marshal.loads(row)

    def ids_in_order(self) -> Iterator[int]:
        for (i,) in self._db.cursor().execute("SELECT i FROM doc ORDER BY key, i"):
            yield i

    def in_index_order(self) -> Iterator[tuple[int, tuple]]:
        for i, row in self._db.cursor().execute("SELECT i, row FROM doc ORDER BY i"):
            yield i, marshal.loads(row)

    def close(self) -> None:
        self._db.close()
