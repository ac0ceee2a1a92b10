"""The reading flow in the real app (Textual's pilot): keys act on the article on screen, tab
starts where the reader is, back returns to the reading position, a refresh keeps the cursor on
a post, and small terminals show one pane at a time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from reader.core.models import PostSummary
from reader.core.store import Store
from reader.sample.server import SampleServer
from reader.ui.app import ReaderApp
from reader.ui.main_screen import MainScreen, Reread
from tests.support.app_fixtures import SECTIONS, make_app, own_sample_site
from tests.support.pilot_steps import main_screen as _screen
from tests.support.pilot_steps import settle as _settle
from tests.support.pilot_steps import status_message as _message
from tests.support.pilot_steps import until as _until


def _app(store: Store, url: str, **kw: Any) -> ReaderApp:
    app = make_app(store, url, **kw)
    assert isinstance(app, ReaderApp)
    return app


# -- b and m act on the article on screen ---------------------------------------------------


async def test_b_and_m_act_on_an_article_opened_from_the_palette(
    store: Store, sample_site: str
) -> None:
    oldest = store.posts_in()[-1]
    async with _app(store, sample_site).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        assert isinstance(app, ReaderApp)
        screen = _screen(app)
        highlighted = screen.sidebar.current_post
        assert highlighted is not None and highlighted.id != oldest.id
        await pilot.press("ctrl+p")
        await pilot.press(*oldest.title[:30])
        await _until(pilot, lambda: oldest.title[:30] in _palette_text(app))
        await pilot.press("enter")
        await _until(pilot, lambda: screen.post is not None and screen.post.id == oldest.id)
        # The palette left focus in the sidebar, on another post: b still means this article.
        assert screen.focused is screen.sidebar
        await pilot.press("b")
        assert store.is_bookmarked(oldest.url)
        assert not store.is_bookmarked(highlighted.url)
        assert _message(screen) == f"Bookmarked: {oldest.title}"
        await pilot.press("m")
        assert _message(screen) == f"Marked unread: {oldest.title}"
        read_now = store.post(oldest.id)
        assert read_now is not None and not read_now.read  # opened read, m made it unread
        still = store.post(highlighted.id)
        assert still is not None and not still.read
        # Moving in the list makes the highlighted post what b means.
        await pilot.press("j")
        moved_to = screen.sidebar.current_post
        assert moved_to is not None
        await pilot.press("b")
        assert store.is_bookmarked(moved_to.url)


def _palette_text(app: ReaderApp) -> str:
    """What the command palette lists now, or "" when it is not open."""
    from textual.command import CommandList

    lists = list(app.screen.query(CommandList))
    if not lists:
        return ""
    return "\n".join(str(getattr(o.prompt, "plain", o.prompt)) for o in lists[0].options)


async def test_b_acts_on_an_article_opened_by_a_link_number_from_the_list(
    store: Store, sample_site: str
) -> None:
    async with _app(store, sample_site).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        assert isinstance(app, ReaderApp)
        screen = _screen(app)
        source = _post_with_in_site_link(store, sample_site)
        screen.open_post_id(source[0])
        await _settle(app, pilot)
        screen.sidebar.focus()
        listed = screen.sidebar.current_post
        for digit in str(source[1]):
            await pilot.press(digit)
        target = store.find_post(source[2])
        assert target is not None
        await _until(pilot, lambda: screen.post is not None and screen.post.id == target.id)
        await pilot.press("b")
        assert store.is_bookmarked(target.url)
        assert listed is None or listed.id == target.id or not store.is_bookmarked(listed.url)


def _post_with_in_site_link(store: Store, site: str) -> tuple[int, int, str]:
    """A stored post, the number of a link in it to another stored post, and that post's URL."""
    from reader.render.article import render_body

    for summary in store.posts_in():
        post = store.post(summary.id)
        if post is None:
            continue
        for link in render_body(post.content, post.url).links:
            found = store.find_post(link.url)
            if found is not None and found.id != post.id and link.number < 10:
                return post.id, link.number, link.url
    raise AssertionError("no post links to another stored post")


