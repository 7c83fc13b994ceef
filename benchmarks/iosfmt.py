"""Write Cisco IOS ``show ip bgp`` / ``show bgp ipv6 unicast`` text, laid out as IOS does.

Used by the benchmark's table generator and to make the example route tables.
"""

from __future__ import annotations

HEADER = """BGP table version is {version}, local router ID is {router_id}
Status codes: s suppressed, d damped, h history, * valid, > best, i - internal,
              r RIB-failure, S Stale, m multipath, b backup-path, f RT-Filter,
              x best-external, a additional-path, c RIB-compressed,
              t secondary path, L long-lived-stale,
Origin codes: i - IGP, e - EGP, ? - incomplete
RPKI validation codes: V valid, I invalid, N Not found

     Network          Next Hop            Metric LocPrf Weight Path
"""


def path_line(
    status: str,
    network: str,
    next_hop: str,
    metric: int | None,
    locprf: int | None,
    weight: int,
    path: str,
) -> str:
    """One path as IOS prints it: a network longer than its column goes on a line of its own;
    a next hop longer than 19 characters (IPv6) pushes Metric, LocPrf, Weight and Path onto
    the next line, under their columns. ``network`` empty: a further path of the network
    above."""
    m = f"{metric:>10}" if metric is not None else " " * 10
    lp = f"{locprf:>7}" if locprf is not None else " " * 7
    numbers = f"{m}{lp}{weight:>7} {path}"
    wrap = len(next_hop) > 19
    tail = f"{next_hop}\n{' ' * 38}{numbers}" if wrap else f"{next_hop:<16}{numbers}"
    head = f" {status:<3} {network}"
    if len(network) > 16:
        return f"{head}\n{' ' * 20}{tail}\n"
    return f" {status:<3} {network:<17}{tail}\n"


def er_prefixes(communities: list[str]) -> list[str]:
    """The IPv4 prefixes a route filter allowing ``communities`` brings over ExpressRoute,
    from the bundled Worldwide 2025-12-01 catalog (the example tables are built from it)."""
    import routeplan  # noqa: PLC0415
    from routeplan.catalog.query import Verdict  # noqa: PLC0415
    from routeplan.plan import build_plan  # noqa: PLC0415

    catalog = routeplan.load_catalog(include_user=False)
    view = routeplan.select_view(catalog, "Worldwide", "2025-12-01")
    plan = build_plan(view, view.selection(communities))
    return [
        str(e.prefix)
        for e in plan.entries
        if e.prefix.version == 4 and e.decision.verdict is Verdict.EXPRESSROUTE
    ]
