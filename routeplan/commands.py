"""Every ``routeplan`` command as one library call: what the command line is given (names,
versions, files) in, a result for the :mod:`routeplan.report` renderers out.

The command line parses options, calls one of these and renders what it returns; it decides
nothing itself. A NetBox script or a CI job calling these gets the answer the command gives
(tests/test_one_path.py holds the two equal for every documented example)::

    >>> import routeplan
    >>> from routeplan.commands import review_change
    >>> catalog = routeplan.load_catalog(include_user=False)
    >>> try:
    ...     review_change(catalog)  # nothing that changes: a CI gate must not pass on it
    ... except routeplan.UsageError as exc:
    ...     print(exc.message)
    nothing to compare: review needs what changes
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from dataclasses import replace as dc_replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from routeplan.advertise import AdvFinding, Announced, lint, read_announced
from routeplan.catalog.age import DEFAULT_MAX_AGE_DAYS
from routeplan.catalog.query import CatalogView, FqdnAnswer, PrefixAnswer, Selection, Source
from routeplan.catalog.query import select_view as _select_view
from routeplan.diff import FleetResult, interest_for, run_check
from routeplan.errors import InputError, UsageError
from routeplan.fleet import (
    FleetItem,
    Routers,
    check_one,
    fleet_of,
    fleet_plan,
    inventory_items,
    router_items,
    selection_of,
    start_worker,
)
from routeplan.fleet import known_format as _known_format
from routeplan.inventory import Inventory
from routeplan.model import Catalog, Direction, Prefix, Severity, Snapshot
from routeplan.plan import Plan, build_plan
from routeplan.plan_outcome import PlanOutcome
from routeplan.policy import Policy
from routeplan.render import ConfigInput, Names, get_vendor
from routeplan.rib import read_routes
from routeplan.rib.base import Progress
from routeplan.rib.read import RibInput
from routeplan.yamlio import load_document

if TYPE_CHECKING:  # the review's, collection's and catalog-change modules load on use
    from routeplan.catalog.changes import ChangeRecord
    from routeplan.collect import Collection
    from routeplan.compare import FleetReview, Review, RouterReview

if TYPE_CHECKING:  # networkx is imported by the topology commands only (startup time)
    from routeplan.topology.analysis import Analysis, Move
    from routeplan.topology.model import Topology


def _apply_changes(snapshot: Snapshot, records: Sequence[ChangeRecord]) -> Snapshot:
    from routeplan.catalog.changes import apply_changes  # noqa: PLC0415

    return apply_changes(snapshot, records)


def _router_review(name: str, review: Review) -> RouterReview:
    from routeplan.compare import RouterReview  # noqa: PLC0415

    return RouterReview(name, review)


# ---------------------------------------------------------------------------------------------
# lookup


def looks_like_address(text: str) -> bool:
    """An address or prefix (rather than a host name)?

    >>> looks_like_address("52.96.10.1"), looks_like_address("2603:1006::/40")
    (True, True)
    >>> looks_like_address("outlook.office365.com")
    False
    """
    head = text.split("/", 1)[0]
    return (
        ":" in head
        or (head.replace(".", "").isdecimal() and head.count(".") == 3)
        or ("/" in text and head.replace(".", "").isdecimal())
    )


def lookup(
    view: CatalogView, queries: Sequence[str], selection: Selection
) -> list[PrefixAnswer | FqdnAnswer]:
    """``routeplan lookup``: each address, prefix or host name answered in order."""
    out: list[PrefixAnswer | FqdnAnswer] = []
    for query in queries:
        text = query.strip()
        if looks_like_address(text):
            out.append(view.lookup_prefix(text, selection))
        else:
            out.append(view.lookup_fqdn(text, selection))
    return out


# ---------------------------------------------------------------------------------------------
# diff


def diff_routers(
    view: CatalogView,
    routers: Routers,
    *,
    communities: Sequence[str] | None = None,
    services: Sequence[str] | None = None,
    policy: Policy | None = None,
    format_name: str = "auto",
    lenient: bool = False,
    progress: Progress | None = None,
    max_catalog_age: int = DEFAULT_MAX_AGE_DAYS,
    jobs: int = 1,
) -> FleetResult:
    """``routeplan diff``: every router's tables read and checked on its own against the plan
    of the route filter. No route at all in any table is an input error (a wrong file); so is
    an unreadable table, which ends the run.

    ``jobs`` above 1 checks routers in that many worker processes: the plan is built once
    here and handed to each worker once; a worker reads its router's tables and sends back
    only the result (the routes that matter, never the table). The result is the same, in
    the same order, as with one job."""
    return _diff(view, router_items(routers, format_name), communities, services, policy,
                 lenient, progress, max_catalog_age, jobs, keep_going=False)  # fmt: skip


def diff_inventory(
    view: CatalogView,
    inventory: Inventory,
    *,
    communities: Sequence[str] | None = None,
    services: Sequence[str] | None = None,
    policy: Policy | None = None,
    format_name: str = "auto",
    lenient: bool = False,
    progress: Progress | None = None,
    max_catalog_age: int = DEFAULT_MAX_AGE_DAYS,
    jobs: int = 1,
) -> FleetResult:
    """``routeplan diff --inventory``: each router of the inventory checked on its own, with
    its own format when the inventory names one. A router whose files are missing or cannot
    be read is reported for that router (``FleetResult.failed``); the others are checked."""
    return _diff(view, inventory_items(inventory, format_name), communities, services, policy,
                 lenient, progress, max_catalog_age, jobs, keep_going=True)  # fmt: skip


def _diff(
    view: CatalogView,
    items: Sequence[FleetItem],
    communities: Sequence[str] | None,
    services: Sequence[str] | None,
    policy: Policy | None,
    lenient: bool,
    progress: Progress | None,
    max_catalog_age: int,
    jobs: int,
    *,
    keep_going: bool,
) -> FleetResult:
    policy = policy or Policy.default()
    plan = fleet_plan(view, items, communities, services, policy, max_catalog_age)
    if jobs > 1 and len(items) > 1:
        with ProcessPoolExecutor(
            max_workers=min(jobs, len(items)),
            initializer=start_worker,
            initargs=(plan, policy, lenient, keep_going),
        ) as pool:
            done = [f.result() for f in [pool.submit(check_one, item) for item in items]]
    else:
        start_worker(plan, policy, lenient, keep_going)
        done = [check_one(item, progress) for item in items]
    return fleet_of(done)


# ---------------------------------------------------------------------------------------------
# collect


def collect_commands(
    view: CatalogView,
    platform: str,
    *,
    communities: Sequence[str] | None = None,
    services: Sequence[str] | None = None,
    policy: Policy | None = None,
    max_catalog_age: int = DEFAULT_MAX_AGE_DAYS,
) -> Collection:
    """``routeplan collect commands``: the targeted commands that fetch what ``routeplan diff``
    needs for this route filter (:mod:`routeplan.collect`)."""
    plan = build_plan(
        view, selection_of(view, communities, services), max_catalog_age=max_catalog_age
    )
    from routeplan.collect import targeted_commands  # noqa: PLC0415

    return targeted_commands(plan, platform, policy)


# ---------------------------------------------------------------------------------------------
# plan


def _session(value: Path | Announced) -> Announced:
    return value if isinstance(value, Announced) else read_announced(value)


def plan_outcome(
    view: CatalogView,
    *,
    communities: Sequence[str] | None = None,
    services: Sequence[str] | None = None,
    max_prefixes: int | None = None,
    advertise: Sequence[Path | Announced] = (),
    internet_advertise: Sequence[Path | Announced] = (),
    inbound: Sequence[Path | Announced] = (),
    routes: Sequence[Path] = (),
    format_name: str = "auto",
    policy: Policy | None = None,
    progress: Progress | None = None,
    max_catalog_age: int = DEFAULT_MAX_AGE_DAYS,
) -> PlanOutcome:
    """``routeplan plan``: the plan of the route filter, the advertisement lint of what is
    announced (``advertise``: one file or :class:`Announced` per session) and, with
    ``routes``, the route check against the plan."""
    _known_format(format_name)
    plan = build_plan(
        view,
        selection_of(view, communities, services),
        max_prefixes=max_prefixes,
        max_catalog_age=max_catalog_age,
    )
    sessions = tuple(_session(p) for p in advertise)
    findings: tuple[AdvFinding, ...] | None = None
    if sessions or internet_advertise or inbound:
        if not sessions:
            raise UsageError(
                "--internet-advertise and --inbound are checked against --advertise",
                hint="give the prefixes you announce over ExpressRoute with --advertise FILE",
            )
        findings = lint(
            sessions,
            catalog_prefixes=[e.prefix for e in plan.entries],
            internet=[_session(p) for p in internet_advertise],
            inbound=[_session(p) for p in inbound],
            inbound_rows=[r for r in view.rows.rows if r.direction is Direction.INBOUND],
        )
    check = None
    if routes:
        policy = policy or Policy.default()
        inputs = read_routes(
            list(routes),
            format_name=format_name,
            interest=interest_for(plan, policy),
            progress=progress,
        )
        check = run_check(plan, inputs, policy)
    return PlanOutcome(plan, sessions, findings, check)


def configuration_input(
    plan: Plan,
    *,
    names: Names | None = None,
    sessions: Sequence[Announced] = (),
    findings: Sequence[AdvFinding] | None = None,
) -> ConfigInput:
    """What a configuration renders: the plan, and the announcements to Microsoft less those
    the advertisement lint found an error in (a private or default prefix, Microsoft's own
    space), which are listed as left out with the reason. ``findings``: the lint's, when
    already run (``routeplan plan --advertise``); else it is run here."""
    if findings is None:
        findings = (
            lint(sessions, catalog_prefixes=[e.prefix for e in plan.entries]) if sessions else ()
        )
    bad = {
        (f.source, f.prefix): f.code.value
        for f in findings
        if f.prefix is not None and f.severity.rank >= Severity.ERROR.rank
    }
    keep: dict[Prefix, None] = {}
    left_out: dict[tuple[Prefix, str], None] = {}
    for s in sessions:
        for p, _ in s.prefixes:
            if (s.source, p) in bad:
                left_out[(p, bad[(s.source, p)])] = None
            else:
                keep[p] = None
    return ConfigInput(plan, names or Names(), tuple(sorted(keep)), tuple(left_out))


def plan_configuration(
    outcome: PlanOutcome, vendor: str, names: Mapping[str, str] | None = None
) -> str:
    """``routeplan plan --vendor``: the configuration of an outcome; announcements with a
    lint error are left out, and the configuration says so."""
    renderer = get_vendor(vendor)
    return renderer.render(
        configuration_input(
            outcome.plan,
            names=Names.from_options(dict(names or {})),
            sessions=outcome.sessions,
            findings=outcome.advertisement or (),
        )
    )


# ---------------------------------------------------------------------------------------------
# review


def read_plan_file(path: Path) -> tuple[str, str, list[str]]:
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


@dataclass(frozen=True, slots=True)
class ReviewSides:
    """Both sides of a review, resolved: catalog views and plans, and the change feed."""

    view_before: CatalogView
    plan_before: Plan
    view_after: CatalogView
    plan_after: Plan
    change_records: tuple[ChangeRecord, ...] = ()


def review_sides(
    catalog: Catalog,
    *,
    instance: str = "Worldwide",
    rows: str | None = None,
    prefer: str = Source.WEB_SERVICE.value,
    catalog_before: str | None = None,
    catalog_after: str | None = None,
    changes: Path | Sequence[ChangeRecord] | None = None,
    communities: Sequence[str] | None = None,
    services: Sequence[str] | None = None,
    communities_after: Sequence[str] | None = None,
    services_after: Sequence[str] | None = None,
    plan_before: Path | None = None,
    plan_after: Path | None = None,
    max_catalog_age: int = DEFAULT_MAX_AGE_DAYS,
) -> ReviewSides:
    """The before and after catalog and plan of a review. The after catalog is
    ``catalog_after``, or the before one with the ``changes`` feed applied, or the before
    one; the after route filter is ``communities_after``/``services_after``, or the before
    side's communities on the after catalog. A plan file fixes its side's instance,
    version and route filter. Each side's plan is built for its own catalog."""
    if changes is not None and catalog_after is not None:
        raise UsageError("give --catalog-after or --changes, not both")
    sel_before = list(communities or ()) or None, list(services or ()) or None
    sel_after = list(communities_after or ()) or None, list(services_after or ()) or None
    inst_b = inst_a = instance
    if plan_before is not None:
        inst_b, catalog_before, comm = read_plan_file(plan_before)
        sel_before = comm, None
    if plan_after is not None:
        inst_a, catalog_after, comm = read_plan_file(plan_after)
        sel_after = comm, None
    view_b = _select_view(catalog, inst_b, catalog_before, rows, prefer)
    records: tuple[ChangeRecord, ...] = ()
    if isinstance(changes, Path):
        from routeplan.catalog.changes import read_changes  # noqa: PLC0415

        records = tuple(read_changes(changes))
    elif changes is not None:
        records = tuple(changes)
    if records:
        view_a = CatalogView(
            view_b.catalog, _apply_changes(view_b.snapshot, records), view_b.rows, view_b.prefer
        )
    else:
        view_a = _select_view(catalog, inst_a, catalog_after, rows, prefer)
    selection_b = view_b.selection(*sel_before)
    if sel_after == (None, None):
        selection_a = (
            view_a.selection([str(c) for c in selection_b.communities])
            if sel_before != (None, None)
            else view_a.selection()
        )
    else:
        selection_a = view_a.selection(*sel_after)
    return ReviewSides(
        view_b,
        build_plan(view_b, selection_b, max_catalog_age=max_catalog_age),
        view_a,
        build_plan(view_a, selection_a, max_catalog_age=max_catalog_age),
        records,
    )


