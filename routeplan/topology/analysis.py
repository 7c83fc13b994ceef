"""The topology as a networkx graph, the exit each site's Microsoft 365 traffic takes, and the
checks: hairpins, far circuits, single points of failure, asymmetric return paths, and the
what-if of a failed circuit, router or link (docs/topology.md).

Routers are nodes, links are edges weighted by IGP cost. An *exit* is a circuit at one of its
terminating routers, or an Internet breakout. For every site:

- the **intended** exit of a service is the nearest (by IGP cost from the site's gateway)
  circuit whose route filter carries the service, else the nearest breakout;
- the **actual** exit of a catalog prefix comes from the route tables: the longest match at
  the gateway (or, when the gateway has no table, at the nearest router that has one) says
  ExpressRoute or Internet, its next hop picks the circuit or breakout that announced it when
  the topology names next hops, and otherwise the nearest exit of that kind is taken (hot
  potato). The what-if assumes routing converges to the nearest remaining exit of each kind.

Nearest exits come from one multi-source Dijkstra per kind of exit, so a check costs a few
graph passes, not one per site.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

from routeplan.catalog.age import DEFAULT_MAX_AGE_DAYS, CatalogAge, catalog_age
from routeplan.catalog.query import CatalogView
from routeplan.errors import InputError
from routeplan.model import Prefix, Severity
from routeplan.policy import Classifier, PathClass, Policy
from routeplan.rib.read import RibInput, read_routes
from routeplan.topology.cuts import Cuts, Loss
from routeplan.topology.model import Topology
from routeplan.trie import PrefixTrie

ER, INET = "expressroute", "internet"
_KINDS = {PathClass.EXPRESSROUTE: ER, PathClass.INTERNET: INET}


@dataclass(frozen=True, slots=True)
class Exit:
    kind: str
    """``expressroute`` or ``internet``."""
    name: str
    """The circuit or breakout."""
    router: str
    region: str

    def __str__(self) -> str:
        return f"{self.name}@{self.router}"


@dataclass(frozen=True, slots=True)
class Choice:
    """Where one site's traffic for one service goes."""

    site: str
    service: str
    intended: Exit | None
    actual: Exit | None
    cost: float | None
    """IGP cost from the gateway to the intended exit."""
    used: tuple[Exit, ...] = ()
    """Every exit the route tables send some of the service's prefixes to (``actual`` is the
    most common of them)."""


@dataclass(frozen=True, slots=True)
class TopoFinding:
    code: str
    severity: Severity
    """error or warning."""
    message: str
    sites: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    subject: str | None = None
    """The circuit, router or link concerned."""


@dataclass(frozen=True)
class Analysis:
    topology: Topology
    services: tuple[str, ...]
    """Service areas some circuit's route filter carries."""
    choices: tuple[Choice, ...]
    findings: tuple[TopoFinding, ...]
    carried: dict[str, frozenset[str]] = field(default_factory=dict)
    """Circuit -> the service areas its route filter carries."""
    catalog_age: CatalogAge | None = None
    """How old the catalog data the analysis used is (docs/catalog.md)."""

    def choice(self, site: str, service: str) -> Choice | None:
        for c in self.choices:
            if c.site == site and c.service == service:
                return c
        return None


# ---------------------------------------------------------------------------------------------
# the graph and the exits


def graph_of(topology: Topology, *, without: Iterable[str] = ()) -> nx.Graph[str]:
    """Routers and links; ``without`` drops routers (``router:NAME``) and links
    (``link:A-B``)."""
    without = tuple(without)
    if not without:  # the whole graph: made once per topology, frozen so no caller changes it
        cached = topology.cached("graph")
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        whole: nx.Graph[str] = nx.freeze(_build(topology, set(), set()))
        topology.cache("graph", whole)
        return whole
    drop_routers = {w.split(":", 1)[1] for w in without if w.startswith("router:")}
    drop_links = {w.split(":", 1)[1] for w in without if w.startswith("link:")}
    return _build(topology, drop_routers, drop_links)


