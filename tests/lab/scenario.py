"""What the lab's stand-ins announce, and the edge's configuration: routeplan's own rendering
(through the command line, as a user runs it) plus the glue docs/plan.md asks a user to write.

msee announces every ExpressRoute-eligible prefix of the bundled catalog with the service
communities the catalog says carry it (``CatalogView.carried_by``), and an Azure regional
route (12076:51004) over an Internet-only prefix; as Microsoft's route filter does, it sends
only the routes with an allowed community (the selection, and the regional one). isp announces
a default route, 2,000 ordinary IPv4 and IPv6 routes, and more-specifics inside Microsoft
space with AS 8075 in their path.
"""

from __future__ import annotations

import ipaddress
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import routeplan
from routeplan.catalog.query import CatalogView, Verdict
from tests.lab.labnet import EDGE_AS, ISP_AS, LINKS, MSEE_AS, Announce

REGIONAL = "12076:51004"
"""An Azure regional community (West Europe); the edge must never accept what it carries."""
ADVERTISE = ["198.51.99.0/24", "192.0.3.128/25", "2001:678:fe0::/48", "10.20.0.0/16", "0.0.0.0/0"]
"""The NAT pools given to ``--advertise``: two public IPv4, one public IPv6, a private one and a
default route (the last two must never be announced)."""
PUBLIC_ADVERTISED = {"198.51.99.0/24", "192.0.3.128/25", "2001:678:fe0::/48"}


@dataclass(frozen=True)
class World:
    """The routes of the stand-ins, and the addresses whose exit the lab checks."""

    msee: tuple[Announce, ...]
    isp: tuple[Announce, ...]
    regional: Announce
    inside_er: tuple[str, ...]
    """More-specifics of ExpressRoute prefixes that both msee and isp announce (``le 32``)."""


def catalog_routes(view: CatalogView) -> dict[str, tuple[str, ...]]:
    """Every ExpressRoute-eligible catalog prefix with the communities that carry it."""
    out: dict[str, set[str]] = {}
    for es in view.snapshot.endpoint_sets:
        if not es.express_route:
            continue
        for prefix in es.prefixes:
            communities, _ = view.carried_by(es, prefix)
            if communities:
                out.setdefault(str(prefix), set()).update(str(c) for c in communities)
    return {p: tuple(sorted(c)) for p, c in out.items()}


def world(view: CatalogView, plan: routeplan.Plan) -> World:
    er = catalog_routes(view)
    msee = [Announce(p, c) for p, c in sorted(er.items())]
    internet_only = [
        e.prefix
        for e in plan.entries
        if e.decision.verdict is Verdict.INTERNET_ONLY and e.prefix.version == 4
    ]
    target = ipaddress.ip_network(str(internet_only[0]))
    regional = Announce(str(target.supernet(new_prefix=min(16, target.prefixlen))), (REGIONAL,))
    msee.append(regional)
    # more-specifics inside ExpressRoute prefixes, from msee (with the prefix's communities)
    # and from isp (AS 8075 behind it): only `le 32` lets the ExpressRoute one in
    inside = []
    per_family = {4: 0, 6: 0}
    planned = [
        ipaddress.ip_network(str(e.prefix))
        for e in plan.entries
        if e.decision.verdict is Verdict.EXPRESSROUTE
    ]
    for prefix, communities in sorted(er.items()):
        net = ipaddress.ip_network(prefix)
        room = 24 if net.version == 4 else 48
        if not any(n.version == net.version and net.subnet_of(n) for n in planned):  # type: ignore[arg-type]
            continue  # not on ExpressRoute for this selection
        if net.prefixlen <= room - 2 and per_family[net.version] < 2:
            per_family[net.version] += 1
            sub = str(next(net.subnets(new_prefix=room)))
            inside.append(sub)
            msee.append(Announce(sub, communities))
    isp = [Announce("0.0.0.0/0"), Announce("::/0")]
    isp += [Announce(f"45.{i >> 8}.{i & 255}.0/24", (), (64700 + i % 50,)) for i in range(2000)]
    isp += [
        Announce(str(ipaddress.ip_network(f"2a0b:{i:x}::/32")), (), (64700 + i % 50,))
        for i in range(2000)
    ]
    isp += [Announce(sub, (), (8075,)) for sub in inside]
    return World(tuple(msee), tuple(isp), regional, tuple(inside))


