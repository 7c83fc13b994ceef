"""A non-editable install carries the bundled catalog and runs from anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT


@pytest.mark.slow
@pytest.mark.parametrize("extension", [True, False], ids=["with-skimmer", "pure"])
def test_wheel_carries_the_catalog_and_works_installed(tmp_path: Path, extension: bool) -> None:
    """Both builds: with the C skimmer (hatch_build.py compiles it) and without it
    (ROUTEPLAN_NO_EXTENSION=1, as on a machine without a C compiler)."""
    dist = tmp_path / "dist"
    build_env = {**os.environ, "ROUTEPLAN_NO_EXTENSION": "0" if extension else "1"}
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
        env=build_env,
    )
    (wheel,) = dist.glob("routeplan-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    skimmer = [n for n in names if n.startswith("routeplan/rib/_skim.") and n.endswith(".so")]
    if extension:
        if not skimmer and os.environ.get("ROUTEPLAN_REQUIRE_SKIM") != "1":
            pytest.skip("no C compiler here: the wheel was built pure (the build said why)")
        assert len(skimmer) == 1, names
        assert "-py3-none-any" not in wheel.name  # a platform wheel
    else:
        assert not skimmer
        assert wheel.name.endswith("-py3-none-any.whl")
    assert "routeplan/_catalog/catalog.yaml" in names
    assert "routeplan/_catalog/additional-endpoints/seed-16.yaml" in names
    assert any(n.startswith("routeplan/_catalog/endpoints/worldwide/") for n in names)
    assert "routeplan/schemas/diff-2.schema.json" in names  # the JSON contracts' schemas

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
        "v = routeplan.catalog_view(routeplan.load_catalog(include_user=False), 'Worldwide');"
        "print(len(v.rows.rows));"
        "from routeplan.rib import bgptable; print(bgptable.SKIM_C is not None);"
        "from routeplan.schemas import CONTRACTS, schema_for;"
        "assert all(schema_for(c) for c in CONTRACTS)"
    )
    env = {**os.environ, "PYTHONPATH": str(target), "ROUTEPLAN_PURE": "0"}
    out = subprocess.run(
        [sys.executable, "-c", "import sys;" + code, str(target)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["16", str(extension)]
