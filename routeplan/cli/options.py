"""The options every command shares, defined once, and the state the top-level options set.

As pip-tools keeps its options in ``scripts/options.py``: a command takes ``@output_option``,
``@fail_on_option(...)``, ``@files_option(...)`` and the rest from here, so that one option
means one thing, with one help text, everywhere.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from routeplan.catalog import bundled_catalog_dir, load_catalog, select_view, user_catalog_dir
from routeplan.catalog.age import DEFAULT_MAX_AGE_DAYS, CatalogAge, catalog_age
from routeplan.catalog.query import CatalogView, Source
from routeplan.catalog.webservice import INSTANCES, canonical_instance
from routeplan.errors import InputError, UsageError
from routeplan.model import (
    FAIL_ON,
    Catalog,
    Severity,
    exit_status,
    is_service_version,
    valid_router_name,
)
from routeplan.report.output import FORMATS
from routeplan.rib.base import Progress

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class State:
    """What the top-level options say; passed to every command."""

    def __init__(self, catalog_dir: Path | None, user_catalog: bool) -> None:
        self.catalog_dir = catalog_dir
        self.user_catalog = user_catalog
        self.prefer = Source.WEB_SERVICE.value
        self.max_age = DEFAULT_MAX_AGE_DAYS
        self.fail_on_stale = False
        self.stale = False
        self._warned: set[tuple[str, str]] = set()
        self._catalog: Catalog | None = None

    def catalog(self) -> Catalog:
        if self._catalog is None:
            if self.catalog_dir is not None:
                self._catalog = load_catalog([bundled_catalog_dir(), self.catalog_dir])
            else:
                self._catalog = load_catalog(include_user=self.user_catalog)
        return self._catalog

    def directory(self) -> Path:
        """The catalog directory written to: ``--catalog-dir``, else the user's."""
        return self.catalog_dir or user_catalog_dir()

    def view(self, instance: str, version: str | None, rows: str | None) -> CatalogView:
        return select_view(self.catalog(), instance, version, rows, self.prefer)

    def deciding_view(self, instance: str, version: str | None, rows: str | None) -> CatalogView:
        """The view a deciding command answers from; its age is judged (:meth:`judge`)."""
        view = self.view(instance, version, rows)
        self.judge(view)
        return view

    def judge(self, view: CatalogView) -> CatalogAge:
        """How old the view's data is; warns once on stderr when it is stale."""
        age = catalog_age(view.snapshot, self.max_age)
        self.warn(age)
        return age

    def warn(self, age: CatalogAge | None) -> None:
        """Warn once on stderr when a result's catalog data is stale (``--fail-on-stale``
        then fails the run)."""
        if age is not None and age.stale:
            self.stale = True
            key = (age.instance, age.version)
            if key not in self._warned:
                self._warned.add(key)
                click.echo(f"routeplan: warning: {age.warning()}", err=True)


class Run:
    """What main() learns of a run after the command returned: the state it ran with."""

    state: State | None = None


def split_list(values: Sequence[str]) -> list[str]:
    """Repeated and comma-separated option values as one list.

    >>> split_list(["12076:5010, 12076:5020", "12076:5030"])
    ['12076:5010', '12076:5020', '12076:5030']
    """
    out: list[str] = []
    for value in values:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return out


output_option = click.option(
    "--output",
    "-o",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text is a readable table; json and yaml carry every field; csv is one line a record.",
)
instance_option = click.option(
    "--instance",
    "-i",
    default="Worldwide",
    show_default=True,
    metavar="NAME",
    help="Web-service instance: " + ", ".join(INSTANCES) + " (any case).",
)
version_option = click.option(
    "--version",
    "-V",
    "version",
    default=None,
    metavar="VERSION",
    help="Snapshot to use: a version such as 2024073100, a capture date such as 2025-12-01, "
    "or latest (the default). 'routeplan catalog show' lists them.",
)
communities_option = click.option(
    "--communities",
    "communities",
    multiple=True,
    metavar="LIST",
    help="Route filter: communities allowed, e.g. 12076:5010,12076:5020 (default: every "
    "Microsoft 365 community of the instance).",
)
services_option = click.option(
    "--services",
    "services",
    multiple=True,
    metavar="LIST",
    help="Route filter by service: Exchange, SharePoint, Skype, Common, or a community "
    "name such as 'Microsoft Entra ID'.",
)
_F = TypeVar("_F", bound=Callable[..., Any])


def files_option(*names: str, help_text: str) -> Callable[[_F], _F]:
    """An option taking FILE, repeatable."""
    return click.option(
        *names,
        multiple=True,
        type=click.Path(path_type=Path, readable=False),
        metavar="FILE",
        help=help_text,
    )


def policy_option(help_text: str = "Path policy (YAML, docs/policy.md).") -> Callable[[_F], _F]:
    return click.option(
        "--policy",
        "policy_file",
        type=click.Path(path_type=Path, readable=False),
        default=None,
        metavar="FILE",
        help=help_text,
    )


