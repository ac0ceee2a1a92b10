"""The main screen: sidebar, article, status line; it applies what the navigator decides."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
import logging
import sys
from collections import Counter, OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import field, replace
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static, Tree
from textual.worker import Worker, WorkerState

from reader.core.graphics_probe import Drawing
from reader.core.models import (
    Link,
    Post,
    PostSummary,
    RefreshFailure,
    Section,
    SectionKind,
    StoredSource,
    SyncReport,
)
from reader.core.navigation import (
    ByDate,
    Category,
    Copy,
    FetchThenOpen,
    FollowNumber,
    Group,
    HistoryStep,
    ListOf,
    Move,
    Navigator,
    OpenGroup,
    OpenOutside,
    OpenPost,
    PostAt,
    Refused,
    Shelf,
    StoredPost,
    Target,
    category_of,
    source_of,
    typed_link,
)
from reader.core.read_marks import ReadMarks
from reader.core.reading import Subject, subject
from reader.core.records import record
from reader.core.source import Source
from reader.core.store import Store, StoreError
from reader.core.store_writer import StoreWriter
from reader.core.urls import fragment
from reader.core.words import counted
from reader.render.figures import ImageBoard, picture_rows
from reader.render.links import LinkTarget
from reader.render.styles import ArticleStyles
from reader.render.title_cut import NAVIGATION_TITLE_MOST, cut_to_cells
from reader.ui import collector, keys
from reader.ui.article_styles import article_styles
from reader.ui.article_view import ArticleView, ImageSlot, lay_out_ahead
from reader.ui.browser import open_in_browser
from reader.ui.commands import PaletteCommand, ReaderCommands
from reader.ui.damaged_screen import StoreDamaged
from reader.ui.key_bar import KeyBar
from reader.ui.pictures import Pictures, WrongShape
from reader.ui.sidebar import Entry, Sidebar, SourceTree
from reader.ui.status_line import StatusLine
from reader.ui.workers import failure_line, failure_traceback, in_daemon_thread

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.theme import Theme
    from textual.timer import Timer

    from reader.core.fetch import Fetcher
    from reader.core.sync import Progress
    from reader.render.rendered_article import RenderedArticle
    from reader.ui.article_view import ArticleLayout
    from reader.ui.pickers import Choice

_DIGIT_WAIT = 0.8
"""Seconds to wait for a second digit before following link N."""
_LONG_POST = 200_000
"""Characters of body from which a post is rendered off the screen's loop (50 KB: a few ms)."""
_ARTICLES_KEPT = 4
"""Rendered articles kept for opening again (back and forth between posts)."""
_AHEAD_WAIT = 0.15
"""Seconds the sidebar's cursor rests on a post before it is rendered ahead of ``enter``: a
held ``j`` renders nothing."""
_FRAME_WAIT = 1.0
"""Seconds a page's reading waits for the frame that shows the text (none may come: hidden)."""
_HELD_FRAME_WAIT = 0.2
"""Seconds after which a frame held in the app's batch is drawn by a repaint, when no frame
has come meanwhile."""
_FRAME_WAIT_AT_MOST = 0.05
"""Seconds a frame due waits at most for repaints on their way to the screen (a few ms)."""
_LINKS_LISTED = 500
"""Links listed by ``L`` at once; an article with more gets a filter box."""
_STOP_GRACE = 0.2
"""Seconds a stopped refresh gets to finish the step it is in before the screen moves on."""
WATCH_SECONDS = 5.0
"""How often the screen looks whether another program synced the store (``reader sync`` from
cron, a second reader): one ``stat`` of the store's sync mark, nothing drawn unless it moved."""
NEVER_SYNCED = "Never synced: nothing has been read from it yet."
"""Under a source the store holds no row of, and whose refresh did not fail (it was added and
not read yet, or is being read for the first time): rather than a bare 0."""

FIRST_SCREEN_POSTS = 200
"""Posts of the first list read before the first frame: a screenful on any terminal (the
rest is read in a thread, see :meth:`MainScreen._read_whole_list`)."""
_LIST_REREADS = 2
"""Times the whole first list is read again in a thread when the reader changed something
while it was read, before it is read on the loop."""
_OPENED_TAGS = "opened_tags"
"""A source's meta: its tags listed under "Tags" (JSON: each slug and the day it was last
opened, YYYY-MM-DD; a number of starts or a list of slugs before), for the next start."""
TAG_KEPT_DAYS = 60
"""A tag listed under "Tags" not opened for this many days is listed no more (t or a link
lists it again): else every tag ever opened stayed there for good. Days, not starts: each
``reader open`` from a mail client and each SSH session of one account is a start."""
NARROW_BELOW = 100
"""Below this many columns the sidebar and the article cannot both be read (a 36-column list
leaves 60 for the article at 100): they take the whole width in turn."""

Rendering = tuple[tuple[object, ...], ArticleStyles, ImageBoard | None, str, tuple[Link, ...]]
"""What a post is rendered with (see :meth:`MainScreen._rendering`)."""


@record
class Counts:
    """What the sidebar's groups say: their names and counts, as read from the store."""

    bookmarks: int
    sections: list[Section] = field(default_factory=list)
    """One source read: its sections and topics."""
    all_posts: tuple[int, int] | None = None
    """One source read, without sections: its posts and unread posts, for "All posts"."""
    trees: tuple[SourceTree, ...] | None = None
    """Several sources read: a tree for each (None when one is)."""
    unread: tuple[int, int] = (0, 0)
    """Several sources read: posts and unread posts of them all."""
    tags: tuple[tuple[Group, Section], ...] | None = None
    """The opened tags' own counts, when read with the rest (else they are read on show)."""


@record
class Reread:
    """What the screen shows of the store after a refresh, read off the screen's loop."""

    counts: Counts
    posts: dict[Group, list[PostSummary]]
    """The posts of the lists shown, and of the list the sidebar will open first."""
    stored: int
    unread: int
    """Posts and unread posts of the sources read (the welcome pane says them)."""
    last_synced: int | None
    """When the last refresh that read something ended (a Unix time), for the status line
    (``Navigator.last_updated``)."""
    title: str | None
    """The site's own title, when only its address was known."""
    changes: int
    """The screen's count of the reader's changes (read marks, bookmarks) when the reading
    began: a later one is missing from it."""


@record
class Question:
    """A key's question on the status line, which only the very next key answers (M M, b b):
    the list marked read, or the bookmark removed, cannot be had back."""

    about: object
    """What it asks about (the list, the bookmark): the same key on something else asks anew."""
    answer: str
    """The binding id whose key answers it (pressed again)."""
    text: str
    withdrawn: str
    """What the line says when the next key is not the answer (else the question stood
    there, to all appearances still asked, after escape and a move or two)."""
    key: int
    """The screen's count of keys when it was asked (see :meth:`MainScreen.on_key`)."""


@record
class Services:
    """What the main screen reads with: the app owns each of these and hands them over."""

    store: Store
    source: Source
    site_title: str
    shared_fetcher: Callable[[], Fetcher]
    """The app's network client (made when first needed, closed with the app)."""
    new_fetcher: Callable[[], Fetcher]
    """A network client of its own, with the app's settings, for work off the screen's loop."""
    pictures: Pictures
    """How article pictures are drawn, and the loader that fetches them."""
    keymap: Mapping[str, str] = field(default_factory=dict)
    """The user's keys, binding id -> keys."""
    section_names: tuple[str, ...] = ()
    """The sections in the order the user configured (for a store opened by a worker)."""
    refresh_on_start: bool = True
    refresh_interval_minutes: int = 0
    sources: tuple[Source, ...] = ()
    """Every source read, the first one first; empty means ``source`` alone."""
    open_at: Target | None = None
    """Where to start ('reader open URL|POST'), or None for the list alone."""
    refresh_settings: Mapping[str, Any] | None = None
    """The same settings as data, for a refresh run in a process of its own; None runs it in
    a thread of this one (see :meth:`MainScreen.run_sync`)."""


