"""Cisco NX-OS ``show ip bgp [vrf all] | json`` and ``show bgp ipv6 unicast | json``: NX-API's
``TABLE_x``/``ROW_x`` nesting (vrf, afi, safi, rd, prefix, path), where a ``ROW_`` holds one
object or a list of them.

Each path's values come from its fields: ``ipnexthop``, ``aspath``, ``metric``, ``localpref``
(empty text: not set), ``bestcode`` (``>``) or ``best`` (``bestpath``), ``statuscode`` (``*``)
or ``status`` (``valid``). Address families other than IPv4 and IPv6 unicast are passed over
and named; a path whose fields are not these is refused with its prefix.
"""

from __future__ import annotations

from typing import Any

from routeplan.model import Prefix
from routeplan.rib.base import (
    LineFinder,
    ParseContext,
    RibFormat,
    Route,
    json_head,
    json_int,
    make_route,
)
from routeplan.yamlio import parse_json_documents


def detect(head: str) -> bool:
    # the BGP table nests afi/safi; show ip route | json (TABLE_addrf) is another document
    return json_head(head, '"TABLE_vrf"', '"TABLE_afi"')


def rows(value: object, name: str) -> list[dict[str, Any]]:
    """The rows of ``TABLE_name``: NX-API prints one row as an object, several as a list.

    >>> rows({"TABLE_vrf": {"ROW_vrf": {"a": 1}}}, "vrf"), rows({}, "vrf")
    ([{'a': 1}], [])
    """
    table = value.get(f"TABLE_{name}") if isinstance(value, dict) else None
    row = table.get(f"ROW_{name}") if isinstance(table, dict) else None
    items = row if isinstance(row, list) else [row] if row is not None else []
    return [r for r in items if isinstance(r, dict)]


def _family(afi: object, safi: object) -> str | None:
    """``ipv4``/``ipv6`` for unicast, None for another family.

    >>> _family("1", "1"), _family(2, 1), _family(25, 70)
    ('ipv4', 'ipv6', None)
    """
    if str(safi) != "1":
        return None
    return {"1": "ipv4", "2": "ipv6"}.get(str(afi))


def parse(ctx: ParseContext) -> None:
    text = ctx.text()
    finder = LineFinder(text)
    for doc, _ in parse_json_documents(text, source=ctx.source):
        for vrf_row in rows(doc, "vrf"):
            name = vrf_row.get("vrf-name-out")
            vrf = None if name in (None, "default") else str(name)
            for afi in rows(vrf_row, "afi"):
                for safi in rows(afi, "safi"):
                    if _family(afi.get("afi"), safi.get("safi")) is None:
                        skipped = str(safi.get("af-name") or f"afi {afi.get('afi')}")
                        if skipped not in ctx.sections_skipped:
                            ctx.sections_skipped.append(skipped)
                        continue
                    for rd in rows(safi, "rd"):
                        for prefix_row in rows(rd, "prefix"):
                            _prefix(ctx, prefix_row, vrf, finder)


def _prefix(ctx: ParseContext, row: dict[str, Any], vrf: str | None, finder: LineFinder) -> None:
    network = row.get("ipprefix")
    if not isinstance(network, str):
        ctx.bad(finder.find('"ROW_prefix"'), "ROW_prefix", "a prefix row without ipprefix")
        return
    line = finder.find(f'"{network}"')
    prefix = ctx.prefix(network, line, network)
    if prefix is None:
        return
    routes = []
    for path in rows(row, "path"):
        route = _path(ctx, prefix, network, path, vrf, line)
        if route is None:
            return  # refused (or skipped) with the whole prefix
        routes.append(route)
    for route in routes:
        ctx.add(route)


def _number(value: object) -> tuple[bool, int | None]:
    """(readable, value): an empty text is a value not set.

    >>> _number(""), _number("100"), _number(7), _number("x")
    ((True, None), (True, 100), (True, 7), (False, None))
    """
    if value is None or value == "":
        return True, None
    n = json_int(value)
    return n is not None, n


def _path(
    ctx: ParseContext, prefix: Prefix, network: str, path: dict[str, Any], vrf: str | None,
    line: int,
) -> Route | None:  # fmt: skip
    hop, aspath = path.get("ipnexthop"), path.get("aspath")  # "" for the router's own
    ok_metric, metric = _number(path.get("metric"))
    ok_lp, local_pref = _number(path.get("localpref"))
    if not isinstance(hop, str) or not isinstance(aspath, str) or not (ok_metric and ok_lp):
        ctx.bad(line, network, "a path whose ipnexthop, aspath, metric or localpref is not"
                               " NX-API's")  # fmt: skip
        return None
    as_path = ctx.as_path(aspath, line, network)
    if as_path is None:
        return None
    best = path.get("bestcode") == ">" or path.get("best") == "bestpath"
    valid = path.get("statuscode") == "*" or path.get("status") == "valid"
    return make_route(
        ctx, prefix, line, next_hop=hop or None,
        as_path=as_path, local_pref=local_pref, metric=metric, best=best, valid=valid, vrf=vrf,
    )  # fmt: skip


FORMAT = RibFormat(
    name="nxos-json",
    title="Cisco NX-OS BGP table (JSON)",
    commands=(
        "show ip bgp | json",
        "show ip bgp vrf all | json",
        "show bgp ipv6 unicast | json",
    ),
    detect=detect,
    parse=parse,
    notes="NX-API's TABLE_/ROW_ nesting, a row one object or a list",
    refuses=(
        "`show ip route | json` (TABLE_addrf: the RIB, not the BGP table): refused, not"
        " recognised; read `show ip route` as text",
        "address families other than IPv4/IPv6 unicast: passed over and named",
    ),
)
