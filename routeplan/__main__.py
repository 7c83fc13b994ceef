"""``python -m routeplan``: the command line."""

from routeplan.cli import main

raise SystemExit(main())
