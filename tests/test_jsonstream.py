"""JSON route tables are read as a stream (routeplan/rib/jsonstream.py): memory bounded by one
route, and the same routes, counts and errors whatever the window's size and whichever way the
routes that cannot matter are passed over: by the C functions (``json_end``, ``json_skim``),
or with them off (``ROUTEPLAN_PURE=1``, an install without a C compiler) by Python decoding
each route. The reference is the same reader with no interest: every route read in full, then
filtered by :meth:`Interest.keep`.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routeplan.catalog.query import CatalogView
from routeplan.errors import InputError
from routeplan.model import parse_prefix
from routeplan.rib import base, jsonstream, prefixtext, read_routes
from routeplan.rib.base import Interest, Route

KEYS = ["a", "b", "paths", "network"]
C_END = jsonstream.JSON_END
C_SKIM = jsonstream.JSON_SKIM


@pytest.fixture(params=["c", "pure"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test runs with the C functions and without them (Python decodes every route)."""
    if request.param == "pure":
        monkeypatch.setattr(jsonstream, "JSON_END", None)
        monkeypatch.setattr(jsonstream, "JSON_SKIM", None)
    elif C_END is None:
        if os.environ.get("ROUTEPLAN_PURE") == "1":
            pytest.skip("ROUTEPLAN_PURE=1 turns the C functions off")
        if os.environ.get("ROUTEPLAN_REQUIRE_SKIM") == "1":
            pytest.fail("ROUTEPLAN_REQUIRE_SKIM=1 but the C skimmer is not built")
        pytest.skip("the C functions are not built (no compiler, or ROUTEPLAN_PURE=1)")
    return request.param


def _outcome(
    path: Path, interest: Interest | None, block: int = jsonstream.BLOCK, fmt: str = "frr-json"
) -> Any:
    """What reading ``path`` gives: its routes, counts and skips, or its error."""
    old = jsonstream.BLOCK
    jsonstream.BLOCK = block
    try:
        [rib] = read_routes([path], format_name=fmt, interest=interest, lenient=False)
    except InputError as exc:
        return ("error", str(exc))
    finally:
        jsonstream.BLOCK = old
    routes = [(r.to_record(), r.line) for r in rib.routes]
    return routes, rib.counts, [(s.line, s.reason) for s in rib.skipped]


def _reference(path: Path, interest: Interest, fmt: str = "frr-json") -> Any:
    """Every route read in full (no interest), then filtered as the interest keeps them."""
    out = _outcome(path, None, fmt=fmt)
    if out[0] == "error":
        return out
    routes, counts, skipped = out
    kept = [(record, line) for record, line in routes if _keep(interest, record)]
    return kept, counts, skipped


def _keep(interest: Interest, record: dict[str, Any]) -> bool:
    stated = Route.stated(parse_prefix(record["prefix"]), None, "reference", 1)
    return interest.keep(dataclasses.replace(stated, as_path=tuple(record["as_path"])))


# ---------------------------------------------------------------------------------------------
# Generated FRR tables


def _frr_document(
    destinations: list[tuple[str, list[tuple[str, str]]]], layout: str, vrf: str
) -> str:
    """An FRR ``show bgp ... json`` document: ``destinations`` as (network, [(path, next hop)]);
    ``layout`` compact, lines (a destination a line, as FRR prints large tables) or pretty;
    ``vrf`` where vrfName is: before the routes, after them (keys sorted) or absent."""
    routes = {
        net: [
            {
                "valid": True,
                "bestpath": k == 0,
                "pathFrom": "external",
                "network": net,
                "peerId": hop,
                "path": aspath,
                "origin": "IGP",
                "nexthops": [{"ip": hop, "afi": "ipv6" if ":" in hop else "ipv4", "used": True}],
            }
            for k, (aspath, hop) in enumerate(paths)
        ]
        for net, paths in destinations
    }
    doc: dict[str, Any] = {"vrfId": 0, "routerId": "10.0.0.41", "localAS": 65000}
    if vrf == "before":
        doc["vrfName"] = "blue"
    doc["routes"] = routes
    if vrf == "after":
        doc["vrfName"] = "blue"
    if layout == "compact":
        return json.dumps(doc, separators=(",", ":"))
    if layout == "pretty":
        return json.dumps(doc, indent=1)
    head = json.dumps({k: v for k, v in doc.items() if k != "routes"})[1:-1]
    body = ",\n".join(f"{json.dumps(n)}: {json.dumps(p)}" for n, p in routes.items())
    return "{" + head + ', "routes": {\n' + body + "\n }\n}\n"


