"""Benchmark ``routeplan diff`` on the other route-table formats, against each file's floor.

For each format family measured here, a table of ``--routes`` routes (default 1 M) is written
deterministically, as the router or tool prints it (the Microsoft 365 prefixes from AS 12076,
an Internet default, the rest random), and ``routeplan diff`` reads it as a new process. Each is
also read at a quarter of the size, so that the peak memory's growth with the table shows.
Reported per format: the floor (Python reading the file's lines), the diff's wall time and its
ratio to the floor, the peak memory at both sizes.

Targets (exit status 1 with ``--check``): within 10x the floor; peak memory independent of the
table size (the larger table's peak at most 1.25x the smaller's, plus 8 MiB).

Families measured (``--only`` picks some): text, a line per route (Cisco IOS ``show ip
route``, OpenBGPD ``bgpctl show rib``) or a block of lines (NX-OS ``show ip route``, BIRD
``show route all``, Junos ``show route``, the Azure PowerShell record list); JSON as each tool
prints it (FRR, EOS, Junos, Genie, NX-OS and OpenBGPD indented, Azure CLI, GoBGP, SuzieQ and
Batfish on one line, NAPALM as json.dump writes it, routeplan's generic JSON a route a line);
the generic CSV (docs/diff.md, "Scale"). The Cisco-style BGP tables: benchmarks/fulltable.py.

    python benchmarks/formats.py [--routes 1000000] [--dir DIR] [--check] [--only NAME]
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import random
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fulltable import _catalog_prefixes, floor, run_routeplan  # noqa: E402

TARGET_FLOOR_RATIO = 10.0
TARGET_GROWTH = 1.25
TARGET_GROWTH_SLACK_MIB = 8.0


def _networks(count: int, seed: int) -> Iterator[tuple[str, str, str]]:
    """(network, next hop, AS path) for ``count`` routes: the catalog's ExpressRoute prefixes
    from AS 12076 first, a default, then random /24../16 networks."""
    rng = random.Random(seed)
    er4, _ = _catalog_prefixes()
    yield "0.0.0.0/0", "203.0.113.1", "64496"
    for net in er4:
        yield net, "192.0.2.1", "12076"
    seen = {int(ipaddress.IPv4Network(net).network_address) for net in er4}
    made = 1 + len(er4)
    while made < count:
        length = rng.choice((24, 24, 24, 23, 22, 20, 16))
        value = rng.randrange(1 << 24, 224 << 24) & ~((1 << (32 - length)) - 1)
        if value in seen:
            continue
        seen.add(value)
        made += 1
        dotted = f"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.0"
        path = " ".join(str(rng.randrange(1000, 400000)) for _ in range(rng.randrange(1, 5)))
        yield f"{dotted}/{length}", "203.0.113.1", path


def ios_route(out: Path, count: int) -> None:
    with out.open("w", encoding="ascii") as f:
        f.write(
            "Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP\n"
            "       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area\n\n"
            "Gateway of last resort is 203.0.113.1 to network 0.0.0.0\n\n"
        )
        for net, hop, _ in _networks(count, 1):
            star = "*" if net == "0.0.0.0/0" else " "
            f.write(f"B{star}       {net} [20/0] via {hop}, 1w2d\n")


def junos_route(out: Path, count: int) -> None:
    """As Junos prints ``show route`` (brief): a destination, its AS path, its next hop."""
    with out.open("w", encoding="ascii") as f:
        f.write("\ninet.0: 1000000 destinations, 1000000 routes (1000000 active, 0 holddown)\n")
        f.write("+ = Active Route, - = Last Active, * = Both\n\n")
        for net, hop, path in _networks(count, 9):
            f.write(
                f"{net:<19}*[BGP/170] 1w2d 03:04:05, localpref 100, from {hop}\n"
                f"                      AS path: {path} I, validation-state: unverified\n"
                f"                    >  to {hop} via ae1.100\n"
            )


def nxos_route(out: Path, count: int) -> None:
    """As NX-OS prints ``show ip route``: a destination line and its via line."""
    with out.open("w", encoding="ascii") as f:
        f.write('IP Route Table for VRF "default"\n')
        f.write("'*' denotes best ucast next-hop\n'**' denotes best mcast next-hop\n")
        f.write("'[x/y]' denotes [preference/metric]\n'%<string>' in via output denotes VRF\n\n")
        for net, hop, path in _networks(count, 10):
            f.write(
                f"{net}, ubest/mbest: 1/0\n"
                f"    *via {hop}, [20/0], 1w2d, bgp-65000, external, tag {path.split()[0]}\n"
            )


def bird(out: Path, count: int) -> None:
    with out.open("w", encoding="ascii") as f:
        f.write("BIRD 2.0.12 ready.\nTable master4:\n")
        for net, hop, path in _networks(count, 2):
            peer = "msee1" if path == "12076" else "isp1"
            f.write(
                f"{net:<20} unicast [{peer} 2026-11-20 08:17:33 from {hop}] * (100) "
                f"[AS{path.split()[-1]}i]\n"
                f"\tvia {hop} on eth0\n\tType: BGP univ\n\tBGP.origin: IGP\n"
                f"\tBGP.as_path: {path}\n\tBGP.next_hop: {hop}\n\tBGP.local_pref: 100\n"
            )


def frr_json(out: Path, count: int) -> None:
    with out.open("w", encoding="ascii") as f:
        f.write('{\n "vrfId": 0,\n "vrfName": "default",\n "routerId": "10.0.0.41",\n')
        f.write(' "localAS": 65000,\n "routes": {')
        for k, (net, hop, path) in enumerate(_networks(count, 3)):
            address, length = net.split("/")
            entry = {
                "valid": True,
                "bestpath": True,
                "pathFrom": "external",
                "prefix": address,
                "prefixLen": int(length),
                "network": net,
                "metric": 0,
                "weight": 0,
                "peerId": hop,
                "path": path,
                "origin": "IGP",
                "nexthops": [{"ip": hop, "afi": "ipv4", "used": True}],
            }
            f.write(("," if k else "") + f"\n{json.dumps(net)}: [{json.dumps(entry)}]")
        f.write("\n }\n}\n")


def eos_json(out: Path, count: int) -> None:
    """As EOS prints ``show ip bgp | json``: indented, an entry over many lines."""
    with out.open("w", encoding="ascii") as f:
        f.write('{\n    "vrfs": {\n        "default": {\n            "routerId": "10.0.0.41",\n')
        f.write('            "vrf": "default",\n            "asn": "65000",\n')
        f.write('            "bgpRouteEntries": {')
        for k, (net, hop, path) in enumerate(_networks(count, 5)):
            address, length = net.split("/")
            entry = {
                "address": address,
                "maskLength": int(length),
                "bgpRoutePaths": [
                    {
                        "nextHop": hop,
                        "asPathEntry": {"asPathType": None, "asPath": f"{path} i"},
                        "importedEvpnRoute": False,
                        "routeType": {"valid": True, "active": True, "ecmpHead": False},
                        "localPreference": 100,
                        "med": 0,
                        "weight": 0,
                        "peerEntry": {"peerRouterId": hop, "peerAddr": hop},
                    }
                ],
                "totalPaths": 1,
            }
            body = json.dumps(entry, indent=4).replace("\n", "\n" + " " * 16)
            f.write(("," if k else "") + f"\n                {json.dumps(net)}: {body}")
        f.write("\n            }\n        }\n    }\n}\n")


def azure_json(out: Path, count: int) -> None:
    """As the Azure CLI prints ``list-route-tables``: ``{"value": [...]}``, indented by 2."""
    with out.open("w", encoding="ascii") as f:
        f.write('{\n  "nextLink": null,\n  "value": [')
        for k, (net, hop, path) in enumerate(_networks(count, 6)):
            row = {"locPrf": "", "network": net, "nextHop": hop, "path": path, "weight": 0}
            body = json.dumps(row, indent=2).replace("\n", "\n    ")
            f.write(("," if k else "") + f"\n    {body}")
        f.write("\n  ]\n}\n")


def generic_json(out: Path, count: int) -> None:
    """routeplan's generic JSON as a script writes it: a route a line."""
    with out.open("w", encoding="ascii") as f:
        f.write('{"schema": "routeplan/routes/1", "routes": [')
        for k, (net, hop, path) in enumerate(_networks(count, 7)):
            route = {"prefix": net, "next_hop": hop, "as_path": path, "local_pref": 100}
            f.write(("," if k else "") + "\n" + json.dumps(route))
        f.write("\n]}\n")


