"""Arista EOS ``show ip bgp`` / ``show ipv6 bgp`` text."""

from __future__ import annotations

from routeplan.rib.base import ParseContext, RibFormat
from routeplan.rib.bgptable import BgpTableReader


def detect(head: str) -> bool:
    return "Route status codes:" in head and "Router identifier" in head


def parse(ctx: ParseContext) -> None:
    BgpTableReader(ctx, fixed=True).run()


FORMAT = RibFormat(
    name="eos-bgp",
    title="Arista EOS BGP table (text)",
    commands=("show ip bgp", "show ipv6 bgp", "show ip bgp vrf all"),
    detect=detect,
    parse=parse,
    notes="every column is printed (a dash for none), and each path repeats its network",
    refuses=("`show ip bgp summary`, `show ip bgp A.B.C.D detail`",),
)
