"""The one error root of routeplan, and the documented exit statuses.

Every error routeplan raises on purpose derives from :class:`RouteplanError`. Errors caused
by what a user gave us (a file, an option, a value) also derive from :class:`ValueError`, and
carry *where* the problem is (file, line, key path) and *what to do*, so that the command
line can print one clear message instead of a traceback.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence


class ExitStatus(enum.IntEnum):
    """Exit statuses of the ``routeplan`` command (documented in docs/cli.md).

    >>> int(ExitStatus.FINDINGS)
    1
    """

    OK = 0
    """The command did what was asked and found nothing at or above ``--fail-on``."""
    FINDINGS = 1
    """Findings at or above the ``--fail-on`` severity."""
    USAGE = 2
    """The command line is wrong: an unknown option, instance, version, community or format."""
    INPUT = 3
    """An input file is unreadable or malformed; nothing was written."""
    INPUT_SKIPPED = 4
    """``--lenient`` skipped malformed input; the result is incomplete."""
    STALE = 5
    """``--fail-on-stale``: the catalog data is older than ``--max-catalog-age`` (findings,
    status 1, come first)."""
    INTERRUPTED = 130
    """Interrupted (Ctrl-C / SIGTERM); nothing half-written was left behind."""
    INTERNAL = 70
    """A bug in routeplan; please report it with the output of ``--traceback``."""


class RouteplanError(Exception):
    """Root of every error routeplan raises on purpose."""

    exit_status: ExitStatus = ExitStatus.INTERNAL

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        text = self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"
        return printable(text)


_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if c not in (9, 10)}


def printable(text: str) -> str:
    r"""``text`` safe for a terminal: control characters (ESC, BEL, CR, ...) from route lines,
    file names or topology names shown escaped, newlines and tabs kept.

    >>> printable("edge\x1b[31m1\x07.txt")
    'edge\\x1b[31m1\\x07.txt'
    """
    return text.translate(_CONTROL)


def format_location(
    source: str | None, line: int | None = None, path: Sequence[str | int] = ()
) -> str:
    """Format where something is, as ``file:line: key.path``.

    >>> format_location("catalog/x.yaml", 12, ["endpoint_sets", 3, "ips", 0])
    'catalog/x.yaml:12: endpoint_sets[3].ips[0]'
    >>> format_location("rib.txt", 7)
    'rib.txt:7'
    >>> format_location(None)
    '<input>'
    """
    where = source or "<input>"
    if line is not None:
        where += f":{line}"
    key = format_key_path(path)
    if key:
        where += f": {key}"
    return where


def format_key_path(path: Sequence[str | int]) -> str:
    """Render a key path the way a reader finds it in YAML or JSON.

    >>> format_key_path(["rows", 4, "cidr"])
    'rows[4].cidr'
    >>> format_key_path([])
    ''
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


class InputError(RouteplanError, ValueError):
    """Bad input: names the offending value and where it is (file, line, key path)."""

    exit_status = ExitStatus.INPUT

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        line: int | None = None,
        path: Sequence[str | int] = (),
        text: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.reason = message
        self.source = source
        self.line = line
        self.path = tuple(path)
        self.text = text
        full = f"{format_location(source, line, path)}: {message}"
        if text is not None:
            shown = text if len(text) <= 200 else text[:200] + "..."
            full += f"\n  | {shown}"
        super().__init__(full, hint=hint)

    def at(
        self,
        *,
        source: str | None = None,
        line: int | None = None,
        path: Sequence[str | int] | None = None,
    ) -> InputError:
        """Return a copy of this error placed in a file (used when a value is checked before
        its location is known)."""
        return type(self)(
            self.reason,
            source=source if source is not None else self.source,
            line=line if line is not None else self.line,
            path=tuple(path) if path is not None else self.path,
            text=self.text,
            hint=self.hint,
        )


class UsageError(RouteplanError, ValueError):
    """The request is wrong: an unknown instance, version, community, service or format."""

    exit_status = ExitStatus.USAGE


class NotFoundError(UsageError, LookupError):
    """Something named by the user does not exist in the catalog; lists what does."""

    def __init__(self, kind: str, name: str, known: Sequence[str]) -> None:
        shown = ", ".join(known[:30]) + (", ..." if len(known) > 30 else "")
        super().__init__(
            f"unknown {kind} {name!r}",
            hint=f"known {kind}s: {shown}" if known else f"the catalog has no {kind}s",
        )
        self.kind = kind
        self.name = name
        self.known = tuple(known)


class WriteError(RouteplanError, OSError):
    """A file could not be written; the previous file (if any) was left as it was."""

    exit_status = ExitStatus.INPUT


class FetchError(RouteplanError):
    """The web service (or a mirror) could not be read, or sent something unusable; nothing
    in the catalog was changed."""

    exit_status = ExitStatus.INPUT
