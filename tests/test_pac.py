"""PAC files evaluated by a real PAC engine (pacparser: a JavaScript engine with the PAC
functions browsers provide) agree with ``routeplan lookup`` for every catalog host name, an
instance of every wildcard pattern, and random names Microsoft does not publish, for several
route-filter selections and options."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from typing import Any

import pytest

from routeplan.catalog import CatalogView, load_catalog, select_view
from routeplan.commands import lookup
from routeplan.errors import UsageError
from routeplan.fleet import selection_of
from routeplan.pac import PacOptions, action, pac_file
from tests.helpers import run_cli

pacparser: Any = pytest.importorskip("pacparser")

SELECTIONS = {
    "exchange-only": (["12076:5010"], None),
    "three": (["12076:5010", "12076:5020", "12076:5030"], None),
    "all": (None, None),
    "sharepoint-service": (None, ["SharePoint"]),
}
PROXY = PacOptions(proxy="proxy.example.net:3128")


@pytest.fixture(scope="module")
def view() -> CatalogView:
    return select_view(load_catalog(include_user=False), "Worldwide")


def _names(view: CatalogView) -> list[str]:
    """Every exact name, two instances of every pattern, random other names."""
    out: set[str] = set()
    patterns = [u for es in view.snapshot.endpoint_sets for u in es.urls]
    patterns += [d for row in view.rows.rows for d in row.destinations]
    for p in patterns:
        for star, tenant in (("a1", "contoso"), ("x.y-z", "fabrikam")):
            out.add(re.sub(r"<[^>]+>", tenant, p.lower()).replace("*", star))
    rng = random.Random(20261207)
    words = ["example", "contoso", "intranet", "office", "login", "teams", "cdn", "mail"]
    tlds = ["com", "net", "org", "de", "microsoft", "cloud"]
    for _ in range(300):
        labels = [rng.choice(words) + str(rng.randrange(100)) for _ in range(rng.randint(1, 3))]
        out.add(".".join([*labels, rng.choice(tlds)]))
    return sorted(out)


class Engine:
    """pacparser holds one PAC file at a time, process-wide."""

    def __init__(self, text: str) -> None:
        pacparser.init()
        pacparser.parse_pac_string(text)

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        pacparser.cleanup()

    def answer(self, host: str) -> str:
        return str(pacparser.find_proxy(f"https://{host}/", host))


def _expected(
    view: CatalogView, selection: Any, names: list[str], options: PacOptions
) -> Iterator[tuple[str, str]]:
    for answer in lookup(view, names, selection):
        yield answer.query, action(answer.decision.verdict, options)


def _disagreements(
    view: CatalogView, selection: Any, options: PacOptions, names: list[str]
) -> list[tuple[str, str, str]]:
    """(host, lookup's answer, the engine's) for every name where the two differ."""
    with Engine(pac_file(view, selection, options)) as engine:
        return [
            (host, want, got)
            for host, want in _expected(view, selection, names, options)
            if (got := engine.answer(host)) != want
        ]


@pytest.mark.parametrize("name", sorted(SELECTIONS))
def test_the_pac_engine_answers_as_lookup_for_every_catalog_name(
    name: str, view: CatalogView
) -> None:
    communities, services = SELECTIONS[name]
    selection = selection_of(view, communities, services)
    names = _names(view)
    wrong = _disagreements(view, selection, PROXY, names)
    assert not wrong, f"{len(wrong)} of {len(names)} names differ, first: {wrong[:5]}"
    directs = sum(1 for host, want in _expected(view, selection, names, PROXY) if want == "DIRECT")
    assert directs > 0  # the selection sends some names over ExpressRoute
    assert len(names) > 700


@pytest.mark.parametrize(
    "options",
    [
        PacOptions(direct_internet=True, other="direct"),
        PacOptions(proxy="10.0.0.1:8080", direct_internet=True),
        PacOptions(proxy="[2001:db8::1]:8080", other="direct"),
    ],
    ids=["no-proxy", "breakout-unknown-to-proxy", "ipv6-proxy-unknown-direct"],
)
def test_each_option_keeps_the_engine_and_lookup_in_agreement(
    options: PacOptions, view: CatalogView
) -> None:
    selection = selection_of(view, ["12076:5010", "12076:5020"])
    wrong = _disagreements(view, selection, options, _names(view))
    assert not wrong, wrong[:5]


def test_the_rows_deciding_instead_keeps_the_agreement() -> None:
    """``--prefer rows``: the 16-row table decides where both sources name a host."""
    from routeplan.catalog.query import Source  # noqa: PLC0415

    view = select_view(load_catalog(include_user=False), "Worldwide", prefer=Source.ROWS)
    selection = selection_of(view, ["12076:5010", "12076:5100"])
    wrong = _disagreements(view, selection, PROXY, _names(view))
    assert not wrong, wrong[:5]


def test_a_tenant_resolves_its_own_names_and_case_and_trailing_dots_do_not_matter(
    view: CatalogView,
) -> None:
    selection = selection_of(view, ["12076:5020"])  # SharePoint
    text = pac_file(view, selection, PacOptions(proxy="p.example:8080", tenant="contoso"))
    assert "<tenant>" not in text
    with Engine(text) as engine:
        for host in ("contoso.sharepoint.com", "contoso-my.sharepoint.com"):
            [answer] = lookup(view, [host], selection)
            want = action(answer.decision.verdict, PacOptions(proxy="p.example:8080"))
            assert engine.answer(host) == want == "DIRECT"
            assert engine.answer(host.upper() + ".") == want


def test_address_rules_decide_hosts_by_the_plans_ipv4_lists(view: CatalogView) -> None:
    """pacparser's dnsResolve returns an address literal itself: no DNS is asked."""
    selection = selection_of(view, ["12076:5010"])
    options = PacOptions(proxy="p.example:8080", ip_rules=True)
    text = pac_file(view, selection, options)
    assert "dnsResolve(host)" in text
    assert "dnsResolve" not in pac_file(view, selection, PacOptions(proxy="p.example:8080"))
    hosts = ["52.96.10.1", "40.96.1.1", "13.107.6.152", "52.112.1.1", "192.0.2.1", "8.8.8.8"]
    with Engine(text) as engine:
        for host, want in _expected(view, selection, hosts, options):
            assert engine.answer(host) == want, host


