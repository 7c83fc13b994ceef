"""``routeplan topology``: many sites and circuits, exits per site, single points of failure."""

from __future__ import annotations

from pathlib import Path

import click

from routeplan.cli.app import cli
from routeplan.cli.options import (
    State,
    fail_on_option,
    finish,
    freshness_options,
    inventory_option,
    policy_option,
    report_option,
)
from routeplan.model import worst_of
from routeplan.report.output import to_json


@cli.group()
def topology() -> None:
    """Many sites and circuits: exits per site, hairpins, single points of failure."""


@topology.command("check")
@freshness_options
@click.argument("file", type=click.Path(path_type=Path, readable=False))
@report_option(
    ("text", "json", "markdown", "html", "junit", "sarif"),
    "text",
    "json follows the schema routeplan/topology-check/1; html includes the picture; junit "
    "and sarif (a case per site) are for CI (docs/ci.md).",
)
@click.option(
    "--svg",
    "svg_file",
    type=click.Path(path_type=Path, readable=False),
    default=None,
    metavar="FILE",
    help="Also write the topology picture as SVG.",
)
@policy_option(
    "Path policy for the route tables.",
)
@fail_on_option(
    "Exit 1 when a finding is at least this severe.",
)
@inventory_option(
    "The route tables of the topology's routers, as an inventory (YAML or CSV, "
    "docs/fleet.md), matched by router name; a router whose files are missing is reported "
    "(table-not-read) and the others are checked."
)
@click.pass_obj
def topology_check(
    state: State,
    file: Path,
    fmt: str,
    svg_file: Path | None,
    policy_file: Path | None,
    fail_on: str,
    inventory_file: Path | None,
) -> None:
    """Check a multi-site topology (YAML, docs/topology.md) against the catalog.

    For each site and service: the intended exit (the nearest circuit whose route filter
    carries it, else the nearest breakout) and the actual one (from the routers' route
    tables). Findings:

    \b
      no-exit                  a site reaches no circuit and no breakout
      hairpin                  Internet-bound traffic leaves at a far breakout
      far-circuit              ExpressRoute traffic crosses a region while a near circuit exists
      single-point-of-failure  one circuit or router whose loss takes a service off ExpressRoute
      asymmetric-return        traffic leaves through a circuit that does not announce the
                               site's NAT pool
      table-not-read           a router's route table (from --inventory) could not be read

    \b
    Examples:
      routeplan topology check examples/topology/topology.yaml
      routeplan topology check topo.yaml -o html > topo.html --svg topo.svg
    """
    from routeplan.commands import topology_check as check_topology  # noqa: PLC0415
    from routeplan.fsutil import write_output  # noqa: PLC0415
    from routeplan.inventory import load_inventory  # noqa: PLC0415
    from routeplan.policy import Policy  # noqa: PLC0415
    from routeplan.report.ci import CI_FORMATS, ci_report, topology_suites  # noqa: PLC0415
    from routeplan.report.topology import (  # noqa: PLC0415
        check_record,
        render_html,
        render_markdown,
        render_text,
        topology_svg,
    )

    analysis = check_topology(
        state.catalog(),
        file,
        policy=Policy.from_option(policy_file),
        prefer=state.prefer,
        max_catalog_age=state.max_age,
        inventory=None if inventory_file is None else load_inventory(inventory_file),
    )
    state.warn(analysis.catalog_age)
    if fmt == "json":
        click.echo(to_json(check_record(analysis)), nl=False)
    elif fmt in CI_FORMATS:
        suites = topology_suites(analysis)
        click.echo(ci_report(fmt, "routeplan topology check", suites, fail_on), nl=False)
    elif fmt == "markdown":
        click.echo(render_markdown(analysis), nl=False)
    elif fmt == "html":
        click.echo(render_html(analysis), nl=False)
    else:
        click.echo(render_text(analysis), nl=False)
    if svg_file is not None:
        write_output(svg_file, topology_svg(analysis))
    finish(worst_of(f.severity for f in analysis.findings), fail_on)
