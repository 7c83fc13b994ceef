"""FRR (vtysh) ``show bgp ipv4 unicast`` / ``show ip bgp`` text."""

from __future__ import annotations

from routeplan.rib.base import ParseContext, RibFormat
from routeplan.rib.bgptable import BgpTableReader


def detect(head: str) -> bool:
    return "BGP table version" in head and (
        "Nexthop codes:" in head or ", vrf id " in head or "Default local pref" in head
    )


def parse(ctx: ParseContext) -> None:
    BgpTableReader(ctx).run()


FORMAT = RibFormat(
    name="frr-bgp",
    title="FRR BGP table (text)",
    commands=("show bgp ipv4 unicast", "show bgp ipv6 unicast", "show ip bgp"),
    detect=detect,
    parse=parse,
    refuses=("`show bgp summary`, `show bgp ipv4 unicast A.B.C.D` (one prefix's detail view)",),
)
