"""Fleet checks past one machine: one RQ job per router, on NetBox's own job queue.

NetBox runs its scripts as background jobs on `RQ <https://python-rq.org>`_ workers over
Redis; a fleet check is naturally one job per router. :func:`submit` builds the plan once
(as ``routeplan diff`` does), stores it in Redis once under its SHA-256, and enqueues one job
per router; any number of ``rq worker`` processes, on any number of machines, run
:func:`check_router` (the same check ``routeplan diff`` runs in-process, through
:func:`routeplan.fleet.check_one`). :func:`collect` waits for every router and returns the
:class:`~routeplan.diff.FleetResult` that ``routeplan diff --inventory`` gives for the same
routers, byte for byte in JSON (tests/test_distributed.py).

No router is ever silently absent. A router whose job fails (its files are missing or cannot
be read), or whose worker dies mid-run and whose retries are used up, is reported for that
router (``FleetResult.failed``); a job whose worker died is retried first when ``retries``
allows. While it waits, :func:`collect` runs RQ's own clean-up of abandoned jobs, so a job
whose worker was killed is found once its heartbeat lapses (RQ: the worker's job monitoring
interval plus 60 seconds), without waiting for a worker's maintenance pass.

Needs the ``rq`` extra (``pip install 'routeplan[rq]'``). Redis must be trusted: RQ keeps job
arguments and results pickled, and so does the stored plan. Route-table paths are read by the
workers: on several machines they must see the same files (a shared mount) at the same paths.
"""

from __future__ import annotations

import hashlib
import pickle
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from routeplan import _version
from routeplan.catalog.age import DEFAULT_MAX_AGE_DAYS
from routeplan.catalog.query import CatalogView
from routeplan.diff import FleetResult, RouterResult
from routeplan.errors import InputError, UsageError
from routeplan.fleet import FleetItem, check_one, fleet_of, fleet_plan, start_worker
from routeplan.policy import Policy

if TYPE_CHECKING:
    from redis import Redis
    from rq.job import Job

QUEUE = "routeplan"
"""The default queue name: ``rq worker routeplan`` serves it."""
PLAN_KEY = "routeplan:plan:"
"""Redis key prefix of the stored plans (one per distinct plan, by SHA-256)."""


def _rq() -> Any:
    try:
        import rq  # noqa: PLC0415  (an optional dependency)
    except ImportError:
        raise UsageError(
            "distributed runs need RQ and Redis's client",
            hint="pip install 'routeplan[rq]'",
        ) from None
    return rq


@dataclass(frozen=True, slots=True)
class FleetRun:
    """A fleet check handed to RQ: the queue, the stored plan's key, and one job per router
    in the routers' order."""

    queue: str
    plan_key: str
    routers: tuple[str, ...]
    job_ids: tuple[str, ...]


def submit(
    connection: Redis,
    view: CatalogView,
    items: Sequence[FleetItem],
    *,
    communities: Sequence[str] | None = None,
    services: Sequence[str] | None = None,
    policy: Policy | None = None,
    lenient: bool = False,
    max_catalog_age: int = DEFAULT_MAX_AGE_DAYS,
    queue: str = QUEUE,
    retries: int = 1,
    job_timeout: int = 3600,
    keep_for: int = 86400,
) -> FleetRun:
    """Enqueue one job per router (``items`` from :func:`routeplan.fleet.router_items` or
    :func:`~routeplan.fleet.inventory_items`) against one plan, built here once and stored
    in Redis once. ``retries``: how often a router's job is run again after its worker died;
    ``keep_for``: seconds the plan and the results are kept in Redis."""
    rq = _rq()
    policy = policy or Policy.default()
    plan = fleet_plan(view, items, communities, services, policy, max_catalog_age)
    payload = pickle.dumps((_version.__version__, plan, policy, lenient), protocol=5)
    plan_key = PLAN_KEY + hashlib.sha256(payload).hexdigest()
    connection.set(plan_key, payload, ex=keep_for)
    q = rq.Queue(queue, connection=connection)
    retry = rq.Retry(max=retries) if retries > 0 else None
    jobs = q.enqueue_many(
        [
            rq.Queue.prepare_data(
                check_router,
                args=(plan_key, item),
                timeout=job_timeout,
                result_ttl=keep_for,
                failure_ttl=keep_for,
                retry=retry,
                description=f"routeplan check of router {item[0]}",
            )
            for item in items
        ]
    )
    return FleetRun(queue, plan_key, tuple(i[0] for i in items), tuple(j.id for j in jobs))


