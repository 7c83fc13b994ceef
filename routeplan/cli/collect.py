"""``routeplan collect``: what to fetch from routers."""

from __future__ import annotations

from pathlib import Path

import click

from routeplan.cli.app import cli
from routeplan.cli.options import (
    State,
    communities_option,
    freshness_options,
    instance_option,
    policy_option,
    report_option,
    rows_option,
    services_option,
    split_list,
    version_option,
)
from routeplan.report.output import to_json


@cli.group()
def collect() -> None:
    """What to fetch from routers: the few commands the check needs, not the whole table."""


@collect.command("commands")
@freshness_options
@click.option(
    "--platform",
    required=True,
    type=click.Choice(["frr", "ios", "iosxe", "iosxr", "nxos", "eos", "junos", "bird"]),
    help="The router's platform (frr today: see docs/fleet.md).",
)
@instance_option
@version_option
@rows_option
@communities_option
@services_option
@policy_option("Path policy (docs/policy.md): its ExpressRoute AS numbers are collected.")
@report_option(
    ("text", "json"),
    "text",
    "text: one command a line, to paste or feed to a collector; json: the commands and counts.",
)
@click.pass_obj
def collect_commands(
    state: State,
    platform: str,
    instance: str,
    version: str | None,
    rows: str | None,
    communities: tuple[str, ...],
    services: tuple[str, ...],
    policy_file: Path | None,
    fmt: str,
) -> None:
    """The commands that fetch only what 'routeplan diff' needs from one router.

    For each prefix of the plan: the routes inside it (longer-prefixes), one exact lookup of
    every shorter prefix that could cover it (the default route included; shared ones asked
    once), and the routes through the ExpressRoute AS numbers. Run them on the router, save
    their output in one file, and give that file to 'routeplan diff': it reads as the full
    table would, for a small part of the bytes. Use the same route filter here and in diff.

    \b
    Examples:
      routeplan collect commands --platform frr --communities 12076:5010,12076:5030,12076:5100
      routeplan collect commands --platform frr -o json
    """
    from routeplan.commands import collect_commands as commands_for  # noqa: PLC0415
    from routeplan.policy import Policy  # noqa: PLC0415
    from routeplan.report.collect import collect_record, render_text  # noqa: PLC0415

    view = state.deciding_view(instance, version, rows)
    found = commands_for(
        view,
        platform,
        communities=split_list(communities),
        services=split_list(services),
        policy=Policy.from_option(policy_file),
        max_catalog_age=state.max_age,
    )
    if fmt == "json":
        click.echo(to_json(collect_record(found)), nl=False)
    else:
        click.echo(render_text(found), nl=False)