def _eos_document(
    destinations: list[tuple[str, list[tuple[str, str]]]], layout: str, vrf: str
) -> str:
    """An Arista EOS ``show ip bgp | json`` document: the VRF is named "blue" (or "default"
    when ``vrf`` is absent); its keys come before the entries or, sorted, after them."""
    entries = {
        net: {
            "address": net.split("/")[0],
            "maskLength": int(net.split("/")[1]),
            "bgpRoutePaths": [
                {
                    "nextHop": hop,
                    "asPathEntry": {"asPath": aspath, "asPathType": None},
                    "routeType": {"active": k == 0, "valid": True},
                    "localPreference": 100,
                    "peerEntry": {"peerAddr": hop},
                }
                for k, (aspath, hop) in enumerate(paths)
            ],
            "totalPaths": len(paths),
        }
        for net, paths in destinations
    }
    name = "default" if vrf == "absent" else "blue"
    table = {"routerId": "10.0.0.41", "vrf": name, "asn": "65000", "bgpRouteEntries": entries}
    doc = {"vrfs": {name: table}}
    if layout == "compact":
        return json.dumps(doc, separators=(",", ":"), sort_keys=vrf == "after")
    return json.dumps(doc, indent=1 if layout == "pretty" else None, sort_keys=vrf == "after")


def _azure_document(
    destinations: list[tuple[str, list[tuple[str, str]]]], layout: str, vrf: str
) -> str:
    """Azure ``az network express-route list-route-tables`` rows: as ``{"value": [...]}``
    (``vrf`` before), a REST example's ``responses`` (after) or a bare list (absent)."""
    rows = [
        {"locPrf": "100", "network": net, "nextHop": hop, "path": aspath, "weight": 0}
        for net, paths in destinations
        for aspath, hop in paths
    ]
    doc: Any = {"before": {"value": rows}, "absent": rows}.get(
        vrf, {"responses": {"200": {"body": {"value": rows}}}}
    )
    return json.dumps(doc, indent=None if layout == "compact" else 2)


def _generic_document(
    destinations: list[tuple[str, list[tuple[str, str]]]], layout: str, vrf: str
) -> str:
    """routeplan's generic JSON: the schema before the routes, or (``vrf`` after) the keys
    sorted, so that the routes come first."""
    routes = [
        {"prefix": net, "next_hop": hop, "as_path": aspath, "best": k == 0, "vrf": "blue"}
        for net, paths in destinations
        for k, (aspath, hop) in enumerate(paths)
    ]
    if vrf == "absent":
        for route in routes:
            del route["vrf"]
    doc = {"schema": "routeplan/routes/1", "routes": routes}
    return json.dumps(doc, indent=None if layout == "compact" else 1, sort_keys=vrf == "after")


def _junos_document(
    destinations: list[tuple[str, list[tuple[str, str]]]], layout: str, vrf: str
) -> str:
    """Junos ``show route | display json``: the table named before its destinations, or
    (``vrf`` after) every object's keys sorted, so that they come before its name."""

    def data(value: Any) -> list[dict[str, Any]]:
        return [{"data": value}]

    rts = [
        {
            "rt-destination": data(net),
            "rt-entry": [
                {
                    **({"active-tag": data("*")} if k == 0 else {}),
                    "protocol-name": data("BGP"),
                    "local-preference": data("100"),
                    "learned-from": data(hop),
                    "as-path": data(f"AS path: {aspath} I"),
                    "nh": [{"to": data(hop), "via": data("ae1.100")}],
                }
                for k, (aspath, hop) in enumerate(paths)
            ],
        }
        for net, paths in destinations
    ]
    name = "inet.0" if vrf == "absent" else "blue.inet.0"
    tables = [{"table-name": data(name), "destination-count": data(str(len(rts))), "rt": rts}]
    tables.append({"table-name": data("inet.3"), "rt": rts[:3]})  # not a forwarding table
    doc = {"route-information": [{"route-table": tables}]}
    indent = None if layout == "compact" else 4
    return json.dumps(doc, indent=indent, sort_keys=vrf == "after")


