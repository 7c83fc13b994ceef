"""A review as Markdown (change tickets), one self-contained HTML file (no network fetches; an
SVG picture of ExpressRoute vs Internet per service before and after), the versioned JSON
contract ``routeplan/review/1`` and CSV (one line per changed prefix). Same review, same bytes:
nothing time-dependent unless a timestamp is passed in."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from routeplan.catalog.age import age_text
from routeplan.cidrset import Regrouping
from routeplan.compare import PATHS, Impact, Move, PlanDelta, Review, RouteDelta, Side
from routeplan.diff import Finding
from routeplan.model import Prefix
from routeplan.report.csvsafe import rows_to_csv
from routeplan.report.diff import finding_record
from routeplan.report.document import (
    BASE_CSS,
    Block,
    Code,
    Document,
    Figure,
    Items,
    Section,
    Span,
    anchor,
    items,
    para,
    spans,
    table,
)
from routeplan.report.document import render_html as document_html
from routeplan.report.document import render_markdown as document_markdown
from routeplan.report.mdsafe import md_table, md_text

SCHEMA = "routeplan/review/1"
_COLOURS = {
    "expressroute": "#1f6fb2",
    "internet": "#e08a1e",
    "split": "#8e5bb5",
    "no route": "#c62828",
    "internal": "#7a7a7a",
}


# ---------------------------------------------------------------------------------------------
# JSON


def _side_record(side: Side) -> dict[str, Any]:
    plan = side.plan
    out: dict[str, Any] = {
        "label": side.label,
        "catalog": {
            "instance": plan.instance,
            "version": plan.version,
            "rows": plan.rows,
            **({"age": plan.catalog_age.record()} if plan.catalog_age else {}),
        },
        "route_filter": [str(c.community) for c in plan.allowed],
        "route_tables": [],
    }
    if side.check is not None:
        out["route_tables"] = [
            {"file": i.source, "format": i.format, "routes": len(i.routes)}
            for i in side.check.inputs
        ]
    return out


def _move_record(m: Move) -> dict[str, Any]:
    return {
        "prefix": str(m.prefix),
        "family": f"ipv{m.prefix.version}",
        "before": m.before,
        "after": m.after,
        "intended_before": m.intended_before,
        "intended_after": m.intended_after,
        "actual_before": m.actual_before,
        "actual_after": m.actual_after,
        "causes": list(m.causes),
        "service_areas": list(m.service_areas),
        "endpoint_sets": list(m.set_ids),
        "rows": list(m.rows),
        "route_before": m.route_before,
        "route_after": m.route_after,
    }


def _route(r: Any) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "next_hop": r.next_hop,
        "as_path": list(r.as_path),
        "local_pref": r.local_pref,
        "communities": [str(c) for c in r.communities],
        "source": r.source,
        "line": r.line,
    }


def _route_delta_record(d: RouteDelta) -> dict[str, Any]:
    return {
        "op": d.op,
        "prefix": str(d.prefix),
        "fields": list(d.fields),
        "touches_catalog": d.touches_catalog,
        "before": _route(d.before),
        "after": _route(d.after),
    }


def _impact_record(i: Impact) -> dict[str, Any]:
    return {"key": i.key, "before": i.before, "after": i.after, "moved": i.moved}


@dataclass(frozen=True, slots=True)
class ChangeInfo:
    """What the change board files the review under (``--title``, ``--change-id``,
    ``--author``): printed at the top of every format when given, never guessed."""

    title: str | None = None
    change_id: str | None = None
    author: str | None = None

    def record(self) -> dict[str, str]:
        """The given fields, for JSON.

        >>> ChangeInfo(change_id="CHG0042").record()
        {'id': 'CHG0042'}
        """
        fields = (("title", self.title), ("id", self.change_id), ("author", self.author))
        return {k: v for k, v in fields if v}

    def lines(self) -> list[str]:
        """``Change: ID``, ``Author: NAME`` (the title heads the report itself)."""
        out = [f"Change: {self.change_id}"] if self.change_id else []
        return out + ([f"Author: {self.author}"] if self.author else [])


def _heading(review: Review, change: ChangeInfo | None) -> str:
    title = change.title if change is not None and change.title else "Change review"
    return f"{title}: {review.verdict.value.upper()}"


def _regrouped_record(groups: Sequence[Regrouping]) -> list[dict[str, list[str]]]:
    return [
        {
            "before": [str(x) for x in g.before],
            "after": [str(x) for x in g.after],
            "joining": [str(x) for x in g.joining],
            "leaving": [str(x) for x in g.leaving],
        }
        for g in groups
    ]


def _said(prefixes: Sequence[Prefix]) -> str:
    return " and ".join(map(str, prefixes)) if len(prefixes) < 3 else ", ".join(map(str, prefixes))


def regrouped_line(g: Regrouping) -> str:
    """Lines that change together, said as what they do to the addresses: never a removal
    of what stays.

    >>> from routeplan.cidrset import Regrouping
    >>> from routeplan.model import parse_prefix as p
    >>> regrouped_line(Regrouping((p("52.96.0.0/14"), p("52.100.0.0/14")), (p("52.96.0.0/13"),)))
    '52.96.0.0/14 and 52.100.0.0/14 now one entry 52.96.0.0/13: no address changes path'
    >>> g = Regrouping((p("52.96.0.0/13"),), (p("52.96.0.0/12"),), (p("52.104.0.0/13"),))
    >>> regrouped_line(g)
    '52.96.0.0/13 now inside 52.96.0.0/12, which adds 52.104.0.0/13'
    >>> g = Regrouping((p("52.120.0.0/14"),), (p("52.122.0.0/15"),), (), (p("52.120.0.0/15"),))
    >>> regrouped_line(g)
    '52.120.0.0/14 narrows to 52.122.0.0/15, which drops 52.120.0.0/15'
    """
    before, after = _said(g.before), _said(g.after)
    if len(g.after) == 1 and len(g.before) > 1:
        now = f"{before} now one entry {after}"
    elif len(g.after) == 1 and g.after[0].contains(g.before[0]):
        now = f"{before} now inside {after}"
    elif len(g.after) == 1:
        now = f"{before} narrows to {after}"
    else:
        now = f"{before} now the entries {after}"
    if not g.joining and not g.leaving:
        return f"{now}: no address changes path"
    parts = []
    if g.joining:
        parts.append(f"adds {_said(g.joining)}")
    if g.leaving:
        parts.append(f"drops {_said(g.leaving)}")
    return f"{now}, which {' and '.join(parts)}"


def plan_lines(p: PlanDelta, kind: str) -> tuple[list[str], list[str]]:
    """The regroupings of a list, then its ``+``/``-`` lines without the regrouped ones."""
    groups = p.expressroute_regrouped if kind == "expressroute" else p.internet_only_regrouped
    added = p.expressroute_added if kind == "expressroute" else p.internet_only_added
    removed = p.expressroute_removed if kind == "expressroute" else p.internet_only_removed
    skip = p.regrouped(kind)
    diff = [f"+ {x}" for x in added if x not in skip] + [f"- {x}" for x in removed if x not in skip]
    return [regrouped_line(g) for g in groups], diff


def review_record(
    review: Review, timestamp: str | None = None, *, change: ChangeInfo | None = None
) -> dict[str, Any]:
    """The JSON document (schema ``routeplan/review/1``)."""
    p = review.plan_delta
    record: dict[str, Any] = {
        "schema": SCHEMA,
        "verdict": review.verdict.value,
        "reasons": list(review.reasons),
        "summary": summary(review),
        "before": _side_record(review.before),
        "after": _side_record(review.after),
        "impact": {
            "services": [_impact_record(i) for i in review.services],
            "rows": [_impact_record(i) for i in review.rows],
        },
        "moves": [_move_record(m) for m in review.moves],
        "findings": [
            {"status": d.status, **finding_record(d.finding)} for d in review.finding_deltas
        ],
        "routes": [_route_delta_record(d) for d in review.route_deltas],
        "catalog": [
            {
                "kind": d.kind,
                "endpoint_set": d.set_id,
                "service_area": d.service_area,
                "express_route": d.express_route,
                "prefix": None if d.prefix is None else str(d.prefix),
                "detail": d.detail,
                "impact": d.impact,
                "effective_date": d.effective_date,
                "change_version": d.change_version,
                "url": d.url,
            }
            for d in review.catalog_deltas
        ],
        "plan": {
            "communities_added": [str(c) for c in p.communities_added],
            "communities_removed": [str(c) for c in p.communities_removed],
            "expressroute_added": [str(x) for x in p.expressroute_added],
            "expressroute_removed": [str(x) for x in p.expressroute_removed],
            "internet_only_added": [str(x) for x in p.internet_only_added],
            "internet_only_removed": [str(x) for x in p.internet_only_removed],
            "expressroute_regrouped": _regrouped_record(p.expressroute_regrouped),
            "internet_only_regrouped": _regrouped_record(p.internet_only_regrouped),
        },
        "notes": list(review.notes),
    }
    if change is not None and change.record():
        record["change"] = change.record()
    if timestamp is not None:
        record["generated"] = timestamp
    return record


# ---------------------------------------------------------------------------------------------
# The words


def summary(review: Review) -> list[str]:
    """The few lines a change board reads first."""
    out = []
    gone = "not in catalog"
    new_in = [m for m in review.moves if m.intended_before == gone]
    removed = [m for m in review.moves if m.intended_after == gone]
    kept = [m for m in review.moves if gone not in (m.intended_before, m.intended_after)]
    to_er = [m for m in kept if m.after == "expressroute" and m.before != "expressroute"]
    off_er = [m for m in kept if m.before == "expressroute" and m.after != "expressroute"]
    broken = [m for m in review.moves if m.broken_after]
    if to_er:
        out.append(f"{len(to_er)} catalog prefix(es) move onto ExpressRoute")
    if off_er:
        out.append(f"{len(off_er)} catalog prefix(es) leave ExpressRoute")
    if new_in:
        on_er = sum(1 for m in new_in if m.intended_after == "expressroute")
        out.append(f"{len(new_in)} prefix(es) new in the catalog ({on_er} for ExpressRoute)")
    if removed:
        was_er = sum(1 for m in removed if m.intended_before == "expressroute")
        out.append(
            f"{len(removed)} prefix(es) gone from the catalog ({was_er} were for ExpressRoute)"
        )
    if broken:
        out.append(f"{len(broken)} prefix(es) do not take the intended path after the change")
    new = [d for d in review.finding_deltas if d.status == "new"]
    resolved = [d for d in review.finding_deltas if d.status == "resolved"]
    if new or resolved:
        out.append(f"findings: {len(new)} new, {len(resolved)} resolved")
    p = review.plan_delta
    if p.communities_added or p.communities_removed:
        parts = [f"+{c}" for c in p.communities_added] + [f"-{c}" for c in p.communities_removed]
        out.append("route filter: " + " ".join(parts))
    regrouped = p.regrouped("expressroute")
    adds = [x for x in p.expressroute_added if x not in regrouped]
    removes = [x for x in p.expressroute_removed if x not in regrouped]
    if adds or removes:
        out.append(
            f"ExpressRoute prefix-list: {len(adds)} line(s) to add, {len(removes)} to remove"
        )
    if p.expressroute_regrouped:
        out.append(
            f"ExpressRoute prefix-list: {len(p.expressroute_regrouped)} group(s) of lines "
            "re-aggregated (said below with what they add or drop)"
        )
    cat = review.catalog_deltas
    if cat:
        n_added = sum(1 for d in cat if d.kind == "prefix-added")
        n_removed = sum(1 for d in cat if d.kind == "prefix-removed")
        out.append(f"catalog: {n_added} endpoint-set prefix entries added, {n_removed} removed")
        urls_added = sum(1 for d in cat if d.kind == "url-added")
        urls_removed = sum(1 for d in cat if d.kind == "url-removed")
        if urls_added or urls_removed:
            out.append(f"catalog: {urls_added} URL(s) added to sets, {urls_removed} removed")
        flips = [d for d in cat if d.kind == "required"]
        if flips:
            out.append(
                "required flips: "
                + ", ".join(f"set {d.set_id} ({d.detail.removeprefix('required ')})" for d in flips)
            )
    if not out:
        out.append("no change to where Microsoft 365 traffic goes")
    return out


def _side_text(side: Side) -> str:
    plan = side.plan
    text = f"{plan.instance} {plan.version}, route filter " + (
        " ".join(str(c.community) for c in plan.allowed) or "nothing"
    )
    if side.check is not None:
        text += "; routes: " + ", ".join(i.source for i in side.check.inputs)
    age = age_text(plan.catalog_age)
    return f"{text}; {age}" if age else text


def _counts(c: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in c.items() if v) or "-"


def _md_table(rows: Sequence[Sequence[str]], head: Sequence[str]) -> list[str]:
    return md_table(head, rows)


def deciding_route(f: Finding) -> str:
    """The route that decides a finding, as read, with its file and line ('' without one).

    >>> from routeplan.diff import ClassifiedRoute, Code, Finding
    >>> from routeplan.model import PathKind, parse_prefix as p
    >>> from routeplan.rib.base import Route
    >>> r = Route(p("0.0.0.0/0"), "198.51.100.1", (64500,), (), None, None, True, True, "bgp",
    ...           None, None, None, "after.txt", 10)
    >>> f = Finding(Code.ER_VIA_INTERNET, p("52.96.0.0/14"), "m", "expressroute", "internet",
    ...             route=ClassifiedRoute(r, PathKind.INTERNET, "external AS path 64500"))
    >>> deciding_route(f)
    'deciding route 0.0.0.0/0 via 198.51.100.1, AS path 64500, bgp (after.txt:10)'
    """
    if f.route is None:
        return ""
    r = f.route.route
    parts = [f"deciding route {r.prefix}"]
    if r.next_hop:
        parts[0] += f" via {r.next_hop}"
    elif r.interface:
        parts[0] += f" via {r.interface}"
    if r.as_path:
        parts.append("AS path " + " ".join(map(str, r.as_path)))
    parts.append(r.protocol)
    return ", ".join(parts) + f" ({r.source}:{r.line})"


def _finding_line(status: str, f: Finding) -> str:
    route = deciding_route(f)
    return (
        f"- **{status}** {f.severity.value} `{f.code.value}` {f.prefix}: "
        f"{md_text(f.message)}" + (f"; {md_text(route)}" if route else "")
    )


def _moves_rows(review: Review) -> list[list[object]]:
    """The moves; in HTML each prefix links to its finding and each row to its impact line."""
    found = {d.finding.prefix for d in review.finding_deltas}
    impact_rows = {i.key for i in review.rows if i.moved}

    def rows(numbers: Sequence[int]) -> object:
        if not numbers:
            return "-"
        out: list[Span] = []
        for n, row in enumerate(numbers):
            key = f"row {row}"
            href = f"#{anchor('impact', key)}" if key in impact_rows else None
            out.append(Span(("" if n == 0 else ", ") + str(row), href=href))
        return tuple(out)

    return [
        [
            Span(str(m.prefix), href=f"#{anchor('finding', m.prefix)}")
            if m.prefix in found
            else str(m.prefix),
            m.actual_before or f"{m.intended_before} (plan)",
            m.actual_after or f"{m.intended_after} (plan)",
            m.intended_after,
            ", ".join(m.causes),
            ", ".join(m.service_areas) or "-",
            ", ".join(map(str, m.set_ids)) or "-",
            rows(m.rows),
            m.route_after or "-",
        ]
        for m in review.moves
    ]


_MOVE_HEAD = ["prefix", "before", "after", "intended", "cause", "service", "sets", "rows", "route"]


def review_document(
    review: Review, timestamp: str | None = None, *, change: ChangeInfo | None = None
) -> Document:
    """The review as sections (:mod:`routeplan.report.document`): what changes and what it
    risks first, then the evidence; Markdown and HTML are both rendered from it."""
    sides = [
        f"Before: {_side_text(review.before)}",
        f"After: {_side_text(review.after)}",
        *(change.lines() if change else []),
        *([f"Generated: {timestamp}"] if timestamp else []),
    ]
    head: list[Block] = [
        items(summary(review), id="summary"),
        para("Why this verdict: " + "; ".join(review.reasons) + "."),
        items(sides, id="sides"),
    ]
    impact = [[i.key, _counts(i.before), _counts(i.after), str(i.moved)] for i in review.services]
    rows = [i for i in review.rows if i.moved]
    sections = [
        Section(
            "Impact per service area",
            (
                Figure(chart_svg(review.services), "prefixes per path, before and after"),
                table(["service area", "before", "after", "moved"], impact),
            ),
        ),
        Section(
            "Impact per row of the additional-endpoints table",
            (
                table(
                    ["row", "before", "after", "moved"],
                    [[i.key, _counts(i.before), _counts(i.after), str(i.moved)] for i in rows],
                    [anchor("impact", i.key) for i in rows],
                )
                if rows
                else para("No row's prefixes move."),
            ),
        ),
        Section(
            f"Prefixes that change path ({len(review.moves)})",
            (
                table(
                    _MOVE_HEAD,
                    _moves_rows(review),
                    [anchor("prefix", m.prefix) for m in review.moves],
                )
                if review.moves
                else para("None."),
            ),
        ),
        Section("Findings", (_findings_block(review),)),
        Section("Route filter and prefix-lists", _plan_blocks(review.plan_delta)),
    ]
    touching = [d for d in review.route_deltas if d.touches_catalog]
    sections.append(
        Section(
            f"Route changes touching Microsoft 365 prefixes ({len(touching)})",
            (
                table(
                    ["change", "prefix", "fields", "where"],
                    [
                        [d.op, str(d.prefix), ", ".join(d.fields) or "-", _route_where(d)]
                        for d in touching
                    ],
                )
                if touching
                else para("None."),
            ),
        )
    )
    if review.catalog_deltas:
        sections.append(
            Section(
                f"Catalog changes ({len(review.catalog_deltas)})",
                (
                    table(
                        ["change", "set", "service", "ExpressRoute", "what", "impact", "effective"],
                        [
                            [
                                d.kind,
                                str(d.set_id),
                                d.service_area,
                                "yes" if d.express_route else "no",
                                str(d.prefix) if d.prefix else d.detail,
                                d.impact or "-",
                                d.effective_date or "-",
                            ]
                            for d in review.catalog_deltas
                        ],
                    ),
                ),
            )
        )
    if review.notes:
        sections.append(Section("Notes", (items(review.notes),)))
    verdict = review.verdict.value
    return Document(_heading(review, change), tuple(head), tuple(sections), verdict, _CSS)


def _findings_block(review: Review) -> Block:
    """Each finding with the deciding route as read; in HTML its prefix links to the prefix's
    line among the moves, when it moved."""
    if not review.finding_deltas:
        return para("None on either side." if review.after.check else "No route tables given.")
    moved = {m.prefix for m in review.moves}
    out, ids, seen = [], [], set()
    for d in review.finding_deltas:
        f = d.finding
        route = deciding_route(f)
        href = f"#{anchor('prefix', f.prefix)}" if f.prefix in moved else None
        out.append(
            spans(
                Span(d.status, "b"),
                f" {f.severity.value} ",
                Span(f.code.value, "code"),
                " ",
                Span(str(f.prefix), href=href),
                f": {f.message}" + (f"; {route}" if route else ""),
            )
        )
        ids.append(None if f.prefix in seen else anchor("finding", f.prefix))
        seen.add(f.prefix)
    return Items(tuple(out), "finding-list", tuple(ids))


def _plan_blocks(p: PlanDelta | None) -> tuple[Block, ...]:
    if not p:
        return (para("No change."),)
    out: list[Block] = []
    filt = [f"route filter: allow {c}" for c in p.communities_added]
    filt += [f"route filter: stop allowing {c}" for c in p.communities_removed]
    if filt:
        out.append(items(filt))
    for kind, title in (
        ("expressroute", "ExpressRoute list"),
        ("internet_only", "Internet-only list"),
    ):
        regrouped, diff = plan_lines(p, kind)
        if regrouped or diff:
            out.append(para(f"{title}:"))
        if regrouped:
            out.append(items(f"re-aggregated: {line}" for line in regrouped))
        if diff:
            out.append(Code(tuple(diff), "diff"))
    return tuple(out) or (para("No change."),)


def render_markdown(
    review: Review, timestamp: str | None = None, *, change: ChangeInfo | None = None
) -> str:
    return document_markdown(review_document(review, timestamp, change=change))


def _route_where(d: RouteDelta) -> str:
    r = d.after or d.before
    assert r is not None
    return f"{r.source}:{r.line}" if r.line else r.source


# ---------------------------------------------------------------------------------------------
# CSV


CSV_COLUMNS = [
    "prefix",
    "family",
    "before",
    "after",
    "intended_before",
    "intended_after",
    "causes",
    "service_areas",
    "endpoint_sets",
    "rows",
    "route_before",
    "route_after",
]


def render_csv(review: Review) -> str:
    """One line per move; every line also says how old the after side's catalog is (a CSV
    has no other place for it)."""
    age = review.after.plan.catalog_age
    rows: list[list[object]] = [
        [*CSV_COLUMNS, *(["catalog_age_days", "catalog_stale"] if age else [])]
    ]
    tail = [] if age is None else [age.days, "true" if age.stale else "false"]
    for m in review.moves:
        rec = _move_record(m)
        rows.append(
            [
                *(
                    " ".join(map(str, v)) if isinstance(v, list) else ("" if v is None else v)
                    for v in (rec[c] for c in CSV_COLUMNS)
                ),
                *tail,
            ]
        )
    return rows_to_csv(rows)


# ---------------------------------------------------------------------------------------------
# HTML


def _wrap(items: Sequence[str], first: str, width: int) -> list[str]:
    """``first`` and the items joined by "; ", in lines of at most ``width`` characters.

    >>> _wrap(["Common (expressroute 11)", "MEM (internet 81)"], "Unchanged: ", 40)
    ['Unchanged: Common (expressroute 11);', 'MEM (internet 81)']
    """
    lines: list[str] = []
    line = first
    for n, item in enumerate(items):
        text = item + (";" if n < len(items) - 1 else "")
        if line.strip() and len(line) + len(text) > width and line != first:
            lines.append(line.rstrip())
            line = ""
        line += text + " "
    if items:
        lines.append(line.rstrip())
    return lines


def chart_svg(services: Sequence[Impact]) -> str:
    """Two stacked bars per service area where something moved (before, after): catalog
    prefixes by path, each bar labelled with its counts (readable without colour). The areas
    where nothing moved are named in one line below, so that what changed stands out."""
    bar_h, gap, label_w, width = 14, 10, 170, 360
    present = [i for i in services if sum(i.before.values()) or sum(i.after.values())]
    shown = [i for i in present if i.moved]
    still = [i for i in present if not i.moved]
    unchanged = _wrap(
        [f"{i.key} ({_counts(i.after)})" for i in still], "Unchanged: ", (label_w + width) // 6
    )
    height = 58 + len(shown) * (2 * bar_h + gap + 6) + 14 * max(len(unchanged) - 1, 0)
    scale = max(
        [sum(i.before.values()) for i in shown] + [sum(i.after.values()) for i in shown] + [1]
    )
    full = label_w + width + 200
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" id="chart" width="{full}"'
        f' height="{height}" viewBox="0 0 {full} {height}">',
        "<title>Catalog prefixes per path, before and after, per service area</title>",
    ]
    y = 10
    for impact in shown:
        parts.append(
            f'<text x="0" y="{y + bar_h + 4}" font-size="12">{html.escape(impact.key)}</text>'
        )
        for label, counts in (("before", impact.before), ("after", impact.after)):
            x = float(label_w)
            parts.append(
                f'<text x="{label_w - 40}" y="{y + bar_h - 3}" font-size="10" fill="#555">'
                f"{label}</text>"
            )
            for path in PATHS:
                n = counts.get(path, 0)
                if not n:
                    continue
                w = width * n / scale
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                    f'fill="{_COLOURS[path]}"><title>{label}: {n} {path}</title></rect>'
                )
                x += w
            label_text = ", ".join(f"{counts[p]} {p}" for p in PATHS if counts.get(p))
            parts.append(
                f'<text x="{x + 4:.1f}" y="{y + bar_h - 3}" font-size="10" fill="#333">'
                f"{html.escape(label_text)}</text>"
            )
            y += bar_h + 2
        y += gap + 2
    if not shown:
        parts.append(f'<text x="0" y="{y + 10}" font-size="12">No service area moves.</text>')
        y += 16
    for n, line in enumerate(unchanged):  # the areas where nothing moved, in lines that fit
        parts.append(
            f'<text x="0" y="{y + 8 + 14 * n}" font-size="11" fill="#555">'
            f"{html.escape(line)}</text>"
        )
    lx = 0
    for path in PATHS:
        parts.append(
            f'<rect x="{lx}" y="{height - 18}" width="10" height="10" fill="{_COLOURS[path]}"/>'
            f'<text x="{lx + 14}" y="{height - 9}" font-size="11">{path}</text>'
        )
        lx += 110
    parts.append("</svg>")
    return "".join(parts)


_CSS = BASE_CSS


def render_html(
    review: Review, timestamp: str | None = None, *, change: ChangeInfo | None = None
) -> str:
    return document_html(review_document(review, timestamp, change=change))
