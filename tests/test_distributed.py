"""Fleet checks on RQ: a real redis-server and real ``rq worker`` processes on this machine
(loopback only). Every router's result comes back, equal to the in-process check; a worker
killed mid-run loses no router: its job is retried, or reported failed for that router.

Skipped when redis-server or RQ is missing, except under ROUTEPLAN_REQUIRE_TOOLS=1 (CI).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import routeplan
from routeplan.catalog.query import CatalogView
from routeplan.commands import diff_inventory
from routeplan.fleet import inventory_items, router_items
from routeplan.inventory import load_inventory
from routeplan.report.diff import fleet_record
from routeplan.report.output import to_json
from tests.helpers import ROOT, run_cli

EDGE1 = ROOT / "examples" / "rib" / "edge1-show-ip-bgp.txt"
EDGE1_OK = ROOT / "examples" / "netbox" / "edge1-ok.txt"
COMMUNITIES = ["12076:5010", "12076:5030", "12076:5100"]


def _require(ok: bool, what: str) -> None:
    if ok:
        return
    if os.environ.get("ROUTEPLAN_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{what} is required here (ROUTEPLAN_REQUIRE_TOOLS=1) but not installed")
    pytest.skip(f"{what} is not installed")


try:
    import redis
    import rq
    from rq.job import Job
except ImportError:  # pragma: no cover - depends on the environment
    redis = rq = None  # type: ignore[assignment]

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _stop(proc: subprocess.Popen[bytes], group: bool) -> None:
    """Stop a process we started, by its PID (its whole session when it has one)."""
    if proc.poll() is not None:
        return
    try:
        if group:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except ProcessLookupError:
        pass
    proc.wait(timeout=10)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[redis.Redis]:
    _require(rq is not None, "the rq extra (pip install 'routeplan[rq]')")
    binary = shutil.which("redis-server")
    _require(binary is not None, "redis-server (Debian package redis-server)")
    assert binary is not None
    port = _free_port()
    proc = subprocess.Popen(
        [
            binary,
            *["--bind", "127.0.0.1", "--appendonly", "no"],
            "--port",
            str(port),
            "--save",
            "",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        conn = redis.Redis(host="127.0.0.1", port=port)
        deadline = time.monotonic() + 20
        while True:
            try:
                conn.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail(f"redis-server on 127.0.0.1:{port} did not answer within 20 s")
                time.sleep(0.05)
        yield conn
    finally:
        _stop(proc, group=False)


Workers = Callable[[str], subprocess.Popen[bytes]]


@pytest.fixture
def workers(server: redis.Redis, tmp_path: Path) -> Iterator[Workers]:
    """Start named ``rq worker`` processes (each in its own session, so a kill takes its
    work horse too); every one is stopped by PID at the end, also when the test fails."""
    started: list[subprocess.Popen[bytes]] = []
    kwargs = server.connection_pool.connection_kwargs
    url = f"redis://{kwargs['host']}:{kwargs['port']}/0"
    rq_cli = Path(sys.executable).with_name("rq")

    def start(name: str) -> subprocess.Popen[bytes]:
        with (tmp_path / f"{name}.log").open("wb") as log:  # the child keeps its own copy
            proc = subprocess.Popen(
                [
                    str(rq_cli),
                    "worker",
                    "--url",
                    url,
                    "--name",
                    name,
                    *["--job-monitoring-interval", "1", "routeplan"],
                ],
                cwd=tmp_path,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        started.append(proc)
        return proc

    try:
        yield start
    finally:
        for proc in started:
            for horse in _children(proc.pid) if proc.poll() is None else []:
                os.kill(horse, signal.SIGKILL)  # a work horse has a session of its own
            _stop(proc, group=True)


@pytest.fixture
def view() -> CatalogView:
    return routeplan.catalog_view(routeplan.load_catalog(include_user=False))


def _inventory(tmp_path: Path, big: int = 0) -> Path:
    """Five routers: two with edge1's findings, one clean, one whose file is missing, and
    (with ``big``) one whose table has ``big`` extra routes, so that its job runs long enough
    to be killed mid-run."""
    rows = [
        f"a,{EDGE1}",
        f"b,{EDGE1_OK}",
        f"c,{tmp_path / 'not-there.txt'}",
        f"d,{EDGE1}",
    ]
    if big:
        lines = EDGE1.read_text().splitlines(keepends=True)
        filler = [
            f" *>  {10 + i // 65536 % 100}.{i // 256 % 256}.{i % 256}.0/24"
            f"{' ' * 4}192.0.2.1{' ' * 16}0             0 64500 i\n"
            for i in range(big)
        ]
        table = tmp_path / "slow.txt"
        table.write_text("".join([*lines[:-1], *filler, lines[-1]]))
        rows.append(f"slow,{table}")
    inv = tmp_path / "inventory.csv"
    inv.write_text("name,files\n" + "\n".join(rows) + "\n")
    return inv


def _local(view: CatalogView, inv: Path) -> str:
    fleet = diff_inventory(view, load_inventory(inv), communities=COMMUNITIES)
    return to_json(fleet_record(fleet))


def test_every_router_comes_back_as_the_local_check_gives_it(
    tmp_path: Path, server: redis.Redis, workers: Workers, view: CatalogView
) -> None:
    from routeplan.distributed import collect, submit  # noqa: PLC0415

    workers("w1")
    workers("w2")
    inv = _inventory(tmp_path)
    items = inventory_items(load_inventory(inv))
    run = submit(server, view, items, communities=COMMUNITIES)
    seen: list[tuple[int, int]] = []
    fleet = collect(server, run, timeout=120, poll=0.1, progress=lambda d, t: seen.append((d, t)))
    assert [r.name for r in fleet.routers] == ["a", "b", "d"]
    assert [name for name, _ in fleet.failed] == ["c"]
    assert "not-there.txt" in fleet.failed[0][1]
    assert to_json(fleet_record(fleet)) == _local(view, inv)
    assert seen[-1] == (4, 4)
    ran_on = {Job.fetch(j, connection=server).worker_name for j in run.job_ids}
    assert ran_on <= {"w1", "w2"}
    # the plan is stored once, whatever the number of routers
    assert server.keys("routeplan:plan:*") == [run.plan_key.encode()]


def _stop_mid_run(
    server: redis.Redis, job_id: str, procs: dict[str, subprocess.Popen[bytes]]
) -> str:
    """Freeze the worker that runs ``job_id`` while the job is running, then kill it (the
    worker and its work horse); the worker's name."""
    deadline = time.monotonic() + 60
    while True:
        job = Job.fetch(job_id, connection=server)
        status = job.get_status()
        if status == "started" and job.worker_name in procs:
            break
        assert status in ("queued", "started"), (
            f"the job ended ({status}) before it could be killed"
        )
        assert time.monotonic() < deadline, "the job never started"
        time.sleep(0.01)
    name = job.worker_name
    worker = procs[name].pid
    horses = _children(worker)  # RQ's work horse runs the job in a session of its own
    for pid in [worker, *horses]:
        os.kill(pid, signal.SIGSTOP)
    assert horses, "the worker runs no work horse"
    assert Job.fetch(job_id, connection=server).get_status() == "started", (
        "the job finished before its worker was stopped"
    )
    for pid in [*horses, worker]:  # as when the machine dies: nothing is told
        os.kill(pid, signal.SIGKILL)
    procs[name].wait(timeout=10)
    return name


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def test_a_worker_killed_mid_run_loses_no_router(
    tmp_path: Path, server: redis.Redis, workers: Workers, view: CatalogView
) -> None:
    """Two fleets: in the first the killed router's job is retried on another worker; in the
    second (no retries) it is reported failed for that router. RQ finds an abandoned job when
    its heartbeat lapses (a minute), so both wait together."""
    from routeplan.distributed import collect, submit  # noqa: PLC0415

    procs = {"w1": workers("w1"), "w2": workers("w2")}
    inv = _inventory(tmp_path, big=400_000)
    items = inventory_items(load_inventory(inv))
    retried = submit(server, view, items, communities=COMMUNITIES, retries=1)
    killed = _stop_mid_run(server, retried.job_ids[-1], procs)
    procs[f"{killed}-again"] = workers(f"{killed}-again")

    lost = submit(server, view, items, communities=COMMUNITIES, retries=0, queue="routeplan")
    killed = _stop_mid_run(server, lost.job_ids[-1], procs)
    procs[f"{killed}-again"] = workers(f"{killed}-again")

    first = collect(server, retried, timeout=240, poll=0.5)
    second = collect(server, lost, timeout=240, poll=0.5)
    local = _local(view, inv)
    assert to_json(fleet_record(first)) == local  # the retry gave the same answer
    assert [r.name for r in second.routers] == ["a", "b", "d"]
    assert [name for name, _ in second.failed] == ["c", "slow"]
    assert "AbandonedJobError" in dict(second.failed)["slow"]


