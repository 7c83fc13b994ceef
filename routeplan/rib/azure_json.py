"""Azure ExpressRoute route tables as JSON: ``az network express-route list-route-tables``
(and the REST ``routeTables`` response it wraps)."""

from __future__ import annotations

import json
from typing import Any

from routeplan.rib.base import (
    ParseContext,
    RibFormat,
    json_head,
    json_int,
    make_route,
)


def detect(head: str) -> bool:
    return json_head(head, '"network"', '"nextHop"')


def _rows(doc: Any) -> list[Any]:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        if isinstance(doc.get("value"), list):
            return list(doc["value"])
        responses = doc.get("responses")
        if isinstance(responses, dict):  # a REST example: responses -> 200 -> body -> value
            body = responses.get("200", {}).get("body", {})
            return _rows(body)
    return []


def parse(ctx: ParseContext) -> None:
    doc, finder = ctx.json_document()
    for row in _rows(doc):
        if not isinstance(row, dict):
            text = json.dumps(row)
            line = finder.find(text) if isinstance(row, str) else finder.line
            ctx.bad(line, text[:80], "a route-table row is not a JSON object")
            continue
        line = finder.find('"network"')
        network = str(row.get("network") or "").strip()
        if not network:
            continue  # Azure returns one empty row when the table is empty
        prefix = ctx.prefix(network, line, network)
        if prefix is None:
            continue
        path_text = str(row.get("path") or "")
        as_path = ctx.as_path(path_text, line, path_text)
        if as_path is None:
            continue
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
