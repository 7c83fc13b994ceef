"""JSON Schemas (draft 2020-12) of routeplan's JSON contracts, shipped with the package
(docs/contracts.md). Each document routeplan writes names its contract in its ``schema`` key;
:func:`schema_for` gives the schema that validates it.

>>> sorted(CONTRACTS)[:2]
['routeplan/diff/1', 'routeplan/diff/2']
>>> schema_for("routeplan/plan/1")["properties"]["schema"]
{'const': 'routeplan/plan/1'}
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

CONTRACTS = {
    "routeplan/diff/1": "diff-1.schema.json",
    "routeplan/diff/2": "diff-2.schema.json",
    "routeplan/plan/1": "plan-1.schema.json",
    "routeplan/review/1": "review-1.schema.json",
    "routeplan/review-fleet/1": "review-fleet-1.schema.json",
    "routeplan/topology-check/1": "topology-check-1.schema.json",
    "routeplan/topology-whatif/1": "topology-whatif-1.schema.json",
}
"""Each contract (the ``schema`` value of a document) and its schema file in this package."""


def schema_for(contract: str) -> dict[str, Any]:
    """The JSON Schema of ``contract`` (``routeplan/diff/2``, ...); KeyError for another."""
    name = CONTRACTS[contract]
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
