"""Vendor renderers: a reviewed golden file per vendor, and each output parsed again by a
parser of that syntax (ciscoconfparse2 for the Cisco-style and Junos configurations, BIRD's and
FRR's own configuration checkers, the shell and JSON for the Azure side).

BIRD and FRR come from Debian's packages (``bird2``, ``frr``), which ``.ci/run`` installs. Where
they are missing the checks skip, except when ``ROUTEPLAN_REQUIRE_TOOLS=1`` (set by CI): then
a missing checker fails the test.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from ciscoconfparse2 import CiscoConfParse

from routeplan.catalog.query import CatalogView, Verdict
from routeplan.errors import UsageError
from routeplan.model import parse_prefix
from routeplan.plan import build_plan
from routeplan.render import VENDORS, ConfigInput, Names, get_vendor, render_config
from tests.helpers import SMALL_SELECTION, assert_golden

GOLDEN = Path(__file__).parent / "golden" / "config"
SUFFIX = {"junos": "conf", "bird": "conf", "azure-cli": "sh", "azure-arm": "json"}
ADVERTISE = (parse_prefix("198.51.99.0/24"), parse_prefix("2a0b:4d07:100::/48"))


def _input(view: CatalogView, advertise: bool = True) -> ConfigInput:
    plan = build_plan(view, view.selection(SMALL_SELECTION))
    return ConfigInput(plan, Names(), ADVERTISE if advertise else ())


def _golden(name: str) -> Path:
    return GOLDEN / f"{name}.{SUFFIX.get(name, 'txt')}"


@pytest.mark.parametrize("vendor", [v.name for v in VENDORS])
def test_golden(small: CatalogView, vendor: str) -> None:
    """Golden files are reviewed by hand (pytest --update-goldens rewrites them for review)."""
    text = render_config(vendor, _input(small))
    assert_golden(f"config/{_golden(vendor).name}", text)


def test_every_vendor_has_a_golden_file() -> None:
    assert {p.name for p in GOLDEN.iterdir()} == {_golden(v.name).name for v in VENDORS}


def test_vendor_names_and_aliases() -> None:
    assert get_vendor("IOS-XE").name == "ios"
    assert get_vendor("juniper").name == "junos"
    with pytest.raises(UsageError, match="unknown vendor"):
        get_vendor("vyos")


def test_names_are_options_and_checked(small: CatalogView) -> None:
    names = Names.from_options({"er-v4": "MS-ER-4", "import-policy": "FROM-MSEE"})
    text = render_config("ios", ConfigInput(_input(small).plan, names))
    assert "ip prefix-list MS-ER-4 seq 10" in text
    assert "route-map FROM-MSEE permit" in text
    with pytest.raises(UsageError, match="not a name"):
        Names.from_options({"er-v4": "bad name"})
    with pytest.raises(UsageError, match="unknown name key"):
        Names.from_options({"prefix_list": "X"})


# ---------------------------------------------------------------------------------------------
# parsed again


def _plan_prefixes(ci: ConfigInput, verdict: Verdict, version: int) -> list[str]:
    return [str(e.prefix) for e in ci.plan.list_for(verdict, version).entries]


@pytest.mark.parametrize(("vendor", "syntax"), [("ios", "ios"), ("nxos", "nxos"), ("eos", "ios")])
def test_cisco_style_reparses(small: CatalogView, vendor: str, syntax: str) -> None:
    ci = _input(small)
    parsed = CiscoConfParse(render_config(vendor, ci).splitlines(), syntax=syntax)
    lines = [o.text.strip() for o in parsed.objs]

    def entries(name: str) -> list[str]:
        found = []
        for line in lines:
            m = re.search(rf"(?:prefix-list {name} )?seq \d+ permit (\S+)", line)
            if m and (name in line or _owner(parsed, line) == name):
                found.append(m.group(1))
        return found

    assert entries("M365-ER-V4") == _plan_prefixes(ci, Verdict.EXPRESSROUTE, 4)
    assert entries("M365-ER-V6") == _plan_prefixes(ci, Verdict.EXPRESSROUTE, 6)
    assert entries("M365-INTERNET-ONLY-V4") == _plan_prefixes(ci, Verdict.INTERNET_ONLY, 4)
    assert "M365-INTERNET-ONLY-V6" not in "\n".join(lines)  # empty: left out with its clause
    clauses = parsed.find_parent_objects(["^route-map M365-ER-IN"])
    actions = [c.text.split()[2] for c in clauses] + ["deny"]
    assert actions[0] == "deny"  # Internet-only first
    assert "permit" in actions
    defined = set(re.findall(r"prefix-list (\S+)", "\n".join(lines))) - {"address"}
    for clause in parsed.find_objects("^route-map M365-ER-IN"):
        for child in clause.children:
            m = re.search(r"prefix-list (\S+)", child.text)
            if m:
                assert m.group(1) in defined
    communities = re.findall(
        r"community-list (?:standard )?M365-ER-COMMUNITIES (?:seq \d+ )?"
        r"permit (\S+)",
        "\n".join(lines),
    )
    assert communities == ci.communities()


def _owner(parsed: CiscoConfParse, line: str) -> str | None:
    """The list a mode-style (EOS) entry belongs to."""
    for obj in parsed.objs:
        if obj.text.strip() == line and obj.parent is not obj:
            m = re.search(r"prefix-list (\S+)", obj.parent.text)
            return m.group(1) if m else None
    return None


def test_iosxr_reparses(small: CatalogView) -> None:
    ci = _input(small)
    parsed = CiscoConfParse(render_config("iosxr", ci).splitlines(), syntax="iosxr")
    sets = {}
    for obj in parsed.find_objects("^prefix-set "):
        name = obj.text.split()[1]
        sets[name] = [
            c.text.strip().rstrip(",").split()[0]
            for c in obj.children
            if c.text.strip() != "end-set"
        ]
    assert sets["M365-ER-V4"] == _plan_prefixes(ci, Verdict.EXPRESSROUTE, 4)
    assert sets["M365-ER-V6"] == _plan_prefixes(ci, Verdict.EXPRESSROUTE, 6)
    assert sets["M365-ER-ADVERTISE-V4"] == ["198.51.99.0/24"]
    policy = parsed.find_objects("^route-policy M365-ER-IN")[0]
    body = "\n".join(c.text for c in policy.all_children)
    for name in re.findall(r"destination in ([\w-]+)", body):
        assert name in sets
    assert "community matches-any M365-ER-COMMUNITIES" in body
    assert body.index("drop") < body.index("pass")  # Internet-only dropped first


def test_junos_reparses(small: CatalogView) -> None:
    ci = _input(small)
    parsed = CiscoConfParse(render_config("junos", ci).splitlines(), syntax="junos")
    lists = {}
    for obj in parsed.find_objects(r"^ {4}route-filter-list \S+$"):  # under policy-options
        lists[obj.text.split()[1]] = [c.text.split()[0] for c in obj.children]
    assert lists["M365-ER-V4"] == _plan_prefixes(ci, Verdict.EXPRESSROUTE, 4)
    assert lists["M365-INTERNET-ONLY-V4"] == _plan_prefixes(ci, Verdict.INTERNET_ONLY, 4)
    communities = {
        o.text.split()[1]: o.text.split()[3]
        for o in parsed.find_objects(r"^\s+community \S+ members")
    }
    assert sorted(communities.values()) == ci.communities()
    policy = parsed.find_objects(r"^\s+policy-statement M365-ER-IN$")[0]
    terms = [c.text.split()[1] for c in policy.children if c.text.strip().startswith("term")]
    assert terms == ["internet-only", "microsoft-365", "default"]
    body = "\n".join(c.text for c in policy.all_children)
    for name in re.findall(r"route-filter-list (\S+)", body):
        assert name in lists
    for name in re.findall(r"community \[ ([^\]]+) \]", body)[0].split():
        assert name in communities


def test_azure_arm_is_a_route_filter_template(small: CatalogView) -> None:
    ci = _input(small)
    doc = json.loads(render_config("azure-arm", ci))
    (resource,) = doc["resources"]
    assert resource["type"] == "Microsoft.Network/routeFilters"
    (rule,) = resource["properties"]["rules"]
    assert rule["properties"] == {
        "access": "Allow",
        "routeFilterRuleType": "Community",
        "communities": SMALL_SELECTION,
    }


def test_azure_cli_is_valid_shell_with_the_communities(small: CatalogView, tmp_path: Path) -> None:
    text = render_config("azure-cli", _input(small))
    script = tmp_path / "filter.sh"
    script.write_text(text)
    subprocess.run(["sh", "-n", str(script)], check=True)
    rule = next(line for line in text.splitlines() if "route-filter rule create" in line)
    words = shlex.split(rule)
    at = words.index("--communities")
    assert words[at + 1 :] == SMALL_SELECTION
    assert words[words.index("--access") + 1] == "Allow"
    # the script refuses to run without its variables instead of creating a broken filter
    done = subprocess.run(
        ["sh", str(script)],
        check=False,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert done.returncode != 0
    assert "RESOURCE_GROUP" in done.stderr


def _tool(name: str) -> str:
    path = shutil.which(name) or (
        f"/usr/sbin/{name}" if Path(f"/usr/sbin/{name}").exists() else None
    )
    if path is None:
        if os.environ.get("ROUTEPLAN_REQUIRE_TOOLS") == "1":
            pytest.fail(f"{name} is required here (ROUTEPLAN_REQUIRE_TOOLS=1) but not installed")
        pytest.skip(f"{name} not installed (Debian: apt-get install bird2 frr)")
    return path


@pytest.mark.parametrize("which", ["small", "worldwide"])
def test_bird_accepts_the_configuration(
    small: CatalogView, worldwide: CatalogView, tmp_path: Path, which: str
) -> None:
    bird = _tool("bird")
    view = small if which == "small" else worldwide
    conf = tmp_path / "bird.conf"
    conf.write_text(
        "router id 192.0.2.1;\nprotocol device {}\n" + render_config("bird", _input(view))
    )
    done = subprocess.run(
        [bird, "-p", "-c", str(conf)], check=False, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    # and the checker does reject a broken set, so the test can fail
    conf.write_text(conf.read_text().replace("/24", "/33", 1))
    assert (
        subprocess.run([bird, "-p", "-c", str(conf)], check=False, capture_output=True).returncode
        != 0
    )


@pytest.mark.parametrize("which", ["small", "worldwide"])
def test_frr_accepts_the_configuration(
    small: CatalogView, worldwide: CatalogView, tmp_path: Path, which: str
) -> None:
    vtysh = _tool("vtysh")
    view = small if which == "small" else worldwide
    conf = tmp_path / "frr.conf"
    conf.write_text(render_config("frr", _input(view)))
    done = subprocess.run(
        [vtysh, "--dryrun", "-f", str(conf)], check=False, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    conf.write_text(conf.read_text().replace(" permit ", " permitt ", 1))
    bad = subprocess.run(
        [vtysh, "--dryrun", "-f", str(conf)], check=False, capture_output=True, text=True
    )
    assert bad.returncode != 0
