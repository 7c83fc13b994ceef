"""`routeplan review`: the cut-over example in four formats (Markdown and JSON golden files),
the verdict rules, catalog version reviews checked against an independent computation, the
change feed, and the HTML report in a real headless Chromium."""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path

import pytest

from routeplan.catalog.changes import ChangeRecord, apply_changes, read_changes
from routeplan.catalog.query import CatalogView
from routeplan.errors import ExitStatus, InputError
from routeplan.model import parse_prefix
from tests.helpers import ROOT, assert_golden, headless_chromium, run_cli, shared_data

EX = ROOT / "examples" / "review"
GOLDEN = Path(__file__).parent / "golden" / "review"
ARTIFACTS = ROOT / "test-artifacts"
CUTOVER = [
    "review",
    "--before",
    str(EX.relative_to(ROOT) / "before-edge1.txt"),
    "--after",
    str(EX.relative_to(ROOT) / "after-edge1.txt"),
    "--communities",
    "12076:5010,12076:5030,12076:5100",
    "--communities-after",
    "12076:5010,12076:5020,12076:5030,12076:5100",
]


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """File names in reports are as given: run from the repository root like a user."""
    monkeypatch.chdir(ROOT)


def _golden(name: str, text: str) -> None:
    assert_golden(f"review/{name}", text)


@pytest.mark.parametrize(("fmt", "name"), [("markdown", "cutover.md"), ("json", "cutover.json")])
def test_cutover_golden(fmt: str, name: str) -> None:
    result = run_cli(*CUTOVER, "-o", fmt)
    assert result.status == ExitStatus.FINDINGS  # blocking: the summary route was load-bearing
    _golden(name, result.stdout)


def test_cutover_says_what_happened() -> None:
    doc = json.loads(run_cli(*CUTOVER, "-o", "json").stdout)
    assert doc["verdict"] == "blocking"
    moves = {m["prefix"]: m for m in doc["moves"]}
    # the forgotten prefix: carried by the removed summary, now via the default route
    lost = moves["40.104.0.0/15"]
    assert (lost["actual_before"], lost["actual_after"]) == ("expressroute", "internet")
    assert lost["causes"] == ["routes"]
    assert lost["endpoint_sets"] == [1, 2]
    assert lost["rows"] == [3]
    assert lost["route_after"] == "examples/review/after-edge1.txt:10"
    # SharePoint joins ExpressRoute because the route filter now allows 12076:5020
    sharepoint = [m for m in doc["moves"] if m["service_areas"] == ["SharePoint"]]
    assert all(m["intended_after"] == "expressroute" for m in sharepoint)
    assert "route filter" in moves["13.107.136.0/22"]["causes"]
    assert doc["plan"]["communities_added"] == ["12076:5020"]
    statuses = {(f["status"], f["code"], f["prefix"]) for f in doc["findings"]}
    assert statuses == {
        ("new", "er-prefix-via-internet", "40.104.0.0/15"),
        ("resolved", "unselected-via-expressroute", "40.108.128.0/17"),
    }
    removed = [r for r in doc["routes"] if r["op"] == "removed"]
    assert [r["prefix"] for r in removed] == ["40.96.0.0/12"]