def render(workdir: Path, vendor: str, communities: Sequence[str]) -> str:
    """``routeplan plan --vendor VENDOR --advertise nat-pools.txt``, run as a user runs it."""
    nat = workdir / "nat-pools.txt"
    nat.write_text("\n".join(ADVERTISE) + "\n")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "routeplan",
            "--no-user-catalog",
            "plan",
            "--communities",
            ",".join(communities),
            "--vendor",
            vendor,
            "--advertise",
            str(nat),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise AssertionError(f"routeplan plan failed: {done.stderr}")
    return done.stdout


def _originated() -> tuple[list[str], list[str]]:
    """The NAT pools the edge itself originates (not the default route: it comes from isp)."""
    pools = [p for p in ADVERTISE if p not in ("0.0.0.0/0", "::/0")]
    return [p for p in pools if ":" not in p], [p for p in pools if ":" in p]


def frr_config(rendered: str) -> str:
    """The rendered FRR configuration with the glue: neighbours, ASN, the NAT pools."""
    m4, m6 = LINKS["msee"][1], LINKS["msee"][3]
    i4, i6 = LINKS["isp"][1], LINKS["isp"][3]
    v4, v6 = _originated()
    glue = [
        "frr defaults traditional",
        "hostname edge",
        "!",
        rendered,
        "!",
        f"router bgp {EDGE_AS}",
        f" bgp router-id {LINKS['msee'][0]}",
        " no bgp ebgp-requires-policy",
        " no bgp network import-check",
    ]
    for peer, asn in ((m4, MSEE_AS), (m6, MSEE_AS), (i4, ISP_AS), (i6, ISP_AS)):
        glue += [
            f" neighbor {peer} remote-as {asn}",
            f" neighbor {peer} timers 3 9",
            f" neighbor {peer} timers connect 1",
        ]
    glue += [" address-family ipv4 unicast"]
    glue += [f"  network {p}" for p in v4]
    glue += [
        f"  neighbor {m4} route-map M365-ER-IN in",
        f"  neighbor {m4} route-map M365-ER-OUT out",
        f"  neighbor {i4} route-map M365-ER-OUT out",
        f"  no neighbor {m6} activate",
        f"  no neighbor {i6} activate",
        " exit-address-family",
        " address-family ipv6 unicast",
    ]
    glue += [f"  network {p}" for p in v6]
    glue += [
        f"  neighbor {m6} activate",
        f"  neighbor {m6} route-map M365-ER-IN in",
        f"  neighbor {m6} route-map M365-ER-OUT out",
        f"  neighbor {i6} activate",
        f"  neighbor {i6} route-map M365-ER-OUT out",
        " exit-address-family",
        "!",
    ]
    return "\n".join(glue) + "\n"


def bird_config(rendered: str) -> str:
    """The rendered BIRD filters with the glue: protocols, kernel export, the NAT pools."""
    e4, m4, e6, m6 = LINKS["msee"]
    ie4, i4, ie6, i6 = LINKS["isp"]
    v4, v6 = _originated()
    out = [
        f"router id {e4};",
        rendered,
        "protocol device {}",
        "protocol kernel k4 { ipv4 { export all; }; }",
        "protocol kernel k6 { ipv6 { export all; }; }",
        "protocol static nat4 { ipv4; " + " ".join(f"route {p} blackhole;" for p in v4) + " }",
        "protocol static nat6 { ipv6; " + " ".join(f"route {p} blackhole;" for p in v6) + " }",
    ]
    for name, local, remote, asn, fam, inbound in (
        ("msee4", e4, m4, MSEE_AS, 4, "filter M365_ER_IN"),
        ("msee6", e6, m6, MSEE_AS, 6, "filter M365_ER_IN"),
        ("isp4", ie4, i4, ISP_AS, 4, "all"),
        ("isp6", ie6, i6, ISP_AS, 6, "all"),
    ):
        out += [
            f"protocol bgp {name} {{",
            f"  local {local} as {EDGE_AS};",
            f"  neighbor {remote} as {asn};",
            "  connect delay time 1; connect retry time 1; error wait time 1, 2; hold time 9;",
            f"  ipv{fam} {{ import {inbound}; export filter M365_ER_OUT; }};",
            "}",
        ]
    return "\n".join(out) + "\n"
