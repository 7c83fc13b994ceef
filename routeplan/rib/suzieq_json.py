"""SuzieQ ``suzieq-cli route show --hostname=NAME --format=json``: one record per route with
``hostname``, ``vrf``, ``prefix``, ``nexthopIps`` and ``oifs`` (lists, position by position),
``protocol``, ``metric`` or ``preference``.

SuzieQ's route table holds no AS path: a route's path is decided by the path policy's next
hops and interfaces (docs/policy.md), never by an AS path routeplan would have to invent.
One file is one router (``routeplan diff -r NAME=FILE``): a document holding the routes of
several hosts is refused with the command that keeps one.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from routeplan.errors import InputError
from routeplan.rib.base import (
    ParseContext,
    RibFormat,
    json_head,
    json_int,
    make_route,
)
from routeplan.rib.jsonstream import Item, scan_value, table, walk

_DEFAULT_VRFS = ("", "default", "global")


def detect(head: str) -> bool:
    return json_head(head, '"nexthopIps"', '"prefix"') and '"hostname"' in head


HOST = ("namespace", "hostname")
"""The members that name a record's host."""


def parse(ctx: ParseContext) -> None:
    """Each document's records, streamed (:mod:`routeplan.rib.jsonstream`): a record whose
    prefix cannot matter is counted (a route per next hop) without routes being made; every
    record's host is checked to be the document's one (the C skimmer passes over only records
    whose host is written exactly as the first one's)."""
    hosts: dict[str, tuple[str, ...]] = {}
    records = table(
        ctx,
        functools.partial(_streamed, ctx, hosts),
        kind="[",
        member="prefix",
        routes=functools.partial(_held, ctx, hosts),
        lists=("nexthopIps", "oifs"),
        same=HOST,
        same_texts=lambda: next(iter(hosts.values()), None),
        counted=True,
    )
    walk(ctx, {(): records}, several=True, each=lambda doc, line: hosts.clear())


def _host(ctx: ParseContext, hosts: dict[str, tuple[str, ...]], record: dict[str, Any]) -> None:
    """Refuse a record of another host than the document's first (one router, one answer);
    the first one's host members as JSON texts ("": absent) for the C skimmer."""
    key = f"{record.get('namespace', '')}/{record.get('hostname')}"
    if not hosts:
        hosts[key] = tuple(json.dumps(record[n]) if n in record else "" for n in HOST)
    hosts.setdefault(key, ())
    if len(hosts) > 1:
        names = ", ".join(h.split("/", 1)[1] for h in hosts)
        raise InputError(
            f"this SuzieQ output holds the routes of more than one host ({names}); routeplan "
            "checks each router on its own",
            source=ctx.source,
            hint="keep one host per file: suzieq-cli route show --hostname=NAME "
            "--namespace=NS --format=json > NAME.json, then routeplan diff -r NAME=NAME.json",
        )


def _held(
    ctx: ParseContext, hosts: dict[str, tuple[str, ...]], text: str, where: object
) -> int | None:
    """The routes a record that cannot matter holds, one per next hop or interface (at least
    one), as the C skimmer counts them; its host checked. None when its lists are not lists
    of text (then it is read, and refused)."""
    try:
        record = scan_value(text)
    except ValueError:
        return None
    if not isinstance(record, dict):
        return None
    _host(ctx, hosts, record)
    hops, oifs = record.get("nexthopIps") or [], record.get("oifs") or []
    if not (isinstance(hops, list) and isinstance(oifs, list)) or not all(
        isinstance(x, str) for x in (*hops, *oifs)
    ):
        return None
    return max(len(hops), len(oifs), 1)


def _pairs(record: dict[str, Any]) -> list[tuple[str, str]]:
    """(next hop, interface) by position, one route each."""
    hops, oifs = record.get("nexthopIps") or [], record.get("oifs") or []
    return [
        (hops[i] if i < len(hops) else "", oifs[i] if i < len(oifs) else "")
        for i in range(max(len(hops), len(oifs), 1))
    ]


def _streamed(ctx: ParseContext, hosts: dict[str, tuple[str, ...]], item: Item) -> None:
    record = item.checked()
    if isinstance(record, dict):
        _host(ctx, hosts, record)
    if not isinstance(record, dict) or not isinstance(record.get("prefix"), str):
        ctx.bad(item.line, "route", "a record without a prefix")
        return
    _record(ctx, record, item.line_of('"prefix"'))


def _record(ctx: ParseContext, record: dict[str, Any], line: int) -> None:
    network = record["prefix"]
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
    for hop, oif in _pairs(record):
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
