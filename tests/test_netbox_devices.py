"""Per-device checks and the topology from NetBox, with plain stand-ins for NetBox's objects
(no Django). The real thing, with NetBox's RQ worker and REST API, is
tests/netbox/integration.py."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import netaddr
import pytest

import routeplan
from routeplan import netbox
from routeplan.errors import InputError
from routeplan.topology.analysis import analyse
from routeplan.topology.model import load_topology
from tests.helpers import ROOT
from tests.netbox.integration import site_lists_sorted
from tests.test_netbox_adapter import AbortScript, FakeScript, Tag, TagManager

CLEAN = (ROOT / "examples" / "netbox" / "edge1-ok.txt").read_bytes()
WRONG = (ROOT / "examples" / "rib" / "edge1-show-ip-bgp.txt").read_bytes()
SELECTION = ["12076:5010", "12076:5030", "12076:5100"]
TOPOLOGY = ROOT / "examples" / "topology" / "topology.yaml"


@dataclass
class Region:
    slug: str
    name: str = ""


@dataclass
class Site:
    name: str
    slug: str
    region: Region | None = None


@dataclass(eq=False)
class Device:
    name: str | None
    site: Site | None
    pk: int
    tags: TagManager = field(default_factory=TagManager)
    role: Any = None
    tenant: Any = None
    custom_field_data: dict[str, Any] = field(default_factory=dict)
    saved: int = 0
    snapshots: int = 0

    def save(self) -> None:
        self.saved += 1

    def snapshot(self) -> None:
        self.snapshots += 1


@pytest.fixture(scope="module")
def view() -> Any:
    return routeplan.catalog_view(routeplan.load_catalog(), "Worldwide")


def three_devices() -> list[Device]:
    ams, fra = Site("AMS1", "ams1"), Site("FRA1", "fra1")
    return [Device("edge-clean", ams, 1), Device("edge-wrong", fra, 2), Device("edge-gone", fra, 3)]


FILES = {"ams1/edge-clean.txt": CLEAN, "fra1/edge-wrong.txt": WRONG}


def run_three(view: Any, **kw: Any) -> netbox.DeviceRun:
    return netbox.check_devices(
        view, three_devices(), FILES.get, source="data source routes", communities=SELECTION, **kw
    )


def test_each_device_is_checked_on_its_own_table(view: Any) -> None:
    run = run_three(view)
    got = {d.label: (d.status, d.path) for d in run.devices}
    assert got == {
        "edge-clean (AMS1)": ("pass", "ams1/edge-clean.txt"),
        "edge-wrong (FRA1)": ("fail", "fra1/edge-wrong.txt"),
        "edge-gone (FRA1)": ("no-table", "fra1/edge-gone.txt"),
    }
    wrong = run.devices[1].result
    assert wrong is not None
    assert wrong.inputs[0].source == "fra1/edge-wrong.txt"
    # the same as routeplan diff of that file alone: one device's answer is its own
    alone = routeplan.check(
        routeplan.make_plan(view, SELECTION),
        [routeplan.routes_from_text(WRONG, name="fra1/edge-wrong.txt")],
    )
    assert [(f.code, f.prefix) for f in wrong.findings] == [
        (f.code, f.prefix) for f in alone.findings
    ]
    assert run.devices[0].result is not None
    assert not run.devices[0].result.findings
    assert run.devices[2].problem == "no route table at fra1/edge-gone.txt in data source routes"
    assert [d.label for d in run.failing()] == ["edge-wrong (FRA1)", "edge-gone (FRA1)"]


def test_fail_on_sets_the_verdict(view: Any) -> None:
    assert run_three(view, fail_on="never").devices[1].status == "findings"
    assert run_three(view, fail_on="never").failing() == []
    with pytest.raises(InputError, match="fail_on"):
        run_three(view, fail_on="sometimes")


def test_an_unreadable_table_is_that_device_alone(view: Any) -> None:
    files = {**FILES, "fra1/edge-wrong.txt": b"this is not a route table\n"}
    run = netbox.check_devices(view, three_devices(), files.get, communities=SELECTION)
    assert [d.status for d in run.devices] == ["pass", "unreadable", "no-table"]
    assert "fra1/edge-wrong.txt" in (run.devices[1].problem or "")


def test_a_device_selected_twice_is_checked_once(view: Any) -> None:
    devs = three_devices()
    run = netbox.check_devices(view, [devs[0], devs[0], devs[1]], FILES.get)
    assert [d.label for d in run.devices] == ["edge-clean (AMS1)", "edge-wrong (FRA1)"]
    with pytest.raises(InputError, match="no devices selected"):
        netbox.check_devices(view, [], FILES.get)


@pytest.mark.parametrize(
    ("name", "template", "why"),
    [
        ("../etc", "{site}/{device}.txt", "cannot be one segment"),
        ("a/b", "{device}.txt", "cannot be one segment"),
        ("..", "{device}", "cannot be one segment"),
        (None, "{device}.txt", "needs its name"),
        ("edge1", "{region}/{device}.txt", "needs its region"),
        ("edge1", "/abs/{device}.txt", "leaves the data source"),
        ("edge1", "../{device}.txt", "leaves the data source"),
        ("edge1", "{rack}/{device}.txt", "names {rack}"),
        ("edge1", "{device", "not a template"),
        ("edge1", "routes.txt", "names no device"),
    ],
)
def test_a_path_never_leaves_the_data_source(name: str | None, template: str, why: str) -> None:
    device = Device(name, Site("AMS1", "ams1"), 9)
    with pytest.raises(InputError, match=why):
        netbox.table_path(device, template)


def test_a_device_the_convention_cannot_name_is_unreadable(view: Any) -> None:
    devs = [Device("x/y", Site("AMS1", "ams1"), 5), three_devices()[0]]
    run = netbox.check_devices(view, devs, FILES.get, communities=SELECTION)
    assert [d.status for d in run.devices] == ["unreadable", "pass"]
    assert run.devices[0].path is None


def test_two_devices_on_one_path_are_not_both_given_that_table(view: Any) -> None:
    """Devices of the same name at two sites, with a path that leaves out the site: the second
    would silently be checked with the first one's table."""
    ams, fra = Site("AMS1", "ams1"), Site("FRA1", "fra1")
    devs = [Device("edge", ams, 1), Device("edge", fra, 2)]
    run = netbox.check_devices(
        view, devs, {"edge.txt": CLEAN}.get, template="{device}.txt", communities=SELECTION
    )
    assert [d.status for d in run.devices] == ["pass", "unreadable"]
    assert "also edge (AMS1)'s" in (run.devices[1].problem or "")
    with_site = netbox.check_devices(
        view, devs, {"ams1/edge.txt": CLEAN, "fra1/edge.txt": CLEAN}.get, communities=SELECTION
    )
    assert [d.status for d in with_site.devices] == ["pass", "pass"]


