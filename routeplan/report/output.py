"""Rendering listings as text tables, JSON, YAML or CSV.

A listing is a list of flat-ish records (dicts of scalars and lists) plus a JSON envelope.
Text is for people (aligned columns, long cells cut); JSON and YAML carry everything; CSV is one
line per record with lists joined by spaces.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from routeplan.report.csvsafe import rows_to_csv
from routeplan.yamlio import dump_yaml

FORMATS = ("text", "json", "yaml", "csv")


def _cell(value: Any, *, width: int | None) -> str:
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, (list, tuple)):
        text = ", ".join(_cell(v, width=None) for v in value)
    else:
        text = str(value)
    text = " ".join(text.split())
    if width is not None and len(text) > width:
        text = text[: width - 3] + "..."
    return text


def text_table(
    records: Sequence[Mapping[str, Any]], columns: Sequence[str], *, max_width: int = 60
) -> str:
    """An aligned plain-text table.

    >>> print(text_table([{"id": 1, "area": "Exchange"}, {"id": 12, "area": "Skype"}],
    ...                  ["id", "area"]), end="")
    ID  AREA
    1   Exchange
    12  Skype
    """
    rows = [[_cell(r.get(c), width=max_width) for c in columns] for r in records]
    heads = [c.upper().replace("_", " ") for c in columns]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(heads)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(heads, widths, strict=True)).rstrip()]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines) + "\n"


_JSON = json.JSONEncoder(indent=2, ensure_ascii=False, default=str)


def to_json(data: Any) -> str:
    """Indented JSON with a final newline, written chunk by chunk into one buffer: json.dumps
    keeps a list of every chunk first (a 50,000-site topology's answer is millions of them).

    >>> print(to_json({"a": [1, "é"]}), end="")
    {
      "a": [
        1,
        "é"
      ]
    }
    """
    out = io.StringIO()
    for chunk in _JSON.iterencode(data):
        out.write(chunk)
    out.write("\n")
    return out.getvalue()


def csv_table(records: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    rows: list[list[str]] = [list(columns)]
    for r in records:
        row = []
        for c in columns:
            value = r.get(c)
            if isinstance(value, (list, tuple)):
                row.append(" ".join(str(v) for v in value))
            elif isinstance(value, bool):
                row.append("true" if value else "false")
            else:
                row.append("" if value is None else str(value))
        rows.append(row)
    return rows_to_csv(rows)


def render_listing(
    fmt: str,
    *,
    schema: str,
    key: str,
    records: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    context: Mapping[str, Any] | None = None,
    title: str | None = None,
) -> str:
    """Render a listing. ``records`` carry every field; ``columns`` are shown as text/CSV."""
    if fmt in ("json", "yaml"):
        envelope: dict[str, Any] = {"schema": schema}
        envelope.update(context or {})
        envelope[key] = list(records)
        return to_json(envelope) if fmt == "json" else dump_yaml(json.loads(to_json(envelope)))
    if fmt == "csv":
        return csv_table(records, columns)
    out = f"{title}\n\n" if title else ""
    return out + text_table(records, columns)
