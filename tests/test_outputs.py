"""Writing reports: a special file is written through (or refused), never replaced by a
regular file, and ``-`` is standard output."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from routeplan.errors import ExitStatus, WriteError
from routeplan.fsutil import write_output
from tests.helpers import ROOT, run_cli

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

    from routeplan.report.output import csv_table  # noqa: PLC0415

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


HOSTILE = "<script>alert(1)</script><svg onload=alert(2)>[x](javascript:alert(3))|`"


def _rendered(markdown: str) -> str:
    """The HTML a CommonMark renderer (with HTML allowed, as GitHub and GitLab allow much of
    it) makes of a report."""
    from markdown_it import MarkdownIt  # noqa: PLC0415

    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


def _assert_inert(markdown: str) -> None:
    html = _rendered(markdown)
    assert "<script" not in html
    assert "<svg" not in html
    assert 'href="javascript:' not in html
    assert "\x1b" not in markdown


def test_markdown_reports_keep_hostile_names_as_text(tmp_path: Path) -> None:
    """Topology names, file names and router names like <script> or [x](javascript:...)
    reach every Markdown report as text (issue: hostile input, item 9)."""
    name = "s" + HOSTILE.replace("/", "") + "\x1b"
    topo = tmp_path / "t.yaml"
    site = json.dumps(name)
    topo.write_text(
        "schema: routeplan/topology/1\n"
        f"sites:\n  - {{name: {site}, region: west}}\n  - {{name: b, region: west}}\n"
        f"routers:\n  - {{name: r1, site: {site}}}\n  - {{name: r2, site: b}}\n"
        "  - {name: r3, site: b}\n"
        "links:\n  - {a: r1, b: r2}\n  - {a: r2, b: r3}\n"
        "circuits:\n  - {name: er1, routers: [r3], communities: [12076:5010]}\n"
        "breakouts:\n  - {name: inet1, router: r1}\n"
    )
    checked = run_cli("--no-user-catalog", "topology", "check", str(topo), "-o", "markdown")
    assert checked.status in (0, 1), checked.stderr
    assert "alert" in checked.stdout  # the names are there, as text
    _assert_inert(checked.stdout)
    what_if = run_cli(
        "--no-user-catalog",
        "review",
        "--topology",
        str(topo),
        "--fail",
        "router:r2",
        "-o",
        "markdown",
    )
    assert what_if.status in (0, 1), what_if.stderr
    _assert_inert(what_if.stdout)

    rib_text = (ROOT / "examples/rib/edge1-show-ip-bgp.txt").read_text()
    rib = tmp_path / ("edge" + HOSTILE.replace("/", "") + ".txt")
    rib.write_text(rib_text)
    ok = tmp_path / "ok.txt"
    ok.write_text(rib_text)
    adv = tmp_path / ("nat" + HOSTILE.replace("/", "") + ".txt")
    adv.write_text("10.1.0.0/24\n")  # private: a finding that names the file
    for args in (
        ["diff", "-r", str(rib), "-o", "markdown"],
        ["diff", "-r", str(rib), "-r", str(ok), "-o", "markdown"],  # the stem names a router
        ["plan", "--routes", str(rib), "--advertise", str(adv), "-o", "markdown"],
        ["review", "--before", str(rib), "--after", str(ok), "-o", "markdown"],
    ):
        out = run_cli("--no-user-catalog", *args)
        assert out.status in (0, 1), (args, out.stderr)
        assert "alert" in out.stdout, args
        _assert_inert(out.stdout)
