"""Moving a verified snapshot set to an air-gapped machine.

``export_snapshots`` writes the newest snapshot of each chosen instance (and the change feed
stored with it) into a new directory with a ``manifest.yaml`` that lists every file with its
SHA-256. ``import_snapshots`` checks the manifest, every checksum and every snapshot before it
writes anything, then installs them into a catalog directory all at once, version markers last.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from routeplan._version import __version__
from routeplan.catalog.records import snapshot_from_node
from routeplan.catalog.store import snapshot_path
from routeplan.catalog.update import (
    State,
    catalog_lock,
    changes_path,
    read_state,
    sha256,
    snapshot_text,
    state_path,
    state_text,
)
from routeplan.errors import InputError, UsageError, WriteError
from routeplan.fsutil import atomic_write_many
from routeplan.model import Catalog, Snapshot
from routeplan.yamlio import dump_yaml, load_document, parse_yaml

EXPORT_SCHEMA = "routeplan/export/1"


@dataclass(frozen=True, slots=True)
class Exported:
    path: str
    sha256: str
    instance: str
    label: str
    kind: str
    """``snapshot`` or ``changes``."""


def export_snapshots(
    catalog: Catalog,
    user_root: Path,
    target: Path,
    instances: Sequence[str],
    *,
    today: dt.date | None = None,
) -> tuple[Exported, ...]:
    """Write the export into ``target`` (which must not exist yet, or be an empty directory)."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(
            f"{target} exists and is not an empty directory",
            hint="export into a new directory; nothing is overwritten",
        )
    chosen: list[Snapshot] = []
    for name in instances:
        snaps = [s for s in catalog.snapshots if s.instance.lower() == name.lower()]
        if snaps:
            chosen.append(max(snaps, key=lambda s: s.sort_key))
    files: list[tuple[str, str, Exported]] = []
    for snap in chosen:
        rel = f"endpoints/{snap.instance.lower()}/{snap.label}.yaml"
        text = snapshot_text(snap)
        files.append(
            (rel, text, Exported(rel, sha256(text), snap.instance, snap.label, "snapshot"))
        )
        if snap.version:
            stored = changes_path(user_root, snap.instance, snap.version)
            if stored.exists():
                rel = f"changes/{snap.instance.lower()}/{snap.version}.json"
                body = stored.read_text(encoding="utf-8")
                files.append(
                    (rel, body, Exported(rel, sha256(body), snap.instance, snap.label, "changes"))
                )
    manifest = {
        "schema": EXPORT_SCHEMA,
        "routeplan": __version__,
        "created": (today or dt.date.today()).isoformat(),
        "files": [
            {
                "path": e.path,
                "sha256": e.sha256,
                "instance": e.instance,
                "version": e.label,
                "kind": e.kind,
            }
            for _, _, e in files
        ],
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for rel, text, _ in files:
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (staging / "manifest.yaml").write_text(
            dump_yaml(manifest, header="routeplan catalog export: check before import"),
            encoding="utf-8",
        )
        if target.exists():
            target.rmdir()
        os.replace(staging, target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise WriteError(f"could not write the export to {target}: {exc}") from exc
    return tuple(e for _, _, e in files)


def import_snapshots(source: Path, root: Path) -> tuple[Exported, ...]:
    """Verify an export and install it into the catalog directory ``root``."""
    manifest_path = source / "manifest.yaml"
    if not manifest_path.exists():
        raise InputError(
            "manifest.yaml missing: not a routeplan export",
            source=str(source),
            hint="make one with 'routeplan catalog export DIR' on the connected machine",
        )
    manifest = load_document(manifest_path, what="export manifest")
    manifest.only_keys(("schema", "routeplan", "created", "files"))
    if manifest["schema"].value != EXPORT_SCHEMA:
        raise manifest.error(f"expected schema {EXPORT_SCHEMA}", "schema")
    entries: list[Exported] = []
    writes: list[tuple[Path, str]] = []
    markers: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    listed = set()
    for item in manifest.list_of("files"):
        item.only_keys(("path", "sha256", "instance", "version", "kind"))
        rel = item["path"].as_str()
        if rel.startswith("/") or ".." in Path(rel).parts:
            raise item.error(f"unsafe path {rel!r}", "path")
        listed.add(rel)
        path = source / rel
        if not path.is_file():
            raise item.error(f"{rel} is listed but missing", "path")
        body = path.read_text(encoding="utf-8")
        digest = sha256(body)
        if digest != item["sha256"].as_str():
            raise InputError(
                "checksum mismatch: the file changed or was damaged on the way",
                source=str(path),
                hint="export again on the connected machine; nothing was imported",
            )
        kind = item["kind"].as_str()
        entry = Exported(rel, digest, item["instance"].as_str(), str(item["version"].value), kind)
        if kind == "snapshot":
            node = load_document(path, what="snapshot")
            snap = snapshot_from_node(node)
            target = snapshot_path(root, snap)
            writes.append((target, body))
            if snap.version:
                marker = markers.setdefault(snap.instance, (snap.version, []))
                marker[1].append((str(target.relative_to(root)), digest))
        elif kind == "changes":
            parse_yaml(body, source=str(path))  # JSON is YAML: well-formed at least
            writes.append((root / rel, body))
            markers.setdefault(entry.instance, (entry.label, []))[1].append((rel, digest))
        else:
            raise item.error(f"unknown kind {kind!r}", "kind")
        entries.append(entry)
    extra = {
        p.relative_to(source).as_posix()
        for p in source.rglob("*")
        if p.is_file() and p.name != "manifest.yaml"
    } - listed
    if extra:
        raise InputError(
            "files not in the manifest: " + ", ".join(sorted(extra)),
            source=str(source),
            hint="an export holds only what its manifest lists; export again",
        )
    with catalog_lock(root):
        for instance, (version, files) in sorted(markers.items()):
            old = read_state(root, instance)
            if old is not None and old.version and old.version > version:
                continue  # never go backwards: keep the newer local marker
            state = State(instance, version, None, f"import of {source}", tuple(files))
            writes.append((state_path(root, instance), state_text(state)))
        atomic_write_many(writes)
    return tuple(entries)
