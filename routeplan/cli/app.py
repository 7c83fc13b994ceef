"""The ``routeplan`` group, its top-level options, and :func:`main`: one error root
(:class:`~routeplan.errors.RouteplanError`) turned into a message and a documented exit status
(:class:`~routeplan.errors.ExitStatus`, docs/cli.md); a traceback only with ``--traceback``."""

from __future__ import annotations

import importlib
import os
import signal
import sys
import threading
import traceback
from collections.abc import Sequence
from pathlib import Path

import click

from routeplan import __version__
from routeplan.cli.options import CONTEXT, Run, State
from routeplan.errors import ExitStatus, RouteplanError
from routeplan.rib import bgptable


def _build() -> str:
    """How this installation reads large route tables, for ``--version``."""
    if bgptable.SKIM_C is not None:
        return "with the C route-table skimmer"
    if os.environ.get("ROUTEPLAN_PURE") == "1":
        return "pure Python: ROUTEPLAN_PURE=1"
    return "pure Python: the C route-table skimmer was not built"


COMMANDS = ("catalog", "collect", "diff", "formats", "lookup", "pac", "plan", "review", "topology")
"""The commands, each defined in the module of its name under routeplan.cli."""


class _Commands(click.Group):
    """The routeplan group: a command's module is imported when the command is used, so that
    ``routeplan diff`` does not load the catalog updater, the review or the topology code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            importlib.import_module(f"routeplan.cli.{cmd_name}")  # it adds itself to the group
        return super().get_command(ctx, cmd_name)


def all_commands() -> dict[str, click.Command]:
    """Every command, its module imported (for tests and documentation)."""
    for name in COMMANDS:
        importlib.import_module(f"routeplan.cli.{name}")
    return dict(cli.commands)


@click.group(cls=_Commands, context_settings=CONTEXT)
@click.version_option(
    __version__,
    "--version",
    prog_name="routeplan",
    message="%(prog)s %(version)s (" + _build() + ")",
)
@click.option(
    "--catalog-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    envvar="ROUTEPLAN_CATALOG_DIR",
    show_envvar=True,
    help="Your catalog directory (imported snapshots), read after the bundled catalog. "
    "Default: ~/.local/share/routeplan/catalog (XDG_DATA_HOME).",
)
@click.option(
    "--no-user-catalog",
    is_flag=True,
    help="Read only the bundled catalog, ignoring your catalog directory.",
)
@click.option("--traceback", is_flag=True, help="Show a Python traceback on errors.")
@click.pass_context
def cli(
    ctx: click.Context, catalog_dir: Path | None, no_user_catalog: bool, traceback: bool
) -> None:
    """Plan and verify routing for Azure ExpressRoute for Microsoft 365.

    routeplan holds a versioned catalog of Microsoft 365 endpoints (the web service's endpoint
    sets for every instance, the additional-endpoints table, the ExpressRoute BGP communities)
    and answers which destinations belong on ExpressRoute and which must stay on the Internet.

    \b
    Start with:
      routeplan diff --routes rib.txt        check a router's route table
      routeplan formats                      the route-table formats diff reads
      routeplan catalog show                 what the catalog holds
      routeplan lookup 52.96.10.1 outlook.office365.com
      routeplan catalog rows                 the 16-row additional-endpoints table
      routeplan catalog sets --er            ExpressRoute endpoint sets

    Exit statuses: 0 ok, 1 findings, 2 usage error, 3 bad input, 4 input skipped,
    5 catalog too old (--fail-on-stale), 70 internal error, 130 interrupted (docs/cli.md).
    """
    state = State(catalog_dir, not no_user_catalog)
    if isinstance(ctx.obj, Run):
        ctx.obj.state = state
    ctx.obj = state


def _stop_on_sigterm() -> None:
    """SIGTERM ends a run like Ctrl-C: writes in progress are put back, exit status 130."""

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see :class:`ExitStatus`)."""
    args = list(sys.argv[1:] if argv is None else argv)
    show_traceback = "--traceback" in args
    _stop_on_sigterm()
    run = Run()
    try:
        status = cli.main(args=args, prog_name="routeplan", standalone_mode=False, obj=run)
        if isinstance(status, int) and status:
            return _stale_status(run, status)  # a command's click.exceptions.Exit
    except click.exceptions.Exit as exc:
        return _stale_status(run, int(exc.exit_code))
    except click.ClickException as exc:
        exc.show()
        return int(ExitStatus.USAGE)
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("routeplan: interrupted; files being written were left as they were", err=True)
        return int(ExitStatus.INTERRUPTED)
    except RouteplanError as exc:
        if show_traceback:
            traceback.print_exc()
        click.echo(f"routeplan: error: {exc}", err=True)
        return int(exc.exit_status)
    except OSError as exc:
        if show_traceback:
            traceback.print_exc()
        if exc.filename is None:
            return _internal_error()
        # a file the user named that the system will not open: no such directory, no
        # permission, a name too long; the readers say most of these themselves
        name = str(exc.filename)
        name = name if len(name) <= 200 else name[:200] + "..."
        click.echo(f"routeplan: error: {name}: {exc.strerror or exc}", err=True)
        return int(ExitStatus.INPUT)
    except Exception:
        traceback.print_exc() if show_traceback else None
        return _internal_error()
    return _stale_status(run, int(ExitStatus.OK))


def _stale_status(run: Run, status: int) -> int:
    """--fail-on-stale: a run that would pass (or only skipped input) fails on old data."""
    state = run.state
    if (
        state is not None
        and state.stale
        and state.fail_on_stale
        and status in (ExitStatus.OK, ExitStatus.INPUT_SKIPPED)
    ):
        return int(ExitStatus.STALE)
    return status


def _internal_error() -> int:
    click.echo(
        "routeplan: internal error (a bug in routeplan); run again with --traceback and "
        "report what it prints",
        err=True,
    )
    return int(ExitStatus.INTERNAL)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
