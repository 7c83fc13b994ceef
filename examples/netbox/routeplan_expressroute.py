"""NetBox custom scripts: check Microsoft 365 routing over ExpressRoute with routeplan.

Install routeplan into NetBox's environment (add ``routeplan`` to local_requirements.txt), then
upload this file under Customization > Scripts, or place it in SCRIPTS_ROOT (docs/netbox.md).

- **ExpressRouteCheck**: the prefixes NetBox knows (NAT pools tagged ``expressroute-nat`` and
  the other tags of docs/netbox.md) against Microsoft's catalog and, when given, one route table.
- **DeviceRoutes**: each selected device's own route table, from a Data Source (path
  convention ``{site}/{device}.txt``) or an upload; the verdict is written back to the device
  (a journal entry and the ``routeplan_status`` custom field). Schedulable (nightly); with
  *Devices per job* it enqueues one job per batch on the RQ workers and a summary job.
- **FleetSummary**: collects those jobs (enqueued by DeviceRoutes, not run by hand).
- **TopologyCheck**: the topology check (docs/topology.md) on the topology NetBox holds: sites,
  devices, cables and ExpressRoute/Internet circuits.
"""

import datetime

from circuits.models import Circuit
from core.models import DataFile, DataSource, Job
from dcim.models import Cable, Device, Region, Site
from django.urls import reverse
from django.utils import timezone
from extras.jobs import ScriptJob
from extras.models import CustomField, JournalEntry, Tag
from extras.models import Script as ScriptModel
from extras.scripts import (
    BooleanVar,
    ChoiceVar,
    FileVar,
    IntegerVar,
    MultiObjectVar,
    ObjectVar,
    Script,
    StringVar,
    TextVar,
)
from ipam.models import Prefix
from utilities.exceptions import AbortScript

import routeplan
from routeplan import netbox as rpnb
from routeplan.model import fails, worst_of
from routeplan.report.topology import render_markdown as topology_markdown
from routeplan.report.topology import whatif_markdown, whatif_severity, whatif_verdict
from routeplan.topology.analysis import analyse, check_failure_name, intended_choices, what_if

INSTANCES = ("Worldwide", "USGovDoD", "USGovGCCHigh", "China")


class ExpressRouteCheck(Script):
    class Meta:
        name = "Microsoft 365 over ExpressRoute"
        description = (
            "Check NAT pools and route tables against Microsoft's endpoint catalog: "
            "ExpressRoute vs Internet, and what is announced to Microsoft"
        )
        commit_default = False

    route_table = FileVar(
        required=False,
        label="Route table",
        description="show ip bgp / show route / Arista, FRR, BIRD or Azure output "
        "(routeplan formats lists them)",
    )
    route_table_text = TextVar(required=False, label="...or paste the route table")
    instance = ChoiceVar(choices=[(i, i) for i in INSTANCES], default="Worldwide")
    communities = StringVar(
        required=False,
        default="12076:5010,12076:5030,12076:5100",
        description="Communities the circuit's route filter allows (comma-separated)",
    )
    tag = StringVar(
        default="expressroute-nat",
        description="Tag of the NAT pools announced to Microsoft over ExpressRoute",
    )
    prefixes = MultiObjectVar(
        model=Prefix,
        required=False,
        description="Check only these prefixes (default: every prefix with a routeplan tag)",
    )
    fail_on = ChoiceVar(
        choices=[("error", "error"), ("warning", "warning"), ("info", "info"), ("never", "never")],
        default="error",
        description="Fail the job when a finding is at least this severe",
    )

    def run(self, data, commit):
        conventions = rpnb.Conventions(advertise_tag=data["tag"])
        try:
            view = routeplan.catalog_view(routeplan.load_catalog(), data["instance"])
            communities = rpnb.communities_of(data.get("communities"))
            # keep only the routes the check can use: a full Internet table stays small
            keep = routeplan.check_interest(routeplan.make_plan(view, communities or None))
            routes = []
            if data.get("route_table"):
                upload = data["route_table"]
                routes.append(
                    routeplan.routes_from_text(upload.read(), name=upload.name, interest=keep)
                )
            elif data.get("route_table_text"):
                routes.append(
                    routeplan.routes_from_text(
                        data["route_table_text"], name="pasted table", interest=keep
                    )
                )
            if data.get("prefixes"):
                objects = list(data["prefixes"])
            else:
                slugs = [
                    conventions.advertise_tag,
                    conventions.internet_tag,
                    conventions.inbound_tag,
                    conventions.expressroute_route_tag,
                    conventions.internet_route_tag,
                ]
                objects = list(
                    Prefix.objects.filter(tags__slug__in=slugs).distinct().order_by("prefix")
                )
            check = rpnb.check_prefixes(
                view,
                objects,
                communities=communities or None,
                routes=routes,
                conventions=conventions,
            )
        except routeplan.RouteplanError as exc:  # a bad upload or option: say it, fail the job
            raise AbortScript(str(exc)) from None
        return rpnb.report_to_script(self, check, fail_on=data["fail_on"], abort=AbortScript)