def check_review_request(
    *,
    routes: Sequence[object] = (),
    before: Sequence[object] = (),
    after: Sequence[object] = (),
    catalog_before: str | None = None,
    catalog_after: str | None = None,
    changes: object = None,
    plan_before: Path | None = None,
    plan_after: Path | None = None,
    communities_after: Sequence[str] | None = None,
    services_after: Sequence[str] | None = None,
) -> None:
    """What a review must be given, checked before anything is read: something that changes
    (nothing to compare is a usage error, so that a CI gate whose variables came out empty
    cannot pass), and options that go together."""
    if not any(
        (
            routes,
            before,
            after,
            catalog_before,
            catalog_after,
            changes,
            plan_before,
            plan_after,
            communities_after,
            services_after,
        )
    ):
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


def review_change(
    catalog: Catalog,
    *,
    before: Sequence[Path] = (),
    after: Sequence[Path] = (),
    routes: Sequence[Path] = (),
    format_name: str = "auto",
    policy: Policy | None = None,
    progress: Progress | None = None,
    instance: str = "Worldwide",
    rows: str | None = None,
    prefer: str = Source.WEB_SERVICE.value,
    catalog_before: str | None = None,
    catalog_after: str | None = None,
    changes: Path | Sequence[ChangeRecord] | None = None,
    communities: Sequence[str] | None = None,
    services: Sequence[str] | None = None,
    communities_after: Sequence[str] | None = None,
    services_after: Sequence[str] | None = None,
    plan_before: Path | None = None,
    plan_after: Path | None = None,
    max_catalog_age: int = DEFAULT_MAX_AGE_DAYS,
) -> Review:
    """``routeplan review``: what a change does. Give what changes: route tables
    (``before`` and ``after``, or ``routes`` for both sides), catalog versions, a change
    feed, plan files or the route filter after the change. Nothing to compare is a usage
    error, so that a CI gate whose variables came out empty cannot pass."""
    check_review_request(
        routes=routes,
        before=before,
        after=after,
        catalog_before=catalog_before,
        catalog_after=catalog_after,
        changes=changes,
        plan_before=plan_before,
        plan_after=plan_after,
        communities_after=communities_after,
        services_after=services_after,
    )
    _known_format(format_name)
    sides = review_sides(
        catalog,
        instance=instance,
        rows=rows,
        prefer=prefer,
        catalog_before=catalog_before,
        catalog_after=catalog_after,
        changes=changes,
        communities=communities,
        services=services,
        communities_after=communities_after,
        services_after=services_after,
        plan_before=plan_before,
        plan_after=plan_after,
        max_catalog_age=max_catalog_age,
    )
    policy = policy or Policy.default()
    interest = interest_for([sides.plan_before, sides.plan_after], policy)
    rib_b = (
        read_routes(
            list(before or routes), format_name=format_name, progress=progress, interest=interest
        )
        if (before or routes)
        else []
    )
    rib_a = (
        read_routes(list(after), format_name=format_name, progress=progress, interest=interest)
        if after
        else rib_b
    )
    return review_of(sides, rib_b, rib_a, policy)