class MainScreen(Screen[None]):
    """Reads the site: sidebar of sections and topics, article pane, status line."""

    BINDINGS = [*keys.MAIN_SCREEN, *keys.LIST_READS_ARTICLE]
    COMMANDS = {ReaderCommands}

    DEFAULT_CSS = """
    MainScreen #title-bar {
        height: 1;
        background: $primary;
        color: auto;
        text-style: bold;
        padding: 0 1;
        /* One line: a title cut to fit ends in "…", so the reader knows there is more. */
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    MainScreen #panes {
        height: 1fr;
    }
    MainScreen Sidebar {
        width: 36%;
        max-width: 48;
        min-width: 24;
        border-right: vkey $primary;
    }
    MainScreen ArticleView {
        width: 1fr;
    }
    /* Narrow: the list and the article take the whole width in turn. */
    MainScreen.-narrow Sidebar {
        width: 1fr;
        max-width: 100%;
        min-width: 0;
        border-right: none;
    }
    MainScreen.-narrow ArticleView {
        display: none;
    }
    MainScreen.-narrow.-reading Sidebar {
        display: none;
    }
    MainScreen.-narrow.-reading ArticleView {
        display: block;
    }
    MainScreen.-no-sidebar Sidebar {
        display: none;
    }
    /* Toasts (config warnings, the theme's name) sit above the status line, not over it. */
    MainScreen ToastRack {
        margin-bottom: 2;
    }
    """

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """Screen's own, but without its repaint of the whole screen: moving focus (opening an
    article, escape back to the list) restyles the two widgets concerned, which repaint
    themselves; recomposing the whole screen besides cost about 20 ms at 120x40."""

    class SyncProgress(Message):
        """How far a running refresh is (posted from the refresh's thread)."""

        def __init__(self, done: int, total: int | None, what: str) -> None:
            super().__init__()
            self.done = done
            self.total = total
            self.what = what

        def can_replace(self, message: Message) -> bool:
            """A newer word on the refresh makes an older one waiting in the queue moot."""
            return isinstance(message, MainScreen.SyncProgress)

    class ReadMarkWritten(Message):
        """A read mark was written to the store, or failed (posted from the marks' thread)."""

        def __init__(self, post_id: int, read: bool, error: StoreError | None) -> None:
            super().__init__()
            self.post_id = post_id
            self.read = read
            self.error = error

    class SyncDone(Message):
        """A refresh ended, with what it did: one report per source."""

        def __init__(self, reports: list[SyncReport], reread: Reread | None = None) -> None:
            super().__init__()
            self.reports = reports
            self.reread = reread
            """What the screen shows of the store now, read off the loop (None: read it)."""

    class WholeListShown(Message):
        """The first list, shown by its first screenful, is now shown whole (or will not be):
        the keys held for it may go (posted to the app, which holds them)."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.navigator = Navigator(services.store, services.source, sources=services.sources)
        """The rules of where keys and links lead, with the back/forward history."""
        self._problems: dict[str, str] = {}
        """What went wrong in each source's last refresh, by source key (several sources)."""
        self._failures_kept: dict[str, RefreshFailure] = {}
        """The failures of the sources' last refreshes the store kept, read at start."""
        self._names: dict[str, tuple[str, str]] | None = None
        """What each source read is called on screen, by key (see ``_shown_names``); read
        again after the counts, which may bring a site's title."""
        self.post: Post | None = None
        """The article shown."""
        self._styles = ArticleStyles()
        """The article's colours, from the theme."""
        self._list: Group | None = None
        """The sidebar list the article was opened from."""
        self._list_said: tuple[Group, str] | None = None
        """The list the status line describes ("grants: 5 posts") and those words, while it
        still says them: a move of the cursor onto another list describes that one instead."""
        self._digits = ""
        self._digit_timer: asyncio.TimerHandle | None = None
        self._fetching: set[int] = set()
        self._fetcher_made = False
        """The app's network client was asked for once (made in a thread: see fetch_page)."""
        self._cursor_to_first_post: Group | None = None
        self._partly_listed: Group | None = None
        """The list shown by its first screenful while the rest is read (see
        :meth:`waits_for_whole_list`)."""
        self._tag_opened_on: dict[Group, str] = {}
        """Each tag listed under "Tags": the day it was last opened (YYYY-MM-DD), kept with it
        (see :data:`TAG_KEPT_DAYS`)."""
        self._tag_sources: set[int] = set()
        """The sources whose kept tags were read at start: each one's are written again."""
        self._anchor: tuple[int, str] | None = None
        """The post shown at a ``#fragment`` and that fragment: kept there when its page is read."""
        self._sync_worker: Worker[None] | None = None
        """The refresh running or last run."""
        self._sync_stamp: int | None = None
        """The store's sync mark as last seen (see :meth:`_watch_store`)."""
        self._stored_seen = 0
        """Posts of the sources read, as the last reading of the store counted them."""
        self._counts_in_view: Counts | None = None
        """The groups' counts last shown, their tags' aside (a reread does not read those)."""
        self._board = ImageBoard()
        """What is known of the images of the articles shown (failures, real sizes)."""
        self._rendered: OrderedDict[tuple[object, ...], tuple[ArticleStyles, RenderedArticle]]
        self._rendered = OrderedDict()
        """Articles rendered lately, without pictures, by what their rendering reads (their
        styles beside them): opened again, one is shown as it was, and the article view keeps
        its layout too."""
        self._ahead: tuple[tuple[object, ...], ArticleStyles, RenderedArticle] | None = None
        """The post under the sidebar's cursor rendered ahead of enter (its key, styles and
        rendering), until it is opened or another is."""
        self._ahead_timer: Timer | None = None
        self._ahead_moves = 0
        """The sidebar's count of the reader's cursor moves at the last one seen here."""
        self._page_problems: dict[int, str] = {}
        """Why a post's page could not be fetched this run, by post id."""
        self._by_date_shown: tuple[tuple[object, ...], ByDate | None] | None = None
        """Where n and p go by date from the post shown (None: the store could not say), read
        once per opening and again when its page brings links, never on a mere re-render (a
        theme, a picture laid out): keyed by what decides it (see :meth:`_by_date_key`)."""
        self._moves_at_open = 0
        """The sidebar's count of the reader's cursor moves when the article was opened."""
        self._frame_held = False
        """True while a frame asked for inside the app's batch waits for the batch's end."""
        self._first_frame_made = False
        """The screen's first frame was made (outside the app's batch): until then what was
        asked to run after a refresh waits (``_invoke_and_clear_callbacks``)."""
        self._frame_waited = False
        """A frame due waits for repaints on their way to the screen (``_on_timer_update``)."""
        self._frame_wait_ends: Timer | None = None
        """Draws that frame after :data:`_FRAME_WAIT_AT_MOST` whatever is on its way."""
        self._read_marks = ReadMarks(
            services.store.path,
            section_names=services.section_names,
            written=self._read_mark_written,
            checked_by=services.store,
        )
        """Writes read marks off the screen's loop, in order."""
        self._page_writes = StoreWriter(
            services.store.path, section_names=services.section_names, checked_by=services.store
        )
        """Saves the pages of posts opened off the screen's loop (another writer may hold the
        store for a while: a refresh's batch, another reader's sync)."""
        self._sidebar_hidden = False
        """The reader hid the sidebar (s) in a wide terminal."""
        self._keys_pressed = 0
        """Keys pressed so far on this screen (see :meth:`on_key`)."""
        self._question: Question | None = None
        """The question on the status line (M's, b's), until the next key answers or takes it
        back (see :meth:`_ask`)."""
        self._changes_made = 0
        """Read marks and bookmarks the reader has changed so far: a reading of the store
        begun before the latest of them shows it as it was (see :class:`Reread`)."""
        self._link_said = ""
        """The selected link's line in the status, while it shows there."""
        self._site_title = services.site_title
        self._title_is_address = services.site_title == services.source.url
        """No title was known at start: the site's own is shown once a refresh reads it."""

    @property
    def store(self) -> Store:
        """The store the app reads."""
        return self.services.store

    @property
    def source(self) -> Source:
        """What the reader reads: a site or a feed."""
        return self.services.source

    @property
    def sidebar(self) -> Sidebar:
        """The sidebar widget."""
        return self.query_one(Sidebar)

    @property
    def article(self) -> ArticleView:
        """The article pane."""
        return self.query_one(ArticleView)

    @property
    def status(self) -> StatusLine:
        """The status line."""
        return self.query_one(StatusLine)

    def compose(self) -> ComposeResult:
        yield Static(Text(self._site_title), id="title-bar")
        with Horizontal(id="panes"):
            yield Sidebar(id="sidebar")
            yield ArticleView(id="article")
        yield StatusLine()
        yield KeyBar([*keys.MAIN_SCREEN, *keys.APP], self.services.keymap)

    # -- start-up --------------------------------------------------------------------------

    def _compositor_refresh(self) -> None:
        # Textual's private step from a layout or a repaint to a frame. At start the app lays
        # this screen out inside its batch and asks for a frame there, which Textual makes and
        # then throws away (nothing is written in a batch) while marking all it drew as drawn:
        # a whole frame's work for nothing, and the first frame written then left out what
        # only that one had drawn (the status line, until something repainted it). Held
        # instead, what is dirty stays dirty for the first frame written: the layout that
        # follows the Resize every driver sends at start, or else the repaint below.
        if self.app._batch_count:
            if not self._frame_held:
                self._frame_held = True
                self.set_timer(_HELD_FRAME_WAIT, self._draw_held_frame)
            return
        self._frame_held = False
        super()._compositor_refresh()
        if not self._first_frame_made:
            self._first_frame_made = True
            if self._callbacks:
                self.call_next(self._invoke_and_clear_callbacks)

    def _on_timer_update(self) -> None:
        # Textual's private step from the screen's update timer to a frame. The timer starts
        # as soon as this screen's queue is empty, but a key's action runs in the app's turn
        # (the screen's bindings, and enter's open since f0b31dd): each widget it refreshed
        # tells the screen so in its own turn, and those whose turn came after the screen's
        # (the status line's new address, every time) were left to a second frame, one frame
        # period later (the key to an article's last byte took 20-40 ms longer). So the frame
        # waits while repaints are still on their way to the screen (queued here, or asked of
        # a widget that has not had its turn yet) and is made at the screen's next idle once
        # none is, not at the timer's next tick: once in a row, and at most
        # _FRAME_WAIT_AT_MOST, so that a screen never idle still draws.
        if not self._frame_waited and (self.message_queue_size or self._repaints_on_the_way()):
            self._frame_waited = True
            self._update_timer.pause()
            self._frame_wait_ends = self.set_timer(_FRAME_WAIT_AT_MOST, self._draw_waited_frame)
            return
        self._end_frame_wait()
        super()._on_timer_update()

    def _repaints_on_the_way(self) -> bool:
        """A widget of this screen was asked to repaint or lay out and has not yet told the
        screen (it does in its own turn)."""
        return any(
            widget._repaint_required or widget._layout_required
            for widget in self.walk_children(Widget)
        )

    def _end_frame_wait(self) -> None:
        self._frame_waited = False
        if self._frame_wait_ends is not None:
            self._frame_wait_ends.stop()
            self._frame_wait_ends = None

    def _draw_waited_frame(self) -> None:
        if self._frame_waited:
            self._on_timer_update()

    async def _on_idle(self, event: events.Idle) -> None:
        # Runs before Screen's own (which resumes the update timer when something is dirty).
        if self._frame_waited:
            if self._repaints_on_the_way():
                # Each of them will post to this screen, which then idles again.
                event.prevent_default()
                return
            self._on_timer_update()

    async def _invoke_and_clear_callbacks(self) -> None:
        # Textual's private step that runs what was asked for "after the refresh"
        # (``call_after_refresh``). With the start-up frame held above, the refresh that ran
        # them at start drew nothing: the rest of a long list, the help made ahead and the
        # welcome pane were all done before the first frame, which then drew them too (18 ms
        # of 1,000 posts' start, and the first frame numbered every line of the long list).
        # They wait for the first frame made instead.
        if self._first_frame_made:
            await super()._invoke_and_clear_callbacks()

    def _draw_held_frame(self) -> None:
        if self._frame_held:
            self.refresh()

    def on_mount(self) -> None:
        """Draw from the store at once; refresh in a worker."""
        self._styles = article_styles(self.app.theme_variables)
        # The theme's colours are in theme_variables once its CSS is refreshed: this signal.
        self.app.theme_changed_signal.subscribe(self, self._restyle)
        for group, section in self._tag_counts_in(self.store, self._kept_tags()):
            self.sidebar.add_tag(group, section.name, section.count, section.unread)
        if self._tag_sources:
            # This start counted for each tag listed (and tags dropped are dropped for good).
            self.call_after_refresh(self._keep_opened_tags)
        # What the last refresh of each source hit, kept by the store: a start shows it as a
        # failure of this run is shown, until a refresh of that source works.
        self._problems = self._problems_kept()
        self.sidebar.post_chosen = self._post_chosen
        self.article.ended = self._article_ended
        self.reload_sidebar()
        self.status.last_sync = self.navigator.last_updated()
        self._open_first_group()
        self._focus_now(self.sidebar)
        self._fit_layout()
        self._sync_stamp = self.store.sync_mark_stamp()
        self._stored_seen = self.store.count_posts(source=self.navigator.scope)
        if self._stored_seen == 0:
            if self.services.refresh_on_start:
                self.status.say("The store is empty; reading the site…")
            else:
                # --no-refresh: nothing is being read, so the line must not say so.
                key = keys.shown_key("app.refresh", self.services.keymap, keys.SHOWN_IN_HELP)
                self.status.say(f"The store is empty; {key} reads the site.")
        elif self._problems:
            self._say_problems_kept()
        else:
            self.status.say("Press enter to read a post, ? for keys.")
        if self.services.open_at is not None:
            # 'reader open URL|POST': that article (or topic list) first.
            move = self.navigator.go_to(self.services.open_at)
            self.go(move)
            if isinstance(move, OpenPost | FetchThenOpen):
                self._focus_now(self.article)
        # After the first frame: the sidebar is what a reader looks at first.
        self.call_after_refresh(self._welcome_at_start)
        if self.services.refresh_on_start:
            self.action_refresh()
        minutes = self.services.refresh_interval_minutes
        if minutes > 0 and not self.source.is_file:
            self.set_interval(minutes * 60, self.action_refresh)
        self.set_interval(WATCH_SECONDS, self._watch_store)

    def _watch_store(self) -> None:
        """Another program synced the store: read again what the screen shows of it.

        Each sync that reads a source touches the store's sync mark, whichever process it
        runs in, once its posts are written; a cron job's ``reader sync`` used to stay unseen
        until this reader's own refresh. The read is a refresh's end, in a thread.
        """
        stamp = self.store.sync_mark_stamp()
        if stamp == self._sync_stamp:
            return
        worker = self._sync_worker
        if worker is not None and not worker.is_finished:
            return  # this screen's own refresh: its end reads the store, and takes the stamp
        self._sync_stamp = stamp
        self._read_after_sync_elsewhere()

    @work(exclusive=True, group="elsewhere", exit_on_error=False, description="Store re-read")
    async def _read_after_sync_elsewhere(self) -> None:
        """Read the store in a thread, then show what the other program's sync changed."""
        try:
            reread = await self._reread()
        except StoreError:
            return  # the next refresh or write says why, in its own words
        self.synced_elsewhere(reread)

    def synced_elsewhere(self, reread: Reread) -> None:
        """Show ``reread``, read after another program synced the store, if it differs."""
        if reread.last_synced is not None:
            self.status.last_sync = reread.last_synced
        new = reread.stored - self._stored_seen
        self._stored_seen = reread.stored
        if new == 0 and reread.counts == self._counts_in_view:
            return  # an unchanged site, or another source's posts: nothing to draw
        self.reload_sidebar(reread)
        if self.post is None:
            self._open_first_group(reread)
            self._show_welcome(reread)
        if new > 0:
            self.status.say(f"{counted(new, 'new post')}, stored by a sync outside this reader.")

    def _problems_kept(self) -> dict[str, str]:
        """What the last refresh of each source read hit, for those whose last one failed."""
        try:
            self._failures_kept = self.store.refresh_failures(self.navigator.sources)
        except StoreError:
            self._failures_kept = {}  # the store's trouble is said where it is read
        return {key: failure.message for key, failure in self._failures_kept.items()}

    def _say_problems_kept(self) -> None:
        """The status line says the last refresh's failures, as it said them then."""
        kept = self._failures_kept
        reports = [
            SyncReport(
                source.feed_url,
                source=source.label,
                errors=[kept[source.key].message] if source.key in kept else [],
                offline=source.key in kept and kept[source.key].offline,
            )
            for source in self.navigator.sources
        ]
        together = _together(reports) if len(reports) > 1 else reports[0]
        if len(reports) > 1:
            self.status.failed = sum(1 for r in reports if r.errors)
        self.status.offline = together.offline
        self.status.say(f"Last refresh: {together.errors[0]}", error=True)

    def _open_first_group(self, reread: Reread | None = None) -> None:
        """Open the first section, so a new reader sees posts rather than a closed list."""
        sidebar = self.sidebar
        first = sidebar.first_group
        shelves = (Shelf.BOOKMARKS, Shelf.UNREAD)
        if not sidebar.has_open_group and first is not None and first not in shelves:
            # The cursor goes to the newest post once the list is filled, so enter reads it
            # (rather than closing the group it would otherwise sit on).
            self._cursor_to_first_post = first
            sidebar.open_group(first)
            # Filled now, not on the group-opened message: a key pressed meanwhile must
            # already find the cursor on a post.
            fresh = reread is not None and reread.changes == self._changes_made
            posts = reread.posts.get(first) if reread and fresh else None
            if posts is None:
                # A screenful now, the whole list from a thread after the first frame: the
                # first list of a store of 100,000 posts is 55,000 rows, read in about 0.6 s
                # that the first screen waited for.
                posts = self.navigator.posts_of(first, limit=FIRST_SCREEN_POSTS)
                self._load_group(first, posts, whole=False)
                if len(posts) == FIRST_SCREEN_POSTS:
                    self._partly_listed = first
                    shown = self.sidebar.listed(first)
                    self.call_after_refresh(self._read_whole_list, first, self._changes_made, shown)
                return
            self._load_group(first, posts)

    def _welcome_at_start(self) -> None:
        # Only into an empty pane: what was shown there before the first frame (a refresh's
        # news of an unreachable site, say) stays.
        if self.article.empty:
            self._show_welcome()

    def _show_welcome(self, reread: Reread | None = None) -> None:
        if self.post is not None:
            return
        from reader.render.layout import KeptTogether
        from reader.render.rendered_article import RenderedArticle

        scope = self.navigator.scope
        if reread is not None:
            count, unread = reread.stored, reread.unread
        else:
            count = self.store.count_posts(source=scope)
            unread = self.store.unread_count(source=scope)
        lines: list[RenderableType] = [
            Text(self._site_title, style="bold"),
            Text(""),
            Text(f"{counted(count, 'post')} stored, {unread} unread."),
            Text(""),
            KeptTogether(
                [
                    Text(hint)
                    for hint in (
                        "j/k move",
                        "enter opens",
                        "n/p newer/older",
                        "r read next",
                        "tab links",
                        "? keys",
                    )
                ],
                Text(" · "),
            ),
        ]
        self.article.show(RenderedArticle(renderables=list(lines), links=[]))

    def reload_sidebar(self, reread: Reread | None = None) -> None:
        """Re-read groups, counts and the posts of every listed group from the store (or show
        what ``reread`` read of them, unless the reader changed something since)."""
        if reread is None or reread.changes != self._changes_made:
            self._refresh_counts()
            for group in self.sidebar.loaded_groups:
                self._load_group(group)
            return
        # A count reading begun in a thread before this reread (a read mark's) would land
        # after it and put older counts back.
        self.workers.cancel_group(self, "counts")
        self._show_counts(reread.counts)
        for group in self.sidebar.loaded_groups:
            self._load_group(group, reread.posts.get(group))

    def _load_group(
        self, group: Group, posts: list[PostSummary] | None = None, *, whole: bool = True
    ) -> None:
        """Fill ``group`` with ``posts``, read from the store when not given (``whole``:
        all of them, not a first screenful)."""
        if posts is None:
            posts = self.navigator.posts_of(group)
        self.sidebar.set_posts(group, posts)
        if whole and group == self._partly_listed:
            self._whole_list_shown()
        if self._cursor_to_first_post == group and posts:
            self._cursor_to_first_post = None
            self.sidebar.show_post(group, posts[0].id)

    @work(exclusive=True, group="whole-list", exit_on_error=False, description="Reading a list")
    async def _read_whole_list(
        self, group: Group, changes: int, shown: Sequence[PostSummary] | None, tries: int = 0
    ) -> None:
        """The whole of a list shown by its first screenful (``shown``), read in a thread on
        a connection of its own; shown unless the reader changed something since (then read
        again, in a thread twice more, then here), or the list was filled anew meanwhile (a
        refresh's)."""
        services = self.services

        def read() -> list[PostSummary]:
            store = Store(services.store.path, section_names=services.section_names)
            try:
                navigator = Navigator(store, services.source, sources=services.sources)
                return navigator.posts_of(group)
            finally:
                store.close()

        try:
            posts: list[PostSummary] | None = await in_daemon_thread(read, name="reader-list")
        except StoreError:
            posts = None  # read again on the loop, which says why
        if self.sidebar.listed(group) is not shown:
            return  # filled anew meanwhile, or the sidebar rebuilt (its refill reads it)
        if changes != self._changes_made and posts is not None and tries < _LIST_REREADS:
            # A read mark made while the thread read (the first post opened at once, say):
            # its list may hold the old mark. Read on the loop, 55,000 rows would hold every
            # key for half a second, the very wait this thread is for.
            self.call_later(self._read_whole_list, group, self._changes_made, shown, tries + 1)
            return
        self._load_group(group, posts if changes == self._changes_made else None)

    def _whole_list_shown(self) -> None:
        """The keys held for the first list's end may go (see :meth:`waits_for_whole_list`)."""
        if self._partly_listed is not None:
            self._partly_listed = None
            self.app.post_message(self.WholeListShown())

    def waits_for_whole_list(self, key: str) -> bool:
        """Whether ``key``, pressed now, must wait until the first list is shown whole.

        The first list of a long store shows its first screenful until the rest has been
        read (a second or so at 100,000 posts): a key to the list's end meanwhile (``end``,
        ``pagedown``, ``down`` or ``]`` from its last post shown) stopped at post 200, or
        left the list. Such a key, and every key after it, waits for the whole list (the app
        holds them, the loop runs on) and then does what it would have done on it.
        """
        group = self._partly_listed
        if group is None:
            return False
        active = self.app.active_bindings.get(key)
        if active is None:
            return False
        action = active.binding.action
        if active.node is self.sidebar:
            return self.sidebar.moves_past(group, action)
        if active.node is self and action == "next_in_list" and self.post is not None:
            if (self._list or self.sidebar.current_group) != group:
                return False
            shown = self.sidebar.listed(group) or ()
            return bool(shown) and shown[-1].id == self.post.id
        return False

    def on_sidebar_group_opened(self, event: Sidebar.GroupOpened) -> None:
        """Fill a group with its posts when it is first opened."""
        self._load_group(event.group)
        if event.group in self._tag_opened_on and not self._tag_opened_today(event.group):
            self._tag_opened(event.group)

    def _tag_opened_today(self, group: Group) -> bool:
        return self._tag_opened_on.get(group) == date.today().isoformat()

    def _tag_opened(self, group: Group) -> None:
        """``group``, a tag listed under "Tags", was opened: it stays listed for
        :data:`TAG_KEPT_DAYS` more days."""
        self._tag_opened_on[group] = date.today().isoformat()
        self._keep_opened_tags()

    # -- applying the navigator's moves ----------------------------------------------------

    def go(self, move: Move) -> None:
        """Do what a navigation rule decided; nothing here decides where to go."""
        if isinstance(move, OpenPost):
            self._show(move)
        elif isinstance(move, OpenGroup):
            self._open_group(move)
        elif isinstance(move, FetchThenOpen):
            self.status.say(f"Fetching {move.url} …", address=move.url)
            self._fetch_and_open(move.url)
        elif isinstance(move, OpenOutside):
            self.open_outside(move.url)
        elif isinstance(move, Copy):
            self.app.copy_to_clipboard(move.text)
            self.status.say(move.message, address=move.text)
        else:
            self.status.say(move.reason, error=move.error)

    def go_to(self, target: Target) -> None:
        """Go where the reader picked (in the sidebar, a picker or the palette)."""
        self.go(self.navigator.go_to(target))

    def _show(self, move: OpenPost) -> None:
        """Show a post, mark it read, and fetch its page in the background when needed."""
        post = move.post
        if move.anchor and self.post is not None and self.post.id == post.id:
            # A link to a part of the article shown: scroll there, nothing else changes.
            self.navigator.history.remember_scroll(self.article.scroll_target_y)
            self._scroll_to_anchor(move.anchor)
            return
        if move.remember:
            leaving_at = self.article.scroll_target_y if self.post is not None else None
            self.navigator.visit(post.url, move.scroll_y, leaving_at=leaving_at)
        self.post = post
        self._by_date_shown = None  # read again: a refresh may have brought a neighbour
        self._present(post, scroll_y=move.scroll_y)
        self.status.say(move.note or post.url or post.title)
        if move.mark_read:
            self._set_read(post, True)
        if self._list is not None:
            self.sidebar.show_post(self._list, post.id)
        # From here on, b and m mean this article until the reader moves in the list.
        self._moves_at_open = self.sidebar.moves
        self._show_article_pane()
        self._anchor = (post.id, move.anchor) if move.anchor else None
        if move.anchor:
            self._scroll_to_anchor(move.anchor)
        if move.fetch_page(self.navigator.source_for(post)):
            self.fetch_page(post)
        if post.bookmarked and self.services.pictures.drawing is not Drawing.OFF:
            # Pictures that could not be kept when it was bookmarked (offline) are asked for
            # again; the kept ones cost a look at their files.
            self.keep_bookmark_images(post, opened=True)

    def _scroll_to_anchor(self, anchor: str) -> None:
        if not self.article.scroll_to_anchor(anchor):
            self.status.say(f"No #{anchor} in this article; showing its top.")

    def _open_group(self, move: OpenGroup) -> None:
        group = move.group if move.group is not None else move.slug
        if move.tag:
            known = group in self.sidebar.opened_tags
            self.sidebar.add_tag(group, move.name, move.count, move.unread)
            if not known or not self._tag_opened_today(group):
                self._tag_opened(group)
            # Filled before it opens, so the scroll to it knows how long the list is.
            self._load_group(group)
        if self._sidebar_hidden or (self.narrow and self.has_class("-reading")):
            # The article had the screen (below 100 columns, or the list hidden with s): the
            # list opened takes it back, before the list scrolls to it.
            self._sidebar_hidden = False
            self._set_panes(reading=False)
        if self.sidebar.open_group(group):
            self._list = group
            listed = self.sidebar.listed(group)
            if listed:
                # On its first post, so enter reads it: on the heading, enter closed the list.
                self.sidebar.show_post(group, listed[0].id)
            else:
                self._cursor_to_first_post = group  # once its posts are read
            self._focus_now(self.sidebar)
            self._say_list(group, move.name, move.count)
        else:
            self.status.say(f"No stored posts in {move.slug}.", error=True)

    # -- opening posts ---------------------------------------------------------------------

    def _post_chosen(self, post: PostSummary, group: Group) -> None:
        """Enter on a post in the sidebar opens it (called by the sidebar, in the key's turn)."""
        self._list = group
        # Focus first, and now (``focus()`` waits for the app's next message): the focus events
        # reach both widgets while the article is laid out, so the sidebar's restyle and the
        # article land in one frame rather than two.
        self.set_focus(self.article)
        if group is Shelf.BOOKMARKS:
            self.go_to(PostAt(post.url))
        else:
            self.go_to(StoredPost(post.id))

    def open_post_id(self, post_id: int) -> None:
        """Open a stored post by id."""
        self.go_to(StoredPost(post_id))

    def _set_read(self, post: Post, read: bool) -> None:
        # Shown now, written in the read marks' thread: the write may wait for another
        # writer of the store (a refresh's batch, another reader's sync); the screen never.
        self._changes_made += 1
        self._read_marks.mark(post.id, read)
        if self.post is not None and self.post.id == post.id:
            self.post = replace(self.post, read=read)
        summary = PostSummary(
            post.id, post.title, post.url, post.published or _epoch(), read, post.bookmarked
        )
        self.sidebar.update_post(summary)

    def _read_mark_written(self, post_id: int, read: bool, error: StoreError | None) -> None:
        """Called in the read marks' thread once a mark is in the store (or failed)."""
        self.post_message(self.ReadMarkWritten(post_id, read, error))

    def on_main_screen_read_mark_written(self, message: ReadMarkWritten) -> None:
        """A read mark reached the store: the counts follow (or the reader learns why not)."""
        if message.error is not None:
            self.status.say(str(message.error), error=True)
        # Off the loop: a mark is written just after an article opens, and on a source of
        # 20,000 posts the section counts are some 50 ms of SQLite (more while another
        # process writes the store), which held the article's first frames.
        self._read_counts()

    @work(exclusive=True, group="counts", exit_on_error=False, description="Reading the counts")
    async def _read_counts(self) -> None:
        """Re-read the groups and their counts in a thread on a connection of its own, and
        show them (a later mark's reading replaces this one)."""
        services = self.services
        filled = self.sidebar.filled_sources
        tags = self.sidebar.opened_tags

        def read() -> Counts:
            store = Store(services.store.path, section_names=services.section_names)
            try:
                counts = self._counts_in(store, filled)
                return replace(counts, tags=tuple(self._tag_counts_in(store, tags)))
            finally:
                store.close()

        try:
            counts = await in_daemon_thread(read, name="reader-counts")
        except StoreError:
            self._refresh_counts()  # read again on the loop, which says why
            return
        self._show_counts(counts)

    def on_unmount(self) -> None:
        """Read marks and pages still to write get a moment to be written; never more (q
        answers)."""
        self._read_marks.close()
        self._page_writes.close()

    def _refresh_counts(self) -> None:
        """Re-read the groups and their counts (not their posts), here and now."""
        # A reading under way in a thread began before this one: it must not show older counts.
        self.workers.cancel_group(self, "counts")
        self._show_counts(self._counts_in(self.store, self.sidebar.filled_sources))

    def _counts_in(self, store: Store, filled: set[str]) -> Counts:
        """The groups and their counts, read from ``store``; nothing on the screen is touched,
        so this also runs in a thread, on a connection of its own (see :meth:`_reread`).

        ``filled``: the sources whose trees list their sections (several sources read).
        """
        scope = self.navigator.scope
        if self.navigator.several:
            return self._trees_in(store, filled)
        # One source read: only its lists and counts, whatever else the store keeps.
        sections = store.sections(source=scope)
        has_sections = any(s.kind == "section" for s in sections)
        all_posts = (
            None
            if has_sections
            else (store.count_posts(source=scope), store.unread_count(source=scope))
        )
        return Counts(bookmarks=store.bookmark_count(), sections=sections, all_posts=all_posts)

    def _kept_tags(self) -> list[Group]:
        """The tags listed under "Tags" when the reader last quit, as kept in the store, less
        those not opened in the last :data:`TAG_KEPT_DAYS` days."""
        found: list[Group] = []
        today = date.today()
        for source in self.navigator.sources:
            source_id = self.store.source_id(source)
            kept = self.store.source_meta(source_id, _OPENED_TAGS) if source_id is not None else ""
            if source_id is None or not kept:
                continue
            try:
                tags = json.loads(kept)
            except ValueError:
                continue  # not ours to mend: the next tag opened writes it anew
            self._tag_sources.add(source_id)
            if isinstance(tags, list):  # as kept before days were kept: opened today
                tags = dict.fromkeys(tags, "")
            for slug, opened in tags.items() if isinstance(tags, dict) else ():
                try:
                    day = date.fromisoformat(opened) if isinstance(opened, str) else today
                except ValueError:
                    day = today  # a count of starts, as briefly kept, or not ours: kept
                if isinstance(slug, str) and slug and (today - day).days < TAG_KEPT_DAYS:
                    group = Category(slug, source_id) if self.navigator.several else slug
                    self._tag_opened_on[group] = min(day, today).isoformat()
                    found.append(group)
        return found

    @work(group="opened-tags", exit_on_error=False, description="Keeping the opened tags")
    async def _keep_opened_tags(self) -> None:
        """Keep the tags listed under "Tags" in the store, each source's in its meta, so the
        next start lists them again (a site has too many tags to list them all)."""
        scope = self.store.source_id(self.source)
        kept: dict[int, dict[str, str]] = {source_id: {} for source_id in self._tag_sources}
        today = date.today().isoformat()
        for group in self.sidebar.opened_tags:
            slug, source_id = category_of(group), source_of(group) or scope
            if slug is not None and source_id is not None:
                kept.setdefault(source_id, {})[slug] = self._tag_opened_on.get(group, today)

        def write(store: Store) -> None:
            for source_id, tags in kept.items():
                store.set_source_meta(source_id, _OPENED_TAGS, json.dumps(tags))

        try:
            await self._page_writes(write)
        except StoreError as error:
            # Listed still, for this run; a full or read-only store says so elsewhere.
            self.log.warning(f"opened tags not kept: {error}")

    def _tag_counts_in(self, store: Store, tags: list[Group]) -> list[tuple[Group, Section]]:
        """The counts of the opened tags ``tags``, read from ``store`` (in any thread): the
        groups the store lists leave tags out (a site has hundreds), so M or a refresh left
        an opened tag's "2/4" as it was."""
        wanted: dict[int | None, list[str]] = {}
        for group in tags:
            slug = category_of(group)
            if slug is not None:
                wanted.setdefault(source_of(group), []).append(slug)
        # One query for each source's tags, counting their posts alone (by slug, the first
        # source's where several have it, as Store.section does).
        named: dict[tuple[int | None, str], Section] = {}
        for mine, slugs in wanted.items():
            scope = self.navigator.scope if mine is None else mine
            for counted_tag in store.sections_named(slugs, source=scope):
                named.setdefault((mine, counted_tag.slug), counted_tag)
        found = []
        for group in tags:
            slug = category_of(group)
            section = named.get((source_of(group), slug)) if slug is not None else None
            if section is not None:
                found.append((group, section))
        return found

    def _show_counts(self, counts: Counts) -> None:
        """Show groups and counts read by :meth:`_counts_in` (and the opened tags' own)."""
        self._counts_in_view = replace(counts, tags=None)
        tags = counts.tags
        if tags is None:
            tags = tuple(self._tag_counts_in(self.store, self.sidebar.opened_tags))
        for group, section in tags:
            self.sidebar.add_tag(group, section.name, section.count, section.unread)
        if counts.trees is None:
            self.sidebar.set_groups(counts.sections, counts.bookmarks, all_posts=counts.all_posts)
            return
        self._names = None  # titles may have come with these counts
        sidebar = self.sidebar
        store = self.store
        sidebar.sections_of = lambda source_id: store.sections(source=source_id)
        sidebar.set_trees(list(counts.trees), counts.bookmarks, counts.unread)

    def _trees_in(self, store: Store, filled: set[str]) -> Counts:
        """One tree per source, the first one first; each says what its last refresh hit."""
        stored = {s.id: s for s in store.sources()}
        # Only the trees that were ever opened list their sections: at first the first one;
        # the others read theirs when they open. While no open tree has posts (the first
        # source failed, or is empty), the first that has them lists its sections too: its
        # first section is the list a new reader sees.
        filled = filled or {self.navigator.sources[0].key}
        with_posts = self._sources_with_posts(store, stored)
        if with_posts and not any(source.key in filled for source in with_posts):
            filled = filled | {with_posts[0].key}
        trees = []
        ids = {source.key: store.source_id(source) or 0 for source in self.navigator.sources}
        titles = {key: row.title for key, id in ids.items() if (row := stored.get(id)) is not None}
        names = _shown_names(self.navigator.sources, titles)
        for source in self.navigator.sources:
            source_id = ids[source.key]
            row = stored.get(source_id)
            sections: tuple[Section, ...] | None = None
            if source.key in filled:
                sections = tuple(store.sections(source=source_id)) if source_id else ()
            trees.append(
                SourceTree(
                    key=source.key,
                    source_id=source_id,
                    name=names[source.key][0],
                    aside=names[source.key][1],
                    count=row.posts if row is not None else 0,
                    unread=row.unread if row is not None else 0,
                    sections=sections,
                    problem=self._problems.get(source.key) or ("" if source_id else NEVER_SYNCED),
                )
            )
        scope = self.navigator.scope
        unread = (store.count_posts(source=scope), store.unread_count(source=scope))
        return Counts(bookmarks=store.bookmark_count(), trees=tuple(trees), unread=unread)

    def _sources_with_posts(self, store: Store, stored: dict[int, StoredSource]) -> list[Source]:
        """The sources read that have posts in the store, in list order."""
        return [
            source
            for source in self.navigator.sources
            if (row := stored.get(store.source_id(source) or 0)) is not None and row.posts
        ]

    @work(
        exclusive=False, group="page", exit_on_error=False, description="Reading the article page"
    )
    async def fetch_page(self, post: Post) -> None:
        """Fetch the post's page for its body, navigation and topics; re-render when done."""
        # Begun after the article's frame: the page's first reading imports the network stack
        # (about 100 ms), which ran before that frame and kept the text waiting. (The worker
        # is started at once all the same, so whoever waits for the screen's work waits for it.)
        drawn: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def frame_drawn() -> None:
            if not drawn.done():
                drawn.set_result(None)

        self.call_after_refresh(frame_drawn)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(drawn, _FRAME_WAIT)
        # Imported here, not at the top: the network stack is not needed for the first screen;
        # the first time in a thread, so keys are answered meanwhile. The network client too:
        # making one loads the system's certificates (50-80 ms of the loop).
        if "reader.core.sync" not in sys.modules:
            await asyncio.to_thread(importlib.import_module, "reader.core.sync")
        if not self._fetcher_made:
            await asyncio.to_thread(self.services.shared_fetcher)
            self._fetcher_made = True
        from reader.core.fetch import FetchError
        from reader.core.sync import SyncError, complete_post

        if post.id in self._fetching:
            return
        self._fetching.add(post.id)
        try:
            updated = await complete_post(
                self.store, self.services.shared_fetcher(), post, writes=self._page_writes
            )
        except (FetchError, SyncError, StoreError) as error:
            # Said in the article too (above the excerpt), so it does not promise a page that
            # will never come; kept for this run, and tried again when the post is reopened.
            why = getattr(error, "reason", "") or str(error)
            self._page_problems[post.id] = why
            if self.post is not None and self.post.id == post.id:
                offline = getattr(error, "offline", False)
                said = f"could not be fetched ({why})"
                self.status.say(
                    f"offline: the page {said}" if offline else f"The page {said}",
                    error=not offline,
                )
                if not self.post.content.strip():
                    # Only an excerpt carries a note about the page; a whole body is drawn
                    # as it was (rendered again for nothing: 5 MB of it took seconds).
                    self._present(self.post)
            return
        finally:
            self._fetching.discard(post.id)
        self._page_problems.pop(post.id, None)
        if self.post is not None and self.post.id == post.id:
            self.post = updated
            at_anchor = None
            if self._anchor is not None and self._anchor[0] == post.id:
                line = self.article.anchor_line(self._anchor[1])
                at_anchor = self._anchor[1] if line == int(self.article.scroll_y) else None
            self._present(updated)
            if at_anchor:
                # The page's body may be longer than the feed's: the part moved with it.
                self.article.scroll_to_anchor(at_anchor)

    # -- pictures ---------------------------------------------------------------------------

    def render_article(self, post: Post) -> RenderedArticle:
        """``post`` rendered for the article pane, with its pictures' rows held when drawn."""
        return self._renderer(post)()

    def _renderer(self, post: Post) -> Callable[[], RenderedArticle]:
        """What renders ``post`` as things stand now (styles, pictures), to run anywhere."""
        key, styles, board, note, by_date = self._rendering(post)
        found = self._rendered_already(key, styles)
        if found is not None:
            return lambda: found

        def render() -> RenderedArticle:
            # A long body makes objects by the hundred thousand: no collector walks meanwhile.
            with collector.held():
                article = _render(post, styles, board, note, by_date)
            self._keep_rendering(key, styles, article, post)
            return article

        return render

    def _rendering(self, post: Post) -> Rendering:
        """What ``post`` is rendered with now: the key of its rendering (every field
        ``render_post`` reads, and how: the same key renders the same article), the styles,
        the pictures' board (None: pictures off), the note above an excerpt and the posts
        before and after it by date that its header names (see :meth:`_by_date`)."""
        from reader.render.article import EXCERPT_NOTE, FEED_EXCERPT_NOTE, unfetched_note

        problem = self._page_problems.get(post.id)
        if problem is not None:
            note = unfetched_note(problem)
        elif not self.navigator.source_for(post).is_site:
            note = FEED_EXCERPT_NOTE  # a feed's posts have no page the reader reads
        else:
            note = EXCERPT_NOTE

        by_date = self._by_date(post)
        board = None
        if self.services.pictures.drawing is not Drawing.OFF:
            board = self._board
            board.max_rows = picture_rows(self.article.size.height or 20)
        key = (
            post.id,
            post.url,
            post.title,
            post.author,
            post.published,
            post.reading_minutes,
            post.sections,
            post.tags,
            post.links,
            post.content,
            post.excerpt,
            note,
            board is None,
            by_date,
        )
        return key, self._styles, board, note, by_date

    def _by_date(self, post: Post) -> tuple[Link, ...]:
        """The newer and older posts by date the header names (the navigator's rule, see
        :meth:`Navigator.by_date`); none when the store could not say: a re-render (a theme,
        a picture) must not end the reader, nor an opening fail for a header line."""
        found = self._neighbours(post)
        return () if found is None else found.links()

    @staticmethod
    def _by_date_key(post: Post) -> tuple[object, ...]:
        return (post.id, post.page_fetched, post.links)

    def _neighbours(self, post: Post) -> ByDate | None:
        """Where n and p go by date from ``post``: kept for the post shown, read for another
        (one rendered ahead); None when the store could not say."""
        key = self._by_date_key(post)
        kept = self._by_date_shown
        if kept is not None and kept[0] == key:
            return kept[1]
        try:
            found: ByDate | None = self.navigator.by_date(post)
        except StoreError:
            found = None
        if self.post is not None and self._by_date_key(self.post) == key:
            self._by_date_shown = (key, found)
        return found

    def _by_date_of_shown(self) -> ByDate | None:
        """What the header of the post shown says of n and p by date, for n and p to go
        there too; None (the navigator reads the store itself) when nothing is kept."""
        kept = self._by_date_shown
        if self.post is None or kept is None or kept[0] != self._by_date_key(self.post):
            return None
        return kept[1]

    def _rendered_already(
        self, key: tuple[object, ...], styles: ArticleStyles
    ) -> RenderedArticle | None:
        """The kept rendering for ``key`` in ``styles`` (or the one made ahead), or None."""
        kept = self._rendered
        entry = kept.get(key)
        if entry is not None and entry[0] is styles:
            kept.move_to_end(key)
            return entry[1]
        ahead = self._ahead
        if ahead is not None and ahead[0] == key and ahead[1] is styles:
            self._ahead = None
            self._keep(key, styles, ahead[2])
            return ahead[2]
        return None

    def _keep_rendering(
        self, key: tuple[object, ...], styles: ArticleStyles, article: RenderedArticle, post: Post
    ) -> None:
        # Pictures change as they are fetched and drawn (the board): such an article is
        # rendered each time; a long one is not kept (megabytes of lines).
        if not article.images and len(post.content) < _LONG_POST:
            self._keep(key, styles, article)

    def _keep(
        self, key: tuple[object, ...], styles: ArticleStyles, article: RenderedArticle
    ) -> None:
        kept = self._rendered
        kept[key] = (styles, article)
        kept.move_to_end(key)
        while len(kept) > _ARTICLES_KEPT:
            kept.popitem(last=False)

    # -- rendering ahead of enter ------------------------------------------------------------

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[Entry]) -> None:
        """The reader moved the sidebar's cursor: once it rests on a post, that post is
        rendered ahead."""
        sidebar = self.sidebar
        if event.control is not sidebar or sidebar.moves == self._ahead_moves:
            return  # not the reader's own move: start-up, or following the article opened
        self._ahead_moves = sidebar.moves
        # Only the reader's own moves: the cursor's moves that open a list (a topic from `t`,
        # 'reader open' of a category) come after its name is said, and must not unsay it.
        self._describe_list_under_cursor(event.node.data)
        if self._ahead_timer is not None:
            self._ahead_timer.stop()
        self._ahead_timer = self.set_timer(_AHEAD_WAIT, self._render_post_under_cursor)

    def _say_list(self, group: Group, name: str, count: int | None) -> None:
        """Say which list this is and how long ("grants: 5 posts")."""
        message = f"{name}: {counted(count, 'post')}" if count is not None else name
        self.status.say(message)
        self._list_said = (group, message)

    def _describe_list_under_cursor(self, entry: Entry | None) -> None:
        """The status line still describes a list the cursor has left: it describes the one
        under the cursor now (the Bookmarks), or nothing (a heading such as "Topics")."""
        said = self._list_said
        if said is None or self.status.said != said[1]:
            self._list_said = None  # something else was said since: that stays
            return
        group = entry.group if entry is not None else None
        if group == said[0]:
            return
        name = self.sidebar.group_name(group) if group is not None else None
        if group is None or name is None:
            self.status.say("")
            self._list_said = None
            return
        self._say_list(group, name, self.sidebar.group_count(group))

    def _render_post_under_cursor(self) -> None:
        self._ahead_timer = None
        summary = self.sidebar.current_post
        if (
            summary is None
            or summary.id < 0
            or (self.post is not None and self.post.id == summary.id)
        ):
            return
        self._render_ahead(summary.id)

    @work(exclusive=True, group="render-ahead", exit_on_error=False, description="Rendering")
    async def _render_ahead(self, post_id: int) -> None:
        """Render the post under the sidebar's cursor, and make its lines at the pane's width,
        in a thread: enter then only draws it (a 50 KB article: render and layout, some 20 ms
        of the loop's time, taken off the key's path). Kept until another is made ahead."""
        try:
            post = self.store.post(post_id)
        except StoreError:
            return  # only a head start: the opening reads it itself, and says what went wrong
        if post is None or len(post.content) >= _LONG_POST:
            return
        key, styles, board, note, by_date = self._rendering(post)
        ahead = self._ahead
        if (ahead is not None and ahead[0] == key and ahead[1] is styles) or (
            key in self._rendered and self._rendered[key][0] is styles
        ):
            return
        if board is not None:
            # The thread reads a copy: the loop writes the board as pictures are fetched.
            board = replace(
                board,
                drawn=dict(board.drawn),
                failed=dict(board.failed),
                shapes=dict(board.shapes),
            )
        width, console = self.article.shown_width, self.app.console

        def render() -> tuple[RenderedArticle, ArticleLayout | None] | None:
            article = _render(post, styles, board, note, by_date)
            if article.images:
                return None  # drawn with its pictures as they are when it opens
            return article, None if width is None else lay_out_ahead(console, article, width)

        try:
            made = await in_daemon_thread(render, name="render-ahead")
        except Exception:
            return  # the same: the opening renders it, and says what went wrong
        if made is not None and styles is self._styles:
            article, layout = made
            self._ahead = (key, styles, article)
            if layout is not None:
                self.article.keep_laid_out(article, layout)

    def _present(self, post: Post, *, scroll_y: float | None = None) -> None:
        """Show ``post`` at ``scroll_y``; None re-renders it in place (keeping the selection).

        A long post is rendered in a thread (5 MB of text takes a second or more), with a
        word in the pane meanwhile; its lines are then laid out a slice at a time.
        """
        if len(post.content) < _LONG_POST:
            article = self.render_article(post)
            if scroll_y is None:
                self.article.restyle(article)
            else:
                self.article.show(article, scroll_y=scroll_y)
            return
        if scroll_y is not None:
            from reader.render.rendered_article import RenderedArticle

            size = f"{len(post.content) / 2**20:.1f} MB"
            note = [Text(post.title, style="bold"), Text(""), Text(f"Laying out {size} of text…")]
            self.article.show(RenderedArticle(renderables=list(note), links=[]), stand_in=True)
        self._render_long_post(post, scroll_y)

    @work(exclusive=True, group="long-post", exit_on_error=False, description="Laying out")
    async def _render_long_post(self, post: Post, scroll_y: float | None) -> None:
        """Render a long post in a daemon thread; show it if it is still the one open."""
        article = await in_daemon_thread(self._renderer(post), name="article-render")
        if self.post is None or self.post.id != post.id:
            return
        if scroll_y is None:
            self.article.restyle(article)
        else:
            self.article.show(article, scroll_y=scroll_y)

    def on_article_view_images_wanted(self, event: ArticleView.ImagesWanted) -> None:
        """Pictures came near the screen: fetch and draw them in the background."""
        self.draw_pictures(event.slots)

    @work(exclusive=False, group="images", exit_on_error=False, description="Drawing pictures")
    async def draw_pictures(self, slots: list[ImageSlot]) -> None:
        """Fetch, decode (in a thread) and draw pictures; the text never waits for them."""
        from reader.core.image_decode import ImageGone, ImageRefused

        images = self.services.pictures
        relaid = False
        for slot in slots:
            try:
                lines, overlay = await images.draw(slot.url, slot.columns, slot.rows)
            except ImageRefused as refused:
                if isinstance(refused, ImageGone) and refused.now:
                    # Said once, when found: it is not asked for again for days.
                    self.status.say(f"A picture of this article is {refused}")
                self._board.failed[slot.url] = str(refused)
                self.article.picture_refused(slot)
                relaid = True
                continue
            except WrongShape as wrong:
                # The file's shape is not the one the page declared: hold other rows for it.
                self._board.shapes[slot.url] = wrong.shape
                self.article.picture_refused(slot)
                relaid = True
                continue
            self.article.draw_picture(slot, lines, overlay)
        shown = {image.url for image in self.article.images}
        if relaid and self.post is not None and shown & {slot.url for slot in slots}:
            self._present(self.post)

    def action_toggle_images(self) -> None:
        """Pictures off, or back on."""
        images = self.services.pictures
        images.toggle()
        self.article.forget_pictures()
        if self.post is not None:
            self._present(self.post)
        kept_off_by = images.kept_off_by
        if kept_off_by is not None:
            # "Pictures off" at every press read as if i had done something each time.
            said = f"Pictures stay off under {kept_off_by}: alt text only."
        elif images.drawing is Drawing.OFF:
            said = "Pictures off: alt text and captions only."
        else:
            said = f"Pictures on ({images.drawing.value})."
        self.status.say(said)

    @work(exclusive=True, group="open", exit_on_error=False, description="Opening a link")
    async def _fetch_and_open(self, url: str) -> None:
        from reader.core.fetch import FetchError
        from reader.core.sync import SyncError, open_link

        try:
            # Of no site read, it goes under its own host's source, never the first one read.
            owner = self.navigator.owner_of(url)
            post = await open_link(
                self.store, self.services.shared_fetcher(), owner, url, writes=self._page_writes
            )
        except FetchError as error:
            if getattr(error, "offline", False):
                self.status.say(
                    f"Offline: {url} is not stored, so it cannot be opened now.", error=True
                )
            else:
                self.status.say(str(error), error=True)
            return
        except (SyncError, StoreError) as error:
            self.status.say(str(error), error=True)
            return
        self.go(self.navigator.open(post, anchor=fragment(url)))
        self.reload_sidebar()

    # -- links -----------------------------------------------------------------------------

    def on_article_view_link_followed(self, event: ArticleView.LinkFollowed) -> None:
        """Follow a link chosen in the article."""
        self.follow(event.link.url)

    def on_article_view_link_selected(self, event: ArticleView.LinkSelected) -> None:
        """Show the selected link's URL."""
        if event.link is None:
            self.status.say(
                "This article has no links."
                if not self.article.links
                else "No link selected: tab selects one."
            )
        else:
            self.status.say(f"[{event.link.number}] {event.link.url}")
            self._link_said = self.status.said

    def _forget_link(self) -> None:
        """Clear the status line's selected link once the article is no longer read."""
        if self._link_said and self.status.said == self._link_said:
            self.status.say("")
        self._link_said = ""

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Focus away from the article: the link it selected is no longer what keys act on."""
        if event.widget is not self.article:
            self._forget_link()

    def follow(self, url: str) -> None:
        """Follow ``url`` the way the site means it: in the reader, the sidebar, or outside."""
        self.go(self.navigator.follow(url))

    def open_outside(self, url: str) -> None:
        """Open a link that is not part of the site: browser locally, copy over SSH."""
        if open_in_browser(self.app, url):
            self.status.say(f"Opened in your browser: {url}", address=url)
            return
        self.app.copy_to_clipboard(url)
        self.status.say(f"Copied (no browser here): {url}", address=url)

    def action_digit(self, digit: int) -> None:
        """Type a link number; it is followed when no longer number could follow."""
        if self.post is None:
            return
        self._digits += str(digit)
        if self._digit_timer is not None:
            self._digit_timer.cancel()
        typed = typed_link(self._digits, len(self.article.links))
        if isinstance(typed, Refused):
            self._digits = ""
            self.go(typed)
            return
        if isinstance(typed, FollowNumber):
            self._follow_digits()
            return
        self.status.say(f"Link {typed.number}…")
        self._digit_timer = asyncio.get_running_loop().call_later(_DIGIT_WAIT, self._follow_digits)

    def _follow_digits(self) -> None:
        digits, self._digits = self._digits, ""
        self._digit_timer = None
        if digits and not self.article.follow_number(int(digits)):
            self.status.say(f"No link {digits}.", error=True)

    def action_link_list(self) -> None:
        """Show every link of the article with its URL, to pick one."""
        # Imported when first asked for: the pickers are not needed for the first screen.
        from reader.ui.pickers import Picker

        if self.post is None:
            self.status.say("Open a post first.")
            return
        links = self.article.links

        def picked(number: int | None) -> None:
            if number is not None:
                self.article.follow_number(number)

        if len(links) <= _LINKS_LISTED:
            choices = [_link_choice(link) for link in links]
            self.app.push_screen(
                Picker("Links in this article", choices, empty="No links."), picked
            )
            return

        def matching(query: str) -> list[Choice[int]]:
            # Thousands of links would take seconds to list: the first ones that match.
            words = query.casefold().split()
            found = (
                link
                for link in links
                if all(w in f"{link.number} {link.text} {link.url}".casefold() for w in words)
            )
            return [
                _link_choice(link) for _, link in zip(range(_LINKS_LISTED), found, strict=False)
            ]

        title = f"Links in this article ({len(links)}: the first {_LINKS_LISTED} that match)"
        self.app.push_screen(
            Picker(title, matching, placeholder="Filter by text, address or number"), picked
        )

    def action_copy_link(self) -> None:
        """Copy the selected link, else the article's URL (OSC 52)."""
        url = self._link_or_article()
        if url:
            self.go(Copy(url, f"Copied {url}"))

    def action_open_in_browser(self) -> None:
        """Open the selected link or the article in the browser (copied over SSH)."""
        url = self._link_or_article()
        if url:
            self.go(self.navigator.outside(url))

    def _link_or_article(self) -> str:
        """The selected link's address, else the article's; "" (and said) when neither."""
        link = self.article.selected_link
        url = link.url if link is not None else (self.post.url if self.post else "")
        if not url:
            # Said, as n, p and L say it: a key that did nothing and said nothing looked lost.
            self.status.say("Open a post first.")
        return url

    # -- site navigation -------------------------------------------------------------------

    def action_newer(self) -> None:
        """The newer post, by the site's post navigation (date order when it has none)."""
        self.go(self.navigator.newer(self.post, self._by_date_of_shown()))

    def action_older(self) -> None:
        """The older post, by the site's post navigation (date order when it has none)."""
        self.go(self.navigator.older(self.post, self._by_date_of_shown()))

    def action_read_next(self) -> None:
        """The site's "read this next" post."""
        self.go(self.navigator.read_next(self.post))

    def action_topics(self) -> None:
        """List this post's sections, topics and tags, each labelled, to jump to one."""
        from reader.ui.pickers import Choice, Picker

        if self.post is None:
            self.status.say("Open a post first.")
            return
        choices = [
            Choice(_topic_line(topic.kind, topic.name), topic.target, hangs=(_KIND_WIDTH,))
            for topic in self.navigator.topics(self.post)
        ]

        def picked(target: Target | None) -> None:
            if target is not None:
                self.go_to(target)

        self.app.push_screen(
            Picker(
                "Sections, topics and tags of this post",
                choices,
                empty="No sections, topics or tags.",
            ),
            picked,
        )

    def _step_in_list(self, step: int) -> None:
        group = self._list or self.sidebar.current_group
        shown = self.sidebar.listed(group) if group is not None else None
        self.go(self.navigator.in_list(self.post, group, step, shown=shown))

    def action_previous_in_list(self) -> None:
        """The post above this one in the sidebar list it was opened from."""
        self._step_in_list(-1)

    def action_next_in_list(self) -> None:
        """The post below this one in the sidebar list it was opened from."""
        self._step_in_list(+1)

    # -- history ---------------------------------------------------------------------------

    def _through_history(self, step: HistoryStep) -> None:
        leaving_at = self.article.scroll_target_y if self.post is not None else None
        self.go(self.navigator.through_history(step, leaving_at=leaving_at))

    def action_back(self) -> None:
        """Back to the previous article, where you were in it."""
        self._through_history(HistoryStep.BACK)

    def action_forward(self) -> None:
        """Forward again after going back."""
        self._through_history(HistoryStep.FORWARD)

    # -- bookmarks and read state ----------------------------------------------------------

    def _target_post(self) -> Post | None:
        """The post b and m act on: what the reader is looking at (see reader.core.reading)."""
        summary = self.sidebar.current_post
        which = subject(
            article_open=self.post is not None,
            article_in_view=self._article_in_view,
            highlighted_post=summary is not None,
            list_focused=self.focused is self.sidebar,
            list_moved=self.sidebar.moves != self._moves_at_open,
        )
        if which is Subject.HIGHLIGHTED and summary is not None:
            return self.store.find_readable(summary.url)
        return self.post if which is Subject.ARTICLE else None

    def action_toggle_bookmark(self) -> None:
        """Bookmark the post (a full snapshot), or remove its bookmark once asked (b b)."""
        post = self._target_post()
        if post is None:
            # The list's cursor on a group or a source, nothing open: said, not a key lost.
            self.status.say("No post here to bookmark: move to one, or open one.")
            return
        # What failed comes before the store's why, which names the file first: at 80
        # columns the status line cut the why off before it said what b had not done. Each
        # message is said of its own write only: a read after a write that was made must not
        # say it was not.
        try:
            bookmarked = self.store.is_bookmarked(post.url, post.guid)
        except StoreError as error:
            self.status.say(f"Bookmark not changed: {error}", error=True)
            return
        if bookmarked:
            about = ("unbookmark", post.url, post.guid)
            if not self._answers(about):
                # A bookmark can be the only copy left of a post the site has dropped: one
                # stray key must not lose it. The same key again, at once, removes it.
                key = keys.shown_key("bookmarks.toggle", self.services.keymap, keys.SHOWN_IN_HELP)
                self._ask(
                    about,
                    "bookmarks.toggle",
                    # The key first: a narrow status line cuts a message's end, and
                    # the title is long (at 80 columns "b again" was cut off).
                    f"{key} again removes this bookmark and its offline copy: {post.title}",
                    f"Bookmark kept: {post.title}",
                )
                return
            try:
                self.store.remove_bookmark(post.url, post.guid)
            except StoreError as error:
                self.status.say(f"Bookmark not removed: {error}", error=True)
                return
            with contextlib.suppress(StoreError):
                # Unreadable now, the pictures only stay kept until a later removal's look.
                self._forget_bookmark_images(post)
            self.status.say(f"Bookmark removed: {post.title}")
        else:
            try:
                snapshot = self.store.post(post.id) or post
                self.store.add_bookmark(snapshot)
            except StoreError as error:
                self.status.say(f"Not bookmarked: {error}", error=True)
                return
            self.status.say(f"Bookmarked: {post.title}")
            if self.services.pictures.drawing is not Drawing.OFF:
                self.keep_bookmark_images(snapshot)
        self._after_bookmark_change(post)

    @work(
        exclusive=False,
        group="bookmark-images",
        exit_on_error=False,
        description="Keeping the bookmark's pictures",
    )
    async def keep_bookmark_images(self, post: Post, *, opened: bool = False) -> None:
        """Copy every picture of the bookmarked post where the cache never trims them.

        Drawn or not: from the cache, else fetched in the background. The status line says
        when some could not be had; ``opened`` (the bookmark opened again, maybe online now)
        says so only when some are still missing after this try.
        """
        loader = await self.services.pictures.ready_loader()
        from reader.core.kept_images import (
            gone_note,
            keep_bookmark_images,
            kept_images,
            missing_note,
        )

        kept = kept_images(self.store.path.parent)
        count = await keep_bookmark_images(post, loader, kept)
        # A picture gone (404, 410) is said once, when found so; then left alone for days.
        said = [missing_note(count.missing)] if count.missing else []
        if count.gone_now:
            said.append(gone_note(count.gone_now))
        if said and (not opened or (self.post is not None and self.post.id == post.id)):
            self.status.say(f"{post.title}: {'; '.join(said)}.")

    def _forget_bookmark_images(self, post: Post) -> None:
        from reader.core.kept_images import forget_bookmark_images, kept_images

        still = [bookmark.post for bookmark in self.store.bookmarks()]
        forget_bookmark_images(post, kept_images(self.store.path.parent), still)

    def _after_bookmark_change(self, post: Post) -> None:
        self._changes_made += 1
        if self.post is not None and self.post.id == post.id:
            self.post = self.store.post(post.id) or self.post
        bookmarked = self.store.is_bookmarked(post.url, post.guid)
        self.sidebar.update_post(
            PostSummary(
                post.id, post.title, post.url, post.published or _epoch(), post.read, bookmarked
            )
        )
        self._refresh_counts()
        if Shelf.BOOKMARKS in self.sidebar.loaded_groups:
            self._load_group(Shelf.BOOKMARKS)

    def action_bookmarks(self) -> None:
        """List bookmarks newest first, with search by title and text."""
        from reader.ui.pickers import Choice, Picker

        def choose(query: str) -> list[Choice[PostAt]]:
            found = self.store.bookmarks(query)
            return [
                Choice(
                    _post_line(
                        b.title, b.created.strftime("%b %-d, %Y") + self._from(b.post.source_id)
                    ),
                    PostAt(b.url),
                )
                for b in found
            ]

        def picked(target: PostAt | None) -> None:
            if target is not None:
                self._list = Shelf.BOOKMARKS
                self.go_to(target)
                self._focus_now(self.article)

        self.app.push_screen(
            Picker(
                "Bookmarks",
                choose,
                placeholder="Search bookmarks by title or text",
                empty="No bookmarks yet: b bookmarks the open post.",
            ),
            picked,
        )

    def action_toggle_read(self) -> None:
        """Mark the post read or unread."""
        post = self._target_post()
        if post is None:
            self.status.say("No post here to mark: move to one, or open one.")
            return
        stored = self.store.post(post.id)
        if stored is not None:
            unwritten = self._read_marks.unwritten(stored.id)
            if unwritten is not None:
                stored = replace(stored, read=unwritten)  # the store has not got it yet
            self._set_read(stored, not stored.read)
            # Said, so the reader sees which post it was.
            self.status.say(f"Marked {'unread' if stored.read else 'read'}: {stored.title}")

    def action_next_unread(self) -> None:
        """Open the next unread post after the one the reader is on, wrapping to the top."""
        here = self._target_post() or self.post
        # From a post highlighted in the list (not the open one), its list is the one meant.
        self._next_unread_after(here, highlighted=here is not None and here is not self.post)

    def _next_unread_after(self, here: Post | None, *, highlighted: bool) -> None:
        group = (self.sidebar.current_group if highlighted else None) or (
            self._list or self.sidebar.current_group
        )
        shown = self.sidebar.listed(group) if group is not None else None
        self.go(self.navigator.next_unread(here, group, shown=shown))

    def _article_ended(self) -> None:
        """Space at the article's end: the next unread post after it, in the list it was
        opened from (as ``u`` from the article)."""
        if self.post is not None:
            self._next_unread_after(self.post, highlighted=False)

    # -- the article's paging keys from the list (see keys.LIST_READS_ARTICLE) -------------

    def _article_beside(self) -> ArticleView | None:
        """The article, when one is shown in view beside the list."""
        return self.article if self.post is not None and self._article_in_view else None

    def action_article_read_on(self) -> None:
        """Space on a post of the list: the article beside it pages down, and at its end goes
        on to the next unread, as space in the article does."""
        article = self._article_beside()
        if article is not None:
            article.action_read_on()

    def action_article_top(self) -> None:
        """g in the list: the article beside it to its top."""
        article = self._article_beside()
        if article is not None:
            article.action_scroll_home()

    def action_article_bottom(self) -> None:
        """G in the list: the article beside it to its end."""
        article = self._article_beside()
        if article is not None:
            article.action_scroll_end()

    def on_key(self, event: events.Key) -> None:
        """Count the keys pressed: a question put by one key is answered by the very next."""
        self._keys_pressed += 1
        question = self._question
        if question is None:
            return
        # Taken back here, before this key's action runs (which may come a frame later): any
        # key but the answering one, or any key after the one that could have answered.
        answering = keys.bound_keys(question.answer, self.services.keymap, keys.SHOWN_IN_HELP)
        if question.key != self._keys_pressed - 1 or not set(answering) & set(event.aliases):
            self._question = None
            if self.status.said == question.text:
                self.status.say(question.withdrawn)

    def _ask(self, about: object, answer: str, text: str, withdrawn: str) -> None:
        """Ask ``text`` about ``about`` on the status line, for the very next key (that of the
        binding ``answer``) to answer."""
        self.status.say(text)
        self._question = Question(about, answer, text, withdrawn, self._keys_pressed)

    def _answers(self, about: object) -> bool:
        """True when this key answers the question the key before it asked about ``about``."""
        question = self._question
        if question is None or question.about != about or question.key != self._keys_pressed - 1:
            return False
        self._question = None
        return True

    def action_mark_all_read(self) -> None:
        """Mark every post of the current list read, once asked and said again (M M)."""
        group = self.sidebar.current_group
        about = ("mark all read", group)
        if not self._answers(about):
            # Read state cannot be got back: the key asks first, and the same key again
            # (the very next key, on the same list) does it.
            key = keys.shown_key("read.mark_all", self.services.keymap, keys.SHOWN_IN_HELP)
            name = self.sidebar.group_name(group) if group is not None else None
            which = name or "this list"
            self._ask(
                about,
                "read.mark_all",
                f"{key} again marks every post of {which} read.",
                f"Nothing marked read in {which}.",
            )
            return
        self._changes_made += 1
        try:
            scope = self.navigator.scope
            if group is Shelf.UNREAD:
                count = self.store.mark_all_read(source=scope)
            else:
                mine = source_of(group)
                count = self.store.mark_all_read(
                    category_of(group), source=scope if mine is None else mine
                )
        except StoreError as error:
            self.status.say(str(error), error=True)
            return
        self.reload_sidebar()
        self.status.say(f"Marked {counted(count, 'post')} read.")

    # -- search ----------------------------------------------------------------------------

    def action_search(self) -> None:
        """Search titles and text of every stored post; ctrl+w widens to the whole site."""
        from reader.ui.search_screen import SearchScreen

        source = self.source
        has_api = self.store.source_meta(source, "has_rest_api") != "no"
        site = source.url if source.is_site and has_api else None

        def picked(target: StoredPost | PostAt | None) -> None:
            if target is None:
                return
            self._list = None
            self.go_to(target)
            self._focus_now(self.article)

        self.app.push_screen(
            SearchScreen(
                self.store,
                site=site,
                make_fetcher=self.services.new_fetcher,
                source_name=self.source_name,
                scope=self.navigator.scope,
            ),
            picked,
        )

    # -- layout ----------------------------------------------------------------------------

    @property
    def narrow(self) -> bool:
        """True below :data:`NARROW_BELOW` columns: the list and the article take turns."""
        return self.has_class("-narrow")

    @property
    def _article_in_view(self) -> bool:
        return not self.narrow or self.has_class("-reading")

    def on_resize(self) -> None:
        """Pick the layout for the new width."""
        self._fit_layout()

    def _fit_layout(self) -> None:
        narrow = self.size.width < NARROW_BELOW
        if narrow == self.narrow and self.size.width:
            return
        self.set_class(narrow, "-narrow")
        # Narrow: one pane at a time, the one the reader was in. Wide: both, unless hidden.
        self._set_panes(reading=narrow and self.focused is self.article)

    def _set_panes(self, *, reading: bool) -> None:
        """Narrow: the article (``reading``) or the list. Wide: the list as the reader left it."""
        self.set_class(self.narrow and reading, "-reading")
        self.set_class(not self.narrow and self._sidebar_hidden, "-no-sidebar")
        title = Text(self._site_title)
        if self.narrow and reading:
            title.append("  ·  escape: the list", style="not bold")
        bar = self.query_one("#title-bar", Static)
        if not (isinstance(bar.content, Text) and bar.content == title):
            # An update lays the whole screen out again: escape back to the list (the title
            # as it was) would pay tens of ms for nothing.
            bar.update(title)

    def _show_article_pane(self) -> None:
        """An article was opened: in a narrow terminal it takes the screen, with focus."""
        if self.narrow and not self.has_class("-reading"):
            self._set_panes(reading=True)
            self._focus_now(self.article)
        elif self._sidebar_hidden and self.focused is self.sidebar:
            self._focus_now(self.article)

    def _focus_now(self, widget: Widget) -> None:
        """Give ``widget`` the focus before the next key is handled.

        ``focus()`` waits for the app's next message, and the keys that came in the same read
        as this one are queued ahead of it: ``escape j j j`` typed fast (or over a slow SSH
        link, which delivers keys together) scrolled the article instead of moving the list.
        """
        self.set_focus(widget)
        if self.focused is not widget:
            # Not focusable yet (a pane shown this very moment): as soon as it is.
            widget.focus()

    def action_focus_sidebar(self) -> None:
        """Back to the list (shown again if hidden), its cursor where it was."""
        self._sidebar_hidden = False
        self._set_panes(reading=False)
        self._focus_now(self.sidebar)

    def action_toggle_sidebar(self) -> None:
        """Hide or show the list; in a narrow terminal, turn between the list and the article."""
        if self.narrow:
            if self.has_class("-reading"):
                self.action_focus_sidebar()
            else:
                self.action_to_article()
            return
        self._sidebar_hidden = not self._sidebar_hidden
        self._set_panes(reading=False)
        if self._sidebar_hidden:
            self._focus_now(self.article)

    def action_to_article(self) -> None:
        """From the list to the article (tab), shown whole in a narrow terminal."""
        self._set_panes(reading=True)
        self._focus_now(self.article)

    # -- refresh ---------------------------------------------------------------------------

    def action_stop_refresh(self) -> None:
        """Stop a running refresh; what it stored so far stays."""
        worker = self._sync_worker
        if worker is not None and not worker.is_finished:
            worker.cancel()
            self.status.say("Stopping the refresh…")
        else:
            self.status.say("No refresh is running: x stops one (ctrl+r starts one).")

    def action_refresh(self) -> None:
        """Sync with the site in the background."""
        worker = self._sync_worker
        if worker is not None and not worker.is_finished:
            # One at a time: a second would read the same pages again (x stops this one).
            self.status.say("A refresh is already running; x stops it.")
            return
        self.status.syncing = "refreshing…"
        self._sync_worker = self.run_sync()

    @work(exclusive=True, group="sync", exit_on_error=False, description="Refresh")
    async def run_sync(self) -> None:
        """Sync in a process of its own (else a thread) with its own store connection, so the
        screen never waits."""

        def progress(done: int, total: int | None, what: str) -> None:
            # Called on this loop or in the sync's thread; post_message is safe from any.
            self.post_message(self.SyncProgress(done, total, what))

        report = await self._sync_apart(progress)
        if report is None:
            report = await self._sync_in_thread(progress)
        # What the sync changed is read in a thread too: at 20,000 posts, the counts and the
        # first list's 11,000 posts took some 120 ms of the loop, every key waiting.
        self._problems = _problems_of(self.navigator.sources, report)
        reread = None
        if any(r.new or r.updated for r in report) or self.sidebar.first_group is None:
            with contextlib.suppress(StoreError):  # read again on the loop, which says why
                reread = await self._reread()
        self.post_message(self.SyncDone(report, reread))  # one report per source

    async def _sync_apart(self, progress: Progress) -> list[SyncReport] | None:
        """Sync in a process of its own; its reports, or None when it cannot run there.

        In a thread, the sync held the interpreter's lock 69-81% of the time: keys waited
        for a quarter of a core. A process has its own lock, and its own core.
        """
        from reader.core.debug_log import current_log, log
        from reader.core.sync_process import SyncProcess, request_of

        services = self.services
        if services.refresh_settings is None:
            return None  # settings that live only here (a test's): the thread it is
        request = request_of(
            services.store.path,
            services.sources or (services.source,),
            section_names=services.section_names,
            fetcher=services.refresh_settings,
            log=current_log(),
            detailed_log=log.isEnabledFor(logging.DEBUG),
        )
        # x, or the reader closing, while it starts or runs: SIGTERM stops the sync at its
        # next step (a write, so the sidebar then lists it); SIGKILL after _STOP_GRACE, as a
        # parse of a big feed or a stuck server must not keep q or x waiting.
        try:
            process = await SyncProcess.start(request, grace=_STOP_GRACE)
        except OSError as error:
            # No process to be had (out of processes or memory): the thread still works.
            log.warning("refresh runs in the reader's own process: %s", error)
            return None
        return await process.reports(progress)

    async def _sync_in_thread(self, progress: Progress) -> list[SyncReport]:
        """Sync in a thread of this process, on a connection of its own."""
        from reader.core.runner import SyncCancelled, SyncRun

        services = self.services
        run = SyncRun(
            services.store.path,
            services.sources or services.source,
            section_names=services.section_names,
            make_fetcher=services.new_fetcher,
            progress=progress,
        )
        syncing = in_daemon_thread(run.run_all, name="reader-refresh")
        try:
            return await asyncio.shield(syncing)
        except asyncio.CancelledError:
            # As above: stop the sync in its thread, and give it a moment, never more.
            run.cancel()
            with contextlib.suppress(SyncCancelled, TimeoutError):
                await asyncio.wait_for(syncing, _STOP_GRACE)
            raise

    async def _reread(self) -> Reread:
        """Read what the screen shows of the store, in a thread on a connection of its own."""
        services = self.services
        sidebar = self.sidebar
        groups = sidebar.loaded_groups
        filled = sidebar.filled_sources
        # The first list is read too while no post is shown: the lists open may all go (an
        # empty store's "All posts" once sections come in), and then the first one opens.
        first_wanted = self.post is None
        changes = self._changes_made
        title_wanted = self._title_is_address

        def read() -> Reread:
            store = Store(services.store.path, section_names=services.section_names)
            try:
                navigator = Navigator(store, services.source, sources=services.sources)
                counts = self._counts_in(store, filled)
                wanted = [group for group in groups if _still_listed(group, counts)]
                first = _first_group(counts) if first_wanted else None
                if first is not None and first not in wanted:
                    wanted.append(first)
                scope = navigator.scope
                return Reread(
                    counts=counts,
                    posts={group: navigator.posts_of(group) for group in wanted},
                    stored=store.count_posts(source=scope),
                    unread=store.unread_count(source=scope),
                    last_synced=navigator.last_updated(),
                    title=store.source_title(services.source) if title_wanted else None,
                    changes=changes,
                )
            finally:
                store.close()

        return await in_daemon_thread(read, name="reader-reread")

    def on_main_screen_sync_progress(self, message: SyncProgress) -> None:
        """Show how far the refresh is."""
        worker = self._sync_worker
        if worker is None or worker.is_finished:
            return  # a late word from a refresh that has ended
        text = f"{message.what} {message.done}/{message.total}" if message.total else message.what
        self.status.syncing = text[:60]
        self.status.progress(message.done, message.total)

    def on_main_screen_sync_done(self, message: SyncDone) -> None:
        """A refresh ended: say what it did, and what each source's tree should say."""
        reports = message.reports
        # Its own mark, and any other program's meanwhile: this end reads the store anyway.
        self._sync_stamp = self.store.sync_mark_stamp()
        self._problems = _problems_of(self.navigator.sources, reports)
        together = _together(reports) if len(reports) != 1 else reports[0]
        failed = sum(1 for r in reports if r.errors)
        self.sync_finished(together, message.reread, failed=failed, sources=len(reports))
        shown = message.reread is not None and (together.new or together.updated)
        if self.navigator.several and not shown:
            self._refresh_counts()  # the trees say which source failed, and why

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Every worker of the screen ends here: a failure is said and logged, a stop is said."""
        worker = event.worker
        if worker.group == "whole-list" and worker.is_finished:
            running = (w for w in self.workers if w.group == "whole-list" and not w.is_finished)
            if next(running, None) is None:
                # However it ended (a failure, a refill that read the list itself), keys held
                # for it must not wait for ever.
                self._whole_list_shown()
        if event.state is WorkerState.ERROR:
            self.log.error(failure_traceback(worker))
            if worker.group == "sync":
                self._sync_ended()
            self.status.say(failure_line(worker), error=True)
        elif event.state is WorkerState.CANCELLED and worker.group == "sync":
            self._sync_ended()
            self.status.say("Refresh stopped; posts read so far are kept.", error=True)

    def _sync_ended(self) -> None:
        """A refresh stopped or failed part way: show what it stored before that."""
        self.status.syncing = ""
        self._sync_stamp = self.store.sync_mark_stamp()
        self._stored_seen = self.store.count_posts(source=self.navigator.scope)
        # Every batch was written in its own transaction: what was read so far is listed.
        self.reload_sidebar()
        if self.post is None:
            self._open_first_group()
            self._show_welcome()

    def sync_finished(
        self,
        report: SyncReport,
        reread: Reread | None = None,
        *,
        failed: int | None = None,
        sources: int = 1,
    ) -> None:
        """Show what the sync did and re-read the store (or show ``reread``, read already).

        ``failed`` of ``sources`` read failed (by default: all, unless ``report`` is ok).
        """
        self.status.syncing = ""
        damage = self.store.damage_found_elsewhere() if not report.ok else None
        if damage is not None:
            # The refresh found the store damaged: the app says so, and nothing more is read.
            self.post_message(StoreDamaged(damage))
            return
        self.status.offline = report.offline
        self._title_from_site(reread)
        if failed is None:
            failed = 0 if report.ok else sources
        if sources > 1:
            self.status.failed = failed
        if failed < sources:
            # Something was read: the time is this refresh's, failing sources or not.
            self.status.last_sync = (
                reread.last_synced if reread is not None else self.navigator.last_updated()
            )
        if report.ok:
            if report.unchanged:
                self.status.say("Up to date.")
            else:
                said = f"{report.new} new, {report.updated} updated."
                # What the site could not give (an empty feed, a locked REST API) is said too.
                self.status.say(" ".join([said, *report.notes[:1]]))
        else:
            self.status.say(report.errors[0], error=True)
        if report.new or report.updated or self.sidebar.first_group is None:
            self.reload_sidebar(reread)
        if self.post is None:
            self._open_first_group(reread)
            self._show_welcome(reread)
        scope = self.navigator.scope
        stored = reread.stored if reread is not None else self.store.count_posts(source=scope)
        self._stored_seen = stored
        if self.post is None and stored == 0 and not report.ok:
            self._show_unreachable(report)

    def _title_from_site(self, reread: Reread | None = None) -> None:
        """On a first start only the address was known: the site's own title replaces it."""
        if not self._title_is_address:
            return
        title = reread.title if reread is not None else self.store.source_title(self.source)
        if title:
            self._title_is_address = False
            self._site_title = title
            self._set_panes(reading=self.has_class("-reading"))

    def _show_unreachable(self, report: SyncReport) -> None:
        """Explain, in the article pane, that the site could not be reached and why."""
        from reader.render.rendered_article import RenderedArticle

        # Bookmarks are kept whole whatever site they came from, so they read offline even
        # when nothing of this site is stored: said, where "nothing to show offline" was.
        kept = self.store.bookmark_count()
        if kept:
            reads, them = ("reads", "it") if kept == 1 else ("read", "them")
            key = keys.shown_key("bookmarks.list", self.services.keymap, keys.SHOWN_IN_HELP)
            offline = (
                f"Nothing of this site is stored yet; {counted(kept, 'bookmark')} {reads}"
                f" offline: {key} lists {them}."
            )
        else:
            offline = "Nothing is stored yet, so there is nothing to show offline."
        lines: list[Text] = [
            Text("The site could not be reached", style="bold"),
            Text(""),
            Text(report.errors[0] if report.errors else "No posts could be read."),
            Text(""),
            Text(offline),
            Text("Check the address and the network, then press ctrl+r to try again."),
            Text(""),
            Text("To try the reader without a network, run:  reader --demo", style="bold"),
        ]
        self.article.show(RenderedArticle(renderables=list(lines), links=[]))
        self._show_article_pane()

    # -- theme and palette -----------------------------------------------------------------

    def _restyle(self, theme: Theme) -> None:
        """Re-render the article in the new theme's colours, and name the theme."""
        self._styles = article_styles(self.app.theme_variables)
        self.status.say(f"Theme: {theme.name}.")
        if self.post is not None:
            self._present(self.post)

    def palette_commands(self) -> list[PaletteCommand]:
        """The reader's commands, for the command palette, each with its key as mapped."""
        bindings = keys.SHOWN_IN_HELP

        def key(binding_id: str) -> str:
            return keys.shown_key(binding_id, self.services.keymap, bindings)

        return [
            PaletteCommand("Refresh: fetch new posts", self.action_refresh, key("app.refresh")),
            PaletteCommand("Bookmarks", self.action_bookmarks, key("bookmarks.list")),
            PaletteCommand("Search stored posts", self.action_search, key("app.search")),
            PaletteCommand(
                "Mark all read in this list", self.action_mark_all_read, key("read.mark_all")
            ),
            PaletteCommand("Next unread post", self.action_next_unread, key("read.next_unread")),
            PaletteCommand(
                "Help: every key", partial(self.app.run_action, "app.help"), key("app.help")
            ),
            PaletteCommand("Links in this article", self.action_link_list, key("links.list")),
            PaletteCommand("Quit", partial(self.app.run_action, "app.quit"), key("app.quit")),
        ]

    def source_name(self, source_id: int) -> str:
        """The name of the source a post or list is from, when there are several; else ""."""
        if not self.navigator.several:
            return ""
        sources = self.navigator.sources
        for source in sources:
            if self.store.source_id(source) == source_id:
                if self._names is None:
                    titles = {s.key: self.store.source_title(s) or "" for s in sources}
                    self._names = _shown_names(sources, titles)
                name, aside = self._names[source.key]
                return f"{name} · {aside}" if aside else name
        stored = self.store.stored_source(source_id)
        return stored.name or stored.title or stored.url if stored is not None else ""

    def _from(self, source_id: int) -> str:
        name = self.source_name(source_id)
        return f" · {name}" if name else ""

    def palette_places(self) -> list[PaletteCommand]:
        """Sections and topics (of every source, each named), for the command palette."""
        several = self.navigator.several
        return [
            PaletteCommand(
                f"Go to {section.kind.value}: {section.name}"
                + (f" ({self.source_name(section.source_id)})" if several else ""),
                partial(self.go_to, ListOf(section.slug, section.source_id if several else None)),
                counted(section.count, "post"),
            )
            for section in self.store.sections(source=self.navigator.scope)
        ]

    def palette_posts(self, query: str) -> list[PaletteCommand]:
        """Stored posts matching ``query``, for the command palette."""
        return [
            PaletteCommand(
                hit.post.title,
                partial(self.go_to, StoredPost(hit.post.id)),
                f"post · {hit.post.published:%b %-d, %Y}{self._from(hit.post.source_id)}",
            )
            for hit in self.store.search(query, limit=20, source=self.navigator.scope)
        ]


