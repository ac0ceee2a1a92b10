"""`reader serve ssh` sessions: a real server on loopback, asyncssh clients, real pseudo-terminals.

The stand-in program (tests/support/ssh_server.py) takes the reader's place except in the last
test, which runs the real reader on the bundled sample site.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import stat
import sys
from pathlib import Path
from typing import Any

import asyncssh
import pytest

from reader.serve import SERVE_FAILED
from reader.serve import ssh as serve_ssh
from reader.serve.accounts import is_valid_username
from reader.serve.limits import FULL_MESSAGE, Limits
from reader.serve.reader_process import session_environment
from reader.serve.ssh import add_arguments, options_from_args
from tests.support.pty_screen import KEYS, PtyApp, TerminalScreen
from tests.support.ssh_server import (
    STAND_IN_COMMAND,
    add_user,
    connect,
    eventually,
    gone,
    log_lines,
    open_terminal,
    pid_on,
    read_until,
    running,
    server_options,
    settle,
)

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
def client_key() -> asyncssh.SSHKey:
    return asyncssh.generate_private_key("ssh-ed25519")


@pytest.fixture
def make_options(tmp_path: Path, client_key: asyncssh.SSHKey) -> Any:
    """Options for a server where alice logs in with ``client_key``; changes as keywords."""
    add_user(tmp_path / "users", "alice", client_key)

    def make(**changes: Any) -> Any:
        return server_options(tmp_path, **changes)

    return make


def data_folder_of(tmp_path: Path, user: str) -> Path:
    (folder,) = (tmp_path / "users" / user).glob("data-*")
    return folder


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
    tmp_path: Path, client_key: asyncssh.SSHKey, make_options: Any
) -> None:
    options = make_options(reader_args=("--demo",))
    async with running(options) as (port, table), connect(port, client_key) as conn:
        # Wide enough that the long lines (the folder's name) are not wrapped.
        process, terminal = await open_terminal(conn, 250, 30)
        screen = terminal.text()
        folder = data_folder_of(tmp_path, "alice")
        assert f"ARGS --data-dir {folder} --demo" in screen
        assert f"CWD {folder}" in screen
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert "TERM=xterm-256color REMOTE=1" in screen
        env_line = next(line for line in screen.splitlines() if line.startswith("ENV "))
        allowed = {"PATH", "HOME", "TMPDIR", "LANG", "TERM", "SSH_CONNECTION", "READER_REMOTE"}
        allowed.add("LC_CTYPE")
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
    tmp_path: Path, client_key: asyncssh.SSHKey, make_options: Any
) -> None:
    async with running(make_options()) as (port, table):
        async with connect(port, client_key) as conn:
            result = await asyncio.wait_for(conn.run(term_type=None), 10)
        assert result.exit_status == 1
        assert "ssh -t" in result.stderr
        assert table.reader_pids() == []


async def test_exec_sftp_and_forwarding_are_refused(
    tmp_path: Path, client_key: asyncssh.SSHKey, make_options: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="reader.serve.ssh")
    async with running(make_options()) as (port, table):
        async with connect(port, client_key) as conn:
            # A command is answered, not dropped: the client reads why before the channel closes.
            result = await asyncio.wait_for(conn.run("id"), 10)
            assert result.exit_status == 1
            assert "runs the reader and nothing else" in result.stderr
            assert "ssh -t" in result.stderr
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
    refused = [line for line in log_lines(caplog.records) if line.startswith("request refused")]
    assert [line.split("request=")[1] for line in refused] == [
        "command",
        '"subsystem sftp"',
        '"port forwarding"',
        '"remote port forwarding"',
        '"socket forwarding"',
        '"remote socket forwarding"',
    ]
    assert all("user=alice peer=127.0.0.1:" in line for line in refused)


async def test_x11_and_agent_forwarding_are_refused(
    tmp_path: Path, client_key: asyncssh.SSHKey, make_options: Any
) -> None:
    async with running(make_options()) as (port, _table):
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


async def test_sessions_are_bounded(
    tmp_path: Path, client_key: asyncssh.SSHKey, make_options: Any
) -> None:
    options = make_options(limits=Limits(max_sessions=2))
    async with running(options) as (port, table), connect(port, client_key) as conn:
        first, _ = await open_terminal(conn)
        await open_terminal(conn)
        with pytest.raises(asyncssh.ChannelOpenError) as refused:
            await conn.create_process(term_type="xterm", encoding=None)
        assert refused.value.reason == FULL_MESSAGE

        first.stdin.write(b"q")
        await asyncio.wait_for(first.wait_closed(), 10)
        assert await eventually(lambda: table.session_count < 2)
        await open_terminal(conn)


@pytest.mark.parametrize("stubborn", [False, True], ids=["polite", "ignores-sighup"])
async def test_a_dropped_connection_ends_the_reader(
    client_key: asyncssh.SSHKey, make_options: Any, stubborn: bool
) -> None:
    reader_args = ("--stubborn",) if stubborn else ()
    options = make_options(reader_args=reader_args)
    async with running(options) as (port, table):
        conn = await connect(port, client_key)
        _process, terminal = await open_terminal(conn)
        pid = pid_on(terminal.text())
        conn.abort()
        assert await gone(pid), f"reader {pid} outlived its connection"
        assert await eventually(lambda: table.session_count == 0)


async def test_anonymous_sessions_leave_nothing_behind(
    tmp_path: Path, client_key: asyncssh.SSHKey, make_options: Any
) -> None:
    options = make_options(anonymous=True)
    async with running(options) as (port, _table):
        async with connect(port, None, username="guest") as conn:
            process, terminal = await open_terminal(conn, 250, 30)
            match = re.search(r"ARGS --data-dir (\S+)", terminal.text())
            assert match
            folder = Path(match.group(1))
            assert folder.is_dir() and folder.name.startswith("guest-")
            assert tmp_path / "users" / "alice" not in folder.parents
            process.stdin.write(b"q")
            await asyncio.wait_for(process.wait_closed(), 10)
        assert await eventually(lambda: not folder.exists())


async def test_sessions_are_logged_with_the_key_fingerprint_only(
    client_key: asyncssh.SSHKey, make_options: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="reader.serve.ssh")
    options = make_options()
    async with running(options) as (port, _table), connect(port, client_key) as conn:
        process, _ = await open_terminal(conn)
        process.stdin.write(b"q")
        await asyncio.wait_for(process.wait_closed(), 10)
    lines = log_lines(caplog.records)
    fingerprint = client_key.get_fingerprint("sha256")
    logins = [line for line in lines if line.startswith("login user=alice peer=127.0.0.1:")]
    assert len(logins) == 1 and logins[0].endswith(f" key={fingerprint}"), lines
    assert any(line.startswith("session start user=alice peer=127.0.0.1:") for line in lines)
    assert any(line.startswith("session end user=alice peer=127.0.0.1:") for line in lines)
    public = client_key.export_public_key().decode().split()[1]
    assert not any(public in line or "PRIVATE" in line for line in lines)


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
        "TMPDIR",
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
    assert options.port == 2222 and options.limits.max_sessions == 3
    assert options.host == "127.0.0.1" and options.run_as is None
    assert options.reader_args == ("--demo", "--site", "x")
    assert not options.anonymous
    assert options.host_key.name == "host_key"

    defaults = options_from_args(serve_parser().parse_args(["serve", "ssh"]))
    assert defaults.port == 8022 and defaults.reader_args == ()
    assert defaults.limits == Limits()

    words = ["serve", "ssh", "--max-unauthenticated", "5", "--max-per-address", "2",
             "--login-timeout", "3", "--no-session-timeout", "7", "--idle-timeout", "0.5",
             "--max-connections", "9"]  # fmt: skip
    limits = options_from_args(serve_parser().parse_args(words)).limits
    assert (limits.max_unauthenticated, limits.max_per_address) == (5, 2)
    assert (limits.login_timeout, limits.no_session_timeout, limits.idle_timeout) == (3, 7, 30)
    assert limits.logged_in_limit == 9
    with pytest.raises(ValueError, match="--max-per-address"):
        options_from_args(serve_parser().parse_args(["serve", "ssh", "--max-per-address", "0"]))
    with pytest.raises(ValueError, match="no account"):
        options_from_args(serve_parser().parse_args(["serve", "ssh", "--run-as", "no-such-x"]))

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
async def test_end_to_end_with_the_real_reader(
    client_key: asyncssh.SSHKey, make_options: Any
) -> None:
    options = make_options(
        reader_command=(sys.executable, "-I", "-m", "reader"), reader_args=("--demo",)
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
