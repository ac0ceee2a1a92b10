"""A `reader serve ssh` server on loopback for tests, users with keys, and clients to reach it.

Most tests run a small stand-in program in place of the reader (it reports its size, its
arguments and environment, and echoes keys as hex) so the plumbing is checked on its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import asyncssh

from reader.serve.limits import Limits, SessionTable
from reader.serve.operator_log import OperatorLog
from reader.serve.ssh import start_server
from reader.serve.ssh_options import SSHOptions
from tests.support.pty_screen import TerminalScreen

# Prints what it was given, echoes keys as hex, quits on "q". It reports its size (on start
# and on every change) only once its terminal is in raw mode: keys typed after the first SIZE
# line can never be eaten by the switch to raw mode. With "--stubborn" it ignores SIGHUP, as a
# hung program would; with "--modes" it turns on the alternate screen, mouse and hides the
# cursor, as a full-screen program does, and never turns them off.
STAND_IN = r"""
import os, signal, sys, tty
def show_size(*_):
    columns, rows = os.get_terminal_size(0)
    os.write(1, f"SIZE {columns}x{rows}\r\n".encode())
os.write(1, f"PID {os.getpid()}\r\nARGS {' '.join(sys.argv[1:])}\r\n".encode())
os.write(1, ("ENV " + ",".join(sorted(os.environ)) + "\r\n").encode())
os.write(1, f"TERM={os.environ['TERM']} REMOTE={os.environ.get('READER_REMOTE')}\r\n".encode())
os.write(1, f"UID {os.getuid()} CWD {os.getcwd()}\r\n".encode())
if "--stubborn" in sys.argv:
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
tty.setraw(0)
if "--modes" in sys.argv:
    os.write(1, b"\x1b[?1049h\x1b[?1000;1006h\x1b[?25l")
signal.signal(signal.SIGWINCH, show_size)
show_size()
while True:
    data = os.read(0, 1024)
    if not data or data == b"q":
        break
    if data == b"!":
        os.kill(os.getpid(), signal.SIGKILL)
    os.write(1, b"KEY " + data.hex().encode() + b"\r\n")
"""
STAND_IN_COMMAND = (sys.executable, "-I", "-c", STAND_IN)

LOG_NAME = "reader.serve.ssh"


def add_user(data_root: Path, name: str, *keys: asyncssh.SSHKey) -> Path:
    """Give ``name`` a folder under the data root whose authorized_keys lists ``keys``."""
    folder = data_root / name
    folder.mkdir(parents=True, exist_ok=True)
    keys_file = folder / "authorized_keys"
    keys_file.write_bytes(b"".join(key.export_public_key() for key in keys))
    keys_file.chmod(0o600)
    return folder


def server_options(tmp_path: Path, **changes: Any) -> SSHOptions:
    """Options for a test server in ``tmp_path``: port chosen by the system, the stand-in."""
    limits = changes.pop("limits", Limits())
    settings: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": 0,
        "host_key": tmp_path / "server" / "host_key",
        "data_root": tmp_path / "users",
        "reader_command": STAND_IN_COMMAND,
        "hangup_grace": 1.0,
        "limits": limits,
    }
    settings.update(changes)
    return SSHOptions(**settings)


@contextlib.asynccontextmanager
async def running(options: SSHOptions) -> AsyncIterator[tuple[int, SessionTable]]:
    """A server for the length of a ``with`` block; every reader is gone when it ends."""
    table = SessionTable(options.limits)
    acceptor = await start_server(options, table, OperatorLog(logging.getLogger(LOG_NAME)))
    try:
        yield acceptor.get_port(), table
    finally:
        acceptor.close()
        await table.close()


def connect(port: int, key: asyncssh.SSHKey | None, username: str = "alice", **kwargs: Any) -> Any:
    """An asyncssh client connection (a context manager) that knows nothing of ~/.ssh."""
    settings: dict[str, Any] = {
        "username": username,
        "client_keys": [key] if key is not None else None,
        "known_hosts": None,
        "agent_path": None,
        "config": None,
        "gss_host": None,
        "password": None,
    }
    settings.update(kwargs)
    return asyncssh.connect("127.0.0.1", port, **settings)


async def read_until(
    process: Any,
    terminal: TerminalScreen,
    wanted: str | Callable[[str], bool],
    timeout: float = 15,
) -> str:
    """Feed a session's output into ``terminal`` until ``wanted`` shows; fail with the screen."""
    ready = wanted if callable(wanted) else lambda screen: wanted in screen

    async def pump() -> None:
        while not ready(terminal.text()):
            data = await process.stdout.read(65536)
            if not data:
                raise AssertionError(f"session ended before {wanted!r}:\n{terminal.text()}")
            terminal.feed(data)

    try:
        await asyncio.wait_for(pump(), timeout)
    except TimeoutError:
        raise AssertionError(f"{wanted!r} not on screen:\n{terminal.text()}") from None
    return terminal.text()


async def settle(process: Any, terminal: TerminalScreen, quiet: float = 0.5) -> str:
    """Take in output until the session has drawn nothing for ``quiet`` seconds."""
    for _ in range(100):
        try:
            data = await asyncio.wait_for(process.stdout.read(65536), quiet)
        except TimeoutError:
            break
        if not data:
            break
        terminal.feed(data)
    return terminal.text()


async def open_terminal(
    conn: Any, columns: int = 100, rows: int = 30
) -> tuple[Any, TerminalScreen]:
    """Open a session with a pty and wait until the stand-in is ready for keys."""
    process = await conn.create_process(
        term_type="xterm-256color", term_size=(columns, rows), encoding=None
    )
    terminal = TerminalScreen(columns, rows)
    await read_until(process, terminal, f"SIZE {columns}x{rows}")
    return process, terminal


def pid_on(screen: str) -> int:
    """The stand-in's process id, from its first line."""
    match = re.search(r"PID (\d+)", screen)
    assert match, screen
    return int(match.group(1))


async def gone(pid: int, timeout: float = 10) -> bool:
    """True once ``pid`` no longer exists (the server reaps its own children)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        await asyncio.sleep(0.05)
    return False


async def eventually(check: Callable[[], bool], timeout: float = 10) -> bool:
    """Poll ``check`` until it holds or ``timeout`` passes; the server's own state, not a sleep."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not check():
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


def log_lines(records: list[logging.LogRecord]) -> list[str]:
    """The operator-log lines among captured records."""
    return [record.getMessage() for record in records if record.name == LOG_NAME]