FAIL_ON = [("error", "error"), ("warning", "warning"), ("info", "info"), ("never", "never")]


def selected_devices(data):
    """The devices chosen directly or by site, region or tag (one query, each device once)."""
    chosen = Device.objects.none()
    if data.get("devices"):
        chosen |= Device.objects.filter(pk__in=[d.pk for d in data["devices"]])
    if data.get("sites"):
        chosen |= Device.objects.filter(site__in=data["sites"])
    if data.get("regions"):
        regions = [
            r for region in data["regions"] for r in region.get_descendants(include_self=True)
        ]
        chosen |= Device.objects.filter(site__region__in=regions)
    if data.get("tags"):
        chosen |= Device.objects.filter(tags__in=data["tags"])
    return list(
        chosen.distinct()
        .select_related("site", "site__region", "role", "tenant")
        .order_by("name", "pk")
    )


def table_reader(source):
    """A Data Source's files by path, as routeplan.netbox.check_devices reads them."""

    def read(path):
        found = DataFile.objects.filter(source=source, path=path).only("data").first()
        return bytes(found.data) if found is not None else None

    return read


def prefix_link(prefix):
    """The NetBox page of a prefix: its Prefix object, or the prefix list searched for it."""
    found = Prefix.objects.filter(prefix=str(prefix)).first()
    if found is not None:
        return found.get_absolute_url()
    return f"{reverse('ipam:prefix_list')}?q={prefix}"


def script_model(cls):
    """The Script object NetBox keeps for a script class of this module."""
    for found in ScriptModel.objects.filter(name=cls.__name__).select_related("module"):
        if found.module.python_name == cls.module:
            return found
    raise AbortScript(f"script {cls.__name__} is not registered in NetBox")


def user_of(script):
    request = getattr(script, "request", None)
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


