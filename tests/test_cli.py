"""The command line, end to end: exit codes, formats, --output, languages, rules/schema/stats, hostile input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govlist.cli import app
from govlist.ruleset import RULES

from conftest import REPO, write_set

BROKEN = REPO / "tests" / "fixtures" / "broken"
HOSTILE = BROKEN / "hostile"
LOCALE_VARS = ("GOVLIST_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")

ERROR_DUTY = """\
govlist: 1
kind: duty
id: err
title: 总数不符
declared: {items: 2}
items:
  - name: 巡查
"""
WARNING_ONLY = {
    "govlist.yaml": "govlist: 1\nkind: project\nname: 测试\nrules:\n  totals.items: warning\n",
    "duty.yaml": ERROR_DUTY,
}


@pytest.fixture
def cli(monkeypatch):
    """cli(*args, env=None) -> Result, with no locale set (so the default language is zh)."""
    for var in LOCALE_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(REPO)
    runner = CliRunner()

    def run(*args: str, env: dict | None = None):
        result = runner.invoke(app, [str(a) for a in args], env=env, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"govlist {' '.join(map(str, args))} raised {result.exception!r}") from result.exception
        return result

    return run


def no_traceback(result) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


# --- validate: exit codes ------------------------------------------------------------------------------------------


def test_clean_catalogs_exit_0(cli):
    result = cli("validate", "catalogs")
    assert result.exit_code == 0, result.stdout
    assert "0 个错误" in result.stdout


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_clean_catalogs_every_format(cli, fmt):
    result = cli("validate", "catalogs", "--format", fmt)
    assert result.exit_code == 0
    if fmt in ("json", "sarif"):
        json.loads(result.stdout)


def test_error_finding_exit_1(cli, tmp_path):
    write_set(tmp_path, {"duty.yaml": ERROR_DUTY})
    result = cli("validate", tmp_path)
    assert result.exit_code == 1
    assert "totals.items" in result.stdout


def test_fail_on(cli, tmp_path):
    write_set(tmp_path, WARNING_ONLY)
    assert cli("validate", tmp_path).exit_code == 0
    assert cli("validate", tmp_path, "--fail-on", "error").exit_code == 0
    assert cli("validate", tmp_path, "--fail-on", "warning").exit_code == 1
    assert cli("validate", tmp_path, "--fail-on", "info").exit_code == 1
    assert cli("validate", tmp_path, "--fail-on", "never").exit_code == 0


def test_fail_on_never_with_errors(cli, tmp_path):
    write_set(tmp_path, {"duty.yaml": ERROR_DUTY})
    assert cli("validate", tmp_path, "--fail-on", "never").exit_code == 0


def test_missing_path_exit_2(cli):
    result = cli("validate", "no/such/folder")
    assert result.exit_code == 2
    assert "路径不存在" in result.stderr and result.stdout == ""
    no_traceback(result)


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "catalogs", "--no-such-option"),
        ("validate", "catalogs", "--format", "xml"),
        ("validate", "catalogs", "--fail-on", "sometimes"),
        ("validate", "catalogs", "--lang", "fr"),
        ("validate",),
        ("no-such-command",),
        ("validate", "catalogs", "--config", "no/such/govlist.yaml"),
        ("stats", "catalogs", "--format", "xml"),
        ("schema", "nothing"),
    ],
)
def test_usage_errors_exit_2(cli, args):
    result = cli(*args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    no_traceback(result)


# --- validate: --output --------------------------------------------------------------------------------------------


def test_output_file_written(cli, tmp_path):
    target = tmp_path / "out" / "report.json"
    result = cli("validate", "catalogs", "--format", "json", "--output", target)
    assert result.exit_code == 0 and result.stdout == ""
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["summary"]["errors"] == 0 and doc["summary"]["files"] > 0
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.json"]


def test_output_replaces_old_file_and_keeps_exit_code(cli, tmp_path):
    write_set(tmp_path, {"duty.yaml": ERROR_DUTY})
    target = tmp_path / "report.sarif"
    target.write_text("old", encoding="utf-8")
    result = cli("validate", tmp_path / "duty.yaml", "-f", "sarif", "-o", target)
    assert result.exit_code == 1
    assert json.loads(target.read_text(encoding="utf-8"))["runs"][0]["results"][0]["ruleId"] == "totals.items"


def test_output_failure_leaves_nothing_half_written(cli, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = cli("validate", "catalogs", "-o", blocker / "report.txt")
    assert result.exit_code == 2
    no_traceback(result)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]

    assert "file/report.txt" in result.stderr and "是文件，不是目录" in result.stderr  # the system says "exists"
    english = cli("validate", "catalogs", "-o", blocker / "report.txt", "--lang", "en")
    assert english.stderr.startswith("Error: cannot write ") and english.stderr.rstrip().endswith("file is a file, not a folder")
    assert "是文件，不是目录" in cli("init", blocker / "new").stderr

    folder = tmp_path / "is-a-folder"
    folder.mkdir()
    result = cli("validate", "catalogs", "-o", folder)
    assert result.exit_code == 2
    no_traceback(result)
    assert list(folder.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "is-a-folder"]  # no temporary file left behind


def test_output_not_written_when_validation_fails_to_start(cli, tmp_path):
    target = tmp_path / "report.txt"
    assert cli("validate", "no/such/folder", "-o", target).exit_code == 2
    assert not target.exists() and list(tmp_path.iterdir()) == []


# --- languages -----------------------------------------------------------------------------------------------------


def test_language_default_zh_and_en_locale(cli, tmp_path):
    write_set(tmp_path, {"duty.yaml": ERROR_DUTY})
    zh = cli("validate", tmp_path)
    assert "共检查 1 个文件：1 个错误" in zh.stdout
    en = cli("validate", tmp_path, env={"LANG": "en_US.UTF-8"})
    assert "checked 1 file: 1 error" in en.stdout
    assert "checked 1 file" in cli("validate", tmp_path, "--lang", "en").stdout
    assert "共检查" in cli("validate", tmp_path, "--lang", "zh", env={"LANG": "en_US.UTF-8"}).stdout
    assert "共检查" in cli("validate", tmp_path, env={"LANG": "zh_CN.UTF-8"}).stdout


def test_language_of_usage_errors(cli):
    assert cli("validate", "no/such").stderr.startswith("错误：")
    assert cli("validate", "no/such", "--lang", "en").stderr.startswith("Error: ")
    assert cli("validate", "no/such", "--lang", "EN").stderr.startswith("Error: no such file")  # as typed on Windows
    assert cli("--lang", "En", "validate", "no/such").stderr.startswith("Error: no such file")


def test_language_subprocess_without_lang():
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARS}
    env["PYTHONPATH"] = str(REPO)
    zh = subprocess.run([sys.executable, "-m", "govlist.cli", "validate", "catalogs"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert zh.returncode == 0 and "共检查" in zh.stdout
    env["LANG"] = "en_US.UTF-8"
    en = subprocess.run([sys.executable, "-m", "govlist.cli", "validate", "catalogs"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert en.returncode == 0 and en.stdout.startswith("checked ")


def _console(encoding: str, *args: str) -> subprocess.CompletedProcess:
    """govlist in a real process whose console is `encoding` (a Windows console is GBK, LANG=C without coercion ASCII)."""
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARS}
    env.update(PYTHONPATH=str(REPO), PYTHONIOENCODING=encoding)
    return subprocess.run([sys.executable, "-m", "govlist.cli", *args], cwd=REPO, env=env, capture_output=True, timeout=120)


def test_debug_after_the_command_shows_the_traceback_the_message_asks_for(cli, monkeypatch):
    """An internal error says 请加 --debug 重新运行: a user adds it at the end, where it was an unknown option."""
    import govlist.validate

    def defect(*args, **kwargs):
        raise RuntimeError("boom " + "x" * 500)

    monkeypatch.setattr(govlist.validate, "validate_paths", defect)
    result = cli("validate", "catalogs")
    assert result.exit_code == 3 and result.stderr.startswith("错误：内部错误：RuntimeError('boom xxx") and "请加 --debug 重新运行" in result.stderr
    assert len(result.stderr) < 400  # one line, not the exception's whole text
    debug = CliRunner().invoke(app, ["validate", "catalogs", "--debug"])
    assert isinstance(debug.exception, RuntimeError)  # the traceback, as with `govlist --debug validate`


@pytest.mark.parametrize("entry", ["from govlist.console import run\nrun()", "from govlist.cli import run\n"], ids=["command", "python-m"])
def test_ctrl_c_while_govlist_loads_is_no_traceback(entry):
    """Ctrl-C in the first tenth of a second, while Python loads govlist's modules, printed a KeyboardInterrupt
    traceback; it stops as an interrupted run does (exit 130, nothing on stderr). Simulated: importing Typer is
    interrupted, through the `govlist` command's entry point (which loads the command line when run) and through
    `python -m govlist.cli`."""
    interrupted = "import builtins\nreal = builtins.__import__\ndef imp(name, *a, **k):\n    if name == 'typer':\n        raise KeyboardInterrupt\n    return real(name, *a, **k)\nbuiltins.__import__ = imp\n" + entry
    result = subprocess.run([sys.executable, "-c", interrupted], cwd=REPO, env=dict(os.environ, PYTHONPATH=str(REPO)), capture_output=True, text=True, timeout=120)
    assert result.returncode == 130 and result.stderr == ""


@pytest.mark.parametrize("args, code", [(["validate", "catalogs", "--format", "json"], 0), (["validate", "no-such-folder"], 2)], ids=["run", "usage-error"])
def test_the_objects_left_at_exit_are_set_aside_from_the_last_collection(args, code):
    """Python's exit runs a full collection over every object alive, the collector off or not; the command sets them
    aside (gc.freeze) once it is done, whatever its exit code, and what it wrote is whole (a JSON report parses)."""
    script = "import atexit, gc, sys\natexit.register(lambda: sys.stderr.write(f'frozen={gc.get_freeze_count()}'))\nfrom govlist.console import run\nsys.argv = ['govlist', *sys.argv[1:]]\nrun()"
    result = subprocess.run([sys.executable, "-c", script, *args], cwd=REPO, env=dict(os.environ, PYTHONPATH=str(REPO)), capture_output=True, text=True, timeout=120)
    assert result.returncode == code, result.stderr
    frozen = int(result.stderr.rsplit("frozen=", 1)[1])
    assert frozen > 10_000  # the modules, the catalogs and the report: not a few stray objects
    if code == 0:
        assert json.loads(result.stdout)["summary"]


def test_a_gbk_console_shows_every_command_without_an_internal_error():
    """✓ (stats), − (diff's arithmetic) have no GBK code: they used to end the run with an internal error (exit 3)."""
    stats = _console("cp936", "stats", "catalogs/gumei")
    assert stats.returncode == 0, stats.stderr.decode("gbk")
    assert "类别：13 √" in stats.stdout.decode("gbk")
    diff = _console("cp936", "diff", "examples/adjustment/v2024", "examples/adjustment/v2025")
    assert diff.returncode == 0, diff.stderr.decode("gbk")
    assert "77 - 3 + 5" in diff.stdout.decode("gbk")
    rule = _console("cp936", "rules", "change.arithmetic")
    assert rule.returncode == 0 and rule.stderr == b""


def test_an_ascii_console_gets_question_marks_not_an_internal_error():
    result = _console("ascii", "validate", str(HOSTILE / "gbk.yaml"))
    assert result.returncode == 1, result.stderr
    assert result.stderr == b""
    assert b"parse.encoding" in result.stdout and b"??" in result.stdout
    english = _console("ascii", "validate", str(HOSTILE / "gbk.yaml"), "--lang", "en")
    assert b'"Save as UTF-8"' in english.stdout


def test_machine_formats_are_utf8_whatever_the_console(tmp_path):
    """`govlist validate . -f json > report.json` on a GBK console: the file is UTF-8, as JSON must be."""
    write_set(tmp_path, {"duty.yaml": ERROR_DUTY})
    result = _console("cp936", "validate", str(tmp_path), "-f", "json")
    assert result.returncode == 1
    assert "声明共 2 项" in json.loads(result.stdout.decode("utf-8"))["findings"][0]["message"]
    schema = _console("cp936", "schema", "duty")
    assert json.loads(schema.stdout.decode("utf-8"))["title"] == "职责任务清单"


# --- rules, schema, stats ------------------------------------------------------------------------------------------


def test_rules_lists_every_id(cli):
    result = cli("rules")
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.strip()]
    assert listed == sorted(RULES)
    assert "totals.items" in listed and "parse.yaml" in listed


