"""NAPALM's ``get_route_to`` result as JSON (``napalm --user U HOST call get_route_to``, a
Nornir ``napalm_get`` with ``getters=["get_route_to"]``, or ``json.dump`` of the dict): NAPALM's
own model, the same for every driver (EOS, IOS, IOS-XR, Junos, NX-OS).

``{"52.96.0.0/14": [{"protocol": "eBGP", "current_active": true, "next_hop": "192.0.2.1",
"routing_table": "default", "protocol_attributes": {"as_path": "12076", "local_preference":
100, "metric": 0, "communities": ["12076:5010"], "remote_address": "192.0.2.1"}, ...}]}``: one
entry per next hop. ``current_active`` marks the route in use; ``routing_table`` names the VRF
(``default``, ``global``, ``main``, ``inet.0`` and ``inet6.0`` are the default one).
"""

from __future__ import annotations

import functools
from typing import Any

from routeplan.model import Prefix
from routeplan.rib.base import (
    LineFinder,
    ParseContext,
    RibFormat,
    Route,
    json_destinations,
    json_head,
    json_int,
    make_route,
)
from routeplan.rib.jsonstream import Item, table, walk

_DEFAULT_TABLES = ("default", "global", "main", "inet.0", "inet6.0", "")
_PROTOCOLS = {
    "ebgp": "bgp",
    "ibgp": "bgp",
    "bgp": "bgp",
    "connected": "connected",
    "connect": "connected",
    "direct": "connected",
    "static": "static",
    "local": "local",
    "ospf": "ospf",
    "isis": "isis",
    "aggregate": "aggregate",
}


def detect(head: str) -> bool:
    return json_head(head, '"protocol_attributes"') and (
        '"current_active"' in head or '"selected_next_hop"' in head
    )


def vrf_of(table: object) -> str | None:
    """The VRF a NAPALM ``routing_table`` names (None: the default table).

    >>> vrf_of("default"), vrf_of("inet.0"), vrf_of("CUST.inet.0"), vrf_of("TEST")
    (None, None, 'CUST', 'TEST')
    """
    if not isinstance(table, str) or table in _DEFAULT_TABLES:
        return None
    for suffix in (".inet.0", ".inet6.0"):
        if table.endswith(suffix):
            return table[: -len(suffix)]
    return table


def parse(ctx: ParseContext) -> None:
    """Each document is streamed a destination at a time; a Nornir result's
    ``get_route_to`` is read whole."""
    head = _head(ctx)
    if '"protocol_attributes"' not in head:
        from routeplan.rib.read import not_a_route_table  # noqa: PLC0415  (read imports this)

        not_a_route_table(head[:4096], ctx.source)  # another getter's result: say which
    destinations = table(ctx, functools.partial(_streamed, ctx), kind="{")
    walk(ctx, {(): destinations}, several=True)


def _head(ctx: ParseContext) -> str:
    """The start of the file (64 KiB), as text."""
    if ctx.has_text():
        return ctx.text()[:HEAD]
    with ctx.path.open("rb") as handle:
        return handle.read(HEAD).decode(ctx.encoding, errors="replace")


HEAD = 64 << 10


def _streamed(ctx: ParseContext, item: Item) -> None:
    if item.key == "get_route_to":  # Nornir's napalm_get result, one getter: read whole
        inner = item.checked()
        if isinstance(inner, dict):
            finder = LineFinder(item.text)
            for name, found, at, entries in json_destinations(ctx, inner, finder, "entries"):
                _destination(ctx, found, name, entries, item.line + at - 1)
        return
    network = str(item.key)
    line = item.line
    prefix = ctx.prefix(network, line, network)
    if prefix is None:
        return
    entries = item.checked()
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        ctx.bad(line, network, "its entries are not a list of JSON objects")
        return
    _destination(ctx, prefix, network, entries, line)


def _destination(
    ctx: ParseContext, prefix: Prefix, network: str, entries: list[dict[str, Any]], line: int
) -> None:
    routes = [_route(ctx, prefix, network, e, line) for e in entries]
    kept = [r for r in routes if r is not None]
    if len(kept) == len(routes):  # one entry refused refuses the destination
        for r in kept:
            ctx.add(r)


def _route(
    ctx: ParseContext, prefix: Prefix, network: str, e: dict[str, Any], line: int
) -> Route | None:
    """One entry as a route, or None (after ``ctx.bad``) when a field is not what NAPALM's
    model says: the whole destination is then refused."""
    attrs = e.get("protocol_attributes") or {}
    protocol = e.get("protocol")
    if not isinstance(attrs, dict) or not isinstance(protocol, str):
        ctx.bad(line, network, "an entry without a protocol or with protocol_attributes that"
                               " are not an object")  # fmt: skip
        return None
    hop = e.get("next_hop")
    if hop is not None and not isinstance(hop, str):
        ctx.bad(line, network, "a next_hop that is not text")
        return None
    raw_path = attrs.get("as_path", "")
    communities = attrs.get("communities") or []
    if not isinstance(raw_path, str) or not (
        isinstance(communities, list) and all(isinstance(c, str) for c in communities)
    ):
        ctx.bad(line, network, "an as_path that is not text or communities that are not a list"
                               " of text")  # fmt: skip
        return None
    numbers = {}
    for key in ("local_preference", "metric"):
        value = attrs.get(key)
        numbers[key] = json_int(value)
        if value is not None and numbers[key] is None:
            ctx.bad(line, network, f"a {key} that is not a number")
            return None
    as_path = ctx.as_path(raw_path, line, network)
    if as_path is None:
        return None
    peer = attrs.get("remote_address")
    interface = e.get("outgoing_interface")
    return make_route(
        ctx,
        prefix,
        line,
        next_hop=hop or None,
        as_path=as_path,
        communities=tuple(communities),
        local_pref=numbers["local_preference"],
        metric=numbers["metric"],
        best=e.get("current_active") is True,
        protocol=_PROTOCOLS.get(protocol.lower(), protocol.lower()),
        vrf=vrf_of(e.get("routing_table")),
        interface=interface if isinstance(interface, str) else None,
        peer=peer if isinstance(peer, str) else None,
    )


FORMAT = RibFormat(
    name="napalm-json",
    title="NAPALM get_route_to (JSON)",
    commands=(
        "napalm ... call get_route_to (saved as JSON)",
        "a Nornir napalm_get result with getters=['get_route_to'], as JSON",
    ),
    detect=detect,
    parse=parse,
    notes="one route per next hop; current_active marks the route in use; routing_table names"
    " the VRF",
    refuses=(
        "`get_bgp_neighbors_detail` (BGP sessions, not routes): refused, saying so; other"
        " getters: not recognised as a route table",
        "an entry whose fields are not NAPALM's model: refused with its destination",
    ),
)
