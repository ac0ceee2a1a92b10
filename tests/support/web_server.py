"""`reader serve web` run as the real command on loopback, and a headless Chromium to open it.

The Chromium is driven over the DevTools protocol by :class:`DevTools`, a small client written
here on aiohttp's websocket (aiohttp comes with textual-serve): send a command, wait for its
answer, and keep every event for the test to look at.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _read_line(stream: Any, pattern: str, timeout: float, process: subprocess.Popen[bytes]) -> str:
    """Read ``stream`` until a line matches ``pattern``; the match's first group."""
    deadline = time.monotonic() + timeout
    seen = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([stream], [], [], 0.2)
        if ready:
            chunk = os.read(stream.fileno(), 65536)
            if not chunk:
                break
            seen += chunk
            match = re.search(pattern.encode(), seen)
            if match:
                return match.group(1).decode()
        elif process.poll() is not None:
            break
    raise AssertionError(f"{pattern!r} never came; output so far:\n{seen.decode(errors='replace')}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group, SIGKILL what is left, reap; nothing stays behind."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@contextlib.contextmanager
def served_web(data_dir: Path, *options: str) -> Iterator[str]:
    """``reader serve web`` on a free loopback port, reading the demo site; yields its address."""
    with served_web_process(data_dir, *options) as (address, _process):
        yield address


@contextlib.contextmanager
def served_web_process(
    data_dir: Path, *options: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """:func:`served_web`, yielding the server's process beside its address (to signal it)."""
    port = free_port()
    argv = [sys.executable, "-m", "reader", "--data-dir", str(data_dir), "serve", "web"]
    argv += ["--port", str(port), *options, "--", "--demo"]
    process = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, "TEXTUAL_ANIMATIONS": "none"},
    )
    try:
        assert process.stdout is not None
        address = _read_line(process.stdout, r"open (http://\S+) in a browser", 30, process)
        _wait_listening(port, process)
        yield address, process
    finally:
        _stop(process)


def _wait_listening(port: int, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        if process.poll() is not None:
            break
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on port {port}")


@contextlib.contextmanager
def headless_chromium(chromium: str, profile: Path) -> Iterator[str]:
    """A headless Chromium with a fresh profile; yields its DevTools (browser) websocket."""
    argv = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
    argv += ["--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank"]
    process = subprocess.Popen(
        argv,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        assert process.stderr is not None
        yield _read_line(process.stderr, r"DevTools listening on (ws://\S+)", 60, process)
    finally:
        _stop(process)


class DevTools:
    """One page of a Chromium, driven over the DevTools protocol."""

    def __init__(self, websocket: aiohttp.ClientWebSocketResponse) -> None:
        self._websocket = websocket
        self._next_id = 0
        self._answers: dict[int, asyncio.Future[dict[str, Any]]] = {}
        #: Every event the page has sent, in order: (method, params).
        self.events: list[tuple[str, dict[str, Any]]] = []
        self._arrived = asyncio.Event()
        self._reader = asyncio.ensure_future(self._read())

    @classmethod
    @contextlib.asynccontextmanager
    async def open_page(cls, browser_ws: str) -> AsyncIterator[DevTools]:
        """A new page (tab) in the browser, closed at the end."""
        http = "http://" + browser_ws.split("//", 1)[1].split("/", 1)[0]
        async with aiohttp.ClientSession() as session:
            async with session.put(f"{http}/json/new?about:blank") as answer:
                target = await answer.json(content_type=None)
            async with session.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                page = cls(ws)
                try:
                    yield page
                finally:
                    page._reader.cancel()
            async with session.get(f"{http}/json/close/{target['id']}"):
                pass

    async def _read(self) -> None:
        async for message in self._websocket:
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            data = json.loads(message.data)
            if "id" in data:
                future = self._answers.pop(data["id"], None)
                if future is not None and not future.done():
                    future.set_result(data)
            else:
                self.events.append((data["method"], data.get("params", {})))
                self._arrived.set()

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Call ``method``; its result (fails on a protocol error)."""
        self._next_id += 1
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._answers[self._next_id] = future
        await self._websocket.send_json({"id": self._next_id, "method": method, "params": params})
        answer = await asyncio.wait_for(future, 30)
        if "error" in answer:
            raise AssertionError(f"{method}: {answer['error']}")
        result: dict[str, Any] = answer.get("result", {})
        return result

    async def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = await self.send(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_for_event(
        self, check: Callable[[str, dict[str, Any]], bool], timeout: float = 30, what: str = ""
    ) -> tuple[str, dict[str, Any]]:
        """The first event (seen already or still to come) for which ``check`` holds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        seen = 0
        while True:
            for method, params in self.events[seen:]:
                if check(method, params):
                    return method, params
            seen = len(self.events)
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"no event {what or check!r} in {timeout:g}s")
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), remaining)

    async def settle(self, quiet: float = 0.5, timeout: float = 30) -> None:
        """Wait until the page has received no websocket frame for ``quiet`` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout

        def frames() -> int:
            return sum(method == "Network.webSocketFrameReceived" for method, _ in self.events)

        while loop.time() < deadline:
            before = frames()
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), quiet)
            if frames() == before and not self._arrived.is_set():
                return
        raise AssertionError(f"the page never stopped receiving for {quiet:g}s")

    def received_text(self) -> str:
        """Everything the page received over its websockets, as text (the reader's screen)."""
        parts = []
        for method, params in self.events:
            if method == "Network.webSocketFrameReceived":
                response = params["response"]
                payload = response["payloadData"]
                if response.get("opcode") == 2:
                    payload = base64.b64decode(payload).decode("utf-8", "replace")
                parts.append(payload)
        return "".join(parts)

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions and error log entries (CSP, failed loads)."""
        found = []
        for method, params in self.events:
            if method == "Runtime.consoleAPICalled" and params["type"] in {"error", "assert"}:
                found.append("console: " + " ".join(str(a.get("value")) for a in params["args"]))
            elif method == "Runtime.exceptionThrown":
                found.append("exception: " + json.dumps(params["exceptionDetails"])[:500])
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                entry = params["entry"]
                found.append(f"log: {entry.get('text')} {entry.get('url', '')}")
        return found

    def requested_urls(self) -> list[str]:
        """Every address the page asked for, websockets included."""
        urls = []
        for method, params in self.events:
            if method == "Network.requestWillBeSent":
                urls.append(params["request"]["url"])
            elif method == "Network.webSocketCreated":
                urls.append(params["url"])
        return urls
