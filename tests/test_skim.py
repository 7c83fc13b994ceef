"""The route-table skimmers change how fast a table is read, never what is read.

With a skimmer, the Cisco-style readers hand runs of lines that cannot matter to it: the C one
(routeplan/rib/_skim.c), or where it could not be built (``ROUTEPLAN_PURE=1``, or no C compiler
at install time) the same rule as regular expressions (routeplan/rib/skimre.py). Every test here
runs with each, reads the same input with it and with Python reading every line, and requires the
same routes, counts, skipped lines and errors: on every fixture and public sample of the five
formats, on generated tables, and on hypothesis mutations of them, in blocks of many sizes (so
that lines and groups are cut at every place). Unit tests pin what ``skim`` itself returns.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import routeplan
from benchmarks.iosfmt import HEADER, path_line
from routeplan.catalog.query import CatalogView
from routeplan.errors import InputError
from routeplan.model import parse_prefix
from routeplan.rib import bgptable, read_routes
from routeplan.rib.base import MAX_LINE, Interest
from routeplan.rib.skimre import RegexSkimmer
from tests.helpers import ROOT, SHARED_DATA
from tests.mutations import mutate

HERE = Path(__file__).resolve().parent
FORMATS = ["ios-bgp", "nxos-bgp", "iosxr-bgp", "frr-bgp", "eos-bgp"]
"""The readers built on bgptable.BgpTableReader, the skimmer's only user."""
SAMPLE_DIRS = ["cisco-ios-iosxe", "cisco-nxos", "cisco-iosxr", "frr", "arista-eos"]

SKIM_C = bgptable.SKIM_C
_ACTIVE: list[Any] = []
"""The skimmer the running test reads with (set by the ``skimmer`` fixture)."""


@pytest.fixture(autouse=True, params=["c", "regex"])
def skimmer(request: pytest.FixtureRequest) -> Iterator[Any]:
    """Every test runs with the C skimmer and with its rule as regular expressions (the
    skimmer of an install without a C compiler): both must read as Python reads every line."""
    if request.param == "regex":
        _ACTIVE[:] = [RegexSkimmer()]
    elif SKIM_C is not None:
        _ACTIVE[:] = [SKIM_C]
    elif os.environ.get("ROUTEPLAN_PURE") == "1":
        pytest.skip("ROUTEPLAN_PURE=1 turns the C skimmer off")
    elif os.environ.get("ROUTEPLAN_REQUIRE_SKIM") == "1":
        pytest.fail("ROUTEPLAN_REQUIRE_SKIM=1 but the C skimmer is not built")
    else:
        pytest.skip("the C skimmer is not built (no C compiler at install time)")
    yield _ACTIVE[0]
    _ACTIVE.clear()


def _c_only(skim: Any) -> None:
    if skim is not SKIM_C:
        pytest.skip("what the C function itself refuses")


def _inputs() -> list[Path]:
    paths = [
        p
        for fmt in FORMATS
        for p in sorted((ROOT / "tests" / "fixtures" / "rib" / fmt).iterdir())
        if not p.name.endswith(".yaml")
    ]
    samples = SHARED_DATA / "rib-samples"
    if samples.is_dir():
        paths += [
            p
            for d in SAMPLE_DIRS
            for p in sorted((samples / d).glob("*.txt"))
            if "detail" not in p.name and "summary" not in p.name.lower()
        ]
    return paths


INPUTS = _inputs()


def _outcome(
    path: Path, interest: Interest, *, skim: bool, block: int, lenient: bool = False
) -> Any:
    """What reading gives, comparable: the routes, counts, skipped lines; or the error."""
    saved = bgptable.SKIM, bgptable.BLOCK
    bgptable.SKIM, bgptable.BLOCK = (_ACTIVE[0] if skim else None), block
    try:
        ribs = read_routes([path], interest=interest, lenient=lenient)
    except InputError as exc:
        return ("error", str(exc))
    finally:
        bgptable.SKIM, bgptable.BLOCK = saved
    return [
        (r.format, [x.to_record() for x in r.routes], r.counts, r.skipped, r.host_bits)
        for r in ribs
    ]


