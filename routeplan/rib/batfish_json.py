"""Batfish answers of ``routes()`` and ``bgpRib()`` as JSON: the rows of the answer
(``bf.q.bgpRib(nodes="NAME").answer().dict()``, or ``frame().to_json(orient="records")`` with
``Next_Hop`` as its object), with the columns pybatfish documents: ``Node``, ``VRF``,
``Network``, ``Next_Hop`` (``{"type": "ip", "ip": ...}``, ``{"type": "interface",
"interface": ..., "ip": ...}``, ``{"type": "discard"}``) or the older ``Next_Hop_IP`` and
``Next_Hop_Interface``, ``Protocol``, ``Metric``; ``bgpRib()`` adds ``Status`` (``BEST``),
``AS_Path``, ``Local_Pref``, ``Communities``, ``Received_From_IP``.

One file is one router: rows of several nodes are refused, with the question that keeps one.
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

_PROTOCOLS = {"ibgp": "bgp", "bgp": "bgp", "connected": "connected", "local": "local"}


def detect(head: str) -> bool:
    return json_head(head, '"Network"', '"Node"') and ('"Next_Hop' in head or '"AS_Path"' in head)


def _node(row: dict[str, Any]) -> str:
    node = row.get("Node")
    if isinstance(node, dict):  # the answer's own form: {"id": ..., "name": ...}
        node = node.get("name")
    return str(node)


ROWS = ((), ("answerElements", "*", "rows"))
"""Where the rows are: the document itself (a list), or the answer's first element's."""


def parse(ctx: ParseContext) -> None:
    """Each document's rows, streamed (:mod:`routeplan.rib.jsonstream`): a row whose network
    cannot matter is counted without a route being made; every row's node is checked to be
    the document's one."""
    nodes: dict[str, tuple[str, ...]] = {}
    rows = table(
        ctx,
        functools.partial(_streamed, ctx, nodes),
        kind="[",
        member="Network",
        routes=functools.partial(_held, ctx, nodes),
        only=lambda where, _: where == () or where[1] == 0,
        same=("Node",),
        same_texts=lambda: next(iter(nodes.values()), None),
        counted=True,  # one route a row
    )
    walk(ctx, dict.fromkeys(ROWS, rows), several=True, each=lambda doc, line: nodes.clear())


def _one_node(ctx: ParseContext, nodes: dict[str, tuple[str, ...]], row: dict[str, Any]) -> None:
    """Refuse a row of another node than the document's first (one router, one answer); the
    first one's Node as JSON text ("": absent) for the C skimmer."""
    if not nodes:
        nodes[_node(row)] = (json.dumps(row["Node"]) if "Node" in row else "",)
    nodes.setdefault(_node(row), ())
    if len(nodes) > 1:
        raise InputError(
            f"this Batfish answer holds the routes of more than one node ({', '.join(nodes)});"
            " routeplan checks each router on its own",
            source=ctx.source,
            hint='ask for one node: bf.q.bgpRib(nodes="NAME") (or routes(nodes="NAME")), '
            "save its rows, then routeplan diff -r NAME=FILE",
        )


def _held(
    ctx: ParseContext, nodes: dict[str, tuple[str, ...]], text: str, where: object
) -> int | None:
    """One route for a row that cannot matter (counted, as the C skimmer counts it, without
    its columns being checked), its node checked."""
    try:
        row = scan_value(text)
    except ValueError:
        return None
    if not isinstance(row, dict):
        return None
    _one_node(ctx, nodes, row)
    return 1


def _streamed(ctx: ParseContext, nodes: dict[str, tuple[str, ...]], item: Item) -> None:
    row = item.checked()
    if isinstance(row, dict):
        _one_node(ctx, nodes, row)
    if not isinstance(row, dict) or not isinstance(row.get("Network"), str):
        ctx.bad(item.line, "row", "a row without a Network")
        return
    _row(ctx, row, item.line_of('"Network"'))


