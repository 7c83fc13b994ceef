"""An inventory of routers and their route-table files (docs/fleet.md), as YAML or CSV.

YAML (``schema: routeplan/inventory/1``)::

    schema: routeplan/inventory/1
    routers:
      - name: ams-edge
        site: ams
        platform: ios-xe
        format: ios-bgp            # optional; auto-detected by default
        files: [captures/ams-edge-v4.txt, captures/ams-edge-v6.txt]
        role: edge                 # optional
        expect: er-ams             # optional: the circuit it should use

CSV: a header row with ``name`` and ``files`` and any of ``site``, ``platform``, ``format``,
``role``, ``expect``; several files (or globs) in one cell are separated by ``;``. Files and
globs are relative to the inventory file. A router's files are found when it is checked: a
missing one is that router's error, never the whole run's.
"""

from __future__ import annotations

import csv
import glob
import io
from dataclasses import dataclass
from pathlib import Path

from routeplan.errors import InputError, UsageError
from routeplan.model import valid_router_name
from routeplan.yamlio import Node, load_document, locate, read_bytes_bounded

SCHEMA = "routeplan/inventory/1"
FIELDS = ("name", "site", "platform", "format", "files", "role", "expect")
OPTIONAL = ("site", "platform", "format", "role", "expect")


@dataclass(frozen=True, slots=True)
class InventoryRouter:
    name: str
    files: tuple[str, ...]
    """As written: paths or globs, relative to the inventory's directory."""
    base: Path
    line: int | None
    """Where the router is in the inventory (for errors)."""
    site: str | None = None
    platform: str | None = None
    format: str | None = None
    role: str | None = None
    expect: str | None = None

    def paths(self) -> list[Path]:
        """The router's files: each glob expanded (sorted), each name made absolute. A glob
        that matches nothing, or a file that is not there, is an :class:`InputError` naming
        the router."""
        out: list[Path] = []
        for entry in self.files:
            full = entry if Path(entry).is_absolute() else str(self.base / entry)
            if glob.has_magic(entry):
                found = sorted(Path(p) for p in glob.glob(full))
                if not found:
                    raise InputError(
                        f"router {self.name}: no file matches {entry!r}", source=str(self.base)
                    )
                out += found
            elif not Path(full).is_file():
                raise InputError(f"router {self.name}: route table {entry!r} not found")
            else:
                out.append(Path(full))
        return out


@dataclass(frozen=True, slots=True)
class Inventory:
    source: str
    routers: tuple[InventoryRouter, ...]


def load_inventory(path: Path) -> Inventory:
    """Read an inventory, YAML or CSV (by its content: a first line with ``name`` and
    ``files`` columns is CSV). Duplicate router names are a usage error naming both."""
    data = read_bytes_bounded(path, what="inventory")
    head = data[:4096].decode("utf-8", errors="replace").lstrip("\ufeff").splitlines()
    first = head[0] if head else ""
    cells = [c.strip().lower() for c in first.split(",")]
    routers = _from_csv(path, data) if "name" in cells and "files" in cells else _from_yaml(path)
    if not routers:
        raise InputError("the inventory lists no routers", source=str(path))
    seen: dict[str, InventoryRouter] = {}
    for r in routers:
        if r.name in seen:
            raise UsageError(
                f"router {r.name!r} is listed twice in {path}: lines {seen[r.name].line} and "
                f"{r.line}",
                hint="give one entry per router, with all its files",
            )
        seen[r.name] = r
    return Inventory(str(path), tuple(routers))


def _from_yaml(path: Path) -> list[InventoryRouter]:
    doc = load_document(path, what="inventory")
    doc.only_keys(("schema", "routers"))
    schema = doc.get("schema")
    if schema is None or schema.value != SCHEMA:
        raise doc.error(f"expected schema: {SCHEMA}", "schema", hint="start the file with it")
    return [_router(item, path.parent) for item in doc.list_of("routers")]


def _router(item: Node, base: Path) -> InventoryRouter:
    item.only_keys(FIELDS)
    files_node = item["files"]
    files = (
        [files_node.as_str()]
        if isinstance(files_node.value, str)
        else [f.as_str() for f in files_node.as_list()]
    )
    if not files:
        raise item.error("a router needs its route-table files", "files")
    line = locate(item.text, item.path) if item.text is not None else None
    return InventoryRouter(
        name=_name(item["name"].as_str(), item),
        files=tuple(files),
        base=base,
        line=line,
        site=item.opt_str("site"),
        platform=item.opt_str("platform"),
        format=item.opt_str("format"),
        role=item.opt_str("role"),
        expect=item.opt_str("expect"),
    )


def _name(name: str, item: Node | None = None, *, source: str = "", line: int = 0) -> str:
    if not valid_router_name(name):
        message = f"router name {name[:60]!r}: letters, digits and _.:@- only, up to 128"
        if item is not None:
            raise item.error(message, "name")
        raise InputError(message, source=source, line=line)
    return name


def _from_csv(path: Path, data: bytes) -> list[InventoryRouter]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", source=str(path)) from None
    reader = csv.DictReader(io.StringIO(text))
    unknown = [f for f in reader.fieldnames or () if f.strip().lower() not in FIELDS]
    if unknown:
        raise InputError(
            f"unknown column {unknown[0]!r}", source=str(path), line=1,
            hint="columns: " + ", ".join(FIELDS),
        )  # fmt: skip
    out = []
    for row in reader:
        line = reader.line_num
        cells = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        if None in row:
            raise InputError("more cells than columns", source=str(path), line=line)
        if not cells.get("name") or not cells.get("files"):
            raise InputError("a router needs a name and files", source=str(path), line=line)
        out.append(
            InventoryRouter(
                name=_name(cells["name"], source=str(path), line=line),
                files=tuple(f.strip() for f in cells["files"].split(";") if f.strip()),
                base=path.parent,
                line=line,
                **{k: cells.get(k) or None for k in OPTIONAL},
            )
        )
    return out
