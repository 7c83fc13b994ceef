"""routeplan inside a real NetBox: the example custom script, run by ``netbox runscript``.

Run by .ci/run (as root, on Debian): installs PostgreSQL and Redis from Debian's packages,
NetBox 4.7 from PyPI into its own Python 3.12 venv with routeplan installed into it, configures
it (``netbox setup --target DIR``, database, secret key), migrates, creates sites, tagged
prefixes and a superuser through the ORM, registers examples/netbox/routeplan_expressroute.py as
a ScriptModule, runs it for a passing and a failing case, and checks each job's status, log
lines and output.

Repeatable: the venv, the NetBox root and the database are reused when present (only the
test's own objects are reset), under $ROUTEPLAN_NETBOX_WORK (default /var/tmp/routeplan-netbox).
No server is left running: Redis and PostgreSQL are stopped again if this script started them.

    python3 tests/netbox/integration.py
"""

from __future__ import annotations

import datetime
import glob
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
WORK = Path(os.environ.get("ROUTEPLAN_NETBOX_WORK", "/var/tmp/routeplan-netbox"))
VENV = WORK / "venv"
NB_ROOT = WORK / "root"
DB_NAME = DB_USER = "routeplan_netbox"
DB_PASSWORD = "routeplan-netbox-test"
REDIS_PORT = 6391
WEB_PORT = 8391
NETBOX = "netbox>=4.7,<4.8"
SCRIPT = "routeplan_expressroute"
START = time.monotonic()


def say(text: str) -> None:
    print(f"[netbox {time.monotonic() - START:6.1f}s] {text}", flush=True)


def run(
    *cmd: str | Path, env: dict[str, str] | None = None, quiet: bool = False, check: bool = True
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(c) for c in cmd], env=env, text=True, capture_output=True, check=False
    )
    if check and done.returncode != 0:
        print(done.stdout[-4000:], done.stderr[-4000:], sep="\n", file=sys.stderr)
        raise SystemExit(f"failed ({done.returncode}): {' '.join(str(c) for c in cmd)}")
    if not quiet and done.stdout.strip():
        print(done.stdout.rstrip()[-2000:], flush=True)
    return done


def as_postgres(sql: str) -> str:
    return run("runuser", "-u", "postgres", "--", "psql", "-tAc", sql, quiet=True).stdout.strip()


# ---------------------------------------------------------------------------------------------
# servers


