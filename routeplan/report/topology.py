"""Topology checks and what-ifs as text, Markdown, JSON (``routeplan/topology/1``) and HTML,
with the topology drawn as SVG: regions as columns, sites as boxes with their routers, links,
and exits coloured by path (ExpressRoute blue, Internet orange)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from routeplan.catalog.age import CatalogAge, age_text
from routeplan.errors import printable
from routeplan.model import Severity
from routeplan.report.csvsafe import rows_to_csv
from routeplan.report.document import (
    Block,
    Document,
    Figure,
    Items,
    Note,
    Section,
    Span,
    items,
    para,
    spans,
    table,
)
from routeplan.report.document import render_html as document_html
from routeplan.report.document import render_markdown as document_markdown
from routeplan.topology.analysis import ER, Analysis, Exit, Move, TopoFinding

SCHEMA = "routeplan/topology-check/1"
WHATIF_SCHEMA = "routeplan/topology-whatif/1"
_BLUE, _ORANGE, _RED, _GREY = "#1f6fb2", "#e08a1e", "#c62828", "#7a7a7a"
_AMBER = "#b26a00"
_GREEN = "#2e7d32"


def _exit(e: Exit | None) -> str:
    return "none" if e is None else f"{e.name} ({e.kind}, {e.router})"


def _finding(f: TopoFinding) -> dict[str, Any]:
    return {
        "code": f.code,
        "severity": f.severity.value,
        "subject": f.subject,
        "sites": list(f.sites),
        "services": list(f.services),
        "message": f.message,
    }


def check_record(a: Analysis) -> dict[str, Any]:
    t = a.topology
    return {
        "schema": SCHEMA,
        "topology": t.source,
        "instance": t.instance,
        **({"catalog": {"age": a.catalog_age.record()}} if a.catalog_age else {}),
        "counts": {
            "sites": len(t.sites),
            "routers": len(t.routers),
            "links": len(t.links),
            "circuits": len(t.circuits),
            "breakouts": len(t.breakouts),
        },
        "circuits": {k: sorted(v) for k, v in sorted(a.carried.items())},
        "exits": [
            {
                "site": c.site,
                "service": c.service,
                "intended": None if c.intended is None else str(c.intended),
                "intended_path": None if c.intended is None else c.intended.kind,
                "actual": None if c.actual is None else str(c.actual),
                "actual_path": None if c.actual is None else c.actual.kind,
                "cost": c.cost,
            }
            for c in a.choices
        ],
        "findings": [_finding(f) for f in a.findings],
    }


def _exit_rows(a: Analysis) -> list[list[str]]:
    return [
        [
            c.site,
            c.service,
            _exit(c.intended),
            _exit(c.actual) if c.actual else "-",
            "-" if c.cost is None else f"{c.cost:g}",
        ]
        for c in a.choices
    ]


_EXIT_HEAD = ["site", "service", "intended exit", "actual exit", "IGP cost"]


def render_text(a: Analysis) -> str:
    t = a.topology
    errors = sum(1 for f in a.findings if f.severity is Severity.ERROR)
    out = [
        f"{t.source}: {len(t.sites)} sites, {len(t.routers)} routers, {len(t.links)} links, "
        f"{len(t.circuits)} circuits, {len(t.breakouts)} breakouts; "
        f"{errors} errors, {len(a.findings) - errors} warnings",
        *([age_text(a.catalog_age) or ""] if a.catalog_age else []),
        "",
    ]
    for f in a.findings:
        out.append(f"{f.severity.value:7} {f.code:24} {f.message}")
    if a.findings:
        out.append("")
    rows = [_EXIT_HEAD, *_exit_rows(a)]
    width = [max(len(r[i]) for r in rows) for i in range(5)]
    for row in rows:
        out.append("  ".join(v.ljust(w) for v, w in zip(row, width, strict=True)).rstrip())
    return printable("\n".join(out) + "\n")


def _check_verdict(a: Analysis) -> str:
    errors = sum(1 for f in a.findings if f.severity is Severity.ERROR)
    return "blocking" if errors else "review needed" if a.findings else "no impact"


def _age_note(a: Analysis) -> list[Block]:
    return [Note(spans(age_text(a.catalog_age) or ""), "catalog-age")] if a.catalog_age else []


def check_document(a: Analysis) -> Document:
    """A topology check as sections: the picture, the findings, the exits."""
    t = a.topology
    verdict = _check_verdict(a)
    head: list[Block] = [
        para(
            f"{t.source}: {len(t.sites)} sites, {len(t.routers)} routers, {len(t.links)} links, "
            f"{len(t.circuits)} circuits, {len(t.breakouts)} breakouts."
        ),
        *_age_note(a),
        Figure(topology_svg(a), "the topology, with each site's findings"),
    ]
    found = Items(
        tuple(
            spans(Span(f.severity.value, "b"), " ", Span(f.code, "code"), f": {f.message}")
            for f in a.findings
        ),
        "finding-list",
    )
    sections = (
        Section(f"Findings ({len(a.findings)})", (found if a.findings else para("None."),)),
        Section("Exits per site and service", (table(_EXIT_HEAD, _exit_rows(a)),)),
    )
    return Document(f"Topology check: {verdict.upper()}", tuple(head), sections, verdict, _CSS)


def render_markdown(a: Analysis) -> str:
    return document_markdown(check_document(a))


# ---------------------------------------------------------------------------------------------
# the picture


def _finding_badge(findings: Sequence[TopoFinding], right: int, top: int) -> str:
    """The findings about a site, in its box's corner: their count, red with an error among
    them, amber with warnings only; the codes in the tooltip (readable without colour)."""
    if not findings:
        return ""
    error = any(f.severity is Severity.ERROR for f in findings)
    label = f"{len(findings)} {'error' if error else 'warning'}{'s' if len(findings) > 1 else ''}"
    codes = ", ".join(sorted({f.code for f in findings}))
    width = 7 * len(label) + 8
    return (
        f'<g><title>{html.escape(codes)}</title><rect x="{right - width}" y="{top}" '
        f'width="{width}" height="14" rx="7" fill="{_RED if error else _AMBER}"/>'
        f'<text x="{right - width + 4}" y="{top + 11}" font-size="10" fill="#fff">'
        f"{label}</text></g>"
    )


def _code_lines(findings: Sequence[TopoFinding], width: int = 40) -> list[str]:
    """A site's finding codes as short lines that fit its box.

    >>> _code_lines([TopoFinding(c, Severity.ERROR, "") for c in
    ...              ("hairpin", "far-circuit", "asymmetric-return", "wrong-path")])
    ['asymmetric-return, far-circuit, hairpin', 'wrong-path']
    """
    lines: list[str] = []
    for code in sorted({f.code for f in findings}):
        if lines and len(lines[-1]) + 2 + len(code) <= width:
            lines[-1] += f", {code}"
        else:
            lines.append(code)
    return lines


def _frame(
    a: Analysis, site: str, findings: Sequence[TopoFinding], moves: Sequence[Move]
) -> tuple[str, str]:
    """A site box's colour and dash. A check: its worst finding (red an error, amber a
    warning, green none). A what-if: red only when the site loses an exit or leaves
    ExpressRoute for a service (dashed when it keeps an exit), amber when an exit moves,
    grey when nothing changes for it."""
    if not moves and not any(c.site == site and c.intended is None for c in a.choices):
        if any(f.severity is Severity.ERROR for f in findings):
            return _RED, ""
        return (_AMBER, "") if findings else (_GREEN, "")
    here = [m for m in moves if m.site == site]
    no_exit = any(c.site == site and c.intended is None for c in a.choices) or any(
        m.before is not None and m.after is None for m in here
    )
    if no_exit:
        return _RED, ""
    if any(m.before_kind == ER and m.after_kind != ER for m in here):
        return _RED, ' stroke-dasharray="6 3"'
    return (_AMBER, "") if here else (_GREY, "")


def topology_svg(a: Analysis, moves: Sequence[Move] = (), failed: str | None = None) -> str:
    """The topology: regions as columns, sites as boxes, routers inside, links, and each
    site's exit per path coloured (blue ExpressRoute, orange Internet, red none)."""
    t = a.topology
    regions = sorted({s.region for s in t.sites})
    col_w, site_h, router_h = 300, 0, 22  # a site box holds a router and two exit badges
    pos: dict[str, tuple[float, float]] = {}
    frames: list[str] = []
    """Site boxes: drawn first, so that the links above them stay visible."""
    found: dict[str, list[TopoFinding]] = {}
    for f in a.findings:
        for name in f.sites:
            found.setdefault(name, []).append(f)
    parts: list[str] = []
    heights = []
    for ci, region in enumerate(regions):
        x0 = 20 + ci * col_w
        y = 50
        parts.append(
            f'<text x="{x0}" y="30" font-size="14" font-weight="bold">{html.escape(region)}</text>'
        )
        for site in [s for s in t.sites if s.region == region]:
            routers = [r for r in t.routers if r.site == site.name]
            mine = found.get(site.name, [])
            said = _code_lines(mine)
            site_h = 34 + router_h * len(routers) + 13 * len(said)
            stroke, dash = _frame(a, site.name, mine, moves)
            frames.append(
                f'<rect x="{x0}" y="{y}" width="{col_w - 40}" height="{site_h}" rx="6" '
                f'fill="#f7f9fc" stroke="{stroke}" stroke-width="2"{dash}/>'
                f'<text x="{x0 + 8}" y="{y + 16}" font-size="12" font-weight="bold">'
                f"{html.escape(site.name)}</text>"
            )
            colour = _RED if any(f.severity is Severity.ERROR for f in mine) else _AMBER
            for i, line in enumerate(said):  # the findings' codes, readable in a screenshot
                ty = y + 26 + router_h * len(routers) + 13 * i + 6
                parts.append(
                    f'<text x="{x0 + 10}" y="{ty}" font-size="10" fill="{colour}">'
                    f"{html.escape(line)}</text>"
                )
            parts.append(_finding_badge(found.get(site.name, []), x0 + col_w - 48, y + 5))
            for i, r in enumerate(routers):
                ry = y + 26 + i * router_h
                pos[r.name] = (x0 + 16, ry + 6)
                gone = failed == f"router:{r.name}"
                parts.append(
                    f'<circle cx="{x0 + 16}" cy="{ry + 6}" r="5" '
                    f'fill="{_RED if gone else _GREY}"/>'
                    f'<text x="{x0 + 26}" y="{ry + 10}" font-size="11">'
                    f"{html.escape(r.name)}</text>"
                )
                labels = [
                    (c.name, _BLUE, f"circuit:{c.name}") for c in t.circuits if r.name in c.routers
                ]
                labels += [
                    (b.name, _ORANGE, f"breakout:{b.name}")
                    for b in t.breakouts
                    if b.router == r.name
                ]
                lx = x0 + 110
                for name, colour, key in labels:
                    dead = failed == key
                    parts.append(
                        f'<rect x="{lx}" y="{ry - 4}" width="{7 * len(name) + 8}" height="16" '
                        f'rx="3" fill="{_RED if dead else colour}"/>'
                        f'<text x="{lx + 4}" y="{ry + 8}" font-size="10" fill="#fff">'
                        f"{html.escape(name)}</text>"
                    )
                    lx += 7 * len(name) + 12
            y += site_h + 14
        heights.append(y)
    lines = []
    for link in t.links:
        if link.a in pos and link.b in pos:
            (x1, y1), (x2, y2) = pos[link.a], pos[link.b]
            dead = failed in (f"link:{link.a}-{link.b}", f"link:{link.b}-{link.a}")
            dash = ' stroke-dasharray="4 3"' if dead else ""
            lines.append(
                f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" '
                f'stroke="{_RED if dead else "#9aa7b5"}" stroke-width="{2 if dead else 1}"{dash}/>'
                f'<text x="{x1 + 0.4 * (x2 - x1) + 4:.0f}" y="{y1 + 0.4 * (y2 - y1) - 3:.0f}" '
                f'font-size="9" fill="#4a5b6d" stroke="#fff" stroke-width="3" '
                f'paint-order="stroke">{link.cost}</text>'
            )
    width = max(40 + col_w * max(len(regions), 1), 720)  # room for the legend
    height = max(heights, default=100) + 56
    frames_said = (
        "site frame: red loses an exit (dashed: leaves ExpressRoute for a service), amber an "
        "exit moves, grey unchanged"
        if moves
        else "site frame: red an error, amber a warning, green no finding; the codes under "
        "its routers, the count in its badge"
    )
    legend = (
        f'<g font-size="11"><rect x="20" y="{height - 42}" width="22" height="10" rx="5" '
        f'fill="none" stroke="{_RED}" stroke-width="2"/><text x="48" y="{height - 33}">'
        f"{frames_said}</text></g>"
        f'<g font-size="11"><rect x="20" y="{height - 26}" width="10" height="10" '
        f'fill="{_BLUE}"/><text x="34" y="{height - 17}">ExpressRoute circuit</text>'
        f'<rect x="180" y="{height - 26}" width="10" height="10" fill="{_ORANGE}"/>'
        f'<text x="194" y="{height - 17}">Internet breakout</text>'
        f'<rect x="330" y="{height - 26}" width="10" height="10" fill="{_RED}"/>'
        f'<text x="344" y="{height - 17}">failed</text>'
        f'<line x1="420" y1="{height - 21}" x2="440" y2="{height - 21}" stroke="#9aa7b5"/>'
        f'<text x="446" y="{height - 17}">link, with its IGP cost</text></g>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="topology" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img">'
        "<title>Sites, routers, links and exits</title>"
        + "".join(frames)
        + "".join(lines)
        + "".join(parts)
        + legend
        + "</svg>\n"
    )


