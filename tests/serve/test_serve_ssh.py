"""`reader serve ssh`: a real server on loopback, real asyncssh clients, real pseudo-terminals.

Most tests run a small stand-in program in place of the reader (it reports its size, its
arguments and environment, and echoes keys as hex) so the plumbing is checked on its own; the
last one runs the real reader on the bundled sample site.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import re
import stat
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import asyncssh
import pytest

from reader.serve import SERVE_FAILED
from reader.serve import ssh as serve_ssh
from reader.serve.ssh import (
    FULL_MESSAGE,
    SessionTable,
    SSHOptions,
    add_arguments,
    is_valid_username,
    load_host_key,
    options_from_args,
    session_environment,
    start_server,
)
from tests.support.pty_screen import KEYS, PtyApp, TerminalScreen

pytestmark = pytest.mark.timeout(60)

# Prints what it was given, reports every size change, echoes keys as hex, quits on "q".
# With "--stubborn" it ignores SIGHUP, as a hung program would.
STAND_IN = r"""
import os, signal, sys, tty
def show_size(*_):
    columns, rows = os.get_terminal_size(0)
    os.write(1, f"SIZE {columns}x{rows}\r\n".encode())
os.write(1, f"PID {os.getpid()}\r\nARGS {' '.join(sys.argv[1:])}\r\n".encode())
os.write(1, ("ENV " + ",".join(sorted(os.environ)) + "\r\n").encode())
os.write(1, f"TERM={os.environ['TERM']} REMOTE={os.environ.get('READER_REMOTE')}\r\n".encode())
if "--stubborn" in sys.argv:
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
signal.signal(signal.SIGWINCH, show_size)
show_size()
tty.setraw(0)
while True:
    data = os.read(0, 1024)
    if not data or data == b"q":
        break
    os.write(1, b"KEY " + data.hex().encode() + b"\r\n")
