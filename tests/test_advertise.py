"""The advertisement lint: each defect caught, with where it is and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from routeplan.advertise import (
    AdvCode,
    AdvFinding,
    Announced,
    lint,
    read_announced,
    special_purpose,
)
from routeplan.catalog.query import CatalogView
from routeplan.diff import Severity
from routeplan.errors import InputError
from routeplan.model import Direction, parse_prefix


def _file(tmp_path: Path, name: str, *lines: str) -> Announced:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return read_announced(path)


def _codes(findings: tuple[AdvFinding, ...]) -> list[tuple[str, str | None, int | None]]:
    return [(f.code.value, f.prefix and str(f.prefix), f.line) for f in findings]


@pytest.mark.parametrize(
    ("prefix", "named"),
    [
        ("10.20.0.0/16", "RFC 1918"),
        ("172.31.0.0/16", "RFC 1918"),
        ("192.168.10.0/24", "RFC 1918"),
        ("100.64.0.0/10", "CGNAT"),
        ("192.0.2.0/24", "RFC 5737"),
        ("198.51.100.0/24", "RFC 5737"),
        ("203.0.113.128/25", "RFC 5737"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.1.0/24", "link-local"),
        ("224.1.0.0/16", "multicast"),
        ("240.0.0.0/8", "reserved"),
        ("0.0.0.0/1", "RFC 1122"),  # a short prefix that swallows special space
        ("2001:db8:5::/48", "RFC 3849"),
        ("fd00:1::/48", "unique local"),
        ("fe80::/64", "link-local"),
        ("2002:c000:0204::/48", "6to4"),
        ("3fff:1::/32", "RFC 9637"),
        ("4000::/16", "global unicast"),
    ],
)
def test_special_purpose_space(prefix: str, named: str) -> None:
    found = special_purpose(parse_prefix(prefix))
    assert found is not None
    assert named in found


@pytest.mark.parametrize("prefix", ["198.51.99.0/24", "8.8.8.0/24", "2a0b:4d07:100::/48"])
def test_public_space(prefix: str) -> None:
    assert special_purpose(parse_prefix(prefix)) is None


def test_each_defect_with_file_line_and_fix(tmp_path: Path, worldwide: CatalogView) -> None:
    session = _file(
        tmp_path,
        "nat.txt",
        "# NAT pools announced to Microsoft",
        "198.51.99.0/24",  # 2: fine
        "10.1.0.0/16",  # 3: private
        "0.0.0.0/0",  # 4: default
        "52.96.0.0/16",  # 5: inside Microsoft's 52.96.0.0/14
        "192.0.3.0/24",  # 6: Internet has the same
        "192.0.4.0/24",  # 7: Internet has a more specific
        "192.0.5.0/25",  # 8: more specific than the Internet's /24: fine
        "198.51.99.0/24",  # 9: duplicate
        "192.0.8.1/24",  # 10: host bits
    )
    internet = _file(tmp_path, "internet.txt", "192.0.3.0/24", "192.0.4.128/25", "192.0.5.0/24")
    inbound = _file(tmp_path, "inbound.txt", "198.51.99.25", "192.0.9.10")
    rows = [r for r in worldwide.rows.rows if r.direction is Direction.INBOUND]
    findings = lint(
        [session],
        catalog_prefixes=list(worldwide.entries),
        internet=[internet],
        inbound=[inbound],
        inbound_rows=rows,
    )
    assert _codes(findings) == [
        ("adv-also-internet", "192.0.3.0/24", 6),
        ("adv-also-internet", "192.0.4.0/24", 7),
        ("adv-default", "0.0.0.0/0", 4),
        ("adv-microsoft-space", "52.96.0.0/16", 5),
        ("adv-not-public", "10.1.0.0/16", 3),
        ("inbound-return-asymmetric", "198.51.99.25/32", 1),
        ("adv-host-bits", None, None),
        ("adv-duplicate", "198.51.99.0/24", 9),
    ]
    by_code = {f.code: f for f in findings}
    assert by_code[AdvCode.MICROSOFT_SPACE].where == f"{session.source}:5"
    assert "52.96.0.0/14" in by_code[AdvCode.MICROSOFT_SPACE].message
    inbound_finding = by_code[AdvCode.INBOUND_ASYMMETRIC]
    assert "row 15" in inbound_finding.message
    assert "row 16" in inbound_finding.message
    assert "testconnectivity.microsoft.com" in inbound_finding.message
    assert "198.51.99.0/24" in inbound_finding.hint
    assert "more specific" in by_code[AdvCode.ALSO_INTERNET].hint
    assert all(f.hint for f in findings)
    assert by_code[AdvCode.NOT_PUBLIC].severity is Severity.ERROR
    assert by_code[AdvCode.DUPLICATE].severity is Severity.INFO


def test_more_than_200_prefixes_on_one_session(tmp_path: Path) -> None:
    lines = [f"45.{i // 256}.{i % 256}.0/24" for i in range(201)]
    findings = lint([_file(tmp_path, "big.txt", *lines)])
    assert _codes(findings) == [("adv-too-many", None, None)]
    assert "201 prefixes" in findings[0].message
    ok = lint([_file(tmp_path, "ok.txt", *lines[:200])])
    assert ok == ()


def test_a_clean_session_has_no_findings(tmp_path: Path) -> None:
    assert lint([_file(tmp_path, "a.txt", "198.51.99.0/24", "2a0b:4d07:100::/48")]) == ()


def test_announcements_from_a_router_table(tmp_path: Path) -> None:
    """Any route-table format works, e.g. what the router says it advertises."""
    text = (
        "BGP table version is 7, local router ID is 192.0.2.1\n"
        "Status codes: s suppressed, d damped, h history, * valid, > best, i - internal\n"
        "Origin codes: i - IGP, e - EGP, ? - incomplete\n\n"
        "   Network          Next Hop            Metric LocPrf Weight Path\n"
        "*> 198.51.99.0/24   0.0.0.0                  0         32768 i\n"
        "*> 10.0.0.0         0.0.0.0                  0         32768 i\n"
    )
    path = tmp_path / "adv.txt"
    path.write_text(text)
    announced = read_announced(path)
    assert [str(p) for p, _ in announced.prefixes] == ["198.51.99.0/24", "10.0.0.0/8"]
    assert _codes(lint([announced])) == [("adv-not-public", "10.0.0.0/8", 7)]


def test_unreadable_announcements_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text("198.51.99.0/24\n198.51.300.0/24\n")
    with pytest.raises(InputError) as caught:
        read_announced(path)
    assert caught.value.line == 2
