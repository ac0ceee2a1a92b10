"""Pictures in the article pane, driven by Textual's pilot: drawn after the text, in place."""

from __future__ import annotations

import asyncio

import pytest

from reader.core.fetch import Fetcher
from reader.core.graphics_probe import Drawing, TerminalAnswers
from reader.core.store import Store
from reader.core.sync import complete_post
from reader.render.graphics import PLACEHOLDER
from reader.render.halfblocks import UPPER
from reader.ui.app import ReaderApp
from reader.ui.main_screen import MainScreen
from reader.ui.pictures import Pictures
from tests.support.app_fixtures import make_app
from tests.support.pilot_steps import main_screen as _screen
from tests.support.pilot_steps import status_message, workers_done
from tests.support.pilot_steps import until as _until

SIZE = (120, 40)
SLUG = "kidney-organoids-grow-their-own-blood-vessels"


def _text_lines(screen: MainScreen) -> list[str]:
    layout = screen.article._layout
    assert layout is not None
    return ["".join(segment.text for segment in strip) for strip in layout.lines]


def _post_id(store: Store) -> int:
    return next(s.id for s in store.posts_in(None) if SLUG in s.url)


async def test_pictures_are_drawn_after_the_text_in_their_held_rows(
    store: Store, sample_site: str
) -> None:
    # The page is read first: opening an unread page re-renders the article with its post
    # navigation, which would move the rows below the pictures for a reason of its own.
    post = store.post(_post_id(store))
    assert post is not None
    async with Fetcher() as fetcher:
        await complete_post(store, fetcher, post)
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        screen = _screen(app)
        assert app.images.drawing is Drawing.BLOCKS
        screen.open_post_id(_post_id(store))
        await pilot.pause()
        lines = _text_lines(screen)
        # The text is there at once; the pictures' rows are held, showing their alt text.
        assert any("For years, kidney organoids" in line for line in lines)
        # The rest of a long article is laid out after the first frame: count all of it.
        screen.article._lay_out_all()
        held = len(_text_lines(screen))
        await _until(pilot, lambda: any(UPPER in line for line in _text_lines(screen)))
        await workers_done(app)
        await pilot.pause()
        lines = _text_lines(screen)
        assert len(lines) == held  # nothing below the pictures moved
        assert sum(UPPER in line for line in lines[:30]) >= 10  # the featured image
        assert not any("[image" in line for line in lines[:30])


async def test_a_picture_that_cannot_be_had_leaves_its_alt_text(
    store: Store, sample_site: str
) -> None:
    post_id = _post_id(store)
    post = store.post(post_id)
    assert post is not None
    broken = post.content.replace("/wp-content/uploads/", "/wp-content/missing/")
    store._db.execute("UPDATE posts SET content=? WHERE id=?", (broken, post_id))
    store._db.commit()
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        screen = _screen(app)
        screen.open_post_id(post_id)
        figure = "[image: A flat kidney organoid under the microscope]"
        await _until(pilot, lambda: any(figure in line for line in _text_lines(screen)))
        # Scroll to the figure: it is asked for, refused (404), and shrinks to its alt text.
        screen.article.scroll_to(y=30, animate=False, immediate=True)
        index = next(i for i, line in enumerate(_text_lines(screen)) if figure in line)

        def shrunk() -> bool:
            lines = _text_lines(screen)
            at = next((i for i, line in enumerate(lines) if figure in line), None)
            return (
                at is not None
                and "404" in str(screen._board.failed)
                and lines[at + 1].strip() != ""
            )

        await _until(pilot, shrunk)
        assert index > 0


async def test_i_turns_pictures_off_and_on(store: Store, sample_site: str) -> None:
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        screen = _screen(app)
        screen.open_post_id(_post_id(store))
        await _until(pilot, lambda: any(UPPER in line for line in _text_lines(screen)))
        screen.article.focus()
        await pilot.press("i")
        await pilot.pause()
        lines = _text_lines(screen)
        assert not any(UPPER in line for line in lines)
        assert any("[image: A flat kidney organoid under the microscope]" in line for line in lines)
        await pilot.press("i")
        await _until(pilot, lambda: any(UPPER in line for line in _text_lines(screen)))
        await asyncio.sleep(0)


async def test_i_under_no_color_says_why_pictures_stay_off(
    store: Store, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Under NO_COLOR pictures are their alt text; i said "Pictures off" at every press, the
    # first time and each time after, as if it had done something.
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        screen = _screen(app)
        screen.open_post_id(_post_id(store))
        await pilot.pause()
        screen.article.focus()
        for _ in range(2):
            await pilot.press("i")
            await pilot.pause()
            assert status_message(screen) == "Pictures stay off under NO_COLOR: alt text only."
            assert not any(UPPER in line for line in _text_lines(screen))


KITTY = TerminalAnswers(answered=True, kitty=True, name="kitty(0.35.2)", cell_pixels=(10, 20))
ITERM2 = TerminalAnswers(answered=True, iterm2=True, name="iTerm2 3.5", cell_pixels=(8, 16))


async def test_kitty_pictures_are_sent_once_and_drawn_as_placeholders(
    store: Store, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[str] = []
    monkeypatch.setattr(Pictures, "write", lambda self, data: sent.append(data))
    app = make_app(store, sample_site, terminal=KITTY)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        screen = _screen(app)
        assert app.images.drawing is Drawing.KITTY
        screen.open_post_id(_post_id(store))
        await _until(pilot, lambda: any(PLACEHOLDER in line for line in _text_lines(screen)))
        lines = [line for line in _text_lines(screen) if PLACEHOLDER in line]
        assert len(lines) == 20
        transmitted = "".join(sent)
        # 60x20 cells at 10x20 pixels: a 600x400 PNG, placed virtually over those cells.
        assert "a=T,U=1,f=100,t=d,q=2,i=1,c=60,r=20" in transmitted
    assert "a=d,d=I,q=2,i=1" in "".join(sent)  # freed when the app ends


async def test_iterm2_pictures_are_drawn_over_their_half_blocks_when_all_on_screen(
    store: Store, sample_site: str
) -> None:
    app = make_app(store, sample_site, terminal=ITERM2)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=SIZE) as pilot:
        screen = _screen(app)
        assert app.images.drawing is Drawing.ITERM2
        screen.open_post_id(_post_id(store))
        view = screen.article
        await _until(pilot, lambda: bool(view._overlays))
        slot = view._layout.image_slots[1]  # type: ignore[union-attr]
        after = view.render_line(slot.line + slot.rows)
        first = next(iter(after))
        assert first.text.startswith("\x1b7\x1b[") and "\x1b]1337;File=inline=1;" in first.text
        assert after.cell_length == view.size.width
        # Scrolled so the picture's top is off screen: half blocks only, no overlay.
        view.scroll_to(y=slot.line + 1, animate=False, immediate=True)
        await pilot.pause()
        line = view.render_line(slot.rows - 1)
        assert "\x1b]1337" not in "".join(segment.text for segment in line)


async def test_b_keeps_the_bookmarked_posts_pictures(store: Store, sample_site: str) -> None:
    from reader.core.kept_images import KEPT_FOLDER

    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    kept = store.path.parent / KEPT_FOLDER
    async with app.run_test(size=SIZE) as pilot:
        screen = _screen(app)
        screen.open_post_id(_post_id(store))
        await pilot.pause()
        screen.article.focus()
        await pilot.press("b")
        await _until(pilot, lambda: kept.is_dir() and len(list(kept.iterdir())) == 2)
        await pilot.press("b", "b")
        await pilot.pause()
        assert list(kept.iterdir()) == []
