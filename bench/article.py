"""Key to article fully shown, 50 KB article: the reader against Textual's Markdown widget.

Two views of the same article (the newest News post, its body stitched to about 50 KB, its page
already read so opening it fetches nothing):

- end to end, in a 120x40 pty: ``enter`` on the post in the sidebar, timed to the last byte
  the program writes before it goes quiet; ``escape`` back to the list, and again. The
  baseline shows the same article, converted to Markdown, in a ``Markdown`` widget. The
  reader keeps the layouts of the articles it showed last, so its figure is the first opening
  of an article in a reader that has opened another (a reader of its own each run), and the
  openings again are a row apart.
- in-process: the reader's ``render_post`` plus laying the result out into lines at the
  article pane's width, against ``Markdown.update`` and a settled screen in a headless app.

Each timed opening's bytes are a figure of their own: drawn once, an opening costs about one
screen. After the last opening, ``j`` scrolls the article one line ten times in each app: the
bytes and screen rows each scroll costs.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.baseline_markdown import LISTED, READY, SHOWING, MarkdownArticle
from bench.context import Context, script
from bench.figures import Figure, median
from bench.markdown_of import markdown_of
from bench.startup import reader_argv, reader_is_full
from bench.terminal import KeyResponse, TimedPty, rows_touched

PANE_WIDTH = 74
"""The article pane's text width in a 120-column terminal: 120 less the sidebar (36%), the
scrollbar and a margin each side."""
ALLOWED_MS = 50.0
FASTER = 10.0
SCROLLS = 10
OPEN_BYTES_LIMIT = 13_000.0
"""1.2 screens: a 120x40 screen of the reader's article in 256 colours is about 11 KB."""
_QUIET = 1.0
"""Longer than elsewhere: the Markdown widget parses in a thread and mounts its blocks in
batches, with pauses of up to half a second between them on a busy machine. The screen is
checked after each opening, so a pause taken for the end would be caught."""
_ANSWER_WITHIN = 5.0
"""Seconds a key's first byte may take (on a busy machine, more than the quiet): every key
here changes the screen, so its answer is waited for before the next key is sent."""
_ESCAPE = "\x1b"
_BACKSPACE = "\x7f"
"""The baseline's way back to its list: a lone escape can be read together with the key
after it (alt+key) when the program is too busy to read it in time, as Textual's Markdown
widget is on a busy machine; the reader takes escape, as its users press it."""
_PANE_COLUMN = 44
"""Where the article pane starts in a 120-column terminal, in both apps."""


def _stored_post(data_dir: Path, url: str) -> object:
    from reader.core.store import Store

    store = Store.open_in(data_dir)
    try:
        post = store.find_post(url)
    finally:
        store.close()
    if post is None:
        raise RuntimeError(f"{url} is not in the store at {data_dir}")
    return post


def reader_in_process(post: object, repeats: int) -> list[float]:
    """Seconds for ``render_post`` plus laying out the lines, ``repeats`` times.

    The lines are made as the article view makes them: each block by ``lines_of``, which cuts
    paragraphs at Rich's own breaks from one render (``Console.render_lines`` of the whole
    article, Rich's way, takes about three times as long and is not what the reader does).
    """
    from rich.console import Console

    from reader.core.models import Post
    from reader.render.article import render_post
    from reader.render.styles import ArticleStyles
    from reader.render.wrapping import lines_of

    assert isinstance(post, Post)
    console = Console(
        file=io.StringIO(), width=120, force_terminal=True, color_system="256", legacy_windows=False
    )
    options = console.options.update(width=PANE_WIDTH, height=None, highlight=False)
    styles = ArticleStyles()
    times: list[float] = []
    for _ in range(repeats):
        started = time.perf_counter()
        article = render_post(post, styles)
        lines = sum(1 for block in article.renderables for _ in lines_of(console, block, options))
        times.append(time.perf_counter() - started)
        if not lines:
            raise RuntimeError("the article laid out into no lines")
    return times


