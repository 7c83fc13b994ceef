"""Arista EOS ``show ip bgp | json`` (``show ip bgp [vrf X] | json``)."""

from __future__ import annotations

import functools
import json
from typing import Any

from routeplan.rib.base import (
    ParseContext,
    RibFormat,
    json_head,
    json_int,
    make_route,
)
from routeplan.rib.jsonstream import Item, table, walk


def detect(head: str) -> bool:
    return json_head(head, '"bgpRouteEntries"')


def _communities(path: dict[str, Any]) -> tuple[str, ...]:
    detail = path.get("routeDetail")
    if not isinstance(detail, dict):
        return ()
    out: list[str] = []
    for key in ("communityList", "largeCommunityList"):
        values = detail.get(key)
        if isinstance(values, list):
            out.extend(str(v) for v in values)
    return tuple(out)


def parse(ctx: ParseContext) -> None:
    entries = table(ctx, functools.partial(_entry, ctx), count="bgpRoutePaths")
    [(doc, _)] = walk(ctx, {("vrfs", "*", "bgpRouteEntries"): entries})
    if not isinstance(doc, dict) or not isinstance(doc.get("vrfs"), dict):
        expected = 'no "vrfs" object (expected the output of show ip bgp | json)'
        ctx.bad(1, json.dumps(doc)[:80], expected)


def _entry(ctx: ParseContext, item: Item) -> None:
    """One entry of a VRF's ``bgpRouteEntries``: ``"NETWORK": {"bgpRoutePaths": [...]}``."""
    network = item.key
    if not isinstance(network, str):
        return  # bgpRouteEntries given as a list: not a table EOS prints
    vrf_name = item.where[1]
    entry = item.checked()
    line = item.line
    prefix = ctx.prefix(network, line, network)
    if prefix is None:
        return
    paths = entry.get("bgpRoutePaths") if isinstance(entry, dict) else None
    if not isinstance(paths, list) or not all(isinstance(p, dict) for p in paths):
        # the same refusal as every JSON reader: a route never half-read
        ctx.bad(line, network, "the entry's bgpRoutePaths is not a list of JSON objects")
        return
    for path in paths:
        entry_path = path.get("asPathEntry", {})
        as_text = entry_path.get("asPath", "") if isinstance(entry_path, dict) else ""
        as_path = ctx.as_path(str(as_text or "").replace("Local", ""), line, str(as_text))
        if as_path is None:
            continue
        kind = path.get("routeType", {})
        kind = kind if isinstance(kind, dict) else {}
        peer = path.get("peerEntry", {})
        ctx.add(
            make_route(
                ctx,
                prefix,
                line,
                next_hop=str(path.get("nextHop") or "") or None,
                as_path=as_path,
                communities=_communities(path),
                local_pref=json_int(path.get("localPreference")),
                metric=json_int(path.get("med")),
                best=bool(kind.get("active", False)),
                valid=bool(kind.get("valid", False)),
                vrf=str(vrf_name),
                peer=str(peer.get("peerAddr") or "") if isinstance(peer, dict) else None,
            )
        )


FORMAT = RibFormat(
    name="eos-json",
    title="Arista EOS BGP table (JSON)",
    commands=("show ip bgp | json", "show ip bgp detail | json", "show ipv6 bgp | json"),
    detect=detect,
    parse=parse,
)
