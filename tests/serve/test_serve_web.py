"""`reader serve web`: the command line turns into the right textual-serve server."""

from __future__ import annotations

import argparse
import shlex
import sys

import pytest

from reader.serve import SERVE_FAILED
from reader.serve import web as serve_web


def serve_parser() -> argparse.ArgumentParser:
    """The shape the reader's command line gives it: ``reader [--data-dir] serve web ...``."""
    parser = argparse.ArgumentParser(prog="reader")
    parser.add_argument("--data-dir")
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve").add_subparsers(dest="server")
    serve_web.add_arguments(serve.add_parser("web"))
    return parser


def test_defaults_serve_the_reader_on_loopback() -> None:
    server = serve_web.build_server(serve_parser().parse_args(["serve", "web"]))
    assert (server.host, server.port) == ("127.0.0.1", 8000)
    assert server.public_url == "http://127.0.0.1:8000"
    assert shlex.split(server.command) == [sys.executable, "-m", "reader"]


def test_reader_args_and_data_dir_reach_the_command() -> None:
    args = serve_parser().parse_args(
        ["--data-dir", "/srv/my reader", "serve", "web", "--host", "0.0.0.0", "--port", "9000",
         "--public-url", "https://news.example.org", "--", "--site", "https://x.example/?a=1&b"]
    )  # fmt: skip
    server = serve_web.build_server(args)
    assert (server.host, server.port) == ("0.0.0.0", 9000)
    assert server.public_url == "https://news.example.org"
    # The command goes through a shell: spaces and "&" must arrive as they were typed.
    assert shlex.split(server.command) == [
        sys.executable, "-m", "reader", "--data-dir", "/srv/my reader",
        "--site", "https://x.example/?a=1&b",
    ]  # fmt: skip


def test_missing_extra_is_explained(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    assert serve_web.run(serve_parser().parse_args(["serve", "web"])) == SERVE_FAILED
    # One prefix, naming the command once.
    assert capsys.readouterr().err == (
        "reader serve web: the 'web' extra is not installed: pip install 'stemcell-reader[web]'\n"
    )


def test_a_bad_port_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert serve_web.run(serve_parser().parse_args(["serve", "web", "--port", "70000"])) == 2
    assert "--port" in capsys.readouterr().err
