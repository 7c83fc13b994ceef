"""`routeplan plan` on the command line: the issue's Done lines, the JSON contract, exit
statuses, and that plan and diff agree (the plan is diff's intended state)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from routeplan.errors import ExitStatus
from tests.helpers import ROOT, run_cli

DONE = ["plan", "--communities", "12076:5010,12076:5030,12076:5100"]
EXAMPLE = ROOT / "examples" / "rib" / "edge1-show-ip-bgp.txt"


def _nat(tmp_path: Path, *lines: str) -> str:
    path = tmp_path / "nat.txt"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_done_line_ios_config_and_json_say_the_same() -> None:
    ios = run_cli(*DONE, "--vendor", "ios")
    assert ios.status == ExitStatus.OK, ios.stderr
    er_lines = re.findall(r"^ip prefix-list M365-ER-V4 seq \d+ permit (\S+)", ios.stdout, re.M)
    er6_lines = re.findall(r"^ipv6 prefix-list M365-ER-V6 seq \d+ permit (\S+)", ios.stdout, re.M)
    assert re.search(r"^route-map M365-ER-IN permit \d+$", ios.stdout, re.M)
    assert re.findall(r"community-list standard M365-ER-COMMUNITIES permit (\S+)", ios.stdout) == [
        "12076:5010",
        "12076:5030",
        "12076:5100",
    ]
    doc = json.loads(run_cli(*DONE, "--output", "json").stdout)
    assert doc["schema"] == "routeplan/plan/1"
    er = [p["prefix"] for p in doc["expressroute"]["prefixes"]]
    assert er == er_lines + er6_lines
    assert [c["community"] for c in doc["route_filter"]["communities"]] == [
        "12076:5010",
        "12076:5030",
        "12076:5100",
    ]
    first = doc["expressroute"]["prefixes"][0]
    assert set(first) >= {"prefix", "endpoint_sets", "rows", "communities", "sources"}
    assert first["endpoint_sets"]
    assert isinstance(doc["internet_only"]["prefixes"], list)
    assert "advertisement" not in doc


def test_yaml_is_the_same_record() -> None:
    as_json = json.loads(run_cli(*DONE, "--output", "json").stdout)
    as_yaml = yaml.safe_load(run_cli(*DONE, "--output", "yaml").stdout)
    assert as_yaml == as_json


def test_text_and_markdown_reports() -> None:
    text = run_cli(*DONE).stdout
    assert text.startswith("Worldwide ")
    assert "ExpressRoute prefix-list: 75 entries" in text
    md = run_cli(*DONE, "--output", "markdown").stdout
    assert md.startswith("# Plan: Worldwide")
    assert "## Route filter" in md
    assert "| 12076:5010 | yes | Exchange Online | required |" in md


def test_output_is_deterministic() -> None:
    assert run_cli(*DONE, "-o", "json").stdout == run_cli(*DONE, "-o", "json").stdout


def test_advertisement_findings_fail_the_run_and_leave_config(tmp_path: Path) -> None:
    nat = _nat(tmp_path, "198.51.99.0/24", "10.1.0.0/16")
    result = run_cli(*DONE, "--advertise", nat, "-o", "json")
    assert result.status == ExitStatus.FINDINGS
    findings = json.loads(result.stdout)["advertisement"]["findings"]
    assert [(f["code"], f["prefix"], f["line"]) for f in findings] == [
        ("adv-not-public", "10.1.0.0/16", 2)
    ]
    assert findings[0]["hint"]
    assert run_cli(*DONE, "--advertise", nat, "--fail-on", "never").status == ExitStatus.OK
    config = run_cli(*DONE, "--advertise", nat, "--vendor", "ios", "--fail-on", "never").stdout
    assert "ip prefix-list M365-ER-ADVERTISE-V4 seq 10 permit 198.51.99.0/24" in config
    assert "permit 10.1.0.0/16" not in config
    assert "! not announced: 10.1.0.0/16 (adv-not-public)" in config


def test_checks_against_advertise_need_advertise(tmp_path: Path) -> None:
    nat = _nat(tmp_path, "198.51.99.0/24")
    result = run_cli(*DONE, "--internet-advertise", nat)
    assert result.status == ExitStatus.USAGE
    assert "--advertise" in result.stderr


def test_missing_advertise_file_is_an_input_error(tmp_path: Path) -> None:
    result = run_cli(*DONE, "--advertise", str(tmp_path / "nope.txt"))
    assert result.status == ExitStatus.INPUT
    assert "nope.txt" in result.stderr
    assert "Traceback" not in result.stderr


def test_plan_with_routes_lists_the_changes_diff_finds() -> None:
    planned = json.loads(
        run_cli(*DONE, "--routes", str(EXAMPLE), "-o", "json", "--fail-on", "never").stdout
    )
    diffed = json.loads(
        run_cli(
            "diff",
            "--routes",
            str(EXAMPLE),
            "--communities",
            "12076:5010,12076:5030,12076:5100",
            "-o",
            "json",
            "--fail-on",
            "never",
        ).stdout
    )
    # diff names each item's router (routeplan/diff/2); the plan checks one table set
    for item in diffed["changes"] + diffed["findings"]:
        assert item.pop("router") == EXAMPLE.stem
    assert planned["routes"]["changes"] == diffed["changes"]
    assert planned["routes"]["changes"]
    assert planned["routes"]["findings"] == diffed["findings"]


def test_budget_is_reported(tmp_path: Path) -> None:
    doc = json.loads(run_cli(*DONE, "--max-prefixes", "20", "-o", "json").stdout)
    budget = doc["expressroute"]["budget"]["ipv4"]
    assert budget["limit"] == 20
    assert budget["exact"] == doc["expressroute"]["exact_count"]["ipv4"]
    if budget["met"]:
        assert budget["achieved"] <= 20
        assert budget["extra_addresses"] > 0
    else:
        assert budget["minimum"] > 20


def test_unknown_vendor_and_bad_names_are_usage_errors() -> None:
    bad = run_cli(*DONE, "--vendor", "vyos")
    assert bad.status == ExitStatus.USAGE
    assert "known vendors: ios" in bad.stderr
    name = run_cli(*DONE, "--vendor", "ios", "--name", "er-v4")
    assert name.status == ExitStatus.USAGE
    assert "KEY=VALUE" in name.stderr


def test_every_vendor_renders_from_the_command_line() -> None:
    for vendor in ("ios", "iosxr", "nxos", "eos", "junos", "frr", "bird", "azure-cli", "azure-arm"):
        result = run_cli(*DONE, "--vendor", vendor)
        assert result.status == ExitStatus.OK, (vendor, result.stderr)
        assert "12076:5030" in result.stdout or "12076, 5030" in result.stdout


def test_help_teaches() -> None:
    text = run_cli("plan", "--help").stdout
    for word in ("--advertise", "--vendor", "--max-prefixes", "adv-not-public", "Examples"):
        assert word in text


def test_worked_example_of_docs_plan_md() -> None:
    """docs/plan.md walks through this run; it must keep saying what the page says."""
    ex = ROOT / "examples" / "plan"
    args = [
        *DONE,
        "--advertise",
        str(ex / "nat-pools.txt"),
        "--internet-advertise",
        str(ex / "internet-announcements.txt"),
        "--inbound",
        str(ex / "inbound-endpoints.txt"),
    ]
    result = run_cli(*args, "-o", "json")
    assert result.status == ExitStatus.FINDINGS
    doc = json.loads(result.stdout)
    found = [(f["code"], f["prefix"], f["line"]) for f in doc["advertisement"]["findings"]]
    assert found == [
        ("adv-not-public", "10.20.0.0/16", 5),
        ("inbound-return-asymmetric", "198.51.99.40/32", 4),
    ]
    assert [
        len([p for p in doc["expressroute"]["prefixes"] if p["family"] == f])
        for f in ("ipv4", "ipv6")
    ] == [28, 47]
    merged = next(p for p in doc["expressroute"]["prefixes"] if p["prefix"] == "52.96.0.0/13")
    assert merged["sources"] == ["52.96.0.0/14", "52.100.0.0/14"]
    page = (ROOT / "docs" / "plan.md").read_text()
    assert "52.96.0.0/13     1, 2, 9, 10  3     12076:5010   52.96.0.0/14, 52.100.0.0/14" in page
    ios = run_cli(*args, "--vendor", "ios").stdout
    assert "! not announced: 10.20.0.0/16 (adv-not-public)" in ios
    assert re.findall(r"M365-ER-ADVERTISE-V4 seq \d+ permit (\S+)", ios) == [
        "192.0.3.128/25",
        "198.51.99.0/24",
    ]
