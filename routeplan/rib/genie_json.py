"""Cisco pyATS/Genie parsed output as JSON: ``genie parse "show ip bgp" --output DIR`` (and the
other BGP table parsers: ``show bgp all``, ``show ip bgp vpnv4 ...``), ``genie parse "show ip
route"``, and ``genie learn routing`` (the routing model, alone or under ``info``).

Both models are ``vrf`` -> ``address_family`` -> ``routes`` -> prefix:

- a BGP table: each path under ``index`` with ``status_codes`` (``*>i``), ``next_hop``,
  ``path``, ``metric``, ``localpref``, ``origin_codes``;
- a routing table: ``source_protocol``, ``active``, ``metric``, and ``next_hop`` with a
  ``next_hop_list`` (one route per next hop) or only ``outgoing_interface`` (routes to an
  interface, no next hop).

Address families that are not IP unicast (``l2vpn evpn``, ``vpls``, ...) are passed over and
named. A path whose fields are not Genie's schema is refused with its prefix.
"""

from __future__ import annotations

import functools
from typing import Any

from routeplan.model import Prefix
from routeplan.rib.base import (
    ParseContext,
    RibFormat,
    json_head,
    json_int,
    make_route,
)
from routeplan.rib.jsonstream import Item, Table, scan_value, table, walk

_UNICAST = ("", "ipv4", "ipv6", "ipv4 unicast", "ipv6 unicast")
_PROTOCOLS = {"connected": "connected", "local": "local", "static": "static", "bgp": "bgp"}


def detect(head: str) -> bool:
    return json_head(head, '"vrf"', '"address_family"') and (
        '"index"' in head or '"source_protocol"' in head or '"routes"' in head
    )


def unicast(family: str) -> bool:
    """Whether a Genie address family is IP unicast (VPN families count: their VRF routes).

    >>> unicast(""), unicast("ipv4 unicast"), unicast("vpnv4 RD 65109:10000"), unicast("l2vpn evpn")
    (True, True, True, False)
    """
    name = family.lower()
    return name in _UNICAST or name.startswith(("vpnv4", "vpnv6", "ipv4 unicast", "ipv6 unicast"))


def vrf_of(vrf: str, family: str) -> str | None:
    """The VRF routes are in: None for the default one; a route distinguisher's routes as
    ``rd X``, as the text readers name them.

    >>> vrf_of("default", "ipv4 unicast"), vrf_of("CUST", ""), vrf_of("default", "vpnv4 RD 1:2")
    (None, 'CUST', 'rd 1:2')
    """
    _, rd, value = family.partition(" RD ")
    if rd and vrf in ("default", "global"):
        return f"rd {value.strip()}"
    return None if vrf in ("default", "global") else vrf


ROUTES = (("vrf", "*", "address_family", "*", "routes"),)
"""Where the routes are: ``vrf`` -> name -> ``address_family`` -> family -> ``routes``, in the
document or under ``info`` (``genie learn``)."""


def parse(ctx: ParseContext) -> None:
    """Each document's routes, streamed (:mod:`routeplan.rib.jsonstream`): a route whose
    network cannot matter is counted (its paths, or its next hops and interfaces) without
    being read."""
    routes = table(
        ctx,
        functools.partial(_route, ctx),
        kind="{",
        count="index",
        routes=_held,
        only=lambda where, _: _family(where) is not None,
    )
    streams: dict[tuple[str, ...], Table] = dict.fromkeys(ROUTES, routes)
    streams.update({("info", *r): routes for r in ROUTES})
    walk(ctx, streams, several=True, each=functools.partial(_sections, ctx))


@functools.lru_cache(maxsize=256)
def _family(where: tuple[str | int, ...]) -> tuple[str, str | None] | None:
    """The address family and VRF of the routes at ``where``; None for a family that is not
    IP unicast."""
    vrf, family = str(where[-4]), str(where[-2])
    return (family, vrf_of(vrf, family)) if unicast(family) else None


def _sections(ctx: ParseContext, doc: Any, line: int) -> None:
    """Name the address families passed over (not IP unicast), in the document's order."""
    model = doc.get("info", doc) if isinstance(doc, dict) else None
    vrfs = model.get("vrf") if isinstance(model, dict) else None
    for vrf in vrfs.values() if isinstance(vrfs, dict) else ():
        families = vrf.get("address_family") if isinstance(vrf, dict) else None
        for family in families if isinstance(families, dict) else ():
            if not unicast(str(family)) and str(family) not in ctx.sections_skipped:
                ctx.sections_skipped.append(str(family))


