"""Many sources in one store: 50 sites of 2,000 posts each (issue 13's scale).

Fifty generated sites (each from its own seed, so their posts differ) are served on loopback,
listed as ``[[sources]]`` in a config file of the group's own, and read into one store with
``reader sync NAME...``, a few at a time. Then, in a 120x40 pty:

- start-up: process start to the first full screen (the first source's tree with its counts, a
  screenful of posts, the status line), alternated with the reader on one of those sites alone
  (its own store of 2,000 posts); the baseline column is that one-source reader.
- peak memory: a browsing session under GNU time (moves, an article opened and scrolled,
  the next posts, a search), as the 10,000-post memory figure.
- sync of the 50 unchanged sources: ``reader sync`` again on the filled store, wall time.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable
from pathlib import Path

from bench.context import Context
from bench.figures import Figure, median
from bench.memory import TIME, _expect, _quit, peak_megabytes
from bench.sites import BenchSite, ServedSite, reader_command
from bench.startup import reader_is_full
from bench.terminal import QUIET, TimedPty

STARTUP_ALLOWED = 1.5
MEMORY_LIMIT_MB = 120.0
UNCHANGED_SYNC_LIMIT_S = 2.0
FILL_TIMEOUT = 1800.0
"""Seconds the first ``reader sync`` of every source may take (the sample servers filter and
sort their posts for every page they answer)."""
_ESCAPE = "\x1b"
_FILLED_AT_ONCE = 5
"""Sources given to each ``reader sync`` that fills the store."""
_SOURCE_WITH_COUNT = re.compile(r"lab-\d+ \d+/\d+")


def _many_is_full(screen: str) -> bool:
    """As :func:`reader_is_full`, for trees nested one deeper (a tree per source)."""
    lines = screen.splitlines()
    posts = sum(1 for line in lines if line.lstrip("│ ").startswith(("├ ●", "└ ●", "├  ", "└  ")))
    status = "\n".join(lines[-3:])
    return bool(_SOURCE_WITH_COUNT.search(screen)) and posts >= 20 and "updated" in status


def _sites(sources: int, posts: int) -> list[BenchSite]:
    from reader.sample.generate import generate_site

    return [BenchSite(generate_site(posts, seed=index + 1), posts) for index in range(sources)]


def _config(folder: Path, urls: list[str]) -> Path:
    """A config folder whose ``config.toml`` lists every site, named ``lab-NN``."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = [f'[[sources]]\nsite = "{url}"\nname = "lab-{n:02d}"\n' for n, url in enumerate(urls)]
    (folder / "config.toml").write_text("\n".join(tables), encoding="utf-8")
    return folder


def _sync(env: dict[str, str], data_dir: Path, *args: str, timeout: float) -> float:
    """``reader sync`` (every listed source, or ``args``); its wall time in seconds."""
    import subprocess

    command = reader_command("sync", "--data-dir", str(data_dir), *args)
    started = time.perf_counter()
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}"
        )
    return elapsed


def _time_to_full(argv: list[str], env: dict[str, str], ready: Callable[[str], bool]) -> float:
    with TimedPty(argv, env=env) as app:
        return app.time_until(ready, timeout=120)


def _peak(ctx: Context, argv: list[str], env: dict[str, str]) -> float:
    """Peak RSS (MB) over a browsing session of the many-source reader."""
    report = ctx.fresh_dir("time-sources") / "time.txt"
    with TimedPty([TIME, "-v", "-o", str(report), *argv], env=env) as app:
        app.time_until(_many_is_full, timeout=120)
        app.drain()
        for _ in range(20):
            app.press("j", quiet=0.1)
        app.press("\r", quiet=QUIET)
        app.time_until(lambda screen: " min read" in screen, timeout=60)
        for _ in range(10):
            app.press("j", quiet=0.1)
        for _ in range(10):
            app.press("]", quiet=QUIET)
        app.press(_ESCAPE)
        app.press("/")
        for letter in "kidney":
            app.press(letter, quiet=0.1)
        app.drain(0.5)
        _expect(app, "kidney")
        app.press(_ESCAPE)
        # The search of every source may still be working through keys: quitting waits.
        _quit(app, ["q", "q"])
    return peak_megabytes(report)


