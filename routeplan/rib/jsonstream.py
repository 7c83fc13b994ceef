"""JSON route tables read as a stream: memory bounded by the largest route, not the table.

A JSON route table is a few objects around one large container: FRR's ``"routes"``, EOS's
``"bgpRouteEntries"``, Junos's ``"rt"`` list, Azure's ``"value"``. :func:`walk` reads a file
in blocks, builds the document around those containers as usual (small objects, each key
checked to be given once), and hands each element of a container named by a pattern to the
reader's :class:`Table`: its ``skip`` decides from the element's key, its text and what it
holds (its routes, or its network) whether the route cannot matter (and counts it), without
building it; every other element goes to its ``read`` as an
:class:`Item`, with its line and its text; a reader that reads it calls :meth:`Item.checked`
(the element decoded again with every key checked to be given once).

A table may need a key of the container's parent (FRR's ``vrfName``) that the document
gives after the container (a document written with its keys sorted): the container is then
passed over and read again, from the file, once the parent is complete (``needs``).
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import KW_ONLY, dataclass
from types import TracebackType
from typing import Any, BinaryIO

from routeplan.errors import InputError
from routeplan.rib.base import PROGRESS_BYTES, Interest, ParseContext
from routeplan.rib.bgplayout import load_skim, skim_tables
from routeplan.rib.prefixtext import prefix_family
from routeplan.yamlio import _DuplicateKey, _json_twice, _unique

BLOCK = 1 << 20
"""Characters read at a time."""
MAX_VALUE = 64 << 20
"""The largest single element of a streamed container (or value around one), in characters:
a route is a few hundred; a larger element is refused before memory runs out."""

Pattern = tuple[str, ...]
"""A container's place in the document: keys from the top, ``"*"`` for any key or index;
``()`` for the document itself."""

_scanstring: Callable[[str, int, bool], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]
_WS = re.compile(r"[ \t\n\r]*")
_KEY = re.compile(r'[ \t\n\r]*"([^"\\\x00-\x1f]*)"[ \t\n\r]*:[ \t\n\r]*')
_SEP = re.compile(r"[ \t\n\r]*([,}\]])")
_FAST = json.JSONDecoder()
_CHECKED = json.JSONDecoder(object_pairs_hook=_unique)


JSON_END: Callable[[str, int, str, str, tuple[str, ...]], tuple[int, Any]] | None = load_skim(
    "json_end"
)
"""The C ``json_end`` (``_skim.c``): where a JSON value ends and what it holds, found without
decoding it; or None (no compiler at install, or ``ROUTEPLAN_PURE=1``): each value is
decoded to find it, with the same result."""
JSON_SKIM: Callable[..., tuple[int, int, int, int, int]] | None = load_skim("json_skim")
"""The C ``json_skim``: passes over runs of elements that cannot matter (see :class:`Table`);
None with ``JSON_END``."""
_SCAN: Callable[[str, int], tuple[Any, int]] = _FAST.scan_once  # type: ignore[attr-defined]


def scan_value(text: str) -> Any:
    """The JSON value ``text`` (one whole value, as an :class:`Item` holds), decoded without
    the duplicate-key check (for counting a route that cannot matter); ValueError if it is
    not one.

    >>> scan_value('{"index": {"1": {}}}'), scan_value("[1, 2]")
    ({'index': {'1': {}}}, [1, 2])
    """
    try:
        value, end = _SCAN(text, 0)
    except StopIteration:
        raise ValueError("not a JSON value") from None
    if end != len(text):
        raise ValueError("more than one JSON value")
    return value


class JsonText:
    """A JSON file's text, read in blocks: a window over it (``buf``, ``pos``) that moves on as
    values are consumed, with the line of every place in it."""

    def __init__(self, ctx: ParseContext) -> None:
        self.source = ctx.source
        self.buf = ""
        self.pos = 0
        self.dropped = 0
        """Characters dropped from the window's front so far: ``dropped + pos`` is where in
        the whole text the window is."""
        self._line = 1
        self._lpos = 0
        self._raw: BinaryIO | None = None
        self._progress = None
        self._size = max(ctx.size, 1)
        if ctx.has_text():
            self.buf = ctx.text()
            self.eof = True
        else:
            self._raw = ctx.path.open("rb")
            self._decoder = codecs.getincrementaldecoder(ctx.encoding)("strict")
            self.eof = False
            if ctx.progress is not None and ctx.size >= PROGRESS_BYTES:
                self._progress = ctx.progress

    def __enter__(self) -> JsonText:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._raw is not None:
            self._raw.close()

    def line_at(self, at: int) -> int:
        """The line of window position ``at`` (positions are asked for in order, mostly)."""
        if at >= self._lpos:
            self._line += self.buf.count("\n", self._lpos, at)
            self._lpos = at
            return self._line
        return self._line - self.buf.count("\n", at, self._lpos)

    def passed(self, start: int, end: int, lines: int) -> None:
        """The window from ``start`` to ``end``, holding ``lines`` newlines, was passed over:
        line counting goes on from ``end`` (when it had not come further than ``start``)."""
        if self._lpos <= start:
            self._line += self.buf.count("\n", self._lpos, start) + lines
            self._lpos = end

    def more(self) -> bool:
        """Read the next block into the window, dropping what is consumed; False at the end."""
        if self.eof or self._raw is None:
            return False
        data = self._raw.read(BLOCK)
        text = self._decoder.decode(data, final=not data)
        if not data:
            self.eof = True
        if self._progress is not None:
            self._progress(self.source, None if self.eof else self._raw.tell() * 100 // self._size)
        self.line_at(self.pos)
        self.buf = self.buf[self.pos :] + text
        self.dropped += self.pos
        self._lpos -= self.pos
        self.pos = 0
        return True

    def seek(self, offset: int, line: int) -> None:
        """Move to ``offset`` characters into the whole text, known to be on ``line``."""
        while self.dropped + len(self.buf) <= offset and self.more():
            self.pos = len(self.buf)
        self.pos = offset - self.dropped
        self._lpos, self._line = self.pos, line

    def peek(self) -> str:
        """The next character that is not white space ("" at the end); the window is there."""
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return ""

    def expect(self, wanted: str, what: str) -> None:
        got = self.peek()
        if got != wanted:
            found = f"{got!r}" if got else "the end of the file"
            raise self.error(f"malformed JSON: expected {what}, found {found}", self.pos)
        self.pos += 1

    def error(self, reason: str, at: int) -> InputError:
        return InputError(reason, source=self.source, line=self.line_at(at))

    def key(self) -> str:
        """An object's key and its colon."""
        if self.peek() != '"':
            raise self.error("malformed JSON: expected a key in double quotes", self.pos)
        key, _ = self._decode(lambda buf, at: _scanstring(buf, at + 1, True))
        self.expect(":", "':' after a key")
        return str(key)

    def value(self, *, checked: bool = True) -> tuple[Any, int]:
        """The next value, decoded whole (with each key checked to be given once, unless not
        ``checked``), and where it started in the window."""
        self.peek()
        decoder = _CHECKED if checked else _FAST
        return self._decode(decoder.raw_decode)

    def _decode(self, decode: Callable[[str, int], tuple[Any, int]]) -> tuple[Any, int]:
        while True:
            buf, start = self.buf, self.pos
            try:
                value, end = decode(buf, start)
            except json.JSONDecodeError as exc:
                near_end = exc.pos >= len(buf) - 64 or exc.msg.startswith("Unterminated")
                if self.eof or not near_end:
                    raise self.error(f"malformed JSON: {exc.msg}", exc.pos) from None
            except _DuplicateKey as exc:
                raise self._twice(exc.key, start) from None
            except RecursionError:
                raise self.error("malformed JSON: nested too deeply", start) from None
            except ValueError as exc:  # a number too long to convert (over 4300 digits)
                raise self.error(f"malformed JSON: {exc}", start) from None
            else:
                if end < len(buf) or self.eof:  # a number at the window's end may go on
                    self.pos = end
                    return value, start
            size = len(buf) - start
            if size > MAX_VALUE:
                raise self.error(
                    f"a single JSON value of over {MAX_VALUE >> 20} MiB inside the table: "
                    "not one route's",
                    start,
                )
            while len(self.buf) - self.pos < 2 * size + BLOCK and self.more():
                pass

    def _twice(self, key: str, start: int) -> InputError:
        needle = json.dumps(key)
        first = self.buf.find(needle, start)
        second = self.buf.find(needle, first + 1) if first >= 0 else -1
        return _json_twice(key, self.source, self.line_at(second if second >= 0 else start))


