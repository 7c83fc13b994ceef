"""The plan: what to configure so that Microsoft 365 traffic takes the right path.

``build_plan(view, selection)`` decides every catalog prefix (``decide``, the one rule), then works
on *addresses*, the way routers forward: an address belongs to the catalog prefix that is its
longest match. That gives three disjoint address sets per family: ExpressRoute, Internet-only,
and eligible-but-not-selected. Each set becomes its minimal exact CIDR list, so a list can never
cover an address of another set (an Internet-only hole inside an ExpressRoute prefix stays a
hole), and each CIDR is traced back to the catalog prefixes, endpoint sets and rows it carries.

With a budget (``max_prefixes``) a list may be shortened by covering addresses *outside the
catalog*, never an address of another set; the plan reports what that costs.

The plan is the intended state that ``routeplan diff`` compares route tables against.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from routeplan.catalog.age import DEFAULT_MAX_AGE_DAYS, CatalogAge, catalog_age
from routeplan.catalog.query import (
    CatalogView,
    Origin,
    Selection,
    SplitEntry,
    Verdict,
)
from routeplan.cidrset import AddressSet
from routeplan.errors import UsageError
from routeplan.model import Community, Prefix
from routeplan.trie import PrefixTrie

#: The verdicts a plan sorts addresses into, in the order lists are printed.
GROUPS = (Verdict.EXPRESSROUTE, Verdict.INTERNET_ONLY, Verdict.NOT_SELECTED)
FAMILIES = (4, 6)


@dataclass(frozen=True, slots=True)
class PlanPrefix:
    """One CIDR of a plan list, and what it carries."""

    prefix: Prefix
    sources: tuple[Prefix, ...]
    """The catalog prefixes whose addresses (as their longest match) lie in this CIDR."""
    set_ids: tuple[int, ...]
    rows: tuple[int, ...]
    communities: tuple[Community, ...]
    extra_addresses: int = 0
    """Addresses outside the catalog this CIDR covers (only when a budget merged it)."""


@dataclass(frozen=True, slots=True)
class Budget:
    """What fitting one list under ``--max-prefixes`` costs."""

    limit: int
    exact: int
    """Entries of the exact list."""
    achieved: int
    """Entries of the list the plan uses."""
    extra_addresses: int
    """Addresses outside the catalog the shorter list covers."""
    swallowed: tuple[Prefix, ...]
    """Those addresses as CIDRs."""
    minimum: int
    """The fewest entries possible without covering an address of another list."""

    @property
    def met(self) -> bool:
        return self.achieved <= self.limit


@dataclass(frozen=True, slots=True)
class PrefixList:
    """One family's list of one verdict."""

    verdict: Verdict
    version: int
    entries: tuple[PlanPrefix, ...]
    exact_count: int
    budget: Budget | None = None

    @property
    def prefixes(self) -> tuple[Prefix, ...]:
        return tuple(e.prefix for e in self.entries)


@dataclass(frozen=True, slots=True)
class FilterCommunity:
    """One community of the instance, and whether the route filter must allow it."""

    community: Community
    name: str
    authorization_required: bool | None
    """None: the source does not say (US Government service communities)."""
    selected: bool
    service_areas: tuple[str, ...]
    set_ids: tuple[int, ...]
    prefixes: dict[int, int]
    """Catalog prefixes it carries, per address family."""


