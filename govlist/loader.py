"""Read one YAML file into plain Python data, keeping where every node came from.

libyaml composes the node tree (fast, in C); a lean builder turns it into dicts, lists and scalars. The node tree is
kept, so a JSON pointer can be turned back into a line and column only when a finding needs one. Everything that
can go wrong with a file becomes a `LoadError` carrying a rule id and a position; nothing here prints or exits.

The builder is yamlbuild.py; the errors and their messages are loaderrors.py (LoadError is imported from here too).
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .fastparse import SPAN_DEPTH
from .fastparse import parse as fast_parse
from .loaderrors import MAX_DEPTH, LoadError, file_error, line_col, too_deep, too_large, yaml_load_error
from .model import Text
from .yamlbuild import build_document

try:  # libyaml is required for speed; PyYAML wheels ship it.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - reported by `govlist doctor`
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_STR_TAG, _SEQ_TAG, _MAP_TAG = _Loader.DEFAULT_SCALAR_TAG, _Loader.DEFAULT_SEQUENCE_TAG, _Loader.DEFAULT_MAPPING_TAG
_IMPLICIT_FIRST = frozenset(_Loader.yaml_implicit_resolvers)  # first characters of the plain scalars PyYAML may type


class _Composer(_Loader):
    """libyaml's loader, resolving tags as PyYAML's resolver does, only sooner: libyaml calls back into Python for the
    tag of every node, and that resolver walks lists (and path resolvers, which a safe loader has none of) even for
    the many scalars no implicit type can match — a quoted one, or a plain one whose first character starts none (a
    Chinese text). Those get `str` here at once; every other scalar goes through PyYAML's own rules, as before."""

    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if not implicit[0] or cast(str, value)[:1] not in _IMPLICIT_FIRST:
                return _STR_TAG
            return _Loader.resolve(self, kind, value, implicit)
        return _SEQ_TAG if kind is SequenceNode else _MAP_TAG

    def descend_resolver(self, current_node: Node | None, current_index: object) -> None:
        pass  # only path resolvers need the path

    def ascend_resolver(self) -> None:
        pass


# the shortcut answers as PyYAML does only without path resolvers and without resolvers for any first character
_COMPOSER_LOADER = _Composer if not _Loader.yaml_path_resolvers and None not in _IMPLICIT_FIRST else _Loader

MAX_FILE_BYTES = 256 * 1024 * 1024
_COMPOSE_STACK = 256 * 1024 * 1024  # libyaml's composer recurses in C; a deep file must not overflow the stack
_SAFE_COMPOSE_DEPTH = 50_000  # composing this deep fits easily in _COMPOSE_STACK (100,000 measured fine)
_HERE_DEPTH = 200  # nesting any thread's stack holds (libyaml's composer: under 1 KiB a level; 512 KiB the least)
_HERE_BYTES = 64 * 1024  # above this, counting the indicators costs more than the hand-over saves


SUPPRESS_RE = re.compile(r"#\s*govlist:\s*ignore\[([^\]]*)\](.*)$")
_IGNORE = re.compile(rb"ignore\[")  # sre skips to a literal prefix faster than bytes.__contains__ on Chinese text


@dataclass(frozen=True, slots=True)
class Suppression:
    line: int
    rules: tuple[str, ...]
    reason: str


class Reads:
    """The files whose lines a rule now running has read: asked a position of (its message may name a line), or,
    for a slim catalog (govlist/index.py), made whole. None while nobody is noting (locating a finding afterwards
    reads no more than the file the finding is in, and that is located again when the file changes)."""

    __slots__ = ("paths",)

    def __init__(self) -> None:
        self.paths: set[str] | None = None


