"""One fact, many reports (geo/README.md, rule 1).

Outlets republish the same statement, sometimes with the dates dropped. Before anything is summed the
figure records are grouped into facts; a fact keeps every report that stated it, because the map's
tooltip and facts.csv must show all of them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable, Mapping

from minemap.extraction.dates import parse_iso
from minemap.extraction.record import EARLIEST_DATE, LATEST_DATE, Document, Figure

# Relative tolerance on values: reports round ("about 41,915" vs "41,900") within half a percent.
VALUE_TOLERANCE = 0.005
# An undated copy counts as the same fact when published at most this many days after the period end.
UNDATED_COPY_DAYS = 3


def parse_date(text: str | None) -> date | None:
    """An ISO date inside the plausible range (extraction.record), else None.

    Placeholders such as 0001-01-01 or 9999-12-31 are treated as missing: calendar arithmetic on them
    overflows, and a time slider from year 1 to 9999 would have a hundred thousand frames."""
    d = parse_iso(text)
    if d is None or not EARLIEST_DATE <= d.isoformat() <= LATEST_DATE:
        return None
    return d


@dataclass(frozen=True, slots=True)
class Source:
    """One report that stated a fact, with what the map and facts.csv show about it."""
    doc_id: str
    source: str | None
    date: str | None
    title: str | None
    url: str | None
    evidence: str
    value: float
    qualifier: str
    period_start: str | None
    period_end: str | None


@dataclass(slots=True)
class Fact:
    """A figure as stated by one or more reports; status and reason are filled in by aggregate().

    A fact can count in some of its districts and not in others (geo/README.md, rule 4:
    counted once, per district): `not_added` maps each district where it is not added to why and because of which
    fact. `shares` (aligned with `districts`) is a shared fact's apportioned share per district and
    `basis` says how it was made (geo.estimate)."""
    id: str
    metric: str
    group: str | None
    value: float
    qualifier: str
    scope: str
    period_start: str | None
    period_end: str | None
    districts: tuple[str, ...]
    sources: list[Source] = field(default_factory=list)
    status: str = "summed"
    reason: str = ""
    period_inferred: bool = False
    not_added: dict[str, tuple[str, str]] | None = None   # district ("" = none named) -> (how, fact id)
    shares: tuple[float, ...] | None = None
    basis: str = ""                                       # how the shares were made, in words
    weights: str = ""                                     # its kind: reported, area, equal, remainder, ...
    notes: tuple[str, ...] = ()                           # problems with the records' own data

    @property
    def dated(self) -> bool:
        return self.period_start is not None or self.period_end is not None

    @property
    def doc_ids(self) -> tuple[str, ...]:
        return tuple(sorted({s.doc_id for s in self.sources}))

    def added_in(self) -> tuple[str, ...]:
        """The districts in whose columns this fact counts (all of them unless some are `not_added`)."""
        if not self.not_added:
            return self.districts
        return tuple(d for d in self.districts if d not in self.not_added)

    def label(self) -> str:
        """Short human description used in reasons: `F0003 (area_ha 67.4, 2022-01-17..2022-01-22)`."""
        what = self.metric + (f"/{self.group}" if self.group else "")
        return f"{self.id} ({what} {fmt_number(self.value)}, {period_text(self.period_start, self.period_end)})"

    def to_dict(self) -> dict:
        return {
            "id": self.id, "metric": self.metric, "group": self.group, "value": json_number(self.value),
            "qualifier": self.qualifier, "scope": self.scope,
            "period_start": self.period_start, "period_end": self.period_end,
            "period_inferred": self.period_inferred,
            "districts": list(self.districts), "status": self.status, "reason": self.reason,
            "not_added": {d: list(v) for d, v in sorted((self.not_added or {}).items())},
            "sources": [
                {"doc_id": s.doc_id, "source": s.source, "date": s.date, "title": s.title, "url": s.url,
                 "evidence": s.evidence, "value": json_number(s.value), "qualifier": s.qualifier}
                for s in self.sources
            ],
        }


def fmt_number(v: float) -> str:
    v = round(float(v), 6)
    return str(int(v)) if v.is_integer() else repr(v)


def json_number(v: float | None):
    if v is None:
        return None
    v = round(float(v), 6)
    return int(v) if v.is_integer() and abs(v) < 2**53 else v


def period_text(start: str | None, end: str | None) -> str:
    if start is None and end is None:
        return "undated"
    if start == end:
        return str(start)
    return f"{start or '…'}..{end or '…'}"


def same_value(a: float, b: float) -> bool:
    return abs(a - b) <= VALUE_TOLERANCE * max(abs(a), abs(b))


@dataclass(frozen=True, slots=True)
class _Record:
    """A figure with the dates the aggregation uses: implausible dates become None, with a note."""
    fig: Figure
    doc: Document | None
    start: str | None
    end: str | None
    inferred: bool
    notes: tuple[str, ...]

    @property
    def kind(self) -> tuple:
        return (self.fig.metric, self.fig.group, self.fig.districts, self.fig.scope)


def _record(fig: Figure, doc: Document | None) -> _Record:
    notes = []
    dates = []
    for name in ("period_start", "period_end"):
        raw = getattr(fig, name)
        d = parse_date(raw)
        if raw is not None and d is None:
            notes.append(f"{name} {str(raw)[:20]!r} is not a date between {EARLIEST_DATE} and {LATEST_DATE}: "
                         "treated as missing")
        iso = d.isoformat() if d else None
        # The record's own string when it is already the ISO form: records share one object per date
        # (api._Share), a new string per record costs ~45 MiB per 100,000 documents.
        dates.append(raw if raw == iso else iso)
    # period_inferred is optional (extraction/README.md): records (and older Figure objects) without it are stated.
    inferred = bool(getattr(fig, "period_inferred", False)) and any(dates)
    return _Record(fig, doc, dates[0], dates[1], inferred, tuple(notes))


def _source(r: _Record) -> Source:
    fig, doc = r.fig, r.doc
    return Source(
        doc_id=fig.doc_id,
        source=doc.source if doc else None,
        date=doc.date if doc else None,
        title=doc.title if doc else None,
        url=doc.url if doc else None,
        evidence=fig.evidence.text,
        value=float(fig.value),
        qualifier=fig.qualifier,
        period_start=fig.period_start,
        period_end=fig.period_end,
    )


def _sort_key(r: _Record):
    fig, doc = r.fig, r.doc
    return (
        fig.metric, fig.group or "", fig.scope, fig.districts,
        r.start or "", r.end or "", r.inferred, float(fig.value),
        (doc.date if doc and doc.date else ""), fig.doc_id, fig.evidence.start, fig.evidence.end,
        fig.qualifier,
    )


def merge_facts(figures: Iterable[Figure], docs: Mapping[str, Document]) -> list[Fact]:
    """Group figure records into facts. Deterministic: the result does not depend on input order.

    Dated records are grouped first (same metric, group, districts, scope, period; values within 0.5 %).
    A fact whose dates were inferred ("last week") then joins the stated fact of the same kind and value
    whose period it overlaps by at least half of the shorter of the two. Each undated record then joins the
    dated fact whose period ended closest before its publication (at most 3 days). Undated records left
    over join each other when published within 3 days of the first one: two "last week" reports a month
    apart are different weeks.
    """
    records = sorted((_record(f, docs.get(f.doc_id)) for f in figures), key=_sort_key)
    dated = [r for r in records if r.start is not None or r.end is not None]
    undated = [r for r in records if r.start is None and r.end is None]

    facts: list[Fact] = []
    index: dict[tuple, list[Fact]] = {}
    for r in dated:
        key = (*r.kind, r.start, r.end)
        for fact in index.get(key, []):
            if same_value(fact.value, r.fig.value):
                _join(fact, r)
                break
        else:
            fact = _new_fact(r)
            facts.append(fact)
            index.setdefault(key, []).append(fact)

    del index  # large corpora: the index of dated keys and the ones below need not coexist
    facts = _merge_inferred(facts)

    # Indexed by (kind, period end) and (kind, first publication day): an undated record only ever joins a
    # fact ending at most UNDATED_COPY_DAYS before its publication, so it looks at those few days, not at
    # every fact of its kind (which made large corpora quadratic). Only kinds some undated record has
    # are indexed: the others are never looked up.
    undated_kinds = {r.kind for r in undated}
    by_end: dict[tuple, list[tuple[int, Fact]]] = {}
    for idx, fact in enumerate(facts):
        kind = (fact.metric, fact.group, fact.districts, fact.scope)
        if kind not in undated_kinds:
            continue
        end = parse_date(fact.period_end or fact.period_start)
        if end is not None:
            by_end.setdefault((kind, end), []).append((idx, fact))

    undated_facts: dict[tuple, list[tuple[int, Fact]]] = {}
    for r in undated:
        doc = r.doc
        pub = parse_date(doc.date if doc else None)
        # publication dates are within 1990..2100 (parse_date), so this never leaves the calendar
        days = [pub - timedelta(days=g) for g in range(UNDATED_COPY_DAYS + 1)] if pub is not None else []
        best: tuple[int, int, Fact] | None = None        # (gap, order of creation, fact): closest, then first
        for gap, day in enumerate(days):
            for idx, fact in by_end.get((r.kind, day), ()):
                if same_value(fact.value, r.fig.value) and (best is None or (gap, idx) < best[:2]):
                    best = (gap, idx, fact)
        if best is not None:
            _join(best[2], r)
            continue
        first: tuple[int, Fact] | None = None             # the first-created undated fact it can join
        for day in (days if pub is not None else [None]):
            for order, fact in undated_facts.get((r.kind, day), ()):
                if same_value(fact.value, r.fig.value) and (first is None or order < first[0]):
                    first = (order, fact)
                    break
        if first is not None:
            _join(first[1], r)
        else:
            fact = _new_fact(r)
            facts.append(fact)
            undated_facts.setdefault((r.kind, pub), []).append((len(facts), fact))

    facts.sort(key=lambda f: (f.metric, f.group or "", f.scope, f.districts, f.period_start or "",
                              f.period_end or "", f.value, f.sources[0].doc_id, f.sources[0].evidence))
    width = max(4, len(str(len(facts))))
    for i, fact in enumerate(facts, 1):
        fact.id = f"F{i:0{width}d}"
        fact.sources.sort(key=lambda s: (s.date or "", s.doc_id, s.evidence))
    return facts


def _merge_inferred(facts: list[Fact]) -> list[Fact]:
    """A fact with inferred dates joins a stated fact of the same kind and value (within 0.5 %) whose
    period overlaps its own by at least half of the shorter period: the most overlap wins, then the
    first created. Candidates are looked up by value, so this stays linear in practice."""
    from bisect import bisect_left, bisect_right

    inferred = [f for f in facts if f.period_inferred]
    if not inferred:
        return facts
    stated: dict[tuple, list[tuple[float, int, Fact]]] = {}
    for idx, f in enumerate(facts):
        if not f.period_inferred:
            stated.setdefault((f.metric, f.group, f.districts, f.scope), []).append((f.value, idx, f))
    for members in stated.values():
        members.sort(key=lambda m: (m[0], m[1]))
    gone: set[int] = set()
    for f in inferred:
        iv = interval(f)
        members = stated.get((f.metric, f.group, f.districts, f.scope))
        if iv is None or not members:
            continue
        lo, hi = f.value * (1 - VALUE_TOLERANCE), f.value * (1 + VALUE_TOLERANCE)
        lo, hi = min(lo, hi), max(lo, hi)
        values = [m[0] for m in members]
        best: tuple[int, int, Fact] | None = None        # (-overlap days, order, fact)
        for value, idx, other in members[bisect_left(values, lo - 1e-9):bisect_right(values, hi + 1e-9)]:
            oiv = interval(other)
            if oiv is None or not same_value(value, f.value):
                continue
            overlap = (min(iv[1], oiv[1]) - max(iv[0], oiv[0])).days + 1
            shorter = min((iv[1] - iv[0]).days, (oiv[1] - oiv[0]).days) + 1
            if overlap * 2 >= shorter and (best is None or (-overlap, idx) < best[:2]):
                best = (-overlap, idx, other)
        if best is not None:
            best[2].sources.extend(f.sources)
            best[2].notes = tuple(dict.fromkeys(best[2].notes + f.notes))
            gone.add(id(f))
    return [f for f in facts if id(f) not in gone]


def interval(f: Fact) -> tuple[date, date] | None:
    """The fact's period as dates; a half-open statement ("since April 2024" with no end) is a point."""
    start = parse_date(f.period_start) or parse_date(f.period_end)
    end = parse_date(f.period_end) or parse_date(f.period_start)
    if start is None or end is None:
        return None
    return (start, end) if start <= end else (end, start)


def _join(fact: Fact, r: _Record) -> None:
    fact.sources.append(_source(r))
    if not r.inferred:
        fact.period_inferred = False      # one report states the dates: they are no longer inferred
    if r.notes:
        fact.notes = tuple(dict.fromkeys(fact.notes + r.notes))


def _new_fact(r: _Record) -> Fact:
    fig = r.fig
    return Fact(
        id="", metric=fig.metric, group=fig.group, value=float(fig.value), qualifier=fig.qualifier,
        scope=fig.scope, period_start=r.start, period_end=r.end,
        districts=tuple(fig.districts), sources=[_source(r)], period_inferred=r.inferred, notes=r.notes,
    )
