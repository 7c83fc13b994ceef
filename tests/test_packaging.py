"""A non-editable install carries the bundled catalog and runs from anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.mark.slow
def test_wheel_carries_the_catalog_and_works_installed(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = dist.glob("routeplan-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "routeplan/_catalog/catalog.yaml" in names
    assert "routeplan/_catalog/additional-endpoints/seed-16.yaml" in names
    assert any(n.startswith("routeplan/_catalog/endpoints/worldwide/") for n in names)

    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    code = (
        "import routeplan, routeplan.catalog.store as s;"
        "assert routeplan.__file__.startswith(sys.argv[1]), routeplan.__file__;"
        "d = s.bundled_catalog_dir(); assert '_catalog' in str(d), d;"
        "v = routeplan.select_view(routeplan.load_catalog(include_user=False), 'Worldwide');"
        "print(len(v.rows.rows))"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c", "import sys;" + code, str(target)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "16"
