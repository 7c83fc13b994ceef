"""Where catalogs live, how they are read, and how new snapshots are written.

A catalog directory holds::

    catalog.yaml                          index (schema, default row table)
    communities.yaml                      ExpressRoute BGP communities (imported)
    community-mapping.yaml                endpoint set -> community rules (curated)
    range-sets.yaml                       named IP range sets of the rows (curated)
    additional-endpoints/<label>.yaml     versions of the additional-endpoints table
    endpoints/<instance>/<label>.yaml     web-service snapshots, one per instance and version

The bundled catalog ships with routeplan and is read-only. A user's catalog directory (see
:func:`user_catalog_dir`) has the same layout; a file there replaces the bundled file of the
same name, and new snapshots are added beside the bundled ones.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from routeplan.catalog.cache import catalog_key, read_cached, write_cached
from routeplan.catalog.records import (
    SCHEMA_INDEX,
    check_schema,
    communities_from_node,
    mapping_from_node,
    range_sets_from_node,
    row_table_from_node,
    service_communities_from_node,
    snapshot_from_node,
    snapshot_to_doc,
)
from routeplan.errors import InputError
from routeplan.fsutil import atomic_write
from routeplan.model import Catalog, RowTable, ServiceCommunityList, Snapshot
from routeplan.yamlio import Node, dump_yaml, load_document

ENV_CATALOG_DIR = "ROUTEPLAN_CATALOG_DIR"


def bundled_catalog_dir() -> Path:
    """The catalog shipped with routeplan (inside the wheel, or ``catalog/`` in a checkout)."""
    packaged = resources.files("routeplan") / "_catalog"
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parents[2] / "catalog"
    if checkout.is_dir():
        return checkout
    raise InputError(
        "the bundled catalog is missing from this installation",
        hint="reinstall routeplan; a wheel carries it as routeplan/_catalog",
    )


def user_catalog_dir() -> Path:
    """The user's catalog: ``$ROUTEPLAN_CATALOG_DIR``, else ``catalog`` in the user's data
    directory (platformdirs): on Linux ``$XDG_DATA_HOME/routeplan/catalog``
    (``~/.local/share/routeplan/catalog``), on macOS ``~/Library/Application
    Support/routeplan/catalog``, on Windows ``%LOCALAPPDATA%\\routeplan\\catalog``."""
    import platformdirs  # noqa: PLC0415

    explicit = os.environ.get(ENV_CATALOG_DIR)
    if explicit:
        return Path(explicit).expanduser()
    Path.home()  # RuntimeError without a home directory (a service account), as before
    return Path(platformdirs.user_data_dir("routeplan", appauthor=False)) / "catalog"


def snapshot_path(root: Path, snapshot: Snapshot) -> Path:
    return root / "endpoints" / snapshot.instance.lower() / f"{snapshot.label}.yaml"


def _collect(roots: list[Path]) -> dict[str, Path]:
    """Relative catalog file name -> the path that wins (a later root replaces an earlier)."""
    files: dict[str, Path] = {}
    for root in roots:
        for pattern in (
            "*.yaml",
            "additional-endpoints/*.yaml",
            "endpoints/*/*.yaml",
            "service-communities/*.yaml",
        ):
            for path in sorted(root.glob(pattern)):
                files[path.relative_to(root).as_posix()] = path
    return files


def load_catalog(directories: list[Path] | None = None, *, include_user: bool = True) -> Catalog:
    """Read a catalog.

    With no ``directories``, reads the bundled catalog and then (if it exists and
    ``include_user``) the user's catalog directory. Pass directories to read exactly those, in
    order: the first must be a complete catalog; later ones may add or replace files.
    """
    if directories is None:
        roots = [bundled_catalog_dir()]
        if include_user:
            try:
                user: Path | None = user_catalog_dir()
            except RuntimeError:  # no home directory (a service account): no user catalog
                user = None
            if user is not None and user.is_dir():
                roots.append(user)
    else:
        roots = [Path(d) for d in directories]
        for root in roots:
            if not root.is_dir():
                raise InputError("catalog directory not found", source=str(root))
    files = _collect(roots)
    if directories is not None:
        return _read(files, roots)
    # the usual catalog: kept parsed between runs (catalog/cache.py)
    key = catalog_key(files)
    catalog = read_cached(key) if key is not None else None
    if catalog is None:
        catalog = _read(files, roots)
        if key is not None:
            write_cached(key, catalog)
    return catalog


def _read(files: dict[str, Path], roots: list[Path]) -> Catalog:
    """Parse the catalog made of these files (the first root is a complete catalog)."""
    for required in (
        "catalog.yaml",
        "communities.yaml",
        "community-mapping.yaml",
        "range-sets.yaml",
    ):
        if required not in files:
            raise InputError(
                f"{required} is missing",
                source=str(roots[0]),
                hint="the first catalog directory must be a complete catalog",
            )
    index = load_document(files["catalog.yaml"], what="catalog index")
    check_schema(index, SCHEMA_INDEX)
    index.only_keys(("schema", "default_rows", "description"))
    communities = communities_from_node(load_document(files["communities.yaml"]))
    mapping = mapping_from_node(load_document(files["community-mapping.yaml"]), communities)
    range_sets = range_sets_from_node(load_document(files["range-sets.yaml"]))
    tables: list[RowTable] = []
    snapshots: list[Snapshot] = []
    announced: list[ServiceCommunityList] = []
    labels: dict[tuple[str, str], str] = {}
    for name, path in files.items():
        if name.startswith("additional-endpoints/"):
            tables.append(row_table_from_node(load_document(path)))
        elif name.startswith("service-communities/"):
            announced.append(service_communities_from_node(load_document(path)))
        elif name.startswith("endpoints/"):
            node = load_document(path)
            snap = snapshot_from_node(node)
            _check_snapshot_place(node, snap, path)
            key = (snap.instance.lower(), snap.label)
            if key in labels:
                raise node.error(f"snapshot {snap.instance} {snap.label} also in {labels[key]}")
            labels[key] = str(path)
            snapshots.append(snap)
    default_node = index["default_rows"]
    default_rows = str(default_node.value)
    if default_rows not in {t.label for t in tables}:
        raise default_node.error(
            f"default row table {default_rows!r} not found",
            hint="known: " + ", ".join(sorted(t.label for t in tables)),
        )
    snapshots.sort(key=lambda s: (s.instance, s.sort_key))
    return Catalog(
        snapshots=tuple(snapshots),
        row_tables=tuple(sorted(tables, key=lambda t: t.label)),
        default_rows=default_rows,
        communities=communities,
        mapping=mapping,
        range_sets=range_sets,
        service_communities=tuple(sorted(announced, key=lambda t: t.date)),
        roots=tuple(str(r) for r in roots),
    )


def _check_snapshot_place(node: Node, snap: Snapshot, path: Path) -> None:
    expected = f"{snap.label}.yaml"
    if path.name != expected or path.parent.name != snap.instance.lower():
        raise node.error(
            f"snapshot {snap.instance} {snap.label} is stored as {path.parent.name}/{path.name}",
            hint=f"rename it to endpoints/{snap.instance.lower()}/{expected}",
        )


def write_snapshot(root: Path, snapshot: Snapshot) -> Path:
    """Store a snapshot in a catalog directory, atomically. Returns the file written."""
    path = snapshot_path(root, snapshot)
    header = (
        f"Microsoft 365 endpoint sets, {snapshot.instance} {snapshot.label}.\n"
        "Written by routeplan's importer; edit the source and re-import rather than this file."
    )
    atomic_write(path, dump_yaml(snapshot_to_doc(snapshot), header=header))
    return path
