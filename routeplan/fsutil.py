"""Writing files so that nothing is ever half-written.

A file is written to a temporary name in the same directory, flushed to disk, then renamed over
the target: readers see the old file or the new one, never a mix. Several files that belong
together are written with :func:`atomic_write_many`, which renames them only once all are on
disk, the last one (a version marker) last.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from routeplan.errors import WriteError


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, rename)."""
    atomic_write_many([(path, data)])


def atomic_write_many(files: Sequence[tuple[Path, str | bytes]]) -> None:
    """Write several files that belong together.

    Every file is first written and synced under a temporary name; only then are they renamed
    into place, in the order given, so a failure while writing (a full disk, a crash) leaves
    every target as it was. Put a file that marks the set complete (a version marker) last.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            tmp = Path(tmp_name)
            staged.append((tmp, path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, path in staged:
            os.replace(tmp, path)
        for directory in {path.parent for _, path in staged}:
            _fsync_dir(directory)
    except OSError as exc:
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        target = exc.filename or (files[0][0] if files else "")
        raise WriteError(
            f"could not write {target}: {exc.strerror or exc}; the previous files are unchanged"
        ) from exc


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
