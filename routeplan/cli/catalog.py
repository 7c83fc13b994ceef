"""``routeplan catalog``: show, query, import, update and export the catalog."""

from __future__ import annotations

from pathlib import Path

import click

from routeplan.catalog.webservice import INSTANCES
from routeplan.cli.app import cli
from routeplan.cli.options import (
    State,
    instance_option,
    instances,
    instances_option,
    output_option,
    rows_option,
    split_list,
    version_option,
)
from routeplan.cli.options import service_version as service_version_value
from routeplan.errors import UsageError
from routeplan.report.listings import (
    community_records,
    render_catalog_show,
    row_notes,
    row_records,
    set_record,
    snapshot_change_records,
    stored_change_records,
    version_records,
    view_context,
)
from routeplan.report.output import render_listing


@cli.group()
def catalog() -> None:
    """Show, query and import the Microsoft 365 catalog."""


@catalog.command("show")
@output_option
@click.pass_obj
def catalog_show(state: State, fmt: str) -> None:
    """Instances, versions and counts of the catalog, with their sources.

    \b
    Example:
      routeplan catalog show
      routeplan catalog show --output json
    """
    click.echo(render_catalog_show(state.catalog(), fmt), nl=False)


@catalog.command("rows")
@instance_option
@version_option
@rows_option
@click.option("--row", "numbers", type=int, multiple=True, help="Show only these rows.")
@output_option
@click.pass_obj
def catalog_rows(
    state: State,
    instance: str,
    version: str | None,
    rows: str | None,
    numbers: tuple[int, ...],
    fmt: str,
) -> None:
    """The additional-endpoints table, with what each row resolves to.

    Each row carries whether ExpressRoute BGP communities apply (Yes/No/blank), the CIDR
    column as data (named IP range sets, qualifiers such as 'Internet-only IPs', literal
    prefixes, customer ranges), structured ports, the direction of the traffic and, resolved
    against the chosen instance, the endpoint sets its range sets stand for.

    \b
    Example:
      routeplan catalog rows
      routeplan catalog rows --row 5 --row 14 --output yaml
      routeplan catalog rows --rows 2025-01-08
    """
    view = state.view(instance, version, rows)
    records = row_records(view, numbers)
    context = view_context(view)
    click.echo(
        render_listing(
            fmt,
            schema="routeplan/rows/1",
            key="rows",
            records=records,
            context=context,
            columns=[
                "row",
                "requirement",
                "er_communities",
                "cidr_text",
                "ports_text",
                "direction",
                "endpoint_sets",
                "web_service",
                "purpose",
            ],
            title=f"{view.rows.title} ({view.rows.label}), resolved for {view.instance} "
            f"{view.snapshot.label}",
        ),
        nl=False,
    )
    if fmt == "text":
        click.echo(row_notes(records), nl=False)


@catalog.command("sets")
@instance_option
@version_option
@click.option(
    "--service",
    multiple=True,
    metavar="AREA",
    help="Service area (Exchange, SharePoint, Skype, Common, MEM); repeat or comma-separate.",
)
@click.option("--category", multiple=True, metavar="NAME", help="Optimize, Allow or Default.")
@click.option(
    "--er/--no-er",
    "express_route",
    default=None,
    help="Only sets with expressRoute true (--er) or false (--no-er).",
)
@click.option(
    "--required/--optional", "required", default=None, help="Only required or only optional sets."
)
@output_option
@click.pass_obj
def catalog_sets(
    state: State,
    instance: str,
    version: str | None,
    service: tuple[str, ...],
    category: tuple[str, ...],
    express_route: bool | None,
    required: bool | None,
    fmt: str,
) -> None:
    """Web-service endpoint sets, with the communities that carry them.

    \b
    Example:
      routeplan catalog sets --er
      routeplan catalog sets --service Exchange --output json
      routeplan catalog sets --instance USGovDoD --category Optimize
    """
    view = state.view(instance, version, None)
    sets = view.endpoint_sets(
        service=split_list(service),
        category=split_list(category),
        express_route=express_route,
        required=required,
    )
    records = [set_record(view, es) for es in sets]
    click.echo(
        render_listing(
            fmt,
            schema="routeplan/endpoint-sets/1",
            key="endpoint_sets",
            records=records,
            context=view_context(view),
            columns=[
                "id",
                "service_area",
                "category",
                "express_route",
                "required",
                "communities",
                "ipv4_count",
                "ipv6_count",
                "tcp_ports_text",
                "udp_ports_text",
                "urls",
            ],
            title=f"Endpoint sets of {view.instance} {view.snapshot.label} ({len(records)})",
        ),
        nl=False,
    )


