"""The plan: the split by address, hole-safe lists, the budget, the route filter, explanations.

The hole-safety and union properties are checked against an independent computation: netaddr
IPSets painted in longest-match order (shorter prefixes first, each more specific prefix
repainting its addresses), on random catalogs and on every bundled catalog.
"""

from __future__ import annotations

import itertools

import netaddr
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from routeplan.catalog.query import CatalogView, Selection, Verdict
from routeplan.cidrset import AddressSet
from routeplan.errors import UsageError
from routeplan.model import Catalog, Prefix
from routeplan.plan import FAMILIES, GROUPS, Plan, _fit, build_plan
from tests.helpers import SMALL_SELECTION, endpoint_set, view_with_sets

# ---------------------------------------------------------------------------------------------
# the independent oracle


def painted(plan: Plan) -> dict[Verdict, netaddr.IPSet]:
    """Address sets per verdict by painting prefixes shortest first (longest match wins)."""
    sets = {g: netaddr.IPSet() for g in GROUPS}
    for entry in sorted(plan.entries, key=lambda e: e.prefix.length):
        net = netaddr.IPNetwork(str(entry.prefix))
        for s in sets.values():
            s.remove(net)
        sets[entry.decision.verdict].add(net)
    return sets


def as_ipset(prefixes: list[Prefix]) -> netaddr.IPSet:
    return netaddr.IPSet(str(p) for p in prefixes)


def assert_hole_safe_and_exact(plan: Plan) -> None:
    truth = painted(plan)
    for verdict in GROUPS:
        out = [e.prefix for v in FAMILIES for e in plan.list_for(verdict, v).entries]
        union = as_ipset(out)
        # exact: the union of the list is the verdict's address set, nothing more or less
        assert union == truth[verdict], verdict
        # hole-safe: no entry shares an address with another verdict's set
        for other in GROUPS:
            if other is not verdict:
                assert not (union & truth[other]), (verdict, other)
        # minimal: the exact decomposition has no two entries that merge, none inside another
        assert len(out) == len(union.iter_cidrs()), verdict


# ---------------------------------------------------------------------------------------------
# worked by hand (the small catalog of conftest.py)


def _strs(prefixes: tuple[Prefix, ...]) -> list[str]:
    return [str(p) for p in prefixes]


def test_small_catalog_split_by_hand(small: CatalogView) -> None:
    plan = build_plan(small, small.selection(SMALL_SELECTION))
    er4 = plan.list_for(Verdict.EXPRESSROUTE, 4)
    # 40.96.0.0/16 minus the Internet-only hole 40.96.7.0/24, and the nested Skype /14
    assert _strs(er4.prefixes) == [
        "40.96.0.0/22",
        "40.96.4.0/23",
        "40.96.6.0/24",
        "40.96.8.0/21",
        "40.96.16.0/20",
        "40.96.32.0/19",
        "40.96.64.0/18",
        "40.96.128.0/17",
        "52.112.0.0/14",
    ]
    assert _strs(plan.list_for(Verdict.EXPRESSROUTE, 6).prefixes) == [
        "2603:1006::/40",
        "2603:1063::/38",
    ]
    # the Common /12 minus the Skype /14, the hole, the overlap lost by ExpressRoute, and
    # row 14's five /32s (Internet-only literal prefixes of the seed table)
    assert _strs(plan.list_for(Verdict.INTERNET_ONLY, 4).prefixes) == [
        "13.67.59.89/32",
        "13.107.6.152/31",
        "40.69.150.142/32",
        "40.85.91.8/32",
        "40.96.7.0/24",
        "52.116.0.0/14",
        "52.120.0.0/13",
        "104.211.54.99/32",
        "104.211.54.134/32",
    ]
    assert _strs(plan.list_for(Verdict.NOT_SELECTED, 4).prefixes) == ["13.107.136.0/22"]
    assert_hole_safe_and_exact(plan)


