"""govlist.output.write_file: whole files, no leftovers, devices and FIFOs written into, never replaced."""

from __future__ import annotations

import os
import stat
import sys
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


def test_a_known_name_is_written_without_being_looked_at_first(tmp_path, monkeypatch):
    """`known` (a cache entry): the name is used as given, in a folder that exists; no folder is made."""
    (tmp_path / "ab").mkdir()
    target = tmp_path / "ab" / "entry"
    monkeypatch.setattr(type(target), "resolve", lambda self, strict=False: pytest.fail("resolved"))
    write_file(target, b"first", shared=True, known=True)
    write_file(target, b"second", shared=True, known=True)
    assert target.read_bytes() == b"second" and [p.name for p in target.parent.iterdir()] == ["entry"]
    with pytest.raises(UsageError):
        write_file(tmp_path / "cd" / "entry", b"x", shared=True, known=True)
    assert not (tmp_path / "cd").exists()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- leftovers of killed runs, the folder swap (issue 16) ---------------------------------------------------------


def test_a_killed_writes_temporary_is_removed_by_the_next_write(tmp_path):
    from govlist.output import write_file

    target = tmp_path / "out.yaml"
    (tmp_path / ".out.yaml.govlist-tmp-abc123").write_bytes(b"half")
    (tmp_path / ".other.yaml.govlist-tmp-x").write_bytes(b"not ours to touch")
    write_file(target, b"whole\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.yaml.govlist-tmp-x", "out.yaml"]


def test_replace_dir_swaps_and_cleans_up(tmp_path):
    from govlist.output import replace_dir

    out = tmp_path / "site"

    def build(text):
        def make(folder):
            (folder / "index.html").write_text(text, encoding="utf-8")
            return text

        return make

    assert replace_dir(out, build("one")) == "one"
    (tmp_path / ".site.new-killed").mkdir()  # a build killed half-way
    assert replace_dir(out, build("two")) == "two"
    assert (out / "index.html").read_text(encoding="utf-8") == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_without_an_exchange_rename_the_two_step_swap_is_recovered_after_a_kill(tmp_path, monkeypatch):
    """Where the OS has no exchange rename, a run killed between the two renames leaves the old site aside; the
    next run puts it back before doing anything else."""
    import govlist.output as output

    monkeypatch.setattr(output, "exchange", lambda a, b: False)
    out = tmp_path / "site"
    output.replace_dir(out, lambda folder: (folder / "index.html").write_text("old", encoding="utf-8"))
    os.rename(out, tmp_path / ".site.old-killed")  # killed after the first rename
    (tmp_path / ".site.new-killed").mkdir()
    output.recover_dir(out)
    assert (out / "index.html").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    output.replace_dir(out, lambda folder: (folder / "index.html").write_text("new", encoding="utf-8"))
    assert (out / "index.html").read_text(encoding="utf-8") == "new" and sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.skipif(not sys.platform.startswith(("linux", "darwin")), reason="an exchange rename exists on Linux and macOS")
def test_the_exchange_rename_swaps_two_folders(tmp_path):
    from govlist.output import exchange

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x").write_text("A", encoding="utf-8")
    (tmp_path / "b" / "x").write_text("B", encoding="utf-8")
    if not exchange(tmp_path / "a", tmp_path / "b"):
        pytest.skip("this file system has no exchange rename")
    assert (tmp_path / "a" / "x").read_text(encoding="utf-8") == "B" and (tmp_path / "b" / "x").read_text(encoding="utf-8") == "A"
