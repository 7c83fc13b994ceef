"""Reports of a change over several routers: a fleet table first, then one section per router
(the JSON contract ``routeplan/review-fleet/1``; one router alone keeps ``routeplan/review/1``)."""

from __future__ import annotations

from typing import Any

from routeplan.compare import FleetReview
from routeplan.report.mdsafe import md_table, md_text
from routeplan.report.review import ChangeInfo, render_markdown, review_record, summary

FLEET_SCHEMA = "routeplan/review-fleet/1"


def fleet_review_record(
    fleet: FleetReview, timestamp: str | None = None, *, change: ChangeInfo | None = None
) -> dict[str, Any]:
    """The JSON document: the fleet's verdict, routers on one side only, and each router's
    ``routeplan/review/1`` record."""
    record: dict[str, Any] = {
        "schema": FLEET_SCHEMA,
        "verdict": fleet.verdict.value,
        "routers": [
            {"name": r.name, "verdict": r.review.verdict.value, "review": review_record(r.review)}
            for r in fleet.routers
        ],
        "added": list(fleet.added),
        "removed": list(fleet.removed),
        "not_reviewed": [{"name": name, "error": why} for name, why in fleet.failed],
    }
    if change is not None and change.record():
        record["change"] = change.record()
    if timestamp:
        record["generated"] = timestamp
    return record


def render_fleet_markdown(
    fleet: FleetReview, timestamp: str | None = None, *, change: ChangeInfo | None = None
) -> str:
    """The fleet table first (verdict and summary per router), then each router's review."""
    title = change.title if change is not None and change.title else "Change review"
    out = [
        f"# {md_text(title)} of {len(fleet.routers)} routers: {fleet.verdict.value.upper()}",
        "",
    ]
    meta = (change.lines() if change else []) + ([f"Generated: {timestamp}"] if timestamp else [])
    if meta:
        out += [*(f"- {md_text(line)}" for line in meta), ""]
    rows = [[r.name, r.review.verdict.value, "; ".join(summary(r.review))] for r in fleet.routers]
    out += md_table(["router", "verdict", "summary"], rows)
    for label, names in (("before the change only", fleet.removed), ("after it only", fleet.added)):
        if names:
            out += ["", f"Routers with tables {label} (review them): " + md_text(", ".join(names))]
    if fleet.failed:
        out += ["", "Routers NOT REVIEWED (their tables could not be read):", ""]
        out += [f"- {md_text(name)}: {md_text(why)}" for name, why in fleet.failed]
    for r in fleet.routers:
        first, *rest = render_markdown(r.review).rstrip("\n").split("\n")
        out += ["", f"## Router {md_text(r.name)}: {first.removeprefix('# ')}"]
        out += [("#" + ln) if ln.startswith("## ") else ln for ln in rest]
    return "\n".join(out) + "\n"