def test_rules_explains_in_both_languages(cli):
    zh = cli("rules", "totals.items")
    en = cli("rules", "totals.items", "--lang", "en")
    assert zh.exit_code == en.exit_code == 0
    assert zh.stdout.startswith("totals.items — " + RULES["totals.items"].title.zh)
    assert "默认级别：错误" in zh.stdout
    assert en.stdout.startswith("totals.items — " + RULES["totals.items"].title.en)
    assert "default severity: error" in en.stdout
    assert RULES["totals.items"].documentation("en") in en.stdout
    assert RULES["totals.items"].documentation("zh") in zh.stdout


def test_unknown_rule_suggests(cli):
    result = cli("rules", "totals.itmes")
    assert result.exit_code == 2
    assert "totals.items" in result.stderr and result.stdout == ""
    en = cli("rules", "totals.itmes", "--lang", "en")
    assert "did you mean 'totals.items'" in en.stderr


def test_schema_prints_json(cli):
    result = cli("schema", "duty")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert isinstance(schema, dict) and schema


def test_stats_catalogs(cli):
    result = cli("stats", "catalogs")
    assert result.exit_code == 0
    assert "89" in result.stdout and "184" in result.stdout
    as_json = cli("stats", "catalogs", "--format", "json")
    assert as_json.exit_code == 0 and json.loads(as_json.stdout)
    # counted by a field named as a reader knows it, not by its YAML key
    assert "  按单位类型：居民区 38，部门 20" in result.stdout and "  按履职类型：基本履职事项 " in result.stdout
    assert "(type)" not in result.stdout and "(track)" not in result.stdout
    assert "  by type (track): " in cli("stats", "catalogs", "--lang", "en").stdout


