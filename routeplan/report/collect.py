"""The targeted collection as JSON (``routeplan/collect/1``) and as text."""

from __future__ import annotations

from typing import Any

from routeplan.collect import Collection

SCHEMA = "routeplan/collect/1"


def collect_record(found: Collection) -> dict[str, Any]:
    """The commands, with how many plan prefixes and covering lookups they hold."""
    return {
        "schema": SCHEMA,
        "platform": found.platform,
        "prefixes": found.prefixes,
        "lookups": found.lookups,
        "commands": list(found.commands),
    }


def render_text(found: Collection) -> str:
    """One command a line, to paste or to feed a collector."""
    return "".join(f"{c}\n" for c in found.commands)
