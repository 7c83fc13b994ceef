"""Write the before/after route tables of the cut-over example (see README.md here), and the
clean table of the NetBox example (examples/netbox/edge1-ok.txt).

Run from the repository root: ``python examples/review/generate.py``. The tables are committed;
this script documents how they were made and rebuilds them from the bundled catalog.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.iosfmt import HEADER, er_prefixes, path_line  # noqa: E402

PRIMARY = "203.0.113.2"  # Microsoft's side of the primary link (Microsoft peering)
SECONDARY = "203.0.113.6"  # and of the secondary link
ISP = "198.51.100.1"
SUMMARY = "40.96.0.0/12"  # a static summary towards ExpressRoute, redistributed into BGP
FORGOTTEN = "40.104.0.0/15"  # learned only through the summary


def table(networks: list[str], summary: bool, drop: str | None = FORGOTTEN) -> str:
    out = HEADER.format(version=4711, router_id="192.0.2.1")
    rows = [("0.0.0.0", "*>", ISP, 0, None, 0, "64500 i")]
    if summary:
        rows.append((SUMMARY, "*>", PRIMARY, 0, None, 32768, "?"))
    for net in networks:
        if net == drop:
            continue
        rows.append((net, "*>", PRIMARY, None, None, 0, "12076 i"))
        rows.append((net, "*", SECONDARY, None, None, 0, "12076 i"))
    rows.sort(key=lambda r: (tuple(int(x) for x in r[0].split("/")[0].split(".")), r[1] != "*>"))
    last = None
    for net, status, hop, metric, locprf, weight, path in rows:
        shown = net if net != last else ""
        out += path_line(status, shown, hop, metric, locprf, weight, path)
        last = net
    return out


if __name__ == "__main__":
    here = Path(__file__).parent
    before = er_prefixes(["12076:5010", "12076:5030", "12076:5100"])
    after = er_prefixes(["12076:5010", "12076:5020", "12076:5030", "12076:5100"])
    (here / "before-edge1.txt").write_text(table(before, summary=True))
    (here / "after-edge1.txt").write_text(table(after, summary=False))
    # the same router, done right: every selected prefix learned from Microsoft
    netbox = here.parent / "netbox"
    (netbox / "edge1-ok.txt").write_text(table(before, summary=False, drop=None))