def test_entries_trace_to_sets_rows_and_catalog_prefixes(small: CatalogView) -> None:
    plan = build_plan(small, small.selection(SMALL_SELECTION))
    by_prefix = {str(e.prefix): e for e in plan.entries_of(Verdict.EXPRESSROUTE)}
    piece = by_prefix["40.96.128.0/17"]
    assert piece.set_ids == (1,)
    assert _strs(piece.sources) == ["40.96.0.0/16"]
    assert [str(c) for c in piece.communities] == ["12076:5010"]
    assert piece.rows == (3,)  # "Exchange Online IP ranges" are named by row 3
    hole = {str(e.prefix): e for e in plan.entries_of(Verdict.INTERNET_ONLY)}["40.96.7.0/24"]
    assert hole.set_ids == (2,)
    row14 = {str(e.prefix): e for e in plan.entries_of(Verdict.INTERNET_ONLY)}["13.67.59.89/32"]
    assert row14.rows == (14,)
    assert row14.set_ids == ()


def test_overlaps_and_nesting_are_explained(small: CatalogView) -> None:
    plan = build_plan(small, small.selection(SMALL_SELECTION))
    kinds = {(x.kind, str(x.prefix)): x for x in plan.explanations}
    assert set(kinds) == {
        ("overlap", "13.107.6.152/31"),
        ("hole", "40.96.7.0/24"),
        ("nested", "52.112.0.0/14"),
    }
    overlap = kinds[("overlap", "13.107.6.152/31")].message
    assert "Allow" in overlap
    assert "outranks or ties" in overlap
    hole = kinds[("hole", "40.96.7.0/24")]
    assert str(hole.outer) == "40.96.0.0/16"
    assert "towards the Internet" in hole.message


def test_category_priority_decides_a_shared_prefix(catalog: Catalog) -> None:
    """Optimize ExpressRoute beats Default Internet-only; a tie stays on the Internet."""
    view = view_with_sets(
        catalog,
        [
            endpoint_set(1, "Exchange", "Optimize", True, "40.96.0.0/24"),
            endpoint_set(2, "Common", "Default", False, "40.96.0.0/24"),
            endpoint_set(3, "Exchange", "Allow", True, "40.97.0.0/24"),
            endpoint_set(4, "Common", "Allow", False, "40.97.0.0/24"),
        ],
    )
    plan = build_plan(view, view.selection(SMALL_SELECTION))
    assert _strs(plan.list_for(Verdict.EXPRESSROUTE, 4).prefixes) == ["40.96.0.0/24"]
    assert "40.97.0.0/24" in _strs(plan.list_for(Verdict.INTERNET_ONLY, 4).prefixes)


def test_route_filter_for_the_done_line(worldwide: CatalogView) -> None:
    plan = build_plan(worldwide, worldwide.selection(["12076:5010", "12076:5030", "12076:5100"]))
    allowed = {str(c.community): c for c in plan.allowed}
    assert sorted(allowed) == ["12076:5010", "12076:5030", "12076:5100"]
    assert all(c.authorization_required for c in allowed.values())
    exchange = allowed["12076:5010"]
    assert exchange.name == "Exchange Online"
    assert exchange.service_areas == ("Exchange",)
    # what each brings: the catalog prefixes its endpoint sets carry
    expected = {
        p
        for es in worldwide.snapshot.endpoint_sets
        if exchange.community in worldwide.communities_of(es)
        for p in es.prefixes
    }
    assert exchange.prefixes == {
        4: sum(1 for p in expected if p.version == 4),
        6: sum(1 for p in expected if p.version == 6),
    }
    not_selected = [str(c.community) for c in plan.route_filter if not c.selected]
    assert "12076:5020" in not_selected


def test_selected_community_that_carries_nothing_is_a_note(worldwide: CatalogView) -> None:
    plan = build_plan(worldwide, worldwide.selection(["12076:5010", "12076:5040"]))
    assert any("12076:5040" in n for n in plan.notes)
    assert [str(c.community) for c in plan.allowed] == ["12076:5010"]


# ---------------------------------------------------------------------------------------------
# properties on random catalogs

AREAS = ["Exchange", "SharePoint", "Skype", "Common"]
CATEGORIES = ["Optimize", "Allow", "Default"]


