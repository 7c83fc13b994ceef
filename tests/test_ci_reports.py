"""JUnit XML and SARIF 2.1.0 reports (``-o junit``, ``-o sarif``) of diff, review, plan and
topology check: valid against the schemas CI tools use, and telling the same story as the
JSON contract and the exit status.

The schemas are public files fetched by ``.ci/fetch-schemas`` (from the package registries):
without them the validation tests skip, except under ``ROUTEPLAN_REQUIRE_TOOLS=1`` (CI).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routeplan.model import Severity
from routeplan.report.ci import Case, Issue, Suite, artifact_uri, junit_xml, sarif
from tests.helpers import ROOT, run_cli

SCHEMAS = ROOT / ".cache" / "schemas"
EDGE1 = "examples/rib/edge1-show-ip-bgp.txt"
OK = "examples/netbox/edge1-ok.txt"

RUNS = {
    "diff": ["diff", "-r", EDGE1],
    "diff-fleet": ["diff", "-r", f"ok={OK}", "-r", f"edge1={EDGE1}"],
    "review": [
        "review", "--before", "examples/review/before-edge1.txt",
        "--after", "examples/review/after-edge1.txt",
    ],
    "review-fleet": [
        "review", "--routes", f"edge1={EDGE1}", "--routes", f"ok={OK}",
        "--communities-after", "12076:5010",
    ],
    "plan": [
        "plan", "--communities", "12076:5010,12076:5030,12076:5100",
        "--advertise", "examples/plan/nat-pools.txt",
        "--inbound", "examples/plan/inbound-endpoints.txt", "--routes", EDGE1,
    ],
    "topology": ["topology", "check", "examples/topology/topology.yaml"],
}  # fmt: skip


def _schema(name: str) -> Path:
    path = SCHEMAS / name
    if not path.is_file():
        if os.environ.get("ROUTEPLAN_REQUIRE_TOOLS") == "1":
            pytest.fail(
                f"{path} is required here (ROUTEPLAN_REQUIRE_TOOLS=1): run .ci/fetch-schemas"
            )
        pytest.skip(f"{name} not fetched: run .ci/fetch-schemas")
    return path


@pytest.fixture(scope="module")
def junit_schema() -> Any:
    xmlschema = pytest.importorskip("xmlschema")
    return xmlschema.XMLSchema(str(_schema("junit-10.xsd")))


@pytest.fixture(scope="module")
def sarif_validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(_schema("sarif-2.1.0.json").read_text("utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


def _run(name: str, *extra: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    monkeypatch.chdir(ROOT)
    result = run_cli("--no-user-catalog", *RUNS[name], *extra)
    assert result.status in (0, 1), result.stderr
    return result.status, result.stdout


@pytest.mark.parametrize("name", sorted(RUNS))
def test_junit_validates_and_fails_as_the_exit_status_does(
    name: str, junit_schema: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import xml.etree.ElementTree as ET  # noqa: PLC0415

    for fail_on in ("error", "warning", "never"):
        status, text = _run(name, "-o", "junit", "--fail-on", fail_on, monkeypatch=monkeypatch)
        junit_schema.validate(text)
        root = ET.fromstring(text)
        cases = root.findall("./testsuite/testcase")
        failed = [c for c in cases if c.find("failure") is not None]
        assert int(root.get("tests", "")) == len(cases) > 0
        assert int(root.get("failures", "")) == len(failed)
        # a CI view shows red exactly when the command would fail the pipeline
        assert bool(failed) == (status == 1), (name, fail_on)
        if fail_on == "never":
            assert not failed


@pytest.mark.parametrize("name", ["diff", "diff-fleet", "plan"])
def test_junit_fails_exactly_the_prefixes_json_has_errors_for(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import xml.etree.ElementTree as ET  # noqa: PLC0415

    _, text = _run(name, "-o", "junit", monkeypatch=monkeypatch)
    _, data = _run(name, "-o", "json", monkeypatch=monkeypatch)
    doc = json.loads(data)
    root = ET.fromstring(text)
    failed = set()
    for suite in root.findall("testsuite"):
        command, _, subject = suite.get("name", "").partition(" ")
        for case in suite.findall("testcase"):
            if case.find("failure") is not None:
                failed.add((command, subject if command == "diff" else "", case.get("name")))
    if name == "plan":
        lint = doc["advertisement"]["findings"]
        expected = {
            ("routes", "", f["prefix"])
            for f in doc["routes"]["findings"]
            if f["severity"] == "error"
        } | {
            ("advertise" if f["code"].startswith("adv-") else "inbound", "", f["prefix"])
            for f in lint
            if f["severity"] == "error"
        }
    else:
        expected = {
            ("diff", f["router"], f["prefix"]) for f in doc["findings"] if f["severity"] == "error"
        }
    assert failed == expected
    assert expected


@pytest.mark.parametrize("name", sorted(RUNS))
def test_sarif_validates_and_locates_every_finding(
    name: str, sarif_validator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, text = _run(name, "-o", "sarif", monkeypatch=monkeypatch)
    log = json.loads(text)
    errors = sorted(sarif_validator.iter_errors(log), key=str)
    assert not errors, errors[0]
    results = log["runs"][0]["results"]
    rules = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    assert results
    for rule in log["runs"][0]["tool"]["driver"]["rules"]:
        assert rule["shortDescription"]["text"].endswith("."), rule  # a sentence, not the id
    for r in results:
        assert rules[r["ruleIndex"]] == r["ruleId"]
        assert r["level"] in ("error", "warning", "note")
    if name.startswith("diff"):
        doc = json.loads(_run(name, "-o", "json", monkeypatch=monkeypatch)[1])
        want = sorted(
            (f["code"], f["route"]["source"], f["route"]["line"])
            for f in doc["findings"]
            if f["route"]
        )
        got = sorted(
            (
                r["ruleId"],
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
            )
            for r in results
            if "region" in r["locations"][0]["physicalLocation"]
        )
        assert got == want
        assert len(results) == len(doc["findings"])


@pytest.mark.parametrize("fmt", ["junit", "sarif"])
def test_ci_reports_are_the_same_bytes_run_after_run(
    fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _run("diff-fleet", "-o", fmt, monkeypatch=monkeypatch)
    assert _run("diff-fleet", "-o", fmt, monkeypatch=monkeypatch) == first


def test_a_router_that_cannot_be_read_is_an_error_case(
    tmp_path: Path, junit_schema: Any, sarif_validator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import xml.etree.ElementTree as ET  # noqa: PLC0415

    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(
        "schema: routeplan/inventory/1\nrouters:\n"
        f"  - name: edge1\n    files: [{ROOT / EDGE1}]\n"
        f"  - name: gone\n    files: [{tmp_path / 'missing.txt'}]\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(ROOT)
    result = run_cli("--no-user-catalog", "diff", "--inventory", str(inventory), "-o", "junit")
    junit_schema.validate(result.stdout)
    root = ET.fromstring(result.stdout)
    [gone] = [s for s in root.findall("testsuite") if s.get("name") == "diff gone"]
    assert gone.get("errors") == "1"
    assert gone.find("./testcase/error") is not None
    result = run_cli("--no-user-catalog", "diff", "--inventory", str(inventory), "-o", "sarif")
    log = json.loads(result.stdout)
    assert not list(sarif_validator.iter_errors(log))
    assert any(r["ruleId"] == "not-read" for r in log["runs"][0]["results"])


_TEXT = st.text(st.characters(codec="utf-8"), max_size=40)


@settings(max_examples=150, deadline=None)
@given(
    names=st.lists(_TEXT, min_size=1, max_size=4),
    message=_TEXT,
    file=_TEXT.filter(bool),
    line=st.none() | st.integers(1, 10**6),
    severity=st.sampled_from(list(Severity)),
)
def test_any_text_from_a_route_table_keeps_both_reports_valid(
    names: list[str], message: str, file: str, line: int | None, severity: Severity
) -> None:
    """Names, messages and file names come from user files and may hold anything (control
    characters, surrogates-free Unicode, markup): the XML still parses and says the same, the
    SARIF log still serialises to JSON with a valid location."""
    import xml.etree.ElementTree as ET  # noqa: PLC0415

    issue = Issue("no-route", severity, message, file, line, names[0])
    suites = [Suite(f"diff {n}", (Case(n, (issue,)),)) for n in names]
    root = ET.fromstring(junit_xml("routeplan diff", suites, "info"))
    assert len(root.findall("./testsuite/testcase/failure")) == len(names)
    log = json.loads(json.dumps(sarif(suites)))
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri["uri"] == artifact_uri(file)
    assert " " not in uri["uri"]


def test_usage_errors_say_what_to_give_instead(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run_cli("--no-user-catalog", "plan", "--services", "Exchange", "-o", "junit")
    assert result.status == 2
    assert "--advertise" in result.stderr
    result = run_cli(
        "--no-user-catalog", "review", "--topology", "examples/topology/topology.yaml",
        "--fail", "circuit:er-ams", "-o", "sarif",
    )  # fmt: skip
    assert result.status == 2
    assert "what-if" in result.stderr


def test_every_finding_code_has_a_rule_sentence() -> None:
    from routeplan.advertise import AdvCode  # noqa: PLC0415
    from routeplan.diff import Code  # noqa: PLC0415
    from routeplan.report.ci import RULES  # noqa: PLC0415

    codes = {c.value for c in Code} | {c.value for c in AdvCode}
    assert codes <= set(RULES)
