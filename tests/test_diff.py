"""The check behind ``routeplan diff`` and the command itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from routeplan.catalog.query import CatalogView
from routeplan.diff import Code, run_check
from routeplan.plan import build_plan
from routeplan.policy import Classifier, PathClass, Policy
from routeplan.rib import read_routes
from tests.helpers import ROOT, run_cli

EXAMPLE = ROOT / "examples" / "rib" / "edge1-show-ip-bgp.txt"


def _rib(tmp_path: Path, routes: list[dict[str, object]], name: str = "rib.json") -> Path:
    f = tmp_path / name
    # one route a line: route i is on line i + 2
    body = ",\n".join(json.dumps(r) for r in routes)
    f.write_text(f'{{"schema": "routeplan/routes/1", "routes": [\n{body}\n]}}\n')
    return f


def _check(view: CatalogView, path: Path, policy: Policy | None = None, **sel: list[str]):
    policy = policy or Policy.default()
    selection = view.selection(sel.get("communities"), sel.get("services"))
    return run_check(build_plan(view, selection), read_routes([path]), policy)


DEFAULT = {"prefix": "0.0.0.0/0", "next_hop": "203.0.113.1", "as_path": [64496]}


def _er(prefix: str, hop: str = "192.0.2.1") -> dict[str, object]:
    return {"prefix": prefix, "next_hop": hop, "as_path": [12076]}


def test_every_catalog_prefix_on_its_path_is_clean(worldwide: CatalogView, tmp_path: Path) -> None:
    sel = worldwide.selection()
    er = [str(e.prefix) for e in worldwide.split(sel).expressroute if e.prefix.version == 4]
    result = _check(worldwide, _rib(tmp_path, [DEFAULT, *(_er(p) for p in er)]))
    assert [f.code for f in result.findings] == []
    assert result.changes == ()
    assert result.not_checked == ("IPv6 not checked: no IPv6 routes in the input",)
    assert result.catalog_prefixes["expressroute"] == len(er)


def test_missing_er_prefix_goes_via_the_default(worldwide: CatalogView, tmp_path: Path) -> None:
    result = _check(worldwide, _rib(tmp_path, [DEFAULT, _er("13.107.6.152/31")]))
    codes = {(f.code, str(f.prefix)) for f in result.findings}
    assert (Code.ER_VIA_INTERNET, "52.96.0.0/14") in codes
    assert (Code.ER_VIA_INTERNET, "13.107.6.152/31") not in codes
    finding = next(f for f in result.findings if str(f.prefix) == "52.96.0.0/14")
    assert finding.expected == "expressroute"
    assert finding.actual == "internet"
    assert finding.route is not None
    assert finding.route.route.line == 2
    assert finding.set_ids == (1, 2)
    assert any(c.op == "+" and str(c.prefix) == "52.96.0.0/14" for c in result.changes)


def test_summary_over_internet_only_addresses(worldwide: CatalogView, tmp_path: Path) -> None:
    result = _check(worldwide, _rib(tmp_path, [DEFAULT, _er("40.64.0.0/13")]))
    io = {str(f.prefix) for f in result.findings if f.code is Code.INTERNET_ONLY_VIA_ER}
    assert "40.69.150.142/32" in io  # row 14's Remote Connectivity Analyzer address
    assert "40.67.121.224/27" in io  # an expressRoute-false endpoint set
    unexpected = [f for f in result.findings if f.code is Code.UNEXPECTED_ER_ROUTE]
    assert [str(f.prefix) for f in unexpected] == ["40.64.0.0/13"]
    assert {c.op for c in result.changes if str(c.prefix) in io} == {"-"}


def test_more_specific_internet_route_splits_an_er_prefix(
    worldwide: CatalogView, tmp_path: Path
) -> None:
    routes = [DEFAULT, _er("52.96.0.0/14"), {**DEFAULT, "prefix": "52.97.0.0/16"}]
    result = _check(worldwide, _rib(tmp_path, routes))
    split = [f for f in result.findings if f.code is Code.SPLIT_PATH]
    assert [str(f.prefix) for f in split] == ["52.96.0.0/14"]
    assert split[0].route is not None
    assert str(split[0].route.route.prefix) == "52.97.0.0/16"


def test_no_route_at_all(worldwide: CatalogView, tmp_path: Path) -> None:
    result = _check(worldwide, _rib(tmp_path, [_er("52.96.0.0/14")]))
    no_route = {str(f.prefix) for f in result.findings if f.code is Code.NO_ROUTE}
    assert "40.96.0.0/13" in no_route
    assert "52.96.0.0/14" not in no_route


def test_route_filter_decides_the_intended_path(worldwide: CatalogView, tmp_path: Path) -> None:
    rib = _rib(tmp_path, [DEFAULT, _er("52.96.0.0/14"), _er("52.104.0.0/14")])
    result = _check(worldwide, rib, communities=["12076:5010"])
    unselected = {str(f.prefix) for f in result.findings if f.code is Code.UNSELECTED_VIA_ER}
    assert unselected == {"52.104.0.0/14"}  # SharePoint, 12076:5020, not in the filter
    assert not any(
        f.code is Code.ER_VIA_INTERNET and str(f.prefix) == "52.104.0.0/14" for f in result.findings
    )


def test_static_route_to_an_expressroute_next_hop(worldwide: CatalogView, tmp_path: Path) -> None:
    routes = [
        DEFAULT,
        _er("52.96.0.0/14"),
        {"prefix": "40.96.0.0/13", "next_hop": "192.0.2.1", "protocol": "static"},
    ]
    result = _check(worldwide, _rib(tmp_path, routes))
    assert not any(str(f.prefix) == "40.96.0.0/13" for f in result.findings)


def test_policy_names_paths(tmp_path: Path) -> None:
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(
        "schema: routeplan/policy/1\n"
        "expressroute:\n  next_hops: [10.9.9.9]\n  communities: ['65000:100']\n"
        "internet:\n  interfaces: [Gi0/0]\n"
    )
    policy = Policy.load(policy_file)
    [got] = read_routes(
        [
            _rib(
                tmp_path,
                [
                    {"prefix": "52.96.0.0/14", "next_hop": "10.9.9.9", "protocol": "static"},
                    {"prefix": "40.96.0.0/13", "communities": ["65000:100"], "as_path": [65001]},
                    {"prefix": "0.0.0.0/0", "next_hop": "10.1.1.1", "interface": "Gi0/0"},
                    {"prefix": "10.0.0.0/8", "protocol": "ospf"},
                    {"prefix": "8.8.8.0/24", "as_path": [12076]},
                ],
            )
        ]
    )
    classifier = Classifier(policy, got.routes)
    paths = [classifier.classify(r)[0] for r in got.routes]
    assert paths == [
        PathClass.EXPRESSROUTE,
        PathClass.EXPRESSROUTE,
        PathClass.INTERNET,
        PathClass.INTERNAL,
        PathClass.EXPRESSROUTE,
    ]


def test_policy_errors_name_file_and_key(tmp_path: Path) -> None:
    f = tmp_path / "policy.yaml"
    f.write_text("schema: routeplan/policy/1\nexpressroute:\n  asns: [12076, nope]\n")
    result = run_cli("diff", "--routes", str(EXAMPLE), "--policy", str(f))
    assert result.status == 3
    assert "policy.yaml:3" in result.stderr
    assert "nope" in result.stderr
    assert "Traceback" not in result.stderr


def test_as_number_matches_whole_numbers_only(tmp_path: Path) -> None:
    [got] = read_routes([_rib(tmp_path, [{"prefix": "52.96.0.0/14", "as_path": [120760]}])])
    path, _ = Classifier(Policy.default(), got.routes).classify(got.routes[0])
    assert path is PathClass.INTERNET


# -- the command ---------------------------------------------------------------------------------


def test_diff_text_on_the_example() -> None:
    result = run_cli("diff", "--routes", str(EXAMPLE))
    assert result.status == 1  # errors, and --fail-on defaults to error
    lines = result.stdout.splitlines()
    assert "+ 52.112.0.0/14            er-prefix-via-internet" in lines
    assert "- 40.69.150.142/32         internet-only-via-expressroute" in lines
    assert any(line.startswith("Errors (5):") for line in lines)
    assert "IPv6 not checked" in result.stdout
    assert lines[-1].startswith("Summary: 5 errors, 1 warnings, 1 info")


def test_diff_json_contract() -> None:
    result = run_cli("diff", "--routes", str(EXAMPLE), "--output", "json", "--fail-on", "never")
    assert result.status == 0
    doc = json.loads(result.stdout)
    assert doc["schema"] == "routeplan/diff/2"
    assert [r["name"] for r in doc["routers"]] == ["edge1-show-ip-bgp"]
    assert doc["fleet"]["routers"] == 1
    assert doc["catalog"]["instance"] == "Worldwide"
    assert doc["inputs"][0]["format"] == "ios-bgp"
    assert doc["inputs"][0]["routes"] == {"ipv4": 71, "ipv6": 0}
    assert doc["summary"]["findings"] == {"error": 5, "warning": 1, "info": 1}
    finding = next(f for f in doc["findings"] if f["code"] == "er-prefix-via-internet")
    assert finding["prefix"] == "52.112.0.0/14"
    assert finding["route"]["as_path"] == [64496]
    assert finding["route"]["line"] == 10
    assert set(finding) >= {"code", "severity", "prefix", "expected", "actual", "route"}
    assert {
        "op": "+",
        "prefix": "52.112.0.0/14",
        "reason": "er-prefix-via-internet",
        "router": "edge1-show-ip-bgp",
    } in doc["changes"]


def test_diff_markdown() -> None:
    result = run_cli("diff", "-r", str(EXAMPLE), "-o", "markdown", "--fail-on", "never")
    assert result.stdout.startswith("# routeplan diff: Worldwide")
    assert "| error | `er-prefix-via-internet` | 52.112.0.0/14 |" in result.stdout


@pytest.mark.parametrize(("fail_on", "status"), [("error", 1), ("warning", 1), ("never", 0)])
def test_fail_on(fail_on: str, status: int) -> None:
    assert run_cli("diff", "-r", str(EXAMPLE), "--fail-on", fail_on).status == status


def test_warnings_only_pass_the_default_fail_on(worldwide: CatalogView, tmp_path: Path) -> None:
    sel = worldwide.selection()
    er = [str(e.prefix) for e in worldwide.split(sel).expressroute if e.prefix.version == 4]
    rib = _rib(tmp_path, [DEFAULT, *(_er(p) for p in er), {**DEFAULT, "prefix": "52.97.0.0/16"}])
    assert run_cli("diff", "-r", str(rib)).status == 0
    assert run_cli("diff", "-r", str(rib), "--fail-on", "warning").status == 1


def test_unknown_format_is_a_usage_error() -> None:
    result = run_cli("diff", "-r", str(EXAMPLE), "--format", "cisco")
    assert result.status == 2
    assert "ios-bgp" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_input_exit_3_and_lenient_exit_4(tmp_path: Path) -> None:
    bad = tmp_path / "rib.txt"
    bad.write_text(EXAMPLE.read_text().replace("0 12076 i\n", "0 12O76 i\n", 1))
    strict = run_cli("diff", "-r", str(bad))
    assert strict.status == 3
    assert f"{bad}:13" in strict.stderr
    assert "Traceback" not in strict.stderr
    lenient = run_cli("diff", "-r", str(bad), "--lenient", "--fail-on", "never")
    assert lenient.status == 4
    assert "1 malformed lines skipped" in lenient.stdout


def test_traceback_only_on_request(tmp_path: Path) -> None:
    empty = tmp_path / "rib.txt"
    empty.write_text("")
    assert "Traceback" not in run_cli("diff", "-r", str(empty)).stderr
    assert "Traceback" in run_cli("--traceback", "diff", "-r", str(empty)).stderr


def test_formats_lists_every_reader() -> None:
    result = run_cli("formats")
    assert result.status == 0
    for name in ("ios-bgp", "junos-json", "azure-ps", "generic-csv", "prefix-list"):
        assert name in result.stdout


SHOW_IP_ROUTE = """\
Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP
Gateway of last resort is 198.51.100.1 to network 0.0.0.0

