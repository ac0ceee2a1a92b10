"""`reader serve ssh`: host the reader over SSH, one reader in its own pseudo-terminal per session.

The rules, in short: public-key logins only, unless ``--anonymous`` is asked for by name; a
session's shell request starts ``python -m reader`` and nothing else, never a shell; exec,
subsystem (sftp), X11, agent and every kind of forwarding are refused; each user reads from a
private data folder; sessions and connections are bounded; a dropped connection takes its
reader's whole process group down with it.

asyncssh is an optional extra, imported only when a server starts. The behaviour lives in plain
classes here (:class:`ReaderProcess`, :class:`SessionTable` and two handler mixins); the asyncssh
subclasses are assembled from them on first use by :func:`_handler_types`.

The reader's command line imports this module for :func:`add_arguments` on every start, so
asyncio, asyncssh and platformdirs are imported inside the functions that use them: building
the parser for ``reader --help`` should not cost an event loop.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import logging
import os
import re
import shutil
import signal
import struct
import sys
import tempfile
import termios
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from reader.serve import SERVE_FAILED, MissingExtra

if TYPE_CHECKING:
    import asyncio

    import asyncssh

_log = logging.getLogger("reader.serve.ssh")

SSH_EXTRA_MESSAGE = "the 'ssh' extra is not installed: pip install 'stemcell-reader[ssh]'"
NO_TERMINAL_MESSAGE = (
    "The reader is a full-screen program and needs a terminal: connect with ssh -t.\r\n"
)
NO_COMMANDS_MESSAGE = "This server runs the reader and nothing else: connect with ssh -t.\r\n"
FULL_MESSAGE = "The reader is already serving as many sessions as it can; please try again later."
USERNAME_RULE = "user names may use letters, digits, '.', '_' and '-', at most 32 of them"
DEFAULT_TERM = "xterm-256color"

_USERNAME = re.compile(r"[A-Za-z0-9._-]{1,32}")
_TERM_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")
_READ_SIZE = 64 * 1024
# Keys a client pastes faster than the reader reads them wait here; past this the SSH channel
# stops reading, so the client's own window holds the rest instead of our memory.
_INPUT_HIGH_WATER = 64 * 1024


def import_asyncssh() -> ModuleType:
    """Import asyncssh, or explain which extra to install."""
    try:
        import asyncssh
    except ImportError as error:
        raise MissingExtra(SSH_EXTRA_MESSAGE) from error
    return asyncssh


def _data_home(data_dir: str | os.PathLike[str] | None = None) -> Path:
    # --data-dir and READER_DATA_DIR move everything the reader keeps, the server's files too.
    chosen = data_dir or os.environ.get("READER_DATA_DIR")
    if not chosen:
        import platformdirs

        chosen = platformdirs.user_data_dir("reader")
    return Path(chosen)


def default_host_key_path(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Where the server keeps its host key unless ``--host-key`` says otherwise."""
    return _data_home(data_dir) / "ssh" / "host_key"