def _build(topology: Topology, drop_routers: set[str], drop_links: set[str]) -> nx.Graph[str]:
    g: nx.Graph[str] = nx.Graph()
    for r in topology.routers:
        if r.name not in drop_routers:
            g.add_node(r.name)
    for link in topology.links:
        if link.name in drop_links or f"{link.b}-{link.a}" in drop_links:
            continue
        if link.a in g and link.b in g:
            old = g.get_edge_data(link.a, link.b)
            if old is None or old["weight"] > link.cost:
                g.add_edge(link.a, link.b, weight=link.cost)
    return g


def exits(topology: Topology, *, without: Iterable[str] = ()) -> list[Exit]:
    gone = set(without)
    out = []
    for c in topology.circuits:
        if f"circuit:{c.name}" in gone:
            continue
        for r in c.routers:
            if f"router:{r}" not in gone:
                out.append(Exit(ER, c.name, r, c.region))
    for b in topology.breakouts:
        if f"breakout:{b.name}" not in gone and f"router:{b.router}" not in gone:
            out.append(Exit(INET, b.name, b.router, b.region))
    return out


def nearest(g: nx.Graph[str], candidates: Sequence[Exit]) -> dict[str, tuple[float, Exit]]:
    """For every router, the nearest of ``candidates`` and its IGP cost (one Dijkstra from
    all of them at once; ties go to the exit listed first)."""
    by_router: dict[str, Exit] = {}
    for e in candidates:
        by_router.setdefault(e.router, e)
    sources = [r for r in by_router if r in g]
    if not sources:
        return {}
    return {node: (float(d), by_router[src]) for node, (d, src) in _dijkstra(g, sources).items()}


def _dijkstra(g: nx.Graph[str], sources: Sequence[str]) -> dict[str, tuple[int, str]]:
    """Each reachable router's distance from the nearest source, and that source: networkx's
    multi-source Dijkstra step for step (the same heap order, ties to the source listed
    first: tests hold the two equal), keeping the source instead of the whole path (at
    50,000 routers the paths cost most of the time).

    >>> g = nx.Graph([("a", "b", {"weight": 2}), ("b", "c", {"weight": 2}), ("c", "d", {})])
    >>> _dijkstra(g, ["a", "d"])
    {'a': (0, 'a'), 'd': (0, 'd'), 'c': (1, 'd'), 'b': (2, 'a')}
    """
    adj = dict(g.adjacency())
    dist: dict[str, tuple[int, str]] = {}
    seen: dict[str, int] = {}
    origin: dict[str, str] = {}
    fringe: list[tuple[int, int, str]] = []
    count = 0
    for s in sources:
        seen[s] = 0
        origin[s] = s
        fringe.append((0, count, s))
        count += 1
    heapq.heapify(fringe)
    pop, push = heapq.heappop, heapq.heappush
    while fringe:
        d, _, v = pop(fringe)
        if v in dist:
            continue
        dist[v] = (d, origin[v])
        for u, data in adj[v].items():
            vu = d + data.get("weight", 1)
            if u in dist:
                continue
            if u not in seen or vu < seen[u]:
                seen[u] = vu
                origin[u] = origin[v]
                push(fringe, (vu, count, u))
                count += 1
    return dist


def carried_services(view: CatalogView, topology: Topology) -> dict[str, frozenset[str]]:
    """Circuit -> the service areas whose ExpressRoute prefixes its route filter selects."""
    out = {}
    for c in topology.circuits:
        selection = view.selection(list(c.communities) or None, list(c.services) or None)
        services = set()
        for es in view.snapshot.endpoint_sets:
            if es.express_route and selection.allows_any(view.communities_of(es)):
                services.add(es.service_area)
        out[c.name] = frozenset(services)
    return out


# ---------------------------------------------------------------------------------------------
# intended and actual exits


