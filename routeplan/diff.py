"""The check behind ``routeplan diff``: intended path of every catalog prefix against the path
the route tables really give it.

The routes go into one pytricia trie per address family (built once). For each catalog prefix
of the chosen instance the intended path is ExpressRoute when the prefix is eligible and the
route filter selects its community, otherwise the Internet; the actual path comes from the
longest-prefix match for the whole prefix *and* every more-specific route inside it.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from routeplan.catalog.age import CatalogAge
from routeplan.catalog.query import Origin, Selection, Verdict
from routeplan.model import PathKind, Prefix, Severity, worst_of
from routeplan.plan import Plan
from routeplan.policy import Classifier, PathClass, Policy
from routeplan.rib.base import Interest, Route
from routeplan.rib.read import RibInput
from routeplan.trie import PrefixTrie


class Code(str, enum.Enum):
    """Stable finding codes (docs/diff.md)."""

    ER_VIA_INTERNET = "er-prefix-via-internet"
    INTERNET_ONLY_VIA_ER = "internet-only-via-expressroute"
    UNSELECTED_VIA_ER = "unselected-via-expressroute"
    SPLIT_PATH = "split-path"
    NO_ROUTE = "no-route"
    UNEXPECTED_ER_ROUTE = "unexpected-expressroute-route"


SEVERITY = {
    Code.ER_VIA_INTERNET: Severity.ERROR,
    Code.INTERNET_ONLY_VIA_ER: Severity.ERROR,
    Code.UNSELECTED_VIA_ER: Severity.WARNING,
    Code.SPLIT_PATH: Severity.WARNING,
    Code.NO_ROUTE: Severity.ERROR,
    Code.UNEXPECTED_ER_ROUTE: Severity.INFO,
}


@dataclass(frozen=True, slots=True)
class ClassifiedRoute:
    route: Route
    path: PathClass
    reason: str


@dataclass(frozen=True, slots=True)
class Finding:
    code: Code
    prefix: Prefix
    """The catalog prefix (or, for unexpected-expressroute-route, the route's prefix)."""
    message: str
    expected: str | None
    actual: str | None
    set_ids: tuple[int, ...] = ()
    rows: tuple[int, ...] = ()
    route: ClassifiedRoute | None = None

    @property
    def severity(self) -> Severity:
        return SEVERITY[self.code]


@dataclass(frozen=True, slots=True)
class Change:
    """A line of the intended-vs-actual diff: ``+`` must join the ExpressRoute path, ``-``
    must leave it."""

    op: str
    prefix: Prefix
    reason: str


@dataclass(frozen=True, slots=True)
class Actual:
    """The path a catalog prefix really takes: ``expressroute``, ``internet``, ``internal``,
    ``split`` (more-specific routes send parts different ways) or ``no route``."""

    path: ActualPath
    route: ClassifiedRoute | None
    """The route that decides it (the first part, for a split)."""


def actual_of(parts: Sequence[ClassifiedRoute], unrouted: bool) -> Actual:
    if not parts:
        return Actual("no route", None)
    paths = {c.path for c in parts}
    if len(paths) > 1 or unrouted:
        return Actual("split", parts[0])
    return Actual(_ACTUAL[parts[0].path], parts[0])


ActualPath = Literal["expressroute", "internet", "internal", "split", "no route"]
"""The path a catalog prefix really takes (:class:`Actual`)."""
_ACTUAL: dict[PathKind, ActualPath] = {
    PathKind.EXPRESSROUTE: "expressroute",
    PathKind.INTERNET: "internet",
    PathKind.INTERNAL: "internal",
}


@dataclass(frozen=True, slots=True)
class DiffResult:
    instance: str
    version: str
    selection: Selection
    policy: str | None
    inputs: tuple[RibInput, ...]
    checked: tuple[int, ...]
    """Address families checked (present in the input)."""
    not_checked: tuple[str, ...]
    catalog_prefixes: dict[str, int]
    """Catalog prefixes checked per intended path."""
    findings: tuple[Finding, ...]
    changes: tuple[Change, ...]
    actual: dict[Prefix, Actual] = field(default_factory=dict)
    """Where each checked catalog prefix really goes."""
    catalog_age: CatalogAge | None = None
    """How old the plan's catalog data is (docs/catalog.md)."""

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Severity}
        for f in self.findings:
            out[f.severity.value] += 1
        return out

    def worst(self) -> Severity | None:
        return worst_of(f.severity for f in self.findings)

    @property
    def skipped(self) -> int:
        return sum(len(i.skipped) for i in self.inputs)


