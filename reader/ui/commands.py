"""The command palette (``ctrl+p``): jump to a section, topic or post by name, or run a command."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

if TYPE_CHECKING:
    from reader.ui.main_screen import MainScreen


class ReaderCommands(Provider):
    """Sections, topics, posts, and the reader's commands."""

    def _screen(self) -> MainScreen | None:
        from reader.ui.main_screen import MainScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, MainScreen):
                return screen
        return None

    def _commands(self, screen: MainScreen) -> list[tuple[str, Callable[[], object], str]]:
        commands: list[tuple[str, Callable[[], object], str]] = [
            ("Refresh: fetch new posts", screen.action_refresh, "ctrl+r"),
            ("Bookmarks", screen.action_bookmarks, "B"),
            ("Search stored posts", screen.action_search, "/"),
            ("Mark all read in this list", screen.action_mark_all_read, "M"),
            ("Next unread post", screen.action_next_unread, "u"),
            ("Help: every key", self.app.action_help, "?"),  # type: ignore[attr-defined]
            ("Links in this article", screen.action_link_list, "L"),
        ]
        for theme in sorted(self.app.available_themes):
            commands.append((f"Theme: {theme}", partial(self._set_theme, theme), "ctrl+t"))
        for section in screen.store.sections():
            commands.append(
                (
                    f"Go to {section.kind.value}: {section.name}",
                    partial(screen.open_list, section.slug),
                    f"{section.count} posts",
                )
            )
        return commands

    def _set_theme(self, name: str) -> None:
        from reader.core.config import THEME_STATE_KEY, save_state

        self.app.theme = name
        save_state(THEME_STATE_KEY, name, getattr(self.app, "_data_dir", None))

    async def discover(self) -> Hits:
        """What the palette shows before anything is typed."""
        screen = self._screen()
        if screen is None:
            return
        for name, run, hint in self._commands(screen)[:7]:
            yield DiscoveryHit(Text(name), run, help=hint)

    async def search(self, query: str) -> Hits:
        """Commands, sections and posts whose names match ``query``."""
        screen = self._screen()
        if screen is None:
            return
        matcher = self.matcher(query)
        for name, run, hint in self._commands(screen):
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, _highlight(matcher, name), run, help=hint)
        async for hit in self._posts(screen, query):
            yield hit

    async def _posts(self, screen: MainScreen, query: str) -> AsyncIterator[Hit]:
        if len(query.strip()) < 2:
            return
        matcher = self.matcher(query)
        for hit in screen.store.search(query, limit=20):
            title = hit.post.title
            score = max(matcher.match(title), 0.1)
            yield Hit(
                score * 0.9,
                _highlight(matcher, title),
                partial(screen.open_post_id, hit.post.id),
                help=f"post · {hit.post.published:%b %-d, %Y}",
            )


def _highlight(matcher: Matcher, text: str) -> Content:
    """Like ``Matcher.highlight``, but the text is never parsed as markup.

    Textual's own ``highlight`` calls ``Content.from_markup`` on the candidate, which would turn a
    feed title such as ``[@click=app.quit]`` into an action.
    """
    content = Content(text)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    for offset in offsets:
        if offset < len(text) and not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