"""
STAND_IN_COMMAND = (sys.executable, "-c", STAND_IN)


@pytest.fixture(scope="module")
def client_key() -> asyncssh.SSHKey:
    return asyncssh.generate_private_key("ssh-ed25519")


def server_options(tmp_path: Path, client_key: asyncssh.SSHKey, **changes: Any) -> SSHOptions:
    authorized = tmp_path / "authorized_keys"
    if not authorized.exists():
        authorized.write_bytes(client_key.export_public_key())
    settings: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": 0,
        "host_key": tmp_path / "server" / "host_key",
        "authorized_keys": authorized,
        "data_root": tmp_path / "users",
        "reader_command": STAND_IN_COMMAND,
        "hangup_grace": 1.0,
    }
    settings.update(changes)
    return SSHOptions(**settings)


@contextlib.asynccontextmanager
async def running(options: SSHOptions) -> AsyncIterator[tuple[int, SessionTable]]:
    """A server for the length of a ``with`` block; every reader is gone when it ends."""
    table = SessionTable(options.max_sessions, options.connection_limit)
    acceptor = await start_server(options, table)
    try:
        yield acceptor.get_port(), table
    finally:
        acceptor.close()
        await table.close()


def connect(port: int, key: asyncssh.SSHKey | None, username: str = "alice", **kwargs: Any) -> Any:
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
    process = await conn.create_process(
        term_type="xterm-256color", term_size=(columns, rows), encoding=None
    )
    terminal = TerminalScreen(columns, rows)
    await read_until(process, terminal, f"SIZE {columns}x{rows}")
    return process, terminal


def pid_on(screen: str) -> int:
    match = re.search(r"PID (\d+)", screen)
    assert match, screen
    return int(match.group(1))


async def gone(pid: int, timeout: float = 10) -> bool:
    """True once ``pid`` no longer exists (the server reaps its own children)."""
    for _ in range(int(timeout / 0.05)):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        await asyncio.sleep(0.05)
    return False


def test_pty_app_runs_the_stand_in_locally() -> None:
    """The shared helper itself: start, keys, resize, raw output, and a clean close."""
    with PtyApp(list(STAND_IN_COMMAND), cols=100, rows=30, env={"READER_REMOTE": "0"}) as app:
        screen = app.wait_for("SIZE 100x30")
        assert "TERM=xterm-256color REMOTE=0" in screen
        # The environment line is longer than the screen is wide: look at the bytes.
        assert b"COLORTERM" not in app.raw_output and b"TEXTUAL_ANIMATIONS" in app.raw_output
        app.send("hi")
        app.wait_for("KEY 6869")
        app.resize(90, 20)
        app.wait_for("SIZE 90x20")
        assert b"KEY 6869\r\n" in app.raw_output
        with pytest.raises(AssertionError, match="never shown"):
            app.wait_for("never shown", timeout=0.3)
        pid = app.pid
    assert app.returncode is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


async def test_session_runs_the_reader_in_a_pty(
    tmp_path: Path, client_key: asyncssh.SSHKey
) -> None:
    options = server_options(tmp_path, client_key, reader_args=("--demo",))
    async with running(options) as (port, table), connect(port, client_key) as conn:
        process, terminal = await open_terminal(conn, 100, 30)
        screen = terminal.text()
        folder = tmp_path / "users" / "alice"
        assert f"ARGS --data-dir {folder} --demo" in screen
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert "TERM=xterm-256color REMOTE=1" in screen
        env_line = next(line for line in screen.splitlines() if line.startswith("ENV "))
        allowed = {"PATH", "HOME", "LANG", "TERM", "SSH_CONNECTION", "READER_REMOTE", "LC_CTYPE"}
        assert set(env_line[4:].split(",")) <= allowed
        assert table.reader_pids() == [pid_on(screen)]

        process.stdin.write(b"hi")
        await read_until(process, terminal, "KEY 6869")
        process.change_terminal_size(90, 20)
        terminal.resize(90, 20)
        await read_until(process, terminal, "SIZE 90x20")

        process.stdin.write(b"q")
        await asyncio.wait_for(process.wait_closed(), 10)
        assert process.exit_status == 0


async def test_a_shell_without_a_pty_is_refused_with_advice(
    tmp_path: Path, client_key: asyncssh.SSHKey
) -> None:
    async with running(server_options(tmp_path, client_key)) as (port, table):
        async with connect(port, client_key) as conn:
            result = await asyncio.wait_for(conn.run(term_type=None), 10)
        assert result.exit_status == 1
        assert "ssh -t" in result.stderr
        assert table.reader_pids() == []


async def test_exec_sftp_and_forwarding_are_refused(
    tmp_path: Path, client_key: asyncssh.SSHKey
) -> None:
    async with running(server_options(tmp_path, client_key)) as (port, table):
        async with connect(port, client_key) as conn:
            with pytest.raises(asyncssh.ChannelOpenError):
                await conn.run("id")
            with pytest.raises((asyncssh.ChannelOpenError, asyncssh.SFTPError)):
                await conn.start_sftp_client()
            with pytest.raises(asyncssh.ChannelOpenError):
                await conn.open_connection("127.0.0.1", port)
            with pytest.raises(asyncssh.ChannelListenError):
                await conn.forward_remote_port("127.0.0.1", 0, "127.0.0.1", port)
            with pytest.raises(asyncssh.ChannelOpenError):
                await conn.open_unix_connection(str(tmp_path / "socket"))
            with pytest.raises(asyncssh.ChannelListenError):
                await conn.start_unix_server(asyncssh.SSHUNIXSession, str(tmp_path / "listen"))
        assert table.reader_pids() == []


async def test_x11_and_agent_forwarding_are_refused(
    tmp_path: Path, client_key: asyncssh.SSHKey
) -> None:
    async with running(server_options(tmp_path, client_key)) as (port, _table):
        async with connect(port, client_key) as conn:
            with pytest.raises(asyncssh.ChannelOpenError, match="X11"):
                await conn.create_process(
                    term_type="xterm",
                    encoding=None,
                    x11_forwarding=True,
                    x11_display="127.0.0.1:0",
                    x11_auth_path=str(tmp_path / "xauthority"),
                )
        agent: dict[str, Any] = {
            "agent_forwarding": True,
            "agent_path": str(tmp_path / "agent.sock"),
        }
        async with connect(port, client_key, **agent) as conn:
            _process, terminal = await open_terminal(conn)
            env_line = next(line for line in terminal.text().splitlines() if "ENV " in line)
            assert "SSH_AUTH_SOCK" not in env_line and "DISPLAY" not in env_line


async def test_only_authorized_keys_get_in(tmp_path: Path, client_key: asyncssh.SSHKey) -> None:
    stranger = asyncssh.generate_private_key("ssh-ed25519")
    async with running(server_options(tmp_path, client_key)) as (port, _table):
        with pytest.raises(asyncssh.PermissionDenied):
            async with connect(port, stranger):
                pass
        with pytest.raises(asyncssh.PermissionDenied):
            async with connect(port, None, password="correct horse", preferred_auth="password"):
                pass
        with pytest.raises(asyncssh.PermissionDenied):
            async with connect(
                port, None, password="correct horse", preferred_auth="keyboard-interactive"
            ):
                pass
        with pytest.raises(asyncssh.DisconnectError):
            async with connect(port, client_key, username="../escape"):
                pass
        # A key added to the file works at once: the file is read at every login.
        with open(tmp_path / "authorized_keys", "ab") as keys:
            keys.write(stranger.export_public_key())
        async with connect(port, stranger, username="bob") as conn:
            assert conn.get_extra_info("username") == "bob"


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("alice", True),
        ("a.b-c_9", True),
        ("x" * 32, True),
        ("x" * 33, False),
        (".", False),
        ("..", False),
        ("", False),
        ("a/b", False),
        ("al ice", False),
        ("é", False),
    ],
)
def test_user_names(name: str, valid: bool) -> None:
    assert is_valid_username(name) is valid


async def test_host_key_is_made_once_and_reused(
    tmp_path: Path, client_key: asyncssh.SSHKey
) -> None:
    options = server_options(tmp_path, client_key)
    fingerprints = []
    for _ in range(2):
        async with running(options) as (port, _table), connect(port, client_key) as conn:
            fingerprints.append(conn.get_server_host_key().get_fingerprint())
    assert fingerprints[0] == fingerprints[1]
    assert stat.S_IMODE(options.host_key.stat().st_mode) == 0o600
    assert [path.name for path in options.host_key.parent.iterdir()] == ["host_key"]

    options.host_key.chmod(0o644)
    with pytest.raises(PermissionError, match="chmod 600"):
        load_host_key(options.host_key)


async def test_sessions_are_bounded(tmp_path: Path, client_key: asyncssh.SSHKey) -> None:
    options = server_options(tmp_path, client_key, max_sessions=2)
    async with running(options) as (port, table), connect(port, client_key) as conn:
        first, _ = await open_terminal(conn)
        await open_terminal(conn)
        with pytest.raises(asyncssh.ChannelOpenError) as refused:
            await conn.create_process(term_type="xterm", encoding=None)
        assert refused.value.reason == FULL_MESSAGE

        first.stdin.write(b"q")
        await asyncio.wait_for(first.wait_closed(), 10)
        for _ in range(200):
            if table.session_count < 2:
                break
            await asyncio.sleep(0.05)
        await open_terminal(conn)


async def test_connection_floods_do_not_lock_users_out(
    tmp_path: Path, client_key: asyncssh.SSHKey
) -> None:
    options = server_options(tmp_path, client_key, login_timeout=1.0, max_connections=40)
    async with running(options) as (port, table):

        async def knock(number: int) -> None:
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            if number % 2:
                writer.write(b"SSH-2.0-knock\r\n")
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

        for batch in range(10):
            await asyncio.gather(*(knock(batch * 20 + number) for number in range(20)))

        # Idle connections that never log in are dropped after the login timeout...
        idlers = [await asyncio.open_connection("127.0.0.1", port) for _ in range(10)]
        # ...and while they wait, a real user still gets in.
        async with connect(port, client_key) as conn:
            await open_terminal(conn)
        for reader, writer in idlers:
            await asyncio.wait_for(reader.read(), 10)  # returns at EOF: the server hung up
            writer.close()
        assert table.connection_count <= 1


async def test_connections_past_the_limit_are_turned_away(
    tmp_path: Path, client_key: asyncssh.SSHKey
) -> None:
    options = server_options(tmp_path, client_key, max_connections=2)
    async with running(options) as (port, _table):
        async with connect(port, client_key) as first, connect(port, client_key) as second:
            assert first and second
            with pytest.raises((asyncssh.Error, OSError)):
                async with connect(port, client_key):
                    pass
        async with connect(port, client_key) as again:
            await open_terminal(again)


@pytest.mark.parametrize("stubborn", [False, True], ids=["polite", "ignores-sighup"])
async def test_a_dropped_connection_ends_the_reader(
    tmp_path: Path, client_key: asyncssh.SSHKey, stubborn: bool
) -> None:
    reader_args = ("--stubborn",) if stubborn else ()
    options = server_options(tmp_path, client_key, reader_args=reader_args)
    async with running(options) as (port, table):
        conn = await connect(port, client_key)
        _process, terminal = await open_terminal(conn)
        pid = pid_on(terminal.text())
        conn.abort()
        assert await gone(pid), f"reader {pid} outlived its connection"
        for _ in range(100):
            if table.session_count == 0:
                break
            await asyncio.sleep(0.05)
        assert table.session_count == 0


async def test_anonymous_sessions_leave_nothing_behind(
    tmp_path: Path, client_key: asyncssh.SSHKey
) -> None:
    options = server_options(
        tmp_path, client_key, anonymous=True, authorized_keys=tmp_path / "nothing-here"
    )
    async with running(options) as (port, _table):
        async with connect(port, None, username="guest") as conn:
            process, terminal = await open_terminal(conn)
            match = re.search(r"ARGS --data-dir (\S+)", terminal.text())
            assert match
            folder = Path(match.group(1))
            assert folder.is_dir()
            assert tmp_path / "users" not in folder.parents
            process.stdin.write(b"q")
            await asyncio.wait_for(process.wait_closed(), 10)
        for _ in range(100):
            if not folder.exists():
                break
            await asyncio.sleep(0.05)
        assert not folder.exists()


async def test_without_authorized_keys_the_server_does_not_start(
    tmp_path: Path, client_key: asyncssh.SSHKey
) -> None:
    options = server_options(tmp_path, client_key, authorized_keys=tmp_path / "missing")
    with pytest.raises(FileNotFoundError, match="--anonymous"):
        await start_server(options)


async def test_sessions_are_logged_without_key_material(
    tmp_path: Path, client_key: asyncssh.SSHKey, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="reader.serve.ssh")
    options = server_options(tmp_path, client_key)
    async with running(options) as (port, _table), connect(port, client_key) as conn:
        process, _ = await open_terminal(conn)
        process.stdin.write(b"q")
        await asyncio.wait_for(process.wait_closed(), 10)
    lines = [record.getMessage() for record in caplog.records if record.name == "reader.serve.ssh"]
    assert any(line.startswith("session start user=alice peer=127.0.0.1:") for line in lines)
    assert any(line.startswith("session end user=alice peer=127.0.0.1:") for line in lines)
    public = client_key.export_public_key().decode().split()[1]
    assert not any(public in line or "PRIVATE" in line or "SHA256:" in line for line in lines)


def test_environment_is_short_and_honours_the_client() -> None:
    home = Path("/srv/reader/alice")
    env = session_environment(
        term="xterm-direct",
        client_env={"NO_COLOR": "yes", "AWS_SECRET": "x", "LD_PRELOAD": "/evil.so"},
        ssh_connection="127.0.0.1 5555 127.0.0.1 8022",
        home=home,
    )
    assert set(env) == {
        "PATH",
        "HOME",
        "LANG",
        "TERM",
        "SSH_CONNECTION",
        "READER_REMOTE",
        "COLORTERM",
        "NO_COLOR",
    }
    assert env["HOME"] == str(home) and env["COLORTERM"] == "truecolor"
    plain = session_environment(
        term="vt100\x1b]0;owned\x07", client_env={}, ssh_connection="", home=home
    )
    assert plain["TERM"] == "xterm-256color" and "COLORTERM" not in plain
    truecolor = session_environment(
        term="xterm-256color", client_env={"COLORTERM": "truecolor"}, ssh_connection="", home=home
    )
    assert truecolor["COLORTERM"] == "truecolor"


def serve_parser() -> argparse.ArgumentParser:
    """The shape the reader's command line gives it: ``reader serve ssh ...``."""
    parser = argparse.ArgumentParser(prog="reader")
    parser.add_argument("--data-dir")
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve").add_subparsers(dest="server")
    add_arguments(serve.add_parser("ssh"))
    return parser