@dataclass(frozen=True, slots=True)
class RouterResult:
    """One router's check: its name and the result of its own route tables alone."""

    name: str
    result: DiffResult


@dataclass(frozen=True, slots=True)
class FleetResult:
    """Every router checked on its own against one plan (never one blended table)."""

    routers: tuple[RouterResult, ...]
    failed: tuple[tuple[str, str], ...] = ()
    """Routers that could not be checked (a file missing or unreadable), with the error:
    reported for that router while the others are checked (an inventory run)."""

    def worst(self) -> Severity | None:
        return worst_of(s for r in self.routers if (s := r.result.worst()) is not None)

    @property
    def skipped(self) -> int:
        return sum(r.result.skipped for r in self.routers)

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Severity}
        for r in self.routers:
            for key, n in r.result.counts().items():
                out[key] += n
        return out

    def wrong_prefixes(self) -> dict[Prefix, tuple[str, ...]]:
        """Each catalog prefix with a finding, and the routers it is wrong on."""
        out: dict[Prefix, list[str]] = {}
        for r in self.routers:
            for f in r.result.findings:
                names = out.setdefault(f.prefix, [])
                if r.name not in names:
                    names.append(r.name)
        return {p: tuple(v) for p, v in sorted(out.items())}


def check_routers(
    plan: Plan, routers: Sequence[tuple[str, Sequence[RibInput]]], policy: Policy
) -> FleetResult:
    """Check each router's route tables on their own (a router may have several files: IPv4
    and IPv6 captures, VRFs). Router names must be unique."""
    seen: set[str] = set()
    for name, _ in routers:
        if name in seen:
            raise ValueError(f"router {name!r} given twice: give all its files in one entry")
        seen.add(name)
    return FleetResult(
        tuple(RouterResult(name, run_check(plan, inputs, policy)) for name, inputs in routers)
    )


def interest_for(plan: Plan | Sequence[Plan], policy: Policy) -> Interest:
    """What the readers must keep for a check against this plan (or any of these plans)."""
    plans = [plan] if isinstance(plan, Plan) else list(plan)
    return policy.interest({e.prefix for p in plans for e in p.entries})


def _blind_spots(
    inputs: Sequence[RibInput], trie: PrefixTrie[list[ClassifiedRoute]], policy: Policy
) -> tuple[str, ...]:
    """What the inputs cannot show, said where it can make an answer wrong: BGP routes whose
    view prints no AS path (``show ip route``) and that the policy does not name are read as
    internal; a policy that names communities cannot match a view that prints none.

    >>> _blind_spots([], PrefixTrie(), Policy.default())
    ()
    """
    notes = []
    blind: dict[str, int] = {}
    for _, classified in trie.items():
        for c in classified:
            r = c.route
            if r.protocol == "bgp" and not r.as_path and c.path is PathClass.INTERNAL:
                blind[r.source] = blind.get(r.source, 0) + 1
    for source, n in blind.items():
        notes.append(
            f"{source}: {n} BGP route(s) with no AS path (this view prints none) are read as "
            "internal; name the ExpressRoute next hops or neighbours in --policy to classify "
            "them, or capture the BGP table"
        )
    named = policy.expressroute.communities | policy.internet.communities
    if named:
        for i in inputs:
            if i.routes and not any(r.communities for r in i.routes):
                notes.append(
                    f"{i.source}: the policy names communities, but no route here carries any "
                    f"({i.format} prints none in this view): they cannot mark a path"
                )
    return tuple(notes)


