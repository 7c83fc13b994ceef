"""Redraw the pictures the docs show, from the examples, as the commands draw them:

- docs/topology-example.svg: `routeplan topology check examples/topology/topology.yaml`
- docs/topology-whatif-er-ams.svg: `routeplan review --topology ... --fail circuit:er-ams`
- docs/review-chart.svg: the chart of the cut-over review (docs/review.md)

Run it after changing how a picture is drawn, then review the pictures like golden files
(`git diff`, and open them): tests/test_doc_pictures.py fails while a committed picture is not
what the commands draw.

    python tools/doc_pictures.py [--check]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2025-12-20"
"""The day the examples are judged on (tests/helpers.py uses the same), so that a catalog's age
in a picture does not change with the calendar."""


def pictures() -> dict[Path, str]:
    """Each docs picture and what the commands draw for it now."""
    os.environ["ROUTEPLAN_TODAY"] = TODAY
    sys.path.insert(0, str(ROOT))
    from routeplan import catalog_view, load_catalog  # noqa: PLC0415
    from routeplan.commands import review_change  # noqa: PLC0415
    from routeplan.report.review import chart_svg  # noqa: PLC0415
    from routeplan.report.topology import topology_svg  # noqa: PLC0415
    from routeplan.topology.analysis import analyse, intended_choices, what_if  # noqa: PLC0415
    from routeplan.topology.model import load_topology  # noqa: PLC0415

    here = Path.cwd()
    os.chdir(ROOT)  # the examples name their files relative to the repository
    try:
        topo = load_topology(Path("examples/topology/topology.yaml"))
        view = catalog_view(load_catalog(include_user=False), topo.instance)
        check = analyse(topo, view)
        plain = analyse(topo, view, with_tables=False)
        intended = intended_choices(topo, plain.services, plain.carried)
        failed = "circuit:er-ams"
        moves = what_if(topo, plain.services, plain.carried, intended, failed)
        review = review_change(
            load_catalog(include_user=False),
            before=[Path("examples/review/before-edge1.txt")],
            after=[Path("examples/review/after-edge1.txt")],
            communities=["12076:5010", "12076:5030", "12076:5100"],
            communities_after=["12076:5010", "12076:5020", "12076:5030", "12076:5100"],
        )
        return {
            ROOT / "docs" / "topology-example.svg": topology_svg(check),
            ROOT / "docs" / "topology-whatif-er-ams.svg": topology_svg(plain, moves, failed),
            ROOT / "docs" / "review-chart.svg": chart_svg(review.services) + "\n",
        }
    finally:
        os.chdir(here)


def main(argv: list[str]) -> int:
    stale = []
    for path, drawn in pictures().items():
        if path.exists() and path.read_text(encoding="utf-8") == drawn:
            continue
        if "--check" in argv:
            stale.append(path.relative_to(ROOT))
        else:
            path.write_text(drawn, encoding="utf-8")
            print(f"redrew {path.relative_to(ROOT)}: review it before committing")
    if stale:
        print("not what the commands draw: " + ", ".join(map(str, stale)), file=sys.stderr)
        print("run: python tools/doc_pictures.py, then review the pictures", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
