"""The topology model from NetBox's objects (docs/netbox.md, "Topology from NetBox"): sites and
their regions, devices, the cables between them, ExpressRoute circuits and Internet breakouts as
Circuits of their types. Like :mod:`routeplan.netbox` it imports no Django: it reads the
attributes NetBox's objects have, so it is tested with stand-ins and runs inside NetBox.

The mapping, each name an option of :class:`TopologyConventions`:

- a **router** is a Device given to :func:`topology_from_netbox`; its site is its Site, the
  site's region is the Site's Region (its slug);
- a site's **gateway** is its device tagged ``m365-gateway``, else its first device by name;
- a site's **NAT pool** is an active Prefix tagged ``m365-site-nat`` whose scope is the site;
- a **link** is a Cable between interfaces of two of the routers; its IGP cost is the cable's
  ``igp_cost`` custom field (1 when empty);
- an **ExpressRoute circuit** is a Circuit of type ``expressroute``: its name is the circuit ID,
  its location the description, its routers the devices cabled to its terminations, its role
  ``secondary`` when tagged ``m365-secondary``, and the custom fields ``er_communities``,
  ``next_hops`` and ``er_advertise`` (comma-separated) give the route filter, the next hops its
  routes carry and the NAT pools announced over it;
- an **Internet breakout** is a Circuit of type ``internet`` terminated on one of the routers;
  ``next_hops`` as above.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from routeplan.errors import InputError
from routeplan.model import Prefix, parse_prefix
from routeplan.netbox.objects import custom_field, slug_of, status_of, tags_of
from routeplan.topology.model import Breakout, Circuit, Link, Router, Site, Topology


@dataclass(frozen=True, slots=True)
class TopologyConventions:
    """The names NetBox objects carry for routeplan's topology (tags by slug or name)."""

    gateway_tag: str = "m365-gateway"
    site_nat_tag: str = "m365-site-nat"
    expressroute_type: str = "expressroute"
    internet_type: str = "internet"
    secondary_tag: str = "m365-secondary"
    cost_field: str = "igp_cost"
    communities_field: str = "er_communities"
    next_hops_field: str = "next_hops"
    advertise_field: str = "er_advertise"


def _words(obj: Any, field: str) -> tuple[str, ...]:
    """A comma- or space-separated custom field as words.

    >>> class C: custom_field_data = {"next_hops": "203.0.113.2, 203.0.113.3"}
    >>> _words(C(), "next_hops")
    ('203.0.113.2', '203.0.113.3')
    """
    value = custom_field(obj, field)
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(w for w in str(value).replace(",", " ").split() if w)


def _kind(circuit: Any) -> str | None:
    return slug_of(getattr(circuit, "type", None))


def _name(obj: Any, what: str) -> str:
    name = getattr(obj, "name", None)
    if not name:
        raise InputError(f"{what} #{getattr(obj, 'pk', '?')} has no name", hint="name it in NetBox")
    return str(name)


def _peer_devices(circuit: Any, routers: set[str]) -> list[str]:
    """The routers cabled to a circuit's terminations, in A-then-Z order."""
    out: list[str] = []
    for side in ("termination_a", "termination_z"):
        term = getattr(circuit, side, None)
        for peer in getattr(term, "link_peers", None) or ():
            device = getattr(peer, "device", None)
            name = getattr(device, "name", None)
            if name in routers and name not in out:
                out.append(str(name))
    return out


def _prefixes(obj: Any, field: str, where: str) -> tuple[Prefix, ...]:
    out = []
    for word in _words(obj, field):
        try:
            out.append(parse_prefix(word, allow_host=True))
        except InputError as exc:
            raise InputError(f"{where}, custom field {field}: {exc.reason}") from None
    return tuple(out)


def _site_nat(
    prefixes: Iterable[Any], sites: set[str], c: TopologyConventions
) -> dict[str, Prefix]:
    """Each site's NAT pool: its one active prefix tagged ``site_nat_tag``."""
    nat: dict[str, Prefix] = {}
    for p in prefixes:
        scope = getattr(p, "scope", None) or getattr(p, "site", None)
        if (
            c.site_nat_tag not in tags_of(p)
            or scope is None
            or status_of(p) not in ("active", None)
        ):
            continue
        name = str(getattr(scope, "name", None))
        if name not in sites:
            continue
        if name in nat:
            raise InputError(
                f"site {name} has two prefixes tagged {c.site_nat_tag}: {nat[name]} and {p.prefix}",
                hint="tag one NAT pool per site",
            )
        nat[name] = parse_prefix(str(p.prefix), allow_host=True)
    return nat


def _sites(
    devs: list[tuple[str, Any]], site_objs: dict[str, Any], nat: dict[str, Prefix],
    c: TopologyConventions,
) -> list[Site]:  # fmt: skip
    sites = []
    for site_name, site in sorted(site_objs.items()):
        region = slug_of(getattr(site, "region", None))
        if region is None:
            raise InputError(f"site {site_name} has no region", hint="assign it to a region")
        mine = [(n, d) for n, d in devs if getattr(d.site, "name", None) == site_name]
        tagged = [n for n, d in mine if c.gateway_tag in tags_of(d)]
        if len(tagged) > 1:
            raise InputError(
                f"site {site_name} has {len(tagged)} devices tagged {c.gateway_tag}: "
                + ", ".join(tagged),
                hint="tag one gateway per site",
            )
        gateway = tagged[0] if tagged else mine[0][0]
        sites.append(Site(site_name, region, gateway, nat.get(site_name)))
    return sites


