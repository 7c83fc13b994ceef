"""Run inside NetBox's Django shell by integration.py, after nb_setup.py: the per-device and
topology objects, reset first (only the test's own objects).

- a local Data Source on $RP_ROUTES_DIR (synced), holding route tables by the path convention
  {site}/{device}.txt;
- three devices tagged routeplan-test-edge: edge-clean (AMS1, a clean table), edge-wrong (FRA1,
  a table with findings), edge-gone (FRA1, no table);
- the custom fields routeplan_status (devices), igp_cost (cables), er_communities, next_hops and
  er_advertise (circuits);
- the topology of examples/topology/topology.yaml as NetBox holds one: regions, sites, devices
  tagged routeplan-test-router (gateways tagged m365-gateway), interfaces, cables with their
  IGP cost, ExpressRoute and Internet circuits cabled to the edge routers, site NAT pools;
- an API token for the superuser.

Prints one line of JSON: the IDs the test sends to the REST API, and the token."""

import json
import os
from pathlib import Path

import yaml
from circuits.models import Circuit, CircuitTermination, CircuitType, Provider
from core.models import DataSource, ObjectType
from dcim.models import (
    Cable,
    Device,
    DeviceRole,
    DeviceType,
    Interface,
    Manufacturer,
    Region,
    Site,
)
from extras.models import CustomField, JournalEntry, ScriptModule, Tag
from ipam.models import Prefix
from users.models import Token, User

ROUTES = Path(os.environ["RP_ROUTES_DIR"])
TOPOLOGY = Path(os.environ["RP_TOPOLOGY"])
EDGE_TAG, ROUTER_TAG = "routeplan-test-edge", "routeplan-test-router"
SOURCE = "routeplan-test-routes"
PROVIDERS = {
    "routeplan-test-microsoft": "Microsoft (routeplan test)",
    "routeplan-test-isp": "ISP (routeplan test)",
}
topo = yaml.safe_load(TOPOLOGY.read_text())

# --- reset (devices take their interfaces, cables' ends and journal entries with them)
ours = Device.objects.filter(tags__slug__in=[EDGE_TAG, ROUTER_TAG]).distinct()
JournalEntry.objects.filter(
    assigned_object_type=ObjectType.objects.get_for_model(Device),
    assigned_object_id__in=list(ours.values_list("pk", flat=True)),
).delete()
Cable.objects.filter(terminations___device__in=ours).delete()
Circuit.objects.filter(provider__slug__in=list(PROVIDERS)).delete()
ours.delete()
Prefix.objects.filter(tags__slug="m365-site-nat").delete()
Site.objects.filter(slug__in=[s["name"].lower() for s in topo["sites"]]).delete()
Region.objects.filter(slug__in={s["region"] for s in topo["sites"]}).delete()
DataSource.objects.filter(name=SOURCE).delete()

# --- shared kinds
maker, _ = Manufacturer.objects.get_or_create(name="routeplan-test", slug="routeplan-test")
dtype, _ = DeviceType.objects.get_or_create(manufacturer=maker, model="rp-router", slug="rp-router")
role, _ = DeviceRole.objects.get_or_create(name="rp-router", slug="rp-router")
tags = {}
for slug in (EDGE_TAG, ROUTER_TAG, "m365-gateway", "m365-secondary", "m365-site-nat"):
    tags[slug], _ = Tag.objects.get_or_create(slug=slug, defaults={"name": slug})
for name, model, kind in (
    ("routeplan_status", Device, "text"),
    ("igp_cost", Cable, "integer"),
    ("er_communities", Circuit, "text"),
    ("next_hops", Circuit, "text"),
    ("er_advertise", Circuit, "text"),
):
    field, _ = CustomField.objects.get_or_create(name=name, defaults={"type": kind})
    field.object_types.add(ObjectType.objects.get_for_model(model))

# --- the Data Source
source = DataSource(name=SOURCE, type="local", source_url=f"file://{ROUTES}")
source.full_clean()
source.save()
source.sync()

