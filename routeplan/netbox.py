"""An adapter for NetBox custom scripts. It imports no Django: it works on any objects shaped
like NetBox's (docs/netbox.md), so it is tested with plain stand-ins and runs in a real NetBox.

Conventions (all configurable with :class:`Conventions`):

- a prefix tagged ``expressroute-nat`` is a NAT pool announced to Microsoft over ExpressRoute;
- ``internet-nat``: announced to the Internet;
- ``m365-inbound``: an on-premises endpoint Microsoft connects to from the Internet (the
  inbound rows of the additional-endpoints table: hybrid mail, AD FS, ...);
- ``m365-via-expressroute`` / ``m365-via-internet``: a route the routers are expected to have,
  towards that path (checked like a route table);
- only prefixes whose status is ``active`` count.

:func:`check_prefixes` builds the plan, lints the announcements and checks the route tables;
:func:`report_to_script` logs each finding with ``log_failure`` / ``log_warning`` /
``log_info`` on the related object, sets the script's output to the Markdown report, and,
because ``log_failure`` alone does not fail a NetBox job, raises the given abort exception
(NetBox's ``AbortScript``) when findings reach the chosen severity.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from routeplan.advertise import AdvFinding, Announced
from routeplan.api import as_prefixes, lint_announcements
from routeplan.catalog.query import CatalogView
from routeplan.diff import DiffResult, Finding, run_check
from routeplan.errors import RouteplanError
from routeplan.model import FAIL_ON, Prefix, Severity, fails, worst_of
from routeplan.plan import Plan, build_plan
from routeplan.policy import Policy
from routeplan.rib.base import Route
from routeplan.rib.read import RibInput

SEVERITIES = FAIL_ON


@dataclass(frozen=True, slots=True)
class Conventions:
    """How NetBox objects say what they are. Tags are matched by slug or name."""

    advertise_tag: str = "expressroute-nat"
    internet_tag: str = "internet-nat"
    inbound_tag: str = "m365-inbound"
    expressroute_route_tag: str = "m365-via-expressroute"
    internet_route_tag: str = "m365-via-internet"
    statuses: tuple[str, ...] = ("active",)
    """Statuses that count; empty: every status."""


class ChecksFailed(RouteplanError):
    """Raised by :func:`report_to_script` when no abort exception is given."""


def tags_of(obj: Any) -> set[str]:
    """Tag slugs and names of an object: NetBox's tag manager, or a plain list.

    >>> class Tag:
    ...     def __init__(self, slug, name): self.slug, self.name = slug, name
    >>> sorted(tags_of(type("P", (), {"tags": [Tag("expressroute-nat", "ExpressRoute NAT")]})))
    ['ExpressRoute NAT', 'expressroute-nat']
    """
    tags = getattr(obj, "tags", None)
    if tags is None:
        return set()
    if hasattr(tags, "all"):
        tags = tags.all()
    out: set[str] = set()
    for tag in tags:
        if isinstance(tag, str):
            out.add(tag)
            continue
        for attr in ("slug", "name"):
            value = getattr(tag, attr, None)
            if value:
                out.add(str(value))
    return out


def status_of(obj: Any) -> str | None:
    """A NetBox status (a plain value, or a choice with ``.value``), lower case."""
    status = getattr(obj, "status", None)
    if status is None:
        return None
    value = getattr(status, "value", status)
    return str(value).lower()


def label_of(obj: Any) -> str:
    """How messages name an object: its prefix, with its VRF and site or scope when set."""
    parts = [str(as_prefixes([obj])[0])]
    for attr in ("vrf", "scope", "site"):
        value = getattr(obj, attr, None)
        if value:
            parts.append(f"{attr} {getattr(value, 'name', value)}")
    return " ".join(parts)


@dataclass(frozen=True)
class PrefixSets:
    """NetBox prefixes sorted by the conventions, each traced back to its object."""

    advertise: Announced
    internet: Announced
    inbound: Announced
    expected: RibInput | None
    objects: dict[Prefix, list[Any]] = field(default_factory=dict)

    def object_for(self, prefix: Prefix | None) -> Any:
        """The object of a prefix (the first, when several share it), or None."""
        if prefix is None:
            return None
        found = self.objects.get(prefix)
        return found[0] if found else None


def prefix_sets(
    objects: Iterable[Any], conventions: Conventions | None = None, *, name: str = "NetBox"
) -> PrefixSets:
    """Sort Prefix-like objects into announcements, inbound endpoints and expected routes."""
    c = conventions or Conventions()
    adv: list[Prefix] = []
    inet: list[Prefix] = []
    inbound: list[Prefix] = []
    routes: list[Route] = []
    index: dict[Prefix, list[Any]] = {}
    for n, obj in enumerate(objects, 1):
        if c.statuses and status_of(obj) not in (*c.statuses, None):
            continue
        (prefix,) = as_prefixes([obj], source=name)
        index.setdefault(prefix, []).append(obj)
        tags = tags_of(obj)
        if c.advertise_tag in tags:
            adv.append(prefix)
        if c.internet_tag in tags:
            inet.append(prefix)
        if c.inbound_tag in tags:
            inbound.append(prefix)
        for tag, path in (
            (c.expressroute_route_tag, "expressroute"),
            (c.internet_route_tag, "internet"),
        ):
            if tag in tags:
                routes.append(Route.stated(prefix, path, f"{name}: {label_of(obj)}", n))
    expected = None
    if routes:
        counts = {4: sum(r.prefix.version == 4 for r in routes)}
        counts[6] = len(routes) - counts[4]
        expected = RibInput(f"{name} expected routes", "netbox", tuple(routes), counts, (), 0)
    return PrefixSets(
        Announced(f"{name} tag {c.advertise_tag}", tuple((p, None) for p in adv)),
        Announced(f"{name} tag {c.internet_tag}", tuple((p, None) for p in inet)),
        Announced(f"{name} tag {c.inbound_tag}", tuple((p, None) for p in inbound)),
        expected,
        index,
    )


@dataclass(frozen=True)
class NetBoxCheck:
    """What :func:`check_prefixes` found."""

    plan: Plan
    sets: PrefixSets
    advertisement: tuple[AdvFinding, ...]
    routes: DiffResult | None

    def findings(self) -> list[tuple[Severity, str, Any]]:
        """(severity, message, related object) for every finding, most severe first."""
        out: list[tuple[Severity, str, Any]] = []
        for f in self.advertisement:
            message = f"{f.code.value}: {f.message}. Fix: {f.hint}."
            out.append((f.severity, message, self.sets.object_for(f.prefix)))
        if self.routes is not None:
            for r in self.routes.findings:
                out.append((r.severity, f"{r.code.value}: {r.message}", self._object(r)))
        out.sort(key=lambda t: -t[0].rank)
        return out

    def _object(self, finding: Finding) -> Any:
        if finding.route is not None:
            hit = self.sets.object_for(finding.route.route.prefix)
            if hit is not None:
                return hit
        return self.sets.object_for(finding.prefix)

    def worst(self) -> Severity | None:
        return worst_of(s for s, _, _ in self.findings())


def check_prefixes(
    view: CatalogView,
    objects: Iterable[Any],
    *,
    communities: Sequence[str] | None = None,
    services: Sequence[str] | None = None,
    routes: Sequence[RibInput] = (),
    conventions: Conventions | None = None,
    policy: Policy | None = None,
) -> NetBoxCheck:
    """Plan for the selection, lint the tagged announcements, check the route tables (and the
    routes the tags say to expect)."""
    plan = build_plan(view, view.selection(communities, services))
    sets = prefix_sets(objects, conventions)
    adv: tuple[AdvFinding, ...] = ()
    if sets.advertise.prefixes:
        adv = lint_announcements(
            view,
            [sets.advertise],
            internet=[sets.internet] if sets.internet.prefixes else [],
            inbound=[sets.inbound] if sets.inbound.prefixes else [],
        )
    inputs = list(routes) + ([sets.expected] if sets.expected is not None else [])
    result = run_check(plan, inputs, policy or Policy.default()) if inputs else None
    return NetBoxCheck(plan, sets, adv, result)


def markdown(check: NetBoxCheck) -> str:
    """A short Markdown report for the script's output (:mod:`routeplan.report.netbox`)."""
    from routeplan.report.netbox import render_markdown  # noqa: PLC0415  (it renders these)

    return render_markdown(check)


