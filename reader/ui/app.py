"""The reader's Textual app: small on purpose. It owns the services (store, source, network
client, themes, keymap) and pushes the main screen with what it needs; the screen does the work."""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
import signal
import threading
import time
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App
from textual.widget import Widget

from reader.core import records
from reader.core.config import DEFAULT_IMAGE_CACHE_MB, THEME_STATE_KEY, save_state
from reader.core.graphics_probe import TerminalAnswers
from reader.core.source import Source
from reader.core.store import Store, StoreError, StoreProblem
from reader.core.words import counted
from reader.ui import collector, keys, terminal_keys
from reader.ui.damaged_screen import DamagedStoreScreen, StoreDamaged
from reader.ui.enter_picks import EnterDone, EnterPicks
from reader.ui.main_screen import MainScreen, Services
from reader.ui.pictures import Pictures
from reader.ui.screen_writer import ScreenWriter
from reader.ui.steady_cursor import SteadyCommandPalette
from reader.ui.themes import (
    cycled_themes,
    load_themes,
    reader_variable_defaults,
    theme_or_default,
)
from reader.ui.workers import in_daemon_thread

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable, Mapping

    from rich.console import RenderableType
    from textual.actions import ActionParseResult
    from textual.app import SystemCommand
    from textual.dom import DOMNode
    from textual.geometry import Region
    from textual.screen import Screen
    from textual.timer import Timer

    from reader.core.fetch import Fetcher
    from reader.core.navigation import Target


_log = logging.getLogger("reader.screen")
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
"""Signals that end the reader the way q does (kill, a closed SSH session or tmux pane)."""
_STOP_GRACE = 3.0
"""Seconds a signalled reader has to close before it ends at once (a terminal gone for good
can block Textual's writes)."""
HELP_SCREEN = "help"
"""The name the help screen is installed under."""
_RENDERER = "reader.render.article"
"""The article's renderer, loaded once start-up is over (``_load_renderer``)."""


def _prepare_reading() -> None:
    """What reading needs, made ready off the loop: fewer heaps for the threads reading
    brings (see ``reader.core.allocator``), then the article's renderer."""
    from reader.core.allocator import limit_arenas

    limit_arenas()
    importlib.import_module(_RENDERER)


FULL_REDRAW = "READER_REDRAW"
"""Set to ``full`` to have Textual draw every frame its own way (no copy of the screen)."""


HOLD_AT_MOST = 2.0
"""Seconds keys are held for the first list at most: its reading may be slow or stuck, and a
reader whose keys do nothing for longer thinks it hung (see :meth:`ReaderApp._take_key`)."""
ENTER_WAIT_AT_MOST = 1.0
"""Seconds keys typed after a picker's enter wait for its pick at most (it is done in a few
milliseconds; this is for a pick that never says so)."""
_IDLE_LOOK = 0.25
"""Seconds between looks for a deferred full collection that is due."""
_IDLE_AFTER = 0.15
"""Seconds without a key or mouse event after which the reader counts as idle: a key's answer
is drawn by then (and the next key's handling is not begun)."""