def intended_choices(
    topology: Topology,
    services: Sequence[str],
    carried: dict[str, frozenset[str]],
    *,
    without: Iterable[str] = (),
) -> dict[tuple[str, str], tuple[Exit | None, float | None]]:
    """(site, service) -> the intended exit and its cost."""
    without = tuple(without)
    g = graph_of(topology, without=without)
    all_exits = exits(topology, without=without)
    searched: dict[tuple[Exit, ...], dict[str, tuple[float, Exit]]] = {}

    def near(candidates: list[Exit]) -> dict[str, tuple[float, Exit]]:
        """One search per distinct set of exits: services their circuits all carry share it."""
        key = tuple(candidates)
        if key not in searched:
            searched[key] = nearest(g, candidates)
        return searched[key]

    internet = near([e for e in all_exits if e.kind == INET])
    per_service = {
        s: near([e for e in all_exits if e.kind == ER and s in carried.get(e.name, ())])
        for s in services
    }
    out: dict[tuple[str, str], tuple[Exit | None, float | None]] = {}
    for site in topology.sites:
        if site.gateway not in g:
            continue
        for s in services:
            hit = per_service[s].get(site.gateway) or internet.get(site.gateway)
            out[(site.name, s)] = (hit[1], hit[0]) if hit else (None, None)
    return out


def _exit_of(
    hit: tuple[str, tuple[PathClass, str | None]] | None,
    by_hop: dict[str, Exit],
    near: dict[str, dict[str, tuple[float, Exit]]],
    gateway: str,
) -> Exit | None:
    """The exit a deciding route sends traffic to: the circuit or breakout its next hop
    names, else the nearest exit of its path's kind; None without a route to an exit."""
    if hit is None:
        return None
    path, hop = hit[1]
    kind = _KINDS.get(path)
    if kind is None:
        return None
    named = by_hop.get(hop or "")
    if named is not None and named.kind == kind:
        return named
    found = near[kind].get(gateway)
    return found[1] if found else None


def actual_exits(
    topology: Topology,
    view: CatalogView,
    policy: Policy,
    tables: dict[str, list[RibInput]],
) -> dict[tuple[str, Prefix], Exit | None]:
    """(site, catalog prefix) -> the exit its route tables send it to; only for sites whose
    gateway (or a router reachable from it) has a route table."""
    if not tables:
        return {}
    g = graph_of(topology)
    all_exits = exits(topology)
    near = {kind: nearest(g, [e for e in all_exits if e.kind == kind]) for kind in (ER, INET)}
    by_hop: dict[str, Exit] = {}
    for c in topology.circuits:
        for address in c.next_hops:
            by_hop[address] = Exit(ER, c.name, c.routers[0], c.region)
    for b in topology.breakouts:
        for address in b.next_hops:
            by_hop[address] = Exit(INET, b.name, b.router, b.region)
    tries: dict[str, PrefixTrie[tuple[PathClass, str | None]]] = {}
    families: dict[str, set[int]] = {}
    for router, inputs in tables.items():
        routes = [r for i in inputs for r in i.routes]
        families[router] = {v for i in inputs for v, n in i.counts.items() if n}
        classifier = Classifier(policy, routes)
        trie: PrefixTrie[tuple[PathClass, str | None]] = PrefixTrie()
        for r in routes:
            if r.best or str(r.prefix) not in trie:
                trie[r.prefix] = (classifier.classify(r)[0], r.next_hop)
        tries[router] = trie
    # every router's nearest router with a table, in one pass (ties: the first by name)
    with_tables = sorted(r for r in tries if r in g)
    deciding_for: dict[str, str] = {}
    if with_tables:
        _, paths = nx.multi_source_dijkstra(g, with_tables, weight="weight")
        assert isinstance(paths, dict)
        deciding_for = {node: path[0] for node, path in paths.items()}
    out: dict[tuple[str, Prefix], Exit | None] = {}
    for site in topology.sites:
        deciding = deciding_for.get(site.gateway)
        if deciding is None:
            continue
        trie = tries[deciding]
        for prefix in view.entries:
            if prefix.version not in families[deciding]:
                continue  # that family is not in the table: unknown, not "no route"
            out[(site.name, prefix)] = _exit_of(trie.longest(prefix), by_hop, near, site.gateway)
    return out


# ---------------------------------------------------------------------------------------------
# the whole analysis


