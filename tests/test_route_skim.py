"""The ``show ip route``, NX-OS, BIRD, Junos and generic CSV skimmers (``route_skim``,
``nxos_skim``, ``bird_skim``, ``junos_skim``, ``csv_skim`` in routeplan/rib/_skim.c) change how
fast a table is read, never what is read: every fixture and public sample of the ios-route,
nxos-route, BIRD and Junos readers, generated NX-OS tables (ECMP, wrapped via lines, VRFs),
generated tables of every platform's layout, generated BIRD tables (further paths, continued
attributes, the brief form), generated Junos tables (further entries, tables not read, lines
the brief form does not print)
and generated CSV exports (quoted, commented, blank and malformed rows, prefixes not written
plainly), and hypothesis mutations of them, read alike with them and with Python reading every
line (an install without a C compiler), in blocks of several sizes: the same routes, counts,
skipped lines and errors."""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routeplan.catalog.query import CatalogView
from routeplan.errors import InputError
from routeplan.model import parse_prefix
from routeplan.rib import bird, generic_csv, ios_route, junos_route, nxos_route, read_routes
from routeplan.rib.base import Interest
from tests.helpers import ROOT, SHARED_DATA
from tests.mutations import mutate

ROUTE_SKIM = ios_route.ROUTE_SKIM
CSV_SKIM = generic_csv.CSV_SKIM


@pytest.fixture(autouse=True)
def _built() -> None:
    if ROUTE_SKIM is None:
        if os.environ.get("ROUTEPLAN_PURE") == "1":
            pytest.skip("ROUTEPLAN_PURE=1 turns the C skimmers off")
        if os.environ.get("ROUTEPLAN_REQUIRE_SKIM") == "1":
            pytest.fail("ROUTEPLAN_REQUIRE_SKIM=1 but the C skimmer is not built")
        pytest.skip("the C skimmer is not built (no compiler, or ROUTEPLAN_PURE=1)")


def _inputs() -> list[Path]:
    paths = sorted(
        p for p in (ROOT / "tests" / "fixtures" / "rib" / "ios-route").iterdir()
        if not p.name.endswith(".yaml")
    )  # fmt: skip
    samples = SHARED_DATA / "rib-samples"
    if samples.is_dir():
        for d in ("cisco-ios-iosxe", "cisco-iosxr", "arista-eos", "frr", "cisco-nxos"):
            paths += [p for p in sorted((samples / d).glob("*")) if "route" in p.name]
    return paths


INPUTS = _inputs()


def _outcome(path: Path, interest: Interest, *, skim: bool, block: int) -> Any:
    saved = ios_route.ROUTE_SKIM, ios_route.BLOCK
    ios_route.ROUTE_SKIM, ios_route.BLOCK = (ROUTE_SKIM if skim else None), block
    try:
        [rib] = read_routes([path], format_name="ios-route", interest=interest)
    except InputError as exc:
        return ("error", str(exc))
    finally:
        ios_route.ROUTE_SKIM, ios_route.BLOCK = saved
    return [r.to_record() for r in rib.routes], rib.counts, rib.skipped, rib.host_bits


def _same(path: Path, interest: Interest, block: int) -> Any:
    pure = _outcome(path, interest, skim=False, block=block)
    fast = _outcome(path, interest, skim=True, block=block)
    # bytes that do not decode: reading line by line decodes ahead, so an error on a line just
    # before them may come second; both ways the file is refused
    decoding = any(isinstance(o, tuple) and "cannot be decoded" in o[1] for o in (pure, fast))
    if decoding and isinstance(pure, tuple) and isinstance(fast, tuple):
        return pure
    assert fast == pure, path
    return pure


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


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_samples_read_alike(path: Path, worldwide: CatalogView) -> None:
    text = path.read_text("utf-8", errors="replace")
    for interest in (Interest(worldwide.entries.keys()), _own_interest(text)):
        for block in (1 << 17, 256):
            _same(path, interest, block)