def test_csv_has_one_line_per_changed_prefix() -> None:
    text = run_cli(*CUTOVER, "-o", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    doc = json.loads(run_cli(*CUTOVER, "-o", "json").stdout)
    assert [r["prefix"] for r in rows] == [m["prefix"] for m in doc["moves"]]
    assert len({r["prefix"] for r in rows}) == len(rows)
    first = next(r for r in rows if r["prefix"] == "40.104.0.0/15")
    assert first["before"] == "expressroute"
    assert first["after"] == "internet"


def test_same_inputs_same_bytes_and_timestamp_on_request() -> None:
    for fmt in ("markdown", "html", "json", "csv"):
        assert run_cli(*CUTOVER, "-o", fmt).stdout == run_cli(*CUTOVER, "-o", fmt).stdout
    stamped = json.loads(run_cli(*CUTOVER, "-o", "json", "--timestamp").stdout)
    assert "generated" in stamped
    assert "generated" not in json.loads(run_cli(*CUTOVER, "-o", "json").stdout)


def test_fail_on_follows_the_verdict() -> None:
    assert run_cli(*CUTOVER, "--fail-on", "never").status == ExitStatus.OK
    same = ["review", "--routes", "examples/review/after-edge1.txt"]
    # the same tables and plan on both sides: no impact
    result = run_cli(*same, "-o", "json", "--fail-on", "info")
    assert json.loads(result.stdout)["verdict"] == "no impact"
    assert result.status == ExitStatus.OK
    # only the route filter changes: review needed, an error only for --fail-on warning
    changed = [*same, "--communities", "12076:5010", "--communities-after", "12076:5010,12076:5020"]
    assert json.loads(run_cli(*changed, "-o", "json").stdout)["verdict"] == "review needed"
    assert run_cli(*changed).status == ExitStatus.OK
    assert run_cli(*changed, "--fail-on", "warning").status == ExitStatus.FINDINGS


def test_report_written_atomically_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "review.html"
    result = run_cli(*CUTOVER, "-o", "html", "--out", str(out))
    assert result.status == ExitStatus.FINDINGS
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert "blocking" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--routes", "x.txt", "--before", "y.txt", "--after", "z.txt"], "not both"),
        (["--before", "examples/review/before-edge1.txt"], "go together"),
        (["--catalog-after", "2025-12-01", "--changes", "c.json"], "not both"),
        (["--catalog-before", "1999-01-01"], "unknown Worldwide version"),
    ],
)
def test_usage_mistakes(args: list[str], message: str) -> None:
    result = run_cli("review", *args)
    assert result.status == ExitStatus.USAGE
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_plan_files_as_the_two_sides(tmp_path: Path) -> None:
    before = tmp_path / "before.json"
    after = tmp_path / "after.json"
    before.write_text(run_cli("plan", "--communities", "12076:5010", "-o", "json").stdout)
    after.write_text(run_cli("plan", "--communities", "12076:5010,12076:5030", "-o", "json").stdout)
    doc = json.loads(
        run_cli(
            "review", "--plan-before", str(before), "--plan-after", str(after), "-o", "json"
        ).stdout
    )
    assert doc["plan"]["communities_added"] == ["12076:5030"]
    skype = [m for m in doc["moves"] if m["service_areas"] == ["Skype"]]
    assert skype
    assert all(m["causes"] == ["route filter"] for m in skype)
    bad = tmp_path / "not-a-plan.json"
    bad.write_text('{"schema": "routeplan/diff/1"}')
    result = run_cli("review", "--plan-before", str(bad))
    assert result.status == ExitStatus.INPUT
    assert "routeplan plan" in result.stderr


# ---------------------------------------------------------------------------------------------
# catalog versions: against an independent computation from the published JSON


def _raw_sets(path: Path) -> dict[int, tuple[bool, set[str]]]:
    data = json.loads(path.read_text())
    return {item["id"]: (bool(item.get("expressRoute")), set(item.get("ips", []))) for item in data}


@pytest.mark.shared
def test_2021_against_newest_reports_every_expressroute_set_correctly() -> None:
    data = shared_data() / "m365-endpoints" / "worldwide"
    old = _raw_sets(data / "worldwide_2021-10_nebula.json")
    new = _raw_sets(data / "worldwide_2025-12-01_capture.json")
    doc = json.loads(
        run_cli(
            "review", "--catalog-before", "2021-10-11", "-o", "json", "--fail-on", "never"
        ).stdout
    )
    assert doc["before"]["catalog"]["version"] == "2021-10-11"
    assert doc["after"]["catalog"]["version"] == "2025-12-01"
    reported: dict[tuple[int, str], set[str]] = {}
    for d in doc["catalog"]:
        if d["prefix"] is not None:
            reported.setdefault((d["endpoint_set"], d["kind"]), set()).add(d["prefix"])
    checked = 0
    for set_id in sorted(set(old) | set(new)):
        er = (old.get(set_id) or new[set_id])[0] or (new.get(set_id) or old[set_id])[0]
        if not er:
            continue
        was = {str(parse_prefix(p)) for p in (old[set_id][1] if set_id in old else set())}
        now = {str(parse_prefix(p)) for p in (new[set_id][1] if set_id in new else set())}
        assert reported.get((set_id, "prefix-added"), set()) == now - was, set_id
        assert reported.get((set_id, "prefix-removed"), set()) == was - now, set_id
        checked += 1
    assert checked >= 10


# ---------------------------------------------------------------------------------------------
# the change feed


def test_change_feed_is_applied_and_its_impact_reported(
    tmp_path: Path, worldwide: CatalogView
) -> None:
    exchange = next(es for es in worldwide.snapshot.endpoint_sets if es.id == 1)
    feed = [
        {
            "id": 9001,
            "endpointSetId": 1,
            "disposition": "Change",
            "impact": "AddedIp",
            "version": "2026010100",
            "add": {"effectiveDate": "20260201", "ips": ["52.95.0.0/16"]},
        },
        {
            "id": 9002,
            "endpointSetId": 1,
            "disposition": "Change",
            "impact": "RemovedIpOrUrl",
            "version": "2026010100",
            "remove": {"ips": [str(exchange.prefixes[0])]},
        },
    ]
    path = tmp_path / "changes.json"
    path.write_text(json.dumps(feed, indent=1))
    result = run_cli("review", "--changes", str(path), "-o", "json", "--fail-on", "never")
    doc = json.loads(result.stdout)
    assert doc["verdict"] == "review needed"
    assert doc["after"]["catalog"]["version"] == "2026010100"
    added = [d for d in doc["catalog"] if d["kind"] == "prefix-added"]
    assert added == [
        {
            "kind": "prefix-added",
            "endpoint_set": 1,
            "service_area": "Exchange",
            "express_route": True,
            "prefix": "52.95.0.0/16",
            "detail": "",
            "impact": "AddedIp",
            "effective_date": "20260201",
            "change_version": "2026010100",
            "url": None,
        }
    ]
    removed = [d for d in doc["catalog"] if d["kind"] == "prefix-removed"]
    assert [d["prefix"] for d in removed] == [str(exchange.prefixes[0])]
    assert removed[0]["impact"] == "RemovedIpOrUrl"
    assert "52.95.0.0/16" in doc["plan"]["expressroute_added"]


