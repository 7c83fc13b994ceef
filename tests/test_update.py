"""`routeplan catalog update` against a local web service (127.0.0.1 only) that serves the
published formats and injects faults; after every fault the catalog on disk is byte-identical
to before and the message says what happened. Also versions, changes, export and import."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from routeplan.catalog.store import load_catalog
from routeplan.catalog.update import (
    Client,
    catalog_lock,
    client_id,
    read_state,
    update_instance,
)
from routeplan.errors import ExitStatus, FetchError
from tests.helpers import run_cli, shared_data

REMOTE = "2025120100"
INSTANCES = ("Worldwide", "USGovDoD", "USGovGCCHigh", "China")
FILES = {
    "worldwide": "worldwide/worldwide_2025-12-01_capture.json",
    "usgovdod": "usgovdod/usgovdod_2025-12-01_capture.json",
    "usgovgcchigh": "usgovgcchigh/usgovgcchigh_2025-12-01_capture.json",
    "china": "china/china_2025-12-01_capture.json",
}


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    cut: int | None = None
    """Send only this many bytes of the body (announcing all of them)."""
    drip: float = 0.0
    """Send the body a byte at a time, this many seconds apart."""
    endless: bool = False
    """Send no Content-Length and a body that never ends."""


class Service:
    """The web service's three methods, with faults queued per path prefix."""

    def __init__(self) -> None:
        data = shared_data() / "m365-endpoints"
        self.endpoints = {k: (data / v).read_bytes() for k, v in FILES.items()}
        feed = json.loads(
            (
                data / "api-format-examples" / "changes_worldwide_since_2018062700.example.json"
            ).read_text()
        )
        for i, record in enumerate(feed):
            record["version"] = "2025110100" if i == 0 else REMOTE
            record["impact"] = "RemovedIpOrUrl"
        self.changes = json.dumps(feed).encode()
        self.latest = dict.fromkeys(FILES, REMOTE)
        self.faults: dict[str, list[Reply]] = {}
        self.log: list[str] = []

    def reply(self, path: str) -> Reply:
        normal = self.normal(path)
        for prefix, queue in self.faults.items():
            if path.startswith(prefix) and queue:
                fault = queue.pop(0)
                if fault.status == 200 and not fault.body:  # a fault of the real answer
                    return replace(fault, body=normal.body)
                return fault
        return normal

    def normal(self, path: str) -> Reply:
        parts = path.split("?", maxsplit=1)[0].strip("/").split("/")
        if parts[0] == "version" and len(parts) == 2:
            key = parts[1].lower()
            body = {"instance": parts[1], "latest": self.latest[key]}
            return Reply(body=json.dumps(body).encode())
        if parts[0] == "endpoints" and len(parts) == 2:
            return Reply(body=self.endpoints[parts[1].lower()])
        if parts[0] == "changes" and len(parts) == 3:
            return Reply(body=self.changes if parts[1].lower() == "worldwide" else b"[]")
        return Reply(404, b'{"error": "not found"}')


