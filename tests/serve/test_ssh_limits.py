"""The bounds of `reader serve ssh` hold against floods, idlers and silly terminals.

Floods here are small and bounded (a few dozen sockets on loopback), and every socket a test
opens is closed by the end of it. Several loopback addresses (127.0.0.2, ...) stand for
different clients: Linux answers on the whole of 127.0.0.0/8.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import asyncssh
import pytest

from reader.serve.limits import (
    TOO_MANY_FROM_ADDRESS,
    TOO_MANY_LOGGED_IN,
    TOO_MANY_LOGGING_IN,
    Limits,
)
from reader.serve.reader_process import TerminalModes
from tests.support.ssh_server import (
    add_user,
    connect,
    eventually,
    log_lines,
    open_terminal,
    read_until,
    running,
    server_options,
)

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
def key() -> asyncssh.SSHKey:
    return asyncssh.generate_private_key("ssh-ed25519")


@contextlib.asynccontextmanager
async def idle_sockets(
    port: int, count: int, source: str = "127.0.0.1"
) -> AsyncIterator[list[tuple[asyncio.StreamReader, asyncio.StreamWriter]]]:
    """``count`` TCP connections that never say a word, all closed at the end."""
    sockets = []
    try:
        for _ in range(count):
            sockets.append(await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0)))
        yield sockets
    finally:
        for _reader, writer in sockets:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


async def refusal_of(reader: asyncio.StreamReader) -> bytes:
    """Everything a refused client is sent before the server hangs up."""
    return await asyncio.wait_for(reader.read(), 10)


async def test_a_flood_from_one_address_leaves_room_for_everyone_else(
    tmp_path: Path, key: asyncssh.SSHKey, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="reader.serve.ssh")
    add_user(tmp_path / "users", "alice", key)
    limits = Limits(max_unauthenticated=12, max_per_address=4, login_timeout=30)
    server = running(server_options(tmp_path, limits=limits))
    async with server as (port, table), connect(port, key) as settled:
        await open_terminal(settled)
        async with idle_sockets(port, 10) as flood:
            assert await eventually(lambda: table.logging_in_count == 4)
            # A socket turned away still gets a real banner, and is closed soon after...
            refused = await refusal_of(flood[-1][0])
            assert refused == b"SSH-2.0-reader\r\n"
            # ...and a client that asks to log in is told why.
            with pytest.raises(asyncssh.DisconnectError, match=TOO_MANY_FROM_ADDRESS):
                async with connect(port, key):
                    pass
            # Someone else logs in, and the user already in opens another session.
            async with connect(port, key, local_addr=("127.0.0.2", 0)) as other:
                await open_terminal(other)
            await open_terminal(settled)
    lines = log_lines(caplog.records)
    assert sum(line.startswith("refused peer=127.0.0.1:") for line in lines) == 7


async def test_clients_that_never_log_in_cannot_take_the_logged_in_places(
    tmp_path: Path, key: asyncssh.SSHKey
) -> None:
    add_user(tmp_path / "users", "alice", key)
    limits = Limits(max_unauthenticated=6, max_per_address=3, login_timeout=5)
    server = running(server_options(tmp_path, limits=limits))
    async with (
        server as (port, table),
        connect(port, key) as settled,
        idle_sockets(port, 3, "127.0.0.3"),
        idle_sockets(port, 3, "127.0.0.4"),
    ):
        assert await eventually(lambda: table.logging_in_count == 6)
        # The pool for logging in is full: a newcomer is turned away...
        with pytest.raises(asyncssh.DisconnectError, match=TOO_MANY_LOGGING_IN):
            async with connect(port, key, local_addr=("127.0.0.2", 0)):
                pass
        # ...while the connection that logged in before the flood works on.
        await open_terminal(settled)
        # The login timeout empties the pool, and then the newcomer gets in.
        assert await eventually(lambda: table.logging_in_count == 0, timeout=15)
        async with connect(port, key, local_addr=("127.0.0.2", 0)) as late:
            await open_terminal(late)


async def test_logged_in_connections_are_bounded_apart(
    tmp_path: Path, key: asyncssh.SSHKey, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="reader.serve.ssh")
    add_user(tmp_path / "users", "alice", key)
    limits = Limits(max_connections=2)
    async with running(server_options(tmp_path, limits=limits)) as (port, _table):
        async with connect(port, key) as first, connect(port, key) as second:
            assert first and second
            third = await connect(port, key)
            await asyncio.wait_for(third.wait_closed(), 10)
        async with connect(port, key) as again:
            await open_terminal(again)
    refusals = [line for line in log_lines(caplog.records) if line.startswith("refused user=")]
    assert len(refusals) == 1 and TOO_MANY_LOGGED_IN in refusals[0]


async def test_a_connection_without_a_session_is_closed(
    tmp_path: Path, key: asyncssh.SSHKey, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="reader.serve.ssh")
    add_user(tmp_path / "users", "alice", key)
    limits = Limits(no_session_timeout=0.5)
    async with running(server_options(tmp_path, limits=limits)) as (port, table):
        conn = await connect(port, key)  # like "ssh -N": logged in, nothing opened
        await asyncio.wait_for(conn.wait_closed(), 10)
        assert table.connection_count == 0
        # Once a session ends, the clock starts again.
        async with connect(port, key) as conn:
            first, _terminal = await open_terminal(conn)
            first.stdin.write(b"q")
            await asyncio.wait_for(conn.wait_closed(), 10)
        # A client that leaves with its session must not be "closed" again afterwards: wait
        # (on purpose, for something that must not happen) three times the timeout.
        async with connect(port, key) as conn:
            await open_terminal(conn)
        # (The connection went first here, its session's end is handled after.)
        await asyncio.sleep(1.5)
    closed = [line for line in log_lines(caplog.records) if line.startswith("closed user=")]
    assert len(closed) == 2, closed
    assert all("no session was opened in time" in line for line in closed)


async def test_an_idle_session_is_closed_with_a_word_and_its_terminal_back(
    tmp_path: Path, key: asyncssh.SSHKey
) -> None:
    add_user(tmp_path / "users", "alice", key)
    options = server_options(tmp_path, limits=Limits(idle_timeout=1), reader_args=("--modes",))
    async with running(options) as (port, table), connect(port, key) as conn:
        process, terminal = await open_terminal(conn)
        await read_until(process, terminal, "Closed after 1 second without a key.", timeout=15)
        await asyncio.wait_for(process.wait_closed(), 10)
        assert terminal.raw.endswith(b"Closed after 1 second without a key.\r\n")
        assert b"\x1b[?1049l" in terminal.raw and b"\x1b[?25h" in terminal.raw
        assert await eventually(lambda: table.session_count == 0)


async def test_terminal_size_is_capped(tmp_path: Path, key: asyncssh.SSHKey) -> None:
    add_user(tmp_path / "users", "alice", key)
    async with running(server_options(tmp_path)) as (port, _table), connect(port, key) as conn:
        process = await conn.create_process(
            term_type="xterm", term_size=(4096, 4096), encoding=None
        )
        terminal_text = b""
        while b"SIZE " not in terminal_text:
            terminal_text += await asyncio.wait_for(process.stdout.read(65536), 10)
        assert b"SIZE 500x200" in terminal_text
        process.change_terminal_size(100000, 3)
        while b"SIZE 500x3" not in terminal_text:
            terminal_text += await asyncio.wait_for(process.stdout.read(65536), 10)


@pytest.mark.parametrize("how", ["killed", "server stops"])
async def test_the_terminal_is_restored_however_the_reader_ends(
    tmp_path: Path, key: asyncssh.SSHKey, how: str
) -> None:
    add_user(tmp_path / "users", "alice", key)
    options = server_options(tmp_path, reader_args=("--modes",))
    async with running(options) as (port, _table):
        conn = await connect(port, key)
        process, terminal = await open_terminal(conn)
        if how == "killed":
            process.stdin.write(b"!")  # the stand-in kills itself: no chance to clean up
            await asyncio.wait_for(process.wait_closed(), 10)
            assert process.exit_status == 128 + 9 or process.exit_signal
    if how == "server stops":
        await asyncio.wait_for(process.wait_closed(), 10)
    terminal.feed(await asyncio.wait_for(process.stdout.read(), 10))
    tail = terminal.raw.split(b"\x1b[?25l", 1)[1]
    for undo in (b"\x1b[?1049l", b"\x1b[?1000l", b"\x1b[?1006l", b"\x1b[?25h"):
        assert undo in tail, tail
    if how == "server stops":
        assert tail.endswith(b"The server is shutting down.\r\n")
    conn.close()


def test_terminal_modes_follow_split_and_combined_sequences() -> None:
    modes = TerminalModes()
    for chunk in (b"\x1b[?10", b"49h\x1b[?1000;1006", b"h\x1b[?25l\x1b[>1u", b"text"):
        modes.watch(chunk)
    assert modes.restore() == (b"\x1b[?1000l\x1b[?1006l\x1b[?1049l\x1b[<1u\x1b[?25h\x1b[0m\r\n")
    # A program that cleans up after itself leaves nothing to undo.
    modes.watch(b"\x1b[?1049h\x1b[?25l\x1b[?1049l\x1b[?25h")
    assert modes.restore() == b""
