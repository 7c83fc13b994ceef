"""Topology: each check on a small topology whose answer is worked out by hand, the loader's
errors, the what-if, the example, and the picture in a real browser."""

from __future__ import annotations

import json
import random
import re
import shutil
import sys
import textwrap
from pathlib import Path

import networkx as nx
import pytest

from routeplan.catalog.query import CatalogView
from routeplan.errors import ExitStatus, InputError
from routeplan.report.topology import topology_svg
from routeplan.topology import analyse, load_topology
from routeplan.topology import analysis as an
from routeplan.topology.analysis import intended_choices, what_if
from routeplan.topology.cuts import Loss
from tests.helpers import ROOT, run_cli

EXAMPLE = ROOT / "examples" / "topology" / "topology.yaml"

# Two regions. West: sites W1 (gateway w1) and W2 (w2); east: E1 (e1).
# w1 - w2 cost 5, w2 - e1 cost 50. Circuit er-w at w1 carries Exchange and Skype; circuit
# er-e at e1 carries Exchange only. Breakouts: inet-w at w1, inet-e at e1.
BASE = """\
schema: routeplan/topology/1
sites:
  - {name: W1, region: west, nat_pool: 198.51.99.0/26}
  - {name: W2, region: west}
  - {name: E1, region: east, nat_pool: 198.51.99.128/26}
routers:
  - {name: w1, site: W1}
  - {name: w2, site: W2}
  - {name: e1, site: E1}
links:
  - {a: w1, b: w2, cost: 5}
  - {a: w2, b: e1, cost: 50}
circuits:
  - {name: er-w, routers: [w1], communities: [12076:5010, 12076:5030],
     advertise: [198.51.99.0/25]}
  - {name: er-e, routers: [e1], communities: [12076:5010], advertise: [198.51.99.128/25]}
breakouts:
  - {name: inet-w, router: w1}
  - {name: inet-e, router: e1}
"""