@catalog.command("communities")
@instance_option
@version_option
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="Also list the regional communities (Azure regions, national clouds).",
)
@output_option
@click.pass_obj
def catalog_communities(
    state: State, instance: str, version: str | None, show_all: bool, fmt: str
) -> None:
    """ExpressRoute BGP communities, and which endpoint sets each carries in an instance.

    \b
    Example:
      routeplan catalog communities
      routeplan catalog communities --instance USGovGCCHigh
      routeplan catalog communities --all --output csv
    """
    view = state.view(instance, version, None)
    records = community_records(view, show_all=show_all)
    note = view.instance_communities.note
    title = f"ExpressRoute BGP communities, as used by {view.instance} {view.snapshot.label}"
    if note:
        title += f"\nnote: {note}"
    click.echo(
        render_listing(
            fmt,
            schema="routeplan/communities/1",
            key="communities",
            records=records,
            context=view_context(view),
            columns=[
                "community",
                "name",
                "kind",
                "authorization",
                "endpoint_sets",
                "ipv4_count",
                "ipv6_count",
                "source",
            ],
            title=title,
        ),
        nl=False,
    )


@catalog.command("import")
@click.argument("file", type=click.Path(path_type=Path, readable=False), metavar="FILE|DIR")
@click.option(
    "--instance",
    "-i",
    default=None,
    metavar="NAME",
    help="The instance the file was fetched for: " + ", ".join(INSTANCES) + ".",
)
@click.option(
    "--service-version",
    default=None,
    metavar="YYYYMMDDNN",
    help="The service's version of this data (from /version), when known.",
)
@click.option(
    "--retrieved",
    default=None,
    metavar="YYYY-MM-DD",
    help="When the data was fetched (default: today).",
)
@click.option(
    "--source",
    default=None,
    metavar="TEXT",
    help="Where the file came from (default: the web service's /endpoints URL).",
)
@click.pass_obj
def catalog_import(
    state: State,
    file: Path,
    instance: str,
    service_version: str | None,
    retrieved: str | None,
    source: str | None,
) -> None:
    """Import an /endpoints/{instance} JSON file, or a directory made by 'catalog export'.

    A file is validated completely (every prefix, port list, category and id) before
    anything is written; the snapshot is then written atomically as
    endpoints/<instance>/<version>.yaml in your catalog directory (--instance is required).

    A directory (from 'routeplan catalog export' on a connected machine) is checked against
    its manifest: every file's SHA-256 and every snapshot, before anything is written; then
    all of it is installed at once, with the version markers last.

    \b
    Examples:
      curl -o ww.json "https://endpoints.office.com/endpoints/Worldwide?clientrequestid=$(uuidgen)"
      routeplan catalog import ww.json --instance Worldwide --service-version 2025103000
      routeplan catalog import /media/usb/routeplan-export
    """
    if file.is_dir():
        from routeplan.catalog.offline import import_snapshots  # noqa: PLC0415

        target = state.directory()
        done = import_snapshots(file, target)
        for e in done:
            click.echo(f"imported {e.kind} {e.instance} {e.label} ({e.path}, sha256 verified)")
        click.echo(f"{len(done)} file(s) installed into {target}")
        return
    if instance is None:
        raise UsageError("--instance is required when importing a file")
    from routeplan.catalog.offline import import_endpoints_file  # noqa: PLC0415

    imported = import_endpoints_file(
        file,
        state.directory(),
        instance=instance,
        service_version=service_version_value("--service-version", service_version),
        retrieved=retrieved,
        source=source,
    )
    click.echo(imported.message())