def test_stats_says_which_files_it_left_out(cli):
    broken = cli("stats", str(HOSTILE / "gbk.yaml"))
    assert broken.exit_code == 0
    assert "未计入 1 个文件" in broken.stdout and "gbk.yaml" in broken.stdout
    assert "left out 1 file(s)" in cli("stats", str(HOSTILE / "gbk.yaml"), "--lang", "en").stdout
    assert "89" in cli("stats", "catalogs").stdout and "未计入" not in cli("stats", "catalogs").stdout


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout.startswith("govlist ")


# --- hostile input -------------------------------------------------------------------------------------------------

HOSTILE_FILES = sorted(p.name for p in HOSTILE.iterdir() if p.suffix == ".yaml")


def test_hostile_fixture_set_is_complete():
    for name in ("gbk.yaml", "duplicate-keys.yaml", "tags.yaml", "billion-laughs.yaml", "unknown-fields.yaml", "binary.yaml", "empty.yaml", "list.yaml"):
        assert name in HOSTILE_FILES


@pytest.mark.parametrize("name", HOSTILE_FILES)
@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_hostile_file_is_a_finding(cli, name, fmt):
    result = cli("validate", HOSTILE / name, "--format", fmt)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stderr == ""
    no_traceback(result)


def test_hostile_folder_every_file_reported(cli):
    result = cli("validate", HOSTILE, "-f", "json", "--lang", "en")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["summary"]["files"] == len(HOSTILE_FILES)
    assert {Path(f["file"]).name for f in doc["findings"]} == set(HOSTILE_FILES)
    by_file: dict[str, set] = {}
    for f in doc["findings"]:
        by_file.setdefault(Path(f["file"]).name, set()).add(f["rule"])
    rules = {name: min(found) if len(found) == 1 else found for name, found in by_file.items()}
    assert rules["gbk.yaml"] == "parse.encoding"
    assert rules["utf16.yaml"] == "parse.encoding"
    assert rules["duplicate-keys.yaml"] == "parse.duplicate-key"
    assert rules["tags.yaml"] == "parse.tag"
    assert rules["merge-key.yaml"] == "parse.tag"
    assert rules["billion-laughs.yaml"] == "parse.alias-bomb"
    assert rules["empty.yaml"] == "schema.kind"
    assert rules["list.yaml"] == "schema.kind"
    assert rules["tabs.yaml"] == "parse.yaml"
    assert "schema.unknown-field" in by_file["unknown-fields.yaml"]  # and the rules still read the list (an unknown field leaves it whole)


