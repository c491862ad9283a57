"""Scoring of figure records against gold records, the same numbers as the shared scorer
(figures.md "How a run is scored"): per document a maximum one-to-one matching at three levels.

  value:  same metric, same group, value within 0.5 %
  placed: value, and the same districts
  full:   placed, and the same scope, and every non-null gold date equal to the predicted one
"""
from __future__ import annotations

import json
from pathlib import Path

from minemap.extraction.record import METRICS

VOCAB = set(METRICS)
LEVELS = ("value", "placed", "full")


def _same_value(g: dict, p: dict) -> bool:
    try:
        gv, pv = float(g["value"]), float(p["value"])
    except (KeyError, TypeError, ValueError):
        return False
    return abs(gv - pv) <= 0.005 * max(abs(gv), 1e-9)


def level_value(g: dict, p: dict) -> bool:
    return (g.get("metric") == p.get("metric") and (g.get("group") or None) == (p.get("group") or None)
            and _same_value(g, p))


def level_placed(g: dict, p: dict) -> bool:
    return level_value(g, p) and sorted(g.get("districts") or []) == sorted(p.get("districts") or [])


def level_full(g: dict, p: dict) -> bool:
    if not level_placed(g, p) or g.get("scope") != p.get("scope"):
        return False
    return all(g.get(k) is None or g.get(k) == p.get(k) for k in ("period_start", "period_end"))


_CHECKS = {"value": level_value, "placed": level_placed, "full": level_full}


def max_matching(gold: list[dict], pred: list[dict], ok) -> tuple[int, dict[int, int]]:
    """Size of a maximum one-to-one matching (augmenting paths) and its gold -> pred pairs."""
    adj = [[j for j, p in enumerate(pred) if ok(g, p)] for g in gold]
    owner = [-1] * len(pred)

    def augment(i: int, seen: set) -> bool:
        for j in adj[i]:
            if j in seen:
                continue
            seen.add(j)
            if owner[j] == -1 or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    size = sum(augment(i, set()) for i in range(len(gold)))
    return size, {owner[j]: j for j in range(len(pred)) if owner[j] != -1}


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(gold: list[dict], pred: list[dict], gold_docs: set[str] | None = None) -> dict:
    """Precision/recall/F1 at the three levels, plus the full-level misses.

    Predictions for documents without gold are ignored (a prediction file over a larger corpus is fine);
    `gold_docs` adds documents whose gold file is empty (every prediction for them is spurious).
    """
    by_doc: dict[str, list[dict]] = {d: [] for d in (gold_docs or ())}
    for r in gold:
        by_doc.setdefault(r["doc_id"], []).append(r)
    preds: dict[str, list[dict]] = {}
    for r in pred:
        if r.get("metric") in VOCAB and r.get("doc_id") in by_doc:
            preds.setdefault(r["doc_id"], []).append(r)
    n_gold = sum(len(v) for v in by_doc.values())
    n_pred = sum(len(v) for v in preds.values())
    tot = dict.fromkeys(LEVELS, 0)
    misses: list[tuple[str, str, dict]] = []
    for doc, gs in by_doc.items():
        ps = preds.get(doc, [])
        for name in LEVELS:
            size, pairs = max_matching(gs, ps, _CHECKS[name])
            tot[name] += size
            if name == "full":
                misses += [("missed", doc, g) for i, g in enumerate(gs) if i not in pairs]
                hit = set(pairs.values())
                misses += [("spurious", doc, p) for j, p in enumerate(ps) if j not in hit]
    result: dict = {"docs": len(by_doc), "gold": n_gold, "pred": n_pred}
    for name in LEVELS:
        p, r, f = prf(tot[name], n_pred, n_gold)
        result[name] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
    result["misses"] = misses
    return result


def read_jsonl(path: str | Path) -> list[dict]:
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{n}: not JSON: {e.msg}") from None
    return out


def load_gold(corpus: str | Path) -> tuple[list[dict], set[str]]:
    """All records of CORPUS/*.gold.jsonl and the documents they cover (empty gold files included).

    A gold line that is not a record (no metric, no numeric value, another document's id) is an error
    naming its file and line: a broken gold file must not quietly lower or raise a score."""
    gold: list[dict] = []
    docs: set[str] = set()
    for f in sorted(Path(corpus).glob("*.gold.jsonl")):
        doc_id = f.name[: -len(".gold.jsonl")]
        docs.add(doc_id)
        lines = [(n, line) for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1) if line.strip()]
        for (n, _), rec in zip(lines, read_jsonl(f)):
            problem = _gold_problem(rec, doc_id)
            if problem:
                raise ValueError(f"{f}:{n}: {problem}")
            gold.append(rec)
    return gold, docs


def _gold_problem(rec, doc_id: str) -> str | None:
    if not isinstance(rec, dict):
        return "not a JSON object"
    if rec.get("doc_id") != doc_id:
        return f"doc_id {rec.get('doc_id')!r} is not the file's document {doc_id!r}"
    if not isinstance(rec.get("metric"), str):
        return "no metric"
    value = rec.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"value {value!r} is not a number"
    return None


def format_report(result: dict, show_misses: bool = False) -> str:
    lines = []
    if show_misses:
        keys = ("metric", "value", "group", "scope", "period_start", "period_end", "districts")
        for kind, doc, rec in result["misses"]:
            keep = {k: rec.get(k) for k in keys}
            lines.append(f"{kind:8} {doc}: {json.dumps(keep, ensure_ascii=False)}")
    lines.append(f"docs {result['docs']}  gold {result['gold']}  predicted {result['pred']}")
    for name in LEVELS:
        m = result[name]
        lines.append(f"{name:7} precision {m['precision']:.3f}  recall {m['recall']:.3f}  F1 {m['f1']:.3f}")
    return "\n".join(lines)
