"""OpenBGPD's ``bgpctl show rib`` (text) and ``bgpctl -j show rib [detail]`` (JSON).

The text table (bgpctl 7 and later)::

    flags ovs destination          gateway          lpref   med aspath origin
    *>      N 13.107.128.0/24      10.255.1.2        100     0 12076 i
    *       N 13.107.128.0/24      10.255.2.2        100     0 64600 8075 i

The flags (``*`` valid, ``>`` selected, ``I`` via IBGP, ``A`` announced, ``S`` stale, ``E``
error) and the validation-state letters come first; then the destination, the gateway (the
BGP next hop), LOCAL_PREF, MED, the AS path and the origin code, in that order. A row that is
not that (a number where a number belongs, an address where the gateway is) is refused whole.

The JSON form is a ``{"rib": [...]}`` of entries with ``prefix``, ``aspath`` (text),
``exit_nexthop``, ``neighbor.remote_addr``, ``valid``, ``best``, ``metric`` (the MED),
``localpref``; with ``detail``, ``communities`` and ``large_communities``.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from typing import Any

from routeplan.rib.base import (
    MAX_LINE,
    ParseContext,
    RibFormat,
    command_echo,
    json_head,
    json_int,
    make_route,
    number,
)
from routeplan.rib.bgplayout import LineSkim, load_skim, skimmed_lines
from routeplan.rib.jsonstream import Item, table, walk

_HEADER = re.compile(
    r"^flags\s+(?:[a-z]+\s+)*destination\s+gateway\s+lpref\s+med\s+aspath\s+origin"
)
_LEGEND = re.compile(r"^(?:flags|origin validation state|origin|validation state)\s*:|^\S = ")
"""bgpctl's legend lines (printed before each table): never a route row, which begins with its
flags, a state letter or the destination."""
_FLAGS = re.compile(r"^[*>IASE=]+$")
_ORIGINS = ("i", "e", "?")


def detect(head: str) -> bool:
    return any(_HEADER.match(line.strip()) for line in head.splitlines()[:12])


def detect_json(head: str) -> bool:
    return json_head(head, '"rib"', '"exit_nexthop"')


def _address(text: str) -> bool:
    """
    >>> _address("10.255.1.2"), _address("fd00:255:1::2"), _address("100")
    (True, True, False)
    """
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


OPENBGPD_SKIM: LineSkim | None = load_skim("openbgpd_skim")
"""The C skimmer of ``bgpctl show rib`` rows (``_skim.c``), or None (no compiler at install,
or ``ROUTEPLAN_PURE=1``): then Python reads every row, with the same result."""
BLOCK = 1 << 17


def parse(ctx: ParseContext) -> None:
    header_seen = False
    n = 0

    def skim_args() -> tuple[object, ...] | None:
        # inside a table, past the lines a command echo may take: rows only, each on its line
        return (MAX_LINE,) if header_seen and n >= 3 else None

    for n, line in skimmed_lines(ctx, OPENBGPD_SKIM, skim_args, BLOCK):
        text = line.strip()
        if not text or (n <= 3 and command_echo(text)):
            continue
        if _HEADER.match(text):
            header_seen = True
            continue
        if not header_seen or _LEGEND.match(text):
            continue  # the legend above a table ("flags: * = Valid, ...", "S = Stale, ...")
        _row(ctx, n, line, text)


def _row(ctx: ParseContext, n: int, line: str, text: str) -> None:
    tokens = text.split()
    flags = tokens[0] if tokens and _FLAGS.match(tokens[0]) else ""
    # the destination: the first word that holds a '/'; before it, flags and state letters
    at = next((i for i, t in enumerate(tokens) if "/" in t), None)
    if at is None or len(tokens) < at + 5:
        ctx.bad(n, line, "not a bgpctl show rib row: destination, gateway, lpref, med, "
                         "aspath, origin")  # fmt: skip
        return
    network, gateway, lpref, med = tokens[at : at + 4]
    rest = tokens[at + 4 :]
    if not _address(gateway) or number(lpref) is None or number(med) is None:
        ctx.bad(n, line, "the gateway, lpref or med column does not hold what it should")
        return
    if rest[-1] not in _ORIGINS:
        ctx.bad(n, line, "the row does not end with an origin code (i, e or ?)")
        return
    prefix = ctx.prefix(network, n, line)
    if prefix is None:
        return
    as_path = ctx.as_path(" ".join(rest[:-1]), n, line)
    if as_path is None:
        return
    ctx.add(
        make_route(
            ctx,
            prefix,
            n,
            next_hop=gateway,
            as_path=as_path,
            local_pref=number(lpref),
            metric=number(med),
            best=">" in flags,
            valid="*" in flags,
        )
    )


def parse_json(ctx: ParseContext) -> None:
    """Each document's ``rib`` list, streamed (:mod:`routeplan.rib.jsonstream`): an entry whose
    prefix cannot matter is counted without being decoded."""
    rows = table(ctx, functools.partial(_json_row, ctx), kind="[", member="prefix")
    walk(ctx, {("rib",): rows}, several=True)


def _json_row(ctx: ParseContext, item: Item) -> None:
    entry = item.checked()
    if not isinstance(entry, dict) or not isinstance(entry.get("prefix"), str):
        ctx.bad(item.line, "rib", "an entry is not an object with a prefix")
        return
    _entry(ctx, entry, item.line_of('"prefix"'))


def _strings(value: object) -> list[str] | None:
    if value is None:
        return []
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _entry(ctx: ParseContext, entry: dict[str, Any], line: int) -> None:
    network = entry["prefix"]
    hop = entry.get("exit_nexthop")
    aspath = entry.get("aspath")
    communities = _strings(entry.get("communities"))
    large = _strings(entry.get("large_communities"))
    if not isinstance(hop, str) or not _address(hop) or not isinstance(aspath, str):
        ctx.bad(line, network, "an entry without a next hop address or an AS path")
        return
    if communities is None or large is None:
        ctx.bad(line, network, "its communities are not a list of strings")
        return
    metric, local_pref = json_int(entry.get("metric")), json_int(entry.get("localpref"))
    if (entry.get("metric") is not None and metric is None) or (
        entry.get("localpref") is not None and local_pref is None
    ):
        ctx.bad(line, network, "its metric or localpref is not a number")
        return
    prefix = ctx.prefix(network, line, network)
    if prefix is None:
        return
    as_path = ctx.as_path(aspath, line, network)
    if as_path is None:
        return
    neighbor = entry.get("neighbor")
    peer = neighbor.get("remote_addr") if isinstance(neighbor, dict) else None
    ctx.add(
        make_route(
            ctx,
            prefix,
            line,
            next_hop=hop,
            as_path=as_path,
            communities=tuple(communities + large),
            local_pref=local_pref,
            metric=metric,
            best=entry.get("best") is True,
            valid=entry.get("valid") is True,
            peer=peer if isinstance(peer, str) else None,
        )
    )


FORMAT = RibFormat(
    name="openbgpd",
    title="OpenBGPD bgpctl show rib (text)",
    commands=("bgpctl show rib", "bgpctl show rib in|out neighbor ADDRESS"),
    detect=detect,
    parse=parse,
    notes="the gateway column is the BGP next hop; the table view prints no communities",
    refuses=(
        "`bgpctl show rib detail` (one block a path): refused, not recognised as a route"
        " table; use `bgpctl -j show rib detail`",
        "`bgpctl show summary`, `bgpctl show neighbor`: not route tables",
    ),
)

JSON_FORMAT = RibFormat(
    name="openbgpd-json",
    title="OpenBGPD bgpctl -j show rib (JSON)",
    commands=("bgpctl -j show rib", "bgpctl -j show rib detail"),
    detect=detect_json,
    parse=parse_json,
    notes="exit_nexthop is the next hop; communities with `detail`",
    refuses=(
        "`bgpctl -j show summary` and other documents without `rib`: refused, not recognised"
        " as a route table",
    ),
)
