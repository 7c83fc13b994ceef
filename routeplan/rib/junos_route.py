"""Juniper Junos ``show route`` (brief, detail, extensive) and the ``receive-protocol`` /
``advertising-protocol bgp`` tables, as text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from routeplan.model import Prefix
from routeplan.rib.base import MAX_LINE, ParseContext, RibFormat, command_echo, make_route, number
from routeplan.rib.bgplayout import LineSkim, load_skim, skimmed_lines

Token = tuple[int, int, str]
"""A word of a line: where it starts, where it ends, its text."""

PROTOCOLS = {
    "direct": "connected",
    "local": "local",
    "static": "static",
    "bgp": "bgp",
    "ospf": "ospf",
    "ospf3": "ospf",
    "isis": "isis",
    "aggregate": "aggregate",
    "rip": "rip",
}
_TABLE = re.compile(r"^\s*(\S+): \d+ destinations, \d+ routes", re.MULTILINE)
_DEST = re.compile(r"^(\s*)([0-9A-Fa-f:.]+/\d{1,3})\s*(.*)$")
_ENTRY = re.compile(r"^\s*([*+\-]*)\s*\[(\w[\w-]*)/(\d+)[^\]]*\](.*)$")
_EXT_ENTRY = re.compile(r"^\s*([*+\-]*)\s*([A-Za-z][\w-]*)\s+Preference:")
_HOP = re.compile(r"^\s*(>?)\s*(?:to\s+(\S+)\s+|Local\s+)?via\s+([^\s,]+)")
_NEXT_HOP = re.compile(r"^\s*Next hop:\s+(?!via\b)([^\s,]+),?(?:\s+via\s+([^\s,]+))?(.*)$")
_METRIC = re.compile(r"\bMetric: (\d+)")
_NEXT_HOP_IFACE = re.compile(r"^\s*Next hop:\s+via\s+([^\s,]+)(.*)$")
"""``Next hop: via lo0.0, selected``: a route to an interface, with no address."""
_DEST_INFO = (
    "TSI:",
    "KRT ",
    "Page ",
    "Restart ",
    "State:",
    "Originating RIB:",
    "Secondary Tables:",
    "Node path count:",
    "Forwarding nexthops:",
    # the TSI's "Advertised metrics" block: what the router sends, not the route it holds
    "Advertised metrics:",
    "Flags:",
    "Nexthop:",
    "MED:",
    "Localpref:",
    "AS path:",
    "Communities:",
    "Advertise:",
    "Path ",
    "from ",
    "Vector len",
    "Multipath TSI",
    "Lead Route:",
    "Refcnt:",
    "Template:",
    "Object:",
    "Mode:",
    "VPN Label:",
)
"""Lines of the detail and extensive views that describe a destination, before its first
entry: nothing to read for a route."""
_HEADER = re.compile(r"^\s*Prefix\s+Nexthop\s+MED\s+Lclpref\s+AS path", re.MULTILINE)
_ANY_ENTRY = re.compile(r"^\S+/\d{1,3}\s+[*+-]?\[[A-Za-z][\w-]*/\d+\]", re.MULTILINE)
"""A destination and its first entry on one line, of any protocol (``*[LDP/9]``)."""
_ADV_DEST = re.compile(
    r"^\s*([*+\-]?)\s*([0-9A-Fa-f:.]+/\d{1,3})\s+\(\d+ entr(?:y|ies), \d+ announced\)\s*$"
)
"""A destination of ``advertising-protocol bgp X detail``: ``* 10.36.255.252/32 (1 entry, 1
announced)``, the status mark before it."""
_ADV_GROUP = re.compile(
    r"^\s*(?:BGP group \S+ type (?:Internal|External)|Accepted(?: [A-Za-z]+)*)\s*$", re.MULTILINE
)
"""The line that starts the one entry of an advertised destination."""
_ADV_INFO = ("Flags:", "Route Label:", "Entropy label capable", "Cluster ID:", "Originator ID:")
"""Lines of an advertised entry that hold nothing a route keeps."""


def detect(head: str) -> bool:
    return bool(_TABLE.search(head)) and (
        "[BGP/" in head
        or "[OSPF" in head
        or "[Static/" in head
        or "[Direct/" in head
        or _HEADER.search(head) is not None
        or "Preference:" in head
        or _ADV_GROUP.search(head) is not None
        or _ANY_ENTRY.search(head) is not None
    )


def table_vrf(name: str) -> tuple[str | None, bool]:
    """The VRF a Junos table name stands for, and whether it is an IP forwarding table.

    >>> table_vrf("inet.0"), table_vrf("CUST.inet6.0"), table_vrf("inet.3")
    ((None, True), ('CUST', True), (None, False))
    """
    for suffix in ("inet.0", "inet6.0"):
        if name == suffix:
            return None, True
        if name.endswith("." + suffix):
            return name[: -len(suffix) - 1], True
    return None, False


def junos_path_text(text: str) -> str:
    """The AS part of a Junos ``AS path:`` text, up to its origin code.

    >>> junos_path_text("(65151 65000) I, validation-state: unverified")
    '(65151 65000)'
    >>> junos_path_text("12076 Atomic I")
    '12076'

    An advertised route's ``[65171]`` is the local AS the router adds as it sends the route,
    not part of the path its table holds (the plain advertised view does not print it):

    >>> junos_path_text("[65171] (65151 65000) I")
    '(65151 65000)'
    """
    text = text.split(",", maxsplit=1)[0].replace("Recorded", "").replace("Atomic", "")
    kept: list[str] = []
    for token in text.split():
        if token in ("I", "E", "?"):
            break
        if token.startswith("[") and token.endswith("]") and token[1:-1].isdigit():
            continue
        kept.append(token)
    return " ".join(kept)


@dataclass
class _Entry:
    line: int
    protocol: str
    active: bool
    raw: str
    next_hop: str | None = None
    interface: str | None = None
    selected: bool = False
    as_path: tuple[int, ...] = ()
    communities: list[str] = field(default_factory=list)
    local_pref: int | None = None
    metric: int | None = None
    peer: str | None = None
    marked: bool = False
    """A line of it carries a marker (AS 12076, a next hop the policy names...)."""
    detail_form: bool = False
    """Started at ``BGP group ...`` or ``Accepted`` (advertising-/receive-protocol detail):
    its ``Nexthop:`` and ``MED:`` lines are the route's."""
    later: list[str] = field(default_factory=list)
    """Lines of a route that may not matter, read only when it does (see _Reader.quiet)."""


