"""The ``routeplan`` command: options in, library calls, rendered output, an exit status.

No planning logic lives here; every command calls the library and renders what it returns.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from routeplan import __version__
from routeplan.catalog import (
    bundled_catalog_dir,
    load_catalog,
    select_view,
    user_catalog_dir,
    write_snapshot,
)
from routeplan.catalog.age import DEFAULT_MAX_AGE_DAYS, CatalogAge, catalog_age
from routeplan.catalog.present import (
    community_record,
    fqdn_answer_record,
    lookup_text,
    prefix_answer_record,
    row_record,
    row_table_records,
    set_record,
    snapshot_records,
    view_context,
)
from routeplan.catalog.query import CatalogView, Source
from routeplan.catalog.store import snapshot_path
from routeplan.catalog.webservice import INSTANCES, canonical_instance, snapshot_from_json
from routeplan.errors import ExitStatus, InputError, RouteplanError, UsageError
from routeplan.model import Catalog, Direction, Provenance
from routeplan.output import FORMATS, render_listing, to_json
from routeplan.rib import bgptable
from routeplan.yamlio import dump_yaml, load_document


def _build() -> str:
    """How this installation reads large route tables, for ``--version``."""
    if bgptable.SKIM is not None:
        return "with the C route-table skimmer"
    if os.environ.get("ROUTEPLAN_PURE") == "1":
        return "pure Python: ROUTEPLAN_PURE=1"
    return "pure Python: the C route-table skimmer was not built"


CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class State:
    """What the top-level options say; passed to every command."""

    def __init__(self, catalog_dir: Path | None, user_catalog: bool) -> None:
        self.catalog_dir = catalog_dir
        self.user_catalog = user_catalog
        self.prefer = Source.WEB_SERVICE.value
        self.max_age = DEFAULT_MAX_AGE_DAYS
        self.fail_on_stale = False
        self.stale = False
        self._warned: set[tuple[str, str]] = set()
        self._catalog: Catalog | None = None

    def catalog(self) -> Catalog:
        if self._catalog is None:
            if self.catalog_dir is not None:
                self._catalog = load_catalog([bundled_catalog_dir(), self.catalog_dir])
            else:
                self._catalog = load_catalog(include_user=self.user_catalog)
        return self._catalog

    def view(self, instance: str, version: str | None, rows: str | None) -> CatalogView:
        return select_view(self.catalog(), instance, version, rows, self.prefer)

    def deciding_view(self, instance: str, version: str | None, rows: str | None) -> CatalogView:
        """The view a deciding command answers from; its age is judged (:meth:`judge`)."""
        view = self.view(instance, version, rows)
        self.judge(view)
        return view

    def judge(self, view: CatalogView) -> CatalogAge:
        """How old the view's data is; warns once on stderr when it is stale."""
        age = catalog_age(view.snapshot, self.max_age)
        if age.stale:
            self.stale = True
            key = (age.instance, age.version)
            if key not in self._warned:
                self._warned.add(key)
                click.echo(f"routeplan: warning: {age.warning()}", err=True)
        return age


class _Run:
    """What main() learns of a run after the command returned: the state it ran with."""

    state: State | None = None


def _split_list(values: Sequence[str]) -> list[str]:
    out: list[str] = []
    for value in values:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return out


output_option = click.option(
    "--output",
    "-o",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text is a readable table; json and yaml carry every field; csv is one line a record.",
)
instance_option = click.option(
    "--instance",
    "-i",
    default="Worldwide",
    show_default=True,
    metavar="NAME",
    help="Web-service instance: " + ", ".join(INSTANCES) + " (any case).",
)
version_option = click.option(
    "--version",
    "-V",
    "version",
    default=None,
    metavar="VERSION",
    help="Snapshot to use: a version such as 2024073100, a capture date such as 2025-12-01, "
    "or latest (the default). 'routeplan catalog show' lists them.",
)
communities_option = click.option(
    "--communities",
    "communities",
    multiple=True,
    metavar="LIST",
    help="Route filter: communities allowed, e.g. 12076:5010,12076:5020 (default: every "
    "Microsoft 365 community of the instance).",
)
services_option = click.option(
    "--services",
    "services",
    multiple=True,
    metavar="LIST",
    help="Route filter by service: Exchange, SharePoint, Skype, Common, or a community "
    "name such as 'Microsoft Entra ID'.",
)
_F = TypeVar("_F", bound=Callable[..., Any])
FAIL_ON = ("error", "warning", "info", "never")


def files_option(*names: str, help_text: str) -> Callable[[_F], _F]:
    """An option taking FILE, repeatable."""
    return click.option(
        *names,
        multiple=True,
        type=click.Path(path_type=Path, readable=False),
        metavar="FILE",
        help=help_text,
    )


def policy_option(help_text: str = "Path policy (YAML, docs/policy.md).") -> Callable[[_F], _F]:
    return click.option(
        "--policy",
        "policy_file",
        type=click.Path(path_type=Path, readable=False),
        default=None,
        metavar="FILE",
        help=help_text,
    )


def fail_on_option(help_text: str) -> Callable[[_F], _F]:
    return click.option(
        "--fail-on",
        type=click.Choice(FAIL_ON),
        default="error",
        show_default=True,
        help=help_text,
    )