def _render(
    post: Post,
    styles: ArticleStyles,
    board: ImageBoard | None,
    note: str,
    by_date: tuple[Link, ...] = (),
) -> RenderedArticle:
    """``post`` rendered and made ready to lay out (anywhere: it touches no screen)."""
    # Imported on first use: the renderer (and selectolax) is not needed to start.
    from reader.render.article import prepare_layout, render_post

    return prepare_layout(render_post(post, styles, board, excerpt_note=note, by_date=by_date))


def _shown_names(
    sources: Sequence[Source], titles: Mapping[str, str]
) -> dict[str, tuple[str, str]]:
    """What each source is called on screen, by key: its name, else its site's title
    (``titles``, by key), else one made from its address; with, for a name two sources
    share, what tells each apart (``reader sources list``'s name: its host when it has none).

    Three WordPress sites all titled "USC Stem Cell (sample)" were three such rows in the
    sidebar and the bookmarks, with nothing to tell them apart.
    """
    # A name the reader made ("host-2") yields to the title, once a sync has learnt it.
    given = {s.key: "" if s.name_is_made else s.name for s in sources}
    shown = {s.key: given[s.key] or titles.get(s.key) or s.label for s in sources}
    uses = Counter(shown.values())
    named = {}
    for source in sources:
        name = shown[source.key]
        named[source.key] = (name, source.label if uses[name] > 1 and name != source.label else "")
    return named


