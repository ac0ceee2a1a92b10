"""The reader's Textual app: small on purpose. It holds the store and the source, registers the
themes and pushes the main screen, which does the work."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import App
from textual.binding import Binding

from reader.core.config import DEFAULT_IMAGE_CACHE_MB, THEME_STATE_KEY, save_state
from reader.core.graphics_probe import TerminalAnswers
from reader.core.models import SyncReport
from reader.core.source import Source
from reader.core.store import Store
from reader.render.styles import ArticleStyles
from reader.ui.article_styles import article_styles
from reader.ui.commands import ReaderCommands
from reader.ui.main_screen import MainScreen
from reader.ui.pictures import Pictures
from reader.ui.themes import load_themes, reader_variable_defaults, theme_or_default

if TYPE_CHECKING:
    from reader.core.fetch import Fetcher


class ReaderApp(App[None]):
    """A terminal news reader for a WordPress site or a feed."""

    TITLE = "reader"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {ReaderCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Keys", id="app.help"),
        Binding("ctrl+t", "next_theme", "Theme", show=False, id="app.theme"),
    ]

    def __init__(
        self,
        store: Store,
        source: Source,
        *,
        site_title: str = "",
        section_names: tuple[str, ...] = (),
        refresh_on_start: bool = True,
        refresh_interval_minutes: int = 0,
        theme: str = "institute-dark",
        keymap: dict[str, str] | None = None,
        warnings: list[str] | None = None,
        data_dir: str | None = None,
        fetcher_options: dict[str, Any] | None = None,
        images: str = "auto",
        terminal: TerminalAnswers | None = None,
        image_cache_mb: int = DEFAULT_IMAGE_CACHE_MB,
    ) -> None:
        super().__init__()
        self._started = False
        self.store = store
        self.source = source
        self.site_title = site_title or store.get_meta("site_title") or source.url
        self.section_names = section_names
        self.refresh_on_start = refresh_on_start
        self.refresh_interval_minutes = refresh_interval_minutes
        self.fetcher_options = dict(fetcher_options or {})
        """Settings for every Fetcher the app makes (tests shorten the deadline)."""
        self._fetcher: Fetcher | None = None
        self._data_dir = data_dir
        self._warnings = list(warnings or [])
        themes, theme_warnings = load_themes()
        self._warnings += theme_warnings
        for loaded in themes:
            self.register_theme(loaded)
        chosen, problem = theme_or_default(theme, self.available_themes)
        if problem:
            self._warnings.append(problem)
        self.theme = chosen
        if keymap:
            self.set_keymap(keymap)
        self.article_styles = ArticleStyles()
        self.images = Pictures(
            self,
            setting=images,
            answers=terminal,
            folder=store.path.parent,
            cap_bytes=image_cache_mb * 2**20,
        )
        """How article pictures are drawn, and the loader that fetches them."""

    def new_fetcher(self) -> Fetcher:
        """A network client with the app's settings."""
        # Imported on first use: httpx is not needed to draw the first screen.
        from reader.core.fetch import Fetcher

        return Fetcher(**self.fetcher_options)

    @property
    def fetcher(self) -> Fetcher:
        """The app's shared network client, made when first needed."""
        if self._fetcher is None:
            self._fetcher = self.new_fetcher()
        return self._fetcher

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """The reader's own colours (unread, link, bookmark) for themes that do not set them."""
        return reader_variable_defaults(self.current_theme)

    def on_mount(self) -> None:
        """Show the main screen; report config and theme problems once."""
        self.article_styles = self._styles_from_theme()
        self._started = True
        self.push_screen(MainScreen())
        for warning in self._warnings:
            self.notify(warning, severity="warning", timeout=8, markup=False)

    async def on_unmount(self) -> None:
        """Close the network client and the store."""
        if self._fetcher is not None:
            await self._fetcher.aclose()
        await self.images.aclose()
        self.store.close()

    def _styles_from_theme(self) -> ArticleStyles:
        return article_styles(self.theme_variables)

    def watch_theme(self) -> None:
        """Re-render the article in the new theme's colours."""
        if not self._started:
            return
        self.article_styles = self._styles_from_theme()
        screen = self.screen
        if isinstance(screen, MainScreen) and screen.post is not None:
            screen.article.restyle(screen.render_article(screen.post))

    def action_next_theme(self) -> None:
        """Switch to the next theme and remember the choice."""
        names = sorted(self.available_themes)
        ours = [n for n in names if not n.startswith("textual-")] + [
            n for n in names if n.startswith("textual-")
        ]
        index = (ours.index(self.theme) + 1) % len(ours) if self.theme in ours else 0
        self.theme = ours[index]
        save_state(THEME_STATE_KEY, self.theme, self._data_dir)
        self.notify(f"Theme: {self.theme}", timeout=2, markup=False)

    def action_help(self) -> None:
        """Show every key."""
        from reader.ui.help_screen import HelpScreen

        self.push_screen(HelpScreen())

    def show_unreachable(self, report: SyncReport) -> None:
        """Explain, in the article pane, that the site could not be reached and why."""
        screen = self.screen
        if not isinstance(screen, MainScreen):
            return
        lines: list[Text] = [
            Text("The site could not be reached", style="bold"),
            Text(""),
            Text(report.errors[0] if report.errors else "No posts could be read."),
            Text(""),
            Text("Nothing is stored yet, so there is nothing to show offline."),
            Text("Check the address and the network, then press ctrl+r to try again."),
            Text(""),
            Text("To try the reader without a network, run:  reader --demo", style="bold"),
        ]
        from reader.render.article import RenderedArticle

        screen.article.show(RenderedArticle(renderables=list(lines), links=[]))
