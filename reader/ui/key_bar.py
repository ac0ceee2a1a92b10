"""The key bar: the main keys, as the user has mapped them, on one line.

Textual's ``Footer`` rebuilds itself whenever focus moves; here focus moves on every article
opened, and the rebuild cost a frame or two (tens of milliseconds and kilobytes over SSH). The
reader's main keys are the same in both panes, so this bar is drawn once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

from reader.ui.help_screen import key_label

SHOWN = (
    "nav.newer",
    "nav.older",
    "nav.read_next",
    "history.back",
    "bookmarks.toggle",
    "app.search",
    "app.help",
    "app.quit",
)
"""Binding ids shown, in order; the help screen (``?``) lists the rest."""


def key_bar_text(bindings: Iterable[Binding], keymap: Mapping[str, str]) -> Text:
    """ "n Newer  p Older ..." with each key as currently mapped."""
    by_id = {b.id: b for b in bindings if b.id}
    text = Text(no_wrap=True, overflow="ellipsis")
    for binding_id in SHOWN:
        binding = by_id.get(binding_id)
        if binding is None:
            continue
        keys = keymap.get(binding_id, binding.key).split(",")
        # The shortest spelling fits best: "h" rather than "backspace".
        first = min((key_label(k) for k in keys), key=len)
        if text:
            text.append("  ")
        text.append(first, style="bold")
        text.append(" " + binding.description)
    return text


class KeyBar(Static):
    """One line of the main keys at the bottom of the screen."""

    DEFAULT_CSS = """
    KeyBar {
        height: 1;
        background: $footer-background;
        color: $footer-description-foreground;
        padding: 0 1;
    }
    """