class Item:
    """One element of a streamed container: its key (an index in a list), its first line,
    its text (:meth:`checked` decodes it), the keys of the container's parent that came
    before it (``parent``), where the container is (``where``: its keys from the top) and the
    objects around it, from the top, with the keys each gave before it (``ancestors``)."""

    __slots__ = ("ancestors", "key", "line", "parent", "source", "text", "where")

    def __init__(
        self,
        key: str | int,
        line: int,
        text: str,
        parent: dict[str, Any],
        source: str,
        where: tuple[str | int, ...],
        ancestors: tuple[dict[str, Any], ...] = (),
    ) -> None:
        self.ancestors = ancestors
        self.key = key
        self.line = line
        self.text = text
        self.parent = parent
        self.source = source
        self.where = where

    def checked(self) -> Any:
        """The value, with every key of every object in it checked to be given once."""
        try:
            return _CHECKED.decode(self.text)
        except _DuplicateKey as exc:
            needle = json.dumps(exc.key)
            second = self.text.find(needle, self.text.find(needle) + 1)
            line = self.line + self.text.count("\n", 0, max(second, 0))
            raise _json_twice(exc.key, self.source, line) from None

    def line_of(self, needle: str) -> int:
        """The line where ``needle`` first appears in the element (its first line if not)."""
        at = self.text.find(needle)
        return self.line + (self.text.count("\n", 0, at) if at > 0 else 0)


