"""The targeted collection (``routeplan collect commands``): which commands, and how their
concatenated output reads. tests/lab runs the commands on a real FRR and requires the same
findings as the full table."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path

import pytest

import routeplan
from routeplan.catalog.query import CatalogView
from routeplan.collect import targeted_commands
from routeplan.errors import ExitStatus, UsageError
from routeplan.rib import read_routes
from tests.helpers import run_cli

# FRR 8's answers, as the lab's edge printed them: a lookup of a prefix the table does not
# hold, one whose longest match is the default route (an address lookup, detail form), and a
# longer-prefixes table
EMPTY = "{\n}\n"
DEFAULT = """{
  "prefix":"0.0.0.0/0",
  "version":4,
  "paths":[
    {
      "aspath":{"string":"64600","segments":[{"type":"as-sequence","list":[64600]}],"length":1},
      "origin":"IGP",
      "valid":true,
      "version":4,
      "bestpath":{"overall":true,"selectionReason":"First path received"},
      "nexthops":[{"ip":"10.255.2.2","afi":"ipv4","metric":0,"accessible":true,"used":true}],
      "peer":{"peerId":"10.255.2.2","routerId":"10.255.2.2","type":"external"}
    }
  ]
}
"""
TABLE = """{
 "vrfId": 0,
 "vrfName": "default",
 "tableVersion": 2035,
 "routerId": "10.255.1.1",
 "defaultLocPrf": 100,
 "localAS": 65010,
 "routes": { "52.96.0.0/14": [{"valid":true,"bestpath":true,"selectionReason":"First path received","pathFrom":"external","prefix":"52.96.0.0","prefixLen":14,"network":"52.96.0.0/14","version":1808,"weight":0,"peerId":"10.255.1.2","path":"12076","origin":"IGP","nexthops":[{"ip":"10.255.1.2","afi":"ipv4","used":true}]}]
 }  }
"""  # noqa: E501  (FRR prints each destination on one line)


@pytest.fixture
def view() -> CatalogView:
    return routeplan.catalog_view(routeplan.load_catalog(include_user=False))


def test_every_plan_prefix_and_every_prefix_that_could_cover_it_is_asked(
    view: CatalogView,
) -> None:
    plan = routeplan.make_plan(view, communities=["12076:5010", "12076:5030"])
    found = targeted_commands(plan, "frr")
    inside = {c.split()[4] for c in found.commands if c.endswith("longer-prefixes json")}
    lookups = {c.split()[4] for c in found.commands if c.count(" ") == 5 and "regexp" not in c}
    nets = {ipaddress.ip_network(str(e.prefix)) for e in plan.entries}
    assert inside == {str(n) for n in nets}
    want = {str(n.supernet(new_prefix=length)) for n in nets for length in range(n.prefixlen)}
    assert lookups == want
    assert {"0.0.0.0/0", "::/0"} <= lookups
    assert "show bgp ipv4 unicast regexp _12076_ json" in found.commands
    assert "show bgp ipv6 unicast regexp _12076_ json" in found.commands
    assert (found.prefixes, found.lookups) == (len(nets), len(want))
    assert len(found.commands) == len(set(found.commands))


def test_a_collection_reads_as_one_table(tmp_path: Path) -> None:
    """Empty lookups, a lookup in detail form and tables, one after another; a path that two
    commands printed is one path."""
    capture = tmp_path / "collected.json"
    capture.write_text(EMPTY * 3 + DEFAULT + EMPTY + TABLE + TABLE)
    [got] = read_routes([capture])
    assert got.format == "frr-json"
    routes = [(str(r.prefix), r.next_hop, r.as_path, r.best, r.peer) for r in got.routes]
    assert routes == [
        ("0.0.0.0/0", "10.255.2.2", (64600,), True, "10.255.2.2"),
        ("52.96.0.0/14", "10.255.1.2", (12076,), True, "10.255.1.2"),
    ]
    assert got.routes[0].line == 7  # the lookup's first line, after three empty ones
    single = tmp_path / "table.json"  # one document is read as it is
    single.write_text(TABLE)
    [one] = read_routes([single])
    assert [str(r.prefix) for r in one.routes] == ["52.96.0.0/14"]


def test_a_broken_document_in_a_collection_is_refused_at_its_line(tmp_path: Path) -> None:
    capture = tmp_path / "collected.json"
    capture.write_text(EMPTY + DEFAULT + '{\n "prefix": "10.0.0.0/8",\n "paths": [1,\n')
    with pytest.raises(routeplan.InputError) as caught:
        read_routes([capture])
    assert caught.value.line is not None
    assert caught.value.line >= 20


def test_platforms_without_a_reader_for_their_lookups_are_refused() -> None:
    plan = routeplan.make_plan(routeplan.catalog_view(routeplan.load_catalog(include_user=False)))
    with pytest.raises(UsageError, match="not available for junos yet"):
        targeted_commands(plan, "junos")
    out = run_cli("--no-user-catalog", "collect", "commands", "--platform", "ios")
    assert out.status == ExitStatus.USAGE
    assert "detail view" in out.stderr


def test_the_command_line_lists_the_commands() -> None:
    args = ("--no-user-catalog", "collect", "commands", "--platform", "frr",
            "--communities", "12076:5010")  # fmt: skip
    text = run_cli(*args)
    assert text.status == 0, text.stderr
    doc = json.loads(run_cli(*args, "-o", "json").stdout)
    assert doc["schema"] == "routeplan/collect/1"
    assert text.stdout.splitlines() == doc["commands"]
    assert doc["lookups"] + doc["prefixes"] + 2 == len(doc["commands"])