def review_of(
    sides: ReviewSides,
    routes_before: Sequence[RibInput],
    routes_after: Sequence[RibInput],
    policy: Policy,
) -> Review:
    """The review of resolved sides over read route tables."""
    from routeplan.compare import Side, build_review, side_check  # noqa: PLC0415

    return build_review(
        Side(sides.plan_before, side_check(sides.plan_before, routes_before, policy), "before"),
        Side(sides.plan_after, side_check(sides.plan_after, routes_after, policy), "after"),
        catalog_before=sides.view_before,
        catalog_after=sides.view_after,
        routes_before=routes_before,
        routes_after=routes_after,
        change_records=sides.change_records,
    )


def several_routers(before: Routers, after: Routers | None, *, pair_single: bool = True) -> bool:
    """Is a review over several routers? Tables are matched by router name, except that one
    router on each side is the same router, whatever its files are called (``pair_single``;
    off when both sides named their routers, so that ``a`` before and ``b`` after are a router
    removed and one added).

    >>> several_routers([("before-edge1", [])], [("after-edge1", [])])
    False
    >>> several_routers([("a", [])], [("b", [])], pair_single=False)
    True
    >>> several_routers([("a", []), ("b", [])], None)
    True
    """
    if pair_single and after is not None and len(before) == 1 and len(after) == 1:
        return False
    return len({n for n, _ in before} | {n for n, _ in after or ()}) > 1