@pytest.fixture
def service() -> Iterator[tuple[Service, str]]:
    state = Service()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.log.append(self.path)
            reply = state.reply(self.path)
            if reply.delay:
                time.sleep(reply.delay)
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                if not reply.endless:
                    self.send_header("Content-Length", str(len(reply.body)))
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                if reply.endless:
                    while True:
                        self.wfile.write(b" " * 65536)
                elif reply.drip:
                    for i in range(len(reply.body)):
                        self.wfile.write(reply.body[i : i + 1])
                        self.wfile.flush()
                        time.sleep(reply.drip)
                else:
                    self.wfile.write(reply.body if reply.cut is None else reply.body[: reply.cut])
            except (BrokenPipeError, ConnectionResetError):
                pass
            if reply.cut is not None:
                self.close_connection = True

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (but the lock file) with its bytes."""
    if not root.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".update.lock"
    }


def update(url: str, root: Path, *args: str) -> object:
    return run_cli("catalog", "update", "--base-url", url, "--catalog-dir", str(root), *args)


def endpoints_requests(log: list[str]) -> list[str]:
    return [p for p in log if p.startswith("/endpoints/")]


# ---------------------------------------------------------------------------------------------
# the happy path


def test_update_all_then_nothing_to_fetch(service: tuple[Service, str], tmp_path: Path) -> None:
    svc, url = service
    root = tmp_path / "catalog"
    result = update(url, root, "--instance", "all")
    assert result.status == ExitStatus.OK, result.stderr
    assert len(endpoints_requests(svc.log)) == 4
    for name in INSTANCES:
        assert f"{name}: 2024" in result.stdout or f"{name}: no service version" in result.stdout
        assert (root / "endpoints" / name.lower() / f"{REMOTE}.yaml").exists()
        assert (root / "changes" / name.lower() / f"{REMOTE}.json").exists()
        state = read_state(root, name)
        assert state is not None
        assert state.version == REMOTE
    # one client id for the installation, sent with every request
    ids = {p.split("clientrequestid=")[1].split("&")[0] for p in svc.log}
    assert ids == {client_id()}
    # the stored snapshot loads, and is the newest of its instance
    catalog = load_catalog([Path(load_catalog(include_user=False).roots[0]), root])
    newest = max(
        (s for s in catalog.snapshots if s.instance == "Worldwide"), key=lambda s: s.sort_key
    )
    assert newest.version == REMOTE
    assert newest.provenance.via == url
    # the change feed kept only the records after the local version
    kept = json.loads((root / "changes" / "worldwide" / f"{REMOTE}.json").read_text())
    assert [r["version"] for r in kept] == ["2025110100", REMOTE]

    before = tree(root)
    svc.log.clear()
    again = update(url, root, "--instance", "all")
    assert again.status == ExitStatus.OK
    assert svc.log == []  # checked within the hour: not even /version
    assert "at most one check an hour" in again.stdout
    forced = update(url, root, "--instance", "all", "--force")
    assert forced.status == ExitStatus.OK
    assert endpoints_requests(svc.log) == []
    assert sorted(p.split("?")[0] for p in svc.log) == sorted(f"/version/{n}" for n in INSTANCES)
    assert "is current" in forced.stdout
    after = tree(root)
    assert {k for k in after if k != "state"} == set(before)
    assert {k: v for k, v in after.items() if not k.startswith("state/")} == {
        k: v for k, v in before.items() if not k.startswith("state/")
    }


def test_versions_and_changes_after_an_update(service: tuple[Service, str], tmp_path: Path) -> None:
    _, url = service
    root = tmp_path / "catalog"
    assert update(url, root).status == ExitStatus.OK
    versions = json.loads(
        run_cli(
            "--catalog-dir", str(root), "catalog", "versions", "-i", "Worldwide", "-o", "json"
        ).stdout
    )
    rows = {v["version"]: v for v in versions["versions"]}
    assert rows[REMOTE]["current"] == "*"
    assert rows[REMOTE]["stored"] == "user"
    assert rows["2025-12-01"]["stored"] == "bundled"
    changes = json.loads(
        run_cli("--catalog-dir", str(root), "catalog", "changes", "-o", "json").stdout
    )
    assert [c["id"] for c in changes["changes"]] == [3, 4]
    assert changes["changes"][0]["impact"] == "RemovedIpOrUrl"
    assert changes["changes"][0]["removed_ips"][0] == "65.55.127.0/24"
    since = json.loads(
        run_cli(
            "--catalog-dir", str(root), "catalog", "changes", "--since", "2025110100", "-o", "json"
        ).stdout
    )
    assert [c["id"] for c in since["changes"]] == [4]


# ---------------------------------------------------------------------------------------------
# faults: nothing lost, and the message says what happened


FAULTS = {
    "server-error": ("/endpoints/", [Reply(500, b"")] * 4, "HTTP 500 after 4 tries"),
    "rate-limited-long": (
        "/endpoints/",
        [Reply(429, b"", headers={"Retry-After": "3600"})],
        "asks to wait 3600 s",
    ),
    "truncated": ("/endpoints/", [Reply(cut=100)], "cut off"),
    "invalid-json": ("/endpoints/", [Reply(body=b'[{"id": 1,')], "not valid JSON"),
    "wrong-type": (
        "/endpoints/",
        [Reply(body=b"<html>login</html>", content_type="text/html")],
        "expected JSON, got text/html",
    ),
    "bad-data": (
        "/endpoints/",
        [
            Reply(
                body=b'[{"id": 1, "serviceArea": "Exchange", "ips": '
                b'["10.0.0.1/8"], "expressRoute": true, '
                b'"category": "Optimize", "required": true}]'
            )
        ],
        "host bits",
    ),
    "bad-changes": ("/changes/", [Reply(body=b'{"not": "a list"}')], "expected a list"),
    "version-backwards": (
        "/version/",
        [Reply(body=b'{"instance": "Worldwide", "latest": "2020010100"}')],
        "older than the local",
    ),
    "wrong-instance": (
        "/version/",
        [Reply(body=b'{"instance": "China", "latest": "2025120100"}')],
        "answered for China",
    ),
    "slow": ("/endpoints/", [Reply(delay=2.0)], "no answer within 0.5 s"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_leaves_the_catalog_as_it_was(
    service: tuple[Service, str], tmp_path: Path, fault: str
) -> None:
    svc, url = service
    root = tmp_path / "catalog"
    # a catalog that already holds an update, so there is something to lose
    svc.latest["worldwide"] = "2025110100"
    assert update(url, root).status == ExitStatus.OK
    svc.latest["worldwide"] = REMOTE
    before = tree(root)
    prefix, replies, message = FAULTS[fault]
    svc.faults[prefix] = list(replies)
    result = update(url, root, "--force", "--timeout", "0.5")
    assert result.status == ExitStatus.INPUT, result.stdout
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(root) == before


def test_rate_limit_is_retried_after_the_wait(service: tuple[Service, str], tmp_path: Path) -> None:
    svc, url = service
    svc.faults["/endpoints/"] = [
        Reply(429, b"", headers={"Retry-After": "0"}),
        Reply(503, b"", headers={"Retry-After": "0"}),
    ]
    result = update(url, tmp_path / "catalog")
    assert result.status == ExitStatus.OK, result.stderr
    assert "HTTP 429; trying again in 0 s" in result.stderr
    assert len(endpoints_requests(svc.log)) == 3


def test_client_honours_and_bounds_retry_after(service: tuple[Service, str]) -> None:
    svc, url = service
    waits: list[float] = []
    client = Client(url, client_id(), sleep=waits.append, max_wait=60)
    svc.faults["/version/"] = [
        Reply(429, b"", headers={"Retry-After": "7"}),
        Reply(500, b""),
    ]
    node = client.get_json("/version/Worldwide")
    assert node["latest"].value == REMOTE
    assert waits == [7.0, 2.0]  # Retry-After, then the doubling back-off
    svc.faults["/version/"] = [Reply(429, b"", headers={"Retry-After": "61"})]
    with pytest.raises(FetchError, match="asks to wait 61 s"):
        client.get_json("/version/Worldwide")


def test_failed_rename_puts_everything_back(
    service: tuple[Service, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process killed between renames, simulated: the marker's rename fails after the
    snapshot and the change feed were renamed into place."""
    svc, url = service
    root = tmp_path / "catalog"
    svc.latest["worldwide"] = "2025110100"
    assert update(url, root).status == ExitStatus.OK
    svc.latest["worldwide"] = REMOTE
    before = tree(root)
    real = os.replace

    def failing(src: object, dst: object) -> None:
        if str(dst).endswith(os.path.join("state", "worldwide.yaml")):
            raise OSError(28, "No space left on device", str(dst))
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", failing)
    result = update(url, root, "--force")
    assert result.status == ExitStatus.INPUT
    assert "No space left on device" in result.stderr
    assert "unchanged" in result.stderr
    monkeypatch.setattr(os, "replace", real)
    assert tree(root) == before
    assert not list(root.rglob("*.tmp"))
    assert not list(root.rglob("*.keep"))


