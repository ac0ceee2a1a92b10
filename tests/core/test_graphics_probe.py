"""Asking the terminal how it draws pictures: the replies read, the choice made, a real pty."""

from __future__ import annotations

import os
import pty
import select
import threading
import time

import pytest

from reader.core.graphics_probe import (
    DA1_QUERY,
    KITTY_QUERY,
    MARGINS_QUERIES,
    MARGINS_QUERY,
    QUERIES,
    REPEAT_QUERY,
    Drawing,
    TerminalAnswers,
    ask,
    choose,
    parse_answers,
    probe,
    probe_timeout,
    queries_for,
    should_probe,
)
from tests.support.pty_screen import TerminalScreen

KITTY = "\x1b_Gi=31;OK\x1b\\\x1bP>|kitty(0.35.2)\x1b\\\x1b[6;20;10t\x1b[?62;c"
WEZTERM = (
    "\x1b_Gi=31;OK\x1b\\\x1bP>|WezTerm 20240203\x1b\\"
    "\x1b]1337;ReportCellSize=17.0;8.0;2.0\x1b\\\x1b[?65;4;6;18;22c"
)
ITERM2 = "\x1bP>|iTerm2 3.5.0\x1b\\\x1b]1337;ReportCellSize=16.0;7.0;2.0\x07\x1b[?62;4c"
FOOT = "\x1bP>|foot(1.16.2)\x1b\\\x1b[6;17;8t\x1b[?62;4;22c"
XTERM = "\x1bP>|XTerm(390)\x1b\\\x1b[6;15;9t\x1b[?64;1;2;6;9;15;16;17;18;21;22;28c"
TMUX = "\x1bP>|tmux 3.4\x1b\\\x1b[?1;2;4c"
KITTY_REFUSES = "\x1b_Gi=31;ENOTSUPPORTED:no\x1b\\\x1bP>|kitty(0.35.2)\x1b\\\x1b[?62;c"


def test_the_da1_query_goes_last_so_its_reply_ends_the_wait() -> None:
    assert QUERIES.startswith(KITTY_QUERY)
    assert QUERIES.endswith(DA1_QUERY)
    assert MARGINS_QUERIES.endswith(DA1_QUERY)


def test_a_multiplexer_is_asked_only_how_to_write_the_screen() -> None:
    # tmux and screen answer for themselves: their word on pictures says nothing of the
    # terminal outside, but they are what reads the output (REP, side margins).
    for environ in ({"TMUX": "/tmp/tmux-0/default,1,0"}, {"TERM": "tmux-256color"}):
        assert queries_for("auto", environ) == MARGINS_QUERIES
    assert REPEAT_QUERY in MARGINS_QUERIES and KITTY_QUERY not in MARGINS_QUERIES


def test_pictures_are_asked_about_only_when_they_may_use_a_protocol() -> None:
    assert queries_for("auto", {}) == QUERIES
    # Otherwise only the margins: a terminal that does not know a picture query may show it.
    for setting, environ in (("blocks", {}), ("off", {}), ("auto", {"NO_COLOR": "1"})):
        assert queries_for(setting, environ) == MARGINS_QUERIES
        assert MARGINS_QUERY in MARGINS_QUERIES and KITTY_QUERY not in MARGINS_QUERIES


@pytest.mark.parametrize(
    ("reply", "margins"),
    [
        ("\x1b[?69;2$y\x1b[?64;1c", 2),  # xterm: has them, off
        ("\x1b[?69;1$y\x1b[?64;1c", 1),
        ("\x1b[?69;3$y\x1b[?64;1c", 3),
        ("\x1b[?69;0$y\x1b[?62;c", 0),  # not recognised (xterm.js, kitty)
        ("\x1b[?69;4$y\x1b[?62;c", 0),  # permanently off
        ("\x1b[?1;2;4c", 0),  # no answer at all (tmux, pyte)
    ],
)
def test_left_and_right_margins_are_what_decrqm_says(reply: str, margins: int) -> None:
    assert parse_answers(reply).left_right_margins == margins


