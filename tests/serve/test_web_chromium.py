"""`reader serve web` in a real headless Chromium: it loads cleanly, keys work, strangers don't.

Chromium is driven over the DevTools protocol (tests/support/web_server.py). The reader's
screen is read from the websocket frames the page receives, which DevTools reports.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.support.real_clients import require_program
from tests.support.web_server import DevTools, headless_chromium, served_web

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def chromium() -> str:
    return require_program("chromium", "chromium-browser", package="chromium")


@contextlib.contextmanager
def foreign_site(page: bytes) -> Iterator[str]:
    """Another web site on loopback (another port is another origin), serving ``page``."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


async def _open(page: DevTools, url: str) -> None:
    for domain in ("Page", "Runtime", "Log", "Network"):
        await page.send(f"{domain}.enable")
    await page.send("Page.navigate", url=url)
    await page.wait_for_event(lambda method, _p: method == "Page.loadEventFired", what="load")


async def _press(page: DevTools, key: str) -> None:
    await page.send("Input.dispatchKeyEvent", type="keyDown", key=key, text=key)
    await page.send("Input.dispatchKeyEvent", type="keyUp", key=key)


async def _redrawn_after(page: DevTools, key: str, *, what: str) -> None:
    """Press ``key`` and wait until the reader sends the page something new."""
    before = len(page.received_text())
    await _press(page, key)
    await page.wait_for_event(
        lambda method, _p: method == "Network.webSocketFrameReceived"
        and len(page.received_text()) > before,
        what=what,
    )


async def _wait_for_text(page: DevTools, text: str | re.Pattern[str], timeout: float = 60) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout

    def arrived() -> bool:
        received = page.received_text()
        return text in received if isinstance(text, str) else bool(text.search(received))

    while not arrived():
        if loop.time() > deadline:
            raise AssertionError(f"{text!r} never reached the page")
        await page.wait_for_event(
            lambda method, _p: method == "Network.webSocketFrameReceived",
            timeout=max(0.1, deadline - loop.time()),
            what="a frame",
        )
        await asyncio.sleep(0)


async def test_the_page_loads_cleanly_and_keys_reach_the_reader(
    tmp_path: Path, chromium: str
) -> None:
    with (
        served_web(tmp_path / "data") as address,
        headless_chromium(chromium, tmp_path / "profile") as browser,
    ):
        async with DevTools.open_page(browser) as page:
            await _open(page, address)
            await _wait_for_text(page, "USC Stem Cell News")
            # Synced: said in the status line (a browser window this size is under 100
            # columns, where the list has the whole width and the welcome pane waits).
            await _wait_for_text(page, re.compile(r"[1-9][0-9]* new, [0-9]+ updated"))
            # The terminal has the keyboard, unclicked (the page focuses it): "j" moves the
            # cursor (the reader redraws the lines that changed), "q" quits, which closes the
            # page's session.
            await page.settle()  # the first screen drawn: what comes after "j" is its answer
            await _redrawn_after(page, "j", what="a redraw after j")
            # enter opens the post under the cursor; "o" opens it in this browser, never on
            # the server: the page is asked to open a window at the post's address.
            await _press(page, "\r")
            await page.settle()
            await _press(page, "o")
            _method, opened = await page.wait_for_event(
                lambda method, _p: method == "Page.windowOpen", what="a window for the post"
            )
            assert opened["url"].startswith("http://127.0.0.1:") and "/20" in opened["url"]
            await _press(page, "q")
            await page.evaluate(
                "new Promise(done => { const check = () => document.body.classList"
                ".contains('-closed') ? done(true) : setTimeout(check, 50); check(); })"
            )
            assert page.problems() == []
            origin = "{0.scheme}://{0.netloc}/".format(urlsplit(address))
            websocket_origin = origin.replace("http://", "ws://")
            asked = page.requested_urls()
            assert asked and all(
                url.startswith((origin, websocket_origin)) or url.startswith("data:")
                for url in asked
            ), asked


async def test_a_foreign_page_cannot_drive_a_reader(tmp_path: Path, chromium: str) -> None:
    with served_web(tmp_path / "data") as address:
        websocket = "ws" + address[4:] + "ws"
        # The attacker knows even the secret address; its Origin still gives it away.
        attack = (
            "<!DOCTYPE html><title>elsewhere</title><script>"
            f"window.attempt = new Promise(done => {{ const s = new WebSocket({websocket!r});"
            "s.onopen = () => done('open'); s.onerror = () => done('refused'); });"
            "</script>"
        ).encode()
        with (
            foreign_site(attack) as elsewhere,
            headless_chromium(chromium, tmp_path / "profile") as browser,
        ):
            async with DevTools.open_page(browser) as page:
                await _open(page, elsewhere)
                assert await page.evaluate("window.attempt") == "refused"
                opened = await page.evaluate(
                    f"fetch({address!r}, {{mode: 'cors'}}).then(() => 'read', () => 'refused')"
                )
                assert opened == "refused"


async def test_a_fresh_page_takes_keys_without_a_click(tmp_path: Path, chromium: str) -> None:
    # Keyboard-first: the terminal has the keyboard the moment the page is up (textual.js
    # makes it but never focuses it: keys went to the page's body until it was clicked).
    with (
        served_web(tmp_path / "data") as address,
        headless_chromium(chromium, tmp_path / "profile") as browser,
    ):
        async with DevTools.open_page(browser) as page:
            await page.send("Emulation.setFocusEmulationEnabled", enabled=True)
            await _open(page, address)
            await _wait_for_text(page, re.compile(r"[1-9][0-9]* new, [0-9]+ updated"))
            await page.settle()
            await _redrawn_after(
                page, "j", what="a redraw after j, typed into a page nobody clicked"
            )
            assert page.problems() == []
