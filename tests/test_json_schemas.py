"""The JSON Schemas shipped in routeplan/schemas: valid schemas, one for every contract the
commands write, every output of every command validates (here across option combinations;
tests/test_documented_examples.py validates every documented example's output too), and they
reject what breaks a contract (so they are not vacuous)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from routeplan.report import diff, fleet, plan, review, topology
from routeplan.schemas import CONTRACTS, schema_for
from tests.helpers import ROOT, assert_valid_contract, run_cli

EDGE1 = "examples/rib/edge1-show-ip-bgp.txt"
OK = "examples/netbox/edge1-ok.txt"
TOPO = "examples/topology/topology.yaml"

RUNS: dict[str, list[str]] = {
    "diff": ["diff", "-r", EDGE1],
    "diff-fleet": ["diff", "-r", f"ok={OK}", "-r", f"edge1={EDGE1}", "--fail-on", "info"],
    "diff-ipv6": ["diff", "-r", "examples/review/after-edge1.txt"],
    "diff-services": ["diff", "-r", EDGE1, "--services", "Exchange,SharePoint"],
    "plan": ["plan"],
    "plan-lint": [
        "plan", "--communities", "12076:5010,12076:5030,12076:5100",
        "--advertise", "examples/plan/nat-pools.txt",
        "--internet-advertise", "examples/plan/internet-announcements.txt",
        "--inbound", "examples/plan/inbound-endpoints.txt", "--routes", EDGE1,
    ],
    "plan-budget": ["plan", "--max-prefixes", "40"],
    "plan-china": ["plan", "--instance", "China"],
    "review": [
        "review", "--before", "examples/review/before-edge1.txt",
        "--after", "examples/review/after-edge1.txt", "--timestamp",
    ],
    "review-catalogs": ["review", "--catalog-before", "2021-10-11", "--routes", EDGE1],
    "review-filter": ["review", "--communities", "12076:5010", "--communities-after", "12076:5020"],
    "review-fleet": [
        "review", "--routes", f"edge1={EDGE1}", "--routes", f"ok={OK}",
        "--communities-after", "12076:5010",
    ],
    "review-one-side": [
        "review", "--before", "a=examples/review/before-edge1.txt",
        "--after", "a=examples/review/after-edge1.txt", "--after", f"b={OK}",
    ],
    "topology": ["topology", "check", TOPO],
    "whatif-circuit": ["review", "--topology", TOPO, "--fail", "circuit:er-ams"],
    "whatif-router": ["review", "--topology", TOPO, "--fail", "router:ams-edge"],
}  # fmt: skip


def _json(name: str, monkeypatch: pytest.MonkeyPatch, *extra: str) -> dict[str, Any]:
    monkeypatch.chdir(ROOT)
    result = run_cli("--no-user-catalog", *RUNS[name], "-o", "json", *extra)
    assert result.status in (0, 1), result.stderr
    doc = json.loads(result.stdout)
    assert isinstance(doc, dict)
    return doc


@pytest.mark.parametrize("contract", sorted(CONTRACTS))
def test_each_shipped_schema_is_a_valid_schema_of_its_contract(contract: str) -> None:
    schema = schema_for(contract)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema"] == {"const": contract}
    assert schema["$id"].endswith(contract)


def test_every_contract_the_code_writes_has_a_schema() -> None:
    written = {
        diff.SCHEMA, diff.FLEET_SCHEMA, plan.SCHEMA, review.SCHEMA, fleet.FLEET_SCHEMA,
        topology.SCHEMA, topology.WHATIF_SCHEMA,
    }  # fmt: skip
    assert written == set(CONTRACTS)


@pytest.mark.parametrize("name", sorted(RUNS))
def test_every_output_validates_against_its_schema(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = _json(name, monkeypatch)
    assert doc["schema"] in CONTRACTS
    assert_valid_contract(doc, name)


def test_an_unreadable_router_and_skipped_lines_validate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The optional parts: a router not checked (inventory), routes skipped with --lenient."""
    damaged = tmp_path / "damaged.txt"
    lines = (ROOT / EDGE1).read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(12, " *>  52.96.0.0/14     192.0.2.1     0    100      0 12076 0 i\n")
    damaged.write_text("".join(lines), encoding="utf-8")
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(
        "schema: routeplan/inventory/1\nrouters:\n"
        f"  - name: damaged\n    files: [{damaged}]\n"
        f"  - name: gone\n    files: [{tmp_path / 'missing.txt'}]\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(ROOT)
    result = run_cli(
        "--no-user-catalog", "diff", "--inventory", str(inventory), "--lenient", "-o", "json"
    )
    doc = json.loads(result.stdout)
    assert doc["skipped"], doc["routers"]
    assert doc["fleet"]["not_checked"], doc["fleet"]
    assert_valid_contract(doc, "inventory")


def test_the_golden_contract_files_validate() -> None:
    for path in sorted((ROOT / "tests" / "golden").glob("*/*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(doc, dict) and "schema" in doc:
            assert_valid_contract(doc, str(path))


BREAKS = {
    "an unknown severity": ("findings", 0, "severity", "fatal"),
    "an unknown finding code": ("findings", 0, "code", "er-prefix-elsewhere"),
    "a prefix that is not one": ("findings", 0, "prefix", "52.96.0.0"),
    "AS 0 in a path": ("findings", 0, "route", "as_path", [0]),
    "a field no version has": ("summary", "surprise", 1),
    "a router's count as text": ("fleet", "routers", "2"),
}


@pytest.mark.parametrize("why", sorted(BREAKS))
def test_a_schema_rejects_a_broken_contract(why: str, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = copy.deepcopy(_json("diff-fleet", monkeypatch))
    *path, key, value = BREAKS[why]
    target: Any = doc
    for step in path:
        target = target[step]
    target[key] = value
    with pytest.raises(AssertionError):
        assert_valid_contract(doc, why)
