"""The NetBox adapter and the public API, with plain stand-ins for NetBox's objects: no Django,
no NetBox. The real thing is tests/netbox/integration.py."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import netaddr
import pytest

import routeplan
from routeplan import netbox
from routeplan.catalog.query import CatalogView
from routeplan.errors import InputError
from tests.helpers import ROOT

EDGE_OK = ROOT / "examples" / "netbox" / "edge1-ok.txt"
SELECTION = ["12076:5010", "12076:5030", "12076:5100"]


@dataclass
class Tag:
    slug: str
    name: str


class TagManager:
    """Like django-taggit's manager: tags come from .all()."""

    def __init__(self, *slugs: str) -> None:
        self._tags = [Tag(s, s.replace("-", " ").title()) for s in slugs]

    def all(self) -> list[Tag]:
        return self._tags


@dataclass
class Site:
    name: str


@dataclass
class NbPrefix:
    prefix: netaddr.IPNetwork
    tags: TagManager
    status: str = "active"
    site: Site | None = None
    vrf: Any = None


@dataclass
class FakeScript:
    """Records what NetBox's Script would log."""

    logged: list[tuple[str, str, Any]] = field(default_factory=list)
    output: str | None = None

    def log_success(self, message: str, obj: Any = None) -> None:
        self.logged.append(("success", message, obj))

    def log_info(self, message: str, obj: Any = None) -> None:
        self.logged.append(("info", message, obj))

    def log_warning(self, message: str, obj: Any = None) -> None:
        self.logged.append(("warning", message, obj))

    def log_failure(self, message: str, obj: Any = None) -> None:
        self.logged.append(("failure", message, obj))


class AbortScript(Exception):
    pass


def prefix(text: str, *tags: str, status: str = "active") -> NbPrefix:
    return NbPrefix(netaddr.IPNetwork(text), TagManager(*tags), status, Site("AMS1"))


GOOD = prefix("198.51.99.0/24", "expressroute-nat")
BAD = prefix("10.20.0.0/16", "expressroute-nat")
PLANNED = prefix("192.0.3.0/24", "expressroute-nat", status="planned")


def test_as_prefixes_takes_every_form() -> None:
    values = [
        "192.0.2.0/24",
        routeplan.parse_prefix("2001:db8::/32"),
        ipaddress.ip_network("198.51.100.0/24"),
        netaddr.IPNetwork("203.0.113.7/24"),  # NetBox allows host bits in a prefix field
        netaddr.IPSet(["10.0.0.0/25", "10.0.0.128/25"]),
        GOOD,
    ]
    assert [str(p) for p in routeplan.as_prefixes(values)] == [
        "192.0.2.0/24",
        "2001:db8::/32",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "10.0.0.0/24",
        "198.51.99.0/24",
    ]
    with pytest.raises(InputError, match="cannot read a prefix from int") as caught:
        routeplan.as_prefixes(["192.0.2.0/24", 42], source="form")
    assert caught.value.path == (1,)


def test_prefix_sets_follow_the_conventions() -> None:
    inbound = prefix("198.51.99.40/32", "m365-inbound")
    route = prefix("52.96.0.0/14", "m365-via-expressroute")
    sets = netbox.prefix_sets([GOOD, BAD, PLANNED, inbound, route])
    assert [str(p) for p, _ in sets.advertise.prefixes] == ["198.51.99.0/24", "10.20.0.0/16"]
    assert [str(p) for p, _ in sets.inbound.prefixes] == ["198.51.99.40/32"]
    assert sets.expected is not None
    assert [(str(r.prefix), r.protocol) for r in sets.expected.routes] == [
        ("52.96.0.0/14", "stated-expressroute")
    ]
    assert sets.object_for(routeplan.parse_prefix("10.20.0.0/16")) is BAD
    # a different convention: another tag, and planned prefixes count too
    other = netbox.Conventions(advertise_tag="Expressroute Nat", statuses=())
    names = netbox.prefix_sets([GOOD, PLANNED], other)
    assert [str(p) for p, _ in names.advertise.prefixes] == ["198.51.99.0/24", "192.0.3.0/24"]


def test_failure_is_logged_on_the_wrong_prefix_and_aborts(worldwide: CatalogView) -> None:
    routes = [routeplan.routes_from_text(EDGE_OK.read_bytes(), name="edge1.txt")]
    check = netbox.check_prefixes(worldwide, [GOOD, BAD], communities=SELECTION, routes=routes)
    script = FakeScript()
    with pytest.raises(AbortScript, match="1 finding"):
        netbox.report_to_script(script, check, abort=AbortScript)
    failures = [entry for entry in script.logged if entry[0] == "failure"]
    assert len(failures) == 1
    _, message, obj = failures[0]
    assert obj is BAD
    assert "adv-not-public" in message
    assert "RFC 1918" in message
    assert script.output is not None
    assert script.output.startswith("# Microsoft 365 over ExpressRoute")
    assert "10.20.0.0/16 site AMS1" in script.output


