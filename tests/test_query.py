"""Questions asked of the catalog: lookups, selections and the split."""

from __future__ import annotations

import pytest

from routeplan.catalog import select_view
from routeplan.catalog.query import CatalogView, Verdict
from routeplan.errors import NotFoundError, UsageError
from routeplan.model import Catalog, parse_community, parse_prefix


def test_exchange_address_is_expressroute(worldwide: CatalogView) -> None:
    answer = worldwide.lookup_prefix("52.96.10.1", worldwide.selection())
    assert answer.decision.verdict is Verdict.EXPRESSROUTE
    assert [str(c) for c in answer.decision.communities] == ["12076:5010"]
    assert answer.longest is not None
    assert str(answer.longest.prefix) == "52.96.0.0/14"
    assert {o.set_id for o in answer.longest.origins} == {1, 2}


def test_row_14_address_is_internet_only(worldwide: CatalogView) -> None:
    answer = worldwide.lookup_prefix("40.69.150.142", worldwide.selection())
    assert answer.decision.verdict is Verdict.INTERNET_ONLY
    assert answer.decision.winner is not None
    assert answer.decision.winner.row == 14


def test_intune_address_is_internet_only(worldwide: CatalogView) -> None:
    answer = worldwide.lookup_prefix("4.145.74.230", worldwide.selection())
    assert answer.decision.verdict is Verdict.INTERNET_ONLY
    assert answer.decision.winner is not None
    assert answer.decision.winner.set_id == 163
    assert answer.decision.winner.service_area == "MEM"


def test_every_covering_entry_is_listed_most_specific_first(catalog: Catalog) -> None:
    # In the 2021 snapshot the Exchange /24s sit inside the /22s and /14s of the same sets.
    view = select_view(catalog, "Worldwide", "2025-12-01")
    answer = view.lookup_prefix("2620:1ec:a92::152", view.selection())
    lengths = [e.prefix.length for e in answer.covering]
    assert lengths == sorted(lengths, reverse=True)
    assert lengths[0] == 128


def test_prefix_query_lists_what_it_contains(worldwide: CatalogView) -> None:
    # 52.96.0.0/12 is four ExpressRoute /14s (Exchange, SharePoint, Common): it answers as
    # they do (tests/test_prefix_answers.py), and still lists them
    answer = worldwide.lookup_prefix("52.96.0.0/12", worldwide.selection())
    assert answer.decision.verdict is Verdict.EXPRESSROUTE
    assert parse_prefix("52.96.0.0/14") in {e.prefix for e in answer.covered}


def test_fqdn_exact_beats_wildcard(worldwide: CatalogView) -> None:
    answer = worldwide.lookup_fqdn("outlook.office365.com", worldwide.selection())
    assert answer.decision.verdict is Verdict.EXPRESSROUTE
    assert [str(c) for c in answer.decision.communities] == ["12076:5010"]
    winners = {(m.pattern, m.set_id) for m in answer.matches if m.winner}
    assert winners == {("outlook.office365.com", 1), ("outlook.office365.com", 2)}
    losers = {m.pattern for m in answer.matches if not m.winner}
    assert "*.office365.com" in losers


def test_most_specific_wildcard_wins(worldwide: CatalogView) -> None:
    answer = worldwide.lookup_fqdn("contoso.mail.protection.outlook.com", worldwide.selection())
    winner = [m for m in answer.matches if m.winner]
    assert [m.pattern for m in winner] == ["*.mail.protection.outlook.com"]
    assert len(answer.matches) >= 3  # *.protection.outlook.com and *.outlook.com match too


def test_unknown_name_is_not_in_catalog(worldwide: CatalogView) -> None:
    answer = worldwide.lookup_fqdn("example.org", worldwide.selection())
    assert answer.decision.verdict is Verdict.NOT_IN_CATALOG
    assert answer.matches == ()


def test_selection_by_service_and_community(worldwide: CatalogView) -> None:
    by_service = worldwide.selection(services=["Exchange", "skype"])
    assert {str(c) for c in by_service.communities} == {"12076:5010", "12076:5030"}
    by_name = worldwide.selection(services=["Microsoft Entra ID"])
    assert {str(c) for c in by_name.communities} == {"12076:5060"}
    everything = worldwide.selection()
    assert {str(c) for c in everything.communities} == {
        "12076:5010",
        "12076:5020",
        "12076:5030",
        "12076:5060",
        "12076:5100",
    }


def test_bad_selections_list_what_exists(worldwide: CatalogView) -> None:
    with pytest.raises(NotFoundError) as info:
        worldwide.selection(services=["Yammer"])
    assert "Exchange" in str(info.value)
    with pytest.raises(NotFoundError, match="12076:5010"):
        worldwide.selection(["12076:9999"])
    with pytest.raises(UsageError):
        worldwide.selection(["12076:5010"], ["Exchange"])


def test_not_selected_community_goes_to_internet(worldwide: CatalogView) -> None:
    only_exchange = worldwide.selection(["12076:5010"])
    answer = worldwide.lookup_prefix("20.190.130.1", only_exchange)  # Entra ID, set 56
    assert answer.decision.verdict is Verdict.NOT_SELECTED
    assert answer.decision.verdict.path is not None
    assert answer.decision.verdict.path.value == "internet"


@pytest.mark.parametrize("instance", ["Worldwide", "USGovDoD", "USGovGCCHigh", "China"])
def test_split_partitions_the_catalog(catalog: Catalog, instance: str) -> None:
    view = select_view(catalog, instance)
    split = view.split(view.selection())
    groups = [split.expressroute, split.not_selected, split.internet_only]
    prefixes = [e.prefix for g in groups for e in g]
    assert sorted(prefixes) == sorted(view.entries)  # every prefix once
    for entry in split.expressroute:
        assert any(o.express_route for o in entry.origins)
    for entry in split.internet_only:
        assert any(not o.express_route for o in entry.origins)
    if instance == "China":
        assert split.expressroute == ()
        assert split.notes


def test_split_counts_match_an_independent_computation(worldwide: CatalogView) -> None:
    """The ExpressRoute side equals the ER sets' prefixes minus those also Internet-only."""
    er_sets = [es for es in worldwide.snapshot.endpoint_sets if es.express_route]
    expected = {p for es in er_sets for p in es.prefixes}
    split = worldwide.split(worldwide.selection())
    assert {e.prefix for e in split.expressroute} == expected
    row14 = {str(p) for p in worldwide.rows.get(14).cidr.prefixes}  # type: ignore[union-attr]
    assert row14 <= {str(e.prefix) for e in split.internet_only}


def test_unknown_instance_and_version(catalog: Catalog) -> None:
    with pytest.raises(NotFoundError, match="Worldwide"):
        select_view(catalog, "Mars")
    with pytest.raises(NotFoundError, match="2025-12-01"):
        select_view(catalog, "Worldwide", "1999010100")
    assert select_view(catalog, "usgovdod").instance == "USGovDoD"


def test_community_parse_is_shared(worldwide: CatalogView) -> None:
    sel = worldwide.selection([" 12076:5020 "])
    assert parse_community("12076:5020") in sel
