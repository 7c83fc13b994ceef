"""Route-table readers: the project's fixture pairs, the real public samples, bad input."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import routeplan
from benchmarks.iosfmt import HEADER, path_line
from routeplan.catalog.query import CatalogView
from routeplan.errors import InputError, NotFoundError
from routeplan.model import parse_prefix
from routeplan.policy import PathRules, Policy
from routeplan.rib import FORMATS, Interest, RibInput, get_format, read_routes
from routeplan.rib.base import asn
from tests.helpers import ROOT, shared_data
from tests.mutations import mutate

FIXTURES = ROOT / "tests" / "fixtures" / "rib"
INPUTS = sorted(
    p
    for p in FIXTURES.glob("*/*")
    if not p.name.endswith(".yaml") and p.suffix != ".py" and "_bad." not in p.name
)
BAD_INPUTS = sorted(p for p in FIXTURES.glob("*/*_bad.*") if not p.name.endswith(".yaml"))
"""Inputs a reader must refuse, each with ``NAME.error.yaml``: the line and the error text."""


def _expected(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.with_name(path.name + ".expected.yaml").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_reads_as_its_reviewed_expectation(path: Path) -> None:
    expected = _expected(path)
    [got] = read_routes([path])
    assert got.format == path.parent.name == expected["format"]
    assert {"ipv4": got.counts[4], "ipv6": got.counts[6]} == expected["counts"]
    assert got.host_bits == expected["host_bits_cleared"]
    assert [r.to_record() for r in got.routes] == expected["routes"]


@pytest.mark.parametrize("path", BAD_INPUTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_bad_fixture_is_refused_with_its_named_error(path: Path) -> None:
    expected = yaml.safe_load(path.with_name(path.name + ".error.yaml").read_text("utf-8"))
    for fmt in (path.parent.name, "auto"):
        with pytest.raises(InputError) as caught:
            read_routes([path], format_name=fmt)
        assert caught.value.line == expected["line"]
        assert expected["error"] in str(caught.value)
    if expected["line"] is None:
        return  # the whole file is refused (not a route table), in lenient mode too
    # lenient mode skips the whole route and counts it; it never keeps a route from it
    [got] = read_routes([path], format_name=path.parent.name, lenient=True)
    assert expected["line"] in [s.line for s in got.skipped]
    assert all(r.line != expected["line"] for r in got.routes)
    # a route whose lines surround the bad one is dropped whole, not built from the rest
    dropped = set(expected.get("lenient_drops", ()))
    assert not dropped & {str(r.prefix) for r in got.routes}


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_named_format_reads_the_same_as_detection(path: Path) -> None:
    [auto] = read_routes([path])
    [named] = read_routes([path], format_name=path.parent.name)
    assert auto.routes == named.routes


def test_every_registered_format_has_fixture_pairs() -> None:
    missing = []
    for fmt in FORMATS:
        pairs = [p for p in INPUTS if p.parent.name == fmt.name]
        if not pairs:
            missing.append(fmt.name)
        for p in pairs:
            assert p.with_name(p.name + ".expected.yaml").is_file(), p
    assert not missing, f"formats without fixtures: {missing}"
    assert {p.parent.name for p in INPUTS} <= {f.name for f in FORMATS}


@pytest.mark.parametrize(
    ("name", "section"),
    [
        ("genie-iosxe-show-bgp-l2vpn-evpn.txt", "L2VPN EVPN routes"),
        ("genie-iosxe-show-ip-bgp-l2vpn-evpn.txt", "L2VPN EVPN routes"),
        ("genie-iosxe-show-ip-bgp-l2vpn-vpls.txt", "L2VPN VPLS routes"),
    ],
)
@pytest.mark.parametrize("pure", ["0", "1"])
def test_an_l2vpn_table_is_passed_over_and_named_not_read_as_prefixes(
    name: str, section: str, pure: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROUTEPLAN_PURE", pure)
    [got] = read_routes([FIXTURES / "ios-bgp" / name])
    assert got.sections_skipped == (section,)
    assert not got.routes
    assert got.counts[4] == got.counts[6] == 0
    with pytest.raises(InputError, match=f"no IP routes found .*passed over: {section}"):
        routes_from_files_checked(FIXTURES / "ios-bgp" / name)


def routes_from_files_checked(path: Path) -> None:
    """What routeplan diff does with the file: the check refuses a table without IP routes."""
    from routeplan.catalog import load_catalog, select_view  # noqa: PLC0415
    from routeplan.commands import diff_routers  # noqa: PLC0415

    view = select_view(load_catalog(include_user=False), "Worldwide")
    diff_routers(view, [("r", [path])])


@pytest.mark.parametrize("manifest", ["public-samples.yaml", "lab-captures.yaml"])
def test_every_fixture_manifest_entry_names_a_fixture_and_its_provenance(manifest: str) -> None:
    """The provenance manifests are data a reader of the tests relies on: each parses, each
    entry names a fixture that exists (once), and a public sample says where it is from (the
    repository, the file, a full commit and the licence) and what was changed."""
    doc = yaml.safe_load((FIXTURES / manifest).read_text("utf-8"))
    entries = doc["files"]
    paths = [e["path"] for e in entries]
    assert len(paths) == len(set(paths)), "a fixture listed twice"
    for e in entries:
        assert (FIXTURES / e["path"]).is_file(), e["path"]
        assert (FIXTURES / (e["path"] + ".expected.yaml")).is_file() or (
            FIXTURES / (e["path"] + ".error.yaml")
        ).is_file(), e["path"]
        if manifest == "public-samples.yaml":
            assert re.fullmatch(r"[0-9a-f]{40}", str(e["commit"])), e["path"]
            assert e["repository"].count("/") == 1, e["path"]
            for key in ("source", "licence", "changed", "shape"):
                assert e[key], (e["path"], key)
        else:
            assert e["command"], e["path"]


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_interest_keeps_exactly_the_routes_that_can_matter(
    path: Path, worldwide: CatalogView
) -> None:
    """The cheap text prefilter never drops a route the exact test would keep."""
    interest = Interest(worldwide.entries.keys())
    [everything] = read_routes([path])
    [kept] = read_routes([path], interest=interest)
    assert kept.routes == tuple(r for r in everything.routes if interest.keep(r))
    assert kept.counts == everything.counts


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: f"{p.parent.name}/{p.name}")
@pytest.mark.parametrize("keep", ["all", "interest"])
def test_text_in_memory_reads_as_the_file_does(
    path: Path, keep: str, worldwide: CatalogView
) -> None:
    """An upload or a paste (routes_from_text) gives what the same file gives: the same
    routes, line numbers, counts and skipped lines, with CR LF line ends too."""
    interest = Interest(worldwide.entries.keys()) if keep == "interest" else None
    [from_file] = routeplan.routes_from_files([path], interest=interest, lenient=True)
    raw = path.read_bytes()
    for data in (raw, raw.replace(b"\n", b"\r\n")):
        from_text = routeplan.routes_from_text(
            data, name=str(path), interest=interest, lenient=True
        )
        assert from_text == from_file


_DAMAGED = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
"""For the tests over damaged fixtures (more examples: edit max_examples)."""


def _quiet(source: str, done: int | None) -> None:
    """A progress callback that takes the reports and shows nothing."""


def _read_ways(path: Path, interest: Interest | None) -> list[object]:
    """The same route table read as a file, as a file on a terminal (with progress), and as
    uploaded bytes: routes, or the error."""
    from routeplan.rib import base  # noqa: PLC0415

    def attempt(call: Callable[[], list[RibInput]]) -> object:
        try:
            return call()
        except InputError as exc:
            return str(exc)

    with mock.patch.object(base, "PROGRESS_BYTES", 0):
        progress = attempt(lambda: read_routes([path], interest=interest, progress=_quiet))
    return [
        attempt(lambda: routeplan.routes_from_files([path], interest=interest)),
        progress,
        attempt(lambda: [routeplan.routes_from_text(path.read_bytes(), name=str(path),
                                                    interest=interest)]),
    ]  # fmt: skip


@_DAMAGED
@given(data=st.data())
def test_damaged_text_reads_as_the_damaged_file(
    tmp_path_factory: pytest.TempPathFactory, worldwide: CatalogView, data: st.DataObject
) -> None:
    """An upload's bytes, damaged as files get damaged, read as the file with those bytes
    does (UTF-16 and BOMs included), and a file read on a terminal as it does elsewhere."""
    source = data.draw(st.sampled_from(INPUTS))
    raw = mutate(source.read_bytes(), data.draw)
    path = tmp_path_factory.mktemp("t") / source.name
    path.write_bytes(raw)
    interest = Interest(worldwide.entries.keys()) if data.draw(st.booleans()) else None
    from_file, with_progress, from_text = _read_ways(path, interest)
    assert with_progress == from_file
    if isinstance(from_file, str) or isinstance(from_text, str):
        # refused both ways; with several faults, which one is named first may differ (an
        # upload is decoded before its lines are read)
        assert isinstance(from_file, str), from_text
        assert isinstance(from_text, str), from_file
        return
    assert from_text == from_file


# -- generated Cisco tables: the column logic against what wrote them ---------------------------

_statuses = st.sampled_from(["*>", "*", "* i", "*>i", "r>i", "s>", "*m"])
_nets = st.tuples(
    st.integers(1, 223), st.integers(0, 255), st.integers(0, 255), st.integers(8, 32)
).map(lambda t: str(parse_prefix(f"{t[0]}.{t[1]}.{t[2]}.0/{t[3]}", mask_host=True)))
_hops = st.tuples(st.integers(1, 223), st.integers(0, 255), st.integers(1, 254)).map(
    lambda t: f"{t[0]}.{t[1]}.0.{t[2]}"
)
_paths = st.lists(st.integers(1, 4_294_967_295), max_size=6)
_opt = st.one_of(st.none(), st.integers(0, 4_000_000_000))
_lp = st.one_of(st.none(), st.integers(0, 999_999))
_row = st.tuples(_statuses, _nets, _hops, _opt, _lp, st.integers(0, 65535), _paths, st.booleans())


@settings(max_examples=60, deadline=None)
@given(st.lists(_row, min_size=1, max_size=12))
def test_ios_table_round_trip(tmp_path_factory: pytest.TempPathFactory, rows: list) -> None:
    text = HEADER.format(version=1, router_id="10.0.0.1")
    want = []
    for status, net, hop, metric, lp, weight, path, again in rows:
        origin = " ".join(str(a) for a in path) + " i" if path else "i"
        text += path_line(status, net, hop, metric, lp, weight, origin)
        want.append((net, hop, tuple(path), metric, lp, ">" in status))
        if again:  # a further path with an empty network column
            text += path_line("*", "", hop, None, lp, weight, origin)
            want.append((net, hop, tuple(path), None, lp, False))
    file = tmp_path_factory.mktemp("t") / "rib.txt"
    file.write_text(text)
    [got] = read_routes([file], format_name="ios-bgp")
    assert [
        (str(r.prefix), r.next_hop, r.as_path, r.metric, r.local_pref, r.best) for r in got.routes
    ] == want


_any_net4 = st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 32)).map(
    lambda t: str(parse_prefix(f"{t[0]}.{t[1]}.0.0/{t[2]}", mask_host=True))
)
_any_net6 = st.tuples(st.integers(0, 0xFFFF), st.integers(0, 0xFFFF), st.integers(0, 64)).map(
    lambda t: str(parse_prefix(f"{t[0]:x}:{t[1]:x}::/{t[2]}", mask_host=True))
)


@pytest.mark.parametrize("shifted", [False, True], ids=["aligned", "shifted"])
@settings(max_examples=40, deadline=None)
@given(
    nets=st.lists(
        st.one_of(
            _any_net4,
            _any_net6,
            st.sampled_from(["52.96.0.0/14", "52.97.0.0/16", "40.64.0.0/10", "2603:1000::/24"]),
        ),
        min_size=1,
        max_size=40,
        unique=True,
    )
)
def test_prefilter_never_drops_what_the_exact_rule_keeps(
    tmp_path_factory: pytest.TempPathFactory, worldwide: CatalogView, nets: list[str], shifted: bool
) -> None:
    """Also for a capture whose route lines lost their leading space (so the columns no longer
    line up with the header and the general path reads them)."""
    text = HEADER.format(version=1, router_id="10.0.0.1")
    for k, net in enumerate(nets):
        hop = "2001:db8::1" if ":" in net else "203.0.113.1"
        origin = "64496 12076 i" if k % 5 == 1 else "64496 i"
        line = path_line("*>i" if k % 2 else "*>", net, hop, 0, 100, 0, origin)
        if k % 3 == 0:
            line += path_line("*", "", hop, 0, 90, 0, "64497 12076 i" if k % 4 else "64497 i")
        text += "".join(x[1:] + "\n" for x in line.splitlines()) if shifted else line
    file = tmp_path_factory.mktemp("t") / "rib.txt"
    file.write_text(text)
    interest = Interest(worldwide.entries.keys())
    [everything] = read_routes([file])
    [kept] = read_routes([file], interest=interest)
    assert kept.routes == tuple(r for r in everything.routes if interest.keep(r))
    assert kept.counts == everything.counts


# -- the real public samples -------------------------------------------------------------------

NOT_ROUTE_TABLES = {
    # detail views and neighbour summaries are not route tables this release reads
    "ntc_arista_eos_show_ip_bgp_detail.raw.txt",
    "genie_iosxe_show_bgp_all_detail_golden1.txt",
    "ExpressRouteCircuitRouteTableSummaryList.rest-api-example.json",
    "Get-AzureDedicatedCircuitPeeringRouteTableSummary.classic.docs-example.txt",
}


EMPTY_AZURE_TABLE = "ExpressRouteCircuitRouteTableList.rest-api-example.json"


def _samples() -> list[Path]:
    base = Path(__file__).resolve().parents[2] / "shared" / "data" / "rib-samples"
    if not base.is_dir():
        return []
    return sorted(p for p in base.rglob("*") if p.suffix in (".txt", ".json"))


def _oracle_prefix(record: dict[str, str]) -> str:
    net = record.get("network") or record.get("prefix") or ""
    mask = record.get("netmask") or record.get("prefix_length")
    return f"{net}/{mask}" if mask else net


@pytest.mark.shared
@pytest.mark.parametrize("sample", _samples() or [None], ids=lambda p: p.name if p else "none")
def test_real_sample(sample: Path | None) -> None:
    shared_data()
    if sample is None:
        pytest.skip("no samples")
    if sample.name in NOT_ROUTE_TABLES:
        # refused, and where it is another command's output, saying which
        with pytest.raises(InputError, match=r"cannot tell which route-table format|not a route"):
            read_routes([sample])
        return
    [got] = read_routes([sample])
    assert not got.skipped
    if sample.name == EMPTY_AZURE_TABLE:
        assert got.routes == ()  # Azure's empty route table: one row of empty fields
        return
    assert got.routes, sample
    # ntc-templates samples carry their expected parse; the others are held to the reviewed
    # fixture pairs of the same format (tests/fixtures/rib)
    if not sample.name.endswith(".raw.txt"):
        return
    oracle = sample.with_name(sample.name.replace(".raw.txt", ".parsed.yml"))
    if not oracle.is_file():
        return
    want = yaml.safe_load(oracle.read_text("utf-8"))["parsed_sample"]
    assert len(got.routes) == len(want)
    for record, route in zip(want, got.routes, strict=True):
        net = _oracle_prefix(record)
        if "/" in net:
            assert route.prefix == parse_prefix(net.lower(), mask_host=True), route.line
        else:
            assert route.prefix.address == net.lower(), route.line
        hop = record.get("next_hop", record.get("nexthop_ip"))
        assert route.next_hop == (None if hop in ("", "-", None) else hop), route.line
        if "as_path" in record:
            path = re.sub(r"[{}]", " ", record["as_path"]).split()
            assert route.as_path == tuple(asn(a) for a in path), route.line
        for key, value in (("local_pref", route.local_pref), ("metric", route.metric)):
            if key in record:
                assert value == (int(record[key]) if record[key].isdigit() else None), route.line


# -- bad input ---------------------------------------------------------------------------------


def test_unknown_format_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError) as caught:
        get_format("cisco")
    assert "ios-bgp" in str(caught.value)
    assert "junos-route" in str(caught.value)


def test_undetectable_file_says_what_was_tried(tmp_path: Path) -> None:
    f = tmp_path / "notes.txt"
    f.write_text("these are my notes\nnot a route table\n")
    with pytest.raises(InputError) as caught:
        read_routes([f])
    assert "cannot tell which route-table format" in str(caught.value)
    assert "tried generic-json" in str(caught.value)
    assert "--format" in str(caught.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"empty \(0 bytes\)"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", "binary"),
        (b"   \n\n", "only white space"),
    ],
)
def test_empty_and_binary_files_are_clear_errors(
    tmp_path: Path, content: bytes, message: str
) -> None:
    f = tmp_path / "rib.txt"
    f.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_routes([f])


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        read_routes([tmp_path / "nope.txt"])
    with pytest.raises(InputError, match="directory"):
        read_routes([tmp_path])


BAD_IOS = (
    (FIXTURES / "ios-bgp" / "show-ip-bgp.txt")
    .read_text()
    .replace(
        "64496 i\n *                    198.51.100.1",
        "64496 i\n *                    198.51.100.1             0             0 645x11 i\n *   ",
        1,
    )
)


def test_malformed_line_names_file_line_and_text(tmp_path: Path) -> None:
    f = tmp_path / "rib.txt"
    f.write_text(BAD_IOS)
    with pytest.raises(InputError) as caught:
        read_routes([f])
    error = caught.value
    assert error.source == str(f)
    assert error.line == 11
    assert "645x11" in str(error)
    assert "--lenient" in str(error)


def test_lenient_counts_and_keeps_going(tmp_path: Path) -> None:
    f = tmp_path / "rib.txt"
    f.write_text(BAD_IOS)
    [got] = read_routes([f], lenient=True)
    # line 12 is what is left of the damaged path: a '0' where the next hop belongs; it was
    # once read as a route with next hop '0' (invented); now it is refused as well
    assert [s.line for s in got.skipped] == [11, 12]
    assert str(got.routes[-1].prefix) == "192.0.2.0/24"


def test_truncated_wrapped_network_is_reported(tmp_path: Path) -> None:
    f = tmp_path / "rib.txt"
    f.write_text(HEADER.format(version=1, router_id="10.0.0.1") + " *>  131.253.33.215/32\n")
    with pytest.raises(InputError, match="ends inside a route"):
        read_routes([f])


def test_generic_csv_rejects_unknown_columns(tmp_path: Path) -> None:
    f = tmp_path / "routes.csv"
    f.write_text("prefix,nexthop\n52.96.0.0/14,192.0.2.1\n")
    with pytest.raises(InputError) as caught:
        read_routes([f], format_name="generic-csv")
    assert "unknown: nexthop" in str(caught.value)
    assert caught.value.line == 1


def test_generic_csv_checks_the_prefix_of_a_row_that_cannot_matter(
    tmp_path: Path, worldwide: CatalogView
) -> None:
    """A row whose route cannot matter is counted from its prefix without the rest parsed;
    its prefix is still checked, and a row with a marker is read in full."""
    interest = Interest(worldwide.entries.keys())
    f = tmp_path / "routes.csv"
    head = "next_hop,prefix,as_path,local_pref\n"
    f.write_text(head + "203.0.113.1,8.8.8.0/24,64496,100\n203.0.113.1,9.9.9.0/24,64496,lots\n")
    [rib] = read_routes([f], interest=interest)
    assert rib.counts == {4: 2, 6: 0}
    assert rib.routes == ()
    f.write_text(head + "203.0.113.1,8.8.8.0/33,64496,100\n")
    with pytest.raises(InputError, match=r"8\.8\.8\.0/33") as caught:
        read_routes([f], interest=interest)
    assert caught.value.line == 2
    f.write_text(head + "203.0.113.1,8.8.8.0/24,64496 12076,lots\n")
    with pytest.raises(InputError, match="local_pref 'lots'"):
        read_routes([f], interest=interest)


def test_the_skimmer_is_there_when_expected() -> None:
    """CI requires the C skimmer that a normal install builds (ROUTEPLAN_REQUIRE_SKIM=1), then
    runs the route-table tests again with it turned off (ROUTEPLAN_PURE=1)."""
    import os  # noqa: PLC0415

    from routeplan.rib import bgptable  # noqa: PLC0415
    from routeplan.rib.skimre import RegexSkimmer  # noqa: PLC0415

    if os.environ.get("ROUTEPLAN_PURE") == "1":
        assert bgptable.SKIM_C is None
        assert isinstance(bgptable.SKIM, RegexSkimmer)
    elif os.environ.get("ROUTEPLAN_REQUIRE_SKIM") == "1":
        assert bgptable.SKIM_C is not None
        assert bgptable.SKIM is bgptable.SKIM_C
        assert bgptable.SKIM_C.__module__ == "routeplan.rib._skim"
    elif bgptable.SKIM_C is None:
        pytest.skip("the C skimmer is not built here (no C compiler at install time)")


@pytest.mark.parametrize("skim", [True, False], ids=["skimmer", "python"])
def test_progress_on_large_inputs(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    worldwide: CatalogView,
    skim: bool,
) -> None:
    """Large inputs tell the caller's progress callback how far reading has got, and that it
    is done; the routes are the same, and the library itself writes nothing to stderr."""
    from routeplan.rib import base, bgptable  # noqa: PLC0415

    if skim and bgptable.SKIM is None:
        pytest.skip("no skimmer here")
    monkeypatch.setattr(base, "PROGRESS_BYTES", 1000)
    monkeypatch.setattr(bgptable, "BLOCK", 2048)
    if not skim:
        monkeypatch.setattr(bgptable, "SKIM", None)
    rows = [
        path_line("*>", f"8.{i}.0.0/16", "203.0.113.1", 0, 100, 0, "64496 i") for i in range(99)
    ]
    rows.insert(50, path_line("*>", "52.96.0.0/14", "192.0.2.1", None, None, 0, "12076 i"))
    table = tmp_path / "big.txt"
    table.write_text(HEADER.format(version=1, router_id="10.0.0.1") + "".join(rows))
    told: list[tuple[str, int | None]] = []
    [rib] = read_routes(
        [table],
        interest=Interest(worldwide.entries.keys()),
        progress=lambda source, done: told.append((source, done)),
    )
    assert [str(r.prefix) for r in rib.routes] == ["52.96.0.0/14"]
    assert rib.counts[4] == 100
    assert capsys.readouterr().err == ""
    assert told[-1] == (str(table), None)
    assert all(source == str(table) for source, _ in told)
    done = [d for _, d in told[:-1]]
    assert done == sorted(done)
    assert all(d is not None and 0 < d <= 100 for d in done)
    if skim:  # a percentage after every block
        assert len(done) > 1
        assert done[-1] == 100


@pytest.mark.parametrize("odd", [" *>", " *>  ", "*", " *>  8.8.8.0/24", " *   "])
def test_short_lines_read_the_same_every_way(
    tmp_path: Path, worldwide: CatalogView, odd: str
) -> None:
    """A line cut short inside the status or network column: a file, a file read on a
    terminal and an upload of it must agree (the line's end is part of what is read)."""
    table = tmp_path / "rib.txt"
    body = path_line("*>", "8.8.4.0/24", "203.0.113.1", 0, 100, 0, "64496 i")
    table.write_text(HEADER.format(version=1, router_id="10.0.0.1") + body + odd + "\n" + body)
    for interest in (None, Interest(worldwide.entries.keys())):
        ways = _read_ways(table, interest)
        assert ways[1] == ways[0]
        assert ways[2] == ways[0]


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.one_of(
                _any_net4,
                st.sampled_from(["52.96.0.0/14", "52.97.0.0/16", "40.64.0.0/10", "0.0.0.0/0"]),
            ),
            st.sampled_from(["B    ", "S    ", "O E2 ", "S*   "]),
            st.sampled_from(["192.0.2.1", "203.0.113.1", "10.9.9.9"]),
            st.booleans(),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_route_table_prefilter_never_drops_what_the_exact_rule_keeps(
    tmp_path_factory: pytest.TempPathFactory, worldwide: CatalogView, rows: list
) -> None:
    """show ip route: routes that cannot matter are counted without being parsed; the ones
    kept are exactly those the exact rule keeps (a policy next hop marks a route too)."""
    text = "Codes: L - local, C - connected, S - static, B - BGP\n\n"
    for net, code, hop, split in rows:
        if split:  # the next hop on a line of its own, as for several paths
            text += f"{code} {net} \n           [20/0] via {hop}, 1w2d\n"
        else:
            text += f"{code} {net} [20/0] via {hop}, 1w2d\n"
    file = tmp_path_factory.mktemp("t") / "route.txt"
    file.write_text(text)
    rules = PathRules(asns=frozenset({12076}), next_hops=frozenset({"10.9.9.9"}))
    interest = routeplan.check_interest(routeplan.make_plan(worldwide), Policy(expressroute=rules))
    [everything] = read_routes([file], format_name="ios-route")
    [kept] = read_routes([file], format_name="ios-route", interest=interest)
    assert kept.routes == tuple(r for r in everything.routes if interest.keep(r))
    assert kept.counts == everything.counts


def test_policy_markers_are_found_in_any_case(tmp_path: Path, worldwide: CatalogView) -> None:
    """A next hop or interface named in the policy (stored in lower case) marks a route
    however the router prints it: IOS prints IPv6 in upper case. Such a route, outside every
    catalog prefix, is kept only for that mark."""
    text = HEADER.format(version=1, router_id="10.0.0.1")
    text += path_line("*>", "2001:db8:1234::/48", "2001:DB8:E::1", 0, 100, 0, "64496 i")
    text += path_line("*>", "2001:db8:5678::/48", "2001:DB8:F::1", 0, 100, 0, "64496 i")
    text += path_line("*>", "2001:db8:9abc::/48", "2001:DB8:F::1", 0, 100, 0, "64496 i")
    table = tmp_path / "v6.txt"
    table.write_text(text)
    rules = PathRules(asns=frozenset({12076}), next_hops=frozenset({"2001:db8:e::1"}))
    interest = routeplan.check_interest(routeplan.make_plan(worldwide), Policy(expressroute=rules))
    [everything] = read_routes([table])
    [kept] = read_routes([table], interest=interest)
    assert [str(r.prefix) for r in kept.routes] == ["2001:db8:1234::/48"]
    assert kept.routes == tuple(r for r in everything.routes if interest.keep(r))


@_DAMAGED
@given(data=st.data())
def test_damaged_tables_keep_exactly_what_the_exact_rule_keeps(
    tmp_path_factory: pytest.TempPathFactory, worldwide: CatalogView, data: st.DataObject
) -> None:
    """Every reader's shortcuts for routes that cannot matter (the skimmer, the text tests,
    Junos routes read only when a line of theirs is marked) keep what the exact rule keeps,
    also on damaged tables, with a policy next hop and interface as markers."""
    source = data.draw(st.sampled_from(INPUTS))
    path = tmp_path_factory.mktemp("t") / source.name
    raw = source.read_bytes()
    path.write_bytes(mutate(raw, data.draw) if data.draw(st.booleans()) else raw)
    rules = PathRules(
        asns=frozenset({12076}),
        next_hops=frozenset({"192.0.2.5", "2001:db8:e::1"}),
        interfaces=frozenset({"ae2.100"}),
    )
    interest = routeplan.check_interest(routeplan.make_plan(worldwide), Policy(expressroute=rules))
    try:
        [everything] = read_routes([path])
        [kept] = read_routes([path], interest=interest)
    except InputError:
        return  # refused (with the interest, a fault on a line that cannot matter may pass)
    assert kept.routes == tuple(r for r in everything.routes if interest.keep(r))


def _bird_route(net: str, hop: str, path: str, first: bool) -> str:
    head = f"{net:<20} " if first else " " * 21
    return (
        f"{head}unicast [peer1 2026-11-20 08:17:33 from {hop}] * (100) [AS64496i]\n"
        f"\tvia {hop} on eth0\n\tType: BGP univ\n\tBGP.origin: IGP\n"
        f"\tBGP.as_path: {path}\n\tBGP.next_hop: {hop}\n\tBGP.local_pref: 100\n"
    )


def _junos_route(net: str, hop: str, path: str, first: bool) -> str:
    head = f"{net:<19}*" if first else " " * 20
    return (
        f"{head}[BGP/170] 3w3d 03:12:45, localpref 100\n"
        f"                      AS path: {path} I, validation-state: unverified\n"
        f"                    >  to {hop} via ge-0/0/0.0\n"
    )


@pytest.mark.parametrize("fmt", ["bird", "junos-route"])
@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.one_of(_any_net4, st.sampled_from(["52.96.0.0/14", "40.64.0.0/10", "0.0.0.0/0"])),
            st.lists(
                st.tuples(
                    st.sampled_from(["192.0.2.1", "203.0.113.1", "10.9.9.9"]),
                    st.sampled_from(["64496", "64496 12076", "64496 112076 64511"]),
                ),
                min_size=1,
                max_size=3,
            ),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_multi_line_routes_keep_exactly_what_the_exact_rule_keeps(
    tmp_path_factory: pytest.TempPathFactory, worldwide: CatalogView, fmt: str, rows: list
) -> None:
    """BIRD and Junos routes of a destination that cannot matter by itself are set aside and
    read only when a later line of theirs (the AS path, the next hop) carries a marker."""
    if fmt == "bird":
        text = "BIRD 2.0.12 ready.\nTable master4:\n"
        route = _bird_route
    else:
        text = "inet.0: 9 destinations, 9 routes (9 active, 0 holddown, 0 hidden)\n"
        text += "+ = Active Route, - = Last Active, * = Both\n\n"
        route = _junos_route
    for net, paths in rows:
        text += "".join(route(net, hop, path, k == 0) for k, (hop, path) in enumerate(paths))
    file = tmp_path_factory.mktemp("t") / "routes.txt"
    file.write_text(text)
    rules = PathRules(asns=frozenset({12076}), next_hops=frozenset({"10.9.9.9"}))
    interest = routeplan.check_interest(routeplan.make_plan(worldwide), Policy(expressroute=rules))
    [everything] = read_routes([file], format_name=fmt)
    [kept] = read_routes([file], format_name=fmt, interest=interest)
    assert kept.routes == tuple(r for r in everything.routes if interest.keep(r))
    assert kept.counts == everything.counts
    assert sum(everything.counts.values()) == sum(len(p) for _, p in rows)


def formats_section() -> str:
    """docs/formats.md's per-format section, made from the registry (one source of truth)."""
    out = [
        "## Per format: the commands read, the views refused",
        "",
        "Made from the readers' registry (`RibFormat.commands`, `.refuses`); a test keeps it",
        "equal. Every text format also refuses a BGP neighbour summary, a neighbour's details",
        "and one prefix's detail view, naming what it looks like (above).",
        "",
        "| format | commands and views read | refused or skipped, and why |",
        "|---|---|---|",
    ]
    for fmt in FORMATS:
        read = "<br>".join(f"`{c}`" if not c.startswith("any ") else c for c in fmt.commands)
        refused = "<br>".join(fmt.refuses) or "-"
        bar = chr(92) + "|"
        out.append(f"| `{fmt.name}` | {read.replace('|', bar)} | {refused.replace('|', bar)} |")
    return "\n".join(out) + "\n"


def test_docs_list_every_formats_commands_and_refusals() -> None:
    text = (ROOT / "docs" / "formats.md").read_text()
    assert formats_section() in text, "regenerate the section from tests/test_rib.py"


def test_nxos_show_ip_route_json_is_not_taken_for_the_bgp_table(tmp_path: Path) -> None:
    """NX-OS prints ``show ip route | json`` with TABLE_vrf and TABLE_prefix too, but no
    TABLE_afi: it is refused as unrecognised, not read as a BGP table with no routes."""
    path = tmp_path / "route.json"
    path.write_text(
        '{"TABLE_vrf": {"ROW_vrf": {"vrf-name-out": "default", "TABLE_addrf": {"ROW_addrf": '
        '{"addrf": "ipv4", "TABLE_prefix": {"ROW_prefix": {"ipprefix": "52.96.0.0/14", '
        '"TABLE_path": {"ROW_path": {"ipnexthop": "192.0.2.1", "clientname": "bgp-65010"}}}}}}}}}',
        encoding="utf-8",
    )
    assert not get_format("nxos-json").detect(path.read_text(encoding="utf-8"))
    with pytest.raises(InputError):
        read_routes([path])


@pytest.mark.parametrize("skimmer", ["as built", "regex", "none"])
def test_a_marker_on_a_line_of_numbers_keeps_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, worldwide: CatalogView, skimmer: str
) -> None:
    """A long next hop pushes Metric, LocPrf, Weight and the AS path onto a line of their
    own: a network outside the catalog learned from AS 12076 shows the AS only there. Its
    route matters (AS 12076) and is kept, as a network on one line, wrapped, or on three."""
    from routeplan.rib import bgptable  # noqa: PLC0415
    from routeplan.rib.skimre import RegexSkimmer  # noqa: PLC0415

    if skimmer != "as built":
        monkeypatch.setattr(bgptable, "SKIM", RegexSkimmer() if skimmer == "regex" else None)
    hop = "2001:DB8:1234:5678::1299"
    rows = [
        path_line("*>", f"2400:{i:x}::/32", "2001:DB8::1", 0, 100, 0, "64496 i") for i in range(9)
    ]
    rows[3] = path_line("*>", "2400:508d::/32", hop, 0, 100, 0, "64496 12076 i")  # two lines
    rows[5] = path_line("*>", "2400:4a97:d70b::/48", hop, 0, 100, 0, "12076 i")  # three lines
    rows[7] = path_line("*>", "2400:4a97:d70c::/48", hop, 0, 100, 0, "64496 i")  # not kept
    table = tmp_path / "v6.txt"
    text = HEADER.format(version=1, router_id="10.0.0.1") + "".join(rows)
    interest = Interest(worldwide.entries.keys())
    # also with a blank line after every line (a capture whose line ends were doubled)
    for form in (text.encode(), text.encode().replace(b"\n", b"\r\r\n")):
        table.write_bytes(form)
        [everything] = read_routes([table])
        [kept] = read_routes([table], interest=interest)
        assert [str(r.prefix) for r in kept.routes] == ["2400:508d::/32", "2400:4a97:d70b::/48"]
        assert kept.routes == tuple(r for r in everything.routes if interest.keep(r))
        assert kept.counts == everything.counts == {4: 0, 6: 9}
