"""The skimmer without a C compiler: the C skimmer's rule (``_skim.c``) as regular expressions.

Python's ``re`` engine is C too, so a table read on a machine where the skimmer could not be
built still passes over the lines that cannot matter without a Python step per line. It takes
the same arguments and gives the same answer as the C ``skim``: where the run of whole groups
that cannot matter ends, how many lines it has, and how many IPv4 and IPv6 paths. It is built
from the same tables (:func:`routeplan.rib.bgplayout.skim_tables`) and, like the C skimmer,
never decides that a line matters: it passes over less when unsure, and the reader decides.

A group is a network line (or a network alone on its line with its path below), then further
paths, then any lines of numbers a long next hop pushed down; it is passed over only when the
next line starts another network, so that the reader's idea of the current network stays right
(the last group of a text is left to the reader). A line with a marker, or one too long to read,
ends the run before its line; text that is not ASCII is left to the reader whole.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from routeplan.rib.bgplayout import _STATUS_TEXT


def _bits(bitmap: bytes) -> list[int]:
    return [i for i in range(len(bitmap) * 8) if bitmap[i >> 3] >> (i & 7) & 1]


def _alternatives(words: list[str]) -> str:
    """A pattern for any of ``words``, as a tree of their common beginnings (Python's engine
    tries alternatives one by one: ``13|131|132`` tries three, ``13[12]?`` one).

    >>> _alternatives(["13", "131", "132", "104", "4"]), _alternatives([])
    ('(?:1(?:04|3[12]?)|4)', '(?!)')
    >>> all(re.fullmatch(_alternatives(["13", "131", "4"]), w) for w in ("13", "131", "4"))
    True
    """
    if not words:
        return "(?!)"
    tree: dict[str, dict[str, Any]] = {}
    for word in words:
        node = tree
        for c in word:
            node = node.setdefault(c, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        ends = "" in node
        branches = [(c, pattern(node[c])) for c in sorted(node) if c]
        if not branches:
            return ""
        if all(not rest for _, rest in branches) and len(branches) > 1:
            body = "[" + "".join(re.escape(c) for c, _ in branches) + "]"
        elif len(branches) == 1:
            c, rest = branches[0]
            body = re.escape(c) + rest
            if ends:
                body = f"(?:{body})"
        else:
            body = "(?:" + "|".join(re.escape(c) + rest for c, rest in branches) + ")"
        return body + "?" if ends else body

    return pattern(tree)


def patterns(
    net_col: int, nh_col: int, octets: bytes, keys4: bytes, hextets: bytes
) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The runs of IPv4 and of IPv6 groups that cannot matter, for a table whose Network and
    Next Hop columns start at ``net_col`` and ``nh_col`` (group 1: the last group of a run),
    and what must follow a run's last group (a line starting another network). Lines are not
    bounded: the caller ends a run before a line too long to read.

    >>> from routeplan.model import parse_prefix
    >>> from routeplan.rib.base import Interest
    >>> from routeplan.rib.bgplayout import skim_tables
    >>> o, k, h, _, _ = skim_tables(Interest([parse_prefix("52.96.0.0/14")]))
    >>> run4, _, start = patterns(5, 22, o, k, h)
    >>> out = " *>  8.8.8.0/24       203.0.113.1              0    100      0 64496 i\\n"
    >>> inside = " *>  52.97.1.0/24     192.0.2.1                         0 12076 i\\n"
    >>> m = run4.match(out + out + inside)
    >>> m.end() == 2 * len(out), m.start(1) == len(out), bool(start.match(inside))
    (True, True, True)
    >>> run4.match(inside + out)
    """
    # the status: the common ones first, as text (much faster), then any of the characters
    common = [f"{c:<{net_col}}" for c in (" *>", " * ", "*>", "* ", " *>i", " * i")]
    common = [c for c in dict.fromkeys(common) if len(c) == net_col]
    anything = f"(?=[^\\n]{{0,{net_col - 1}}}[*>])[{re.escape(_STATUS_TEXT)} ]{{{net_col}}}"
    status = f"(?>{'|'.join(re.escape(c) for c in common)}{'|' if common else ''}{anything})"
    catalog = [str(a) for a in _bits(octets)]
    # IPv4: a first octet outside the catalog (and not 0), unless a length of one digit
    # follows (shorter than /10: it may cover the catalog)
    out4 = rf"(?!(?:{_alternatives([*catalog, '0'])})\.)\d{{1,3}}\.[0-9./]{{0,40}}(?<!/[0-9./])"
    # a catalog first octet, but not a catalog /16: /16 or longer, or without a mask and
    # classful (128 and above: a /16 or /24)
    inside4 = []
    for a in _bits(octets):
        if a == 0:
            continue
        seconds = [str(k & 255) for k in _bits(keys4) if k >> 8 == a]
        head = rf"{a}\.(?!(?:{_alternatives(seconds)})\.)\d{{1,3}}\."
        inside4.append(rf"{head}[0-9.]{{0,30}}/(?:1[6-9]|[2-9][0-9])")
        if a >= 128:
            inside4.append(rf"{head}\d{{1,3}}\.\d{{1,3}}")
    net4 = f"(?:{out4}|{'|'.join(inside4)})" if inside4 else out4
    # IPv6: a first hextet outside the catalog, and /32 or longer
    first6 = _alternatives([f"{h:x}" for h in _bits(hextets)])
    net6 = (
        rf"(?<![a-fA-F])(?!(?i:{first6}):)[0-9a-fA-F]{{1,4}}:[0-9a-fA-F:]{{0,40}}"
        r"/(?:3[2-9]|[4-9][0-9]|1[01][0-9]|12[0-8])"
    )
    address = r"[0-9a-fA-F.:]*[.:][0-9a-fA-F.:]*"
    # further paths, and lines of numbers (blank up to past the Next Hop column)
    below = rf"(?>{status}[ ][ ][^\n]*\n|[ ]{{{nh_col + 2},}}[!-~][ -~]*\n)*+"
    runs = []
    for net in (net4, net6):
        group = (
            rf"{status}[ ]?{net}"
            rf"(?>[ ][^\n]*\n"  # the network's own path
            rf"|\n[ ]{{{net_col},}}{address}(?:[ ][ -~]*)?\n)"  # on the next line
            rf"{below}"
        )
        runs.append(re.compile(f"({group})+"))  # group 1: where the last group starts
    # what must follow the last group passed over: a line that starts another network
    start = re.compile(rf"{status}[ ]?(?<![a-fA-F])[0-9][!-~]*[ \n]")
    return runs[0], runs[1], start


