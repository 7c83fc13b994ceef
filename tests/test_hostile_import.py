"""A tampered export cannot rewrite the catalog's rules, write outside the catalog, or smuggle
files in through links: every case is refused before anything is written (issue: hostile
input). Each export is made by routeplan itself, then changed as an attacker would, with the
checksums made to match."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
import yaml

from routeplan.catalog import load_catalog
from routeplan.catalog.offline import export_snapshots
from routeplan.errors import ExitStatus
from tests.helpers import run_cli

MAPPING = "schema: routeplan/community-mapping/1\n"


def _export(tmp_path: Path) -> Path:
    target = tmp_path / "usb"
    export_snapshots(load_catalog(include_user=False), tmp_path / "none", target, ["Worldwide"])
    return target


def _add(export: Path, rel: str, body: str, **fields: str) -> None:
    """List a file in the manifest with a matching checksum (what a tamperer would do)."""
    path = export / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    manifest = yaml.safe_load((export / "manifest.yaml").read_text())
    manifest["files"].append(
        {
            "path": rel,
            "sha256": hashlib.sha256(body.encode()).hexdigest(),
            "instance": fields.get("instance", "Worldwide"),
            "version": fields.get("version", "2025120100"),
            "kind": fields.get("kind", "changes"),
        }
    )
    (export / "manifest.yaml").write_text(yaml.safe_dump(manifest))


def _tree(root: Path) -> dict[str, bytes]:
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _refused(export: Path, tmp_path: Path, expect: str) -> None:
    offline = tmp_path / "offline"
    before = _tree(offline)
    outside = _tree(tmp_path / "outside")
    result = run_cli("--catalog-dir", str(offline), "catalog", "import", str(export))
    assert result.status == ExitStatus.INPUT, result.stderr
    assert expect in result.stderr
    assert "Traceback" not in result.stderr
    assert _tree(offline) == before  # nothing written
    assert _tree(tmp_path / "outside") == outside


def test_the_untampered_export_imports(tmp_path: Path) -> None:
    export = _export(tmp_path)
    result = run_cli("--catalog-dir", str(tmp_path / "offline"), "catalog", "import", str(export))
    assert result.status == ExitStatus.OK, result.stderr
    assert "endpoints/worldwide/2025-12-01.yaml" in _tree(tmp_path / "offline")


@pytest.mark.parametrize(
    "rel",
    ["community-mapping.yaml", "state/worldwide.yaml", "range-sets.yaml", "changes/x.json"],
)
def test_a_changes_entry_cannot_land_on_the_catalog_rules(tmp_path: Path, rel: str) -> None:
    export = _export(tmp_path)
    _add(export, rel, MAPPING)
    _refused(export, tmp_path, "a change feed belongs at changes/")


def test_the_instance_cannot_walk_out_of_the_catalog(tmp_path: Path) -> None:
    export = _export(tmp_path)
    _add(export, "changes/x/2025120100.json", "[]", instance="../../../../outside/x")
    _refused(export, tmp_path, "unknown instance")


def test_a_version_marker_from_the_future_is_refused(tmp_path: Path) -> None:
    export = _export(tmp_path)
    _add(export, "changes/worldwide/9999999999.json", "[]", version="9999999999")
    _refused(export, tmp_path, "a change feed belongs at")


def test_a_change_feed_must_be_one(tmp_path: Path) -> None:
    export = _export(tmp_path)
    _add(export, "changes/worldwide/2025120100.json", '{"not": "a feed"}')
    offline = tmp_path / "offline"
    result = run_cli("--catalog-dir", str(offline), "catalog", "import", str(export))
    assert result.status == ExitStatus.INPUT
    assert _tree(offline) == {}


@pytest.mark.parametrize("target_kind", ["file", "directory"])
def test_links_inside_an_export_are_refused(tmp_path: Path, target_kind: str) -> None:
    export = _export(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.json"
    secret.write_text("[]")
    if target_kind == "file":
        link = export / "changes" / "worldwide" / "2025120100.json"
        link.parent.mkdir(parents=True)
        os.symlink(secret, link)
        _add_listed = True
    else:
        (export / "changes").mkdir()
        os.symlink(outside, export / "changes" / "worldwide")
        _add_listed = True
    if _add_listed:
        manifest = yaml.safe_load((export / "manifest.yaml").read_text())
        manifest["files"].append(
            {
                "path": "changes/worldwide/2025120100.json"
                if target_kind == "file"
                else "changes/worldwide/secret.json",
                "sha256": hashlib.sha256(b"[]").hexdigest(),
                "instance": "Worldwide",
                "version": "2025120100",
                "kind": "changes",
            }
        )
        (export / "manifest.yaml").write_text(yaml.safe_dump(manifest))
    _refused(export, tmp_path, "symbolic link")


def test_a_snapshot_must_be_where_its_content_says(tmp_path: Path) -> None:
    export = _export(tmp_path)
    body = (export / "endpoints" / "worldwide" / "2025-12-01.yaml").read_text()
    _add(export, "endpoints/usgovdod/2025-12-01.yaml", body, kind="snapshot", instance="USGovDoD")
    _refused(export, tmp_path, "which belongs at endpoints/worldwide/2025-12-01.yaml")


def test_an_oversized_listed_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    export = _export(tmp_path)
    big = export / "changes" / "worldwide" / "2025120100.json"
    big.parent.mkdir(parents=True)
    with big.open("wb") as f:
        f.truncate(65 * 1024 * 1024)  # sparse: costs no disk
    manifest = yaml.safe_load((export / "manifest.yaml").read_text())
    manifest["files"].append(
        {
            "path": "changes/worldwide/2025120100.json",
            "sha256": "0" * 64,
            "instance": "Worldwide",
            "version": "2025120100",
            "kind": "changes",
        }
    )
    (export / "manifest.yaml").write_text(yaml.safe_dump(manifest))
    _refused(export, tmp_path, "more than")