def install_packages() -> None:
    have_pg = bool(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    if have_pg and shutil.which("redis-server"):
        return
    say("installing postgresql and redis-server from Debian's packages")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run("apt-get", "update", "-q", env=env, quiet=True)
    run(
        "apt-get",
        "install",
        "-y",
        "-q",
        "--no-install-recommends",
        "postgresql",
        "redis-server",
        env=env,
        quiet=True,
    )


def start_postgres() -> tuple[str, str, bool]:
    """(version, port, started here)."""
    line = run("pg_lsclusters", "-h", quiet=True).stdout.split("\n")[0].split()
    if not line:
        raise SystemExit("no PostgreSQL cluster (pg_lsclusters shows none)")
    version, cluster, port, status = line[0], line[1], line[2], line[3]
    started = False
    if status != "online":
        say(f"starting PostgreSQL {version}/{cluster} on port {port}")
        run("pg_ctlcluster", version, cluster, "start", quiet=True)
        started = True
    if as_postgres(f"SELECT 1 FROM pg_roles WHERE rolname='{DB_USER}'") != "1":
        as_postgres(f"CREATE ROLE {DB_USER} LOGIN PASSWORD '{DB_PASSWORD}'")
    if as_postgres(f"SELECT 1 FROM pg_database WHERE datname='{DB_NAME}'") != "1":
        as_postgres(f"CREATE DATABASE {DB_NAME} OWNER {DB_USER}")
    return f"{version}/{cluster}", port, started


def start_redis() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    run(
        "redis-server",
        "--port",
        str(REDIS_PORT),
        "--bind",
        "127.0.0.1",
        "--daemonize",
        "yes",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(WORK),
        "--pidfile",
        str(WORK / "redis.pid"),
        quiet=True,
    )
    for _ in range(50):
        if (
            run("redis-cli", "-p", str(REDIS_PORT), "ping", quiet=True, check=False).stdout.strip()
            == "PONG"
        ):
            return
        time.sleep(0.1)
    raise SystemExit("redis did not start")


def stop_servers(postgres: str | None) -> None:
    run("redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave", quiet=True, check=False)
    if postgres is not None:
        version, cluster = postgres.split("/")
        run("pg_ctlcluster", version, cluster, "stop", quiet=True, check=False)
    say("servers stopped")


# ---------------------------------------------------------------------------------------------
# NetBox


def python312() -> str:
    found = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.12*/bin/python3.12")))
    found += [p for p in (shutil.which("python3.12"),) if p]
    if not found:
        raise SystemExit(
            "Python 3.12 not found (pyenv install 3.12, or apt-get install python3.12)"
        )
    return found[0]


def netbox_env() -> dict[str, str]:
    return {**os.environ, "NETBOX_ROOT": str(NB_ROOT), "PYTHONWARNINGS": "ignore"}


def install_netbox() -> None:
    pip = VENV / "bin" / "pip"
    if not (VENV / "bin" / "netbox").exists():
        say(f"creating the NetBox venv with {python312()}")
        run(python312(), "-m", "venv", VENV, quiet=True)
        run(pip, "install", "-q", "--upgrade", "pip", quiet=True)
        say(f"installing {NETBOX} from PyPI")
        run(pip, "install", "-q", NETBOX, quiet=True)
    version = run(VENV / "bin" / "netbox", "version", quiet=True).stdout.strip()
    say(f"NetBox {version}; installing routeplan from {REPO} into its venv")
    run(pip, "install", "-q", str(REPO), quiet=True)
    run(pip, "install", "-q", "--force-reinstall", "--no-deps", str(REPO), quiet=True)


def configure(port: str) -> None:
    run(VENV / "bin" / "netbox", "setup", "--target", NB_ROOT, env=netbox_env(), quiet=True)
    key_file = WORK / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(60))
    conf = NB_ROOT / "conf" / "configuration.py"
    conf.write_text(
        "# written by routeplan's tests/netbox/integration.py\n"
        "ALLOWED_HOSTS = ['*']\n"
        f"DATABASES = {{'default': {{'ENGINE': 'django.db.backends.postgresql', "
        f"'NAME': '{DB_NAME}', 'USER': '{DB_USER}', 'PASSWORD': '{DB_PASSWORD}', "
        f"'HOST': 'localhost', 'PORT': '{port}', 'CONN_MAX_AGE': 300}}}}\n"
        f"REDIS = {{'tasks': {{'HOST': '127.0.0.1', 'PORT': {REDIS_PORT}, 'DATABASE': 0, "
        f"'SSL': False}}, 'caching': {{'HOST': '127.0.0.1', 'PORT': {REDIS_PORT}, "
        f"'DATABASE': 1, 'SSL': False}}}}\n"
        f"SECRET_KEY = {key_file.read_text().strip()!r}\n"
        f"API_TOKEN_PEPPERS = {{1: {('p' * 10 + key_file.read_text().strip())[:60]!r}}}\n"
        f"SCRIPTS_ROOT = {str(NB_ROOT / 'scripts')!r}\n"
        "CENSUS_REPORTING_ENABLED = False\n"
        "RELEASE_CHECK_URL = None\n"
        "TIME_ZONE = 'UTC'\n"
    )


def netbox(
    *args: str | Path, quiet: bool = True, check: bool = True
) -> subprocess.CompletedProcess[str]:
    return run(VENV / "bin" / "netbox", *args, env=netbox_env(), quiet=quiet, check=check)


def shell(path: Path, **values: str) -> str:
    """Run a Python file in NetBox's Django shell; values reach it as environment variables."""
    env = {**netbox_env(), **{f"RP_{k.upper()}": v for k, v in values.items()}}
    code = f"exec(compile(open({str(path)!r}).read(), {str(path)!r}, 'exec'))"
    return run(
        VENV / "bin" / "netbox", "shell", "--no-startup", "-c", code, env=env, quiet=True
    ).stdout


# ---------------------------------------------------------------------------------------------
# the test


