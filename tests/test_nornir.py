"""The Nornir task (routeplan.nornir.check_routes) in a real Nornir, with Nornir's own
SimpleInventory: each host's answer is the router section ``routeplan diff`` gives for it,
whether the table comes from the host's inventory data or from an earlier task's result."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT, run_cli

nornir = pytest.importorskip("nornir")
from nornir import InitNornir  # noqa: E402
from nornir.core.exceptions import NornirSubTaskError  # noqa: E402
from nornir.core.task import Result, Task  # noqa: E402

from routeplan.nornir import check_routes  # noqa: E402

EDGE1 = ROOT / "examples" / "rib" / "edge1-show-ip-bgp.txt"
OK = ROOT / "examples" / "netbox" / "edge1-ok.txt"
SELECTION = ["12076:5010", "12076:5100"]


def _nornir(tmp_path: Path, hosts: dict[str, Any]) -> Any:
    (tmp_path / "hosts.yaml").write_text(json.dumps(hosts), encoding="utf-8")
    (tmp_path / "groups.yaml").write_text("{}", encoding="utf-8")
    (tmp_path / "defaults.yaml").write_text("{}", encoding="utf-8")
    return InitNornir(
        runner={"plugin": "threaded", "options": {"num_workers": 2}},
        inventory={
            "plugin": "SimpleInventory",
            "options": {
                "host_file": str(tmp_path / "hosts.yaml"),
                "group_file": str(tmp_path / "groups.yaml"),
                "defaults_file": str(tmp_path / "defaults.yaml"),
            },
        },
        logging={"enabled": False},
    )


def _cli_section(name: str, path: Path) -> dict[str, Any]:
    result = run_cli(
        "--no-user-catalog", "diff", "-r", f"{name}={path}", "--communities", ",".join(SELECTION),
        "-o", "json", "--fail-on", "never",
    )  # fmt: skip
    [section] = json.loads(result.stdout)["routers"]
    assert isinstance(section, dict)
    return section


def test_each_host_is_checked_on_its_own_from_its_inventory_data(tmp_path: Path) -> None:
    nr = _nornir(
        tmp_path,
        {
            "edge1": {"hostname": "192.0.2.11", "data": {"routeplan_routes": str(EDGE1)}},
            "edge2": {"hostname": "192.0.2.12", "data": {"routeplan_routes": [str(OK)]}},
            "bare": {"hostname": "192.0.2.13"},
        },
    )
    results = nr.run(task=check_routes, communities=SELECTION)
    assert results["edge1"][0].failed
    assert not results["edge2"][0].failed
    assert results["edge1"][0].result == _cli_section("edge1", EDGE1)
    assert results["edge2"][0].result == _cli_section("edge2", OK)
    # a host without a table is a failed host that says what to give, not a crash
    assert results["bare"][0].failed
    assert "routeplan_routes" in results["bare"][0].result["error"]


def test_the_table_an_earlier_task_collected_is_checked(tmp_path: Path) -> None:
    """A grouped task: the first subtask collects (here it reads the capture, as a
    netmiko_send_command would return it), the second checks its result."""

    def collect(task: Task) -> Result:
        return Result(host=task.host, result=Path(task.host["capture"]).read_text())

    def collect_and_check(task: Task) -> Result:
        collected = task.run(task=collect)
        try:
            checked = task.run(task=check_routes, text=collected.result, communities=SELECTION)
        except NornirSubTaskError as failed:  # Nornir's rule: a failed subtask raises
            checked = failed.result
        return Result(host=task.host, result=checked[0].result, failed=checked[0].failed)

    nr = _nornir(tmp_path, {"edge1": {"data": {"capture": str(EDGE1)}}})
    result = nr.run(task=collect_and_check)["edge1"]
    section = result[0].result
    want = _cli_section("edge1", EDGE1)
    assert [f["code"] for f in section["findings"]] == [f["code"] for f in want["findings"]]
    assert section["summary"] == want["summary"]
    assert result[0].failed


def test_a_napalm_get_result_is_read_as_its_json(tmp_path: Path) -> None:
    napalm = json.loads(
        (ROOT / "tests/fixtures/rib/napalm-json/napalm-eos-get-route-to.json").read_text()
    )
    nr = _nornir(tmp_path, {"r1": {}})
    result = nr.run(task=check_routes, text={"get_route_to": napalm})["r1"][0]
    assert "error" not in result.result, result.result
    assert result.result["inputs"][0]["format"] == "napalm-json"
    assert result.result["inputs"][0]["routes"] == {"ipv4": 2, "ipv6": 0}
