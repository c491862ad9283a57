"""What a map shows: which layer columns become map layers, how they are named, and which facts and
reports stand behind each district value. Independent of how the map is drawn (HTML or image)."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from minemap.extraction.record import GROUPS, METRICS, unit_of

KINDS = ("attributed", "estimate", "shared")
CONTRIBUTING = ("summed",)   # fact statuses that enter a district column (geo.aggregation)


@lru_cache(maxsize=1)
def labels() -> dict:
    return json.loads(resources.files("minemap").joinpath("data/map_labels.json").read_text("utf-8"))


@dataclass(frozen=True)
class MapLayer:
    column: str
    metric: str
    group: str | None
    kind: str            # attributed | shared | estimate
    unit: str

    @property
    def label(self) -> str:
        lab = labels()
        text = lab["metrics"].get(self.metric, self.metric)
        if self.group:
            text += f" ({lab['groups'].get(self.group, self.group)})"
        return text + lab["kinds"][self.kind]

    def to_json(self) -> dict:
        return {"column": self.column, "label": self.label, "unit": self.unit, "kind": self.kind}


def parse_column(column: str) -> MapLayer | None:
    """`killed_civilian_shared` -> MapLayer(killed, civilian, shared); None for non-value columns."""
    kind, base = "attributed", column
    if column.endswith("_shared"):
        kind, base = "shared", column[: -len("_shared")]
    elif column.endswith("_est"):
        kind, base = "estimate", column[: -len("_est")]
    metric, group = base, None
    if base not in METRICS:
        head, _, tail = base.rpartition("_")
        if head in METRICS and tail in GROUPS:
            metric, group = head, tail
        else:
            return None
    return MapLayer(column, metric, group, kind, unit_of(metric))


def _has_value(v) -> bool:
    if v is None:
        return False
    try:
        return not math.isnan(float(v))
    except (TypeError, ValueError):
        return False


def map_layers(frames) -> list[MapLayer]:
    """One map layer per value column that has a value somewhere (in any frame), ordered: attributed
    metrics, then their estimates, then shared values; within each, the spec's metric order."""
    found: dict[str, MapLayer] = {}
    for df in frames:
        for col in df.columns:
            ml = parse_column(str(col))
            if ml and col not in found and any(_has_value(v) for v in df[col]):
                found[col] = ml
    order = {m: i for i, m in enumerate(METRICS)}
    return sorted(found.values(), key=lambda m: (KINDS.index(m.kind), order[m.metric], m.group or ""))


def default_layer(layers: list[MapLayer], df) -> int:
    """The attributed layer with values in the most districts (ties: spec metric order)."""
    best, best_n = 0, -1
    for i, ml in enumerate(layers):
        if ml.kind != "attributed" or ml.group:
            continue
        n = sum(_has_value(v) for v in df[ml.column]) if ml.column in df.columns else 0
        if n > best_n:
            best, best_n = i, n
    return best


def facts_behind(facts) -> dict[tuple[str, str], list]:
    """(district code, layer column) -> facts whose value enters that district's column.

    People totals and parts both appear under the metric column (the popup names the group); the
    parts also under their group column."""
    out: dict[tuple[str, str], list] = {}
    for f in facts:
        if f.status not in CONTRIBUTING or not f.districts:
            continue
        base = f.metric
        cols = [base]
        if f.group:
            cols.append(f"{base}_{f.group}")
        for code in f.districts:
            for col in cols:
                if len(f.districts) == 1:
                    keys = [col]
                else:
                    keys = [f"{col}_shared", f"{col}_est"]
                for key in keys:
                    out.setdefault((code, key), []).append(f)
    return out
