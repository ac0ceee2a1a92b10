"""The web server behind `reader serve web`: textual-serve's relay, behind a secret address.

Everything the server answers lives under ``/<token>/``: the page, its script, styles, fonts and
icon, and the websocket that drives a reader. Any other path is refused (403), and so is any
request whose ``Host`` is not the served address (a DNS-rebinding page names its own host) and
any websocket whose ``Origin`` is not the served address (another page in the same browser).
Tabs are bounded (``--max-sessions``) and a tab left without a key past the idle timeout is
closed. Nothing is fetched from the internet: the font and the icon are served from here.

aiohttp and textual-serve are imported only by :func:`build_server`'s caller, when a server
actually starts.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from reader.serve.operator_log import OperatorLog

_log = logging.getLogger("reader.serve.web")

FULL_PAGE = "The reader is already open in as many tabs as it can serve; try again later."
#: Variables a reader in a browser tab must not inherit from the server: with them, a program
#: could reach the server's display, desktop bus or SSH agent.
_WITHHELD = ("DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY", "DBUS_SESSION_BUS_ADDRESS",
             "SSH_AUTH_SOCK", "BROWSER")  # fmt: skip
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
# A content security policy for the page: its own script, styles and fonts, and its own
# websocket; nothing from anywhere else.
_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "font-src 'self'; img-src 'self' data:; connect-src 'self' {websocket}; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


@dataclass(frozen=True)
class WebOptions:
    """What one web server is told."""

    command: str
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = None
    token: str = ""
    max_sessions: int = 4
    #: Seconds without a key before a tab's reader is closed; 0 keeps it forever.
    idle_timeout: float = 3600.0


def new_token() -> str:
    """A secret for the served address: 32 bytes, URL-safe."""
    return secrets.token_urlsafe(32)


def allowed_hosts(public_url: str) -> frozenset[str]:
    """The ``Host`` values browsers send for the served address (loopback names are one)."""
    netloc = urlsplit(public_url).netloc.lower()
    host, _, port = netloc.rpartition(":") if not netloc.endswith("]") else (netloc, "", "")
    if not host:
        host, port = netloc, ""
    if host in _LOOPBACK_NAMES:
        suffix = f":{port}" if port else ""
        return frozenset(f"{name}{suffix}" for name in _LOOPBACK_NAMES)
    return frozenset({netloc})


class _ReaderTab(AppService):
    """textual-serve's relay for one tab, with a short environment and only web links."""

    def __init__(self, *args: Any, on_key: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._on_key = on_key

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment: dict[str, str] = super()._build_environment(width, height)
        for name in _WITHHELD:
            environment.pop(name, None)
        # The reader then knows it is remote: `o` goes to this browser, never to the server.
        environment["READER_REMOTE"] = "1"
        return environment

    async def send_bytes(self, data: bytes) -> bool:
        self._on_key()
        sent: bool = await super().send_bytes(data)
        return sent

    async def on_meta(self, data: bytes) -> None:
        meta: Mapping[str, object] = json.loads(data)
        if meta.get("type") == "open_url":
            url = str(meta.get("url", ""))
            # The page opens what it is given with window.open: web addresses only.
            if urlsplit(url).scheme not in {"http", "https"}:
                _log.info("open_url refused: not a web address")
                return
        if meta.get("type") == "deliver_file_start":
            # Downloads would be served outside the secret address; the reader makes none.
            return
        await super().on_meta(data)


class ReaderWebServer(Server):
    """textual-serve's server, answering only at its secret address, to its own page."""

    def __init__(self, options: WebOptions) -> None:
        super().__init__(
            options.command,
            host=options.host,
            port=options.port,
            title="reader",
            public_url=options.public_url,
        )
        self.options = options
        self.token = options.token or new_token()
        self.hosts = allowed_hosts(self.public_url)
        self.sessions = 0
        self.log = OperatorLog(_log)
        self._open_tabs: set[web.WebSocketResponse] = set()
        """The websockets of the tabs being served, closed together when the server stops."""
        self._assets = Path(str(resources.files("reader.serve") / "web_assets"))

    @property
    def address(self) -> str:
        """The address to open, secret included."""
        return f"{self.public_url.rstrip('/')}/{self.token}/"

    # the application

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        app.on_response_prepare.append(_plain_server_header)
        app.on_shutdown.append(self._close_tabs)
        prefix = f"/{self.token}"
        app.add_routes(
            [
                web.get(f"{prefix}/", self._page),
                web.get(f"{prefix}/ws", self.handle_websocket),
                web.static(f"{prefix}/static", self.statics_path),
                web.static(f"{prefix}/reader", self._assets),
            ]
        )
        return app

    @web.middleware
    async def _guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        peer = request.remote or "?"
        host = (request.host or "").lower()
        if host not in self.hosts:
            return self._refuse(peer, "wrong Host")
        path = request.path
        prefix = f"/{self.token}"
        first = path.split("/", 2)[1] if path.count("/") >= 1 else ""
        # compare_digest: how long a wrong guess takes says nothing about the right one.
        if not secrets.compare_digest(first.encode(), self.token.encode()):
            return self._refuse(peer, "no token")
        if path == prefix:
            raise web.HTTPFound(prefix + "/")
        if path == f"{prefix}/ws":
            scheme = urlsplit(self.public_url).scheme
            origin = urlsplit(request.headers.get("Origin", "").lower())
            if origin.scheme != scheme or origin.netloc not in self.hosts:
                return self._refuse(peer, "foreign Origin")
        response = await handler(request)
        # Links the reader opens in new tabs learn nothing of this address, and cannot reach
        # back into this page.
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    def _refuse(self, peer: str, reason: str) -> web.Response:
        self.log.event("refused", peer=peer, reason=reason)
        return web.Response(status=403, text="403: Forbidden\n")

    async def _page(self, request: web.Request) -> web.Response:
        if self.sessions >= self.options.max_sessions:
            self.log.event("tab refused", peer=request.remote or "?", reason="full")
            return web.Response(status=503, text=FULL_PAGE + "\n")
        # The websocket goes to the host this page was asked for (checked by the guard), so a
        # page opened as localhost talks to localhost: its Origin then matches.
        scheme = "wss" if urlsplit(self.public_url).scheme == "https" else "ws"
        websocket = f"{scheme}://{request.host}"
        page = (self._assets / "page.html").read_text(encoding="utf-8")
        filled = page.replace("{{base}}", html.escape(f"/{self.token}")).replace(
            "{{websocket}}", html.escape(f"{websocket}/{self.token}/ws")
        )
        response = web.Response(text=filled, content_type="text/html")
        response.headers["Content-Security-Policy"] = _POLICY.format(websocket=websocket)
        response.headers["Cache-Control"] = "no-store"
        return response

    # one tab

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if self.sessions >= self.options.max_sessions:
            self.log.event("tab refused", peer=request.remote or "?", reason="full")
            raise web.HTTPServiceUnavailable(text=FULL_PAGE)
        self.sessions += 1
        try:
            return await self._run_tab(request)
        finally:
            self.sessions -= 1

    async def _run_tab(self, request: web.Request) -> web.WebSocketResponse:
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=1 << 20)
        await websocket.prepare(request)
        peer = request.remote or "?"
        width = _size(request.query.get("width"), 80, 500)
        height = _size(request.query.get("height"), 24, 200)
        last_key = time.monotonic()

        def key_typed() -> None:
            nonlocal last_key
            last_key = time.monotonic()

        tab = _ReaderTab(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=websocket.close,
            download_manager=self.download_manager,
            debug=False,
            on_key=key_typed,
        )
        self.log.event("tab start", peer=peer)
        started = time.monotonic()
        watchdog = asyncio.create_task(self._close_when_idle(websocket, lambda: last_key))
        self._open_tabs.add(websocket)
        try:
            await tab.start(width, height)
            await self._relay(websocket, tab)
        finally:
            self._open_tabs.discard(websocket)
            watchdog.cancel()
            await tab.stop()
            await websocket.close()
            self.log.event("tab end", peer=peer, seconds=round(time.monotonic() - started))
        return websocket

    async def _relay(self, websocket: web.WebSocketResponse, tab: _ReaderTab) -> None:
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                kind, data = json.loads(message.data)
            except (ValueError, TypeError):
                continue
            if kind == "stdin" and isinstance(data, str):
                await tab.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                width = _size(data.get("width"), 80, 500)
                height = _size(data.get("height"), 24, 200)
                await tab.set_terminal_size(width, height)
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await tab.blur()
            elif kind == "focus":
                await tab.focus()

    async def _close_when_idle(
        self, websocket: web.WebSocketResponse, last_key: Callable[[], float]
    ) -> None:
        timeout = self.options.idle_timeout
        if timeout <= 0:
            return
        while True:
            quiet = time.monotonic() - last_key()
            if quiet >= timeout:
                self.log.event("tab idle", seconds=round(quiet))
                await websocket.close()
                return
            await asyncio.sleep(timeout - quiet)

    # running

    async def _close_tabs(self, app: web.Application) -> None:
        """On SIGINT or SIGTERM: close every tab's websocket at once.

        Each tab's handler then stops its reader (a quit, waited for) and returns. Left open,
        a websocket holds aiohttp's shutdown until its heartbeat fails or the shutdown
        timeout (60 s) cancels the handler, leaving its reader unstopped.
        """
        tabs = list(self._open_tabs)
        if tabs:
            self.log.event("stopping", tabs=len(tabs))
        await asyncio.gather(
            *(tab.close(code=WSCloseCode.GOING_AWAY, message=b"server stopping") for tab in tabs),
            return_exceptions=True,
        )

    async def on_startup(self, app: web.Application) -> None:
        pass

    def serve(self, debug: bool = False) -> None:
        """Serve until SIGINT or SIGTERM."""
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        _log.addHandler(handler)
        _log.setLevel(logging.INFO)
        _log.propagate = False
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            # The request line holds the secret: no access log.
            access_log=None,
            print=lambda *args: None,
            reuse_address=True,
        )


async def _plain_server_header(request: web.Request, response: web.StreamResponse) -> None:
    # No library names or versions to look up, as in the SSH banner.
    response.headers["Server"] = "reader"


def _size(value: object, default: int, most: int) -> int:
    try:
        number = int(str(value))
    except ValueError:
        return default
    return min(number, most) if number > 0 else default
