"""How files get damaged in the field, as hypothesis mutations of real inputs (the fuzz tests
and the skimmer's differential tests use them): cut short, lines dropped, duplicated or swapped,
columns swapped, garbage inserted, CRLF, tabs, a BOM, a very long line, NUL bytes, UTF-16,
Latin-1 bytes, a digit changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def mutate(data: bytes, draw: Callable[[Any], Any]) -> bytes:
    ops = draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3))
    for op in ops:
        data = op(data, draw)
    return data


def _pos(data: bytes, draw: Callable[[Any], Any]) -> int:
    return int(draw(st.integers(min_value=0, max_value=len(data))))


def cut(data: bytes, draw: Callable[[Any], Any]) -> bytes:
    return data[: _pos(data, draw)]


def drop_line(data: bytes, draw: Callable[[Any], Any]) -> bytes:
    lines = _lines(data)
    del lines[draw(st.integers(0, len(lines) - 1))]
    return b"\n".join(lines)


def dup_line(data: bytes, draw: Callable[[Any], Any]) -> bytes:
    lines = _lines(data)
    i = draw(st.integers(0, len(lines) - 1))
    lines.insert(i, lines[i])
    return b"\n".join(lines)


def swap_lines(data: bytes, draw: Callable[[Any], Any]) -> bytes:
    lines = _lines(data)
    i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def swap_columns(data: bytes, draw: Callable[[Any], Any]) -> bytes:
    lines = _lines(data)
    i = draw(st.integers(0, len(lines) - 1))
    words = lines[i].split()
    if len(words) >= 2:
        a, b = draw(st.integers(0, len(words) - 1)), draw(st.integers(0, len(words) - 1))
        words[a], words[b] = words[b], words[a]
        lines[i] = b" ".join(words)
    return b"\n".join(lines)


def garbage(data: bytes, draw: Callable[[Any], Any]) -> bytes:
    p = _pos(data, draw)
    return data[:p] + draw(st.binary(min_size=1, max_size=24)) + data[p:]


def change_byte(data: bytes, draw: Callable[[Any], Any]) -> bytes:
    if not data:
        return data
    p = draw(st.integers(0, len(data) - 1))
    return data[:p] + bytes([draw(st.sampled_from(b'0123456789:./-,{}[]" x'))]) + data[p + 1 :]


def crlf(data: bytes, draw: Callable[[Any], Any]) -> bytes:
    return data.replace(b"\n", b"\r\n")


def tabs(data: bytes, draw: Callable[[Any], Any]) -> bytes:
    return data.replace(b"    ", b"\t")


def bom(data: bytes, draw: Callable[[Any], Any]) -> bytes:
    return b"\xef\xbb\xbf" + data


def long_line(data: bytes, draw: Callable[[Any], Any]) -> bytes:
    p = _pos(data, draw)
    return data[:p] + b"9" * draw(st.integers(1000, 300_000)) + data[p:]


def nul(data: bytes, draw: Callable[[Any], Any]) -> bytes:
    p = _pos(data, draw)
    return data[:p] + b"\x00" + data[p:]


def utf16(data: bytes, draw: Callable[[Any], Any]) -> bytes:
    return data.decode("utf-8", errors="replace").encode(
        draw(st.sampled_from(["utf-16", "utf-16-le", "utf-16-be"]))
    )


def latin1(data: bytes, draw: Callable[[Any], Any]) -> bytes:
    p = _pos(data, draw)
    return data[:p] + b"\xe9" + data[p:]


MUTATIONS = [
    cut,
    drop_line,
    dup_line,
    swap_lines,
    swap_columns,
    garbage,
    change_byte,
    crlf,
    tabs,
    bom,
    long_line,
    nul,
    utf16,
    latin1,
]
