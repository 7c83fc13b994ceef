"""Run inside NetBox's Django shell by integration.py: print the newest job of the example
script as one line of JSON (status, log lines, output)."""

import json
import os

from extras.models import ScriptModule

module = ScriptModule.objects.get(
    file_path=f"{os.environ.get('RP_SCRIPT', 'routeplan_expressroute')}.py"
)
script = module.scripts.get(name="ExpressRouteCheck")
job = script.jobs.order_by("-created").first()
data = job.data or {}
print(
    json.dumps(
        {
            "status": str(job.status),
            "error": job.error,
            "log": data.get("log", []),
            "output": data.get("output"),
        },
        default=str,
    )
)
