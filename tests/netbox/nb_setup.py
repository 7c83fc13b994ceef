"""Run inside NetBox's Django shell by integration.py: reset the test's own objects, then
create sites, tags, prefixes, a superuser and the script module. Never touches other data."""

import os
import shutil
from pathlib import Path

from core.models import ObjectType
from dcim.models import Device, Site
from extras.models import JournalEntry, ScriptModule, Tag
from ipam.models import Prefix
from users.models import User

SCRIPT = os.environ["RP_SCRIPT"]
SOURCE = Path(os.environ["RP_SOURCE"])
SCRIPTS_ROOT = Path(os.environ["RP_SCRIPTS_ROOT"])
TAGS = {
    "expressroute-nat": "ExpressRoute NAT",
    "expressroute-nat-proposed": "ExpressRoute NAT (proposed)",
}
SITES = {"ams1": "AMS1", "fra1": "FRA1"}

# reset: the module (its scripts and their jobs go with it), prefixes, tags, devices, sites
for module in ScriptModule.objects.filter(file_path=f"{SCRIPT}.py"):
    module.delete()  # deletes the file too
Prefix.objects.filter(tags__slug__in=list(TAGS)).delete()
Tag.objects.filter(slug__in=list(TAGS)).delete()
gone = Device.objects.filter(site__slug__in=list(SITES))  # nb_fleet_setup.py's, with journals
JournalEntry.objects.filter(
    assigned_object_type=ObjectType.objects.get_for_model(Device),
    assigned_object_id__in=list(gone.values_list("pk", flat=True)),
).delete()
gone.delete()
Site.objects.filter(slug__in=list(SITES)).delete()

tags = {slug: Tag.objects.create(name=name, slug=slug) for slug, name in TAGS.items()}
sites = {slug: Site.objects.create(name=name, slug=slug) for slug, name in SITES.items()}

good = Prefix(
    prefix="198.51.99.0/24",
    status="active",
    scope=sites["ams1"],
    description="NAT pool announced to Microsoft, circuit 1",
)
good.save()
good.tags.add(tags["expressroute-nat"], tags["expressroute-nat-proposed"])
bad = Prefix(
    prefix="10.20.0.0/16",
    status="active",
    scope=sites["fra1"],
    description="proposed NAT pool (private space: wrong)",
)
bad.save()
bad.tags.add(tags["expressroute-nat-proposed"])

if not User.objects.filter(username="routeplan-admin").exists():
    User.objects.create_superuser("routeplan-admin", "admin@example.com", "routeplan-admin-pw")

SCRIPTS_ROOT.mkdir(parents=True, exist_ok=True)
shutil.copy(SOURCE, SCRIPTS_ROOT / f"{SCRIPT}.py")
module = ScriptModule(file_root="scripts", file_path=f"{SCRIPT}.py")
module.save()  # syncs the script classes
print("scripts:", [s.name for s in module.scripts.all()])
print(
    "prefixes:",
    [
        (str(p.prefix), [t.slug for t in p.tags.all()])
        for p in Prefix.objects.filter(tags__slug__in=list(TAGS)).distinct()
    ],
)
