"""What every route-table reader shares: the typed route, the parse context, the prefilter.

A reader turns one file into :class:`Route` records. It never builds ``ipaddress`` or
``netaddr`` objects: prefixes are sliced out of the text, and a route becomes a
:class:`~routeplan.model.Prefix` only when the :class:`Interest` says it can matter.
"""

from __future__ import annotations

import functools
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from routeplan.errors import InputError
from routeplan.model import Prefix, parse_prefix
from routeplan.trie import PrefixTrie
from routeplan.yamlio import parse_json

MAX_LINE = 1 << 20
"""The longest line a line-based reader takes (characters); router output has short lines,
so a longer one means a file that is not route-table text, and memory stays bounded."""
MAX_DOCUMENT = 256 << 20
"""The largest file read whole (the JSON formats), in bytes."""
MAX_KEPT = 100_000
"""Routes one table may hold inside (or covering) the catalog's prefixes, when an interest
decides what is kept: a real router's full table has a few thousand; each kept route costs
about 1.3 KB through the check. ``$ROUTEPLAN_MAX_KEPT_ROUTES`` raises it (docs/bad-input.md)."""
PROGRESS_BYTES = 16 * 1024 * 1024
"""Inputs at least this large report progress to the caller's :data:`Progress` callback."""

Progress = Callable[[str, "int | None"], None]
"""How a reader reports progress on a large input: called with the input's name and the
percentage read so far, then once with None when it is read. The library never writes to a
terminal itself; the command line passes one that writes to stderr on a terminal."""


def max_kept(environ: Mapping[str, str] = os.environ) -> int:
    """:data:`MAX_KEPT`, or ``$ROUTEPLAN_MAX_KEPT_ROUTES`` when set to a positive number.

    >>> max_kept({}), max_kept({"ROUTEPLAN_MAX_KEPT_ROUTES": "500000"})
    (100000, 500000)
    >>> [max_kept({"ROUTEPLAN_MAX_KEPT_ROUTES": v}) for v in ("0", "lots")]
    [100000, 100000]
    """
    value = environ.get("ROUTEPLAN_MAX_KEPT_ROUTES", "").strip()
    if value.isascii() and value.isdigit() and int(value) > 0:
        return int(value)
    return MAX_KEPT


@dataclass(frozen=True, slots=True)
class Route:
    """One path to one prefix, as a router (or Azure) reported it."""

    prefix: Prefix
    next_hop: str | None
    as_path: tuple[int, ...]
    communities: tuple[str, ...]
    local_pref: int | None
    metric: int | None
    best: bool
    valid: bool
    protocol: str
    """``bgp``, ``static``, ``connected``, ``local``, ``ospf``, ... (lower case)."""
    vrf: str | None
    interface: str | None
    peer: str | None
    """The BGP neighbour the path was learned from, when the output says."""
    source: str
    line: int

    @classmethod
    def stated(cls, prefix: Prefix, path: str | None, source: str, line: int) -> Route:
        """A route known only by its prefix and, when given, the path someone states for it
        (``expressroute``, ``internet``, ``internal``): a plain list, a NetBox tag."""
        return cls(
            prefix=prefix,
            next_hop=None,
            as_path=(),
            communities=(),
            local_pref=None,
            metric=None,
            best=True,
            valid=True,
            protocol=f"stated-{path}" if path else "listed",
            vrf=None,
            interface=None,
            peer=None,
            source=source,
            line=line,
        )

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"

    def to_record(self) -> dict[str, object]:
        """The route as plain data (fixtures, JSON output)."""
        return {
            "prefix": str(self.prefix),
            "next_hop": self.next_hop,
            "as_path": list(self.as_path),
            "communities": list(self.communities),
            "local_pref": self.local_pref,
            "metric": self.metric,
            "best": self.best,
            "valid": self.valid,
            "protocol": self.protocol,
            "vrf": self.vrf,
            "interface": self.interface,
            "peer": self.peer,
            "line": self.line,
        }


@dataclass(frozen=True, slots=True)
class Skipped:
    """A malformed line that ``--lenient`` skipped."""

    source: str
    line: int
    text: str
    reason: str


# ---------------------------------------------------------------------------------------------
# Small pure helpers shared by the readers

