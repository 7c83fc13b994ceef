"""Questions asked of one instance and version of the catalog.

:class:`CatalogView` binds a snapshot of endpoint sets to a version of the additional-endpoints
table and to the instance's community rules, and answers: which sets, which rows, which
communities, which prefixes are ExpressRoute-eligible or Internet-only for a route-filter
selection, and what covers an address, a prefix or a host name (and why).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from routeplan import fqdn
from routeplan.catalog.webservice import canonical_instance
from routeplan.errors import InputError, NotFoundError, UsageError
from routeplan.model import (
    Catalog,
    Category,
    CidrKind,
    Community,
    EndpointSet,
    InstanceCommunities,
    Prefix,
    Row,
    RowTable,
    Snapshot,
    parse_community,
    parse_prefix,
)
from routeplan.trie import PrefixTrie

# ---------------------------------------------------------------------------------------------
# Route-filter selection


@dataclass(frozen=True, slots=True)
class Selection:
    """The communities a route filter allows, and how the user asked for them."""

    communities: frozenset[Community]
    asked: str = "all Microsoft 365 communities"

    def __contains__(self, community: object) -> bool:
        return community in self.communities

    def allows_any(self, communities: Iterable[Community]) -> bool:
        return any(c in self.communities for c in communities)


class RoutePath(str, enum.Enum):
    EXPRESSROUTE = "expressroute"
    INTERNET = "internet"


class Verdict(str, enum.Enum):
    """What the catalog says about a destination."""

    EXPRESSROUTE = "expressroute"
    """Eligible for ExpressRoute, and the route filter selects its community."""
    NOT_SELECTED = "expressroute-not-selected"
    """Eligible for ExpressRoute, but the route filter does not select its community: Internet."""
    INTERNET_ONLY = "internet-only"
    """Not supported over ExpressRoute: must go via the Internet."""
    NOT_IN_CATALOG = "not-in-catalog"

    @property
    def path(self) -> RoutePath | None:
        if self is Verdict.EXPRESSROUTE:
            return RoutePath.EXPRESSROUTE
        if self is Verdict.NOT_IN_CATALOG:
            return None
        return RoutePath.INTERNET


# ---------------------------------------------------------------------------------------------
# Where a catalog prefix comes from


@dataclass(frozen=True, slots=True)
class Origin:
    """One reason a prefix is in the catalog: an endpoint set, or a row's literal prefixes."""

    set_id: int | None
    row: int | None
    service_area: str | None
    category: Category | None
    express_route: bool
    communities: tuple[Community, ...]
    rows: tuple[int, ...] = ()
    """Rows of the additional-endpoints table that name this endpoint set's range set."""

    @property
    def internet_only(self) -> bool:
        return not self.express_route

    @property
    def rank(self) -> int:
        """Category rank; a row's literal prefixes rank as Default."""
        return self.category.rank if self.category is not None else Category.DEFAULT.rank

    def describe(self) -> str:
        if self.set_id is not None:
            category = self.category.value if self.category else "?"
            what = f"endpoint set {self.set_id} ({self.service_area}, {category}"
            what += ", ExpressRoute" if self.express_route else ", expressRoute false"
            if self.communities:
                what += ", " + " ".join(str(c) for c in self.communities)
            what += ")"
            if self.rows:
                what += " named by row " + ", ".join(str(r) for r in self.rows)
            return what
        flag = "Yes" if self.express_route else "No"
        return f"row {self.row} (ExpressRoute BGP communities: {flag})"


@dataclass(frozen=True, slots=True)
class Decision:
    """How the catalog decides one prefix, given the origins that name it."""

    verdict: Verdict
    reason: str
    winner: Origin | None
    communities: tuple[Community, ...] = ()


