"""Baseline: Textual's own ``Markdown`` widget showing the same long article.

The articles' titles in a list where the reader has its sidebar; ``enter`` shows the
highlighted article (a Markdown file whose first line is ``# Title``) in a scrolling pane,
``escape`` or ``backspace`` goes back to the list, ``j``/``k`` move in the list or scroll the
article. The benchmarks time key to last byte against the reader.

    python bench/baseline_markdown.py first.md second.md
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Markdown, OptionList, Static

READY = "article ready"
"""Shown in the status line once the app is up: the benchmark's start mark."""
SHOWING = "showing"
"""The status line says this and the title once an article is all shown and has the keys."""
LISTED = "list at"
"""The status line says this and the highlighted title while the list has the keys."""


class MarkdownArticle(App[None]):
    """A list of titles and a Markdown pane."""

    CSS = """
    #title-bar { height: 1; background: $primary; text-style: bold; padding: 0 1; }
    #panes { height: 1fr; }
    OptionList { width: 36%; max-width: 48; min-width: 24; border: none; }
    #pane { width: 1fr; }
    #status { height: 1; background: $panel; padding: 0 1; }
    """
    BINDINGS = [
        # backspace too: one byte, which a busy machine cannot run together with the next key
        # the way it can a lone escape (read with the key after it, it is alt+key).
        Binding("escape,backspace", "to_list", "List"),
        Binding("j", "down", "Down"),
        Binding("k", "up", "Up"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, articles: list[str]) -> None:
        super().__init__()
        self.articles = articles
        """Each article as Markdown, its first line ``# Title``."""
        self.reading = False
        """True once an article was picked, until the list is asked for again. Kept here
        rather than read from the focus, which moves a moment later than the key that asks."""

    def compose(self) -> ComposeResult:
        yield Static("Markdown baseline", id="title-bar")
        with Horizontal(id="panes"):
            yield OptionList(*(Text(title_of(article)) for article in self.articles))
            with VerticalScroll(id="pane"):
                yield Markdown()
        yield Static(Text(READY), id="status")
        yield Footer()

    def on_mount(self) -> None:
        """Start on the list."""
        self.query_one(OptionList).focus()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Show the article, replacing what was shown."""
        self.reading = True
        article = self.articles[event.option_index]
        await self.query_one(Markdown).update(article)
        self.query_one("#pane", VerticalScroll).focus()
        # Says the update has finished: on a busy machine the widget mounts its blocks with
        # pauses longer than the benchmark's quiet, and keys sent before would go to the list.
        self.query_one("#status", Static).update(Text(f"{READY}, {SHOWING} {title_of(article)}"))

    def on_option_list_option_highlighted(self) -> None:
        """Say where the list's cursor is."""
        self._say_listed()

    def _say_listed(self) -> None:
        index = self.query_one(OptionList).highlighted
        if not self.reading and index is not None:
            title = title_of(self.articles[index])
            self.query_one("#status", Static).update(Text(f"{READY}, {LISTED} {title}"))

    def action_to_list(self) -> None:
        """Back to the list."""
        self.reading = False
        self.query_one(OptionList).focus()
        self._say_listed()

    def action_down(self) -> None:
        """Move down the list, or scroll the article one line."""
        if self.reading:
            self.query_one("#pane", VerticalScroll).scroll_down(animate=False)
        else:
            self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        """Move up the list, or scroll the article back one line."""
        if self.reading:
            self.query_one("#pane", VerticalScroll).scroll_up(animate=False)
        else:
            self.query_one(OptionList).action_cursor_up()


def title_of(markdown: str) -> str:
    """The title from an article's first line."""
    return markdown.split("\n", 1)[0].removeprefix("# ").strip()


def main() -> None:
    """Run the app on a Markdown file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("articles", nargs="+", metavar="FILE.md", help="articles as Markdown")
    args = parser.parse_args()
    MarkdownArticle([Path(name).read_text(encoding="utf-8") for name in args.articles]).run()


if __name__ == "__main__":
    main()
