"""Proxy auto-config (PAC) files from the same decisions as the routing plan (docs/pac.md).

Proxied traffic is decided by host name, so the catalog's name side (the web service's URLs
and the 16-row table's destinations) needs a PAC file that agrees with the routes: a host the
route filter sends over ExpressRoute goes ``DIRECT`` (the router takes it onto the circuit), an
Internet-only host and an eligible one whose community is not selected go to the proxy (or
``DIRECT`` to a local Internet breakout), and a name the catalog does not know goes where the
user says.

The rules are the catalog's patterns in the order ``routeplan lookup`` lets them decide
(:meth:`~routeplan.catalog.query.CatalogView.fqdn_rules`): the deciding source first, exact
names before wildcards, the most specific wildcard first, so an Internet-only name under an
ExpressRoute wildcard comes before it. The first rule that matches answers, as lookup's most
specific pattern does.

The file never tests the client's own address (``isInNet(myIpAddress(), ...)`` answers by
where the laptop is, not where the host is) and calls ``dnsResolve`` only with
``ip_rules``. It is deterministic: the same catalog and options give the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from routeplan.catalog import CatalogView
from routeplan.catalog.decide import Selection, Verdict
from routeplan.errors import UsageError
from routeplan.fqdn import is_pattern
from routeplan.plan import build_plan

_PROXY = re.compile(
    r"^(?P<host>[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]):(?P<port>\d{1,5})$"
)
_TENANT = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_SIMPLE = re.compile(r"^[a-z0-9.*_-]+$")
"""A pattern ``shExpMatch`` takes as published: literal name characters and ``*``."""


@dataclass(frozen=True, slots=True)
class PacOptions:
    """Where each kind of host goes."""

    proxy: str | None = None
    """``HOST:PORT`` of the proxy for Internet-bound traffic."""
    direct_internet: bool = False
    """Internet-only and not-selected hosts go ``DIRECT`` (a local breakout), not to the proxy."""
    other: str = "proxy"
    """Hosts the catalog does not name: ``proxy`` or ``direct``."""
    tenant: str | None = None
    """Resolves ``<tenant>`` in the catalog's names (kept as a one-label wildcard without)."""
    ip_rules: bool = False
    """Also decide hosts the names miss by their address (``dnsResolve``, one DNS lookup per
    such request): the plan's IPv4 ExpressRoute and Internet-only lists."""

    def checked(self) -> PacOptions:
        """The options, or a usage error that says what is wrong.

        >>> PacOptions(proxy="proxy.example.net:8080").checked().proxy
        'proxy.example.net:8080'
        >>> PacOptions(proxy='p"; return "DIRECT').checked()
        Traceback (most recent call last):
        ...
        routeplan.errors.UsageError: --proxy 'p"; return "DIRECT' is not HOST:PORT
        """
        if self.proxy is not None:
            m = _PROXY.match(self.proxy)
            if m is None or not 1 <= int(m.group("port")) <= 65535:
                raise UsageError(f"--proxy {self.proxy!r} is not HOST:PORT")
        if self.other not in ("proxy", "direct"):
            raise UsageError(f"--other must be proxy or direct, not {self.other!r}")
        if self.tenant is not None and not _TENANT.match(self.tenant):
            raise UsageError(
                f"--tenant {self.tenant!r} is not a tenant name (one DNS label: letters, digits, "
                "hyphens)"
            )
        needs_proxy = not self.direct_internet or self.other == "proxy"
        if needs_proxy and self.proxy is None:
            raise UsageError(
                "say where Internet-bound hosts go: --proxy HOST:PORT, or --direct-internet "
                "with --other direct for a PAC file without a proxy",
            )
        return self

    @property
    def internet(self) -> str:
        return "DIRECT" if self.direct_internet else f"PROXY {self.proxy}"

    @property
    def unknown(self) -> str:
        return "DIRECT" if self.other == "direct" else f"PROXY {self.proxy}"


