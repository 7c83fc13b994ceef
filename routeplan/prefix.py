"""Prefixes: the frozen :class:`Prefix` type and :func:`parse_prefix`, the one place a prefix
string becomes a prefix. Re-exported by :mod:`routeplan.model`."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence
from dataclasses import dataclass

from routeplan.errors import InputError


@dataclass(frozen=True, slots=True, order=True)
class Prefix:
    """An IP prefix with no host bits set, ordered by (family, network, length).

    Build one with :func:`parse_prefix`; never from parts a user typed.

    >>> p = parse_prefix("52.96.0.0/14")
    >>> str(p), p.version, p.length
    ('52.96.0.0/14', 4, 14)
    >>> p.contains(parse_prefix("52.96.38.0/24"))
    True
    >>> str(parse_prefix("2603:1006:0::/40"))
    '2603:1006::/40'
    """

    version: int
    network: int
    length: int

    @property
    def bits(self) -> int:
        """32 for IPv4, 128 for IPv6."""
        return 32 if self.version == 4 else 128

    @property
    def first(self) -> int:
        return self.network

    @property
    def last(self) -> int:
        return self.network | ((1 << (self.bits - self.length)) - 1)

    @property
    def num_addresses(self) -> int:
        return 1 << (self.bits - self.length)

    @property
    def address(self) -> str:
        """The network address as text (``52.96.0.0``)."""
        return _int_to_text(self.network, self.version)

    @property
    def netmask(self) -> str:
        """The dotted netmask (IPv4 only; used by vendor syntaxes that want one)."""
        mask = ((1 << self.bits) - 1) ^ ((1 << (self.bits - self.length)) - 1)
        return _int_to_text(mask, self.version)

    def contains(self, other: Prefix) -> bool:
        """True when ``other`` lies inside (or equals) this prefix."""
        return (
            self.version == other.version
            and self.length <= other.length
            and (other.network >> (self.bits - self.length))
            == (self.network >> (self.bits - self.length))
        )

    def overlaps(self, other: Prefix) -> bool:
        return self.contains(other) or other.contains(self)

    def supernet(self) -> Prefix:
        """The prefix one bit shorter (raises ValueError on /0)."""
        if self.length == 0:
            raise ValueError(f"{self} has no supernet")
        length = self.length - 1
        mask = ((1 << self.bits) - 1) ^ ((1 << (self.bits - length)) - 1)
        return Prefix(self.version, self.network & mask, length)

    def halves(self) -> tuple[Prefix, Prefix]:
        """The two prefixes one bit longer (raises ValueError on a host route)."""
        if self.length == self.bits:
            raise ValueError(f"{self} cannot be split")
        length = self.length + 1
        return (
            Prefix(self.version, self.network, length),
            Prefix(self.version, self.network | (1 << (self.bits - length)), length),
        )

    def __str__(self) -> str:
        return f"{_int_to_text(self.network, self.version)}/{self.length}"

    def __repr__(self) -> str:
        return f"Prefix('{self}')"


def _int_to_text(value: int, version: int) -> str:
    if version == 4:
        return socket.inet_ntop(socket.AF_INET, value.to_bytes(4, "big"))
    # ipaddress, not inet_ntop: inet_ntop writes some IPv6 addresses in a dotted form.
    return ipaddress.IPv6Address(value).compressed


def _text_to_int(text: str) -> tuple[int, int] | None:
    """Parse an address strictly (no short IPv4 forms, no zone ids); None when invalid."""
    try:
        if ":" in text:
            return 6, int.from_bytes(socket.inet_pton(socket.AF_INET6, text), "big")
        return 4, int.from_bytes(socket.inet_pton(socket.AF_INET, text), "big")
    except (OSError, ValueError):
        return None


def parse_prefix(
    text: str,
    *,
    source: str | None = None,
    line: int | None = None,
    path: Sequence[str | int] = (),
    allow_host: bool = False,
    mask_host: bool = False,
) -> Prefix:
    """Turn ``"52.96.0.0/14"`` into a :class:`Prefix`: the one place this happens.

    With ``allow_host`` a bare address becomes a host prefix (/32 or /128). With
    ``mask_host`` host bits are cleared (route tables print what routers hold; catalog files
    never pass it). Otherwise host bits set is an input error naming the value and where it
    came from:

    >>> parse_prefix("10.0.0.1/24", source="sets.yaml", line=4)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    routeplan.errors.InputError: sets.yaml:4: host bits set in prefix '10.0.0.1/24' (the network...
    >>> parse_prefix("40.69.150.142", allow_host=True)
    Prefix('40.69.150.142/32')
    """
    if not isinstance(text, str):
        raise InputError(
            f"expected a prefix as text, got {type(text).__name__} {text!r}",
            source=source,
            line=line,
            path=path,
        )
    raw = text.strip()
    addr, slash, length_text = raw.partition("/")
    parsed = _text_to_int(addr)
    if parsed is None:
        raise InputError(
            f"not an IP prefix: {text!r}",
            source=source,
            line=line,
            path=path,
            hint="write prefixes as ADDRESS/LENGTH, e.g. 52.96.0.0/14 or 2603:1006::/40",
        )
    version, network = parsed
    bits = 32 if version == 4 else 128
    if not slash:
        if not allow_host:
            raise InputError(
                f"prefix length missing in {text!r}",
                source=source,
                line=line,
                path=path,
                hint=f"write it as {addr}/{bits} if a single address is meant",
            )
        length = bits
    else:
        if (
            not (length_text.isascii() and length_text.isdigit())
            or len(length_text) > 3
            or int(length_text) > bits
        ):
            raise InputError(
                f"invalid prefix length in {text!r} (IPv{version} allows /0 to /{bits})",
                source=source,
                line=line,
                path=path,
            )
        length = int(length_text)
    host = network & ((1 << (bits - length)) - 1)
    if host and mask_host:
        return Prefix(version, network ^ host, length)
    if host:
        fixed = Prefix(version, network ^ host, length)
        raise InputError(
            f"host bits set in prefix {text!r} (the network is {fixed})",
            source=source,
            line=line,
            path=path,
        )
    return Prefix(version, network, length)
