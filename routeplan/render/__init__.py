"""Router and Azure configuration from a plan: one renderer per vendor (docs/plan.md)."""

from __future__ import annotations

from routeplan.errors import UsageError
from routeplan.render import azure, bird, cisco, iosxr, junos
from routeplan.render.base import ConfigInput, Names, Vendor

VENDORS: tuple[Vendor, ...] = (
    Vendor("ios", "Cisco IOS / IOS-XE", cisco.render_ios, ("iosxe", "ios-xe", "cisco_ios")),
    Vendor("iosxr", "Cisco IOS-XR (RPL)", iosxr.render, ("ios-xr", "cisco_xr")),
    Vendor("nxos", "Cisco NX-OS", cisco.render_nxos, ("nx-os", "cisco_nxos")),
    Vendor("eos", "Arista EOS", cisco.render_eos, ("arista", "arista_eos")),
    Vendor("junos", "Juniper Junos", junos.render, ("juniper", "juniper_junos")),
    Vendor("frr", "FRRouting (vtysh / frr.conf)", cisco.render_frr, ()),
    Vendor("bird", "BIRD 2 / 3", bird.render, ("bird2",)),
    Vendor("azure-cli", "Azure route filter, az CLI script", azure.render_cli, ("az",)),
    Vendor("azure-arm", "Azure route filter, ARM template", azure.render_arm, ("arm",)),
)


def get_vendor(name: str) -> Vendor:
    key = name.strip().lower()
    for vendor in VENDORS:
        if key == vendor.name or key in vendor.aliases:
            return vendor
    raise UsageError(
        f"unknown vendor {name!r}", hint="known vendors: " + ", ".join(v.name for v in VENDORS)
    )


def render_config(vendor: str, ci: ConfigInput) -> str:
    return get_vendor(vendor).render(ci)


__all__ = ["VENDORS", "ConfigInput", "Names", "Vendor", "get_vendor", "render_config"]
