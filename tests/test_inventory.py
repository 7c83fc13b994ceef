"""Inventories (docs/fleet.md): routers and their files in YAML or CSV; a router whose files
are missing is reported for that router, and every other router is still checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from routeplan.errors import ExitStatus, InputError, UsageError
from routeplan.inventory import load_inventory
from tests.helpers import ROOT, run_cli

EDGE1 = ROOT / "examples" / "rib" / "edge1-show-ip-bgp.txt"
EDGE1_OK = ROOT / "examples" / "netbox" / "edge1-ok.txt"
SELECTION = ("--communities", "12076:5010,12076:5030,12076:5100")


def _diff(*args: str) -> tuple[int, dict[str, object], str]:
    out = run_cli("--no-user-catalog", "diff", *args, *SELECTION, "-o", "json", "--jobs", "1")
    doc = json.loads(out.stdout) if out.stdout else {}
    return out.status, doc, out.stderr


def _yaml(tmp_path: Path, routers: str) -> Path:
    path = tmp_path / "routers.yaml"
    path.write_text("schema: routeplan/inventory/1\nrouters:\n" + routers)
    return path


def test_yaml_and_csv_inventories_give_the_answer_of_the_same_routers_by_hand(
    tmp_path: Path,
) -> None:
    (tmp_path / "captures").mkdir()
    for name, src in (("a-v4.txt", EDGE1), ("b.txt", EDGE1_OK)):
        (tmp_path / "captures" / name).write_bytes(src.read_bytes())
    yaml_inv = _yaml(
        tmp_path,
        "  - {name: a, site: ams, platform: ios-xe, files: [captures/a-*.txt], role: edge}\n"
        "  - {name: b, site: lon, files: captures/b.txt, format: ios-bgp}\n",
    )
    csv_inv = tmp_path / "routers.csv"
    csv_inv.write_text(
        "name,site,platform,files\na,ams,ios-xe,captures/a-*.txt\nb,lon,,captures/b.txt\n"
    )
    _, by_hand, _ = _diff("-r", f"a={tmp_path / 'captures' / 'a-v4.txt'}",
                          "-r", f"b={tmp_path / 'captures' / 'b.txt'}")  # fmt: skip
    for inv in (yaml_inv, csv_inv):
        status, doc, err = _diff("--inventory", str(inv))
        assert status == ExitStatus.FINDINGS, err
        assert doc["routers"] == by_hand["routers"]
        assert doc["fleet"]["not_checked"] == []  # type: ignore[index]


def test_a_missing_file_is_that_routers_error_and_the_others_are_checked(tmp_path: Path) -> None:
    inv = _yaml(
        tmp_path,
        f"  - {{name: a, files: [{EDGE1}]}}\n"
        "  - {name: gone, files: [captures/nowhere.txt]}\n"
        f"  - {{name: b, files: [{EDGE1_OK}]}}\n",
    )
    status, doc, _ = _diff("--inventory", str(inv), "--fail-on", "never")
    assert status == ExitStatus.INPUT  # the answer is incomplete
    assert [r["name"] for r in doc["routers"]] == ["a", "b"]  # type: ignore[attr-defined]
    [missing] = doc["fleet"]["not_checked"]  # type: ignore[index]
    assert missing["router"] == "gone"
    assert "nowhere.txt" in missing["error"]
    text = run_cli("--no-user-catalog", "diff", "--inventory", str(inv), *SELECTION,
                   "--fail-on", "never", "--jobs", "1")  # fmt: skip
    assert "gone  NOT CHECKED" in text.stdout
    # findings come first, as with a stale catalog
    status, _, _ = _diff("--inventory", str(inv))
    assert status == ExitStatus.FINDINGS


def test_a_duplicated_router_is_a_usage_error_naming_both_entries(tmp_path: Path) -> None:
    inv = _yaml(tmp_path, f"  - {{name: a, files: [{EDGE1}]}}\n  - {{name: a, files: [{EDGE1}]}}\n")
    with pytest.raises(UsageError, match=r"listed twice .*lines 3 and 4"):
        load_inventory(inv)
    out = run_cli("--no-user-catalog", "diff", "--inventory", str(inv))
    assert out.status == ExitStatus.USAGE


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("schema: routeplan/inventory/1\nrouters: []\n", "no routers"),
        ("schema: other\nrouters: []\n", "expected schema"),
        ("schema: routeplan/inventory/1\nrouters:\n  - {name: a, files: [], x: 1}\n", "x"),
        ("schema: routeplan/inventory/1\nrouters:\n  - {name: ../a, files: [f]}\n", "router name"),
        ("name,files,colour\na,f,red\n", "unknown column"),
        ("name,files\n,f\n", "needs a name and files"),
    ],
)
def test_bad_inventories_are_refused_with_where(tmp_path: Path, text: str, error: str) -> None:
    path = tmp_path / "inv.txt"
    path.write_text(text)
    with pytest.raises(InputError, match=error):
        load_inventory(path)


def test_inventory_or_routes_not_both(tmp_path: Path) -> None:
    inv = _yaml(tmp_path, f"  - {{name: a, files: [{EDGE1}]}}\n")
    for args in (("--inventory", str(inv), "-r", str(EDGE1)), ()):
        out = run_cli("--no-user-catalog", "diff", *args)
        assert out.status == ExitStatus.USAGE
        assert "one of them" in out.stderr
