"""`reader serve web`: the reader in a browser tab, served by textual-serve at a secret address.

textual-serve starts one reader per browser tab and relays its screen over a websocket. Every
tab runs the same command, so they share one data folder; for separate users, serve over SSH.
The server itself (token, Host and Origin checks, tab bounds) is :mod:`reader.serve.web_server`;
it and textual-serve are imported only when the server starts.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from typing import TYPE_CHECKING

from reader.arguments import amount, whole_number
from reader.core.own_python import module_command
from reader.serve import SERVE_FAILED, MissingExtra

if TYPE_CHECKING:
    from reader.serve.web_server import ReaderWebServer

WEB_EXTRA_MESSAGE = "the 'web' extra is not installed: pip install 'stemcell-reader[web]'"
_WILDCARDS = {"0.0.0.0", "::", ""}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``reader serve web`` to ``parser``."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=whole_number(0), default=8000, help="port to listen on")
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use, when it differs (behind a proxy, or --host 0.0.0.0); "
        "only requests for it are answered",
    )
    parser.add_argument(
        "--max-sessions",
        type=whole_number(0),
        default=4,
        metavar="N",
        help="browser tabs with a reader at once (default 4)",
    )
    parser.add_argument(
        "--idle-timeout",
        type=amount,
        default=60,
        metavar="MINUTES",
        help="close a tab's reader after this long without a key; 0 never (default 60)",
    )
    parser.add_argument(
        "reader_args",
        nargs="*",
        metavar="-- READER_ARGS",
        help="arguments for every reader, after --, e.g. -- --demo",
    )


def reader_command(args: argparse.Namespace) -> str:
    """The shell command textual-serve runs for each browser tab."""
    # Not "python -m reader": a server started in another checkout would run that one.
    argv = module_command("reader")
    # A --data-dir given before "serve" applies to the readers too, unless they set their own.
    data_dir = getattr(args, "data_dir", None)
    if data_dir and "--data-dir" not in args.reader_args:
        argv += ["--data-dir", str(data_dir)]
    # textual-serve hands the command to a shell, so every part is quoted.
    return shlex.join([*argv, *args.reader_args])


def build_server(args: argparse.Namespace, token: str = "") -> ReaderWebServer:
    """The server for the parsed command line, not yet listening."""
    if not 0 <= args.port <= 65535:
        raise ValueError("--port must be between 0 and 65535")
    if args.max_sessions < 1:
        raise ValueError("--max-sessions must be at least 1")
    if args.idle_timeout < 0:
        raise ValueError("--idle-timeout cannot be negative")
    if args.host in _WILDCARDS and not args.public_url:
        raise ValueError(
            f"--host {args.host!r} answers on every address: pass --public-url with the "
            "one browsers use, so that only requests for it are answered"
        )
    try:
        from reader.serve.web_server import ReaderWebServer, WebOptions
    except ImportError as error:
        raise MissingExtra(WEB_EXTRA_MESSAGE) from error
    options = WebOptions(
        command=reader_command(args),
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        token=token,
        max_sessions=args.max_sessions,
        idle_timeout=args.idle_timeout * 60,
    )
    return ReaderWebServer(options)


def run(args: argparse.Namespace) -> int:
    """Serve the reader to browsers until interrupted; return the exit status."""
    try:
        server = build_server(args)
    except (ValueError, MissingExtra) as error:
        print(f"reader serve web: {error}", file=sys.stderr)
        return SERVE_FAILED
    # The address carries the secret, as Jupyter's does: whoever has it can read.
    print(f"reader serve web: open {server.address} in a browser", flush=True)
    print(
        f"reader serve web: at most {args.max_sessions} tabs at once; anything without the "
        "secret in its address is refused",
        file=sys.stderr,
    )
    server.serve()
    return 0
