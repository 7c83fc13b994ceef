"""Which path a route takes: ExpressRoute, the Internet, or internal, and why.

Defaults that need no configuration:

1. a route whose AS path holds an ExpressRoute AS (12076, as a whole AS number) is ExpressRoute,
   and its next hop becomes an *ExpressRoute next hop*;
2. a route towards an ExpressRoute next hop (a static or redistributed route, say) is
   ExpressRoute too;
3. other routes with an external AS path, and the default route, are Internet;
4. connected and local routes, and routes with neither an AS path nor a default prefix, are
   internal.

A policy file (``--policy``, schema ``routeplan/policy/1``) names ExpressRoute and Internet
next hops, neighbours, interfaces, communities and AS numbers explicitly; what it names is
decided first. See docs/policy.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from routeplan.errors import InputError
from routeplan.model import PathKind, Prefix
from routeplan.rib.base import Interest, Route, asn
from routeplan.yamlio import Node, load_document

SCHEMA = "routeplan/policy/1"
EXPRESSROUTE_ASN = 12076


PathClass = PathKind
"""The class of a route: :class:`~routeplan.model.PathKind` (the name readers of the policy
know)."""


@dataclass(frozen=True, slots=True)
class PathRules:
    """What marks a route as going one way."""

    next_hops: frozenset[str] = frozenset()
    neighbors: frozenset[str] = frozenset()
    interfaces: frozenset[str] = frozenset()
    communities: frozenset[str] = frozenset()
    asns: frozenset[int] = frozenset()

    def named(self, route: Route) -> str | None:
        """Which named next hop, neighbour, interface or community ``route`` has (or None)."""
        if route.next_hop and route.next_hop.lower() in self.next_hops:
            return f"next hop {route.next_hop}"
        if route.peer and route.peer.lower() in self.neighbors:
            return f"neighbour {route.peer}"
        if route.interface and route.interface.lower() in self.interfaces:
            return f"interface {route.interface}"
        for community in route.communities:
            if community in self.communities:
                return f"community {community}"
        return None

    def asn_in(self, route: Route) -> int | None:
        """The first of these AS numbers in the route's AS path (or None)."""
        return next((a for a in route.as_path if a in self.asns), None)

    def match(self, route: Route) -> bool:
        return self.named(route) is not None or self.asn_in(route) is not None

    def markers(self) -> tuple[str, ...]:
        """Text that marks a line as possibly matching (for the readers' cheap prefilter)."""
        return tuple(
            sorted(
                {str(a) for a in self.asns}
                | set(self.next_hops)
                | set(self.neighbors)
                | set(self.interfaces)
                | set(self.communities)
            )
        )


@dataclass(frozen=True, slots=True)
class Policy:
    """How routes are classified; :meth:`default` needs no file."""

    expressroute: PathRules = field(
        default_factory=lambda: PathRules(asns=frozenset({EXPRESSROUTE_ASN}))
    )
    internet: PathRules = field(default_factory=PathRules)
    listed: PathClass = PathClass.EXPRESSROUTE
    """The path of a prefix in a plain list without a path column."""
    source: str | None = None

    @classmethod
    def default(cls) -> Policy:
        return cls()

    @classmethod
    def from_option(cls, path: Path | None) -> Policy:
        """The policy of a ``--policy FILE`` option: the file's, else the defaults."""
        return cls.load(path) if path is not None else cls.default()

    @classmethod
    def load(cls, path: Path) -> Policy:
        """Read a policy file; errors name the file, the line and the key."""
        node = load_document(path, what="policy file")
        node.only_keys(("schema", "expressroute", "internet", "listed"))
        schema = node.get("schema")
        if schema is None or schema.as_str() != SCHEMA:
            raise node.error(
                f'expected "schema: {SCHEMA}" at the top of the policy file',
            )
        er_node = node.get("expressroute")
        inet_node = node.get("internet")
        expressroute = _rules(er_node, default_asns={EXPRESSROUTE_ASN})
        internet = _rules(inet_node, default_asns=set())
        listed = PathClass.EXPRESSROUTE
        listed_node = node.get("listed")
        if listed_node is not None:
            text = listed_node.as_str().strip().lower()
            try:
                listed = PathClass(text)
            except ValueError:
                raise listed_node.error(
                    f"listed must be expressroute, internet or internal, not {text!r}"
                ) from None
        both = expressroute.next_hops & internet.next_hops
        if both:
            raise InputError(
                "next hops named both ExpressRoute and Internet: " + ", ".join(sorted(both)),
                source=str(path),
            )
        return cls(expressroute, internet, listed, str(path))

    def markers(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.expressroute.markers()) | set(self.internet.markers())))

    def interest(self, prefixes: Iterable[Prefix]) -> Interest:
        """What a route-table reader must keep to decide the paths of these prefixes: the
        routes that overlap them, default routes, routes through an ExpressRoute AS, and the
        routes this policy names (by next hop, neighbour, interface or community)."""

        def named(route: Route) -> bool:
            return self.expressroute.match(route) or self.internet.match(route)

        return Interest(
            prefixes, markers=self.markers(), asns=self.expressroute.asns, keep_route=named
        )


