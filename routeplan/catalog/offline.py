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
import stat as _stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from routeplan._version import __version__
from routeplan.catalog.changes import changes_from_node
from routeplan.catalog.records import snapshot_from_node
from routeplan.catalog.store import snapshot_path, write_snapshot
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
from routeplan.catalog.webservice import INSTANCES, canonical_instance, snapshot_from_json
from routeplan.errors import InputError, UsageError, WriteError
from routeplan.fsutil import atomic_write_many
from routeplan.model import Catalog, Provenance, Snapshot, is_service_version
from routeplan.yamlio import Node, dump_yaml, load_document

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


MAX_EXPORT_FILE = 64 * 1024 * 1024
"""The largest file an export may list (the largest real snapshot is well under 2 MiB)."""
MAX_MANIFEST = 1024 * 1024


def _regular(path: Path, source: Path, limit: int, what: str) -> None:
    """A file of the export must be a regular file inside it, reached through no link, and
    not larger than ``limit``; checked before a byte of it is read."""
    rel = path.relative_to(source)
    here = source
    for part in rel.parts:
        here = here / part
        if here.is_symlink():
            raise InputError(
                f"{rel.as_posix()} is reached through a symbolic link ({here.name}): an export "
                "holds plain files only",
                source=str(source),
                hint="export again on the connected machine; nothing was imported",
            )
    try:
        info = path.stat()
    except OSError:
        raise InputError(
            f"{what} {rel.as_posix()} is listed but missing", source=str(source)
        ) from None
    if not _stat.S_ISREG(info.st_mode):
        raise InputError(f"{what} {rel.as_posix()} is not a regular file", source=str(source))
    if info.st_size > limit:
        raise InputError(
            f"{what} {rel.as_posix()} is {info.st_size:,} bytes, more than {limit:,}: not a "
            "routeplan export file",
            source=str(source),
        )


def _version(text: str, today: dt.date) -> bool:
    """Is this a web-service version (YYYYMMDDNN) of a real day, not far in the future?

    >>> _version("2025120100", dt.date(2025, 12, 2)), _version("9999999999", dt.date(2025, 12, 2))
    (True, False)
    """
    if not is_service_version(text):
        return False
    try:
        day = dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return day <= today + dt.timedelta(days=62)


def import_snapshots(
    source: Path, root: Path, *, today: dt.date | None = None
) -> tuple[Exported, ...]:
    """Verify an export and install it into the catalog directory ``root``.

    Only what an export may hold is installed: snapshots (at the place their own content
    names) and change feeds at ``changes/<instance>/<version>.json``, for a known instance and
    a real version. Any other path (the catalog's rules, ``state/``, ``..``), a symbolic link,
    a special file or an oversized one refuses the whole import before anything is written."""
    today = today or dt.date.today()
    manifest_path = source / "manifest.yaml"
    if not manifest_path.exists():
        raise InputError(
            "manifest.yaml missing: not a routeplan export",
            source=str(source),
            hint="make one with 'routeplan catalog export DIR' on the connected machine",
        )
    _regular(manifest_path, source, MAX_MANIFEST, "the manifest")
    manifest = load_document(manifest_path, what="export manifest")
    manifest.only_keys(("schema", "routeplan", "created", "files"))
    if manifest["schema"].value != EXPORT_SCHEMA:
        raise manifest.error(f"expected schema {EXPORT_SCHEMA}", "schema")
    entries: list[Exported] = []
    writes: list[tuple[Path, str]] = []
    markers: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    listed: set[str] = set()
    for item in manifest.list_of("files"):
        rel, instance, path, body, digest = _listed_file(item, source)
        listed.add(rel)
        kind = item["kind"].as_str()
        entry = Exported(rel, digest, instance, str(item["version"].value), kind)
        if kind == "snapshot":
            node = load_document(path, what="snapshot")
            snap = snapshot_from_node(node)
            target = snapshot_path(root, snap)
            if target.relative_to(root).as_posix() != rel or snap.instance != instance:
                raise item.error(
                    f"{rel} holds {snap.instance} {snap.label}, which belongs at "
                    f"{target.relative_to(root).as_posix()}",
                    "path",
                )
            if snap.version is not None and not _version(snap.version, today):
                raise item.error(f"{rel}: {snap.version!r} is not a real service version")
            writes.append((target, body))
            if snap.version:
                marker = markers.setdefault(snap.instance, (snap.version, []))
                marker[1].append((str(target.relative_to(root)), digest))
        elif kind == "changes":
            version = entry.label
            expected = changes_path(Path(), instance, version).as_posix()
            if not _version(version, today) or rel != expected:
                raise item.error(
                    f"a change feed belongs at changes/<instance>/<YYYYMMDDNN>.json of a real "
                    f"version, not {rel!r} (version {version!r})",
                    "path",
                )
            changes_from_node(load_document(path, what="change feed"))  # a real feed
            writes.append((root / rel, body))
            markers.setdefault(instance, (version, []))[1].append((rel, digest))
        else:
            raise item.error(f"unknown kind {kind!r}", "kind")
        entries.append(entry)
    _only_listed(source, listed)
    with catalog_lock(root):
        for instance, (version, files) in sorted(markers.items()):
            old = read_state(root, instance)
            if old is not None and old.version and old.version > version:
                continue  # never go backwards: keep the newer local marker
            state = State(instance, version, None, f"import of {source}", tuple(files))
            writes.append((state_path(root, instance), state_text(state)))
        atomic_write_many(writes)
    return tuple(entries)


