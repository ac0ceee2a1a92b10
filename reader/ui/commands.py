"""The command palette (``ctrl+p``): jump to a section, topic or post by name, or run a command.

The main screen names this provider in its ``COMMANDS`` and says what its commands, places and
posts are (it knows its own actions); the provider matches them and adds the themes. It reaches
the screen only through :class:`PaletteSource`, so it never imports the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Protocol, runtime_checkable

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from reader.core.records import record


@record
class PaletteCommand:
    """One line of the palette: what it says, what choosing it does, and a hint."""

    name: str
    run: Callable[[], object]
    hint: str


@runtime_checkable
class PaletteSource(Protocol):
    """A screen that offers commands, places and posts to the palette."""

    def palette_commands(self) -> list[PaletteCommand]:
        """The screen's commands, shown before anything is typed."""

    def palette_places(self) -> list[PaletteCommand]:
        """Sections and topics to go to."""

    def palette_posts(self, query: str) -> list[PaletteCommand]:
        """Stored posts that match ``query``, best first."""


class ReaderCommands(Provider):
    """Sections, topics, posts, themes and the reader's commands."""

    def _source(self) -> PaletteSource | None:
        screen = self.screen
        return screen if isinstance(screen, PaletteSource) else None

    def _themes(self) -> list[PaletteCommand]:
        return [
            # No key named: ctrl+t only steps to the next theme.
            PaletteCommand(f"Theme: {name}", partial(setattr, self.app, "theme", name), "")
            for name in sorted(self.app.available_themes)
        ]

    async def discover(self) -> Hits:
        """What the palette shows before anything is typed."""
        source = self._source()
        if source is None:
            return
        for command in source.palette_commands():
            yield DiscoveryHit(Text(command.name), command.run, help=command.hint or None)

    async def search(self, query: str) -> Hits:
        """Commands, themes, sections and posts whose names match ``query``."""
        source = self._source()
        if source is None:
            return
        matcher = self.matcher(query)
        for command in (*source.palette_commands(), *self._themes(), *source.palette_places()):
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(
                    score, _highlight(matcher, command.name), command.run, help=command.hint or None
                )
        if len(query.strip()) < 2:
            return
        for post in source.palette_posts(query):
            score = max(matcher.match(post.name), 0.1)
            yield Hit(score * 0.9, _highlight(matcher, post.name), post.run, help=post.hint or None)


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
