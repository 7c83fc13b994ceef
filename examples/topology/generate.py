"""Write the route tables of the topology example (rib/*.txt) from the bundled catalog.

Run from the repository root: ``python examples/topology/generate.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.iosfmt import HEADER, er_prefixes, path_line  # noqa: E402

ER_AMS, ER_FRA = "203.0.113.2", "203.0.113.10"
INET = {"ams": "198.51.100.1", "fra": "198.51.100.5", "nyc": "198.51.100.9"}


def table(er: list[tuple[str, str]], default_hop: str) -> str:
    out = HEADER.format(version=17, router_id="192.0.2.1")
    rows = [("0.0.0.0", default_hop, "64500 i")] + [(n, hop, "12076 i") for n, hop in er]
    rows.sort(key=lambda r: tuple(int(x) for x in r[0].split("/")[0].split(".")))
    for net, hop, path in rows:
        out += path_line("*>", net, hop, None, None, 0, path)
    return out


if __name__ == "__main__":
    rib = Path(__file__).parent / "rib"
    ams = er_prefixes(["12076:5010", "12076:5030", "12076:5100"])
    fra = er_prefixes(["12076:5010", "12076:5100"])
    (rib / "ams-edge.txt").write_text(table([(n, ER_AMS) for n in ams], INET["ams"]))
    (rib / "fra-edge.txt").write_text(table([(n, ER_FRA) for n in fra], INET["fra"]))
    (rib / "nyc-edge.txt").write_text(table([], INET["nyc"]))
    # Rotterdam's default route was learned from New York (a local-preference mistake)
    (rib / "rtm-core.txt").write_text(table([(n, ER_AMS) for n in ams], INET["nyc"]))
    # Munich prefers Amsterdam's circuit for everything (a MED left over from a migration)
    (rib / "muc-core.txt").write_text(table([(n, ER_AMS) for n in ams], INET["fra"]))
