"""Keeping the catalog current from the Microsoft 365 IP Address and URL web service.

``update_instance`` follows the service's rules: ``/version`` at most hourly (unless forced),
``/endpoints`` and ``/changes`` only when the version moved past the local one, one persistent
``clientrequestid`` per installation, a timeout on every request, and bounded retries on
HTTP 429 and 5xx that honour ``Retry-After``. Every response is validated before anything is
written; the snapshot, its change feed and the version marker are written together (the marker
last) or not at all, under a lock, so a failed or concurrent update never leaves a catalog that
looks newer than it is.

The HTTP client is the standard library's ``urllib``: the service needs plain GETs with
timeouts and proxy support from the environment, which ``urllib`` gives without a dependency.

User catalog layout written here (beside ``endpoints/``)::

    changes/<instance>/<version>.json   the /changes records between the previous local
                                        version and this one, as the service sent them
    state/<instance>.yaml               the marker: local version, last /version check, the
                                        files of that version with their SHA-256
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import http.client
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from routeplan._version import __version__
from routeplan.catalog.changes import (
    ChangeRecord,
    changes_between,
    changes_from_node,
    read_changes,
)
from routeplan.catalog.records import snapshot_to_doc
from routeplan.catalog.store import snapshot_path
from routeplan.catalog.webservice import snapshot_from_json
from routeplan.errors import FetchError, InputError, UsageError, WriteError
from routeplan.fsutil import atomic_write, atomic_write_many
from routeplan.model import Catalog, Provenance, Snapshot, is_service_version
from routeplan.yamlio import Node, dump_yaml, load_document, parse_json

DEFAULT_BASE_URL = "https://endpoints.office.com"
VERSION_INTERVAL = dt.timedelta(hours=1)
STATE_SCHEMA = "routeplan/update-state/1"
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# ---------------------------------------------------------------------------------------------
# The installation's client id


def config_dir() -> Path:
    """The user's configuration directory for routeplan (platformdirs): on Linux
    ``$XDG_CONFIG_HOME/routeplan`` (``~/.config/routeplan``), on macOS
    ``~/Library/Application Support/routeplan``, on Windows ``%LOCALAPPDATA%\\routeplan``."""
    import platformdirs  # noqa: PLC0415

    Path.home()  # RuntimeError without a home directory (a service account), as before
    return Path(platformdirs.user_config_dir("routeplan", appauthor=False))


def client_id(directory: Path | None = None) -> str:
    """The installation's ``clientrequestid``: made once, kept in ``client-id``."""
    path = (directory or config_dir()) / "client-id"
    if path.exists():
        text = path.read_text(encoding="utf-8").strip().lower()
        if _GUID.match(text):
            return text
        raise InputError(
            f"not a GUID: {text[:60]!r}",
            source=str(path),
            hint="delete the file; routeplan makes a new one",
        )
    made = str(uuid.uuid4())
    atomic_write(path, made + "\n")
    return made


# ---------------------------------------------------------------------------------------------
# HTTP

MAX_BODY = 16 << 20
"""The largest answer read: a real ``/endpoints`` answer (Worldwide, the largest) is under
100 KiB; 16 MiB leaves room for growth and for long ``/changes`` feeds."""