def _napalm_document(
    destinations: list[tuple[str, list[tuple[str, str]]]], layout: str, vrf: str
) -> str:
    """NAPALM ``get_route_to``: keyed by network, an entry per next hop; ``vrf`` after: as a
    Nornir ``napalm_get`` result (``{"get_route_to": {...}}``), keys sorted."""
    doc: dict[str, Any] = {
        net: [
            {
                "protocol": "eBGP",
                "current_active": k == 0,
                "next_hop": hop,
                "routing_table": "default" if vrf == "absent" else "blue",
                "protocol_attributes": {
                    "as_path": aspath,
                    "local_preference": 100,
                    "communities": [],
                    "remote_address": hop,
                },
            }
            for k, (aspath, hop) in enumerate(paths)
        ]
        for net, paths in destinations
    }
    if vrf == "after":
        doc = {"get_route_to": doc}
    indent = None if layout == "compact" else 2
    return json.dumps(doc, indent=indent, sort_keys=vrf == "after")


def _genie_document(
    destinations: list[tuple[str, list[tuple[str, str]]]], layout: str, vrf: str
) -> str:
    """Cisco Genie: ``vrf`` before, the BGP table model in VRF "blue"; after, the routing
    model under ``info`` (``genie learn``), keys sorted; absent, the BGP model in the default
    VRF beside an address family that is passed over (l2vpn evpn)."""
    if vrf == "after":
        routes: dict[str, Any] = {
            net: {
                "route": net,
                "active": True,
                "source_protocol": "bgp",
                "metric": 0,
                "next_hop": {
                    "next_hop_list": {
                        str(k + 1): {"index": k + 1, "next_hop": hop, "outgoing_interface": "Gi1"}
                        for k, (_, hop) in enumerate(paths)
                    }
                },
            }
            for net, paths in destinations
        }
        family = {"ipv4": {"routes": routes}}
    else:
        routes = {
            net: {
                "index": {
                    str(k + 1): {
                        "status_codes": "*>" if k == 0 else "* ",
                        "next_hop": hop,
                        "path": aspath,
                        "origin_codes": "i",
                        "localpref": 100,
                        "metric": 0,
                    }
                    for k, (aspath, hop) in enumerate(paths)
                }
            }
            for net, paths in destinations
        }
        family = {"ipv4 unicast": {"routes": routes}}
        if vrf == "absent":
            family["l2vpn evpn"] = {"routes": dict(list(routes.items())[:3])}
    doc: dict[str, Any] = {
        "vrf": {"default" if vrf == "absent" else "blue": {"address_family": family}}
    }
    if vrf == "after":
        doc = {"info": doc}
    indent = None if layout == "compact" else 2
    return json.dumps(doc, indent=indent, sort_keys=vrf == "after")


def _openbgpd_document(
    destinations: list[tuple[str, list[tuple[str, str]]]], layout: str, vrf: str
) -> str:
    """OpenBGPD ``bgpctl -j show rib``: ``{"rib": [...]}`` (``vrf`` after: keys sorted)."""
    rib = [
        {
            "prefix": net,
            "aspath": aspath,
            "exit_nexthop": hop,
            "neighbor": {"remote_addr": hop},
            "valid": True,
            "best": k == 0,
            "metric": 0,
            "localpref": 100,
            **({"communities": ["65000:1"]} if vrf == "before" else {}),
        }
        for net, paths in destinations
        for k, (aspath, hop) in enumerate(paths)
    ]
    indent = None if layout == "compact" else 1
    return json.dumps({"rib": rib}, indent=indent, sort_keys=vrf == "after")


def _nxos_document(
    destinations: list[tuple[str, list[tuple[str, str]]]], layout: str, vrf: str
) -> str:
    """Cisco NX-OS ``show ip bgp vrf all | json`` (NX-API's TABLE_/ROW_ nesting) in the
    order NX-OS prints it: ``vrf`` before, VRF "blue"; after, VRF "blue" with every ROW_
    above the prefixes one object (a table of one row); absent, no VRF name (the default
    one) beside an l2vpn evpn family that is passed over."""

    def row(name: str, value: Any) -> dict[str, Any]:
        return {f"TABLE_{name}": {f"ROW_{name}": value if vrf == "after" else [value]}}

    def path_rows(paths: list[tuple[str, str]]) -> Any:
        rows = [
            {
                "statuscode": "*",
                "bestcode": ">" if k == 0 else "",
                "ipnexthop": hop,
                "metric": "",
                "localpref": "100",
                "aspath": aspath,
            }
            for k, (aspath, hop) in enumerate(paths)
        ]
        return rows[0] if len(rows) == 1 and vrf == "after" else rows  # one row: an object

    prefixes = [
        {"ipprefix": net, "TABLE_path": {"ROW_path": path_rows(paths)}}
        for net, paths in destinations
    ]
    unicast = {
        "safi": "1",
        "af-name": "IPv4 Unicast",
        **row("rd", {"TABLE_prefix": {"ROW_prefix": prefixes}}),
    }
    afis = [{"afi": "1", **row("safi", unicast)}]
    if vrf == "absent":
        evpn = {
            "safi": "70",
            "af-name": "L2VPN EVPN",
            **row("rd", {"TABLE_prefix": {"ROW_prefix": prefixes[:3]}}),
        }
        afis.append({"afi": "25", **row("safi", evpn)})
    top = {"vrf-name-out": "blue"} if vrf != "absent" else {}
    afi_rows = afis[0] if vrf == "after" else afis
    doc = {"TABLE_vrf": {"ROW_vrf": {**top, "TABLE_afi": {"ROW_afi": afi_rows}}}}
    return json.dumps(doc, indent=None if layout == "compact" else 2)


