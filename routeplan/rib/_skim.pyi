"""Type stub for the C route-table skimmer (``_skim.c``)."""

from typing import Any

def skim(
    text: str,
    pos: int,
    net_col: int,
    nh_col: int,
    hints: list[int],
    octets: bytes,
    keys4: bytes,
    hextets: bytes,
    ranges4: bytes,
    markers: tuple[str, ...],
    max_line: int,
    /,
) -> tuple[int, int, int, int]: ...
def json_end(
    text: str, pos: int, count: str, member: str, allowed: tuple[str, ...], /
) -> tuple[int, Any]: ...
def json_skim(
    text: str,
    pos: int,
    hints: list[int],
    octets: bytes,
    keys4: bytes,
    hextets: bytes,
    ranges4: bytes,
    markers: tuple[str, ...],
    count: str,
    member: str,
    allowed: tuple[str, ...],
    lists: tuple[str, ...],
    same: tuple[str, ...],
    texts: tuple[str, ...],
    /,
) -> tuple[int, int, int, int, int]: ...
def route_skim(
    text: str,
    pos: int,
    hints: list[int],
    octets: bytes,
    keys4: bytes,
    hextets: bytes,
    ranges4: bytes,
    markers: tuple[str, ...],
    mask: int,
    codes: tuple[str, ...],
    max_line: int,
    /,
) -> tuple[int, int, int, int]: ...
def prefix_family(text: str, /) -> int: ...
def csv_skim(
    text: str,
    pos: int,
    hints: list[int],
    octets: bytes,
    keys4: bytes,
    hextets: bytes,
    ranges4: bytes,
    markers: tuple[str, ...],
    columns: int,
    at: int,
    max_line: int,
    /,
) -> tuple[int, int, int, int]: ...
def bird_skim(
    text: str,
    pos: int,
    hints: list[int],
    octets: bytes,
    keys4: bytes,
    hextets: bytes,
    ranges4: bytes,
    markers: tuple[str, ...],
    max_line: int,
    /,
) -> tuple[int, int, int, int]: ...
def junos_skim(
    text: str,
    pos: int,
    hints: list[int],
    octets: bytes,
    keys4: bytes,
    hextets: bytes,
    ranges4: bytes,
    markers: tuple[str, ...],
    max_line: int,
    /,
) -> tuple[int, int, int, int]: ...
def nxos_skim(
    text: str,
    pos: int,
    hints: list[int],
    octets: bytes,
    keys4: bytes,
    hextets: bytes,
    ranges4: bytes,
    markers: tuple[str, ...],
    max_line: int,
    /,
) -> tuple[int, int, int, int]: ...
def openbgpd_skim(
    text: str,
    pos: int,
    hints: list[int],
    octets: bytes,
    keys4: bytes,
    hextets: bytes,
    ranges4: bytes,
    markers: tuple[str, ...],
    max_line: int,
    /,
) -> tuple[int, int, int, int]: ...
def azure_ps_skim(
    text: str,
    pos: int,
    hints: list[int],
    octets: bytes,
    keys4: bytes,
    hextets: bytes,
    ranges4: bytes,
    markers: tuple[str, ...],
    max_line: int,
    /,
) -> tuple[int, int, int, int]: ...
