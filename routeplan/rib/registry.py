"""The registry of route-table formats, in the order auto-detection tries them."""

from __future__ import annotations

from routeplan.rib import (
    azure_json,
    azure_ps,
    bird,
    eos_bgp,
    eos_json,
    frr_bgp,
    frr_json,
    generic_csv,
    generic_json,
    genie_json,
    gobgp_json,
    ios_bgp,
    ios_route,
    iosxr_bgp,
    junos_json,
    junos_route,
    napalm_json,
    nxos_bgp,
    nxos_route,
    openbgpd,
    plain,
)
from routeplan.rib.base import RibFormat

FORMATS: tuple[RibFormat, ...] = (
    # Detection tries these in order: the most specific signatures first.
    generic_json.FORMAT,
    generic_csv.FORMAT,
    frr_json.FORMAT,
    eos_json.FORMAT,
    junos_json.FORMAT,
    gobgp_json.FORMAT,
    genie_json.FORMAT,
    napalm_json.FORMAT,
    openbgpd.JSON_FORMAT,
    openbgpd.FORMAT,
    azure_json.FORMAT,
    azure_ps.FORMAT,
    nxos_bgp.FORMAT,
    nxos_route.FORMAT,
    eos_bgp.FORMAT,
    iosxr_bgp.FORMAT,
    frr_bgp.FORMAT,
    ios_bgp.FORMAT,
    ios_route.FORMAT,
    junos_route.FORMAT,
    bird.FORMAT,
    plain.FORMAT,
)
