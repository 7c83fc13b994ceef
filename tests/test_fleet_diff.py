"""One answer per router: every route-table file (or named group of files) is one router,
checked on its own, never blended with the others into one table."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from routeplan.cli import router_files
from routeplan.errors import ExitStatus, UsageError
from tests.helpers import ROOT, run_cli

EDGE1 = ROOT / "examples" / "rib" / "edge1-show-ip-bgp.txt"
EDGE1_OK = ROOT / "examples" / "netbox" / "edge1-ok.txt"
SELECTION = ("--communities", "12076:5010,12076:5030,12076:5100")


def _diff(*args: str) -> dict[str, object]:
    out = run_cli(
        "--no-user-catalog", "diff", *args, *SELECTION, "-o", "json", "--fail-on", "never"
    )
    assert out.status == 0, out.stderr
    doc = json.loads(out.stdout)
    assert isinstance(doc, dict)
    return doc


def test_two_routers_are_two_answers() -> None:
    alone = _diff("-r", str(EDGE1))
    errors_alone = alone["summary"]["findings"]["error"]  # type: ignore[index]
    assert errors_alone == 5
    doc = _diff("-r", f"a={EDGE1}", "-r", f"b={EDGE1_OK}")
    assert doc["schema"] == "routeplan/diff/2"
    routers = {r["name"]: r for r in doc["routers"]}  # type: ignore[attr-defined]
    assert routers["a"]["summary"]["findings"]["error"] == 5
    assert routers["b"]["summary"]["findings"]["error"] == 0
    assert routers["a"]["worst"] == "error"
    assert routers["b"]["worst"] is None

    # router a's findings are exactly edge1's alone: b's table hides nothing
    def strip(findings: list[dict[str, object]]) -> list[dict[str, object]]:
        return [{k: v for k, v in f.items() if k != "router"} for f in findings]

    assert strip(routers["a"]["findings"]) == strip(alone["findings"])  # type: ignore[arg-type]
    fleet = doc["fleet"]
    assert fleet["worst"] == "error"  # type: ignore[index]
    wrong = {w["prefix"]: w["routers"] for w in fleet["wrong_prefixes"]}  # type: ignore[index]
    assert wrong["52.112.0.0/14"] == ["a"]
    assert all(f["router"] == "a" for f in doc["findings"])  # type: ignore[attr-defined]


def test_the_exit_status_is_the_worst_router() -> None:
    ok = run_cli("--no-user-catalog", "diff", "-r", f"b={EDGE1_OK}", *SELECTION)
    assert ok.status == ExitStatus.OK, ok.stderr
    both = run_cli(
        "--no-user-catalog", "diff", "-r", f"b={EDGE1_OK}", "-r", f"a={EDGE1}", *SELECTION
    )
    assert both.status == ExitStatus.FINDINGS
    assert both.stdout.startswith("fleet: 2 routers, worst: error")
    assert "=== router a ===" in both.stdout
    assert "=== router b ===" in both.stdout


def test_one_router_several_files(tmp_path: Path) -> None:
    """The same name again adds a file to that router (IPv4 and IPv6 captures)."""
    copy = tmp_path / "v6.txt"
    shutil.copy(EDGE1_OK, copy)
    doc = _diff("-r", f"edge1={EDGE1}", "-r", f"edge1={copy}")
    assert [r["name"] for r in doc["routers"]] == ["edge1"]  # type: ignore[attr-defined]
    assert len(doc["routers"][0]["inputs"]) == 2  # type: ignore[index]


def test_two_files_with_one_stem_must_be_named(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    other = tmp_path / "x" / EDGE1.name
    shutil.copy(EDGE1, other)
    out = run_cli("--no-user-catalog", "diff", "-r", str(EDGE1), "-r", str(other))
    assert out.status == ExitStatus.USAGE
    assert "would both be router 'edge1-show-ip-bgp'" in out.stderr
    with pytest.raises(UsageError):
        router_files([str(EDGE1), str(other)])


def test_markdown_has_a_section_per_router() -> None:
    out = run_cli(
        "--no-user-catalog",
        "diff",
        "-r",
        f"a={EDGE1}",
        "-r",
        f"b={EDGE1_OK}",
        *SELECTION,
        "-o",
        "markdown",
        "--fail-on",
        "never",
    )
    assert out.stdout.startswith("# routeplan diff: fleet")
    assert "## Router a:" in out.stdout
    assert "## Router b:" in out.stdout


def test_topology_reads_each_routers_table_on_its_own(tmp_path: Path) -> None:
    """Two sites, each with its own gateway and circuit: router a holds edge1's table (its
    Teams prefix missing), router b the clean one. Only site A is reported."""
    (tmp_path / "a.txt").write_text(EDGE1.read_text())
    (tmp_path / "b.txt").write_text(EDGE1_OK.read_text())
    topo = tmp_path / "topology.yaml"
    topo.write_text(
        "schema: routeplan/topology/1\n"
        "sites:\n  - {name: A, region: west}\n  - {name: B, region: west}\n"
        "routers:\n  - {name: a, site: A, routes: [a.txt]}\n"
        "  - {name: b, site: B, routes: [b.txt]}\n"
        "links:\n  - {a: a, b: b, cost: 10}\n"
        "circuits:\n"
        "  - {name: er-a, routers: [a], communities: [12076:5010, 12076:5030, 12076:5100]}\n"
        "  - {name: er-b, routers: [b], communities: [12076:5010, 12076:5030, 12076:5100]}\n"
        "breakouts:\n  - {name: inet-a, router: a}\n  - {name: inet-b, router: b}\n"
    )
    out = run_cli("--no-user-catalog", "topology", "check", str(topo), "-o", "json")
    assert out.status in (0, 1), out.stderr
    doc = json.loads(out.stdout)
    wrong = [f for f in doc["findings"] if f["code"] == "wrong-path"]
    assert wrong, "edge1's missing prefix sends site A's traffic the wrong way"
    assert {s for f in wrong for s in f["sites"]} == {"A"}


BEFORE = ROOT / "examples" / "review" / "before-edge1.txt"
AFTER = ROOT / "examples" / "review" / "after-edge1.txt"


def _review(*args: str) -> tuple[int, dict[str, object]]:
    out = run_cli("--no-user-catalog", "review", *args, *SELECTION, "-o", "json")
    assert out.status in (0, 1), out.stderr
    doc = json.loads(out.stdout)
    assert isinstance(doc, dict)
    return out.status, doc


def test_review_reviews_each_router_on_its_own() -> None:
    """Router a's change is reviewed exactly as it is alone; router b, unchanged, shows no
    impact, and its tables do not hide a's new findings."""
    _, alone = _review("--before", str(BEFORE), "--after", str(AFTER))
    assert alone["schema"] == "routeplan/review/1"
    status, doc = _review(
        "--before", f"a={BEFORE}", "--after", f"a={AFTER}",
        "--before", f"b={EDGE1_OK}", "--after", f"b={EDGE1_OK}",
    )  # fmt: skip
    assert doc["schema"] == "routeplan/review-fleet/1"
    routers = {r["name"]: r for r in doc["routers"]}  # type: ignore[attr-defined]
    assert routers["a"]["review"] == alone
    assert routers["b"]["verdict"] == "no impact"
    assert doc["verdict"] == alone["verdict"] == "blocking"
    assert status == ExitStatus.FINDINGS  # the worst router decides
    assert doc["added"] == doc["removed"] == []


