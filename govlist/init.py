"""`govlist init`: a ready catalog repository — project file, registry, a sample list, the JSON schemas, a pre-commit
configuration and CI definitions for GitHub Actions and GitLab CI. The core: it never prints.

The templates are package data under govlist/templates/init/; a name starting with `dot-` is written with a leading
dot (so the packaged templates are not hidden files). Placeholders are `{{ name }}` for a handful of known keys only,
so that GitHub's own `${{ … }}` expressions pass through untouched. Every YAML file written carries a
`# yaml-language-server: $schema=…` line: relative paths into DIR/schemas/ for govlist's kinds (they work offline),
the schemastore / GitLab schemas for the CI and pre-commit files.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .output import write_file
from .model import Text, os_reason
from .schema import schema_dir
from .result import UsageError

TEMPLATES = Path(__file__).parent / "templates" / "init"

_PLACEHOLDER = re.compile(r"\{\{ (name|region|effective|pip_spec|lang|hook_repo) \}\}")

LOCAL_HOOK = """\
  # govlist 已安装在本机（pip install govlist）时的本地钩子；也可改用 govlist 仓库自带的钩子：
  # a local hook using the installed govlist; or use the hook govlist's repository ships:
  #   - repo: https://…/govlist
  #     rev: v{version}
  #     hooks:
  #       - id: govlist-validate
  - repo: local
    hooks:
      - id: govlist-validate
        name: govlist validate
        entry: govlist validate --set .
        language: system
        files: (?i)\\.ya?ml$
        exclude: (^|/)\\.
        require_serial: true
"""

REMOTE_HOOK = """\
  - repo: {repo}
    rev: {rev}
    hooks:
      - id: govlist-validate