def test_command_line() -> None:
    args = serve_parser().parse_args(
        ["serve", "ssh", "--port", "2222", "--max-sessions", "3", "--", "--demo", "--site", "x"]
    )
    options = options_from_args(args)
    assert options.port == 2222 and options.max_sessions == 3 and options.host == "127.0.0.1"
    assert options.reader_args == ("--demo", "--site", "x")
    assert not options.anonymous
    assert options.host_key.name == "host_key"

    defaults = options_from_args(serve_parser().parse_args(["serve", "ssh"]))
    assert defaults.port == 8022 and defaults.max_sessions == 16 and defaults.reader_args == ()

    moved = options_from_args(serve_parser().parse_args(["--data-dir", "/srv/r", "serve", "ssh"]))
    assert moved.host_key == Path("/srv/r/ssh/host_key")
    assert moved.data_root == Path("/srv/r/ssh/users")

    sneaky = serve_parser().parse_args(["serve", "ssh", "--", "--data-dir", "/"])
    with pytest.raises(ValueError, match="--data-root"):
        options_from_args(sneaky)


def test_missing_extra_is_explained(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "asyncssh", None)
    assert serve_ssh.run(serve_parser().parse_args(["serve", "ssh"])) == SERVE_FAILED
    # One prefix, naming the command once.
    assert capsys.readouterr().err == (
        "reader serve ssh: the 'ssh' extra is not installed: pip install 'stemcell-reader[ssh]'\n"
    )


