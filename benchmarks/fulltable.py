"""Benchmark ``routeplan diff`` on a full Internet table, against a floor and a peer.

Generates, deterministically, a Cisco IOS ``show ip bgp`` table of about 1.05 M IPv4 prefixes
and a ``show bgp ipv6 unicast`` table of about 230 k IPv6 prefixes, 1.4 M paths in all
(~124 MiB), with the layouts real routers print (classful networks without a mask, wrapped IPv4
and IPv6 networks, long IPv6 next hops with their numbers on the next line, three-line
entries, further paths), the Microsoft 365 prefixes learned from AS 12076 and an Internet
default: one router's two tables. Then reports, from one run on this machine (each
measurement repeated five times, interleaved, the best kept):

- the floor: Python merely reading the files' lines;
- starting up: ``routeplan diff`` of the table's first 40 lines;
- ``routeplan diff`` on both files: wall time and peak memory (a child process each run), as
  built (with the C skimmer when the install could compile it) and with ``ROUTEPLAN_PURE=1``
  (as installed without a C compiler);
- the peer: TextFSM with the ntc-templates ``cisco_ios show ip bgp`` template on a 100 k-path
  slice of the same IPv4 text.

Targets (exit status 1 with ``--check`` when one is missed), from the performance issue: the
diff within 5x the floor; at least 150x faster per path than the peer, per path meaning after
starting up (the diff's time less the 40-line diff's, over the paths; TextFSM's time over the
rows it parsed, its template already compiled); peak memory under 100 MiB; pure Python within
12x the floor.

``routeplan diff`` runs as users run it: a new process each time, with Python's bytecode cache
written (one warm-up run first), as after ``pip install``.

    pip install -e '.[bench]'
    python benchmarks/fulltable.py [--dir DIR] [--check]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from iosfmt import HEADER, path_line  # noqa: E402

from routeplan.rib.base import classful_length  # noqa: E402

V4_PREFIXES = 1_050_000
V6_PREFIXES = 230_000
EXTRA_PATHS = 120_000
PEER_PATHS = 100_000
LONG_HOP6 = "2001:DB8:1234:5678::1299"
LAYOUT_VERSION = "v3"
"""Part of the tables' file names: a new layout never reads an old cached table."""
TARGET_FLOOR_RATIO = 5.0
TARGET_PEER_RATIO = 150.0
TARGET_PEAK_MIB = 100.0
TARGET_PURE_RATIO = 12.0
REPEAT = 5
"""Runs of each measurement; the best is kept."""


def _catalog_prefixes() -> tuple[list[str], list[str]]:
    from routeplan.catalog import load_catalog, select_view  # noqa: PLC0415

    view = select_view(load_catalog(include_user=False), "Worldwide")
    split = view.split(view.selection())
    v4 = [str(e.prefix) for e in split.expressroute if e.prefix.version == 4]
    v6 = [str(e.prefix) for e in split.expressroute if e.prefix.version == 6]
    return v4, v6


def _v4_text(value: int, length: int) -> str:
    """An IPv4 network as IOS prints it: without a mask when the mask is the classful one."""
    dotted = f"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}"
    return dotted if length == classful_length(dotted) else f"{dotted}/{length}"


