"""Benchmark ``routeplan diff --jobs``: many full-table routers, one job against two.

Every router is the full IPv4 table of benchmarks/fulltable.py (1.05 M prefixes, about
100 MB; one file, read from the page cache by every router, so that the disk does not decide).
``routeplan diff -r r1=TABLE ... -r rN=TABLE`` runs as a new process with ``--jobs 1`` and
with ``--jobs 2``, best of ``--repeat`` runs each, and the two JSON answers must be the same
bytes. Reported: wall time, the speed-up, and the peak memory of the largest process (the
parent or one worker, from wait4: every worker is waited for by the parent).

Target (exit status 1 with ``--check``): ``--jobs 2`` at least 1.8x faster than ``--jobs 1``
on a machine with two or more CPUs.

    python benchmarks/fleet.py [--routers 100] [--repeat 1] [--dir DIR] [--check]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fulltable import generate, run_routeplan  # noqa: E402

TARGET_SPEEDUP = 1.8


def run(table: Path, routers: int, jobs: int) -> tuple[float, float, str]:
    """Wall time, the largest process's peak RSS (MiB) and the SHA-256 of the JSON answer."""
    args = ["diff", "--fail-on", "never"]
    for n in range(routers):
        args += ["-r", f"r{n:03d}={table}"]
    wall, peak, out = run_routeplan([*args, "-o", "json", "--jobs", str(jobs)])
    return wall, peak, hashlib.sha256(out).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--routers", type=int, default=100, help="routers in the fleet")
    parser.add_argument("--repeat", type=int, default=1, help="runs per setting (best is kept)")
    parser.add_argument("--dir", type=Path, default=None, help="where the table is written")
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args()
    directory = args.dir or Path(tempfile.gettempdir()) / "routeplan-bench"
    directory.mkdir(parents=True, exist_ok=True)
    table, _ = generate(directory)
    print(f"{args.routers} routers, each {table} ({table.stat().st_size / 2**20:.0f} MiB)")
    run(table, 2, 1)  # warm-up: bytecode written, the table in the page cache
    results = {}
    for jobs in (1, 2):
        runs = [run(table, args.routers, jobs) for _ in range(args.repeat)]
        results[jobs] = min(runs)
        wall, peak, _ = results[jobs]
        print(f"--jobs {jobs}: {wall:6.1f} s, largest process {peak:5.0f} MiB")
    same = results[1][2] == results[2][2]
    speedup = results[1][0] / results[2][0]
    cpus = os.cpu_count() or 1
    print(f"speed-up of --jobs 2: {speedup:.2f}x (target {TARGET_SPEEDUP}x; {cpus} CPUs here)")
    print("JSON answers: " + ("the same bytes" if same else "DIFFERENT"))
    missed = not same or (cpus >= 2 and speedup < TARGET_SPEEDUP)
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
