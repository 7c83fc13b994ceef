"""Lint what the customer announces to Microsoft over ExpressRoute (the return path).

Microsoft reaches the customer back through the prefixes announced on Microsoft peering. The
rules (docs/plan.md, "Advertisement lint"), each a finding code:

``adv-not-public``
    private, shared (CGNAT), documentation, loopback, link-local, multicast or other
    special-purpose space (RFC 6890 registries); Microsoft drops it, and it was never yours to
    announce.
``adv-default``
    a default route.
``adv-microsoft-space``
    a Microsoft 365 catalog prefix announced back to Microsoft.
``adv-too-many``
    more than 200 prefixes on one session (Microsoft drops the session).
``adv-also-internet``
    the same prefix (or a more specific one) also announced to the Internet: return traffic
    splits between the paths. Announcing a *more specific* prefix over ExpressRoute is fine.
``inbound-return-asymmetric``
    an on-premises endpoint that Microsoft connects to from the Internet (rows whose direction is
    inbound, rows 15-16 of the seed table) sits inside space announced over ExpressRoute.
``adv-host-bits``
    a prefix written with host bits set (routers refuse or silently change it).
``adv-duplicate``
    the same prefix listed twice in one file.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from routeplan.model import Prefix, Row, Severity, parse_prefix
from routeplan.rib import read_routes
from routeplan.trie import PrefixTrie

MAX_PREFIXES_PER_SESSION = 200


class AdvCode(str, enum.Enum):
    NOT_PUBLIC = "adv-not-public"
    DEFAULT = "adv-default"
    MICROSOFT_SPACE = "adv-microsoft-space"
    TOO_MANY = "adv-too-many"
    ALSO_INTERNET = "adv-also-internet"
    INBOUND_ASYMMETRIC = "inbound-return-asymmetric"
    HOST_BITS = "adv-host-bits"
    DUPLICATE = "adv-duplicate"


ADV_SEVERITY = {
    AdvCode.NOT_PUBLIC: Severity.ERROR,
    AdvCode.DEFAULT: Severity.ERROR,
    AdvCode.MICROSOFT_SPACE: Severity.ERROR,
    AdvCode.TOO_MANY: Severity.ERROR,
    AdvCode.ALSO_INTERNET: Severity.ERROR,
    AdvCode.INBOUND_ASYMMETRIC: Severity.ERROR,
    AdvCode.HOST_BITS: Severity.WARNING,
    AdvCode.DUPLICATE: Severity.INFO,
}

# Special-purpose space that is never announced to Microsoft (RFC 6890 and its successors).
# Order matters only for the name printed: the most specific entry is reported.
_SPECIAL = (
    ("0.0.0.0/8", '"this network" (RFC 1122)'),
    ("10.0.0.0/8", "private space (RFC 1918)"),
    ("100.64.0.0/10", "shared CGNAT space (RFC 6598)"),
    ("127.0.0.0/8", "loopback space (RFC 1122)"),
    ("169.254.0.0/16", "link-local space (RFC 3927)"),
    ("172.16.0.0/12", "private space (RFC 1918)"),
    ("192.0.0.0/24", "IETF protocol assignments (RFC 6890)"),
    ("192.0.2.0/24", "documentation space TEST-NET-1 (RFC 5737)"),
    ("192.88.99.0/24", "the deprecated 6to4 relay anycast (RFC 7526)"),
    ("192.168.0.0/16", "private space (RFC 1918)"),
    ("198.18.0.0/15", "benchmarking space (RFC 2544)"),
    ("198.51.100.0/24", "documentation space TEST-NET-2 (RFC 5737)"),
    ("203.0.113.0/24", "documentation space TEST-NET-3 (RFC 5737)"),
    ("224.0.0.0/4", "multicast space (RFC 5771)"),
    ("240.0.0.0/4", "reserved space (RFC 1112)"),
    ("::/3", "space outside IPv6 global unicast 2000::/3 (RFC 4291)"),
    ("4000::/2", "space outside IPv6 global unicast 2000::/3 (RFC 4291)"),
    ("8000::/1", "space outside IPv6 global unicast 2000::/3 (RFC 4291)"),
    ("fc00::/7", "IPv6 unique local space (RFC 4193)"),
    ("fe80::/10", "IPv6 link-local space (RFC 4291)"),
    ("ff00::/8", "IPv6 multicast space (RFC 4291)"),
    ("2001::/23", "IETF protocol assignments (RFC 2928)"),
    ("2001:db8::/32", "IPv6 documentation space (RFC 3849)"),
    ("2002::/16", "6to4 space (RFC 3056)"),
    ("3fff::/20", "IPv6 documentation space (RFC 9637)"),
)


@functools.cache
def _special_trie() -> PrefixTrie[str]:
    trie: PrefixTrie[str] = PrefixTrie()
    for text, name in _SPECIAL:
        trie[parse_prefix(text)] = name
    return trie


def special_purpose(prefix: Prefix) -> str | None:
    """The name of the special-purpose space ``prefix`` touches, or None when it is public.

    >>> from routeplan.model import parse_prefix as p
    >>> special_purpose(p("10.20.0.0/16"))
    'private space (RFC 1918)'
    >>> special_purpose(p("2001:db8:1::/48"))
    'IPv6 documentation space (RFC 3849)'
    >>> special_purpose(p("198.51.99.0/24")) is None
    True
    """
    trie = _special_trie()
    hit = trie.longest(prefix)
    if hit is not None:
        return hit[1]
    inside = trie.covered(prefix)  # a short prefix that swallows special space
    return inside[0][1] if inside else None


@dataclass(frozen=True, slots=True)
class Announced:
    """The prefixes of one file: one BGP session's announcements."""

    source: str
    prefixes: tuple[tuple[Prefix, int | None], ...]
    """Each prefix with the line it was read from."""
    host_bits: int = 0


