"""SuzieQ ``suzieq-cli route show --hostname=NAME --format=json``: one record per route with
``hostname``, ``vrf``, ``prefix``, ``nexthopIps`` and ``oifs`` (lists, position by position),
``protocol``, ``metric`` or ``preference``.

SuzieQ's route table holds no AS path: a route's path is decided by the path policy's next
hops and interfaces (docs/policy.md), never by an AS path routeplan would have to invent.
One file is one router (``routeplan diff -r NAME=FILE``): a document holding the routes of
several hosts is refused with the command that keeps one.
"""

from __future__ import annotations

from typing import Any

from routeplan.errors import InputError
from routeplan.rib.base import (
    LineFinder,
    ParseContext,
    RibFormat,
    json_head,
    json_int,
    make_route,
)
from routeplan.yamlio import parse_json_documents

_DEFAULT_VRFS = ("", "default", "global")


def detect(head: str) -> bool:
    return json_head(head, '"nexthopIps"', '"prefix"') and '"hostname"' in head


def _hosts(records: list[Any]) -> list[str]:
    return sorted(
        {f"{r.get('namespace', '')}/{r.get('hostname')}" for r in records if isinstance(r, dict)}
    )


def parse(ctx: ParseContext) -> None:
    text = ctx.text()
    finder = LineFinder(text)
    for doc, _ in parse_json_documents(text, source=ctx.source):
        records = doc if isinstance(doc, list) else None
        if records is None:
            continue
        hosts = _hosts(records)
        if len(hosts) > 1:
            names = ", ".join(h.split("/", 1)[1] for h in hosts[:5])
            raise InputError(
                f"this SuzieQ output holds the routes of {len(hosts)} hosts ({names}"
                f"{', ...' if len(hosts) > 5 else ''}); routeplan checks each router on its own",
                source=ctx.source,
                hint="keep one host per file: suzieq-cli route show --hostname=NAME "
                "--namespace=NS --format=json > NAME.json, then routeplan diff -r NAME=NAME.json",
            )
        for record in records:
            _record(ctx, record, finder)


def _record(ctx: ParseContext, record: object, finder: LineFinder) -> None:
    if not isinstance(record, dict) or not isinstance(record.get("prefix"), str):
        ctx.bad(finder.find('"prefix"'), "route", "a record without a prefix")
        return
    network = record["prefix"]
    line = finder.find(f'"prefix": "{network}"')
    hops, oifs = record.get("nexthopIps") or [], record.get("oifs") or []
    if not (isinstance(hops, list) and isinstance(oifs, list)) or not all(
        isinstance(x, str) for x in (*hops, *oifs)
    ):
        ctx.bad(line, network, "nexthopIps and oifs are not lists of text")
        return
    protocol = record.get("protocol")
    metric_raw = record.get("metric")
    metric = json_int(metric_raw)
    if not isinstance(protocol, str) or (metric_raw is not None and metric is None):
        ctx.bad(line, network, "a protocol that is not text or a metric that is not a number")
        return
    prefix = ctx.prefix(network, line, network)
    if prefix is None:
        return
    vrf = record.get("vrf")
    pairs = [
        (hops[i] if i < len(hops) else "", oifs[i] if i < len(oifs) else "")
        for i in range(max(len(hops), len(oifs), 1))
    ]
    for hop, oif in pairs:
        ctx.add(
            make_route(
                ctx,
                prefix,
                line,
                next_hop=hop or None,
                metric=metric,
                protocol=protocol.lower() or "unknown",
                vrf=None if vrf in _DEFAULT_VRFS or not isinstance(vrf, str) else vrf,
                interface=oif or None,
            )
        )


FORMAT = RibFormat(
    name="suzieq-json",
    title="SuzieQ route show (JSON)",
    commands=("suzieq-cli route show --hostname=NAME --namespace=NS --format=json",),
    detect=detect,
    parse=parse,
    notes="one route per next hop (nexthopIps and oifs by position); no AS path in SuzieQ's"
    " table: the path policy's next hops and interfaces decide",
    refuses=(
        "a document holding several hosts' routes: refused, with the command that keeps one"
        " host (one router, one answer)",
        "`route summarize`, `route unique`: not route tables",
    ),
)