def test_path_placeholders() -> None:
    d = Device("edge1", Site("AMS1", "ams1", Region("europe-west")), 1, role=Tag("edge", "Edge"))
    assert netbox.table_path(d, "{region}/{site}/{role}/{device}.cfg") == (
        "europe-west/ams1/edge/edge1.cfg"
    )


def test_writes_back_one_journal_entry_and_status_per_device(view: Any) -> None:
    run = run_three(view)
    script = FakeScript()
    journal: list[tuple[Any, str, str]] = []
    links: list[str] = []

    def link(p: Any) -> str:
        links.append(str(p))
        return f"/ipam/prefixes/?q={p}"

    report = netbox.report_devices(
        script,
        run,
        commit=True,
        journal=lambda d, kind, text: journal.append((d, kind, text)),
        status_field="routeplan_status",
        link=link,
        abort=AbortScript,
    )
    devs = [d.device for d in run.devices]
    assert [(j[0].name, j[1]) for j in journal] == [
        ("edge-clean", "success"),
        ("edge-wrong", "danger"),
        ("edge-gone", "danger"),
    ]
    assert [d.custom_field_data["routeplan_status"] for d in devs] == ["pass", "fail", "no-table"]
    assert [(d.saved, d.snapshots) for d in devs] == [(1, 1)] * 3
    wrong_md = journal[1][2]
    assert wrong_md.startswith("**routeplan: fail**")
    first = next(f for f in run.devices[1].result.findings)  # type: ignore[union-attr]
    assert f"[{first.prefix}](/ipam/prefixes/?q={first.prefix})" in wrong_md
    assert "deciding route" in wrong_md
    assert "fra1/edge-wrong.txt:" in wrong_md
    assert "no route table at fra1/edge-gone.txt" in journal[2][2]
    # the job log: one verdict line per device, on the device; each failing device a failure
    verdicts = [(lv, m.split(" (")[0].split(":")[1].strip(), o) for lv, m, o in script.logged
                if m.startswith(netbox.VERDICT_PREFIX)]  # fmt: skip
    assert verdicts == [
        ("success", "pass", devs[0]),
        ("failure", "fail", devs[1]),
        ("failure", "no-table", devs[2]),
    ]
    # it completed (a failed NetBox job reverts what it wrote) and says what failed
    assert script.logged[-1][0] == "failure"
    assert "2 of 3 device(s) failed" in script.logged[-1][1]
    assert script.output == report
    assert "| edge-wrong (FRA1) | fail | " in report


