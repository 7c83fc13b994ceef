"""The topology description (YAML, schema ``routeplan/topology/1``; docs/topology.md): sites,
routers, links with IGP costs, ExpressRoute circuits and Internet breakouts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from routeplan.errors import InputError
from routeplan.model import Prefix, parse_prefix
from routeplan.yamlio import Node, load_document

SCHEMA = "routeplan/topology/1"


@dataclass(frozen=True, slots=True)
class Site:
    name: str
    region: str
    gateway: str
    """The router where the site's users' traffic enters the network."""
    nat_pool: Prefix | None = None


@dataclass(frozen=True, slots=True)
class Router:
    name: str
    site: str
    routes: tuple[Path, ...] = ()


@dataclass(frozen=True, slots=True)
class Link:
    a: str
    b: str
    cost: int

    @property
    def name(self) -> str:
        return f"{self.a}-{self.b}"


@dataclass(frozen=True, slots=True)
class Circuit:
    name: str
    location: str
    region: str
    routers: tuple[str, ...]
    role: str = "primary"
    communities: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    next_hops: tuple[str, ...] = ()
    advertise: tuple[Prefix, ...] = ()


@dataclass(frozen=True, slots=True)
class Breakout:
    name: str
    router: str
    region: str
    next_hops: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Topology:
    source: str
    instance: str
    sites: tuple[Site, ...]
    routers: tuple[Router, ...]
    links: tuple[Link, ...]
    circuits: tuple[Circuit, ...]
    breakouts: tuple[Breakout, ...]
    _index: dict[str, dict[str, Any]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )
    """Sites and routers by name, made on first use (a lookup in a loop stays linear)."""

    def _by_name(self, kind: str) -> dict[str, Any]:
        found = self._index.get(kind)
        if found is None:
            items = self.sites if kind == "site" else self.routers
            found = self._index[kind] = {x.name: x for x in items}
        return found

    def cached(self, key: str) -> Any:
        """Something derived from the topology and kept with it (its graph), or None."""
        return self._index.get(f"cache:{key}")

    def cache(self, key: str, value: Any) -> None:
        self._index[f"cache:{key}"] = value

    def site(self, name: str) -> Site:
        site: Site = self._by_name("site")[name]
        return site

    def router(self, name: str) -> Router:
        router: Router = self._by_name("router")[name]
        return router

    def region_of(self, router: str) -> str:
        return self.site(self.router(router).site).region


def _names(node: Node, key: str) -> tuple[str, ...]:
    item = node.get(key)
    if item is None:
        return ()
    if isinstance(item.value, str):
        return tuple(x.strip() for x in item.value.split(",") if x.strip())
    return tuple(str(x.value) for x in item.as_list())


def _prefixes(node: Node, key: str) -> tuple[Prefix, ...]:
    item = node.get(key)
    if item is None:
        return ()
    out = []
    for x in item.as_list():
        try:
            out.append(parse_prefix(x.as_str(), allow_host=True))
        except InputError as exc:
            raise x.fix(exc) from None
    return tuple(out)


def _unique(items: list[Node], what: str) -> None:
    seen: dict[str, Node] = {}
    for item in items:
        name = item["name"].as_str()
        if name in seen:
            raise item.error(f"{what} {name!r} is defined twice", "name")
        seen[name] = item


def load_topology(path: Path) -> Topology:
    """Read and check a topology file; every error names the file, line and key."""
    doc = load_document(path, what="topology")
    doc.only_keys(("schema", "instance", "sites", "routers", "links", "circuits", "breakouts"))
    schema = doc.get("schema")
    if schema is None or schema.value != SCHEMA:
        raise doc.error(f"expected schema: {SCHEMA}", "schema", hint="start the file with it")
    site_nodes = doc.list_of("sites")
    router_nodes = doc.list_of("routers")
    if not site_nodes:
        raise doc.error("no sites", "sites")
    for item in site_nodes:
        item.only_keys(("name", "region", "gateway", "nat_pool"))
    for item in router_nodes:
        item.only_keys(("name", "site", "routes"))
    _unique(site_nodes, "site")
    _unique(router_nodes, "router")
    routers = [_router(item, path.parent) for item in router_nodes]
    sites = _sites(site_nodes, routers)
    site_names = {s.name for s in sites}
    for r, item in zip(routers, router_nodes, strict=True):
        if r.site not in site_names:
            raise item.error(f"unknown site {r.site!r}", "site", hint="define it under sites:")
    known = _Known({r.name for r in routers})
    links = [_link(item, known) for item in doc.list_of("links")]
    circuit_nodes = doc.list_of("circuits")
    _unique(circuit_nodes, "circuit")
    circuits = [_circuit(item, known, sites, routers) for item in circuit_nodes]
    breakout_nodes = doc.list_of("breakouts")
    _unique(breakout_nodes, "breakout")
    breakouts = []
    for item in breakout_nodes:
        item.only_keys(("name", "router", "region", "next_hops"))
        router = known(item, "router", item["router"].as_str())
        breakouts.append(
            Breakout(
                item["name"].as_str(),
                router,
                item.opt_str("region") or _region(sites, routers, router),
                _names(item, "next_hops"),
            )
        )
    if not circuits and not breakouts:
        raise doc.error("no exits: give circuits: and/or breakouts:")
    return Topology(
        str(path),
        doc.opt_str("instance") or "Worldwide",
        tuple(sites),
        tuple(routers),
        tuple(links),
        tuple(circuits),
        tuple(breakouts),
    )


class _Known:
    """The routers a link, circuit or breakout may name."""

    def __init__(self, names: set[str]) -> None:
        self.names = names

    def __call__(self, item: Node, key: str, name: str) -> str:
        if name not in self.names:
            raise item.error(f"unknown router {name!r}", key, hint="define it under routers:")
        return name


def _router(item: Node, base: Path) -> Router:
    files = []
    for f in _names(item, "routes"):
        try:
            full = (base / f).resolve() if not Path(f).is_absolute() else Path(f)
            found = full.is_file()
        except (OSError, ValueError) as exc:  # a name too long, a NUL byte
            reason = exc.strerror if isinstance(exc, OSError) else str(exc)
            raise item.error(f"route table {f[:80]!r} cannot be read: {reason}", "routes") from None
        if not found:
            raise item.error(f"route table {f!r} not found (relative to {base})", "routes")
        files.append(full)
    return Router(item["name"].as_str(), item["site"].as_str(), tuple(files))


def _sites(site_nodes: Sequence[Node], routers: Sequence[Router]) -> list[Site]:
    by_site: dict[str, list[str]] = {}
    for r in routers:
        by_site.setdefault(r.site, []).append(r.name)
    sites: list[Site] = []
    for item in site_nodes:
        name = item["name"].as_str()
        mine = by_site.get(name, [])
        gateway = item.opt_str("gateway") or (mine[0] if mine else None)
        if gateway is None:
            raise item.error(f"site {name!r} has no router", hint="list its routers under routers:")
        if gateway not in mine:
            raise item.error(f"gateway {gateway!r} is not a router of site {name!r}", "gateway")
        nat = None
        if item.get("nat_pool") is not None:
            try:
                nat = parse_prefix(item["nat_pool"].as_str(), allow_host=True)
            except InputError as exc:
                raise item.fix(exc, "nat_pool") from None
        sites.append(Site(name, item["region"].as_str(), gateway, nat))
    return sites


def _link(item: Node, known: _Known) -> Link:
    item.only_keys(("a", "b", "cost"))
    a = known(item, "a", item["a"].as_str())
    b = known(item, "b", item["b"].as_str())
    cost = item["cost"].as_int() if item.get("cost") is not None else 1
    if cost <= 0:
        raise item.error("cost must be a positive whole number", "cost")
    if a == b:
        raise item.error("a link joins two different routers", "b")
    return Link(a, b, cost)


_CIRCUIT_KEYS = (
    "name",
    "location",
    "region",
    "role",
    "routers",
    "communities",
    "services",
    "next_hops",
    "advertise",
)


def _circuit(item: Node, known: _Known, sites: list[Site], routers: list[Router]) -> Circuit:
    item.only_keys(_CIRCUIT_KEYS)
    terms = tuple(known(item, "routers", n) for n in _names(item, "routers"))
    if not terms:
        raise item.error("a circuit needs the routers that terminate it", "routers")
    role = item.opt_str("role") or "primary"
    if role not in ("primary", "secondary"):
        raise item.error(f"role {role!r}: primary or secondary", "role")
    return Circuit(
        name=item["name"].as_str(),
        location=item.opt_str("location") or "",
        region=item.opt_str("region") or _region(sites, routers, terms[0]),
        routers=terms,
        role=role,
        communities=_names(item, "communities"),
        services=_names(item, "services"),
        next_hops=_names(item, "next_hops"),
        advertise=_prefixes(item, "advertise"),
    )


def _region(sites: list[Site], routers: list[Router], router: str) -> str:
    site = next(r.site for r in routers if r.name == router)
    return next(s.region for s in sites if s.name == site)