@pytest.mark.timeout(120)
async def test_end_to_end_with_the_real_reader(tmp_path: Path, client_key: asyncssh.SSHKey) -> None:
    options = server_options(
        tmp_path,
        client_key,
        reader_command=(sys.executable, "-m", "reader"),
        reader_args=("--demo",),
    )
    async with running(options) as (port, _table), connect(port, client_key) as conn:
        process = await conn.create_process(
            term_type="xterm-256color", term_size=(120, 40), encoding=None
        )
        terminal = TerminalScreen(120, 40, answer=process.stdin.write)
        # The sidebar shows the News section with its post count once the first sync is in.
        await read_until(
            process, terminal, lambda s: re.search(r"\bNews \(?\d+", s) is not None, 60
        )
        screen = await settle(process, terminal)
        titles = [match.group(1) for match in re.finditer(r"● (\w[^\n▕│|]{15})", screen)]
        assert titles, screen

        # The cursor starts on News's newest post; enter opens it, and its title then shows
        # twice: in the list and at the top of the article pane.
        process.stdin.write(KEYS["enter"].encode())
        await read_until(process, terminal, lambda s: s.count(titles[0]) >= 2, 30)

        process.stdin.write(b"q")
        await asyncio.wait_for(process.wait_closed(), 20)
        assert process.exit_status == 0
