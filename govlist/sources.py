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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pathspec import GitIgnoreSpec

from .display import safe_name
from .loader import LoadError, load_file, read_file
from .model import Text
from .project import PROJECT_FILE, find_project_file
from .result import UsageError

YAML_SUFFIXES = (".yaml", ".yml")


def display_path(path: Path) -> str:
    """The path as a user should read it: relative to the working folder when inside it, with forward slashes.
    A symbolic link keeps its own name (a finding about a dangling link names the link, not its target); bytes that
    are not UTF-8 are shown as \\xNN (display.safe_name), so every report format can hold the name."""
    return _display(os.getcwd(), path)


def display_paths(paths: list[Path]) -> list[str]:
    """display_path of each, the working folder looked up once (a set has thousands of files)."""
    here = os.getcwd()
    return [_display(here, path) for path in paths]


def _display(here: str, path: Path | str) -> str:
    absolute = os.path.normpath(os.path.join(here, path))  # as os.path.abspath, without asking for the working folder again
    shown = _inside(here, absolute)
    if shown is None:  # the working folder or the file's folder reached through a link: resolved folder by folder,
        folder, name = os.path.split(absolute)  # so that thousands of files shown from outside resolve a few folders
        try:
            shown = _inside(str(_resolved(here)), os.path.join(str(_resolved(folder)), name))
        except (OSError, RuntimeError):  # a folder that cannot be resolved (a loop of links): shown as given
            pass
    return safe_name(shown if shown is not None else Path(path).as_posix())


def _inside(folder: str, absolute: str) -> str | None:
    """`absolute` relative to `folder`, with forward slashes, when inside it (case aside where the OS ignores it)."""
    inside = folder if folder.endswith(os.sep) else folder + os.sep
    folded = os.path.normcase(inside)
    if len(absolute) > len(inside) and len(folded) == len(inside) and os.path.normcase(absolute).startswith(folded):
        return absolute[len(inside) :].replace(os.sep, "/")
    return None  # (also where folding the case changed the folder's length: shown as given rather than cut wrong)


@functools.lru_cache(maxsize=4096)
def _resolved(folder: str) -> Path:
    """A folder with its links resolved (the working folder, a file's folder), once for the thousands of files
    shown from outside the working folder."""
    return Path(folder).resolve()


class Exclusions:
    """The `exclude:` patterns of a project file (gitignore's rules, relative to the project's folder): files found by
    walking a folder that are not catalogs (mkdocs.yml, docs/**, a GitHub action.yml)."""

    def __init__(self, folder: Path, patterns: list[str]) -> None:
        self.folder = Path(os.path.abspath(folder))
        self.spec = GitIgnoreSpec.from_lines(patterns)

    @classmethod
    def of(cls, project_file: Path | None) -> Exclusions | None:
        """The exclusions of a project file, None when it sets none. Read on its own, before the project is loaded: a
        file that cannot be read or whose `exclude:` is not a list of strings excludes nothing (validate reports it)."""
        if project_file is None or not project_file.is_file():
            return None
        try:
            data = load_file(project_file).data
        except LoadError:
            return None
        patterns = data.get("exclude") if isinstance(data, dict) else None
        if not isinstance(patterns, list) or not patterns or not all(isinstance(p, str) for p in patterns):
            return None
        return cls(project_file.parent, patterns)

    def relative(self, path: Path) -> str | None:
        """`path` relative to the project's folder (forward slashes), None when outside it."""
        try:
            return Path(os.path.abspath(path)).relative_to(self.folder).as_posix()
        except ValueError:
            return None

    def excludes(self, relative: str, folder: bool = False) -> bool:
        """Whether a path relative to the project's folder is excluded (a folder: everything under it)."""
        return bool(relative) and relative != "." and self.spec.match_file(relative + ("/" if folder else ""))


def discover(paths: list[Path], config: Path | None = None) -> list[Path]:
    """The YAML files under the given paths, in a stable order; hidden folders and files (.gitlab-ci.yml, the
    baseline) are skipped unless named, and so are the files the project's `exclude:` patterns match (the project
    file `config`, else the nearest govlist.yaml of each folder walked). A file named is always listed. A file
    reached twice (through a link) is listed once, under the first name."""
    here = os.getcwd()
    found: list[tuple[str, bool]] = []  # each file's absolute name, and whether it was found by walking a folder
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise UsageError(Text(f"路径不存在：{path}", f"no such file or folder: {path}"))
        if path.is_dir():
            exclusions = Exclusions.of(config if config is not None else find_project_file(path))
            for root, dirs, files in os.walk(os.path.normpath(os.path.join(here, path))):  # absolute: no lookup per file
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _excluded(exclusions, Path(root) / d, True))
                names = [os.path.join(root, f) for f in sorted(files) if f.lower().endswith(YAML_SUFFIXES) and not f.startswith(".")]
                found.extend((name, True) for name in names if exclusions is None or not _excluded(exclusions, Path(name)))
        else:
            found.append((os.path.normpath(os.path.join(here, path)), False))
    unique: dict[str, str] = {}
    folders: dict[str, str] = {}  # each folder's real path, found once for its files
    for name, walked in found:
        unique.setdefault(os.path.normcase(_real(name, folders) if walked else str(Path(name).resolve())), name)
    shown = {name: _display(here, name) for name in unique.values()}
    return [Path(name) for name in sorted(shown, key=shown.__getitem__)]


