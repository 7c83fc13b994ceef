"""The generic CSV form for exports from anywhere else (docs/formats.md).

A header row names the columns; ``prefix`` is required, every other column of
:data:`~routeplan.rib.generic.FIELDS` is optional, unknown columns are an error. A row whose
route cannot matter (:meth:`~routeplan.rib.base.Interest.maybe`) and whose prefix is written
plainly (:func:`~routeplan.rib.prefixtext.prefix_family`) is counted; its other fields are not
parsed. With the C skimmer built, runs of such rows are counted in C (``csv_skim``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from routeplan.errors import InputError
from routeplan.rib.base import MAX_LINE, ParseContext, RibFormat
from routeplan.rib.bgplayout import LineSkim, SkimTables, load_skim, skim_tables
from routeplan.rib.generic import FIELDS, route_from_fields
from routeplan.rib.prefixtext import prefix_family


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
    rows = _Rows(ctx, lines, len(header), at)
    reader = csv.reader(rows)
    while True:
        rows.fresh = True  # the reader's next line starts a row: the skimmer may go first
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # a field over the csv module's limit, a stray quote ...
            raise InputError(
                f"not CSV here ({exc})",
                source=ctx.source,
                line=rows.n,
                hint="fix or remove the row",
            ) from None
        n = rows.n  # the row's last line
        if not row or not any(cell.strip() for cell in row):
            continue
        if row[0].lstrip().startswith("#"):
            continue
        raw = ",".join(row)
        if len(row) != len(header):
            ctx.bad(n, raw, f"expected {len(header)} columns, found {len(row)}")
            continue
        network = row[at].strip()
        if (
            maybe is not None
            and network
            and not maybe(network, raw)
            and (family := prefix_family(network))
        ):
            # cannot matter (its prefix, and no marker in the row): counted, the other fields
            # not parsed (as the other readers do); a prefix not written plainly is read in full
            ctx.count(family)
            continue
        route = route_from_fields(ctx, n, raw, dict(zip(header, row, strict=True)))
        if route is not None:
            ctx.add(route)


class _Rows:
    """The lines after the header, numbered (``n``: the last one given out), less the rows
    the C skimmer counts (``csv_skim``) where a row starts (``fresh``)."""

    def __init__(self, ctx: ParseContext, lines: Iterator[str], columns: int, at: int) -> None:
        self.ctx = ctx
        self.n = 1
        self.fresh = True
        tables = skim_tables(ctx.interest)
        self._lines: Iterator[str]
        if (
            CSV_SKIM is not None
            and tables is not None
            and (ctx.has_text() or ctx.encoding.startswith("utf-8"))
        ):
            if hasattr(lines, "close"):
                lines.close()  # the header was read from it; the skimmer reads in blocks
            self._lines = self._skimmed(tables, columns, at)
        else:
            self._lines = lines

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.n += 1
        self.fresh = False
        return line

    def _skimmed(self, tables: SkimTables, columns: int, at: int) -> Iterator[str]:
        octets, keys4, hextets, ranges4, markers = tables
        longest = min(MAX_LINE, csv.field_size_limit())  # a longer row is the csv module's
        first = True
        for block in self.ctx.blocks(BLOCK):
            pos, end = 0, len(block)
            if first:  # the header line, read already
                pos = block.find("\n") + 1 or end
                first = False
            hints = [-1] * len(markers)
            while pos < end:
                if self.fresh:
                    pos, lines, paths4, paths6 = CSV_SKIM(  # type: ignore[misc]
                        block, pos, hints, octets, keys4, hextets, ranges4, markers, columns, at,
                        longest,
                    )  # fmt: skip
                    self.n += lines
                    self.ctx.count(4, paths4)
                    self.ctx.count(6, paths6)
                    if pos >= end:
                        break
                stop = block.find("\n", pos)
                line = block[pos:] if stop < 0 else block[pos:stop]
                pos = end if stop < 0 else stop + 1
                if len(line) >= MAX_LINE:
                    self.ctx.too_long(self.n + 1)
                yield line


CSV_SKIM: LineSkim | None = load_skim("csv_skim")
"""The C skimmer of generic CSV rows (``_skim.c``), or None (no compiler at install, or
``ROUTEPLAN_PURE=1``): then Python reads every row, with the same result."""
BLOCK = 1 << 17


FORMAT = RibFormat(
    name="generic-csv",
    title="Generic CSV (routeplan's documented export form)",
    commands=("any tool that can write CSV: see docs/formats.md",),
    detect=detect,
    parse=parse,
)
