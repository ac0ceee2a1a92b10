"""One SSH connection, from its first byte to its last: admission, login, and what it may open.

A connection is admitted into the pool of those logging in (or turned away with a reason the
client prints), logs in with a key listed in ``<data-root>/<user>/authorized_keys`` and nowhere
else, moves to the pool of logged-in connections, and is closed if it opens no session in time.
Every way it can fail to log in ends in one line of the operator's log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reader.serve.accounts import USERNAME_RULE, is_valid_username, user_folder
from reader.serve.limits import FULL_MESSAGE, SessionTable
from reader.serve.operator_log import OperatorLog
from reader.serve.ssh_keys import allow_only_modern_signatures, fingerprint, key_refusal, user_keys
from reader.serve.ssh_options import SSHOptions

if TYPE_CHECKING:
    import asyncio

    import asyncssh

# RFC 4253's disconnect codes, as OpenSSH prints them ("Received disconnect from ...: 4: ...").
DISCONNECT_BY_APPLICATION = 11
DISCONNECT_TOO_MANY_CONNECTIONS = 4
NO_SESSION_MESSAGE = "no session was opened in time"
#: Seconds a refused client has to ask to log in and be told why, before it is dropped.
REFUSAL_GRACE = 3.0


def _address(conn: Any, name: str) -> tuple[str, int]:
    address = conn.get_extra_info(name) or ("?", 0)
    return str(address[0]), int(address[1])


def _prohibited(what: str) -> Exception:
    import asyncssh

    return asyncssh.ChannelOpenError(
        asyncssh.OPEN_ADMINISTRATIVELY_PROHIBITED, f"{what} is not allowed on this server"
    )


class ConnectionHandler:
    """One SSH connection: who may log in, and which channels they may open."""

    def __init__(
        self, options: SSHOptions, table: SessionTable, log: OperatorLog, session_type: type[Any]
    ) -> None:
        self.options = options
        self.table = table
        self.log = log
        self.username = ""
        self.conn: Any = None
        #: The client's address and ours, noted while the connection is up to log afterwards.
        self.peer = ("?", 0)
        self.local = ("?", 0)
        #: The fingerprint of the key the user logged in with.
        self.key_fingerprint = ""
        self._session_type = session_type
        self._keys: asyncssh.SSHAuthorizedKeys | None = None
        self._tried = ""
        self._why_not = "disconnected before logging in"
        self._authenticated = False
        self._refused = False
        self._sessions = 0
        self._no_session_timer: asyncio.TimerHandle | None = None
        self._refusal: str | None = None
        self._lost = False

    # admission

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        import asyncio

        self.conn = conn
        self.peer = _address(conn, "peername")
        self.local = _address(conn, "sockname")
        refusal = self.table.admit(conn, self.peer[0])
        if refusal is None:
            return
        self._refused = True
        loop = asyncio.get_running_loop()
        dropped = self.table.start_refusing(conn)
        if dropped is not None:
            # So many are being turned away already that the oldest goes without a word.
            host, port = _address(dropped, "peername")
            self.log.event("dropped", peer=f"{host}:{port}")
            loop.call_soon(dropped.abort)
        self.log.event("refused", peer=self._peer_text(), reason=refusal)
        # The reason is given when the client asks to log in (begin_auth): then it is waiting
        # for an answer, and OpenSSH prints it. Refused before the client has spoken, it reads
        # a closed socket instead ("Broken pipe", or a broken banner before the version line).
        # Clients that never get that far are dropped soon after.
        self._refusal = refusal
        loop.call_later(REFUSAL_GRACE, conn.abort)

    def connection_lost(self, exc: Exception | None) -> None:
        self._lost = True
        self.table.remove_connection(self.conn)
        self._cancel_no_session_timer()
        if not self._authenticated and not self._refused:
            if exc is not None and self._why_not == "disconnected before logging in":
                self._why_not = f"disconnected before logging in ({exc})"
            self.log.event(
                "login failed",
                user=self.username or "-",
                peer=self._peer_text(),
                key=self._tried or "-",
                reason=self._why_not,
            )

    # logging in

    def begin_auth(self, username: str) -> bool:
        import asyncssh

        if self._refusal is not None:
            raise asyncssh.DisconnectError(DISCONNECT_TOO_MANY_CONNECTIONS, self._refusal)
        if not is_valid_username(username):
            self.username = ascii(username[:40])
            self._why_not = "invalid user name"
            raise asyncssh.IllegalUserName(USERNAME_RULE)
        self.username = username
        if self.options.anonymous:
            return False
        # Read at every login, so keys added or removed apply without a restart.
        self._keys, problem = user_keys(user_folder(self.options.data_root, username))
        if "ignored" in problem:
            self.log.event("keys ignored", user=username, reason=problem)
        self._why_not = problem or f"no key offered that logs in as {username}"
        return True

    def public_key_auth_supported(self) -> bool:
        return not self.options.anonymous

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        self._tried = fingerprint(key)
        if self._keys is None:
            return False
        refusal = key_refusal(key)
        if refusal is not None:
            self._why_not = refusal
            return False
        if self._keys.validate(key, self.peer[0], self.peer[0]) is None:
            self._why_not = f"key not in {username}'s authorized_keys"
            return False
        self._why_not = "the key's signature was refused (SHA-1 or invalid)"
        allow_only_modern_signatures(key)
        self.key_fingerprint = self._tried
        return True

    def host_based_auth_supported(self) -> bool:
        return False

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    def auth_completed(self) -> None:
        self._authenticated = True
        refusal = self.table.logged_in(self.conn)
        if refusal is not None:
            self.log.event("refused", user=self.username, peer=self._peer_text(), reason=refusal)
            self.conn.disconnect(DISCONNECT_TOO_MANY_CONNECTIONS, refusal)
            return
        self.log.event(
            "login",
            user=self.username,
            peer=self._peer_text(),
            key=self.key_fingerprint or "anonymous",
        )
        self._start_no_session_timer()

    # what a logged-in client may open

    def session_requested(self) -> Any:
        import asyncssh

        session = self._session_type(self)
        if not self.table.add_session(session):
            self.log.event(
                "session refused", user=self.username, peer=self._peer_text(), reason="full"
            )
            raise asyncssh.ChannelOpenError(asyncssh.OPEN_RESOURCE_SHORTAGE, FULL_MESSAGE)
        self._sessions += 1
        self._cancel_no_session_timer()
        return session

    def session_ended(self) -> None:
        """A session of this connection has finished: with none left, the clock starts again."""
        self._sessions -= 1
        if self._sessions == 0:
            self._start_no_session_timer()

    def connection_requested(
        self, dest_host: str, dest_port: int, orig_host: str, orig_port: int
    ) -> bool:
        self.refused_request("port forwarding")
        raise _prohibited("port forwarding")

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        self.refused_request("remote port forwarding")
        return False

    def unix_connection_requested(self, dest_path: str) -> bool:
        self.refused_request("socket forwarding")
        raise _prohibited("socket forwarding")

    def unix_server_requested(self, listen_path: str) -> bool:
        self.refused_request("remote socket forwarding")
        return False

    def refused_request(self, what: str) -> None:
        """Note in the log that the client asked for something this server never does."""
        self.log.event("request refused", user=self.username, peer=self._peer_text(), request=what)

    # the clock for connections that open no session

    def _start_no_session_timer(self) -> None:
        import asyncio

        timeout = self.options.limits.no_session_timeout
        # A session's end is handled after its connection's; a closed one needs no clock.
        if timeout > 0 and self._no_session_timer is None and not self._lost:
            loop = asyncio.get_running_loop()
            self._no_session_timer = loop.call_later(timeout, self._no_session_timeout)

    def _cancel_no_session_timer(self) -> None:
        if self._no_session_timer is not None:
            self._no_session_timer.cancel()
            self._no_session_timer = None

    def _no_session_timeout(self) -> None:
        self._no_session_timer = None
        self.log.event(
            "closed", user=self.username, peer=self._peer_text(), reason=NO_SESSION_MESSAGE
        )
        self.conn.disconnect(DISCONNECT_BY_APPLICATION, NO_SESSION_MESSAGE)

    def _peer_text(self) -> str:
        return f"{self.peer[0]}:{self.peer[1]}"
