"""The command line: the issue's example questions, every listing in every format, and bad
input that ends with one clear message, a documented exit status and nothing written."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest
import yaml

from routeplan import __version__
from routeplan.errors import ExitStatus
from tests.helpers import run_cli, shared_data


def test_rows_json_returns_the_16_seed_rows() -> None:
    result = run_cli("catalog", "rows", "--output", "json")
    assert result.status == ExitStatus.OK, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "routeplan/rows/1"
    rows = {r["row"]: r for r in data["rows"]}
    assert sorted(rows) == list(range(1, 17))
    assert rows[5]["cidr"]["range_sets"] == [
        {"name": "portal and shared IP ranges", "qualifier": "Internet-only IPs"}
    ]
    assert rows[14]["cidr"]["prefixes"] == [
        "13.67.59.89/32",
        "40.69.150.142/32",
        "40.85.91.8/32",
        "104.211.54.99/32",
        "104.211.54.134/32",
    ]
    assert [n for n, r in rows.items() if r["direction"] == "inbound"] == [15, 16]
    assert [n for n, r in rows.items() if r["internet_only"]] == [5, 14]
    assert rows[16]["sources"][0] == {
        "name": "o365diagnosticsbasic-eus.cloudapp.net",
        "address": "104.211.54.99/32",
    }


def test_lookup_answers_the_four_questions() -> None:
    result = run_cli(
        "lookup",
        "52.96.10.1",
        "outlook.office365.com",
        "40.69.150.142",
        "4.145.74.230",
        "--output",
        "json",
    )
    assert result.status == ExitStatus.OK, result.stderr
    a, b, c, d = json.loads(result.stdout)["answers"]
    for answer in (a, b):
        assert answer["verdict"] == "expressroute"
        assert answer["communities"] == ["12076:5010"]
    assert a["covering"][0]["endpoint_sets"] == [1, 2]
    assert {m["endpoint_set"] for m in b["matches"] if m["winner"]} == {1, 2}
    assert c["verdict"] == "internet-only"
    assert c["covering"][0]["rows"] == [14]
    assert d["verdict"] == "internet-only"
    assert d["covering"][0]["endpoint_sets"] == [163]
    assert "expressRoute false" in d["reason"]


def test_lookup_csv_is_one_line_a_query() -> None:
    result = run_cli("lookup", "52.96.10.1", "outlook.office365.com", "-o", "csv")
    assert result.status == ExitStatus.OK
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["query"], r["verdict"], r["communities"]) for r in table] == [
        ("52.96.10.1", "expressroute", "12076:5010"),
        ("outlook.office365.com", "expressroute", "12076:5010"),
    ]
    assert table[0]["longest_match"] == "52.96.0.0/14"
    assert table[1]["longest_match"] == "outlook.office365.com"


def test_lookup_text_is_readable() -> None:
    result = run_cli("lookup", "52.96.10.1", "40.69.150.142")
    assert result.status == 0
    assert "52.96.10.1: ExpressRoute [12076:5010]" in result.stdout
    assert "40.69.150.142: Internet-only" in result.stdout
    assert "row 14" in result.stdout


LISTINGS = [
    ("catalog", "rows"),
    ("catalog", "sets"),
    ("catalog", "sets", "--er", "--service", "Exchange"),
    ("catalog", "communities"),
    ("catalog", "show"),
]


@pytest.mark.parametrize("args", LISTINGS, ids=" ".join)
@pytest.mark.parametrize("fmt", ["text", "json", "yaml", "csv"])
def test_every_listing_in_every_format(args: tuple[str, ...], fmt: str) -> None:
    result = run_cli(*args, "--output", fmt)
    assert result.status == ExitStatus.OK, result.stderr
    assert result.stdout.strip()
    if fmt == "json":
        assert json.loads(result.stdout)["schema"].startswith("routeplan/")
    elif fmt == "yaml":
        assert yaml.safe_load(result.stdout)["schema"].startswith("routeplan/")
    elif fmt == "csv":
        table = list(csv.reader(io.StringIO(result.stdout)))
        assert len(table) >= 2
        assert all(len(r) == len(table[0]) for r in table)
    else:
        first = result.stdout.splitlines()[0]
        assert first
        assert not first.startswith("{")


def test_sets_filters() -> None:
    data = json.loads(run_cli("catalog", "sets", "--er", "--output", "json").stdout)
    assert {s["id"] for s in data["endpoint_sets"]} == {1, 2, 9, 10, 11, 12, 31, 46, 56, 64}
    data = json.loads(
        run_cli(
            "catalog",
            "sets",
            "--no-er",
            "--service",
            "MEM",
            "--category",
            "Allow",
            "--output",
            "json",
        ).stdout
    )
    assert 163 in {s["id"] for s in data["endpoint_sets"]}
    assert all(not s["express_route"] for s in data["endpoint_sets"])
    data = json.loads(
        run_cli(
            "catalog", "sets", "--required", "--service", "Exchange,Skype", "--output", "json"
        ).stdout
    )
    assert data["endpoint_sets"]
    assert all(
        s["required"] and s["service_area"] in ("Exchange", "Skype") for s in data["endpoint_sets"]
    )


def test_communities_listing_counts_prefixes() -> None:
    data = json.loads(run_cli("catalog", "communities", "--output", "json").stdout)
    exo = next(c for c in data["communities"] if c["community"] == "12076:5010")
    assert exo["endpoint_sets"] == [1, 2, 9, 10]
    assert exo["authorization_required"]
    assert exo["ipv4_count"] > 10
    assert exo["ipv6_count"] > 10


@pytest.mark.parametrize(
    ("args", "status", "needle"),
    [
        (("catalog", "sets", "--instance", "Mars"), ExitStatus.USAGE, "unknown instance 'Mars'"),
        (("catalog", "sets", "--version", "1999"), ExitStatus.USAGE, "known Worldwide versions"),
        (("catalog", "sets", "--service", "Yammer"), ExitStatus.USAGE, "unknown service area"),
        (("lookup", "1.2.3.4", "--communities", "12076:1"), ExitStatus.USAGE, "unknown community"),
        (("lookup", "1.2.3.4", "--communities", "banana"), ExitStatus.USAGE, "not a BGP community"),
        (("lookup", "10.0.0.1/24"), ExitStatus.USAGE, "host bits set"),
        (("catalog", "rows", "--row", "17"), ExitStatus.USAGE, "no row 17"),
        (
            (
                "catalog",
                "nope",
            ),
            ExitStatus.USAGE,
            "No such command",
        ),
        (("catalog", "sets", "--output", "xml"), ExitStatus.USAGE, "Invalid value"),
    ],
)
def test_usage_errors(args: tuple[str, ...], status: ExitStatus, needle: str) -> None:
    result = run_cli(*args)
    assert result.status == status
    assert needle in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("", "is empty"),
        ("[]", "no endpoint sets"),
        ('[{"id": 1,', "malformed JSON"),
        ('{"error": "throttled"}', "returned an error"),
        (
            '[{"id": 1, "serviceArea": "Exchange", "expressRoute": true, "category": "Allow",'
            ' "required": true, "ips": ["10.0.0.1/24"]}]',
            "[0].ips[0]: host bits set",
        ),
    ],
)
def test_bad_imports_write_nothing(tmp_path: Path, content: str, needle: str) -> None:
    target = tmp_path / "cat"
    src = _write(tmp_path / "endpoints.json", content)
    result = run_cli(
        "--catalog-dir", str(target), "catalog", "import", str(src), "--instance", "Worldwide"
    )
    assert result.status == ExitStatus.INPUT
    assert needle in result.stderr
    assert str(src) in result.stderr
    assert "Traceback" not in result.stderr
    assert not target.exists()


def test_traceback_only_on_request(tmp_path: Path) -> None:
    src = _write(tmp_path / "e.json", "[]")
    result = run_cli("--traceback", "catalog", "import", str(src), "--instance", "Worldwide")
    assert result.status == ExitStatus.INPUT
    assert "Traceback" in result.stderr


@pytest.mark.shared
def test_import_then_query_the_new_snapshot(tmp_path: Path) -> None:
    data = shared_data()
    src = data / "m365-endpoints/usgovdod/usgovdod_2025-12-01_capture.json"
    target = tmp_path / "cat"
    result = run_cli(
        "--catalog-dir",
        str(target),
        "catalog",
        "import",
        str(src),
        "--instance",
        "usgovdod",
        "--service-version",
        "2025120100",
        "--retrieved",
        "2025-12-02",
    )
    assert result.status == ExitStatus.OK, result.stderr
    written = target / "endpoints" / "usgovdod" / "2025120100.yaml"
    assert written.is_file()
    assert "imported 25 endpoint sets" in result.stdout
    assert not [p for p in written.parent.iterdir() if p.name.endswith(".tmp")]
    shown = json.loads(
        run_cli("--catalog-dir", str(target), "catalog", "show", "--output", "json").stdout
    )
    mine = [s for s in shown["snapshots"] if s["version"] == "2025120100"]
    assert mine
    assert mine[0]["instance"] == "USGovDoD"
    assert mine[0]["latest"]
    assert str(target) in shown["directories"]


def test_help_teaches() -> None:
    result = run_cli("--help")
    assert result.status == 0
    assert "routeplan lookup" in result.stdout
    from routeplan.cli import all_commands  # noqa: PLC0415

    commands: list[tuple[str, ...]] = []
    for name, command in all_commands().items():
        subcommands = getattr(command, "commands", None)
        if subcommands:
            commands += [(name, sub) for sub in subcommands]
        else:
            commands.append((name,))
    assert len(commands) >= 12
    for args in commands:
        text = run_cli(*args, "--help").stdout
        assert "Example:" in text or "Examples:" in text, args


def test_broken_user_catalog_file_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "cat" / "endpoints" / "worldwide"
    bad.mkdir(parents=True)
    (bad / "2030-01-01.yaml").write_text(
        "schema: routeplan/endpoints/1\ninstance: Worldwide\nversion: null\n"
        "retrieved: 2030-01-01\nprovenance: {document: mine}\nendpoint_sets:\n"
        "  - id: 1\n    service_area: Exchange\n    category: Allow\n"
        "    express_route: maybe\n    required: true\n",
        encoding="utf-8",
    )
    result = run_cli("--catalog-dir", str(tmp_path / "cat"), "catalog", "show")
    assert result.status == ExitStatus.INPUT
    assert "2030-01-01.yaml:10: endpoint_sets[0].express_route: expected true or false" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


@pytest.mark.shared
def test_reimport_says_it_replaced(tmp_path: Path) -> None:
    src = shared_data() / "m365-endpoints/china/china_2025-12-01_capture.json"
    args = (
        "--catalog-dir",
        str(tmp_path),
        "catalog",
        "import",
        str(src),
        "--instance",
        "China",
        "--retrieved",
        "2025-12-03",
    )
    first, second = run_cli(*args), run_cli(*args)
    assert first.status == second.status == ExitStatus.OK
    assert "replacing" not in first.stdout
    assert "replacing the earlier import" in second.stdout


@pytest.mark.parametrize("pure", ["0", "1"])
def test_version_says_how_route_tables_are_read(pure: str) -> None:
    """--version names the release and whether the C skimmer reads large tables, in a new
    process (the skimmer is chosen when routeplan is imported)."""
    env = {**os.environ, "ROUTEPLAN_PURE": pure}
    out = subprocess.run(
        [sys.executable, "-m", "routeplan", "--version"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if pure == "1":
        want = "pure Python: ROUTEPLAN_PURE=1"
    elif find_spec("routeplan.rib._skim") is not None:
        want = "with the C route-table skimmer"
    else:
        want = "pure Python: the C route-table skimmer was not built"
    assert out == f"routeplan {__version__} ({want})\n"


@pytest.mark.parametrize("command", [["diff"], ["plan", "--fail-on", "never"]])
def test_an_unreadable_route_table_is_input_not_usage(
    command: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """docs/cli.md: unreadable input is status 3. The option parser must not decide it (it
    answered 2, a usage error): routeplan opens the file and says why it cannot."""
    rib = tmp_path / "rib.txt"
    rib.write_text((Path(__file__).parents[1] / "examples/rib/edge1-show-ip-bgp.txt").read_text())
    if os.geteuid() != 0:
        rib.chmod(0)
        result = run_cli(*command, "--routes", str(rib))
        assert result.status == ExitStatus.INPUT, result.stderr
        assert "rib.txt" in result.stderr
        return
    # as root every file is readable: show that the option parser no longer asks
    monkeypatch.setattr(os, "access", lambda *a, **k: False)
    result = run_cli(*command, "--routes", str(rib))
    assert result.status in (ExitStatus.OK, ExitStatus.FINDINGS), result.stderr
