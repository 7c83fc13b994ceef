"""``routeplan formats``: the route-table formats diff reads."""

from __future__ import annotations

import click

from routeplan.cli.app import cli
from routeplan.cli.options import report_option
from routeplan.report.listings import render_formats


@cli.command()
@report_option(("text", "json"), "text", "text is a table; json lists every field.")
def formats(fmt: str) -> None:
    """The route-table formats diff reads, in the order auto-detection tries them.

    \b
    Example:
      routeplan formats
      routeplan diff --routes rib.txt --format ios-bgp
    """
    click.echo(render_formats(fmt), nl=False)
