"""Round trip: routes written in IOS's and FRR's exact layouts (column widths and wrap rules;
IOS's writer is benchmarks/iosfmt.py) read back exactly. Hypothesis draws the routes: IPv4
and IPv6, long next hops that push the attributes onto their own line, networks too long for
their column, every combination of present and absent Metric and LocPrf, 4-byte AS numbers,
further paths."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.iosfmt import HEADER, path_line
from routeplan.rib import RibInput, read_routes

ASN = st.integers(1, 4_294_967_295).filter(lambda a: a != 23456)


@st.composite
def networks(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        length = draw(st.integers(8, 32))
        address = draw(st.integers(0, 2**32 - 1))
        return str(ipaddress.IPv4Network((address, length), strict=False))
    length = draw(st.integers(16, 128))
    address = draw(st.integers(0, 2**128 - 1))
    return str(ipaddress.IPv6Network((address, length), strict=False))


@st.composite
def next_hops(draw: st.DrawFn, six: bool) -> str:
    if not six:
        return str(ipaddress.IPv4Address(draw(st.integers(1, 2**32 - 1))))
    address = ipaddress.IPv6Address(draw(st.integers(1, 2**128 - 1)))
    text = address.compressed if draw(st.booleans()) else address.exploded
    return text.upper() if draw(st.booleans()) else text


@st.composite
def paths(draw: st.DrawFn, six: bool) -> dict[str, object]:
    return {
        "next_hop": draw(next_hops(six)),
        # at most 6 digits: a 10-digit MED after a 16-character next hop leaves IOS's fixed
        # widths no space between them, which no reader can split
        "metric": draw(st.none() | st.integers(0, 999_999)),
        "locprf": draw(st.none() | st.integers(0, 999_999)),
        "weight": draw(st.sampled_from([0, 32768]) | st.integers(0, 65535)),
        "as_path": draw(st.lists(ASN, min_size=1, max_size=5)),
        "origin": draw(st.sampled_from("ie?")),
    }


@st.composite
def tables(draw: st.DrawFn) -> list[tuple[str, list[dict[str, object]]]]:
    out = []
    for net in draw(st.lists(networks(), min_size=1, max_size=12, unique=True)):
        six = ":" in net
        out.append((net, draw(st.lists(paths(six), min_size=1, max_size=3))))
    return out


def _assert_reads_back(table: list[tuple[str, list[dict[str, object]]]], got: RibInput) -> None:
    """Every drawn path comes back, in order, with its network, next hop, numbers and path."""
    expected = [
        (net, str(p["next_hop"]).lower(), p["metric"], p["locprf"], tuple(p["as_path"]), k == 0)  # type: ignore[arg-type]
        for net, group in table
        for k, p in enumerate(group)
    ]
    read = [
        (str(r.prefix), (r.next_hop or "").lower(), r.metric, r.local_pref, r.as_path, r.best)
        for r in got.routes
    ]
    assert read == expected


def _write(table: list[tuple[str, list[dict[str, object]]]]) -> str:
    text = HEADER.format(version=7, router_id="10.0.0.1")
    for net, group in table:
        for k, p in enumerate(group):
            text += path_line(
                "*>" if k == 0 else "*",
                net if k == 0 else "",
                str(p["next_hop"]),
                p["metric"],  # type: ignore[arg-type]
                p["locprf"],  # type: ignore[arg-type]
                p["weight"],  # type: ignore[arg-type]
                " ".join(str(a) for a in p["as_path"]) + " " + str(p["origin"]),  # type: ignore[attr-defined]
            )
    return text


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(table=tables())
def test_ios_layout_round_trips(
    table: list[tuple[str, list[dict[str, object]]]], tmp_path: Path
) -> None:
    path = tmp_path / "rib.txt"
    path.write_text(_write(table), encoding="utf-8")
    [got] = read_routes([path], format_name="ios-bgp")
    _assert_reads_back(table, got)
    families = (
        sum(len(g) for n, g in table if ":" in n),
        sum(len(g) for n, g in table if ":" not in n),
    )
    assert (got.counts[6], got.counts[4]) == families


FRR_HEADER = """BGP table version is 7, local router ID is 10.255.1.1, vrf id 0
Default local pref 100, local AS 65010
Status codes:  s suppressed, d damped, h history, * valid, > best, = multipath,
               i internal, r RIB-failure, S Stale, R Removed
Nexthop codes: @NNN nexthop's vrf id, < announce-nh-self
Origin codes:  i - IGP, e - EGP, ? - incomplete
RPKI validation codes: V valid, I invalid, N Not found

   Network          Next Hop            Metric LocPrf Weight Path
"""


def frr_path_line(status: str, network: str, p: dict[str, object]) -> str:
    """One path as FRR's ``show bgp`` prints it (bgp_route.c, seen in the lab's captures):
    the network padded to 17 and put alone on its line from 17 characters; the next hop
    padded to 16 and, from 16 characters (IPv6, link-local), followed by a line break and
    36 spaces; then Metric %10, LocPrf %7, Weight %7 and the path."""
    wrapped = len(network) >= 17
    out = f"{status:<3}{network}\n{' ' * 20}" if wrapped else f"{status:<3}{network:<17}"
    hop = str(p["next_hop"])
    out += f"{hop}\n{' ' * 36}" if len(hop) >= 16 else f"{hop:<16}"
    metric, locprf = p["metric"], p["locprf"]
    out += f"{metric:>10}" if metric is not None else " " * 10
    out += f"{locprf:>7}" if locprf is not None else " " * 7
    path = " ".join(str(a) for a in p["as_path"])  # type: ignore[attr-defined]
    return out + f"{p['weight']:>7} {path} {p['origin']}\n"


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(table=tables())
def test_frr_layout_round_trips(
    table: list[tuple[str, list[dict[str, object]]]], tmp_path: Path
) -> None:
    """FRR's table (IPv4 and IPv6, link-local and long next hops, networks alone on their
    line, further paths) reads back exactly."""
    text = FRR_HEADER
    for net, group in table:
        for k, p in enumerate(group):
            text += frr_path_line("*>" if k == 0 else "*", net if k == 0 else "", p)
    path = tmp_path / "rib.txt"
    path.write_text(text, encoding="utf-8")
    [got] = read_routes([path], format_name="frr-bgp")
    _assert_reads_back(table, got)
