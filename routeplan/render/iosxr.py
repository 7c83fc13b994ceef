"""Cisco IOS-XR: prefix-sets, a community-set and an RPL route-policy."""

from __future__ import annotations

from collections.abc import Sequence

from routeplan.model import Prefix
from routeplan.render.base import ConfigInput, header, le


def _set(kind: str, name: str, items: Sequence[str]) -> list[str]:
    if not items:
        return []
    body = [f"  {item}," for item in items[:-1]] + [f"  {items[-1]}"]
    return [f"{kind} {name}", *body, "end-set", "!"]


def _prefixes(entries: Sequence[Prefix], specifics: bool = True) -> list[str]:
    return [f"{p}{le(p) if specifics else ''}" for p in entries]


def _any(names: Sequence[str]) -> str:
    return " or ".join(f"destination in {n}" for n in names)


def render(ci: ConfigInput) -> str:
    n = ci.names
    out = [f"! {line}".rstrip() for line in header(ci)] + ["!"]
    er = [(n.er_v4, [e.prefix for e in ci.er(4)]), (n.er_v6, [e.prefix for e in ci.er(6)])]
    inet = [
        (n.internet_v4, [e.prefix for e in ci.internet(4)]),
        (n.internet_v6, [e.prefix for e in ci.internet(6)]),
    ]
    for name, entries in er + inet:
        out.extend(_set("prefix-set", name, _prefixes(entries)))
    communities = ci.communities()
    out.extend(_set("community-set", n.communities, communities))
    deny = [name for name, entries in inet if entries]
    allow = [name for name, entries in er if entries]
    out.append(f"route-policy {n.import_policy}")
    if deny:
        out += [f"  if {_any(deny)} then", "    drop", "  endif"]
    if allow and communities:
        cond = _any(allow)
        if len(allow) > 1:
            cond = f"({cond})"
        out += [
            f"  if {cond} and community matches-any {n.communities} then",
            "    pass",
            "  else",
            "    drop",
            "  endif",
        ]
    else:
        out.append("  drop")
    out += ["end-policy", "!"]
    if ci.advertise:
        adv = [(n.advertise_v4, list(ci.adv(4))), (n.advertise_v6, list(ci.adv(6)))]
        for name, entries in adv:
            out.extend(_set("prefix-set", name, _prefixes(entries, specifics=False)))
        names = [name for name, entries in adv if entries]
        out += [
            f"route-policy {n.export_policy}",
            f"  if {_any(names)} then",
            "    pass",
            "  else",
            "    drop",
            "  endif",
            "end-policy",
            "!",
        ]
    out += [
        "! Apply on both Microsoft peering sessions of the circuit:",
        "! router bgp <your ASN> neighbor <Microsoft peer address> address-family ipv4 unicast",
        f"!  route-policy {n.import_policy} in",
    ]
    if ci.advertise:
        out.append(f"!  route-policy {n.export_policy} out")
    return "\n".join(out) + "\n"