# ---------------------------------------------------------------------------------------------
# Generated tables

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


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10**6),
    size=st.integers(0, 60),
    style=st.sampled_from(sorted(HEADERS)),
    block=st.sampled_from([64, 300, 1 << 17]),
    damaged=st.booleans(),
    data=st.data(),
)
def test_generated_tables_read_alike(
    tmp_path: Path,
    worldwide: CatalogView,
    seed: int,
    size: int,
    style: str,
    block: int,
    damaged: bool,
    data: st.DataObject,
) -> None:
    raw = _table(worldwide, seed, size, style).encode()
    if damaged:
        raw = mutate(raw, data.draw)
    path = tmp_path / f"t{seed}.txt"
    path.write_bytes(raw)
    text = raw.decode("utf-8", errors="replace")
    for interest in (
        Interest(worldwide.entries.keys(), markers=("12076", "192.0.2.9")),
        _own_interest(text),
    ):
        _same(path, interest, block)


def test_a_large_table_is_mostly_skimmed(tmp_path: Path, worldwide: CatalogView) -> None:
    """The skimmer does pass over the plain lines (not only agree with Python)."""
    path = tmp_path / "big.txt"
    path.write_text(_table(worldwide, 1, 3000, "ios"))
    interest = Interest(worldwide.entries.keys())
    calls: list[int] = []

    def counting(*args: Any) -> Any:
        got = ROUTE_SKIM(*args)  # type: ignore[misc]
        calls.append(got[1])
        return got

    saved = ios_route.ROUTE_SKIM
    ios_route.ROUTE_SKIM = counting
    try:
        [rib] = read_routes([path], format_name="ios-route", interest=interest)
    finally:
        ios_route.ROUTE_SKIM = saved
    assert sum(calls) > 1000, sum(calls)
    assert sum(rib.counts.values()) >= 3000


# ---------------------------------------------------------------------------------------------
# The generic CSV skimmer (csv_skim)


def _csv_outcome(path: Path, interest: Interest, *, skim: bool, block: int) -> Any:
    saved = generic_csv.CSV_SKIM, generic_csv.BLOCK
    generic_csv.CSV_SKIM, generic_csv.BLOCK = (CSV_SKIM if skim else None), block
    try:
        [rib] = read_routes([path], format_name="generic-csv", interest=interest, lenient=True)
    except InputError as exc:
        return ("error", str(exc))
    finally:
        generic_csv.CSV_SKIM, generic_csv.BLOCK = saved
    return [(r.to_record(), r.line) for r in rib.routes], rib.counts, rib.skipped, rib.host_bits


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
def test_generated_csv_reads_alike(
    tmp_path: Path,
    worldwide: CatalogView,
    seed: int,
    size: int,
    block: int,
    damaged: bool,
    data: st.DataObject,
) -> None:
    raw = _csv_table(worldwide, seed, size).encode()
    if damaged:
        raw = mutate(raw, data.draw)
    path = tmp_path / f"t{seed}.csv"
    path.write_bytes(raw)
    for interest in (
        Interest(worldwide.entries.keys(), markers=("12076", "192.0.2.9")),
        _own_interest(raw.decode("utf-8", errors="replace")),
    ):
        pure = _csv_outcome(path, interest, skim=False, block=block)
        fast = _csv_outcome(path, interest, skim=True, block=block)
        decoding = any(isinstance(o, tuple) and "cannot be decoded" in o[1] for o in (pure, fast))
        if not (decoding and isinstance(pure, tuple) and isinstance(fast, tuple)):
            assert fast == pure


def test_a_large_csv_is_mostly_skimmed(tmp_path: Path, worldwide: CatalogView) -> None:
    path = tmp_path / "big.csv"
    rows = [f"10.{k >> 8}.{k & 255}.0/24,192.0.2.1,64500 3356,100" for k in range(3000)]
    path.write_text("prefix,next_hop,as_path,local_pref\n" + "\n".join(rows) + "\n")
    interest = Interest(worldwide.entries.keys())
    calls: list[int] = []

    def counting(*args: Any) -> Any:
        got = CSV_SKIM(*args)  # type: ignore[misc]
        calls.append(got[1])
        return got

    saved = generic_csv.CSV_SKIM
    generic_csv.CSV_SKIM = counting
    try:
        read_routes([path], format_name="generic-csv", interest=interest, lenient=True)
    finally:
        generic_csv.CSV_SKIM = saved
    assert sum(calls) > 1000, sum(calls)