def test_a_second_update_waits_for_the_lock(service: tuple[Service, str], tmp_path: Path) -> None:
    _, url = service
    root = tmp_path / "catalog"
    with catalog_lock(root):
        client = Client(url, client_id())
        catalog = load_catalog(include_user=False)
        holder = threading.Event()
        errors: list[Exception] = []

        def second() -> None:
            try:
                with catalog_lock(root, wait=0.3):
                    update_instance(catalog, root, "Worldwide", client)
            except Exception as exc:
                errors.append(exc)
            holder.set()

        thread = threading.Thread(target=second)
        thread.start()
        holder.wait(5)
        thread.join()
    assert len(errors) == 1
    assert "another catalog update is running" in str(errors[0])
    assert tree(root) == {}


def test_hourly_rule_uses_the_last_check(service: tuple[Service, str], tmp_path: Path) -> None:
    svc, url = service
    root = tmp_path / "catalog"
    catalog = load_catalog(include_user=False)
    client = Client(url, client_id())
    start = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.timezone.utc)
    assert update_instance(catalog, root, "China", client, now=start).status == "updated"
    svc.log.clear()
    soon = update_instance(catalog, root, "China", client, now=start + dt.timedelta(minutes=59))
    assert soon.status == "not-checked"
    assert svc.log == []
    later = update_instance(catalog, root, "China", client, now=start + dt.timedelta(hours=1))
    assert later.status == "current"
    assert [p.split("?")[0] for p in svc.log] == ["/version/China"]