S*    0.0.0.0/0 [1/0] via 198.51.100.1
      52.0.0.0/8 is variably subnetted, 1 subnets, 1 masks
B        52.96.0.0/14 [20/0] via 192.0.2.1, 1d02h
"""


def _notes(*args: str) -> list[str]:
    out = run_cli("--no-user-catalog", "diff", *args, "-o", "json", "--fail-on", "never")
    assert out.status == 0, out.stderr
    return list(json.loads(out.stdout)["routers"][0]["summary"]["not_checked"])


def test_a_view_without_as_paths_says_it_cannot_tell_the_path(tmp_path: Path) -> None:
    """show ip route prints no AS path: a BGP route via Microsoft's edge reads as internal
    unless the policy names its next hop. The report says so instead of only blaming the
    route; named in the policy, the route is ExpressRoute and the note goes."""
    rib = tmp_path / "route.txt"
    rib.write_text(SHOW_IP_ROUTE)
    notes = _notes("-r", str(rib), "--communities", "12076:5010")
    assert any("1 BGP route(s) with no AS path" in n for n in notes), notes
    policy = tmp_path / "policy.yaml"
    policy.write_text("schema: routeplan/policy/1\nexpressroute:\n  next_hops: [192.0.2.1]\n")
    named = _notes("-r", str(rib), "--communities", "12076:5010", "--policy", str(policy))
    assert not any("no AS path" in n for n in named), named
    # a BGP table prints its paths: no such note
    assert not any("no AS path" in n for n in _notes("-r", str(EXAMPLE)))


def test_a_policy_naming_communities_warns_on_a_view_without_them(tmp_path: Path) -> None:
    """FRR's table JSON prints no communities: a policy that marks paths by community
    cannot match there, and the report says so."""
    frr = ROOT / "tests" / "fixtures" / "rib" / "frr-json" / "lab-edge-bgp-ipv4.json"
    policy = tmp_path / "policy.yaml"
    policy.write_text("schema: routeplan/policy/1\nexpressroute:\n  communities: ['12076:5010']\n")
    notes = _notes("-r", str(frr), "--policy", str(policy))
    assert any("the policy names communities, but no route here carries any" in n for n in notes)
    bird = ROOT / "tests" / "fixtures" / "rib" / "bird" / "lab-edge-route-all.txt"
    assert not any(
        "names communities" in n for n in _notes("-r", str(bird), "--policy", str(policy))
    )