def test_apply_changes_flips_the_expressroute_flag(worldwide: CatalogView) -> None:
    record = ChangeRecord(
        id=1,
        set_id=1,
        disposition="change",
        version="2026010100",
        impact="ChangedIsExpressRoute",
        previous=(("expressRoute", True),),
        current=(("expressRoute", False),),
    )
    after = apply_changes(worldwide.snapshot, [record])
    assert record.express_route_flip == (True, False)
    assert next(es for es in after.endpoint_sets if es.id == 1).express_route is False
    assert next(es for es in worldwide.snapshot.endpoint_sets if es.id == 1).express_route


def test_published_change_feed_examples_read() -> None:
    data = shared_data() / "m365-endpoints" / "api-format-examples"
    records = read_changes(data / "changes_worldwide_since_2018062700.example.json")
    assert [(r.id, r.set_id, r.disposition) for r in records] == [
        (3, 33, "change"),
        (4, 45, "change"),
    ]
    assert str(records[0].removed_ips[0]) == "65.55.127.0/24"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '[{"id": 1, "endpointSetId": 2, "disposition": "Moved", "version": "2024010100"}]',
            "unknown disposition",
        ),
        ('[{"id": 1, "endpointSetId": 2, "disposition": "Add", "version": "2024"}]', "YYYYMMDDNN"),
        (
            '[{"id": 1, "endpointSetId": 2, "disposition": "Add", "version": "2024010100",'
            ' "add": {"ips": ["10.0.0.1/8"]}}]',
            "host bits",
        ),
        ('{"error": "Version is invalid"}', "returned an error"),
    ],
)
def test_bad_change_feeds_name_the_problem(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "changes.json"
    path.write_text(body)
    with pytest.raises(InputError, match=message) as caught:
        read_changes(path)
    assert str(path) in str(caught.value)


# ---------------------------------------------------------------------------------------------
# the HTML report in a real browser


def test_html_report_in_headless_chromium(tmp_path: Path) -> None:
    page = tmp_path / "review.html"
    assert run_cli(*CUTOVER, "-o", "html", "--out", str(page)).status == ExitStatus.FINDINGS
    html = page.read_text()
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html  # self-contained: nothing to fetch

    with headless_chromium(1200, 1000) as browser:
        browser.get(page.as_uri())
        verdict = browser.find_element("id", "verdict")
        assert verdict.is_displayed()
        assert verdict.text == "Change review: BLOCKING"
        chart = browser.find_element("id", "chart")
        assert chart.is_displayed()
        assert chart.size["width"] > 300
        assert len(browser.find_elements("css selector", "#chart rect")) > 10
        problems = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
        assert problems == []
        ARTIFACTS.mkdir(exist_ok=True)
        assert browser.save_screenshot(str(ARTIFACTS / "review-cutover.png"))
        # the console check can fail: an error on the page is seen
        browser.execute_script("console.error('broken')")
        assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def test_sample_in_docs_matches_the_golden_report() -> None:
    """docs/review.md quotes the cut-over report; every quoted line is in the real one."""
    page = (ROOT / "docs" / "review.md").read_text()
    sample = page.split("```markdown\n", 1)[1].split("```", 1)[0]
    report = (GOLDEN / "cutover.md").read_text().splitlines()
    for line in sample.splitlines():
        if line.strip():
            assert line in report, line


def test_a_regrouped_prefix_list_line_is_never_shown_as_a_removal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """2021-10-11 to today: 52.120.0.0/14 became 52.122.0.0/15. Its half that stays on the
    ExpressRoute list is not a removal: the reports say the line narrows and what it drops;
    JSON keeps the literal line changes and says the same in ``expressroute_regrouped``."""
    monkeypatch.chdir(ROOT)
    args = ["--no-user-catalog", "review", "--catalog-before", "2021-10-11", "--fail-on", "never"]
    said = "52.120.0.0/14 narrows to 52.122.0.0/15, which drops 52.120.0.0/15"
    markdown = run_cli(*args).stdout
    assert said in markdown
    assert "- 52.120.0.0/14" not in markdown
    assert "+ 52.122.0.0/15" not in markdown
    html_text = run_cli(*args, "-o", "html").stdout
    assert said in html_text
    assert "- 52.120.0.0/14" not in html_text
    doc = json.loads(run_cli(*args, "-o", "json").stdout)["plan"]
    assert "52.120.0.0/14" in doc["expressroute_removed"]  # the configuration's line change
    assert {
        "before": ["52.120.0.0/14"],
        "after": ["52.122.0.0/15"],
        "joining": [],
        "leaving": ["52.120.0.0/15"],
    } in doc["expressroute_regrouped"]


def test_a_pure_regrouping_says_no_address_changes_path() -> None:
    from routeplan.cidrset import regroupings  # noqa: PLC0415
    from routeplan.compare import PlanDelta  # noqa: PLC0415
    from routeplan.model import parse_prefix as p  # noqa: PLC0415
    from routeplan.report.review import plan_lines  # noqa: PLC0415

    before = [p("52.96.0.0/14"), p("52.100.0.0/14"), p("40.96.0.0/13")]
    after = [p("52.96.0.0/13"), p("40.96.0.0/13"), p("13.107.6.152/31")]
    removed, added = sorted(set(before) - set(after)), sorted(set(after) - set(before))
    delta = PlanDelta(
        expressroute_added=tuple(added),
        expressroute_removed=tuple(removed),
        expressroute_regrouped=tuple(regroupings(removed, added, before, after)),
    )
    regrouped, diff = plan_lines(delta, "expressroute")
    assert regrouped == [
        "52.96.0.0/14 and 52.100.0.0/14 now one entry 52.96.0.0/13: no address changes path"
    ]
    assert diff == ["+ 13.107.6.152/31"]  # the one real addition; no removal at all


@pytest.mark.parametrize(
    "args",
    [
        [
            "--before",
            "examples/review/before-edge1.txt",
            "--after",
            "examples/review/after-edge1.txt",
        ],
        ["--catalog-before", "2021-10-11", "--routes", "examples/rib/edge1-show-ip-bgp.txt"],
        ["--communities", "12076:5010", "--communities-after", "12076:5010,12076:5020"],
    ],
    ids=["routes", "catalog", "route-filter"],
)
def test_html_and_markdown_carry_the_same_sections(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The two human formats of one review: every section heading of one is in the other,
    in the same order (a section left out of HTML was how they drifted)."""
    import re  # noqa: PLC0415

    monkeypatch.chdir(ROOT)
    base = ["--no-user-catalog", "review", *args, "--fail-on", "never"]
    markdown = run_cli(*base).stdout
    page = run_cli(*base, "-o", "html").stdout
    md_sections = re.findall(r"^## (.+)$", markdown, re.M)
    html_sections = [html.unescape(t) for t in re.findall(r"<h2>(.*?)</h2>", page)]
    assert md_sections == html_sections
    assert len(md_sections) >= 6


def test_title_change_id_and_author_head_every_format(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.helpers import assert_valid_contract  # noqa: PLC0415

    monkeypatch.chdir(ROOT)
    base = [
        "--no-user-catalog", "review", "--before", "examples/review/before-edge1.txt",
        "--after", "examples/review/after-edge1.txt", "--fail-on", "never",
        "--title", "Edge1 <cutover>", "--change-id", "CHG0042", "--author", "A. Engineer",
    ]  # fmt: skip
    markdown = run_cli(*base).stdout
    assert markdown.startswith("# Edge1 \\<cutover\\>: BLOCKING")
    assert "- Change: CHG0042" in markdown
    assert "- Author: A. Engineer" in markdown
    page = run_cli(*base, "-o", "html").stdout
    assert "Edge1 &lt;cutover&gt;: BLOCKING" in page
    assert "Change: CHG0042" in page
    doc = json.loads(run_cli(*base, "-o", "json").stdout)
    assert doc["change"] == {"title": "Edge1 <cutover>", "id": "CHG0042", "author": "A. Engineer"}
    assert_valid_contract(doc, "review with --title")
    assert run_cli(*base).stdout == markdown  # still the same bytes run after run
    fleet = run_cli(
        "--no-user-catalog", "review", "--routes", "a=examples/rib/edge1-show-ip-bgp.txt",
        "--routes", "b=examples/netbox/edge1-ok.txt", "--communities-after", "12076:5010",
        "--change-id", "CHG0042", "-o", "json", "--fail-on", "never",
    )  # fmt: skip
    fleet_doc = json.loads(fleet.stdout)
    assert fleet_doc["change"] == {"id": "CHG0042"}
    assert_valid_contract(fleet_doc, "fleet review with --change-id")
