"""Pre-change review: what a change does to Microsoft 365 traffic.

A review compares a *before* and an *after* side. Each side is a plan (a catalog version and a
route-filter selection) and, when given, route tables. Anything may differ between the sides:
the route tables (a router change), the catalog version or a change feed (Microsoft's change),
the route-filter selection or a candidate plan. The review reports, per catalog prefix, where
its traffic went and goes (moves), what changed in the routes, the findings that appear,
disappear or persist, what changed in the catalog and what the routers must change for it,
with a verdict a change board can read in ten seconds (docs/review.md).
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from routeplan.catalog.changes import ChangeRecord
from routeplan.catalog.query import CatalogView, Origin, SplitEntry, Verdict
from routeplan.cidrset import Regrouping, regroupings
from routeplan.diff import ActualPath, DiffResult, Finding, run_check
from routeplan.model import Community, EndpointSet, Prefix, Severity, worst_of
from routeplan.plan import Plan
from routeplan.policy import Policy
from routeplan.rib.base import Route
from routeplan.rib.read import RibInput
from routeplan.trie import PrefixTrie

IntendedPath = Literal["expressroute", "internet", "not in catalog"]
"""Where the plan sends a catalog prefix on one side of a review."""
MoveCause = Literal["routes", "catalog", "route filter", "plan"]
"""What changed for a prefix that moves."""
RouteOp = Literal["added", "removed", "changed"]
DeltaKind = Literal[
    "set-added",
    "set-removed",
    "expressroute-flag",
    "category",
    "required",
    "prefix-added",
    "prefix-removed",
    "url-added",
    "url-removed",
]
"""What a catalog change did to an endpoint set."""
_ADDED: tuple[DeltaKind, DeltaKind] = ("set-added", "prefix-added")
_REMOVED: tuple[DeltaKind, DeltaKind] = ("set-removed", "prefix-removed")


class ReviewVerdict(str, enum.Enum):
    NO_IMPACT = "no impact"
    REVIEW = "review needed"
    BLOCKING = "blocking"

    @property
    def severity(self) -> Severity | None:
        """How ``--fail-on`` sees it: blocking is an error, review needed a warning."""
        return {
            "blocking": Severity.ERROR,
            "review needed": Severity.WARNING,
            "no impact": None,
        }[self.value]


@dataclass(frozen=True, slots=True)
class Side:
    """One side of the review, as the user gave it."""

    plan: Plan
    check: DiffResult | None = None
    label: str = ""


@dataclass(frozen=True, slots=True)
class Move:
    """A catalog prefix whose intended or actual path differs between the sides."""

    prefix: Prefix
    intended_before: IntendedPath
    intended_after: IntendedPath
    actual_before: ActualPath | None
    """``expressroute``, ``internet``, ``internal``, ``split``, ``no route``; None without
    route tables on that side."""
    actual_after: ActualPath | None
    service_areas: tuple[str, ...]
    set_ids: tuple[int, ...]
    rows: tuple[int, ...]
    causes: tuple[MoveCause, ...]
    """What changed for it: ``routes``, ``catalog``, ``route filter`` (or only the
    ``plan`` given)."""
    route_after: str | None = None
    """The deciding route after the change, as ``file:line``."""
    route_before: str | None = None

    @property
    def before(self) -> str:
        return self.actual_before or self.intended_before

    @property
    def after(self) -> str:
        return self.actual_after or self.intended_after

    @property
    def broken_after(self) -> bool:
        """After the change, the prefix does not go where the plan says."""
        return self.actual_after is not None and self.actual_after != self.intended_after


@dataclass(frozen=True, slots=True)
class RouteDelta:
    op: RouteOp
    """``added``, ``removed`` or ``changed``."""
    prefix: Prefix
    before: Route | None
    after: Route | None
    fields: tuple[str, ...] = ()
    """For ``changed``: next_hop, as_path, local_pref, communities, best."""
    touches_catalog: bool = False


@dataclass(frozen=True, slots=True)
class FindingDelta:
    status: str
    """``new``, ``resolved`` or ``persisting``."""
    finding: Finding


@dataclass(frozen=True, slots=True)
class CatalogDelta:
    kind: DeltaKind
    """``set-added``, ``set-removed``, ``expressroute-flag``, ``category``, ``required``,
    ``prefix-added``, ``prefix-removed``, ``url-added``, ``url-removed``."""
    set_id: int
    service_area: str
    express_route: bool
    prefix: Prefix | None = None
    detail: str = ""
    impact: str | None = None
    effective_date: str | None = None
    change_version: str | None = None
    url: str | None = None
    """The URL a ``url-added`` or ``url-removed`` delta is about."""


@dataclass(frozen=True, slots=True)
class PlanDelta:
    communities_added: tuple[Community, ...] = ()
    communities_removed: tuple[Community, ...] = ()
    expressroute_added: tuple[Prefix, ...] = ()
    expressroute_removed: tuple[Prefix, ...] = ()
    internet_only_added: tuple[Prefix, ...] = ()
    internet_only_removed: tuple[Prefix, ...] = ()
    expressroute_regrouped: tuple[Regrouping, ...] = ()
    """Removed and added lines that overlap (two /14s now one /13, a /13 now inside a /12),
    with the addresses they bring on and take off; they are also among the added and removed
    lines, which are the configuration's literal line changes."""
    internet_only_regrouped: tuple[Regrouping, ...] = ()

    def regrouped(self, kind: str) -> set[Prefix]:
        """The prefixes of ``expressroute`` or ``internet_only`` lines that only regroup."""
        groups = (
            self.expressroute_regrouped if kind == "expressroute" else self.internet_only_regrouped
        )
        return {p for g in groups for p in (*g.before, *g.after)}

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in dataclasses.fields(self))


