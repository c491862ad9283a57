"""Options shared by several commands, checked the same way everywhere."""
from __future__ import annotations

import click

from minemap.extraction.run_options import ENGINES, Budget


class IsoDate(click.ParamType):
    """A day written YYYY-MM-DD within the plausible range (minemap.api.check_date): --date, --from, --to."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        from minemap.api import check_date

        try:
            return check_date(value, "date")
        except ValueError as exc:  # click names the option; the reason follows "date: "
            self.fail(str(exc).removeprefix("date: "), param, ctx)


ISO_DATE = IsoDate()

_DEFAULT = Budget()


def extraction_options(command):
    """--jobs, --engine, --scheduler, --doc-timeout, --doc-memory: how documents are read and extracted.
    The command receives them as keyword arguments and passes them on with `extraction_kwargs`."""
    options = [
        click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(1, None),
                     help="Extract in this many processes (same records, same order)."),
        click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
                     help="local: worker processes on this machine; dask: distribute the files with Dask "
                          "(pip install 'minemap[dask]'); both give the same records."),
        click.option("--scheduler", metavar="ADDRESS",
                     help="With --engine dask: the address of a dask.distributed scheduler (tcp://host:8786); "
                          "default: a local pool of --jobs processes."),
        click.option("--doc-timeout", type=click.FloatRange(0), default=_DEFAULT.seconds, show_default=True,
                     metavar="SECONDS", help="Time budget to read and extract one document (0: none); a "
                                             "document over it is skipped and listed with the reason."),
        click.option("--doc-memory", type=click.IntRange(0), default=_DEFAULT.memory_mb, show_default=True,
                     metavar="MIB", help="Memory budget of one document (0: none); a document over it is "
                                         "skipped and listed with the reason."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def extraction_kwargs(jobs, engine, scheduler, doc_timeout, doc_memory) -> dict:
    """The options of `extraction_options`, checked together, as keyword arguments of minemap.run."""
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler goes with --engine dask")
    return {"jobs": jobs, "engine": engine, "scheduler": scheduler, "doc_timeout": doc_timeout,
            "doc_memory": doc_memory}
