"""Reports that CI systems read natively: JUnit XML and SARIF 2.1.0 (docs/ci.md).

Every deciding command (diff, review, plan, topology check) turns its answer into the same
small model first: suites (one per router, announcement file or topology) of cases (one per
catalog prefix checked, announced prefix or site), each holding the findings about it with
the file and line of what decides them. JUnit and SARIF are two renderings of that model, so
they cannot tell different stories.

- **JUnit**: a case fails when one of its findings is at or above ``--fail-on``; the findings
  below it are listed in the case's output. A router that could not be read is a case with an
  ``<error>``. The XML validates against the JUnit schema CI tools share (Jenkins' junit-10.xsd).
- **SARIF**: every finding is a result (error, warning or note), located at the deciding route's
  file and line where there is one, else at the file the finding is about, with a fingerprint
  that stays the same from run to run for the same finding.

Both are deterministic: no timestamps, no durations, no host names.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from routeplan._version import __version__
from routeplan.advertise import AdvFinding
from routeplan.model import FAIL_ON, Severity
from routeplan.report.output import to_json

if TYPE_CHECKING:  # types only: the CI formats must not cost every run the topology stack
    from routeplan.compare import FleetReview, Review
    from routeplan.diff import DiffResult, Finding, FleetResult
    from routeplan.plan_outcome import PlanOutcome
    from routeplan.topology.analysis import Analysis


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding, as CI shows it."""

    rule: str
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    subject: str = ""
    """What the finding is about (a prefix, a site): part of its fingerprint."""


@dataclass(frozen=True, slots=True)
class Case:
    """One thing checked: a catalog prefix on a router, an announced prefix, a site."""

    name: str
    issues: tuple[Issue, ...] = ()
    error: str | None = None
    """Why it could not be checked at all (JUnit ``<error>``; a SARIF error result)."""
    file: str | None = None
    """The file it was checked in (where a finding without a line of its own points)."""


@dataclass(frozen=True, slots=True)
class Suite:
    """The cases of one router, one announcement file or one topology."""

    name: str
    cases: tuple[Case, ...]
    properties: tuple[tuple[str, str], ...] = field(default_factory=tuple)


