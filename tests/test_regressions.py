"""One test for every crash the fuzz suite (tests/test_fuzz.py) found: each input used to
escape as a Python exception other than routeplan's InputError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from routeplan.catalog.changes import read_changes
from routeplan.errors import ExitStatus, InputError
from routeplan.model import PortSet, parse_community, parse_prefix
from routeplan.rib import Interest, read_routes
from routeplan.topology.model import load_topology
from routeplan.yamlio import parse_json, parse_yaml
from tests.helpers import run_cli

EOS = (
    "BGP routing table information for VRF default\n"
    "Router identifier 10.0.0.1, local AS number 65000\n"
    "Route status codes: s - suppressed, * - valid, > - active, E - ECMP head, e - ECMP\n"
    "\n"
    "         Network                Next Hop            Metric  LocPref Weight  Path\n"
    " * >     52.96.0.0/14           192.0.2.1             0       {lp}     0       12076 i\n"
)


def _file(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text)
    else:
        path.write_bytes(text)
    return path


def test_json_number_over_4300_digits(tmp_path: Path) -> None:
    """ValueError: Exceeds the limit (4300 digits) for integer string conversion."""
    body = '{"schema": "routeplan/routes/1", "routes": [{"prefix": "10.0.0.0/8", ' + (
        '"metric": ' + "9" * 4301 + "}]}"
    )
    with pytest.raises(InputError, match="malformed JSON"):
        read_routes([_file(tmp_path, "rib.json", body)])


def test_yaml_number_over_4300_digits() -> None:
    with pytest.raises(InputError, match="malformed YAML"):
        parse_yaml("value: " + "9" * 5000 + "\n", source="x.yaml")


def test_json_nested_too_deeply() -> None:
    with pytest.raises(InputError, match="nested too deeply"):
        parse_json("[" * 100_000 + "]" * 100_000, source="x.json")


def test_text_table_with_a_huge_number(tmp_path: Path) -> None:
    """A local-pref of 4301 digits in a text table: int() raised ValueError."""
    (rib,) = read_routes([_file(tmp_path, "eos.txt", EOS.format(lp="7" * 4301))])
    assert rib.routes[0].local_pref is None


def test_csv_field_over_the_csv_limit(tmp_path: Path) -> None:
    """_csv.Error: field larger than field limit (131072)."""
    body = 'prefix,next_hop\n10.0.0.0/8,"' + "x" * 200_000 + '"\n'
    with pytest.raises(InputError) as caught:
        read_routes([_file(tmp_path, "rib.csv", body)], format_name="generic-csv")
    assert caught.value.line == 2


@pytest.mark.parametrize(
    ("call", "value"),
    [
        (parse_prefix, "10.0.0.0/\u00b2"),  # '²'.isdigit() is True, int('²') fails
        (parse_community, "12076:50\u00b9"),
        (PortSet.parse, "44\u00b3"),
        (PortSet.parse, "1" * 5000),
    ],
)
def test_digits_that_int_cannot_read(call: object, value: str) -> None:
    with pytest.raises(InputError):
        call(value)  # type: ignore[operator]


def test_change_feed_with_a_huge_port(tmp_path: Path) -> None:
    body = (
        '[{"id": 1, "endpointSetId": 2, "disposition": "Change", "version": "2026010100",'
        ' "current": {"tcpPorts": "' + "4" * 5000 + '"}}]'
    )
    records = read_changes(_file(tmp_path, "changes.json", body))
    assert records[0].current[0][0] == "tcpPorts"


def test_every_test_named_by_the_guarantees_page_exists() -> None:
    """docs/bad-input.md cites the test proving each line; the citations must stay true."""
    import re  # noqa: PLC0415

    root = Path(__file__).resolve().parents[1]
    page = (root / "docs" / "bad-input.md").read_text()
    cited = re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", page)
    assert len(cited) >= 8
    sources = {p: (root / p).read_text() for p, _ in cited}
    for path, name in cited:
        if name:
            assert f"def {name}(" in sources[path], (path, name)
    for name in re.findall(r"`::(\w+)`", page):  # a further test of the file cited before
        assert any(f"def {name}(" in text for text in sources.values()), name


@pytest.mark.parametrize("fixture", ["ios-bgp", "nxos-bgp", "iosxr-bgp", "frr-bgp"])
def test_table_cut_after_the_status_column(tmp_path: Path, fixture: str) -> None:
    """IndexError: a last line holding only the status characters (a capture cut short)."""
    root = Path(__file__).resolve().parent / "fixtures" / "rib" / fixture
    sources = [p for p in sorted(root.iterdir()) if not p.name.endswith(".yaml")]
    source = next(p for p in sources if "*>" in p.read_text())
    lines = source.read_text().splitlines()
    status_line = next(i for i, line in enumerate(lines) if line.lstrip().startswith("*"))
    head = [*lines[:status_line], lines[status_line][:5].rstrip()]
    path = _file(tmp_path, "cut.txt", "\n".join(head))
    error: InputError | None = None
    try:
        read_routes([path])  # a result, or an input error naming the file: both are fine
    except InputError as exc:
        error = exc
    assert error is None or error.source == str(path)


def test_route_distinguisher_line_cut_short(tmp_path: Path) -> None:
    """IndexError: an IOS-XR advertised-routes table cut right after "Route Distinguisher:"."""
    text = "Network            Next Hop        From            AS Path\r\nRoute Distinguisher:"
    (rib,) = read_routes([_file(tmp_path, "adv.txt", text)], format_name="iosxr-bgp")
    assert rib.routes == ()


@pytest.mark.parametrize("name", ["x" * 5000, "bad\0name"], ids=["too-long", "nul"])
def test_a_route_table_name_the_system_refuses(tmp_path: Path, name: str) -> None:
    """OSError (File name too long) and ValueError (embedded null byte) escaped from reading
    a route table and from a topology naming one."""
    with pytest.raises(InputError, match="cannot read route table") as caught:
        read_routes([tmp_path / name])
    assert caught.value.source == str(tmp_path / name)
    topology = tmp_path / "topology.yaml"
    topology.write_text(
        "schema: routeplan/topology/1\n"
        "sites:\n  - name: ams\n"
        f"routers:\n  - name: r1\n    site: ams\n    routes: [{json.dumps(name)}]\n"
    )
    with pytest.raises(InputError, match="cannot be read") as caught:
        load_topology(topology)
    assert caught.value.line == 7


def test_a_command_given_a_name_the_system_refuses(tmp_path: Path) -> None:
    """The command line says which file and why, with the input exit status."""
    result = run_cli("diff", "--routes", str(tmp_path / ("x" * 5000)))
    assert result.status == ExitStatus.INPUT
    assert "File name too long" in result.stderr
    assert "internal error" not in result.stderr


def test_a_tab_after_the_network_hides_no_route(tmp_path: Path) -> None:
    """Tabs where the router printed spaces (a capture pasted through an editor): the fast
    path took "0.0.0.0/0<tab><tab>" for the network, found it could not matter and dropped the
    default route that the exact rule keeps."""
    header = "     Network          Next Hop            Metric LocPrf Weight Path\n"
    text = header + " *>  0.0.0.0/0\t\t  203.0.113.1              0             0 64496 i\n"
    path = _file(tmp_path, "tabs.txt", text)
    interest = Interest([parse_prefix("52.96.0.0/14")])
    (everything,) = read_routes([path], format_name="ios-bgp")
    (kept,) = read_routes([path], format_name="ios-bgp", interest=interest)
    assert [str(r.prefix) for r in everything.routes] == ["0.0.0.0/0"]
    assert kept.routes == everything.routes


@pytest.mark.parametrize(
    ("line", "network"),
    [
        (" *>ifd00:1::/64     2001:db8::1              0    100      0 64496 i", "fd00:1::/64"),
        ("*>  a:1::/32        2001:db8::1              0    100      0 64496 i", "a:1::/32"),
        (" *>e2001:db8::/32   2001:db8::1              0    100      0 64496 i", "2001:db8::/32"),
    ],
)
def test_an_ipv6_network_glued_to_a_status_letter(tmp_path: Path, line: str, network: str) -> None:
    """Status letters a to f are hex digits too: "*>ifd00:1::/64" was read as the network
    "d00:1::/64" (or "00:1::/64"), and a further path below it then failed."""
    header = "     Network          Next Hop            Metric LocPrf Weight Path\n"
    further = " *                    2001:db8::2              0     90      0 64497 i\n"
    path = _file(tmp_path, "v6.txt", header + line + "\n" + further)
    marked = Interest([parse_prefix("2603:1006::/40")], markers=("64497",), asns=(64497,))
    for interest in (None, marked):
        (rib,) = read_routes([path], format_name="ios-bgp", interest=interest)
        assert [str(r.prefix) for r in rib.routes] == [network] * (2 if interest is None else 1)


def test_a_network_with_no_path_below_it(tmp_path: Path) -> None:
    """A network printed alone (too long for its column) and then another route instead of
    its path: only the reads that kept no route noticed nothing, the others failed later, on
    an innocent line. Now every read names the network's line."""
    header = "     Network          Next Hop            Metric LocPrf Weight Path\n"
    text = (
        header
        + " *>  131.253.33.215/32\n"
        + " *>  1.10.10.0/24     203.0.113.1              0    100      0 64496 i\n"
        + " *                    203.0.113.2              0     90      0 64497 i\n"
    )
    path = _file(tmp_path, "dangling.txt", text)
    interest = Interest([parse_prefix("131.253.33.215/32")])
    for keep in (None, interest):
        with pytest.raises(InputError, match="a network with no path below it") as caught:
            read_routes([path], format_name="ios-bgp", interest=keep)
        assert caught.value.line == 2
        (rib,) = read_routes([path], format_name="ios-bgp", interest=keep, lenient=True)
        assert [s.line for s in rib.skipped] == [2]
        assert rib.counts[4] == 2


def test_a_header_left_of_its_columns_hides_no_route(tmp_path: Path) -> None:
    """A header whose Network column sits left of where the networks are printed (tabs in
    the header): the fast path took the status character ">" for the network, found it could
    not matter and dropped the default route that the exact rule keeps."""
    text = (
        "\t Network\t\t  Next Hop\t\t\tMetric LocPrf Weight Path\n"
        " *>  0.0.0.0\t\t  203.0.113.1\t\t\t\t\t\t\t0 64496 i\n"
    )
    path = _file(tmp_path, "tabs.txt", text)
    (everything,) = read_routes([path], format_name="ios-bgp")
    (kept,) = read_routes(
        [path], format_name="ios-bgp", interest=Interest([parse_prefix("52.96.0.0/14")])
    )
    assert [str(r.prefix) for r in everything.routes] == ["0.0.0.0/0"]
    assert kept.routes == everything.routes
