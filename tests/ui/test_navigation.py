"""Following the site from the keyboard, in the real app driven by Textual's pilot."""

from __future__ import annotations

import time

import pytest

from reader.core.models import LinkKind, SectionKind
from reader.core.store import Store
from reader.ui.app import ReaderApp
from reader.ui.article_view import ArticleView
from tests.support.app_fixtures import make_app
from tests.support.pilot_steps import main_screen as _screen
from tests.support.pilot_steps import settle as _settle
from tests.support.pilot_steps import status_message
from tests.support.sites import ReadSite


async def test_n_and_p_move_by_date_and_stop_at_the_ends(
    site_store: Store, read_site: ReadSite
) -> None:
    # The rules are tested in tests/core/test_navigation_rules.py; this proves the screen
    # applies them: the article changes, and at the end of the site it stays put.
    store = site_store
    app = make_app(store, read_site.url)
    assert isinstance(app, ReaderApp)
    in_order = [p.id for p in reversed(store.posts_in())]
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _screen(app)
        screen.open_post_id(in_order[-3])
        await _settle(app, pilot)
        visited = [screen.post.id if screen.post else -1]
        for _ in range(3):
            await pilot.press("n")
            await _settle(app, pilot)
            visited.append(screen.post.id if screen.post else -1)
        assert visited == [*in_order[-3:], in_order[-1]]
        assert "This is the newest post." in str(screen.status.query_one("#message").render())
        for _ in range(2):
            await pilot.press("p")
            await _settle(app, pilot)
        assert screen.post is not None and screen.post.id == in_order[-3]


async def test_read_next_links_numbers_and_history(site_store: Store, read_site: ReadSite) -> None:
    store = site_store
    app = make_app(store, read_site.url)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _screen(app)
        start = store.posts_in("news")[2]
        screen.open_post_id(start.id)
        await _settle(app, pilot)
        assert screen.post is not None
        related = screen.post.link(LinkKind.READ_NEXT)
        if not read_site.has_read_this_next:
            # WordPress itself has no "read this next": r says so and stays.
            assert related is None
            await pilot.press("r")
            await _settle(app, pilot)
            assert screen.post.id == start.id
            assert "read this next" in str(screen.status.query_one("#message").render()).lower()
            return
        assert related is not None
        await pilot.press("r")
        await _settle(app, pilot)
        assert screen.post.url == related.url or screen.post.title == related.text
        after_r = screen.post.id
        # Back returns to where we were, forward comes again.
        await pilot.press("h")
        await _settle(app, pilot)
        assert screen.post.id == start.id
        await pilot.press("l")
        await _settle(app, pilot)
        assert screen.post.id == after_r


async def test_tab_enter_and_number_follow_in_site_links(
    site_store: Store, read_site: ReadSite
) -> None:
    store = site_store
    sample_site = read_site.url
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _screen(app)
        # A post whose body links to another post with a relative URL.
        source_post = None
        for summary in store.posts_in():
            post = store.post(summary.id)
            if post and ('href="/' in post.content or 'href="../' in post.content):
                source_post = post
                break
        assert source_post is not None
        screen.open_post_id(source_post.id)
        await _settle(app, pilot)
        screen.article.focus()
        links = screen.article.links
        in_site = [
            lk
            for lk in links
            if lk.url.startswith(sample_site.rstrip("/"))
            and "/category/" not in lk.url
            and "/tag/" not in lk.url
        ]
        assert in_site, [lk.url for lk in links]
        target = in_site[0]
        for _ in range(target.number):
            await pilot.press("tab")
        assert screen.article.selected == target.number
        await pilot.press("enter")
        await _settle(app, pilot)
        expected = store.find_post(target.url)
        assert expected is not None and screen.post is not None
        assert screen.post.id == expected.id
        # Back, then type the link's number.
        await pilot.press("h")
        await _settle(app, pilot)
        assert screen.post.id == source_post.id
        for digit in str(target.number):
            await pilot.press(digit)
        # A number that could start a longer one is followed after a short wait: wait for
        # the article itself to change, not for a fixed time.
        deadline = time.monotonic() + 10
        while screen.post.id != expected.id and time.monotonic() < deadline:
            await pilot.pause(0.05)
        await _settle(app, pilot)
        assert screen.post.id == expected.id


async def test_javascript_link_is_shown_never_followed(
    site_store: Store, read_site: ReadSite
) -> None:
    store = site_store
    app = make_app(store, read_site.url)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _screen(app)
        for summary in store.posts_in():
            post = store.post(summary.id)
            if post and "javascript:" in post.content:
                break
        else:
            pytest.skip("the sample site has no javascript: link")
        screen.open_post_id(post.id)
        await _settle(app, pilot)
        bad = next(lk for lk in screen.article.links if lk.url.startswith("javascript:"))
        assert not bad.followable
        screen.article.follow_number(bad.number)
        await _settle(app, pilot)
        assert screen.post.id == post.id
        message = str(screen.status.query_one("#message").render())
        assert "Not followed" in message


async def test_topic_link_opens_the_list_in_the_sidebar(
    site_store: Store, read_site: ReadSite
) -> None:
    store = site_store
    app = make_app(store, read_site.url)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _screen(app)
        screen.open_post_id(store.posts_in()[0].id)
        await _settle(app, pilot)
        assert screen.post is not None
        topic = screen.post.link(LinkKind.TOPIC)
        assert topic is not None
        screen.follow(topic.url)
        await _settle(app, pilot)
        assert screen.focused is screen.sidebar
        slug = topic.url.rstrip("/").rsplit("/", 1)[-1]
        assert screen.sidebar.current_group == slug


