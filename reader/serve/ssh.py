"""`reader serve ssh`: host the reader over SSH, one reader in its own pseudo-terminal per session.

The rules, in short: public-key logins only (unless ``--anonymous`` is asked for by name), and a
key logs in only as the user whose ``<data-root>/<user>/authorized_keys`` lists it; a session's
shell request starts ``python -m reader`` and nothing else, never a shell; exec, subsystems,
X11, agent and every kind of forwarding are refused; modern algorithms only; connections that
have not logged in are bounded apart from those that have; started as root, readers run as the
``--run-as`` account and see only their own user's folder; a dropped connection takes its
reader's whole process group down with it.

The parts live beside this module: :mod:`~reader.serve.ssh_login` (a connection and its login),
:mod:`~reader.serve.ssh_session` (a session channel), :mod:`~reader.serve.reader_process` (the
reader in its pty), :mod:`~reader.serve.limits`, :mod:`~reader.serve.ssh_keys`,
:mod:`~reader.serve.accounts` and :mod:`~reader.serve.operator_log`.

The reader's command line imports this module for :func:`add_arguments` on every ``reader serve``
start, so asyncio and asyncssh are imported inside the functions that use them.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from reader.arguments import amount, whole_number
from reader.serve import SERVE_FAILED, MissingExtra
from reader.serve.accounts import Account, check_account_can_run, prepare_data_root
from reader.serve.limits import Limits, SessionTable
from reader.serve.operator_log import OperatorLog
from reader.serve.ssh_keys import crypto_options, load_host_key
from reader.serve.ssh_options import SSHOptions, default_data_root, default_host_key_path

if TYPE_CHECKING:
    import asyncssh

_log = logging.getLogger("reader.serve.ssh")

SSH_EXTRA_MESSAGE = "the 'ssh' extra is not installed: pip install 'stemcell-reader[ssh]'"


def import_asyncssh() -> ModuleType:
    """Import asyncssh, or explain which extra to install."""
    try:
        import asyncssh
    except ImportError as error:
        raise MissingExtra(SSH_EXTRA_MESSAGE) from error
    return asyncssh


@cache
def _handler_types() -> tuple[type[Any], type[Any]]:
    """The asyncssh server and session classes, built from the plain handlers on first use."""
    import asyncssh

    from reader.serve.ssh_login import ConnectionHandler
    from reader.serve.ssh_session import SessionHandler

    class ReaderServer(ConnectionHandler, asyncssh.SSHServer):
        """The asyncssh face of :class:`ConnectionHandler`."""

    class ReaderSession(SessionHandler, asyncssh.SSHServerSession[bytes]):
        """The asyncssh face of :class:`SessionHandler`."""

    return ReaderServer, ReaderSession


def check_account(options: SSHOptions) -> None:
    """Refuse to run readers as root, or to switch accounts without being root."""
    if options.run_as is not None and os.geteuid() != 0:
        raise ValueError("--run-as needs the server to be started as root")
    if options.run_as is None and os.geteuid() == 0:
        raise ValueError(
            "started as root: pass --run-as ACCOUNT so readers run unprivileged "
            "(each sees only its own user's folder)"
        )


async def start_server(
    options: SSHOptions, table: SessionTable | None = None, log: OperatorLog | None = None
) -> asyncssh.SSHAcceptor:
    """Listen for SSH clients; each session runs a reader. ``table`` tracks what is open."""
    ssh = import_asyncssh()
    # The command line refuses root without --run-as (check_account); tests call this as root.
    prepare_data_root(options.data_root, options.run_as)
    if options.run_as is not None:
        check_account_can_run(options.run_as, options.data_root)
    host_key = load_host_key(options.host_key)
    table = table or SessionTable(options.limits)
    log = log or OperatorLog(_log)
    server_type, session_type = _handler_types()
    acceptor: asyncssh.SSHAcceptor = await ssh.listen(
        options.host,
        options.port,
        server_factory=lambda: server_type(options, table, log, session_type),
        server_host_keys=[host_key],
        password_auth=False,
        kbdint_auth=False,
        host_based_auth=False,
        gss_host=None,
        x11_forwarding=False,
        agent_forwarding=False,
        allow_scp=False,
        line_editor=False,
        encoding=None,
        login_timeout=options.limits.login_timeout,
        # Finds clients that vanished without closing (a laptop lid, a dropped Wi-Fi).
        keepalive_interval=30,
        keepalive_count_max=3,
        # A restart right after a stop must not wait for old connections' TIME_WAIT.
        reuse_address=True,
        **crypto_options(),
    )
    return acceptor


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``reader serve ssh`` to ``parser``."""
    defaults = Limits()
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=whole_number(0), default=8022, help="port to listen on")
    parser.add_argument(
        "--host-key",
        type=Path,
        metavar="PATH",
        help="server host key, created on first start (default: DATA_DIR/ssh/host_key)",
    )
    parser.add_argument(
        "--data-root",
        type=Path,
        metavar="DIR",
        help="one folder per user: DIR/<user>/authorized_keys lists the keys that log in as "
        "<user>, and the reader's data goes beside it (default: DATA_DIR/ssh/users)",
    )
    parser.add_argument(
        "--run-as",
        metavar="ACCOUNT",
        help="when started as root (and only then), run every reader as this unprivileged account",
    )
    parser.add_argument(
        "--anonymous",
        action="store_true",
        help="let anyone in without a key; each session reads from a folder deleted at the end",
    )
    limits = parser.add_argument_group("limits")
    limits.add_argument(
        "--max-sessions",
        type=whole_number(0),
        default=defaults.max_sessions,
        metavar="N",
        help=f"readers running at once (default {defaults.max_sessions})",
    )
    limits.add_argument(
        "--max-connections",
        type=whole_number(0),
        default=0,
        metavar="N",
        help="logged-in connections at once (default: 4 per session, at least 64)",
    )
    limits.add_argument(
        "--max-unauthenticated",
        type=whole_number(0),
        default=defaults.max_unauthenticated,
        metavar="N",
        help=f"connections still logging in (default {defaults.max_unauthenticated})",
    )
    limits.add_argument(
        "--max-per-address",
        type=whole_number(0),
        default=defaults.max_per_address,
        metavar="N",
        help=f"connections still logging in from one address (default {defaults.max_per_address})",
    )
    limits.add_argument(
        "--login-timeout",
        type=amount,
        default=defaults.login_timeout,
        metavar="SECONDS",
        help=f"time to log in (default {defaults.login_timeout:g})",
    )
    limits.add_argument(
        "--no-session-timeout",
        type=amount,
        default=defaults.no_session_timeout,
        metavar="SECONDS",
        help="close a logged-in connection that opens no session "
        f"(default {defaults.no_session_timeout:g})",
    )
    limits.add_argument(
        "--idle-timeout",
        type=amount,
        default=defaults.idle_timeout / 60,
        metavar="MINUTES",
        help="close a session after this long without a key; 0 never "
        f"(default {defaults.idle_timeout / 60:g})",
    )
    parser.add_argument(
        "reader_args",
        nargs="*",
        metavar="-- READER_ARGS",
        help="arguments for every reader, after --, e.g. -- --demo",
    )


