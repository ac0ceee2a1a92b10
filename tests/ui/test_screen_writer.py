"""The screen writer leaves the terminal cell for cell as Textual's own writing would.

Frames of a made-up screen (columns cut into panes as Textual's compositor cuts them, lines
of wide characters, combining marks, links and colours) go to two emulated terminals: one
gets what Textual writes for each update, the other what the writer makes of it. After every
frame the two screens must match in every cell's character, colours and attributes, whether
the terminal has left and right margins or not, and however the panes scroll.
"""

from __future__ import annotations

import io
import random
import re
from itertools import pairwise

import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.geometry import Region
from textual.strip import Strip

from reader.ui.screen_writer import ScreenWriter
from tests.support.pty_screen import TerminalScreen

WIDTH, HEIGHT = 60, 16
CUTS = (0, 18, 19, 59, 60)
"""Panes as the compositor cuts them: a list, a border, an article, its scrollbar."""
ARTICLE = Region(19, 1, 40, 14)
STYLES = (
    None,
    Style(color="red"),
    Style(color="color(245)", bgcolor="color(235)"),
    Style(bold=True, bgcolor="blue"),
    Style(italic=True, underline=True, color="green"),
    Style(reverse=True),
    Style(link="http://example.com/a", underline=True, color="color(111)"),
    Style(link="http://example.com/b", bgcolor="color(235)"),
    Style(strike=True, dim=True),
)
WORDS = ("cells", "stem", "界", "あい", "café", "cafe\u0301", "x", "—", "  ", "Kidney")

Line = list[Segment]


def _console() -> Console:
    return Console(
        file=io.StringIO(),
        width=WIDTH,
        force_terminal=True,
        color_system="256",
        legacy_windows=False,
    )


def _piece(rng: random.Random, width: int) -> Strip:
    """A strip of exactly ``width`` cells of random words in random looks."""
    segments: list[Segment] = []
    used = 0
    while used < width:
        word = rng.choice(WORDS) + " "
        segments.append(Segment(word, rng.choice(STYLES)))
        used += Strip([segments[-1]]).cell_length
    return Strip(segments).crop(0, width).extend_cell_length(width)


def _screen(rng: random.Random) -> list[list[Strip]]:
    return [[_piece(rng, end - start) for start, end in pairwise(CUTS)] for _ in range(HEIGHT)]


def _chops(screen: list[list[Strip]], spans: list[tuple[int, int, int]]) -> ChopsUpdate:
    dirty = {y for y, _, _ in spans}
    chops = [
        {start: (line[i] if y in dirty else None) for i, start in enumerate(CUTS[:-1])}
        for y, line in enumerate(screen)
    ]
    ends = [list(CUTS[1:]) for _ in screen]
    return ChopsUpdate(chops, spans, ends)  # type: ignore[arg-type]


def _cells(terminal: TerminalScreen) -> list[list[tuple[object, ...]]]:
    return terminal.cells()


def _scrolled(rng: random.Random, screen: list[list[Strip]], shift: int) -> list[list[Strip]]:
    """The article pane's lines moved up by ``shift`` (down when negative), new ones exposed."""
    moved = [line.copy() for line in screen]
    top, bottom = ARTICLE.y, ARTICLE.bottom
    for y in range(top, bottom):
        source = y + shift
        moved[y][2] = screen[source][2] if top <= source < bottom else _piece(rng, 40)
    # The scrollbar's thumb moves now and then.
    for y in rng.sample(range(top, bottom), 2):
        moved[y][3] = _piece(rng, 1)
    return moved


