"""Communities follow what Azure itself lists under them, prefix by prefix, where it lists
anything; elsewhere the service-area rule stays, and every answer says which rule it used."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from routeplan.catalog import load_catalog, select_view
from routeplan.catalog.query import CatalogView, Verdict
from routeplan.catalog.records import service_communities_from_json
from routeplan.errors import InputError
from routeplan.model import Catalog, EndpointSet, Provenance, parse_community, parse_prefix
from routeplan.plan import build_plan
from tests.helpers import run_cli

ENTRA = parse_community("12076:5060")
OTHER = parse_community("12076:5100")


@pytest.fixture(scope="module")
def view(catalog: Catalog) -> CatalogView:
    return select_view(catalog, "Worldwide", "2025-12-01")


def test_5060_carries_only_what_azure_lists_under_it(view: CatalogView) -> None:
    plan = build_plan(view, view.selection(["12076:5060"]))
    er = [str(e.prefix) for e in plan.entries_of(Verdict.EXPRESSROUTE)]
    # Azure lists the four /19s of 20.190.128.0/18 and 40.126.0.0/18 under 5060
    assert er == ["20.190.128.0/18", "40.126.0.0/18"]
    # 20.20.32.0/19 and 20.231.128.0/19 of the same set appear under 5100 only
    for text in ("20.20.32.1", "20.231.128.1"):
        answer = view.lookup_prefix(text, view.selection())
        assert answer.decision.communities == (OTHER,)
        assert answer.decision.winner is not None
        assert (
            "not 12076:5060: Azure's list of 2024-01-10" in answer.decision.winner.community_basis
        )


def test_a_listed_prefix_names_its_list(view: CatalogView) -> None:
    answer = view.lookup_prefix("20.190.130.1", view.selection())
    assert set(answer.decision.communities) == {ENTRA, OTHER}
    assert answer.decision.winner is not None
    assert "12076:5060 per Azure's list of 2024-01-10" in answer.decision.winner.community_basis


def test_without_a_list_the_service_area_rule_stays_and_says_so(view: CatalogView) -> None:
    # SharePoint IPv6: the 2020 capture, the only one naming 5020, lists no IPv6 at all
    sharepoint_v6 = next(
        p
        for es in view.snapshot.endpoint_sets
        if es.service_area == "SharePoint" and es.express_route
        for p in es.ipv6
    )
    answer = view.lookup_prefix(str(sharepoint_v6), view.selection())
    assert parse_community("12076:5020") in answer.decision.communities
    assert answer.decision.winner is not None
    assert "by the service-area rule" in answer.decision.winner.community_basis


def test_a_prefix_newer_than_the_list_keeps_the_rule(catalog: Catalog) -> None:
    """An Exchange prefix the 2024 capture never saw is not dropped from 5010 for it."""
    view = select_view(catalog, "Worldwide", "2025-12-01")
    exchange = next(es for es in view.snapshot.endpoint_sets if es.id == 1)
    new = dataclasses.replace(exchange, prefixes=(*exchange.prefixes, parse_prefix("52.95.0.0/16")))
    sets = tuple(new if es.id == 1 else es for es in view.snapshot.endpoint_sets)
    changed = CatalogView(
        catalog, dataclasses.replace(view.snapshot, endpoint_sets=sets), view.rows
    )
    answer = changed.lookup_prefix("52.95.1.1", changed.selection())
    assert answer.decision.communities == (parse_community("12076:5010"),)
    assert answer.decision.winner is not None
    assert "predates the prefix" in answer.decision.winner.community_basis


def test_catalog_communities_shows_listed_and_inferred() -> None:
    out = run_cli("--no-user-catalog", "catalog", "communities", "-o", "json")
    assert out.status == 0, out.stderr
    records = {r["community"]: r for r in json.loads(out.stdout)["communities"]}
    entra = records["12076:5060"]
    assert entra["azure_list"]["ipv4"]["date"] == "2024-01-10"
    assert entra["azure_list"]["ipv4"]["prefixes"] == ["20.190.128.0/18", "40.126.0.0/18"]
    assert (entra["ipv4_count"], entra["ipv6_count"]) == (2, 0)
    assert entra["inferred"] == []
    sharepoint = records["12076:5020"]
    assert sharepoint["azure_list"]["ipv6"] is None
    assert sharepoint["inferred"]
    assert all(":" in p for p in sharepoint["inferred"])
    assert "service-area rule" in sharepoint["source"]


def test_us_government_authorisation_is_not_stated() -> None:
    out = run_cli("--no-user-catalog", "catalog", "communities", "-i", "USGovDoD", "-o", "json")
    records = {r["community"]: r for r in json.loads(out.stdout)["communities"]}
    for value in ("12076:5110", "12076:5120", "12076:5130", "12076:5160", "12076:5200"):
        assert records[value]["authorization_required"] is None
        assert records[value]["authorization"] == "not stated"
    assert records["12076:5010"]["authorization"] == "required"
    assert records["12076:5040"]["authorization"] == "no"
    text = run_cli("--no-user-catalog", "catalog", "communities", "-i", "USGovDoD")
    assert "not stated" in text.stdout
    plan = run_cli("--no-user-catalog", "plan", "-i", "USGovDoD", "--fail-on", "never")
    assert "not stated" in plan.stdout


def test_the_importer_merges_a_community_across_families() -> None:
    doc = {
        "x": [
            {
                "communityValue": "12076:5010",
                "communityName": "Exchange",
                "communityPrefixes": ["40.92.0.0/15"],
            },
            {
                "communityValue": "12076:5010",
                "communityName": "Exchange IPv6",
                "communityPrefixes": ["2603:1006::/40"],
            },
        ]
    }
    found = service_communities_from_json(
        doc, date=dt.date(2024, 1, 10), provenance=Provenance("t"), source="t.json"
    )
    assert found.families == (4, 6)
    entry = found.get(parse_community("12076:5010"))
    assert entry is not None
    assert entry.name == "Exchange"
    assert [str(p) for p in entry.prefixes] == ["40.92.0.0/15", "2603:1006::/40"]
    with pytest.raises(InputError, match="no service communities"):
        service_communities_from_json(
            {}, date=dt.date(2024, 1, 10), provenance=Provenance("t"), source="t.json"
        )
    with pytest.raises(InputError, match=r"\$\.x\[0\]"):
        service_communities_from_json(
            {"x": [{"communityValue": "12076:5010", "communityPrefixes": ["10.0.0.1/8"]}]},
            date=dt.date(2024, 1, 10),
            provenance=Provenance("t"),
            source="t.json",
        )


def test_the_lists_load_into_the_catalog() -> None:
    catalog = load_catalog(include_user=False)
    assert [t.date.isoformat() for t in catalog.service_communities] == ["2020-06-07", "2024-01-10"]
    assert catalog.service_communities[0].families == (4,)
    _ = EndpointSet  # the type these lists narrow
