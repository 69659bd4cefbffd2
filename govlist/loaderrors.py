"""What goes wrong when a file is read as YAML, as a located finding: `LoadError` (rule id, message, line, column)
and the messages themselves, libyaml's in the words a clerk understands, each with how to fix it."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from .model import Text

MAX_DEPTH = 64


@dataclass
class LoadError(Exception):
    """A file that could not be read or parsed: rule id, message and 1-based position."""

    rule: str
    message: Text
    line: int = 0
    column: int = 0


def file_error(rule: str, zh: str, en: str) -> LoadError:
    """A problem with the file as a whole: reported at its first line."""
    return LoadError(rule, Text(zh, en), 1, 1)


def too_large(size: int | None, limit: int) -> LoadError:
    shown = f"{size // 1048576} MiB" if size is not None else f"> {limit // 1048576} MiB"
    return file_error(
        "parse.too-large",
        f"文件过大（{shown}，上限 {limit // 1048576} MiB），请拆分为多个清单文件",
        f"file too large ({shown}, limit {limit // 1048576} MiB); split the list into several files",
    )


def line_col(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    return line, len(raw[start:offset].decode("utf-8", "replace")) + 1


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


def yaml_problem(exc: yaml.YAMLError, raw: bytes = b"") -> Text:
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


def yaml_load_error(exc: yaml.YAMLError, raw: bytes) -> LoadError:
    """Any error of PyYAML's as a finding at its position (a reader error has a byte offset, not a mark)."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        if "quoted scalar" in str(exc.context or "") and exc.context_mark is not None:  # an unclosed quote: where it opens
            mark = exc.context_mark
        return marked_error(exc, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, raw)
    if isinstance(exc, yaml.reader.ReaderError):
        return LoadError("parse.yaml", yaml_problem(exc), *line_col(raw, exc.position))
    return LoadError("parse.yaml", yaml_problem(exc), 1, 1)


def marked_error(exc: yaml.MarkedYAMLError, line: int, col: int, raw: bytes = b"") -> LoadError:
    """libyaml's own nesting limit (PyYAML >= 6.0.4 stops at 1,000 levels) is the same finding as ours."""
    if "maximum nesting depth" in str(exc.problem or ""):
        return LoadError("parse.too-deep", too_deep(), line, col)
    return LoadError("parse.yaml", yaml_problem(exc, raw), line, col)


def too_deep() -> Text:
    return Text(f"嵌套层数超过 {MAX_DEPTH} 层，不是清单文件", f"nested deeper than {MAX_DEPTH} levels; not a catalog file")
