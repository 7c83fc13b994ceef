"""The line skimmers of ``show ip route`` (IOS, IOS-XR, EOS, FRR), NX-OS, BIRD, Junos, OpenBGPD
and the generic CSV (``route_skim``, ``nxos_skim``, ``bird_skim``, ``junos_skim``,
``openbgpd_skim``, ``csv_skim`` in routeplan/rib/_skim.c) change how fast a table is read,
never what is read.

One harness for all of them: every fixture and public sample of each reader, generated tables
of each layout (further paths and entries, wrapped and continued lines, sections that are not
read, rows each reader refuses, prefixes not written plainly) and hypothesis mutations of
them are read alike with the skimmer and with Python reading every line (an install without
a C compiler), in blocks of several sizes: the same routes with their lines, counts, skipped
lines, sections and errors. And each skimmer is shown to pass over most of a plain table (it
does skim, not only agree)."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routeplan.catalog.query import CatalogView
from routeplan.errors import InputError
from routeplan.model import parse_prefix
from routeplan.rib import (
    azure_ps,
    bird,
    generic_csv,
    ios_route,
    junos_route,
    nxos_route,
    openbgpd,
    read_routes,
)
from routeplan.rib.base import Interest
from tests.helpers import ROOT, SHARED_DATA
from tests.mutations import mutate


@pytest.fixture(autouse=True)
def _built() -> None:
    if ios_route.ROUTE_SKIM is None:
        if os.environ.get("ROUTEPLAN_PURE") == "1":
            pytest.skip("ROUTEPLAN_PURE=1 turns the C skimmers off")
        if os.environ.get("ROUTEPLAN_REQUIRE_SKIM") == "1":
            pytest.fail("ROUTEPLAN_REQUIRE_SKIM=1 but the C skimmer is not built")
        pytest.skip("the C skimmer is not built (no compiler, or ROUTEPLAN_PURE=1)")


@dataclass(frozen=True)
class Reader:
    """A reader with a C skimmer: where the skimmer is (``module.attr``), its fixtures and
    public samples, a table generator, and a plain table with the least the skimmer must pass
    over in it."""

    format: str
    module: ModuleType
    attr: str
    fixtures: str
    samples: tuple[tuple[str, str], ...]
    generate: Callable[[CatalogView, int, int], str]
    plain: Callable[[], str]
    least: int
    lenient: bool = False

    def inputs(self) -> list[Path]:
        folder = ROOT / "tests" / "fixtures" / "rib" / self.fixtures
        paths = sorted(p for p in folder.iterdir() if not p.name.endswith(".yaml"))
        for directory, pattern in self.samples:
            where = SHARED_DATA / "rib-samples" / directory
            if where.is_dir():
                paths += sorted(p for p in where.glob(pattern) if p.is_file())
        return paths

    def outcome(self, path: Path, interest: Interest, *, skim: Any, block: int) -> Any:
        """What reading ``path`` gives with the skimmer ``skim`` (None: Python reads every
        line) in blocks of ``block`` characters."""
        saved = getattr(self.module, self.attr), self.module.BLOCK
        setattr(self.module, self.attr, skim)
        self.module.BLOCK = block
        try:
            [rib] = read_routes(
                [path], format_name=self.format, interest=interest, lenient=self.lenient
            )
        except InputError as exc:
            return ("error", str(exc))
        finally:
            setattr(self.module, self.attr, saved[0])
            self.module.BLOCK = saved[1]
        routes = [(r.to_record(), r.line) for r in rib.routes]
        return routes, rib.counts, rib.skipped, rib.host_bits, rib.sections_skipped

    def same(self, path: Path, interest: Interest, block: int) -> None:
        built = getattr(self.module, self.attr)
        pure = self.outcome(path, interest, skim=None, block=block)
        fast = self.outcome(path, interest, skim=built, block=block)
        # bytes that do not decode: reading line by line decodes ahead, so an error on a line
        # just before them may come second; both ways the file is refused
        decoding = any(isinstance(o, tuple) and "cannot be decoded" in o[1] for o in (pure, fast))
        if not (decoding and isinstance(pure, tuple) and isinstance(fast, tuple)):
            assert fast == pure, path


def _own_interest(text: str) -> Interest:
    """Some of the file's own networks and one of its next hops, so that lines that matter
    and lines that do not alternate."""
    prefixes, hop = [], None
    for n, line in enumerate(text.splitlines()):
        for word in line.replace(",", " ").split():
            try:
                prefix = parse_prefix(word, mask_host=True)
            except InputError:
                continue
            if n % 3 == 0 and prefix.length >= 16:
                prefixes.append(prefix)
            elif hop is None and "/" not in word and n % 5 == 0:
                hop = word
    return Interest(prefixes, markers=("12076", *([hop] if hop else [])))


# ---------------------------------------------------------------------------------------------
# Each reader's tables

HEADERS = {
    "ios": "Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP\n"
    "       o - ODR, P - periodic downloaded static route, H - NHRP, l - LISP\n\n"
    "Gateway of last resort is 203.0.113.1 to network 0.0.0.0\n\n",
    "frr": "Codes: K - kernel route, C - connected, S - static, R - RIP,\n"
    "       O - OSPF, I - IS-IS, B - BGP, E - EIGRP, N - NHRP,\n"
    "       > - selected route, * - FIB route, q - queued, r - rejected, b - backup\n\n",
    "eos": "VRF: default\nCodes: C - connected, S - static, K - kernel,\n"
    "       O - OSPF, IA - OSPF inter area, E1 - OSPF external type 1,\n"
    "       B E - eBGP, B I - iBGP\n\n",
}


def _table(worldwide: CatalogView, seed: int, size: int, style: str) -> str:
    """A routing table as ``style`` prints it: plain routes, ECMP next hops on their own lines,
    subnetted headers, routes to interfaces, connected routes, wrapped IOS-XR ones."""
    rng = random.Random(seed)
    catalog = [str(p) for p in worldwide.entries if p.version == 4]
    out = [HEADERS[style]]
    for _ in range(size):
        kind = rng.randrange(12)
        if kind == 0:
            net = rng.choice(catalog)
        elif kind == 1:
            net = "0.0.0.0/0"
        else:
            net = f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.0/24"
        hop = rng.choice(("203.0.113.1", "192.0.2.9", "10.1.1.1"))
        code = {"ios": rng.choice(("B ", "B*", "O ", "S ", "i L1")), "frr": "B>*",
                "eos": rng.choice((" B E", " B I", " O", " S"))}[style]  # fmt: skip
        if kind == 2:  # a subnetted header and networks without their mask
            base = f"{rng.randrange(1, 224)}.{rng.randrange(256)}"
            out.append(f"      {base}.0.0/16 is variably subnetted, 2 subnets, 2 masks\n")
            out.append(f"{code}       {base}.1.0 [20/0] via {hop}, 1w2d\n")
            out.append(f"{code}       {base}.2.0 [20/0] via {hop}, 1w2d\n")
        elif kind == 3:  # ECMP: the further next hops on their own lines
            out.append(f"{code}       {net} [20/0] via {hop}, 1w2d\n")
            out.append(f"                [20/0] via 192.0.2.77, 1w2d\n")  # noqa: F541
        elif kind == 4:
            out.append(f"S        {net} is directly connected, Null0\n")
        elif kind == 5:
            out.append(f"C        {net} is directly connected,\n                 00:05:52, Lo0\n")
        else:
            out.append(f"{code}       {net} [20/0] via {hop}, 1w2d, GigabitEthernet0/1\n")
    return "".join(out)


def _csv_table(worldwide: CatalogView, seed: int, size: int) -> str:
    rng = random.Random(seed)
    catalog = [str(p) for p in worldwide.entries]
    columns = ["prefix", "next_hop", "as_path", "local_pref"]
    rng.shuffle(columns)
    out = [",".join(columns) + "\n"]
    for _ in range(size):
        kind = rng.randrange(14)
        net = {
            0: rng.choice(catalog),
            1: "0.0.0.0/0",
            2: f"2a0{rng.randrange(10)}:{rng.randrange(65536):x}::/48",
            3: rng.choice((":1::/64", "1:2::3::/64", "10.0.0.1/8", "10.0.0.0", "300.1.1.0/24")),
        }.get(kind, f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.0/24")
        row = {
            "prefix": f" {net} " if kind == 4 else net,
            "next_hop": rng.choice(("192.0.2.1", "192.0.2.9", "2001:db8::1")),
            "as_path": rng.choice(("64500 3356", "12076", "174")),
            "local_pref": rng.choice(("100", "", "x")),
        }
        line = ",".join(row[c] for c in columns)
        if kind == 5:
            line = f'"{line}"'
        elif kind == 6:
            line = "# " + line
        elif kind == 7:
            line = ",,,"
        elif kind == 8:
            line += ",extra"
        out.append(line + "\n")
    return "".join(out)


def _bird_table(worldwide: CatalogView, seed: int, size: int) -> str:
    """BIRD ``show route all``: further paths, long attribute lines, Table and blank lines,
    the brief form, paths from AS 12076 or through a next hop the policy names."""
    rng = random.Random(seed)
    catalog = [str(p) for p in worldwide.entries]
    out = ["BIRD 2.0.12 ready.\nTable master4:\n"]
    for _ in range(size):
        kind = rng.randrange(10)
        net = (
            rng.choice(catalog)
            if kind == 0
            else f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.0/24"
        )
        if kind == 1:
            net = f"2a0{rng.randrange(10)}:{rng.randrange(65536):x}::/48"
        hop = rng.choice(("203.0.113.1", "192.0.2.9", "10.1.1.1"))
        path = rng.choice(("64500 3356", "12076", "174 1299"))
        sep = rng.choice((" ", "\t"))
        out.append(f"{net}{sep}unicast [isp1 2026-11-20 from {hop}] * (100) [AS{path[-4:]}i]\n")
        out.append(f"\tvia {hop} on eth0\n")
        if kind != 2:  # kind 2: the brief form
            out.append(f"\tType: BGP univ\n\tBGP.origin: IGP\n\tBGP.as_path: {path}\n")
            out.append(f"\tBGP.next_hop: {hop}\n\tBGP.local_pref: 100\n")
        if kind == 3:
            out.append("\tBGP.community: (65000,1) (65000,2)\n\t\t(65000,3)\n")
        if kind == 4:
            out.append(
                "                     unicast [isp2 2026-11-20 from 10.9.9.9] (100) [AS174i]\n"
            )
            out.append("\tvia 10.9.9.9 on eth1\n\tType: BGP univ\n\tBGP.as_path: 174 12076\n")
        if kind == 5:
            out.append("\nTable master6:\n")
    return "".join(out)


def _junos_table(worldwide: CatalogView, seed: int, size: int) -> str:
    """Junos ``show route`` (brief): further entries, next hops, tables that are not read,
    a detail line the brief form does not print, a receive-protocol table."""
    rng = random.Random(seed)
    catalog = [str(p) for p in worldwide.entries]
    out = ["\ninet.0: 9 destinations, 9 routes (9 active, 0 holddown, 0 hidden)\n",
           "+ = Active Route, - = Last Active, * = Both\n\n"]  # fmt: skip
    for _ in range(size):
        kind = rng.randrange(14)
        net = (
            rng.choice(catalog)
            if kind == 0
            else f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.0/24"
        )
        if kind == 1:
            net = f"2a0{rng.randrange(10)}:{rng.randrange(65536):x}::/48"
        hop = rng.choice(("203.0.113.1", "192.0.2.9", "10.1.1.1"))
        path = rng.choice(("64500 3356", "12076", "174 1299", "x"))
        out.append(f"{net:<19}*[BGP/170] 1w2d 03:04:05, localpref 100, from {hop}\n")
        out.append(f"                      AS path: {path} I, validation-state: unverified\n")
        out.append(f"                    >  to {hop} via ae1.100\n")
        if kind == 2:
            out.append("                    [BGP/170] 2d 01:02:03, localpref 90, from 10.9.9.9\n")
            out.append("                      AS path: 174 12076 I\n")
            out.append("                    >  to 10.9.9.9 via ae2.0\n")
        if kind == 3:
            out.append("                      Validation State: unverified\n")
        if kind == 4:
            out.append("\ninet.3: 1 destinations, 1 routes (1 active, 0 holddown, 0 hidden)\n")
        if kind == 5:
            out.append("\nBLUE.inet.0: 2 destinations, 2 routes (2 active, 0 holddown, 0 hidden)\n")
        if kind == 6:
            out.append("\ninet.0: 2 destinations, 2 routes (2 active, 0 holddown, 0 hidden)\n")
    return "".join(out)


def _nxos_table(worldwide: CatalogView, seed: int, size: int) -> str:
    """NX-OS ``show ip route``: ECMP via lines, interfaces, next hops in a VRF, wrapped via
    lines, a destination without via, VRF headers."""
    rng = random.Random(seed)
    catalog = [str(p) for p in worldwide.entries]
    out = ['IP Route Table for VRF "default"\n', "'*' denotes best ucast next-hop\n\n"]
    for _ in range(size):
        kind = rng.randrange(12)
        net = (
            rng.choice(catalog)
            if kind == 0
            else f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.0/24"
        )
        hop = rng.choice(("203.0.113.1", "192.0.2.9", "10.1.1.1%management"))
        out.append(f"{net}, ubest/mbest: 1/0\n")
        if kind != 1:  # kind 1: no via line
            out.append(f"    *via {hop}, [20/0], 1w2d, bgp-65000, external, tag 12076\n")
        if kind == 2:
            out.append(f"    *via {hop}, Eth1/1, [110/41], 3w0d, ospf-1, intra\n")
        if kind == 3:
            out.append("    *via 10.9.9.9, [20/0], 1w2d, bgp-65000, external, tag 174 segid: 1\n")
            out.append(" tunnelid: 0x1 encap: VXLAN\n")
        if kind == 4:
            out.append('\nIP Route Table for VRF "BLUE"\n')
    return "".join(out)


OPENBGPD_HEADER = (
    "flags: * = Valid, > = Selected, I = via IBGP, A = Announced,\n"
    "       S = Stale, E = Error\n"
    "origin validation state: N = not-found, V = valid, ! = invalid\n"
    "origin: i = IGP, e = EGP, ? = Incomplete\n\n"
    "flags ovs destination          gateway          lpref   med aspath origin\n"
)


def _openbgpd_table(worldwide: CatalogView, seed: int, size: int) -> str:
    """OpenBGPD ``bgpctl show rib``: flags and state letters (or none), IPv6, rows from AS
    12076 or through a next hop the policy names, AS sets and asdot, and rows the reader
    refuses (AS 0, a word for a number, no origin, a gateway that is no address, a network
    with leading zeros); a legend and header again, blank lines, a command echo first."""
    rng = random.Random(seed)
    catalog = [str(p) for p in worldwide.entries]
    out = [rng.choice(("", "router# bgpctl show rib\n")), OPENBGPD_HEADER]
    for _ in range(size):
        kind = rng.randrange(16)
        net = {
            0: rng.choice(catalog),
            1: f"2a0{rng.randrange(10)}:{rng.randrange(65536):x}::/48",
            2: "0.0.0.0/0",
            3: rng.choice(("010.1.2.0/24", "10.1.2.0/33", ":1::/64", "10.1.2.0")),
        }.get(kind, f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.0/24")
        flags = rng.choice(("*>      N", "*       N", "*>   V", "I*>  !", "", "N", "*>"))
        hop = rng.choice(("203.0.113.1", "192.0.2.9", "2001:db8::1", "10.01.1.1", "fe80::1%em0"))
        path = rng.choice(("64500 3356", "12076", "174 1299", "", "{64512,64513}", "1.10"))
        lpref, med, origin = "100", "0", rng.choice("ie?")
        if kind == 4:
            path = "0 174"
        elif kind == 5:
            lpref = "x"
        elif kind == 6:
            origin = ""
        elif kind == 7:
            hop = "gw1"
        sep = rng.choice((" ", "  ", "\t"))
        out.append(f"{flags} {net:<18}{sep}{hop:<15} {lpref:>6} {med:>5} {path} {origin}\n")
        if kind == 8:
            out.append("\n" + OPENBGPD_HEADER)
        elif kind == 9:
            out.append("\n")
    return "".join(out)


def _plain_ios() -> str:
    return HEADERS["ios"] + "".join(
        f"B        10.{k >> 8}.{k & 255}.0/24 [20/0] via 10.1.1.1, 1w2d\n" for k in range(3000)
    )


def _plain_csv() -> str:
    rows = [f"10.{k >> 8}.{k & 255}.0/24,192.0.2.1,64500 3356,100" for k in range(3000)]
    return "prefix,next_hop,as_path,local_pref\n" + "\n".join(rows) + "\n"


def _plain_bird() -> str:
    return "BIRD 2.0.12 ready.\n" + "".join(
        f"10.{k >> 8}.{k & 255}.0/24 unicast [isp1 from 10.1.1.1] * (100) [AS174i]\n"
        "\tvia 10.1.1.1 on eth0\n\tType: BGP univ\n\tBGP.as_path: 174 1299\n"
        for k in range(2000)
    )


def _plain_junos() -> str:
    return "\ninet.0: 2000 destinations, 2000 routes\n\n" + "".join(
        f"10.{k >> 8}.{k & 255}.0/24     *[BGP/170] 1w2d 03:04:05, localpref 100\n"
        "                      AS path: 174 1299 I\n"
        "                    >  to 10.1.1.1 via ae1.100\n"
        for k in range(2000)
    )


def _plain_nxos() -> str:
    return 'IP Route Table for VRF "default"\n' + "".join(
        f"10.{k >> 8}.{k & 255}.0/24, ubest/mbest: 1/0\n"
        "    *via 10.1.1.1, [20/0], 1w2d, bgp-65000, external, tag 174\n"
        for k in range(2000)
    )


def _plain_openbgpd() -> str:
    return OPENBGPD_HEADER + "".join(
        f"*>      N 10.{k >> 8}.{k & 255}.0/24        10.1.1.1        100     0 174 1299 i\n"
        for k in range(2000)
    )


def _azure_ps_table(worldwide: CatalogView, seed: int, size: int) -> str:
    """Azure PowerShell ``Get-AzExpressRouteCircuitRouteTable``: records in any order of
    their names, masked AS numbers, a name given twice, records without a Network, AS 0,
    lines that are no record's, blank lines of spaces, the classic table form, a command
    echo first and a last record without its blank line."""
    rng = random.Random(seed)
    catalog = [str(p) for p in worldwide.entries]
    out = [rng.choice(("", "PS C:\\> Get-AzExpressRouteCircuitRouteTable -DevicePath Primary\n\n"))]
    for _ in range(size):
        kind = rng.randrange(16)
        net = {
            0: rng.choice(catalog),
            1: f"2a0{rng.randrange(10)}:{rng.randrange(65536):x}::/48",
            2: rng.choice(("010.1.2.0/24", "10.1.2.0/33", "10.1.2.0")),
        }.get(kind, f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.0/24")
        path = rng.choice(("12076", "64500 3356", "", "#### 174", "0 174", "{65000}", "174 i"))
        hop = rng.choice(("192.0.2.9", "10.1.1.1*", "10.1.1.2"))
        fields = [("Network", net), ("NextHop", hop), ("LocPrf", rng.choice(("", "100"))),
                  ("Weight", "0"), ("Path", path)]  # fmt: skip
        rng.shuffle(fields)
        if kind == 3:
            fields = [f for f in fields if f[0] != "Network"]
        elif kind == 4:
            fields.append(("Network", "8.8.8.0/24"))
        elif kind == 5:
            fields.append(("Other", "x"))
        lines = [f"{name:<8}: {value}" for name, value in fields]
        if kind == 6:
            lines.insert(1, "a line that is no field")
        out.append("\n".join(lines) + "\n" + rng.choice(("\n", "   \n", "\t\n")))
        if kind == 7:
            out.append(
                "Route Table Info:\n\n   Network   NextHop   LocPrf   Weight   Path\n"
                f"   {net}   192.0.2.2   0   {path}\n\nRoute Table Summary:\n\n"
            )
    if size and seed % 2:
        out.append("Network : 8.8.4.0/24\nPath    : 174\n")  # no blank line after it
    return "".join(out)


def _plain_azure_ps() -> str:
    return "".join(
        f"LocPrf  : 100\nNetwork : 10.{k >> 8}.{k & 255}.0/24\nNextHop : 10.1.1.1\n"
        "Path    : 174 1299\nWeight  : 0\n\n"
        for k in range(2000)
    )


def _ios_any(worldwide: CatalogView, seed: int, size: int) -> str:
    return _table(worldwide, seed, size, sorted(HEADERS)[seed % len(HEADERS)])


ROUTE_SAMPLES = tuple(
    (d, "*route*") for d in ("cisco-ios-iosxe", "cisco-iosxr", "arista-eos", "frr", "cisco-nxos")
)
READERS = {
    r.format: r
    for r in (
        Reader(
            "ios-route",
            ios_route,
            "ROUTE_SKIM",
            "ios-route",
            ROUTE_SAMPLES,
            _ios_any,
            _plain_ios,
            2500,
        ),
        Reader(
            "generic-csv",
            generic_csv,
            "CSV_SKIM",
            "generic-csv",
            (),
            _csv_table,
            _plain_csv,
            2500,
            lenient=True,
        ),
        Reader("bird", bird, "BIRD_SKIM", "bird", (("bird", "*"),), _bird_table, _plain_bird, 7000),
        Reader(
            "junos-route",
            junos_route,
            "JUNOS_SKIM",
            "junos-route",
            (("juniper-junos", "*show_route*"),),
            _junos_table,
            _plain_junos,
            5000,
        ),
        Reader(
            "nxos-route",
            nxos_route,
            "NXOS_SKIM",
            "nxos-route",
            (("cisco-nxos", "*route*"),),
            _nxos_table,
            _plain_nxos,
            3000,
        ),
        Reader(
            "azure-ps",
            azure_ps,
            "AZURE_PS_SKIM",
            "azure-ps",
            (("azure-expressroute", "*.txt"),),
            _azure_ps_table,
            _plain_azure_ps,
            11000,
        ),
        Reader(
            "openbgpd",
            openbgpd,
            "OPENBGPD_SKIM",
            "openbgpd",
            (("openbgpd", "*"),),
            _openbgpd_table,
            _plain_openbgpd,
            1900,
        ),
    )
}
CASES = [(r, p) for r in READERS.values() for p in r.inputs()]


@pytest.mark.parametrize(
    ("reader", "path"), CASES, ids=[f"{r.format}:{p.parent.name}/{p.name}" for r, p in CASES]
)
def test_samples_read_alike(reader: Reader, path: Path, worldwide: CatalogView) -> None:
    text = path.read_text("utf-8", errors="replace")
    for interest in (Interest(worldwide.entries.keys()), _own_interest(text)):
        for block in (1 << 17, 256):
            reader.same(path, interest, block)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10**6),
    size=st.integers(0, 80),
    block=st.sampled_from([64, 300, 1 << 17]),
    damaged=st.booleans(),
    data=st.data(),
)
@pytest.mark.parametrize("name", sorted(READERS))
def test_generated_tables_read_alike(
    tmp_path: Path,
    worldwide: CatalogView,
    name: str,
    seed: int,
    size: int,
    block: int,
    damaged: bool,
    data: st.DataObject,
) -> None:
    reader = READERS[name]
    raw = reader.generate(worldwide, seed, size).encode()
    if damaged:
        raw = mutate(raw, data.draw)
    path = tmp_path / f"t{seed}.txt"
    path.write_bytes(raw)
    for interest in (
        Interest(worldwide.entries.keys(), markers=("12076", "192.0.2.9")),
        _own_interest(raw.decode("utf-8", errors="replace")),
    ):
        reader.same(path, interest, block)


@pytest.mark.parametrize("name", sorted(READERS))
def test_a_plain_table_is_mostly_skimmed(tmp_path: Path, worldwide: CatalogView, name: str) -> None:
    """The skimmer does pass over the lines of routes that cannot matter (not only agree
    with Python), and every route is still counted."""
    reader = READERS[name]
    path = tmp_path / "big.txt"
    text = reader.plain()
    path.write_text(text)
    built = getattr(reader.module, reader.attr)
    passed: list[int] = []

    def counting(*args: Any) -> Any:
        got = built(*args)
        passed.append(got[1])
        return got

    setattr(reader.module, reader.attr, counting)
    try:
        [rib] = read_routes(
            [path], format_name=reader.format, interest=Interest(worldwide.entries.keys()),
            lenient=reader.lenient,
        )  # fmt: skip
    finally:
        setattr(reader.module, reader.attr, built)
    assert sum(passed) >= reader.least, sum(passed)
    assert sum(rib.counts.values()) >= text.count("/24")
