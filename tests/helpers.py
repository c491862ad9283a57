"""Small helpers shared by the tests."""
from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner


def _shared() -> Path:
    """The project's shared folder (dev and real-dev corpora, scorer, reference boundaries), which is not part
    of the repository: $MINEMAP_SHARED, else a `shared` folder beside the repository or one of its parents
    (a worktree's). Tests that need it are skipped, saying so, where it is absent."""
    if os.environ.get("MINEMAP_SHARED"):
        return Path(os.environ["MINEMAP_SHARED"])
    here = Path(__file__).resolve().parents[1]
    return next((p / "shared" for p in here.parents if (p / "shared" / "corpus").is_dir()), here.parent / "shared")


SHARED = _shared()


def cli_runner() -> CliRunner:
    """A CliRunner whose result.stdout holds stdout only, on every click the project supports: 8.1 mixes
    stderr into stdout unless told not to; 8.2 keeps them apart and no longer takes the argument."""
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()