def read_announced(path: Path, *, format_name: str = "auto") -> Announced:
    """A prefix list (one prefix a line) or any supported route-table format (for example
    ``show ip bgp neighbors ADDRESS advertised-routes``)."""
    (rib,) = read_routes([path], format_name=format_name)
    seen: dict[Prefix, int | None] = {}
    ordered: list[tuple[Prefix, int | None]] = []
    for route in rib.routes:
        ordered.append((route.prefix, route.line))
        seen.setdefault(route.prefix, route.line)
    return Announced(rib.source, tuple(ordered), rib.host_bits)


@dataclass(frozen=True, slots=True)
class AdvFinding:
    code: AdvCode
    prefix: Prefix | None
    source: str
    line: int | None
    message: str
    hint: str

    @property
    def severity(self) -> Severity:
        return ADV_SEVERITY[self.code]

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line else self.source


def lint(
    sessions: Sequence[Announced],
    *,
    catalog_prefixes: Sequence[Prefix] = (),
    internet: Sequence[Announced] = (),
    inbound: Sequence[Announced] = (),
    inbound_rows: Sequence[Row] = (),
) -> tuple[AdvFinding, ...]:
    """Every defect of the announcements over ExpressRoute, most severe first."""
    out: list[AdvFinding] = []
    microsoft: PrefixTrie[bool] = PrefixTrie()
    for p in catalog_prefixes:
        microsoft[p] = True
    to_internet: PrefixTrie[tuple[str, int | None]] = PrefixTrie()
    for ann in internet:
        for p, line in ann.prefixes:
            to_internet[p] = (ann.source, line)
    over_er: PrefixTrie[tuple[str, int | None]] = PrefixTrie()

    for ann in sessions:
        out.extend(_lint_session(ann, microsoft, to_internet))
        for p, line in ann.prefixes:
            if p.length and special_purpose(p) is None:
                over_er[p] = (ann.source, line)

    if inbound:
        out.extend(_lint_inbound(inbound, inbound_rows, over_er))
    out.sort(key=lambda f: (-f.severity.rank, f.code.value, f.source, f.line or 0))
    return tuple(out)