def _effective(routes: Sequence[Route]) -> list[Route]:
    """The paths that forward traffic: the best ones, else the valid ones, else all."""
    best = [r for r in routes if r.best and r.valid]
    if best:
        return best
    return [r for r in routes if r.valid] or list(routes)


def _families_present(inputs: Sequence[RibInput]) -> set[int]:
    return {v for i in inputs for v, n in i.counts.items() if n}


def _coverage(prefix: Prefix, inside: Sequence[Prefix]) -> bool:
    """Do these more-specific prefixes cover all of ``prefix``?"""
    outer = sorted(set(inside), key=lambda p: (p.network, p.length))
    total = 0
    last_end = -1
    for p in outer:
        if p.first <= last_end:
            continue  # inside one counted already
        total += p.num_addresses
        last_end = p.last
    return total >= prefix.num_addresses


def run_check(plan: Plan, inputs: Sequence[RibInput], policy: Policy) -> DiffResult:
    """Compare the plan's intended path of every catalog prefix with the actual one; the
    findings and the changes."""
    routes = [r for i in inputs for r in i.routes]
    classifier = Classifier(policy, routes)
    grouped: dict[Prefix, list[Route]] = {}
    for route in routes:
        grouped.setdefault(route.prefix, []).append(route)
    trie: PrefixTrie[list[ClassifiedRoute]] = PrefixTrie()
    for prefix, group in grouped.items():
        trie[prefix] = [ClassifiedRoute(r, *classifier.classify(r)) for r in _effective(group)]

    present = _families_present(inputs)
    not_checked = tuple(
        f"IPv{v} not checked: no IPv{v} routes in the input" for v in (4, 6) if v not in present
    ) + _blind_spots(inputs, trie, policy)
    findings: list[Finding] = []
    changes: list[Change] = []
    intended_counts = {"expressroute": 0, "internet": 0}
    er_catalog: PrefixTrie[bool] = PrefixTrie()
    actual: dict[Prefix, Actual] = {}
    for entry in plan.entries:
        prefix, origins, decision = entry.prefix, entry.origins, entry.decision
        if decision.verdict is Verdict.EXPRESSROUTE:
            er_catalog[prefix] = True
        if prefix.version not in present:
            continue
        intended = (
            PathClass.EXPRESSROUTE
            if decision.verdict is Verdict.EXPRESSROUTE
            else PathClass.INTERNET
        )
        intended_counts[intended.value] += 1
        parts, unrouted = _parts(prefix, trie)
        actual[prefix] = actual_of(parts, unrouted)
        finding = _check_prefix(prefix, origins, decision.verdict, intended, parts, unrouted)
        if finding is None:
            continue
        findings.append(finding)
        change = _change_for(finding, intended)
        if change is not None:
            changes.append(change)

    for prefix in grouped:
        if prefix.version not in present:
            continue
        classified = trie.get(prefix) or []
        er = [c for c in classified if c.path is PathClass.EXPRESSROUTE and c.route.as_path]
        if not er:
            continue
        if er_catalog.longest(prefix) is not None:
            continue  # inside (or equal to) a selected ExpressRoute catalog prefix
        first = er[0]
        findings.append(
            Finding(
                Code.UNEXPECTED_ER_ROUTE,
                prefix,
                f"{prefix} is learned over ExpressRoute ({first.reason}) but no selected "
                "catalog prefix explains it",
                None,
                PathClass.EXPRESSROUTE.value,
                route=first,
            )
        )
    findings.sort(key=lambda f: (-f.severity.rank, f.code.value, f.prefix))
    changes.sort(key=lambda c: (c.prefix, c.op))
    return DiffResult(
        instance=plan.instance,
        version=plan.version,
        selection=plan.selection,
        policy=policy.source,
        inputs=tuple(inputs),
        checked=tuple(sorted(present)),
        not_checked=not_checked,
        catalog_prefixes=intended_counts,
        findings=tuple(findings),
        changes=tuple(changes),
        actual=actual,
        catalog_age=plan.catalog_age,
    )


