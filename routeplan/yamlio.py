"""Safe, located reading and deterministic writing of YAML and JSON documents.

Reading is fast (libyaml's safe loader when present) and never constructs Python objects from
tags. Line numbers cost a second parse, so they are looked up only when an error is reported.
:class:`Node` walks a loaded document with typed accessors that raise :class:`InputError`
naming the file, the line and the key path.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat as _stat
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

from routeplan.errors import InputError

_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SafeDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

MAX_ALIASES = 100
"""YAML aliases allowed in one document; more is refused (a guard against alias bombs)."""
MAX_EXPANDED = 1_000_000
"""Nodes a YAML document may stand for with its aliases expanded: 72 aliases nested so that
they expand to 10^9 items pass any alias count."""


class _Loader(_SafeLoader):  # type: ignore[misc,valid-type]
    """The safe loader, refusing a key given twice in one mapping (the last one would win
    silently: a second ``expressroute:`` block in a policy)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                continue  # ``<<: *base``: merged keys may be overridden by the mapping's own
            key = self.construct_object(key_node, deep=deep)
            try:
                first = seen.get(key)
            except TypeError:
                continue  # an unhashable key: the base class reports it
            line = key_node.start_mark.line + 1
            if first is not None:
                raise _twice(key, first, line, key_node.start_mark)
            seen[key] = line
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        """The base resolver's answer, without its per-call list building (it runs for every
        scalar: a third of the load time of a large topology)."""
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT.get(value[:1], _WILDCARD):
                    if regexp.match(value):
                        return tag  # type: ignore[no-any-return]
            return _STR
        return super().resolve(kind, value, implicit)  # type: ignore[no-any-return]

    def construct_document(self, node: yaml.Node) -> Any:
        """Plain strings, lists and maps built in one walk; anything else (numbers, dates,
        booleans, merge keys) through the safe constructor, so the result is the same."""
        memo: dict[int, Any] = {}

        def build(n: yaml.Node) -> Any:
            if n.tag == _STR and isinstance(n, yaml.ScalarNode):
                return n.value
            done = memo.get(id(n), memo)
            if done is not memo:
                return done  # an alias: the same object, as the safe constructor gives
            if n.tag == _SEQ and isinstance(n, yaml.SequenceNode):
                out: Any = []
                memo[id(n)] = out
                out.extend(build(x) for x in n.value)
                return out
            if n.tag == _MAP and isinstance(n, yaml.MappingNode) and _plain_keys(n):
                out = {}
                memo[id(n)] = out
                lines: dict[Any, int] = {}
                for key_node, value_node in n.value:
                    key = build(key_node)
                    line = key_node.start_mark.line + 1
                    try:
                        first = lines.get(key)
                    except TypeError:  # an unhashable key: the safe constructor reports it
                        return self.construct_object(n, deep=True)
                    if first is not None:
                        raise _twice(key, first, line, key_node.start_mark)
                    lines[key] = line
                    out[key] = build(value_node)
                return out
            value = self.construct_object(n, deep=True)
            memo[id(n)] = value
            return value

        return build(node)


def _twice(key: Any, first: int, line: int, mark: Any) -> yaml.constructor.ConstructorError:
    """A key given twice in one mapping: the last one would win silently."""
    return yaml.constructor.ConstructorError(
        None, None, f"the key {key!r} is given twice, on lines {first} and {line}", mark
    )


def _plain_keys(node: yaml.MappingNode) -> bool:
    """No merge key (``<<``) among the mapping's keys: those need the safe constructor."""
    return all(k.tag != _MERGE for k, _ in node.value)


_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
_WILDCARD = tuple(yaml.SafeLoader.yaml_implicit_resolvers.get(None, []))
_IMPLICIT = {
    first: tuple(resolvers) + _WILDCARD
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    if first is not None
}


MAX_DOCUMENT_BYTES = 64 << 20
"""The largest YAML or JSON document read (a kind may set less: :data:`LIMITS`)."""
LIMITS = {
    "policy file": 4 << 20,
    "export manifest": 1 << 20,
    "change feed": 16 << 20,
    "endpoints file": 16 << 20,
    "snapshot": 16 << 20,
    "topology": 64 << 20,
    "plan": 64 << 20,
    "inventory": 64 << 20,
}
"""Size limits per kind of document, far above any real one: each is refused before it is
read, so a 1 GiB sparse file or an endless device costs nothing."""


