"""What the catalog says about a prefix: where each catalog prefix comes from (its
origins), how the route filter and the sources' precedence decide its path, and the answer
types of :class:`~routeplan.catalog.query.CatalogView` (docs/catalog.md)."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from routeplan.model import (
    Category,
    Community,
    PathKind,
    Prefix,
)

# ---------------------------------------------------------------------------------------------
# Route-filter selection


@dataclass(frozen=True, slots=True)
class Selection:
    """The communities a route filter allows, and how the user asked for them."""

    communities: frozenset[Community]
    asked: str = "all Microsoft 365 communities"

    def __contains__(self, community: object) -> bool:
        return community in self.communities

    def allows_any(self, communities: Iterable[Community]) -> bool:
        return any(c in self.communities for c in communities)


RoutePath = PathKind
"""The path a catalog decision gives: :class:`~routeplan.model.PathKind` (expressroute or
internet)."""


class Verdict(str, enum.Enum):
    """What the catalog says about a destination."""

    EXPRESSROUTE = "expressroute"
    """Eligible for ExpressRoute, and the route filter selects its community."""
    NOT_SELECTED = "expressroute-not-selected"
    """Eligible for ExpressRoute, but the route filter does not select its community: Internet."""
    INTERNET_ONLY = "internet-only"
    """Not supported over ExpressRoute: must go via the Internet."""
    NOT_STATED = "not-stated"
    """Named only by a row of a table version that has no ExpressRoute column (or leaves it
    blank): the source does not say, so routeplan plans nothing for it."""
    NOT_IN_CATALOG = "not-in-catalog"
    MIXED = "mixed"
    """A prefix asked for whose addresses belong on different paths (a summary route over
    ExpressRoute and Internet-only space): the answer lists the parts."""

    @property
    def path(self) -> RoutePath | None:
        if self is Verdict.EXPRESSROUTE:
            return RoutePath.EXPRESSROUTE
        if self in (Verdict.NOT_IN_CATALOG, Verdict.NOT_STATED, Verdict.MIXED):
            return None
        return RoutePath.INTERNET


class Source(str, enum.Enum):
    """The two published sources a catalog answer can come from."""

    WEB_SERVICE = "web-service"
    """The Microsoft 365 IP Address and URL web service's endpoint sets."""
    ROWS = "rows"
    """The additional-endpoints table."""


#: Why the web service decides where both sources speak (docs/catalog.md, "Which source wins").
PRECEDENCE_RULE = "the web service decides what it covers, the table only the rest"
PREFER_ROWS_RULE = "--prefer rows: the table decides what it names"


# ---------------------------------------------------------------------------------------------
# Where a catalog prefix comes from


@dataclass(frozen=True, slots=True)
class Origin:
    """One reason a prefix is in the catalog: an endpoint set, or a row's literal prefixes."""

    set_id: int | None
    row: int | None
    service_area: str | None
    category: Category | None
    express_route: bool
    communities: tuple[Community, ...]
    rows: tuple[int, ...] = ()
    """Rows of the additional-endpoints table that name this endpoint set's range set."""
    stated: bool = True
    """False for a row whose table has no ExpressRoute column (or leaves it blank): such an
    origin says the prefix is in the catalog, not which path it takes."""
    community_basis: str = ""
    """Which rule gave these communities: Azure's list (with its date) or the service-area
    rule (:meth:`CatalogView.carried_by`)."""

    @property
    def source(self) -> Source:
        return Source.WEB_SERVICE if self.set_id is not None else Source.ROWS

    @property
    def internet_only(self) -> bool:
        return self.stated and not self.express_route

    @property
    def rank(self) -> int:
        """Category rank; a row's literal prefixes rank as Default."""
        return self.category.rank if self.category is not None else Category.DEFAULT.rank

    def describe(self) -> str:
        if self.set_id is not None:
            category = self.category.value if self.category else "?"
            what = f"endpoint set {self.set_id} ({self.service_area}, {category}"
            what += ", ExpressRoute" if self.express_route else ", expressRoute false"
            if self.communities:
                what += ", " + " ".join(str(c) for c in self.communities)
            what += ")"
            if self.rows:
                what += " named by row " + ", ".join(str(r) for r in self.rows)
            return what
        if not self.stated:
            return f"row {self.row} (ExpressRoute: not stated)"
        flag = "Yes" if self.express_route else "No"
        return f"row {self.row} (ExpressRoute BGP communities: {flag})"