def _together(reports: list[SyncReport]) -> SyncReport:
    """Several sources' reports as one for the status line (each tree says its own trouble)."""
    together = SyncReport("", source="")
    together.new = sum(r.new for r in reports)
    together.updated = sum(r.updated for r in reports)
    together.pages_fetched = sum(r.pages_fetched for r in reports)
    together.unchanged = bool(reports) and all(r.unchanged for r in reports)
    together.offline = bool(reports) and all(r.offline for r in reports)
    failed = [r for r in reports if r.errors]
    if failed:
        first = failed[0]
        together.errors.append(
            f"{len(failed)} of {counted(len(reports), 'source')} failed;"
            f" {first.source}: {first.errors[0]}"
        )
    return together


def _problems_of(sources: tuple[Source, ...], reports: list[SyncReport]) -> dict[str, str]:
    """What went wrong in each source's refresh, by source key."""
    return {
        source.key: report.errors[0]
        for source, report in zip(sources, reports, strict=False)
        if report.errors
    }


def _still_listed(group: Group, counts: Counts) -> bool:
    """False for a list the sidebar drops once it shows ``counts``: one source's "All posts"
    when its sections have come in (reading its thousands of posts would be for nothing)."""
    return not (group is Shelf.ALL_POSTS and counts.trees is None and counts.all_posts is None)