def _suzieq_document(
    destinations: list[tuple[str, list[tuple[str, str]]]], layout: str, vrf: str
) -> str:
    """SuzieQ ``route show --format=json``: a record per route of one host, its next hops
    and interfaces by position; VRF "blue" (``vrf`` after: keys sorted), or "default"."""
    records = [
        {
            "namespace": "lab",
            "hostname": "edge01",
            "vrf": "default" if vrf == "absent" else "blue",
            "prefix": net,
            "nexthopIps": [hop for _, hop in paths],
            "oifs": [f"Ethernet{k}" for k in range(len(paths))],
            "protocol": "bgp",
            "metric": 0,
        }
        for net, paths in destinations
    ]
    indent = None if layout == "compact" else 1
    return json.dumps(records, indent=indent, sort_keys=vrf == "after")


def _batfish_document(
    destinations: list[tuple[str, list[tuple[str, str]]]], layout: str, vrf: str
) -> str:
    """Batfish ``bgpRib()`` rows of one node: the answer's own form (``vrf`` before, VRF
    "blue"), its rows alone with keys sorted (after), or a second answer element that is
    not read (absent: the default VRF)."""
    rows = [
        {
            "Node": {"id": "node-edge1", "name": "edge1"} if vrf == "before" else "edge1",
            "VRF": "default" if vrf == "absent" else "blue",
            "Network": net,
            "Next_Hop": {"type": "ip", "ip": hop},
            "Protocol": "bgp",
            "AS_Path": aspath,
            "Status": ["BEST"] if k == 0 else [],
            "Local_Pref": 100,
            "Metric": 0,
            "Communities": [],
        }
        for net, paths in destinations
        for k, (aspath, hop) in enumerate(paths)
    ]
    doc: Any = rows
    if vrf != "after":
        elements = [{"rows": rows}] + ([{"rows": rows[:3]}] if vrf == "absent" else [])
        doc = {"answerElements": elements}
    indent = None if layout == "compact" else 2
    return json.dumps(doc, indent=indent, sort_keys=vrf == "after")


DOCUMENTS = {
    "batfish-json": _batfish_document,
    "suzieq-json": _suzieq_document,
    "nxos-json": _nxos_document,
    "genie-json": _genie_document,
    "openbgpd-json": _openbgpd_document,
    "napalm-json": _napalm_document,
    "junos-json": _junos_document,
    "frr-json": _frr_document,
    "eos-json": _eos_document,
    "azure-json": _azure_document,
    "generic-json": _generic_document,
}
VRF: dict[str, dict[str, str | None]] = {
    "batfish-json": {"absent": None},
    "suzieq-json": {"absent": None},
    "nxos-json": {"absent": None},
    "genie-json": {"absent": None},
    "openbgpd-json": {"before": None, "after": None, "absent": None},
    "frr-json": {"absent": None},
    "eos-json": {"absent": "default"},
    "azure-json": {"before": None, "after": None, "absent": None},
    "generic-json": {"absent": None},
    "junos-json": {"absent": None},
    "napalm-json": {"absent": None},
}


def _networks(worldwide: CatalogView, rng: random.Random) -> Iterator[str]:
    catalog = [str(p) for p in worldwide.entries]
    while True:
        kind = rng.randrange(8)
        if kind == 0:
            yield rng.choice(catalog)
        elif kind == 1:  # inside a catalog prefix's /16, maybe overlapping it
            base4 = next(p for p in iter(lambda: rng.choice(catalog), None) if "." in p)
            a, b = base4.split(".")[:2]
            yield f"{a}.{b}.{rng.randrange(256)}.0/{rng.choice((24, 23, 20, 17))}"
        elif kind == 2:
            yield f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.0/24"
        elif kind == 3:
            yield f"2a0{rng.randrange(10)}:{rng.randrange(65536):x}::/{rng.choice((32, 40, 48))}"
        elif kind == 4:
            yield rng.choice(("0.0.0.0/0", "::/0", "10.0.0.0/8", "2603:1000::/25", "52.0.0.0/8"))
        else:
            yield f"{rng.randrange(1, 224)}.{rng.randrange(256)}.0.0/16"