def test_deep_nesting_generated(cli, tmp_path):
    (tmp_path / "deep-flow.yaml").write_text("a: " + "[" * 200_000 + "]" * 200_000 + "\n", encoding="utf-8")
    (tmp_path / "deep-block.yaml").write_text("".join("  " * i + f"k{i}:\n" for i in range(300)), encoding="utf-8")
    (tmp_path / "deep-unclosed.yaml").write_text("a: " + "{a: " * 100_000 + "\n", encoding="utf-8")
    result = cli("validate", tmp_path, "-f", "json", "--lang", "en")
    assert result.exit_code == 1
    no_traceback(result)
    doc = json.loads(result.stdout)
    by_file = {Path(f["file"]).name: f["rule"] for f in doc["findings"]}
    assert by_file["deep-flow.yaml"] == "parse.too-deep"
    assert by_file["deep-block.yaml"] == "parse.too-deep"
    assert by_file["deep-unclosed.yaml"] in ("parse.too-deep", "parse.yaml")


def test_whole_broken_tree_in_a_real_process(tmp_path):
    """A real process over every broken fixture: exit 1, no traceback, and nothing written outside the report."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    for fmt in ("text", "sarif", "junit"):
        proc = subprocess.run(
            [sys.executable, "-m", "govlist.cli", "validate", str(BROKEN), "--format", fmt],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr and proc.stderr == ""


def test_a_wrong_value_names_its_field_as_its_list_does_and_shows_it_as_yaml(cli, tmp_path):
    """A duty item's `content` is 事项内容 (not an adjustment step's 调整内容), a power item's `type` 权力类型; YAML's
    `yes` is shown as true, not Python's True; the `off` YAML 1.1 reads as false is not listed as a Python False."""
    write_set(
        tmp_path,
        {
            "govlist.yaml": "govlist: 1\nkind: project\nname: 测试\nrules:\n  totals.items: warn\n",
            "duty.yaml": "govlist: 1\nkind: duty\nid: d\ntitle: 测试\nitems:\n  - name: yes\n  - name: 巡查\n    content: 12:30\n",
            "power.yaml": "govlist: 1\nkind: power\nid: p\ntitle: 权责\nitems:\n  - name: 处罚\n    type: 1\n",
        },
    )
    messages = {(Path(f["file"]).name, f["line"]): (f["message_zh"], f["message_en"]) for f in json.loads(cli("validate", tmp_path, "-f", "json").stdout)["findings"]}
    assert messages[("duty.yaml", 8)][0].startswith("“content”（事项内容）应为文字")
    assert messages[("duty.yaml", 6)][0].endswith("实际为 true") and messages[("duty.yaml", 6)][1].endswith("got true")
    assert messages[("power.yaml", 7)][0].startswith("“type”（权力类型）")
    assert messages[("govlist.yaml", 5)] == ("“totals.items”取值“warn”无效，应为：error、warning、info、off", "'totals.items': 'warn' is not one of error, warning, info, off")