@dataclass(slots=True)
class Document:
    """A parsed file: its data and inline suppressions, plus what it takes to find positions again when needed.

    The node tree is not kept: keeping millions of nodes alive makes every cyclic-GC pass walk them, and only a
    few files ever need a position. Instead the loader records the lines of each list element near the top of the
    document (`spans`); a position inside an item is found by composing only that item's lines, and the whole file
    is composed again only when that does not work (e.g. a flow-style list).
    """

    path: str
    data: object
    raw: bytes = b""
    suppressions: list[Suppression] = field(default_factory=list)
    source: Path | None = None  # where to read the bytes again when `raw` was not kept (loaded in another process)
    spans: dict[tuple, tuple[int, int]] = field(default_factory=dict)  # element pointer → (first line, end line), 0-based
    marks: dict[tuple, tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=dict)  # header: (value, key) 1-based
    _root: Node | None = None
    _composed: bool = False
    _elements: dict[tuple, Node | None] = field(default_factory=dict)
    _lines: list[bytes] | None = None
    reads: Reads | None = None  # who notes that a position was asked of this file (its lines were read), if anyone

    def _note_read(self) -> None:
        if self.reads is not None and self.reads.paths is not None:
            self.reads.paths.add(self.path)

    def _bytes(self) -> bytes:
        if not self.raw and self.source is not None:
            self.raw = _check_encoding(read_file(self.source))
        return self.raw

    @property
    def root(self) -> Node | None:
        if not self._composed:
            raw = self._bytes()
            self._root = _compose(raw) if raw else None
            self._composed = True
        return self._root

    def without_bytes(self, source: Path) -> "Document":
        """A copy that is cheap to send to another process: the bytes are read again from `source` if needed."""
        return Document(self.path, self.data, b"", self.suppressions, source, self.spans, self.marks)

    def _anchor(self, pointer: tuple) -> tuple[Node | None, tuple, int]:
        """Where to walk `pointer` from: (node, rest of the pointer, line offset of that node's text)."""
        if not self._composed and self.spans:
            for cut in range(min(len(pointer), SPAN_DEPTH), 0, -1):
                span = self.spans.get(pointer[:cut])
                if span is not None:
                    node = self._element(pointer[:cut], span)
                    if node is not None:
                        return node, pointer[cut:], span[0]
        return self.root, pointer, 0

    def _element(self, key: tuple, span: tuple[int, int]) -> Node | None:
        """One list element composed from its own lines, or None when that does not give the same element back."""
        if key in self._elements:
            return self._elements[key]
        if self._lines is None:
            self._lines = _split_lines(self._bytes()) or []
        node = element_node(self._lines, span, key[-1], self.shape_at(key)) if self._lines else None
        self._elements[key] = node
        return node

    def shape_at(self, key: tuple) -> tuple[int, object] | None:
        """shape_of the list element at `key` (a document read lazily may know it without making its whole data)."""
        return shape_of(value_at(self.data, key))

    def _from_marks(self, pointer: tuple, which: int) -> tuple[int, int] | None:
        """A position the loader recorded: the document, a top-level value (which=0) or key (which=1)."""
        if self._composed or not self.marks:
            return None
        if pointer in self.marks:
            return self.marks[pointer][which]
        if (pointer[0],) not in self.marks:
            return self.marks[()][0]  # no such top-level key: the deepest node that exists is the document
        return None

    def position(self, pointer: tuple) -> tuple[int, int]:
        """1-based (line, column) of the deepest node on `pointer` that exists."""
        self._note_read()
        known = self._from_marks(pointer, 0)
        if known is not None:
            return known
        node, rest, offset = self._anchor(pointer)
        if node is None:
            return (1, 1)
        return node_position(node, rest, offset)

    def key_position(self, pointer: tuple) -> tuple[int, int]:
        """Position of the key that ends `pointer` (for "unknown field" and duplicate keys), else of the value."""
        self._note_read()
        known = self._from_marks(pointer, 1)
        if known is not None:
            return known
        if pointer:
            parent, rest, offset = self._anchor(pointer[:-1])
            found = key_in(parent, rest, offset, pointer[-1])
            if found is not None:
                return found
        return self.position(pointer)


def node_position(node: Node, rest: tuple, offset: int) -> tuple[int, int]:
    """1-based (line, column) of the deepest node on `rest` below `node` that exists; `offset`: lines above `node`'s
    text (its own lines composed alone)."""
    for part in rest:
        nxt = child_node(node, part)
        if nxt is None:
            break
        node = nxt
    mark = node.start_mark
    return (mark.line + 1 + offset, mark.column + 1)


def key_in(parent: Node | None, rest: tuple, offset: int, key: object) -> tuple[int, int] | None:
    """Position of `key` in the mapping at `rest` below `parent`, or None when there is no such mapping or key."""
    for part in rest:
        parent = child_node(parent, part)
        if parent is None:
            return None
    if isinstance(parent, MappingNode):
        for key_node, _ in parent.value:
            if isinstance(key_node, ScalarNode) and key_node.value == key:
                return (key_node.start_mark.line + 1 + offset, key_node.start_mark.column + 1)
    return None