def test_tenant_and_no_ipv6_are_passed_and_recorded(
    service: tuple[Service, str], tmp_path: Path
) -> None:
    svc, url = service
    root = tmp_path / "catalog"
    assert update(url, root, "--tenant", "contoso", "--no-ipv6").status == ExitStatus.OK
    asked = endpoints_requests(svc.log)[0]
    assert "TenantName=contoso" in asked
    assert "NoIPv6=true" in asked
    text = (root / "endpoints" / "worldwide" / f"{REMOTE}.yaml").read_text()
    assert "TenantName=contoso, NoIPv6=true" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--instance", "Mars"], "unknown instance"),
        (["--base-url", "ftp://mirror"], "not an http(s) URL"),
        (["--timeout", "0"], "more than 0"),
    ],
)
def test_update_usage_mistakes(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_cli("catalog", "update", "--catalog-dir", str(tmp_path / "c"), *args)
    assert result.status == ExitStatus.USAGE
    assert message in result.stderr


def test_unreachable_service_says_so(tmp_path: Path) -> None:
    result = update("http://127.0.0.1:9", tmp_path / "catalog")
    assert result.status == ExitStatus.INPUT
    assert "cannot connect" in result.stderr
    assert tree(tmp_path / "catalog") == {}


# ---------------------------------------------------------------------------------------------
# air-gapped: export and import with checksums


def test_export_then_import_elsewhere(service: tuple[Service, str], tmp_path: Path) -> None:
    _, url = service
    connected = tmp_path / "connected"
    assert update(url, connected, "--instance", "all").status == ExitStatus.OK
    usb = tmp_path / "usb" / "export"
    out = run_cli("--catalog-dir", str(connected), "catalog", "export", str(usb))
    assert out.status == ExitStatus.OK, out.stderr
    assert (usb / "manifest.yaml").exists()
    offline = tmp_path / "offline"
    done = run_cli("--catalog-dir", str(offline), "catalog", "import", str(usb))
    assert done.status == ExitStatus.OK, done.stderr
    assert "sha256 verified" in done.stdout
    for name in INSTANCES:
        assert (offline / "endpoints" / name.lower() / f"{REMOTE}.yaml").read_bytes() == (
            connected / "endpoints" / name.lower() / f"{REMOTE}.yaml"
        ).read_bytes()
        state = read_state(offline, name)
        assert state is not None
        assert state.version == REMOTE
    # refusing to export over something
    again = run_cli("--catalog-dir", str(connected), "catalog", "export", str(usb))
    assert again.status == ExitStatus.USAGE


def test_tampered_export_is_refused(service: tuple[Service, str], tmp_path: Path) -> None:
    _, url = service
    connected = tmp_path / "connected"
    assert update(url, connected).status == ExitStatus.OK
    usb = tmp_path / "export"
    assert (
        run_cli(
            "--catalog-dir", str(connected), "catalog", "export", str(usb), "-i", "Worldwide"
        ).status
        == ExitStatus.OK
    )
    snapshot = usb / "endpoints" / "worldwide" / f"{REMOTE}.yaml"
    snapshot.write_text(snapshot.read_text().replace("Exchange", "Exchang", 1))
    offline = tmp_path / "offline"
    result = run_cli("--catalog-dir", str(offline), "catalog", "import", str(usb))
    assert result.status == ExitStatus.INPUT
    assert "checksum mismatch" in result.stderr
    assert tree(offline) == {}
    (usb / "stray.txt").write_text("x")
    snapshot.write_text(snapshot.read_text().replace("Exchang", "Exchange", 1))
    stray = run_cli("--catalog-dir", str(offline), "catalog", "import", str(usb))
    assert stray.status == ExitStatus.INPUT
    assert "not in the manifest" in stray.stderr
    assert tree(offline) == {}


def test_an_endless_answer_is_cut_off_at_the_cap(
    service: tuple[Service, str], tmp_path: Path
) -> None:
    """Issue (hostile input) item 7: a body that never ends used to grow to 2 GiB."""
    svc, url = service
    root = tmp_path / "cat"
    update(url, root)
    before = tree(root)
    svc.latest["worldwide"] = "2025120200"
    svc.faults["/endpoints"] = [Reply(endless=True)]
    result = update(url, root, "--force")
    assert result.status == ExitStatus.INPUT, result.stderr
    assert "/endpoints/Worldwide: the answer is over 16 MiB" in result.stderr
    assert tree(root) == before


def test_a_dripping_server_is_ended_by_the_deadline(service: tuple[Service, str]) -> None:
    """One byte every 50 ms never trips a 30 s read timeout; the deadline ends it."""
    svc, url = service
    svc.faults["/version"] = [
        Reply(body=b'{"instance": "Worldwide", "latest": "1"}' * 50, drip=0.05)
    ]
    client = Client(url, "00000000-0000-0000-0000-000000000000", timeout=30, deadline=1.0)
    start = time.monotonic()
    with pytest.raises(FetchError, match="did not finish within 1 s"):
        client.get_json("/version/Worldwide")
    assert time.monotonic() - start < 5


def test_retry_waits_count_against_the_deadline(service: tuple[Service, str]) -> None:
    svc, url = service
    svc.faults["/version"] = [Reply(503, b"", headers={"Retry-After": "20"})]
    slept: list[float] = []
    client = Client(url, "x", deadline=10.0, sleep=slept.append)
    with pytest.raises(FetchError, match="would pass the 10 s deadline"):
        client.get_json("/version/Worldwide")
    assert slept == []


def test_an_announced_oversized_answer_is_refused_before_its_body(
    service: tuple[Service, str],
) -> None:
    svc, url = service
    svc.faults["/endpoints"] = [Reply(body=b"[" + b" " * (2 << 20) + b"]")]
    client = Client(url, "x", max_body=1 << 20)
    with pytest.raises(FetchError, match="over 1 MiB"):
        client.get_json("/endpoints/Worldwide")


_NO_FCNTL = """
import sys, threading
sys.modules["fcntl"] = None  # as on Windows: importing fcntl fails
from pathlib import Path
from routeplan.catalog.update import catalog_lock
from routeplan.errors import WriteError
from routeplan.cli import main
root = Path(sys.argv[1])
with catalog_lock(root):
    try:
        with catalog_lock(root, wait=0.3):
            print("second lock taken: wrong")
    except WriteError as exc:
        print("held:", "another catalog update is running" in str(exc))
with catalog_lock(root, wait=1):
    print("free again")
sys.exit(main(["--catalog-dir", str(root), "catalog", "update", "--force",
               "--base-url", sys.argv[2], "--timeout", "5"]))
"""


def test_update_works_where_there_is_no_fcntl(service: tuple[Service, str], tmp_path: Path) -> None:
    """Windows has no fcntl: the update lock (filelock) still excludes a second update, and
    'catalog update' runs instead of failing with an internal error (it exited 70)."""
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    _, url = service
    root = tmp_path / "catalog"
    done = subprocess.run(
        [sys.executable, "-c", _NO_FCNTL, str(root), url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "held: True" in done.stdout
    assert "free again" in done.stdout
    assert "wrong" not in done.stdout
    assert read_state(root, "Worldwide") is not None