def read_bytes_bounded(path: Path, *, what: str = "file", limit: int | None = None) -> bytes:
    """The bytes of one input, read the one checked way every reader uses: ``-`` is standard
    input; a directory, a device, a FIFO or a socket is refused at once (never opened, so
    never waited on); a file over ``limit`` bytes is refused before it is read, and one that
    grows past it while being read is refused too.

    >>> read_bytes_bounded(Path("/dev/zero"), what="policy file")
    Traceback (most recent call last):
    routeplan.errors.InputError: /dev/zero: policy file is not a regular file (a device, a FIFO?)
      hint: save it to a file and give that file (or - for standard input)
    """
    cap = limit if limit is not None else LIMITS.get(what, MAX_DOCUMENT_BYTES)
    source = str(path)
    too_big = InputError(
        f"{what} is over {cap >> 20} MiB; no real one is that large",
        source=source,
        hint="check that this is the right file",
    )
    if source == "-":
        data = sys.stdin.buffer.read(cap + 1)
        if len(data) > cap:
            raise too_big
        return data
    try:
        info = os.stat(path)
        if _stat.S_ISDIR(info.st_mode):
            raise InputError(f"{what} is a directory, not a file", source=source)
        if not _stat.S_ISREG(info.st_mode):
            raise InputError(
                f"{what} is not a regular file (a device, a FIFO?)",
                source=source,
                hint="save it to a file and give that file (or - for standard input)",
            )
        if info.st_size > cap:
            raise too_big
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as handle:
            if not _stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped since the stat
                raise InputError(f"{what} is not a regular file", source=source)
            data = handle.read(cap + 1)
    except InputError:
        raise
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(f"{what} not found", source=source) from None
    except OSError as exc:  # permission, a name too long, a loop of links
        raise InputError(f"cannot read {what}: {exc.strerror}", source=source) from None
    except ValueError as exc:  # a NUL byte in the name
        raise InputError(f"cannot read {what}: {exc}", source=source) from None
    if len(data) > cap:
        raise too_big
    return data


def read_text(path: Path, *, what: str = "file", limit: int | None = None) -> str:
    """Read a UTF-8 text file (a BOM is accepted) with errors that say what and where; the
    file is opened the bounded way (:func:`read_bytes_bounded`)."""
    data = read_bytes_bounded(path, what=what, limit=limit)
    if not data.strip():
        raise InputError(f"{what} is empty", source=str(path))
    if b"\x00" in data[:4096]:
        raise InputError(
            f"{what} looks binary (NUL bytes), or is UTF-16",
            source=str(path),
            hint="save it as UTF-8 text",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{what} is not UTF-8 text (byte 0x{data[exc.start]:02x})",
            source=str(path),
            line=line,
            hint="save it as UTF-8",
        ) from None


def parse_yaml(text: str, *, source: str) -> Any:
    """Load YAML safely: plain data only, a bounded number of aliases."""
    if "*" in text:
        aliases, expanded = _count_aliases(text, source)
        if aliases > MAX_ALIASES:
            raise InputError(
                f"more than {MAX_ALIASES} YAML aliases; refusing to expand them", source=source
            )
        if expanded > MAX_EXPANDED:
            raise InputError(
                f"the YAML aliases expand to more than {MAX_EXPANDED:,} items; refusing to "
                "expand them (an alias bomb?)",
                source=source,
            )
    try:
        try:
            return _from_events(text)
        except _Unusual:
            pass  # the safe loader below reads it (and words its error)
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise InputError(
            f"malformed YAML: {exc.problem or exc}", source=source, line=line
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"malformed YAML: {exc}", source=source) from None
    except RecursionError:
        raise InputError("malformed YAML: nested too deeply", source=source) from None
    except ValueError as exc:  # a number too long to convert, and the like
        raise InputError(f"malformed YAML: {exc}", source=source) from None


class _Unusual(Exception):
    """The document is outside what :func:`_from_events` builds (or is malformed)."""


