"""Questions asked of one instance and version of the catalog.

:class:`CatalogView` binds a snapshot of endpoint sets to a version of the additional-endpoints
table and to the instance's community rules, and answers: which sets, which rows, which
communities, which prefixes are ExpressRoute-eligible or Internet-only for a route-filter
selection, and what covers an address, a prefix or a host name (and why).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from routeplan import fqdn
from routeplan.catalog.decide import (
    PRECEDENCE_RULE,
    PREFER_ROWS_RULE,
    CatalogEntry,
    Decision,
    Disagreement,
    FqdnAnswer,
    FqdnMatch,
    Origin,
    PrefixAnswer,
    PrefixPart,
    RoutePath,
    Selection,
    Source,
    SourceSide,
    Split,
    SplitEntry,
    TakenIn,
    Verdict,
    decide,
)
from routeplan.catalog.webservice import canonical_instance
from routeplan.cidrset import AddressSet
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

__all__ = [
    "PRECEDENCE_RULE",
    "PREFER_ROWS_RULE",
    "CatalogEntry",
    "CatalogView",
    "Decision",
    "Disagreement",
    "FqdnAnswer",
    "FqdnMatch",
    "Origin",
    "PrefixAnswer",
    "PrefixPart",
    "RoutePath",
    "Selection",
    "Source",
    "SourceSide",
    "Split",
    "SplitEntry",
    "TakenIn",
    "Verdict",
    "decide",
    "select_view",
]

# ---------------------------------------------------------------------------------------------
# The view


class CatalogView:
    """One instance and version of the catalog, with the row table and community rules."""

    def __init__(
        self,
        catalog: Catalog,
        snapshot: Snapshot,
        rows: RowTable,
        prefer: Source = Source.WEB_SERVICE,
    ) -> None:
        self.catalog = catalog
        self.snapshot = snapshot
        self.rows = rows
        self.prefer = prefer
        """Which source decides where both speak (:func:`decide`)."""
        mapping = catalog.mapping.get(snapshot.instance)
        self.instance_communities: InstanceCommunities = mapping or InstanceCommunities(
            snapshot.instance, supported=False, note="no community mapping for this instance"
        )

    @property
    def instance(self) -> str:
        return self.snapshot.instance

    # -- endpoint sets ------------------------------------------------------------------------
    def communities_of(self, es: EndpointSet) -> tuple[Community, ...]:
        """The communities the mapping rule gives a set (service area, or a named exception);
        per prefix, Azure's own lists narrow this (:meth:`carried_by`)."""
        return self.instance_communities.communities_for(es)

    @cached_property
    def _azure_lists(self) -> dict[tuple[Community, int], tuple[str, AddressSet, AddressSet]]:
        """(community, family) -> the date and address space of the newest Azure list that
        names the community and lists that family at all, and all the space that capture
        lists under any community."""
        out: dict[tuple[Community, int], tuple[str, AddressSet, AddressSet]] = {}
        for announced in self.catalog.service_communities:  # oldest first: newer replace
            for v in announced.families:
                known = AddressSet.of(v, [p for e in announced.communities for p in e.prefixes])
                for entry in announced.communities:
                    space = AddressSet.of(v, entry.prefixes)
                    out[(entry.community, v)] = (announced.date.isoformat(), space, known)
        return out

    def azure_list(self, community: Community, version: int) -> tuple[str, AddressSet] | None:
        """Azure's newest list for a community and family: (its date, what it carries)."""
        found = self._azure_lists.get((community, version))
        return None if found is None else (found[0], found[1])

    def carried_by(self, es: EndpointSet, prefix: Prefix) -> tuple[tuple[Community, ...], str]:
        """The communities that carry one prefix of a set, and the rule that says so.

        Where Azure publishes what a community carries (``Get-AzBgpServiceCommunity``), that
        list decides, prefix by prefix: a community carries the prefix when the list covers
        all of it, and does not when the same capture lists the prefix under other
        communities only, or when the capture is not older than the snapshot. A prefix the
        capture did not know of (newer than the list) keeps the mapping rule (service area,
        exceptions), as does every prefix of a community Azure lists nothing for.
        """
        carried = []
        basis = []
        whole = AddressSet.of(prefix.version, [prefix])
        for c in self.communities_of(es):
            listed = self._azure_lists.get((c, prefix.version))
            if listed is None:
                carried.append(c)
                basis.append(f"{c} by the service-area rule (Azure lists nothing for it)")
                continue
            date, space, known = listed
            if not whole - space:
                carried.append(c)
                basis.append(f"{c} per Azure's list of {date}")
            elif not whole - known or date >= self.snapshot.retrieved.isoformat():
                basis.append(f"not {c}: Azure's list of {date} does not carry it")
            else:
                carried.append(c)
                basis.append(
                    f"{c} by the service-area rule: Azure's list of {date} predates the prefix"
                )
        return tuple(carried), "; ".join(basis)

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

    def taken_in(self, row: Row) -> tuple[TakenIn, ...]:
        """The row's destination names that this web-service snapshot covers too (by its
        most specific matching patterns), and whether it answers as the row does."""
        out = []
        for name in row.destinations:
            hits = [
                (fqdn.specificity(p), p, es)
                for es in self.snapshot.endpoint_sets
                for p in es.urls
                if fqdn.matches(p, name)
            ]
            if not hits:
                continue
            best = max(h[0] for h in hits)
            top = [h for h in hits if h[0] == best]
            er = any(es.express_route for _, _, es in top)
            out.append(
                TakenIn(
                    name=name,
                    endpoint_sets=tuple(sorted({es.id for _, _, es in top})),
                    patterns=tuple(sorted({p for _, p, _ in top})),
                    express_route=er,
                    agrees=row.er_communities is None or er == row.er_communities,
                )
            )
        return tuple(out)

    def rows_naming(self, es: EndpointSet) -> tuple[int, ...]:
        return self._rows_by_set.get(es.id, ())

    # -- the prefix index ---------------------------------------------------------------------
    @cached_property
    def entries(self) -> dict[Prefix, tuple[Origin, ...]]:
        """Every catalog prefix with every origin naming it."""
        table: dict[Prefix, list[Origin]] = {}
        for es in self.snapshot.endpoint_sets:
            origins: dict[tuple[tuple[Community, ...], str], Origin] = {}
            for prefix in dict.fromkeys(es.prefixes):
                key = self.carried_by(es, prefix)
                origin = origins.get(key)
                if origin is None:
                    origin = origins[key] = Origin(
                        set_id=es.id,
                        row=None,
                        service_area=es.service_area,
                        category=es.category,
                        express_route=es.express_route,
                        communities=key[0],
                        rows=self.rows_naming(es),
                        community_basis=key[1],
                    )
                table.setdefault(prefix, []).append(origin)
        web: PrefixTrie[list[Origin]] = PrefixTrie()
        for prefix, found in table.items():
            web[prefix] = found
        for row in self.rows.rows:
            if row.cidr.kind is not CidrKind.PREFIXES:
                continue
            origin = self.row_origin(row)
            for prefix in dict.fromkeys(row.cidr.prefixes):
                if prefix not in table:
                    # a row's prefix inside a web-service prefix is covered by the web
                    # service too: its endpoint sets speak for it (and decide, see decide())
                    covering = next(iter(web.covering(prefix)), None)
                    table[prefix] = list(covering[1]) if covering else []
                table[prefix].append(origin)
        return {p: tuple(o) for p, o in sorted(table.items())}

    def row_origin(self, row: Row) -> Origin:
        """A row as an origin of its literal prefixes or its destination names."""
        sets = self.resolve_row(row)
        return Origin(
            set_id=None,
            row=row.number,
            service_area=None,
            category=None,
            express_route=bool(row.er_communities),
            communities=tuple(sorted({c for es in sets for c in self.communities_of(es)}))
            if row.er_communities
            else (),
            stated=row.er_communities is not None,
        )

    def decide(self, origins: Sequence[Origin], selection: Selection) -> Decision:
        """:func:`decide` with this view's source preference."""
        return decide(origins, selection, self.prefer)

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
            decision = self.decide(longest.origins, selection)
        else:
            decision = self.decide((), selection)
        parts: tuple[PrefixPart, ...] = ()
        if prefix.length < prefix.bits:
            parts = self._parts(prefix, longest, covered, selection)
            decision = self._decide_parts(prefix, parts, decision)
        disagreement = None
        if decision.overruled and decision.winner is not None:
            won = [
                o
                for o in (longest.origins if longest else ())
                if o.source is decision.winner.source and o.stated
            ]
            disagreement = Disagreement(
                winner=decision.winner.source,
                rule=PRECEDENCE_RULE if self.prefer is Source.WEB_SERVICE else PREFER_ROWS_RULE,
                sides=(self.side(won), self.side(decision.overruled)),
            )
        return PrefixAnswer(text, prefix, decision, longest, covering, covered, disagreement, parts)

    def _parts(
        self,
        prefix: Prefix,
        longest: CatalogEntry | None,
        covered: Sequence[CatalogEntry],
        selection: Selection,
    ) -> tuple[PrefixPart, ...]:
        """Group the addresses of ``prefix`` by the verdict of their longest catalog match."""
        inside = [e for e in covered if e.prefix != prefix]
        # each catalog prefix inside the query owns its addresses minus its more-specifics
        nearest: dict[Prefix, Prefix | None] = {}
        stack: list[Prefix] = []
        for e in sorted(inside, key=lambda e: e.prefix):
            while stack and not stack[-1].contains(e.prefix):
                stack.pop()
            nearest[e.prefix] = stack[-1] if stack else None
            stack.append(e.prefix)
        children: dict[Prefix | None, list[Prefix]] = {}
        for child, outer in nearest.items():
            children.setdefault(outer, []).append(child)
        v = prefix.version
        owners: list[tuple[CatalogEntry | None, AddressSet]] = []
        top = AddressSet.of(v, children.get(None, []))
        owners.append((longest, AddressSet.of(v, [prefix]) - top))
        for e in inside:
            owners.append(
                (e, AddressSet.of(v, [e.prefix]) - AddressSet.of(v, children.get(e.prefix, [])))
            )
        groups: dict[Verdict, tuple[AddressSet, list[Prefix], set[Community]]] = {}
        for entry, region in owners:
            if not region:
                continue
            d = self.decide(entry.origins if entry else (), selection)
            space, names, communities = groups.get(d.verdict, (AddressSet(v), [], set()))
            groups[d.verdict] = (
                space | region,
                names + ([entry.prefix] if entry else []),
                communities | set(d.communities),
            )
        return tuple(
            PrefixPart(
                verdict,
                tuple(space.cidrs()),
                space.size,
                tuple(sorted(names)),
                tuple(sorted(communities)),
            )
            for verdict, (space, names, communities) in sorted(
                groups.items(), key=lambda g: -g[1][0].size
            )
        )

    @staticmethod
    def _decide_parts(prefix: Prefix, parts: Sequence[PrefixPart], decision: Decision) -> Decision:
        """The answer for a prefix asked for: one verdict where all its addresses share it
        (``52.96.0.0/13`` is exactly two ExpressRoute /14s), else ``mixed``."""
        if len(parts) == 1:
            part = parts[0]
            if part.verdict is decision.verdict:
                return decision
            names = ", ".join(str(p) for p in part.catalog_prefixes[:8])
            more = (
                f" and {len(part.catalog_prefixes) - 8} more"
                if len(part.catalog_prefixes) > 8
                else ""
            )
            return Decision(
                part.verdict,
                f"every address of {prefix} lies in catalog prefixes that are "
                f"{part.verdict.value}: {names}{more}",
                None,
                part.communities,
            )
        if not parts:
            return decision
        kinds = ", ".join(part.verdict.value for part in parts)
        return Decision(
            Verdict.MIXED,
            f"{prefix} holds addresses of {len(parts)} kinds ({kinds}; the parts list them): "
            "one route for it sends them all the same way",
            None,
            tuple(sorted({c for p in parts for c in p.communities})),
        )

    def lookup_fqdn(self, name: str, selection: Selection) -> FqdnAnswer:
        """Match a host name against the sets' URLs and the rows' destinations.

        The deciding source (:func:`decide`: the web service, unless ``prefer`` is rows)
        answers when any of its patterns matches; within it the most specific pattern wins
        (an exact name, then the longest wildcard), and at equal specificity the categories
        decide. The other source's most specific matches are reported, and named as
        overruled where they answer otherwise.
        """
        host = fqdn.normalise(name)
        Candidate = tuple[tuple[int, int, int, int], FqdnMatch, Origin]
        candidates: list[Candidate] = []
        for es in self.snapshot.endpoint_sets:
            for pattern in es.urls:
                if fqdn.matches(pattern, host):
                    origin = self._set_origin(es)
                    match = FqdnMatch(
                        pattern, es.id, None, False, es.express_route, origin.communities
                    )
                    candidates.append((fqdn.specificity(pattern), match, origin))
        for row in self.rows.rows:
            for pattern in row.destinations:
                if fqdn.matches(pattern, host):
                    origin = self.row_origin(row)
                    stated = row.er_communities if origin.stated else None
                    match = FqdnMatch(pattern, None, row.number, False, stated, origin.communities)
                    candidates.append((fqdn.specificity(pattern), match, origin))
        if not candidates:
            return FqdnAnswer(name, self.decide((), selection), ())
        primary = [c for c in candidates if c[2].source is self.prefer and c[2].stated]
        if not primary:
            primary = [c for c in candidates if c[2].stated] or candidates
        best = max(c[0] for c in primary)
        winners = [c for c in primary if c[0] == best]
        # the other source's say: its most specific stated matches
        others = [c for c in candidates if c[2].stated and c[2].source is not winners[0][2].source]
        best_other = max((c[0] for c in others), default=None)
        # only where it would have won or tied on specificity: a less specific wildcard of the
        # other source is not a disagreement, the more specific name decides either way
        others = [c for c in others if c[0] == best_other and best_other >= best]
        decision = self.decide([c[2] for c in winners + others], selection)
        winner_ids = {id(c[1]) for c in winners}
        matches = tuple(
            FqdnMatch(
                m.pattern, m.set_id, m.row, id(m) in winner_ids, m.express_route, m.communities
            )
            for _, m, _ in sorted(
                candidates,
                key=lambda c: (
                    id(c[1]) in winner_ids,
                    c[0],
                    -(c[1].set_id or 0),
                    -(c[1].row or 0),
                ),
                reverse=True,
            )
        )
        overruled = self._disagreement(decision, winners, others)
        return FqdnAnswer(name, decision, matches, overruled)

    def fqdn_rules(self) -> tuple[tuple[str, tuple[Origin, ...]], ...]:
        """Every URL pattern of the sets and the rows, with the origins naming it, in the order
        :meth:`lookup_fqdn` lets them decide: the deciding source's stated patterns, then the
        other source's stated ones, then the unstated, each group most specific first (exact
        names, then the longest wildcard). Tried in this order, first match wins, they answer
        as :meth:`lookup_fqdn` does (a PAC file, routeplan.pac)."""
        groups: dict[tuple[int, str], list[Origin]] = {}

        def rank(o: Origin) -> int:
            return 0 if o.stated and o.source is self.prefer else 1 if o.stated else 2

        for es in self.snapshot.endpoint_sets:
            origin = self._set_origin(es)
            for pattern in es.urls:
                groups.setdefault((rank(origin), fqdn.normalise(pattern)), []).append(origin)
        for row in self.rows.rows:
            origin = self.row_origin(row)
            for pattern in row.destinations:
                groups.setdefault((rank(origin), fqdn.normalise(pattern)), []).append(origin)
        order = sorted(
            groups, key=lambda k: (k[0], tuple(-x for x in fqdn.specificity(k[1])), k[1])
        )
        return tuple((pattern, tuple(groups[(r, pattern)])) for r, pattern in order)

    def _set_origin(self, es: EndpointSet) -> Origin:
        communities, basis = self.set_communities(es)
        return Origin(
            es.id,
            None,
            es.service_area,
            es.category,
            es.express_route,
            communities,
            self.rows_naming(es),
            community_basis=basis,
        )

    def set_communities(self, es: EndpointSet) -> tuple[tuple[Community, ...], str]:
        """The communities that carry some prefix of a set (what a host name of the set may
        be reached by), and which rule says so; a community that carries only some of the
        set's prefixes is named as such."""
        if not es.prefixes:
            return self.communities_of(es), "by the service-area rule (the set lists no IPs)"
        per_prefix = [self.carried_by(es, p) for p in es.prefixes]
        out = []
        basis = []
        for c in self.communities_of(es):
            n = sum(1 for communities, _ in per_prefix if c in communities)
            if n == 0:
                basis.append(f"not {c}: Azure's lists carry none of the set's prefixes")
                continue
            out.append(c)
            if n < len(per_prefix):
                basis.append(f"{c} carries {n} of the set's {len(per_prefix)} prefixes")
        listed = any("Azure's list" in b for _, b in per_prefix)
        basis.append("per Azure's lists" if listed else "by the service-area rule")
        return tuple(out), "; ".join(basis)

    def _disagreement(
        self,
        decision: Decision,
        winners: Sequence[tuple[object, FqdnMatch, Origin]],
        others: Sequence[tuple[object, FqdnMatch, Origin]],
    ) -> Disagreement | None:
        if not decision.overruled:
            return None
        lost = [c for c in others if c[2] in decision.overruled]
        return Disagreement(
            winner=winners[0][2].source,
            rule=PRECEDENCE_RULE if self.prefer is Source.WEB_SERVICE else PREFER_ROWS_RULE,
            sides=tuple(
                self.side(tuple(c[2] for c in group), tuple(c[1].pattern for c in group))
                for group in (winners, lost)
            ),
        )

    def side(self, origins: Sequence[Origin], patterns: Sequence[str] = ()) -> SourceSide:
        """One source's answer, with the version and date it comes from."""
        if origins and origins[0].source is Source.WEB_SERVICE:
            snap = self.snapshot
            return SourceSide(
                source=Source.WEB_SERVICE,
                label=f"{snap.instance} {snap.label}",
                date=snap.retrieved.isoformat(),
                endpoint_sets=tuple(sorted({o.set_id for o in origins if o.set_id is not None})),
                rows=(),
                patterns=tuple(patterns),
                express_route=any(o.express_route for o in origins),
            )
        table = self.rows
        date = table.provenance.date
        return SourceSide(
            source=Source.ROWS,
            label=f"additional-endpoints table {table.label}",
            date=date.isoformat() if date else None,
            endpoint_sets=(),
            rows=tuple(sorted({o.row for o in origins if o.row is not None})),
            patterns=tuple(patterns),
            express_route=any(o.express_route for o in origins),
        )

    # -- the split ----------------------------------------------------------------------------
    def split(self, selection: Selection) -> Split:
        """Every catalog prefix, decided: ExpressRoute, eligible but not selected, or
        Internet-only. More-specific Internet-only prefixes inside an ExpressRoute prefix are
        listed on their own (they are holes the plan must keep)."""
        er: list[SplitEntry] = []
        ns: list[SplitEntry] = []
        io: list[SplitEntry] = []
        for entry in self.decided(selection):
            {Verdict.EXPRESSROUTE: er, Verdict.NOT_SELECTED: ns, Verdict.INTERNET_ONLY: io}[
                entry.decision.verdict
            ].append(entry)
        return Split(selection, tuple(er), tuple(ns), tuple(io), self.selection_notes(selection))

    def decided(self, selection: Selection) -> tuple[SplitEntry, ...]:
        """Every catalog prefix with a path, decided (the one loop the split, the plan and
        the check share). Prefixes only a table without an ExpressRoute answer names
        (``not-stated``) are left out: nothing is planned or checked for them."""
        out = []
        for prefix, origins in self.entries.items():
            decision = self.decide(origins, selection)
            if decision.verdict is not Verdict.NOT_STATED:
                out.append(SplitEntry(prefix, decision, origins))
        return tuple(out)

    def selection_notes(self, selection: Selection) -> tuple[str, ...]:
        """What to know about a selection here: an instance without Microsoft 365
        communities, selected communities that carry nothing."""
        notes = []
        if not self.instance_communities.supported:
            notes.append(
                f"{self.instance}: "
                + (self.instance_communities.note or "no Microsoft 365 communities")
            )
        not_stated = sum(
            1
            for origins in self.entries.values()
            if self.decide(origins, selection).verdict is Verdict.NOT_STATED
        )
        if not_stated:
            notes.append(
                f"{not_stated} prefix(es) named only by rows of table {self.rows.label}, which "
                "states no ExpressRoute answer: not planned and not checked"
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
    prefer: Source | str = Source.WEB_SERVICE,
) -> CatalogView:
    """Pick an instance (case-insensitive), a snapshot version (its label, or ``latest``) and
    a row table (default: the catalog's default, the 16-row table). ``prefer`` says which
    source decides where both speak: ``web-service`` (the default, docs/catalog.md) or
    ``rows``."""
    try:
        preferred = Source(prefer)
    except ValueError:
        raise NotFoundError("source", str(prefer), [s.value for s in Source]) from None
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
    return CatalogView(catalog, snapshot, table, preferred)