# ---------------------------------------------------------------------------------------------
# The BIRD skimmer (bird_skim)

BIRD_SKIM = bird.BIRD_SKIM


def _bird_outcome(path: Path, interest: Interest, *, skim: bool, block: int) -> Any:
    saved = bird.BIRD_SKIM, bird.BLOCK
    bird.BIRD_SKIM, bird.BLOCK = (BIRD_SKIM if skim else None), block
    try:
        [rib] = read_routes([path], format_name="bird", interest=interest)
    except InputError as exc:
        return ("error", str(exc))
    finally:
        bird.BIRD_SKIM, bird.BLOCK = saved
    return [(r.to_record(), r.line) for r in rib.routes], rib.counts, rib.skipped, rib.host_bits


def _bird_same(path: Path, interest: Interest, block: int) -> None:
    pure = _bird_outcome(path, interest, skim=False, block=block)
    fast = _bird_outcome(path, interest, skim=True, block=block)
    decoding = any(isinstance(o, tuple) and "cannot be decoded" in o[1] for o in (pure, fast))
    if not (decoding and isinstance(pure, tuple) and isinstance(fast, tuple)):
        assert fast == pure, path


def _bird_inputs() -> list[Path]:
    paths = sorted(
        p for p in (ROOT / "tests" / "fixtures" / "rib" / "bird").iterdir()
        if not p.name.endswith(".yaml")
    )  # fmt: skip
    samples = SHARED_DATA / "rib-samples" / "bird"
    if samples.is_dir():
        paths += sorted(p for p in samples.iterdir() if p.is_file())
    return paths


@pytest.mark.parametrize("path", _bird_inputs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_bird_samples_read_alike(path: Path, worldwide: CatalogView) -> None:
    text = path.read_text("utf-8", errors="replace")
    for interest in (Interest(worldwide.entries.keys()), _own_interest(text)):
        for block in (1 << 17, 256):
            _bird_same(path, interest, block)


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


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10**6),
    size=st.integers(0, 60),
    block=st.sampled_from([64, 300, 1 << 17]),
    damaged=st.booleans(),
    data=st.data(),
)
def test_generated_bird_tables_read_alike(
    tmp_path: Path,
    worldwide: CatalogView,
    seed: int,
    size: int,
    block: int,
    damaged: bool,
    data: st.DataObject,
) -> None:
    raw = _bird_table(worldwide, seed, size).encode()
    if damaged:
        raw = mutate(raw, data.draw)
    path = tmp_path / f"t{seed}.txt"
    path.write_bytes(raw)
    for interest in (
        Interest(worldwide.entries.keys(), markers=("12076", "192.0.2.9")),
        _own_interest(raw.decode("utf-8", errors="replace")),
    ):
        _bird_same(path, interest, block)


def test_a_large_bird_table_is_mostly_skimmed(tmp_path: Path, worldwide: CatalogView) -> None:
    path = tmp_path / "big.txt"
    blocks = [
        f"10.{k >> 8}.{k & 255}.0/24 unicast [isp1 from 10.1.1.1] * (100) [AS174i]\n"
        "\tvia 10.1.1.1 on eth0\n\tType: BGP univ\n\tBGP.as_path: 174 1299\n"
        for k in range(2000)
    ]
    path.write_text("BIRD 2.0.12 ready.\n" + "".join(blocks))
    calls: list[int] = []

    def counting(*args: Any) -> Any:
        got = BIRD_SKIM(*args)  # type: ignore[misc]
        calls.append(got[1])
        return got

    saved = bird.BIRD_SKIM
    bird.BIRD_SKIM = counting
    try:
        [rib] = read_routes([path], format_name="bird", interest=Interest(worldwide.entries.keys()))
    finally:
        bird.BIRD_SKIM = saved
    assert sum(calls) > 7000, sum(calls)
    assert rib.counts[4] == 2000