@functools.cache
def _too_long(max_line: int) -> re.Pattern[str]:
    """A line of ``max_line - 1`` characters or more, from its start (tried at line starts
    only: linear in the text)."""
    return re.compile(f"(?m)^[^\\n]{{{max_line - 1}}}")


class RegexSkimmer:
    """Callable like the C ``skim``:
    ``skim(text, pos, net_col, nh_col, hints, octets, keys4, hextets, ranges4, markers,
    max_line) -> (new_pos, lines, paths4, paths6)``. (It leaves every network inside a catalog
    /16 to the reader: ``ranges4`` is not used.)"""

    def __init__(self) -> None:
        self._patterns: dict[
            tuple[object, ...], tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]
        ] = {}
        self._finders: dict[str, Callable[[str, int], int]] = {}
        self._too_long: tuple[list[int], int] | None = None
        """Where the first line too long to read starts in the text last given with these
        hints (its length when there is none)."""

    def _finder(self, marker: str) -> Callable[[str, int], int]:
        """Where ``marker`` next occurs in a text from a position (-1: nowhere); one with
        letters in any case, as :meth:`routeplan.rib.base.Interest.marked` finds it."""
        finder = self._finders.get(marker)
        if finder is None:
            if any(c.isalpha() for c in marker):
                search = re.compile(re.escape(marker), re.IGNORECASE | re.ASCII).search

                def finder(text: str, pos: int) -> int:
                    hit = search(text, pos)
                    return -1 if hit is None else hit.start()

            else:

                def finder(text: str, pos: int) -> int:
                    return text.find(marker, pos)

            self._finders[marker] = finder
        return finder

    def __call__(
        self,
        text: str,
        pos: int,
        net_col: int,
        nh_col: int,
        hints: list[int],
        octets: bytes,
        keys4: bytes,
        hextets: bytes,
        ranges4: bytes,
        markers: tuple[str, ...],
        max_line: int,
        /,
    ) -> tuple[int, int, int, int]:
        if not text.isascii() or not 0 < net_col <= nh_col < 200:
            return pos, 0, 0, 0  # not ASCII, or a damaged header: the reader reads it all
        key = (net_col, nh_col, octets, keys4, hextets)
        runs = self._patterns.get(key)
        if runs is None:
            runs = self._patterns[key] = patterns(net_col, nh_col, octets, keys4, hextets)
        end = len(text)
        limit = end
        for i, marker in enumerate(markers):
            if hints[i] < pos:
                hit = self._finder(marker)(text, pos)
                hints[i] = end if hit < 0 else hit
            limit = min(limit, hints[i])
        if limit < end:
            # not into the marker's line (never up to its end), but far enough to see that a
            # network starts on it
            first = text.rfind("\n", pos, limit) + 1
            eol = text.find("\n", first)
            eol = end if eol < 0 else eol
            space = text.find(" ", first + net_col + 1, eol)
            limit = eol if space < 0 else space + 1
        if end - pos >= max_line - 1:
            # a line too long to read is the reader's to refuse: the run ends before it (found
            # once per text: ``hints`` lives as long as the text it is given with)
            seen = self._too_long
            if seen is None or seen[0] is not hints or seen[1] < pos:
                found = _too_long(max_line).search(text, pos)
                seen = self._too_long = (hints, end if found is None else found.start())
            limit = min(limit, seen[1])
        lines = paths4 = paths6 = 0
        spaced = "\n" + " " * net_col
        start = pos
        run4, run6, after = runs
        while pos < limit:
            match = run4.match(text, pos, limit)
            six = match is None
            if match is None:
                match = run6.match(text, pos, limit)
                if match is None:
                    break
            stop = match.end()
            if after.match(text, stop, limit) is None:
                # the last group is passed over only when another network follows it (the
                # reader must know the network of what comes next): it is the reader's
                stop = match.start(1)
                if stop <= pos:
                    break
            # every line of a run with a status is a path but a network alone on its line,
            # whose path is the one line below it (blank in the Network column, as lines of
            # numbers are): the paths are the lines with a status
            n = text.count("\n", pos, stop)
            paths = n - text.count(spaced, pos, stop)
            if six:
                paths6 += paths
            else:
                paths4 += paths
            lines += n
            pos = stop
        return (pos, lines, paths4, paths6) if pos > start else (start, 0, 0, 0)
