"""Where catalog files come from: the YAML files under paths (`discover`), and the two sides of a diff — a file, a
folder, or a git revision (`REV`, `REV:path`).

Git is read through the repository's real `git` (subprocess, argument lists, never a shell): `rev-parse` to check
the repository and the revision, `ls-tree` to list the files, `cat-file --batch` to read them. Nothing here prints;
usage problems raise `UsageError` with a message in Chinese and English.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .display import safe_name
from .loader import LoadError, read_file
from .model import Text
from .project import PROJECT_FILE
from .result import UsageError

YAML_SUFFIXES = (".yaml", ".yml")


def display_path(path: Path) -> str:
    """The path as a user should read it: relative to the working folder when inside it, with forward slashes.
    A symbolic link keeps its own name (a finding about a dangling link names the link, not its target); bytes that
    are not UTF-8 are shown as \\xNN (display.safe_name), so every report format can hold the name."""
    cwd = Path.cwd()
    for candidate, base in ((lambda: Path(os.path.abspath(path)), lambda: cwd), (path.resolve, lambda: _resolved(str(cwd)))):
        try:
            return safe_name(candidate().relative_to(base()).as_posix())
        except (ValueError, OSError):
            continue
    return safe_name(path.as_posix())


@functools.lru_cache(maxsize=8)
def _resolved(folder: str) -> Path:
    """The working folder with its links resolved, once for the thousands of files shown from outside it."""
    return Path(folder).resolve()


def discover(paths: list[Path]) -> list[Path]:
    """The YAML files under the given paths, in a stable order; hidden folders and files (.gitlab-ci.yml, the
    baseline) are skipped unless named. A file reached twice (through a link) is listed once, under the first name."""
    found: list[Path] = []
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(Text(f"路径不存在：{path}", f"no such file or folder: {path}"))
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(Path(root) / f for f in sorted(files) if f.lower().endswith(YAML_SUFFIXES) and not f.startswith("."))
        else:
            found.append(path)
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), Path(os.path.abspath(path)))
    return sorted(unique.values(), key=lambda p: display_path(p))


@dataclass(frozen=True)
class SourceFile:
    """One file of a side: how to show it, and its bytes."""

    display: str
    raw: bytes
    problem: LoadError | None = None  # why the bytes could not be read (then `raw` is empty)


@dataclass
class Side:
    """One side of a diff: a label for the reader, its files, and a folder to look for govlist.yaml from."""

    label: str
    files: list[SourceFile] = field(default_factory=list)
    anchor: Path | None = None
    revision: str | None = None


def _is_catalog_name(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return path.lower().endswith(YAML_SUFFIXES) and not any(p.startswith(".") and p not in (".", "..") for p in parts) and parts[-1] != PROJECT_FILE


# --- git ------------------------------------------------------------------------------------------------------------


class Git:
    """The git repository around a folder, or a clear error when there is none."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        if shutil.which("git") is None:
            raise UsageError(Text("找不到 git 命令：按版本比较需要安装 git", "git not found: comparing revisions needs git installed"))
        result = self.run("rev-parse", "--show-prefix", check=False)
        if result.returncode != 0:
            raise UsageError(Text(f"{cwd} 不在 git 仓库中：不能按版本（如 HEAD~1）比较，请给出文件或目录", f"{cwd} is not inside a git repository: cannot compare revisions (such as HEAD~1); give files or folders"))
        self.prefix = result.stdout.decode("utf-8", "replace").strip()

    def run(self, *args: str, input: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess:
        env = dict(os.environ, GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
        result = subprocess.run(["git", *args], cwd=self.cwd, input=input, capture_output=True, env=env)
        if check and result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip().splitlines()
            detail = message[-1] if message else f"exit {result.returncode}"
            raise UsageError(Text(f"git {args[0]} 失败：{detail}", f"git {args[0]} failed: {detail}"))
        return result

    def commit(self, rev: str) -> str:
        if not rev or rev.startswith("-"):
            raise UsageError(Text(f"无效的版本“{rev}”", f"invalid revision '{rev}'"))
        result = self.run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", check=False)
        if result.returncode != 0:
            raise UsageError(Text(f"git 仓库中没有版本“{rev}”（分支、标签或提交）", f"unknown revision '{rev}': no such branch, tag or commit in the git repository"))
        return result.stdout.decode().strip()

    def repo_path(self, path: str, explicit: bool) -> str:
        """A path as git names it inside a tree: `REV:path` is from the top (git's rule) unless it starts with ./ or ../"""
        if explicit and not path.startswith(("./", "../")) and path not in (".", ".."):
            joined = path
        else:
            joined = os.path.normpath(os.path.join(self.prefix, path)).replace(os.sep, "/")
        joined = joined.strip("/")
        if joined in ("", "."):
            return ""
        if joined.startswith(".."):
            raise UsageError(Text(f"路径在 git 仓库之外：{path}", f"path outside the git repository: {path}"))
        return joined

    def files(self, rev: str, paths: list[str], explicit: bool) -> list[SourceFile]:
        commit = self.commit(rev)
        found: dict[str, str] = {}
        for path in paths or ["."]:
            repo_path = self.repo_path(path, explicit)
            args = ["ls-tree", "-r", "-z", "--full-tree", commit]
            if repo_path:
                args += ["--", repo_path]
            listed = self.run(*args).stdout.decode("utf-8", "surrogateescape").split("\0")
            hits = 0
            for entry in listed:
                if not entry:
                    continue
                meta, _, name = entry.partition("\t")
                mode, kind, oid = meta.split()
                if kind != "blob" or (repo_path and name != repo_path and not name.startswith(repo_path + "/")):
                    continue
                hits += 1
                if name == repo_path or _is_catalog_name(name[len(repo_path) + 1 :] if repo_path else name):
                    found.setdefault(name, oid)
            if not hits:
                raise UsageError(Text(f"版本“{rev}”中没有路径“{path}”", f"path '{path}' does not exist in revision '{rev}'"))
        names = sorted(found)
        if not names:
            return []
        batch = self.run("cat-file", "--batch", input="".join(found[n] + "\n" for n in names).encode()).stdout
        out: list[SourceFile] = []
        pos = 0
        for name in names:
            header_end = batch.index(b"\n", pos)
            size = int(batch[pos:header_end].split()[2])
            start = header_end + 1
            out.append(SourceFile(safe_name(f"{rev}:{name}"), batch[start : start + size]))
            pos = start + size + 1
        return out


# --- sides ----------------------------------------------------------------------------------------------------------


def _disk_side(paths: list[str], cwd: Path | None = None) -> Side:
    files = discover([Path(p) if cwd is None or Path(p).is_absolute() else cwd / p for p in paths])
    out = []
    for path in files:
        shown = display_path(path)
        if path.name == PROJECT_FILE:
            continue
        try:
            out.append(SourceFile(shown, read_file(path)))
        except LoadError as exc:  # a device, a FIFO, too large: a finding of that side, the other files still compared
            out.append(SourceFile(shown, b"", exc))
    label = " ".join(paths)
    return Side(label, out, (Path(paths[0]) if cwd is None else cwd / paths[0]).resolve())


def _looks_like_rev_path(spec: str) -> bool:
    head, sep, _ = spec.partition(":")
    return bool(sep) and bool(head) and not (len(head) == 1 and head.isalpha() and os.name == "nt")


def resolve_sides(old: str, new: str | None, paths: list[str] | None = None, cwd: Path | None = None) -> tuple[Side, Side]:
    """The two sides of `govlist diff OLD [NEW] [-- PATHS]`.

    - an existing file or folder is read from disk;
    - `REV:path` is that path in a git revision (from the repository top, or relative with ./);
    - a bare `REV` stands for the same paths in that revision: the PATHS given, else the other side's path, else the
      current folder; with NEW missing, the other side is the working tree.
    """
    cwd = cwd or Path.cwd()
    paths = list(paths or [])
    git: Git | None = None

    def repo() -> Git:
        nonlocal git
        if git is None:
            git = Git(cwd)
        return git

    def kind(spec: str) -> str:
        if paths:  # `diff A B -- paths`: A and B are revisions (or REV:path)
            return "revpath" if _looks_like_rev_path(spec) else "rev"
        if (cwd / spec).exists():
            return "path"
        if _looks_like_rev_path(spec):
            return "revpath"
        return "rev"

    def rev_side(spec: str, scope: list[str]) -> Side:
        files = repo().files(spec, scope, explicit=False)
        return Side(f"{spec}" + (f" -- {' '.join(scope)}" if scope and scope != ["."] else ""), files, cwd, spec)

    def revpath_side(spec: str) -> Side:
        rev, _, path = spec.partition(":")
        files = repo().files(rev, [path or "."], explicit=True)
        return Side(spec, files, cwd, rev)

    old_kind = kind(old)
    if new is None:
        scope = paths or ["."]
        if old_kind == "path":
            raise UsageError(Text("只给了一个文件或目录：请给出两边，或给一个 git 版本与工作区比较", "only one file or folder given: give both sides, or a git revision to compare with the working tree"))
        old_side = revpath_side(old) if old_kind == "revpath" else rev_side(old, scope)
        if old_kind == "revpath":
            rel = old.partition(":")[2]
            top = Path(repo().run("rev-parse", "--show-toplevel").stdout.decode().strip())
            target = (top / rel) if not rel.startswith(("./", "../")) else (cwd / rel)
            if not target.exists():
                raise UsageError(Text(f"工作区中没有路径“{rel}”", f"path '{rel}' does not exist in the working tree"))
            return old_side, _disk_side([os.path.relpath(target, cwd)], cwd)
        for p in scope:
            if not (cwd / p).exists():
                raise UsageError(Text(f"路径不存在：{p}", f"no such file or folder: {p}"))
        return old_side, _disk_side(scope, cwd)
    new_kind = kind(new)
    sides = []
    for spec, spec_kind, other, other_kind in ((old, old_kind, new, new_kind), (new, new_kind, old, old_kind)):
        if spec_kind == "path":
            sides.append(_disk_side([spec], cwd))
        elif spec_kind == "revpath":
            sides.append(revpath_side(spec))
        else:
            scope = paths or ([other] if other_kind == "path" else ["."])
            sides.append(rev_side(spec, scope))
    return sides[0], sides[1]
