"""Every documented example gives the same answer from the command line and from the library.

The examples are collected, not listed: every ``routeplan ...`` line in a code block of the
README, docs/ and examples/, and every line of an "Example" section of a command's --help.
Each is run twice: as a command (with ``-o json`` where the command has it), and as the
library calls a NetBox script would make with the same values (parsed from the same
arguments by click, then passed to routeplan.commands and routeplan.report). The two texts
must be equal, so the command line cannot decide anything the library does not.

Commands that write to the catalog or need the network (catalog update, import, export) are
not run here; tests/test_update.py and tests/test_hostile_import.py run them against local
servers and directories.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
import pytest

import routeplan
from routeplan.catalog.age import catalog_age
from routeplan.catalog.query import select_view
from routeplan.cli import all_commands, cli
from routeplan.cli.options import State, router_files, split_list
from routeplan.commands import (
    collect_commands,
    diff_routers,
    lookup,
    plan_configuration,
    plan_outcome,
    review_change,
    topology_check,
    topology_what_if,
)
from routeplan.fleet import selection_of
from routeplan.pac import pac_for
from routeplan.policy import Policy
from routeplan.report.collect import collect_record
from routeplan.report.diff import fleet_record
from routeplan.report.listings import (
    community_records,
    render_catalog_show,
    render_formats,
    render_lookup,
    row_records,
    set_record,
    snapshot_change_records,
    stored_change_records,
    version_records,
    view_context,
)
from routeplan.report.output import to_json
from routeplan.report.plan import plan_record
from routeplan.report.review import ChangeInfo, review_record
from routeplan.report.topology import check_record, whatif_record
from tests.helpers import ROOT, assert_valid_contract, run_cli

NOT_RUN = {
    ("catalog", "update"): "needs the web service (tests/test_update.py runs a local one)",
    ("catalog", "import"): "writes the catalog (tests/test_hostile_import.py, tests/test_cli.py)",
    ("catalog", "export"): "writes a directory (tests/test_hostile_import.py)",
}
"""Documented commands this test does not run, and where they are tested instead."""

PLACEHOLDERS = {
    "edge1.txt": "examples/rib/edge1-show-ip-bgp.txt",
    "rib.txt": "examples/rib/edge1-show-ip-bgp.txt",
    "ams-edge.txt": "examples/topology/rib/ams-edge.txt",
    "lon-edge.txt": "examples/topology/rib/fra-edge.txt",
    "edge1-v6.txt": "examples/review/after-edge1.txt",
    "topo.yaml": "examples/topology/topology.yaml",
    "nat-pools.txt": "examples/plan/nat-pools.txt",
}
"""File names the docs use for the reader's own files, and the bundled example standing in."""

_REDIRECT = re.compile(r"\s+(>|2>|\|)\s*\S+")


def _command_line(text: str) -> list[str] | None:
    """The arguments of one documented line, or None for a synopsis (``[--opt ...]``)."""
    text = text.split(" #", 1)[0].strip()
    text = _REDIRECT.sub("", text)
    if "[" in text or "FILE" in text or "..." in text:
        return None
    return shlex.split(text)[1:]


def _from_docs() -> Iterator[tuple[str, str]]:
    paths = [ROOT / "README.md", *sorted(ROOT.glob("docs/*.md"))]
    paths += sorted(ROOT.glob("examples/*/README.md"))
    for path in paths:
        fence, carry = False, ""
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("```"):
                fence, carry = not fence, ""
                continue
            if not fence:
                continue
            text = carry + line.strip()
            if text.endswith("\\"):
                carry = text[:-1] + " "
                continue
            carry = ""
            text = text.removeprefix("$ ")
            if re.match(r"routeplan [a-z]", text):
                yield f"{path.relative_to(ROOT)}:{n}", text


def _commands(
    group: click.Group, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name), command


def _from_help() -> Iterator[tuple[str, str]]:
    all_commands()  # each command's module, imported (the group loads them on use)
    for path, command in _commands(cli):
        lines = (command.help or "").splitlines()
        carry = ""
        for line in lines:
            text = carry + line.strip()
            if text.endswith("\\"):
                carry = text[:-1] + " "
                continue
            carry = ""
            if re.match(r"routeplan [a-z]", text):
                yield f"routeplan {' '.join(path)} --help", text


def documented_examples() -> list[tuple[str, list[str]]]:
    out: dict[tuple[str, ...], str] = {}
    for where, text in [*_from_docs(), *_from_help()]:
        args = _command_line(text)
        if args is not None:
            out.setdefault(tuple(args), where)
    return [(where, list(args)) for args, where in out.items()]


EXAMPLES = documented_examples()


def _real(args: list[str], changes: Path) -> list[str]:
    """The example with the reader's own files replaced by bundled ones."""
    out = []
    for arg in args:
        name, eq, file = arg.rpartition("=")
        if arg == "changes.json":
            out.append(str(changes))
        elif file in PLACEHOLDERS:
            out.append(f"{name}{eq}{ROOT / PLACEHOLDERS[file]}")
        elif arg.startswith("examples/"):
            out.append(str(ROOT / arg))
        else:
            out.append(arg)
    return out


