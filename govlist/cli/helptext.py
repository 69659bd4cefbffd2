"""Help in one language: `govlist -h` and every command's help in Chinese, or in English with --lang en (or an English
locale), as the rest of govlist speaks. Each help text is written once as "中文 / English"; the side for the language
is shown, with Click's own words (Usage, Options, [default: …]) in that language too, and Chinese lines wrapped by
the width they take on a terminal (a Chinese character is two columns wide)."""

from __future__ import annotations

import re
from typing import Sequence

from typer._click.formatting import HelpFormatter

from ..display import columns as cells

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
#: where the English half of a "中文 / English" text starts: " / " (or "）/ ") before a Latin letter, a quote or a
#: bracket; ".govlist-cache/ / the …" splits at the second slash
_HALVES = re.compile(r"\s*/ (?=[A-Za-z0-9(\"'`.-])")


def one_language(text: str, lang: str) -> str:
    """The side of a "中文 / English" help text for `lang`; a text in one language (`text|json`) as it is."""
    for match in _HALVES.finditer(text):
        chinese = text[: match.start()]
        if _CJK.search(chinese):
            return chinese.strip() if lang == "zh" else text[match.end() :].strip()
    return text


_USAGE_ZH = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]..."}
_HEADINGS_ZH = {"Arguments": "参数", "Options": "选项", "Commands": "命令"}
_EXTRA = re.compile(r"\s+\[((?:default: |required|x[<>]=?|-?\d)[^\[\]]*)\]$")


def usage_piece(piece: str, lang: str) -> str:
    return _USAGE_ZH.get(piece, piece) if lang == "zh" else piece


def heading(name: str, lang: str) -> str:
    return _HEADINGS_ZH.get(name, name) if lang == "zh" else name


def option_help(text: str, lang: str) -> str:
    """An option's help line: its side for `lang`, then what Click adds ([default: error], [required], [x>=1])."""
    match = _EXTRA.search(text)
    extra = match.group(1) if match else ""
    text = one_language(text[: match.start()] if match else text, lang)
    if extra and lang == "zh":
        extra = extra.replace("default: ", "默认：").replace("required", "必填").replace("x>=", "≥").replace("x<=", "≤")
    return f"{text}  [{extra}]" if extra else text


_CLOSING = "，。、；：？！）》」』”’"
_CHUNK = re.compile(r"\s+|[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“‘][" + _CLOSING + r"]*|[^\s\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“‘]+[" + _CLOSING + r"]*")


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns: broken between two Chinese characters or at a space, never before a closing
    sign (，。）…) and never inside a Latin word (a word longer than the line stands alone)."""
    lines: list[str] = []
    line = ""
    for chunk in _CHUNK.findall(" ".join(text.split())):
        if chunk.isspace():
            if line:
                line += " "
            continue
        if line and cells(line.rstrip() + chunk) > width:
            lines.append(line.rstrip())
            line = ""
        line += chunk
    if line.strip():
        lines.append(line.rstrip())
    return lines


class Formatter(HelpFormatter):
    """Click's help formatter speaking `lang`: headings with a full-width colon and lines wrapped by their width on a
    terminal in Chinese; Click's own behaviour in English."""

    def __init__(self, lang: str, width: int | None = None, max_width: int | None = None) -> None:
        super().__init__(width=width, max_width=max_width)
        self.lang = lang

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if self.lang == "zh" else prefix)

    def write_heading(self, heading: str) -> None:
        if self.lang != "zh":
            return super().write_heading(heading)
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_text(self, text: str) -> None:
        if self.lang != "zh":
            return super().write_text(text)
        indent = " " * self.current_indent
        self.write("".join(f"{indent}{line}\n" for line in wrap(text, self.width - self.current_indent)))

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        if self.lang != "zh":
            return super().write_dl(rows, col_max, col_spacing)
        rows = list(rows)
        if not rows:
            return
        first_col = min(max(cells(first) for first, _ in rows), col_max) + col_spacing
        hang = " " * (first_col + self.current_indent)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if cells(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cells(first)))
            else:
                self.write("\n" + hang)
            lines = wrap(second, max(self.width - first_col - 2, 10)) or [""]
            self.write(lines[0] + "\n" + "".join(f"{hang}{line}\n" for line in lines[1:]))