_ASN_TOKEN = re.compile(r"[0-9]{1,10}(?:\.[0-9]{1,5})?")


def number(text: str) -> int | None:
    """A whole number as routers print it (ASCII digits, at most 18 of them); None otherwise.

    >>> number("100"), number("x"), number("9" * 30), number("\u00b2")
    (100, None, None, None)
    """
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def asn(text: str) -> int | None:
    """An AS number from ``asplain`` or ``asdot`` text; None when it is not one.

    >>> asn("12076"), asn("62222.4002"), asn("x"), asn("4294967296")
    (12076, 4077784994, None, None)
    """
    if not _ASN_TOKEN.fullmatch(text):
        return None
    if "." in text:
        high, low = text.split(".")
        if int(high) > 65535 or int(low) > 65535:
            return None
        value = int(high) * 65536 + int(low)
    else:
        value = int(text)
    return value if value < 2**32 else None


ORIGIN_CODES = frozenset({"i", "e", "?", "I", "E", "IGP", "EGP", "incomplete", "Incomplete"})


def parse_as_path(text: str) -> tuple[int, ...] | None:
    """The AS numbers of a path as printed by routers; None when a token is not an AS.

    AS sets (``{64512,64513}``) and confederation segments (``(65151 65000)``) are flattened:
    the check asks whether an AS is *in* the path, not how it got there. A trailing origin code
    is dropped.

    >>> parse_as_path("65005 65026 {27016} i")
    (65005, 65026, 27016)
    >>> parse_as_path("(65151 65000) I")
    (65151, 65000)
    >>> parse_as_path("")
    ()
    >>> parse_as_path("65000 abc") is None
    True
    """
    out: list[int] = []
    for raw in text.replace("{", " ").replace("}", " ").replace(",", " ").split():
        token = raw.strip("()[]")
        if not token or token in ORIGIN_CODES:
            continue
        value = asn(token)
        if value is None:
            return None
        out.append(value)
    return tuple(out)


def classful_length(address: str) -> int:
    """The classful length of an IPv4 network printed without a mask (IOS does this).

    >>> classful_length("10.0.0.0"), classful_length("172.16.0.0"), classful_length("192.168.1.0")
    (8, 16, 24)
    """
    first = address.split(".", 1)[0]
    octet = number(first) or 0
    if octet < 128:
        return 8
    return 16 if octet < 192 else 24


# ---------------------------------------------------------------------------------------------
# What can matter


