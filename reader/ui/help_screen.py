"""The help screen (``?``): every key, grouped by what it does, as remapped by the user."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.renderables.blank import Blank
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.ui import keys
from reader.ui.keys import HELP_GROUPS, key_label


def collect_bindings(
    bindings: Iterable[Binding], keymap: Mapping[str, str]
) -> dict[str, list[tuple[str, str, str]]]:
    """(keys, description, id) per group, with the user's remapped keys in place."""
    groups: dict[str, list[tuple[str, str, str]]] = {name: [] for name in HELP_GROUPS}
    digits: list[str] = []
    for binding in bindings:
        if not binding.id:
            continue
        group = binding.id.split(".")[0]
        mapped = keymap.get(binding.id, binding.key)
        if binding.id.startswith("links.digit_"):
            digits.append(mapped)
            continue
        entry = (key_label(mapped), binding.description, binding.id)
        if entry not in groups.setdefault(group, []):
            groups[group].append(entry)
    if digits:
        groups["links"].append(("0-9", "follow link N (type 12 for link 12)", "links.digit_N"))
    return groups


Row = tuple[str, str, str]
"""A key as shown, what it does, and the id it is remapped by."""


def help_sections(bindings: Iterable[Binding], keymap: Mapping[str, str]) -> dict[str, list[Row]]:
    """Every group's rows, with the keys that no binding lists (enter, escape, ctrl+p)."""
    groups = collect_bindings(bindings, keymap)
    extra: dict[str, list[Row]] = {
        "sidebar": [
            ("enter", "open the post, or open/close the group or source", ""),
        ],
        "article": [("escape", "back to the sidebar", "")],
        "picker": [
            ("enter", "pick the highlighted choice", ""),
            ("letters", "where the list has a filter box, typed into it (j, k, g, G too)", ""),
        ],
        "app": [("ctrl+p", "command palette", "")],
    }
    return {group: groups.get(group, []) + extra.get(group, []) for group in HELP_GROUPS}


_GAP = 2
"""Spaces between the columns."""
_NARROWEST_DESCRIPTION = 12
"""Below this the binding id goes under its description rather than beside it."""
_KEY_STYLE = Style(bold=True)
_ID_STYLE = Style(dim=True)
_HEADING_STYLE = Style(bold=True, underline=True)
_NOTE = "Remap any key in config.toml under [keys] with the id in the last column."


class KeyList:
    """The help's whole text as one renderable, laid out once for each width it is drawn at.

    The help was a Static per heading and per group, each holding a Rich table: opening it
    composed and styled two dozen widgets, and Textual measured and rendered every table again
    for each layout pass (two as a screen opens: its resume, then its resize) and each paint,
    some 30 ms a time. The keymap cannot change while the reader runs, so the lines for a
    width are made once, by hand (three columns and a wrapped description need no table), and
    replayed.
    """

    def __init__(self, sections: Mapping[str, list[Row]]) -> None:
        self._sections = {group: rows for group, rows in sections.items() if rows}
        every_row = [row for rows in self._sections.values() for row in rows]
        # Columns sized to what they hold (the same in every group, so they line up); the
        # description takes what is left and wraps in a narrow terminal.
        self._key_width = max((cell_len(shown) for shown, _, _ in every_row), default=0)
        self._id_width = max((cell_len(binding_id) for _, _, binding_id in every_row), default=0)
        self._lines: dict[int, list[list[Segment]]] = {}
        """The lines made for each width drawn at so far."""

    def lines_at(self, console: Console, width: int) -> list[list[Segment]]:
        """The lines at ``width``, made on the first call for that width."""
        lines = self._lines.get(width)
        if lines is None:
            lines = self._lines[width] = self._lay_out(console, max(width, 1))
        return lines

    def _lay_out(self, console: Console, width: int) -> list[list[Segment]]:
        """Headings, rows and the note, in lines of at most ``width`` cells."""
        key_width = min(self._key_width, width)
        beside = width - key_width - self._id_width - 2 * _GAP
        below = beside < _NARROWEST_DESCRIPTION
        description_width = max(1, width - key_width - _GAP if below else beside)
        lines: list[list[Segment]] = [_text_line("Keys", Style(bold=True), width)]
        for group, rows in self._sections.items():
            lines += [[], _text_line(HELP_GROUPS[group], _HEADING_STYLE, width)]
            for shown, description, binding_id in rows:
                wrapped = Text(description).wrap(console, description_width)
                for number, part in enumerate(wrapped):
                    line = [
                        _cell(shown if number == 0 else "", key_width, _KEY_STYLE),
                        Segment(" " * _GAP),
                        _cell(part.plain, description_width),
                    ]
                    if not below and number == 0 and binding_id:
                        line += [Segment(" " * _GAP), Segment(binding_id, _ID_STYLE)]
                    lines.append(line)
                if below and binding_id:
                    indent = Segment(" " * (key_width + _GAP))
                    lines.append([indent, _cell(binding_id, description_width, _ID_STYLE)])
        lines.append([])
        lines += [[Segment(part.plain, _ID_STYLE)] for part in Text(_NOTE).wrap(console, width)]
        return lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """The lines made for this width, each ended by a newline."""
        new_line = Segment.line()
        for line in self.lines_at(console, options.max_width):
            yield from line
            yield new_line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        """As wide as it is given (the descriptions wrap)."""
        return Measurement(options.max_width, options.max_width)


