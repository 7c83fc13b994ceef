"""The layout of Cisco-style BGP tables: the column header, the status codes, the shapes a
line may take, and the tables the C skimmer uses to pass over lines that cannot matter.
:mod:`routeplan.rib.bgptable` reads the tables with these."""

from __future__ import annotations

import array
import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from routeplan.rib.base import MAX_LINE, Interest, ParseContext

STATUS = frozenset("sdh*>irSmbxfactLVINel&|#uR=E")
"""Status and path-type characters printed before the network by the supported vendors."""
_STATUS_TEXT = "".join(sorted(STATUS))
_STATUS_STRIP = "".join(sorted(STATUS)) + " "
_HEX_LETTERS = frozenset("abcdefABCDEF")
"""Status characters that may also begin an IPv6 network glued to the status ("*>ifd00::/8")."""
_TOKEN = re.compile(r"\S+")

_TRAILERS = (
    "Total number of",
    "Displayed ",
    "Processed ",
    "For address family",
    "Load for",
    "Time source",
    # IOS-XE VPN tables: "AF-Private Import to Address-Family: L2VPN E-VPN, Pfx Count/Limit:
    # 2/1000" under a route distinguisher, before its routes
    "AF-Private Import",
)
_PREAMBLE = (
    "BGP table version",
    "BGP routing table information",
    "BGP router identifier",
    "Status codes",
    "Status:",
    "Route status codes",
    "Origin codes",
    "Peer ",
    "Router identifier",
)


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the columns of one table are, from its header line."""

    net_col: int
    nh_col: int
    metric_end: int | None
    """Right edge of the metric column, relative to the start of the next hop."""
    locprf_end: int | None
    weight_end: int | None
    fixed: bool = False
    """Every column is printed (Arista: ``-`` for blanks), so fields are found by count."""
    from_column: bool = False
    """IOS-XR advertised-routes: Network, Next Hop, From, AS Path."""
    squeezed: bool = False
    """The header's white space is squeezed: its columns say nothing about positions."""

    @property
    def aligned(self) -> bool:
        """Does a network start at the Network column, with further paths leaving it empty?
        Then the fast path (and the C skimmer) can read the table's lines."""
        return not self.squeezed and not self.from_column


def header_layout(line: str, *, fixed: bool = False) -> Layout | None:
    """The layout a header line announces, or None when the line is not a header.

    >>> h = header_layout("     Network          Next Hop            Metric LocPrf Weight Path")
    >>> h.net_col, h.nh_col, h.metric_end, h.locprf_end, h.weight_end
    (5, 22, 26, 33, 40)
    """
    line = line.replace("Next-hop", "Next Hop")  # IOS-XR spells it so in some releases
    if "Network" not in line or "Next Hop" not in line or "Path" not in line:
        return None
    net = line.index("Network")
    nh = line.index("Next Hop")

    def end(*names: str) -> int | None:
        for name in names:
            at = line.find(name)
            if at >= 0:
                return at + len(name) - nh
        return None

    from_column = "From" in line and "Metric" not in line
    squeezed = "Network Next Hop" in line
    return Layout(
        net,
        nh,
        end("Metric"),
        end("LocPrf", "LocPref"),
        end("Weight"),
        fixed=fixed or squeezed,  # squeezed: fields go in order
        from_column=from_column,
        squeezed=squeezed,
    )


def preamble_vrf(line: str) -> str | None:
    """The VRF a preamble or route-distinguisher line names, if any.

    >>> preamble_vrf("BGP routing table information for VRF vrf_a, address family IPv4 Unicast")
    'vrf_a'
    >>> preamble_vrf("Route Distinguisher: 300:1 (default for vrf VRF1) VRF Router ID 10.94.44.44")
    'VRF1'
    >>> preamble_vrf("Route Distinguisher: 200:1")
    'rd 200:1'
    >>> preamble_vrf("Route Distinguisher:") is None  # a capture cut short
    True
    """
    text = line.strip()
    if text.startswith("BGP routing table information for VRF"):
        return text.split("VRF", 1)[1].strip().split(",")[0].strip() or None
    if text.startswith("Route Distinguisher:"):
        if "default for vrf" in text:
            return text.split("default for vrf", 1)[1].split(")")[0].strip()
        rd = text.split(":", 1)[1].split()
        return "rd " + rd[0] if rd else None
    return None