_CSS = (
    "body{font-family:system-ui,sans-serif;margin:2rem;color:#222}"
    "#verdict{padding:.7rem 1rem;border-radius:6px;font-size:1.3rem;font-weight:600;color:#fff}"
    ".v-blocking{background:#c62828}.v-review-needed{background:#e08a1e}"
    ".v-no-impact{background:#2e7d32}table{border-collapse:collapse}"
    "td,th{border:1px solid #ccc;padding:.2rem .5rem;font-size:.9rem;text-align:left}"
)


def render_html(a: Analysis) -> str:
    return document_html(check_document(a))


# ---------------------------------------------------------------------------------------------
# what-if


def whatif_severity(moves: Sequence[Move], a: Analysis | None = None) -> Severity | None:
    """A what-if's verdict as a severity: blocking is an error, review needed a warning."""
    return {"blocking": Severity.ERROR, "review needed": Severity.WARNING}.get(
        whatif_verdict(moves, a)
    )


def services_off_expressroute(a: Analysis, moves: Sequence[Move]) -> list[str]:
    """Services that some site reached over ExpressRoute before the failure and none does
    after it (the whole service is off ExpressRoute)."""
    before: dict[str, set[str]] = {}
    for c in a.choices:
        if c.intended is not None and c.intended.kind == ER:
            before.setdefault(c.service, set()).add(c.site)
    lost: dict[str, set[str]] = {}
    for m in moves:
        if m.before_kind == ER and m.after_kind != ER:
            lost.setdefault(m.service, set()).add(m.site)
    return sorted(s for s, sites in before.items() if sites and sites <= lost.get(s, set()))