def run_case(name: str, data: dict[str, str]) -> dict[str, object]:
    say(f"runscript: {name}")
    done = netbox(
        "runscript", "--data", json.dumps(data), f"{SCRIPT}.ExpressRouteCheck", check=False
    )
    print(done.stdout.rstrip()[-1500:], flush=True)
    out = shell(HERE / "nb_job.py", script=SCRIPT)
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    # stopped (SIGTERM: a CI timeout, kill): still stop what was started, in the finally below
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    install_packages()
    postgres_started: str | None = None
    try:
        cluster, port, started = start_postgres()
        postgres_started = cluster if started else None
        start_redis()
        install_netbox()
        configure(port)
        say("migrating (the first time takes minutes)")
        netbox("migrate", "--no-input")
        say("resetting and creating the test's objects")
        source = REPO / "examples" / "netbox" / f"{SCRIPT}.py"
        made = shell(
            HERE / "nb_setup.py",
            script=SCRIPT,
            source=str(source),
            scripts_root=str(NB_ROOT / "scripts"),
        )
        print(made.strip(), flush=True)

        table = (REPO / "examples" / "netbox" / "edge1-ok.txt").read_text()
        common = {
            "instance": "Worldwide",
            "communities": "12076:5010,12076:5030,12076:5100",
            "route_table_text": table,
        }
        good = run_case("the clean case", {**common, "tag": "expressroute-nat", "fail_on": "error"})
        bad = run_case(
            "a private NAT pool", {**common, "tag": "expressroute-nat-proposed", "fail_on": "error"}
        )
        problems = check_good(good) + check_bad(bad)
        problems += fleet_cases()
    finally:
        stop_processes()
        stop_servers(postgres_started)
    if problems:
        for p in problems:
            print(f"FAIL: {p}", file=sys.stderr)
        return 1
    say(
        "passed: runscript (clean, failing); through the REST API on the RQ worker: devices "
        "from a Data Source with write-back and commit off, a fleet run with its summary, a "
        "scheduled run, the topology from NetBox"
    )
    return 0


# ---------------------------------------------------------------------------------------------
# the REST API and NetBox's own RQ worker: per-device checks, fleet runs, schedules, topology

PROCESSES: list[subprocess.Popen[bytes]] = []


def start_process(name: str, *args: str) -> None:
    log = open(WORK / f"{name}.log", "wb")  # noqa: SIM115  (the process writes it)
    proc = subprocess.Popen(
        [str(VENV / "bin" / "netbox"), *args],
        env=netbox_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    PROCESSES.append(proc)
    say(f"started {name} (pid {proc.pid}), log {WORK / f'{name}.log'}")


def stop_processes() -> None:
    """Stop what start_process started, by PID (its process group), also after a failure."""
    for proc in PROCESSES:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    PROCESSES.clear()


class Api:
    def __init__(self, token: str) -> None:
        self.base = f"http://127.0.0.1:{WEB_PORT}/api"
        self.headers = {
            "Authorization": token,
            "Content-Type": "application/json",
            "Accept": "application/json",
        }

    def call(
        self, method: str, path: str, body: object = None, *, raw: bytes | None = None,
        content_type: str | None = None,
    ) -> Any:  # fmt: skip
        data = json.dumps(body).encode() if body is not None else raw
        headers = {**self.headers, **({"Content-Type": content_type} if content_type else {})}
        req = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                return json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as exc:
            raise SystemExit(f"{method} {path}: HTTP {exc.code}: {exc.read()[:2000]!r}") from None

    def get(self, path: str) -> Any:
        return self.call("GET", path)

    def run_script(self, script: int, data: dict[str, object], **options: object) -> int:
        """POST /api/extras/scripts/<id>/: the job's ID (the newest job of the script)."""
        before = {j["id"] for j in self.jobs(script)}
        self.call("POST", f"/extras/scripts/{script}/", {"data": data, **options})
        return self.started(script, before)

    def started(self, script: int, before: set[int]) -> int:
        """The job a POST started: the first new one (a fleet run's per-device jobs, enqueued by
        it once the worker picks it up, may already be listed; they come after it)."""
        new = [j["id"] for j in self.jobs(script) if j["id"] not in before]
        if not new:
            raise SystemExit(f"script {script}: the POST started no job")
        job_id: int = min(new)
        return job_id

    def upload_to_script(
        self, script: int, data: dict[str, object], files: dict[str, tuple[str, bytes]],
        commit: bool,
    ) -> int:  # fmt: skip
        """The same as :meth:`run_script`, as multipart/form-data with files (a FileVar)."""
        boundary = secrets.token_hex(16)
        body = b""
        for name, value in (("data", json.dumps(data)), ("commit", str(commit).lower())):
            body += (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            ).encode()
        for name, (filename, content) in files.items():
            body += (
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                    f'filename="{filename}"\r\nContent-Type: text/plain\r\n\r\n'
                ).encode()
                + content
                + b"\r\n"
            )
        body += f"--{boundary}--\r\n".encode()
        before = {j["id"] for j in self.jobs(script)}
        self.call(
            "POST", f"/extras/scripts/{script}/", raw=body,
            content_type=f"multipart/form-data; boundary={boundary}",
        )  # fmt: skip
        return self.started(script, before)

    def jobs(self, script: int) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.get(
            f"/core/jobs/?object_type=extras.script&object_id={script}&limit=200"
        )["results"]
        return found

    def wait(self, job: int, timeout: float = 180) -> dict[str, Any]:
        end = time.monotonic() + timeout
        while True:
            found: dict[str, Any] = self.get(f"/core/jobs/{job}/")
            if found["status"]["value"] in ("completed", "errored", "failed"):
                return found
            if time.monotonic() > end:
                raise SystemExit(f"job {job} still {found['status']['value']} after {timeout} s")
            time.sleep(0.5)