def generate(directory: Path) -> tuple[Path, Path]:
    """Write the two tables (kept between runs: the same seed gives the same bytes).

    The layouts real routers print: classful networks without a mask (about one IPv4 line in
    twelve), IPv4 networks too long for their column (wrapped: the path on the next line),
    IPv6 networks of /48 too long for theirs (most IPv6 entries), IPv6 next hops too long for
    theirs (a third: the numbers on the next line), so that a wrapped network with a long next
    hop takes three lines; further paths under a network."""
    v4_file = directory / f"full-show-ip-bgp-{LAYOUT_VERSION}.txt"
    v6_file = directory / f"full-show-bgp-ipv6-{LAYOUT_VERSION}.txt"
    if v4_file.exists() and v6_file.exists():
        return v4_file, v6_file
    rng = random.Random(2026)
    er4, er6 = _catalog_prefixes()
    asns = [rng.randrange(1000, 400000) for _ in range(5000)]

    def path() -> str:
        return " ".join(str(rng.choice(asns)) for _ in range(rng.randrange(1, 6))) + " i"

    nets4: dict[str, int] = {}
    while len(nets4) < V4_PREFIXES:
        a, b, c = rng.randrange(1, 224), rng.randrange(256), rng.randrange(256)
        length = rng.choice((24, 24, 24, 24, 23, 22, 21, 20, 19, 16, 8, 25, 26, 27, 28))
        if length == 8 and rng.random() < 0.98:
            length = 24  # /8s are rare in a real table
        value = ((a << 24) | (b << 16) | (c << 8) | rng.randrange(256)) & ~(
            (1 << (32 - length)) - 1
        )
        nets4.setdefault(_v4_text(value, length), value)
    nets6: set[str] = set()
    while len(nets6) < V6_PREFIXES:
        length = rng.choice((32, 36, 40, 44, 48, 48, 48, 48))
        third = f":{rng.randrange(0x10000) & ~((1 << (48 - length)) - 1):x}" if length > 32 else ""
        first = f"2{rng.randrange(0x400, 0xA10):03x}:{rng.randrange(0x10000):x}"
        nets6.add(f"{first}{third}::/{length}")
    extra = EXTRA_PATHS / (V4_PREFIXES + V6_PREFIXES)
    for nets, er, out, hop, default in (
        (sorted(nets4, key=nets4.__getitem__), er4, v4_file, "203.0.113.1", "0.0.0.0"),
        (sorted(nets6), er6, v6_file, "2001:DB8:FFFF::1", "::/0"),
    ):
        with out.open("w", encoding="ascii") as handle:
            handle.write(HEADER.format(version=884213, router_id="10.0.0.1"))
            handle.write(path_line("*>", default, hop, None, None, 0, "64496 i"))
            for net in er:
                handle.write(path_line("*>", net, "192.0.2.1", None, None, 0, "12076 i"))
            ers = set(er)
            for net in nets:
                if net in ers:
                    continue
                # a third of IPv6 next hops are too long for their column: IOS puts the
                # numbers on the next line (the reader issue's full-table shape)
                via = LONG_HOP6 if ":" in hop and rng.random() < 1 / 3 else hop
                handle.write(path_line("*>", net, via, 0, 100, 0, path()))
                if rng.random() < extra:
                    handle.write(path_line("*", "", via, 0, 90, 0, path()))
    return v4_file, v6_file


def _tiny(directory: Path, table: Path) -> Path:
    """The first routes of a table: a run that only starts up."""
    tiny = directory / "tiny.txt"
    lines: list[str] = []
    with table.open(encoding="utf-8") as handle:
        for line in handle:
            if len(lines) >= 40 and line.startswith(" *"):
                break  # cut before a route, not between a long network and its path
            lines.append(line)
    tiny.write_text("".join(lines))
    return tiny


def floor(files: list[Path]) -> float:
    start = time.perf_counter()
    for f in files:
        with f.open(encoding="utf-8") as handle:
            for _ in handle:
                pass
    return time.perf_counter() - start


