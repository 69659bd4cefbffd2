"""The CI and adoption kit: `govlist init`, the pre-commit hook (run through the real pre-commit package and a real
`git commit`), the generated CI definitions, the diff summary a pull request would get, `govlist doctor`."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
import yaml
from typer.testing import CliRunner

from govlist.cli import app
from govlist.display import columns
from govlist.init import InitOptions, init_repository, pip_spec_from, planned_files

from conftest import REPO

runner = CliRunner()
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _env(tmp_path: Path) -> dict:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(REPO) + os.pathsep + env.get("PYTHONPATH", ""),
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-cache"),
        GIT_AUTHOR_NAME="测试",
        GIT_AUTHOR_EMAIL="test@example.org",
        GIT_COMMITTER_NAME="测试",
        GIT_COMMITTER_EMAIL="test@example.org",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
    )
    env.pop("GOVLIST_TODAY", None)
    return env


def _run(args: list[str], cwd: Path, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=300)
    if check and done.returncode != 0:
        raise AssertionError(f"{args} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def _govlist(*args: str, cwd: Path, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    return _run([sys.executable, "-m", "govlist.cli", *args], cwd, env, check)


# --- init ------------------------------------------------------------------------------------------------------------


def test_init_writes_a_valid_catalog_repository(tmp_path, monkeypatch):
    target = tmp_path / "repo"
    result = runner.invoke(app, ["init", str(target), "--name", "古美清单库", "--no-git", "--lang", "en"])
    assert result.exit_code == 0, result.output
    for rel in ("govlist.yaml", "catalogs/registry.yaml", "catalogs/street-duty.yaml", ".pre-commit-config.yaml", ".github/workflows/govlist.yml", ".gitlab-ci.yml", "schemas/duty.schema.json", "schemas/project.schema.json"):
        assert (target / rel).is_file(), rel
    assert "created the catalog repository" in result.output
    for path in target.rglob("*.y*ml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{path} has no $schema line"
        ref = match.group(1)
        if not ref.startswith("https://"):
            assert (path.parent / ref).is_file(), f"{path}: {ref} does not exist (relative schemas work offline)"
    assert 'name: "古美清单库"' in (target / "govlist.yaml").read_text(encoding="utf-8")
    monkeypatch.chdir(target)
    check = runner.invoke(app, ["validate", ".", "--lang", "en"])
    assert check.exit_code == 0, check.output
    assert "checked 2 files: 0 errors" in check.output  # hidden files (.gitlab-ci.yml, …) are not catalogs


def test_init_says_the_next_steps_one_command_a_line(tmp_path):
    """A clerk's Windows PowerShell 5 has no `&&`: the next steps are one command a line, a folder with a space quoted."""
    target = tmp_path / "古美 清单库"
    result = runner.invoke(app, ["init", str(target), "--no-git", "--pip-spec", "govlist==0.1.0"])
    assert result.exit_code == 0, result.output
    assert "&&" not in result.output
    assert f'下一步（每行一条命令）：\n  cd "{target}"\n  govlist validate .\n  pip install pre-commit\n  pre-commit install\n' in result.output


