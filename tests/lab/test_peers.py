"""GoBGP's and OpenBGPD's own structured output, from real daemons in the lab (docs/lab.md):
every route read is one the stand-ins announced, with its AS path, communities and next hop,
and every route the daemon holds is read. Skipped with the reason where the machine lacks the
lab's tools or the daemon; ``ROUTEPLAN_REQUIRE_TOOLS=1`` (CI) makes that a failure."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import routeplan
from tests.lab.labnet import ISP_AS, LINKS, MSEE_AS, Lab, missing_tools
from tests.lab.peers import capture, missing, start_gobgp, start_openbgpd
from tests.lab.scenario import REGIONAL, World, world

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "lab"
SELECTION = ["12076:5010", "12076:5100"]
FORMATS = {
    "gobgp-global-rib-ipv4.json": "gobgp-json",
    "gobgp-global-rib-ipv6.json": "gobgp-json",
    "bgpctl-show-rib.txt": "openbgpd",
    "bgpctl-show-rib.json": "openbgpd-json",
    "bgpctl-show-rib-detail.json": "openbgpd-json",
}


def _skip_reason(kind: str) -> str | None:
    lacking = missing_tools() + missing(kind)
    if not lacking:
        return None
    why = f"the {kind} lab needs {', '.join(lacking)}"
    if os.environ.get("ROUTEPLAN_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{why} (ROUTEPLAN_REQUIRE_TOOLS=1)")
    return why


@pytest.fixture(scope="module", params=["gobgp", "openbgpd"])
def peer(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Lab, World]]:
    kind = request.param
    reason = _skip_reason(kind)
    if reason:
        pytest.skip(reason)
    view = routeplan.catalog_view(routeplan.load_catalog(include_user=False))
    w = world(view, routeplan.make_plan(view, communities=SELECTION))
    with Lab(tmp_path_factory.mktemp(f"lab-{kind}"), "frr") as lab:
        lab.start_standin("msee", w.msee, [*SELECTION, REGIONAL])
        lab.start_standin("isp", w.isp, None)
        start_gobgp(lab) if kind == "gobgp" else start_openbgpd(lab)
        yield kind, lab, w


def _wait_for_tables(lab: Lab, kind: str, want: int) -> dict[str, str]:
    """The captures once the daemon holds every route sent (or the last one, which then
    fails the test with what is missing)."""
    import time  # noqa: PLC0415

    deadline = time.monotonic() + 60
    while True:
        texts = capture(lab, kind)
        first = next(iter(texts))
        counts = routeplan.routes_from_text(texts[first], name=first)
        held = sum(counts.counts.values())
        if kind == "gobgp":
            other = next(t for n, t in texts.items() if n != first)
            held += sum(routeplan.routes_from_text(other, name="ipv6").counts.values())
        if held >= want or time.monotonic() > deadline:
            return texts
        time.sleep(1)


def test_the_daemons_structured_output_reads_back_as_announced(
    peer: tuple[str, Lab, World],
) -> None:
    kind, lab, w = peer
    allowed = {*SELECTION, REGIONAL}
    sent = {
        "msee": {a.prefix: a for a in w.msee if set(a.communities) & allowed},
        "isp": {a.prefix: a for a in w.isp},
    }
    paths = sum(len(v) for v in sent.values())
    out = ARTIFACTS / kind / "readback"
    out.mkdir(parents=True, exist_ok=True)
    peers = {LINKS[r][i]: r for r in ("msee", "isp") for i in (1, 3)}
    texts = _wait_for_tables(lab, kind, paths)
    families: dict[str, set[int]] = {}
    for name, text in texts.items():
        (out / name).write_text(text)
        rib = routeplan.routes_from_files([out / name])[0]
        assert rib.format == FORMATS[name], (name, rib.format)
        assert not rib.skipped
        fams = {4} if "ipv4" in name else {6} if "ipv6" in name else {4, 6}
        families[name] = fams
        seen: dict[str, set[str]] = {"msee": set(), "isp": set()}
        for r in rib.routes:
            p = str(r.prefix)
            who = {MSEE_AS: "msee", ISP_AS: "isp"}.get(r.as_path[0] if r.as_path else 0)
            assert who is not None, (name, p, r.as_path)
            assert r.next_hop is not None
            assert peers.get(r.next_hop.lower()) == who, (name, p, r.next_hop)
            want = sent[who].get(p)
            assert want is not None, (name, p, who)
            assert r.as_path == ((MSEE_AS if who == "msee" else ISP_AS), *want.path), (name, p)
            # the table views print no communities (none may be invented)
            assert set(r.communities) <= set(want.communities), (name, p, r.communities)
            if "detail" in name or kind == "gobgp":
                assert set(r.communities) == set(want.communities), (name, p)
            seen[who].add(p)
        for who in ("msee", "isp"):
            expected = {p for p in sent[who] if ipaddress.ip_network(p).version in fams}
            assert seen[who] == expected, (name, who, sorted(expected ^ seen[who])[:5])
        # a destination both stand-ins send (inside Microsoft space) has one best path
        best = [r for r in rib.routes if str(r.prefix) in w.inside_er]
        assert best, name
        by_prefix: dict[str, int] = {}
        for r in best:
            by_prefix[str(r.prefix)] = by_prefix.get(str(r.prefix), 0) + int(r.best)
        assert set(by_prefix.values()) == {1}, (name, by_prefix)