async def test_keys_of_the_article_say_so_when_no_article_is_open(
    store: Store, sample_site: str
) -> None:
    # t, o and y did nothing and said nothing before a post was opened, where n, p, r and L
    # say it: to a reader, a key lost.
    async with _app(store, sample_site).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        screen = _screen(app)
        assert screen.post is None
        for key in ("t", "o", "y"):
            screen.status.say("Something else.")
            await pilot.press(key)
            await pilot.pause()
            assert _message(screen) == "Open a post first.", key
            assert app.screen is screen, key  # no picker opened for nothing


async def test_b_and_m_on_a_group_say_there_is_no_post_there(
    store: Store, sample_site: str
) -> None:
    # The list alone on screen (below 100 columns), its cursor on a group's row: b and m
    # did nothing and said nothing.
    async with _app(store, sample_site).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        screen = _screen(app)
        await pilot.press("home")
        await pilot.pause()
        assert screen.sidebar.current_post is None and screen.post is None
        for key, said in (("b", "No post here to bookmark"), ("m", "No post here to mark")):
            screen.status.say("Something else.")
            await pilot.press(key)
            await pilot.pause()
            assert _message(screen).startswith(said), key
        assert not store.bookmarks("")


# -- tab starts where the reader is -----------------------------------------------------------


def _longest_with_links(store: Store) -> int:
    from reader.render.article import render_body

    best, best_id = 0, 0
    for summary in store.posts_in():
        post = store.post(summary.id)
        if post is None:
            continue
        links = render_body(post.content, post.url).links
        if len(links) >= 3 and len(post.content) > best:
            best, best_id = len(post.content), post.id
    return best_id


async def test_tab_deep_in_an_article_selects_a_link_in_view(
    store: Store, sample_site: str
) -> None:
    post_id = _longest_with_links(store)
    async with _app(store, sample_site).run_test(size=(100, 16)) as pilot:
        app = pilot.app
        assert isinstance(app, ReaderApp)
        screen = _screen(app)
        screen.open_post_id(post_id)
        await _settle(app, pilot)
        article = screen.article
        article.focus()
        article._lay_out_all()
        layout = article._layout
        assert layout is not None
        # Scroll so that the first link is far above the view and a later one is in it.
        lines = sorted(layout.link_lines.items(), key=lambda item: item[1])
        number, line = lines[-1]
        assert number > 1 and line > article.size.height, lines
        # A link selected near the top, then reading on far below it.
        await pilot.press("tab")
        assert article.selected == lines[0][0]
        article.scroll_to(y=line - 2, animate=False, immediate=True)
        await pilot.pause()
        top = int(article.scroll_y)
        await pilot.press("tab")
        assert article.selected is not None and article.selected != 1
        assert top <= layout.link_lines[article.selected] < top + article.size.height
        assert int(article.scroll_y) >= top - 1  # not thrown back to the top
        first = article.selected
        await pilot.press("shift+tab")
        assert article.selected == first - 1 or article.selected == first


# -- back returns to the reading position --------------------------------------------------


async def test_back_after_a_link_number_returns_to_the_reading_position(
    store: Store, sample_site: str
) -> None:
    from reader.render.article import render_body

    # A post with an in-site link far below its top.
    choice = None
    for summary in store.posts_in():
        post = store.post(summary.id)
        if post is None:
            continue
        for link in render_body(post.content, post.url).links:
            found = store.find_post(link.url)
            if found is not None and found.id != post.id and link.number < 10:
                choice = (post.id, link.number, found.id)
    assert choice is not None
    post_id, number, target_id = choice
    async with _app(store, sample_site).run_test(size=(100, 12)) as pilot:
        app = pilot.app
        assert isinstance(app, ReaderApp)
        screen = _screen(app)
        screen.open_post_id(post_id)
        await _settle(app, pilot)
        article = screen.article
        article.focus()
        article._lay_out_all()
        assert article._layout is not None
        link_line = article._layout.link_lines[number]
        # The reader is at the top; the link is off screen below.
        assert link_line >= article.size.height, (link_line, article.size.height)
        reading_at = article.scroll_y
        for digit in str(number):
            await pilot.press(digit)
        await _until(pilot, lambda: screen.post is not None and screen.post.id == target_id)
        await pilot.press("h")
        await _until(pilot, lambda: screen.post is not None and screen.post.id == post_id)
        await pilot.pause()
        assert article.scroll_y == reading_at


# -- a refresh keeps the cursor on a post -------------------------------------------------------


