"""The application every command hangs on: govlist's command group and command classes (usage errors in the user's
language, help without Python types, options after `--`), the options several commands share, and how a command
prints its output, fails with a clear message (exit 2) or meets a defect (exit 3)."""

from __future__ import annotations

import codecs
import inspect
import io
import re
import sys
from enum import Enum
from pathlib import Path
from typing import Any, NoReturn, Optional

import typer
from typer.core import TyperCommand, TyperGroup

from .. import __version__
from ..i18n import detect_lang
from ..model import Text
from .helptext import Formatter, heading, one_language, option_help, usage_piece


def _paragraph(formatter, text: Optional[str]) -> None:
    """A command's help text or epilog, the side for the language, as an indented paragraph."""
    text = one_language(inspect.cleandoc(text or ""), state["lang"])
    if text:
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(text)


class Speaking:
    """Help in the user's language (cli.helptext): the usage line, the help text, the headings and every parameter's
    help in Chinese, or English with --lang en; Python types never shown as a value's name."""

    def get_help(self, ctx) -> str:
        formatter = Formatter(state["lang"], width=ctx.terminal_width, max_width=ctx.max_content_width)
        self.format_help(ctx, formatter)  # type: ignore[attr-defined]
        return formatter.getvalue().rstrip("\n")

    def get_usage(self, ctx) -> str:
        formatter = Formatter(state["lang"], width=ctx.terminal_width, max_width=ctx.max_content_width)
        self.format_usage(ctx, formatter)
        return formatter.getvalue().rstrip("\n")

    def format_usage(self, ctx, formatter) -> None:
        pieces = [usage_piece(p, state["lang"]) for p in self.collect_usage_pieces(ctx)]  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces))

    def format_help_text(self, ctx, formatter) -> None:
        _paragraph(formatter, self.help)  # type: ignore[attr-defined]

    def format_epilog(self, ctx, formatter) -> None:
        _paragraph(formatter, self.epilog)  # type: ignore[attr-defined]

    def format_params(self, ctx, formatter) -> None:
        lang = state["lang"]
        arguments, options = [], []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            if getattr(param, "hidden", False):
                continue
            if param.param_type_name == "argument":
                arguments.append((param.metavar or (param.name or "").upper(), one_language(param.help or "", lang)))
            else:
                record = param.get_help_record(ctx)
                if record:
                    options.append((_METAVAR.sub(_plain_metavar, record[0]), option_help(record[1].replace("\\[", "["), lang)))
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(heading(title, lang)):
                    formatter.write_dl(rows)


class Group(Speaking, TyperGroup):
    """govlist's command group: usage errors from the option parser in the user's language (govlist.usage), and each
    command's whole help line in the command list."""

    def get_command(self, ctx, cmd_name):
        command = super().get_command(ctx, cmd_name)
        if command is not None and not command.short_help and command.help:
            command.short_help = command.help.strip().split("\n\n")[0].replace("\n", " ")
        return command

    def get_params(self, ctx):
        from ..usage import own_help

        return own_help(super().get_params(ctx))

    def format_options(self, ctx, formatter) -> None:
        self.format_params(ctx, formatter)
        lang = state["lang"]
        rows = [(name, one_language(command.short_help or "", lang)) for name in self.list_commands(ctx) for command in [self.get_command(ctx, name)] if command is not None and not command.hidden]
        if rows:
            with formatter.section(heading("Commands", lang)):
                formatter.write_dl(rows)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        from ..usage import NoArgsIsHelp, Abort, ClickException, aborted_text, error_text, language_of

        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        args = _debug_first(list(sys.argv[1:] if args is None else args))
        lang = state["lang"] = language_of(args)
        console_streams()
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except NoArgsIsHelp as exc:  # Click ≥ 8.2: help for a bare `govlist`
            exc.show()
            sys.exit(exc.exit_code)
        except ClickException as exc:
            sys.stderr.write(error_text(exc, lang))
            sys.exit(exc.exit_code)
        except Abort:
            sys.stderr.write(aborted_text(lang))
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


def _debug_first(args: list[str]) -> list[str]:
    """--debug where the user put it (after the command, as an internal error's message invites) moved to the group,
    which owns it; what follows `--` is left alone."""
    cut = args.index("--") if "--" in args else len(args)
    if "--debug" in args[1:cut]:
        args = ["--debug"] + [a for i, a in enumerate(args) if not (a == "--debug" and i < cut)]
    return args


_METAVAR = re.compile(r"<([^<>]+)>")  # newer Typer writes an option's value as a Python type: <str>, <list[str]>, <path>


def _plain_metavar(match: re.Match) -> str:
    inner = match.group(1)
    if "|" in inner:
        return f"[{inner}]"
    inner = re.sub(r"^list\[(.*)\]$", r"\1", inner)
    return {"str": "TEXT", "int": "INTEGER", "float": "FLOAT", "int range": "INTEGER RANGE", "float range": "FLOAT RANGE"}.get(inner, inner.upper())


