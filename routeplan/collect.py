"""Targeted collection: the few commands that fetch what the check needs from a router,
instead of its whole table.

The check decides each prefix of the plan from the routes that overlap it: the routes inside
it (and the prefix itself), and the longest route that covers it. A full Internet table holds
a million routes; the check needs a few hundred. For each plan prefix ``P`` (the plan's
entries are disjoint) the collection asks for

- the routes inside ``P``: ``show bgp ipv4 unicast P longer-prefixes json``;
- every route that could cover ``P``: one exact lookup per shorter prefix that contains
  ``P`` (``show bgp ipv4 unicast S json``; a prefix the table does not hold prints ``{}``),
  so the covering route is known whatever its length, the default route included; the
  prefixes several plan prefixes share are asked once;
- the routes through the policy's ExpressRoute AS numbers, anywhere
  (``show bgp ipv4 unicast regexp _12076_ json``), as the readers keep them from a full table.

Their outputs, concatenated in one capture, read as one table (``frr-json``; a path printed by
two commands is one path) and give the findings the full table gives (tests/lab). Routes that
a policy names only by next hop, neighbour, interface or community, outside the catalog's
prefixes, are not collected: an ``unexpected-expressroute-route`` note for such a route needs
the full table.

Only FRR prints every lookup in a form the readers read (JSON); IOS-style platforms print one
prefix's lookup as a detail view, which no reader reads yet.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from routeplan.errors import UsageError
from routeplan.plan import Plan
from routeplan.policy import Policy

PLATFORMS = ("frr",)
"""Platforms whose targeted commands the readers read back."""
_NOT_YET = ("ios", "iosxe", "iosxr", "nxos", "eos", "junos", "bird")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class Collection:
    """The commands of one targeted collection, in the order to run them."""

    platform: str
    commands: tuple[str, ...]
    prefixes: int
    """Plan prefixes covered."""
    lookups: int
    """Exact lookups of the shorter prefixes that could cover them."""


def covering(prefixes: Iterable[Network]) -> list[Network]:
    """Every shorter prefix that contains one of ``prefixes`` (the default route included),
    each once, IPv4 first, in address order.

    >>> [str(n) for n in covering([ipaddress.ip_network("52.96.0.0/14")])][:3]
    ['0.0.0.0/0', '0.0.0.0/1', '0.0.0.0/2']
    >>> len(covering([ipaddress.ip_network("52.96.0.0/14"), ipaddress.ip_network("52.100.0.0/14")]))
    14
    """
    found: set[Network] = set()
    for net in prefixes:
        found.update(net.supernet(new_prefix=length) for length in range(net.prefixlen))
    return sorted(found, key=lambda n: (n.version, int(n.network_address), n.prefixlen))


def targeted_commands(
    plan: Plan | Sequence[Plan], platform: str, policy: Policy | None = None
) -> Collection:
    """The commands that fetch what the check against ``plan`` needs, for ``platform``."""
    if platform in _NOT_YET:
        raise UsageError(
            f"targeted collection is not available for {platform} yet: its one-prefix lookups "
            "print a detail view, which no reader reads",
            hint="collect the full table (docs/formats.md lists the commands), or use frr",
        )
    if platform not in PLATFORMS:
        raise UsageError(f"unknown platform {platform!r}", hint="known: " + ", ".join(PLATFORMS))
    policy = policy or Policy.default()
    plans = [plan] if isinstance(plan, Plan) else list(plan)
    nets = sorted(
        {ipaddress.ip_network(str(e.prefix)) for p in plans for e in p.entries},
        key=lambda n: (n.version, int(n.network_address), n.prefixlen),
    )
    inside = [n for n in nets if not any(o != n and _within(n, o) for o in nets)]
    lookups = [n for n in covering(inside) if n not in set(inside)]
    commands: list[str] = []
    for version, family in ((4, "ipv4"), (6, "ipv6")):
        commands += [f"show bgp {family} unicast {n} json" for n in lookups if n.version == version]
        commands += [
            f"show bgp {family} unicast {n} longer-prefixes json"
            for n in inside
            if n.version == version
        ]
        commands += [
            f"show bgp {family} unicast regexp _{asn}_ json"
            for asn in sorted(policy.expressroute.asns)
        ]
    return Collection(platform, tuple(commands), len(inside), len(lookups))


def _within(net: Network, other: Network) -> bool:
    return net.version == other.version and net.subnet_of(other)  # type: ignore[arg-type]
