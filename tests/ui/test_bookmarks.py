"""Bookmarks and read state: in the store, and in the app driven by Textual's pilot."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot

from reader.core.models import Bookmark, PostSummary, SectionKind
from reader.core.navigation import Group, PostAt, Shelf
from reader.core.runner import run_sync
from reader.core.snapshots import export_json, read_export
from reader.core.store import SCHEMA_VERSION, STORE_FILE, Store
from reader.core.store_errors import StoreError, StoreProblem
from reader.core.sync import Source
from reader.sample.generate import generate_site
from reader.sample.server import SampleServer
from reader.ui.app import ReaderApp
from reader.ui.pickers import Picker
from reader.ui.sidebar import Sidebar
from tests.support.app_fixtures import SECTIONS, make_app, synced_store
from tests.support.pilot_steps import main_screen as _screen
from tests.support.pilot_steps import settle as _settle
from tests.support.pilot_steps import status_message as _message
from tests.support.sites import ReadSite

SIZE = (120, 40)


def _label(sidebar: Sidebar, group: Group) -> str:
    label = sidebar._groups[group].label
    return label.plain if isinstance(label, Text) else str(label)


def _shown(sidebar: Sidebar, group: Group) -> list[PostSummary]:
    return sidebar.group_posts(group)


async def _reading(app: ReaderApp, pilot: Pilot[None], post_id: int) -> None:
    """The post opened and its article focused, as a reader pressing b on it would have."""
    screen = _screen(app)
    screen.open_post_id(post_id)
    screen.article.focus()
    await _settle(app, pilot)


# -- the store -------------------------------------------------------------------------------


def test_bookmark_keeps_a_whole_snapshot_and_survives_reopening(store: Store) -> None:
    summary = store.posts_in("news")[0]
    post = store.post(summary.id)
    assert post is not None
    made = store.add_bookmark(post)
    assert made.post == replace(post, bookmarked=True)
    path = store.path
    store.close()
    again = Store(path, section_names=SECTIONS)
    try:
        found = again.bookmark(post.url)
        assert found is not None
        assert found.post == replace(post, bookmarked=True)
        assert found.created == made.created.replace(microsecond=0)
        assert again.is_bookmarked(post.url)
        assert again.bookmark_count() == 1
        listed = again.posts_in("news")[0]
        assert listed.bookmarked
        # Bookmarking again refreshes the snapshot, never duplicates it.
        again.add_bookmark(post)
        assert again.bookmark_count() == 1
        assert again.remove_bookmark(post.url)
        assert not again.remove_bookmark(post.url)
        assert again.bookmarks() == []
    finally:
        again.close()


def test_bookmark_search_covers_title_and_text(store: Store) -> None:
    for summary in store.posts_in()[:5]:
        post = store.post(summary.id)
        assert post is not None
        store.add_bookmark(post)
    first = store.bookmarks()[0].post
    word = next(w for w in first.title.split() if len(w) > 5)
    assert first.url in {b.url for b in store.bookmarks(word.upper())}
    assert store.bookmarks("no-article-says-xylophonist") == []


def test_a_bookmark_never_borrows_the_id_of_another_post(store: Store, tmp_path: Path) -> None:
    """A snapshot's id is the id it had where it was made; here it must not name another post."""
    post = store.post(min(s.id for s in store.posts_in()))
    assert post is not None
    store.add_bookmark(post)
    exported = export_json(store.bookmarks()).encode()
    live = store.bookmark(post.url)
    assert live is not None and live.post.id == post.id
    store.remove_post(post.id)
    gone = store.bookmark(post.url)
    assert gone is not None and gone.post.id < 0
    assert store.post(gone.post.id) is None

    # Another store, of another site, where the same number is some other post.
    with SampleServer(generate_site(40, seed=9)) as other_url:
        other_folder = tmp_path / "other"
        synced_store(other_url, other_folder)
    other = Store.open_in(other_folder, section_names=SECTIONS)
    try:
        assert other.post(post.id) is not None
        assert other.import_bookmarks(read_export(exported)) == 1
        imported = other.bookmark(post.url)
        assert imported is not None
        assert imported.post.id < 0
        # ... and it is kept as a bookmark of its own site, not of the site this store reads.
        assert imported.post.source_id != other.posts_in()[0].source_id
        same = replace(imported.post, id=post.id, source_id=post.source_id)
        assert same == replace(post, bookmarked=True)
    finally:
        other.close()


