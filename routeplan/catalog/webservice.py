"""Import and export the JSON of the Microsoft 365 IP Address and URL web service.

``/endpoints/{instance}`` returns a list of endpoint sets with camelCase keys; port strings are
not normalised (``"443,80"``, ``"143, 587, 993, 995"``). The importer validates every field,
keeps the published port strings next to the parsed port sets, and the exporter writes the
same JSON back, so a snapshot round-trips exactly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from routeplan.catalog.records import endpoint_sets_from_node
from routeplan.model import EndpointSet, Provenance, Snapshot
from routeplan.yamlio import Node

INSTANCES = ("Worldwide", "USGovDoD", "USGovGCCHigh", "China")
"""The instances the web service publishes."""

SERVICE_SET_KEYS: dict[str, str] = {
    "id": "id",
    "service_area": "serviceArea",
    "service_area_display_name": "serviceAreaDisplayName",
    "urls": "urls",
    "ips": "ips",
    "tcp_ports": "tcpPorts",
    "udp_ports": "udpPorts",
    "express_route": "expressRoute",
    "category": "category",
    "required": "required",
    "notes": "notes",
}
"""Endpoint-set field -> the web service's JSON key."""


def canonical_instance(name: str) -> str | None:
    """The service's spelling of an instance name, matched without regard to case.

    >>> canonical_instance("usgovdod"), canonical_instance("Mars")
    ('USGovDoD', None)
    """
    for known in INSTANCES:
        if known.lower() == name.strip().lower():
            return known
    return None


def snapshot_from_json(
    node: Node,
    *,
    instance: str,
    version: str | None,
    retrieved: dt.date,
    provenance: Provenance,
) -> Snapshot:
    """Validate an ``/endpoints/{instance}`` response and turn it into a :class:`Snapshot`."""
    if isinstance(node.value, dict) and "error" in node.value:
        raise node.error(f"the web service returned an error: {node.value['error']!r}")
    items = node.as_list()
    if not items:
        raise node.error(
            "no endpoint sets (an empty list)",
            hint="the file must hold the JSON list returned by /endpoints/{instance}",
        )
    sets = endpoint_sets_from_node(
        node, SERVICE_SET_KEYS, unknown_hint="is this the output of /endpoints/{instance}?"
    )
    return Snapshot(instance, version, retrieved, provenance, sets)


def endpoint_set_to_json(es: EndpointSet) -> dict[str, Any]:
    """The web service's JSON for one endpoint set (keys in the service's order)."""
    doc: dict[str, Any] = {"id": es.id, "serviceArea": es.service_area}
    if es.service_area_display_name is not None:
        doc["serviceAreaDisplayName"] = es.service_area_display_name
    if es.urls:
        doc["urls"] = list(es.urls)
    if es.prefixes:
        doc["ips"] = [str(p) for p in es.prefixes]
    if es.tcp_ports_text is not None:
        doc["tcpPorts"] = es.tcp_ports_text
    if es.udp_ports_text is not None:
        doc["udpPorts"] = es.udp_ports_text
    doc["expressRoute"] = es.express_route
    doc["category"] = es.category.value
    doc["required"] = es.required
    if es.notes is not None:
        doc["notes"] = es.notes
    return doc


def snapshot_to_json(snapshot: Snapshot) -> list[dict[str, Any]]:
    return [endpoint_set_to_json(es) for es in snapshot.endpoint_sets]