@pytest.mark.parametrize(
    ("reply", "repeat", "ascii"),
    [
        ("\x1b[12;4R\x1b[12;4R\x1b[?64;1c", True, True),  # both repeated twice: REP works
        ("\x1b[12;4R\x1b[12;2R\x1b[?64;1c", False, True),  # the space only (tmux 3.3)
        ("\x1b[12;2R\x1b[12;2R\x1b[?64;1c", False, False),  # REP ignored
        ("\x1b[12;4R\x1b[?64;1c", False, True),  # the second position not reported
        ("\x1b[?64;1c", False, False),  # no position reported
    ],
)
def test_rep_is_had_when_the_cursor_moved_as_it_repeats(
    reply: str, repeat: bool, ascii: bool
) -> None:
    answers = parse_answers(reply)
    assert answers.repeat is repeat and answers.repeat_ascii is ascii


def test_rep_is_tried_by_writing_and_the_line_is_erased_after() -> None:
    assert REPEAT_QUERY in QUERIES and REPEAT_QUERY in MARGINS_QUERIES
    screen = TerminalScreen(20, 3)
    screen.feed(b"\x1b[2;1H" + REPEAT_QUERY.encode())
    assert screen.screen.cursor.x == 0 and screen.text().strip() == ""
    answers: list[bytes] = []
    TerminalScreen(20, 3, answer=answers.append).feed(REPEAT_QUERY.encode())
    assert parse_answers(b"".join(answers).decode()).repeat
    answers.clear()
    TerminalScreen(20, 3, answer=answers.append, repeat=False).feed(REPEAT_QUERY.encode())
    assert not parse_answers(b"".join(answers).decode()).repeat_ascii
    answers.clear()
    TerminalScreen(20, 3, answer=answers.append, repeat="ascii").feed(REPEAT_QUERY.encode())
    tmux_like = parse_answers(b"".join(answers).decode())
    assert tmux_like.repeat_ascii and not tmux_like.repeat


@pytest.mark.parametrize(
    ("reply", "drawing"),
    [
        (KITTY, Drawing.KITTY),
        (WEZTERM, Drawing.ITERM2),
        (ITERM2, Drawing.ITERM2),
        (FOOT, Drawing.SIXEL),
        (XTERM, Drawing.BLOCKS),
        (TMUX, Drawing.BLOCKS),
        (KITTY_REFUSES, Drawing.BLOCKS),
        ("", Drawing.BLOCKS),
        ("garbage\x1b[?62", Drawing.BLOCKS),
    ],
)
def test_auto_picks_what_the_terminal_answered_for(reply: str, drawing: Drawing) -> None:
    assert choose("auto", parse_answers(reply), {}) is drawing


def test_the_replies_are_read_whatever_their_order() -> None:
    answers = parse_answers("x\x1b[?62;4;22cy\x1b[6;17;8t\x1bP>|foot(1.16.2)\x1b\\")
    assert answers == TerminalAnswers(
        answered=True, sixel=True, name="foot(1.16.2)", cell_pixels=(8, 17)
    )
    assert parse_answers(WEZTERM).cell_pixels == (16, 34)
    assert parse_answers(KITTY).kitty


def test_the_setting_and_the_environment_win() -> None:
    answers = parse_answers(KITTY)
    assert choose("off", answers, {}) is Drawing.OFF
    assert choose("blocks", answers, {}) is Drawing.BLOCKS
    assert choose("auto", answers, {"NO_COLOR": "1"}) is Drawing.OFF
    assert choose("auto", answers, {"TMUX": "/tmp/tmux-0/default,1,0"}) is Drawing.BLOCKS
    assert choose("auto", None, {}) is Drawing.BLOCKS


def test_a_terminal_name_with_controls_is_cleaned() -> None:
    assert parse_answers("\x1bP>|evil\x07name\x1b\\\x1b[?1c").name == "evilname"