def analyse(
    topology: Topology,
    view: CatalogView,
    *,
    policy: Policy | None = None,
    with_tables: bool = True,
    max_catalog_age: int = DEFAULT_MAX_AGE_DAYS,
    unread: Sequence[tuple[str, str]] = (),
    keep_going: bool = False,
    tables: Mapping[str, Sequence[RibInput]] | None = None,
) -> Analysis:
    """The topology's findings. ``unread``: routers whose tables could not be had (router,
    why), each reported as ``table-not-read``; with ``keep_going`` a table that cannot be
    read is reported the same way instead of ending the check (inventory runs). ``tables``:
    route tables already read, by router name (NetBox's Data Source files); they take the
    place of a router's ``routes`` files."""
    policy = policy or Policy.default()
    unread = list(unread)
    carried = carried_services(view, topology)
    services = tuple(sorted(set().union(*carried.values()))) if carried else ()
    intended = intended_choices(topology, services, carried)
    have: dict[str, list[RibInput]] = {}
    if with_tables:
        given = dict(tables or {})
        interest = policy.interest(view.entries)  # full tables: keep what can decide a path
        for r in topology.routers:
            if r.name in given:
                have[r.name] = list(given[r.name])
            elif r.routes:
                try:
                    have[r.name] = read_routes(list(r.routes), interest=interest)
                except (InputError, OSError) as exc:
                    if not keep_going:
                        raise
                    unread.append((r.name, str(exc).split("\n", 1)[0]))
    actual = actual_exits(topology, view, policy, have)
    service_of = _service_of(view)
    used: dict[tuple[str, str], list[Exit]] = {}
    for (site, prefix), e in actual.items():
        if e is not None:
            for service in service_of.get(prefix, ()):
                used.setdefault((site, service), []).append(e)
    choices = []
    for (site, service), (exit_, cost) in sorted(intended.items()):
        exits_used = used.get((site, service), [])
        common = (
            max(set(exits_used), key=lambda e: (exits_used.count(e), str(e)))
            if exits_used
            else None
        )
        choices.append(
            Choice(site, service, exit_, common, cost, tuple(sorted(set(exits_used), key=str)))
        )
    findings: list[TopoFinding] = []
    findings += _no_exit(topology, choices)
    findings += _hairpins(topology, choices, actual)
    findings += _far_circuits(topology, choices, carried)
    findings += _spof(topology, services, carried, intended)
    findings += _asymmetric(topology, choices)
    findings += _wrong_path(choices)
    findings += [
        TopoFinding(
            "table-not-read",
            Severity.WARNING,
            f"router {name}: its route table could not be read, so its actual exits are "
            f"unknown ({why})",
            (topology.router(name).site,),
            (),
            name,
        )
        for name, why in unread
    ]
    findings.sort(
        key=lambda f: (f.severity is not Severity.ERROR, f.code, f.subject or "", f.sites)
    )
    return Analysis(
        topology,
        services,
        tuple(choices),
        tuple(findings),
        carried,
        catalog_age(view.snapshot, max_catalog_age),
    )


def _service_of(view: CatalogView) -> dict[Prefix, tuple[str, ...]]:
    out: dict[Prefix, set[str]] = {}
    for prefix, origins in view.entries.items():
        for o in origins:
            if o.service_area and o.express_route:
                out.setdefault(prefix, set()).add(o.service_area)
    return {p: tuple(sorted(s)) for p, s in out.items()}


def _no_exit(topology: Topology, choices: Sequence[Choice]) -> list[TopoFinding]:
    lost = sorted({c.site for c in choices if c.intended is None})
    if not lost:
        return []
    return [
        TopoFinding(
            "no-exit",
            Severity.ERROR,
            "no circuit or breakout is reachable from " + ", ".join(lost),
            tuple(lost),
        )
    ]


