"""The importers: every public snapshot round-trips, the bundled catalog is what the importer
makes, and bad input says what and where."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from routeplan.catalog import build
from routeplan.catalog.records import snapshot_from_node, snapshot_to_doc
from routeplan.catalog.webservice import snapshot_from_json, snapshot_to_json
from routeplan.errors import InputError
from routeplan.model import Provenance
from routeplan.yamlio import Node, dump_yaml, parse_yaml
from tests.helpers import ROOT, shared_data

SNAPSHOT_GLOB = "m365-endpoints/*/*.json"


def _snapshot_files() -> list[Path]:
    data = shared_data()
    return sorted(p for p in data.glob(SNAPSHOT_GLOB) if "api-format" not in str(p))


def _import(data: object, source: str = "test.json") -> object:
    return snapshot_from_json(
        Node(data, source, (), None),
        instance="Worldwide",
        version=None,
        retrieved=dt.date(2025, 12, 1),
        provenance=Provenance("test"),
    )


@pytest.mark.shared
def test_every_snapshot_round_trips_exactly() -> None:
    files = _snapshot_files()
    assert len(files) == 9
    quirks = set()
    for path in files:
        original = json.loads(path.read_text(encoding="utf-8"))
        snap = _import(original, str(path))
        # JSON -> model -> catalog YAML -> model -> JSON gives back the published JSON
        text = dump_yaml(snapshot_to_doc(snap))  # type: ignore[arg-type]
        again = snapshot_from_node(Node(parse_yaml(text, source="x"), "x", (), text))
        assert again == snap, path.name
        assert snapshot_to_json(again) == original, path.name
        for item in original:
            quirks.update(item.get(k) for k in ("tcpPorts", "udpPorts") if k in item)
    assert {"443,80", "143, 587, 993, 995", ""} <= quirks  # the quirks were really exercised


@pytest.mark.shared
def test_port_quirks_compare_as_sets() -> None:
    data = shared_data()
    path = data / "m365-endpoints/worldwide/worldwide_2025-12-01_capture.json"
    snap = _import(json.loads(path.read_text(encoding="utf-8")))
    by_id = {es.id: es for es in snap.endpoint_sets}  # type: ignore[attr-defined]
    assert by_id[2].tcp_ports_text == "143, 587, 993, 995"
    assert set(by_id[2].tcp_ports) == {143, 587, 993, 995}
    reversed_sets = [es for es in snap.endpoint_sets if es.tcp_ports_text == "443,80"]  # type: ignore[attr-defined]
    assert reversed_sets
    assert all(es.tcp_ports == by_id[1].tcp_ports for es in reversed_sets)


@pytest.mark.shared
def test_bundled_catalog_is_what_the_importer_makes(tmp_path: Path) -> None:
    data = shared_data()
    files = build.build(ROOT / "catalog" / "sources.yaml", data, ROOT / "catalog")
    assert len(files) == 17  # 9 snapshots, 5 row tables, communities, 2 Azure lists
    for path, text in files.items():
        assert path.read_text(encoding="utf-8") == text, f"{path} differs from a fresh import"


def _set(**fields: object) -> dict[str, object]:
    """A valid web-service endpoint set, with some fields replaced or added."""
    item: dict[str, object] = {
        "id": 1,
        "serviceArea": "Exchange",
        "expressRoute": True,
        "category": "Allow",
        "required": True,
    }
    item.update(fields)
    return item


def test_empty_list_is_refused() -> None:
    with pytest.raises(InputError, match="no endpoint sets"):
        _import([])


def test_duplicate_set_id_names_both_places() -> None:
    with pytest.raises(InputError) as info:
        _import([_set(), _set(serviceArea="Skype")])
    assert "duplicate endpoint set id 1" in str(info.value)
    assert "[1].id" in str(info.value)


def test_host_bits_name_the_key_path() -> None:
    item = _set(id=7, ips=["10.0.0.0/8", "52.96.0.1/14"])
    with pytest.raises(InputError) as info:
        _import([item])
    assert "test.json: [0].ips[1]: host bits set in prefix '52.96.0.1/14'" in str(info.value)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (_set(id="1"), "expected a whole number"),
        (_set(id=-3), "must not be negative"),
        (_set(expressRoute="yes"), "expected true or false"),
        (_set(category="Best"), "unknown category"),
        (_set(tcpPorts="80;443"), "not a port list"),
        (_set(colour="red"), "unknown endpoint-set field"),
    ],
)
def test_bad_fields(item: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        _import([item])


def test_catalog_yaml_errors_carry_the_line(tmp_path: Path) -> None:
    text = (
        "schema: routeplan/endpoints/1\ninstance: Worldwide\nversion: null\n"
        "retrieved: 2025-12-01\nprovenance: {document: x}\nendpoint_sets:\n"
        "  - id: 1\n    service_area: Exchange\n    category: Allow\n    express_route: true\n"
        "    required: true\n    ips:\n      - 10.0.0.1/24\n"
    )
    with pytest.raises(InputError) as info:
        snapshot_from_node(Node(parse_yaml(text, source="w.yaml"), "w.yaml", (), text))
    assert str(info.value).startswith("w.yaml:13: endpoint_sets[0].ips[0]: host bits set")


def test_malformed_yaml_has_a_line() -> None:
    with pytest.raises(InputError) as info:
        parse_yaml("a: [1, 2\nb: 3\n", source="bad.yaml")
    assert "bad.yaml:" in str(info.value)
    assert "malformed YAML" in str(info.value)


def test_yaml_alias_bombs_are_refused() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    with pytest.raises(InputError, match="aliases"):
        parse_yaml("\n".join(lines), source="bomb.yaml")


def test_yaml_tags_do_not_construct_objects() -> None:
    with pytest.raises(InputError, match="malformed YAML"):
        parse_yaml("x: !!python/object/apply:os.system ['true']\n", source="evil.yaml")
