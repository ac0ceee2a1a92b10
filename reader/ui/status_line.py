"""The status line: messages on the left, sync state on the right.

Every text shown here may hold untrusted text (a URL, a title, a server's error), so it is
built as ``rich.text.Text`` and never parsed as markup.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Static

from reader.core.words import counted
from reader.render.address_line import AddressLine

if TYPE_CHECKING:
    from textual.widgets import ProgressBar


def ago(seconds: float) -> str:
    """ "just now", "5 min ago", "3 h ago", "2 days ago"."""
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    return f"{int(seconds // 86400)} days ago"


class StatusLine(Horizontal):
    """One line at the bottom: what just happened, and whether the reader is up to date."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        background: $panel;
        color: $foreground;
    }
    StatusLine #message {
        width: 1fr;
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    StatusLine ProgressBar {
        width: 36;
        height: 1;
        display: none;
    }
    StatusLine.progress ProgressBar {
        display: block;
    }
    StatusLine #state {
        width: auto;
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    StatusLine.error #message {
        color: $error;
        text-style: bold;
    }
    """

    last_sync: reactive[int | None] = reactive(None, layout=False)
    """Unix time of the last refresh that read something (any source of several)."""
    failed: reactive[int] = reactive(0, layout=False)
    """Sources that failed in the last refresh, of several read (said after its time)."""
    syncing: reactive[str] = reactive("")
    """What the running sync is doing, or "" when none runs."""
    offline: reactive[bool] = reactive(False)
    """True when the last attempt to reach the site failed."""

    said = ""
    """The message shown now."""
    _state_width = -1
    """Cells of the sync state shown now (-1: none yet)."""

    _bar: ProgressBar | None = None
    """The progress bar, made at the first sync that knows its length."""

    def compose(self) -> ComposeResult:
        # No progress bar yet: hidden until a sync knows how much is left, it would be made,
        # styled and laid out (with its bar, count and ETA) for every start.
        yield Static(id="message")
        yield Static(id="state")

    def on_mount(self) -> None:
        """Keep "updated N min ago" fresh."""
        self.set_interval(30, self._show_state)

    def say(self, message: str, *, error: bool = False, address: str = "") -> None:
        """Show one message (plain text, never markup); an ``address`` it holds is cut in its
        middle, not at the line's end, when the message is too wide (see ``AddressLine``)."""
        self.set_class(error, "error")
        self.said = message.replace("\n", " ")
        shown: Text | AddressLine = Text(self.said)
        address = address.replace("\n", " ")
        if address and address in self.said:
            before, _, after = self.said.partition(address)
            shown = AddressLine(before, address, after)
        # Its size is fixed (1fr by one line): a new message needs no layout of the screen,
        # which costs tens of ms at 120x40 and would follow every article opened.
        self.query_one("#message", Static).update(shown, layout=False)

    def progress(self, done: int, total: int | None) -> None:
        """Show a bar with count and ETA while a long sync knows how much is left."""
        if total:
            if self._bar is None:
                from textual.widgets import ProgressBar

                self._bar = ProgressBar(show_percentage=False, show_eta=True)
                self.mount(self._bar, before="#state")
            self.add_class("progress")
            self._bar.update(total=total, progress=done)
        else:
            self.remove_class("progress")

    def _show_state(self) -> None:
        state = Text()
        if self.syncing:
            state.append(self.syncing)
        elif self.offline:
            state.append("offline", style="bold")
            if self.last_sync:
                state.append(f" · updated {ago(time.time() - self.last_sync)}")
        elif self.last_sync:
            state.append(f"updated {ago(time.time() - self.last_sync)}")
        else:
            state.append("never updated")
        if self.failed and not self.syncing:
            state.append(f" · {counted(self.failed, 'source')} failed", style="bold")
        # Its width follows its text (auto): only a new width needs a layout of the screen.
        # A refresh's progress changes the count of pages, not its width, a few hundred times:
        # each layout cost the screen's loop 20-40 ms, which the refresh's thread waited for.
        width = state.cell_len
        self.query_one("#state", Static).update(state, layout=width != self._state_width)
        self._state_width = width

    def watch_last_sync(self) -> None:
        self._show_state()

    def watch_syncing(self) -> None:
        if not self.syncing:
            self.remove_class("progress")
        self._show_state()

    def watch_offline(self) -> None:
        self._show_state()

    def watch_failed(self) -> None:
        self._show_state()
