"""Shared fixtures: the bundled catalog, the public data beside the checkout, a CLI runner."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from routeplan.catalog import load_catalog, select_view
from routeplan.catalog.query import CatalogView
from routeplan.cli import main
from routeplan.model import Catalog, Category, EndpointSet, parse_prefix

ROOT = Path(__file__).resolve().parents[1]

# A fixed clock: answers carry the catalog's age (routeplan/catalog/age.py), and reports must be
# the same bytes on every day the suite runs. 19 days after the newest bundled snapshot, so the
# default threshold (35 days) is not crossed; tests of staleness set their own day.
FIXED_TODAY = "2025-12-20"
os.environ["ROUTEPLAN_TODAY"] = FIXED_TODAY
os.environ.pop("ROUTEPLAN_MAX_CATALOG_AGE", None)

# tests/netbox/ runs inside a real NetBox (its own venv, Django): .ci/run starts it, not pytest
collect_ignore = ["netbox"]
SHARED_DATA = ROOT.parent / "shared" / "data"
SHARED_SEED = ROOT.parent / "shared" / "seed"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fuzz-examples",
        type=int,
        default=80,
        help="inputs the fuzz tests try per reader (tests/test_fuzz.py); raise it to fuzz longer",
    )


def shared_data() -> Path:
    """The public data directory; skips the test (saying why) when it is not beside us."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"public data not found at {SHARED_DATA} (needs ../shared beside the checkout)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(include_user=False)


@pytest.fixture(scope="session")
def worldwide(catalog: Catalog) -> CatalogView:
    return select_view(catalog, "Worldwide")


def view_with_sets(catalog: Catalog, sets: list[EndpointSet]) -> CatalogView:
    """The bundled Worldwide view (its rows and community rules) with these endpoint sets."""
    base = select_view(catalog, "Worldwide", "2025-12-01")
    return CatalogView(catalog, replace(base.snapshot, endpoint_sets=tuple(sets)), base.rows)


def endpoint_set(
    set_id: int, area: str, category: str, express_route: bool, *prefixes: str
) -> EndpointSet:
    return EndpointSet(
        id=set_id,
        service_area=area,
        service_area_display_name=None,
        category=Category(category),
        express_route=express_route,
        required=True,
        prefixes=tuple(parse_prefix(p) for p in prefixes),
    )


SMALL_SETS = [
    # an Exchange ExpressRoute /16 with an Internet-only /24 hole inside it
    ("Exchange", "Optimize", True, "40.96.0.0/16", "2603:1006::/40"),
    ("Exchange", "Default", False, "40.96.7.0/24"),
    # Skype ExpressRoute inside a wider Internet-only Common prefix
    ("Skype", "Optimize", True, "52.112.0.0/14", "2603:1063::/38"),
    ("Common", "Default", False, "52.112.0.0/12"),
    # SharePoint: eligible, not selected by the route filter below
    ("SharePoint", "Optimize", True, "13.107.136.0/22"),
    # one prefix in two sets: Allow (Internet-only) outranks Default (ExpressRoute)
    ("Common", "Default", True, "13.107.6.152/31"),
    ("Common", "Allow", False, "13.107.6.152/31"),
]
SMALL_SELECTION = ["12076:5010", "12076:5030", "12076:5100"]


@pytest.fixture(scope="session")
def small(catalog: Catalog) -> CatalogView:
    """A small catalog whose plan is worked out by hand in tests/test_plan.py."""
    return view_with_sets(catalog, [endpoint_set(i, *spec) for i, spec in enumerate(SMALL_SETS, 1)])


@pytest.fixture(autouse=True)
def _isolated_user_catalog(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Never read or write the real user's catalog directory or cache in tests."""
    home = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("ROUTEPLAN_WEBSERVICE_URL", raising=False)
    monkeypatch.delenv("ROUTEPLAN_CATALOG_DIR", raising=False)
    return


@dataclass
class Result:
    status: int
    stdout: str
    stderr: str


def run_cli(*args: str) -> Result:
    """Run the routeplan command in-process and capture what it prints and returns."""
    runner = CliRunner()
    holder: dict[str, int] = {}

    def invoke() -> None:
        holder["status"] = main(list(args))

    with runner.isolation() as (out, err, _):
        invoke()
        stdout = out.getvalue().decode()
        stderr = err.getvalue().decode() if err is not None else ""
    return Result(holder["status"], stdout, stderr)
