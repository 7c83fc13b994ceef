"""The engine behind the Cisco-style BGP tables (IOS/IOS-XE, NX-OS, IOS-XR, FRR, Arista text).

They share a layout: a preamble, a column header (``Network  Next Hop  Metric LocPrf Weight
Path``), then one line per path, where further paths of the same network leave the network
column empty and a network too long for its column is printed alone with its path on the next
line. Numbers are right-aligned under their header, so blank columns are found by position,
relative to where the next hop starts (a long value pushes the columns after it to the right).

The hot loop looks at text only; a line is split into typed fields only when the
:class:`~routeplan.rib.base.Interest` says its route can matter. When the C skimmer
(``_skim.c``) is built, runs of lines that provably cannot matter never reach the loop at all:
it counts them and hands back everything else, so the results are the same without it. Where
it could not be built, the same rule as regular expressions (:mod:`routeplan.rib.skimre`) does
this work in Python's C regular-expression engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from routeplan.rib.base import MAX_LINE, Interest, ParseContext, Route, bounded, number
from routeplan.rib.bgplayout import (
    _DIGITS,
    _FURTHER,
    _HEXISH,
    _PREAMBLE,
    _STATUS_TEXT,
    _TOKEN,
    _TRAILERS,
    Layout,
    SkimTables,
    _address_like,
    _ipv6_token,
    _shape,
    _squeezed,
    _status_end,
    header_layout,
    load_skim,
    preamble_vrf,
    skim_tables,
)
from routeplan.rib.skimre import RegexSkimmer

Skim = Callable[
    [str, int, int, int, list[int], bytes, bytes, bytes, bytes, tuple[str, ...], int],
    tuple[int, int, int, int],
]


_L2VPN = re.compile(r"^(?:\[\d+\]\[|[\w.]+:[\w.]+:VEID-)")
"""A network that is an L2VPN route, not an IP prefix: EVPN (``[2][1.1.1.1:1][0][48][...]/20``)
or VPLS (``100:1051:VEID-2:Blk-1/136``). Its table is passed over and named."""


SKIM_C: Skim | None = load_skim("skim")
"""The C line skimmer (``_skim.c``), or None when it was not built or ``ROUTEPLAN_PURE=1``."""

SKIM: Skim | None = SKIM_C if SKIM_C is not None else RegexSkimmer()
"""The skimmer a table is read with: the C one, else the same rule as regular expressions
(:mod:`routeplan.rib.skimre`). None (tests only): Python reads every line."""

BLOCK = 1 << 17
"""How many bytes the skimming reader reads and decodes at a time."""


class BgpTableReader:
    """Reads one Cisco-style BGP table file into routes."""

    def __init__(
        self,
        ctx: ParseContext,
        *,
        fixed: bool = False,
        columns: tuple[int, int, int] | None = None,
        typed_status: bool = False,
    ) -> None:
        self.ctx = ctx
        self.fixed = fixed
        self.typed_status = typed_status
        """NX-OS: the status field is always as wide as the space before the Network column
        (status, then a path-type letter), so a network starts exactly at that column, even
        one that begins with a hex letter (``*>e122:122::/64`` is type e, network 122:122::)."""
        self.columns = columns
        """Right edges of metric, local preference and weight relative to the next hop, when
        the vendor's header does not line up with its values (IOS-XR)."""
        self.layout: Layout | None = None
        self.vrf: str | None = None
        self.net: str | None = None
        """The network the next path line without a network belongs to."""
        self.net_line = 0
        self.net_status = ""
        self.wrapped = False
        self.relevant = False
        """Whether further paths of :attr:`net` can matter (set by the slow path)."""
        self.skipped4 = self.skipped6 = 0
        """Paths the C skimmer counted without handing their lines to the loop."""
        self.skipping: str | None = None
        """The address family of a section being passed over whole (EVPN, VPLS, ...)."""
        self.pending: tuple[str, str, str, int, str] | None = None
        """A path line that ended after its next hop (net, next hop, status, line number,
        text): a long (IPv6) next hop pushed Metric, LocPrf, Weight and Path onto the next
        line, which :meth:`_continuation` reads by column."""
        self.passed: tuple[str, int, str | None, bool] | None = None
        """The path line passed over as one that cannot matter, when it is the last line read
        but blank ones (text, line number, status, whether it has its network): if a line of
        numbers below it carries a marker (its AS path has AS 12076), it is read after all."""

    # -- the hot loop -------------------------------------------------------------------------
    def run(self) -> None:
        ctx = self.ctx
        skim = SKIM
        tables = skim_tables(ctx.interest) if skim is not None else None
        if (
            skim is not None
            and tables is not None
            and (ctx.has_text() or ctx.encoding.startswith("utf-8"))
        ):
            self._run(self._skimmed(ctx.blocks(BLOCK), skim, tables))
        elif ctx.progress or ctx.has_text():
            self._run(enumerate(ctx.lines(keepends=True), 1))
        else:
            with ctx.open() as handle:
                self._run(enumerate(bounded(handle), 1))

    def _skimmed(
        self, blocks: Iterable[str], skim: Skim, tables: SkimTables
    ) -> Iterator[tuple[int, str]]:
        """Numbered lines for :meth:`_run`, less the runs of lines the C skimmer proves can
        be ignored (counted in :attr:`skipped4` and :attr:`skipped6`). Only whole groups (a
        network line and its further paths) are skipped, so the loop's current network is
        always right; it is asked only while the table's layout is a plain column one."""
        octets, keys4, hextets, ranges4, markers = tables
        n = 0
        for block in blocks:
            pos = 0
            end = len(block)
            hints = [-1] * len(markers)
            while pos < end:
                layout = self.layout
                if (
                    layout is not None
                    and layout.aligned
                    and not self.wrapped
                    and self.pending is None
                ):
                    pos, lines, paths4, paths6 = skim(
                        block,
                        pos,
                        layout.net_col,
                        layout.nh_col,
                        hints,
                        octets,
                        keys4,
                        hextets,
                        ranges4,
                        markers,
                        MAX_LINE,
                    )
                    if lines:
                        n += lines
                        self.skipped4 += paths4
                        self.skipped6 += paths6
                        if pos >= end:
                            break
                eol = block.find("\n", pos) + 1 or end
                n += 1
                yield n, block[pos:eol]
                pos = eol

    def _run(self, numbered: Iterable[tuple[int, str]]) -> None:  # noqa: C901  (the per-line loop of every Cisco-style table: one call per line, branches inline for speed)
        ctx = self.ctx
        interest = ctx.interest
        markers = interest.markers if interest is not None else ()
        # one marker without letters (the default: AS 12076) is looked for directly
        marker = (
            markers[0] if len(markers) == 1 and not any(c.isalpha() for c in markers[0]) else None
        )
        marked = interest.marked if interest is not None and marker is None else None
        # whether a route can matter is decided by one rule, Interest.maybe; the skimmers
        # pass over only what it would not keep (tests/test_keep_rule.py ties them to it)
        maybe = interest.maybe if interest is not None else None
        everything = interest is None or interest.everything
        shapes: dict[str, int] = {}
        """How lines begin (status and the first two characters of the Network column), for
        the current layout: see :func:`_shape`."""
        c4 = c6 = 0
        relevant = False
        six = False
        layout: Layout | None = None
        net_col = 0
        simple = False
        n = 0
        net: str | None = None
        c2 = 0
        for n, line in numbered:
            if len(line) >= MAX_LINE:
                ctx.too_long(n)
            if layout is None:
                self._preamble(line.rstrip("\n"))
                layout = self.layout
                if layout is not None:
                    net_col = layout.net_col
                    c2 = net_col + 2
                    simple = layout.aligned
                    shapes = {}
                continue
            st = line[:c2]
            shape = shapes.get(st)
            if shape is None:
                shape = shapes[st] = _shape(st, net_col)
            ok = shape != 0
            if ok and simple and self.skipping is None:
                if self.pending is not None:
                    self._unfinished()
                if shape != _FURTHER:
                    # A network: it starts at (or just after) the Network column.
                    if self.wrapped:
                        self._no_path_below()
                    start = shape - 1 if shape > 0 else net_col
                    sp = line.find(" ", start)
                    token = line[start:].rstrip() if sp < 0 else line[start:sp]
                    if ":" in token and "VEID-" in token and _L2VPN.match(token):
                        self._l2vpn(token)  # a VPLS table: passed over and named
                        net = None
                        continue
                    if (
                        not (token[:1] in _DIGITS or _ipv6_token(token))
                        or not token.isprintable()
                        or (shape == _HEXISH and ":" in token)
                    ):
                        # no network here (the columns do not line up), a tab or a control
                        # character, or an IPv6 network that may begin at the status letter
                        # before it ("*>ifd00::"): the general path decides
                        ok = False
                    else:
                        net = token
                        six = ":" in net
                        relevant = everything or maybe(net, line)  # type: ignore[misc]
                        if sp < 0:  # wrapped: the path follows on the next line
                            self.net, self.net_line, self.net_status = net, n, st
                            self.wrapped = True
                            continue
                elif self.wrapped or net is None:
                    net = self.net = None
                    ctx.bad(n, line.rstrip("\n"), "a path line with no network before it")
                    continue
                if ok:
                    # a path of ``net``: the network's own line or a further path below it
                    if six:
                        c6 += 1
                    else:
                        c4 += 1
                    if (
                        relevant
                        or (marker is not None and marker in line)
                        or (marked is not None and marked(line))
                    ):
                        self.net, self.net_line, self.wrapped = net, n, False
                        self.passed = None
                        self._row(line.rstrip("\n"), n, has_net=shape != _FURTHER)
                    else:
                        self.passed = (line, n, None, shape != _FURTHER)
                    continue
            # Everything else: wrapped continuations, other layouts, noise, new tables.
            if net is not None and not self.wrapped:
                self.net = net
                self.relevant = relevant
            kind = self._slow(line.rstrip("\n"), n)
            net = self.net
            if kind:
                six = kind == 6
                relevant = self.relevant
                if six:
                    c6 += 1
                else:
                    c4 += 1
            layout = self.layout
            if layout is not None:
                if layout.net_col != net_col:
                    shapes = {}
                net_col = layout.net_col
                c2 = net_col + 2
                simple = layout.aligned
        if self.wrapped and self.net is not None:
            ctx.bad(
                self.net_line, self.net, "the file ends inside a route (a network with no path)"
            )
        if self.pending is not None:
            self._unfinished()
        ctx.count(4, c4 + self.skipped4)
        ctx.count(6, c6 + self.skipped6)

    # -- the rest -----------------------------------------------------------------------------
    def _section(self, text: str) -> bool:
        """A section line of a multi-section output (IOS-XR ``VRF: NAME`` and its rule,
        ``Address Family: IPv6 Unicast``, ``For address family: L2VPN EVPN``): it starts a new
        table, or a section of another address family that is passed over whole and named.
        True when the line was one."""
        if text.startswith(("Can't find neighbor", "% Can't find neighbor")):
            # NX-OS, for a VRF where the neighbour asked for does not exist: no table, said
            if text not in self.ctx.sections_skipped:
                self.ctx.sections_skipped.append(text.lstrip("% "))
            return True
        if text.startswith("VRF: "):
            self.vrf = text[5:].strip() or None
            self.skipping = None
        elif text.startswith(("Address Family: ", "Address family: ", "For address family: ")):
            family = text.split(":", 1)[1].strip()
            unicast = family.lower() in (
                "ipv4 unicast",
                "ipv6 unicast",
                "vpnv4 unicast",
                "vpnv6 unicast",
            )
            self.skipping = None if unicast else family
            if not unicast and family not in self.ctx.sections_skipped:
                self.ctx.sections_skipped.append(family)
        elif self.skipping is not None:
            return True  # inside a section of another family
        elif text and not text.strip("-"):
            return self.layout is None  # the rule under a section line
        else:
            return False
        if self.pending is not None:
            self._unfinished()
        self.layout = None
        self.net = None
        self.wrapped = False
        return True

    def _l2vpn(self, net: str) -> int:
        """An L2VPN route where a table's network belongs (``show bgp l2vpn evpn``, ``show ip
        bgp l2vpn vpls all``): the rest of its table is not IP routes, so it is passed over
        (until the next section) and named, never read as prefixes.

        >>> bool(_L2VPN.match("[2][1.1.1.1:1][0][48][000C293B2157][0][*]/20"))
        True
        >>> bool(_L2VPN.match("100:1051:VEID-2:Blk-1/136")), bool(_L2VPN.match("10.0.0.0/8"))
        (True, False)
        """
        name = "L2VPN EVPN routes" if net.startswith("[") else "L2VPN VPLS routes"
        self.skipping = name
        if name not in self.ctx.sections_skipped:
            self.ctx.sections_skipped.append(name)
        self.net, self.wrapped = None, False
        return 0

    def _preamble(self, line: str) -> None:
        if self._section(line.strip()):
            return
        layout = header_layout(line, fixed=self.fixed)
        if layout is not None:
            self.layout = layout
            return
        vrf = preamble_vrf(line)
        if vrf is not None:
            self.vrf = vrf

    def _slow(self, line: str, n: int) -> int:
        """Handle a line the fast path did not: the family (4 or 6) of a path it read, else 0.

        Sets :attr:`relevant` for the further paths of the network it read."""
        text = line.strip()
        if not text:
            return 0
        layout = self.layout
        assert layout is not None
        passed, self.passed = self.passed, None  # only for the next line that is not blank
        if line[: layout.nh_col + 2].isspace() and not self.wrapped:
            # blank in the Network and Next Hop columns: the attributes of the path above
            # (its next hop was too long to leave room for them)
            interest = self.ctx.interest
            if self.pending is not None:
                self._continuation(line, n)
            elif self.relevant and text[:1].isdigit():
                self.ctx.bad(n, line, "a line of attributes with no path above it to complete")
            elif passed is not None and interest is not None and interest.marked(line):
                # the path above seemed not to matter, but its AS path (on this line) has a
                # marker: it is read after all
                self._row(passed[0].rstrip("\n"), passed[1], status=passed[2], has_net=passed[3])
                if self.pending is not None:
                    self._continuation(line, n)
            return 0
        if self.pending is not None and not text.startswith(("VRF: ", "Address Family")):
            self._unfinished()
        if self._section(text):
            return 0
        if self.wrapped and not line[: layout.net_col].strip():
            # the path of a network printed alone on the line above
            self.wrapped = False
            net = self.net or ""
            interest = self.ctx.interest
            self.relevant = interest is None or interest.maybe(net, line)
            status = self.net_status.replace(" ", "")
            if self.relevant:
                self._row(line, n, status=status, has_net=False)
            else:
                self.passed = (line, n, status, False)
            return 6 if ":" in net else 4
        header = header_layout(line, fixed=self.fixed)
        if header is not None or text.startswith(_PREAMBLE):
            self.layout = header  # None: a new table's preamble follows
            vrf = preamble_vrf(line)
            if vrf is not None:
                self.vrf = vrf
            self.net = None
            return 0
        if text.startswith("Route Distinguisher:"):
            self.vrf = preamble_vrf(line)
            self.net = None
            return 0
        if text.startswith(_TRAILERS) or text.endswith("#") or "#show" in text:
            return 0
        return self._row(line, n, general=True)

    def _row(  # noqa: C901  (one path line split into fields inline: every line that can matter)
        self,
        line: str,
        n: int,
        *,
        status: str | None = None,
        general: bool = False,
        has_net: bool = True,
    ) -> int:
        """Split one path line into a route and emit it; returns the family counted (for the
        general path) or 0. ``has_net=False``: the line is the path of a network printed
        alone on the line above (its Network column is blank)."""
        ctx = self.ctx
        layout = self.layout
        assert layout is not None
        i = len(line) - len(line.lstrip(" "))
        end = _status_end(line, i, layout.nh_col)
        if self.typed_status and has_net:
            col = layout.net_col
            if end < col < len(line) and line[col] != " " and not line[i:col].strip(_STATUS_TEXT):
                end = col  # the letter before the Network column is the path type
        found_status = line[i:end].replace(" ", "")
        if status is None or found_status:
            status = found_status
        if general and ctx.interest is not None:
            family = self._cannot_matter(line, end, n, ctx.interest)
            if family:
                return family
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(line, end)]
        if not tokens:
            if general:
                ctx.bad(n, line, "not a route line")
            return 0
        first = tokens[0]
        net: str | None
        if has_net and (layout.from_column or len(tokens) == 1 or _address_like(tokens[1][2])):
            net = first[2]
            if _L2VPN.match(net):
                return self._l2vpn(net)
            tokens = tokens[1:]
            self._no_path_below()
            if not tokens:
                # A network alone on its line: the path follows.
                if not (":" in net or "." in net):
                    if general:
                        ctx.bad(n, line, "not a route line")
                    return 0
                self.net, self.net_line, self.net_status, self.wrapped = net, n, status, True
                return 0
            self.net, self.net_line, self.wrapped = net, n, False
        else:
            net = self.net
            if net is None:
                ctx.bad(n, line, "a path line with no network before it")
                return 0
        if not (":" in net or "." in net):
            ctx.bad(n, line, "not a route line")
            return 0
        family = 6 if ":" in net else 4
        if general:
            interest = ctx.interest
            self.relevant = interest is None or interest.maybe(net, line)
            if not self.relevant:
                return family
        nh_start, _, next_hop = tokens[0]
        rest = tokens[1:]
        if not (_address_like(next_hop) or next_hop == "-"):
            ctx.bad(n, line, f"the next hop {next_hop!r} is not an address")
            return family
        if not rest and not layout.fixed and not layout.from_column:
            # the next hop filled its column: the attributes follow on the next line
            self.pending = (net, next_hop, status, n, line)
            return family
        if (
            not layout.fixed
            and not layout.from_column
            and rest[0][2].isdigit()
            and _squeezed(-1 if "\t" in line else nh_start, layout.nh_col, tokens)
        ):
            # the next hop starts left of its column: the spaces were squeezed, and which
            # number is metric, local preference, weight or the first AS cannot be told
            ctx.bad(
                n,
                line,
                "the columns of this line do not line up with the header (spaces squeezed?): "
                "its metric, local preference, weight and AS path cannot be told apart",
                hint="capture the output again as the router prints it (no reformatting), or "
                "read it from the JSON form of the command",
            )
            return family
        metric = locprf = None
        peer = None
        path_tokens: list[str]
        if layout.fixed:
            if len(rest) < 4:
                ctx.bad(n, line, "expected metric, local preference, weight and path")
                return family
            metric, locprf = number(rest[0][2]), number(rest[1][2])
            path_tokens = [t[2] for t in rest[3:]]
        elif layout.from_column:
            if not rest:
                ctx.bad(n, line, "expected the neighbour a route came from")
                return family
            peer = None if rest[0][2] == "Local" else rest[0][2]
            path_tokens = [t[2] for t in rest[1:]]
        else:
            metric, locprf, path_tokens = self._columns(
                nh_start, rest, None if "\t" in line else tokens[0][1]
            )
        self._emit(net, next_hop, status, metric, locprf, peer, path_tokens, n, line)
        return family

    def _emit(
        self,
        net: str,
        next_hop: str,
        status: str,
        metric: int | None,
        locprf: int | None,
        peer: str | None,
        path_tokens: list[str],
        n: int,
        line: str,
    ) -> None:
        """Check the path and the network of one parsed path, and emit its route."""
        ctx = self.ctx
        if not path_tokens:
            ctx.bad(n, line, "no AS path or origin code")
            return
        last = path_tokens[-1]
        if len(last) > 1 and last[-1] in "ie?" and last[:-1].replace(".", "", 1).isdigit():
            path_tokens[-1] = last[:-1]  # "65401i", "65108.65108?": origin glued to the AS
        elif last.isdigit():
            # every path these tables print ends in its origin code (i, e, ?): a number last
            # is a line cut short (a capture cut inside its last AS reads 12076 as 1207)
            ctx.bad(
                n,
                line,
                "the AS path does not end in an origin code (i, e or ?): the line is cut "
                "short, so its last AS cannot be trusted",
                hint="capture the whole output again",
            )
            return
        as_path = ctx.as_path(" ".join(path_tokens), n, line)
        if as_path is None:
            return
        prefix = ctx.prefix(net, n, line)
        if prefix is None:
            return
        ctx.emit(
            Route(
                prefix=prefix,
                next_hop=None if next_hop in ("-", "") else next_hop,
                as_path=as_path,
                communities=(),
                local_pref=locprf,
                metric=metric,
                best=">" in status or not status,
                valid="*" in status or not status,
                protocol="bgp",
                vrf=self.vrf,
                interface=None,
                peer=peer,
                source=ctx.source,
                line=n,
            )
        )

    def _continuation(self, line: str, n: int) -> None:
        """The attributes of :attr:`pending`, on a line of their own, placed by the header's
        columns: any subset of Metric, LocPrf and Weight, then the path."""
        assert self.pending is not None
        assert self.layout is not None
        net, next_hop, status, first, head = self.pending
        self.pending = None
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(line)]
        metric, locprf, path_tokens = self._attributes(tokens)
        if not path_tokens:
            self.ctx.bad(n, line, "no AS path or origin code")
            return
        self._emit(net, next_hop, status, metric, locprf, None, path_tokens, first, head)

    def _attributes(
        self, tokens: list[tuple[int, int, str]]
    ) -> tuple[int | None, int | None, list[str]]:
        """Metric, local preference and the path from a line of attributes alone. The numbers
        are right-aligned under their header columns, but a generator or a device may shift
        them: each goes to the column whose right edge is nearest, in order, and the Weight
        (always printed) ends them; what follows is the path.

        A number past the Weight column's edge is the weight: the path comes after it.

        Where the vendor prints its values in two ways (IOS-XR: under the header's columns,
        or wider), the numbers must end exactly on the edges of one of them, up to the
        Weight: the first way they do decides (the weight is always printed, so a number
        right after it is the path's first AS, never a column of its own)."""
        layout = self.layout
        assert layout is not None
        header = (layout.metric_end, layout.locprf_end, layout.weight_end)
        if self.columns is not None:
            for ends in (header, self.columns):
                exact = _exactly_placed(tokens, layout.nh_col, ends)
                if exact is not None:
                    return exact
        ends = self.columns or header
        edges = [
            (name, layout.nh_col + e)
            for name, e in zip(("metric", "locprf", "weight"), ends, strict=True)
            if e is not None
        ]
        values: dict[str, int | None] = {}
        k = 0
        while k < len(tokens) and edges and tokens[k][2].isdigit():
            _, stop, text = tokens[k]
            k += 1
            best = min(range(len(edges)), key=lambda i: abs(stop - edges[i][1]))
            if stop > edges[-1][1]:
                best = len(edges) - 1
            name = edges[best][0]
            values[name] = number(text)
            edges = edges[best + 1 :]
            if name == "weight":
                break
        return values.get("metric"), values.get("locprf"), [t[2] for t in tokens[k:]]

    def _unfinished(self) -> None:
        """The path line in :attr:`pending` had no line of attributes below it."""
        assert self.pending is not None
        _, _, _, n, line = self.pending
        self.pending = None
        self.ctx.bad(n, line, "no AS path or origin code, and no line of attributes below it")

    def _no_path_below(self) -> None:
        """A new route begins: a network printed alone on the line before had no path."""
        if self.wrapped:
            self.wrapped = False
            self.ctx.bad(
                self.net_line,
                self.net or "",
                "a network with no path below it (the next line starts another route)",
            )

    def _cannot_matter(self, line: str, end: int, n: int, interest: Interest) -> int:
        """For a line of an odd layout (the general path): the family counted when its route
        cannot matter, decided from its first two words as :meth:`_row` would decide it, before
        the whole line is split; else 0. A large table in such a layout reads several times
        faster so."""
        layout = self.layout
        assert layout is not None
        words = line[end:].split(None, 2)
        if len(words) < 2:
            return 0  # a network alone (wrapped), or nothing: _row says which
        if layout.from_column or _address_like(words[1]):
            net: str | None = words[0]
            network = True
        else:
            net, network = self.net, False  # a further path of the network above
        if net is None or not (":" in net or "." in net) or interest.maybe(net, line):
            return 0
        if network:
            self._no_path_below()
            self.net, self.net_line, self.wrapped = net, n, False
        self.relevant = False
        self.passed = (line, n, None, network)
        return 6 if ":" in net else 4

    def _columns(
        self, nh_start: int, rest: list[tuple[int, int, str]], nh_end: int | None = None
    ) -> tuple[int | None, int | None, list[str]]:
        """Assign the numbers after the next hop to metric, local preference and weight by
        where they end; what follows the weight is the path. A next hop longer than its field
        (up to where a 10-digit metric could begin) shifts the columns after it."""
        layout = self.layout
        assert layout is not None
        header = (layout.metric_end, layout.locprf_end, layout.weight_end)
        if self.columns is not None:  # two ways to print the values: see _attributes
            for ends in (header, self.columns):
                exact = _exactly_placed(rest, nh_start, ends)
                if exact is not None:
                    return exact
        ends = self.columns or header
        if nh_end is not None and ends[0] is not None:
            nh_start += max(0, nh_end - (nh_start + ends[0] - 10))
        edges = [
            (name, nh_start + e)
            for name, e in zip(("metric", "locprf", "weight"), ends, strict=True)
            if e is not None
        ]
        values: dict[str, int | None] = {}
        shift = 0
        idx = 0
        k = 0
        while k < len(rest) and idx < len(edges):
            start, stop, text = rest[k]
            if not text.isdigit():
                break
            name, edge = edges[idx]
            edge += shift
            if start < edge:
                if stop > edge:
                    shift += stop - edge
                values[name] = number(text)
                idx += 1
                k += 1
                if name == "weight":
                    break
                continue
            idx += 1
        if (
            "weight" not in values
            and k < len(rest)
            and rest[k][2].isdigit()
            and any(name == "weight" for name, _ in edges)
        ):
            # the weight is always printed: a number past its column (the next hop ran
            # over its field and shifted the rest) is still the weight, not the first AS
            values["weight"] = number(rest[k][2])
            k += 1
        return values.get("metric"), values.get("locprf"), [t[2] for t in rest[k:]]