class Interest:
    """Which routes can matter to the check, decided cheaply from text first.

    A route matters when it overlaps a catalog prefix, is a default route, or its line carries
    a marker (an ExpressRoute AS such as 12076, or a next hop, neighbour, interface or community
    named in the path policy). :meth:`maybe` looks at text only and may say yes too often;
    :meth:`keep` decides exactly on the parsed route.
    """

    def __init__(
        self,
        prefixes: Iterable[Prefix],
        *,
        markers: Iterable[str] = ("12076",),
        asns: Iterable[int] = (12076,),
        keep_route: Callable[[Route], bool] | None = None,
    ) -> None:
        self.trie: PrefixTrie[bool] = PrefixTrie()
        self.keys4: set[str] = set()
        self.octets4: set[str] = set()
        self.keys6: set[str] = set()
        self.hextets6: set[str] = set()
        self.everything = False
        spans: list[tuple[int, int]] = []
        for prefix in prefixes:
            self.trie[prefix] = True
            self._add_keys(prefix)
            if prefix.version == 4:
                spans.append((prefix.network, prefix.network | ((1 << (32 - prefix.length)) - 1)))
        self.ranges4: list[tuple[int, int]] = []
        """The IPv4 space of the prefixes: sorted, merged (first, last) address ranges."""
        for first, last in sorted(spans):
            if self.ranges4 and first <= self.ranges4[-1][1] + 1:
                self.ranges4[-1] = (self.ranges4[-1][0], max(last, self.ranges4[-1][1]))
            else:
                self.ranges4.append((first, last))
        self.markers = tuple(
            dict.fromkeys(m.lower() if _has_letter(m) else m for m in markers if m)
        )
        """Text that makes a line matter; one with letters (an interface, an IPv6 next hop)
        is kept in lower case and found in any case (:meth:`marked`)."""
        self._plain = tuple(m for m in self.markers if not _has_letter(m))
        self._lower = tuple(m for m in self.markers if _has_letter(m))
        self._marker = self.markers[0] if len(self.markers) == 1 and not self._lower else None
        self.asns = frozenset(asns)
        self._keep_route = keep_route

    def _add_keys(self, prefix: Prefix) -> None:
        if prefix.version == 4:
            if prefix.length < 8:
                self.everything = True
                return
            self.octets4.add(str(prefix.network >> 24))
            if prefix.length >= 16:
                self.keys4.add(f"{prefix.network >> 24}.{(prefix.network >> 16) & 255}")
            else:
                top = prefix.network >> 16
                for k in range(1 << (16 - prefix.length)):
                    v = top + k
                    self.keys4.add(f"{v >> 8}.{v & 255}")
            return
        if prefix.length < 16:
            self.everything = True
            return
        self.hextets6.add(f"{prefix.network >> 112:x}")
        if prefix.length >= 32:
            self.keys6.add(f"{prefix.network >> 112:x}:{(prefix.network >> 96) & 0xFFFF:x}")
        else:
            top = prefix.network >> 96
            for k in range(1 << (32 - prefix.length)):
                v = top + k
                self.keys6.add(f"{v >> 16:x}:{v & 0xFFFF:x}")

    def maybe(self, net: str, line: str) -> bool:
        """Could the route for network text ``net`` (printed on ``line``) matter? Cheap.

        >>> i = Interest([parse_prefix("52.96.0.0/14"), parse_prefix("2603:1006::/40")])
        >>> i.maybe("52.97.1.0/24", ""), i.maybe("8.8.8.0/24", ""), i.maybe("0.0.0.0/0", "")
        (True, False, True)
        >>> i.maybe("2603:1006:20::/48", ""), i.maybe("2603:1006:2000::/48", "")
        (True, False)
        >>> i.maybe("8.8.8.0/24", "8.8.8.0/24  10.0.0.1  0 12076 i")
        True

        A network printed without a mask is classful: a /8 below 128, else a /16 or a /24.

        >>> c = Interest([parse_prefix("52.96.0.0/14"), parse_prefix("204.79.197.0/24")])
        >>> c.maybe("52.0.0.0", ""), c.maybe("204.79.197.0", ""), c.maybe("204.1.1.0", "")
        (True, True, False)
        """
        if self.everything:
            return True
        if ":" in net:
            first = net.find(":")
            second = net.find(":", first + 1)
            if net[:second].lower() in self.keys6:
                if self._overlaps(net):  # inside a catalog /32: exactly
                    return True
            elif (
                (slash := net.find("/")) > 0
                and (bits := number(net[slash + 1 :])) is not None
                and bits < 32
            ):
                return True
        elif self._maybe4(net):
            return True
        marker = self._marker
        if marker is not None:
            return marker in line
        return self.marked(line)

    def _maybe4(self, net: str) -> bool:
        """:meth:`maybe` for an IPv4 network's text, without the markers."""
        first = net.find(".")
        slash = net.find("/")
        if net[:first] in self.octets4:  # a catalog first octet: look closer
            if net[: net.find(".", first + 1)] in self.keys4:
                return self._overlaps(net)  # inside a catalog /16: exactly
            if slash < 0:
                # printed without a mask: classful (a /8 below 128, covering the catalog's
                # prefixes of that octet; else a /16 or /24, outside the catalog /16s); only
                # a network of four parts is classful
                return net.count(".") != 3 or int(net[:first]) < 128
            length = number(net[slash + 1 :])
            return length is None or length < 16
        if slash < 0:
            return net == "0.0.0.0"  # IOS's bare default route
        # elsewhere only a route shorter than /8 can overlap
        length = number(net[slash + 1 :])
        return length is not None and length < 8

    def _overlaps(self, net: str) -> bool:
        """Exactly, for network text inside a catalog /16 (IPv6: /32): does it overlap a
        catalog prefix? True also when it is no prefix: the reader says what is wrong.

        >>> i = Interest([parse_prefix("52.96.0.0/14"), parse_prefix("204.79.197.0/24")])
        >>> i._overlaps("204.79.197.0"), i._overlaps("204.79.1.0/24"), i._overlaps("204.79.x")
        (True, False, True)
        """
        text = net
        if "/" not in net and ":" not in net:
            if net.count(".") != 3:
                return True
            text = f"{net}/{classful_length(net)}"
        try:
            prefix = parse_prefix(text, allow_host=True, mask_host=True)
        except InputError:
            return True
        return self._overlapped(prefix)

    def marked(self, line: str) -> bool:
        """Does ``line`` carry a marker? Markers with letters are found in any case: routers
        print interface names and IPv6 next hops in their own case.

        >>> i = Interest([], markers=("12076", "GigabitEthernet0/1", "2001:db8:e::1"))
        >>> i.marked("via GIGABITETHERNET0/1"), i.marked("to 2001:DB8:E::1"), i.marked("65001")
        (True, True, False)
        """
        if self._marker is not None:  # one marker, no letters (AS 12076): the common case
            return self._marker in line
        if any(m in line for m in self._plain):
            return True
        if self._lower:
            lower = line.lower()
            return any(m in lower for m in self._lower)
        return False

    def keep(self, route: Route) -> bool:
        """Exactly: does this parsed route matter to the check?"""
        prefix = route.prefix
        if prefix.length == 0:
            return True
        if self.asns.intersection(route.as_path):
            return True
        if self._overlapped(prefix):
            return True
        return self._keep_route is not None and self._keep_route(route)

    def _overlapped(self, prefix: Prefix) -> bool:
        """Does ``prefix`` overlap one of the interest's prefixes (inside one, or holding one)?"""
        return self.trie.longest(prefix) is not None or bool(self.trie.covered(prefix))