@dataclass(frozen=True, slots=True)
class Table:
    """What a reader does with a streamed container's elements: ``skip`` (optional) is asked
    first, with the key, the element's text, what it holds (``count``, ``member``) and the
    container's parent, and says True when it has counted a route that cannot matter; every
    other element is handed to ``read`` as an :class:`Item`. :func:`table` makes one. (``skip``
    is also told where the container is: its keys from the top.)"""

    read: Callable[[Item], None]
    _: KW_ONLY
    skip: Callable[[str | int, str, Any, dict[str, Any], tuple[str | int, ...]], bool] | None = None
    interest: Interest | None = None
    """Given when ``skip`` counts an element exactly when ``interest.maybe`` says no for its
    network and text and the network is a prefix (:func:`prefix_family`), the network being
    the element's key (``member`` empty; its routes as ``count`` says, when at least 0) or its
    ``member`` (one route): then the C skimmer passes over runs of such elements
    (``json_skim``), deciding as ``skip`` would."""
    kind: str = ""
    """The container's kind, when only one is streamed: ``"["`` a list, ``"{"`` an object (a
    value of the other kind at that place is read as any other)."""
    count: str = ""
    """What ``skip`` is told an element holds: the objects of the element, a list (""), or
    of its member of this name (EOS: ``bgpRoutePaths``); -1 when it is not so."""
    member: str = ""
    """When given, ``skip`` is told instead the element's member of this name when it is a
    string (Azure's ``network``), else None; None too when ``allowed`` is given and the
    element has another key. Such an element is one route; with ``count`` too, the C skimmer
    counts NX-API's rows under its ``TABLE_<count>`` -> ``ROW_<count>`` (and ``skip`` asks
    the table's ``routes``)."""
    allowed: tuple[str, ...] = ()
    skims: bool = True
    """False when ``skip`` finds the network its own way: the C skimmer is not used."""
    only: Callable[[tuple[str | int, ...], tuple[dict[str, Any], ...]], bool] | None = None
    """Given, the containers whose elements are read or counted, told where the container is
    (its keys from the top) and the objects around it (as :attr:`Item.ancestors`); any other
    is passed over (Genie's and NX-OS's address families that are not IP unicast)."""
    single: bool = False
    """With ``kind`` ``"["``: an object where the list is is its one element (NX-API prints a
    table of one row so)."""
    lists: tuple[str, ...] = ()
    """With ``member``: the C skimmer counts an element's routes as the longest of its lists
    of text of these names, at least one (SuzieQ's next hops and interfaces, by position)."""
    same: tuple[str, ...] = ()
    """With ``member``: the C skimmer passes over only elements whose members of these names
    hold exactly the JSON texts ``same_texts`` gives (one host's records); none while it
    gives None."""
    same_texts: Callable[[], tuple[str, ...] | None] | None = None