"""


@dataclass(frozen=True)
class PipSpec:
    """What the generated CI passes to `pip install`, and why a person should look at it (None: it is fine)."""

    spec: str
    warning: Text | None = None


def pip_spec_from(version: str, direct_url: dict | None) -> PipSpec:
    """The pip spec that installs this govlist again, from its PEP 610 record (direct_url.json; None: from an index).

    An index release is pinned; a VCS install is pinned to its commit; a wheel, sdist or folder on this machine
    (a file: URL) gives a spec that works here only, which the warning says, naming --pip-spec."""
    if direct_url is None:
        return PipSpec(f"govlist=={version}")
    url = str(direct_url.get("url", ""))
    if "vcs_info" in direct_url:
        vcs = direct_url["vcs_info"]
        commit = vcs.get("commit_id") or vcs.get("requested_revision")
        return PipSpec(f"govlist @ {vcs.get('vcs', 'git')}+{url}" + (f"@{commit}" if commit else ""))
    if url.startswith("file:"):
        return PipSpec(
            f"govlist @ {url}",
            Text(
                f"这个 govlist 是从本机的 {url} 安装的，CI 中的 pip install 只在本机可用。请把 govlist 发布到软件包索引或 git 仓库，"
                f"再用 --pip-spec 指定，例如 --pip-spec 'govlist=={version}' 或 --pip-spec 'govlist @ git+https://…/govlist@v{version}'",
                f"this govlist was installed from {url} on this machine, so the CI files' pip install works here only. Publish govlist "
                f"to a package index or a git host and pass --pip-spec, e.g. --pip-spec 'govlist=={version}' or --pip-spec 'govlist @ git+https://…/govlist@v{version}'",
            ),
        )
    archive = direct_url.get("archive_info") or {}
    digest = archive.get("hashes", {}).get("sha256") or (archive.get("hash", "").partition("=")[2] if archive.get("hash", "").startswith("sha256=") else "")
    return PipSpec(f"govlist @ {url}" + (f"#sha256={digest}" if digest and "#" not in url else ""))


def running_pip_spec() -> PipSpec:
    """The pip spec for the govlist that is running: how it was installed (PEP 610), or a loud guess when unknown."""
    from importlib import metadata

    try:
        dist = metadata.distribution("govlist")
    except metadata.PackageNotFoundError:
        dist = None
    if dist is None or dist.version != __version__:  # running from a source tree, not an installed govlist
        return PipSpec(
            f"govlist=={__version__}",
            Text(
                f"无法确定这个 govlist 是如何安装的（它不是由 pip 安装的），CI 文件中写的是 pip install \"govlist=={__version__}\"，请确认该版本在你使用的软件包索引上，或用 --pip-spec 指定 CI 安装 govlist 的方式",
                f"cannot tell how this govlist was installed (pip did not install it); the CI files say pip install \"govlist=={__version__}\". Check that this release is on your package index, or pass --pip-spec to say how CI installs govlist",
            ),
        )
    try:
        text = dist.read_text("direct_url.json")
        record = json.loads(text) if text else None
    except (OSError, ValueError):
        record = None
    return pip_spec_from(dist.version, record if isinstance(record, dict) else None)


@dataclass(frozen=True)
class InitOptions:
    name: str = "清单库"
    region: str = "示例区"
    lang: str = "zh"
    pip_spec: str = f"govlist=={__version__}"
    hook_repo: str | None = None  # a git URL of govlist: use its .pre-commit-hooks.yaml instead of a local hook
    hook_rev: str = f"v{__version__}"
    force: bool = False
    git: bool = True  # run `git init` when DIR is not a git work tree yet


def template_files() -> list[tuple[Path, str]]:
    """(template path, path relative to the new repository) for every template, in a stable order."""
    found = []
    for path in sorted(TEMPLATES.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            rel = path.relative_to(TEMPLATES).as_posix()
            target = "/".join("." + part[4:] if part.startswith("dot-") else part for part in rel.split("/"))
            found.append((path, target))
    return found


def _render(text: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def _yaml_scalar(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def planned_files(options: InitOptions, today: _dt.date | None = None) -> dict[str, bytes]:
    """{relative path: content} of everything `init` writes."""
    today = today or _dt.date.today()
    if options.hook_repo:
        hook = REMOTE_HOOK.format(repo=options.hook_repo, rev=options.hook_rev)
    else:
        hook = LOCAL_HOOK.format(version=__version__)
    values = {
        "name": _yaml_scalar(options.name),
        "region": _yaml_scalar(options.region),
        "effective": f"{today.year}-01-01",
        "pip_spec": options.pip_spec.replace('"', ""),
        "lang": options.lang,
        "hook_repo": hook.rstrip("\n"),
    }
    files: dict[str, bytes] = {}
    for path, target in template_files():
        files[target] = _render(path.read_text(encoding="utf-8"), values).encode("utf-8")
    for schema in sorted(schema_dir().glob("*.schema.json")):
        files[f"schemas/{schema.name}"] = schema.read_bytes()
    return files


def init_repository(directory: Path, options: InitOptions = InitOptions(), today: _dt.date | None = None) -> list[str]:
    """Write the catalog repository into `directory` (created if missing); the relative paths written, in order.

    Refuses (UsageError, nothing written) when any target exists, unless `options.force`."""
    if directory.exists() and not directory.is_dir():
        raise UsageError(Text(f"{directory} 不是目录", f"{directory} is not a folder"))
    files = planned_files(options, today)
    if not options.force:
        existing = [rel for rel in files if (directory / rel).exists()]
        if existing:
            shown = "、".join(existing[:5]) + ("……" if len(existing) > 5 else "")
            shown_en = ", ".join(existing[:5]) + (", …" if len(existing) > 5 else "")
            raise UsageError(Text(f"{directory} 中已有这些文件：{shown}；加 --force 覆盖", f"{directory} already has: {shown_en}; add --force to overwrite"))
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = os_reason(exc, directory)
        raise UsageError(Text(f"无法创建目录 {directory}：{reason.zh}", f"cannot create the folder {directory}: {reason.en}")) from None
    for rel, data in files.items():
        write_file(directory / rel, data)
    if options.git and not _in_git_work_tree(directory) and shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(directory)], check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return list(files)


def _in_git_work_tree(directory: Path) -> bool:
    if not shutil.which("git"):
        return False
    done = subprocess.run(["git", "-C", str(directory), "rev-parse", "--is-inside-work-tree"], capture_output=True, text=True, check=False)
    return done.returncode == 0 and done.stdout.strip() == "true"
