"""Which source wins: the web service decides what it covers, the 16-row table the rest.

The 32 host names below are every name of the 16-row table that the Worldwide 2025-12-01
web-service snapshot also covers with another ExpressRoute answer. Each is listed with the
answer the web service gives and the row it overrules (docs/catalog.md, "Which source wins").
"""

from __future__ import annotations

import json

import pytest

from routeplan import fqdn
from routeplan.catalog.query import CatalogView, Source, Verdict, select_view
from routeplan.model import Catalog
from tests.helpers import run_cli

IO, ER = Verdict.INTERNET_ONLY, Verdict.EXPRESSROUTE

# name: (verdict, deciding endpoint set, overruled row)
CONFLICTS = {
    "*.portal.cloudappsecurity.com": (IO, 66, 3),
    "*.us.portal.cloudappsecurity.com": (IO, 66, 3),
    "*.eu.portal.cloudappsecurity.com": (IO, 66, 3),
    "*.eu2.portal.cloudappsecurity.com": (IO, 66, 3),
    "*.us2.portal.cloudappsecurity.com": (IO, 66, 3),
    "*.us3.portal.cloudappsecurity.com": (IO, 66, 3),
    "<tenant>.onmicrosoft.com": (IO, 78, 3),
    "account.office.net": (IO, 47, 3),
    "agent.office.net": (IO, 47, 3),
    "suite.office.net": (IO, 47, 3),
    "apc.delve.office.com": (IO, 147, 3),
    "aus.delve.office.com": (IO, 147, 3),
    "can.delve.office.com": (IO, 147, 3),
    "delve.office.com": (IO, 147, 3),
    "eur.delve.office.com": (IO, 147, 3),
    "gbr.delve.office.com": (IO, 147, 3),
    "ind.delve.office.com": (IO, 147, 3),
    "jpn.delve.office.com": (IO, 147, 3),
    "kor.delve.office.com": (IO, 147, 3),
    "lam.delve.office.com": (IO, 147, 3),
    "nam.delve.office.com": (IO, 147, 3),
    "home.office.com": (IO, 147, 3),
    "portal.office.com": (IO, 147, 3),
    "webshell.suite.office.com": (IO, 147, 3),
    "*.aria.microsoft.com": (IO, 69, 4),
    "browser.pipe.aria.microsoft.com": (IO, 69, 4),
    "mobile.pipe.aria.microsoft.com": (IO, 69, 4),
    "nexus.officeapps.live.com": (ER, 46, 5),
    "nexusrules.officeapps.live.com": (ER, 46, 5),
    "*.manage.office.com": (IO, 147, 7),
    "manage.office.com": (IO, 147, 7),
    "graph.windows.net": (ER, 56, 12),
}


@pytest.fixture(scope="module")
def view(catalog: Catalog) -> CatalogView:
    return select_view(catalog, "Worldwide", "2025-12-01", "seed-16")


def test_the_conflict_list_is_every_conflict_of_the_bundled_catalog(view: CatalogView) -> None:
    """Recompute the conflicts from the data, so a catalog change cannot leave this test
    checking a stale list: a row name the web service covers, with the other ER answer."""
    found = set()
    for row in view.rows.rows:
        for name in row.destinations:
            hits = [
                (fqdn.specificity(p), es)
                for es in view.snapshot.endpoint_sets
                for p in es.urls
                if fqdn.matches(p, name)
            ]
            if not hits:
                continue
            best = max(h[0] for h in hits)
            if any(es.express_route for s, es in hits if s == best) != bool(row.er_communities):
                found.add(name)
    assert found == set(CONFLICTS)


@pytest.mark.parametrize("name", sorted(CONFLICTS))
def test_the_web_service_decides_a_name_it_covers(view: CatalogView, name: str) -> None:
    verdict, set_id, row = CONFLICTS[name]
    answer = view.lookup_fqdn(name, view.selection())
    assert answer.decision.verdict is verdict
    assert answer.decision.winner is not None
    assert answer.decision.winner.set_id == set_id
    assert [o.row for o in answer.decision.overruled] == [row]
    d = answer.disagreement
    assert d is not None
    assert d.winner is Source.WEB_SERVICE
    won, lost = d.sides
    assert won.endpoint_sets == (set_id,)
    assert won.label == "Worldwide 2025-12-01"
    assert won.date == "2025-12-01"
    assert lost.rows == (row,)
    assert lost.express_route is (verdict is IO)
    assert f"row {row}" in answer.decision.reason
    assert "overruled" in answer.decision.reason


@pytest.mark.parametrize("name", ["portal.office.com", "nexus.officeapps.live.com"])
def test_prefer_rows_follows_the_table(catalog: Catalog, name: str) -> None:
    view = select_view(catalog, "Worldwide", "2025-12-01", "seed-16", prefer="rows")
    verdict, _, row = CONFLICTS[name]
    answer = view.lookup_fqdn(name, view.selection())
    assert answer.decision.verdict is (ER if verdict is IO else IO)
    assert answer.decision.winner is not None
    assert answer.decision.winner.row == row


