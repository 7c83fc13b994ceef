"""Build step: compile the route-table skimmer, ``routeplan/rib/_skim.c``, when possible.

The skimmer lets ``routeplan diff`` walk over the lines of a full Internet table that cannot
matter at C speed (docs/diff.md has the numbers). It is optional: without a C compiler or
Python's headers, or with ``ROUTEPLAN_NO_EXTENSION=1``, the build says so and routeplan is
installed as pure Python, which reads every table the same way, only slower.

For a wheel the extension goes into the wheel; for an editable install (``pip install -e .``)
it is built beside its source, where the checkout's ``routeplan`` package imports it.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = "routeplan/rib/_skim.c"
MODULE = "routeplan.rib._skim"


def compile_extension(root: Path, out: Path) -> Path:
    """Compile the skimmer with setuptools' compiler driver into ``out``; the built file."""
    from setuptools import Distribution, Extension  # noqa: PLC0415
    from setuptools.command.build_ext import build_ext  # noqa: PLC0415

    ext = Extension(MODULE, [str(root / SOURCE)], extra_compile_args=["-O2"])
    dist = Distribution({"name": "routeplan", "ext_modules": [ext]})
    cmd = build_ext(dist)
    cmd.build_lib = str(out)
    cmd.build_temp = str(out / "temp")
    cmd.ensure_finalized()
    cmd.run()
    return Path(cmd.get_ext_fullpath(MODULE))


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        if os.environ.get("ROUTEPLAN_NO_EXTENSION") == "1":
            self.app.display_info("routeplan: ROUTEPLAN_NO_EXTENSION=1, building pure Python")
            return
        root = Path(self.root)
        work = Path(tempfile.mkdtemp(prefix="routeplan-ext-"))
        try:
            built = compile_extension(root, work)
        except Exception as exc:
            self.app.display_warning(
                f"routeplan: the C route-table skimmer was not built ({exc}); installing pure "
                "Python, which reads full tables several times slower (install a C compiler "
                "and Python's headers to build it)"
            )
            shutil.rmtree(work, ignore_errors=True)
            return
        target = Path(SOURCE).parent / built.name
        if version == "editable":
            shutil.copy2(built, root / target)
        else:
            build_data["force_include"][str(built)] = str(target)
            build_data["pure_python"] = False
            build_data["infer_tag"] = True
        print(f"routeplan: built {target} for Python {sys.version.split()[0]}", file=sys.stderr)
