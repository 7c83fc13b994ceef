"""Juniper Junos: route-filter-lists, one community per value, and a policy-statement.

A Junos ``community`` with several members matches only routes carrying *all* of them, so each
allowed value gets its own community and the term lists them (any one matches). Load with
``load merge terminal`` (or ``load merge relative`` under ``[edit]``).
"""

from __future__ import annotations

from collections.abc import Sequence

from routeplan.model import Prefix
from routeplan.render.base import ConfigInput, header


def _filter_list(name: str, entries: Sequence[Prefix], specifics: bool = True) -> list[str]:
    if not entries:
        return []
    lines = [f"    route-filter-list {name} {{"]
    for p in entries:
        match = "orlonger" if specifics and p.length < p.bits else "exact"
        lines.append(f"        {p} {match};")
    lines.append("    }")
    return lines


def _term(name: str, lists: Sequence[str], communities: Sequence[str], action: str) -> list[str]:
    lines = [f"        term {name} {{", "            from {"]
    if communities:
        if len(communities) == 1:
            lines.append(f"                community {communities[0]};")
        else:
            lines.append(f"                community [ {' '.join(communities)} ];")
    lines += [f"                route-filter-list {n};" for n in lists]
    lines += ["            }", f"            then {action};", "        }"]
    return lines


def render(ci: ConfigInput) -> str:
    n = ci.names
    out = [f"/* {line} */" for line in header(ci)]
    er = [(n.er_v4, [e.prefix for e in ci.er(4)]), (n.er_v6, [e.prefix for e in ci.er(6)])]
    inet = [
        (n.internet_v4, [e.prefix for e in ci.internet(4)]),
        (n.internet_v6, [e.prefix for e in ci.internet(6)]),
    ]
    out.append("policy-options {")
    for name, entries in er + inet:
        out.extend(_filter_list(name, entries))
    community_names = []
    for c in ci.communities():
        cname = f"{n.communities}-{c.replace(':', '-')}"
        community_names.append(cname)
        out.append(f"    community {cname} members {c};")
    out.append(f"    policy-statement {n.import_policy} {{")
    deny = [name for name, entries in inet if entries]
    if deny:
        out += _term("internet-only", deny, (), "reject")
    allow = [name for name, entries in er if entries]
    if allow and community_names:
        out += _term("microsoft-365", allow, community_names, "accept")
    out += ["        term default {", "            then reject;", "        }", "    }"]
    if ci.advertise:
        adv = [(n.advertise_v4, list(ci.adv(4))), (n.advertise_v6, list(ci.adv(6)))]
        for name, entries in adv:
            out.extend(_filter_list(name, entries, specifics=False))
        out.append(f"    policy-statement {n.export_policy} {{")
        out += _term("nat-pools", [name for name, e in adv if e], (), "accept")
        out += ["        term default {", "            then reject;", "        }", "    }"]
    out.append("}")
    out.append("/* Apply on both Microsoft peering sessions of the circuit:")
    out.append(f"   set protocols bgp group <group> import {n.import_policy}")
    if ci.advertise:
        out.append(f"   set protocols bgp group <group> export {n.export_policy}")
    out[-1] += " */"
    return "\n".join(out) + "\n"
