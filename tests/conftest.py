"""Shared fixtures: the bundled catalog, a small hand-worked one, an isolated user directory.
What tests import (paths, the CLI runner, the golden check) is in tests/helpers.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from routeplan.catalog import load_catalog, select_view
from routeplan.catalog.query import CatalogView
from routeplan.model import Catalog
from tests import helpers
from tests.helpers import SMALL_SETS, endpoint_set, view_with_sets

# tests/netbox/ runs inside a real NetBox (its own venv, Django): .ci/run starts it, not pytest
collect_ignore = ["netbox"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fuzz-examples",
        type=int,
        default=80,
        help="inputs the fuzz tests try per reader (tests/test_fuzz.py); raise it to fuzz longer",
    )
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite golden files that differ (tests/golden/), for review with git diff",
    )


def pytest_configure(config: pytest.Config) -> None:
    helpers.UPDATE_GOLDENS = bool(config.getoption("--update-goldens"))


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(include_user=False)


@pytest.fixture(scope="session")
def worldwide(catalog: Catalog) -> CatalogView:
    return select_view(catalog, "Worldwide")


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