def test_schema_upgrade_keeps_bookmarks_and_read_state(store: Store) -> None:
    posts = [store.post(s.id) for s in store.posts_in()[:3]]
    for post in posts:
        assert post is not None
        store.add_bookmark(post)
    assert posts[0] is not None
    store.set_read(posts[0].id)
    before = [(b.url, b.created, b.post) for b in store.bookmarks()]
    path = store.path
    store.close()
    # What an older reader left behind: version 0, and an index it did not have yet.
    db = sqlite3.connect(path)
    db.execute("DROP INDEX posts_by_guid")
    db.execute("PRAGMA user_version=0")
    db.commit()
    db.close()
    upgraded = Store(path, section_names=SECTIONS)
    try:
        assert [(b.url, b.created, b.post) for b in upgraded.bookmarks()] == before
        read = upgraded.post(posts[0].id)
        assert read is not None and read.read
    finally:
        upgraded.close()
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert "posts_by_guid" in indexes
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        db.close()


# -- the app: bookmarks ----------------------------------------------------------------------


async def test_b_bookmarks_the_open_post_and_the_group_counts_it(
    site_store: Store, read_site: ReadSite
) -> None:
    store = site_store
    app = make_app(store, read_site.url)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        screen = _screen(app)
        target = store.posts_in("news")[1]
        await _reading(app, pilot, target.id)
        assert _label(screen.sidebar, Shelf.BOOKMARKS) == "Bookmarks 0"
        await pilot.press("b")
        await _settle(app, pilot)
        assert store.is_bookmarked(target.url)
        assert _label(screen.sidebar, Shelf.BOOKMARKS) == "Bookmarks 1"
        # The snapshot was taken after the page was read: navigation and topics are in it.
        snapshot = store.bookmark(target.url)
        assert snapshot is not None and snapshot.post.page_fetched and snapshot.post.links
        screen.sidebar.open_group(Shelf.BOOKMARKS)
        await _settle(app, pilot)
        assert [p.url for p in _shown(screen.sidebar, Shelf.BOOKMARKS)] == [target.url]
        screen.article.focus()
        await pilot.press("b")  # b on a bookmark asks first: it may be the post's only copy
        await _settle(app, pilot)
        assert store.is_bookmarked(target.url)
        assert _message(screen).startswith("b again removes this bookmark")
        await pilot.press("j", "b")  # another key in between: b asks again
        await _settle(app, pilot)
        assert store.is_bookmarked(target.url)
        await pilot.press("b")  # and b at once removes it
        await _settle(app, pilot)
        assert not store.is_bookmarked(target.url)
        assert _message(screen).startswith("Bookmark removed")
        assert _label(screen.sidebar, Shelf.BOOKMARKS) == "Bookmarks 0"
        assert _shown(screen.sidebar, Shelf.BOOKMARKS) == []


async def test_B_lists_bookmarks_searches_them_and_opens_one(
    site_store: Store, read_site: ReadSite
) -> None:
    store, sample_site = site_store, read_site.url
    chosen = [store.post(s.id) for s in store.posts_in("news")[:3]]
    for post in chosen:
        assert post is not None
        store.add_bookmark(post)
    wanted = chosen[1]
    assert wanted is not None
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        screen = _screen(app)
        await pilot.press("B")
        await _settle(app, pilot)
        assert isinstance(app.screen, Picker)
        others = " ".join(p.title for p in chosen if p is not wanted and p is not None)
        word = max(
            (w for w in wanted.title.split() if w.isascii() and w.isalpha() and w not in others),
            key=len,
        )
        await pilot.press(*word)
        picker = app.screen
        assert isinstance(picker, Picker)
        assert [c.value for c in picker._choices] == [PostAt(wanted.url)]
        await pilot.press("enter")
        await _settle(app, pilot)
        assert _screen(app) is screen
        assert screen.post is not None and screen.post.url == wanted.url


