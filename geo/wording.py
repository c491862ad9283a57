"""Counts in messages and on maps: "1 report", "2 reports" (one home for the plural of a count)."""
from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`count` and its noun, singular for exactly one: counted(1, "figure") -> "1 figure"."""
    return f"{count} {noun if count == 1 else (plural or noun + 's')}"
