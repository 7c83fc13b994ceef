"""Every HTML report, loaded in headless Chromium as a reader would open it: each section of the
model shows, nothing overflows its box (page elements, and each label in the pictures inside
its badge), the site frames carry the colour of their worst finding, the console stays quiet,
and a screenshot of each page is kept under test-artifacts/."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from routeplan.topology.model import load_topology
from tests.helpers import ROOT, headless_chromium, run_cli
from tests.test_documents import REPORTS

ARTIFACTS = ROOT / "test-artifacts"

# every element whose content is wider than its box (and shown, not scrolled or clipped)
OVERFLOWING = """
const out = [];
for (const el of document.body.querySelectorAll('*')) {
  if (el.closest('svg')) continue;
  const style = getComputedStyle(el);
  if (style.display === 'inline' || style.overflowX !== 'visible') continue;
  if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)
    out.push(el.tagName + ': ' + el.textContent.slice(0, 60));
}
const page = document.documentElement;
if (page.scrollWidth > page.clientWidth + 1) out.push('the page scrolls sideways');
return out;
"""

# each white label in a picture must lie inside the coloured shape drawn under it, and every
# label inside its picture
OUTSIDE = """
const out = [];
for (const svg of document.querySelectorAll('svg')) {
  const box = svg.viewBox.baseVal;
  for (const t of svg.querySelectorAll('text')) {
    const b = t.getBBox();
    if (b.x < box.x - 1 || b.y < box.y - 1 || b.x + b.width > box.x + box.width + 1
        || b.y + b.height > box.y + box.height + 1)
      out.push('outside the picture: ' + t.textContent);
    const under = t.previousElementSibling;
    if (t.getAttribute('fill') === '#fff' && under && under.tagName === 'rect') {
      const r = under.getBBox();
      if (b.x < r.x - 0.5 || b.x + b.width > r.x + r.width + 0.5)
        out.push('outside its badge: ' + t.textContent);
    }
  }
}
return out;
"""

# the site frames of a topology picture: (site name, frame colour)
FRAMES = """
const out = [];
for (const r of document.querySelectorAll('#topology rect[stroke-width="2"][rx="6"]')) {
  const name = r.nextElementSibling;
  if (name && name.tagName === 'text') out.push([name.textContent, r.getAttribute('stroke')]);
}
return out;
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with headless_chromium() as session:
        yield session


def _page(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)
    page = tmp_path / f"{name}.html"
    page.write_text(
        run_cli("--no-user-catalog", *REPORTS[name], "--fail-on", "never", "-o", "html").stdout
    )
    return page


@pytest.mark.parametrize("name", list(REPORTS))
def test_each_report_reads_in_a_browser(
    name: str, browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(name, tmp_path, monkeypatch)
    browser.get_log("browser")  # what earlier pages said
    browser.get(page.as_uri())
    text = page.read_text()
    headings = re.findall(r"<h([23])>(.*?)</h\1>", text)
    sections = browser.find_elements("css selector", "section")
    assert len(sections) == len(headings) > 0
    for section in sections:
        heading = section.find_element("css selector", "h2, h3")
        assert heading.is_displayed(), heading.text
        assert heading.size["height"] > 0
    assert browser.execute_script(OVERFLOWING) == []
    assert browser.execute_script(OUTSIDE) == []
    problems = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert problems == []
    ARTIFACTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def test_the_checks_see_what_they_look_for(
    browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An overflowing cell, a label outside its badge and a console error are all seen."""
    page = _page("topology-check", tmp_path, monkeypatch)
    text = page.read_text()
    broken = text.replace(
        "</style>", "td{max-width:3px;overflow:visible;white-space:nowrap}</style>"
    )
    broken = broken.replace(">2 errors</text>", ">2 errors and a very long label</text>", 1)
    page.write_text(broken)
    browser.get(page.as_uri())
    assert browser.execute_script(OVERFLOWING)
    assert any("outside its badge" in x for x in browser.execute_script(OUTSIDE))
    browser.execute_script("console.error('broken')")
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]


def test_site_frames_carry_the_colour_of_their_worst_finding(
    browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page("topology-check", tmp_path, monkeypatch)
    browser.get(page.as_uri())
    frames = dict(browser.execute_script(FRAMES))
    doc = json.loads(run_cli(*REPORTS["topology-check"], "-o", "json", "--fail-on", "never").stdout)
    worst: dict[str, str] = {}
    for f in doc["findings"]:
        for site in f["sites"]:
            if worst.get(site) != "error":
                worst[site] = f["severity"]
    colours = {"error": "#c62828", "warning": "#b26a00", None: "#2e7d32"}
    sites = {s.name for s in load_topology(ROOT / "examples/topology/topology.yaml").sites}
    assert set(frames) == sites
    for site, colour in frames.items():
        assert colour == colours[worst.get(site)], site