_MEASURE = """\
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(f"{time.perf_counter() - start} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""
"""Runs a command and writes its wall time and peak RSS (KiB). Linux counts in a child's peak
the memory of the process it was spawned from (the peak of the image exec replaced), so a
benchmark that holds a large table would inflate every figure; this small process is the one
routeplan is spawned from."""


def run_routeplan(
    args: list[str], env_extra: dict[str, str] | None = None
) -> tuple[float, float, bytes]:
    """Wall time, peak RSS (MiB) and standard output of one ``routeplan ARGS`` run, in a new
    process as users run it (Python's bytecode cache written). The peak is the largest of the
    process and the workers it waited for. A failed run ends the benchmark with its standard
    error."""
    command = [sys.executable, "-m", "routeplan", "--no-user-catalog", *args]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(env_extra or {})
    with tempfile.TemporaryDirectory() as tmp:
        measured = Path(tmp) / "measured"
        out, err = Path(tmp) / "out", Path(tmp) / "err"
        with out.open("wb") as stdout, err.open("wb") as stderr:
            code = subprocess.call(
                [sys.executable, "-c", _MEASURE, str(measured), *command],
                stdout=stdout,
                stderr=stderr,
                env=env,
            )
        if code != 0:
            raise SystemExit(
                f"routeplan {' '.join(args)} failed ({code}):\n{err.read_text(errors='replace')}"
            )
        wall, peak_kib = measured.read_text().split()
        return float(wall), int(peak_kib) / 1024, out.read_bytes()


def run_diff(files: list[Path], *, pure: bool = False) -> tuple[float, float, str]:
    """Wall time, peak RSS (MiB) and the summary line of one ``routeplan diff`` run."""
    args = ["diff", "--fail-on", "never"]
    for f in files:
        args += ["--routes", f"edge={f}"]  # one router's IPv4 and IPv6 tables
    wall, peak, out = run_routeplan(args, {"ROUTEPLAN_PURE": "1" if pure else "0"})
    return wall, peak, out.decode().strip().splitlines()[-1]


def peer(v4_file: Path) -> tuple[float, int]:
    """TextFSM + ntc-templates on a slice of PEER_PATHS paths: seconds and paths parsed."""
    import os  # noqa: PLC0415

    import ntc_templates  # noqa: PLC0415
    import textfsm  # noqa: PLC0415

    template = Path(os.path.dirname(ntc_templates.__file__)) / "templates"
    lines = []
    with v4_file.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            lines.append(line)
            if n > PEER_PATHS + 10:
                break
    text = "".join(lines)
    with (template / "cisco_ios_show_ip_bgp.textfsm").open() as handle:
        fsm = textfsm.TextFSM(handle)
    start = time.perf_counter()
    rows = fsm.ParseText(text)
    return time.perf_counter() - start, len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=None, help="where the tables are written")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    directory = args.dir or Path(tempfile.gettempdir()) / "routeplan-bench"
    directory.mkdir(parents=True, exist_ok=True)
    print(f"tables in {directory} (generated once, deterministic)", flush=True)
    files = list(generate(directory))
    size = sum(f.stat().st_size for f in files) / 2**20
    paths = sum(1 for f in files for line in f.open() if line.startswith(" *"))

    tiny = [_tiny(directory, files[0])]
    run_diff(tiny)  # writes the bytecode cache
    # interleaved, best of each: a machine busy for a moment slows one run, not one kind
    floors, starts, diffs, pures = [], [], [], []
    for _ in range(REPEAT):
        floors.append(floor(files))
        starts.append(run_diff(tiny)[0])
        diffs.append(run_diff(files))
        pures.append(run_diff(files, pure=True))
    floor_s, start_s = min(floors), min(starts)
    diff_s, peak_mib, summary = min(diffs)
    pure_s, pure_peak, _ = min(pures)
    peer_s, peer_paths = peer(files[0])
    per_path_peer = peer_s / peer_paths
    per_path = max(diff_s - start_s, 1e-9) / paths
    per_path_pure = max(pure_s - start_s, 1e-9) / paths

    from routeplan.rib import bgptable  # noqa: PLC0415

    build = "with the C skimmer" if bgptable.SKIM_C is not None else "pure Python (no C skimmer)"
    print(f"build: {build}")
    print(f"input: {size:.0f} MiB, {paths:,} paths")
    print(f"floor (read lines):      {floor_s:7.2f} s")
    print(f"starting up (40 lines):  {start_s:7.2f} s")
    print(f"routeplan diff:          {diff_s:7.2f} s  peak {peak_mib:.0f} MiB  ({summary})")
    print(f"  with ROUTEPLAN_PURE=1: {pure_s:7.2f} s  peak {pure_peak:.0f} MiB")
    print(
        f"peer (TextFSM):          {peer_s:7.2f} s for {peer_paths:,} paths "
        f"({per_path_peer * 1e6:.1f} us/path vs {per_path * 1e6:.3f} us/path)"
    )
    print()
    # (name, this build, target text, met?, the same ratio for pure Python)
    peer_ratio = per_path_peer / per_path
    results = [
        ("diff / floor", diff_s / floor_s, f"<= {TARGET_FLOOR_RATIO:g}x",
         diff_s / floor_s <= TARGET_FLOOR_RATIO, pure_s / floor_s),
        ("peer / diff per path", peer_ratio, f">= {TARGET_PEER_RATIO:g}x",
         peer_ratio >= TARGET_PEER_RATIO, per_path_peer / per_path_pure),
        ("peak memory MiB", peak_mib, f"< {TARGET_PEAK_MIB:g}", peak_mib < TARGET_PEAK_MIB,
         pure_peak),
        ("pure diff / floor", pure_s / floor_s, f"<= {TARGET_PURE_RATIO:g}x",
         pure_s / floor_s <= TARGET_PURE_RATIO, pure_s / floor_s),
    ]  # fmt: skip
    print(f"{'':<22} {'this build':>10}   {'target':<16} {'pure Python':>11}")
    for name, value, target, ok, pure in results:
        print(f"{name:<22} {value:10.1f}   {target:<9} {'ok' if ok else 'MISSED':<6} {pure:11.1f}")
    missed = not all(r[3] for r in results)
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
