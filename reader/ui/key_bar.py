"""The key bar: the main keys, as the user has mapped them, on one line.

Textual's ``Footer`` rebuilds itself whenever focus moves; here focus moves on every article
opened, and the rebuild cost a frame or two (tens of milliseconds and kilobytes over SSH). The
reader's main keys are the same in both panes, so this bar is drawn once per width: when the
terminal is too narrow for all of them, the last ones go first, and the keys for help and quit
always stay.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from reader.ui.keys import KEY_BAR, shown_key

ALWAYS_SHOWN = ("app.help", "app.quit")
"""Binding ids the bar keeps at any width: how to get help, and how to leave."""
_GAP = "  "


def key_bar_entries(
    bindings: Iterable[Binding], keymap: Mapping[str, str]
) -> list[tuple[str, str, str]]:
    """(binding id, key, description) of each key shown, in order, keys as mapped."""
    by_id = {b.id: b for b in bindings if b.id}
    entries: list[tuple[str, str, str]] = []
    for binding_id in KEY_BAR:
        binding = by_id.get(binding_id)
        if binding is None:
            continue
        # The shortest spelling fits best: "h" rather than "backspace".
        entries.append((binding_id, shown_key(binding_id, keymap, (binding,)), binding.description))
    return entries


def fit_entries(entries: Sequence[tuple[str, str, str]], width: int) -> list[tuple[str, str, str]]:
    """The entries that fit in ``width`` columns: optional ones dropped from the end first."""
    kept = list(entries)

    def length() -> int:
        return sum(len(key) + 1 + len(words) for _, key, words in kept) + len(_GAP) * max(
            len(kept) - 1, 0
        )

    while length() > width:
        optional = [
            i for i, (binding_id, _, _) in enumerate(kept) if binding_id not in ALWAYS_SHOWN
        ]
        if not optional:
            break
        del kept[optional[-1]]
    return kept


def key_bar_text(
    bindings: Iterable[Binding], keymap: Mapping[str, str], width: int | None = None
) -> Content:
    """ "n Newer  p Older ..." in the theme's key colour; only what fits when ``width`` is given."""
    entries = key_bar_entries(bindings, keymap)
    if width is not None:
        entries = fit_entries(entries, width)
    parts: list[str | tuple[str, str]] = []
    for _, key, description in entries:
        if parts:
            parts.append(_GAP)
        # A theme variable, not a colour: Content looks it up each time the bar is drawn.
        parts.append((key, "bold $footer-key-foreground"))
        parts.append(" " + description)
    return Content.assemble(*parts)


class KeyBar(Static):
    """One line of the main keys at the bottom of the screen, as many as fit."""

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

    def __init__(self, bindings: Iterable[Binding], keymap: Mapping[str, str]) -> None:
        self._listed = list(bindings)
        self._keys_as_mapped = dict(keymap)
        self._width: int | None = None
        super().__init__(key_bar_text(self._listed, self._keys_as_mapped))

    def on_resize(self) -> None:
        """Draw again for the new width (only when it changed)."""
        width = self.size.width
        if width and width != self._width:
            self._width = width
            self.update(key_bar_text(self._listed, self._keys_as_mapped, width))
