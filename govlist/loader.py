"""Read one YAML file into plain Python data, keeping where every node came from.

libyaml composes the node tree (fast, in C); a lean builder turns it into dicts, lists and scalars. The node tree is
kept, so a JSON pointer can be turned back into a line and column only when a finding needs one. Everything that
can go wrong with a file becomes a `LoadError` carrying a rule id and a position; nothing here prints or exits.

Longer than 500 lines because every way a file can fail (reading, size, depth, encoding, each scalar) is turned into
a located finding here, next to the builder that meets it.
"""

from __future__ import annotations

import gc
import os
import re
import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .model import Text

try:  # libyaml is required for speed; PyYAML wheels ship it.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - reported by `govlist doctor`
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_DEPTH = 64
_COMPOSE_STACK = 256 * 1024 * 1024  # libyaml's composer recurses in C; a deep file must not overflow the stack
_SAFE_COMPOSE_DEPTH = 50_000  # composing this deep fits easily in _COMPOSE_STACK (100,000 measured fine)
_HERE_DEPTH = 200  # nesting any thread's stack holds (libyaml's composer: under 1 KiB a level; 512 KiB the least)
_HERE_BYTES = 64 * 1024  # above this, counting the indicators costs more than the hand-over saves
_EXTRA_ALIAS_NODES = 100_000
_MAX_DIGITS = 4_000  # an integer longer than this is not a count or a code, and Python cannot print one over 4,300
_MAX_INT_BITS = 13_000  # about 3,900 decimal digits: `0x…` and `0b…` integers are held to the same bound

_T = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TS = (_T + "str", _T + "int", _T + "float", _T + "bool", _T + "null", _T + "timestamp")
_MAP, _SEQ = _T + "map", _T + "seq"
_CONSTRUCT = SafeConstructor()

SUPPRESS_RE = re.compile(r"#\s*govlist:\s*ignore\[([^\]]*)\](.*)$")


@dataclass
class LoadError(Exception):
    """A file that could not be read or parsed: rule id, message and 1-based position."""

    rule: str
    message: Text
    line: int = 0
    column: int = 0


@dataclass(frozen=True, slots=True)
class Suppression:
    line: int
    rules: tuple[str, ...]
    reason: str


SPAN_DEPTH = 4  # list elements whose lines are recorded: …/N and …/N/…/M (items, categories, units)


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
            self._lines = self._bytes().split(b"\n")
        node = None
        try:
            composed = _compose(b"\n".join(self._lines[span[0] : span[1]]))
        except LoadError:
            composed = None
        if isinstance(composed, SequenceNode) and len(composed.value) == 1:
            composed = composed.value[0]  # the element's "- " line came along
        elif isinstance(composed, MappingNode) and len(composed.value) == 1 and isinstance(composed.value[0][1], MappingNode):
            key_node = composed.value[0][0]
            if isinstance(key_node, ScalarNode) and key_node.value == key[-1]:
                composed = composed.value[0][1]  # a flow mapping on its key's line: `declared: {items: 3}`
        expected = value_at(self.data, key)
        if isinstance(composed, MappingNode) and isinstance(expected, dict) and len(composed.value) == len(expected):
            first = composed.value[0][0] if composed.value else None
            if not expected or (isinstance(first, ScalarNode) and first.value == next(iter(expected))):
                node = composed
        self._elements[key] = node
        return node

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
        known = self._from_marks(pointer, 0)
        if known is not None:
            return known
        node, rest, offset = self._anchor(pointer)
        if node is None:
            return (1, 1)
        for part in rest:
            nxt = _child(node, part)
            if nxt is None:
                break
            node = nxt
        mark = node.start_mark
        return (mark.line + 1 + offset, mark.column + 1)

    def key_position(self, pointer: tuple) -> tuple[int, int]:
        """Position of the key that ends `pointer` (for "unknown field" and duplicate keys), else of the value."""
        known = self._from_marks(pointer, 1)
        if known is not None:
            return known
        if pointer:
            parent, rest, offset = self._anchor(pointer[:-1])
            for part in rest:
                parent = _child(parent, part)
                if parent is None:
                    return self.position(pointer)
            if isinstance(parent, MappingNode):
                for key, _ in parent.value:
                    if isinstance(key, ScalarNode) and key.value == pointer[-1]:
                        return (key.start_mark.line + 1 + offset, key.start_mark.column + 1)
        return self.position(pointer)


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

    def visit(node: Node, path: tuple) -> None:
        if len(path) >= SPAN_DEPTH:
            return
        if type(node) is MappingNode:
            for key, value in node.value:
                if type(value) is not ScalarNode and type(key) is ScalarNode:
                    if not path and type(value) is MappingNode:  # a header mapping such as `declared`
                        spans[(key.value,)] = _lines_of(value)
                    visit(value, path + (key.value,))
        elif type(node) is SequenceNode:
            for index, child in enumerate(node.value):
                if type(child) is MappingNode:
                    spans[path + (index,)] = _lines_of(child)
                    visit(child, path + (index,))

    if root is not None:
        visit(root, ())
    return spans