def test_the_file_is_deterministic_and_never_asks_the_clients_address(view: CatalogView) -> None:
    selection = selection_of(view)
    text = pac_file(view, selection, PacOptions(proxy="p.example:8080", ip_rules=True))
    assert text == pac_file(view, selection, PacOptions(proxy="p.example:8080", ip_rules=True))
    assert "myIpAddress" not in text
    assert "Date" not in text


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (PacOptions(), "--proxy HOST:PORT"),
        (PacOptions(proxy='x:1"); alert("'), "not HOST:PORT"),
        (PacOptions(proxy="x:99999"), "not HOST:PORT"),
        (PacOptions(proxy="x:1", tenant="a.b"), "one DNS label"),
        (PacOptions(proxy="x:1", other="maybe"), "proxy or direct"),
    ],
)
def test_bad_options_are_usage_errors(options: PacOptions, says: str, view: CatalogView) -> None:
    with pytest.raises(UsageError, match=re.escape(says)):
        pac_file(view, selection_of(view), options)


def test_the_command_writes_the_library_file(view: CatalogView, tmp_path: Any) -> None:
    out = tmp_path / "proxy.pac"
    result = run_cli(
        "--no-user-catalog", "pac", "--communities", "12076:5010", "--proxy", "p.example:8080",
        "--out", str(out),
    )  # fmt: skip
    assert result.status == 0, result.stderr
    selection = selection_of(view, ["12076:5010"])
    assert out.read_text(encoding="utf-8") == pac_file(
        view, selection, PacOptions(proxy="p.example:8080")
    )
    result = run_cli("--no-user-catalog", "pac", "--communities", "12076:5010")
    assert result.status == 2
    assert "--proxy" in result.stderr
