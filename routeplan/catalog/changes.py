"""The web service's change feed: ``/changes/{instance}/{version}``.

Each record says what one version did to one endpoint set: its disposition (``add``,
``change``, ``remove``), the expected impact (``AddedIp``, ``ChangedIsExpressRoute`` ...; only
in records of version 2018112800 and later), the previous and current values of changed
attributes, and the IPs and URLs added (with the date they go live) or removed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from routeplan.errors import InputError
from routeplan.model import (
    Category,
    EndpointSet,
    Prefix,
    Snapshot,
    is_service_version,
    parse_prefix,
)
from routeplan.yamlio import Node, load_document

DISPOSITIONS = ("add", "change", "remove")
IMPACTS = (
    "AddedIp",
    "AddedUrl",
    "AddedIpAndUrl",
    "AddedSubstituteUrl",
    "RemovedIpOrUrl",
    "ChangedIsExpressRoute",
    "MovedIpOrUrl",
    "RemovedDuplicateIpOrUrl",
    "OtherNonPriorityChanges",
)
_KEYS = (
    "id",
    "endpointSetId",
    "disposition",
    "impact",
    "version",
    "changeDescription",
    "previous",
    "current",
    "add",
    "remove",
)
_ATTRIBUTES = (
    "expressRoute",
    "serviceArea",
    "category",
    "required",
    "tcpPorts",
    "udpPorts",
    "notes",
)


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    id: int
    set_id: int
    disposition: str
    version: str
    impact: str | None = None
    description: str | None = None
    previous: tuple[tuple[str, Any], ...] = ()
    current: tuple[tuple[str, Any], ...] = ()
    added_ips: tuple[Prefix, ...] = ()
    added_urls: tuple[str, ...] = ()
    effective_date: str | None = None
    """``YYYYMMDD`` when the additions go live."""
    removed_ips: tuple[Prefix, ...] = ()
    removed_urls: tuple[str, ...] = ()
    line: int | None = None

    @property
    def express_route_flip(self) -> tuple[bool, bool] | None:
        """(before, after) when the record changes the ExpressRoute flag."""
        before = dict(self.previous).get("expressRoute")
        after = dict(self.current).get("expressRoute")
        if isinstance(before, bool) and isinstance(after, bool) and before != after:
            return before, after
        return None

    def to_json(self) -> dict[str, Any]:
        """The record in the service's own JSON shape (for storing it again)."""
        doc: dict[str, Any] = {
            "id": self.id,
            "endpointSetId": self.set_id,
            "disposition": self.disposition.capitalize(),
        }
        if self.impact is not None:
            doc["impact"] = self.impact
        doc["version"] = self.version
        if self.description is not None:
            doc["changeDescription"] = self.description
        if self.previous:
            doc["previous"] = dict(self.previous)
        if self.current:
            doc["current"] = dict(self.current)
        add: dict[str, Any] = {}
        if self.effective_date is not None:
            add["effectiveDate"] = self.effective_date
        if self.added_ips:
            add["ips"] = [str(p) for p in self.added_ips]
        if self.added_urls:
            add["urls"] = list(self.added_urls)
        if add:
            doc["add"] = add
        remove: dict[str, Any] = {}
        if self.removed_ips:
            remove["ips"] = [str(p) for p in self.removed_ips]
        if self.removed_urls:
            remove["urls"] = list(self.removed_urls)
        if remove:
            doc["remove"] = remove
        return doc


def _attributes(node: Node | None) -> tuple[tuple[str, Any], ...]:
    if node is None:
        return ()
    node.only_keys(_ATTRIBUTES)
    return tuple((k, v.value) for k, v in node.items())


def _ips(node: Node | None) -> tuple[Prefix, ...]:
    if node is None:
        return ()
    out = []
    for item in node.as_list():
        try:
            out.append(parse_prefix(item.as_str(), allow_host=True))
        except InputError as exc:
            raise item.fix(exc) from None
    return tuple(out)


