"""Baseline: Textual's own ``Markdown`` widget showing the same long article.

One title in a list where the reader has its sidebar; ``enter`` shows the article (from a
Markdown file) in a scrolling pane, ``escape`` goes back to the list. Each ``enter`` shows the
article anew, as the reader does. The benchmarks time key to last byte against the reader.

    python bench/baseline_markdown.py --markdown article.md --title "Title"
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


class MarkdownArticle(App[None]):
    """A one-title list and a Markdown pane."""

    CSS = """
    #title-bar { height: 1; background: $primary; text-style: bold; padding: 0 1; }
    #panes { height: 1fr; }
    OptionList { width: 36%; max-width: 48; min-width: 24; border: none; }
    #pane { width: 1fr; }
    #status { height: 1; background: $panel; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "List"),
        Binding("j", "down", "Down"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, title: str, markdown: str) -> None:
        super().__init__()
        self.article_title = title
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        yield Static("Markdown baseline", id="title-bar")
        with Horizontal(id="panes"):
            yield OptionList(Text(self.article_title))
            with VerticalScroll(id="pane"):
                yield Markdown()
        yield Static(Text(READY), id="status")
        yield Footer()

    def on_mount(self) -> None:
        """Start on the list."""
        self.query_one(OptionList).focus()

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Show the article, replacing what was shown."""
        await self.query_one(Markdown).update(self.markdown)
        self.query_one("#pane", VerticalScroll).focus()

    def action_back(self) -> None:
        """Back to the list."""
        self.query_one(OptionList).focus()

    def action_down(self) -> None:
        """Scroll the article one line."""
        self.query_one("#pane", VerticalScroll).scroll_down(animate=False)


def main() -> None:
    """Run the app on a Markdown file."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--markdown", required=True, help="the article as Markdown")
    parser.add_argument("--title", default="The article", help="its title, for the list")
    args = parser.parse_args()
    MarkdownArticle(args.title, Path(args.markdown).read_text(encoding="utf-8")).run()


if __name__ == "__main__":
    main()
