"""Cisco IOS-XR ``show bgp`` and ``show bgp ... advertised-routes``."""

from __future__ import annotations

from routeplan.rib.base import ParseContext, RibFormat
from routeplan.rib.bgptable import BgpTableReader


def detect(head: str) -> bool:
    if "BGP router identifier" in head and "local AS number" in head:
        return True
    return any(
        "Network" in line and "Next Hop" in line and "From" in line and "AS Path" in line
        for line in head.splitlines()[:40]
    )


def parse(ctx: ParseContext) -> None:
    # XR prints its values in two ways: under the header's own columns (metric, LocPrf and
    # Weight end 26, 33 and 40 columns after the start of the next hop: genieparser's
    # samples), or wider (26, 37 and 44: ntc-templates' sample). The numbers of each line
    # must end exactly on the edges of one of them (bgptable._exactly_placed).
    BgpTableReader(ctx, columns=(26, 37, 44)).run()


FORMAT = RibFormat(
    name="iosxr-bgp",
    title="Cisco IOS-XR BGP table",
    commands=(
        "show bgp",
        "show bgp ipv6 unicast",
        "show bgp vrf all neighbors X advertised-routes",
    ),
    detect=detect,
    parse=parse,
    refuses=(
        "`show bgp summary`, one prefix's detail view",
        "address families other than IPv4/IPv6 unicast after `Address Family:`: skipped whole and"
        " named",
    ),
)
