"""Other BGP daemons as the lab's edge, to capture their structured output: GoBGP (``gobgpd``)
and OpenBGPD (``bgpd``), both from Debian. They take every route the stand-ins send (no
routeplan configuration: what is tested here is that routeplan reads their output exactly).

Each daemon runs in the edge's namespace, started by :meth:`Lab.spawn` (its PID is kept and it
is stopped when the lab closes, also on failure); OpenBGPD installs nothing in the kernel
(``fib-update no``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from tests.lab.labnet import EDGE_AS, ISP_AS, LINKS, MSEE_AS, Lab, wait_for

PEER_DAEMONS = {"gobgp": ("gobgpd", "gobgp"), "openbgpd": ("bgpd", "bgpctl")}
"""Each daemon and the tools it needs."""


def missing(kind: str) -> list[str]:
    return [t for t in PEER_DAEMONS[kind] if shutil.which(t) is None]


def _neighbors() -> list[tuple[str, int, int]]:
    """(address, AS, family) of each stand-in session."""
    out = []
    for role, asn in (("msee", MSEE_AS), ("isp", ISP_AS)):
        _, p4, _, p6 = LINKS[role]
        out += [(p4, asn, 4), (p6, asn, 6)]
    return out


def start_gobgp(lab: Lab) -> None:
    conf = ["[global.config]", f"  as = {EDGE_AS}", f'  router-id = "{LINKS["msee"][0]}"', ""]
    for address, asn, fam in _neighbors():
        conf += [
            "[[neighbors]]",
            "  [neighbors.config]",
            f'    neighbor-address = "{address}"',
            f"    peer-as = {asn}",
            "  [[neighbors.afi-safis]]",
            "    [neighbors.afi-safis.config]",
            f'      afi-safi-name = "ipv{fam}-unicast"',
            "",
        ]
    path = lab.workdir / "gobgpd.toml"
    path.write_text("\n".join(conf))
    lab.spawn(
        "edge", "gobgpd", "-f", str(path), "-t", "toml", "--api-hosts", "127.0.0.1:50051",
        log=lab.workdir / "gobgpd.log",
    )  # fmt: skip

    def established() -> bool:
        return lab.exec("edge", "gobgp", "neighbor", check=False).count("Establ") == 4

    wait_for("GoBGP's four sessions", established, timeout=60)


def start_openbgpd(lab: Lab) -> Path:
    """Start bgpd; its control socket's path."""
    Path("/run/openbgpd").mkdir(parents=True, exist_ok=True)  # its privilege-separated chroot
    sock = lab.workdir / "bgpd.sock"
    conf = [f"AS {EDGE_AS}", f"router-id {LINKS['msee'][0]}", f'socket "{sock}"', "fib-update no"]
    for address, asn, _ in _neighbors():
        conf += [f"neighbor {address} {{", f"  remote-as {asn}", "}"]
    conf += ["allow from any", "deny to any"]
    path = lab.workdir / "bgpd.conf"
    path.write_text("\n".join(conf) + "\n")
    os.chmod(path, 0o600)  # bgpd refuses a configuration others can read
    lab.spawn("edge", "bgpd", "-d", "-f", str(path), log=lab.workdir / "bgpd.log")
    wait_for("bgpd's control socket", sock.exists, timeout=20)

    def established() -> bool:
        out = lab.exec("edge", "bgpctl", "-s", str(sock), "show", "summary", check=False)
        rows = [ln for ln in out.splitlines()[1:] if ln.strip()]
        return len(rows) == 4 and all(ln.split()[-1].isdigit() for ln in rows)

    wait_for("OpenBGPD's four sessions", established, timeout=60)
    return sock


def capture(lab: Lab, kind: str) -> dict[str, str]:
    """What the daemon prints for its RIB: name -> text."""
    if kind == "gobgp":
        return {
            f"gobgp-global-rib-ipv{fam}.json": lab.exec(
                "edge", "gobgp", "global", "rib", "-a", f"ipv{fam}", "-j"
            )
            for fam in (4, 6)
        }
    sock = str(lab.workdir / "bgpd.sock")
    return {
        "bgpctl-show-rib.txt": lab.exec("edge", "bgpctl", "-s", sock, "show", "rib"),
        "bgpctl-show-rib.json": lab.exec("edge", "bgpctl", "-j", "-s", sock, "show", "rib"),
        "bgpctl-show-rib-detail.json": lab.exec(
            "edge", "bgpctl", "-j", "-s", sock, "show", "rib", "detail"
        ),
    }
