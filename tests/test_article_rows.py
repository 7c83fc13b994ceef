"""Regression tests of the article importer against the published article text: rows whose
cells the importer once lost (row 10's AutoDetect sources, the 2020 article's row 22)."""

from __future__ import annotations

import pytest

from routeplan.catalog.articles import parse_scenario_table
from routeplan.model import Direction, Provenance, RowTable, parse_prefix
from tests.helpers import shared_data

ARTICLES = {
    "2020-04-29": "additional-office365-ip-addresses-and-urls.OfficeDocs-Enterprise-2020-07-27.md",
    "2024-01-31": "additional-office365-ip-addresses-and-urls.ms-date-2024-01-31.md",
    "2025-01-08": "additional-office365-ip-addresses-and-urls.ms-date-2025-01-08.md",
}


def _table(label: str) -> RowTable:
    path = shared_data() / "m365-additional-endpoints" / ARTICLES[label]
    return parse_scenario_table(
        path.read_text(encoding="utf-8"),
        source=str(path),
        label=label,
        title="t",
        provenance=Provenance("t"),
    )


@pytest.mark.shared
@pytest.mark.parametrize("label", sorted(ARTICLES))
def test_row_10_keeps_the_autodetect_sources(label: str) -> None:
    row = _table(label).get(10)
    assert row is not None
    assert row.direction is Direction.INBOUND
    addresses = {s.address for s in row.sources if s.address is not None}
    assert addresses == {parse_prefix("52.125.128.0/20"), parse_prefix("52.127.96.0/23")}
    names = {s.name for s in row.sources if s.address is None}
    assert any(n.endswith(".outlookmobile.com") for n in names)


@pytest.mark.shared
def test_2020_row_22_keeps_its_type_and_its_26_addresses() -> None:
    row = _table("2020-04-29").get(22)
    assert row is not None
    assert row.type == "Inbound server traffic"
    assert row.direction is Direction.INBOUND
    assert len(row.cidr.prefixes) == 26
    assert parse_prefix("104.43.130.21/32") in row.cidr.prefixes
    assert parse_prefix("42.159.155.77/32") in row.cidr.prefixes
    assert row.destinations == ("*.cloudapp.net",)
    assert "Microsoft Graph Change Notifications" in row.purpose


@pytest.mark.shared
def test_every_2020_row_has_a_type_that_is_not_an_address_list() -> None:
    for row in _table("2020-04-29").rows:
        assert row.type is None or not any(ch.isdigit() for ch in row.type.split()[0]), row