def markdown_in_process(markdown: str, repeats: int) -> list[float]:
    """Seconds for ``Markdown.update`` until the headless app is idle, ``repeats`` times."""
    from textual.widgets import Markdown

    async def run() -> list[float]:
        app = MarkdownArticle([markdown])
        times: list[float] = []
        async with app.run_test(size=(120, 40)) as pilot:
            widget = app.query_one(Markdown)
            for _ in range(repeats):
                started = time.perf_counter()
                await widget.update(markdown)
                await pilot.pause()
                await pilot.wait_for_scheduled_animations()
                times.append(time.perf_counter() - started)
        return times

    return asyncio.run(run())


def _pane(screen: str) -> str:
    """The right-hand pane of a screen: the article, without the sidebar's titles."""
    return "\n".join(line[_PANE_COLUMN:] for line in screen.splitlines()[1:-2])


def _shows(screen: str, title: str) -> bool:
    return title[:30] in _pane(screen)


def _opened(title: str) -> Callable[[str], bool]:
    """The article pane shows ``title`` and is filled down to its last rows."""

    def ready(screen: str) -> bool:
        pane = _pane(screen).splitlines()
        return _shows(screen, title) and any(line.strip() for line in pane[-3:])

    return ready


Ready = Callable[[str], Callable[[str], bool]]
"""Given a title, a test of the screen: has the key that leads to it been answered?"""


@dataclass(frozen=True)
class _Keys:
    """How one of the apps is driven between openings."""

    opened: Ready
    """The article with this title is all shown."""
    opened_any: Callable[[str], bool]
    """Some article is all shown."""
    back: str = _ESCAPE
    """The key back to the list."""
    listed: Ready | None = None
    """The list has the keys, its cursor on this title; None: no sign of it (quiet will do)."""

    def step(self, app: TimedPty, key: str, title: str) -> None:
        """Press a key that moves in or to the list, and wait for its answer."""
        if self.listed is None:
            app.press(key, quiet=_QUIET, answer_within=_ANSWER_WITHIN)
        else:
            app.press_until(key, self.listed(title), quiet=_QUIET, timeout=30)


def _any_article(screen: str) -> bool:
    """The article pane shows something down to its last rows: an article, not the welcome."""
    pane = _pane(screen).splitlines()
    return bool(_shown_title(screen)) and any(line.strip() for line in pane[-3:])


def _markdown_any(screen: str) -> bool:
    """The baseline says it has shown an article."""
    return _any_article(screen) and any(SHOWING in line for line in screen.splitlines()[-2:-1])


def _markdown_listed(title: str) -> Callable[[str], bool]:
    """The baseline's status line says its list has the keys, on ``title``."""

    def ready(screen: str) -> bool:
        status = screen.splitlines()[-2:-1]
        return any(f"{LISTED} {title[:20]}" in line for line in status)

    return ready


def _markdown_opened(title: str) -> Callable[[str], bool]:
    """As :func:`_opened`, and the baseline's status line says its update has finished."""
    pane_ready = _opened(title)

    def ready(screen: str) -> bool:
        status = screen.splitlines()[-2:-1]
        return pane_ready(screen) and any(f"{SHOWING} {title[:20]}" in line for line in status)

    return ready


def _check_shown(app: TimedPty, title: str) -> None:
    if not _shows(app.screen_text(), title):
        raise RuntimeError(f"{title!r} is not in the article pane:\n{app.screen_text()}")


def _sidebar_row(screen: str, title: str) -> int | None:
    """The screen row where the sidebar lists ``title`` (cut to the sidebar's width)."""
    for row, line in enumerate(screen.splitlines()):
        shown = line[:_PANE_COLUMN].rstrip(" ▕▁▃▄▅▆▇█").lstrip("├└│ ●○✓★")
        if len(shown) >= 12 and title.startswith(shown.strip()):
            return row
    return None


def _shown_title(screen: str) -> str:
    """The first line of the article pane: the open article's title."""
    return next((line.strip() for line in _pane(screen).splitlines() if line.strip()), "")


