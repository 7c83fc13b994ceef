"""Reading route-table files: format lookup, detection, and the checks every input gets."""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from routeplan.errors import InputError, NotFoundError, UsageError
from routeplan.rib.base import Interest, ParseContext, Progress, RibFormat, Route, Skipped
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
    sections_skipped: tuple[str, ...] = ()
    """Sections passed over whole, by name: other address families (EVPN, VPLS, link-state),
    tables that are no IP unicast table (Junos mpls.0), a neighbour the router did not find."""


def get_format(name: str) -> RibFormat:
    """A format by name (or alias); a usage error listing the known ones otherwise."""
    key = name.strip().lower()
    for fmt in FORMATS:
        if key == fmt.name or key in fmt.aliases:
            return fmt
    raise NotFoundError("format", name, [f.name for f in FORMATS] + ["auto"])


def read_head(path: Path, source: str) -> tuple[str, str]:
    """The first 64 KiB as text and the file's encoding, after the checks every input gets."""
    try:
        if path.is_dir():
            raise InputError("is a directory, not a route table", source=source)
        if path.exists() and not path.is_file():
            raise InputError(
                "is not a regular file (a pipe, a device?)",
                source=source,
                hint="save the router output to a file and give that file",
            )
        with path.open("rb") as handle:
            data = handle.read(HEAD_BYTES)
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError("route table not found", source=source) from None
    except OSError as exc:  # also a name too long, a loop of links
        raise InputError(f"cannot read route table: {exc.strerror}", source=source) from None
    except ValueError as exc:  # a NUL byte in the name
        raise InputError(f"cannot read route table: {exc}", source=source) from None
    encoding = sniff_encoding(data)
    return check_head(data, source, encoding), encoding


def sniff_encoding(data: bytes) -> str:
    """UTF-16 (with a byte-order mark, as PowerShell's Out-File writes it, or without one:
    every other byte zero), else UTF-8 with or without a BOM.

    >>> sniff_encoding("Network".encode("utf-16")), sniff_encoding(b"10.0.0.0/8")
    ('utf-16', 'utf-8-sig')
    >>> sniff_encoding("Network  Next Hop".encode("utf-16-le"))
    'utf-16-le'
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[:4096]
    half = len(sample) // 2
    if half >= 4:
        evens, odds = sample[0::2], sample[1::2]
        if odds.count(0) >= half * 0.9 and not evens.count(0):
            return "utf-16-le"
        if evens.count(0) >= half * 0.9 and not odds.count(0):
            return "utf-16-be"
    return "utf-8-sig"


def check_head(data: bytes, source: str, encoding: str = "utf-8-sig") -> str:
    """The checks every input gets (empty, binary, only white space); the head as text."""
    if not data:
        raise InputError(
            "route table is empty (0 bytes)",
            source=source,
            hint="capture the router output again; the file holds nothing",
        )
    if encoding.startswith("utf-16"):
        data = data[: len(data) - len(data) % 2]
    text = data.decode(encoding, errors="replace")
    if "\x00" in text or _mostly_binary(text):
        raise InputError(
            "route table is a binary file, not router output",
            source=source,
            hint="give the text (or JSON) the router printed, not an archive or a capture",
        )
    if not text.strip():
        raise InputError("route table holds only white space", source=source)
    return text


def _mostly_binary(text: str) -> bool:
    sample = text[:4096]
    odd = sum(1 for c in sample if c < "\t" or "\r" < c < " " or c == "\ufffd")
    return odd > len(sample) // 20


def not_decodable(path: Path, source: str, encoding: str, exc: UnicodeDecodeError) -> InputError:
    """Where a file stops being text in its encoding: the line, the byte, what to do."""
    line = None
    if encoding.startswith("utf-8"):
        line, exc = _first_bad_line(path, exc)
    return _undecodable(source, encoding, exc, line)


def _first_bad_line(path: Path, exc: UnicodeDecodeError) -> tuple[int | None, UnicodeDecodeError]:
    """The line of the first byte that is not UTF-8, found in 1 MiB blocks (only on this
    error path): a line of gigabytes is never held whole to report it."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as bad:
                # the error's offset is within the decoder's buffer: what was left over from
                # the block before (at most 3 bytes of a sequence) and this block
                carried = len(bad.object) - len(block)
                at = max(bad.start - carried, 0)
                return lines + block.count(b"\n", 0, at) + 1, bad
            lines += block.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as bad:  # a sequence cut short by the end of the file
        return lines + 1, bad
    return None, exc


def _undecodable(
    source: str, encoding: str, exc: UnicodeDecodeError, line: int | None
) -> InputError:
    byte = exc.object[exc.start : exc.start + 1].hex() if exc.object else "?"
    return InputError(
        f"not {encoding.replace('-sig', '')} text (byte 0x{byte} cannot be decoded)",
        source=source,
        line=line,
        hint="save the file as UTF-8 (for example: iconv -f latin1 -t utf-8 FILE > FILE.utf8)",
    )


def decode_route_bytes(data: bytes, source: str) -> tuple[str, str]:
    """The bytes of a route table (an upload) as text, decoded as a file of them would be:
    the checks every input gets, UTF-16 as PowerShell writes it or UTF-8, a byte-order mark
    dropped, bytes that do not decode an error naming the line. Returns the text and its head
    (what format detection looks at, the same as for the file).

    >>> decode_route_bytes("52.96.0.0/14\\r\\n".encode("utf-16"), "upload")[0]
    '52.96.0.0/14\\r\\n'
    >>> decode_route_bytes(b"52.96.0.0/14\\n" * 30 + b"\\xe9\\n", "upload")
    Traceback (most recent call last):
    routeplan.errors.InputError: upload:31: not utf-8 text (byte 0xe9 cannot be decoded)
      hint: save the file as UTF-8 (for example: iconv -f latin1 -t utf-8 FILE > FILE.utf8)
    """
    encoding = sniff_encoding(data[:HEAD_BYTES])
    head = check_head(data[:HEAD_BYTES], source, encoding)
    try:
        return data.decode(encoding), head
    except UnicodeDecodeError as exc:
        line = None
        if encoding.startswith("utf-8"):
            line = data.count(b"\n", 0, exc.start) + 1
        raise _undecodable(source, encoding, exc, line) from None


