"""Catalog objects as plain records (for JSON, YAML, CSV and text tables)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from routeplan.catalog.age import CatalogAge, age_text
from routeplan.catalog.query import (
    CatalogView,
    Disagreement,
    FqdnAnswer,
    PrefixAnswer,
    Selection,
    Verdict,
)
from routeplan.catalog.store import snapshot_path
from routeplan.cidrset import AddressSet
from routeplan.compare import catalog_deltas
from routeplan.errors import UsageError
from routeplan.model import Catalog, CidrKind, CommunityInfo, EndpointSet, Provenance, Row
from routeplan.report.output import render_listing, to_json
from routeplan.yamlio import dump_yaml


def provenance_record(p: Provenance) -> dict[str, Any]:
    out: dict[str, Any] = {"document": p.document}
    for key in ("version", "date", "retrieved", "via", "note"):
        value = getattr(p, key)
        if value is not None:
            out[key] = str(value)
    return out


def view_context(view: CatalogView, age: CatalogAge | None = None) -> dict[str, Any]:
    context: dict[str, Any] = {
        "instance": view.instance,
        "version": view.snapshot.label,
        "service_version": view.snapshot.version,
        "retrieved": view.snapshot.retrieved.isoformat(),
        "rows": view.rows.label,
        "prefer": view.prefer.value,
    }
    if age is not None:
        context["age"] = age.record()
    return {"catalog": context}


def snapshot_records(catalog: Catalog) -> list[dict[str, Any]]:
    latest: dict[str, str] = {}
    for s in catalog.snapshots:
        latest[s.instance] = s.label  # snapshots are sorted oldest first per instance
    out = []
    for s in catalog.snapshots:
        sets = s.endpoint_sets
        out.append(
            {
                "instance": s.instance,
                "version": s.label,
                "latest": latest[s.instance] == s.label,
                "service_version": s.version,
                "retrieved": s.retrieved.isoformat(),
                "sets": len(sets),
                "er_sets": sum(1 for e in sets if e.express_route),
                "ipv4": len({p for e in sets for p in e.ipv4}),
                "ipv6": len({p for e in sets for p in e.ipv6}),
                "urls": len({u for e in sets for u in e.urls}),
                "source": s.provenance.document,
                "provenance": provenance_record(s.provenance),
            }
        )
    return out


def row_table_records(catalog: Catalog) -> list[dict[str, Any]]:
    return [
        {
            "rows_version": t.label,
            "default": t.label == catalog.default_rows,
            "rows": len(t.rows),
            "title": t.title,
            "provenance": provenance_record(t.provenance),
        }
        for t in catalog.row_tables
    ]


def row_record(view: CatalogView, row: Row) -> dict[str, Any]:
    er = {True: "Yes", False: "No", None: ""}[row.er_communities]
    sets = view.resolve_row(row)
    taken = [
        {
            "name": t.name,
            "endpoint_sets": list(t.endpoint_sets),
            "patterns": list(t.patterns),
            "express_route": t.express_route,
            "agrees": t.agrees,
        }
        for t in view.taken_in(row)
    ]
    return {
        "row": row.number,
        "requirement": row.requirement,
        "purpose": row.purpose,
        "destinations": list(row.destinations),
        "destination_text": row.destination_text,
        "er_communities": er,
        "cidr": {
            "kind": row.cidr.kind.value,
            "text": row.cidr.text,
            "range_sets": [{"name": r.name, "qualifier": r.qualifier} for r in row.cidr.range_sets],
            "prefixes": [str(p) for p in row.cidr.prefixes],
        },
        "cidr_text": row.cidr.text,
        "internet_only": _internet_only(view, row),
        "ports": {
            "text": row.ports_text,
            "rules": [
                {
                    "protocol": p.protocol,
                    "ports": str(p.ports),
                    "application": p.application,
                    "custom_allowed": p.custom_allowed,
                    "customer_configurable": p.customer_configurable,
                    "typical": p.typical,
                }
                for p in row.ports
            ],
        },
        "ports_text": row.ports_text,
        "direction": row.direction.value,
        "sources": [
            {"name": s.name, "address": str(s.address) if s.address else None} for s in row.sources
        ],
        "type": row.type,
        "notes": row.notes,
        "endpoint_sets": [es.id for es in sets],
        "effective_prefixes": len(view.row_prefixes(row)),
        "resolution_note": _resolution_note(view, row, sets),
        "taken_in": taken,
        "web_service": _taken_text(taken, len(row.destinations)),
    }


def _resolution_note(view: CatalogView, row: Row, sets: Sequence[EndpointSet]) -> str | None:
    """Why a row that names addresses resolves to none in this snapshot (row 5 today)."""
    if row.cidr.kind not in (CidrKind.RANGE_SETS, CidrKind.PREFIXES) or view.row_prefixes(row):
        return None
    if not row.cidr.range_sets:
        return "names no prefixes"
    names = ", ".join(
        repr(r.name + (" - " + r.qualifier if r.qualifier else "")) for r in row.cidr.range_sets
    )
    if not sets:
        return (
            f"resolves to no prefixes in {view.instance} {view.snapshot.label}: no endpoint set "
            f"matches {names}"
        )
    ids = ", ".join(str(es.id) for es in sets[:8]) + (
        f" and {len(sets) - 8} more" if len(sets) > 8 else ""
    )
    return (
        f"resolves to no prefixes in {view.instance} {view.snapshot.label}: {names} stands for "
        f"endpoint sets {ids}, which list URLs only, no IP ranges"
    )


def _taken_text(taken: Sequence[dict[str, Any]], names: int) -> str:
    if not taken:
        return ""
    differ = sum(1 for t in taken if not t["agrees"])
    text = f"{len(taken)} of {names} names taken in"
    return text + (f", {differ} answer otherwise" if differ else "")


def _internet_only(view: CatalogView, row: Row) -> bool:
    """Does the row name addresses that must stay off ExpressRoute (a qualifier such as
    row 5's, or literal prefixes in a row marked No such as row 14)?"""
    for ref in row.cidr.range_sets:
        qualifier = view.catalog.range_sets.qualifier(ref.qualifier) if ref.qualifier else None
        if qualifier is not None and qualifier.express_route is False:
            return True
    return row.cidr.kind is CidrKind.PREFIXES and row.er_communities is False


def set_record(view: CatalogView, es: EndpointSet) -> dict[str, Any]:
    return {
        "id": es.id,
        "service_area": es.service_area,
        "service_area_display_name": es.service_area_display_name,
        "category": es.category.value,
        "express_route": es.express_route,
        "required": es.required,
        "communities": [str(c) for c in view.communities_of(es)],
        "rows": list(view.rows_naming(es)),
        "urls": list(es.urls),
        "ipv4": [str(p) for p in es.ipv4],
        "ipv6": [str(p) for p in es.ipv6],
        "ipv4_count": len(es.ipv4),
        "ipv6_count": len(es.ipv6),
        "tcp_ports": list(es.tcp_ports),
        "udp_ports": list(es.udp_ports),
        "tcp_ports_text": str(es.tcp_ports),
        "udp_ports_text": str(es.udp_ports),
        "notes": es.notes,
    }


def community_record(view: CatalogView | None, info: CommunityInfo) -> dict[str, Any]:
    record: dict[str, Any] = {
        "community": str(info.community),
        "name": info.name,
        "kind": info.kind,
        "cloud": info.cloud,
        "authorization_required": info.authorization_required,
        "authorization": {True: "required", False: "no", None: "not stated"}[
            info.authorization_required
        ],
        "geo_group": info.geo_group,
        "notes": info.notes,
    }
    if view is not None:
        carried = [
            prefix
            for prefix, origins in view.entries.items()
            if any(info.community in o.communities for o in origins)
        ]
        record["endpoint_sets"] = sorted(
            {
                o.set_id
                for origins in view.entries.values()
                for o in origins
                if o.set_id is not None and info.community in o.communities
            }
        )
        record["ipv4_count"] = sum(1 for p in carried if p.version == 4)
        record["ipv6_count"] = sum(1 for p in carried if p.version == 6)
        lists = {v: view.azure_list(info.community, v) for v in (4, 6)}
        record["azure_list"] = {
            f"ipv{v}": None
            if listed is None
            else {"date": listed[0], "prefixes": [str(c) for c in listed[1].cidrs()]}
            for v, listed in lists.items()
        }
        inferred = sorted(p for p in carried if lists[p.version] is None)
        record["inferred"] = [str(p) for p in inferred]
        record["source"] = _community_source(lists, len(inferred), len(carried))
    return record


def _community_source(
    lists: dict[int, tuple[str, AddressSet] | None], inferred: int, carried: int
) -> str:
    """How the catalog knows what a community carries, in a few words."""
    dates = sorted({listed[0] for listed in lists.values() if listed is not None})
    if not carried:
        return "-"
    if not dates:
        return "service-area rule"
    text = "Azure list " + ", ".join(dates)
    families = [f"IPv{v}" for v, listed in lists.items() if listed is None]
    if inferred:
        text += f"; {' and '.join(families)} by the service-area rule ({inferred})"
    return text


def _verdict_text(verdict: Verdict) -> str:
    return {
        Verdict.EXPRESSROUTE: "ExpressRoute",
        Verdict.NOT_SELECTED: "Internet (ExpressRoute-eligible, community not selected)",
        Verdict.INTERNET_ONLY: "Internet-only",
        Verdict.NOT_STATED: "in the catalog, ExpressRoute not stated",
        Verdict.NOT_IN_CATALOG: "not in the catalog",
        Verdict.MIXED: "mixed: its addresses belong on different paths",
    }[verdict]


def disagreement_record(d: Disagreement | None) -> dict[str, Any] | None:
    """Both sources' answers, their versions and dates, which won and why."""
    if d is None:
        return None
    return {
        "winner": d.winner.value,
        "rule": d.rule,
        "sources": [
            {
                "source": side.source.value,
                "label": side.label,
                "date": side.date,
                "endpoint_sets": list(side.endpoint_sets),
                "rows": list(side.rows),
                "patterns": list(side.patterns),
                "express_route": side.express_route,
                "won": side is d.sides[0],
            }
            for side in d.sides
        ],
    }


def prefix_answer_record(answer: PrefixAnswer) -> dict[str, Any]:
    d = answer.decision
    return {
        "query": answer.query,
        "kind": "address" if answer.prefix.length == answer.prefix.bits else "prefix",
        "prefix": str(answer.prefix),
        "verdict": d.verdict.value,
        "path": d.verdict.path.value if d.verdict.path else None,
        "summary": _verdict_text(d.verdict),
        "communities": [str(c) for c in d.communities],
        "community_basis": d.winner.community_basis if d.winner and d.communities else None,
        "reason": d.reason,
        "longest_match": str(answer.longest.prefix) if answer.longest else None,
        "covering": [
            {
                "prefix": str(e.prefix),
                "endpoint_sets": sorted({o.set_id for o in e.origins if o.set_id is not None}),
                "rows": sorted({r for o in e.origins for r in ((o.row,) if o.row else o.rows)}),
                "express_route": sorted({o.express_route for o in e.origins}),
            }
            for e in answer.covering
        ],
        "covered": [str(e.prefix) for e in answer.covered],
        "parts": [
            {
                "verdict": part.verdict.value,
                "path": part.verdict.path.value if part.verdict.path else None,
                "addresses": part.addresses,
                "cidrs": [str(c) for c in part.cidrs],
                "catalog_prefixes": [str(c) for c in part.catalog_prefixes],
                "communities": [str(c) for c in part.communities],
            }
            for part in answer.parts
        ],
        "disagreement": disagreement_record(answer.disagreement),
    }


def fqdn_answer_record(answer: FqdnAnswer) -> dict[str, Any]:
    d = answer.decision
    return {
        "query": answer.query,
        "kind": "fqdn",
        "verdict": d.verdict.value,
        "path": d.verdict.path.value if d.verdict.path else None,
        "summary": _verdict_text(d.verdict),
        "communities": [str(c) for c in d.communities],
        "community_basis": d.winner.community_basis if d.winner and d.communities else None,
        "reason": d.reason,
        "matches": [
            {
                "pattern": m.pattern,
                "endpoint_set": m.set_id,
                "row": m.row,
                "winner": m.winner,
                "express_route": m.express_route,
                "communities": [str(c) for c in m.communities],
            }
            for m in answer.matches
        ],
        "disagreement": disagreement_record(answer.disagreement),
    }


def lookup_text(
    records: list[dict[str, Any]], selection: Selection, age: CatalogAge | None = None
) -> str:
    lines = [f"route filter: {selection.asked}"]
    line = age_text(age)
    lines += [line, ""] if line else [""]
    for r in records:
        head = f"{r['query']}: {r['summary']}"
        if r["communities"]:
            head += " [" + " ".join(r["communities"]) + "]"
        lines.append(head)
        lines.append(f"  why: {r['reason']}")
        if r.get("community_basis"):
            lines.append(f"  communities: {r['community_basis']}")
        if r.get("disagreement"):
            d = r["disagreement"]
            lines.append("  sources disagree:")
            for side in d["sources"]:
                who = ", ".join(
                    [f"set {i}" for i in side["endpoint_sets"]] + [f"row {i}" for i in side["rows"]]
                )
                says = "ExpressRoute" if side["express_route"] else "not ExpressRoute"
                when = f" ({side['date']})" if side["date"] else ""
                mark = "won" if side["won"] else "overruled"
                lines.append(f"    {mark}: {side['label']}{when} {who} says {says}")
        for c in r.get("covering", []):
            sets = ",".join(str(i) for i in c["endpoint_sets"]) or "-"
            rows = ",".join(str(i) for i in c["rows"]) or "-"
            lines.append(f"  covered by {c['prefix']}  sets {sets}  rows {rows}")
        if len(r.get("parts", [])) > 1:
            for part in r["parts"]:
                cidrs = part["cidrs"]
                shown = ", ".join(cidrs[:6]) + (
                    f" and {len(cidrs) - 6} more" if len(cidrs) > 6 else ""
                )
                lines.append(f"  part {part['verdict']}: {part['addresses']} addresses, {shown}")
        if r.get("covered"):
            lines.append(
                f"  contains {len(r['covered'])} catalog prefixes: "
                + ", ".join(r["covered"][:8])
                + (" ..." if len(r["covered"]) > 8 else "")
            )
        for m in r.get("matches", []):
            who = f"set {m['endpoint_set']}" if m["endpoint_set"] is not None else f"row {m['row']}"
            er = {True: "ExpressRoute", False: "not ExpressRoute", None: "-"}[m["express_route"]]
            mark = "*" if m["winner"] else " "
            lines.append(f"  {mark} {m['pattern']}  {who}  {er}")
        lines.append("")
    return "\n".join(lines)


def render_catalog_show(catalog: Catalog, fmt: str) -> str:
    """``routeplan catalog show``: snapshots, row tables and communities, in ``fmt``."""
    snaps = snapshot_records(catalog)
    tables = row_table_records(catalog)
    if fmt == "text":
        out = render_listing(
            "text",
            schema="",
            key="",
            records=snaps,
            columns=[
                "instance",
                "version",
                "latest",
                "sets",
                "er_sets",
                "ipv4",
                "ipv6",
                "urls",
                "source",
            ],
            title="Endpoint sets (web service snapshots)",
        )
        out += "\n" + render_listing(
            "text",
            schema="",
            key="",
            records=tables,
            columns=["rows_version", "default", "rows", "title"],
            title="Additional-endpoints table",
        )
        service = [
            c for c in catalog.communities.entries if c.kind in ("service", "national-service")
        ]
        out += (
            f"\nBGP communities: {len(catalog.communities.entries)} "
            f"({len(service)} service communities), "
            f"from {catalog.communities.provenance.document}\n"
        )
        out += "Catalog directories: " + ", ".join(catalog.roots) + "\n"
        return out
    data = {
        "schema": "routeplan/catalog-show/1",
        "snapshots": snaps,
        "row_tables": tables,
        "communities": len(catalog.communities.entries),
        "directories": list(catalog.roots),
    }
    if fmt == "json":
        return to_json(data)
    if fmt == "yaml":
        return dump_yaml(data)
    return render_listing(
        "csv",
        schema="",
        key="",
        records=snaps,
        columns=[
            "instance",
            "version",
            "latest",
            "service_version",
            "retrieved",
            "sets",
            "er_sets",
            "ipv4",
            "ipv6",
            "urls",
            "source",
        ],
    )


def row_records(view: CatalogView, numbers: Sequence[int] = ()) -> list[dict[str, Any]]:
    """The rows (all, or those numbered), each resolved against the view; an unknown row
    number is a usage error."""
    selected = [r for r in view.rows.rows if not numbers or r.number in numbers]
    missing = sorted(set(numbers) - {r.number for r in selected})
    if missing:
        raise UsageError(
            f"no row {missing[0]} in {view.rows.label}", hint=f"rows are 1 to {len(view.rows.rows)}"
        )
    return [row_record(view, r) for r in selected]


def row_notes(records: Sequence[dict[str, Any]]) -> str:
    """The notes under the text table of rows: how rows resolve, and where the web service
    has taken names in."""
    notes = [f"row {r['row']}: {r['resolution_note']}" for r in records if r["resolution_note"]]
    if any(r["taken_in"] for r in records):
        notes.append(
            "WEB SERVICE: names the web service has since taken in; where it answers "
            "otherwise it decides (docs/catalog.md); 'routeplan lookup NAME' shows both"
        )
    return "".join(f"note: {n}\n" for n in notes)


def version_records(catalog: Catalog, root: Path, instances: Sequence[str]) -> list[dict[str, Any]]:
    """``routeplan catalog versions``: each local snapshot of the instances, whether it is the
    version the last update or import recorded (``current``), and where it is stored."""
    from routeplan.catalog.update import read_state  # noqa: PLC0415  (keeps startup fast)

    names = {n.lower() for n in instances}
    records = []
    for snap in catalog.snapshots:
        if snap.instance.lower() not in names:
            continue
        marker = read_state(root, snap.instance)
        path = snapshot_path(root, snap)
        records.append(
            {
                "instance": snap.instance,
                "version": snap.label,
                "current": "*" if marker and marker.version == snap.version else "",
                "retrieved": snap.retrieved.isoformat(),
                "sets": len(snap.endpoint_sets),
                "stored": "user" if path.exists() else "bundled",
                "source": snap.provenance.document,
                "via": snap.provenance.via,
                "checked": marker.checked.isoformat() if marker and marker.checked else None,
            }
        )
    return records


def stored_change_records(
    root: Path, instances: Sequence[str], *, since: str | None = None
) -> list[dict[str, Any]]:
    """``routeplan catalog changes``: the change feed stored by ``catalog update``, after
    ``since`` (a YYYYMMDDNN version) when given."""
    from routeplan.catalog.update import stored_changes  # noqa: PLC0415  (keeps startup fast)

    records: list[dict[str, Any]] = []
    for name in instances:
        for r in stored_changes(root, name):
            if since is not None and r.version <= since:
                continue
            flip = r.express_route_flip
            records.append(
                {
                    "instance": name,
                    "version": r.version,
                    "id": r.id,
                    "endpoint_set": r.set_id,
                    "disposition": r.disposition,
                    "impact": r.impact,
                    "effective": r.effective_date,
                    "expressroute": f"{flip[0]} -> {flip[1]}" if flip else "",
                    "added_ips": [str(p) for p in r.added_ips],
                    "removed_ips": [str(p) for p in r.removed_ips],
                    "added_urls": list(r.added_urls),
                    "removed_urls": list(r.removed_urls),
                    "description": r.description,
                }
            )
    return records


def snapshot_change_records(before: CatalogView, after: CatalogView) -> list[dict[str, Any]]:
    """``routeplan catalog changes --from --to``: what differs between two snapshots."""
    return [
        {
            "kind": d.kind,
            "endpoint_set": d.set_id,
            "service_area": d.service_area,
            "express_route": d.express_route,
            "prefix": None if d.prefix is None else str(d.prefix),
            "url": d.url,
            "detail": d.detail,
            "what": str(d.prefix) if d.prefix else (d.url or d.detail),
        }
        for d in catalog_deltas(before, after)
    ]


def render_lookup(
    view: CatalogView,
    answers: Sequence[PrefixAnswer | FqdnAnswer],
    selection: Selection,
    age: CatalogAge,
    fmt: str,
) -> str:
    """``routeplan lookup``'s answers in ``fmt`` (text, json, yaml or csv)."""
    records = [
        prefix_answer_record(a) if isinstance(a, PrefixAnswer) else fqdn_answer_record(a)
        for a in answers
    ]
    if fmt == "text":
        return lookup_text(records, selection, age)
    if fmt == "csv":
        for r in records:  # a host name's longest match is its winning pattern
            r.setdefault(
                "longest_match",
                next((m["pattern"] for m in r.get("matches", []) if m["winner"]), None),
            )
            r["catalog_age_days"], r["catalog_stale"] = age.days, age.stale
        columns = [
            "query",
            "kind",
            "verdict",
            "path",
            "communities",
            "longest_match",
            "reason",
            "catalog_age_days",
            "catalog_stale",
        ]
        return render_listing("csv", schema="", key="", records=records, columns=columns)
    data = {
        "schema": "routeplan/lookup/1",
        **view_context(view, age),
        "route_filter": sorted(str(c) for c in selection.communities),
        "answers": records,
    }
    return to_json(data) if fmt == "json" else dump_yaml(data)


def community_records(view: CatalogView, *, show_all: bool = False) -> list[dict[str, Any]]:
    """``routeplan catalog communities``: the service communities (with ``show_all`` also the
    regional ones), each with the endpoint sets it carries in the view's instance."""
    return [
        community_record(view, c)
        for c in view.catalog.communities.entries
        if show_all or c.kind in ("service", "national-service")
    ]


def render_formats(fmt: str) -> str:
    """``routeplan formats``: the route-table formats, in the order detection tries them,
    with the commands whose output each reads (text, or json: routeplan/formats/1)."""
    from routeplan.rib import FORMATS  # noqa: PLC0415

    records = [
        {"name": f.name, "title": f.title, "commands": list(f.commands), "notes": f.notes}
        for f in FORMATS
    ]
    if fmt == "json":
        return to_json({"schema": "routeplan/formats/1", "formats": records})
    out = []
    for r in records:
        out.append(f"{r['name']:<14} {r['title']}\n")
        out += [f"{'':<14}   {command}\n" for command in r["commands"]]
    return "".join(out)
