"""The key bar: the main keys, as the user has mapped them, on one line.

Textual's ``Footer`` rebuilds itself whenever focus moves; here focus moves on every article
opened, and the rebuild cost a frame or two (tens of milliseconds and kilobytes over SSH). The
reader's main keys are the same in both panes, so this bar is drawn once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from reader.ui.keys import KEY_BAR, key_label


def key_bar_text(bindings: Iterable[Binding], keymap: Mapping[str, str]) -> Content:
    """ "n Newer  p Older ..." with each key as currently mapped, in the theme's key colour."""
    by_id = {b.id: b for b in bindings if b.id}
    parts: list[str | tuple[str, str]] = []
    for binding_id in KEY_BAR:
        binding = by_id.get(binding_id)
        if binding is None:
            continue
        keys = keymap.get(binding_id, binding.key).split(",")
        # The shortest spelling fits best: "h" rather than "backspace".
        first = min((key_label(k) for k in keys), key=len)
        if parts:
            parts.append("  ")
        # A theme variable, not a colour: Content looks it up each time the bar is drawn.
        parts.append((first, "bold $footer-key-foreground"))
        parts.append(" " + binding.description)
    return Content.assemble(*parts)


class KeyBar(Static):
    """One line of the main keys at the bottom of the screen."""

    DEFAULT_CSS = """
    KeyBar {
        height: 1;
        background: $footer-background;
        color: $footer-description-foreground;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """
