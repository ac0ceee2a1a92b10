"""Every key of the reader in one place: the bindings of each screen and widget, their ids (what
a user remaps in ``[keys]`` of config.toml), how key names read, and how the help groups them.

The screens and widgets take their ``BINDINGS`` from here, and the help screen and key bar list
them from here, so neither has to import the screens to know their keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.binding import Binding

APP = [
    Binding("q", "quit", "Quit", id="app.quit"),
    Binding("question_mark", "help", "Keys", id="app.help"),
    Binding("ctrl+t", "next_theme", "Theme", show=False, id="app.theme"),
]
"""Keys that work on every screen."""

MAIN_SCREEN = [
    Binding("n", "newer", "Newer", id="nav.newer"),
    Binding("p", "older", "Older", id="nav.older"),
    Binding("r", "read_next", "Read next", id="nav.read_next"),
    Binding("t", "topics", "Topics", show=False, id="nav.topics"),
    Binding(
        "left_square_bracket",
        "previous_in_list",
        "Prev in list",
        show=False,
        id="nav.previous_in_list",
    ),
    Binding(
        "right_square_bracket",
        "next_in_list",
        "Next in list",
        show=False,
        id="nav.next_in_list",
    ),
    Binding("backspace,h", "back", "Back", id="history.back"),
    Binding("l", "forward", "Forward", show=False, id="history.forward"),
    Binding("L", "link_list", "Links", show=False, id="links.list"),
    Binding("o", "open_in_browser", "Open", show=False, id="links.open"),
    Binding("y", "copy_link", "Copy link", show=False, id="links.copy"),
    Binding("b", "toggle_bookmark", "Bookmark", id="bookmarks.toggle"),
    Binding("B", "bookmarks", "Bookmarks", show=False, id="bookmarks.list"),
    Binding("m", "toggle_read", "Read/unread", show=False, id="read.toggle"),
    Binding("u", "next_unread", "Next unread", show=False, id="read.next_unread"),
    Binding("M", "mark_all_read", "Mark all read", show=False, id="read.mark_all"),
    # Priority, so the search opens as the key arrives: bound the usual way, the letters typed
    # after it in the same read ("/kidney") were taken as commands before the box was open.
    Binding("slash", "search", "Search", id="app.search", priority=True),
    # q as well, on this screen only (no text box here): the priority / above overtook a q read
    # with it ("q/"), opening the search as the reader was about to close. The app's own q,
    # below, quits from every other screen; this one shares its id, so a keymap moves both.
    Binding("q", "app.quit", "Quit", show=False, id="app.quit", priority=True),
    Binding("ctrl+r", "refresh", "Refresh", show=False, id="app.refresh"),
    Binding("escape", "focus_sidebar", "Sidebar", show=False, id="app.sidebar"),
    Binding("s", "toggle_sidebar", "Hide/show list", show=False, id="sidebar.toggle"),
    # Tab in the article selects links (its own binding); from the list it goes to the article.
    Binding("tab", "to_article", "To the article", show=False, id="sidebar.to_article"),
    Binding("x", "stop_refresh", "Stop refresh", show=False, id="app.stop_refresh"),
    Binding("i", "toggle_images", "Images", show=False, id="images.toggle"),
    *(
        Binding(str(d), f"digit({d})", f"Link {d}", show=False, id=f"links.digit_{d}")
        for d in range(10)
    ),
]
"""The main screen: following the site, links, history, bookmarks, read state, refresh."""

ARTICLE_VIEW = [
    Binding("tab", "next_link", "Next link", show=False, id="article.next_link"),
    Binding("shift+tab", "previous_link", "Prev link", show=False, id="article.prev_link"),
    Binding("enter", "follow", "Follow link", show=False, id="article.follow"),
    Binding("j", "scroll_down", "Down", show=False, id="article.down"),
    Binding("k", "scroll_up", "Up", show=False, id="article.up"),
    # As slrn and mutt's pager have it: at the article's end, space goes on to the next unread.
    Binding("space", "read_on", "Page down, then next unread", show=False, id="article.page_down"),
    Binding("g", "scroll_home", "Top", show=False, id="article.top"),
    Binding("G", "scroll_end", "Bottom", show=False, id="article.bottom"),
]
"""The article pane: links and scrolling."""

LIST_READS_ARTICLE = [
    Binding("space", "article_read_on", "Page down", show=False, id="article.page_down"),
    Binding("g", "article_top", "Top", show=False, id="article.top"),
    Binding("G", "article_bottom", "Bottom", show=False, id="article.bottom"),
]
"""The article's paging keys where the list has the focus and the article is beside it (on
a post's line: space on a group's opens or closes it). The ids are the article's own, so a
keymap moves both; the help lists them once, with the article's."""

SIDEBAR = [
    Binding("j", "cursor_down", "Down", show=False, id="sidebar.down"),
    Binding("k", "cursor_up", "Up", show=False, id="sidebar.up"),
]
"""The sidebar, besides the Tree's own arrows, enter and space."""

