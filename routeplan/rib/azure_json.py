"""Azure ExpressRoute route tables as JSON: ``az network express-route list-route-tables``
(and the REST ``routeTables`` response it wraps)."""

from __future__ import annotations

import functools
import json

from routeplan.rib.base import (
    ParseContext,
    RibFormat,
    json_head,
    json_int,
    make_route,
)
from routeplan.rib.jsonstream import Item, table, walk


def detect(head: str) -> bool:
    return json_head(head, '"network"', '"nextHop"')


ROWS: tuple[tuple[str, ...], ...] = ((), ("value",), ("responses", "200", "body", "value"))
"""Where the rows are: the document itself (a list), its ``value``, or a REST example's
``responses`` -> 200 -> ``body`` -> ``value``."""


def parse(ctx: ParseContext) -> None:
    body = table(ctx, functools.partial(_row, ctx), kind="[", member="network")
    walk(ctx, {**dict.fromkeys(ROWS, body), ("responses", "200", "body"): body})


def _row(ctx: ParseContext, item: Item) -> None:
    row = item.checked()
    if not isinstance(row, dict):
        text = json.dumps(row)
        ctx.bad(item.line, text[:80], "a route-table row is not a JSON object")
        return
    line = item.line_of('"network"')
    network = str(row.get("network") or "").strip()
    if not network:
        return  # Azure returns one empty row when the table is empty
    prefix = ctx.prefix(network, line, network)
    if prefix is None:
        return
    path_text = str(row.get("path") or "")
    as_path = ctx.as_path(path_text, line, path_text)
    if as_path is None:
        return
    hop = str(row.get("nextHop") or "").strip()
    ctx.add(
        make_route(
            ctx,
            prefix,
            line,
            next_hop=hop.rstrip("*") or None,
            as_path=as_path,
            local_pref=json_int(row.get("locPrf")),
            best=True,
            protocol="bgp",
        )
    )


FORMAT = RibFormat(
    name="azure-json",
    title="Azure ExpressRoute route table (JSON)",
    commands=(
        "az network express-route list-route-tables --path primary --peering-name "
        "MicrosoftPeering -g RG -n CIRCUIT",
    ),
    detect=detect,
    parse=parse,
    notes="every row is a route the circuit's Microsoft edge holds; a trailing * on the next hop "
    "is dropped",
)
