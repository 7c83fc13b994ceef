"""The ``routeplan`` command: options in, one library call (:mod:`routeplan.commands`, the
catalog and report functions), the rendered result out, and an exit status.

One module per command group; the options they share are defined once in
:mod:`routeplan.cli.options`. No module here decides what a library function does not.
"""

from routeplan.cli import catalog, collect, diff, formats, lookup, pac, plan, review, topology
from routeplan.cli.app import cli, main
from routeplan.cli.options import router_files

__all__ = [
    "catalog",
    "cli",
    "collect",
    "diff",
    "formats",
    "lookup",
    "main",
    "pac",
    "plan",
    "review",
    "router_files",
    "topology",
]