def _child(node: Node | None, part: object) -> Node | None:
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == part:
                return value
    elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    return None


def load_file(path: Path, display: str | None = None) -> Document:
    """Load one file. Raises LoadError for anything that keeps it from being data."""
    return load_bytes(read_file(path), display or str(path))


def _file_error(rule: str, zh: str, en: str) -> LoadError:
    """A problem with the file as a whole: reported at its first line."""
    return LoadError(rule, Text(zh, en), 1, 1)


def _too_large(size: int | None, limit: int) -> LoadError:
    shown = f"{size // 1048576} MiB" if size is not None else f"> {limit // 1048576} MiB"
    return _file_error(
        "parse.too-large",
        f"文件过大（{shown}，上限 {limit // 1048576} MiB），请拆分为多个清单文件",
        f"file too large ({shown}, limit {limit // 1048576} MiB); split the list into several files",
    )


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
                raise _file_error("parse.io", "符号链接指向的文件不存在", "a symbolic link whose target does not exist") from None
            raise
        _check_regular(info.st_mode)
        if info.st_size > limit:
            raise _too_large(info.st_size, limit)
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
                    raise _too_large(None, limit)
        finally:
            os.close(fd)
        return b"".join(chunks)
    except LoadError:
        raise
    except FileNotFoundError:
        raise _file_error("parse.io", "文件不存在", "file not found") from None
    except IsADirectoryError:
        raise _file_error("parse.io", "这是一个目录，不是文件", "is a directory, not a file") from None
    except PermissionError:
        raise _file_error("parse.io", "没有读取权限", "permission denied") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise _file_error("parse.io", f"无法读取：{reason}", f"cannot read: {reason}") from None


