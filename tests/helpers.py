"""What tests share besides fixtures: paths, the fixed clock, a CLI runner, the small hand-worked
catalog, and the one golden-file check. Tests import these from ``tests.helpers``; the
fixtures are in conftest.py."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from routeplan.catalog import select_view
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

SHARED_DATA = ROOT.parent / "shared" / "data"
SHARED_SEED = ROOT.parent / "shared" / "seed"
GOLDEN = ROOT / "tests" / "golden"

UPDATE_GOLDENS = False
"""Set by ``pytest --update-goldens``: golden files that differ are rewritten (for review
with ``git diff`` before committing), and those tests are skipped, not passed."""


def assert_golden(name: str, text: str) -> None:
    """``text`` must equal the reviewed golden file ``tests/golden/NAME``. A missing or
    different file fails, saying how to rewrite it; with ``--update-goldens`` it is written
    and the test skipped, so that a rewrite is never taken for a pass."""
    path = GOLDEN / name
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if old == text:
        return
    if UPDATE_GOLDENS:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        pytest.skip(f"rewrote {path.relative_to(ROOT)}: review 'git diff' before committing")
    if old is None:
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run pytest --update-goldens, review it")
    assert text == old, f"{path.relative_to(ROOT)} differs (pytest --update-goldens rewrites it)"


def shared_data() -> Path:
    """The public data directory; skips the test (saying why) when it is not beside us."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"public data not found at {SHARED_DATA} (needs ../shared beside the checkout)")
    return SHARED_DATA


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


# The child's own peak: VmHWM of its address space (ru_maxrss would also count the forked
# parent's pages from before exec).
_CHILD = (
    "import re, sys\n"
    "from routeplan.cli import main\n"
    "status = main(sys.argv[1:])\n"
    "status_text = open('/proc/self/status').read()\n"
    "peak = re.search(r'VmHWM:\\s+(\\d+)', status_text).group(1)\n"
    "sys.stderr.write(f'\\nPEAK-KIB {peak}\\n')\n"
    "sys.exit(status)\n"
)


def run_child(*args: str, timeout: float = 120) -> tuple[int, str, float]:
    """Run ``routeplan ARGS`` in a child; (status, stderr, the child's peak RSS in MB)."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        check=False,
    )
    err, _, peak = done.stderr.rpartition("PEAK-KIB ")
    return done.returncode, err, int(peak) / 1024


def assert_valid_contract(doc: object, where: str = "") -> None:
    """A JSON document routeplan wrote validates against the shipped schema its ``schema`` key
    names (routeplan/schemas, docs/contracts.md); documents of other contracts pass."""
    import jsonschema  # noqa: PLC0415  (a test extra)

    from routeplan.schemas import CONTRACTS, schema_for  # noqa: PLC0415

    if not isinstance(doc, dict) or doc.get("schema") not in CONTRACTS:
        return
    validator = jsonschema.Draft202012Validator(
        schema_for(doc["schema"]), format_checker=jsonschema.FormatChecker()
    )
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, (
        f"{where}: {doc['schema']}: at {'/'.join(map(str, errors[0].absolute_path))}: "
        f"{errors[0].message}"
    )


@contextlib.contextmanager
def headless_chromium(width: int = 1280, height: int = 1000) -> Iterator[Any]:
    """A headless Chromium driven by Selenium, its console captured; quit (with its
    chromedriver) afterwards, also when the test fails. Skips without Chromium, fails instead
    where tools are required (ROUTEPLAN_REQUIRE_TOOLS=1, as in CI)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if chromium is None or driver is None:
        if os.environ.get("ROUTEPLAN_REQUIRE_TOOLS") == "1":
            pytest.fail("chromium and chromedriver are required here (ROUTEPLAN_REQUIRE_TOOLS=1)")
        pytest.skip("chromium not installed (Debian: apt-get install chromium chromium-driver)")
    from selenium import webdriver  # noqa: PLC0415
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    session = webdriver.Chrome(service=Service(driver), options=options)
    try:
        session.set_window_size(width, height)
        yield session
    finally:
        session.quit()
