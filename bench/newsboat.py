"""Newsboat as a baseline: its own urls, config and cache files in a folder of their own.

Every figure that compares against Newsboat is skipped with a message when it is not
installed (``apt-get install -y newsboat``).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import time
from pathlib import Path

RELOAD_TIMEOUT = 600.0
"""Seconds a reload may take before the benchmark gives up on it."""


def newsboat_path() -> str | None:
    """The newsboat program, or None when it is not installed."""
    return shutil.which("newsboat")


def newsboat_version() -> str:
    """Newsboat's version line, or "not installed"."""
    program = newsboat_path()
    if program is None:
        return "not installed"
    done = subprocess.run([program, "-v"], capture_output=True, text=True, check=False)
    first = (done.stdout.splitlines() or ["newsboat (version unknown)"])[0]
    return first.split(" - ", 1)[0].strip()  # "newsboat 2.21.0", without the project's address


class Newsboat:
    """Newsboat reading one feed, with every file it keeps inside ``folder``."""

    def __init__(self, program: str, folder: Path, feed_url: str) -> None:
        self.program = program
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.urls = folder / "urls"
        self.config = folder / "config"
        self.cache = folder / "cache.db"
        self.urls.write_text(feed_url + "\n")
        # Defaults throughout, except what would make a run depend on the clock.
        self.config.write_text("auto-reload no\nshow-read-feeds yes\n")

    def argv(self, *extra: str) -> list[str]:
        """The command line with this folder's files."""
        return [
            self.program,
            *extra,
            "-u",
            str(self.urls),
            "-c",
            str(self.cache),
            "-C",
            str(self.config),
        ]

    def reload(self, env: dict[str, str]) -> float:
        """``newsboat -x reload``; returns the wall time in seconds."""
        started = time.perf_counter()
        done = subprocess.run(
            self.argv("-x", "reload"),
            env=env,
            capture_output=True,
            text=True,
            timeout=RELOAD_TIMEOUT,
            check=False,
        )
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"newsboat -x reload failed ({done.returncode}): {done.stderr}")
        return elapsed

    def items(self) -> int:
        """How many items its cache holds."""
        if not self.cache.exists():
            return 0
        db = sqlite3.connect(f"file:{self.cache}?mode=ro", uri=True)
        try:
            return int(db.execute("SELECT count(*) FROM rss_item").fetchone()[0])
        finally:
            db.close()

    def forget(self) -> None:
        """Remove the cache, for the next cold reload."""
        for path in self.folder.glob("cache.db*"):
            path.unlink()
