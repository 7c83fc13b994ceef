"""Fuzzing every reader with mutated real inputs (hypothesis).

Each test takes real inputs (the reviewed fixtures, the bundled catalog, the published formats)
and mutates them the way files get damaged in the field: cut short, lines dropped, duplicated
or swapped, columns swapped, garbage inserted, CRLF, tabs, a BOM, a very long line, NUL bytes,
UTF-16, Latin-1 bytes, a digit changed. The property, for every reader: the input parses into
typed records, or the reader raises routeplan's InputError naming the file. No other
exception ever escapes.

``pytest tests/test_fuzz.py --fuzz-examples 5000`` runs longer (default: 80 per reader in CI).
The counts of every run are written to test-artifacts/fuzz-stats.json.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routeplan.advertise import read_announced
from routeplan.catalog.changes import read_changes
from routeplan.catalog.store import bundled_catalog_dir, load_catalog
from routeplan.catalog.webservice import endpoint_set_to_json, snapshot_from_json
from routeplan.errors import InputError
from routeplan.model import Prefix, Provenance
from routeplan.policy import Policy
from routeplan.rib import FORMATS, Route, read_routes
from routeplan.yamlio import load_document
from tests.helpers import ROOT
from tests.mutations import mutate

FIXTURES = ROOT / "tests" / "fixtures" / "rib"
STATS: dict[str, Counter[str]] = {}


@pytest.fixture(scope="module", autouse=True)
def _write_stats() -> Iterator[None]:
    yield
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    (out / "fuzz-stats.json").write_text(
        json.dumps({k: dict(v) for k, v in sorted(STATS.items())}, indent=1) + "\n"
    )


def fuzz_settings(request: pytest.FixtureRequest) -> Any:
    return settings(
        max_examples=request.config.getoption("--fuzz-examples"),
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,
        ],
        derandomize=False,
    )


def outcome(reader: str, call: Callable[[], Any], path: Path) -> Any:
    """Run a reader; count what happened; anything but a result or an InputError naming the
    file fails the test."""
    stats = STATS.setdefault(reader, Counter())
    stats["tried"] += 1
    try:
        result = call()
    except InputError as exc:
        stats["input errors"] += 1
        error: InputError | None = exc
    else:
        stats["parsed"] += 1
        return result
    assert error is not None
    assert error.source is not None
    assert error.source.startswith(str(path)) or str(path).startswith(error.source), error
    assert str(error)  # renders
    return None


# ---------------------------------------------------------------------------------------------
# route tables, every format


def _inputs(fmt: str) -> list[Path]:
    return sorted(p for p in (FIXTURES / fmt).iterdir() if not p.name.endswith(".yaml"))


@pytest.mark.parametrize("fmt", [f.name for f in FORMATS])
def test_route_table_readers(fmt: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    sources = [p.read_bytes() for p in _inputs(fmt)]

    @fuzz_settings(request)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        raw = data.draw(st.sampled_from(sources))
        damaged = mutate(raw, data.draw)
        path = tmp_path / "rib.txt"
        path.write_bytes(damaged)
        for name in ("auto", fmt):
            ribs = outcome(f"rib {fmt}", lambda n=name: read_routes([path], format_name=n), path)
            if ribs is None:
                continue
            for rib in ribs:
                for route in rib.routes:
                    assert isinstance(route, Route)
                    assert isinstance(route.prefix, Prefix)
                    assert route.line is None or route.line >= 1
                    assert all(isinstance(a, int) for a in route.as_path)

    run()


# ---------------------------------------------------------------------------------------------
# the catalog loader


CATALOG_FILES = [
    "catalog.yaml",
    "communities.yaml",
    "community-mapping.yaml",
    "range-sets.yaml",
    "additional-endpoints/seed-16.yaml",
    "endpoints/china/2025-12-01.yaml",
]


def test_catalog_loader(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    bundled = bundled_catalog_dir()
    originals = {name: (bundled / name).read_bytes() for name in CATALOG_FILES}

    @fuzz_settings(request)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        root = tmp_path / "catalog"
        shutil.rmtree(root, ignore_errors=True)
        for name, body in originals.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(body)
        victim = data.draw(st.sampled_from(CATALOG_FILES))
        (root / victim).write_bytes(mutate(originals[victim], data.draw))
        catalog = outcome("catalog loader", lambda: load_catalog([root]), root)
        if catalog is not None:
            for snap in catalog.snapshots:
                assert all(isinstance(p, Prefix) for es in snap.endpoint_sets for p in es.prefixes)

    run()


# ---------------------------------------------------------------------------------------------
# the web service's formats


def _endpoints_json() -> bytes:
    catalog = load_catalog(include_user=False)
    snap = next(s for s in catalog.snapshots if s.instance == "China")
    return json.dumps([endpoint_set_to_json(es) for es in snap.endpoint_sets], indent=1).encode()


def test_webservice_importer(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    original = _endpoints_json()

    @fuzz_settings(request)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        path = tmp_path / "endpoints.json"
        path.write_bytes(mutate(original, data.draw))

        def read() -> Any:
            node = load_document(path, what="endpoints file")
            return snapshot_from_json(
                node,
                instance="China",
                version=None,
                retrieved=dt.date(2026, 1, 1),
                provenance=Provenance("fuzz"),
            )

        snap = outcome("web-service importer", read, path)
        if snap is not None:
            assert all(isinstance(es.id, int) for es in snap.endpoint_sets)

    run()


CHANGES = json.dumps(
    [
        {
            "id": 7,
            "endpointSetId": 1,
            "disposition": "Change",
            "impact": "AddedIp",
            "version": "2026010100",
            "add": {
                "effectiveDate": "20260201",
                "ips": ["52.95.0.0/16", "2603:1006::/40"],
                "urls": ["*.outlook.com"],
            },
        },
        {
            "id": 8,
            "endpointSetId": 2,
            "disposition": "Change",
            "impact": "ChangedIsExpressRoute",
            "version": "2026010100",
            "previous": {"expressRoute": True},
            "current": {"expressRoute": False},
        },
        {
            "id": 9,
            "endpointSetId": 3,
            "disposition": "Remove",
            "version": "2026010100",
            "remove": {"ips": ["40.96.0.0/13"], "urls": ["x.example.com"]},
        },
    ],
    indent=1,
).encode()


def test_changes_reader(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    @fuzz_settings(request)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        path = tmp_path / "changes.json"
        path.write_bytes(mutate(CHANGES, data.draw))
        records = outcome("/changes reader", lambda: read_changes(path), path)
        if records is not None:
            assert all(len(r.version) == 10 for r in records)

    run()


POLICY = (ROOT / "docs" / "policy.md").read_text().split("```yaml\n", 1)[1].split("```")[0]


def test_policy_reader(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    @fuzz_settings(request)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        path = tmp_path / "policy.yaml"
        path.write_bytes(mutate(POLICY.encode(), data.draw))
        outcome("policy reader", lambda: Policy.load(path), path)

    run()


def test_advertisement_reader(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    original = (ROOT / "examples" / "plan" / "nat-pools.txt").read_bytes()

    @fuzz_settings(request)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        path = tmp_path / "nat.txt"
        path.write_bytes(mutate(original, data.draw))
        announced = outcome("advertisement reader", lambda: read_announced(path), path)
        if announced is not None:
            assert all(isinstance(p, Prefix) for p, _ in announced.prefixes)

    run()


def test_topology_reader(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    from routeplan.topology import load_topology  # noqa: PLC0415

    original = (ROOT / "examples" / "topology" / "topology.yaml").read_bytes()
    rib = tmp_path / "rib"
    shutil.copytree(ROOT / "examples" / "topology" / "rib", rib)

    @fuzz_settings(request)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        path = tmp_path / "topology.yaml"
        path.write_bytes(mutate(original, data.draw))
        topo = outcome("topology reader", lambda: load_topology(path), path)
        if topo is not None:
            assert all(link.cost > 0 for link in topo.links)

    run()
