"""Frozen value types of routeplan, and the one place a prefix string becomes a prefix.

Everything here is immutable and hashable: tuples, not lists; frozensets, not sets. Values are
converted at the edge (:func:`parse_prefix`, :func:`parse_community`, :meth:`PortSet.parse`)
and never change afterwards.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from routeplan.errors import ExitStatus, InputError

# re-exported: routeplan.model.Prefix and parse_prefix stay the public names
from routeplan.prefix import Prefix as Prefix  # noqa: PLC0414
from routeplan.prefix import parse_prefix as parse_prefix  # noqa: PLC0414

# ---------------------------------------------------------------------------------------------
# Severities, and the one decision of an exit status from them


class Severity(str, enum.Enum):
    """How bad a finding is: of a route check, a lint, a review or a topology check."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """3 for error, 2 for warning, 1 for info.

        >>> Severity.ERROR.rank > Severity.WARNING.rank > Severity.INFO.rank
        True
        """
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class PathKind(str, enum.Enum):
    """The one way a route or a catalog prefix goes: over ExpressRoute, to the Internet, or
    inside the network (a route that leaves by neither). The decision of a catalog prefix
    (``RoutePath``) and the class of a route (``PathClass``) are this enum."""

    EXPRESSROUTE = "expressroute"
    INTERNET = "internet"
    INTERNAL = "internal"


FAIL_ON = ("error", "warning", "info", "never")
"""The values of ``--fail-on`` (and of the NetBox script's ``fail_on``)."""


def worst_of(severities: Iterable[Severity]) -> Severity | None:
    """The most severe of ``severities``, or None when there are none.

    >>> worst_of([Severity.INFO, Severity.ERROR, Severity.WARNING])
    <Severity.ERROR: 'error'>
    >>> worst_of([]) is None
    True
    """
    return max(severities, key=lambda s: s.rank, default=None)


def fails(worst: Severity | None, fail_on: str) -> bool:
    """Does a result whose worst finding is ``worst`` fail at ``--fail-on``?

    >>> fails(Severity.WARNING, "error"), fails(Severity.WARNING, "warning")
    (False, True)
    >>> fails(Severity.ERROR, "never"), fails(None, "info")
    (False, False)
    """
    if fail_on not in FAIL_ON:
        raise ValueError(f"fail_on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    if fail_on == "never" or worst is None:
        return False
    return worst.rank >= Severity(fail_on).rank


def exit_status(
    worst: Severity | None, fail_on: str, *, skipped: int = 0, unread: int = 0
) -> ExitStatus:
    """The exit status of every deciding command (diff, plan, review, topology, the NetBox
    script): findings at or above ``fail_on`` first, then routers that could not be read
    (``unread``: the answer is incomplete), then input skipped by ``--lenient``.

    >>> exit_status(Severity.ERROR, "error"), exit_status(None, "error", skipped=2)
    (<ExitStatus.FINDINGS: 1>, <ExitStatus.INPUT_SKIPPED: 4>)
    >>> exit_status(Severity.INFO, "warning")
    <ExitStatus.OK: 0>
    """
    if fails(worst, fail_on):
        return ExitStatus.FINDINGS
    if unread:
        return ExitStatus.INPUT
    return ExitStatus.INPUT_SKIPPED if skipped else ExitStatus.OK


_ROUTER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}$")


def valid_router_name(name: str) -> bool:
    """A router's name in reports and inventories: letters, digits and ``_.:@-``, starting
    with a letter or digit, up to 128 characters.

    >>> valid_router_name("ams-edge.1"), valid_router_name("../x"), valid_router_name("")
    (True, False, False)
    """
    return bool(_ROUTER_NAME.match(name))


def is_service_version(text: str) -> bool:
    """Is ``text`` a web-service version, YYYYMMDDNN (the one check of that form)?

    >>> is_service_version("2025120100"), is_service_version("2025-12-01")
    (True, False)
    >>> is_service_version("\u0662\u0660\u0662\u0665\u0661\u0662\u0660\u0661\u0660\u0660")
    False
    """
    return len(text) == 10 and text.isascii() and text.isdigit()


# ---------------------------------------------------------------------------------------------
# BGP communities


@dataclass(frozen=True, slots=True, order=True)
class Community:
    """A standard BGP community ``ASN:VALUE``.

    >>> c = parse_community("12076:5010")
    >>> c.asn, c.value, str(c)
    (12076, 5010, '12076:5010')
    """

    asn: int
    value: int

    def __str__(self) -> str:
        return f"{self.asn}:{self.value}"

    def __repr__(self) -> str:
        return f"Community('{self}')"


def parse_community(
    text: str,
    *,
    source: str | None = None,
    line: int | None = None,
    path: Sequence[str | int] = (),
) -> Community:
    """Parse ``"12076:5010"``; each half must be 0..65535.

    >>> parse_community("12076:99999")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    routeplan.errors.InputError: <input>: not a BGP community: '12076:99999' (expected ASN:...
    """
    raw = str(text).strip()
    left, colon, right = raw.partition(":")
    if (
        colon
        and (left.isascii() and left.isdigit())
        and (right.isascii() and right.isdigit())
        and len(left) <= 5
        and len(right) <= 5
        and int(left) <= 0xFFFF
        and int(right) <= 0xFFFF
    ):
        return Community(int(left), int(right))
    raise InputError(
        f"not a BGP community: {text!r} (expected ASN:VALUE, each 0-65535)",
        source=source,
        line=line,
        path=path,
    )


# ---------------------------------------------------------------------------------------------
# Ports


@dataclass(frozen=True, slots=True)
class PortSet:
    """A set of ports, compared as a set whatever order or spacing it was published in.

    >>> PortSet.parse("443,80") == PortSet.parse("80, 443")
    True
    >>> str(PortSet.parse("3478, 3479, 3480, 3481, 50000-59999"))
    '3478-3481,50000-59999'
    >>> 3480 in PortSet.parse("3478-3481"), len(PortSet.parse(""))
    (True, 0)
    """

    ranges: tuple[tuple[int, int], ...] = ()

    @classmethod
    def parse(
        cls,
        text: str,
        *,
        source: str | None = None,
        line: int | None = None,
        path: Sequence[str | int] = (),
    ) -> PortSet:
        spans: list[tuple[int, int]] = []
        for part in str(text).split(","):
            item = part.strip()
            if not item:
                continue
            lo_text, dash, hi_text = item.partition("-")
            lo_text, hi_text = lo_text.strip(), hi_text.strip()
            if not (lo_text.isascii() and lo_text.isdigit()) or (
                dash and not (hi_text.isascii() and hi_text.isdigit())
            ):
                raise InputError(
                    f"not a port list: {text!r} (bad item {item!r})",
                    source=source,
                    line=line,
                    path=path,
                )
            if len(lo_text) > 5 or len(hi_text) > 5:
                raise InputError(
                    f"port out of range in {text!r}", source=source, line=line, path=path
                )
            lo = int(lo_text)
            hi = int(hi_text) if dash else lo
            if not 0 <= lo <= hi <= 65535:
                raise InputError(
                    f"port out of range in {text!r}", source=source, line=line, path=path
                )
            spans.append((lo, hi))
        return cls.of(spans)

    @classmethod
    def of(cls, spans: Iterable[tuple[int, int] | int]) -> PortSet:
        pairs = sorted((s, s) if isinstance(s, int) else s for s in spans)
        merged: list[tuple[int, int]] = []
        for lo, hi in pairs:
            if merged and lo <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
            else:
                merged.append((lo, hi))
        return cls(tuple(merged))

    def __contains__(self, port: object) -> bool:
        return isinstance(port, int) and any(lo <= port <= hi for lo, hi in self.ranges)

    def __len__(self) -> int:
        return sum(hi - lo + 1 for lo, hi in self.ranges)

    def __iter__(self) -> Iterator[int]:
        for lo, hi in self.ranges:
            yield from range(lo, hi + 1)

    def __bool__(self) -> bool:
        return bool(self.ranges)

    def __str__(self) -> str:
        return ",".join(str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in self.ranges)


@dataclass(frozen=True, slots=True)
class PortRule:
    """One port statement of an additional-endpoints row, e.g. ``POP3 on 110, 995, or Custom``.

    ``protocol`` is None where the published row does not say it.
    """

    protocol: str | None
    ports: PortSet
    application: str | None = None
    custom_allowed: bool = False
    customer_configurable: bool = False
    typical: bool = False


# ---------------------------------------------------------------------------------------------
# Provenance


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a catalog record came from: the published document or service, its version and
    date, and (when we read it from a copy) where that copy lives."""

    document: str
    version: str | None = None
    date: dt.date | None = None
    retrieved: dt.date | None = None
    via: str | None = None
    note: str | None = None


# ---------------------------------------------------------------------------------------------
# Web-service endpoint sets


class Category(str, enum.Enum):
    """Endpoint-set category; a higher rank wins where one address is in several."""

    OPTIMIZE = "Optimize"
    ALLOW = "Allow"
    DEFAULT = "Default"

    @property
    def rank(self) -> int:
        """3 for Optimize, 2 for Allow, 1 for Default.

        >>> Category.OPTIMIZE.rank > Category.ALLOW.rank > Category.DEFAULT.rank
        True
        """
        return {"Optimize": 3, "Allow": 2, "Default": 1}[self.value]


@dataclass(frozen=True, slots=True)
class EndpointSet:
    """One endpoint set of the Microsoft 365 IP Address and URL web service."""

    id: int
    service_area: str
    service_area_display_name: str | None
    category: Category
    express_route: bool
    required: bool
    urls: tuple[str, ...] = ()
    prefixes: tuple[Prefix, ...] = ()
    tcp_ports: PortSet = field(default_factory=PortSet)
    udp_ports: PortSet = field(default_factory=PortSet)
    notes: str | None = None
    tcp_ports_text: str | None = None
    """The port string exactly as published (``"443,80"``), kept for round trips."""
    udp_ports_text: str | None = None

    @property
    def ipv4(self) -> tuple[Prefix, ...]:
        return tuple(p for p in self.prefixes if p.version == 4)

    @property
    def ipv6(self) -> tuple[Prefix, ...]:
        return tuple(p for p in self.prefixes if p.version == 6)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The endpoint sets of one instance at one version."""

    instance: str
    version: str | None
    """The web service's version (``YYYYMMDDNN``) when known."""
    retrieved: dt.date
    provenance: Provenance
    endpoint_sets: tuple[EndpointSet, ...]

    @property
    def label(self) -> str:
        """How users select this snapshot: its version, else its retrieval date.

        >>> Snapshot("Worldwide", None, dt.date(2025, 12, 1), Provenance("x"), ()).label
        '2025-12-01'
        """
        return self.version or self.retrieved.isoformat()

    @property
    def sort_key(self) -> tuple[dt.date, str]:
        """Chronological order: the date in the version number, else the retrieval date."""
        if (
            self.version
            and len(self.version) == 10
            and (self.version.isascii() and self.version.isdigit())
        ):
            try:
                day = dt.date(int(self.version[:4]), int(self.version[4:6]), int(self.version[6:8]))
            except ValueError:
                day = self.retrieved
            return (day, self.version)
        return (self.retrieved, "")

    def get(self, set_id: int) -> EndpointSet | None:
        for es in self.endpoint_sets:
            if es.id == set_id:
                return es
        return None


# ---------------------------------------------------------------------------------------------
# The additional-endpoints table


class CidrKind(str, enum.Enum):
    """What the CIDR column of an additional-endpoints row holds."""

    RANGE_SETS = "range-sets"
    PREFIXES = "prefixes"
    CUSTOMER = "customer"
    NOT_APPLICABLE = "n/a"
    BLANK = "blank"


@dataclass(frozen=True, slots=True)
class RangeSetRef:
    """A named IP range set in a row, e.g. *portal and shared IP ranges - Internet-only IPs*."""

    name: str
    qualifier: str | None = None

    def __str__(self) -> str:
        return self.name if not self.qualifier else f"{self.name} - {self.qualifier}"


@dataclass(frozen=True, slots=True)
class Cidr:
    kind: CidrKind
    range_sets: tuple[RangeSetRef, ...] = ()
    prefixes: tuple[Prefix, ...] = ()
    text: str = ""


class Direction(str, enum.Enum):
    OUTBOUND = "outbound"
    """From the customer's users or servers towards Microsoft."""
    INBOUND = "inbound"
    """From Microsoft towards the customer's systems (the return path matters)."""
    BIDIRECTIONAL = "bidirectional"


@dataclass(frozen=True, slots=True)
class TrafficSource:
    """Where inbound traffic of a row comes from."""

    name: str
    address: Prefix | None = None


@dataclass(frozen=True, slots=True)
class Row:
    """A row of the *additional endpoints* table."""

    number: int
    purpose: str
    requirement: str | None = None
    """``required`` / ``optional``, or None where the table version does not say."""
    destinations: tuple[str, ...] = ()
    """FQDNs and wildcards (``*.office365.com``, ``<tenant>.onmicrosoft.com``)."""
    destination_text: str | None = None
    """Destination prose where it is not a list of names (``on-premises STS``)."""
    er_communities: bool | None = None
    """Whether ExpressRoute BGP communities apply (Yes/No); None where blank or absent."""
    cidr: Cidr = field(default_factory=lambda: Cidr(CidrKind.BLANK))
    ports: tuple[PortRule, ...] = ()
    ports_text: str = ""
    direction: Direction = Direction.OUTBOUND
    sources: tuple[TrafficSource, ...] = ()
    type: str | None = None
    """The *Type* column of newer table versions (``Inbound server traffic``)."""
    notes: str | None = None

    @property
    def required(self) -> bool:
        return self.requirement == "required"


@dataclass(frozen=True, slots=True)
class RowTable:
    """One version of the additional-endpoints table."""

    label: str
    title: str
    provenance: Provenance
    rows: tuple[Row, ...]

    def get(self, number: int) -> Row | None:
        for row in self.rows:
            if row.number == number:
                return row
        return None


# ---------------------------------------------------------------------------------------------
# ExpressRoute BGP communities and how endpoint sets map onto them


@dataclass(frozen=True, slots=True)
class CommunityInfo:
    """One published ExpressRoute BGP community value."""

    community: Community
    name: str
    kind: str
    """``service``, ``national-service``, ``national-region``, ``region-microsoft-peering``,
    ``region-private-peering``, ``region-storage``, ``region-sql``, ``region-cosmosdb``,
    ``region-backup``."""
    cloud: str
    authorization_required: bool | None = False
    """True or False as the article says; None where it does not say (the US Government
    service communities)."""
    geo_group: str | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class CommunityTable:
    provenance: Provenance
    entries: tuple[CommunityInfo, ...]

    def get(self, community: Community) -> CommunityInfo | None:
        for entry in self.entries:
            if entry.community == community:
                return entry
        return None


@dataclass(frozen=True, slots=True)
class AnnouncedCommunity:
    """The prefixes Azure lists under one service community in one capture."""

    community: Community
    name: str
    prefixes: tuple[Prefix, ...]


@dataclass(frozen=True, slots=True)
class ServiceCommunityList:
    """Azure's own list of what each service community carries (``Get-AzBgpServiceCommunity``,
    ``az network route-filter rule list-service-communities``), as of one date."""

    date: dt.date
    provenance: Provenance
    families: tuple[int, ...]
    """The address families the capture lists at all: a capture with IPv6 lists speaks for
    IPv6 of every community it names; one without says nothing of IPv6."""
    communities: tuple[AnnouncedCommunity, ...]

    def get(self, community: Community) -> AnnouncedCommunity | None:
        for entry in self.communities:
            if entry.community == community:
                return entry
        return None


@dataclass(frozen=True, slots=True)
class SetCommunityException:
    """Endpoint sets carried by other communities than their service area's."""

    ids: tuple[int, ...]
    communities: tuple[Community, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class InstanceCommunities:
    """How one instance's endpoint sets map onto ExpressRoute BGP communities."""

    instance: str
    supported: bool
    service_areas: tuple[tuple[str, tuple[Community, ...]], ...] = ()
    exceptions: tuple[SetCommunityException, ...] = ()
    note: str | None = None

    def communities_for(self, es: EndpointSet) -> tuple[Community, ...]:
        """The communities that carry an endpoint set's prefixes (none for expressRoute false
        sets or an instance without Microsoft 365 communities)."""
        if not self.supported or not es.express_route:
            return ()
        for exc in self.exceptions:
            if es.id in exc.ids:
                return exc.communities
        for area, communities in self.service_areas:
            if area == es.service_area:
                return communities
        return ()


@dataclass(frozen=True, slots=True)
class CommunityMapping:
    provenance: Provenance
    instances: tuple[InstanceCommunities, ...]

    def get(self, instance: str) -> InstanceCommunities | None:
        for item in self.instances:
            if item.instance.lower() == instance.lower():
                return item
        return None


# ---------------------------------------------------------------------------------------------
# Named IP range sets of the rows


@dataclass(frozen=True, slots=True)
class RangeSetRule:
    """Which endpoint sets of an instance a named range set stands for."""

    instance: str
    service_areas: tuple[str, ...] = ()
    ids: tuple[int, ...] = ()
    exclude_ids: tuple[int, ...] = ()
    express_route: bool | None = None

    def selects(self, es: EndpointSet) -> bool:
        if es.id in self.exclude_ids:
            return False
        if self.express_route is not None and es.express_route != self.express_route:
            return False
        return es.id in self.ids or es.service_area in self.service_areas


@dataclass(frozen=True, slots=True)
class RangeSetDef:
    name: str
    description: str
    rules: tuple[RangeSetRule, ...]
    aliases: tuple[str, ...] = ()

    def rule_for(self, instance: str) -> RangeSetRule | None:
        for rule in self.rules:
            if rule.instance.lower() == instance.lower():
                return rule
        return None


@dataclass(frozen=True, slots=True)
class QualifierDef:
    """A qualifier such as *Internet-only IPs*: narrows a range set's endpoint sets."""

    name: str
    description: str
    express_route: bool | None = None


@dataclass(frozen=True, slots=True)
class RangeSetCatalog:
    provenance: Provenance
    range_sets: tuple[RangeSetDef, ...]
    qualifiers: tuple[QualifierDef, ...]

    def find(self, name: str) -> RangeSetDef | None:
        key = name.strip().lower()
        for rs in self.range_sets:
            if rs.name.lower() == key or key in (a.lower() for a in rs.aliases):
                return rs
        return None

    def qualifier(self, name: str) -> QualifierDef | None:
        key = name.strip().lower()
        for q in self.qualifiers:
            if q.name.lower() == key:
                return q
        return None


# ---------------------------------------------------------------------------------------------
# The whole catalog


@dataclass(frozen=True, slots=True)
class Catalog:
    """Everything routeplan knows about Microsoft 365 endpoints, versioned."""

    snapshots: tuple[Snapshot, ...]
    row_tables: tuple[RowTable, ...]
    default_rows: str
    communities: CommunityTable
    mapping: CommunityMapping
    range_sets: RangeSetCatalog
    service_communities: tuple[ServiceCommunityList, ...] = ()
    """Azure's lists of what the service communities carry, oldest first."""
    roots: tuple[str, ...] = ()
    """The directories this catalog was read from, bundled first."""

    @property
    def instances(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for snap in self.snapshots:
            seen.setdefault(snap.instance, None)
        return tuple(seen)