@st.composite
def prefixes_v4(draw: st.DrawFn) -> str:
    # a small address range so that random prefixes nest and overlap often
    length = draw(st.integers(min_value=20, max_value=32))
    offset = draw(st.integers(min_value=0, max_value=(1 << 14) - 1)) << 2
    network = (40 << 24 | 96 << 16) + offset
    network &= ((1 << 32) - 1) ^ ((1 << (32 - length)) - 1)
    return Prefix(4, network, length).address + f"/{length}"


@st.composite
def prefixes_v6(draw: st.DrawFn) -> str:
    length = draw(st.integers(min_value=36, max_value=56))
    offset = draw(st.integers(min_value=0, max_value=(1 << 20) - 1))
    network = (0x2603_1006 << 96) + (offset << 72)
    network &= ((1 << 128) - 1) ^ ((1 << (128 - length)) - 1)
    return Prefix(6, network, length).address + f"/{length}"


random_sets = st.lists(
    st.tuples(
        st.sampled_from(AREAS),
        st.sampled_from(CATEGORIES),
        st.booleans(),
        st.lists(st.one_of(prefixes_v4(), prefixes_v6()), min_size=1, max_size=6),
    ),
    min_size=1,
    max_size=10,
)
random_selection = st.lists(
    st.sampled_from(["12076:5010", "12076:5020", "12076:5030", "12076:5100"]),
    min_size=1,
    unique=True,
)


def _random_view(catalog: Catalog, spec: list[tuple[str, str, bool, list[str]]]) -> CatalogView:
    sets = [
        endpoint_set(i, area, category, er, *dict.fromkeys(prefixes))
        for i, (area, category, er, prefixes) in enumerate(spec, 1)
    ]
    return view_with_sets(catalog, sets)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=random_sets, chosen=random_selection)
def test_lists_are_hole_safe_and_exact_on_random_catalogs(
    catalog: Catalog, spec: list[tuple[str, str, bool, list[str]]], chosen: list[str]
) -> None:
    view = _random_view(catalog, spec)
    assert_hole_safe_and_exact(build_plan(view, view.selection(chosen)))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    spec=random_sets,
    chosen=random_selection,
    limit=st.integers(min_value=1, max_value=12),
)
def test_budget_never_covers_another_list(
    catalog: Catalog, spec: list[tuple[str, str, bool, list[str]]], chosen: list[str], limit: int
) -> None:
    view = _random_view(catalog, spec)
    exact = build_plan(view, view.selection(chosen))
    fitted = build_plan(view, view.selection(chosen), max_prefixes=limit)
    truth = painted(exact)
    catalog_space = netaddr.IPSet()
    for s in truth.values():
        catalog_space |= s
    for verdict in (Verdict.EXPRESSROUTE, Verdict.INTERNET_ONLY):
        for v in FAMILIES:
            pl = fitted.list_for(verdict, v)
            union = as_ipset(list(pl.prefixes))
            mine = netaddr.IPSet(c for c in truth[verdict].iter_cidrs() if c.version == v)
            assert mine.issubset(union)  # nothing of the list is lost
            for other in GROUPS:
                if other is not verdict:
                    assert not (union & truth[other])  # never another list's address
            swallowed = union - mine
            assert not (swallowed & catalog_space)
            b = pl.budget
            if b is None:
                assert len(pl.entries) == pl.exact_count
                assert pl.exact_count <= limit or verdict is Verdict.NOT_SELECTED
                continue
            assert b.extra_addresses == swallowed.size
            assert sum(e.extra_addresses for e in pl.entries) == swallowed.size
            if b.met:
                assert len(pl.entries) <= limit
            else:
                assert len(pl.entries) == b.exact
                assert b.minimum > limit


def _brute_force_minimum(exact: list[Prefix], forbidden: AddressSet, limit: int) -> int | None:
    """Cheapest cover with at most ``limit`` CIDRs, trying every candidate supernet."""
    candidates: set[Prefix] = set()
    for p in exact:
        q = p
        while True:
            candidates.add(q)
            if q.length == 0:
                break
            q = q.supernet()
    usable = [c for c in candidates if not forbidden.overlaps(c)]
    best = None
    for k in range(1, limit + 1):
        for combo in itertools.combinations(usable, k):
            if all(any(c.contains(p) for c in combo) for p in exact):
                cost = AddressSet.of(exact[0].version, list(combo)).size - sum(
                    p.num_addresses for p in exact
                )
                best = cost if best is None else min(best, cost)
    return best


