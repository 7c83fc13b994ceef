"""A route's prefix as text, for the fast paths: is it written plainly?

A fast path (a C skimmer, the JSON stream's skip) counts a route that cannot matter without
reading it, but only when its prefix is written plainly; any other route is read in full, so
that a malformed prefix is refused as before. The C skimmers' ``json_prefix_family`` decides
alike (tests/test_jsonstream.py ties the two).
"""

from __future__ import annotations

import re

_PREFIX4 = re.compile(
    r"(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
    r"/(?:3[0-2]|[12]?\d)"
)
_PREFIX6 = re.compile(r"([0-9A-Fa-f:]{2,39})/(?:12[0-8]|1[01]\d|[1-9]?\d)")
_GROUP6 = re.compile(r"[0-9A-Fa-f]{1,4}")


def prefix_family(text: str) -> int:
    """4 or 6 when ``text`` is a prefix written plainly (``A.B.C.D/L`` without leading zeros;
    IPv6 groups of hex digits, eight or fewer around one ``::``; a length in range), else 0.
    A fast path counts a route that cannot matter only when its prefix is so written: any
    other goes to the reader in full, which says what is wrong with it. (The C skimmers'
    ``json_prefix_family`` decides alike.)

    >>> prefix_family("52.96.0.0/14"), prefix_family("2603:1006::/40"), prefix_family("::/0")
    (4, 6, 6)
    >>> prefix_family("52.96.0.0"), prefix_family("256.1.1.0/24"), prefix_family("010.1.1.0/24")
    (0, 0, 0)
    >>> prefix_family("1:2::3::/64"), prefix_family(":1::/64"), prefix_family("1:2:3:4:5:6:7:8/64")
    (0, 0, 6)
    >>> prefix_family("1:2:3:4:5:6:7/64"), prefix_family("::ffff:1.2.3.4/128")
    (0, 0)
    """
    if _PREFIX4.fullmatch(text):
        return 4
    found = _PREFIX6.fullmatch(text)
    if found is None:
        return 0
    head, double, tail = found.group(1).partition("::")
    groups = (head.split(":") if head else []) + (tail.split(":") if tail else [])
    if not all(_GROUP6.fullmatch(g) for g in groups):
        return 0
    return 6 if (len(groups) <= 7 if double else len(groups) == 8) else 0