def review_routers(
    catalog: Catalog,
    *,
    before: Routers = (),
    after: Routers | None = None,
    format_name: str = "auto",
    policy: Policy | None = None,
    progress: Progress | None = None,
    pair_single: bool = True,
    **sides: Any,
) -> FleetReview:
    """``routeplan review`` over several routers: ``before`` and ``after`` are route tables by
    router (``after`` None: the same tables on both sides, when only the catalog, the route
    filter or the plan changes). Routers are matched by name and each is reviewed on its own;
    ``sides`` are :func:`review_sides`'s (catalog versions, change feed, route filters, plan
    files). A table that cannot be read ends the review (an input error)."""
    if after is not None and not several_routers(before, after, pair_single=pair_single):
        after = [(before[0][0], after[0][1])]  # one router on each side: the same router
    return _review_items(
        catalog,
        router_items(before, format_name),
        None if after is None else router_items(after, format_name),
        policy=policy,
        progress=progress,
        keep_going=False,
        **sides,
    )


def review_inventories(
    catalog: Catalog,
    before: Inventory,
    after: Inventory | None = None,
    *,
    format_name: str = "auto",
    policy: Policy | None = None,
    progress: Progress | None = None,
    **sides: Any,
) -> FleetReview:
    """``routeplan review --inventory-before A --inventory-after B`` (``after`` None: the
    same tables on both sides): routers matched by name, each reviewed on its own; routers in
    one inventory only are reported as added or removed, and a router whose files are missing
    or unreadable (on either side) is reported for that router (``FleetReview.failed``) while
    the others are reviewed."""
    return _review_items(
        catalog,
        inventory_items(before, format_name),
        None if after is None else inventory_items(after, format_name),
        policy=policy,
        progress=progress,
        keep_going=True,
        **sides,
    )


