"""The sample site behind ``--demo``: one address per data folder, shared by its readers.

The demo's posts are stored under the address the sample site is served at, port included.
A second reader of the same folder (``reader --demo list`` beside ``reader --demo``) uses the
server the first one runs, so both see the same source; when the remembered port is taken by
something else, the server moves to a new port and the store's rows move with it
(:meth:`Store.move_site`), so the demo stays one source with links that lead somewhere.
"""

from __future__ import annotations

import contextlib
import http.client
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from reader.command_error import CommandError

PORT_FILE = "demo-port"
"""The file in the demo's data folder that remembers the port of the last sample site."""
_HOST = "127.0.0.1"


@dataclass(frozen=True)
class DemoSite:
    """Where the sample site answers now, and where it answered before when that changed."""

    url: str
    """The site's root, e.g. ``http://127.0.0.1:43123/``."""
    moved_from: str | None
    """The root of the last run when the site is now elsewhere, else None."""


def root_at(port: int) -> str:
    """The sample site's root on loopback port ``port``."""
    return f"http://{_HOST}:{port}/"


def sample_site_answers(port: int, *, timeout: float = 1.0) -> bool:
    """True when the sample site (of this or another reader) is what answers on ``port``."""
    from reader.sample.server import SIGNATURE

    connection = http.client.HTTPConnection(_HOST, port, timeout=timeout)
    try:
        connection.request("HEAD", "/")
        answer = connection.getresponse()
        return answer.getheader(SIGNATURE[0]) == SIGNATURE[1]
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


@contextlib.contextmanager
def demo_site(folder: Path) -> Iterator[DemoSite]:
    """Serve the sample site for the demo folder ``folder``, or use the one already serving it.

    The remembered port is tried first: free, the site is served there again; taken by the
    sample site, that server (another reader's) is used as it is; taken by anything else,
    the site is served on a new port and remembered there.
    """
    from reader.sample.server import SampleServer

    port_file = folder / PORT_FILE
    port = 0
    with contextlib.suppress(OSError, ValueError):
        port = int(port_file.read_text().strip())
    server = None
    if 0 < port < 65536:
        server = SampleServer(port=port)
        try:
            server.start()
        except (OSError, OverflowError):
            server = None
            if sample_site_answers(port):
                yield DemoSite(root_at(port), None)
                return
    if server is None:
        server = SampleServer(port=0)
        try:
            server.start()
        except OSError:
            raise CommandError(f"could not start the sample site on {_HOST}") from None
    try:
        if server.port != port:
            with contextlib.suppress(OSError):
                folder.mkdir(parents=True, exist_ok=True)
                port_file.write_text(str(server.port))
        yield DemoSite(server.url, root_at(port) if port and server.port != port else None)
    finally:
        server.stop()
