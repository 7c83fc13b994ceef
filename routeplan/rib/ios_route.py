"""Cisco IOS / IOS-XE ``show ip route`` and ``show ipv6 route``."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from routeplan.rib.base import (
    MAX_LINE,
    ParseContext,
    RibFormat,
    command_echo,
    make_route,
    number,
)
from routeplan.rib.bgplayout import LineSkim, load_skim, skimmed_lines

CODES = {
    "C": "connected",
    "L": "local",
    "S": "static",
    "B": "bgp",
    "O": "ospf",
    "IA": "ospf",
    "OI": "ospf",
    "OE1": "ospf",
    "OE2": "ospf",
    "ON1": "ospf",
    "ON2": "ospf",
    "E1": "ospf",
    "E2": "ospf",
    "N1": "ospf",
    "N2": "ospf",
    "D": "eigrp",
    "EX": "eigrp",
    "R": "rip",
    "i": "isis",
    "I1": "isis",
    "I2": "isis",
    "IS": "isis",
    "L1": "isis",
    "L2": "isis",
    "ia": "isis",
    "su": "isis",
    "M": "mobile",
    "U": "static",
    "o": "odr",
    "P": "static",
    "H": "nhrp",
    "l": "lisp",
    "a": "application",
    "ND": "nd",
    "NDp": "nd",
    "NDr": "nd",
    "LC": "local",
    "DCE": "nd",
    "NM": "nemo",
    "RL": "rpl",
    "m": "omp",
    "n": "nat",
    "Ni": "nat",
    "No": "nat",
    "Nd": "nat",
    "la": "lisp",
    "lr": "lisp",
    "ld": "lisp",
    "lA": "lisp",
    "le": "lisp",
    "lp": "lisp",
    "ls": "lisp",
    "p": "pfr",
    "r": "rib",
    "t": "traffic-engineering",
    # Arista EOS: a second code after a space ("B E", "O E1", "I L2", "A B")
    "E": "egp",
    "I": "isis",
    "A": "aggregate",
    "K": "kernel",
    "NG": "static",
    "O3": "ospf",
    "V": "vxlan",
    "DH": "dhcp",
    "DP": "static",
    "G": "gribi",
    "RC": "route-cache",
}
CODE_NAMES = tuple(CODES)
"""The route codes, for the C skimmer (``route_skim``)."""
BLOCK = 1 << 17
"""How many bytes the skimming reader reads and decodes at a time."""


ROUTE_SKIM: LineSkim | None = load_skim("route_skim")
"""The C skimmer of plain route lines (``_skim.c``), or None (no compiler at install, or
``ROUTEPLAN_PURE=1``): then Python reads every line, with the same result."""
_FLAGS = re.compile(r"[*+%&>]")
"""Marks printed with a route's code: * candidate default, + replicated, % next-hop override,
& replicated local. ``i*L1`` is IS-IS level 1 and a candidate default."""


def _codes(token: str) -> list[str] | None:
    """The route codes in one token (``i*L1`` -> ['i', 'L1']), or None if it holds any that
    is not a code.

    >>> _codes("i*L1"), _codes("n*Nd"), _codes("B*"), _codes("B>*"), _codes("10.0.0.0/8")
    (['i', 'L1'], ['n', 'Nd'], ['B'], ['B'], None)
    >>> _codes("*")
    []
    """
    parts = [p for p in _FLAGS.split(token) if p]
    if not parts:
        return [] if token else None  # marks alone: FRR's "C * fe80::/64" (not selected)
    if not all(p in CODES for p in parts):
        return None
    return parts


_TO_INTERFACE = re.compile(
    r"(?:\[\d+/\d+\]|is a summary),\s*(?:[\dwdhmsy:.]+,\s*)?([A-Za-z][\w/.:-]*)\s*$"
)
"""``[200/0], 2w0d, Null0`` or ``is a summary, 00:01:02, Null0``: a route to an interface."""
_NET = re.compile(r"^(?=[^.:]*[.:])[0-9A-Fa-f:.]+(?:/\d{1,3})?$")
_VIA = re.compile(
    r"via\s+([^\s,]+)(?:\s+\([\w.-]+:[\w.-]+\))?(?:,\s*(?:[\dwdhms:]+,\s*)?([A-Za-z][\w/.:-]*))?"
)
"""``via HOP[ (VRF:AF)][, AGE][, INTERFACE]``: IOS-XE names the next hop's VRF and family in
parentheses when it is in another table (``via 2109:1::2 (red:ipv6), 00:03:46, Vlan500``)."""
_FRR_VRF = re.compile(r"^VRF (\S+):$")
"""FRR's ``show ip route vrf all``: ``VRF default:``."""
_AGE_IFACE = re.compile(r"^(?=[^,]*\d)[\dwdhmsy:.]+, [A-Za-z][\w/.:-]*$")
"""The rest of a wrapped connected route: its age and interface."""
_AGE = re.compile(r"^(?=.*\d)[\dwdhmsy:.]+,$")
"""An age before the interface: ``04:43:54,``, ``3w4d,``, ``1y17w,``."""
_SUBNETTED = re.compile(r"^\s*(\S+)/(\d+) is (?:variably )?subnetted")


