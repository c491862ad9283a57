"""One fact, many reports (aggregation.md section 1).

Outlets republish the same statement, sometimes with the dates dropped. Before anything is summed the
figure records are grouped into facts; a fact keeps every report that stated it, because the map's
tooltip and facts.csv must show all of them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable, Mapping

from minemap.extraction.dates import parse_iso as parse_date
from minemap.extraction.record import Document, Figure

# Relative tolerance on values: reports round ("about 41,915" vs "41,900") within half a percent.
VALUE_TOLERANCE = 0.005
# An undated copy counts as the same fact when published at most this many days after the period end.
UNDATED_COPY_DAYS = 3


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
    """A figure as stated by one or more reports; status and reason are filled in by aggregate()."""
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

    @property
    def dated(self) -> bool:
        return self.period_start is not None or self.period_end is not None

    @property
    def doc_ids(self) -> tuple[str, ...]:
        return tuple(sorted({s.doc_id for s in self.sources}))

    def label(self) -> str:
        """Short human description used in reasons: `F0003 (area_ha 67.4, 2022-01-17..2022-01-22)`."""
        what = self.metric + (f"/{self.group}" if self.group else "")
        return f"{self.id} ({what} {fmt_number(self.value)}, {period_text(self.period_start, self.period_end)})"

    def to_dict(self) -> dict:
        return {
            "id": self.id, "metric": self.metric, "group": self.group, "value": json_number(self.value),
            "qualifier": self.qualifier, "scope": self.scope,
            "period_start": self.period_start, "period_end": self.period_end,
            "districts": list(self.districts), "status": self.status, "reason": self.reason,
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


def _source(fig: Figure, doc: Document | None) -> Source:
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


def _sort_key(fig: Figure, doc: Document | None):
    return (
        fig.metric, fig.group or "", fig.scope, fig.districts,
        fig.period_start or "", fig.period_end or "", float(fig.value),
        (doc.date if doc and doc.date else ""), fig.doc_id, fig.evidence.start, fig.evidence.end,
        fig.qualifier,
    )


def _undated_gap(pub: date | None, fact: Fact) -> int | None:
    """Days from the fact's period end to the publication of an undated copy, if within the window."""
    end = parse_date(fact.period_end or fact.period_start)
    if pub is None or end is None:
        return None
    gap = (pub - end).days
    return gap if 0 <= gap <= UNDATED_COPY_DAYS else None


def merge_facts(figures: Iterable[Figure], docs: Mapping[str, Document]) -> list[Fact]:
    """Group figure records into facts. Deterministic: the result does not depend on input order.

    Dated records are grouped first (same metric, group, districts, scope, period; values within 0.5 %).
    Each undated record then joins the dated fact whose period ended closest before its publication
    (at most 3 days). Undated records left over join each other when published within 3 days of the
    first one: two "last week" reports a month apart are different weeks.
    """
    figs = sorted(figures, key=lambda f: _sort_key(f, docs.get(f.doc_id)))
    dated = [f for f in figs if f.period_start is not None or f.period_end is not None]
    undated = [f for f in figs if f.period_start is None and f.period_end is None]

    facts: list[Fact] = []
    index: dict[tuple, list[Fact]] = {}
    for fig in dated:
        key = (fig.metric, fig.group, fig.districts, fig.scope, fig.period_start, fig.period_end)
        for fact in index.get(key, []):
            if same_value(fact.value, fig.value):
                fact.sources.append(_source(fig, docs.get(fig.doc_id)))
                break
        else:
            fact = _new_fact(fig, docs)
            facts.append(fact)
            index.setdefault(key, []).append(fact)

    del index  # large corpora: the index of dated keys and the one below need not coexist

    # Indexed by (kind, period end) and (kind, first publication day): an undated record only ever joins a
    # fact ending at most UNDATED_COPY_DAYS before its publication, so it looks at those few days, not at
    # every fact of its kind (which made large corpora quadratic). Only kinds some undated record has
    # are indexed: the others are never looked up.
    undated_kinds = {(f.metric, f.group, f.districts, f.scope) for f in undated}
    by_end: dict[tuple, list[tuple[int, Fact]]] = {}
    for idx, fact in enumerate(facts):
        kind = (fact.metric, fact.group, fact.districts, fact.scope)
        if kind not in undated_kinds:
            continue
        end = parse_date(fact.period_end or fact.period_start)
        if end is not None:
            by_end.setdefault((kind, end), []).append((idx, fact))

    undated_facts: dict[tuple, list[tuple[int, Fact]]] = {}
    for fig in undated:
        doc = docs.get(fig.doc_id)
        pub = parse_date(doc.date if doc else None)
        kind = (fig.metric, fig.group, fig.districts, fig.scope)
        days = [pub - timedelta(days=g) for g in range(UNDATED_COPY_DAYS + 1)] if pub is not None else []
        best: tuple[int, int, Fact] | None = None        # (gap, order of creation, fact): closest, then first
        for gap, day in enumerate(days):
            for idx, fact in by_end.get((kind, day), ()):
                if same_value(fact.value, fig.value) and (best is None or (gap, idx) < best[:2]):
                    best = (gap, idx, fact)
        if best is not None:
            best[2].sources.append(_source(fig, doc))
            continue
        first: tuple[int, Fact] | None = None             # the first-created undated fact it can join
        for day in (days if pub is not None else [None]):
            for order, fact in undated_facts.get((kind, day), ()):
                if same_value(fact.value, fig.value) and (first is None or order < first[0]):
                    first = (order, fact)
                    break
        if first is not None:
            first[1].sources.append(_source(fig, doc))
        else:
            fact = _new_fact(fig, docs)
            facts.append(fact)
            undated_facts.setdefault((kind, pub), []).append((len(facts), fact))

    facts.sort(key=lambda f: (f.metric, f.group or "", f.scope, f.districts, f.period_start or "",
                              f.period_end or "", f.value, f.sources[0].doc_id, f.sources[0].evidence))
    width = max(4, len(str(len(facts))))
    for i, fact in enumerate(facts, 1):
        fact.id = f"F{i:0{width}d}"
        fact.sources.sort(key=lambda s: (s.date or "", s.doc_id, s.evidence))
    return facts


def _new_fact(fig: Figure, docs: Mapping[str, Document]) -> Fact:
    return Fact(
        id="", metric=fig.metric, group=fig.group, value=float(fig.value), qualifier=fig.qualifier,
        scope=fig.scope, period_start=fig.period_start, period_end=fig.period_end,
        districts=tuple(fig.districts), sources=[_source(fig, docs.get(fig.doc_id))],
    )
