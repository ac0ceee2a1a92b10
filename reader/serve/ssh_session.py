"""One SSH session channel: a pty request, then a shell request that starts the reader.

Anything else a client asks of a session (a command, a subsystem such as sftp, a signal) is
refused and noted in the log; a refusal the client should read is written to its stderr and
the channel is closed only after it, so OpenSSH shows it.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.serve.accounts import data_folder, guest_folder, user_folder
from reader.serve.limits import TerminalSize
from reader.serve.reader_process import ReaderProcess, session_environment

if TYPE_CHECKING:
    import asyncio

    import asyncssh

    from reader.serve.ssh_login import ConnectionHandler

NO_TERMINAL_MESSAGE = (
    "The reader is a full-screen program and needs a terminal: connect with ssh -t.\r\n"
)
NO_COMMANDS_MESSAGE = "This server runs the reader and nothing else: connect with ssh -t.\r\n"
#: Where a reader started through :mod:`reader.serve.unprivileged` finds its own folder: the
#: server starts it there, and the folder's real name never shows in its command line.
OWN_FOLDER = "/proc/self/cwd"
#: Seconds a client whose session was ended is given to write out its last output (the
#: restored screen, the line saying why) and leave by itself, before the server disconnects.
CLIENT_LEAVE_GRACE = 2.0


def reader_argv(
    command: tuple[str, ...], uid_gid: tuple[int, int] | None, data_dir: str, args: tuple[str, ...]
) -> list[str]:
    """The command line of one session's reader, run as ``uid_gid`` when given."""
    if uid_gid is None:
        return [*command, "--data-dir", data_dir, *args]
    python, *rest = command
    rest = [part for part in rest if part != "-I"]
    if not rest or rest[0] not in {"-m", "-c"}:
        raise ValueError("with --run-as, the reader command must be 'python -m MODULE'")
    uid, gid = uid_gid
    drop = [python, "-I", "-m", "reader.serve.unprivileged", str(uid), str(gid), "--"]
    return [*drop, *rest, "--data-dir", data_dir, *args]