@dataclass
class Client:
    """GETs JSON from the web service or a mirror, with a timeout and bounded retries."""

    base_url: str
    client_id: str
    timeout: float = 30.0
    attempts: int = 4
    """Tries per request (429 and 5xx are retried)."""
    max_wait: float = 120.0
    """The longest single wait; a longer ``Retry-After`` ends the update instead."""
    sleep: Callable[[float], None] = time.sleep
    say: Callable[[str], None] = lambda _text: None
    requests: list[str] = field(default_factory=list)
    deadline: float = 300.0
    """Seconds the whole exchange may take, waits included: a server dripping one byte a
    second never trips the per-read ``timeout``, this ends it."""
    max_body: int = MAX_BODY
    """Bytes one answer may have (:data:`MAX_BODY`); an endless body is cut off there."""
    clock: Callable[[], float] = time.monotonic
    _ends: float | None = field(default=None, init=False, repr=False)

    def _left(self, shown: str) -> float:
        """Seconds left before the deadline (which starts at the first request)."""
        now = self.clock()
        if self._ends is None:
            self._ends = now + self.deadline
        left = self._ends - now
        if left <= 0:
            raise FetchError(
                f"{shown}: the update did not finish within {self.deadline:g} s",
                hint="the service or a proxy is answering very slowly; try again later, "
                "or raise --deadline",
            )
        return left

    def url(self, path: str, params: Mapping[str, str] | None = None) -> str:
        query = {"clientrequestid": self.client_id, **(params or {})}
        return f"{self.base_url.rstrip('/')}{path}?{urllib.parse.urlencode(query)}"

    def get_json(self, path: str, params: Mapping[str, str] | None = None) -> Node:
        url = self.url(path, params)
        shown = f"{self.base_url.rstrip('/')}{path}"
        delay = 1.0
        for attempt in range(1, self.attempts + 1):
            self.requests.append(path)
            try:
                status, headers, body = self._get(url, shown)
            except TimeoutError:
                raise FetchError(
                    f"{shown}: no answer within {self.timeout:g} s",
                    hint="try again later, or raise --timeout",
                ) from None
            except http.client.IncompleteRead as exc:
                raise FetchError(
                    f"{shown}: the response was cut off after {len(exc.partial)} bytes",
                    hint="try again; a proxy or mirror may be truncating responses",
                ) from None
            except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
                reason = getattr(exc, "reason", exc)
                raise FetchError(
                    f"{shown}: cannot connect ({reason})",
                    hint="check the network, the proxy (HTTPS_PROXY) or --base-url",
                ) from None
            if status == 200:
                return self._decode(shown, headers, body)
            retryable = status == 429 or 500 <= status < 600
            if not retryable:
                raise FetchError(f"{shown}: HTTP {status}", hint=_hint_for(status))
            wait = _retry_after(headers.get("Retry-After"), delay)
            if wait > self.max_wait:
                raise FetchError(
                    f"{shown}: HTTP {status}; the service asks to wait {wait:g} s",
                    hint="the service limits how often it is asked; try again later",
                )
            if attempt == self.attempts:
                raise FetchError(
                    f"{shown}: HTTP {status} after {self.attempts} tries",
                    hint="try again later",
                )
            if wait >= self._left(shown):
                raise FetchError(
                    f"{shown}: HTTP {status}; waiting {wait:g} s more would pass the "
                    f"{self.deadline:g} s deadline",
                    hint="try again later, or raise --deadline",
                )
            self.say(f"{shown}: HTTP {status}; trying again in {wait:g} s")
            self.sleep(wait)
            delay = min(delay * 2, self.max_wait)
        raise AssertionError("unreachable")

    def _get(self, url: str, shown: str) -> tuple[int, Mapping[str, str], bytes]:
        request = urllib.request.Request(
            url,
            headers={"Accept": "application/json", "User-Agent": f"routeplan/{__version__}"},
        )
        timeout = min(self.timeout, self._left(shown))
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                headers = _headers(response.headers.items())
                length = headers.get("Content-Length", "")
                if length.isascii() and length.isdigit() and int(length) > self.max_body:
                    raise self._too_big(shown)
                return response.status, headers, self._read(response, shown)
        except urllib.error.HTTPError as exc:
            with contextlib.closing(exc):
                return exc.code, _headers(exc.headers.items()), b""

    def _read(self, response: http.client.HTTPResponse, shown: str) -> bytes:
        """The body in pieces as they come (``read1``: a drip of one byte a second is seen
        byte by byte), up to :attr:`max_body`, checking the deadline between pieces."""
        parts: list[bytes] = []
        size = 0
        while piece := response.read1(1 << 16):
            size += len(piece)
            if size > self.max_body:
                raise self._too_big(shown)
            parts.append(piece)
            self._left(shown)
        return b"".join(parts)

    def _too_big(self, shown: str) -> FetchError:
        return FetchError(
            f"{shown}: the answer is over {self.max_body >> 20} MiB; a real one is well "
            "under 1 MiB",
            hint="check --base-url: a mirror or proxy is sending something else",
        )

    @staticmethod
    def _decode(shown: str, headers: Mapping[str, str], body: bytes) -> Node:
        kind = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if kind not in ("application/json", "text/json"):
            raise FetchError(
                f"{shown}: expected JSON, got {kind or 'no content type'}",
                hint="a captive portal or proxy may have answered; check --base-url",
            )
        length = headers.get("Content-Length")
        if (
            length is not None
            and (length.isascii() and length.isdigit())
            and int(length) != len(body)
        ):
            raise FetchError(
                f"{shown}: the response was cut off ({len(body)} of {length} bytes)",
                hint="try again; a proxy or mirror may be truncating responses",
            )
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FetchError(f"{shown}: the response is not UTF-8 text") from None
        try:
            value = parse_json(text, source=shown)
        except InputError as exc:
            raise FetchError(
                f"{shown}: not valid JSON ({exc.reason})",
                hint="try again; if it persists the service or mirror is broken",
            ) from None
        return Node(value, shown, (), text)