async def test_reading_every_post_keeps_topics_and_tags_apart(
    site_store: Store, read_site: ReadSite
) -> None:
    store = site_store
    before = {s.slug: s.kind for s in store.sections(include_tags=True)}
    assert SectionKind.TOPIC in before.values() and SectionKind.TAG in before.values()
    app = make_app(store, read_site.url)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _screen(app)
        for summary in store.posts_in():
            screen.open_post_id(summary.id)
            await _settle(app, pilot)
            assert screen.post is not None and screen.post.page_fetched
        # The Topics group still lists the topics, with their counts.
        topics = [s for s in store.sections() if s.kind is SectionKind.TOPIC]
        assert {s.slug for s in topics} == {k for k, v in before.items() if v is SectionKind.TOPIC}
        after = {s.slug: s.kind for s in store.sections(include_tags=True)}
        assert after == before


async def test_read_more_about_topics_are_numbered_links_reached_by_tab(
    site_store: Store, read_site: ReadSite
) -> None:
    store = site_store
    app = make_app(store, read_site.url)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _screen(app)
        screen.open_post_id(store.posts_in()[0].id)
        await _settle(app, pilot)
        assert screen.post is not None
        topic = screen.post.link(LinkKind.TOPIC)
        # Seen None once at load 11, unexplained: the settle waits for the page's worker, so
        # the page was not read (the status line says why) or was read without its topics.
        read = screen.post.page_fetched
        assert topic is not None, (read, status_message(screen), screen.post.links)
        numbered = [lk for lk in screen.article.links if lk.url == topic.url]
        assert numbered, [lk.url for lk in screen.article.links]
        target = numbered[0]
        assert target.text == topic.text
        screen.article.focus()
        for _ in range(len(screen.article.links)):
            await pilot.press("tab")
            if screen.article.selected == target.number:
                break
        assert screen.article.selected == target.number
        await pilot.press("enter")
        await _settle(app, pilot)
        slug = topic.url.rstrip("/").rsplit("/", 1)[-1]
        assert screen.sidebar.current_group == slug


def _header(view: ArticleView, lines: int = 14) -> str:
    layout = view._layout
    assert layout is not None
    text = " ".join("".join(s.text for s in line) for line in layout.lines[:lines])
    return " ".join(text.split())


async def test_the_header_names_where_n_and_p_lead_by_date_without_post_navigation(
    site_store: Store, read_site: ReadSite
) -> None:
    # Twenty Twenty-Three's pages have no post navigation: n and p go by date there, and the
    # header said nothing of where; it names the posts by date now, said to be by date.
    store = site_store
    app = make_app(store, read_site.url)
    assert isinstance(app, ReaderApp)
    in_order = [p.id for p in reversed(store.posts_in())]
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _screen(app)
        screen.open_post_id(in_order[-3])
        await _settle(app, pilot)
        post = screen.post
        assert post is not None and post.page_fetched
        header = _header(screen.article)
        for key, label, kind, step in (
            ("n", "Newer", LinkKind.NEWER, +1),
            ("p", "Older", LinkKind.OLDER, -1),
        ):
            near = store.post(in_order[-3 + step])
            assert near is not None
            if read_site.has_post_navigation:
                assert f"{key} {label}: " in header and f"{label} by date" not in header, header
            else:
                assert post.link(kind) is None
                assert f"{key} {label} by date: {' '.join(near.title.split())}" in header, header


async def test_the_posts_by_date_are_read_once_per_opening_and_a_failed_read_names_none(
    store: Store, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every rendering of the article read the posts by date again, a theme's or a picture's
    # too: a StoreError there, in the theme's watcher, ended the reader.
    from reader.core.store import StoreError

    in_order = store.posts_in()  # newest first
    post = in_order[5]
    store.save_page(post.id, content=None, links=[])  # its page read, without navigation
    newer = " ".join(in_order[4].title.split())
    reads: list[bool] = []
    read = store.neighbour

    def counted(post_id: int, *, newer: bool) -> object:
        reads.append(newer)
        return read(post_id, newer=newer)

    def broken(post_id: int, *, newer: bool) -> object:
        raise StoreError("The store cannot be read.")

    monkeypatch.setattr(store, "neighbour", counted)
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _screen(app)
        screen.open_post_id(post.id)
        await _settle(app, pilot)
        assert f"n Newer by date: {newer}" in _header(screen.article)
        assert sorted(reads) == [False, True]  # once each
        monkeypatch.setattr(store, "neighbour", broken)
        app.theme = next(name for name in app.available_themes if name != app.theme)
        await _settle(app, pilot)
        assert app.is_running
        assert f"n Newer by date: {newer}" in _header(screen.article)  # kept with the post
        # n goes where the header says, without asking the store again.
        await pilot.press("n")
        await _settle(app, pilot)
        assert screen.post is not None and screen.post.id == in_order[4].id
        # Opened again, with the store unable to say: no by-date lines, the article shown.
        screen.open_post_id(post.id)
        await _settle(app, pilot)
        assert app.is_running and screen.post is not None and screen.post.id == post.id
        header = _header(screen.article)
        assert "by date" not in header and post.title.split()[0] in header, header