class ReaderApp(App[None]):
    """A terminal news reader for a WordPress site or a feed."""

    TITLE = "reader"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [*keys.APP]

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
        sources: tuple[Source, ...] = (),
        open_at: Target | None = None,
        refresh_apart: bool = True,
    ) -> None:
        terminal_keys.install()  # before the driver makes its parser
        super().__init__()
        self._started = False
        self.store = store
        self.source = source
        self.sources = sources or (source,)
        """Every source read, the first one first."""
        if len(self.sources) > 1 and not site_title:
            site_title = f"News from {counted(len(self.sources), 'source')}"
        self.site_title = site_title or store.source_title(source) or source.url
        self.section_names = section_names
        self.open_at = open_at
        """The article to start on ('reader open'), or None."""
        self.refresh_on_start = refresh_on_start
        self.refresh_interval_minutes = refresh_interval_minutes
        self.fetcher_options = dict(fetcher_options or {})
        """Settings for every Fetcher the app makes (tests shorten the deadline)."""
        self.refresh_apart = refresh_apart
        """Refresh in a process of its own (False: in a thread of this one, for tests that
        change the sync in this process)."""
        self._fetcher: Fetcher | None = None
        self._fetcher_lock = threading.Lock()
        self._data_dir = data_dir
        self._warnings = list(warnings or [])
        themes, theme_warnings = load_themes()
        self._warnings += theme_warnings
        for loaded in themes:
            self.register_theme(loaded)
        self.cycled_themes = cycled_themes(loaded.name for loaded in themes)
        """What ctrl+t steps through: the reader's own themes, not Textual's twenty-odd."""
        chosen, problem = theme_or_default(theme, self.available_themes)
        if problem:
            self._warnings.append(problem)
        self.theme = chosen
        self.keymap: dict[str, str] = dict(keymap or {})
        """The user's keys (binding id -> keys), from ``[keys]`` in config.toml."""
        if self.keymap:
            self.set_keymap(self.keymap)
        self.damage: StoreError | None = None
        """The damage found in the store, once found: the reader then only says so."""
        self.unexpected = ""
        """The line about an unexpected error that ended the app ("" when none did)."""
        self.images = Pictures(
            self,
            setting=images,
            answers=terminal,
            folder=store.path.parent,
            cap_bytes=image_cache_mb * 2**20,
            sources=store.source_urls,
        )
        """How article pictures are drawn, and the loader that fetches them."""
        self._frozen = False
        """What start-up made was frozen out of the collector's walks (``_started_up``)."""
        self._last_input = 0.0
        """``time.monotonic()`` of the latest key or mouse event."""
        self._hold: _Hold | None = None
        """The keys waiting, in order, for the first list to be shown whole (see
        :meth:`MainScreen.waits_for_whole_list`) or for a picker's enter to be done (see
        :mod:`reader.ui.enter_picks`); None when none wait."""
        self._hold_over = False
        """Keys were held for :data:`HOLD_AT_MOST` once: none is held for the list again."""
        self._enters = 0
        """Enters handed to a picker so far: each one's hold is known by its number."""
        self._screen_writer: ScreenWriter | None = None
        if os.environ.get(FULL_REDRAW) != "full":
            margins = terminal.left_right_margins if terminal is not None else 0
            self._screen_writer = ScreenWriter(
                left_right_margins=margins,
                repeat=terminal is not None and terminal.repeat,
                repeat_ascii=terminal is not None and terminal.repeat_ascii,
            )
        """The copy of the terminal's screen that each frame is written against."""

    def new_fetcher(self) -> Fetcher:
        """A network client with the app's settings."""
        # Imported on first use: httpx is not needed to draw the first screen.
        from reader.core.fetch import Fetcher

        return Fetcher(**self.fetcher_options)

    def _refresh_settings(self) -> dict[str, Any] | None:
        """The settings :meth:`new_fetcher` makes clients with, for a refresh's own process;
        None keeps the refresh in a thread (asked to, or settings that cannot cross)."""
        if not self.refresh_apart:
            return None
        from reader.core.sync_process import settings_that_cross

        return settings_that_cross(self.fetcher_options)

    @property
    def fetcher(self) -> Fetcher:
        """The app's shared network client, made when first needed (the first time in a
        thread, see ``MainScreen.fetch_page``: hence the lock)."""
        with self._fetcher_lock:
            if self._fetcher is None:
                self._fetcher = self.new_fetcher()
            return self._fetcher

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """The reader's own colours (unread, link, bookmark) for themes that do not set them."""
        return reader_variable_defaults(self.current_theme)

    def on_mount(self) -> None:
        """Show the main screen (or what is wrong with a damaged store); report problems once."""
        self._started = True
        self._stop_on_signals()
        self._restore_before_leaving()
        # Back from a suspension, the terminal shows something else: nothing of it is known.
        self.app_resume_signal.subscribe(self, lambda app: self._forget_screen())
        if self.store.damaged:
            self.show_damage(self.store.read_only)
            return
        services = Services(
            store=self.store,
            source=self.source,
            site_title=self.site_title,
            shared_fetcher=lambda: self.fetcher,
            new_fetcher=self.new_fetcher,
            refresh_settings=self._refresh_settings(),
            keymap=self.keymap,
            section_names=self.section_names,
            refresh_on_start=self.refresh_on_start,
            refresh_interval_minutes=self.refresh_interval_minutes,
            pictures=self.images,
            sources=self.sources,
            open_at=self.open_at,
        )
        main = MainScreen(services)
        self.push_screen(main)
        # After the main screen's first frame, so that frame never waits for the help, nor
        # shares the machine with the check reading every page of the store in its thread.
        # Begun now: a writer's first write before the check's thread starts waits for its
        # verdict instead of reading every page beside it.
        self.store.begin_check()
        main.call_after_refresh(self._check_store)
        main.call_after_refresh(self._make_help)
        for warning in self._warnings:
            self.notify(warning, severity="warning", timeout=8, markup=False)

    async def on_event(self, event: events.Event) -> None:
        """Take an unbound alt+key from the terminal as the escape and key it stands for.

        Textual reads ESC and a letter arriving together as alt+letter (and ESC and other
        keys as alt+slash and the like: see :mod:`reader.ui.terminal_keys`): ``esc q`` with the
        search open typed a q into the box instead of closing it and quitting. Where the
        reader binds that alt key (a user's keymap may), it stays an alt key. The escape is
        handled whole before the letter, as two keys read apart would be.
        """
        if isinstance(event, events.Key | events.MouseEvent):
            self._last_input = time.monotonic()
        if isinstance(event, events.Key) and not event.is_forwarded:
            after = keys.key_after_escape(event.key, event.character)
            if after is not None and event.key not in self.active_bindings:
                await self._take_key(events.Key("escape", "\x1b"))
                await self._take_key(events.Key(*after))
                return
            await self._take_key(event)
            return
        await super().on_event(event)

    async def _take_key(self, key: events.Key, *, may_wait_for_list: bool = True) -> None:
        """Handle ``key``, unless keys are held: for the first list to be shown whole (for
        :data:`HOLD_AT_MOST` at most), or after a picker's enter until its pick is done (for
        :data:`ENTER_WAIT_AT_MOST` at most). Held keys wait in order while the loop runs on.

        A key the app takes before any widget (ctrl+q, ctrl+c) or binds itself (q, ?) is
        never held, by either hold: the keys held before it go first, then it. Held, ``end
        q`` did not quit until the list was whole, nor ctrl+q if it never was; nor ctrl+q
        typed after a picker's enter for a second.
        """
        at_once = self._goes_at_once(key)
        if self._hold is not None and not at_once:
            self._hold.keys.append(key)
            return
        while self._hold is not None:
            # Let go, a key may be held again (another picker's enter): those go too.
            await self._let_held_keys_go()
        screen = self.screen
        if (
            may_wait_for_list
            and not at_once
            and not self._hold_over
            and isinstance(screen, MainScreen)
            and screen.waits_for_whole_list(key.key)
        ):
            self._hold = _Hold(self, [key], HOLD_AT_MOST, self._held_too_long)
            return
        if key.key != "enter" or not isinstance(screen, EnterPicks):
            await super().on_event(key)
            return
        self._enters += 1
        enter = self._enters
        screen.read_enter(enter)
        await super().on_event(key)
        if self._hold is None:
            self._hold = _Hold(self, [], ENTER_WAIT_AT_MOST, self._let_held_keys_go, enter)

    def _goes_at_once(self, key: events.Key) -> bool:
        active = self.active_bindings.get(key.key)
        return active is not None and (active.binding.priority or active.node is self)

    async def _let_held_keys_go(self, hold: _Hold | None = None) -> None:
        """The held keys (those of ``hold``, if it is still the one) go in the order they
        came, each taken again as if just typed: one may be a picker's enter, and keys held
        after an enter may wait for a list. Keys held for the list wait for it no more."""
        if self._hold is None or (hold is not None and hold is not self._hold):
            return
        held, self._hold = self._hold, None
        held.ends.stop()
        for key in held.keys:
            await self._take_key(key, may_wait_for_list=held.enter is not None)

    async def _held_too_long(self, hold: _Hold) -> None:
        if hold is self._hold:
            self._hold_over = True
            await self._let_held_keys_go(hold)

    async def on_enter_done(self, message: EnterDone) -> None:
        """A picker's enter is done (the pick made, and the screen it leaves focused): the
        keys read after it go there, in order. Only its own: one done after its keys went
        (a second later) must not let go those held after a later enter."""
        hold = self._hold
        if hold is not None and message.enter is not None and hold.enter == message.enter:
            await self._let_held_keys_go(hold)

    async def on_main_screen_whole_list_shown(self, message: MainScreen.WholeListShown) -> None:
        """The keys held for the first list go, in the order they came."""
        if self._hold is not None and self._hold.enter is None:
            await self._let_held_keys_go(self._hold)

    def on_resize(self, event: events.Resize) -> None:
        """A resize to the size the app knows already: forget the screen and draw it whole.

        Runs before Textual's own handler, which does nothing for such a resize. Under tmux a
        shrink and a grow back (one command, a client attaching, a pane zoomed and unzoomed)
        reach the reader as one SIGWINCH of the old size, but tmux has cut its copy of the
        screen to the smaller size meanwhile: the screen writer, sending only what differs
        from what it believes is shown, left the cut part blank or stale for good.
        """
        if event.size == self.size and self._screen_writer is not None:
            self._screen_writer.forget()
            self.screen.refresh()

    def _stop_on_signals(self) -> None:
        """Quit on SIGTERM and SIGHUP as q does, so the terminal is given back as it was."""
        loop = asyncio.get_running_loop()
        for signum in _STOP_SIGNALS:
            try:
                loop.add_signal_handler(signum, self._stop_signalled, signum)
            except (NotImplementedError, RuntimeError, ValueError):
                return  # not the main thread, or no signals here (textual-serve, tests)

    def _stop_signalled(self, signum: int) -> None:
        """Close as q does, with status 128 + the signal; a second signal ends at once."""
        loop = asyncio.get_running_loop()
        for each in _STOP_SIGNALS:
            loop.remove_signal_handler(each)
        self.exit(return_code=128 + signum)
        # Should closing block on a hung-up terminal, the process still ends by itself.
        timer = threading.Timer(_STOP_GRACE, os._exit, (128 + signum,))
        timer.daemon = True
        timer.start()

    @work(exclusive=True, group="store-check", exit_on_error=False, description="Store check")
    async def _check_store(self) -> None:
        """SQLite's quick check, in a thread at start, so the first write never waits for it."""
        from reader.core.store_file import quick_check

        try:
            problem = await in_daemon_thread(
                partial(quick_check, self.store.path), name="store-check"
            )
        except BaseException:
            self.store.abandon_check()
            raise
        self.store.record_check(problem)
        if self.store.damaged:
            self.show_damage(self.store.read_only)

    def on_store_damaged(self, message: StoreDamaged) -> None:
        """A screen found the store damaged (a refresh, say): say so and stop reading."""
        self.show_damage(message.error)

    def show_damage(self, error: StoreError | None) -> None:
        """Replace the reader with the damaged-store screen; the exit status will be 1."""
        if error is None or self.damage is not None:
            return
        self.damage = error
        self._return_code = 1
        self.push_screen(DamagedStoreScreen(error, self.store.path))

    async def action_quit(self) -> None:
        """Quit; with status 1 when the store was found damaged (the reader could not read)."""
        self.exit(return_code=1 if self.damage is not None else 0)

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Run an action (every key binding comes here); damage it meets gets its screen.

        Caught here, an action that reads a damaged page leaves the app's own message loop
        running, so the damaged-store screen shows and answers q.
        """
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except StoreError as error:
            if error.problem is not StoreProblem.DAMAGED:
                raise
            self.show_damage(error)
            return True

    def _handle_exception(self, error: Exception) -> None:
        # Textual's hook for an exception no handler caught (a private method: there is no
        # public one). Damage found mid-way gets its own screen, never a traceback; anything
        # else goes to the reader's log, whose path is printed once the terminal is back.
        if isinstance(error, StoreError) and error.problem is StoreProblem.DAMAGED:
            # If the failing handler ran on the app's own message loop, the app now closes;
            # the command line then prints the same advice the screen would have shown.
            self.show_damage(error)
            return
        from reader.core.debug_log import unexpected

        self.unexpected = unexpected(error, doing="reading")
        super()._handle_exception(error)

    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        # Textual's one place where a frame becomes bytes (a private method: there is no
        # public hook). Frames go through the screen writer, which sends only what changed.
        writer = self._screen_writer
        if writer is not None and renderable is not None and self._will_write():
            width, height = self.size
            if (writer.width, writer.height) != (width, height):
                writer.forget(width, height)
            try:
                frame = writer.frame(
                    renderable, self.console._color_system, lambda: _scrolling_views(screen)
                )
            except Exception:
                # The frame goes out as Textual made it, and nothing on screen is trusted.
                _log.exception("the screen writer failed; the frame is written whole")
                writer.forget()
            else:
                if frame is not None:
                    if not frame.text and self._cursor_stays():
                        # Nothing changed and the cursor is already there: Textual would
                        # still send the move (a timer's repaint, the command palette's
                        # every few seconds), bytes on an idle screen over a slow link.
                        return
                    renderable = frame
        super()._display(screen, renderable)

    def _cursor_stays(self) -> bool:
        """True when the cursor Textual places after a frame is where it placed it last."""
        place = self.screen.outer_size.clamp_offset(self.cursor_position)
        return bool(place == self._previous_cursor_position)

    def _will_write(self) -> bool:
        """Textual's own conditions for writing a frame (else the copy would not follow)."""
        driver = self._driver
        return (
            not self._batch_count
            and self._running
            and not self._closed
            and not self.is_headless
            and driver is not None
            and not driver.is_inline
        )

    def _restore_before_leaving(self) -> None:
        """Have the driver give the terminal its whole screen back (plain colours, no scroll
        margins) just before it leaves the alternate screen, however the reader stops or
        suspends.

        Textual leaves the alternate screen before the app unmounts, so codes written at
        unmount reached the shell's screen, where resetting the margins moved the cursor to the
        top-left: the next prompt was drawn over old output. The driver offers no hook, so its
        method is wrapped on this one instance.
        """
        driver, writer = self._driver, self._screen_writer
        if driver is None or writer is None or self.is_headless:
            return
        leave = driver.stop_application_mode

        def stop_application_mode() -> None:
            driver.write(writer.restore_codes())
            leave()

        driver.stop_application_mode = stop_application_mode  # type: ignore[method-assign]

    def _forget_screen(self) -> None:
        if self._screen_writer is not None:
            self._screen_writer.forget()

    async def on_unmount(self) -> None:
        """Give the terminal its whole screen back; close the network client and the store."""
        self.store.abandon_check()  # no writer waits any longer for a check never run
        if self._fetcher is not None:
            await self._fetcher.aclose()
        await self.images.aclose()
        self.store.close()
        collector.undefer_full()
        collector.thaw()

    def watch_theme(self) -> None:
        """Remember a theme the reader chose (ctrl+t, or the palette) for next time."""
        if self._started:
            save_state(THEME_STATE_KEY, self.theme, self._data_dir)

    def action_next_theme(self) -> None:
        """Switch to the next of the short list of themes and remember the choice.

        From a theme outside the list (one of Textual's, chosen in the palette) it goes back
        to the list's first.
        """
        ours = [name for name in self.cycled_themes if name in self.available_themes]
        if not ours:
            return
        index = (ours.index(self.theme) + 1) % len(ours) if self.theme in ours else 0
        self.theme = ours[index]  # the main screen's status line names it

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """None of Textual's own: the reader's palette has its own quit, keys and themes.

        Textual's "Keys" (a widget help panel), "Maximize" and "Theme" (a second theme
        picker that ctrl+t does not follow) sat beside the reader's commands and confused.
        """
        return ()

    def action_command_palette(self) -> None:
        """Show the command palette (its cursor still: see ``steady_cursor``)."""
        open_already = any(isinstance(s, SteadyCommandPalette) for s in self.screen_stack)
        if self.use_command_palette and not open_already:
            self.push_screen(SteadyCommandPalette(id="--command-palette"))

    def _make_help(self) -> None:
        """Make, compose and lay out the help screen ahead of the first ``?``, off its path.

        One help screen serves the whole run (the keymap cannot change while the reader
        runs), and its first opening did all of this on the key's path: Textual composes a
        screen when it is first pushed, lays it out as it resumes, then again for the resize
        that first layout posts to it, laying the main screen below out again too. That first
        ``?`` was the slowest key of a refresh (bench/README.md, "Keys during a refresh").
        """
        from reader.ui.help_screen import HelpScreen

        if self.is_screen_installed(HELP_SCREEN):
            return
        screen = HelpScreen(keys.SHOWN_IN_HELP, self.keymap)
        self.install_screen(screen, HELP_SCREEN)
        # Textual's own way to start a screen that is not shown yet (private: push_screen
        # does this and shows it; there is no public way to compose a screen ahead).
        self._get_screen(screen)
        # Once composed (this comes after its Compose and Mount), while it is not shown.
        screen.call_after_refresh(self._lay_out_help, screen)

    def _lay_out_help(self, screen: Screen[Any], passes: int = 3) -> None:
        """Lay the help out at the terminal's size until it settles, unless it is shown.

        A first layout sizes the widgets, whose answers (a scrollbar, the text's height) ask
        for another, as they do when a screen opens; a screen not shown keeps those asks for
        its opening, so they are met here, a few passes at most.
        """
        if screen in self.screen_stack or not self.size:
            self._started_up()
            return
        if passes <= 0:
            # Drawn once too, into nothing, so its lines are made before its first opening
            # (that first drawing was two thirds of what the opening still cost).
            screen._compositor.render_update(full=True)
            self._started_up()
            return
        if screen.size != self.size or screen._layout_required:
            # Private, as there is no public layout of a screen not shown: the places of
            # its widgets, drawn nowhere; its first opening then finds its size and places
            # known and only draws.
            screen._refresh_layout(self.size)
            screen._layout_required = False
        # Looked at again when the screen is next idle: its new scrollbar mounts meanwhile.
        screen.call_after_refresh(self._lay_out_help, screen, passes - 1)

    def _started_up(self) -> None:
        """Start-up is over: the article's renderer is loaded ahead of the first opening, then
        what start-up made lives for the whole run, out of the collector's walks from now on
        (see ``collector``)."""
        if not self._frozen:
            self._frozen = True
            self._load_renderer()

    @work(exclusive=True, group="renderer", exit_on_error=False, description="Loading")
    async def _load_renderer(self) -> None:
        """Import the article's renderer in a thread while the reader waits for a key.

        The first opening imported it (the body writer, selectolax, the figures: 100-120 ms
        of the loop's CPU, 220 ms at load 4), the slowest opening beside another process's
        sync (bench/README.md, "Keys during a refresh"). A key meanwhile that needs it waits
        on the import's lock, as it would have waited for its own import.
        """
        try:
            await in_daemon_thread(_prepare_reading, name="renderer-import")
        finally:
            # Its modules live for the run too. Records made before the freeze (the
            # renderer's among them), so the classes made here are frozen with the rest.
            records.complete_all()
            collector.freeze_survivors()
        # Not when the app is closing (the worker is cancelled then): its end undefers.
        collector.defer_full()
        self.set_interval(_IDLE_LOOK, self._collect_when_idle)

    def _collect_when_idle(self) -> None:
        """A deferred full collection, when due, once no key has come for a moment: begun by
        an allocation, it held a key's answer (20-55 ms; see ``collector``)."""
        now = time.monotonic()
        collector.collect_if_due(now, idle=now - self._last_input >= _IDLE_AFTER)

    def action_help(self) -> None:
        """Show every key (made ahead, at start-up: see ``_make_help``)."""
        self._make_help()
        if self.get_screen(HELP_SCREEN) not in self.screen_stack:
            self.push_screen(HELP_SCREEN)


class _Hold:
    """Keys held, in the order they came, and the timer that lets them go at the latest."""

    def __init__(
        self,
        app: ReaderApp,
        held: list[events.Key],
        at_most: float,
        ran_out: Callable[[_Hold], Awaitable[None]],
        enter: int | None = None,
    ) -> None:
        self.keys = held
        """The keys held, first typed first."""
        self.enter = enter
        """The number of the picker's enter these keys wait for; None: for the first list."""
        self.ends: Timer = app.set_timer(at_most, partial(ran_out, self))
        """Lets them go after ``at_most`` seconds, whatever the list or picker is doing."""


def _scrolling_views(screen: Screen[Any]) -> list[Region]:
    """Where the screen's views that scroll up and down draw their content."""
    return [
        widget.scrollable_content_region
        for widget in screen.walk_children(Widget)
        if widget.is_scrollable and widget.display and widget.max_scroll_y > 0
    ]