def _status_end(line: str, start: int, nh_col: int) -> int:
    """Index just past the status field that begins at ``start`` (status characters, with
    single spaces between groups such as ``* i`` or ``* >``)."""
    j = start
    n = len(line)
    while j < n:
        c = line[j]
        if c == " ":
            k = j
            while k < n and line[k] == " ":
                k += 1
            if k >= n:
                return j
            stop = line.find(" ", k)
            tok = line[k : stop if stop >= 0 else n]
            if k >= nh_col - 1:
                return j
            if len(tok) <= 3 and all(ch in STATUS for ch in tok):
                # A second status group ("* i", "* >").
                j = stop if stop >= 0 else n
                continue
            p = 0
            while p < len(tok) and tok[p] in STATUS:
                p += 1
            hexish = ":" in tok and any(ch in "abcdef" for ch in tok[:p])
            if 0 < p < len(tok) and tok[p].isdigit() and not hexish:
                return k + p  # "x e10.10.0.2/32": a status letter glued to the network
            return j
        if c in STATUS:
            if c in _HEX_LETTERS and _ipv6_starts(line, j):
                return j  # "*>ifd00:1::/64": the network begins at this letter
            j += 1
            continue
        return j
    return j


_FURTHER = -1
"""A line's shape: a further path (the Network column is blank)."""
_HEXISH = -2
"""A line's shape: a network at the Network column, right after a status letter a to f (an
IPv6 network may begin at that letter: the general path decides)."""


def _shape(head: str, net_col: int) -> int:
    """What the fast path may assume of a line that begins with ``head`` (its first
    ``net_col + 2`` characters): 0, not a plain path line (the general path reads it);
    :data:`_FURTHER`; :data:`_HEXISH`; else 1 + where its network starts.

    >>> _shape(" *>  52", 5), _shape(" *>   5", 5), _shape(" *>    ", 5), _shape("  r  52", 5)
    (6, 7, -1, 0)
    >>> _shape(" *>ifd0", 5), _shape(" *>i10", 4), _shape("   Net", 4)
    (-2, 5, 0)
    """
    status = head[:net_col]
    if not ("*" in status or ">" in status) or status.strip(_STATUS_STRIP):
        return 0
    column = head[net_col:]
    if column == "  ":
        return _FURTHER
    if column[:1] == " ":
        return net_col + 2  # the network starts one column late
    if status[-1:] in _HEX_LETTERS:
        return _HEXISH
    return net_col + 1


_DIGITS = frozenset("0123456789")


def _ipv6_token(token: str) -> bool:
    """Could ``token`` be an IPv6 network (one beginning with a letter or a colon)?

    >>> _ipv6_token("fd00::/8"), _ipv6_token("::/0"), _ipv6_token(">"), _ipv6_token("e2001:db8::")
    (True, True, False, False)
    """
    return ":" in token and (token[0] == ":" or _ipv6_starts(token, 0))


def _ipv6_starts(line: str, at: int) -> bool:
    """Does an IPv6 network begin at ``at`` (a first group of one to four hex digits, then a
    colon)?

    >>> _ipv6_starts(" *>ifd00:1::/64", 4), _ipv6_starts(" *>ifd00:1::/64", 3)
    (True, False)
    >>> _ipv6_starts("*>e2001:db8::/32", 2)  # "e2001" is no group: "e" is the path type
    False
    """
    colon = line.find(":", at, at + 5)
    return colon > at and all(ch in "0123456789abcdefABCDEF" for ch in line[at:colon])


def _squeezed(nh_start: int, nh_col: int, tokens: list[tuple[int, int, str]]) -> bool:
    """Were the spaces of this path line squeezed (one between every word), so that its
    numbers are no longer under their columns? A line that starts a column or two early (IOS
    drops the leading space of a status such as ``* i``) is not. ``nh_start`` -1: the line
    has tabs, so only the spaces between the words tell.

    >>> line = "*> 10.1.1.0/24 10.82.15.252 0 0 65500 65340 ?"
    >>> import re; t = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\\S+", line)][2:]
    >>> _squeezed(15, 22, t)
    True
    >>> line = "* i199.16.104.96/27 10.66.166.3              0    100      0 11111 ?"
    >>> t = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\\S+", line)][2:]
    >>> _squeezed(20, 22, t)
    False
    """
    if 0 <= nh_start < nh_col - 3:
        return True
    return all(b[0] - a[1] == 1 for a, b in itertools.pairwise(tokens))


def _address_like(token: str) -> bool:
    """Is this token a next hop (so the token before it is a network)?

    >>> _address_like("10.0.0.1"), _address_like("fe80::1"), _address_like("-"), _address_like("0")
    (True, True, True, False)
    """
    return "." in token or ":" in token or token == "-"


