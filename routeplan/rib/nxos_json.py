"""Cisco NX-OS ``show ip bgp [vrf all] | json`` and ``show bgp ipv6 unicast | json``: NX-API's
``TABLE_x``/``ROW_x`` nesting (vrf, afi, safi, rd, prefix, path), where a ``ROW_`` holds one
object or a list of them.

Each path's values come from its fields: ``ipnexthop``, ``aspath``, ``metric``, ``localpref``
(empty text: not set), ``bestcode`` (``>``) or ``best`` (``bestpath``), ``statuscode`` (``*``)
or ``status`` (``valid``). Address families other than IPv4 and IPv6 unicast are passed over
and named; a path whose fields are not these is refused with its prefix.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from typing import Any

from routeplan.errors import InputError
from routeplan.model import Prefix
from routeplan.rib.base import (
    ParseContext,
    RibFormat,
    Route,
    json_head,
    json_int,
    make_route,
)
from routeplan.rib.jsonstream import Item, scan_value, table, walk


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


def _patterns() -> tuple[tuple[str, ...], ...]:
    """Where the prefix rows are: ``TABLE_vrf`` -> ``ROW_vrf`` -> ... -> ``TABLE_prefix`` ->
    ``ROW_prefix``, each ``ROW_`` above a list (any index) or one object."""
    out = []
    for lists in itertools.product((True, False), repeat=len(LEVELS)):
        path: list[str] = []
        for name, listed in zip(LEVELS, lists, strict=True):
            path += [f"TABLE_{name}", f"ROW_{name}", *(["*"] if listed else [])]
        out.append((*path, "TABLE_prefix", "ROW_prefix"))
    return tuple(out)


LEVELS = ("vrf", "afi", "safi", "rd")
PATTERNS = _patterns()
_VRF, _AFI, _SAFI = 2, 4, 6
"""Where the VRF, afi and safi rows are among the objects around a prefix row (the document,
then a ``TABLE_`` object and its row for each level)."""


@dataclass
class _Late:
    """The rows above a table of prefixes whose VRF name, afi or safi was not given yet when
    its first prefix came (a document written with its keys sorted): checked once the
    document is complete."""

    vrf: dict[str, Any]
    afi: dict[str, Any]
    safi: dict[str, Any]
    read: bool
    named: bool


def parse(ctx: ParseContext) -> None:
    """Each document's prefix rows, streamed (:mod:`routeplan.rib.jsonstream`): a row whose
    prefix cannot matter is counted (its paths) without being read."""
    late: list[_Late] = []
    prefixes = table(
        ctx,
        functools.partial(_streamed, ctx),
        kind="[",
        member="ipprefix",
        count="path",
        routes=_paths,
        counted=True,  # the C skimmer counts the path rows as _paths does
        only=functools.partial(_only, late),
        single=True,
    )
    walk(
        ctx,
        dict.fromkeys(PATTERNS, prefixes),
        several=True,
        each=functools.partial(_document, ctx, late),
    )


def _only(late: list[_Late], where: object, around: tuple[dict[str, Any], ...]) -> bool:
    """Are the rows of this table read: is it IPv4 or IPv6 unicast, as its rows say so far?"""
    vrf, afi, safi = around[_VRF], around[_AFI], around[_SAFI]
    read = _family(afi.get("afi"), safi.get("safi")) is not None
    if "afi" not in afi or "safi" not in safi or "vrf-name-out" not in vrf:
        late.append(_Late(vrf, afi, safi, read, "vrf-name-out" in vrf))
    return read


def _document(ctx: ParseContext, late: list[_Late], doc: Any, line: int) -> None:
    """Once a document is complete: refuse one whose rows named their family or VRF after
    their prefixes (they were read as another's), and name the families passed over."""
    for pending in late:
        family = _family(pending.afi.get("afi"), pending.safi.get("safi"))
        renamed = not pending.named and pending.vrf.get("vrf-name-out") not in (None, "default")
        if (family is not None and not pending.read) or (pending.read and renamed):
            raise InputError(
                "an NX-API document gives a VRF name, afi or safi after its prefixes (its keys"
                " sorted?): its prefixes would be read in another VRF or family",
                source=ctx.source,
                line=line,
                hint="save the switch's own output (show ip bgp vrf all | json) as it is: "
                "NX-OS prints them first",
            )
    late.clear()
    for vrf_row in rows(doc, "vrf"):
        for afi in rows(vrf_row, "afi"):
            for safi in rows(afi, "safi"):
                if _family(afi.get("afi"), safi.get("safi")) is None:
                    skipped = str(safi.get("af-name") or f"afi {afi.get('afi')}")
                    if skipped not in ctx.sections_skipped:
                        ctx.sections_skipped.append(skipped)


def _paths(text: str, where: object) -> int | None:
    """How many routes a prefix row's text holds: its path rows."""
    try:
        row = scan_value(text)
    except ValueError:
        return None
    return len(rows(row, "path")) if isinstance(row, dict) else None


def _streamed(ctx: ParseContext, item: Item) -> None:
    name = item.ancestors[_VRF].get("vrf-name-out")
    vrf = None if name in (None, "default") else str(name)
    row = item.checked()
    if not isinstance(row, dict) or not isinstance(row.get("ipprefix"), str):
        ctx.bad(item.line, "ROW_prefix", "a prefix row without ipprefix")
        return
    _prefix(ctx, row, vrf, item.line_of('"ipprefix"'))


def _prefix(ctx: ParseContext, row: dict[str, Any], vrf: str | None, line: int) -> None:
    network = row["ipprefix"]
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