async def test_an_imported_bookmark_never_touches_the_post_with_its_old_id(
    store: Store, sample_site: str
) -> None:
    # An article bookmarked in another store, where its id was that of a post stored here.
    bystander = store.post(store.posts_in("events")[0].id)
    assert bystander is not None and not bystander.read
    foreign = replace(
        bystander,
        url="https://elsewhere.example/2025/02/02/an-article-from-elsewhere/",
        title="An article from elsewhere",
        content="<p>Kept whole in a bookmark.</p>",
        links=(),
    )
    export = export_json(
        [Bookmark(foreign.url, foreign.title, datetime(2025, 2, 3, tzinfo=UTC), foreign)]
    )
    assert store.import_bookmarks(read_export(export.encode())) == 1
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        screen = _screen(app)
        screen.sidebar.open_group(Shelf.BOOKMARKS)
        await _settle(app, pilot)
        screen.sidebar.focus()
        await pilot.press("down", "enter")
        await _settle(app, pilot)
        assert screen.post is not None and screen.post.title == foreign.title
        assert "from your bookmark" in _message(screen)
        screen.sidebar.focus()
        assert screen.sidebar.current_post is not None
        assert screen.sidebar.current_post.url == foreign.url
        await pilot.press("m")  # the bookmarked article is not stored: nothing to mark
        await _settle(app, pilot)
        assert not store.post(bystander.id).read  # type: ignore[union-attr]
        await pilot.press("b", "b")  # b b on the bookmark removes that bookmark, nothing else
        await _settle(app, pilot)
        assert store.bookmarks() == []
        assert not store.is_bookmarked(bystander.url)


# -- the app: read state ---------------------------------------------------------------------


async def test_reading_marks_read_and_the_counts_follow(
    site_store: Store, read_site: ReadSite
) -> None:
    store, sample_site = site_store, read_site.url
    news = store.section("news")
    assert news is not None and news.unread == news.count
    total = news.count
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        screen = _screen(app)
        sidebar = screen.sidebar
        await _settle(app, pilot)
        assert _label(sidebar, "news") == f"News {total}/{total}"

        # Opening a post from the list marks it read.
        sidebar.open_group("news")
        await _settle(app, pilot)
        sidebar.focus()
        await pilot.press("down", "enter")
        await _settle(app, pilot)
        first = screen.post
        assert first is not None
        assert store.post(first.id).read  # type: ignore[union-attr]
        assert _label(sidebar, "news") == f"News {total - 1}/{total}"
        listed = {p.id: p for p in _shown(sidebar, "news")}
        assert listed[first.id].read

        # m makes it unread again, and m again read.
        await pilot.press("m")
        await _settle(app, pilot)
        assert not store.post(first.id).read  # type: ignore[union-attr]
        assert _label(sidebar, "news") == f"News {total}/{total}"
        await pilot.press("m")
        await _settle(app, pilot)
        assert _label(sidebar, "news") == f"News {total - 1}/{total}"

        # u opens the next unread post of the list, newest first, and reads it.
        await pilot.press("u")
        await _settle(app, pilot)
        second = screen.post
        assert second is not None
        assert second.id == store.posts_in("news")[1].id  # the first one is read
        assert _label(sidebar, "news") == f"News {total - 2}/{total}"

        # M asks first: read state cannot be got back. Another key in between, and it asks
        # again; M twice in a row marks the whole list read: the label keeps only the count.
        unread_label = _label(sidebar, "news")
        await pilot.press("M")
        await _settle(app, pilot)
        assert "M again" in screen.status.said
        await pilot.press("j", "M")
        await _settle(app, pilot)
        assert _label(sidebar, "news") == unread_label
        await pilot.press("M")
        await _settle(app, pilot)
        assert _label(sidebar, "news") == f"News {total}"
        assert store.section("news").unread == 0  # type: ignore[union-attr]
        # Other sections keep their unread posts.
        events = store.section("events")
        assert events is not None and events.unread > 0
        assert _label(sidebar, "events") == f"Events {events.unread}/{events.count}"

        # u with nothing unread in News moves on to any unread post.
        await pilot.press("u")
        await _settle(app, pilot)
        assert screen.post is not None and "News" not in screen.post.sections
    # What the app wrote is in the file, for the next start.
    again = Store(store.path, section_names=SECTIONS)
    try:
        assert again.section("news").unread == 0  # type: ignore[union-attr]
    finally:
        again.close()


