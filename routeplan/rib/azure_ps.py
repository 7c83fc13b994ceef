"""Azure ExpressRoute route tables from PowerShell: ``Get-AzExpressRouteCircuitRouteTable``
(list form, ``Network : ...``) and the classic table form (``Route Table Info:``)."""

from __future__ import annotations

from routeplan.rib.base import MAX_LINE, ParseContext, RibFormat, json_int, make_route
from routeplan.rib.bgplayout import LineSkim, load_skim, skimmed_lines


def detect(head: str) -> bool:
    return (
        "Network" in head and "NextHop" in head and ("Network :" in head or "Network  :" in head)
    ) or ("Route Table Info:" in head)


AZURE_PS_SKIM: LineSkim | None = load_skim("azure_ps_skim")
"""The C skimmer of the list form's records (``_skim.c``), or None (no compiler at install, or
``ROUTEPLAN_PURE=1``): then Python reads every line, with the same result."""
BLOCK = 1 << 17


def parse(ctx: ParseContext) -> None:
    record: dict[str, str] = {}
    start = 0
    table = False

    def skim_args() -> tuple[object, ...] | None:
        # between the list form's records: whole records that cannot matter are passed over
        return None if record or table else (MAX_LINE,)

    for n, line in skimmed_lines(ctx, AZURE_PS_SKIM, skim_args, BLOCK):
        text = line.strip()
        if text.startswith("Route Table Info:"):
            table = True
            continue
        if text.startswith("Route Table Summary:"):
            table = False
            continue
        if table:
            fields = text.split()
            if not fields or fields[0] in ("Network", "...") or text == "...":
                continue
            if len(fields) < 3:
                ctx.bad(n, line, "expected network, next hop and weight")
                continue
            # Network NextHop [LocPrf] Weight Path...: the weight is the last number before
            # the path, so read from the left: network, next hop, then numbers.
            _row(ctx, n, line, fields[0], fields[1], "", " ".join(_path_part(fields[2:])))
            continue
        if not text:
            if record:
                _flush(ctx, record, start)
                record = {}
            continue
        key, sep, value = line.partition(":")
        if not sep:
            if "Network" in record or record:
                ctx.bad(n, line, "expected 'Name : value'")
            continue
        if not record:
            start = n
        record[key.strip()] = value.strip()
    if record:
        _flush(ctx, record, start)


def _path_part(fields: list[str]) -> list[str]:
    """Drop the LocPrf / Weight numbers that come before the path in the classic table."""
    if len(fields) >= 2 and fields[0].isdigit():
        return fields[1:]
    return fields


def _flush(ctx: ParseContext, record: dict[str, str], line: int) -> None:
    if "Network" not in record:
        return
    _row(
        ctx,
        line,
        record["Network"],
        record["Network"],
        record.get("NextHop", ""),
        record.get("LocPrf", ""),
        record.get("Path", ""),
    )


def _row(
    ctx: ParseContext, n: int, raw: str, network: str, hop: str, locprf: str, path_text: str
) -> None:
    prefix = ctx.prefix(network, n, raw)
    if prefix is None:
        return
    cleaned = " ".join(t for t in path_text.split() if "#" not in t)
    as_path = ctx.as_path(cleaned, n, raw)
    if as_path is None:
        return
    ctx.add(
        make_route(
            ctx,
            prefix,
            n,
            next_hop=hop.rstrip("*") or None,
            as_path=as_path,
            local_pref=json_int(locprf),
            protocol="bgp",
        )
    )


FORMAT = RibFormat(
    name="azure-ps",
    title="Azure ExpressRoute route table (PowerShell)",
    commands=(
        "Get-AzExpressRouteCircuitRouteTable -DevicePath Primary -PeeringType MicrosoftPeering ...",
        "Get-AzureDedicatedCircuitPeeringRouteTableInfo (classic)",
    ),
    detect=detect,
    parse=parse,
    notes="masked AS numbers in documentation samples ('####') are dropped",
)