def _same(path: Path, interest: Interest, block: int, lenient: bool = False) -> Any:
    pure = _outcome(path, interest, skim=False, block=block, lenient=lenient)
    fast = _outcome(path, interest, skim=True, block=block, lenient=lenient)
    # Bytes that do not decode: reading line by line decodes 8 KiB ahead, so an error on a line
    # just before them may come second; both ways the file is refused.
    decoding = any(isinstance(o, tuple) and "cannot be decoded" in o[1] for o in (pure, fast))
    if decoding and isinstance(pure, tuple) and isinstance(fast, tuple):
        return pure
    assert fast == pure, path
    return pure


def _plan_interest(worldwide: CatalogView) -> Interest:
    return Interest(worldwide.entries.keys())


def _own_interest(path: Path) -> Interest:
    """An interest made of some of the file's own networks and one of its next hops, so that
    groups that matter and groups that do not alternate."""
    prefixes = []
    hop = None
    for n, line in enumerate(path.read_text("utf-8", errors="replace").splitlines()):
        for word in line.split():
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
@pytest.mark.parametrize("block", [1, 7, 64, 4096, bgptable.BLOCK])
def test_fixtures_and_samples_read_the_same(path: Path, block: int, worldwide: CatalogView) -> None:
    for interest in (_plan_interest(worldwide), _own_interest(path)):
        _same(path, interest, block)
        _same(path, interest, block, lenient=True)


# -- generated tables ---------------------------------------------------------------------------

_STATUS = ["*>", "* ", "*>i", "r>i", "s>", "*m", "  ", "x ", "*>e"]


@st.composite
def _table(draw: Any) -> str:
    """A generated IOS table: networks inside and outside the catalog, further paths, wrapped
    long networks, markers, blank lines, a second header, trailers."""

    text = HEADER.format(version=1, router_id="10.0.0.1")
    nets = [
        "52.97.1.0/24",
        "52.96.0.0/14",
        "40.64.0.0/10",
        "13.107.6.152/31",
        "20.1.0.0/16",
        "8.8.8.0/24",
        "8.0.0.0/8",
        "1.2.3.0/24",
        "52.1.0.0/19",
        "52.0.0.0",
        "0.0.0.0",
        "0.0.0.0/0",
        "2603:1006:2000::/48",
        "2001:db8::/32",
        "2400::/12",
        "2a01:111::/32",
        "2001:db8:1234:5678:9abc::/80",
        # printed without a mask (classful) in catalog first octets: a /8, a /16, /24s
        "52.1.2.0",
        "150.171.0.0",
        "204.79.197.0",
        "204.1.1.0",
        "204.1.1",
    ]
    kind = 8
    for _ in range(draw(st.integers(1, 40))):
        # mostly well-formed: a network first after a header, further paths only after one
        kind = draw(st.integers(0, 5 if kind in (7, 8) else 10))
        status = draw(st.sampled_from(_STATUS))
        net = draw(st.sampled_from(nets))
        hop = draw(
            st.sampled_from(
                # a next hop too long for its column pushes the numbers onto the next line
                ["2001:db8::1", "2001:DB8::1", "2001:db8::9", "2001:DB8:1234:5678::1299"]
                if ":" in net
                else ["203.0.113.1", "192.0.2.9"]
            )
        )
        path = draw(st.sampled_from(["64496 i", "12076 i", "64496 112076 i", "i", "65001 12076"]))
        if kind <= 5:
            text += path_line(status, net, hop, None, 100, 0, path)
        elif kind == 6:
            text += path_line(status, "", hop, None, 90, 0, path)
        elif kind == 7:
            text += draw(st.sampled_from(["\n", "   \n", "Total number of prefixes 3\n"]))
        elif kind == 8:
            text += HEADER.format(version=2, router_id="10.0.0.2")
        elif kind == 9:
            text += f" {status}  {net}\n" + path_line("  ", "", hop, None, 100, 0, path)
        else:  # a line of numbers alone, below a path or not
            text += " " * draw(st.sampled_from([20, 23, 24, 38])) + f"0    100      0 {path}\n"
    return text


