"""An export is the old file or the new one whole: on a real full tmpfs, through a link, and
onto files that cannot be renamed over."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from reader.core.whole_files import write_whole
from tests.support.mounts import small_tmpfs


def test_a_disk_that_fills_midway_leaves_the_old_file_whole() -> None:
    with small_tmpfs(64) as disk:
        target = disk / "saved.json"
        target.write_text("the old export\n", encoding="utf-8")
        with pytest.raises(OSError) as refused:
            write_whole(target, "x" * 200_000)
        assert refused.value.errno == 28
        assert target.read_text(encoding="utf-8") == "the old export\n"
        assert sorted(p.name for p in disk.iterdir()) == ["saved.json"]  # no part left


def test_an_old_file_keeps_its_permissions_and_a_new_one_follows_the_umask(
    tmp_path: Path,
) -> None:
    old = tmp_path / "old.md"
    old.write_text("before", encoding="utf-8")
    old.chmod(0o640)
    write_whole(old, "after")
    assert old.read_text(encoding="utf-8") == "after"
    assert stat.S_IMODE(old.stat().st_mode) == 0o640
    mask = os.umask(0o027)
    try:
        new = tmp_path / "new.md"
        write_whole(new, "first")
    finally:
        os.umask(mask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o640  # 0o666 less the umask, not mkstemp's 0o600


def test_a_link_is_written_through_and_a_pipe_as_it_is(tmp_path: Path) -> None:
    real = tmp_path / "real.html"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.html"
    link.symlink_to(real)
    write_whole(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_whole(pipe, "through the pipe")
        assert os.read(reader, 100) == b"through the pipe"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(pipe.stat().st_mode)