def sources_figures(ctx: Context, sources: int, posts: int) -> list[Figure]:
    """Start-up, peak memory and an unchanged sync with ``sources`` sites of ``posts`` posts."""
    label = f"{sources} sources x {posts:,} posts"
    started = time.perf_counter()
    sites = _sites(sources, posts)
    with contextlib.ExitStack() as stack:
        served = [stack.enter_context(ServedSite(site)) for site in sites]
        config = _config(ctx.fresh_dir("sources-config"), [s.url for s in served])
        env = {**ctx.env, "READER_CONFIG_DIR": str(config)}
        pty_env = {**ctx.pty_env, "READER_CONFIG_DIR": str(config)}
        alone_env = {**ctx.env, "READER_CONFIG_DIR": str(ctx.fresh_dir("one-source-config"))}
        alone_pty_env = {**pty_env, "READER_CONFIG_DIR": alone_env["READER_CONFIG_DIR"]}
        many = ctx.fresh_dir("sources-store")
        # A few sources at a time: the sample servers all share this process (and its GIL),
        # and fifty first syncs at once would time out against them, not against the reader.
        names = [f"lab-{n:02d}" for n in range(sources)]
        fill = 0.0
        retried: list[str] = []
        for at in range(0, sources, _FILLED_AT_ONCE):
            batch = names[at : at + _FILLED_AT_ONCE]
            try:
                fill += _sync(env, many, *batch, timeout=FILL_TIMEOUT)
            except RuntimeError as error:
                # On a loaded machine a sample server may drop a connection; the fill is not
                # a figure, and a second sync goes on from what the first stored.
                ctx.say(f"  filling {', '.join(batch)} again: {str(error)[-300:]}")
                retried += batch
                fill += _sync(env, many, *batch, timeout=FILL_TIMEOUT)
        alone = ctx.fresh_dir("one-source-store")
        _sync(alone_env, alone, "--site", served[0].url, timeout=FILL_TIMEOUT)
        ctx.say(f"  {label}: filled in {fill:.1f} s ({time.perf_counter() - started:.1f} s in all)")

        unchanged = [_sync(env, many, timeout=120) for _ in range(ctx.runs)]
        many_argv = reader_command("--data-dir", str(many), "--no-refresh")
        alone_argv = reader_command(
            "--site", served[0].url, "--data-dir", str(alone), "--no-refresh"
        )
        # One unmeasured start of each first: bytecode written, files in the page cache.
        _time_to_full(many_argv, pty_env, _many_is_full)
        _time_to_full(alone_argv, alone_pty_env, reader_is_full)
        ours: list[float] = []
        theirs: list[float] = []
        for _ in range(ctx.runs):
            ours.append(_time_to_full(many_argv, pty_env, _many_is_full))
            theirs.append(_time_to_full(alone_argv, alone_pty_env, reader_is_full))
        peak = _peak(ctx, many_argv, pty_env)

    startup = Figure(
        key="sources_startup",
        name=f"start to first full screen, {label}",
        unit="s",
        reader=median(ours),
        baseline=median(theirs),
        baseline_name=f"the reader on one source of {posts:,} posts",
        target=f"<= {STARTUP_ALLOWED:g}x baseline",
        samples={"reader": ours, "baseline": theirs},
    )
    ratio = startup.ratio
    startup.met = None if ratio is None else ratio <= STARTUP_ALLOWED
    memory = Figure(
        key="sources_memory",
        name=f"peak memory, {label}, after browsing",
        unit="MB",
        reader=peak,
        target=f"< {MEMORY_LIMIT_MB:g} MB",
        samples={"reader": [peak]},
    )
    memory.met = peak < MEMORY_LIMIT_MB
    sync = Figure(
        key="sources_unchanged_sync",
        name=f"sync of {sources} unchanged sources",
        unit="s",
        reader=median(unchanged),
        target=f"<= {UNCHANGED_SYNC_LIMIT_S:g} s",
        note=f"the first syncs, {_FILLED_AT_ONCE} sources at a time, took {fill:.1f} s in all"
        + (f" ({', '.join(retried)} filled again after a dropped connection)" if retried else ""),
        samples={"reader": unchanged},
    )
    sync.met = sync.reader is not None and sync.reader <= UNCHANGED_SYNC_LIMIT_S
    return [startup, memory, sync]