def _open_first(app: TimedPty, titles: list[str], keys: _Keys) -> KeyResponse:
    """Open ``titles[0]`` from the sidebar, wherever the reader puts the cursor at start.

    ``enter`` opens the post under the cursor; when that is another post, the distance
    between the two in the sidebar says how far to move. The answer to the ``enter`` that
    opened it is returned (the first opening of a long article).
    """
    title = titles[0]
    for _ in range(4):
        before, sent = app.received, time.monotonic()
        # Until whatever opens is all shown: on a busy machine the baseline draws in stages
        # with pauses longer than quiet, and a key sent meanwhile would be early. No article
        # at all (the cursor was on a group's line, say) is a timeout.
        with contextlib.suppress(TimeoutError):
            app.press_until("\r", keys.opened_any, quiet=_QUIET, timeout=20)
        screen = app.screen_text()
        if keys.opened(title)(screen):
            answer = bytes(app.output[before:])
            return KeyResponse("\r", len(answer), app.last_arrival - sent, rows_touched(answer))
        shown = _shown_title(screen)
        here, there = _sidebar_row(screen, shown), _sidebar_row(screen, title)
        app.press(keys.back, quiet=_QUIET, answer_within=_ANSWER_WITHIN)
        # Not a post (a group line, say): one step down and try again.
        steps = 1 if here is None or there is None else there - here
        for _ in range(abs(steps)):
            app.press("j" if steps > 0 else "k", quiet=0.15, answer_within=_ANSWER_WITHIN)
    raise RuntimeError(f"{title!r} could not be opened from the sidebar:\n{app.screen_text()}")


def _open_alternately(
    app: TimedPty, titles: list[str], runs: int, keys: _Keys
) -> tuple[KeyResponse, list[KeyResponse], list[KeyResponse]]:
    """Open the first article, then the other and back ``runs`` times; then scroll.

    Returns the first opening, the timed ones, and the one-line scrolls. Each timed opening
    replaces one long article with the other (they are neighbours in the sidebar), so the
    whole pane really is drawn anew. The other article's first opening is not timed: every
    timed one is an article opened again (a first opening is the row above, timed apart).
    """
    first = _open_first(app, titles, keys)
    timed: list[KeyResponse] = []
    for run in range(runs + 1):
        shown, title = titles[run % 2], titles[(run + 1) % 2]
        keys.step(app, keys.back, shown)
        keys.step(app, "j" if run % 2 == 0 else "k", title)
        try:
            answer = app.press_until("\r", keys.opened(title), quiet=_QUIET, timeout=30)
        except TimeoutError:
            _check_shown(app, title)  # says which article the pane shows instead
            raise
        if run:
            timed.append(answer)
    scrolls = [app.press("j", quiet=0.15, answer_within=_ANSWER_WITHIN) for _ in range(SCROLLS)]
    return first, timed, scrolls


def _first_openings(
    ctx: Context, argv: list[str], titles: list[str], keys: _Keys
) -> list[KeyResponse]:
    """Each run in a reader of its own: open one long article, then time the first opening
    of the other.

    The reader keeps the layouts of the articles it showed last, so in one session only the
    first opening of each article lays it out; a new article, which is what a reader mostly
    opens, is timed here, in a reader already warmed by one opening.
    """
    timed: list[KeyResponse] = []
    for run in range(ctx.runs):
        shown, title = titles[run % 2], titles[(run + 1) % 2]
        with TimedPty(argv, env=ctx.pty_env) as app:
            app.time_until(reader_is_full, timeout=120)
            app.drain()
            _open_first(app, [shown, title], keys)
            keys.step(app, keys.back, shown)
            keys.step(app, "j" if run % 2 == 0 else "k", title)
            try:
                timed.append(app.press_until("\r", keys.opened(title), quiet=_QUIET, timeout=30))
            except TimeoutError:
                _check_shown(app, title)
                raise
    return timed