def _first_group(counts: Counts) -> Group | None:
    """The list the sidebar shows first once it holds ``counts`` (one source read; None with
    several, whose first list the sidebar decides)."""
    if counts.trees is not None:
        return None
    if counts.all_posts is not None:
        return Shelf.ALL_POSTS
    kinds = [s for s in counts.sections if s.kind is SectionKind.SECTION]
    topics = [s for s in counts.sections if s.kind is SectionKind.TOPIC]
    first = (kinds or topics)[:1]
    return first[0].slug if first else None


def _epoch() -> _dt:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(0, UTC)


if TYPE_CHECKING:
    from datetime import datetime as _dt


def _link_choice(link: LinkTarget) -> Choice[int]:
    from reader.ui.pickers import Choice

    # A long link text wraps under its first word, not under the number.
    return Choice(_link_line(link), link.number, hangs=(len(f"[{link.number}] "), 4))


def _link_line(link: LinkTarget) -> Text:
    line = Text(f"[{link.number}] ", style="bold")
    line.append(link.text or "(no text)")
    line.append("\n    ")
    line.append(link.url, style="dim" if link.followable else "dim strike")
    return line


def _post_line(title: str, when: str) -> Text:
    # A huge title is cut as the header's n and p lines cut one.
    line = Text(cut_to_cells(title, NAVIGATION_TITLE_MOST), style="bold")
    line.append(f"  {when}", style="dim")
    return line


_KIND_WORDS = {SectionKind.SECTION: "Section", SectionKind.TOPIC: "Topic", SectionKind.TAG: "Tag"}
"""How the topics picker labels each kind of list, so a section, a topic and a tag of the same
post can be told apart."""
_KIND_WIDTH = max(len(word) for word in _KIND_WORDS.values()) + 2
"""Cells before the names, so they start in one column."""


def _topic_line(kind: SectionKind, name: str) -> Text:
    """A line of the topics picker: the kind, dim, then the name (never markup)."""
    line = Text(_KIND_WORDS[kind].ljust(_KIND_WIDTH), style="dim")
    line.append(name)
    return line
