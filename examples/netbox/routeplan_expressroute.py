"""NetBox custom script: check Microsoft 365 routing over ExpressRoute with routeplan.

Install routeplan into NetBox's environment (add ``routeplan`` to local_requirements.txt), then
upload this file under Customization > Scripts, or place it in SCRIPTS_ROOT (docs/netbox.md).

It checks the prefixes NetBox knows (NAT pools tagged ``expressroute-nat`` and the other tags
of docs/netbox.md) against Microsoft's catalog and, when given, a route table of the edge
router: each finding is logged on its prefix, the job fails when findings reach the chosen
severity, and the Markdown report is the job's output.
"""

from extras.scripts import ChoiceVar, FileVar, MultiObjectVar, Script, StringVar, TextVar
from ipam.models import Prefix
from utilities.exceptions import AbortScript

import routeplan
from routeplan import netbox as rpnb

INSTANCES = ("Worldwide", "USGovDoD", "USGovGCCHigh", "China")


class ExpressRouteCheck(Script):
    class Meta:
        name = "Microsoft 365 over ExpressRoute"
        description = (
            "Check NAT pools and route tables against Microsoft's endpoint catalog: "
            "ExpressRoute vs Internet, and what is announced to Microsoft"
        )
        commit_default = False
        scheduling_enabled = False

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
            communities = [c for c in data.get("communities", "").split(",") if c.strip()]
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
