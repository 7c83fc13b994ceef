"""An optional build step: compile the route-table hot loop with mypyc.

Off by default (a plain ``pip install .`` stays pure Python and needs no compiler). Turn it on
with ``HATCH_BUILD_HOOK_ENABLE_CUSTOM=1 pip install .``: the modules below are compiled to C
extension modules with mypyc (part of mypy) and put into the wheel beside their sources,
which Python then imports instead. Reading a full Internet table gets about 2.3 times faster
(benchmarks/fulltable.py). It needs a C compiler and Python's headers.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

MODULES = ["routeplan/rib/bgptable.py"]
"""Only the hot loop: compiled generators close their files only when collected, so the
readers that read through generators stay plain Python."""


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        work = Path(tempfile.mkdtemp(prefix="routeplan-mypyc-"))
        shutil.copytree(Path(self.root) / "routeplan", work / "routeplan")
        shutil.copy(Path(self.root) / "pyproject.toml", work / "pyproject.toml")
        subprocess.run([sys.executable, "-m", "mypyc", *MODULES], cwd=work, check=True)
        built = sorted(work.glob("*.so")) + sorted((work / "routeplan").rglob("*.so"))
        for so in built:
            build_data["force_include"][str(so)] = str(so.relative_to(work))
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