def junos_json(out: Path, count: int) -> None:
    """As Junos prints ``show route | display json``: every leaf a list of ``{"data": ...}``,
    indented by 4."""

    def data(value: str) -> list[dict[str, str]]:
        return [{"data": value}]

    with out.open("w", encoding="ascii") as f:
        f.write('{\n"route-information" : [\n{\n    "route-table" : [\n    {\n')
        f.write('        "table-name" : [{"data" : "inet.0"}],\n        "rt" : [')
        for k, (net, hop, path) in enumerate(_networks(count, 8)):
            rt = {
                "rt-destination": data(net),
                "rt-entry": [
                    {
                        "active-tag": data("*"),
                        "current-active": [{"data": [None]}],
                        "protocol-name": data("BGP"),
                        "preference": data("170"),
                        "age": data("1w2d 03:04:05"),
                        "local-preference": data("100"),
                        "learned-from": data(hop),
                        "as-path": data(f"AS path: {path} I"),
                        "nh": [{"to": data(hop), "via": data("ae1.100")}],
                    }
                ],
            }
            body = json.dumps(rt, indent=4).replace("\n", "\n        ")
            f.write(("," if k else "") + f"\n        {body}")
        f.write("\n        ]\n    }\n    ]\n}\n]\n}\n")


def gobgp_json(out: Path, count: int) -> None:
    """As ``gobgp global rib -j`` prints it: one line of JSON, keyed by network."""
    with out.open("w", encoding="ascii") as f:
        f.write("{")
        for k, (net, hop, path) in enumerate(_networks(count, 11)):
            attrs = [
                {"type": 1, "value": 0},
                {"type": 2, "as_paths": [{"segment_type": 2, "num": 1,
                                          "asns": [int(a) for a in path.split()]}]},
                {"type": 3, "nexthop": hop},
            ]  # fmt: skip
            paths = [{"nlri": {"prefix": net}, "age": 1796610531, "best": True,
                      "attrs": attrs, "stale": False, "neighbor-ip": hop}]  # fmt: skip
            f.write(
                ("," if k else "")
                + json.dumps(net)
                + ":"
                + json.dumps(paths, separators=(",", ":"))
            )
        f.write("}\n")