class Command(Speaking, TyperCommand):
    """A govlist command: usage line and help in the user's language and without Python types (the same under every
    Typer version), and options may also follow the paths after `--` (`govlist diff v1 v2 -- catalogs/ --format json`)."""

    def _argument_name(self, param) -> str:
        name = param.metavar or (param.name or "").upper()
        return (name if param.required else f"[{name}]") + ("..." if param.nargs != 1 else "")

    def collect_usage_pieces(self, ctx):
        pieces = [self.options_metavar] if self.options_metavar else []
        return pieces + [self._argument_name(p) for p in self.get_params(ctx) if p.param_type_name == "argument"]

    def get_params(self, ctx):
        from ..usage import own_help

        return own_help(super().get_params(ctx))

    def format_options(self, ctx, formatter) -> None:
        self.format_params(ctx, formatter)

    def parse_args(self, ctx, args):
        if "--" in args:
            cut = args.index("--")
            takes_value = {o: not getattr(p, "is_flag", False) for p in self.get_params(ctx) if p.param_type_name == "option" for o in p.opts + p.secondary_opts}
            moved, rest, tail = [], [], args[cut + 1 :]
            i = 0
            while i < len(tail):
                name = tail[i].split("=", 1)[0]
                if name in takes_value:
                    moved.append(tail[i])
                    if takes_value[name] and "=" not in tail[i] and i + 1 < len(tail):
                        moved.append(tail[i + 1])
                        i += 1
                else:
                    rest.append(tail[i])
                i += 1
            args = args[:cut] + moved + ["--"] + rest
        return super().parse_args(ctx, args)


class Typer(typer.Typer):
    def command(self, *args, cls=None, **kwargs):
        return super().command(*args, cls=cls or Command, **kwargs)