class DeviceRoutes(Script):
    class Meta:
        name = "Microsoft 365 over ExpressRoute: each device's routes"
        description = (
            "Check each device's own route table (from a Data Source) against Microsoft's "
            "catalog and write the verdict back to the device"
        )
        commit_default = True
        job_timeout = 3600

    devices = MultiObjectVar(model=Device, required=False)
    sites = MultiObjectVar(
        model=Site, required=False, description="...and every device of these sites"
    )
    regions = MultiObjectVar(model=Region, required=False, description="...and of these regions")
    tags = MultiObjectVar(
        model=Tag, required=False, description="...and every device with these tags"
    )
    data_source = ObjectVar(
        model=DataSource,
        required=False,
        description="Where the route tables are (a local directory or git repository NetBox syncs)",
    )
    table_path = StringVar(
        default=rpnb.DEFAULT_TABLE_PATH,
        description="Path of a device's table in the Data Source: {device}, {site}, {region}, "
        "{role}, {tenant} (slugs; the device's name)",
    )
    route_table = FileVar(
        required=False, label="...or upload one route table", description="for one device"
    )
    instance = ChoiceVar(choices=[(i, i) for i in INSTANCES], default="Worldwide")
    communities = StringVar(
        required=False,
        default="12076:5010,12076:5030,12076:5100",
        description="Communities the circuits' route filter allows (comma-separated)",
    )
    fail_on = ChoiceVar(
        choices=FAIL_ON, default="error", description="A device fails at this severity"
    )
    write_back = BooleanVar(
        default=True,
        description="Write each verdict to the device: a journal entry and, when the custom "
        "field exists, routeplan_status (only when committing)",
    )
    per_job = IntegerVar(
        required=False,
        default=0,
        min_value=0,
        label="Devices per job",
        description="0: check every device in this job; N: one job per N devices on the RQ "
        "workers, and a summary job that collects them",
    )

    def run(self, data, commit):
        devices = selected_devices(data)
        if not devices:
            raise AbortScript("no devices selected: choose devices, sites, regions or tags")
        per_job = data.get("per_job") or 0
        if per_job and len(devices) > per_job and commit:
            return self.fan_out(data, devices, per_job, commit)
        if per_job and not commit:
            self.log_info("commit is off: every device is checked in this job, not enqueued")
        upload = data.get("route_table")
        if upload is not None:
            if len(devices) != 1:
                raise AbortScript(
                    f"an uploaded table is for one device; {len(devices)} are selected"
                )
            content = upload.read()
            read, source = (lambda path: content), f"uploaded file {upload.name}"
        elif data.get("data_source") is not None:
            read, source = (
                table_reader(data["data_source"]),
                f"data source {data['data_source'].name}",
            )
        else:
            raise AbortScript("no route tables: choose a Data Source (or upload one table)")
        try:
            view = routeplan.catalog_view(routeplan.load_catalog(), data["instance"])
            communities = rpnb.communities_of(data.get("communities"))
            run = rpnb.check_devices(
                view,
                devices,
                read,
                template=data.get("table_path") or rpnb.DEFAULT_TABLE_PATH,
                source=source,
                communities=communities or None,
                fail_on=data["fail_on"],
            )
        except routeplan.RouteplanError as exc:
            raise AbortScript(str(exc)) from None
        journal = status_field = None
        if data.get("write_back", True):
            user = user_of(self)

            def journal(device, kind, text):
                JournalEntry.objects.create(
                    assigned_object=device, kind=kind, comments=text, created_by=user
                )

            if CustomField.objects.filter(
                name="routeplan_status", object_types__model="device"
            ).exists():
                status_field = "routeplan_status"
            else:
                self.log_info(
                    "no custom field routeplan_status on devices: verdicts go to the journal only"
                )
        return rpnb.report_devices(
            self,
            run,
            commit=commit,
            journal=journal,
            status_field=status_field,
            link=prefix_link,
            abort=AbortScript,
        )

    def fan_out(self, data, devices, per_job, commit):
        """One job per batch of devices on the RQ workers, then the summary job."""
        me = script_model(DeviceRoutes)
        user = user_of(self)
        batch_data = {
            k: v for k, v in data.items() if k not in ("devices", "sites", "regions", "tags")
        }
        batch_data["per_job"] = 0
        jobs = []
        for start in range(0, len(devices), per_job):
            batch = devices[start : start + per_job]
            job = ScriptJob.enqueue(
                instance=me,
                name=f"{me.name}: {batch[0].name} .. {batch[-1].name}",
                user=user,
                data={**batch_data, "devices": batch},
                request=None,
                commit=commit,
                job_timeout=DeviceRoutes.job_timeout,
            )
            jobs.append(job)
            self.log_info(
                f"job {job.pk}: {len(batch)} device(s), {batch[0].name} .. {batch[-1].name}"
            )
        summary = script_model(FleetSummary)
        done = ScriptJob.enqueue(
            instance=summary,
            name=f"{summary.name}: {len(jobs)} job(s)",
            user=user,
            data={"jobs": ",".join(str(j.pk) for j in jobs), "fail_on": data["fail_on"]},
            request=None,
            commit=True,  # it writes nothing; a waiting summary's next look must survive its run
        )
        self.log_success(
            f"{len(devices)} device(s) in {len(jobs)} job(s) on the RQ workers; "
            f"summary: job {done.pk}"
        )
        return (
            f"{len(devices)} device(s) in {len(jobs)} job(s): "
            + ", ".join(str(j.pk) for j in jobs)
            + f"; summary job {done.pk}\n"
        )


