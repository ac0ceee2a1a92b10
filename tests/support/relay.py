"""Small loopback servers for tests: a TCP relay (the site behind another port, as a proxy puts
it) and a folder of files over HTTP. Both bind 127.0.0.1, run in daemon threads, stop by
themselves when the test run ends, and are stopped by their context managers."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def _pump(source: socket.socket, target: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while data := source.recv(65536):
            target.sendall(data)
    with contextlib.suppress(OSError):
        target.shutdown(socket.SHUT_WR)


@contextlib.contextmanager
def relay(port: int) -> Iterator[str]:
    """``http://127.0.0.1:OTHER/``: every byte to and from 127.0.0.1:``port``, untouched."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stopping = threading.Event()
    connections: list[socket.socket] = []

    def accept() -> None:
        while not stopping.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", port), timeout=30)
            connections.extend((client, upstream))
            for one, other in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pump, args=(one, other), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True, name="relay")
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    finally:
        stopping.set()
        thread.join(5)
        listener.close()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Say nothing on stderr."""


@contextlib.contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """The files of ``folder`` at ``http://127.0.0.1:PORT/``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