def _lint_session(
    ann: Announced,
    microsoft: PrefixTrie[bool],
    to_internet: PrefixTrie[tuple[str, int | None]],
) -> list[AdvFinding]:
    out: list[AdvFinding] = []

    def add(code: AdvCode, p: Prefix | None, line: int | None, msg: str, hint: str) -> None:
        out.append(AdvFinding(code, p, ann.source, line, msg, hint))

    distinct = dict.fromkeys(p for p, _ in ann.prefixes)
    if len(distinct) > MAX_PREFIXES_PER_SESSION:
        add(
            AdvCode.TOO_MANY,
            None,
            None,
            f"{len(distinct)} prefixes on one session; Microsoft drops a session that announces "
            f"more than {MAX_PREFIXES_PER_SESSION}",
            "summarise the NAT pools, or spread them over more circuits",
        )
    if ann.host_bits:
        add(
            AdvCode.HOST_BITS,
            None,
            None,
            f"{ann.host_bits} prefix(es) written with host bits set; read as their networks",
            "write each prefix as its network address (10.1.2.0/24, not 10.1.2.3/24)",
        )
    seen: set[Prefix] = set()
    for p, line in ann.prefixes:
        if p in seen:
            add(AdvCode.DUPLICATE, p, line, f"{p} is listed more than once", "list it once")
            continue
        seen.add(p)
        if p.length == 0:
            add(
                AdvCode.DEFAULT,
                p,
                line,
                f"{p} is a default route; Microsoft peering accepts only your public prefixes",
                "announce only the public NAT pools that Microsoft must reach",
            )
            continue
        special = special_purpose(p)
        if special is not None:
            add(
                AdvCode.NOT_PUBLIC,
                p,
                line,
                f"{p} is {special}, not public address space of yours",
                "NAT to a public, registered pool and announce that pool instead",
            )
            continue
        mine = microsoft.longest(p) or next(iter(microsoft.covered(p)), None)
        if mine is not None:
            add(
                AdvCode.MICROSOFT_SPACE,
                p,
                line,
                f"{p} overlaps Microsoft 365 prefix {mine[0]}; announcing Microsoft's own space "
                "back to it hijacks or breaks the service",
                "remove it from the announcements",
            )
            continue
        same = to_internet.get(p)
        inside = [(q, w) for q, w in to_internet.covered(p) if q != str(p)]
        if same is not None:
            src, ln = same
            add(
                AdvCode.ALSO_INTERNET,
                p,
                line,
                f"{p} is announced to the Internet as well ({src}:{ln}): return traffic from "
                "Microsoft may take either path and break at stateful firewalls",
                "use separate NAT pools for ExpressRoute and the Internet, or announce a more "
                "specific prefix over ExpressRoute",
            )
        elif inside:
            q, (src, ln) = inside[0]
            add(
                AdvCode.ALSO_INTERNET,
                p,
                line,
                f"{p} covers {q}, announced to the Internet ({src}:{ln}) and more specific: "
                f"Microsoft returns traffic for {q} via the Internet",
                "announce the more specific prefix over ExpressRoute, not the less specific one",
            )
    return out


def _lint_inbound(
    inbound: Sequence[Announced],
    rows: Sequence[Row],
    over_er: PrefixTrie[tuple[str, int | None]],
) -> list[AdvFinding]:
    out = []
    if rows:
        named = "; ".join(
            f"row {r.number}: {r.purpose.rstrip('.')}"
            + (", from " + ", ".join(s.name for s in r.sources) if r.sources else "")
            for r in rows
        )
    else:
        named = "inbound flows from Microsoft"
    for ann in inbound:
        for p, line in ann.prefixes:
            hit = over_er.longest(p) or next(iter(over_er.covered(p)), None)
            if hit is None:
                continue
            adv, (src, ln) = hit
            out.append(
                AdvFinding(
                    AdvCode.INBOUND_ASYMMETRIC,
                    p,
                    ann.source,
                    line,
                    f"{p} receives connections that Microsoft starts from the Internet "
                    f"({named}), but {adv} ({src}:{ln}) announces it over ExpressRoute: the "
                    "two directions of the flow take different paths and stateful firewalls "
                    "drop it",
                    "move these endpoints to address space not announced over ExpressRoute, "
                    f"or stop announcing {adv} there",
                )
            )
    return out
