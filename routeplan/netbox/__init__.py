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

import string
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from routeplan.advertise import AdvFinding, Announced
from routeplan.api import as_prefixes, lint_announcements, routes_from_text
from routeplan.catalog.query import CatalogView
from routeplan.diff import DiffResult, Finding, run_check
from routeplan.errors import InputError, RouteplanError
from routeplan.model import FAIL_ON, Prefix, Severity, fails, worst_of
from routeplan.netbox.objects import communities_of, slug_of, status_of, tags_of
from routeplan.netbox.topology import TopologyConventions, topology_from_netbox
from routeplan.plan import Plan, build_plan
from routeplan.policy import Policy
from routeplan.rib.base import Route
from routeplan.rib.read import RibInput

SEVERITIES = FAIL_ON

__all__ = [
    "DEFAULT_TABLE_PATH",
    "Conventions",
    "DeviceResult",
    "DeviceRun",
    "NetBoxCheck",
    "TopologyConventions",
    "check_devices",
    "check_prefixes",
    "communities_of",
    "device_markdown",
    "prefix_sets",
    "report_devices",
    "report_to_script",
    "run_markdown",
    "script_loggers",
    "status_of",
    "table_path",
    "tags_of",
    "topology_from_netbox",
]


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


def script_loggers(
    script: Any, plan: Plan | None = None
) -> dict[Severity, Callable[[str, Any], None]]:
    """The script's log method for each severity (failure, warning, info); given the plan,
    a stale catalog is logged first as a warning."""
    if plan is not None and plan.catalog_age is not None and plan.catalog_age.stale:
        script.log_warning(plan.catalog_age.warning(), None)
    return {
        Severity.ERROR: script.log_failure,
        Severity.WARNING: script.log_warning,
        Severity.INFO: script.log_info,
    }


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
    log = script_loggers(script, check.plan)
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


# ---------------------------------------------------------------------------------------------
# per-device checks: each device's own route table, from a NetBox Data Source (or an upload)

DEFAULT_TABLE_PATH = "{site}/{device}.txt"
"""Where a device's route table lives in a Data Source: ``<site slug>/<device name>.txt``."""

PATH_FIELDS = ("device", "site", "region", "role", "tenant")
"""The placeholders a table path may use: the device's name, and the slugs of its site, its
site's region, its role and its tenant."""

STATUSES = ("pass", "findings", "fail", "no-table", "unreadable")
"""A device's verdict, as written to its ``routeplan_status`` custom field: no findings;
findings below *Fail on*; findings at or above it; no route table where the path convention
says; a table that cannot be read (or a device the convention cannot name)."""

FAILING = ("fail", "no-table", "unreadable")
"""Verdicts that fail a run (unless *Fail on* is ``never``): a device whose routes cannot be
checked is not a device that passed."""

JOURNAL_KIND = {
    "pass": "success",
    "findings": "warning",
    "fail": "danger",
    "no-table": "danger",
    "unreadable": "danger",
}
"""The NetBox journal entry kind of each verdict."""


def device_label(device: Any) -> str:
    """How messages name a device: its name and site, or its id when it has no name.

    >>> class D: name, site, pk = "edge1", type("S", (), {"name": "AMS1"})(), 7
    >>> device_label(D())
    'edge1 (AMS1)'
    """
    name = getattr(device, "name", None) or f"device #{getattr(device, 'pk', '?')}"
    site = getattr(device, "site", None)
    return f"{name} ({getattr(site, 'name', site)})" if site is not None else str(name)