@pytest.mark.parametrize(("margins", "repeat"), [(2, False), (0, False), (2, True), (0, True)])
def test_frames_leave_the_same_screen_as_textuals_own(margins: int, repeat: bool) -> None:
    rng = random.Random(17 + margins)
    console = _console()
    theirs = TerminalScreen(WIDTH, HEIGHT)
    ours = TerminalScreen(WIDTH, HEIGHT, left_right_margins=bool(margins))
    writer = ScreenWriter(left_right_margins=margins, repeat=repeat)
    writer.forget(WIDTH, HEIGHT)
    screen = _screen(rng)
    first = LayoutUpdate([list(line) for line in screen], Region(0, 0, WIDTH, HEIGHT))
    scrolled = 0
    for step in range(200):
        if step == 0:
            update: LayoutUpdate | ChopsUpdate = first
        elif step % 3 == 0:
            shift = rng.choice((1, 1, 1, -1, 2, -3, 13))
            screen = _scrolled(rng, screen, shift)
            spans = [(y, ARTICLE.x, ARTICLE.right + 1) for y in range(ARTICLE.y, ARTICLE.bottom)]
            update = _chops(screen, spans)
        else:
            # A few lines of some pane change, or are repainted unchanged.
            start, end = rng.choice(list(pairwise(CUTS)))
            rows = rng.sample(range(HEIGHT), rng.randint(1, 4))
            for y in rows:
                if rng.random() < 0.7:
                    screen[y][CUTS.index(start)] = _piece(rng, end - start)
            update = _chops(screen, [(y, start, end) for y in sorted(rows)])
        theirs.feed(update.render_segments(console).encode())
        frame = writer.frame(update, console._color_system, lambda: [ARTICLE])
        assert frame is not None
        written = frame.render_segments(console)
        scrolled += "S\x1b[r" in written or "T\x1b[r" in written
        ours.feed(written.encode())
        assert _cells(ours) == _cells(theirs), f"the screens differ after frame {step}"
    # The terminal did the scrolling whenever it could: within margins, or not at all.
    assert scrolled >= (40 if margins else 0)
    if not margins:
        assert scrolled == 0


def test_an_unchanged_repaint_writes_nothing() -> None:
    rng = random.Random(3)
    console = _console()
    writer = ScreenWriter()
    writer.forget(WIDTH, HEIGHT)
    screen = _screen(rng)
    writer.frame(
        LayoutUpdate([list(line) for line in screen], Region(0, 0, WIDTH, HEIGHT)),
        console._color_system,
    )
    again = _chops(screen, [(y, 0, WIDTH) for y in range(HEIGHT)])
    frame = writer.frame(again, console._color_system)
    assert frame is not None and frame.render_segments(console) == ""


def test_a_one_line_scroll_draws_one_line() -> None:
    rng = random.Random(5)
    console = _console()
    writer = ScreenWriter(left_right_margins=2)
    writer.forget(WIDTH, HEIGHT)
    screen = _screen(rng)
    writer.frame(
        LayoutUpdate([list(line) for line in screen], Region(0, 0, WIDTH, HEIGHT)),
        console._color_system,
    )
    moved = [line.copy() for line in screen]
    for y in range(ARTICLE.y, ARTICLE.bottom):
        moved[y][2] = screen[y + 1][2] if y + 1 < ARTICLE.bottom else _piece(rng, 40)
    spans = [(y, ARTICLE.x, ARTICLE.right) for y in range(ARTICLE.y, ARTICLE.bottom)]
    frame = writer.frame(_chops(moved, spans), console._color_system, lambda: [ARTICLE])
    assert frame is not None
    written = frame.render_segments(console)
    assert written.startswith("\x1b[?69h\x1b[20;59s\x1b[2;15r\x1b[1S\x1b[r\x1b[?69l")
    assert written.count("H") == 1, "only the line that came into view is drawn"


@pytest.mark.parametrize("margins", [0, 1, 2])
def test_the_restore_codes_clear_every_margin(margins: int) -> None:
    # A reader stopped half-way through a scroll (by a signal, say) leaves margins set.
    terminal = TerminalScreen(WIDTH, HEIGHT)
    terminal.feed(b"\x1b[?69h\x1b[20;59s\x1b[2;15r" if margins else b"\x1b[2;15r")
    terminal.feed(ScreenWriter(left_right_margins=margins).restore_codes().encode())
    screen = terminal.screen
    assert screen.margins is None
    assert screen.side_margins is None or screen.side_margins == (0, WIDTH - 1)
    if margins == 2:
        assert (69 << 5) not in screen.mode


