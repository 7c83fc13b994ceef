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

import glob
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
WORK = Path(os.environ.get("ROUTEPLAN_NETBOX_WORK", "/var/tmp/routeplan-netbox"))
VENV = WORK / "venv"
NB_ROOT = WORK / "root"
DB_NAME = DB_USER = "routeplan_netbox"
DB_PASSWORD = "routeplan-netbox-test"
REDIS_PORT = 6391
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
    finally:
        stop_servers(postgres_started)
    if problems:
        for p in problems:
            print(f"FAIL: {p}", file=sys.stderr)
        return 1
    say("passed: the clean case succeeds; the private NAT pool fails the job with the report")
    return 0


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