def _headers(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Headers by their canonical name (``content-type`` -> ``Content-Type``)."""
    return {k.title(): v for k, v in items}


def _retry_after(value: str | None, default: float) -> float:
    """Seconds to wait: ``Retry-After`` in seconds or as an HTTP date, else ``default``.

    >>> _retry_after("7", 1.0), _retry_after(None, 2.0), _retry_after("soon", 4.0)
    (7.0, 2.0, 4.0)
    """
    if value is None:
        return default
    text = value.strip()
    if text.isascii() and text.isdigit():
        return float(text)
    with contextlib.suppress(TypeError, ValueError):
        when = parsedate_to_datetime(text)
        return max(0.0, (when - dt.datetime.now(dt.timezone.utc)).total_seconds())
    return default


def _hint_for(status: int) -> str:
    if status in (400, 404):
        return "check the instance name and --base-url"
    if status in (401, 403):
        return "the service or mirror refused the request; check --base-url and the proxy"
    return "try again later"


# ---------------------------------------------------------------------------------------------
# Local state


@dataclass(frozen=True, slots=True)
class State:
    instance: str
    version: str | None
    checked: dt.datetime | None
    base_url: str | None = None
    files: tuple[tuple[str, str], ...] = ()


def state_path(root: Path, instance: str) -> Path:
    return root / "state" / f"{instance.lower()}.yaml"


def changes_path(root: Path, instance: str, version: str) -> Path:
    return root / "changes" / instance.lower() / f"{version}.json"


def read_state(root: Path, instance: str) -> State | None:
    path = state_path(root, instance)
    if not path.exists():
        return None
    node = load_document(path, what="update state")
    node.only_keys(("schema", "instance", "version", "checked", "base_url", "files"))
    if node["schema"].value != STATE_SCHEMA:
        raise node.error(f"expected schema {STATE_SCHEMA}", "schema")
    checked = node.get("checked")
    when = None
    if checked is not None:
        try:
            when = dt.datetime.fromisoformat(str(checked.value))
        except ValueError:
            raise checked.error("not a date and time") from None
    files = node.get("files")
    return State(
        instance=node["instance"].as_str(),
        version=node.opt_str("version"),
        checked=when,
        base_url=node.opt_str("base_url"),
        files=tuple((k, v.as_str()) for k, v in files.items()) if files else (),
    )


def state_text(state: State) -> str:
    doc: dict[str, Any] = {
        "schema": STATE_SCHEMA,
        "instance": state.instance,
        "version": state.version,
        "checked": state.checked.isoformat() if state.checked else None,
        "base_url": state.base_url,
        "files": dict(state.files),
    }
    return dump_yaml(doc, header="Written by 'routeplan catalog update'; do not edit.")


def sha256(data: str | bytes) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


@contextlib.contextmanager
def catalog_lock(root: Path, *, wait: float = 10.0) -> Iterator[None]:
    """Hold the catalog directory's update lock, or say who holds it.

    The lock is filelock's: an OS lock where the platform has one (``fcntl`` on Linux and
    macOS, ``msvcrt`` on Windows), else a lock file; the holder's PID is kept beside it so
    that a waiting update can say who it waited for."""
    from filelock import FileLock, Timeout  # noqa: PLC0415

    root.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(root / ".update.lock"), thread_local=False)
    holder = root / ".update.holder"
    try:
        lock.acquire(timeout=wait, poll_interval=0.2)
    except Timeout:
        try:
            who = holder.read_text(encoding="utf-8").strip()
        except OSError:
            who = ""
        raise WriteError(
            f"another catalog update is running on {root} ({who or 'another process'})",
            hint="wait for it to finish; nothing was changed",
        ) from None
    try:
        holder.write_text(f"pid {os.getpid()}\n", encoding="utf-8")
        yield
    finally:
        with contextlib.suppress(OSError):
            holder.unlink()
        lock.release()


# ---------------------------------------------------------------------------------------------
# One instance


@dataclass(frozen=True, slots=True)
class UpdateResult:
    instance: str
    status: str
    """``updated``, ``current`` (no new version) or ``not-checked`` (checked within the hour)."""
    local: str | None
    remote: str | None
    message: str
    files: tuple[str, ...] = ()
    changes: int = 0


def local_version(catalog: Catalog, root: Path, instance: str) -> str | None:
    """The newest service version known here: the marker, else the newest snapshot that has a
    service version (bundled or user)."""
    state = read_state(root, instance)
    if state is not None and state.version:
        return state.version
    versions = [
        s.version
        for s in catalog.snapshots
        if s.instance.lower() == instance.lower() and s.version and is_service_version(s.version)
    ]
    return max(versions, default=None)


def service_url(given: str | None, environ: Mapping[str, str] = os.environ) -> str:
    """The web service (or mirror) to ask: ``given``, else ``$ROUTEPLAN_WEBSERVICE_URL``, else
    :data:`DEFAULT_BASE_URL`; it must be an http(s) URL.

    >>> service_url(None, {}), service_url("http://mirror.example.net/m365", {})
    ('https://endpoints.office.com', 'http://mirror.example.net/m365')
    """
    base = given or environ.get("ROUTEPLAN_WEBSERVICE_URL") or DEFAULT_BASE_URL
    if not base.startswith(("http://", "https://")):
        raise UsageError(f"--base-url {base!r} is not an http(s) URL")
    return base


def _remote_version(client: Client, instance: str) -> str:
    node = client.get_json(f"/version/{instance}")
    node.only_keys(("instance", "latest", "versions"))
    name = node["instance"].as_str()
    if name.lower() != instance.lower():
        raise FetchError(f"asked for {instance}, the service answered for {name}")
    latest = node["latest"].as_str()
    if not is_service_version(latest):
        raise node.error(f"latest version {latest!r} is not YYYYMMDDNN", "latest")
    return latest


def update_instance(
    catalog: Catalog,
    root: Path,
    instance: str,
    client: Client,
    *,
    force: bool = False,
    now: dt.datetime | None = None,
    tenant: str | None = None,
    no_ipv6: bool = False,
) -> UpdateResult:
    """Bring one instance up to date in the catalog directory ``root``."""
    now = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    state = read_state(root, instance)
    local = local_version(catalog, root, instance)
    if not force and state is not None and state.checked is not None:
        age = now - state.checked
        if age < VERSION_INTERVAL:
            minutes = int(age.total_seconds() // 60)
            return UpdateResult(
                instance,
                "not-checked",
                local,
                None,
                f"checked {minutes} min ago; the service asks for at most one check an hour "
                "(--force checks anyway)",
            )
    remote = _remote_version(client, instance)
    if local is not None and remote < local:
        raise FetchError(
            f"{instance}: the service reports version {remote}, older than the local {local}",
            hint="a mirror that is behind? nothing was changed",
        )
    if local is not None and remote == local:
        marker = State(instance, local, now, client.base_url, state.files if state else ())
        atomic_write(state_path(root, instance), state_text(marker))
        return UpdateResult(instance, "current", local, remote, f"{instance} {local} is current")

    params = {}
    if tenant:
        params["TenantName"] = tenant
    if no_ipv6:
        params["NoIPv6"] = "true"
    endpoints = client.get_json(f"/endpoints/{instance}", params)
    note = ", ".join(f"{k}={v}" for k, v in params.items()) or None
    snapshot = snapshot_from_json(
        endpoints,
        instance=instance,
        version=remote,
        retrieved=now.date(),
        provenance=Provenance(
            document=f"Microsoft 365 IP Address and URL web service, /endpoints/{instance}",
            version=remote,
            retrieved=now.date(),
            via=client.base_url,
            note=note,
        ),
    )
    records: tuple[ChangeRecord, ...] = ()
    if local is not None:
        feed = client.get_json(f"/changes/{instance}/{local}")
        records = changes_between(changes_from_node(feed), after=local, upto=remote)
    files = _files(root, snapshot, records)
    marker = State(
        instance,
        remote,
        now,
        client.base_url,
        tuple((str(p.relative_to(root)), sha256(text)) for p, text in files),
    )
    atomic_write_many([*files, (state_path(root, instance), state_text(marker))])
    return UpdateResult(
        instance,
        "updated",
        local,
        remote,
        f"{instance}: {local or 'no service version'} -> {remote}, "
        f"{len(snapshot.endpoint_sets)} endpoint sets, {len(records)} change records",
        tuple(str(p) for p, _ in files),
        len(records),
    )


def snapshot_text(snapshot: Snapshot) -> str:
    header = (
        f"Microsoft 365 endpoint sets, {snapshot.instance} {snapshot.label}.\n"
        "Written by routeplan from the web service; update rather than edit this file."
    )
    return dump_yaml(snapshot_to_doc(snapshot), header=header)


def changes_text(records: tuple[ChangeRecord, ...]) -> str:
    ordered = sorted(records, key=lambda r: (r.version, r.id))
    return json.dumps([r.to_json() for r in ordered], indent=1, ensure_ascii=False) + "\n"


def _files(
    root: Path, snapshot: Snapshot, records: tuple[ChangeRecord, ...]
) -> list[tuple[Path, str]]:
    assert snapshot.version is not None
    return [
        (snapshot_path(root, snapshot), snapshot_text(snapshot)),
        (changes_path(root, snapshot.instance, snapshot.version), changes_text(records)),
    ]


def stored_changes(root: Path, instance: str) -> tuple[ChangeRecord, ...]:
    """Every change record stored for an instance, once each, in version order."""
    seen: dict[int, ChangeRecord] = {}
    for path in sorted((root / "changes" / instance.lower()).glob("*.json")):
        for record in read_changes(path):
            seen.setdefault(record.id, record)
    return tuple(sorted(seen.values(), key=lambda r: (r.version, r.id)))