def table(
    ctx: ParseContext,
    read: Callable[[Item], None],
    *,
    kind: str = "",
    count: str = "",
    member: str = "",
    allowed: tuple[str, ...] = (),
    network: Callable[[str | int, str, dict[str, Any]], str | None] | None = None,
    routes: Callable[[str, tuple[str | int, ...]], int | None] | None = None,
    only: Callable[[tuple[str | int, ...], tuple[dict[str, Any], ...]], bool] | None = None,
    single: bool = False,
    lists: tuple[str, ...] = (),
    same: tuple[str, ...] = (),
    same_texts: Callable[[], tuple[str, ...] | None] | None = None,
    counted: bool = False,
) -> Table:
    """A reader's :class:`Table`: with an interest, routes that cannot matter are counted and
    passed over (the network is the element's key, its routes as ``count`` says; or with
    ``member``, that member of the element, one route; or what ``network`` finds in the
    element's key, text and parent, with its routes as ``count`` says: None, read it in
    full), the rest go to ``read``. With ``routes``, an element whose ``count`` says nothing
    (-1) holds what ``routes`` finds in its text and where the container is, asked only when
    its network cannot matter (None: read it in full); ``counted`` says the C skimmer counts
    an element's routes as ``routes`` does (by ``count``, ``lists``, or one, among elements
    as ``same`` says), so it may pass over them. ``only``, ``single``, ``lists``, ``same``:
    see :class:`Table`."""
    interest = ctx.interest
    if interest is None:
        return Table(read, kind=kind, only=only, single=single)

    def skip(
        key: str | int, text: str, info: Any, parent: dict[str, Any], where: tuple[str | int, ...]
    ) -> bool:
        net: Any
        if network is not None:
            net, held = network(key, text, parent), info
        else:
            net, held = (info, 1) if member else (key, info)
        if routes is not None and member:
            held = -1  # an element of several routes, found by its member
        ask = routes is not None and held == -1  # asked below, once the network cannot matter
        if (
            isinstance(net, str)
            and isinstance(held, int)
            and (held >= 0 or ask)
            and not interest.maybe(net, text)
            and (family := prefix_family(net))
        ):
            if ask:
                held = routes(text, where)  # type: ignore[misc]
                if held is None or held < 0:
                    return False
            ctx.count(family, held)
            return True
        return False

    return Table(
        read,
        skip=skip,
        interest=interest,
        kind=kind,
        count=count,
        member=member,
        allowed=allowed,
        skims=network is None and not (member and routes is not None and not counted),
        only=only,
        single=single,
        lists=lists,
        same=same,
        same_texts=same_texts,
    )


def _extract(value: Any, table: Table) -> Any:
    """What ``table.skip`` is told an element holds (as the C ``json_end`` says it).

    >>> _extract({"network": "52.96.0.0/14", "x": 1}, Table(print, member="network"))
    '52.96.0.0/14'
    >>> only = Table(print, member="network", allowed=("network",))
    >>> _extract({"network": "8.8.8.0/24", "x": 1}, only)
    """
    if not table.member:
        return _objects(value, table.count)
    if not isinstance(value, dict) or any(k not in table.allowed for k in value if table.allowed):
        return None
    found = value.get(table.member)
    return found if isinstance(found, str) else None


def _objects(value: Any, key: str = "") -> int:
    """How many objects ``value`` holds when it is a list of objects (with a ``key``: its
    member of that name is, or is an object of objects, as Genie's ``index``), else -1; as
    the C ``json_end`` counts them.

    >>> _objects([{}, {"a": 1}]), _objects([]), _objects([{}, 1]), _objects({})
    (2, 0, -1, -1)
    >>> _objects({"paths": [{}], "x": 1}, "paths"), _objects({"x": 1}, "paths")
    (1, -1)
    >>> _objects({"index": {"1": {}, "2": {}}}, "index"), _objects({"index": {"1": 2}}, "index")
    (2, -1)
    """
    if key:
        value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, dict):
            value = list(value.values())
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return len(value)
    return -1


def walk(
    ctx: ParseContext,
    streams: Mapping[Pattern, Table],
    *,
    needs: Mapping[Pattern, tuple[str, ...]] | None = None,
    several: bool = False,
    each: Callable[[Any, int], None] | None = None,
) -> list[tuple[Any, int]]:
    """Read ``ctx``'s JSON, handing each element of the containers ``streams`` names to its
    :class:`Table`; the documents (several one after another when ``several``, else exactly one),
    each with its first line, their streamed containers left empty. ``each`` is called with
    each document and its line as soon as it is read (before the next one's routes)."""
    with JsonText(ctx) as text:
        walker = _Walker(ctx, text, streams, needs or {})
        docs: list[tuple[Any, int]] = []
        while text.peek():
            if docs and not several:
                raise text.error("malformed JSON: Extra data", text.pos)
            line = text.line_at(text.pos)
            docs.append((walker.value(()), line))
            if each is not None:
                each(*docs[-1])
        if not docs and not several:
            raise text.error("malformed JSON: Expecting value", text.pos)
        return docs