def options_from_args(args: argparse.Namespace) -> SSHOptions:
    """Check the parsed command line and turn it into :class:`SSHOptions`."""
    reader_args = tuple(args.reader_args)
    if any(arg == "--data-dir" or arg.startswith("--data-dir=") for arg in reader_args):
        raise ValueError("each session gets its own --data-dir; use --data-root instead")
    for name in ("max_sessions", "max_unauthenticated", "max_per_address"):
        if getattr(args, name) < 1:
            raise ValueError(f"--{name.replace('_', '-')} must be at least 1")
    for name in ("max_connections", "login_timeout", "no_session_timeout", "idle_timeout"):
        if getattr(args, name) < 0:
            raise ValueError(f"--{name.replace('_', '-')} cannot be negative")
    if not 0 <= args.port <= 65535:
        raise ValueError("--port must be between 0 and 65535")
    # "reader --data-dir DIR serve ssh" keeps the server's key and users' folders under DIR.
    data_dir = getattr(args, "data_dir", None)
    return SSHOptions(
        host=args.host,
        port=args.port,
        host_key=args.host_key or default_host_key_path(data_dir),
        anonymous=args.anonymous,
        data_root=args.data_root or default_data_root(data_dir),
        limits=Limits(
            max_sessions=args.max_sessions,
            max_connections=args.max_connections,
            max_unauthenticated=args.max_unauthenticated,
            max_per_address=args.max_per_address,
            login_timeout=args.login_timeout,
            no_session_timeout=args.no_session_timeout,
            idle_timeout=args.idle_timeout * 60,
        ),
        run_as=Account.named(args.run_as) if args.run_as else None,
        reader_args=reader_args,
    )


def run(args: argparse.Namespace) -> int:
    """Run ``reader serve ssh`` until SIGINT or SIGTERM; return the exit status."""
    try:
        options = options_from_args(args)
        import_asyncssh()
        check_account(options)
    except (ValueError, MissingExtra) as error:
        print(f"reader serve ssh: {error}", file=sys.stderr)
        return SERVE_FAILED
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    _log.addHandler(handler)
    _log.setLevel(logging.INFO)
    _log.propagate = False
    # asyncssh narrates every packet exchange at INFO; only its problems belong in our log.
    logging.getLogger("asyncssh").setLevel(logging.WARNING)
    import asyncio

    try:
        return asyncio.run(_serve(options))
    except (OSError, ValueError) as error:
        print(f"reader serve ssh: {error}", file=sys.stderr)
        return SERVE_FAILED


async def _serve(options: SSHOptions) -> int:
    import asyncio

    table = SessionTable(options.limits)
    log = OperatorLog(_log)
    try:
        acceptor = await start_server(options, table, log)
    except import_asyncssh().KeyImportError as error:
        raise ValueError(f"cannot read host key {options.host_key}: {error}") from None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    port = acceptor.get_port()
    where = f"{options.host}:{port}"
    if options.anonymous:
        print(f"reader serve ssh: anyone who can reach {where} gets a reader", file=sys.stderr)
    else:
        print(
            f"reader serve ssh: a key logs in as <user> when "
            f"{options.data_root}/<user>/authorized_keys lists it",
            file=sys.stderr,
        )
    as_whom = f"; readers run as {options.run_as.name}" if options.run_as else ""
    print(
        f"reader serve ssh: listening on {where}{as_whom}; connect with "
        f"ssh -t -p {port} <user>@{options.host}",
        file=sys.stderr,
    )
    await stop.wait()
    acceptor.close()
    await table.close()
    log.flush()
    return 0