_DETAIL = ("AS path", "to ", "via ", ">")
"""How the lines under an entry of the brief form begin: never a destination or an entry."""


JUNOS_SKIM: LineSkim | None = load_skim("junos_skim")
"""The C skimmer of Junos destinations (``_skim.c``), or None (no compiler at install, or
``ROUTEPLAN_PURE=1``): then Python reads every line, with the same result."""
BLOCK = 1 << 17


class _Reader:
    def __init__(self, ctx: ParseContext) -> None:
        self.ctx = ctx
        self.interest = ctx.interest
        self.vrf: str | None = None
        self.wanted = True
        self.prefix: Prefix | None = None
        self.entry: _Entry | None = None
        self.columns: tuple[int, int, int] | None = None
        self.pending: tuple[str, int, bool] | None = None
        self.broken = False
        """A line of the current destination could not be read (``--lenient`` goes on): none
        of its routes is kept, never a route built from the lines around it."""
        self.adv_active: bool | None = None
        """In an advertised destination (``advertising-protocol ... detail``): whether it is
        marked active; None elsewhere."""
        self.quiet: tuple[str, int, str] | None = None
        """The destination (text, line, raw line) when its prefix cannot matter by itself: its
        routes are counted, and parsed only when a line of theirs carries a marker."""

    def flush(self) -> None:
        entry = self.entry
        self.entry = None
        if entry is None or not self.wanted:
            return
        if self.broken:
            return  # --lenient: a line of this destination could not be read; skipped whole
        if self.quiet is not None:
            name, line, raw = self.quiet
            if not entry.marked:
                self.ctx.count(6 if ":" in name else 4)  # cannot matter: counted, not parsed
                return
            self.quiet = None
            self.prefix = self.ctx.prefix(name, line, raw)
        self.catch_up(entry)
        prefix = self.prefix
        if prefix is None:
            return
        self.ctx.add(
            make_route(
                self.ctx,
                prefix,
                entry.line,
                next_hop=entry.next_hop,
                as_path=entry.as_path,
                communities=tuple(entry.communities),
                local_pref=entry.local_pref,
                metric=entry.metric,
                best=entry.active,
                protocol=PROTOCOLS.get(entry.protocol.lower(), entry.protocol.lower()),
                vrf=self.vrf,
                interface=entry.interface,
                peer=entry.peer,
            )
        )

    def run(self) -> None:
        for n, line in skimmed_lines(self.ctx, JUNOS_SKIM, self._skim_here, BLOCK):
            self.line(n, line)
        self.flush()
        if self.pending is not None:
            self.ctx.bad(self.pending[1], self.pending[0], "the file ends inside a route")

    def _skim_here(self) -> tuple[object, ...] | None:
        """Where the C skimmer may pass over destinations: in an IP table of the brief or
        detail views (not a table to pass over, nor a receive-/advertising-protocol one)."""
        if not self.wanted or self.columns is not None or self.adv_active is not None:
            return None
        return (MAX_LINE,)

    def mark(self, entry: _Entry, line: str) -> None:
        """Note a marker on a line of a route whose destination cannot matter by itself."""
        if self.quiet is not None and not entry.marked and self.interest is not None:
            entry.marked = self.interest.marked(line)

    def catch_up(self, entry: _Entry) -> None:
        """Read the lines put aside for a route that may not have mattered."""
        later, entry.later = entry.later, []
        for text in later:
            self.detail(entry, text)

    def line(self, n: int, line: str) -> None:  # noqa: C901  (one Junos route line, inline in the per-line loop)
        line = line.expandtabs()
        text = line.strip()
        if not text or text.startswith("+ = Active") or (n <= 3 and command_echo(text)):
            return
        entry = self.entry
        if (
            self.quiet is not None
            and entry is not None
            and self.columns is None
            and text.startswith(_DETAIL)
        ):
            self.mark(entry, line)
            entry.later.append(text)  # read only if the route turns out to matter
            return
        table = _TABLE.match(line)
        if table:
            self.flush()
            self.broken = False
            self.vrf, self.wanted = table_vrf(table.group(1))
            if not self.wanted and table.group(1) not in self.ctx.sections_skipped:
                self.ctx.sections_skipped.append(table.group(1))  # mpls.0, inet.3: named
            self.columns = None
            self.prefix = None
            self.quiet = None
            self.adv_active = None
            return
        if not self.wanted:
            return  # a table that is no IP unicast table (mpls.0 labels, inet.3): passed over
        if _HEADER.match(line):
            nh = line.index("Nexthop")
            self.columns = (
                line.index("MED") - nh,
                line.index("Lclpref") - nh,
                line.index("AS path") - nh,
            )
            return
        if self.columns is not None:
            self.table_row(n, line)
            return
        adv = _ADV_DEST.match(line)
        if adv:
            self.advertised(n, line, adv.group(2), adv.group(1))
            return
        if self.adv_active is not None and self.entry is None and _ADV_GROUP.match(line):
            # the first line of an advertised or received entry; inside an entry of the
            # extensive view, "Accepted" is one of its attributes
            self.entry = _Entry(n, "BGP", self.adv_active, line, detail_form=True)
            self.mark(self.entry, line)
            return
        dest = _DEST.match(line)
        if dest and "Originating RIB:" in dest.group(3):
            dest = None  # "10.100.5.5/32 Originating RIB: inet.0": a next hop's route, inside
        if dest and not text.startswith(_DETAIL):
            self.flush()
            self.broken = False
            name = dest.group(2)
            self.prefix = self.quiet = None
            if self.interest is not None and not self.interest.maybe(name, ""):
                self.quiet = (name, n, line)
            elif self.wanted:
                self.prefix = self.ctx.prefix(name, n, line)
            rest = dest.group(3).strip()
            if rest.startswith("("):  # extensive: "10.16.2.2/32 (1 entry, 1 announced)"
                return
            if rest:
                self.start_entry(n, rest, line)
            return
        if self.start_entry(n, text, line):
            return
        entry = self.entry
        if entry is None:
            if text.startswith(_DEST_INFO):
                return
            self.broken = self.prefix is not None or self.quiet is not None
            self.ctx.bad(n, line, "not part of a Junos route")
            return
        self.mark(entry, line)
        self.catch_up(entry)
        self.detail(entry, text)

    def advertised(self, n: int, line: str, name: str, status: str) -> None:
        """A destination of the advertised detail view; its entry starts at ``BGP group``."""
        self.flush()
        self.broken = False
        self.prefix = self.quiet = None
        self.adv_active = "*" in status or "+" in status
        if self.interest is not None and not self.interest.maybe(name, ""):
            self.quiet = (name, n, line)
        elif self.wanted:
            self.prefix = self.ctx.prefix(name, n, line)

    def start_entry(self, n: int, text: str, raw: str) -> bool:
        m = _ENTRY.match(text)
        ext = None if m else _EXT_ENTRY.match(text)
        if not m and not ext:
            return False
        self.flush()
        if m:
            marker, protocol, rest = m.group(1), m.group(2), m.group(4)
        else:
            assert ext is not None
            marker, protocol, rest = ext.group(1), ext.group(2), ""
        self.entry = _Entry(n, protocol, "*" in marker or "+" in marker, raw)
        self.mark(self.entry, raw)
        self.detail(self.entry, rest)
        return True

    def detail(self, entry: _Entry, text: str) -> None:  # noqa: C901  (one line of the Junos detail view, one branch per attribute)
        for part in text.split(","):
            words = part.split()
            if len(words) >= 2 and words[0] in ("MED", "metric", "localpref", "from"):
                value = words[1]
                if words[0] == "from":
                    entry.peer = value
                elif number(value) is not None:
                    if words[0] == "localpref":
                        entry.local_pref = number(value)
                    else:
                        entry.metric = number(value)
        if text.startswith("AS path:"):
            path = self.ctx.as_path(junos_path_text(text[len("AS path:") :]), entry.line, text)
            if path is not None:
                entry.as_path = path
            return
        metric = _METRIC.search(text)
        if metric and text.startswith(("Age:", "Metric:")):  # "Age: 6d 17:23:01  Metric: 1201"
            entry.metric = number(metric.group(1))
        if text.startswith(("MED:", "Nexthop:")) and entry.detail_form:
            key, value = (x.strip() for x in text.split(":", 1))
            if key == "MED":
                entry.metric = number(value)
                if entry.metric is None:
                    self.broken = True
                    self.ctx.bad(entry.line, text, "a MED that is not a number")
            else:  # the router itself ("Self") is no address to keep
                entry.next_hop = None if value == "Self" else value
            return
        if text.startswith(_ADV_INFO) and entry.detail_form:
            return
        if text.startswith("Communities:"):
            entry.communities.extend(text[len("Communities:") :].split())
            return
        if text.startswith("Localpref:"):
            value = text.split(":", 1)[1].strip()
            entry.local_pref = number(value)
            return
        if text.startswith("Source:") and entry.peer is None:
            entry.peer = text.split(":", 1)[1].strip() or None
            return
        iface = _NEXT_HOP_IFACE.match(text)
        if iface:
            if entry.next_hop is None and (entry.interface is None or "selected" in iface.group(2)):
                entry.interface = iface.group(1)
            return
        hop = _NEXT_HOP.match(text)
        if hop:
            if entry.next_hop is None or "selected" in hop.group(3):
                entry.next_hop, entry.interface = hop.group(1), hop.group(2)
            return
        via = _HOP.match(text)
        if via and ((entry.next_hop is None and entry.interface is None) or via.group(1)):
            entry.next_hop, entry.interface = via.group(2), via.group(3)

    def table_row(self, n: int, line: str) -> None:
        """A row of the receive-/advertising-protocol table (position-based columns)."""
        assert self.columns is not None
        tokens: list[Token] = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", line)]
        active = False
        if tokens and tokens[0][2] in ("*", "+", "-", "*+"):
            active = True
            tokens = tokens[1:]
        if self.pending is not None and tokens and not _DEST.match(tokens[0][2]):
            network, line_no, active_before = self.pending
            self.pending = None
            self.row(line_no, line, network, tokens, active or active_before)
            return
        if not tokens:
            return
        if len(tokens) == 1:
            self.pending = (tokens[0][2], n, active)
            return
        self.row(n, line, tokens[0][2], tokens[1:], active)

    def row(self, n: int, line: str, network: str, tokens: list[Token], active: bool) -> None:
        assert self.columns is not None
        if not self.wanted:
            return
        prefix = self.ctx.prefix(network, n, line)
        if prefix is None or not tokens:
            return
        start, end, next_hop = tokens[0]
        metric, local_pref, rest = place_numbers(start, end, tokens[1:], self.columns)
        path = self.ctx.as_path(junos_path_text(" ".join(t[2] for t in rest)), n, line)
        if path is None:
            return
        self.ctx.add(
            make_route(
                self.ctx,
                prefix,
                n,
                next_hop=None if next_hop == "Self" else next_hop,
                as_path=path,
                local_pref=local_pref,
                metric=metric,
                best=active,
                vrf=self.vrf,
            )
        )


