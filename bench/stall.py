"""Longest UI stall during a 1,000-post sync: the event loop's lag while the reader syncs.

``bench/stall_probe.py`` runs the real app in a 120x40 pty with an empty store and syncs the
whole site from it (over REST, then, in a second run, from RSS only), measuring how late a
5 ms sleep on the event loop wakes up. The longest lateness is the longest stall a key press
could meet. There is no baseline: the target is absolute.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bench.context import Context, script
from bench.figures import Figure
from bench.terminal import TimedPty

LIMIT_MS = 50.0
PROBE_TIMEOUT = 300.0


def probe(ctx: Context, url: str, label: str) -> dict[str, Any]:
    """Run the probe once against ``url`` with an empty store; what it measured."""
    folder = ctx.fresh_dir(f"stall-{label}")
    out = folder / "lags.json"
    argv = [
        sys.executable,
        script("stall_probe.py"),
        "--site",
        url,
        "--data-dir",
        str(folder / "data"),
        "--out",
        str(out),
    ]
    with TimedPty(argv, env=ctx.pty_env) as app:
        # The probe quits by itself; keep reading so its drawing never blocks on the pty.
        app.drain(quiet=PROBE_TIMEOUT, limit=PROBE_TIMEOUT)
        screen = app.screen_text()
    if not out.exists():
        raise RuntimeError(f"the stall probe wrote nothing; its screen:\n{screen}")
    result: dict[str, Any] = json.loads(Path(out).read_text())
    return result


def stall_figures(ctx: Context, rest_url: str, rss_url: str, posts: int) -> list[Figure]:
    """One figure per kind of sync."""
    figures = []
    for label, url in (("REST", rest_url), ("RSS only", rss_url)):
        runs = [probe(ctx, url, label.replace(" ", "-")) for _ in range(max(1, ctx.runs // 2))]
        worst = [run["max_lag"] * 1000 for run in runs]
        ctx.say(f"  stall ({label}): worst {max(worst):.1f} ms over {len(runs)} run(s)")
        last = runs[-1]
        figure = Figure(
            key=f"ui_stall_{label.replace(' ', '_').lower()}",
            name=f"longest UI stall, {posts:,}-post sync ({label})",
            unit="ms",
            reader=max(worst),
            target=f"<= {LIMIT_MS:g} ms",
            note=(
                f"last run: sync took {last['sync_seconds']:.1f} s, worst during it "
                f"{last['max_lag_during_sync'] * 1000:.0f} ms, after it (re-reading the "
                f"sidebar) {last['max_lag_after_sync'] * 1000:.0f} ms; "
                f"{last['over_50ms']} wake-ups over 50 ms; {last['posts']} posts stored"
            ),
            samples={"reader": worst},
        )
        if last["posts"] < posts:
            figure.note += f"; the sync did not finish: {last['status']}"
        figure.met = figure.reader is not None and figure.reader <= LIMIT_MS
        figures.append(figure)
    return figures
