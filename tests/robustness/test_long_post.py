"""No post can freeze the reader: a 5 MB one-paragraph body is wrapped in linear time, rendered
off the screen's loop and laid out a slice at a time, so keys are answered meanwhile; ``reader
show`` prints it in little memory. (How fast is measured in bench/; here, that it is done so.)"""

from __future__ import annotations

import gc
import io
import random
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.widgets import Input

from reader.core.models import IncomingPost
from reader.core.source import Source
from reader.core.store import Store
from reader.render.wrapping import WrappedText, line_ranges
from reader.ui.app import ReaderApp
from reader.ui.article_view import ArticleView
from reader.ui.main_screen import MainScreen
from reader.ui.pickers import Picker
from tests.support.app_fixtures import SECTIONS, make_app
from tests.support.peak_memory import measured, peak_of, run_measured
from tests.support.pty_screen import PtyApp

ROOT = Path(__file__).resolve().parents[2]
WORDS = [
    "stem",
    "cells",
    "organoid",
    "kidney",
    "research",
    "heart",
    "muscle",
    "blood",
    "the",
    "of",
    "and",
    "a",
    "to",
    "in",
    "is",
    "that",
]
LONG = "A post of 5 MB"
MEMORY_LIMIT = 200 * 2**20


def _paragraph(words: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(words))