def test_clean_case_succeeds_with_the_report(worldwide: CatalogView) -> None:
    routes = [routeplan.routes_from_text(EDGE_OK.read_text(), name="edge1.txt")]
    check = netbox.check_prefixes(worldwide, [GOOD], communities=SELECTION, routes=routes)
    script = FakeScript()
    report = netbox.report_to_script(script, check, abort=AbortScript)
    assert [e[0] for e in script.logged] == ["success"]
    assert "no findings" in script.logged[0][1]
    assert report == script.output
    assert "**0 error(s), 0 warning(s), 0 info**" in report


def test_fail_on_decides_when_to_abort(worldwide: CatalogView) -> None:
    check = netbox.check_prefixes(worldwide, [BAD], communities=SELECTION)
    script = FakeScript()
    report = netbox.report_to_script(script, check, fail_on="never")
    assert "adv-not-public" in report
    assert script.logged[-1][0] == "success"
    with pytest.raises(netbox.ChecksFailed):
        netbox.report_to_script(FakeScript(), check)
    with pytest.raises(ValueError, match="fail_on"):
        netbox.report_to_script(FakeScript(), check, fail_on="sometimes")


def test_route_findings_reach_the_script(worldwide: CatalogView) -> None:
    """A NetBox prefix tagged as expected over the Internet that the catalog puts on
    ExpressRoute is a route finding, logged on that prefix."""
    wrong = prefix("52.96.0.0/14", "m365-via-internet")
    check = netbox.check_prefixes(worldwide, [wrong], communities=SELECTION)
    codes = [m.split(":")[0] for _, m, _ in check.findings()]
    assert "er-prefix-via-internet" in codes
    obj = next(f[2] for f in check.findings() if "52.96.0.0/14" in f[1])
    assert obj is wrong


def test_repeated_calls_in_one_process_give_the_same_answer() -> None:
    view = routeplan.catalog_view(routeplan.load_catalog(include_user=False))
    first = netbox.markdown(netbox.check_prefixes(view, [GOOD, BAD], communities=SELECTION))
    for _ in range(3):
        view = routeplan.catalog_view(routeplan.load_catalog(include_user=False))
        again = netbox.check_prefixes(view, [GOOD, BAD], communities=SELECTION)
        assert netbox.markdown(again) == first


def test_public_api_end_to_end(tmp_path: Path) -> None:
    view = routeplan.catalog_view(routeplan.load_catalog(include_user=False))
    plan = routeplan.make_plan(view, communities=SELECTION)
    result = routeplan.check(plan, routeplan.routes_from_files([EDGE_OK]))
    assert result.findings == ()
    config = routeplan.configuration(
        plan, "junos", names={"import-policy": "FROM-MS"}, advertise=[GOOD]
    )
    assert "policy-statement FROM-MS" in config
    assert "198.51.99.0/24 exact" in config
    findings = routeplan.lint_announcements(view, [routeplan.announced([BAD], name="nb")])
    assert [f.code.value for f in findings] == ["adv-not-public"]
    assert set(routeplan.__all__) >= {"make_plan", "check", "build_review", "as_prefixes"}


def test_public_api_review() -> None:
    """A route-filter change reviewed through the library, as a NetBox script would."""
    from routeplan.report.review import render_markdown  # noqa: PLC0415

    view = routeplan.catalog_view(routeplan.load_catalog(include_user=False))
    before = routeplan.make_plan(view, communities=["12076:5010"])
    after = routeplan.make_plan(view, communities=["12076:5010", "12076:5030"])
    rib = routeplan.routes_from_files([EDGE_OK])
    result = routeplan.review(view, before, plan_after=after, routes_before=rib)
    assert result.verdict.value == "review needed"
    assert [str(c) for c in result.plan_delta.communities_added] == ["12076:5030"]
    assert render_markdown(result).startswith("# Change review: REVIEW NEEDED")


def test_a_stale_catalog_is_logged_on_the_job(
    worldwide: CatalogView, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROUTEPLAN_TODAY", "2026-12-02")
    routes = [routeplan.routes_from_text(EDGE_OK.read_text(), name="edge1.txt")]
    check = netbox.check_prefixes(worldwide, [GOOD], communities=SELECTION, routes=routes)
    script = FakeScript()
    report = netbox.report_to_script(script, check, abort=AbortScript)
    warnings = [m for kind, m, _ in script.logged if kind == "warning"]
    assert len(warnings) == 1
    assert "366 days old" in warnings[0]
    assert "STALE" in report


def test_the_report_keeps_hostile_names_as_text(worldwide: CatalogView) -> None:
    """A site named like HTML or a link, and an upload named so, reach the script's Markdown
    output as text (issue: hostile input, item 9)."""
    from markdown_it import MarkdownIt  # noqa: PLC0415

    hostile = "<script>alert(1)</script>[x](javascript:alert(2))"
    bad = NbPrefix(
        netaddr.IPNetwork("10.20.0.0/16"), TagManager("expressroute-nat"), "active", Site(hostile)
    )
    routes = [routeplan.routes_from_text(EDGE_OK.read_text(), name=hostile + ".txt")]
    check = netbox.check_prefixes(worldwide, [GOOD, bad], communities=SELECTION, routes=routes)
    report = netbox.markdown(check)
    assert "alert(1)" in report
    html = MarkdownIt("commonmark", {"html": True}).render(report)
    assert "<script" not in html
    assert 'href="javascript:' not in html