def test_review_names_routers_on_one_side_only() -> None:
    status, doc = _review(
        "--before", f"a={BEFORE}", "--after", f"a={BEFORE}",
        "--before", f"gone={EDGE1_OK}", "--after", f"new={EDGE1_OK}",
        "--fail-on", "warning",
    )  # fmt: skip
    assert doc["removed"] == ["gone"]
    assert doc["added"] == ["new"]
    assert [r["name"] for r in doc["routers"]] == ["a"]  # type: ignore[attr-defined]
    assert doc["verdict"] == "review needed"  # a router that vanished is never "no impact"
    assert status == ExitStatus.FINDINGS


def test_review_of_several_routers_refuses_a_one_router_format() -> None:
    out = run_cli(
        "--no-user-catalog", "review", "--routes", f"a={EDGE1}", "--routes", f"b={EDGE1_OK}",
        "--catalog-before", "2021-10-11", "-o", "html",
    )  # fmt: skip
    assert out.status == ExitStatus.USAGE
    assert "-o markdown or -o json" in out.stderr


def _diff_process(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: PLW1510 - the status is asserted by the callers
        [sys.executable, "-m", "routeplan", "--no-user-catalog", "diff", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


@pytest.mark.parametrize("jobs", ["2", "3"])
def test_jobs_give_the_same_bytes_as_one_job(tmp_path: Path, jobs: str) -> None:
    """Routers checked in worker processes come back in order, with the same answer; a
    router whose table is broken fails the run with the same error as one job."""
    lines = EDGE1.read_text().splitlines(keepends=True)
    skipped = tmp_path / "skipped.txt"
    skipped.write_text(
        "".join([*lines[:20], " *>  not-a-prefix  192.0.2.1  0 0 0 i\n", *lines[20:]])
    )
    routers = ["-r", f"a={EDGE1}", "-r", f"b={EDGE1_OK}", "-r", f"c={skipped}", "-r", f"d={EDGE1}"]
    args = [*routers, *SELECTION, "-o", "json", "--fail-on", "never", "--lenient"]
    one = _diff_process(*args, "--jobs", "1")
    many = _diff_process(*args, "--jobs", jobs)
    assert one.returncode == many.returncode == ExitStatus.INPUT_SKIPPED, many.stderr
    assert many.stdout == one.stdout
    assert [r["name"] for r in json.loads(one.stdout)["routers"]] == ["a", "b", "c", "d"]
    strict = [*routers, *SELECTION, "-o", "json"]
    one, many = _diff_process(*strict, "--jobs", "1"), _diff_process(*strict, "--jobs", jobs)
    assert one.returncode == many.returncode == ExitStatus.INPUT
    assert f"{skipped}:21" in many.stderr
    assert many.stderr == one.stderr


def test_unnamed_files_taken_as_routers_are_said_so() -> None:
    """Two bare files are two routers: stderr says so, and how to give one router both."""
    bare = run_cli("--no-user-catalog", "diff", "-r", str(EDGE1), "-r", str(EDGE1_OK),
                   *SELECTION, "--jobs", "1")  # fmt: skip
    assert "note: 2 routers, named by their files (edge1-show-ip-bgp, edge1-ok)" in bare.stderr
    assert "-r edge1=v4.txt -r edge1=v6.txt" in bare.stderr
    named = run_cli("--no-user-catalog", "diff", "-r", f"a={EDGE1}", "-r", f"b={EDGE1_OK}",
                    *SELECTION, "--jobs", "1")  # fmt: skip
    assert "note:" not in named.stderr
    one = run_cli("--no-user-catalog", "diff", "-r", str(EDGE1), *SELECTION)
    assert "note:" not in one.stderr


def test_review_keeps_two_named_routers_apart() -> None:
    """``a`` before and ``b`` after, both named, are a router removed and one added, never
    one router compared with another."""
    _, doc = _review("--before", f"a={BEFORE}", "--after", f"b={AFTER}", "--fail-on", "never")
    assert doc["schema"] == "routeplan/review-fleet/1"
    assert doc["removed"] == ["a"]
    assert doc["added"] == ["b"]
    assert doc["routers"] == []
    _, alone = _review("--before", str(BEFORE), "--after", str(AFTER), "--fail-on", "never")
    assert alone["schema"] == "routeplan/review/1"  # unnamed: one router on each side


def _inventory(path: Path, rows: list[str]) -> Path:
    path.write_text("name,site,files\n" + "\n".join(rows) + "\n")
    return path


def test_review_of_two_inventories_matches_routers_by_name(tmp_path: Path) -> None:
    """Router a is reviewed as it is alone; b is unchanged; gone and new are on one side
    only; broken's table is missing after the change: it is reported, never dropped, and
    every other router is still reviewed."""
    _, alone = _review("--before", str(BEFORE), "--after", str(AFTER))
    now = _inventory(tmp_path / "now.csv", [
        f"a,ams,{BEFORE}", f"b,lon,{EDGE1_OK}", f"gone,fra,{EDGE1_OK}", f"broken,par,{EDGE1}",
    ])  # fmt: skip
    nxt = _inventory(tmp_path / "next.csv", [
        f"broken,par,{tmp_path / 'missing.txt'}", f"new,fra,{EDGE1_OK}", f"a,ams,{AFTER}",
        f"b,lon,{EDGE1_OK}",
    ])  # fmt: skip
    status, doc = _review("--inventory-before", str(now), "--inventory-after", str(nxt))
    assert doc["schema"] == "routeplan/review-fleet/1"
    routers = {r["name"]: r for r in doc["routers"]}  # type: ignore[attr-defined]
    assert list(routers) == ["a", "b"]  # in the before inventory's order
    assert routers["a"]["review"] == alone
    assert routers["b"]["verdict"] == "no impact"
    assert doc["removed"] == ["gone"]
    assert doc["added"] == ["new"]
    [broken] = doc["not_reviewed"]  # type: ignore[misc]
    assert broken["name"] == "broken"
    assert "missing.txt" in broken["error"]
    assert status == ExitStatus.FINDINGS  # a's blocking verdict outranks the unread router
    md = run_cli("--no-user-catalog", "review", "--inventory-before", str(now),
                 "--inventory-after", str(nxt), *SELECTION, "--fail-on", "never")  # fmt: skip
    assert "Routers NOT REVIEWED" in md.stdout
    assert "- broken:" in md.stdout
    # an unread router alone (nothing else wrong) is status 3: the answer is incomplete
    quiet = _inventory(tmp_path / "quiet.csv", [f"b,lon,{EDGE1_OK}", f"c,lon,{tmp_path / 'x.txt'}"])
    out = run_cli("--no-user-catalog", "review", "--inventory-before", str(quiet),
                  "--catalog-before", "2021-10-11", *SELECTION, "-o", "json",
                  "--fail-on", "never")  # fmt: skip
    assert out.status == ExitStatus.INPUT, out.stderr
    assert [r["name"] for r in json.loads(out.stdout)["not_reviewed"]] == ["c"]


def test_review_inventories_replace_route_options(tmp_path: Path) -> None:
    inv = _inventory(tmp_path / "inv.csv", [f"a,ams,{BEFORE}"])
    out = run_cli("--no-user-catalog", "review", "--inventory-before", str(inv),
                  "--after", str(AFTER))  # fmt: skip
    assert out.status == ExitStatus.USAGE
    assert "replaces --before, --after and --routes" in out.stderr


def test_directories_are_routers_matched_by_name(tmp_path: Path) -> None:
    """``--before DIR --after DIR``: each file is one router, named by its stem; the same
    for ``diff -r DIR``."""
    now, nxt = tmp_path / "now", tmp_path / "next"
    now.mkdir()
    nxt.mkdir()
    for directory, a_table in ((now, BEFORE), (nxt, AFTER)):
        (directory / "a.txt").write_text(a_table.read_text())
        (directory / "b.txt").write_text(EDGE1_OK.read_text())
    (now / ".hidden").write_text("not a table")
    named_args = []
    for router in ("a", "b"):
        named_args += ["--before", f"{router}={now / router}.txt"]
        named_args += ["--after", f"{router}={nxt / router}.txt"]
    _, named = _review(*named_args)
    _, from_dirs = _review("--before", str(now), "--after", str(nxt))
    assert from_dirs == named
    by_dir = _diff("-r", str(now))
    by_file = _diff("-r", f"a={now / 'a.txt'}", "-r", f"b={now / 'b.txt'}")
    assert by_dir["routers"] == by_file["routers"]
    empty = tmp_path / "empty"
    empty.mkdir()
    out = run_cli("--no-user-catalog", "diff", "-r", str(empty))
    assert out.status == ExitStatus.INPUT
    assert "is a directory with no route-table files" in out.stderr


def test_topology_takes_its_routers_tables_from_an_inventory(tmp_path: Path) -> None:
    """The same routers as the topology's own ``routes:`` give the same analysis; an
    inventory router whose file is missing is reported for that router, the rest checked; a
    router the topology does not know is refused at its line."""
    example = ROOT / "examples" / "topology"
    topo_text = (example / "topology.yaml").read_text()
    bare = tmp_path / "topology.yaml"  # the same topology without routes: lines
    bare.write_text(re.sub(r", routes: \[[^\]]*\]", "", topo_text))
    assert "routes:" not in bare.read_text()
    rows = [f"{name},{example / 'rib' / name}.txt" for name in
            ("ams-edge", "rtm-core", "fra-edge", "muc-core", "nyc-edge")]  # fmt: skip
    inv = _inventory_rows(tmp_path / "inv.csv", rows)
    own = run_cli("--no-user-catalog", "topology", "check", str(example / "topology.yaml"),
                  "-o", "json")  # fmt: skip
    from_inv = run_cli("--no-user-catalog", "topology", "check", str(bare), "--inventory",
                       str(inv), "-o", "json")  # fmt: skip
    assert from_inv.status == own.status == ExitStatus.FINDINGS, from_inv.stderr
    strip = lambda doc: {k: v for k, v in json.loads(doc).items() if k != "topology"}  # noqa: E731
    assert strip(from_inv.stdout) == strip(own.stdout)

    rows[0] = f"ams-edge,{tmp_path / 'gone.txt'}"
    missing = run_cli("--no-user-catalog", "topology", "check", str(bare), "--inventory",
                      str(_inventory_rows(tmp_path / "m.csv", rows)), "-o", "json")  # fmt: skip
    found = [f for f in json.loads(missing.stdout)["findings"] if f["code"] == "table-not-read"]
    assert [(f["subject"], f["sites"]) for f in found] == [("ams-edge", ["AMS"])]
    assert "gone.txt" in found[0]["message"]

    stranger = run_cli("--no-user-catalog", "topology", "check", str(bare), "--inventory",
                       str(_inventory_rows(tmp_path / "s.csv", ["lon-edge,x.txt"])))  # fmt: skip
    assert stranger.status == ExitStatus.INPUT
    assert f"{tmp_path / 's.csv'}:2" in stranger.stderr
    assert "'lon-edge' is not in the topology" in stranger.stderr


def _inventory_rows(path: Path, rows: list[str]) -> Path:
    path.write_text("name,files\n" + "\n".join(rows) + "\n")
    return path