_SETTINGS = settings(
    max_examples=int(os.environ.get("SKIM_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@_SETTINGS
@given(table=_table(), block=st.integers(1, 300), data=st.data())
def test_generated_and_damaged_tables_read_the_same(
    tmp_path_factory: pytest.TempPathFactory,
    worldwide: CatalogView,
    table: str,
    block: int,
    data: st.DataObject,
) -> None:
    raw = table.encode()
    if data.draw(st.booleans()):
        raw = mutate(raw, data.draw)
    path = tmp_path_factory.mktemp("skim") / "rib.txt"
    path.write_bytes(raw)
    interest = _plan_interest(worldwide)
    if data.draw(st.booleans()):
        # a next hop with letters is found in any case (IOS prints IPv6 in upper case)
        interest = Interest(worldwide.entries.keys(), markers=("12076", "192.0.2.9", "2001:DB8::1"))
    _same(path, interest, block, lenient=data.draw(st.booleans()))


@_SETTINGS
@given(block=st.integers(1, 5000), data=st.data())
def test_damaged_fixtures_read_the_same(
    tmp_path_factory: pytest.TempPathFactory,
    worldwide: CatalogView,
    block: int,
    data: st.DataObject,
) -> None:
    source = data.draw(st.sampled_from(INPUTS))
    path = tmp_path_factory.mktemp("skim") / source.name
    path.write_bytes(mutate(source.read_bytes(), data.draw))
    _same(path, _plan_interest(worldwide), block, lenient=data.draw(st.booleans()))


def test_a_large_table_is_mostly_skimmed(
    tmp_path: Path, worldwide: CatalogView, skimmer: Any
) -> None:
    """The point of it: most lines of a table of the Internet never reach Python."""
    interest = _plan_interest(worldwide)
    elsewhere = [a for a in range(1, 224) if str(a) not in interest.octets4]
    lines = [HEADER.format(version=1, router_id="10.0.0.1")]
    for i in range(20_000):
        net = f"{elsewhere[i % len(elsewhere)]}.{i // 100 % 256}.0.0/16"
        lines.append(path_line("*>", net, "203.0.113.1", 0, 100, 0, "64496 64497 i"))
        if i % 7 == 0:
            lines.append(path_line("*", "", "203.0.113.2", 0, 90, 0, "64499 i"))
    at = 5000
    lines.insert(at, path_line("*>", "52.96.0.0/14", "192.0.2.1", None, None, 0, "12076 i"))
    path = tmp_path / "big.txt"
    path.write_text("".join(lines))
    handed: list[int] = []

    def counting(*args: Any) -> tuple[int, int, int, int]:
        handed.append(args[1])
        result: tuple[int, int, int, int] = skimmer(*args)
        return result

    saved = bgptable.SKIM
    bgptable.SKIM = counting
    try:
        [rib] = read_routes([path], interest=interest)
    finally:
        bgptable.SKIM = saved
    assert [str(r.prefix) for r in rib.routes] == ["52.96.0.0/14"]
    assert rib.counts == {4: 20_000 + 1 + len(range(0, 20_000, 7)), 6: 0}
    assert len(handed) < 40, "the skimmer was handed back lines it could have skipped"
    assert rib.routes[0].line == "".join(lines[:at]).count("\n") + 1


# -- skim() itself ------------------------------------------------------------------------------


def _tables(
    worldwide: CatalogView, *markers: str
) -> tuple[bytes, bytes, bytes, bytes, tuple[str, ...]]:
    interest = Interest(worldwide.entries.keys(), markers=markers or ("12076",))
    tables = bgptable.skim_tables(interest)
    assert tables is not None
    return tables


def _skim(text: str, worldwide: CatalogView, pos: int = 0, *markers: str) -> tuple[int, ...]:
    octets, keys4, hextets, ranges4, marks = _tables(worldwide, *markers)
    hints = [-1] * len(marks)
    result: tuple[int, ...] = _ACTIVE[0](
        text, pos, 5, 22, hints, octets, keys4, hextets, ranges4, marks, MAX_LINE
    )
    return result


OUT1 = " *>  8.8.8.0/24       203.0.113.1              0    100      0 64496 i\n"
MORE = " *                    203.0.113.2              0     90      0 64497 i\n"
OUT2 = " *>  9.9.9.0/24       203.0.113.1              0    100      0 64496 i\n"
IN = " *>  52.97.1.0/24     192.0.2.1                         0 12076 i\n"


def test_skim_leaves_the_last_group_to_python(worldwide: CatalogView) -> None:
    text = OUT1 + MORE + OUT2 + MORE + MORE
    assert _skim(text, worldwide) == (len(OUT1 + MORE), 2, 2, 0)


def test_skim_stops_before_a_network_that_can_matter(worldwide: CatalogView) -> None:
    text = OUT1 + MORE + OUT2 + IN + OUT1
    assert _skim(text, worldwide) == (len(OUT1 + MORE + OUT2), 3, 3, 0)


def test_skim_hands_back_a_whole_group_when_a_further_path_matters(worldwide: CatalogView) -> None:
    marked = MORE.replace("64497", "12076")
    text = OUT1 + OUT2 + MORE + marked + OUT1 + OUT2
    assert _skim(text, worldwide) == (len(OUT1), 1, 1, 0)


def test_skim_starts_only_at_a_network(worldwide: CatalogView) -> None:
    assert _skim(MORE + OUT1 + OUT2, worldwide) == (0, 0, 0, 0)
    assert _skim(OUT1 + OUT2 + OUT1, worldwide, len(OUT1)) == (len(OUT1 + OUT2), 1, 1, 0)


def test_skim_leaves_other_lines_to_python(worldwide: CatalogView) -> None:
    """A line that is not a plain path line ends the skim at the start of its group (Python
    must know the network it belongs to); a network Python must see ends it at that line."""
    for odd in (
        "\n",
        "   Network          Next Hop\n",
        "Total number of prefixes 2\n",
        "  r   8.8.8.0/24       203.0.113.1   0 64496 i\n",
        " *>  8.8.8.0/24       203.0.113.1   0 64496 i " + "9" * MAX_LINE + "\n",
        " *>  4.0.0.0/6\t203.0.113.1   0 64496 i\n",  # a tab: Python may read no network
        " *>i\t\t\t   203.0.113.1   0 64496 i\n",
    ):
        text = OUT1 + MORE + odd + OUT2 + OUT1
        assert _skim(text, worldwide) == (0, 0, 0, 0), odd
        assert _skim(OUT2 + text, worldwide) == (len(OUT2), 1, 1, 0), odd
    for network in (
        " *>  8.8.8.0/24\n",  # wrapped: its path is on the next line
        " *>  8.8.8.0/8        203.0.113.1              0    100      0 64496 i\n",
        " *>  52.0.0.0         203.0.113.1              0    100      0 64496 i\n",
        " *>  52.1.0.0/12      203.0.113.1              0    100      0 64496 i\n",
        " *>  2400::/12        2001:db8::1              0    100      0 64496 i\n",
        " *>  2603:1006::/40   2001:db8::1              0    100      0 64496 i\n",
    ):
        text = OUT1 + MORE + network + OUT2 + OUT1
        assert _skim(text, worldwide) == (len(OUT1 + MORE), 2, 2, 0), network


def test_skim_finds_every_marker(worldwide: CatalogView) -> None:
    text = OUT1 + OUT2 + OUT1 + OUT2
    assert _skim(text, worldwide, 0, "9.9.9.0")[0] == len(OUT1)
    assert _skim(text, worldwide, 0, "nowhere", "64496 i")[0] == 0
    assert _skim(text, worldwide, 0, "nowhere")[:2] == (len(OUT1 + OUT2 + OUT1), 3)


def test_skim_finds_markers_with_letters_in_any_case(worldwide: CatalogView) -> None:
    v6 = " *>  2001:db8::/32    2001:DB8:E::1            0    100      0 64496 i\n"
    text = OUT1 + OUT2 + v6 + OUT1 + OUT2
    assert _skim(text, worldwide, 0, "2001:db8:e::1")[0] == len(OUT1 + OUT2)
    assert _skim(text, worldwide, 0, "2001:db8:f::1")[0] == len(OUT1 + OUT2 + v6 + OUT1)


def test_skim_refuses_markers_with_capitals(worldwide: CatalogView, skimmer: Any) -> None:
    _c_only(skimmer)
    text = OUT1 + OUT2
    octets, keys4, hextets, ranges4, _ = _tables(worldwide)
    with pytest.raises(ValueError, match="lower case"):
        skimmer(text, 0, 5, 22, [-1], octets, keys4, hextets, ranges4, ("2001:DB8:E::1",), MAX_LINE)


def test_skim_counts_ipv6_paths(worldwide: CatalogView) -> None:
    v6 = " *>  2001:db8::/32    2001:db8::1              0    100      0 64496 i\n"
    assert _skim(v6 + MORE + OUT1 + OUT1, worldwide) == (len(v6 + MORE + OUT1), 3, 1, 2)


def test_skim_leaves_text_beyond_latin1_to_python(worldwide: CatalogView) -> None:
    text = OUT1 + OUT2 + OUT1 + " *>  1.1.1.0/24       203.0.113.1   0 64496 i ☃\n"
    assert _skim(text, worldwide) == (0, 0, 0, 0)


def test_skim_refuses_wrong_arguments(worldwide: CatalogView, skimmer: Any) -> None:
    _c_only(skimmer)
    octets, keys4, hextets, ranges4, marks = _tables(worldwide)
    with pytest.raises(TypeError, match="octets must be bytes of length 32"):
        skimmer(OUT1, 0, 5, 22, [-1], b"", keys4, hextets, ranges4, marks, MAX_LINE)
    with pytest.raises(TypeError, match="ranges4 must be bytes"):
        skimmer(OUT1, 0, 5, 22, [-1], octets, keys4, hextets, b"123", marks, MAX_LINE)
    with pytest.raises(ValueError, match="position out of range"):
        skimmer(OUT1, len(OUT1) + 1, 5, 22, [-1], octets, keys4, hextets, ranges4, marks, MAX_LINE)
    with pytest.raises(TypeError):
        skimmer(OUT1, 0, 5, 22, [], octets, keys4, hextets, ranges4, marks, MAX_LINE)


# -- entries of more than one line ----------------------------------------------------------------

ALONE = " *>  203.203.203.128/25\n"
"""A network too long for its column, alone on its line: its path follows."""
BELOW = "                    203.0.113.1              0    100      0 64496 i\n"
LONG6 = " *>  2400:4a97:d70b::/48\n                    2001:DB8:1234:5678::1299\n"
NUMBERS = "                                               0    100      0 64496 i\n"


def test_skim_passes_over_a_wrapped_network_with_its_path(worldwide: CatalogView) -> None:
    text = ALONE + BELOW + MORE + OUT1 + OUT2
    assert _skim(text, worldwide) == (len(ALONE + BELOW + MORE + OUT1), 4, 3, 0)


def test_skim_passes_over_three_line_entries(worldwide: CatalogView) -> None:
    """A wrapped network whose long next hop pushed the numbers onto a third line."""
    text = LONG6 + NUMBERS + LONG6 + NUMBERS + OUT1
    assert _skim(text, worldwide) == (len(LONG6 + NUMBERS) * 2, 6, 0, 2)
    one_line = " *>  2400:508d::/32   2001:DB8:1234:5678::1299\n"
    assert _skim(one_line + NUMBERS + OUT1 + OUT2, worldwide)[1:] == (3, 1, 1)


def test_skim_leaves_a_wrapped_network_without_its_path_to_python(worldwide: CatalogView) -> None:
    # the next line is a network, a further path, a section or a blank: Python says what is wrong
    for after in (OUT1, MORE, "VRF: blue\n", "Address Family: IPv6 Unicast\n", "\n", NUMBERS[:30]):
        text = OUT1 + ALONE + after + OUT2 + OUT1
        assert _skim(text, worldwide) == (len(OUT1), 1, 1, 0), after
    # the network and its path are one group: a marker on the path hands back both
    text = OUT1 + ALONE + BELOW.replace("64496", "12076") + OUT2 + OUT1
    assert _skim(text, worldwide) == (len(OUT1), 1, 1, 0)


def test_skim_leaves_numbers_with_no_path_above_to_python(worldwide: CatalogView) -> None:
    assert _skim(NUMBERS + OUT1 + OUT2, worldwide) == (0, 0, 0, 0)
    # numbers must start past the Next Hop column; else the line is no line of numbers
    text = OUT1 + " " * 21 + "0    100      0 64496 i\n" + OUT2 + OUT1
    assert _skim(text, worldwide) == (0, 0, 0, 0)


def test_skim_reads_classful_networks_by_their_class(worldwide: CatalogView) -> None:
    """Printed without a mask, a network of a catalog first octet is classful: a /16 or /24
    outside the catalog's /16s cannot matter; a /8 covers the catalog's prefixes of its octet."""
    c24 = " *>  204.1.1.0        203.0.113.1              0    100      0 64496 i\n"
    c8 = " *>  52.0.0.0         203.0.113.1              0    100      0 64496 i\n"
    odd = " *>  204.1.1          203.0.113.1              0    100      0 64496 i\n"
    assert _skim(c24 + OUT1 + OUT2, worldwide)[:2] == (len(c24 + OUT1), 2)
    assert _skim(OUT1 + c8 + OUT2, worldwide)[:2] == (len(OUT1), 1)
    assert _skim(OUT1 + odd + OUT2, worldwide)[:2] == (len(OUT1), 1)


def test_skim_leaves_l2vpn_routes_to_python(worldwide: CatalogView) -> None:
    """A VPLS route, alone on its line like a wrapped network, is no IPv6 network: the reader
    passes its table over and names it."""
    vpls = " *>  100:1051:VEID-2:Blk-1/136\n                       0.0.0.0            32768 ?\n"
    assert _skim(OUT1 + vpls + OUT2 + OUT1, worldwide) == (len(OUT1), 1, 1, 0)


def test_the_c_skimmer_decides_exactly_inside_a_catalog_16(
    worldwide: CatalogView, skimmer: Any
) -> None:
    """Inside a catalog /16 the rule is exact (the catalog's ranges): the C skimmer passes over
    a network there that overlaps no catalog prefix, and stops at one that does, or at one
    written so that it cannot be sure how the reader reads it (a leading zero)."""
    _c_only(skimmer)
    interest = Interest(worldwide.entries.keys())
    key = sorted(interest.keys4)[0]
    a, b = (int(x) for x in key.split("."))
    inside = outside = None
    for c in range(256):
        first = a << 24 | b << 16 | c << 8
        hits = any(lo <= first + 255 and hi >= first for lo, hi in interest.ranges4)
        if hits and inside is None:
            inside = f"{a}.{b}.{c}.0/24"
        if not hits and outside is None:
            outside = f"{a}.{b}.{c}.0/24"
    assert inside is not None
    assert outside is not None

    def line(net: str) -> str:
        return f" *>  {net:<16} 203.0.113.1              0    100      0 64496 i\n"

    assert not interest.maybe(outside, "")
    assert interest.maybe(inside, "")
    assert _skim(line(outside) + OUT1, worldwide)[:2] == (len(line(outside)), 1)
    assert _skim(line(inside) + OUT1, worldwide) == (0, 0, 0, 0)
    leading_zero = outside.replace(f".{b}.", f".0{b}.", 1)
    assert _skim(line(leading_zero) + OUT1, worldwide) == (0, 0, 0, 0)


def test_the_regex_skimmer_looks_for_too_long_lines_once_per_text(
    monkeypatch: pytest.MonkeyPatch, worldwide: CatalogView, skimmer: Any
) -> None:
    """A table given in memory is one text longer than the longest line the reader takes:
    the regex skimmer finds where a too-long line starts once, not at every call (that would
    make reading quadratic)."""
    if skimmer is SKIM_C:
        pytest.skip("the regex skimmer's own search")
    from routeplan.rib import skimre  # noqa: PLC0415

    searches = []
    pattern = skimre._too_long(MAX_LINE)

    class Counting:
        def search(self, text: str, pos: int) -> Any:
            searches.append(pos)
            return pattern.search(text, pos)

    monkeypatch.setattr(skimre, "_too_long", lambda max_line: Counting())
    monkeypatch.setattr(bgptable, "SKIM", skimmer)
    rows = [HEADER.format(version=1, router_id="10.0.0.1")]
    for i in range(30_000):
        rows.append(OUT1.replace("8.8.8.0", f"8.{i // 256 % 256}.{i % 256}.0"))
        if i % 50 == 0:
            rows.append(IN)  # a network that matters: the skimmer hands back, is called again
    text = "".join(rows)
    assert len(text) > MAX_LINE
    rib = routeplan.routes_from_text(
        text.encode(), name="pasted", interest=Interest(worldwide.entries.keys())
    )
    assert rib.counts[4] == len(rows) - 1
    assert len(searches) == 1