# --- three devices, checked each on its own table
sites = {s.slug: s for s in Site.objects.filter(slug__in=["ams1", "fra1"])}
edges = {}
for name, site in (("edge-clean", "ams1"), ("edge-wrong", "fra1"), ("edge-gone", "fra1")):
    d = Device(name=name, site=sites[site], device_type=dtype, role=role)
    d.full_clean()
    d.save()
    d.tags.add(tags[EDGE_TAG])
    edges[name] = d.pk

# --- the topology example, as NetBox objects
regions = {}
for slug in sorted({s["region"] for s in topo["sites"]}):
    regions[slug] = Region.objects.create(name=slug, slug=slug)
topo_sites = {}
for s in topo["sites"]:
    topo_sites[s["name"]] = Site.objects.create(
        name=s["name"], slug=s["name"].lower(), region=regions[s["region"]]
    )
    if s.get("nat_pool"):
        p = Prefix(prefix=s["nat_pool"], status="active", scope=topo_sites[s["name"]])
        p.save()
        p.tags.add(tags["m365-site-nat"])
gateways = {s["gateway"] for s in topo["sites"]}
routers = {}
for r in topo["routers"]:
    d = Device.objects.create(
        name=r["name"], site=topo_sites[r["site"]], device_type=dtype, role=role
    )
    d.tags.add(tags[ROUTER_TAG], *([tags["m365-gateway"]] if r["name"] in gateways else []))
    routers[r["name"]] = d
ports: dict[str, int] = {}


def port(device_name):
    ports[device_name] = ports.get(device_name, 0) + 1
    return Interface.objects.create(
        device=routers[device_name], name=f"eth{ports[device_name]}", type="10gbase-x-sfpp"
    )


for link in topo["links"]:
    cable = Cable(a_terminations=[port(link["a"])], b_terminations=[port(link["b"])])
    cable.custom_field_data["igp_cost"] = link.get("cost", 1)
    cable.save()
providers = {
    slug: Provider.objects.get_or_create(slug=slug, defaults={"name": name})[0]
    for slug, name in PROVIDERS.items()
}
types = {}
for slug in ("expressroute", "internet"):
    types[slug], _ = CircuitType.objects.get_or_create(slug=slug, defaults={"name": slug.title()})


def circuit(cid, kind, provider, router_names, fields, description="", secondary=False):
    c = Circuit(cid=cid, provider=providers[provider], type=types[kind], description=description)
    c.custom_field_data.update(fields)
    c.save()
    if secondary:
        c.tags.add(tags["m365-secondary"])
    site = routers[router_names[0]].site
    term = CircuitTermination(circuit=c, term_side="A", termination=site)
    term.save()
    peers = [port(n) for n in router_names]
    Cable(a_terminations=peers, b_terminations=[term]).save()


for c in topo["circuits"]:
    circuit(
        c["name"],
        "expressroute",
        "routeplan-test-microsoft",
        c["routers"],
        {
            "er_communities": ",".join(c.get("communities", [])),
            "next_hops": ",".join(c.get("next_hops", [])),
            "er_advertise": ",".join(c.get("advertise", [])),
        },
        c.get("location", ""),
        c.get("role") == "secondary",
    )
for b in topo["breakouts"]:
    circuit(
        b["name"],
        "internet",
        "routeplan-test-isp",
        [b["router"]],
        {"next_hops": ",".join(b.get("next_hops", []))},
    )

# --- an API token for the superuser (a new one each run; the old ones are removed)
admin = User.objects.get(username="routeplan-admin")
Token.objects.filter(user=admin, description="routeplan-test").delete()
token = Token(user=admin, write_enabled=True, description="routeplan-test")
token.full_clean()
token.save()

module = ScriptModule.objects.get(file_path="routeplan_expressroute.py")
print(
    json.dumps(
        {
            "token": token.get_auth_header_prefix() + token.token,
            "scripts": {s.name: s.pk for s in module.scripts.all()},
            "edges": edges,
            "edge_tag": tags[EDGE_TAG].pk,
            "router_tag": tags[ROUTER_TAG].pk,
            "data_source": source.pk,
            "files": sorted(f.path for f in source.datafiles.all()),
        }
    )
)
