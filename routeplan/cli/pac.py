"""``routeplan pac``: a proxy auto-config file that agrees with the routing plan."""

from __future__ import annotations

from pathlib import Path

import click

from routeplan.cli.app import cli
from routeplan.cli.options import (
    State,
    communities_option,
    freshness_options,
    instance_option,
    out_file_option,
    rows_option,
    services_option,
    split_list,
    version_option,
)


@cli.command()
@freshness_options
@instance_option
@version_option
@rows_option
@communities_option
@services_option
@click.option(
    "--proxy",
    metavar="HOST:PORT",
    default=None,
    help="The proxy that Internet-only and not-selected hosts (and, by default, hosts the "
    "catalog does not name) go to.",
)
@click.option(
    "--direct-internet",
    is_flag=True,
    help="Internet-only and not-selected hosts go DIRECT, to a local Internet breakout, "
    "instead of to the proxy.",
)
@click.option(
    "--other",
    type=click.Choice(("proxy", "direct")),
    default="proxy",
    show_default=True,
    help="Where hosts the catalog does not name go.",
)
@click.option(
    "--tenant",
    metavar="NAME",
    default=None,
    help="Your tenant name: '<tenant>' in the catalog's names becomes it (without it, "
    "'<tenant>' matches any one DNS label).",
)
@click.option(
    "--ip-rules",
    is_flag=True,
    help="Also decide hosts no name decides by their IPv4 address (the plan's ExpressRoute "
    "and Internet-only lists). Costs a DNS lookup in the browser for every such request.",
)
@out_file_option
@click.pass_obj
def pac(
    state: State,
    instance: str,
    version: str | None,
    rows: str | None,
    communities: tuple[str, ...],
    services: tuple[str, ...],
    proxy: str | None,
    direct_internet: bool,
    other: str,
    tenant: str | None,
    ip_rules: bool,
    out_file: Path | None,
) -> None:
    """A proxy auto-config (PAC) file that agrees with the routing plan.

    Hosts whose traffic the route filter sends over ExpressRoute go DIRECT (the router takes
    them onto the circuit); Internet-only hosts and eligible ones whose community is not
    selected go to --proxy (or DIRECT with --direct-internet); hosts the catalog does not
    name go where --other says. The catalog's names are tried as 'routeplan lookup' decides
    them: exact names first, then the most specific wildcard, so the file's answer for a
    host is lookup's verdict. It never tests the client's own address and resolves names
    only with --ip-rules.

    \b
    Examples:
      routeplan pac --communities 12076:5010,12076:5020 --proxy proxy.example.net:8080
      routeplan pac --services Exchange --direct-internet --other direct --out proxy.pac
      routeplan pac --proxy 10.0.0.1:3128 --tenant contoso --ip-rules
    """
    from routeplan.fsutil import write_output  # noqa: PLC0415
    from routeplan.pac import pac_for as pac_text  # noqa: PLC0415

    view = state.deciding_view(instance, version, rows)
    state.judge(view)
    text = pac_text(
        view,
        communities=split_list(communities),
        services=split_list(services),
        proxy=proxy,
        direct_internet=direct_internet,
        other=other,
        tenant=tenant,
        ip_rules=ip_rules,
    )
    if out_file is not None:
        write_output(out_file, text)
        click.echo(f"routeplan: wrote {out_file}", err=True)
    else:
        click.echo(text, nl=False)
