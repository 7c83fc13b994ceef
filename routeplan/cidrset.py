"""Address sets as sorted, disjoint integer intervals, and their exact CIDR decompositions.

The plan works on sets of addresses (what longest-prefix match really sends where), not on lists
of prefixes. An :class:`AddressSet` belongs to one address family and is kept as merged, sorted
``(first, last)`` intervals, so union, difference and intersection are linear merges and the
CIDR list of a set is its unique minimal decomposition into aligned blocks.

>>> from routeplan.model import parse_prefix as p
>>> s = AddressSet.of(4, [p("10.0.0.0/24"), p("10.0.1.0/24")])
>>> [str(c) for c in s.cidrs()]
['10.0.0.0/23']
>>> [str(c) for c in (s - AddressSet.of(4, [p("10.0.0.128/25")])).cidrs()]
['10.0.0.0/25', '10.0.1.0/24']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from routeplan.model import Prefix

Interval = tuple[int, int]


def merge_intervals(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Sort and merge overlapping or adjacent intervals.

    >>> merge_intervals([(5, 9), (0, 3), (4, 4), (20, 30), (25, 26)])
    ((0, 9), (20, 30))
    """
    out: list[list[int]] = []
    for first, last in sorted(intervals):
        if out and first <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], last)
        else:
            out.append([first, last])
    return tuple((a, b) for a, b in out)


def interval_cidrs(first: int, last: int, version: int) -> Iterator[Prefix]:
    """The aligned blocks that exactly make up ``first..last``, largest possible each time
    (this decomposition is the unique minimal one).

    >>> [str(c) for c in interval_cidrs(1, 6, 4)]
    ['0.0.0.1/32', '0.0.0.2/31', '0.0.0.4/31', '0.0.0.6/32']
    """
    bits = 32 if version == 4 else 128
    while first <= last:
        # the largest block aligned at ``first`` ...
        size = (first & -first) if first else 1 << bits
        # ... that does not run past ``last``
        while size > last - first + 1:
            size >>= 1
        length = bits - (size.bit_length() - 1)
        yield Prefix(version, first, length)
        first += size


@dataclass(frozen=True, slots=True)
class AddressSet:
    """A set of addresses of one family."""

    version: int
    intervals: tuple[Interval, ...] = ()

    @classmethod
    def of(cls, version: int, prefixes: Iterable[Prefix]) -> AddressSet:
        return cls(
            version,
            merge_intervals((p.first, p.last) for p in prefixes if p.version == version),
        )

    def __bool__(self) -> bool:
        return bool(self.intervals)

    @property
    def size(self) -> int:
        """The number of addresses."""
        return sum(b - a + 1 for a, b in self.intervals)

    def __or__(self, other: AddressSet) -> AddressSet:
        self._same(other)
        return AddressSet(self.version, merge_intervals(self.intervals + other.intervals))

    def __sub__(self, other: AddressSet) -> AddressSet:
        self._same(other)
        out: list[Interval] = []
        cut = other.intervals
        j = 0
        for first, last in self.intervals:
            start = first
            while j < len(cut) and cut[j][1] < start:
                j += 1
            k = j
            while k < len(cut) and cut[k][0] <= last:
                if cut[k][0] > start:
                    out.append((start, cut[k][0] - 1))
                start = max(start, cut[k][1] + 1)
                k += 1
            if start <= last:
                out.append((start, last))
        return AddressSet(self.version, tuple(out))

    def __and__(self, other: AddressSet) -> AddressSet:
        self._same(other)
        out: list[Interval] = []
        i = j = 0
        a, b = self.intervals, other.intervals
        while i < len(a) and j < len(b):
            first = max(a[i][0], b[j][0])
            last = min(a[i][1], b[j][1])
            if first <= last:
                out.append((first, last))
            if a[i][1] < b[j][1]:
                i += 1
            else:
                j += 1
        return AddressSet(self.version, tuple(out))

    def overlaps(self, prefix: Prefix) -> bool:
        """Does ``prefix`` share an address with this set?

        >>> from routeplan.model import parse_prefix as p
        >>> AddressSet.of(4, [p("10.0.0.0/24")]).overlaps(p("10.0.0.0/16"))
        True
        """
        if prefix.version != self.version:
            return False
        return bool(self & AddressSet(self.version, ((prefix.first, prefix.last),)))

    def covers(self, prefix: Prefix) -> bool:
        """Is every address of ``prefix`` in this set?"""
        if prefix.version != self.version:
            return False
        return not (AddressSet(self.version, ((prefix.first, prefix.last),)) - self)

    def cidrs(self) -> list[Prefix]:
        """The minimal list of CIDRs whose union is exactly this set, in address order."""
        return [c for a, b in self.intervals for c in interval_cidrs(a, b, self.version)]

    def _same(self, other: AddressSet) -> None:
        if other.version != self.version:
            raise ValueError(f"IPv{self.version} set combined with an IPv{other.version} set")