def _review_items(
    catalog: Catalog,
    before: Sequence[FleetItem],
    after: Sequence[FleetItem] | None,
    *,
    policy: Policy | None,
    progress: Progress | None,
    keep_going: bool,
    **sides: Any,
) -> FleetReview:
    for _, _, format_name in [*before, *(after or ())]:
        _known_format(format_name)
    for side in (before, after or ()):
        names = [name for name, _, _ in side]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise UsageError(f"router {twice[0]!r} is listed twice on one side of the review")
    resolved = review_sides(catalog, **sides)
    policy = policy or Policy.default()
    interest = interest_for([resolved.plan_before, resolved.plan_after], policy)

    def read(item: FleetItem) -> list[RibInput]:
        _, paths, format_name = item
        if isinstance(paths, str):
            raise InputError(paths)
        return read_routes(
            list(paths), format_name=format_name, progress=progress, interest=interest
        )

    after_by = {i[0]: i for i in (before if after is None else after)}
    before_by = {i[0]: i for i in before}
    out, failed = [], []
    for name in [n for n, _, _ in before if n in after_by]:
        try:
            rib_b = read(before_by[name])
            rib_a = rib_b if after is None else read(after_by[name])
        except (InputError, OSError) as exc:
            if not keep_going:
                raise
            failed.append((name, str(exc).split("\n", 1)[0]))
            continue
        out.append(_router_review(name, review_of(resolved, rib_b, rib_a, policy)))
    if not out and failed:
        raise InputError(
            "no router could be reviewed: " + "; ".join(f"{n}: {why}" for n, why in failed)
        )
    from routeplan.compare import FleetReview  # noqa: PLC0415

    return FleetReview(
        tuple(out),
        added=tuple(n for n in after_by if n not in before_by),
        removed=tuple(n for n in before_by if n not in after_by),
        failed=tuple(failed),
    )


