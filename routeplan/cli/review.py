"""``routeplan review``: what a change does to Microsoft 365 traffic, for a change board."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    inventory_option,
    is_named,
    note_bare_routers,
    out_file_option,
    policy_option,
    progress,
    report_option,
    rib_format_option,
    router_files,
    rows_option,
    services_option,
    split_list,
)
from routeplan.errors import UsageError
from routeplan.report.output import to_json
from routeplan.report.review import ChangeInfo

if TYPE_CHECKING:
    from routeplan.policy import Policy


Header = tuple[str | None, ChangeInfo | None]
"""The time of the run (with --timestamp) and what the board files the change under."""


def _header(
    timestamp: bool, title: str | None, change_id: str | None, author: str | None
) -> Header:
    stamp = (
        dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat() if timestamp else None
    )
    given = title or change_id or author
    return stamp, (ChangeInfo(title, change_id, author) if given else None)


@cli.command()
@freshness_options
@files_option(
    "--before", help_text="Route tables before the change (any format; repeat for several)."
)
@files_option(
    "--after", help_text="Route tables after the change (or the routers' intended state)."
)
@files_option(
    "--routes", help_text="Route tables for both sides, when only the catalog or plan changes."
)
@inventory_option(
    "Routers and their tables before the change, as an inventory (YAML or CSV, "
    "docs/fleet.md); with --inventory-after, routers are matched by name.",
    "--inventory-before",
    "inventory_before",
)
@inventory_option(
    "Routers and their tables after the change (default: the same tables as before, "
    "when only the catalog, the route filter or the plan changes).",
    "--inventory-after",
    "inventory_after",
)
@rib_format_option("Format of the route tables; auto detects it.")
@instance_option
@rows_option
@click.option(
    "--catalog-before",
    default=None,
    metavar="VERSION",
    help="Catalog version before (default: latest).",
)
@click.option(
    "--catalog-after",
    default=None,
    metavar="VERSION",
    help="Catalog version after (default: the before version).",
)
@click.option(
    "--changes",
    "changes_file",
    type=click.Path(path_type=Path, readable=False),
    default=None,
    metavar="FILE",
    help="A web-service /changes file: applied to the before catalog to make the after one, and "
    "its impact values and effective dates are reported.",
)
@communities_option
@services_option
@click.option(
    "--communities-after",
    multiple=True,
    metavar="LIST",
    help="Route filter after the change (default: unchanged).",
)
@click.option(
    "--services-after",
    multiple=True,
    metavar="LIST",
    help="Route filter after the change, by service.",
)
@click.option(
    "--plan-before",
    type=click.Path(path_type=Path, readable=False),
    default=None,
    metavar="FILE",
    help="A plan JSON (routeplan plan -o json) for the before side.",
)
@click.option(
    "--plan-after",
    type=click.Path(path_type=Path, readable=False),
    default=None,
    metavar="FILE",
    help="A candidate plan JSON for the after side.",
)
@policy_option(
    "Path policy (docs/policy.md).",
)
@report_option(
    ("markdown", "html", "json", "csv", "junit", "sarif"),
    "markdown",
    "markdown for change tickets, html for a single self-contained page with a picture, "
    "json (schema routeplan/review/1), csv (one line per prefix that changes path), junit "
    "and sarif for CI (the verdict and a case per catalog prefix; docs/ci.md).",
)
@out_file_option
@click.option(
    "--timestamp",
    is_flag=True,
    help="Put the time of the run in the report (off by default: same inputs, same bytes).",
)
@click.option("--title", default=None, metavar="TEXT", help="The report's title (heads it).")
@click.option(
    "--change-id",
    default=None,
    metavar="ID",
    help="The change's reference (CHG0042): printed at the top of the report and in JSON.",
)
@click.option("--author", default=None, metavar="NAME", help="Who prepared the change.")
@fail_on_option(
    "Exit 1 when the verdict is at least this severe: error = blocking, warning = review needed.",
)
@click.option(
    "--topology",
    "topology_file",
    type=click.Path(path_type=Path, readable=False),
    default=None,
    metavar="FILE",
    help="With --fail: review a failure in this topology (docs/topology.md).",
)
@click.option(
    "--fail",
    "failure",
    default=None,
    metavar="circuit:NAME|router:NAME|link:A-B",
    help="What fails, in the --topology: which sites and services move, and where.",
)
@click.pass_obj
def review(
    state: State,
    before: tuple[Path, ...],
    after: tuple[Path, ...],
    routes: tuple[Path, ...],
    rib_format: str,
    instance: str,
    rows: str | None,
    catalog_before: str | None,
    catalog_after: str | None,
    changes_file: Path | None,
    communities: tuple[str, ...],
    services: tuple[str, ...],
    communities_after: tuple[str, ...],
    services_after: tuple[str, ...],
    plan_before: Path | None,
    plan_after: Path | None,
    policy_file: Path | None,
    fmt: str,
    out_file: Path | None,
    timestamp: bool,
    title: str | None,
    change_id: str | None,
    author: str | None,
    fail_on: str,
    topology_file: Path | None,
    failure: str | None,
    inventory_before: Path | None,
    inventory_after: Path | None,
) -> None:
    """What a change does to Microsoft 365 traffic: a report for the change board.

    Compares a before and an after side. Change any of: the route tables (--before/--after),
    the catalog (--catalog-before/--catalog-after, or --changes FILE), the route filter
    (--communities-after/--services-after) or the whole plan (--plan-before/--plan-after).
    The report starts with a verdict and a short summary, then the impact per service area and
    per row, then every prefix that changes path, the findings that appear, disappear or
    persist, the prefix-list lines to add and remove, and the catalog changes, each traced to
    its file and line, catalog version, endpoint set and row.

    \b
    Verdict:
      blocking       new error findings after the change, or prefixes that lose every route
      review needed  prefixes change path, new warnings, ExpressRoute-relevant catalog
                     changes, a changed route filter or prefix-list, route changes on
                     Microsoft 365 prefixes
      no impact      none of these

    \b
    Exit status: 0 below --fail-on, 1 at or above it, 2 usage error, 3 unreadable input.

    \b
    Examples:
      routeplan review --before examples/review/before-edge1.txt \\
          --after examples/review/after-edge1.txt \\
          --communities 12076:5010,12076:5030,12076:5100 \\
          --communities-after 12076:5010,12076:5020,12076:5030,12076:5100 -o html --out r.html
      routeplan review --catalog-before 2021-10-11 --routes edge1.txt
      routeplan review --topology examples/topology/topology.yaml --fail circuit:er-ams
    """
    if topology_file is not None or failure is not None:
        _review_failure(state, topology_file, failure, fmt, out_file, fail_on)
        return
    header = _header(timestamp, title, change_id, author)
    from routeplan.commands import review_change, several_routers  # noqa: PLC0415
    from routeplan.fsutil import write_output  # noqa: PLC0415
    from routeplan.policy import Policy  # noqa: PLC0415
    from routeplan.report.ci import CI_FORMATS, Suite, ci_report, review_cases  # noqa: PLC0415
    from routeplan.report.review import (  # noqa: PLC0415
        render_csv,
        render_html,
        render_markdown,
        review_record,
    )

    sides: dict[str, Any] = {
        "instance": instance,
        "rows": rows,
        "prefer": state.prefer,
        "catalog_before": catalog_before,
        "catalog_after": catalog_after,
        "changes": changes_file,
        "communities": split_list(communities),
        "services": split_list(services),
        "communities_after": split_list(communities_after),
        "services_after": split_list(services_after),
        "plan_before": plan_before,
        "plan_after": plan_after,
        "max_catalog_age": state.max_age,
    }
    if inventory_before is not None or inventory_after is not None:
        if inventory_before is None or before or after or routes:
            raise UsageError(
                "--inventory-before (with --inventory-after, or alone for the same tables on "
                "both sides) replaces --before, --after and --routes",
                hint="routeplan review --inventory-before now.yaml --inventory-after next.yaml",
            )
        _review_inventories(
            state, fmt, out_file, header, fail_on, inventory_before, inventory_after,
            sides, rib_format=rib_format, policy=Policy.from_option(policy_file),
        )  # fmt: skip
        return
    given_b = [str(p) for p in before or routes]
    routers_b = router_files(given_b)
    given_a = [str(p) for p in after]
    routers_a = router_files(given_a) if after else None
    # the files themselves, without their ROUTER= names
    before = tuple(p for _, ps in routers_b for p in ps) if before else ()
    routes = tuple(p for _, ps in routers_b for p in ps) if routes else ()
    after = tuple(p for _, ps in routers_a or () for p in ps)
    # one router on each side is one router, unless both sides named theirs
    pair_single = not (any(map(is_named, given_b)) and any(map(is_named, given_a)))
    if several_routers(routers_b, routers_a, pair_single=pair_single):
        note_bare_routers("--routes" if routes else "--before", given_b)
        _review_fleet(
            state,
            fmt,
            out_file,
            header,
            fail_on,
            routers_b,
            routers_a,
            sides,
            before=before,
            after=after,
            routes=routes,
            rib_format=rib_format,
            policy=Policy.from_option(policy_file),
            pair_single=pair_single,
        )
        return
    result = review_change(
        state.catalog(),
        before=before,
        after=after,
        routes=routes,
        format_name=rib_format,
        policy=Policy.from_option(policy_file),
        progress=progress(),
        **sides,
    )
    state.warn(result.after.plan.catalog_age)
    stamp, change = header
    if fmt == "json":
        text = to_json(review_record(result, stamp, change=change))
    elif fmt in CI_FORMATS:
        suites = [Suite("review", review_cases(result))]
        text = ci_report(fmt, "routeplan review", suites, fail_on)
    elif fmt == "html":
        text = render_html(result, stamp, change=change)
    elif fmt == "csv":
        text = render_csv(result)
    else:
        text = render_markdown(result, stamp, change=change)
    if out_file is not None:
        write_output(out_file, text)
        click.echo(f"routeplan: wrote {out_file} ({result.verdict.value})", err=True)
    else:
        click.echo(text, nl=False)
    finish(result.worst(), fail_on)


def _review_inventories(
    state: State,
    fmt: str,
    out_file: Path | None,
    header: Header,
    fail_on: str,
    inventory_before: Path,
    inventory_after: Path | None,
    sides: dict[str, Any],
    *,
    rib_format: str,
    policy: Policy,
) -> None:
    """Two inventories (or one for both sides): each router reviewed on its own."""
    from routeplan.commands import review_inventories  # noqa: PLC0415
    from routeplan.inventory import load_inventory  # noqa: PLC0415

    if fmt in ("html", "csv"):
        raise UsageError(f"-o {fmt} reviews one router; for an inventory use markdown or json")
    fleet = review_inventories(
        state.catalog(),
        load_inventory(inventory_before),
        None if inventory_after is None else load_inventory(inventory_after),
        format_name=rib_format,
        policy=policy,
        progress=progress(),
        **sides,
    )
    _fleet_report(state, fmt, out_file, header, fail_on, fleet)


def _review_fleet(
    state: State,
    fmt: str,
    out_file: Path | None,
    header: Header,
    fail_on: str,
    routers_b: list[tuple[str, list[Path]]],
    routers_a: list[tuple[str, list[Path]]] | None,
    sides: dict[str, Any],
    *,
    before: tuple[Path, ...],
    after: tuple[Path, ...],
    routes: tuple[Path, ...],
    rib_format: str,
    policy: Policy,
    pair_single: bool,
) -> None:
    """Several routers: each reviewed on its own, a fleet table first (docs/review.md)."""
    from routeplan.commands import check_review_request, review_routers  # noqa: PLC0415

    check_review_request(routes=routes, before=before, after=after)
    if fmt in ("html", "csv"):
        raise UsageError(
            f"-o {fmt} reviews one router; for several use -o markdown or -o json",
            hint="or review each router on its own: routeplan review --before A --after A2",
        )
    fleet = review_routers(
        state.catalog(),
        before=routers_b,
        after=routers_a,
        format_name=rib_format,
        policy=policy,
        progress=progress(),
        pair_single=pair_single,
        **sides,
    )
    _fleet_report(state, fmt, out_file, header, fail_on, fleet)


def _fleet_report(
    state: State,
    fmt: str,
    out_file: Path | None,
    header: Header,
    fail_on: str,
    fleet: Any,  # a FleetReview (the command line does not import the comparison)
) -> None:
    from routeplan.fsutil import write_output  # noqa: PLC0415
    from routeplan.report.ci import CI_FORMATS, ci_report, review_suites  # noqa: PLC0415
    from routeplan.report.fleet import (  # noqa: PLC0415
        fleet_review_record,
        render_fleet_markdown,
    )

    for r in fleet.routers:
        state.warn(r.review.after.plan.catalog_age)
    stamp, change = header
    if fmt == "json":
        text = to_json(fleet_review_record(fleet, stamp, change=change))
    elif fmt in CI_FORMATS:
        text = ci_report(fmt, "routeplan review", review_suites(fleet), fail_on)
    else:
        text = render_fleet_markdown(fleet, stamp, change=change)
    if out_file is not None:
        write_output(out_file, text)
        click.echo(f"routeplan: wrote {out_file} ({fleet.verdict.value})", err=True)
    else:
        click.echo(text, nl=False)
    finish(fleet.worst(), fail_on, unread=len(fleet.failed))


def _review_failure(
    state: State,
    topology_file: Path | None,
    failure: str | None,
    fmt: str,
    out_file: Path | None,
    fail_on: str,
) -> None:
    from routeplan.commands import topology_what_if  # noqa: PLC0415
    from routeplan.fsutil import write_output  # noqa: PLC0415
    from routeplan.report.ci import CI_FORMATS  # noqa: PLC0415
    from routeplan.report.topology import (  # noqa: PLC0415
        whatif_csv,
        whatif_html,
        whatif_markdown,
        whatif_record,
        whatif_severity,
        whatif_verdict,
    )

    if topology_file is None or failure is None:
        raise UsageError("--topology and --fail go together")
    if fmt in CI_FORMATS:
        raise UsageError(
            f"-o {fmt} reports a review of route tables; a what-if (--topology, --fail) "
            "has markdown, html, json and csv",
        )
    found = topology_what_if(
        state.catalog(), topology_file, failure, prefer=state.prefer, max_catalog_age=state.max_age
    )
    analysis, moves = found.analysis, list(found.moves)
    state.warn(analysis.catalog_age)
    if fmt == "json":
        text = to_json(whatif_record(analysis, failure, moves))
    elif fmt == "html":
        text = whatif_html(analysis, failure, moves)
    elif fmt == "csv":
        text = whatif_csv(moves, analysis.catalog_age)
    else:
        text = whatif_markdown(analysis, failure, moves)
    if out_file is not None:
        write_output(out_file, text)
        click.echo(f"routeplan: wrote {out_file} ({whatif_verdict(moves, analysis)})", err=True)
    else:
        click.echo(text, nl=False)
    finish(whatif_severity(moves, analysis), fail_on)
