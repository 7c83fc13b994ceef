"""A plan with what was checked against it: the advertisement lint and, with route tables, the
changes. Rendered as text, Markdown and the versioned JSON contract ``routeplan/plan/1``
(docs/plan.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from routeplan.advertise import AdvFinding
from routeplan.catalog.age import age_text
from routeplan.catalog.query import Verdict
from routeplan.model import Severity
from routeplan.plan import FAMILIES, GROUPS, FilterCommunity, Plan, PlanPrefix, PrefixList
from routeplan.plan_outcome import PlanOutcome
from routeplan.report.diff import diff_record
from routeplan.report.document import (
    Block,
    Code,
    Document,
    Items,
    Note,
    Section,
    Span,
    Table,
    items,
    para,
    spans,
    table,
)
from routeplan.report.document import render_markdown as document_markdown
from routeplan.report.output import text_table

SCHEMA = "routeplan/plan/1"
_KEYS = {
    Verdict.EXPRESSROUTE: "expressroute",
    Verdict.INTERNET_ONLY: "internet_only",
    Verdict.NOT_SELECTED: "not_selected",
}
_TITLES = {
    Verdict.EXPRESSROUTE: "ExpressRoute prefix-list",
    Verdict.INTERNET_ONLY: "Internet-only prefix-list",
    Verdict.NOT_SELECTED: "Eligible but not selected (Microsoft will not announce them)",
}


# ---------------------------------------------------------------------------------------------
# JSON


def _community_record(c: FilterCommunity) -> dict[str, Any]:
    return {
        "community": str(c.community),
        "name": c.name,
        "authorization_required": c.authorization_required,
        "service_areas": list(c.service_areas),
        "endpoint_sets": list(c.set_ids),
        "prefixes": {"ipv4": c.prefixes[4], "ipv6": c.prefixes[6]},
    }


def _entry_record(e: PlanPrefix) -> dict[str, Any]:
    return {
        "prefix": str(e.prefix),
        "family": f"ipv{e.prefix.version}",
        "endpoint_sets": list(e.set_ids),
        "rows": list(e.rows),
        "communities": [str(c) for c in e.communities],
        "sources": [str(p) for p in e.sources],
        "extra_addresses": e.extra_addresses,
    }


def _budget_record(pl: PrefixList) -> dict[str, Any] | None:
    b = pl.budget
    if b is None:
        return None
    return {
        "limit": b.limit,
        "met": b.met,
        "exact": b.exact,
        "achieved": b.achieved,
        "minimum": b.minimum,
        "extra_addresses": b.extra_addresses,
        "swallowed": [str(p) for p in b.swallowed],
    }


def _group_record(plan: Plan, verdict: Verdict) -> dict[str, Any]:
    lists = {v: plan.list_for(verdict, v) for v in FAMILIES}
    return {
        "prefixes": [_entry_record(e) for v in FAMILIES for e in lists[v].entries],
        "exact_count": {f"ipv{v}": lists[v].exact_count for v in FAMILIES},
        "budget": {f"ipv{v}": _budget_record(lists[v]) for v in FAMILIES},
    }


def _adv_record(f: AdvFinding) -> dict[str, Any]:
    return {
        "code": f.code.value,
        "severity": f.severity.value,
        "prefix": None if f.prefix is None else str(f.prefix),
        "file": f.source,
        "line": f.line,
        "message": f.message,
        "hint": f.hint,
    }


def plan_record(outcome: PlanOutcome) -> dict[str, Any]:
    """The JSON document (schema ``routeplan/plan/1``)."""
    plan = outcome.plan
    record: dict[str, Any] = {
        "schema": SCHEMA,
        "catalog": {
            "instance": plan.instance,
            "version": plan.version,
            "rows": plan.rows,
            **({"age": plan.catalog_age.record()} if plan.catalog_age else {}),
        },
        "route_filter": {
            "asked": plan.selection.asked,
            "communities": [_community_record(c) for c in plan.allowed],
            "not_selected": [
                _community_record(c) for c in plan.route_filter if not c.selected and c.set_ids
            ],
            "carry_nothing": [
                str(c.community) for c in plan.route_filter if c.selected and not c.set_ids
            ],
        },
    }
    for verdict in GROUPS:
        record[_KEYS[verdict]] = _group_record(plan, verdict)
    record["explanations"] = [
        {
            "kind": x.kind,
            "prefix": str(x.prefix),
            "outer": None if x.outer is None else str(x.outer),
            "message": x.message,
        }
        for x in plan.explanations
    ]
    record["notes"] = list(plan.notes)
    if outcome.advertisement is not None:
        record["advertisement"] = {
            "sessions": [
                {"file": s.source, "prefixes": len(dict.fromkeys(p for p, _ in s.prefixes))}
                for s in outcome.sessions
            ],
            "findings": [_adv_record(f) for f in outcome.advertisement],
        }
    if outcome.check is not None:
        checked = diff_record(outcome.check)
        record["routes"] = {
            "inputs": checked["inputs"],
            "summary": checked["summary"],
            "changes": checked["changes"],
            "findings": checked["findings"],
        }
    return record


# ---------------------------------------------------------------------------------------------
# Text and Markdown


def summary_line(outcome: PlanOutcome) -> str:
    plan = outcome.plan
    er = {v: len(plan.list_for(Verdict.EXPRESSROUTE, v).entries) for v in FAMILIES}
    io = {v: len(plan.list_for(Verdict.INTERNET_ONLY, v).entries) for v in FAMILIES}
    allowed = " ".join(str(c.community) for c in plan.allowed) or "nothing"
    text = (
        f"{plan.instance} {plan.version}: route filter allows {allowed}; ExpressRoute list "
        f"{er[4]} IPv4 + {er[6]} IPv6 entries, Internet-only list {io[4]} IPv4 + {io[6]} IPv6"
    )
    if outcome.advertisement is not None:
        text += f"; advertisement: {_count(outcome.advertisement)}"
    if outcome.check is not None:
        text += f"; routes: {len(outcome.check.changes)} change(s)"
    return text


def _count(findings: Sequence[AdvFinding]) -> str:
    if not findings:
        return "clean"
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    return ", ".join(f"{n} {s.value}(s)" for s, n in counts.items() if n)


def _filter_rows(plan: Plan) -> list[dict[str, Any]]:
    return [
        {
            "community": str(c.community),
            "allow": "yes" if c.selected and c.set_ids else "no",
            "name": c.name,
            "authorisation": {True: "required", False: "-", None: "not stated"}[
                c.authorization_required
            ],
            "sets": ", ".join(map(str, c.set_ids)) or "-",
            "ipv4": c.prefixes[4],
            "ipv6": c.prefixes[6],
        }
        for c in plan.route_filter
    ]


def _entry_rows(entries: Sequence[PlanPrefix]) -> list[dict[str, Any]]:
    return [
        {
            "prefix": str(e.prefix),
            "sets": ", ".join(map(str, e.set_ids)) or "-",
            "rows": ", ".join(map(str, e.rows)) or "-",
            "communities": " ".join(map(str, e.communities)) or "-",
            "covers": ", ".join(map(str, e.sources)),
        }
        for e in entries
    ]


_FILTER_COLUMNS = ["community", "allow", "name", "authorisation", "sets", "ipv4", "ipv6"]
_ENTRY_COLUMNS = ["prefix", "sets", "rows", "communities", "covers"]


def render_text(outcome: PlanOutcome) -> str:
    plan = outcome.plan
    out = [summary_line(outcome)]
    age = age_text(plan.catalog_age)
    out += [age] if age else []
    out += ["", "Route filter"]
    out.append(text_table(_filter_rows(plan), _FILTER_COLUMNS, max_width=60).rstrip("\n"))
    for verdict in GROUPS:
        entries = plan.entries_of(verdict)
        out += ["", f"{_TITLES[verdict]}: {len(entries)} entries"]
        if entries:
            out.append(text_table(_entry_rows(entries), _ENTRY_COLUMNS, max_width=60).rstrip())
    if plan.explanations:
        out += ["", "How overlaps were resolved"]
        out += [f"  {x.kind}: {x.message}" for x in plan.explanations]
    if plan.notes:
        out += ["", "Notes"] + [f"  {n}" for n in plan.notes]
    if outcome.advertisement is not None:
        out += ["", f"Advertisement lint: {_count(outcome.advertisement)}"]
        for f in outcome.advertisement:
            out.append(f"  {f.severity.value:7} {f.code.value:26} {f.where}: {f.message}")
            out.append(f"  {'':7} {'':26} fix: {f.hint}")
    if outcome.check is not None:
        out += ["", f"Changes against the route tables: {len(outcome.check.changes)}"]
        out += [f"  {c.op} {c.prefix}  ({c.reason})" for c in outcome.check.changes]
    return "\n".join(out) + "\n"


def _table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> Table:
    return table(columns, [[row[c] for c in columns] for row in rows])


def plan_document(outcome: PlanOutcome) -> Document:
    """The plan as sections: the route filter, each list, then lint and route changes."""
    plan = outcome.plan
    head: list[Block] = [para(summary_line(outcome) + ".")]
    if plan.catalog_age:
        head.append(Note(spans(age_text(plan.catalog_age) or ""), "catalog-age"))
    sections = [Section("Route filter", (_table(_filter_rows(plan), _FILTER_COLUMNS),))]
    for verdict in GROUPS:
        entries = plan.entries_of(verdict)
        sections.append(
            Section(
                f"{_TITLES[verdict]} ({len(entries)})",
                (_table(_entry_rows(entries), _ENTRY_COLUMNS) if entries else para("None."),),
            )
        )
    if plan.explanations:
        said = tuple(spans(Span(x.kind, "b"), f": {x.message}") for x in plan.explanations)
        sections.append(Section("How overlaps were resolved", (Items(said),)))
    if plan.notes:
        sections.append(Section("Notes", (items(plan.notes),)))
    if outcome.advertisement is not None:
        lint = tuple(
            spans(
                Span(f.severity.value, "b"), " ", Span(f.code.value, "code"),
                f" {f.where}: {f.message}. Fix: {f.hint}.",
            )
            for f in outcome.advertisement
        )  # fmt: skip
        sections.append(
            Section(f"Advertisement lint: {_count(outcome.advertisement)}", (Items(lint),))
        )
    if outcome.check is not None:
        changes = outcome.check.changes
        sections.append(
            Section(
                f"Changes against the route tables ({len(changes)})",
                (
                    Code(tuple(f"{c.op} {c.prefix}  ({c.reason})" for c in changes), "diff")
                    if changes
                    else para("None: the route tables match the plan."),
                ),
            )
        )
    return Document(f"Plan: {plan.instance} {plan.version}", tuple(head), tuple(sections))


def render_markdown(outcome: PlanOutcome) -> str:
    return document_markdown(plan_document(outcome))
