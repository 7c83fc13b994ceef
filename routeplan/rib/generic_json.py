"""The generic JSON form: ``{"schema": "routeplan/routes/1", "routes": [{...}, ...]}``
(docs/formats.md)."""

from __future__ import annotations

from routeplan.rib.base import LineFinder, ParseContext, RibFormat
from routeplan.rib.generic import FIELDS, route_from_fields
from routeplan.yamlio import parse_json

SCHEMA = "routeplan/routes/1"


def detect(head: str) -> bool:
    return head.lstrip().startswith("{") and SCHEMA in head


def parse(ctx: ParseContext) -> None:
    text = ctx.text()
    doc = parse_json(text, source=ctx.source)
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        ctx.bad(1, text[:80], f'expected an object with "schema": "{SCHEMA}"')
        return
    routes = doc.get("routes")
    if not isinstance(routes, list):
        ctx.bad(1, text[:80], 'expected "routes": a list of route objects')
        return
    finder = LineFinder(text)
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
            ctx.count(route.prefix.version)
            ctx.emit(route)


FORMAT = RibFormat(
    name="generic-json",
    title="Generic JSON (routeplan's documented export form)",
    commands=("any tool that can write JSON: see docs/formats.md",),
    detect=detect,
    parse=parse,
)
