"""The dev corpus (quality bar: full-level F1 >= 0.90, and `minemap eval` agrees with the shared scorer)
and the embedded sample corpus."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from minemap.extraction.documents import Document, read_documents
from minemap.extraction.extract import extract
from minemap.extraction.sample import SAMPLE_DIR, sample_paths
from minemap.extraction.scoring import load_gold, score

from helpers import SHARED

DEV = SHARED / "corpus" / "dev"
REAL_DEV = SHARED / "corpus" / "real-dev"
SCORER = SHARED / "tools" / "score_figures.py"
MINEMAP = [sys.executable, "-c", "from minemap.cli import main; main()"]
needs_shared = pytest.mark.skipif(not (DEV.is_dir() and SCORER.is_file()),
                                  reason=f"shared dev corpus/scorer not found at {SHARED} (set MINEMAP_SHARED)")


def _predict(folder) -> list[dict]:
    return [f.to_dict() for d in read_documents([folder]) if isinstance(d, Document) for f in extract(d)]


@pytest.mark.skipif(not REAL_DEV.is_dir(), reason=f"real-dev corpus not found at {SHARED} (set MINEMAP_SHARED)")
def test_real_dev_corpus_stays_where_the_rules_brought_it():
    # real reports (third-party text, outside the repository): 0.567 full F1 before the rules were fixed for
    # their phenomena, 1.000 after; a change that loses any of it must say why
    gold, docs = load_gold(REAL_DEV)
    result = score(gold, _predict(REAL_DEV), docs)
    assert result["full"]["f1"] >= 0.99, {k: result[k] for k in ("value", "placed", "full")}


@needs_shared
def test_dev_corpus_full_f1_at_least_090():
    gold, docs = load_gold(DEV)
    result = score(gold, _predict(DEV), docs)
    assert result["full"]["f1"] >= 0.90, result


@needs_shared
def test_minemap_eval_agrees_with_shared_scorer(tmp_path):
    pred = tmp_path / "pred.jsonl"
    subprocess.run(MINEMAP + ["extract", str(DEV), "-o", str(pred)], check=True, capture_output=True)
    shared = subprocess.run([sys.executable, str(SCORER), "--gold", str(DEV), "--pred", str(pred), "--json"],
                            check=True, capture_output=True, text=True)
    ours = subprocess.run(MINEMAP + ["eval", str(DEV), "--json"], check=True, capture_output=True, text=True)
    ours_pred = subprocess.run(MINEMAP + ["eval", str(DEV), "--pred", str(pred), "--json"], check=True,
                               capture_output=True, text=True)
    a, b, c = (json.loads(x.stdout) for x in (shared, ours, ours_pred))
    assert a == b == c
    # the text report prints the same three lines as the shared scorer
    shared_txt = subprocess.run([sys.executable, str(SCORER), "--gold", str(DEV), "--pred", str(pred),
                                 "--show-misses"], check=True, capture_output=True, text=True).stdout
    ours_txt = subprocess.run(MINEMAP + ["eval", str(DEV), "--pred", str(pred), "--show-misses"], check=True,
                              capture_output=True, text=True).stdout
    assert ours_txt == shared_txt


@needs_shared
def test_scoring_matches_shared_scorer_on_perturbed_predictions(tmp_path):
    """Wrong values, districts, dates and extra records: both scorers count them alike."""
    gold, docs = load_gold(DEV)
    preds = _predict(DEV)
    for i, p in enumerate(preds):
        if i % 3 == 0:
            p["value"] = p["value"] * 1.004
        if i % 5 == 0:
            p["districts"] = ["AZ-AGM"]
        if i % 7 == 0:
            p["period_end"] = "1999-01-01"
        if i % 11 == 0:
            preds.append(dict(p, metric="uxo"))
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in preds), encoding="utf-8")
    shared = json.loads(subprocess.run([sys.executable, str(SCORER), "--gold", str(DEV), "--pred", str(path),
                                        "--json"], check=True, capture_output=True, text=True).stdout)
    ours = {k: v for k, v in score(gold, preds, docs).items() if k != "misses"}
    assert ours == shared


def test_sample_corpus_is_complete_and_scores_perfectly():
    names = {p.name for p in sample_paths()}
    assert len(names) >= 15
    assert not any(n.startswith(("000_", "002_")) for n in names)
    # every document has gold (the feed's documents by their ids)
    gold, docs = load_gold(SAMPLE_DIR)
    predicted = _predict(SAMPLE_DIR)
    assert {p["doc_id"] for p in predicted} <= docs
    result = score(gold, predicted, docs)
    assert result["full"]["f1"] == 1.0, result["misses"]


def test_sample_covers_the_genres():
    text = " ".join(p.read_text(encoding="utf-8") for p in sample_paths())
    for needle in ("<nav", "most-read", '"id":', "so far", "killed", "By district"):
        assert needle in text
