"""A bookmark keeps every picture of its post, drawn or not, and fetches later what it missed.

On the sample site's 2024 impact report: a cover and a figure half way down. The figure is
never scrolled into view before ``b``, the site is down when ``b`` is pressed, and the figure
is had when the bookmark is opened again online; offline, with the cache gone, both draw.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.core.kept_images import CACHE_FOLDER, KEPT_FOLDER
from reader.core.store import Store
from reader.render.halfblocks import UPPER
from reader.sample.server import SampleServer
from reader.ui.app import ReaderApp
from reader.ui.main_screen import MainScreen
from tests.support.app_fixtures import SECTIONS, make_app, synced_store
from tests.support.pilot_steps import main_screen, status_message, until

SIZE = (120, 40)
SLUG = "2024-impact-report-ten-years-of-building-tissue"
FIGURE = "institute-building-2014.png"


def _lines(screen: MainScreen) -> list[str]:
    layout = screen.article._layout
    assert layout is not None
    return ["".join(segment.text for segment in strip) for strip in layout.lines]


def _figure_drawn(screen: MainScreen) -> bool:
    """True when the figure's held rows show its picture (the view is scrolled to it)."""
    layout = screen.article._layout
    if layout is None:
        return False
    slot = next((s for s in layout.image_slots.values() if s.url.endswith(FIGURE)), None)
    if slot is None:
        return False
    held = _lines(screen)[slot.line : slot.line + slot.rows]
    return any(UPPER in line for line in held) and not any("[image" in line for line in held)


def _show_figure(screen: MainScreen) -> None:
    screen.article._lay_out_all()
    lines = _lines(screen)
    at = next(i for i, line in enumerate(lines) if "scaffolding still up" in line)
    screen.article.scroll_to(y=max(0, at - 2), animate=False, immediate=True)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[SampleServer, Path]]:
    """A sample site of this test's own (it is stopped and started), and a data folder synced
    from it."""
    server = SampleServer()
    url = server.start()
    try:
        synced_store(url, tmp_path / "data")
        yield server, tmp_path / "data"
    finally:
        server.stop()


async def test_a_bookmark_keeps_the_pictures_never_drawn_and_fetches_later_what_it_missed(
    site: tuple[SampleServer, Path],
) -> None:
    server, folder = site
    url = server.url
    store = Store.open_in(folder, section_names=SECTIONS)  # the app closes it
    kept = folder / KEPT_FOLDER
    post_id = next(s.id for s in store.posts_in(None) if SLUG in s.url)
    app = make_app(store, url)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        screen = main_screen(app)
        screen.open_post_id(post_id)
        # The cover is drawn, so it is in the cache; G goes past the figure unseen.
        await until(pilot, lambda: any(UPPER in line for line in _lines(screen)[:30]))
        screen.article.focus()
        await pilot.press("G")
        server.stop()
        await pilot.press("b")
        await until(pilot, lambda: "could not be fetched" in status_message(screen))
        assert "1 picture could not be fetched" in status_message(screen)
        assert len(list(kept.iterdir())) == 1  # the cover, from the cache

        # Online again: opening the bookmark from B fetches the figure it missed.
        server.start()
        await pilot.press("B")
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: len(list(kept.iterdir())) == 2)
    server.stop()
    shutil.rmtree(folder / CACHE_FOLDER)

    # Offline, the cache gone, a new session: both pictures draw from the bookmark.
    app = make_app(Store.open_in(folder, section_names=SECTIONS), url)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        screen = main_screen(app)
        await pilot.press("B")
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: any(UPPER in line for line in _lines(screen)[:30]))
        _show_figure(screen)
        await until(pilot, lambda: _figure_drawn(screen))
        assert not any("scaffolding still up" in line for line in _lines(screen))


async def test_a_picture_gone_from_its_server_is_said_once_and_not_asked_for_again(
    site: tuple[SampleServer, Path],
) -> None:
    from reader.core.models import IncomingPost
    from reader.core.source import Source

    server, folder = site
    url = server.url
    store = Store.open_in(folder, section_names=SECTIONS)  # the app closes it
    post = next(s for s in store.posts_in(None) if SLUG in s.url)
    gone = f"{url}wp-content/uploads/taken-down.png"
    body = f'<p>A picture no longer there.</p><figure><img src="{gone}" alt="gone"></figure>'
    store.upsert_posts(
        [IncomingPost(url=post.url, title=post.title, content=body)], source=Source.site(url)
    )

    def asked() -> int:
        return sum(1 for _m, target, _s in server.request_log if "taken-down" in target)

    app = make_app(store, url)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        screen = main_screen(app)
        screen.open_post_id(post.id)
        await until(pilot, lambda: "gone" in status_message(screen))
        assert status_message(screen) == (
            "A picture of this article is gone (server answered 404 Not Found); not asked for"
            " again for 7 days"
        )
        await pilot.press("b")
        await until(pilot, lambda: "Bookmark" in status_message(screen))
        # Opened from the bookmarks, again and again: never asked for, never said again.
        for _ in range(2):
            screen.status.say("")
            await pilot.press("B")
            await pilot.pause()
            await pilot.press("enter")
            await until(pilot, lambda: screen.post is not None and screen.post.id == post.id)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert "gone" not in status_message(screen)
            assert "could not be fetched" not in status_message(screen)
        assert asked() == 1
