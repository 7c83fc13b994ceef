"""Benchmark ``routeplan review`` of two full tables against ``routeplan diff`` of one.

Both snapshots are the full IPv4 and IPv6 tables of benchmarks/fulltable.py (1.4 M paths); the
after side's IPv4 table lacks every route inside 52.96.0.0/14 (Exchange), so that the review
has route changes on Microsoft 365 prefixes to compare and report. Each
command runs as users run it (a new process, Python's bytecode cache written, one warm-up run
first), best of ``--repeat`` runs; reported: wall time, peak memory, and the ratio.

Target (exit status 1 with ``--check``): the review within 2x the time of one diff.

    python benchmarks/review.py [--repeat 3] [--dir DIR] [--check]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fulltable import generate, run_routeplan  # noqa: E402

TARGET_RATIO = 2.0


def _after_side(v4: Path, directory: Path) -> Path:
    """The IPv4 table without the routes inside 52.96.0.0/14 (Exchange)."""
    after = directory / f"{v4.stem}-after.txt"  # named after the table it is made from
    if not after.exists():
        drop = re.compile(r"^\s*\*>?\s*52\.(9[6-9])\.")
        with v4.open(encoding="utf-8") as src, after.open("w", encoding="utf-8") as out:
            out.writelines(line for line in src if not drop.match(line))
    return after


def run(args: list[str]) -> tuple[float, float]:
    """Wall time and peak RSS (MiB) of one ``routeplan`` run."""
    wall, peak, _ = run_routeplan([*args, "--fail-on", "never", "--max-catalog-age", "0"])
    return wall, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per command (best is kept)")
    parser.add_argument("--dir", type=Path, default=None, help="where the tables are written")
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    args = parser.parse_args()
    directory = args.dir or Path(tempfile.gettempdir()) / "routeplan-bench"
    directory.mkdir(parents=True, exist_ok=True)
    v4, v6 = generate(directory)
    after = _after_side(v4, directory)
    diff = ["diff", "-r", f"edge={v4}", "-r", f"edge={v6}"]
    review = ["review", "--before", f"edge={v4}", "--before", f"edge={v6}",
              "--after", f"edge={after}", "--after", f"edge={v6}"]  # fmt: skip
    run(diff)  # warm-up: bytecode written, the tables in the page cache
    results = {}
    for name, command in (("diff (one snapshot)", diff), ("review (two snapshots)", review)):
        results[name] = min(run(command) for _ in range(args.repeat))
        wall, peak = results[name]
        print(f"{name:<24} {wall:6.2f} s   peak {peak:5.0f} MiB")
    ratio = results["review (two snapshots)"][0] / results["diff (one snapshot)"][0]
    print(f"review / diff: {ratio:.2f}x (target at most {TARGET_RATIO:g}x)")
    return 1 if args.check and ratio > TARGET_RATIO else 0


if __name__ == "__main__":
    raise SystemExit(main())