def _matches(path: tuple[str | int, ...], pattern: Pattern) -> bool:
    return len(path) == len(pattern) and all(
        p in ("*", k) for k, p in zip(path, pattern, strict=True)
    )


class _Walker:
    def __init__(
        self,
        ctx: ParseContext,
        text: JsonText,
        streams: Mapping[Pattern, Table],
        needs: Mapping[Pattern, tuple[str, ...]],
    ) -> None:
        self.ctx = ctx
        self.text = text
        self.streams = streams
        self.needs = needs
        self.stack: list[dict[str, Any]] = []
        """The objects being built around the current place, from the top."""

    def _leads(self, path: tuple[str | int, ...]) -> bool:
        """Does a streamed container lie below ``path``?"""
        n = len(path)
        return any(len(p) > n and _matches(path, p[:n]) for p in self.streams)

    def _table(self, pattern: Pattern, where: tuple[str | int, ...]) -> Table | None:
        """The table for the container at ``where``; None (passed over: neither read nor
        counted) where the table's ``only`` says no."""
        table = self.streams[pattern]
        return table if table.only is None or table.only(where, tuple(self.stack)) else None

    def _stream_of(self, path: tuple[str | int, ...], first: str) -> Pattern | None:
        return next(
            (
                p
                for p, t in self.streams.items()
                if _matches(path, p) and (t.kind in ("", first) or (t.single and first == "{"))
            ),
            None,
        )

    def value(self, path: tuple[str | int, ...]) -> Any:
        text = self.text
        first = text.peek()
        if not path and (pattern := self._stream_of(path, first)) is not None:
            return _Stream(self.ctx, text, self._table(pattern, path), {}, path, ()).run()
        if first == "{" and self._leads(path):
            return self._object(path)
        if first == "[" and self._leads(path):
            text.pos += 1
            out: list[Any] = []
            if text.peek() == "]":
                text.pos += 1
                return out
            while True:
                out.append(self.value((*path, len(out))))
                if text.peek() == "]":
                    text.pos += 1
                    return out
                text.expect(",", "',' or ']' in a list")
        return text.value()[0]

    def _object(self, path: tuple[str | int, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        self.stack.append(out)
        try:
            return self._members(path, out)
        finally:
            self.stack.pop()

    def _members(self, path: tuple[str | int, ...], out: dict[str, Any]) -> dict[str, Any]:
        text = self.text
        text.pos += 1
        later: list[tuple[Pattern, tuple[str | int, ...], int, int]] = []
        if text.peek() == "}":
            text.pos += 1
            return out
        while True:
            text.peek()
            line = text.line_at(text.pos)
            key = text.key()
            if key in out:
                raise _json_twice(key, text.source, line)
            child = (*path, key)
            pattern = self._stream_of(child, text.peek())
            if pattern is None:
                out[key] = self.value(child)
            elif any(k not in out for k in self.needs.get(pattern, ())):
                # the table needs a key the parent may give after the container: pass it
                # over now, read it when the parent is complete
                text.peek()
                later.append((pattern, child, text.dropped + text.pos, text.line_at(text.pos)))
                out[key] = _Stream(self.ctx, text, None, {}, child, ()).run()
            else:
                table = self._table(pattern, child)
                ancestors = tuple(self.stack)
                out[key] = _Stream(self.ctx, text, table, out, child, ancestors).run()
            if text.peek() == "}":
                text.pos += 1
                break
            text.expect(",", "',' or '}' in an object")
        for pattern, where, offset, line in later:
            with JsonText(self.ctx) as again:
                again.seek(offset, line)
                table = self._table(pattern, where)
                _Stream(self.ctx, again, table, out, where, tuple(self.stack)).run()
        return out


class _Stream:
    """One container's elements, each decoded on its own and handed to the table (or only
    passed over, with no table). Elements whose key has no escapes and that lie whole in the
    window take a fast path: one regular expression for the key, the C scanner for the value;
    any other goes the careful way (:meth:`JsonText.key`, :meth:`JsonText.value`), which reads
    more of the file or says what is wrong."""

    def __init__(
        self,
        ctx: ParseContext,
        text: JsonText,
        table: Table | None,
        parent: dict[str, Any],
        where: tuple[str | int, ...],
        ancestors: tuple[dict[str, Any], ...],
    ) -> None:
        self.ctx = ctx
        self.text = text
        self.table = table
        self.parent = parent
        self.where = where
        self.ancestors = ancestors

    def one(self) -> list[Any]:
        """An object where a list of them is streamed, as its one element (``Table.single``):
        the list left empty."""
        text, table = self.text, self.table
        assert table is not None
        text.peek()
        line = text.line_at(text.pos)
        value, start = text.value(checked=False)
        element = text.buf[start : text.pos]
        items = _extract(value, table)
        if table.skip is None or not table.skip(0, element, items, self.parent, self.where):
            where, ancestors = self.where, self.ancestors
            table.read(Item(0, line, element, self.parent, text.source, where, ancestors))
        return []

    def run(self) -> Any:  # noqa: C901  (the per-route loop of every streamed table: branches inline for speed)
        """The container left empty (or the value itself, when it is no container)."""
        text = self.text
        first = text.peek()
        if first not in ("{", "["):
            return text.value()[0]
        if first == "{" and self.table is not None and self.table.single:
            return self.one()
        text.pos += 1
        keyed = first == "{"
        close = "}" if keyed else "]"
        empty: Any = {} if keyed else []
        if text.peek() == close:
            text.pos += 1
            return empty
        table = self.table
        skip = table.skip if table is not None else None
        read = table.read if table is not None else None
        lead = _KEY if keyed else _WS
        scan = _SCAN
        end_of = JSON_END
        index = 0
        key: str | int = 0
        items: Any = -1
        spec = table if table is not None else Table(print)
        how = (spec.count, spec.member, spec.allowed)
        skimmed = keyed != bool(spec.member) and spec.skims
        tables = skim_tables(spec.interest) if skimmed else None
        skim = JSON_SKIM if tables is not None else None
        hints: list[int] = []
        read_keys: set[str | int] = set()
        """The keys of the elements read: a key given twice among them is refused. (One of
        a route that cannot matter is counted, not checked: that would hold every key.)"""
        hinted = ""
        ctx = self.ctx
        while True:
            buf = text.buf
            if skim is not None:
                if buf is not hinted:  # the marker hints are positions in this window
                    hints, hinted = [-1] * len(tables[4]), buf  # type: ignore[index]
                texts = spec.same_texts() if spec.same_texts is not None else ()
                if texts is not None:  # (None: the one host is not known yet: Python reads)
                    from_ = text.pos
                    at, paths4, paths6, closed, lines = skim(
                        buf, from_, hints, *tables, *how, spec.lists, spec.same, texts
                    )  # type: ignore[misc]
                    if paths4:
                        ctx.count(4, paths4)
                    if paths6:
                        ctx.count(6, paths6)
                    text.pos = at
                    text.passed(from_, at, lines)
                    if closed:
                        return empty
            at = text.pos
            found = lead.match(buf, at)
            start = end = -1
            if found is not None:
                start = found.end()
                if end_of is not None:
                    end, items = end_of(buf, start, *how)
                if end_of is None or items == -2:  # Python decodes it (and decides)
                    try:
                        value, end = scan(buf, start)
                    except (StopIteration, ValueError, RecursionError):
                        end = -1
                    else:
                        items = _extract(value, spec)
            if 0 <= end < len(buf):
                key = found.group(1) if keyed else index  # type: ignore[union-attr]
                line = -1
                at = found.start(1) - 1 if keyed else start  # type: ignore[union-attr]
                text.pos = end
            else:  # the careful way
                text.peek()
                at = text.pos
                line = text.line_at(at)
                key = text.key() if keyed else index
                value, start = text.value(checked=False)
                items = _extract(value, spec)
                buf, end = text.buf, text.pos
            if table is not None:
                element = buf[start:end]
                if skip is None or not skip(key, element, items, self.parent, self.where):
                    if line < 0:
                        line = text.line_at(at)
                    if keyed:  # a network given twice: refused, as whole-document JSON was
                        if key in read_keys:
                            raise _json_twice(str(key), text.source, line)
                        read_keys.add(key)
                    assert read is not None
                    item = Item(key, line, element, self.parent, text.source, self.where)
                    item.ancestors = self.ancestors
                    read(item)
            after = _SEP.match(buf, end)
            mark = after.group(1) if after is not None else ""
            if mark == ",":
                text.pos = after.end()  # type: ignore[union-attr]
            elif mark == close:
                text.pos = after.end()  # type: ignore[union-attr]
                return empty
            elif text.peek() == close:
                text.pos += 1
                return empty
            else:
                text.expect(",", f"',' or '{close}' between the table's routes")
            index += 1
