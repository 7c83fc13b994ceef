"""Prefix tries: the only place routeplan uses pytricia.

One trie per address family, because a single pytricia trie holding both families can give false
matches. Keys are prefixes as text (``"52.96.0.0/14"``), the form pytricia parses fastest.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

import pytricia

from routeplan.model import Prefix

V = TypeVar("V")


def family_of(key: str) -> int:
    """4 or 6, judged from the text of a prefix or address.

    >>> family_of("2603:1006::/40"), family_of("10.0.0.0/8")
    (6, 4)
    """
    return 6 if ":" in key else 4


class PrefixTrie(Generic[V]):
    """A longest-match map from prefixes to values, one pytricia trie per family.

    >>> t: PrefixTrie[str] = PrefixTrie()
    >>> t["52.96.0.0/14"] = "exchange"; t["52.96.38.0/24"] = "more specific"
    >>> t.longest("52.96.38.7")
    ('52.96.38.0/24', 'more specific')
    >>> [k for k, _ in t.covering("52.96.38.7/32")]
    ['52.96.38.0/24', '52.96.0.0/14']
    >>> t.longest("2603:1006::1") is None
    True
    """

    __slots__ = ("_v4", "_v6")

    def __init__(self) -> None:
        self._v4 = pytricia.PyTricia(32)
        self._v6 = pytricia.PyTricia(128)

    def _trie(self, key: str) -> pytricia.PyTricia:
        return self._v6 if ":" in key else self._v4

    def __setitem__(self, key: str | Prefix, value: V) -> None:
        text = str(key)
        self._trie(text).insert(text, value)

    def __contains__(self, key: str | Prefix) -> bool:
        text = str(key)
        return bool(self._trie(text).has_key(text))

    def get(self, key: str | Prefix) -> V | None:
        """The value stored at exactly this prefix."""
        text = str(key)
        trie = self._trie(text)
        return trie[text] if trie.has_key(text) else None

    def __len__(self) -> int:
        return len(self._v4) + len(self._v6)

    def family_size(self, version: int) -> int:
        return len(self._v4 if version == 4 else self._v6)

    def longest(self, key: str | Prefix) -> tuple[str, V] | None:
        """The most specific stored prefix covering ``key`` (an address or a prefix)."""
        text = str(key)
        trie = self._trie(text)
        found = trie.get_key(text)
        return None if found is None else (found, trie[found])

    def covering(self, key: str | Prefix) -> list[tuple[str, V]]:
        """Every stored prefix covering ``key``, most specific first."""
        text = str(key)
        trie = self._trie(text)
        out: list[tuple[str, V]] = []
        found = trie.get_key(text)
        while found is not None:
            out.append((found, trie[found]))
            found = trie.parent(found)
        return out

    def covered(self, key: str | Prefix) -> list[tuple[str, V]]:
        """Every stored prefix strictly inside ``key`` (not ``key`` itself)."""
        text = str(key)
        trie = self._trie(text)
        if trie.has_key(text):
            return [(k, trie[k]) for k in trie.children(text)]
        # pytricia's children() needs a stored key: insert a marker, read, remove.
        trie.insert(text, None)
        try:
            return [(k, trie[k]) for k in trie.children(text)]
        finally:
            trie.delete(text)

    def items(self) -> Iterator[tuple[str, V]]:
        for trie in (self._v4, self._v6):
            for key in trie:
                yield key, trie[key]
