"""Single points of failure in linear time: what each candidate's loss leaves connected.

:class:`Loss` holds what a loss is judged against; :class:`Cuts` finds every cut point of
the network with one depth-first search and answers, per cut point, which sites lose a
service's ExpressRoute exit (docs/topology.md)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from routeplan.topology.model import Topology


@dataclass
class Loss:
    """What every single-point-of-failure candidate is judged against: the graph, who
    carries each service, where the breakouts are, which sites use ExpressRoute for what."""

    g: nx.Graph[str]
    topology: Topology
    services: tuple[str, ...]
    carriers: dict[str, dict[str, set[str]]]
    breakout_routers: set[str]
    on_er: set[tuple[str, str]]
    _whole: dict[str, int] | None = field(default=None, repr=False)

    def components(self, without: str | None = None) -> dict[str, int]:
        """Router -> its connected part, with ``without`` removed; the whole graph's parts
        are worked out once (every circuit's loss leaves the graph as it is)."""
        if without is None and self._whole is not None:
            return self._whole
        graph = nx.restricted_view(self.g, [without], []) if without else self.g
        parts = {n: i for i, nodes in enumerate(nx.connected_components(graph)) for n in nodes}
        if without is None:
            self._whole = parts
        return parts

    def by_pass(self, kind: str, name: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """The sites that lose each service (and of those, the ones left with no exit) when
        one circuit or router fails: one pass over the graph (none for a circuit)."""
        component = self.components(name if kind == "router" else None)
        reach: dict[int, set[str]] = {}
        for s in self.services:
            for r, circuits in self.carriers[s].items():
                if r in component and not (kind == "circuit" and circuits == {name}):
                    reach.setdefault(component[r], set()).add(s)
        with_breakout = {component[r] for r in self.breakout_routers if r in component}
        per_service: dict[str, list[str]] = {}
        dark: dict[str, list[str]] = {}
        for site in self.topology.sites:
            if site.gateway not in component:
                continue  # the failed router is this site's gateway: the site is down with it
            here = component[site.gateway]
            left = reach.get(here, set())
            for s in self.services:
                if (site.name, s) not in self.on_er or s in left:
                    continue
                per_service.setdefault(s, []).append(site.name)
                if here not in with_breakout:
                    dark.setdefault(s, []).append(site.name)
        return per_service, dark


class Cuts:
    """The cut points of the graph and, for each, what the parts it would leave still have.

    One iterative depth-first search gives every router its discovery time, low point and
    subtree (an interval of the visit order). Removing a cut point ``v`` leaves the subtrees
    of its children whose low point does not reach above ``v``, and the rest of ``v``'s
    component; per part, counts (of carriers per service, of breakouts, of sites on
    ExpressRoute per service) come from subtree sums, so a part is walked only when it has
    sites to name.
    """

    def __init__(self, loss: Loss) -> None:
        g, services, carriers = loss.g, loss.services, loss.carriers
        breakout_routers, on_er = loss.breakout_routers, loss.on_er
        self.services = list(services)
        topology = loss.topology
        # per router: carriers per service, sites on ExpressRoute per service, breakouts
        width = len(self.services) * 2 + 1
        self.sites_at: dict[str, list[tuple[str, tuple[bool, ...]]]] = {}
        own: dict[str, list[int]] = {}
        for node in g:
            own[node] = [0] * width
        for i, s in enumerate(self.services):
            for r in carriers[s]:
                if r in own:
                    own[r][i] += 1
        for r in breakout_routers:
            if r in own:
                own[r][-1] += 1
        n = len(self.services)
        for site in topology.sites:
            if site.gateway not in own:
                continue
            flags = tuple((site.name, s) in on_er for s in self.services)
            self.sites_at.setdefault(site.gateway, []).append((site.name, flags))
            for i, f in enumerate(flags):
                own[site.gateway][n + i] += f
        self.own = own
        self.tin: dict[str, int] = {}
        self.tout: dict[str, int] = {}
        self.order: list[str] = []
        self.sub: dict[str, list[int]] = {}
        self.root_of: dict[str, str] = {}
        self.split: dict[str, list[str]] = {}  # cut point -> the children it cuts off
        self.points: set[str] = set()
        self._search(loss.g)

    def _search(self, g: nx.Graph[str]) -> None:
        low: dict[str, int] = {}
        for root in g:
            if root in self.tin:
                continue
            self._visit(root)
            low[root] = self.tin[root]
            stack = [(root, iter(g[root]), "")]
            while stack:
                node, neighbours, parent = stack[-1]
                advanced = False
                for nxt in neighbours:
                    if nxt == parent:
                        continue
                    if nxt in self.tin:
                        low[node] = min(low[node], self.tin[nxt])
                        continue
                    self._visit(nxt)
                    self.root_of[nxt] = root
                    low[nxt] = self.tin[nxt]
                    stack.append((nxt, iter(g[nxt]), node))
                    advanced = True
                    break
                if advanced:
                    continue
                stack.pop()
                self.tout[node] = len(self.order) - 1
                if parent:
                    low[parent] = min(low[parent], low[node])
                    sums = self.sub[parent]
                    for i, x in enumerate(self.sub[node]):
                        sums[i] += x
                    if low[node] >= self.tin[parent]:
                        self.split.setdefault(parent, []).append(node)
            self.root_of[root] = root
            kids = self.split.get(root, [])
            if len(kids) < 2:  # the root cuts only when it has two subtrees or more
                self.split.pop(root, None)
        self.points = set(self.split)

    def _visit(self, node: str) -> None:
        self.tin[node] = len(self.order)
        self.order.append(node)
        self.sub[node] = list(self.own[node])

    def lost(self, cut: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """What :func:`_lost_by_pass` gives for the loss of the cut point ``cut``."""
        n = len(self.services)
        root = self.root_of[cut]
        kids = self.split[cut]
        parts: list[tuple[list[int], list[tuple[int, int]], bool]] = []
        rest = list(self.sub[root])
        for i, x in enumerate(self.own[cut]):
            rest[i] -= x
        for kid in kids:
            counts = self.sub[kid]
            parts.append((counts, [(self.tin[kid], self.tout[kid])], False))
            for i, x in enumerate(counts):
                rest[i] -= x
        if cut != root:  # the rest of the component, outside the cut-off subtrees
            parts.append((rest, [(self.tin[k], self.tout[k]) for k in kids], True))
        per_service: dict[str, list[str]] = {}
        dark: dict[str, list[str]] = {}
        for counts, spans, outside in parts:
            missing = [
                i for i in range(n) if counts[i] == 0 and counts[n + i] > 0
            ]  # no carrier left, and sites that were on ExpressRoute for it
            if not missing:
                continue
            no_exit = counts[-1] == 0
            for node in self._nodes(root, cut, spans, outside):
                for site, flags in self.sites_at.get(node, ()):
                    for i in missing:
                        if flags[i]:
                            s = self.services[i]
                            per_service.setdefault(s, []).append(site)
                            if no_exit:
                                dark.setdefault(s, []).append(site)
        return per_service, dark

    def _nodes(
        self, root: str, cut: str, spans: list[tuple[int, int]], outside: bool
    ) -> Iterable[str]:
        if not outside:
            ((lo, hi),) = spans
            return self.order[lo : hi + 1]
        lo, hi = self.tin[root], self.tout[root]
        skip = sorted(spans)
        out: list[str] = []
        at = lo
        for a, b in skip:
            out.extend(self.order[at:a])
            at = b + 1
        out.extend(self.order[at : hi + 1])
        return [x for x in out if x != cut]