def _check_regular(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise _file_error("parse.io", "这是一个目录，不是文件", "is a directory, not a file")
    if not stat.S_ISREG(mode):
        raise _file_error("parse.io", "不是普通文件（设备、管道或套接字），未读取", "not a regular file (a device, pipe or socket); not read")


def load_bytes(raw: bytes, path: str) -> Document:
    text_bytes = _check_encoding(raw)
    enabled = gc.isenabled()
    gc.disable()  # composing and building make millions of objects and no cycles: the cyclic GC would only slow it down
    try:
        root = _compose(text_bytes)
        data = _build_document(root, text_bytes)
        spans, marks = _spans(root), _header_marks(root)
    finally:
        if enabled:
            gc.enable()
    suppressions = _suppressions(text_bytes) if b"govlist:" in text_bytes else []
    return Document(path, data, text_bytes, suppressions, spans=spans, marks=marks)


def _line_col(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    return line, len(raw[start:offset].decode("utf-8", "replace")) + 1


def _check_encoding(raw: bytes) -> bytes:
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
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(raw, exc.start)
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
        raise LoadError("parse.encoding", Text("文件含有空字节（NUL），不是文本文件", "file contains NUL bytes; not a text file"), *_line_col(raw, raw.index(b"\x00")))
    return raw


# libyaml's messages, in the words a clerk understands.
# What libyaml says (in its problem or its context) → what govlist says, each with how to fix it. The first match wins.
_YAML_PROBLEMS = [
    ("found a tab character that violates indentation", "用了制表符（Tab）缩进：YAML 只能用空格缩进，请把行首的 Tab 换成空格", "a tab is used for indentation: YAML indents with spaces only; replace the tab at the start of the line with spaces"),
    ("could not find expected ':'", "缺少冒号“:”：键后面要写“: ”（或上一行的引号没有闭合）", "expected ':': a key needs ': ' after it (or a quote on the line before is not closed)"),
    ("mapping values are not allowed", "此处不能出现“: ”：值中含有“: ”时请给整个值加引号，或检查缩进", "':' not allowed here: quote a value that contains ': ', or check the indentation"),
    (
        "did not find expected key",
        "缩进不一致：这一行没有和上面同级的键对齐（或引号结束后还有文字）；请用与同级相同数量的空格缩进",
        "inconsistent indentation: this line does not line up with the keys above it (or text follows a closing quote); indent it by as many spaces as its siblings",
    ),
    ("did not find expected '-' indicator", "缩进不一致：列表中的这一行应以“- ”开头，或与上一项的内容对齐", "inconsistent indentation: this line of the list should start with '- ' or line up with the item above"),
    ("found undefined alias", "引用了未定义的锚点（*名称）：先用 &名称 定义，或给以 * 开头的值加引号", "an alias (*name) refers to an undefined anchor: define it with &name first, or quote a value that starts with *"),
    ("expected a single document", "文件只能包含一个 YAML 文档：删去“---”分隔线，或把各部分分成不同的文件", "a file holds one YAML document: remove the '---' separator, or split the parts into files"),
    ("found unexpected end of stream", "文件结束时引号或括号还没有闭合：请补上配对的引号或括号", "the file ends inside a quote or bracket: add the closing quote or bracket"),
    ("found unknown escape character", "双引号中有未知的转义（反斜杠 \\）：写成两个反斜杠，或改用单引号", "unknown escape (backslash) in double quotes: write two backslashes, or use single quotes"),
    ("did not find expected node content", "此处缺少值：在“:”或“- ”后面写上值，或给特殊字符开头的值加引号", "expected a value here: write one after ':' or '- ', or quote a value that starts with a special character"),
    ("while parsing a flow", "方括号 [ ] 或花括号 { } 没有正确闭合：补上“]”或“}”，或给含逗号、括号的值加引号", "a bracket [ ] or brace { } is not closed properly: add the ']' or '}', or quote a value with commas or brackets"),
    ("found duplicate anchor", "锚点（&名称）重复定义：给第二个换一个名称", "an anchor (&name) is defined twice: give the second one another name"),
    ("control characters are not allowed", "含有不可见的控制字符：删去它（常见于从网页或 Word 复制的文字）", "contains an invisible control character: delete it (it often comes with text copied from a web page or Word)"),
    ("found unknown directive name", "以“%”开头的行是 YAML 指令：若是内容，请给这一行的值加引号", "a line starting with '%' is a YAML directive: if it is content, quote the value"),
    ("found incompatible YAML document", "不支持的 YAML 版本（%YAML 指令）：删去这一行", "an unsupported YAML version (%YAML directive): delete the line"),
    ("did not find expected alphabetic or numeric character", "“&”或“*”后面缺少锚点名称：若是内容，请给这个值加引号", "a name is missing after '&' or '*': if it is content, quote the value"),
    ("did not find the expected '>'", "以“!”开头的标签写法有误：若是内容，请给这个值加引号", "a tag starting with '!' is malformed: if it is content, quote the value"),
    ("while scanning a block scalar", "多行文字（| 或 >）的写法有误：其内容要比键多缩进，且各行缩进一致", "a block of text (| or >) is malformed: indent its lines more than the key, all alike"),
]


def _yaml_problem(exc: yaml.YAMLError, raw: bytes = b"") -> Text:
    text = str(getattr(exc, "problem", None) or exc)
    context = str(getattr(exc, "context", None) or "")
    if "cannot start any token" in text:
        return _bad_start(_char_at(raw, getattr(exc, "problem_mark", None)))
    if "end of stream" in text and "quoted scalar" in context:
        return Text("YAML 语法错误：引号没有闭合：从这里开始的引号直到文件结束都没有配对的结束引号；请补上", "YAML syntax error: a quote is not closed: the quote that starts here has no closing quote before the end of the file; add it")
    for needle, zh, en in _YAML_PROBLEMS:
        if needle in text or needle in context:
            return Text(f"YAML 语法错误：{zh}", f"YAML syntax error: {en}")
    return Text(f"YAML 语法错误：{text}", f"YAML syntax error: {text}")


def _char_at(raw: bytes, mark) -> str:
    if mark is None:
        return ""
    lines = raw.decode("utf-8", "replace").split("\n")
    line = lines[mark.line] if 0 <= mark.line < len(lines) else ""
    return line[mark.column] if 0 <= mark.column < len(line) else ""


def _bad_start(char: str) -> Text:
    if char == "\t":
        return Text("YAML 语法错误：用了制表符（Tab）：YAML 只能用空格缩进和分隔，请把 Tab 换成空格", "YAML syntax error: a tab is used: YAML indents and separates with spaces only; replace the tab with spaces")
    if char in ("@", "`"):
        return Text(f"YAML 语法错误：“{char}”是 YAML 的保留字符，不能作为值的开头：请给这个值加引号", f"YAML syntax error: '{char}' is reserved in YAML and cannot start a value: quote the value")
    shown = repr(char)[1:-1] if char else "?"
    return Text(f"YAML 语法错误：字符“{shown}”不能作为值的开头：请给这个值加引号，或删去这个字符", f"YAML syntax error: the character '{shown}' cannot start a value: quote the value, or delete the character")


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
        raise _yaml_load_error(outcome, raw)
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def _compose_here(raw: bytes) -> Node | BaseException | None:
    try:
        return yaml.compose(raw, Loader=_Loader)
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


def _yaml_load_error(exc: yaml.YAMLError, raw: bytes) -> LoadError:
    """Any error of PyYAML's as a finding at its position (a reader error has a byte offset, not a mark)."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        if "quoted scalar" in str(exc.context or "") and exc.context_mark is not None:  # an unclosed quote: where it opens
            mark = exc.context_mark
        return _marked_error(exc, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, raw)
    if isinstance(exc, yaml.reader.ReaderError):
        return LoadError("parse.yaml", _yaml_problem(exc), *_line_col(raw, exc.position))
    return LoadError("parse.yaml", _yaml_problem(exc), 1, 1)


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
                    raise LoadError("parse.too-deep", _too_deep(), mark.line + 1 if mark else 0, mark.column + 1 if mark else 0)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError as exc:
        raise _yaml_load_error(exc, raw) from None


def _marked_error(exc: yaml.MarkedYAMLError, line: int, col: int, raw: bytes = b"") -> LoadError:
    """libyaml's own nesting limit (PyYAML >= 6.0.4 stops at 1,000 levels) is the same finding as ours."""
    if "maximum nesting depth" in str(exc.problem or ""):
        return LoadError("parse.too-deep", _too_deep(), line, col)
    return LoadError("parse.yaml", _yaml_problem(exc, raw), line, col)


def _too_deep() -> Text:
    return Text(f"嵌套层数超过 {MAX_DEPTH} 层，不是清单文件", f"nested deeper than {MAX_DEPTH} levels; not a catalog file")


class _Builder:
    """Turns composed nodes into dicts, lists and scalars. Dates stay strings (as JSON Schema expects)."""

    __slots__ = ("budget", "count_aliases")

    def __init__(self, budget: int, count_aliases: bool) -> None:
        self.budget = budget
        self.count_aliases = count_aliases

    def fail(self, node: Node, rule: str, zh: str, en: str) -> LoadError:
        return LoadError(rule, Text(zh, en), node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: Node, depth: int) -> object:
        if self.count_aliases:
            self.budget -= 1
            if self.budget < 0:
                return self._alias_bomb(node)
        cls = type(node)
        if cls is ScalarNode:
            tag = node.tag
            if tag == _STR:
                return node.value
            if tag == _NULL:
                return None
            try:
                if tag == _INT:
                    value = _CONSTRUCT.construct_yaml_int(cast(ScalarNode, node))
                    if value.bit_length() > _MAX_INT_BITS:
                        raise ValueError("too many digits")
                    return value
                if tag == _BOOL:
                    return _CONSTRUCT.construct_yaml_bool(cast(ScalarNode, node))
                if tag == _FLOAT:
                    return _CONSTRUCT.construct_yaml_float(cast(ScalarNode, node))
            except (ValueError, LookupError, TypeError, ArithmeticError):
                raise self._bad_value(node) from None
            if tag == _TS:
                return node.value
            raise self._bad_tag(node)
        if depth >= MAX_DEPTH:
            raise self.fail(node, "parse.too-deep", _too_deep().zh, _too_deep().en)
        if cls is MappingNode:
            if node.tag != _MAP:
                raise self._bad_tag(node)
            out: dict = {}
            build = self.build
            for key_node, value_node in node.value:
                if type(key_node) is not ScalarNode:
                    raise self.fail(key_node, "parse.yaml", "键必须是简单的文字", "a key must be plain text")
                if key_node.tag not in (_STR, _INT, _FLOAT, _BOOL, _NULL, _TS):
                    if key_node.tag == _T + "merge":
                        raise self.fail(key_node, "parse.tag", "不支持合并键“<<”，请直接写出各字段", "merge keys ('<<') are not supported; write the fields out")
                    raise self._bad_tag(key_node)
                key = key_node.value
                if key in out:
                    raise self.fail(
                        key_node,
                        "parse.duplicate-key",
                        f"键“{key}”重复出现（YAML 只会保留最后一个，前面的内容会被悄悄丢弃）",
                        f"duplicate key '{key}' (YAML would silently keep only the last one)",
                    )
                out[key] = build(value_node, depth + 1)
            return out
        if cls is SequenceNode:
            if node.tag != _SEQ:
                raise self._bad_tag(node)
            build = self.build
            return [build(child, depth + 1) for child in node.value]
        raise self._bad_tag(node)  # pragma: no cover - compose yields only the three node kinds

    def _bad_tag(self, node: Node) -> LoadError:
        return self.fail(
            node,
            "parse.tag",
            f"不支持的 YAML 标签“{node.tag}”：清单只能包含文字、数字、日期、列表和映射",
            f"unsupported YAML tag '{node.tag}': a catalog holds only text, numbers, dates, lists and mappings",
        )

    def _bad_value(self, node: Node) -> LoadError:
        kind = {_INT: ("整数", "an integer"), _FLOAT: ("小数", "a number"), _BOOL: ("是/否值", "a yes/no value")}[node.tag]
        shown = node.value if len(node.value) <= 40 else node.value[:40] + "…"
        if node.tag != _BOOL and len(node.value) > _MAX_DIGITS:
            zh, en = f"数字超过 {_MAX_DIGITS} 位，不是清单中的数值", f"a number of more than {_MAX_DIGITS} digits is not a catalog value"
        else:
            zh, en = f"“{shown}”不能读作{kind[0]}", f"'{shown}' cannot be read as {kind[1]}"
        return self.fail(node, "parse.value", f"{zh}；如果这是文字，请加引号", f"{en}; quote it if it is text")

    def _alias_bomb(self, node: Node) -> object:
        raise self.fail(
            node,
            "parse.alias-bomb",
            "别名（*引用）展开后的内容过多，疑似“十亿笑声”攻击，已拒绝",
            "aliases (*references) expand to far too much data (a 'billion laughs' attack?); refused",
        )


def _build_document(root: Node | None, raw: bytes) -> object:
    if root is None:
        return None
    count_aliases = b"&" in raw  # no anchor, no alias: skip the expansion count on the hot path
    return _Builder(_EXTRA_ALIAS_NODES + 2 * len(raw), count_aliases).build(root, 0)


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
