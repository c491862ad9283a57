"""Small helpers shared by the tests."""
from __future__ import annotations

from click.testing import CliRunner


def cli_runner() -> CliRunner:
    """A CliRunner whose result.stdout holds stdout only, on every click the project supports: 8.1 mixes
    stderr into stdout unless told not to; 8.2 keeps them apart and no longer takes the argument."""
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()
