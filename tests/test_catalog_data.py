"""The bundled catalog says what the published sources say."""

from __future__ import annotations

from routeplan.catalog.query import CatalogView
from routeplan.model import Catalog, CidrKind, Direction, parse_community, parse_prefix


def test_default_row_table_is_the_16_row_table(catalog: Catalog) -> None:
    table = next(t for t in catalog.row_tables if t.label == catalog.default_rows)
    assert [r.number for r in table.rows] == list(range(1, 17))
    assert table.provenance.document


def test_rows_carry_the_columns_as_data(worldwide: CatalogView) -> None:
    rows = {r.number: r for r in worldwide.rows.rows}
    assert [n for n, r in rows.items() if r.er_communities] == [3, 4, 7]
    assert rows[13].er_communities is None  # blank in the published table
    assert rows[1].cidr.kind is CidrKind.NOT_APPLICABLE
    row5 = rows[5].cidr.range_sets
    assert [(r.name, r.qualifier) for r in row5] == [
        ("portal and shared IP ranges", "Internet-only IPs")
    ]
    assert [r.name for r in rows[3].cidr.range_sets] == [
        "portal and shared IP ranges",
        "Exchange Online IP ranges",
    ]
    assert rows[14].cidr.kind is CidrKind.PREFIXES
    assert [str(p) for p in rows[14].cidr.prefixes] == [
        "13.67.59.89/32",
        "40.69.150.142/32",
        "40.85.91.8/32",
        "104.211.54.99/32",
        "104.211.54.134/32",
    ]
    assert rows[15].cidr.kind is CidrKind.CUSTOMER
    assert rows[16].cidr.kind is CidrKind.CUSTOMER
    assert "<tenant>.onmicrosoft.com" in rows[3].destinations
    assert rows[2].destinations == ("*.office365.com", "admin.microsoft.com")
    assert rows[8].requirement == "optional"
    assert rows[1].requirement == "required"


def test_inbound_rows_have_their_sources(worldwide: CatalogView) -> None:
    rows = {r.number: r for r in worldwide.rows.rows}
    inbound = [n for n, r in rows.items() if r.direction is Direction.INBOUND]
    assert inbound == [15, 16]
    assert [s.name for s in rows[15].sources] == ["testconnectivity.microsoft.com"]
    assert [(s.name, str(s.address)) for s in rows[16].sources] == [
        ("o365diagnosticsbasic-eus.cloudapp.net", "104.211.54.99/32"),
        ("o365diagnosticworker-eus.cloudapp.net", "104.211.54.134/32"),
    ]


def test_ports_are_structured(worldwide: CatalogView) -> None:
    rows = {r.number: r for r in worldwide.rows.rows}
    assert [(p.protocol, set(p.ports)) for p in rows[1].ports] == [("tcp", {80, 443})]
    pop3 = next(p for p in rows[15].ports if p.application == "POP3")
    assert set(pop3.ports) == {110, 995}
    assert pop3.custom_allowed
    assert pop3.protocol is None
    (sts,) = rows[16].ports
    assert sts.customer_configurable
    assert sts.typical
    assert set(sts.ports) == {443}


def test_newer_table_versions_are_kept(catalog: Catalog) -> None:
    sizes = {t.label: len(t.rows) for t in catalog.row_tables}
    assert sizes == {
        "seed-16": 16,
        "2018-08-13": 8,
        "2020-04-29": 22,
        "2024-01-31": 25,
        "2025-01-08": 25,
    }
    newest = next(t for t in catalog.row_tables if t.label == "2025-01-08")
    graph = newest.get(23)
    assert graph is not None
    assert parse_prefix("20.190.128.0/18") in graph.cidr.prefixes
    assert len(graph.cidr.prefixes) == 139
    assert all(r.er_communities is None for r in newest.rows)  # no such column any more


def test_every_instance_has_a_newest_capture_and_worldwide_2021(catalog: Catalog) -> None:
    labels = {(s.instance, s.label) for s in catalog.snapshots}
    for instance in ("Worldwide", "USGovDoD", "USGovGCCHigh", "China"):
        assert (instance, "2025-12-01") in labels
    assert ("Worldwide", "2021-10-11") in labels
    for snap in catalog.snapshots:
        assert snap.provenance.document
        assert snap.provenance.via


def test_service_communities(catalog: Catalog) -> None:
    exo = catalog.communities.get(parse_community("12076:5010"))
    assert exo is not None
    assert exo.name == "Exchange Online"
    assert exo.authorization_required
    entra = catalog.communities.get(parse_community("12076:5060"))
    assert entra is not None
    assert not entra.authorization_required
    kinds = {c.kind for c in catalog.communities.entries}
    assert {"service", "national-service", "national-region", "region-microsoft-peering"} <= kinds
    assert len(catalog.communities.entries) == 278


def test_community_mapping(catalog: Catalog, worldwide: CatalogView) -> None:
    by_id = {es.id: es for es in worldwide.snapshot.endpoint_sets}
    assert [str(c) for c in worldwide.communities_of(by_id[1])] == ["12076:5010"]
    assert [str(c) for c in worldwide.communities_of(by_id[31])] == ["12076:5020"]
    assert [str(c) for c in worldwide.communities_of(by_id[56])] == ["12076:5100", "12076:5060"]
    assert worldwide.communities_of(by_id[163]) == ()  # expressRoute false
    china = catalog.mapping.get("China")
    assert china is not None
    assert not china.supported


def test_row_5_internet_only_resolves_to_non_er_common_sets(worldwide: CatalogView) -> None:
    row5 = worldwide.rows.get(5)
    assert row5 is not None
    sets = worldwide.resolve_row(row5)
    assert sets
    assert all(es.service_area == "Common" and not es.express_route for es in sets)
    row3 = worldwide.rows.get(3)
    assert row3 is not None
    areas = {es.service_area for es in worldwide.resolve_row(row3)}
    assert areas == {"Common", "Exchange"}
