"""Generality: the held-out corpus (tests/corpus/heldout) was written and annotated blind to the
extractor's rules, in other outlets' styles and years. Its score is a floor that must not drop; raise it
when the extractor improves. The dev corpus alone cannot show generality: the extractor was tuned on it."""
from __future__ import annotations

from pathlib import Path

from extraction.documents import Document, read_documents
from extraction.extract import extract
from extraction.scoring import load_gold, score

HELDOUT = Path(__file__).parent / "corpus" / "heldout"

# Measured floor (full-level F1); see the README's "Extraction quality" table for the current figures.
FULL_F1_FLOOR = 0.99


def test_heldout_corpus_is_annotated():
    gold, docs = load_gold(HELDOUT)
    assert len(docs) >= 25 and len(gold) >= 100


def test_heldout_full_f1_does_not_regress():
    gold, docs = load_gold(HELDOUT)
    pred = [f.to_dict() for d in read_documents([HELDOUT]) if isinstance(d, Document) for f in extract(d)]
    result = score(gold, pred, docs)
    assert result["full"]["f1"] >= FULL_F1_FLOOR, {k: result[k] for k in ("value", "placed", "full")}
