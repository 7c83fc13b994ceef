"""Comparing two catalog versions: review reports required flips and URLs per set, and
'catalog changes --from/--to' compares any two snapshots, not only a stored feed."""

from __future__ import annotations

import json

from routeplan.catalog import load_catalog, select_view
from routeplan.compare import catalog_deltas
from tests.helpers import run_cli


def test_review_across_versions_reports_required_flips_and_urls() -> None:
    out = run_cli(
        "--no-user-catalog",
        "review",
        "--catalog-before",
        "2021-10-11",
        "-o",
        "json",
        "--fail-on",
        "never",
    )
    assert out.status == 0, out.stderr
    doc = json.loads(out.stdout)
    kinds = {d["kind"] for d in doc["catalog"]}
    assert {"required", "url-added", "url-removed"} <= kinds
    flip = next(d for d in doc["catalog"] if d["kind"] == "required")
    assert flip["detail"].startswith("required ")
    urls = [d for d in doc["catalog"] if d["kind"].startswith("url-")]
    assert all(d["url"] and d["prefix"] is None for d in urls)
    assert any("URL(s) added" in line for line in doc["summary"])


def test_url_and_required_deltas_match_the_snapshots() -> None:
    catalog = load_catalog(include_user=False)
    old = select_view(catalog, "Worldwide", "2021-10-11")
    new = select_view(catalog, "Worldwide", "2025-12-01")
    deltas = catalog_deltas(old, new)
    a = {es.id: es for es in old.snapshot.endpoint_sets}
    b = {es.id: es for es in new.snapshot.endpoint_sets}
    both = set(a) & set(b)
    expected_added = {(i, u) for i in both for u in set(b[i].urls) - set(a[i].urls)}
    expected_removed = {(i, u) for i in both for u in set(a[i].urls) - set(b[i].urls)}
    assert {(d.set_id, d.url) for d in deltas if d.kind == "url-added"} == expected_added
    assert {(d.set_id, d.url) for d in deltas if d.kind == "url-removed"} == expected_removed
    flips = {i for i in both if a[i].required != b[i].required}
    assert {d.set_id for d in deltas if d.kind == "required"} == flips


def test_catalog_changes_compares_two_snapshots() -> None:
    out = run_cli(
        "--no-user-catalog",
        "catalog",
        "changes",
        "--from",
        "2024073100",
        "--to",
        "2025-12-01",
        "-o",
        "json",
    )
    assert out.status == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["schema"] == "routeplan/catalog-changes/1"
    assert doc["from"]["version"] == "2024073100"
    assert doc["to"]["version"] == "2025-12-01"
    assert doc["changes"]
    text = run_cli("--no-user-catalog", "catalog", "changes", "--from", "2021-10-11")
    assert text.stdout.startswith("Worldwide 2021-10-11 -> 2025-12-01:")
    same = run_cli("--no-user-catalog", "catalog", "changes", "--from", "2025-12-01", "-o", "json")
    assert json.loads(same.stdout)["changes"] == []
    bad = run_cli("--no-user-catalog", "catalog", "changes", "--to", "2025-12-01")
    assert bad.status == 2
    assert "--to needs --from" in bad.stderr
    unknown = run_cli("--no-user-catalog", "catalog", "changes", "--from", "1999-01-01")
    assert unknown.status == 2
