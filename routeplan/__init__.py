"""routeplan: plan and verify routing for Azure ExpressRoute for Microsoft 365.

The library comes first; the ``routeplan`` command only calls it::

    >>> import routeplan
    >>> view = routeplan.catalog_view(routeplan.load_catalog(include_user=False), "Worldwide")
    >>> answer = view.lookup_prefix("52.96.10.1", view.selection(["12076:5010"]))
    >>> answer.decision.verdict.value, str(answer.longest.prefix)
    ('expressroute', '52.96.0.0/14')
"""

from routeplan._version import __version__
from routeplan.advertise import AdvFinding, Announced
from routeplan.api import (
    announced,
    as_prefixes,
    catalog_view,
    check,
    check_interest,
    configuration,
    lint_announcements,
    make_plan,
    outcome,
    review,
    routes_from_files,
    routes_from_text,
)
from routeplan.catalog import (
    CatalogView,
    Selection,
    Verdict,
    load_catalog,
)
from routeplan.compare import Review, Side, build_review
from routeplan.diff import DiffResult, Finding
from routeplan.errors import ExitStatus, FetchError, InputError, RouteplanError, UsageError
from routeplan.model import (
    Catalog,
    Community,
    EndpointSet,
    Prefix,
    Row,
    Severity,
    Snapshot,
    parse_community,
    parse_prefix,
)
from routeplan.outcome import PlanOutcome
from routeplan.plan import Plan
from routeplan.policy import Policy
from routeplan.rib import RibInput, Route

__all__ = [
    "AdvFinding",
    "Announced",
    "Catalog",
    "CatalogView",
    "Community",
    "DiffResult",
    "EndpointSet",
    "ExitStatus",
    "FetchError",
    "Finding",
    "InputError",
    "Plan",
    "PlanOutcome",
    "Policy",
    "Prefix",
    "Review",
    "RibInput",
    "Route",
    "RouteplanError",
    "Row",
    "Selection",
    "Severity",
    "Side",
    "Snapshot",
    "UsageError",
    "Verdict",
    "__version__",
    "announced",
    "as_prefixes",
    "build_review",
    "catalog_view",
    "check",
    "check_interest",
    "configuration",
    "lint_announcements",
    "load_catalog",
    "make_plan",
    "outcome",
    "parse_community",
    "parse_prefix",
    "review",
    "routes_from_files",
    "routes_from_text",
]
