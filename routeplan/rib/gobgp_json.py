"""GoBGP ``gobgp global rib [-a ipv4|ipv6] -j`` (and ``gobgp vrf NAME rib -j``,
``gobgp neighbor ADDR adj-in -j``): a JSON object of destinations, each a list of paths with
their BGP path attributes by type code (RFC 4271 and successors), as gobgp 3 prints them.

Each value comes from its attribute: ORIGIN (1), AS_PATH (2: sequences and sets), NEXT_HOP (3)
or MP_REACH_NLRI's next hop (14, IPv6), MULTI_EXIT_DISC (4), LOCAL_PREF (5), COMMUNITIES (8,
32-bit values shown as ``high:low``) and LARGE_COMMUNITY (32). A path whose attributes are not
what these types hold is refused whole (or skipped with ``--lenient``); attributes of other
types (aggregator, originator, extended communities, ...) change nothing routeplan decides and
are passed over.
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
from routeplan.rib.jsonstream import Item, table, walk

_SEQUENCE, _SET = 2, 1
"""AS_PATH segment types (RFC 4271): an AS_SET is flattened, as every reader does."""


def detect(head: str) -> bool:
    return json_head(head, '"nlri"', '"attrs"') and '"type"' in head


def community(value: object) -> str | None:
    """A 32-bit COMMUNITIES value as ``high:low``.

    >>> community(791417746), community(-1), community("12076:5010")
    ('12076:5010', None, None)
    """
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**32:
        return None
    return f"{value >> 16}:{value & 0xFFFF}"


def as_path_text(attr: dict[str, Any]) -> str | None:
    """The AS_PATH attribute as path text (``{..}`` for a set); None when malformed.

    >>> as_path_text({"as_paths": [{"segment_type": 2, "asns": [64500]},
    ...                            {"segment_type": 1, "asns": [64501, 64502]}]})
    '64500 {64501,64502}'
    >>> as_path_text({"as_paths": [{"segment_type": 2, "asns": ["x"]}]}) is None
    True
    """
    parts: list[str] = []
    for segment in attr.get("as_paths") or []:
        if not isinstance(segment, dict):
            return None
        asns = segment.get("asns")
        kind = segment.get("segment_type")
        if not isinstance(asns, list) or kind not in (_SEQUENCE, _SET):
            return None
        if not all(isinstance(a, int) and not isinstance(a, bool) for a in asns):
            return None
        text = [str(a) for a in asns]
        parts.append("{" + ",".join(text) + "}" if kind == _SET else " ".join(text))
    return " ".join(p for p in parts if p)


class _Malformed(ValueError):
    """A path attribute that does not hold what its type code says."""


def _attributes(attrs: object) -> dict[str, Any]:
    """The attributes routeplan reads, from the list of a path's attributes."""
    if not isinstance(attrs, list):
        raise _Malformed("its attributes are not a list")
    out: dict[str, Any] = {"communities": []}
    for attr in attrs:
        if not isinstance(attr, dict) or isinstance(attr.get("type"), bool):
            raise _Malformed("an attribute is not an object with a type")
        kind = attr.get("type")
        if kind == 2:
            out["as_path"] = as_path_text(attr)
            if out["as_path"] is None:
                raise _Malformed("its AS_PATH is not segments of AS numbers")
        elif kind in (3, 14):
            hop = attr.get("nexthop")
            if not isinstance(hop, str) or not hop:
                raise _Malformed(f"attribute {kind} holds no next hop")
            out.setdefault("next_hop", hop)
        elif kind in (4, 5):
            value = json_int(attr.get("metric" if kind == 4 else "value"))
            if value is None:
                raise _Malformed("its MED is not a number" if kind == 4 else
                                 "its LOCAL_PREF is not a number")  # fmt: skip
            out["metric" if kind == 4 else "local_pref"] = value
        elif kind == 8:
            values = [community(v) for v in attr.get("communities") or []]
            if None in values:
                raise _Malformed("a COMMUNITIES value is not a 32-bit number")
            out["communities"] += values
        elif kind == 32:
            for large in attr.get("value") or []:
                parts = [json_int(large.get(k)) if isinstance(large, dict) else None
                         for k in ("ASN", "LocalData1", "LocalData2")]  # fmt: skip
                if None in parts:
                    raise _Malformed("a LARGE_COMMUNITY value is not three numbers")
                out["communities"].append(":".join(str(p) for p in parts))
    return out


def parse(ctx: ParseContext) -> None:
    """Each document is a table keyed by network (``gobgp ... -j`` prints one per address
    family), streamed a destination at a time."""
    destinations = table(ctx, functools.partial(_streamed, ctx), kind="{")
    walk(ctx, {(): destinations}, several=True)


def _streamed(ctx: ParseContext, item: Item) -> None:
    network = str(item.key)
    line = item.line
    prefix = ctx.prefix(network, line, network)
    if prefix is None:
        return
    paths = item.checked()
    if not isinstance(paths, list) or not all(isinstance(p, dict) for p in paths):
        ctx.bad(line, network, "its paths are not a list of JSON objects")
        return
    _destination(ctx, prefix, network, paths, line)


def _destination(
    ctx: ParseContext, prefix: Prefix, network: str, paths: list[dict[str, Any]], line: int
) -> None:
    """One destination's paths; a path that cannot be read refuses the whole destination
    (never a route from part of it)."""
    routes = []
    for path in paths:
        nlri = path.get("nlri")
        if not isinstance(nlri, dict) or nlri.get("prefix") != network:
            ctx.bad(line, network, "a path's NLRI is not the destination it is listed under")
            return
        try:
            attrs = _attributes(path.get("attrs"))
        except _Malformed as why:
            ctx.bad(line, network, f"a path's {why}")
            return
        as_path = ctx.as_path(attrs.get("as_path", ""), line, network)
        if as_path is None:
            return
        peer = path.get("neighbor-ip")
        routes.append(
            make_route(
                ctx,
                prefix,
                line,
                next_hop=attrs.get("next_hop"),
                as_path=as_path,
                communities=tuple(attrs["communities"]),
                local_pref=attrs.get("local_pref"),
                metric=attrs.get("metric"),
                best=path.get("best") is True,
                peer=str(peer) if isinstance(peer, str) and peer else None,
            )
        )
    for route in routes:
        ctx.add(route)


FORMAT = RibFormat(
    name="gobgp-json",
    title="GoBGP RIB (JSON)",
    commands=(
        "gobgp global rib -a ipv4 -j",
        "gobgp global rib -a ipv6 -j",
        "gobgp vrf NAME rib -j",
        "gobgp neighbor ADDRESS adj-in -j",
    ),
    detect=detect,
    parse=parse,
    notes="values from the path attributes by type code; the IPv6 next hop from MP_REACH_NLRI",
    refuses=(
        "`gobgp neighbor -j` (peers, not routes): refused, not recognised as a route table",
        "a path whose attribute does not hold what its type code says: refused with its"
        " destination",
    ),
)
