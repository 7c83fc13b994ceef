"""Type stub for the C route-table skimmer (``_skim.c``)."""

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
def json_end(text: str, pos: int, key: str, /) -> tuple[int, int]: ...
def json_skim(
    text: str,
    pos: int,
    hints: list[int],
    octets: bytes,
    keys4: bytes,
    hextets: bytes,
    ranges4: bytes,
    markers: tuple[str, ...],
    key: str,
    /,
) -> tuple[int, int, int, int]: ...