def table_path(device: Any, template: str = DEFAULT_TABLE_PATH) -> str:
    """The Data Source path of a device's route table under ``template``
    (placeholders: :data:`PATH_FIELDS`). Every value must be one path segment.

    >>> class S: slug, name, region = "ams1", "AMS1", None
    >>> class D: name, site, role, tenant = "edge1", S(), None, None
    >>> table_path(D())
    'ams1/edge1.txt'
    >>> table_path(D(), "{region}/{device}.txt")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    routeplan.errors.InputError: ...device edge1 (AMS1): the table path ... needs its region, ...
    """
    site = getattr(device, "site", None)
    values: dict[str, str | None] = {
        "device": getattr(device, "name", None) or None,
        "site": slug_of(site),
        "region": slug_of(getattr(site, "region", None)),
        "role": slug_of(getattr(device, "role", None)),
        "tenant": slug_of(getattr(device, "tenant", None)),
    }
    who = f"device {device_label(device)}"
    try:
        fields = [f for _, f, spec, conv in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        raise InputError(f"the table path {template!r} is not a template: {exc}") from None
    for f in fields:
        if f not in values:
            raise InputError(
                f"the table path {template!r} names {{{f}}}",
                hint="use " + ", ".join(f"{{{x}}}" for x in PATH_FIELDS),
            )
        value = values[f]
        if value is None:
            what = "name" if f == "device" else f
            raise InputError(
                f"{who}: the table path {template!r} needs its {what}, and it has none"
            )
        if value in (".", "..") or any(c in value for c in "/\\\0"):
            raise InputError(f"{who}: its {f} {value!r} cannot be one segment of a path")
    if not fields:
        raise InputError(f"the table path {template!r} names no device", hint="use {device} in it")
    path = template.format(**{f: values[f] for f in fields})
    if path.startswith("/") or ".." in path.split("/"):
        raise InputError(f"the table path {path!r} leaves the data source", hint="a relative path")
    return path


@dataclass(frozen=True)
class DeviceResult:
    """One device's check: its verdict and, when its table was read, the route check."""

    device: Any
    label: str
    path: str | None
    """Where its table was looked for (None when the convention cannot name it)."""
    status: str
    result: DiffResult | None = None
    problem: str | None = None
    """Why there is no result (no table, unreadable)."""

    @property
    def failing(self) -> bool:
        return self.status in FAILING


@dataclass(frozen=True)
class DeviceRun:
    """Every selected device checked on its own against one plan."""

    plan: Plan
    devices: tuple[DeviceResult, ...]
    fail_on: str
    source: str
    """Where the tables came from (the Data Source's name, or "uploaded file")."""

    def failing(self) -> list[DeviceResult]:
        if self.fail_on == "never":
            return []
        return [d for d in self.devices if d.failing]

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for d in self.devices if d.status == s) for s in STATUSES}


TableReader = Callable[[str], "str | bytes | None"]
"""Gives a device's route table by its path (a NetBox DataFile's data), or None when absent."""


def check_devices(
    view: CatalogView,
    devices: Iterable[Any],
    read_table: TableReader,
    *,
    template: str = DEFAULT_TABLE_PATH,
    source: str = "data source",
    communities: Sequence[str] | None = None,
    services: Sequence[str] | None = None,
    policy: Policy | None = None,
    format_name: str = "auto",
    lenient: bool = False,
    fail_on: str = "error",
) -> DeviceRun:
    """Check each device's own route table (found by ``template``) against one plan: one
    verdict per device, never one blended table (the fleet's rule). A device whose table is
    missing or unreadable gets that verdict; the others are still checked."""
    from routeplan.diff import interest_for  # noqa: PLC0415  (kept off the import path)
    from routeplan.fleet import selection_of  # noqa: PLC0415

    if fail_on not in SEVERITIES:
        raise InputError(f"fail_on must be one of {', '.join(SEVERITIES)}, not {fail_on!r}")
    policy = policy or Policy.default()
    plan = build_plan(view, selection_of(view, communities, services))
    interest = interest_for(plan, policy)
    seen: set[object] = set()
    paths: dict[str, str] = {}
    out: list[DeviceResult] = []
    for device in devices:
        key = getattr(device, "pk", None) or id(device)
        if key in seen:
            continue
        seen.add(key)
        label = device_label(device)
        try:
            path = table_path(device, template)
        except InputError as exc:
            out.append(DeviceResult(device, label, None, "unreadable", problem=str(exc)))
            continue
        if path in paths:  # one file for two devices: the convention cannot tell them apart
            why = f"its table path {path} is also {paths[path]}'s: make the path name one device"
            out.append(DeviceResult(device, label, path, "unreadable", problem=why))
            continue
        paths[path] = label
        data = read_table(path)
        if data is None:
            why = f"no route table at {path} in {source}"
            out.append(DeviceResult(device, label, path, "no-table", problem=why))
            continue
        try:
            rib = routes_from_text(
                data, name=path, format_name=format_name, lenient=lenient, interest=interest
            )
            if not sum(rib.counts.values()) and not rib.skipped:
                raise InputError(f"no IP routes found (read as {rib.format})", source=path)
        except InputError as exc:
            first = str(exc).split("\n", 1)[0]
            out.append(DeviceResult(device, label, path, "unreadable", problem=first))
            continue
        result = run_check(plan, [rib], policy)
        worst = result.worst()
        status = "fail" if fails(worst, fail_on) else "findings" if result.findings else "pass"
        out.append(DeviceResult(device, label, path, status, result))
    if not out:
        raise InputError("no devices selected", hint="choose devices, a site, a region or a tag")
    return DeviceRun(plan, tuple(out), fail_on, source)


