"""The library decides what the command line decides: the same inputs give the same answer
through ``routeplan`` (the library API) and through the ``routeplan`` command."""

from __future__ import annotations

import json
from pathlib import Path

import routeplan
from routeplan.errors import ExitStatus
from routeplan.report.review import review_record
from tests.helpers import ROOT, run_cli

BEFORE = ROOT / "examples" / "review" / "before-edge1.txt"
AFTER = ROOT / "examples" / "review" / "after-edge1.txt"


def test_review_across_catalog_versions_is_the_same_in_library_and_cli() -> None:
    catalog = routeplan.load_catalog(include_user=False)
    old = routeplan.catalog_view(catalog, "Worldwide", "2021-10-11")
    new = routeplan.catalog_view(catalog, "Worldwide", "2025-12-01")
    plan_old = routeplan.make_plan(old, communities=["12076:5010", "12076:5030", "12076:5100"])
    routes = routeplan.routes_from_files([BEFORE])
    review = routeplan.review(old, plan_old, view_after=new, routes_before=routes)
    library = json.loads(json.dumps(review_record(review)))
    cli = run_cli(
        "--no-user-catalog",
        "review",
        "--catalog-before",
        "2021-10-11",
        "--catalog-after",
        "2025-12-01",
        "--routes",
        str(BEFORE),
        "--communities",
        "12076:5010,12076:5030,12076:5100",
        "-o",
        "json",
        "--fail-on",
        "never",
    )
    assert cli.status == 0, cli.stderr
    command = json.loads(cli.stdout)
    assert library["verdict"] == command["verdict"]
    assert library["moves"] == command["moves"]
    assert library["moves"]  # the catalog change moves prefixes: the plan was rebuilt
    assert library == command


def test_configuration_leaves_a_private_prefix_out_as_the_cli_does(tmp_path: Path) -> None:
    catalog = routeplan.load_catalog(include_user=False)
    view = routeplan.catalog_view(catalog, "Worldwide")
    plan = routeplan.make_plan(view, communities=["12076:5010"])
    text = routeplan.configuration(plan, "ios", advertise=["10.1.0.0/24", "198.51.99.0/24"])
    assert "! not announced: 10.1.0.0/24 (adv-not-public)" in text
    advertise = tmp_path / "adv.txt"
    advertise.write_text("10.1.0.0/24\n198.51.99.0/24\n")
    cli = run_cli(
        "--no-user-catalog",
        "plan",
        "--communities",
        "12076:5010",
        "--vendor",
        "ios",
        "--advertise",
        str(advertise),
        "--fail-on",
        "never",
    )
    assert cli.status == 0, cli.stderr
    lib_lines = [ln for ln in text.splitlines() if "ADVERTISE" in ln and "permit" in ln]
    cli_lines = [ln for ln in cli.stdout.splitlines() if "ADVERTISE" in ln and "permit" in ln]
    assert lib_lines == cli_lines
    assert not any("10.1.0.0" in ln for ln in lib_lines)
    assert any("198.51.99.0" in ln for ln in lib_lines)


def test_review_with_nothing_to_compare_is_a_usage_error() -> None:
    out = run_cli("--no-user-catalog", "review")
    assert out.status == ExitStatus.USAGE
    assert "nothing to compare" in out.stderr
    assert "--before" in out.stderr
    ok = run_cli(
        "--no-user-catalog",
        "review",
        "--before",
        str(BEFORE),
        "--after",
        str(AFTER),
        "--fail-on",
        "never",
    )
    assert ok.status == 0, ok.stderr