def fail_on_option(help_text: str) -> Callable[[_F], _F]:
    return click.option(
        "--fail-on",
        type=click.Choice(FAIL_ON),
        default="error",
        show_default=True,
        help=help_text,
    )


_rows_label_option = click.option(
    "--rows",
    "rows",
    default=None,
    metavar="LABEL",
    help="Version of the additional-endpoints table (default: the 16-row table, seed-16).",
)


def _set_prefer(ctx: click.Context, param: click.Parameter, value: str) -> None:
    state = ctx.find_object(State)
    if state is not None:
        state.prefer = value


_prefer_option = click.option(
    "--prefer",
    type=click.Choice([s.value for s in Source]),
    default=Source.WEB_SERVICE.value,
    show_default=True,
    expose_value=False,
    callback=_set_prefer,
    help="Which source decides where the web service and the additional-endpoints table "
    "disagree: web-service (Microsoft's maintained source; the table decides only what it "
    "does not cover) or rows (follow the table). Disagreements are reported either way.",
)


def _set_max_age(ctx: click.Context, param: click.Parameter, value: int) -> None:
    state = ctx.find_object(State)
    if state is not None:
        state.max_age = value


def _set_fail_on_stale(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    state = ctx.find_object(State)
    if state is not None and value:
        state.fail_on_stale = True


_max_age_option = click.option(
    "--max-catalog-age",
    type=click.IntRange(min=0),
    default=DEFAULT_MAX_AGE_DAYS,
    show_default=True,
    envvar="ROUTEPLAN_MAX_CATALOG_AGE",
    show_envvar=True,
    metavar="DAYS",
    expose_value=False,
    callback=_set_max_age,
    help="Warn (stderr, and in the report) when the catalog snapshot used is older than "
    "this; 0 turns the warning off. Microsoft announces additions about 30 days ahead.",
)
_fail_on_stale_option = click.option(
    "--fail-on-stale",
    is_flag=True,
    expose_value=False,
    callback=_set_fail_on_stale,
    help="Exit 5 when the catalog is older than --max-catalog-age (findings, exit 1, come "
    "first): a CI gate that refuses to pass on old data.",
)


def freshness_options(f: _F) -> _F:
    """--max-catalog-age and --fail-on-stale, for every command that decides."""
    return _max_age_option(_fail_on_stale_option(f))


def rows_option(f: _F) -> _F:
    """--rows and --prefer: which table version, and which source wins (docs/catalog.md)."""
    return _rows_label_option(_prefer_option(f))


def finish(worst: Severity | None, fail_on: str, *, skipped: int = 0, unread: int = 0) -> None:
    """End a deciding command with the one exit decision (:func:`routeplan.model.exit_status`)."""
    status = exit_status(worst, fail_on, skipped=skipped, unread=unread)
    if status:
        raise click.exceptions.Exit(int(status))


def progress() -> Progress | None:
    """Progress on stderr while large route tables are read, when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None
    return stderr_progress


def stderr_progress(source: str, done: int | None) -> None:
    """Write one reader's progress on stderr, on one line that is ended when done."""
    if done is None:
        sys.stderr.write(f"\rreading {source}: done{' ' * 24}\n")
    else:
        sys.stderr.write(f"\rreading {source}: {done}%")
    sys.stderr.flush()


def fleet_progress() -> Callable[[int, int], None] | None:
    """Routers finished out of all (RQ runs), on stderr when it is a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        sys.stderr.write(f"\rrouters checked on RQ: {done}/{total}{end}")
        sys.stderr.flush()

    return show


def service_version(option: str, value: str | None) -> str | None:
    """A ``YYYYMMDDNN`` option value, checked (``--service-version``, ``--since``)."""
    if value is not None and not is_service_version(value):
        raise UsageError(f"{option} {value!r} is not YYYYMMDDNN")
    return value


def inventory_option(
    help_text: str, name: str = "--inventory", dest: str = "inventory_file"
) -> Callable[[_F], _F]:
    """``--inventory FILE`` (or another name): routers and their route-table files
    (docs/fleet.md)."""
    return click.option(
        name,
        dest,
        type=click.Path(path_type=Path, readable=False),
        default=None,
        metavar="FILE",
        help=help_text,
    )


def jobs_option(f: _F) -> _F:
    """``--jobs N``: routers checked in N worker processes (default: one per CPU)."""
    return click.option(
        "--jobs",
        "-j",
        type=click.IntRange(min=1),
        default=lambda: os.cpu_count() or 1,
        show_default="the number of CPUs",
        metavar="N",
        help="Check routers in N worker processes; the answer is the same as with 1.",
    )(f)


def instances_option(default: str = "all") -> Callable[[_F], _F]:
    """``--instance/-i NAME|all``, for the catalog commands that take several instances."""
    return click.option(
        "--instance",
        "-i",
        default=default,
        show_default=True,
        metavar="NAME|all",
        help="An instance (" + ", ".join(INSTANCES) + ", any case) or all of them.",
    )


def instances(value: str) -> list[str]:
    """``--instance NAME|all`` as instance names."""
    if value.lower() == "all":
        return list(INSTANCES)
    name = canonical_instance(value)
    if name is None:
        raise UsageError(f"unknown instance {value!r}", hint="known: all, " + ", ".join(INSTANCES))
    return [name]


def routes_option(help_text: str, *, required: bool = True) -> Callable[[_F], _F]:
    """``--routes/-r [ROUTER=]FILE``, repeatable."""
    return click.option(
        "--routes",
        "-r",
        "routes",
        multiple=True,
        required=required,
        metavar="[ROUTER=]FILE",
        help=help_text,
    )


def rib_format_option(help_text: str = "Route-table format; auto detects it. 'routeplan "
                      "formats' lists the names.") -> Callable[[_F], _F]:  # fmt: skip
    """``--format/-f NAME``: the route-table format."""
    return click.option(
        "--format",
        "-f",
        "rib_format",
        default="auto",
        show_default=True,
        metavar="NAME",
        help=help_text,
    )


def report_option(choices: Sequence[str], default: str, help_text: str) -> Callable[[_F], _F]:
    """``--output/-o``, for a report whose formats are ``choices``."""
    return click.option(
        "--output",
        "-o",
        "fmt",
        type=click.Choice(tuple(choices)),
        default=default,
        show_default=True,
        help=help_text,
    )


def out_file_option(f: _F) -> _F:
    """``--out FILE``: a report written atomically, or through a device or FIFO."""
    return click.option(
        "--out",
        "out_file",
        type=click.Path(path_type=Path, readable=False),
        default=None,
        metavar="FILE",
        help="Write the report here (atomically; - is stdout, a device or FIFO is written "
        "through) instead of to stdout.",
    )(f)


def router_files(values: Sequence[str]) -> list[tuple[str, list[Path]]]:
    """``-r`` values as routers: ``NAME=PATH`` names the router, a bare path is named by its
    stem; the same NAME again adds a file to that router. Two bare paths with one stem are a
    usage error (name them).

    >>> router_files(["a=x.txt", "y/edge1.txt", "a=z.txt"])
    [('a', [PosixPath('x.txt'), PosixPath('z.txt')]), ('edge1', [PosixPath('y/edge1.txt')])]
    """
    out: dict[str, list[Path]] = {}
    bare: dict[str, str] = {}
    for value in _directories_expanded(values):
        name, _, rest = value.partition("=")
        if is_named(value):
            out.setdefault(name, []).append(Path(rest))
            continue
        path = Path(value)
        stem = path.stem or value
        if stem in out:
            first = bare.get(stem, f"{stem}=...")
            raise UsageError(
                f"two route tables would both be router {stem!r}: {first} and {value}",
                hint=f"name each router: -r NAME={value} (the same NAME again for one router's "
                "further files)",
            )
        bare[stem] = value
        out[stem] = [path]
    return list(out.items())


def _directories_expanded(values: Sequence[str]) -> list[str]:
    """A directory stands for the files in it (sorted; hidden files and subdirectories left
    out): each one a router named by its stem, or with ``NAME=DIR`` all of them that
    router's. Before and after directories of one fleet are matched by router name."""
    out: list[str] = []
    for value in values:
        name, _, rest = value.partition("=")
        named = is_named(value)
        directory = Path(rest if named else value)
        try:
            is_dir = directory.is_dir()
        except (OSError, ValueError):
            is_dir = False  # the reader words the error
        if not is_dir:
            out.append(value)
            continue
        files = sorted(
            p for p in directory.iterdir() if not p.name.startswith(".") and not p.is_dir()
        )
        if not files:
            raise InputError(
                "is a directory with no route-table files in it",
                source=str(directory),
                hint="a directory is a fleet: one router per file in it",
            )
        out += [f"{name}={p}" if named else str(p) for p in files]
    return out


def note_bare_routers(option: str, values: Sequence[str]) -> None:
    """Say on stderr that several unnamed files were taken as several routers, and how to
    give one router several files: the rule that one file is one router surprises those who
    pass a router's IPv4 and IPv6 captures side by side."""
    routers = router_files(values)
    if len(routers) > 1 and not any(is_named(v) for v in values):
        names = ", ".join(name for name, _ in routers[:6]) + (", ..." if len(routers) > 6 else "")
        click.echo(
            f"routeplan: note: {len(routers)} routers, named by their files ({names}), each "
            f"checked on its own; one router's files take one name: {option} edge1=v4.txt "
            f"{option} edge1=v6.txt",
            err=True,
        )


def is_named(value: str) -> bool:
    """Does a ``[ROUTER=]FILE`` value name its router?"""
    name, eq, _ = value.partition("=")
    return bool(eq) and valid_router_name(name) and not Path(value).exists()


def name_items(values: Sequence[str]) -> dict[str, str]:
    """``--name KEY=VALUE`` values as a mapping."""
    out = {}
    for text in values:
        key, eq, value = text.partition("=")
        if not eq or not key.strip() or not value.strip():
            raise UsageError(
                f"--name takes KEY=VALUE, not {text!r}", hint="for example --name er-v4=MS-ER-V4"
            )
        out[key.strip()] = value.strip()
    return out
