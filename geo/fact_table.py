"""The facts of a run as columns: one row per fact, in id order (geo.facts merges the records into it).

What the rules need of a fact is a handful of numbers and codes: metric, group, scope and qualifier as
codes, value, its district list as an interned code, its period as day numbers, which records state it.
Kept as arrays they cost a few dozen bytes a fact, where a Python object per fact (with its reports,
reasons and shares) cost over a kilobyte. Text — reasons, labels, evidence, outlets — is made or read
from the run's store (geo.run_store) when a fact is shown: `fact()` builds the `Fact` object of the API
(`Aggregation.facts`, `Run.facts`, tables and popups) for one row at a time.

Rows also carry what is decided once per run: plausibility (geo.plausibility) and the planned shares of
the estimates (geo.estimate). What depends on a time window (statuses, where a fact is not added) is a
`geo.judgement.Judgement` of some of the rows.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Iterator

import numpy as np

from minemap.corpus import GROUP_NAMES, Corpus
from minemap.extraction.record import METRICS, QUALIFIERS, SCOPES
from minemap.facts import Fact, Source, fmt_number, period_text

if TYPE_CHECKING:
    from minemap.judgement import Judgement

CUMULATIVE, PERIOD, EVENT = (SCOPES.index(s) for s in ("cumulative", "period", "event"))
# Facts whose sources are read from the store in one go when facts are listed.
CHUNK = 512


@lru_cache(maxsize=1 << 16)        # days of 1990..2100: every one fits
def iso(day: int) -> str | None:
    """A day number as an ISO date; None for 0."""
    return date.fromordinal(day).isoformat() if day else None


class FactTable:
    """Facts as arrays, aligned: row i is the fact with id `fact_id(i)` (F0001 is row 0)."""

    def __init__(self, corpus: Corpus, first: np.ndarray, inferred: np.ndarray, rec_fact: np.ndarray,
                 notes: dict[int, tuple[str, ...]]) -> None:
        c = corpus
        self.corpus = c
        self.dlists = c.dlists
        self.n = n = len(first)
        self.width = max(4, len(str(n)))
        # from the record that created each fact (merging keeps its value, qualifier and period)
        self.metric = c.metric[first]
        self.group = c.group[first]
        self.scope = c.scope[first]
        self.qualifier = c.qualifier[first]
        self.value = c.value[first]
        self.dlist = c.dlist[first]
        self.start = c.start[first]
        self.end = c.end[first]
        self.inferred = inferred
        self.notes = notes                                     # fact -> problems with its records' dates
        # the records of each fact: rec_index[rec_ptr[i]:rec_ptr[i + 1]], in reading order
        counts = np.bincount(rec_fact, minlength=n) if len(rec_fact) else np.zeros(n, np.int64)
        self.rec_ptr = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(counts, out=self.rec_ptr[1:])
        self.rec_index = np.argsort(rec_fact, kind="stable").astype(np.int32)
        self.rec_doc = c.doc                                    # record -> document
        self.ndist = self.dlists.length[self.dlist].astype(np.int16) if n else np.zeros(0, np.int16)
        # pairs: one per district a fact names (one for a fact naming none); pair_ptr[i] is the first of i's
        self.pair_ptr = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(np.maximum(self.ndist, 1), out=self.pair_ptr[1:])
        # plausibility (geo.plausibility): fact -> reason
        self.implausible: dict[int, str] = {}
        # planned shares (geo.estimate): per pair, for facts with has_shares; basis and weights as codes
        self.shares = np.zeros(int(self.pair_ptr[-1]), dtype=np.float64)
        self.has_shares = np.zeros(n, dtype=bool)
        self.basis = np.zeros(n, dtype=np.int32)                # code in texts
        self.weights = np.zeros(n, dtype=np.int8)               # code in kinds
        self.texts: list[str] = [""]
        self.kinds: list[str] = [""]
        self._codes: dict[tuple[bool, str], int] = {}
        self._labels: dict[int, str] = {}

    # ---------------------------------------------------------------------------------- small parts

    def text_code(self, text: str, kind: bool = False) -> int:
        """The code of a basis text (or, `kind`, of a kind of weights) in `texts` (`kinds`)."""
        values = self.kinds if kind else self.texts
        code = self._codes.get((kind, text), 0 if not text else None)
        if code is None:
            code = self._codes[(kind, text)] = len(values)
            values.append(text)
        return code

    def fact_id(self, i: int) -> str:
        return f"F{int(i) + 1:0{self.width}d}"

    def districts(self, i: int) -> tuple[str, ...]:
        return self.dlists.tuple(int(self.dlist[i]))

    def district_name(self, code: int) -> str:
        return "" if code < 0 else self.dlists.names.values[code]

    def records(self, i: int) -> np.ndarray:
        return self.rec_index[self.rec_ptr[i]:self.rec_ptr[i + 1]]

    def n_sources(self) -> np.ndarray:
        return np.diff(self.rec_ptr)

    def docs(self, i: int) -> set[int]:
        return set(self.rec_doc[self.records(i)].tolist())

    def records_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The records of the facts `rows`, fact after fact, and how many each fact has."""
        counts = (self.rec_ptr[rows + 1] - self.rec_ptr[rows]).astype(np.int64)
        first = np.repeat(self.rec_ptr[rows].astype(np.int64) - np.cumsum(counts) + counts, counts)
        return self.rec_index[first + np.arange(int(counts.sum()))], counts

    def documents_of(self, rows: np.ndarray) -> np.ndarray:
        """The distinct documents (indexes) stating the facts `rows`."""
        return np.unique(self.rec_doc[self.records_of(rows)[0]])

    def sentences(self, i: int) -> set[tuple[int, int, int]]:
        """(document, evidence start, end) of the sentences stating fact i; records without evidence
        offsets (a hand-made figures file) name no sentence."""
        r = self.records(i)
        c = self.corpus
        return {(d, a, b) for d, a, b in zip(self.rec_doc[r].tolist(), c.ev_start[r].tolist(), c.ev_end[r].tolist())
                if b > a}

    def intervals(self, idx: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(first day, last day) of each fact's period; 0, 0 for an undated fact. A half-open statement
        ("since April 2024" with no end) is a point (geo.facts.interval)."""
        s = self.start if idx is None else self.start[idx]
        e = self.end if idx is None else self.end[idx]
        s0 = np.where(s != 0, s, e)
        e0 = np.where(e != 0, e, s)
        return np.minimum(s0, e0), np.maximum(s0, e0)

    def label(self, i: int) -> str:
        """`F0003 (area_ha 67.4, 2022-01-17..2022-01-22)`, as Fact.label."""
        i = int(i)
        if i in self._labels:
            return self._labels[i]
        if len(self._labels) > 4096:      # reasons name the same few kept facts again and again
            self._labels.clear()
        self._labels[i] = text = self._label(i)
        return text

    def _label(self, i: int) -> str:
        g = GROUP_NAMES[self.group[i]]
        what = METRICS[self.metric[i]] + (f"/{g}" if g else "")
        return (f"{self.fact_id(i)} ({what} {fmt_number(float(self.value[i]))}, "
                f"{period_text(iso(int(self.start[i])), iso(int(self.end[i])))})")

    # ------------------------------------------------------------------------------------ as objects

    def bare(self, i: int) -> Fact:
        """The fact without sources, status or placement."""
        i = int(i)
        return Fact(
            id=self.fact_id(i), metric=METRICS[self.metric[i]], group=GROUP_NAMES[self.group[i]],
            value=float(self.value[i]), qualifier=QUALIFIERS[self.qualifier[i]], scope=SCOPES[self.scope[i]],
            period_start=iso(int(self.start[i])), period_end=iso(int(self.end[i])), districts=self.districts(i),
            sources=[], period_inferred=bool(self.inferred[i]), notes=self.notes.get(i, ()),
            shares=tuple(self.shares[self.pair_ptr[i]:self.pair_ptr[i + 1]].tolist()) if self.has_shares[i] else None,
            basis=self.texts[self.basis[i]], weights=self.kinds[self.weights[i]])

    def facts(self, rows: Iterable[int], judgement: "Judgement | None" = None, *,
              sources: bool = True, placement: bool = True) -> Iterator[Fact]:
        """The facts of `rows` as `Fact` objects (with their sources read from the store, in the order
        facts.csv lists them; with status, reason and, unless not `placement`, where they are not added,
        from `judgement`)."""
        rows = list(rows) if not isinstance(rows, np.ndarray) else rows
        for n in range(0, len(rows), CHUNK):
            chunk = [int(i) for i in rows[n:n + CHUNK]]
            found = self.sources(chunk) if sources else {}
            reasons = judgement.known_reasons(chunk) if judgement is not None else {}
            made = []
            for i in chunk:
                f = self.bare(i)
                f.sources = found.get(i, [])
                if judgement is not None:
                    judgement.fill(f, i, reasons.get(i), placement)
                    if i not in reasons:
                        made.append((i, f.reason))
                yield f
            if made:
                judgement.remember_reasons(made)

    def fact(self, i: int, judgement: "Judgement | None" = None) -> Fact:
        return next(self.facts([i], judgement))

    def sources(self, rows: Iterable[int]) -> dict[int, list[Source]]:
        """fact -> its sources: the reports that state it, by date, document id and sentence."""
        recs = {i: self.records(i).tolist() for i in rows}
        store = self.corpus.store
        texts = store.records(r for rs in recs.values() for r in rs)
        docs = store.documents(int(self.rec_doc[r]) for rs in recs.values() for r in rs)
        out: dict[int, list[Source]] = {}
        for i, rs in recs.items():
            found = []
            for r in rs:
                evidence, value, qualifier, start, end = texts[r]
                doc_id, when, title, outlet, url, _, _ = docs[int(self.rec_doc[r])]
                found.append(Source(doc_id, outlet, when, title, url, evidence, value, qualifier, start, end))
            # records in reading order, then sorted: ties keep that order
            found.sort(key=lambda s: (s.date or "", s.doc_id, s.evidence))
            out[i] = found
        return out

    def doc_ids(self, rows: Iterable[int]) -> dict[int, list[str]]:
        """fact -> the ids of the reports that state it, sorted (Fact.doc_ids)."""
        docs = {i: self.docs(i) for i in rows}
        names = self.corpus.store.documents(d for ds in docs.values() for d in ds)
        return {i: sorted({names[d][0] for d in ds}) for i, ds in docs.items()}
