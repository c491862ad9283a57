"""Generality: corpora written and annotated blind to the extractor's rules, in other outlets' styles and
years (tests/corpus/heldout*). Each was scored before its failures were fixed as general rules (tested on
other sentences in test_extraction_generality*.py and test_extraction_lists.py); those blind scores are in
the README. Their current scores are floors that must not drop."""
from __future__ import annotations

from pathlib import Path

import pytest

from minemap.extraction.documents import Document, read_documents
from minemap.extraction.extract import extract
from minemap.extraction.scoring import load_gold, score

CORPORA = Path(__file__).parent / "corpus"

# corpus -> (blind full F1 when written, floor now, minimum documents, minimum gold records).
# A blind score of None marks a corpus never tuned on: its floor is its blind score, rounded down.
HELDOUT = {
    "heldout": (0.858, 0.98, 30, 119),
    "heldout2": (0.753, 0.98, 27, 82),
    "heldout3": (0.647, 0.98, 22, 108),
    "heldout4": (0.732, 0.99, 22, 113),
    "heldout5": (0.854, 0.99, 22, 88),
    "heldout6": (0.884, 0.99, 20, 99),
    # never tuned on until round 3 of the when/scope work, which read its misses (blind 0.923, README)
    "heldout7": (0.923, 0.98, 20, 92),
    # written blind in the style of real outlets (real-dev's phenomena, new text); blind score of the
    # extractor that reached 1.000 on real-dev, before any rule changed for this corpus: 0.799. Tuned on since
    # (its misses fixed as general rules), so no longer blind
    "heldout8": (0.799, 0.99, 32, 177),
    # written blind in the same way; first measured with the issue-9 extractor (0.697, 0.668, 0.925), then
    # blind again with round 2 of the generality work (0.775, 0.716, 0.944). Tuned on since, in rounds 3-4
    "heldout9": (0.697, 0.99, 34, 171),
    "heldout11": (0.668, 0.99, 31, 179),
    "heldout13": (0.925, 0.99, 33, 171),
    # kept blind through rounds 2 and 3 (issue-9 extractor 0.618 and 0.682; after round 2 0.649 and 0.771;
    # after round 3 0.680 and 0.838): the honest measure of those rounds. Tuned on in round 4
    "heldout10": (0.618, 0.95, 31, 179),
    "heldout12": (0.682, 0.95, 30, 169),
    # written blind during round 4 and measured after it, never tuned on (first extractor 0.734 and 0.637;
    # issue-9 extractor 0.866 and 0.713): blind 0.966 and 0.855
    "heldout14": (None, 0.96, 30, 145),
    "heldout15": (None, 0.85, 27, 169),
}


@pytest.mark.parametrize("name", sorted(HELDOUT))
def test_heldout_corpus_is_annotated(name):
    _, _, n_docs, n_gold = HELDOUT[name]
    gold, docs = load_gold(CORPORA / name)
    assert len(docs) >= n_docs and len(gold) >= n_gold


@pytest.mark.parametrize("name", sorted(HELDOUT))
def test_heldout_full_f1_does_not_regress(name):
    blind, floor, _, _ = HELDOUT[name]
    folder = CORPORA / name
    gold, docs = load_gold(folder)
    pred = [f.to_dict() for d in read_documents([folder]) if isinstance(d, Document) for f in extract(d)]
    result = score(gold, pred, docs)
    assert result["full"]["f1"] >= floor, {k: result[k] for k in ("value", "placed", "full")}
    if blind is not None:
        assert result["full"]["f1"] > blind  # the fixes since the blind measurement still hold