def napalm_json(out: Path, count: int) -> None:
    """As ``json.dump(get_route_to(), indent=4)`` writes NAPALM's result."""
    with out.open("w", encoding="ascii") as f:
        f.write("{")
        for k, (net, hop, path) in enumerate(_networks(count, 12)):
            entries = [
                {
                    "protocol": "eBGP",
                    "current_active": True,
                    "last_active": True,
                    "age": 1209600,
                    "next_hop": hop,
                    "outgoing_interface": "",
                    "selected_next_hop": True,
                    "preference": 20,
                    "inactive_reason": "",
                    "routing_table": "default",
                    "protocol_attributes": {
                        "local_as": 65000,
                        "remote_as": int(path.split()[0]),
                        "peer_id": hop,
                        "as_path": path,
                        "communities": [],
                        "local_preference": 100,
                        "preference2": -101,
                        "metric": 0,
                        "metric2": 0,
                        "remote_address": hop,
                    },
                }
            ]
            body = json.dumps(entries, indent=4).replace("\n", "\n    ")
            f.write(("," if k else "") + f"\n    {json.dumps(net)}: {body}")
        f.write("\n}\n")


def generic_csv(out: Path, count: int) -> None:
    with out.open("w", encoding="ascii") as f:
        f.write("prefix,next_hop,as_path,communities,local_pref,metric,best,valid,protocol\n")
        for net, hop, path in _networks(count, 4):
            f.write(f"{net},{hop},{path},,100,0,true,true,bgp\n")


def openbgpd(out: Path, count: int) -> None:
    """As ``bgpctl show rib`` prints it: the legend, the header, a row per path."""
    with out.open("w", encoding="ascii") as f:
        f.write(
            "flags: * = Valid, > = Selected, I = via IBGP, A = Announced,\n"
            "       S = Stale, E = Error\n"
            "origin validation state: N = not-found, V = valid, ! = invalid\n"
            "origin: i = IGP, e = EGP, ? = Incomplete\n\n"
            "flags ovs destination          gateway          lpref   med aspath origin\n"
        )
        for net, hop, path in _networks(count, 13):
            f.write(f"*>      N {net:<18} {hop:<15} {100:>6} {0:>5} {path} i\n")


def openbgpd_json(out: Path, count: int) -> None:
    """As ``bgpctl -j show rib`` prints it: ``{"rib": [...]}``, indented by one space."""
    with out.open("w", encoding="ascii") as f:
        f.write('{\n "rib": [')
        for k, (net, hop, path) in enumerate(_networks(count, 14)):
            entry = {
                "prefix": net,
                "aspath": path,
                "exit_nexthop": hop,
                "true_nexthop": hop,
                "neighbor": {"remote_addr": hop, "bgp_id": hop},
                "valid": True,
                "best": True,
                "source": "external",
                "ovs": "not-found",
                "origin": "IGP",
                "metric": 0,
                "localpref": 100,
                "weight": 0,
                "dmetric": 5,
                "last_update": "00:00:02",
                "last_update_sec": 2,
            }
            body = json.dumps(entry, indent=1).replace("\n", "\n  ")
            f.write(("," if k else "") + f"\n  {body}")
        f.write("\n ]\n}\n")