def _table(worldwide: CatalogView, seed: int, size: int) -> list[tuple[str, list[tuple[str, str]]]]:
    rng = random.Random(seed)
    nets = _networks(worldwide, rng)
    out: dict[str, list[tuple[str, str]]] = {}
    while len(out) < size:
        net = next(nets)
        hop = "2001:db8::1" if ":" in net else rng.choice(("192.0.2.1", "192.0.2.9", "10.1.1.1"))
        asns = ("64500", "3356", "12076", "174")
        out[net] = [
            (" ".join(rng.choice(asns) for _ in range(rng.randrange(1, 4))), hop)
            for _ in range(rng.randrange(1, 3))
        ]
    return list(out.items())


@pytest.mark.parametrize("fmt", sorted(DOCUMENTS))
@pytest.mark.parametrize("layout", ["compact", "lines", "pretty"])
@pytest.mark.parametrize("vrf", ["before", "after", "absent"])
def test_streamed_reads_as_every_route_read_in_full(
    tmp_path: Path, worldwide: CatalogView, mode: str, fmt: str, layout: str, vrf: str
) -> None:
    path = tmp_path / "table.json"
    path.write_text(DOCUMENTS[fmt](_table(worldwide, 7, 400), layout, vrf))
    interest = Interest(worldwide.entries.keys(), markers=("12076", "192.0.2.9"))
    want = _reference(path, interest, fmt)
    assert want[0], "the table holds routes that matter"
    assert {r["vrf"] for r, _ in want[0]} == {VRF[fmt].get(vrf, "blue")}
    for block in (jsonstream.BLOCK, 4096, 61, 7):
        assert _outcome(path, interest, block, fmt) == want, block


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    fmt=st.sampled_from(sorted(DOCUMENTS)),
    seed=st.integers(0, 10**6),
    size=st.integers(0, 40),
    layout=st.sampled_from(["compact", "lines", "pretty"]),
    block=st.sampled_from([5, 13, 64, 1000, 1 << 20]),
    cut=st.integers(-1, 3000),
    junk=st.sampled_from(["", ",", "}", "]", '"', "\\", "\u2603", "NaN", "1e", "\x01", ":", "{}"]),
)
def test_damaged_tables_read_alike(
    tmp_path: Path,
    worldwide: CatalogView,
    fmt: str,
    seed: int,
    size: int,
    layout: str,
    block: int,
    cut: int,
    junk: str,
) -> None:
    """A table with text cut out or put in (anywhere: inside a route, between them): the C
    functions and Python read it alike in windows of any size, or refuse it alike; undamaged,
    as the reference does."""
    text = DOCUMENTS[fmt](_table(worldwide, seed, size), layout, "before")
    if cut >= 0:
        at = cut % (len(text) + 1)
        text = text[:at] + junk + text[at + (seed % 3) :]
    path = tmp_path / f"t{seed}.json"
    path.write_text(text)
    interest = Interest(worldwide.entries.keys(), markers=("12076", "192.0.2.9"))
    saved = jsonstream.JSON_END, jsonstream.JSON_SKIM
    jsonstream.JSON_END = jsonstream.JSON_SKIM = None
    try:
        want = _outcome(path, interest, fmt=fmt)
    finally:
        jsonstream.JSON_END, jsonstream.JSON_SKIM = saved
    if cut < 0:
        assert want == _reference(path, interest, fmt)
    for pure in (False, True):
        if pure:
            saved = jsonstream.JSON_END, jsonstream.JSON_SKIM
            jsonstream.JSON_END = jsonstream.JSON_SKIM = None
        try:
            got = _outcome(path, interest, block, fmt)
        finally:
            if pure:
                jsonstream.JSON_END, jsonstream.JSON_SKIM = saved
        assert got == want