PrefixLink = Callable[[Prefix], "str | None"]
"""The NetBox URL to link a prefix to (its Prefix object, or a search), or None."""


def device_markdown(run: DeviceRun, one: DeviceResult, link: PrefixLink | None = None) -> str:
    """A device's verdict and findings in Markdown: the journal entry's text."""
    from routeplan.catalog.age import age_text  # noqa: PLC0415
    from routeplan.report.mdsafe import md_fence, md_text  # noqa: PLC0415
    from routeplan.report.review import deciding_route  # noqa: PLC0415

    def prefix_md(p: Prefix) -> str:
        url = link(p) if link is not None else None
        if not url:
            return f"`{p}`"
        return f"[{p}]({quote(url, safe='/:?=&%#.-_~+')})"

    plan = run.plan
    out = [
        f"**routeplan: {one.status}** (Microsoft 365 over ExpressRoute, "
        f"{md_text(plan.instance)} {md_text(plan.version)})",
        "",
        "Route filter: " + (" ".join(str(c.community) for c in plan.allowed) or "nothing"),
    ]
    if plan.catalog_age is not None and plan.catalog_age.stale:
        out += ["", f"> {md_text(age_text(plan.catalog_age))}"]
    if one.result is None:
        out += ["", md_text(one.problem or one.status)]
        return "\n".join(out) + "\n"
    rib = one.result.inputs[0]
    counts = ", ".join(f"IPv{v} {n}" for v, n in sorted(rib.counts.items()))
    skipped = f"; {rib.skipped} skipped (lenient)" if rib.skipped else ""
    out += [
        f"Route table: `{md_text(one.path)}` from {md_text(run.source)} "
        f"(read as {rib.format}: {counts} routes kept{skipped})",
        "",
    ]
    c = one.result.counts()
    out.append(f"**{c['error']} error(s), {c['warning']} warning(s), {c['info']} info**")
    findings = sorted(one.result.findings, key=lambda f: (-f.severity.rank, str(f.prefix)))
    if findings:
        out += ["", "#### Findings", ""]
        for f in findings:
            route = deciding_route(f)
            out.append(
                f"- **{f.severity.value}** `{f.code.value}` {prefix_md(f.prefix)}: "
                f"{md_text(f.message)}" + (f"; {md_text(route)}" if route else "")
            )
    if one.result.changes:
        out += ["", "#### What to change", ""]
        out += md_fence([f"{x.op} {x.prefix}  ({x.reason})" for x in one.result.changes], "diff")
    return "\n".join(out) + "\n"