def routes_dir() -> Path:
    """The Data Source's directory, by the path convention {site}/{device}.txt."""
    root = WORK / "routes"
    shutil.rmtree(root, ignore_errors=True)
    (root / "ams1").mkdir(parents=True)
    (root / "fra1").mkdir()
    shutil.copy(REPO / "examples" / "netbox" / "edge1-ok.txt", root / "ams1" / "edge-clean.txt")
    shutil.copy(
        REPO / "examples" / "rib" / "edge1-show-ip-bgp.txt", root / "fra1" / "edge-wrong.txt"
    )
    topo = REPO / "examples" / "topology" / "topology.yaml"
    for r in yaml.safe_load(topo.read_text())["routers"]:
        for f in r.get("routes", []):
            (root / r["site"].lower()).mkdir(exist_ok=True)
            shutil.copy(topo.parent / f, root / r["site"].lower() / f"{r['name']}.txt")
    return root


def wait_for_web(api: Api) -> None:
    for _ in range(240):
        try:
            api.get("/status/")
            return
        except (SystemExit, OSError):
            time.sleep(0.5)
    raise SystemExit(f"NetBox did not answer on port {WEB_PORT} (see {WORK / 'web.log'})")


def journal_of(api: Api, device: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = api.get(
        f"/extras/journal-entries/?assigned_object_type=dcim.device&assigned_object_id={device}"
    )["results"]
    return found


def status_of(api: Api, device: int) -> object:
    return api.get(f"/dcim/devices/{device}/")["custom_fields"].get("routeplan_status")


def verdicts(job: dict[str, Any]) -> dict[str, str]:
    """Each device's verdict line in a job's log: {device: verdict}."""
    out = {}
    for e in (job.get("data") or {}).get("log", []):
        message = str(e.get("message", ""))
        if message.startswith("routeplan verdict: "):
            out[str(e.get("obj"))] = message.removeprefix("routeplan verdict: ").split(" ")[0]
    return {k: v.rstrip(":") for k, v in out.items()}


def fleet_cases() -> list[str]:
    """Per-device checks from a Data Source through the REST API, on NetBox's RQ worker."""
    problems: list[str] = []
    made = shell(
        HERE / "nb_fleet_setup.py",
        routes_dir=str(routes_dir()),
        topology=str(REPO / "examples" / "topology" / "topology.yaml"),
    )
    ids = json.loads(made.strip().splitlines()[-1])
    say(f"data source files: {ids['files']}")
    start_process("rqworker", "rqworker")
    start_process("web", "runserver", "--noreload", "--insecure", f"127.0.0.1:{WEB_PORT}")
    api = Api(ids["token"])
    wait_for_web(api)
    devices_script = ids["scripts"]["DeviceRoutes"]
    edges = ids["edges"]
    data = {
        "tags": [ids["edge_tag"]],
        "data_source": ids["data_source"],
        "table_path": "{site}/{device}.txt",
        "instance": "Worldwide",
        "communities": "12076:5010,12076:5030,12076:5100",
        "fail_on": "error",
        "write_back": True,
        "per_job": 0,
    }
    expected = {"edge-clean": "pass", "edge-wrong": "fail", "edge-gone": "no-table"}

    say("REST API: three devices, commit off (nothing may be written)")
    dry = api.wait(api.run_script(devices_script, data, commit=False))
    if dry["status"]["value"] != "errored":
        problems.append(f"commit off: job {dry['status']['value']}, expected errored")
    if verdicts(dry) != expected:
        problems.append(f"commit off: verdicts {verdicts(dry)}, expected {expected}")
    for name, pk in edges.items():
        if journal_of(api, pk) or status_of(api, pk) is not None:
            problems.append(f"commit off: something was written to {name}")

    say("REST API: three devices, commit on (a journal entry and routeplan_status each)")
    real = api.wait(api.run_script(devices_script, data, commit=True))
    problems += check_written(api, real, edges, expected)

    say("REST API: one device's table uploaded as a file (multipart), commit off")
    upload = api.wait(
        api.upload_to_script(
            devices_script,
            {**data, "tags": [], "devices": [edges["edge-gone"]], "data_source": None},
            {
                "route_table": (
                    "edge-gone.txt",
                    (REPO / "examples/netbox/edge1-ok.txt").read_bytes(),
                )
            },
            commit=False,
        )
    )
    if upload["status"]["value"] != "completed" or verdicts(upload) != {"edge-gone": "pass"}:
        problems.append(f"upload: {upload['status']['value']}, verdicts {verdicts(upload)}")
    elif "uploaded file edge-gone.txt" not in str(upload["data"].get("output")):
        problems.append(f"upload: the report does not name the upload: {upload['data']}")

    say("REST API: a fleet run, one job per device, and the summary job")
    fleet_job = api.wait(api.run_script(devices_script, {**data, "per_job": 1}, commit=True))
    problems += check_fleet(api, ids, fleet_job, expected)

    say("REST API: a scheduled run (nightly), started by the worker's scheduler")
    problems += check_scheduled(
        api, devices_script, {**data, "tags": [], "devices": [edges["edge-clean"]]}
    )

    say("REST API: the topology check on the topology NetBox holds")
    problems += check_topology(api, ids)
    return problems


def check_written(
    api: Api, job: dict[str, Any], edges: dict[str, int], expected: dict[str, str]
) -> list[str]:
    out = []
    if job["status"]["value"] != "completed":
        out.append(f"commit on: job {job['status']['value']}, expected completed (writes kept)")
    if verdicts(job) != expected:
        out.append(f"commit on: verdicts {verdicts(job)}, expected {expected}")
    failures = [e for e in job["data"]["log"] if e["status"] == "failure"]
    if not any("2 of 3 device(s) failed" in e["message"] for e in failures):
        out.append("commit on: no failure line naming the failing devices")
    kinds = {"pass": "success", "fail": "danger", "no-table": "danger"}
    for name, pk in edges.items():
        entries = journal_of(api, pk)
        if len(entries) != 1:
            out.append(f"commit on: {name} has {len(entries)} journal entries, expected 1")
            continue
        entry = entries[0]
        if entry["kind"]["value"] != kinds[expected[name]]:
            out.append(f"commit on: {name}'s journal entry is {entry['kind']['value']}")
        if not entry["comments"].startswith(f"**routeplan: {expected[name]}**"):
            out.append(f"commit on: {name}'s journal entry: {entry['comments'][:80]!r}")
        if status_of(api, pk) != expected[name]:
            out.append(f"commit on: {name}'s routeplan_status is {status_of(api, pk)!r}")
    wrong = journal_of(api, edges["edge-wrong"])
    if wrong and "](/ipam/prefixes/" not in wrong[0]["comments"]:
        out.append("commit on: the wrong device's journal does not link its prefixes")
    gone = journal_of(api, edges["edge-gone"])
    if gone and "no route table at fra1/edge-gone.txt" not in gone[0]["comments"]:
        out.append("commit on: the missing table's journal entry does not say where it looked")
    return out


def check_fleet(
    api: Api, ids: dict[str, Any], job: dict[str, Any], expected: dict[str, str]
) -> list[str]:
    out = []
    if job["status"]["value"] != "completed" or "3 device(s) in 3 job(s)" not in str(
        job["data"].get("output")
    ):
        return [f"fleet: the starting job: {job['status']['value']} {job['data'].get('output')!r}"]
    children = [j for j in api.jobs(ids["scripts"]["DeviceRoutes"]) if j["id"] > job["id"]]
    if len(children) != 3:
        out.append(f"fleet: {len(children)} per-device jobs, expected 3")
    seen = {}
    for child in children:
        done = api.wait(child["id"])
        seen.update(verdicts(done))
        if done["status"]["value"] != "completed":
            out.append(f"fleet: job {child['id']} {done['status']['value']}")
    if seen != expected:
        out.append(f"fleet: per-device verdicts {seen}, expected {expected}")
    summaries = api.jobs(ids["scripts"]["FleetSummary"])
    if not summaries:
        return [*out, "fleet: no summary job"]
    # the summary may look again (a new job) while the device jobs run: follow it to the end
    deadline = time.monotonic() + 180
    while True:
        last = api.wait(max(j["id"] for j in api.jobs(ids["scripts"]["FleetSummary"])))
        if "waiting for" not in str(last["data"].get("output")) or time.monotonic() > deadline:
            break
        time.sleep(1)
    if last["status"]["value"] != "errored":
        out.append(f"fleet: summary job {last['status']['value']}, expected errored (2 failed)")
    output = str(last["data"].get("output"))
    for name, verdict in expected.items():
        if f"| {name} | {verdict} |" not in output:
            out.append(f"fleet: the summary has no row for {name} {verdict}: {output[:300]!r}")
    return out


def check_scheduled(api: Api, script: int, data: dict[str, object]) -> list[str]:
    at = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=5)
    job_id = api.run_script(script, data, commit=True, schedule_at=at.isoformat(), interval=24 * 60)
    first = api.get(f"/core/jobs/{job_id}/")
    out = []
    if first["status"]["value"] != "scheduled":
        out.append(f"scheduled: job {first['status']['value']}, expected scheduled")
    done = api.wait(job_id, timeout=120)
    if done["status"]["value"] != "completed" or verdicts(done) != {"edge-clean": "pass"}:
        out.append(f"scheduled: the run {done['status']['value']}, verdicts {verdicts(done)}")
    if done["started"] is None or done["started"] < at.isoformat()[:19]:
        out.append(f"scheduled: started {done['started']}, before {at.isoformat()}")
    successors = [
        j for j in api.jobs(script)
        if j["id"] > job_id and j["status"]["value"] == "scheduled" and j["interval"] == 1440
    ]  # fmt: skip
    if len(successors) != 1:
        out.append(f"scheduled: {len(successors)} next nightly runs scheduled, expected 1")
    return out