async def test_u_opens_the_next_unread_after_the_post_and_wraps(
    store: Store, sample_site: str
) -> None:
    # A trial's u from the third post of News went back up to the first.
    news = store.posts_in("news")
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        screen = _screen(app)
        sidebar = screen.sidebar
        await _settle(app, pilot)
        sidebar.open_group("news")
        await _settle(app, pilot)
        sidebar.focus()
        await pilot.press("down", "down", "down", "enter")
        await _settle(app, pilot)
        assert screen.post is not None and screen.post.id == news[2].id
        await pilot.press("u")
        await _settle(app, pilot)
        assert screen.post is not None and screen.post.id == news[3].id
        # With every post below it read, u wraps to the first unread at the top.
        for summary in news[4:]:
            store.set_read(summary.id)
        await pilot.press("u")
        await _settle(app, pilot)
        assert screen.post is not None and screen.post.id == news[0].id


async def test_an_opened_tags_count_follows_M(store: Store, sample_site: str) -> None:
    # The groups the store lists leave tags out, so an opened tag kept its "2/4" after M.
    tag = max(
        (s for s in store.sections(include_tags=True) if s.kind is SectionKind.TAG),
        key=lambda s: s.count,
    )
    assert tag.unread == tag.count > 1
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        screen = _screen(app)
        screen.go(screen.navigator.group(tag.slug))
        await _settle(app, pilot)
        assert _label(screen.sidebar, tag.slug) == f"{tag.name} {tag.count}/{tag.count}"
        screen.sidebar.focus()
        await pilot.press("M", "M")
        await _settle(app, pilot)
        assert _message(screen) == f"Marked {tag.count} posts read."
        assert _label(screen.sidebar, tag.slug) == f"{tag.name} {tag.count}"


def test_sidebar_counts_come_from_the_store(store: Store) -> None:
    news = store.section("news")
    assert news is not None
    ids = [p.id for p in store.posts_in("news")]
    for post_id in ids[:3]:
        store.set_read(post_id)
    news = store.section("news")
    assert news is not None and news.unread == news.count - 3
    assert store.mark_all_read("news") == news.count - 3
    assert store.mark_all_read("news") == 0


def _sync_into(store: Store, url: str) -> None:
    report = run_sync(store.path, Source.site(url), section_names=SECTIONS)
    assert report.ok, report.errors


def test_read_state_and_bookmarks_survive_a_resync(site_store: Store, read_site: ReadSite) -> None:
    store, sample_site = site_store, read_site.url
    posts = store.posts_in("news")[:2]
    store.set_read(posts[0].id)
    first = store.post(posts[1].id)
    assert first is not None
    store.add_bookmark(first)
    store.set_source_meta(Source.site(sample_site), "backfill_done", "")
    store.save_validators(sample_site + "feed/", None, None, source=Source.site(sample_site))
    _sync_into(store, sample_site)
    assert store.post(posts[0].id).read  # type: ignore[union-attr]
    assert store.is_bookmarked(first.url)
    assert (store.path.parent / STORE_FILE).exists()


async def test_a_count_of_one_is_said_in_the_singular_and_m_names_its_list(
    store: Store, sample_site: str
) -> None:
    # A trial read "1 posts stored" and "marks every post of this list read".
    kept = store.posts_in("news")[0]
    for post in store.posts_in():
        if post.id != kept.id:
            store.remove_post(post.id)
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        screen = _screen(app)
        await _settle(app, pilot)
        shown = screen.article._article
        assert shown is not None
        welcome = " ".join(r.plain for r in shown.renderables if isinstance(r, Text))
        assert "1 post stored, 1 unread." in welcome, welcome
        sidebar = screen.sidebar
        sidebar.open_group("news")
        await _settle(app, pilot)
        sidebar.focus()
        await pilot.press("down", "M")
        await _settle(app, pilot)
        assert screen.status.said == "M again marks every post of News read."
        await pilot.press("M")
        await _settle(app, pilot)
        assert screen.status.said == "Marked 1 post read."


