"""FRR ``show bgp [vrf X] ipv4|ipv6 unicast json``."""

from __future__ import annotations

from typing import Any

from routeplan.rib.base import (
    ParseContext,
    RibFormat,
    json_head,
    json_int,
    make_route,
)


def detect(head: str) -> bool:
    return json_head(head, '"routes"') and (
        '"nexthops"' in head or '"pathFrom"' in head or '"bestpath"' in head
    )


def _communities(path: dict[str, Any]) -> tuple[str, ...]:
    out: list[str] = []
    for key in ("community", "largeCommunity"):
        value = path.get(key)
        if isinstance(value, dict) and isinstance(value.get("string"), str):
            out.extend(value["string"].split())
    return tuple(out)


def parse(ctx: ParseContext) -> None:
    doc, finder = ctx.json_document()
    tables = doc.values() if isinstance(doc, dict) and "routes" not in doc else [doc]
    for table in tables:
        if not isinstance(table, dict) or not isinstance(table.get("routes"), dict):
            continue
        vrf = table.get("vrfName") if isinstance(table.get("vrfName"), str) else None
        for network, paths in table["routes"].items():
            line = finder.find(f'"{network}"')
            items = paths if isinstance(paths, list) else [paths]
            prefix = ctx.prefix(network, line, network)
            if prefix is None:
                continue
            if not all(isinstance(path, dict) for path in items):
                # the whole destination is refused (or skipped): never read from part of it
                ctx.bad(line, network, "a path is not a JSON object")
                continue
            for path in items:
                raw_path = path.get("path", "")
                if isinstance(raw_path, dict):
                    raw_path = raw_path.get("string", "")
                as_path = ctx.as_path(str(raw_path or ""), line, str(raw_path))
                if as_path is None:
                    continue
                hops = [h for h in path.get("nexthops", []) if isinstance(h, dict)]
                used = [h for h in hops if h.get("used")] or hops
                global_hops = [h for h in hops if h.get("scope", "global") == "global"]
                hop = (global_hops or used or [{}])[0]
                ctx.add(
                    make_route(
                        ctx,
                        prefix,
                        line,
                        next_hop=str(hop.get("ip") or "") or None,
                        as_path=as_path,
                        communities=_communities(path),
                        local_pref=json_int(path.get("locPrf")),
                        metric=json_int(path.get("metric")),
                        best=bool(path.get("bestpath", False)),
                        valid=bool(path.get("valid", False)),
                        vrf=vrf,
                        interface=str(hop.get("interface") or "") or None,
                        peer=None
                        if path.get("peerId") in (None, "(unspec)")
                        else str(path["peerId"]),
                    )
                )


FORMAT = RibFormat(
    name="frr-json",
    title="FRR BGP table (JSON)",
    commands=("show bgp ipv4 unicast json", "show bgp ipv6 unicast json", "show bgp vrf all json"),
    detect=detect,
    parse=parse,
    notes="the next hop is the first global one; communities come from the detail form",
    refuses=(
        "`show bgp summary json` (a document without `routes`): refused, not recognised as a"
        " route table",
    ),
)
