"""Cisco NX-OS ``show ip bgp`` (also per VRF and ``... neighbors X routes``)."""

from __future__ import annotations

from routeplan.rib.base import ParseContext, RibFormat
from routeplan.rib.bgptable import BgpTableReader


def detect(head: str) -> bool:
    return "Path type: i-internal" in head or "Status: s-suppressed" in head


def parse(ctx: ParseContext) -> None:
    BgpTableReader(ctx, typed_status=True).run()


FORMAT = RibFormat(
    name="nxos-bgp",
    title="Cisco NX-OS BGP table",
    commands=(
        "show ip bgp",
        "show ip bgp vrf all",
        "show bgp vrf all ipv4 unicast neighbors X routes",
    ),
    detect=detect,
    parse=parse,
    notes="the path-type letter after the status (e, i, l, r, a) is read as part of the status",
    refuses=(
        "`show ip bgp summary`, one prefix's detail view, `show ip bgp neighbors X`",
        "`Can't find neighbor ...` lines: named in the summary, the rest is read",
    ),
)
