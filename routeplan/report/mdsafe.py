"""Text from users (file names, router, site and circuit names, messages that quote them) put
into Markdown so that it stays text: no HTML (``<script>``, ``<svg onload=...>``), no links
or images (``[x](javascript:...)``), no table cells broken by ``|``, no new block started by
a line break, and control characters shown escaped. Every Markdown report uses these.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from routeplan.errors import printable

_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~!])")


def md_text(value: object) -> str:
    r"""``value`` as Markdown text that renders as itself: the characters Markdown or HTML
    would act on are backslash-escaped (CommonMark renders ``\<`` as ``<``), line breaks
    become spaces.

    >>> md_text("<script>alert(1)</script>")
    '\\<script\\>alert(1)\\</script\\>'
    >>> md_text("[x](javascript:alert(1)) a|b")
    '\\[x\\](javascript:alert(1)) a\\|b'
    >>> md_text("52.96.0.0/14 via er-ams")
    '52.96.0.0/14 via er-ams'
    >>> md_text("two\nlines\x1b[31m")
    'two lines\\\\x1b\\[31m'
    """
    text = printable(str(value)).replace("\n", " ")  # CR is escaped by printable
    return _SPECIAL.sub(r"\\\1", text)


def md_table(head: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    """A Markdown table; every cell through :func:`md_text`.

    >>> md_table(["a", "b"], [["x|y", "<b>"]])
    ['| a | b |', '|---|---|', '| x\\\\|y | \\\\<b\\\\> |']
    """
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(md_text(c) for c in r) + " |" for r in rows]
    return out


def md_fence(lines: Sequence[str], info: str = "text") -> list[str]:
    """Lines in a fenced code block whose fence is longer than any run of backticks in them,
    so that no line can close it early.

    >>> md_fence(["a ``` b"])
    ['````text', 'a ``` b', '````']
    """
    body = [printable(line) for line in lines]
    longest = max((len(m) for line in body for m in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + info, *body, fence]