def test_a_less_specific_row_wildcard_is_no_disagreement(view: CatalogView) -> None:
    # set 2 names smtp.office365.com exactly; row 2's *.office365.com (No) would lose anyway
    answer = view.lookup_fqdn("smtp.office365.com", view.selection())
    assert answer.decision.verdict is ER
    assert answer.disagreement is None
    assert answer.decision.overruled == ()


def test_a_name_only_the_table_names_is_decided_by_the_table(view: CatalogView) -> None:
    # row 14's /32s and its names are not in the web service: the row decides
    answer = view.lookup_prefix("40.69.150.142", view.selection())
    assert answer.decision.verdict is IO
    assert answer.decision.winner is not None
    assert answer.decision.winner.row == 14
    assert answer.disagreement is None


def test_cli_text_and_json_name_both_sources() -> None:
    text = run_cli("--no-user-catalog", "lookup", "portal.office.com")
    assert text.status == 0, text.stderr
    assert "portal.office.com: Internet-only" in text.stdout
    assert "won: Worldwide 2025-12-01" in text.stdout
    assert "overruled: additional-endpoints table seed-16" in text.stdout
    out = run_cli("--no-user-catalog", "lookup", "portal.office.com", "-o", "json")
    answer = json.loads(out.stdout)["answers"][0]
    assert answer["verdict"] == "internet-only"
    d = answer["disagreement"]
    assert d["winner"] == "web-service"
    assert [s["source"] for s in d["sources"]] == ["web-service", "rows"]
    assert d["sources"][1]["rows"] == [3]
    rows = run_cli("--no-user-catalog", "lookup", "portal.office.com", "--prefer", "rows")
    assert "portal.office.com: ExpressRoute" in rows.stdout


def test_a_table_without_an_expressroute_column_states_nothing(catalog: Catalog) -> None:
    """The 2024 and 2025 articles have no ExpressRoute column: their literal prefixes are
    'not stated', never Internet-only, and the plan leaves them out."""
    view = select_view(catalog, "Worldwide", "2025-12-01", "2025-01-08")
    answer = view.lookup_prefix("40.118.209.192", view.selection())
    assert answer.decision.verdict is Verdict.NOT_STATED
    assert answer.decision.verdict.path is None
    split = view.split(view.selection())
    listed = {e.prefix for e in split.internet_only + split.expressroute + split.not_selected}
    assert all(str(p) != "40.118.209.192/32" for p in listed)
    # where the web service names the same prefix, it decides as before
    teams = view.lookup_prefix("52.112.0.1", view.selection())
    assert teams.decision.verdict is ER


def test_catalog_rows_marks_names_the_web_service_took_in() -> None:
    out = run_cli("--no-user-catalog", "catalog", "rows", "--output", "json")
    assert out.status == 0, out.stderr
    rows = {r["row"]: r for r in json.loads(out.stdout)["rows"]}
    differ = {t["name"] for r in rows.values() for t in r["taken_in"] if not t["agrees"]}
    assert differ == set(CONFLICTS)
    portal = next(t for t in rows[3]["taken_in"] if t["name"] == "portal.office.com")
    assert portal == {
        "name": "portal.office.com",
        "endpoint_sets": [147],
        "patterns": ["*.office.com"],
        "express_route": False,
        "agrees": False,
    }
    assert rows[1]["taken_in"] == []
    assert "answer otherwise" in rows[3]["web_service"]


def test_a_row_that_resolves_to_nothing_says_why() -> None:
    out = run_cli("--no-user-catalog", "catalog", "rows", "--row", "5", "--output", "json")
    row5 = json.loads(out.stdout)["rows"][0]
    assert row5["effective_prefixes"] == 0
    assert "resolves to no prefixes" in row5["resolution_note"]
    assert "URLs only" in row5["resolution_note"]
    text = run_cli("--no-user-catalog", "catalog", "rows", "--row", "5")
    assert "note: row 5: resolves to no prefixes" in text.stdout
    # a row with prefixes has no such note
    row14 = run_cli("--no-user-catalog", "catalog", "rows", "--row", "14", "--output", "json")
    assert json.loads(row14.stdout)["rows"][0]["resolution_note"] is None


def test_a_not_stated_prefix_is_neither_planned_nor_checked(catalog: Catalog) -> None:
    """With the 2025 table, row 9's /32s state no ExpressRoute answer: a route to them over
    ExpressRoute is no finding (it was once checked as 'should be Internet')."""
    from routeplan.diff import run_check  # noqa: PLC0415
    from routeplan.plan import build_plan  # noqa: PLC0415
    from routeplan.policy import Policy  # noqa: PLC0415
    from routeplan.rib import read_route_text  # noqa: PLC0415

    view = select_view(catalog, "Worldwide", "2025-12-01", "2025-01-08")
    plan = build_plan(view, view.selection())
    assert all(str(e.prefix) != "40.118.209.192/32" for e in plan.entries)
    assert any("not planned and not checked" in n for n in plan.notes)
    rib = read_route_text("40.118.209.192/32 expressroute\n0.0.0.0/0 internet\n", name="paste")
    result = run_check(plan, [rib], Policy.default())
    assert all(str(f.prefix) != "40.118.209.192/32" for f in result.findings)
