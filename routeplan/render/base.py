"""What every configuration renderer gets, and the parts they share."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace

from routeplan.catalog.query import Verdict
from routeplan.errors import UsageError
from routeplan.model import Prefix
from routeplan.plan import Plan, PlanPrefix

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,62}$")


@dataclass(frozen=True, slots=True)
class Names:
    """Names of the objects a renderer writes; change them with ``--name KEY=VALUE``."""

    er_v4: str = "M365-ER-V4"
    er_v6: str = "M365-ER-V6"
    internet_v4: str = "M365-INTERNET-ONLY-V4"
    internet_v6: str = "M365-INTERNET-ONLY-V6"
    communities: str = "M365-ER-COMMUNITIES"
    import_policy: str = "M365-ER-IN"
    export_policy: str = "M365-ER-OUT"
    advertise_v4: str = "M365-ER-ADVERTISE-V4"
    advertise_v6: str = "M365-ER-ADVERTISE-V6"
    route_filter: str = "m365-route-filter"
    route_filter_rule: str = "allow-m365"

    @classmethod
    def option_keys(cls) -> list[str]:
        """The option keys (``er-v4``, ``import-policy`` ...).

        >>> Names.option_keys()[:3]
        ['er-v4', 'er-v6', 'internet-v4']
        """
        return [f.name.replace("_", "-") for f in fields(cls)]

    @classmethod
    def from_options(cls, items: Mapping[str, str]) -> Names:
        """Defaults with the user's overrides; a usage error for an unknown key or a name a
        router would not take."""
        known = {k: k.replace("-", "_") for k in cls.option_keys()}
        changes = {}
        for key, value in items.items():
            if key not in known:
                raise UsageError(
                    f"unknown name key {key!r}", hint="known keys: " + ", ".join(cls.option_keys())
                )
            if not _NAME.match(value):
                raise UsageError(
                    f"{key}={value!r} is not a name routers accept",
                    hint="start with a letter; use letters, digits, '-' and '_', at most 63",
                )
            changes[known[key]] = value
        return replace(cls(), **changes)


@dataclass(frozen=True, slots=True)
class ConfigInput:
    plan: Plan
    names: Names = field(default_factory=Names)
    advertise: tuple[Prefix, ...] = ()
    """Prefixes to announce to Microsoft (those the lint found no error in)."""
    left_out: tuple[tuple[Prefix, str], ...] = ()
    """Announcements not rendered, with the reason."""

    def er(self, version: int) -> tuple[PlanPrefix, ...]:
        return self.plan.list_for(Verdict.EXPRESSROUTE, version).entries

    def internet(self, version: int) -> tuple[PlanPrefix, ...]:
        return self.plan.list_for(Verdict.INTERNET_ONLY, version).entries

    def adv(self, version: int) -> tuple[Prefix, ...]:
        return tuple(p for p in self.advertise if p.version == version)

    def communities(self) -> list[str]:
        return [str(c.community) for c in self.plan.allowed]


def header(ci: ConfigInput) -> list[str]:
    """The lines every renderer prints first, as comments (without the comment marker)."""
    plan = ci.plan
    out = [
        f"routeplan plan: {plan.instance} {plan.version}, rows {plan.rows}",
        f"route filter ({plan.selection.asked}): " + (" ".join(ci.communities()) or "nothing"),
    ]
    for c in plan.allowed:
        auth = {
            True: " (needs Microsoft's authorisation)",
            False: "",
            None: " (whether it needs Microsoft's authorisation is not stated)",
        }[c.authorization_required]
        out.append(f"  {c.community} {c.name}{auth}: sets {', '.join(map(str, c.set_ids))}")
    for v in (4, 6):
        out.append(
            f"IPv{v}: {len(ci.er(v))} ExpressRoute entries, {len(ci.internet(v))} Internet-only "
            "entries (hole-safe: no entry covers an address of the other list)"
        )
    out.extend(f"note: {n}" for n in plan.notes)
    out.extend(f"not announced: {p} ({why})" for p, why in ci.left_out)
    return out


def le(prefix: Prefix) -> str:
    """The ``le`` clause for a prefix-list entry: more specifics are safe inside a hole-safe
    entry; a host route has none.

    >>> from routeplan.model import parse_prefix as p
    >>> le(p("52.96.0.0/14")), le(p("13.107.6.171/32"))
    (' le 32', '')
    """
    return "" if prefix.length == prefix.bits else f" le {prefix.bits}"


Renderer = Callable[[ConfigInput], str]


@dataclass(frozen=True, slots=True)
class Vendor:
    name: str
    title: str
    render: Renderer
    aliases: tuple[str, ...] = ()