@dataclass(frozen=True, slots=True)
class Regrouping:
    """Lines of a prefix-list that change together: the removed and added entries that
    overlap, and what that does to the addresses the list holds."""

    before: tuple[Prefix, ...]
    """The lines removed."""
    after: tuple[Prefix, ...]
    """The lines added in their place."""
    joining: tuple[Prefix, ...] = ()
    """Addresses the added lines bring onto the list (CIDRs)."""
    leaving: tuple[Prefix, ...] = ()
    """Addresses of the removed lines no line holds any more (CIDRs)."""


def regroupings(
    removed: Iterable[Prefix], added: Iterable[Prefix], before: Iterable[Prefix],
    after: Iterable[Prefix],
) -> list[Regrouping]:  # fmt: skip
    """The removed and added lines of a list that overlap, grouped, with the addresses each
    group brings on and takes off (``before``/``after``: the whole list on each side). A group
    with neither is only a regrouping (two /14s now one /13): no address changes list, so it is
    no removal. A line that overlaps none is a plain addition or removal, not listed here.

    >>> from routeplan.model import parse_prefix as p
    >>> old = [p("52.96.0.0/14"), p("52.100.0.0/14"), p("40.96.0.0/13")]
    >>> new = [p("52.96.0.0/13"), p("40.96.0.0/13")]
    >>> [g.leaving + g.joining for g in regroupings(old[:2], new[:1], old, new)]
    [()]
    >>> g = regroupings([p("52.96.0.0/13")], [p("52.96.0.0/12")], [p("52.96.0.0/13")],
    ...                 [p("52.96.0.0/12")])[0]
    >>> [str(x) for x in g.joining], g.leaving
    (['52.104.0.0/13'], ())
    """
    removed, added = sorted(set(removed)), sorted(set(added))
    before, after = list(before), list(after)

    def overlap(a: Prefix, b: Prefix) -> bool:
        return a.version == b.version and (a.contains(b) or b.contains(a))

    out: list[Regrouping] = []
    seen: set[Prefix] = set()
    for start in [*added, *removed]:
        if start in seen:
            continue
        group_a = {start} if start in added else set()
        group_r = {start} if not group_a else set()
        grown = True
        while grown:
            more_r = {
                r for r in removed if r not in group_r and any(overlap(r, a) for a in group_a)
            }
            more_a = {a for a in added if a not in group_a and any(overlap(a, r) for r in group_r)}
            group_r |= more_r
            group_a |= more_a
            grown = bool(more_r or more_a)
        seen |= group_a | group_r
        if not (group_a and group_r):
            continue  # a plain addition or removal
        v = start.version
        joining = AddressSet.of(v, group_a) - AddressSet.of(v, before)
        leaving = AddressSet.of(v, group_r) - AddressSet.of(v, after)
        out.append(
            Regrouping(
                tuple(sorted(group_r)),
                tuple(sorted(group_a)),
                tuple(joining.cidrs()),
                tuple(leaving.cidrs()),
            )
        )
    return out