def changes_from_node(node: Node) -> tuple[ChangeRecord, ...]:
    """Validate a ``/changes`` response; errors name the file, line and key path."""
    if isinstance(node.value, dict) and "error" in node.value:
        raise node.error(f"the web service returned an error: {node.value['error']!r}")
    out = []
    for item in node.as_list():
        item.only_keys(_KEYS)
        disposition = item["disposition"].as_str().lower()
        if disposition not in DISPOSITIONS:
            raise item.error(
                f"unknown disposition {disposition!r}",
                "disposition",
                hint="the service uses Add, Change and Remove",
            )
        version = item["version"].as_str()
        if not is_service_version(version):
            raise item.error(f"version {version!r} is not YYYYMMDDNN", "version")
        impact = item.opt_str("impact")
        add = item.get("add")
        remove = item.get("remove")
        if add is not None:
            add.only_keys(("effectiveDate", "ips", "urls"))
        if remove is not None:
            remove.only_keys(("ips", "urls"))
        out.append(
            ChangeRecord(
                id=item["id"].as_int(),
                set_id=item["endpointSetId"].as_int(),
                disposition=disposition,
                version=version,
                impact=impact,
                description=item.opt_str("changeDescription"),
                previous=_attributes(item.get("previous")),
                current=_attributes(item.get("current")),
                added_ips=_ips(add.get("ips")) if add is not None else (),
                added_urls=add["urls"].str_list() if add is not None and add.has("urls") else (),
                effective_date=add.opt_str("effectiveDate") if add is not None else None,
                removed_ips=_ips(remove.get("ips")) if remove is not None else (),
                removed_urls=(
                    remove["urls"].str_list() if remove is not None and remove.has("urls") else ()
                ),
                line=None,
            )
        )
    return tuple(out)


def read_changes(path: Path) -> tuple[ChangeRecord, ...]:
    """Read a ``/changes`` JSON file (as the service returns it)."""
    node = load_document(path, what="change feed")
    records = changes_from_node(node)
    located = []
    for i, record in enumerate(records):
        located.append(dataclasses.replace(record, line=node.child(i, None).error("").line))
    return tuple(located)


def changes_between(
    records: Sequence[ChangeRecord], after: str | None = None, upto: str | None = None
) -> tuple[ChangeRecord, ...]:
    """Records with ``after < version <= upto`` (either bound may be left open).

    >>> r = [ChangeRecord(1, 1, "add", "2024010100"), ChangeRecord(2, 1, "add", "2024020100")]
    >>> [c.id for c in changes_between(r, after="2024010100")]
    [2]
    """
    return tuple(
        r
        for r in records
        if (after is None or r.version > after) and (upto is None or r.version <= upto)
    )


# ---------------------------------------------------------------------------------------------
# Applying a change feed to a snapshot


def apply_changes(snapshot: Snapshot, records: Sequence[ChangeRecord]) -> Snapshot:
    """The snapshot after the change records (in version order): IPs and URLs added and
    removed, attributes set to their current values, sets added and removed."""
    sets = {es.id: es for es in snapshot.endpoint_sets}
    for r in sorted(records, key=lambda c: (c.version, c.id)):
        es = sets.get(r.set_id)
        if r.disposition == "remove" and not (r.removed_ips or r.removed_urls):
            sets.pop(r.set_id, None)
            continue
        if es is None:
            current = dict(r.current)
            es = EndpointSet(
                id=r.set_id,
                service_area=str(current.get("serviceArea", "Common")),
                service_area_display_name=None,
                category=_category(current.get("category")),
                express_route=bool(current.get("expressRoute", False)),
                required=bool(current.get("required", False)),
            )
        current = dict(r.current)
        removed = set(r.removed_ips)
        prefixes = [p for p in es.prefixes if p not in removed]
        prefixes += [p for p in r.added_ips if p not in prefixes]
        urls = [u for u in es.urls if u not in set(r.removed_urls)]
        urls += [u for u in r.added_urls if u not in urls]
        sets[r.set_id] = dataclasses.replace(
            es,
            prefixes=tuple(prefixes),
            urls=tuple(urls),
            express_route=bool(current.get("expressRoute", es.express_route)),
            category=_category(current.get("category", es.category.value)),
            service_area=str(current.get("serviceArea", es.service_area)),
            required=bool(current.get("required", es.required)),
        )
    newest = max((r.version for r in records), default=snapshot.version)
    return dataclasses.replace(
        snapshot,
        version=newest,
        endpoint_sets=tuple(sets[k] for k in sorted(sets)),
    )


def _category(value: object) -> Category:
    text = str(value or "Default")
    for c in Category:
        if c.value.lower() == text.lower():
            return c
    return Category.DEFAULT
