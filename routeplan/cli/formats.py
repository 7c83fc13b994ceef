"""``routeplan formats``: the route-table formats diff reads."""

from __future__ import annotations

import click

from routeplan.cli.app import cli
from routeplan.cli.options import report_option
from routeplan.report.output import to_json


@cli.command()
@report_option(("text", "json"), "text", "text is a table; json lists every field.")
def formats(fmt: str) -> None:
    """The route-table formats diff reads, in the order auto-detection tries them.

    \b
    Example:
      routeplan formats
      routeplan diff --routes rib.txt --format ios-bgp
    """
    from routeplan.rib import FORMATS  # noqa: PLC0415

    records = [
        {
            "name": f.name,
            "title": f.title,
            "commands": list(f.commands),
            "notes": f.notes,
        }
        for f in FORMATS
    ]
    if fmt == "json":
        click.echo(to_json({"schema": "routeplan/formats/1", "formats": records}), nl=False)
        return
    for r in records:
        click.echo(f"{r['name']:<14} {r['title']}")
        for command in r["commands"]:
            click.echo(f"{'':<14}   {command}")