def check_router(plan_key: str, item: FleetItem) -> RouterResult | tuple[str, str]:
    """The RQ task: one router's check against the stored plan (run by ``rq worker``).

    The result is that router's :class:`~routeplan.diff.RouterResult`, or ``(name, why)``
    when its tables cannot be read; another error fails the job, and :func:`collect` reports
    it for the router."""
    job = _rq().get_current_job()
    if job is None:
        raise UsageError("check_router runs as an RQ job (rq worker), not directly")
    payload = job.connection.get(plan_key)
    if payload is None:
        raise InputError(f"the fleet's plan {plan_key} is gone from Redis (expired?)")
    version, plan, policy, lenient = pickle.loads(payload)
    if version != _version.__version__:
        raise InputError(
            f"the plan was made by routeplan {version}, this worker runs {_version.__version__}",
            hint="run one routeplan version on the submitting machine and every worker",
        )
    start_worker(plan, policy, lenient, keep_going=True)
    return check_one(item)


def collect(
    connection: Redis,
    run: FleetRun,
    *,
    timeout: float = 3600,
    poll: float = 0.5,
    progress: Callable[[int, int], None] | None = None,
) -> FleetResult:
    """Wait for every router of ``run`` and assemble the fleet's result, in the routers'
    order. A failed job (an error, or a worker that died with no retry left) is reported for
    its router; a router still unfinished after ``timeout`` seconds is reported as such.
    ``progress(done, total)`` is called when the count of finished routers changes."""
    rq = _rq()
    from rq.job import Job  # noqa: PLC0415
    from rq.registry import StartedJobRegistry  # noqa: PLC0415

    queue = rq.Queue(run.queue, connection=connection)
    started = StartedJobRegistry(queue=queue)
    deadline = time.monotonic() + timeout
    done: dict[int, RouterResult | tuple[str, str]] = {}
    shown = -1
    while True:
        started.cleanup()  # abandoned jobs: retried, or failed when no retry is left
        pending = [i for i in range(len(run.job_ids)) if i not in done]
        jobs = Job.fetch_many([run.job_ids[i] for i in pending], connection=connection)
        for i, job in zip(pending, jobs, strict=True):
            outcome = _outcome(run.routers[i], job)
            if outcome is not None:
                done[i] = outcome
        if progress is not None and len(done) != shown:
            shown = len(done)
            progress(shown, len(run.job_ids))
        if len(done) == len(run.job_ids):
            break
        if time.monotonic() > deadline:
            for i in range(len(run.job_ids)):
                done.setdefault(i, (run.routers[i], f"not finished after {timeout:g} s on RQ"))
            break
        time.sleep(poll)
    return fleet_of([done[i] for i in range(len(run.job_ids))])


def connect(url: str) -> Redis:
    """A Redis connection from a URL (``redis://host:6379/0``, ``rediss://`` for TLS,
    ``unix:///run/redis.sock``), checked with a ping: a wrong URL is a usage error now, not a
    fleet of routers that never finish."""
    _rq()
    from redis import Redis  # noqa: PLC0415
    from redis.exceptions import RedisError  # noqa: PLC0415

    try:
        connection = Redis.from_url(url)
        connection.ping()
    except (RedisError, ValueError) as exc:
        raise UsageError(
            f"cannot reach Redis at {url}: {exc}",
            hint="give the URL NetBox's RQ workers use, e.g. redis://localhost:6379/0",
        ) from None
    return connection


def diff_fleet(
    url: str,
    view: CatalogView,
    items: Sequence[FleetItem],
    *,
    communities: Sequence[str] | None = None,
    services: Sequence[str] | None = None,
    policy: Policy | None = None,
    lenient: bool = False,
    max_catalog_age: int = DEFAULT_MAX_AGE_DAYS,
    queue: str = QUEUE,
    timeout: float = 3600,
    progress: Callable[[int, int], None] | None = None,
) -> FleetResult:
    """``routeplan diff --rq URL``: :func:`submit` then :func:`collect`. A router that cannot
    be read is reported for that router, as with ``--inventory``."""
    connection = connect(url)
    run = submit(
        connection,
        view,
        items,
        communities=communities,
        services=services,
        policy=policy,
        lenient=lenient,
        max_catalog_age=max_catalog_age,
        queue=queue,
    )
    return collect(connection, run, timeout=timeout, progress=progress)


def _outcome(router: str, job: Job | None) -> RouterResult | tuple[str, str] | None:
    """A finished job's answer for its router; None while it is queued or running."""
    if job is None:
        return router, "its RQ job is gone from Redis (expired, or deleted)"
    status = job.get_status(refresh=False)
    if status == "finished":
        value = job.return_value(refresh=False)
        if isinstance(value, RouterResult) or (isinstance(value, tuple) and len(value) == 2):
            return value
        return router, f"its RQ job returned {type(value).__name__}, not a result"
    if status in ("failed", "stopped", "canceled"):
        return router, f"its RQ job {status}: {_why(job)}"
    return None


def _why(job: Job) -> str:
    """The last line of a failed job's error (the exception, or RQ's abandoned-job note)."""
    result = job.latest_result()
    text = (result.exc_string or "") if result is not None else ""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else "no reason recorded"