def decide(origins: Sequence[Origin], selection: Selection) -> Decision:
    """Decide a prefix's path from every origin naming it. The one place this rule lives:

    1. ExpressRoute-eligible and Internet-only origins for the same prefix: the highest
       category wins (Optimize > Allow > Default; a row's literal prefix counts as Default);
       on a tie the prefix stays on the Internet (the safe side).
    2. An eligible prefix whose communities the route filter does not allow goes via the
       Internet (``expressroute-not-selected``).
    """
    if not origins:
        return Decision(Verdict.NOT_IN_CATALOG, "no catalog entry names it", None)
    er = [o for o in origins if o.express_route]
    inet = [o for o in origins if not o.express_route]
    best_er = max(er, key=lambda o: o.rank, default=None)
    best_inet = max(inet, key=lambda o: o.rank, default=None)
    if best_inet is not None and (best_er is None or best_inet.rank >= best_er.rank):
        reason = f"{best_inet.describe()} is not supported over ExpressRoute"
        if best_er is not None:
            reason += f"; it outranks or ties {best_er.describe()}"
        return Decision(Verdict.INTERNET_ONLY, reason, best_inet)
    assert best_er is not None
    communities = tuple(sorted({c for o in er for c in o.communities}))
    if best_inet is not None:
        note = f"; {best_er.describe()} outranks {best_inet.describe()}"
    else:
        note = ""
    if not communities:
        return Decision(
            Verdict.NOT_SELECTED,
            f"{best_er.describe()} is ExpressRoute-eligible but no community carries it in this "
            f"instance{note}",
            best_er,
        )
    if selection.allows_any(communities):
        return Decision(
            Verdict.EXPRESSROUTE,
            f"{best_er.describe()}; the route filter allows "
            + ", ".join(str(c) for c in communities if c in selection)
            + note,
            best_er,
            communities,
        )
    return Decision(
        Verdict.NOT_SELECTED,
        f"{best_er.describe()}; the route filter does not allow "
        + ", ".join(str(c) for c in communities)
        + note,
        best_er,
        communities,
    )


# ---------------------------------------------------------------------------------------------
# Answers


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    prefix: Prefix
    origins: tuple[Origin, ...]


@dataclass(frozen=True, slots=True)
class PrefixAnswer:
    query: str
    prefix: Prefix
    decision: Decision
    longest: CatalogEntry | None
    covering: tuple[CatalogEntry, ...]
    """Every catalog prefix covering the query, most specific first."""
    covered: tuple[CatalogEntry, ...] = ()
    """Catalog prefixes inside the query (when a prefix was asked)."""


@dataclass(frozen=True, slots=True)
class FqdnMatch:
    pattern: str
    set_id: int | None
    row: int | None
    winner: bool
    express_route: bool | None
    communities: tuple[Community, ...] = ()


@dataclass(frozen=True, slots=True)
class FqdnAnswer:
    query: str
    decision: Decision
    matches: tuple[FqdnMatch, ...]


@dataclass(frozen=True, slots=True)
class SplitEntry:
    prefix: Prefix
    decision: Decision
    origins: tuple[Origin, ...]


@dataclass(frozen=True, slots=True)
class Split:
    """The catalog's prefixes divided by a route-filter selection."""

    selection: Selection
    expressroute: tuple[SplitEntry, ...]
    not_selected: tuple[SplitEntry, ...]
    internet_only: tuple[SplitEntry, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)


# ---------------------------------------------------------------------------------------------
# The view


