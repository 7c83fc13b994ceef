"""``routeplan plan``: the route filter, the ExpressRoute / Internet split, configuration."""

from __future__ import annotations

from pathlib import Path

import click

from routeplan.cli.app import cli
from routeplan.cli.options import (
    State,
    communities_option,
    fail_on_option,
    files_option,
    finish,
    freshness_options,
    instance_option,
    name_items,
    policy_option,
    progress,
    report_option,
    rib_format_option,
    rows_option,
    services_option,
    split_list,
    version_option,
)
from routeplan.errors import UsageError
from routeplan.report.output import to_json
from routeplan.yamlio import dump_yaml


@cli.command()
@freshness_options
@instance_option
@version_option
@rows_option
@communities_option
@services_option
@click.option(
    "--max-prefixes",
    type=int,
    default=None,
    metavar="N",
    help="Fit each prefix-list into N entries by covering addresses outside the catalog (never "
    "an address that must take the other path); the plan reports the cost.",
)
@files_option(
    "--advertise",
    help_text="Prefixes you announce to Microsoft on one peering session (your NAT pools): a "
    "prefix list or any route-table format. Repeat per session. Linted, and rendered by --vendor.",
)
@files_option(
    "--internet-advertise",
    help_text="Prefixes you announce to the Internet, to check against --advertise.",
)
@files_option(
    "--inbound",
    help_text="On-premises endpoints that Microsoft connects to from the Internet (the inbound "
    "rows, e.g. hybrid mail, AD FS): they must not sit in space announced over ExpressRoute.",
)
@files_option(
    "--routes",
    "-r",
    help_text="Current route tables (any format of 'routeplan formats'): the plan then lists what "
    "to change.",
)
@rib_format_option("Format of the --routes files.")
@policy_option(
    "Path policy for --routes (docs/policy.md).",
)
@report_option(
    ("text", "json", "yaml", "markdown", "html", "junit", "sarif"),
    "text",
    "The plan as a report (markdown and html carry the same sections); json and yaml follow "
    "the schema routeplan/plan/1; junit and sarif "
    "give the lint of --advertise and the check of --routes to CI (docs/ci.md).",
)
@click.option(
    "--vendor",
    default=None,
    metavar="NAME",
    help="Print router or Azure configuration instead of the report: ios, iosxr, nxos, eos, "
    "junos, frr, bird, azure-cli, azure-arm.",
)
@click.option(
    "--name",
    "names",
    multiple=True,
    metavar="KEY=VALUE",
    help="Rename a configuration object, e.g. --name er-v4=MS-ER-V4. Keys: er-v4, er-v6, "
    "internet-v4, internet-v6, communities, import-policy, export-policy, advertise-v4, "
    "advertise-v6, route-filter, route-filter-rule.",
)
@fail_on_option(
    "Exit 1 when an advertisement or route finding is at least this severe.",
)
@click.pass_obj
def plan(
    state: State,
    instance: str,
    version: str | None,
    rows: str | None,
    communities: tuple[str, ...],
    services: tuple[str, ...],
    max_prefixes: int | None,
    advertise: tuple[Path, ...],
    internet_advertise: tuple[Path, ...],
    inbound: tuple[Path, ...],
    routes: tuple[Path, ...],
    rib_format: str,
    policy_file: Path | None,
    fmt: str,
    vendor: str | None,
    names: tuple[str, ...],
    fail_on: str,
) -> None:
    """What to configure: the route filter, the ExpressRoute / Internet split and router
    configuration.

    Decides every catalog prefix for the route-filter selection, then sorts addresses (as
    routers do, by longest match) into ExpressRoute, Internet-only and not selected. Each list
    is its minimal exact CIDR list, so no ExpressRoute entry ever covers an Internet-only
    address: a hole stays a hole, and 'le 32' on an entry is safe. Every entry names the
    endpoint sets and rows it comes from.

    \b
    Advertisement lint (--advertise) codes:
      adv-not-public             private, CGNAT, documentation or other special space
      adv-default                a default route
      adv-microsoft-space        Microsoft 365 space announced back to Microsoft
      adv-too-many               more than 200 prefixes on one session
      adv-also-internet          also announced to the Internet, not more specific over ER
      inbound-return-asymmetric  an --inbound endpoint inside space announced over ER
      adv-host-bits, adv-duplicate

    \b
    Exit status: 0 done, 1 findings at or above --fail-on, 2 usage error, 3 unreadable input.

    \b
    Examples:
      routeplan plan --communities 12076:5010,12076:5030,12076:5100 --vendor ios
      routeplan plan --services Exchange --advertise nat-pools.txt -o json
      routeplan plan --routes edge1.txt --max-prefixes 50 -o markdown
    """
    from routeplan.commands import plan_configuration, plan_outcome  # noqa: PLC0415
    from routeplan.policy import Policy  # noqa: PLC0415
    from routeplan.render import Names, get_vendor  # noqa: PLC0415
    from routeplan.report.ci import CI_FORMATS, ci_report, plan_suites  # noqa: PLC0415
    from routeplan.report.document import render_html  # noqa: PLC0415
    from routeplan.report.plan import (  # noqa: PLC0415
        plan_document,
        plan_record,
        render_markdown,
        render_text,
    )

    if vendor:
        get_vendor(vendor)  # an unknown vendor is a usage error before anything is read
    if fmt in CI_FORMATS and not (advertise or inbound or routes):
        raise UsageError(
            f"-o {fmt} reports findings: of --advertise, --inbound or --routes; give one",
            hint="routeplan plan --advertise nat-pools.txt -o junit",
        )
    config_names = name_items(names)
    Names.from_options(config_names)  # so are unknown --name keys
    view = state.deciding_view(instance, version, rows)
    outcome = plan_outcome(
        view,
        communities=split_list(communities),
        services=split_list(services),
        max_prefixes=max_prefixes,
        advertise=advertise,
        internet_advertise=internet_advertise,
        inbound=inbound,
        routes=routes,
        format_name=rib_format,
        policy=Policy.from_option(policy_file) if routes else None,
        progress=progress(),
        max_catalog_age=state.max_age,
    )
    if vendor:
        click.echo(plan_configuration(outcome, vendor, config_names), nl=False)
        if not outcome.plan.allowed:
            click.echo(
                "routeplan: the route filter allows nothing in this instance; the "
                "configuration accepts no route",
                err=True,
            )
    elif fmt in ("json", "yaml"):
        record = plan_record(outcome)
        click.echo(to_json(record) if fmt == "json" else dump_yaml(record), nl=False)
    elif fmt in CI_FORMATS:
        click.echo(ci_report(fmt, "routeplan plan", plan_suites(outcome), fail_on), nl=False)
    elif fmt == "markdown":
        click.echo(render_markdown(outcome), nl=False)
    elif fmt == "html":
        click.echo(render_html(plan_document(outcome)), nl=False)
    else:
        click.echo(render_text(outcome), nl=False)
    finish(outcome.worst(), fail_on)