def default_data_root(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Where per-user data folders live unless ``--data-root`` says otherwise."""
    return _data_home(data_dir) / "ssh" / "users"


def default_authorized_keys() -> Path:
    """The server account's own authorized_keys file."""
    return Path.home() / ".ssh" / "authorized_keys"


@dataclass(frozen=True)
class SSHOptions:
    """Everything one SSH server needs to know; the command line fills it in."""

    host: str = "127.0.0.1"
    port: int = 8022
    host_key: Path = field(default_factory=default_host_key_path)
    authorized_keys: Path = field(default_factory=default_authorized_keys)
    anonymous: bool = False
    max_sessions: int = 16
    data_root: Path = field(default_factory=default_data_root)
    reader_args: tuple[str, ...] = ()
    #: The program each session runs; ``--data-dir <folder>`` and ``reader_args`` follow it.
    reader_command: tuple[str, ...] = (sys.executable, "-m", "reader")
    #: Seconds a client has to finish logging in before it is dropped.
    login_timeout: float = 15.0
    #: Seconds between SIGHUP and SIGKILL when a session's reader is hung up on.
    hangup_grace: float = 2.0
    #: Open connections allowed at once, logged in or not; 0 means four per session slot.
    max_connections: int = 0

    @property
    def connection_limit(self) -> int:
        """The number of connections the server holds open at most."""
        return self.max_connections or max(64, 4 * self.max_sessions)


def is_valid_username(name: str) -> bool:
    """True for a user name that is safe as a folder name under the data root."""
    return _USERNAME.fullmatch(name) is not None and name not in {".", ".."}


class TerminalSize(NamedTuple):
    """A terminal's size in character cells, and in pixels when the client says."""

    columns: int
    rows: int
    pixel_width: int = 0
    pixel_height: int = 0

    @classmethod
    def from_client(
        cls, width: int, height: int, pixel_width: int = 0, pixel_height: int = 0
    ) -> TerminalSize:
        """The size a client asked for, with zeros replaced and silly values capped."""

        def cap(value: int, default: int) -> int:
            return min(value, 4096) if value > 0 else default

        return cls(cap(width, 80), cap(height, 24), cap(pixel_width, 0), cap(pixel_height, 0))


def set_window_size(fd: int, size: TerminalSize) -> None:
    """Tell a pseudo-terminal its size (TIOCSWINSZ takes rows first)."""
    packed = struct.pack("HHHH", size.rows, size.columns, size.pixel_width, size.pixel_height)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, packed)


def session_environment(
    *,
    term: str | None,
    client_env: Mapping[str, str],
    ssh_connection: str,
    home: Path,
) -> dict[str, str]:
    """The whole environment of a session's reader: a short list, nothing of the server's."""
    term = term if term and _TERM_NAME.fullmatch(term) else DEFAULT_TERM
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        # HOME is the session's own folder, so config and cache stay per user (and vanish
        # with an anonymous session) instead of landing in the server account's home.
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "TERM": term,
        "SSH_CONNECTION": ssh_connection,
        "READER_REMOTE": "1",
    }
    colorterm = client_env.get("COLORTERM", "")
    if colorterm in {"truecolor", "24bit"} or term.endswith("-direct"):
        env["COLORTERM"] = "truecolor"
    if client_env.get("NO_COLOR"):
        env["NO_COLOR"] = "1"
    return env


class TerminalSink(Protocol):
    """Where a :class:`ReaderProcess` sends what happens in its terminal."""

    def output(self, data: bytes) -> None:
        """The program wrote ``data`` to its terminal."""

    def input_blocked(self, blocked: bool) -> None:
        """Keys are piling up faster than the program reads them (or have drained again)."""

    def exited(self, status: int) -> None:
        """The program ended with ``status`` (128 + N when killed by signal N)."""


