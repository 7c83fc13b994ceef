"""Shared fixtures: the bundled catalog, the public data beside the checkout, a CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from routeplan.catalog import load_catalog, select_view
from routeplan.catalog.query import CatalogView
from routeplan.cli import main
from routeplan.model import Catalog

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
SHARED_SEED = ROOT.parent / "shared" / "seed"


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


@pytest.fixture(autouse=True)
def _isolated_user_catalog(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Never read or write the real user's catalog directory in tests."""
    home = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
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
