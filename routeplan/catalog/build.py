"""Rebuild the bundled catalog from the published sources named in ``catalog/sources.yaml``.

Usage (from a checkout, with the public data beside it)::

    python -m routeplan.catalog.build --data ../shared/data [--out catalog]

Every generated file is written atomically and deterministically, so the committed catalog can
be compared with a fresh import. Curated files (``catalog.yaml``, ``community-mapping.yaml``,
``range-sets.yaml``) are not touched.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from routeplan.catalog.articles import (
    parse_communities_article,
    parse_scenario_table,
    parse_seed_table,
)
from routeplan.catalog.records import (
    communities_to_doc,
    provenance_from_node,
    row_table_to_doc,
    service_communities_from_json,
    service_communities_to_doc,
    snapshot_to_doc,
)
from routeplan.catalog.store import snapshot_path
from routeplan.catalog.webservice import canonical_instance, snapshot_from_json
from routeplan.errors import RouteplanError
from routeplan.fsutil import atomic_write_many
from routeplan.yamlio import Node, dump_yaml, load_document, read_text

SCHEMA_SOURCES = "routeplan/catalog-sources/1"
GENERATED = "Written by routeplan's importer from the source named in provenance; do not edit."


def build(manifest: Path, data_dir: Path, out_dir: Path) -> dict[Path, str]:
    """Import every source of the manifest; return {file to write: its text}."""
    node = load_document(manifest, what="catalog source manifest")
    if node.get("schema") is None or node["schema"].value != SCHEMA_SOURCES:
        raise node.error(f"expected schema {SCHEMA_SOURCES!r}")
    out: dict[Path, str] = {}
    for item in node["endpoints"].as_list():
        path = data_dir / item["file"].as_str()
        instance_node = item["instance"]
        instance = canonical_instance(instance_node.as_str())
        if instance is None:
            raise instance_node.error(f"unknown instance {instance_node.value!r}")
        version = item.get("version")
        retrieved = item["retrieved"].as_date()
        provenance = provenance_from_node(item["provenance"])
        doc = load_document(path, what="web-service snapshot")
        snap = snapshot_from_json(
            doc,
            instance=instance,
            version=None if version is None else str(version.value),
            retrieved=retrieved,
            provenance=provenance,
        )
        header = f"Microsoft 365 endpoint sets, {snap.instance} {snap.label}.\n{GENERATED}"
        out[snapshot_path(out_dir, snap)] = dump_yaml(snapshot_to_doc(snap), header=header)
    for item in node["additional_endpoints"].as_list():
        out.update(_rows(item, data_dir, out_dir))
    comm = node["communities"]
    source = data_dir / comm["file"].as_str()
    table = parse_communities_article(
        read_text(source), source=str(source), provenance=provenance_from_node(comm["provenance"])
    )
    out[out_dir / "communities.yaml"] = dump_yaml(
        communities_to_doc(table), header=f"ExpressRoute BGP communities.\n{GENERATED}"
    )
    lists = node.get("service_communities")
    for item in lists.as_list() if lists is not None else []:
        path = data_dir / item["file"].as_str()
        date = item["date"].as_date()
        announced = service_communities_from_json(
            load_document(path, what="service-community list").value,
            date=date,
            provenance=provenance_from_node(item["provenance"]),
            source=str(path),
        )
        header = f"What Azure lists under each service community, {date.isoformat()}.\n{GENERATED}"
        out[out_dir / "service-communities" / f"{date.isoformat()}.yaml"] = dump_yaml(
            service_communities_to_doc(announced), header=header
        )
    return out


def _rows(item: Node, data_dir: Path, out_dir: Path) -> dict[Path, str]:
    path = data_dir / item["file"].as_str()
    fmt = item["format"]
    label = str(item["label"].value)
    kwargs = {
        "source": str(path),
        "label": label,
        "title": item["title"].as_str(),
        "provenance": provenance_from_node(item["provenance"]),
    }
    text = read_text(path)
    if fmt.value == "row-layout":
        table = parse_seed_table(text, **kwargs)  # type: ignore[arg-type]
    elif fmt.value == "pipe-table":
        table = parse_scenario_table(text, **kwargs)  # type: ignore[arg-type]
    else:
        raise fmt.error(f"unknown format {fmt.value!r}", hint="use row-layout or pipe-table")
    header = f"{table.title} ({label}).\n{GENERATED}"
    return {
        out_dir / "additional-endpoints" / f"{label}.yaml": dump_yaml(
            row_table_to_doc(table), header=header
        )
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, required=True, help="the public data directory")
    parser.add_argument("--out", type=Path, default=Path("catalog"), help="catalog directory")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if any generated file differs"
    )
    args = parser.parse_args(argv)
    try:
        files = build(args.out / "sources.yaml", args.data, args.out)
    except RouteplanError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return int(exc.exit_status)
    if args.check:
        stale = [
            p
            for p, text in files.items()
            if not p.exists() or p.read_text(encoding="utf-8") != text
        ]
        for p in stale:
            print(f"differs: {p}", file=sys.stderr)
        return 1 if stale else 0
    try:
        atomic_write_many(sorted(files.items()))
    except RouteplanError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return int(exc.exit_status)
    for p in sorted(files):
        print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