def _describe(path: PathClass | None) -> str:
    return "no route" if path is None else path.value


def _parts(
    prefix: Prefix, trie: PrefixTrie[list[ClassifiedRoute]]
) -> tuple[list[ClassifiedRoute], bool]:
    """The routes that carry some of ``prefix`` (the covering route unless more-specific routes
    cover all of it, then those), and whether part of it has no route."""
    covering = trie.longest(prefix)
    inside = trie.covered(prefix)
    parts: list[ClassifiedRoute] = []
    for _, classified in inside:
        parts.extend(classified)
    fully_inside = bool(inside) and _coverage(prefix, [c[0].route.prefix for _, c in inside if c])
    if covering is not None and not fully_inside:
        parts = list(covering[1]) + parts
    return parts, covering is None and not fully_inside


def _check_prefix(
    prefix: Prefix,
    origins: Sequence[Origin],
    verdict: Verdict,
    intended: PathClass,
    parts: list[ClassifiedRoute],
    unrouted: bool,
) -> Finding | None:
    set_ids = tuple(sorted({o.set_id for o in origins if o.set_id is not None}))
    rows = tuple(sorted({r for o in origins for r in o.rows} | {o.row for o in origins if o.row}))
    paths = {c.path for c in parts}

    def finding(code: Code, message: str, actual: str, route: ClassifiedRoute | None) -> Finding:
        return Finding(code, prefix, message, intended.value, actual, set_ids, rows, route)

    if not parts:
        return finding(
            Code.NO_ROUTE,
            f"{prefix} has no route at all, not even a default",
            "no route",
            None,
        )
    if intended is PathClass.EXPRESSROUTE:
        wrong = [c for c in parts if c.path is not PathClass.EXPRESSROUTE]
        if not wrong and not unrouted:
            return None
        if PathClass.EXPRESSROUTE not in paths:
            first = wrong[0]
            return finding(
                Code.ER_VIA_INTERNET,
                f"{prefix} should go over ExpressRoute but goes via {first.path.value}: "
                f"{first.route.prefix} ({first.reason})",
                first.path.value,
                first,
            )
        culprit = wrong[0] if wrong else None
        how = (
            f"{culprit.route.prefix} goes via {culprit.path.value} ({culprit.reason})"
            if culprit
            else "part of it has no route"
        )
        if unrouted and culprit:
            how += "; part of it has no route"
        return finding(
            Code.SPLIT_PATH,
            f"{prefix} is split: part goes over ExpressRoute, {how}",
            "split",
            culprit,
        )
    er = [c for c in parts if c.path is PathClass.EXPRESSROUTE]
    if not er:
        return None
    first = er[0]
    if verdict is Verdict.INTERNET_ONLY:
        return finding(
            Code.INTERNET_ONLY_VIA_ER,
            f"{prefix} is Internet-only but falls under {first.route.prefix}, a route towards "
            f"ExpressRoute ({first.reason})",
            PathClass.EXPRESSROUTE.value if len(paths) == 1 else "split",
            first,
        )
    return finding(
        Code.UNSELECTED_VIA_ER,
        f"{prefix} is eligible but not selected by the route filter, yet {first.route.prefix} "
        f"sends it over ExpressRoute ({first.reason})",
        PathClass.EXPRESSROUTE.value if len(paths) == 1 else "split",
        first,
    )


def _change_for(finding: Finding, intended: PathClass) -> Change | None:
    if intended is PathClass.EXPRESSROUTE:
        return Change("+", finding.prefix, finding.code.value)
    if finding.code in (Code.INTERNET_ONLY_VIA_ER, Code.UNSELECTED_VIA_ER):
        return Change("-", finding.prefix, finding.code.value)
    return None