def _held(text: str, where: tuple[str | int, ...]) -> int | None:
    """How many routes the reader would make of a route's text that is not a BGP path's
    (those the stream counts, ``index``): its next hops and interfaces; None when it is not
    Genie's model."""
    try:
        entry = scan_value(text)
    except ValueError:
        return None
    if not isinstance(entry, dict):
        return None
    index = entry.get("index")
    if isinstance(index, dict):
        return len(index) if all(isinstance(v, dict) for v in index.values()) else None
    hops = entry.get("next_hop", {})
    if not isinstance(entry.get("source_protocol"), str) or not isinstance(hops, dict):
        return None
    listed = hops.get("next_hop_list") or {}
    interfaces = hops.get("outgoing_interface") or {}
    if not isinstance(listed, dict) or not isinstance(interfaces, dict):
        return None
    return (len(listed) + len(interfaces)) or None


def _route(ctx: ParseContext, item: Item) -> None:
    _, vrf = _family(item.where) or ("", None)  # (only IP unicast families are read)
    network, entry, line = str(item.key), item.checked(), item.line
    if not isinstance(entry, dict):
        ctx.bad(line, network, "a route that is not a JSON object")
        return
    prefix = ctx.prefix(network, line, network)
    if prefix is None:
        return
    if isinstance(entry.get("index"), dict):
        _bgp(ctx, prefix, network, entry["index"], vrf, line)
    elif isinstance(entry.get("next_hop"), dict) or "source_protocol" in entry:
        _routing(ctx, prefix, network, entry, vrf, line)
    else:
        ctx.bad(line, network, "neither BGP paths (index) nor a route's next hops")


def _bgp(
    ctx: ParseContext, prefix: Prefix, network: str, index: dict[str, Any], vrf: str | None,
    line: int,
) -> None:  # fmt: skip
    routes = []
    for key in sorted(index, key=lambda k: json_int(k) or 0):
        path = index[key]
        status = path.get("status_codes") if isinstance(path, dict) else None
        hop = path.get("next_hop") if isinstance(path, dict) else None
        if not isinstance(status, str) or not isinstance(hop, str):
            ctx.bad(line, network, "a BGP path without status codes or a next hop")
            return
        numbers = {k: json_int(path.get(k)) for k in ("metric", "localpref")}
        if any(path.get(k) is not None and numbers[k] is None for k in numbers):
            ctx.bad(line, network, "a BGP path whose metric or localpref is not a number")
            return
        raw = path.get("path", "")
        as_path = ctx.as_path(raw if isinstance(raw, str) else "?bad", line, network)
        if as_path is None:
            return
        routes.append(
            make_route(
                ctx,
                prefix,
                line,
                next_hop=hop,
                as_path=as_path,
                local_pref=numbers["localpref"],
                metric=numbers["metric"],
                best=">" in status,
                valid="*" in status,
                vrf=vrf,
            )
        )
    for route in routes:
        ctx.add(route)


def _routing(
    ctx: ParseContext, prefix: Prefix, network: str, entry: dict[str, Any], vrf: str | None,
    line: int,
) -> None:  # fmt: skip
    source = entry.get("source_protocol")
    hops = entry.get("next_hop", {})
    if not isinstance(source, str) or not isinstance(hops, dict):
        ctx.bad(line, network, "a route without its source protocol")
        return
    metric = json_int(entry.get("metric"))
    pairs: list[tuple[str | None, str | None]] = []
    listed = hops.get("next_hop_list") or {}
    interfaces = hops.get("outgoing_interface") or {}
    if not isinstance(listed, dict) or not isinstance(interfaces, dict):
        ctx.bad(line, network, "next hops that are not Genie's next_hop_list")
        return
    for key in sorted(listed, key=lambda k: json_int(k) or 0):
        hop = listed[key]
        address = hop.get("next_hop") if isinstance(hop, dict) else None
        if not isinstance(address, str):
            ctx.bad(line, network, "a next_hop_list entry without a next hop address")
            return
        iface = hop.get("outgoing_interface")
        pairs.append((address, iface if isinstance(iface, str) else None))
    pairs += [(None, str(name)) for name in interfaces]
    if not pairs:
        ctx.bad(line, network, "a route with neither a next hop nor an interface")
        return
    protocol = _PROTOCOLS.get(source.lower(), source.lower())
    for address, iface in pairs:
        ctx.add(
            make_route(
                ctx,
                prefix,
                line,
                next_hop=address,
                metric=metric,
                protocol=protocol,
                best=entry.get("active") is not False,
                vrf=vrf,
                interface=iface,
            )
        )


FORMAT = RibFormat(
    name="genie-json",
    title="Cisco Genie parsed output (JSON)",
    commands=(
        'genie parse "show ip bgp" --output DIR (the _parsed.txt JSON)',
        'genie parse "show bgp all" / "show ip bgp vpnv4 ..." (the same BGP table model)',
        'genie parse "show ip route" --output DIR',
        "genie learn routing --output DIR (the routing model, under info)",
    ),
    detect=detect,
    parse=parse,
    notes="BGP paths from index (status codes, next hop, path); routing routes one per next hop",
    refuses=(
        "address families that are not IP unicast (l2vpn evpn, vpls): passed over and named",
        "a path or route whose fields are not Genie's schema: refused with its prefix",
    ),
)