@pytest.fixture
def site_of_its_own(tmp_path: Path) -> Iterator[tuple[SampleServer, Store]]:
    """A sample site of this test's own (posts are added to it) and a store synced from it."""
    with own_sample_site(tmp_path / "data") as site:
        yield site


async def test_a_refresh_that_adds_posts_keeps_the_cursor_on_its_post(
    site_of_its_own: tuple[SampleServer, Store],
) -> None:
    server, store = site_of_its_own
    async with _app(store, server.url).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        assert isinstance(app, ReaderApp)
        screen = _screen(app)
        before = screen.sidebar.current_post
        assert before is not None
        server.site.add_post("A brand new post", "<p>Fresh words.</p>", section="news")
        server.site.add_post("Another new post", "<p>More words.</p>", section="news")
        await pilot.press("ctrl+r")
        await _until(pilot, lambda: "2 new" in _message(screen))
        await pilot.pause()
        after = screen.sidebar.current_post
        assert isinstance(after, PostSummary), screen.sidebar.cursor_node
        assert after.id == before.id
        # And enter reads it, rather than closing the group.
        await pilot.press("enter")
        await _until(pilot, lambda: screen.post is not None)
        assert screen.post is not None and screen.post.id == before.id


async def test_a_start_whose_refresh_adds_posts_keeps_the_cursor_on_a_post(
    site_of_its_own: tuple[SampleServer, Store],
) -> None:
    # What every extra browser tab of 'reader serve web' does: start on a stored list, and
    # find new posts in the refresh it starts with.
    server, store = site_of_its_own
    server.site.add_post("A brand new post", "<p>Fresh words.</p>", section="news")
    async with _app(store, server.url, refresh_on_start=True).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        assert isinstance(app, ReaderApp)
        screen = _screen(app)
        await _until(pilot, lambda: "1 new" in _message(screen))
        await pilot.pause()
        assert isinstance(screen.sidebar.current_post, PostSummary), screen.sidebar.cursor_node


