"""Juniper Junos ``show route ... | display json`` (also ``receive-protocol bgp``)."""

from __future__ import annotations

import functools
import re
from typing import Any

from routeplan.rib.base import (
    ParseContext,
    RibFormat,
    json_head,
    json_int,
    make_route,
)
from routeplan.rib.jsonstream import Item, table, walk
from routeplan.rib.junos_route import PROTOCOLS, junos_path_text, table_vrf


def detect(head: str) -> bool:
    return json_head(head, '"route-information"')


def _data(obj: Any, key: str) -> str | None:
    """The text of ``obj[key][0]["data"]``, Junos's JSON spelling of a leaf."""
    if not isinstance(obj, dict):
        return None
    value = obj.get(key)
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        value = value.get("data")
    return value.strip() if isinstance(value, str) else None


def _list(obj: Any, key: str) -> list[Any]:
    value = obj.get(key) if isinstance(obj, dict) else None
    if isinstance(value, dict):
        return [value]
    return value if isinstance(value, list) else []


def _communities(entry: Any) -> tuple[str, ...]:
    out = []
    for block in _list(entry, "communities"):
        for community in _list(block, "community"):
            if isinstance(community, dict) and isinstance(community.get("data"), str):
                out.append(community["data"])
    return tuple(out)


_LEVELS = [
    (*info, *table, "rt")
    for info in (("route-information", "*"), ("route-information",))
    for table in (("route-table", "*"), ("route-table",))
]
"""Where a table's destinations (``rt``) are: Junos gives every element as a list; one given
as an object is read too (see :func:`parse`)."""
_WS = r"[ \t\n\r]*"
_DESTINATION = re.compile(
    rf'[{{,]{_WS}"rt-destination"{_WS}:{_WS}\[{_WS}\{{{_WS}"data"{_WS}:{_WS}"([^"]*)"{_WS}\}}{_WS}\]'
)
"""A destination's network, as Junos writes it: ``"rt-destination": [{"data": "..."}]``."""


def parse(ctx: ParseContext) -> None:
    read = functools.partial(_streamed, ctx)
    rts = table(ctx, read, kind="[", count="rt-entry", network=_network)
    [(doc, line)] = walk(
        ctx, dict.fromkeys(_LEVELS, rts), needs=dict.fromkeys(_LEVELS, ("table-name",))
    )
    # what was not streamed: a destination given as one object, not in a list
    for info in _list(doc, "route-information"):
        for tbl in _list(info, "route-table"):
            for rt in _list(tbl, "rt"):
                _destination(ctx, tbl, rt, line)


def _network(index: str | int, text: str, parent: dict[str, Any]) -> str | None:
    """A destination's network from its text, for passing it over: when its table is one
    that is read, the text has no escapes and one ``rt-destination`` with a length."""
    if not table_vrf(_data(parent, "table-name") or "inet.0")[1] or "\\" in text:
        return None
    found = _DESTINATION.findall(text)
    return (
        found[0] if len(found) == 1 and "/" in found[0] and "rt-prefix-length" not in text else None
    )


def _streamed(ctx: ParseContext, item: Item) -> None:
    _destination(ctx, item.parent, item.checked(), item.line_of('"rt-destination"'))


def _destination(ctx: ParseContext, tbl: Any, rt: Any, line: int) -> None:
    vrf, wanted = table_vrf(_data(tbl, "table-name") or "inet.0")
    if not wanted:
        return
    destination = _data(rt, "rt-destination") or ""
    length = _data(rt, "rt-prefix-length")
    network = destination if "/" in destination or not length else f"{destination}/{length}"
    prefix = ctx.prefix(network, line, network)
    if prefix is None:
        return
    entries = _list(rt, "rt-entry")
    if not entries or not all(isinstance(e, dict) for e in entries):
        ctx.bad(line, network, "the destination's rt-entry is not a JSON object")
        return
    only = len(entries) == 1
    for entry in entries:
        as_text = (_data(entry, "as-path") or "").replace("AS path:", "")
        as_path = ctx.as_path(junos_path_text(as_text), line, as_text)
        if as_path is None:
            continue
        hops = _list(entry, "nh")
        chosen = [h for h in hops if "selected-next-hop" in h] or hops or [{}]
        hop = chosen[0]
        protocol = (_data(entry, "protocol-name") or "BGP").lower()
        active = _data(entry, "active-tag") or ""
        ctx.add(
            make_route(
                ctx,
                prefix,
                line,
                next_hop=_data(hop, "to"),
                as_path=as_path,
                communities=_communities(entry),
                local_pref=json_int(_data(entry, "local-preference")),
                metric=json_int(_data(entry, "med") or _data(entry, "metric")),
                # "*" or "+" marks the active entry; a lone entry without a tag is it
                best=bool({"*", "+"} & set(active)) or (not active and only),
                valid=True,
                protocol=PROTOCOLS.get(protocol, protocol),
                vrf=vrf,
                interface=_data(hop, "via"),
                peer=_data(entry, "learned-from"),
            )
        )


FORMAT = RibFormat(
    name="junos-json",
    title="Juniper Junos routes (JSON)",
    commands=("show route | display json", "show route receive-protocol bgp X | display json"),
    detect=detect,
    parse=parse,
    notes="inet.0 / inet6.0 and VRF (NAME.inet.0) tables; inet.3 and mpls.0 are not IP forwarding "
    "tables and are skipped",
)