async def test_a_question_the_next_key_does_not_answer_is_taken_back(
    store: Store, sample_site: str
) -> None:
    # "b again removes this bookmark …" stood on the status line after escape and B, to all
    # appearances still asked; M's question after a move the same.
    target = store.posts_in("news")[0]
    store.add_bookmark(store.post(target.id) or target)
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        screen = _screen(app)
        await _reading(app, pilot, target.id)
        await pilot.press("b")
        await _settle(app, pilot)
        assert _message(screen).startswith("b again removes this bookmark")
        await pilot.press("escape")
        await _settle(app, pilot)
        assert _message(screen) == f"Bookmark kept: {target.title}"
        assert store.is_bookmarked(target.url)
        screen.sidebar.open_group("news")
        await _settle(app, pilot)
        screen.sidebar.focus()
        await pilot.press("down", "M")
        await _settle(app, pilot)
        assert _message(screen) == "M again marks every post of News read."
        await pilot.press("k")
        await _settle(app, pilot)
        assert _message(screen) == "Nothing marked read in News.", _message(screen)
        # An answer is still an answer: M M marks, b b removes.
        await pilot.press("M", "M")
        await _settle(app, pilot)
        assert _message(screen).startswith("Marked "), _message(screen)


async def test_b_on_a_full_disk_says_the_bookmark_was_not_made_before_why(
    site_store: Store, read_site: ReadSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The store's message names the file first: at 80 columns the status line read "The disk
    # holding /home/.../reader.sqlite3 is full (0 bytes free); no…", not what b failed to do.
    store = site_store
    full = StoreError(
        f"The disk holding {store.path} is full (0 bytes free); nothing was changed.",
        problem=StoreProblem.FULL,
        path=store.path,
    )
    app = make_app(store, read_site.url)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        screen = _screen(app)
        target = store.posts_in("news")[1]
        await _reading(app, pilot, target.id)
        real_add = store.add_bookmark

        def refused(*_: object, **__: object) -> None:
            raise full

        monkeypatch.setattr(store, "add_bookmark", refused)
        await pilot.press("b")
        await _settle(app, pilot)
        assert not store.is_bookmarked(target.url)
        assert _message(screen) == f"Not bookmarked: {full}"
        monkeypatch.setattr(store, "add_bookmark", real_add)
        await pilot.press("b")
        await _settle(app, pilot)
        assert store.is_bookmarked(target.url)
        monkeypatch.setattr(store, "remove_bookmark", refused)
        await pilot.press("b", "b")
        await _settle(app, pilot)
        assert store.is_bookmarked(target.url)
        assert _message(screen) == f"Bookmark not removed: {full}"


async def test_a_bookmark_removed_is_said_removed_when_a_read_after_it_fails(
    site_store: Store, read_site: ReadSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    # After the removal is written, the pictures it kept are let go of by a look at the
    # bookmarks left; that read failing said "Bookmark not removed" of a bookmark gone, and
    # the list kept showing it.
    store = site_store
    target = store.posts_in("news")[1]
    store.add_bookmark(store.post(target.id) or target)
    app = make_app(store, read_site.url)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        screen = _screen(app)
        await _reading(app, pilot, target.id)
        real_bookmarks = store.bookmarks
        calls: list[int] = []

        def refused_once(*args: object, **kwargs: object) -> list[Bookmark]:
            calls.append(1)
            if len(calls) == 1:
                raise StoreError(
                    "The store could not be read", problem=StoreProblem.DAMAGED, path=store.path
                )
            return real_bookmarks()

        monkeypatch.setattr(store, "bookmarks", refused_once)
        await pilot.press("b", "b")
        await _settle(app, pilot)
        assert calls, "the removal never looked at the bookmarks left"
        assert not store.is_bookmarked(target.url)
        assert _message(screen) == f"Bookmark removed: {target.title}"
        assert _label(screen.sidebar, Shelf.BOOKMARKS) == "Bookmarks 0"