def whatif_verdict(moves: Sequence[Move], a: Analysis | None = None) -> str:
    """blocking when a site is left with no exit for a service, or (given the analysis) a
    service leaves ExpressRoute at every site that had it; review needed when exits move."""
    if any(m.before is not None and m.after is None for m in moves):
        return "blocking"
    if a is not None and services_off_expressroute(a, moves):
        return "blocking"
    if moves:
        return "review needed"
    return "no impact"


def _move_record(m: Move, actual: dict[tuple[str, str], Exit | None]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "site": m.site,
        "service": m.service,
        "before": None if m.before is None else str(m.before),
        "before_path": m.before_kind,
        "after": None if m.after is None else str(m.after),
        "after_path": m.after_kind,
    }
    seen = actual.get((m.site, m.service))
    if seen is not None:  # only where route tables tell
        out["actual_before"] = str(seen)
        out["actual_before_path"] = seen.kind
    return out


def whatif_record(a: Analysis, failed: str, moves: Sequence[Move]) -> dict[str, Any]:
    actual = _actual_before(a)
    lose: dict[str, list[str]] = {}
    for m in moves:
        if m.before_kind == ER and m.after_kind != ER:
            lose.setdefault(m.service, []).append(m.site)
    return {
        "schema": WHATIF_SCHEMA,
        "topology": a.topology.source,
        "failed": failed,
        **({"catalog": {"age": a.catalog_age.record()}} if a.catalog_age else {}),
        "verdict": whatif_verdict(moves, a),
        "off_expressroute": services_off_expressroute(a, moves),
        "lose_expressroute": {k: sorted(v) for k, v in sorted(lose.items())},
        "moves": [_move_record(m, actual) for m in moves],
    }


