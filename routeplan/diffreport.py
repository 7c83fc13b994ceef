"""Rendering a :class:`~routeplan.check.DiffResult`: text, Markdown and the versioned JSON
contract ``routeplan/diff/1`` (docs/diff.md)."""

from __future__ import annotations

from typing import Any

from routeplan.catalog.age import age_text
from routeplan.check import DiffResult, Finding, Severity

SCHEMA = "routeplan/diff/1"
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
    return "\n".join(lines) + "\n"


def render_markdown(result: DiffResult) -> str:
    def cell(text: object) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    lines = [
        f"# routeplan diff: {result.instance} {result.version}",
        "",
        f"Route filter: {cell(result.selection.asked)}",
        "",
        *([f"> {age_text(result.catalog_age)}", ""] if result.catalog_age else []),
        "| input | format | IPv4 paths | IPv6 paths | kept |",
        "|---|---|---:|---:|---:|",
    ]
    for i in result.inputs:
        lines.append(
            f"| {cell(i.source)} | {i.format} | {i.counts.get(4, 0)} | {i.counts.get(6, 0)} | "
            f"{len(i.routes)} |"
        )
    lines.append("")
    lines.extend(f"> {note}" for note in result.not_checked)
    if result.not_checked:
        lines.append("")
    if result.changes:
        lines += ["## Changes to the ExpressRoute path", "", "```diff"]
        lines.extend(f"{c.op} {c.prefix}  {c.reason}" for c in result.changes)
        lines += ["```", ""]
    if result.findings:
        lines += [
            "## Findings",
            "",
            "| severity | code | prefix | expected | actual | deciding route | message |",
            "|---|---|---|---|---|---|---|",
        ]
        for f in result.findings:
            where = f.route.route.where if f.route else ""
            lines.append(
                f"| {f.severity.value} | `{f.code.value}` | {f.prefix} | {f.expected or ''} | "
                f"{f.actual or ''} | {cell(where)} | {cell(f.message)} |"
            )
        lines.append("")
    lines.append(f"**Summary:** {summary_line(result)}")
    return "\n".join(lines) + "\n"