NXOS_PATH = (
    '{"statuscode": "*", "bestcode": ">", "ipnexthop": "10.1.1.1", "metric": "",'
    ' "localpref": "100", "aspath": "174"}'
)
NXOS_PATH_TABLES = {
    # TABLE_path as NX-API gives it, or not: the paths a reader finds in each
    '{"ROW_path": [P, 5, null, "x"]}': 1,
    '{"ROW_path": [P, P]}': 2,
    '{"ROW_path": P}': 1,
    '{"ROW_path": null}': 0,
    '{"ROW_path": 5}': 0,
    '{"ROW_path": []}': 0,
    '{"ROW_path": P, "ROW_path": [P, P, P]}': 3,
    '{"ROW\\u005fpath": [P, P]}': 2,
    '{"other": [P]}': 0,
    "5": 0,
    "[P]": 0,
}


@pytest.mark.parametrize(("paths", "count"), NXOS_PATH_TABLES.items())
def test_nxos_path_rows_counted_as_the_reader_finds_them(
    tmp_path: Path, worldwide: CatalogView, mode: str, paths: str, count: int
) -> None:
    """A prefix that cannot matter is counted by its path rows, in C as in Python: a list's
    objects, one object, nothing else (a key written twice: the last)."""
    rows = ", ".join(
        f'{{"ipprefix": "8.8.{k}.0/24", "TABLE_path": {paths.replace("P", NXOS_PATH)}}}'
        for k in range(20)
    )
    path = tmp_path / "odd.json"
    path.write_text(
        '{"TABLE_vrf": {"ROW_vrf": {"vrf-name-out": "default", "TABLE_afi": {"ROW_afi": {'
        '"afi": "1", "TABLE_safi": {"ROW_safi": {"safi": "1", "TABLE_rd": {"ROW_rd": {'
        '"TABLE_prefix": {"ROW_prefix": [' + rows + "]}}}}}}}}}}\n"
    )
    got = _outcome(path, Interest(worldwide.entries.keys()), fmt="nxos-json")
    assert got[0] != "error", got
    assert got[1][4] == 20 * count


def test_nxos_keys_sorted_are_refused_not_misread(
    tmp_path: Path, worldwide: CatalogView, mode: str
) -> None:
    """An NX-API document whose keys were sorted gives the VRF name after the prefixes: read
    as it streams, its prefixes would land in the default VRF. Refused, naming the fix."""
    path = tmp_path / "sorted.json"
    doc = json.loads(_nxos_document(_table(worldwide, 3, 50), "pretty", "before"))
    path.write_text(json.dumps(doc, indent=2, sort_keys=True))
    got = _outcome(path, Interest(worldwide.entries.keys()), fmt="nxos-json")
    assert got[0] == "error", got
    assert "after its prefixes" in got[1], got
    # the same document as NX-OS prints it is read, in its VRF
    path.write_text(json.dumps(doc, indent=2))
    routes, _, _ = _outcome(path, Interest(worldwide.entries.keys()), fmt="nxos-json")
    assert routes
    assert {r["vrf"] for r, _ in routes} == {"blue"}


def test_suzieq_a_second_host_is_refused_among_routes_that_cannot_matter(
    tmp_path: Path, worldwide: CatalogView, mode: str
) -> None:
    """Every record's host is checked, also one whose route is only counted."""
    records = json.loads(_suzieq_document(_table(worldwide, 5, 60), "compact", "before"))
    records.append({**records[0], "prefix": "8.8.8.0/24", "hostname": "exit01"})
    path = tmp_path / "two.json"
    path.write_text(json.dumps(records))
    got = _outcome(path, Interest(worldwide.entries.keys()), fmt="suzieq-json")
    assert got[0] == "error", got
    assert "more than one host (edge01, exit01)" in got[1]


def test_batfish_a_second_node_is_refused_among_routes_that_cannot_matter(
    tmp_path: Path, worldwide: CatalogView, mode: str
) -> None:
    rows = json.loads(_batfish_document(_table(worldwide, 5, 60), "compact", "after"))
    rows.insert(30, {**rows[0], "Network": "8.8.8.0/24", "Node": "edge2"})
    path = tmp_path / "two.json"
    path.write_text(json.dumps(rows))
    got = _outcome(path, Interest(worldwide.entries.keys()), fmt="batfish-json")
    assert got[0] == "error", got
    assert "more than one node (edge1, edge2)" in got[1]


SUZIEQ_HOPS = {
    # nexthopIps and oifs as a record gives them: the routes the reader makes of it
    '"nexthopIps": ["10.1.1.1", "10.1.1.2"], "oifs": ["e1"]': 2,
    '"nexthopIps": [], "oifs": ["e1", "e2", "e3"]': 3,
    '"nexthopIps": null': 1,
    '"oifs": []': 1,
    '"nexthopIps": false, "oifs": ["e1", "e2"]': 2,
    '"nexthopIps": ["10.1.1.1"], "nexthopIps": ["a", "b", "c", "d"]': 4,
    '"nexthopIps": ["10.1.1.1"], "host\\u006eame": "edge01"': 1,
}


