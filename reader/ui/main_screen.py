"""The main screen: sidebar, article, status line; it decides where every key and link goes."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Static

from reader.core.history import History
from reader.core.models import LinkKind, Post, PostSummary, SyncReport
from reader.core.store import Store, StoreError
from reader.core.urls import is_followable, same_site, scheme, topic_slug
from reader.render.links import LinkTarget
from reader.ui.article_view import ArticleView
from reader.ui.browser import open_in_browser
from reader.ui.key_bar import KeyBar, key_bar_text
from reader.ui.pickers import Choice, Picker
from reader.ui.sidebar import ALL_POSTS, BOOKMARKS, Sidebar
from reader.ui.status_line import StatusLine

if TYPE_CHECKING:
    from reader.ui.app import ReaderApp

_DIGIT_WAIT = 0.8
"""Seconds to wait for a second digit before following link N."""


class MainScreen(Screen[None]):
    """Reads the site: sidebar of sections and topics, article pane, status line."""

    BINDINGS = [
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
        Binding("slash", "search", "Search", id="app.search"),
        Binding("ctrl+r", "refresh", "Refresh", show=False, id="app.refresh"),
        Binding("escape", "focus_sidebar", "Sidebar", show=False, id="app.sidebar"),
        Binding("x", "stop_refresh", "Stop refresh", show=False, id="app.stop_refresh"),
        *(
            Binding(str(d), f"digit({d})", f"Link {d}", show=False, id=f"links.digit_{d}")
            for d in range(10)
        ),
    ]

    DEFAULT_CSS = """
    MainScreen #title-bar {
        height: 1;
        background: $primary;
        color: auto;
        text-style: bold;
        padding: 0 1;
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
    """

    def __init__(self) -> None:
        super().__init__()
        self.history = History()
        self.post: Post | None = None
        """The article shown."""
        self._list_slug: str | None = None
        self._digits = ""
        self._digit_timer: asyncio.TimerHandle | None = None
        self._fetching: set[int] = set()
        self._cursor_to_first_post: str | None = None
        self._stop_sync = threading.Event()

    @property
    def reader(self) -> ReaderApp:
        """The app, with its store and source."""
        from reader.ui.app import ReaderApp

        assert isinstance(self.app, ReaderApp)
        return self.app

    @property
    def store(self) -> Store:
        """The store the app reads."""
        return self.reader.store

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
        yield Static(Text(self.reader.site_title), id="title-bar")
        with Horizontal(id="panes"):
            yield Sidebar(id="sidebar")
            yield ArticleView(id="article")
        yield StatusLine()
        yield KeyBar(self._key_bar_text())

    def _key_bar_text(self) -> Text:
        keymap = dict(getattr(self.app, "_keymap", {}) or {})
        return key_bar_text([*self.BINDINGS, *self.app.BINDINGS], keymap)  # type: ignore[list-item]

    # -- start-up --------------------------------------------------------------------------

    def on_mount(self) -> None:
        """Draw from the store at once; refresh in a worker."""
        self.reload_sidebar()
        self.status.last_sync = self.store.last_synced()
        self._open_first_group()
        self.sidebar.focus()
        if self.store.count_posts() == 0:
            self.status.say("The store is empty; reading the site…")
        else:
            self.status.say("Press enter to read a post, ? for keys.")
        # After the first frame: the sidebar is what a reader looks at first.
        self.call_after_refresh(self._show_welcome)
        if self.reader.refresh_on_start:
            self.action_refresh()
        minutes = self.reader.refresh_interval_minutes
        if minutes > 0 and not self.reader.source.is_file:
            self.set_interval(minutes * 60, self.action_refresh)

    def _open_first_group(self) -> None:
        """Open the first section, so a new reader sees posts rather than a closed list."""
        sidebar = self.sidebar
        first = sidebar.first_group
        if not sidebar.has_open_group and first is not None and first != BOOKMARKS:
            # The cursor goes to the newest post once the list is filled, so enter reads it
            # (rather than closing the group it would otherwise sit on).
            self._cursor_to_first_post = first
            sidebar.open_group(first)
            # Filled now, not on the group-opened message: a key pressed meanwhile must
            # already find the cursor on a post.
            self._load_group(first)

    def _show_welcome(self) -> None:
        if self.post is not None:
            return
        from reader.render.article import RenderedArticle

        count = self.store.count_posts()
        lines = [
            Text(self.reader.site_title, style="bold"),
            Text(""),
            Text(f"{count} posts stored, {self.store.unread_count()} unread."),
            Text(""),
            Text("j/k move · enter opens · n/p newer/older · r read next · tab links · ? keys"),
        ]
        self.article.show(RenderedArticle(renderables=list(lines), links=[]))

    def reload_sidebar(self) -> None:
        """Re-read groups, counts and the posts of every listed group from the store."""
        self._refresh_counts()
        for slug in self.sidebar.loaded_groups:
            self._load_group(slug)

    def _load_group(self, slug: str) -> None:
        if slug == BOOKMARKS:
            posts = [
                PostSummary(b.post.id, b.post.title, b.url, b.created, True, True)
                for b in self.store.bookmarks()
            ]
        else:
            posts = self.store.posts_in(None if slug == ALL_POSTS else slug)
        self.sidebar.set_posts(slug, posts)
        if self._cursor_to_first_post == slug and posts:
            self._cursor_to_first_post = None
            self.sidebar.show_post(slug, posts[0].id)

    def on_sidebar_group_opened(self, event: Sidebar.GroupOpened) -> None:
        """Fill a group with its posts when it is first opened."""
        self._load_group(event.slug)

    # -- opening posts ---------------------------------------------------------------------

    def on_sidebar_post_chosen(self, event: Sidebar.PostChosen) -> None:
        """Enter on a post in the sidebar opens it."""
        self._list_slug = event.slug
        # Focus first: the sidebar's restyle and the article then land in one frame.
        self.article.focus()
        if event.slug == BOOKMARKS:
            self.open_url(event.post.url)
        else:
            self.open_post_id(event.post.id)

    def open_post_id(self, post_id: int, *, scroll_y: float = 0.0, remember: bool = True) -> None:
        """Open a stored post by id."""
        post = self.store.post(post_id)
        if post is None:
            self.status.say("That post is no longer in the store.", error=True)
            return
        self.show_post(post, scroll_y=scroll_y, remember=remember)

    def show_post(self, post: Post, *, scroll_y: float = 0.0, remember: bool = True) -> None:
        """Show ``post``, mark it read, and fetch its page in the background when needed."""
        if remember:
            if self.post is not None:
                self.history.remember_scroll(self.article.scroll_y)
            self.history.visit(post.url, scroll_y)
        self.post = post
        # Imported on first use: the renderer (and selectolax) is not needed to start.
        from reader.render.article import render_post

        self.article.show(render_post(post, self.reader.article_styles), scroll_y=scroll_y)
        self.status.say(post.url or post.title)
        if not post.read and post.id > 0:
            self._set_read(post, True)
        if self._list_slug is not None:
            self.sidebar.show_post(self._list_slug, post.id)
        if not post.page_fetched and self.reader.source.is_site and post.id > 0:
            self.fetch_page(post)

    def _set_read(self, post: Post, read: bool) -> None:
        try:
            self.store.set_read(post.id, read)
        except StoreError as error:
            self.status.say(str(error), error=True)
            return
        if self.post is not None and self.post.id == post.id:
            self.post = replace(self.post, read=read)
        summary = PostSummary(
            post.id, post.title, post.url, post.published or _epoch(), read, post.bookmarked
        )
        self.sidebar.update_post(summary)
        self._refresh_counts()

    def _refresh_counts(self) -> None:
        """Re-read the groups and their counts (not their posts)."""
        sections = self.store.sections()
        has_sections = any(s.kind == "section" for s in sections)
        all_posts = None if has_sections else (self.store.count_posts(), self.store.unread_count())
        self.sidebar.set_groups(sections, self.store.bookmark_count(), all_posts=all_posts)

    @work(exclusive=False, group="page", exit_on_error=False, description="Reading article page")
    async def fetch_page(self, post: Post) -> None:
        """Fetch the post's page for its body, navigation and topics; re-render when done."""
        # Imported here, not at the top: the network stack is not needed for the first screen.
        from reader.core.fetch import FetchError
        from reader.core.sync import SyncError, complete_post

        if post.id in self._fetching:
            return
        self._fetching.add(post.id)
        try:
            updated = await complete_post(self.store, self.reader.fetcher, post)
        except (FetchError, SyncError, StoreError) as error:
            if self.post is not None and self.post.id == post.id:
                offline = getattr(error, "offline", False)
                note = "offline: showing what is stored" if offline else str(error)
                self.status.say(note, error=not offline)
            return
        finally:
            self._fetching.discard(post.id)
        if self.post is not None and self.post.id == post.id:
            self.post = updated
            from reader.render.article import render_post

            self.article.restyle(render_post(updated, self.reader.article_styles))

    def open_url(self, url: str) -> None:
        """Open an in-site post link: from the store, a bookmark, or the network."""
        post = self.store.find_post(url)
        if post is not None:
            self.show_post(post)
            return
        bookmark = self.store.bookmark(url)
        if bookmark is not None:
            self.show_post(bookmark.post)
            self.status.say("Opened from your bookmark (the post is no longer in the store).")
            return
        self.status.say(f"Fetching {url} …")
        self._fetch_and_open(url)

    @work(exclusive=True, group="open", exit_on_error=False, description="Opening a link")
    async def _fetch_and_open(self, url: str) -> None:
        from reader.core.fetch import FetchError
        from reader.core.sync import SyncError, open_link

        try:
            post = await open_link(self.store, self.reader.fetcher, self.reader.source, url)
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
        self.show_post(post)
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

    def follow(self, url: str) -> None:
        """Follow ``url`` the way the site means it: in the reader, the sidebar, or outside."""
        kind = scheme(url)
        if kind == "mailto":
            self.app.copy_to_clipboard(url.removeprefix("mailto:"))
            self.status.say(f"E-mail address copied: {url.removeprefix('mailto:')}")
            return
        if not is_followable(url):
            self.status.say(f"Not followed ({kind or 'unknown'} link): {url}", error=True)
            return
        stored = self.store.find_post(url)
        if stored is not None and same_site(stored.url, url):
            # A post we hold opens inside the reader whatever the source, e.g. a feed's own
            # posts linking to each other.
            self.show_post(stored)
            return
        source = self.reader.source
        if source.owns(url):
            where = topic_slug(url)
            if where is not None:
                self._open_topic(where[1])
                return
            self.open_url(url)
            return
        self.open_outside(url)

    def open_outside(self, url: str) -> None:
        """Open a link that is not part of the site: browser locally, copy over SSH."""
        if open_in_browser(self.app, url):
            self.status.say(f"Opened in your browser: {url}")
            return
        self.app.copy_to_clipboard(url)
        self.status.say(f"Copied (no browser here): {url}")

    def open_list(self, slug: str) -> None:
        """Open a section or topic in the sidebar (from the command palette)."""
        self._open_topic(slug)

    def _open_topic(self, slug: str) -> None:
        if self.sidebar.open_group(slug):
            self._list_slug = slug
            self.sidebar.focus()
            section = self.store.section(slug)
            self.status.say(
                f"{section.name if section else slug}: {section.count if section else 0} posts"
            )
        else:
            self.status.say(f"No stored posts in {slug}.", error=True)

    def action_digit(self, digit: int) -> None:
        """Type a link number; it is followed when no longer number could follow."""
        if self.post is None:
            return
        self._digits += str(digit)
        if self._digit_timer is not None:
            self._digit_timer.cancel()
        number = int(self._digits)
        count = len(self.article.links)
        if number == 0 or number > count:
            self.status.say(f"No link {number}: this article has {count}.", error=True)
            self._digits = ""
            return
        if number * 10 > count:
            self._follow_digits()
            return
        self.status.say(f"Link {number}…")
        self._digit_timer = asyncio.get_running_loop().call_later(_DIGIT_WAIT, self._follow_digits)

    def _follow_digits(self) -> None:
        digits, self._digits = self._digits, ""
        self._digit_timer = None
        if digits and not self.article.follow_number(int(digits)):
            self.status.say(f"No link {digits}.", error=True)

    def action_link_list(self) -> None:
        """Show every link of the article with its URL, to pick one."""
        if self.post is None:
            self.status.say("Open a post first.")
            return
        links = self.article.links
        choices = [Choice(_link_line(link), str(link.number)) for link in links]

        def picked(value: str | None) -> None:
            if value is not None:
                self.article.follow_number(int(value))

        self.app.push_screen(Picker("Links in this article", choices, empty="No links."), picked)

    def action_copy_link(self) -> None:
        """Copy the selected link, else the article's URL (OSC 52)."""
        link = self.article.selected_link
        url = link.url if link is not None else (self.post.url if self.post else "")
        if url:
            self.app.copy_to_clipboard(url)
            self.status.say(f"Copied {url}")

    def action_open_in_browser(self) -> None:
        """Open the selected link or the article in the browser (copied over SSH)."""
        link = self.article.selected_link
        url = link.url if link is not None else (self.post.url if self.post else "")
        if url:
            if not is_followable(url):
                self.status.say(f"Not opened: {url}", error=True)
            else:
                self.open_outside(url)

    # -- site navigation -------------------------------------------------------------------

    def _navigate(self, kind: LinkKind, *, newer: bool | None) -> None:
        if self.post is None:
            self.status.say("Open a post first.")
            return
        link = self.post.link(kind)
        if link is not None:
            self.follow(link.url)
            return
        if newer is None:
            self.status.say("This post has no “read this next”.")
            return
        neighbour = self.store.neighbour(self.post.id, newer=newer)
        if neighbour is None:
            self.status.say("This is the newest post." if newer else "This is the oldest post.")
            return
        self.open_post_id(neighbour.id)

    def action_newer(self) -> None:
        """The newer post, by the site's post navigation (date order when it has none)."""
        self._navigate(LinkKind.NEWER, newer=True)

    def action_older(self) -> None:
        """The older post, by the site's post navigation (date order when it has none)."""
        self._navigate(LinkKind.OLDER, newer=False)

    def action_read_next(self) -> None:
        """The site's "read this next" post."""
        self._navigate(LinkKind.READ_NEXT, newer=None)

    def action_topics(self) -> None:
        """List this post's sections and topics, to jump to one."""
        if self.post is None:
            return
        choices = [
            Choice(Text(link.text or link.url), link.url)
            for link in self.post.links
            if link.kind is LinkKind.TOPIC
        ]
        if not choices:
            for name in (*self.post.sections, *self.post.tags):
                section = next(
                    (s for s in self.store.sections(include_tags=True) if s.name == name), None
                )
                if section is not None:
                    choices.append(Choice(Text(name), "slug:" + section.slug))

        def picked(value: str | None) -> None:
            if value is None:
                return
            if value.startswith("slug:"):
                self._open_topic(value[5:])
            else:
                self.follow(value)

        self.app.push_screen(Picker("Topics of this post", choices, empty="No topics."), picked)

    def _step_in_list(self, step: int) -> None:
        slug = self._list_slug or self.sidebar.current_slug
        if slug is None or self.post is None:
            self.status.say("Open a post from a list first.")
            return
        posts = self.sidebar.group_posts(slug)
        ids = [p.id for p in posts]
        if self.post.id not in ids:
            self.status.say("This post is not in the list you came from.")
            return
        index = ids.index(self.post.id) + step
        if not 0 <= index < len(ids):
            self.status.say("End of the list.")
            return
        self.open_post_id(ids[index])

    def action_previous_in_list(self) -> None:
        """The post above this one in the sidebar list it was opened from."""
        self._step_in_list(-1)

    def action_next_in_list(self) -> None:
        """The post below this one in the sidebar list it was opened from."""
        self._step_in_list(+1)

    # -- history ---------------------------------------------------------------------------

    def _go(self, where: str) -> None:
        if self.post is not None:
            self.history.remember_scroll(self.article.scroll_y)
        place = self.history.back() if where == "back" else self.history.forward()
        if place is None:
            self.status.say("Nothing further back." if where == "back" else "Nothing ahead.")
            return
        post = self.store.find_post(place.url)
        if post is None:
            bookmark = self.store.bookmark(place.url)
            post = bookmark.post if bookmark else None
        if post is None:
            self.status.say(f"{place.url} is no longer stored.", error=True)
            return
        self.show_post(post, scroll_y=place.scroll_y, remember=False)

    def action_back(self) -> None:
        """Back to the previous article, where you were in it."""
        self._go("back")

    def action_forward(self) -> None:
        """Forward again after going back."""
        self._go("forward")

    # -- bookmarks and read state ----------------------------------------------------------

    def _target_post(self) -> Post | None:
        """The open post when the article has focus, else the highlighted one."""
        if self.focused is self.sidebar:
            summary = self.sidebar.current_post
            if summary is not None:
                return self.store.post(summary.id) or (
                    b.post if (b := self.store.bookmark(summary.url)) else None
                )
        return self.post

    def action_toggle_bookmark(self) -> None:
        """Bookmark the post (a full snapshot), or remove its bookmark."""
        post = self._target_post()
        if post is None:
            return
        try:
            if self.store.is_bookmarked(post.url, post.guid):
                self.store.remove_bookmark(post.url, post.guid)
                self.status.say(f"Bookmark removed: {post.title}")
            else:
                self.store.add_bookmark(self.store.post(post.id) or post)
                self.status.say(f"Bookmarked: {post.title}")
        except StoreError as error:
            self.status.say(str(error), error=True)
            return
        self._after_bookmark_change(post)

    def _after_bookmark_change(self, post: Post) -> None:
        if self.post is not None and self.post.id == post.id:
            self.post = self.store.post(post.id) or self.post
        bookmarked = self.store.is_bookmarked(post.url, post.guid)
        self.sidebar.update_post(
            PostSummary(
                post.id, post.title, post.url, post.published or _epoch(), post.read, bookmarked
            )
        )
        self._refresh_counts()
        if BOOKMARKS in self.sidebar.loaded_groups:
            self._load_group(BOOKMARKS)

    def action_bookmarks(self) -> None:
        """List bookmarks newest first, with search by title and text."""

        def choose(query: str) -> list[Choice]:
            found = self.store.bookmarks(query)
            return [
                Choice(_post_line(b.title, b.created.strftime("%b %-d, %Y")), b.url) for b in found
            ]

        def picked(url: str | None) -> None:
            if url is not None:
                self._list_slug = BOOKMARKS
                self.open_url(url)
                self.article.focus()

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
        stored = self.store.post(post.id) if post is not None else None
        if stored is not None:
            self._set_read(stored, not stored.read)

    def action_next_unread(self) -> None:
        """Open the next unread post, newest first."""
        slug = self._list_slug
        candidates = self.store.posts_in(None if slug in (None, BOOKMARKS, ALL_POSTS) else slug)
        unread = [
            p for p in candidates if not p.read and (self.post is None or p.id != self.post.id)
        ]
        if not unread:
            unread = [p for p in self.store.posts_in() if not p.read]
        if not unread:
            self.status.say("No unread posts.")
            return
        self.open_post_id(unread[0].id)

    def action_mark_all_read(self) -> None:
        """Mark every post of the current list read."""
        slug = self.sidebar.current_slug
        slug = None if slug in (None, BOOKMARKS, ALL_POSTS) else slug
        try:
            count = self.store.mark_all_read(slug)
        except StoreError as error:
            self.status.say(str(error), error=True)
            return
        self.reload_sidebar()
        self.status.say(f"Marked {count} posts read.")

    # -- search ----------------------------------------------------------------------------

    def action_search(self) -> None:
        """Search titles and text of every stored post; ctrl+w widens to the whole site."""
        from reader.ui.search_screen import SearchScreen

        source = self.reader.source
        has_api = self.store.get_meta("has_rest_api") != "no"
        site = source.url if source.is_site and has_api else None

        def picked(value: str | None) -> None:
            if value is None:
                return
            self._list_slug = None
            kind, _, target = value.partition(":")
            if kind == "id":
                self.open_post_id(int(target))
            else:
                self.open_url(target)
            self.article.focus()

        self.app.push_screen(
            SearchScreen(self.store, site=site, make_fetcher=self.reader.new_fetcher), picked
        )

    # -- refresh ---------------------------------------------------------------------------

    def action_focus_sidebar(self) -> None:
        """Back to the sidebar."""
        self.sidebar.focus()

    def action_stop_refresh(self) -> None:
        """Stop a running refresh; what it stored so far stays."""
        if self.status.syncing:
            self._stop_sync.set()
            self.status.say("Stopping the refresh…")

    def action_refresh(self) -> None:
        """Sync with the site in the background."""
        self.status.syncing = "refreshing…"
        self.run_sync()

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False, description="Sync")
    def run_sync(self) -> None:
        """Sync in a thread with its own store connection, so the screen never waits."""
        app = self.reader

        def progress(done: int, total: int | None, what: str) -> None:
            if self._stop_sync.is_set():
                raise SyncStopped
            text = f"{what} {done}/{total}" if total else what
            app.call_from_thread(setattr, self.status, "syncing", text[:60])
            app.call_from_thread(self.status.progress, done, total)

        from reader.core.sync import sync

        async def run() -> SyncReport:
            store = Store(app.store.path, section_names=app.section_names)
            try:
                async with app.new_fetcher() as fetcher:
                    return await sync(store, fetcher, app.source, progress=progress)
            finally:
                store.close()

        self._stop_sync.clear()
        try:
            report = asyncio.run(run())
        except StoreError as error:
            report = SyncReport(app.source.feed_url, errors=[str(error)])
        except SyncStopped:
            # Every batch was written in its own transaction: what was read so far is kept.
            report = SyncReport(
                app.source.feed_url, errors=["Refresh stopped; posts read so far are kept."]
            )
        app.call_from_thread(self.sync_finished, report)

    def sync_finished(self, report: SyncReport) -> None:
        """Show what the sync did and re-read the store."""
        self.status.syncing = ""
        self.status.offline = report.offline
        if report.ok:
            self.status.last_sync = self.store.last_synced()
            if report.unchanged:
                self.status.say("Up to date.")
            else:
                self.status.say(f"{report.new} new, {report.updated} updated.")
        else:
            self.status.say(report.errors[0], error=True)
        if report.new or report.updated or self.sidebar.first_group is None:
            self.reload_sidebar()
        if self.post is None:
            self._open_first_group()
            self._show_welcome()
        if self.post is None and self.store.count_posts() == 0 and not report.ok:
            self.reader.show_unreachable(report)


class SyncStopped(Exception):
    """The reader asked a running sync to stop."""


def _epoch() -> _dt:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(0, UTC)


if TYPE_CHECKING:
    from datetime import datetime as _dt


def _link_line(link: LinkTarget) -> Text:
    line = Text(f"[{link.number}] ", style="bold")
    line.append(link.text or "(no text)")
    line.append("\n    ")
    line.append(link.url, style="dim" if link.followable else "dim strike")
    return line


def _post_line(title: str, when: str) -> Text:
    line = Text(title, style="bold")
    line.append(f"  {when}", style="dim")
    return line