@dataclass(frozen=True, slots=True)
class Decision:
    """How the catalog decides one prefix, given the origins that name it."""

    verdict: Verdict
    reason: str
    winner: Origin | None
    communities: tuple[Community, ...] = ()
    overruled: tuple[Origin, ...] = ()
    """Origins of the other source that answer otherwise and lost (see :func:`decide`)."""


def decide(
    origins: Sequence[Origin], selection: Selection, prefer: Source = Source.WEB_SERVICE
) -> Decision:
    """Decide a prefix's (or a name's) path from every origin naming it. The one place this
    rule lives:

    0. Which source speaks: where the web service (an endpoint set) names it, the web service
       decides, and the additional-endpoints table only where the web service is silent
       (``prefer=Source.ROWS`` turns this round). Origins of the other source that answer
       otherwise are kept in ``overruled`` and named in the reason. Rows of a table without
       an ExpressRoute column state nothing and never decide (``not-stated``).
    1. ExpressRoute-eligible and Internet-only origins of the deciding source: the highest
       category wins (Optimize > Allow > Default; a row's literal prefix counts as Default);
       on a tie the prefix stays on the Internet (the safe side).
    2. An eligible prefix whose communities the route filter does not allow goes via the
       Internet (``expressroute-not-selected``).
    """
    if not origins:
        return Decision(Verdict.NOT_IN_CATALOG, "no catalog entry names it", None)
    stated = [o for o in origins if o.stated]
    if not stated:
        return Decision(
            Verdict.NOT_STATED,
            ", ".join(o.describe() for o in origins)
            + ": that table version has no ExpressRoute answer for it",
            None,
        )
    primary = [o for o in stated if o.source is prefer]
    other = [o for o in stated if o.source is not prefer]
    if not primary:
        primary, other = other, []
    decision = _decide_among(primary, selection)
    assert decision.winner is not None
    lost = tuple(o for o in other if o.express_route != decision.winner.express_route)
    if not lost:
        return decision
    rule = PRECEDENCE_RULE if prefer is Source.WEB_SERVICE else PREFER_ROWS_RULE
    says = "ExpressRoute" if lost[0].express_route else "not ExpressRoute"
    reason = (
        f"{decision.reason}; " + ", ".join(o.describe() for o in lost) + f" says {says} "
        f"and is overruled ({rule})"
    )
    return replace(decision, reason=reason, overruled=lost)


def _decide_among(origins: Sequence[Origin], selection: Selection) -> Decision:
    """Rules 1 and 2 of :func:`decide`, over the origins of the deciding source."""
    er = [o for o in origins if o.express_route]
    inet = [o for o in origins if not o.express_route]
    best_er = max(er, key=lambda o: o.rank, default=None)
    best_inet = max(inet, key=lambda o: o.rank, default=None)
    if best_inet is not None and (best_er is None or best_inet.rank >= best_er.rank):
        reason = f"{best_inet.describe()} is not supported over ExpressRoute"
        if best_er is not None:
            reason += f"; it outranks or ties {best_er.describe()}"
        return Decision(Verdict.INTERNET_ONLY, reason, best_inet)
    assert best_er is not None
    communities = tuple(sorted({c for o in er for c in o.communities}))
    if best_inet is not None:
        note = f"; {best_er.describe()} outranks {best_inet.describe()}"
    else:
        note = ""
    if not communities:
        return Decision(
            Verdict.NOT_SELECTED,
            f"{best_er.describe()} is ExpressRoute-eligible but no community carries it in this "
            f"instance{note}",
            best_er,
        )
    if selection.allows_any(communities):
        return Decision(
            Verdict.EXPRESSROUTE,
            f"{best_er.describe()}; the route filter allows "
            + ", ".join(str(c) for c in communities if c in selection)
            + note,
            best_er,
            communities,
        )
    return Decision(
        Verdict.NOT_SELECTED,
        f"{best_er.describe()}; the route filter does not allow "
        + ", ".join(str(c) for c in communities)
        + note,
        best_er,
        communities,
    )


