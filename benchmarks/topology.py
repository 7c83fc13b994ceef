"""Scale of the topology check: a generated 500-site, 2,000-link topology.

Reports the time of ``routeplan topology check`` work (load, analyse with every check, one
what-if) against a floor measured in the same run (one multi-source Dijkstra over the same
graph, the least any exit computation can cost), with the peak memory.

    python benchmarks/topology.py            # report
    python benchmarks/topology.py --check    # also fail when the check takes over 5 s
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="fail above 5 seconds")
    args = parser.parse_args()
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
