"""Every human-readable report (review, plan, diff, topology check, what-if) comes from one
model of sections rendered by two templates: its Markdown and its HTML must carry the same
sections, in the same order, with the same text. These tests hold every report to that, through
the command line, and check the model against what the templates make of it."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from routeplan.report.document import (
    Code,
    Document,
    Figure,
    Items,
    Note,
    Para,
    Section,
    Span,
    render_html,
    render_markdown,
    section_titles,
    spans,
    table,
)
from tests.helpers import ROOT, run_cli

TOPOLOGY = str(ROOT / "examples" / "topology" / "topology.yaml")
BEFORE, AFTER = "examples/review/before-edge1.txt", "examples/review/after-edge1.txt"
EDGE = "examples/rib/edge1-show-ip-bgp.txt"

REPORTS = {
    "review-routes": ["review", "--before", BEFORE, "--after", AFTER],
    "review-catalog": ["review", "--catalog-before", "2021-10-11", "--routes", EDGE],
    "review-filter": ["review", "--communities", "12076:5010", "--communities-after",
                      "12076:5010,12076:5020"],
    "topology-check": ["topology", "check", TOPOLOGY],
    "what-if": ["review", "--topology", TOPOLOGY, "--fail", "circuit:er-ams"],
    "plan": ["plan", "--routes", EDGE, "--advertise", "examples/plan/nat-pools.txt"],
    "diff": ["diff", "-r", EDGE],
    "diff-fleet": ["diff", "-r", f"a={EDGE}", "-r", "b=examples/netbox/edge1-ok.txt"],
}  # fmt: skip


class _Text(HTMLParser):
    """The visible text of a page, and its headings (level, text); pictures left out. Text in
    inline elements (links, bold, code) runs on with its neighbours, as a reader sees it."""

    INLINE = ("a", "b", "code", "em", "strong")

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self._skip = 0
        self._heading: tuple[int, list[str]] | None = None

    @property
    def words(self) -> list[str]:
        return "".join(self.text).split()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("svg", "style", "title", "figure"):
            self._skip += 1
        elif re.fullmatch(r"h[2-6]", tag):
            self._heading = (int(tag[1]), [])
        if tag not in self.INLINE:
            self.text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("svg", "style", "title", "figure"):
            self._skip -= 1
        elif self._heading is not None and re.fullmatch(r"h[2-6]", tag):
            self.headings.append((self._heading[0], " ".join(self._heading[1]).strip()))
            self._heading = None
        if tag not in self.INLINE:
            self.text.append(" ")

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._heading is not None:
            self._heading[1].append(data.strip())


def _read(page: str) -> _Text:
    parser = _Text()
    parser.feed(page)
    return parser


def _markdown_as_html(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


@pytest.mark.parametrize("name", list(REPORTS))
def test_markdown_and_html_carry_the_same_sections_and_text(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    base = ["--no-user-catalog", *REPORTS[name], "--fail-on", "never"]
    markdown = run_cli(*base, "-o", "markdown").stdout
    page = run_cli(*base, "-o", "html").stdout
    from_md, from_html = _read(_markdown_as_html(markdown)), _read(page)
    assert from_md.headings, name
    assert from_md.headings == from_html.headings
    assert from_md.words == from_html.words
    assert len(from_md.words) > 30


@pytest.mark.parametrize("name", list(REPORTS))
def test_every_link_in_a_page_leads_somewhere(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    page = run_cli("--no-user-catalog", *REPORTS[name], "--fail-on", "never", "-o", "html").stdout
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "an id twice"
    targets = re.findall(r'href="#([^"]+)"', page)
    assert set(targets) <= set(ids)
    assert not re.search(r'href="(?!#)', page)  # nothing outside the page


def test_a_reviews_findings_moves_and_rows_link_each_other(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """40.104.0.0/15 leaves ExpressRoute in the cut-over: its finding links to its line among
    the moves, that line links back to the finding and to row 3's impact."""
    monkeypatch.chdir(ROOT)
    args = [*REPORTS["review-routes"], "--communities", "12076:5010,12076:5030,12076:5100"]
    page = run_cli("--no-user-catalog", *args, "--fail-on", "never", "-o", "html").stdout
    assert '<a href="#prefix-40-104-0-0-15">40.104.0.0/15</a>' in page
    assert '<tr id="prefix-40-104-0-0-15"><td><a href="#finding-40-104-0-0-15">' in page
    assert '<li id="finding-40-104-0-0-15">' in page
    assert '<a href="#impact-row-3">3</a>' in page
    assert '<tr id="impact-row-3">' in page
    markdown = run_cli("--no-user-catalog", *args, "--fail-on", "never").stdout
    assert "](#" not in markdown  # Markdown has no such anchors: plain text there


def test_the_comparison_sees_a_section_or_a_word_left_out() -> None:
    doc = _sample()
    page = render_html(doc)
    text_md = _read(_markdown_as_html(render_markdown(doc)))
    without_section = re.sub(r"<section id=\"notes\">.*?</section>", "", page, flags=re.S)
    assert _read(without_section).headings != text_md.headings
    without_word = page.replace("52.96.0.0/14", "", 1)
    assert _read(without_word).words != text_md.words


def _sample() -> Document:
    return Document(
        "Change review: BLOCKING <now>",
        (Items((spans("a ", Span("b*", "b"), " and ", Span("c`d", "code")),), "summary"),),
        (
            Section(
                "Findings (2)",
                (
                    Para(spans("52.96.0.0/14 | leaves [ExpressRoute](x)")),
                    table(["prefix", "code"], [["52.96.0.0/14", Span("er-via-internet", "code")]]),
                ),
                (Section("Router a", (Code(("+ 1.2.3.0/24", "- 5.6.0.0/16"), "diff"),)),),
            ),
            Section("Notes", (Note(spans("old <catalog>"), "catalog-age"), Figure("<svg/>", "x"))),
        ),
        "blocking",
    )


def test_the_model_is_what_both_renderings_show() -> None:
    doc = _sample()
    markdown, page = render_markdown(doc), render_html(doc)
    titles = section_titles(doc)
    assert titles == [(2, "Findings (2)"), (3, "Router a"), (2, "Notes")]
    assert _read(_markdown_as_html(markdown)).headings == titles == _read(page).headings
    # text stays text: nothing a name or message holds becomes markup in either format
    assert "<now>" not in page.replace("&lt;now&gt;", "")
    assert "\\<now\\>" in markdown
    assert "[ExpressRoute](x)" not in markdown.replace("\\[ExpressRoute\\](x)", "")
    assert "**b\\***" in markdown
    assert "``c`d``" in markdown
    assert '<div id="verdict" class="v-blocking">' in page
    assert '<section id="findings--router-a">' in page
    assert "<svg/>" in page
    assert "<svg/>" not in markdown
    assert "```diff\n+ 1.2.3.0/24\n- 5.6.0.0/16\n```" in markdown


def test_print_starts_each_section_on_a_new_page() -> None:
    page = render_html(_sample())
    assert "@media print" in page
    assert "h2{break-before:page}" in page
