"""The Azure side: the route filter that decides which communities Microsoft announces.

``azure-cli`` writes ``az`` commands (a POSIX shell script); ``azure-arm`` writes an ARM
deployment template with one ``Microsoft.Network/routeFilters`` resource. Both attach nothing by
themselves to a circuit except the last ``az`` command, which the script prints commented out.
"""

from __future__ import annotations

import json
import shlex

from routeplan.render.base import ConfigInput, header

ARM_API_VERSION = "2023-09-01"


def render_cli(ci: ConfigInput) -> str:
    n = ci.names
    q = shlex.quote
    out = ["#!/bin/sh", *(f"# {line}".rstrip() for line in header(ci)), "set -eu"]
    out += [
        ': "${RESOURCE_GROUP:?set RESOURCE_GROUP to the resource group of the circuit}"',
        ': "${LOCATION:?set LOCATION to the Azure region of the resource group}"',
        "",
        f'az network route-filter create --resource-group "$RESOURCE_GROUP" '
        f'--name {q(n.route_filter)} --location "$LOCATION"',
    ]
    communities = ci.communities()
    if communities:
        out.append(
            f'az network route-filter rule create --resource-group "$RESOURCE_GROUP" '
            f"--filter-name {q(n.route_filter)} --name {q(n.route_filter_rule)} --access Allow "
            f"--communities {' '.join(communities)}"
        )
    else:
        out.append("# no community to allow: the route filter stays empty")
    out += [
        "",
        "# Attach it to the circuit's Microsoft peering (CIRCUIT is the circuit's name):",
        f'# az network express-route peering update --resource-group "$RESOURCE_GROUP" '
        f'--circuit-name "$CIRCUIT" --name MicrosoftPeering --route-filter {q(n.route_filter)}',
    ]
    return "\n".join(out) + "\n"


def render_arm(ci: ConfigInput) -> str:
    n = ci.names
    rules = []
    if ci.communities():
        rules.append(
            {
                "name": n.route_filter_rule,
                "properties": {
                    "access": "Allow",
                    "routeFilterRuleType": "Community",
                    "communities": ci.communities(),
                },
            }
        )
    template = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "metadata": {"generator": "routeplan", "description": header(ci)},
        "parameters": {
            "routeFilterName": {"type": "string", "defaultValue": n.route_filter},
            "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
        },
        "resources": [
            {
                "type": "Microsoft.Network/routeFilters",
                "apiVersion": ARM_API_VERSION,
                "name": "[parameters('routeFilterName')]",
                "location": "[parameters('location')]",
                "properties": {"rules": rules},
            }
        ],
    }
    return json.dumps(template, indent=2) + "\n"