def site_lists_sorted(message: str, sites: list[str]) -> str:
    """A finding's message with each list of site names in name order: a topology file lists
    sites in its own order, NetBox by name; the findings must be the same otherwise.

    >>> site_lists_sorted("Skype leaves ExpressRoute at RTM, AMS, NYC", ["AMS", "NYC", "RTM"])
    'Skype leaves ExpressRoute at AMS, NYC, RTM'
    """
    names = "|".join(re.escape(s) for s in sorted(sites, key=len, reverse=True))
    one = rf"\b(?:{names})\b"
    return re.sub(
        rf"{one}(?:, {one})+", lambda m: ", ".join(sorted(m.group(0).split(", "))), message
    )


def check_topology(api: Api, ids: dict[str, Any]) -> list[str]:
    script = ids["scripts"]["TopologyCheck"]
    data = {
        "tag": ids["router_tag"],
        "data_source": ids["data_source"],
        "table_path": "{site}/{device}.txt",
        "instance": "Worldwide",
        "fail_on": "never",
    }
    job = api.wait(api.run_script(script, data, commit=False))
    if job["status"]["value"] != "completed":
        return [f"topology: job {job['status']['value']}: {job['data'].get('log', [])[-3:]}"]
    topology = REPO / "examples" / "topology" / "topology.yaml"
    sites = [x["name"] for x in yaml.safe_load(topology.read_text())["sites"]]
    from_netbox = sorted(
        (site_lists_sorted(e["message"], sites), e.get("obj"))
        for e in job["data"]["log"]
        if e["status"] in ("failure", "warning")
    )
    done = run(
        VENV / "bin" / "routeplan", "topology", "check", topology, "-o", "json",
        "--max-catalog-age", "0", quiet=True, check=False,
    )  # fmt: skip
    from_yaml = sorted(
        (
            site_lists_sorted(f"{f['code']}: {f['message']}", sites),
            f["sites"][0] if f["sites"] else None,
        )
        for f in json.loads(done.stdout)["findings"]
    )
    if not from_yaml or from_netbox != from_yaml:
        return [f"topology: NetBox's check {from_netbox} differs from the YAML's {from_yaml}"]
    say(f"topology from NetBox: {len(from_netbox)} findings, the same as the YAML example's")
    job = api.wait(api.run_script(script, {**data, "what_if": "circuit:er-ams"}, commit=False))
    moves_nb = sorted(
        e["message"].removeprefix("what-if move: ")
        for e in job["data"]["log"]
        if e["message"].startswith("what-if move: ")
    )
    done = run(
        VENV / "bin" / "routeplan", "review", "--topology",
        REPO / "examples" / "topology" / "topology.yaml", "--fail", "circuit:er-ams", "-o",
        "json", "--max-catalog-age", "0", quiet=True, check=False,
    )  # fmt: skip
    record = json.loads(done.stdout)
    moves_yaml = sorted(
        f"{m['site']} {m['service']}: {m['before'] or 'no exit'} -> {m['after'] or 'no exit'}"
        for m in record["moves"]
    )
    if not moves_yaml or moves_nb != moves_yaml:
        return [f"what-if: NetBox's moves {moves_nb} differ from the YAML's {moves_yaml}"]
    if f"# What if circuit:er-ams fails: {record['verdict'].upper()}" not in str(
        job["data"].get("output")
    ):
        return [f"what-if: the report does not give the verdict {record['verdict']}"]
    say(f"what-if from NetBox: {len(moves_nb)} moves, {record['verdict']}, as the YAML's")
    return []