# ---------------------------------------------------------------------------------------------
# The parse context


class ParseContext:
    """One input file being read: where it is, what to keep, what went wrong."""

    def __init__(
        self,
        path: Path,
        *,
        source: str | None = None,
        interest: Interest | None = None,
        lenient: bool = False,
        progress: Progress | None = None,
        text: str | None = None,
        encoding: str = "utf-8-sig",
    ) -> None:
        """``text``, when given, is the input itself (``path`` then only names it).
        ``encoding`` is how the file is decoded (strictly: bytes that are not valid in it are
        an error, never silently replaced)."""
        self.path = path
        self.encoding = encoding
        self.source = source if source is not None else str(path)
        self.interest = interest
        self.lenient = lenient
        self.progress = progress
        self.skipped: list[Skipped] = []
        self.counts: dict[int, int] = {4: 0, 6: 0}
        self.host_bits = 0
        self.sections_skipped: list[str] = []
        """Sections of another address family (EVPN, VPLS, link-state, ...) passed over whole,
        by name, so that the report can say what was not read."""
        self.routes: list[Route] = []
        self._max_kept = max_kept()
        self._text: str | None = text
        if text is not None:
            self.size = len(text)
        else:
            self.size = path.stat().st_size if path.exists() else 0

    # -- reading ------------------------------------------------------------------------------
    def text(self) -> str:
        """The whole file as text (for JSON and other small structured formats)."""
        if self._text is None:
            if self.size > MAX_DOCUMENT:
                raise InputError(
                    f"the file is {self.size >> 20} MiB; this format is read whole, and files "
                    f"over {MAX_DOCUMENT >> 20} MiB are refused",
                    source=self.source,
                    hint="export the table in a text format (read as a stream), or split it",
                )
            data = self.path.read_bytes()
            self._text = data.decode(self.encoding)
        return self._text

    def has_text(self) -> bool:
        """Is the whole file already in memory?"""
        return self._text is not None

    def lines(self, *, keepends: bool = False) -> Iterator[str]:
        """The lines, split at LF, CR LF and CR as Python reads text files (text given in
        memory too), without their line end unless ``keepends``; a line of :data:`MAX_LINE`
        characters or more is refused at its number; progress for large files (``progress``)."""
        if self._text is not None:
            yield from self._checked(io.StringIO(self._text, newline=None), None, keepends)
            return
        with self.open() as handle:
            large = self.progress is not None and self.size >= PROGRESS_BYTES
            yield from self._checked(handle, handle if large else None, keepends)

    def blocks(self, size: int) -> Iterator[str]:
        """The file's text in blocks of whole lines, for readers that scan text in bulk (UTF-8
        files, or text given in memory: one block). Each block holds about ``size`` bytes; its
        lines end in ``"\\n"`` (CR LF and CR are turned into it, as when reading lines), except
        the file's last line. A line of :data:`MAX_LINE` characters or more comes out alone, cut
        at that length, so that the reader refuses it at its number. At bytes that do not
        decode, the lines before them come out first, then :class:`UnicodeDecodeError`.
        Progress for large files, as :meth:`lines` gives it."""
        if self._text is not None:
            yield _lf(self._text)
            return
        progress = self.progress if self.size >= PROGRESS_BYTES else None
        encoding = self.encoding  # utf-8-sig drops a BOM at the start only
        carry = b""
        with self.path.open("rb") as raw:
            while data := raw.read(size):
                if carry:
                    data = carry + data
                # cut after the last line end (a CR only when it is not the last byte read: a
                # LF may follow it in the next read)
                cut = data.rfind(b"\n") + 1 or data.rfind(b"\r", 0, len(data) - 1) + 1
                carry = data[cut:]
                if cut:
                    yield from _decoded(memoryview(data)[:cut], encoding)
                    encoding = "utf-8"
                elif len(carry) >= MAX_LINE:
                    text = next(_decoded(memoryview(carry), encoding))
                    if len(text) >= MAX_LINE:
                        yield text[:MAX_LINE]
                        return
                if progress is not None:
                    progress(self.source, raw.tell() * 100 // max(self.size, 1))
            if carry:
                yield from _decoded(memoryview(carry), encoding)
        if progress is not None:
            progress(self.source, None)

    def open(self) -> TextIO:
        """The file as text, in its encoding, decoded strictly."""
        return self.path.open(encoding=self.encoding, errors="strict", newline=None)

    def too_long(self, line: int) -> None:
        raise InputError(
            f"line longer than {MAX_LINE >> 10} KiB: this is not route-table text",
            source=self.source,
            line=line,
            hint="give the router's output as it printed it",
        )

    def _checked(self, handle: TextIO, progress: TextIO | None, keepends: bool) -> Iterator[str]:
        step = 1 << 18
        report = self.progress if progress is not None else None
        for n, line in enumerate(bounded(handle), 1):
            if len(line) >= MAX_LINE:
                self.too_long(n)
            if report is not None and progress is not None and not n % step:
                report(self.source, progress.buffer.tell() * 100 // max(self.size, 1))
            yield line if keepends else line.rstrip("\n")
        if report is not None:
            report(self.source, None)

    # -- results ------------------------------------------------------------------------------
    def json_document(self) -> tuple[Any, LineFinder]:
        """The file as parsed JSON (errors located), and a :class:`LineFinder` over its text."""
        text = self.text()
        return parse_json(text, source=self.source), LineFinder(text)

    def as_path(self, text: str, line: int, raw: str) -> tuple[int, ...] | None:
        """An AS path from route text; None (after :meth:`bad`) when a token is not an AS."""
        path = parse_as_path(text)
        if path is None:
            self.bad(line, raw, f"the AS path {text.strip()!r} holds something that is not an AS")
        elif 0 in path:
            # RFC 7607: AS 0 is never in a path; a 0 there is a weight or metric read from
            # the wrong column, and the route would be invented
            self.bad(
                line,
                raw,
                f"the AS path {text.strip()!r} holds AS 0, which no path can (RFC 7607): "
                "a number from another column?",
            )
            return None
        return path

    def add(self, route: Route) -> None:
        """Count a route read in full, and keep it when it can matter."""
        self.counts[route.prefix.version] += 1
        self.emit(route)

    def emit(self, route: Route) -> None:
        """Keep a parsed route when it can matter (always, without an interest). With an
        interest, at most :func:`max_kept` routes are kept: past that the table is refused
        at the route's line, before memory runs out."""
        if self.interest is None:
            self.routes.append(route)
        elif self.interest.keep(route):
            if len(self.routes) >= self._max_kept:
                raise InputError(
                    f"more than {self._max_kept:,} routes in this table fall inside or over "
                    "the catalog's prefixes; a router's full table has a few thousand, so "
                    "this is refused rather than held in memory",
                    source=self.source,
                    line=route.line,
                    hint="check that this is one router's table (split a route server's "
                    "capture per peer); ROUTEPLAN_MAX_KEPT_ROUTES=N raises the limit",
                )
            self.routes.append(route)

    def count(self, version: int, n: int = 1) -> None:
        self.counts[version] += n

    def bad(self, line: int, text: str, reason: str, hint: str | None = None) -> None:
        """A malformed line: an error, or with ``lenient`` a counted skip."""
        if self.lenient:
            self.skipped.append(Skipped(self.source, line, text[:200], reason))
            return
        raise InputError(
            reason,
            source=self.source,
            line=line,
            text=text,
            hint=hint
            or "check that the file is the output of the command the format expects, "
            "or pass --lenient to skip malformed lines",
        )

    def prefix(self, text: str, line: int, raw: str, *, shown: str | None = None) -> Prefix | None:
        """A prefix from route text: classful when printed without a mask; host bits cleared
        (and counted) because routers print what they hold. None (after :meth:`bad`) when it is
        not a prefix; the error quotes the text as printed (``shown``, when the reader
        completed it, as a bare address made a host prefix)."""
        text = text.strip()
        printed = (shown or text).strip()
        if "/" not in text and ":" not in text and text.count(".") == 3:
            # IOS prints the default route as a bare 0.0.0.0, other networks classful
            text = "0.0.0.0/0" if text == "0.0.0.0" else f"{text}/{classful_length(text)}"
        try:
            prefix = parse_prefix(text, source=self.source, line=line)
        except InputError as exc:
            if "host bits" not in exc.reason:
                reason = exc.reason if printed == text else f"{printed!r} is not an address"
                self.bad(line, raw, f"not a route prefix ({reason})")
                return None
            address, _, length = text.partition("/")
            prefix = parse_prefix(f"{address}/{int(length)}", allow_host=True, mask_host=True)
            self.host_bits += 1
        return prefix


def _has_letter(text: str) -> bool:
    return any(c.isalpha() for c in text)


def _decoded(data: memoryview, encoding: str) -> Iterator[str]:
    """Bytes of whole lines as text, line ends made ``"\\n"``: one block, or at bytes that do
    not decode, the lines before them and then the error."""
    try:
        text = str(data, encoding)
    except UnicodeDecodeError as exc:
        good = bytes(data[: exc.start])
        cut = max(good.rfind(b"\n"), good.rfind(b"\r")) + 1
        if cut:  # the lines before the first bytes that do not decode (they all do)
            yield _lf(str(data[:cut], encoding))
        raise
    yield _lf(text)


def _lf(text: str) -> str:
    """Line ends made LF, as Python's text files make them.

    >>> _lf("a\\r\\nb\\rc\\n")
    'a\\nb\\nc\\n'
    """
    if "\r" in text:
        return text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def bounded(handle: TextIO) -> Iterator[str]:
    """The lines of a text file, none longer than :data:`MAX_LINE` characters (a longer one
    comes out cut at that length, so a reader can refuse it without holding all of it)."""
    return iter(functools.partial(handle.readline, MAX_LINE), "")


@dataclass(frozen=True, slots=True)
class RibFormat:
    """A registered route-table format."""

    name: str
    title: str
    commands: tuple[str, ...]
    detect: Callable[[str], bool]
    """Given the first 64 KiB of a file, is it this format?"""
    parse: Callable[[ParseContext], None]
    """Read the whole input from ``ctx`` (:meth:`ParseContext.lines`, :meth:`~ParseContext.blocks`
    or :meth:`~ParseContext.json_document`) and call :meth:`ParseContext.add` with every route
    read in full (:func:`make_route` builds one; ``add`` counts it and keeps it when it can
    matter). A value comes from the text or is left out; a line or structure that cannot be
    read is reported with :meth:`ParseContext.bad` (an error, or with ``--lenient`` a counted
    skip: the reader then drops that whole route and goes on). A reader that passes over
    routes without reading them (a fast path) counts them with :meth:`ParseContext.count`.
    tests/test_reader_contract.py holds every registered reader to this."""
    notes: str = ""
    aliases: tuple[str, ...] = field(default=())
    refuses: tuple[str, ...] = field(default=())
    """Views of these commands this reader refuses (or skips and names), and why
    (docs/formats.md lists them from here)."""


class LineFinder:
    """Line numbers for values of a JSON document, found by scanning forward for their text
    (the JSON parser keeps none). Each search starts where the previous one matched.

    >>> f = LineFinder('{\\n "a": 1,\\n "b": [\\n  "x"\\n ]\\n}')
    >>> f.find('"b"'), f.find('"x"'), f.find('"missing"')
    (3, 4, 4)
    >>> g = LineFinder('"k": 1,' + chr(10) + '"k": 2'); g.find('"k"'), g.find('"k"')
    (1, 2)
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1

    def find(self, needle: str) -> int:
        at = self.text.find(needle, self.pos)
        if at < 0:
            return self.line
        self.line += self.text.count("\n", self.pos, at)
        self.pos = at + 1  # the next search starts after this match
        return self.line


def make_route(
    ctx: ParseContext,
    prefix: Prefix,
    line: int,
    *,
    next_hop: str | None = None,
    as_path: tuple[int, ...] = (),
    communities: tuple[str, ...] = (),
    local_pref: int | None = None,
    metric: int | None = None,
    best: bool = True,
    valid: bool = True,
    protocol: str = "bgp",
    vrf: str | None = None,
    interface: str | None = None,
    peer: str | None = None,
) -> Route:
    """A route read from ``ctx``'s file (keyword arguments, for the structured readers)."""
    return Route(
        prefix=prefix,
        next_hop=next_hop or None,
        as_path=as_path,
        communities=communities,
        local_pref=local_pref,
        metric=metric,
        best=best,
        valid=valid,
        protocol=protocol,
        vrf=vrf,
        interface=interface or None,
        peer=peer or None,
        source=ctx.source,
        line=line,
    )


_ECHO = re.compile(
    r"^(?:\S*[#>]\s*)?(?:sh(?:ow)?|display)\s+\S"  # (prompt) show ...
    r"|^\S+[#>]$"  # a prompt alone
    r"|^\[\d{4}-\d\d-\d\d [\d:,.]+\] \+\+\+ .* \+\+\+$"  # pyATS: executing command '...'
    r"|^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \w{3} +\d+ [\d:.]+ \w+$",  # IOS-XR's time of the command
    re.IGNORECASE,
)


def command_echo(text: str) -> bool:
    """Is this line the prompt and the command that printed the table (a capture's first
    line, as a terminal or a collector saves it)?

    >>> command_echo("R3_nxosv# show ipv6 route vrf all"), command_echo("#show route table inet.3")
    (True, True)
    >>> command_echo("user@mx1> show route"), command_echo("show ip bgp")
    (True, True)
    >>> command_echo("RP/0/RSP0/CPU0:ASR-01#"), command_echo("Tue Jan 21 03:11:17.836 UTC")
    (True, True)
    >>> command_echo("Shown below: the routes"), command_echo("*> 10.0.0.0/8  192.0.2.1")
    (False, False)
    """
    return bool(_ECHO.match(text.strip()))


def json_head(head: str, *needles: str) -> bool:
    """Does a file's head look like a JSON document holding all these strings?

    >>> json_head(' {"routes": {}}', '"routes"'), json_head('routes', '"routes"')
    (True, False)
    """
    return head.lstrip()[:1] in ("{", "[") and all(n in head for n in needles)


def json_int(value: object) -> int | None:
    """An integer from a JSON value that may be a number, a numeric string or empty.

    >>> json_int(100), json_int("100"), json_int(""), json_int(None), json_int(True)
    (100, 100, None, None, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return number(value.strip())
    return None


def json_destinations(
    ctx: ParseContext, doc: Mapping[str, object], finder: LineFinder, what: str = "paths"
) -> Iterator[tuple[str, Prefix, int, list[dict[str, Any]]]]:
    """The destinations of a JSON table keyed by prefix (``{"52.96.0.0/14": [path, ...]}``, as
    GoBGP and NAPALM print them): each network with its prefix, line and paths. A key that is
    no prefix, or paths that are not a list of objects, is refused (``ctx.bad``) and passed."""
    for key, paths in doc.items():
        network = str(key)
        line = finder.find(f'"{network}"')
        prefix = ctx.prefix(network, line, network)
        if prefix is None:
            continue
        if not isinstance(paths, list) or not all(isinstance(p, dict) for p in paths):
            ctx.bad(line, network, f"its {what} are not a list of JSON objects")
            continue
        yield network, prefix, line, paths