@settings(max_examples=60, deadline=None)
@given(
    raw=st.lists(st.integers(min_value=0, max_value=255), min_size=2, max_size=5, unique=True),
    blocked=st.lists(st.integers(min_value=0, max_value=255), max_size=3),
    limit=st.integers(min_value=1, max_value=3),
)
def test_budget_is_optimal_on_small_cases(raw: list[int], blocked: list[int], limit: int) -> None:
    exact = [Prefix(4, (10 << 24) + (n << 4), 28) for n in sorted(raw)]
    forbidden = AddressSet.of(
        4, [Prefix(4, (10 << 24) + (n << 4), 28) for n in blocked if n not in raw]
    )
    region = AddressSet.of(4, exact)
    chosen, budget = _fit(exact, region, forbidden, limit)
    best = _brute_force_minimum(exact, forbidden, limit)
    if best is None:
        assert not budget.met
        assert chosen == exact
    else:
        assert budget.met
        assert budget.extra_addresses == best


@pytest.mark.parametrize("limit", [0, -3])
def test_budget_must_be_positive(worldwide: CatalogView, limit: int) -> None:
    with pytest.raises(UsageError, match="at least 1"):
        build_plan(worldwide, worldwide.selection(), max_prefixes=limit)


# ---------------------------------------------------------------------------------------------
# every bundled catalog


def _views(catalog: Catalog) -> list[CatalogView]:
    out = []
    for snap in catalog.snapshots:
        out.extend(
            CatalogView(catalog, snap, table)
            for table in catalog.row_tables
            if table.label == catalog.default_rows
        )
    return out


def test_bundled_catalogs_of_every_instance_are_hole_safe(catalog: Catalog) -> None:
    seen = set()
    for view in _views(catalog):
        seen.add(view.instance)
        communities = [str(c) for c in view.all_communities()]
        selections: list[Selection] = [view.selection()]
        selections += [view.selection([c]) for c in communities]
        for selection in selections:
            assert_hole_safe_and_exact(build_plan(view, selection))
    assert seen == {"Worldwide", "USGovDoD", "USGovGCCHigh", "China"}


def test_bundled_budget_keeps_the_lists_apart(worldwide: CatalogView) -> None:
    plan = build_plan(worldwide, worldwide.selection(), max_prefixes=15)
    truth = painted(build_plan(worldwide, worldwide.selection()))
    er4 = plan.list_for(Verdict.EXPRESSROUTE, 4)
    assert er4.budget is not None
    union = as_ipset(list(er4.prefixes))
    wanted = netaddr.IPSet(c for c in truth[Verdict.EXPRESSROUTE].iter_cidrs() if c.version == 4)
    assert wanted.issubset(union)
    assert not (union & truth[Verdict.INTERNET_ONLY])
    assert not (union & truth[Verdict.NOT_SELECTED])


def test_plan_and_review_are_the_same_bytes_in_every_process() -> None:
    """Set and dict order must not leak into output: two interpreters with different hash
    seeds give byte-identical plan and review JSON."""
    import os  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    from tests.helpers import ROOT  # noqa: PLC0415

    commands = [
        ["plan", "--communities", "12076:5010,12076:5100", "-o", "json", "--max-prefixes", "9"],
        [
            "review",
            "--routes",
            "examples/rib/edge1-show-ip-bgp.txt",
            "--communities",
            "12076:5010",
            "--communities-after",
            "12076:5010,12076:5030",
            "-o",
            "json",
            "--fail-on",
            "never",
        ],
    ]
    for args in commands:
        outputs = set()
        for seed in ("1", "2", "3"):
            done = subprocess.run(
                [sys.executable, "-m", "routeplan", "--no-user-catalog", *args],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "PYTHONHASHSEED": seed},
            )
            outputs.add(done.stdout)
        assert len(outputs) == 1, args
