"""The NetBox script's Markdown report of a :class:`~routeplan.netbox.NetBoxCheck`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from routeplan.catalog.age import age_text
from routeplan.model import Severity
from routeplan.report.mdsafe import md_fence, md_text

if TYPE_CHECKING:
    from routeplan.netbox import NetBoxCheck


def render_markdown(check: NetBoxCheck) -> str:
    """A short Markdown report of a NetBox check, for the script's output."""
    from routeplan.netbox import label_of  # noqa: PLC0415  (the adapter names NetBox objects)

    plan = check.plan
    found = check.findings()
    counts = {s: sum(1 for f in found if f[0] is s) for s in Severity}
    out = [
        f"# Microsoft 365 over ExpressRoute: {plan.instance} {plan.version}",
        "",
        "Route filter: " + (" ".join(str(c.community) for c in plan.allowed) or "nothing"),
        "",
        *([f"> {md_text(age_text(plan.catalog_age))}", ""] if plan.catalog_age else []),
        f"**{counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s), "
        f"{counts[Severity.INFO]} info**",
        "",
        f"- announced over ExpressRoute ({md_text(check.sets.advertise.source)}): "
        + (", ".join(str(p) for p, _ in check.sets.advertise.prefixes) or "none"),
    ]
    if check.routes is not None:
        sources = ", ".join(i.source for i in check.routes.inputs)
        out.append(f"- route tables checked: {md_text(sources)}")
    if found:
        out += ["", "## Findings", ""]
        for severity, message, obj in found:
            where = f" ({md_text(label_of(obj))})" if obj is not None else ""
            out.append(f"- **{severity.value}**{where}: {md_text(message)}")
    if check.routes is not None and check.routes.changes:
        out += ["", "## What to change", ""]
        out += md_fence([f"{c.op} {c.prefix}  ({c.reason})" for c in check.routes.changes], "diff")
    return "\n".join(out) + "\n"
