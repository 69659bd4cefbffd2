"""The option parser's own errors in the user's language: the one place that turns Click's usage errors (unknown
option or command, bad or missing value, extra argument) into the text govlist prints, in Chinese by default and in
English with --lang en, wherever --lang stands on the command line, with a "did you mean" where one is close.

Typer (≥ 0.26, pyproject.toml) carries its own copy of Click, typer._click: its exception classes and English
messages are recognised here by their attributes and wording (tests/test_usage.py runs each through the real parser).
"""

from __future__ import annotations

import re
from typing import Sequence

import typer

from .i18n import detect_lang
from .model import Text, did_you_mean

from typer._click import exceptions as click_exceptions

ClickException = click_exceptions.ClickException
Abort = typer.Abort
NoArgsIsHelp = getattr(click_exceptions, "NoArgsIsHelpError", ())


def language_of(args: Sequence[str]) -> str:
    """--lang VALUE or --lang=VALUE anywhere on the command line (even after the error), else the environment."""
    args = list(args)
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            return detect_lang(args[i + 1])
        if arg.startswith("--lang="):
            return detect_lang(arg.partition("=")[2])
    return detect_lang(None)


def _hint(param) -> str:
    """How the user wrote the parameter: `--format / -f` for an option, its metavar (PATHS) for an argument."""
    if param is None:
        return "?"
    if getattr(param, "param_type_name", "") == "option":
        return " / ".join(param.opts)
    return param.metavar or (param.name or "?").upper()


def _or(choices: Sequence[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(choices)


def _quoted_value(message: str) -> str | None:
    match = re.search(r"""(['"])(.*)\1 is not""", message)
    return match.group(2) if match else None


def message(exc, lang: str = "zh") -> Text:
    """The error line of a Click exception, in both languages."""
    ctx = getattr(exc, "ctx", None)
    raw = str(getattr(exc, "message", "") or "")
    if isinstance(exc, click_exceptions.NoSuchOption):
        known = list(getattr(exc, "possibilities", None) or [])
        if ctx is not None:
            known += [opt for p in ctx.command.params for opt in getattr(p, "opts", []) + getattr(p, "secondary_opts", []) if opt.startswith("-")]
        extra = did_you_mean(exc.option_name, known)
        return Text(f"没有选项“{exc.option_name}”{extra.zh}", f"no such option '{exc.option_name}'{extra.en}")
    if isinstance(exc, click_exceptions.MissingParameter):
        param = exc.param
        if getattr(param, "param_type_name", exc.param_type) == "option":
            return Text(f"缺少选项 {_hint(param)}", f"missing option {_hint(param)}")
        return Text(f"缺少参数 {_hint(param)}", f"missing argument {_hint(param)}")
    if isinstance(exc, click_exceptions.BadParameter):
        param = exc.param
        hint = _hint(param) if param is not None else str(exc.param_hint or "?")
        choices = [str(c) for c in getattr(getattr(param, "type", None), "choices", None) or []]
        one_of = re.search(r"is not one of (.*)\.?$", raw)
        if not choices and one_of:  # Typer ≥ 0.26 checks choices itself; its message lists them
            choices = [c for _, c in re.findall(r"""(['"])(.*?)\1""", one_of.group(1))]
        value = _quoted_value(raw)
        if choices and value is not None:
            extra = did_you_mean(value, choices)
            return Text(
                f"{hint} 的值“{value}”无效，应为：{_or(choices, 'zh')}{extra.zh}",
                f"invalid value '{value}' for {hint}; expected one of: {_or(choices, 'en')}{extra.en}",
            )
        if re.search(r"valid integer", raw):  # Click: "'x' is not a valid integer."; Typer ≥ 0.29: "Input should be a valid integer, …"
            return Text(f"{hint} 的值应为整数", f"{hint} must be a whole number")
        low = re.search(r"(?:greater than or equal to |x>=)(-?\d+)", raw)  # Typer ≥ 0.29 / Click's "0 is not in the range x>=1."
        if low:
            return Text(f"{hint} 的值不能小于 {low.group(1)}", f"{hint} must be at least {low.group(1)}")
        return Text(f"{hint} 的值无效：{raw}", f"invalid value for {hint}: {raw}")
    if isinstance(exc, click_exceptions.BadOptionUsage):
        name = exc.option_name
        if "requires" in raw:
            return Text(f"选项 {name} 后面需要一个值", f"option {name} needs a value")
        if "does not take a value" in raw:
            return Text(f"选项 {name} 不带值", f"option {name} does not take a value")
        return Text(f"选项 {name} 用法有误：{raw}", f"option {name} is used wrongly: {raw}")
    extra_args = re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", raw)
    if extra_args:
        return Text(f"多余的参数：{extra_args.group(1)}", f"unexpected extra argument: {extra_args.group(1)}")
    command = re.match(r"No such command (['\"])(.*?)\1", raw)
    if command:
        name = command.group(2)
        known = list(getattr(getattr(ctx, "command", None), "commands", {}) or [])
        extra = did_you_mean(name, known)
        return Text(f"没有命令“{name}”{extra.zh}；govlist -h 列出全部命令", f"no such command '{name}'{extra.en}; govlist -h lists the commands")
    if raw.startswith("Missing command"):
        return Text("缺少命令；govlist -h 列出全部命令", "missing command; govlist -h lists the commands")
    if isinstance(exc, click_exceptions.FileError):
        return Text(f"无法打开文件“{exc.filename}”：{raw}", f"cannot open the file '{exc.filename}': {raw}")
    return Text(f"用法错误：{raw}", f"usage error: {raw}")


def error_text(exc, lang: str) -> str:
    """What govlist prints for a usage error: the usage line, where to get help, and the error itself."""
    ctx = getattr(exc, "ctx", None)
    lines = []
    if ctx is not None:
        usage = ctx.get_usage()  # in the user's language already (cli.helptext)
        help_cmd = f"{ctx.command_path} {ctx.help_option_names[0]}" if ctx.help_option_names else f"{ctx.command_path} --help"
        lines += [usage, Text(f"用 {help_cmd} 查看帮助。", f"Try '{help_cmd}' for help.").get(lang), ""]
    lines.append(("错误：" if lang == "zh" else "Error: ") + message(exc, lang).get(lang))
    return "\n".join(lines) + "\n"


#: the help of the options Click and Typer add to every command, in govlist's "中文 / English" style
BUILT_IN_HELP = {
    "--help": "显示此帮助并退出 / show this message and exit",
    "--install-completion": "为当前 shell 安装命令补全 / install completion for the current shell",
    "--show-completion": "显示当前 shell 的命令补全脚本，可复制或自行安装 / show completion for the current shell, to copy it or customize the installation",
}


def own_help(params: list) -> list:
    """The parameters of a command with the built-in options' help in both languages (changed in place, once)."""
    for param in params:
        for opt in getattr(param, "opts", ()):
            if opt in BUILT_IN_HELP:
                param.help = BUILT_IN_HELP[opt]
    return params


def aborted_text(lang: str) -> str:
    return Text("已中止。", "Aborted!").get(lang) + "\n"
