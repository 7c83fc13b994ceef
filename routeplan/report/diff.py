"""Rendering a :class:`~routeplan.check.DiffResult`: text, Markdown and the versioned JSON
contract ``routeplan/diff/1`` (docs/diff.md)."""

from __future__ import annotations

from typing import Any

from routeplan.catalog.age import age_text
from routeplan.diff import DiffResult, Finding, FleetResult
from routeplan.errors import printable
from routeplan.model import Severity
from routeplan.report.document import (
    Block,
    Code,
    Document,
    Note,
    Section,
    Span,
    para,
    spans,
    table,
)
from routeplan.report.document import render_markdown as document_markdown

SCHEMA = "routeplan/diff/1"
FLEET_SCHEMA = "routeplan/diff/2"
_TITLES = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.INFO: "Information"}


def finding_record(f: Finding) -> dict[str, Any]:
    route = None
    if f.route is not None:
        r = f.route.route
        route = {
            "prefix": str(r.prefix),
            "next_hop": r.next_hop,
            "as_path": list(r.as_path),
            "protocol": r.protocol,
            "path": f.route.path.value,
            "reason": f.route.reason,
            "source": r.source,
            "line": r.line,
        }
    return {
        "code": f.code.value,
        "severity": f.severity.value,
        "prefix": str(f.prefix),
        "expected": f.expected,
        "actual": f.actual,
        "endpoint_sets": list(f.set_ids),
        "rows": list(f.rows),
        "message": f.message,
        "route": route,
    }


def diff_record(result: DiffResult) -> dict[str, Any]:
    """The JSON document (schema ``routeplan/diff/1``)."""
    counts = result.counts()
    return {
        "schema": SCHEMA,
        "catalog": {
            "instance": result.instance,
            "version": result.version,
            **({"age": result.catalog_age.record()} if result.catalog_age else {}),
        },
        "route_filter": {
            "asked": result.selection.asked,
            "communities": sorted(str(c) for c in result.selection.communities),
        },
        "policy": result.policy,
        "inputs": [
            {
                "file": i.source,
                "format": i.format,
                "routes": {"ipv4": i.counts.get(4, 0), "ipv6": i.counts.get(6, 0)},
                "kept": len(i.routes),
                "skipped_lines": len(i.skipped),
                "host_bits_cleared": i.host_bits,
                "sections_skipped": list(i.sections_skipped),
            }
            for i in result.inputs
        ],
        "summary": {
            "checked": [f"ipv{v}" for v in result.checked],
            "not_checked": list(result.not_checked),
            "catalog_prefixes": dict(result.catalog_prefixes),
            "findings": counts,
            "changes": len(result.changes),
            "skipped_lines": result.skipped,
        },
        "findings": [finding_record(f) for f in result.findings],
        "changes": [
            {"op": c.op, "prefix": str(c.prefix), "reason": c.reason} for c in result.changes
        ],
        "skipped": [
            {"file": s.source, "line": s.line, "reason": s.reason, "text": s.text}
            for i in result.inputs
            for s in i.skipped
        ],
    }


def summary_line(result: DiffResult) -> str:
    """One line: the counts that matter.

    The words are stable; scripts may grep for ``0 errors``.
    """
    c = result.counts()
    checked = result.catalog_prefixes
    line = (
        f"{c['error']} errors, {c['warning']} warnings, {c['info']} info; "
        f"{checked['expressroute'] + checked['internet']} catalog prefixes checked "
        f"({checked['expressroute']} ExpressRoute, {checked['internet']} Internet)"
    )
    if result.skipped:
        line += f"; {result.skipped} malformed lines skipped (--lenient): the result is incomplete"
    return line


def _inputs_text(result: DiffResult) -> list[str]:
    out = []
    for i in result.inputs:
        out.append(
            f"  {i.source} ({i.format}): {i.counts.get(4, 0):,} IPv4 and {i.counts.get(6, 0):,} "
            f"IPv6 paths, {len(i.routes):,} kept"
            + (f", {i.host_bits} with host bits cleared" if i.host_bits else "")
            + ("; not read: " + ", ".join(i.sections_skipped) if i.sections_skipped else "")
        )
    return out


def render_text(result: DiffResult) -> str:
    lines = [
        f"routeplan diff: {result.instance} {result.version}, route filter: "
        f"{result.selection.asked}",
        *([age_text(result.catalog_age) or ""] if result.catalog_age else []),
        *_inputs_text(result),
    ]
    lines.extend(f"  {note}" for note in result.not_checked)
    lines.append("")
    if result.changes:
        lines.append("ExpressRoute path, intended vs actual (+ add to it, - remove from it):")
        lines.extend(f"{c.op} {c.prefix!s:<24} {c.reason}" for c in result.changes)
        lines.append("")
    for severity in Severity:
        group = [f for f in result.findings if f.severity is severity]
        if not group:
            continue
        lines.append(f"{_TITLES[severity]} ({len(group)}):")
        for f in group:
            lines.append(f"  {f.code.value:<31} {f.prefix}")
            lines.append(f"      {f.message}")
            if f.route is not None:
                lines.append(f"      deciding route: {f.route.route.where}")
        lines.append("")
    for i in result.inputs:
        for s in i.skipped[:20]:
            lines.append(f"skipped {s.source}:{s.line}: {s.reason}")
    lines.append("Summary: " + summary_line(result))
    return printable("\n".join(lines) + "\n")


