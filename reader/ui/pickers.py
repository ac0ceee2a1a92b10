"""Small keyboard pickers: the link list, a post's topics, bookmarks, search results.

One modal with an optional filter box and an option list. Every label is built as
``rich.text.Text`` from untrusted strings, never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.css.styles import RulesMap
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from reader.render.layout import KeptTogether
from reader.ui import keys
from reader.ui.enter_picks import EnterPicks
from reader.ui.steady_cursor import steady

Value = TypeVar("Value")
"""What picking a choice returns: a link number, a post to open, a topic..."""


@dataclass(frozen=True)
class Choice(Generic[Value]):
    """One line of a picker: what it shows and what picking it returns."""

    label: Text
    value: Value
    hangs: tuple[int, ...] | None = None
    """Per line of the label, how far its wrapped rows are indented (None: as far as the line's
    own leading spaces), so a title after a mark ("↓ ") wraps under its first word."""


Chooser = Callable[[str], list[Choice[Value]]]
"""Given the filter text, the choices to show (search runs here)."""


class Label(Visual):
    """A choice's label, drawn as Textual draws a ``Text`` (its ``Content``), but measured
    without wrapping it when every line fits, and with each line's wrapped rows indented
    under its first row's words (Textual starts them at the left edge).

    The list measures every label's height when it is filled, and Textual does it by
    wrapping the whole text: two thirds of filling the search's 50 results, most of which are
    never drawn. The ``Content`` is made when the label is first drawn.
    """

    def __init__(self, text: Text, console: Console, hangs: tuple[int, ...] | None = None) -> None:
        self._text = text
        self._console = console
        self._content: Content | None = None
        lines = text.plain.split("\n")
        # A tab's width depends on where it falls, an empty line on how Textual counts it.
        measurable = "\t" not in text.plain and all(lines)
        self._widths = [cell_len(line) for line in lines] if measurable else None
        self._hangs = hangs or tuple(len(line) - len(line.lstrip(" ")) for line in lines)
        """Per line, the characters its wrapped rows are indented by (one cell each)."""
        self._hung: tuple[int, Content] | None = None
        """The label wrapped with its indents, and the width it was wrapped to."""

    @property
    def plain(self) -> str:
        """The label's text without its styles."""
        return self._text.plain

    def __str__(self) -> str:
        return self._text.plain

    @property
    def content(self) -> Content:
        """The label as Textual draws it."""
        if self._content is None:
            self._content = Content.from_rich_text(self._text, console=self._console)
        return self._content

    def _wrapped(self, rules: RulesMap, width: int) -> Content:
        """The label as drawn at ``width``: its ``Content``, with lines that wrap broken here
        and their rows after the first indented by the line's hang."""
        room = width - int(rules.get("line_pad", 0) or 0) * 2
        if not any(self._hangs) or "\t" in self._text.plain:
            return self.content
        if self._hung is not None and self._hung[0] == room:
            return self._hung[1]
        rows: list[Text] = []
        hung = False
        for line, hang in zip(self._text.split("\n", allow_blank=True), self._hangs, strict=False):
            if not hang or hang >= room - 1 or cell_len(line.plain) <= room:
                rows.append(line)
                continue
            hung = True
            mark, words = line[:hang], line[hang:]
            for number, row in enumerate(words.wrap(self._console, room - hang)):
                row.rstrip()
                rows.append((mark if number == 0 else Text(" " * hang)) + row)
        content = (
            Content.from_rich_text(Text("\n").join(rows), console=self._console)
            if hung
            else self.content
        )
        self._hung = (room, content)
        return content

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        """Drawn as its ``Content``, wrapped lines indented."""
        return self._wrapped(options.rules, width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        """As its ``Content``."""
        return self.content.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        """As its ``Content``."""
        return self.content.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        """One row a line where every line fits; else as its ``Content`` wraps."""
        if self._widths is not None:
            padding = int(rules.get("line_pad", 0) or 0) * 2
            if max(self._widths) <= width - padding:
                return len(self._widths)
        return self._wrapped(rules, width).get_height(rules, width)


class FilterBox(Input):
    """A picker's filter box, where enter picks as the box reads it, in the order typed.

    Input's enter is a binding, and a binding acts only once the key has passed up through
    the screen to the app, while a letter is typed into the box as the box reads it:
    "/kidney", enter and n in one read (a slow SSH link) typed the n first, "kidneyn" matched
    nothing, and the enter then found no choice to pick.
    """

    def __init__(self, picked: Callable[[], None], *, value: str, placeholder: str) -> None:
        super().__init__(value=value, placeholder=placeholder, id="picker-filter")
        self._picked = picked

    def on_key(self, event: events.Key) -> None:
        """Enter picks now; any other key goes on to Input's own handling."""
        if event.key == "enter":
            event.stop()
            event.prevent_default()  # nor Input's handler, nor its binding's submit
            self._picked()


class ChoiceList(OptionList):
    """A picker's list, where enter (or a click) picks in the key's own turn.

    OptionList says so with a message, which reached the picker after the keys read behind the
    enter had been handed to the list the pick was about to close (``t``, enter and ``n`` in one
    read: the n was lost).
    """

    def __init__(self, picked: Callable[[int | None], None]) -> None:
        super().__init__(id="picker-options")
        self._picked = picked

    def action_select(self) -> None:
        """Pick the highlighted choice now (a disabled line picks nothing)."""
        index = self.highlighted
        if index is not None and self.get_option_at_index(index).disabled:
            index = None
        self._picked(index)


def hint_line(hint: str) -> KeptTogether:
    """A hint such as "enter opens · esc closes", wrapped only between its parts."""
    return KeptTogether([Text(part) for part in hint.split(" · ")], Text(" · "))


class Picker(EnterPicks, ModalScreen[Value | None]):
    """Pick one of a list from the keyboard; ``escape`` closes without picking.

    Enter picks (in the filter box or the list), then tells the app, which holds the keys read
    after the enter until then (see :mod:`reader.ui.enter_picks`).
    """

    BINDINGS = [*keys.PICKER]

    DEFAULT_CSS = """
    Picker {
        align: center middle;
    }
    Picker > Vertical {
        width: 90%;
        max-width: 110;
        height: 80%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    Picker #picker-title {
        text-style: bold;
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    Picker #picker-hint {
        color: $text-muted;
        height: auto;
    }
    Picker OptionList {
        height: 1fr;
        border: none;
    }
    """

    def __init__(
        self,
        title: str,
        choices: list[Choice[Value]] | Chooser[Value],
        *,
        placeholder: str = "",
        hint: str | None = None,
        empty: str = "Nothing here.",
        untyped: str | None = None,
        query: str = "",
    ) -> None:
        super().__init__()
        self._title = title
        self._chooser: Chooser[Value] | None = choices if callable(choices) else None
        self._choices: list[Choice[Value]] = [] if callable(choices) else choices
        self._placeholder = placeholder
        self._hint = hint if hint is not None else self.default_hint(filtered=callable(choices))
        self._empty = empty
        self._untyped = empty if untyped is None else untyped
        """What the empty list says while nothing is typed ("": nothing at all)."""
        self._query = query

    @staticmethod
    def default_hint(*, filtered: bool) -> str:
        """The hint line: the letters that move are said only where they are not typed (the
        filter box takes every letter before the picker's bindings see it)."""
        if filtered:
            return "enter opens · esc closes"
        return "j/k ↑↓ move · g/G first/last · enter opens · esc/q closes"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self._title), id="picker-title")
            if self._chooser is not None:
                yield steady(
                    FilterBox(
                        self._pick_highlighted, value=self._query, placeholder=self._placeholder
                    )
                )
            yield ChoiceList(self._pick)
            yield Static(hint_line(self._hint), id="picker-hint")

    def on_mount(self) -> None:
        """Fill the list, and focus the filter box when there is one."""
        if not self.query(OptionList):
            # Opened by a key typed just after q: the app is closing and composed nothing.
            return
        if self._chooser is not None:
            self._choices = self._chooser(self._query)
            box = self.query_one(Input)
            box.focus()
            # Watched, not answered on Input.Changed: that message reached this screen after
            # the frame showing the typed text was made, and the choices made a second frame.
            self.watch(box, "value", self._typed, init=False)
        else:
            self.query_one(OptionList).focus()
        self._fill()

    def _fill(self) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        if not self._choices:
            typed = self._chooser is not None and self.query_one(Input).value.strip()
            said = self._empty if typed or self._chooser is None else self._untyped
            if said:
                options.add_option(Option(Text(said, style="dim"), disabled=True))
            return
        console = self.app.console
        options.add_options(
            Option(Label(c.label, console, c.hangs), id=str(i)) for i, c in enumerate(self._choices)
        )
        options.highlighted = 0

    def _typed(self, value: str) -> None:
        """Search again as the filter changes, before the box is drawn with the new text."""
        if self._chooser is not None:
            self._choices = self._chooser(value)
            self._fill()

    def _pick_highlighted(self) -> None:
        """Enter in the filter box picks the highlighted choice."""
        self._pick(self.query_one(OptionList).highlighted)

    def _pick(self, index: int | None) -> None:
        """Pick choice ``index`` (None, or out of range: nothing), then let the keys read
        after the enter go: to the screen below when this one closed, else back here."""
        if index is not None and 0 <= index < len(self._choices):
            # The result goes to the screen's callback before the app's next message, so
            # the keys let go after it act on what the pick opened.
            self.dismiss(self._choices[index].value)
        self.app.post_message(self.enter_done())

    def action_cursor_down(self) -> None:
        """Move down the list, even while typing in the filter."""
        self.query_one(OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        """Move up the list, even while typing in the filter."""
        self.query_one(OptionList).action_cursor_up()

    def action_first(self) -> None:
        """The first choice (a picker without a filter box)."""
        self.query_one(OptionList).action_first()

    def action_last(self) -> None:
        """The last choice (a picker without a filter box)."""
        self.query_one(OptionList).action_last()