def genie_json(out: Path, count: int) -> None:
    """As ``genie parse "show ip bgp" --output DIR`` writes it: the BGP table model, keys
    sorted, indented by 2 (a path under ``index``)."""
    with out.open("w", encoding="ascii") as f:
        f.write('{\n  "vrf": {\n    "default": {\n      "address_family": {\n')
        f.write('        "ipv4 unicast": {\n          "routes": {')
        for k, (net, hop, path) in enumerate(_networks(count, 15)):
            paths = {
                "1": {
                    "localpref": 100,
                    "metric": 0,
                    "next_hop": hop,
                    "origin_codes": "i",
                    "path": path,
                    "status_codes": "*>",
                    "weight": 0,
                }
            }
            body = json.dumps({"index": paths}, indent=2, sort_keys=True)
            body = body.replace("\n", "\n            ")
            f.write(("," if k else "") + f"\n            {json.dumps(net)}: {body}")
        f.write("\n          }\n        }\n      }\n    }\n  }\n}\n")


def nxos_json(out: Path, count: int) -> None:
    """As NX-OS prints ``show ip bgp vrf all | json``: NX-API's TABLE_/ROW_ nesting,
    indented by 2, a prefix row with its path rows."""
    with out.open("w", encoding="ascii") as f:
        f.write(
            '{\n  "TABLE_vrf": {\n    "ROW_vrf": [\n      {\n        "vrf-name-out": "default",\n'
            '        "TABLE_afi": {\n          "ROW_afi": {\n            "afi": "1",\n'
            '            "TABLE_safi": {\n              "ROW_safi": {\n'
            '                "safi": "1",\n'
            '                "af-name": "IPv4 Unicast",\n                "TABLE_rd": {\n'
            '                  "ROW_rd": {\n                    "TABLE_prefix": {\n'
            '                      "ROW_prefix": ['
        )
        for k, (net, hop, path) in enumerate(_networks(count, 16)):
            row = {
                "ipprefix": net,
                "TABLE_path": {
                    "ROW_path": {
                        "pathnr": "0",
                        "status": "valid",
                        "best": "bestpath",
                        "type": "external",
                        "statuscode": "*",
                        "bestcode": ">",
                        "typecode": "e",
                        "ipnexthop": hop,
                        "weight": "0",
                        "origin": "i",
                        "metric": "",
                        "localpref": "100",
                        "aspath": path,
                    }
                },
            }
            body = json.dumps(row, indent=2).replace("\n", "\n                        ")
            f.write(("," if k else "") + f"\n                        {body}")
        f.write("\n                      ]\n" + "}\n" * 8 + "    ]\n  }\n}\n")


def suzieq_json(out: Path, count: int) -> None:
    """As ``suzieq-cli route show --format=json`` prints it: one line, a record per route."""
    with out.open("w", encoding="ascii") as f:
        f.write("[")
        for k, (net, hop, _) in enumerate(_networks(count, 17)):
            record = {
                "namespace": "lab",
                "hostname": "edge01",
                "vrf": "default",
                "prefix": net,
                "nexthopIps": [hop],
                "oifs": ["Ethernet1"],
                "protocol": "bgp",
                "source": "",
                "preference": 20,
                "ipvers": 4,
                "action": "forward",
                "timestamp": 1733500000000,
            }
            f.write(("," if k else "") + json.dumps(record, separators=(",", ":")))
        f.write("]\n")


def batfish_json(out: Path, count: int) -> None:
    """As ``bf.q.bgpRib(nodes=...).answer().frame().to_json(orient="records")`` writes it:
    one line, a row per route."""
    with out.open("w", encoding="ascii") as f:
        f.write("[")
        for k, (net, hop, path) in enumerate(_networks(count, 18)):
            row = {
                "Node": "edge1",
                "VRF": "default",
                "Network": net,
                "Next_Hop": {"type": "ip", "ip": hop},
                "Next_Hop_IP": hop,
                "Protocol": "bgp",
                "AS_Path": path,
                "Status": ["BEST"],
                "Local_Pref": 100,
                "Metric": 0,
                "Communities": [],
                "Received_From_IP": hop,
            }
            f.write(("," if k else "") + json.dumps(row, separators=(",", ":")))
        f.write("]\n")


