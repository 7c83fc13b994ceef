"""The parsed catalog, kept between runs so that a command does not parse its YAML again.

Parsing the catalog's YAML takes about 60 ms, a third of a short command's time. The parsed
catalog (the bundled one with the user's directory over it) is kept, pickled, in
``$XDG_CACHE_HOME/routeplan/catalog.pickle`` (``~/.cache/routeplan/``) under a key made of
every catalog file's path, size and modification time, and of routeplan's own modules and
Python's version: any change to any of them gives another key, and the YAML is read again.
``ROUTEPLAN_NO_CACHE=1`` turns the cache off. A cache that cannot be read or written is
ignored: the catalog is then read from its files, as without a cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path

from routeplan.errors import RouteplanError
from routeplan.fsutil import atomic_write
from routeplan.model import Catalog

ENV_NO_CACHE = "ROUTEPLAN_NO_CACHE"
_FORMAT = "routeplan catalog cache 1"
_CODE = Path(__file__).resolve().parents[1]
"""The routeplan package: a change to its code makes older pickles unusable."""


def cache_dir() -> Path:
    """The user's cache directory for routeplan (platformdirs): on Linux
    ``$XDG_CACHE_HOME/routeplan`` (``~/.cache/routeplan``), on macOS
    ``~/Library/Caches/routeplan``, on Windows ``%LOCALAPPDATA%\\routeplan\\Cache``."""
    import platformdirs  # noqa: PLC0415

    Path.home()  # RuntimeError without a home directory (a service account), as before
    return Path(platformdirs.user_cache_dir("routeplan", appauthor=False))


def enabled() -> bool:
    return os.environ.get(ENV_NO_CACHE) != "1"


def catalog_key(files: dict[str, Path]) -> str | None:
    """The key of a catalog made of these files (name -> path); None when one cannot be
    looked at (the catalog is then read without the cache)."""
    digest = hashlib.sha256(f"{_FORMAT}\0{sys.version}".encode())
    try:
        code = sorted(_CODE.rglob("*.py"))
        for path in [*code, *(files[name] for name in sorted(files))]:
            stat = path.stat()
            digest.update(f"\0{path}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    except OSError:
        return None
    return digest.hexdigest()


def read_cached(key: str) -> Catalog | None:
    """The catalog kept under ``key``, or None (no cache, another key, a damaged file)."""
    if not enabled():
        return None
    try:
        stored = pickle.loads((cache_dir() / "catalog.pickle").read_bytes())
    except Exception:
        return None
    if (
        not isinstance(stored, tuple)
        or len(stored) != 2
        or stored[0] != key
        or not isinstance(stored[1], Catalog)
    ):
        return None
    return stored[1]


def write_cached(key: str, catalog: Catalog) -> None:
    """Keep ``catalog`` under ``key`` (atomically); quietly nothing when that fails."""
    if not enabled():
        return
    try:
        atomic_write(cache_dir() / "catalog.pickle", pickle.dumps((key, catalog), protocol=4))
    except (OSError, RuntimeError, RouteplanError, pickle.PicklingError):
        return  # RuntimeError: no home directory to put a cache in (a service account)