# ---------------------------------------------------------------------------------------------
# The Junos skimmer (junos_skim)

JUNOS_SKIM = junos_route.JUNOS_SKIM


def _junos_outcome(path: Path, interest: Interest, *, skim: bool, block: int) -> Any:
    saved = junos_route.JUNOS_SKIM, junos_route.BLOCK
    junos_route.JUNOS_SKIM, junos_route.BLOCK = (JUNOS_SKIM if skim else None), block
    try:
        [rib] = read_routes([path], format_name="junos-route", interest=interest)
    except InputError as exc:
        return ("error", str(exc))
    finally:
        junos_route.JUNOS_SKIM, junos_route.BLOCK = saved
    records = [(r.to_record(), r.line) for r in rib.routes]
    return records, rib.counts, rib.skipped, rib.host_bits, rib.sections_skipped


def _junos_same(path: Path, interest: Interest, block: int) -> None:
    pure = _junos_outcome(path, interest, skim=False, block=block)
    fast = _junos_outcome(path, interest, skim=True, block=block)
    decoding = any(isinstance(o, tuple) and "cannot be decoded" in o[1] for o in (pure, fast))
    if not (decoding and isinstance(pure, tuple) and isinstance(fast, tuple)):
        assert fast == pure, path


def _junos_inputs() -> list[Path]:
    paths = sorted(
        p for p in (ROOT / "tests" / "fixtures" / "rib" / "junos-route").iterdir()
        if not p.name.endswith(".yaml")
    )  # fmt: skip
    samples = SHARED_DATA / "rib-samples" / "juniper-junos"
    if samples.is_dir():
        paths += sorted(p for p in samples.glob("*show_route*") if p.is_file())
    return paths


@pytest.mark.parametrize("path", _junos_inputs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_junos_samples_read_alike(path: Path, worldwide: CatalogView) -> None:
    text = path.read_text("utf-8", errors="replace")
    for interest in (Interest(worldwide.entries.keys()), _own_interest(text)):
        for block in (1 << 17, 256):
            _junos_same(path, interest, block)


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


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10**6),
    size=st.integers(0, 60),
    block=st.sampled_from([64, 300, 1 << 17]),
    damaged=st.booleans(),
    data=st.data(),
)
def test_generated_junos_tables_read_alike(
    tmp_path: Path,
    worldwide: CatalogView,
    seed: int,
    size: int,
    block: int,
    damaged: bool,
    data: st.DataObject,
) -> None:
    raw = _junos_table(worldwide, seed, size).encode()
    if damaged:
        raw = mutate(raw, data.draw)
    path = tmp_path / f"t{seed}.txt"
    path.write_bytes(raw)
    for interest in (
        Interest(worldwide.entries.keys(), markers=("12076", "192.0.2.9")),
        _own_interest(raw.decode("utf-8", errors="replace")),
    ):
        _junos_same(path, interest, block)


def test_a_large_junos_table_is_mostly_skimmed(tmp_path: Path, worldwide: CatalogView) -> None:
    path = tmp_path / "big.txt"
    dests = [
        f"10.{k >> 8}.{k & 255}.0/24     *[BGP/170] 1w2d 03:04:05, localpref 100\n"
        "                      AS path: 174 1299 I\n"
        "                    >  to 10.1.1.1 via ae1.100\n"
        for k in range(2000)
    ]
    path.write_text("\ninet.0: 2000 destinations, 2000 routes\n\n" + "".join(dests))
    calls: list[int] = []

    def counting(*args: Any) -> Any:
        got = JUNOS_SKIM(*args)  # type: ignore[misc]
        calls.append(got[1])
        return got

    saved = junos_route.JUNOS_SKIM
    junos_route.JUNOS_SKIM = counting
    try:
        [rib] = read_routes(
            [path], format_name="junos-route", interest=Interest(worldwide.entries.keys())
        )
    finally:
        junos_route.JUNOS_SKIM = saved
    assert sum(calls) > 5000, sum(calls)
    assert rib.counts[4] == 2000