class CatalogView:
    """One instance and version of the catalog, with the row table and community rules."""

    def __init__(self, catalog: Catalog, snapshot: Snapshot, rows: RowTable) -> None:
        self.catalog = catalog
        self.snapshot = snapshot
        self.rows = rows
        mapping = catalog.mapping.get(snapshot.instance)
        self.instance_communities: InstanceCommunities = mapping or InstanceCommunities(
            snapshot.instance, supported=False, note="no community mapping for this instance"
        )

    @property
    def instance(self) -> str:
        return self.snapshot.instance

    # -- endpoint sets ------------------------------------------------------------------------
    def communities_of(self, es: EndpointSet) -> tuple[Community, ...]:
        return self.instance_communities.communities_for(es)

    def endpoint_sets(
        self,
        *,
        service: Sequence[str] = (),
        category: Sequence[str] = (),
        express_route: bool | None = None,
        required: bool | None = None,
    ) -> list[EndpointSet]:
        services = {s.lower() for s in service}
        known_services = {es.service_area.lower() for es in self.snapshot.endpoint_sets}
        for s in services - known_services:
            raise NotFoundError("service area", s, sorted(known_services))
        categories = {c.lower() for c in category}
        for c in categories - {m.value.lower() for m in Category}:
            raise NotFoundError("category", c, [m.value for m in Category])
        return [
            es
            for es in self.snapshot.endpoint_sets
            if (not services or es.service_area.lower() in services)
            and (not categories or es.category.value.lower() in categories)
            and (express_route is None or es.express_route == express_route)
            and (required is None or es.required == required)
        ]

    # -- rows and range sets ------------------------------------------------------------------
    def resolve_row(self, row: Row) -> tuple[EndpointSet, ...]:
        """The endpoint sets a row's named IP range sets stand for in this instance."""
        found: dict[int, EndpointSet] = {}
        for ref in row.cidr.range_sets:
            definition = self.catalog.range_sets.find(ref.name)
            if definition is None:
                continue
            rule = definition.rule_for(self.instance)
            if rule is None:
                continue
            express_route = rule.express_route
            if ref.qualifier:
                qualifier = self.catalog.range_sets.qualifier(ref.qualifier)
                if qualifier is not None and qualifier.express_route is not None:
                    express_route = qualifier.express_route
            for es in self.snapshot.endpoint_sets:
                if rule.selects(es) and (
                    express_route is None or es.express_route == express_route
                ):
                    found[es.id] = es
        return tuple(found[k] for k in sorted(found))

    def row_prefixes(self, row: Row) -> tuple[Prefix, ...]:
        """A row's effective prefixes: its literal prefixes and those of its range sets."""
        out: dict[Prefix, None] = dict.fromkeys(row.cidr.prefixes)
        for es in self.resolve_row(row):
            out.update(dict.fromkeys(es.prefixes))
        return tuple(sorted(out))

    @cached_property
    def _rows_by_set(self) -> dict[int, tuple[int, ...]]:
        out: dict[int, list[int]] = {}
        for row in self.rows.rows:
            for es in self.resolve_row(row):
                out.setdefault(es.id, []).append(row.number)
        return {k: tuple(v) for k, v in out.items()}

    def rows_naming(self, es: EndpointSet) -> tuple[int, ...]:
        return self._rows_by_set.get(es.id, ())

    # -- the prefix index ---------------------------------------------------------------------
    @cached_property
    def entries(self) -> dict[Prefix, tuple[Origin, ...]]:
        """Every catalog prefix with every origin naming it."""
        table: dict[Prefix, list[Origin]] = {}
        for es in self.snapshot.endpoint_sets:
            origin = Origin(
                set_id=es.id,
                row=None,
                service_area=es.service_area,
                category=es.category,
                express_route=es.express_route,
                communities=self.communities_of(es),
                rows=self.rows_naming(es),
            )
            for prefix in dict.fromkeys(es.prefixes):
                table.setdefault(prefix, []).append(origin)
        for row in self.rows.rows:
            if row.cidr.kind is not CidrKind.PREFIXES:
                continue
            origin = Origin(
                set_id=None,
                row=row.number,
                service_area=None,
                category=None,
                express_route=bool(row.er_communities),
                communities=(),
            )
            for prefix in dict.fromkeys(row.cidr.prefixes):
                table.setdefault(prefix, []).append(origin)
        return {p: tuple(o) for p, o in sorted(table.items())}

    @cached_property
    def trie(self) -> PrefixTrie[CatalogEntry]:
        trie: PrefixTrie[CatalogEntry] = PrefixTrie()
        for prefix, origins in self.entries.items():
            trie[prefix] = CatalogEntry(prefix, origins)
        return trie

    # -- selections ---------------------------------------------------------------------------
    def all_communities(self) -> tuple[Community, ...]:
        """Every community that carries some endpoint set of this snapshot."""
        found = {c for es in self.snapshot.endpoint_sets for c in self.communities_of(es)}
        return tuple(sorted(found))

    def selection(
        self,
        communities: Sequence[str] | None = None,
        services: Sequence[str] | None = None,
    ) -> Selection:
        """Build a route-filter selection from community values or service names.

        Services are service areas (``Exchange``, ``SharePoint``, ``Skype``, ``Common``) or
        community names from the communities table (``Microsoft Entra ID``). With neither, all
        communities that carry this instance's endpoint sets are selected.
        """
        if communities and services:
            raise UsageError("give --communities or --services, not both")
        if communities:
            chosen = set()
            for text in communities:
                try:
                    community = parse_community(text)
                except InputError as exc:
                    raise UsageError(exc.reason) from None
                if self.catalog.communities.get(community) is None:
                    raise NotFoundError(
                        "community",
                        text,
                        [
                            str(c.community)
                            for c in self.catalog.communities.entries
                            if c.kind in ("service", "national-service")
                        ],
                    )
                chosen.add(community)
            return Selection(frozenset(chosen), "communities " + ", ".join(sorted(communities)))
        if services:
            chosen = set()
            areas = dict(self.instance_communities.service_areas)
            for name in services:
                key = name.strip().lower()
                hit = [v for k, v in areas.items() if k.lower() == key]
                if hit:
                    chosen.update(hit[0])
                    continue
                named = [
                    c.community
                    for c in self.catalog.communities.entries
                    if c.name.lower() == key and c.kind in ("service", "national-service")
                ]
                if named:
                    # A name can stand in several clouds (Microsoft Entra ID is 12076:5060
                    # and, for US Government, 12076:5160): prefer the ones this instance uses.
                    in_use = [c for c in named if c in self.all_communities()]
                    chosen.update(in_use or named)
                    continue
                raise NotFoundError("service", name, sorted(areas))
            return Selection(frozenset(chosen), "services " + ", ".join(services))
        return Selection(frozenset(self.all_communities()))

    # -- lookups ------------------------------------------------------------------------------
    def lookup_prefix(self, text: str, selection: Selection) -> PrefixAnswer:
        try:
            prefix = parse_prefix(text, allow_host=True)
        except InputError as exc:
            raise UsageError(exc.reason, hint=exc.hint) from None
        covering = tuple(entry for _, entry in self.trie.covering(prefix))
        covered: tuple[CatalogEntry, ...] = ()
        if prefix.length < prefix.bits:
            covered = tuple(
                sorted((e for _, e in self.trie.covered(prefix)), key=lambda e: e.prefix)
            )
        longest = covering[0] if covering else None
        if longest is not None:
            decision = decide(longest.origins, selection)
        else:
            decision = decide((), selection)
        return PrefixAnswer(text, prefix, decision, longest, covering, covered)

    def lookup_fqdn(self, name: str, selection: Selection) -> FqdnAnswer:
        host = fqdn.normalise(name)
        candidates: list[tuple[tuple[int, int, int, int], FqdnMatch, Origin]] = []
        for es in self.snapshot.endpoint_sets:
            for pattern in es.urls:
                if fqdn.matches(pattern, host):
                    origin = Origin(
                        es.id,
                        None,
                        es.service_area,
                        es.category,
                        es.express_route,
                        self.communities_of(es),
                        self.rows_naming(es),
                    )
                    candidates.append(
                        (
                            fqdn.specificity(pattern),
                            FqdnMatch(
                                pattern, es.id, None, False, es.express_route, origin.communities
                            ),
                            origin,
                        )
                    )
        for row in self.rows.rows:
            for pattern in row.destinations:
                if fqdn.matches(pattern, host):
                    sets = self.resolve_row(row)
                    communities = tuple(sorted({c for es in sets for c in self.communities_of(es)}))
                    origin = Origin(
                        None, row.number, None, None, bool(row.er_communities), communities
                    )
                    candidates.append(
                        (
                            fqdn.specificity(pattern),
                            FqdnMatch(
                                pattern, None, row.number, False, row.er_communities, communities
                            ),
                            origin,
                        )
                    )
        if not candidates:
            return FqdnAnswer(name, decide((), selection), ())
        # The most specific pattern wins; at equal specificity the web service's endpoint sets
        # (the authority on URLs) win over the rows that repeat them.
        best = max(c[0] for c in candidates)
        winners = [c for c in candidates if c[0] == best and c[1].set_id is not None]
        if not winners:
            winners = [c for c in candidates if c[0] == best]
        winner_ids = {id(c[1]) for c in winners}
        decision = decide([c[2] for c in winners], selection)
        matches = tuple(
            FqdnMatch(
                m.pattern, m.set_id, m.row, id(m) in winner_ids, m.express_route, m.communities
            )
            for _, m, _ in sorted(
                candidates,
                key=lambda c: (c[0], -(c[1].set_id or 0), -(c[1].row or 0)),
                reverse=True,
            )
        )
        return FqdnAnswer(name, decision, matches)

    # -- the split ----------------------------------------------------------------------------
    def split(self, selection: Selection) -> Split:
        """Every catalog prefix, decided: ExpressRoute, eligible but not selected, or
        Internet-only. More-specific Internet-only prefixes inside an ExpressRoute prefix are
        listed on their own (they are holes the plan must keep)."""
        er: list[SplitEntry] = []
        ns: list[SplitEntry] = []
        io: list[SplitEntry] = []
        for prefix, origins in self.entries.items():
            decision = decide(origins, selection)
            entry = SplitEntry(prefix, decision, origins)
            {Verdict.EXPRESSROUTE: er, Verdict.NOT_SELECTED: ns, Verdict.INTERNET_ONLY: io}[
                decision.verdict
            ].append(entry)
        return Split(selection, tuple(er), tuple(ns), tuple(io), self.selection_notes(selection))

    def selection_notes(self, selection: Selection) -> tuple[str, ...]:
        """What to know about a selection here: an instance without Microsoft 365
        communities, selected communities that carry nothing."""
        notes = []
        if not self.instance_communities.supported:
            notes.append(
                f"{self.instance}: "
                + (self.instance_communities.note or "no Microsoft 365 communities")
            )
        unused = [str(c) for c in sorted(selection.communities) if c not in self.all_communities()]
        if unused:
            notes.append(
                "selected communities that carry no endpoint set here: " + ", ".join(unused)
            )
        return tuple(notes)


# ---------------------------------------------------------------------------------------------
# Choosing a view


def select_view(
    catalog: Catalog,
    instance: str = "Worldwide",
    version: str | None = None,
    rows: str | None = None,
) -> CatalogView:
    """Pick an instance (case-insensitive), a snapshot version (its label, or ``latest``) and
    a row table (default: the catalog's default, the 16-row table)."""
    name = canonical_instance(instance) or instance
    snaps = [s for s in catalog.snapshots if s.instance.lower() == name.lower()]
    if not snaps:
        raise NotFoundError("instance", instance, list(catalog.instances))
    if version in (None, "", "latest"):
        snapshot = max(snaps, key=lambda s: s.sort_key)
    else:
        matching = [s for s in snaps if version in (s.label, s.version)]
        if not matching:
            raise NotFoundError(
                f"{snaps[0].instance} version", str(version), [s.label for s in snaps]
            )
        snapshot = matching[0]
    label = rows or catalog.default_rows
    table = next((t for t in catalog.row_tables if t.label == label), None)
    if table is None:
        raise NotFoundError("row table", label, [t.label for t in catalog.row_tables])
    return CatalogView(catalog, snapshot, table)