_rows_label_option = click.option(
    "--rows",
    "rows",
    default=None,
    metavar="LABEL",
    help="Version of the additional-endpoints table (default: the 16-row table, seed-16).",
)


def _set_prefer(ctx: click.Context, param: click.Parameter, value: str) -> None:
    state = ctx.find_object(State)
    if state is not None:
        state.prefer = value


_prefer_option = click.option(
    "--prefer",
    type=click.Choice([s.value for s in Source]),
    default=Source.WEB_SERVICE.value,
    show_default=True,
    expose_value=False,
    callback=_set_prefer,
    help="Which source decides where the web service and the additional-endpoints table "
    "disagree: web-service (Microsoft's maintained source; the table decides only what it "
    "does not cover) or rows (follow the table). Disagreements are reported either way.",
)


def _set_max_age(ctx: click.Context, param: click.Parameter, value: int) -> None:
    state = ctx.find_object(State)
    if state is not None:
        state.max_age = value


def _set_fail_on_stale(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    state = ctx.find_object(State)
    if state is not None and value:
        state.fail_on_stale = True


_max_age_option = click.option(
    "--max-catalog-age",
    type=click.IntRange(min=0),
    default=DEFAULT_MAX_AGE_DAYS,
    show_default=True,
    envvar="ROUTEPLAN_MAX_CATALOG_AGE",
    show_envvar=True,
    metavar="DAYS",
    expose_value=False,
    callback=_set_max_age,
    help="Warn (stderr, and in the report) when the catalog snapshot used is older than "
    "this; 0 turns the warning off. Microsoft announces additions about 30 days ahead.",
)
_fail_on_stale_option = click.option(
    "--fail-on-stale",
    is_flag=True,
    expose_value=False,
    callback=_set_fail_on_stale,
    help="Exit 5 when the catalog is older than --max-catalog-age (findings, exit 1, come "
    "first): a CI gate that refuses to pass on old data.",
)


def freshness_options(f: _F) -> _F:
    """--max-catalog-age and --fail-on-stale, for every command that decides."""
    return _max_age_option(_fail_on_stale_option(f))


def rows_option(f: _F) -> _F:
    """--rows and --prefer: which table version, and which source wins (docs/catalog.md)."""
    return _rows_label_option(_prefer_option(f))


@click.group(context_settings=CONTEXT)
@click.version_option(
    __version__,
    "--version",
    prog_name="routeplan",
    message="%(prog)s %(version)s (" + _build() + ")",
)
@click.option(
    "--catalog-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    envvar="ROUTEPLAN_CATALOG_DIR",
    show_envvar=True,
    help="Your catalog directory (imported snapshots), read after the bundled catalog. "
    "Default: ~/.local/share/routeplan/catalog (XDG_DATA_HOME).",
)
@click.option(
    "--no-user-catalog",
    is_flag=True,
    help="Read only the bundled catalog, ignoring your catalog directory.",
)
@click.option("--traceback", is_flag=True, help="Show a Python traceback on errors.")
@click.pass_context
def cli(
    ctx: click.Context, catalog_dir: Path | None, no_user_catalog: bool, traceback: bool
) -> None:
    """Plan and verify routing for Azure ExpressRoute for Microsoft 365.

    routeplan holds a versioned catalog of Microsoft 365 endpoints (the web service's endpoint
    sets for every instance, the additional-endpoints table, the ExpressRoute BGP communities)
    and answers which destinations belong on ExpressRoute and which must stay on the Internet.

    \b
    Start with:
      routeplan diff --routes rib.txt        check a router's route table
      routeplan formats                      the route-table formats diff reads
      routeplan catalog show                 what the catalog holds
      routeplan lookup 52.96.10.1 outlook.office365.com
      routeplan catalog rows                 the 16-row additional-endpoints table
      routeplan catalog sets --er            ExpressRoute endpoint sets

    Exit statuses: 0 ok, 1 findings, 2 usage error, 3 bad input, 4 input skipped,
    5 catalog too old (--fail-on-stale), 70 internal error, 130 interrupted (docs/cli.md).
    """
    state = State(catalog_dir, not no_user_catalog)
    if isinstance(ctx.obj, _Run):
        ctx.obj.state = state
    ctx.obj = state


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
    cat = state.catalog()
    snaps = snapshot_records(cat)
    tables = row_table_records(cat)
    if fmt == "text":
        out = render_listing(
            "text",
            schema="",
            key="",
            records=snaps,
            columns=[
                "instance",
                "version",
                "latest",
                "sets",
                "er_sets",
                "ipv4",
                "ipv6",
                "urls",
                "source",
            ],
            title="Endpoint sets (web service snapshots)",
        )
        out += "\n" + render_listing(
            "text",
            schema="",
            key="",
            records=tables,
            columns=["rows_version", "default", "rows", "title"],
            title="Additional-endpoints table",
        )
        service = [c for c in cat.communities.entries if c.kind in ("service", "national-service")]
        out += (
            f"\nBGP communities: {len(cat.communities.entries)} "
            f"({len(service)} service communities), "
            f"from {cat.communities.provenance.document}\n"
        )
        out += "Catalog directories: " + ", ".join(cat.roots) + "\n"
        click.echo(out, nl=False)
        return
    data = {
        "schema": "routeplan/catalog-show/1",
        "snapshots": snaps,
        "row_tables": tables,
        "communities": len(cat.communities.entries),
        "directories": list(cat.roots),
    }
    if fmt == "json":
        click.echo(to_json(data), nl=False)
    elif fmt == "yaml":
        click.echo(dump_yaml(data), nl=False)
    else:
        click.echo(
            render_listing(
                "csv",
                schema="",
                key="",
                records=snaps,
                columns=[
                    "instance",
                    "version",
                    "latest",
                    "service_version",
                    "retrieved",
                    "sets",
                    "er_sets",
                    "ipv4",
                    "ipv6",
                    "urls",
                    "source",
                ],
            ),
            nl=False,
        )


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
    selected = [r for r in view.rows.rows if not numbers or r.number in numbers]
    missing = sorted(set(numbers) - {r.number for r in selected})
    if missing:
        raise UsageError(
            f"no row {missing[0]} in {view.rows.label}", hint=f"rows are 1 to {len(view.rows.rows)}"
        )
    records = [row_record(view, r) for r in selected]
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
        notes = [f"row {r['row']}: {r['resolution_note']}" for r in records if r["resolution_note"]]
        taken = [r for r in records if r["taken_in"]]
        if taken:
            notes.append(
                "WEB SERVICE: names the web service has since taken in; where it answers "
                "otherwise it decides (docs/catalog.md); 'routeplan lookup NAME' shows both"
            )
        click.echo("".join(f"note: {n}\n" for n in notes), nl=False)


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
        service=_split_list(service),
        category=_split_list(category),
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
    entries = [
        c
        for c in state.catalog().communities.entries
        if show_all or c.kind in ("service", "national-service")
    ]
    records = [community_record(view, c) for c in entries]
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

        target = state.catalog_dir or user_catalog_dir()
        done = import_snapshots(file, target)
        for e in done:
            click.echo(f"imported {e.kind} {e.instance} {e.label} ({e.path}, sha256 verified)")
        click.echo(f"{len(done)} file(s) installed into {target}")
        return
    if instance is None:
        raise UsageError("--instance is required when importing a file")
    name = canonical_instance(instance)
    if name is None:
        raise UsageError(f"unknown instance {instance!r}", hint="known: " + ", ".join(INSTANCES))
    if service_version is not None and not (
        len(service_version) == 10 and (service_version.isascii() and service_version.isdigit())
    ):
        raise UsageError(f"--service-version {service_version!r} is not YYYYMMDDNN")
    try:
        day = dt.date.fromisoformat(retrieved) if retrieved else dt.date.today()
    except ValueError:
        raise UsageError(f"--retrieved {retrieved!r} is not a date (YYYY-MM-DD)") from None
    node = load_document(file, what="endpoints file")
    provenance = Provenance(
        document=source or f"Microsoft 365 IP Address and URL web service, /endpoints/{name}",
        version=service_version,
        retrieved=day,
        via=str(file),
    )
    snap = snapshot_from_json(
        node, instance=name, version=service_version, retrieved=day, provenance=provenance
    )
    target = state.catalog_dir or user_catalog_dir()
    existed = snapshot_path(target, snap).exists()
    path = write_snapshot(target, snap)
    click.echo(
        f"imported {len(snap.endpoint_sets)} endpoint sets of {name} as version {snap.label} "
        f"into {path}" + (" (replacing the earlier import of that version)" if existed else "")
    )


def _instances(value: str) -> list[str]:
    if value.lower() == "all":
        return list(INSTANCES)
    name = canonical_instance(value)
    if name is None:
        raise UsageError(f"unknown instance {value!r}", hint="known: all, " + ", ".join(INSTANCES))
    return [name]


@catalog.command("update")
@click.option(
    "--instance",
    "-i",
    default="Worldwide",
    show_default=True,
    metavar="NAME|all",
    help="Instance to update, or all four.",
)
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
        DEFAULT_BASE_URL,
        Client,
        catalog_lock,
        client_id,
        update_instance,
    )

    names = _instances(instance)
    if timeout <= 0 or deadline <= 0:
        raise UsageError("--timeout and --deadline must be more than 0 seconds")
    root = catalog_dir or state.catalog_dir or user_catalog_dir()
    base = base_url or os.environ.get("ROUTEPLAN_WEBSERVICE_URL") or DEFAULT_BASE_URL
    if not base.startswith(("http://", "https://")):
        raise UsageError(f"--base-url {base!r} is not an http(s) URL")
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
@click.option("--instance", "-i", default="all", show_default=True, metavar="NAME|all")
@click.pass_obj
def catalog_versions(state: State, fmt: str, instance: str) -> None:
    """Local snapshots per instance, with where each came from; * marks the version the last
    update or import recorded.

    \b
    Example:
      routeplan catalog versions --instance Worldwide
    """
    from routeplan.catalog.update import read_state  # noqa: PLC0415

    cat = state.catalog()
    root = state.catalog_dir or user_catalog_dir()
    names = {n.lower() for n in _instances(instance)}
    records = []
    for snap in cat.snapshots:
        if snap.instance.lower() not in names:
            continue
        marker = read_state(root, snap.instance)
        path = snapshot_path(root, snap)
        records.append(
            {
                "instance": snap.instance,
                "version": snap.label,
                "current": "*" if marker and marker.version == snap.version else "",
                "retrieved": snap.retrieved.isoformat(),
                "sets": len(snap.endpoint_sets),
                "stored": "user" if path.exists() else "bundled",
                "source": snap.provenance.document,
                "via": snap.provenance.via,
                "checked": marker.checked.isoformat() if marker and marker.checked else None,
            }
        )
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
@click.option("--instance", "-i", default="Worldwide", show_default=True, metavar="NAME|all")
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
    from routeplan.catalog.update import stored_changes  # noqa: PLC0415

    if from_version is not None or to_version is not None:
        _snapshot_changes(state, fmt, instance, from_version, to_version)
        return

    if since is not None and not (len(since) == 10 and (since.isascii() and since.isdigit())):
        raise UsageError(f"--since {since!r} is not YYYYMMDDNN")
    root = state.catalog_dir or user_catalog_dir()
    records: list[dict[str, Any]] = []
    for name in _instances(instance):
        for r in stored_changes(root, name):
            if since is not None and r.version <= since:
                continue
            flip = r.express_route_flip
            records.append(
                {
                    "instance": name,
                    "version": r.version,
                    "id": r.id,
                    "endpoint_set": r.set_id,
                    "disposition": r.disposition,
                    "impact": r.impact,
                    "effective": r.effective_date,
                    "expressroute": f"{flip[0]} -> {flip[1]}" if flip else "",
                    "added_ips": [str(p) for p in r.added_ips],
                    "removed_ips": [str(p) for p in r.removed_ips],
                    "added_urls": list(r.added_urls),
                    "removed_urls": list(r.removed_urls),
                    "description": r.description,
                }
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
    from routeplan.review import catalog_deltas  # noqa: PLC0415

    if from_version is None:
        raise UsageError("--to needs --from", hint="for example --from 2021-10-11 --to latest")
    if instance.lower() == "all":
        raise UsageError("--from/--to compare one instance", hint="give --instance NAME")
    before = state.view(instance, from_version, None)
    after = state.view(instance, to_version, None)
    records = [
        {
            "kind": d.kind,
            "endpoint_set": d.set_id,
            "service_area": d.service_area,
            "express_route": d.express_route,
            "prefix": None if d.prefix is None else str(d.prefix),
            "url": d.url,
            "detail": d.detail,
            "what": str(d.prefix) if d.prefix else (d.url or d.detail),
        }
        for d in catalog_deltas(before, after)
    ]
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
@click.option("--instance", "-i", default="all", show_default=True, metavar="NAME|all")
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

    root = state.catalog_dir or user_catalog_dir()
    done = export_snapshots(state.catalog(), root, directory, _instances(instance))
    for e in done:
        click.echo(f"exported {e.kind} {e.instance} {e.label}: {e.path} sha256 {e.sha256[:16]}...")
    click.echo(f"{len(done)} file(s) and manifest.yaml in {directory}")


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
    selection = view.selection(_split_list(communities) or None, _split_list(services) or None)
    records: list[dict[str, Any]] = []
    for query in queries:
        text = query.strip()
        if _looks_like_address(text):
            records.append(prefix_answer_record(view.lookup_prefix(text, selection)))
        else:
            records.append(fqdn_answer_record(view.lookup_fqdn(text, selection)))
    if fmt == "text":
        click.echo(lookup_text(records, selection, age), nl=False)
        return
    if fmt == "csv":
        for r in records:  # a host name's longest match is its winning pattern
            r.setdefault(
                "longest_match",
                next((m["pattern"] for m in r.get("matches", []) if m["winner"]), None),
            )
            r["catalog_age_days"], r["catalog_stale"] = age.days, age.stale
        columns = [
            "query",
            "kind",
            "verdict",
            "path",
            "communities",
            "longest_match",
            "reason",
            "catalog_age_days",
            "catalog_stale",
        ]
        click.echo(
            render_listing("csv", schema="", key="", records=records, columns=columns), nl=False
        )
        return
    data = {
        "schema": "routeplan/lookup/1",
        **view_context(view, age),
        "route_filter": sorted(str(c) for c in selection.communities),
        "answers": records,
    }
    click.echo(to_json(data) if fmt == "json" else dump_yaml(data), nl=False)


@cli.command()
@freshness_options
@click.option(
    "--routes",
    "-r",
    "routes",
    multiple=True,
    required=True,
    metavar="[ROUTER=]FILE",
    help="A route table (router output, Azure route table, or the generic CSV/JSON form). "
    "Each file is one router, named by the file's stem or by ROUTER=; repeat for several "
    "routers, each checked on its own. Give one router several files (IPv4 and IPv6, VRFs) "
    "with the same name: -r edge1=v4.txt -r edge1=v6.txt.",
)
@click.option(
    "--format",
    "-f",
    "rib_format",
    default="auto",
    show_default=True,
    metavar="NAME",
    help="Route-table format; auto detects it. 'routeplan formats' lists the names.",
)
@instance_option
@version_option
@rows_option
@communities_option
@services_option
@policy_option(
    "Path policy (YAML, docs/policy.md): ExpressRoute and Internet next hops, neighbours, "
    "interfaces, communities and AS numbers.",
)
@click.option(
    "--output",
    "-o",
    "fmt",
    type=click.Choice(("text", "json", "markdown")),
    default="text",
    show_default=True,
    help="text for a terminal, json for scripts (schema routeplan/diff/2), markdown for a "
    "change ticket.",
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
    """
    from routeplan.check import check_routers, interest_for  # noqa: PLC0415  (keeps --help fast)
    from routeplan.diffreport import (  # noqa: PLC0415
        fleet_record,
        render_fleet_markdown,
        render_fleet_text,
    )
    from routeplan.plan import build_plan  # noqa: PLC0415
    from routeplan.policy import Policy  # noqa: PLC0415
    from routeplan.rib import get_format, read_routes  # noqa: PLC0415

    if rib_format != "auto":
        get_format(rib_format)
    view = state.deciding_view(instance, version, rows)
    selection = view.selection(_split_list(communities) or None, _split_list(services) or None)
    policy = Policy.from_option(policy_file)
    plan = build_plan(view, selection, max_catalog_age=state.max_age)
    routers = router_files(routes)
    files = [p for _, paths in routers for p in paths]
    inputs = read_routes(
        files,
        format_name=rib_format,
        interest=interest_for(plan, policy),
        lenient=lenient,
        progress=sys.stderr.isatty(),
    )
    if not any(sum(i.counts.values()) or i.skipped for i in inputs):
        raise InputError(
            "no routes found in " + ", ".join(f"{i.source} (read as {i.format})" for i in inputs),
            hint="check the files hold the command's output, or name the format with --format",
        )
    by_file = iter(inputs)
    result = check_routers(
        plan, [(name, [next(by_file) for _ in paths]) for name, paths in routers], policy
    )
    if fmt == "json":
        click.echo(to_json(fleet_record(result)), nl=False)
    elif fmt == "markdown":
        click.echo(render_fleet_markdown(result), nl=False)
    else:
        click.echo(render_fleet_text(result), nl=False)
    worst = result.worst()
    if fail_on != "never" and worst is not None and worst.rank >= _RANK[fail_on]:
        raise click.exceptions.Exit(int(ExitStatus.FINDINGS))
    if result.skipped:
        raise click.exceptions.Exit(int(ExitStatus.INPUT_SKIPPED))


_RANK = {"error": 3, "warning": 2, "info": 1}

_ROUTER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$")


def router_files(values: Sequence[str]) -> list[tuple[str, list[Path]]]:
    """``-r`` values as routers: ``NAME=PATH`` names the router, a bare path is named by its
    stem; the same NAME again adds a file to that router. Two bare paths with one stem are a
    usage error (name them).

    >>> router_files(["a=x.txt", "y/edge1.txt", "a=z.txt"])
    [('a', [PosixPath('x.txt'), PosixPath('z.txt')]), ('edge1', [PosixPath('y/edge1.txt')])]
    """
    out: dict[str, list[Path]] = {}
    bare: dict[str, str] = {}
    for value in values:
        name, eq, rest = value.partition("=")
        if eq and _ROUTER_NAME.match(name) and not Path(value).exists():
            out.setdefault(name, []).append(Path(rest))
            continue
        path = Path(value)
        stem = path.stem or value
        if stem in out:
            first = bare.get(stem, f"{stem}=...")
            raise UsageError(
                f"two route tables would both be router {stem!r}: {first} and {value}",
                hint=f"name each router: -r NAME={value} (the same NAME again for one router's "
                "further files)",
            )
        bare[stem] = value
        out[stem] = [path]
    return list(out.items())


def _name_items(values: Sequence[str]) -> dict[str, str]:
    out = {}
    for text in values:
        key, eq, value = text.partition("=")
        if not eq or not key.strip() or not value.strip():
            raise UsageError(
                f"--name takes KEY=VALUE, not {text!r}", hint="for example --name er-v4=MS-ER-V4"
            )
        out[key.strip()] = value.strip()
    return out


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
@click.option(
    "--format",
    "-f",
    "rib_format",
    default="auto",
    show_default=True,
    metavar="NAME",
    help="Format of the --routes files.",
)
@policy_option(
    "Path policy for --routes (docs/policy.md).",
)
@click.option(
    "--output",
    "-o",
    "fmt",
    type=click.Choice(("text", "json", "yaml", "markdown")),
    default="text",
    show_default=True,
    help="The plan as a report; json and yaml follow the schema routeplan/plan/1.",
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
    from routeplan.advertise import lint, read_announced  # noqa: PLC0415
    from routeplan.api import configuration_input  # noqa: PLC0415
    from routeplan.check import interest_for, run_check  # noqa: PLC0415
    from routeplan.plan import build_plan  # noqa: PLC0415
    from routeplan.planreport import (  # noqa: PLC0415
        PlanOutcome,
        plan_record,
        render_markdown,
        render_text,
    )
    from routeplan.policy import Policy  # noqa: PLC0415
    from routeplan.render import Names, get_vendor  # noqa: PLC0415
    from routeplan.rib import get_format, read_routes  # noqa: PLC0415

    chosen = get_vendor(vendor) if vendor else None
    config_names = Names.from_options(_name_items(names))
    if rib_format != "auto":
        get_format(rib_format)
    view = state.deciding_view(instance, version, rows)
    selection = view.selection(_split_list(communities) or None, _split_list(services) or None)
    the_plan = build_plan(view, selection, max_prefixes=max_prefixes, max_catalog_age=state.max_age)

    sessions = tuple(read_announced(p) for p in advertise)
    findings = None
    if sessions or internet_advertise or inbound:
        if not sessions:
            raise UsageError(
                "--internet-advertise and --inbound are checked against --advertise",
                hint="give the prefixes you announce over ExpressRoute with --advertise FILE",
            )
        findings = lint(
            sessions,
            catalog_prefixes=[e.prefix for e in the_plan.entries],
            internet=[read_announced(p) for p in internet_advertise],
            inbound=[read_announced(p) for p in inbound],
            inbound_rows=[r for r in view.rows.rows if r.direction is Direction.INBOUND],
        )
    check = None
    if routes:
        policy = Policy.from_option(policy_file)
        inputs = read_routes(
            list(routes),
            format_name=rib_format,
            interest=interest_for(the_plan, policy),
            progress=sys.stderr.isatty(),
        )
        check = run_check(the_plan, inputs, policy)
    outcome = PlanOutcome(the_plan, sessions, findings, check)

    if chosen is not None:
        # announcements with an error are left out of the configuration, and said so
        ci = configuration_input(
            the_plan, names=config_names, sessions=sessions, findings=findings or ()
        )
        click.echo(chosen.render(ci), nl=False)
        if not the_plan.allowed:
            click.echo(
                "routeplan: the route filter allows nothing in this instance; the "
                "configuration accepts no route",
                err=True,
            )
    elif fmt == "json":
        click.echo(to_json(plan_record(outcome)), nl=False)
    elif fmt == "yaml":
        click.echo(dump_yaml(plan_record(outcome)), nl=False)
    elif fmt == "markdown":
        click.echo(render_markdown(outcome), nl=False)
    else:
        click.echo(render_text(outcome), nl=False)
    worst = outcome.worst()
    if fail_on != "never" and worst is not None and worst.rank >= _RANK[fail_on]:
        raise click.exceptions.Exit(int(ExitStatus.FINDINGS))


def _read_plan_file(path: Path) -> tuple[str, str, list[str]]:
    """Instance, catalog version and allowed communities of a plan JSON (routeplan/plan/1)."""
    node = load_document(path, what="plan")
    schema = node.get("schema")
    if schema is None or schema.value != "routeplan/plan/1":
        raise node.error(
            "not a plan (schema routeplan/plan/1)",
            hint="write one with: routeplan plan ... --output json > plan.json",
        )
    cat = node["catalog"]
    communities = [c["community"].as_str() for c in node["route_filter"].list_of("communities")]
    return cat["instance"].as_str(), cat["version"].as_str(), communities


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
@click.option(
    "--format",
    "-f",
    "rib_format",
    default="auto",
    show_default=True,
    metavar="NAME",
    help="Format of the route tables; auto detects it.",
)
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
@click.option(
    "--output",
    "-o",
    "fmt",
    type=click.Choice(("markdown", "html", "json", "csv")),
    default="markdown",
    show_default=True,
    help="markdown for change tickets, html for a single self-contained page with a picture, "
    "json (schema routeplan/review/1), csv (one line per prefix that changes path).",
)
@click.option(
    "--out",
    "out_file",
    type=click.Path(path_type=Path, readable=False),
    default=None,
    metavar="FILE",
    help="Write the report here (atomically; - is stdout, a device or FIFO is written through) "
    "instead of to stdout.",
)
@click.option(
    "--timestamp",
    is_flag=True,
    help="Put the time of the run in the report (off by default: same inputs, same bytes).",
)
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
    fail_on: str,
    topology_file: Path | None,
    failure: str | None,
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
    from routeplan.api import review as api_review  # noqa: PLC0415
    from routeplan.catalog.changes import read_changes  # noqa: PLC0415
    from routeplan.catalog.query import CatalogView as View  # noqa: PLC0415
    from routeplan.check import interest_for  # noqa: PLC0415
    from routeplan.fsutil import write_output  # noqa: PLC0415
    from routeplan.plan import build_plan  # noqa: PLC0415
    from routeplan.policy import Policy  # noqa: PLC0415
    from routeplan.review import apply_changes  # noqa: PLC0415
    from routeplan.reviewreport import (  # noqa: PLC0415
        render_csv,
        render_html,
        render_markdown,
        review_record,
    )
    from routeplan.rib import get_format, read_routes  # noqa: PLC0415

    if not any(
        (
            routes,
            before,
            after,
            catalog_before,
            catalog_after,
            changes_file,
            plan_before,
            plan_after,
            communities_after,
            services_after,
        )
    ):
        # a CI gate whose variables came out empty must not pass as "no impact"
        raise UsageError(
            "nothing to compare: review needs what changes",
            hint="give route tables (--before and --after, or --routes), catalog versions "
            "(--catalog-before/--catalog-after), a change feed (--changes), plan files "
            "(--plan-before/--plan-after) or the route filter after the change "
            "(--communities-after/--services-after)",
        )
    if routes and (before or after):
        raise UsageError(
            "give --routes (the same tables on both sides) or --before/--after, not both"
        )
    if bool(before) != bool(after) and not routes:
        raise UsageError(
            "--before and --after go together",
            hint="for one set of tables on both sides use --routes",
        )
    if changes_file is not None and catalog_after is not None:
        raise UsageError("give --catalog-after or --changes, not both")
    if rib_format != "auto":
        get_format(rib_format)

    sel_before = _split_list(communities) or None, _split_list(services) or None
    sel_after = _split_list(communities_after) or None, _split_list(services_after) or None
    inst_b = inst_a = instance
    if plan_before is not None:
        inst_b, catalog_before, comm = _read_plan_file(plan_before)
        sel_before = comm, None
    if plan_after is not None:
        inst_a, catalog_after, comm = _read_plan_file(plan_after)
        sel_after = comm, None
    view_b = state.view(inst_b, catalog_before, rows)
    records = read_changes(changes_file) if changes_file is not None else ()
    if records:
        view_a: View = View(
            view_b.catalog, apply_changes(view_b.snapshot, records), view_b.rows, view_b.prefer
        )
    else:
        view_a = state.view(inst_a, catalog_after, rows)
    selection_b = view_b.selection(*sel_before)
    if sel_after == (None, None):
        selection_a = (
            view_a.selection([str(c) for c in selection_b.communities])
            if (sel_before != (None, None))
            else view_a.selection()
        )
    else:
        selection_a = view_a.selection(*sel_after)
    state.judge(view_a)
    plan_b = build_plan(view_b, selection_b, max_catalog_age=state.max_age)
    plan_a = build_plan(view_a, selection_a, max_catalog_age=state.max_age)

    policy = Policy.from_option(policy_file)
    progress = sys.stderr.isatty()
    interest = interest_for([plan_b, plan_a], policy)
    rib_b = (
        read_routes(
            list(before or routes), format_name=rib_format, progress=progress, interest=interest
        )
        if (before or routes)
        else []
    )
    rib_a = (
        read_routes(list(after), format_name=rib_format, progress=progress, interest=interest)
        if after
        else rib_b
    )
    result = api_review(
        view_b,
        plan_b,
        view_after=view_a,
        plan_after=plan_a,
        routes_before=rib_b,
        routes_after=rib_a,
        policy=policy,
        change_records=records,
    )
    stamp = (
        dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat() if timestamp else None
    )
    if fmt == "json":
        text = to_json(review_record(result, stamp))
    elif fmt == "html":
        text = render_html(result, stamp)
    elif fmt == "csv":
        text = render_csv(result)
    else:
        text = render_markdown(result, stamp)
    if out_file is not None:
        write_output(out_file, text)
        click.echo(f"routeplan: wrote {out_file} ({result.verdict.value})", err=True)
    else:
        click.echo(text, nl=False)
    worst = result.worst()
    if fail_on != "never" and worst is not None and worst.rank >= _RANK[fail_on]:
        raise click.exceptions.Exit(int(ExitStatus.FINDINGS))


def _review_failure(
    state: State,
    topology_file: Path | None,
    failure: str | None,
    fmt: str,
    out_file: Path | None,
    fail_on: str,
) -> None:
    from routeplan.fsutil import write_output  # noqa: PLC0415
    from routeplan.topology import analyse, load_topology  # noqa: PLC0415
    from routeplan.topology.analysis import (  # noqa: PLC0415
        check_failure_name,
        intended_choices,
        what_if,
    )
    from routeplan.topology.report import (  # noqa: PLC0415
        whatif_csv,
        whatif_html,
        whatif_markdown,
        whatif_record,
        whatif_verdict,
    )

    if topology_file is None or failure is None:
        raise UsageError("--topology and --fail go together")
    topo = load_topology(topology_file)
    try:
        check_failure_name(topo, failure)
    except (ValueError, LookupError) as exc:
        raise UsageError(str(exc)) from None
    view = state.deciding_view(topo.instance, None, None)
    analysis = analyse(topo, view, with_tables=False, max_catalog_age=state.max_age)
    intended = intended_choices(topo, analysis.services, analysis.carried)
    moves = what_if(topo, analysis.services, analysis.carried, intended, failure)
    if fmt == "json":
        text = to_json(whatif_record(analysis, failure, moves))
    elif fmt == "html":
        text = whatif_html(analysis, failure, moves)
    elif fmt == "csv":
        text = whatif_csv(moves, analysis.catalog_age)
    else:
        text = whatif_markdown(analysis, failure, moves)
    verdict = whatif_verdict(moves)
    if out_file is not None:
        write_output(out_file, text)
        click.echo(f"routeplan: wrote {out_file} ({verdict})", err=True)
    else:
        click.echo(text, nl=False)
    rank = {"blocking": 3, "review needed": 2, "no impact": 0}[verdict]
    if fail_on != "never" and rank and rank >= _RANK[fail_on]:
        raise click.exceptions.Exit(int(ExitStatus.FINDINGS))


@cli.group()
def topology() -> None:
    """Many sites and circuits: exits per site, hairpins, single points of failure."""


@topology.command("check")
@freshness_options
@click.argument("file", type=click.Path(path_type=Path, readable=False))
@click.option(
    "--output",
    "-o",
    "fmt",
    type=click.Choice(("text", "json", "markdown", "html")),
    default="text",
    show_default=True,
    help="json follows the schema routeplan/topology-check/1; html includes the picture.",
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
@click.pass_obj
def topology_check(
    state: State,
    file: Path,
    fmt: str,
    svg_file: Path | None,
    policy_file: Path | None,
    fail_on: str,
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

    \b
    Examples:
      routeplan topology check examples/topology/topology.yaml
      routeplan topology check topo.yaml -o html > topo.html --svg topo.svg
    """
    from routeplan.fsutil import write_output  # noqa: PLC0415
    from routeplan.policy import Policy  # noqa: PLC0415
    from routeplan.topology import analyse, load_topology  # noqa: PLC0415
    from routeplan.topology.report import (  # noqa: PLC0415
        check_record,
        render_html,
        render_markdown,
        render_text,
        topology_svg,
    )

    topo = load_topology(file)
    view = state.deciding_view(topo.instance, None, None)
    policy = Policy.from_option(policy_file)
    analysis = analyse(topo, view, policy=policy, max_catalog_age=state.max_age)
    if fmt == "json":
        click.echo(to_json(check_record(analysis)), nl=False)
    elif fmt == "markdown":
        click.echo(render_markdown(analysis), nl=False)
    elif fmt == "html":
        click.echo(render_html(analysis), nl=False)
    else:
        click.echo(render_text(analysis), nl=False)
    if svg_file is not None:
        write_output(svg_file, topology_svg(analysis))
    ranks = [_RANK[f.severity] for f in analysis.findings]
    if fail_on != "never" and ranks and max(ranks) >= _RANK[fail_on]:
        raise click.exceptions.Exit(int(ExitStatus.FINDINGS))


@cli.command()
@click.option(
    "--output",
    "-o",
    "fmt",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="text is a table; json lists every field.",
)
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


def _looks_like_address(text: str) -> bool:
    """An address or prefix (rather than a host name)?

    >>> _looks_like_address("52.96.10.1"), _looks_like_address("2603:1006::/40")
    (True, True)
    >>> _looks_like_address("outlook.office365.com")
    False
    """
    head = text.split("/", 1)[0]
    return (
        ":" in head
        or (head.replace(".", "").isdecimal() and head.count(".") == 3)
        or ("/" in text and head.replace(".", "").isdecimal())
    )


def _stop_on_sigterm() -> None:
    """SIGTERM ends a run like Ctrl-C: writes in progress are put back, exit status 130."""

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see :class:`ExitStatus`)."""
    args = list(sys.argv[1:] if argv is None else argv)
    show_traceback = "--traceback" in args
    _stop_on_sigterm()
    run = _Run()
    try:
        status = cli.main(args=args, prog_name="routeplan", standalone_mode=False, obj=run)
        if isinstance(status, int) and status:
            return _stale_status(run, status)  # a command's click.exceptions.Exit
    except click.exceptions.Exit as exc:
        return _stale_status(run, int(exc.exit_code))
    except click.ClickException as exc:
        exc.show()
        return int(ExitStatus.USAGE)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("routeplan: interrupted; files being written were left as they were", err=True)
        return int(ExitStatus.INTERRUPTED)
    except RouteplanError as exc:
        if show_traceback:
            traceback.print_exc()
        click.echo(f"routeplan: error: {exc}", err=True)
        return int(exc.exit_status)
    except OSError as exc:
        if show_traceback:
            traceback.print_exc()
        if exc.filename is None:
            return _internal_error()
        # a file the user named that the system will not open: no such directory, no
        # permission, a name too long; the readers say most of these themselves
        name = str(exc.filename)
        name = name if len(name) <= 200 else name[:200] + "..."
        click.echo(f"routeplan: error: {name}: {exc.strerror or exc}", err=True)
        return int(ExitStatus.INPUT)
    except Exception:
        traceback.print_exc() if show_traceback else None
        return _internal_error()
    return _stale_status(run, int(ExitStatus.OK))


def _stale_status(run: _Run, status: int) -> int:
    """--fail-on-stale: a run that would pass (or only skipped input) fails on old data."""
    state = run.state
    if (
        state is not None
        and state.stale
        and state.fail_on_stale
        and status in (ExitStatus.OK, ExitStatus.INPUT_SKIPPED)
    ):
        return int(ExitStatus.STALE)
    return status


def _internal_error() -> int:
    click.echo(
        "routeplan: internal error (a bug in routeplan); run again with --traceback and "
        "report what it prints",
        err=True,
    )
    return int(ExitStatus.INTERNAL)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