SkimTables = tuple[bytes, bytes, bytes, bytes, tuple[str, ...]]


def skim_tables(interest: Interest | None) -> SkimTables | None:
    """What the C skimmer needs to know of an :class:`Interest`, as bitmaps: IPv4 first
    octets (with 0, for default routes), IPv4 first two octets and IPv6 first hextets inside
    catalog prefixes, and the markers (those with letters in lower case: the skimmer finds
    them in any case, as :meth:`Interest.marked` does). None when nothing can be skipped (no
    interest, or one that keeps everything) or a marker is not plain ASCII text of one line.

    >>> from routeplan.model import parse_prefix
    >>> octets, keys4, hextets, ranges4, markers = skim_tables(
    ...     Interest([parse_prefix("52.96.0.0/14")])
    ... )
    >>> [i for i in range(256) if octets[i >> 3] >> (i & 7) & 1], markers
    ([0, 52], ('12076',))
    >>> [f"{k >> 8}.{k & 255}" for k in range(65536) if keys4[k >> 3] >> (k & 7) & 1]
    ['52.96', '52.97', '52.98', '52.99']
    >>> [f"{v >> 24}.{v >> 16 & 255}.{v >> 8 & 255}.{v & 255}" for v in array.array("I", ranges4)]
    ['52.96.0.0', '52.99.255.255']
    """
    if interest is None or interest.everything:
        return None
    if not all(m.isascii() and "\n" not in m for m in interest.markers):
        return None
    if len(interest.markers) > 64:
        return None

    def bitmap(values: Iterable[int], size: int) -> bytes:
        out = bytearray(size // 8)
        for v in values:
            out[v >> 3] |= 1 << (v & 7)
        return bytes(out)

    octets = bitmap({0, *(int(o) for o in interest.octets4)}, 256)
    keys4 = bitmap(
        (int(a) << 8 | int(b) for a, _, b in (k.partition(".") for k in interest.keys4)), 65536
    )
    hextets = bitmap((int(h, 16) for h in interest.hextets6), 65536)
    ranges = array.array("I", (v for span in interest.ranges4 for v in span))
    ranges4 = ranges.tobytes() if ranges.itemsize == 4 else b""
    return octets, keys4, hextets, ranges4, interest.markers


def load_skim(name: str) -> Any:
    """The C function ``name`` of ``_skim.c``, or None: not built (no compiler at install) or
    ``ROUTEPLAN_PURE=1``; a reader then reads every line in Python, with the same result."""
    if os.environ.get("ROUTEPLAN_PURE") == "1":
        return None
    try:
        from routeplan.rib import _skim  # noqa: PLC0415
    except ImportError:
        return None
    return getattr(_skim, name)


LineSkim = Callable[..., tuple[int, int, int, int]]
"""A C line skimmer (``route_skim``, ``bird_skim``, ``csv_skim``): given a block of lines,
where to start, marker hints and the :func:`skim_tables`, then its own arguments; returns
where it stopped, the lines it passed over and the IPv4 and IPv6 paths it counted."""


def skimmed_lines(
    ctx: ParseContext,
    skim: LineSkim | None,
    skim_args: Callable[[], tuple[object, ...] | None],
    block: int,
) -> Iterator[tuple[int, str]]:
    """A file's numbered lines (as :meth:`ParseContext.lines` gives them), less those the C
    ``skim`` passes over and counts, asked before each line with what ``skim_args`` says
    (None: not here). Without a skimmer, an interest, or UTF-8 text: every line."""
    tables = skim_tables(ctx.interest)
    if skim is None or tables is None or not (ctx.has_text() or ctx.encoding.startswith("utf-8")):
        yield from enumerate(ctx.lines(), 1)
        return
    octets, keys4, hextets, ranges4, markers = tables
    n = 0
    for text in ctx.blocks(block):
        pos, end = 0, len(text)
        hints = [-1] * len(markers)
        while pos < end:
            args = skim_args()
            if args is not None:
                pos, lines, paths4, paths6 = skim(
                    text, pos, hints, octets, keys4, hextets, ranges4, markers, *args
                )
                n += lines
                ctx.count(4, paths4)
                ctx.count(6, paths6)
                if pos >= end:
                    break
            stop = text.find("\n", pos)
            line = text[pos:] if stop < 0 else text[pos:stop]
            pos = end if stop < 0 else stop + 1
            n += 1
            if len(line) >= MAX_LINE:
                ctx.too_long(n)
            yield n, line
