"""What every benchmark shares: the scratch folder, the number of runs, the environment."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.sites import full_environment, isolated_environment

BENCH_DIR = Path(__file__).resolve().parent
"""This folder: the baseline apps and the probe are run from here by path."""


@dataclass(frozen=True)
class Scale:
    """How big each benchmark's data is, and how long it looks."""

    small: int = 1_000
    """Posts in the site most figures read (its two newest News posts are the long ones)."""
    large: int = 10_000
    """Posts for the start-up and memory figures at ten times that."""
    huge: int = 100_000
    """Posts in the store of the scale figures."""
    refresh: int = 20_000
    """Posts the TUI's background refresh reads, against ``reader sync``."""
    sources: int = 50
    """Sources in the store of the many-sources figures ..."""
    source_posts: int = 2_000
    """... and posts in each."""
    keys: int = 100
    """Cursor moves timed per app for the redraw figures."""
    idle_seconds: float = 10.0
    """How long output is counted while nothing happens."""


FULL = Scale()
SMOKE = Scale(
    large=2_000,
    huge=3_000,
    refresh=3_000,
    sources=5,
    source_posts=300,
    keys=50,
    idle_seconds=2.0,
)
"""Every figure once on smaller data, to prove each can be measured (CI): the sizes differ
from the figures' own, so their values are not comparable. 50 moves still scroll the list."""


@dataclass
class Context:
    """Settings and scratch space for one run of the benchmarks."""

    scratch: Path
    """A temporary folder, removed at the end."""
    runs: int
    """Repetitions per timed figure (the median is reported)."""
    scale: Scale = FULL
    """The data's sizes."""
    say: Callable[[str], None] = field(default=lambda line: print(line, file=sys.stderr))
    """Progress lines (stderr), so stdout holds only the table."""
    _count: int = 0

    @property
    def home(self) -> Path:
        """The HOME every program under test gets."""
        path = self.scratch / "home"
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def pty_env(self) -> dict[str, str]:
        """Overrides for programs run in a pty."""
        return isolated_environment(self.home)

    @property
    def env(self) -> dict[str, str]:
        """The whole environment for programs run without a pty."""
        return full_environment(self.home)

    def fresh_dir(self, name: str) -> Path:
        """A new empty folder under the scratch folder."""
        self._count += 1
        path = self.scratch / f"{self._count:03d}-{name}"
        path.mkdir(parents=True)
        return path

    def copy_of(self, folder: Path, name: str) -> Path:
        """A copy of a data folder, for a benchmark that changes what it reads."""
        target = self.scratch / f"copy-{name}-{self._count}"
        self._count += 1
        shutil.copytree(folder, target)
        return target


def script(name: str) -> str:
    """The path of a script in this folder."""
    return str(BENCH_DIR / name)
