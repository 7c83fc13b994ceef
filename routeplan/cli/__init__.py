"""The ``routeplan`` command: options in, one library call (:mod:`routeplan.commands`, the
catalog and report functions), the rendered result out, and an exit status.

One module per command group; the options they share are defined once in
:mod:`routeplan.cli.options`. No module here decides what a library function does not.

Each command's module is imported when the command runs (:data:`routeplan.cli.app.COMMANDS`),
so a command loads only what it uses.
"""

from routeplan.cli.app import all_commands, cli, main
from routeplan.cli.options import router_files

__all__ = ["all_commands", "cli", "main", "router_files"]