_SCALARS = {
    tag: yaml.SafeLoader.yaml_constructors[tag]
    for tag in (
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:timestamp",
    )
}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _scalar(event: yaml.ScalarEvent) -> Any:
    """A plain or quoted scalar's value, resolved as the safe loader resolves it."""
    value = event.value
    if event.tag is not None and event.tag != "!":
        raise _Unusual
    if not event.implicit[0]:
        return value  # quoted (or a block scalar): a string
    for tag, regexp in _IMPLICIT.get(value[:1], _WILDCARD):
        if regexp.match(value):
            make = _SCALARS.get(tag)
            if make is None:
                raise _Unusual  # ``=`` (the value tag) and the like: the safe loader words it
            return make(_CONSTRUCTOR, yaml.ScalarNode(tag, value))
    return value


def _from_events(text: str) -> Any:
    """The document built straight from libyaml's event stream: plain maps, lists and scalars,
    one pass, no node graph (a 50,000-site topology is a million nodes: the graph cost most of
    the time and memory). Anything else (anchors, aliases, tags, merge keys, several
    documents, a key that is a collection, a syntax error) raises :class:`_Unusual`, and the
    safe loader reads the document instead; a hypothesis test holds the two equal.

    >>> _from_events("a: [1, '2', x]\\nb: {c: null, d: 2024-01-31}\\n")
    {'a': [1, '2', 'x'], 'b': {'c': None, 'd': datetime.date(2024, 1, 31)}}
    """
    build = _Build()
    try:
        for event in yaml.parse(text, Loader=_SafeLoader):
            kind = type(event)
            if kind is yaml.ScalarEvent:
                build.add(_plain(event), event)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                build.open(event, kind is yaml.MappingStartEvent)
            elif kind is yaml.MappingEndEvent:
                build.add(build.stack.pop()[0], event)
            elif kind is yaml.SequenceEndEvent:
                build.add(list(build.stack.pop()), event)
            elif kind is yaml.DocumentStartEvent:
                build.documents += 1
                if build.documents > 1:
                    raise _Unusual  # several documents: the safe loader refuses them
            elif kind is yaml.AliasEvent:
                raise _Unusual
    except yaml.constructor.ConstructorError:
        raise  # a key given twice: reported by parse_yaml
    except (yaml.YAMLError, ValueError, OverflowError):
        raise _Unusual from None
    return build.root


def _plain(event: Any) -> Any:
    value = event.value
    if event.tag is not None or not event.implicit[0] or not value or _WILDCARD:
        return _scalar(event)
    if value[:1] in _IMPLICIT:
        return _scalar(event)  # perhaps a number, a date, a boolean: resolved
    return value


class _Build:
    """The open collections of :func:`_from_events`; an open mapping is the list
    ``[dict, {key: line}, the key waiting for its value]``."""

    __slots__ = ("documents", "root", "stack")

    def __init__(self) -> None:
        self.stack: list[Any] = []
        self.root: Any = None
        self.documents = 0

    def open(self, event: Any, mapping: bool) -> None:
        if event.tag is not None and event.tag != "!":
            raise _Unusual
        if self.stack and type(self.stack[-1]) is list and self.stack[-1][2] is _NO_KEY:
            raise _Unusual  # a collection as a mapping key
        self.stack.append([{}, {}, _NO_KEY] if mapping else _Seq())

    def add(self, value: Any, event: Any) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if type(top) is _Seq:
            top.append(value)
        elif top[2] is not _NO_KEY:
            top[0][top[2]] = value
            top[2] = _NO_KEY
        else:
            if not isinstance(value, str | int | float | bool | type(None)):
                raise _Unusual  # a date or the like as a key: the safe loader's way
            line = event.start_mark.line + 1
            first = top[1].get(value)
            if first is not None:
                raise _twice(value, first, line, event.start_mark)
            if type(value) is str:
                value = _intern(value)  # a key recurs in every item: one copy
            top[1][value] = line
            top[2] = value


class _Seq(list):  # type: ignore[type-arg]
    """An open sequence (told apart from an open mapping's entry, which is a plain list)."""


_NO_KEY = object()


def _json_line(text: str, key: str) -> int | None:
    """The line of the second occurrence of ``"key":`` (where the repeat is), when it can be
    found by its text."""
    needle = json.dumps(key)
    first = text.find(needle)
    second = text.find(needle, first + 1) if first >= 0 else -1
    return text.count("\n", 0, second) + 1 if second >= 0 else None