@dataclass(frozen=True, slots=True)
class Impact:
    """Catalog prefixes per path on each side, for one service area or one row."""

    key: str
    before: dict[str, int]
    after: dict[str, int]
    moved: int


@dataclass(frozen=True, slots=True)
class Review:
    verdict: ReviewVerdict
    reasons: tuple[str, ...]
    before: Side
    after: Side
    moves: tuple[Move, ...]
    route_deltas: tuple[RouteDelta, ...]
    finding_deltas: tuple[FindingDelta, ...]
    catalog_deltas: tuple[CatalogDelta, ...]
    plan_delta: PlanDelta
    services: tuple[Impact, ...]
    rows: tuple[Impact, ...]
    change_records: tuple[ChangeRecord, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    def worst(self) -> Severity | None:
        return self.verdict.severity


@dataclass(frozen=True, slots=True)
class RouterReview:
    """One router's review: its before and after tables alone."""

    name: str
    review: Review


@dataclass(frozen=True, slots=True)
class FleetReview:
    """A change reviewed router by router (never one blended table), with the routers that
    appear on one side only."""

    routers: tuple[RouterReview, ...]
    added: tuple[str, ...] = ()
    """Routers with tables after the change only."""
    removed: tuple[str, ...] = ()
    """Routers with tables before the change only."""
    failed: tuple[tuple[str, str], ...] = ()
    """Routers that could not be reviewed (a file missing or unreadable), with the error
    (inventory reviews: the others are reviewed)."""

    def worst(self) -> Severity | None:
        """The worst router's verdict; a router on one side only, or not reviewed, needs
        review at least."""
        found = [r.review.worst() for r in self.routers]
        if self.added or self.removed or self.failed:
            found.append(Severity.WARNING)
        return worst_of(s for s in found if s is not None)

    @property
    def verdict(self) -> ReviewVerdict:
        """The worst router's verdict (a router on one side only: review needed at least)."""
        worst = self.worst()
        if worst is Severity.ERROR:
            return ReviewVerdict.BLOCKING
        return ReviewVerdict.REVIEW if worst is Severity.WARNING else ReviewVerdict.NO_IMPACT


# ---------------------------------------------------------------------------------------------
# Building a review


def catalog_deltas(
    before: CatalogView, after: CatalogView, records: Sequence[ChangeRecord] = ()
) -> tuple[CatalogDelta, ...]:
    """Endpoint sets and prefixes added, removed or changed between two snapshots, with the
    impact and effective date of the matching change record when one is given."""
    old = {es.id: es for es in before.snapshot.endpoint_sets}
    new = {es.id: es for es in after.snapshot.endpoint_sets}
    by_ip: dict[tuple[int, Prefix, str], ChangeRecord] = {}
    by_set: dict[int, ChangeRecord] = {}
    for r in records:
        for p in r.added_ips:
            by_ip[(r.set_id, p, "added")] = r
        for p in r.removed_ips:
            by_ip[(r.set_id, p, "removed")] = r
        if r.express_route_flip or r.disposition in ("add", "remove"):
            by_set[r.set_id] = r
    out: list[CatalogDelta] = []

    def add(
        kind: DeltaKind, es: EndpointSet, prefix: Prefix | None, detail: str, url: str | None = None
    ) -> None:
        rec = None
        if prefix is not None:
            rec = by_ip.get((es.id, prefix, kind.split("-")[1]))
        else:
            rec = by_set.get(es.id)
        out.append(
            CatalogDelta(
                kind,
                es.id,
                es.service_area,
                es.express_route,
                prefix,
                detail,
                rec.impact if rec else None,
                rec.effective_date if rec and kind == "prefix-added" else None,
                rec.version if rec else None,
                url,
            )
        )

    for set_id in sorted(set(old) | set(new)):
        a, b = old.get(set_id), new.get(set_id)
        if a is None or b is None:
            es = b if a is None else a
            assert es is not None
            set_kind, prefix_kind = _ADDED if a is None else _REMOVED
            add(set_kind, es, None, f"{es.category.value}, {len(es.prefixes)} prefixes")
            for p in es.prefixes:
                add(prefix_kind, es, p, "")
        else:
            _set_deltas(a, b, add)
    return tuple(out)


def _set_deltas(a: EndpointSet, b: EndpointSet, add: Callable[..., None]) -> None:
    """What changed in one endpoint set between two snapshots."""
    if a.express_route != b.express_route:
        add("expressroute-flag", b, None, f"expressRoute {a.express_route} -> {b.express_route}")
    if a.category != b.category:
        add("category", b, None, f"{a.category.value} -> {b.category.value}")
    if a.required != b.required:
        add("required", b, None, f"required {a.required} -> {b.required}")
    was, now = set(a.prefixes), set(b.prefixes)
    for p in sorted(now - was):
        add("prefix-added", b, p, "")
    for p in sorted(was - now):
        add("prefix-removed", a, p, "")
    urls_was, urls_now = set(a.urls), set(b.urls)
    for u in sorted(urls_now - urls_was):
        add("url-added", b, None, u, u)
    for u in sorted(urls_was - urls_now):
        add("url-removed", a, None, u, u)


def _route_key(r: Route) -> tuple[Prefix, str | None]:
    return (r.prefix, r.vrf)


def route_deltas(
    before: Sequence[RibInput], after: Sequence[RibInput], catalog: Sequence[Prefix]
) -> tuple[RouteDelta, ...]:
    """Best routes added, removed or changed (next hop, AS path, local-pref, communities)."""

    def best(inputs: Sequence[RibInput]) -> dict[tuple[Prefix, str | None], Route]:
        out: dict[tuple[Prefix, str | None], Route] = {}
        for i in inputs:
            for r in i.routes:
                key = _route_key(r)
                if key not in out or (r.best and not out[key].best):
                    out[key] = r
        return out

    trie: PrefixTrie[bool] = PrefixTrie()
    for p in catalog:
        trie[p] = True

    def touches(p: Prefix) -> bool:
        return trie.longest(p) is not None or bool(trie.covered(p))

    a, b = best(before), best(after)
    out = []
    for key in sorted(set(a) | set(b), key=lambda k: (k[0], k[1] or "")):
        x, y = a.get(key), b.get(key)
        prefix = key[0]
        if x is None:
            out.append(RouteDelta("added", prefix, None, y, (), touches(prefix)))
        elif y is None:
            out.append(RouteDelta("removed", prefix, x, None, (), touches(prefix)))
        else:
            changed = tuple(
                f
                for f in ("next_hop", "as_path", "local_pref", "communities", "best")
                if getattr(x, f) != getattr(y, f)
            )
            if changed:
                out.append(RouteDelta("changed", prefix, x, y, changed, touches(prefix)))
    return tuple(out)


def _where(check: DiffResult | None, prefix: Prefix) -> str | None:
    if check is None:
        return None
    actual = check.actual.get(prefix)
    if actual is None or actual.route is None:
        return None
    r = actual.route.route
    return f"{r.source}:{r.line}" if r.line else r.source


def _intended(entry: SplitEntry | None) -> IntendedPath:
    if entry is None:
        return "not in catalog"
    return "expressroute" if entry.decision.verdict is Verdict.EXPRESSROUTE else "internet"


def build_review(
    before: Side,
    after: Side,
    *,
    catalog_before: CatalogView,
    catalog_after: CatalogView,
    routes_before: Sequence[RibInput] = (),
    routes_after: Sequence[RibInput] = (),
    change_records: Sequence[ChangeRecord] = (),
) -> Review:
    """Compare two sides; everything sorted, so the same inputs give the same review."""
    plan_a, plan_b = before.plan, after.plan
    entries_a = {e.prefix: e for e in plan_a.entries}
    entries_b = {e.prefix: e for e in plan_b.entries}
    catalog_changed = catalog_before.snapshot != catalog_after.snapshot
    selection_changed = plan_a.selection.communities != plan_b.selection.communities
    routes_changed = _routes_differ(routes_before, routes_after)

    moves = []
    for prefix in sorted(set(entries_a) | set(entries_b)):
        ia, ib = _intended(entries_a.get(prefix)), _intended(entries_b.get(prefix))
        aa = _actual(before.check, prefix)
        ab = _actual(after.check, prefix)
        if ia == ib and aa == ab:
            continue
        if (aa is None) != (ab is None):
            continue  # a family checked on one side only: nothing to compare
        causes: list[MoveCause] = []
        if routes_changed and aa != ab:
            causes.append("routes")
        if catalog_changed and _catalog_differs(entries_a.get(prefix), entries_b.get(prefix)):
            causes.append("catalog")
        if selection_changed and ia != ib:
            causes.append("route filter")
        origins = (entries_b.get(prefix) or entries_a[prefix]).origins
        moves.append(
            Move(
                prefix=prefix,
                intended_before=ia,
                intended_after=ib,
                actual_before=aa,
                actual_after=ab,
                service_areas=tuple(sorted({o.service_area for o in origins if o.service_area})),
                set_ids=tuple(sorted({o.set_id for o in origins if o.set_id is not None})),
                rows=tuple(
                    sorted({r for o in origins for r in o.rows} | {o.row for o in origins if o.row})
                ),
                causes=tuple(causes) or ("plan",),
                route_after=_where(after.check, prefix),
                route_before=_where(before.check, prefix),
            )
        )

    finding_deltas = _finding_deltas(before.check, after.check)
    deltas_c = catalog_deltas(catalog_before, catalog_after, change_records)
    r_deltas = (
        route_deltas(routes_before, routes_after, sorted(set(entries_a) | set(entries_b)))
        if routes_before and routes_after
        else ()
    )
    p_delta = _plan_delta(plan_a, plan_b)
    services = _impacts(plan_a, plan_b, before.check, after.check, moves, by="service")
    rows = _impacts(plan_a, plan_b, before.check, after.check, moves, by="row")
    verdict, reasons = _verdict(moves, finding_deltas, deltas_c, p_delta, r_deltas)
    notes = []
    if before.check is not None and after.check is not None:
        for v in (4, 6):
            a_has = v in before.check.checked
            b_has = v in after.check.checked
            if a_has != b_has:
                notes.append(
                    f"IPv{v} routes are in the {'before' if a_has else 'after'} tables only: "
                    f"IPv{v} moves are not compared"
                )
            elif not a_has:
                notes.append(
                    f"no IPv{v} routes on either side: IPv{v} moves come from the plan alone "
                    f"(marked '(plan)'), and the per-service counts leave IPv{v} out"
                )
    return Review(
        verdict=verdict,
        reasons=reasons,
        before=before,
        after=after,
        moves=tuple(moves),
        route_deltas=r_deltas,
        finding_deltas=finding_deltas,
        catalog_deltas=deltas_c,
        plan_delta=p_delta,
        services=services,
        rows=rows,
        change_records=tuple(change_records),
        notes=tuple(notes),
    )


def _routes_differ(a: Sequence[RibInput], b: Sequence[RibInput]) -> bool:
    def key(inputs: Sequence[RibInput]) -> list[tuple[object, ...]]:
        return sorted(
            (str(r.prefix), r.next_hop or "", r.as_path, r.local_pref or 0, r.best)
            for i in inputs
            for r in i.routes
        )

    return key(a) != key(b)


def _catalog_differs(a: SplitEntry | None, b: SplitEntry | None) -> bool:
    if a is None or b is None:
        return True
    return {(o.set_id, o.express_route, o.category) for o in a.origins} != {
        (o.set_id, o.express_route, o.category) for o in b.origins
    }


def _actual(check: DiffResult | None, prefix: Prefix) -> ActualPath | None:
    if check is None:
        return None
    found = check.actual.get(prefix)
    return None if found is None else found.path


def _finding_key(f: Finding) -> tuple[str, Prefix]:
    return (f.code.value, f.prefix)


def _finding_deltas(a: DiffResult | None, b: DiffResult | None) -> tuple[FindingDelta, ...]:
    if a is None and b is None:
        return ()
    old = {_finding_key(f): f for f in (a.findings if a else ())}
    new = {_finding_key(f): f for f in (b.findings if b else ())}
    out = [FindingDelta("new", new[k]) for k in new if k not in old]
    out += [FindingDelta("resolved", old[k]) for k in old if k not in new]
    out += [FindingDelta("persisting", new[k]) for k in new if k in old]
    order = {"new": 0, "resolved": 1, "persisting": 2}
    out.sort(
        key=lambda d: (
            order[d.status],
            -d.finding.severity.rank,
            d.finding.code.value,
            d.finding.prefix,
        )
    )
    return tuple(out)


def _plan_delta(a: Plan, b: Plan) -> PlanDelta:
    def lst(plan: Plan, verdict: Verdict) -> set[Prefix]:
        return {e.prefix for e in plan.entries_of(verdict)}

    ca = {c.community for c in a.allowed}
    cb = {c.community for c in b.allowed}
    er_a, er_b = lst(a, Verdict.EXPRESSROUTE), lst(b, Verdict.EXPRESSROUTE)
    io_a, io_b = lst(a, Verdict.INTERNET_ONLY), lst(b, Verdict.INTERNET_ONLY)
    return PlanDelta(
        communities_added=tuple(sorted(cb - ca)),
        communities_removed=tuple(sorted(ca - cb)),
        expressroute_added=tuple(sorted(er_b - er_a)),
        expressroute_removed=tuple(sorted(er_a - er_b)),
        internet_only_added=tuple(sorted(io_b - io_a)),
        internet_only_removed=tuple(sorted(io_a - io_b)),
        expressroute_regrouped=tuple(regroupings(er_a - er_b, er_b - er_a, er_a, er_b)),
        internet_only_regrouped=tuple(regroupings(io_a - io_b, io_b - io_a, io_a, io_b)),
    )


PATHS = ("expressroute", "internet", "split", "no route", "internal")


def _impacts(
    a: Plan,
    b: Plan,
    ca: DiffResult | None,
    cb: DiffResult | None,
    moves: Sequence[Move],
    *,
    by: str,
) -> tuple[Impact, ...]:
    def keys(entry_origins: Sequence[Origin]) -> set[str]:
        out: set[str] = set()
        for o in entry_origins:
            if by == "service":
                out.add(o.service_area or "rows' own prefixes")
            else:
                out.update(f"row {r}" for r in o.rows)
                if o.row:
                    out.add(f"row {o.row}")
        return out

    def counts(plan: Plan, check: DiffResult | None) -> dict[str, dict[str, int]]:
        table: dict[str, dict[str, int]] = {}
        for e in plan.entries:
            if check is not None:
                found = check.actual.get(e.prefix)
                if found is None:
                    continue
                path = found.path
            else:
                path = "expressroute" if e.decision.verdict is Verdict.EXPRESSROUTE else "internet"
            for k in keys(e.origins):
                row = table.setdefault(k, dict.fromkeys(PATHS, 0))
                row[path] = row.get(path, 0) + 1
        return table

    ta, tb = counts(a, ca), counts(b, cb)
    moved: dict[str, int] = {}
    ea = {e.prefix: e for e in a.entries}
    eb = {e.prefix: e for e in b.entries}
    for m in moves:
        entry = eb.get(m.prefix) or ea.get(m.prefix)
        if entry is None:
            continue
        for k in keys(entry.origins):
            moved[k] = moved.get(k, 0) + 1
    empty = dict.fromkeys(PATHS, 0)

    def order(k: str) -> tuple[int, str]:
        return (int(k.split()[1]), k) if k.startswith("row ") else (0, k)

    return tuple(
        Impact(k, ta.get(k, dict(empty)), tb.get(k, dict(empty)), moved.get(k, 0))
        for k in sorted(set(ta) | set(tb), key=order)
    )


def _verdict(
    moves: Sequence[Move],
    findings: Sequence[FindingDelta],
    catalog: Sequence[CatalogDelta],
    plan: PlanDelta,
    routes: Sequence[RouteDelta],
) -> tuple[ReviewVerdict, tuple[str, ...]]:
    """The rules of docs/review.md, in order; every rule that fires gives a reason."""
    blocking = []
    new_errors = [d for d in findings if d.status == "new" and d.finding.severity is Severity.ERROR]
    if new_errors:
        blocking.append(f"{len(new_errors)} new error finding(s) after the change")
    lost = [m for m in moves if m.actual_after == "no route" and m.actual_before != "no route"]
    if lost:
        blocking.append(f"{len(lost)} catalog prefix(es) lose every route")
    if blocking:
        return ReviewVerdict.BLOCKING, tuple(blocking)
    review = []
    if moves:
        review.append(f"{len(moves)} catalog prefix(es) change path")
    new_warnings = [d for d in findings if d.status == "new"]
    if new_warnings:
        review.append(f"{len(new_warnings)} new warning or info finding(s)")
    relevant = [d for d in catalog if d.express_route or d.kind == "expressroute-flag"]
    if relevant:
        review.append(f"{len(relevant)} ExpressRoute-relevant catalog change(s)")
    if plan:
        review.append("the route filter or the prefix-lists change")
    touching = [r for r in routes if r.touches_catalog]
    if touching:
        review.append(f"{len(touching)} route change(s) touch Microsoft 365 prefixes")
    if review:
        return ReviewVerdict.REVIEW, tuple(review)
    return ReviewVerdict.NO_IMPACT, ("nothing Microsoft 365 traffic depends on changes",)


def side_check(plan: Plan, inputs: Sequence[RibInput], policy: Policy) -> DiffResult | None:
    return run_check(plan, inputs, policy) if inputs else None
