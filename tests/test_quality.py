"""The house stands: lint, strict typing, and the direction of imports between modules."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

PACKAGE = ROOT / "routeplan"

# module (or package prefix) -> the routeplan modules it may import
ALLOWED: dict[str, set[str]] = {
    "routeplan.errors": set(),
    "routeplan.prefix": {"routeplan.errors"},
    "routeplan.model": {"routeplan.errors", "routeplan.prefix"},
    "routeplan.fqdn": set(),
    "routeplan.trie": {"routeplan.model", "routeplan.prefix"},
    "routeplan.fsutil": {"routeplan.errors"},
    "routeplan.yamlio": {"routeplan.errors"},
    "routeplan._version": set(),
    "routeplan.catalog": {
        "routeplan._version",
        "routeplan.catalog",
        "routeplan.errors",
        "routeplan.model",
        "routeplan.yamlio",
        "routeplan.fsutil",
        "routeplan.trie",
        "routeplan.fqdn",
        "routeplan.cidrset",
    },
    "routeplan.rib": {
        "routeplan.rib",
        "routeplan.errors",
        "routeplan.model",
        "routeplan.trie",
        "routeplan.yamlio",
    },
    "routeplan.policy": {
        "routeplan.errors",
        "routeplan.model",
        "routeplan.rib",
        "routeplan.yamlio",
    },
    "routeplan.cidrset": {"routeplan.model"},
    "routeplan.plan": {
        "routeplan.catalog",
        "routeplan.cidrset",
        "routeplan.errors",
        "routeplan.model",
        "routeplan.trie",
    },
    "routeplan.advertise": {
        "routeplan.diff",
        "routeplan.model",
        "routeplan.rib",
        "routeplan.trie",
    },
    "routeplan.render": {
        "routeplan.render",
        "routeplan.catalog",
        "routeplan.errors",
        "routeplan.model",
        "routeplan.plan",
    },
    "routeplan.diff": {
        "routeplan.catalog",
        "routeplan.model",
        "routeplan.plan",
        "routeplan.policy",
        "routeplan.rib",
        "routeplan.trie",
    },
    "routeplan.compare": {
        "routeplan.catalog",
        "routeplan.cidrset",
        "routeplan.diff",
        "routeplan.model",
        "routeplan.plan",
        "routeplan.policy",
        "routeplan.rib",
        "routeplan.trie",
    },
    "routeplan.plan_outcome": {
        "routeplan.advertise",
        "routeplan.diff",
        "routeplan.model",
        "routeplan.plan",
    },
    "routeplan.topology": {
        "routeplan.topology",
        "routeplan.catalog",
        "routeplan.errors",
        "routeplan.model",
        "routeplan.policy",
        "routeplan.rib",
        "routeplan.trie",
        "routeplan.yamlio",
    },
    "routeplan.inventory": {"routeplan.errors", "routeplan.model", "routeplan.yamlio"},
    # the library's one call per command: it decides, the CLI only asks and renders
    "routeplan.commands": {
        "routeplan.advertise",
        "routeplan.collect",
        "routeplan.fleet",
        "routeplan.inventory",
        "routeplan.catalog",
        "routeplan.compare",
        "routeplan.diff",
        "routeplan.errors",
        "routeplan.model",
        "routeplan.plan_outcome",
        "routeplan.plan",
        "routeplan.policy",
        "routeplan.render",
        "routeplan.rib",
        "routeplan.topology",
        "routeplan.yamlio",
    },
    # the fleet's check as RQ jobs: the same steps as routeplan.commands, on other workers
    # PAC files from the catalog's name decisions and the plan's lists
    "routeplan.pac": {
        "routeplan.catalog",
        "routeplan.errors",
        "routeplan.fqdn",
        "routeplan.plan",
    },
    "routeplan.schemas": set(),
    # a Nornir task: the host's table in, the same library calls as routeplan diff
    "routeplan.nornir": {
        "routeplan.catalog",
        "routeplan.commands",
        "routeplan.fleet",
        "routeplan.errors",
        "routeplan.model",
        "routeplan.report",
    },
    # the targeted collection: commands from the plan
    "routeplan.collect": {"routeplan.errors", "routeplan.plan", "routeplan.policy"},
    # a fleet's steps, one router at a time (diff --jobs and the RQ jobs run these)
    "routeplan.fleet": {
        "routeplan.catalog",
        "routeplan.diff",
        "routeplan.errors",
        "routeplan.inventory",
        "routeplan.plan",
        "routeplan.policy",
        "routeplan.rib",
    },
    "routeplan.distributed": {
        "routeplan._version",
        "routeplan.catalog",
        "routeplan.fleet",
        "routeplan.diff",
        "routeplan.errors",
        "routeplan.policy",
    },
    "routeplan.api": {
        "routeplan.advertise",
        "routeplan.catalog",
        "routeplan.commands",
        "routeplan.compare",
        "routeplan.diff",
        "routeplan.errors",
        "routeplan.model",
        "routeplan.plan_outcome",
        "routeplan.plan",
        "routeplan.policy",
        "routeplan.render",
        "routeplan.rib",
    },
    # everything rendered for people or machines; it reads results, never route tables (it
    # takes only the format registry from routeplan.rib, for 'routeplan formats')
    "routeplan.report.csvsafe": set(),
    "routeplan.report.mdsafe": {"routeplan.errors"},
    "routeplan.report.output": {"routeplan.yamlio", "routeplan.report.csvsafe"},
    "routeplan.report": {
        "routeplan.report",
        "routeplan._version",
        "routeplan.advertise",
        "routeplan.collect",
        "routeplan.catalog",
        "routeplan.cidrset",
        "routeplan.compare",
        "routeplan.diff",
        "routeplan.errors",
        "routeplan.model",
        "routeplan.netbox",
        "routeplan.plan_outcome",
        "routeplan.plan",
        "routeplan.rib",
        "routeplan.topology.analysis",
        "routeplan.yamlio",
    },
    "routeplan.netbox": {
        "routeplan.advertise",
        "routeplan.api",
        "routeplan.catalog",
        "routeplan.diff",
        "routeplan.errors",
        "routeplan.fleet",
        "routeplan.model",
        "routeplan.netbox",
        "routeplan.plan",
        "routeplan.policy",
        "routeplan.report",
        "routeplan.rib",
        "routeplan.topology",
    },
    # options in, one library call, rendered out: no planning, checking or comparing here
    "routeplan.cli": {
        "routeplan.cli",
        "routeplan.__version__",
        "routeplan.catalog",
        "routeplan.commands",
        "routeplan.distributed",
        "routeplan.errors",
        "routeplan.fleet",
        "routeplan.fsutil",
        "routeplan.inventory",
        "routeplan.model",
        "routeplan.pac",
        "routeplan.policy",
        "routeplan.render",
        "routeplan.report",
        "routeplan.rib",
        "routeplan.yamlio",
    },
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "routeplan":
            found.update(f"routeplan.{a.name}" for a in node.names)
        elif (
            isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("routeplan")
        ):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("routeplan"))
    return found


def _rule(module: str) -> set[str] | None:
    for prefix in sorted(ALLOWED, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return ALLOWED[prefix]
    return None


def _allowed(target: str, allowed: set[str]) -> bool:
    return any(target == a or target.startswith(a + ".") for a in allowed)


def test_imports_flow_one_way() -> None:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        for target in _imports(path):
            if module == "routeplan.__main__":
                continue  # python -m routeplan: the command line's own entry point
            if (target == "routeplan.cli" or target.startswith("routeplan.cli.")) and not (
                module == "routeplan.cli" or module.startswith("routeplan.cli.")
            ):
                problems.append(f"{module} imports the CLI")
            rule = _rule(module)
            if rule is not None and not _allowed(target, rule) and target != module:
                problems.append(f"{module} may not import {target}")
    assert not problems, "\n".join(problems)


def test_every_module_imports_in_a_fresh_interpreter() -> None:
    modules = [_module_name(p) for p in sorted(PACKAGE.rglob("*.py")) if p.name != "__main__.py"]
    code = "import importlib\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules)
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: install the test extras (pip install -e '.[test]')")
    return found


def test_ruff() -> None:
    result = subprocess.run(  # noqa: PLW1510 - the status is asserted
        [_tool("ruff"), "check", "routeplan", "tests", "examples", "benchmarks", "hatch_build.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict() -> None:
    result = subprocess.run(  # noqa: PLW1510 - the status is asserted
        [_tool("mypy")], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


MAX_MODULE_LINES = 800


def test_no_module_is_over_800_lines() -> None:
    """A module that grows past this holds two jobs; split it (issue: one path)."""
    long = {
        str(p.relative_to(ROOT)): n
        for p in sorted(PACKAGE.rglob("*.py"))
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long, long


UNUSED_BY_DIFF = (
    "networkx",
    "jinja2",
    "routeplan.compare",
    "routeplan.collect",
    "routeplan.catalog.changes",
    "routeplan.cli.review",
    "routeplan.cli.catalog",
    "routeplan.cli.topology",
    "routeplan.report.review",
)
"""What a routeplan diff never needs: networkx (about 0.2 s), the review, the collection plan,
the catalog updater and the other commands' modules."""


