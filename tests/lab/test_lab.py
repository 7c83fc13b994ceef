"""The plan on real routing daemons (docs/lab.md): FRR and BIRD 2 as the customer's edge, in
network namespaces on this machine, peering with a stand-in for Microsoft's edge and an
Internet transit. Each proof runs for both daemons, IPv4 and IPv6, with the bundled catalog's
real prefixes: the plan holds in the RIB and the kernel FIB, damaged configurations are caught
with the finding codes the FIB bears out, the announcements are the plan's, a real change is
reviewed, and the daemons' own output is read exactly.

Skipped with the reason where the machine lacks root, ``ip netns`` or the daemons;
``ROUTEPLAN_REQUIRE_TOOLS=1`` (CI) makes that a failure.
"""

from __future__ import annotations

import ipaddress
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import routeplan
from routeplan.catalog.query import Verdict
from tests.lab.labnet import ISP_AS, LINKS, MSEE_AS, Lab, missing_tools, run
from tests.lab.scenario import (
    ADVERTISE,
    PUBLIC_ADVERTISED,
    REGIONAL,
    World,
    bird_config,
    catalog_routes,
    frr_config,
    render,
    world,
)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "lab"
SELECTION = ["12076:5010", "12076:5100"]
WITH_SHAREPOINT = ["12076:5010", "12076:5020", "12076:5100"]

_missing = missing_tools()
if _missing and os.environ.get("ROUTEPLAN_REQUIRE_TOOLS") == "1":
    raise RuntimeError(f"the lab needs {', '.join(_missing)} (ROUTEPLAN_REQUIRE_TOOLS=1)")
pytestmark = pytest.mark.skipif(bool(_missing), reason=f"the lab needs {', '.join(_missing)}")


