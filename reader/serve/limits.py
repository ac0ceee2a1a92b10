"""The bounds one SSH server keeps: who may connect, how many, for how long, how big a terminal.

Connections that have not logged in yet draw from their own pool, with a smaller share per
address, so a flood of idle sockets (or of clients that never finish logging in) never takes
the places of users who have: those have a pool of their own, and sessions one more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    import asyncio

#: Larger than any screen a person reads news on; a 4096x4096 terminal is an attack, not a view.
MAX_COLUMNS = 500
MAX_ROWS = 200
_MAX_PIXELS = 16384


@dataclass(frozen=True)
class Limits:
    """How much one server takes on, and how long it waits."""

    #: Readers running at once.
    max_sessions: int = 16
    #: Logged-in connections at once; 0 means four per session slot.
    max_connections: int = 0
    #: Connections still logging in, from anywhere.
    max_unauthenticated: int = 32
    #: Connections still logging in from one address.
    max_per_address: int = 8
    #: Seconds a client has to log in.
    login_timeout: float = 10.0
    #: Seconds a logged-in connection may stay open without a session (``ssh -N``).
    no_session_timeout: float = 30.0
    #: Seconds without a key typed before a session is closed; 0 keeps sessions forever.
    idle_timeout: float = 3600.0

    @property
    def logged_in_limit(self) -> int:
        """The number of logged-in connections the server holds open at most."""
        return self.max_connections or max(64, 4 * self.max_sessions)


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
        """The size a client asked for, zeros replaced by 80x24, the rest capped."""

        def cap(value: int, default: int, most: int) -> int:
            return min(value, most) if value > 0 else default

        return cls(
            cap(width, 80, MAX_COLUMNS),
            cap(height, 24, MAX_ROWS),
            cap(pixel_width, 0, _MAX_PIXELS),
            cap(pixel_height, 0, _MAX_PIXELS),
        )


class Session(Protocol):
    """What the table needs of a session."""

    @property
    def reader_pid(self) -> int | None:
        """The process id of the session's reader, while it has one."""

    async def end(self, message: str) -> None:
        """Tell the client ``message``, restore its terminal, and stop the reader."""


#: Why a connection was turned away, as the client is told.
TOO_MANY_LOGGING_IN = "too many connections are logging in; try again later"
TOO_MANY_FROM_ADDRESS = "too many connections from your address are logging in"
TOO_MANY_LOGGED_IN = "the server holds as many connections as it can; try again later"
FULL_MESSAGE = "The reader is already serving as many sessions as it can; please try again later."


class SessionTable:
    """The connections and sessions one server holds, kept within its :class:`Limits`."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._logging_in: dict[Any, str] = {}
        self._per_address: dict[str, int] = {}
        self._logged_in: set[Any] = set()
        # Oldest first: when too many are being refused, the oldest is dropped unexplained.
        self._refusing: dict[Any, None] = {}
        self._sessions: set[Session] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def session_count(self) -> int:
        """Sessions open now, counting those whose reader is still being shut down."""
        return len(self._sessions)

    @property
    def connection_count(self) -> int:
        """SSH connections open now, logged in or not."""
        return len(self._logging_in) + len(self._logged_in)

    @property
    def logging_in_count(self) -> int:
        """Connections that have not logged in yet."""
        return len(self._logging_in)

    def reader_pids(self) -> list[int]:
        """Process ids of the readers running now."""
        return [pid for session in self._sessions if (pid := session.reader_pid) is not None]

    def admit(self, conn: object, address: str) -> str | None:
        """Take a connection that has not logged in; the reason it is refused, or None."""
        if len(self._logging_in) >= self.limits.max_unauthenticated:
            return TOO_MANY_LOGGING_IN
        if self._per_address.get(address, 0) >= self.limits.max_per_address:
            return TOO_MANY_FROM_ADDRESS
        self._logging_in[conn] = address
        self._per_address[address] = self._per_address.get(address, 0) + 1
        return None

    def start_refusing(self, conn: object) -> Any:
        """Note a refused connection that is being told why; the oldest to drop if too many.

        The newest comes in rather than the oldest staying, so a flood of silent sockets
        cannot keep a real client from being told why it was turned away.
        """
        dropped = None
        if len(self._refusing) >= self.limits.max_unauthenticated:
            dropped = next(iter(self._refusing))
            del self._refusing[dropped]
        self._refusing[conn] = None
        return dropped

    def logged_in(self, conn: object) -> str | None:
        """Move a connection to the logged-in pool; the reason it is refused, or None."""
        self._forget_login(conn)
        if len(self._logged_in) >= self.limits.logged_in_limit:
            return TOO_MANY_LOGGED_IN
        self._logged_in.add(conn)
        return None

    def remove_connection(self, conn: object) -> None:
        """Forget a closed connection, wherever it was."""
        self._forget_login(conn)
        self._logged_in.discard(conn)
        self._refusing.pop(conn, None)

    def _forget_login(self, conn: object) -> None:
        address = self._logging_in.pop(conn, None)
        if address is not None:
            left = self._per_address[address] - 1
            if left:
                self._per_address[address] = left
            else:
                del self._per_address[address]

    def add_session(self, session: Session) -> bool:
        """Take a new session, or say no when every slot is in use."""
        if len(self._sessions) >= self.limits.max_sessions:
            return False
        self._sessions.add(session)
        return True

    def remove_session(self, session: Session) -> None:
        """Free a session's slot once its reader is gone."""
        self._sessions.discard(session)

    def run(self, work: Any) -> asyncio.Task[None]:
        """Run a coroutine the server must let finish before it shuts down."""
        import asyncio

        task: asyncio.Task[None] = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def close(self, message: str = "The server is shutting down.") -> None:
        """End every session politely, close every connection, wait for every reader."""
        import asyncio

        await asyncio.gather(
            *(session.end(message) for session in list(self._sessions)), return_exceptions=True
        )
        connections = [*self._logging_in, *self._logged_in, *self._refusing]
        for conn in connections:
            conn.close()
        for conn in connections:
            await conn.wait_closed()
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