def _take_controlling_terminal() -> None:
    # Runs in the child between fork and exec, after start_new_session's setsid(): make the
    # pty (already on fd 0) the controlling terminal, so the kernel delivers SIGWINCH and
    # SIGHUP to the reader the way a login would.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class ReaderProcess:
    """A program running as the leader of a new session in a new pseudo-terminal of its own."""

    def __init__(
        self, argv: Sequence[str], env: Mapping[str, str], cwd: Path, sink: TerminalSink
    ) -> None:
        self._argv = list(argv)
        self._env = dict(env)
        self._cwd = cwd
        self._sink = sink
        self._size = TerminalSize(80, 24)
        self._master: int | None = None
        self._process: asyncio.subprocess.Process | None = None
        self._watcher: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending_input = bytearray()
        self._writing = False
        self._input_blocked = False
        self._output_paused = False
        self._hung_up = False

    @property
    def pid(self) -> int | None:
        """The program's process id (also its process group id), once started."""
        return None if self._process is None else self._process.pid

    async def start(self, size: TerminalSize) -> None:
        """Open a pty of ``size``, start the program on it, and begin relaying."""
        import asyncio

        self._loop = asyncio.get_running_loop()
        self._size = size
        master, slave = os.openpty()
        try:
            set_window_size(slave, size)
            self._process = await asyncio.create_subprocess_exec(
                *self._argv,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=self._env,
                cwd=self._cwd,
                start_new_session=True,
                preexec_fn=_take_controlling_terminal,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            # Only the child keeps the slave open, so its exit shows up here as EIO.
            os.close(slave)
        os.set_blocking(master, False)
        self._master = master
        self._watcher = self._loop.create_task(self._wait_for_exit())
        if not self._output_paused:
            self._loop.add_reader(master, self._read_output)
        self._flush_input()

    def write(self, data: bytes) -> None:
        """Type ``data`` into the terminal (kept until the program is ready for it)."""
        self._pending_input += data
        self._flush_input()

    def resize(self, size: TerminalSize) -> None:
        """Change the terminal's size and tell the program (SIGWINCH)."""
        self._size = size
        if self._master is None:
            return
        with contextlib.suppress(OSError):
            set_window_size(self._master, size)
        self._signal_group(signal.SIGWINCH)

    def pause_output(self) -> None:
        """Stop reading the program's output; it blocks once the pty's buffer is full."""
        self._output_paused = True
        if self._master is not None and self._loop is not None:
            self._loop.remove_reader(self._master)

    def resume_output(self) -> None:
        """Read the program's output again after :meth:`pause_output`."""
        self._output_paused = False
        if self._master is not None and self._loop is not None and not self._hung_up:
            self._loop.add_reader(self._master, self._read_output)

    async def stop(self, grace: float) -> None:
        """Hang up: SIGHUP to the process group, SIGKILL after ``grace`` seconds, fds closed."""
        import asyncio

        self._hung_up = True
        process = self._process
        try:
            if process is not None and process.returncode is None:
                self._signal_group(signal.SIGHUP)
                try:
                    await asyncio.wait_for(asyncio.shield(process.wait()), grace)
                except TimeoutError:
                    self._signal_group(signal.SIGKILL)
                    await process.wait()
            if self._watcher is not None:
                await self._watcher
        finally:
            if process is not None and process.returncode is None:
                # Cancelled halfway (the event loop is closing): no time left to be polite.
                self._signal_group(signal.SIGKILL)
            self._close_master()

    def _read_output(self) -> None:
        if self._master is None or self._loop is None:
            return
        try:
            data = os.read(self._master, _READ_SIZE)
        except BlockingIOError:
            return
        except OSError:
            # EIO: every copy of the slave side is closed, so the program is gone.
            data = b""
        if data:
            self._sink.output(data)
        else:
            self._loop.remove_reader(self._master)

    def _flush_input(self) -> None:
        master, loop = self._master, self._loop
        if master is None or loop is None:
            return
        while self._pending_input:
            try:
                written = os.write(master, self._pending_input)
            except BlockingIOError:
                break
            except OSError:
                # The program has gone; nobody will read these keys.
                self._pending_input.clear()
                break
            del self._pending_input[:written]
        if self._pending_input and not self._writing:
            loop.add_writer(master, self._flush_input)
            self._writing = True
        elif not self._pending_input and self._writing:
            loop.remove_writer(master)
            self._writing = False
        if len(self._pending_input) > _INPUT_HIGH_WATER and not self._input_blocked:
            self._input_blocked = True
            self._sink.input_blocked(True)
        elif not self._pending_input and self._input_blocked:
            self._input_blocked = False
            self._sink.input_blocked(False)

    async def _wait_for_exit(self) -> None:
        assert self._process is not None
        status = await self._process.wait()
        if not self._hung_up:
            self._drain_output()
        # Anything the reader started and left behind shares its process group. The group id
        # cannot be handed to a new process while any member lives, so this reaches only them.
        self._signal_group(signal.SIGHUP)
        self._close_master()
        self._sink.exited(status if status >= 0 else 128 - status)

    def _drain_output(self) -> None:
        # The program's last words (restoring the screen) may still sit in the pty.
        while self._master is not None:
            try:
                data = os.read(self._master, _READ_SIZE)
            except OSError:
                return
            if not data:
                return
            self._sink.output(data)

    def _signal_group(self, signum: signal.Signals) -> None:
        if self._process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._process.pid, signum)

    def _close_master(self) -> None:
        master, self._master = self._master, None
        if master is None:
            return
        if self._loop is not None:
            self._loop.remove_reader(master)
            self._loop.remove_writer(master)
        self._writing = False
        os.close(master)


