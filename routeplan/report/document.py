"""One model of a human-readable report (a title, its opening blocks, sections of blocks) and
its two renderings, Markdown and self-contained HTML, each a Jinja2 template
(``routeplan/report/templates``). Every report people read (review, plan, diff, topology check,
what-if) is built as a :class:`Document`, so its Markdown and HTML carry the same sections in
the same order and cannot drift apart; the section test holds every report to that.

Text in the model is plain: the Markdown template escapes it (:mod:`routeplan.report.mdsafe`),
the HTML template autoescapes it. Only a :class:`Figure` carries markup (an SVG routeplan drew
itself); Markdown has no pictures and names the figure instead.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from routeplan.errors import printable
from routeplan.report.mdsafe import md_fence, md_table, md_text

if TYPE_CHECKING:
    import jinja2

Style = Literal["", "b", "code"]

BASE_CSS = """
@media print{body{margin:0;max-width:none}h2{break-before:page}h2:first-of-type{break-before:auto}
#verdict{-webkit-print-color-adjust:exact;print-color-adjust:exact}table{break-inside:auto}
tr{break-inside:avoid}}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;max-width:70rem;
color:#222}
#verdict{padding:.8rem 1rem;border-radius:6px;font-size:1.4rem;font-weight:600;color:#fff}
.v-blocking{background:#c62828}.v-review-needed{background:#e08a1e}.v-no-impact{background:#2e7d32}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ccc;padding:.2rem .5rem;
text-align:left;font-size:.9rem}th{background:#f3f3f3}code{font-size:.9rem}
""".strip()
"""The reports' stylesheet: readable on screen, and printed with each section on a new page."""


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text: plain, bold or code; with ``href`` (``#anchor``), HTML links it to the
    part of the same report it names (Markdown has no anchors for rows: there it is text)."""

    text: str
    style: Style = ""
    href: str | None = None


def anchor(kind: str, value: object) -> str:
    """An HTML id for a thing a report names (a prefix, a row).

    >>> anchor("prefix", "2a01:111:f402::/48"), anchor("row", 3)
    ('prefix-2a01-111-f402-48', 'row-3')
    """
    return f"{kind}-" + re.sub(r"[^0-9a-zA-Z]+", "-", str(value)).strip("-").lower()


Inline = tuple[Span, ...]


def spans(*parts: str | Span) -> Inline:
    """Plain strings and spans as one inline run.

    >>> spans(Span("new", "b"), " error ", Span("er-via-internet", "code"))[1]
    Span(text=' error ', style='', href=None)
    """
    return tuple(p if isinstance(p, Span) else Span(p) for p in parts)


@dataclass(frozen=True, slots=True)
class Para:
    text: Inline
    kind: str = field(default="para", init=False)


@dataclass(frozen=True, slots=True)
class Note:
    """A remark set apart (Markdown: a quote), such as the catalog's age."""

    text: Inline
    id: str | None = None
    kind: str = field(default="note", init=False)


@dataclass(frozen=True, slots=True)
class Items:
    items: tuple[Inline, ...]
    id: str | None = None
    item_ids: tuple[str | None, ...] = ()
    """An HTML id for each item (what other parts of the report link to), or none."""
    kind: str = field(default="items", init=False)


Cell = str | Span | Inline


@dataclass(frozen=True, slots=True)
class Table:
    head: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    """Cells are plain text, a span (a code in a table of findings) or spans (links)."""
    row_ids: tuple[str | None, ...] = ()
    """An HTML id for each row (what other parts of the report link to), or none."""
    kind: str = field(default="table", init=False)


@dataclass(frozen=True, slots=True)
class Code:
    lines: tuple[str, ...]
    lang: str = "text"
    kind: str = field(default="code", init=False)


@dataclass(frozen=True, slots=True)
class Figure:
    """A picture routeplan drew (SVG markup of its own); ``caption`` is what Markdown says."""

    svg: str
    caption: str
    kind: str = field(default="figure", init=False)


Block = Para | Note | Items | Table | Code | Figure


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    blocks: tuple[Block, ...]
    subsections: tuple[Section, ...] = ()
    """One level down (a router's part of a fleet report): ``###``, ``<h3>``."""

    @property
    def anchor(self) -> str:
        """The section's HTML id.

        >>> Section("Prefixes that change path (11)", ()).anchor
        'prefixes-that-change-path'
        """
        words = re.sub(r"\(\d+\)", "", self.title.lower())
        return re.sub(r"[^a-z0-9]+", "-", words).strip("-")


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    head: tuple[Block, ...]
    sections: tuple[Section, ...]
    verdict: str | None = None
    """A verdict (``blocking``, ``review needed``, ``no impact``): HTML shows the title as a
    banner of its colour."""
    css: str = BASE_CSS


def items(lines: Iterable[str], id: str | None = None) -> Items:
    return Items(tuple(spans(x) for x in lines), id)


def table(
    head: Sequence[str], rows: Iterable[Sequence[object]], row_ids: Sequence[str | None] = ()
) -> Table:
    return Table(
        tuple(head),
        tuple(tuple(c if isinstance(c, Span | tuple) else str(c) for c in r) for r in rows),
        tuple(row_ids),
    )


def para(*parts: str | Span) -> Para:
    return Para(spans(*parts))


# ---------------------------------------------------------------------------------------------
# rendering


def _md_inline(text: Inline) -> str:
    """Spans as Markdown.

    >>> _md_inline(spans(Span("new", "b"), " x<y ", Span("a`b", "code")))
    '**new** x\\\\<y ``a`b``'
    """
    out = []
    for s in text:
        if s.style == "b":
            out.append(f"**{md_text(s.text)}**")
        elif s.style == "code":
            body = printable(s.text).replace("\n", " ")
            ticks = "`" * (max((len(m) for m in re.findall(r"`+", body)), default=0) + 1)
            pad = " " if body.startswith("`") or body.endswith("`") else ""
            out.append(f"{ticks}{pad}{body}{pad}{ticks}")
        else:
            out.append(md_text(s.text))
    return "".join(out)


def _md_table(b: Table) -> str:
    """A table as Markdown: plain cells escaped, span cells styled.

    >>> print(_md_table(table(["a", "b"], [["x|y", Span("c", "code")]])))
    | a | b |
    |---|---|
    | x\\|y | `c` |
    """
    lines = md_table(b.head, [])
    lines += [
        "| " + " | ".join(_md_inline(c if isinstance(c, tuple) else spans(c)) for c in row) + " |"
        for row in b.rows
    ]
    return "\n".join(lines)


@functools.cache
def _environment(kind: str) -> jinja2.Environment:
    import jinja2  # noqa: PLC0415  (only reports load it)

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("routeplan.report", "templates"),
        autoescape=kind == "html",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["md"] = md_text
    env.filters["md_inline"] = _md_inline
    env.filters["md_fence"] = lambda b: "\n".join(md_fence(list(b.lines), b.lang))
    env.filters["md_table"] = _md_table
    return env


def render_markdown(doc: Document) -> str:
    """The document as Markdown (``templates/document.md.j2``)."""
    text = _environment("md").get_template("document.md.j2").render(doc=doc)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"


def render_html(doc: Document) -> str:
    """The document as one self-contained HTML file (``templates/document.html.j2``)."""
    html: str = _environment("html").get_template("document.html.j2").render(doc=doc)
    return html


def section_titles(doc: Document) -> list[tuple[int, str]]:
    """Every section's level and title, in order: what each rendering must show."""
    out: list[tuple[int, str]] = []

    def walk(sections: Sequence[Section], level: int) -> None:
        for s in sections:
            out.append((level, s.title))
            walk(s.subsections, level + 1)

    walk(doc.sections, 2)
    return out
