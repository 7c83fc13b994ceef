"""FRR ``show bgp [vrf X] ipv4|ipv6 unicast json``, and a capture of several such commands'
JSON one after another (the targeted collection of :mod:`routeplan.collect`): whole or
``longer-prefixes`` tables, one prefix's lookup (``show bgp ipv4 unicast PREFIX json``:
``{"prefix": ..., "paths": [...]}``, or ``{}`` when the table does not hold it)."""

from __future__ import annotations

import re
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

_EMPTY_PAIR = re.compile(r"\s*\{\s*\}\s*\{")


def detect(head: str) -> bool:
    if json_head(head, '"routes"') and (
        '"nexthops"' in head or '"pathFrom"' in head or '"bestpath"' in head
    ):
        return True
    # a collection: lookups of prefixes the table does not hold print {} one after another
    return json_head(head) and (
        bool(_EMPTY_PAIR.match(head))
        or ('"prefix"' in head and '"paths"' in head and '"nexthops"' in head)
    )


def _communities(path: dict[str, Any]) -> tuple[str, ...]:
    out: list[str] = []
    for key in ("community", "largeCommunity"):
        value = path.get(key)
        if isinstance(value, dict) and isinstance(value.get("string"), str):
            out.extend(value["string"].split())
    return tuple(out)


def parse(ctx: ParseContext) -> None:
    reader = _Reader(ctx)
    routes = table(ctx, reader.route)
    tables = dict.fromkeys((("routes",), ("*", "routes")), routes)
    walk(ctx, tables, needs=dict.fromkeys(tables, ("vrfName",)), several=True, each=reader.done)


class _Reader:
    """The destinations of every table, as they stream past. A path that a capture's
    commands print twice (two documents) is read once: each document's paths are checked
    against those of the documents before it (one document is read as it is: add-path may
    print two paths alike but for their path ids)."""

    def __init__(self, ctx: ParseContext) -> None:
        self.ctx = ctx
        self.before: set[tuple[object, ...]] = set()
        self.current: set[tuple[object, ...]] = set()

    def done(self, doc: Any, line: int) -> None:
        """A document is read: a lookup's paths are read now (a table's have streamed)."""
        if isinstance(doc, dict) and isinstance(doc.get("paths"), list) and "prefix" in doc:
            _lookup(self.ctx, doc, line, self)
        self.before |= self.current
        self.current = set()

    def route(self, item: Item) -> None:
        """One destination of a table: ``"NETWORK": [path, ...]``."""
        ctx = self.ctx
        network = item.key
        if not isinstance(network, str):
            return  # "routes" given as a list: not a table FRR prints
        paths = item.checked()
        line = item.line
        items = paths if isinstance(paths, list) else [paths]
        prefix = ctx.prefix(network, line, network)
        if prefix is None:
            return
        if not all(isinstance(path, dict) for path in items):
            # the whole destination is refused (or skipped): never read from part of it
            ctx.bad(line, network, "a path is not a JSON object")
            return
        vrf = item.parent.get("vrfName")
        vrf = vrf if isinstance(vrf, str) else None
        for path in items:
            raw_path = path.get("path", "")
            if isinstance(raw_path, dict):
                raw_path = raw_path.get("string", "")
            peer = None if path.get("peerId") in (None, "(unspec)") else str(path["peerId"])
            _add(ctx, self, prefix, line, path, str(raw_path or ""), vrf, peer,
                 best=bool(path.get("bestpath", False)))  # fmt: skip


def _lookup(ctx: ParseContext, doc: dict[str, Any], line: int, reader: _Reader) -> None:
    """One prefix's lookup: ``{"prefix": P, "paths": [...]}``, the paths in detail form."""
    network = str(doc["prefix"])
    prefix = ctx.prefix(network, line, network)
    if prefix is None:
        return
    items = doc["paths"]
    if not all(isinstance(path, dict) for path in items):
        ctx.bad(line, network, "a path is not a JSON object")
        return
    for path in items:
        aspath = path.get("aspath")
        raw_path = aspath.get("string", "") if isinstance(aspath, dict) else ""
        peer_info = path.get("peer")
        peer = str(peer_info["peerId"]) if isinstance(peer_info, dict) and peer_info.get(
            "peerId") not in (None, "(unspec)") else None  # fmt: skip
        best = path.get("bestpath")
        _add(ctx, reader, prefix, line, path, str(raw_path or ""), None, peer,
             best=isinstance(best, dict) and bool(best.get("overall")))  # fmt: skip


def _add(
    ctx: ParseContext,
    reader: _Reader,
    prefix: Prefix,
    line: int,
    path: dict[str, Any],
    raw_path: str,
    vrf: str | None,
    peer: str | None,
    *,
    best: bool,
) -> None:
    as_path = ctx.as_path(raw_path, line, raw_path)
    if as_path is None:
        return
    hops = [h for h in path.get("nexthops", []) if isinstance(h, dict)]
    used = [h for h in hops if h.get("used")] or hops
    global_hops = [h for h in hops if h.get("scope", "global") == "global"]
    hop = (global_hops or used or [{}])[0]
    next_hop = str(hop.get("ip") or "") or None
    key = (str(prefix), vrf, peer, next_hop, as_path)
    if key in reader.before:
        return
    reader.current.add(key)
    ctx.add(
        make_route(
            ctx,
            prefix,
            line,
            next_hop=next_hop,
            as_path=as_path,
            communities=_communities(path),
            local_pref=json_int(path.get("locPrf")),
            metric=json_int(path.get("metric")),
            best=best,
            valid=bool(path.get("valid", False)),
            vrf=vrf,
            interface=str(hop.get("interface") or "") or None,
            peer=peer,
        )
    )


FORMAT = RibFormat(
    name="frr-json",
    title="FRR BGP table (JSON)",
    commands=(
        "show bgp ipv4 unicast json",
        "show bgp ipv6 unicast json",
        "show bgp vrf all json",
        "any capture of the commands `routeplan collect commands --platform frr` lists, in one"
        " file",
    ),
    detect=detect,
    parse=parse,
    notes="the next hop is the first global one; communities come from the detail form",
    refuses=(
        "`show bgp summary json` (a document without `routes`): refused, not recognised as a"
        " route table",
    ),
)