_ROUTE_LINE = re.compile(
    r"^ ?[A-Za-z][A-Za-z0-9*]*(?: [A-Za-z0-9]+)? +[0-9A-Fa-f:.]+/\d{1,3} "
    r"(?:\[\d+/\d+\] via|is directly connected)",
    re.MULTILINE,
)
"""A route line, for captures that start without the code table (``show route ... | begin``)."""


def detect(head: str) -> bool:
    return (
        "Codes: L - local, C - connected" in head
        or "Codes: C - connected" in head
        or "Codes: K - kernel route, C - connected" in head  # FRR (zebra)
        or "IPv6 Routing Table" in head
        or "Gateway of last resort" in head
        or _ROUTE_LINE.search(head) is not None
    )


@dataclass
class _Route:
    network: str
    protocol: str
    line: int
    raw: str
    selected: bool = True


def _via(text: str) -> tuple[str | None, str | None]:
    """(next hop, interface) from ``via 10.0.0.1, 00:01:02, Gi0/1`` or ``via Vlan1, directly
    connected``.

    >>> _via("[20/1] via 192.168.51.1%default, indirectly connected")
    ('192.168.51.1', None)
    >>> _via("is directly connected, 04:43:54, GigabitEthernet0/0/0/2")
    (None, 'GigabitEthernet0/0/0/2')
    >>> _via("[110/2] via 10.1.1.2, 00:00:10, Gi0/0")
    ('10.1.1.2', 'Gi0/0')
    >>> _via("[200/0] via 2109:1::2 (red:ipv6), 00:03:46, Vlan500")
    ('2109:1::2', 'Vlan500')
    """
    m = _VIA.search(text)
    if not m:
        if "directly connected" in text:
            tail = text.rsplit("directly connected,", maxsplit=1)[-1].split()
            # IOS-XR and IOS in a VRF print the age first ("04:43:54, Gi0/0/0/2", "3w4d,
            # Vlan5"); EOS may go on after the interface ("Tunnel11, Static Interface ...")
            while tail and _AGE.match(tail[0]):
                tail.pop(0)
            return None, (tail[0].rstrip(",") if "," in text and tail else None)
        return None, None
    target, iface = m.group(1).split("%", 1)[0], m.group(2)  # "%default": the hop's VRF
    if iface in ("directly", "indirectly"):
        iface = None  # "via 192.168.51.1%default, indirectly connected": no interface named
    if not (":" in target or target[:1].isdigit()):
        return None, target  # "via Null0" or "via Vlan1, directly connected"
    return target, iface