def action(verdict: Verdict, options: PacOptions) -> str:
    """The PAC answer for a lookup verdict: ExpressRoute goes ``DIRECT`` (routed onto the
    circuit), the Internet to the proxy (or a breakout), the rest as ``--other`` says.

    >>> o = PacOptions(proxy="proxy:8080")
    >>> action(Verdict.EXPRESSROUTE, o), action(Verdict.INTERNET_ONLY, o)
    ('DIRECT', 'PROXY proxy:8080')
    >>> action(Verdict.NOT_SELECTED, PacOptions(direct_internet=True, other="direct"))
    'DIRECT'
    """
    if verdict is Verdict.EXPRESSROUTE:
        return "DIRECT"
    if verdict in (Verdict.INTERNET_ONLY, Verdict.NOT_SELECTED, Verdict.MIXED):
        return options.internet
    return options.unknown  # not in the catalog, or named by a source that does not say


def condition(pattern: str, tenant: str | None = None) -> str:
    """The JavaScript test of one catalog pattern against ``host`` (lower case).

    >>> condition("outlook.office365.com")
    'host == "outlook.office365.com"'
    >>> condition("*.sharepoint.com")
    'shExpMatch(host, "*.sharepoint.com")'
    >>> condition("<tenant>.sharepoint.com")
    '/^[^.]+\\\\.sharepoint\\\\.com$/.test(host)'
    >>> condition("<tenant>.sharepoint.com", "contoso")
    'host == "contoso.sharepoint.com"'
    """
    if tenant is not None:
        pattern = re.sub(r"<[^>]+>", tenant, pattern)
    if not is_pattern(pattern):
        return f"host == {json.dumps(pattern)}"
    if _SIMPLE.match(pattern):
        return f"shExpMatch(host, {json.dumps(pattern)})"
    parts = []
    for token in re.split(r"(\*|<[^>]+>)", pattern):
        if token == "*":
            parts.append(".+")
        elif token.startswith("<") and token.endswith(">"):
            parts.append("[^.]+")
        else:
            parts.append(re.sub(r"[^a-z0-9_-]", lambda m: _js_escape(m.group()), token))
    return f"/^{''.join(parts)}$/.test(host)"


def _js_escape(char: str) -> str:
    """One character of a name inside a JavaScript regular expression literal."""
    if char.isascii() and char.isprintable() and char not in "\\/":
        return "\\" + char
    return f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else "."


def pac_rules(
    view: CatalogView, selection: Selection, options: PacOptions
) -> list[tuple[str, str, str]]:
    """Every catalog pattern with its condition and answer, in deciding order. Within one
    source's exact names (which never match the same host) names with the same answer are put
    together; a rule whose condition an earlier one already tests (``<tenant>`` resolved to a
    name given twice) is dropped."""
    out: list[tuple[str, str, str, tuple[int, int]]] = []
    seen: set[str] = set()
    group = 0
    last_exact: bool | None = None
    for pattern, origins in view.fqdn_rules():
        test = condition(pattern, options.tenant)
        if test in seen:
            continue
        seen.add(test)
        exact = test.startswith("host == ")
        if exact != last_exact:
            group, last_exact = group + 1, exact
        answer = action(view.decide(origins, selection).verdict, options)
        out.append((pattern, test, answer, (group, 0 if exact else len(out))))
    out.sort(key=lambda r: (r[3][0], r[2] if r[3][1] == 0 else "", r[3][1]))
    return [(pattern, test, answer) for pattern, test, answer, _ in out]


def _falls_through(rules: list[tuple[str, str, str]], default: str) -> list[tuple[str, str, str]]:
    """The rules without the exact names that answer as the file's last line does and that no
    later rule would answer otherwise for: they change nothing."""
    from routeplan.fqdn import matches  # noqa: PLC0415

    kept = []
    for i, (pattern, test, answer) in enumerate(rules):
        if answer == default and test.startswith("host == "):
            name = json.loads(test.removeprefix("host == "))
            later = next((r for r in rules[i + 1 :] if _tests(r, name, matches)), None)
            if later is None or later[2] == default:
                continue
        kept.append((pattern, test, answer))
    return kept


