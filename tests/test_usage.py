"""The option parser's messages as a user meets them: through govlist's real entry point (govlist.cli.run), in
Chinese by default and in English with --lang en wherever it stands, with the usage line, help and a suggestion."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO

ENTRY = "import sys; from govlist.cli import run; sys.argv[0] = 'govlist'; run()"
COMMANDS = ["validate", "rules", "schema", "stats", "import", "export", "diff", "changelog", "render", "init", "baseline", "matrix", "doctor"]


def govlist(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "GOVLIST_"))}
    env.update(LANG="C.UTF-8", PYTHONIOENCODING="utf-8", COLUMNS="100")
    return subprocess.run([sys.executable, "-c", ENTRY, *args], cwd=REPO, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (["validate", "--formt", "json", "catalogs"], "错误：没有选项“--formt”（是否想写“--format”？）", "Error: no such option '--formt' (did you mean '--format'?)"),
        (
            ["validate", "-f", "jsn", "catalogs"],
            "错误：--format / -f 的值“jsn”无效，应为：text、json、sarif、github、junit（是否想写“json”？）",
            "Error: invalid value 'jsn' for --format / -f; expected one of: text, json, sarif, github, junit (did you mean 'json'?)",
        ),
        (["validate"], "错误：缺少参数 PATHS", "Error: missing argument PATHS"),
        (["import", "table.xlsx"], "错误：缺少选项 --output / -o", "Error: missing option --output / -o"),
        (["valdate", "catalogs"], "错误：没有命令“valdate”（是否想写“validate”？）", "Error: no such command 'valdate' (did you mean 'validate'?)"),
        (["schema", "duty", "extra"], "错误：多余的参数：extra", "Error: unexpected extra argument: extra"),
        (["validate", "catalogs", "-f"], "错误：选项 -f 后面需要一个值", "Error: option -f needs a value"),
        (["validate", "catalogs", "--no-baseline=yes"], "错误：选项 --no-baseline 不带值", "Error: option --no-baseline does not take a value"),
        (["validate", "catalogs", "--jobs", "x"], "错误：--jobs / -j 的值应为整数", "Error: --jobs / -j must be a whole number"),
        (["diff", "a", "b", "--jobs", "0"], "错误：--jobs / -j 的值不能小于 1", "Error: --jobs / -j must be at least 1"),
    ],
    ids=["no-such-option", "bad-choice", "missing-argument", "missing-option", "no-such-command", "extra-argument", "needs-value", "takes-no-value", "not-a-number", "below-minimum"],
)
def test_usage_errors_in_both_languages(args, zh, en):
    chinese = govlist(*args)
    assert chinese.returncode == 2, chinese.stderr
    assert zh in chinese.stderr
    assert "Error" not in chinese.stderr and "Usage" not in chinese.stderr and "Traceback" not in chinese.stderr
    # --lang after the error still counts (before it where the error swallows what follows: `-f` takes a value)
    english = govlist(*args, "--lang", "en") if args[-1] != "-f" else govlist(args[0], "--lang", "en", *args[1:])
    assert english.returncode == 2 and en in english.stderr, english.stderr
    assert "错误" not in english.stderr


def test_usage_line_and_help_hint():
    result = govlist("validate", "--formt", "x", "catalogs")
    assert result.stderr.startswith("用法：govlist validate [选项] PATHS...\n用 govlist validate -h 查看帮助。\n")
    english = govlist("validate", "--formt", "x", "--lang=en")
    assert english.stderr.startswith("Usage: govlist validate [OPTIONS] PATHS...\nTry 'govlist validate -h' for help.\n")


def test_command_list_shows_each_whole_help_line():
    result = govlist("-h")
    assert result.returncode == 0
    text = "".join(result.stdout.split())  # a Chinese line may break between two characters
    for line in ["校验清单：格式（JSONSchema）与业务规则，一次报告所有问题。", "检查运行环境：缺少什么、如何补上。"]:
        assert line in text
    english = govlist("-h", "--lang", "en")
    text = " ".join(english.stdout.split())
    for line in ["Validate catalogs: schema and domain rules, every problem at once.", "Compare two versions of the lists.", "Check the environment: what is missing and how to fix it."]:
        assert line in text
    assert "..." not in english.stdout.split("Commands:")[1].split("Exit codes")[0] and "..." not in result.stdout.split("命令：")[1]
    assert "退出码：0没有达到--fail-on级别的发现；1有；2用法错误" in "".join(result.stdout.split())
    assert "Exit codes: 0 nothing reached --fail-on; 1 something did; 2 usage error" in text


@pytest.mark.parametrize("args", [[], ["cache"], ["cache", "clear"]])
def test_the_options_click_and_typer_add_are_explained_in_each_language(args):
    text = " ".join(govlist(*args, "-h").stdout.split())
    assert "-h, --help 显示此帮助并退出" in text and "show this message" not in text
    english = " ".join(govlist("--lang", "en", *args, "-h").stdout.split())
    assert "-h, --help show this message and exit" in english and "显示此帮助" not in english
    for text in (text, english):
        assert "Show this message" not in text and "Install completion" not in text and "Show completion" not in text


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_no_python_types(command):
    result = govlist(command, "-h")
    assert result.returncode == 0, result.stderr
    for python_type in ("<list[", "<str>", "<path>", "<int", "{", "\\["):
        assert python_type not in result.stdout, f"{command} -h shows {python_type}"
    assert "-h, --help" in result.stdout and "显示此帮助并退出" in result.stdout and "Show this message" not in result.stdout
    usage = result.stdout.splitlines()[0]
    assert usage.startswith(f"用法：govlist {command} [选项]")
    arguments = result.stdout.split("参数：")[1].split("选项：")[0] if "参数：" in result.stdout else ""
    for row in filter(str.strip, arguments.splitlines()):
        if not row.startswith("    "):
            assert len(row.split()) > 1, f"{command}: argument without help: {row!r}"


def _cjk(text: str) -> bool:
    return any("\u3400" <= char <= "\u9fff" for char in text)


@pytest.mark.parametrize("command", [[], ["cache"], *([c] for c in COMMANDS)])
def test_help_is_in_one_language(command):
    """Help speaks the user's language as every message does: Chinese by default, English with --lang en; a help
    text written "中文 / English" shows one side, and Click's own words (Usage, Options, [default: …]) follow."""
    from govlist.display import columns as cells

    zh = govlist(*command, "-h").stdout
    en = govlist("--lang", "en", *command, "-h").stdout
    assert zh.startswith("用法：") and en.startswith("Usage: ")
    assert "选项：" in zh and "Options:" not in zh and "Options:" in en
    assert "default: " not in zh and "show this message" not in zh
    for line in en.splitlines():
        if _cjk(line.replace("附件N", "")):  # a Chinese default ([default: 清单库]) and the 附件N label are all
            assert "[default: " in line and not _cjk(line.split("[default: ")[0]), line
    for line in zh.splitlines():
        assert cells(line) <= 100, f"wider than the terminal (COLUMNS=100): {line!r}"