class SessionTable:
    """The connections and sessions one server holds, kept within its limits."""

    def __init__(self, max_sessions: int, max_connections: int) -> None:
        self.max_sessions = max_sessions
        self.max_connections = max_connections
        self._connections: set[Any] = set()
        self._sessions: set[_SessionHandler] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def session_count(self) -> int:
        """Sessions open now, counting those whose reader is still being shut down."""
        return len(self._sessions)

    @property
    def connection_count(self) -> int:
        """SSH connections open now, logged in or not."""
        return len(self._connections)

    def reader_pids(self) -> list[int]:
        """Process ids of the readers running now."""
        return [pid for session in self._sessions if (pid := session.reader_pid) is not None]

    def add_connection(self, conn: object) -> bool:
        """Take a new connection, or say no when the server already holds its limit."""
        if len(self._connections) >= self.max_connections:
            return False
        self._connections.add(conn)
        return True

    def remove_connection(self, conn: object) -> None:
        """Forget a closed connection."""
        self._connections.discard(conn)

    def add_session(self, session: _SessionHandler) -> bool:
        """Take a new session, or say no when every slot is in use."""
        if len(self._sessions) >= self.max_sessions:
            return False
        self._sessions.add(session)
        return True

    def remove_session(self, session: _SessionHandler) -> None:
        """Free a session's slot once its reader is gone."""
        self._sessions.discard(session)

    def run(self, work: Any) -> asyncio.Task[None]:
        """Run a coroutine the server must let finish before it shuts down."""
        import asyncio

        task: asyncio.Task[None] = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def close(self) -> None:
        """Close every connection and wait until every reader has been hung up on."""
        import asyncio

        for conn in list(self._connections):
            conn.close()
        for conn in list(self._connections):
            await conn.wait_closed()
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


def _address(conn: Any, name: str) -> tuple[str, int]:
    address = conn.get_extra_info(name) or ("?", 0)
    return str(address[0]), int(address[1])


class _ConnectionHandler:
    """One SSH connection: who may log in, and which channels they may open."""

    def __init__(self, options: SSHOptions, table: SessionTable, session_type: type[Any]) -> None:
        self.options = options
        self.table = table
        self.username = ""
        self.conn: Any = None
        #: The client's address and ours, noted while the connection is up to log afterwards.
        self.peer = ("?", 0)
        self.local = ("?", 0)
        self._session_type = session_type
        self._counted = False

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        self.peer = _address(conn, "peername")
        self.local = _address(conn, "sockname")
        self._counted = self.table.add_connection(conn)
        if not self._counted:
            conn.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._counted:
            self.table.remove_connection(self.conn)

    def begin_auth(self, username: str) -> bool:
        ssh = import_asyncssh()
        if not is_valid_username(username):
            raise ssh.IllegalUserName(USERNAME_RULE)
        self.username = username
        if self.options.anonymous:
            return False
        try:
            # Read on every login, so keys added or removed apply without a restart.
            self.conn.set_authorized_keys(str(self.options.authorized_keys))
        except (OSError, ssh.KeyImportError) as error:
            _log.warning("cannot read authorized keys: %s", error)
            raise ssh.PermissionDenied("no keys are authorized on this server") from None
        return True

    def host_based_auth_supported(self) -> bool:
        return False

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    def session_requested(self) -> Any:
        session = self._session_type(self)
        if not self.table.add_session(session):
            ssh = import_asyncssh()
            _log.info("session refused user=%s peer=%s:%d: full", self.username, *self.peer)
            raise ssh.ChannelOpenError(ssh.OPEN_RESOURCE_SHORTAGE, FULL_MESSAGE)
        return session

    def connection_requested(
        self, dest_host: str, dest_port: int, orig_host: str, orig_port: int
    ) -> bool:
        return False

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        return False

    def unix_connection_requested(self, dest_path: str) -> bool:
        return False

    def unix_server_requested(self, listen_path: str) -> bool:
        return False