def _latencies(responses: list[KeyResponse]) -> list[float]:
    return [r.latency for r in responses if r.latency is not None]


def article_figures(ctx: Context, url: str, data_dir: Path, post_urls: list[str]) -> list[Figure]:
    """The key-to-article figures and the one-line scroll figures, on two long posts."""
    from reader.core.models import Post

    posts = [_stored_post(data_dir, post_url) for post_url in post_urls[:2]]
    assert all(isinstance(post, Post) for post in posts)
    titles = [post.title for post in posts]  # type: ignore[attr-defined]
    folder = ctx.fresh_dir("markdown")
    files: list[str] = []
    markdowns: list[str] = []
    for index, post in enumerate(posts):
        assert isinstance(post, Post)
        markdown = f"# {post.title}\n\n" + markdown_of(post.content)
        markdowns.append(markdown)
        path = folder / f"article-{index}.md"
        path.write_text(markdown, encoding="utf-8")
        files.append(str(path))
    first = posts[0]
    assert isinstance(first, Post)
    size = len(first.content.encode())
    ctx.say(f"  article: {size:,} bytes of HTML, {len(markdowns[0].encode()):,} bytes of Markdown")

    ours_in = reader_in_process(first, max(10, 2 * ctx.runs))
    theirs_in = markdown_in_process(markdowns[0], ctx.runs)
    ctx.say(
        f"  in-process: reader {median(ours_in) or 0:.4f} s, "
        f"Markdown {median(theirs_in) or 0:.4f} s"
    )

    data = ctx.copy_of(data_dir, "article")
    with TimedPty(reader_argv(url, data), env=ctx.pty_env) as app:
        app.time_until(reader_is_full, timeout=120)
        first_screen = app.received
        app.drain()
        reader_keys = _Keys(_opened, _any_article)
        ours_first, ours, our_scrolls = _open_alternately(app, titles, ctx.runs, reader_keys)
    ours_new = _first_openings(ctx, reader_argv(url, data), titles, reader_keys)
    # The emulated terminal is xterm-like; tmux, xterm.js, VTE and kitty have no left and
    # right margins, so the pane beside the sidebar cannot be scrolled by the terminal there.
    with TimedPty(reader_argv(url, data), env=ctx.pty_env, left_right_margins=False) as app:
        app.time_until(reader_is_full, timeout=120)
        app.drain()
        _open_first(app, titles, reader_keys)
        plain_scrolls = [
            app.press("j", quiet=0.15, answer_within=_ANSWER_WITHIN) for _ in range(SCROLLS)
        ]
    with TimedPty([sys.executable, script("baseline_markdown.py"), *files], env=ctx.pty_env) as app:
        app.time_until(lambda screen: READY in screen, timeout=120)
        app.drain()
        markdown_keys = _Keys(_markdown_opened, _markdown_any, _BACKSPACE, _markdown_listed)
        theirs_first, theirs, their_scrolls = _open_alternately(
            app, titles, ctx.runs, markdown_keys
        )
    ctx.say(
        f"  key to article: reader {median(_latencies(ours_new)) or 0:.4f} s "
        f"(opened again: {median(_latencies(ours)) or 0:.4f} s), "
        f"Markdown {median(_latencies(theirs)) or 0:.4f} s"
    )

    figures = [
        _article_figure(
            "key_to_article_pty",
            "key to article fully shown, 50 KB (pty)",
            _latencies(ours_new),
            _latencies(theirs),
            note="an article not opened before, in a reader that has opened one; first "
            f"opening at start: reader {_ms(ours_first)}, Markdown {_ms(theirs_first)}; "
            f"article {size:,} B of HTML",
        ),
        _article_figure(
            "key_to_article_again_pty",
            "the same, an article opened again (its layout kept)",
            _latencies(ours),
            _latencies(theirs),
            note="the two long articles in turn in one reader; Markdown shows each anew",
        ),
        _article_figure(
            "key_to_article_in_process",
            "render + layout of the 50 KB article (in-process)",
            ours_in,
            theirs_in,
            note="reader: render_post + the article view's lines_of; baseline: "
            "Markdown.update until the headless app is idle",
        ),
    ]
    figures.append(_open_bytes_figure(ours, theirs, first_screen))
    figures.extend(_scroll_figures(our_scrolls, their_scrolls, plain_scrolls))
    return figures


