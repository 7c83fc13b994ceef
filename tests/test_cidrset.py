"""AddressSet against netaddr's IPSet, on random prefixes of both families."""

from __future__ import annotations

import netaddr
from hypothesis import given
from hypothesis import strategies as st

from routeplan.cidrset import AddressSet
from routeplan.model import Prefix


@st.composite
def prefix_lists(draw: st.DrawFn, version: int) -> list[Prefix]:
    bits = 32 if version == 4 else 128
    out = []
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        length = draw(st.integers(min_value=bits - 12, max_value=bits))
        network = draw(st.integers(min_value=0, max_value=(1 << 12) - 1)) << (bits - 12)
        network |= draw(st.integers(min_value=0, max_value=(1 << 12) - 1))
        network &= ((1 << bits) - 1) ^ ((1 << (bits - length)) - 1)
        out.append(Prefix(version, network, length))
    return out


def _ipset(prefixes: list[Prefix]) -> netaddr.IPSet:
    return netaddr.IPSet(str(p) for p in prefixes)


def _same(mine: AddressSet, theirs: netaddr.IPSet) -> None:
    assert [str(c) for c in mine.cidrs()] == [str(c) for c in theirs.iter_cidrs()]
    assert mine.size == theirs.size


@given(version=st.sampled_from([4, 6]), data=st.data())
def test_set_algebra_matches_netaddr(version: int, data: st.DataObject) -> None:
    a = data.draw(prefix_lists(version))
    b = data.draw(prefix_lists(version))
    sa, sb = AddressSet.of(version, a), AddressSet.of(version, b)
    na, nb = _ipset(a), _ipset(b)
    _same(sa, na)
    _same(sa | sb, na | nb)
    _same(sa - sb, na - nb)
    _same(sa & sb, na & nb)
    for p in b:
        net = netaddr.IPNetwork(str(p))
        assert sa.overlaps(p) == bool(na & netaddr.IPSet([net]))
        assert sa.covers(p) == (net in na)
