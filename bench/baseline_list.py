"""Baseline: the least a Textual app needs to list the stored titles.

A title bar, an ``OptionList`` of every title in the store (newest first) where the reader has
its sidebar, an empty pane where it has the article, a status line and a footer. It reads the
reader's SQLite file with nothing but ``sqlite3``. The benchmarks time it next to the reader
for start-up, redraw bytes and key latency.

    python bench/baseline_list.py --store DIR/reader.sqlite3
"""

from __future__ import annotations

import argparse
import sqlite3

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, OptionList, Static

READY = "posts listed"
"""Shown in the status line once the list is filled: the benchmark's "full screen" mark."""


def stored_titles(path: str) -> list[str]:
    """Every title in the reader's store, newest first."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT title FROM posts ORDER BY published DESC, id DESC").fetchall()
    finally:
        db.close()
    return [str(title) for (title,) in rows]


class TitleList(App[None]):
    """Titles on the left, nothing on the right."""

    CSS = """
    #title-bar { height: 1; background: $primary; text-style: bold; padding: 0 1; }
    #panes { height: 1fr; }
    OptionList { width: 36%; max-width: 48; min-width: 24; border: none; }
    #pane { width: 1fr; padding: 0 1; }
    #status { height: 1; background: $panel; padding: 0 1; }
    """
    BINDINGS = [
        Binding("j", "down", "Down"),
        Binding("k", "up", "Up"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, titles: list[str]) -> None:
        super().__init__()
        self.titles = titles

    def compose(self) -> ComposeResult:
        yield Static("Stored titles", id="title-bar")
        with Horizontal(id="panes"):
            # Text, not str: a title is never parsed as markup.
            yield OptionList(*(Text(title) for title in self.titles))
            yield Static("", id="pane")
        yield Static(Text(f"{len(self.titles)} {READY}"), id="status")
        yield Footer()

    def on_mount(self) -> None:
        """Put the keys on the list."""
        self.query_one(OptionList).focus()

    def action_down(self) -> None:
        """Move the highlight down."""
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        """Move the highlight up."""
        self.query_one(OptionList).action_cursor_up()


def main() -> None:
    """Run the app on a store."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", required=True, help="the reader's reader.sqlite3")
    args = parser.parse_args()
    TitleList(stored_titles(args.store)).run()


if __name__ == "__main__":
    main()