def _real(name: str, folders: dict[str, str]) -> str:
    """`str(Path(name).resolve())` of a file found in a folder (by its absolute name): where its folder really is,
    with its own name, unless the file is a link itself; the folder resolved once for all its files (thousands of
    small files: one lstat each, not one for every part of every path)."""
    if os.path.islink(name):
        return str(Path(name).resolve())
    folder, base = os.path.split(name)
    if folder not in folders:
        folders[folder] = os.path.realpath(folder)
    return os.path.join(folders[folder], base)


def excluded_by_project(path: Path, config: Path | None = None) -> bool:
    """Whether the project's `exclude:` patterns (the project file `config`, else the nearest govlist.yaml) match a
    file: for the files the pre-commit hook names (`validate --set`), which are every changed YAML file."""
    return _excluded(Exclusions.of(config if config is not None else find_project_file(path)), path)


def _excluded(exclusions: Exclusions | None, path: Path, folder: bool = False) -> bool:
    if exclusions is None:
        return False
    relative = exclusions.relative(path)
    return relative is not None and exclusions.excludes(relative, folder)


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

    def files(self, rev: str, paths: list[str], explicit: bool, missing: list[str] | None = None, excluded: Callable[[str], bool] | None = None) -> list[SourceFile]:
        """The catalog files under `paths` in revision `rev`. A path the revision does not have is an error, or, with
        `missing` given, is added to it (the side has no files there: a first pull request into an empty branch).
        `excluded(repo path)`: the project's `exclude:` patterns, not applied to a file named."""
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
                if name == repo_path or (_is_catalog_name(name[len(repo_path) + 1 :] if repo_path else name) and not (excluded and excluded(name))):
                    found.setdefault(name, oid)
            if not hits and missing is not None:
                missing.append(path)
            elif not hits:
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

    def excluded() -> Callable[[str], bool] | None:
        """The `exclude:` patterns of the project the diff is judged by (the working tree's), on repository paths."""
        exclusions = Exclusions.of(find_project_file(cwd))
        if exclusions is None:
            return None
        top = Path(repo().run("rev-parse", "--show-toplevel").stdout.decode("utf-8", "surrogateescape").strip())
        try:
            base = exclusions.folder.resolve().relative_to(top.resolve()).as_posix()
        except (ValueError, OSError):
            return None
        prefix = "" if base == "." else base + "/"
        return lambda name: name.startswith(prefix) and exclusions.excludes(name[len(prefix) :])

    def rev_side(spec: str, scope: list[str], missing: list[str] | None = None) -> Side:
        """A bare revision: the same paths as the other side, where a path it does not have yet is an empty side
        (every list new), unless neither side has it (`missing`, checked by the caller)."""
        files = repo().files(spec, scope, explicit=False, missing=missing if missing is not None else [], excluded=excluded())
        return Side(f"{spec}" + (f" -- {' '.join(scope)}" if scope and scope != ["."] else ""), files, cwd, spec)

    def revpath_side(spec: str) -> Side:
        rev, _, path = spec.partition(":")
        files = repo().files(rev, [path or "."], explicit=True, excluded=excluded())
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
    missing: dict[str, list[str]] = {}
    for spec, spec_kind, other, other_kind in ((old, old_kind, new, new_kind), (new, new_kind, old, old_kind)):
        if spec_kind == "path":
            sides.append(_disk_side([spec], cwd))
        elif spec_kind == "revpath":
            sides.append(revpath_side(spec))
        else:
            scope = paths or ([other] if other_kind == "path" else ["."])
            sides.append(rev_side(spec, scope, missing.setdefault(spec, [])))
    if old_kind == new_kind == "rev":  # a path is new in one revision, or gone from it; in neither, it is a mistake
        neither = sorted(set(missing.get(old, [])) & set(missing.get(new, [])))
        if neither:
            path = neither[0]
            raise UsageError(Text(f"版本“{old}”和“{new}”中都没有路径“{path}”", f"path '{path}' exists in neither revision '{old}' nor '{new}'"))
    return sides[0], sides[1]
