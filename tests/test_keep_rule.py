"""One rule decides whether a route in a Cisco-style table can matter: ``Interest.maybe``.

The readers call it; the two skimmers (the C one, and its regular-expression twin for installs
without a compiler) are faster copies that may only pass over what it would not keep. This test
ties them to it: for networks in every form a table prints them (inside, around and far from the
catalog's prefixes; with a mask, classful without one, in upper case, with leading zeros, cut
short), a skimmer that passes over a network's line means the rule does not keep it; and on the
forms real tables print, far from the catalog, they do pass over (a skimmer that passed over
nothing would be correct and useless).
"""

from __future__ import annotations

import ipaddress
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routeplan.catalog.query import CatalogView
from routeplan.rib import bgptable
from routeplan.rib.base import MAX_LINE, Interest, classful_length
from routeplan.rib.bgplayout import skim_tables
from routeplan.rib.skimre import RegexSkimmer

NEXT = " *>  8.8.8.0/24       203.0.113.1              0    100      0 64496 i\n"
"""A network that cannot matter after the one tested, so that its group is complete."""
BELOW = "                    203.0.113.1              0    100      0 64496 i\n"


def _skimmers() -> list[Any]:
    found: list[Any] = [RegexSkimmer()]
    if bgptable.SKIM_C is not None:
        found.append(bgptable.SKIM_C)
    return found


SKIMMERS = _skimmers()


@pytest.fixture(scope="module")
def interest(worldwide: CatalogView) -> Interest:
    return Interest(worldwide.entries.keys())


def _v4(draw: Any, near: list[ipaddress.IPv4Network]) -> str:
    if near and draw(st.booleans()):
        base = draw(st.sampled_from(near))
        address = int(base.network_address) + draw(st.integers(-(1 << 20), 1 << 20))
    else:
        address = draw(st.integers(0, (1 << 32) - 1))
    address %= 1 << 32
    length = draw(st.integers(0, 32))
    network = ipaddress.IPv4Network((address, length), strict=False)
    text = str(network)
    form = draw(st.sampled_from(["mask", "mask", "bare", "odd"]))
    dotted = str(network.network_address)
    if form == "bare" or (form == "mask" and length == classful_length(dotted)):
        return dotted if draw(st.booleans()) else f"{dotted}/{length}"
    if form == "odd":
        return draw(
            st.sampled_from(
                [
                    "0" + text,  # a leading zero
                    text[: draw(st.integers(1, len(text)))],  # cut short
                    f"{dotted}/{length}00",
                    f"{dotted}/",
                    dotted.rsplit(".", 1)[0],
                ]
            )
        )
    return text


def _v6(draw: Any, near: list[ipaddress.IPv6Network]) -> str:
    if near and draw(st.booleans()):
        base = draw(st.sampled_from(near))
        address = int(base.network_address) + (draw(st.integers(-(1 << 20), 1 << 20)) << 80)
    else:
        address = draw(st.integers(0, (1 << 128) - 1))
    address %= 1 << 128
    length = draw(st.integers(0, 128))
    text = str(ipaddress.IPv6Network((address, length), strict=False))
    form = draw(st.sampled_from(["plain", "upper", "exploded", "odd"]))
    if form == "upper":
        return text.upper()
    if form == "exploded":
        return ipaddress.IPv6Network((address, length), strict=False).exploded
    if form == "odd":
        return draw(st.sampled_from(["0" + text, text.partition("/")[0], text[:-1] or text]))
    return text


@st.composite
def networks(draw: Any, catalog: list[Any]) -> str:
    v4 = [p for p in catalog if p.version == 4]
    v6 = [p for p in catalog if p.version == 6]
    return _v4(draw, v4) if draw(st.booleans()) else _v6(draw, v6)


def _passes_over(skim: Any, text: str, interest: Interest) -> int:
    tables = skim_tables(interest)
    assert tables is not None
    octets, keys4, hextets, ranges4, markers = tables
    hints = [-1] * len(markers)
    _, lines, _, _ = skim(text, 0, 5, 22, hints, octets, keys4, hextets, ranges4, markers, MAX_LINE)
    result: int = lines
    return result


def _catalog(worldwide: CatalogView) -> list[Any]:
    return [ipaddress.ip_network(str(p)) for p in worldwide.entries]


@settings(
    max_examples=int(os.environ.get("SKIM_EXAMPLES", "600")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_skimmer_passes_over_what_the_rule_keeps(
    worldwide: CatalogView, interest: Interest, data: st.DataObject
) -> None:
    net = data.draw(networks(_catalog(worldwide)))
    line = f" *>  {net:<16} 203.0.113.1              0    100      0 64496 i\n"
    alone = f" *>  {net}\n" + BELOW
    for skim in SKIMMERS:
        for text, lines in ((line, 1), (alone, 2)):
            if _passes_over(skim, text + NEXT, interest) == lines:
                assert not interest.maybe(net, text), (skim, net)


def test_skimmers_pass_over_what_is_far_from_the_catalog(interest: Interest) -> None:
    far = [
        "8.8.8.0/24",
        "1.0.0.0",  # classful, without a mask
        "192.0.2.0",
        "203.203.203.128/25",
        "150.1.0.0",  # a catalog first octet, but not a catalog /16: classful /16
        "204.1.1.0",
        "52.1.0.0/16",
        "2400:4a97:d70b::/48",
        "2a02:1234::/32",
        "2001:DB8:1234::/48",
    ]
    for net in far:
        assert not interest.maybe(net, ""), net
        line = f" *>  {net:<16} 203.0.113.1              0    100      0 64496 i\n"
        for skim in SKIMMERS:
            assert _passes_over(skim, line + NEXT, interest) == 1, (skim, net)
    for net in ("52.97.1.0/24", "52.0.0.0", "0.0.0.0", "2603:1006:2000::/48", "2000::/3"):
        assert interest.maybe(net, ""), net
        line = f" *>  {net:<16} 203.0.113.1              0    100      0 64496 i\n"
        for skim in SKIMMERS:
            assert _passes_over(skim, line + NEXT, interest) == 0, (skim, net)


def test_the_skimmers_know_the_status_characters_the_reader_knows() -> None:
    """The C skimmer has its own copy of the status characters (``status_char``); the regex
    skimmer takes the reader's. A character known to the reader but not the skimmer only costs
    speed; one known to a skimmer but not the reader would pass over a line the reader
    refuses. They are the same list."""
    import re  # noqa: PLC0415

    from routeplan.rib.bgplayout import STATUS  # noqa: PLC0415
    from tests.helpers import ROOT  # noqa: PLC0415

    source = (ROOT / "routeplan" / "rib" / "_skim.c").read_text()
    found = re.search(r'const char \*chars = "([^"]*)";', source)
    assert found is not None
    assert set(found.group(1)) == STATUS | {" "}
