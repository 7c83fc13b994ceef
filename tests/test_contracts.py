"""The JSON contracts of diff and plan, compared with reviewed golden files (tests/golden/):
a change to a field, its order or its meaning shows up here and must be reviewed, and a
contract change needs a new schema version (docs/diff.md, docs/plan.md)."""

from __future__ import annotations

import json

import pytest

from tests.helpers import ROOT, assert_golden, run_cli

CASES = {
    "diff/edge1.json": [
        "diff", "-r", "examples/rib/edge1-show-ip-bgp.txt", "-o", "json",
    ],
    "diff/two-routers.json": [
        "diff", "-r", "ok=examples/netbox/edge1-ok.txt",
        "-r", "edge1=examples/rib/edge1-show-ip-bgp.txt", "-o", "json",
    ],
    "plan/plan-with-lint.json": [
        "plan", "--communities", "12076:5010,12076:5030,12076:5100",
        "--advertise", "examples/plan/nat-pools.txt", "-o", "json",
    ],
    "plan/plan-with-routes.json": [
        "plan", "--services", "Exchange", "--routes", "examples/rib/edge1-show-ip-bgp.txt",
        "-o", "json",
    ],
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_contract_matches_its_reviewed_golden_file(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # file names in the contract are as given, like a user's
    result = run_cli("--no-user-catalog", *CASES[name], "--fail-on", "never")
    assert result.status == 0, result.stderr
    schema = json.loads(result.stdout)["schema"]
    assert schema == ("routeplan/diff/2" if name.startswith("diff/") else "routeplan/plan/1")
    assert_golden(name, result.stdout)
