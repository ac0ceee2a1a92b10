"""The status line describes the list under the sidebar's cursor, never one the cursor left."""

from __future__ import annotations

from reader.core.models import SectionKind
from reader.core.navigation import Shelf
from reader.core.store import Store
from reader.ui.app import ReaderApp
from tests.support.app_fixtures import make_app
from tests.support.pilot_steps import main_screen, settle, status_message, until


def _app(store: Store, url: str) -> ReaderApp:
    app = make_app(store, url)
    assert isinstance(app, ReaderApp)
    return app


async def test_moving_onto_the_bookmarks_says_the_bookmarks_not_the_list_left(
    store: Store, sample_site: str
) -> None:
    # A trial: after t opened "grants", the line still said "grants: 5 posts" with the
    # cursor on the Bookmarks.
    for summary in store.posts_in()[:2]:
        post = store.post(summary.id)
        assert post is not None
        store.add_bookmark(post)
    tag = max(
        (s for s in store.sections(include_tags=True) if s.kind is SectionKind.TAG),
        key=lambda s: s.count,
    )
    async with _app(store, sample_site).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        assert isinstance(app, ReaderApp)
        screen = main_screen(app)
        screen.go(screen.navigator.group(tag.slug))
        await settle(app, pilot)
        said = f"{tag.name}: {tag.count} posts"
        assert status_message(screen) == said
        sidebar = screen.sidebar
        await pilot.press("down")  # within the tag's list: it still describes it
        await pilot.pause()
        assert sidebar.current_group == tag.slug and status_message(screen) == said
        await pilot.press("end")
        await until(pilot, lambda: sidebar.current_group is Shelf.BOOKMARKS)
        await pilot.pause()
        assert status_message(screen) == "Bookmarks: 2 posts"
        # Onto a heading that is no list ("Tags"): nothing is said rather than a stale list.
        tags_heading = sidebar._tag_heading
        assert tags_heading is not None
        for _ in range(60):  # up from the Bookmarks, as a reader would go
            if sidebar.cursor_node is tags_heading:
                break
            await pilot.press("up")
            await pilot.pause()
        assert sidebar.cursor_node is tags_heading
        await pilot.pause()
        assert status_message(screen) == ""


async def test_a_message_said_since_stays_when_the_cursor_moves(
    store: Store, sample_site: str
) -> None:
    async with _app(store, sample_site).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        assert isinstance(app, ReaderApp)
        screen = main_screen(app)
        screen.go(screen.navigator.group("kidney"))
        await settle(app, pilot)
        screen.status.say("Marked read: something")
        await pilot.press("end")
        await until(pilot, lambda: screen.sidebar.current_group is Shelf.BOOKMARKS)
        await pilot.pause()
        assert status_message(screen) == "Marked read: something"