def _listed_file(item: Node, source: Path) -> tuple[str, str, Path, str, str]:
    """One manifest entry's file, checked: a safe relative path, a known instance, a
    regular file of bounded size whose SHA-256 matches. Its path, instance, location, text
    and digest."""
    item.only_keys(("path", "sha256", "instance", "version", "kind"))
    rel = item["path"].as_str()
    if rel.startswith("/") or ".." in Path(rel).parts or "\\" in rel:
        raise item.error(f"unsafe path {rel!r}", "path")
    instance = canonical_instance(item["instance"].as_str())
    if instance is None:
        raise item.error(f"unknown instance {item['instance'].value!r}", "instance")
    path = source / rel
    if not path.exists() and not path.is_symlink():
        raise item.error(f"{rel} is listed but missing", "path")
    _regular(path, source, MAX_EXPORT_FILE, "file")
    body = path.read_text(encoding="utf-8")
    digest = sha256(body)
    if digest != item["sha256"].as_str():
        raise InputError(
            "checksum mismatch: the file changed or was damaged on the way",
            source=str(path),
            hint="export again on the connected machine; nothing was imported",
        )
    return rel, instance, path, body, digest


def _only_listed(source: Path, listed: set[str]) -> None:
    """An export holds plain files, all of them in its manifest."""
    links = [p for p in source.rglob("*") if p.is_symlink()]
    if links:
        raise InputError(
            "symbolic links in the export: "
            + ", ".join(sorted(p.relative_to(source).as_posix() for p in links)),
            source=str(source),
            hint="an export holds plain files only; export again, nothing was imported",
        )
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


@dataclass(frozen=True, slots=True)
class ImportedFile:
    """One ``/endpoints`` file imported as a snapshot."""

    snapshot: Snapshot
    path: Path
    replaced: bool
    """An earlier import of that version was replaced."""

    def message(self) -> str:
        snap = self.snapshot
        return (
            f"imported {len(snap.endpoint_sets)} endpoint sets of {snap.instance} as version "
            f"{snap.label} into {self.path}"
            + (" (replacing the earlier import of that version)" if self.replaced else "")
        )


def import_endpoints_file(
    file: Path,
    root: Path,
    *,
    instance: str,
    service_version: str | None = None,
    retrieved: str | dt.date | None = None,
    source: str | None = None,
) -> ImportedFile:
    """Validate a web-service ``/endpoints/{instance}`` JSON file completely, then write it
    atomically as a snapshot into the catalog directory ``root``. ``retrieved``: when it was
    fetched (default today)."""
    name = canonical_instance(instance)
    if name is None:
        raise UsageError(f"unknown instance {instance!r}", hint="known: " + ", ".join(INSTANCES))
    if service_version is not None and not is_service_version(service_version):
        raise UsageError(f"--service-version {service_version!r} is not YYYYMMDDNN")
    if isinstance(retrieved, dt.date):
        day = retrieved
    else:
        try:
            day = dt.date.fromisoformat(retrieved) if retrieved else dt.date.today()
        except ValueError:
            raise UsageError(f"--retrieved {retrieved!r} is not a date (YYYY-MM-DD)") from None
    node = load_document(file, what="endpoints file")
    provenance = Provenance(
        document=source or f"Microsoft 365 IP Address and URL web service, /endpoints/{name}",
        version=service_version,
        retrieved=day,
        via=str(file),
    )
    snap = snapshot_from_json(
        node, instance=name, version=service_version, retrieved=day, provenance=provenance
    )
    existed = snapshot_path(root, snap).exists()
    return ImportedFile(snap, write_snapshot(root, snap), existed)
