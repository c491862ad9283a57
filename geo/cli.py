"""The `minemap` command: one click group; each command lives in its own module and is loaded lazily
so that `minemap --help` and `minemap extract` do not pay for geopandas."""
from __future__ import annotations

import importlib

import click

from minemap import __version__

# command name -> (module, attribute). Modules are imported only when the command runs or help lists it.
COMMANDS = {
    "boundaries": ("minemap.cli_boundaries", "boundaries_cmd"),
    "extract": ("minemap.cli_extract", "extract_cmd"),
    "eval": ("minemap.cli_extract", "eval_cmd"),
    "explain": ("minemap.cli_extract", "explain_cmd"),
    "run": ("minemap.cli_run", "run_cmd"),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module, attr = COMMANDS[name]
        return getattr(importlib.import_module(module), attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="minemap")
def main():
    """minemap: figures from mine-clearance reports on Azerbaijan's returned territories, mapped by district.

    Typical use: `minemap run` (the embedded sample corpus into outputs/), or `minemap run REPORTS/ -o OUT/`.
    """


if __name__ == "__main__":  # python -m minemap.cli
    main()