@catalog.command("update")
@instances_option("Worldwide")
@click.option(
    "--tenant",
    default=None,
    metavar="NAME",
    help="Tenant name the service puts into tenant-specific URLs.",
)
@click.option("--no-ipv6", is_flag=True, help="Ask the service to leave out IPv6 prefixes.")
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="The web service or a mirror of it (default: $ROUTEPLAN_WEBSERVICE_URL or "
    "https://endpoints.office.com).",
)
@click.option(
    "--catalog-dir",
    "catalog_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    metavar="DIR",
    help="Catalog directory to update (default: your catalog directory).",
)
@click.option("--force", is_flag=True, help="Ask /version even if it was asked within the hour.")
@click.option(
    "--timeout",
    type=float,
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="Timeout of each read from the service.",
)
@click.option(
    "--deadline",
    type=float,
    default=300.0,
    show_default=True,
    metavar="SECONDS",
    help="Time the whole update may take, retries and waits included.",
)
@click.pass_obj
def catalog_update(
    state: State,
    instance: str,
    tenant: str | None,
    no_ipv6: bool,
    base_url: str | None,
    catalog_dir: Path | None,
    force: bool,
    timeout: float,
    deadline: float,
) -> None:
    """Fetch new versions of the Microsoft 365 endpoints from the web service.

    Asks /version/{instance} (at most once an hour unless --force); when the service's version
    moved past the local one, fetches /endpoints and /changes since the local version,
    validates both, and stores the new snapshot beside the old ones with its change feed and
    the local version marker, all together or not at all. A 429 or 5xx is retried a few times
    (honouring Retry-After); a timeout, a cut-off, oversized (over 16 MiB) or invalid
    response, an exchange over --deadline, a version that goes backwards or a full disk
    leaves the catalog as it was and says so.

    \b
    Exit status: 0 done (updated or already current), 2 usage error, 3 the service could not
    be read or the catalog could not be written (nothing changed).

    \b
    Examples:
      routeplan catalog update
      routeplan catalog update --instance all
      routeplan catalog update --base-url http://mirror.example.net/m365 --force
    """
    from routeplan.catalog.update import (  # noqa: PLC0415
        Client,
        catalog_lock,
        client_id,
        service_url,
        update_instance,
    )

    names = instances(instance)
    if timeout <= 0 or deadline <= 0:
        raise UsageError("--timeout and --deadline must be more than 0 seconds")
    root = catalog_dir or state.directory()
    base = service_url(base_url)
    client = Client(
        base,
        client_id(),
        timeout=timeout,
        deadline=deadline,
        say=lambda text: click.echo(text, err=True),
    )
    if catalog_dir is not None:
        state = State(catalog_dir, state.user_catalog)
    with catalog_lock(root):
        catalog = state.catalog()
        for name in names:
            result = update_instance(
                catalog, root, name, client, force=force, tenant=tenant, no_ipv6=no_ipv6
            )
            click.echo(result.message)


@catalog.command("versions")
@output_option
@instances_option()
@click.pass_obj
def catalog_versions(state: State, fmt: str, instance: str) -> None:
    """Local snapshots per instance, with where each came from; * marks the version the last
    update or import recorded.

    \b
    Example:
      routeplan catalog versions --instance Worldwide
    """
    records = version_records(state.catalog(), state.directory(), instances(instance))
    click.echo(
        render_listing(
            fmt,
            schema="routeplan/versions/1",
            key="versions",
            records=records,
            columns=["instance", "version", "current", "retrieved", "sets", "stored", "via"],
            title="Local catalog versions",
        ),
        nl=False,
    )


