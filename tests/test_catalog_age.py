"""A catalog older than the threshold says so in every deciding command and format, and
--fail-on-stale turns that into its own exit status. The clock is fixed (ROUTEPLAN_TODAY)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from routeplan.catalog import load_catalog, select_view
from routeplan.catalog.age import DEFAULT_MAX_AGE_DAYS, catalog_age
from routeplan.errors import ExitStatus
from routeplan.plan import build_plan
from tests.helpers import ROOT, Result, run_cli

RIB = str(ROOT / "examples" / "rib" / "edge1-show-ip-bgp.txt")
BEFORE = str(ROOT / "examples" / "review" / "before-edge1.txt")
AFTER = str(ROOT / "examples" / "review" / "after-edge1.txt")
TOPOLOGY = str(ROOT / "examples" / "topology" / "topology.yaml")
STALE_DAY = "2026-12-02"  # the newest bundled snapshot (2025-12-01) is then 366 days old
FRESH_DAY = "2025-12-20"

# every deciding command, with each output format it has
COMMANDS = {
    "lookup": (["lookup", "52.96.10.1"], ["text", "json", "yaml", "csv"]),
    "diff": (["diff", "-r", RIB, "--fail-on", "never"], ["text", "json", "markdown"]),
    "plan": (["plan", "--fail-on", "never"], ["text", "json", "yaml", "markdown"]),
    "review": (
        ["review", "--before", BEFORE, "--after", AFTER, "--fail-on", "never"],
        ["markdown", "json", "html", "csv"],
    ),
    "topology": (
        ["topology", "check", TOPOLOGY, "--fail-on", "never"],
        ["text", "json", "markdown", "html"],
    ),
    "what-if": (
        ["review", "--topology", TOPOLOGY, "--fail", "circuit:er-ams", "--fail-on", "never"],
        ["markdown", "json", "html", "csv"],
    ),
}
CASES = [(name, fmt) for name, (_, formats) in COMMANDS.items() for fmt in formats]


def _run(monkeypatch: pytest.MonkeyPatch, day: str, name: str, fmt: str, *extra: str) -> Result:
    monkeypatch.setenv("ROUTEPLAN_TODAY", day)
    args, _ = COMMANDS[name]
    return run_cli("--no-user-catalog", *args, "--output", fmt, *extra)


@pytest.mark.parametrize(("name", "fmt"), CASES)
def test_a_stale_catalog_is_said_on_stderr_and_in_the_output(
    monkeypatch: pytest.MonkeyPatch, name: str, fmt: str
) -> None:
    result = _run(monkeypatch, STALE_DAY, name, fmt)
    assert result.status == ExitStatus.OK, result.stderr
    assert result.stderr.count("routeplan: warning: the Worldwide catalog data") == 1
    assert "366 days old" in result.stderr
    assert "routeplan catalog update" in result.stderr
    if fmt in ("json", "yaml"):
        assert '"stale": true' in result.stdout or "stale: true" in result.stdout
        assert "366" in result.stdout
    elif fmt == "csv":
        # a CSV has no header block: every line carries the age and the stale flag
        import csv  # noqa: PLC0415
        import io  # noqa: PLC0415

        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert rows
        assert all(r["catalog_age_days"] == "366" for r in rows)
        assert all(r["catalog_stale"] == "true" for r in rows)
    else:
        assert "366 days old" in result.stdout
        assert "STALE" in result.stdout


@pytest.mark.parametrize(("name", "fmt"), CASES)
def test_fresh_data_warns_nowhere(monkeypatch: pytest.MonkeyPatch, name: str, fmt: str) -> None:
    result = _run(monkeypatch, FRESH_DAY, name, fmt)
    assert result.status == ExitStatus.OK, result.stderr
    assert "warning: the Worldwide catalog" not in result.stderr
    assert "STALE" not in result.stdout


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_fail_on_stale_has_its_own_exit_status(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    fmt = COMMANDS[name][1][0]
    assert _run(monkeypatch, STALE_DAY, name, fmt, "--fail-on-stale").status == ExitStatus.STALE
    assert _run(monkeypatch, FRESH_DAY, name, fmt, "--fail-on-stale").status == ExitStatus.OK
    # a threshold of 0 turns both the warning and the failure off
    off = _run(monkeypatch, STALE_DAY, name, fmt, "--fail-on-stale", "--max-catalog-age", "0")
    assert off.status == ExitStatus.OK
    assert "warning: the Worldwide catalog" not in off.stderr
    # a wider threshold is honoured
    wide = _run(monkeypatch, STALE_DAY, name, fmt, "--fail-on-stale", "--max-catalog-age", "400")
    assert wide.status == ExitStatus.OK


def test_findings_come_before_staleness(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROUTEPLAN_TODAY", STALE_DAY)
    result = run_cli("--no-user-catalog", "diff", "-r", RIB, "--fail-on-stale")
    assert result.status == ExitStatus.FINDINGS


def test_the_threshold_comes_from_the_environment_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROUTEPLAN_TODAY", STALE_DAY)
    monkeypatch.setenv("ROUTEPLAN_MAX_CATALOG_AGE", "0")
    result = run_cli("--no-user-catalog", "lookup", "52.96.10.1", "--fail-on-stale")
    assert result.status == ExitStatus.OK
    assert "warning" not in result.stderr


def test_the_library_plan_and_check_carry_the_age(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROUTEPLAN_TODAY", STALE_DAY)
    view = select_view(load_catalog(include_user=False), "Worldwide")
    plan = build_plan(view, view.selection())
    assert plan.catalog_age is not None
    assert plan.catalog_age.days == 366
    assert plan.catalog_age.stale
    assert plan.catalog_age.max_days == DEFAULT_MAX_AGE_DAYS
    assert "routeplan catalog update" in (plan.catalog_age.warning() or "")
    assert not build_plan(view, view.selection(), max_catalog_age=0).catalog_age.stale  # type: ignore[union-attr]


def test_a_bad_clock_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROUTEPLAN_TODAY", "yesterday")
    result = run_cli("--no-user-catalog", "lookup", "52.96.10.1")
    assert result.status == ExitStatus.USAGE
    assert "ROUTEPLAN_TODAY" in result.stderr


def test_the_boundary_is_inclusive() -> None:
    view = select_view(load_catalog(include_user=False), "Worldwide")
    day = view.snapshot.retrieved
    assert not catalog_age(view.snapshot, 35, day + dt.timedelta(days=35)).stale
    assert catalog_age(view.snapshot, 35, day + dt.timedelta(days=36)).stale


def test_json_age_record(monkeypatch: pytest.MonkeyPatch) -> None:
    result = _run(monkeypatch, STALE_DAY, "diff", "json")
    age = json.loads(result.stdout)["catalog"]["age"]
    assert age == {
        "retrieved": "2025-12-01",
        "as_of": STALE_DAY,
        "age_days": 366,
        "max_age_days": 35,
        "stale": True,
        "warning": age["warning"],
    }
    assert age["warning"].startswith("the Worldwide catalog data")
