"""The help screen (``?``): every key, grouped by what it does, as remapped by the user."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

GROUPS = {
    "nav": "Follow the site",
    "links": "Links in the article",
    "article": "Reading",
    "history": "Back and forward",
    "sidebar": "Sidebar",
    "read": "Read state",
    "bookmarks": "Bookmarks",
    "search": "Search (in the search box)",
    "app": "Reader",
}

_KEY_NAMES = {
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "question_mark": "?",
    "slash": "/",
    "space": "space",
}


def key_label(keys: str) -> str:
    """Textual key names as a person types them: "left_square_bracket" is "["."""
    return ", ".join(_KEY_NAMES.get(k.strip(), k.strip()) for k in keys.split(","))


def collect_bindings(
    bindings: list[Binding], keymap: dict[str, str]
) -> dict[str, list[tuple[str, str, str]]]:
    """(keys, description, id) per group, with the user's remapped keys in place."""
    groups: dict[str, list[tuple[str, str, str]]] = {name: [] for name in GROUPS}
    digits: list[str] = []
    for binding in bindings:
        if not binding.id:
            continue
        group = binding.id.split(".")[0]
        keys = keymap.get(binding.id, binding.key)
        if binding.id.startswith("links.digit_"):
            digits.append(keys)
            continue
        entry = (key_label(keys), binding.description, binding.id)
        if entry not in groups.setdefault(group, []):
            groups[group].append(entry)
    if digits:
        groups["links"].append(("0-9", "follow link N (type 12 for link 12)", "links.digit_N"))
    return groups


class HelpScreen(ModalScreen[None]):
    """Every key the reader knows; escape, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        Binding("j,down", "scroll_down", "Down", show=False),
        Binding("k,up", "scroll_up", "Up", show=False),
    ]

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
    """

    def compose(self) -> ComposeResult:
        from reader.ui.article_view import ArticleView
        from reader.ui.main_screen import MainScreen
        from reader.ui.search_screen import SearchScreen
        from reader.ui.sidebar import Sidebar

        bindings = [
            *MainScreen.BINDINGS,
            *SearchScreen.BINDINGS,
            *ArticleView.BINDINGS,
            *Sidebar.BINDINGS,
            *self.app.BINDINGS,
        ]
        keymap = dict(getattr(self.app, "_keymap", {}) or {})
        groups = collect_bindings([b for b in bindings if isinstance(b, Binding)], keymap)
        extra = {
            "sidebar": [
                ("enter", "open the post, or open/close the group", ""),
                ("tab", "to the article", ""),
            ],
            "article": [("escape", "back to the sidebar", "")],
            "app": [("ctrl+p", "command palette", "")],
        }
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        table.add_column(style="dim")
        for group, title in GROUPS.items():
            rows = groups.get(group, []) + extra.get(group, [])
            if not rows:
                continue
            table.add_row(Text(title, style="bold underline"), "", "")
            for keys, description, binding_id in rows:
                table.add_row(Text(keys), Text(description), Text(binding_id))
            table.add_row("", "", "")
        note = Text(
            "Remap any key in config.toml under [keys] with the id in the last column.", style="dim"
        )
        with VerticalScroll():
            yield Static(Text("Keys", style="bold"))
            yield Static(table)
            yield Static(note)

    def action_scroll_down(self) -> None:
        """Scroll the list down."""
        self.query_one(VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        """Scroll the list up."""
        self.query_one(VerticalScroll).scroll_up()