@dataclass(frozen=True, slots=True)
class Explanation:
    """How an overlap or a nesting of catalog prefixes was resolved."""

    kind: str
    """``overlap`` (one prefix, origins that disagree), ``hole`` (an Internet-only or
    not-selected prefix inside an ExpressRoute one) or ``nested`` (the other way round)."""
    prefix: Prefix
    message: str
    outer: Prefix | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """The intended state for one instance, catalog version and route-filter selection."""

    instance: str
    version: str
    rows: str
    selection: Selection
    route_filter: tuple[FilterCommunity, ...]
    entries: tuple[SplitEntry, ...]
    """Every catalog prefix with its decision."""
    lists: tuple[PrefixList, ...]
    """One list per verdict (:data:`GROUPS`) and family, in that order."""
    explanations: tuple[Explanation, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    catalog_age: CatalogAge | None = None
    """How old the snapshot is, judged when the plan was built (docs/catalog.md)."""

    def list_for(self, verdict: Verdict, version: int) -> PrefixList:
        for pl in self.lists:
            if pl.verdict is verdict and pl.version == version:
                return pl
        raise KeyError((verdict, version))

    def entries_of(self, verdict: Verdict) -> tuple[PlanPrefix, ...]:
        """Both families' entries of one verdict, IPv4 first."""
        return tuple(e for v in FAMILIES for e in self.list_for(verdict, v).entries)

    @property
    def allowed(self) -> tuple[FilterCommunity, ...]:
        """The communities the route filter must allow (selected, and carrying something)."""
        return tuple(c for c in self.route_filter if c.selected and c.set_ids)


# ---------------------------------------------------------------------------------------------
# Building the plan


def build_plan(
    view: CatalogView,
    selection: Selection,
    *,
    max_prefixes: int | None = None,
    max_catalog_age: int = DEFAULT_MAX_AGE_DAYS,
) -> Plan:
    """Decide, split by address, aggregate hole-safely, trace, and (with a budget) fit.
    The plan carries its snapshot's age, judged against ``max_catalog_age`` days (0: never
    stale) as of today (``ROUTEPLAN_TODAY``)."""
    if max_prefixes is not None and max_prefixes < 1:
        raise UsageError(f"--max-prefixes must be at least 1, not {max_prefixes}")
    entries = view.decided(selection)
    verdict_of = {e.prefix: e.decision.verdict for e in entries}
    parent = _parents(list(verdict_of))
    children: dict[Prefix, list[Prefix]] = {}
    for child, outer in parent.items():
        if outer is not None:
            children.setdefault(outer, []).append(child)
    exclusive = {
        p: AddressSet.of(p.version, [p]) - AddressSet.of(p.version, children.get(p, []))
        for p in verdict_of
    }
    regions: dict[tuple[Verdict, int], AddressSet] = {
        (g, v): AddressSet(v) for g in GROUPS for v in FAMILIES
    }
    for p, verdict in verdict_of.items():
        if verdict in GROUPS:
            key = (verdict, p.version)
            regions[key] = regions[key] | exclusive[p]
    catalog_space = {
        v: AddressSet.of(v, [p for p in verdict_of if p.version == v]) for v in FAMILIES
    }

    trie: PrefixTrie[SplitEntry] = PrefixTrie()
    for e in entries:
        trie[e.prefix] = e

    lists = []
    for verdict in GROUPS:
        for v in FAMILIES:
            region = regions[(verdict, v)]
            exact = region.cidrs()
            budget = None
            chosen = exact
            if (
                max_prefixes is not None
                and verdict is not Verdict.NOT_SELECTED
                and len(exact) > max_prefixes
            ):
                # only addresses outside the catalog may be swallowed
                forbidden = catalog_space[v] - region
                chosen, budget = _fit(exact, region, forbidden, max_prefixes)
            traced = tuple(_trace(cidr, verdict, region, trie, exclusive, view) for cidr in chosen)
            lists.append(PrefixList(verdict, v, traced, len(exact), budget))

    return Plan(
        instance=view.instance,
        version=view.snapshot.label,
        rows=view.rows.label,
        selection=selection,
        route_filter=_route_filter(view, selection, entries),
        entries=entries,
        lists=tuple(lists),
        explanations=_explain(entries, parent, verdict_of),
        notes=view.selection_notes(selection) + _budget_notes(lists, max_prefixes),
        catalog_age=catalog_age(view.snapshot, max_catalog_age),
    )


def _parents(prefixes: Sequence[Prefix]) -> dict[Prefix, Prefix | None]:
    """Each prefix's nearest strictly covering prefix among ``prefixes`` (a nesting walk over
    the prefixes in address order, so it is linear after the sort)."""
    out: dict[Prefix, Prefix | None] = {}
    for version in FAMILIES:
        stack: list[Prefix] = []
        for p in sorted(q for q in prefixes if q.version == version):
            while stack and not stack[-1].contains(p):
                stack.pop()
            out[p] = stack[-1] if stack else None
            stack.append(p)
    return out


def _trace(
    cidr: Prefix,
    verdict: Verdict,
    region: AddressSet,
    trie: PrefixTrie[SplitEntry],
    exclusive: dict[Prefix, AddressSet],
    view: CatalogView,
) -> PlanPrefix:
    candidates = [e for _, e in trie.covering(cidr)] + [e for _, e in trie.covered(cidr)]
    sources: dict[Prefix, SplitEntry] = {}
    for entry in candidates:
        if entry.decision.verdict is verdict and exclusive[entry.prefix].overlaps(cidr):
            sources[entry.prefix] = entry
    origins: list[Origin] = [o for e in sources.values() for o in e.origins]
    # the origins that explain this verdict (an Internet-only CIDR is explained by the
    # expressRoute-false origins), or all of them when none does
    wanted = verdict is not Verdict.INTERNET_ONLY
    relevant = [o for o in origins if o.express_route == wanted] or origins
    covered_here = region & AddressSet.of(cidr.version, [cidr])
    extra = cidr.num_addresses - covered_here.size
    return PlanPrefix(
        prefix=cidr,
        sources=tuple(sorted(sources)),
        set_ids=tuple(sorted({o.set_id for o in relevant if o.set_id is not None})),
        rows=tuple(
            sorted({r for o in relevant for r in o.rows} | {o.row for o in relevant if o.row})
        ),
        communities=tuple(sorted({c for o in relevant for c in o.communities})),
        extra_addresses=extra,
    )


def _route_filter(
    view: CatalogView, selection: Selection, entries: Sequence[SplitEntry]
) -> tuple[FilterCommunity, ...]:
    carried: dict[Community, dict[int, set[Prefix]]] = {}
    sets: dict[Community, set[int]] = {}
    areas: dict[Community, set[str]] = {}
    for es in view.snapshot.endpoint_sets:
        for c in view.communities_of(es):
            sets.setdefault(c, set()).add(es.id)
            areas.setdefault(c, set()).add(es.service_area)
    for e in entries:
        for o in e.origins:
            for c in o.communities:
                carried.setdefault(c, {4: set(), 6: set()})[e.prefix.version].add(e.prefix)
    out = []
    for c in sorted(set(sets) | set(selection.communities)):
        info = view.catalog.communities.get(c)
        out.append(
            FilterCommunity(
                community=c,
                name=info.name if info else "unknown community",
                authorization_required=info.authorization_required if info else False,
                selected=c in selection,
                service_areas=tuple(sorted(areas.get(c, ()))),
                set_ids=tuple(sorted(sets.get(c, ()))),
                prefixes={v: len(carried.get(c, {}).get(v, ())) for v in FAMILIES},
            )
        )
    return tuple(out)


def _explain(
    entries: Sequence[SplitEntry],
    parent: dict[Prefix, Prefix | None],
    verdict_of: dict[Prefix, Verdict],
) -> tuple[Explanation, ...]:
    out = []
    for e in entries:
        flags = {o.express_route for o in e.origins}
        if len(e.origins) > 1 and len(flags) > 1:
            out.append(Explanation("overlap", e.prefix, f"{e.prefix}: {e.decision.reason}"))
        outer = parent.get(e.prefix)
        if outer is None or verdict_of[outer] is verdict_of[e.prefix]:
            continue
        inner_v, outer_v = verdict_of[e.prefix], verdict_of[outer]
        if outer_v is Verdict.EXPRESSROUTE:
            out.append(
                Explanation(
                    "hole",
                    e.prefix,
                    f"{e.prefix} ({inner_v.value}) lies inside {outer} (expressroute): "
                    f"longest-prefix match keeps it off ExpressRoute, so the ExpressRoute list "
                    f"is cut around it; if Microsoft announces {outer} whole, keep a more "
                    f"specific route for {e.prefix} towards the Internet",
                    outer,
                )
            )
        else:
            out.append(
                Explanation(
                    "nested",
                    e.prefix,
                    f"{e.prefix} ({inner_v.value}) lies inside {outer} ({outer_v.value}): "
                    "longest-prefix match gives it its own path, so the list of "
                    f"{outer_v.value} addresses is cut around it",
                    outer,
                )
            )
    return tuple(out)


def _budget_notes(lists: Iterable[PrefixList], limit: int | None) -> tuple[str, ...]:
    out = []
    for pl in lists:
        b = pl.budget
        if b is None:
            continue
        name = f"{pl.verdict.value} IPv{pl.version}"
        if b.met:
            largest = sorted(b.swallowed, key=lambda p: (p.length, p))[:5]
            more = len(b.swallowed) - len(largest)
            out.append(
                f"{name}: {b.exact} exact entries fitted into {b.achieved} (limit {limit}) by "
                f"covering {b.extra_addresses} addresses outside the catalog in "
                f"{len(b.swallowed)} range(s), the largest "
                + ", ".join(str(p) for p in largest)
                + (f" and {more} more (all in the JSON output)" if more else "")
            )
        else:
            out.append(
                f"{name}: cannot go below {b.minimum} entries (limit {limit}) without covering "
                f"addresses that must take another path; the exact list of {b.exact} is kept"
            )
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Fitting a list under a budget

_INF = 1 << 200  # more than any IPv6 cost


def _lca(a: Prefix, b: Prefix) -> Prefix:
    """The smallest prefix covering both.

    >>> from routeplan.model import parse_prefix as p
    >>> str(_lca(p("10.0.0.0/24"), p("10.0.3.0/24")))
    '10.0.0.0/22'
    """
    common = a.bits - (a.network ^ b.network).bit_length()
    length = min(a.length, b.length, common)
    mask = ((1 << a.bits) - 1) ^ ((1 << (a.bits - length)) - 1)
    return Prefix(a.version, a.network & mask, length)


Builder = Callable[[int], list[Prefix]]


def _solve(
    entries: Sequence[Prefix], lo: int, hi: int, forbidden: AddressSet, cap: int
) -> tuple[list[int], Builder]:
    """Costs (extra addresses) of covering ``entries[lo:hi]`` with 1..cap CIDRs that cover no
    forbidden address, and a builder for each count. ``entries`` are disjoint and sorted."""
    if hi - lo == 1:
        only = entries[lo]
        return [0], lambda k: [only]
    top = _lca(entries[lo], entries[hi - 1])
    left, _ = top.halves()
    mid = lo
    while mid < hi and entries[mid].last <= left.last:
        mid += 1
    lc, lb = _solve(entries, lo, mid, forbidden, cap)
    rc, rb = _solve(entries, mid, hi, forbidden, cap)
    n = min(hi - lo, cap)
    costs = [_INF] * n
    split: list[tuple[int, int] | None] = [None] * n
    for i, a in enumerate(lc):
        for j, b in enumerate(rc):
            k = i + j + 1  # (i + 1) + (j + 1) CIDRs, stored at index count - 1
            if k < n and a + b < costs[k]:
                costs[k] = a + b
                split[k] = (i, j)
    if not forbidden.overlaps(top):
        inside = sum(p.num_addresses for p in entries[lo:hi])
        costs[0] = top.num_addresses - inside

    def build(k: int) -> list[Prefix]:
        if k == 0:
            return [top]
        pair = split[k]
        assert pair is not None
        return lb(pair[0]) + rb(pair[1])

    return costs, build


def _fit(
    exact: list[Prefix], region: AddressSet, forbidden: AddressSet, limit: int
) -> tuple[list[Prefix], Budget]:
    """The cheapest list of at most ``limit`` CIDRs covering ``exact`` without touching
    ``forbidden``; the exact list when that is impossible."""
    costs, build = _solve(exact, 0, len(exact), forbidden, limit)
    within = [k for k, c in enumerate(costs) if c < _INF]
    if not within:
        # how far it could go: solve again without the cap
        full, _ = _solve(exact, 0, len(exact), forbidden, len(exact))
        minimum = next(k for k, c in enumerate(full) if c < _INF) + 1
        return exact, Budget(limit, len(exact), len(exact), 0, (), minimum)
    best = min(within, key=lambda k: (costs[k], k))
    chosen = sorted(build(best))
    swallowed = (AddressSet.of(region.version, chosen) - region).cidrs()
    return chosen, Budget(limit, len(exact), len(chosen), costs[best], tuple(swallowed), best + 1)
