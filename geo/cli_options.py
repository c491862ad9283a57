"""Options shared by several commands, checked the same way everywhere."""
from __future__ import annotations

import click


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
