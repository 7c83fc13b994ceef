"""The versioned Microsoft 365 catalog: loading, validating, importing and querying it."""

from routeplan.catalog.query import (
    CatalogView,
    Decision,
    FqdnAnswer,
    Origin,
    PrefixAnswer,
    RoutePath,
    Selection,
    Split,
    Verdict,
    decide,
    select_view,
)
from routeplan.catalog.store import (
    bundled_catalog_dir,
    load_catalog,
    user_catalog_dir,
    write_snapshot,
)

__all__ = [
    "CatalogView",
    "Decision",
    "FqdnAnswer",
    "Origin",
    "PrefixAnswer",
    "RoutePath",
    "Selection",
    "Split",
    "Verdict",
    "bundled_catalog_dir",
    "decide",
    "load_catalog",
    "select_view",
    "user_catalog_dir",
    "write_snapshot",
]
