"""A small forwarding HTTP proxy on 127.0.0.1, for the tests of ``http_proxy``.

It takes requests in absolute form (``GET http://news.example.test/feed HTTP/1.1``), as
clients send them to a proxy, and forwards each to one upstream server whatever host it names,
so a test can use host names that resolve nowhere: only a request that really went through the
proxy can succeed. Each request it forwarded is in :attr:`ProxyServer.seen`. One request per
connection; every socket has a timeout, and the server stops when the ``with`` block ends.
"""

from __future__ import annotations

import socket
import socketserver
import threading
from types import TracebackType
from urllib.parse import urlsplit

_TIMEOUT = 10.0


class ProxyServer:
    """Forwards every absolute-form GET to ``upstream`` (``host:port``)."""

    def __init__(self, upstream: tuple[str, int], *, refuse: int | None = None) -> None:
        self.upstream = upstream
        self.refuse = refuse
        """A status to answer every request with instead (407: a proxy wanting a password)."""
        self.seen: list[str] = []
        """The absolute address of each request forwarded, in order."""
        owner = self

        class _Handler(socketserver.StreamRequestHandler):
            timeout = _TIMEOUT

            def handle(self) -> None:
                owner._forward(self)

        class _Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = _Server(("127.0.0.1", 0), _Handler)
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> ProxyServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _forward(self, handler: socketserver.StreamRequestHandler) -> None:
        line = handler.rfile.readline(8192).decode("latin-1")
        method, _, rest = line.partition(" ")
        target, _, _version = rest.strip().partition(" ")
        headers: list[str] = []
        while True:
            header = handler.rfile.readline(8192).decode("latin-1")
            if header in ("\r\n", "\n", ""):
                break
            if not header.lower().startswith(("connection:", "proxy-connection:")):
                headers.append(header.rstrip("\r\n"))
        parts = urlsplit(target)
        if method != "GET" or parts.scheme != "http" or not parts.netloc:
            handler.wfile.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            return
        self.seen.append(target)
        if self.refuse is not None:
            handler.wfile.write(
                f"HTTP/1.1 {self.refuse} No\r\nContent-Length: 0\r\n"
                'Proxy-Authenticate: Basic realm="proxy"\r\n\r\n'.encode("latin-1")
            )
            return
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        request = "\r\n".join([f"GET {path} HTTP/1.1", *headers, "Connection: close", "", ""])
        with socket.create_connection(self.upstream, timeout=_TIMEOUT) as upstream:
            upstream.sendall(request.encode("latin-1"))
            while chunk := upstream.recv(65536):
                handler.wfile.write(chunk)