def shape_of(value: object) -> tuple[int, str | None] | None:
    """What `element_node` checks a composed element against: a mapping's number of keys and its first key."""
    if not isinstance(value, dict):
        return None
    return len(value), next(iter(value), None)


def element_node(lines: list[bytes], span: tuple[int, int], last: object, shape: tuple[int, object] | None) -> Node | None:
    """The list element on `lines[span[0]:span[1]]` (lines split at b"\\n"), composed from those lines alone; `last`
    ends its pointer (its index, or a header key). None unless it is a mapping of `shape` (shape_of its data): the
    same number of keys, the same first key — else its lines do not give the element back (a flow-style list)."""
    if shape is None:
        return None
    try:
        composed = _compose(b"\n".join(lines[span[0] : span[1]]))
    except LoadError:
        return None
    if isinstance(composed, SequenceNode) and len(composed.value) == 1:
        composed = composed.value[0]  # the element's "- " line came along
    elif isinstance(composed, MappingNode) and len(composed.value) == 1 and isinstance(composed.value[0][1], MappingNode):
        key_node = composed.value[0][0]
        if isinstance(key_node, ScalarNode) and key_node.value == last:
            composed = composed.value[0][1]  # a flow mapping on its key's line: `declared: {items: 3}`
    if isinstance(composed, MappingNode) and len(composed.value) == shape[0]:
        first = composed.value[0][0] if composed.value else None
        if not shape[0] or (isinstance(first, ScalarNode) and first.value == shape[1]):
            return composed
    return None


def value_at(data: object, pointer: tuple) -> object:
    """The value at `pointer` (keys and indexes) inside `data`, or None."""
    for part in pointer:
        try:
            data = data[part]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _lines_of(node: Node) -> tuple[int, int]:
    """(first line, end line) of a mapping's text: a block mapping ends where the next token starts, left of its own
    first key; a flow one after its closing brace, on its last line."""
    start, end = node.start_mark, node.end_mark
    last = end.line if end.column <= start.column else end.line + 1
    return (start.line, max(start.line + 1, last))


def _header_marks(root: Node | None) -> dict[tuple, tuple[tuple[int, int], tuple[int, int]]]:
    """Positions of the document and of its top-level keys and values: (value, key), each 1-based (line, column)."""
    if root is None:
        return {}
    start = (root.start_mark.line + 1, root.start_mark.column + 1)
    marks: dict[tuple, tuple[tuple[int, int], tuple[int, int]]] = {(): (start, start)}
    if type(root) is MappingNode:
        for key, value in root.value:
            if type(key) is ScalarNode:
                marks[(key.value,)] = ((value.start_mark.line + 1, value.start_mark.column + 1), (key.start_mark.line + 1, key.start_mark.column + 1))
    return marks


def _spans(root: Node | None) -> dict[tuple, tuple[int, int]]:
    """The lines of every list element within SPAN_DEPTH of the root: pointer → (first line, end line), 0-based."""
    spans: dict[tuple, tuple[int, int]] = {}
    if root is not None:
        _visit(root, (), spans)
    return spans


def _visit(node: Node, path: tuple, spans: dict[tuple, tuple[int, int]]) -> None:
    # a function of the module, not a closure: a closure calling itself is a cycle, which kept every file's spans
    # alive to the end of a validate (whose cyclic GC is off)
    if len(path) >= SPAN_DEPTH:
        return
    if type(node) is MappingNode:
        for key, value in node.value:
            if type(value) is not ScalarNode and type(key) is ScalarNode:
                if not path and type(value) is MappingNode:  # a header mapping such as `declared`
                    spans[(key.value,)] = _lines_of(value)
                _visit(value, path + (key.value,), spans)
    elif type(node) is SequenceNode:
        for index, child in enumerate(node.value):
            if type(child) is MappingNode:
                spans[path + (index,)] = _lines_of(child)
                _visit(child, path + (index,), spans)


