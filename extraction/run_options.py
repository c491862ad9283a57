"""How a corpus is extracted: the engines and the per-document budget. Light on purpose: the command
line imports it to build its options before any reader or rule is loaded."""
from __future__ import annotations

from dataclasses import dataclass

ENGINES = ("local", "dask")


class EngineError(RuntimeError):
    """An engine that cannot run: Dask not installed, a scheduler that cannot be reached."""


@dataclass(frozen=True)
class Budget:
    """What one document may cost: wall-clock seconds to read and extract it, and MiB of memory on top of
    what its worker held before. None or 0 turns a limit off. A report takes milliseconds and a few MiB;
    the defaults leave room for documents thousands of times larger and stop hostile ones."""
    seconds: float | None = 60.0
    memory_mb: int | None = 2048

    @property
    def enabled(self) -> bool:
        return bool(self.seconds) or bool(self.memory_mb)