def test_a_diff_does_not_load_the_topology_stack() -> None:
    """Every routeplan diff pays for what it imports: networkx (the topology analysis) costs
    about 0.2 s and a diff never needs it (a CI report module once pulled it in for its type
    hints alone); nor the other commands' code (each command's module loads on use)."""
    code = (
        "import sys, contextlib, io\n"
        "from routeplan.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--no-user-catalog', 'diff', '-r', 'examples/rib/edge1-show-ip-bgp.txt',\n"
        "          '--fail-on', 'never', '--max-catalog-age', '0', '-o', 'junit'])\n"
        f"print(sorted(m for m in sys.modules if m.startswith({UNUSED_BY_DIFF!r})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_the_package_names_load_on_first_use() -> None:
    """routeplan resolves its public names lazily (PEP 562): every name of __all__ must be
    found where the lazy table says, and the table must hold exactly the public names."""
    import importlib  # noqa: PLC0415

    import routeplan  # noqa: PLC0415

    assert set(routeplan._LAZY) == set(routeplan.__all__) - {"__version__"}
    # a submodule of a public name's name would replace it once imported (routeplan.outcome,
    # the function, was hidden by routeplan/outcome.py this way)
    submodules = {p.stem for p in PACKAGE.glob("*.py")} | {
        p.parent.name for p in PACKAGE.glob("*/__init__.py")
    }
    assert not set(routeplan.__all__) & submodules
    for name, module in routeplan._LAZY.items():
        assert getattr(importlib.import_module(module), name) is getattr(routeplan, name)
    assert callable(routeplan.outcome)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        routeplan.nothing  # noqa: B018
