"""The README's first screen gives the two set-up commands, and CI runs the test command."""

from __future__ import annotations

import re

from tests.helpers import ROOT


def _commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```sh\n(.*?)```", text, re.S)
    assert first_block is not None
    return [ln for ln in first_block.group(1).splitlines() if ln and not ln.startswith("#")]


def test_readme_gives_two_commands_on_its_first_screen() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_screen = "\n".join(text.splitlines()[:25])
    commands = _commands()
    assert len(commands) == 2
    for command in commands:
        assert command in first_screen
        assert command.startswith("python3 -m venv .venv && .venv/bin/pip install")
    assert "routeplan " in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _commands()[1] in ci.splitlines()