# ---------------------------------------------------------------------------------------------
# Answers


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    prefix: Prefix
    origins: tuple[Origin, ...]


@dataclass(frozen=True, slots=True)
class PrefixAnswer:
    query: str
    prefix: Prefix
    decision: Decision
    longest: CatalogEntry | None
    covering: tuple[CatalogEntry, ...]
    """Every catalog prefix covering the query, most specific first."""
    covered: tuple[CatalogEntry, ...] = ()
    """Catalog prefixes inside the query (when a prefix was asked)."""
    disagreement: Disagreement | None = None
    parts: tuple[PrefixPart, ...] = ()
    """For a prefix asked for: its addresses grouped by the verdict of their longest catalog
    match (what a router forwards by), one part per verdict."""


@dataclass(frozen=True, slots=True)
class PrefixPart:
    """The addresses of an asked-for prefix that share one verdict."""

    verdict: Verdict
    cidrs: tuple[Prefix, ...]
    addresses: int
    catalog_prefixes: tuple[Prefix, ...]
    """The catalog prefixes these addresses match longest (none for not-in-catalog)."""
    communities: tuple[Community, ...] = ()


@dataclass(frozen=True, slots=True)
class FqdnMatch:
    pattern: str
    set_id: int | None
    row: int | None
    winner: bool
    express_route: bool | None
    communities: tuple[Community, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceSide:
    """What one source answers for a destination, and which version of it says so."""

    source: Source
    label: str
    date: str | None
    endpoint_sets: tuple[int, ...]
    rows: tuple[int, ...]
    patterns: tuple[str, ...]
    express_route: bool

    def describe(self) -> str:
        who = ", ".join(
            [f"endpoint set {i}" for i in self.endpoint_sets] + [f"row {r}" for r in self.rows]
        )
        what = " ".join(self.patterns)
        says = "ExpressRoute" if self.express_route else "not ExpressRoute"
        when = f", {self.date}" if self.date else ""
        return f"{self.label}{when}: {who}{' (' + what + ')' if what else ''} says {says}"


@dataclass(frozen=True, slots=True)
class TakenIn:
    """A row's destination name that the web service has since taken in."""

    name: str
    endpoint_sets: tuple[int, ...]
    patterns: tuple[str, ...]
    express_route: bool
    agrees: bool
    """Does the web service answer as the row does (a row without an answer agrees)?"""


@dataclass(frozen=True, slots=True)
class Disagreement:
    """The two sources answer a destination differently; ``winner`` decided it."""

    winner: Source
    rule: str
    sides: tuple[SourceSide, ...]
    """The winning side first, then the overruled one."""


@dataclass(frozen=True, slots=True)
class FqdnAnswer:
    query: str
    decision: Decision
    matches: tuple[FqdnMatch, ...]
    disagreement: Disagreement | None = None


@dataclass(frozen=True, slots=True)
class SplitEntry:
    prefix: Prefix
    decision: Decision
    origins: tuple[Origin, ...]


@dataclass(frozen=True, slots=True)
class Split:
    """The catalog's prefixes divided by a route-filter selection."""

    selection: Selection
    expressroute: tuple[SplitEntry, ...]
    not_selected: tuple[SplitEntry, ...]
    internet_only: tuple[SplitEntry, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
