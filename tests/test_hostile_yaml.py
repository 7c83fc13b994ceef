"""Crafted YAML and JSON: alias bombs under the alias count, and keys given twice (the last
one would win silently) are refused with the file and both lines, through the CLI too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from routeplan.errors import ExitStatus, InputError
from routeplan.yamlio import MAX_ALIASES, parse_json, parse_yaml
from tests.helpers import ROOT, run_cli

RIB = ROOT / "examples" / "rib" / "edge1-show-ip-bgp.txt"


def _bomb(levels: int = 8, width: int = 9) -> str:
    """``levels`` anchors, each a list of ``width`` aliases to the one before: width**levels
    items from levels * width aliases (72 here: under the alias count)."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_under_the_alias_count_is_refused() -> None:
    text = _bomb()
    assert text.count("*") <= MAX_ALIASES
    with pytest.raises(InputError, match="expand to more than"):
        parse_yaml(text, source="bomb.yaml")


def test_the_bomb_costs_little_memory_in_a_child(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("expressroute:\n  asns: *a8\n" + _bomb())
    code = (
        "from routeplan.cli import main\n"
        f"status = main(['--no-user-catalog', 'diff', '-r', {str(RIB)!r}, '--policy', "
        f"{str(policy)!r}, '--max-catalog-age', '0'])\n"
        # VmHWM: this process's own peak (ru_maxrss keeps the forked parent's after exec)
        "peak = next(int(l.split()[1]) for l in open('/proc/self/status') "
        "if l.startswith('VmHWM')) // 1024\n"
        "print(status, peak)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    status, peak = (int(v) for v in done.stdout.split())
    assert status == ExitStatus.INPUT, done.stderr
    assert "expand to more than" in done.stderr
    assert "Traceback" not in done.stderr
    assert peak < 200, f"peak {peak} MiB"


def test_a_yaml_key_given_twice_is_refused_with_both_lines() -> None:
    with pytest.raises(InputError) as caught:
        parse_yaml("expressroute:\n  asns: [12076]\nexpressroute:\n  asns: [64512]\n", source="p")
    assert caught.value.line == 3
    assert "given twice, on lines 1 and 3" in str(caught.value)


def test_a_json_key_given_twice_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        parse_json('[{"id": 1,\n  "expressRoute": true,\n  "expressRoute": false}]', source="e")
    assert caught.value.line == 3
    assert "'expressRoute' is given twice" in str(caught.value)


def test_a_policy_with_a_repeated_block_is_refused_by_the_cli(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        "expressroute:\n  asns: [12076]\ninternet:\n  default_route: true\n"
        "expressroute:\n  asns: [64512]\n"
    )
    out = run_cli("--no-user-catalog", "diff", "-r", str(RIB), "--policy", str(policy))
    assert out.status == ExitStatus.INPUT
    assert "policy.yaml:5" in out.stderr
    assert "given twice" in out.stderr


_SCALARS = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.dates(),
    st.sampled_from(
        ["yes", "no", "on", "~", "0x1f", "1_000", "1:30", ".inf", "<<", "=", "12076:5010"]
    ),
)
_DOCS = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(doc=_DOCS, flow=st.sampled_from([None, True, False]))
def test_the_fast_loader_reads_what_the_safe_loader_reads(doc: object, flow: bool | None) -> None:
    """routeplan builds plain strings, lists and maps itself (a large topology loads in a
    third less time); every document must still come out as PyYAML's safe loader gives it."""
    text = yaml.safe_dump({"doc": doc}, default_flow_style=flow, allow_unicode=True)
    assert parse_yaml(text, source="t.yaml") == yaml.safe_load(text)


@pytest.mark.parametrize(
    "text",
    [
        "base: &b {x: 1, y: [1, 2]}\nm:\n  <<: *b\n  y: 2\n",  # a merge key
        "a: &x {d: e}\nb: *x\nc: [*x, *x]\n",  # anchors shared
        "- !!str 12\n- !!int '7'\n- !!float 1\n- ''\n- null\n- 2001-12-14t21:59:43.10-05:00\n",
        "? [a, b]\n: 1\n",  # a list as a key (unhashable): both refuse
    ],
)
def test_hand_written_shapes_read_as_the_safe_loader_reads_them(text: str) -> None:
    try:
        expected = yaml.safe_load(text)
    except yaml.YAMLError:
        with pytest.raises(InputError):
            parse_yaml(text, source="t.yaml")
        return
    got = parse_yaml(text, source="t.yaml")
    assert got == expected
    if isinstance(got, dict) and "c" in got:
        assert got["c"][0] is got["a"]  # an alias is the same object