def place_numbers(
    start: int, end: int, rest: list[Token], columns: tuple[int, int, int]
) -> tuple[int | None, int | None, list[Token]]:
    """The MED and local preference of a ``receive-protocol`` row, each from its own column,
    and the words left for the AS path.

    The columns are left-aligned and placed from the Nexthop column's start (``columns``: where
    MED, Lclpref and AS path start, counted from the next hop's start); a value longer than its
    column pushes what follows right, one space kept. So each number is the column whose start
    (pushed as the values before it push it) lies nearest, and a number nearest the AS path
    column is the path's first AS, never a MED.

    >>> row = "192.0.2.1            0                  12076 I"
    >>> words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\\S+", row)]
    >>> place_numbers(0, 9, words[1:], (21, 29, 40))[:2]
    (0, None)
    >>> row = "192.0.2.1                    10         12076 I"
    >>> words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\\S+", row)]
    >>> place_numbers(0, 9, words[1:], (21, 29, 40))[:2]
    (None, 10)
    >>> row = "192.0.2.1                               65001 I"
    >>> words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\\S+", row)]
    >>> place_numbers(0, 9, words[1:], (21, 29, 40))
    (None, None, [(40, 45, '65001'), (46, 47, 'I')])
    """
    med_at = start + columns[0]
    push = max(0, end + 1 - med_at)
    med_at += push
    lp_at, path_at = start + columns[1] + push, start + columns[2] + push
    metric = local_pref = None
    if rest and rest[0][2].isdigit():
        at = rest[0][0]
        nearest = min((abs(at - med_at), 0), (abs(at - lp_at), 1), (abs(at - path_at), 2))[1]
        if nearest == 0:
            metric = number(rest[0][2])
            more = max(0, rest[0][1] + 1 - lp_at)  # a long MED pushes the rest right
            lp_at, path_at, rest = lp_at + more, path_at + more, rest[1:]
            if (
                rest
                and rest[0][2].isdigit()
                and abs(rest[0][0] - lp_at) < abs(rest[0][0] - path_at)
            ):
                local_pref, rest = number(rest[0][2]), rest[1:]
        elif nearest == 1:
            local_pref, rest = number(rest[0][2]), rest[1:]
    return metric, local_pref, rest


def parse(ctx: ParseContext) -> None:
    _Reader(ctx).run()


FORMAT = RibFormat(
    name="junos-route",
    title="Juniper Junos routes (text)",
    commands=(
        "show route",
        "show route detail|extensive",
        "show route receive-protocol bgp X",
        "show route advertising-protocol bgp X",
        "show route advertising-protocol bgp X detail",
    ),
    detect=detect,
    parse=parse,
    notes="one route per entry, with its selected next hop; inet.3 and mpls.0 are skipped",
    refuses=(
        "`show bgp summary`, `show bgp neighbor X`: Junos summaries and neighbour details",
        "`advertising-protocol bgp X extensive` (route data at the destination level, no"
        " entries): refused, as not a route table (named with --format junos-route: at its"
        " first line it cannot place)",
        "tables other than `inet.0`, `inet6.0` and `NAME.inet[6].0` (`mpls.0`, `inet.3`, ...):"
        " skipped whole and named",
    ),
)