def write(tmp_path: Path, text: str, name: str = "topo.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def codes(findings: object) -> list[tuple[str, str | None]]:
    return [(f.code, f.subject) for f in findings]  # type: ignore[attr-defined]


def test_intended_exits_by_hand(tmp_path: Path, worldwide: CatalogView) -> None:
    a = analyse(load_topology(write(tmp_path, BASE)), worldwide)
    assert a.carried["er-w"] >= {"Exchange", "Skype"}
    assert "Skype" not in a.carried["er-e"]
    got = {
        (c.site, c.service): (c.intended.name if c.intended else None, c.cost)
        for c in a.choices
        if c.service in ("Exchange", "Skype")
    }
    assert got == {
        ("W1", "Exchange"): ("er-w", 0.0),
        ("W1", "Skype"): ("er-w", 0.0),
        ("W2", "Exchange"): ("er-w", 5.0),  # 5 to w1, 50 to e1
        ("W2", "Skype"): ("er-w", 5.0),
        ("E1", "Exchange"): ("er-e", 0.0),
        ("E1", "Skype"): ("er-w", 55.0),  # only er-w carries Skype: 50 + 5
    }


def test_single_points_of_failure_by_hand(tmp_path: Path, worldwide: CatalogView) -> None:
    a = analyse(load_topology(write(tmp_path, BASE)), worldwide)
    spof = {f.subject: f for f in a.findings if f.code == "single-point-of-failure"}
    # er-w alone carries Skype: losing it (or w1, which terminates it) takes Skype off
    # ExpressRoute everywhere; w2 is a cut vertex between west and east
    assert set(spof) == {"circuit:er-w", "router:w1", "router:w2"}
    assert spof["circuit:er-w"].services == ("Skype",)
    assert spof["circuit:er-w"].sites == ("E1", "W1", "W2")
    # losing w1 takes W1 down with it (its gateway): only W2 and E1 are reported
    assert spof["router:w1"].sites == ("E1", "W2")
    # losing w2: E1 can no longer reach er-w for Skype; W2 itself is down
    assert spof["router:w2"].sites == ("E1",)
    assert spof["router:w2"].services == ("Skype",)


def test_redundant_circuit_is_no_single_point(tmp_path: Path, worldwide: CatalogView) -> None:
    text = BASE.replace(
        "communities: [12076:5010], advertise", "communities: [12076:5010, 12076:5030], advertise"
    )
    text = text.replace(
        "  - {a: w2, b: e1, cost: 50}\n",
        "  - {a: w2, b: e1, cost: 50}\n  - {a: w1, b: e1, cost: 70}\n",
    )
    a = analyse(load_topology(write(tmp_path, text)), worldwide)
    assert [f for f in a.findings if f.code == "single-point-of-failure"] == []


def test_what_if_names_the_sites_that_lose_expressroute(
    tmp_path: Path, worldwide: CatalogView
) -> None:
    topo = load_topology(write(tmp_path, BASE))
    a = analyse(topo, worldwide, with_tables=False)
    intended = intended_choices(topo, a.services, a.carried)
    moves = {
        (m.site, m.service): (m.before, m.after)
        for m in what_if(topo, a.services, a.carried, intended, "circuit:er-e")
    }
    # E1's Exchange moves to er-w over the 50 link; nothing loses ExpressRoute
    before, after = moves[("E1", "Exchange")]
    assert (before.name, after.name) == ("er-e", "er-w")  # type: ignore[union-attr]
    assert all(
        m[1] is not None and m[1].kind == "expressroute"
        for m in moves.values()
        if m[0] is not None and m[0].kind == "expressroute"
    )
    lost = what_if(topo, a.services, a.carried, intended, "link:w2-e1")
    skype = [m for m in lost if m.service == "Skype"]
    assert [(m.site, m.after.name) for m in skype] == [("E1", "inet-e")]  # type: ignore[union-attr]


def test_hairpin_by_hand(tmp_path: Path, worldwide: CatalogView) -> None:
    """W2's table sends its default to inet-e's next hop although inet-w is 5 away."""
    rib = tmp_path / "w2.txt"
    rib.write_text("0.0.0.0/0 internet\n")
    text = BASE.replace("  - {name: w2, site: W2}", "  - {name: w2, site: W2, routes: [w2.txt]}")
    text = text.replace(
        "  - {name: inet-e, router: e1}", "  - {name: inet-e, router: e1, next_hops: []}"
    )
    a = analyse(load_topology(write(tmp_path, text)), worldwide)
    # a stated 'internet' route without a next hop goes to the nearest breakout: no hairpin
    assert [f for f in a.findings if f.code == "hairpin"] == []
    generic = tmp_path / "w2.csv"
    generic.write_text("prefix,next_hop,as_path\n0.0.0.0/0,192.0.2.77,64500\n")
    text = text.replace("routes: [w2.txt]", "routes: [w2.csv]").replace(
        "next_hops: []", "next_hops: [192.0.2.77]"
    )
    a = analyse(load_topology(write(tmp_path, text)), worldwide)
    hairpins = [f for f in a.findings if f.code == "hairpin"]
    # W1 has no table of its own: it routes like the nearest router that has one (w2)
    assert [(f.sites, f.subject) for f in hairpins] == [(("W1",), "inet-e"), (("W2",), "inet-e")]
    assert "IGP cost 50 against 5 to inet-w" in hairpins[1].message
    assert "region east, while west has inet-w" in hairpins[1].message
    # and the route tables disagree with the plan for every service W2 should send over ER
    assert ("wrong-path", "inet-e") in codes(a.findings)


def test_far_circuit_by_hand(tmp_path: Path, worldwide: CatalogView) -> None:
    """E1's table sends Exchange to er-w's next hop while er-e (east) carries Exchange."""
    rib = tmp_path / "e1.csv"
    rib.write_text(
        "prefix,next_hop,as_path\n0.0.0.0/0,192.0.2.99,64500\n"
        "40.96.0.0/13,203.0.113.2,12076\n52.96.0.0/14,203.0.113.2,12076\n"
    )
    text = BASE.replace("  - {name: e1, site: E1}", "  - {name: e1, site: E1, routes: [e1.csv]}")
    text = text.replace(
        "routers: [w1], communities", "routers: [w1], next_hops: [203.0.113.2], communities"
    )
    a = analyse(load_topology(write(tmp_path, text)), worldwide)
    far = [f for f in a.findings if f.code == "far-circuit"]
    assert [(f.sites, f.services, f.subject) for f in far] == [(("E1",), ("Exchange",), "er-w")]
    assert "while er-e in east carries it" in far[0].message


def test_asymmetric_return_by_hand(tmp_path: Path, worldwide: CatalogView) -> None:
    """E1's Skype leaves through er-w (the only circuit carrying it), but E1's NAT pool is
    announced through er-e only."""
    a = analyse(load_topology(write(tmp_path, BASE)), worldwide)
    asym = [f for f in a.findings if f.code == "asymmetric-return"]
    assert [(f.sites, f.subject) for f in asym] == [(("E1",), "er-w")]
    assert "198.51.99.128/26 is announced through er-e" in asym[0].message
    fixed = BASE.replace("advertise: [198.51.99.0/25]", "advertise: [198.51.99.0/24]")
    a = analyse(load_topology(write(tmp_path, fixed)), worldwide)
    assert [f for f in a.findings if f.code == "asymmetric-return"] == []


def test_no_exit(tmp_path: Path, worldwide: CatalogView) -> None:
    text = (
        BASE.replace("  - {a: w2, b: e1, cost: 50}\n", "")
        .replace(
            "breakouts:\n  - {name: inet-w, router: w1}\n  - {name: inet-e, router: e1}\n",
            "breakouts:\n  - {name: inet-e, router: e1}\n",
        )
        .replace(
            "  - {name: er-w, routers: [w1], communities: [12076:5010, 12076:5030],\n"
            "     advertise: [198.51.99.0/25]}\n",
            "",
        )
    )
    a = analyse(load_topology(write(tmp_path, text)), worldwide)
    assert ("no-exit", None) in codes(a.findings)
    assert next(f for f in a.findings if f.code == "no-exit").sites == ("W1", "W2")


@pytest.mark.parametrize(
    ("change", "message", "line"),
    [
        (("  - {a: w1, b: w2, cost: 5}", "  - {a: w1, b: w9, cost: 5}"), "unknown router 'w9'", 11),
        (("  - {a: w1, b: w2, cost: 5}", "  - {a: w1, b: w2, cost: 0}"), "positive", 11),
        (("  - {name: W2, region: west}", "  - {name: W1, region: west}"), "defined twice", 4),
        (
            ("  - {name: w2, site: W2}", "  - {name: w2, site: W2, routes: [nope.txt]}"),
            "'nope.txt' not found",
            8,
        ),
        (("schema: routeplan/topology/1", "schema: routeplan/topology/9"), "expected schema", 1),
        (
            ("  - {name: inet-w, router: w1}", "  - {name: inet-w, router: w1, colour: red}"),
            "unknown key 'colour'",
            18,
        ),
    ],
)
def test_loader_errors_name_file_and_line(
    tmp_path: Path, change: tuple[str, str], message: str, line: int
) -> None:
    assert change[0] in BASE
    path = write(tmp_path, BASE.replace(change[0], change[1]))
    with pytest.raises(InputError, match=message) as caught:
        load_topology(path)
    assert caught.value.source == str(path)
    assert caught.value.line == line


# ---------------------------------------------------------------------------------------------
# the example and the command line


def test_example_findings() -> None:
    result = run_cli("topology", "check", str(EXAMPLE), "-o", "json")
    assert result.status == ExitStatus.FINDINGS
    doc = json.loads(result.stdout)
    assert doc["counts"] == {"sites": 6, "routers": 9, "links": 9, "circuits": 2, "breakouts": 3}
    found = {(f["code"], f["subject"]) for f in doc["findings"]}
    assert ("single-point-of-failure", "circuit:er-ams") in found
    assert ("hairpin", "inet-nyc") in found
    assert ("far-circuit", "er-ams") in found
    assert ("asymmetric-return", "er-ams") in found
    rtm = next(f for f in doc["findings"] if f["code"] == "hairpin")
    assert rtm["sites"] == ["RTM"]


def test_example_what_if_names_sites_per_service() -> None:
    result = run_cli(
        "review",
        "--topology",
        str(EXAMPLE),
        "--fail",
        "circuit:er-ams",
        "-o",
        "json",
        "--fail-on",
        "never",
    )
    doc = json.loads(result.stdout)
    assert doc["lose_expressroute"] == {"Skype": ["AMS", "BOS", "FRA", "MUC", "NYC", "RTM"]}
    # Skype loses ExpressRoute at every site that had it: the whole service is off it
    assert doc["off_expressroute"] == ["Skype"]
    assert doc["verdict"] == "blocking"
    md = run_cli("review", "--topology", str(EXAMPLE), "--fail", "circuit:er-ams").stdout
    assert "- Skype loses ExpressRoute at: AMS, BOS, FRA, MUC, NYC, RTM" in md
    assert "- Skype leaves ExpressRoute at every site that had it" in md
    csv_text = run_cli(
        "review", "--topology", str(EXAMPLE), "--fail", "router:ams-edge", "-o", "csv"
    ).stdout
    assert csv_text.splitlines()[0] == (
        "site,service,before,before_path,after,after_path,catalog_age_days,catalog_stale"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fail", "circuit:er-ams"], "go together"),
        (["--topology", str(EXAMPLE), "--fail", "circuit:nope"], "no circuit 'nope'"),
        (["--topology", str(EXAMPLE), "--fail", "planet:x"], "say circuit:NAME"),
    ],
)
def test_what_if_usage_mistakes(args: list[str], message: str) -> None:
    result = run_cli("review", *args)
    assert result.status == ExitStatus.USAGE
    assert message in result.stderr


