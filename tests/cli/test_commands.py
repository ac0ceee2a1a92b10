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