RULES: dict[str, str] = {
    "er-prefix-via-internet": "An ExpressRoute catalog prefix is routed to the Internet.",
    "internet-only-via-expressroute": "An Internet-only catalog prefix is routed over "
    "ExpressRoute.",
    "unselected-via-expressroute": "A prefix outside the route filter's selection is routed "
    "over ExpressRoute.",
    "split-path": "More-specific routes send parts of a catalog prefix different ways.",
    "no-route": "No route covers a catalog prefix.",
    "unexpected-expressroute-route": "A route is learned over ExpressRoute that no selected "
    "catalog prefix explains.",
    "adv-not-public": "Special-purpose address space announced to Microsoft.",
    "adv-default": "A default route announced to Microsoft.",
    "adv-microsoft-space": "Microsoft 365 address space announced back to Microsoft.",
    "adv-too-many": "More prefixes on one session than Microsoft accepts.",
    "adv-also-internet": "A prefix announced over ExpressRoute and to the Internet at the same "
    "length.",
    "inbound-return-asymmetric": "An inbound endpoint inside space announced over ExpressRoute.",
    "adv-host-bits": "An announced prefix with host bits set.",
    "adv-duplicate": "A prefix announced twice.",
    "no-exit": "A site reaches no ExpressRoute circuit and no Internet breakout.",
    "hairpin": "Internet-bound traffic leaves at a far breakout.",
    "far-circuit": "ExpressRoute traffic crosses a region while a near circuit exists.",
    "single-point-of-failure": "One circuit or router whose loss takes a service off ExpressRoute.",
    "asymmetric-return": "Traffic leaves through a circuit that does not announce the site's "
    "NAT pool.",
    "wrong-path": "A site's traffic does not take the exit the plan intends.",
    "table-not-read": "A router's route table could not be read.",
    "review-verdict": "The change review's verdict.",
    "path-move": "A catalog prefix changes path with the change.",
    "router-one-side": "A router has route tables on one side of the change only.",
    "not-read": "A route table could not be read.",
}
"""The rule of every code CI reports, in one sentence (docs/diff.md, docs/plan.md,
docs/review.md and docs/topology.md explain them)."""

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot hold shown escaped (a route table may
    carry them; the report must still parse).

    >>> xml_text("edge\\x1b[31m1")
    'edge\\\\x1b[31m1'
    """
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def failing(severity: Severity, fail_on: str) -> bool:
    """Whether a finding this severe fails its case under ``--fail-on``.

    >>> failing(Severity.WARNING, "error"), failing(Severity.WARNING, "warning")
    (False, True)
    >>> failing(Severity.ERROR, "never")
    False
    """
    if fail_on not in FAIL_ON:
        raise ValueError(f"unknown --fail-on {fail_on!r}")
    if fail_on == "never":
        return False
    return severity.rank >= Severity(fail_on).rank


def _where(issue: Issue) -> str:
    if issue.file is None:
        return ""
    return f" ({issue.file}:{issue.line})" if issue.line else f" ({issue.file})"


def junit_xml(title: str, suites: Sequence[Suite], fail_on: str) -> str:
    """The suites as JUnit XML: one ``<testsuite>`` per suite, one ``<testcase>`` per case."""
    root = ET.Element("testsuites", name=xml_text(title))
    totals = [0, 0, 0]
    for suite in suites:
        failures = errors = 0
        el = ET.SubElement(root, "testsuite", name=xml_text(suite.name))
        if suite.properties:
            props = ET.SubElement(el, "properties")
            for key, value in suite.properties:
                ET.SubElement(props, "property", name=key, value=xml_text(value))
        for case in suite.cases:
            tc = ET.SubElement(
                el, "testcase", name=xml_text(case.name), classname=_classname(suite)
            )
            if case.error is not None:
                errors += 1
                ET.SubElement(tc, "error", type="not-read", message=xml_text(case.error))
            failed = [i for i in case.issues if failing(i.severity, fail_on)]
            for issue in failed:
                node = ET.SubElement(
                    tc, "failure", type=issue.rule, message=xml_text(issue.message)
                )
                node.text = xml_text(f"{issue.severity.value}: {issue.message}{_where(issue)}")
            failures += bool(failed)
            below = [i for i in case.issues if i not in failed]
            if below:
                out = ET.SubElement(tc, "system-out")
                out.text = xml_text(
                    "\n".join(f"{i.severity.value} {i.rule}: {i.message}{_where(i)}" for i in below)
                )
        el.set("tests", str(len(suite.cases)))
        el.set("failures", str(failures))
        el.set("errors", str(errors))
        el.set("skipped", "0")
        totals[0] += len(suite.cases)
        totals[1] += failures
        totals[2] += errors
    root.set("tests", str(totals[0]))
    root.set("failures", str(totals[1]))
    root.set("errors", str(totals[2]))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _classname(suite: Suite) -> str:
    """``routeplan.<command>.<subject>``, with the dots of file and host names kept out of the
    subject (CI views split the class path on dots).

    >>> _classname(Suite("diff edge1.example.net", ()))
    'routeplan.diff.edge1_example_net'
    """
    command, _, subject = suite.name.partition(" ")
    subject = re.sub(r"[^A-Za-z0-9_-]+", "_", subject).strip("_")
    return f"routeplan.{command}" + (f".{subject}" if subject else "")


def artifact_uri(path: str) -> str:
    """A file name as a SARIF artifact URI: relative names stay relative (code-scanning views
    resolve them against the repository), absolute ones become ``file:`` URIs.

    >>> artifact_uri("captures/edge 1.txt")
    'captures/edge%201.txt'
    >>> artifact_uri("/srv/ribs/edge1.txt")
    'file:///srv/ribs/edge1.txt'
    >>> artifact_uri(r"C:\\ribs\\edge1.txt")
    'file:///C:/ribs/edge1.txt'
    """
    win = PureWindowsPath(path)
    if win.drive and win.is_absolute():
        return "file:///" + quote(win.as_posix(), safe="/:")
    posix = PurePosixPath(path.replace("\\", "/") if win.drive else path)
    text = quote(posix.as_posix(), safe="/")
    return "file://" + text if posix.is_absolute() else text


def _result(suite: Suite, case: Case, issue: Issue) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": issue.rule,
        "level": _LEVEL[issue.severity],
        "message": {"text": xml_text(issue.message)},
    }
    file = issue.file or case.file
    if file is not None:
        location: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(file)}}
        if issue.line:
            location["region"] = {"startLine": issue.line}
        result["locations"] = [{"physicalLocation": location}]
    key = "\x1f".join((suite.name, case.name, issue.rule, issue.subject))
    result["partialFingerprints"] = {
        "routeplanFinding/v1": hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    }
    result["properties"] = {"suite": suite.name, "case": case.name}
    return result


def sarif(suites: Sequence[Suite]) -> dict[str, Any]:
    """The suites' findings as one SARIF 2.1.0 log (one run of routeplan)."""
    results: list[dict[str, Any]] = []
    for suite in suites:
        for case in suite.cases:
            issues = list(case.issues)
            if case.error is not None:
                issues.insert(0, Issue("not-read", Severity.ERROR, case.error, case.file))
            results.extend(_result(suite, case, i) for i in issues)
    used = sorted({r["ruleId"] for r in results})
    rules = [{"id": rule, "shortDescription": {"text": RULES.get(rule, rule)}} for rule in used]
    for r in results:
        r["ruleIndex"] = used.index(r["ruleId"])
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "routeplan",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def group_cases(
    names: Iterable[str], issues: Iterable[tuple[str, Issue]], file: str | None
) -> tuple[Case, ...]:
    """Cases named ``names`` (in order) with each ``(case name, issue)`` put under its case; an
    issue about a name not among them gets a case of its own, after the others."""
    order = list(dict.fromkeys(names))
    held: dict[str, list[Issue]] = {n: [] for n in order}
    for name, issue in issues:
        if name not in held:
            held[name] = []
            order.append(name)
        held[name].append(issue)
    return tuple(Case(n, tuple(held[n]), file=file) for n in order)


