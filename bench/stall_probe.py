"""Runs the reader with a lag meter on its event loop, for the "longest UI stall" figure.

Started by ``bench/stall.py`` in a pseudo-terminal, so the app draws to a real terminal as it
would for a user. A second after the first screen, it starts a sync exactly as ``ctrl+r``
does, and meanwhile sleeps 5 ms at a time on the app's event loop, noting how late each wake-up
is. One second after the sync has finished (and the sidebar has been re-read), it writes what
it saw as JSON and quits.

    python bench/stall_probe.py --site URL --data-dir DIR --out lags.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

from reader.core.config import load_config
from reader.core.source import Source
from reader.core.store import Store
from reader.ui.app import ReaderApp
from reader.ui.main_screen import MainScreen

INTERVAL = 0.005
"""How long each probe sleeps."""
SETTLE = 1.0
"""Seconds between the first screen and the sync, and after the sync before quitting."""


class ProbedReader(ReaderApp):
    """The reader app, plus a lag meter around one sync."""

    def __init__(self, store: Store, source: Source, out: Path, sections: tuple[str, ...]) -> None:
        super().__init__(store, source, refresh_on_start=False, section_names=sections)
        self.out = out
        self.lags: list[tuple[float, float]] = []
        """(seconds since the sync started, lateness in seconds) for each wake-up."""
        self.sync_started = 0.0
        self.sync_ended: float | None = None

    def on_mount(self) -> None:
        """Start the probe a little after the first screen."""
        super().on_mount()
        self.set_timer(SETTLE, self._begin)

    def _begin(self) -> None:
        screen = self.screen
        assert isinstance(screen, MainScreen)
        self.sync_started = time.monotonic()
        screen.action_refresh()
        self.run_worker(self._measure(screen), group="probe", exit_on_error=True)

    async def _measure(self, screen: MainScreen) -> None:
        seen_syncing = False
        while True:
            before = time.monotonic()
            await asyncio.sleep(INTERVAL)
            now = time.monotonic()
            self.lags.append((before - self.sync_started, now - before - INTERVAL))
            syncing = bool(screen.status.syncing)
            seen_syncing = seen_syncing or syncing
            if self.sync_ended is None and seen_syncing and not syncing:
                self.sync_ended = now
            if self.sync_ended is not None and now - self.sync_ended > SETTLE:
                break
        self._write()
        self.exit()

    def _write(self) -> None:
        ended = (self.sync_ended or time.monotonic()) - self.sync_started
        worst = max(self.lags, key=lambda item: item[1], default=(0.0, 0.0))
        during = [lag for at, lag in self.lags if at <= ended]
        after = [lag for at, lag in self.lags if at > ended]
        self.out.write_text(
            json.dumps(
                {
                    "sync_seconds": ended,
                    "max_lag": worst[1],
                    "max_lag_at": worst[0],
                    "max_lag_during_sync": max(during, default=0.0),
                    "max_lag_after_sync": max(after, default=0.0),
                    "wakeups": len(self.lags),
                    "over_50ms": sum(1 for _, lag in self.lags if lag > 0.05),
                    "posts": self.store.count_posts(),
                    "status": str(screen_message(self)),
                }
            )
        )


def screen_message(app: ReaderApp) -> object:
    """What the status line says (to show in the results when a sync fails)."""
    screen = app.screen
    if not isinstance(screen, MainScreen):
        return ""
    from textual.widgets import Static

    return screen.status.query_one("#message", Static).render()


def main() -> None:
    """Open the store and run the probed app."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    config, _ = load_config()  # the run gives this process an empty HOME: the defaults
    store = Store.open_in(Path(args.data_dir), section_names=config.sections)
    ProbedReader(store, Source.site(args.site), Path(args.out), config.sections).run()


if __name__ == "__main__":
    main()