@pytest.mark.parametrize(("hops", "count"), SUZIEQ_HOPS.items())
def test_suzieq_routes_counted_as_the_reader_makes_them(
    tmp_path: Path, worldwide: CatalogView, mode: str, hops: str, count: int
) -> None:
    """A record that cannot matter is counted a route per next hop or interface, in C as in
    Python (a key written twice: the last; written with an escape: Python decides)."""
    first = '{"hostname": "edge01", "prefix": "52.96.0.0/14", "protocol": "bgp"}'
    rows = ", ".join(
        f'{{"hostname": "edge01", "prefix": "8.8.{k}.0/24", "protocol": "bgp", {hops}}}'
        for k in range(20)
    )
    path = tmp_path / "hops.json"
    path.write_text(f"[{first}, {rows}]\n")
    got = _outcome(path, Interest(worldwide.entries.keys()), fmt="suzieq-json")
    assert got[0] != "error", got
    assert got[1][4] == 1 + 20 * count


def test_a_table_over_the_whole_document_limit_is_streamed(
    tmp_path: Path, worldwide: CatalogView, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The limit on files read whole does not apply: the table is never held whole."""
    path = tmp_path / "big.json"
    path.write_text(_frr_document(_table(worldwide, 3, 2000), "lines", "before"))
    monkeypatch.setattr(base, "MAX_DOCUMENT", 4096)
    interest = Interest(worldwide.entries.keys())
    got = _outcome(path, interest, 1024)
    assert got[0] != "error", got
    assert sum(got[1].values()) > 2000


def test_one_route_over_the_value_limit_is_refused(
    tmp_path: Path, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonstream, "MAX_VALUE", 2000)
    path = tmp_path / "huge.json"
    paths = [{"path": "64500", "nexthops": [{"ip": "192.0.2.1"}], "x": "y" * 5000}]
    path.write_text(json.dumps({"vrfName": "default", "routes": {"8.8.8.0/24": paths}}))
    got = _outcome(path, Interest([]), 512)
    assert got[0] == "error", got
    assert "single JSON value of over" in got[1], got


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ('{"routes": {\n"8.8.8.0/24": [{"path": "1"}],\n}\n}', 3, "expected a key"),
        ('{"routes": {\n"8.8.8.0/24": [{"path": "1"}]\n', 3, "expected ',' or '}'"),
        ('{"routes": {\n"8.8.8.0/24": [{"path": "1",}]}}', 2, "malformed JSON"),
        ('{"routes": {}}\n{"routes": {}} x', 2, "malformed JSON"),
        ('{"vrfName": "a",\n "vrfName": "b", "routes": {}}', 2, "given twice"),
        ('{"routes": {\n"52.96.0.0/14": [{"path": "12076",\n "path": "1"}]}}', 3, "given twice"),
        ('{"routes": {"52.96.0.0/14": [{"path": "1"}],\n"52.96.0.0/14": []}}', 2, "given twice"),
    ],
)
def test_errors_name_their_line(
    tmp_path: Path, mode: str, worldwide: CatalogView, text: str, line: int, reason: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text)
    for block in (1 << 20, 8):
        got = _outcome(path, Interest(worldwide.entries.keys()), block)
        assert got[0] == "error", got
        assert f"bad.json:{line}:" in got[1], (block, got[1])
        assert reason in got[1], got[1]


@pytest.mark.skipif(C_END is None, reason="the C functions are not built")
@settings(max_examples=400, deadline=None)
@given(
    value=st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats()
        | st.text(max_size=8)
        | st.sampled_from(["8.8.8.0/24", "network"]),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.text(max_size=4) | st.sampled_from(KEYS), inner, max_size=4)
        ),
        max_leaves=20,
    ),
    cut=st.integers(0, 400),
    junk=st.sampled_from(["", " ", ",", "]", "}", '"', "\\", "-", "e", "\x1f", "é", "Infinity"]),
    key=st.sampled_from(["", "a", "paths"]),
    member=st.sampled_from(["", "a", "network"]),
    allowed=st.sampled_from([(), ("a",), ("a", "network", "b")]),
)
def test_json_end_never_accepts_what_python_refuses(
    value: Any, cut: int, junk: str, key: str, member: str, allowed: tuple[str, ...]
) -> None:
    """``json_end`` says where a value ends exactly where Python's decoder says so, or -1;
    and says what it holds as Python does (:func:`jsonstream._extract`), or that Python
    must decide (-2)."""
    text = json.dumps(value) + " ,"
    at = cut % len(text)
    text = text[:at] + junk + text[at:]
    assert C_END is not None
    end, items = C_END(text, 0, key, member, allowed)
    try:
        decoded, want = jsonstream._SCAN(text, 0)
    except (StopIteration, ValueError, RecursionError):
        assert end == -1
        return
    if end >= 0:
        assert end == want
        spec = jsonstream.Table(print, count=key, member=member, allowed=allowed)
        assert items == -2 or items == jsonstream._extract(decoded, spec)


@pytest.mark.skipif(C_END is None, reason="the C functions are not built")
@settings(max_examples=600, deadline=None)
@given(
    pairs=st.lists(
        st.tuples(
            st.sampled_from(["1", "2", "3", "10", "\\u0031"]),
            st.sampled_from(["{}", '{"a": 1}', "1", "[]", "null", '{"b": {"c": {}}}']),
        ),
        max_size=20,
    )
)
def test_json_end_counts_paths_keyed_as_genie_as_python_does(pairs: list[tuple[str, str]]) -> None:
    """A count member that is an object of objects (Genie's ``index``): counted as Python
    counts the decoded object, which keeps the last of a key given twice; a key repeated,
    written with an escape, or more than 16: Python decides (-2)."""
    assert C_END is not None
    inner = "{" + ", ".join(f'"{k}": {v}' for k, v in pairs) + "}"
    text = '{"paths": ' + inner + "} ,"
    end, items = C_END(text, 0, "paths", "", ())
    decoded, want = jsonstream._SCAN(text, 0)
    assert end == want
    assert items == -2 or items == jsonstream._extract(
        decoded, jsonstream.Table(print, count="paths")
    )
    keys = [k for k, _ in pairs]
    if len(set(keys)) == len(keys) <= 16 and not any("\\" in k for k in keys):
        assert items != -2
        assert items == (len(keys) if all(v.startswith("{") for _, v in pairs) else -1)


@pytest.mark.skipif(C_END is None, reason="the C functions are not built")
def test_json_end_edges() -> None:
    assert C_END is not None
    deep = "[" * 70 + "]" * 70 + ","
    assert C_END(deep, 0, "", "", ()) == (-1, -1)  # deeper than it vouches for: Python decides
    assert C_END("1" * 5000 + ",", 0, "", "", ())[0] == -1  # Python refuses to convert it
    assert C_END("[{}, {}] ", 0, "", "", ()) == (8, 2)
    assert C_END("-Infinity,", 0, "", "", ()) == (9, -1)
    assert C_END("12", 0, "", "", ()) == (-1, -1)  # may go on in the next block
    assert C_END('"\u2603",', 0, "", "", ()) == (-1, -1)  # not one byte a character: Python decodes
    paths = '{"paths": [{}], "x": 1, "paths": [{}, {}]} '
    assert C_END(paths, 0, "paths", "", ()) == (len(paths) - 1, 2)  # the last, as Python keeps it
    assert C_END('{"p\\u0061ths": [{}]} ', 0, "paths", "", ())[1] == -2  # Python compares it
    row = '{"network": "1.0.0.0/8", "x": 1, "network": "8.8.8.0/24"} '
    assert C_END(row, 0, "", "network", ()) == (len(row) - 1, "8.8.8.0/24")
    assert C_END(row, 0, "", "network", ("network",)) == (len(row) - 1, None)
    assert C_END('{"network": "8.8.8.\\u0030/24"} ', 0, "", "network", ())[1] == -2


@pytest.mark.skipif(C_END is None, reason="the C functions are not built")
@settings(max_examples=3000, deadline=None)
@given(
    text=st.text(alphabet="0123456789abcdefABCDEF:./g", max_size=45)
    | st.ip_addresses().map(str).flatmap(lambda a: st.integers(0, 130).map(lambda n: f"{a}/{n}"))
)
def test_the_c_prefix_rule_is_pythons(text: str) -> None:
    """The C skimmers count a route by its prefix as :func:`prefixtext.prefix_family` does."""
    from routeplan.rib._skim import prefix_family as c_family  # noqa: PLC0415

    assert c_family(text) == prefixtext.prefix_family(text), text
    if prefixtext.prefix_family(text):  # what is counted is a prefix Python reads
        parse_prefix(text, allow_host=True, mask_host=True)
