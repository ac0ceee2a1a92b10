"""The headless commands as a user types them: numbers checked, advice that fits the source."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _reader(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["show", "1", "--width", "-5"], "--width"),
        (["show", "1", "--width", "0"], "--width"),
        (["show", "1", "--width", "wide"], "--width"),
        (["list", "--limit", "-1"], "--limit"),
    ],
)
def test_numbers_out_of_range_are_refused(args: list[str], option: str) -> None:
    result = _reader(*args)
    assert result.returncode == 2, result.stdout
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"reader {args[0]}: error: argument {option}: "), last
    assert "Traceback" not in result.stderr


def test_an_empty_demo_store_advises_the_demo_sync() -> None:
    result = _reader("--demo", "list")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "No posts stored yet: 'reader --demo sync' fetches them."


def test_an_empty_store_of_another_site_advises_that_site(tmp_path: Path) -> None:
    result = _reader("list", "--site", "https://example.org/", "--data-dir", str(tmp_path))
    assert result.stderr.strip() == (
        "No posts stored yet: 'reader --site https://example.org/ --data-dir "
        f"{tmp_path} sync' fetches them."
    )


def _config_file(tmp_path: Path, text: str) -> dict[str, str]:
    folder = tmp_path / "my-config"
    folder.mkdir()
    (folder / "config.toml").write_text(text, encoding="utf-8")
    return {"READER_CONFIG_DIR": str(folder)}


def _reader_with(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, **env},
    )


def test_config_show_says_an_unknown_theme_is_not_in_force(tmp_path: Path) -> None:
    env = _config_file(tmp_path, 'theme = "institute-drak"\n')
    result = _reader_with(env, "config", "show")
    assert result.returncode == 0, result.stderr
    problem = (
        "no theme is called 'institute-drak' (did you mean 'institute-dark'?); "
        "the reader uses institute-dark"
    )
    assert result.stderr.strip() == f"reader: {problem}"
    lines = result.stdout.splitlines()
    assert lines[lines.index('theme = "institute-drak"') + 1] == f"# {problem}"


def test_config_show_after_a_toml_error_names_the_file(tmp_path: Path) -> None:
    env = _config_file(tmp_path, "theme = ansi\n")
    result = _reader_with(env, "config", "show")
    assert result.returncode == 0
    assert "not valid TOML" in result.stderr
    first = result.stdout.splitlines()[0]
    assert "no config file" not in first
    assert "config.toml is there but could not be used" in first, first


def test_config_show_warns_of_an_unknown_binding_id(tmp_path: Path) -> None:
    env = _config_file(tmp_path, '[keys]\nbookmark.toggle = "B"\n')
    result = _reader_with(env, "config", "show")
    assert "(did you mean 'bookmarks.toggle'?)" in result.stderr
    assert "bookmark.toggle" not in result.stdout


def test_reader_sync_puts_what_its_imports_made_out_of_the_collectors_reach(
    tmp_path: Path,
) -> None:
    # The collector's full passes walked every object of the imports again, a few times a
    # sync and at exit; a sync ends with its work, so they are frozen before it starts.
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        "<link>https://example.org/</link><item><title>One</title>"
        "<link>https://example.org/one/</link><description>Hi</description></item>"
        "</channel></rss>"
    )
    code = (
        "import gc, sys\n"
        "from reader.cli import main\n"
        f"code = main(['sync', '--feed', {str(feed)!r}, '--data-dir', {str(tmp_path)!r}])\n"
        "print('frozen', gc.get_freeze_count(), file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    frozen = int(done.stderr.rsplit("frozen ", 1)[1].split()[0])
    assert frozen > 10_000, done.stderr


# "²".isdigit() is True and int("²") raises; int("١٢") is 12, a number nobody typed.
_NOT_ASCII_DIGITS = ["²", "١٢"]


@pytest.mark.parametrize("digits", _NOT_ASCII_DIGITS)
@pytest.mark.parametrize(
    "args",
    [
        ["list", "--limit", "{}"],
        ["show", "1", "--width", "{}"],
        ["serve", "web", "--port", "{}"],
        ["serve", "ssh", "--login-timeout", "{}"],
    ],
)
def test_numbers_in_other_digits_are_refused_by_argparse(args: list[str], digits: str) -> None:
    result = _reader(*(a.format(digits) for a in args))
    assert result.returncode == 2, result.stdout
    last = result.stderr.strip().splitlines()[-1]
    assert last.endswith(f"{args[-2]}: {digits!r} is not a number: write it in the digits 0-9")


@pytest.mark.parametrize("digits", _NOT_ASCII_DIGITS)
@pytest.mark.parametrize(
    "args", [["show", "{}"], ["bookmarks", "add", "{}"], ["bookmarks", "remove", "{}"]]
)
def test_post_ids_in_other_digits_are_refused(args: list[str], digits: str, tmp_path: Path) -> None:
    result = _reader("--data-dir", str(tmp_path), *(a.format(digits) for a in args))
    assert result.returncode == 1, result.stdout
    assert result.stderr == (
        f"reader: {digits!r} is not a number: write it in the digits 0-9 "
        "('reader list' shows the ids)\n"
    )


@pytest.mark.parametrize("digits", _NOT_ASCII_DIGITS)
def test_reader_open_refuses_a_post_id_in_other_digits(digits: str, tmp_path: Path) -> None:
    from reader.cli import _open_target
    from reader.command_error import CommandError
    from reader.core.source import Source
    from reader.core.store import Store

    store = Store.open_in(tmp_path)
    try:
        with pytest.raises(CommandError, match="write it in the digits 0-9"):
            _open_target(store, Source.site("https://example.org/"), digits)
    finally:
        store.close()