# ---------------------------------------------------------------------------------------------
# each command's answer as suites


def finding_issue(f: Finding) -> Issue:
    """A route check's finding, at its deciding route's file and line."""
    route = f.route.route if f.route is not None else None
    return Issue(
        f.code.value,
        f.severity,
        f.message,
        route.source if route is not None else None,
        route.line if route is not None else None,
        str(f.prefix),
    )


def _one_file(result: DiffResult) -> str | None:
    return result.inputs[0].source if len(result.inputs) == 1 else None


def check_suite(name: str, result: DiffResult) -> Suite:
    """One router's check: a case per catalog prefix checked, failing on its findings."""
    issues = [(str(f.prefix), finding_issue(f)) for f in result.findings]
    return Suite(
        name,
        group_cases((str(p) for p in sorted(result.actual)), issues, _one_file(result)),
        (
            ("catalog", f"{result.instance} {result.version}"),
            ("route_filter", result.selection.asked),
            ("route_tables", ", ".join(i.source for i in result.inputs)),
        ),
    )


def diff_suites(result: FleetResult) -> list[Suite]:
    """``routeplan diff``: a suite per router; a router whose tables could not be read is a
    case in error."""
    out = [check_suite(f"diff {r.name}", r.result) for r in result.routers]
    out += [
        Suite(f"diff {name}", (Case("route tables", error=error),)) for name, error in result.failed
    ]
    return out


def _at(where: str | None) -> tuple[str | None, int | None]:
    """``file:line`` split (a file name may hold colons).

    >>> _at("captures/edge1.txt:12"), _at(None)
    (('captures/edge1.txt', 12), (None, None))
    """
    if not where:
        return None, None
    file, _, line = where.rpartition(":")
    return (file, int(line)) if file and line.isdigit() else (where, None)


