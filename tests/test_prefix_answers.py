"""A prefix asked for is answered by what its addresses are: a summary made exactly of
catalog prefixes answers as they do, one that mixes paths answers 'mixed' with the parts."""

from __future__ import annotations

import json

import pytest

from routeplan.catalog.query import CatalogView, Verdict, select_view
from routeplan.model import Catalog, parse_prefix
from tests.helpers import SMALL_SETS, endpoint_set, run_cli, view_with_sets


@pytest.fixture(scope="module")
def view(catalog: Catalog) -> CatalogView:
    return select_view(catalog, "Worldwide", "2025-12-01")


def test_a_union_of_expressroute_prefixes_answers_expressroute(view: CatalogView) -> None:
    answer = view.lookup_prefix("52.96.0.0/13", view.selection())
    assert answer.decision.verdict is Verdict.EXPRESSROUTE
    assert [str(c) for c in answer.decision.communities] == ["12076:5010"]
    assert len(answer.parts) == 1
    assert [str(p) for p in answer.parts[0].catalog_prefixes] == ["52.96.0.0/14", "52.100.0.0/14"]
    assert "52.96.0.0/14" in answer.decision.reason


def test_a_prefix_over_both_paths_is_mixed(view: CatalogView) -> None:
    answer = view.lookup_prefix("40.0.0.0/8", view.selection())
    assert answer.decision.verdict is Verdict.MIXED
    assert answer.decision.verdict.path is None
    kinds = {p.verdict for p in answer.parts}
    assert {Verdict.EXPRESSROUTE, Verdict.INTERNET_ONLY, Verdict.NOT_IN_CATALOG} == kinds
    # the parts are exact: disjoint, and together the whole /8
    total = sum(p.addresses for p in answer.parts)
    assert total == 2**24
    er = next(p for p in answer.parts if p.verdict is Verdict.EXPRESSROUTE)
    assert parse_prefix("40.96.0.0/13") in er.cidrs
    io = next(p for p in answer.parts if p.verdict is Verdict.INTERNET_ONLY)
    assert parse_prefix("40.69.150.142/32") in io.cidrs  # row 14


def test_parts_follow_longest_match_inside_a_catalog_prefix(catalog: Catalog) -> None:
    """An Internet-only /24 inside an ExpressRoute /16: asking for the /16 is mixed, and the
    hole is its own part (what a router does with the two routes)."""
    sets = [endpoint_set(i + 1, *spec) for i, spec in enumerate(SMALL_SETS)]
    view = view_with_sets(catalog, sets)
    answer = view.lookup_prefix("40.96.0.0/16", view.selection())
    assert answer.decision.verdict is Verdict.MIXED
    parts = {p.verdict: p for p in answer.parts}
    assert parts[Verdict.INTERNET_ONLY].cidrs == (parse_prefix("40.96.7.0/24"),)
    assert parts[Verdict.EXPRESSROUTE].addresses == 2**16 - 256
    # a more specific prefix inside the ExpressRoute part answers ExpressRoute as before
    inner = view.lookup_prefix("40.96.8.0/24", view.selection())
    assert inner.decision.verdict is Verdict.EXPRESSROUTE
    assert inner.longest is not None
    assert str(inner.longest.prefix) == "40.96.0.0/16"


def test_an_address_is_answered_by_its_longest_match(view: CatalogView) -> None:
    answer = view.lookup_prefix("52.96.10.1", view.selection())
    assert answer.decision.verdict is Verdict.EXPRESSROUTE
    assert answer.parts == ()


def test_cli_json_lists_the_parts() -> None:
    out = run_cli("--no-user-catalog", "lookup", "52.96.0.0/13", "40.0.0.0/8", "-o", "json")
    assert out.status == 0, out.stderr
    first, second = json.loads(out.stdout)["answers"]
    assert first["verdict"] == "expressroute"
    assert first["path"] == "expressroute"
    assert second["verdict"] == "mixed"
    assert second["path"] is None
    assert {p["verdict"] for p in second["parts"]} == {
        "expressroute",
        "internet-only",
        "not-in-catalog",
    }
    text = run_cli("--no-user-catalog", "lookup", "40.0.0.0/8")
    assert "40.0.0.0/8: mixed" in text.stdout
    assert "part internet-only:" in text.stdout