def test_nothing_written_without_commit_and_the_run_fails(view: Any) -> None:
    run = run_three(view)
    script = FakeScript()
    journal: list[Any] = []
    with pytest.raises(
        AbortScript, match=r"2 of 3 device\(s\) failed: edge-wrong \(FRA1\) \(fail\)"
    ):
        netbox.report_devices(
            script, run, commit=False, journal=lambda *a: journal.append(a),
            status_field="routeplan_status", abort=AbortScript,
        )  # fmt: skip
    assert journal == []
    assert all(not d.device.custom_field_data and d.device.saved == 0 for d in run.devices)
    assert any("commit is off" in m for _, m, _ in script.logged)
    assert script.output is not None  # the summary is kept as the job's output


def test_a_clean_fleet_succeeds(view: Any) -> None:
    run = netbox.check_devices(view, three_devices()[:1], FILES.get, communities=SELECTION)
    script = FakeScript()
    netbox.report_devices(script, run, commit=False, abort=AbortScript)
    assert script.logged[-1] == ("success", "1 device(s) checked: none failed", None)


def test_typed_communities_are_stripped() -> None:
    assert netbox.communities_of(" 12076:5010,  12076:5030 ") == ["12076:5010", "12076:5030"]


def test_findings_logged_per_device_are_bounded(view: Any) -> None:
    run = netbox.check_devices(view, three_devices()[1:2], FILES.get, communities=SELECTION)
    n = len(run.devices[0].result.findings)  # type: ignore[union-attr]
    assert n > 5
    script = FakeScript()
    old = netbox.MAX_FINDINGS_LOGGED
    netbox.MAX_FINDINGS_LOGGED = 5
    try:
        with pytest.raises(AbortScript):
            netbox.report_devices(script, run, commit=False, abort=AbortScript)
    finally:
        netbox.MAX_FINDINGS_LOGGED = old
    on_device = [m for _, m, o in script.logged if o is run.devices[0].device]
    assert len(on_device) == 1 + 5 + 1
    assert on_device[-1].startswith(f"and {n - 5} more")


# ---------------------------------------------------------------------------------------------
# the topology from NetBox objects: the YAML example, as NetBox would hold it


@dataclass
class Circuit:
    cid: str
    type: Tag
    description: str = ""
    tags: TagManager = field(default_factory=TagManager)
    custom_field_data: dict[str, Any] = field(default_factory=dict)
    termination_a: Any = None
    termination_z: Any = None


@dataclass
class Iface:
    device: Device
    name: str


@dataclass
class Term:
    link_peers: list[Iface]


@dataclass
class Cable:
    a_terminations: list[Any]
    b_terminations: list[Any]
    custom_field_data: dict[str, Any] = field(default_factory=dict)
    label: str = ""


@dataclass
class NbPrefix:
    prefix: netaddr.IPNetwork
    scope: Site
    tags: TagManager
    status: str = "active"


def netbox_objects_of(path: Any) -> dict[str, list[Any]]:
    """The objects a NetBox user would enter for a topology file (tests/netbox/nb_setup.py
    makes the same ones in a real NetBox)."""
    topo = load_topology(path)
    sites = {s.name: Site(s.name, s.name.lower(), Region(s.region)) for s in topo.sites}
    gateways = {s.gateway for s in topo.sites}
    devices = {}
    for n, r in enumerate(topo.routers, 1):
        tags = TagManager("m365-gateway") if r.name in gateways else TagManager()
        devices[r.name] = Device(r.name, sites[r.site], n, tags)
    cables = [
        Cable([Iface(devices[x.a], "eth1")], [Iface(devices[x.b], "eth1")], {"igp_cost": x.cost})
        for x in topo.links
    ]
    circuits = []
    for c in topo.circuits:
        circuits.append(
            Circuit(
                c.name,
                Tag("expressroute", "ExpressRoute"),
                c.location,
                TagManager("m365-secondary") if c.role == "secondary" else TagManager(),
                {
                    "er_communities": ",".join(c.communities),
                    "next_hops": ",".join(c.next_hops),
                    "er_advertise": ", ".join(str(p) for p in c.advertise),
                },
                Term([Iface(devices[r], "er0") for r in c.routers]),
                Term([]),
            )
        )
    for b in topo.breakouts:
        circuits.append(
            Circuit(
                b.name,
                Tag("internet", "Internet"),
                custom_field_data={"next_hops": " ".join(b.next_hops)},
                termination_a=Term([Iface(devices[b.router], "inet0")]),
            )
        )
    prefixes = [
        NbPrefix(netaddr.IPNetwork(str(s.nat_pool)), sites[s.name], TagManager("m365-site-nat"))
        for s in topo.sites
        if s.nat_pool is not None
    ]
    # what a NetBox also holds and the topology must pass over
    server = Device("srv1", sites["AMS"], 99)
    cables.append(Cable([Iface(devices["ams-core"], "eth9")], [Iface(server, "eth0")]))
    circuits.append(Circuit("mpls-1", Tag("mpls", "MPLS"), termination_a=Term([])))
    return {
        "devices": list(devices.values()),
        "cables": cables,
        "circuits": circuits,
        "prefixes": prefixes,
    }