def _count_aliases(text: str, source: str) -> tuple[int, int]:
    """The aliases of a document, and how many nodes it stands for with them expanded
    (counted over the event stream, without building anything).

    >>> _count_aliases("a: &x [1, 2]\\nb: [*x, *x]\\n", "t")
    (2, 13)
    """
    count = 0
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = [[None, 0]]  # [anchor, nodes so far] per open collection
    try:
        for event in yaml.parse(text, Loader=_SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                count += 1
                stack[-1][1] += sizes.get(event.anchor or "", 1)
            elif isinstance(event, yaml.ScalarEvent):
                stack[-1][1] += 1
                if event.anchor:
                    sizes[event.anchor] = 1
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                stack.append([event.anchor, 1])
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                anchor, size = stack.pop()
                if anchor:
                    sizes[anchor] = size
                stack[-1][1] += size
            if stack[-1][1] > MAX_EXPANDED:
                return count, stack[-1][1]
    except yaml.YAMLError:
        return 0, 0  # parse_yaml reports the syntax error with its line
    return count, max(stack[0][1], 0)


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _json_twice(key: str, source: str, line: int | None) -> InputError:
    """A key given twice in one JSON object: the last one would win silently."""
    return InputError(
        f"malformed JSON: the key {key!r} is given twice in one object",
        source=source,
        line=line,
        hint="the last one would win silently; keep one",
    )


def parse_json(text: str, *, source: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_unique)
    except _DuplicateKey as exc:
        raise _json_twice(exc.key, source, _json_line(text, exc.key)) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON: {exc.msg}", source=source, line=exc.lineno) from None
    except RecursionError:
        raise InputError("malformed JSON: nested too deeply", source=source) from None
    except ValueError as exc:  # a number too long to convert (over 4300 digits)
        raise InputError(f"malformed JSON: {exc}", source=source) from None


def parse_json_documents(text: str, *, source: str) -> list[tuple[Any, int]]:
    """Several JSON documents one after another (a capture of several commands' JSON output),
    each with the line it starts on; errors as :func:`parse_json` words them.

    >>> parse_json_documents('{}\\n{"a": 1}\\n', source="t")
    [({}, 1), ({'a': 1}, 2)]
    """
    decoder = json.JSONDecoder(object_pairs_hook=_unique)
    out: list[tuple[Any, int]] = []
    pos, line, end = 0, 1, len(text)
    while True:
        start = pos
        while pos < end and text[pos] in " \t\r\n":
            pos += 1
        line += text.count("\n", start, pos)
        if pos >= end:
            return out
        try:
            doc, stop = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise InputError(f"malformed JSON: {exc.msg}", source=source, line=exc.lineno) from None
        except _DuplicateKey as exc:
            raise _json_twice(exc.key, source, line) from None
        except RecursionError:
            raise InputError("malformed JSON: nested too deeply", source=source) from None
        except ValueError as exc:
            raise InputError(f"malformed JSON: {exc}", source=source) from None
        out.append((doc, line))
        line += text.count("\n", pos, stop)
        pos = stop


def load_document(path: Path, *, what: str = "file", limit: int | None = None) -> Node:
    """Read a YAML or JSON file (by its suffix) into a :class:`Node`; bounded by ``limit``
    bytes, or the kind's own limit (:data:`LIMITS`)."""
    text = read_text(path, what=what, limit=limit)
    source = str(path)
    if path.suffix.lower() == ".json":
        return Node(parse_json(text, source=source), source, (), None)
    return Node(parse_yaml(text, source=source), source, (), text)


def locate(text: str, path: Sequence[str | int]) -> int | None:
    """The 1-based line where a key path starts in a YAML text, or None.

    >>> locate("a:\\n  b:\\n    - x\\n    - y\\n", ["a", "b", 1])
    4
    """
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=_SafeLoader)
    except yaml.YAMLError:
        return None
    line = None
    for part in path:
        if node is None:
            break
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            nxt = None
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == part:
                    nxt = value
                    line = key.start_mark.line + 1
                    break
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                node = None
        else:
            node = None
    return line


