"""Writing output whole: a file or a folder is made beside its target under a temporary name, flushed to disk, then
renamed over the old one.

A reader never sees half a file, and a failed or killed write leaves the old one. A target that exists but is not a
regular file (`/dev/null`, a FIFO, a terminal) is written into directly: renaming over it would replace the device.
Temporaries carry a `.govlist-tmp-` (files) or `.new-` / `.old-` (folders) mark beside the target; those a killed run
left behind are removed by the next write of the same target.

A folder (the published site) is swapped in with one atomic exchange where the OS has one: renameat2
(RENAME_EXCHANGE) on Linux, renamex_np (RENAME_SWAP) on macOS, both through ctypes and used only when present.
Elsewhere (Windows, other file systems) it takes two renames: the old folder aside, the new one in. A run killed
between them leaves the old site under its `.old-` name; the next run puts it back before anything else, so a site
is missing only for that instant and never for good.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO, TypeVar

from .model import Text, os_reason
from .result import UsageError


def write_file(path: Path, data: bytes, overwrite: bool = True, shared: bool = False, known: bool = False) -> None:
    """Write `data` to `path` atomically (folders made as needed). Raises UsageError with the reason, and when the
    file exists and `overwrite` is false (an import or export without --force).

    `shared`: a file that other processes may be writing at the same moment and that may be lost in a crash (a
    cache entry): the temporaries beside it are left alone, as they may be another writer's, and it is not flushed
    to disk (a torn entry is detected and rebuilt). `known`: `path` is a resolved name in a folder that exists (a
    cache entry, in a folder the cache made): it is neither resolved nor looked at first, and no folder is made
    (each costs a system call or more, and the cache writes thousands of entries)."""
    _write_whole(path, lambda handle: handle.write(data), overwrite, shared, sync=not shared, known=known)


def write_text(path: Path, chunks: Iterable[str], sync: bool = True, aside: bool = False) -> None:
    """Write text made piece by piece (a rendered page: Jinja's `generate()`) to `path`, atomically as write_file
    does: each piece is encoded as UTF-8 and written as it comes, so the whole text is never one string in memory.
    An error raised while the pieces are made leaves no file behind and the old one as it was.

    `sync=False`: not flushed to disk here, because the caller flushes the whole folder before it is used (a site
    built aside, output.replace_dir). `aside=True`: `path` is in a folder this run made and nothing else writes
    into (a site built aside): the page still goes under a temporary name renamed into place, but no temporaries of
    a killed run are looked for beside it (there can be none; listing the folder before each of thousands of pages
    grew with their square) and its name is not resolved."""

    def fill(handle) -> None:
        buffered, size = [], 0
        for chunk in chunks:
            buffered.append(chunk)
            size += len(chunk)
            if size >= 1 << 16:  # one encode and write per 64 Ki characters, not per piece
                handle.write("".join(buffered).encode("utf-8"))
                buffered, size = [], 0
        handle.write("".join(buffered).encode("utf-8"))

    _write_whole(path, fill, True, False, sync, aside)


def refuse_overwrite(path: Path, overwrite: bool) -> None:
    """UsageError when `path` is a file and may not be overwritten (an import or export without --force)."""
    if not overwrite and path.exists() and not path.is_dir():
        raise UsageError(Text(f"{path} 已存在；加 --force 覆盖", f"{path} already exists; add --force to overwrite it"))


def _write_whole(path: Path, fill: Callable[[BinaryIO], object], overwrite: bool, shared: bool, sync: bool, aside: bool = False, known: bool = False) -> None:
    refuse_overwrite(path, overwrite)
    target = path if aside or known else path.resolve()
    try:
        if not aside and not known and target.exists() and not stat.S_ISREG(target.stat().st_mode):
            if target.is_dir():
                raise UsageError(Text(f"{path} 是目录", f"{path} is a folder"))
            with open(target, "wb") as handle:
                fill(handle)
            return
        if not known:
            target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _cannot(path, exc) from None
    fd, tmp = None, None
    try:
        if not shared and not aside:
            _remove_leftovers(target.parent, f".{target.name}{_FILE_MARK}")
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}{_FILE_MARK}", dir=target.parent)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes the file 0600; an output is an ordinary file
        with os.fdopen(fd, "wb") as handle:
            fd = None
            fill(handle)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())  # on disk before the rename makes it the file: no empty file after a crash
        os.replace(tmp, target)
        tmp = None
        if sync:
            _fsync_dir(target.parent)
    except OSError as exc:
        raise _cannot(path, exc) from None
    finally:
        if fd is not None:
            os.close(fd)
        if tmp is not None:  # never leave a half-written temporary file behind
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _cannot(path: Path, exc: OSError) -> UsageError:
    reason = os_reason(exc, path)
    return UsageError(Text(f"无法写入 {path}：{reason.zh}", f"cannot write {path}: {reason.en}"))


_FILE_MARK = ".govlist-tmp-"
T = TypeVar("T")


def _remove_leftovers(folder: Path, prefix: str) -> None:
    """Temporaries a killed run left beside a target (names start with `prefix`)."""
    try:
        names = [n for n in os.listdir(folder) if n.startswith(prefix)]
    except OSError:
        return
    for name in names:
        path = folder / name
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink()
        except OSError:
            pass


def _fsync(path: str | Path) -> None:
    """Flush one file or folder to disk, as far as the OS lets it be opened for that."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; Windows cannot open a folder, and needs no such step)."""
    if os.name != "nt":
        _fsync(folder)


def _fsync_tree(root: Path) -> None:
    """Flush every file under `root`, then every folder, to disk."""
    for folder, _, files in os.walk(root):
        for name in files:
            _fsync(os.path.join(folder, name))
        _fsync_dir(Path(folder))


def _libc():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    except OSError:
        return None


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step. False when this OS or file system has no such rename."""
    if os.name == "nt":
        return False
    libc = _libc()
    if libc is None:
        return False
    old, new = os.fsencode(a), os.fsencode(b)
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        at_fdcwd, rename_exchange = -100, 2
        libc.renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        return libc.renameat2(at_fdcwd, old, at_fdcwd, new, rename_exchange) == 0
    if sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        rename_swap = 2
        libc.renamex_np.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        return libc.renamex_np(old, new, rename_swap) == 0
    return False


def recover_dir(out: Path) -> None:
    """Undo what a killed swap of `out` left: the old folder put back if `out` is missing, temporaries removed."""
    out = Path(os.path.abspath(out))
    parent = out.parent
    if not parent.is_dir():
        return
    old_prefix, new_prefix = f".{out.name}.old-", f".{out.name}.new-"
    try:
        if not out.exists():
            olds = sorted((parent / n for n in os.listdir(parent) if n.startswith(old_prefix)), key=lambda p: p.stat().st_mtime)
            if olds:
                os.rename(olds[-1], out)  # killed between the two renames: the old site comes back first
    except OSError:  # best effort: a folder we cannot list or write is reported by the write itself
        return
    _remove_leftovers(parent, old_prefix)
    _remove_leftovers(parent, new_prefix)


def replace_dir(out: Path, build: Callable[[Path], T]) -> T:
    """Build a folder with `build(tmp)` beside `out` and swap it in whole; `out` holds a complete folder, the old or
    the new one, at every instant where the OS has an exchange rename (see the module's docstring)."""
    out = Path(os.path.abspath(out))
    recover_dir(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    except OSError as exc:  # a folder that cannot be written (/proc, read-only, no permission)
        reason = os_reason(exc, out)
        raise UsageError(Text(f"无法在 {out.parent} 中创建网站目录 {out.name}：{reason.zh}", f"cannot create the site folder {out.name} in {out.parent}: {reason.en}")) from None
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)
    try:
        result = build(tmp)
        _fsync_tree(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if not out.exists():
        os.rename(tmp, out)
    elif exchange(tmp, out):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the old site
    else:
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.rmdir(old)
        os.rename(out, old)
        try:
            os.rename(tmp, out)
        except BaseException:
            os.rename(old, out)
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        shutil.rmtree(old, ignore_errors=True)
    _fsync_dir(out.parent)
    return result