def test_the_task_refuses_a_plan_from_another_version(
    tmp_path: Path, server: redis.Redis, workers: Workers, view: CatalogView
) -> None:
    import pickle  # noqa: PLC0415

    from routeplan.distributed import collect, submit  # noqa: PLC0415

    items = router_items([("a", [EDGE1])])
    run = submit(server, view, items, communities=COMMUNITIES, retries=0)
    version, *rest = pickle.loads(server.get(run.plan_key))
    server.set(run.plan_key, pickle.dumps(("0.0.0", *rest)))
    workers("w1")  # only now: the job must find the changed plan
    with pytest.raises(routeplan.InputError, match="no router could be checked"):
        collect(server, run, timeout=60, poll=0.1)
    assert version == routeplan.__version__


def test_the_command_line_gives_the_same_answer_on_rq(
    tmp_path: Path, server: redis.Redis, workers: Workers
) -> None:
    workers("w1")
    workers("w2")
    inv = _inventory(tmp_path)
    kwargs = server.connection_pool.connection_kwargs
    url = f"redis://{kwargs['host']}:{kwargs['port']}/0"
    args = ("--no-user-catalog", "diff", "--inventory", str(inv), "--communities",
            ",".join(COMMUNITIES), "-o", "json")  # fmt: skip
    local = run_cli(*args, "--jobs", "1")
    on_rq = run_cli(*args, "--rq", url)
    assert on_rq.status == local.status == 1  # findings on a and d (c is reported as not read)
    assert on_rq.stdout == local.stdout
    unreachable = run_cli(*args, "--rq", f"redis://127.0.0.1:{_free_port()}/0")
    assert unreachable.status == 2
    assert "cannot reach Redis" in unreachable.stderr
