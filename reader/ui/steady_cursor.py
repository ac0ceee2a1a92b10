"""Text boxes whose cursor does not blink: a blinking cursor is output for nothing.

Textual draws the cursor of an ``Input`` itself and blinks it by redrawing the box twice a
second: 1-2 KB a second over SSH while the screen shows nothing new. Here the cursor stays
drawn, still, and the screen writes nothing until something changes.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.command import CommandPalette
from textual.widgets import Input


def steady(box: Input) -> Input:
    """``box``, its cursor drawn and still."""
    box.cursor_blink = False
    return box


class SteadyCommandPalette(CommandPalette):
    """Textual's command palette with a cursor that does not blink, closed by escape at once.

    Textual's escape acts only once the key has passed through the palette's box and back
    up, so keys typed just after it (esc q) went into the box; a priority binding acts as
    the key arrives (see ``keys.PICKER``).
    """

    BINDINGS = [Binding("escape", "escape", "Exit the command palette", priority=True)]

    def on_mount(self) -> None:
        """Stop the blink of the palette's box (Textual keeps the cursor drawn)."""
        for box in self.query(Input):
            steady(box)
