"""CSV cells that a spreadsheet will not run: formula injection neutralised as OWASP advises.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken by
Excel, LibreOffice and Google Sheets as a formula; topology names, file names and sources come
from users and files, so every CSV routeplan writes passes its cells through :func:`cell`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """The text of one CSV cell, with a leading quote where it would start a formula.

    >>> cell("=HYPERLINK(\\"http://x\\")"), cell("-"), cell("52.96.0.0/14"), cell(None)
    ('\\'=HYPERLINK("http://x")', "'-", '52.96.0.0/14', '')
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def rows_to_csv(rows: Iterable[Iterable[object]]) -> str:
    """Rows (the first one the header) as CSV text, every cell through :func:`cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return buffer.getvalue()