class _SessionHandler:
    """One session channel: a pty request, then a shell request that starts the reader."""

    def __init__(self, connection: _ConnectionHandler) -> None:
        self._connection = connection
        self._chan: Any = None
        self._term: str | None = None
        self._size = TerminalSize(80, 24)
        self._process: ReaderProcess | None = None
        self._starting: asyncio.Task[None] | None = None
        self._throwaway: Path | None = None
        self._closed = False
        self._started_at = 0.0
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
        self._chan.write_stderr(NO_COMMANDS_MESSAGE.encode())
        return False

    def subsystem_requested(self, subsystem: str) -> bool:
        return False

    def session_started(self) -> None:
        if self._term is None:
            self._chan.write_stderr(NO_TERMINAL_MESSAGE.encode())
            self._chan.exit(1)
            return
        self._starting = self._connection.table.run(self._start_reader())

    def data_received(self, data: bytes, datatype: int | None) -> None:
        if self._process is not None and datatype is None:
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
        if not self._closed:
            self._chan.exit(status)

    # the session's life

    async def _start_reader(self) -> None:
        import subprocess

        options = self._connection.options
        try:
            folder = self._data_folder()
            argv = [*options.reader_command, "--data-dir", str(folder), *options.reader_args]
            env = session_environment(
                term=self._term,
                client_env=self._chan.get_environment(),
                ssh_connection=self._ssh_connection(),
                home=folder,
            )
            self._process = ReaderProcess(argv, env, folder, self)
            self._started_at = time.monotonic()
            await self._process.start(self._size)
        except (OSError, subprocess.SubprocessError) as error:
            _log.warning("session failed user=%s: %s", self._connection.username, error)
            self._process = None
            if not self._closed:
                self._chan.write_stderr(b"The reader could not be started.\r\n")
                self._chan.exit(1)
            return
        _log.info(
            "session start user=%s peer=%s:%d pid=%s",
            self._connection.username,
            *self._connection.peer,
            self._process.pid,
        )

    def _data_folder(self) -> Path:
        options = self._connection.options
        if options.anonymous:
            self._throwaway = Path(tempfile.mkdtemp(prefix="reader-guest-"))
            return self._throwaway
        folder = options.data_root / self._connection.username
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return folder

    def _ssh_connection(self) -> str:
        (peer_host, peer_port), (host, port) = self._connection.peer, self._connection.local
        return f"{peer_host} {peer_port} {host} {port}"

    async def _finish(self) -> None:
        import asyncio

        try:
            if self._starting is not None:
                # A client gone mid-start: let the reader finish starting, then stop it.
                await asyncio.wait([self._starting])
            if self._process is not None and self._process.pid is not None:
                await self._process.stop(self._connection.options.hangup_grace)
                _log.info(
                    "session end user=%s peer=%s:%d status=%s seconds=%.0f",
                    self._connection.username,
                    *self._connection.peer,
                    self._status,
                    time.monotonic() - self._started_at,
                )
        finally:
            if self._throwaway is not None:
                shutil.rmtree(self._throwaway, ignore_errors=True)
            self._connection.table.remove_session(self)


@cache
def _handler_types() -> tuple[type[Any], type[Any]]:
    """The asyncssh server and session classes, built from the mixins on first use."""
    import_asyncssh()
    import asyncssh

    class ReaderServer(_ConnectionHandler, asyncssh.SSHServer):
        """The asyncssh face of :class:`_ConnectionHandler`."""

    class ReaderSession(_SessionHandler, asyncssh.SSHServerSession[bytes]):
        """The asyncssh face of :class:`_SessionHandler`."""

    return ReaderServer, ReaderSession


def load_host_key(path: Path) -> asyncssh.SSHKey:
    """Read the server's host key, creating an ed25519 one (mode 0600) on first start."""
    import_asyncssh()
    import asyncssh

    if path.exists():
        return _read_host_key(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = asyncssh.generate_private_key("ssh-ed25519")
    # Written whole under a temporary name, then linked into place: a second server starting
    # at the same moment sees either no key or a complete one, never half of one.
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".host_key-")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(key.export_private_key())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return _read_host_key(path)
    finally:
        os.unlink(temporary)
    return key


