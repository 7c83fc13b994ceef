"""Writing files so that nothing is ever half-written.

A file is written to a temporary name in the same directory, flushed to disk, then renamed over
the target: readers see the old file or the new one, never a mix. Several files that belong
together are written with :func:`atomic_write_many`, which renames them only once all are on
disk, the last one (a version marker) last.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path

from routeplan.errors import WriteError


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file, fsync, rename)."""
    atomic_write_many([(path, data)])


def write_output(path: Path, data: str | bytes) -> None:
    """Write a report where the user asked: ``-`` is standard output; an existing special
    file (a character device such as /dev/null or /dev/stdout, a FIFO) is written through,
    never replaced by a regular file; a directory is refused; anything else is written
    atomically (:func:`atomic_write`)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if str(path) == "-":
        import sys  # noqa: PLC0415

        sys.stdout.flush()
        sys.stdout.buffer.write(raw)
        sys.stdout.flush()
        return
    try:
        info = path.stat()
    except FileNotFoundError:
        atomic_write(path, raw)
        return
    except OSError as exc:
        raise WriteError(f"could not write {path}: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise WriteError(f"could not write {path}: it is a directory")
    if stat.S_ISREG(info.st_mode):
        atomic_write(path, raw)
        return
    if not (stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
        raise WriteError(f"could not write {path}: not a regular file, device or FIFO")
    try:
        with open(path, "wb") as handle:  # through the device: it stays what it is
            handle.write(raw)
    except OSError as exc:
        raise WriteError(f"could not write {path}: {exc.strerror or exc}") from exc


def atomic_write_many(files: Sequence[tuple[Path, str | bytes]]) -> None:
    """Write several files that belong together, all or nothing.

    Every file is first written and synced under a temporary name; only then are they renamed
    into place, in the order given. A failure while writing (a full disk) leaves every target
    as it was. A failure while renaming (the rename of the third file fails) puts back the
    files already renamed: the earlier content of a file that existed (kept as a hard link
    until the end), no file where there was none. Put a file that marks the set complete (a
    version marker) last: a reader that trusts the marker never sees a partial set.
    """
    staged: list[tuple[Path, Path]] = []
    backups: dict[Path, Path | None] = {}
    done: list[Path] = []
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
        for _, path in staged:
            backups[path] = _keep(path)
        for tmp, path in staged:
            os.replace(tmp, path)
            done.append(path)
        for directory in {path.parent for _, path in staged}:
            _fsync_dir(directory)
    except BaseException as exc:  # also Ctrl-C or SIGTERM half-way: put everything back
        _roll_back(done, backups)
        for tmp, _ in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        if not isinstance(exc, OSError):
            raise
        target = exc.filename or (files[0][0] if files else "")
        raise WriteError(
            f"could not write {target}: {exc.strerror or exc}; the previous files are unchanged"
        ) from exc
    finally:
        for backup in backups.values():
            if backup is not None:
                with contextlib.suppress(OSError):
                    backup.unlink()


def _keep(path: Path) -> Path | None:
    """A hard link to the current file (None when there is none), to put it back."""
    if not path.exists():
        return None
    keep = path.with_name(f".{path.name}.{os.getpid()}.keep")
    with contextlib.suppress(FileNotFoundError):
        keep.unlink()
    os.link(path, keep)
    return keep


def _roll_back(done: Sequence[Path], backups: dict[Path, Path | None]) -> None:
    for path in reversed(done):
        backup = backups.get(path)
        with contextlib.suppress(OSError):
            if backup is None:
                path.unlink()
            else:
                os.replace(backup, path)
                backups[path] = None


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
