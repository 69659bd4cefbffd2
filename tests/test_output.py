"""govlist.output.write_file: whole files, no leftovers, devices and FIFOs written into, never replaced."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from govlist.output import write_file
from govlist.result import UsageError


def test_writes_the_file_whole_and_replaces_an_old_one(tmp_path):
    target = tmp_path / "sub" / "report.json"
    write_file(target, b"first")
    write_file(target, "第二次".encode())
    assert target.read_text(encoding="utf-8") == "第二次"
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.json"], "no temporary file left behind"
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()


def test_a_fifo_is_written_into_not_replaced(tmp_path):
    """As with /dev/null: renaming a temporary file over it would replace the device with a regular file."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_file(fifo, b"findings")
    reader.join(timeout=10)
    assert received == [b"findings"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_folder_or_an_unwritable_place_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError) as folder:
        write_file(tmp_path, b"x")
    assert "是目录" in folder.value.message.zh and "folder" in folder.value.message.en
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(UsageError) as nested:
        write_file(blocker / "out.json", b"x")
    assert "无法写入" in nested.value.message.zh and "cannot write" in nested.value.message.en
    assert blocker.read_text() == "not a folder"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
