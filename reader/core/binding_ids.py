"""The ids of the reader's key bindings, so ``[keys]`` in config.toml is checked without the UI.

Textual ignores a keymap entry whose id no binding has; a typo would silently change nothing.
The UI defines the bindings; ``tests/ui/test_core_names.py`` keeps this list equal to them.
"""

from __future__ import annotations

BINDING_IDS = frozenset(
    {
        "app.help", "app.quit", "app.refresh", "app.search", "app.sidebar",
        "app.stop_refresh", "app.theme",
        "article.bottom", "article.down", "article.follow", "article.next_link",
        "article.page_down", "article.prev_link", "article.top", "article.up",
        "bookmarks.list", "bookmarks.toggle",
        "help.close",
        "history.back", "history.forward",
        "images.toggle",
        "links.copy", "links.list", "links.open",
        *(f"links.digit_{digit}" for digit in range(10)),
        "nav.newer", "nav.next_in_list", "nav.older", "nav.previous_in_list", "nav.read_next",
        "nav.topics",
        "picker.close", "picker.down", "picker.first", "picker.help", "picker.last", "picker.leave",
        "picker.up",
        "read.mark_all", "read.next_unread", "read.toggle",
        "search.widen",
        "sidebar.down", "sidebar.to_article", "sidebar.toggle", "sidebar.up",
    }
)  # fmt: skip
"""Every binding id a user may give keys to under ``[keys]``."""