def test_init_refuses_to_overwrite_unless_forced(tmp_path):
    target = tmp_path / "repo"
    (target / "catalogs").mkdir(parents=True)
    (target / "catalogs" / "street-duty.yaml").write_text("mine\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(target), "--no-git", "--lang", "en"])
    assert result.exit_code == 2
    assert "already has: catalogs/street-duty.yaml" in result.output and "--force" in result.output
    assert (target / "catalogs" / "street-duty.yaml").read_text(encoding="utf-8") == "mine\n"
    assert not (target / "govlist.yaml").exists(), "nothing is written when refusing"
    forced = runner.invoke(app, ["init", str(target), "--no-git", "--force"])
    assert forced.exit_code == 0, forced.output
    assert "kind: duty" in (target / "catalogs" / "street-duty.yaml").read_text(encoding="utf-8")


def test_init_where_no_folder_can_be_made_is_a_usage_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["init", str(blocker / "repo"), "--no-git", "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert "cannot create the folder" in result.output and "Traceback" not in result.output


def test_init_can_use_the_hook_of_govlists_repository(tmp_path):
    files = planned_files(InitOptions(hook_repo="https://git.example.org/govlist.git", hook_rev="v9.9"))
    config = yaml.safe_load(files[".pre-commit-config.yaml"])
    assert config["repos"] == [{"repo": "https://git.example.org/govlist.git", "rev": "v9.9", "hooks": [{"id": "govlist-validate"}]}]
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["govlist-validate"]


# --- the generated CI files run only commands that exist --------------------------------------------------------------


def _govlist_commands(files: dict[str, bytes]) -> list[list[str]]:
    """Every `govlist …` command line in the CI and pre-commit files (shell words, up to a redirection)."""
    commands = []
    for rel in (".github/workflows/govlist.yml", ".gitlab-ci.yml", ".pre-commit-config.yaml"):
        lines: list[str] = []

        def walk(node):
            if isinstance(node, dict):
                for key, value in node.items():
                    if key == "entry" and isinstance(value, str):
                        lines.append(value + " catalogs/street-duty.yaml")  # pre-commit appends the changed files
                    elif key in ("run", "script", "before_script") and isinstance(value, str):
                        lines.extend(value.splitlines())
                    elif key in ("script", "before_script") and isinstance(value, list):
                        lines.extend(v for v in value if isinstance(v, str))
                    else:
                        walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(yaml.safe_load(files[rel]))
        for line in lines:
            words = shlex.split(line)
            if words and words[0] == "govlist":
                cut = next((i for i, w in enumerate(words) if w.startswith(">")), len(words))
                commands.append(words[:cut])
    return commands


def test_ci_templates_are_yaml_and_use_only_existing_commands_and_options():
    files = planned_files(InitOptions())
    workflow = yaml.safe_load(files[".github/workflows/govlist.yml"])
    steps = workflow["jobs"]["govlist"]["steps"]
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif") for s in steps)
    gitlab = yaml.safe_load(files[".gitlab-ci.yml"])
    assert gitlab["govlist-validate"]["artifacts"]["reports"]["junit"] == "junit.xml"
    assert gitlab["govlist-diff"]["rules"][0]["if"] == '$CI_PIPELINE_SOURCE == "merge_request_event"'
    commands = _govlist_commands(files)
    used = {c[1] for c in commands}
    assert {"validate", "diff"} <= used
    group = typer.main.get_command(app)
    for words in commands:
        command = group.commands.get(words[1])
        assert command is not None, f"no command govlist {words[1]}"
        options = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
        for word in words[2:]:
            if word.startswith("-"):
                assert word.split("=")[0] in options, f"govlist {words[1]} has no option {word}"
        command.make_context(words[1], list(words[2:]))  # parses and checks every value (a bad --format raises)
    formats = {(c[1], c[c.index("--format") + 1]) for c in commands if "--format" in c}
    assert {("validate", "sarif"), ("validate", "github"), ("validate", "junit"), ("diff", "markdown")} <= formats
    hook = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]
    words = shlex.split(hook["entry"])
    assert words[:2] == ["govlist", "validate"] and hook["pass_filenames"] is True and hook["language"] == "python"
    assert "--set" in {o for p in group.commands["validate"].params for o in p.opts}


def test_shell_completion_is_available():
    result = runner.invoke(app, ["--help"])
    assert "--install-completion" in result.output and "--show-completion" in result.output


# --- the whole flow: init, commit, the hook rejects an error, fix, diff against the base branch ---------------------


@needs_git
def test_pre_commit_hook_rejects_an_error_and_diff_summarises_the_change(tmp_path):
    pytest.importorskip("pre_commit")
    env = _env(tmp_path)
    repo = tmp_path / "catalogs-repo"
    assert init_repository(repo, InitOptions(name="测试清单库"))
    assert (repo / ".git").is_dir(), "init runs git init"
    _run(["git", "symbolic-ref", "HEAD", "refs/heads/main"], repo, env)
    # the generated hook calls an installed `govlist`; the test uses this checkout instead, without network
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = config["repos"][0]["hooks"][0]
    assert hook["entry"] == "govlist validate --set ."
    hook["entry"] = f"{shlex.quote(sys.executable)} -m govlist.cli validate --set ."
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    _run([sys.executable, "-m", "pre_commit", "install"], repo, env)
    _run(["git", "add", "-A"], repo, env)
    _run(["git", "commit", "-q", "-m", "清单库"], repo, env)
    _run([sys.executable, "-m", "pre_commit", "run", "--all-files"], repo, env)

    # a change on a branch: one item added, but the declared totals not updated
    _run(["git", "checkout", "-q", "-b", "adjust"], repo, env)
    duty = repo / "catalogs" / "street-duty.yaml"
    good = duty.read_text(encoding="utf-8")
    added = good + ('      - code: "SL-JD-01-003"\n        seq: 3\n        name: 群租整治巡查\n        content: 对辖区群租问题开展日常巡查，发现后登记并报告执法部门依法处置。\n        jurisdiction: 块属块管\n        responsible: 示例街道平安办\n')
    duty.write_text(added, encoding="utf-8")
    _run(["git", "add", "-A"], repo, env)
    rejected = _run(["git", "commit", "-q", "-m", "新增群租整治"], repo, env, check=False)
    assert rejected.returncode != 0, "the hook must reject the commit"
    assert "totals.items" in rejected.stdout + rejected.stderr
    assert _run(["git", "rev-list", "--count", "HEAD"], repo, env).stdout.strip() == "1"

    # fix: declare the new totals; the commit goes through
    duty.write_text(added.replace("  items: 2\n", "  items: 3\n").replace("    declared: 2\n", "    declared: 3\n"), encoding="utf-8")
    _run(["git", "add", "-A"], repo, env)
    _run(["git", "commit", "-q", "-m", "新增群租整治"], repo, env)
    assert _run(["git", "rev-list", "--count", "HEAD"], repo, env).stdout.strip() == "2"

    # what the pull-request job posts: the diff against the base branch, as Markdown
    summary = _govlist("diff", "main", "--format", "markdown", "--lang", "zh", cwd=repo, env=env)
    assert "SL-JD-01-003" in summary.stdout and "群租整治巡查" in summary.stdout
    assert "新增" in summary.stdout
    validate = _govlist("validate", ".", "--format", "github", cwd=repo, env=env)
    assert validate.stdout.strip() == "" or "::error" not in validate.stdout


@needs_git
def test_hook_reports_only_the_changed_files_but_resolves_references_over_the_set(tmp_path, monkeypatch):
    repo = tmp_path / "r"
    init_repository(repo, InitOptions(git=False))
    registry = repo / "catalogs" / "registry.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("    type: 街道\n", "    type: 街道道\n"), encoding="utf-8")
    monkeypatch.chdir(repo)
    alone = runner.invoke(app, ["validate", "catalogs/street-duty.yaml", "--set", ".", "--lang", "en"])
    assert alone.exit_code == 0, alone.output
    assert "checked 1 file:" in alone.output
    whole = runner.invoke(app, ["validate", ".", "--lang", "en"])
    assert whole.exit_code == 1 and "registry.yaml" in whole.output


# --- doctor -----------------------------------------------------------------------------------------------------------


def test_doctor_reports_what_is_missing_and_how_to_fix_it(monkeypatch):
    from govlist import doctor

    checks = doctor.run_checks()
    names = [c.name for c in checks]
    assert names[:4] == ["python", "pyyaml", "jsonschema-rs", "git"]
    assert {"cjk-fonts", "typst", "chromium"} <= set(names)
    assert all(not c.required for c in checks if c.name in ("cjk-fonts", "typst", "chromium"))

    real_which = shutil.which
    monkeypatch.setattr(doctor.shutil, "which", lambda name, *a, **k: None if name in ("git", "chromium", "chromium-browser", "google-chrome", "chrome") else real_which(name, *a, **k))
    monkeypatch.setattr(doctor.sys, "platform", "linux")
    monkeypatch.setattr("govlist.fonts.known_cjk", lambda: {})
    result = runner.invoke(app, ["doctor", "--lang", "en"])
    assert result.exit_code == 1
    assert "MISSING" in result.output and "apt-get install git" in result.output
    assert "fonts-noto-cjk" in result.output
    assert "missing required: git" in result.output
    # chromium only runs govlist's own tests: not listed among what publishing needs
    assert "optional (needed for publishing web pages and PDF): cjk-fonts\n" in result.output
    zh = runner.invoke(app, ["doctor", "--lang", "zh"])
    assert "修复：apt-get install git" in zh.output
    # the status column is as wide in Chinese (缺少, 可选: two columns a character) as in English
    names = {"git", "cjk-fonts", "chromium", "python"}
    starts = {columns(line[: line.index(f" {name} ") + 1]) for line in zh.output.splitlines() for name in names if f" {name} " in line and not line.startswith(" ")}
    assert len(starts) == 1, zh.output


def test_doctor_on_windows_says_how_to_fix_it_on_windows(monkeypatch):
    """A clerk's Windows PC has no apt-get and no fontconfig: the fixes are Windows ones, and the fonts Windows ships
    are found the way the PDF engine finds them (typst), not reported missing for want of fc-list."""
    from govlist import doctor

    real_which = shutil.which
    monkeypatch.setattr(doctor.shutil, "which", lambda name, *a, **k: None if name in ("git", "fc-list") else real_which(name, *a, **k))
    monkeypatch.setattr(doctor.sys, "platform", "win32")
    result = runner.invoke(app, ["doctor", "--lang", "zh"])
    assert "修复：winget install --id Git.Git -e（或从 https://git-scm.com 下载安装）" in result.output
    assert "apt-get" not in result.output and "fc-list" not in result.output
    assert any(line.startswith("ok") and " cjk-fonts " in line for line in result.output.splitlines())


# --- the pip spec the CI files install govlist with --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direct_url", "spec", "warns"),
    [
        (None, "govlist==1.2.3", False),
        ({"url": "https://git.example.org/govlist.git", "vcs_info": {"vcs": "git", "commit_id": "abc123", "requested_revision": "v1.2.3"}}, "govlist @ git+https://git.example.org/govlist.git@abc123", False),
        ({"url": "https://files.example.org/govlist-1.2.3-py3-none-any.whl", "archive_info": {"hashes": {"sha256": "ff00"}}}, "govlist @ https://files.example.org/govlist-1.2.3-py3-none-any.whl#sha256=ff00", False),
        ({"url": "file:///home/me/dist/govlist-1.2.3-py3-none-any.whl", "archive_info": {}}, "govlist @ file:///home/me/dist/govlist-1.2.3-py3-none-any.whl", True),
        ({"url": "file:///home/me/govlist", "dir_info": {"editable": True}}, "govlist @ file:///home/me/govlist", True),
    ],
    ids=["index", "vcs", "remote-wheel", "local-wheel", "local-folder"],
)
def test_pip_spec_follows_how_govlist_was_installed(direct_url, spec, warns):
    found = pip_spec_from("1.2.3", direct_url)
    assert found.spec == spec
    assert (found.warning is not None) == warns
    if warns:
        assert "--pip-spec" in found.warning.zh and "--pip-spec" in found.warning.en