def azure_ps(out: Path, count: int) -> None:
    """As PowerShell prints ``Get-AzExpressRouteCircuitRouteTable``: a list of records, a
    ``Name : value`` line each, a blank line between."""
    with out.open("w", encoding="ascii") as f:
        for net, hop, path in _networks(count, 19):
            f.write(
                f"LocPrf  : 100\nNetwork : {net}\nNextHop : {hop}\nPath    : {path}\n"
                "Weight  : 0\n\n"
            )


FAMILIES: dict[str, tuple[str, Callable[[Path, int], None], str]] = {
    "ios-route": ("Cisco IOS show ip route", ios_route, "txt"),
    "bird": ("BIRD show route all", bird, "txt"),
    "junos-route": ("Junos show route", junos_route, "txt"),
    "nxos-route": ("Cisco NX-OS show ip route", nxos_route, "txt"),
    "frr-json": ("FRR show bgp json", frr_json, "json"),
    "eos-json": ("Arista EOS show ip bgp | json", eos_json, "json"),
    "azure-json": ("Azure route table JSON", azure_json, "json"),
    "generic-json": ("generic JSON", generic_json, "json"),
    "junos-json": ("Junos show route | display json", junos_json, "json"),
    "gobgp-json": ("GoBGP global rib -j", gobgp_json, "json"),
    "napalm-json": ("NAPALM get_route_to", napalm_json, "json"),
    "generic-csv": ("generic CSV", generic_csv, "csv"),
    "openbgpd": ("OpenBGPD bgpctl show rib", openbgpd, "txt"),
    "openbgpd-json": ("OpenBGPD bgpctl -j show rib", openbgpd_json, "json"),
    "genie-json": ("Cisco Genie show ip bgp", genie_json, "json"),
    "nxos-json": ("Cisco NX-OS show ip bgp | json", nxos_json, "json"),
    "suzieq-json": ("SuzieQ route show", suzieq_json, "json"),
    "batfish-json": ("Batfish bgpRib()", batfish_json, "json"),
    "azure-ps": ("Azure PowerShell route table", azure_ps, "txt"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--routes", type=int, default=1_000_000, help="routes per table")
    parser.add_argument("--dir", type=Path, default=None, help="where the tables are written")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--only", choices=sorted(FAMILIES), action="append", help="one family")
    args = parser.parse_args()
    directory = args.dir or Path(tempfile.gettempdir()) / "routeplan-bench"
    directory.mkdir(parents=True, exist_ok=True)
    missed = False
    print(
        f"{'format':<26} {'MiB':>5} {'floor':>7} {'diff':>7} {'ratio':>6}   "
        f"{'peak (1/4)':>10} {'peak':>6}"
    )
    for name in args.only or list(FAMILIES):
        title, write, ext = FAMILIES[name]
        tables = []
        for count in (args.routes // 4, args.routes):
            table = directory / f"formats-{name}-{count}.{ext}"
            if not table.exists():
                part = table.with_suffix(".part")
                write(part, count)
                part.rename(table)
            tables.append(table)
        small, large = tables
        run = ["diff", "--fail-on", "never", "--max-catalog-age", "0", "--format", name]
        run_routeplan([*run, "--routes", str(small)])  # bytecode written, page cache warm
        floor_s = min(floor([large]) for _ in range(3))
        _, small_peak, _ = run_routeplan([*run, "--routes", str(small)])
        size = large.stat().st_size / 2**20
        try:
            wall, peak, _ = min(run_routeplan([*run, "--routes", str(large)]) for _ in range(2))
        except SystemExit as refused:  # a reader that refuses the table (read whole, too big)
            reason = str(refused).splitlines()[1] if "\n" in str(refused) else str(refused)
            print(f"{title:<26} {size:5.0f} {floor_s:6.2f}s  MISSED: {reason}", flush=True)
            missed = True
            continue
        ratio = wall / floor_s
        bounded = peak <= small_peak * TARGET_GROWTH + TARGET_GROWTH_SLACK_MIB
        ok = ratio <= TARGET_FLOOR_RATIO and bounded
        missed |= not ok
        print(
            f"{title:<26} {size:5.0f} {floor_s:6.2f}s {wall:6.2f}s {ratio:5.1f}x   "
            f"{small_peak:8.0f} MiB {peak:4.0f} MiB  {'ok' if ok else 'MISSED'}"
            + ("" if bounded else " (memory grows with the table)"),
            flush=True,
        )
    print(
        f"\ntargets: within {TARGET_FLOOR_RATIO:g}x the floor; peak memory independent of the "
        f"table size (at most {TARGET_GROWTH:g}x the quarter table's "
        f"+ {TARGET_GROWTH_SLACK_MIB:g} MiB)"
    )
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