class Node:
    """A value inside a loaded document, with typed accessors that report where they fail."""

    __slots__ = ("_key", "_path", "_up", "source", "text", "value")

    def __init__(self, value: Any, source: str, path: tuple[str | int, ...], text: str | None):
        self.value = value
        self.source = source
        self.text = text
        self._path = path
        self._up: Node | None = None
        self._key: str | int = ""

    @property
    def path(self) -> tuple[str | int, ...]:
        """The key path from the document's root (worked out when an error needs it: a large
        document has a million nodes)."""
        if self._up is None:
            return self._path
        return (*self._up.path, self._key)

    # -- errors -------------------------------------------------------------------------------
    def error(
        self, message: str, key: str | int | None = None, hint: str | None = None
    ) -> InputError:
        path = (*self.path, key) if key is not None else self.path
        line = locate(self.text, path) if self.text is not None else None
        return InputError(message, source=self.source, line=line, path=path, hint=hint)

    def fix(self, exc: InputError, key: str | int | None = None) -> InputError:
        """Place an error raised by a value parser at this node (or its child ``key``)."""
        path = (*self.path, key) if key is not None else self.path
        line = locate(self.text, path) if self.text is not None else None
        return exc.at(source=self.source, line=line, path=path)

    # -- structure ----------------------------------------------------------------------------
    def child(self, key: str | int, value: Any) -> Node:
        node = _new_node(Node)
        node.value = value
        node.source = self.source
        node.text = self.text
        node._up = self
        node._key = key
        return node

    def mapping(self) -> dict[str, Any]:
        if not isinstance(self.value, dict):
            raise self.error(f"expected a mapping, got {_kind(self.value)}")
        return self.value

    def has(self, key: str) -> bool:
        return key in self.mapping()

    def __getitem__(self, key: str) -> Node:
        data = self.mapping()
        if key not in data:
            raise self.error(f"missing key {key!r}")
        return self.child(key, data[key])

    def get(self, key: str) -> Node | None:
        data = self.mapping()
        return self.child(key, data[key]) if key in data and data[key] is not None else None

    def list_of(self, key: str) -> list[Node]:
        """The items of the list under ``key``; an absent or empty key is an empty list."""
        node = self.get(key)
        return [] if node is None else node.as_list()

    def items(self) -> Iterator[tuple[str, Node]]:
        for key, value in self.mapping().items():
            yield str(key), self.child(str(key), value)

    def as_list(self) -> list[Node]:
        if self.value is None:
            return []
        if not isinstance(self.value, list):
            raise self.error(f"expected a list, got {_kind(self.value)}")
        return [self.child(i, v) for i, v in enumerate(self.value)]

    def only_keys(self, allowed: Sequence[str]) -> None:
        for key in self.mapping():
            if key not in allowed:
                raise self.error(
                    f"unknown key {key!r}", key=str(key), hint="known keys: " + ", ".join(allowed)
                )

    # -- scalars ------------------------------------------------------------------------------
    def as_str(self) -> str:
        if not isinstance(self.value, str):
            raise self.error(f"expected text, got {_kind(self.value)}")
        return self.value

    def opt_str(self, key: str) -> str | None:
        node = self.get(key)
        return None if node is None else node.as_str()

    def as_int(self) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise self.error(f"expected a whole number, got {_kind(self.value)}")
        return self.value

    def as_bool(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.error(f"expected true or false, got {_kind(self.value)}")
        return self.value

    def opt_bool(self, key: str) -> bool | None:
        node = self.get(key)
        return None if node is None else node.as_bool()

    def as_date(self) -> dt.date:
        if isinstance(self.value, dt.datetime):
            return self.value.date()
        if isinstance(self.value, dt.date):
            return self.value
        if isinstance(self.value, str):
            try:
                return dt.date.fromisoformat(self.value)
            except ValueError:
                pass
        raise self.error(f"expected a date (YYYY-MM-DD), got {self.value!r}")

    def opt_date(self, key: str) -> dt.date | None:
        node = self.get(key)
        return None if node is None else node.as_date()

    def str_list(self) -> tuple[str, ...]:
        return tuple(item.as_str() for item in self.as_list())


_new_node = object.__new__
_intern = sys.intern


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"a boolean ({value})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({value!r})" if len(value) < 40 else "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def dump_yaml(data: Any, *, header: str | None = None) -> str:
    """Deterministic YAML: keys in the order given, block style, UTF-8, LF line ends."""
    body = yaml.dump(
        data,
        Dumper=_SafeDumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=100,
    )
    if header:
        lines = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
        return lines + body
    return body