def _unparsed(ctx: click.Context) -> list[str]:
    """What a group's context left for its subcommand (click 8.2 keeps the command name in
    ``_protected_args``; click 9 will keep it in ``args``)."""
    return [*getattr(ctx, "_protected_args", []), *ctx.args]


def _parse(args: list[str]) -> tuple[tuple[str, ...], dict[str, Any], State]:
    """What click makes of the arguments: the command's path, its parameters, and the state
    the top-level and shared options set, without running the command."""
    state = State(None, user_catalog=False)
    ctx = cli.make_context("routeplan", ["--no-user-catalog", *args], obj=state)
    path: list[str] = []
    command: click.Command = cli
    rest = _unparsed(ctx)
    while isinstance(command, click.Group):
        name, found, rest = command.resolve_command(ctx, rest)
        assert name is not None
        assert found is not None
        path.append(name)
        command = found
        ctx = command.make_context(name, list(rest), parent=ctx, obj=state)
        rest = _unparsed(ctx)
    return tuple(path), dict(ctx.params), state


def _with_json(path: tuple[str, ...], args: list[str]) -> list[str] | None:
    """The example with JSON output, where the command has it; None when it renders
    configuration (compared as text)."""
    if path == ("plan",) and "--vendor" in args:
        return None
    if path == ("pac",):  # JavaScript, compared as text; written to stdout, not --out FILE
        return [a for i, a in enumerate(args) if "--out" not in (a, args[i - 1] if i else "")]
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a in ("-o", "--output"):
            skip = True
            continue
        if a.startswith(("--output=", "-o=")) or a in ("--svg", "--out"):
            skip = a in ("--svg", "--out")
            continue
        out.append(a)
    return [*out, "-o", "json"]


def _library(path: tuple[str, ...], p: dict[str, Any], state: State) -> str:
    """The answer the library gives for the same values (JSON, or configuration text)."""
    catalog = routeplan.load_catalog(include_user=False)

    def view(version: str | None = None, rows: str | None = None) -> routeplan.CatalogView:
        return select_view(catalog, p.get("instance", "Worldwide"), version, rows, state.prefer)

    comm, serv = split_list(p.get("communities", ())), split_list(p.get("services", ()))
    policy = Policy.from_option(p.get("policy_file"))
    calls: dict[tuple[str, ...], Callable[[], str]] = {
        ("catalog", "show"): lambda: render_catalog_show(catalog, "json"),
        ("formats",): lambda: render_formats("json"),
        ("lookup",): lambda: _lookup(view(p["version"], p["rows"]), p, state),
        ("pac",): lambda: pac_for(
            view(p["version"], p["rows"]),
            communities=comm,
            services=serv,
            proxy=p["proxy"],
            direct_internet=p["direct_internet"],
            other=p["other"],
            tenant=p["tenant"],
            ip_rules=p["ip_rules"],
        ),
        ("diff",): lambda: to_json(
            fleet_record(
                diff_routers(
                    view(p["version"], p["rows"]),
                    router_files(p["routes"]),
                    communities=comm,
                    services=serv,
                    policy=policy,
                    format_name=p["rib_format"],
                    lenient=p["lenient"],
                    max_catalog_age=state.max_age,
                )
            )
        ),
        ("review",): lambda: _review(catalog, p, state, comm, serv, policy),
        ("collect", "commands"): lambda: to_json(
            collect_record(
                collect_commands(
                    view(p["version"], p["rows"]),
                    p["platform"],
                    communities=comm,
                    services=serv,
                    policy=policy,
                    max_catalog_age=state.max_age,
                )
            )
        ),
        ("topology", "check"): lambda: to_json(
            check_record(
                topology_check(catalog, p["file"], policy=policy, max_catalog_age=state.max_age)
            )
        ),
    }
    if path == ("plan",):
        outcome = plan_outcome(
            view(p["version"], p["rows"]),
            communities=comm,
            services=serv,
            max_prefixes=p["max_prefixes"],
            advertise=p["advertise"],
            internet_advertise=p["internet_advertise"],
            inbound=p["inbound"],
            routes=p["routes"],
            format_name=p["rib_format"],
            policy=policy,
            max_catalog_age=state.max_age,
        )
        if p["vendor"]:
            names = dict(n.split("=", 1) for n in p["names"])
            return plan_configuration(outcome, p["vendor"], names)
        return to_json(plan_record(outcome))
    if path[0] == "catalog" and path not in calls:
        return _catalog_listing(path[1], p, view)
    return calls[path]()


def _lookup(v: routeplan.CatalogView, p: dict[str, Any], state: State) -> str:
    selection = selection_of(v, split_list(p["communities"]), split_list(p["services"]))
    answers = lookup(v, p["queries"], selection)
    return render_lookup(v, answers, selection, catalog_age(v.snapshot, state.max_age), "json")


