"""Cisco NX-OS ``show ip route`` and ``show ipv6 route`` (``[vrf X|all]``).

A destination line (``10.0.0.0/8, ubest/mbest: 1/0``) and one ``via`` line per path below
it::

    IP Route Table for VRF "default"
    10.0.0.0/8, ubest/mbest: 1/0
        *via 10.1.1.1, Eth1/1, [110/41], 3w0d, ospf-1, intra
    0.0.0.0/0, ubest/mbest: 1/0
        *via 10.1.100.1%management, [1/0], 6d02h, static

One route per ``via`` line: its next hop (the ``%VRF`` after it names the next hop's VRF, and
is not part of the address), its interface when printed, the metric of ``[preference/metric]``
and the protocol (``bgp-65000`` is BGP). ``*`` marks the best paths. This view prints no AS
path: a BGP route's ``tag`` is not its path, and routeplan does not make one of it.
"""

from __future__ import annotations

import re

from routeplan.rib.base import (
    MAX_LINE,
    ParseContext,
    RibFormat,
    Route,
    command_echo,
    make_route,
    number,
)
from routeplan.rib.bgplayout import LineSkim, load_skim, skimmed_lines

_TABLE = re.compile(r'^IP(?:v6)? Rout(?:e|ing) Table for VRF "([^"]*)"')
_DEST = re.compile(r"^([0-9A-Fa-f:.]+/\d{1,3}), ubest/mbest: \d+/\d+")
_VIA = re.compile(
    r"^\s+(\*{0,2})via ([^\s,]+)((?:, [^\[\s,][^,]*)?), \[(\d+)/(\d+)\], ([^,]+), ([^,\s]+)"
)
"""``*via HOP[%VRF][, IFACE], [PREF/METRIC], AGE, PROTOCOL[-INSTANCE][, more]``."""
PROTOCOLS = {
    "bgp": "bgp",
    "ospf": "ospf",
    "ospfv3": "ospf",
    "eigrp": "eigrp",
    "isis": "isis",
    "rip": "rip",
    "static": "static",
    "direct": "connected",
    "local": "local",
    "hsrp": "hsrp",
    "vrrp": "vrrp",
    "am": "adjacency",
    "discard": "static",
}


NXOS_SKIM: LineSkim | None = load_skim("nxos_skim")
"""The C skimmer of NX-OS destinations (``_skim.c``), or None (no compiler at install, or
``ROUTEPLAN_PURE=1``): then Python reads every line, with the same result."""
BLOCK = 1 << 17


def _anywhere() -> tuple[object, ...]:
    """The skimmer may be asked before any line: it passes over a destination only from its
    line to the next destination line, where the reader would start one too."""
    return (MAX_LINE,)


def detect(head: str) -> bool:
    return bool(re.search(r'^IP(?:v6)? Rout(?:e|ing) Table for VRF "', head, re.M)) and (
        "ubest/mbest" in head or "'[x/y]' denotes" in head
    )


class _Destination:
    """The destination being read and its routes, added when it ends: a line of it that
    cannot be read drops them all (strict: refused; --lenient: skipped whole, counted once)."""

    def __init__(self, ctx: ParseContext) -> None:
        self.ctx = ctx
        self.network: str | None = None
        self.line = 0
        self.raw = ""
        self.paths = 0
        self.broken = False
        self.routes: list[Route] = []

    def start(self, network: str | None, line: int = 0, raw: str = "") -> None:
        self.end()
        self.network, self.line, self.raw = network, line, raw
        self.paths, self.broken, self.routes = 0, False, []

    def end(self) -> None:
        if self.network is not None and not self.broken:
            if self.paths == 0:
                self.ctx.bad(self.line, self.raw, "a destination with no via line below it")
            for route in self.routes:
                self.ctx.add(route)
        self.network, self.routes = None, []


def parse(ctx: ParseContext) -> None:
    vrf: str | None = None
    dest = _Destination(ctx)
    after_via = False
    interest = ctx.interest
    for n, line in skimmed_lines(ctx, NXOS_SKIM, _anywhere, BLOCK):
        text = line.strip()
        if not text:
            after_via = False
            continue
        table = _TABLE.match(text)
        if table:
            dest.start(None)
            vrf = None if table.group(1) in ("", "default") else table.group(1)
            continue
        if text.startswith(("'", "% ", "Route not found")) or (n <= 2 and command_echo(text)):
            continue  # the legend; "% Network not in table", "Route not found" (an empty VRF)
        found = _DEST.match(text)
        if found:
            dest.start(found.group(1), n, line)
            after_via = False
            continue
        via = _VIA.match(line) if "via " in line else None
        network = dest.network
        if via and network is not None:
            dest.paths += 1
            after_via = True
            if interest is not None and not interest.maybe(network, line):
                ctx.count(6 if ":" in network else 4)  # cannot matter: counted, not parsed
                continue
            prefix = ctx.prefix(network, dest.line, dest.raw)
            if prefix is None:
                dest.broken = True
                continue
            target = via.group(2).split("%", 1)[0]
            iface = via.group(3).lstrip(", ").strip() or None
            hop: str | None = target
            if not (":" in target or target[:1].isdigit()):
                hop, iface = None, target  # "via Null0": a route to an interface
            protocol = via.group(7).split("-", 1)[0].lower()
            dest.routes.append(
                make_route(
                    ctx,
                    prefix,
                    n,
                    next_hop=hop,
                    metric=number(via.group(5)),
                    best=bool(via.group(1)),
                    protocol=PROTOCOLS.get(protocol, protocol),
                    vrf=vrf,
                    interface=iface,
                )
            )
            continue
        if after_via and not line[:1].isspace() and "via " not in line:
            continue  # the end of a via line wrapped at the terminal's width (segid, encap)
        dest.broken = dest.network is not None
        ctx.bad(n, line, "not a line of NX-OS show ip route")
    dest.end()


FORMAT = RibFormat(
    name="nxos-route",
    title="Cisco NX-OS routing table",
    commands=("show ip route", "show ipv6 route", "show ip route vrf all"),
    detect=detect,
    parse=parse,
    notes="one route per via line; prints no AS path (a BGP route's tag is not read as one)",
    refuses=("`show ip route summary`, one route's detail: no destination and via lines to read",),
)
