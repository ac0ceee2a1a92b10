"""The log for bug reports: ``--debug`` and ``READER_LOG`` write it, warnings always reach it,
an unexpected error leaves its traceback there and a message that says where, and it rotates."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader import cli
from reader.core import debug_log
from tests.support.commands import run_reader
from tests.support.hostile_server import hostile_server
from tests.support.mounts import small_tmpfs

__all__ = ["hostile_server"]


@pytest.fixture
def quiet_log() -> Iterator[None]:
    """Leave the reader's logger as it was after an in-process run of the command line."""
    yield
    for handler in list(debug_log.log.handlers):
        debug_log.log.removeHandler(handler)
        handler.close()
    for handler in list(logging.getLogger("py.warnings").handlers):
        logging.getLogger("py.warnings").removeHandler(handler)
    logging.captureWarnings(False)
    debug_log.log.setLevel(logging.NOTSET)


def test_debug_logs_every_request_into_the_data_folder(hostile_server: str, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    result = run_reader("--debug", "--feed", f"{hostile_server}/feed", "sync", data_dir=folder)
    assert result.returncode == 0, result.stderr
    text = (folder / "reader.log").read_text()
    assert f"GET {hostile_server}/feed: 200" in text
    assert "reader started:" in text


def test_reader_log_names_the_file_and_a_bare_name_lands_in_the_data_folder(
    hostile_server: str, tmp_path: Path
) -> None:
    chosen = tmp_path / "elsewhere" / "mine.log"
    run_reader(
        "--feed",
        f"{hostile_server}/feed",
        "sync",
        data_dir=tmp_path / "a",
        env={"READER_LOG": str(chosen)},
    )
    assert f"GET {hostile_server}/feed: 200" in chosen.read_text()
    run_reader(
        "--feed",
        f"{hostile_server}/feed",
        "sync",
        data_dir=tmp_path / "b",
        env={"READER_LOG": "bare.log"},
    )
    assert (tmp_path / "b" / "bare.log").exists()


def test_a_failed_sync_is_logged_without_debug_and_a_quiet_run_leaves_no_file(
    hostile_server: str, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    quiet = run_reader("--feed", f"{hostile_server}/feed", "sync", data_dir=folder)
    assert quiet.returncode == 0
    assert not (folder / "reader.log").exists()
    failed = run_reader("--feed", f"{hostile_server}/status/500", "sync", data_dir=folder)
    assert failed.returncode == 1
    text = (folder / "reader.log").read_text()
    assert "WARNING reader.sync: sync of" in text and "500 Internal Server Error" in text
    assert "GET" not in text  # the requests themselves only with --debug


def test_an_unexpected_error_points_to_the_log_that_holds_its_traceback(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    quiet_log: None,
) -> None:
    def broken(args: object) -> int:
        raise RuntimeError("the list fell over\x1b[2J")

    monkeypatch.setattr(cli, "_list", broken)
    folder = tmp_path / "data"
    assert cli.main(["--data-dir", str(folder), "list"]) == 1
    said = capsys.readouterr().err
    log_file = folder / "reader.log"
    assert said.startswith("reader: Unexpected error while running 'reader list'")
    assert "RuntimeError: the list fell over" in said and "\x1b" not in said
    assert f"The details are in {log_file}" in said
    assert "Traceback" not in said
    logged = log_file.read_text()
    assert "Traceback (most recent call last)" in logged and "in broken" in logged


def test_the_log_rotates_and_keeps_three(tmp_path: Path, quiet_log: None) -> None:
    path = debug_log.start_log(tmp_path, debug=True)
    line = "x" * 1000
    for _ in range(5000):
        debug_log.log.debug(line)
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == ["reader.log", "reader.log.1", "reader.log.2", "reader.log.3"]
    assert all(p.stat().st_size <= 1024 * 1024 + 2000 for p in tmp_path.iterdir())
    assert path == tmp_path / "reader.log"


def test_a_log_that_does_not_rotate_follows_the_file_the_reader_rotated(
    tmp_path: Path, quiet_log: None
) -> None:
    # As a refresh's own process writes into the reader's log: past the size, no rotation;
    # renamed by the reader's rotation, the next line goes to the file of the log's name.
    path = tmp_path / "reader.log"
    debug_log.log_into(path, detailed=False, rotate=False)
    for _ in range(1200):
        debug_log.log.warning("x" * 1000)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reader.log"]
    assert path.stat().st_size > 1024 * 1024
    path.rename(tmp_path / "reader.log.1")
    debug_log.log.warning("after the rotation")
    assert "after the rotation" in path.read_text(encoding="utf-8")
    assert "after the rotation" not in (tmp_path / "reader.log.1").read_text(encoding="utf-8")


def test_a_second_log_into_replaces_the_first_for_warnings_too(
    tmp_path: Path, quiet_log: None
) -> None:
    # The first file's handler was closed but left on 'py.warnings': the next warning opened
    # that file again and went to both.
    first, second = tmp_path / "first.log", tmp_path / "second.log"
    debug_log.log_into(first, detailed=False)
    debug_log.log_into(second, detailed=False, rotate=False)
    warnings_log = logging.getLogger("py.warnings")
    ours = [h for h in warnings_log.handlers if isinstance(h, logging.FileHandler)]
    assert [h.baseFilename for h in ours] == [str(second)]
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn("a library's deprecation", UserWarning, stacklevel=1)
    assert "a library's deprecation" in second.read_text(encoding="utf-8")
    assert not first.exists()


@pytest.mark.parametrize("rotate", [True, False])
def test_a_full_disk_never_makes_logging_raise(rotate: bool, quiet_log: None) -> None:
    # /dev/full refuses every write with ENOSPC, as a full data folder does. The refresh's
    # own process logs without rotating: its second line flushed the first outside logging's
    # guard, and the whole refresh failed with "OSError: [Errno 28] No space left on device"
    # in place of the message that says the disk is full.
    debug_log.log_into(Path("/dev/full"), detailed=False, rotate=rotate)
    for n in range(3):
        debug_log.log.warning("line %d", n)
    debug_log.log_into(Path("/dev/full"), detailed=False, rotate=not rotate)
    debug_log.log.warning("after a second log_into")


def test_a_rotated_log_that_cannot_be_made_again_never_makes_logging_raise(
    quiet_log: None,
) -> None:
    # The refresh's process appends to the reader's file; when the reader has rotated it and
    # the disk cannot take a new file (here no inode is left: a full disk needing a block for
    # the folder is the same), reopening it raised out of the caller's log.warning.
    with small_tmpfs(64, inodes=2) as disk:  # its root and one file
        path = disk / "reader.log"
        debug_log.log_into(path, detailed=False, rotate=False)
        debug_log.log.warning("before the rotation")
        path.rename(disk / "reader.log.1")
        for n in range(3):
            debug_log.log.warning("refused %d", n)
        (disk / "reader.log.1").unlink()  # room again: the next line makes the file anew
        debug_log.log.warning("after")
        assert path.read_text().endswith("after\n")
