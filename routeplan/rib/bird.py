"""BIRD ``show route all`` (BIRD 1.x and 2.x)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from routeplan.model import Prefix
from routeplan.rib.base import MAX_LINE, ParseContext, RibFormat, json_int, make_route
from routeplan.rib.bgplayout import LineSkim, load_skim, skimmed_lines

_FIRST = re.compile(r"^([0-9A-Fa-f:.]+/\d{1,3})\s+(.*)$")
_VIA = re.compile(r"via\s+(\S+)(?:\s+on\s+(\S+))?")
_FROM = re.compile(r"\bfrom\s+([0-9A-Fa-f:.]+)")
_PAIR = re.compile(r"\((\d+),\s*(\d+)\)")
_TRIPLE = re.compile(r"\((\d+),\s*(\d+),\s*(\d+)\)")


def detect(head: str) -> bool:
    return ("BIRD " in head and " ready." in head) or (
        ("BGP.as_path:" in head or "bgp_path:" in head) and ("unicast [" in head or " via " in head)
    )


@dataclass
class _Path:
    line: int
    raw: str
    best: bool
    next_hop: str | None = None
    interface: str | None = None
    peer: str | None = None
    protocol: str = "bgp"
    as_path: tuple[int, ...] = ()
    communities: list[str] = field(default_factory=list)
    local_pref: int | None = None
    metric: int | None = None
    attr: str = ""
    described: bool = False
    """It had a ``Type:`` or ``BGP.*`` line: ``show route all``, not the brief form."""
    marked: bool = False
    """A line of it carries a marker (AS 12076, a next hop the policy names...)."""
    later: list[tuple[int, str, str]] = field(default_factory=list)
    """Attribute lines of a path that may not matter, read only when it does."""


def parse(ctx: ParseContext) -> None:  # noqa: C901  (the per-line loop of BIRD output, one branch per line kind)
    interest = ctx.interest
    prefix: Prefix | None = None
    path: _Path | None = None
    # the destination (text, line, raw line) when its prefix cannot matter by itself: its
    # paths are counted, and read in full only when a line of theirs carries a marker
    quiet: tuple[str, int, str] | None = None

    def flush() -> None:
        nonlocal path, prefix, quiet
        if path is not None and quiet is not None:
            if not path.marked:
                ctx.count(6 if ":" in quiet[0] else 4)  # cannot matter: counted, not parsed
                path = None
                return
            prefix, quiet = ctx.prefix(*quiet), None
        if path is not None:
            later, path.later = path.later, []
            for n, raw, text in later:
                _attribute(ctx, path, n, raw, text)
        if path is not None and prefix is not None and not path.described:
            # the brief form (``show route`` without ``all``) prints no AS path and no
            # communities: a path is never classified from what is not there
            ctx.bad(
                path.line,
                path.raw,
                "a route without its attributes (Type:, BGP.as_path): this is 'show route' "
                "without 'all'",
                hint="run 'birdc show route all' (add 'table master6' for IPv6)",
            )
            path = None
        if path is not None and prefix is not None:
            ctx.add(
                make_route(
                    ctx,
                    prefix,
                    path.line,
                    next_hop=path.next_hop,
                    as_path=path.as_path,
                    communities=tuple(path.communities),
                    local_pref=path.local_pref,
                    metric=path.metric,
                    best=path.best,
                    protocol=path.protocol,
                    interface=path.interface,
                    peer=path.peer,
                )
            )
        path = None

    for n, line in skimmed_lines(ctx, BIRD_SKIM, _anywhere, BLOCK):
        text = line.strip()
        if not text or text.startswith(("BIRD ", "Table ", "Access restricted")):
            continue
        first = _FIRST.match(line)
        if first:
            flush()
            name = first.group(1)
            quiet = None
            if interest is not None and not interest.maybe(name, ""):
                quiet, prefix = (name, n, line), None
            else:
                prefix = ctx.prefix(name, n, line)
            path = _start(n, line, first.group(2))
            if quiet is not None and interest is not None:
                path.marked = interest.marked(line)
            continue
        if (
            line[:1] in (" ", "\t")
            and ("[" in text and "]" in text)
            and (text.startswith(("unicast", "via", "blackhole", "unreachable", "prohibit")))
        ):
            flush()  # a further path of the same prefix
            path = _start(n, line, text)
            if quiet is not None and interest is not None:
                path.marked = interest.marked(line)
            continue
        if path is None:
            ctx.bad(n, line, "not part of a BIRD route")
            continue
        if quiet is not None and interest is not None:
            path.marked = path.marked or interest.marked(line)
            path.later.append((n, line, text))  # read only if the path turns out to matter
            continue
        _attribute(ctx, path, n, line, text)
    flush()


BIRD_SKIM: LineSkim | None = load_skim("bird_skim")
"""The C skimmer of BIRD routes (``_skim.c``), or None (no compiler at install, or
``ROUTEPLAN_PURE=1``): then Python reads every line, with the same result."""
BLOCK = 1 << 17


def _anywhere() -> tuple[object, ...]:
    """The skimmer may be asked before any line: it passes over a route only from its network
    line to the next one, where the reader would start a route too."""
    return (MAX_LINE,)


def _start(n: int, raw: str, text: str) -> _Path:
    head, _, _ = text.partition("[")
    tail = text[text.find("]") + 1 :] if "]" in text else ""
    path = _Path(n, raw, best="*" in tail.split("(")[0])
    via = _VIA.search(head)
    if via:
        path.next_hop, path.interface = via.group(1), via.group(2)
    peer = _FROM.search(text)
    if peer:
        path.peer = peer.group(1)
    return path


def _attribute(ctx: ParseContext, path: _Path, n: int, raw: str, text: str) -> None:  # noqa: C901  (one branch per BIRD attribute name, inline in the per-line loop)
    if raw.startswith("\t\t") or (raw.startswith("\t") and text.startswith("(") and path.attr):
        key = path.attr  # continuation of a long attribute line
        value = text
    else:
        key, sep, value = text.partition(":")
        if not sep:
            key, value = text, ""
        key = key.strip()
        value = value.strip()
        path.attr = key
    key = _KEYS.get(key.lower(), key.lower())
    if key in _DESCRIBED or key.startswith("bgp"):
        path.described = True
    if key.startswith("via") or text.startswith("via "):
        via = _VIA.search(text)
        if via and path.next_hop is None:
            path.next_hop, path.interface = via.group(1), via.group(2)
    elif key in ("type", "source"):
        words = value.split()
        kind = words[0].lower() if words else "bgp"
        path.protocol = {"device": "connected", "inherit": "static"}.get(kind, kind)
    elif key == "as_path":
        parsed = ctx.as_path(value, n, raw)
        if parsed is not None:
            path.as_path = parsed
    elif key == "next_hop":
        if path.next_hop is None:
            path.next_hop = value.split()[0] if value else None
    elif key == "from":
        path.peer = value.split()[0] if value else path.peer
    elif key == "local_pref":
        path.local_pref = json_int(value)
    elif key == "med":
        path.metric = json_int(value)
    elif key == "community":
        path.communities.extend(f"{a}:{b}" for a, b in _PAIR.findall(value))
    elif key == "large_community":
        path.communities.extend(f"{a}:{b}:{c}" for a, b, c in _TRIPLE.findall(value))


_KEYS = {
    # BIRD 1/2 spell attributes BGP.x; BIRD 3 spells them bgp_x.
    "bgp.as_path": "as_path",
    "bgp_path": "as_path",
    "bgp.next_hop": "next_hop",
    "bgp_next_hop": "next_hop",
    "bgp.local_pref": "local_pref",
    "bgp_local_pref": "local_pref",
    "bgp.med": "med",
    "bgp_med": "med",
    "bgp.community": "community",
    "bgp_community": "community",
    "bgp.large_community": "large_community",
    "bgp_large_community": "large_community",
}

_DESCRIBED = frozenset({"type", "source", *_KEYS.values()})
"""Attribute lines only ``show route all`` prints (the brief form has none)."""


FORMAT = RibFormat(
    name="bird",
    title="BIRD routes",
    commands=("birdc show route all", "birdc show route all table master6"),
    detect=detect,
    parse=parse,
    notes="standard and large communities are read; extended communities are not",
    refuses=(
        "`birdc show route` without `all`: refused at its first route, which has no AS path or"
        " communities to classify it by",
        "`birdc show protocols`: not routes",
    ),
)