def test_one_language_splits_a_help_text():
    from govlist.cli.helptext import one_language, option_help, wrap

    assert one_language("内容缓存 .govlist-cache/ / the content cache .govlist-cache/", "zh") == "内容缓存 .govlist-cache/"
    assert one_language("内容缓存 .govlist-cache/ / the content cache .govlist-cache/", "en") == "the content cache .govlist-cache/"
    assert one_language("标题字体（小标宋）/ title font (XiaoBiaoSong role)", "en") == "title font (XiaoBiaoSong role)"
    assert one_language("下放/收回、拆分/合并", "en") == "下放/收回、拆分/合并" and one_language("text|json", "zh") == "text|json"
    assert option_help("达到此级别时退出码为 1 / exit 1 when a finding reaches this severity  [default: error]", "zh") == "达到此级别时退出码为 1  [默认：error]"
    assert option_help("并行进程数 / worker processes  [x>=1]", "en") == "worker processes  [x>=1]"
    assert wrap("一二三四五，六七", 10) == ["一二三四", "五，六七"]  # never a line starting with ，
    assert wrap("校验 JSON Schema 的格式", 12) == ["校验 JSON", "Schema 的格", "式"]


def test_schema_suggests_a_kind_and_prints_the_common_definitions():
    wrong = govlist("schema", "dutty")
    assert wrong.returncode == 2 and "错误：未知的清单类型“dutty”（是否想写“duty”？）" in wrong.stderr
    assert "(did you mean 'duty'?)" in govlist("schema", "dutty", "--lang", "en").stderr
    duty = govlist("schema", "duty")
    assert duty.returncode == 0 and '"$ref": "common.schema.json#' in duty.stdout
    for name in ("common", "common.schema.json"):  # the $ref target, by kind or by file name
        common = govlist("schema", name)
        assert common.returncode == 0 and '"$id": "https://govlist.example/schemas/common.schema.json"' in common.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_diff_options_may_follow_the_paths_after_double_dash(tmp_path):
    """The README's `govlist diff v2024 v2025 -- catalogs/ --format json`, on a repository with those two tags."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    repo = tmp_path / "repo"
    for tag in ("v2024", "v2025"):
        shutil.rmtree(repo / "catalogs", ignore_errors=True)
        shutil.copytree(REPO / "examples/adjustment" / tag, repo / "catalogs")
        for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", tag], ["tag", tag]):
            if args[0] != "init" or tag == "v2024":
                subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)
    result = subprocess.run([sys.executable, "-c", ENTRY, "diff", "v2024", "v2025", "--", "catalogs/", "--format", "json"], cwd=repo, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]


def test_lang_before_the_command_speaks_for_the_command():
    english = govlist("--lang", "en", "validate", "tests/fixtures/broken/hostile/unknown-fields.yaml")
    assert "unknown field" in english.stdout and "未知字段" not in english.stdout
    assert english.returncode == 1, english.stderr
    own = govlist("--lang", "en", "validate", "tests/fixtures/broken/hostile/unknown-fields.yaml", "--lang", "zh")  # the command's own --lang wins
    assert "未知字段" in own.stdout
    nested = govlist("--lang", "en", "cache", "clear", "--nope")
    assert nested.returncode == 2 and "no such option" in nested.stderr
