"""Cisco IOS / IOS-XE, NX-OS, Arista EOS and FRR: prefix-lists, a community list and route-maps.

The import route-map (for the Microsoft peering sessions, inbound) first denies Internet-only
prefixes (Microsoft warns that it may announce them), then permits routes inside the
ExpressRoute lists that carry an allowed community, and denies the rest. A list with no entries
is left out together with the clause that would use it (an undefined prefix-list matches
everything on some platforms).
"""

from __future__ import annotations

from collections.abc import Sequence

from routeplan.model import Prefix
from routeplan.render.base import ConfigInput, header, le


def _comment(lines: list[str], mark: str = "!") -> list[str]:
    return [f"{mark} {line}".rstrip() for line in lines]


def _match(version: int, name: str) -> str:
    return f"match {'ip' if version == 4 else 'ipv6'} address prefix-list {name}"


def _clauses(ci: ConfigInput) -> list[tuple[str, list[str]]]:
    """(action, match lines) of the import policy, in order."""
    n = ci.names
    out: list[tuple[str, list[str]]] = []
    for v, name in ((4, n.internet_v4), (6, n.internet_v6)):
        if ci.internet(v):
            out.append(("deny", [_match(v, name)]))
    for v, name in ((4, n.er_v4), (6, n.er_v6)):
        if ci.er(v) and ci.communities():
            out.append(("permit", [_match(v, name), f"match community {n.communities}"]))
    return out


def _apply(mark: str, indent: str, ci: ConfigInput) -> list[str]:
    n = ci.names
    lines = [
        "Apply on both Microsoft peering sessions of the circuit:",
        "router bgp <your ASN>",
        f"{indent}neighbor <Microsoft peer address> route-map {n.import_policy} in",
    ]
    if ci.advertise:
        lines.append(f"{indent}neighbor <Microsoft peer address> route-map {n.export_policy} out")
    return _comment(lines, mark)


def _prefix_lines(
    name: str, entries: Sequence[Prefix], version: int, style: str, *, specifics: bool = True
) -> list[str]:
    """A prefix-list; with ``specifics`` each entry also takes the routes inside it."""
    if not entries:
        return []
    kw = "ip" if version == 4 else "ipv6"
    body = [
        f"seq {10 * i} permit {p}{le(p) if specifics else ''}" for i, p in enumerate(entries, 1)
    ]
    if style == "eos":
        return [f"{kw} prefix-list {name}"] + [f"   {line}" for line in body]
    return [f"{kw} prefix-list {name} {line}" for line in body]


def _route_map(name: str, clauses: Sequence[tuple[str, list[str]]], style: str) -> list[str]:
    """A route-map: the clauses (action, match lines) numbered by tens, then deny the rest."""
    indent = {"nxos": "  ", "eos": "   "}.get(style, " ")
    end = ["exit"] if style == "frr" else []
    out = []
    for seq, (action, matches) in enumerate(clauses, 1):
        out.append(f"route-map {name} {action} {10 * seq}")
        out.extend(f"{indent}{m}" for m in matches)
        out += [*end, "!"]
    return [*out, f"route-map {name} deny 1000", *end, "!"]


def _render(ci: ConfigInput, style: str) -> str:
    n = ci.names
    out = _comment(header(ci))
    out.append("!")
    lists = (
        (n.er_v4, [e.prefix for e in ci.er(4)], 4),
        (n.er_v6, [e.prefix for e in ci.er(6)], 6),
        (n.internet_v4, [e.prefix for e in ci.internet(4)], 4),
        (n.internet_v6, [e.prefix for e in ci.internet(6)], 6),
    )
    for name, entries, v in lists:
        block = _prefix_lines(name, entries, v, style)
        if block:
            out.extend(block)
            out.append("!")
    communities = ci.communities()
    for i, c in enumerate(communities, 1):
        if style == "ios":
            out.append(f"ip community-list standard {n.communities} permit {c}")
        elif style == "nxos":
            out.append(f"ip community-list standard {n.communities} seq {10 * i} permit {c}")
        elif style == "eos":
            out.append(f"ip community-list {n.communities} permit {c}")
        else:  # frr
            out.append(f"bgp community-list standard {n.communities} seq {10 * i} permit {c}")
    if communities:
        out.append("!")
    out.extend(_route_map(n.import_policy, _clauses(ci), style))
    if ci.advertise:
        for name, v in ((n.advertise_v4, 4), (n.advertise_v6, 6)):
            block = _prefix_lines(name, ci.adv(v), v, style, specifics=False)
            if block:
                out.extend(block)
                out.append("!")
        clauses = [
            ("permit", [_match(v, name)])
            for name, v in ((n.advertise_v4, 4), (n.advertise_v6, 6))
            if ci.adv(v)
        ]
        out.extend(_route_map(n.export_policy, clauses, style))
    out.extend(_apply("!", " ", ci))
    return "\n".join(out) + "\n"


def render_ios(ci: ConfigInput) -> str:
    return _render(ci, "ios")


def render_nxos(ci: ConfigInput) -> str:
    return _render(ci, "nxos")


def render_eos(ci: ConfigInput) -> str:
    return _render(ci, "eos")


def render_frr(ci: ConfigInput) -> str:
    return _render(ci, "frr")
