"""Import and export the JSON of the Microsoft 365 IP Address and URL web service.

``/endpoints/{instance}`` returns a list of endpoint sets with camelCase keys; port strings are
not normalised (``"443,80"``, ``"143, 587, 993, 995"``). The importer validates every field,
keeps the published port strings next to the parsed port sets, and the exporter writes the
same JSON back, so a snapshot round-trips exactly.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from routeplan.errors import InputError
from routeplan.model import Category, EndpointSet, PortSet, Provenance, Snapshot, parse_prefix
from routeplan.yamlio import Node

INSTANCES = ("Worldwide", "USGovDoD", "USGovGCCHigh", "China")
"""The instances the web service publishes."""

_KEYS = (
    "id",
    "serviceArea",
    "serviceAreaDisplayName",
    "urls",
    "ips",
    "tcpPorts",
    "udpPorts",
    "expressRoute",
    "category",
    "required",
    "notes",
)


def canonical_instance(name: str) -> str | None:
    """The service's spelling of an instance name, matched without regard to case.

    >>> canonical_instance("usgovdod"), canonical_instance("Mars")
    ('USGovDoD', None)
    """
    for known in INSTANCES:
        if known.lower() == name.strip().lower():
            return known
    return None


def endpoint_set_from_json(node: Node) -> EndpointSet:
    data = node.mapping()
    for key in data:
        if key not in _KEYS:
            raise node.error(
                f"unknown endpoint-set field {key!r}",
                key,
                hint="is this the output of /endpoints/{instance}?",
            )
    category_node = node["category"]
    try:
        category = Category(category_node.as_str())
    except ValueError:
        raise category_node.error(
            f"unknown category {category_node.value!r}",
            hint="the service uses Optimize, Allow or Default",
        ) from None
    prefixes = []
    ips = node.get("ips")
    for item in ips.as_list() if ips is not None else []:
        try:
            prefixes.append(parse_prefix(item.as_str()))
        except InputError as exc:
            raise item.fix(exc) from None
    ports: dict[str, tuple[PortSet, str | None]] = {}
    for key in ("tcpPorts", "udpPorts"):
        pn = node.get(key)
        if pn is None:
            ports[key] = (PortSet(), None)
            continue
        try:
            ports[key] = (PortSet.parse(pn.as_str()), pn.as_str())
        except InputError as exc:
            raise pn.fix(exc) from None
    urls = node.get("urls")
    set_id = node["id"].as_int()
    if set_id < 0:
        raise node["id"].error(f"endpoint set id must not be negative, got {set_id}")
    return EndpointSet(
        id=set_id,
        service_area=node["serviceArea"].as_str(),
        service_area_display_name=node.opt_str("serviceAreaDisplayName"),
        category=category,
        express_route=node["expressRoute"].as_bool(),
        required=node["required"].as_bool(),
        urls=urls.str_list() if urls is not None else (),
        prefixes=tuple(prefixes),
        tcp_ports=ports["tcpPorts"][0],
        udp_ports=ports["udpPorts"][0],
        tcp_ports_text=ports["tcpPorts"][1],
        udp_ports_text=ports["udpPorts"][1],
        notes=node.opt_str("notes"),
    )


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
    sets = []
    seen: dict[int, int] = {}
    for i, item in enumerate(items):
        es = endpoint_set_from_json(item)
        if es.id in seen:
            raise item.error(f"duplicate endpoint set id {es.id} (also at [{seen[es.id]}])", "id")
        seen[es.id] = i
        sets.append(es)
    return Snapshot(instance, version, retrieved, provenance, tuple(sets))


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
