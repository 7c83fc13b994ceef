"""The stable library API, for scripts and for NetBox custom scripts (docs/library.md).

Everything here is a plain function over immutable values: no global state, nothing cached
between calls, safe to call again and again in one long-running process (a NetBox worker).
Prefixes may be given as text, :class:`~routeplan.model.Prefix`, ``ipaddress`` networks,
netaddr ``IPNetwork`` / ``IPSet``, or any object with a ``.prefix`` attribute holding one of
those (a NetBox ``ipam.Prefix``)::

    >>> import routeplan
    >>> view = routeplan.catalog_view(routeplan.load_catalog(include_user=False))
    >>> plan = routeplan.make_plan(view, communities=["12076:5010"])
    >>> text = "52.96.0.0/14 expressroute\\n0.0.0.0/0 internet\\n"
    >>> result = routeplan.check(plan, [routeplan.routes_from_text(text, name="paste")])
    >>> any(str(f.prefix) == "52.96.0.0/14" for f in result.findings)
    False
    >>> {f.code.value for f in result.findings}
    {'er-prefix-via-internet'}
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from routeplan.advertise import AdvFinding, Announced, lint
from routeplan.catalog.changes import ChangeRecord
from routeplan.catalog.query import CatalogView, select_view
from routeplan.catalog.store import load_catalog
from routeplan.commands import ReviewSides, configuration_input, review_of
from routeplan.compare import Review
from routeplan.diff import DiffResult, interest_for, run_check
from routeplan.errors import InputError
from routeplan.model import Catalog, Direction, Prefix, parse_prefix
from routeplan.plan import Plan, build_plan
from routeplan.plan_outcome import PlanOutcome
from routeplan.policy import Policy
from routeplan.render import Names, render_config
from routeplan.rib.base import Interest
from routeplan.rib.read import (
    RibInput,
    decode_route_bytes,
    read_decoded,
    read_route_text,
    read_routes,
)


def as_prefixes(values: Iterable[Any], *, source: str = "<objects>") -> list[Prefix]:
    """Prefixes from text, ``Prefix``, ``ipaddress`` or netaddr networks and sets, or objects
    with a ``.prefix`` (a NetBox ``ipam.Prefix``). Host bits are cleared, as NetBox allows
    ``10.1.2.3/24`` in a prefix field.

    >>> [str(p) for p in as_prefixes(["192.0.2.0/24", "2001:db8::1"])]
    ['192.0.2.0/24', '2001:db8::1/128']
    """
    out: list[Prefix] = []
    for n, value in enumerate(values):
        out.extend(_prefixes_of(value, source, n))
    return out


def _prefixes_of(value: Any, source: str, n: int) -> list[Prefix]:
    if isinstance(value, Prefix):
        return [value]
    if isinstance(value, str):
        return [parse_prefix(value, source=source, path=(n,), allow_host=True, mask_host=True)]
    if isinstance(value, (ipaddress.IPv4Network, ipaddress.IPv6Network)):
        return [parse_prefix(str(value))]
    if hasattr(value, "iter_cidrs"):  # netaddr.IPSet
        return [parse_prefix(str(c)) for c in value.iter_cidrs()]
    if hasattr(value, "cidr") and hasattr(value, "prefixlen"):  # netaddr.IPNetwork
        return [parse_prefix(str(value.cidr))]
    if hasattr(value, "prefix"):
        return _prefixes_of(value.prefix, source, n)
    raise InputError(
        f"cannot read a prefix from {type(value).__name__} {value!r:.60}",
        source=source,
        path=(n,),
        hint="give text, an IP network or set, or an object with a .prefix",
    )


def catalog_view(
    catalog: Catalog | None = None,
    instance: str = "Worldwide",
    version: str | None = None,
    rows: str | None = None,
    prefer: str = "web-service",
) -> CatalogView:
    """One instance and version of the catalog (the bundled and user catalog by default);
    ``prefer="rows"`` lets the additional-endpoints table decide where it disagrees with the
    web service (docs/catalog.md)."""
    return select_view(catalog or load_catalog(), instance, version, rows, prefer)


def routes_from_text(
    text: str | bytes,
    *,
    name: str = "<text>",
    format_name: str = "auto",
    lenient: bool = False,
    interest: Interest | None = None,
) -> RibInput:
    """Parse a route table given as text or bytes (an upload, a paste). With ``interest``
    (:func:`check_interest`), only the routes that can matter to the check are kept: a full
    Internet table then costs little time and memory."""
    if isinstance(text, bytes):
        decoded, head = decode_route_bytes(text, name)
        return read_decoded(
            decoded,
            head=head,
            name=name,
            format_name=format_name,
            lenient=lenient,
            interest=interest,
        )
    return read_route_text(
        text, name=name, format_name=format_name, lenient=lenient, interest=interest
    )


def routes_from_files(
    paths: Sequence[str | Path],
    *,
    format_name: str = "auto",
    lenient: bool = False,
    interest: Interest | None = None,
) -> list[RibInput]:
    """Parse route-table files (any format of ``routeplan formats``); ``interest`` as for
    :func:`routes_from_text`."""
    return read_routes(
        [Path(p) for p in paths], format_name=format_name, lenient=lenient, interest=interest
    )


def make_plan(
    view: CatalogView,
    communities: Sequence[str] | None = None,
    services: Sequence[str] | None = None,
    *,
    max_prefixes: int | None = None,
) -> Plan:
    """The plan for a route-filter selection (default: every community of the instance)."""
    return build_plan(view, view.selection(communities, services), max_prefixes=max_prefixes)


def check(plan: Plan, routes: Sequence[RibInput], policy: Policy | None = None) -> DiffResult:
    """Route tables against the plan: findings and changes (``routeplan diff``)."""
    return run_check(plan, routes, policy or Policy.default())


def check_interest(plan: Plan, policy: Policy | None = None) -> Interest:
    """What a reader must keep for :func:`check`: pass it to :func:`routes_from_text` or
    :func:`routes_from_files` (the counts stay whole; routes that cannot matter are dropped)."""
    return interest_for(plan, policy or Policy.default())


def review(
    view_before: CatalogView,
    plan_before: Plan,
    *,
    view_after: CatalogView | None = None,
    plan_after: Plan | None = None,
    routes_before: Sequence[RibInput] = (),
    routes_after: Sequence[RibInput] | None = None,
    policy: Policy | None = None,
    change_records: Sequence[ChangeRecord] = (),
) -> Review:
    """What a change does (``routeplan review``): the after side defaults to the before one, so
    give only what changes. A ``view_after`` without a ``plan_after`` gets the plan of the
    before side's route filter on the after catalog (as the command line does). Render with
    ``routeplan.report.review``."""
    policy = policy or Policy.default()
    if plan_after is None:
        if view_after is not None and view_after is not view_before:
            plan_after = build_plan(
                view_after,
                view_after.selection([str(c) for c in plan_before.selection.communities])
                if plan_before.selection.communities
                else view_after.selection(),
            )
        else:
            plan_after = plan_before
    sides = ReviewSides(
        view_before, plan_before, view_after or view_before, plan_after, tuple(change_records)
    )
    after_routes = routes_before if routes_after is None else routes_after
    return review_of(sides, routes_before, after_routes, policy)


def announced(values: Iterable[Any], *, name: str = "<objects>") -> Announced:
    """Announcements (one BGP session's) from prefixes in any accepted form."""
    return Announced(name, tuple((p, None) for p in as_prefixes(values, source=name)))


def lint_announcements(
    view: CatalogView,
    sessions: Sequence[Announced],
    *,
    internet: Sequence[Announced] = (),
    inbound: Sequence[Announced] = (),
) -> tuple[AdvFinding, ...]:
    """The advertisement lint of ``routeplan plan --advertise`` (docs/plan.md)."""
    return lint(
        sessions,
        catalog_prefixes=list(view.entries),
        internet=internet,
        inbound=inbound,
        inbound_rows=[r for r in view.rows.rows if r.direction is Direction.INBOUND],
    )


def outcome(
    plan: Plan,
    *,
    sessions: Sequence[Announced] = (),
    findings: Sequence[AdvFinding] | None = None,
    result: DiffResult | None = None,
) -> PlanOutcome:
    """A plan with its lint and route check, for the plan report renderers."""
    return PlanOutcome(plan, tuple(sessions), None if findings is None else tuple(findings), result)


def configuration(
    plan: Plan,
    vendor: str,
    *,
    names: dict[str, str] | None = None,
    advertise: Iterable[Any] = (),
) -> str:
    """Router or Azure configuration for a plan (``routeplan plan --vendor``); announcements
    the lint finds an error in are left out, as on the command line."""
    session = announced(advertise, name="advertise")
    return render_config(
        vendor,
        configuration_input(
            plan,
            names=Names.from_options(names or {}),
            sessions=[session] if session.prefixes else [],
        ),
    )