def _cell(text: str, width: int, style: Style | None = None) -> Segment:
    """``text`` cut or padded to exactly ``width`` cells."""
    return Segment(set_cell_size(text, width), style)


def _text_line(text: str, style: Style, width: int) -> list[Segment]:
    """A heading: one line, cut to the width."""
    return [Segment(set_cell_size(text, min(width, cell_len(text))), style)]


class KeyListView(VerticalScroll):
    """The help's scrolling view, where each scroll key goes on from where the last one aimed.

    A widget's ``scroll_to`` sets its target only after the next refresh, and ``scroll_down``
    adds a line to that target: ten ``j`` read in one burst (as a slow SSH link delivers them)
    all aimed at the line below the first and scrolled one line. The article pane and the
    sidebar are ScrollViews, which scroll at once; this view does the same.
    """

    def scroll_to(self, *args: Any, **kwargs: Any) -> None:
        """Scroll now, not after the next refresh, so the next key sees the new target."""
        kwargs["immediate"] = True
        super().scroll_to(*args, **kwargs)

    def action_page_down(self) -> None:
        """A page down from where the last key aimed (a burst of pages is each a page)."""
        self.scroll_to(y=self.scroll_target_y + self.scrollable_content_region.height)

    def action_page_up(self) -> None:
        """A page up from where the last key aimed."""
        self.scroll_to(y=self.scroll_target_y - self.scrollable_content_region.height)


_CLOSE_KEYS = next(binding.key for binding in keys.HELP if binding.id == "help.close")


class HelpScreen(ModalScreen[None]):
    """Every key it is given, as the user mapped them; escape, q or ? closes it."""

    BINDINGS = [*keys.HELP]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        background: $background;
    }
    HelpScreen > KeyListView {
        width: 96%;
        max-width: 100;
        height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    """

    def __init__(self, bindings: Iterable[Binding], keymap: Mapping[str, str]) -> None:
        super().__init__()
        self._keys = KeyList(help_sections(bindings, keymap))
        closing = keymap.get("help.close", _CLOSE_KEYS)
        self._close_keys = "/".join(keys.key_label(key) for key in closing.split(","))
        """The keys that close the help, as the user mapped them."""

    def render(self) -> RenderableType:
        """The backdrop, plain in every theme.

        Textual draws the screen below through a backdrop that is not opaque, which the ANSI
        theme's is (the terminal's own background, ``ansi_default``, counts as see-through):
        there the main screen showed around the box, and was drawn again every frame.
        """
        # A Visual, as Screen.render's own Blank is, under the renderable type it declares.
        return cast("RenderableType", Blank(self.styles.background))

    def compose(self) -> ComposeResult:
        view = KeyListView()
        # The help explains itself nowhere else (every picker has its hint line): a reader
        # who opened it at 60x20, where it does not fit, learns here how to scroll and leave.
        view.border_subtitle = f"j/k, space: scroll · {self._close_keys}: close"
        with view:
            yield Static(self._keys)

    def on_screen_resume(self) -> None:
        """Each opening starts at the top, as a help made afresh would (the screen is kept)."""
        view = self.query_one(KeyListView)
        if view.scroll_y:
            view.scroll_home(animate=False, immediate=True)
            # The screen coming back is only repainted, from the places of its last layout:
            # without a new layout the view showed the lines where it was left (a real
            # terminal, the help closed with ?), though its offset said the top.
            self.refresh(layout=True)

    def action_page_down(self) -> None:
        """A page down (space, page down), as in less."""
        self.query_one(KeyListView).action_page_down()

    def action_page_up(self) -> None:
        """A page up (b, page up)."""
        self.query_one(KeyListView).action_page_up()

    def action_scroll_home(self) -> None:
        """To the top (g, home)."""
        self.query_one(KeyListView).scroll_home(animate=False)

    def action_scroll_end(self) -> None:
        """To the end (G, end)."""
        self.query_one(KeyListView).scroll_end(animate=False)

    def action_scroll_down(self) -> None:
        """Scroll the list down."""
        self.query_one(KeyListView).scroll_down()

    def action_scroll_up(self) -> None:
        """Scroll the list up."""
        self.query_one(KeyListView).scroll_up()
