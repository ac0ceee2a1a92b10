"""The help screen (``?``): every key, grouped by what it does, as remapped by the user."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
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


class HelpScreen(ModalScreen[None]):
    """Every key it is given, as the user mapped them; escape, q or ? closes it."""

    BINDINGS = [*keys.HELP]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 96%;
        max-width: 100;
        height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen .help-group, HelpScreen .help-note {
        margin-top: 1;
    }
    """

    def __init__(self, bindings: Iterable[Binding], keymap: Mapping[str, str]) -> None:
        super().__init__()
        self._listed = list(bindings)
        self._keys_as_mapped = dict(keymap)

    def compose(self) -> ComposeResult:
        groups = collect_bindings(self._listed, self._keys_as_mapped)
        extra = {
            "sidebar": [
                ("enter", "open the post, or open/close the group", ""),
            ],
            "article": [("escape", "back to the sidebar", "")],
            "app": [("ctrl+p", "command palette", "")],
        }
        sections = {group: groups.get(group, []) + extra.get(group, []) for group in HELP_GROUPS}
        every_row = [row for rows in sections.values() for row in rows]
        # Columns sized to what they hold (the same in every group, so they line up); the
        # description takes what is left and wraps in a narrow terminal.
        key_width = max(len(shown) for shown, _, _ in every_row)
        id_width = max(len(binding_id) for _, _, binding_id in every_row)
        note = Text(
            "Remap any key in config.toml under [keys] with the id in the last column.", style="dim"
        )
        with VerticalScroll():
            yield Static(Text("Keys", style="bold"))
            for group, title in HELP_GROUPS.items():
                rows = sections[group]
                if not rows:
                    continue
                table = Table.grid(padding=(0, 2), expand=True)
                table.add_column(style="bold", no_wrap=True, width=key_width)
                table.add_column(ratio=1)
                table.add_column(style="dim", no_wrap=True, width=id_width)
                for shown, description, binding_id in rows:
                    table.add_row(Text(shown), Text(description), Text(binding_id))
                yield Static(Text(title, style="bold underline"), classes="help-group")
                yield Static(table)
            yield Static(note, classes="help-note")

    def action_page_down(self) -> None:
        """A page down (space, page down), as in less."""
        self.query_one(VerticalScroll).scroll_page_down()

    def action_page_up(self) -> None:
        """A page up (b, page up)."""
        self.query_one(VerticalScroll).scroll_page_up()

    def action_scroll_home(self) -> None:
        """To the top (g, home)."""
        self.query_one(VerticalScroll).scroll_home(animate=False)

    def action_scroll_end(self) -> None:
        """To the end (G, end)."""
        self.query_one(VerticalScroll).scroll_end(animate=False)

    def action_scroll_down(self) -> None:
        """Scroll the list down."""
        self.query_one(VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        """Scroll the list up."""
        self.query_one(VerticalScroll).scroll_up()