class SessionHandler:
    """One session channel and the reader running in it."""

    def __init__(self, connection: ConnectionHandler) -> None:
        self._connection = connection
        self._chan: Any = None
        self._term: str | None = None
        self._size = TerminalSize(80, 24)
        self._process: ReaderProcess | None = None
        self._starting: asyncio.Task[None] | None = None
        self._throwaway: Path | None = None
        self._refusal: str | None = None
        self._closed = False
        self._ended = False
        self._parting = b""
        self._started_at = 0.0
        self._last_key = 0.0
        self._idle_timer: asyncio.TimerHandle | None = None
        self._status: int | None = None

    @property
    def reader_pid(self) -> int | None:
        """The process id of this session's reader, while it has one."""
        return None if self._process is None else self._process.pid

    # asyncssh callbacks

    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self._chan = chan

    def pty_requested(
        self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Mapping[int, int]
    ) -> bool:
        self._term = term_type
        self._size = TerminalSize.from_client(*term_size)
        return True

    def shell_requested(self) -> bool:
        # Accepted even without a pty, so the client is told why in session_started.
        return True

    def exec_requested(self, command: str) -> bool:
        # Accepted, to be answered with a message and exit status 1: a refused request would
        # close the channel before the client has read why.
        self._connection.refused_request("command")
        self._refusal = NO_COMMANDS_MESSAGE
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        self._connection.refused_request(f"subsystem {subsystem[:40]}")
        return False

    def session_started(self) -> None:
        refusal = self._refusal or (NO_TERMINAL_MESSAGE if self._term is None else None)
        if refusal is not None:
            self._chan.write_stderr(refusal.encode())
            self._chan.exit(1)
            return
        self._starting = self._connection.table.run(self._start_reader())

    def data_received(self, data: bytes, datatype: int | None) -> None:
        if self._process is not None and datatype is None:
            self._last_key = time.monotonic()
            self._process.write(data)

    def eof_received(self) -> bool:
        # A terminal session ends when the reader quits or the connection drops, not on EOF.
        return True

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self._size = TerminalSize.from_client(width, height, pixwidth, pixheight)
        if self._process is not None:
            self._process.resize(self._size)

    def break_received(self, msec: int) -> bool:
        return False

    def signal_received(self, name: str) -> None:
        # The reader owns its terminal; a client's signal request is not a way to reach it.
        pass

    def pause_writing(self) -> None:
        if self._process is not None:
            self._process.pause_output()

    def resume_writing(self) -> None:
        if self._process is not None:
            self._process.resume_output()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._closed:
            return
        self._closed = True
        self._connection.table.run(self._finish())

    # TerminalSink

    def output(self, data: bytes) -> None:
        if not self._closed:
            self._chan.write(data)

    def input_blocked(self, blocked: bool) -> None:
        if self._closed:
            return
        if blocked:
            self._chan.pause_reading()
        else:
            self._chan.resume_reading()

    def exited(self, status: int) -> None:
        self._status = status
        self._cancel_idle_timer()
        if self._closed:
            return
        assert self._process is not None
        # However the reader ended (quit, crash, kill, hang-up), the user's terminal gets its
        # normal screen, cursor and mouse back.
        restore = self._process.modes.restore()
        if restore or self._parting:
            self._chan.write(restore + self._parting)
        self._chan.exit(status)

    # the session's life

    async def end(self, message: str) -> None:
        """Stop the reader, then restore the client's terminal and tell it ``message``."""
        if self._ended or self._closed:
            return
        self._ended = True
        self._parting = message.encode() + b"\r\n"
        if self._starting is not None:
            import asyncio

            await asyncio.wait([self._starting])
        if self._process is not None and self._process.pid is not None:
            await self._process.stop(self._connection.options.hangup_grace)
        elif not self._closed:
            self._chan.write(self._parting)
            self._chan.exit(1)
        await self._client_gone()

    async def _client_gone(self) -> None:
        """Wait a moment for the client to close the connection itself, its session over.

        OpenSSH leaves the moment it is sent a disconnect, without writing out the output it
        holds: a server stop that closed every connection as soon as the readers were gone
        showed the user only "Received disconnect ... Disconnected by application", not their
        screen back nor the line saying why.
        """
        import asyncio

        conn = self._connection.conn
        if conn is None:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(conn.wait_closed()), CLIENT_LEAVE_GRACE)

    async def _start_reader(self) -> None:
        import subprocess

        connection = self._connection
        options = connection.options
        run_as = options.run_as
        try:
            folder = self._data_folder()
            uid_gid = None if run_as is None else (run_as.uid, run_as.gid)
            data_dir = str(folder) if run_as is None else OWN_FOLDER
            argv = reader_argv(options.reader_command, uid_gid, data_dir, options.reader_args)
            env = session_environment(
                term=self._term,
                client_env=self._chan.get_environment(),
                ssh_connection=self._ssh_connection(),
                home=data_dir,
            )
            self._process = ReaderProcess(argv, env, folder, self)
            self._started_at = self._last_key = time.monotonic()
            await self._process.start(self._size)
        except (OSError, ValueError, subprocess.SubprocessError) as error:
            connection.log.event(
                "session failed", user=connection.username, reason=str(error) or type(error)
            )
            self._process = None
            if not self._closed:
                self._chan.write_stderr(b"The reader could not be started.\r\n")
                self._chan.exit(1)
            return
        connection.log.event(
            "session start",
            user=connection.username,
            peer=f"{connection.peer[0]}:{connection.peer[1]}",
            pid=self._process.pid,
        )
        self._start_idle_timer()

    def _data_folder(self) -> Path:
        options = self._connection.options
        if options.anonymous:
            self._throwaway = guest_folder(options.data_root, options.run_as)
            return self._throwaway
        home = user_folder(options.data_root, self._connection.username)
        return data_folder(home, options.run_as)

    def _ssh_connection(self) -> str:
        (peer_host, peer_port), (host, port) = self._connection.peer, self._connection.local
        return f"{peer_host} {peer_port} {host} {port}"

    def _start_idle_timer(self, delay: float | None = None) -> None:
        import asyncio

        timeout = self._connection.options.limits.idle_timeout
        if timeout > 0:
            loop = asyncio.get_running_loop()
            self._idle_timer = loop.call_later(timeout if delay is None else delay, self._idle)

    def _cancel_idle_timer(self) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None

    def _idle(self) -> None:
        # One timer per session, moved on only when it fires: typing costs nothing.
        timeout = self._connection.options.limits.idle_timeout
        quiet = time.monotonic() - self._last_key
        if quiet < timeout:
            self._start_idle_timer(timeout - quiet)
            return
        self._idle_timer = None
        connection = self._connection
        connection.log.event("session idle", user=connection.username, seconds=round(quiet))
        amount, unit = (
            (round(timeout), "second") if timeout < 120 else (round(timeout / 60), "minute")
        )
        message = f"Closed after {amount} {unit}{'s' if amount != 1 else ''} without a key."
        connection.table.run(self.end(message))

    async def _finish(self) -> None:
        import asyncio

        connection = self._connection
        self._cancel_idle_timer()
        try:
            if self._starting is not None:
                # A client gone mid-start: let the reader finish starting, then stop it.
                await asyncio.wait([self._starting])
            if self._process is not None and self._process.pid is not None:
                await self._process.stop(connection.options.hangup_grace)
                connection.log.event(
                    "session end",
                    user=connection.username,
                    peer=f"{connection.peer[0]}:{connection.peer[1]}",
                    status=self._status,
                    seconds=round(time.monotonic() - self._started_at),
                )
        finally:
            if self._throwaway is not None:
                shutil.rmtree(self._throwaway, ignore_errors=True)
            connection.table.remove_session(self)
            connection.session_ended()
