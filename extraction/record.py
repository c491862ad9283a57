"""The figure record (shared/spec/figures.md) and the document it came from.

`Figure` is the one record type that travels between stages: extraction writes it, the gold files use
its shape, geo aggregates it. `Document` is what a reader produced from one input: the text exactly as
the extractor read it (evidence offsets point into it) plus the metadata that sources and popups need.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from minemap.extraction.quick import quick_init

METRICS = (
    "ap_mines", "at_mines", "mines", "uxo", "explosive_items", "area_ha", "roads_km",
    "killed", "injured", "victims", "mines_mapped",
)
PEOPLE_METRICS = ("killed", "injured", "victims")
QUALIFIERS = ("exact", "approx", "at_least", "at_most")
SCOPES = ("cumulative", "period", "event")
GROUPS = ("civilian", "military")
# Plausible dates of a report or an option: the project's reports start in 2020 and look back to the
# 1990s at most. A date outside (a "0001-01-01" placeholder, a "9999-12-31" sentinel) is treated as missing.
EARLIEST_DATE = "1990-01-01"
LATEST_DATE = "2100-12-31"

UNITS = {
    "area_ha": "ha", "roads_km": "km",
    "killed": "people", "injured": "people", "victims": "people",
}


def unit_of(metric: str) -> str:
    return UNITS.get(metric, "items")


@quick_init
@dataclass(frozen=True, slots=True)
class Evidence:
    start: int
    end: int
    text: str


@quick_init
@dataclass(frozen=True, slots=True)
class Figure:
    doc_id: str
    metric: str
    value: float
    qualifier: str = "exact"
    scope: str = "period"
    period_start: str | None = None
    period_end: str | None = None
    districts: tuple[str, ...] = ()
    group: str | None = None
    actor: str | None = None
    evidence: Evidence = field(default_factory=lambda: Evidence(0, 0, ""))
    # the dates were worked out from the statement's or publication's date ("last week"), not stated (optional in
    # the records: written only when true)
    period_inferred: bool = False

    def __post_init__(self) -> None:
        # Validation here guards every stage at once: nothing downstream needs to re-check.
        if not math.isfinite(self.value):
            raise ValueError(f"value {self.value!r} is not a finite number")
        if self.metric not in METRICS:
            raise ValueError(f"unknown metric {self.metric!r}")
        if self.qualifier not in QUALIFIERS:
            raise ValueError(f"unknown qualifier {self.qualifier!r}")
        if self.scope not in SCOPES:
            raise ValueError(f"unknown scope {self.scope!r}")
        if self.group is not None and (self.group not in GROUPS or self.metric not in PEOPLE_METRICS):
            raise ValueError(f"group {self.group!r} not allowed for metric {self.metric!r}")
        object.__setattr__(self, "districts", tuple(sorted(set(self.districts))))

    def to_dict(self) -> dict[str, Any]:
        """The record in the spec's field order, ready for JSON."""
        value = self.value
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            value = int(value)
        return {
            "doc_id": self.doc_id,
            "metric": self.metric,
            "value": value,
            "qualifier": self.qualifier,
            "scope": self.scope,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "districts": list(self.districts),
            "group": self.group,
            "actor": self.actor,
            **({"period_inferred": True} if self.period_inferred else {}),
            "evidence": {"start": self.evidence.start, "end": self.evidence.end, "text": self.evidence.text},
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Figure":
        ev = d.get("evidence") or {}
        return cls(
            doc_id=str(d["doc_id"]),
            metric=d["metric"],
            value=float(d["value"]),
            qualifier=d.get("qualifier") or "exact",
            scope=d.get("scope") or "period",
            period_start=d.get("period_start"),
            period_end=d.get("period_end"),
            districts=tuple(d.get("districts") or ()),
            group=d.get("group"),
            actor=d.get("actor"),
            evidence=Evidence(int(ev.get("start", 0)), int(ev.get("end", 0)), str(ev.get("text", ""))),
            period_inferred=bool(d.get("period_inferred", False)),
        )


@dataclass(frozen=True, slots=True)
class Document:
    """One report as read. `text` is what offsets index into; `path` is where it came from (for errors)."""
    doc_id: str
    text: str
    date: str | None = None          # ISO date of publication, or None when unknown
    title: str | None = None
    source: str | None = None        # outlet ("Trend", "AZERTAC", ...)
    url: str | None = None
    path: str | None = None
    warnings: tuple[str, ...] = ()   # e.g. "invalid UTF-8, read with replacement"