def _rules(node: Node | None, *, default_asns: set[int]) -> PathRules:
    if node is None:
        return PathRules(asns=frozenset(default_asns))
    node.only_keys(("next_hops", "neighbors", "interfaces", "communities", "asns"))

    def texts(key: str) -> frozenset[str]:
        child = node.get(key)
        if child is None:
            return frozenset()
        return frozenset(item.as_str().strip().lower() for item in child.as_list())

    asns = set(default_asns)
    child = node.get("asns")
    if child is not None:
        asns = set()
        for item in child.as_list():
            value = asn(str(item.value).strip())
            if value is None:
                raise item.error(f"not an AS number: {item.value!r}")
            asns.add(value)
    return PathRules(
        next_hops=texts("next_hops"),
        neighbors=texts("neighbors"),
        interfaces=texts("interfaces"),
        communities=texts("communities"),
        asns=frozenset(asns),
    )


_STATED = {
    "stated-expressroute": PathClass.EXPRESSROUTE,
    "stated-internet": PathClass.INTERNET,
    "stated-internal": PathClass.INTERNAL,
}
_INTERNAL_PROTOCOLS = frozenset({"connected", "local", "direct"})


class Classifier:
    """Classifies routes under a policy, knowing every input's ExpressRoute next hops."""

    def __init__(self, policy: Policy, routes: Iterable[Route]) -> None:
        self.policy = policy
        learned: dict[str, Route] = {}
        for route in routes:
            if route.next_hop and policy.expressroute.asns.intersection(route.as_path):
                learned.setdefault(route.next_hop.lower(), route)
        self.learned = learned
        """ExpressRoute next hops learned from routes with an ExpressRoute AS, with the first
        such route (its file and line explain the classification)."""

    def classify(self, route: Route) -> tuple[PathClass, str]:
        """The path class of a route and the reason, in words."""
        policy = self.policy
        stated = _STATED.get(route.protocol)
        if stated is not None:
            return stated, "stated in the route list"
        where = f" in {policy.source}" if policy.source else ""
        named = policy.expressroute.named(route)
        if named is not None:
            return PathClass.EXPRESSROUTE, f"{named} is named ExpressRoute in the policy{where}"
        named = policy.internet.named(route)
        if named is not None:
            return PathClass.INTERNET, f"{named} is named Internet in the policy{where}"
        if route.protocol in _INTERNAL_PROTOCOLS:
            return PathClass.INTERNAL, f"{route.protocol} route"
        number = policy.expressroute.asn_in(route)
        if number is not None:
            return PathClass.EXPRESSROUTE, f"AS {number} is in its AS path"
        number = policy.internet.asn_in(route)
        if number is not None:
            return PathClass.INTERNET, f"AS {number} is in its AS path, named Internet{where}"
        hop = route.next_hop.lower() if route.next_hop else None
        if hop is not None and hop in self.learned:
            origin = self.learned[hop]
            return (
                PathClass.EXPRESSROUTE,
                f"next hop {route.next_hop} carries ExpressRoute routes (e.g. {origin.prefix} at "
                f"{origin.where})",
            )
        if route.as_path:
            path = " ".join(str(a) for a in route.as_path[:6])
            more = " ..." if len(route.as_path) > 6 else ""
            return PathClass.INTERNET, f"external AS path {path}{more}"
        if route.prefix.length == 0:
            return PathClass.INTERNET, "default route"
        if route.protocol == "listed":
            return policy.listed, f"listed without a path column (read as {policy.listed.value})"
        return PathClass.INTERNAL, f"{route.protocol} route with no AS path"
