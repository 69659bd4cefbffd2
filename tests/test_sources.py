"""Where the sides of a diff come from: files, folders, git revisions (`REV`, `REV:path`, against the working tree)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from govlist.cli import app
from govlist.sources import resolve_sides
from govlist.result import UsageError

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo), "PATH": __import__("os").environ["PATH"]}
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env, text=True).stdout


def duty(version: str, names: list[str]) -> str:
    data = {"govlist": 1, "kind": "duty", "id": "d", "title": "职责清单", "version": version, "items": [{"code": f"A{i}", "seq": i, "name": n} for i, n in enumerate(names, 1)]}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    (root / "catalogs").mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (root / "catalogs" / "d.yaml").write_text(duty("2024", ["低保申请受理", "高龄津贴审核"]), encoding="utf-8")
    (root / "catalogs" / "notes.txt").write_text("not a catalog\n", encoding="utf-8")
    (root / "README.md").write_text("x\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "2024")
    git(root, "tag", "v2024")
    (root / "catalogs" / "d.yaml").write_text(duty("2025", ["低保申请受理", "高龄津贴审核", "残疾人补贴初审"]), encoding="utf-8")
    git(root, "commit", "-q", "-am", "2025")
    git(root, "tag", "v2025")
    (root / "catalogs" / "d.yaml").write_text(duty("2026", ["低保申请受理", "残疾人补贴初审"]), encoding="utf-8")  # working tree
    monkeypatch.chdir(root)
    return root


def names(side):
    return [f.display for f in side.files]


def test_two_revisions_limited_to_a_path(repo):
    old, new = resolve_sides("v2024", "v2025", ["catalogs/"])
    assert names(old) == ["v2024:catalogs/d.yaml"] and names(new) == ["v2025:catalogs/d.yaml"]
    assert b"version: '2024'" in old.files[0].raw


def test_revision_against_the_working_tree(repo):
    old, new = resolve_sides("HEAD~1", None)
    assert names(old) == ["HEAD~1:catalogs/d.yaml"] and names(new) == ["catalogs/d.yaml"]
    old, new = resolve_sides("HEAD", "catalogs")  # a bare revision beside a path: the same path in that revision
    assert names(old) == ["HEAD:catalogs/d.yaml"] and b"2025" in old.files[0].raw


def test_rev_path_against_a_file(repo):
    old, new = resolve_sides("main:catalogs/d.yaml", "catalogs/d.yaml")
    assert names(old) == ["main:catalogs/d.yaml"] and names(new) == ["catalogs/d.yaml"]
    (repo / "catalogs" / "sub").mkdir()
    old, _ = resolve_sides("v2024:./d.yaml", None, cwd=repo / "catalogs")
    assert names(old) == ["v2024:catalogs/d.yaml"]


def test_subfolder_prefix(repo, monkeypatch):
    monkeypatch.chdir(repo / "catalogs")
    old, new = resolve_sides("v2024", "v2025")
    assert names(old) == ["v2024:catalogs/d.yaml"]


def test_errors_are_clear(repo, tmp_path, monkeypatch):
    with pytest.raises(UsageError) as err:
        resolve_sides("no-such-rev", "v2025", ["catalogs"])
    assert "no-such-rev" in err.value.message.zh and "unknown revision" in err.value.message.en
    with pytest.raises(UsageError) as err:
        resolve_sides("v2024:catalogs/missing.yaml", "catalogs/d.yaml")
    assert "does not exist in revision" in err.value.message.en
    with pytest.raises(UsageError):
        resolve_sides("--output=x", "v2025", ["catalogs"])
    outside = tmp_path / "plain"
    outside.mkdir()
    with pytest.raises(UsageError) as err:
        resolve_sides("HEAD~1", None, cwd=outside)
    assert "not inside a git repository" in err.value.message.en and "不在 git 仓库中" in err.value.message.zh


def test_cli_diff_over_git(repo):
    runner = CliRunner()
    result = runner.invoke(app, ["diff", "--lang", "en", "v2024", "v2025", "--", "catalogs/"])
    assert result.exit_code == 0, result.output
    assert "added 1" in result.stdout and "v2024 -- catalogs/" in result.stdout
    result = runner.invoke(app, ["diff", "HEAD~1", "--fail-on", "minor"])
    assert result.exit_code == 1 and "更名 1" in result.stdout and "HEAD~1:catalogs/d.yaml" in result.stdout or "HEAD~1" in result.stdout
    assert runner.invoke(app, ["diff", "HEAD~1", "--fail-on", "major"]).exit_code == 0
    result = runner.invoke(app, ["diff", "nope", "v2025", "--", "catalogs/"])
    assert result.exit_code == 2 and "nope" in result.stderr


def test_cli_not_a_repository(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["diff", "HEAD~1", "--lang", "en"])
    assert result.exit_code == 2 and "not inside a git repository" in result.stderr


# --- a first pull request into an empty branch ---------------------------------------------------------------------


def test_first_pull_request_into_an_empty_branch(tmp_path, monkeypatch):
    """What the CI `govlist init` writes runs on the first pull request: the base branch has no catalog yet (an empty
    commit), so its side is empty and every list is new; a wrong revision name is still a usage error."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "commit", "-q", "--allow-empty", "-m", "empty")
    git(root, "checkout", "-q", "-b", "first")
    (root / "catalogs").mkdir()
    (root / "catalogs" / "d.yaml").write_text(duty("2024", ["低保申请受理"]), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first lists")
    monkeypatch.chdir(root)
    runner = CliRunner()
    for args in (["diff", "main"], ["diff", "main", "first"], ["diff", "HEAD~1"]):
        result = runner.invoke(app, [*args, "--lang", "en", "--format", "markdown"])
        assert result.exit_code == 0, result.output
        assert "A1" in result.stdout and "低保申请受理" in result.stdout, result.stdout
    monkeypatch.chdir(root / "catalogs")  # run from a folder the base branch does not have
    assert names(resolve_sides("main", None)[0]) == []
    wrong = runner.invoke(app, ["diff", "mian", "--lang", "en"])
    assert wrong.exit_code == 2 and "unknown revision 'mian'" in wrong.stderr
    neither = runner.invoke(app, ["diff", "main", "first", "--lang", "en", "--", "nothing/here"])
    assert neither.exit_code == 2 and "exists in neither revision" in neither.stderr


# --- exclude: in govlist.yaml --------------------------------------------------------------------------------------


PROJECT = "govlist: 1\nkind: project\nexclude: [docs/**, mkdocs.yml, '*.ci.yaml', action.yml]\n"


def other_tools_files(root: Path) -> None:
    """YAML files of other tools in a catalog repository."""
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "mkdocs.yml").write_text("site_name: 清单库\nnav: []\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    (root / "catalogs" / "lint.ci.yaml").write_text("stages: [test]\n", encoding="utf-8")
    (root / "action.yml").write_text("name: a\nruns: {using: node20, main: x.js}\n", encoding="utf-8")


def test_validate_skips_the_excluded_files(repo):
    other_tools_files(repo)
    (repo / "catalogs" / "d.yaml").write_text(duty("2024", ["低保申请受理"]), encoding="utf-8")
    runner = CliRunner()
    unexcluded = runner.invoke(app, ["validate", ".", "--lang", "en"])
    assert unexcluded.exit_code == 1 and "docs/mkdocs.yml" in unexcluded.stdout
    assert "exclude: in govlist.yaml" in unexcluded.stdout  # the way out, in the message of a file that is no catalog
    assert "exclude:" in runner.invoke(app, ["validate", "mkdocs.yml"]).stdout  # and in Chinese
    (repo / "govlist.yaml").write_text(PROJECT, encoding="utf-8")
    result = runner.invoke(app, ["validate", ".", "--lang", "en", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert __import__("json").loads(result.stdout)["summary"]["files"] == 1
    named = runner.invoke(app, ["validate", "action.yml", "--lang", "en"])  # a file named is still checked
    assert named.exit_code == 1 and "action.yml" in named.stdout and "schema.kind" in named.stdout
    assert runner.invoke(app, ["stats", "."]).exit_code == 0
    nothing = runner.invoke(app, ["validate", "docs", "--lang", "en"])  # a folder excluded as a whole: says why
    assert nothing.exit_code == 2 and "exclude: in govlist.yaml" in nothing.stderr


def test_diff_sides_skip_the_excluded_files(repo):
    (repo / "govlist.yaml").write_text(PROJECT, encoding="utf-8")
    other_tools_files(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "docs")
    old, new = resolve_sides("HEAD", None)  # a revision and the working tree
    assert names(old) == ["HEAD:catalogs/d.yaml"] and names(new) == ["catalogs/d.yaml"]
    old, new = resolve_sides("HEAD", ".")  # a folder
    assert names(new) == ["catalogs/d.yaml"]
    old, _ = resolve_sides("HEAD:mkdocs.yml", "mkdocs.yml")  # a file named
    assert names(old) == ["HEAD:mkdocs.yml"]
    result = CliRunner().invoke(app, ["diff", "HEAD", "--lang", "en"])
    assert result.exit_code == 0 and "schema.kind" not in result.output, result.output


def test_the_pre_commit_hook_leaves_the_excluded_files_out(repo):
    """The hook runs `validate --set .` with every changed YAML file: there, exclude: applies to the files named."""
    (repo / "govlist.yaml").write_text(PROJECT, encoding="utf-8")
    other_tools_files(repo)
    runner = CliRunner()
    only = runner.invoke(app, ["validate", "--set", ".", "mkdocs.yml", "docs/mkdocs.yml", "--lang", "en"])
    assert only.exit_code == 0 and "schema.kind" not in only.stdout, only.output
    both = runner.invoke(app, ["validate", "--set", ".", "mkdocs.yml", "catalogs/d.yaml", "--lang", "en", "--format", "json"])
    assert __import__("json").loads(both.stdout)["summary"]["files"] == 1 and "mkdocs" not in both.stdout, both.output


# --- discover ------------------------------------------------------------------------------------------------------


def test_a_file_reached_twice_is_listed_once_under_its_first_name(tmp_path, monkeypatch):
    """A folder given twice (once through a link to it), a file of it named, a link to a file beside it: each file
    is listed once, under the name it was first reached by; a dangling link is a file of its own (validate reports
    it under its name). Names are shown relative to the working folder when inside it, else as given."""
    import os

    from govlist.sources import discover, display_path, display_paths

    lists = tmp_path / "work" / "lists"
    (lists / "sub").mkdir(parents=True)
    for name in ("a.yaml", "sub/b.yaml"):
        (lists / name).write_text(duty("2024", ["低保申请受理"]), encoding="utf-8")
    try:
        os.symlink(lists, tmp_path / "work" / "linked", target_is_directory=True)
        os.symlink("a.yaml", lists / "also-a.yaml")
        os.symlink("nowhere.yaml", lists / "dangling.yaml")
    except (OSError, NotImplementedError):
        pytest.skip("no symbolic links here")
    monkeypatch.chdir(tmp_path / "work")
    found = discover([Path("lists"), Path("linked"), Path("linked/sub/b.yaml")])
    assert [display_path(p) for p in found] == ["lists/a.yaml", "lists/dangling.yaml", "lists/sub/b.yaml"]
    given = [*found, Path("lists/./sub/../a.yaml"), Path("linked/a.yaml"), tmp_path / "elsewhere.yaml", Path("../x.yaml")]
    assert display_paths(given) == [display_path(p) for p in given] == [*map(display_path, found), "lists/a.yaml", "linked/a.yaml", (tmp_path / "elsewhere.yaml").as_posix(), "../x.yaml"]
    monkeypatch.chdir(lists / "sub")
    assert [display_path(p) for p in discover([Path("..")])] == [(lists / "a.yaml").as_posix(), (lists / "dangling.yaml").as_posix(), "b.yaml"]


def test_names_shown_from_outside_the_working_folder_resolve_each_folder_once(tmp_path, monkeypatch):
    """A file named through a link to the working folder is shown relative to it; the files of a folder outside it
    are shown as given, their folder's links resolved once for all of them, not once a file (a set of thousands of
    files validated from elsewhere)."""
    import os

    from govlist import sources

    work, outside = tmp_path / "work", tmp_path / "outside"
    work.mkdir()
    outside.mkdir()
    try:
        os.symlink(work, tmp_path / "link", target_is_directory=True)
    except (OSError, NotImplementedError):
        pytest.skip("no symbolic links here")
    monkeypatch.chdir(work)
    sources._resolved.cache_clear()
    resolved: list[Path] = []
    real_resolve = Path.resolve
    monkeypatch.setattr(Path, "resolve", lambda self, *a, **k: resolved.append(self) or real_resolve(self, *a, **k))
    given = [tmp_path / "link" / "a.yaml", *(outside / f"{n}.yaml" for n in range(50))]
    assert sources.display_paths(given) == ["a.yaml", *((outside / f"{n}.yaml").as_posix() for n in range(50))]
    assert len(resolved) <= 3  # the link's folder, the outside folder, the working folder
