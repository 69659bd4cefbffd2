"""Writing output files whole: a temporary file beside the target, then renamed over it.

A reader never sees half a file, and a failed write leaves the old one. A target that exists but is not a regular
file (`/dev/null`, a FIFO, a terminal) is written into directly: renaming over it would replace the device.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .model import Text, os_reason
from .result import UsageError


def write_file(path: Path, data: bytes, overwrite: bool = True) -> None:
    """Write `data` to `path` atomically (folders made as needed). Raises UsageError with the reason, and when the
    file exists and `overwrite` is false (an import or export without --force)."""
    if not overwrite and path.exists() and not path.is_dir():
        raise UsageError(Text(f"{path} 已存在；加 --force 覆盖", f"{path} already exists; add --force to overwrite it"))
    target = path.resolve()
    try:
        if target.exists() and not stat.S_ISREG(target.stat().st_mode):
            if target.is_dir():
                raise UsageError(Text(f"{path} 是目录", f"{path} is a folder"))
            with open(target, "wb") as handle:
                handle.write(data)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _cannot(path, exc) from None
    fd, tmp = None, None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes the file 0600; an output is an ordinary file
        with os.fdopen(fd, "wb") as handle:
            fd = None
            handle.write(data)
        os.replace(tmp, target)
        tmp = None
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
    reason = os_reason(exc)
    return UsageError(Text(f"无法写入 {path}：{reason.zh}", f"cannot write {path}: {reason.en}"))
