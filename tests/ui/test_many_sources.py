"""Several sources at once: a tree for each in the sidebar, Unread across them, links between
them opening from the store, and a failing source saying so in its own tree."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.text import Text

from reader.core.models import IncomingPost, Link, LinkKind
from reader.core.navigation import (
    Category,
    FetchThenOpen,
    Navigator,
    OpenGroup,
    OpenPost,
    Shelf,
    StoredPost,
)
from reader.core.runner import run_sync_all
from reader.core.source import Source
from reader.core.store import Store
from reader.sample.generate import generate_site
from reader.sample.server import SampleServer
from reader.ui.app import ReaderApp
from reader.ui.main_screen import MainScreen
from reader.ui.search_screen import SearchScreen
from tests.support.app_fixtures import SECTIONS
from tests.support.pilot_steps import main_screen, until


@pytest.fixture(scope="module")
def two_sites() -> Iterator[tuple[str, str]]:
    """The sample site and a generated one, on two ports of 127.0.0.1."""
    with SampleServer() as first, SampleServer(generate_site(12, seed=5)) as second:
        yield first, second


@pytest.fixture
def two_stored(two_sites: tuple[str, str], tmp_path: Path) -> Iterator[Store]:
    first, second = two_sites
    path = tmp_path / "data" / "reader.sqlite3"
    path.parent.mkdir()
    sources = [Source.site(first, name="institute"), Source.site(second, name="second")]
    reports = run_sync_all(path, sources, section_names=SECTIONS)
    assert all(r.ok for r in reports), [r.errors for r in reports]
    store = Store(path, section_names=SECTIONS)
    yield store
    store.close()


def test_a_link_to_another_sources_post_opens_from_the_store(
    two_stored: Store, two_sites: tuple[str, str]
) -> None:
    first, second = two_sites
    sources = [Source.site(first, name="institute"), Source.site(second, name="second")]
    navigator = Navigator(two_stored, sources[0], sources=sources)
    theirs = two_stored.posts_in(source=sources[1])[0]
    mine = two_stored.post(two_stored.posts_in(source=sources[0])[0].id)
    assert mine is not None
    two_stored.save_page(
        mine.id, content=None, links=[Link(LinkKind.INLINE, theirs.url, "their post")]
    )
    move = navigator.follow(theirs.url)
    assert isinstance(move, OpenPost) and move.post.id == theirs.id
    assert navigator.source_for(move.post) == sources[1]
    # A post of the other source the store does not hold is fetched as that source's.
    unknown = second + "2031/01/01/not-stored-yet/"
    assert navigator.follow(unknown) == FetchThenOpen(unknown)
    assert navigator.owner_of(unknown) == sources[1]
    # Its topics open its own list, not the first source's list of the same name.
    topic = next(s for s in two_stored.sections(source=sources[1]) if s.kind == "topic")
    move = navigator.follow(f"{second}category/{topic.slug}/")
    assert isinstance(move, OpenGroup)
    assert move.group == Category(topic.slug, two_stored.source_id(sources[1]))
    # Unread spans both sources; next unread too.
    unread = navigator.posts_of(Shelf.UNREAD)
    assert {p.source_id for p in unread} == {
        two_stored.source_id(sources[0]),
        two_stored.source_id(sources[1]),
    }


async def test_the_sidebar_has_a_tree_per_source_and_unread_across_them(
    two_stored: Store, two_sites: tuple[str, str]
) -> None:
    first, second = two_sites
    dead = Source.site("http://127.0.0.1:9/", name="gone")
    sources = (Source.site(first, name="institute"), Source.site(second, name="second"), dead)
    app = ReaderApp(
        two_stored,
        sources[0],
        sources=sources,
        section_names=SECTIONS,
        refresh_on_start=True,
        fetcher_options={"deadline": 5.0},
    )
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        for _ in range(400):
            await pilot.pause(0.05)
            if not screen.status.syncing and screen._problems:
                break
        sidebar = screen.sidebar
        labels = [str(node.label) for node in sidebar.root.children]
        assert labels[0].startswith("institute ") and labels[1].startswith("second ")
        assert labels[2].startswith("gone") and labels[3].startswith("Unread ")
        assert labels[4].startswith("Bookmarks")
        # The dead source's tree says what failed; the others synced and list their posts.
        gone = sidebar.root.children[2]
        assert any("127.0.0.1:9" in str(child.label) for child in gone.children)
        total = two_stored.unread_count()
        assert labels[3] == f"Unread {total}"
        sidebar.open_group(Shelf.UNREAD)
        await pilot.pause()
        assert len(sidebar.group_posts(Shelf.UNREAD)) == total
        second_id = two_stored.source_id(sources[1])
        assert second_id is not None
        assert sidebar.open_group(Category("news", second_id))
        await pilot.pause()
        assert {p.source_id for p in sidebar.group_posts(Category("news", second_id))} == {
            second_id
        }
        # The palette names the source of each list.
        places = [command.name for command in screen.palette_places()]
        assert "Go to section: News (second)" in places


def _news_label(screen: MainScreen) -> str:
    return next(
        str(node.label)
        for node in screen.sidebar.root.children
        if str(node.label).startswith("News ")
    )


async def test_a_reader_of_one_source_shows_none_of_the_others(
    two_stored: Store, two_sites: tuple[str, str]
) -> None:
    _, second = two_sites
    mine = Source.site(second, name="second")
    mine_id = two_stored.source_id(mine)
    navigator = Navigator(two_stored, mine)
    assert {p.source_id for p in navigator.posts_of("news")} == {mine_id}
    assert {p.source_id for p in navigator.posts_of(Shelf.UNREAD)} == {mine_id}
    app = ReaderApp(two_stored, mine, section_names=SECTIONS, refresh_on_start=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.pause()
        labels = [str(node.label) for node in screen.sidebar.root.children]
        sections = two_stored.sections(source=mine)
        news = next(s for s in sections if s.slug == "news")
        assert _news_label(screen) == f"News {news.unread}/{news.count}"
        topics = screen.sidebar.root.children[labels.index("Topics")]
        shown = sorted(str(node.label).rsplit(" ", 1)[0] for node in topics.children)
        assert shown == sorted(s.name for s in sections if s.kind == "topic")
        assert screen.sidebar.open_group("news")
        await pilot.pause()
        listed = screen.sidebar.group_posts("news")
        assert {p.source_id for p in listed} == {mine_id} and len(listed) == news.count
        screen.go_to(StoredPost(listed[0].id))
        await pilot.pause()
        assert _news_label(screen) == f"News {news.unread - 1}/{news.count}"
        await pilot.press("M", "M")  # asked, and said again
        await pilot.pause()
        assert _news_label(screen) == f"News {news.count}"  # all read
        assert two_stored.unread_count(source=mine) < two_stored.unread_count()


async def test_the_cursor_stays_on_the_newest_post_when_the_first_source_fails(
    two_stored: Store, two_sites: tuple[str, str]
) -> None:
    _, second = two_sites
    dead = Source.site("http://127.0.0.1:9/", name="gone")
    mine = Source.site(second, name="second")
    app = ReaderApp(
        two_stored,
        dead,
        sources=(dead, mine),
        section_names=SECTIONS,
        refresh_on_start=True,
        fetcher_options={"deadline": 5.0},
    )
    newest = two_stored.posts_in("news", source=mine)[0]
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.pause()
        assert screen.sidebar.current_post is not None
        assert screen.sidebar.current_post.id == newest.id
        for _ in range(400):
            await pilot.pause(0.05)
            if not screen.status.syncing and screen._problems:
                break
        assert screen._problems  # the first tree now says what failed, a line above the rest
        await pilot.pause()
        assert screen.sidebar.current_post is not None
        assert screen.sidebar.current_post.id == newest.id
        await pilot.press("enter")
        await pilot.pause()
        assert screen.post is not None and screen.post.id == newest.id


def _word_of_both(store: Store, ids: set[int | None], kept: Source) -> str:
    """A title word whose search finds posts of every source in ``ids``."""
    for post in store.posts_in(source=kept):
        for word in post.title.split():
            if word.isalpha() and {h.post.source_id for h in store.search(word)} >= ids:
                return word
    raise AssertionError("no title word of both sources")


async def test_sources_only_kept_in_the_store_are_in_no_count_unread_or_search(
    two_stored: Store, two_sites: tuple[str, str]
) -> None:
    """The store keeps 'second' (read once, or dropped from the list): the reader of the
    institute and of a source not synced yet counts, lists and finds none of its posts."""
    first, second = two_sites
    mine = Source.site(first, name="institute")
    kept = Source.site(second, name="second")
    mine_id, kept_id = two_stored.source_id(mine), two_stored.source_id(kept)
    assert two_stored.unread_count(source=kept) > 0  # else the counts below prove nothing
    word = _word_of_both(two_stored, {mine_id, kept_id}, kept)
    not_yet = Source.site("http://127.0.0.1:9/", name="not-yet")
    app = ReaderApp(
        two_stored, mine, sources=(mine, not_yet), section_names=SECTIONS, refresh_on_start=False
    )
    posts, unread = two_stored.count_posts(source=mine), two_stored.unread_count(source=mine)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await until(pilot, lambda: screen.article._article is not None)
        shown = screen.article._article
        assert shown is not None
        welcome = " ".join(r.plain for r in shown.renderables if isinstance(r, Text))
        assert f"{posts} posts stored, {unread} unread." in welcome
        labels = [str(node.label) for node in screen.sidebar.root.children]
        assert f"Unread {unread}" in labels, labels
        assert screen.sidebar.open_group(Shelf.UNREAD)
        await pilot.pause()
        listed = screen.sidebar.group_posts(Shelf.UNREAD)
        assert len(listed) == unread and {p.source_id for p in listed} == {mine_id}
        await pilot.press("slash", *word)
        await until(pilot, lambda: isinstance(app.screen, SearchScreen) and app.screen._choices)
        search = app.screen
        assert isinstance(search, SearchScreen)
        found = [c.value for c in search._choices]
        owners = [
            post.source_id if (post := two_stored.post(v.id)) is not None else None
            for v in found
            if isinstance(v, StoredPost)
        ]
        assert len(owners) == len(found) and set(owners) == {mine_id}, word


async def test_a_source_tree_reads_its_sections_when_first_opened(
    two_stored: Store, two_sites: tuple[str, str]
) -> None:
    """Only the first tree lists its sections at start-up; the next one on opening it."""
    first, second = two_sites
    sources = (Source.site(first, name="institute"), Source.site(second, name="second"))
    app = ReaderApp(
        two_stored, sources[0], sources=sources, section_names=SECTIONS, refresh_on_start=False
    )
    theirs = [s for s in two_stored.sections(source=sources[1]) if s.kind == "section"]
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(app)
        await pilot.pause()
        heading = screen.sidebar.root.children[1]
        assert str(heading.label).startswith("second ") and not heading.children
        assert heading.allow_expand  # it has posts: it can open
        screen.sidebar.move_cursor(heading)
        await pilot.press("space")
        await until(pilot, lambda: bool(heading.children))
        shown = [str(node.label) for node in heading.children]
        assert shown[: len(theirs)] == [f"{s.name} {s.unread}/{s.count}" for s in theirs]
        # Read marks reach it like any other tree, and it stays filled.
        second_id = two_stored.source_id(sources[1])
        assert second_id is not None
        assert screen.sidebar.open_group(Category(theirs[0].slug, second_id))
        await pilot.pause()
        newest = screen.sidebar.group_posts(Category(theirs[0].slug, second_id))[0]
        screen.go_to(StoredPost(newest.id))
        await until(
            pilot,
            lambda: str(heading.children[0].label).endswith(f"{theirs[0].count}")
            and f"{theirs[0].unread - 1}/" in str(heading.children[0].label),
        )


async def test_an_empty_store_opens_the_first_source_that_syncs_when_the_first_fails(
    two_sites: tuple[str, str], tmp_path: Path
) -> None:
    _, second = two_sites
    dead = Source.site("http://127.0.0.1:9/", name="gone")
    mine = Source.site(second, name="second")
    store = Store(tmp_path / "reader.sqlite3", section_names=SECTIONS)
    app = ReaderApp(
        store,
        dead,
        sources=(dead, mine),
        section_names=SECTIONS,
        refresh_on_start=True,
        fetcher_options={"deadline": 5.0},
    )
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = main_screen(app)
            await until(pilot, lambda: not screen.status.syncing and bool(screen._problems))
            await until(pilot, lambda: screen.sidebar.current_post is not None)
            newest = store.posts_in("news", source=mine)[0]
            current = screen.sidebar.current_post
            assert current is not None and current.id == newest.id
    finally:
        store.close()


async def test_a_source_whose_first_posts_come_later_can_be_opened(tmp_path: Path) -> None:
    """A source stored without posts (its feed was empty) gets some: its tree opens then."""
    first = Source.site("http://127.0.0.1:9/", name="first")
    later = Source.site("http://127.0.0.1:10/", name="later")
    store = Store(tmp_path / "reader.sqlite3", section_names=SECTIONS)
    store.upsert_posts([IncomingPost(url="http://127.0.0.1:9/a/", title="A")], source=first)
    store.set_source_meta(later, "has_rest_api", "no")  # its row, and no post yet
    app = ReaderApp(
        store, first, sources=(first, later), section_names=SECTIONS, refresh_on_start=False
    )
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = main_screen(app)
            await pilot.pause()
            heading = screen.sidebar.root.children[1]
            assert str(heading.label).startswith("later") and not heading.allow_expand
            store.upsert_posts(
                [IncomingPost(url="http://127.0.0.1:10/b/", title="B")], source=later
            )
            screen._refresh_counts()  # what the end of a sync does
            await until(pilot, lambda: str(heading.label).startswith("later 1/1"))
            screen.sidebar.move_cursor(heading)
            await pilot.press("space")
            await until(pilot, lambda: bool(heading.children))
    finally:
        store.close()


def test_a_name_the_reader_made_yields_to_the_title_a_sync_learnt() -> None:
    from reader.ui.main_screen import _shown_names

    first = Source.feed("http://127.0.0.1:9/news/feed/")
    second = Source.feed("http://127.0.0.1:9/events/feed/", name="127.0.0.1:9-2")
    given = Source.feed("http://127.0.0.1:9/videos/feed/", name="videos")
    titles = {s.key: f"{s.url.split('/')[3]} title" for s in (first, second, given)}
    shown = _shown_names([first, second, given], titles)
    assert [shown[s.key][0] for s in (first, second, given)] == [
        "news title",
        "events title",
        "videos",
    ]
