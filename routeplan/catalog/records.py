"""The catalog's own file format: model objects to YAML documents and back.

Each catalog file starts with ``schema: routeplan/<kind>/<n>`` and carries its provenance.
Readers validate every value and report file, line and key path; writers are deterministic
(same model, same bytes), so the bundled catalog can be rebuilt and compared.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from routeplan.errors import InputError
from routeplan.model import (
    AnnouncedCommunity,
    Category,
    Cidr,
    CidrKind,
    Community,
    CommunityInfo,
    CommunityMapping,
    CommunityTable,
    Direction,
    EndpointSet,
    InstanceCommunities,
    PortRule,
    PortSet,
    Prefix,
    Provenance,
    QualifierDef,
    RangeSetCatalog,
    RangeSetDef,
    RangeSetRef,
    RangeSetRule,
    Row,
    RowTable,
    ServiceCommunityList,
    SetCommunityException,
    Snapshot,
    TrafficSource,
    parse_community,
    parse_prefix,
)
from routeplan.yamlio import Node

SCHEMA_ENDPOINTS = "routeplan/endpoints/1"
SCHEMA_ROWS = "routeplan/additional-endpoints/1"
SCHEMA_COMMUNITIES = "routeplan/communities/1"
SCHEMA_MAPPING = "routeplan/community-mapping/1"
SCHEMA_RANGE_SETS = "routeplan/range-sets/1"
SCHEMA_INDEX = "routeplan/catalog/1"
SCHEMA_SERVICE_COMMUNITIES = "routeplan/service-communities/1"


def check_schema(node: Node, expected: str) -> None:
    found = node.get("schema")
    if found is None:
        raise node.error(f"missing 'schema: {expected}' (is this a routeplan catalog file?)")
    if found.value != expected:
        raise found.error(
            f"schema {found.value!r} is not {expected!r}",
            hint="this routeplan reads catalog files of that schema; upgrade routeplan or "
            "re-import the data",
        )


# ---------------------------------------------------------------------------------------------
# Provenance


def provenance_to_doc(p: Provenance) -> dict[str, Any]:
    doc: dict[str, Any] = {"document": p.document}
    for key in ("version", "date", "retrieved", "via", "note"):
        value = getattr(p, key)
        if value is not None:
            doc[key] = value
    return doc


def provenance_from_node(node: Node) -> Provenance:
    node.only_keys(("document", "version", "date", "retrieved", "via", "note"))
    version = node.get("version")
    return Provenance(
        document=node["document"].as_str(),
        version=None if version is None else str(version.value),
        date=node.opt_date("date"),
        retrieved=node.opt_date("retrieved"),
        via=node.opt_str("via"),
        note=node.opt_str("note"),
    )


# ---------------------------------------------------------------------------------------------
# Endpoint snapshots


def snapshot_to_doc(s: Snapshot) -> dict[str, Any]:
    return {
        "schema": SCHEMA_ENDPOINTS,
        "instance": s.instance,
        "version": s.version,
        "retrieved": s.retrieved,
        "provenance": provenance_to_doc(s.provenance),
        "endpoint_sets": [endpoint_set_to_doc(es) for es in s.endpoint_sets],
    }


def endpoint_set_to_doc(es: EndpointSet) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": es.id,
        "service_area": es.service_area,
    }
    if es.service_area_display_name is not None:
        doc["service_area_display_name"] = es.service_area_display_name
    doc["category"] = es.category.value
    doc["express_route"] = es.express_route
    doc["required"] = es.required
    if es.urls:
        doc["urls"] = list(es.urls)
    if es.prefixes:
        doc["ips"] = [str(p) for p in es.prefixes]
    if es.tcp_ports_text is not None:
        doc["tcp_ports"] = es.tcp_ports_text
    if es.udp_ports_text is not None:
        doc["udp_ports"] = es.udp_ports_text
    if es.notes is not None:
        doc["notes"] = es.notes
    return doc


CATALOG_SET_KEYS: dict[str, str] = {
    name: name
    for name in (
        "id",
        "service_area",
        "service_area_display_name",
        "category",
        "express_route",
        "required",
        "urls",
        "ips",
        "tcp_ports",
        "udp_ports",
        "notes",
    )
}
"""Endpoint-set field -> its key in a catalog file (the web service's names differ)."""


def endpoint_set_from_node(
    node: Node, keys: dict[str, str] = CATALOG_SET_KEYS, unknown_hint: str | None = None
) -> EndpointSet:
    """Read and validate one endpoint set whose fields are named by ``keys``."""
    for key in node.mapping():
        if key not in keys.values():
            raise node.error(
                f"unknown endpoint-set field {key!r}",
                str(key),
                hint=unknown_hint or "known fields: " + ", ".join(keys.values()),
            )
    category_node = node[keys["category"]]
    try:
        category = Category(category_node.as_str())
    except ValueError:
        raise category_node.error(
            f"unknown category {category_node.value!r}", hint="use Optimize, Allow or Default"
        ) from None
    prefixes = []
    ips = node.get(keys["ips"])
    for item in ips.as_list() if ips is not None else []:
        try:
            prefixes.append(parse_prefix(item.as_str()))
        except InputError as exc:
            raise item.fix(exc) from None
    ports: dict[str, tuple[PortSet, str | None]] = {}
    for field in ("tcp_ports", "udp_ports"):
        pn = node.get(keys[field])
        if pn is None:
            ports[field] = (PortSet(), None)
            continue
        text = str(pn.value) if isinstance(pn.value, int) else pn.as_str()
        try:
            ports[field] = (PortSet.parse(text), text)
        except InputError as exc:
            raise pn.fix(exc) from None
    urls = node.get(keys["urls"])
    id_node = node[keys["id"]]
    set_id = id_node.as_int()
    if set_id < 0:
        raise id_node.error(f"endpoint set id must not be negative, got {set_id}")
    return EndpointSet(
        id=set_id,
        service_area=node[keys["service_area"]].as_str(),
        service_area_display_name=node.opt_str(keys["service_area_display_name"]),
        category=category,
        express_route=node[keys["express_route"]].as_bool(),
        required=node[keys["required"]].as_bool(),
        urls=urls.str_list() if urls is not None else (),
        prefixes=tuple(prefixes),
        tcp_ports=ports["tcp_ports"][0],
        udp_ports=ports["udp_ports"][0],
        tcp_ports_text=ports["tcp_ports"][1],
        udp_ports_text=ports["udp_ports"][1],
        notes=node.opt_str(keys["notes"]),
    )


def endpoint_sets_from_node(
    node: Node, keys: dict[str, str] = CATALOG_SET_KEYS, unknown_hint: str | None = None
) -> tuple[EndpointSet, ...]:
    """Read a list of endpoint sets; a repeated id is an error naming both places."""
    sets = []
    seen: dict[int, int] = {}
    for i, item in enumerate(node.as_list()):
        es = endpoint_set_from_node(item, keys, unknown_hint)
        if es.id in seen:
            raise item.error(
                f"duplicate endpoint set id {es.id} (also at item [{seen[es.id]}])", keys["id"]
            )
        seen[es.id] = i
        sets.append(es)
    return tuple(sets)


def snapshot_from_node(node: Node) -> Snapshot:
    check_schema(node, SCHEMA_ENDPOINTS)
    node.only_keys(("schema", "instance", "version", "retrieved", "provenance", "endpoint_sets"))
    version = node.get("version")
    sets = endpoint_sets_from_node(node["endpoint_sets"])
    return Snapshot(
        instance=node["instance"].as_str(),
        version=None if version is None else str(version.value),
        retrieved=node["retrieved"].as_date(),
        provenance=provenance_from_node(node["provenance"]),
        endpoint_sets=sets,
    )


# ---------------------------------------------------------------------------------------------
# The additional-endpoints table


def row_table_to_doc(t: RowTable) -> dict[str, Any]:
    return {
        "schema": SCHEMA_ROWS,
        "label": t.label,
        "title": t.title,
        "provenance": provenance_to_doc(t.provenance),
        "rows": [row_to_doc(r) for r in t.rows],
    }


def row_to_doc(r: Row) -> dict[str, Any]:
    doc: dict[str, Any] = {"row": r.number}
    if r.requirement is not None:
        doc["requirement"] = r.requirement
    doc["purpose"] = r.purpose
    if r.destinations:
        doc["destinations"] = list(r.destinations)
    if r.destination_text is not None:
        doc["destination_text"] = r.destination_text
    doc["er_communities"] = r.er_communities
    cidr: dict[str, Any] = {"kind": r.cidr.kind.value, "text": r.cidr.text}
    if r.cidr.range_sets:
        cidr["range_sets"] = [
            {"name": rs.name, **({"qualifier": rs.qualifier} if rs.qualifier else {})}
            for rs in r.cidr.range_sets
        ]
    if r.cidr.prefixes:
        cidr["prefixes"] = [str(p) for p in r.cidr.prefixes]
    doc["cidr"] = cidr
    ports: dict[str, Any] = {"text": r.ports_text}
    if r.ports:
        ports["rules"] = [port_rule_to_doc(p) for p in r.ports]
    doc["ports"] = ports
    doc["direction"] = r.direction.value
    if r.sources:
        doc["sources"] = [
            {"name": s.name, **({"address": str(s.address)} if s.address else {})}
            for s in r.sources
        ]
    if r.type is not None:
        doc["type"] = r.type
    if r.notes is not None:
        doc["notes"] = r.notes
    return doc


def port_rule_to_doc(p: PortRule) -> dict[str, Any]:
    doc: dict[str, Any] = {"protocol": p.protocol, "ports": str(p.ports)}
    if p.application:
        doc["application"] = p.application
    for flag in ("custom_allowed", "customer_configurable", "typical"):
        if getattr(p, flag):
            doc[flag] = True
    return doc


def _enum(node: Node, enum_type: type[CidrKind] | type[Direction]) -> Any:
    try:
        return enum_type(node.as_str())
    except ValueError:
        allowed = ", ".join(m.value for m in enum_type)
        raise node.error(f"unknown value {node.value!r}", hint=f"use one of: {allowed}") from None


def row_from_node(node: Node) -> Row:
    node.only_keys(
        (
            "row",
            "requirement",
            "purpose",
            "destinations",
            "destination_text",
            "er_communities",
            "cidr",
            "ports",
            "direction",
            "sources",
            "type",
            "notes",
        )
    )
    cidr_node = node["cidr"]
    cidr_node.only_keys(("kind", "text", "range_sets", "prefixes"))
    range_sets = []
    for item in cidr_node.list_of("range_sets"):
        item.only_keys(("name", "qualifier"))
        range_sets.append(RangeSetRef(item["name"].as_str(), item.opt_str("qualifier")))
    prefixes = []
    for item in cidr_node.list_of("prefixes"):
        try:
            prefixes.append(parse_prefix(item.as_str()))
        except InputError as exc:
            raise item.fix(exc) from None
    ports_node = node["ports"]
    ports_node.only_keys(("text", "rules"))
    rules = []
    for item in ports_node.list_of("rules"):
        item.only_keys(
            (
                "protocol",
                "ports",
                "application",
                "custom_allowed",
                "customer_configurable",
                "typical",
            )
        )
        pn = item["ports"]
        try:
            ports = PortSet.parse(str(pn.value) if isinstance(pn.value, int) else pn.as_str())
        except InputError as exc:
            raise pn.fix(exc) from None
        rules.append(
            PortRule(
                protocol=item.opt_str("protocol"),
                ports=ports,
                application=item.opt_str("application"),
                custom_allowed=bool(item.opt_bool("custom_allowed")),
                customer_configurable=bool(item.opt_bool("customer_configurable")),
                typical=bool(item.opt_bool("typical")),
            )
        )
    sources = []
    for item in node.list_of("sources"):
        item.only_keys(("name", "address"))
        address = None
        an = item.get("address")
        if an is not None:
            try:
                address = parse_prefix(an.as_str(), allow_host=True)
            except InputError as exc:
                raise an.fix(exc) from None
        sources.append(TrafficSource(item["name"].as_str(), address))
    requirement = node.opt_str("requirement")
    if requirement not in (None, "required", "optional"):
        raise node.error(
            f"unknown requirement {requirement!r}", "requirement", hint="use required or optional"
        )
    destinations = node.get("destinations")
    return Row(
        number=node["row"].as_int(),
        purpose=node["purpose"].as_str(),
        requirement=requirement,
        destinations=destinations.str_list() if destinations is not None else (),
        destination_text=node.opt_str("destination_text"),
        er_communities=node.opt_bool("er_communities"),
        cidr=Cidr(
            kind=_enum(cidr_node["kind"], CidrKind),
            range_sets=tuple(range_sets),
            prefixes=tuple(prefixes),
            text=cidr_node["text"].as_str() if cidr_node.get("text") is not None else "",
        ),
        ports=tuple(rules),
        ports_text=ports_node["text"].as_str() if ports_node.get("text") is not None else "",
        direction=_enum(node["direction"], Direction),
        sources=tuple(sources),
        type=node.opt_str("type"),
        notes=node.opt_str("notes"),
    )


def row_table_from_node(node: Node) -> RowTable:
    check_schema(node, SCHEMA_ROWS)
    node.only_keys(("schema", "label", "title", "provenance", "rows"))
    rows = []
    seen: set[int] = set()
    for item in node["rows"].as_list():
        row = row_from_node(item)
        if row.number in seen:
            raise item.error(f"duplicate row number {row.number}", "row")
        seen.add(row.number)
        rows.append(row)
    return RowTable(
        label=str(node["label"].value),
        title=node["title"].as_str(),
        provenance=provenance_from_node(node["provenance"]),
        rows=tuple(rows),
    )


# ---------------------------------------------------------------------------------------------
# Communities


def communities_to_doc(t: CommunityTable) -> dict[str, Any]:
    entries = []
    for c in t.entries:
        doc: dict[str, Any] = {
            "community": str(c.community),
            "name": c.name,
            "kind": c.kind,
            "cloud": c.cloud,
        }
        if c.authorization_required:
            doc["authorization_required"] = True
        if c.geo_group:
            doc["geo_group"] = c.geo_group
        if c.notes:
            doc["notes"] = c.notes
        entries.append(doc)
    return {
        "schema": SCHEMA_COMMUNITIES,
        "provenance": provenance_to_doc(t.provenance),
        "communities": entries,
    }


def _community(node: Node) -> Community:
    if not isinstance(node.value, str):
        raise node.error(
            f"expected a community in quotes ('12076:5010'), got {node.value!r}",
            hint="YAML reads some unquoted ASN:VALUE pairs as numbers; quote them",
        )
    try:
        return parse_community(node.value)
    except InputError as exc:
        raise node.fix(exc) from None


def _authorization(item: Node) -> bool | None:
    """The article marks the service communities that need Microsoft's authorisation; it
    says nothing either way for the national-cloud (US Government) ones."""
    stated = item.opt_bool("authorization_required")
    if stated is not None:
        return stated
    return None if item["kind"].as_str() == "national-service" else False


def communities_from_node(node: Node) -> CommunityTable:
    check_schema(node, SCHEMA_COMMUNITIES)
    node.only_keys(("schema", "provenance", "communities"))
    entries = []
    seen: set[Community] = set()
    for item in node["communities"].as_list():
        item.only_keys(
            ("community", "name", "kind", "cloud", "authorization_required", "geo_group", "notes")
        )
        community = _community(item["community"])
        if community in seen:
            raise item.error(f"duplicate community {community}", "community")
        seen.add(community)
        entries.append(
            CommunityInfo(
                community=community,
                name=item["name"].as_str(),
                kind=item["kind"].as_str(),
                cloud=item["cloud"].as_str(),
                authorization_required=_authorization(item),
                geo_group=item.opt_str("geo_group"),
                notes=item.opt_str("notes"),
            )
        )
    return CommunityTable(provenance_from_node(node["provenance"]), tuple(entries))


def mapping_from_node(node: Node, known: CommunityTable) -> CommunityMapping:
    check_schema(node, SCHEMA_MAPPING)
    node.only_keys(("schema", "provenance", "instances"))

    def known_community(n: Node) -> Community:
        c = _community(n)
        if known.get(c) is None:
            raise n.error(f"community {c} is not in the communities table")
        return c

    instances = []
    for item in node["instances"].as_list():
        item.only_keys(("instance", "supported", "service_areas", "exceptions", "note"))
        areas = []
        sa = item.get("service_areas")
        for area, values in sa.items() if sa is not None else []:
            areas.append((area, tuple(known_community(v) for v in values.as_list())))
        exceptions = []
        ex = item.get("exceptions")
        for exc_node in ex.as_list() if ex is not None else []:
            exc_node.only_keys(("ids", "communities", "reason"))
            exceptions.append(
                SetCommunityException(
                    ids=tuple(i.as_int() for i in exc_node["ids"].as_list()),
                    communities=tuple(
                        known_community(v) for v in exc_node["communities"].as_list()
                    ),
                    reason=exc_node["reason"].as_str(),
                )
            )
        instances.append(
            InstanceCommunities(
                instance=item["instance"].as_str(),
                supported=item["supported"].as_bool(),
                service_areas=tuple(areas),
                exceptions=tuple(exceptions),
                note=item.opt_str("note"),
            )
        )
    return CommunityMapping(provenance_from_node(node["provenance"]), tuple(instances))


def range_sets_from_node(node: Node) -> RangeSetCatalog:
    check_schema(node, SCHEMA_RANGE_SETS)
    node.only_keys(("schema", "provenance", "qualifiers", "range_sets"))
    qualifiers = []
    for item in node["qualifiers"].as_list():
        item.only_keys(("name", "description", "express_route"))
        qualifiers.append(
            QualifierDef(
                name=item["name"].as_str(),
                description=item["description"].as_str(),
                express_route=item.opt_bool("express_route"),
            )
        )
    sets = []
    for item in node["range_sets"].as_list():
        item.only_keys(("name", "aliases", "description", "rules"))
        rules = []
        for rn in item["rules"].as_list():
            rn.only_keys(("instance", "service_areas", "ids", "exclude_ids", "express_route"))
            rules.append(
                RangeSetRule(
                    instance=rn["instance"].as_str(),
                    service_areas=tuple(n.as_str() for n in rn.list_of("service_areas")),
                    ids=tuple(i.as_int() for i in rn.list_of("ids")),
                    exclude_ids=tuple(i.as_int() for i in rn.list_of("exclude_ids")),
                    express_route=rn.opt_bool("express_route"),
                )
            )
        aliases = item.get("aliases")
        sets.append(
            RangeSetDef(
                name=item["name"].as_str(),
                description=item["description"].as_str(),
                rules=tuple(rules),
                aliases=aliases.str_list() if aliases is not None else (),
            )
        )
    return RangeSetCatalog(provenance_from_node(node["provenance"]), tuple(sets), tuple(qualifiers))


# ---------------------------------------------------------------------------------------------
# Azure's service-community lists


def service_communities_from_json(
    doc: Any, *, date: dt.date, provenance: Provenance, source: str
) -> ServiceCommunityList:
    """Every ``{communityValue, communityName, communityPrefixes}`` object anywhere in an ARM
    ``bgpServiceCommunities`` answer or an ``az network route-filter rule
    list-service-communities`` output; entries of one value (``Exchange`` and ``Exchange
    IPv6``) are merged."""
    found: dict[Community, tuple[str, dict[Prefix, None]]] = {}

    def walk(value: Any, where: str) -> None:
        if isinstance(value, dict):
            if "communityValue" in value and "communityPrefixes" in value:
                _take(value, where)
            for key, item in value.items():
                walk(item, f"{where}.{key}")
        elif isinstance(value, list):
            for n, item in enumerate(value):
                walk(item, f"{where}[{n}]")

    def _take(item: dict[str, Any], where: str) -> None:
        try:
            community = parse_community(str(item["communityValue"]))
            prefixes = [parse_prefix(str(p)) for p in item["communityPrefixes"]]
        except InputError as exc:
            raise InputError(f"{where}: {exc.reason}", source=source) from None
        name = str(item.get("communityName") or community)
        known = found.setdefault(community, (name.removesuffix(" IPv6"), {}))
        known[1].update(dict.fromkeys(prefixes))

    walk(doc, "$")
    if not found:
        raise InputError(
            "no service communities (communityValue, communityPrefixes) found", source=source
        )
    entries = tuple(
        AnnouncedCommunity(c, name, tuple(sorted(prefixes)))
        for c, (name, prefixes) in sorted(found.items())
    )
    families = tuple(sorted({p.version for e in entries for p in e.prefixes}))
    return ServiceCommunityList(date, provenance, families, entries)


def service_communities_to_doc(t: ServiceCommunityList) -> dict[str, Any]:
    return {
        "schema": SCHEMA_SERVICE_COMMUNITIES,
        "date": t.date.isoformat(),
        "provenance": provenance_to_doc(t.provenance),
        "families": list(t.families),
        "communities": [
            {
                "community": str(e.community),
                "name": e.name,
                "prefixes": [str(p) for p in e.prefixes],
            }
            for e in t.communities
        ],
    }


def service_communities_from_node(node: Node) -> ServiceCommunityList:
    check_schema(node, SCHEMA_SERVICE_COMMUNITIES)
    node.only_keys(("schema", "date", "provenance", "families", "communities"))
    entries = []
    for item in node["communities"].as_list():
        item.only_keys(("community", "name", "prefixes"))
        prefixes = []
        for p in item["prefixes"].as_list():
            try:
                prefixes.append(parse_prefix(p.as_str()))
            except InputError as exc:
                raise p.fix(exc) from None
        entries.append(
            AnnouncedCommunity(
                _community(item["community"]), item["name"].as_str(), tuple(prefixes)
            )
        )
    families = []
    for f in node["families"].as_list():
        if f.value not in (4, 6):
            raise f.error(f"an address family is 4 or 6, not {f.value!r}")
        families.append(int(f.value))
    return ServiceCommunityList(
        node["date"].as_date(),
        provenance_from_node(node["provenance"]),
        tuple(families),
        tuple(entries),
    )
