"""A plain list of prefixes, one per line, with an optional second column naming the path.

::

    # comments and blank lines are ignored
    52.96.0.0/14        expressroute
    40.96.0.0/13        internet
    2603:1006::/40

The path column (``expressroute`` / ``er``, ``internet`` / ``inet``, ``internal``) states how the
prefix is routed; without it, the path policy decides (a plain prefix with no AS path, next hop
or protocol is treated as internal unless the policy says otherwise).
"""

from __future__ import annotations

import re

from routeplan.rib.base import ParseContext, RibFormat, Route

PATH_WORDS = {
    "expressroute": "expressroute",
    "er": "expressroute",
    "internet": "internet",
    "inet": "internet",
    "internal": "internal",
}
_LOOKS = re.compile(
    r"^\s*(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*)(?:/\d+)?(?:\s|$)"
)


def detect(head: str) -> bool:
    lines = [text for line in head.splitlines()[:50] if (text := line.split("#", 1)[0].strip())]
    return bool(lines) and all(_LOOKS.match(line) and len(line.split()) <= 2 for line in lines)


def parse(ctx: ParseContext) -> None:
    for n, line in enumerate(ctx.lines(), 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        fields = text.split()
        if len(fields) > 2:
            ctx.bad(n, line, "expected a prefix and at most one path word")
            continue
        path = None
        if len(fields) == 2:
            path = PATH_WORDS.get(fields[1].lower())
            if path is None:
                ctx.bad(
                    n,
                    line,
                    f"unknown path {fields[1]!r}",
                    hint="the second column is expressroute, internet or internal",
                )
                continue
        net = fields[0]
        host = net if "/" not in net else None  # a bare address is a host route
        if host is not None:
            net += "/128" if ":" in net else "/32"
        prefix = ctx.prefix(net, n, line, shown=host)
        if prefix is None:
            continue
        ctx.add(Route.stated(prefix, path, ctx.source, n))


FORMAT = RibFormat(
    name="prefix-list",
    title="Plain list of prefixes (optional path column)",
    commands=("any export: one prefix per line, optionally followed by expressroute|internet",),
    detect=detect,
    parse=parse,
    notes="a second column states the path; protocol is then stated-expressroute, "
    "stated-internet or stated-internal",
)