def test_there_is_no_asking_without_a_terminal() -> None:
    read_end, write_end = os.pipe()
    try:
        assert not should_probe({"TERM": "xterm-kitty"}, read_end, write_end)
    finally:
        os.close(read_end)
        os.close(write_end)
    main, child = pty.openpty()
    try:
        assert should_probe({"TERM": "xterm-kitty"}, child, child)
        # A multiplexer is asked too, only how to write the screen (see below).
        assert should_probe({"TERM": "xterm", "TMUX": "x"}, child, child)
        assert should_probe({"TERM": "screen-256color"}, child, child)
        assert not should_probe({"TERM": "dumb"}, child, child)
    finally:
        os.close(main)
        os.close(child)


def _terminal(main: int, reply: str, asked: list[bytes], after: float = 0.0) -> None:
    """Play a terminal: read the queries up to DA1, then answer (``after`` seconds later, as
    over a slow link)."""
    seen = b""
    while not seen.endswith(DA1_QUERY.encode()):
        chunk = os.read(main, 1024)
        if not chunk:
            return
        seen += chunk
    asked.append(seen)
    time.sleep(after)  # the link's delay, not a wait for something
    os.write(main, reply.encode())


def test_probe_asks_a_real_pty_and_reads_the_reply() -> None:
    main, child = pty.openpty()
    asked: list[bytes] = []
    player = threading.Thread(target=_terminal, args=(main, KITTY, asked), daemon=True)
    player.start()
    try:
        answers = probe(child, child, timeout=5.0)
        player.join(5.0)
    finally:
        os.close(main)
        os.close(child)
    assert asked == [QUERIES.encode()]
    assert answers.kitty
    assert answers.name == "kitty(0.35.2)"
    assert answers.cell_pixels == (10, 20)


def test_probe_gives_up_on_a_silent_terminal_and_restores_its_mode() -> None:
    import termios

    main, child = pty.openpty()
    try:
        before = termios.tcgetattr(child)
        answers = probe(child, child, timeout=0.2)
        after = termios.tcgetattr(child)
    finally:
        os.close(main)
        os.close(child)
    assert answers == TerminalAnswers()
    assert before == after


def test_over_ssh_the_probe_waits_for_answers_a_slow_link_brings_late() -> None:
    # Answered 1.5 s after asking: after the local wait (they would reach Textual as keys),
    # within the remote one.
    remote = {"SSH_CONNECTION": "192.0.2.7 50122 192.0.2.1 22"}
    assert probe_timeout({}) < 1.5 < probe_timeout(remote)
    main, child = pty.openpty()
    asked: list[bytes] = []
    player = threading.Thread(target=_terminal, args=(main, KITTY, asked, 1.5), daemon=True)
    player.start()
    try:
        answers = probe(child, child, timeout=probe_timeout(remote))
        player.join(5.0)
    finally:
        os.close(main)
        os.close(child)
    assert answers.answered and answers.kitty


def test_answers_that_arrived_while_the_reader_imported_are_read_after_the_wait() -> None:
    # The reader asks, imports its UI (longer than the wait, on a busy machine), then reads:
    # answers already there must still be read, or they would reach Textual as key presses.
    import termios

    main, child = pty.openpty()
    asked: list[bytes] = []
    player = threading.Thread(target=_terminal, args=(main, KITTY, asked), daemon=True)
    try:
        before = termios.tcgetattr(child)
        pending = ask(child, child, timeout=0.0)
        player.start()
        player.join(5.0)
        select.select([child], [], [], 5.0)  # until the answer can be read
        meanwhile = termios.tcgetattr(child)
        answers = pending.answers()
        after = termios.tcgetattr(child)
    finally:
        os.close(main)
        os.close(child)
    assert asked == [QUERIES.encode()]
    assert answers.kitty and answers.cell_pixels == (10, 20)
    assert meanwhile != before, "raw while the answers are pending"
    assert after == before
