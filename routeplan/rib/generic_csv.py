"""The generic CSV form for exports from anywhere else (docs/formats.md).

A header row names the columns; ``prefix`` is required, every other column of
:data:`~routeplan.rib.generic.FIELDS` is optional, unknown columns are an error. A row whose
route cannot matter (:meth:`~routeplan.rib.base.Interest.maybe`) has its prefix checked and is
counted; its other fields are not parsed.
"""

from __future__ import annotations

import csv

from routeplan.errors import InputError
from routeplan.rib.base import ParseContext, RibFormat
from routeplan.rib.generic import FIELDS, route_from_fields


def detect(head: str) -> bool:
    first = head.lstrip("\ufeff").split("\n", 1)[0].strip().lower()
    return "," in first and first.split(",")[0].strip() in FIELDS and "prefix" in first


def parse(ctx: ParseContext) -> None:
    lines = ctx.lines()
    header_line = next(lines, "")
    try:
        header = [h.strip().lower() for h in next(csv.reader([header_line]))]
    except (csv.Error, StopIteration) as exc:
        ctx.bad(1, header_line, f"the header row is not CSV ({exc})")
        return
    unknown = [h for h in header if h not in FIELDS]
    if "prefix" not in header or unknown:
        ctx.bad(
            1,
            header_line,
            "the header row must name a prefix column and only known columns"
            + (f" (unknown: {', '.join(unknown)})" if unknown else ""),
            hint="columns: " + ", ".join(FIELDS),
        )
        return
    interest = ctx.interest
    maybe = interest.maybe if interest is not None and not interest.everything else None
    at = header.index("prefix")
    reader = csv.reader(lines)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # a field over the csv module's limit, a stray quote ...
            n = reader.line_num + 1
            raise InputError(
                f"not CSV here ({exc})", source=ctx.source, line=n, hint="fix or remove the row"
            ) from None
        n = reader.line_num + 1  # the header line came first
        if not row or not any(cell.strip() for cell in row):
            continue
        if row[0].lstrip().startswith("#"):
            continue
        raw = ",".join(row)
        if len(row) != len(header):
            ctx.bad(n, raw, f"expected {len(header)} columns, found {len(row)}")
            continue
        network = row[at].strip()
        if maybe is not None and network and not maybe(network, raw):
            # cannot matter (its prefix, and no marker in the row): the prefix is checked and
            # the route counted, the other fields are not parsed (as the other readers do)
            prefix = ctx.prefix(network, n, raw)
            if prefix is not None:
                ctx.count(prefix.version)
            continue
        route = route_from_fields(ctx, n, raw, dict(zip(header, row, strict=True)))
        if route is not None:
            ctx.add(route)


FORMAT = RibFormat(
    name="generic-csv",
    title="Generic CSV (routeplan's documented export form)",
    commands=("any tool that can write CSV: see docs/formats.md",),
    detect=detect,
    parse=parse,
)