def _reads_at_the_end_of_a_refresh(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The store's reads made on the screen's connection as a refresh's end is shown."""
    reads: list[str] = []
    ending: list[bool] = []
    for name in ("posts_in", "sections", "count_posts", "unread_count", "bookmark_count"):
        read = getattr(store, name)

        def counted(*args: Any, _read: Any = read, _name: str = name, **kw: Any) -> Any:
            if ending:
                reads.append(_name)
            return _read(*args, **kw)

        monkeypatch.setattr(store, name, counted)
    finished = MainScreen.sync_finished

    def sync_finished(screen: MainScreen, *args: Any, **options: Any) -> None:
        ending.append(True)
        try:
            finished(screen, *args, **options)
        finally:
            ending.clear()

    monkeypatch.setattr(MainScreen, "sync_finished", sync_finished)
    return reads


async def test_a_refresh_reads_what_it_changed_off_the_screens_loop(
    site_of_its_own: tuple[SampleServer, Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    # At 20,000 posts the counts and the first list's 11,000 posts took some 120 ms of the
    # loop after a refresh: they are read on a connection of their own, in a thread.
    server, store = site_of_its_own
    on_the_loop = _reads_at_the_end_of_a_refresh(store, monkeypatch)
    async with _app(store, server.url).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        assert isinstance(app, ReaderApp)
        screen = _screen(app)
        group = screen.sidebar.current_group
        assert group is not None
        server.site.add_post("A brand new post", "<p>Fresh words.</p>", section="news")
        await pilot.press("ctrl+r")
        await _until(pilot, lambda: "1 new" in _message(screen))
        await pilot.pause()
        titles = [post.title for post in screen.sidebar.group_posts(group)]
        assert "A brand new post" in titles
        assert on_the_loop == []


async def test_the_first_refresh_of_an_empty_store_lists_it_without_reading_on_the_loop(
    tmp_path: Path, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The store's "All posts" (empty) gives way to its sections, and the first one opens.
    store = Store.open_in(tmp_path / "data", section_names=SECTIONS)
    on_the_loop = _reads_at_the_end_of_a_refresh(store, monkeypatch)
    try:
        app = _app(store, sample_site, refresh_on_start=True)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = _screen(app)
            await _until(pilot, lambda: " new" in _message(screen))
            await pilot.pause()
            group = screen.sidebar.current_group
            assert group == store.sections()[0].slug
            assert len(screen.sidebar.group_posts(group)) == store.sections()[0].count
            assert isinstance(screen.sidebar.current_post, PostSummary)
            assert on_the_loop == []
    finally:
        store.close()


async def test_a_reading_begun_before_a_read_mark_is_not_shown(
    store: Store, sample_site: str
) -> None:
    # Read in a thread, the lists may miss a mark made meanwhile: they are read again instead.
    async with _app(store, sample_site).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        assert isinstance(app, ReaderApp)
        screen = _screen(app)
        group = screen.sidebar.current_group
        assert group is not None
        listed = screen.sidebar.group_posts(group)
        counts = screen._counts_in(store, screen.sidebar.filled_sources)
        stale = Reread(counts, {group: listed[1:]}, 0, 0, None, None, changes=-1)
        screen.reload_sidebar(stale)
        assert screen.sidebar.group_posts(group) == listed
        fresh = replace(stale, changes=screen._changes_made)
        screen.reload_sidebar(fresh)
        assert screen.sidebar.group_posts(group) == listed[1:]


async def test_the_counts_after_a_read_mark_are_read_off_the_screens_loop(
    store: Store, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A mark is written just after an article opens; on a source of 20,000 posts the section
    # counts are some 50 ms of SQLite, which held the article's first frames on the loop.
    async with _app(store, sample_site).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        assert isinstance(app, ReaderApp)
        screen = _screen(app)
        group = screen.sidebar.current_group
        assert group is not None
        post = screen.sidebar.current_post
        assert isinstance(post, PostSummary) and not post.read
        unread = next(s.unread for s in store.sections() if s.slug == group)
        on_the_loop: list[str] = []
        for name in ("sections", "section", "count_posts", "unread_count", "bookmark_count"):
            read = getattr(store, name)

            def counted(*args: Any, _read: Any = read, _name: str = name, **kw: Any) -> Any:
                on_the_loop.append(_name)
                return _read(*args, **kw)

            monkeypatch.setattr(store, name, counted)
        await pilot.press("enter")
        shown = f" {unread - 1}/"

        def marked() -> bool:
            label = screen.sidebar._groups[group].label
            return shown in (label.plain if hasattr(label, "plain") else str(label))

        await _until(pilot, marked)
        assert on_the_loop == []


# -- small terminals: one pane at a time ------------------------------------------------------


def _shown(widget: Any) -> bool:
    return bool(widget.display) and widget.region.width > 0


async def test_below_100_columns_list_and_article_take_the_width_in_turn(
    store: Store, sample_site: str
) -> None:
    async with _app(store, sample_site).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        assert isinstance(app, ReaderApp)
        screen = _screen(app)
        sidebar, article = screen.sidebar, screen.article
        # The list alone, the whole width: titles are readable.
        assert _shown(sidebar) and not _shown(article)
        assert sidebar.region.width == 80
        await pilot.press("j", "j")
        chosen = sidebar.current_post
        assert chosen is not None
        await pilot.press("enter")
        await _until(pilot, lambda: screen.post is not None)
        await pilot.pause()
        # The article alone, the whole width.
        assert _shown(article) and not _shown(sidebar)
        assert article.region.width == 80
        assert screen.focused is article
        # b means the article on screen.
        await pilot.press("escape")
        await pilot.pause()
        assert _shown(sidebar) and not _shown(article)
        assert screen.focused is sidebar
        current = sidebar.current_post
        assert current is not None and current.id == chosen.id  # where it was
        # Opening from the palette, with the list on screen, shows the article.
        await pilot.press("ctrl+p", *store.posts_in()[-1].title[:25])
        await _until(pilot, lambda: store.posts_in()[-1].title[:25] in _palette_text(app))
        await pilot.press("enter")
        await _until(pilot, lambda: screen.post is not None and screen.post.id != chosen.id)
        await pilot.pause()
        assert _shown(article) and not _shown(sidebar)
        assert screen.focused is article


async def test_a_narrow_article_is_never_drawn_at_the_hidden_panes_width(
    store: Store, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.ui.article_view import ArticleView

    drawn_at: set[tuple[int, int]] = set()
    render_line = ArticleView.render_line

    def watched(view: ArticleView, y: int) -> Any:
        layout = view._layout
        if layout is not None and layout.lines:
            drawn_at.add((layout.width, view.size.width))
        return render_line(view, y)

    monkeypatch.setattr(ArticleView, "render_line", watched)
    async with _app(store, sample_site).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        assert isinstance(app, ReaderApp)
        screen = _screen(app)
        await pilot.press("j", "enter")
        await _until(pilot, lambda: screen.post is not None)
        await pilot.pause()
        # Opened while hidden, it was laid out once it had its width: a layout at the hidden
        # pane's width was drawn for a frame first (text 20 columns wide, seen in a pty test).
        assert drawn_at and all(pane - layout <= 6 for layout, pane in drawn_at), drawn_at
        await pilot.press("escape", "j", "enter")
        await _until(pilot, lambda: screen.post is not None and _shown(screen.article))
        await pilot.pause()
        assert all(pane - layout <= 6 for layout, pane in drawn_at), drawn_at


async def test_the_list_alone_on_screen_is_what_b_means(store: Store, sample_site: str) -> None:
    async with _app(store, sample_site).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        assert isinstance(app, ReaderApp)
        screen = _screen(app)
        await pilot.press("enter")
        await _until(pilot, lambda: screen.post is not None)
        opened = screen.post
        assert opened is not None
        await pilot.press("escape", "j")
        await pilot.pause()
        highlighted = screen.sidebar.current_post
        assert highlighted is not None and highlighted.id != opened.id
        await pilot.press("b")
        assert store.is_bookmarked(highlighted.url) and not store.is_bookmarked(opened.url)


async def test_s_hides_and_shows_the_sidebar_at_any_width(store: Store, sample_site: str) -> None:
    async with _app(store, sample_site).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        assert isinstance(app, ReaderApp)
        screen = _screen(app)
        await pilot.press("enter")
        await _until(pilot, lambda: screen.post is not None)
        await pilot.pause()
        assert _shown(screen.sidebar) and _shown(screen.article)
        await pilot.press("s")
        await pilot.pause()
        assert not _shown(screen.sidebar) and screen.article.region.width == 120
        await pilot.press("s")
        await pilot.pause()
        assert _shown(screen.sidebar) and _shown(screen.article)
        # In a narrow terminal, s turns between the list and the article.
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert _shown(screen.article) and not _shown(screen.sidebar)  # the article had focus
        await pilot.press("s")
        await pilot.pause()
        assert _shown(screen.sidebar) and not _shown(screen.article)
        await pilot.press("s")
        await pilot.pause()
        assert _shown(screen.article) and not _shown(screen.sidebar)
        # Wide again: both panes.
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert _shown(screen.sidebar) and _shown(screen.article)


async def test_the_list_cursor_stays_in_view_after_a_resize(store: Store, sample_site: str) -> None:
    # A trial's 120x40 -> 80x24 then escape showed the list with its cursor row off screen.
    async with _app(store, sample_site).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        assert isinstance(app, ReaderApp)
        screen = _screen(app)
        sidebar = screen.sidebar
        await _settle(app, pilot)
        await pilot.press(*["j"] * 21)
        await pilot.pause()
        assert sidebar.cursor_line >= 21 and sidebar.current_post is not None

        def in_view() -> bool:
            top, height = sidebar.scroll_offset.y, sidebar.scrollable_content_region.height
            return top <= sidebar.cursor_line < top + height

        assert in_view()
        await pilot.press("enter")
        await _until(pilot, lambda: screen.post is not None)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert _shown(sidebar) and in_view(), (sidebar.cursor_line, sidebar.scroll_offset.y)
        # Shrunk with the list in view, too.
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.press(*["j"] * 6)
        await pilot.resize_terminal(100, 14)
        await pilot.pause()
        assert in_view(), (sidebar.cursor_line, sidebar.scroll_offset.y)


async def test_at_60x20_the_key_bar_shows_help_and_quit(store: Store, sample_site: str) -> None:
    from reader.ui.key_bar import KeyBar

    async with _app(store, sample_site).run_test(size=(60, 20)) as pilot:
        app = pilot.app
        assert isinstance(app, ReaderApp)
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        shown = "".join(segment.text for segment in bar.render_line(0))
        assert "? Keys" in shown and "q Quit" in shown, shown
        assert "…" not in shown


# -- what the first start shows ---------------------------------------------------------------


async def test_the_first_start_shows_the_sites_title_once_it_is_read(
    tmp_path: Path, sample_site: str
) -> None:
    store = Store.open_in(tmp_path / "empty", section_names=SECTIONS)
    try:
        # As 'reader --site URL' starts on an empty store: no title known yet.
        async with _app(store, sample_site, refresh_on_start=True, site_title="").run_test(
            size=(120, 40)
        ) as pilot:
            app = pilot.app
            assert isinstance(app, ReaderApp)
            screen = _screen(app)
            await _until(pilot, lambda: store.count_posts() > 0 and "new" in _message(screen))
            await pilot.pause()
            title = store.source_title(app.source)
            assert title
            shown = str(screen.query_one("#title-bar").render())
            assert shown == title, shown
    finally:
        store.close()


async def test_a_config_warning_leaves_the_status_line_in_view(
    store: Store, sample_site: str
) -> None:
    from textual.widgets._toast import Toast

    warning = "config.toml: 'thme' is not a setting (did you mean 'theme'?); ignoring it"
    app = _app(store, sample_site, warnings=[warning])
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app = pilot.app
        assert isinstance(app, ReaderApp)
        screen = _screen(app)
        await _until(pilot, lambda: bool(list(app.screen.query(Toast))))
        await pilot.pause()
        status = screen.status.region
        for toast in app.screen.query(Toast):
            assert toast.region.bottom <= status.y, (toast.region, status)


async def test_open_at_a_topic_shows_its_list_in_view(store: Store, sample_site: str) -> None:
    from reader.core.navigation import LinkTo

    topic = sample_site.rstrip("/") + "/category/kidney/"
    app = _app(store, sample_site, open_at=LinkTo(topic))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = _screen(app)
        await pilot.pause()
        sidebar = screen.sidebar
        assert sidebar.current_group == "kidney"
        top = int(sidebar.scroll_y)
        assert top <= sidebar.cursor_line < top + sidebar.size.height


async def test_open_at_a_post_starts_on_it(store: Store, sample_site: str) -> None:
    from reader.core.navigation import StoredPost

    oldest = store.posts_in()[-1]
    app = _app(store, sample_site, open_at=StoredPost(oldest.id))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = _screen(app)
        await pilot.pause()
        assert screen.post is not None and screen.post.id == oldest.id
        assert screen.focused is screen.article and _shown(screen.article)


async def test_below_100_columns_a_tag_opened_from_an_article_shows_its_list(
    store: Store, sample_site: str
) -> None:
    # t from an article at 80x24 said "single-cell sequencing: 4 posts" and left the article
    # on screen; escape then showed the list at its top, the tag's line out of sight.
    from reader.core.models import SectionKind

    tag = max(
        (s for s in store.sections(include_tags=True) if s.kind is SectionKind.TAG),
        key=lambda s: s.count,
    )
    async with _app(store, sample_site).run_test(size=(80, 24)) as pilot:
        app = pilot.app
        assert isinstance(app, ReaderApp)
        screen = _screen(app)
        screen.open_post_id(store.posts_in()[-1].id)
        await _until(pilot, lambda: screen.post is not None and _shown(screen.article))
        assert not _shown(screen.sidebar)
        screen.go(screen.navigator.group(tag.slug))
        await _settle(app, pilot)
        sidebar = screen.sidebar
        assert _shown(sidebar) and not _shown(screen.article)
        assert screen.focused is sidebar
        node = sidebar.cursor_node
        assert node is not None and node.data is not None and node.data.group == tag.slug
        top = int(sidebar.scroll_offset.y)
        assert top <= sidebar.cursor_line < top + sidebar.scrollable_content_region.height


async def test_a_site_title_cut_to_fit_ends_in_an_ellipsis(store: Store, sample_site: str) -> None:
    title = "The institute's news, events, videos, impact reports and newsletters, all of them"
    async with _app(store, sample_site, site_title=title).run_test(size=(60, 20)) as pilot:
        app = pilot.app
        assert isinstance(app, ReaderApp)
        await _settle(app, pilot)
        bar = _screen(app).query_one("#title-bar")
        shown = bar.render_line(0).text.rstrip()
        assert shown.endswith("…") and shown.strip()[:-1] in title, shown