def _exactly_placed(
    tokens: list[tuple[int, int, str]], nh_col: int, ends: tuple[int | None, ...]
) -> tuple[int | None, int | None, list[str]] | None:
    """Metric, LocPrf and the path of a line of attributes whose numbers each end exactly on
    a column edge of ``ends`` (relative to ``nh_col``), in order, up to the Weight; None when
    they do not.

    >>> t = [(47, 48, "0"), (61, 62, "0"), (63, 68, "12076"), (69, 70, "i")]
    >>> _exactly_placed(t, 22, (26, 33, 40)), _exactly_placed(t, 22, (26, 37, 44))
    ((0, None, ['12076', 'i']), None)
    """
    edges = [
        (name, nh_col + e)
        for name, e in zip(("metric", "locprf", "weight"), ends, strict=True)
        if e is not None
    ]
    if not edges or edges[-1][0] != "weight":
        return None
    values: dict[str, int | None] = {}
    k = 0
    while k < len(tokens) and tokens[k][2].isdigit() and edges:
        stop = tokens[k][1]
        at = next((i for i, (_, edge) in enumerate(edges) if edge == stop), None)
        if at is None:
            return None
        name = edges[at][0]
        values[name] = number(tokens[k][2])
        edges = edges[at + 1 :]
        k += 1
        if name == "weight":
            return values.get("metric"), values.get("locprf"), [t[2] for t in tokens[k:]]
    return None