def report_to_script(
    script: Any,
    check: NetBoxCheck,
    *,
    fail_on: str = "error",
    abort: Callable[[str], BaseException] | None = None,
) -> str:
    """Log every finding on the script (with its object), set the output to the report, and
    end the run as failed when findings reach ``fail_on``. Returns the Markdown report."""
    if fail_on not in SEVERITIES:
        raise ValueError(f"fail_on must be one of {', '.join(SEVERITIES)}, not {fail_on!r}")
    found = check.findings()
    log = {
        Severity.ERROR: script.log_failure,
        Severity.WARNING: script.log_warning,
        Severity.INFO: script.log_info,
    }
    age = check.plan.catalog_age
    if age is not None and age.stale:
        script.log_warning(age.warning(), None)
    for severity, message, obj in found:
        log[severity](message, obj)
    report = markdown(check)
    script.output = report  # kept even when the run is aborted below
    worst = check.worst()
    if fails(worst, fail_on):
        n = sum(1 for s, _, _ in found if fails(s, fail_on))
        message = f"{n} finding(s) at or above {fail_on}"
        raise (abort or ChecksFailed)(message)
    below = f"; {len(found)} finding(s) below {fail_on}" if found else ": no findings"
    script.log_success(
        f"Microsoft 365 routing checked against {check.plan.instance} {check.plan.version}{below}",
        None,
    )
    return report