def test_svg_file_and_html(tmp_path: Path, worldwide: CatalogView) -> None:
    svg = tmp_path / "topo.svg"
    result = run_cli("topology", "check", str(EXAMPLE), "--svg", str(svg), "-o", "html")
    assert result.status == ExitStatus.FINDINGS
    text = svg.read_text()
    assert text.startswith('<svg xmlns="http://www.w3.org/2000/svg" id="topology"')
    for name in ("AMS", "er-ams", "inet-nyc", "europe-central"):
        assert f">{name}<" in text
    assert '<div id="verdict" class="v-blocking">' in result.stdout
    a = analyse(load_topology(EXAMPLE), worldwide, with_tables=False)
    failed = topology_svg(a, failed="circuit:er-ams")
    assert failed.count("#c62828") > topology_svg(a).count("#c62828")


def test_the_pictures_in_the_docs_are_what_the_commands_draw() -> None:
    """docs/topology.md and docs/review.md show pictures drawn by tools/doc_pictures.py: each
    must be what the commands draw now (rerun the tool and review the pictures otherwise)."""
    import importlib.util  # noqa: PLC0415

    spec = importlib.util.spec_from_file_location("doc_pictures", ROOT / "tools/doc_pictures.py")
    assert spec is not None
    assert spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    drawn = tool.pictures()
    assert len(drawn) == 3
    for path, text in drawn.items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name}: run tools/doc_pictures.py"
        assert f"]({path.name})" in "".join(p.read_text() for p in (ROOT / "docs").glob("*.md")), (
            f"{path.name} is shown by no page"
        )


