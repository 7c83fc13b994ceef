"""The generic JSON form: ``{"schema": "routeplan/routes/1", "routes": [{...}, ...]}``
(docs/formats.md)."""

from __future__ import annotations

from routeplan.rib.base import ParseContext, RibFormat, json_head
from routeplan.rib.generic import FIELDS, route_from_fields

SCHEMA = "routeplan/routes/1"


def detect(head: str) -> bool:
    return json_head(head, SCHEMA)


def parse(ctx: ParseContext) -> None:
    doc, finder = ctx.json_document()
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        ctx.bad(1, ctx.text()[:80], f'expected an object with "schema": "{SCHEMA}"')
        return
    routes = doc.get("routes")
    if not isinstance(routes, list):
        ctx.bad(1, ctx.text()[:80], 'expected "routes": a list of route objects')
        return
    finder.find('"routes"')
    for item in routes:
        n = finder.find("{")
        if not isinstance(item, dict):
            ctx.bad(n, str(item)[:80], "a route must be a JSON object")
            continue
        unknown = sorted(k for k in item if k not in FIELDS)
        if unknown:
            ctx.bad(n, str(item)[:120], "unknown route fields: " + ", ".join(unknown))
            continue
        route = route_from_fields(ctx, n, str(item)[:120], item)
        if route is not None:
            ctx.add(route)


FORMAT = RibFormat(
    name="generic-json",
    title="Generic JSON (routeplan's documented export form)",
    commands=("any tool that can write JSON: see docs/formats.md",),
    detect=detect,
    parse=parse,
)
