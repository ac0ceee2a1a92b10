"""`reader serve ssh` as OpenSSH's own client sees it: logins, refusals and floods.

The server runs on this test's event loop; ``ssh`` runs in a thread (in a pseudo-terminal of its
own when the test types into it), so the two never wait on each other.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncssh
import pytest

from reader.serve.limits import TOO_MANY_FROM_ADDRESS, Limits
from tests.support.pty_screen import PtyApp
from tests.support.real_clients import (
    known_hosts_for,
    require_program,
    ssh_command,
    write_identity,
)
from tests.support.ssh_server import add_user, running, server_options

pytestmark = pytest.mark.timeout(90)


@pytest.fixture(scope="module")
def ssh() -> str:
    return require_program("ssh", package="openssh-client")


class Stand:
    """A server with users alice (ed25519) and bob (RSA), and identity files for ``ssh``."""

    def __init__(self, tmp_path: Path, ssh: str) -> None:
        self.tmp_path = tmp_path
        self.ssh = ssh
        self.keys = {
            "alice": asyncssh.generate_private_key("ssh-ed25519"),
            "bob": asyncssh.generate_private_key("ssh-rsa", key_size=3072),
        }
        self.identities = {
            name: write_identity(tmp_path / "client", name, key) for name, key in self.keys.items()
        }
        for name, key in self.keys.items():
            add_user(tmp_path / "users", name, key)
        self.port = 0
        self.known_hosts = tmp_path / "client" / "known_hosts"

    def command(
        self, user: str, *options: str, key: str | None = None, command: tuple[str, ...] = ()
    ) -> list[str]:
        identity = self.identities[key or user]
        return ssh_command(
            self.ssh, self.port, user, identity, self.known_hosts, *options, command=command
        )

    async def run(
        self, user: str, *options: str, key: str | None = None, command: tuple[str, ...] = ()
    ) -> subprocess.CompletedProcess[str]:
        argv = self.command(user, *options, key=key, command=command)
        return await asyncio.to_thread(
            subprocess.run,
            argv,
            capture_output=True,
            text=True,
            timeout=30,
            stdin=subprocess.DEVNULL,
        )

    async def log_in(self, user: str, *options: str, key: str | None = None) -> str:
        """Log in with ``ssh -t`` in a pty, type keys, quit; the screen as the user saw it."""
        argv = self.command(user, "-t", *options, key=key)

        def session() -> str:
            with PtyApp(argv, cols=100, rows=30) as app:
                app.wait_for("SIZE 100x30", timeout=20)
                app.send("hi")
                screen = app.wait_for("KEY 6869")
                app.resize(90, 20)
                app.wait_for("SIZE 90x20")
                app.send("q")
                app.wait_for("closed.", timeout=20)
                return screen

        return await asyncio.to_thread(session)


@contextlib.asynccontextmanager
async def stand(tmp_path: Path, ssh: str, **changes: Any) -> AsyncIterator[Stand]:
    place = Stand(tmp_path, ssh)
    options = server_options(tmp_path, **changes)
    async with running(options) as (port, _table):
        place.port = port
        known_hosts_for(tmp_path / "client", port, asyncssh.read_private_key(options.host_key))
        yield place


async def test_two_users_log_in_with_their_own_keys_and_not_as_each_other(
    tmp_path: Path, ssh: str
) -> None:
    async with stand(tmp_path, ssh) as place:
        alice = await place.log_in("alice")
        bob = await place.log_in("bob")
        assert f"CWD {tmp_path / 'users' / 'alice'}" in alice
        assert f"CWD {tmp_path / 'users' / 'bob'}" in bob
        for user, key in (("bob", "alice"), ("alice", "bob"), ("carol", "alice")):
            refused = await place.run(user, key=key, command=("true",))
            assert refused.returncode == 255
            assert "Permission denied (publickey)" in refused.stderr


async def test_commands_no_pty_sftp_and_forwarding_are_refused_with_words(
    tmp_path: Path, ssh: str
) -> None:
    async with stand(tmp_path, ssh) as place:
        command = await place.run("alice", command=("cat", "/etc/passwd"))
        assert command.returncode == 1
        assert "This server runs the reader and nothing else: connect with ssh -t." in (
            command.stderr
        )
        assert "root:" not in command.stdout
        no_pty = await place.run("alice", "-T")
        assert no_pty.returncode == 1 and "connect with ssh -t" in no_pty.stderr
        sftp = await place.run("alice", "-s", command=("sftp",))
        assert sftp.returncode != 0 and "subsystem request failed" in sftp.stderr
        forward = await place.run("alice", "-W", "127.0.0.1:22")
        assert forward.returncode == 255 and "administratively prohibited" in forward.stderr


async def test_old_crypto_fails_and_the_banner_names_no_library(tmp_path: Path, ssh: str) -> None:
    async with stand(tmp_path, ssh) as place:
        verbose = await place.run("alice", "-v", command=("true",))
        assert "remote software version reader" in verbose.stderr
        assert "AsyncSSH" not in verbose.stderr
        # bob's RSA key works with SHA-2 signatures, never with SHA-1 ("ssh-rsa").
        assert (await place.run("bob", command=("true",))).returncode == 1
        sha1 = await place.run("bob", "-o", "PubkeyAcceptedAlgorithms=ssh-rsa", command=("true",))
        assert sha1.returncode == 255 and "Permission denied" in sha1.stderr
        kex = await place.run(
            "alice", "-o", "KexAlgorithms=diffie-hellman-group14-sha1", command=("true",)
        )
        assert kex.returncode == 255 and "no matching key exchange method" in kex.stderr
        mac = await place.run(
            "alice", "-o", "Ciphers=aes128-ctr", "-o", "MACs=hmac-sha1", command=("true",)
        )
        assert mac.returncode == 255 and "no matching MAC found" in mac.stderr


async def test_a_flood_is_refused_with_a_reason_openssh_prints(tmp_path: Path, ssh: str) -> None:
    limits = Limits(max_unauthenticated=4, max_per_address=2, login_timeout=30)
    async with stand(tmp_path, ssh, limits=limits) as place:
        # Two take the address's places, ten more are refused: more than the server explains
        # itself to at once, so the oldest are dropped and the newest, ssh, is told why.
        sockets = [await asyncio.open_connection("127.0.0.1", place.port) for _ in range(12)]
        try:
            refused = await place.run("alice", "-b", "127.0.0.1", command=("true",))
            assert refused.returncode == 255
            assert "banner line contains invalid characters" not in refused.stderr
            assert f"Received disconnect from 127.0.0.1 port {place.port}:4: " in refused.stderr
            assert TOO_MANY_FROM_ADDRESS in refused.stderr
            # Someone at another address logs in through the flood.
            await place.log_in("bob", "-b", "127.0.0.2")
        finally:
            for _reader, writer in sockets:
                writer.close()


async def test_a_dumb_terminal_gets_one_line_from_the_real_reader(tmp_path: Path, ssh: str) -> None:
    reader = (sys.executable, "-I", "-m", "reader")
    async with stand(tmp_path, ssh, reader_command=reader, reader_args=("--demo",)) as place:
        argv = place.command("alice", "-t")

        def session() -> tuple[str, int | None]:
            with PtyApp(argv, cols=100, rows=30, env={"TERM": "dumb"}) as app:
                screen = app.wait_for("closed.", timeout=30)
                return screen, app.returncode

        screen, _status = await asyncio.to_thread(session)
        assert "cannot show a full-screen program" in screen
        assert "TERM=dumb" in screen


async def test_a_server_stop_gives_the_user_their_screen_and_the_reason(
    tmp_path: Path, ssh: str
) -> None:
    # Stopped (SIGTERM, ctrl+c: the same shutdown as leaving this block), the server told the
    # reader to hang up, wrote the user's screen back and a line saying why, then disconnected
    # at once: OpenSSH leaves on a disconnect without writing out what it holds, so the user
    # saw only "Received disconnect ... Disconnected by application".
    reader = (sys.executable, "-I", "-m", "reader")
    shown = threading.Event()
    async with stand(tmp_path, ssh, reader_command=reader, reader_args=("--demo",)) as place:
        argv = place.command("alice", "-t")

        def session() -> tuple[str, bytes, int | None]:
            with PtyApp(argv, cols=100, rows=30) as app:
                app.wait_for("Impact Reports", timeout=60)
                shown.set()
                app.wait_for_exit(timeout=30)
                return app.screen_text(), app.raw_output, app.returncode

        user = asyncio.ensure_future(asyncio.to_thread(session))
        assert await asyncio.to_thread(shown.wait, 60), await user
    screen, raw, status = await user
    assert "The server is shutting down." in screen, screen
    assert "Received disconnect" not in screen and "Disconnected" not in screen, screen
    # The normal screen, cursor and mouse back, then the line, last, then ssh's own goodbye
    # for a session that ended (not an error).
    tail = raw.rsplit(b"\x1b[?1049l", 1)[1]
    assert b"\x1b[?25h" in tail and b"\x1b[?1000l" in tail, tail
    assert tail.endswith(b"The server is shutting down.\r\nConnection to 127.0.0.1 closed.\r\r\n")
    # ssh ends with the reader's status (hung up), not its own 255 for a lost connection.
    assert status != 255, screen
