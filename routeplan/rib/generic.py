"""Fields shared by the generic CSV and JSON forms (documented in docs/formats.md)."""

from __future__ import annotations

from routeplan.rib.base import ParseContext, Route, make_route, number

FIELDS = (
    "prefix",
    "next_hop",
    "as_path",
    "communities",
    "local_pref",
    "metric",
    "best",
    "valid",
    "protocol",
    "vrf",
    "interface",
    "peer",
)
TRUE = {"true", "yes", "1", "y"}
FALSE = {"false", "no", "0", "n"}


def flag(value: object, default: bool) -> bool | None:
    """A boolean field; None when it is not one.

    >>> flag("yes", False), flag("", True), flag("no", True), flag("maybe", True)
    (True, True, False, None)
    """
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if not text:
        return default
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    return None


def route_from_fields(
    ctx: ParseContext, n: int, raw: str, fields: dict[str, object]
) -> Route | None:
    """One route from field values (strings from CSV, JSON values from JSON)."""
    network = fields.get("prefix")
    if not isinstance(network, str) or not network.strip():
        ctx.bad(n, raw, "the route has no prefix")
        return None
    prefix = ctx.prefix(network, n, raw)
    if prefix is None:
        return None
    path_value = fields.get("as_path")
    if isinstance(path_value, list):
        path_value = " ".join(str(v) for v in path_value)
    as_path = ctx.as_path(str(path_value or ""), n, raw)
    if as_path is None:
        return None
    communities = fields.get("communities")
    if isinstance(communities, list):
        community_list = tuple(str(c) for c in communities)
    else:
        community_list = tuple(str(communities or "").replace(",", " ").split())
    numbers: dict[str, int | None] = {}
    for key in ("local_pref", "metric"):
        value = fields.get(key)
        if value in (None, ""):
            numbers[key] = None
        elif isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**63:
            numbers[key] = value
        elif isinstance(value, str) and number(value) is not None:
            numbers[key] = number(value)
        else:
            ctx.bad(n, raw, f"{key} {value!r} is not a whole number")
            return None
    flags: dict[str, bool] = {}
    for key in ("best", "valid"):
        got = flag(fields.get(key), True)
        if got is None:
            ctx.bad(n, raw, f"{key} {fields.get(key)!r} is not true or false")
            return None
        flags[key] = got
    protocol = str(fields.get("protocol") or ("bgp" if as_path else "static")).strip().lower()

    def text(key: str) -> str | None:
        value = fields.get(key)
        return str(value).strip() or None if value not in (None, "") else None

    return make_route(
        ctx,
        prefix,
        n,
        next_hop=text("next_hop"),
        as_path=as_path,
        communities=community_list,
        local_pref=numbers["local_pref"],
        metric=numbers["metric"],
        best=flags["best"],
        valid=flags["valid"],
        protocol=protocol,
        vrf=text("vrf"),
        interface=text("interface"),
        peer=text("peer"),
    )