app = Typer(
    cls=Group,
    name="govlist",
    help="govlist：职责任务清单、权责清单与下放赋权目录的校验工具 / validate government responsibility lists and devolution catalogs.",
    epilog="退出码：0 没有达到 --fail-on 级别的发现；1 有；2 用法错误（未知选项、路径不存在等）；3 内部错误（加 --debug 查看调用栈）。/ Exit codes: 0 nothing reached --fail-on; 1 something did; 2 usage error (unknown option, missing path, …); 3 internal error (--debug shows the traceback).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

state: dict[str, Any] = {"debug": False, "lang": detect_lang(None)}  # --debug: show the traceback of a defect; lang: of the help


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    junit = "junit"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


ConfigOption = typer.Option(None, "--config", help="项目配置文件 / project file")
OutputOption = typer.Option(None, "--output", "-o", help="写入文件而不是标准输出 / write to a file instead of stdout")
JobsOption = typer.Option(None, "--jobs", "-j", min=1, help="并行进程数（默认：可用的 CPU 核数；1 为不并行）/ worker processes (default: the cores available; 1: none)")
NoCacheOption = typer.Option(False, "--no-cache", help="不读也不写内容缓存 .govlist-cache/ / neither read nor write the content cache .govlist-cache/")
TemplatesOption = typer.Option(None, "--templates", help="模板目录，按文件覆盖内置模板 / folder of templates overriding the packaged ones file by file")
LangOption = typer.Option(None, "--lang", case_sensitive=False, help="输出语言 zh|en（默认按系统语言环境）/ output language (default: from the locale)")


def fail(message: Text, lang: str, code: int = 2) -> NoReturn:
    typer.echo(("错误：" if lang == "zh" else "Error: ") + message.get(lang), err=True)
    raise typer.Exit(code)


#: what a console that cannot show a character gets instead of it (a GBK console has no ✓, an ASCII one no Chinese);
#: anything else becomes "?"
_STAND_INS = {"✓": "√", "✗": "×", "−": "-", "–": "-", "—": "-", "→": "->", "←": "<-", "…": "...", "“": '"', "”": '"', "‘": "'", "’": "'", "×": "x", "√": "v"}


def _stand_in(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    shown = []
    for char in exc.object[exc.start : exc.end]:
        sub = _STAND_INS.get(char, "?")
        try:
            sub.encode(exc.encoding)
        except (UnicodeError, LookupError):
            sub = "?"
        shown.append(sub)
    return "".join(shown), exc.end


codecs.register_error("govlist-console", _stand_in)


def console_streams() -> None:
    """Standard output and error never fail on a character the console cannot show (a GBK console on Windows, an
    ASCII one under LANG=C, a file name that is not valid UTF-8): it is shown as a stand-in (✓ as √) or "?"."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="govlist-console")


def write_output(text: str, output: Optional[Path], lang: str, data: bool = False) -> None:
    """Print, or write the file whole (govlist.output.write_file). `data`: JSON, SARIF, XML, Markdown, HTML, which are
    UTF-8 by their definition: piped or redirected they are written as UTF-8 whatever the console's encoding (a
    Windows console's GBK), so a file made with `> report.sarif` is read right by every tool."""
    from ..output import write_file
    from ..result import UsageError

    if output is None:
        stream = sys.stdout
        buffer = getattr(stream, "buffer", None)
        if data and buffer is not None and not stream.isatty() and codecs.lookup(stream.encoding or "utf-8").name != "utf-8":
            stream.flush()
            buffer.write(text.encode("utf-8"))
            buffer.flush()
            return
        stream.write(text)
        stream.flush()
        return
    try:
        write_file(output, text.encode("utf-8"))
    except UsageError as exc:
        fail(exc.message, lang)


#: extensions of a kind of document: an output named so must be that kind (output_format)
_DOCUMENT_SUFFIXES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".et", ".wps", ".csv", ".html", ".htm", ".md", ".markdown", ".json", ".xml", ".sarif", ".yaml", ".yml"}


def output_format(given: Optional[str], output: Optional[Path], by_suffix: dict[str, str], default: str, lang: str, only: bool = False) -> str:
    """The format: --format, else the one the output file's extension names, else `default`. An extension naming
    another format than --format is a usage error, and so is the extension of a document this command does not write
    (a report under a .pdf or .yaml name); with `only`, any extension of no format this command writes."""
    name = output.name.lower() if output is not None else ""
    implied = next((fmt for suffix, fmt in sorted(by_suffix.items(), key=lambda kv: -len(kv[0])) if name.endswith(suffix)), None)
    suffixes = sorted(by_suffix)
    if output is not None and only and implied is None:
        fail(Text(f"无法写出 {output}：扩展名应为 {'、'.join(suffixes)}", f"cannot write {output}: the extension must be {', '.join(suffixes)}"), lang)
    other = output.suffix.lower() if output is not None and implied is None and output.suffix.lower() in _DOCUMENT_SUFFIXES else None
    if other:  # a report in text under a .pdf or .xlsx name opens as a broken file; under .yaml it is read as a list
        fail(
            Text(
                f"无法写出 {output}：这个命令不写 {other} 文件；扩展名可用 {'、'.join(suffixes)}，其他扩展名（如 .txt）写 {default} 格式",
                f"cannot write {output}: this command writes no {other} file; use {', '.join(suffixes)}, or another extension (such as .txt) for {default}",
            ),
            lang,
        )
    if given is None:
        return implied or default
    if implied is not None and implied != given:
        fail(
            Text(
                f"--format {given} 与输出文件 {output} 不符（其扩展名对应 {implied} 格式）；去掉 --format，或改用相应的扩展名",
                f"--format {given} does not match the output file {output} (its extension means {implied}); drop --format, or use a matching extension",
            ),
            lang,
        )
    return given


def guard(lang: str, fn):
    """Run the core; usage errors exit 2, defects exit 3 with one clear line (a traceback only with --debug)."""
    from ..result import UsageError

    try:
        return fn()
    except UsageError as exc:
        fail(exc.message, lang, 2)
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        raise typer.Exit(130)
    except Exception as exc:
        if state["debug"]:
            raise
        what = brief(exc)
        fail(
            Text(f"内部错误：{what}。请加 --debug 重新运行以查看详细信息，并报告此问题。", f"internal error: {what}. Run again with --debug for details, and report it."),
            lang,
            3,
        )


def brief(exc: BaseException) -> str:
    """A defect in one line of reasonable length: an exception's repr can hold a whole report."""
    text = repr(exc)
    return text if len(text) <= 200 else text[:200] + "…"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"govlist {__version__}")
        raise typer.Exit()


def _lang_defaults(group: object, lang: str) -> dict:
    """A Click default_map giving `lang` to the --lang of every command under `group`, sub-commands included."""
    found: dict = {}
    for name, command in getattr(group, "commands", {}).items():
        sub = _lang_defaults(command, lang)
        if any(param.name == "lang" for param in command.params):
            sub["lang"] = lang
        found[name] = sub
    return found


@app.callback()
def main(
    ctx: typer.Context,
    debug: bool = typer.Option(False, "--debug", help="出错时显示完整的调用栈 / show tracebacks on internal errors"),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本 / show the version"),
    lang: Optional[Lang] = typer.Option(None, "--lang", case_sensitive=False, help="输出语言 zh|en，对其后的命令有效（也可写在命令之后）/ output language for the command that follows (may also follow the command)"),
) -> None:
    """govlist：职责任务清单、权责清单与下放赋权目录的校验工具。"""
    state["debug"] = debug
    if lang is not None:  # `govlist --lang en validate …`: the command's own --lang, when given, still wins
        ctx.default_map = _lang_defaults(ctx.command, lang.value)
