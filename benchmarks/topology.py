"""Scale of the topology check: a generated 500-site, 2,000-link topology.

Reports the time of ``routeplan topology check`` work (load, analyse with every check, one
what-if) against a floor measured in the same run (one multi-source Dijkstra over the same
graph, the least any exit computation can cost), with the peak memory.

    python benchmarks/topology.py            # report
    python benchmarks/topology.py --check    # also fail when the check takes over 5 s
    python benchmarks/topology.py --star 50000 [--check]

``--star N`` runs the whole command (``routeplan topology check``, a new process) on N sites
joined in a star, the shape the hostile-input issue measured (162 s and 518 MiB before the
check was linear), with its peak memory and, as the floor, the time the same process takes
to read the file's lines; ``--check`` fails over 10 s or 200 MiB.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import routeplan  # noqa: E402
from routeplan.topology import analyse, load_topology  # noqa: E402
from routeplan.topology.analysis import graph_of, intended_choices, what_if  # noqa: E402

SITES, LINKS, REGIONS = 500, 2000, 10


def generate(path: Path, seed: int = 7) -> None:
    rng = random.Random(seed)
    lines = ["schema: routeplan/topology/1", "sites:"]
    lines += [f"  - {{name: S{i}, region: r{i % REGIONS}}}" for i in range(SITES)]
    lines.append("routers:")
    routers = []
    for i in range(SITES):
        for kind in ("core", "edge"):
            routers.append(f"s{i}-{kind}")
            lines.append(f"  - {{name: s{i}-{kind}, site: S{i}}}")
    lines.append("links:")
    edges = set()
    for i in range(SITES):  # every site's two routers, and a ring of cores
        edges.add((f"s{i}-core", f"s{i}-edge"))
        edges.add((f"s{i}-core", f"s{(i + 1) % SITES}-core"))
    while len(edges) < LINKS:
        a, b = rng.sample(routers, 2)
        if (a, b) not in edges and (b, a) not in edges:
            edges.add((a, b))
    lines += [f"  - {{a: {a}, b: {b}, cost: {rng.randint(1, 100)}}}" for a, b in sorted(edges)]
    lines.append("circuits:")
    selections = ["[12076:5010, 12076:5030, 12076:5100]", "[12076:5010, 12076:5100]"]
    for c in range(8):
        site = c * SITES // 8
        lines.append(
            f"  - {{name: er{c}, routers: [s{site}-edge], communities: {selections[c % 2]}}}"
        )
    lines.append("breakouts:")
    lines += [f"  - {{name: inet{b}, router: s{b * SITES // 20 + 3}-edge}}" for b in range(20)]
    path.write_text("\n".join(lines) + "\n")


_CHILD = (
    "import re, sys, time\n"
    "start = time.perf_counter()\n"
    "from routeplan.cli import main\n"
    "status = main(sys.argv[1:])\n"
    "wall = time.perf_counter() - start\n"
    "peak = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)\n"
    "sys.stderr.write(f'\\nMEASURED {wall} {peak}\\n')\n"
    "sys.exit(status)\n"
)
_FLOOR = "import sys, time\nstart = time.perf_counter()\nsum(1 for _ in open(sys.argv[1]))\n"


def star_topology(sites: int) -> str:
    """A topology of ``sites`` sites joined in a star around r0, which holds the one circuit
    and the one breakout (losing r0 cuts every site off)."""
    lines = ["schema: routeplan/topology/1", "sites:"]
    lines += [f"  - {{name: S{i}, region: r{i % 3}}}" for i in range(sites)]
    lines.append("routers:")
    lines += [f"  - {{name: r{i}, site: S{i}}}" for i in range(sites)]
    lines.append("links:")
    lines += [f"  - {{a: r0, b: r{i}, cost: 1}}" for i in range(1, sites)]
    lines += ["circuits:", "  - {name: er0, routers: [r0], communities: [12076:5010]}"]
    lines += ["breakouts:", "  - {name: inet0, router: r0}"]
    return "\n".join(lines) + "\n"


def star(sites: int, check: bool) -> int:
    """The whole command on a star of ``sites`` sites, in a child process."""
    import subprocess  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "star.yaml"
        path.write_text(star_topology(sites))
        size = path.stat().st_size
        args = ["--no-user-catalog", "topology", "check", str(path), "-o", "json"]
        subprocess.run([sys.executable, "-c", "import routeplan.cli"], check=True)  # bytecode
        runs = []
        for _ in range(3):
            done = subprocess.run(
                [sys.executable, "-c", _CHILD, *args], capture_output=True, text=True, check=False
            )
            wall, peak = done.stderr.rpartition("MEASURED ")[2].split()
            runs.append((float(wall), int(peak) / 1024))
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", _FLOOR, str(path)], check=True)
        floor = time.perf_counter() - start
    wall, peak = min(runs)
    print(f"star of {sites:,} sites ({size / 2**20:.1f} MiB of YAML)")
    print(
        f"routeplan topology check -o json: {wall:.2f} s (best of 3), peak {peak:.0f} MiB; "
        f"floor (a new Python reading the file's lines): {floor:.2f} s = {wall / floor:.0f}x"
    )
    if check and (wall > 10 or peak > 200):
        print("FAIL: over 10 s or 200 MiB", file=sys.stderr)
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="fail above the targets")
    parser.add_argument("--star", type=int, metavar="N", help="the whole command on N sites")
    args = parser.parse_args()
    if args.star:
        return star(args.star, args.check)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "topology.yaml"
        generate(path)
        view = routeplan.catalog_view(routeplan.load_catalog(include_user=False))

        def work() -> tuple[Any, Any, list[Any]]:
            topo = load_topology(path)
            analysis = analyse(topo, view, with_tables=False)
            intended = intended_choices(topo, analysis.services, analysis.carried)
            moves = what_if(topo, analysis.services, analysis.carried, intended, "circuit:er0")
            return topo, analysis, moves

        start = time.perf_counter()
        topo, analysis, moves = work()
        elapsed = time.perf_counter() - start
        tracemalloc.start()  # a second run for memory: tracing slows it down
        work()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        g = graph_of(topo)
        sources = [c.routers[0] for c in topo.circuits]
        floor_start = time.perf_counter()
        nx.multi_source_dijkstra(g, sources, weight="weight")
        floor = time.perf_counter() - floor_start
    print(
        f"topology: {len(topo.sites)} sites, {len(topo.routers)} routers, {len(topo.links)} "
        f"links, {len(topo.circuits)} circuits, {len(topo.breakouts)} breakouts"
    )
    print(
        f"check + one what-if: {elapsed:.2f} s ({len(analysis.findings)} findings, "
        f"{len(moves)} moves); peak memory {peak / 2**20:.1f} MiB"
    )
    print(
        f"floor (one multi-source Dijkstra): {floor * 1000:.1f} ms; "
        f"check = {elapsed / floor:.0f}x the floor"
    )
    if args.check and elapsed > 5:
        print("FAIL: over 5 s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