def review_cases(review: Review) -> tuple[Case, ...]:
    """One router's review: its verdict, then a case per catalog prefix checked after the
    change, failing on a path move (an error when the prefix loses every route) or a new
    finding."""
    verdict = review.verdict
    head: list[tuple[str, Issue]] = []
    if verdict.severity is not None:
        head.append(
            (
                "verdict",
                Issue(
                    "review-verdict",
                    verdict.severity,
                    f"{verdict.value}: " + "; ".join(review.reasons),
                ),
            )
        )
    issues: list[tuple[str, Issue]] = []
    for m in review.moves:
        lost = m.actual_after == "no route" and m.actual_before != "no route"
        file, line = _at(m.route_after or m.route_before)
        issues.append(
            (
                str(m.prefix),
                Issue(
                    "path-move",
                    Severity.ERROR if lost else Severity.WARNING,
                    f"{m.prefix} goes {m.before} before the change and {m.after} after it "
                    f"({', '.join(m.causes)}; intended: {m.intended_after})",
                    file,
                    line,
                    str(m.prefix),
                ),
            )
        )
    issues += [
        (str(d.finding.prefix), finding_issue(d.finding))
        for d in review.finding_deltas
        if d.status == "new"
    ]
    after = review.after.check
    names = ["verdict"]
    if after is not None:
        names += [str(p) for p in sorted(after.actual)]
    return group_cases(names, head + issues, _one_file(after) if after is not None else None)


def review_suites(fleet: FleetReview) -> list[Suite]:
    """``routeplan review``: a suite per router."""
    out = [Suite(f"review {r.name}", review_cases(r.review)) for r in fleet.routers]
    for names, side in ((fleet.added, "after"), (fleet.removed, "before")):
        for name in names:
            issue = Issue(
                "router-one-side",
                Severity.WARNING,
                f"{name} has route tables {side} the change only",
                subject=name,
            )
            out.append(Suite(f"review {name}", (Case("route tables", (issue,)),)))
    out += [
        Suite(f"review {name}", (Case("route tables", error=error),))
        for name, error in fleet.failed
    ]
    return out


def plan_suites(outcome: PlanOutcome) -> list[Suite]:
    """``routeplan plan``: a suite per ``--advertise`` file (a case per announced prefix), one
    per ``--inbound`` file with findings, and the route check of ``--routes``."""
    out: list[Suite] = []
    findings = list(outcome.advertisement or ())
    sources = [s.source for s in outcome.sessions]
    for session in outcome.sessions:
        issues = [
            (str(f.prefix) if f.prefix is not None else "session", _adv_issue(f))
            for f in findings
            if f.source == session.source
        ]
        names = [str(p) for p, _ in session.prefixes]
        out.append(Suite(f"advertise {session.source}", group_cases(names, issues, session.source)))
    others: dict[str, list[tuple[str, Issue]]] = {}
    for f in findings:
        if f.source not in sources:
            name = str(f.prefix) if f.prefix is not None else f.source
            others.setdefault(f.source, []).append((name, _adv_issue(f)))
    for source, issues in others.items():
        out.append(Suite(f"inbound {source}", group_cases((), issues, source)))
    if outcome.check is not None:
        files = ", ".join(i.source for i in outcome.check.inputs)
        out.append(check_suite(f"routes {files}", outcome.check))
    return out


def _adv_issue(f: AdvFinding) -> Issue:
    return Issue(f.code.value, f.severity, f.message, f.source, f.line, str(f.prefix or ""))


def topology_suites(analysis: Analysis) -> list[Suite]:
    """``routeplan topology check``: one suite, a case per site; a finding about no site (a
    circuit, a link) is a case of its own."""
    topo = analysis.topology
    issues: list[tuple[str, Issue]] = []
    for f in analysis.findings:
        issue = Issue(f.code, f.severity, f.message, topo.source, None, f.subject or "")
        for site in f.sites or (f.subject or f.code,):
            issues.append((site, issue))
    cases = group_cases((s.name for s in topo.sites), issues, topo.source)
    return [Suite(f"topology {topo.source}", cases)]


CI_FORMATS = ("junit", "sarif")
"""The ``--output`` values of the CI reports."""


def ci_report(fmt: str, title: str, suites: Sequence[Suite], fail_on: str) -> str:
    """The suites as ``junit`` XML or a ``sarif`` log (JSON text)."""
    if fmt == "junit":
        return junit_xml(title, suites, fail_on)
    if fmt == "sarif":
        return to_json(sarif(suites))
    raise ValueError(f"not a CI format: {fmt!r}")
