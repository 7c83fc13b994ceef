"""Bounds and encodings: huge files, huge lines, binary files, devices, pipes and directories
end with a clear message and bounded memory; UTF-16 and BOMs are read, other encodings are
reported with the line, never mis-parsed; an interrupted write leaves the old files.

Memory is measured in a child process (its peak RSS, from the kernel), so each case runs the
real command line on the real file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from routeplan.errors import ExitStatus, InputError, WriteError
from routeplan.fsutil import atomic_write_many
from routeplan.rib import read_routes
from tests.helpers import ROOT, run_child, run_cli

EXAMPLE = ROOT / "examples" / "rib" / "edge1-show-ip-bgp.txt"
AZURE_PS = ROOT / "tests" / "fixtures" / "rib" / "azure-ps" / "classic-route-table-info.txt"
PEAK_LIMIT_MB = 100


def test_two_gigabyte_file_is_streamed_and_refused_at_the_bad_line(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    routes = "".join(
        f" *   10.{i // 256}.{i % 256}.0/24       192.0.2.9       0    0 64500 i\n"
        for i in range(2000)
    )
    head = EXAMPLE.read_bytes() + routes.encode()  # more than the 64 KiB the detector reads
    with big.open("wb") as handle:
        handle.write(head)
        handle.truncate(2 << 30)  # a sparse 2 GiB file: the rest reads as NUL bytes
    status, err, peak = run_child("diff", "--routes", str(big))
    assert status == ExitStatus.INPUT
    first_bad = head.count(b"\n") + 1
    assert f"{big}:{first_bad}" in err
    assert "not route-table text" in err
    assert peak < PEAK_LIMIT_MB


def test_one_100_megabyte_line(tmp_path: Path) -> None:
    long = tmp_path / "long-line.txt"
    with long.open("wb") as handle:
        handle.write(EXAMPLE.read_bytes())
        handle.write(b" *>  " + b"1" * (100 << 20))
    status, err, peak = run_child("diff", "--routes", str(long))
    assert status == ExitStatus.INPUT
    assert "line longer than 1024 KiB" in err
    assert peak < PEAK_LIMIT_MB


def test_binary_file(tmp_path: Path) -> None:
    blob = tmp_path / "capture.pcap"
    blob.write_bytes(bytes(range(256)) * 64)
    result = run_cli("diff", "--routes", str(blob))
    assert result.status == ExitStatus.INPUT
    assert "binary file" in result.stderr


@pytest.mark.parametrize("special", ["/dev/zero", "fifo", "directory"])
def test_devices_pipes_and_directories(tmp_path: Path, special: str) -> None:
    if special == "fifo":
        path = tmp_path / "pipe"
        os.mkfifo(path)
    elif special == "directory":
        path = tmp_path
    else:
        path = Path(special)
    start = time.monotonic()
    result = run_cli("diff", "--routes", str(path))
    assert time.monotonic() - start < 10  # never blocks on a pipe or reads a device forever
    assert result.status == ExitStatus.INPUT
    assert "not a regular file" in result.stderr or "is a directory" in result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------------------------------------
# encodings


def _same_routes(a: Path, b: Path) -> None:
    (x,), (y,) = read_routes([a]), read_routes([b])
    assert x.format == y.format
    assert [(r.prefix, r.next_hop, r.as_path, r.line) for r in x.routes] == [
        (r.prefix, r.next_hop, r.as_path, r.line) for r in y.routes
    ]
    assert x.routes


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig"])
def test_windows_exports_read_like_utf8(tmp_path: Path, encoding: str) -> None:
    """PowerShell's Out-File writes UTF-16 with a BOM; some tools write it without one."""
    text = AZURE_PS.read_text(encoding="utf-8").replace("\n", "\r\n")
    exported = tmp_path / f"table.{encoding}.txt"
    exported.write_bytes(text.encode(encoding))
    _same_routes(AZURE_PS, exported)


def test_utf16_ios_table_streams_through_the_hot_loop(tmp_path: Path) -> None:
    exported = tmp_path / "edge1.utf16.txt"
    exported.write_bytes(EXAMPLE.read_text().encode("utf-16"))
    _same_routes(EXAMPLE, exported)


def test_latin1_bytes_are_reported_with_their_line(tmp_path: Path) -> None:
    lines = EXAMPLE.read_bytes().split(b"\n")
    lines[12] = lines[12] + b"  caf\xe9"
    bad = tmp_path / "latin1.txt"
    bad.write_bytes(b"\n".join(lines))
    with pytest.raises(InputError) as caught:
        read_routes([bad])
    assert caught.value.line == 13
    assert "byte 0xe9" in caught.value.reason
    assert "UTF-8" in (caught.value.hint or "")


# ---------------------------------------------------------------------------------------------
# nothing lost


def test_interrupt_half_way_through_a_write_keeps_the_old_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = tmp_path / "report.md"
    old.write_text("the old report\n")
    marker = tmp_path / "marker"
    marker.write_text("v1\n")
    real = os.replace
    calls = {"n": 0}

    def interrupted(src: object, dst: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # after the first file is in place
            raise KeyboardInterrupt
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_many([(old, "new report\n"), (marker, "v2\n")])
    monkeypatch.setattr(os, "replace", real)
    assert old.read_text() == "the old report\n"
    assert marker.read_text() == "v1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["marker", "report.md"]


def test_full_disk_while_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "review.html"
    target.write_text("old\n")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(WriteError, match="No space left on device; the previous files"):
        atomic_write_many([(target, "x" * 1000)])
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["review.html"]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_during_a_run_exits_130_and_says_so(tmp_path: Path, sig: int) -> None:
    """A long review, stopped by a signal: exit status 130, the message, no file written."""
    big = tmp_path / "big.txt"
    line = " *   10.{a}.{b}.0/24       192.0.2.9                0             0 64500 i\n"
    chunk = "".join(line.format(a=i // 256 % 256, b=i % 256) for i in range(65536))
    with big.open("w") as handle:
        handle.write(EXAMPLE.read_text())
        for _ in range(48):  # about 3 million lines: seconds of reading
            handle.write(chunk)
    out = tmp_path / "review.md"
    child = subprocess.Popen(
        [sys.executable, "-m", "routeplan", "review", "--routes", str(big), "--out", str(out)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
        # Python reads every line (the C skimmer would finish before the signal comes)
        env={**os.environ, "ROUTEPLAN_PURE": "1"},
    )
    # signal it while it reads the table, not while Python is still starting (a slow start,
    # under a sanitizer or without bytecode, outlasted a fixed wait)
    deadline = time.monotonic() + 60
    while not _has_open(child.pid, big):
        assert child.poll() is None, "the run ended before it read the table"
        assert time.monotonic() < deadline, "the run never opened the table"
        time.sleep(0.02)
    child.send_signal(sig)
    _, err = child.communicate(timeout=120)
    assert child.returncode == ExitStatus.INTERRUPTED
    assert "interrupted; files being written were left as they were" in err
    assert not out.exists()


def _has_open(pid: int, path: Path) -> bool:
    """Does the process hold ``path`` open (from /proc)?"""
    try:
        fds = list(Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(fd) == str(path):
                return True
        except OSError:
            continue  # closed meanwhile
    return False
