"""Reading the command line: starting the reader skips the commands' parsers, and means the same."""

from __future__ import annotations

import pytest

from reader.cli import _starts_the_reader, build_parser, parse_command_line

_STARTS = [
    [],
    ["--no-refresh"],
    ["--site", "http://127.0.0.1:8000/", "--data-dir", "/tmp/x", "--no-refresh"],
    ["--feed", "feed.xml", "--debug"],
    ["--feed=list", "--data-dir=show"],
    ["--data-dir", "list"],
    ["--demo"],
]


@pytest.mark.parametrize("words", _STARTS)
def test_starting_the_reader_reads_as_the_whole_command_line(words: list[str]) -> None:
    assert _starts_the_reader(words)
    assert vars(parse_command_line(words)) == vars(build_parser().parse_args(words))


@pytest.mark.parametrize(
    "words",
    [
        ["list"],
        ["--site", "http://127.0.0.1:8000/", "sync"],
        ["--data-dir", "/tmp/x", "show", "1"],
        ["-h"],
        ["--help"],
        ["nonsense"],
        ["--", "list"],
    ],
)
def test_a_command_help_or_stray_word_goes_to_the_whole_parser(words: list[str]) -> None:
    assert not _starts_the_reader(words)


def test_a_stray_word_is_refused_as_the_whole_parser_refuses_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        parse_command_line(["--no-refresh", "nonsense"])
    assert "invalid choice: 'nonsense'" in capsys.readouterr().err
