"""Writing reports: a special file is written through (or refused), never replaced by a
regular file, and ``-`` is standard output."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from routeplan.errors import ExitStatus, WriteError
from routeplan.fsutil import write_output

BEFORE = ROOT / "examples" / "review" / "before-edge1.txt"
AFTER = ROOT / "examples" / "review" / "after-edge1.txt"
TOPOLOGY = ROOT / "examples" / "topology" / "topology.yaml"
REVIEW = ["--no-user-catalog", "review", "--before", str(BEFORE), "--after", str(AFTER)]


def test_dev_null_stays_a_device() -> None:
    before = os.stat("/dev/null")
    out = run_cli(*REVIEW, "--out", "/dev/null", "--fail-on", "never")
    assert out.status == 0, out.stderr
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_a_full_device_is_a_write_error_not_a_new_file() -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this machine")
    out = run_cli(*REVIEW, "--out", "/dev/full", "--fail-on", "never")
    assert out.status == ExitStatus.INPUT
    assert "/dev/full" in out.stderr
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_svg_to_a_device_writes_through() -> None:
    out = run_cli(
        "--no-user-catalog",
        "topology",
        "check",
        str(TOPOLOGY),
        "--svg",
        "/dev/null",
        "--fail-on",
        "never",
    )
    assert out.status == 0, out.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_output(fifo, "hello\n")
        assert os.read(reader, 100) == b"hello\n"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_dash_is_standard_output(capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    write_output(Path("-"), "to stdout\n")
    assert capfdbinary.readouterr().out == b"to stdout\n"


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="is a directory"):
        write_output(tmp_path, "x")


def test_a_regular_file_is_replaced_atomically(tmp_path: Path) -> None:
    target = tmp_path / "r.md"
    target.write_text("old")
    write_output(target, "new")
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.md"]


def test_csv_cells_never_start_a_formula(tmp_path: Path) -> None:
    """A topology, file or source name like =HYPERLINK(...) reaches a CSV neutralised."""
    import csv as csvmod  # noqa: PLC0415
    import io  # noqa: PLC0415

    from routeplan.output import csv_table  # noqa: PLC0415

    text = csv_table(
        [{"name": '=HYPERLINK("http://evil")', "n": "+1", "t": "\tx", "ok": "edge1"}],
        ["name", "n", "t", "ok"],
    )
    [head, row] = list(csvmod.reader(io.StringIO(text)))
    assert head == ["name", "n", "t", "ok"]
    assert row == ['\'=HYPERLINK("http://evil")', "'+1", "'\tx", "edge1"]
    # through a command: a route table whose file name starts a formula
    rib = tmp_path / "=cmd.txt"
    rib.write_text((ROOT / "examples/rib/edge1-show-ip-bgp.txt").read_text())
    out = run_cli(
        "--no-user-catalog",
        "review",
        "--catalog-before",
        "2021-10-11",
        "--routes",
        str(rib),
        "-o",
        "csv",
        "--fail-on",
        "never",
    )
    assert out.status == 0, out.stderr
    for cells in csvmod.reader(io.StringIO(out.stdout)):
        assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in cells)
        assert not any(c.startswith("-") and c != "" for c in cells)


def test_control_characters_reach_the_terminal_escaped(tmp_path: Path) -> None:
    """ESC and BEL in a route line or a file name are shown escaped, in errors and reports."""
    bad = tmp_path / "edge\x1b[31m.txt"
    text = (ROOT / "examples/rib/edge1-show-ip-bgp.txt").read_text()
    bad.write_text(text.replace("64496 i\n", "64496 i\x07\x1b[2J\n", 1))
    out = run_cli("--no-user-catalog", "diff", "-r", str(bad))
    assert "\x1b" not in out.stderr
    assert "\x07" not in out.stderr
    assert "\\x1b" in out.stderr
    good = tmp_path / "edge\x1b[31mok.txt"
    good.write_text(text)
    report = run_cli("--no-user-catalog", "diff", "-r", str(good), "--fail-on", "never")
    assert report.status == 0, report.stderr
    assert "\x1b" not in report.stdout
    assert "\\x1b[31mok.txt" in report.stdout
