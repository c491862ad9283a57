"""Errors that end a run. The floors below have their own (`BoundaryError` for
a boundary file that cannot be used; `EngineError` for an extraction engine that cannot run;
`minemap.extraction.documents.DocumentError` is not raised but returned for one unreadable document,
which a run skips and lists); this module re-exports them so that callers find every error in one place."""
from __future__ import annotations

from minemap.boundaries.errors import BoundaryError
from minemap.extraction.run_options import EngineError
from minemap.extraction.sources import DocumentError

__all__ = ["BoundaryError", "DocumentError", "EngineError", "MinemapError", "OutputError", "RunError"]


class MinemapError(Exception):
    """Base of the errors raised by minemap's top floor."""


class RunError(MinemapError):
    """Nothing to map: no document could be read, or no figure record was given. `skipped` lists the
    inputs that were tried and why each could not be used."""

    def __init__(self, message: str, skipped: list[dict] | None = None) -> None:
        super().__init__(message)
        self.skipped = list(skipped or [])


class OutputError(MinemapError):
    """The outputs cannot be written where asked: the folder is below a file, read-only, inside an input,
    or the disk is full. The message names the path; the previous outputs are left as they were."""
