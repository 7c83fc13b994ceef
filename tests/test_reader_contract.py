"""Every registered reader keeps one contract (``RibFormat.parse``'s docstring): routes only
from its own input, each route counted, bad input refused the same way. The fixtures are the
evidence; a format without both a good and a refused fixture fails here."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

import pytest

from routeplan.errors import InputError
from routeplan.rib import FORMATS, read_routes
from routeplan.rib.base import ParseContext, RibFormat, make_route
from tests.helpers import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "rib"


def _inputs(name: str, *, bad: bool) -> list[Path]:
    return sorted(
        p
        for p in (FIXTURES / name).glob("*")
        if not p.name.endswith(".yaml") and p.suffix != ".py" and ("_bad." in p.name) == bad
    )


GOOD = [p for f in FORMATS for p in _inputs(f.name, bad=False)]


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_every_format_has_a_read_and_a_refused_fixture(fmt: RibFormat) -> None:
    assert _inputs(fmt.name, bad=False), f"{fmt.name}: no fixture it reads (docs/formats.md)"
    bad = _inputs(fmt.name, bad=True)
    assert bad, f"{fmt.name}: no fixture it must refuse (NAME_bad.* with .error.yaml)"
    for path in bad:
        assert path.with_name(path.name + ".error.yaml").is_file(), path


def _printed(address: str) -> set[str]:
    """The ways a router may print a network address."""
    ip = ipaddress.ip_address(address)
    out = {str(ip), str(ip).upper()}
    if ip.version == 6:
        out.add(ip.exploded)
    return out


_WITH_LENGTH = re.compile(r"[0-9A-Fa-f:.]+/\d{1,3}")


def _printed_in(prefix: object, window: str) -> bool:
    """Is the route's network printed in the window: its address as routers print it, or a
    prefix whose host bits the reader cleared (``10.1.2.3/24`` read as ``10.1.2.0/24``)?"""
    network, _, _ = str(prefix).partition("/")
    if any(text in window for text in _printed(network)):
        return True
    for token in _WITH_LENGTH.findall(window):
        try:
            if str(ipaddress.ip_network(token, strict=False)) == str(prefix):
                return True
        except ValueError:
            continue
    return False


def test_every_format_is_registered_once() -> None:
    """Detection and ``routeplan formats`` list each format once (a second entry would be
    tried twice and printed twice)."""
    names = [f.name for f in FORMATS]
    assert sorted(names) == sorted(set(names)), names


@pytest.mark.parametrize("path", GOOD, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_routes_come_from_their_own_lines(path: Path) -> None:
    """Each route names this file and a line of it at or below where its network is printed
    (further paths, wrapped entries and Junos and BIRD blocks print the network above the
    line that decides the route), and every route read is counted in its family."""
    [got] = read_routes([path], format_name=path.parent.name)
    lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    for route in got.routes:
        assert route.source == str(path)
        assert 1 <= route.line <= len(lines), route
        window = "\n".join(lines[: route.line])
        assert _printed_in(route.prefix, window), f"{route.where}: {route.prefix} not printed there"
    for version in (4, 6):
        assert got.counts[version] >= sum(1 for r in got.routes if r.prefix.version == version)


@pytest.mark.parametrize("path", GOOD, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_lenient_reads_good_input_exactly_as_strict(path: Path) -> None:
    [strict] = read_routes([path], format_name=path.parent.name)
    [lenient] = read_routes([path], format_name=path.parent.name, lenient=True)
    assert not lenient.skipped
    assert lenient.routes == strict.routes
    assert lenient.counts == strict.counts


def _toy_parse(ctx: ParseContext) -> None:
    """A reader written to the docstring alone: one 'PREFIX NEXT-HOP' per line."""
    for n, line in enumerate(ctx.lines(), 1):
        fields = line.split()
        if len(fields) != 2:
            ctx.bad(n, line, "expected PREFIX NEXT-HOP")
            continue
        prefix = ctx.prefix(fields[0], n, line)
        if prefix is not None:
            ctx.add(make_route(ctx, prefix, n, next_hop=fields[1]))


def test_a_reader_written_to_the_docstring_reports_its_routes(tmp_path: Path) -> None:
    """The contract is enough to write a reader: its routes are counted and kept, and what
    it cannot read is refused at its line, or skipped whole with lenient."""
    path = tmp_path / "toy.txt"
    path.write_text("192.0.2.0/24 10.0.0.1\n2001:db8::/32 fe80::1\n")
    ctx = ParseContext(path)
    _toy_parse(ctx)
    assert ctx.counts == {4: 1, 6: 1}
    assert [str(r.prefix) for r in ctx.routes] == ["192.0.2.0/24", "2001:db8::/32"]
    path.write_text("192.0.2.0/24 10.0.0.1\n192.0.2.0/33 10.0.0.1\n")
    with pytest.raises(InputError) as caught:
        _toy_parse(ParseContext(path))
    assert caught.value.line == 2
    lenient = ParseContext(path, lenient=True)
    _toy_parse(lenient)
    assert [s.line for s in lenient.skipped] == [2]
    assert [str(r.prefix) for r in lenient.routes] == ["192.0.2.0/24"]
