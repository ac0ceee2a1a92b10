"""`reader serve web`: the reader in a browser tab, served by textual-serve.

textual-serve starts one reader per browser tab and relays its screen over a websocket. Every
tab runs the same command, so they share one data folder; for separate users, serve over SSH.
textual-serve is an optional extra, imported only when the server starts.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from typing import TYPE_CHECKING

from reader.serve import SERVE_FAILED, MissingExtra

if TYPE_CHECKING:
    from textual_serve.server import Server

WEB_EXTRA_MESSAGE = "the 'web' extra is not installed: pip install 'stemcell-reader[web]'"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``reader serve web`` to ``parser``."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use, when it differs (behind a proxy, or --host 0.0.0.0)",
    )
    parser.add_argument(
        "reader_args",
        nargs="*",
        metavar="-- READER_ARGS",
        help="arguments for every reader, after --, e.g. -- --demo",
    )


def reader_command(args: argparse.Namespace) -> str:
    """The shell command textual-serve runs for each browser tab."""
    argv = [sys.executable, "-m", "reader"]
    # A --data-dir given before "serve" applies to the readers too, unless they set their own.
    data_dir = getattr(args, "data_dir", None)
    if data_dir and "--data-dir" not in args.reader_args:
        argv += ["--data-dir", str(data_dir)]
    # textual-serve hands the command to a shell, so every part is quoted.
    return shlex.join([*argv, *args.reader_args])


def build_server(args: argparse.Namespace) -> Server:
    """The textual-serve server for the parsed command line, not yet listening."""
    try:
        from textual_serve.server import Server
    except ImportError as error:
        raise MissingExtra(WEB_EXTRA_MESSAGE) from error
    return Server(
        reader_command(args),
        host=args.host,
        port=args.port,
        title="reader",
        public_url=args.public_url,
    )


def run(args: argparse.Namespace) -> int:
    """Serve the reader to browsers until interrupted; return the exit status."""
    if not 0 <= args.port <= 65535:
        print("reader serve web: --port must be between 0 and 65535", file=sys.stderr)
        return SERVE_FAILED
    try:
        server = build_server(args)
    except MissingExtra as error:
        print(f"reader serve web: {error}", file=sys.stderr)
        return SERVE_FAILED
    print(f"reader serve web: open {server.public_url} in a browser")
    server.serve()
    return 0