# ---------------------------------------------------------------------------------------------
# The NX-OS skimmer (nxos_skim)

NXOS_SKIM = nxos_route.NXOS_SKIM


def _nxos_outcome(path: Path, interest: Interest, *, skim: bool, block: int) -> Any:
    saved = nxos_route.NXOS_SKIM, nxos_route.BLOCK
    nxos_route.NXOS_SKIM, nxos_route.BLOCK = (NXOS_SKIM if skim else None), block
    try:
        [rib] = read_routes([path], format_name="nxos-route", interest=interest)
    except InputError as exc:
        return ("error", str(exc))
    finally:
        nxos_route.NXOS_SKIM, nxos_route.BLOCK = saved
    return [(r.to_record(), r.line) for r in rib.routes], rib.counts, rib.skipped, rib.host_bits


def _nxos_same(path: Path, interest: Interest, block: int) -> None:
    pure = _nxos_outcome(path, interest, skim=False, block=block)
    fast = _nxos_outcome(path, interest, skim=True, block=block)
    decoding = any(isinstance(o, tuple) and "cannot be decoded" in o[1] for o in (pure, fast))
    if not (decoding and isinstance(pure, tuple) and isinstance(fast, tuple)):
        assert fast == pure, path


def _nxos_inputs() -> list[Path]:
    paths = sorted(
        p for p in (ROOT / "tests" / "fixtures" / "rib" / "nxos-route").iterdir()
        if not p.name.endswith(".yaml")
    )  # fmt: skip
    samples = SHARED_DATA / "rib-samples" / "cisco-nxos"
    if samples.is_dir():
        paths += sorted(p for p in samples.glob("*route*") if p.is_file())
    return paths


@pytest.mark.parametrize("path", _nxos_inputs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_nxos_samples_read_alike(path: Path, worldwide: CatalogView) -> None:
    text = path.read_text("utf-8", errors="replace")
    for interest in (Interest(worldwide.entries.keys()), _own_interest(text)):
        for block in (1 << 17, 256):
            _nxos_same(path, interest, block)


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


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 10**6),
    size=st.integers(0, 60),
    block=st.sampled_from([64, 300, 1 << 17]),
    damaged=st.booleans(),
    data=st.data(),
)
def test_generated_nxos_tables_read_alike(
    tmp_path: Path,
    worldwide: CatalogView,
    seed: int,
    size: int,
    block: int,
    damaged: bool,
    data: st.DataObject,
) -> None:
    raw = _nxos_table(worldwide, seed, size).encode()
    if damaged:
        raw = mutate(raw, data.draw)
    path = tmp_path / f"t{seed}.txt"
    path.write_bytes(raw)
    for interest in (
        Interest(worldwide.entries.keys(), markers=("12076", "192.0.2.9")),
        _own_interest(raw.decode("utf-8", errors="replace")),
    ):
        _nxos_same(path, interest, block)


def test_a_large_nxos_table_is_mostly_skimmed(tmp_path: Path, worldwide: CatalogView) -> None:
    path = tmp_path / "big.txt"
    dests = [
        f"10.{k >> 8}.{k & 255}.0/24, ubest/mbest: 1/0\n"
        "    *via 10.1.1.1, [20/0], 1w2d, bgp-65000, external, tag 174\n"
        for k in range(2000)
    ]
    path.write_text('IP Route Table for VRF "default"\n' + "".join(dests))
    calls: list[int] = []

    def counting(*args: Any) -> Any:
        got = NXOS_SKIM(*args)  # type: ignore[misc]
        calls.append(got[1])
        return got

    saved = nxos_route.NXOS_SKIM
    nxos_route.NXOS_SKIM = counting
    try:
        [rib] = read_routes(
            [path], format_name="nxos-route", interest=Interest(worldwide.entries.keys())
        )
    finally:
        nxos_route.NXOS_SKIM = saved
    assert sum(calls) > 3000, sum(calls)
    assert rib.counts[4] == 2000
