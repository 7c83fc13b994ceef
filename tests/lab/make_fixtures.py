"""Turn the lab's captures of the edge's RIB into reader fixtures (tests/fixtures/rib/).

Run the lab first (``python -m pytest tests/lab``: the captures land in
test-artifacts/lab/<daemon>/good/), then ``python tests/lab/make_fixtures.py``. Each capture is
cut to the routes that matter (every route from the Microsoft stand-in, the default route, the
NAT pools, and the first three of the transit's 2,000 ordinary routes per family), whole
entries only, the daemon's own lines unchanged; then ``tests/fixtures/rib/regen.py`` writes the
expected parse, which the lab test ``test_the_daemons_output_reads_back_as_announced`` has
already checked against what the stand-ins announced. The files are listed with their origin
in tests/fixtures/rib/lab-captures.yaml.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CAPTURES = ROOT / "test-artifacts" / "lab"
FIXTURES = ROOT / "tests" / "fixtures" / "rib"
ORDINARY = re.compile(r"^(45\.\d+\.\d+\.0/24|2a0b:[0-9a-f]*::/32)$")
KEEP_ORDINARY = 3


def _keep(prefix: str, ordinary_seen: list[str]) -> bool:
    if not ORDINARY.match(prefix):
        return True
    if len(ordinary_seen) < KEEP_ORDINARY:
        ordinary_seen.append(prefix)
        return True
    return False


def frr_json(text: str) -> str:
    doc = json.loads(text)
    seen: list[str] = []
    doc["routes"] = {p: paths for p, paths in doc["routes"].items() if _keep(p, seen)}
    doc.pop("totalRoutes", None)
    doc.pop("totalPaths", None)
    return json.dumps(doc, indent=1) + "\n"


def frr_text(text: str) -> str:
    """Whole entries of an FRR ``show bgp`` table: a line starting with a status and a
    network opens one; further paths and continuation lines belong to it."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("Network"))
    out = lines[: start + 1]
    seen: list[str] = []
    keep = True
    for line in lines[start + 1 :]:
        if line.startswith("Displayed"):
            break
        first = line[3:].split(" ", 1)[0] if line[:1] in "*sdhrSR" else ""
        if "/" in first:
            keep = _keep(first, seen)
        if keep:
            out.append(line)
    return "\n".join(out).rstrip("\n") + "\n"


def bird_text(text: str) -> str:
    """Whole route blocks of ``birdc show route all``: a line at the left margin opens one."""
    out: list[str] = []
    seen: list[str] = []
    keep = True
    for line in text.splitlines():
        if line.startswith(("BIRD ", "Table ")):
            out.append(line)
            keep = True
            continue
        if line and not line[0].isspace():
            keep = _keep(line.split(" ", 1)[0], seen)
        if keep:
            out.append(line)
    return "\n".join(out) + "\n"


def gobgp_json(text: str) -> str:
    doc = json.loads(text)
    seen: list[str] = []
    return json.dumps({p: paths for p, paths in doc.items() if _keep(p, seen)}, indent=1) + "\n"


def openbgpd_json(text: str) -> str:
    doc = json.loads(text)
    seen: list[str] = []
    kept, last = [], None
    for entry in doc["rib"]:
        if entry["prefix"] != last:
            keep, last = _keep(entry["prefix"], seen), entry["prefix"]
        if keep:
            kept.append(entry)
    return json.dumps({"rib": kept}, indent=1) + "\n"


def openbgpd_text(text: str) -> str:
    out: list[str] = []
    seen: list[str] = []
    last, keep = None, True
    for line in text.splitlines():
        words = line.split()
        network = next((w for w in words if "/" in w), None)
        if network is None or line.startswith("flags"):
            out.append(line)
            continue
        if network != last:
            keep, last = _keep(network, seen), network
        if keep:
            out.append(line)
    return "\n".join(out) + "\n"


JOBS = [
    ("frr/good/bgp-ipv4.json", "frr-json/lab-edge-bgp-ipv4.json", frr_json),
    ("frr/good/bgp-ipv6.json", "frr-json/lab-edge-bgp-ipv6.json", frr_json),
    ("frr/good/bgp-ipv4.txt", "frr-bgp/lab-edge-bgp-ipv4.txt", frr_text),
    ("frr/good/bgp-ipv6.txt", "frr-bgp/lab-edge-bgp-ipv6.txt", frr_text),
    ("bird/good/bird-route-all.txt", "bird/lab-edge-route-all.txt", bird_text),
    ("gobgp/readback/gobgp-global-rib-ipv4.json", "gobgp-json/lab-gobgp-ipv4.json", gobgp_json),
    ("gobgp/readback/gobgp-global-rib-ipv6.json", "gobgp-json/lab-gobgp-ipv6.json", gobgp_json),
    ("openbgpd/readback/bgpctl-show-rib.txt", "openbgpd/lab-bgpctl-show-rib.txt", openbgpd_text),
    (
        "openbgpd/readback/bgpctl-show-rib.json",
        "openbgpd-json/lab-bgpctl-show-rib.json",
        openbgpd_json,
    ),
    (
        "openbgpd/readback/bgpctl-show-rib-detail.json",
        "openbgpd-json/lab-bgpctl-show-rib-detail.json",
        openbgpd_json,
    ),
]


def main() -> int:
    only = sys.argv[1:]  # daemons to redo (frr, bird, gobgp, openbgpd); all by default
    for source, target, cut in JOBS:
        if only and source.split("/")[0] not in only:
            continue
        captured = CAPTURES / source
        if not captured.exists():
            print(f"{captured}: missing; run the lab first (python -m pytest tests/lab)")
            return 1
        path = FIXTURES / target
        path.parent.mkdir(exist_ok=True)
        path.write_text(cut(captured.read_text()))
        print(f"{path.relative_to(ROOT)}: {len(path.read_text().splitlines())} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