def _hairpins(
    topology: Topology,
    choices: Sequence[Choice],
    actual: dict[tuple[str, Prefix], Exit | None],
) -> list[TopoFinding]:
    """Internet-bound Microsoft 365 traffic leaving at a breakout farther than the nearest one
    (by IGP cost), or in another region while the site's region has one."""
    out = []
    g = graph_of(topology)
    breakouts = [e for e in exits(topology) if e.kind == INET]
    near = nearest(g, breakouts)
    used: dict[str, set[Exit]] = {}
    for (name, _), e in actual.items():
        if e is not None and e.kind == INET:
            used.setdefault(name, set()).add(e)
    for c in choices:
        if c.intended is not None and c.intended.kind == INET:
            used.setdefault(c.site, set()).add(c.intended)
    # distances from each breakout router, once (links are undirected: the same both ways)
    from_breakout: dict[str, dict[str, float]] = {}

    def distance(router: str, gateway: str) -> float | None:
        if router not in from_breakout:
            from_breakout[router] = dict(
                nx.single_source_dijkstra_path_length(g, router, weight="weight")
            )
        return from_breakout[router].get(gateway)

    for site_name, exits_used in sorted(used.items()):
        site = topology.site(site_name)
        best = near.get(site.gateway)
        if best is None:
            continue
        local = [
            b
            for b in breakouts
            if b.region == site.region and distance(b.router, site.gateway) is not None
        ]
        for e in sorted(exits_used, key=str):
            cost = distance(e.router, site.gateway)
            if cost is None:
                continue
            far = cost > best[0]
            other_region = e.region != site.region and bool(local)
            if far or other_region:
                why = []
                if far:
                    why.append(f"IGP cost {cost:g} against {best[0]:g} to {best[1].name}")
                if other_region:
                    why.append(f"region {e.region}, while {site.region} has {local[0].name}")
                out.append(
                    TopoFinding(
                        "hairpin",
                        Severity.WARNING,
                        f"{site_name}: Microsoft 365 traffic to the Internet leaves at "
                        f"{e.name} ({'; '.join(why)}); row 1 asks for egress as close to the "
                        "user as possible",
                        (site_name,),
                        subject=e.name,
                    )
                )
    return out


def _far_circuits(
    topology: Topology, choices: Sequence[Choice], carried: dict[str, frozenset[str]]
) -> list[TopoFinding]:
    out = []
    for c in choices:
        site = topology.site(c.site)
        near = [
            x.name
            for x in topology.circuits
            if x.region == site.region and c.service in carried.get(x.name, ())
        ]
        if not near:
            continue
        candidates = [e for e in c.used if e.kind == ER] or (
            [c.intended] if c.intended is not None and c.intended.kind == ER else []
        )
        for e in candidates:
            if e.region == site.region:
                continue
            out.append(
                TopoFinding(
                    "far-circuit",
                    Severity.WARNING,
                    f"{c.site}: {c.service} traffic crosses to {e.name} in {e.region} while "
                    f"{near[0]} in {site.region} carries it",
                    (c.site,),
                    (c.service,),
                    e.name,
                )
            )
    return out


def _spof(
    topology: Topology,
    services: Sequence[str],
    carried: dict[str, frozenset[str]],
    intended: dict[tuple[str, str], tuple[Exit | None, float | None]],
) -> list[TopoFinding]:
    """A circuit or router whose loss takes a selected service off ExpressRoute for some
    site (or leaves it without any exit). Only connectivity decides that: after the loss, a
    site keeps a service on ExpressRoute when its part of the network still holds a router
    terminating a circuit that carries it.

    Circuits and the routers that terminate them (few) cost one pass over the graph each.
    Every other candidate is a cut point, and all of those come from one depth-first search
    (:class:`~routeplan.topology.cuts.Cuts`): a chain of 10,000 sites took 393 s with one
    pass per cut point.
    """
    g = graph_of(topology)
    carriers: dict[str, dict[str, set[str]]] = {s: {} for s in services}
    for c in topology.circuits:
        for s in carried.get(c.name, ()):
            if s in carriers:
                for r in c.routers:
                    carriers[s].setdefault(r, set()).add(c.name)
    breakout_routers = {b.router for b in topology.breakouts}
    terminating = {r for c in topology.circuits for r in c.routers}
    on_er = {key for key, (e, _) in intended.items() if e is not None and e.kind == ER}
    order = {site.name: i for i, site in enumerate(topology.sites)}
    loss = Loss(g, topology, tuple(services), carriers, breakout_routers, on_er)
    cuts = Cuts(loss)
    candidates = [f"circuit:{c.name}" for c in topology.circuits]
    candidates += [f"router:{r}" for r in sorted(terminating | cuts.points)]
    out = []
    for failed in candidates:
        kind, _, name = failed.partition(":")
        if kind == "router" and name in cuts.points:
            per_service, dark = cuts.lost(name)
        else:
            per_service, dark = loss.by_pass(kind, name)
        if not per_service:
            continue
        for lists in (per_service, dark):
            for v in lists.values():
                v.sort(key=order.__getitem__)
        parts = [
            f"{s} leaves ExpressRoute at {_list(sites)}"
            + (f" (no exit at all at {_list(dark[s])})" if s in dark else "")
            for s, sites in sorted(per_service.items())
        ]
        out.append(
            TopoFinding(
                "single-point-of-failure",
                Severity.ERROR,
                f"losing {failed}: " + "; ".join(parts),
                tuple(sorted({x for v in per_service.values() for x in v})),
                tuple(sorted(per_service)),
                failed,
            )
        )
    return out