def run_markdown(run: DeviceRun) -> str:
    """The run's summary in Markdown: one row per device (the job's output)."""
    from routeplan.report.mdsafe import md_table, md_text  # noqa: PLC0415

    plan = run.plan
    counts = run.counts()
    head = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    rows = []
    for d in run.devices:
        c = d.result.counts() if d.result is not None else None
        rows.append(
            [
                md_text(d.label),
                d.status,
                str(c["error"]) if c else "",
                str(c["warning"]) if c else "",
                md_text(d.path or ""),
                md_text(d.problem or ""),
            ]
        )
    out = [
        f"# Microsoft 365 over ExpressRoute: {md_text(plan.instance)} {md_text(plan.version)}",
        "",
        "Route filter: " + (" ".join(str(c.community) for c in plan.allowed) or "nothing"),
        "",
        f"**{len(run.devices)} device(s): {head}**; route tables from {md_text(run.source)}",
        "",
        *md_table(["device", "verdict", "errors", "warnings", "route table", "why"], rows),
    ]
    return "\n".join(out) + "\n"


def _log_devices(script: Any, run: DeviceRun) -> None:
    """Each device's verdict line and its findings, logged on the device."""
    log = script_loggers(script, run.plan)
    failing = {id(d) for d in run.failing()}
    for d in run.devices:
        line = f"{VERDICT_PREFIX}{d.status}"
        if d.result is not None:
            c = d.result.counts()
            line += f" ({c['error']} error(s), {c['warning']} warning(s), {c['info']} info)"
        else:
            line += f": {d.problem}"
        if id(d) in failing:
            script.log_failure(line, d.device)
        elif d.status == "findings" or d.failing:
            script.log_warning(line, d.device)
        else:
            script.log_success(line, d.device)
        if d.result is not None:
            found = sorted(d.result.findings, key=lambda f: -f.severity.rank)
            for f in found[:MAX_FINDINGS_LOGGED]:
                log[f.severity](f"{f.code.value} {f.prefix}: {f.message}", d.device)
            if len(found) > MAX_FINDINGS_LOGGED:
                script.log_info(
                    f"and {len(found) - MAX_FINDINGS_LOGGED} more finding(s): see the journal",
                    d.device,
                )


VERDICT_PREFIX = "routeplan verdict: "
"""How each device's log line starts (a summary job reads them back)."""

MAX_FINDINGS_LOGGED = 20
"""Findings logged per device; the journal entry holds them all."""


def report_devices(
    script: Any,
    run: DeviceRun,
    *,
    commit: bool,
    journal: Callable[[Any, str, str], Any] | None = None,
    status_field: str | None = None,
    link: PrefixLink | None = None,
    abort: Callable[[str], BaseException] | None = None,
) -> str:
    """Log each device's verdict and findings on the device, write the verdict back (a
    journal entry through ``journal(device, kind, markdown)`` and the ``status_field`` custom
    field) when ``commit``, and set the script's output to the summary.

    NetBox reverts every database change of a script that fails, so a run that writes back
    completes and keeps each failure in its log; a run that writes nothing (``commit`` off, or
    neither ``journal`` nor ``status_field``) ends with ``abort`` when a device fails."""
    _log_devices(script, run)
    writes = journal is not None or bool(status_field)
    if writes and commit:
        for d in run.devices:
            if status_field:
                if hasattr(d.device, "snapshot"):
                    d.device.snapshot()  # NetBox's change log records the value before
                d.device.custom_field_data[status_field] = d.status
                d.device.save()
            if journal is not None:
                journal(d.device, JOURNAL_KIND[d.status], device_markdown(run, d, link))
        script.log_info(
            f"written back for {len(run.devices)} device(s): "
            + ", ".join(x for x in ("a journal entry" if journal else "", status_field or "") if x),
            None,
        )
    elif writes:
        script.log_info("commit is off: no journal entry or custom field written", None)
    report = run_markdown(run)
    script.output = report
    bad = run.failing()
    if bad and not (writes and commit):
        raise (abort or ChecksFailed)(
            f"{len(bad)} of {len(run.devices)} device(s) failed: "
            + ", ".join(f"{d.label} ({d.status})" for d in bad)
        )
    if bad:
        script.log_failure(
            f"{len(bad)} of {len(run.devices)} device(s) failed: "
            + ", ".join(f"{d.label} ({d.status})" for d in bad)
            + " (the job completes so that what was written back is kept)",
            None,
        )
    else:
        script.log_success(f"{len(run.devices)} device(s) checked: none failed", None)
    return report
