"""BIRD 2 / 3: prefix-set constants, a community pair set, and an import filter.

BIRD names are identifiers, so ``-`` in a name becomes ``_``.
"""

from __future__ import annotations

from collections.abc import Sequence

from routeplan.model import Prefix
from routeplan.render.base import ConfigInput, header


def ident(name: str) -> str:
    """A BIRD identifier for a name.

    >>> ident("M365-ER-V4")
    'M365_ER_V4'
    """
    return name.replace("-", "_")


def _set(name: str, entries: Sequence[Prefix], specifics: bool = True) -> list[str]:
    if not entries:
        return []
    items = [f"{p}+" if specifics and p.length < p.bits else str(p) for p in entries]
    body = [f"    {item}," for item in items[:-1]] + [f"    {items[-1]}"]
    return [f"define {ident(name)} = [", *body, "];"]


def render(ci: ConfigInput) -> str:
    n = ci.names
    out = [f"# {line}".rstrip() for line in header(ci)]
    er = {4: (n.er_v4, [e.prefix for e in ci.er(4)]), 6: (n.er_v6, [e.prefix for e in ci.er(6)])}
    inet = {
        4: (n.internet_v4, [e.prefix for e in ci.internet(4)]),
        6: (n.internet_v6, [e.prefix for e in ci.internet(6)]),
    }
    for name, entries in list(er.values()) + list(inet.values()):
        out.extend(_set(name, entries))
    pairs = [f"({c.replace(':', ', ')})" for c in ci.communities()]
    if pairs:
        out.append(f"define {ident(n.communities)} = [ {', '.join(pairs)} ];")
    out.append("")
    out.append(f"filter {ident(n.import_policy)}")
    out.append("{")
    for v in (4, 6):
        (er_name, er_entries), (in_name, in_entries) = er[v], inet[v]
        lines = []
        if in_entries:
            lines.append(f"  if net ~ {ident(in_name)} then reject;")
        if er_entries and pairs:
            lines.append(
                f"  if net ~ {ident(er_name)} && bgp_community ~ {ident(n.communities)} "
                "then accept;"
            )
        if lines:
            out.append(f"  if net.type = NET_IP{v} then {{")
            out.extend(f"  {line}" for line in lines)
            out.append("  }")
    out.append("  reject;")
    out.append("}")
    if ci.advertise:
        out.append("")
        adv = {4: (n.advertise_v4, list(ci.adv(4))), 6: (n.advertise_v6, list(ci.adv(6)))}
        for name, entries in adv.values():
            out.extend(_set(name, entries, specifics=False))
        out.append(f"filter {ident(n.export_policy)}")
        out.append("{")
        for v, (name, entries) in adv.items():
            if entries:
                out.append(f"  if net.type = NET_IP{v} && net ~ {ident(name)} then accept;")
        out.append("  reject;")
        out.append("}")
    out.append("")
    out.append("# Apply in the Microsoft peering protocols (both sessions of the circuit):")
    out.append(f"#   ipv4 {{ import filter {ident(n.import_policy)}; }}")
    if ci.advertise:
        out.append(f"#   ipv4 {{ export filter {ident(n.export_policy)}; }}")
    return "\n".join(out) + "\n"