def test_init_says_loudly_when_it_cannot_tell_how_govlist_was_installed(tmp_path, monkeypatch):
    from importlib import metadata

    def missing(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "distribution", missing)  # a source tree on PYTHONPATH: pip installed nothing
    result = runner.invoke(app, ["init", str(tmp_path / "repo"), "--no-git", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "WARNING: cannot tell how this govlist was installed" in result.output and "--pip-spec" in result.output
    chosen = runner.invoke(app, ["init", str(tmp_path / "other"), "--no-git", "--lang", "en", "--pip-spec", "govlist @ git+https://git.example.org/govlist@v1"])
    assert chosen.exit_code == 0 and "WARNING" not in chosen.output, chosen.output
    assert 'pip install "govlist @ git+https://git.example.org/govlist@v1"' in (tmp_path / "other/.github/workflows/govlist.yml").read_text(encoding="utf-8")


def _fresh_venv(where: Path) -> Path:
    """A new virtual environment without pip (this environment's pip installs into it with --python) that sees this
    environment's packages, for govlist's dependencies, but not govlist itself."""
    import sysconfig
    import venv

    venv.EnvBuilder(with_pip=False).create(where)
    python = where / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], where, dict(os.environ)).stdout.strip()
    Path(site, "outer-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return python


def _pip_install(python: Path, args: list[str], cwd: Path, env: dict) -> None:
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", *args], cwd, env)


@pytest.mark.parametrize("source", ["wheel", "folder"])
def test_the_generated_ci_installs_govlist_with_its_own_pip_spec(tmp_path, source):
    """Install govlist from a wheel or a folder, run `govlist init` with it, then install govlist in a second fresh
    venv with exactly the spec the generated workflow contains, and validate the new repository with it."""
    env = _env(tmp_path)
    env.pop("PYTHONPATH", None)
    if source == "wheel":
        _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(REPO)], tmp_path, env)
        (target,) = (tmp_path / "dist").glob("govlist-*.whl")
    else:
        target = tmp_path / "govlist-src"
        shutil.copytree(REPO, target, ignore=shutil.ignore_patterns(".*", "__pycache__", "benchmarks", "tests", "examples", "docs"))
    first = _fresh_venv(tmp_path / "venv1")
    _pip_install(first, [str(target)], tmp_path, env)
    init = _run([str(first), "-m", "govlist.cli", "init", str(tmp_path / "repo"), "--no-git", "--lang", "en"], tmp_path, env)
    workflow = yaml.safe_load((tmp_path / "repo" / ".github/workflows/govlist.yml").read_text(encoding="utf-8"))
    (line,) = [s["run"] for s in workflow["jobs"]["govlist"]["steps"] if "pip install" in s.get("run", "")]
    words = shlex.split(line)
    assert words[:2] == ["pip", "install"] and len(words) == 3, line
    spec = words[2]
    assert spec.startswith("govlist @ file:"), spec
    assert f'pip install "{spec}"' in init.stdout
    assert "WARNING" in init.stderr and "--pip-spec" in init.stderr, "a spec that works on this machine only is said loudly"
    gitlab = yaml.safe_load((tmp_path / "repo" / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["default"]["before_script"] == [line]
    second = _fresh_venv(tmp_path / "venv2")
    _pip_install(second, [spec], tmp_path, env)
    where = _run([str(second), "-c", "import govlist; print(govlist.__file__)"], tmp_path, env).stdout.strip()
    assert Path(where).is_relative_to(tmp_path / "venv2"), where
    _run([str(second), "-m", "govlist.cli", "validate", str(tmp_path / "repo")], tmp_path, env)


def test_the_release_workflow_builds_checks_and_publishes_on_a_tag():
    workflow = yaml.safe_load((REPO / ".github/workflows/release.yml").read_text(encoding="utf-8"))
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true
    assert on["push"]["tags"] == ["v*"]
    build = "\n".join(s.get("run", "") for s in workflow["jobs"]["build"]["steps"])
    assert "python -m build" in build and "twine check" in build
    publish = workflow["jobs"]["publish"]
    assert publish["if"] == "github.ref_type == 'tag'" and publish["permissions"] == {"id-token": "write"}
    assert any(s.get("uses", "").startswith("pypa/gh-action-pypi-publish") for s in publish["steps"])
    assert "pip install govlist" in (REPO / "README.md").read_text(encoding="utf-8")