@pytest.fixture(scope="module")
def long_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding one post whose body is a single 5 MB paragraph, and one short post."""
    folder = tmp_path_factory.mktemp("long")
    store = Store.open_in(folder, section_names=SECTIONS)
    body = "<p>" + _paragraph(5 * 2**20 // 5) + " <a href='/the-end/'>the end</a></p>"
    assert len(body) > 5 * 2**20
    store.upsert_posts(
        [
            IncomingPost(
                url="https://example.org/long/",
                title=LONG,
                content=body,
                published=datetime(2025, 1, 1, tzinfo=UTC),
                categories=(("news", "News"),),
            ),
            IncomingPost(
                url="https://example.org/short/",
                title="A short post",
                content="<p>Short.</p>",
                published=datetime(2025, 1, 2, tzinfo=UTC),
                categories=(("news", "News"),),
            ),
        ],
        source=Source.site("https://example.org/"),
    )
    store.close()
    return folder


def _plain_lines(renderable: object, width: int) -> list[str]:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    lines = console.render_lines(renderable, console.options, pad=False)
    return ["".join(segment.text for segment in line) for line in lines]


@pytest.mark.parametrize("seed", range(40))
def test_a_long_paragraph_wraps_as_rich_does_in_lines_that_fit(seed: int) -> None:
    rng = random.Random(seed)
    words = [rng.choice([*WORDS, "café", "日本語", "x" * rng.randint(1, 90)]) for _ in range(300)]
    plain = " ".join(words)
    text = Text(plain)
    for _ in range(20):
        start = rng.randrange(len(plain))
        text.stylize(Style(bold=True), start, start + rng.randrange(200))
    width = rng.randint(8, 100)
    ours = _plain_lines(WrappedText(text), width)
    assert all(cell_len(line) <= width for line in ours)
    # Nothing lost, nothing moved: the words come out in order.
    assert "".join("".join(ours).split()) == "".join(plain.split())
    if all(cell_len(word) <= width for word in words):
        # Where no word has to be folded, the lines are Rich's own.
        assert [line.rstrip() for line in ours] == [
            line.rstrip() for line in _plain_lines(text, width)
        ]


def test_a_long_paragraph_is_made_of_line_sized_pieces() -> None:
    # Rich's own wrap hands on the paragraph as one segment, which splitting into lines then
    # copies over and over (the square of its length); every piece here is at most a line.
    text = Text(_paragraph(200_000))
    console = Console(file=io.StringIO(), width=80)
    pieces = list(console.render(WrappedText(text), console.options))
    assert max(len(piece.text) for piece in pieces) <= 80
    ranges = list(line_ranges(text.plain, 80))
    assert len([piece for piece in pieces if piece.text == "\n"]) == len(ranges)


def test_reader_show_prints_5_mb_in_one_paragraph_in_little_memory(
    long_store: Path, tmp_path: Path
) -> None:
    command = [sys.executable, "-m", "reader", "--data-dir", str(long_store), "show", "1"]
    finished, peak = run_measured([*command, "--width", "100"], tmp_path / "peak", cwd=ROOT)
    assert finished.returncode == 0, finished.stderr.decode()
    lines = finished.stdout.decode().splitlines()
    assert lines[0] == LONG
    body = [line for line in lines if line and line[0].islower()]
    assert len(body) > 40_000 and all(len(line) <= 100 for line in lines)
    assert "https://example.org/the-end/" in lines[-1]
    assert peak < MEMORY_LIMIT, f"peak {peak / 2**20:.0f} MB"


def test_the_reader_lays_out_5_mb_in_one_paragraph_in_little_memory(
    long_store: Path, tmp_path: Path
) -> None:
    # The real reader in a terminal: the long post opened, read to its end, and left.
    peak_file = tmp_path / "peak"
    command = [sys.executable, "-m", "reader", "--data-dir", str(long_store)]
    command += ["--site", "https://example.org/", "--no-refresh"]
    with PtyApp(measured(command, peak_file), cols=100, rows=30, cwd=ROOT).start() as app:
        app.wait_for(LONG, timeout=30)
        app.send("j")
        app.send("\r")
        app.wait_for("Jan 1, 2025", timeout=60)  # the article itself, not the word meanwhile
        app.send("G")  # the end follows the layout as it grows, to the article's last line
        app.wait_for("the end[1]", timeout=120)
        app.send("q")
        assert app.wait_for_exit(timeout=30) == 0
    peak = peak_of(peak_file)
    assert peak < MEMORY_LIMIT, f"peak {peak / 2**20:.0f} MB"


async def test_a_5_mb_post_opens_at_once_and_keys_are_answered_while_it_is_laid_out(
    long_store: Path, tmp_path: Path, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The test decides when each slice of the layout may run: keys are pressed while it is
    # held half-way, however fast the machine, and every slice is measured once let go.
    slices: list[int] = []
    held = True
    lay_out_rest = ArticleView._lay_out_rest

    def one_slice(view: ArticleView, generation: int) -> None:
        if held:
            view.set_timer(0.02, lambda: one_slice(view, generation))
            return
        before = len(view._layout.lines) if view._layout is not None else 0
        lay_out_rest(view, generation)
        slices.append(len(view._layout.lines) - before if view._layout is not None else 0)

    monkeypatch.setattr(ArticleView, "_lay_out_rest", one_slice)
    store = Store.open_in(long_store, section_names=SECTIONS)
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            assert isinstance(screen, MainScreen)
            long_id = next(p.id for p in store.posts_in() if p.title == LONG)
            screen.open_post_id(long_id)
            article = screen.article
            # Rendered in a thread: the pane says so meanwhile, and the screen moves on.
            assert "Laying out" in " ".join(str(block) for block in article._article.renderables)
            ends = time.monotonic() + 60
            while not article.links:
                assert time.monotonic() < ends, "the long post was never shown"
                await pilot.pause(0.02)
            # Shown with its first screens laid out, the rest to come.
            layout = article._layout
            assert layout is not None and 0 < len(layout.lines) < 1000
            assert article._laying_out
            assert not gc.isenabled(), "a long layout holds the cycle collector"
            # focus() moves the focus a moment later: a key pressed before would go to the list.
            article.focus()
            while screen.focused is not article:
                assert time.monotonic() < ends, "the article never took the focus"
                await pilot.pause(0.02)
            await pilot.press("j")
            while article.scroll_y != 1:
                assert time.monotonic() < ends, f"j left the article at {article.scroll_y}"
                await pilot.pause(0.02)
            await pilot.press("G")  # the end follows the layout as it grows
            held = False
            while article._laying_out:
                assert time.monotonic() < ends, "the layout never finished"
                await pilot.pause(0.05)
            await pilot.pause()
            layout = article._layout
            assert layout is not None and len(layout.lines) > 40_000
            # Between two slices the screen answers keys: none lays out much of the article.
            assert len(slices) > 10 and max(slices) < len(layout.lines) / 5, slices
            assert article.scroll_y == article.max_scroll_y > 40_000
            assert gc.isenabled(), "the collector is let go once the layout is done"
            # L on the article lists its one link; tab goes to it.
            await pilot.press("L")
            await pilot.pause()
            assert isinstance(app.screen, Picker)
            await pilot.press("escape", "tab")
            assert article.selected == 1
    finally:
        gc.enable()


async def test_l_on_an_article_with_thousands_of_links_lists_the_first_and_filters(
    store: Store, sample_site: str
) -> None:
    links = "".join(f'<a href="https://example.org/{n}/">link number {n}</a> ' for n in range(3000))
    store.upsert_posts(
        [
            IncomingPost(
                url="https://example.org/links/",
                title="Many links",
                content=f"<p>{links}</p>",
                published=datetime(2025, 6, 1, tzinfo=UTC),
            )
        ],
        source=Source.site("https://example.org/"),
    )
    post = store.find_post("https://example.org/links/")
    assert post is not None
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.open_post_id(post.id)
        await pilot.pause()
        await pilot.press("L")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, Picker)
        assert len(picker._choices) == 500
        await pilot.press(*"2999")
        await pilot.pause()
        assert [c.value for c in picker._choices] == [2999, 3000]
        await pilot.press("enter")
        await pilot.pause()
        assert screen.article.selected == 2999
        assert picker.query(Input) is not None


async def test_g_pressed_while_a_long_post_is_being_laid_out_takes_it_to_its_end(
    long_store: Path, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The render thread is held until G has been pressed over the "Laying out" stand-in.
    rendering_may_finish = threading.Event()
    renderer = MainScreen._renderer

    def held(screen: MainScreen, post: Any) -> Any:
        render = renderer(screen, post)

        def run() -> Any:
            rendering_may_finish.wait(60)
            return render()

        return run

    monkeypatch.setattr(MainScreen, "_renderer", held)
    store = Store.open_in(long_store, section_names=SECTIONS)
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            assert isinstance(screen, MainScreen)
            screen.open_post_id(next(p.id for p in store.posts_in() if p.title == LONG))
            article = screen.article
            assert "Laying out" in " ".join(str(block) for block in article._article.renderables)
            article.focus()
            ends = time.monotonic() + 60
            while screen.focused is not article:
                assert time.monotonic() < ends, "the article never took the focus"
                await pilot.pause(0.02)
            await pilot.press("G")
            rendering_may_finish.set()
            while not article.links or article._laying_out:
                assert time.monotonic() < ends, "the long post was never laid out"
                await pilot.pause(0.05)
            await pilot.pause()
            assert article.scroll_y == article.max_scroll_y > 40_000
    finally:
        rendering_may_finish.set()
        gc.enable()


async def test_g_goes_on_to_the_end_when_the_long_post_is_rendered_again(
    long_store: Path, sample_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Opened offline, the post's page fails to come and the post is rendered again (with the
    # note saying so) while G follows its layout: G used to stop wherever it then was.
    held = True
    lay_out_rest = ArticleView._lay_out_rest

    def one_slice(view: ArticleView, generation: int) -> None:
        if held:
            view.set_timer(0.02, lambda: one_slice(view, generation))
            return
        lay_out_rest(view, generation)

    monkeypatch.setattr(ArticleView, "_lay_out_rest", one_slice)
    store = Store.open_in(long_store, section_names=SECTIONS)
    app = make_app(store, sample_site)
    assert isinstance(app, ReaderApp)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            assert isinstance(screen, MainScreen)
            screen.open_post_id(next(p.id for p in store.posts_in() if p.title == LONG))
            article = screen.article
            ends = time.monotonic() + 60
            while not article.links:
                assert time.monotonic() < ends, "the long post was never shown"
                await pilot.pause(0.02)
            article.focus()
            while screen.focused is not article:
                assert time.monotonic() < ends, "the article never took the focus"
                await pilot.pause(0.02)
            await pilot.press("G")
            rendered = article._article
            assert rendered is not None
            article.restyle(rendered)
            held = False
            while article._laying_out:
                assert time.monotonic() < ends, "the layout never finished"
                await pilot.pause(0.05)
            await pilot.pause()
            assert article.scroll_y == article.max_scroll_y > 40_000
    finally:
        gc.enable()
