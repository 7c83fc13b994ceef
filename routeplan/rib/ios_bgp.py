"""Cisco IOS / IOS-XE ``show ip bgp``, ``show bgp ipv6 unicast``, ``show bgp all`` and VPNv4."""

from __future__ import annotations

from routeplan.rib.base import ParseContext, RibFormat
from routeplan.rib.bgplayout import header_layout
from routeplan.rib.bgptable import BgpTableReader


def detect(head: str) -> bool:
    if "Path type:" in head or "Route status codes" in head or "Nexthop codes:" in head:
        return False
    if "BGP router identifier" in head or "vrf id " in head:
        return False
    return ("BGP table version" in head or "Status codes:" in head) and any(
        header_layout(line) is not None for line in head.splitlines()
    )


def parse(ctx: ParseContext) -> None:
    BgpTableReader(ctx).run()


FORMAT = RibFormat(
    name="ios-bgp",
    title="Cisco IOS / IOS-XE BGP table",
    commands=("show ip bgp", "show bgp ipv6 unicast", "show bgp all", "show ip bgp vpnv4 ..."),
    detect=detect,
    parse=parse,
    notes="networks without a mask are classful; wrapped networks and further paths with an "
    "empty network column belong to the network above",
    refuses=(
        "`show ip bgp summary`, `show bgp all summary`: a neighbour summary, no routes",
        "`show ip bgp A.B.C.D` (one prefix's detail view): `BGP routing table entry for ...`",
        "`show ip bgp neighbors X`: a neighbour's details",
        "Link-State, EVPN, VPLS sections inside `show bgp all`: skipped whole and named in the"
        " summary, the rest of the file is read",
    ),
)