def _read_host_key(path: Path) -> asyncssh.SSHKey:
    if path.stat().st_mode & 0o077:
        raise PermissionError(f"{path} can be read by other users; run: chmod 600 {path}")
    import_asyncssh()
    import asyncssh

    key: asyncssh.SSHKey = asyncssh.read_private_key(str(path))
    return key


async def start_server(
    options: SSHOptions, table: SessionTable | None = None
) -> asyncssh.SSHAcceptor:
    """Listen for SSH clients; each session runs a reader. ``table`` tracks what is open."""
    ssh = import_asyncssh()
    host_key = load_host_key(options.host_key)
    if not options.anonymous and not options.authorized_keys.is_file():
        raise FileNotFoundError(
            f"no authorized keys at {options.authorized_keys}: pass --authorized-keys PATH, "
            "or --anonymous to let anyone in"
        )
    table = table or SessionTable(options.max_sessions, options.connection_limit)
    server_type, session_type = _handler_types()
    acceptor: asyncssh.SSHAcceptor = await ssh.listen(
        options.host,
        options.port,
        server_factory=lambda: server_type(options, table, session_type),
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
        login_timeout=options.login_timeout,
        # Finds clients that vanished without closing (a laptop lid, a dropped Wi-Fi).
        keepalive_interval=30,
        keepalive_count_max=3,
    )
    return acceptor


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``reader serve ssh`` to ``parser``."""
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8022, help="port to listen on")
    parser.add_argument(
        "--host-key",
        type=Path,
        metavar="PATH",
        help="server host key, created on first start (default: DATA_DIR/ssh/host_key)",
    )
    parser.add_argument(
        "--authorized-keys",
        type=Path,
        metavar="PATH",
        help="public keys allowed to log in (default: ~/.ssh/authorized_keys)",
    )
    parser.add_argument(
        "--anonymous",
        action="store_true",
        help="let anyone in without a key; each session reads from a folder deleted at the end",
    )
    parser.add_argument(
        "--max-sessions", type=int, default=16, metavar="N", help="readers running at once"
    )
    parser.add_argument(
        "--data-root",
        type=Path,
        metavar="DIR",
        help="per-user data folders go in DIR/<user> (default: DATA_DIR/ssh/users)",
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
    if args.max_sessions < 1:
        raise ValueError("--max-sessions must be at least 1")
    if not 0 <= args.port <= 65535:
        raise ValueError("--port must be between 0 and 65535")
    # "reader --data-dir DIR serve ssh" keeps the server's key and users' folders under DIR.
    data_dir = getattr(args, "data_dir", None)
    return SSHOptions(
        host=args.host,
        port=args.port,
        host_key=args.host_key or default_host_key_path(data_dir),
        authorized_keys=args.authorized_keys or default_authorized_keys(),
        anonymous=args.anonymous,
        max_sessions=args.max_sessions,
        data_root=args.data_root or default_data_root(data_dir),
        reader_args=reader_args,
    )


def run(args: argparse.Namespace) -> int:
    """Run ``reader serve ssh`` until SIGINT or SIGTERM; return the exit status."""
    try:
        options = options_from_args(args)
        import_asyncssh()
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

    table = SessionTable(options.max_sessions, options.connection_limit)
    try:
        acceptor = await start_server(options, table)
    except import_asyncssh().KeyImportError as error:
        raise ValueError(f"cannot read host key {options.host_key}: {error}") from None
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    where = f"{options.host}:{acceptor.get_port()}"
    if options.anonymous:
        print(f"reader serve ssh: anyone who can reach {where} gets a reader", file=sys.stderr)
    print(
        f"reader serve ssh: listening on {where}; connect with ssh -t -p "
        f"{acceptor.get_port()} <user>@{options.host}",
        file=sys.stderr,
    )
    await stop.wait()
    acceptor.close()
    await table.close()
    return 0
