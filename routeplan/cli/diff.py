"""``routeplan diff``: where Microsoft 365 traffic really goes, router by router."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from routeplan.cli.app import cli
from routeplan.cli.options import (
    State,
    communities_option,
    fail_on_option,
    finish,
    fleet_progress,
    freshness_options,
    instance_option,
    inventory_option,
    jobs_option,
    note_bare_routers,
    policy_option,
    progress,
    report_option,
    rib_format_option,
    router_files,
    routes_option,
    rows_option,
    services_option,
    split_list,
    version_option,
)
from routeplan.errors import UsageError
from routeplan.report.output import to_json


@cli.command()
@freshness_options
@routes_option(
    "A route table (router output, Azure route table, or the generic CSV/JSON form). "
    "Each file is one router, named by the file's stem or by ROUTER=; repeat for several "
    "routers, each checked on its own. Give one router several files (IPv4 and IPv6, VRFs) "
    "with the same name: -r edge1=v4.txt -r edge1=v6.txt.",
    required=False,
)
@inventory_option(
    "Routers and their route-table files (YAML or CSV, docs/fleet.md) instead of -r; a "
    "router whose files are missing is reported, and the others are checked."
)
@rib_format_option()
@instance_option
@version_option
@rows_option
@communities_option
@services_option
@policy_option(
    "Path policy (YAML, docs/policy.md): ExpressRoute and Internet next hops, neighbours, "
    "interfaces, communities and AS numbers.",
)
@report_option(
    ("text", "json", "markdown", "html", "junit", "sarif"),
    "text",
    "text for a terminal, json for scripts (schema routeplan/diff/2), markdown for a "
    "change ticket, html for one self-contained page (the same sections), junit and sarif "
    "for CI (a test case per router and catalog prefix; "
    "docs/ci.md).",
)
@fail_on_option(
    "Exit 1 when a finding is at least this severe (never: always exit 0 after a check).",
)
@click.option(
    "--lenient",
    is_flag=True,
    help="Skip malformed lines (counted and reported; exit status 4 when nothing else fails) "
    "instead of stopping at the first one.",
)
@jobs_option
@click.option(
    "--rq",
    "rq_url",
    metavar="URL",
    default=None,
    help="Check each router as a job on RQ workers over this Redis (NetBox's job queue: "
    "'rq worker routeplan' on any machine that sees the files; docs/fleet.md) instead of "
    "--jobs; a router that cannot be read is reported for that router.",
)
@click.option(
    "--rq-queue",
    default="routeplan",
    show_default=True,
    metavar="NAME",
    help="The RQ queue the workers serve (with --rq).",
)
@click.pass_obj
def diff(
    state: State,
    routes: tuple[str, ...],
    rib_format: str,
    instance: str,
    version: str | None,
    rows: str | None,
    communities: tuple[str, ...],
    services: tuple[str, ...],
    policy_file: Path | None,
    fmt: str,
    fail_on: str,
    lenient: bool,
    jobs: int,
    inventory_file: Path | None,
    rq_url: str | None,
    rq_queue: str,
) -> None:
    """Where Microsoft 365 traffic really goes, prefix by prefix, and what is wrong with it.

    Reads route tables (what routers or Azure have learned), decides for every catalog prefix
    the intended path (ExpressRoute when eligible and selected by the route filter, otherwise
    the Internet) and the actual path (longest match, plus every more-specific route inside
    the prefix), and reports the difference: + lines must join the ExpressRoute path, - lines
    must leave it, then findings by severity with the deciding route's file and line.

    \b
    Finding codes:
      er-prefix-via-internet          selected ExpressRoute prefix reached via the Internet
      internet-only-via-expressroute  Internet-only address under a route to ExpressRoute
      unselected-via-expressroute     eligible, not selected, yet routed over ExpressRoute
      split-path                      part of a prefix goes one way, part the other
      no-route                        no route at all, not even a default
      unexpected-expressroute-route   learned over ExpressRoute, no catalog prefix explains it

    \b
    With several routers, each is checked on its own: a fleet summary comes first, then one
    section per router; the exit status is the worst over all routers. JSON is
    routeplan/diff/2 (docs/diff.md): the routeplan/diff/1 fields over every router, each
    finding naming its router, plus one section per router.

    \b
    Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage error,
    3 unreadable input, 4 lines skipped by --lenient, 5 catalog too old (--fail-on-stale).

    \b
    Examples:
      routeplan diff --routes examples/rib/edge1-show-ip-bgp.txt
      routeplan diff -r edge1=edge1.txt -r edge1=edge1-v6.txt --services Exchange,SharePoint
      routeplan diff -r ams=ams-edge.txt -r lon=lon-edge.txt -o json
      routeplan diff --inventory routers.yaml --rq redis://localhost:6379/0
    """
    from routeplan.commands import diff_inventory, diff_routers  # noqa: PLC0415  (--help fast)
    from routeplan.inventory import load_inventory  # noqa: PLC0415
    from routeplan.policy import Policy  # noqa: PLC0415
    from routeplan.report.ci import CI_FORMATS, ci_report, diff_suites  # noqa: PLC0415
    from routeplan.report.diff import (  # noqa: PLC0415
        fleet_document,
        fleet_record,
        render_fleet_markdown,
        render_fleet_text,
    )
    from routeplan.report.document import render_html  # noqa: PLC0415

    if bool(routes) == (inventory_file is not None):
        raise UsageError(
            "give the route tables with -r/--routes or with --inventory (one of them)",
            hint="for example: routeplan diff -r edge1.txt, or routeplan diff --inventory "
            "routers.yaml",
        )
    view = state.deciding_view(instance, version, rows)
    common: dict[str, Any] = {
        "communities": split_list(communities),
        "services": split_list(services),
        "policy": Policy.from_option(policy_file),
        "format_name": rib_format,
        "lenient": lenient,
        "progress": progress(),
        "max_catalog_age": state.max_age,
        "jobs": jobs,
    }
    if rq_url is not None:
        from routeplan.distributed import diff_fleet  # noqa: PLC0415
        from routeplan.fleet import inventory_items, router_items  # noqa: PLC0415

        if inventory_file is not None:
            items = inventory_items(load_inventory(inventory_file), rib_format)
        else:
            note_bare_routers("-r", routes)
            items = router_items(router_files(routes), rib_format)
        for key in ("format_name", "progress", "jobs"):
            del common[key]
        result = diff_fleet(
            rq_url, view, items, queue=rq_queue, progress=fleet_progress(), **common
        )
    elif inventory_file is not None:
        result = diff_inventory(view, load_inventory(inventory_file), **common)
    else:
        note_bare_routers("-r", routes)
        result = diff_routers(view, router_files(routes), **common)
    if fmt == "json":
        click.echo(to_json(fleet_record(result)), nl=False)
    elif fmt in CI_FORMATS:
        click.echo(ci_report(fmt, "routeplan diff", diff_suites(result), fail_on), nl=False)
    elif fmt == "markdown":
        click.echo(render_fleet_markdown(result), nl=False)
    elif fmt == "html":
        click.echo(render_html(fleet_document(result)), nl=False)
    else:
        click.echo(render_fleet_text(result), nl=False)
    finish(result.worst(), fail_on, skipped=result.skipped, unread=len(result.failed))