def detect_format(head: str, source: str) -> RibFormat:
    """The first registered format whose signature the file's head matches."""
    for fmt in FORMATS:
        if fmt.detect(head):
            return fmt
    not_a_route_table(head, source)
    raise InputError(
        "cannot tell which route-table format this is",
        source=source,
        hint="tried " + ", ".join(f.name for f in FORMATS) + "; name it with --format "
        "(routeplan formats lists them)",
    )


_NOT_TABLES = (
    (
        re.compile(r"^\s*Neighbor\s+V\s+AS\s+MsgRcvd|^\s*Neighbor\s+Spk\s+AS|State/PfxRcd", re.M),
        "a BGP neighbour summary",
    ),
    (re.compile(r"^\s*Peer\s+AS\s+InPkt\s+OutPkt", re.M), "a Junos BGP summary"),
    (re.compile(r"^\s*BGP neighbor is \S+", re.M), "a BGP neighbour's details"),
    (re.compile(r"^\s*Peer: \S+\+?\d*\s+AS \d+", re.M), "a Junos BGP neighbour's details"),
    (
        re.compile(r"^\s*BGP routing table entry for \S+|^\s*Paths: \(\d+ available", re.M),
        "the detail view of one prefix",
    ),
    (
        re.compile(r"^\s*Routing entry for \S+", re.M),
        "the detail view of one route (show ip route PREFIX)",
    ),
    (
        re.compile(r'"(?:get_bgp_neighbors_detail|up_time|remote_as|accepted_prefix_count)"\s*:'),
        "NAPALM's get_bgp_neighbors_detail (BGP sessions; get_route_to holds routes)",
    ),
)


def not_a_route_table(head: str, source: str) -> None:
    """Raise when what was read held no route and looks like another command's output (a BGP
    summary, a neighbour list, one prefix's detail view): say what it is and what to run.

    >>> not_a_route_table("Neighbor        V    AS MsgRcvd MsgSent   TblVer  InQ OutQ", "x")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    routeplan.errors.InputError: x: this is a BGP neighbour summary, not a route table
      hint: routeplan reads a route table: save the output of ...
    """
    for pattern, what in _NOT_TABLES:
        if pattern.search(head):
            raise InputError(
                f"this is {what}, not a route table",
                source=source,
                hint="routeplan reads a route table: save the output of 'show ip bgp' or "
                "'show bgp ipv6 unicast' (Junos: 'show route', BIRD: 'birdc show route all'), "
                "or its JSON form",
            )


def read_routes(
    paths: Sequence[Path],
    *,
    format_name: str = "auto",
    interest: Interest | None = None,
    lenient: bool = False,
    progress: Progress | None = None,
) -> list[RibInput]:
    """Read every file; a usage error for an unknown format, an input error for bad input.
    ``progress`` is told how far each large file is read (:data:`~routeplan.rib.base.Progress`)."""
    fixed = None if format_name in ("auto", "") else get_format(format_name)
    if not paths:
        raise UsageError(
            "no route table given", hint="pass --routes FILE (more than once for several)"
        )
    out = []
    for path in paths:
        source = str(path)
        head, encoding = read_head(path, source)
        fmt = fixed or detect_format(head, source)
        ctx = ParseContext(
            path,
            source=source,
            interest=interest,
            lenient=lenient,
            progress=progress,
            encoding=encoding,
        )
        try:
            fmt.parse(ctx)
        except UnicodeDecodeError as exc:
            raise not_decodable(path, source, encoding, exc) from None
        out.append(_result(ctx, fmt, head))
    return out


def _result(ctx: ParseContext, fmt: RibFormat, head: str) -> RibInput:
    """What a parse read; refused when it read nothing and is another command's output."""
    if not any(ctx.counts.values()) and not ctx.skipped and not ctx.sections_skipped:
        not_a_route_table(head, ctx.source)
    return RibInput(
        ctx.source,
        fmt.name,
        tuple(ctx.routes),
        dict(ctx.counts),
        tuple(ctx.skipped),
        ctx.host_bits,
        tuple(ctx.sections_skipped),
    )


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
    if text.startswith("\ufeff"):
        text = text[1:]
    return read_decoded(
        text, name=name, format_name=format_name, interest=interest, lenient=lenient
    )


def read_decoded(
    text: str,
    *,
    name: str,
    format_name: str = "auto",
    interest: Interest | None = None,
    lenient: bool = False,
    head: str | None = None,
) -> RibInput:
    """:func:`read_route_text` for text whose byte-order mark, if any, is already dropped (by
    :func:`decode_route_bytes`, as reading a file drops it); ``head`` is what format detection
    looks at (default: the start of the text)."""
    if head is None:
        head = check_head(text[:HEAD_BYTES].encode("utf-8", errors="replace"), name)
    fmt = get_format(format_name) if format_name not in ("auto", "") else detect_format(head, name)
    ctx = ParseContext(Path(name), source=name, interest=interest, lenient=lenient, text=text)
    fmt.parse(ctx)
    return _result(ctx, fmt, head)