def test_changelog_drafts_nothing_when_a_version_cannot_be_read(cli, tmp_path):
    """One item's typo (a schema error) or a file saved as GBK made the whole list look removed: changelog drafted
    the cancellation of every item and exited 0. Now it says the versions were not compared, and exits 1."""
    old = "govlist: 1\nkind: duty\nid: d\ntitle: 测试\nitems:\n  - name: 政务公开\n    content: 负责政务公开\n  - name: 信访\n    content: 负责信访\n"
    (tmp_path / "old.yaml").write_text(old, encoding="utf-8")
    (tmp_path / "typo.yaml").write_text(old.replace("content: 负责信访", "content: 12:30"), encoding="utf-8")
    (tmp_path / "gbk.yaml").write_bytes(old.replace("负责政务公开", "负责政务公开和信息公开").encode("gb18030"))
    for new, where in (("typo.yaml", "typo.yaml:9:14"), ("gbk.yaml", "gbk.yaml:4:8")):
        result = cli("changelog", tmp_path / "old.yaml", tmp_path / new)
        assert result.exit_code == 1, result.output
        assert "未能比较：下列文件有错误" in result.stdout and where in result.stdout
        assert "取消" not in result.stdout
    fine = cli("changelog", tmp_path / "old.yaml", tmp_path / "old.yaml")
    assert fine.exit_code == 0 and "两个版本相同，没有调整。" in fine.stdout


