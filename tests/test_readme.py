"""The README's own commands, run as a reader would: every `govlist …` line of its ```sh blocks, block by block and in
order, in a workspace holding the repository's catalogs/ and examples/ as a git repository with the tags v2024 and
v2025 and a commit before HEAD (as the lines assume), plus the few inputs a line names that the repository does not
ship (a table to import, two versions of one file). A documented command that fails (exit 2 or 3, or exit 1 where
the line does not ask for a failing exit with --fail-on) fails this test."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govlist.cli import app

from conftest import REPO

README = REPO / "README.md"
SKIPPED = {"--install-completion": "changes the reader's shell start-up files"}
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def readme_blocks() -> list[list[list[str]]]:
    """The shell lines of each ```sh block, as words (comments dropped)."""
    blocks = re.findall(r"^```sh\n(.*?)^```", README.read_text(encoding="utf-8"), flags=re.M | re.S)
    return [[words for words in (shlex.split(line, comments=True) for line in block.splitlines()) if words] for block in blocks]


BLOCKS = [block for block in readme_blocks() if any(words[0] == "govlist" for words in block)]


def test_the_readme_documents_govlist_commands():
    commands = [words for block in BLOCKS for words in block if words[0] == "govlist"]
    assert len(commands) >= 20
    assert ["govlist", "diff", "v2024", "v2025", "--", "catalogs/", "--format", "json"] in commands


def _git(*args: str, cwd: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def workspace_template(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("readme") / "work"
    shutil.copytree(REPO / "catalogs", root / "catalogs")
    shutil.copytree(REPO / "examples", root / "examples")
    shutil.copy(REPO / "examples/adjustment/v2024/community.yaml", root / "2023版.yaml")
    shutil.copy(REPO / "examples/adjustment/v2025/community.yaml", root / "2024版.yaml")
    runner = CliRunner()
    for source, table in (("catalogs/gumei/street-duty.yaml", "附件2.xlsx"), ("catalogs/chenghua/devolution-street.yaml", "目录.csv")):
        done = runner.invoke(app, ["export", str(root / source), "-o", str(root / table)])
        assert done.exit_code == 0, done.output
    _git("init", "-q", cwd=root)
    _git("add", "-A", cwd=root)
    _git("commit", "-q", "-m", "2024", cwd=root)
    _git("tag", "v2024", cwd=root)
    _git("commit", "-q", "--allow-empty", "-m", "2025", cwd=root)
    _git("tag", "v2025", cwd=root)
    return root


@needs_git
@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i + 1}" for i in range(len(BLOCKS))])
def test_readme_commands_run(block, workspace_template, tmp_path, monkeypatch):
    work = tmp_path / "work"
    shutil.copytree(workspace_template, work, symlinks=True)
    monkeypatch.chdir(work)
    monkeypatch.delenv("GOVLIST_LANG", raising=False)
    if any(words[:2] == ["govlist", "import"] for words in block):
        (work / "catalogs/gumei/street-duty.yaml").unlink()  # the reader's list is still the table 附件2.xlsx
    (work / "my-templates").mkdir()  # the reader's template folder (render --templates): overrides nothing yet
    runner = CliRunner()
    ran = 0
    for words in block:
        if words[0] == "cd":  # `cd DIR && …`: the lines after it run in DIR
            monkeypatch.chdir(words[1])
            continue
        if words[0] != "govlist" or any(flag in words for flag in SKIPPED):
            continue
        result = runner.invoke(app, words[1:])
        allowed = (0, 1) if "--fail-on" in words else (0,)
        assert result.exit_code in allowed, f"README: `{shlex.join(words)}` exited {result.exit_code}:\n{result.output}"
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        ran += 1
    assert ran


def test_the_readme_counts_the_rules_there_are():
    """The number of rules the README states (zh and en) is the number `govlist rules` lists."""
    import govlist.rules  # noqa: F401  (registers every rule)
    from govlist.ruleset import RULES

    text = README.read_text(encoding="utf-8")
    assert re.findall(r"共 (\d+) 条规则", text) == [str(len(RULES))]
    assert re.findall(r"^(\d+) rules, each with an id", text, flags=re.M) == [str(len(RULES))]


def test_the_readme_shows_the_output_validate_gives(tmp_path, monkeypatch):
    """The sample report under 用法 is what `govlist validate catalogs/` prints after the mistakes the README lists
    (total written 185, a name copied, `lead` spelt `leed`, the entrustor deleted, 招商引资 in a community item, a file
    saved as GBK): line for line, with the file count and the totals."""
    text = README.read_text(encoding="utf-8")
    shown = re.search(r"的真实输出，退出码 1：\n\n```\n(.*?)```", text, flags=re.S)
    assert shown, "the README's sample report is gone"
    shutil.copytree(REPO / "catalogs", tmp_path / "catalogs")
    edits = {
        "gumei/street-duty.yaml": [("  items: 184", "  items: 185"), ("name: 无施工许可擅自施工处置", "name: 违法占地发现制止")],
        "baishaguan/community.yaml": [("开展多种形式的精神文明建设活动。", "开展多种形式的精神文明建设活动，做好招商引资工作。")],
        "chenghua/devolution-street.yaml": [("        entrustor: 区民政局\n", "\n")],
        "xx-district/territorial.yaml": [("        lead:", "        leed:")],
    }
    for name, changes in edits.items():
        path = tmp_path / "catalogs" / name
        content = path.read_text(encoding="utf-8")
        for old, new in changes:
            assert old in content, (name, old)
            content = content.replace(old, new, 1)
        path.write_text(content, encoding="utf-8")
    (tmp_path / "catalogs/chenghua/old.yaml").write_bytes("govlist: 1\nkind: duty\nid: old\ntitle: 旧清单\nitems:\n  - name: 巡查\n".encode("gb18030"))
    monkeypatch.chdir(tmp_path)
    for var in ("GOVLIST_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    result = CliRunner().invoke(app, ["validate", "catalogs/", "--no-cache"])
    assert result.exit_code == 1
    assert result.stdout == shown.group(1)