@catalog.command("changes")
@output_option
@instances_option("Worldwide")
@click.option(
    "--since", default=None, metavar="VERSION", help="Only changes after this version (YYYYMMDDNN)."
)
@click.option(
    "--from",
    "from_version",
    default=None,
    metavar="VERSION",
    help="Compare two snapshots instead (bundled or imported; 'catalog show' lists them): "
    "this one ...",
)
@click.option(
    "--to",
    "to_version",
    default=None,
    metavar="VERSION",
    help="... with this one (default latest).",
)
@click.pass_obj
def catalog_changes(
    state: State,
    fmt: str,
    instance: str,
    since: str | None,
    from_version: str | None,
    to_version: str | None,
) -> None:
    """What changed, from the change feed stored by 'catalog update': impact, effective date,
    ExpressRoute flag flips, IPs and URLs added and removed. With --from (and --to), between
    any two snapshots of the catalog instead: sets added and removed, ExpressRoute, category
    and required flips, prefixes and URLs added and removed.

    \b
    Example:
      routeplan catalog changes --since 2025110100
      routeplan catalog changes --from 2021-10-11 --to 2025-12-01
    """
    if from_version is not None or to_version is not None:
        _snapshot_changes(state, fmt, instance, from_version, to_version)
        return
    root = state.directory()
    records = stored_change_records(
        root, instances(instance), since=service_version_value("--since", since)
    )
    if not records and fmt == "text":
        click.echo(
            "no stored changes"
            + (f" after {since}" if since else "")
            + f" in {root} (they are stored by 'routeplan catalog update')"
        )
        return
    shown = [
        {
            **r,
            "added": len(r["added_ips"]) + len(r["added_urls"]),
            "removed": len(r["removed_ips"]) + len(r["removed_urls"]),
        }
        for r in records
    ]
    click.echo(
        render_listing(
            fmt,
            schema="routeplan/changes/1",
            key="changes",
            records=shown if fmt in ("text", "csv") else records,
            columns=[
                "instance",
                "version",
                "id",
                "endpoint_set",
                "disposition",
                "impact",
                "effective",
                "expressroute",
                "added",
                "removed",
            ],
            title="Stored change feed",
        ),
        nl=False,
    )


def _snapshot_changes(
    state: State, fmt: str, instance: str, from_version: str | None, to_version: str | None
) -> None:
    if from_version is None:
        raise UsageError("--to needs --from", hint="for example --from 2021-10-11 --to latest")
    if instance.lower() == "all":
        raise UsageError("--from/--to compare one instance", hint="give --instance NAME")
    before = state.view(instance, from_version, None)
    after = state.view(instance, to_version, None)
    records = snapshot_change_records(before, after)
    title = (
        f"{before.instance} {before.snapshot.label} -> {after.snapshot.label}: "
        f"{len(records)} change(s)"
    )
    context = {
        "from": view_context(before)["catalog"],
        "to": view_context(after)["catalog"],
    }
    click.echo(
        render_listing(
            fmt,
            schema="routeplan/catalog-changes/1",
            key="changes",
            records=records,
            context=context,
            columns=["kind", "endpoint_set", "service_area", "express_route", "what"],
            title=title,
        ),
        nl=False,
    )


@catalog.command("export")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@instances_option()
@click.pass_obj
def catalog_export(state: State, directory: Path, instance: str) -> None:
    """Write the newest snapshot of each instance (and its stored change feed) into a new
    directory with a manifest of SHA-256 checksums, to carry to an air-gapped machine and
    load there with 'routeplan catalog import DIR'.

    \b
    Example:
      routeplan catalog export /media/usb/routeplan-export
    """
    from routeplan.catalog.offline import export_snapshots  # noqa: PLC0415

    root = state.directory()
    done = export_snapshots(state.catalog(), root, directory, instances(instance))
    for e in done:
        click.echo(f"exported {e.kind} {e.instance} {e.label}: {e.path} sha256 {e.sha256[:16]}...")
    click.echo(f"{len(done)} file(s) and manifest.yaml in {directory}")
