#!/bin/sh
# routeplan plan: Worldwide 2025-12-01, rows seed-16
# route filter (communities 12076:5010, 12076:5030, 12076:5100): 12076:5010 12076:5030 12076:5100
#   12076:5010 Exchange Online (needs Microsoft's authorisation): sets 1
#   12076:5030 Skype For Business Online (needs Microsoft's authorisation): sets 3
#   12076:5100 Other Office 365 Online services (needs Microsoft's authorisation): sets 6
# IPv4: 9 ExpressRoute entries, 9 Internet-only entries (hole-safe: no entry covers an address of the other list)
# IPv6: 2 ExpressRoute entries, 0 Internet-only entries (hole-safe: no entry covers an address of the other list)
set -eu
: "${RESOURCE_GROUP:?set RESOURCE_GROUP to the resource group of the circuit}"
: "${LOCATION:?set LOCATION to the Azure region of the resource group}"

az network route-filter create --resource-group "$RESOURCE_GROUP" --name m365-route-filter --location "$LOCATION"
az network route-filter rule create --resource-group "$RESOURCE_GROUP" --filter-name m365-route-filter --name allow-m365 --access Allow --communities 12076:5010 12076:5030 12076:5100

# Attach it to the circuit's Microsoft peering (CIRCUIT is the circuit's name):
# az network express-route peering update --resource-group "$RESOURCE_GROUP" --circuit-name "$CIRCUIT" --name MicrosoftPeering --route-filter m365-route-filter