def _written(
    *segments: Segment, repeat: bool = False, repeat_ascii: bool = False
) -> tuple[str, list[list[tuple[object, ...]]]]:
    """What the writer sends for one line of ``segments``, and the screen it leaves (on a
    terminal whose REP repeats ASCII only, as tmux's does, when ``repeat_ascii``)."""
    console = _console()
    writer = ScreenWriter(repeat=repeat, repeat_ascii=repeat_ascii)
    writer.forget(WIDTH, HEIGHT)
    line = Strip(list(segments)).extend_cell_length(WIDTH)
    frame = writer.frame(
        LayoutUpdate([[line] for _ in range(HEIGHT)], Region(0, 0, WIDTH, HEIGHT)),
        console._color_system,
    )
    assert frame is not None
    written = frame.render_segments(console)
    terminal = TerminalScreen(WIDTH, HEIGHT, repeat="ascii" if repeat_ascii else True)
    terminal.feed(written.encode())
    return written, _cells(terminal)


def test_a_blank_keeps_the_foreground_it_does_not_show() -> None:
    # A picture's spaces of a background between half blocks: their foreground (the view's
    # text colour) is invisible, so the half block's stays and the next one needs no code.
    picture = (
        Segment("▀", Style(color="color(65)", bgcolor="color(107)")),
        Segment(" ", Style(color="color(254)", bgcolor="color(71)")),
        Segment("▀", Style(color="color(65)", bgcolor="color(71)")),
    )
    written, screen = _written(*picture)
    first = written.split("\x1b[2;1H")[0]
    assert "38;5;254" not in first
    assert first.count("38;5;65") == 1
    assert [cell[0] for cell in screen[0][:3]] == ["▀", " ", "▀"]
    assert [cell[2] for cell in screen[0][:3]] == ["87af5f", "5faf5f", "5faf5f"]


@pytest.mark.parametrize("shown", [{"underline": True}, {"reverse": True}, {"strike": True}])
def test_a_blank_that_shows_its_foreground_gets_it(shown: dict[str, bool]) -> None:
    written, screen = _written(
        Segment("▀", Style(color="color(65)", bgcolor="color(107)")),
        Segment(" ", Style(color="color(254)", bgcolor="color(71)", **shown)),  # type: ignore[arg-type]
    )
    assert "38;5;254" in written.split("\x1b[2;1H")[0]
    assert screen[0][1][1] == "e4e4e4"


def test_runs_of_one_character_are_sent_as_rep_where_the_terminal_has_it() -> None:
    # A picture's row: a stretch of one colour as spaces, half blocks of one pair of colours,
    # and a wide character, which is never repeated (REP would fill one cell a time).
    line = (
        Segment(" " * 20, Style(bgcolor="color(22)")),
        Segment("▀" * 4, Style(color="color(65)", bgcolor="color(107)")),
        Segment("界界界", Style(bgcolor="color(22)")),
        Segment("ab  c", Style(bgcolor="color(22)")),
    )
    plain, plain_screen = _written(*line)
    repeated, screen = _written(*line, repeat=True)
    first = repeated.split("\x1b[2;1H")[0]
    assert " \x1b[19b" in first
    assert "▀\x1b[3b" in first
    assert "界界界" in first and "ab  c" in first
    assert screen == plain_screen
    assert len(repeated.encode()) < len(plain.encode())
    assert not re.search(r"\x1b\[\d+b", plain)


def test_where_rep_repeats_ascii_only_no_other_run_is_sent_as_rep() -> None:
    # tmux 3.3: "─" or "▀" and REP left one cell and blanks (a dialog's border, a picture).
    line = (
        Segment(" " * 20, Style(bgcolor="color(22)")),
        Segment("▀" * 4, Style(color="color(65)", bgcolor="color(107)")),
        Segment("─" * 10, Style(bgcolor="color(22)")),
    )
    _, plain_screen = _written(*line)
    repeated, screen = _written(*line, repeat_ascii=True)
    first = repeated.split("\x1b[2;1H")[0]
    assert " \x1b[19b" in first
    assert "▀▀▀▀" in first and "─" * 10 in first
    assert screen == plain_screen


def test_a_short_run_is_sent_as_it_is() -> None:
    # REP costs four bytes or more: five spaces are cheaper sent as spaces.
    written, _ = _written(Segment("     x", Style(bgcolor="color(22)")), repeat=True)
    assert "     x" in written