def _links(cables: Iterable[Any], names: set[str], c: TopologyConventions) -> list[Link]:
    """Cables between interfaces of two routers, with their IGP cost."""
    links = []
    for cable in cables:
        ends = []
        for side in ("a_terminations", "b_terminations"):
            found = {
                str(getattr(getattr(t, "device", None), "name", None))
                for t in getattr(cable, side, None) or ()
            }
            ends.append(sorted(found & names))
        if len(ends[0]) != 1 or len(ends[1]) != 1 or ends[0] == ends[1]:
            continue  # not between two of the routers (a circuit, a patch panel, a server)
        cost = custom_field(cable, c.cost_field)
        where = f"cable {getattr(cable, 'label', None) or getattr(cable, 'pk', '?')}"
        if cost in (None, ""):
            cost = 1
        try:
            cost = int(cost)
        except (TypeError, ValueError):
            raise InputError(f"{where}: {c.cost_field} {cost!r} is not a whole number") from None
        if cost <= 0:
            raise InputError(f"{where}: {c.cost_field} must be a positive whole number")
        links.append(Link(ends[0][0], ends[1][0], cost))
    return sorted(links, key=lambda x: (x.a, x.b))


def _exits(
    circuits: Iterable[Any], names: set[str], region_of_router: dict[str, str],
    c: TopologyConventions,
) -> tuple[list[Circuit], list[Breakout]]:  # fmt: skip
    ers, breakouts = [], []
    for circuit in sorted(circuits, key=lambda x: str(getattr(x, "cid", ""))):
        kind = _kind(circuit)
        if kind not in (c.expressroute_type, c.internet_type):
            continue
        cid = str(getattr(circuit, "cid", None) or f"circuit #{getattr(circuit, 'pk', '?')}")
        terms = _peer_devices(circuit, names)
        if not terms:
            continue  # terminated on none of the selected routers
        region = region_of_router[terms[0]]
        hops = _words(circuit, c.next_hops_field)
        if kind == c.internet_type:
            breakouts.append(Breakout(cid, terms[0], region, hops))
            continue
        ers.append(
            Circuit(
                name=cid,
                location=str(getattr(circuit, "description", "") or ""),
                region=region,
                routers=tuple(terms),
                role="secondary" if c.secondary_tag in tags_of(circuit) else "primary",
                communities=_words(circuit, c.communities_field),
                next_hops=hops,
                advertise=_prefixes(circuit, c.advertise_field, f"circuit {cid}"),
            )
        )
    return ers, breakouts


def topology_from_netbox(
    devices: Iterable[Any],
    *,
    cables: Iterable[Any] = (),
    circuits: Iterable[Any] = (),
    prefixes: Iterable[Any] = (),
    instance: str = "Worldwide",
    conventions: TopologyConventions | None = None,
    source: str = "NetBox",
) -> Topology:
    """The topology of ``devices`` (their sites, the cables between them, the circuits they
    terminate); errors name the NetBox object to fix."""
    c = conventions or TopologyConventions()
    by_name: dict[str, Any] = {}
    for d in devices:
        name = _name(d, "device")
        other = by_name.setdefault(name, d)
        if other is not d and getattr(other, "pk", None) != getattr(d, "pk", other):
            where = [getattr(getattr(x, "site", None), "name", "?") for x in (other, d)]
            raise InputError(
                f"two devices are named {name} (sites {where[0]} and {where[1]}): the topology "
                "names routers by their name",
                hint="give them distinct names, or select one of them (a site, a tag)",
            )
    devs = sorted(by_name.items())
    if not devs:
        raise InputError("no devices for the topology", hint="select the routers (a tag, a site)")
    names = {n for n, _ in devs}
    site_objs: dict[str, Any] = {}
    routers = []
    for name, d in devs:
        site = getattr(d, "site", None)
        if site is None:
            raise InputError(f"device {name} has no site", hint="assign it to a site in NetBox")
        site_name = _name(site, "site")
        site_objs.setdefault(site_name, site)
        routers.append(Router(name, site_name))
    sites = _sites(devs, site_objs, _site_nat(prefixes, set(site_objs), c), c)
    region_of = {s.name: s.region for s in sites}
    ers, breakouts = _exits(circuits, names, {r.name: region_of[r.site] for r in routers}, c)
    if not ers and not breakouts:
        raise InputError(
            f"no exits: no circuit of type {c.expressroute_type} or {c.internet_type} is cabled "
            "to the selected devices",
            hint="cable the circuits' terminations to the edge routers' interfaces",
        )
    return Topology(
        source,
        instance,
        tuple(sites),
        tuple(routers),
        tuple(_links(cables, names, c)),
        tuple(ers),
        tuple(breakouts),
    )
