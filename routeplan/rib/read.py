"""Reading route-table files: format lookup, detection, and the checks every input gets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from routeplan.errors import InputError, NotFoundError, UsageError
from routeplan.rib.base import Interest, ParseContext, RibFormat, Route, Skipped
from routeplan.rib.registry import FORMATS

HEAD_BYTES = 65536


@dataclass(frozen=True, slots=True)
class RibInput:
    """One route-table file, read."""

    source: str
    format: str
    routes: tuple[Route, ...]
    """The routes kept (all of them, without an interest)."""
    counts: dict[int, int]
    """Paths read per address family, kept or not."""
    skipped: tuple[Skipped, ...]
    host_bits: int
    """Prefixes printed with host bits set (cleared when read)."""


def get_format(name: str) -> RibFormat:
    """A format by name (or alias); a usage error listing the known ones otherwise."""
    key = name.strip().lower()
    for fmt in FORMATS:
        if key == fmt.name or key in fmt.aliases:
            return fmt
    raise NotFoundError("format", name, [f.name for f in FORMATS] + ["auto"])


def read_head(path: Path, source: str) -> str:
    """The first 64 KiB as text, after the checks every input gets."""
    try:
        with path.open("rb") as handle:
            data = handle.read(HEAD_BYTES)
    except IsADirectoryError:
        raise InputError("is a directory, not a route table", source=source) from None
    except FileNotFoundError:
        raise InputError("route table not found", source=source) from None
    except OSError as exc:
        raise InputError(f"cannot read route table: {exc.strerror}", source=source) from None
    return check_head(data, source)


def check_head(data: bytes, source: str) -> str:
    """The checks every input gets (empty, binary, only white space); the head as text."""
    if not data:
        raise InputError(
            "route table is empty (0 bytes)",
            source=source,
            hint="capture the router output again; the file holds nothing",
        )
    if b"\x00" in data or _mostly_binary(data):
        raise InputError(
            "route table is a binary file, not router output",
            source=source,
            hint="give the text (or JSON) the router printed, not an archive or a capture",
        )
    if not data.strip():
        raise InputError("route table holds only white space", source=source)
    return data.decode("utf-8-sig", errors="replace")


def _mostly_binary(data: bytes) -> bool:
    sample = data[:4096]
    odd = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return odd > len(sample) // 20


def detect_format(head: str, source: str) -> RibFormat:
    """The first registered format whose signature the file's head matches."""
    for fmt in FORMATS:
        if fmt.detect(head):
            return fmt
    raise InputError(
        "cannot tell which route-table format this is",
        source=source,
        hint="tried " + ", ".join(f.name for f in FORMATS) + "; name it with --format "
        "(routeplan formats lists them)",
    )


def read_routes(
    paths: Sequence[Path],
    *,
    format_name: str = "auto",
    interest: Interest | None = None,
    lenient: bool = False,
    progress: bool = False,
) -> list[RibInput]:
    """Read every file; a usage error for an unknown format, an input error for bad input."""
    fixed = None if format_name in ("auto", "") else get_format(format_name)
    if not paths:
        raise UsageError(
            "no route table given", hint="pass --routes FILE (more than once for several)"
        )
    out = []
    for path in paths:
        source = str(path)
        head = read_head(path, source)
        fmt = fixed or detect_format(head, source)
        ctx = ParseContext(
            path, source=source, interest=interest, lenient=lenient, progress=progress
        )
        fmt.parse(ctx)
        out.append(
            RibInput(
                source,
                fmt.name,
                tuple(ctx.routes),
                dict(ctx.counts),
                tuple(ctx.skipped),
                ctx.host_bits,
            )
        )
    return out


def read_route_text(
    text: str,
    *,
    name: str = "<text>",
    format_name: str = "auto",
    interest: Interest | None = None,
    lenient: bool = False,
) -> RibInput:
    """Read a route table given as text (an upload, a paste); ``name`` is how messages call it.

    >>> rib = read_route_text("52.96.0.0/14 expressroute\\n", name="paste")
    >>> rib.format, str(rib.routes[0].prefix), rib.routes[0].line
    ('prefix-list', '52.96.0.0/14', 1)
    """
    head = check_head(text[:HEAD_BYTES].encode("utf-8", errors="replace"), name)
    fmt = get_format(format_name) if format_name not in ("auto", "") else detect_format(head, name)
    ctx = ParseContext(Path(name), source=name, interest=interest, lenient=lenient, text=text)
    fmt.parse(ctx)
    return RibInput(
        name, fmt.name, tuple(ctx.routes), dict(ctx.counts), tuple(ctx.skipped), ctx.host_bits
    )