def entries(job: dict[str, object], level: str) -> list[dict[str, str]]:
    log = job.get("log") or []
    assert isinstance(log, list)
    return [e for e in log if e.get("status") == level]


def check_good(job: dict[str, object]) -> list[str]:
    out = []
    if job.get("status") != "completed":
        out.append(f"clean case: job status {job.get('status')!r}, expected 'completed'")
    if entries(job, "failure"):
        out.append(f"clean case: failures logged: {entries(job, 'failure')}")
    if not any("no findings" in e.get("message", "") for e in entries(job, "success")):
        out.append("clean case: no success line saying 'no findings'")
    output = str(job.get("output") or "")
    if not output.startswith("# Microsoft 365 over ExpressRoute: Worldwide"):
        out.append(f"clean case: output is not the report: {output[:80]!r}")
    if "**0 error(s), 0 warning(s), 0 info**" not in output:
        out.append("clean case: the report does not say 0 errors")
    return out


def check_bad(job: dict[str, object]) -> list[str]:
    out = []
    if job.get("status") not in ("errored", "failed"):
        out.append(f"failing case: job status {job.get('status')!r}, expected it to fail")
    failures = entries(job, "failure")
    on_prefix = [e for e in failures if e.get("obj") == "10.20.0.0/16"]
    if not on_prefix or "adv-not-public" not in on_prefix[0].get("message", ""):
        out.append(f"failing case: no adv-not-public failure on 10.20.0.0/16: {failures}")
    elif "/ipam/prefixes/" not in str(on_prefix[0].get("url", "")):
        out.append("failing case: the failure does not link the prefix")
    output = str(job.get("output") or "")
    if "10.20.0.0/16" not in output or "adv-not-public" not in output:
        out.append(f"failing case: the report is not the job's output: {output[:120]!r}")
    return out


if __name__ == "__main__":
    sys.exit(main())