class FleetSummary(Script):
    class Meta:
        name = "Microsoft 365 over ExpressRoute: fleet summary"
        description = "Collects the jobs of a per-device run (enqueued by it; not run by hand)"
        commit_default = False

    jobs = StringVar(description="The per-device jobs' IDs (comma-separated)")
    fail_on = ChoiceVar(choices=FAIL_ON, default="error")
    wait_until = StringVar(required=False, description="Give up waiting for the jobs at (ISO time)")

    WAIT_SECONDS = 10
    WAIT_LIMIT = datetime.timedelta(hours=6)

    def run(self, data, commit):
        ids = [int(x) for x in data["jobs"].split(",") if x.strip()]
        jobs = list(Job.objects.filter(pk__in=ids).order_by("pk"))
        missing = sorted(set(ids) - {j.pk for j in jobs})
        deadline = data.get("wait_until") or (timezone.now() + self.WAIT_LIMIT).isoformat()
        open_jobs = [j for j in jobs if j.status in ("pending", "scheduled", "running")]
        if open_jobs and timezone.now() < datetime.datetime.fromisoformat(deadline):
            again = timezone.now() + datetime.timedelta(seconds=self.WAIT_SECONDS)
            me = script_model(FleetSummary)
            # enqueued when this run's transaction commits, which a summary that waits always does
            job = ScriptJob.enqueue(
                instance=me,
                name=f"{me.name}: {len(ids)} job(s)",
                user=user_of(self),
                data={**data, "wait_until": deadline},
                request=None,
                commit=True,
                schedule_at=again,
            )
            self.log_info(
                f"{len(open_jobs)} of {len(jobs)} job(s) still running; "
                f"looking again in job {job.pk}"
            )
            return f"waiting for {len(open_jobs)} job(s); continued in job {job.pk}\n"
        rows, failing = [], []
        for job in jobs:
            log = (job.data or {}).get("log", []) if isinstance(job.data, dict) else []
            verdicts = [e for e in log if str(e.get("message", "")).startswith(rpnb.VERDICT_PREFIX)]
            if job.status != "completed":  # its writes were reverted, whatever it logged
                failing.append(f"job {job.pk} ({job.status})")
                self.log_failure(f"job {job.pk} {job.status}: {job.error or 'see its log'}")
            for e in verdicts:
                verdict = e["message"][len(rpnb.VERDICT_PREFIX) :]
                status = verdict.split(" ")[0].rstrip(":")
                rows.append(f"| {e.get('obj')} | {status} | job {job.pk} |")
                if status in rpnb.FAILING and data["fail_on"] != "never":
                    failing.append(f"{e.get('obj')} ({status})")
                    self.log_failure(f"{e.get('obj')}: {verdict}")
                else:
                    self.log_info(f"{e.get('obj')}: {verdict}")
        for pk in missing:
            failing.append(f"job {pk} (not found)")
        for job in open_jobs:
            failing.append(f"job {job.pk} (still {job.status} at {deadline})")
        self.output = (
            "\n".join(
                [
                    f"# Fleet summary: {len(rows)} device(s) in {len(jobs)} job(s)",
                    "",
                    "| device | verdict | job |",
                    "|---|---|---|",
                    *rows,
                ]
            )
            + "\n"
        )
        if failing:
            raise AbortScript(f"{len(failing)} failed: " + ", ".join(failing))
        self.log_success(f"{len(rows)} device(s) in {len(jobs)} job(s): none failed")
        return self.output