def _diff_parts(result: DiffResult, *, ids: bool = True) -> tuple[list[Block], list[Section]]:
    """A route check's opening blocks and sections (one router's part of a fleet report,
    without the page-wide ids then)."""
    head: list[Block] = [
        para(Span("Summary:", "b"), f" {summary_line(result)}"),
        para(f"Route filter: {result.selection.asked}"),
    ]
    if result.catalog_age:
        head.append(Note(spans(age_text(result.catalog_age) or ""), "catalog-age" if ids else None))
    head.append(
        table(
            ["input", "format", "IPv4 paths", "IPv6 paths", "kept"],
            [
                [i.source, i.format, i.counts.get(4, 0), i.counts.get(6, 0), len(i.routes)]
                for i in result.inputs
            ],
        )
    )
    head += [Note(spans(note)) for note in result.not_checked]
    sections = []
    if result.changes:
        lines = tuple(f"{c.op} {c.prefix}  {c.reason}" for c in result.changes)
        sections.append(Section("Changes to the ExpressRoute path", (Code(lines, "diff"),)))
    if result.findings:
        rows = [
            [
                f.severity.value, Span(f.code.value, "code"), f.prefix, f.expected or "",
                f.actual or "", f.route.route.where if f.route else "", f.message,
            ]
            for f in result.findings
        ]  # fmt: skip
        head_row = ["severity", "code", "prefix", "expected", "actual", "deciding route", "message"]
        sections.append(Section("Findings", (table(head_row, rows),)))
    return head, sections


def diff_document(result: DiffResult) -> Document:
    """A route check as sections: the summary and inputs, the changes, the findings."""
    head, sections = _diff_parts(result)
    return Document(
        f"routeplan diff: {result.instance} {result.version}", tuple(head), tuple(sections)
    )


def render_markdown(result: DiffResult) -> str:
    return document_markdown(diff_document(result))


# ---------------------------------------------------------------------------------------------
# One section per router (routeplan/diff/2)


def fleet_record(fleet: FleetResult) -> dict[str, Any]:
    """The JSON document (schema ``routeplan/diff/2``): the diff/1 fields, taken over every
    router (each finding and change names its router), plus ``routers``, one section per
    router with its own inputs, summary, findings and changes, and ``fleet``, the aggregate."""
    first = fleet.routers[0].result
    sections = []
    findings: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    inputs: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    for r in fleet.routers:
        one = diff_record(r.result)
        for key, target in (
            ("findings", findings),
            ("changes", changes),
            ("inputs", inputs),
            ("skipped", skipped),
        ):
            for item in one[key]:
                item["router"] = r.name
                target.append(item)
        sections.append(
            {
                "name": r.name,
                "worst": None if (w := r.result.worst()) is None else w.value,
                **{k: one[k] for k in ("inputs", "summary", "findings", "changes", "skipped")},
            }
        )
    worst = fleet.worst()
    record = diff_record(first)
    record.update(
        {
            "schema": FLEET_SCHEMA,
            "inputs": inputs,
            "findings": findings,
            "changes": changes,
            "skipped": skipped,
            "routers": sections,
            "fleet": {
                "routers": len(fleet.routers),
                "worst": None if worst is None else worst.value,
                "findings": fleet.counts(),
                "per_code": _per_code(fleet),
                "wrong_prefixes": [
                    {"prefix": str(p), "routers": list(names)}
                    for p, names in fleet.wrong_prefixes().items()
                ],
                "not_checked": [{"router": n, "error": e} for n, e in fleet.failed],
            },
        }
    )
    record["summary"] = {
        **record["summary"],
        "findings": fleet.counts(),
        "changes": len(changes),
        "skipped_lines": fleet.skipped,
    }
    return record


def _per_code(fleet: FleetResult) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in fleet.routers:
        for f in r.result.findings:
            out[f.code.value] = out.get(f.code.value, 0) + 1
    return dict(sorted(out.items()))


def fleet_summary(fleet: FleetResult) -> list[str]:
    """The fleet's first lines: the worst router first, then each router's counts."""
    worst = fleet.worst()
    lines = [
        f"fleet: {len(fleet.routers)} routers, worst: {worst.value if worst else 'clean'}",
    ]
    width = max(len(r.name) for r in fleet.routers)
    if fleet.failed:
        lines[0] += f"; {len(fleet.failed)} NOT CHECKED"
    for r in fleet.routers:
        c = r.result.counts()
        lines.append(
            f"  {r.name:<{width}}  {c['error']} errors, {c['warning']} warnings, {c['info']} info"
        )
    lines += [f"  {name}  NOT CHECKED: {error}" for name, error in fleet.failed]
    wrong = fleet.wrong_prefixes()
    if wrong:
        lines.append("prefixes wrong on some router:")
        lines.extend(f"  {p}  {', '.join(names)}" for p, names in wrong.items())
    return lines


def render_fleet_text(fleet: FleetResult) -> str:
    """One router: its report as before. Several: the fleet summary, then one section per
    router, each its own report."""
    if len(fleet.routers) == 1 and not fleet.failed:
        return render_text(fleet.routers[0].result)
    out = [*fleet_summary(fleet), ""]
    for r in fleet.routers:
        out += [f"=== router {r.name} ===", render_text(r.result)]
    return "\n".join(out)


def fleet_document(fleet: FleetResult) -> Document:
    """Several routers: the fleet summary, then one section per router, each its own check."""
    if len(fleet.routers) == 1 and not fleet.failed:
        return diff_document(fleet.routers[0].result)
    sections = []
    for r in fleet.routers:
        head, subsections = _diff_parts(r.result, ids=False)
        title = f"Router {r.name}: {r.result.instance} {r.result.version}"
        sections.append(Section(title, tuple(head), tuple(subsections)))
    return Document("routeplan diff: fleet", (Code(tuple(fleet_summary(fleet))),), tuple(sections))


def render_fleet_markdown(fleet: FleetResult) -> str:
    return document_markdown(fleet_document(fleet))