def test_an_output_named_as_another_document_is_refused_before_any_work(cli, tmp_path):
    """A report under a .pdf name opened as a broken PDF; under .yaml it was read as a list by the next validate; a
    matrix under an .xlsx name was text that Excel refuses; import wrote YAML into a .txt."""
    for args in (
        ("validate", "catalogs", "-o", tmp_path / "报告.pdf"),
        ("validate", "catalogs", "-o", tmp_path / "report.yaml"),
        ("changelog", "examples/adjustment/v2024", "examples/adjustment/v2025", "-o", tmp_path / "调整说明.pdf"),
        ("diff", "examples/adjustment/v2024", "examples/adjustment/v2025", "-o", tmp_path / "对照.xlsx"),
        ("import", "tests/fixtures/real/hule-assist-items.csv", "-o", tmp_path / "清单.txt"),
    ):
        result = cli(*args)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.startswith("错误：无法写出 ") and result.stdout == "", (args, result.stderr)
    assert "writes no .pdf file" in cli("validate", "catalogs", "-o", tmp_path / "r.pdf", "--lang", "en").stderr
    assert list(tmp_path.iterdir()) == []
    assert cli("validate", "catalogs", "-o", tmp_path / "report.txt").exit_code == 0
    matrix = cli("matrix", "catalogs/qijiang", "--kind", "duty", "-o", tmp_path / "对照表.xlsx")
    assert matrix.exit_code == 0 and (tmp_path / "对照表.xlsx").read_bytes()[:2] == b"PK"  # a workbook, not text


def test_import_refuses_an_existing_output_before_reading_the_table(cli, tmp_path):
    target = tmp_path / "清单.yaml"
    target.write_text("kept", encoding="utf-8")
    result = cli("import", "tests/fixtures/real/hule-assist-items.csv", "-o", target)
    assert result.exit_code == 2 and result.stdout == ""  # no column explained for nothing
    assert "已存在；加 --force 覆盖" in result.stderr and target.read_text(encoding="utf-8") == "kept"


def test_an_output_open_in_excel_is_named_as_the_likely_cause(cli, tmp_path, monkeypatch):
    """Windows refuses to replace a file Excel or WPS holds open ("permission denied"): say what to do about it."""
    target = tmp_path / "公布版.xlsx"
    target.write_bytes(b"old")

    def locked(src, dst):
        raise PermissionError(13, "Access is denied", str(dst))

    monkeypatch.setattr(os, "replace", locked)
    result = cli("export", "catalogs/gumei/juminqu-duty.yaml", "-o", target, "--force")
    assert result.exit_code == 2
    no_traceback(result)
    assert "没有权限；如果它正在 Excel、WPS 或其他程序中打开，请关闭后再试" in result.stderr
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["公布版.xlsx"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_output_file_has_ordinary_permissions(cli, tmp_path):
    target = tmp_path / "report.txt"
    umask = os.umask(0o022)
    try:
        assert cli("validate", "catalogs", "-o", target).exit_code == 0
    finally:
        os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o644


def test_spawned_workers_of_the_console_script_import_no_command_line(tmp_path):
    """`spawn` runs the program's main script again in every worker (as `__mp_main__`). For the `govlist` command
    that is pip's script, which imports the module [project.scripts] names: it must not be the command line, or each
    worker imports typer and rich for nothing (0.1–0.16 s) before its first file. Checked with a script written as
    pip writes it, from pyproject.toml's entry, whose spawned worker reports what it imported."""
    import tomllib

    entry = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]["govlist"]
    module, _, function = entry.partition(":")
    script = tmp_path / "govlist-script.py"
    script.write_text(
        f"import sys\nfrom {module} import {function}\n"
        "if __name__ == '__main__':\n"
        "    import multiprocessing\n"
        "    with multiprocessing.get_context('spawn').Pool(1) as pool:\n"
        "        print(pool.apply(eval, (\"sorted(m for m in ('typer', 'rich', 'govlist.cli') if m in __import__('sys').modules)\",)))\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
