"""The screen for a damaged store: what is wrong, and the commands that save what it holds.

Shown instead of the reader when the store is found damaged (when it opens, by the check the
app runs at start, or part way through). Nothing is read from the store any more, so nothing
on it can fail; q leaves with exit status 1, since the reader could not do its job.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from reader.core.paths import display_path
from reader.core.store_errors import StoreError, one_line
from reader.core.text import clean_line


def damage_text(path: Path, detail: str, *, on_screen: bool = True) -> Text:
    """What the screen says: the problem, where, and what to do, as plain text."""
    store = display_path(path)
    folder = display_path(path.parent)
    rescued = f"{folder}/rescued.sqlite3"
    exported = f"{folder}/rescued.json"
    command = f"reader --data-dir {folder}"
    lines = [
        Text("The store is damaged", style="bold"),
        Text(""),
        Text(f"  {store}"),
        Text(f"  SQLite says: {clean_line(one_line(detail), decode=False) or 'it is corrupt'}"),
        Text(""),
        Text("Nothing more is written to it, so nothing more is lost. To save what it holds:"),
        Text(""),
        Text(f"  {command} store rescue -o {rescued}", style="bold"),
        Text("      a new store with every bookmark and post that can still be read"),
        Text(f"  {command} store rescue -o {exported}", style="bold"),
        Text("      the same as an export, which 'reader bookmarks import' reads"),
        Text(""),
        Text("Then move the damaged store aside and the rescued one into its place:"),
        Text(f"  mv {store} {store}.damaged"),
        Text(f"  mv {rescued} {store}"),
        Text(""),
        Text(f"'{command} store check' runs SQLite's full check of the store."),
    ]
    if on_screen:
        lines += [Text(""), Text("Press q to quit.", style="bold")]
    return Text("\n").join(lines)


class StoreDamaged(Message):
    """A screen found the store damaged; the app shows :class:`DamagedStoreScreen`."""

    def __init__(self, error: StoreError) -> None:
        super().__init__()
        self.error = error


class DamagedStoreScreen(Screen[None]):
    """Says the store is damaged and how to rescue it; q quits with exit status 1."""

    # Fixed keys, no id to remap: the screen names them, and the app's own quit key (as the
    # user mapped it) leaves with the same status.
    BINDINGS = [Binding("q,escape", "leave", "Quit")]

    DEFAULT_CSS = """
    DamagedStoreScreen {
        align: center middle;
    }
    DamagedStoreScreen > VerticalScroll {
        width: 96%;
        max-width: 100;
        height: auto;
        max-height: 95%;
        border: heavy $error;
        padding: 0 1;
    }
    """

    def __init__(self, error: StoreError, path: Path) -> None:
        super().__init__()
        self.error = error
        """The damage, as the store reported it."""
        self.path = path
        """The store's file."""

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(damage_text(self.path, self.error.detail), id="damage")

    def action_leave(self) -> None:
        """Quit the reader, saying (by the exit status) that it could not read."""
        self.app.exit(return_code=1)
