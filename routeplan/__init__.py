"""routeplan: plan and verify routing for Azure ExpressRoute for Microsoft 365.

The library comes first; the ``routeplan`` command only calls it::

    >>> import routeplan
    >>> view = routeplan.catalog_view(routeplan.load_catalog(include_user=False), "Worldwide")
    >>> answer = view.lookup_prefix("52.96.10.1", view.selection(["12076:5010"]))
    >>> answer.decision.verdict.value, str(answer.longest.prefix)
    ('expressroute', '52.96.0.0/14')
"""

from typing import TYPE_CHECKING, Any

from routeplan._version import __version__

if TYPE_CHECKING:
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
    from routeplan.plan import Plan
    from routeplan.plan_outcome import PlanOutcome
    from routeplan.policy import Policy
    from routeplan.rib import RibInput, Route

_LAZY = {
    "AdvFinding": "routeplan.advertise",
    "Announced": "routeplan.advertise",
    "Catalog": "routeplan.model",
    "CatalogView": "routeplan.catalog",
    "Community": "routeplan.model",
    "DiffResult": "routeplan.diff",
    "EndpointSet": "routeplan.model",
    "ExitStatus": "routeplan.errors",
    "FetchError": "routeplan.errors",
    "Finding": "routeplan.diff",
    "InputError": "routeplan.errors",
    "Plan": "routeplan.plan",
    "PlanOutcome": "routeplan.plan_outcome",
    "Policy": "routeplan.policy",
    "Prefix": "routeplan.model",
    "Review": "routeplan.compare",
    "RibInput": "routeplan.rib",
    "Route": "routeplan.rib",
    "RouteplanError": "routeplan.errors",
    "Row": "routeplan.model",
    "Selection": "routeplan.catalog",
    "Severity": "routeplan.model",
    "Side": "routeplan.compare",
    "Snapshot": "routeplan.model",
    "UsageError": "routeplan.errors",
    "Verdict": "routeplan.catalog",
    "announced": "routeplan.api",
    "as_prefixes": "routeplan.api",
    "build_review": "routeplan.compare",
    "catalog_view": "routeplan.api",
    "check": "routeplan.api",
    "check_interest": "routeplan.api",
    "configuration": "routeplan.api",
    "lint_announcements": "routeplan.api",
    "load_catalog": "routeplan.catalog",
    "make_plan": "routeplan.api",
    "outcome": "routeplan.api",
    "parse_community": "routeplan.model",
    "parse_prefix": "routeplan.model",
    "review": "routeplan.api",
    "routes_from_files": "routeplan.api",
    "routes_from_text": "routeplan.api",
}
"""Where each public name lives: imported on first use (PEP 562), so that a command that
needs little (``routeplan --version``, ``routeplan diff``) does not load the whole library."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'routeplan' has no attribute {name!r}")
    import importlib  # noqa: PLC0415

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next use is a plain lookup
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


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