def parse(ctx: ParseContext) -> None:  # noqa: C901  (the per-line loop of show ip route, one branch per line kind)
    vrf: str | None = None
    mask: str | None = None
    current: _Route | None = None
    awaiting_via = False
    started = False
    legend = warned = False
    selected_mark = False  # FRR: "> - selected route" in the code table
    interest = ctx.interest

    def between_routes() -> int | None:
        """Where the C skimmer may pass over plain route lines: the mask of networks printed
        without one (-1: none), or None: not here (see ``route_skim``)."""
        if not started or awaiting_via or legend or warned:
            return None
        if mask is None:
            return -1
        return int(mask) if mask.isdigit() and str(int(mask)) == mask else 99  # 99: not skimmed

    for n, line in _numbered(ctx, between_routes):
        text = line.strip()
        if not text:
            continue
        if command_echo(text):
            continue  # the prompt and command, IOS-XR's time of the command
        if awaiting_via and current is not None and _AGE_IFACE.match(text):
            # IOS-XR wraps "is directly connected," before "00:05:52, Loopback60"
            _emit(ctx, current, n, None, text.split(",")[-1].strip(), vrf, text)
            awaiting_via = False
            continue
        frr_vrf = _FRR_VRF.match(text)
        if text.startswith(("VRF: ", "VRF name: ")) or frr_vrf:  # EOS, IOS-XR, FRR sections
            name = frr_vrf.group(1) if frr_vrf else text.split(":", 1)[1].strip()
            vrf = None if name in ("", "default") else name
            continue
        if text.startswith("!"):
            continue  # EOS: "! IP routing not enabled"
        if text.startswith("WARNING:") or (warned and text[:1].islower()):
            warned = True  # EOS: "WARNING: Some of the routes are not programmed in", "kernel..."
            continue
        warned = False
        if "> - selected route" in text:
            selected_mark = True  # FRR's code table: '>' marks the routes the RIB uses
        if legend and line[:1].isspace() and " - " in text:
            continue  # the code table goes on (EOS: "I L2 - IS-IS level 2, O3 - OSPFv3,")
        legend = text.startswith("Codes:")
        if text.startswith(("Routing Table:", "IPv6 Routing Table")):
            name = text.split(":", 1)[1].strip() if text.startswith("Routing Table:") else ""
            if text.startswith("IPv6 Routing Table - "):
                name = text.split(" - ")[1].strip()
            vrf = None if name in ("", "default") else name
            started = True
            continue
        if text.startswith(("Codes:", "Gateway of last resort", "Default gateway")) or (
            not started and not line[:1].isspace() and not text[:1].isupper()
        ):
            started = True
            continue
        sub = _SUBNETTED.match(line) if "subnetted" in line else None
        if sub:
            mask = sub.group(2)
            continue
        fields = text.split()
        code_tokens: list[str] = []
        marks = ""
        while fields and not _NET.match(fields[0]):
            codes = _codes(fields[0])
            if codes is None:
                break
            code_tokens.extend(codes)
            marks += fields.pop(0)
        is_route = bool(code_tokens and fields and _NET.match(fields[0]))
        if (
            not is_route  # EOS indents its route lines: a route line is never a next hop's
            and current is not None
            and (
                (line[:1].isspace() and ("via" in text or "directly" in text))
                or (text.startswith("[") and (line[:1].isspace() or awaiting_via))
            )
        ):
            hop, iface = _via(text)
            _emit(ctx, current, n, hop, iface, vrf, text)
            awaiting_via = False
            continue
        if text.startswith(("Last updated", "Known via", "Routing entry for")):
            continue  # timestamps and detail lines between routes
        if is_route:
            started = True
            if awaiting_via and current is not None:
                ctx.bad(current.line, current.raw, "a route with no next hop")
            code = code_tokens[0]
            protocol = CODES.get(code, code.lower())
            for extra in code_tokens[1:]:
                if protocol in {"ospf", "aggregate"}:
                    protocol = CODES.get(extra, protocol)
            network = fields[0]
            if "/" not in network and mask and ":" not in network:
                network = f"{network}/{mask}"
            # FRR marks the route its RIB selected with '>': one without it is not used
            current = _Route(network, protocol, n, line, ">" in marks or not selected_mark)
            if (
                interest is not None
                and ("via" in line or "directly connected" in line)
                and not line.rstrip().endswith(",")  # its interface is on the next line
                and not interest.maybe(network, line)
            ):
                ctx.count(6 if ":" in network else 4)  # cannot matter: counted, not parsed
                awaiting_via = False
                continue
            rest = " ".join(fields[1:])
            to_iface = _TO_INTERFACE.search(rest) if "via" not in rest else None
            if rest.endswith("is directly connected,"):
                awaiting_via = True  # IOS-XR: the age and interface on the next line
            elif "via" in rest or "directly connected" in rest:
                hop, iface = _via(rest)
                _emit(ctx, current, n, hop, iface, vrf, line)
                awaiting_via = False
            elif to_iface is not None:
                # a route to an interface (Null0 for a summary or a discard route)
                _emit(ctx, current, n, None, to_iface.group(1), vrf, line)
                awaiting_via = False
            else:
                awaiting_via = True
            continue
        if (
            not started
            or text.startswith(("+ -", "% ", "o -", "a -", "H -", "l -"))
            or "- " in text[:6]
        ):
            continue
        ctx.bad(n, line, "not a route line of show ip route / show ipv6 route")
    if awaiting_via and current is not None:
        ctx.bad(current.line, current.raw, "the file ends inside a route (no next hop)")


def _numbered(
    ctx: ParseContext, between_routes: Callable[[], int | None]
) -> Iterator[tuple[int, str]]:
    """The file's numbered lines, less the runs of plain route lines that cannot matter, which
    the C skimmer counts (``route_skim``) wherever ``between_routes`` says it may."""

    def skim_args() -> tuple[object, ...] | None:
        mask = between_routes()
        return None if mask is None else (mask, CODE_NAMES, MAX_LINE)

    return skimmed_lines(ctx, ROUTE_SKIM, skim_args, BLOCK)


def _emit(
    ctx: ParseContext,
    route: _Route,
    n: int,
    hop: str | None,
    iface: str | None,
    vrf: str | None,
    raw: str,
) -> None:
    interest = ctx.interest
    if interest is not None and not interest.maybe(route.network, f"{raw} {route.raw}"):
        # cannot matter (from the text, with its next hop): counted, not parsed
        ctx.count(6 if ":" in route.network else 4)
        return
    prefix = ctx.prefix(route.network, route.line, route.raw)
    if prefix is None:
        return
    metric = None
    bracket = re.search(r"\[(\d+)/(\d+)\]", raw) or re.search(r"\[(\d+)/(\d+)\]", route.raw)
    if bracket:
        metric = number(bracket.group(2))
    ctx.add(
        make_route(
            ctx,
            prefix,
            n,
            next_hop=hop,
            metric=metric,
            protocol=route.protocol,
            best=route.selected,
            vrf=vrf,
            interface=iface,
        )
    )


FORMAT = RibFormat(
    name="ios-route",
    title="Cisco IOS / IOS-XE, IOS-XR, Arista EOS and FRR routing table",
    commands=(
        "show ip route",
        "show ipv6 route",
        "show ip route vrf X",
        "FRR: show ip route [vrf all], show ipv6 route",
    ),
    detect=detect,
    parse=parse,
    notes="one route per next hop; 'is subnetted' headers give the mask of the networks below",
    refuses=(
        "`show ip route summary` and one route's detail (`Routing entry for ...`): refused, no"
        " route lines to read",
    ),
)