SEARCH = [
    # Not ctrl+w: the filter box (an Input) takes that to delete a word.
    Binding("ctrl+o", "widen", "Whole site", id="search.widen"),
]
"""The search box."""

PICKER = [
    # A priority binding acts as the key arrives, before the next key is read: bound the
    # usual way, escape only closed once it had passed through the filter box and back up,
    # and the keys typed after it (esc q, on a busy machine) were typed into the box.
    Binding("escape", "dismiss(None)", "close the list", id="picker.close", priority=True),
    # q as the help, mutt's menus and newsboat's dialogs have it: in a modal screen the app's
    # own q is out of reach, so in the t and L lists q did nothing at all. Not a priority:
    # where the list has a filter box, the box takes the q first, as it takes every letter.
    Binding("q", "dismiss(None)", "close a list without a filter box", id="picker.leave"),
    # ? likewise, as mutt's menus have it (the help opens over the list, which it leaves as
    # it was); in a filter box it is a letter.
    Binding(
        "question_mark", "app.help", "keys, over a list without a filter box", id="picker.help"
    ),
    # j/k/g/G as newsboat and lynx have them. Where a list has a filter box, the box takes the
    # letters (an Input stops a printable key before any screen binding sees it), and home
    # and end (the Input's own bindings, for its text): only the arrows move the list there.
    Binding("j,down", "cursor_down", "down the list", show=False, id="picker.down"),
    Binding("k,up", "cursor_up", "up the list", show=False, id="picker.up"),
    Binding("g,home", "first", "first choice", show=False, id="picker.first"),
    Binding("G,end", "last", "last choice", show=False, id="picker.last"),
]
"""Every picker (links, topics, bookmarks, search)."""

HELP = [
    Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
    Binding("j,down", "scroll_down", "Down", show=False),
    Binding("k,up", "scroll_up", "Up", show=False),
    # As less and w3m have them.
    Binding("space,pagedown", "page_down", "Page down", show=False),
    Binding("b,pageup", "page_up", "Page up", show=False),
    Binding("g,home", "scroll_home", "Top", show=False),
    Binding("G,end", "scroll_end", "Bottom", show=False),
]
"""The help screen."""

SHOWN_IN_HELP = [*MAIN_SCREEN, *SEARCH, *ARTICLE_VIEW, *SIDEBAR, *PICKER, *APP]
"""What the help screen lists (the help itself explains itself)."""

KEY_BAR = (
    "nav.newer",
    "nav.older",
    "nav.read_next",
    "history.back",
    "bookmarks.toggle",
    "app.search",
    "app.help",
    "app.quit",
)
"""Binding ids shown in the key bar, in order; the help screen (``?``) lists the rest."""

HELP_GROUPS = {
    "nav": "Follow the site",
    "links": "Links in the article",
    "article": "Reading",
    "history": "Back and forward",
    "sidebar": "Sidebar",
    "read": "Read state",
    "bookmarks": "Bookmarks",
    "images": "Pictures",
    "search": "Search (in the search box)",
    "picker": "Pop-up lists (L, t, B, /)",
    "app": "Reader",
}
"""Help sections, by the first part of a binding id ("nav.newer" is in "nav")."""

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


def bound_keys(
    binding_id: str, keymap: Mapping[str, str], bindings: Iterable[Binding]
) -> list[str]:
    """The keys of ``binding_id`` as the user mapped them (Textual's names); [] when no
    binding has that id."""
    for binding in bindings:
        if binding.id == binding_id:
            return [key.strip() for key in keymap.get(binding_id, binding.key).split(",")]
    return []


def shown_key(binding_id: str, keymap: Mapping[str, str], bindings: Iterable[Binding]) -> str:
    """The key of ``binding_id`` as the user mapped it, spelled the shortest way ("h" rather
    than "backspace"); "" when no binding has that id."""
    keys = bound_keys(binding_id, keymap, bindings)
    return min((key_label(key) for key in keys), key=len) if keys else ""


def key_after_escape(key: str, character: str | None) -> tuple[str, str] | None:
    """The key that came just after an escape, when ``key`` is how Textual read the two: that
    key's name and character.

    A bare ESC and a letter in one read (a quick typist, a slow SSH link, ``tmux send-keys
    Escape q``) is what Textual's xterm parser reports as alt+letter, keeping the letter as the
    character: ``alt+q`` or ``alt+shift+q`` with "q" or "Q". ESC and any other printable key
    come as ``alt+slash`` with "/" and the like (see :mod:`reader.ui.terminal_keys`). An alt
    key spelled by the kitty protocol carries no character, so it is never taken for one of
    these. None when ``key`` is not such a pair.
    """
    if character is None or len(character) != 1 or not key.startswith("alt+"):
        return None
    if character.isalnum():
        if key in (f"alt+{character}", f"alt+shift+{character.lower()}"):
            return character, character
        return None
    name = key.removeprefix("alt+")
    if character.isascii() and character.isprintable() and name and "+" not in name:
        return name, character
    return None