# ---------------------------------------------------------------------------------------------
# topology


def topology_check(
    catalog: Catalog,
    path: Path,
    *,
    policy: Policy | None = None,
    prefer: str = Source.WEB_SERVICE.value,
    max_catalog_age: int = DEFAULT_MAX_AGE_DAYS,
    inventory: Inventory | None = None,
) -> Analysis:
    """``routeplan topology check``: the topology file against its instance's latest
    catalog, each router's route tables read on their own. With an ``inventory``, its
    routers' files are the tables of the topology's routers of the same names (the
    inventory's own ``routes:`` give way); a router whose files are missing or unreadable is
    reported (``table-not-read``) and the others are checked."""
    from routeplan.topology.analysis import analyse  # noqa: PLC0415
    from routeplan.topology.model import load_topology  # noqa: PLC0415

    topo = load_topology(path)
    unread: list[tuple[str, str]] = []
    if inventory is not None:
        topo, unread = _tables_from_inventory(topo, inventory)
    view = _select_view(catalog, topo.instance, None, None, prefer)
    return analyse(
        topo,
        view,
        policy=policy,
        max_catalog_age=max_catalog_age,
        unread=unread,
        keep_going=inventory is not None,
    )


def _tables_from_inventory(
    topo: Topology, inventory: Inventory
) -> tuple[Topology, list[tuple[str, str]]]:
    """The topology with its routers' tables from the inventory, and the routers whose files
    cannot be found. An inventory router the topology does not know, or placed at another
    site, is an input error at its line: the topology's model of routers is the one model."""
    known = {r.name: r for r in topo.routers}
    files: dict[str, tuple[Path, ...]] = {}
    unread = []
    for ir in inventory.routers:
        router = known.get(ir.name)
        if router is None:
            raise InputError(
                f"router {ir.name!r} is not in the topology {topo.source}",
                source=str(inventory.source),
                line=ir.line,
                hint="name the topology's routers: " + ", ".join(list(known)[:8]),
            )
        if ir.site is not None and ir.site != router.site:
            raise InputError(
                f"router {ir.name!r} is at site {ir.site!r} here but at {router.site!r} in "
                f"the topology {topo.source}",
                source=str(inventory.source),
                line=ir.line,
            )
        try:
            files[ir.name] = tuple(ir.paths())
        except InputError as exc:
            files[ir.name] = ()
            unread.append((ir.name, str(exc).split("\n", 1)[0]))
    routers = tuple(
        dc_replace(r, routes=files[r.name]) if r.name in files else r for r in topo.routers
    )
    return dc_replace(topo, routers=routers), unread


@dataclass(frozen=True, slots=True)
class WhatIf:
    """``routeplan review --topology --fail``: what moves when one thing fails."""

    analysis: Analysis
    failure: str
    moves: tuple[Move, ...]


def topology_what_if(
    catalog: Catalog,
    path: Path,
    failure: str,
    *,
    prefer: str = Source.WEB_SERVICE.value,
    max_catalog_age: int = DEFAULT_MAX_AGE_DAYS,
) -> WhatIf:
    """Which sites and services move, and where, when ``failure`` (``circuit:NAME``,
    ``router:NAME`` or ``link:A-B``) fails in the topology file."""
    from routeplan.topology.analysis import (  # noqa: PLC0415
        analyse,
        check_failure_name,
        intended_choices,
        what_if,
    )
    from routeplan.topology.model import load_topology  # noqa: PLC0415

    topo = load_topology(path)
    try:
        check_failure_name(topo, failure)
    except (ValueError, LookupError) as exc:
        raise UsageError(str(exc)) from None
    view = _select_view(catalog, topo.instance, None, None, prefer)
    # with the route tables: each site's actual exit before the failure is shown beside the
    # planned one (a table that cannot be read is reported, not fatal: the what-if is planned)
    analysis = analyse(topo, view, max_catalog_age=max_catalog_age, keep_going=True)
    intended = intended_choices(topo, analysis.services, analysis.carried)
    moves = what_if(topo, analysis.services, analysis.carried, intended, failure)
    return WhatIf(analysis, failure, tuple(moves))