def _review(
    catalog: routeplan.Catalog,
    p: dict[str, Any],
    state: State,
    comm: list[str],
    serv: list[str],
    policy: Policy,
) -> str:
    if p["topology_file"] is not None:
        found = topology_what_if(
            catalog, p["topology_file"], p["failure"], max_catalog_age=state.max_age
        )
        return to_json(whatif_record(found.analysis, found.failure, list(found.moves)))
    result = review_change(
        catalog,
        before=p["before"],
        after=p["after"],
        routes=p["routes"],
        format_name=p["rib_format"],
        policy=policy,
        instance=p["instance"],
        rows=p["rows"],
        catalog_before=p["catalog_before"],
        catalog_after=p["catalog_after"],
        changes=p["changes_file"],
        communities=comm,
        services=serv,
        communities_after=split_list(p["communities_after"]),
        services_after=split_list(p["services_after"]),
        plan_before=p["plan_before"],
        plan_after=p["plan_after"],
        max_catalog_age=state.max_age,
    )
    given = p["title"] or p["change_id"] or p["author"]
    change = ChangeInfo(p["title"], p["change_id"], p["author"]) if given else None
    return to_json(review_record(result, change=change))


def _catalog_listing(name: str, p: dict[str, Any], view: Callable[..., Any]) -> str:
    """The catalog listings as the JSON contracts they document."""
    from routeplan.cli.options import instances  # noqa: PLC0415
    from routeplan.report.output import render_listing  # noqa: PLC0415

    def listing(schema: str, key: str, records: list[dict[str, Any]], **kw: Any) -> str:
        return render_listing("json", schema=schema, key=key, records=records, columns=[], **kw)

    if name == "rows":
        v = view(p["version"], p["rows"])
        return listing(
            "routeplan/rows/1", "rows", row_records(v, p["numbers"]), context=view_context(v)
        )
    if name == "sets":
        v = view(p["version"])
        sets = v.endpoint_sets(
            service=split_list(p["service"]),
            category=split_list(p["category"]),
            express_route=p["express_route"],
            required=p["required"],
        )
        return listing(
            "routeplan/endpoint-sets/1",
            "endpoint_sets",
            [set_record(v, es) for es in sets],
            context=view_context(v),
        )
    if name == "communities":
        v = view(p["version"])
        return listing(
            "routeplan/communities/1",
            "communities",
            community_records(v, show_all=p["show_all"]),
            context=view_context(v),
        )
    root = routeplan.catalog.user_catalog_dir()
    if name == "versions":
        records = version_records(
            routeplan.load_catalog(include_user=False), root, instances(p["instance"])
        )
        return listing("routeplan/versions/1", "versions", records)
    assert name == "changes", name
    if p["from_version"] is not None:
        before, after = view(p["from_version"]), view(p["to_version"])
        context = {"from": view_context(before)["catalog"], "to": view_context(after)["catalog"]}
        return listing(
            "routeplan/catalog-changes/1",
            "changes",
            snapshot_change_records(before, after),
            context=context,
        )
    records = stored_change_records(root, instances(p["instance"]), since=p["since"])
    return listing("routeplan/changes/1", "changes", records)


def test_the_examples_are_found() -> None:
    """The collector sees the documented commands (an empty list would pass every check)."""
    commands = {tuple(a for a in args[:2] if not a.startswith("-")) for _, args in EXAMPLES}
    for expected in [("diff",), ("plan",), ("review",), ("topology", "check"), ("lookup",)]:
        assert any(c[: len(expected)] == expected for c in commands), expected
    assert len(EXAMPLES) >= 40


@pytest.fixture
def changes_file(tmp_path: Path) -> Path:
    """A one-record /changes answer for the documented ``review --changes changes.json``."""
    path = tmp_path / "changes.json"
    path.write_text(
        json.dumps(
            [
                {
                    "id": 9001,
                    "endpointSetId": 1,
                    "disposition": "Change",
                    "impact": "AddedIp",
                    "version": "2026010100",
                    "add": {"effectiveDate": "20260201", "ips": ["52.95.0.0/16"]},
                }
            ]
        )
    )
    return path


@pytest.mark.parametrize(("where", "args"), EXAMPLES, ids=[" ".join(a) for _, a in EXAMPLES])
def test_library_and_cli_answer_the_same(
    where: str, args: list[str], changes_file: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # no user catalog on either side
    if "--rq" in args:
        pytest.skip(f"{where}: needs Redis and RQ workers (tests/test_distributed.py runs them)")
    real = _real(args, changes_file)
    path, _, _ = _parse(real)
    if path[:2] in NOT_RUN:
        pytest.skip(f"{where}: {NOT_RUN[path[:2]]}")
    argv = _with_json(path, real) or real
    _, params, state = _parse(argv)
    command = run_cli("--no-user-catalog", *argv, "--fail-on", "never") if path[0] in (
        "diff", "plan", "review", "topology"
    ) else run_cli("--no-user-catalog", *argv)  # fmt: skip
    assert command.status in (0, 1), f"{where}: {command.stderr}"
    library = _library(path, params, state)
    assert command.stdout == library, f"{where}: {' '.join(args)}"
    if command.stdout.startswith("{"):  # a JSON contract: it validates against its schema
        assert_valid_contract(json.loads(command.stdout), where)