class Running:
    """One lab and what runs in it now: a configuration is started only when it changes."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab
        self.view = routeplan.catalog_view(routeplan.load_catalog(include_user=False))
        self.msee_allowed: tuple[str, ...] | None = None
        self.edge: str | None = None
        self._world: World | None = None

    @property
    def world(self) -> World:
        """What the stand-ins announce, made once with the first selection's plan: every
        selection sees the same world (a selection changes msee's route filter only)."""
        if self._world is None:
            self._world = world(self.view, self.plan(SELECTION))
        return self._world

    def plan(self, selection: list[str]) -> routeplan.Plan:
        return routeplan.make_plan(self.view, communities=selection)

    def configure(self, selection: list[str], damage: Callable[[str], str] | None = None) -> None:
        """Stand-ins for ``selection`` (msee's route filter) and the edge with the rendered
        configuration, damaged by ``damage`` when given; then wait for convergence."""
        w = self.world
        allowed = (*selection, REGIONAL)
        if self.msee_allowed != allowed:
            self.lab.stop_standin("msee")
            self.lab.start_standin("msee", w.msee, list(allowed))
            if self.msee_allowed is None:
                self.lab.start_standin("isp", w.isp, None)
            self.msee_allowed = allowed
            self.edge = None
        rendered = render(self.lab.workdir, self.lab.edge_kind, selection)
        if damage is not None:
            damaged = damage(rendered)
            assert damaged != rendered, "the damage must change the configuration"
            rendered = damaged
        glue = frr_config if self.lab.edge_kind == "frr" else bird_config
        config = glue(rendered)
        if config != self.edge:
            self.lab.start_edge(config)
            self.edge = config
        self.lab.converge()

    def capture(self, name: str) -> list[Path]:
        """The edge's RIB as its daemon prints it, saved under test-artifacts/lab/."""
        out = ARTIFACTS / self.lab.edge_kind / name
        out.mkdir(parents=True, exist_ok=True)
        files = []
        for fname, text in self.lab.capture().items():
            path = out / fname
            path.write_text(text)
            files.append(path)
        return files


@pytest.fixture(scope="module", params=["frr", "bird"])
def lab(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Running]:
    with Lab(tmp_path_factory.mktemp(f"lab-{request.param}"), request.param) as built:
        yield Running(built)


def routeplan_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "routeplan", "--no-user-catalog", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def diff(files: list[Path], selection: list[str]) -> tuple[int, dict[str, object]]:
    """``routeplan diff`` on the RIB capture (JSON when the daemon has it, as a user would)."""
    chosen = [f for f in files if f.suffix == ".json"] or files
    args = ["diff", "--communities", ",".join(selection), "-o", "json"]
    for f in chosen:
        args += ["-r", f"edge={f}"]
    done = routeplan_cli(*args)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def codes(record: dict[str, object]) -> set[tuple[str, str]]:
    return {(f["code"], f["prefix"]) for f in record["findings"]}  # type: ignore[index,union-attr]


def first_address(prefix: object) -> str:
    net = ipaddress.ip_network(str(prefix))
    return str(net[1] if net.num_addresses > 2 else net[0])


# -- 1. the plan holds on a real router ---------------------------------------------------------


def test_the_plan_holds_in_the_rib_and_the_fib(lab: Running) -> None:
    lab.configure(SELECTION)
    status, record = diff(lab.capture("good"), SELECTION)
    assert status == 0, codes(record)
    counts = record["inputs"]  # type: ignore[index]
    assert counts, "the capture was read"
    plan = lab.plan(SELECTION)
    wrong = []
    for entry in plan.entries:
        want = "msee" if entry.decision.verdict is Verdict.EXPRESSROUTE else "isp"
        got = lab.lab.exit_of(first_address(entry.prefix))
        if got != want:
            wrong.append((str(entry.prefix), entry.decision.verdict.value, got))
    assert not wrong, wrong
    families = {
        e.prefix.version for e in plan.entries if e.decision.verdict is Verdict.EXPRESSROUTE
    }
    assert families == {4, 6}
    # the regional route's Internet-only addresses stay on the Internet
    regional = lab.world.regional.prefix
    assert lab.lab.exit_of(first_address(regional)) == "isp"


# -- 2. broken configurations are caught --------------------------------------------------------


def _accept_regional(kind: str) -> Callable[[str], str]:
    if kind == "frr":
        return lambda text: (
            text
            + (
                "bgp community-list standard AZURE-REGIONAL seq 10 permit 12076:51004\n"
                "route-map M365-ER-IN permit 15\n match community AZURE-REGIONAL\nexit\n"
            )
        )
    return lambda text: text.replace(
        "filter M365_ER_IN\n{\n",
        "filter M365_ER_IN\n{\n  if bgp_community ~ [(12076, 51004)] then accept;\n",
        1,
    )


def _drop_community(kind: str) -> Callable[[str], str]:
    if kind == "frr":
        return lambda text: (
            "\n".join(
                line
                for line in text.splitlines()
                if "M365-ER-COMMUNITIES seq 20 permit 12076:5100" not in line
            )
            + "\n"
        )
    return lambda text: text.replace(", (12076, 5100) ]", " ]", 1)


def _drop_ipv6_list(kind: str) -> Callable[[str], str]:
    if kind == "frr":
        return lambda text: (
            "\n".join(
                line
                for line in text.splitlines()
                if not line.startswith("ipv6 prefix-list M365-ER-V6")
            )
            + "\n"
        )

    def bird(text: str) -> str:
        start = text.index("define M365_ER_V6 = [")
        end = text.index("];", start)
        return text[:start] + "define M365_ER_V6 = [ ::/128 " + text[end:]

    return bird


def _drop_le(kind: str) -> Callable[[str], str]:
    if kind == "frr":
        return lambda text: (
            "\n".join(
                line.replace(" le 32", "") if line.startswith("ip prefix-list M365-ER-V4") else line
                for line in text.splitlines()
            )
            + "\n"
        )

    def bird(text: str) -> str:
        start = text.index("define M365_ER_V4 = [")
        end = text.index("];", start)
        return text[:start] + text[start:end].replace("+", "") + text[end:]

    return bird


DAMAGES = {
    "regional-route-accepted": _accept_regional,
    "community-missing": _drop_community,
    "ipv6-list-dropped": _drop_ipv6_list,
    "le-32-removed": _drop_le,
}


def _inside(prefix: str, candidates: object) -> list[str]:
    net = ipaddress.ip_network(prefix)
    return [
        str(p)
        for p in candidates
        if ipaddress.ip_network(str(p)).version == net.version  # type: ignore[attr-defined]
        and ipaddress.ip_network(str(p)).subnet_of(net)
    ]  # type: ignore[arg-type]


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_configuration_is_caught_and_the_fib_agrees(lab: Running, damage: str) -> None:
    lab.configure(SELECTION, DAMAGES[damage](lab.lab.edge_kind))
    status, record = diff(lab.capture(damage), SELECTION)
    found = codes(record)
    assert status == 1, f"{damage}: no finding"
    plan = lab.plan(SELECTION)
    w = lab.world
    if damage == "regional-route-accepted":
        # the Internet-only prefixes under the regional route now leave over ExpressRoute
        under = _inside(
            w.regional.prefix,
            [e.prefix for e in plan.entries if e.decision.verdict is Verdict.INTERNET_ONLY],
        )
        assert under
        assert {("internet-only-via-expressroute", p) for p in under} <= found
        assert all(lab.lab.exit_of(first_address(p)) == "msee" for p in under)
    elif damage == "community-missing":
        # prefixes only 12076:5100 carries fall back to the Internet
        only = [p for p, c in _carried(lab).items() if set(c) & set(SELECTION) == {"12076:5100"}]
        assert only
        flagged = {p for code, p in found if code == "er-prefix-via-internet"}
        assert set(only) <= flagged
        assert all(lab.lab.exit_of(first_address(p)) == "isp" for p in only)
    elif damage == "ipv6-list-dropped":
        v6 = [
            str(e.prefix)
            for e in plan.entries
            if e.decision.verdict is Verdict.EXPRESSROUTE and e.prefix.version == 6
        ]
        flagged = {p for code, p in found if code == "er-prefix-via-internet"}
        assert v6
        assert all(_covered(p, flagged) for p in v6)
        assert all(lab.lab.exit_of(first_address(p)) == "isp" for p in v6)
        assert not any(":" not in p for p in flagged), "IPv4 is untouched"
    else:  # le 32 removed: the more-specifics msee sends are refused, isp's (AS 8075) win
        assert {ipaddress.ip_network(s).version for s in w.inside_er} == {4, 6}
        for sub in w.inside_er:
            if ":" in sub:  # the IPv6 list keeps its `le 128`: untouched
                assert lab.lab.exit_of(first_address(sub)) == "msee", sub
                continue
            assert lab.lab.exit_of(first_address(sub)) == "isp", sub
            assert any(
                code in ("split-path", "er-prefix-via-internet")
                and ipaddress.ip_network(sub).subnet_of(ipaddress.ip_network(p))  # type: ignore[arg-type]
                for code, p in found
                if ipaddress.ip_network(p).version == ipaddress.ip_network(sub).version
            ), (sub, found)


def _carried(lab: Running) -> dict[str, tuple[str, ...]]:
    return catalog_routes(lab.view)


def _covered(prefix: str, flagged: set[str]) -> bool:
    net = ipaddress.ip_network(prefix)
    return any(
        ipaddress.ip_network(f).version == net.version
        and (net.subnet_of(ipaddress.ip_network(f)) or ipaddress.ip_network(f).subnet_of(net))  # type: ignore[arg-type]
        for f in flagged
    )


# -- 3. what the edge announces -----------------------------------------------------------------


def test_the_edge_announces_the_plans_advertisement_lists(lab: Running) -> None:
    lab.configure(SELECTION)
    assert lab.lab.received("msee") == PUBLIC_ADVERTISED
    assert lab.lab.received("isp") == PUBLIC_ADVERTISED
    nat = lab.lab.workdir / "nat-pools.txt"
    done = routeplan_cli(
        "plan", "--communities", ",".join(SELECTION), "--advertise", str(nat), "-o", "json"
    )
    record = json.loads(done.stdout)
    lint = {(f["code"], f["prefix"]) for f in record["advertisement"]["findings"]}
    refused = {p for code, p in lint if code in ("adv-not-public", "adv-default")}
    assert refused == set(ADVERTISE) - PUBLIC_ADVERTISED  # exactly what never went out


# -- 4. review on a real change -----------------------------------------------------------------


def test_review_of_a_real_change_moves_sharepoint_and_nothing_else(lab: Running) -> None:
    lab.configure(SELECTION)
    before = lab.capture("review-before")
    lab.configure(WITH_SHAREPOINT)
    after = lab.capture("review-after")
    pick = lambda files: [f for f in files if f.suffix == ".json"] or files  # noqa: E731
    args = [
        "review",
        "--communities",
        ",".join(SELECTION),
        "--communities-after",
        ",".join(WITH_SHAREPOINT),
        "-o",
        "json",
    ]
    for f in pick(before):  # the IPv4 and IPv6 captures are one router's
        args += ["--before", f"edge={f}"]
    for f in pick(after):
        args += ["--after", f"edge={f}"]
    done = routeplan_cli(*args)
    assert done.returncode in (0, 1), done.stderr
    record = json.loads(done.stdout)
    moves = record["moves"]
    assert moves, "SharePoint's prefixes move"
    assert {tuple(m["service_areas"]) for m in moves} == {("SharePoint",)}
    assert {m["after"] for m in moves} == {"expressroute"}
    assert {m["before"] for m in moves} == {"internet"}
    status, after_record = diff(after, WITH_SHAREPOINT)
    assert status == 0, codes(after_record)
    lab.configure(SELECTION)  # back, for the tests after this one


# -- 5. the daemons' own output is read exactly -------------------------------------------------


def test_the_daemons_output_reads_back_as_announced(lab: Running) -> None:
    """Every route read from the edge's own output is one msee or isp announced, with its
    AS path, communities and next hop; every route the edge accepted is read."""
    lab.configure(SELECTION)
    w = lab.world
    plan = lab.plan(SELECTION)
    er = [
        ipaddress.ip_network(str(e.prefix))
        for e in plan.entries
        if e.decision.verdict is Verdict.EXPRESSROUTE
    ]
    accepted = {
        a.prefix: a
        for a in w.msee
        if set(a.communities) & set(SELECTION)
        and any(
            ipaddress.ip_network(a.prefix).version == n.version
            and ipaddress.ip_network(a.prefix).subnet_of(n)
            for n in er
        )  # type: ignore[arg-type]
    }
    isp = {a.prefix: a for a in w.isp}
    peers = {
        LINKS["msee"][1]: "msee",
        LINKS["msee"][3]: "msee",
        LINKS["isp"][1]: "isp",
        LINKS["isp"][3]: "isp",
    }
    for path in lab.capture("readback"):
        rib = routeplan.routes_from_files([path])[0]
        seen: dict[str, set[str]] = {"msee": set(), "isp": set()}
        for r in rib.routes:
            p = str(r.prefix)
            if (
                r.next_hop is None
                or r.next_hop.startswith(("0.0.0.0", "::"))
                or p in PUBLIC_ADVERTISED
            ):
                continue  # the edge's own NAT pools
            # who sent it: the first AS; the next hop is that stand-in's address (FRR's IPv6
            # text view prints the peer's link-local one)
            who = {MSEE_AS: "msee", ISP_AS: "isp"}.get(r.as_path[0] if r.as_path else 0)
            assert who is not None, (path.name, p, r.as_path)
            hop = r.next_hop.lower()
            assert peers.get(hop) == who or hop.startswith("fe80:"), (path.name, p, hop)
            table, first = (accepted, MSEE_AS) if who == "msee" else (isp, ISP_AS)
            assert p in table, (path.name, p, who)
            want = table[p]
            assert r.as_path == (first, *want.path), (path.name, p, r.as_path)
            # FRR's table views print no communities (none may be invented); BIRD's do
            assert set(r.communities) <= set(want.communities), (path.name, p, r.communities)
            if "bird" in path.name:
                assert set(r.communities) == set(want.communities), (path.name, p)
            seen[who].add(p)
        fams = {4} if "ipv4" in path.name else {6} if "ipv6" in path.name else {4, 6}
        want_msee = {p for p in accepted if ipaddress.ip_network(p).version in fams}
        want_isp = {p for p in isp if ipaddress.ip_network(p).version in fams}
        assert seen["msee"] == want_msee, (path.name, want_msee ^ seen["msee"])
        assert seen["isp"] == want_isp, (path.name, len(want_isp ^ seen["isp"]))


# -- the lab cleans up after itself ---------------------------------------------------------------


def test_the_lab_leaves_nothing_behind_after_a_failing_case(tmp_path: Path) -> None:
    """A case that fails inside the lab still stops every daemon (by PID) and removes every
    namespace."""
    tag = f"rpc{os.getpid() % 10000}"
    seen: dict[str, list[object]] = {}

    def failing_case() -> None:
        with Lab(tmp_path / "lab", "frr", tag=tag) as built:
            built.start_standin("msee", [], None)
            built.start_edge("frr defaults traditional\nhostname edge\n")
            seen["pids"] = [p.pid for p in built.processes]
            seen["names"] = list(built.namespaces)
            raise AssertionError("a failing case")

    with pytest.raises(AssertionError, match="a failing case"):
        failing_case()
    pids = [int(str(p)) for p in seen["pids"]]
    names = [str(n) for n in seen["names"]]
    assert len(pids) == 3  # bird, zebra, bgpd
    assert len(names) == 3
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists() or _zombie(pid), pid
    listed = run(["ip", "netns", "list"])
    assert not any(n in listed for n in names)
    assert not (Path("/var/run/frr") / tag).exists()


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return True


# -- 6. the targeted collection reads back as the full table -------------------------------------


@pytest.mark.parametrize("damage", [None, "regional"])
def test_the_targeted_collection_reads_back_as_the_full_table(
    lab: Running, damage: str | None
) -> None:
    """``routeplan collect commands --platform frr`` run on the real edge, their outputs in
    one capture: the same findings and changes as the edge's full table, for far fewer bytes.
    Damaged (the regional route accepted over Internet-only addresses) it finds the same
    errors as the full table does."""
    if lab.lab.edge_kind != "frr":
        pytest.skip("the targeted collection is for FRR (docs/fleet.md)")
    lab.configure(SELECTION, _accept_regional("frr") if damage else None)
    full = [f for f in lab.capture(f"collect-{damage or 'clean'}") if f.suffix == ".json"]
    status_full, record_full = diff(full, SELECTION)
    listed = routeplan_cli(
        "collect", "commands", "--platform", "frr", "--communities", ",".join(SELECTION)
    )
    assert listed.returncode == 0, listed.stderr
    commands = listed.stdout.splitlines()
    capture = ARTIFACTS / "frr" / f"collect-{damage or 'clean'}" / "collected.json"
    capture.write_text(lab.lab.vtysh_each(commands))
    status, record = diff([capture], SELECTION)
    assert status == status_full
    assert codes(record) == codes(record_full)
    assert bool(codes(record)) == bool(damage)
    strip = lambda cs: sorted((c["op"], c["prefix"], c["reason"]) for c in cs)  # noqa: E731
    assert strip(record["changes"]) == strip(record_full["changes"])  # type: ignore[arg-type]
    full_bytes = sum(f.stat().st_size for f in full)
    (capture.parent / "bytes.txt").write_text(
        f"{len(commands)} commands, {capture.stat().st_size} bytes; the full table's JSON "
        f"(IPv4 and IPv6): {full_bytes} bytes\n"
    )
    assert capture.stat().st_size < full_bytes
