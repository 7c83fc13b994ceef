"""Value types: prefix parsing (with properties checked against the standard library),
communities and port sets."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from routeplan.errors import InputError
from routeplan.model import PortSet, Prefix, parse_community, parse_prefix

v4_networks = st.builds(
    lambda addr, length: ipaddress.IPv4Network((addr, length), strict=False),
    st.integers(0, 2**32 - 1),
    st.integers(0, 32),
)
v6_networks = st.builds(
    lambda addr, length: ipaddress.IPv6Network((addr, length), strict=False),
    st.integers(0, 2**128 - 1),
    st.integers(0, 128),
)
networks = st.one_of(v4_networks, v6_networks)


@given(networks)
def test_parse_prefix_agrees_with_ipaddress(
    net: ipaddress.IPv4Network | ipaddress.IPv6Network,
) -> None:
    p = parse_prefix(str(net))
    assert (p.version, p.network, p.length) == (
        net.version,
        int(net.network_address),
        net.prefixlen,
    )
    assert str(p) == net.compressed
    assert parse_prefix(str(p)) == p
    assert p.last == int(net.broadcast_address)


@given(networks, st.integers(1, 2**128 - 1))
def test_host_bits_are_an_error_naming_the_value(
    net: ipaddress.IPv4Network | ipaddress.IPv6Network, noise: int
) -> None:
    host = noise % net.num_addresses
    if host == 0:
        return
    addr = type(net.network_address)(int(net.network_address) + host)
    text = f"{addr}/{net.prefixlen}"
    with pytest.raises(InputError) as info:
        parse_prefix(text, source="x.yaml", line=3, path=("ips", 0))
    message = str(info.value)
    assert text in message
    assert "x.yaml:3" in message
    assert "ips[0]" in message
    assert net.compressed in message  # it says what the network would be


@given(networks, networks)
def test_contains_agrees_with_ipaddress(
    a: ipaddress.IPv4Network | ipaddress.IPv6Network,
    b: ipaddress.IPv4Network | ipaddress.IPv6Network,
) -> None:
    pa, pb = parse_prefix(str(a)), parse_prefix(str(b))
    expected = a.version == b.version and b.subnet_of(a)  # type: ignore[arg-type]
    assert pa.contains(pb) == expected


@given(networks)
def test_halves_and_supernet_are_inverse(
    net: ipaddress.IPv4Network | ipaddress.IPv6Network,
) -> None:
    p = parse_prefix(str(net))
    if p.length < p.bits:
        low, high = p.halves()
        assert low.supernet() == p == high.supernet()
        assert low.num_addresses + high.num_addresses == p.num_addresses


@pytest.mark.parametrize(
    "text",
    [
        "",
        "10.0.0.0",
        "10.0.0/8",
        "10.0.0.0/33",
        "2603::/129",
        "10.0.0.0/-1",
        "10.0.0.0/08x",
        "fe80::1%eth0/64",
        "01.2.3.0/24",
        "10.0.0.0/ 8",
        "banana",
    ],
)
def test_malformed_prefixes_are_input_errors(text: str) -> None:
    with pytest.raises(InputError):
        parse_prefix(text)


def test_bare_address_only_when_allowed() -> None:
    assert parse_prefix("2620:1ec:4::152", allow_host=True) == parse_prefix("2620:1ec:4::152/128")
    with pytest.raises(InputError, match="length missing"):
        parse_prefix("2620:1ec:4::152")


def test_prefix_order_is_family_then_address_then_length() -> None:
    texts = ["2603:1006::/40", "52.96.0.0/14", "13.107.128.0/24", "13.107.128.0/22"]
    assert [str(p) for p in sorted(parse_prefix(t) for t in texts)] == [
        "13.107.128.0/22",
        "13.107.128.0/24",
        "52.96.0.0/14",
        "2603:1006::/40",
    ]


def test_prefix_is_frozen() -> None:
    p = parse_prefix("10.0.0.0/8")
    with pytest.raises(AttributeError):
        p.length = 9  # type: ignore[misc]
    assert hash(p) == hash(Prefix(4, 10 << 24, 8))


@pytest.mark.parametrize("text", ["12076", "12076:", ":5010", "70000:1", "12076:5010:1", "a:b"])
def test_bad_communities(text: str) -> None:
    with pytest.raises(InputError, match="not a BGP community"):
        parse_community(text)


@given(st.lists(st.integers(0, 65535), max_size=12), st.randoms())
def test_port_sets_compare_as_sets(ports: list[int], rnd: object) -> None:
    shuffled = list(ports)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    a = PortSet.parse(",".join(str(p) for p in ports))
    b = PortSet.parse(", ".join(str(p) for p in shuffled))
    assert a == b
    assert set(a) == set(ports)
    assert PortSet.parse(str(a)) == a


def test_empty_port_items_are_tolerated() -> None:
    assert set(PortSet.parse("80,,443, ")) == {80, 443}


@pytest.mark.parametrize("text", ["443-80", "70000", "http", "80;443"])
def test_bad_port_lists(text: str) -> None:
    with pytest.raises(InputError):
        PortSet.parse(text)
