"""The generic JSON form: ``{"schema": "routeplan/routes/1", "routes": [{...}, ...]}``
(docs/formats.md)."""

from __future__ import annotations

import functools
import json

from routeplan.rib.base import ParseContext, RibFormat, json_head
from routeplan.rib.generic import FIELDS, route_from_fields
from routeplan.rib.jsonstream import Item, table, walk

SCHEMA = "routeplan/routes/1"


def detect(head: str) -> bool:
    return json_head(head, SCHEMA)


def parse(ctx: ParseContext) -> None:
    routes = table(ctx, functools.partial(_route, ctx), kind="[", member="prefix", allowed=FIELDS)
    [(doc, _)] = walk(ctx, {("routes",): routes}, needs=_NEEDS)
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        ctx.bad(1, json.dumps(doc)[:80], f'expected an object with "schema": "{SCHEMA}"')
        return
    if not isinstance(doc.get("routes"), list):
        ctx.bad(1, json.dumps(doc)[:80], 'expected "routes": a list of route objects')


_NEEDS: dict[tuple[str, ...], tuple[str, ...]] = {("routes",): ("schema",)}


def _route(ctx: ParseContext, item: Item) -> None:
    if item.parent.get("schema") != SCHEMA:
        return  # not this form: parse says so once the document is read
    value = item.checked()
    n = item.line
    if not isinstance(value, dict):
        ctx.bad(n, str(value)[:80], "a route must be a JSON object")
        return
    unknown = sorted(k for k in value if k not in FIELDS)
    if unknown:
        ctx.bad(n, str(value)[:120], "unknown route fields: " + ", ".join(unknown))
        return
    route = route_from_fields(ctx, n, str(value)[:120], value)
    if route is not None:
        ctx.add(route)


FORMAT = RibFormat(
    name="generic-json",
    title="Generic JSON (routeplan's documented export form)",
    commands=("any tool that can write JSON: see docs/formats.md",),
    detect=detect,
    parse=parse,
)
