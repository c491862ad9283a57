"""What extraction knows of each sentence of a report while it decides the figures' frames, places and groups."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from minemap.extraction.metric import Candidate
    from minemap.extraction.scope import Frame, SentenceTime
    from minemap.extraction.sentences import Sentence


class ReportText:
    """The document's text, and what is found in it once for all its sentences (district mentions)."""

    def __init__(self, text: str):
        self.text = text
        self.cache: dict = {}


@dataclass
class SentenceInfo:
    s: Sentence
    time: SentenceTime
    cands: list[Candidate]
    headline: bool
    frame: Frame | None = None        # the sentence's own frame as context
    ctx: Frame | None = None          # the frame it stands in (own or inherited)
    ctx_source: int | None = None     # index of the sentence whose frame it inherited
    places: dict = field(default_factory=dict)   # where.py's place facts, looked up only when needed
    report: ReportText | None = None
    columns: list | None = None       # (start, end, header) of the cells of a table row (metric/tables.py)
