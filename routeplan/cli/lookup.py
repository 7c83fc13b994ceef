"""``routeplan lookup``: which rows and endpoint sets cover an address, prefix or name."""

from __future__ import annotations

import click

from routeplan.cli.app import cli
from routeplan.cli.options import (
    State,
    communities_option,
    freshness_options,
    instance_option,
    output_option,
    rows_option,
    services_option,
    split_list,
    version_option,
)
from routeplan.commands import lookup as lookup_answers
from routeplan.fleet import selection_of
from routeplan.report.listings import render_lookup


@cli.command()
@freshness_options
@click.argument("queries", nargs=-1, required=True, metavar="ADDRESS|PREFIX|FQDN...")
@instance_option
@version_option
@rows_option
@communities_option
@services_option
@output_option
@click.pass_obj
def lookup(
    state: State,
    queries: tuple[str, ...],
    instance: str,
    version: str | None,
    rows: str | None,
    communities: tuple[str, ...],
    services: tuple[str, ...],
    fmt: str,
) -> None:
    """Which rows and endpoint sets cover an address, prefix or host name, and which path
    it belongs on: ExpressRoute (with its community) or Internet-only, and why.

    Addresses and prefixes are answered by longest match, listing every covering catalog
    prefix. Host names are matched against the sets' URLs and the rows' destinations: an
    exact name beats a wildcard, and the most specific wildcard wins.

    \b
    Example:
      routeplan lookup 52.96.10.1 outlook.office365.com 40.69.150.142 4.145.74.230
      routeplan lookup 13.107.6.152/31 --communities 12076:5010 --output json
    """
    view = state.deciding_view(instance, version, rows)
    age = state.judge(view)
    selection = selection_of(view, split_list(communities), split_list(services))
    answers = lookup_answers(view, queries, selection)
    click.echo(render_lookup(view, answers, selection, age, fmt), nl=False)
