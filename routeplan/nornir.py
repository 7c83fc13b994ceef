"""A Nornir task: check each host's route table with routeplan (docs/nornir.md).

Nornir runs a task per host of its inventory; this one takes the host's route table from
``text`` (what an earlier task collected: a ``netmiko_send_command`` output, a ``napalm_get``
result with ``get_route_to``, any text or JSON ``routeplan formats`` reads) or from the files
named in the host's inventory data (``routeplan_routes``: a path or a list of paths), and
returns that host's answer: the ``routeplan/diff/2`` router section (findings,
changes, inputs, summary) as the result, ``failed`` when a finding is at or above ``fail_on``.
Each host is checked on its own (never one blended table), as ``routeplan diff -r`` does::

    from nornir import InitNornir
    from routeplan.nornir import check_routes

    nr = InitNornir(config_file="config.yaml")
    result = nr.run(task=check_routes, communities=["12076:5010", "12076:5100"])

Nornir itself is not a dependency of routeplan: install it beside it (``pip install nornir``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from routeplan.catalog import load_catalog, select_view
from routeplan.commands import diff_routers
from routeplan.errors import InputError, RouteplanError
from routeplan.fleet import diff_texts
from routeplan.model import FAIL_ON, Severity
from routeplan.report.diff import fleet_record

DATA_KEY = "routeplan_routes"
"""The host data key naming its route-table files (a path or a list of paths)."""


def _files(task: Any) -> list[Path]:
    host = task.host
    paths = host.data.get(DATA_KEY) if hasattr(host, "data") else None
    if paths is None:
        raise InputError(
            f"{host.name}: no route table: give text= (an earlier task's result) or the host "
            f"data {DATA_KEY!r} (a file or a list of files)"
        )
    return [Path(p) for p in ([paths] if isinstance(paths, str) else paths)]


def check_routes(
    task: Any,
    *,
    text: object = None,
    communities: Sequence[str] | None = None,
    services: Sequence[str] | None = None,
    instance: str = "Worldwide",
    format_name: str = "auto",
    fail_on: str = "error",
) -> Any:
    """The Nornir task. ``text`` is the route table an earlier task collected (its
    ``.result``: text, or the dict of ``napalm_get``); without it the host's data
    ``routeplan_routes`` names its files."""
    from nornir.core.task import Result  # noqa: PLC0415  (Nornir is the caller's)

    if fail_on not in FAIL_ON:
        raise ValueError(f"fail_on must be one of {', '.join(FAIL_ON)}")
    view = select_view(load_catalog(), instance)
    name = task.host.name
    try:
        if text is not None:
            if isinstance(text, (dict, list)):
                text = json.dumps(text)  # a structured result (napalm_get): its JSON
            fleet = diff_texts(
                view, [(name, [(f"{name}:collected", str(text))])], communities=communities,
                services=services, format_name=format_name,
            )  # fmt: skip
        else:
            fleet = diff_routers(
                view, [(name, _files(task))], communities=communities, services=services,
                format_name=format_name,
            )  # fmt: skip
    except RouteplanError as exc:
        return Result(host=task.host, result={"error": str(exc)}, failed=True)
    record = fleet_record(fleet)
    [section] = record["routers"]
    worst = fleet.worst()
    failed = fail_on != "never" and worst is not None and worst.rank >= Severity(fail_on).rank
    return Result(host=task.host, result=section, failed=failed, changed=False)
