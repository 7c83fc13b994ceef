"""routeplan: plan and verify routing for Azure ExpressRoute for Microsoft 365.

The library comes first; the ``routeplan`` command only calls it::

    >>> import routeplan
    >>> view = routeplan.select_view(routeplan.load_catalog(include_user=False), "Worldwide")
    >>> answer = view.lookup_prefix("52.96.10.1", view.selection(["12076:5010"]))
    >>> answer.decision.verdict.value, str(answer.longest.prefix)
    ('expressroute', '52.96.0.0/14')
"""

from routeplan._version import __version__
from routeplan.catalog import (
    CatalogView,
    Selection,
    Verdict,
    load_catalog,
    select_view,
)
from routeplan.errors import ExitStatus, InputError, RouteplanError, UsageError
from routeplan.model import (
    Catalog,
    Community,
    EndpointSet,
    Prefix,
    Row,
    Snapshot,
    parse_community,
    parse_prefix,
)

__all__ = [
    "Catalog",
    "CatalogView",
    "Community",
    "EndpointSet",
    "ExitStatus",
    "InputError",
    "Prefix",
    "RouteplanError",
    "Row",
    "Selection",
    "Snapshot",
    "UsageError",
    "Verdict",
    "__version__",
    "load_catalog",
    "parse_community",
    "parse_prefix",
    "select_view",
]