def _list(names: Sequence[str], limit: int = 6) -> str:
    """
    >>> _list(["A", "B"]), _list([str(i) for i in range(8)], 3)
    ('A, B', '0, 1, 2 and 5 more')
    """
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" and {len(names) - limit} more"


def _wrong_path(choices: Sequence[Choice]) -> list[TopoFinding]:
    """The route tables send a service out by the other kind of exit than the plan."""
    out = []
    for c in choices:
        if c.actual is None or c.intended is None or c.actual.kind == c.intended.kind:
            continue
        out.append(
            TopoFinding(
                "wrong-path",
                Severity.ERROR,
                f"{c.site}: {c.service} should leave over {c.intended.kind} ({c.intended.name}) "
                f"but the route tables send it to {c.actual.name} ({c.actual.kind})",
                (c.site,),
                (c.service,),
                c.actual.name,
            )
        )
    return out


def _asymmetric(topology: Topology, choices: Sequence[Choice]) -> list[TopoFinding]:
    out = []
    for site in topology.sites:
        if site.nat_pool is None:
            continue
        announcing = [
            c.name for c in topology.circuits if any(a.contains(site.nat_pool) for a in c.advertise)
        ]
        leaving = sorted(
            {
                e.name
                for c in choices
                if c.site == site.name
                and (e := c.actual or c.intended) is not None
                and e.kind == ER
            }
        )
        wrong = [x for x in leaving if x not in announcing]
        if wrong:
            back = ", ".join(announcing) if announcing else "no circuit"
            out.append(
                TopoFinding(
                    "asymmetric-return",
                    Severity.ERROR,
                    f"{site.name}: traffic leaves through {', '.join(wrong)} but its NAT pool "
                    f"{site.nat_pool} is announced through {back}: Microsoft answers on "
                    "another path and stateful firewalls drop the flow",
                    (site.name,),
                    subject=wrong[0],
                )
            )
    return out


# ---------------------------------------------------------------------------------------------
# what if


@dataclass(frozen=True, slots=True)
class Move:
    site: str
    service: str
    before: Exit | None
    after: Exit | None

    @property
    def before_kind(self) -> str | None:
        return self.before.kind if self.before else None

    @property
    def after_kind(self) -> str | None:
        return self.after.kind if self.after else None


def what_if(
    topology: Topology,
    services: Sequence[str],
    carried: dict[str, frozenset[str]],
    intended: dict[tuple[str, str], tuple[Exit | None, float | None]],
    failed: str,
) -> list[Move]:
    """Sites and services whose exit changes when ``failed`` (``circuit:NAME``,
    ``router:NAME`` or ``link:A-B``) is lost."""
    after = intended_choices(topology, services, carried, without=(failed,))
    moves = []
    for key, (before, _) in sorted(intended.items()):
        new = after.get(key, (None, None))[0]
        if before != new:
            moves.append(Move(key[0], key[1], before, new))
    return moves


def check_failure_name(topology: Topology, failed: str) -> str:
    """``circuit:NAME``, ``router:NAME`` or ``link:A-B`` naming something that exists."""
    kind, _, name = failed.partition(":")
    known = {
        "circuit": [c.name for c in topology.circuits],
        "router": [r.name for r in topology.routers],
        "link": [link.name for link in topology.links],
        "breakout": [b.name for b in topology.breakouts],
    }
    if kind not in known:
        raise ValueError(f"{failed!r}: say circuit:NAME, router:NAME, link:A-B or breakout:NAME")
    names = known[kind]
    if kind == "link":
        names += [f"{link.b}-{link.a}" for link in topology.links]
    if name not in names:
        raise LookupError(f"no {kind} {name!r} in the topology")
    return failed