def test_the_topology_from_netbox_is_the_yaml_example(view: Any) -> None:
    yaml_topo = load_topology(TOPOLOGY)
    objs = netbox_objects_of(TOPOLOGY)
    nb = netbox.topology_from_netbox(
        objs["devices"], cables=objs["cables"], circuits=objs["circuits"],
        prefixes=objs["prefixes"], instance=yaml_topo.instance,
    )  # fmt: skip
    assert sorted(nb.sites, key=lambda s: s.name) == sorted(yaml_topo.sites, key=lambda s: s.name)
    assert sorted((r.name, r.site) for r in nb.routers) == sorted(
        (r.name, r.site) for r in yaml_topo.routers
    )
    assert sorted(nb.links, key=str) == sorted(yaml_topo.links, key=str)
    assert sorted(nb.circuits, key=str) == sorted(yaml_topo.circuits, key=str)
    assert sorted(nb.breakouts, key=str) == sorted(yaml_topo.breakouts, key=str)
    # and its check, with the same route tables given as NetBox would (read, by router)
    tables = {
        r.name: routeplan.routes_from_files(list(r.routes)) for r in yaml_topo.routers if r.routes
    }
    from_yaml = analyse(yaml_topo, view)
    from_nb = analyse(nb, view, tables=tables)
    assert from_yaml.findings
    assert key_of(from_nb) == key_of(from_yaml)
    assert sorted(from_nb.choices, key=str) == sorted(from_yaml.choices, key=str)


def key_of(a: Any) -> list[tuple[Any, ...]]:
    """A check's findings, without the order the sites are listed in (a topology file's order;
    NetBox's is by name): what tests/netbox/integration.py compares in a real NetBox."""
    names = [s.name for s in a.topology.sites]
    return sorted(
        (f.code, f.severity, f.sites, f.services, f.subject, site_lists_sorted(f.message, names))
        for f in a.findings
    )


def test_the_comparison_sees_a_changed_cost(view: Any) -> None:
    """Compared this way, a link cost NetBox holds differently changes the check."""
    yaml_topo = load_topology(TOPOLOGY)
    links = tuple(dataclasses.replace(x, cost=1) if x.cost == 80 else x for x in yaml_topo.links)
    changed = dataclasses.replace(yaml_topo, links=links)
    assert key_of(analyse(changed, view)) != key_of(analyse(yaml_topo, view))


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda o: setattr(o["devices"][0].site, "region", None), "site AMS has no region"),
        (lambda o: setattr(o["devices"][0], "site", None), "has no site"),
        (lambda o: o["cables"][0].custom_field_data.update(igp_cost="ten"), "not a whole number"),
        (lambda o: o["cables"][0].custom_field_data.update(igp_cost=0), "positive whole number"),
        (
            lambda o: o["circuits"][0].custom_field_data.update(er_advertise="198.51.99.0/33"),
            "circuit er-ams, custom field er_advertise",
        ),
        (lambda o: setattr(o["devices"][1], "tags", TagManager("m365-gateway")), "2 devices"),
        (lambda o: o["circuits"].clear(), "no exits"),
        (
            lambda o: o["devices"].append(Device("ams-edge", Site("BOS", "bos", Region("us")), 77)),
            "two devices are named ams-edge",
        ),
        (lambda o: o["devices"].clear(), "no devices"),
    ],
)
def test_topology_errors_name_the_object(spoil: Any, message: str) -> None:
    objs = netbox_objects_of(TOPOLOGY)
    spoil(objs)
    with pytest.raises(InputError, match=message):
        netbox.topology_from_netbox(
            objs["devices"], cables=objs["cables"], circuits=objs["circuits"],
            prefixes=objs["prefixes"],
        )  # fmt: skip