def _open_bytes_figure(
    ours: list[KeyResponse], theirs: list[KeyResponse], first_screen: int
) -> Figure:
    """Bytes written for one opening: a pane drawn once costs about one screen."""
    sizes = [float(r.bytes) for r in ours]
    figure = Figure(
        key="article_open_bytes",
        name="bytes to open an article, 120x40",
        unit="B",
        reader=median(sizes),
        baseline=median([float(r.bytes) for r in theirs]),
        baseline_name="Textual's Markdown widget, same article as Markdown",
        target=f"<= 1.2 screens ({OPEN_BYTES_LIMIT / 1000:g} KB)",
        note=f"rows drawn on: {median([float(r.rows) for r in ours])}; the reader's whole "
        f"first screen at start-up took {first_screen:,} B",
        samples={"reader": sizes, "baseline": [float(r.bytes) for r in theirs]},
    )
    if figure.reader is not None:
        figure.met = figure.reader <= OPEN_BYTES_LIMIT
    return figure


def _ms(response: KeyResponse) -> str:
    return "—" if response.latency is None else f"{response.latency * 1000:.0f} ms"


def _article_figure(
    key: str, name: str, ours: list[float], theirs: list[float], note: str
) -> Figure:
    ours_ms = [value * 1000 for value in ours]
    theirs_ms = [value * 1000 for value in theirs]
    figure = Figure(
        key=key,
        name=name,
        unit="ms",
        reader=median(ours_ms),
        baseline=median(theirs_ms),
        baseline_name="Textual's Markdown widget, same article as Markdown",
        target=f"<= {ALLOWED_MS:g} ms and >= {FASTER:g}x faster",
        note=note,
        samples={"reader": ours_ms, "baseline": theirs_ms},
    )
    ratio = figure.ratio
    if figure.reader is not None and ratio is not None:
        figure.met = figure.reader <= ALLOWED_MS and ratio <= 1 / FASTER
    return figure


def _scroll_figures(
    ours: list[KeyResponse], theirs: list[KeyResponse], plain: list[KeyResponse]
) -> list[Figure]:
    """Rows and bytes per one-line scroll; ``plain`` is the reader on a terminal without left
    and right margins (the notes)."""
    plain_rows = median([float(r.rows) for r in plain])
    plain_bytes = median([float(r.bytes) for r in plain])
    rows = Figure(
        key="article_scroll_rows",
        name="rows redrawn per one-line article scroll",
        unit="rows",
        reader=median([float(r.rows) for r in ours]),
        baseline=median([float(r.rows) for r in theirs]),
        baseline_name="Textual's Markdown widget in a VerticalScroll",
        target="about one line (<= 2 rows)",
        note=f"on a terminal without left and right margins (tmux, xterm.js): {plain_rows} rows",
        samples={
            "reader": [float(r.rows) for r in ours],
            "baseline": [float(r.rows) for r in theirs],
            "no_side_margins": [float(r.rows) for r in plain],
        },
    )
    if rows.reader is not None:
        rows.met = rows.reader <= 2
    size = Figure(
        key="article_scroll_bytes",
        name="bytes per one-line article scroll",
        unit="B",
        reader=median([float(r.bytes) for r in ours]),
        baseline=median([float(r.bytes) for r in theirs]),
        baseline_name="Textual's Markdown widget in a VerticalScroll",
        target="(see rows)",
        note=f"on a terminal without left and right margins: {plain_bytes} B",
        samples={
            "reader": [float(r.bytes) for r in ours],
            "baseline": [float(r.bytes) for r in theirs],
            "no_side_margins": [float(r.bytes) for r in plain],
        },
    )
    return [rows, size]