def _tests(rule: tuple[str, str, str], name: str, matches: Callable[[str, str], bool]) -> bool:
    pattern, test, _ = rule
    if test.startswith("host == "):
        return bool(json.loads(test.removeprefix("host == ")) == name)
    return matches(pattern, name)


def _netmask(length: int) -> str:
    """A dotted IPv4 mask.

    >>> _netmask(14), _netmask(32)
    ('255.252.0.0', '255.255.255.255')
    """
    bits = (0xFFFFFFFF << (32 - length)) & 0xFFFFFFFF
    return ".".join(str((bits >> s) & 0xFF) for s in (24, 16, 8, 0))


def _address_block(view: CatalogView, selection: Selection, options: PacOptions) -> list[str]:
    import ipaddress  # noqa: PLC0415

    plan = build_plan(view, selection)
    lines = [
        "    // --ip-rules: a host no name above decides, by its IPv4 address (one DNS lookup)",
        "    var ip = dnsResolve(host);",
        "    if (ip) {",
    ]
    for verdict, answer in (
        (Verdict.EXPRESSROUTE, "DIRECT"),
        (Verdict.INTERNET_ONLY, options.internet),
    ):
        tests = [
            f'isInNet(ip, "{ipaddress.IPv4Address(e.prefix.network)}", '
            f'"{_netmask(e.prefix.length)}")'
            for e in plan.list_for(verdict, 4).entries
        ]
        if tests:
            lines.append(_if(tests, answer, indent="        "))
    lines.append("    }")
    return lines


def _if(tests: Sequence[str], answer: str, indent: str = "    ") -> str:
    joined = f" ||\n{indent}    ".join(tests)
    return f"{indent}if ({joined})\n{indent}    return {json.dumps(answer)};"


def pac_file(view: CatalogView, selection: Selection, options: PacOptions) -> str:
    """The PAC file (JavaScript text) for a route-filter selection."""
    options = options.checked()
    default = options.unknown
    rules = _falls_through(pac_rules(view, selection, options), default)
    while rules and rules[-1][2] == default:
        rules.pop()  # the final return says the same
    snap = view.snapshot
    head = [
        f"// routeplan PAC file: {snap.instance} catalog {snap.label}, additional-endpoints "
        f"table {view.rows.label}",
        f"// route filter: {selection.asked}",
        "// ExpressRoute hosts go DIRECT (routed onto the circuit); Internet-only and "
        f"not-selected hosts: {options.internet}; other hosts: {default}.",
        "// The catalog's names, most specific first: the first that matches answers.",
        "function FindProxyForURL(url, host) {",
        "    host = host.toLowerCase();",
        '    if (host.charAt(host.length - 1) == ".")',
        "        host = host.substring(0, host.length - 1);",
    ]
    body: list[str] = []
    run: list[str] = []
    for i, (_, test, answer) in enumerate(rules):
        run.append(test)
        if i + 1 == len(rules) or rules[i + 1][2] != answer:
            body.append(_if(run, answer))
            run = []
    if options.ip_rules:
        body += _address_block(view, selection, options)
    return "\n".join([*head, *body, f"    return {json.dumps(default)};", "}"]) + "\n"


def pac_for(
    view: CatalogView,
    *,
    communities: Sequence[str] | None = None,
    services: Sequence[str] | None = None,
    proxy: str | None = None,
    direct_internet: bool = False,
    other: str = "proxy",
    tenant: str | None = None,
    ip_rules: bool = False,
) -> str:
    """``routeplan pac``: the PAC file for a route-filter selection (docs/pac.md)."""
    options = PacOptions(proxy, direct_internet, other, tenant, ip_rules)
    selection = view.selection(list(communities or ()) or None, list(services or ()) or None)
    return pac_file(view, selection, options)