def child_node(node: Node | None, part: object) -> Node | None:
    """The node at `part` (a key or an index) of a mapping or a list, or None."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == part:
                return value
    elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    return None


def file_digest(raw: bytes) -> str:
    """What a file's bytes are known by: the cache's keys, and the item places of a slim record (govlist/index.py)."""
    return hashlib.sha256(raw).hexdigest()


def load_file(path: Path, display: str | None = None) -> Document:
    """Load one file. Raises LoadError for anything that keeps it from being data."""
    return load_bytes(read_file(path), display or str(path))


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


def read_file(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file, at most `limit` of them, whatever its size claims to be.

    A device, FIFO or socket is refused before it is opened (and again after, in case it was swapped in between:
    O_NONBLOCK, where the OS has it, keeps the open of a FIFO from waiting for a writer). Raises LoadError
    (`parse.io`, `parse.too-large`) at line 1. `limit`: MAX_FILE_BYTES unless given.
    """
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            if os.path.islink(path):
                raise file_error("parse.io", "符号链接指向的文件不存在", "a symbolic link whose target does not exist") from None
            raise
        _check_regular(info.st_mode)
        if info.st_size > limit:
            raise too_large(info.st_size, limit)
        fd = os.open(path, _OPEN_FLAGS)
        try:
            _check_regular(os.fstat(fd).st_mode)
            chunks: list[bytes] = []
            total = 0
            while True:
                chunk = os.read(fd, min(1 << 20, limit + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
                if total > limit:
                    raise too_large(None, limit)
        finally:
            os.close(fd)
        return b"".join(chunks)
    except LoadError:
        raise
    except FileNotFoundError:
        raise file_error("parse.io", "文件不存在", "file not found") from None
    except IsADirectoryError:
        raise file_error("parse.io", "这是一个目录，不是文件", "is a directory, not a file") from None
    except PermissionError:
        raise file_error("parse.io", "没有读取权限", "permission denied") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise file_error("parse.io", f"无法读取：{reason}", f"cannot read: {reason}") from None


def _check_regular(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise file_error("parse.io", "这是一个目录，不是文件", "is a directory, not a file")
    if not stat.S_ISREG(mode):
        raise file_error("parse.io", "不是普通文件（设备、管道或套接字），未读取", "not a regular file (a device, pipe or socket); not read")


def load_bytes(raw: bytes, path: str) -> Document:
    text_bytes, text = _checked_text(raw)
    enabled = gc.isenabled()
    gc.disable()  # composing and building make millions of objects and no cycles: the cyclic GC would only slow it down
    try:
        fast = fast_parse(text_bytes, text)  # yaml-rs where nothing could read otherwise (fastparse.py); else libyaml
        if fast is not None:
            data, spans, marks = fast
        else:
            root = _compose(text_bytes)
            data = build_document(root, text_bytes)
            spans, marks = _spans(root), _header_marks(root)
    finally:
        if enabled:
            gc.enable()
    # every catalog starts with `govlist: 1`: a suppression also needs its literal `ignore[`
    suppressions = _suppressions(text_bytes) if _IGNORE.search(text_bytes) and b"govlist:" in text_bytes else []
    return Document(path, data, text_bytes, suppressions, spans=spans, marks=marks)


def checked_lines(raw: bytes) -> list[bytes] | None:
    """A file's text as the loader composes it (its BOM dropped), split into the lines the spans count (_split_lines)."""
    return _split_lines(_check_encoding(raw))


# line breaks to libyaml besides b"\n": LS and PS (a pattern that starts with a literal: sre skips to it at C speed,
# where `in` of the 3-byte sequence is several times slower on Chinese text, whose lead bytes repeat), NEL (sought only
# where a \xc2 is: one memchr), a lone CR
_LS_PS = re.compile(rb"\xe2\x80[\xa8\xa9]")
_NEL = re.compile(rb"\xc2\x85")
_LONE_CR = re.compile(rb"\r(?!\n)")


def _split_lines(text: bytes) -> list[bytes] | None:
    """A text split at b"\\n", or None when libyaml breaks its lines elsewhere too (at a lone CR, NEL, LS or PS): its
    line numbers, the spans', would then not be those of the split."""
    if _LS_PS.search(text) or (b"\xc2" in text and _NEL.search(text)) or (b"\r" in text and _LONE_CR.search(text)):
        return None
    return text.split(b"\n")


def _check_encoding(raw: bytes) -> bytes:
    return _checked_text(raw)[0]


def _checked_text(raw: bytes) -> tuple[bytes, str]:
    """A file's bytes without their BOM, and their text: a LoadError unless they are UTF-8 without NUL bytes."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(
            "parse.encoding",
            Text(
                "文件是 UTF-16 编码；请另存为 UTF-8（记事本“另存为”选择 UTF-8，或 iconv -f UTF-16 -t UTF-8）",
                "file is UTF-16; save it as UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)",
            ),
            1,
            1,
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = line_col(raw, exc.start)
        try:
            raw.decode("gb18030")
            guess = Text("文件看起来是 GBK/GB18030 编码", "the file looks like GBK/GB18030")
        except UnicodeDecodeError:
            guess = Text("文件不是有效的 UTF-8", "the file is not valid UTF-8")
        raise LoadError(
            "parse.encoding",
            Text(
                f"{guess.zh}；govlist 只读 UTF-8。请转换后再试：iconv -f GB18030 -t UTF-8 原文件 > 新文件，或在编辑器中“另存为 UTF-8”",
                f"{guess.en}; govlist reads UTF-8 only. Convert it first: iconv -f GB18030 -t UTF-8 old > new, or “Save as UTF-8” in your editor",
            ),
            line,
            col,
        ) from None
    if b"\x00" in raw:
        raise LoadError("parse.encoding", Text("文件含有空字节（NUL），不是文本文件", "file contains NUL bytes; not a text file"), *line_col(raw, raw.index(b"\x00")))
    return raw, text


def _compose(raw: bytes) -> Node | None:
    """Compose the node tree with libyaml, in a thread with a large stack (libyaml's composer recurses in C); a text
    that cannot nest deeper than any thread's stack holds (one item, to find a position) is composed right here:
    handing it to the other thread and back costs more than composing it, many times more on a busy machine."""
    if len(raw) <= _HERE_BYTES and _collections_bound(raw) <= _HERE_DEPTH:
        outcome = _compose_here(raw)
    else:
        if _depth_bound(raw) > _SAFE_COMPOSE_DEPTH:
            _check_depth_by_events(raw)
        outcome = _composer().submit(_compose_here, raw).result()
    if isinstance(outcome, yaml.YAMLError):
        raise yaml_load_error(outcome, raw)
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def _compose_here(raw: bytes) -> Node | BaseException | None:
    try:
        return yaml.compose(raw, Loader=_COMPOSER_LOADER)
    except BaseException as exc:  # handed to the caller's thread
        return exc


_COMPOSER: list[ThreadPoolExecutor] = []  # one long-lived thread with the large stack, started on first use
_COMPOSER_LOCK = threading.Lock()


def _composer() -> ThreadPoolExecutor:
    """The compose thread. Starting a thread with a 256 MiB stack costs about 1.5 ms, and positions are found by
    composing one item at a time (thousands of times when a rule reports on every item): start it once."""
    if not _COMPOSER:
        with _COMPOSER_LOCK:
            if not _COMPOSER:
                pool = ThreadPoolExecutor(1, thread_name_prefix="govlist-compose")
                old = threading.stack_size(_COMPOSE_STACK)
                try:
                    pool.submit(int).result()  # the thread starts now, with the large stack
                finally:
                    threading.stack_size(old)
                _COMPOSER.append(pool)
    return _COMPOSER[0]


def _depth_bound(raw: bytes) -> int:
    """An upper bound of the nesting depth, cheap to compute in C: flow brackets plus twice the longest line."""
    if len(raw) <= _SAFE_COMPOSE_DEPTH:
        return len(raw)
    longest = max(map(len, raw.split(b"\n")))
    return raw.count(b"[") + raw.count(b"{") + 2 * longest + 2


def _collections_bound(raw: bytes) -> int:
    """An upper bound of the number of collections in a text, hence of its nesting depth: each starts at an indicator
    of its own (a flow one at its bracket, a block sequence at its first `-`, a block mapping at its first `:` or
    `?`), and every one of those characters is counted, inside scalars too."""
    return raw.count(b"[") + raw.count(b"{") + raw.count(b"-") + raw.count(b":") + raw.count(b"?") + 1


def _check_depth_by_events(raw: bytes) -> None:
    """Walk libyaml's event stream (no recursion) and refuse a file nested deeper than MAX_DEPTH."""
    depth = 0
    try:
        for event in yaml.parse(raw, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise LoadError("parse.too-deep", too_deep(), mark.line + 1 if mark else 0, mark.column + 1 if mark else 0)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError as exc:
        raise yaml_load_error(exc, raw) from None


def _suppressions(raw: bytes) -> list[Suppression]:
    found = []
    for number, line in enumerate(raw.decode("utf-8").splitlines(), start=1):
        if "govlist:" not in line:
            continue
        match = SUPPRESS_RE.search(line)
        if match:
            rules = tuple(r.strip() for r in match.group(1).split(",") if r.strip())
            reason = re.sub(r"^\s*(原因|理由|reason)\s*[:：]?\s*", "", match.group(2).strip(), flags=re.I)
            found.append(Suppression(number, rules, reason.strip()))
    return found