def test_a_full_table_adds_only_what_can_decide(
    tmp_path: Path, worldwide: CatalogView, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Routes that cannot decide a path (outside every catalog prefix, no default, not from
    AS 12076, not named by the policy) are counted, not kept: a router's full Internet table
    gives the same analysis as its Microsoft routes alone, without holding 1 M routes."""
    from routeplan.topology import analysis  # noqa: PLC0415

    copy = tmp_path / "topology"
    shutil.copytree(EXAMPLE.parent, copy)
    table = copy / "rib" / "ams-edge.txt"
    used = {p.network >> 24 for p in worldwide.entries if p.version == 4}
    elsewhere = [a for a in range(1, 224) if a not in used]
    noise = "".join(
        f" *>  {elsewhere[i % len(elsewhere)]}.{i // 50 % 256}.{i % 7}.0/24   198.51.100.1"
        "             0    100      0 64500 64511 i\n"
        for i in range(3000)
    )
    kept: dict[str, int] = {}
    real = analysis.read_routes

    def spy(paths: list[Path], **kwargs: object) -> object:
        ribs = real(paths, **kwargs)  # type: ignore[arg-type]
        kept[paths[0].name] = sum(len(r.routes) for r in ribs)
        return ribs

    monkeypatch.setattr(analysis, "read_routes", spy)
    plain = analyse(load_topology(copy / "topology.yaml"), worldwide)
    small = kept["ams-edge.txt"]
    table.write_text(table.read_text() + noise)
    full = analyse(load_topology(copy / "topology.yaml"), worldwide)
    assert full.findings == plain.findings
    assert full.choices == plain.choices
    assert kept["ams-edge.txt"] == small


def _random_topology(rng: random.Random, n: int) -> str:
    lines = ["schema: routeplan/topology/1", "sites:"]
    lines += [f"  - {{name: S{i}, region: r{i % 2}}}" for i in range(n)]
    lines.append("routers:")
    lines += [f"  - {{name: r{i}, site: S{i}}}" for i in range(n)]
    edges = {tuple(sorted(rng.sample(range(n), 2))) for _ in range(rng.randint(n - 2, 2 * n))}
    for i in range(1, n):  # mostly trees and chains, with a few cycles: many cut points
        if rng.random() < 0.7:
            edges.add((rng.randrange(i), i))
    lines.append("links:")
    lines += [f"  - {{a: r{a}, b: r{b}, cost: {rng.randint(1, 9)}}}" for a, b in sorted(edges)]
    lines.append("circuits:")
    picks = [["12076:5010"], ["12076:5010", "12076:5030"], ["12076:5100"]]
    for c in range(rng.randint(1, 3)):
        lines.append(
            f"  - {{name: er{c}, routers: [r{rng.randrange(n)}], "
            f"communities: [{', '.join(rng.choice(picks))}]}}"
        )
    lines.append("breakouts:")
    lines += [
        f"  - {{name: inet{b}, router: r{rng.randrange(n)}}}" for b in range(rng.randint(1, 2))
    ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(40))
def test_cut_points_from_one_search_match_one_pass_per_candidate(
    tmp_path: Path, worldwide: CatalogView, seed: int
) -> None:
    """The single points of failure found by one depth-first search are those found by one
    connectivity pass per candidate (circuit, terminating router, articulation point)."""
    rng = random.Random(seed)
    topo = load_topology(write(tmp_path, _random_topology(rng, rng.randint(3, 40))))
    carried = an.carried_services(worldwide, topo)
    services = tuple(sorted(set().union(*carried.values())))
    intended = intended_choices(topo, services, carried)
    got = {f.subject: (f.sites, f.message) for f in an._spof(topo, services, carried, intended)}

    g = an.graph_of(topo)
    carriers: dict[str, dict[str, set[str]]] = {s: {} for s in services}
    for c in topo.circuits:
        for s in carried.get(c.name, ()):
            for r in c.routers:
                carriers[s].setdefault(r, set()).add(c.name)
    on_er = {k for k, (e, _) in intended.items() if e is not None and e.kind == an.ER}
    breakouts = {b.router for b in topo.breakouts}
    candidates = [("circuit", c.name) for c in topo.circuits]
    cut = set(nx.articulation_points(g)) if g.number_of_nodes() > 2 else set()
    candidates += [("router", r) for r in {r for c in topo.circuits for r in c.routers} | cut]
    loss = Loss(g, topo, services, carriers, breakouts, on_er)
    want = {}
    for kind, name in candidates:
        lost, _ = loss.by_pass(kind, name)
        if lost:
            want[f"{kind}:{name}"] = tuple(sorted({x for v in lost.values() for x in v}))
    assert {k: v[0] for k, v in got.items()} == want


def test_the_check_grows_linearly_with_the_sites(tmp_path: Path, worldwide: CatalogView) -> None:
    """Counted in Python function calls, not seconds: four times the sites (a star, and a
    chain whose every router is a cut point) cost about four times the calls. A lookup by
    name in a loop (Topology.site() was a linear scan) or one graph pass per cut point makes
    it sixteen."""

    def calls(text: str) -> int:
        topo = load_topology(write(tmp_path, text))
        count = 0

        def profile(frame: object, event: str, arg: object) -> None:
            nonlocal count
            count += event == "call"

        sys.setprofile(profile)
        try:
            analyse(topo, worldwide, with_tables=False)
        finally:
            sys.setprofile(None)
        return count

    def star(n: int) -> str:
        return _shaped(n, [(0, i) for i in range(1, n)])

    def chain(n: int) -> str:  # the circuit and breakout at one end
        return _shaped(n, [(i, i + 1) for i in range(n - 1)])

    for shape in (star, chain):
        small, large = calls(shape(300)), calls(shape(1200))
        assert large < 6 * small, (shape.__name__, small, large)


def _shaped(n: int, edges: list[tuple[int, int]]) -> str:
    lines = ["schema: routeplan/topology/1", "sites:"]
    lines += [f"  - {{name: S{i}, region: r{i % 3}}}" for i in range(n)]
    lines.append("routers:")
    lines += [f"  - {{name: r{i}, site: S{i}}}" for i in range(n)]
    lines.append("links:")
    lines += [f"  - {{a: r{a}, b: r{b}, cost: 1}}" for a, b in edges]
    lines += [
        "circuits:",
        "  - {name: er0, routers: [r0], communities: [12076:5010]}",
        "breakouts:",
        "  - {name: inet0, router: r0}",
    ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(60))
def test_the_exit_search_is_networkx_dijkstra_step_for_step(seed: int) -> None:
    """``nearest`` keeps only each router's source, not its path; on random weighted graphs
    (ties included: small integer costs) it gives networkx's distances and the same source,
    so a tie still goes to the exit listed first."""
    rng = random.Random(seed)
    n = rng.randint(2, 40)
    g: nx.Graph[str] = nx.Graph()
    g.add_nodes_from(f"r{i}" for i in range(n))
    for _ in range(rng.randint(1, 3 * n)):
        a, b = rng.sample(range(n), 2)
        g.add_edge(
            f"r{a}", f"r{b}", **({"weight": rng.randint(1, 4)} if rng.random() < 0.8 else {})
        )
    sources = rng.sample(sorted(g), rng.randint(1, min(4, n)))
    dist, paths = nx.multi_source_dijkstra(g, sources, weight="weight")
    assert isinstance(dist, dict)
    assert isinstance(paths, dict)
    want = {node: (dist[node], paths[node][0]) for node in dist}
    assert an._dijkstra(g, sources) == want


def test_the_picture_shows_each_sites_findings(worldwide: CatalogView) -> None:
    """A reader can tell from the picture which sites are wrong: each site with findings has
    a badge with their count, red when an error is among them, its codes in the tooltip."""
    import re  # noqa: PLC0415

    a = analyse(load_topology(EXAMPLE), worldwide)
    svg = topology_svg(a)
    per_site: dict[str, list[str]] = {}
    for f in a.findings:
        for site in f.sites:
            per_site.setdefault(site, []).append(f.code)
    badges = re.findall(r"<g><title>([^<]*)</title><rect [^>]*fill=\"(#[0-9a-f]+)\"/>"
                        r"<text [^>]*>(\d+) (errors?|warnings?)</text></g>", svg)  # fmt: skip
    assert len(badges) == len(per_site) > 0
    counts = sorted(int(n) for _, _, n, _ in badges)
    assert counts == sorted(len(codes) for codes in per_site.values())
    for codes, colour, _, kind in badges:
        assert colour == ("#c62828" if kind.startswith("error") else "#b26a00")
        assert set(codes.split(", ")) <= {c for cs in per_site.values() for c in cs}


@pytest.mark.parametrize(
    "args",
    [
        ["topology", "check", str(EXAMPLE)],
        ["review", "--topology", str(EXAMPLE), "--fail", "circuit:er-ams"],
        ["review", "--topology", str(EXAMPLE), "--fail", "router:ams-edge"],
    ],
    ids=["check", "what-if-circuit", "what-if-router"],
)
def test_html_and_markdown_carry_the_same_sections(args: list[str]) -> None:
    import html as html_module  # noqa: PLC0415
    import re  # noqa: PLC0415

    base = [*args, "--fail-on", "never"]
    markdown = run_cli(*base, "-o", "markdown").stdout
    page = run_cli(*base, "-o", "html").stdout
    md_sections = re.findall(r"^## (.+)$", markdown, re.M)
    html_sections = [html_module.unescape(t) for t in re.findall(r"<h2>(.*?)</h2>", page)]
    assert md_sections == html_sections
    assert md_sections


def test_the_what_if_shows_the_actual_exit_before_beside_the_planned_one(
    tmp_path: Path,
) -> None:
    """The 'before' of a what-if is the planned exit; where the route tables tell, each move
    also carries the exit traffic really takes today (BOS and NYC leave through inet-nyc
    although er-ams is planned)."""
    from tests.helpers import assert_valid_contract  # noqa: PLC0415

    args = ["review", "--topology", str(EXAMPLE), "--fail", "circuit:er-ams", "--fail-on", "never"]
    doc = json.loads(run_cli(*args, "-o", "json").stdout)
    assert_valid_contract(doc, "what-if with route tables")
    moves = {(m["site"], m["service"]): m for m in doc["moves"]}
    bos = moves[("BOS", "Skype")]
    assert bos["before"].startswith("er-ams")
    assert bos["actual_before"].startswith("inet-nyc")
    assert bos["actual_before_path"] == "internet"
    assert moves[("AMS", "Skype")]["actual_before"].startswith("er-ams")
    markdown = run_cli(*args).stdout
    assert "| before (planned) | before (actual, route tables) | after |" in markdown
    assert "| BOS | Skype | er-ams (expressroute, ams-edge) | inet-nyc (internet, nyc-edge) |" in (
        markdown
    )
    # without route tables nothing is claimed about today's exits
    bare = tmp_path / "topo.yaml"
    text = EXAMPLE.read_text()
    bare.write_text(re.sub(r", routes: \[[^\]]*\]", "", text))
    assert "routes:" not in bare.read_text()
    doc = json.loads(run_cli(*[str(bare) if a == str(EXAMPLE) else a for a in args], "-o",
                              "json").stdout)  # fmt: skip
    assert doc["moves"]
    assert all("actual_before" not in m for m in doc["moves"])