def _actual_before(a: Analysis) -> dict[tuple[str, str], Exit | None]:
    """Each site and service's actual exit before a failure (its route tables), where known."""
    return {(c.site, c.service): c.actual for c in a.choices if c.actual is not None}


def _move_rows(a: Analysis, moves: Sequence[Move]) -> list[list[str]]:
    actual = _actual_before(a)
    return [
        [m.site, m.service, _exit(m.before), _exit(actual[(m.site, m.service)])
         if (m.site, m.service) in actual else "-", _exit(m.after)]
        for m in moves
    ]  # fmt: skip


_MOVE_HEAD = ["site", "service", "before (planned)", "before (actual, route tables)", "after"]


def whatif_document(a: Analysis, failed: str, moves: Sequence[Move]) -> Document:
    """A what-if as sections: who loses ExpressRoute, the picture, the moves."""
    record = whatif_record(a, failed, moves)
    verdict = str(record["verdict"])
    lines = [
        f"{service} loses ExpressRoute at: {', '.join(sites)}"
        for service, sites in record["lose_expressroute"].items()
    ] or ["no site loses ExpressRoute for any service"]
    lines += [
        f"{service} leaves ExpressRoute at every site that had it"
        for service in record["off_expressroute"]
    ]
    lines.append(f"{len(moves)} site/service exit(s) move")
    head: list[Block] = [
        items(lines, id="summary"),
        *_age_note(a),
        Figure(topology_svg(a, moves, failed), "the topology after the failure"),
    ]
    moved = table(_MOVE_HEAD, _move_rows(a, moves)) if moves else para("None.")
    return Document(
        f"What if {failed} fails: {verdict.upper()}", tuple(head), (Section("Moves", (moved,)),),
        verdict, _CSS,
    )  # fmt: skip


def whatif_markdown(a: Analysis, failed: str, moves: Sequence[Move]) -> str:
    return document_markdown(whatif_document(a, failed, moves))


def whatif_html(a: Analysis, failed: str, moves: Sequence[Move]) -> str:
    return document_html(whatif_document(a, failed, moves))


def whatif_csv(moves: Sequence[Move], age: CatalogAge | None = None) -> str:
    """One line per move; with ``age``, every line says how old the catalog is (a CSV has no
    other place for it)."""
    head: list[object] = ["site", "service", "before", "before_path", "after", "after_path"]
    tail = [] if age is None else [age.days, "true" if age.stale else "false"]
    rows: list[list[object]] = [head + (["catalog_age_days", "catalog_stale"] if age else [])]
    for m in moves:
        rows.append(
            [
                m.site,
                m.service,
                m.before or "",
                m.before_kind or "",
                m.after or "",
                m.after_kind or "",
                *tail,
            ]
        )
    return rows_to_csv(rows)
