"""Round trip: routes written in IOS's exact layout (benchmarks/iosfmt.py, column widths and
wrap rules) read back exactly. Hypothesis draws the routes: IPv4 and IPv6, long next hops
that push the attributes onto their own line, networks too long for their column, every
combination of present and absent Metric and LocPrf, 4-byte AS numbers, further paths."""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path

from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routeplan.rib import read_routes

sys.path.insert(0, str(ROOT / "benchmarks"))
from iosfmt import HEADER, path_line

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
    families = (
        sum(len(g) for n, g in table if ":" in n),
        sum(len(g) for n, g in table if ":" not in n),
    )
    assert (got.counts[6], got.counts[4]) == families