def _next_hop(row: dict[str, Any]) -> tuple[str | None, str | None] | None:
    """(address, interface) of a row; None when the column is not Batfish's form."""
    hop = row.get("Next_Hop")
    if isinstance(hop, dict):
        kind = hop.get("type")
        address, iface = hop.get("ip"), hop.get("interface")
        if kind not in ("ip", "interface", "discard", "vrf", "vtep"):
            return None
        if not all(v is None or isinstance(v, str) for v in (address, iface)):
            return None
        return (address or None), (iface or ("Null0" if kind == "discard" else None))
    if hop is not None:
        return None
    address, iface = row.get("Next_Hop_IP"), row.get("Next_Hop_Interface")
    if not all(v is None or isinstance(v, str) for v in (address, iface)):
        return None
    # the older columns print AUTO/NONE_IP and dynamic for "none"
    address = None if address in (None, "", "AUTO/NONE(-1l)", "0.0.0.0") else address
    return address, (None if iface in (None, "", "dynamic") else iface)


_Columns = tuple[tuple[str | None, str | None], str, list[Any], list[str], dict[str, int | None]]


def _columns(row: dict[str, Any]) -> _Columns | None:
    """A row's next hop, AS path, status, communities and numbers; None when its columns are
    not Batfish's."""
    hop = _next_hop(row)
    # bgpRib() rows (they have Status) always carry AS_Path; routes() rows have none
    path = row.get("AS_Path") if "Status" in row else row.get("AS_Path", "")
    status = row.get("Status", [])
    communities = row.get("Communities") or []
    numbers = {k: json_int(row.get(k)) for k in ("Metric", "Local_Pref")}
    if (
        hop is None
        or not isinstance(path, str)
        or not isinstance(status, list)
        or not (isinstance(communities, list) and all(isinstance(c, str) for c in communities))
        or any(row.get(k) is not None and numbers[k] is None for k in numbers)
    ):
        return None
    return hop, path, status, communities, numbers


def _row(ctx: ParseContext, row: dict[str, Any], line: int) -> None:
    network = row["Network"]
    columns = _columns(row)
    if columns is None:
        ctx.bad(line, network, "a row whose columns are not Batfish's (Next_Hop, AS_Path, "
                               "Status, Communities, Metric, Local_Pref)")  # fmt: skip
        return
    hop, path, status, communities, numbers = columns
    prefix = ctx.prefix(network, line, network)
    if prefix is None:
        return
    as_path = ctx.as_path(path, line, network)
    if as_path is None:
        return
    protocol = str(row.get("Protocol") or "").lower()
    vrf, peer = row.get("VRF"), row.get("Received_From_IP")
    ctx.add(
        make_route(
            ctx,
            prefix,
            line,
            next_hop=hop[0],
            as_path=as_path,
            communities=tuple(communities),
            local_pref=numbers["Local_Pref"],
            metric=numbers["Metric"],
            best="BEST" in status if "Status" in row else True,
            protocol=_PROTOCOLS.get(protocol, protocol or "unknown"),
            vrf=None if vrf in (None, "default") or not isinstance(vrf, str) else vrf,
            interface=hop[1],
            peer=peer if isinstance(peer, str) else None,
        )
    )


FORMAT = RibFormat(
    name="batfish-json",
    title="Batfish routes() / bgpRib() answer (JSON)",
    commands=(
        'bf.q.bgpRib(nodes="NAME").answer() saved as JSON (its rows)',
        'bf.q.routes(nodes="NAME").answer().frame().to_json(orient="records")',
    ),
    detect=detect,
    parse=parse,
    notes="one row, one route; best from Status (bgpRib); routes() rows are the main RIB's",
    refuses=(
        "an answer holding several nodes' rows: refused, with the question that keeps one",
        "CSV exports: Next_Hop's text form is not a stable format; save the rows as JSON",
    ),
)
