"""Route tables: one module per input format, a plain registry, and automatic detection.

>>> [f.name for f in FORMATS][:3]
['generic-json', 'generic-csv', 'frr-json']
"""

from __future__ import annotations

from routeplan.rib.base import Interest, ParseContext, RibFormat, Route, Skipped
from routeplan.rib.read import RibInput, detect_format, get_format, read_route_text, read_routes
from routeplan.rib.registry import FORMATS

__all__ = [
    "FORMATS",
    "Interest",
    "ParseContext",
    "RibFormat",
    "RibInput",
    "Route",
    "Skipped",
    "detect_format",
    "get_format",
    "read_route_text",
    "read_routes",
]