class TopologyCheck(Script):
    class Meta:
        name = "Microsoft 365 over ExpressRoute: topology check"
        description = (
            "Which exit each site's Microsoft 365 traffic takes and should take, from the sites, "
            "devices, cables and circuits NetBox holds (docs/topology.md)"
        )
        commit_default = False

    tag = ObjectVar(model=Tag, description="The routers of the topology (devices with this tag)")
    sites = MultiObjectVar(model=Site, required=False, description="Only devices of these sites")
    data_source = ObjectVar(
        model=DataSource,
        required=False,
        description="Route tables, for the exits traffic really takes",
    )
    table_path = StringVar(default=rpnb.DEFAULT_TABLE_PATH, required=False)
    instance = ChoiceVar(choices=[(i, i) for i in INSTANCES], default="Worldwide")
    what_if = StringVar(
        required=False,
        label="What if this fails",
        description="circuit:NAME, router:NAME, link:A-B or breakout:NAME: which exits move",
    )
    fail_on = ChoiceVar(choices=FAIL_ON, default="error")

    def run(self, data, commit):
        devices = Device.objects.filter(tags=data["tag"]).select_related("site", "site__region")
        if data.get("sites"):
            devices = devices.filter(site__in=data["sites"])
        devices = list(devices.distinct())
        conventions = rpnb.TopologyConventions()
        cables = (
            Cable.objects.filter(terminations___device__in=devices)
            .distinct()
            .prefetch_related("terminations")
        )
        circuits = Circuit.objects.filter(
            type__slug__in=[conventions.expressroute_type, conventions.internet_type]
        ).select_related("type", "termination_a", "termination_z")
        prefixes = Prefix.objects.filter(tags__slug=conventions.site_nat_tag)
        try:
            topology = rpnb.topology_from_netbox(
                devices,
                cables=cables,
                circuits=circuits,
                prefixes=prefixes,
                instance=data["instance"],
                conventions=conventions,
                source="NetBox",
            )
            view = routeplan.catalog_view(routeplan.load_catalog(), topology.instance)
            tables, unread = {}, []
            if data.get("data_source") is not None:
                read = table_reader(data["data_source"])
                for device in devices:
                    path = rpnb.table_path(
                        device, data.get("table_path") or rpnb.DEFAULT_TABLE_PATH
                    )
                    content = read(path)
                    if content is None:
                        continue  # a router without a table: its exits are the planned ones
                    try:
                        tables[device.name] = [routeplan.routes_from_text(content, name=path)]
                    except routeplan.RouteplanError as exc:
                        unread.append((device.name, str(exc).split("\n", 1)[0]))
            analysis = analyse(topology, view, tables=tables, unread=unread)
        except routeplan.RouteplanError as exc:
            raise AbortScript(str(exc)) from None
        sites = {s.name: s for s in Site.objects.filter(name__in=[s.name for s in topology.sites])}
        log = rpnb.script_loggers(self)
        for f in analysis.findings:
            log[f.severity](f"{f.code}: {f.message}", sites.get(f.sites[0]) if f.sites else None)
        self.output = topology_markdown(analysis)
        severities = [f.severity for f in analysis.findings]
        failed = (data.get("what_if") or "").strip()
        if failed:
            try:
                check_failure_name(topology, failed)
            except (ValueError, LookupError) as exc:
                raise AbortScript(str(exc)) from None
            intended = intended_choices(topology, analysis.services, analysis.carried)
            moves = what_if(topology, analysis.services, analysis.carried, intended, failed)
            for m in moves:
                self.log_info(
                    f"what-if move: {m.site} {m.service}: {m.before or 'no exit'} -> "
                    f"{m.after or 'no exit'}",
                    sites.get(m.site),
                )
            verdict = whatif_verdict(moves, analysis)
            (self.log_failure if verdict == "blocking" else self.log_info)(
                f"what if {failed} fails: {verdict}, {len(moves)} exit(s) move"
            )
            self.output += "\n" + whatif_markdown(analysis, failed, moves)
            severities.append(whatif_severity(moves, analysis))
        worst = worst_of(s for s in severities if s is not None)
        if fails(worst, data["fail_on"]):
            n = sum(1 for s in severities if s is not None and fails(s, data["fail_on"]))
            raise AbortScript(f"{n} finding(s) at or above {data['fail_on']}")
        self.log_success(
            f"topology of {len(topology.sites)} site(s) checked: "
            f"{len(analysis.findings)} finding(s)"
        )
        return self.output


script_order = (ExpressRouteCheck, DeviceRoutes, FleetSummary, TopologyCheck)
