"""A fleet's steps, one router at a time: the items to check, the one plan, one router's
check in any process, and the fleet's result assembled from each router's.

``routeplan diff`` runs them in-process or in worker processes (``--jobs``,
:mod:`routeplan.commands`), and :mod:`routeplan.distributed` on RQ workers; all three run
exactly these steps, so their answers are the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from routeplan.catalog.age import DEFAULT_MAX_AGE_DAYS
from routeplan.catalog.query import CatalogView, Selection
from routeplan.diff import FleetResult, RouterResult, check_routers, interest_for, run_check
from routeplan.errors import InputError
from routeplan.inventory import Inventory
from routeplan.plan import Plan, build_plan
from routeplan.policy import Policy
from routeplan.rib import get_format, read_routes
from routeplan.rib.base import Interest, Progress
from routeplan.rib.read import RibInput, read_route_text

Routers = Sequence[tuple[str, Sequence[Path]]]
"""Route tables by router: each router's name and its files (IPv4 and IPv6, VRFs)."""


def known_format(format_name: str) -> None:
    """A usage error naming the known formats, for an unknown one."""
    if format_name not in ("auto", ""):
        get_format(format_name)


def selection_of(
    view: CatalogView,
    communities: Sequence[str] | None = None,
    services: Sequence[str] | None = None,
) -> Selection:
    """The route filter of ``--communities``/``--services`` (default: every community)."""
    return view.selection(list(communities or ()) or None, list(services or ()) or None)


FleetItem = tuple[str, "list[Path] | str", str]
"""One router to check: its name, its files (or why they cannot be had) and their format."""


def router_items(routers: Routers, format_name: str = "auto") -> list[FleetItem]:
    """The routers of ``-r`` as items to check (a usage error for an unknown format)."""
    known_format(format_name)
    return [(name, list(paths), format_name) for name, paths in routers]


def inventory_items(inventory: Inventory, format_name: str = "auto") -> list[FleetItem]:
    """An inventory's routers as items to check; a router whose files cannot be found carries
    the error instead of its files, to be reported for that router."""
    known_format(format_name)
    for r in inventory.routers:
        if r.format:
            known_format(r.format)
    items: list[FleetItem] = []
    for r in inventory.routers:
        try:
            items.append((r.name, r.paths(), r.format or format_name))
        except InputError as exc:
            items.append((r.name, str(exc), format_name))
    return items


def fleet_plan(
    view: CatalogView,
    items: Sequence[FleetItem],
    communities: Sequence[str] | None,
    services: Sequence[str] | None,
    policy: Policy,
    max_catalog_age: int = DEFAULT_MAX_AGE_DAYS,
) -> Plan:
    """The one plan every router is checked against; a router named twice is a usage error."""
    plan = build_plan(
        view, selection_of(view, communities, services), max_catalog_age=max_catalog_age
    )
    names = [name for name, _, _ in items]
    if len(set(names)) != len(names):
        check_routers(plan, [(n, []) for n in names], policy)  # the duplicate-name error
    return plan


def fleet_of(done: Sequence[RouterResult | tuple[str, str]]) -> FleetResult:
    """The fleet's result from each router's (in the routers' order): a router that could not
    be checked is ``(name, why)``. Not one route in any table is an input error."""
    result = FleetResult(
        tuple(d for d in done if isinstance(d, RouterResult)),
        tuple(d for d in done if not isinstance(d, RouterResult)),
    )
    inputs = [i for r in result.routers for i in r.result.inputs]
    if not any(sum(i.counts.values()) or i.skipped for i in inputs):
        if not inputs:
            raise InputError(
                "no router could be checked: "
                + "; ".join(f"{name}: {why}" for name, why in result.failed)
            )

        def read_as(i: RibInput) -> str:
            passed = "; passed over: " + ", ".join(i.sections_skipped) if i.sections_skipped else ""
            return f"read as {i.format}{passed}"

        one = len(inputs) == 1
        raise InputError(
            f"no IP routes found ({read_as(inputs[0])})"
            if one
            else "no IP routes found in " + ", ".join(f"{i.source} ({read_as(i)})" for i in inputs),
            source=inputs[0].source if one else None,
            hint="check the files hold the command's IP unicast output, or name the format "
            "with --format",
        )
    return result


_JOB: tuple[Plan, Policy, Interest, bool, bool] | None = None
"""A worker's plan, policy, interest, lenient and keep-going flags (set once per worker)."""


def start_worker(plan: Plan, policy: Policy, lenient: bool, keep_going: bool) -> None:
    global _JOB  # noqa: PLW0603  (one worker process, one job description)
    _JOB = (plan, policy, interest_for(plan, policy), lenient, keep_going)


def check_one(item: FleetItem, progress: Progress | None = None) -> RouterResult | tuple[str, str]:
    """One router's check; with keep-going, a router that cannot be read is (name, error)."""
    assert _JOB is not None, "worker not started"
    plan, policy, interest, lenient, keep_going = _JOB
    name, paths, format_name = item
    try:
        if isinstance(paths, str):
            raise InputError(paths)
        inputs = read_routes(
            paths, format_name=format_name, interest=interest, lenient=lenient, progress=progress
        )
    except (InputError, OSError) as exc:
        if not keep_going:
            raise
        return name, str(exc).split("\n", 1)[0]
    return RouterResult(name, run_check(plan, inputs, policy))


def diff_texts(
    view: CatalogView,
    routers: Sequence[tuple[str, Sequence[tuple[str, str]]]],
    *,
    communities: Sequence[str] | None = None,
    services: Sequence[str] | None = None,
    policy: Policy | None = None,
    format_name: str = "auto",
    lenient: bool = False,
    max_catalog_age: int = DEFAULT_MAX_AGE_DAYS,
) -> FleetResult:
    """``routeplan diff`` for route tables held as text (a Nornir task's collected output, an
    upload): each router's ``(name, text)`` pairs read as files of those names would be, then
    checked on its own against the one plan, as :func:`diff_routers` does."""
    policy = policy or Policy.default()
    plan = fleet_plan(
        view, [(name, [], format_name) for name, _ in routers], communities, services, policy,
        max_catalog_age,
    )  # fmt: skip
    interest = interest_for(plan, policy)
    done = []
    for name, texts in routers:
        inputs = [
            read_route_text(text, name=source, format_name=format_name, lenient=lenient,
                            interest=interest)
            for source, text in texts
        ]  # fmt: skip
        done.append(RouterResult(name, run_check(plan, inputs, policy)))
    return fleet_of(done)
