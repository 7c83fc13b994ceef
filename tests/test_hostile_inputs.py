"""Every input other than the route tables is opened the one bounded way: a device, a FIFO,
a directory, a huge sparse file or a file too large for its kind is refused at once, before
it is read or waited on, with the file named, exit status 3 and no traceback (issue: hostile
input, item 5). Each case runs the real command line in a child process whose peak memory
is measured (a FIFO would hang it: the child has a timeout)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from routeplan.errors import ExitStatus
from routeplan.rib.base import MAX_KEPT
from tests.helpers import ROOT, run_child, run_cli

RIB = ROOT / "examples" / "rib" / "edge1-show-ip-bgp.txt"
TOPOLOGY = ROOT / "examples" / "topology" / "topology.yaml"
PEAK_MB = 200

# how each kind of input is given to the command line
COMMANDS: dict[str, Callable[[str], list[str]]] = {
    "policy": lambda f: ["diff", "-r", str(RIB), "--policy", f],
    "topology": lambda f: ["topology", "check", f],
    "changes": lambda f: ["review", "--routes", str(RIB), "--changes", f],
    "plan": lambda f: ["review", "--routes", str(RIB), "--plan-before", f, "--plan-after", f],
    "endpoints": lambda f: ["catalog", "import", f, "--instance", "Worldwide"],
    "advertise": lambda f: ["plan", "--advertise", f],
}


def _sparse(tmp_path: Path) -> str:
    path = tmp_path / "sparse.yaml"
    with path.open("wb") as handle:
        handle.truncate(1 << 30)  # 1 GiB that costs no disk
    return str(path)


def _fifo(tmp_path: Path) -> str:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return str(path)


def _directory(tmp_path: Path) -> str:
    path = tmp_path / "dir.yaml"
    path.mkdir()
    return str(path)


SHAPES: dict[str, Callable[[Path], str]] = {
    "dev-zero": lambda _: "/dev/zero",
    "fifo": _fifo,
    "sparse-1GiB": _sparse,
    "directory": _directory,
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("kind", sorted(COMMANDS))
def test_special_and_huge_inputs_are_refused_at_once(tmp_path: Path, kind: str, shape: str) -> None:
    given = SHAPES[shape](tmp_path)
    catalog = tmp_path / "cat"
    catalog.mkdir()
    args = ["--catalog-dir", str(catalog), *COMMANDS[kind](given)]
    status, err, peak = run_child(*args, timeout=60)
    assert status == ExitStatus.INPUT, err
    assert "Traceback" not in err
    assert given in err, err
    assert any(
        word in err
        for word in (
            "not a regular file",
            "is a directory",
            "over ",
            "binary",
            "not a routeplan export",
        )
    ), err
    assert peak < PEAK_MB, f"{kind} {shape}: {peak:.0f} MB"
    assert not any(catalog.rglob("*")), "nothing is written"


def test_a_document_too_large_for_its_kind_is_refused_before_it_is_read(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("expressroute:\n  asns: [12076]\n" + "# padding\n" * (500_000))
    status, err, peak = run_child("diff", "-r", str(RIB), "--policy", str(policy))
    assert status == ExitStatus.INPUT
    assert f"{policy}: policy file is over 4 MiB" in err
    assert peak < PEAK_MB


def test_a_huge_line_that_is_not_utf8_is_reported_without_holding_it(tmp_path: Path) -> None:
    """The route reader's error path finds the line of the first byte that is not UTF-8 in
    blocks: a 300 MB line used to be read whole to report it."""
    rib = tmp_path / "rib.txt"
    head = RIB.read_bytes()
    with rib.open("wb") as handle:
        handle.write(head)
        handle.write(b"x" * (300 << 20) + b"\xe9\n")
    status, err, peak = run_child("diff", "--routes", str(rib), timeout=120)
    assert status == ExitStatus.INPUT, err
    assert "Traceback" not in err
    assert f"{rib}:" in err
    assert peak < PEAK_MB, peak


def _inside(n: int) -> str:
    """A show ip bgp table of ``n`` host routes, all inside 52.96.0.0/14 (all of them matter)."""
    head = (
        "BGP table version is 1, local router ID is 10.0.0.1\n"
        "Status codes: s suppressed, d damped, h history, * valid, > best, i - internal\n"
        "Origin codes: i - IGP, e - EGP, ? - incomplete\n\n"
        "     Network          Next Hop            Metric LocPrf Weight Path\n"
    )
    rows = (
        f" *>  {f'52.{96 + (i >> 16 & 3)}.{i >> 8 & 255}.{i & 255}/32':<17}"
        f"{f'10.0.{i >> 8 & 255}.{i & 255}':<20}0    100      0 12076 8075 i\n"
        for i in range(n)
    )
    return head + "".join(rows)


def test_a_table_holding_too_many_routes_that_matter_is_refused_in_bounded_memory(
    tmp_path: Path,
) -> None:
    """Item 12: 5 M lines inside 52.96.0.0/14 took 2.5 GiB. A table keeps at most
    MAX_KEPT routes that matter; the next one refuses it at its line."""
    rib = tmp_path / "inside.txt"
    rib.write_text(_inside(MAX_KEPT + 5_000))
    status, err, peak = run_child("--no-user-catalog", "diff", "--routes", str(rib))
    assert status == ExitStatus.INPUT, err
    assert f"{rib}:{MAX_KEPT + 6}: more than {MAX_KEPT:,} routes" in err
    assert "ROUTEPLAN_MAX_KEPT_ROUTES" in err
    assert peak < PEAK_MB, peak


def test_the_kept_route_limit_can_be_raised_and_lenient_does_not_lift_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rib = tmp_path / "inside.txt"
    rib.write_text(_inside(300))
    monkeypatch.setenv("ROUTEPLAN_MAX_KEPT_ROUTES", "200")
    refused = run_cli("--no-user-catalog", "diff", "--routes", str(rib), "--lenient")
    assert refused.status == ExitStatus.INPUT
    assert f"{rib}:206: more than 200 routes" in refused.stderr
    monkeypatch.setenv("ROUTEPLAN_MAX_KEPT_ROUTES", "1000")
    read = run_cli("--no-user-catalog", "diff", "--routes", str(rib), "-o", "json")
    assert read.status in (ExitStatus.OK, ExitStatus.FINDINGS), read.stderr


@pytest.mark.slow
def test_a_fifty_thousand_site_topology_is_checked_in_bounded_memory(tmp_path: Path) -> None:
    """Item 11: 50,000 sites in a star took 162 s and 518 MiB, then (linear) 410 MiB, most of
    it PyYAML's node graph. The document is now built from the parser's events; the time is
    measured by ``benchmarks/topology.py --star 50000``, the memory here."""
    from benchmarks.topology import star_topology  # noqa: PLC0415

    topo = tmp_path / "star.yaml"
    topo.write_text(star_topology(50_000))
    status, err, peak = run_child(
        "--no-user-catalog", "topology", "check", str(topo), "-o", "json", timeout=300
    )
    assert status == ExitStatus.FINDINGS, err  # losing r0 (the hub) cuts every site off
    assert peak < PEAK_MB, peak
